//! mfa-readiness.xlsx, rendered with rust_xlsxwriter from the report only (no rule is recomputed):
//! Summary (key figures and three native charts), Findings, Accounts, Departments, Actions,
//! Input issues and Run. Text is always written as a string cell, never as a formula, and
//! lists longer than Excel's sheet limit continue on `Name (2)`, `Name (3)`... sheets. The large
//! list sheets' rows are written as worksheet XML and spliced into the package (`sheet_xml.rs`),
//! which keeps its place by measurement (docs/decisions.md, "Building blocks").

pub mod sheet_xml;

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties,
    ExcelDateTime, Format, Table, TableStyle, Workbook, Worksheet, XlsxError,
};

use crate::output::print::{Layout, Page};

use crate::error::Error;
use crate::output::tables::{ACCOUNTS_HEADER, FINDINGS_HEADER, ISSUES_HEADER, RowAt, Tables};
use crate::report::{Report, Summary};
use crate::rules::{self, Severity};

const FILE: &str = "mfa-readiness.xlsx";

/// Rows per worksheet in Excel (header included).
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// Excel's longest cell text; longer text is cut with a visible marker.
const MAX_TEXT: usize = 32_767;

/// Departments shown in the readiness chart (the worst ones; the sheet lists all).
const CHART_DEPARTMENTS: usize = 25;

pub const SUMMARY: &str = "Summary";
pub const FINDINGS: &str = "Findings";
pub const ACCOUNTS: &str = "Accounts";
pub const DEPARTMENTS: &str = "Departments";
pub const ACTIONS: &str = "Actions";
pub const ISSUES: &str = "Input issues";
pub const RUN: &str = "Run";

pub const DEPARTMENTS_HEADER: &[&str] = &[
    "department",
    "inScope",
    "registered",
    "readiness",
    "notRegisteredOrUnknown",
    "staleKmsi",
    "missingPhone",
];
pub const ACTIONS_HEADER: &[&str] = &["file", "purpose", "howToApply", "rows"];
pub const INPUTS_HEADER: &[&str] = &[
    "path",
    "kind",
    "format",
    "sha256",
    "bytes",
    "rowsRead",
    "rowsUsed",
    "rowsRejected",
    "detectedBecause",
];

/// Renders the workbook into memory (the tests' entry; `write_all` renders its own tables).
#[cfg(test)]
fn render(report: &Report) -> Result<Vec<u8>, Error> {
    render_tables(report, &Tables::new(report))
}

/// `render` from table cells already built (the CSV writer shares them).
#[cfg(test)]
pub fn render_tables(report: &Report, tables: &Tables) -> Result<Vec<u8>, Error> {
    let out = std::io::Cursor::new(Vec::new());
    Ok(render_tables_into(report, tables, out)?.into_inner())
}

/// Writes the workbook into `out` (the output file itself, so the package is never held in
/// memory as a whole) and gives `out` back.
pub fn render_tables_into<W: std::io::Write + std::io::Seek>(
    report: &Report,
    tables: &Tables,
    out: W,
) -> Result<W, Error> {
    // For the comparison in bench/README.md: `MFA_AUDIT_ROWS=reference` writes every row
    // through rust_xlsxwriter.
    let how = if std::env::var_os("MFA_AUDIT_ROWS").is_some_and(|v| v == "reference") {
        Rows::Reference
    } else {
        Rows::Spliced
    };
    build(report, tables, (EXCEL_MAX_ROWS, TABLE_MAX_ROWS), how, out).map_err(|e| Error::Output {
        path: FILE.into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// `render` with the per-sheet row limit (header included) as a parameter, so the overflow onto
/// continuation sheets can be tested with a tiny limit.
#[cfg(test)]
fn render_with_limit(report: &Report, max_rows: u32) -> Result<Vec<u8>, Error> {
    render_with_limits(report, max_rows, TABLE_MAX_ROWS)
}

/// `render_with_limit` with the size above which a list sheet gets an autofilter instead of a
/// table as a parameter too, so that path is tested on a small tenant.
#[cfg(test)]
fn render_with_limits(report: &Report, max_rows: u32, table_rows: usize) -> Result<Vec<u8>, Error> {
    render_rows(
        report,
        &Tables::new(report),
        (max_rows, table_rows),
        Rows::Spliced,
    )
}

/// `render_with_limits` with the list sheets' data rows written either way (the tests compare).
#[cfg(test)]
fn render_rows(
    report: &Report,
    tables: &Tables,
    (max_rows, table_rows): (u32, usize),
    rows: Rows,
) -> Result<Vec<u8>, Error> {
    let out = std::io::Cursor::new(Vec::new());
    build(report, tables, (max_rows.max(2), table_rows), rows, out)
        .map(std::io::Cursor::into_inner)
        .map_err(|e| Error::Output {
            path: FILE.into(),
            source: std::io::Error::other(e.to_string()),
        })
}

/// Cell formats shared by every sheet.
struct Styles {
    title: Format,
    bold: Format,
    date: Format,
    percent: Format,
    points: Format,
    wrap: Format,
    top: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            percent: Format::new().set_num_format("0.0%"),
            points: Format::new().set_num_format("0.00"),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top),
            top: Format::new().set_align(rust_xlsxwriter::FormatAlign::Top),
        }
    }
}

/// One cell of a list sheet, borrowing its text from the report (no copies of millions of cells).
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    /// A fraction (0.663) shown as a percent.
    Percent(f64),
    /// `YYYY-MM-DDTHH:MM:SSZ`, written as a real date cell (as text if it does not parse).
    Date(&'a str),
}

/// How a list sheet's column is typed.
#[derive(Clone, Copy, PartialEq)]
enum ColumnType {
    Text,
    Number,
    Date,
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (as written by `fmt_ts`) strictly, into an Excel date.
fn parse_ts(s: &str) -> Option<ExcelDateTime> {
    let ms = crate::values::parse_iso_fast(s)?;
    ExcelDateTime::from_timestamp(ms.div_euclid(1000)).ok()
}

fn cut(s: &str) -> std::borrow::Cow<'_, str> {
    // Excel counts UTF-16 units (a character beyond U+FFFF is two), and rust_xlsxwriter refuses
    // a longer cell. UTF-8 bytes bound UTF-16 units from above: most cells need no count at all.
    if s.len() <= MAX_TEXT || s.encode_utf16().count() <= MAX_TEXT {
        return s.into();
    }
    let marker = " [cut: longer than Excel allows in a cell]";
    let room = MAX_TEXT - marker.len();
    let mut units = 0;
    let end = s
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > room
        })
        .map_or(s.len(), |(i, _)| i);
    format!("{}{marker}", &s[..end]).into()
}

/// Writes user text as a string cell (never a formula); an empty text leaves the cell blank.
fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    fmt: Option<&Format>,
) -> Result<(), XlsxError> {
    if s.is_empty() {
        return Ok(());
    }
    match fmt {
        Some(f) => ws.write_string_with_format(row, col, cut(s), f)?,
        None => ws.write_string(row, col, cut(s))?,
    };
    Ok(())
}

