//! Reading every real export format: detection (kind, format, row count), canonical values that
//! are the same whichever format they came from, encodings and delimiters, date order, zip
//! archives, and input issues that name file, row and column.

mod common;

use std::collections::BTreeMap;

use common::*;

/// `inspect --json` on one path: (path, kind, rows read, used, rejected) per file.
fn inspect(path: &str, extra: &[&str]) -> Vec<(String, String, u64, u64, u64)> {
    let mut args = vec!["inspect", "--json", path];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "inspect {path}: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("inspect JSON");
    v["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let rows = &f["rows"];
            let (r, u, j) = (
                rows["read"].as_u64().unwrap_or(0),
                rows["used"].as_u64().unwrap_or(0),
                rows["rejected"].as_u64().unwrap_or(0),
            );
            assert_eq!(r, u + j, "{path}: rows read = used + rejected");
            let p = f["path"]
                .as_str()
                .unwrap_or("")
                .rsplit(['/', '!'])
                .next()
                .unwrap_or("")
                .to_string();
            (p, f["kind"].as_str().unwrap_or("").to_string(), r, u, j)
        })
        .collect()
}

#[test]
fn inspect_reports_the_kind_and_rows_of_every_fixture() {
    let cases: &[(&str, &str, u64)] = &[
        ("contoso/exportUsers_2026-11-21.csv", "users", 96),
        (
            "contoso/exportUserRegistrationDetails_2026-11-21.csv",
            "registration",
            91,
        ),
        (
            "contoso/InteractiveSignIns_2026-08-01_2026-11-21.csv",
            "sign-ins",
            350,
        ),
        (
            "contoso/NonInteractiveSignIns_2026-08-01_2026-11-21.csv",
            "sign-ins",
            626,
        ),
        (
            "contoso/MFA_Status_Report_Nov-21-2026.csv",
            "per-user-mfa",
            86,
        ),
        ("contoso/mfa-exclusions.csv", "exclusions", 6),
        ("formats/m365-old/users_2026-11-21.csv", "users", 6),
        ("formats/m365-new/users_2026-11-21.csv", "users", 6),
        ("formats/graph-json/users-page1.json", "users", 3),
        ("formats/graph-json/users-page2.json", "users", 3),
        (
            "formats/graph-json/userRegistrationDetails.json",
            "registration",
            6,
        ),
        ("formats/graph-json/signIns.json", "sign-ins", 26),
        ("formats/xlsx/exportUsers_2026-11-21.xlsx", "users", 6),
        (
            "formats/xlsx/exportUserRegistrationDetails_2026-11-21.xlsx",
            "registration",
            6,
        ),
        (
            "formats/xlsx/InteractiveSignIns_2026-11-01_2026-11-21.xlsx",
            "sign-ins",
            13,
        ),
        ("formats/quirks/semicolon-bom.csv", "users", 6),
        ("formats/quirks/utf16le.csv", "users", 6),
        ("formats/quirks/windows1252.csv", "users", 6),
        ("formats/quirks/dmy-dates.csv", "users", 6),
        ("formats/quirks/per-user-graph.csv", "per-user-mfa", 6),
        ("formats/quirks/o365-disabled-users.csv", "per-user-mfa", 3),
        ("formats/quirks/credential-details.json", "registration", 6),
    ];
    for (path, kind, rows) in cases {
        let got = inspect(&fixture(path), &[]);
        assert_eq!(got.len(), 1, "{path}");
        assert_eq!(got[0].1, *kind, "{path}");
        assert_eq!(got[0].2, *rows, "{path}");
    }
}

#[test]
fn inspect_text_says_format_kind_and_columns() {
    let o = run(&["inspect", &fixture("formats/quirks/windows1252.csv")]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("Windows-1252") && t.contains("#TYPE line skipped"),
        "{t}"
    );
    assert!(t.contains("kind:    users"), "{t}");
    assert!(t.contains("<- UserPrincipalName"), "{t}");
    let o = run(&["inspect", &fixture("formats/quirks/utf16le.csv")]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("UTF-16LE") && t.contains("tab"), "{t}");
    let o = run(&["inspect", &fixture("formats/quirks/semicolon-bom.csv")]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("UTF-8 with BOM") && t.contains("';'"), "{t}");
    // The sign-in CSV: duplicate header noted, kind from headers, type from the name.
    let o = run(&[
        "inspect",
        &fixture("contoso/InteractiveSignIns_2026-08-01_2026-11-21.csv"),
    ]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("interactive (from the file name)"), "{t}");
    assert!(t.contains("header repeated (column 48)"), "{t}");
    assert!(
        t.contains("createdDateTime") && t.contains("<- Date (UTC)"),
        "{t}"
    );
}

