//! A ScubaGear provider export (`ProviderSettingsExport.json`), read as a bundle: its
//! authentication methods policy (`authentication_method`), Conditional Access policies
//! (`conditional_access_policies`) and privileged users (`privileged_users`, user id -> roles).
//! Everything else in it (about two hundred other settings) is not this audit's business.

use serde_json::Value;

use crate::input::methods_policy::{self, MethodsPolicy};
use crate::input::policies::{self, PolicySet};
use crate::input::roles::{self, RoleAssignments};

/// What a provider export contributes.
#[derive(Debug, Default)]
pub struct Bundle {
    pub methods: Option<MethodsPolicy>,
    pub policies: Option<PolicySet>,
    pub roles: Option<RoleAssignments>,
}

/// Reads the bundle from a parsed provider export named `name`.
pub fn read(name: &str, v: &Value) -> Result<Bundle, String> {
    let mut b = Bundle::default();
    if let Some(am) = v.get("authentication_method") {
        let holder = match am {
            Value::Array(a) => a.first(),
            other => Some(other),
        };
        if let Some(h) = holder {
            let policy = h.get("authentication_method_policy").unwrap_or(h);
            let configs = h.get("authentication_method_feature_settings");
            b.methods = Some(methods_policy::parse(name, policy, configs)?);
        }
    }
    if let Some(p) = v.get("conditional_access_policies") {
        let mut set = PolicySet::default();
        policies::read_text(name, &p.to_string(), &mut set)?;
        b.policies = Some(set);
    }
    if let Some(Value::Object(users)) = v.get("privileged_users") {
        let mut r = RoleAssignments::default();
        for (id, u) in users {
            let names = u
                .as_object()
                .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("roles")))
                .and_then(|(_, v)| v.as_array())
                .cloned()
                .unwrap_or_default();
            for n in names.iter().filter_map(Value::as_str) {
                match roles::role_id(n) {
                    Some(role) => r.pairs.push((id.to_ascii_lowercase(), role)),
                    None => r.ignored.push(format!(
                        "{name}: privileged_users {id}: role '{n}' is not a built-in role this tool knows; not counted"
                    )),
                }
            }
        }
        b.roles = Some(r);
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn export() -> Value {
        json!({"baseline_version":"1","module_version":"1.6.0",
          "conditional_access_policies":[{"Id":"p1","DisplayName":"Require MFA","State":"enabled",
            "Conditions":{"Users":{"IncludeUsers":["All"]},"Applications":{"IncludeApplications":["All"]},"ClientAppTypes":["all"]},
            "GrantControls":{"Operator":"OR","BuiltInControls":["mfa"]}}],
          "privileged_users":{"AAAA-1":{"DisplayName":"Alice","roles":["Global Administrator","Made Up Role"]}},
          "authentication_method":[{"authentication_method_policy":{"PolicyMigrationState":"migrationInProgress"},
            "authentication_method_feature_settings":[{"Id":"Sms","State":"disabled",
              "IncludeTargets":[{"TargetType":"user","Id":"42dd","IsUsableForSignIn":true}],"ExcludeTargets":[]}]}]})
    }

    #[test]
    fn reads_methods_policies_and_privileged_users() {
        assert!(crate::input::coverage_files::is_scubagear(&export()));
        let b = read("ScubaResults/ProviderSettingsExport.json", &export()).unwrap();
        let m = b.methods.unwrap();
        assert_eq!(m.migration_state.as_deref(), Some("migrationInProgress"));
        assert_eq!(m.config("sms").unwrap().targets.state, "disabled");
        assert_eq!(b.policies.unwrap().policies.len(), 1);
        let r = b.roles.unwrap();
        assert_eq!(
            r.pairs,
            vec![(
                "aaaa-1".to_string(),
                "62e90394-69f5-4237-9190-012177145e10".to_string()
            )]
        );
        assert_eq!(r.ignored.len(), 1);
    }

    #[test]
    fn other_json_is_not_a_provider_export() {
        use crate::input::coverage_files::is_scubagear;
        assert!(!is_scubagear(&json!({"value":[]})));
        assert!(!is_scubagear(&json!({"authentication_method":[]})));
    }
}
