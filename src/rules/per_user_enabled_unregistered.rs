//! `per-user-enabled-unregistered`: legacy per-user MFA Enabled, and no method registered.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::input::records::PerUserState;
use crate::tenant::accounts::Account;

pub struct PerUserEnabledUnregistered;

impl Rule for PerUserEnabledUnregistered {
    fn code(&self) -> Code {
        Code::PerUserEnabledUnregistered
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "a per-user MFA state export and registration data"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "Legacy per-user MFA is Enabled for the account, but it has no MFA method registered.",
            why: "Enabled means the user is asked to register at the next interactive sign-in; until then the account signs in with a password only, and whoever signs in first registers.",
            fix: "Make sure the user registers soon (revoke sessions if they only use refresh tokens), then move from per-user MFA to Conditional Access.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.per_user, &ctx.avail.registration])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        (a.per_user_state == Some(PerUserState::Enabled) && a.registered == Some(false))
            .then(|| "per-user MFA Enabled, not registered".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::PerUserEnabledUnregistered;
    use crate::rules::testing::flags;

    use crate::input::records::PerUserState;

    #[test]
    fn flags_enabled_and_unregistered() {
        let d = flags(&PerUserEnabledUnregistered, |a| {
            a.per_user_state = Some(PerUserState::Enabled);
            a.registered = Some(false);
        });
        assert!(d.is_some());
    }

    #[test]
    fn near_miss_enabled_and_registered_or_disabled() {
        let enabled_registered = flags(&PerUserEnabledUnregistered, |a| {
            a.per_user_state = Some(PerUserState::Enabled);
            a.registered = Some(true);
        });
        assert_eq!(enabled_registered, None);
        let disabled = flags(&PerUserEnabledUnregistered, |a| {
            a.per_user_state = Some(PerUserState::Disabled);
            a.registered = Some(false);
        });
        assert_eq!(disabled, None);
    }
}
