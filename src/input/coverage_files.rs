//! Finds the Conditional Access inputs (policies, group memberships, role assignments) among the
//! files of an input folder by their content, so `mfa-audit audit FOLDER` evaluates coverage with
//! no extra options. The readers themselves are `policies.rs`, `groups.rs` and `roles.rs`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::input::text::decode_text;

/// What a coverage file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageFile {
    Policies,
    Groups,
    Roles,
    /// The authentication methods policy.
    MethodsPolicy,
    /// A ScubaGear provider export (policies, privileged users and the methods policy).
    ScubaGear,
    /// Authentication strengths (`policies/authenticationStrengthPolicies`).
    Strengths,
}

/// The coverage files found in the inputs, by kind, in path order.
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub policies: Vec<PathBuf>,
    pub groups: Vec<PathBuf>,
    pub roles: Vec<PathBuf>,
    pub methods_policies: Vec<PathBuf>,
    pub scubagear: Vec<PathBuf>,
    pub strengths: Vec<PathBuf>,
}

/// The first object of a Graph page, an array, or a single object.
fn first_item(v: &Value) -> Option<&serde_json::Map<String, Value>> {
    let first = match v {
        Value::Array(a) => a.first(),
        Value::Object(o) => o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
            .and_then(|(_, v)| v.as_array())
            .and_then(|a| a.first())
            .or(Some(v)),
        _ => None,
    };
    first.and_then(Value::as_object)
}

/// What a `.json` file holds, if it is a coverage input (JSON that does not parse is left to
/// the other readers, which name the file and the error).
pub fn sniff(path: &Path) -> Option<CoverageFile> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if ext != "json"
        || path
            .file_name()?
            .to_string_lossy()
            .eq_ignore_ascii_case("PT1H.json")
    {
        return None;
    }
    let text = decode_text(&std::fs::read(path).ok()?);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    if is_scubagear(&v) {
        return Some(CoverageFile::ScubaGear);
    }
    if crate::input::strengths::looks_like(&v) {
        return Some(CoverageFile::Strengths);
    }
    if crate::input::methods_policy::looks_like(&v) {
        return Some(CoverageFile::MethodsPolicy);
    }
    if looks_like(&v) {
        return Some(CoverageFile::Policies);
    }
    let o = first_item(&v)?;
    let has = |k: &str| o.keys().any(|x| x.eq_ignore_ascii_case(k));
    if has("principalId") && has("roleDefinitionId") {
        Some(CoverageFile::Roles)
    } else if has("members") && o.values().any(Value::is_array) {
        Some(CoverageFile::Groups)
    } else {
        None
    }
}

/// A ScubaGear provider export carries ScubaGear's own top-level keys.
pub fn is_scubagear(v: &Value) -> bool {
    let Some(o) = v.as_object() else {
        return false;
    };
    let has = |k: &str| o.contains_key(k);
    (has("authentication_method") || has("conditional_access_policies"))
        && (has("module_version") || has("baseline_version") || has("privileged_users"))
}

/// Does this JSON look like CA policies or security defaults (for content detection)?
pub fn looks_like(v: &Value) -> bool {
    let first = match v {
        Value::Array(a) => a.first(),
        Value::Object(o) => o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
            .and_then(|(_, v)| v.as_array())
            .and_then(|a| a.first())
            .or(Some(v)),
        _ => None,
    };
    first.and_then(|f| f.as_object()).is_some_and(|o| {
        let keys: Vec<String> = o.keys().map(|k| k.to_ascii_lowercase()).collect();
        let k = |s: &str| keys.iter().any(|x| x == s);
        // Security defaults: `isEnabled` without conditions, and no user (registration details
        // carry an `isEnabled` too, beside the user's name).
        let user = k("userprincipalname") || k("username") || k("userdisplayname");
        (k("conditions") && k("grantcontrols")) || (k("isenabled") && !k("conditions") && !user)
    })
}

/// A folder of policy files (one policy per file, as backup tools write them): one `.json` file
/// in it that holds policies is enough. Its other `.json` files are then read as policies too, so
/// one that does not parse stops the run naming it (rather than the whole folder being passed
/// over and coverage silently not evaluated); files that are not `.json` (a README) are skipped.
pub fn is_policy_folder(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && !hidden(p))
        .any(|p| sniff(&p) == Some(CoverageFile::Policies))
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Coverage files among the given inputs: files given directly, the top-level files of given
/// folders, and their sub-folders of policy files.
pub fn find(inputs: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut add = |p: PathBuf, k: CoverageFile| match k {
        CoverageFile::Policies => found.policies.push(p),
        CoverageFile::Groups => found.groups.push(p),
        CoverageFile::Roles => found.roles.push(p),
        CoverageFile::MethodsPolicy => found.methods_policies.push(p),
        CoverageFile::ScubaGear => found.scubagear.push(p),
        CoverageFile::Strengths => found.strengths.push(p),
    };
    for given in inputs {
        if given.is_file() {
            if let Some(k) = sniff(given) {
                add(given.clone(), k);
            }
            continue;
        }
        let Ok(entries) = std::fs::read_dir(given) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| !hidden(p)) {
            if p.is_dir() {
                if is_policy_folder(&p) {
                    // Memberships or role assignments kept beside the policies count as such.
                    let mut inside: Vec<PathBuf> = std::fs::read_dir(&p)
                        .map(|e| e.flatten().map(|e| e.path()).collect())
                        .unwrap_or_default();
                    inside.sort();
                    for f in inside.into_iter().filter(|f| f.is_file() && !hidden(f)) {
                        if let Some(
                            k @ (CoverageFile::Groups
                            | CoverageFile::Roles
                            | CoverageFile::MethodsPolicy
                            | CoverageFile::Strengths),
                        ) = sniff(&f)
                        {
                            add(f, k);
                        }
                    }
                    add(p, CoverageFile::Policies);
                }
            } else if let Some(k) = sniff(&p) {
                add(p, k);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(p: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/ca")
            .join(p)
    }

    #[test]
    fn the_ca_fixture_files_are_told_apart_by_content() {
        assert_eq!(sniff(&fixture("groups.json")), Some(CoverageFile::Groups));
        assert_eq!(
            sniff(&fixture("roleAssignments.json")),
            Some(CoverageFile::Roles)
        );
        assert_eq!(
            sniff(&fixture("policies/01-p-base.json")),
            Some(CoverageFile::Policies)
        );
        // UTF-16 with a BOM too.
        assert_eq!(
            sniff(&fixture("policies/02-p-o365.json")),
            Some(CoverageFile::Policies)
        );
        assert!(is_policy_folder(&fixture("policies")));
        // Near misses: a users export, a folder that is not all policies.
        assert_eq!(sniff(&fixture("exportUsers_2026-11-21.csv")), None);
        assert!(!is_policy_folder(&fixture("")));
        let f = find(&[fixture("")]);
        assert_eq!(f.policies, vec![fixture("policies")]);
        assert_eq!(f.groups, vec![fixture("groups.json")]);
        assert_eq!(f.roles, vec![fixture("roleAssignments.json")]);
    }
}
