//! `ca-exclusion-undocumented`: an account excluded from an MFA policy without an entry in the exclusions list.

use super::{Code, Ctx, Explain, Rule, Severity};
use crate::tenant::accounts::Account;

pub struct CaExclusionUndocumented;

impl Rule for CaExclusionUndocumented {
    fn code(&self) -> Code {
        Code::CaExclusionUndocumented
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "Conditional Access policies (--policies)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is excluded (by user, group or role) from an enabled MFA policy that would otherwise apply, and the exclusions list does not document it.",
            why: "Undocumented exclusions are how break-glass and service accounts quietly become permanent MFA gaps.",
            fix: "Add the account with a reason and an expiry to the exclusions list, or remove the exclusion in the Entra admin center > Protection > Conditional Access > Policies > (policy) > Users > Exclude.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        super::coverage_ready(ctx)
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String> {
        let row = ctx.coverage?.get(i)?;
        let v = &row.verdict;
        let enabled: Vec<_> = v
            .excluded_by
            .iter()
            .filter(|e| !e.reason.ends_with("report-only policy"))
            .cloned()
            .collect();
        (a.exclusion.is_none() && !enabled.is_empty())
            .then(|| format!("excluded from: {}", super::effects(&enabled)))
    }
}

#[cfg(test)]
mod tests {
    use super::CaExclusionUndocumented;
    use crate::rules::testing::{flags_covered, verdict};
    use crate::tenant::coverage::Coverage;

    #[test]
    fn flags_an_exclusion_from_an_enabled_policy_with_no_documented_reason() {
        let d = flags_covered(
            &CaExclusionUndocumented,
            |_| {},
            false,
            verdict(Coverage::None, &[], &[("CA001", "excluded by user")]),
        );
        assert!(d.is_some_and(|d| d.contains("CA001 (excluded by user)")));
    }

    #[test]
    fn near_miss_documented_or_report_only_or_not_excluded() {
        let documented = flags_covered(
            &CaExclusionUndocumented,
            |a| {
                a.exclusion = Some(crate::tenant::accounts::Exclusion {
                    reason: "break-glass account, ticket 4711".into(),
                    expires: None,
                    expired: false,
                })
            },
            false,
            verdict(Coverage::None, &[], &[("CA001", "excluded by user")]),
        );
        assert_eq!(documented, None);
        let report_only = flags_covered(
            &CaExclusionUndocumented,
            |_| {},
            false,
            verdict(
                Coverage::None,
                &[],
                &[("CA009", "excluded by user; report-only policy")],
            ),
        );
        assert_eq!(report_only, None);
        let covered = flags_covered(
            &CaExclusionUndocumented,
            |_| {},
            false,
            verdict(Coverage::Enforced, &[], &[]),
        );
        assert_eq!(covered, None);
    }
}
