//! XLSX reader (calamine). Picks the sheet whose headers match a known kind and says which,
//! then streams that sheet cell by cell (calamine's cell reader), so memory holds one row at a
//! time, not the sheet. Refuses workbooks whose declared decompressed size is out of proportion
//! (zip bombs) or beyond `MAX_UNCOMPRESSED`, and encrypted workbooks.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::{Format, InputError, RowFn, schema};
use crate::values::{excel_serial_to_millis, fmt_ts};

/// Refuse a workbook whose parts decompress to more than this (4 GiB: a users export of about
/// 4 million rows)...
const MAX_UNCOMPRESSED: u64 = 4 << 30;
/// ...or that inflate more than this many times while being larger than 64 MiB.
const MAX_RATIO: u64 = 200;

fn cell_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        DataRef::DateTime(dt) => excel_serial_to_millis(dt.as_f64())
            .map(fmt_ts)
            .unwrap_or_else(|| dt.as_f64().to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Checks the zip central directory before anything is decompressed.
fn check_bomb(name: &str, bytes: &[u8]) -> Result<(), InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| InputError::Unreadable {
        file: name.to_string(),
        why: format!("not a valid XLSX (zip) file: {e}"),
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    let ratio = total / (bytes.len() as u64).max(1);
    if total > MAX_UNCOMPRESSED || (ratio > MAX_RATIO && total > 64 << 20) {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: format!(
                "refused: the workbook's parts decompress to {} MiB from a {} KiB file ({}x); this looks like a zip bomb, not an export",
                total >> 20,
                bytes.len() >> 10,
                ratio
            ),
        });
    }
    Ok(())
}

type Book = Xlsx<Cursor<Vec<u8>>>;

/// A workbook sheet chosen for reading; its data rows stream in `for_each`.
pub struct XlsxSource {
    pub headers: Vec<String>,
    pub header_row: usize,
    pub format: Format,
    name: String,
    sheet: String,
    /// Column of the first header cell (cells left of it have no header).
    first_col: u32,
    book: Book,
}

/// The error for a sheet that cannot be read, naming file and sheet.
fn sheet_error(name: &str, sheet: &str, e: &XlsxError) -> InputError {
    let text = e.to_string();
    let why = if text.contains("larger than its declared") {
        format!(
            "refused: sheet '{sheet}' decompresses beyond the uncompressed size its zip header declares (a zip bomb or a corrupt file)"
        )
    } else {
        format!("sheet '{sheet}' cannot be read: {text}")
    };
    InputError::Unreadable {
        file: name.to_string(),
        why,
    }
}

/// Reads cells up to the first row holding a non-empty cell: (spreadsheet row, first column,
/// header texts), or `None` for an empty sheet.
fn header_of(book: &mut Book, sheet: &str) -> Result<Option<(usize, u32, Vec<String>)>, XlsxError> {
    let mut cells = book.worksheet_cells_reader(sheet)?;
    let dim_col = cells.dimensions().start.1;
    let mut found: Option<(u32, Vec<(u32, String)>)> = None;
    while let Some(c) = cells.next_cell()? {
        let (r, col) = c.get_position();
        match &mut found {
            Some((row, _)) if r != *row => break,
            Some((_, v)) => v.push((col, cell_text(c.get_value()))),
            None => {
                let t = cell_text(c.get_value());
                if !t.trim().is_empty() {
                    found = Some((r, vec![(col, t)]));
                }
            }
        }
    }
    Ok(found.map(|(row, v)| {
        let first = v.iter().map(|(c, _)| *c).min().unwrap_or(0).min(dim_col);
        let mut headers = Vec::new();
        for (c, t) in v {
            let i = (c - first) as usize;
            if headers.len() <= i {
                headers.resize(i + 1, String::new());
            }
            headers[i] = t;
        }
        (row as usize + 1, first, headers)
    }))
}

