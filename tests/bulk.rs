//! The bulk-update CSVs and the evidence around them: byte-for-byte expected files for the sample
//! tenant (checked by hand against the formats in docs/outputs.md, "Bulk-update files"), value forms of the machine-import files,
//! reproducible outputs, manifest hashes, formula neutralisation, template and split options, and
//! the guard against writing into an input folder.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use sha2::{Digest, Sha256};

const BULK: &[&str] = &[
    "registration-group-add.csv",
    "registration-group-remove.csv",
    "per-user-mfa-bulk-update.csv",
    "phone-methods-prepopulate.csv",
    "revoke-sessions.csv",
    "directory-phone-fixes.csv",
    "passkey-campaign-group-add.csv",
];

#[test]
fn contoso_bulk_files_match_the_checked_expected_files_byte_for_byte() {
    for f in BULK {
        let got = std::fs::read(contoso_out().join("bulk").join(f)).expect("bulk file written");
        let want = std::fs::read(root().join("tests/expected/contoso/bulk").join(f))
            .expect("expected file");
        assert!(
            got == want,
            "bulk/{f} differs from tests/expected/contoso/bulk/{f}:\n{}",
            String::from_utf8_lossy(&got)
        );
    }
}

/// `+{country code} {national number}` with an optional `x{extension}` (docs/outputs.md,
/// "phone-methods-prepopulate.csv").
fn graph_phone(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let Some((cc, national)) = rest.split_once(' ') else {
        return false;
    };
    let (num, ext) = match national.split_once('x') {
        Some((n, e)) => (n, Some(e)),
        None => (national, None),
    };
    !cc.is_empty()
        && cc.len() <= 3
        && !cc.starts_with('0')
        && cc.chars().all(|c| c.is_ascii_digit())
        && (4..=14).contains(&num.len())
        && num.chars().all(|c| c.is_ascii_digit())
        && ext.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()))
}

fn guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[test]
fn graph_phone_pattern_itself_rejects_bad_forms() {
    assert!(graph_phone("+1 4255550100"));
    assert!(graph_phone("+1 2065555555x123"));
    for bad in [
        "+1 425 555 0100",
        "4255550100",
        "+1-4255550100",
        "+01 4255550100",
        "+1 42x",
        "+1 4255550100x",
    ] {
        assert!(!graph_phone(bad), "{bad}");
    }
}

#[test]
fn machine_import_files_hold_only_validated_values() {
    let out = contoso_out();
    let (h, rows) = read_csv(&out.join("bulk/phone-methods-prepopulate.csv"));
    assert_eq!(h, ["userPrincipalName", "phoneNumber", "phoneType"]);
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(graph_phone(&r[1]), "{r:?}");
        assert_eq!(r[2], "mobile");
        assert!(r[0].contains('@') && !r[0].contains(' '));
    }
    let (h, rows) = read_csv(&out.join("bulk/revoke-sessions.csv"));
    assert_eq!(h, ["userPrincipalName", "id"]);
    assert!(rows.iter().all(|r| guid(&r[1])));
    let (h, rows) = read_csv(&out.join("bulk/per-user-mfa-bulk-update.csv"));
    assert_eq!(h, ["Username", "MFA Status"]);
    assert!(rows.iter().all(|r| r[1] == "Enforced"));
    for f in [
        "registration-group-add.csv",
        "registration-group-remove.csv",
    ] {
        let (h, rows) = read_csv(&out.join("bulk").join(f));
        assert_eq!(
            h,
            ["Member object ID or user principal name [memberObjectIdOrUpn] Required"]
        );
        assert!(
            rows.iter()
                .all(|r| r.len() == 1 && (guid(&r[0]) || r[0].contains('@'))),
            "{f}"
        );
    }
}