fn date(ws: &mut Worksheet, row: u32, col: u16, s: &str, st: &Styles) -> Result<(), XlsxError> {
    match parse_ts(s) {
        Some(d) => {
            ws.write_datetime_with_format(row, col, &d, &st.date)?;
            Ok(())
        }
        None => text(ws, row, col, s, None),
    }
}

/// How a cell sits in its row: as it is, top-aligned (in a row made taller by another cell's
/// wrapped text), or wrapped.
#[derive(Clone, Copy, PartialEq)]
enum Fit {
    Plain,
    Top,
    Wrap,
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell<'_>,
    st: &Styles,
    fit: Fit,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => text(
            ws,
            row,
            col,
            s,
            match fit {
                Fit::Plain => None,
                Fit::Top => Some(&st.top),
                Fit::Wrap => Some(&st.wrap),
            },
        )?,
        Cell::Number(n) if fit == Fit::Plain => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Number(n) => {
            ws.write_number_with_format(row, col, *n, &st.top)?;
        }
        Cell::Percent(n) => {
            ws.write_number_with_format(row, col, *n, &st.percent)?;
        }
        Cell::Date(s) => date(ws, row, col, s, st)?,
    }
    Ok(())
}

/// A list sheet: a header and one row per item, as an Excel table.
struct List<'a> {
    name: &'a str,
    /// Base of the table names (letters only).
    table: &'a str,
    header: &'a [&'a str],
    /// Columns whose long text wraps instead of running on.
    wrap: &'a [&'a str],
    /// Column holding a severity, coloured by conditional formatting.
    severity: Option<&'a str>,
}

/// The list sheets, in workbook order.
const FINDINGS_LIST: List<'static> = List {
    name: FINDINGS,
    table: "Findings",
    header: FINDINGS_HEADER,
    wrap: &["detail"],
    severity: Some("severity"),
};
const ACCOUNTS_LIST: List<'static> = List {
    name: ACCOUNTS,
    table: "Accounts",
    header: ACCOUNTS_HEADER,
    wrap: &[],
    severity: None,
};
const DEPARTMENTS_LIST: List<'static> = List {
    name: DEPARTMENTS,
    table: "Departments",
    header: DEPARTMENTS_HEADER,
    wrap: &[],
    severity: None,
};
const ACTIONS_LIST: List<'static> = List {
    name: ACTIONS,
    table: "Actions",
    header: ACTIONS_HEADER,
    wrap: &["purpose", "howToApply"],
    severity: None,
};
const ISSUES_LIST: List<'static> = List {
    name: ISSUES,
    table: "InputIssues",
    header: ISSUES_HEADER,
    wrap: &["problem"],
    severity: None,
};

fn col_width(header: &str, cells: &[&Cell<'_>]) -> f64 {
    let mut w = header.chars().count();
    for c in cells {
        w = w.max(match c {
            Cell::Text(s) => s.chars().count(),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Percent(_) => 6,
            Cell::Date(_) => 19,
        });
    }
    (w + 2).clamp(8, 60) as f64
}

/// Sheets with more rows than this get an autofilter instead of an Excel table object:
/// rust_xlsxwriter's `add_table` keeps a hash-map entry per table cell (its overlap check), which
/// at 100,000 accounts took 0.9 s of the workbook's 4 s (bench/README.md).
const TABLE_MAX_ROWS: usize = 25_000;

/// How many sheets `len` rows need at `max_rows` rows per sheet (header included).
fn sheets_needed(len: usize, max_rows: u32) -> usize {
    let per_sheet = (max_rows.saturating_sub(1)).max(1) as usize;
    len.div_ceil(per_sheet).max(1)
}

/// Fresh constant-memory sheets: they stream rows to a temporary file with inline strings, so a
/// large tenant's Accounts sheet neither piles up in memory nor goes through the string table,
/// and each can be filled on its own thread.
fn new_sheets(wb: &mut Workbook, n: usize) -> Result<Vec<Worksheet>, XlsxError> {
    (0..n)
        .map(|_| wb.new_worksheet_with_constant_memory())
        .collect()
}

/// How the list sheets' data rows are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rows {
    /// By `sheet_xml` and spliced into the saved package (the last row of each sheet by
    /// rust_xlsxwriter, which keeps the sheet's dimension its own).
    Spliced,
    /// Every row through rust_xlsxwriter's cell calls: the reference the tests compare with.
    Reference,
}

