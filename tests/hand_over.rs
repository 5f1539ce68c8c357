//! What users hand over: folders with pipes, link loops, sub-folders, earlier reports, exports
//! that do not parse and exports of other kinds, and an output folder reused by a second run.
//! Every audit here runs as a child process with a deadline, so a hang fails the test instead of
//! stalling the suite.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture, read_csv, root};

/// Runs the binary with `args`, killing it after `secs` seconds (then the test fails).
fn run_with_deadline(args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!(
                "mfa-audit {args:?} still running after {secs}s (a hang); stderr: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `audit INPUTS --out OUT`, with a deadline; returns the process output.
fn audit_into(inputs: &[&str], out: &Path) -> Output {
    let out_s = out.display().to_string();
    let mut args = vec!["audit"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--out", &out_s, "--as-of", "2026-11-21"]);
    run_with_deadline(&args, 120)
}

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "audit failed: {err}");
    err
}

fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(2), "expected exit 2: {err}");
    err
}

/// The contoso tenant copied to `dir/name`.
fn tenant(dir: &Path, name: &str) -> PathBuf {
    let t = dir.join(name);
    copy_dir(&root().join("fixtures/contoso"), &t);
    t
}

fn summary(out: &Path) -> serde_json::Value {
    let s = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    serde_json::from_str(&s).expect("summary JSON")
}

fn total_accounts(out: &Path) -> u64 {
    summary(out)["population"]["total"]
        .as_u64()
        .expect("population total")
}

/// input-issues.csv rows as (file, problem, action).
fn issues(out: &Path) -> Vec<(String, String, String)> {
    let (h, rows) = read_csv(&out.join("input-issues.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).expect("column");
    let (f, p, a) = (col("file"), col("problem"), col("action"));
    rows.into_iter()
        .map(|r| (r[f].clone(), r[p].clone(), r[a].clone()))
        .collect()
}

fn issue_for<'a>(
    all: &'a [(String, String, String)],
    file: &str,
) -> Option<&'a (String, String, String)> {
    all.iter().find(|(f, _, _)| f.ends_with(file))
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let s = Command::new("mkfifo").arg(p).status().expect("mkfifo runs");
    assert!(s.success(), "mkfifo {}", p.display());
}

/// A named pipe left in an export folder is listed as ignored and never opened: the audit
/// finishes with the same accounts as without it.
#[cfg(unix)]
#[test]
fn a_pipe_in_the_folder_is_set_aside_and_the_audit_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tenant(tmp.path(), "export");
    mkfifo(&t.join("exportUsers_pipe.csv"));
    let o = audit_into(&[&t.display().to_string()], &tmp.path().join("out"));
    let err = ok(&o);
    assert!(
        err.contains("exportUsers_pipe.csv"),
        "named on stderr: {err}"
    );
    let out = tmp.path().join("out");
    let all = issues(&out);
    let (_, problem, action) = issue_for(&all, "exportUsers_pipe.csv").expect("listed");
    assert!(problem.contains("named pipe"), "{problem}");
    assert_eq!(action, "ignored");
    assert_eq!(total_accounts(&out), 96);
    // inspect walks the folder the same way.
    let o = run_with_deadline(&["inspect", &t.display().to_string()], 60);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("named pipe"));
}

/// A pipe named on the command line is read: that is how a pipe is meant to be used.
#[cfg(unix)]
#[test]
fn a_pipe_named_on_the_command_line_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("users.csv");
    mkfifo(&fifo);
    let users = std::fs::read(root().join("fixtures/contoso/exportUsers_2026-11-21.csv")).unwrap();
    let f2 = fifo.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        // Opening for writing waits for the reader; a never-opened pipe would hang here, so the
        // deadline below is what fails the test then.
        if let Ok(mut w) = std::fs::OpenOptions::new().write(true).open(&f2) {
            let _ = w.write_all(&users);
        }
    });
    let reg = fixture("contoso/exportUserRegistrationDetails_2026-11-21.csv");
    let f = fifo.display().to_string();
    let o = audit_into(&["--users", &f, &reg], &tmp.path().join("out"));
    ok(&o);
    writer.join().unwrap();
    assert_eq!(total_accounts(&tmp.path().join("out")), 96);
}

