//! The authentication methods policy (`GET /policies/authenticationMethodsPolicy`) in any of its
//! three casings (Graph camelCase, PowerShell PascalCase with `AdditionalProperties`, ScubaGear's
//! first-letter-upper form): which methods are enabled for whom, the migration state, the
//! registration campaign and system-preferred MFA. Evaluated per account in `tenant/methods.rs`.

use serde_json::Value;

use crate::input::graph_json::{get, path};

/// One include or exclude target: `all_users`, a user id or a group id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    /// `user`, `group`, `role`, `administrativeUnit`, ... as exported (lowercase).
    pub kind: String,
    /// Microsoft Authenticator's `authenticationMode` (`any`, `push`, `deviceBasedPush`).
    pub mode: Option<String>,
}

/// A set of targets with a state: a method configuration, the registration campaign, or
/// system-preferred MFA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targeted {
    /// `enabled`, `disabled`, `default`, ... lowercase as exported; empty when absent.
    pub state: String,
    pub include: Vec<Target>,
    pub exclude: Vec<Target>,
}

/// One method's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodConfig {
    /// The configuration id in lowercase (`sms`, `voice`, `fido2`, `microsoftauthenticator`,
    /// `softwareoath`, `hardwareoath`, `x509certificate`, `email`, ...).
    pub id: String,
    pub targets: Targeted,
    /// Voice: `isOfficePhoneAllowed`.
    pub office_phone_allowed: Option<bool>,
    /// Microsoft Authenticator: `isSoftwareOathEnabled`.
    pub software_oath_enabled: Option<bool>,
}

/// The policy as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodsPolicy {
    /// The file it was read from.
    pub source: String,
    /// `policyMigrationState` as exported (`None` when absent or null).
    pub migration_state: Option<String>,
    pub configs: Vec<MethodConfig>,
    pub campaign: Option<Targeted>,
    pub system_preferred: Option<Targeted>,
}

/// The method configuration ids this tool knows (lowercase); others are kept and reported.
pub const KNOWN_CONFIGS: &[&str] = &[
    "sms",
    "voice",
    "email",
    "fido2",
    "microsoftauthenticator",
    "softwareoath",
    "hardwareoath",
    "temporaryaccesspass",
    "x509certificate",
    "qrcodepin",
    "verifiablecredentials",
    "federatedidentitycredential",
];

impl MethodsPolicy {
    /// The configuration with this id (case-insensitive).
    pub fn config(&self, id: &str) -> Option<&MethodConfig> {
        self.configs.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// Only `migrationComplete` means the legacy MFA and SSPR settings no longer count.
    pub fn migration_complete(&self) -> bool {
        self.migration_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("migrationComplete"))
    }

    /// Configuration ids this tool does not know (external methods have GUID ids).
    pub fn unknown_configs(&self) -> Vec<&str> {
        self.configs
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| !KNOWN_CONFIGS.contains(id))
            .collect()
    }
}

/// Is this JSON an authentication methods policy (or a page or array holding one)?
pub fn looks_like(v: &Value) -> bool {
    let first = match v {
        Value::Array(a) => a.first(),
        _ => Some(v),
    };
    first.is_some_and(|o| {
        get(o, "authenticationMethodConfigurations").is_some()
            || get(o, "policyMigrationState").is_some()
            || get(o, "id")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("authenticationMethodsPolicy"))
    })
}

/// A string where PowerShell's `ConvertTo-Json` ran out of depth: it writes the type's name
/// (`Microsoft.Graph.PowerShell.Models....`, `System.Collections.Hashtable`) instead of the object.
pub fn too_shallow(v: &Value) -> Option<String> {
    match v {
        Value::String(s)
            if s.starts_with("Microsoft.Graph.PowerShell.Models.")
                || s.starts_with("System.Collections.")
                || s == "System.Object[]" =>
        {
            Some(s.clone())
        }
        Value::Array(a) => a.iter().find_map(too_shallow),
        Value::Object(o) => o.values().find_map(too_shallow),
        _ => None,
    }
}