/// The text lines of a row's tallest wrapped cell (1 when nothing wraps).
fn row_lines(row_cells: &[Cell<'_>], wrap: &[bool], widths: &[f64]) -> usize {
    row_cells
        .iter()
        .enumerate()
        .filter(|(c, _)| wrap.get(*c) == Some(&true))
        .map(|(c, cell)| match cell {
            Cell::Text(s) => crate::output::print::wrapped_lines(s, widths[c]),
            _ => 1,
        })
        .max()
        .unwrap_or(1)
}

fn fit_of(wraps: bool, lines: usize) -> Fit {
    if wraps {
        Fit::Wrap
    } else if lines > 1 {
        Fit::Top
    } else {
        Fit::Plain
    }
}

/// Writes one data row through rust_xlsxwriter.
fn write_row(
    ws: &mut Worksheet,
    row: u32,
    row_cells: &[Cell<'_>],
    (wrap, widths): (&[bool], &[f64]),
    st: &Styles,
) -> Result<(), XlsxError> {
    // A row with wrapped text gets the height of its longest wrapped cell.
    let lines = row_lines(row_cells, wrap, widths);
    if lines > 1 {
        ws.set_row_height(row, crate::output::print::row_height(lines))?;
    }
    for (c, cell) in row_cells.iter().enumerate().take(wrap.len()) {
        write_cell(ws, row, c as u16, cell, st, fit_of(wrap[c], lines))?;
    }
    Ok(())
}

/// The rows of a list sheet between its header and its last row, for `sheet_xml`: the same
/// cells, styles and heights `write_row` gives them.
struct ListBody<'a, T, F> {
    rows: &'a [T],
    cells: std::sync::Arc<F>,
    wrap: Vec<bool>,
    widths: Vec<f64>,
}

impl<'a, T, F> sheet_xml::Body for ListBody<'a, T, F>
where
    T: Sync,
    F: Fn(&'a T) -> Vec<Cell<'a>> + Send + Sync,
{
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn columns(&self) -> usize {
        self.wrap.len()
    }

    fn write(&self, i: usize, xml: &mut sheet_xml::RowXml) {
        use sheet_xml::Style;
        let rows: &'a [T] = self.rows;
        let row_cells = (self.cells)(&rows[i]);
        let lines = row_lines(&row_cells, &self.wrap, &self.widths);
        xml.start_row(
            i as u32 + 1,
            (lines > 1).then(|| crate::output::print::row_height(lines)),
        );
        for (c, cell) in row_cells.iter().enumerate().take(self.wrap.len()) {
            let fit = fit_of(self.wrap[c], lines);
            match cell {
                Cell::Text(s) => xml.text(
                    c,
                    &cut(s),
                    match fit {
                        Fit::Plain => Style::None,
                        Fit::Top => Style::Top,
                        Fit::Wrap => Style::Wrap,
                    },
                ),
                Cell::Number(n) if fit == Fit::Plain => xml.number(c, *n, Style::None),
                Cell::Number(n) => xml.number(c, *n, Style::Top),
                Cell::Percent(n) => xml.number(c, *n, Style::Percent),
                Cell::Date(s) => match parse_ts(s) {
                    Some(d) => xml.number(c, d.to_excel(), Style::Date),
                    None => xml.text(c, &cut(s), Style::None),
                },
            }
        }
        xml.end_row();
    }
}

/// A list sheet and, when its rows are spliced, the rows still to write.
type Filled<'a> = (Worksheet, Option<Box<dyn sheet_xml::Body + 'a>>);

/// Fills `sheets` with `rows`, at most `max_rows` rows (header included) per sheet: `Name`,
/// then `Name (2)`, `Name (3)`... so no row is ever cut.
fn list_sheets<'a, T, F>(
    sheets: Vec<Worksheet>,
    list: &List<'_>,
    rows: &'a [T],
    cells: F,
    (max_rows, table_rows, how): (u32, usize, Rows),
    st: &Styles,
) -> Result<Vec<Filled<'a>>, XlsxError>
where
    T: Sync,
    F: Fn(&'a T) -> Vec<Cell<'a>> + Send + Sync + 'a,
{
    let cells = std::sync::Arc::new(cells);
    let per_sheet = (max_rows.saturating_sub(1)).max(1) as usize;
    let chunks: Vec<&'a [T]> = if rows.is_empty() {
        vec![&rows[..0]]
    } else {
        rows.chunks(per_sheet).collect()
    };
    let ncols = list.header.len() as u16;
    let wrap: Vec<bool> = list.header.iter().map(|h| list.wrap.contains(h)).collect();
    let mut done = Vec::new();
    for ((i, chunk), mut ws) in chunks.iter().enumerate().zip(sheets) {
        let name = if i == 0 {
            list.name.to_string()
        } else {
            format!("{} ({})", list.name, i + 1)
        };
        ws.set_name(&name)?;
        for (c, h) in list.header.iter().enumerate() {
            ws.write_string(0, c as u16, *h)?;
        }
        // The table goes in before the data rows: in constant-memory mode rows are written in order.
        let last_row = chunk.len().max(1) as u32;
        let table_name = if i == 0 {
            list.table.to_string()
        } else {
            format!("{}_{}", list.table, i + 1)
        };
        if chunk.len() <= table_rows {
            let table = Table::new()
                .set_name(table_name)
                .set_style(TableStyle::Medium2);
            ws.add_table(0, 0, last_row, ncols - 1, &table)?;
        } else {
            // rust_xlsxwriter keeps one map entry per table cell (millions on a large tenant):
            // beyond this size the sheet gets a plain autofilter over the same range instead.
            ws.autofilter(0, 0, last_row, ncols - 1)?;
        }
        // Widths from the header and the first rows of the sheet.
        let sample: Vec<Vec<Cell<'_>>> = chunk.iter().take(1000).map(|r| cells(r)).collect();
        let mut widths = Vec::with_capacity(list.header.len());
        for c in 0..list.header.len() {
            let col: Vec<&Cell<'_>> = sample.iter().filter_map(|r| r.get(c)).collect();
            widths.push(col_width(list.header[c], &col));
            ws.set_column_width(c as u16, widths[c])?;
        }
        drop(sample);
        // Spliced: every row but the last is written later, by `sheet_xml`.
        let (body, written) = match (how, chunk.split_last()) {
            (Rows::Spliced, Some((_, before))) if !before.is_empty() => (
                Some(Box::new(ListBody {
                    rows: before,
                    cells: std::sync::Arc::clone(&cells),
                    wrap: wrap.clone(),
                    widths: widths.clone(),
                }) as Box<dyn sheet_xml::Body + 'a>),
                before.len(),
            ),
            _ => (None, 0),
        };
        for (r, item) in chunk.iter().enumerate().skip(written) {
            write_row(&mut ws, r as u32 + 1, &cells(item), (&wrap, &widths), st)?;
        }
        ws.set_freeze_panes(1, 0)?;
        if let Some(col) = list
            .severity
            .and_then(|name| list.header.iter().position(|h| *h == name))
        {
            let col = col as u16;
            severity_colours(&mut ws, 1, last_row, col)?;
        }
        done.push((ws, body));
    }
    Ok(done)
}

fn severity_colour(s: Severity) -> (u32, u32) {
    // (font, fill)
    match s {
        Severity::Critical => (0xFFFFFF, 0xC00000),
        Severity::High => (0x9C0006, 0xFFC7CE),
        Severity::Medium => (0x9C5700, 0xFFEB9C),
        Severity::Low => (0x006100, 0xC6EFCE),
        Severity::Info => (0x1F4E78, 0xDDEBF7),
    }
}

fn severity_colours(
    ws: &mut Worksheet,
    first_row: u32,
    last_row: u32,
    col: u16,
) -> Result<(), XlsxError> {
    for s in Severity::ALL {
        let (font, fill) = severity_colour(s);
        let mut f = Format::new()
            .set_font_color(Color::RGB(font))
            .set_background_color(Color::RGB(fill));
        if s == Severity::Critical {
            f = f.set_bold();
        }
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(s.as_str()))
            .set_format(f);
        ws.add_conditional_format(first_row, col, last_row, col, &cf)?;
    }
    Ok(())
}

