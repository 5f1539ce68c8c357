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