#[test]
fn the_zip_archive_is_read_entry_by_entry() {
    let got = inspect(&fixture("formats/quirks/signins.zip"), &[]);
    let kinds: Vec<(&str, &str)> = got.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            ("InteractiveSignIns_2026-11-01_2026-11-21.csv", "sign-ins"),
            (
                "InteractiveSignIns_AuthDetails_2026-11-01_2026-11-21.csv",
                "auth-details"
            ),
            (
                "NonInteractiveSignIns_2026-11-01_2026-11-21.csv",
                "sign-ins"
            ),
        ]
    );
    // The zipped logs give the same findings as the loose CSVs.
    let loose = audit(&[&fixture("formats/entra-csv")]);
    let zipped = audit(&[
        &fixture("formats/entra-csv/exportUsers_2026-11-21.csv"),
        &fixture("formats/entra-csv/exportUserRegistrationDetails_2026-11-21.csv"),
        &fixture("formats/quirks/signins.zip"),
    ]);
    assert_eq!(
        std::fs::read_to_string(out(&loose).join("findings.csv")).expect("loose"),
        std::fs::read_to_string(out(&zipped).join("findings.csv")).expect("zipped")
    );
}

fn accounts_of(dir: &tempfile::TempDir) -> BTreeMap<String, BTreeMap<String, String>> {
    read_maps(&out(dir).join("accounts.csv"))
        .into_iter()
        .map(|r| (r["userPrincipalName"].to_lowercase(), r))
        .collect()
}

