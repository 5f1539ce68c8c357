//! The documentation is tied to the code: every finding code has its own section in
//! docs/decisions.md, and every CSV header docs/outputs.md shows is the header the audit writes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::root;

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("file reads")
}

/// The finding codes as `src/rules/code.rs` declares them (`Variant => "code",`).
fn declared_codes() -> Vec<String> {
    read("src/rules/code.rs")
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("=> \"")?;
            let (code, tail) = rest.split_once('"')?;
            (tail.trim() == ",").then(|| code.to_string())
        })
        .collect()
}

/// Headings (`###` or `####`) of a markdown text, trimmed.
fn headings(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("### ") || l.starts_with("#### "))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .collect()
}

/// Codes without a section of their own.
fn undocumented(codes: &[String], md: &str) -> Vec<String> {
    let h = headings(md);
    codes
        .iter()
        .filter(|c| !h.iter().any(|x| x == *c || x == &format!("`{c}`")))
        .cloned()
        .collect()
}

#[test]
fn every_finding_code_has_its_section_in_decisions_md() {
    let codes = declared_codes();
    assert!(codes.len() >= 19, "codes found: {codes:?}");
    let missing = undocumented(&codes, &read("docs/decisions.md"));
    assert!(missing.is_empty(), "codes without a section: {missing:?}");
}

#[test]
fn the_section_check_sees_a_missing_code() {
    let md = "### not-registered\ntext\n#### `dormant`\n";
    let codes = ["not-registered", "dormant", "stale-kmsi"].map(String::from);
    assert_eq!(undocumented(&codes, md), vec!["stale-kmsi".to_string()]);
}

/// The header lines docs/outputs.md shows, by output file: the first line of the fenced block
/// under a heading naming a `.csv`, and the bulk table's `file | header` rows.
fn documented_headers(md: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut file: Option<String> = None;
    let mut last = String::new();
    let mut in_bulk = false;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with('#') {
            let name = l.trim_start_matches('#').trim();
            if l.starts_with("## ") {
                in_bulk = name.starts_with("Bulk-update files");
            }
            let prefix = if in_bulk { "bulk/" } else { "" };
            file = name
                .split_whitespace()
                .next()
                .filter(|w| w.ends_with(".csv"))
                .map(|w| format!("{prefix}{w}"));
        } else if l.starts_with("```") {
            if let (Some(f), Some(h)) = (file.take(), lines.get(i + 1)) {
                out.entry(f).or_insert_with(|| h.to_string());
            }
            while i + 1 < lines.len() && !lines[i + 1].starts_with("```") {
                i += 1;
            }
            i += 1;
        } else if let Some(row) = l.strip_prefix("| `bulk/") {
            let cells: Vec<&str> = row.split(" | ").collect();
            if let (Some(f), Some(h)) = (cells.first(), cells.get(1)) {
                let f = format!("bulk/{}", f.trim_end_matches('`'));
                let h = h.trim_matches('`').to_string();
                let h = if h == "same" { last.clone() } else { h };
                last = h.clone();
                out.insert(f, h);
            }
        }
        i += 1;
    }
    out
}

/// The first line of a written file, without a BOM.
fn first_line(p: &Path) -> String {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let text = text.trim_start_matches('\u{feff}');
    text.lines().next().unwrap_or("").to_string()
}

#[test]
fn csv_headers_in_outputs_md_are_the_headers_written() {
    let docs = documented_headers(&read("docs/outputs.md"));
    for f in [
        "findings.csv",
        "accounts.csv",
        "input-issues.csv",
        "coverage.csv",
        "progress.csv",
        "securescore.csv",
        "bulk/revoke-sessions.csv",
    ] {
        assert!(
            docs.contains_key(f),
            "{f} has no documented header: {docs:?}"
        );
    }
    // contoso carries Conditional Access inputs; a second run against the first gives progress.
    let first = common::audit(&["fixtures/contoso"]);
    let second = common::audit(&[
        "fixtures/contoso",
        "--baseline",
        &common::out(&first).display().to_string(),
    ]);
    let out = common::out(&second);
    // The Secure Score reconciliation needs Secure Score exports, which its own tenant carries.
    let scored = common::audit(&[&common::fixture("securescore")]);
    let mut wrong = Vec::new();
    for (file, header) in &docs {
        let p = if file == "securescore.csv" {
            common::out(&scored).join(file)
        } else {
            out.join(file)
        };
        if !p.exists() {
            wrong.push(format!("{file}: documented but not written"));
            continue;
        }
        let written = first_line(&p);
        if &written != header {
            wrong.push(format!(
                "{file}:\n  docs:    {header}\n  written: {written}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_header_check_reads_blocks_and_the_bulk_table() {
    let md = "## findings.csv\n\n```\na,b\n```\n\n| `bulk/x.csv` | `H` | yes |\n| `bulk/y.csv` | same | yes |\n## summary.json\n```\n{\n```\n";
    let d = documented_headers(md);
    assert_eq!(d.get("findings.csv").map(String::as_str), Some("a,b"));
    assert_eq!(d.get("bulk/x.csv").map(String::as_str), Some("H"));
    assert_eq!(d.get("bulk/y.csv").map(String::as_str), Some("H"));
    assert!(!d.contains_key("summary.json"));
}
