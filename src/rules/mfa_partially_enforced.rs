//! `mfa-partially-enforced`: an account that only narrowed policies make do MFA (coverage partial).

use super::{Code, Ctx, Explain, Rule, Severity};
use crate::tenant::accounts::Account;
use crate::tenant::coverage::Coverage;

pub struct MfaPartiallyEnforced;

impl Rule for MfaPartiallyEnforced {
    fn code(&self) -> Code {
        Code::MfaPartiallyEnforced
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "Conditional Access policies (--policies)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The only Conditional Access policies requiring MFA for this account are narrowed (some apps, client apps, platforms, locations, risk, report-only, or MFA or another control).",
            why: "A narrowed policy leaves sign-ins that skip MFA: other apps, trusted locations, a compliant device instead of MFA.",
            fix: "In the Entra admin center > Protection > Conditional Access > Policies, open each named policy: set Target resources to All resources, remove location, platform and risk conditions, require MFA (not MFA or another control), and switch report-only policies to On.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        super::coverage_ready(ctx)
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String> {
        let row = ctx.coverage?.get(i)?;
        let v = &row.verdict;
        let _ = a;
        (v.coverage == Coverage::Partial).then(|| super::effects(&v.partial_by))
    }
}

#[cfg(test)]
mod tests {
    use super::MfaPartiallyEnforced;
    use crate::rules::testing::{flags_covered, verdict};
    use crate::tenant::coverage::Coverage;

    #[test]
    fn flags_partial_coverage_with_the_narrowing_policy() {
        let d = flags_covered(
            &MfaPartiallyEnforced,
            |_| {},
            false,
            verdict(
                Coverage::Partial,
                &[("CA002", "only some applications")],
                &[],
            ),
        );
        assert!(d.is_some_and(|d| d.contains("CA002 (only some applications)")));
    }

    #[test]
    fn near_miss_enforced_none_or_unknown() {
        for c in [Coverage::Enforced, Coverage::None, Coverage::Unknown] {
            assert_eq!(
                flags_covered(&MfaPartiallyEnforced, |_| {}, false, verdict(c, &[], &[])),
                None,
                "{c:?}"
            );
        }
    }
}
