//! `strength-not-met`: an enabled Conditional Access policy that applies to the account requires
//! an authentication strength the account cannot meet with the methods it may use.

use super::{Code, Ctx, Explain, Rule, Severity, coverage_ready};
use crate::tenant::accounts::Account;
use crate::tenant::strengths::Outcome;

pub struct StrengthNotMet;

impl Rule for StrengthNotMet {
    fn code(&self) -> Code {
        Code::StrengthNotMet
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn severity_in(&self, ctx: &Ctx<'_>, i: usize, _a: &Account) -> Severity {
        let admin = ctx.coverage.and_then(|c| c.get(i)).is_some_and(|r| r.admin);
        if admin {
            Severity::Critical
        } else {
            Severity::High
        }
    }
    fn needs(&self) -> &'static str {
        "Conditional Access policies (with their authentication strengths) and method lists"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "An enabled Conditional Access policy that applies to the account requires an authentication strength, and no combination the strength allows is among the methods the account may use. High; critical for admins.",
            why: "At sign-in the account is sent to register a method the strength accepts; Windows Hello, certificates and (unless the strength says so) passkeys cannot be registered from that interrupt, so the account is locked out of what the policy protects. Report-only policies are previewed in coverage.csv's strengthUnmet column instead.",
            fix: "Before the policy is enforced, have the account register a method the strength allows (a passkey or FIDO2 key for phishing-resistant MFA; a temporary access pass gets it there), or exclude it on purpose and document the exclusion.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        coverage_ready(ctx)
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, _a: &Account) -> Option<String> {
        let row = ctx.coverage?.get(i)?;
        let unmet: Vec<String> = row
            .strengths
            .iter()
            .filter(|s| !s.report_only)
            .filter_map(|s| match &s.outcome {
                Outcome::Unmet(why) => Some(format!("{} ({why})", s.policy)),
                _ => None,
            })
            .collect();
        (!unmet.is_empty()).then(|| format!("strength not met: {}", unmet.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::StrengthNotMet;
    use crate::rules::testing::{account, ctx};
    use crate::rules::{Rule, Severity};
    use crate::tenant::coverage::{Coverage, Verdict};
    use crate::tenant::coverage_rows::{Row, StrengthResult};
    use crate::tenant::strengths::Outcome;

    fn row(admin: bool, results: Vec<StrengthResult>) -> Row {
        Row {
            upn: "a@contoso.com".into(),
            id: String::new(),
            admin,
            in_scope: true,
            verdict: Verdict {
                coverage: Coverage::Enforced,
                enforced_by: vec![],
                partial_by: vec![],
                excluded_by: vec![],
                unknown_because: vec![],
            },
            strengths: results,
        }
    }

    fn result(policy: &str, report_only: bool, outcome: Outcome) -> StrengthResult {
        StrengthResult {
            policy: policy.into(),
            report_only,
            outcome,
        }
    }

    fn run(r: Row) -> (Option<String>, Severity) {
        let accounts = vec![account("a@contoso.com")];
        let rows = vec![r];
        let mut c = ctx(&accounts);
        c.coverage = Some(&rows);
        assert!(StrengthNotMet.ready(&c).is_ok());
        (
            StrengthNotMet.flag(&c, 0, &accounts[0]),
            StrengthNotMet.severity_in(&c, 0, &accounts[0]),
        )
    }

    #[test]
    fn flags_an_unmet_enabled_strength_critical_for_admins() {
        let unmet = Outcome::Unmet("needs fido2; has sms".into());
        let (d, sev) = run(row(
            true,
            vec![result(
                "CA006 Phishing-resistant admins",
                false,
                unmet.clone(),
            )],
        ));
        assert!(d.is_some_and(|d| d.contains("CA006") && d.contains("needs fido2")));
        assert_eq!(sev, Severity::Critical);
        let (_, sev) = run(row(false, vec![result("Custom", false, unmet)]));
        assert_eq!(sev, Severity::High);
    }

    #[test]
    fn near_miss_report_only_met_or_unknown() {
        let unmet = Outcome::Unmet("needs fido2; has sms".into());
        assert_eq!(
            run(row(false, vec![result("Preview", true, unmet)])).0,
            None
        );
        assert_eq!(
            run(row(false, vec![result("P", false, Outcome::Met)])).0,
            None
        );
        assert_eq!(
            run(row(
                false,
                vec![result(
                    "P",
                    false,
                    Outcome::Unknown("no method list".into())
                )]
            ))
            .0,
            None
        );
    }
}