/// A symbolic link loop ends cleanly: each folder is read once, and the loop is named.
#[cfg(unix)]
#[test]
fn a_link_loop_ends_and_each_file_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tenant(tmp.path(), "export");
    std::fs::create_dir_all(t.join("more")).unwrap();
    std::os::unix::fs::symlink(&t, t.join("more/back")).unwrap();
    let o = audit_into(&[&t.display().to_string()], &tmp.path().join("out"));
    ok(&o);
    let out = tmp.path().join("out");
    assert_eq!(total_accounts(&out), 96);
    let all = issues(&out);
    let (_, problem, _) = issue_for(&all, "more/back").expect("loop listed");
    assert!(problem.contains("already read"), "{problem}");
    // Each input read once: as many inputs as in the plain folder.
    let plain = tmp.path().join("plain");
    ok(&audit_into(&[&fixture("contoso")], &plain));
    let n = |o: &Path| summary(o)["inputs"].as_array().map(Vec::len);
    assert_eq!(n(&out), n(&plain));
}

/// Exports in sub-folders at any depth are read (coverage included), and a folder holding this
/// tool's own earlier output is skipped and named.
#[test]
fn sub_folders_are_read_and_earlier_reports_are_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let root_dir = tmp.path().join("handover");
    let t = tenant(&root_dir.join("Config/Tenant"), "contoso");
    assert!(t.join("ca-policies").is_dir());
    // An earlier run's reports inside the folder handed over.
    let earlier = root_dir.join("reports-last-week");
    ok(&audit_into(&[&fixture("contoso")], &earlier));
    let out = tmp.path().join("out");
    let o = audit_into(&[&root_dir.display().to_string()], &out);
    let err = ok(&o);
    assert!(err.contains("reports-last-week"), "named on stderr: {err}");
    let flat = tmp.path().join("flat");
    ok(&audit_into(&[&fixture("contoso")], &flat));
    for f in ["findings.csv", "accounts.csv", "coverage.csv"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(flat.join(f)).unwrap(),
            "{f} differs from the flat folder's"
        );
    }
    let s = summary(&out).to_string();
    assert!(!s.contains("no Conditional Access policies input"), "{s}");
    let all = issues(&out);
    let (_, problem, action) = issue_for(&all, "reports-last-week").expect("listed");
    assert!(problem.contains("own output"), "{problem}");
    assert_eq!(action, "ignored");
}

/// JSON nested deeper than the parser allows.
fn too_deep() -> String {
    format!("{}{}", "[".repeat(300), "]".repeat(300))
}

/// A policies folder whose export does not parse stops the run naming the file and the
/// parser's reason; the same file under a name that says nothing is listed as ignored with
/// the reason, and the audit runs.
#[test]
fn an_unparsable_export_stops_the_run_where_it_is_the_folders_kind_else_is_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tenant(tmp.path(), "export");
    std::fs::remove_dir_all(t.join("ca-policies")).unwrap();
    std::fs::create_dir_all(t.join("Config/ConditionalAccess")).unwrap();
    std::fs::write(t.join("Config/ConditionalAccess/CA001.json"), too_deep()).unwrap();
    let o = audit_into(&[&t.display().to_string()], &tmp.path().join("out1"));
    let err = refused(&o);
    assert!(err.contains("CA001.json"), "{err}");
    assert!(
        err.contains("recursion limit"),
        "the parser's reason: {err}"
    );

    // Near miss: the same bytes under an unrelated name, in an unrelated folder.
    std::fs::remove_dir_all(t.join("Config")).unwrap();
    std::fs::create_dir_all(t.join("misc")).unwrap();
    std::fs::write(t.join("misc/notes.json"), too_deep()).unwrap();
    let out = tmp.path().join("out2");
    ok(&audit_into(&[&t.display().to_string()], &out));
    let all = issues(&out);
    let (_, problem, action) = issue_for(&all, "notes.json").expect("listed");
    assert!(problem.contains("recursion limit"), "{problem}");
    assert_eq!(action, "ignored");

    // A truncated sign-in log named as such stops the run too.
    std::fs::write(
        t.join("misc/InteractiveSignIns_2026-11-21.json"),
        "[{\"id\": ",
    )
    .unwrap();
    let err = refused(&audit_into(
        &[&t.display().to_string()],
        &tmp.path().join("out3"),
    ));
    assert!(err.contains("InteractiveSignIns_2026-11-21.json"), "{err}");
}

