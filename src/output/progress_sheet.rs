//! The workbook's Progress sheet (only with `--baseline`): the change counts since the baseline
//! run, the campaign history (readiness, not-registered and stale-kmsi counts per run) with two
//! line charts over it, and the change list of progress.csv as a table.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartMarker, ChartMarkerType, ChartSolidFill, ChartType, Color,
    ExcelDateTime, Format, Table, TableStyle, Worksheet, XlsxError,
};

use super::progress::{PROGRESS_HEADER, cells};
use crate::report::{ChangeKind, HistoryPoint, Progress};
use crate::rules::Code;

pub const PROGRESS: &str = "Progress";

/// Finding counts charted over the history, with their line colours.
const CHARTED: [(Code, u32); 2] = [(Code::NotRegistered, 0xC00000), (Code::StaleKmsi, 0xED7D31)];

pub const HISTORY_HEADER: [&str; 6] = [
    "As of",
    "Readiness",
    "Registered",
    "In scope",
    CHARTED[0].0.as_str(),
    CHARTED[1].0.as_str(),
];

/// Where the sheet's parts are, for the page setup and the tests.
pub struct Placed {
    pub sheet: Worksheet,
    /// Row of the change list's header (repeated on every printed page).
    pub list_header_row: u32,
}

fn date_of(iso: &str) -> Option<ExcelDateTime> {
    let ms = crate::values::parse_iso_fast(iso)?;
    ExcelDateTime::from_timestamp(ms.div_euclid(1000)).ok()
}

/// Builds the Progress sheet.
pub fn sheet(p: &Progress, history: &[HistoryPoint]) -> Result<Placed, XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let day = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(rust_xlsxwriter::FormatAlign::Left);
    let mut ws = Worksheet::new();
    ws.set_name(PROGRESS)?;
    for (c, w) in [40.0, 38.0, 16.0, 30.0, 14.0, 12.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.write_string_with_format(0, 0, "Campaign progress", &title)?;
    ws.write_string(1, 0, "Baseline run (as of)")?;
    match date_of(&p.baseline_as_of) {
        Some(d) => ws.write_datetime_with_format(1, 1, &d, &day)?,
        None => ws.write_string(1, 1, &p.baseline_as_of)?,
    };
    ws.write_string(2, 0, "Baseline folder")?;
    ws.write_string(2, 1, &p.baseline)?;
    let row = change_counts(&mut ws, p, 4)?;
    let (first, last, row) = history_table(&mut ws, history, row + 1, &day)?;
    let row = history_charts(&mut ws, row + 1, first, last)?;
    let header_row = change_list(&mut ws, p, row)?;
    Ok(Placed {
        sheet: ws,
        list_header_row: header_row,
    })
}

/// Rows per change kind from `row`; returns the next free row.
fn change_counts(ws: &mut Worksheet, p: &Progress, mut row: u32) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(row, 0, "Changes since the baseline", &bold)?;
    row += 1;
    ws.write_string_with_format(row, 0, "Change", &bold)?;
    ws.write_string_with_format(row, 1, "Rows", &bold)?;
    row += 1;
    for (kind, n) in p.counts() {
        ws.write_string(row, 0, kind.as_str())?;
        ws.write_number(row, 1, n as f64)?;
        if !p.registration_compared
            && matches!(kind, ChangeKind::Registered | ChangeKind::Regressed)
        {
            ws.write_string(
                row,
                2,
                "not compared: the baseline's accounts.csv has no isMfaRegistered column",
            )?;
        }
        row += 1;
    }

    Ok(row)
}

