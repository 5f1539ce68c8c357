//! Enforcement coverage by Conditional Access, evaluated offline: decides per account whether
//! MFA is `enforced`, `partial`, `unknown` or `none` from the parsed policies
//! (`input/ca_policy.rs`), naming every policy that enforces, narrows or excludes.

use std::collections::BTreeSet;

use crate::input::ca_policy::{Policy, State, has};

/// Coverage of one account, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    Enforced,
    Partial,
    Unknown,
    None,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Enforced => "enforced",
            Coverage::Partial => "partial",
            Coverage::Unknown => "unknown",
            Coverage::None => "none",
        }
    }
}

/// What is known about one account for the evaluation. Ids are compared case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub id: Option<String>,
    pub guest: bool,
    /// Per-user MFA state is Enabled or Enforced.
    pub per_user_mfa: bool,
    /// Transitive group ids; `None` = no membership input was given.
    pub groups: Option<BTreeSet<String>>,
    /// Tenant-wide role template ids; `None` = no role-assignment input was given.
    pub roles: Option<BTreeSet<String>>,
}

/// One policy's effect on one account, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub policy: String,
    pub reason: String,
}

/// The coverage of one account and every policy that counts for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub coverage: Coverage,
    pub enforced_by: Vec<Effect>,
    pub partial_by: Vec<Effect>,
    pub excluded_by: Vec<Effect>,
    pub unknown_because: Vec<Effect>,
}

/// Does a list match the subject? `Some(true/false)` when decidable, `None` when the membership
/// input needed is missing (the name of that input in the error).
fn member(list: &[String], of: Option<&BTreeSet<String>>) -> Result<bool, ()> {
    if list.is_empty() {
        return Ok(false);
    }
    match of {
        None => Err(()),
        Some(set) => Ok(list.iter().any(|g| set.contains(&g.to_ascii_lowercase()))),
    }
}

fn lower_set(s: &Option<BTreeSet<String>>) -> Option<BTreeSet<String>> {
    s.as_ref()
        .map(|s| s.iter().map(|x| x.to_ascii_lowercase()).collect())
}

/// Evaluates every policy for one account. `security_defaults` = the security-defaults policy
/// is enabled (counts only when no CA policy exists).
pub fn evaluate(subject: &Subject, policies: &[Policy], security_defaults: bool) -> Verdict {
    let mut v = Verdict {
        coverage: Coverage::None,
        enforced_by: Vec::new(),
        partial_by: Vec::new(),
        excluded_by: Vec::new(),
        unknown_because: Vec::new(),
    };
    if subject.per_user_mfa {
        v.enforced_by.push(Effect {
            policy: "per-user MFA".into(),
            reason: "per-user MFA state Enabled/Enforced".into(),
        });
    }
    if security_defaults && policies.is_empty() {
        v.enforced_by.push(Effect {
            policy: "security defaults".into(),
            reason: "security defaults enabled".into(),
        });
    }
    let groups = lower_set(&subject.groups);
    let roles = lower_set(&subject.roles);
    for p in policies {
        if p.state == Some(State::Disabled) || p.state.is_none() || p.not_mfa.is_some() {
            continue;
        }
        match policy_effect(subject, p, groups.as_ref(), roles.as_ref()) {
            Some((Bucket::Enforced, e)) => v.enforced_by.push(e),
            Some((Bucket::Partial, e)) => v.partial_by.push(e),
            Some((Bucket::Excluded, e)) => v.excluded_by.push(e),
            Some((Bucket::Unknown, e)) => v.unknown_because.push(e),
            None => {}
        }
    }
    v.coverage = if !v.enforced_by.is_empty() {
        Coverage::Enforced
    } else if !v.partial_by.is_empty() {
        Coverage::Partial
    } else if !v.unknown_because.is_empty() {
        Coverage::Unknown
    } else {
        Coverage::None
    };
    v
}

/// Where one policy's effect on an account goes in its verdict.
enum Bucket {
    Enforced,
    Partial,
    Excluded,
    Unknown,
}

