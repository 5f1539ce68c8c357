//! `audit --pseudonymize KEY_FILE` and `new-key`: the promise that no identifier of the inputs
//! is left in any output (every part of the workbook included), repeatable pseudonyms, the
//! baseline key check, and withheld bulk files.

mod common;

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use common::*;

fn new_key(dir: &Path, name: &str) -> PathBuf {
    let k = dir.join(name);
    let o = run(&["new-key", &k.display().to_string()]);
    assert!(o.status.success(), "new-key: {}", stderr(&o));
    k
}

/// Runs a pseudonymised audit into `dir/name` and returns that folder.
fn audit_into(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let out_s = out.display().to_string();
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &out_s]);
    let o = run(&all);
    assert!(o.status.success(), "audit {args:?}: {}", stderr(&o));
    out
}

/// What the inputs identify people and objects by.
#[derive(Default, Debug)]
struct Ids {
    /// Whole UPNs and e-mail addresses, object ids, national phone digits: searched anywhere.
    anywhere: BTreeSet<String>,
    /// UPN local parts and display names: searched as words.
    words: BTreeSet<String>,
}

/// A character that continues a word (so `ben` in `benefits` is not the name `ben`; a hyphen
/// ends a word, so `adele.vance` in `Exclude-adele.vance-MFA` is the name).
fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Gathered from the input files themselves, not from what the audit made of them: every
/// e-mail-shaped text and GUID in any input, the display-name columns of the CSVs, and from the
/// plain run the national digits of every phone it read.
fn identifiers(inputs: &Path, plain_out: &Path) -> Ids {
    let mut ids = Ids::default();
    for (rel, bytes) in files_under(inputs) {
        let text = String::from_utf8_lossy(&bytes).replace('\u{feff}', "");
        for tok in text.split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | '"' | '[' | ']' | '{' | '}' | '<' | '>' | '(' | ')'
                )
        }) {
            let t = tok.trim_matches(|c: char| c == '.' || c == ':');
            if let Some((local, domain)) = t.rsplit_once('@')
                && domain.contains('.')
                && !local.is_empty()
            {
                ids.anywhere.insert(t.to_lowercase());
                if local.chars().count() >= 3 {
                    ids.words.insert(local.to_lowercase());
                }
                // The tenant's (or a guest's home tenant's) name: `contoso` of `contoso.com`.
                if let Some((label, _)) = domain.split_once('.')
                    && label.chars().count() >= 3
                {
                    ids.words.insert(label.to_lowercase());
                }
            }
            if is_guid(t)
                && !t.starts_with("0000000")
                && !BUILT_IN.contains(&t.to_lowercase().as_str())
            {
                ids.anywhere.insert(t.to_lowercase());
            }
        }
        if rel.ends_with(".csv") {
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes());
            let header: Vec<String> = r
                .headers()
                .map(|h| h.iter().map(|x| x.trim().to_lowercase()).collect())
                .unwrap_or_default();
            let cols: Vec<usize> = header
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    ["displayname", "userdisplayname", "user", "display name"].contains(&h.as_str())
                })
                .map(|(i, _)| i)
                .collect();
            for rec in r.records().flatten() {
                for &c in &cols {
                    if let Some(v) = rec.get(c)
                        && v.trim().chars().count() >= 3
                    {
                        ids.words.insert(v.trim().to_lowercase());
                    }
                }
            }
        }
    }
    for row in read_maps(&plain_out.join("accounts.csv")) {
        for col in ["mobilePhoneNormalized", "authenticationPhone"] {
            if let Some((_, national)) = row[col].split_once(' ') {
                let digits: String = national.chars().filter(char::is_ascii_digit).collect();
                if digits.len() >= 6 {
                    ids.anywhere.insert(digits);
                }
            }
        }
    }
    ids
}

/// Built-in role template ids: Microsoft's constants, the same in every tenant.
const BUILT_IN: [&str; 3] = [
    "62e90394-69f5-4237-9190-012177145e10",
    "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
];

fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Every output file as text, the workbook's parts one by one.
fn output_texts(out: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for (rel, bytes) in files_under(out) {
        if rel.ends_with(".xlsx") {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
            for i in 0..z.len() {
                let mut e = z.by_index(i).expect("entry");
                let mut s = String::new();
                e.read_to_string(&mut s).expect("a text part");
                let name = e.name().map(|n| n.to_string()).unwrap_or_default();
                texts.push((format!("{rel}!{name}"), s));
            }
        } else {
            texts.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    texts
}

/// The forms an identifier takes in a file: as is, escaped for XML and HTML, for JSON, for CSV.
fn forms(s: &str) -> Vec<String> {
    let xml = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut v = vec![
        s.to_string(),
        xml.clone(),
        xml.replace('"', "&quot;").replace('\'', "&apos;"),
        xml.replace('"', "&quot;").replace('\'', "&#39;"),
        xml.replace('"', "&#34;").replace('\'', "&#39;"),
        s.replace('\\', "\\\\").replace('"', "\\\""),
        s.replace('"', "\"\""),
    ];
    v.sort();
    v.dedup();
    v
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before = hay[..at].chars().next_back();
        let after = hay[end..].chars().next();
        if !before.is_some_and(word_char) && !after.is_some_and(word_char) {
            return true;
        }
        from = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Every identifier of `ids` found in `out`, with the file it was found in.
fn leaks(ids: &Ids, out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in output_texts(out) {
        let lower = text.to_lowercase();
        for id in &ids.anywhere {
            if forms(id).iter().any(|f| lower.contains(f.as_str())) {
                found.push(format!("{file}: {id}"));
            }
        }
        for w in &ids.words {
            if forms(w).iter().any(|f| contains_word(&lower, f)) {
                found.push(format!("{file}: word {w:?}"));
            }
        }
    }
    found
}

#[test]
fn no_identifier_of_the_contoso_inputs_is_left_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let key = new_key(tmp.path(), "contoso.key");
    let k = key.display().to_string();
    let plain = contoso_out();
    let out = audit_into(
        tmp.path(),
        "shared",
        &[&fixture("contoso"), "--pseudonymize", &k],
    );
    let ids = identifiers(&root().join("fixtures/contoso"), &plain);
    assert!(
        ids.anywhere.len() > 100 && ids.words.len() > 50,
        "gathered {ids:?}"
    );
    let found = leaks(&ids, &out);
    assert!(
        found.is_empty(),
        "identifiers left in the outputs: {found:#?}"
    );
    // The check can fail: the plain run holds every kind of identifier.
    let plain_leaks = leaks(&ids, &plain);
    for kind in [
        "accounts.csv",
        "findings.csv",
        "mfa-readiness.xlsx!xl/",
        "summary.json",
        "bulk/",
    ] {
        assert!(
            plain_leaks.iter().any(|l| l.starts_with(kind)),
            "the plain run shows no identifier in {kind}: the check would not see one"
        );
    }
    // The key itself is written nowhere.
    let key_text = std::fs::read_to_string(&key).unwrap();
    for (file, text) in output_texts(&out) {
        assert!(!text.contains(key_text.trim()), "the key is in {file}");
    }
    // What is kept: departments and policy names.
    let accounts = std::fs::read_to_string(out.join("accounts.csv")).unwrap();
    assert!(accounts.contains("Finance"), "departments are kept");
    let coverage = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    assert!(coverage.contains("CA00"), "policy names are kept");
}

#[test]
fn no_identifier_of_the_other_fixtures_is_left_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let k = new_key(tmp.path(), "k").display().to_string();
    for (n, fx) in [
        "ca",
        "campaign/week-2026-11-28",
        "formats/graph-json",
        "formats/m365-new",
        "securescore",
    ]
    .iter()
    .enumerate()
    {
        let f = fixture(fx);
        let plain = audit_into(tmp.path(), &format!("plain{n}"), &[&f]);
        let out = audit_into(
            tmp.path(),
            &format!("shared{n}"),
            &[&f, "--pseudonymize", &k],
        );
        let ids = identifiers(&root().join("fixtures").join(fx), &plain);
        assert!(!ids.anywhere.is_empty(), "{fx}: nothing gathered");
        assert!(
            !leaks(&ids, &plain).is_empty(),
            "{fx}: the plain run shows them"
        );
        let found = leaks(&ids, &out);
        assert!(
            found.is_empty(),
            "{fx}: identifiers left in the outputs: {found:#?}"
        );
    }
}

#[test]
fn the_same_key_gives_byte_identical_outputs_and_another_key_other_pseudonyms() {
    let tmp = tempfile::tempdir().unwrap();
    let k1 = new_key(tmp.path(), "one.key").display().to_string();
    let k2 = new_key(tmp.path(), "two.key").display().to_string();
    let c = fixture("contoso");
    let a = audit_into(tmp.path(), "a", &[&c, "--pseudonymize", &k1]);
    let b = audit_into(tmp.path(), "b", &[&c, "--pseudonymize", &k1]);
    let other = audit_into(tmp.path(), "other", &[&c, "--pseudonymize", &k2]);
    assert_eq!(
        files_under(&a),
        files_under(&b),
        "same key, same inputs: same bytes"
    );
    let upns = |d: &Path| -> BTreeSet<String> {
        read_maps(&d.join("accounts.csv"))
            .into_iter()
            .map(|r| r["userPrincipalName"].clone())
            .collect()
    };
    assert_eq!(upns(&a).len(), upns(&other).len());
    assert!(
        upns(&a).is_disjoint(&upns(&other)),
        "another key gives other pseudonyms"
    );
    // Same counts, whatever the key.
    let counts = |d: &Path| json(&d.join("summary.json"))["findings"].clone();
    assert_eq!(counts(&a), counts(&other));
    assert_eq!(
        counts(&a),
        json(&contoso_out().join("summary.json"))["findings"]
    );
}

#[test]
fn bulk_files_are_withheld_and_the_summary_and_actions_sheet_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let k = new_key(tmp.path(), "k").display().to_string();
    // An earlier plain run into the same folder: its bulk files must not stay beside the new run.
    let c = fixture("contoso");
    let out = audit_into(tmp.path(), "out", &[&c]);
    assert!(out.join("bulk/registration-group-add.csv").is_file());
    let out = audit_into(tmp.path(), "out", &[&c, "--pseudonymize", &k]);
    assert!(
        !out.join("bulk").exists(),
        "no bulk file in a pseudonymised run"
    );
    let s = json(&out.join("summary.json"));
    assert!(
        s["bulkFilesWithheld"]
            .as_str()
            .unwrap_or("")
            .starts_with("withheld"),
        "{s}"
    );
    let fp = s["parameters"]["pseudonymized"]["keyFingerprint"]
        .as_str()
        .unwrap();
    assert_eq!(fp.len(), 16);
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["parameters"]["pseudonymized"]["keyFingerprint"], fp);
    assert!(
        !m.to_string().contains("bulk/"),
        "the manifest lists no bulk file"
    );
    let book = output_texts(&out)
        .into_iter()
        .filter(|(f, _)| f.contains("sharedStrings") || f.contains("worksheets"))
        .map(|(_, t)| t)
        .collect::<String>();
    assert!(
        book.contains("Not written: this run is pseudonymised"),
        "Actions sheet says withheld"
    );
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        page.contains("No bulk file was written"),
        "the page says withheld"
    );
    assert!(
        page.contains(&format!("key fingerprint {fp}")),
        "the page says pseudonymised"
    );
    let plain_page = std::fs::read_to_string(contoso_out().join("report.html")).unwrap();
    assert!(!plain_page.contains("Pseudonymised") && !plain_page.contains("No bulk file"));
    // Without the option there is no trace of it.
    let plain = json(&contoso_out().join("summary.json"));
    assert!(plain.get("bulkFilesWithheld").is_none());
    assert!(plain["parameters"].get("pseudonymized").is_none());
}

