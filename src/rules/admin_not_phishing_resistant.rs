//! `admin-not-phishing-resistant`: a registered administrator with no phishing-resistant method.

use super::{Code, Ctx, Explain, Rule, Severity, methods_text, need};
use crate::tenant::accounts::Account;
use crate::values::MethodClass;

pub struct AdminNotPhishingResistant;

impl Rule for AdminNotPhishingResistant {
    fn code(&self) -> Code {
        Code::AdminNotPhishingResistant
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "registration details with isAdmin and methodsRegistered"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "An administrator is registered for MFA, but only with methods that can be phished (phone, authenticator push or codes).",
            why: "Adversary-in-the-middle kits relay push approvals and one-time codes; only FIDO2 / passkeys, Windows Hello for Business and certificates resist them.",
            fix: "Issue a FIDO2 key or passkey to the admin and require the phishing-resistant authentication strength for admin roles.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[
            &ctx.avail.registration,
            &ctx.avail.admin,
            &ctx.avail.methods,
        ])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if a.is_admin != Some(true) || a.registered != Some(true) {
            return None;
        }
        let m = a.methods.as_ref()?;
        let strongest = a.mfa_classes().into_iter().max();
        (strongest != Some(MethodClass::PhishingResistant) && !m.is_empty()).then(|| {
            format!(
                "admin without a phishing-resistant method ({})",
                methods_text(a)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AdminNotPhishingResistant;
    use crate::rules::testing::flags;

    #[test]
    fn flags_an_admin_with_phishable_methods_only() {
        let d = flags(&AdminNotPhishingResistant, |a| {
            a.is_admin = Some(true);
            a.registered = Some(true);
            a.methods = Some(vec![
                "microsoftAuthenticatorPush".into(),
                "mobilePhone".into(),
            ]);
        });
        assert!(d.is_some_and(|d| d.contains("microsoftAuthenticatorPush")));
    }

    #[test]
    fn near_miss_an_admin_with_a_passkey_or_a_non_admin() {
        let with_key = |admin: bool| {
            flags(&AdminNotPhishingResistant, move |a| {
                a.is_admin = Some(admin);
                a.registered = Some(true);
                a.methods = Some(vec!["mobilePhone".into(), "fido2SecurityKey".into()]);
            })
        };
        assert_eq!(with_key(true), None);
        let not_admin = flags(&AdminNotPhishingResistant, |a| {
            a.is_admin = Some(false);
            a.registered = Some(true);
            a.methods = Some(vec!["mobilePhone".into()]);
        });
        assert_eq!(not_admin, None);
    }
}
