//! Writers: every output is rendered from the report only. Files are written atomically (a
//! temporary file in the same folder, then renamed), so a crash leaves no half-written output.

pub mod bulk;
pub mod coverage_cells;
pub mod coverage_sheet;
pub mod files;
pub mod html;
pub mod json;
pub mod key_file;
pub mod passkey_sheet;
pub mod print;
pub mod progress;
pub mod progress_sheet;
pub mod secure_score_sheet;
pub mod tables;
pub mod text;
pub mod workbook;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::report::Report;
use files::Written;

/// Refuses to write inside a folder that holds inputs unless `--out` named it explicitly: into
/// (or below) a folder given as input, which the next run would read back, or into the folder
/// of an input file.
pub fn check_out_dir(out: &Path, inputs: &[PathBuf], explicit: bool) -> Result<(), Error> {
    if explicit {
        return Ok(());
    }
    // Canonical form of a path that may not exist yet: its nearest existing ancestor,
    // canonicalized, plus the rest.
    let canon = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        let mut base = p.to_path_buf();
        let mut rest = Vec::new();
        loop {
            if let Ok(c) = std::fs::canonicalize(&base) {
                return rest
                    .iter()
                    .rev()
                    .fold(c, |acc: PathBuf, part| acc.join(part));
            }
            match (base.file_name().map(|n| n.to_os_string()), base.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    base = if parent.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        parent.to_path_buf()
                    };
                }
                _ => return p.to_path_buf(),
            }
        }
    };
    let out_c = canon(out);
    for i in inputs {
        let clash = if i.is_dir() {
            out_c.starts_with(canon(i))
        } else {
            out_c == canon(i.parent().unwrap_or(Path::new(".")))
        };
        if clash {
            return Err(Error::Usage(format!(
                "refusing to write reports into {}: it holds input files ({}); name the output folder with --out",
                out.display(),
                i.display()
            )));
        }
    }
    Ok(())
}

