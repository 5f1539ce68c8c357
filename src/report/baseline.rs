//! An earlier run's output folder given with `--baseline`: checked against its own manifest.json
//! (every listed file must still have the SHA-256 recorded there), then read back: accounts.csv
//! (registration per account), findings.csv (codes per account) and summary.json (as-of, readiness,
//! counts per finding and the campaign history carried so far).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::Error;
use crate::input::InputError;
use crate::input::detect::sha256_hex;
use crate::report::model::HistoryPoint;

/// One account of the baseline run, as its accounts.csv and findings.csv hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseAccount {
    /// The UPN as the baseline run saw it (a spreadsheet-formula guard undone).
    pub upn: String,
    pub id: Option<String>,
    /// `isMfaRegistered`: true, false, or unknown (blank).
    pub registered: Option<bool>,
    pub findings: BTreeSet<String>,
}

/// The baseline run, verified and read.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The folder as given.
    pub dir: PathBuf,
    /// Its as-of (`YYYY-MM-DDTHH:MM:SSZ`).
    pub as_of: String,
    pub accounts: Vec<BaseAccount>,
    /// False when its accounts.csv has no `isMfaRegistered` column (registration changes are then
    /// not reported).
    pub registration_known: bool,
    /// Its campaign history: its own `history` list, or, for a run written without one, the
    /// single point its summary describes.
    pub history: Vec<HistoryPoint>,
    /// The fingerprint of the key a pseudonymised baseline was made with (`None`: not
    /// pseudonymised).
    pub key_fingerprint: Option<String>,
}

fn bad(dir: &Path, file: &str, why: impl std::fmt::Display) -> Error {
    Error::Input(InputError::Unreadable {
        file: dir.join(file).display().to_string(),
        why: format!("baseline: {why}"),
    })
}

fn not_an_output(dir: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "--baseline {}: not an mfa-audit output folder ({why}); give the --out folder of an earlier run",
        dir.display()
    ))
}

/// A manifest path that stays inside the baseline folder (relative, no `..`).
fn inside(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Checks every output manifest.json lists against its SHA-256 and returns the listed paths.
fn verify(dir: &Path) -> Result<(Value, BTreeSet<String>), Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "--baseline {}: not a folder; give the --out folder of an earlier run",
            dir.display()
        )));
    }
    let mpath = dir.join("manifest.json");
    if !mpath.is_file() {
        return Err(not_an_output(dir, "it has no manifest.json"));
    }
    let bytes = std::fs::read(&mpath).map_err(|e| {
        Error::Input(InputError::Io {
            file: mpath.display().to_string(),
            source: e,
        })
    })?;
    let m: Value = serde_json::from_slice(&bytes)
        .map_err(|e| bad(dir, "manifest.json", format!("not valid JSON: {e}")))?;
    if m.get("tool").and_then(Value::as_str) != Some("mfa-audit") {
        return Err(not_an_output(
            dir,
            "its manifest.json was not written by mfa-audit (no \"tool\": \"mfa-audit\")",
        ));
    }
    let outputs = m
        .get("outputs")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(dir, "manifest.json", "no \"outputs\" list"))?;
    let mut listed = BTreeSet::new();
    for (n, o) in outputs.iter().enumerate() {
        let (Some(rel), Some(want)) = (
            o.get("path").and_then(Value::as_str),
            o.get("sha256").and_then(Value::as_str),
        ) else {
            return Err(bad(
                dir,
                "manifest.json",
                format!(
                    "outputs[{n}] has no \"path\" and \"sha256\" (found {})",
                    serde_json::to_string(o).unwrap_or_default()
                ),
            ));
        };
        if !inside(rel) {
            return Err(bad(
                dir,
                "manifest.json",
                format!("outputs[{n}] path `{rel}` points outside the baseline folder"),
            ));
        }
        let path = dir.join(rel);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(bad(
                    dir,
                    rel,
                    "listed in manifest.json but missing; evidence that is gone cannot be compared",
                ));
            }
            Err(e) => {
                return Err(Error::Input(InputError::Io {
                    file: path.display().to_string(),
                    source: e,
                }));
            }
        };
        let got = sha256_hex(&data);
        if !got.eq_ignore_ascii_case(want) {
            return Err(bad(
                dir,
                rel,
                format!(
                    "the file was changed after the run that wrote it (SHA-256 {got}, manifest.json records {want}); evidence that was edited is not evidence, so it cannot be a baseline"
                ),
            ));
        }
        listed.insert(rel.to_string());
    }
    Ok((m, listed))
}

