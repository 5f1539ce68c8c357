//! `admin-mfa-not-enforced`: an administrator whose coverage is not enforced.

use super::{Code, Ctx, Explain, Rule, Severity};
use crate::tenant::accounts::Account;
use crate::tenant::coverage::Coverage;

pub struct AdminMfaNotEnforced;

impl Rule for AdminMfaNotEnforced {
    fn code(&self) -> Code {
        Code::AdminMfaNotEnforced
    }
    fn severity(&self) -> Severity {
        Severity::Critical
    }
    fn needs(&self) -> &'static str {
        "Conditional Access policies (--policies)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "An account holding a directory role is not made to do MFA everywhere by Conditional Access, per-user MFA state or security defaults.",
            why: "Admin accounts are the first target of password spray and phishing; Secure Score's AdminMFAV2 (Require MFA for administrative roles) counts them.",
            fix: "In the Entra admin center > Protection > Conditional Access > Create new policy from templates > Require multifactor authentication for admins (or a policy with Users > Directory roles, All resources, Grant > Require multifactor authentication), then switch it On.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        super::coverage_ready(ctx)
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String> {
        let row = ctx.coverage?.get(i)?;
        let v = &row.verdict;
        (row.admin || a.is_admin == Some(true))
            .then_some(())
            .filter(|_| v.coverage != Coverage::Enforced)
            .map(|_| format!("admin, coverage {}", v.coverage.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::AdminMfaNotEnforced;
    use crate::rules::testing::{flags_covered, verdict};
    use crate::tenant::coverage::Coverage;

    #[test]
    fn flags_an_admin_without_enforced_coverage() {
        for c in [Coverage::Partial, Coverage::Unknown, Coverage::None] {
            let d = flags_covered(&AdminMfaNotEnforced, |_| {}, true, verdict(c, &[], &[]));
            assert_eq!(d, Some(format!("admin, coverage {}", c.as_str())));
        }
        // An admin by the users export's flag, without a role assignment input.
        let by_flag = flags_covered(
            &AdminMfaNotEnforced,
            |a| a.is_admin = Some(true),
            false,
            verdict(Coverage::None, &[], &[]),
        );
        assert!(by_flag.is_some());
    }

    #[test]
    fn near_miss_enforced_admin_or_not_an_admin() {
        let enforced = flags_covered(
            &AdminMfaNotEnforced,
            |_| {},
            true,
            verdict(Coverage::Enforced, &[], &[]),
        );
        assert_eq!(enforced, None);
        let member = flags_covered(
            &AdminMfaNotEnforced,
            |a| a.is_admin = Some(false),
            false,
            verdict(Coverage::None, &[], &[]),
        );
        assert_eq!(member, None);
    }
}
