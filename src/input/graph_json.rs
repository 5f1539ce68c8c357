//! Reading Graph-shaped JSON whatever wrote it: keys in any casing, `@odata` annotations
//! skipped, `AdditionalProperties` of typed SDK objects looked into, lists given as arrays or as
//! comma-joined strings.

use serde_json::Value;

/// Looks up `key` in a JSON object case-insensitively (Graph camelCase, PowerShell PascalCase,
/// ScubaGear's first-letter-upper form), skipping `@odata` annotations; a typed SDK object keeps
/// method-specific fields inside `AdditionalProperties`, which is searched next. Null is absent.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let o = v.as_object()?;
    let own = |o: &'a serde_json::Map<String, Value>| {
        o.get(key).or_else(|| {
            o.iter()
                .find(|(k, _)| !k.contains('@') && k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    };
    own(o)
        .or_else(|| {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("AdditionalProperties"))
                .and_then(|(_, v)| v.as_object())
                .and_then(own)
        })
        .filter(|v| !v.is_null())
}

pub fn path<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(v, |v, k| get(v, k))
}

/// A list of strings; a comma-joined string is split too.
pub fn strings(v: Option<&Value>) -> Vec<String> {
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

/// What a JSON value is, in words, for a message that says what was found.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
