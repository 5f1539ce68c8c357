//! `enforced-without-method`: per-user MFA Enforced, unregistered and no authentication phone.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::input::records::PerUserState;
use crate::tenant::accounts::Account;

pub struct EnforcedWithoutMethod;

impl Rule for EnforcedWithoutMethod {
    fn code(&self) -> Code {
        Code::EnforcedWithoutMethod
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "a per-user MFA state export and registration data"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "Legacy per-user MFA is Enforced, but the account has no method registered and no authentication phone.",
            why: "The user cannot complete MFA: they are locked out, or are on a helpdesk path that resets MFA without verification.",
            fix: "Verify the user's identity out of band, then issue a temporary access pass or pre-populate a phone method.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.per_user, &ctx.avail.registration])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        (a.per_user_state == Some(PerUserState::Enforced)
            && a.registered == Some(false)
            && a.auth_phone.is_none())
        .then(|| "per-user MFA Enforced, not registered, no authentication phone".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::EnforcedWithoutMethod;
    use crate::rules::testing::flags;

    use crate::input::records::PerUserState;

    #[test]
    fn flags_enforced_with_nothing_to_answer_with() {
        let d = flags(&EnforcedWithoutMethod, |a| {
            a.per_user_state = Some(PerUserState::Enforced);
            a.registered = Some(false);
        });
        assert!(d.is_some());
    }

    #[test]
    fn near_miss_enforced_with_a_phone_or_only_enabled() {
        assert_eq!(
            flags(&EnforcedWithoutMethod, |a| {
                a.per_user_state = Some(PerUserState::Enforced);
                a.registered = Some(false);
                a.auth_phone = Some("+1 4255550100".into());
            }),
            None
        );
        assert_eq!(
            flags(&EnforcedWithoutMethod, |a| {
                a.per_user_state = Some(PerUserState::Enabled);
                a.registered = Some(false);
            }),
            None
        );
    }
}
