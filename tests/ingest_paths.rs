//! The two sign-in ingest paths (the row reader and the columnar polars reader, see
//! src/input/signin_scan.rs) must give the same outputs, byte for byte: every file of the output
//! folder, on the fixtures and on a generated tenant. `MFA_AUDIT_INGEST` picks the path. The
//! columnar path exists only with the `columnar` cargo feature (`.ci/run` tests it).
#![cfg(feature = "columnar")]

mod common;

#[allow(dead_code)]
#[path = "../examples/gen_tenant.rs"]
mod gen_tenant;

use std::collections::BTreeMap;
use std::path::Path;

/// Runs the audit with `MFA_AUDIT_INGEST=mode`; returns the output files and stderr.
fn audit_with(mode: &str, args: &[&str], tmp: &Path) -> (BTreeMap<String, Vec<u8>>, String) {
    let out = tmp.join(mode);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .arg("audit")
        .args(args)
        .arg("--out")
        .arg(&out)
        .env("MFA_AUDIT_INGEST", mode)
        .env("MFA_AUDIT_TIMING", "1")
        .current_dir(common::root())
        .output()
        .expect("the binary runs");
    let err = common::stderr(&o);
    assert!(o.status.success(), "audit {args:?} ({mode}) failed: {err}");
    (common::files_under(&out), err)
}

/// Both paths on `args`; asserts identical outputs and that the columnar path read `expect_columnar`
/// sign-in files itself (not given back to the row reader).
fn same_outputs(args: &[&str], expect_columnar: usize) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (rows, rows_err) = audit_with("rows", args, tmp.path());
    let (cols, cols_err) = audit_with("columns", args, tmp.path());
    assert!(!rows_err.contains("columnar (polars)"), "{rows_err}");
    let n = cols_err.matches("columnar (polars)").count();
    assert_eq!(n, expect_columnar, "columnar reads in:\n{cols_err}");
    assert_eq!(
        rows.keys().collect::<Vec<_>>(),
        cols.keys().collect::<Vec<_>>(),
        "{args:?}: different files written"
    );
    for (name, a) in &rows {
        let b = &cols[name];
        if a != b {
            panic!(
                "{args:?}: {name} differs between the row and the columnar ingest\nrows:\n{}\ncolumns:\n{}",
                String::from_utf8_lossy(a)
                    .chars()
                    .take(3000)
                    .collect::<String>(),
                String::from_utf8_lossy(b)
                    .chars()
                    .take(3000)
                    .collect::<String>()
            );
        }
    }
    cols_err
}

#[test]
fn contoso_is_read_alike_by_both_paths() {
    same_outputs(&[&common::fixture("contoso")], 2);
}

#[test]
fn portal_and_log_analytics_csv_routes_are_read_alike() {
    same_outputs(
        &[
            &common::fixture("formats/signin-routes/portal-csv"),
            "--as-of",
            "2026-11-21",
        ],
        2,
    );
    // Log Analytics exports: ` [UTC]` headers, US-locale dates, multi-line JSON cells.
    same_outputs(
        &[
            &common::fixture("formats/signin-routes/la-csv"),
            "--as-of",
            "2026-11-21",
        ],
        2,
    );
}

#[test]
fn a_generated_tenant_is_read_alike_by_both_paths() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tenant = tmp.path().join("tenant");
    let as_of = gen_tenant::parse_date("2026-11-21").expect("date");
    gen_tenant::run(&tenant, 3000, 60_000, 11, as_of, 2, false).expect("tenant generated");
    same_outputs(&[&tenant.display().to_string()], 2);
}

#[test]
fn a_file_cut_inside_quotes_is_given_back_and_refused_with_its_row() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = common::root().join("fixtures/formats/signin-routes/portal-csv");
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).expect("dir");
    for e in std::fs::read_dir(&src).expect("fixture") {
        let p = e.expect("entry").path();
        let name = p.file_name().expect("name").to_owned();
        let mut data = std::fs::read(&p).expect("read");
        if name.to_string_lossy().starts_with("InteractiveSignIns") {
            // Cut the file inside the second quoted value of its last record (after `,"`).
            let body = &data[..data.len() - 2];
            let last = body.iter().rposition(|b| *b == b'\n').expect("lines") + 1;
            let cut = last
                + data[last..]
                    .windows(2)
                    .position(|w| w == b",\"")
                    .expect("a quoted field");
            data.truncate(cut + 2);
            data.extend_from_slice(b"cut off");
        }
        std::fs::write(dir.join(name), data).expect("write");
    }
    let out = tmp.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(["audit", &dir.display().to_string(), "--out"])
        .arg(&out)
        .env("MFA_AUDIT_INGEST", "columns")
        .env("MFA_AUDIT_TIMING", "1")
        .output()
        .expect("runs");
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("given back to the row reader"), "{err}");
    assert!(err.contains("never closed"), "{err}");
}

/// Blank records (an empty line, a `,,,,` row, a row with only unused columns filled) are for the
/// row reader to count and number: the columnar path gives such a file back, and both paths
/// agree byte for byte, row numbers of later issues included.
#[test]
fn a_file_with_blank_records_is_given_back_and_read_alike() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("in");
    common::copy_dir(
        &common::root().join("fixtures/formats/signin-routes/portal-csv"),
        &dir,
    );
    let name = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.to_string_lossy().contains("NonInteractiveSignIns"))
        .expect("a non-interactive file");
    let text = std::fs::read_to_string(&name).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let width = lines[0].matches(',').count();
    lines.insert(2, String::new());
    lines.insert(3, ",".repeat(width));
    // Only an unused column (the second, Request ID) filled.
    lines.insert(4, format!("\"\",\"x\"{}", ",".repeat(width - 1)));
    // A bad date after them, whose row number both paths must agree on.
    let bad = lines[5].replacen("\"20", "\"yesterday 20", 1);
    lines.insert(6, bad);
    std::fs::write(&name, lines.join("\n") + "\n").expect("write");
    let d = dir.display().to_string();
    let err = same_outputs(&[&d, "--as-of", "2026-11-21"], 1);
    assert!(
        err.contains("given back to the row reader (a record with none"),
        "{err}"
    );
}
