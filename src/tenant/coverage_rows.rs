//! Enforcement coverage for a whole tenant: joins the accounts with group memberships and role
//! assignments (groups as role principals, nesting expanded), evaluates every account against the
//! policies, and lists policy references to ids found in no input as input issues.

use std::collections::{BTreeMap, BTreeSet};

use crate::input::groups::Memberships;
use crate::input::groups::transitive_groups;
use crate::input::policies::PolicySet;
use crate::input::records::PerUserState;
use crate::input::roles::RoleAssignments;
use crate::tenant::accounts::Account;
use crate::tenant::coverage::{Subject, Verdict, evaluate};

/// Coverage inputs; `groups`/`roles` are `None` when no such input was given.
#[derive(Debug, Default, Clone)]
pub struct CoverageInputs {
    pub policies: PolicySet,
    pub groups: Option<Memberships>,
    pub roles: Option<RoleAssignments>,
}

/// One account's verdict, in the order of the accounts given.
#[derive(Debug, Clone)]
pub struct Row {
    pub upn: String,
    pub id: String,
    pub admin: bool,
    pub verdict: Verdict,
}

/// A policy's reference to a user or group id that no input knows.
#[derive(Debug, Clone)]
pub struct PolicyReference {
    pub file: String,
    pub column: &'static str,
    pub id: String,
    pub problem: String,
}

/// Evaluates every account; returns the rows and the policy references no input knows.
pub fn compute(accounts: &[Account], inp: &CoverageInputs) -> (Vec<Row>, Vec<PolicyReference>) {
    let groups = inp.groups.as_ref();
    // Group display names resolve to ids where the membership input carried both.
    let names: BTreeMap<&str, &str> = groups
        .map(|g| {
            g.names
                .iter()
                .map(|(n, i)| (n.as_str(), i.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let edges: Vec<(String, String)> = groups
        .map(|g| {
            g.edges
                .iter()
                .map(|(a, b)| {
                    (
                        names.get(a.as_str()).map_or(a.clone(), |s| s.to_string()),
                        b.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let known_groups: BTreeSet<&str> = edges.iter().map(|(g, _)| g.as_str()).collect();
    let known_users: BTreeSet<String> = accounts
        .iter()
        .filter_map(|a| a.id.as_deref().map(str::to_ascii_lowercase))
        .collect();
    let issues = unknown_references(inp, &known_users, &known_groups);
    let rows = accounts
        .iter()
        .map(|a| {
            let keys: Vec<String> =
                a.id.iter()
                    .map(|i| i.to_ascii_lowercase())
                    .chain(std::iter::once(a.upn_lower.clone()))
                    .collect();
            let mut my_groups = BTreeSet::new();
            for k in &keys {
                my_groups.extend(transitive_groups(&edges, k));
            }
            let roles = inp.roles.as_ref().map(|r| {
                r.pairs
                    .iter()
                    .filter(|(p, _)| keys.contains(p) || my_groups.contains(p))
                    .map(|(_, role)| role.clone())
                    .collect::<BTreeSet<String>>()
            });
            let subject = Subject {
                id: a.id.clone(),
                guest: a.guest,
                per_user_mfa: matches!(
                    a.per_user_state,
                    Some(PerUserState::Enabled | PerUserState::Enforced)
                ),
                groups: groups.map(|_| my_groups.clone()),
                roles: roles.clone(),
            };
            let verdict = evaluate(
                &subject,
                &inp.policies.policies,
                inp.policies.security_defaults == Some(true),
            );
            Row {
                upn: a.upn.clone(),
                id: a.id.clone().unwrap_or_default(),
                admin: a.is_admin == Some(true) || roles.is_some_and(|r| !r.is_empty()),
                verdict,
            }
        })
        .collect();
    (rows, issues)
}

/// Reads the coverage inputs named on the command line; `None` without a policies input.
/// Errors (not valid JSON, unreadable, missing columns) name the file and exit 2.
pub fn load(
    policies: &[std::path::PathBuf],
    groups: &[std::path::PathBuf],
    group_members: &[String],
    roles: &[std::path::PathBuf],
) -> Result<Option<CoverageInputs>, crate::error::Error> {
    if policies.is_empty() {
        return Ok(None);
    }
    let usage = crate::error::Error::Usage;
    let mut set = PolicySet::default();
    for p in policies {
        crate::input::policies::read_path(p, &mut set).map_err(usage)?;
    }
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| usage(format!("{}: cannot read: {e}", p.display())))
    };
    let mut m = Memberships::default();
    for g in groups {
        crate::input::groups::read(&g.display().to_string(), &read(g)?, None, &mut m)
            .map_err(usage)?;
    }
    for gm in group_members {
        let Some((group, file)) = gm.split_once('=') else {
            return Err(usage(format!(
                "--group-members {gm}: expected GROUP=FILE (group id or name, then the members download)"
            )));
        };
        let path = std::path::Path::new(file);
        crate::input::groups::read(file, &read(path)?, Some(group), &mut m).map_err(usage)?;
    }
    let mut r = RoleAssignments::default();
    for f in roles {
        crate::input::roles::read(&f.display().to_string(), &read(f)?, &mut r).map_err(usage)?;
    }
    Ok(Some(CoverageInputs {
        policies: set,
        groups: (!groups.is_empty() || !group_members.is_empty()).then_some(m),
        roles: (!roles.is_empty()).then_some(r),
    }))
}

/// Users and groups that policies name but no input holds (deleted objects, or a membership
/// export that misses them).
fn unknown_references(
    inp: &CoverageInputs,
    known_users: &BTreeSet<String>,
    known_groups: &BTreeSet<&str>,
) -> Vec<PolicyReference> {
    let mut issues = Vec::new();
    let groups = inp.groups.as_ref();
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
                    if !known_groups.contains(g.to_ascii_lowercase().as_str()) {
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
    }
}