/// What one enabled (or report-only) MFA policy does for an account: enforces, partially
/// enforces, excludes it, cannot be decided without group or role input, or does not apply.
fn policy_effect(
    subject: &Subject,
    p: &Policy,
    groups: Option<&BTreeSet<String>>,
    roles: Option<&BTreeSet<String>>,
) -> Option<(Bucket, Effect)> {
    let id = subject.id.as_deref().unwrap_or("");
    let name = if p.display_name.is_empty() {
        p.id.clone()
    } else {
        p.display_name.clone()
    };
    let user_in = |l: &[String]| !id.is_empty() && l.iter().any(|u| u.eq_ignore_ascii_case(id));
    let mut missing = Vec::new();
    let by =
        |l: &[String], set: Option<&BTreeSet<String>>, what: &str, missing: &mut Vec<String>| {
            member(l, set).unwrap_or_else(|()| {
                missing.push(what.to_string());
                false
            })
        };
    let inc_direct = has(&p.include_users, "All")
        || user_in(&p.include_users)
        || (p.include_guests && subject.guest);
    let inc_group = by(&p.include_groups, groups, "group memberships", &mut missing);
    let inc_role = by(&p.include_roles, roles, "role assignments", &mut missing);
    let included_missing = !missing.is_empty();
    let exc_user = user_in(&p.exclude_users) || (p.exclude_guests && subject.guest);
    let exc_group = by(&p.exclude_groups, groups, "group memberships", &mut missing);
    let exc_role = by(&p.exclude_roles, roles, "role assignments", &mut missing);
    let included = inc_direct || inc_group || inc_role;
    let excluded = exc_user || exc_group || exc_role;
    if excluded && !(included || included_missing) {
        // Excluded from a policy that would not apply anyway: nothing to report.
        return None;
    }
    if excluded {
        let how = if exc_user {
            if user_in(&p.exclude_users) {
                "excluded by user"
            } else {
                "excluded as guest"
            }
        } else if exc_group {
            "excluded by group"
        } else {
            "excluded by role"
        };
        let report_only = p.state == Some(State::ReportOnly);
        let reason = if report_only {
            format!("{how}, report-only policy")
        } else {
            how.to_string()
        };
        return Some((
            Bucket::Excluded,
            Effect {
                policy: name,
                reason,
            },
        ));
    }
    if !missing.is_empty() && (included || included_missing) {
        missing.dedup();
        let reason = format!("needs {}", missing.join(" and "));
        return Some((
            Bucket::Unknown,
            Effect {
                policy: name,
                reason,
            },
        ));
    }
    if !included {
        return None;
    }
    Some(if p.narrowing.is_empty() {
        let reason = "requires MFA for all apps".into();
        (
            Bucket::Enforced,
            Effect {
                policy: name,
                reason,
            },
        )
    } else {
        let reason = p.narrowing.join(", ");
        (
            Bucket::Partial,
            Effect {
                policy: name,
                reason,
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ca_policy::parse_policy;
    use crate::input::groups::transitive_groups;
    use serde_json::Value;
    use serde_json::json;

    const U: &str = "11111111-1111-1111-1111-111111111111";
    const G: &str = "22222222-2222-2222-2222-222222222222";
    const GA: &str = "62e90394-69f5-4237-9190-012177145e10";

    fn pol(extra: Value) -> Policy {
        let mut base = json!({
            "id": "p1", "displayName": "Require MFA", "state": "enabled",
            "conditions": {"users": {"includeUsers": ["All"]},
                           "applications": {"includeApplications": ["All"]},
                           "clientAppTypes": ["all"]},
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
        });
        merge(&mut base, extra);
        parse_policy(&base).unwrap()
    }
    fn merge(a: &mut Value, b: Value) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }
    fn user() -> Subject {
        Subject {
            id: Some(U.into()),
            groups: Some(BTreeSet::new()),
            roles: Some(BTreeSet::new()),
            ..Default::default()
        }
    }
    fn cov(s: &Subject, p: Policy) -> Coverage {
        evaluate(s, &[p], false).coverage
    }

    #[test]
    fn full_policy_enforces_and_none_without_policies() {
        assert_eq!(cov(&user(), pol(json!({}))), Coverage::Enforced);
        assert_eq!(evaluate(&user(), &[], false).coverage, Coverage::None);
    }

    #[test]
    fn every_narrowing_condition_is_partial() {
        let cases = [
            (
                json!({"conditions": {"applications": {"includeApplications": ["Office365"]}}}),
                "Office365 only",
            ),
            (
                json!({"conditions": {"applications": {"excludeApplications": ["app"]}}}),
                "excludes applications",
            ),
            (
                json!({"conditions": {"clientAppTypes": ["browser"]}}),
                "client apps browser only",
            ),
            (
                json!({"conditions": {"platforms": {"includePlatforms": ["android"]}}}),
                "platforms android only",
            ),
            (
                json!({"conditions": {"platforms": {"includePlatforms": ["all"], "excludePlatforms": ["iOS"]}}}),
                "excludes platforms",
            ),
            (
                json!({"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}}),
                "excludes trusted locations",
            ),
            (
                json!({"conditions": {"signInRiskLevels": ["high"]}}),
                "risk-based",
            ),
            (
                json!({"conditions": {"userRiskLevels": ["high"]}}),
                "risk-based",
            ),
            (
                json!({"conditions": {"insiderRiskLevels": "elevated"}}),
                "risk-based",
            ),
            (
                json!({"conditions": {"devices": {"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}}}}),
                "device filter",
            ),
            (
                json!({"state": "enabledForReportingButNotEnforced"}),
                "report-only",
            ),
            (
                json!({"grantControls": {"builtInControls": ["mfa", "compliantDevice"]}}),
                "MFA or compliantDevice",
            ),
        ];
        for (extra, why) in cases {
            let v = evaluate(&user(), &[pol(extra.clone())], false);
            assert_eq!(v.coverage, Coverage::Partial, "{extra}");
            assert!(
                v.partial_by[0].reason.contains(why),
                "{extra}: {:?}",
                v.partial_by
            );
        }
        // Non-narrowing forms: include All with empty exclude, AND with device.
        for extra in [
            json!({"conditions": {"platforms": {"includePlatforms": ["all"], "excludePlatforms": []}}}),
            json!({"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": []}}}),
            json!({"conditions": {"clientAppTypes": []}}),
            json!({"grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}}),
            json!({"grantControls": {"builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002"}}}),
        ] {
            assert_eq!(
                cov(&user(), pol(extra.clone())),
                Coverage::Enforced,
                "{extra}"
            );
        }
    }

    #[test]
    fn block_password_change_user_actions_and_disabled_are_not_coverage() {
        for extra in [
            json!({"grantControls": {"builtInControls": ["block"]}}),
            json!({"grantControls": {"builtInControls": ["passwordChange"]}}),
            json!({"grantControls": {"builtInControls": ["compliantDevice"]}}),
            json!({"conditions": {"applications": {"includeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]}}}),
            json!({"state": "disabled"}),
        ] {
            assert_eq!(cov(&user(), pol(extra.clone())), Coverage::None, "{extra}");
        }
    }

    #[test]
    fn guests_are_included_and_excluded() {
        let guest = Subject {
            guest: true,
            ..user()
        };
        let only_guests =
            json!({"conditions": {"users": {"includeUsers": ["GuestsOrExternalUsers"]}}});
        assert_eq!(cov(&guest, pol(only_guests.clone())), Coverage::Enforced);
        assert_eq!(cov(&user(), pol(only_guests)), Coverage::None);
        let typed = json!({"conditions": {"users": {"includeUsers": [], "includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest,internalGuest"}}}});
        assert_eq!(cov(&guest, pol(typed)), Coverage::Enforced);
        let exc = json!({"conditions": {"users": {"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest"}}}});
        assert_eq!(cov(&guest, pol(exc.clone())), Coverage::None);
        assert_eq!(cov(&user(), pol(exc)), Coverage::Enforced);
    }

    #[test]
    fn exclusion_by_user_group_and_role_wins() {
        let by_user = evaluate(
            &user(),
            &[pol(
                json!({"conditions": {"users": {"excludeUsers": [U.to_uppercase()]}}}),
            )],
            false,
        );
        assert_eq!(by_user.coverage, Coverage::None);
        assert_eq!(by_user.excluded_by[0].reason, "excluded by user");
        let in_group = Subject {
            groups: Some([G.to_string()].into()),
            ..user()
        };
        let by_group = evaluate(
            &in_group,
            &[pol(
                json!({"conditions": {"users": {"excludeGroups": [G]}}}),
            )],
            false,
        );
        assert_eq!(by_group.excluded_by[0].reason, "excluded by group");
        assert_eq!(
            cov(
                &user(),
                pol(json!({"conditions": {"users": {"excludeGroups": [G]}}}))
            ),
            Coverage::Enforced
        );
        let admin = Subject {
            roles: Some([GA.to_string()].into()),
            ..user()
        };
        let by_role = evaluate(
            &admin,
            &[pol(
                json!({"conditions": {"users": {"excludeRoles": [GA]}}}),
            )],
            false,
        );
        assert_eq!(by_role.excluded_by[0].reason, "excluded by role");
        assert_eq!(by_role.coverage, Coverage::None);
    }

    #[test]
    fn include_by_role_and_nested_group_with_a_cycle() {
        let admins = json!({"conditions": {"users": {"includeUsers": [], "includeRoles": [GA]}}});
        let admin = Subject {
            roles: Some([GA.to_string()].into()),
            ..user()
        };
        assert_eq!(cov(&admin, pol(admins.clone())), Coverage::Enforced);
        assert_eq!(cov(&user(), pol(admins)), Coverage::None);
        // U in "inner", inner in G, G in inner (a cycle).
        let edges = vec![
            ("inner".to_string(), U.to_string()),
            (G.to_string(), "inner".to_string()),
            ("inner".to_string(), G.to_string()),
        ];
        let groups = transitive_groups(&edges, U);
        assert_eq!(groups, ["inner".to_string(), G.to_string()].into());
        let s = Subject {
            groups: Some(groups),
            ..user()
        };
        let by_group = json!({"conditions": {"users": {"includeUsers": [], "includeGroups": [G]}}});
        assert_eq!(cov(&s, pol(by_group.clone())), Coverage::Enforced);
        assert_eq!(cov(&user(), pol(by_group)), Coverage::None);
    }

    #[test]
    fn missing_membership_input_is_unknown() {
        let no_groups = Subject {
            groups: None,
            ..user()
        };
        let v = evaluate(
            &no_groups,
            &[pol(
                json!({"conditions": {"users": {"includeUsers": [], "includeGroups": [G]}}}),
            )],
            false,
        );
        assert_eq!(v.coverage, Coverage::Unknown);
        assert_eq!(v.unknown_because[0].reason, "needs group memberships");
        // Exclusion by a group nobody can check also makes an All policy unknown.
        let v = evaluate(
            &no_groups,
            &[pol(
                json!({"conditions": {"users": {"excludeGroups": [G]}}}),
            )],
            false,
        );
        assert_eq!(v.coverage, Coverage::Unknown);
        // A known full policy still wins over an unknown one.
        let v = evaluate(
            &no_groups,
            &[
                pol(json!({"conditions": {"users": {"excludeGroups": [G]}}})),
                pol(json!({})),
            ],
            false,
        );
        assert_eq!(v.coverage, Coverage::Enforced);
    }

    #[test]
    fn per_user_state_and_security_defaults() {
        let s = Subject {
            per_user_mfa: true,
            ..user()
        };
        assert_eq!(evaluate(&s, &[], false).coverage, Coverage::Enforced);
        assert_eq!(evaluate(&user(), &[], true).coverage, Coverage::Enforced);
        // Security defaults do not count next to CA policies.
        let off = pol(json!({"state": "disabled"}));
        assert_eq!(evaluate(&user(), &[off], true).coverage, Coverage::None);
    }

    #[test]
    fn pascal_case_keys_and_annotations_are_read() {
        let p = parse_policy(&json!({
            "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
            "Id": "x", "DisplayName": "Pascal", "State": "enabled",
            "Conditions": {"Users": {"IncludeUsers": ["All"], "excludeUsers@odata.type": "#Collection(String)"},
                           "Applications": {"IncludeApplications": ["All"]}},
            "GrantControls": {"Operator": "OR", "BuiltInControls": ["mfa"]}
        }))
        .unwrap();
        assert_eq!(p.display_name, "Pascal");
        assert_eq!(cov(&user(), p), Coverage::Enforced);
        assert!(parse_policy(&json!({"state": "on"})).is_err());
    }
}