fn build<'a, W: std::io::Write + std::io::Seek>(
    report: &'a Report,
    tables: &'a Tables,
    (max_rows, table_rows): (u32, usize),
    how: Rows,
    mut out: W,
) -> Result<W, XlsxError> {
    let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    let t = std::time::Instant::now();
    let st = Styles::new();
    let (mut wb, created) = new_workbook(report)?;
    // Every sheet gets the same page setup (landscape, one page wide, header row repeated,
    // tenant, as-of and page numbers); the Summary prints on one page.
    let page = Page::new(report);
    let mut summary = summary_sheet(report, &st)?;
    page.apply(&mut summary, Layout::ONE_PAGE)?;
    wb.push_worksheet(summary);
    // Sheets pushed so far: the package names the n-th `xl/worksheets/sheet{n}.xml`.
    let mut pushed = 1;
    if let (Some(p), Some(h)) = (&report.progress, &report.summary.history) {
        let mut placed = crate::output::progress_sheet::sheet(p, h)?;
        page.apply(&mut placed.sheet, Layout::titles_at(placed.list_header_row))?;
        wb.push_worksheet(placed.sheet);
        pushed += 1;
    }
    let lists = all_list_sheets(
        &mut wb,
        report,
        tables,
        (max_rows, table_rows, how),
        &st,
        &created,
    )?;
    let mut pending = Vec::new();
    for (mut ws, body) in lists {
        page.apply(&mut ws, Layout::LIST)?;
        wb.push_worksheet(ws);
        pushed += 1;
        if let Some(body) = body {
            pending.push(sheet_xml::Pending {
                number: pushed,
                body,
            });
        }
    }
    if let Some((mut ws, header_row)) = crate::output::coverage_sheet::coverage_sheet(report)? {
        page.apply(&mut ws, Layout::titles_at(header_row))?;
        wb.push_worksheet(ws);
    }
    if let Some((mut ws, header_row)) = crate::output::secure_score_sheet::sheet(report)? {
        page.apply(&mut ws, Layout::titles_at(header_row))?;
        wb.push_worksheet(ws);
    }
    let (mut ws, header_row) = crate::output::passkey_sheet::passkey_sheet(report)?;
    page.apply(&mut ws, Layout::titles_at(header_row))?;
    wb.push_worksheet(ws);
    let mut run = run_sheet(report, &st)?;
    page.apply(&mut run, Layout::LIST)?;
    wb.push_worksheet(run);
    let saved = wb.save_to_buffer()?;
    if timing {
        eprintln!(
            "timing: workbook skeleton {:.2}s",
            t.elapsed().as_secs_f64()
        );
    }
    if pending.is_empty() {
        out.write_all(&saved)?;
        return Ok(out);
    }
    let t = std::time::Instant::now();
    let r = sheet_xml::splice(&saved, pending, ZIP_LEVEL, SPLIT_ROWS, out);
    if timing {
        eprintln!(
            "timing: workbook list rows {:.2}s",
            t.elapsed().as_secs_f64()
        );
    }
    r
}

/// Deflate level of the package. Level 1: the sheets are large XML; level 6 (the default) costs
/// twice the time for ~1/3 smaller files.
const ZIP_LEVEL: i64 = 1;

/// A list sheet with this many data rows or more is deflated in two halves, one per core
/// (`sheet_xml::splice`). The unit tests split every sheet of a few rows, so the packages they
/// compare with rust_xlsxwriter's own hold both kinds of entry.
const SPLIT_ROWS: usize = if cfg!(test) { 4 } else { 20_000 };

/// A workbook with its document properties; the creation date is the as-of date, so re-runs
/// give byte-identical workbooks.
fn new_workbook(report: &Report) -> Result<(Workbook, ExcelDateTime), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL as u8);
    let created = parse_ts(&report.summary.as_of).unwrap_or(ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(
        &DocProperties::new()
            .set_title("MFA readiness")
            .set_subject(format!("MFA readiness as of {}", report.summary.as_of))
            .set_author("mfa-audit")
            .set_comment(format!(
                "{} {}",
                report.summary.tool, report.summary.version
            ))
            .set_creation_datetime(&created),
    );
    Ok((wb, created))
}

/// Value kinds of the accounts.csv columns, for typed cells.
fn account_kinds() -> Vec<ColumnType> {
    ACCOUNTS_HEADER
        .iter()
        .map(|h| match *h {
            "createdDateTime"
            | "lastInteractiveSignIn"
            | "lastNonInteractiveSignIn"
            | "lastSignIn"
            | "exclusionExpires"
            | "lastTelephonyMfa" => ColumnType::Date,
            "registrationPrompts" => ColumnType::Number,
            _ => ColumnType::Text,
        })
        .collect()
}

/// Value kinds of the input-issues.csv columns.
fn issue_kinds() -> Vec<ColumnType> {
    ISSUES_HEADER
        .iter()
        .map(|h| {
            if *h == "row" {
                ColumnType::Number
            } else {
                ColumnType::Text
            }
        })
        .collect()
}

/// Formats get their workbook-wide index at first use. Register every format the list sheets
/// use, in a fixed order, on a scratch sheet that is never added: then the workbook is
/// byte-identical from run to run, and the indices are the ones `sheet_xml::Style` writes.
fn register_styles(
    wb: &mut Workbook,
    st: &Styles,
    created: &ExcelDateTime,
) -> Result<(), XlsxError> {
    use sheet_xml::Style;
    let mut scratch = wb.new_worksheet_with_constant_memory()?;
    for (c, style) in Style::REGISTERED.into_iter().enumerate() {
        let c = c as u16;
        match style {
            Style::Date => scratch.write_datetime_with_format(0, c, created, &st.date)?,
            Style::Wrap => scratch.write_string_with_format(0, c, "-", &st.wrap)?,
            Style::Percent => scratch.write_number_with_format(0, c, 0.0, &st.percent)?,
            Style::Top => scratch.write_number_with_format(0, c, 0.0, &st.top)?,
            Style::None => scratch.write_number(0, c, 0.0)?,
        };
    }
    Ok(())
}

fn department_cells(d: &crate::report::DepartmentRow) -> Vec<Cell<'_>> {
    vec![
        Cell::Text(&d.department),
        Cell::Number(d.in_scope as f64),
        Cell::Number(d.registered as f64),
        Cell::Percent(d.percent / 100.0),
        Cell::Number(d.not_registered as f64),
        Cell::Number(d.stale_kmsi as f64),
        Cell::Number(d.missing_phone as f64),
    ]
}

/// The Actions sheet's `howToApply` for a bulk file a pseudonymised run did not write.
const WITHHELD_ACTION: &str = "Not written: this run is pseudonymised (--pseudonymize), and the file exists to be imported into the real tenant. Run the audit without --pseudonymize on the real exports to write it; `rows` says how many rows it will hold.";

fn action_cells(a: &crate::report::BulkAction) -> Vec<Cell<'_>> {
    vec![
        Cell::Text(a.file.path()),
        Cell::Text(a.file.purpose()),
        Cell::Text(if a.withheld {
            WITHHELD_ACTION
        } else {
            a.file.how()
        }),
        Cell::Number(a.rows as f64),
    ]
}

