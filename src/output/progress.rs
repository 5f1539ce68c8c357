//! progress.csv: one row per change since the `--baseline` run (`userPrincipalName,id,change,
//! finding`), sorted by lowercase UPN, id, change and finding code. Human-facing: every cell
//! goes through the formula guard.

use std::path::Path;

use super::files::Written;
use crate::csv_text::csv_bytes;
use crate::error::Error;
use crate::report::Progress;

pub const FILE: &str = "progress.csv";
pub const PROGRESS_HEADER: &[&str] = &["userPrincipalName", "id", "change", "finding"];

/// The rows' raw text, before the formula guard (the workbook writes them as string cells).
pub fn cells(p: &Progress) -> Vec<Vec<String>> {
    p.changes
        .iter()
        .map(|c| {
            vec![
                c.user_principal_name.clone(),
                c.id.clone(),
                c.change.as_str().to_string(),
                c.finding.clone(),
            ]
        })
        .collect()
}

pub fn write(p: &Progress, out: &Path, w: &mut Written) -> Result<(), Error> {
    w.put(out, FILE, &csv_bytes(PROGRESS_HEADER, &cells(p), true))
}
