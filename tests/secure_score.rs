//! The Secure Score reconciliation on `fixtures/securescore` (every reason planted beside a near
//! miss), the export shapes of `fixtures/formats/secure-score`, broken exports, the run without
//! the exports (byte-identical to before), and a generated tenant whose recommendations export is
//! built from its own not-registered list.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Reader, Xlsx, open_workbook};
use common::{audit, copy_dir, fixture, json, out, read_csv, read_maps};

/// securescore.csv as (control, lowercase UPN or id) -> row.
fn rows(out: &Path) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    read_maps(&out.join("securescore.csv"))
        .into_iter()
        .map(|r| {
            let who = if r["userPrincipalName"].is_empty() {
                r["id"].clone()
            } else {
                r["userPrincipalName"].to_lowercase()
            };
            ((r["control"].clone(), who), r)
        })
        .collect()
}

fn reason<'a>(
    rows: &'a BTreeMap<(String, String), BTreeMap<String, String>>,
    control: &str,
    who: &str,
) -> Option<&'a str> {
    rows.get(&(control.to_string(), who.to_string()))
        .map(|r| r["reason"].as_str())
}

const MFA: &str = "MFARegistrationV2";
const ADMIN: &str = "AdminMFAV2";

fn tailspin(name: &str) -> String {
    format!("{name}@tailspin.com")
}

#[test]
fn each_reason_fires_on_its_account_and_not_on_its_near_miss() {
    let dir = audit(&[&fixture("securescore")]);
    let r = rows(&out(&dir));
    let has = |control: &str, name: &str, start: &str| {
        let got = reason(&r, control, &tailspin(name));
        assert!(
            got.is_some_and(|g| g.starts_with(start)),
            "{control} {name}: want a row starting {start:?}, got {got:?}"
        );
    };
    let none = |control: &str, name: &str| {
        let got = reason(&r, control, &tailspin(name));
        assert!(got.is_none(), "{control} {name}: want no row, got {got:?}");
    };
    // Registered after the score's date; near misses: before it, exactly at it.
    has(
        MFA,
        "bob",
        "registered after the score's date: registration details updated 2026-11-20T15:30:00Z",
    );
    has(
        MFA,
        "carol",
        "Microsoft counts it not compliant (active) but we see it registered",
    );
    has(
        MFA,
        "sybil",
        "Microsoft counts it not compliant (active) but we see it registered",
    );
    // Outside our population: guest, disabled, excluded.
    let guest = reason(&r, MFA, "dave_fabrikam.com#ext#@tailspin.com");
    assert_eq!(guest, Some("outside our population: guest"));
    has(MFA, "erin", "outside our population: disabled");
    has(
        MFA,
        "frank",
        "outside our population: excluded: break-glass account",
    );
    // Accepted by an admin: shown as accepted, never as fixed.
    has(
        MFA,
        "grace",
        "accepted by an admin (dismissed): still not compliant",
    );
    has(
        MFA,
        "heidi",
        "accepted by an admin (postponed): still not compliant",
    );
    // Compliant in Microsoft's view, not in ours; near miss: judy, registered, completedBySystem.
    has(
        MFA,
        "ivan",
        "Microsoft counts it compliant (completedByUser) but we see it not registered",
    );
    none(MFA, "judy");
    // Not listed by Microsoft: created after the score, or no reason we can see.
    has(
        MFA,
        "mallory",
        "created after the score's date: created 2026-11-20T20:00:00Z",
    );
    has(
        MFA,
        "niaj",
        "we see it not registered but Microsoft does not list it",
    );
    // Matched by subjectId and by a display name, stated in the reason.
    assert!(reason(&r, MFA, &tailspin("peggy")).is_some_and(|x| {
        x.ends_with("(matched by subjectId 0c1fe8f1-fc11-5598-93c6-8a92b5d15951)")
    }));
    assert!(
        reason(&r, MFA, &tailspin("trent"))
            .is_some_and(|x| x.ends_with("(matched by display name \"Trent Tate\")"))
    );
    // Agreement gives no row: listed and not registered (alice, rupert by name, xavier with no
    // registration row), registered and not listed (olivia, updated since; victor, the Sam Smiths).
    for name in [
        "alice", "rupert", "xavier", "olivia", "victor", "wendy", "sam1", "sam2", "adele", "eve",
    ] {
        none(MFA, name);
    }
    // AdminMFAV2: a registered admin Microsoft lists, a listed account we do not count as an
    // admin, an admin not registered whom Microsoft does not list; adele and eve agree.
    has(
        ADMIN,
        "bruno",
        "Microsoft counts it not compliant (active) but we see it registered",
    );
    has(
        ADMIN,
        "celine",
        "outside our population: not an admin in our inputs",
    );
    has(
        ADMIN,
        "dmitri",
        "we see it not registered but Microsoft does not list it",
    );
    for name in ["adele", "eve", "alice", "bob"] {
        none(ADMIN, name);
    }
    assert_eq!(r.len(), 19, "{:#?}", r.keys().collect::<Vec<_>>());
}