/// The list sheets in workbook order (Findings, Accounts, Departments, Actions, Input issues),
/// each split over numbered sheets beyond `max_rows`, with the rows still to splice in.
fn all_list_sheets<'a>(
    wb: &mut Workbook,
    report: &'a Report,
    tables: &'a Tables,
    limits: (u32, usize, Rows),
    st: &Styles,
    created: &ExcelDateTime,
) -> Result<Vec<Filled<'a>>, XlsxError> {
    let n = |len: usize| sheets_needed(len, limits.0);
    let sheets = ListSheets {
        findings: new_sheets(wb, n(report.findings.len()))?,
        accounts: new_sheets(wb, n(report.accounts.len()))?,
        departments: new_sheets(wb, n(report.departments.len()))?,
        actions: new_sheets(wb, n(report.actions.len()))?,
        issues: new_sheets(wb, n(report.issues.len()))?,
    };
    register_styles(wb, st, created)?;
    let ListSheets {
        findings,
        accounts,
        departments,
        actions,
        issues,
    } = sheets;
    let f = list_sheets(
        findings,
        &FINDINGS_LIST,
        tables.findings.rows(),
        |r: &RowAt| tables.findings.cells(r).map(Cell::Text).collect(),
        limits,
        st,
    )?;
    let account_kinds = account_kinds();
    let a = list_sheets(
        accounts,
        &ACCOUNTS_LIST,
        tables.accounts.rows(),
        move |r: &RowAt| typed(tables.accounts.cells(r), &account_kinds),
        limits,
        st,
    )?;
    let d = list_sheets(
        departments,
        &DEPARTMENTS_LIST,
        &report.departments,
        department_cells,
        limits,
        st,
    )?;
    let actions = list_sheets(
        actions,
        &ACTIONS_LIST,
        &report.actions,
        action_cells,
        limits,
        st,
    )?;
    let issue_kinds = issue_kinds();
    let i = list_sheets(
        issues,
        &ISSUES_LIST,
        tables.issues.rows(),
        move |r: &RowAt| typed(tables.issues.cells(r), &issue_kinds),
        limits,
        st,
    )?;
    Ok(f.into_iter()
        .chain(a)
        .chain(d)
        .chain(actions)
        .chain(i)
        .collect())
}

/// The empty sheets of each list, created in workbook order.
struct ListSheets {
    findings: Vec<Worksheet>,
    accounts: Vec<Worksheet>,
    departments: Vec<Worksheet>,
    actions: Vec<Worksheet>,
    issues: Vec<Worksheet>,
}

/// Cells of a CSV row, typed per column; text is the original (not neutralised) value.
fn typed<'a>(row: impl Iterator<Item = &'a str>, kinds: &[ColumnType]) -> Vec<Cell<'a>> {
    row.zip(kinds)
        .map(|(c, k)| match k {
            ColumnType::Date => Cell::Date(c),
            ColumnType::Number => match c.parse::<f64>() {
                Ok(n) if n.is_finite() => Cell::Number(n),
                _ => Cell::Text(c),
            },
            ColumnType::Text => Cell::Text(c),
        })
        .collect()
}

/// A key/value block: label in column A, value in column B.
struct Block<'a> {
    ws: Worksheet,
    row: u32,
    st: &'a Styles,
}

impl Block<'_> {
    fn section(&mut self, title: &str) -> Result<(), XlsxError> {
        self.row += 1;
        self.ws
            .write_string_with_format(self.row, 0, title, &self.st.bold)?;
        self.row += 1;
        Ok(())
    }
    /// A bold header row over columns A...
    fn header(&mut self, cols: &[&str]) -> Result<(), XlsxError> {
        for (c, h) in cols.iter().enumerate() {
            self.ws
                .write_string_with_format(self.row, c as u16, *h, &self.st.bold)?;
        }
        self.row += 1;
        Ok(())
    }
    fn num(&mut self, label: &str, n: f64) -> Result<u32, XlsxError> {
        self.ws.write_string(self.row, 0, label)?;
        self.ws.write_number(self.row, 1, n)?;
        self.row += 1;
        Ok(self.row - 1)
    }
    fn percent(&mut self, label: &str, fraction: f64) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, label)?;
        self.ws
            .write_number_with_format(self.row, 1, fraction, &self.st.percent)?;
        self.row += 1;
        Ok(())
    }
    fn text(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, label)?;
        text(&mut self.ws, self.row, 1, value, None)?;
        self.row += 1;
        Ok(())
    }
    /// Text that may be long: wrapped across columns B to D (the charts start at E), the row as
    /// tall as the text, the label at the top.
    fn long_text(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        const WIDTH: f64 = SUMMARY_B + 2.0 * SUMMARY_CD;
        if (value.chars().count() as f64) < SUMMARY_B {
            return self.text(label, value);
        }
        let lines = crate::output::print::wrapped_lines(value, WIDTH);
        self.ws
            .set_row_height(self.row, crate::output::print::row_height(lines))?;
        self.ws
            .write_string_with_format(self.row, 0, label, &self.st.top)?;
        self.ws
            .merge_range(self.row, 1, self.row, 3, &cut(value), &self.st.wrap)?;
        self.row += 1;
        Ok(())
    }
    fn date(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        self.ws.write_string(self.row, 0, label)?;
        date(&mut self.ws, self.row, 1, value, self.st)?;
        self.row += 1;
        Ok(())
    }
}

/// Widths of the Summary's value columns B, and C and D.
const SUMMARY_B: f64 = 22.0;
const SUMMARY_CD: f64 = 12.0;
/// Width of the Summary's Secure Score population and note columns (F, G).
const SUMMARY_NOTES: f64 = 60.0;

fn summary_sheet(report: &Report, st: &Styles) -> Result<Worksheet, XlsxError> {
    let s = &report.summary;
    let mut ws = Worksheet::new();
    ws.set_name(SUMMARY)?;
    ws.write_string_with_format(0, 0, "MFA readiness", &st.title)?;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, SUMMARY_B)?;
    ws.set_column_width(2, SUMMARY_CD)?;
    ws.set_column_width(3, SUMMARY_CD)?;
    ws.set_column_width(4, 12)?;
    ws.set_column_width(5, SUMMARY_NOTES)?;
    ws.set_column_width(6, SUMMARY_NOTES)?;
    let mut b = Block { ws, row: 1, st };

    let reg_rows = population_block(&mut b, s)?;
    thresholds_block(&mut b, s)?;
    let severity = findings_block(&mut b, s)?;
    not_evaluated_block(&mut b, s)?;
    // Charts beside the figures (column E), the Secure Score table below both.
    let chart_end = summary_charts(&mut b.ws, report, reg_rows, &severity)?;
    b.row = b.row.max(chart_end);
    secure_score_block(&mut b, s)?;
    Ok(b.ws)
}

/// Population and registration readiness; returns the rows of the registration counts (first,
/// last) for the pie chart.
fn population_block(b: &mut Block<'_>, s: &Summary) -> Result<(u32, u32), XlsxError> {
    let p = &s.population;
    b.section("Tenant population")?;
    b.num("Accounts", p.total as f64)?;
    b.num("In scope", p.in_scope as f64)?;
    b.num("Members", p.members as f64)?;
    b.num("Guests", p.guests as f64)?;
    b.num("Disabled", p.disabled as f64)?;
    b.num("Excluded", p.excluded as f64)?;
    b.num(
        "Blank accountEnabled (treated as enabled)",
        p.enabled_blank as f64,
    )?;
    b.num("Admins in scope", p.admins_in_scope as f64)?;

    let g = &s.registration;
    b.section("Registration readiness (in-scope accounts)")?;
    let reg_first = b.num("Registered", g.registered as f64)?;
    b.num("Not registered", g.not_registered as f64)?;
    let reg_last = b.num("Registration unknown", g.unknown as f64)?;
    b.percent("Registration readiness", g.percent / 100.0)?;

    Ok((reg_first, reg_last))
}

