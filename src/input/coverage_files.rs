//! Finds the Conditional Access inputs (policies, group memberships, role assignments) among the
//! files of an input folder by their content, so `mfa-audit audit FOLDER` evaluates coverage with
//! no extra options. The readers themselves are `policies.rs`, `groups.rs` and `roles.rs`. The
//! Secure Score exports are found here too (read by `secure_score.rs`).

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
    /// A Secure Score export (scores, control profiles or recommendations).
    SecureScore(crate::input::secure_score::ScoreFile),
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
    /// Secure Score exports with what each holds.
    pub secure_score: Vec<(PathBuf, crate::input::secure_score::ScoreFile)>,
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
/// the other readers, which name the file and the error). Only regular files are opened: a
/// named pipe is never read here.
pub fn sniff(path: &Path) -> Option<CoverageFile> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if ext != "json"
        || path
            .file_name()?
            .to_string_lossy()
            .eq_ignore_ascii_case("PT1H.json")
        || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
    {
        return None;
    }
    let text = decode_text(&std::fs::read(path).ok()?);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    if is_scubagear(&v) {
        return Some(CoverageFile::ScubaGear);
    }
    if let Some(k) = crate::input::secure_score::looks_like(&v) {
        return Some(CoverageFile::SecureScore(k));
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
    first_item(v).is_some_and(|o| {
        let keys: Vec<String> = o.keys().map(|k| k.to_ascii_lowercase()).collect();
        let k = |s: &str| keys.iter().any(|x| x == s);
        // Security defaults: `isEnabled` without conditions, and no user (registration details
        // carry an `isEnabled` too, beside the user's name).
        let user = k("userprincipalname") || k("username") || k("userdisplayname");
        (k("conditions") && k("grantcontrols")) || (k("isenabled") && !k("conditions") && !user)
    })
}

/// The kind of a `.json` file that parses and is an export this audit does not read (named
/// locations, authentication strengths, ...), if it is one.
pub fn other_kind(path: &Path) -> Option<&'static str> {
    let text = decode_text(&std::fs::read(path).ok()?);
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    super::other_kinds::of_json(&v)
}

/// A folder of policy files (one policy per file, as backup tools write them): one `.json` file
/// in it that holds policies is enough. Its other `.json` files are then read as policies too, so
/// one that does not parse stops the run naming it (rather than the whole folder being passed
/// over and coverage silently not evaluated); files that are not `.json` (a README) are set
/// aside.
#[cfg(test)]
pub fn is_policy_folder(dir: &Path) -> bool {
    json_files(dir)
        .iter()
        .any(|p| sniff(p) == Some(CoverageFile::Policies))
}

/// The `.json` regular files directly in `dir` (hidden ones left out), sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut v: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            !hidden(p)
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                && std::fs::metadata(p).is_ok_and(|m| m.is_file())
        })
        .collect();
    v.sort();
    v
}

/// A folder whose name says it holds Conditional Access policies (`policies`, `ca-policies`,
/// `ConditionalAccess`, ...).
fn named_for_policies(dir: &Path) -> bool {
    let n: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    n.contains("conditionalaccess") || matches!(n.as_str(), "policies" | "capolicies" | "ca")
}