#[test]
fn bulk_files_follow_the_findings() {
    let out = contoso_out();
    let findings = read_maps(&out.join("findings.csv"));
    let accounts = read_maps(&out.join("accounts.csv"));
    let id_of: BTreeMap<String, String> = accounts
        .iter()
        .map(|a| (a["userPrincipalName"].clone(), a["id"].clone()))
        .collect();
    let with = |code: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["finding"] == code)
            .map(|f| f["userPrincipalName"].clone())
            .collect()
    };
    let (_, add) = read_csv(&out.join("bulk/registration-group-add.csv"));
    let mut want: Vec<String> = with("not-registered")
        .into_iter()
        .chain(with("registration-unknown"))
        .map(|u| id_of[&u].clone())
        .collect();
    want.sort();
    let mut got: Vec<String> = add.into_iter().map(|r| r[0].clone()).collect();
    got.sort();
    assert_eq!(got, want);
    let (_, revoke) = read_csv(&out.join("bulk/revoke-sessions.csv"));
    assert_eq!(
        revoke.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        with("stale-kmsi")
    );
    let (_, phones) = read_csv(&out.join("bulk/phone-methods-prepopulate.csv"));
    assert_eq!(
        phones.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        with("phone-not-prepopulated")
    );
    let (_, remove) = read_csv(&out.join("bulk/registration-group-remove.csv"));
    let registered = accounts
        .iter()
        .filter(|a| a["inScope"] == "true" && a["isMfaRegistered"] == "true")
        .count();
    assert_eq!(remove.len(), registered);
    // Accounts already at the target state are left out of the per-user update.
    let (_, per_user) = read_csv(&out.join("bulk/per-user-mfa-bulk-update.csv"));
    let enforced: Vec<&String> = accounts
        .iter()
        .filter(|a| a["perUserMfaState"] == "Enforced")
        .map(|a| &a["userPrincipalName"])
        .collect();
    assert!(!enforced.is_empty());
    assert!(per_user.iter().all(|r| !enforced.contains(&&r[0])));
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sha_all(dir: &Path) -> BTreeMap<String, String> {
    files_under(dir)
        .into_iter()
        .map(|(rel, bytes)| (rel, hex(&bytes)))
        .collect()
}

#[test]
fn running_the_same_audit_twice_gives_byte_identical_outputs() {
    let a = audit(&[&fixture("contoso")]);
    let b = audit(&[&fixture("contoso")]);
    let (ha, hb) = (sha_all(&out(&a)), sha_all(&out(&b)));
    // 14 files (seven bulk files and report.html), plus coverage.csv: the sample tenant carries
    // Conditional Access policies.
    assert_eq!(ha.len(), 15, "{ha:?}");
    assert_eq!(ha, hb);
    assert!(
        !ha.keys().any(|k| k.contains(".tmp")),
        "no temporary files left: {ha:?}"
    );
}

#[test]
fn the_manifest_lists_inputs_and_outputs_with_their_hashes() {
    let out = contoso_out();
    let m = json(&out.join("manifest.json"));
    let files = sha_all(&out);
    let outputs = m["outputs"].as_array().expect("outputs");
    assert_eq!(
        outputs.len(),
        files.len() - 1,
        "every file but the manifest itself"
    );
    for o in outputs {
        let p = o["path"].as_str().expect("path");
        assert_eq!(
            Some(&o["sha256"].as_str().unwrap_or("").to_string()),
            files.get(p),
            "{p}"
        );
    }
    let inputs = m["inputs"].as_array().expect("inputs");
    assert_eq!(inputs.len(), 6);
    for i in inputs {
        let p = root().join(i["path"].as_str().expect("path"));
        let bytes = std::fs::read(&p).expect("input readable");
        assert_eq!(i["sha256"].as_str(), Some(hex(&bytes).as_str()));
        assert_eq!(i["bytes"].as_u64(), Some(bytes.len() as u64));
        assert!(i["kind"].is_string() && i["rows"].as_u64().unwrap_or(0) > 0);
    }
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["parameters"]["staleAfterDays"], 14);
}

#[test]
fn formula_text_is_neutralised_in_human_facing_csvs() {
    let out = contoso_out();
    for f in ["findings.csv", "accounts.csv"] {
        let rows = read_maps(&out.join(f));
        let row = rows
            .iter()
            .find(|r| r["userPrincipalName"] == "formula.equals@contoso.com")
            .unwrap_or_else(|| panic!("{f}: formula.equals row"));
        assert_eq!(row["displayName"], "'=1+3 MSOBB", "{f}");
        let at = rows
            .iter()
            .find(|r| r["userPrincipalName"] == "formula.at@contoso.com")
            .expect("formula.at");
        assert_eq!(at["displayName"], "'@SUM(A1)", "{f}");
        for r in &rows {
            for v in r.values() {
                let live = v.starts_with(['=', '@', '\t', '\r'])
                    || (v.starts_with(['+', '-'])
                        && !v[1..]
                            .chars()
                            .all(|c| c.is_ascii_digit() || " .()x-".contains(c)));
                assert!(!live, "{f}: live formula text {v:?}");
            }
        }
    }
    // A plain phone number is not mangled by the neutralisation.
    let fixes = read_maps(&out.join("bulk/directory-phone-fixes.csv"));
    assert!(fixes.iter().any(|r| r["currentValue"] == "+1 425 555 0199"));
}