#[test]
fn a_baseline_needs_the_same_key() {
    let tmp = tempfile::tempdir().unwrap();
    let k1 = new_key(tmp.path(), "one.key").display().to_string();
    let k2 = new_key(tmp.path(), "two.key").display().to_string();
    let w1 = fixture("campaign/week-2026-11-14");
    let w2 = fixture("campaign/week-2026-11-21");
    let base = audit_into(tmp.path(), "w1", &[&w1, "--pseudonymize", &k1]);
    let plain_base = audit_into(tmp.path(), "w1-plain", &[&w1]);
    let b = base.display().to_string();
    let pb = plain_base.display().to_string();
    // The same key across weeks: the same pseudonyms, so progress is reported.
    let w2_out = audit_into(
        tmp.path(),
        "w2",
        &[&w2, "--pseudonymize", &k1, "--baseline", &b],
    );
    let plain_w2 = audit_into(tmp.path(), "w2-plain", &[&w2, "--baseline", &pb]);
    let changes = |d: &Path| read_maps(&d.join("progress.csv")).len();
    assert!(changes(&plain_w2) > 0);
    assert_eq!(
        changes(&w2_out),
        changes(&plain_w2),
        "the same changes under pseudonyms"
    );
    let progress = std::fs::read_to_string(w2_out.join("progress.csv")).unwrap();
    assert!(!progress.contains("new-account,") || changes(&plain_w2) > 0);
    let new_accounts = |d: &Path| {
        read_maps(&d.join("progress.csv"))
            .into_iter()
            .filter(|r| r["change"] == "new-account")
            .count()
    };
    assert_eq!(
        new_accounts(&w2_out),
        new_accounts(&plain_w2),
        "accounts matched across weeks"
    );
    // Another key, no key, or a key against a plain baseline: refused, exit 2.
    let e = audit_refused(&[&w2, "--pseudonymize", &k2, "--baseline", &b], tmp.path());
    assert!(e.contains("another key"), "{e}");
    let e = audit_refused(&[&w2, "--baseline", &b], tmp.path());
    assert!(e.contains("was pseudonymised"), "{e}");
    let e = audit_refused(&[&w2, "--pseudonymize", &k1, "--baseline", &pb], tmp.path());
    assert!(e.contains("was not pseudonymised"), "{e}");
}