/// One row per run from `row`; returns the first and last data rows and the next free row.
fn history_table(
    ws: &mut Worksheet,
    history: &[HistoryPoint],
    mut row: u32,
    day: &Format,
) -> Result<(u32, u32, u32), XlsxError> {
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    ws.write_string_with_format(row, 0, "Campaign history (one row per run)", &bold)?;
    row += 1;
    for (c, h) in HISTORY_HEADER.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    row += 1;
    let first = row;
    for h in history {
        match date_of(&h.as_of) {
            Some(d) => ws.write_datetime_with_format(row, 0, &d, day)?,
            None => ws.write_string(row, 0, &h.as_of)?,
        };
        ws.write_number_with_format(row, 1, h.registration.percent / 100.0, &percent)?;
        ws.write_number(row, 2, h.registration.registered as f64)?;
        ws.write_number(row, 3, h.registration.in_scope as f64)?;
        for (c, (code, _)) in CHARTED.iter().enumerate() {
            // A count is blank where that run did not evaluate the check.
            if let Some(n) = h.findings.get(code.as_str()) {
                ws.write_number(row, 4 + c as u16, *n as f64)?;
            }
        }
        row += 1;
    }
    let last = row.saturating_sub(1).max(first);

    Ok((first, last, row))
}

/// Two line charts side by side at `row` over the history rows; returns the row below them.
fn history_charts(ws: &mut Worksheet, row: u32, first: u32, last: u32) -> Result<u32, XlsxError> {
    // A line and its circle markers in one colour.
    let line = |rgb: u32| {
        ChartFormat::new()
            .set_line(ChartLine::new().set_color(Color::RGB(rgb)).set_width(2.25))
            .clone()
    };
    let marker = |rgb: u32| {
        ChartMarker::new()
            .set_type(ChartMarkerType::Circle)
            .set_size(7)
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(rgb)))
                    .set_line(ChartLine::new().set_color(Color::RGB(rgb))),
            )
            .clone()
    };
    let mut readiness = Chart::new(ChartType::Line);
    readiness.title().set_name("Registration readiness per run");
    readiness
        .add_series()
        .set_name("Readiness")
        .set_categories((PROGRESS, first, 0, last, 0))
        .set_values((PROGRESS, first, 1, last, 1))
        .set_marker(&marker(0x70AD47))
        .set_format(&mut line(0x70AD47));
    readiness
        .y_axis()
        .set_min(0)
        .set_max(1)
        .set_num_format("0%");
    readiness.x_axis().set_num_format("yyyy-mm-dd");
    readiness.legend().set_hidden();
    readiness.set_width(560).set_height(300);
    ws.insert_chart(row, 0, &readiness)?;

    let mut counts = Chart::new(ChartType::Line);
    counts.title().set_name("Accounts still to fix per run");
    for (c, (_, colour)) in CHARTED.iter().enumerate() {
        let col = 4 + c as u16;
        counts
            .add_series()
            .set_name((PROGRESS, first - 1, col))
            .set_categories((PROGRESS, first, 0, last, 0))
            .set_values((PROGRESS, first, col, last, col))
            .set_marker(&marker(*colour))
            .set_format(&mut line(*colour));
    }
    counts.y_axis().set_min(0);
    counts.x_axis().set_num_format("yyyy-mm-dd");
    counts.set_width(560).set_height(300);
    ws.insert_chart_with_offset(row, 2, &counts, 40, 0)?;
    // 300 px at the default 20 px per row, plus a gap.
    Ok(row + 16)
}

/// The change list as a table from `row`; returns its header row (repeated when printed).
fn change_list(ws: &mut Worksheet, p: &Progress, mut row: u32) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(row, 0, "Changes (as in progress.csv)", &bold)?;
    row += 1;
    let header_row = row;
    for (c, h) in PROGRESS_HEADER.iter().enumerate() {
        ws.write_string(row, c as u16, *h)?;
    }
    let list = cells(p);
    let last_row = header_row + list.len().max(1) as u32;
    let table = Table::new()
        .set_name("Progress")
        .set_style(TableStyle::Medium2);
    ws.add_table(
        header_row,
        0,
        last_row,
        PROGRESS_HEADER.len() as u16 - 1,
        &table,
    )?;
    for (r, cells) in list.iter().enumerate() {
        for (c, s) in cells.iter().enumerate() {
            if !s.is_empty() {
                ws.write_string(header_row + 1 + r as u32, c as u16, s)?;
            }
        }
    }
    Ok(header_row)
}