#[test]
fn impacted_ids_no_account_matches_are_listed_never_dropped() {
    let dir = audit(&[&fixture("securescore")]);
    let (header, body) = read_csv(&out(&dir).join("securescore.csv"));
    assert_eq!(
        header,
        [
            "control",
            "id",
            "userPrincipalName",
            "microsoft",
            "ours",
            "reason"
        ]
    );
    let unmatched: Vec<&Vec<String>> = body
        .iter()
        .filter(|r| r[4] == "not in our inputs")
        .collect();
    assert_eq!(unmatched.len(), 3, "{unmatched:?}");
    assert!(
        unmatched
            .iter()
            .any(|r| r[5].contains("displayName Gus Ghost"))
    );
    assert!(unmatched.iter().any(|r| {
        r[5].contains("displayName Sam Smith (the display name is carried by 2 accounts")
    }));
    // A UPN from the resource's own details, neutralised in this human-facing file.
    assert!(unmatched.iter().any(|r| r[2] == "'@SUM(1+1)@tailspin.com"));
    // Sorted by control, then lowercase UPN.
    let keys: Vec<(String, String)> = body
        .iter()
        .map(|r| (r[0].clone(), r[2].to_lowercase()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Microsoft's counts say how many matched nothing.
    let s = json(&out(&dir).join("summary.json"));
    assert_eq!(
        s["secureScore"][0]["microsoft"]["impacted"]["notInOurInputs"],
        3
    );
    assert_eq!(
        s["secureScore"][1]["microsoft"]["impacted"]["notInOurInputs"],
        0
    );
}

#[test]
fn summary_and_workbook_carry_microsofts_figures_and_the_projection() {
    let dir = audit(&[&fixture("securescore")]);
    let s = json(&out(&dir).join("summary.json"));
    let mfa = &s["secureScore"][0];
    assert_eq!(mfa["control"], MFA);
    // The estimate's fields are kept as they were.
    assert_eq!(mfa["estimatedPoints"], 5.25);
    let m = &mfa["microsoft"];
    assert_eq!(m["score"], 5.63);
    assert_eq!(m["maxScore"], 9.0);
    assert_eq!(m["maxScoreFrom"], "profile");
    assert_eq!(m["date"], "2026-11-20T02:00:00Z");
    assert_eq!(
        (m["count"].as_str(), m["total"].as_str()),
        (Some("10"), Some("16"))
    );
    assert_eq!(m["scoresRead"], 2);
    assert_eq!(m["impacted"]["dismissed"], 1);
    assert_eq!(m["impacted"]["postponed"], 1);
    // 10 of 16 plus the listed, not-compliant accounts in the group-add file, at most 16 of 16.
    let p = &mfa["projected"];
    assert_eq!(p["bulkFile"], "bulk/registration-group-add.csv");
    assert_eq!(p["points"], 9.0);
    // AdminMFAV2: 1 of 3, and adele (listed, not registered, in the group-add file) acts.
    let admin = &s["secureScore"][1]["projected"];
    assert_eq!(
        (admin["accountsActing"].as_u64(), admin["points"].as_f64()),
        (Some(1), Some(6.67))
    );
    // The older score was read and passed over, with an issue naming the one used.
    let issues = read_maps(&out(&dir).join("input-issues.csv"));
    assert!(
        issues
            .iter()
            .any(|i| i["problem"].starts_with("an older score; the newest (2026-11-20T02:00:00Z"))
    );
    // The workbook's Secure Score sheet: both controls' figures, then the rows of the CSV.
    let mut x: Xlsx<_> = open_workbook(out(&dir).join("mfa-readiness.xlsx")).expect("workbook");
    let range = x
        .worksheet_range("Secure Score")
        .expect("Secure Score sheet");
    let cells: Vec<String> = range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for want in [
        "MFARegistrationV2",
        "AdminMFAV2",
        "5.63",
        "Projected",
        "bob@tailspin.com",
        "@SUM(1+1)@tailspin.com",
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} not on the sheet");
    }
    let (_, csv_rows) = read_csv(&out(&dir).join("securescore.csv"));
    let upns = range
        .rows()
        .filter(|r| r.len() > 2 && r[2].to_string().contains('@'))
        .count();
    assert_eq!(upns, csv_rows.iter().filter(|r| !r[2].is_empty()).count());
}

/// The securescore tenant's CSV inputs only, by relative path (so the manifest is the same on
/// every machine).
const WITHOUT: [&str; 3] = [
    "fixtures/securescore/exportUsers_2026-11-21.csv",
    "fixtures/securescore/exportUserRegistrationDetails_2026-11-21.csv",
    "fixtures/securescore/mfa-exclusions.csv",
];

#[test]
fn without_the_exports_every_output_is_what_it_was_before_them() {
    let dir = audit(&WITHOUT);
    let o = out(&dir);
    assert!(!o.join("securescore.csv").exists());
    // The manifest lists every output with its SHA-256: the expectation was written by the
    // audit as it was before the reconciliation existed, so every byte of every output agrees
    // (report.html, which came later, was added to it once its other entries were checked
    // unchanged; a change to the page must be checked the same way).
    let got = std::fs::read_to_string(o.join("manifest.json")).expect("manifest");
    let want = std::fs::read_to_string(
        common::root().join("tests/expected/securescore/manifest-without-exports.json"),
    )
    .expect("expected manifest");
    assert_eq!(got, want);
    // With the exports, the accounts, findings and bulk files stay the same too.
    let with = audit(&[&fixture("securescore")]);
    for f in [
        "findings.csv",
        "accounts.csv",
        "bulk/registration-group-add.csv",
    ] {
        let a = std::fs::read(o.join(f)).expect("without");
        let b = std::fs::read(out(&with).join(f)).expect("with");
        assert!(
            a == b,
            "{f} differs once the Secure Score exports are given"
        );
    }
    let s = json(&o.join("summary.json"));
    assert!(s["secureScore"][0].get("microsoft").is_none());
    assert!(s["secureScore"][0].get("projected").is_none());
}

/// The securescore tenant in a temporary folder with `replace` (file name -> formats fixture
/// or text) in place of its files.
fn variant(tmp: &Path, replace: &[(&str, Option<&str>)]) -> std::path::PathBuf {
    let dir = tmp.join("tenant");
    copy_dir(&common::root().join("fixtures/securescore"), &dir);
    for (name, with) in replace {
        let _ = std::fs::remove_file(dir.join(name));
        if let Some(w) = with {
            let src = common::root().join("fixtures/formats/secure-score").join(w);
            if src.exists() {
                std::fs::copy(src, dir.join(w)).expect("copy");
            } else {
                std::fs::write(dir.join(name), w).expect("write");
            }
        }
    }
    dir
}

#[test]
fn wrapped_and_powershell_exports_give_the_same_reconciliation() {
    let graph = audit(&[&fixture("securescore")]);
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = variant(
        tmp.path(),
        &[
            ("secureScores.json", Some("secureScores-powershell.json")),
            (
                "secureScoreControlProfiles.json",
                Some("controlProfiles-list.json"),
            ),
            ("recommendations.json", Some("recommendations-list.json")),
        ],
    );
    let other = audit(&[&dir.display().to_string()]);
    let a = std::fs::read(out(&graph).join("securescore.csv")).expect("graph");
    let b = std::fs::read(out(&other).join("securescore.csv")).expect("other");
    assert!(a == b, "securescore.csv differs between the export shapes");
    let (sa, sb) = (
        json(&out(&graph).join("summary.json")),
        json(&out(&other).join("summary.json")),
    );
    for k in ["score", "maxScore", "date", "count", "total", "impacted"] {
        assert_eq!(
            sa["secureScore"][0]["microsoft"][k], sb["secureScore"][0]["microsoft"][k],
            "{k}"
        );
        assert_eq!(
            sa["secureScore"][1]["microsoft"][k], sb["secureScore"][1]["microsoft"][k],
            "{k}"
        );
    }
    // The PowerShell export held one score object; the Graph page two.
    assert_eq!(sb["secureScore"][0]["microsoft"]["scoresRead"], 1);
}

#[test]
fn score_objects_without_the_two_controls_are_passed_over_with_a_note() {
    let note =
        "score object without MFARegistrationV2 or AdminMFAV2 among its controlScores; passed over";
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = variant(
        tmp.path(),
        &[("secureScores.json", Some("secure-score-results.json"))],
    );
    let o = audit(&[&dir.display().to_string()]);
    let issues = read_maps(&out(&o).join("input-issues.csv"));
    let hit: Vec<_> = issues.iter().filter(|i| i["problem"] == note).collect();
    assert_eq!(hit.len(), 1, "{issues:?}");
    assert_eq!(hit[0]["column"], "Results[1].controlScores");
    assert_eq!(hit[0]["action"], "rejected");
    let s = json(&out(&o).join("summary.json"));
    assert_eq!(s["secureScore"][0]["microsoft"]["score"], 5.63);
    // Near miss: the Graph page's scores all carry the controls.
    let graph = audit(&[&fixture("securescore")]);
    let issues = read_maps(&out(&graph).join("input-issues.csv"));
    assert!(!issues.iter().any(|i| i["problem"] == note));
}

#[test]
fn json_that_is_not_json_stops_the_run_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    // By its name.
    let dir = variant(
        tmp.path(),
        &[("secureScores.json", Some("{\"value\":[{\"controlScores\":"))],
    );
    let err = common::audit_refused(&[&dir.display().to_string()], tmp.path());
    assert!(err.contains("secureScores.json"), "{err}");
    assert!(err.contains("Secure Score"), "{err}");
    // By its content, under a name that says nothing.
    let tmp2 = tempfile::tempdir().expect("tmp");
    let dir = variant(
        tmp2.path(),
        &[
            ("recommendations.json", None),
            (
                "export-7.json",
                Some(
                    "{\"value\":[{\"recommendationType\":\"mfaRegistrationV2\",\"impactedResources\":[",
                ),
            ),
        ],
    );
    let err = common::audit_refused(&[&dir.display().to_string()], tmp2.path());
    assert!(err.contains("export-7.json"), "{err}");
    // Named on the command line.
    let bad = tmp2.path().join("scores.json");
    std::fs::write(&bad, "{\"value\": [").expect("write");
    let err = common::audit_refused(
        &[&fixture("securescore"), &bad.display().to_string()],
        tmp2.path(),
    );
    assert!(err.contains("scores.json"), "{err}");
    // Near miss: broken JSON that claims nothing is listed as ignored, and the run goes on.
    let tmp3 = tempfile::tempdir().expect("tmp");
    let dir = variant(tmp3.path(), &[("notes.json", Some("{\"draft\": tru"))]);
    let o = audit(&[&dir.display().to_string()]);
    let issues = read_maps(&out(&o).join("input-issues.csv"));
    assert!(
        issues
            .iter()
            .any(|i| i["file"].ends_with("notes.json") && i["action"] == "ignored"),
        "{issues:?}"
    );
    assert!(out(&o).join("securescore.csv").exists());
}

