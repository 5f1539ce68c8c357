//! securescore.csv and the workbook's Secure Score sheet (only when Secure Score exports were
//! given): per control Microsoft's figures, our estimate and the projected score, then one row
//! per account where the two views differ (docs/outputs.md, "securescore.csv").

use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

use super::print::{row_height, wrapped_lines};
use crate::report::{Report, ScoreEstimate, ScoreRow};

/// Rows of the sheet's account list at most (a sheet holds 1,048,576 rows).
const SHEET_ROWS: usize = 100_000;

pub const FILE: &str = "securescore.csv";
pub const HEADER: [&str; 6] = [
    "control",
    "id",
    "userPrincipalName",
    "microsoft",
    "ours",
    "reason",
];
const NAME: &str = "Secure Score";
/// Row of the account list's header (0-based): below the key figures.
pub const LIST_HEADER_ROW: u32 = 18;
/// Column widths: figure label (or control), id, UPN, microsoft, ours, reason (wrapped).
const WIDTHS: [f64; 6] = [34.0, 37.0, 38.0, 18.0, 42.0, 70.0];

/// The rows of securescore.csv, in the header's order.
pub fn cells(rows: &[ScoreRow]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| {
            vec![
                r.control,
                r.id.as_str(),
                r.user_principal_name.as_str(),
                r.microsoft.as_str(),
                r.ours.as_str(),
                r.reason.as_str(),
            ]
        })
        .collect()
}

fn opt_num(n: Option<f64>) -> String {
    n.map(|n| n.to_string())
        .unwrap_or_else(|| "(not exported)".into())
}

fn opt_text(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "(not exported)".into())
}

/// The key figures of one control, as (label, value) in sheet order.
fn figures(e: &ScoreEstimate) -> Vec<(&'static str, String)> {
    let mut f = Vec::new();
    if let Some(m) = &e.microsoft {
        f.push(("Microsoft's score", opt_num(m.score)));
        f.push((
            "Maximum points",
            format!("{} (from the {})", m.max_score, m.max_score_from),
        ));
        f.push(("Score date (createdDateTime)", opt_text(&m.date)));
        f.push(("count (as exported)", opt_text(&m.count)));
        f.push(("total (as exported)", opt_text(&m.total)));
        f.push(("Implementation status", opt_text(&m.implementation_status)));
        f.push((
            "Read from",
            format!("{} ({} score objects carried it)", m.source, m.scores_read),
        ));
        let impacted = m.impacted.as_ref().map_or_else(
            || "(no recommendation export with impacted resources)".to_string(),
            |c| {
                format!(
                    "{} active, {} dismissed, {} postponed, {} completed by system, {} completed by user, {} other; {} not in our inputs",
                    c.active,
                    c.dismissed,
                    c.postponed,
                    c.completed_by_system,
                    c.completed_by_user,
                    c.other_status,
                    c.not_in_our_inputs
                )
            },
        );
        f.push(("Impacted resources", impacted));
        f.push((
            "Accounts where the views differ",
            m.accounts_differing.to_string(),
        ));
    }
    f.push((
        "Our estimate",
        format!(
            "{} of {} ({} of {} counted)",
            e.estimated_points, e.max_points, e.counted, e.total
        ),
    ));
    f.push(("Our population", e.population.clone()));
    if let Some(p) = &e.projected {
        f.push(("Projected", format!("{} of {}", p.points, p.max_points)));
        f.push(("Projected: assumes", p.basis.clone()));
    }
    f
}

/// The sheet and the row of its list header (repeated on every printed page).
pub fn sheet(report: &Report) -> Result<Option<(Worksheet, u32)>, XlsxError> {
    let Some(rows) = &report.secure_score else {
        return Ok(None);
    };
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let mut ws = Worksheet::new();
    ws.set_name(NAME)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(
        0,
        0,
        "Secure Score: Microsoft's figures, our estimate, the projection",
        &title,
    )?;
    ws.write_string_with_format(2, 0, "Figure", &bold)?;
    let per_control: Vec<(&str, Vec<(&str, String)>)> = report
        .summary
        .secure_score
        .iter()
        .map(|e| (e.control, figures(e)))
        .collect();
    // The width each control's merged cells span.
    let width =
        |c: usize| WIDTHS.get(1 + 2 * c).unwrap_or(&30.0) + WIDTHS.get(2 + 2 * c).unwrap_or(&30.0);
    for (c, (control, figs)) in per_control.iter().enumerate() {
        // Controls side by side, from the second column, each over two columns.
        let col = 1 + 2 * c as u16;
        ws.write_string_with_format(2, col, *control, &bold)?;
        for (r, (label, value)) in figs.iter().enumerate() {
            let row = 3 + r as u32;
            ws.write_string_with_format(row, 0, *label, &top)?;
            ws.merge_range(row, col, row, col + 1, value, &wrap)?;
        }
    }
    let most = per_control.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    for r in 0..most {
        let lines = per_control
            .iter()
            .enumerate()
            .filter_map(|(c, (_, f))| f.get(r).map(|(_, v)| wrapped_lines(v, width(c))))
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(3 + r as u32, row_height(lines))?;
        }
    }
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(LIST_HEADER_ROW, c as u16, *h, &bold)?;
    }
    // The sheet lists at most SHEET_ROWS accounts; securescore.csv holds every one.
    let all = cells(rows);
    if all.len() > SHEET_ROWS {
        ws.write_string(
            LIST_HEADER_ROW - 1,
            0,
            format!(
                "The first {SHEET_ROWS} of {} accounts; securescore.csv holds every one.",
                all.len()
            ),
        )?;
    }
    for (i, rec) in all.iter().take(SHEET_ROWS).enumerate() {
        let r = LIST_HEADER_ROW + 1 + i as u32;
        let lines = wrapped_lines(rec[5], WIDTHS[5]);
        for (c, v) in rec.iter().enumerate() {
            let f = if c == 5 { &wrap } else { &top };
            ws.write_string_with_format(r, c as u16, *v, f)?;
        }
        if lines > 1 {
            ws.set_row_height(r, row_height(lines))?;
        }
    }
    Ok(Some((ws, LIST_HEADER_ROW)))
}
