//! House rules a newcomer can rely on, checked on the source tree: each finding code is spelled
//! once, no function is longer than a screenful or two, the input readers do not reach up into
//! the account table, comments cite documents inside the repository, and the library's public
//! surface stays a short list.

use std::path::{Path, PathBuf};

mod common;
use common::root;

/// Every `.rs` file under `dir`, sorted (the shared folder walker, filtered).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    common::files_under(dir)
        .into_keys()
        .map(|rel| dir.join(rel))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("source file reads")
}

/// The finding codes as `rules/code.rs` declares them (`Variant => "code",`).
fn declared_codes() -> Vec<String> {
    let text = read(&root().join("src/rules/code.rs"));
    text.lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("=> \"")?;
            let (code, tail) = rest.split_once('"')?;
            (tail.trim() == ",").then(|| code.to_string())
        })
        .collect()
}

#[test]
fn each_finding_code_is_spelled_once_in_src() {
    let codes = declared_codes();
    assert!(codes.len() >= 15, "codes found in code.rs: {codes:?}");
    let sources: Vec<(PathBuf, String)> = rust_files(&root().join("src"))
        .into_iter()
        .map(|p| {
            let t = read(&p);
            (p, t)
        })
        .collect();
    let mut wrong = Vec::new();
    for c in &codes {
        let lit = format!("\"{c}\"");
        let places: Vec<String> = sources
            .iter()
            .flat_map(|(p, t)| {
                t.lines()
                    .enumerate()
                    .filter(|(_, l)| l.contains(&lit))
                    .map(move |(i, _)| format!("{}:{}", p.display(), i + 1))
            })
            .collect();
        if places.len() != 1 {
            wrong.push(format!("{c}: {places:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "codes not spelled exactly once:\n{}",
        wrong.join("\n")
    );
}

/// Functions in `text` longer than `max` lines (signature to closing brace), as "name (lines)".
fn long_functions(text: &str, max: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let indent = &l[..l.len() - t.len()];
        let sig = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "const fn ",
            "pub const fn ",
        ]
        .iter()
        .find_map(|p| t.strip_prefix(p));
        let Some(sig) = sig else { continue };
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (a trait method) ends with `;` before any `{`.
        let opens = lines[i..].iter().position(|x| x.contains('{'));
        let ends = lines[i..].iter().position(|x| x.trim_end().ends_with(';'));
        if ends.is_some_and(|e| opens.is_none_or(|o| e < o)) {
            continue;
        }
        let close = format!("{indent}}}");
        let end = lines[i..].iter().position(|x| *x == close).map(|n| n + 1);
        if let Some(n) = end
            && n > max
        {
            out.push(format!("{name} ({n})"));
        }
    }
    out
}

#[test]
fn no_function_in_src_is_longer_than_120_lines() {
    let mut long = Vec::new();
    for p in rust_files(&root().join("src")) {
        let rel = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
        for f in long_functions(&read(&p), 120) {
            long.push(format!("{rel}: {f}"));
        }
    }
    assert!(
        long.is_empty(),
        "functions over 120 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_sees_a_long_function() {
    let body = "    x += 1;\n".repeat(130);
    let text = format!("fn long() {{\n{body}}}\n\nfn short() {{\n    x;\n}}\n");
    assert_eq!(long_functions(&text, 120), vec!["long (132)".to_string()]);
}

#[test]
fn input_readers_do_not_import_the_account_table() {
    let up = ["crate::", "accounts"].concat();
    let bad: Vec<String> = rust_files(&root().join("src/input"))
        .into_iter()
        .filter(|p| read(p).contains(&up))
        .map(|p| p.display().to_string())
        .collect();
    assert!(bad.is_empty(), "src/input files importing {up}: {bad:?}");
}

#[test]
fn comments_cite_documents_inside_the_repository() {
    // Spelled in pieces so this file does not match itself.
    let outside = [
        ["formats", ".md"].concat(),
        ["design", ".md"].concat(),
        ["shared", "/"].concat(),
    ];
    let mut bad = Vec::new();
    for dir in ["src", "tests", "examples"] {
        for p in rust_files(&root().join(dir)) {
            for (i, l) in read(&p).lines().enumerate() {
                let comment = l.trim_start().starts_with("//");
                if comment && outside.iter().any(|o| l.contains(o.as_str())) {
                    bad.push(format!("{}:{}: {}", p.display(), i + 1, l.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "comments pointing outside the repository:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_library_surface_is_a_short_list() {
    let lib = read(&root().join("src/lib.rs"));
    // Modules are private; what the binary and the tests use is re-exported by name.
    let public_mods: Vec<&str> = lib.lines().filter(|l| l.starts_with("pub mod ")).collect();
    assert!(
        public_mods.is_empty(),
        "public modules in lib.rs: {public_mods:?}"
    );
    let reexports: usize = lib
        .lines()
        .filter(|l| l.starts_with("pub use "))
        .map(|l| l.matches(',').count() + 1)
        .sum();
    assert!(reexports <= 30, "{reexports} names re-exported by lib.rs");
}

/// Threads are started in one place (src/par.rs): no other source file calls `std::thread`.
#[test]
fn threads_start_only_in_par_rs() {
    let needle = ["std::", "thread"].concat();
    let bad: Vec<String> = rust_files(&root().join("src"))
        .into_iter()
        .filter(|p| !p.ends_with("par.rs"))
        .filter(|p| read(p).contains(&needle))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        bad.is_empty(),
        "files starting threads outside src/par.rs: {bad:?}"
    );
    assert!(read(&root().join("src/par.rs")).contains(&needle));
}
