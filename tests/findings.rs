//! The rule set on the sample tenants: every account of the scenario table in fixtures/README.md
//! gets exactly the codes it lists (flagged where it must be, and near misses not flagged), the
//! summary agrees with findings.csv, and rules with missing inputs flag nobody.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

/// The contoso scenario table: UPN -> the codes it must trigger (and no others).
fn scenario_table() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("fixtures/README.md")).expect("fixtures README");
    let section = text
        .split("## `contoso/`")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("contoso section");
    let mut m = BTreeMap::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') || !cells[1].ends_with('`') {
            continue;
        }
        let upn = cells[1].trim_matches('`').to_lowercase();
        if !upn.contains('@') || upn.contains(' ') {
            continue;
        }
        let codes: BTreeSet<String> = if cells[2] == "nothing" {
            BTreeSet::new()
        } else {
            cells[2]
                .split(',')
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect()
        };
        m.insert(upn, codes);
    }
    m
}

/// The Conditional Access finding codes.
const COVERAGE: [&str; 5] = [
    "strength-not-met",
    "mfa-not-enforced",
    "mfa-partially-enforced",
    "admin-mfa-not-enforced",
    "ca-exclusion-undocumented",
];

#[test]
fn every_scenario_account_gets_exactly_its_codes() {
    let table = scenario_table();
    assert!(
        table.len() > 50,
        "scenario table parsed: {} rows",
        table.len()
    );
    let got = findings_by_upn(&contoso_out());
    let mut wrong = Vec::new();
    for (upn, want) in &table {
        // The scenario table covers the registration and sign-in rules; the Conditional Access
        // rules are checked against fixtures/contoso-coverage.md (tests/coverage.rs).
        let have: BTreeSet<String> = got
            .get(upn)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !COVERAGE.contains(&c.as_str()))
            .collect();
        if &have != want {
            wrong.push(format!("{upn}: want {want:?}, got {have:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn accounts_outside_the_table_are_clean() {
    let table = scenario_table();
    let got = findings_by_upn(&contoso_out());
    let accounts = read_maps(&contoso_out().join("accounts.csv"));
    let mut clean = 0;
    for a in &accounts {
        let upn = a["userPrincipalName"].to_lowercase();
        if table.contains_key(&upn) {
            continue;
        }
        clean += 1;
        assert!(
            !got.contains_key(&upn),
            "{upn} is not in the scenario table but has {:?}",
            got.get(&upn)
        );
        assert_eq!(a["findings"], "", "{upn}");
    }
    assert!(clean >= 30, "the clean accounts are there ({clean})");
}

#[test]
fn near_misses_are_not_flagged() {
    let got = findings_by_upn(&contoso_out());
    let has = |upn: &str, code: &str| got.get(upn).is_some_and(|c| c.contains(code));
    // One day inside the stale threshold, and one day outside the active window.
    assert!(has("stale.kmsi1@contoso.com", "stale-kmsi"));
    assert!(!has("near.stale13d@contoso.com", "stale-kmsi"));
    assert!(!has("near.inactive15d@contoso.com", "stale-kmsi"));
    // Failed interactive sign-ins do not count as a sign-in.
    assert!(has("stale.failedonly@contoso.com", "stale-kmsi"));
    // A phishing-resistant admin.
    assert!(has(
        "admin.authapp1@contoso.com",
        "admin-not-phishing-resistant"
    ));
    assert!(!has(
        "admin.fido2@contoso.com",
        "admin-not-phishing-resistant"
    ));
    assert!(!has(
        "admin.whfb@contoso.com",
        "admin-not-phishing-resistant"
    ));
    // Dormant at 91 days, not at 89.
    assert!(has("dormant.91d@contoso.com", "dormant"));
    assert!(!has("near.dormant89d@contoso.com", "dormant"));
    // Out of scope: a guest, a disabled account, an excluded one.
    for upn in [
        "partner_fabrikam.com#ext#@contoso.onmicrosoft.com",
        "disabled.noreg@contoso.com",
        "breakglass1@contoso.com",
    ] {
        assert!(
            !got.contains_key(upn),
            "{upn} is out of scope but has {:?}",
            got.get(upn)
        );
    }
    // An expired exclusion no longer excludes.
    assert!(has("exclusion.expired2@contoso.com", "not-registered"));
}

#[test]
fn out_of_scope_accounts_carry_their_reason_and_no_findings() {
    let accounts = read_maps(&contoso_out().join("accounts.csv"));
    let by: BTreeMap<String, &BTreeMap<String, String>> = accounts
        .iter()
        .map(|a| (a["userPrincipalName"].to_lowercase(), a))
        .collect();
    assert_eq!(
        by["disabled.noreg@contoso.com"]["outOfScopeReason"],
        "disabled"
    );
    assert_eq!(
        by["partner_fabrikam.com#ext#@contoso.onmicrosoft.com"]["outOfScopeReason"],
        "guest"
    );
    assert!(by["breakglass1@contoso.com"]["outOfScopeReason"].starts_with("excluded: "));
    assert_eq!(
        by["megan.founder_outlook.com#ext#@contoso.onmicrosoft.com"]["inScope"],
        "true"
    );
    assert_eq!(by["blank.enabled@contoso.com"]["inScope"], "true");
    for a in &accounts {
        if a["inScope"] == "false" {
            assert_eq!(a["findings"], "", "{}", a["userPrincipalName"]);
            assert!(!a["outOfScopeReason"].is_empty());
        }
    }
}

#[test]
fn every_code_fires_and_summary_counts_equal_findings_rows() {
    let summary = json(&contoso_out().join("summary.json"));
    let (_, rows) = read_csv(&contoso_out().join("findings.csv"));
    let mut per_code: BTreeMap<String, u64> = BTreeMap::new();
    for r in &rows {
        *per_code.entry(r[3].clone()).or_default() += 1;
    }
    let counts = summary["findings"].as_object().expect("findings object");
    let rules = run(&["rules"]);
    let listed: Vec<String> = String::from_utf8_lossy(&rules.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert_eq!(listed.len(), 23);
    // Contoso carries its Conditional Access inputs, so every rule is evaluated and fires.
    for code in &listed {
        let n = per_code.get(code).copied().unwrap_or(0);
        assert!(n >= 1, "{code} never fires on contoso");
        assert_eq!(counts[code].as_u64(), Some(n), "{code}");
    }
    let not_evaluated = summary["notEvaluated"].as_array().expect("array");
    assert!(not_evaluated.is_empty(), "{not_evaluated:?}");
    let pop = &summary["population"];
    assert_eq!(pop["total"], 96);
    assert_eq!(pop["enabledBlank"], 1);
    assert_eq!(pop["guests"], 2);
}

#[test]
fn rules_with_missing_inputs_are_not_evaluated_and_flag_nobody() {
    // The M365 exports have no sign-in logs and no signInActivity.
    let d = audit(&[&fixture("formats/m365-new")]);
    let summary = json(&out(&d).join("summary.json"));
    let skipped: Vec<String> = summary["notEvaluated"]
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n["code"].as_str().unwrap_or("").to_string())
        .collect();
    for code in [
        "stale-kmsi",
        "dormant",
        "registration-skipped",
        "per-user-enabled-unregistered",
        "exclusion-expired",
    ] {
        assert!(
            skipped.contains(&code.to_string()),
            "{code} should not be evaluated: {skipped:?}"
        );
        assert!(summary["findings"].get(code).is_none());
    }
    let reason = summary["notEvaluated"][0]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("not evaluated: "), "{reason}");
    let got = findings_by_upn(&out(&d));
    assert!(
        got.values()
            .all(|c| !c.contains("stale-kmsi") && !c.contains("dormant"))
    );
    // ...but the rules it can run still run.
    assert!(got["bob@fabrikam.com"].contains("not-registered"));

    // A users export without a mobile phone column: the phone rules are not evaluated.
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("exportUsers_2026-11-21.csv"),
        "id,displayName,userPrincipalName,department,jobTitle,userType\n\
         54dbb3f2-d7b9-4d71-908d-85bf11210e81,Bob Baker,bob@fabrikam.com,Operations,Dispatcher,Member\n",
    )
    .expect("write");
    let users = tmp
        .path()
        .join("exportUsers_2026-11-21.csv")
        .display()
        .to_string();
    let d = audit(&[
        &users,
        &fixture("formats/entra-csv/exportUserRegistrationDetails_2026-11-21.csv"),
        "--as-of",
        "2026-11-21",
    ]);
    let summary = json(&out(&d).join("summary.json"));
    let text = summary["notEvaluated"].to_string();
    assert!(
        text.contains("missing-phone not evaluated: the users export has no mobile phone column"),
        "{text}"
    );
    let got = findings_by_upn(&out(&d));
    assert!(!got["bob@fabrikam.com"].contains("missing-phone"));
    assert!(got["bob@fabrikam.com"].contains("not-registered"));
}

#[test]
fn the_same_tenant_as_csv_xlsx_and_graph_json_gives_identical_findings() {
    let csv = audit(&[&fixture("formats/entra-csv")]);
    let xlsx = audit(&[&fixture("formats/xlsx")]);
    let json = audit(&[&fixture("formats/graph-json")]);
    let a = std::fs::read(out(&csv).join("findings.csv")).expect("csv findings");
    let b = std::fs::read(out(&xlsx).join("findings.csv")).expect("xlsx findings");
    let c = std::fs::read(out(&json).join("findings.csv")).expect("json findings");
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&c));
    let got = findings_by_upn(&out(&csv));
    assert_eq!(
        got["bob@fabrikam.com"],
        codes(&["missing-phone", "not-registered", "stale-kmsi"])
    );
    assert_eq!(
        got["carol@fabrikam.com"],
        codes(&["admin-not-phishing-resistant"])
    );
    assert!(!got.contains_key("alice@fabrikam.com"));
}