/// Graph exports of other kinds beside a tenant's files: none becomes an account, each is
/// listed as ignored naming the kind recognised.
#[test]
fn exports_of_other_kinds_are_not_read_as_users() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tenant(tmp.path(), "export");
    let corpus: &[(&str, &str, &str)] = &[
        (
            "authenticationStrengthPolicies.json",
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/authenticationStrengthPolicies","value":[
              {"id":"00000000-0000-0000-0000-000000000002","createdDateTime":"2021-12-01T00:00:00Z","modifiedDateTime":"2021-12-01T00:00:00Z","displayName":"Multifactor authentication","description":"Combinations of methods that satisfy strong authentication","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["windowsHelloForBusiness","fido2","password,sms"],"combinationConfigurations@odata.context":"x","combinationConfigurations":[]},
              {"id":"00000000-0000-0000-0000-000000000003","displayName":"Passwordless MFA","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["fido2"],"combinationConfigurations":[]},
              {"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["fido2"],"combinationConfigurations":[]}]}"##,
            "authentication strength",
        ),
        (
            "authenticationMethodsPolicy.json",
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy","id":"authenticationMethodsPolicy","displayName":"Authentication Methods Policy","description":"The tenant-wide policy","lastModifiedDateTime":"2026-07-17T10:00:00Z","policyVersion":"1.5","policyMigrationState":"migrationComplete","registrationEnforcement":{"authenticationMethodsRegistrationCampaign":{"snoozeDurationInDays":1,"state":"default","excludeTargets":[],"includeTargets":[{"id":"all_users","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}]}},"authenticationMethodConfigurations":[{"@odata.type":"#microsoft.graph.smsAuthenticationMethodConfiguration","id":"Sms","state":"enabled","excludeTargets":[],"includeTargets":[{"id":"all_users","targetType":"group","isRegistrationRequired":false,"isUsableForSignIn":false}]}]}"##,
            "authentication methods policy",
        ),
        (
            "ScubaGear-AuthenticationMethodsPolicy.json",
            r##"{"Id":"authenticationMethodsPolicy","DisplayName":"Authentication Methods Policy","PolicyMigrationState":"migrationInProgress","RegistrationEnforcement":{"AuthenticationMethodsRegistrationCampaign":{"State":"disabled"}}}"##,
            "authentication methods policy",
        ),
        (
            "namedLocations.json",
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/namedLocations","value":[{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"1b2c","displayName":"HQ","modifiedDateTime":"2026-01-01T00:00:00Z","createdDateTime":"2025-01-01T00:00:00Z","isTrusted":true,"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.0/24"}]},{"@odata.type":"#microsoft.graph.countryNamedLocation","id":"2c3d","displayName":"Blocked countries","countriesAndRegions":["KP"],"includeUnknownCountriesAndRegions":false}]}"##,
            "named locations",
        ),
        (
            "devices.json",
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#devices","value":[{"id":"5e6f","accountEnabled":true,"approximateLastSignInDateTime":"2026-11-20T08:00:00Z","deviceId":"a1b2","displayName":"LAPTOP-01","operatingSystem":"Windows","operatingSystemVersion":"10.0.22631","trustType":"AzureAd","createdDateTime":"2025-03-01T00:00:00Z"}]}"##,
            "devices",
        ),
        (
            "secureScores.json",
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/secureScores","value":[{"id":"t_2026-11-21","azureTenantId":"t","activeUserCount":90,"createdDateTime":"2026-11-21T00:00:00Z","currentScore":41.5,"licensedUserCount":96,"maxScore":80,"enabledServices":["HasExchange"],"averageComparativeScores":[],"controlScores":[{"controlCategory":"Identity","controlName":"MFARegistrationV2","score":6.0,"count":"59","total":"89"}]}]}"##,
            "Secure Score",
        ),
        (
            "secureScoreControlProfiles.json",
            r##"{"value":[{"id":"MFARegistrationV2","title":"Ensure multifactor authentication is enabled for all users","maxScore":9,"rank":1,"service":"AzureAD","controlCategory":"Identity","deprecated":false,"remediation":"...","userImpact":"Moderate","implementationCost":"Moderate","threats":[],"controlStateUpdates":[]}]}"##,
            "Secure Score control profiles",
        ),
        (
            "groups-plain.json",
            r##"{"value":[{"id":"9f8e","displayName":"MFA Registration","groupTypes":[],"securityEnabled":true,"mailEnabled":false,"createdDateTime":"2024-01-01T00:00:00Z"}]}"##,
            "groups without members",
        ),
        (
            "Get-MgDevice.csv",
            "Id,DisplayName,AccountEnabled,DeviceId,OperatingSystem,ApproximateLastSignInDateTime\r\n5e6f,LAPTOP-01,True,a1b2,Windows,11/20/2026 8:00:00 AM\r\n",
            "devices",
        ),
        (
            "named-things.json",
            r##"[{"id":"x1","displayName":"Something","createdDateTime":"2025-01-01T00:00:00Z","description":"not a user"}]"##,
            "not recognised",
        ),
    ];
    std::fs::create_dir_all(t.join("graph")).unwrap();
    for (name, body, _) in corpus {
        std::fs::write(t.join("graph").join(name), body).unwrap();
    }
    let out = tmp.path().join("out");
    ok(&audit_into(&[&t.display().to_string()], &out));
    assert_eq!(
        total_accounts(&out),
        96,
        "no export of another kind became an account"
    );
    let accounts = std::fs::read_to_string(out.join("accounts.csv")).unwrap();
    assert!(!accounts.contains("00000000-0000-0000-0000-000000000002"));
    assert!(!accounts.contains("LAPTOP-01"));
    let all = issues(&out);
    // Authentication strengths, the methods policy and the Secure Score exports are read by
    // their own readers (the tenant's own methods policy is read first; a second one is listed
    // as not used).
    let read_by_their_readers = [
        "authenticationStrengthPolicies.json",
        "secureScores.json",
        "secureScoreControlProfiles.json",
    ];
    for (name, _, said) in corpus {
        if read_by_their_readers.contains(name) {
            assert!(issue_for(&all, name).is_none(), "{name} is read: {all:?}");
            continue;
        }
        let (_, problem, action) =
            issue_for(&all, name).unwrap_or_else(|| panic!("{name} not listed: {all:?}"));
        let second = problem.contains("a second authentication methods policy");
        assert!(problem.contains(said) || second, "{name}: {problem}");
        assert_eq!(action, "ignored", "{name}");
    }
    // A strengths export alone is no users input: the run stops and says what is missing.
    let o = audit_into(
        &[&t.join("graph/authenticationStrengthPolicies.json")
            .display()
            .to_string()],
        &tmp.path().join("out-explicit"),
    );
    let err = refused(&o);
    assert!(err.contains("no input files recognised"), "{err}");
}