/// A folder named for policies whose `.json` files include one that does not parse: it is read
/// as a policies folder, so the parse error stops the run naming the file (rather than the
/// folder's policies silently going unread).
fn unreadable_policy_folder(dir: &Path) -> bool {
    named_for_policies(dir)
        && json_files(dir).iter().any(|p| {
            std::fs::read(p).is_ok_and(|b| {
                serde_json::from_str::<Value>(decode_text(&b).trim_start_matches('\u{feff}'))
                    .is_err()
            })
        })
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The coverage inputs among one given folder's files (at any depth), the files they claim (not
/// read by the other readers) and what the walk set aside.
#[derive(Debug, Default)]
pub struct Divided {
    pub found: Found,
    pub claimed: std::collections::HashSet<PathBuf>,
    /// Entries not read, with why: special files, link loops, the tool's own output folders,
    /// files that are not `.json` in a policies folder.
    pub set_aside: Vec<(PathBuf, String)>,
    /// Every other regular file, in path order: for the other readers.
    pub rest: Vec<PathBuf>,
}

/// Walks a given folder and divides its files: the folder's own `.json` files are coverage
/// inputs by content; a sub-folder (at any depth) holding policies is a policies folder, read
/// whole, with the memberships and role assignments kept in it.
pub fn divide(root: &Path) -> Divided {
    let walked = super::walk::walk(root);
    let mut d = Divided {
        set_aside: walked.set_aside,
        ..Default::default()
    };
    // Each `.json` file is parsed once here, whatever the folder tests ask of it.
    let sniffed: std::collections::HashMap<&Path, Option<CoverageFile>> = walked
        .files
        .iter()
        .map(|p| (p.as_path(), sniff(p)))
        .collect();
    // A sub-folder holds policies when one of its own files does (the walk lists regular,
    // unhidden files, as `is_policy_folder` reads them).
    let mut policy_parents: std::collections::HashSet<PathBuf> = sniffed
        .iter()
        .filter(|(_, k)| **k == Some(CoverageFile::Policies))
        .filter_map(|(p, _)| p.parent())
        .filter(|parent| *parent != root)
        .map(Path::to_path_buf)
        .collect();
    let mut checked: std::collections::HashSet<PathBuf> = Default::default();
    for p in &walked.files {
        if let Some(parent) = p.parent()
            && parent != root
            && checked.insert(parent.to_path_buf())
            && !policy_parents.contains(parent)
            && unreadable_policy_folder(parent)
        {
            policy_parents.insert(parent.to_path_buf());
        }
    }
    let mut policy_folders: Vec<PathBuf> = Vec::new();
    for p in walked.files.iter().cloned() {
        let parent = p.parent().map(Path::to_path_buf).unwrap_or_default();
        let known = sniffed.get(p.as_path()).copied().flatten();
        let in_policies = policy_parents.contains(&parent);
        if in_policies {
            if !policy_folders.contains(&parent) {
                d.found.add(parent.clone(), CoverageFile::Policies);
                policy_folders.push(parent);
            }
            let is_json = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if !is_json {
                d.set_aside.push((
                    p.clone(),
                    "not a .json file, in a Conditional Access policies folder; not read".into(),
                ));
            } else if let Some(
                k @ (CoverageFile::Groups
                | CoverageFile::Roles
                | CoverageFile::MethodsPolicy
                | CoverageFile::Strengths
                | CoverageFile::SecureScore(_)),
            ) = known
            {
                d.found.add(p.clone(), k);
            } else if known.is_none()
                && let Some(kind) = other_kind(&p)
            {
                d.set_aside.push((
                    p.clone(),
                    format!(
                        "recognised as an export of {kind}, which this audit does not read; ignored"
                    ),
                ));
            }
            d.claimed.insert(p);
        } else if let Some(k) = known {
            d.found.add(p.clone(), k);
            d.claimed.insert(p);
        } else {
            d.rest.push(p);
        }
    }
    d.set_aside.sort();
    d
}

impl Found {
    fn add(&mut self, p: PathBuf, k: CoverageFile) {
        match k {
            CoverageFile::Policies => self.policies.push(p),
            CoverageFile::Groups => self.groups.push(p),
            CoverageFile::Roles => self.roles.push(p),
            CoverageFile::MethodsPolicy => self.methods_policies.push(p),
            CoverageFile::ScubaGear => self.scubagear.push(p),
            CoverageFile::Strengths => self.strengths.push(p),
            CoverageFile::SecureScore(k) => self.secure_score.push((p, k)),
        }
    }
}

/// Coverage files among the given inputs: files given directly, and the files of given folders
/// at any depth (see `divide`).
pub fn find(inputs: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for given in inputs {
        if std::fs::metadata(given).is_ok_and(|m| m.is_dir()) {
            let d = divide(given).found;
            found.policies.extend(d.policies);
            found.groups.extend(d.groups);
            found.roles.extend(d.roles);
            found.methods_policies.extend(d.methods_policies);
            found.scubagear.extend(d.scubagear);
            found.strengths.extend(d.strengths);
            found.secure_score.extend(d.secure_score);
        } else if let Some(k) = sniff(given) {
            found.add(given.clone(), k);
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
