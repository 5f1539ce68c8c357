//! mfa-readiness.xlsx read back with calamine: sheet headers, Summary figures against
//! summary.json, Findings / Accounts / Input issues rows against their CSVs, formula-looking text
//! as string cells, native charts, and byte-identical re-runs.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use mfa_audit::inert;
use serde_json::Value;

const SHEETS: &[&str] = &[
    "Summary",
    "Findings",
    "Accounts",
    "Departments",
    "Actions",
    "Input issues",
    "Coverage",
    "Passkey readiness",
    "Run",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the audit of the sample tenant into a fresh folder.
fn audit() -> tempfile::TempDir {
    let out = tempfile::TempDir::new().expect("temp dir");
    let status = Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .current_dir(root())
        .args(["audit", "fixtures/contoso", "--out"])
        .arg(out.path())
        .output()
        .expect("mfa-audit runs");
    assert!(
        status.status.success(),
        "mfa-audit failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

fn open(out: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(out.join("mfa-readiness.xlsx")).expect("workbook opens")
}

fn rows(x: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = x
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    // calamine starts the range at the first used cell; the sheets start at A1.
    assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
    range.rows().map(|r| r.to_vec()).collect()
}

fn csv_file(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let body = r
        .records()
        .map(|rec| rec.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, body)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("json file")).expect("valid json")
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => panic!("expected a string cell, got {other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number cell, got {other:?}"),
    }
}

/// Excel serial date of `YYYY-MM-DDTHH:MM:SSZ`.
fn serial(iso: &str) -> f64 {
    let t =
        chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%SZ").expect("ISO timestamp");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    (t - epoch).num_seconds() as f64 / 86_400.0
}

fn date(d: &Data) -> f64 {
    match d {
        Data::DateTime(dt) => dt.as_f64(),
        other => panic!("expected a date cell, got {other:?}"),
    }
}

fn header(row: &[Data]) -> Vec<String> {
    row.iter().map(text).collect()
}

/// Column A label -> column B value (first occurrence).
fn labels(rows: &[Vec<Data>]) -> HashMap<String, Data> {
    let mut m = HashMap::new();
    for r in rows {
        if let (Some(Data::String(k)), Some(v)) = (r.first(), r.get(1)) {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    m
}

/// Compares a sheet's rows with a CSV's rows: text cells hold the original text, which the CSV
/// holds neutralised (`output::inert`); date and number columns hold typed cells.
fn assert_rows_match(
    sheet: &str,
    got: &[Vec<Data>],
    csv_rows: &[Vec<String>],
    csv_header: &[String],
) {
    assert_eq!(got.len(), csv_rows.len(), "{sheet}: row count");
    for (i, (g, c)) in got.iter().zip(csv_rows).enumerate() {
        assert_eq!(g.len(), c.len(), "{sheet} row {}: columns", i + 2);
        for ((cell, want), col) in g.iter().zip(c).zip(csv_header) {
            let at = format!("{sheet} row {} column {col}", i + 2);
            match cell {
                Data::DateTime(_) => assert!(
                    (date(cell) - serial(want)).abs() < 1e-6,
                    "{at}: {cell:?} vs {want}"
                ),
                Data::Float(_) | Data::Int(_) => {
                    assert_eq!(
                        number(cell),
                        want.parse::<f64>().expect("number in CSV"),
                        "{at}"
                    )
                }
                _ => assert_eq!(inert(&text(cell)), *want, "{at}"),
            }
        }
    }
}

#[test]
fn sheets_and_headers() {
    let out = audit();
    let mut x = open(out.path());
    assert_eq!(x.sheet_names(), SHEETS);
    for (sheet, file) in [
        ("Findings", "findings.csv"),
        ("Accounts", "accounts.csv"),
        ("Input issues", "input-issues.csv"),
    ] {
        let (csv_header, _) = csv_file(&out.path().join(file));
        assert_eq!(
            header(&rows(&mut x, sheet)[0]),
            csv_header,
            "{sheet} header = {file} header"
        );
    }
    let departments = rows(&mut x, "Departments");
    assert_eq!(header(&departments[0]), mfa_audit::DEPARTMENTS_HEADER);
    let actions = rows(&mut x, "Actions");
    assert_eq!(header(&actions[0]), mfa_audit::ACTIONS_HEADER);

    let summary = rows(&mut x, "Summary");
    assert_eq!(summary[0][0], Data::String("MFA readiness".into()));
    let run = rows(&mut x, "Run");
    let inputs_header: Vec<String> = mfa_audit::INPUTS_HEADER
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        run.iter().any(|r| r
            .iter()
            .take(inputs_header.len())
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            == inputs_header),
        "Run has the inputs header"
    );
    for sheet in [
        "Findings",
        "Accounts",
        "Departments",
        "Actions",
        "Input issues",
    ] {
        assert!(rows(&mut x, sheet).len() > 1, "{sheet} has rows");
    }
}

#[test]
fn summary_figures_equal_summary_json() {
    let out = audit();
    let s = json(&out.path().join("summary.json"));
    let mut x = open(out.path());
    let sheet = rows(&mut x, "Summary");
    let kv = labels(&sheet);
    let n = |label: &str| {
        number(
            kv.get(label)
                .unwrap_or_else(|| panic!("Summary has no {label:?}")),
        )
    };
    let j = |ptr: &str| {
        s.pointer(ptr)
            .and_then(Value::as_f64)
            .unwrap_or_else(|| panic!("summary.json {ptr}"))
    };

    for (label, ptr) in [
        ("Accounts", "/population/total"),
        ("In scope", "/population/inScope"),
        ("Members", "/population/members"),
        ("Guests", "/population/guests"),
        ("Disabled", "/population/disabled"),
        ("Excluded", "/population/excluded"),
        (
            "Blank accountEnabled (treated as enabled)",
            "/population/enabledBlank",
        ),
        ("Admins in scope", "/population/adminsInScope"),
        ("Registered", "/registration/registered"),
        ("Not registered", "/registration/notRegistered"),
        ("Registration unknown", "/registration/unknown"),
        ("Stale after (days)", "/parameters/staleAfterDays"),
        ("Active within (days)", "/parameters/activeWithinDays"),
        ("Dormant after (days)", "/parameters/dormantAfterDays"),
        ("Input issues", "/inputIssues"),
    ] {
        assert_eq!(n(label), j(ptr), "{label} = summary.json {ptr}");
    }
    // Readiness is a fraction shown with a percent format.
    assert!((n("Registration readiness") * 100.0 - j("/registration/percent")).abs() < 1e-9);
    assert_eq!(n("In scope"), 89.0);

    let iso = |ptr: &str| s.pointer(ptr).and_then(Value::as_str).unwrap().to_string();
    for (label, ptr) in [
        ("As of", "/asOf"),
        (
            "Interactive sign-ins count since",
            "/thresholds/interactiveCountsSince",
        ),
        ("Active since", "/thresholds/activeSince"),
        ("Dormant since", "/thresholds/dormantSince"),
    ] {
        assert!(
            (date(&kv[label]) - serial(&iso(ptr))).abs() < 1e-6,
            "{label}"
        );
    }
    assert_eq!(text(&kv["As of chosen by"]), iso("/asOfSource"));

    // Count per finding code with its severity; codes not evaluated say so.
    let codes: Vec<&str> = mfa_audit::all_rules()
        .iter()
        .map(|r| r.code().as_str())
        .collect();
    let counts = s["findings"].as_object().unwrap();
    for rule in mfa_audit::all_rules() {
        let row = sheet
            .iter()
            .find(|r| r[0] == Data::String(rule.code().as_str().into()))
            .unwrap_or_else(|| panic!("Summary lists {}", rule.code()));
        match counts.get(rule.code().as_str()) {
            Some(c) => assert_eq!(number(&row[1]), c.as_f64().unwrap(), "{}", rule.code()),
            None => assert_eq!(text(&row[1]), "not evaluated"),
        }
        assert_eq!(text(&row[2]), rule.severity().as_str());
    }
    assert!(counts.keys().all(|k| codes.contains(&k.as_str())));
    for (sev, c) in s["findingsBySeverity"].as_object().unwrap() {
        assert_eq!(n(sev), c.as_f64().unwrap(), "severity {sev}");
    }
    let not_evaluated = s["notEvaluated"].as_array().unwrap();
    for ne in not_evaluated {
        // The code also heads its count row, so look for the row that carries the reason.
        let code = ne["code"].as_str().unwrap();
        let reason = ne["reason"].as_str().unwrap();
        assert!(
            sheet
                .iter()
                .any(|r| r[0] == Data::String(code.into()) && text(&r[1]) == reason),
            "Summary states why {code} was not evaluated: {reason}"
        );
    }
    if not_evaluated.is_empty() {
        assert_eq!(text(&kv["(none)"]), "every check was evaluated");
    }

    // Secure Score estimates with their population.
    let scores = s["secureScore"].as_array().unwrap();
    assert_eq!(scores.len(), 2);
    for e in scores {
        let control = e["control"].as_str().unwrap();
        let row = sheet
            .iter()
            .find(|r| r[0] == Data::String(control.into()))
            .expect("control row");
        assert_eq!(
            number(&row[1]),
            e["estimatedPoints"].as_f64().unwrap(),
            "{control} points"
        );
        assert_eq!(number(&row[2]), e["maxPoints"].as_f64().unwrap());
        assert_eq!(number(&row[3]), e["counted"].as_f64().unwrap());
        assert_eq!(number(&row[4]), e["total"].as_f64().unwrap());
        assert_eq!(text(&row[5]), e["population"].as_str().unwrap());
        assert_eq!(text(&row[6]), e["note"].as_str().unwrap());
    }
    let max: Vec<f64> = scores
        .iter()
        .map(|e| e["maxPoints"].as_f64().unwrap())
        .collect();
    assert_eq!(max, [9.0, 10.0]);
}

#[test]
fn findings_rows_equal_findings_csv() {
    let out = audit();
    let (h, csv_rows) = csv_file(&out.path().join("findings.csv"));
    let mut x = open(out.path());
    let got = rows(&mut x, "Findings");
    assert!(
        got[1..]
            .iter()
            .flatten()
            .all(|c| matches!(c, Data::String(_) | Data::Empty))
    );
    assert_rows_match("Findings", &got[1..], &csv_rows, &h);
}

#[test]
fn accounts_and_issues_rows_equal_their_csvs() {
    let out = audit();
    let mut x = open(out.path());
    let (h, csv_rows) = csv_file(&out.path().join("accounts.csv"));
    let got = rows(&mut x, "Accounts");
    assert_rows_match("Accounts", &got[1..], &csv_rows, &h);
    // Sign-in dates are real date cells.
    let col = h.iter().position(|c| c == "lastInteractiveSignIn").unwrap();
    let dated = got[1..]
        .iter()
        .filter(|r| matches!(r[col], Data::DateTime(_)))
        .count();
    assert_eq!(
        dated,
        csv_rows.iter().filter(|r| !r[col].is_empty()).count()
    );
    assert!(dated > 0);

    let (h, csv_rows) = csv_file(&out.path().join("input-issues.csv"));
    let got = rows(&mut x, "Input issues");
    assert_rows_match("Input issues", &got[1..], &csv_rows, &h);
}

#[test]
fn formula_like_text_is_a_string_cell() {
    let out = audit();
    let mut x = open(out.path());
    let accounts = rows(&mut x, "Accounts");
    let h = header(&accounts[0]);
    let (upn, name) = (
        h.iter().position(|c| c == "userPrincipalName").unwrap(),
        h.iter().position(|c| c == "displayName").unwrap(),
    );
    let row = accounts
        .iter()
        .find(|r| r[upn] == Data::String("formula.equals@contoso.com".into()))
        .expect("formula.equals account");
    assert_eq!(row[name], Data::String("=1+3 MSOBB".into()));
    for sheet in SHEETS {
        let formulas = x.worksheet_formula(sheet).expect("formulas read");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
    // No formula element in any worksheet part either.
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.path().join("mfa-readiness.xlsx")).unwrap())
            .unwrap();
    let parts: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("zip entry name").to_string())
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    assert_eq!(parts.len(), SHEETS.len());
    for name in parts {
        let mut xml = String::new();
        zip.by_name(&name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{name} holds a formula"
        );
    }
}

