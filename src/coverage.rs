//! Enforcement coverage by Conditional Access, evaluated offline: parses CA policy JSON (any key
//! case, `@odata` annotations ignored) into a `Policy`, and decides per account whether MFA is
//! `enforced`, `partial`, `unknown` or `none`, naming every policy that enforces, narrows or excludes.

use serde_json::Value;
use std::collections::BTreeSet;

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

/// Policy state as exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Enabled,
    ReportOnly,
    Disabled,
}

/// The parts of a CA policy that decide MFA coverage.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The file the policy was read from (for input issues).
    pub source: String,
    pub id: String,
    pub display_name: String,
    pub state: Option<State>,
    pub include_users: Vec<String>,
    pub exclude_users: Vec<String>,
    pub include_groups: Vec<String>,
    pub exclude_groups: Vec<String>,
    pub include_roles: Vec<String>,
    pub exclude_roles: Vec<String>,
    pub include_guests: bool,
    pub exclude_guests: bool,
    /// Reasons the policy does not require MFA at all (block, password change only, ...).
    pub not_mfa: Option<String>,
    /// Reasons the policy's MFA requirement is narrowed; empty = full.
    pub narrowing: Vec<String>,
}

/// Looks up `key` in a JSON object case-insensitively, skipping `@odata` annotations.
fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let o = v.as_object()?;
    o.get(key)
        .or_else(|| {
            o.iter()
                .find(|(k, _)| !k.contains('@') && k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null())
}

fn path<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(v, |v, k| get(v, k))
}

/// A list of strings; a comma-joined string is split too.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn has(list: &[String], word: &str) -> bool {
    list.iter().any(|s| s.eq_ignore_ascii_case(word))
}

