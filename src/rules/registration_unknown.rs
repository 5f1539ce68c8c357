//! `registration-unknown`: a registration input was given but has no row for the account.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::Account;

pub struct RegistrationUnknown;

impl Rule for RegistrationUnknown {
    fn code(&self) -> Code {
        Code::RegistrationUnknown
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "a registration input"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The registration input has no row for this account, so its MFA registration state is unknown.",
            why: "The export may be filtered or stale, or the account was created after it; either way nobody can say the account is ready for enforcement.",
            fix: format!(
                "Re-export the registration details for the whole tenant; until then treat the account as unregistered (it is in {}).",
                BulkFile::GroupAdd.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.registration])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if !a.has_registration {
            Some("no registration row for the account".into())
        } else if a.registered.is_none() {
            Some(format!(
                "registration row without a readable state ({})",
                a.registration_basis
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RegistrationUnknown;
    use crate::rules::testing::flags;

    #[test]
    fn flags_no_row_and_an_unreadable_row() {
        let no_row = flags(&RegistrationUnknown, |a| a.has_registration = false);
        assert_eq!(
            no_row.as_deref(),
            Some("no registration row for the account")
        );
        let unreadable = flags(&RegistrationUnknown, |a| a.registered = None);
        assert!(unreadable.is_some_and(|d| d.starts_with("registration row without")));
    }

    #[test]
    fn near_miss_a_row_with_a_state() {
        assert_eq!(
            flags(&RegistrationUnknown, |a| a.registered = Some(false)),
            None
        );
    }
}
