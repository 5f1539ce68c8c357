//! `ca-exclusion-undocumented`: an account excluded from an MFA policy without an entry in the exclusions list.

use super::{Code, Ctx, Explain, Rule, Severity};
use crate::accounts::Account;

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
