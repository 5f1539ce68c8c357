//! `weak-methods-only`: registered, and every MFA method the account may use is SMS or voice.
//! After its retirement date (2027-02-01; 2027-07-01 for Global Administrators and external
//! users) such an account meets a blocking passkey registration at sign-in.

use super::{Code, Ctx, Explain, Rule, Severity, days_left, methods_text, need};
use crate::tenant::accounts::Account;
use crate::values::{self, MethodClass};

pub struct WeakMethodsOnly;

/// The account depends on SMS/voice alone (shared with `passkey-not-allowed`).
pub fn phone_only(a: &Account) -> bool {
    a.registered == Some(true)
        && a.methods.as_ref().is_some_and(|m| {
            !m.iter()
                .any(|x| values::method_class(x) == MethodClass::Unknown)
        })
        && a.telephony.phone_only()
}

impl Rule for WeakMethodsOnly {
    fn code(&self) -> Code {
        Code::WeakMethodsOnly
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn severity_in(&self, ctx: &Ctx<'_>, _i: usize, _a: &Account) -> Severity {
        if ctx.telephony.telecom_provider {
            Severity::Medium
        } else {
            Severity::High
        }
    }
    fn needs(&self) -> &'static str {
        "method lists (methodsRegistered or legacy methods); the authentication methods policy decides which are usable"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "Every MFA method the account may use is a phone method (SMS or voice call). High; medium with --telecom-provider.",
            why: "Microsoft stops delivering SMS and voice codes in Entra ID on 2027-02-01 (2027-07-01 for Global Administrators and external users), with no opt-out unless a customer-managed telecom provider is configured. After that day the account meets a blocking passkey registration at its next sign-in. SMS and voice are also open to SIM swap and interception.",
            fix: "Put the account in the passkey campaign group (bulk/passkey-campaign-group-add.csv), make sure the methods policy allows passkeys (Fido2) for it, and ask the user to register a passkey or Microsoft Authenticator before the date; the detail says how many days are left.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.methods])
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        phone_only(a).then(|| {
            format!(
                "every usable MFA method is SMS/voice ({}); SMS and voice stop {}",
                methods_text(a),
                days_left(ctx, a.telephony.retirement)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::WeakMethodsOnly;
    use crate::rules::testing::{flags, flags_among};
    use crate::rules::{Rule, Severity};
    use crate::tenant::accounts::Telephony;

    fn registered_with(methods: &[&str], usable: &[&str]) -> crate::tenant::accounts::Account {
        let mut a = crate::rules::testing::account("a@contoso.com");
        a.registered = Some(true);
        a.methods = Some(methods.iter().map(|s| s.to_string()).collect());
        a.telephony = Telephony {
            usable: Some(usable.iter().map(|s| s.to_string()).collect()),
            retirement: crate::rules::testing::AS_OF + 60 * crate::rules::testing::DAY,
            ..Default::default()
        };
        a
    }

    #[test]
    fn flags_phone_methods_only_and_says_the_days_left() {
        let a = registered_with(
            &["mobilePhone", "officePhone", "email"],
            &["mobilePhone", "officePhone"],
        );
        let d = flags_among(&WeakMethodsOnly, vec![a]).expect("flagged");
        assert!(d.contains("60 days after"), "{d}");
        // An app method the policy does not allow leaves SMS as the only usable one.
        let b = registered_with(
            &["mobilePhone", "microsoftAuthenticatorPush"],
            &["mobilePhone"],
        );
        assert!(flags_among(&WeakMethodsOnly, vec![b]).is_some());
    }

    #[test]
    fn near_miss_a_usable_app_method_an_unknown_method_or_nothing_usable() {
        let a = registered_with(
            &["mobilePhone", "softwareOneTimePasscode"],
            &["mobilePhone", "softwareOneTimePasscode"],
        );
        assert_eq!(flags_among(&WeakMethodsOnly, vec![a]), None);
        // An unknown future method might be strong: never call the account weak because of it.
        let b = registered_with(&["mobilePhone", "quantumToken"], &["mobilePhone"]);
        assert_eq!(flags_among(&WeakMethodsOnly, vec![b]), None);
        assert_eq!(flags(&WeakMethodsOnly, |a| a.registered = Some(true)), None);
    }

    #[test]
    fn severity_is_high_and_medium_with_a_telecom_provider() {
        let accounts = vec![registered_with(&["mobilePhone"], &["mobilePhone"])];
        let mut ctx = crate::rules::testing::ctx(&accounts);
        assert_eq!(
            WeakMethodsOnly.severity_in(&ctx, 0, &accounts[0]),
            Severity::High
        );
        ctx.telephony.telecom_provider = true;
        assert_eq!(
            WeakMethodsOnly.severity_in(&ctx, 0, &accounts[0]),
            Severity::Medium
        );
    }
}
