//! CSV reader: sniffs encoding (UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1252),
//! skips a PowerShell `#TYPE` line, picks the delimiter (comma, semicolon, tab) from the header
//! line, and streams records so memory does not grow with the file.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{Format, InputError};

const SNIFF: usize = 64 * 1024;
/// Read size for the raw file (and the hashing thread's chunks).
const READ: usize = 1 << 20;

/// Passes bytes through and tracks whether the stream so far holds an odd number of `"`:
/// a file that ends with an odd count ends inside a quoted value (truncated or hand-edited).
struct QuoteParity<R> {
    inner: R,
    odd: Arc<AtomicBool>,
}

impl<R: Read> Read for QuoteParity<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if odd_quotes(&buf[..n]) {
            self.odd.fetch_xor(true, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Does `bytes` hold an odd number of `"`? (Byte-sized partial sums in chunks of 255 let the
/// compiler vectorise the count.) Shared by the row reader and the columnar path's hasher.
pub fn odd_quotes(bytes: &[u8]) -> bool {
    let quotes: usize = bytes
        .chunks(255)
        .map(|c| c.iter().fold(0u8, |a, b| a + u8::from(*b == b'"')) as usize)
        .sum();
    quotes % 2 == 1
}

/// An opened CSV stream positioned after the header.
pub struct CsvSource {
    pub headers: Vec<String>,
    /// Spreadsheet row of the header (2 when a `#TYPE` line precedes it).
    pub header_row: usize,
    pub format: Format,
    /// Boxed: the splitter's state is large next to the other readers' (`Body`).
    reader: Box<super::csv_split::Splitter<Box<dyn Read + Send>>>,
    name: String,
    odd_quotes: Arc<AtomicBool>,
    /// The file on disk this stream reads, when it is one (not a zip entry): the columnar
    /// sign-in ingest (`signin_scan.rs`) reads it again itself.
    pub disk_path: Option<std::path::PathBuf>,
}

/// Is the sample UTF-8 (allowing a multi-byte character cut at the end of the sample)?
fn looks_utf8(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

fn count_outside_quotes(line: &str, d: char) -> usize {
    let mut inq = false;
    let mut n = 0;
    for c in line.chars() {
        if c == '"' {
            inq = !inq;
        } else if c == d && !inq {
            n += 1;
        }
    }
    n
}

impl CsvSource {
    pub fn open(name: &str, raw: Box<dyn Read + Send>) -> Result<CsvSource, InputError> {
        let mut raw = BufReader::with_capacity(READ, raw);
        let sample = raw
            .fill_buf()
            .map_err(|e| InputError::io(name, e))?
            .to_vec();
        let (encoding_name, enc) = if sample.starts_with(&[0xFF, 0xFE]) {
            ("UTF-16LE", None)
        } else if sample.starts_with(&[0xFE, 0xFF]) {
            ("UTF-16BE", None)
        } else if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
            ("UTF-8 with BOM", None)
        } else if looks_utf8(&sample) {
            ("UTF-8", None)
        } else {
            ("Windows-1252", Some(encoding_rs::WINDOWS_1252))
        };
        if sample.contains(&0) && !encoding_name.starts_with("UTF-16") {
            // NUL bytes in an 8-bit file: tolerated (the cell keeps them), noted in format.
        }
        let decoded: Box<dyn Read + Send> = if encoding_name == "UTF-8" {
            Box::new(raw)
        } else {
            Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(enc)
                    .bom_sniffing(true)
                    .strip_bom(true)
                    .build(raw),
            )
        };
        let mut text = BufReader::with_capacity(SNIFF, decoded);
        let mut first = Vec::new();
        text.read_until(b'\n', &mut first)
            .map_err(|e| InputError::io(name, e))?;
        let mut header_row = 1;
        let trimmed = first.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&first);
        let type_line = trimmed.len() >= 5 && trimmed[..5].eq_ignore_ascii_case(b"#TYPE");
        let header_line = if type_line {
            header_row = 2;
            let mut second = Vec::new();
            text.read_until(b'\n', &mut second)
                .map_err(|e| InputError::io(name, e))?;
            second
        } else {
            first
        };
        let delimiter = {
            let head = String::from_utf8_lossy(&header_line);
            let counts = [',', ';', '\t'].map(|d| (count_outside_quotes(&head, d), d));
            counts
                .iter()
                .max_by_key(|(n, d)| (*n, *d == ','))
                .map(|(_, d)| *d)
                .unwrap_or(',')
        };
        let odd_quotes = Arc::new(AtomicBool::new(false));
        let body: Box<dyn Read + Send> = Box::new(QuoteParity {
            inner: std::io::Cursor::new(header_line).chain(text),
            odd: odd_quotes.clone(),
        });
        let mut reader = Box::new(super::csv_split::Splitter::new(body, delimiter as u8));
        let got = reader
            .read_record()
            .map_err(|e| InputError::csv(name, header_row, e))?;
        if !got {
            return Err(InputError::Empty {
                file: name.to_string(),
            });
        }
        let headers = (0..reader.len())
            .map(|i| {
                String::from_utf8_lossy(&reader.get(i).unwrap_or_default())
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let format = Format::Csv {
            encoding: encoding_name.to_string(),
            delimiter: match delimiter {
                '\t' => "tab".into(),
                d => d.to_string(),
            },
            type_line,
        };
        Ok(CsvSource {
            headers,
            header_row,
            format,
            reader,
            name: name.to_string(),
            odd_quotes,
            disk_path: None,
        })
    }

    /// Streams every record, projected onto `proj` (header indices; `None` = column absent).
    /// `f` gets the spreadsheet row, the projected cells, and the record's field count.
    /// Streams the rows to `f`, projected onto `proj`. Parsing (with decoding and hashing of the
    /// bytes) runs on its own thread and hands batches of rows to the caller's thread, so one
    /// large file keeps two cores busy: one parsing, one using the rows.
    pub fn for_each(
        self,
        proj: &[Option<usize>],
        f: &mut super::RowFn<'_>,
    ) -> Result<(), InputError> {
        self.for_each_batch(proj, &mut |b| b.each(f))
    }

    /// `for_each` a batch of rows at a time: `f` may pass over a batch's cells before it hands
    /// the rows on with `RowBatch::each` (the sign-in reader looks up every row's account first,
    /// so the lookups' cache misses overlap).
    pub fn for_each_batch(
        self,
        proj: &[Option<usize>],
        f: &mut dyn FnMut(&RowBatch<'_>),
    ) -> Result<(), InputError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        // Used batches go back to the parser to be filled again (no fresh pages per batch).
        let (back, pool) = std::sync::mpsc::sync_channel::<Batch>(8);
        let name = self.name.clone();
        let (parsed, ()) = crate::par::beside(
            move || self.parse_batches(proj, tx, pool),
            || {
                for batch in rx {
                    f(&RowBatch {
                        batch: &batch,
                        width: proj.len(),
                    });
                    let _ = back.try_send(batch);
                }
            },
        );
        parsed.unwrap_or_else(|_| {
            Err(InputError::Unreadable {
                file: name,
                why: "the CSV parser thread failed (a bug)".into(),
            })
        })
    }

    /// The parser's side of `for_each`: records into batches, then the end-of-file checks.
    fn parse_batches(
        mut self,
        proj: &[Option<usize>],
        tx: std::sync::mpsc::SyncSender<Batch>,
        pool: std::sync::mpsc::Receiver<Batch>,
    ) -> Result<(), InputError> {
        let mut row = self.header_row;
        let mut last_len = self.headers.len();
        let mut batch = Batch::default();
        // Only the projected fields' boundaries are recorded (6 of a sign-in log's 55 columns).
        let fields: Vec<usize> = proj.iter().flatten().copied().collect();
        self.reader.project(&fields);
        loop {
            match self.reader.read_record() {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    // Rows before the error still count.
                    let _ = tx.send(batch);
                    return Err(InputError::csv(&self.name, row + 1, e));
                }
            }
            row += 1;
            last_len = self.reader.len();
            // A row of empty fields (Excel writes `,,,,` for a blank row) is not a record.
            if self.reader.all_empty() {
                continue;
            }
            batch.push(row, &self.reader, proj);
            if batch.rows.len() >= BATCH_ROWS {
                let next = pool.try_recv().map(Batch::emptied).unwrap_or_default();
                if tx.send(std::mem::replace(&mut batch, next)).is_err() {
                    return Ok(()); // the consumer stopped
                }
            }
        }
        let _ = tx.send(batch);
        // An odd number of quotes with a last record cut short: the parser swallowed everything
        // after an opening quote into that record's last field. (A stray quote inside an unquoted
        // value also makes the count odd, but leaves the record whole, and reads fine.)
        if self.odd_quotes.load(Ordering::Relaxed) && last_len < self.headers.len() {
            let column = self
                .headers
                .get(last_len.saturating_sub(1))
                .map(|h| h.trim().to_string())
                .unwrap_or_default();
            return Err(InputError::Csv {
                file: self.name.clone(),
                row,
                msg: format!(
                    "column {column}: a quoted value opened on this row is never closed: the file ends inside quotes (truncated, or a stray \" in a hand edit); expected a closing quote"
                ),
            });
        }
        Ok(())
    }
}

/// A batch of parsed rows, as `CsvSource::for_each_batch` hands it over.
pub struct RowBatch<'b> {
    batch: &'b Batch,
    width: usize,
}

impl RowBatch<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.batch.rows.len()
    }

    /// The raw bytes of projected cell `col` of row `k` (not checked as UTF-8).
    pub fn cell(&self, k: usize, col: usize) -> &[u8] {
        let i = k * self.width + col;
        let end = self.batch.ends.get(i).copied().unwrap_or(0);
        let start = match i.checked_sub(1) {
            Some(p) => self.batch.ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        self.batch.bytes.get(start..end).unwrap_or_default()
    }

    /// Every row, in order, to `f` (as `for_each` does).
    pub fn each(&self, f: &mut super::RowFn<'_>) {
        self.batch.each(self.width, f);
    }
}

