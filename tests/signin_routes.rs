//! One tenant's sign-ins exported through every route an auditor receives them by
//! (`fixtures/formats/signin-routes`, written by `scripts/make_signin_routes.py`): portal CSV and
//! JSON, Graph pages, Log Analytics CSV and JSON, a diagnostic-settings archive, and the per-user
//! summary (as Spark and as Log Analytics export it); plus registration from an incident-response
//! suite's MFA-AuthenticationMethods.csv. Every route must give the same findings.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROUTES: &[&str] = &[
    "portal-csv",
    "portal-json",
    "graph-pages",
    "la-csv",
    "la-json",
    "archive",
    "summary",
    "summary-la",
    "extractor",
];

fn route(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats/signin-routes")
        .join(name)
}

/// Audits `inputs` into a fresh folder; returns it (kept alive by the TempDir) and the exit code.
fn audit(inputs: &[&Path]) -> (tempfile::TempDir, i32, String) {
    let out = tempfile::tempdir().expect("temp dir");
    let o = Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .arg("audit")
        .args(inputs)
        .arg("--out")
        .arg(out.path().join("r"))
        .args(["--as-of", "2026-11-21"])
        .output()
        .expect("runs");
    let code = o.status.code().unwrap_or(-1);
    (out, code, String::from_utf8_lossy(&o.stderr).to_string())
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join("r").join(file)).expect("output file")
}

#[test]
fn every_route_gives_the_same_findings() {
    let (base, code, err) = audit(&[&route("portal-csv")]);
    assert_eq!(code, 0, "{err}");
    let want = read(base.path(), "findings.csv");
    // The sign-in findings are there, so equality says something.
    for f in [",stale-kmsi,", ",registration-skipped,"] {
        assert!(want.contains(f), "portal route lacks {f}:\n{want}");
    }
    // Ann is registered and clean but for the text message the logs show her using.
    let ann: Vec<&str> = want
        .lines()
        .filter(|l| l.starts_with("ann@tailspin.example"))
        .collect();
    assert_eq!(ann.len(), 1, "{want}");
    assert!(ann[0].contains(",telephony-in-use,"), "{want}");
    for r in &ROUTES[1..] {
        let (d, code, err) = audit(&[&route(r)]);
        assert_eq!(code, 0, "{r}: {err}");
        // The summary queries (queries/) do not compute lastTelephonyMfa yet: a summary carries
        // no methods used, so telephony-in-use is not evaluated there; all else is the same.
        let expect: String = if r.starts_with("summary") {
            want.split_inclusive('\n')
                .filter(|l| !l.contains(",telephony-in-use,"))
                .collect()
        } else {
            want.clone()
        };
        assert_eq!(read(d.path(), "findings.csv"), expect, "route {r}");
        let s: serde_json::Value =
            serde_json::from_str(&read(d.path(), "summary.json")).expect("summary.json");
        for i in s["inputs"].as_array().expect("inputs") {
            let n = |k: &str| i[k].as_u64().unwrap_or(0);
            assert_eq!(
                n("rowsRead"),
                n("rowsUsed") + n("rowsRejected") + n("rowsIgnored"),
                "{r}: {i}"
            );
            // Nothing but the users export is read as users.
            if i["kind"] == "users" {
                assert!(
                    i["path"]
                        .as_str()
                        .is_some_and(|p| p.contains("exportUsers")),
                    "{r}: {i}"
                );
            }
        }
    }
}