/// Near miss: a Graph users page without a user principal name but with several of the users
/// export's own fields is still read as users.
#[test]
fn a_users_page_without_upn_but_with_user_fields_is_still_users() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("users.json"),
        r#"{"value":[{"id":"6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503","displayName":"A","userType":"Member","department":"Sales","accountEnabled":true}]}"#,
    )
    .unwrap();
    let o = run_with_deadline(&["inspect", &dir.display().to_string()], 60);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("users"), "{text}");
    assert!(
        text.contains("several of the users export's own columns"),
        "{text}"
    );
}

/// A second audit into the same folder removes the first run's outputs it does not write
/// (coverage.csv here), says so, and leaves files that are not the tool's alone; the manifest
/// then lists exactly the tool's files in the folder.
#[test]
fn an_output_folder_holds_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    ok(&audit_into(&[&fixture("contoso")], &out));
    assert!(out.join("coverage.csv").exists());
    std::fs::write(out.join("my-notes.txt"), "mine").unwrap();
    std::fs::write(out.join("bulk/my-list.csv"), "mine").unwrap();
    // The same run again: nothing to remove.
    let err = ok(&audit_into(&[&fixture("contoso")], &out));
    assert!(!err.contains("removed from"), "{err}");
    // Without the policies: coverage.csv goes.
    let t = tenant(tmp.path(), "export");
    std::fs::remove_dir_all(t.join("ca-policies")).unwrap();
    let err = ok(&audit_into(&[&t.display().to_string()], &out));
    assert!(
        err.contains("removed from") && err.contains("coverage.csv"),
        "{err}"
    );
    assert!(!out.join("coverage.csv").exists());
    assert!(out.join("my-notes.txt").exists());
    assert!(out.join("bulk/my-list.csv").exists());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("coverage.csv"), "{manifest}");
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    for o in m["outputs"].as_array().unwrap() {
        let p = o["path"].as_str().unwrap();
        assert!(out.join(p).exists(), "{p} listed but absent");
    }
}

