//! XLSX reader (calamine). Picks the sheet whose headers match a known kind and says which,
//! refuses workbooks whose declared decompressed size is out of proportion (zip bombs) and
//! encrypted workbooks. calamine loads a whole sheet into memory; it cannot stream.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{Format, InputError, RowsSource, schema};
use crate::input::values::{excel_serial_to_millis, fmt_ts};

/// Refuse a workbook whose parts decompress to more than this...
const MAX_UNCOMPRESSED: u64 = 2 << 30;
/// ...or that inflate more than this many times while being larger than 64 MiB.
const MAX_RATIO: u64 = 200;

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::DateTime(dt) => excel_serial_to_millis(dt.as_f64())
            .map(fmt_ts)
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
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

/// Reads the best-matching sheet of a workbook.
pub fn read(name: &str, bytes: Vec<u8>) -> Result<RowsSource, InputError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: "this is a password-protected workbook or a legacy .xls file; save it as an unprotected .xlsx or CSV".into(),
        });
    }
    check_bomb(name, &bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| InputError::Unreadable {
        file: name.to_string(),
        why: format!("not a readable XLSX workbook: {e}"),
    })?;
    let sheets = wb.sheet_names().to_vec();
    let mut best: Option<RowsSource> = None;
    let mut best_known = false;
    let mut seen = Vec::new();
    for sheet in &sheets {
        let range = match wb.worksheet_range(sheet) {
            Ok(r) => r,
            Err(e) => {
                let text = e.to_string();
                if text.contains("larger than its declared") {
                    return Err(InputError::Unreadable {
                        file: name.to_string(),
                        why: format!(
                            "refused: sheet '{sheet}' decompresses beyond the uncompressed size its zip header declares (a zip bomb or a corrupt file)"
                        ),
                    });
                }
                seen.push(format!("{sheet} (unreadable: {text})"));
                continue;
            }
        };
        let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let mut rows = range.rows().enumerate();
        let mut header: Option<(usize, Vec<String>)> = None;
        for (i, r) in rows.by_ref() {
            let cells: Vec<String> = r.iter().map(cell_text).collect();
            if cells.iter().any(|c| !c.trim().is_empty()) {
                header = Some((start_row + i + 1, cells));
                break;
            }
        }
        let Some((header_row, headers)) = header else {
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
        let data: Vec<(usize, Vec<String>)> = rows
            .map(|(i, r)| (start_row + i + 1, r.iter().map(cell_text).collect()))
            .collect();
        let cand = RowsSource {
            headers,
            header_row,
            rows: data,
            format: Format::Xlsx {
                sheet: sheet.clone(),
                sheets: sheets.len(),
            },
        };
        // The first sheet whose headers match a kind wins; else the first sheet with a header.
        if best.is_none() || (kind.is_some() && !best_known) {
            best_known = kind.is_some();
            best = Some(cand);
        }
    }
    match best {
        Some(b) => Ok(b),
        None => Err(InputError::Unreadable {
            file: name.to_string(),
            why: format!("no sheet with a header row; sheets: {}", seen.join(", ")),
        }),
    }
}