#[test]
fn departments_actions_and_run_come_from_the_report() {
    let out = audit();
    let s = json(&out.path().join("summary.json"));
    let mut x = open(out.path());

    let d = rows(&mut x, "Departments");
    let in_scope: f64 = d[1..].iter().map(|r| number(&r[1])).sum();
    assert_eq!(in_scope, s["population"]["inScope"].as_f64().unwrap());
    let readiness: Vec<f64> = d[1..].iter().map(|r| number(&r[3])).collect();
    assert!(
        readiness.windows(2).all(|w| w[0] <= w[1]),
        "worst first: {readiness:?}"
    );
    for r in &d[1..] {
        assert!((number(&r[3]) - number(&r[2]) / number(&r[1])).abs() < 0.001);
    }

    let a = rows(&mut x, "Actions");
    assert_eq!(a.len() - 1, 7, "one row per bulk file");
    for r in &a[1..] {
        let file = text(&r[0]);
        assert!(out.path().join(&file).is_file(), "{file} exists");
        assert!(!text(&r[1]).is_empty() && !text(&r[2]).is_empty());
        if file == "bulk/revoke-sessions.csv" {
            assert_eq!(
                number(&r[3]) as usize,
                csv_file(&out.path().join(&file)).1.len()
            );
        }
    }

    let manifest = json(&out.path().join("manifest.json"));
    let run = rows(&mut x, "Run");
    let kv = labels(&run);
    assert_eq!(text(&kv["Version"]), manifest["version"].as_str().unwrap());
    for i in manifest["inputs"].as_array().unwrap() {
        let path = i["path"].as_str().unwrap();
        let row = run
            .iter()
            .find(|r| r[0] == Data::String(path.into()))
            .expect("input listed in Run");
        assert_eq!(
            text(&row[3]),
            i["sha256"].as_str().unwrap(),
            "{path} SHA-256"
        );
        assert_eq!(number(&row[4]), i["bytes"].as_f64().unwrap());
        assert_eq!(number(&row[5]), i["rows"].as_f64().unwrap());
    }
}