#[test]
fn new_key_writes_an_owner_only_key_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let k = new_key(tmp.path(), "k");
    let text = std::fs::read_to_string(&k).unwrap();
    assert_eq!(text.trim().len(), 64);
    assert!(text.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&k).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }
    let o = run(&["new-key", &k.display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&k).unwrap(),
        text,
        "the key is unchanged"
    );
    let again = new_key(tmp.path(), "k2");
    assert_ne!(
        std::fs::read_to_string(again).unwrap(),
        text,
        "a fresh key each time"
    );
}

#[test]
fn a_bad_key_or_a_key_inside_the_exports_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.key");
    std::fs::write(&bad, "not a key\n").unwrap();
    let c = fixture("contoso");
    let e = audit_refused(
        &[&c, "--pseudonymize", &bad.display().to_string()],
        tmp.path(),
    );
    assert!(e.contains("bad.key") && e.contains("hexadecimal"), "{e}");
    assert!(
        !e.contains("not a key"),
        "the key file's content is never quoted: {e}"
    );
    let exports = tmp.path().join("exports");
    copy_dir(&root().join("fixtures/contoso"), &exports);
    let inside = new_key(&exports, "inside.key");
    let e = audit_refused(
        &[
            &exports.display().to_string(),
            "--pseudonymize",
            &inside.display().to_string(),
        ],
        tmp.path(),
    );
    assert!(e.contains("inside the input"), "{e}");
}

