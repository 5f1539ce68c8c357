//! `--baseline`: campaign progress between two runs on fixtures/campaign (three weekly exports of
//! one tenant). The expected progress.csv is written by hand from the scenario in
//! scripts/make_campaign.py; a tampered, incomplete or foreign baseline stops the run (exit 2).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

const W1: &str = "campaign/week-2026-11-14";
const W2: &str = "campaign/week-2026-11-21";
const W3: &str = "campaign/week-2026-11-28";

/// `audit FIXTURE [--baseline DIR] --out OUT`, asserting success.
fn run_week(week: &str, baseline: Option<&Path>, out: &Path) {
    let out_s = out.display().to_string();
    let mut args = vec!["audit".to_string(), fixture(week), "--out".into(), out_s];
    if let Some(b) = baseline {
        args.push("--baseline".into());
        args.push(b.display().to_string());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&a);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
}

/// Runs week 1, then week 2 against it, in a fresh folder: (tmp, week-1 out, week-2 out).
fn two_weeks() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (w1, w2) = (tmp.path().join("w1"), tmp.path().join("w2"));
    run_week(W1, None, &w1);
    run_week(W2, Some(&w1), &w2);
    (tmp, w1, w2)
}

#[test]
fn two_weeks_apart_give_the_expected_progress_csv() {
    let (_tmp, w1, w2) = two_weeks();
    let expected = std::fs::read(root().join("tests/expected/campaign/progress-2026-11-21.csv"))
        .expect("expected file");
    let got = std::fs::read(w2.join("progress.csv")).expect("progress.csv written");
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&expected)
    );
    // Listed in the manifest with its hash, like every output.
    let m = json(&w2.join("manifest.json"));
    let listed = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["path"] == "progress.csv")
        .expect("progress.csv in manifest.json");
    assert_eq!(
        listed["sha256"].as_str().unwrap(),
        mfa_audit::sha256_hex(&got)
    );
    // The first run had no baseline: no progress.csv, no history, no Progress sheet.
    assert!(!w1.join("progress.csv").exists());
    assert!(json(&w1.join("summary.json")).get("history").is_none());
    let x: Xlsx<_> = open_workbook(w1.join("mfa-readiness.xlsx")).unwrap();
    assert!(!x.sheet_names().iter().any(|n| n == "Progress"));
}