/// Chooses the sheet to read: the first whose headers match a known kind, else the first
/// sheet with a header row.
pub fn read(name: &str, bytes: Vec<u8>) -> Result<XlsxSource, InputError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: "this is a password-protected workbook or a legacy .xls file; save it as an unprotected .xlsx or CSV".into(),
        });
    }
    check_bomb(name, &bytes)?;
    let mut book: Book = Xlsx::new(Cursor::new(bytes)).map_err(|e| InputError::Unreadable {
        file: name.to_string(),
        why: format!("not a readable XLSX workbook: {e}"),
    })?;
    let sheets = book.sheet_names().to_vec();
    let mut best: Option<(String, usize, u32, Vec<String>, bool)> = None;
    let mut seen = Vec::new();
    for sheet in &sheets {
        let header = match header_of(&mut book, sheet) {
            Ok(h) => h,
            Err(e) if e.to_string().contains("larger than its declared") => {
                return Err(sheet_error(name, sheet, &e));
            }
            Err(e) => {
                seen.push(format!("{sheet} (unreadable: {e})"));
                continue;
            }
        };
        let Some((header_row, first_col, headers)) = header else {
            seen.push(format!("{sheet} (empty)"));
            continue;
        };
        let kind = schema::detect_kind(&headers);
        seen.push(format!(
            "{sheet} ({})",
            kind.as_ref()
                .map(|k| k.0.label())
                .unwrap_or("not recognised")
        ));
        let known = kind.is_some();
        if best.is_none() || (known && !best.as_ref().is_some_and(|b| b.4)) {
            best = Some((sheet.clone(), header_row, first_col, headers, known));
        }
    }
    let Some((sheet, header_row, first_col, headers, _)) = best else {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: format!("no sheet with a header row; sheets: {}", seen.join(", ")),
        });
    };
    Ok(XlsxSource {
        headers,
        header_row,
        format: Format::Xlsx {
            sheet: sheet.clone(),
            sheets: sheets.len(),
        },
        name: name.to_string(),
        sheet,
        first_col,
        book,
    })
}

impl XlsxSource {
    /// Streams the data rows below the header: `f(spreadsheet row, projected cells, fields)`.
    /// Rows with no text in any cell are not data and are skipped.
    pub fn for_each(mut self, proj: &[Option<usize>], f: &mut RowFn<'_>) -> Result<(), InputError> {
        let (name, sheet) = (self.name.clone(), self.sheet.clone());
        let mut cells = self
            .book
            .worksheet_cells_reader(&sheet)
            .map_err(|e| sheet_error(&name, &sheet, &e))?;
        let header_row0 = (self.header_row - 1) as u32;
        let mut row: Option<u32> = None;
        let mut values: Vec<String> = Vec::new();
        let mut emit = |row: u32, values: &mut Vec<String>| {
            while values.last().is_some_and(|v| v.is_empty()) {
                values.pop();
            }
            if values.iter().any(|c| !c.trim().is_empty()) {
                let p: Vec<Cow<'_, str>> = proj
                    .iter()
                    .map(|i| {
                        Cow::Borrowed(i.and_then(|i| values.get(i)).map_or("", |s| s.as_str()))
                    })
                    .collect();
                f(row as usize + 1, &p, values.len());
            }
            values.clear();
        };
        while let Some(c) = cells
            .next_cell()
            .map_err(|e| sheet_error(&name, &sheet, &e))?
        {
            let (r, col) = c.get_position();
            if r <= header_row0 || col < self.first_col {
                continue;
            }
            if row != Some(r) {
                if let Some(prev) = row {
                    emit(prev, &mut values);
                }
                row = Some(r);
            }
            let i = (col - self.first_col) as usize;
            if values.len() <= i {
                values.resize(i + 1, String::new());
            }
            values[i] = cell_text(c.get_value());
        }
        if let Some(prev) = row {
            emit(prev, &mut values);
        }
        Ok(())
    }
}
