//! `admin-not-registered`: an administrator without any MFA method.

use super::{Code, Ctx, Explain, Rule, Severity, methods_text, need};
use crate::tenant::accounts::Account;

pub struct AdminNotRegistered;

impl Rule for AdminNotRegistered {
    fn code(&self) -> Code {
        Code::AdminNotRegistered
    }
    fn severity(&self) -> Severity {
        Severity::Critical
    }
    fn needs(&self) -> &'static str {
        "registration details with isAdmin (or a per-user MFA export with IsAdmin)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "An account holding an administrative role has no MFA method registered.",
            why: "Admin accounts are the first target of password spray and phishing; without MFA one password gives away the tenant. Secure Score's AdminMFAV2 counts these.",
            fix: "Register a phishing-resistant method (FIDO2 key, passkey or Windows Hello) with the admin today, then require MFA for admin roles with Conditional Access.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.registration, &ctx.avail.admin])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        (a.is_admin == Some(true) && a.registered == Some(false))
            .then(|| format!("admin, not registered ({})", methods_text(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::AdminNotRegistered;
    use crate::rules::testing::flags;

    #[test]
    fn flags_an_unregistered_admin() {
        let d = flags(&AdminNotRegistered, |a| {
            a.is_admin = Some(true);
            a.registered = Some(false);
        });
        assert!(d.is_some_and(|d| d.starts_with("admin, not registered")));
    }

    #[test]
    fn near_miss_registered_admin_or_unknown_registration() {
        assert_eq!(
            flags(&AdminNotRegistered, |a| {
                a.is_admin = Some(true);
                a.registered = Some(true);
            }),
            None
        );
        assert_eq!(
            flags(&AdminNotRegistered, |a| a.is_admin = Some(true)),
            None
        );
    }
}