/// Errors in a policy object: the message says what was found and what was expected.
pub fn parse_policy(v: &Value) -> Result<Policy, String> {
    if !v.is_object() {
        return Err(format!("expected a policy object, found {v}"));
    }
    let s = |k: &str| get(v, k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let id = s("id");
    let display_name = s("displayName");
    let state = parse_state(&s("state"), &display_name)?;
    let users = path(v, &["conditions", "users"]);
    let ul = |k: &str| strings(users.and_then(|u| get(u, k)));
    let include_users = ul("includeUsers");
    let exclude_users = ul("excludeUsers");
    let include_guests = has(&include_users, "GuestsOrExternalUsers")
        || users
            .and_then(|u| get(u, "includeGuestsOrExternalUsers"))
            .is_some();
    let exclude_guests = has(&exclude_users, "GuestsOrExternalUsers")
        || users
            .and_then(|u| get(u, "excludeGuestsOrExternalUsers"))
            .is_some();

    let apps = path(v, &["conditions", "applications"]);
    let al = |k: &str| strings(apps.and_then(|u| get(u, k)));
    let include_apps = al("includeApplications");
    let exclude_apps = al("excludeApplications");
    let user_actions = al("includeUserActions");

    let (not_mfa, mut narrowing) = grant_effect(v, &include_apps, &user_actions);
    if state == Some(State::ReportOnly) {
        narrowing.push("report-only".into());
    }
    if !has(&include_apps, "All") {
        let named: Vec<&str> = include_apps.iter().map(|s| s.as_str()).collect();
        narrowing.push(if named.is_empty() {
            "no applications".into()
        } else {
            format!("{} only", named.join(", "))
        });
    }
    if !exclude_apps.is_empty() {
        narrowing.push(format!("excludes applications {}", exclude_apps.join(", ")));
    }
    narrowing.extend(condition_narrowing(get(v, "conditions")));
    Ok(Policy {
        source: String::new(),
        id,
        display_name,
        state,
        include_users,
        exclude_users,
        include_groups: ul("includeGroups"),
        exclude_groups: ul("excludeGroups"),
        include_roles: ul("includeRoles"),
        exclude_roles: ul("excludeRoles"),
        include_guests,
        exclude_guests,
        not_mfa,
        narrowing,
    })
}

/// A policy's `state`: enabled, report-only, disabled, or absent.
fn parse_state(state: &str, display_name: &str) -> Result<Option<State>, String> {
    Ok(match state.to_ascii_lowercase().as_str() {
        "enabled" => Some(State::Enabled),
        "enabledforreportingbutnotenforced" => Some(State::ReportOnly),
        "disabled" => Some(State::Disabled),
        "" => None,
        other => {
            return Err(format!(
                "policy {display_name:?}: state {other:?}, expected enabled, disabled or enabledForReportingButNotEnforced"
            ));
        }
    })
}

/// From the grant controls: why the policy is not an MFA policy at all (block, no MFA control,
/// user actions only), and the narrowing an OR with other controls brings.
fn grant_effect(
    v: &Value,
    include_apps: &[String],
    user_actions: &[String],
) -> (Option<String>, Vec<String>) {
    let grant = get(v, "grantControls");
    let controls = strings(grant.and_then(|g| get(g, "builtInControls")));
    let strength = grant
        .and_then(|g| get(g, "authenticationStrength"))
        .filter(|s| s.is_object());
    let operator = grant
        .and_then(|g| get(g, "operator"))
        .and_then(|o| o.as_str())
        .unwrap_or("AND")
        .to_ascii_uppercase();
    let requires_mfa = has(&controls, "mfa") || strength.is_some();
    let mut narrowing = Vec::new();
    let not_mfa = if has(&controls, "block") {
        Some("blocks access".to_string())
    } else if !requires_mfa {
        if controls.len() == 1 && has(&controls, "passwordChange") {
            Some("requires password change only".to_string())
        } else {
            Some("does not require MFA".to_string())
        }
    } else if include_apps.is_empty() && !user_actions.is_empty() {
        Some(format!(
            "targets user actions only ({})",
            user_actions.join(", ")
        ))
    } else {
        None
    };
    if operator == "OR" {
        let others: Vec<&String> = controls
            .iter()
            .filter(|c| !c.eq_ignore_ascii_case("mfa"))
            .collect();
        if !others.is_empty() {
            let o: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
            narrowing.push(format!("MFA or {}", o.join(" or ")));
        }
    }
    (not_mfa, narrowing)
}

/// Conditions that narrow where the policy applies: client apps, platforms, locations, risk
/// levels, a device filter.
fn condition_narrowing(cond: Option<&Value>) -> Vec<String> {
    let mut narrowing = Vec::new();
    let cl = |k: &str| strings(cond.and_then(|c| get(c, k)));
    let client = cl("clientAppTypes");
    if !client.is_empty() && !has(&client, "all") {
        narrowing.push(format!("client apps {} only", client.join(", ")));
    }
    let inc_exc = |k: &str, inc: &str, exc: &str| -> Option<(Vec<String>, Vec<String>)> {
        let c = cond.and_then(|c| get(c, k))?;
        Some((strings(get(c, inc)), strings(get(c, exc))))
    };
    if let Some((i, e)) = inc_exc("platforms", "includePlatforms", "excludePlatforms")
        && (!(i.is_empty() || has(&i, "all")) || !e.is_empty())
    {
        {
            let mut r = Vec::new();
            if !(i.is_empty() || has(&i, "all")) {
                r.push(format!("platforms {} only", i.join(", ")));
            }
            if !e.is_empty() {
                r.push(format!("excludes platforms {}", e.join(", ")));
            }
            narrowing.push(r.join(", "));
        }
    }
    if let Some((i, e)) = inc_exc("locations", "includeLocations", "excludeLocations") {
        if !(i.is_empty() || has(&i, "All")) {
            narrowing.push(format!("locations {} only", i.join(", ")));
        }
        if has(&e, "AllTrusted") {
            narrowing.push("excludes trusted locations".into());
        } else if !e.is_empty() {
            narrowing.push(format!("excludes locations {}", e.join(", ")));
        }
    }
    let risk: Vec<&str> = ["signInRiskLevels", "userRiskLevels", "insiderRiskLevels"]
        .into_iter()
        .filter(|k| {
            let l = cl(k);
            let none_only = l.len() == 1 && has(&l, "none");
            !(l.is_empty() || none_only)
        })
        .collect();
    if !risk.is_empty() {
        narrowing.push(format!("risk-based ({})", risk.join(", ")));
    }
    if cond
        .and_then(|c| path(c, &["devices", "deviceFilter"]))
        .and_then(|f| get(f, "rule"))
        .and_then(|r| r.as_str())
        .is_some_and(|r| !r.trim().is_empty())
    {
        narrowing.push("device filter".into());
    }
    narrowing
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

/// Transitive groups of `member`, given (group, member) edges where a member may itself be a
/// group. Cycle-safe: every group is visited once. Ids are lower-cased.
pub fn transitive_groups(edges: &[(String, String)], member: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![member.to_ascii_lowercase()];
    while let Some(m) = todo.pop() {
        for (g, x) in edges {
            if x.eq_ignore_ascii_case(&m) {
                let g = g.to_ascii_lowercase();
                if out.insert(g.clone()) {
                    todo.push(g);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
