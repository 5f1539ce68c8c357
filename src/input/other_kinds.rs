//! Recognises Graph and PowerShell exports of kinds this audit does not read as accounts
//! (authentication strengths, the authentication methods policy, named locations, devices,
//! groups without members, ...), so they are listed as ignored under their own name instead of
//! being read as users or reported as unknown. The Secure Score exports are read by
//! `secure_score.rs` when found by content; a form it does not take (a CSV, an empty page) is
//! still named here. See docs/inputs.md, "Exports of other kinds".

use serde_json::Value;

/// A kind recognised by its keys: its label, and the keys of which all must be present
/// (matched case-insensitively, after any `@odata` keys are dropped).
const BY_KEYS: &[(&str, &[&str])] = &[
    (
        "authentication strength policies",
        &["allowedCombinations", "requirementsSatisfied"],
    ),
    (
        "authentication strength policies",
        &["allowedCombinations", "policyType"],
    ),
    (
        "the authentication methods policy",
        &["authenticationMethodConfigurations"],
    ),
    (
        "the authentication methods policy",
        &["policyMigrationState"],
    ),
    (
        "the authentication methods policy",
        &["registrationEnforcement"],
    ),
    (
        "authentication method configurations",
        &["includeTargets", "state", "excludeTargets"],
    ),
    ("named locations", &["ipRanges"]),
    ("named locations", &["countriesAndRegions"]),
    ("devices", &["deviceId", "operatingSystem"]),
    ("Secure Score history", &["currentScore", "controlScores"]),
    (
        "Secure Score history",
        &["currentScore", "maxScore", "enabledServices"],
    ),
    (
        "Secure Score control profiles",
        &["controlCategory", "maxScore", "remediation"],
    ),
    (
        "Secure Score control profiles",
        &["controlCategory", "maxScore", "implementationCost"],
    ),
    (
        "directory recommendations",
        &["recommendationType", "impactedResources"],
    ),
    (
        "directory recommendations",
        &["recommendationType", "displayName"],
    ),
    (
        "groups without members (export them with $expand=members to use them)",
        &["groupTypes"],
    ),
    (
        "groups without members (export them with $expand=members to use them)",
        &["securityEnabled", "mailEnabled"],
    ),
    ("directory role definitions", &["rolePermissions"]),
    ("service principals", &["appId", "servicePrincipalType"]),
    ("applications", &["appId", "signInAudience"]),
    ("the organization", &["verifiedDomains"]),
    (
        "per-user authentication methods",
        &["phoneNumber", "phoneType", "smsSignInState"],
    ),
];

/// What the `@odata.context` / `@odata.type` of an export says it is.
const BY_ODATA: &[(&str, &str)] = &[
    (
        "authenticationstrengthpolic",
        "authentication strength policies",
    ),
    (
        "authenticationmethodspolicy",
        "the authentication methods policy",
    ),
    (
        "authenticationmethodconfiguration",
        "authentication method configurations",
    ),
    ("namedlocation", "named locations"),
    ("#microsoft.graph.device", "devices"),
    ("$metadata#devices", "devices"),
    ("securescorecontrolprofile", "Secure Score control profiles"),
    ("securescore", "Secure Score history"),
    ("recommendation", "directory recommendations"),
    ("unifiedroledefinition", "directory role definitions"),
    ("roledefinitions", "directory role definitions"),
    ("serviceprincipal", "service principals"),
    ("#microsoft.graph.application", "applications"),
    ("$metadata#applications", "applications"),
    ("#microsoft.graph.organization", "the organization"),
    ("$metadata#organization", "the organization"),
];

/// The kind of export whose first item (or header row) has these keys, if it is one this audit
/// does not read.
pub fn by_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let keys: Vec<String> = keys
        .into_iter()
        .filter(|k| !k.starts_with("@odata"))
        .map(|k| k.trim().to_ascii_lowercase())
        .collect();
    let has = |k: &str| keys.iter().any(|x| x.eq_ignore_ascii_case(k));
    BY_KEYS
        .iter()
        .find(|(_, need)| need.iter().all(|k| has(k)))
        .map(|(label, _)| *label)
}

