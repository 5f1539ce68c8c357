//! The columnar sign-in ingest: a plain UTF-8, comma-separated sign-in CSV on disk is parsed by
//! polars' own multi-threaded CSV reader, which reads only the columns the audit uses. Its batches
//! come back in file order with their record numbers and go through the same per-row logic as the
//! row reader (`signins.rs`), so both paths decide every row alike; only the parsing moves. At the
//! same time another thread reads the file once more (from the page cache) for its SHA-256 and the
//! quote-parity check that tells a file cut off inside quotes.
//!
//! Anything else (UTF-16, Windows-1252, `#TYPE` lines, semicolons or tabs, zip entries, JSON) keeps
//! the row reader, and so does a file polars refuses or one that ends inside quotes: the row reader
//! then reads it again from the start and reports what is wrong with file and row. See
//! docs/inputs.md, "Sign-in logs", and bench/README.md for what this path is measured at.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use sha2::{Digest, Sha256};

use super::Format;
use super::csv::CsvSource;

/// Which sign-in ingest reads eligible CSV files. The row reader is the default: measured on
/// 2 cores (bench/README.md), polars 0.55 built with stable Rust and no CPU-specific flags parses
/// these files more slowly than the row reader's own parser thread does. `MFA_AUDIT_INGEST=columns`
/// takes the columnar path for every eligible file (the tests compare both paths on every run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingest {
    Rows,
    Columns,
}

impl Ingest {
    pub fn from_env() -> Ingest {
        match std::env::var("MFA_AUDIT_INGEST").as_deref() {
            Ok("columns") => Ingest::Columns,
            _ => Ingest::Rows,
        }
    }
}

/// The file's path when the columnar path can read it: on disk (not inside a zip), UTF-8 with or
/// without BOM, comma-separated, no `#TYPE` line, and `mode` asks for it.
pub fn eligible(src: &CsvSource, mode: Ingest) -> Option<PathBuf> {
    let path = src.disk_path.clone()?;
    let plain = matches!(
        &src.format,
        Format::Csv { encoding, delimiter, type_line: false }
            if (encoding == "UTF-8" || encoding == "UTF-8 with BOM") && delimiter == ","
    );
    (plain && mode == Ingest::Columns).then_some(path)
}

/// The SHA-256 of a file and whether it holds an odd number of `"` (it ends inside quotes).
pub fn hash_and_parity(path: &Path) -> std::io::Result<(String, bool)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut odd = false;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        h.update(chunk);
        odd ^= super::csv::odd_quotes(chunk);
    }
    Ok((
        h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        odd,
    ))
}

/// Why the columnar path gave a file back to the row reader.
#[derive(Debug)]
pub struct GiveBack(pub String);

const ROW: &str = "__mfa_audit_row";

/// Parses `path` with polars and calls `f(row, cells, fields)` for every record, as the row reader
/// would: `row` is the spreadsheet row (the header is row `header_row`), `cells` the projected
/// cells in the order of `proj` (header indices; `None` = column absent). A record whose projected
/// cells are all empty is passed on too (the caller decides what a blank row is). `fields` is the
/// header width (polars pads short records and cuts long ones).
pub fn for_each(
    path: &Path,
    width: usize,
    header_row: usize,
    proj: &[Option<usize>],
    f: &mut super::RowFn<'_>,
    mut on_batch: impl FnMut(usize),
) -> Result<(), GiveBack> {
    let wanted: Vec<usize> = {
        let mut w: Vec<usize> = proj.iter().flatten().copied().collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let name = |i: usize| format!("c{i}");
    // Every column as a string under a name of ours: the header's own names may repeat or carry
    // trailing spaces, and the row reader has already mapped them.
    let schema: Schema = (0..width)
        .map(|i| Field::new(name(i).into(), DataType::String))
        .collect();
    let lf = LazyCsvReader::new(PlRefPath::new(path.to_string_lossy().as_ref()))
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .with_missing_is_null(false)
        .with_truncate_ragged_lines(true)
        .with_encoding(CsvEncoding::LossyUtf8)
        .with_row_index(Some(RowIndex {
            name: ROW.into(),
            offset: 0,
        }))
        .finish()
        .map_err(|e| GiveBack(e.to_string()))?;
    let mut select = vec![col(ROW)];
    select.extend(wanted.iter().map(|&i| col(name(i))));
    let lf = lf.select(select);
    let (tx, rx) = std::sync::mpsc::sync_channel::<DataFrame>(2);
    let sink = lf
        .sink_batches(
            PlanCallback::new(move |df: DataFrame| Ok(tx.send(df).is_err())),
            true,
            None,
        )
        .map_err(|e| GiveBack(e.to_string()))?;
    // Position of each projected cell among the selected columns (0 is the row index).
    let slot: Vec<Option<usize>> = proj
        .iter()
        .map(|p| p.and_then(|h| wanted.iter().position(|&w| w == h).map(|k| k + 1)))
        .collect();
    let (ran, result) = crate::par::beside(
        move || sink.collect_with_engine(Engine::Streaming).map(drop),
        || {
            let mut result = Ok(());
            for df in rx {
                if result.is_ok() {
                    result = feed(&df, &slot, header_row, width, f);
                    on_batch(df.height());
                }
            }
            result
        },
    );
    ran.map_err(|_| GiveBack("the polars reader thread failed".into()))?
        .map_err(|e| GiveBack(e.to_string()))?;
    result
}

/// One batch, row by row, into `f`.
fn feed(
    df: &DataFrame,
    slot: &[Option<usize>],
    header_row: usize,
    width: usize,
    f: &mut super::RowFn<'_>,
) -> Result<(), GiveBack> {
    let bad = |e: PolarsError| GiveBack(e.to_string());
    let cols = df.columns();
    let rows = cols
        .first()
        .ok_or_else(|| GiveBack("no row index in a batch".into()))?
        .cast(&DataType::UInt64)
        .map_err(bad)?;
    let rows: Vec<Option<u64>> = rows.u64().map_err(bad)?.iter().collect();
    let text: Vec<Vec<Option<&str>>> = cols
        .iter()
        .skip(1)
        .map(|c| c.str().map(|s| s.iter().collect()))
        .collect::<PolarsResult<_>>()
        .map_err(bad)?;
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(slot.len());
    for (i, r) in rows.iter().enumerate() {
        let Some(r) = r else {
            return Err(GiveBack("a record without a row number".into()));
        };
        cells.clear();
        for s in slot {
            let v = s
                .and_then(|k| text.get(k - 1))
                .and_then(|c| c.get(i).copied().flatten())
                .unwrap_or("");
            cells.push(Cow::Borrowed(v));
        }
        f(header_row + 1 + *r as usize, &cells, width);
    }
    Ok(())
}