#[test]
fn charts_are_native_parts_of_the_workbook() {
    let out = audit();
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.path().join("mfa-readiness.xlsx")).unwrap())
            .unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let pie = part("xl/charts/chart1.xml");
    assert!(pie.contains("<c:pieChart>") && pie.contains("Summary!"));
    let severity = part("xl/charts/chart2.xml");
    assert!(severity.contains("<c:barChart>") && severity.contains("Summary!"));
    let departments = part("xl/charts/chart3.xml");
    assert!(departments.contains("<c:barChart>") && departments.contains("Departments!"));
    assert!(part("xl/drawings/drawing1.xml").contains("chart"));
    let core = part("docProps/core.xml");
    assert!(
        core.contains(">2026-11-21T09:30:00Z</dcterms:created>"),
        "creation date is the as-of date"
    );
}

#[test]
fn reruns_give_identical_workbooks() {
    let (a, b) = (audit(), audit());
    let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("mfa-readiness.xlsx")).unwrap();
    assert!(
        read(&a) == read(&b),
        "mfa-readiness.xlsx differs between two runs"
    );
}

/// Every sheet's page setup read back from the xlsx parts: landscape, fit to one page wide
/// (the Summary to one page), the header row as print titles, and a header and footer with the
/// tenant domain, the as-of date and page numbers.
#[test]
fn every_sheet_is_set_up_for_printing() {
    let out = audit();
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(out.path().join("mfa-readiness.xlsx")).unwrap())
            .unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let workbook = part("xl/workbook.xml");
    for (i, sheet) in SHEETS.iter().enumerate() {
        let xml = part(&format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup = xml
            .split("<pageSetup ")
            .nth(1)
            .and_then(|s| s.split("/>").next())
            .unwrap_or_else(|| panic!("{sheet}: no pageSetup"));
        assert!(
            setup.contains("orientation=\"landscape\""),
            "{sheet}: {setup}"
        );
        assert!(
            xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{sheet} fits to pages"
        );
        // fitToWidth is 1 when absent; fitToHeight 0 = as many pages tall as needed.
        assert!(
            !setup.contains("fitToWidth") || setup.contains("fitToWidth=\"1\""),
            "{sheet}: {setup}"
        );
        if *sheet == "Summary" {
            assert!(
                !setup.contains("fitToHeight"),
                "Summary on one page: {setup}"
            );
        } else {
            assert!(setup.contains("fitToHeight=\"0\""), "{sheet}: {setup}");
        }
        let header = xml
            .split("<oddHeader>")
            .nth(1)
            .and_then(|s| s.split("</oddHeader>").next())
            .unwrap_or_else(|| panic!("{sheet}: no page header"));
        assert!(header.contains("contoso.com"), "{sheet}: {header}");
        assert!(header.contains("as of 2026-11-21"), "{sheet}: {header}");
        assert!(
            xml.contains("<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"),
            "{sheet}: page numbers"
        );
        let quoted = if sheet.contains(' ') {
            format!("'{sheet}'")
        } else {
            sheet.to_string()
        };
        // The Coverage sheet repeats its account list's header (row 21), the Passkey readiness
        // sheet its department list's (row 39), the others row 1.
        let row = match *sheet {
            "Coverage" => 21,
            "Passkey readiness" => 39,
            _ => 1,
        };
        let titles = format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{quoted}!${row}:${row}</definedName>"
        );
        assert!(workbook.contains(&titles), "{sheet}: {titles}");
    }
    // Long notes wrap: the Findings detail column, and its rows are as tall as their text.
    let findings = part("xl/worksheets/sheet2.xml");
    assert!(
        findings.contains("customHeight=\"1\""),
        "wrapped rows get a height"
    );
    let styles = part("xl/styles.xml");
    assert!(styles.contains("wrapText=\"1\""));
}