/// Writes every output of the report into `out`.
pub fn write_all(
    report: &Report,
    out: &Path,
    opts: &crate::options::AuditOptions,
) -> Result<Written, Error> {
    let mut w = Written::default();
    // The tables' cells are built once, for the CSVs and the workbook alike.
    let started = std::time::Instant::now();
    let t = tables::Tables::new(report);
    let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    if timing {
        eprintln!(
            "timing: output tables {:.2}s",
            started.elapsed().as_secs_f64()
        );
    }
    // The workbook is the slowest output: it renders (and is written) on its own thread while the
    // CSVs are written.
    let (workbook, csvs) = crate::par::beside(
        || {
            let started = std::time::Instant::now();
            let rel = "mfa-readiness.xlsx";
            let hash = files::write_atomic_hashed_with(&out.join(rel), |f| {
                let w = std::io::BufWriter::with_capacity(1 << 20, f);
                let mut w = workbook::render_tables_into(report, &t, w)?;
                std::io::Write::flush(&mut w).map_err(|e| Error::Output {
                    path: out.join(rel).display().to_string(),
                    source: e,
                })
            });
            if timing {
                eprintln!("timing: workbook {:.2}s", started.elapsed().as_secs_f64());
            }
            Ok::<_, Error>((rel.to_string(), hash?))
        },
        || -> Result<(), Error> {
            let started = std::time::Instant::now();
            tables::write(&t, out, &mut w)?;
            bulk::write(report, out, opts.group_template, opts.max_rows, &mut w)?;
            if let Some(p) = &report.progress {
                progress::write(p, out, &mut w)?;
            }
            json::write_summary(report, out, &mut w)?;
            let page = std::time::Instant::now();
            w.put(out, html::FILE, &html::render(report)?)?;
            if timing {
                eprintln!("timing: report.html {:.3}s", page.elapsed().as_secs_f64());
            }
            if timing {
                eprintln!(
                    "timing: CSVs and summary {:.2}s",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        },
    );
    csvs?;
    let wb =
        workbook.map_err(|_| Error::Internal("the workbook writer thread failed".into()))??;
    w.files.push(wb);
    if let Some(rows) = &report.coverage {
        w.put(
            out,
            "coverage.csv",
            &crate::csv_text::csv_bytes(
                &coverage_cells::HEADER,
                &coverage_cells::cells(rows),
                true,
            ),
        )?;
    }
    if let Some(rows) = &report.secure_score {
        w.put(
            out,
            secure_score_sheet::FILE,
            &crate::csv_text::csv_bytes(
                &secure_score_sheet::HEADER,
                &secure_score_sheet::cells(rows),
                true,
            ),
        )?;
    }
    w.removed = remove_stale(out, &w)?;
    if !w.removed.is_empty() {
        eprintln!(
            "note: removed from {}: {} (an earlier run's outputs that this run does not write)",
            out.display(),
            w.removed.join(", ")
        );
    }
    json::write_manifest(report, out, &mut w)?;
    if timing {
        eprintln!(
            "timing: outputs written {:.2}s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(w)
}

/// Outputs that a run writes only when its inputs call for them, or that other versions of
/// this tool write, beside those every run writes.
const OTHER_OUTPUTS: &[&str] = &["coverage.csv", progress::FILE, secure_score_sheet::FILE];

/// Is `rel` (relative to an output folder, `/`-separated) a name this tool writes?
fn is_tool_output(rel: &str) -> bool {
    const ALWAYS: &[&str] = &[
        "findings.csv",
        "accounts.csv",
        "input-issues.csv",
        "summary.json",
        "mfa-readiness.xlsx",
        html::FILE,
    ];
    if ALWAYS.contains(&rel) || OTHER_OUTPUTS.contains(&rel) {
        return true;
    }
    crate::rules::bulk_file::BulkFile::ALL.iter().any(|f| {
        if f.path() == rel {
            return true;
        }
        // A part of a bulk file split with --max-rows: bulk/parts/STEM-partNNN.csv.
        let stem = f.file_name().trim_end_matches(".csv");
        rel.strip_prefix("bulk/parts/")
            .and_then(|r| r.strip_prefix(stem))
            .and_then(|r| r.strip_prefix("-part"))
            .and_then(|r| r.strip_suffix(".csv"))
            .is_some_and(|n| n.len() >= 3 && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The outputs an earlier run's manifest in `out` lists (only if it is this tool's manifest),
/// as safe relative paths.
fn listed_by_manifest(out: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(out.join("manifest.json")) else {
        return vec![];
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return vec![];
    };
    if v.get("tool").and_then(|t| t.as_str()) != Some("mfa-audit") {
        return vec![];
    }
    let safe = |p: &str| {
        !p.is_empty()
            && Path::new(p)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    v.get("outputs")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|o| o.get("path").and_then(|p| p.as_str()))
                .filter(|p| safe(p) && *p != "manifest.json")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Removes from `out` every output of this tool that this run did not write (an earlier run's
/// `coverage.csv`, `progress.csv`, bulk files or parts), so the folder holds one run and the
/// manifest describes all of it. Files that are not the tool's are left alone. Returns the
/// removed paths, relative to `out`, sorted.
fn remove_stale(out: &Path, w: &Written) -> Result<Vec<String>, Error> {
    let written: std::collections::HashSet<&str> =
        w.files.iter().map(|(p, _)| p.as_str()).collect();
    let mut candidates: std::collections::BTreeSet<String> =
        listed_by_manifest(out).into_iter().collect();
    for dir in ["", "bulk", "bulk/parts"] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let rel = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if is_tool_output(&rel) {
                candidates.insert(rel);
            }
        }
    }
    let mut removed = Vec::new();
    for rel in candidates {
        if written.contains(rel.as_str()) {
            continue;
        }
        let p = out.join(&rel);
        // Only regular files: a folder or link by an output's name is not the tool's.
        if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            continue;
        }
        std::fs::remove_file(&p).map_err(|e| Error::Output {
            path: p.display().to_string(),
            source: e,
        })?;
        removed.push(rel);
    }
    // The parts folder goes once it is empty (it holds nothing but split bulk files), and the
    // bulk folder too (a pseudonymised run writes no bulk file).
    for dir in ["bulk/parts", "bulk"] {
        let d = out.join(dir);
        if std::fs::read_dir(&d).is_ok_and(|mut e| e.next().is_none()) {
            let _ = std::fs::remove_dir(&d);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod stale_tests {
    use super::*;

    #[test]
    fn only_the_tools_own_names_are_outputs() {
        for rel in [
            "coverage.csv",
            "progress.csv",
            "findings.csv",
            "bulk/revoke-sessions.csv",
            "bulk/parts/revoke-sessions-part001.csv",
        ] {
            assert!(is_tool_output(rel), "{rel}");
        }
        for rel in [
            "README.md",
            "notes.csv",
            "bulk/my-own.csv",
            "bulk/parts/revoke-sessions-partX.csv",
            "bulk/parts/other-part001.csv",
            "sub/coverage.csv",
        ] {
            assert!(!is_tool_output(rel), "{rel}");
        }
    }

    #[test]
    fn stale_outputs_go_and_other_files_stay() {
        let d = tempfile::tempdir().expect("temp dir");
        let out = d.path();
        std::fs::create_dir_all(out.join("bulk/parts")).expect("mkdir");
        for f in [
            "coverage.csv",
            "progress.csv",
            "findings.csv",
            "notes.txt",
            "bulk/parts/revoke-sessions-part001.csv",
            "bulk/mine.csv",
        ] {
            std::fs::write(out.join(f), "x").expect("write");
        }
        let w = Written {
            files: vec![("findings.csv".into(), String::new())],
            removed: vec![],
        };
        let removed = remove_stale(out, &w).expect("remove");
        assert_eq!(
            removed,
            [
                "bulk/parts/revoke-sessions-part001.csv",
                "coverage.csv",
                "progress.csv"
            ]
        );
        assert!(out.join("findings.csv").exists());
        assert!(out.join("notes.txt").exists());
        assert!(out.join("bulk/mine.csv").exists());
        assert!(!out.join("bulk/parts").exists());
    }
}
