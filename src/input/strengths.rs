//! The authentication strengths export (`GET /policies/authenticationStrengthPolicies`, a Graph
//! page or an array, any key case): built-in and custom strengths with their allowed
//! combinations, for Conditional Access policies that reference a strength by id.

use serde_json::Value;

use crate::input::ca_policy::{Strength, parse_strength};

/// Does this JSON hold authentication strengths (items with `allowedCombinations`)?
pub fn looks_like(v: &Value) -> bool {
    items(v).first().is_some_and(|o| {
        o.as_object().is_some_and(|m| {
            m.keys()
                .any(|k| k.eq_ignore_ascii_case("allowedCombinations"))
        })
    })
}

fn items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
            Some((_, Value::Array(a))) => a.iter().collect(),
            _ => vec![v],
        },
        _ => Vec::new(),
    }
}

/// Reads one strengths file named `name`.
pub fn read(name: &str, data: &[u8]) -> Result<Vec<Strength>, String> {
    let text = crate::input::text::decode_text(data);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!("{name}: not valid JSON ({e}); expected the authentication strengths export")
    })?;
    if !looks_like(&v) {
        return Err(format!(
            "{name}: expected authentication strengths (items with allowedCombinations)"
        ));
    }
    Ok(items(&v).into_iter().filter_map(parse_strength).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_page_of_strengths_in_any_case() {
        let page = br#"{"value":[{"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA","allowedCombinations":["windowsHelloForBusiness","fido2","x509CertificateMultiFactor"]},
            {"Id":"c1","DisplayName":"Custom","AllowedCombinations":["password,microsoftAuthenticatorPush","fido2"]}]}"#;
        let s = read("strengths.json", page).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[1].combinations,
            vec!["password,microsoftAuthenticatorPush", "fido2"]
        );
        assert!(
            read(
                "s.json",
                b"{\"value\":[{\"id\":\"u\",\"userPrincipalName\":\"a@b.c\"}]}"
            )
            .is_err()
        );
        assert!(
            read("s.json", b"not json")
                .unwrap_err()
                .starts_with("s.json: not valid JSON")
        );
    }
}