fn by_odata(s: &str) -> Option<&'static str> {
    let l = s.to_ascii_lowercase();
    // A users, sign-ins or registration page is never another kind, whatever else it says.
    if l.contains("$metadata#users")
        || l.contains("#microsoft.graph.user")
        || l.contains("signin")
        || l.contains("userregistrationdetails")
    {
        return None;
    }
    BY_ODATA
        .iter()
        .find(|(needle, _)| l.contains(needle))
        .map(|(_, label)| *label)
}

fn odata_of(o: &serde_json::Map<String, Value>) -> Option<&'static str> {
    o.iter()
        .filter(|(k, _)| {
            k.eq_ignore_ascii_case("@odata.context") || k.eq_ignore_ascii_case("@odata.type")
        })
        .filter_map(|(_, v)| v.as_str())
        .find_map(by_odata)
}

/// The kind of a parsed JSON export this audit does not read: a Graph page, an array or one
/// object, recognised by its `@odata` annotations or its first item's keys.
pub fn of_json(v: &Value) -> Option<&'static str> {
    let (page, first) = match v {
        Value::Array(a) => (None, a.first()),
        Value::Object(o) => {
            let items = o
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("value"))
                .and_then(|(_, v)| v.as_array());
            match items {
                Some(a) => (Some(o), a.first()),
                None => (None, Some(v)),
            }
        }
        _ => return None,
    };
    if let Some(label) = page.and_then(odata_of) {
        return Some(label);
    }
    let first = first?.as_object()?;
    odata_of(first).or_else(|| by_keys(first.keys().map(String::as_str)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<&'static str> {
        of_json(&serde_json::from_str(s).expect("json"))
    }

    #[test]
    fn other_exports_are_named_and_users_are_not() {
        assert_eq!(
            kind(
                r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies","value":[{"id":"00000000-0000-0000-0000-000000000002","displayName":"Multifactor authentication","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["fido2"]}]}"##
            ),
            Some("authentication strength policies")
        );
        // Without annotations, by keys; PascalCase too.
        assert_eq!(
            kind(
                r##"[{"Id":"x","DisplayName":"Phishing-resistant MFA","PolicyType":"builtIn","AllowedCombinations":["fido2"]}]"##
            ),
            Some("authentication strength policies")
        );
        assert_eq!(
            kind(
                r##"{"id":"authenticationMethodsPolicy","policyVersion":"1.5","policyMigrationState":"migrationComplete","authenticationMethodConfigurations":[]}"##
            ),
            Some("the authentication methods policy")
        );
        assert_eq!(
            kind(
                r##"{"value":[{"id":"1","azureTenantId":"t","currentScore":40.5,"maxScore":80,"controlScores":[]}]}"##
            ),
            Some("Secure Score history")
        );
        assert_eq!(
            kind(
                r##"{"value":[{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"1","displayName":"HQ","ipRanges":[]}]}"##
            ),
            Some("named locations")
        );
        assert_eq!(
            kind(
                r##"{"value":[{"id":"1","deviceId":"d","displayName":"PC1","accountEnabled":true,"operatingSystem":"Windows"}]}"##
            ),
            Some("devices")
        );
        // Near misses: users pages (even with an @odata.type) and sign-ins are not other kinds.
        assert_eq!(
            kind(
                r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)","value":[{"id":"1","displayName":"A","userPrincipalName":"a@x.com"}]}"##
            ),
            None
        );
        assert_eq!(
            kind(
                r##"[{"@odata.type":"#microsoft.graph.user","id":"1","userPrincipalName":"a@x.com","accountEnabled":true}]"##
            ),
            None
        );
        assert_eq!(
            kind(
                r##"{"value":[{"id":"1","createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"a@x.com","status":{"errorCode":0}}]}"##
            ),
            None
        );
    }
}
