//! The bulk-update CSVs in the exact formats Entra and the scripts around it accept (see
//! `docs/outputs.md`). Rows come from `report.bulk`, names and headers from `BulkFile`; files with
//! no rows still get their header. `--max-rows N` also writes each file in parts of at most N
//! rows under `bulk/parts/`.

use std::path::Path;

use super::files::Written;
use crate::csv_text::csv_bytes;
use crate::error::Error;
use crate::options::GroupTemplate;
use crate::report::{Bulk, Report};
use crate::rules::bulk_file::BulkFile;

/// The rows of one bulk file, as text cells.
pub(crate) fn rows(b: &Bulk, file: BulkFile) -> Vec<Vec<String>> {
    match file {
        BulkFile::GroupAdd => b.group_add.iter().map(|m| vec![m.clone()]).collect(),
        BulkFile::GroupRemove => b.group_remove.iter().map(|m| vec![m.clone()]).collect(),
        BulkFile::PasskeyCampaign => b.passkey_campaign.iter().map(|m| vec![m.clone()]).collect(),
        BulkFile::PerUserMfa => b
            .per_user
            .iter()
            .map(|(u, s)| vec![u.clone(), s.clone()])
            .collect(),
        BulkFile::PhonePrepopulate => b
            .phones
            .iter()
            .map(|(u, p, t)| vec![u.clone(), p.clone(), t.to_string()])
            .collect(),
        BulkFile::RevokeSessions => b
            .revoke
            .iter()
            .map(|(u, i)| vec![u.clone(), i.clone()])
            .collect(),
        BulkFile::DirectoryPhoneFixes => b
            .directory_fixes
            .iter()
            .map(|f| {
                vec![
                    f.user_principal_name.clone(),
                    f.display_name.clone(),
                    f.department.clone(),
                    f.problem.as_str().to_string(),
                    f.current_value.clone(),
                ]
            })
            .collect(),
    }
}

fn render(file: BulkFile, rows: &[Vec<String>], template: GroupTemplate) -> Vec<u8> {
    let body = csv_bytes(file.header(), rows, !file.machine_import());
    if file.group_template() && template == GroupTemplate::V1 {
        let mut v = b"version:v1.0\r\n".to_vec();
        v.extend(body);
        v
    } else {
        body
    }
}

pub(crate) fn write(
    r: &Report,
    out: &Path,
    template: GroupTemplate,
    max_rows: Option<usize>,
    w: &mut Written,
) -> Result<(), Error> {
    // A pseudonymised run writes no bulk file: they exist to be imported into the real tenant.
    if r.summary.bulk_files_withheld.is_some() {
        return Ok(());
    }
    for file in BulkFile::ALL {
        let rows = rows(&r.bulk, file);
        w.put(out, file.path(), &render(file, &rows, template))?;
        if let Some(n) = max_rows.filter(|n| *n > 0 && rows.len() > *n) {
            let stem = file.file_name().trim_end_matches(".csv");
            for (k, part) in rows.chunks(n).enumerate() {
                w.put(
                    out,
                    &format!("bulk/parts/{stem}-part{:03}.csv", k + 1),
                    &render(file, part, template),
                )?;
            }
        }
    }
    Ok(())
}