#[test]
fn the_archive_sets_aside_duplicates_other_identities_and_a_cut_off_line() {
    let (d, code, err) = audit(&[&route("archive")]);
    assert_eq!(code, 0, "{err}");
    let issues = read(d.path(), "input-issues.csv");
    assert!(issues.contains("records delivered again"), "{issues}");
    assert!(
        issues.contains("service-principal or managed-identity"),
        "{issues}"
    );
    let cut: Vec<&str> = issues
        .lines()
        .filter(|l| l.contains("last line is cut off"))
        .collect();
    assert_eq!(cut.len(), 1, "{issues}");
    assert!(
        cut[0].contains("PT1H.json,2,"),
        "names the file and line: {}",
        cut[0]
    );
    // Duplicates are counted on their own, in summary.json and in inspect's archive line.
    let s: serde_json::Value =
        serde_json::from_str(&read(d.path(), "summary.json")).expect("summary.json");
    let dups: u64 = s["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["rowsDuplicate"].as_u64().unwrap_or(0))
        .sum();
    let said: u64 = issues
        .lines()
        .filter(|l| l.contains("records delivered again"))
        .filter_map(|l| l.split(',').nth(4)?.split(' ').next()?.parse::<u64>().ok())
        .sum();
    assert!(dups > 0 && dups == said, "{dups} vs {said}: {issues}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .arg("inspect")
        .arg(route("archive"))
        .output()
        .expect("inspect runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("{dups} re-delivered duplicates")),
        "{text}"
    );
    // The portal route has none of these.
    let (p, _, _) = audit(&[&route("portal-csv")]);
    let portal = read(p.path(), "input-issues.csv");
    assert!(
        !portal.contains("delivered again") && !portal.contains("cut off"),
        "{portal}"
    );
}

#[test]
fn a_summary_whose_rows_disagree_on_the_window_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in [
        "exportUsers_2026-11-21.csv",
        "exportUserRegistrationDetails_2026-11-21.csv",
    ] {
        std::fs::copy(route("summary").join(f), dir.path().join(f)).expect("copy");
    }
    let text =
        std::fs::read_to_string(route("summary").join("signin-summary.csv")).expect("summary");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[3] = lines[3].replace("2026-10-23T00:00:00Z", "2026-10-01T00:00:00Z");
    std::fs::write(
        dir.path().join("signin-summary.csv"),
        lines.join("\n") + "\n",
    )
    .expect("write");
    let (_, code, err) = audit(&[dir.path()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("signin-summary.csv") && err.contains("row 4"),
        "{err}"
    );
    assert!(err.contains("windowStart"), "{err}");
    // The untouched summary is accepted.
    let (_, code, err) = audit(&[&route("summary")]);
    assert_eq!(code, 0, "{err}");
}

/// A Log Analytics export where the status column came out as `Status_dynamic` and `ResultType`
/// is blank: the error code is read from the JSON in `Status_dynamic`, and the findings are those
/// of every other route.
#[test]
fn a_status_dynamic_column_without_result_type_gives_the_same_findings() {
    let (base, _, _) = audit(&[&route("portal-csv")]);
    let want = read(base.path(), "findings.csv");
    let dir = tempfile::tempdir().expect("temp dir");
    for e in std::fs::read_dir(route("la-csv")).expect("fixture") {
        let p = e.expect("entry").path();
        let name = p.file_name().expect("name").to_string_lossy().to_string();
        if !name.starts_with("query_data") {
            std::fs::copy(&p, dir.path().join(&name)).expect("copy");
            continue;
        }
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&p)
            .expect("csv");
        let mut wr = csv::Writer::from_path(dir.path().join(&name)).expect("write");
        let mut result_type = None;
        for (i, rec) in rd.records().enumerate() {
            let rec = rec.expect("record");
            let cells: Vec<String> = rec
                .iter()
                .enumerate()
                .map(|(c, v)| {
                    if i == 0 {
                        if v == "ResultType" {
                            result_type = Some(c);
                        }
                        return if v == "Status" {
                            "Status_dynamic".into()
                        } else {
                            v.into()
                        };
                    }
                    if Some(c) == result_type {
                        String::new()
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            wr.write_record(&cells).expect("row");
        }
        assert!(result_type.is_some(), "{name} has a ResultType column");
        wr.flush().expect("flush");
    }
    let (d, code, err) = audit(&[dir.path()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(d.path(), "findings.csv"), want);
    let s: serde_json::Value =
        serde_json::from_str(&read(d.path(), "summary.json")).expect("summary.json");
    let inputs = s["inputs"].as_array().expect("inputs");
    assert!(
        inputs.iter().any(|i| i["kind"] == "sign-ins"),
        "read as sign-ins: {inputs:?}"
    );
}
