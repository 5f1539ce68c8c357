//! Enforcement coverage for a whole tenant: evaluates every account, with its memberships
//! (`directory.rs`), against the policies, and lists policy references to ids found in no input
//! as input issues.

use std::collections::{BTreeMap, BTreeSet};

use crate::input::ca_policy::{State, Strength};
use crate::input::groups::Memberships;
use crate::input::policies::PolicySet;
use crate::input::records::PerUserState;
use crate::tenant::accounts::Account;
use crate::tenant::coverage::{Subject, Verdict, evaluate};
use crate::tenant::directory::Membership;
use crate::tenant::strengths::{self, Outcome, Resolved};

/// Coverage inputs; `groups` is `None` when no membership input was given.
#[derive(Debug, Clone, Copy)]
pub struct CoverageInputs<'a> {
    pub policies: &'a PolicySet,
    /// The strengths export (custom strengths referenced by id).
    pub strengths: &'a [Strength],
    pub groups: Option<&'a Memberships>,
    /// Group ids the membership inputs list (display names resolved).
    pub known_groups: &'a BTreeSet<String>,
}

/// One account's verdict, in the order of the accounts given.
#[derive(Debug, Clone)]
pub struct Row {
    pub upn: String,
    pub id: String,
    pub admin: bool,
    pub in_scope: bool,
    pub verdict: Verdict,
    /// Every policy requiring an authentication strength that applies to the account (enabled
    /// or report-only), with the outcome.
    pub strengths: Vec<StrengthResult>,
}

/// One strength policy's outcome for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrengthResult {
    pub policy: String,
    pub report_only: bool,
    pub outcome: Outcome,
}

/// A policy's reference to a user or group id that no input knows.
#[derive(Debug, Clone)]
pub struct PolicyReference {
    pub file: String,
    pub column: &'static str,
    pub id: String,
    pub problem: String,
}

/// Evaluates every account (its memberships parallel to `accounts`); returns the rows and the
/// policy references no input knows.
pub fn compute(
    accounts: &[Account],
    inp: &CoverageInputs<'_>,
    members: &[Membership],
) -> (Vec<Row>, Vec<PolicyReference>) {
    let known_users: BTreeSet<String> = accounts
        .iter()
        .filter_map(|a| a.id.as_deref().map(str::to_ascii_lowercase))
        .collect();
    let mut issues = unknown_references(inp, &known_users);
    let strengths = strength_policies(inp, &mut issues);
    let rows = accounts
        .iter()
        .zip(members)
        .map(|(a, m)| {
            let subject = Subject {
                id: a.id.clone(),
                guest: a.guest,
                per_user_mfa: matches!(
                    a.per_user_state,
                    Some(PerUserState::Enabled | PerUserState::Enforced)
                ),
                groups: m.groups.clone(),
                roles: m.roles.clone(),
            };
            let verdict = evaluate(
                &subject,
                &inp.policies.policies,
                inp.policies.security_defaults == Some(true),
            );
            Row {
                upn: a.upn.clone(),
                id: a.id.clone().unwrap_or_default(),
                admin: a.is_admin == Some(true) || m.roles.as_ref().is_some_and(|r| !r.is_empty()),
                in_scope: a.in_scope,
                strengths: strength_results(a, &verdict, &strengths),
                verdict,
            }
        })
        .collect();
    (rows, issues)
}

/// A policy requiring a strength, resolved: its name, whether it is report-only, and the
/// strength (`Err` when the strength was referenced but found in no input).
type StrengthPolicy = (String, bool, Result<Resolved, String>);

/// The enabled and report-only policies that require a strength, resolved; a strength found in
/// no input, or a mode this tool does not know, is an input issue naming the policy.
fn strength_policies(
    inp: &CoverageInputs<'_>,
    issues: &mut Vec<PolicyReference>,
) -> Vec<StrengthPolicy> {
    let mut out = Vec::new();
    for p in &inp.policies.policies {
        if !matches!(p.state, Some(State::Enabled | State::ReportOnly)) {
            continue;
        }
        let Some(r) = strengths::resolve(p, inp.strengths) else {
            continue;
        };
        let name = if p.display_name.is_empty() {
            p.id.clone()
        } else {
            p.display_name.clone()
        };
        let mut note = |problem: String| {
            issues.push(PolicyReference {
                file: p.source.clone(),
                column: "grantControls.authenticationStrength",
                id: p
                    .strength
                    .as_ref()
                    .map(|s| s.id.clone())
                    .unwrap_or_default(),
                problem,
            })
        };
        match &r {
            Err(e) => note(format!(
                "policy {name:?}: {e}; its effect on the accounts it applies to is unknown"
            )),
            Ok(s) if !s.unknown_modes.is_empty() => note(format!(
                "policy {name:?}: strength {} has modes this tool does not know ({}): a combination holding one is never met",
                s.name,
                s.unknown_modes.join(", ")
            )),
            Ok(_) => {}
        }
        out.push((name, p.state == Some(State::ReportOnly), r));
    }
    out
}