/// A small tenant with hostile names (markup, quotes, formulas, non-Latin scripts), guests, an
/// exclusion reason naming people and a registration row for an account that is not in the users
/// export, in the real export formats.
fn hostile_tenant(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let names = [
        ("img.tag", "<img src=x onerror=alert(1)>"),
        ("o'brien", "O'Brien, Seán \"The Boss\""),
        ("zoe.angstrom", "Zoë Ångström & Co"),
        ("hyper.link", "=HYPERLINK(\"http://evil.example/\")"),
        ("bobby.tables", "Robert'); DROP TABLE users;--"),
        ("li.xiaolong", "李小龍"),
        ("amp+tag", "Tom & Jerry <script>alert('x')</script>"),
        ("plain.person", "Plainly Namedperson"),
    ];
    let mut users = String::from(
        "\u{feff}userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,telephoneNumber,mobilePhone,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,creationType,directorySynced,invitationState,identityIssuer,createdDateTime\n",
    );
    let mut reg = String::from(
        "\u{feff}id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isPasswordlessCapable,isSsprRegistered,isSsprCapable,defaultMfaMethod,methodsRegistered,lastUpdatedDateTime\n",
    );
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (i, (local, name)) in names.iter().enumerate() {
        let upn = format!("{local}@hostile-tenant.org");
        let id = format!(
            "{:08x}-5a5a-4b4b-8c8c-{:012x}",
            0x1a2b3c4d + i,
            0xabcdef123400u64 + i as u64
        );
        let phone = format!("+1 206 555 {:04}", 1200 + i);
        users.push_str(&format!(
            "{upn},{},,{upn},,{id},Member,,Research,True,US,,,,,,,,{},,,,,,,,,hostile-tenant.org,1/15/2024 9:00:00 AM\n",
            q(name),
            q(&phone)
        ));
        let registered = i % 2 == 0;
        reg.push_str(&format!(
            "{id},{upn},{},member,{},{},False,False,False,{},{},2026-11-20T10:00:00Z\n",
            q(name),
            if i == 0 { "True" } else { "False" },
            if registered { "True" } else { "False" },
            if registered { "mobilePhone" } else { "none" },
            if registered {
                q("[\"mobilePhone\"]")
            } else {
                "[]".into()
            },
        ));
    }
    // A guest, and a registration row for someone not in the users export.
    users.push_str("partner.person_partner-corp.net#EXT#@hostiletenant.onmicrosoft.com,Partner Outsideperson,,partner.person@partner-corp.net,,9b9b9b9b-1c1c-4d4d-8e8e-0f0f0f0f0f0f,Guest,,,True,US,,,,,,,,,,,,,,,,,ExternalAzureAD,1/15/2024 9:00:00 AM\n");
    reg.push_str("7c7c7c7c-2d2d-4e4e-8f8f-1a1a1a1a1a1a,ghost.account@hostile-tenant.org,Ghostly Formeruser,member,False,False,False,False,False,none,[],2026-11-20T10:00:00Z\n");
    std::fs::write(dir.join("exportUsers_2026-11-21.csv"), users).unwrap();
    std::fs::write(
        dir.join("exportUserRegistrationDetails_2026-11-21.csv"),
        reg,
    )
    .unwrap();
    // A file of no known kind whose first row is names and a number: its "headers" are listed
    // in the input issues.
    std::fs::write(
        dir.join("notes.csv"),
        "Quentin Quill,Yara Youngblood,+1 425 555 0177\nmore,notes,here\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("mfa-exclusions.csv"),
        "userPrincipalName,reason,expires\nplain.person@hostile-tenant.org,\"Approved by Zoë Ångström & Co (zoe.angstrom@hostile-tenant.org), call +1 206 555 1202; ZOË ÅNGSTRÖM & CO-approved, img.tag_ok\",\nnobody.here@hostile-tenant.org,left the company,\n",
    )
    .unwrap();
}

#[test]
fn no_identifier_of_a_hostile_generated_tenant_is_left_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let exports = tmp.path().join("exports");
    hostile_tenant(&exports);
    let k = new_key(tmp.path(), "k").display().to_string();
    let e = exports.display().to_string();
    let plain = audit_into(tmp.path(), "plain", &[&e]);
    let out = audit_into(tmp.path(), "shared", &[&e, "--pseudonymize", &k]);
    let ids = identifiers(&exports, &plain);
    for must in [
        "<img src=x onerror=alert(1)>",
        "ghost.account@hostile-tenant.org",
        "zoë ångström & co",
        "2065551203",
    ] {
        assert!(
            ids.anywhere.contains(must) || ids.words.contains(must),
            "{must} not gathered: {ids:?}"
        );
    }
    let mut ids = ids;
    for w in ["quentin quill", "yara youngblood"] {
        ids.words.insert(w.into());
    }
    ids.anywhere.insert("4255550177".into());
    let found = leaks(&ids, &out);
    assert!(
        found.is_empty(),
        "identifiers left in the outputs: {found:#?}"
    );
    assert!(!leaks(&ids, &plain).is_empty(), "the plain run shows them");
    // The tool's own words stay: a finding code is not a name.
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(
        summary.contains("\"not-registered\""),
        "finding codes are kept"
    );
    // Pseudonyms, not blanks: every account keeps a UPN and a display name.
    let rows = read_maps(&out.join("accounts.csv"));
    assert_eq!(rows.len(), 9);
    for r in &rows {
        assert!(r["userPrincipalName"].starts_with("u-"), "{r:?}");
        assert!(r["displayName"].starts_with("User "), "{r:?}");
    }
    assert!(
        rows.iter()
            .any(|r| r["userPrincipalName"].contains("#EXT#@")),
        "a guest stays a guest"
    );
}
