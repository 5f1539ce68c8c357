//! `not-registered`: registration data says the account has no MFA method.

use super::{Ctx, Explain, Rule, Severity, methods_text, need};
use crate::accounts::Account;

pub struct NotRegistered;

impl Rule for NotRegistered {
    fn code(&self) -> &'static str {
        "not-registered"
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "registration details (isMfaRegistered or methodsRegistered) or legacy per-user methods"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account has a registration record and no MFA-capable method (email, security questions, temporary access pass and app passwords do not count).",
            why: "Enforcing MFA would lock the user out, or let whoever knows the password register their own phone first.",
            fix: "Add the account to the registration campaign group (bulk/registration-group-add.csv), pre-populate a phone where the directory has one, and enforce MFA once it is registered.",
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.registration])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        (a.registered == Some(false)).then(|| format!("not registered ({})", methods_text(a)))
    }
}
