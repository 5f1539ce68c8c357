//! Writers: every output is rendered from the report only. Files are written atomically (a
//! temporary file in the same folder, then renamed), so a crash leaves no half-written output.

pub mod bulk;
pub mod coverage_cells;
pub mod coverage_sheet;
pub mod files;
pub mod json;
pub mod print;
pub mod progress;
pub mod progress_sheet;
pub mod tables;
pub mod text;
pub mod workbook;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::report::Report;
use files::{Written, write_hashed};

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
            let r = workbook::render_tables(report, &t);
            if timing {
                eprintln!("timing: workbook {:.2}s", started.elapsed().as_secs_f64());
            }
            write_hashed(out, "mfa-readiness.xlsx", &r?)
        },
        || -> Result<(), Error> {
            let started = std::time::Instant::now();
            tables::write(&t, out, &mut w)?;
            bulk::write(report, out, opts.group_template, opts.max_rows, &mut w)?;
            if let Some(p) = &report.progress {
                progress::write(p, out, &mut w)?;
            }
            json::write_summary(report, out, &mut w)?;
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
    json::write_manifest(report, out, &mut w)?;
    if timing {
        eprintln!(
            "timing: outputs written {:.2}s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(w)
}