#[test]
fn empty_bulk_files_keep_their_header_and_v1_template_adds_the_version_line() {
    // fabrikam's M365 export has no sign-ins: nothing to revoke, but the file is there.
    let d = audit(&[&fixture("formats/m365-new"), "--group-template", "v1"]);
    let revoke = std::fs::read_to_string(out(&d).join("bulk/revoke-sessions.csv")).expect("revoke");
    assert_eq!(revoke, "userPrincipalName,id\r\n");
    let add =
        std::fs::read_to_string(out(&d).join("bulk/registration-group-add.csv")).expect("add");
    let mut lines = add.lines();
    assert_eq!(lines.next(), Some("version:v1.0"));
    assert_eq!(
        lines.next(),
        Some("Member object ID or user principal name [memberObjectIdOrUpn] Required")
    );
    assert_eq!(lines.next(), Some("54dbb3f2-d7b9-4d71-908d-85bf11210e81"));
    // The default template has no version line.
    let add = std::fs::read_to_string(contoso_out().join("bulk/registration-group-add.csv"))
        .expect("add");
    assert!(add.starts_with("Member object ID"));
}

#[test]
fn max_rows_splits_bulk_files_into_predictable_parts() {
    let d = audit(&[&fixture("contoso"), "--max-rows", "10"]);
    let parts = out(&d).join("bulk/parts");
    let full = read_csv(&out(&d).join("bulk/registration-group-add.csv")).1;
    assert_eq!(full.len(), 31);
    let mut joined = Vec::new();
    for k in 1..=4 {
        let p = parts.join(format!("registration-group-add-part{k:03}.csv"));
        let (h, rows) = read_csv(&p);
        assert_eq!(
            h,
            ["Member object ID or user principal name [memberObjectIdOrUpn] Required"]
        );
        assert!(rows.len() <= 10);
        joined.extend(rows);
    }
    assert!(!parts.join("registration-group-add-part005.csv").exists());
    assert_eq!(joined, full);
    // Files at or under the limit are not split.
    assert!(!parts.join("revoke-sessions-part001.csv").exists());
}

#[test]
fn reports_are_not_written_into_an_input_folder_unless_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).expect("mkdir");
    for f in std::fs::read_dir(root().join("fixtures/contoso")).expect("contoso") {
        let p = f.expect("entry").path();
        if p.is_file() {
            std::fs::copy(&p, exports.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let before = sha_all(&exports);
    // From inside the export folder, the default `reports/` would land in it: refused.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(["audit", "."])
        .current_dir(&exports)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
    assert_eq!(
        sha_all(&exports),
        before,
        "nothing written into the input folder"
    );
    // Named explicitly with --out, it is allowed.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(["audit", ".", "--out", "reports"])
        .current_dir(&exports)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(exports.join("reports/findings.csv").exists());
}

#[test]
fn an_unfit_upn_is_left_out_of_import_files_and_listed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let users = tmp.path().join("exportUsers_2026-11-21.csv");
    std::fs::write(
        &users,
        "userPrincipalName,displayName,accountEnabled,mobilePhone,usageLocation\n\
         =1+2@contoso.com,Formula Name,True,+1 425 555 0100,US\n\
         plain@contoso.com,Plain,True,+1 425 555 0101,US\n",
    )
    .expect("write users");
    let reg = tmp
        .path()
        .join("exportUserRegistrationDetails_2026-11-21.csv");
    std::fs::write(
        &reg,
        "userPrincipalName,methodsRegistered\n=1+2@contoso.com,[]\nplain@contoso.com,[]\n",
    )
    .expect("write registration");
    let (u, r) = (users.display().to_string(), reg.display().to_string());
    let d = audit(&[&u, &r, "--as-of", "2026-11-21"]);
    let add =
        std::fs::read_to_string(out(&d).join("bulk/registration-group-add.csv")).expect("add");
    assert!(
        add.contains("plain@contoso.com") && !add.contains("=1+2"),
        "{add}"
    );
    let phones = std::fs::read_to_string(out(&d).join("bulk/phone-methods-prepopulate.csv"))
        .expect("phones");
    assert!(
        phones.contains("plain@contoso.com") && !phones.contains("=1+2"),
        "{phones}"
    );
    let s = json(&out(&d).join("summary.json"));
    let left: Vec<(String, String)> = s["bulkLeftOut"]
        .as_array()
        .expect("bulkLeftOut")
        .iter()
        .map(|l| {
            (
                l["userPrincipalName"].as_str().unwrap_or("").into(),
                l["file"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert!(
        left.contains(&(
            "=1+2@contoso.com".into(),
            "bulk/registration-group-add.csv".into()
        )),
        "{left:?}"
    );
    assert!(
        left.contains(&(
            "=1+2@contoso.com".into(),
            "bulk/phone-methods-prepopulate.csv".into()
        )),
        "{left:?}"
    );
    assert!(!left.iter().any(|(u, _)| u == "plain@contoso.com"));
    // In the human-facing tables the UPN is neutralised.
    let f = std::fs::read_to_string(out(&d).join("findings.csv")).expect("findings");
    assert!(f.contains("'=1+2@contoso.com"), "{f}");
}
