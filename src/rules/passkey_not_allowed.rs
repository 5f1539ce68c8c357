//! `passkey-not-allowed`: the account depends on SMS/voice (`weak-methods-only` or
//! `telephony-in-use`), and the methods policy gives it no passkey to move to.

use super::telephony_in_use::in_use;
use super::weak_methods_only::phone_only;
use super::{Code, Ctx, Explain, Rule, Severity, days_left};
use crate::tenant::accounts::{Account, Tri};

pub struct PasskeyNotAllowed;

impl Rule for PasskeyNotAllowed {
    fn code(&self) -> Code {
        Code::PasskeyNotAllowed
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "the authentication methods policy and method lists"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account still depends on SMS or voice (weak-methods-only or telephony-in-use), and the authentication methods policy gives it no passkey: Fido2 is disabled, does not target it, or excludes it.",
            why: "On 2027-02-01 (2027-07-01 for Global Administrators and external users) an account whose only method is SMS/voice meets a blocking passkey registration. If the policy does not let it register a passkey, the campaign cannot move it and it is left with nothing.",
            fix: "Enable passkeys (FIDO2) in Authentication methods > Policies for the account (or its group), and remove it from any Fido2 exclusion, before the retirement date.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        if !ctx.telephony.methods_policy {
            return Err(
                "no authentication methods policy input (give it with --methods-policy)".into(),
            );
        }
        ctx.avail.methods.clone().map(|_| ())
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if a.telephony.passkey_allowed != Some(Tri::No) {
            return None;
        }
        let because = if phone_only(a) {
            "every usable MFA method is SMS/voice".to_string()
        } else {
            in_use(a)?
        };
        Some(format!(
            "{because}, and the methods policy gives it no passkey (Fido2); SMS and voice stop {}",
            days_left(ctx, a.telephony.retirement)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::PasskeyNotAllowed;
    use crate::rules::Rule;
    use crate::rules::testing::{account, ctx};
    use crate::tenant::accounts::{Account, Tri};

    fn phone_only(passkey: Tri) -> Account {
        let mut a = account("a@contoso.com");
        a.registered = Some(true);
        a.methods = Some(vec!["mobilePhone".into()]);
        a.telephony.usable = a.methods.clone();
        a.telephony.passkey_allowed = Some(passkey);
        a
    }

    fn run(a: Account) -> Option<String> {
        let accounts = vec![a];
        let mut c = ctx(&accounts);
        c.telephony.methods_policy = true;
        assert!(PasskeyNotAllowed.ready(&c).is_ok());
        PasskeyNotAllowed.flag(&c, 0, &accounts[0])
    }

    #[test]
    fn flags_a_phone_only_account_without_passkeys() {
        assert!(run(phone_only(Tri::No)).is_some_and(|d| d.contains("no passkey")));
    }

    #[test]
    fn near_miss_passkeys_allowed_unknown_or_not_dependent_on_phone() {
        assert_eq!(run(phone_only(Tri::Yes)), None);
        assert_eq!(run(phone_only(Tri::Unknown)), None);
        let mut strong = phone_only(Tri::No);
        strong.methods = Some(vec!["microsoftAuthenticatorPush".into()]);
        strong.telephony.usable = strong.methods.clone();
        assert_eq!(run(strong), None);
    }

    #[test]
    fn not_evaluated_without_a_methods_policy() {
        let accounts = vec![phone_only(Tri::No)];
        let mut c = ctx(&accounts);
        c.telephony.methods_policy = false;
        assert!(PasskeyNotAllowed.ready(&c).is_err());
    }
}