/// A small deterministic generator (xorshift): accounts with random registration, guests,
/// disabled accounts and admins, independent of the fixture scripts.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct GenAccount {
    id: String,
    upn: String,
    name: String,
    registered: bool,
    admin: bool,
    guest: bool,
    disabled: bool,
}

fn generated_tenant(dir: &Path, seed: u64, n: usize) -> Vec<GenAccount> {
    let mut g = Gen(seed);
    let accounts: Vec<GenAccount> = (0..n)
        .map(|i| {
            let guest = g.chance(5);
            GenAccount {
                id: format!("{:08x}-0000-4000-8000-{:012x}", seed as u32, i),
                upn: if guest {
                    format!("ext{i}_partner.com#EXT#@woodgrove.com")
                } else {
                    format!("user{i}@woodgrove.com")
                },
                name: format!("User {i}"),
                registered: g.chance(60),
                admin: g.chance(8),
                guest,
                disabled: g.chance(4),
            }
        })
        .collect();
    let mut users = String::from(
        "\u{feff}userPrincipalName,displayName,id,userType,accountEnabled,department,createdDateTime\r\n",
    );
    let mut reg = String::from(
        "\u{feff}id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaRegistered,methodsRegistered,lastUpdatedDateTime\r\n",
    );
    for a in &accounts {
        let kind = if a.guest { "Guest" } else { "Member" };
        users.push_str(&format!(
            "{},{},{},{kind},{},Sales,2024-01-15T09:00:00Z\r\n",
            a.upn, a.name, a.id, !a.disabled
        ));
        let methods = if a.registered {
            "\"[\"\"microsoftAuthenticatorPush\"\"]\""
        } else {
            "[]"
        };
        reg.push_str(&format!(
            "{},{},{},{},{},{},{methods},2026-11-01T09:00:00Z\r\n",
            a.id,
            a.upn,
            a.name,
            kind.to_lowercase(),
            a.admin,
            a.registered
        ));
    }
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("exportUsers_2026-11-21.csv"), users).expect("users");
    std::fs::write(
        dir.join("exportUserRegistrationDetails_2026-11-21.csv"),
        reg,
    )
    .expect("reg");
    accounts
}

