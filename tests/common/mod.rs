//! Shared helpers for the integration tests: run the binary, read its CSV and JSON outputs.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> String {
    root().join("fixtures").join(rel).display().to_string()
}

pub fn run(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Runs `audit ARGS --out TMP` and asserts it succeeded.
pub fn audit(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let mut all: Vec<&str> = vec!["audit"];
    all.extend_from_slice(args);
    let out_s = out.display().to_string();
    all.extend_from_slice(&["--out", &out_s]);
    let o = run(&all);
    assert!(
        o.status.success(),
        "audit {args:?} failed: {}\n{}",
        stderr(&o),
        String::from_utf8_lossy(&o.stdout)
    );
    dir
}

pub fn out(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("out")
}

/// The contoso audit, run once for all tests of a test binary.
pub fn contoso() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let d = DIR.get_or_init(|| audit(&[&fixture("contoso")]));
    d.path()
}

pub fn contoso_out() -> PathBuf {
    contoso().join("out")
}

/// Header and rows of a CSV file.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("csv record").iter().map(str::to_string).collect())
        .collect();
    let header = if rows.is_empty() {
        vec![]
    } else {
        rows.remove(0)
    };
    (header, rows)
}

/// Rows of a CSV as maps from header to value.
pub fn read_maps(path: &Path) -> Vec<BTreeMap<String, String>> {
    let (h, rows) = read_csv(path);
    rows.into_iter()
        .map(|r| h.iter().cloned().zip(r).collect())
        .collect()
}

/// findings.csv as UPN (lowercase) -> set of codes.
pub fn findings_by_upn(out: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in read_maps(&out.join("findings.csv")) {
        m.entry(r["userPrincipalName"].to_lowercase())
            .or_default()
            .insert(r["finding"].clone());
    }
    m
}

pub fn json(path: &Path) -> serde_json::Value {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&s).expect("valid JSON")
}

pub fn codes(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Copies a fixture folder (recursively) so a test can change a file in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Every file under `dir` (recursively) with its bytes, by path relative to `dir`.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("folder reads") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside").display().to_string();
                out.insert(rel, std::fs::read(&p).expect("file reads"));
            }
        }
    }
    out
}

/// Runs `audit ARGS --out TMP/refused` and asserts exit code 2; returns stderr.
pub fn audit_refused(args: &[&str], tmp: &Path) -> String {
    let out = tmp.join("refused").display().to_string();
    let mut all: Vec<&str> = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &out]);
    let o = run(&all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    err
}