/// The strength outcome of every strength policy that applies to the account (its verdict
/// names it as enforcing or narrowing); a policy whose effect is unknown is unknown.
fn strength_results(a: &Account, v: &Verdict, policies: &[StrengthPolicy]) -> Vec<StrengthResult> {
    let named =
        |list: &[crate::tenant::coverage::Effect], n: &str| list.iter().any(|e| e.policy == n);
    policies
        .iter()
        .filter_map(|(name, report_only, r)| {
            let applies = named(&v.enforced_by, name) || named(&v.partial_by, name);
            let undecided = named(&v.unknown_because, name);
            let outcome = match r {
                _ if undecided => Outcome::Unknown("memberships needed to decide".into()),
                _ if !applies => return None,
                Err(e) => Outcome::Unknown(e.clone()),
                Ok(s) => strengths::check(a, s),
            };
            Some(StrengthResult {
                policy: name.clone(),
                report_only: *report_only,
                outcome,
            })
        })
        .collect()
}

/// Users and groups that policies name but no input holds (deleted objects, or a membership
/// export that misses them).
fn unknown_references(
    inp: &CoverageInputs<'_>,
    known_users: &BTreeSet<String>,
) -> Vec<PolicyReference> {
    let mut issues = Vec::new();
    let (groups, known_groups) = (inp.groups, inp.known_groups);
    for p in &inp.policies.policies {
        let name = if p.display_name.is_empty() {
            &p.id
        } else {
            &p.display_name
        };
        let users = [
            ("conditions.users.includeUsers", &p.include_users),
            ("conditions.users.excludeUsers", &p.exclude_users),
        ];
        for (column, list) in users {
            for u in list {
                let l = u.to_ascii_lowercase();
                if !["all", "none", "guestsorexternalusers"].contains(&l.as_str())
                    && !known_users.contains(&l)
                {
                    issues.push(PolicyReference {
                        file: p.source.clone(),
                        column,
                        id: u.clone(),
                        problem: format!(
                            "policy {name:?} names user {u}, found in no input (a deleted object?)"
                        ),
                    });
                }
            }
        }
        if groups.is_some() {
            let lists = [
                ("conditions.users.includeGroups", &p.include_groups),
                ("conditions.users.excludeGroups", &p.exclude_groups),
            ];
            for (column, list) in lists {
                for g in list {
                    if !known_groups.contains(&g.to_ascii_lowercase()) {
                        issues.push(PolicyReference {
                            file: p.source.clone(),
                            column,
                            id: g.clone(),
                            problem: format!(
                                "policy {name:?} names group {g}, found in no membership input: treated as deleted (no members)"
                            ),
                        });
                    }
                }
            }
        }
    }
    issues
}

/// Coverage counts for summary.json: all accounts and admins, by coverage value.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageSummary {
    pub accounts: BTreeMap<&'static str, usize>,
    pub admins: BTreeMap<&'static str, usize>,
    /// Policy references to users or groups found in no input.
    pub policy_reference_issues: Vec<String>,
    /// Per policy requiring an authentication strength: the in-scope accounts it applies to
    /// that cannot meet it ("would block N accounts today"; report-only policies included).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub strength_unmet: BTreeMap<String, usize>,
}

/// Counts per coverage value (every value present, zero included).
pub fn summarize(rows: &[Row], issues: &[PolicyReference]) -> CoverageSummary {
    use crate::tenant::coverage::Coverage;
    let all = [
        Coverage::Enforced,
        Coverage::Partial,
        Coverage::Unknown,
        Coverage::None,
    ];
    let count = |admin_only: bool| {
        all.iter()
            .map(|c| {
                let n = rows
                    .iter()
                    .filter(|r| r.verdict.coverage == *c && (!admin_only || r.admin))
                    .count();
                (c.as_str(), n)
            })
            .collect()
    };
    CoverageSummary {
        accounts: count(false),
        admins: count(true),
        policy_reference_issues: issues.iter().map(|i| i.problem.clone()).collect(),
        strength_unmet: strength_counts(rows),
    }
}

/// In-scope accounts per strength policy that cannot meet its strength (every strength policy
/// that applies to someone is listed, 0 included).
fn strength_counts(rows: &[Row]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in rows.iter().filter(|r| r.in_scope) {
        for s in &r.strengths {
            let n = out.entry(s.policy.clone()).or_insert(0);
            *n += usize::from(matches!(s.outcome, Outcome::Unmet(_)));
        }
    }
    out
}