#[test]
fn thresholds_move_the_stale_boundary() {
    // near.stale13d last signed in interactively 2026-11-08 10:00: inside 14 days, outside 12.
    let d = audit(&[&fixture("contoso"), "--stale-after", "12"]);
    let got = findings_by_upn(&out(&d));
    assert!(got["near.stale13d@contoso.com"].contains("stale-kmsi"));
    let d = audit(&[&fixture("contoso"), "--campaign-start", "2026-11-09"]);
    let got = findings_by_upn(&out(&d));
    assert!(got["near.stale13d@contoso.com"].contains("stale-kmsi"));
    let summary = json(&out(&d).join("summary.json"));
    assert_eq!(
        summary["thresholds"]["interactiveCountsSince"],
        "2026-11-09T00:00:00Z"
    );
    // With the default, it is not flagged (checked in the scenario table too).
    let got = findings_by_upn(&contoso_out());
    assert!(!got["near.stale13d@contoso.com"].contains("stale-kmsi"));
}

#[test]
fn include_guests_brings_guests_into_scope() {
    let d = audit(&[&fixture("contoso"), "--include-guests"]);
    let got = findings_by_upn(&out(&d));
    assert!(got["partner_fabrikam.com#ext#@contoso.onmicrosoft.com"].contains("not-registered"));
    assert!(
        got["vendor_northwind.com#ext#@contoso.onmicrosoft.com"].contains("registration-unknown")
    );
}

