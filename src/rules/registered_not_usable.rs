//! `registered-not-usable`: registered for MFA, but with no method the account may use. The
//! account then counts as not registered for every other rule and bulk file.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::tenant::accounts::Account;

pub struct RegisteredNotUsable;

impl Rule for RegisteredNotUsable {
    fn code(&self) -> Code {
        Code::RegisteredNotUsable
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "the authentication methods policy with method lists, or registration details with isMfaRegistered and isMfaCapable"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is registered for MFA, but no registered method is one the authentication methods policy lets it use (without the policy: isMfaRegistered is true and isMfaCapable false).",
            why: "A method the policy does not allow cannot satisfy MFA: at the next MFA prompt the account is sent to register again, or is locked out where registration is not allowed. Such an account is counted as not registered in every other finding and bulk file.",
            fix: "Enable one of its registered methods for it in Authentication methods > Policies (mind groups and exclusions), or have the user register an allowed method; the account is in the registration group file until then.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.methods])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        a.telephony
            .not_usable
            .as_ref()
            .map(|why| format!("registered, but {why}"))
    }
}

#[cfg(test)]
mod tests {
    use super::RegisteredNotUsable;
    use crate::rules::testing::flags;

    #[test]
    fn flags_an_account_without_a_usable_method() {
        let d = flags(&RegisteredNotUsable, |a| {
            a.telephony.not_usable =
                Some("the policy allows none of its methods: officePhone".into())
        });
        assert!(d.is_some_and(|d| d.contains("officePhone")));
    }

    #[test]
    fn near_miss_a_usable_method() {
        assert_eq!(
            flags(&RegisteredNotUsable, |a| {
                a.registered = Some(true);
                a.telephony.usable = Some(vec!["mobilePhone".into()]);
            }),
            None
        );
    }
}
