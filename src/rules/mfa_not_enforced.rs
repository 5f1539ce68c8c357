//! `mfa-not-enforced`: an account that no policy makes do MFA (coverage none).

use super::{Code, Ctx, Explain, Rule, Severity};
use crate::tenant::accounts::Account;
use crate::tenant::coverage::Coverage;

pub struct MfaNotEnforced;

impl Rule for MfaNotEnforced {
    fn code(&self) -> Code {
        Code::MfaNotEnforced
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "Conditional Access policies (--policies)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "No Conditional Access policy, per-user MFA state or security defaults makes this account do MFA.",
            why: "An account that can skip MFA is protected by its password alone, whatever it has registered.",
            fix: "In the Entra admin center > Protection > Conditional Access > Policies, add the account (or a group it is in) to a policy that grants access with Require multifactor authentication for All resources, or remove the exclusion that leaves it out; use report-only first, then On.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        super::coverage_ready(ctx)
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String> {
        let row = ctx.coverage?.get(i)?;
        let v = &row.verdict;
        let _ = a;
        (v.coverage == Coverage::None).then(|| {
            if v.excluded_by.is_empty() {
                "no MFA policy applies".to_string()
            } else {
                format!("excluded from: {}", super::effects(&v.excluded_by))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::MfaNotEnforced;
    use crate::rules::testing::{flags_covered, verdict};
    use crate::tenant::coverage::Coverage;

    #[test]
    fn flags_an_account_no_policy_covers_and_names_its_exclusions() {
        let none = flags_covered(
            &MfaNotEnforced,
            |_| {},
            false,
            verdict(Coverage::None, &[], &[]),
        );
        assert_eq!(none.as_deref(), Some("no MFA policy applies"));
        let out = flags_covered(
            &MfaNotEnforced,
            |_| {},
            false,
            verdict(
                Coverage::None,
                &[],
                &[("CA001", "excluded by group Break glass")],
            ),
        );
        assert!(out.is_some_and(|d| d.contains("CA001 (excluded by group Break glass)")));
    }

    #[test]
    fn near_miss_partial_unknown_or_enforced() {
        for c in [Coverage::Partial, Coverage::Unknown, Coverage::Enforced] {
            assert_eq!(
                flags_covered(&MfaNotEnforced, |_| {}, false, verdict(c, &[], &[])),
                None,
                "{c:?}"
            );
        }
    }
}
