//! One Conditional Access policy as exported (Graph JSON in any key case, `@odata` annotations
//! ignored), parsed into the parts that decide MFA coverage: state, who it includes and
//! excludes, whether it requires MFA at all, and what narrows it.

use serde_json::Value;

use crate::input::graph_json::{get, path, strings};

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
    /// The authentication strength it requires, as the policy carries it.
    pub strength: Option<Strength>,
}

/// An authentication strength: its id, name and allowed combinations (each a set of
/// authentication method modes, e.g. `password,microsoftAuthenticatorPush`), as exported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strength {
    pub id: String,
    pub display_name: String,
    /// Empty when the export did not carry them (a reference by id only).
    pub combinations: Vec<String>,
}

/// A strength object (inline in a policy, or an item of the strength-policies export).
pub fn parse_strength(v: &Value) -> Option<Strength> {
    let id = get(v, "id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let display_name = get(v, "displayName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let combinations = match get(v, "allowedCombinations") {
        // A combination holds commas itself: never split an array's strings.
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    (!id.is_empty() || !combinations.is_empty()).then_some(Strength {
        id,
        display_name,
        combinations,
    })
}

pub(crate) fn has(list: &[String], word: &str) -> bool {
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
    let strength = path(v, &["grantControls", "authenticationStrength"])
        .filter(|s| s.is_object())
        .and_then(parse_strength);
    Ok(Policy {
        strength,
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