fn impacted(a: &GenAccount, status: &str) -> serde_json::Value {
    serde_json::json!({"id": a.id, "subjectId": a.id, "displayName": a.name,
        "resourceType": "user", "status": status, "additionalDetails": []})
}

#[test]
fn a_generated_tenant_reconciles_with_no_rows_but_the_planted_ones() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("woodgrove");
    let accounts = generated_tenant(&dir, 0x9e37_79b9_7f4a_7c15, 400);
    let in_scope = |a: &&GenAccount| !a.guest && !a.disabled;
    // Microsoft's list: exactly our in-scope accounts that are not registered (admins too for
    // AdminMFAV2), plus the planted differences.
    let not_registered: Vec<&GenAccount> = accounts
        .iter()
        .filter(in_scope)
        .filter(|a| !a.registered)
        .collect();
    let registered_one = accounts
        .iter()
        .filter(in_scope)
        .find(|a| a.registered && !a.admin)
        .expect("a registered account");
    let mut mfa: Vec<serde_json::Value> = not_registered
        .iter()
        .map(|a| impacted(a, "active"))
        .collect();
    mfa.push(impacted(registered_one, "active"));
    mfa.push(
        serde_json::json!({"id": "00000000-0000-4000-8000-0000deadbeef", "subjectId": "",
        "displayName": "Nobody Here", "resourceType": "user", "status": "active"}),
    );
    let admins: Vec<serde_json::Value> = not_registered
        .iter()
        .filter(|a| a.admin)
        .map(|a| impacted(a, "active"))
        .collect();
    let recs = serde_json::json!({
    "@odata.context": "https://graph.microsoft.com/beta/$metadata#directory/recommendations(impactedResources())",
    "value": [
        {"id": "t_mfa", "recommendationType": "mfaRegistrationV2", "status": "active",
         "lastModifiedDateTime": "2026-11-20T02:00:00Z", "impactedResources": mfa},
        {"id": "t_admin", "recommendationType": "adminMFAV2", "status": "active",
         "lastModifiedDateTime": "2026-11-20T02:00:00Z", "impactedResources": admins},
    ]});
    std::fs::write(dir.join("recommendations.json"), recs.to_string()).expect("write");
    let o = audit(&[&dir.display().to_string()]);
    let (_, body) = read_csv(&out(&o).join("securescore.csv"));
    assert_eq!(body.len(), 2, "{body:#?}");
    assert!(body.iter().any(|r| r[0] == MFA
        && r[2] == registered_one.upn
        && r[5] == "Microsoft counts it not compliant (active) but we see it registered"));
    assert!(body.iter().any(|r| r[0] == MFA
        && r[4] == "not in our inputs"
        && r[5].contains("displayName Nobody Here")));
    // Without a score export the projection stands on our own population, and says so.
    let s = json(&out(&o).join("summary.json"));
    let basis = s["secureScore"][0]["projected"]["basis"]
        .as_str()
        .unwrap_or_default();
    assert!(basis.starts_with("our population"), "{basis}");
    assert_eq!(s["secureScore"][0]["microsoft"]["maxScoreFrom"], "default");
    assert!(s["secureScore"][0]["microsoft"]["score"].is_null());
}

