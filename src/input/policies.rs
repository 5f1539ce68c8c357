//! Reads Conditional Access policy exports: a Graph page `{"value": [...]}`, a bare array, one
//! policy object per file or a folder of such files (UTF-8 or UTF-16 with BOM, any key case), and
//! the security-defaults object `{"isEnabled": true}`. Not valid JSON is an error naming the file.

use std::path::Path;

use serde_json::Value;

use crate::input::ca_policy::{Policy, parse_policy};
use crate::input::text::decode_text;

/// Everything read from the policy inputs.
#[derive(Debug, Default, Clone)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    /// `Some(enabled)` when a security-defaults object was read.
    pub security_defaults: Option<bool>,
}

/// Reads one file or every `.json` file of a folder (sorted by name) into `set`.
pub fn read_path(path: &Path, set: &mut PolicySet) -> Result<(), String> {
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: cannot list the folder: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "{}: a policies folder with no .json file, expected one policy per file",
                path.display()
            ));
        }
        for f in files {
            match super::coverage_files::sniff(&f) {
                Some(super::coverage_files::CoverageFile::Policies) => read_path(&f, set)?,
                // Group memberships or role assignments kept beside the policies: read as such
                // (coverage_files::find lists them), not as policies.
                Some(_) => {}
                None => {
                    let data = std::fs::read(&f)
                        .map_err(|e| format!("{}: cannot read: {e}", f.display()))?;
                    // An export of another kind kept beside the policies (named locations, the
                    // authentication strengths) is listed as ignored by coverage_files::divide.
                    if super::coverage_files::other_kind(&f).is_some() {
                        continue;
                    }
                    let name = f.display().to_string();
                    // Not JSON: the parser's message names the file, line and column.
                    let mut probe = PolicySet::default();
                    read_text(&name, &decode_text(&data), &mut probe)?;
                    return Err(format!(
                        "{name}: JSON that is not a Conditional Access policy (nor group memberships or role assignments); expected one policy per file in the policies folder {}",
                        path.display()
                    ));
                }
            }
        }
        return Ok(());
    }
    let data = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    read_text(&path.display().to_string(), &decode_text(&data), set)
}

/// Reads the text of one policy file named `name`.
pub fn read_text(name: &str, text: &str, set: &mut PolicySet) -> Result<(), String> {
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!(
            "{name}: not valid JSON at line {} column {}: {e}; expected Conditional Access policies (a Graph page, an array or one policy object)",
            e.line(),
            e.column()
        )
    })?;
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.iter().find(|(k, _)| k.eq_ignore_ascii_case("value")) {
            Some((_, Value::Array(a))) => a.iter().collect(),
            _ => vec![&v],
        },
        other => {
            return Err(format!(
                "{name}: found {}, expected a policy object, an array of them or a Graph page",
                crate::input::graph_json::kind(other)
            ));
        }
    };
    for (i, item) in items.into_iter().enumerate() {
        let o = item.as_object();
        let is_defaults = o.is_some_and(|o| {
            o.keys().any(|k| k.eq_ignore_ascii_case("isEnabled"))
                && !o.keys().any(|k| k.eq_ignore_ascii_case("conditions"))
        });
        if is_defaults {
            let on = o
                .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("isEnabled")))
                .and_then(|(_, v)| v.as_bool());
            match on {
                Some(b) => set.security_defaults = Some(b),
                None => {
                    return Err(format!(
                        "{name}: security defaults isEnabled is not true or false"
                    ));
                }
            }
            continue;
        }
        let mut p = parse_policy(item).map_err(|e| format!("{name}: policy {}: {e}", i + 1))?;
        p.source = name.to_string();
        set.policies.push(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::coverage_files::looks_like;

    const ONE: &str = r#"{"id":"a","displayName":"All MFA","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}"#;

    #[test]
    fn every_shape_is_read() {
        for text in [
            format!("{{\"@odata.context\":\"x\",\"value\":[{ONE}]}}"),
            format!("[{ONE}]"),
            ONE.to_string(),
            format!("\u{feff}{ONE}"),
        ] {
            let mut s = PolicySet::default();
            read_text("f.json", &text, &mut s).unwrap();
            assert_eq!(s.policies.len(), 1, "{text}");
            assert_eq!(s.policies[0].display_name, "All MFA");
            assert!(looks_like(
                &serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
            ));
        }
        let mut s = PolicySet::default();
        read_text(
            "sd.json",
            r#"{"id":"00000000-0000-0000-0000-000000000000","isEnabled":true}"#,
            &mut s,
        )
        .unwrap();
        assert_eq!(s.security_defaults, Some(true));
        assert!(s.policies.is_empty());
        assert!(!looks_like(
            &serde_json::json!([{"id": "u", "userPrincipalName": "a@b"}])
        ));
    }

    #[test]
    fn utf16_folder_is_read_and_bad_json_names_the_file() {
        let dir = std::env::temp_dir().join(format!("ca-pol-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        for u in ONE.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        std::fs::write(dir.join("a.json"), &utf16).unwrap();
        std::fs::write(dir.join("b.json"), ONE.replace("All MFA", "Second")).unwrap();
        let mut s = PolicySet::default();
        read_path(&dir, &mut s).unwrap();
        let names: Vec<&str> = s.policies.iter().map(|p| p.display_name.as_str()).collect();
        assert_eq!(names, ["All MFA", "Second"]);
        std::fs::write(dir.join("c.json"), "{not json").unwrap();
        let e = read_path(&dir, &mut PolicySet::default()).unwrap_err();
        assert!(e.contains("c.json") && e.contains("not valid JSON"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