/// A zip holding `InteractiveSignIns_...csv` with `rows` sign-in rows of contoso's first
/// account, deflated; then `patch` may rewrite its header fields.
fn signin_zip(rows: usize) -> Vec<u8> {
    use std::io::Write;
    let mut csv = String::from(
        "\"Date (UTC)\",\"User ID\",\"Username\",\"Status\",\"Sign-in error code\"\r\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "\"2026-11-{:02}T09:30:00Z\",\"8ecb51ef-2182-43f6-aa35-c51d2af2e531\",\"adele.vance@contoso.com\",\"Success\",\"0\"\r\n",
            1 + i % 20
        ));
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("InteractiveSignIns_2026-08-01_2026-11-21.csv", opts)
        .unwrap();
    w.write_all(csv.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size (or the CRC) of the archive's only entry in its local and
/// central headers.
fn lie(mut z: Vec<u8>, local_at: usize, central_at: usize, value: u32) -> Vec<u8> {
    let central = z
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    z[local_at..local_at + 4].copy_from_slice(&value.to_le_bytes());
    z[central + central_at..central + central_at + 4].copy_from_slice(&value.to_le_bytes());
    z
}

fn audit_zip(tmp: &Path, name: &str, bytes: &[u8]) -> Output {
    let p = tmp.join(name);
    std::fs::write(&p, bytes).unwrap();
    let users = fixture("contoso/exportUsers_2026-11-21.csv");
    let reg = fixture("contoso/exportUserRegistrationDetails_2026-11-21.csv");
    audit_into(
        &[&users, &reg, &p.display().to_string()],
        &tmp.join(format!("out-{name}")),
    )
}

/// Zipped sign-in logs are streamed, and the zip header is still held to: an entry that
/// inflates beyond its declared size, one shorter than declared and one with a wrong CRC are
/// refused naming the entry; the honest archive is read, every row counted.
#[test]
fn a_zipped_sign_in_log_is_streamed_and_held_to_its_header() {
    let tmp = tempfile::tempdir().unwrap();
    let honest = signin_zip(20_000);
    let o = audit_zip(tmp.path(), "honest.zip", &honest);
    ok(&o);
    let s = summary(&tmp.path().join("out-honest.zip"));
    let input = s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap_or("").contains("honest.zip!"))
        .cloned()
        .expect("the entry is an input");
    assert_eq!(input["rowsRead"].as_u64(), Some(20_000), "{input}");

    // Local header: uncompressed size at 22, CRC at 14; central header: 24 and 16.
    let bomb = lie(honest.clone(), 22, 24, 4096);
    let err = refused(&audit_zip(tmp.path(), "bomb.zip", &bomb));
    assert!(err.contains("bomb.zip!InteractiveSignIns"), "{err}");
    assert!(err.contains("inflates beyond the 4096 bytes"), "{err}");

    let len = 20_000 * 120;
    let short = lie(honest.clone(), 22, 24, len as u32 * 2);
    let err = refused(&audit_zip(tmp.path(), "short.zip", &short));
    assert!(err.contains("cut off or corrupt"), "{err}");

    let crc = lie(honest, 14, 16, 0x1234_5678);
    let err = refused(&audit_zip(tmp.path(), "crc.zip", &crc));
    assert!(err.contains("CRC-32"), "{err}");
}