/// As-of date, thresholds and where the sign-in evidence came from.
fn thresholds_block(b: &mut Block<'_>, s: &Summary) -> Result<(), XlsxError> {
    let params = &s.parameters;
    let t = &s.thresholds;
    b.section("As of and thresholds")?;
    b.date("As of", &s.as_of)?;
    b.long_text("As of chosen by", &s.as_of_source)?;
    match &params.campaign_start {
        Some(c) => b.date("Campaign start", c)?,
        None => {
            b.num("Stale after (days)", params.stale_after_days as f64)?;
        }
    }
    b.date(
        "Interactive sign-ins count since",
        &t.interactive_counts_since,
    )?;
    b.num("Active within (days)", params.active_within_days as f64)?;
    b.date("Active since", &t.active_since)?;
    b.num("Dormant after (days)", params.dormant_after_days as f64)?;
    b.date("Dormant since", &t.dormant_since)?;
    b.long_text("Sign-in evidence", &s.sign_in_evidence)?;
    b.num("Input issues", s.input_issues as f64)?;

    Ok(())
}

/// The severities shown and the rows of the by-severity table, for its chart.
struct SeverityRows {
    shown: Vec<Severity>,
    first: u32,
    last: u32,
}

/// Findings per rule and per severity.
fn findings_block(b: &mut Block<'_>, s: &Summary) -> Result<SeverityRows, XlsxError> {
    b.section("Findings")?;
    b.header(&["Finding", "Accounts", "Severity"])?;
    let find_first = b.row;
    for rule in rules::all() {
        let code = rule.code();
        b.ws.write_string(b.row, 0, code.as_str())?;
        match s.findings.get(code.as_str()) {
            Some(n) => b.ws.write_number(b.row, 1, *n as f64)?,
            None => b.ws.write_string(b.row, 1, "not evaluated")?,
        };
        b.ws.write_string(b.row, 2, rule.severity().as_str())?;
        b.row += 1;
    }
    severity_colours(&mut b.ws, find_first, b.row - 1, 2)?;

    // Every severity a rule can have, plus any the summary holds.
    let mut sevs: Vec<Severity> = rules::all().iter().map(|r| r.severity()).collect();
    sevs.sort();
    sevs.dedup();
    b.section("Findings by severity")?;
    b.header(&["Severity", "Findings"])?;
    let sev_first = b.row;
    for sev in Severity::ALL {
        let n = s.findings_by_severity.get(sev.as_str()).copied();
        if sevs.contains(&sev) || n.is_some() {
            b.num(sev.as_str(), n.unwrap_or(0) as f64)?;
        }
    }
    let sev_last = b.row - 1;
    severity_colours(&mut b.ws, sev_first, sev_last, 0)?;

    Ok(SeverityRows {
        shown: sevs,
        first: sev_first,
        last: sev_last,
    })
}

/// The checks that were not evaluated, and why.
fn not_evaluated_block(b: &mut Block<'_>, s: &Summary) -> Result<(), XlsxError> {
    b.section("Checks not evaluated")?;
    b.header(&["Check", "Why"])?;
    if s.not_evaluated.is_empty() {
        b.text("(none)", "every check was evaluated")?;
    }
    for n in &s.not_evaluated {
        b.long_text(n.code.as_str(), &n.reason)?;
    }

    Ok(())
}

/// The registration pie, the severity columns and the department bars in column E; returns the
/// first row below them.
fn summary_charts(
    ws: &mut Worksheet,
    report: &Report,
    (reg_first, reg_last): (u32, u32),
    sev: &SeverityRows,
) -> Result<u32, XlsxError> {
    let s = &report.summary;
    let mut chart_row = 2;
    let mut pie = Chart::new(ChartType::Pie);
    pie.title()
        .set_name("Registration status of in-scope accounts");
    pie.add_series()
        .set_name("Accounts")
        .set_categories((SUMMARY, reg_first, 0, reg_last, 0))
        .set_values((SUMMARY, reg_first, 1, reg_last, 1))
        .set_point_colors(&[
            Color::RGB(0x70AD47),
            Color::RGB(0xC00000),
            Color::RGB(0xA5A5A5),
        ]);
    ws.insert_chart(chart_row, 4, &pie)?;
    chart_row += 16;

    if sev.last >= sev.first {
        let mut col = Chart::new(ChartType::Column);
        col.title().set_name("Findings by severity");
        let colours: Vec<Color> = Severity::ALL
            .iter()
            .filter(|x| sev.shown.contains(x) || s.findings_by_severity.contains_key(x.as_str()))
            .map(|x| Color::RGB(severity_colour(*x).1))
            .collect();
        col.add_series()
            .set_name("Findings")
            .set_categories((SUMMARY, sev.first, 0, sev.last, 0))
            .set_values((SUMMARY, sev.first, 1, sev.last, 1))
            .set_point_colors(&colours);
        col.legend().set_hidden();
        ws.insert_chart(chart_row, 4, &col)?;
        chart_row += 16;
    }

    let shown = report.departments.len().min(CHART_DEPARTMENTS);
    if shown > 0 {
        let mut bar = Chart::new(ChartType::Bar);
        let title = if shown < report.departments.len() {
            format!(
                "Readiness by department (worst {shown} of {})",
                report.departments.len()
            )
        } else {
            "Readiness by department".to_string()
        };
        bar.title().set_name(&title);
        bar.add_series()
            .set_name("Registered")
            .set_categories((DEPARTMENTS, 1, 0, shown as u32, 0))
            .set_values((DEPARTMENTS, 1, 3, shown as u32, 3));
        bar.legend().set_hidden();
        bar.x_axis().set_min(0).set_max(1).set_num_format("0%");
        // Worst first, at the top.
        bar.y_axis().set_reverse();
        let height = (120 + 18 * shown as u32).max(288);
        bar.set_height(height);
        ws.insert_chart(chart_row, 4, &bar)?;
        chart_row += height.div_ceil(20) + 1;
    }

    Ok(chart_row)
}