#[test]
fn canonical_values_are_identical_whichever_format_they_came_from() {
    let csv = accounts_of(&audit(&[&fixture("formats/entra-csv")]));
    let xlsx = accounts_of(&audit(&[&fixture("formats/xlsx")]));
    let json = accounts_of(&audit(&[&fixture("formats/graph-json")]));
    assert_eq!(csv.len(), 6);
    let cols = [
        "id",
        "displayName",
        "userType",
        "accountEnabled",
        "department",
        "usageLocation",
        "mobilePhoneNormalized",
        "isAdmin",
        "isMfaRegistered",
        "methodsRegistered",
        "lastInteractiveSignIn",
        "lastNonInteractiveSignIn",
        "inScope",
        "outOfScopeReason",
        "findings",
    ];
    for (upn, a) in &csv {
        for c in cols {
            assert_eq!(a[c], xlsx[upn][c], "{upn} {c}: CSV vs XLSX");
            assert_eq!(a[c], json[upn][c], "{upn} {c}: CSV vs Graph JSON");
        }
    }
    // A handful of values, asserted outright.
    assert_eq!(
        csv["alice@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550100"
    );
    assert_eq!(
        xlsx["alice@fabrikam.com"]["mobilePhone"], "14255550100",
        "the number cell"
    );
    assert_eq!(
        csv["dave@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550143"
    );
    assert_eq!(csv["frank@fabrikam.com"]["displayName"], "José Müller");
    assert_eq!(csv["erin@fabrikam.com"]["accountEnabled"], "false");
    assert_eq!(csv["carol@fabrikam.com"]["isAdmin"], "true");
    assert_eq!(csv["bob@fabrikam.com"]["isMfaRegistered"], "false");
    assert_eq!(
        csv["bob@fabrikam.com"]["lastInteractiveSignIn"],
        "2026-11-02T08:15:00Z"
    );
    assert_eq!(
        csv["alice@fabrikam.com"]["methodsRegistered"],
        "microsoftAuthenticatorPush;softwareOneTimePasscode"
    );
}

#[test]
fn encodings_delimiters_and_admin_center_orders_read_the_same_users() {
    let base = accounts_of(&audit(&[
        &fixture("formats/entra-csv/exportUsers_2026-11-21.csv"),
        "--as-of",
        "2026-11-21",
    ]));
    for f in [
        "formats/quirks/semicolon-bom.csv",
        "formats/quirks/utf16le.csv",
        "formats/quirks/windows1252.csv",
        "formats/m365-old/users_2026-11-21.csv",
        "formats/m365-new/users_2026-11-21.csv",
    ] {
        let got = accounts_of(&audit(&[&fixture(f), "--as-of", "2026-11-21"]));
        assert_eq!(got.len(), 6, "{f}");
        for (upn, a) in &base {
            for c in [
                "id",
                "displayName",
                "department",
                "accountEnabled",
                "mobilePhoneNormalized",
            ] {
                assert_eq!(a[c], got[upn][c], "{f}: {upn} {c}");
            }
        }
    }
}

#[test]
fn day_first_dates_are_detected_and_ambiguous_ones_need_date_order() {
    let d = accounts_of(&audit(&[&fixture("formats/quirks/dmy-dates.csv")]));
    assert_eq!(
        d["alice@fabrikam.com"]["createdDateTime"],
        "2021-08-19T13:25:00Z"
    );
    assert_eq!(
        d["bob@fabrikam.com"]["createdDateTime"], "2023-03-04T10:00:00Z",
        "04/03/2023 read day-first"
    );

    let tmp = tempfile::tempdir().expect("tmp");
    let o = run(&[
        "audit",
        &fixture("formats/quirks/ambiguous-dates.csv"),
        "--out",
        &tmp.path().join("o").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("ambiguous-dates.csv")
            && e.contains("createdDateTime")
            && e.contains("--date-order"),
        "{e}"
    );
    assert!(
        !tmp.path().join("o").exists(),
        "nothing written on an input error"
    );

    let mdy = accounts_of(&audit(&[
        &fixture("formats/quirks/ambiguous-dates.csv"),
        "--date-order",
        "mdy",
    ]));
    let dmy = accounts_of(&audit(&[
        &fixture("formats/quirks/ambiguous-dates.csv"),
        "--date-order",
        "dmy",
    ]));
    let (a, b) = (
        &mdy["bob@fabrikam.com"]["createdDateTime"],
        &dmy["bob@fabrikam.com"]["createdDateTime"],
    );
    assert!(!a.is_empty() && a != b, "{a} vs {b}");
}

#[test]
fn an_unnamed_sign_in_csv_must_be_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let outp = tmp.path().join("o").display().to_string();
    let users = fixture("formats/entra-csv/exportUsers_2026-11-21.csv");
    let reg = fixture("formats/entra-csv/exportUserRegistrationDetails_2026-11-21.csv");
    let unnamed = fixture("formats/quirks/signins-unnamed.csv");
    let o = run(&["audit", &users, &reg, &unnamed, "--out", &outp]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--interactive or --non-interactive"),
        "{}",
        stderr(&o)
    );
    let d = audit(&[&users, &reg, "--interactive", &unnamed]);
    let s = json(&out(&d).join("summary.json"));
    assert!(
        s["signInEvidence"]
            .as_str()
            .unwrap_or("")
            .contains("interactive sign-in logs")
    );
}

#[test]
fn a_missing_required_column_is_an_error_listing_the_headers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = run(&[
        "audit",
        "--users",
        &fixture("formats/malformed/no-upn.csv"),
        "--out",
        &tmp.path().join("o").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("no-upn.csv")
            && e.contains("Headers found: displayName, department, mobilePhone"),
        "{e}"
    );
    // Found in a folder, an unrecognised file is set aside as an input issue instead.
    let d = audit(&[&fixture("formats/malformed")]);
    let issues = read_maps(&out(&d).join("input-issues.csv"));
    assert!(
        issues
            .iter()
            .any(|i| i["file"].ends_with("no-upn.csv") && i["action"] == "ignored")
    );
}

#[test]
fn malformed_values_become_issues_naming_file_row_and_column() {
    let d = audit(&[&fixture("formats/malformed")]);
    let issues = read_maps(&out(&d).join("input-issues.csv"));
    let find = |file: &str, row: &str, col: &str| {
        issues
            .iter()
            .find(|i| i["file"].ends_with(file) && i["row"] == row && i["column"] == col)
            .unwrap_or_else(|| panic!("no issue for {file} row {row} column {col}: {issues:#?}"))
    };
    let i = find("bad-values-users.csv", "3", "accountEnabled");
    assert_eq!(
        (i["value"].as_str(), i["action"].as_str()),
        ("Maybe", "kept")
    );
    let i = find("bad-values-users.csv", "4", "createdDateTime");
    assert_eq!(i["value"], "not a date");
    let i = find("bad-values-users.csv", "6", "userPrincipalName");
    assert!(i["problem"].contains("duplicate account"), "{i:?}");
    let i = find("bad-values-users.csv", "7", "userPrincipalName");
    assert!(i["problem"].contains("surrounding spaces"), "{i:?}");
    let i = find("bad-methods-registration.csv", "3", "methodsRegistered");
    assert!(i["problem"].contains("System.Object[]"), "{i:?}");
    find("bad-methods-registration.csv", "4", "methodsRegistered");
    // The joined list on dave's row parses without an issue.
    assert!(
        !issues
            .iter()
            .any(|i| i["file"].ends_with("bad-methods-registration.csv") && i["row"] == "5")
    );
    // The duplicate is merged: one dave.
    let acc = accounts_of(&d);
    assert!(acc.contains_key("dave@fabrikam.com"));
    assert_eq!(acc.keys().filter(|k| k.starts_with("dave")).count(), 1);
    // Every input's rows reconcile.
    let s = json(&out(&d).join("summary.json"));
    for i in s["inputs"].as_array().expect("inputs") {
        assert_eq!(
            i["rowsRead"].as_u64(),
            Some(i["rowsUsed"].as_u64().unwrap_or(0) + i["rowsRejected"].as_u64().unwrap_or(0))
        );
    }
}

#[test]
fn orphan_rows_and_unknown_sign_in_users_are_rejected_and_counted() {
    let s = json(&contoso_out().join("summary.json"));
    let inputs: BTreeMap<String, &serde_json::Value> = s["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["path"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                i,
            )
        })
        .collect();
    let reg = inputs["exportUserRegistrationDetails_2026-11-21.csv"];
    assert_eq!(
        (reg["rowsRead"].as_u64(), reg["rowsRejected"].as_u64()),
        (Some(91), Some(1))
    );
    let ni = inputs["NonInteractiveSignIns_2026-08-01_2026-11-21.csv"];
    assert_eq!(
        ni["rowsRejected"].as_u64(),
        Some(3),
        "ghost.user twice, the sync account once"
    );
    let ex = inputs["mfa-exclusions.csv"];
    assert_eq!(
        ex["rowsRejected"].as_u64(),
        Some(1),
        "old.contractor matches no account"
    );
    for i in inputs.values() {
        assert_eq!(
            i["rowsRead"].as_u64(),
            Some(i["rowsUsed"].as_u64().unwrap_or(0) + i["rowsRejected"].as_u64().unwrap_or(0))
        );
    }
    let issues = read_maps(&contoso_out().join("input-issues.csv"));
    assert!(issues.iter().any(|i| i["value"] == "ghost.user@contoso.com"
        && i["file"].contains("exportUserRegistrationDetails")
        && i["action"] == "rejected"));
    assert!(
        issues
            .iter()
            .any(|i| i["value"] == "old.contractor@contoso.com" && i["row"] == "7")
    );
}

#[test]
fn a_stray_quote_inside_an_unquoted_value_is_not_a_truncated_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let users = tmp.path().join("exportUsers_2026-11-21.csv");
    std::fs::write(
        &users,
        "userPrincipalName,displayName,jobTitle,accountEnabled\n\
         a@fabrikam.com,Ann,27\" monitor tester,True\n\
         b@fabrikam.com,Bo,Clerk,True\n",
    )
    .expect("write");
    let p = users.display().to_string();
    let d = audit(&[&p, "--as-of", "2026-11-21"]);
    let acc = accounts_of(&d);
    assert_eq!(acc.len(), 2);
    assert_eq!(acc["a@fabrikam.com"]["jobTitle"], "27\" monitor tester");
    assert_eq!(acc["b@fabrikam.com"]["jobTitle"], "Clerk");
}
