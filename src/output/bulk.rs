//! The bulk-update CSVs in the exact formats Entra and the scripts around it accept
//! (formats.md section 5). Rows come from `report.bulk`; files with no rows still get their
//! header. `--max-rows N` also writes the file in parts of at most N rows under `bulk/parts/`.

use std::path::Path;

use super::{Written, csv_bytes};
use crate::report::Report;
use crate::{Error, GroupTemplate};

pub const GROUP_HEADER: &str =
    "Member object ID or user principal name [memberObjectIdOrUpn] Required";

/// (file name, header, rows, is it a machine-import file)
type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>, bool);

pub fn tables(r: &Report) -> Vec<Table> {
    let b = &r.bulk;
    vec![
        (
            "registration-group-add.csv",
            vec![GROUP_HEADER],
            b.group_add.iter().map(|m| vec![m.clone()]).collect(),
            true,
        ),
        (
            "registration-group-remove.csv",
            vec![GROUP_HEADER],
            b.group_remove.iter().map(|m| vec![m.clone()]).collect(),
            true,
        ),
        (
            "per-user-mfa-bulk-update.csv",
            vec!["Username", "MFA Status"],
            b.per_user
                .iter()
                .map(|(u, s)| vec![u.clone(), s.clone()])
                .collect(),
            true,
        ),
        (
            "phone-methods-prepopulate.csv",
            vec!["userPrincipalName", "phoneNumber", "phoneType"],
            b.phones
                .iter()
                .map(|(u, p, t)| vec![u.clone(), p.clone(), t.to_string()])
                .collect(),
            true,
        ),
        (
            "revoke-sessions.csv",
            vec!["userPrincipalName", "id"],
            b.revoke
                .iter()
                .map(|(u, i)| vec![u.clone(), i.clone()])
                .collect(),
            true,
        ),
        (
            "directory-phone-fixes.csv",
            vec![
                "userPrincipalName",
                "displayName",
                "department",
                "problem",
                "currentValue",
            ],
            b.directory_fixes
                .iter()
                .map(|f| {
                    [
                        f.user_principal_name.as_str(),
                        f.display_name.as_str(),
                        f.department.as_str(),
                        f.problem,
                        f.current_value.as_str(),
                    ]
                    .iter()
                    .map(|c| c.to_string())
                    .collect()
                })
                .collect(),
            false,
        ),
    ]
}

fn render(
    header: &[&str],
    rows: &[Vec<String>],
    machine: bool,
    group: bool,
    template: GroupTemplate,
) -> Vec<u8> {
    let body = csv_bytes(header, rows, !machine);
    if group && template == GroupTemplate::V1 {
        let mut v = b"version:v1.0\r\n".to_vec();
        v.extend(body);
        v
    } else {
        body
    }
}

pub fn write(
    r: &Report,
    out: &Path,
    template: GroupTemplate,
    max_rows: Option<usize>,
    w: &mut Written,
) -> Result<(), Error> {
    for (name, header, rows, machine) in tables(r) {
        let group = header == [GROUP_HEADER];
        w.put(
            out,
            &format!("bulk/{name}"),
            &render(&header, &rows, machine, group, template),
        )?;
        if let Some(n) = max_rows.filter(|n| *n > 0 && rows.len() > *n) {
            let stem = name.trim_end_matches(".csv");
            for (k, part) in rows.chunks(n).enumerate() {
                w.put(
                    out,
                    &format!("bulk/parts/{stem}-part{:03}.csv", k + 1),
                    &render(&header, part, machine, group, template),
                )?;
            }
        }
    }
    Ok(())
}
