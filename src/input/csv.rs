//! CSV reader: sniffs encoding (UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1252),
//! skips a PowerShell `#TYPE` line, picks the delimiter (comma, semicolon, tab) from the header
//! line, and streams records so memory does not grow with the file.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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
    reader: Records,
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
            inner: Cursor::new(header_line).chain(text),
            odd: odd_quotes.clone(),
        });
        let header_text = |cell: Option<Cow<'_, [u8]>>| {
            String::from_utf8_lossy(&cell.unwrap_or_default())
                .trim_start_matches('\u{feff}')
                .to_string()
        };
        let empty = || InputError::Empty {
            file: name.to_string(),
        };
        let mut reader = Records::new(body, delimiter as u8);
        let headers: Vec<String> = reader
            .next(|rec| (0..rec.len()).map(|i| header_text(rec.get(i))).collect())
            .map_err(|e| InputError::csv(name, header_row, e))?
            .ok_or_else(empty)?;
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
            let at = row + 1;
            let read = self.reader.next(|rec| {
                // A row of empty fields (Excel writes `,,,,` for a blank row) is not a record.
                if !rec.all_empty() {
                    batch.push(at, rec, proj);
                }
                rec.len()
            });
            match read {
                Ok(Some(n)) => {
                    row = at;
                    last_len = n;
                }
                Ok(None) => break,
                Err(e) => {
                    // Rows before the error still count.
                    let _ = tx.send(batch);
                    return Err(InputError::csv(&self.name, row + 1, e));
                }
            }
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

/// The record reader: simd-csv's zero-copy reader, handing over to the `csv` crate at the first
/// record simd-csv would read differently; or the hand-written splitter
/// (`MFA_AUDIT_SPLITTER=split`, for the comparison in bench/README.md).
enum Records {
    Split(Box<super::csv_split::Splitter<Box<dyn Read + Send>>>),
    Simd {
        reader: Box<simd_csv::ZeroCopyReader<Tape>>,
        reel: Arc<Mutex<Reel>>,
        records: usize,
        delimiter: u8,
    },
    Csv(Box<csv::Reader<Box<dyn Read + Send>>>, csv::ByteRecord),
}

/// One record, as `Records::next` shows it.
enum Rec<'a> {
    Split(&'a super::csv_split::Splitter<Box<dyn Read + Send>>),
    Simd(&'a simd_csv::ZeroCopyByteRecord<'a>),
    Csv(&'a csv::ByteRecord),
}

impl Rec<'_> {
    fn len(&self) -> usize {
        match self {
            Rec::Split(r) => r.len(),
            Rec::Simd(r) => r.len(),
            Rec::Csv(r) => r.len(),
        }
    }

    /// Field `i`, unescaped.
    fn get(&self, i: usize) -> Option<Cow<'_, [u8]>> {
        match self {
            Rec::Split(r) => r.get(i),
            Rec::Simd(r) => r.unescape(i),
            Rec::Csv(r) => r.get(i).map(Cow::Borrowed),
        }
    }

    /// Is every field empty (Excel's `,,,,` for a blank row)?
    fn all_empty(&self) -> bool {
        match self {
            Rec::Split(r) => r.all_empty(),
            Rec::Simd(r) => r.iter().all(|f| f.is_empty() || f == b"\"\""),
            Rec::Csv(r) => r.iter().all(<[u8]>::is_empty),
        }
    }
}

/// Records read by simd-csv between two calls of `Reel::forget_before`.
const KEEP_RECORDS: usize = 4096;

impl Records {
    /// Records of `body` (which never starts with a byte-order mark: `open` decodes it away).
    fn new(body: Box<dyn Read + Send>, delimiter: u8) -> Records {
        if std::env::var_os("MFA_AUDIT_SPLITTER").is_some_and(|v| v == "split") {
            return Records::Split(Box::new(super::csv_split::Splitter::new(body, delimiter)));
        }
        Records::with_capacity(body, delimiter, READ)
    }

    fn with_capacity(body: Box<dyn Read + Send>, delimiter: u8, capacity: usize) -> Records {
        let reel = Arc::new(Mutex::new(Reel {
            inner: body,
            chunks: std::collections::VecDeque::new(),
            spare: Vec::new(),
            end: 0,
        }));
        let reader = simd_csv::ZeroCopyReaderBuilder::with_capacity(capacity)
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(Tape(Arc::clone(&reel)));
        Records::Simd {
            reader: Box::new(reader),
            reel,
            records: 0,
            delimiter,
        }
    }

    /// From the next record on, only fields `fields` are read (the splitter records only their
    /// boundaries).
    fn project(&mut self, fields: &[usize]) {
        if let Records::Split(r) = self {
            r.project(fields);
        }
    }

