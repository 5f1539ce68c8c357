//! `exclusion-expired`: an exclusion matched the account but its expiry date has passed.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::tenant::accounts::Account;
use crate::values::fmt_date;

pub struct ExclusionExpired;

impl Rule for ExclusionExpired {
    fn code(&self) -> Code {
        Code::ExclusionExpired
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "an exclusions file"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is on the exclusions list, but the exclusion's expiry date has passed, so it no longer excludes the account.",
            why: "Exclusions for break-glass and service accounts must be reviewed; an expired one means nobody confirmed the account still needs to bypass MFA.",
            fix: "Review the account: renew the exclusion with a new expiry and reason, or bring the account into the MFA rollout.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.exclusions])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        let x = a.exclusion.as_ref().filter(|x| x.expired)?;
        Some(format!(
            "exclusion \"{}\" expired {}",
            x.reason,
            x.expires.map(fmt_date).unwrap_or_default()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::ExclusionExpired;
    use crate::rules::testing::{ago, flags};

    use crate::tenant::accounts::Exclusion;

    fn excluded(expired: bool) -> Option<Exclusion> {
        Some(Exclusion {
            reason: "break-glass".into(),
            expires: ago(3),
            expired,
        })
    }

    #[test]
    fn flags_an_expired_exclusion() {
        let d = flags(&ExclusionExpired, |a| a.exclusion = excluded(true));
        assert!(d.is_some_and(|d| d.contains("break-glass") && d.contains("2026-11-18")));
    }

    #[test]
    fn near_miss_an_active_exclusion_or_none() {
        assert_eq!(
            flags(&ExclusionExpired, |a| a.exclusion = excluded(false)),
            None
        );
        assert_eq!(flags(&ExclusionExpired, |_| {}), None);
    }
}
