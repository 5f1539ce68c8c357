//! The text the binary prints on stdout: the short audit summary, `inspect`'s per-file report and
//! `rules`' listing and explanations. Rendered from the report and the inspections only.

use std::fmt::Write as _;
use std::path::Path;

use crate::input::{Inspection, Issue};
use crate::report::Report;
use crate::rules::Rule;

/// The short human summary printed on stdout after an audit.
pub fn summary(r: &Report, out: &Path) -> String {
    let s = &r.summary;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "mfa-audit {} - as of {} ({})",
        s.version, s.as_of, s.as_of_source
    );
    let p = &s.population;
    let _ = writeln!(
        t,
        "accounts: {} total, {} in scope ({} guests, {} disabled, {} excluded out of scope{})",
        p.total,
        p.in_scope,
        p.guests,
        p.disabled,
        p.excluded,
        if p.enabled_blank > 0 {
            format!(
                "; {} with blank accountEnabled treated as enabled",
                p.enabled_blank
            )
        } else {
            String::new()
        }
    );
    let g = &s.registration;
    let _ = writeln!(
        t,
        "registration: {} of {} in scope registered ({}%), {} not registered, {} unknown",
        g.registered, g.in_scope, g.percent, g.not_registered, g.unknown
    );
    let _ = writeln!(t, "findings:");
    for rule in crate::rules::all() {
        if let Some(n) = s.findings.get(rule.code().as_str()) {
            let _ = writeln!(
                t,
                "  {:<32} {:<9} {n}",
                rule.code(),
                rule.severity().as_str()
            );
        }
    }
    for n in &s.not_evaluated {
        let _ = writeln!(t, "  {}", n.reason);
    }
    secure_score_lines(&mut t, r);
    let _ = writeln!(t, "input issues: {} (input-issues.csv)", s.input_issues);
    if let (Some(why), Some(p)) = (&s.bulk_files_withheld, &s.parameters.pseudonymized) {
        let _ = writeln!(
            t,
            "pseudonymised (key fingerprint {}); bulk files {why}",
            p.key_fingerprint
        );
    }
    let _ = writeln!(t, "reports written to {}", out.display());
    t
}

/// With Secure Score exports: per control Microsoft's score, our estimate and the projection.
fn secure_score_lines(t: &mut String, r: &Report) {
    if r.secure_score.is_none() {
        return;
    }
    let _ = writeln!(t, "secure score (securescore.csv):");
    for e in &r.summary.secure_score {
        let (Some(m), Some(p)) = (&e.microsoft, &e.projected) else {
            continue;
        };
        let ms = match (m.score, &m.date) {
            (Some(s), Some(d)) => format!("{s} of {} on {}", m.max_score, &d[..d.len().min(10)]),
            (Some(s), None) => format!("{s} of {}", m.max_score),
            (None, _) => "no score exported".into(),
        };
        let _ = writeln!(
            t,
            "  {:<18} Microsoft {ms}; our estimate {}; projected {}; {} accounts differ",
            e.control, e.estimated_points, p.points, m.accounts_differing
        );
    }
}

/// `mfa-audit rules`: one line per finding code.
pub fn rules_list() -> String {
    let mut o = String::new();
    for r in crate::rules::all() {
        let _ = writeln!(
            o,
            "{:<32} {:<9} {}",
            r.code(),
            r.severity().as_str(),
            r.explain().what
        );
    }
    o
}

/// `mfa-audit rules CODE`: What / Why / What to do, and the inputs the rule needs.
pub fn rule_explained(r: &dyn Rule) -> String {
    let e = r.explain();
    format!(
        "{} ({})\n\nWhat: {}\nWhy: {}\nWhat to do: {}\nNeeds: {}\n",
        r.code(),
        r.severity().as_str(),
        e.what,
        e.why,
        e.fix,
        r.needs()
    )
}

/// `mfa-audit inspect`: per file, format, kind and why, rows, mapped and ignored columns, issues.
pub fn inspection(
    list: &[Inspection],
    directory: &[crate::tenant::directory::DirectoryInput],
    top: &[Issue],
) -> String {
    let mut o = String::new();
    for i in list {
        let f = &i.info;
        let _ = writeln!(o, "{}", f.path);
        let _ = writeln!(o, "  format:  {}", f.format);
        let _ = writeln!(o, "  kind:    {} ({})", f.kind.label(), f.kind_reason);
        if let Some(t) = &f.sign_in_type {
            let _ = writeln!(o, "  sign-in: {t}");
        }
        let _ = write!(
            o,
            "  rows:    {} read, {} used, {} rejected",
            f.rows.read, f.rows.used, f.rows.rejected
        );
        if f.rows.ignored > 0 {
            let _ = write!(o, ", {} ignored", f.rows.ignored);
        }
        o.push('\n');
        for (c, h) in &f.mapping.mapped {
            let _ = writeln!(o, "  column:  {c:<34} <- {h}");
        }
        if !f.mapping.ignored.is_empty() {
            let _ = writeln!(o, "  ignored: {}", f.mapping.ignored.join(", "));
        }
        for iss in &i.issues {
            let _ = writeln!(
                o,
                "  issue:   row {} column {}: {} `{}` ({})",
                iss.row.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                iss.column,
                iss.problem,
                iss.value,
                iss.action.as_str()
            );
        }
    }
    archive_totals(&mut o, list);
    for d in directory {
        let _ = writeln!(o, "{}", d.path);
        let _ = writeln!(o, "  kind:    {}", d.kind);
        let _ = writeln!(o, "  holds:   {}", d.holds);
    }
    for iss in top {
        let _ = writeln!(o, "{}: {} ({})", iss.file, iss.problem, iss.action.as_str());
    }
    o
}

/// One line over a diagnostic-settings archive's `PT1H.json` blobs: files, records, and what
/// was set aside.
fn archive_totals(o: &mut String, list: &[Inspection]) {
    let blobs: Vec<&Inspection> = list
        .iter()
        .filter(|i| {
            let p = &i.info.path;
            p.len() >= 9 && p[p.len() - 9..].eq_ignore_ascii_case("PT1H.json")
        })
        .collect();
    if blobs.is_empty() {
        return;
    }
    let sum = |f: fn(&Inspection) -> u64| blobs.iter().map(|i| f(i)).sum::<u64>();
    let _ = writeln!(
        o,
        "archive: {} PT1H.json files, {} records: {} used, {} rejected, {} ignored ({} re-delivered duplicates, {} not a user's sign-ins)",
        blobs.len(),
        sum(|i| i.info.rows.read),
        sum(|i| i.info.rows.used),
        sum(|i| i.info.rows.rejected),
        sum(|i| i.info.rows.ignored),
        sum(|i| i.info.rows.duplicates),
        sum(|i| i.info.rows.ignored - i.info.rows.duplicates),
    );
}