/// Undoes the formula guard the human-facing CSVs apply (`'=x` was written for `=x`).
fn unguard(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if crate::csv_text::inert(rest) == s => rest.to_string(),
        _ => s.to_string(),
    }
}

/// A CSV of the baseline: header (name -> column) and records.
struct Table {
    cols: BTreeMap<String, usize>,
    rows: Vec<csv::StringRecord>,
}

fn read_csv(dir: &Path, rel: &str, required: &[&str]) -> Result<Table, Error> {
    let path = dir.join(rel);
    let file = path.display().to_string();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(&path)
        .map_err(|e| bad(dir, rel, e))?;
    let header = r
        .headers()
        .map_err(|e| {
            Error::Input(InputError::Csv {
                file: file.clone(),
                row: 1,
                msg: e.to_string(),
            })
        })?
        .clone();
    let cols: BTreeMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim_start_matches('\u{feff}').to_string(), i))
        .collect();
    for need in required {
        if !cols.contains_key(*need) {
            return Err(bad(
                dir,
                rel,
                format!(
                    "no `{need}` column (headers found: {}); it is not a {rel} written by mfa-audit",
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::Input(InputError::Csv {
                file: file.clone(),
                row: n + 2,
                msg: e.to_string(),
            })
        })?;
        rows.push(rec);
    }
    Ok(Table { cols, rows })
}

impl Table {
    fn get<'a>(&self, rec: &'a csv::StringRecord, col: &str) -> Option<&'a str> {
        self.cols.get(col).and_then(|&i| rec.get(i))
    }
}

/// Verifies the baseline folder, then reads it.
pub fn load(dir: &Path) -> Result<Baseline, Error> {
    let (manifest, listed) = verify(dir)?;
    let key_fingerprint = manifest
        .pointer("/parameters/pseudonymized/keyFingerprint")
        .and_then(Value::as_str)
        .map(str::to_string);
    for need in ["accounts.csv", "findings.csv", "summary.json"] {
        if !listed.contains(need) {
            return Err(not_an_output(
                dir,
                &format!("its manifest.json lists no {need}"),
            ));
        }
    }
    let (mut accounts, registration_known) = read_accounts(dir)?;
    read_findings(dir, &mut accounts)?;
    let (as_of, history) = read_summary(dir)?;
    Ok(Baseline {
        dir: dir.to_path_buf(),
        as_of,
        accounts,
        registration_known,
        history,
        key_fingerprint,
    })
}

/// The baseline's accounts.csv, and whether it recorded `isMfaRegistered`.
fn read_accounts(dir: &Path) -> Result<(Vec<BaseAccount>, bool), Error> {
    let t = read_csv(dir, "accounts.csv", &["userPrincipalName"])?;
    let registration_known = t.cols.contains_key("isMfaRegistered");
    let mut accounts = Vec::with_capacity(t.rows.len());
    for (n, rec) in t.rows.iter().enumerate() {
        let upn = unguard(t.get(rec, "userPrincipalName").unwrap_or_default());
        if upn.is_empty() {
            return Err(Error::Input(InputError::Csv {
                file: dir.join("accounts.csv").display().to_string(),
                row: n + 2,
                msg: "column userPrincipalName: empty; every account mfa-audit writes has one"
                    .into(),
            }));
        }
        let id = t.get(rec, "id").map(unguard).filter(|s| !s.is_empty());
        let registered = match t.get(rec, "isMfaRegistered").unwrap_or_default() {
            "true" => Some(true),
            "false" => Some(false),
            "" => None,
            other => {
                return Err(Error::Input(InputError::Csv {
                    file: dir.join("accounts.csv").display().to_string(),
                    row: n + 2,
                    msg: format!(
                        "column isMfaRegistered: `{other}`; expected true, false or blank"
                    ),
                }));
            }
        };
        accounts.push(BaseAccount {
            upn,
            id,
            registered,
            findings: BTreeSet::new(),
        });
    }
    Ok((accounts, registration_known))
}

