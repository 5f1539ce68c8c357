//! Snapshot tests of the text a user reads: `mfa-audit rules` (the list and every code's
//! explanation), `mfa-audit inspect` on each format fixture, and the summary `mfa-audit audit`
//! prints. The expected text is committed under `tests/snapshots/`; CONTRIBUTING.md
//! ("Snapshot tests") says how to review a change to it.
//!
//! Anything that differs from machine to machine is replaced before the comparison: the
//! repository's path (`[ROOT]`), the output folder (`[OUT]`) and the crate version (`[VERSION]`).

mod common;

use std::path::Path;

/// The binary's stdout for `args` (run from the repository root), which must exit with `code`.
fn stdout(args: &[&str], code: i32) -> String {
    let out = common::run(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        common::stderr(&out)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `text` with the machine-dependent parts replaced (longest first, so the output folder inside
/// a temporary folder is not cut in half by a shorter replacement).
fn normalise(text: &str, out: Option<&Path>) -> String {
    let mut pairs: Vec<(String, &str)> = vec![
        (common::root().display().to_string(), "[ROOT]"),
        (
            format!("mfa-audit {}", env!("CARGO_PKG_VERSION")),
            "mfa-audit [VERSION]",
        ),
    ];
    if let Some(o) = out {
        pairs.push((o.display().to_string(), "[OUT]"));
    }
    pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    let mut t = text.to_string();
    for (from, to) in pairs {
        t = t.replace(&from, to);
    }
    t
}

/// Exit code, stdout and stderr of the binary for `args`, as one text (for a command whose
/// error message is as much a part of what the user reads as its output).
fn all_output(args: &[&str]) -> String {
    let out = common::run(args);
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status
            .code()
            .map_or_else(|| "killed".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn rules_list() {
    insta::assert_snapshot!("rules_list", stdout(&["rules"], 0));
}

/// One snapshot per finding code, named after it: a new rule fails here until its explanation
/// has been read and its snapshot committed.
#[test]
fn every_rule_explained() {
    let rules = mfa_audit::all_rules();
    assert!(rules.len() > 10, "the registry lists the rules");
    for r in rules {
        let code = r.code().as_str();
        let text = stdout(&["rules", code], 0);
        assert!(text.starts_with(code), "{code}: {text}");
        insta::assert_snapshot!(format!("rules_{code}"), text);
    }
}

#[test]
fn unknown_rule_is_a_usage_error() {
    let out = common::run(&["rules", "no-such-code"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(
        "rules_unknown_code_stderr",
        normalise(&common::stderr(&out), None)
    );
}

/// Each folder of `fixtures/formats` (and each sign-in route under `signin-routes`), inspected
/// on its own. The folders are listed here rather than found, so a new fixture folder is a
/// deliberate addition to this list.
const FORMAT_FOLDERS: &[&str] = &[
    "entra-csv",
    "graph-json",
    "m365-new",
    "m365-old",
    "malformed",
    "methods-policy",
    "quirks",
    "secure-score",
    "xlsx",
    "signin-routes/archive",
    "signin-routes/extractor",
    "signin-routes/graph-pages",
    "signin-routes/la-csv",
    "signin-routes/la-json",
    "signin-routes/portal-csv",
    "signin-routes/portal-json",
    "signin-routes/summary",
    "signin-routes/summary-la",
];

#[test]
fn inspect_format_fixtures() {
    let root = common::root().join("fixtures/formats");
    // Every folder on disk is in the list (and the other way round).
    let mut on_disk = Vec::new();
    for e in std::fs::read_dir(&root).expect("fixtures/formats") {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        if name == "signin-routes" {
            for s in std::fs::read_dir(root.join(&name)).expect("signin-routes") {
                let s = s.expect("entry");
                if s.path().is_dir() {
                    on_disk.push(format!("{name}/{}", s.file_name().to_string_lossy()));
                }
            }
        } else if root.join(&name).is_dir() {
            on_disk.push(name);
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = FORMAT_FOLDERS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/snapshots.rs FORMAT_FOLDERS");
    for folder in FORMAT_FOLDERS {
        let rel = format!("fixtures/formats/{folder}");
        let text = all_output(&["inspect", &rel]);
        insta::assert_snapshot!(
            format!("inspect_{}", folder.replace('/', "_")),
            normalise(&text, None)
        );
    }
}

/// The quirks folder as a whole stops at its ambiguous dates (that message is in its folder
/// snapshot), so each of its files is inspected on its own too.
#[test]
fn inspect_each_quirk() {
    let dir = common::root().join("fixtures/formats/quirks");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/formats/quirks")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        let rel = format!("fixtures/formats/quirks/{name}");
        let text = all_output(&["inspect", &rel]);
        insta::assert_snapshot!(format!("inspect_quirks_{name}"), normalise(&text, None));
    }
}

#[test]
fn audit_summary_of_contoso() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let text = stdout(&["audit", "fixtures/contoso", "--out", &out_s], 0);
    assert!(text.contains(&out_s), "the summary names the output folder");
    insta::assert_snapshot!("audit_summary_contoso", normalise(&text, Some(&out)));
}

/// The normalisation itself: what it replaces, and that it leaves the rest alone.
#[test]
fn normalise_replaces_only_machine_paths() {
    let root = common::root().display().to_string();
    let out = Path::new("/tmp/.tmpAbC123/out");
    let text = format!(
        "mfa-audit {} - x\nread {root}/fixtures/a.csv\nreports written to /tmp/.tmpAbC123/out\nkeep /tmp/other\n",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        normalise(&text, Some(out)),
        "mfa-audit [VERSION] - x\nread [ROOT]/fixtures/a.csv\nreports written to [OUT]\nkeep /tmp/other\n"
    );
}