    /// Reads the next record and gives it to `f`; `None` at the end of the data.
    fn next<T>(&mut self, f: impl FnOnce(&Rec<'_>) -> T) -> Result<Option<T>, String> {
        let rest = match self {
            Records::Split(r) => {
                if !r.read_record().map_err(|e| e.to_string())? {
                    return Ok(None);
                }
                return Ok(Some(f(&Rec::Split(r))));
            }
            Records::Csv(r, rec) => {
                let more = r.read_byte_record(rec).map_err(|e| match e.into_kind() {
                    csv::ErrorKind::Io(e) => e.to_string(),
                    e => format!("{e:?}"),
                })?;
                return Ok(more.then(|| f(&Rec::Csv(rec))));
            }
            Records::Simd {
                reader,
                reel,
                records,
                delimiter,
            } => {
                *records += 1;
                if *records % KEEP_RECORDS == 0 {
                    lock(reel).forget_before(reader.position());
                }
                let start = reader.position();
                match reader.read_byte_record().map_err(|e| e.to_string())? {
                    None => return Ok(None),
                    Some(rec) if csv_reads_alike(&rec) => return Ok(Some(f(&Rec::Simd(&rec)))),
                    Some(_) => {}
                }
                // From this record on, the `csv` crate reads the bytes simd-csv was given.
                let rest = lock(reel).rest_from(start);
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(rest)
            }
        };
        *self = Records::Csv(Box::new(rest), csv::ByteRecord::new());
        self.next(f)
    }
}

/// Would the `csv` crate split and unescape this record as simd-csv did? Yes when every field is
/// either unquoted without a quote or a carriage return, or quoted whole with its inner quotes
/// doubled. (simd-csv reads a quote inside an unquoted field as the start of a quoted part, and
/// ends records at line feeds only; the `csv` crate reads such a quote as a literal and ends a
/// record at a lone carriage return too.)
fn csv_reads_alike(rec: &simd_csv::ZeroCopyByteRecord<'_>) -> bool {
    rec.iter().all(|f| match f {
        [b'"', inner @ .., b'"'] => quotes_doubled(inner),
        _ => memchr::memchr2(b'"', b'\r', f).is_none(),
    })
}

/// Does every `"` in `s` come as `""`?
fn quotes_doubled(s: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = s.get(i..).and_then(|rest| memchr::memchr(b'"', rest)) {
        if s.get(i + k + 1) != Some(&b'"') {
            return false;
        }
        i += k + 2;
    }
    true
}

fn lock(reel: &Mutex<Reel>) -> std::sync::MutexGuard<'_, Reel> {
    reel.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The stream simd-csv reads, with the bytes it has been given since the start of the current
/// run of records kept, so that the `csv` crate can take over from any record of that run.
struct Reel {
    inner: Box<dyn Read + Send>,
    /// Chunks handed to simd-csv, oldest first, with the stream offset of each one's first byte.
    chunks: std::collections::VecDeque<(u64, Vec<u8>)>,
    /// Emptied chunks, to be filled again.
    spare: Vec<Vec<u8>>,
    /// Stream offset of the next byte to read.
    end: u64,
}

impl Reel {
    /// Drops the chunks that end at or before stream offset `pos`.
    fn forget_before(&mut self, pos: u64) {
        while self
            .chunks
            .front()
            .is_some_and(|(at, c)| at + c.len() as u64 <= pos)
        {
            if let Some((_, c)) = self.chunks.pop_front()
                && self.spare.len() < 4
            {
                self.spare.push(c);
            }
        }
    }

    /// The stream from offset `pos` on: the kept bytes from there, then the rest of the input.
    /// It starts with a blank line, which the `csv` crate skips: so a byte-order mark that
    /// happens to start the record handed over stays in its field, as it would mid-file.
    fn rest_from(&mut self, pos: u64) -> Box<dyn Read + Send> {
        let mut kept = b"\n".to_vec();
        for (at, c) in &self.chunks {
            let from = usize::try_from(pos.saturating_sub(*at)).unwrap_or(usize::MAX);
            kept.extend_from_slice(c.get(from..).unwrap_or_default());
        }
        let inner = std::mem::replace(&mut self.inner, Box::new(std::io::empty()));
        Box::new(Cursor::new(kept).chain(inner))
    }
}

/// simd-csv's side of the `Reel`.
struct Tape(Arc<Mutex<Reel>>);

impl Read for Tape {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut reel = lock(&self.0);
        let n = reel.inner.read(buf)?;
        if n > 0 {
            let mut chunk = reel.spare.pop().unwrap_or_default();
            chunk.clear();
            chunk.extend_from_slice(&buf[..n]);
            let at = reel.end;
            reel.chunks.push_back((at, chunk));
            reel.end += n as u64;
        }
        Ok(n)
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

