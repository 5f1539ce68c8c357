//! Enforcement coverage end to end: the CA fixture tenant's coverage.csv matches the table in
//! fixtures/ca/README.md, coverage.csv is listed in the manifest, and bad policy JSON exits 2.

mod common;
use common::*;

fn ca_args() -> Vec<String> {
    vec![
        fixture("ca/exportUsers_2026-11-21.csv"),
        "--policies".into(),
        fixture("ca/policies"),
        "--groups".into(),
        fixture("ca/groups.json"),
        "--role-assignments".into(),
        fixture("ca/roleAssignments.json"),
    ]
}

#[test]
fn ca_fixture_matches_its_readme_table() {
    let readme = std::fs::read_to_string(root().join("fixtures/ca/README.md")).unwrap();
    let expected: std::collections::BTreeMap<String, String> = readme
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| account"))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            (c[1].to_string(), c[2].to_string())
        })
        .collect();
    assert_eq!(expected.len(), 5, "the README table lists every account");
    let args = ca_args();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = audit(&a);
    let rows = read_maps(&out(&dir).join("coverage.csv"));
    let got: std::collections::BTreeMap<String, String> = rows
        .iter()
        .map(|r| (r["userPrincipalName"].clone(), r["coverage"].clone()))
        .collect();
    assert_eq!(got, expected);
    let manifest = std::fs::read_to_string(out(&dir).join("manifest.json")).unwrap();
    assert!(manifest.contains("coverage.csv"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out(&dir).join("summary.json")).unwrap())
            .unwrap();
    let c = &summary["coverage"]["accounts"];
    assert_eq!(
        (
            c["enforced"].as_u64(),
            c["partial"].as_u64(),
            c["none"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(summary["coverage"]["admins"]["enforced"].as_u64(), Some(1));
    let score = summary["secureScore"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["control"] == "AdminMFAV2")
        .unwrap();
    assert_eq!(
        (score["counted"].as_u64(), score["total"].as_u64()),
        (Some(1), Some(1)),
        "{score}"
    );
}

#[test]
fn no_policies_no_coverage_csv_and_bad_json_exits_2() {
    let dir = audit(&[&fixture("ca/exportUsers_2026-11-21.csv")]);
    assert!(!out(&dir).join("coverage.csv").exists());
    let summary = std::fs::read_to_string(out(&dir).join("summary.json")).unwrap();
    assert!(!summary.contains("\"coverage\""));
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("broken-policy.json");
    std::fs::write(&bad, "{\"id\": ").unwrap();
    let o = run(&[
        "audit",
        &fixture("ca/exportUsers_2026-11-21.csv"),
        "--policies",
        &bad.display().to_string(),
        "--out",
        &tmp.path().join("out").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken-policy.json"), "{}", stderr(&o));
}

#[test]
fn coverage_findings_fire_only_where_they_must() {
    let args = ca_args();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = audit(&a);
    let rows = read_maps(&out(&dir).join("findings.csv"));
    let codes = |upn: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r.values().any(|v| v == upn))
            .flat_map(|r| {
                r.values()
                    .filter(|v| v.contains("mfa-") || v.starts_with("ca-"))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    assert!(codes("breakglass@fabrikam.com").contains(&"mfa-not-enforced".to_string()));
    assert!(codes("breakglass@fabrikam.com").contains(&"ca-exclusion-undocumented".to_string()));
    assert!(codes("bob@fabrikam.com").contains(&"mfa-partially-enforced".to_string()));
    assert!(
        !codes("alice@fabrikam.com")
            .iter()
            .any(|c| c.contains("enforced") || c.starts_with("ca-"))
    );
    assert!(
        !codes("carol@fabrikam.com")
            .iter()
            .any(|c| c == "admin-mfa-not-enforced")
    );
    let o = run(&["rules"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for c in [
        "mfa-not-enforced",
        "mfa-partially-enforced",
        "admin-mfa-not-enforced",
        "ca-exclusion-undocumented",
    ] {
        assert!(text.contains(c), "rules lists {c}");
    }
}

/// The bundled tenant carries its Conditional Access inputs in its folder (found by content):
/// `audit fixtures/contoso` alone evaluates coverage, and the result matches
/// fixtures/contoso-coverage.md (every account not listed there is enforced by the baseline).
#[test]
fn contoso_shows_coverage_with_no_options_as_its_table_says() {
    let table = std::fs::read_to_string(root().join("fixtures/contoso-coverage.md")).unwrap();
    let special: std::collections::BTreeMap<String, String> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| account"))
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            (c[1].to_string(), c[2].to_string())
        })
        .collect();
    assert!(special.len() >= 8, "{special:?}");
    let contoso = fixture("contoso");
    let dir = audit(&[contoso.as_str()]);
    let rows = read_maps(&out(&dir).join("coverage.csv"));
    assert!(rows.len() > 90, "every account has a coverage row");
    for r in &rows {
        let upn = &r["userPrincipalName"];
        let want = special.get(upn).map_or("enforced", String::as_str);
        assert_eq!(r["coverage"], want, "{upn}");
    }
    // Each special account is in the output.
    for upn in special.keys() {
        assert!(rows.iter().any(|r| &r["userPrincipalName"] == upn), "{upn}");
    }
    // The coverage inputs were read as such, not reported as unrecognised files.
    let issues = std::fs::read_to_string(out(&dir).join("input-issues.csv")).unwrap();
    for f in ["ca-policies", "groups.json", "roleAssignments.json"] {
        assert!(!issues.contains(f), "{f} in input issues:\n{issues}");
    }
    let findings = std::fs::read_to_string(out(&dir).join("findings.csv")).unwrap();
    assert!(
        findings.contains("weak.officephone@contoso.com,66a056cf-ad6a-4a90-987f-0702f57ddfb8,")
    );
    assert!(findings.contains(",mfa-partially-enforced,"), "{findings}");
    assert!(
        findings.contains(",ca-exclusion-undocumented,"),
        "{findings}"
    );
}

/// A policy naming a user that no input holds is an input issue naming the policy file.
#[test]
fn a_policy_naming_an_unknown_user_is_an_input_issue_naming_its_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("CA009.json");
    std::fs::write(
        &p,
        r#"{"id":"p9","displayName":"CA009 Named user","state":"enabled",
            "conditions":{"users":{"includeUsers":["99999999-0000-4000-8000-000000000009"]},
                          "applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},
            "grantControls":{"operator":"OR","builtInControls":["mfa"]}}"#,
    )
    .unwrap();
    let users = fixture("ca/exportUsers_2026-11-21.csv");
    let pol = p.display().to_string();
    let dir = audit(&[users.as_str(), "--policies", pol.as_str()]);
    let issues = std::fs::read_to_string(out(&dir).join("input-issues.csv")).unwrap();
    let line = issues
        .lines()
        .find(|l| l.contains("99999999-0000-4000-8000-000000000009"))
        .unwrap_or_else(|| panic!("no issue for the unknown id:\n{issues}"));
    assert!(
        line.contains("CA009.json") && line.contains("CA009 Named user"),
        "{line}"
    );
    assert!(line.contains("includeUsers"), "{line}");
    // The CA fixture's own policies name only known objects.
    let args = ca_args();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let clean = audit(&a);
    let issues = std::fs::read_to_string(out(&clean).join("input-issues.csv")).unwrap();
    assert!(!issues.contains("found in no input"), "{issues}");
}

/// A policies sub-folder found by content is read whole: a README beside the policies is
/// skipped (coverage is still evaluated), and a policy file that is not valid JSON stops the run
/// naming it, instead of the folder being passed over and coverage silently not evaluated.
#[test]
fn a_policies_folder_with_a_readme_is_read_and_one_with_bad_json_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let tenant = tmp.path().join("contoso");
    copy_dir(&root().join("fixtures/contoso"), &tenant);
    std::fs::write(
        tenant.join("ca-policies/README.txt"),
        "exported 2026-11-21\n",
    )
    .unwrap();
    let t = tenant.display().to_string();
    let dir = audit(&[t.as_str()]);
    assert!(out(&dir).join("coverage.csv").exists());
    let summary = std::fs::read_to_string(out(&dir).join("summary.json")).unwrap();
    assert!(!summary.contains("no Conditional Access policies input"));

    let bad = tenant.join("ca-policies/CA003.json");
    let text = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let err = audit_refused(&[t.as_str()], tmp.path());
    assert!(err.contains("CA003.json"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
}

/// Group memberships and role assignments kept inside the policies folder are read as such (the
/// coverage is that of the fixture's README table), and a JSON file there that is none of the
/// three stops the run naming it.
#[test]
fn memberships_beside_the_policies_are_read_and_other_json_there_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let tenant = tmp.path().join("ca");
    copy_dir(&root().join("fixtures/ca"), &tenant);
    for f in ["groups.json", "roleAssignments.json"] {
        std::fs::rename(tenant.join(f), tenant.join("policies").join(f)).unwrap();
    }
    let t = tenant.display().to_string();
    let moved = audit(&[t.as_str()]);
    let named = audit(&ca_args().iter().map(String::as_str).collect::<Vec<_>>());
    let coverage =
        |d: &tempfile::TempDir| std::fs::read_to_string(out(d).join("coverage.csv")).unwrap();
    assert_eq!(coverage(&moved), coverage(&named));

    std::fs::write(
        tenant.join("policies/notes.json"),
        "{\"owner\": \"IAM team\"}",
    )
    .unwrap();
    let err = audit_refused(&[t.as_str()], tmp.path());
    assert!(err.contains("notes.json"), "{err}");
}