/// Rows per batch handed from the parser thread to the caller.
const BATCH_ROWS: usize = 4096;

/// Parsed rows in flat buffers: each row's projected cells, one after the other.
#[derive(Default)]
struct Batch {
    /// Spreadsheet row and number of fields of each record.
    rows: Vec<(usize, usize)>,
    /// End offset in `bytes` of each projected cell.
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Batch {
    /// The same buffers, empty, for the next rows.
    fn emptied(mut self) -> Batch {
        self.rows.clear();
        self.ends.clear();
        self.bytes.clear();
        self
    }

    fn push<R: Read>(
        &mut self,
        row: usize,
        rec: &super::csv_split::Splitter<R>,
        proj: &[Option<usize>],
    ) {
        self.rows.push((row, rec.len()));
        for p in proj {
            if let Some(i) = *p {
                rec.append_to(i, &mut self.bytes);
            }
            self.ends.push(self.bytes.len());
        }
    }

    fn each(&self, width: usize, f: &mut super::RowFn<'_>) {
        let mut start = 0;
        let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(width);
        // One UTF-8 check for the whole batch; then a cell is a slice of it wherever both its
        // ends fall on character boundaries (else, as for a batch that is not UTF-8, the cell
        // is checked on its own, invalid bytes becoming U+FFFD).
        let text = std::str::from_utf8(&self.bytes).ok();
        for (k, &(row, fields)) in self.rows.iter().enumerate() {
            cells.clear();
            for &end in &self.ends[k * width..(k + 1) * width] {
                cells.push(match text.and_then(|t| t.get(start..end)) {
                    Some(s) => Cow::Borrowed(s),
                    None => String::from_utf8_lossy(&self.bytes[start..end]),
                });
                start = end;
            }
            f(row, &cells, fields);
        }
    }
}