/// Parses the policy object; `configs` may be given apart (ScubaGear keeps them beside it).
pub fn parse(source: &str, v: &Value, configs: Option<&Value>) -> Result<MethodsPolicy, String> {
    if let Some(s) = too_shallow(v).or_else(|| configs.and_then(too_shallow)) {
        return Err(format!(
            "{source}: nested objects were written as type names ('{s}'): the export was made with too shallow a ConvertTo-Json; export again with ConvertTo-Json -Depth 10"
        ));
    }
    let v = match v {
        Value::Array(a) if a.len() == 1 => &a[0],
        Value::Array(_) => {
            return Err(format!(
                "{source}: expected one authentication methods policy object, found a list"
            ));
        }
        _ => v,
    };
    if !v.is_object() {
        return Err(format!(
            "{source}: expected a JSON object holding the authentication methods policy"
        ));
    }
    let list = configs.or_else(|| get(v, "authenticationMethodConfigurations"));
    let configs = match list {
        None => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|c| config(source, c))
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "{source}: authenticationMethodConfigurations: expected a list of method configurations, found {}",
                crate::input::graph_json::kind(other)
            ));
        }
    };
    Ok(MethodsPolicy {
        source: source.to_string(),
        migration_state: get(v, "policyMigrationState")
            .and_then(Value::as_str)
            .map(str::to_string),
        configs,
        campaign: path(
            v,
            &[
                "registrationEnforcement",
                "authenticationMethodsRegistrationCampaign",
            ],
        )
        .map(targeted),
        system_preferred: get(v, "systemCredentialPreferences").map(targeted),
    })
}

/// One method configuration; its id from `id`, else from `@odata.type`.
fn config(source: &str, c: &Value) -> Result<MethodConfig, String> {
    let from_type = || {
        c.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("@odata.type"))
            .and_then(|(_, v)| v.as_str())
            .map(|t| {
                t.trim_start_matches("#microsoft.graph.")
                    .trim_end_matches("AuthenticationMethodConfiguration")
                    .to_string()
            })
    };
    let id = get(c, "id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(from_type)
        .ok_or_else(|| format!("{source}: a method configuration without an id or @odata.type"))?;
    Ok(MethodConfig {
        id: id.to_ascii_lowercase(),
        targets: targeted(c),
        office_phone_allowed: get(c, "isOfficePhoneAllowed").and_then(Value::as_bool),
        software_oath_enabled: get(c, "isSoftwareOathEnabled").and_then(Value::as_bool),
    })
}