/// The baseline's findings.csv, joined to its accounts by id, else UPN.
fn read_findings(dir: &Path, accounts: &mut [BaseAccount]) -> Result<(), Error> {
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_upn: BTreeMap<String, usize> = BTreeMap::new();
    for (i, a) in accounts.iter().enumerate() {
        if let Some(id) = &a.id {
            by_id.entry(id.to_lowercase()).or_insert(i);
        }
        by_upn.entry(a.upn.to_lowercase()).or_insert(i);
    }

    let t = read_csv(dir, "findings.csv", &["userPrincipalName", "finding"])?;
    for (n, rec) in t.rows.iter().enumerate() {
        let upn = unguard(t.get(rec, "userPrincipalName").unwrap_or_default());
        let id = t.get(rec, "id").map(unguard).filter(|s| !s.is_empty());
        let code = t.get(rec, "finding").unwrap_or_default();
        let at = id
            .as_ref()
            .and_then(|id| by_id.get(&id.to_lowercase()))
            .or_else(|| by_upn.get(&upn.to_lowercase()));
        match at {
            Some(&i) if !code.is_empty() => {
                accounts[i].findings.insert(code.to_string());
            }
            _ => {
                return Err(Error::Input(InputError::Csv {
                    file: dir.join("findings.csv").display().to_string(),
                    row: n + 2,
                    msg: format!(
                        "finding `{code}` for `{upn}`, an account accounts.csv does not list (or no finding code); the two files do not belong to one run"
                    ),
                }));
            }
        }
    }

    Ok(())
}

/// The baseline's as-of and its history (a run without `--baseline` is a history of one).
fn read_summary(dir: &Path) -> Result<(String, Vec<HistoryPoint>), Error> {
    let spath = dir.join("summary.json");
    let bytes = std::fs::read(&spath).map_err(|e| {
        Error::Input(InputError::Io {
            file: spath.display().to_string(),
            source: e,
        })
    })?;
    let s: Value = serde_json::from_slice(&bytes)
        .map_err(|e| bad(dir, "summary.json", format!("not valid JSON: {e}")))?;
    let as_of = s
        .get("asOf")
        .and_then(Value::as_str)
        .filter(|a| crate::values::parse_iso_fast(a).is_some())
        .ok_or_else(|| {
            bad(
                dir,
                "summary.json",
                "no \"asOf\" timestamp (expected YYYY-MM-DDTHH:MM:SSZ)",
            )
        })?
        .to_string();
    let history = match s.get("history") {
        Some(h) => serde_json::from_value::<Vec<HistoryPoint>>(h.clone())
            .map_err(|e| bad(dir, "summary.json", format!("\"history\": {e}")))?,
        None => {
            let point = serde_json::from_value::<HistoryPoint>(s.clone()).map_err(|e| {
                bad(
                    dir,
                    "summary.json",
                    format!("cannot read as-of, registration and findings counts: {e}"),
                )
            })?;
            vec![point]
        }
    };
    for (n, p) in history.iter().enumerate() {
        if crate::values::parse_iso_fast(&p.as_of).is_none() {
            return Err(bad(
                dir,
                "summary.json",
                format!(
                    "history[{n}].asOf `{}`: expected YYYY-MM-DDTHH:MM:SSZ",
                    p.as_of
                ),
            ));
        }
    }
    Ok((as_of, history))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_is_undone_only_where_it_was_applied() {
        assert_eq!(unguard("'=1+3 MSOBB"), "=1+3 MSOBB");
        assert_eq!(unguard("'@home"), "@home");
        assert_eq!(unguard("O'Neil"), "O'Neil");
        assert_eq!(unguard("'quoted"), "'quoted");
        // `+1 425...` is left unguarded by the writer, so `'+1 425` was written as it is.
        assert_eq!(unguard("'+1 425"), "'+1 425");
    }

    #[test]
    fn manifest_paths_stay_inside_the_folder() {
        assert!(inside("findings.csv"));
        assert!(inside("bulk/revoke-sessions.csv"));
        assert!(!inside("../x.csv"));
        assert!(!inside("/etc/passwd"));
        assert!(!inside("bulk/../../x"));
        assert!(!inside(""));
    }
}
