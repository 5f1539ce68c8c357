//! The authentication methods policy in each form real exports take (Graph, PowerShell SDK,
//! ScubaGear provider export) gives the same audit of the sample tenant; a too-shallow
//! PowerShell export is refused, naming the file; without the policy the passkey columns stay
//! blank and the policy-only rule is not evaluated.

mod common;

use std::path::Path;

use common::{audit_refused, copy_dir, files_under, read_maps, root};

/// Contoso with its Graph methods policy replaced by `variant` (or removed with `None`), audited;
/// returns the output folder's temp dir.
fn contoso_with(variant: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let exports = tmp.path().join("exports");
    copy_dir(&root().join("fixtures/contoso"), &exports);
    std::fs::remove_file(exports.join("authenticationMethodsPolicy.json")).expect("policy there");
    if let Some(v) = variant {
        std::fs::copy(
            root().join("fixtures/formats/methods-policy").join(v),
            exports.join(v),
        )
        .expect("copy variant");
    }
    let out = tmp.path().join("out");
    let o = common::run(&[
        "audit",
        &exports.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{variant:?}: {}", common::stderr(&o));
    tmp
}

fn findings(dir: &Path) -> Vec<u8> {
    files_under(dir)
        .remove("findings.csv")
        .expect("findings.csv")
}

#[test]
fn every_form_of_the_policy_gives_the_same_findings() {
    let graph = common::contoso_out();
    let want = findings(&graph);
    let want_accounts = std::fs::read(graph.join("accounts.csv")).expect("accounts");
    for v in ["powershell.json", "scubagear.json"] {
        let d = contoso_with(Some(v));
        let out = d.path().join("out");
        assert!(
            findings(&out) == want,
            "{v}: findings differ from the Graph form"
        );
        let accounts = std::fs::read(out.join("accounts.csv")).expect("accounts");
        assert!(accounts == want_accounts, "{v}: accounts.csv differs");
    }
}

#[test]
fn a_too_shallow_powershell_export_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let err = audit_refused(
        &[
            "fixtures/contoso",
            "--methods-policy",
            "fixtures/formats/methods-policy/shallow.json",
        ],
        tmp.path(),
    );
    assert!(err.contains("shallow.json"), "{err}");
    assert!(err.contains("-Depth"), "{err}");
}

#[test]
fn without_the_policy_the_passkey_columns_are_blank_and_the_policy_rule_not_evaluated() {
    let d = contoso_with(None);
    let out = d.path().join("out");
    let accounts = read_maps(&out.join("accounts.csv"));
    assert!(accounts.iter().all(|a| a["passkeyAllowed"].is_empty()));
    assert!(
        accounts
            .iter()
            .all(|a| a["retirementDate"] == "2027-02-01" || a["retirementDate"] == "2027-07-01")
    );
    let summary = common::json(&out.join("summary.json"));
    let skipped: Vec<String> = summary["notEvaluated"]
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n["code"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        skipped.contains(&"passkey-not-allowed".to_string()),
        "{skipped:?}"
    );
    assert!(summary["passkeyReadiness"]["passkeyAllowed"].is_null());
    // weak.officephone is then registered with a usable office phone: weak-methods-only.
    let by = common::findings_by_upn(&out);
    assert!(by["weak.officephone@contoso.com"].contains("weak-methods-only"));
    assert!(!by["weak.officephone@contoso.com"].contains("registered-not-usable"));
}

#[test]
fn sms_and_voice_past_their_date_stop_the_phone_rules_unless_a_provider_keeps_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = |extra: &[&str], name: &str| {
        let out = tmp.path().join(name);
        let mut args = vec!["audit", "fixtures/contoso", "--out"];
        let o = out.display().to_string();
        args.push(&o);
        args.extend_from_slice(extra);
        let r = common::run(&args);
        assert!(r.status.success(), "{}", common::stderr(&r));
        out
    };
    let past = run(&["--telephony-retirement", "2026-11-01"], "past");
    let summary = common::json(&past.join("summary.json"));
    let p = &summary["passkeyReadiness"];
    assert!(
        p["phoneRulesNotEvaluated"].as_u64().expect("count") > 50,
        "{p}"
    );
    let prepop =
        std::fs::read_to_string(past.join("bulk/phone-methods-prepopulate.csv")).expect("file");
    // Only a Global Administrator is left: the later date (2027-07-01) is still ahead for it.
    let rows: Vec<&str> = prepop.lines().skip(1).collect();
    assert_eq!(
        rows,
        vec!["admin.noreg2@contoso.com,+1 4255550124,mobile"],
        "{prepop}"
    );
    let both = run(
        &[
            "--telephony-retirement",
            "2026-11-01",
            "--telephony-retirement-late",
            "2026-11-02",
        ],
        "both",
    );
    let prepop =
        std::fs::read_to_string(both.join("bulk/phone-methods-prepopulate.csv")).expect("file");
    assert_eq!(
        prepop.lines().count(),
        1,
        "header only after both dates: {prepop}"
    );
    let kept = run(
        &["--telephony-retirement", "2026-11-01", "--telecom-provider"],
        "provider",
    );
    let prepop =
        std::fs::read_to_string(kept.join("bulk/phone-methods-prepopulate.csv")).expect("file");
    assert!(prepop.lines().count() > 10, "{prepop}");
    let f = std::fs::read_to_string(kept.join("findings.csv")).expect("findings");
    assert!(
        f.contains("weak-methods-only,medium,"),
        "medium with a provider"
    );
}