/// Secure Score estimates, one row per control, notes wrapped.
fn secure_score_block(b: &mut Block<'_>, s: &Summary) -> Result<(), XlsxError> {
    let st = b.st;
    b.section("Secure Score estimates (from exported data; estimates, not Microsoft's figures)")?;
    b.header(&[
        "Control",
        "Estimated points",
        "Max points",
        "Counted",
        "Of",
        "Population",
        "Note",
    ])?;
    for e in &s.secure_score {
        let r = b.row;
        let lines = crate::output::print::wrapped_lines(&e.population, SUMMARY_NOTES)
            .max(crate::output::print::wrapped_lines(&e.note, SUMMARY_NOTES));
        if lines > 1 {
            b.ws.set_row_height(r, crate::output::print::row_height(lines))?;
        }
        b.ws.write_string(r, 0, e.control)?;
        b.ws.write_number_with_format(r, 1, e.estimated_points, &st.points)?;
        b.ws.write_number(r, 2, e.max_points)?;
        b.ws.write_number(r, 3, e.counted as f64)?;
        b.ws.write_number(r, 4, e.total as f64)?;
        text(&mut b.ws, r, 5, &e.population, Some(&st.wrap))?;
        text(&mut b.ws, r, 6, &e.note, Some(&st.wrap))?;
        b.row += 1;
    }
    Ok(())
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("(not given)")
}

