//! The workbook's Coverage sheet (only when policies were given): counts per coverage value with
//! a native column chart, then one row per account with the policies that decide its coverage.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Worksheet, XlsxError};

use super::coverage_cells::{HEADER, cells};
use super::print::{row_height, wrapped_lines};
use crate::report::Report;
use crate::tenant::coverage::Coverage;

const NAME: &str = "Coverage";
/// Row of the account list's header (0-based): below the counts and the chart.
pub const LIST_HEADER_ROW: u32 = 20;
/// Column widths: account, id, coverage, then the five policy columns (wrapped).
const WIDTHS: [f64; 8] = [38.0, 37.0, 11.0, 34.0, 34.0, 34.0, 26.0, 34.0];

/// The sheet and the row of its list header (repeated on every printed page).
pub fn coverage_sheet(report: &Report) -> Result<Option<(Worksheet, u32)>, XlsxError> {
    let Some(rows) = report.coverage.as_ref() else {
        return Ok(None);
    };
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let count = Format::new().set_align(FormatAlign::Left);
    let mut ws = Worksheet::new();
    ws.set_name(NAME)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(0, 0, "Conditional Access MFA coverage", &title)?;
    ws.write_string_with_format(2, 0, "Coverage", &bold)?;
    ws.write_string_with_format(2, 1, "Accounts", &bold)?;
    let all = [
        Coverage::Enforced,
        Coverage::Partial,
        Coverage::Unknown,
        Coverage::None,
    ];
    for (i, c) in all.iter().enumerate() {
        let n = rows.iter().filter(|r| r.verdict.coverage == *c).count();
        ws.write_string(3 + i as u32, 0, c.as_str())?;
        ws.write_number_with_format(3 + i as u32, 1, n as f64, &count)?;
    }
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Accounts by coverage");
    chart
        .add_series()
        .set_name("Accounts")
        .set_categories((NAME, 3, 0, 6, 0))
        .set_values((NAME, 3, 1, 6, 1));
    chart.legend().set_hidden();
    chart.set_width(620).set_height(340);
    ws.insert_chart(1, 2, &chart)?;
    strength_block(&mut ws, report, &bold)?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(LIST_HEADER_ROW, c as u16, *h, &bold)?;
    }
    for (i, rec) in cells(rows).iter().enumerate() {
        let r = LIST_HEADER_ROW + 1 + i as u32;
        let mut lines = 1;
        for (c, v) in rec.iter().enumerate() {
            if c >= 3 {
                lines = lines.max(wrapped_lines(v, WIDTHS[c]));
                ws.write_string_with_format(r, c as u16, v, &wrap)?;
            } else {
                ws.write_string_with_format(r, c as u16, v, &top)?;
            }
        }
        if lines > 1 {
            ws.set_row_height(r, row_height(lines))?;
        }
    }
    Ok(Some((ws, LIST_HEADER_ROW)))
}

/// "Policy X would block N accounts today", under the counts: every policy requiring an
/// authentication strength (the first ten; summary.json has them all).
fn strength_block(ws: &mut Worksheet, report: &Report, bold: &Format) -> Result<(), XlsxError> {
    let Some(c) = &report.summary.coverage else {
        return Ok(());
    };
    if c.strength_unmet.is_empty() {
        return Ok(());
    }
    ws.write_string_with_format(9, 0, "Strength policy", bold)?;
    ws.write_string_with_format(9, 1, "Would block today", bold)?;
    for (i, (policy, n)) in c.strength_unmet.iter().take(10).enumerate() {
        ws.write_string(10 + i as u32, 0, policy)?;
        ws.write_number(10 + i as u32, 1, *n as f64)?;
    }
    Ok(())
}