/// The Coverage sheet holds the coverage counts and, from its list header on, exactly the rows of
/// coverage.csv (contoso carries Conditional Access policies).
#[test]
fn the_coverage_sheet_reads_back_as_coverage_csv() {
    let out = audit();
    let mut x = open(out.path());
    let range = x.worksheet_range("Coverage").expect("Coverage sheet");
    let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header_at = cells
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == "userPrincipalName"))
        .expect("list header");
    let (header, body) = csv_file(&out.path().join("coverage.csv"));
    assert_eq!(
        cells[header_at][..header.len()]
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        header
    );
    let listed: Vec<Vec<String>> = cells[header_at + 1..]
        .iter()
        .map(|r| r[..header.len()].iter().map(text).collect())
        .collect();
    assert_eq!(listed, body);
    // The counts above the list add up to the accounts listed.
    let total: f64 = cells[..header_at]
        .iter()
        .filter(|r| {
            matches!(r.first(), Some(Data::String(s)) if ["enforced", "partial", "unknown", "none"].contains(&s.as_str()))
        })
        .map(|r| number(&r[1]))
        .sum();
    assert_eq!(total as usize, body.len());
}

#[test]
fn the_passkey_readiness_sheet_matches_the_summary() {
    let out = audit();
    let mut x = open(out.path());
    let s = json(&out.path().join("summary.json"));
    let p = &s["passkeyReadiness"];
    let r = rows(&mut x, "Passkey readiness");
    let value = |label: &str| -> String {
        r.iter()
            .find(|row| text(&row[0]).starts_with(label))
            .map(|row| text(&row[1]))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let days = p["daysLeft"].as_i64().expect("days left");
    assert_eq!(
        value("SMS and voice stop"),
        format!("2027-02-01 ({days} days left)")
    );
    assert_eq!(
        value("SMS/voice only"),
        p["weakMethodsOnly"].as_u64().expect("count").to_string()
    );
    assert!(
        value("Passkeys allowed").starts_with(&format!("{}%", p["passkeyAllowed"]["percentYes"]))
    );
    // The department list sums to the in-scope population.
    let header = r
        .iter()
        .position(|row| text(&row[0]) == "department")
        .expect("department header");
    let in_scope: f64 = r[header + 1..].iter().map(|row| number(&row[1])).sum();
    assert_eq!(in_scope, p["inScope"].as_f64().expect("in scope"));
}