fn run_sheet(report: &Report, st: &Styles) -> Result<Worksheet, XlsxError> {
    let s = &report.summary;
    let p = &s.parameters;
    let mut ws = Worksheet::new();
    ws.set_name(RUN)?;
    ws.write_string_with_format(0, 0, "Run", &st.title)?;
    let mut b = Block { ws, row: 1, st };
    b.text("Tool", s.tool)?;
    b.text("Version", s.version)?;
    b.date("As of", &s.as_of)?;
    b.text("As of chosen by", &s.as_of_source)?;

    b.section("Parameters")?;
    b.date("--as-of", &p.as_of)?;
    b.num("--stale-after (days)", p.stale_after_days as f64)?;
    match &p.campaign_start {
        Some(c) => b.date("--campaign-start", c)?,
        None => b.text("--campaign-start", "(not given)")?,
    }
    b.num("--active-within (days)", p.active_within_days as f64)?;
    b.num("--dormant-after (days)", p.dormant_after_days as f64)?;
    b.text("--default-region", opt(&p.default_region))?;
    b.text("--date-order", opt(&p.date_order))?;
    b.text(
        "--include-guests",
        if p.include_guests { "yes" } else { "no" },
    )?;
    b.text("--per-user-target", &p.per_user_target)?;
    b.text("--group-template", &p.group_template)?;
    match p.max_rows {
        Some(n) => {
            b.num("--max-rows", n as f64)?;
        }
        None => b.text("--max-rows", "(not given)")?,
    }
    if let Some(ps) = &p.pseudonymized {
        b.text(
            "--pseudonymize",
            &format!(
                "yes: identifiers are {} pseudonyms (key fingerprint {}); bulk files withheld",
                ps.method, ps.key_fingerprint
            ),
        )?;
    }

    let t = &s.thresholds;
    b.section("Thresholds")?;
    b.date(
        "Interactive sign-ins count since",
        &t.interactive_counts_since,
    )?;
    b.date("Active since", &t.active_since)?;
    b.date("Dormant since", &t.dormant_since)?;
    b.text("Sign-in evidence", &s.sign_in_evidence)?;

    b.section("Inputs")?;
    b.header(INPUTS_HEADER)?;
    for i in &report.inputs {
        let r = b.row;
        text(&mut b.ws, r, 0, &i.path, None)?;
        text(&mut b.ws, r, 1, i.kind.label(), None)?;
        text(&mut b.ws, r, 2, &i.format, None)?;
        text(&mut b.ws, r, 3, &i.sha256, None)?;
        b.ws.write_number(r, 4, i.bytes as f64)?;
        b.ws.write_number(r, 5, i.rows.read as f64)?;
        b.ws.write_number(r, 6, i.rows.used as f64)?;
        b.ws.write_number(r, 7, i.rows.rejected as f64)?;
        text(&mut b.ws, r, 8, &i.kind_reason, None)?;
        b.row += 1;
    }
    let mut ws = b.ws;
    for (c, w) in [34.0, 24.0, 30.0, 66.0, 12.0, 10.0, 10.0, 12.0, 60.0]
        .into_iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, w)?;
    }
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::input::detect::Given;

    fn contoso() -> Report {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contoso");
        let given = vec![Given {
            path: dir,
            kind: None,
            sign_in_type: None,
        }];
        crate::audit(&crate::AuditOptions::new(given, std::env::temp_dir()))
            .expect("contoso audits")
    }

    fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("workbook opens");
        let names = x.sheet_names().to_vec();
        names
            .into_iter()
            .map(|n| {
                let r = x.worksheet_range(&n).expect("sheet reads");
                (n, r.rows().map(|r| r.to_vec()).collect())
            })
            .collect()
    }

    #[test]
    fn parses_only_iso_utc_timestamps() {
        assert!(parse_ts("2026-11-21T09:30:00Z").is_some());
        for bad in [
            "",
            "2026-11-21",
            "2026-11-21 09:30:00",
            "2026-13-01T00:00:00Z",
            "2026-1a-01T00:00:00Z",
        ] {
            assert!(parse_ts(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn sheets_beyond_the_table_size_get_an_autofilter_instead() {
        let report = contoso();
        let bytes = render_with_limits(&report, EXCEL_MAX_ROWS, 10).expect("renders");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .collect();
        let tables = names
            .iter()
            .filter(|n| n.starts_with("xl/tables/table"))
            .count();
        // Findings and Accounts (and Input issues) are over 10 rows; Departments and Actions are not.
        assert!(report.accounts.len() > 10 && report.findings.len() > 10);
        assert!(report.departments.len() <= 10 && report.actions.len() <= 10);
        let small_lists = 2 + usize::from(report.issues.len() <= 10);
        assert_eq!(tables, small_lists, "{names:?}");
        let mut sheet = String::new();
        // Sheet order: Summary, Findings, Accounts...
        std::io::Read::read_to_string(
            &mut zip
                .by_name("xl/worksheets/sheet3.xml")
                .expect("accounts sheet"),
            &mut sheet,
        )
        .expect("utf-8");
        assert!(sheet.contains("<autoFilter"), "Accounts has an autofilter");
        assert!(!sheet.contains("<tableParts"), "and no table");
        // With the default size every list is a table.
        let bytes = render(&report).expect("renders");
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let tables = zip
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n.starts_with("xl/tables/table"))
            .count();
        assert_eq!(tables, 5);
    }

    #[test]
    fn rows_beyond_the_sheet_limit_continue_on_numbered_sheets() {
        let report = contoso();
        let limit = 40u32;
        let got = sheets(render_with_limit(&report, limit).expect("renders"));
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        for (base, header, total) in [
            (ACCOUNTS, ACCOUNTS_HEADER, report.accounts.len()),
            (FINDINGS, FINDINGS_HEADER, report.findings.len()),
        ] {
            let expected_sheets = total.div_ceil(limit as usize - 1);
            assert!(
                expected_sheets >= 3,
                "the fixture should need several {base} sheets"
            );
            let mut seen = 0;
            for k in 0..expected_sheets {
                let name = if k == 0 {
                    base.to_string()
                } else {
                    format!("{base} ({})", k + 1)
                };
                let (_, rows) = got
                    .iter()
                    .find(|(n, _)| *n == name)
                    .unwrap_or_else(|| panic!("{name} missing: {names:?}"));
                assert!(
                    rows.len() <= limit as usize,
                    "{name} has {} rows",
                    rows.len()
                );
                let head: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
                assert_eq!(head, header, "{name} header");
                seen += rows.len() - 1;
            }
            assert_eq!(seen, total, "every {base} row is written once");
            let extra = format!("{base} ({})", expected_sheets + 1);
            assert!(!names.contains(&extra.as_str()));
        }
        // The continuation sheets sit right after their first sheet.
        let a = names.iter().position(|n| *n == ACCOUNTS).unwrap();
        assert_eq!(names[a + 1], "Accounts (2)");
        assert_eq!(*names.last().unwrap(), RUN);
    }

    /// Every file of a package, uncompressed, in package order.
    fn files(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).expect("an entry");
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).expect("inflates");
                (f.name().expect("a name").to_string(), data)
            })
            .collect()
    }

    /// The spliced package and rust_xlsxwriter's own, entry by entry; `Err` names the first
    /// entry and byte where they differ.
    fn same_packages(report: &Report, tables: &Tables, limits: (u32, usize)) -> Result<(), String> {
        let spliced =
            render_rows(report, tables, limits, Rows::Spliced).map_err(|e| e.to_string())?;
        let reference =
            render_rows(report, tables, limits, Rows::Reference).map_err(|e| e.to_string())?;
        let (s, r) = (files(&spliced), files(&reference));
        let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        if names(&s) != names(&r) {
            return Err(format!(
                "{limits:?}: entries differ: {:?} vs {:?}",
                names(&s),
                names(&r)
            ));
        }
        for ((name, a), (_, b)) in s.iter().zip(&r) {
            if a != b {
                let at = a
                    .iter()
                    .zip(b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                let around = |v: &[u8]| {
                    String::from_utf8_lossy(&v[at.saturating_sub(120)..(at + 120).min(v.len())])
                        .to_string()
                };
                return Err(format!(
                    "{limits:?} {name} differs at byte {at}:\nspliced   {}\nreference {}",
                    around(a),
                    around(b)
                ));
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// Generated sheets: arbitrary text (control characters, escapes, astral characters,
        /// formula starts, numbers in text columns) in arbitrary cells of the Accounts and
        /// Findings lists; the spliced package equals rust_xlsxwriter's, at the sheet size
        /// limits and at small ones that split lists over several sheets.
        #[test]
        fn spliced_packages_equal_the_reference_on_generated_sheets(
            cells in proptest::collection::vec(
                (0usize..60, 0usize..40, "(?s).{0,40}|[=+@-][0-9a-z ]{0,8}|[0-9.]{1,12}|_x[0-9A-F]{4}_"),
                1..24,
            ),
            small in proptest::bool::ANY,
        ) {
            let report = contoso();
            let mut tables = Tables::new(&report);
            let (na, nf) = (tables.accounts.len().max(1), tables.findings.len().max(1));
            for (row, col, text) in &cells {
                tables.accounts = tables.accounts.with_cell(*row % na, *col % ACCOUNTS_HEADER.len(), text);
                tables.findings = tables.findings.with_cell(*row % nf, *col % FINDINGS_HEADER.len(), text);
            }
            let limits = if small { (7, 3) } else { (EXCEL_MAX_ROWS, TABLE_MAX_ROWS) };
            proptest::prop_assert!(same_packages(&report, &tables, limits).is_ok(), "{:?}", same_packages(&report, &tables, limits));
        }
    }

    #[test]
    fn spliced_rows_are_the_bytes_rust_xlsxwriter_writes() {
        let report = contoso();
        let mut tables = Tables::new(&report);
        // Text the XML writer must escape, keep or cut as rust_xlsxwriter does.
        let hostile = [
            " leading space",
            "trailing tab\t",
            "a&b <c> \"d\" 'e'",
            "bell\u{7} cr\r nul\u{0} end",
            "_x0041_ literal escape, _x12_ not one, _xABCD_",
            "non-characters \u{FFFE}\u{FFFF}, a BOM \u{FEFF}, emoji \u{1F600}",
            "=1+2",
            "line one\nline two\nline three",
            "\nstarts and ends with a line feed\n",
        ];
        for (i, h) in hostile.iter().enumerate() {
            tables.accounts = tables.accounts.with_cell(i, 2, h);
            // A date column holding text.
            tables.accounts = tables.accounts.with_cell(i + 1, 8, h);
            let wrapped = format!("{h} {}", "wrapped words ".repeat(i * 4));
            tables.findings = tables.findings.with_cell(i, 5, &wrapped);
        }
        // Longer than Excel allows in a cell, in characters and in UTF-16 units.
        tables.accounts = tables.accounts.with_cell(10, 2, &"x".repeat(MAX_TEXT + 5));
        let emoji = "\u{1F600}".repeat(MAX_TEXT / 2 + 3);
        tables.accounts = tables.accounts.with_cell(11, 2, &emoji);
        tables.accounts = tables.accounts.with_cell(12, 23, "not a number");
        assert!(tables.accounts.len() > 20 && tables.findings.len() > 20);
        for limits in [(EXCEL_MAX_ROWS, TABLE_MAX_ROWS), (40, 10), (3, 1), (2, 0)] {
            if let Err(e) = same_packages(&report, &tables, limits) {
                panic!("{e}");
            }
        }
        // The spliced package is not the reference by another route: its large sheets were
        // written by sheet_xml (rust_xlsxwriter streams with data descriptors, sheet_xml's
        // entries have none), and the hostile text is there.
        let spliced = render_rows(
            &report,
            &tables,
            (EXCEL_MAX_ROWS, TABLE_MAX_ROWS),
            Rows::Spliced,
        )
        .expect("renders");
        let reference = render_rows(
            &report,
            &tables,
            (EXCEL_MAX_ROWS, TABLE_MAX_ROWS),
            Rows::Reference,
        )
        .expect("renders");
        assert_ne!(spliced, reference);
        let accounts = files(&spliced)
            .into_iter()
            .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
            .expect("Accounts")
            .1;
        let accounts = String::from_utf8(accounts).expect("utf-8");
        assert!(accounts.contains("bell_x0007_ cr_x000D_ nul_x0000_ end"));
        assert!(accounts.contains("[cut: longer than Excel allows in a cell]"));
    }

    #[test]
    fn every_list_names_only_columns_of_its_header() {
        let lists = [
            FINDINGS_LIST,
            ACCOUNTS_LIST,
            DEPARTMENTS_LIST,
            ACTIONS_LIST,
            ISSUES_LIST,
        ];
        for l in lists {
            for c in l.wrap.iter().chain(l.severity.iter()) {
                assert!(l.header.contains(c), "{}: {c} is not a column", l.name);
            }
        }
        assert_eq!(FINDINGS_LIST.severity, Some("severity"));
    }
}
