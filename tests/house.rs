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
    // Documentation and the CI script's comments too: a reader of a clone has only the clone.
    let docs = common::files_under(&root())
        .into_keys()
        .filter(|rel| {
            (rel.ends_with(".md") && !rel.starts_with("target/")) || rel.starts_with(".ci/")
        })
        .collect::<Vec<_>>();
    assert!(docs.iter().any(|d| d == "README.md"), "{docs:?}");
    for rel in docs {
        let md = rel.ends_with(".md");
        for (i, l) in read(&root().join(&rel)).lines().enumerate() {
            let comment = md || l.trim_start().starts_with('#');
            if comment && outside.iter().any(|o| l.contains(o.as_str())) {
                bad.push(format!("{rel}:{}: {}", i + 1, l.trim()));
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

/// The stages of the data flow, lowest first (the folders of `src/`). A file may import its own
/// stage or any below it; an import of a higher stage runs against the flow.
const STAGES: [(&str, u8); 12] = [
    ("values", 0),
    ("value_props", 0),
    ("par", 0),
    ("csv_text", 0),
    ("input", 1),
    ("error", 2),
    ("options", 2),
    ("tenant", 3),
    ("rules", 4),
    ("report", 5),
    ("output", 6),
    ("", 7),
];

/// The stage of a module path (its first segment); the crate root (`lib.rs`) is the top.
fn stage(module: &[String]) -> Option<u8> {
    let first = module.first().map(String::as_str).unwrap_or("");
    STAGES.iter().find(|(n, _)| *n == first).map(|(_, s)| *s)
}

/// The module path of a source file relative to `src/`: `input/detect.rs` -> `[input, detect]`,
/// `report/mod.rs` -> `[report]`, `lib.rs` -> `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The module paths a file's code names (`crate::a::b`, `super::a`, and the names inside a
/// `crate::{..}` / `super::{..}` group), resolved to absolute paths. Test modules (from the
/// first `#[cfg(test)]` line on) are left out: a test may build a report from the top.
fn imports(module: &[String], is_mod_file: bool, text: &str) -> Vec<Vec<String>> {
    let code = text.split("\n#[cfg(test)]").next().unwrap_or("");
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    for root in ["crate::", "super::"] {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(root) {
            let before = rest[..i].chars().last();
            rest = &rest[i + root.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let base: Vec<String> = if root == "crate::" {
                Vec::new()
            } else {
                // `super` of `a/b.rs` is `a`; of `a/mod.rs` (module `a`) it is the crate root.
                let mut m = module.to_vec();
                m.pop();
                if is_mod_file {
                    m.truncate(module.len().saturating_sub(1));
                }
                m
            };
            let tails: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                inner.split(',').map(|s| s.trim().to_string()).collect()
            } else {
                vec![
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect(),
                ]
            };
            for t in tails {
                let mut path = base.clone();
                path.extend(
                    t.split("::")
                        .filter(|s| {
                            !s.is_empty()
                                && s.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
                                })
                        })
                        .map(str::to_string),
                );
                out.push(path);
            }
        }
    }
    out
}

/// The file (module path) an import lands in: the longest prefix naming a known module.
fn resolve(
    path: &[String],
    known: &std::collections::BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
}

/// Every file-to-file import of the sources `(path relative to src, text)`.
fn edges(files: &[(String, String)]) -> Vec<(Vec<String>, Vec<String>)> {
    let known: std::collections::BTreeSet<Vec<String>> =
        files.iter().map(|(rel, _)| module_of(rel)).collect();
    let mut out = Vec::new();
    for (rel, text) in files {
        let from = module_of(rel);
        let is_mod = rel.ends_with("mod.rs") || rel == "lib.rs";
        for p in imports(&from, is_mod, text) {
            if let Some(to) = resolve(&p, &known)
                && to != from
                && !out.contains(&(from.clone(), to.clone()))
            {
                out.push((from.clone(), to));
            }
        }
    }
    out
}

/// Imports from a lower stage to a higher one, as "from -> to".
fn against_the_flow(files: &[(String, String)]) -> Vec<String> {
    edges(files)
        .into_iter()
        .filter(|(a, b)| stage(b) > stage(a) || stage(a).is_none() || stage(b).is_none())
        .map(|(a, b)| format!("{} -> {}", a.join("::"), b.join("::")))
        .collect()
}

/// Files that import each other in a loop (each cycle as the files on it).
fn cycles(files: &[(String, String)]) -> Vec<String> {
    let e = edges(files);
    let reach = |from: &Vec<String>, to: &Vec<String>| {
        let mut seen = vec![from.clone()];
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for (a, b) in &e {
                if *a == n && !seen.contains(b) {
                    if b == to {
                        return true;
                    }
                    seen.push(b.clone());
                    todo.push(b.clone());
                }
            }
        }
        false
    };
    let mut out: Vec<String> = e
        .iter()
        .filter(|(a, b)| reach(b, a) || b == a)
        .map(|(a, b)| format!("{} -> {}", a.join("::"), b.join("::")))
        .collect();
    out.sort();
    out
}

/// The crate's sources (`src/`, without the binary's `main.rs` and `cli.rs`), relative to `src/`.
fn library_sources() -> Vec<(String, String)> {
    let src = root().join("src");
    rust_files(&src)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap_or(&p).display().to_string();
            let text = read(&p);
            (rel, text)
        })
        .filter(|(rel, _)| rel != "main.rs" && rel != "cli.rs")
        .collect()
}

#[test]
fn imports_only_run_down_the_stages() {
    let files = library_sources();
    assert!(
        edges(&files).len() > 50,
        "too few imports found: the parser is broken"
    );
    let bad = against_the_flow(&files);
    assert!(
        bad.is_empty(),
        "imports against the flow:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_files_import_each_other_in_a_loop() {
    let bad = cycles(&library_sources());
    assert!(bad.is_empty(), "imports on a cycle:\n{}", bad.join("\n"));
}

#[test]
fn the_house_checks_see_a_reader_importing_a_writer_and_a_loop() {
    let f = |rel: &str, text: &str| (rel.to_string(), text.to_string());
    let files = vec![
        f(
            "lib.rs",
            "mod input;\nmod output;\nmod rules;\nmod report;\n",
        ),
        f("input/mod.rs", "pub mod a;\npub mod b;\n"),
        f(
            "input/a.rs",
            "use crate::output::write;\nuse super::b::X;\n",
        ),
        f("input/b.rs", "use super::{a::Y, c};\n"),
        f("output/mod.rs", "use crate::report::Report;\n"),
        f("rules/mod.rs", "fn f(r: &crate::report::Report) {}\n"),
        f(
            "report/mod.rs",
            "use crate::rules::Code;\n#[cfg(test)]\nmod t { use crate::output::x; }\n",
        ),
    ];
    assert_eq!(
        against_the_flow(&files),
        vec![
            "input::a -> output".to_string(),
            "rules -> report".to_string()
        ]
    );
    assert_eq!(
        cycles(&files),
        vec![
            "input::a -> input::b".to_string(),
            "input::b -> input::a".to_string(),
            "report -> rules".to_string(),
            "rules -> report".to_string(),
        ]
    );
}