#[test]
fn as_of_defaults_to_the_newest_timestamp_and_says_so() {
    let summary = json(&contoso_out().join("summary.json"));
    assert_eq!(summary["asOf"], "2026-11-21T09:30:00Z");
    assert!(
        summary["asOfSource"]
            .as_str()
            .unwrap_or("")
            .contains("newest")
    );
    let d = audit(&[&fixture("contoso"), "--as-of", "2026-12-31"]);
    let summary = json(&out(&d).join("summary.json"));
    assert_eq!(summary["asOf"], "2026-12-31T00:00:00Z");
    assert_eq!(summary["asOfSource"], "given with --as-of");
}

#[test]
fn rules_command_explains_a_code() {
    let o = run(&["rules", "stale-kmsi"]);
    assert!(o.status.success());
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("What:") && t.contains("Why:") && t.contains("What to do:"),
        "{t}"
    );
    let o = run(&["rules", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_new_account_that_never_signed_in_is_not_dormant() {
    // Graph users page with signInActivity: one account last signed in long ago, one new joiner never.
    let tmp = tempfile::tempdir().expect("tmp");
    let page = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[
      {"id":"11111111-1111-1111-1111-111111111111","userPrincipalName":"old.unused@fabrikam.com","displayName":"Old","accountEnabled":true,"userType":"Member","createdDateTime":"2025-01-10T08:00:00Z","signInActivity":{"lastSignInDateTime":"2025-03-01T08:00:00Z","lastNonInteractiveSignInDateTime":null,"lastSuccessfulSignInDateTime":"2025-03-01T08:00:00Z"}},
      {"id":"22222222-2222-2222-2222-222222222222","userPrincipalName":"new.joiner@fabrikam.com","displayName":"New","accountEnabled":true,"userType":"Member","createdDateTime":"2026-11-10T08:00:00Z","signInActivity":{"lastSignInDateTime":null,"lastNonInteractiveSignInDateTime":null,"lastSuccessfulSignInDateTime":null}}
    ]}"#;
    let path = tmp.path().join("users.json");
    std::fs::write(&path, page).expect("write");
    let p = path.display().to_string();
    let d = audit(&[&p, "--as-of", "2026-11-21"]);
    let got = findings_by_upn(&out(&d));
    assert!(got["old.unused@fabrikam.com"].contains("dormant"));
    assert!(
        !got.get("new.joiner@fabrikam.com")
            .is_some_and(|c| c.contains("dormant"))
    );
}

#[test]
fn an_all_empty_sign_in_activity_is_missing_data_not_never_signed_in() {
    // Without the licence that records it, Graph returns signInActivity as nulls for everyone.
    let tmp = tempfile::tempdir().expect("tmp");
    let page = r#"{"value":[
      {"id":"11111111-1111-1111-1111-111111111111","userPrincipalName":"a@fabrikam.com","accountEnabled":true,"userType":"Member","createdDateTime":"2025-01-10T08:00:00Z","signInActivity":{"lastSignInDateTime":null,"lastNonInteractiveSignInDateTime":null,"lastSuccessfulSignInDateTime":null}},
      {"id":"22222222-2222-2222-2222-222222222222","userPrincipalName":"b@fabrikam.com","accountEnabled":true,"userType":"Member","createdDateTime":"2025-02-10T08:00:00Z","signInActivity":{"lastSignInDateTime":null,"lastNonInteractiveSignInDateTime":null,"lastSuccessfulSignInDateTime":null}}
    ]}"#;
    let path = tmp.path().join("users.json");
    std::fs::write(&path, page).expect("write");
    let p = path.display().to_string();
    let d = audit(&[&p, "--as-of", "2026-11-21"]);
    let got = findings_by_upn(&out(&d));
    assert!(got.values().all(|c| !c.contains("dormant")), "{got:?}");
    let summary = json(&out(&d).join("summary.json"));
    let text = summary["notEvaluated"].to_string();
    assert!(
        text.contains("dormant not evaluated") && text.contains("empty for every account"),
        "{text}"
    );
}