    fn push(&mut self, row: usize, rec: &Rec<'_>, proj: &[Option<usize>]) {
        self.rows.push((row, rec.len()));
        for p in proj {
            if let Some(cell) = p.and_then(|i| rec.get(i)) {
                self.bytes.extend_from_slice(&cell);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record of `data` as `Records` reads it: its fields, and whether `all_empty` held.
    fn ours(data: &[u8], delimiter: u8, capacity: usize) -> Vec<(Vec<Vec<u8>>, bool)> {
        let mut r =
            Records::with_capacity(Box::new(Cursor::new(data.to_vec())), delimiter, capacity);
        let mut out = Vec::new();
        while let Some(rec) = r
            .next(|rec| {
                let fields: Vec<Vec<u8>> = (0..rec.len())
                    .map(|i| rec.get(i).map(Cow::into_owned).unwrap_or_default())
                    .collect();
                (fields, rec.all_empty())
            })
            .expect("in-memory read")
        {
            out.push(rec);
        }
        out
    }

    /// The same from the `csv` crate (flexible, no header): the reference.
    fn reference(data: &[u8], delimiter: u8) -> Vec<(Vec<Vec<u8>>, bool)> {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while r.read_byte_record(&mut rec).expect("in-memory read") {
            let fields: Vec<Vec<u8>> = rec.iter().map(<[u8]>::to_vec).collect();
            let empty = fields.iter().all(Vec::is_empty);
            out.push((fields, empty));
        }
        out
    }

    /// Did simd-csv read the whole of `data` (no hand-over to the `csv` crate)?
    fn simd_throughout(data: &[u8]) -> bool {
        let mut r = Records::with_capacity(Box::new(Cursor::new(data.to_vec())), b',', 64);
        while r.next(|_| ()).expect("in-memory read").is_some() {}
        matches!(r, Records::Simd { .. })
    }

    #[test]
    fn reads_like_the_csv_crate_on_hand_picked_cases() {
        let cases: &[&[u8]] = &[
            b"a,b,c\n1,2,3\n",
            b"\"a\",\"b,c\",\"d\"\"e\"\r\n\"x\ny\",,\"\"\n",
            b"a,b\n\n\r\n,\n,,\nlast",
            b"ab\"c,d\n",           // quote inside an unquoted value
            b"\"ab\"cd,e\n\"f\"\n", // text after a closing quote
            b"\"never closed,\nx\n",
            b"x,\"a\"\"\"\n",
            b"\"\"\"\"\n",
            b" \"a\",b\n",
            b"a,b\rc,d\re,f\n", // lone carriage returns end records
            b"\"a\"\r\"b\"\n",
            b"ok,row\nthen,a stray \" quote\nand,more\n\"q\",\"r\"\n",
        ];
        for data in cases {
            for capacity in [1, 3, 64, 1 << 20] {
                assert_eq!(
                    ours(data, b',', capacity),
                    reference(data, b','),
                    "{:?} capacity {capacity}",
                    String::from_utf8_lossy(data)
                );
            }
        }
    }

    #[test]
    fn simd_csv_reads_plain_and_quoted_files_and_hands_over_the_rest() {
        assert!(simd_throughout(b"a,b\r\n\"c\",\"d\"\"e\"\r\n,\n"));
        assert!(!simd_throughout(b"a,b\n27\",x\n"));
        assert!(!simd_throughout(b"a,b\rc,d\n"));
        // The hand-over starts at the record simd-csv would misread, late in a long file: the
        // bytes before it are no longer kept, those from it on are.
        let mut data = Vec::new();
        for r in 0..20_000 {
            data.extend_from_slice(format!("\"user{r}@x.com\",\"{r}\",plain\n").as_bytes());
        }
        data.extend_from_slice(b"user@x.com,Monitor 27\",1\n\"after\",\"x\"\n");
        assert!(!simd_throughout(&data));
        for capacity in [64, 4096, 1 << 20] {
            assert_eq!(ours(&data, b',', capacity), reference(&data, b','));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn reads_like_the_csv_crate(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'),
                    Just(b';'), Just(b' '), Just(0xefu8), Just(0xbbu8), Just(0xbfu8)
                ],
                0..300,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';')],
            capacity in prop_oneof![Just(1usize), Just(5), Just(64), Just(200), Just(1 << 16)],
        ) {
            // A leading byte-order mark never reaches `Records` (see `new`).
            prop_assume!(!bytes.starts_with(&[0xef, 0xbb, 0xbf]));
            prop_assert_eq!(ours(&bytes, delimiter, capacity), reference(&bytes, delimiter));
        }

        #[test]
        fn reads_quoted_tables_like_the_csv_crate(
            cells in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::string::string_regex("[a-z,\"\n\r]{0,12}").expect("regex"),
                    1..6,
                ),
                0..40,
            ),
            capacity in prop_oneof![Just(16usize), Just(64), Just(1 << 16)],
        ) {
            let mut data = Vec::new();
            for row in &cells {
                let line: Vec<String> = row
                    .iter()
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                data.extend_from_slice(line.join(",").as_bytes());
                data.extend_from_slice(b"\r\n");
            }
            prop_assert!(simd_throughout(&data));
            prop_assert_eq!(ours(&data, b',', capacity), reference(&data, b','));
        }
    }
}
