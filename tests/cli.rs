//! The command line itself: shell completions and the manual page are generated from the clap
//! definitions, so they name every subcommand and option the binary accepts.

mod common;

fn stdout(args: &[&str]) -> String {
    let out = common::run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn completions_cover_subcommands_and_options() {
    let bash = stdout(&["completions", "bash"]);
    for word in [
        "audit",
        "inspect",
        "rules",
        "--stale-after",
        "--default-region",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let zsh = stdout(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef mfa-audit"));
    let fish = stdout(&["completions", "fish"]);
    assert!(fish.contains("complete -c mfa-audit"));
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let out = common::run(&["completions", "cmd.exe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn man_page_is_roff_naming_every_subcommand() {
    let man = stdout(&["man"]);
    assert!(man.contains(".TH mfa-audit 1"));
    for sub in ["audit", "inspect", "rules", "completions"] {
        assert!(man.contains(sub), "man page lacks {sub}");
    }
}

#[test]
fn each_subcommand_has_a_man_page_with_its_options() {
    let audit = stdout(&["man", "audit"]);
    assert!(audit.contains(".TH mfa-audit-audit 1"), "{audit}");
    for opt in ["stale\\-after", "baseline", "policies", "default\\-region"] {
        assert!(audit.contains(opt), "audit page lacks {opt}");
    }
    let inspect = stdout(&["man", "inspect"]);
    assert!(inspect.contains(".TH mfa-audit-inspect 1"));
    assert!(!inspect.contains("baseline"), "inspect has no --baseline");
    let out = common::run(&["man", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `inspect` names the directory inputs (policies, groups, roles, methods policy, strengths) with
/// what each holds, where it printed nothing for a folder of policies.
#[test]
fn inspect_lists_directory_inputs_with_what_they_hold() {
    let o = common::run(&["inspect", &common::fixture("ca/policies")]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out.matches("kind:    conditional-access-policies").count(),
        5,
        "{out}"
    );
    assert!(
        out.contains("holds:   1 Conditional Access policy"),
        "{out}"
    );
    let o = common::run(&["inspect", "--json", &common::fixture("contoso")]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let kinds: Vec<&str> = v["directoryInputs"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    for k in [
        "authentication-methods-policy",
        "authentication-strengths",
        "conditional-access-policies",
        "group-memberships",
        "role-assignments",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    // A folder without any: none listed.
    let o = common::run(&[
        "inspect",
        "--json",
        &common::fixture("campaign/week-2026-11-14"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["directoryInputs"], serde_json::json!([]));
}