/// Named locations kept inside a policies folder are listed as ignored, and the folder's
/// policies are still read (coverage as without them).
#[test]
fn other_exports_inside_a_policies_folder_are_listed_and_the_policies_read() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tenant(tmp.path(), "export");
    std::fs::write(
        t.join("ca-policies/NamedLocations.json"),
        r##"{"value":[{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"1b2c","displayName":"HQ","isTrusted":true,"ipRanges":[]}]}"##,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let err = ok(&audit_into(&[&t.display().to_string()], &out));
    assert!(err.contains("NamedLocations.json"), "{err}");
    let flat = tmp.path().join("flat");
    ok(&audit_into(&[&fixture("contoso")], &flat));
    assert_eq!(
        std::fs::read(out.join("coverage.csv")).unwrap(),
        std::fs::read(flat.join("coverage.csv")).unwrap()
    );
    let all = issues(&out);
    let (_, problem, action) = issue_for(&all, "NamedLocations.json").expect("listed");
    assert!(problem.contains("named locations"), "{problem}");
    assert_eq!(action, "ignored");
}

/// An export of another kind inside a zip archive is listed as ignored; the archive's sign-in
/// entry beside it is read.
#[test]
fn an_other_kind_inside_a_zip_is_listed_and_the_rest_read() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("authenticationStrengthPolicies.json", opts)
        .unwrap();
    w.write_all(br#"{"value":[{"id":"00000000-0000-0000-0000-000000000002","displayName":"Multifactor authentication","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["fido2"]}]}"#)
        .unwrap();
    w.start_file("InteractiveSignIns_2026-08-01_2026-11-21.csv", opts)
        .unwrap();
    w.write_all(b"\"Date (UTC)\",\"User ID\",\"Username\",\"Status\",\"Sign-in error code\"\r\n\"2026-11-20T09:30:00Z\",\"8ecb51ef-2182-43f6-aa35-c51d2af2e531\",\"adele.vance@contoso.com\",\"Success\",\"0\"\r\n")
        .unwrap();
    let bytes = w.finish().unwrap().into_inner();
    ok(&audit_zip(tmp.path(), "mixed.zip", &bytes));
    let out = tmp.path().join("out-mixed.zip");
    assert_eq!(total_accounts(&out), 96);
    let all = issues(&out);
    let (_, problem, action) =
        issue_for(&all, "mixed.zip!authenticationStrengthPolicies.json").expect("listed");
    assert!(problem.contains("authentication strength"), "{problem}");
    assert_eq!(action, "ignored");
    let s = summary(&out).to_string();
    assert!(
        s.contains("mixed.zip!InteractiveSignIns"),
        "the sign-in entry is an input"
    );
}
