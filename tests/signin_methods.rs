//! The methods used at sign-in (docs/inputs.md, "Methods used at sign-in"), read from every sign-in route of
//! `fixtures/formats/signin-routes` (written by `scripts/make_signin_routes.py`): each route must
//! give every account the same latest successful telephony MFA step (`lastTelephonyMfa`), and
//! the labels the tool does not know stay visible as input issues.

use std::path::{Path, PathBuf};

use mfa_audit::{AuditOptions, Given};

/// The raw-log routes: each carries the methods used as its export writes them.
const ROUTES: &[&str] = &[
    "portal-csv",
    "portal-json",
    "graph-pages",
    "la-csv",
    "la-json",
    "archive",
    "extractor",
];

fn route(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats/signin-routes")
        .join(name)
}

/// (upn, lastTelephonyMfa in seconds) of every account.
type PerAccount = Vec<(String, Option<String>)>;
/// (file, column, problem) of every input issue.
type Issues = Vec<(String, String, String)>;

/// The accounts' lastTelephonyMfa, and the input issues, of one route.
fn telephony(name: &str) -> (PerAccount, Issues) {
    let out = tempfile::tempdir().expect("temp dir");
    let given = Given {
        path: route(name),
        kind: None,
        sign_in_type: None,
    };
    let mut opts = AuditOptions::new(vec![given], out.path().join("r"));
    opts.as_of = mfa_audit::parse_ts("2026-11-21T00:00:00Z")
        .ok()
        .flatten()
        .and_then(|t| t.resolve(None));
    let report = mfa_audit::audit(&opts).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut per: Vec<(String, Option<String>)> = report
        .accounts
        .iter()
        .map(|a| {
            let t = a.last_telephony_mfa.map(|t| {
                let mut s = format!("{}", t / 1000);
                s.push('s');
                s
            });
            (a.upn.clone(), t)
        })
        .collect();
    per.sort();
    let issues = report
        .issues
        .iter()
        .map(|i| (i.file.clone(), i.column.clone(), i.problem.clone()))
        .collect();
    (per, issues)
}

fn secs(iso: &str) -> String {
    let t = mfa_audit::parse_ts(iso)
        .ok()
        .flatten()
        .and_then(|t| t.resolve(None))
        .expect("a date");
    format!("{}s", t / 1000)
}

#[test]
fn every_route_gives_the_same_last_telephony_mfa() {
    let (want, _) = telephony("portal-csv");
    // Ann's text message (day 24) and Cat's phone call (day 25) fire; Ben's failed text message,
    // Dan's text message in a failed sign-in and his passwordless phone sign-in do not; Eve has no
    // sign-ins. Later app notifications do not move Ann's date.
    let expect = vec![
        (
            "ann@tailspin.example".to_string(),
            Some(secs("2026-10-24T08:05:00Z")),
        ),
        ("ben@tailspin.example".to_string(), None),
        (
            "cat@tailspin.example".to_string(),
            Some(secs("2026-10-25T10:00:00Z")),
        ),
        ("dan@tailspin.example".to_string(), None),
        ("eve@tailspin.example".to_string(), None),
    ];
    assert_eq!(want, expect);
    for r in &ROUTES[1..] {
        let (got, _) = telephony(r);
        assert_eq!(got, want, "route {r}");
    }
}

#[test]
fn the_summary_routes_carry_no_methods_yet() {
    for r in ["summary", "summary-la"] {
        let (got, _) = telephony(r);
        assert!(got.iter().all(|(_, t)| t.is_none()), "{r}: {got:?}");
        assert_eq!(got.len(), 5, "{r}");
    }
}

#[test]
fn an_unknown_label_is_one_kept_issue_per_file_and_label() {
    for r in ROUTES {
        let (_, issues) = telephony(r);
        let unknown: Vec<_> = issues
            .iter()
            .filter(|(_, _, p)| p.contains("unknown sign-in method label"))
            .collect();
        // Dan's non-interactive sign-in names "Passkey (synced)" once; the known labels
        // ("Passwordless phone sign-in", "Phone call approval (...)", ...) are not reported.
        assert_eq!(unknown.len(), 1, "{r}: {issues:?}");
        let (file, column, problem) = unknown[0];
        assert!(
            problem.contains("'Passkey (synced)' (1 rows): not counted as telephony"),
            "{r}: {problem}"
        );
        let f = file.to_lowercase();
        assert!(
            f.contains("noninteractive") || f.contains("(1)"),
            "{r}: {file}"
        );
        assert!(!column.is_empty(), "{r}");
        assert!(
            !issues
                .iter()
                .any(|(_, _, p)| p.contains("methods used at sign-in unreadable")),
            "{r}: {issues:?}"
        );
    }
}

#[test]
fn a_summary_with_last_telephony_mfa_carries_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in std::fs::read_dir(route("summary")).expect("summary route") {
        let f = f.expect("entry").path();
        let name = f.file_name().expect("name").to_owned();
        let text = std::fs::read_to_string(&f).expect("text");
        let text = if name == "signin-summary.csv" {
            // The optional column, filled for Ann only.
            text.lines()
                .enumerate()
                .map(|(i, l)| match i {
                    0 => format!("{l},lastTelephonyMfa\n"),
                    _ if l.contains("ann@") => format!("{l},2026-10-24T08:05:00Z\n"),
                    _ => format!("{l},\n"),
                })
                .collect()
        } else {
            text
        };
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let out = tempfile::tempdir().expect("temp dir");
    let given = Given {
        path: dir.path().to_path_buf(),
        kind: None,
        sign_in_type: None,
    };
    let report =
        mfa_audit::audit(&AuditOptions::new(vec![given], out.path().join("r"))).expect("audits");
    for a in &report.accounts {
        let want = a
            .upn
            .starts_with("ann@")
            .then(|| secs("2026-10-24T08:05:00Z"));
        assert_eq!(
            a.last_telephony_mfa.map(|t| format!("{}s", t / 1000)),
            want,
            "{}",
            a.upn
        );
    }
}
