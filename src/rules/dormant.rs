//! `dormant`: no sign-in of any kind within `--dormant-after` days.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::tenant::accounts::Account;
use crate::values::fmt_date;

pub struct Dormant;

impl Rule for Dormant {
    fn code(&self) -> Code {
        Code::Dormant
    }
    fn severity(&self) -> Severity {
        Severity::Low
    }
    fn needs(&self) -> &'static str {
        "sign-in logs reaching back to the dormant threshold, or signInActivity"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "No successful sign-in of any kind within the dormant period (or never), for an account older than that period.",
            why: "Unused enabled accounts are easy to take over unnoticed, and they drag the registration numbers down without anyone to register.",
            fix: "Confirm with the owner or manager, then disable or delete the account (or exclude it with a reason and expiry if it must stay).".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.dormant])
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        // An account created inside the dormant period has not had the chance to be dormant.
        if a.created.is_some_and(|c| c >= ctx.dormant_since) {
            return None;
        }
        match a.last_sign_in {
            Some(t) if t >= ctx.dormant_since => None,
            Some(t) => Some(format!(
                "last sign-in {}, none since {} ({})",
                ctx.ago(t),
                fmt_date(ctx.dormant_since),
                a.sign_in_source.as_str()
            )),
            None => Some(format!(
                "no sign-in in the evidence (since {})",
                fmt_date(ctx.dormant_since)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Dormant;
    use crate::rules::testing::{ago, flags};

    #[test]
    fn flags_an_old_account_without_a_recent_sign_in() {
        let d = flags(&Dormant, |a| {
            a.created = ago(400);
            a.last_sign_in = ago(91);
        });
        assert!(d.is_some_and(|d| d.contains("91 days before")));
        assert!(flags(&Dormant, |a| a.created = ago(400)).is_some());
    }

    #[test]
    fn near_miss_recent_sign_in_or_new_account() {
        assert_eq!(
            flags(&Dormant, |a| {
                a.created = ago(400);
                a.last_sign_in = ago(90);
            }),
            None
        );
        assert_eq!(flags(&Dormant, |a| a.created = ago(30)), None);
    }
}