/// With Conditional Access inputs (contoso carries them), AdminMFAV2's view is the estimate's:
/// an admin is compliant when MFA is enforced for it, whatever its registration.
#[test]
fn admin_mfa_follows_conditional_access_coverage_when_policies_are_given() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = |id: &str, name: &str, status: &str| {
        serde_json::json!({"id": id, "subjectId": id, "displayName": name,
            "resourceType": "user", "status": status})
    };
    let recs = serde_json::json!({"value": [{
    "id": "t_adminMFAV2", "recommendationType": "adminMFAV2", "status": "active",
    "lastModifiedDateTime": "2026-11-20T02:00:00Z",
    "impactedResources": [
        // Not registered, but covered by an enforcing policy: compliant in our view.
        rec("b59c51d0-0eb3-4305-aba2-64a46c55d9b8", "admin.noreg1", "active"),
        // No policy covers it: not compliant in our view, compliant in Microsoft's.
        rec("3d9baeac-10ef-4589-bdc2-6cd661aa14c2", "admin.noreg2", "completedByUser"),
        // Near miss: enforced and completed, both views agree.
        rec("5e8274b7-cc39-43e5-92b7-a3c69282a715", "admin.fido2", "completedBySystem"),
    ]}]});
    let file = tmp.path().join("recommendations.json");
    std::fs::write(&file, recs.to_string()).expect("write");
    let o = audit(&[&fixture("contoso"), &file.display().to_string()]);
    let r = rows(&out(&o));
    assert_eq!(
        reason(&r, ADMIN, "admin.noreg1@contoso.com"),
        Some(
            "Microsoft counts it not compliant (active) but we see it MFA enforced by Conditional Access"
        )
    );
    assert_eq!(
        reason(&r, ADMIN, "admin.noreg2@contoso.com"),
        Some(
            "Microsoft counts it compliant (completedByUser) but we see it Conditional Access coverage none"
        )
    );
    assert_eq!(reason(&r, ADMIN, "admin.fido2@contoso.com"), None);
    assert_eq!(r.len(), 2, "{:#?}", r.keys().collect::<Vec<_>>());
    // No MFARegistrationV2 recommendation: nothing is compared for it.
    assert!(!r.keys().any(|(c, _)| c == MFA));
    let s = json(&out(&o).join("summary.json"));
    assert!(s["secureScore"][0]["microsoft"]["impacted"].is_null());
    assert_eq!(
        s["secureScore"][1]["microsoft"]["impacted"]["completedByUser"],
        1
    );
    // The enforced admins are already counted by the estimate: the projection adds none.
    let p = &s["secureScore"][1]["projected"];
    assert_eq!(p["accountsActing"], 0);
    assert_eq!(p["points"], s["secureScore"][1]["estimatedPoints"]);
}