/// `state`, `includeTargets`, `excludeTargets` (a single object is read as a list of one, as
/// PowerShell writes a one-element array).
fn targeted(v: &Value) -> Targeted {
    let list = |key: &str| -> Vec<Target> {
        let items: Vec<&Value> = match get(v, key) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(o @ Value::Object(_)) => vec![o],
            _ => Vec::new(),
        };
        items
            .into_iter()
            .filter_map(|t| {
                Some(Target {
                    id: get(t, "id")?.as_str()?.to_string(),
                    kind: get(t, "targetType")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    mode: get(t, "authenticationMode")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
            })
            .collect()
    };
    Targeted {
        state: get(v, "state")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase(),
        include: list("includeTargets"),
        exclude: list("excludeTargets"),
    }
}

/// Reads a methods-policy file (UTF-8/UTF-16 with BOM or Windows-1252).
pub fn read(name: &str, data: &[u8]) -> Result<MethodsPolicy, String> {
    let text = crate::input::text::decode_text(data);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!("{name}: not valid JSON ({e}); expected the authentication methods policy export")
    })?;
    parse(name, &v, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn graph() -> Value {
        json!({"id":"authenticationMethodsPolicy","policyMigrationState":"migrationComplete",
          "registrationEnforcement":{"authenticationMethodsRegistrationCampaign":{"state":"default",
            "includeTargets":[{"id":"all_users","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}],"excludeTargets":[]}},
          "authenticationMethodConfigurations":[
            {"@odata.type":"#microsoft.graph.smsAuthenticationMethodConfiguration","id":"Sms","state":"enabled",
             "includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[{"id":"g1","targetType":"group"}]},
            {"@odata.type":"#microsoft.graph.voiceAuthenticationMethodConfiguration","id":"Voice","state":"disabled","isOfficePhoneAllowed":false,
             "includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[]},
            {"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","state":"enabled",
             "includeTargets":[{"id":"g2","targetType":"group"}],"excludeTargets":[]}]})
    }

    /// ScubaGear's form: first letter upper, values unchanged.
    fn upper_first(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let mut c = k.chars();
                        let k2 = match c.next() {
                            Some(f) if !k.starts_with('@') => f.to_uppercase().chain(c).collect(),
                            _ => k.clone(),
                        };
                        (k2, upper_first(v))
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(upper_first).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn reads_the_graph_form_and_the_first_letter_upper_form_alike() {
        let a = parse("p.json", &graph(), None).unwrap();
        let b = parse("p.json", &upper_first(&graph()), None).unwrap();
        assert_eq!(a, b);
        assert!(a.migration_complete());
        assert_eq!(a.configs.len(), 3);
        assert_eq!(a.configs[2].id, "fido2", "id taken from @odata.type");
        assert_eq!(a.config("SMS").unwrap().targets.exclude[0].id, "g1");
        assert_eq!(a.config("voice").unwrap().office_phone_allowed, Some(false));
        assert_eq!(a.campaign.as_ref().unwrap().state, "default");
    }

    #[test]
    fn reads_the_sdk_form_with_additional_properties() {
        let v = json!({"Id":"authenticationMethodsPolicy","PolicyMigrationState":"migrationInProgress",
          "AuthenticationMethodConfigurations":[{"Id":"MicrosoftAuthenticator","State":"enabled",
            "AdditionalProperties":{"@odata.type":"#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
              "isSoftwareOathEnabled":true,
              "includeTargets":[{"id":"all_users","targetType":"group","authenticationMode":"push"}]}}]});
        let p = parse("p.json", &v, None).unwrap();
        assert!(!p.migration_complete());
        let c = p.config("microsoftAuthenticator").unwrap();
        assert_eq!(c.software_oath_enabled, Some(true));
        assert_eq!(c.targets.include[0].mode.as_deref(), Some("push"));
    }

    #[test]
    fn refuses_a_too_shallow_powershell_export_and_names_the_file() {
        let v = json!({"Id":"authenticationMethodsPolicy","AuthenticationMethodConfigurations":
          ["Microsoft.Graph.PowerShell.Models.MicrosoftGraphAuthenticationMethodConfiguration"]});
        let e = parse("amp.json", &v, None).unwrap_err();
        assert!(e.starts_with("amp.json: ") && e.contains("-Depth"), "{e}");
        assert!(
            read("amp.json", b"{not json")
                .unwrap_err()
                .contains("not valid JSON")
        );
    }

    #[test]
    fn recognises_the_policy_and_not_other_json() {
        assert!(looks_like(&graph()));
        assert!(looks_like(
            &json!({"PolicyMigrationState": null, "Id": "authenticationMethodsPolicy"})
        ));
        assert!(!looks_like(
            &json!({"value":[{"id":"u1","userPrincipalName":"a@b.c"}]})
        ));
        assert!(!looks_like(
            &json!({"id":"x","displayName":"Require MFA","state":"enabled"})
        ));
    }

    #[test]
    fn unknown_method_configurations_are_kept_and_listed() {
        let v = json!({"policyMigrationState":"migrationComplete","authenticationMethodConfigurations":[
            {"id":"Sms","state":"enabled"},{"id":"6f1b...-eam","state":"enabled"}]});
        let p = parse("p.json", &v, None).unwrap();
        assert_eq!(p.configs.len(), 2);
        assert_eq!(p.unknown_configs(), vec!["6f1b...-eam"]);
    }
}
