//! `not-registered`: registration data says the account has no MFA method.

use super::{Code, Ctx, Explain, Rule, Severity, methods_text, need};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::Account;

pub struct NotRegistered;

impl Rule for NotRegistered {
    fn code(&self) -> Code {
        Code::NotRegistered
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
            fix: format!(
                "Add the account to the registration campaign group ({}), pre-populate a phone where the directory has one, and enforce MFA once it is registered.",
                BulkFile::GroupAdd.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.registration])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        (a.registered == Some(false)).then(|| format!("not registered ({})", methods_text(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::NotRegistered;
    use crate::rules::testing::flags;

    #[test]
    fn flags_a_registration_row_without_mfa() {
        let d = flags(&NotRegistered, |a| {
            a.registered = Some(false);
            a.methods = Some(vec!["email".into()]);
        });
        assert_eq!(d.as_deref(), Some("not registered (methods: email)"));
    }

    #[test]
    fn near_miss_registered_or_unknown() {
        assert_eq!(flags(&NotRegistered, |a| a.registered = Some(true)), None);
        assert_eq!(flags(&NotRegistered, |a| a.registered = None), None);
    }
}