#[test]
fn a_rerun_against_the_same_baseline_is_byte_identical() {
    let (tmp, w1, w2) = two_weeks();
    let again = tmp.path().join("again");
    run_week(W2, Some(&w1), &again);
    for f in [
        "progress.csv",
        "summary.json",
        "manifest.json",
        "mfa-readiness.xlsx",
        "report.html",
    ] {
        assert!(
            std::fs::read(w2.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
}

#[test]
fn a_chain_of_three_runs_carries_a_three_point_history_and_chart() {
    let (tmp, _w1, w2) = two_weeks();
    let w3 = tmp.path().join("w3");
    run_week(W3, Some(&w2), &w3);
    let s = json(&w3.join("summary.json"));
    let h = s["history"].as_array().expect("history list");
    // From the scenario: in scope 10 / 9 / 9 (olivia disabled from week 2; frank and grace
    // leave, heidi and ivan join), registered 3 / 5 / 8, not registered 6 / 4 / 1.
    let got: Vec<(String, f64, u64, u64)> = h
        .iter()
        .map(|p| {
            (
                p["asOf"].as_str().unwrap().to_string(),
                p["registration"]["percent"].as_f64().unwrap(),
                p["registration"]["inScope"].as_u64().unwrap(),
                p["findings"]["not-registered"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-11-14T09:00:00Z".to_string(), 30.0, 10, 6),
            ("2026-11-21T09:00:00Z".to_string(), 55.6, 9, 4),
            ("2026-11-28T09:00:00Z".to_string(), 88.9, 9, 1),
        ]
    );
    // The last point is this run's own summary.
    assert_eq!(h[2]["registration"], s["registration"]);
    assert_eq!(h[2]["findings"], s["findings"]);

    // report.html draws the same three points (a line through them) and lists them; the first
    // run, without a baseline, has no campaign section.
    let page = std::fs::read_to_string(w3.join("report.html")).unwrap();
    let campaign = page
        .split("<section class=\"sheet\" id=\"campaign\">")
        .nth(1)
        .expect("a campaign section")
        .split("</section>")
        .next()
        .unwrap();
    assert_eq!(campaign.matches("<circle class=\"dot\"").count(), 3);
    for (day, pct) in [
        ("2026-11-14", "30.0%"),
        ("2026-11-21", "55.6%"),
        ("2026-11-28", "88.9%"),
    ] {
        assert!(
            campaign.contains(&format!("<title>{day}: {pct}</title>")),
            "{day} {pct}"
        );
    }
    let first = std::fs::read_to_string(tmp.path().join("w1/report.html")).unwrap();
    assert!(!first.contains("id=\"campaign\""));

    // The Progress sheet: one history row per run, and line charts over exactly those rows.
    let mut x: Xlsx<_> = open_workbook(w3.join("mfa-readiness.xlsx")).unwrap();
    assert_eq!(x.sheet_names()[1], "Progress");
    let rows: Vec<Vec<Data>> = x
        .worksheet_range("Progress")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    let head = rows
        .iter()
        .position(|r| r[0] == Data::String("As of".into()))
        .expect("history header");
    let readiness: Vec<f64> = rows[head + 1..head + 4]
        .iter()
        .map(|r| match r[1] {
            Data::Float(f) => f,
            ref other => panic!("readiness cell {other:?}"),
        })
        .collect();
    assert_eq!(readiness, [0.3, 0.556, 0.889]);
    let dated = |r: &Vec<Data>| matches!(r.first(), Some(Data::DateTime(_)));
    assert!(rows[head + 1..head + 4].iter().all(dated));
    assert!(!dated(&rows[head + 4]), "three points, not more");
    let first = head + 2; // 1-based row of the first point
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(w3.join("mfa-readiness.xlsx")).unwrap()).unwrap();
    let charts: Vec<String> = (1..)
        .map_while(|i| {
            let mut s = String::new();
            zip.by_name(&format!("xl/charts/chart{i}.xml"))
                .ok()?
                .read_to_string(&mut s)
                .ok()?;
            Some(s)
        })
        .collect();
    let lines: Vec<&String> = charts
        .iter()
        .filter(|c| c.contains("<c:lineChart>"))
        .collect();
    assert_eq!(lines.len(), 2, "a readiness chart and a counts chart");
    let range = format!("Progress!$B${first}:$B${}", first + 2);
    assert!(lines[0].contains(&range), "readiness over {range}");
    assert!(lines[1].contains(&format!("Progress!$E${first}:$E${}", first + 2)));

    // The change list is progress.csv.
    let (_, csv_rows) = read_csv(&w3.join("progress.csv"));
    let list_head = rows
        .iter()
        .position(|r| r[0] == Data::String("userPrincipalName".into()))
        .expect("change list header");
    let listed: Vec<Vec<String>> = rows[list_head + 1..]
        .iter()
        .map(|r| r.iter().take(4).map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(listed, csv_rows);
    // Printed, the change list's header repeats on every page.
    let mut wb = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut wb)
        .unwrap();
    let n = list_head + 1;
    assert!(
        wb.contains(&format!(
            "localSheetId=\"1\">Progress!${n}:${n}</definedName>"
        )),
        "{wb}"
    );
}

#[test]
fn a_rerun_of_the_same_week_replaces_its_history_point() {
    let (tmp, _w1, w2) = two_weeks();
    let again = tmp.path().join("again");
    run_week(W2, Some(&w2), &again);
    let (_, rows) = read_csv(&again.join("progress.csv"));
    assert!(rows.is_empty(), "nothing changed: {rows:?}");
    let h = json(&again.join("summary.json"))["history"].clone();
    assert_eq!(h, json(&w2.join("summary.json"))["history"]);
    assert_eq!(h.as_array().unwrap().len(), 2);
}

#[test]
fn a_tampered_baseline_file_stops_the_run_naming_it() {
    let (tmp, w1, _) = two_weeks();
    // An untouched copy is a good baseline.
    let copy = tmp.path().join("copy");
    copy_dir(&w1, &copy);
    run_week(W2, Some(&copy), &tmp.path().join("ok"));

    for (file, edit) in [
        ("findings.csv", "append"),
        ("bulk/revoke-sessions.csv", "append"),
        ("accounts.csv", "remove"),
    ] {
        let bad = tmp.path().join(format!("bad-{}", file.replace('/', "-")));
        copy_dir(&w1, &bad);
        let path = bad.join(file);
        if edit == "append" {
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend_from_slice(b"x\r\n");
            std::fs::write(&path, bytes).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        let out = tmp.path().join(format!("out-{}", file.replace('/', "-")));
        let o = run(&[
            "audit",
            &fixture(W2),
            "--baseline",
            &bad.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&bad.join(file).display().to_string()), "{err}");
        if edit == "append" {
            assert!(err.contains("edited is not evidence"), "{err}");
        } else {
            assert!(err.contains("missing"), "{err}");
        }
        assert!(!out.exists(), "nothing is written when the baseline fails");
    }
}

#[test]
fn a_folder_that_is_not_an_audit_output_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out").display().to_string();
    // The exports folder itself: no manifest.json.
    let o = run(&[
        "audit",
        &fixture(W2),
        "--baseline",
        &fixture(W1),
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not an mfa-audit output folder"),
        "{}",
        stderr(&o)
    );
    // A manifest.json from something else.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("manifest.json"), b"{\"outputs\": []}").unwrap();
    let o = run(&[
        "audit",
        &fixture(W2),
        "--baseline",
        &other.display().to_string(),
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not written by mfa-audit"));
    // A path that is not there.
    let o = run(&[
        "audit",
        &fixture(W2),
        "--baseline",
        "no/such/folder",
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a folder"));
}

#[test]
fn a_newer_baseline_or_the_output_folder_itself_is_refused() {
    let (tmp, _w1, w2) = two_weeks();
    // Week 1 against week 2: the baseline is later than the run.
    let out = tmp.path().join("back");
    let o = run(&[
        "audit",
        &fixture(W1),
        "--baseline",
        &w2.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("after this run's as-of"),
        "{}",
        stderr(&o)
    );
    // Writing into the baseline would overwrite the evidence.
    let before = std::fs::read(w2.join("manifest.json")).unwrap();
    let o = run(&[
        "audit",
        &fixture(W3),
        "--baseline",
        &w2.display().to_string(),
        "--out",
        &w2.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("also the output folder"));
    assert_eq!(std::fs::read(w2.join("manifest.json")).unwrap(), before);
}

#[test]
fn a_baseline_written_before_this_feature_still_reads() {
    // An older run: accounts.csv without the isMfaRegistered and findings columns, and a
    // summary.json without history. The manifest is rewritten to match, as that run wrote it.
    let (tmp, w1, _) = two_weeks();
    let old = tmp.path().join("old");
    copy_dir(&w1, &old);
    let (h, rows) = read_csv(&old.join("accounts.csv"));
    let keep: Vec<usize> = (0..h.len())
        .filter(|&i| h[i] != "isMfaRegistered" && h[i] != "findings")
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| &h[i])).unwrap();
    for r in &rows {
        w.write_record(keep.iter().map(|&i| &r[i])).unwrap();
    }
    std::fs::write(old.join("accounts.csv"), w.into_inner().unwrap()).unwrap();
    let mut m = json(&old.join("manifest.json"));
    for o in m["outputs"].as_array_mut().unwrap() {
        let p = old.join(o["path"].as_str().unwrap());
        o["sha256"] = mfa_audit::sha256_hex(&std::fs::read(p).unwrap()).into();
    }
    std::fs::write(
        old.join("manifest.json"),
        serde_json::to_vec_pretty(&m).unwrap(),
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_week(W2, Some(&old), &out);
    let changes: Vec<String> = read_csv(&out.join("progress.csv"))
        .1
        .iter()
        .map(|r| r[2].clone())
        .collect();
    // Findings, joiners and leavers are compared; registration is not (no column to compare).
    assert!(changes.contains(&"resolved".to_string()));
    assert!(changes.contains(&"new-account".to_string()));
    assert!(
        !changes
            .iter()
            .any(|c| c == "registered" || c == "regressed")
    );
    let s = json(&out.join("summary.json"));
    assert_eq!(s["history"].as_array().unwrap().len(), 2);
}
