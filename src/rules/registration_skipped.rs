//! `registration-skipped`: prompted to register (50072 / 50079) and still not registered.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::tenant::accounts::Account;

pub struct RegistrationSkipped;

impl Rule for RegistrationSkipped {
    fn code(&self) -> Code {
        Code::RegistrationSkipped
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "registration details and sign-in logs (error codes)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The sign-in logs show registration prompts (errors 50072 / 50079) for the account, yet it is still not registered.",
            why: "The user is snoozing or dismissing the registration interrupt (the 14-day skip), so the campaign alone will not get them registered.",
            fix: "Contact the user, remove the skip option from the registration campaign, or pre-populate a phone method so enforcement does not lock them out.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.registration, &ctx.avail.prompts])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        let n = a.prompts.filter(|n| *n > 0)?;
        (a.registered == Some(false)).then(|| {
            format!(
                "not registered after {n} registration prompt(s) (50072/50079) in the sign-in logs"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RegistrationSkipped;
    use crate::rules::testing::flags;

    #[test]
    fn flags_unregistered_after_prompts() {
        let d = flags(&RegistrationSkipped, |a| {
            a.registered = Some(false);
            a.prompts = Some(3);
        });
        assert!(d.is_some_and(|d| d.contains("after 3 registration prompt")));
    }

    #[test]
    fn near_miss_no_prompts_or_registered_since() {
        let none = flags(&RegistrationSkipped, |a| {
            a.registered = Some(false);
            a.prompts = Some(0);
        });
        assert_eq!(none, None);
        let registered = flags(&RegistrationSkipped, |a| {
            a.registered = Some(true);
            a.prompts = Some(3);
        });
        assert_eq!(registered, None);
    }
}
