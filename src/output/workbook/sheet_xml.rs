//! The data rows of the workbook's list sheets, written as worksheet XML here and spliced into
//! the package rust_xlsxwriter saved.
//!
//! rust_xlsxwriter stores every cell in a map and formats it through `write!`: about 0.6 µs a
//! cell, 1.6-2.3 s for a 100,000-account Accounts sheet (bench/README.md). So each list sheet is
//! saved by rust_xlsxwriter as a *skeleton*: everything but its data rows (header row, column
//! widths, autofilter or table, frozen pane, conditional formats, page setup) plus its last data
//! row, which keeps the sheet's `dimension` rust_xlsxwriter's own. The rows in between are
//! written here, byte for byte as rust_xlsxwriter's constant-memory writer writes them, streamed
//! into a deflate compressor of their own, each sheet on one of two threads; a large sheet in two
//! halves, one on each, joined into one zip entry as pigz joins its pieces.
//!
//! `workbook.rs` tests render every sheet both ways (all rows through rust_xlsxwriter, or spliced)
//! and compare every file of the two packages, so an upgrade of rust_xlsxwriter that changes its
//! XML fails a test instead of shipping a mixed sheet.

use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::XlsxError;
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Excel's cell format index of each style a list cell uses: rust_xlsxwriter numbers formats of
/// constant-memory sheets workbook-wide in the order of first use, and `workbook.rs` registers
/// these first, in this order, on a scratch sheet (index 0 is the default format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    None,
    Date,
    Wrap,
    Percent,
    Top,
}

impl Style {
    /// The formats in the order they are registered.
    pub const REGISTERED: [Style; 4] = [Style::Date, Style::Wrap, Style::Percent, Style::Top];

    fn xf_index(self) -> u32 {
        match self {
            Style::None => 0,
            Style::Date => 1,
            Style::Wrap => 2,
            Style::Percent => 3,
            Style::Top => 4,
        }
    }
}

/// Builds the XML of rows, one at a time, into a reusable buffer.
pub struct RowXml {
    buf: Vec<u8>,
    /// `A`, `B`, ... `AA`... for each column of the sheet.
    cols: Vec<String>,
    /// The row being written (1-based, as in the XML) and whether it has a cell yet.
    row: u32,
    row_start: usize,
    has_cell: bool,
    height: Option<f64>,
}

/// Column letters as Excel names them (0 = A, 26 = AA).
fn col_name(mut c: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

impl RowXml {
    pub fn new(ncols: usize) -> RowXml {
        RowXml {
            buf: Vec::with_capacity(1 << 18),
            cols: (0..ncols as u32).map(col_name).collect(),
            row: 0,
            row_start: 0,
            has_cell: false,
            height: None,
        }
    }

    /// Starts sheet row `row` (0-based, as rust_xlsxwriter counts), with a custom height in
    /// points when the row holds wrapped text.
    pub fn start_row(&mut self, row: u32, height: Option<f64>) {
        self.row = row + 1;
        self.row_start = self.buf.len();
        self.has_cell = false;
        self.height = height;
        self.row_tag(false);
    }

    fn row_tag(&mut self, empty: bool) {
        let _ = write!(self.buf, "<row r=\"{}\"", self.row);
        if let Some(points) = self.height {
            // rust_xlsxwriter stores the height in whole pixels and writes it back in points.
            let pixels = (points * 4.0 / 3.0).round() as u32;
            let _ = write!(
                self.buf,
                " ht=\"{}\" customHeight=\"1\"",
                f64::from(pixels) * 0.75
            );
        }
        self.buf.extend_from_slice(if empty { b"/>" } else { b">" });
    }

    /// Ends the row: a row without cells is left out, or kept as an empty element when it has a
    /// height (as rust_xlsxwriter does).
    pub fn end_row(&mut self) {
        if self.has_cell {
            self.buf.extend_from_slice(b"</row>");
        } else {
            self.buf.truncate(self.row_start);
            if self.height.is_some() {
                self.row_tag(true);
            }
        }
    }

    fn cell_start(&mut self, col: usize, style: Style) {
        self.has_cell = true;
        self.buf.extend_from_slice(b"<c r=\"");
        if let Some(name) = self.cols.get(col) {
            self.buf.extend_from_slice(name.as_bytes());
        } else {
            self.buf.extend_from_slice(col_name(col as u32).as_bytes());
        }
        let _ = write!(self.buf, "{}\"", self.row);
        let xf = style.xf_index();
        if xf > 0 {
            let _ = write!(self.buf, " s=\"{xf}\"");
        }
    }

    /// A number cell (a date is a number with the date style).
    pub fn number(&mut self, col: usize, n: f64, style: Style) {
        if !n.is_finite() {
            // rust_xlsxwriter writes what Excel cannot hold as a number as text.
            let text = if n.is_nan() {
                "NAN"
            } else if n > 0.0 {
                "INF"
            } else {
                "-INF"
            };
            self.text(col, text, style);
            return;
        }
        self.cell_start(col, style);
        let _ = write!(self.buf, "><v>{n}</v></c>");
    }

    /// An inline string cell; empty text leaves the cell out.
    pub fn text(&mut self, col: usize, s: &str, style: Style) {
        if s.is_empty() {
            return;
        }
        self.cell_start(col, style);
        let ws = ['\t', '\n', ' '];
        self.buf.extend_from_slice(b" t=\"inlineStr\"><is><t");
        if s.starts_with(ws) || s.ends_with(ws) {
            self.buf.extend_from_slice(b" xml:space=\"preserve\"");
        }
        self.buf.push(b'>');
        escape_into(&mut self.buf, s);
        self.buf.extend_from_slice(b"</t></is></c>");
    }

    /// Bytes written since the last drain.
    fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Hands the rows written so far to `out` and empties the buffer.
    fn drain_into(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf).unwrap_or("")
    }
}

/// Whether `s[i..]` starts with `_xHHHH_`, which Excel would read as an escaped character.
fn escape_like(s: &[u8], i: usize) -> bool {
    s.len() >= i + 7
        && s[i] == b'_'
        && s[i + 1] == b'x'
        && s[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
        && s[i + 6] == b'_'
}

/// Writes `s` as XML character data the way rust_xlsxwriter does: `&`, `<` and `>` as entities;
/// control characters other than tab and line feed, U+FFFE and U+FFFF as Excel's `_xHHHH_`; and a
/// literal `_xHHHH_` with its underscore escaped (`_x005F_xHHHH_`), so it reads back as written.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let special = |c: u8| {
        matches!(c, b'&' | b'<' | b'>' | b'_' | 0xEF) || (c < 0x20 && c != b'\t' && c != b'\n')
    };
    if !b.iter().any(|&c| special(c)) {
        out.extend_from_slice(b);
        return;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'_' if escape_like(b, i) => {
                out.extend_from_slice(b"_x005F_");
            }
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                out.extend_from_slice(if b[i + 2] == 0xBE {
                    b"_xFFFE_"
                } else {
                    b"_xFFFF_"
                });
                i += 3;
                continue;
            }
            c if c < 0x20 && c != b'\t' && c != b'\n' => {
                let _ = write!(out, "_x{:04X}_", c);
            }
            c => out.push(c),
        }
        i += 1;
    }
}

/// The rows of one list sheet between its header row and its last row: `write` appends the XML
/// of body row `i` (0-based) to `xml`.
pub trait Body: Send + Sync {
    fn len(&self) -> usize;
    fn columns(&self) -> usize;
    fn write(&self, i: usize, xml: &mut RowXml);
}

/// A sheet whose data rows are still to be spliced in.
pub struct Pending<'a> {
    /// The sheet's number in the package (`xl/worksheets/sheetN.xml`).
    pub number: usize,
    pub body: Box<dyn Body + 'a>,
}

fn err(what: impl std::fmt::Display) -> XlsxError {
    XlsxError::ParameterError(format!("writing the list sheets' rows: {what}"))
}

/// Cuts a skeleton sheet after its header row: the rows go between the two halves.
fn split_after_header(xml: &str) -> Result<(&str, &str), XlsxError> {
    let data = xml
        .find("<sheetData><row r=\"1\">")
        .ok_or_else(|| err("the sheet's header row is not where rust_xlsxwriter puts it"))?;
    let end = xml[data..]
        .find("</row>")
        .map(|e| data + e + "</row>".len())
        .ok_or_else(|| err("the sheet's header row does not end"))?;
    Ok(xml.split_at(end))
}

/// Checks that the skeleton's next row is its last data row (sheet row n + 1, 0-based) or the
/// end of the rows (a last row without a cell has no element), and cuts it after the header.
fn skeleton_halves<'x>(
    name: &str,
    skeleton: &'x str,
    body: &dyn Body,
) -> Result<(&'x str, &'x str), XlsxError> {
    let (head, tail) = split_after_header(skeleton)?;
    let next = format!("<row r=\"{}\"", body.len() + 2);
    if !(tail.starts_with(&next) || tail.starts_with("</sheetData>")) {
        return Err(err(format!(
            "{name}: the row after the header is not the sheet's last row"
        )));
    }
    Ok((head, tail))
}

/// Writes `head`, body rows `rows` and `tail` into `out`, a quarter MiB of XML at a time.
fn write_rows(
    out: &mut impl Write,
    (head, tail): (&str, &str),
    body: &dyn Body,
    rows: std::ops::Range<usize>,
) -> std::io::Result<()> {
    out.write_all(head.as_bytes())?;
    let mut xml = RowXml::new(body.columns());
    for i in rows {
        body.write(i, &mut xml);
        if xml.buffered() >= 1 << 18 {
            xml.drain_into(out)?;
        }
    }
    xml.drain_into(out)?;
    out.write_all(tail.as_bytes())
}

/// The options every spliced sheet entry has.
fn entry_options(level: i64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default())
}

/// Deflates one sheet: the skeleton's head, the rows written here, the skeleton's tail.
fn compress(
    name: &str,
    skeleton: &str,
    body: &dyn Body,
    level: i64,
) -> Result<zip::write::PreparedZipFile, XlsxError> {
    let halves = skeleton_halves(name, skeleton, body)?;
    let mut z = ZipFileBuilder::new(name, entry_options(level)).map_err(err)?;
    write_rows(&mut z, halves, body, 0..body.len()).map_err(err)?;
    z.finish().map_err(err)
}

/// Part of a sheet deflated on its own: raw deflate blocks, with the CRC-32 and length of the
/// XML they hold.
struct Deflated {
    data: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

/// A raw deflate stream that counts what goes in.
struct PartWriter {
    z: flate2::write::DeflateEncoder<Vec<u8>>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Write for PartWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.z.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.z.flush()
    }
}

/// One half of a sheet deflated as raw blocks that can be joined: the first half (the head and
/// the first rows) ends with a sync flush and no final block, so the second half's own deflate
/// stream (the other rows and the tail, from an empty window) follows it byte for byte, as pigz
/// joins its pieces.
fn deflate_half(
    name: &str,
    skeleton: &str,
    body: &dyn Body,
    first: bool,
    level: i64,
) -> Result<Deflated, XlsxError> {
    let (head, tail) = skeleton_halves(name, skeleton, body)?;
    let mid = body.len() / 2;
    let mut w = PartWriter {
        z: flate2::write::DeflateEncoder::new(
            Vec::new(),
            flate2::Compression::new(level.clamp(0, 9) as u32),
        ),
        crc: crc32fast::Hasher::new(),
        len: 0,
    };
    if first {
        write_rows(&mut w, (head, ""), body, 0..mid).map_err(err)?;
        // A sync flush: everything so far, byte-aligned, no final block. (Dropping the encoder
        // then ends its stream in the emptied buffer, which is not used.)
        w.z.flush().map_err(err)?;
        let data = std::mem::take(w.z.get_mut());
        Ok(Deflated {
            data,
            crc: w.crc,
            len: w.len,
        })
    } else {
        write_rows(&mut w, ("", tail), body, mid..body.len()).map_err(err)?;
        let PartWriter { z, crc, len } = w;
        Ok(Deflated {
            data: z.finish().map_err(err)?,
            crc,
            len,
        })
    }
}

/// The two halves joined, as the one entry of a zip archive of its own (the form
/// `ZipWriter::raw_copy_file` copies from), with the attributes `entry_options` gives. `None`
/// when the sheet needs zip64 sizes (then it is deflated whole instead).
fn joined_entry(name: &str, a: Deflated, b: Deflated) -> Option<Vec<u8>> {
    let mut crc = a.crc;
    crc.combine(&b.crc);
    let crc = crc.finalize();
    // 0xFFFFFFFF itself means "see the zip64 field".
    let size = u32::try_from(a.len + b.len)
        .ok()
        .filter(|&n| n < u32::MAX)?;
    let packed = u32::try_from(a.data.len() + b.data.len())
        .ok()
        .filter(|&n| n < u32::MAX)?;
    let name_len = u16::try_from(name.len()).ok()?;
    // DOS date of 1980-01-01 (DateTime::default()), time 00:00:00.
    let (time, date) = (0u16, 0x21u16);
    let mut z = Vec::with_capacity(packed as usize + 2 * name.len() + 128);
    let common = |z: &mut Vec<u8>| {
        z.extend_from_slice(&20u16.to_le_bytes()); // version needed: deflate
        z.extend_from_slice(&0u16.to_le_bytes()); // flags
        z.extend_from_slice(&8u16.to_le_bytes()); // method: deflate
        z.extend_from_slice(&time.to_le_bytes());
        z.extend_from_slice(&date.to_le_bytes());
        z.extend_from_slice(&crc.to_le_bytes());
        z.extend_from_slice(&packed.to_le_bytes());
        z.extend_from_slice(&size.to_le_bytes());
        z.extend_from_slice(&name_len.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };
    z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common(&mut z);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(&a.data);
    z.extend_from_slice(&b.data);
    let directory = z.len();
    z.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    z.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes()); // made by: Unix
    common(&mut z);
    z.extend_from_slice(&0u16.to_le_bytes()); // comment length
    z.extend_from_slice(&0u16.to_le_bytes()); // disk
    z.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    z.extend_from_slice(&((0o100_600u32) << 16).to_le_bytes()); // a regular file, rw-------
    z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    z.extend_from_slice(name.as_bytes());
    let directory_len = u32::try_from(z.len() - directory).ok()?;
    let directory = u32::try_from(directory).ok()?;
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    z.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&directory_len.to_le_bytes());
    z.extend_from_slice(&directory.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Some(z)
}

/// What a compression job does with its sheet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Whole,
    First,
    Second,
}

/// A finished compression job.
enum Done {
    Whole(zip::write::PreparedZipFile),
    Half(Deflated),
}

/// A sheet deflated: by `ZipFileBuilder`, or in two halves joined by hand.
enum Entry {
    Prepared(zip::write::PreparedZipFile),
    Joined(Vec<u8>),
}

/// The package with every pending sheet's rows in place. The sheets are compressed on two
/// threads; a sheet of `split_rows` data rows or more in two halves, one on each, so the largest
/// sheet does not leave a core idle at the end. Every other file is copied as rust_xlsxwriter
/// compressed it.
pub fn splice<W: Write + std::io::Seek>(
    skeleton: &[u8],
    pending: Vec<Pending<'_>>,
    level: i64,
    split_rows: usize,
    sink: W,
) -> Result<W, XlsxError> {
    let mut archive = ZipArchive::new(Cursor::new(skeleton)).map_err(err)?;
    let mut sheets = Vec::new();
    for p in pending {
        let name = format!("xl/worksheets/sheet{}.xml", p.number);
        let mut xml = String::new();
        archive
            .by_name(&name)
            .map_err(err)?
            .read_to_string(&mut xml)
            .map_err(err)?;
        sheets.push((name, xml, p.body));
    }
    // Jobs: (weight, sheet, part). Two groups of about equal weight, heaviest first.
    let mut jobs = Vec::new();
    for (k, (_, _, body)) in sheets.iter().enumerate() {
        let weight = body.len() * body.columns();
        if body.len() >= split_rows.max(2) {
            jobs.push((weight / 2, k, Part::First));
            jobs.push((weight - weight / 2, k, Part::Second));
        } else {
            jobs.push((weight, k, Part::Whole));
        }
    }
    jobs.sort_by_key(|j| std::cmp::Reverse(j.0));
    let (mut side, mut here) = (Vec::new(), Vec::new());
    let (mut ws, mut wh) = (0usize, 0usize);
    for job in jobs {
        if ws <= wh {
            ws += job.0;
            side.push(job);
        } else {
            wh += job.0;
            here.push(job);
        }
    }
    let sheets = &sheets;
    let run = |group: Vec<(usize, usize, Part)>| {
        group
            .into_iter()
            .map(|(_, k, part)| {
                let (name, xml, body) = &sheets[k];
                let done = match part {
                    Part::Whole => Done::Whole(compress(name, xml, body.as_ref(), level)?),
                    half => Done::Half(deflate_half(
                        name,
                        xml,
                        body.as_ref(),
                        half == Part::First,
                        level,
                    )?),
                };
                Ok((k, part, done))
            })
            .collect::<Result<Vec<_>, XlsxError>>()
    };
    let (a, b) = crate::par::beside(|| run(side), || run(here));
    let mut done = a.map_err(|_| err("a sheet writer thread failed"))??;
    done.extend(b?);
    let mut prepared = Vec::new();
    for (k, (name, xml, body)) in sheets.iter().enumerate() {
        let mut mine: Vec<(Part, Done)> = Vec::new();
        for (_, part, d) in done.extract_if(.., |(j, _, _)| *j == k) {
            mine.push((part, d));
        }
        mine.sort_by_key(|(p, _)| *p as u8);
        let entry = match (mine.pop(), mine.pop()) {
            (Some((_, Done::Whole(z))), None) => Entry::Prepared(z),
            (Some((Part::Second, Done::Half(b))), Some((Part::First, Done::Half(a)))) => {
                match joined_entry(name, a, b) {
                    Some(z) => Entry::Joined(z),
                    None => Entry::Prepared(compress(name, xml, body.as_ref(), level)?),
                }
            }
            _ => return Err(err(format!("{name}: a compression job is missing"))),
        };
        prepared.push((name.clone(), entry));
    }
    // Entries go straight to the sink (the output file): the package is never held whole.
    let mut out = ZipWriter::new(sink);
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(err)?;
        let name = file.name().map_err(err)?.into_owned();
        match prepared.iter().position(|(n, _)| *n == name) {
            Some(k) => {
                drop(file);
                match prepared.swap_remove(k).1 {
                    Entry::Prepared(z) => out.add_prepared_file(z).map_err(err)?,
                    Entry::Joined(z) => {
                        let mut one = ZipArchive::new(Cursor::new(z)).map_err(err)?;
                        out.raw_copy_file(one.by_index_raw(0).map_err(err)?)
                            .map_err(err)?;
                    }
                }
            }
            None => out.raw_copy_file(file).map_err(err)?,
        }
    }
    if let Some((name, _)) = prepared.first() {
        return Err(err(format!("{name} is not in the package")));
    }
    out.finish().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows `r = 2..` of one text column: `row <r> ` and some repeated text.
    struct Numbered(usize);

    impl Body for Numbered {
        fn len(&self) -> usize {
            self.0
        }
        fn columns(&self) -> usize {
            1
        }
        fn write(&self, i: usize, xml: &mut RowXml) {
            xml.start_row(i as u32 + 1, None); // 0-based: sheet row i + 2
            xml.text(
                0,
                &format!("row {} {}", i + 2, "text ".repeat(i % 7)),
                Style::None,
            );
            xml.end_row();
        }
    }

    /// A package holding one sheet of `n` body rows as rust_xlsxwriter saves a skeleton (header
    /// row, last row), beside another file.
    fn skeleton(n: usize) -> Vec<u8> {
        let mut z = ZipWriter::new(Cursor::new(Vec::new()));
        let o = SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).expect("starts");
        z.write_all(b"<Types/>").expect("writes");
        z.start_file("xl/worksheets/sheet1.xml", o).expect("starts");
        let xml = format!(
            "<worksheet><sheetData><row r=\"1\"><c/></row><row r=\"{}\"><c/></row></sheetData></worksheet>",
            n + 2
        );
        z.write_all(xml.as_bytes()).expect("writes");
        z.finish().expect("finishes").into_inner()
    }

    /// Every file of a package, inflated (the zip crate checks each CRC-32 as it reads).
    fn inflated(package: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut a = ZipArchive::new(Cursor::new(package)).expect("a zip");
        (0..a.len())
            .map(|i| {
                let mut f = a.by_index(i).expect("an entry");
                let mut data = Vec::new();
                f.read_to_end(&mut data).expect("inflates with its CRC-32");
                (f.name().expect("a name").to_string(), data)
            })
            .collect()
    }

    #[test]
    fn a_sheet_deflated_in_two_halves_inflates_to_the_sheet_deflated_whole() {
        for n in [2, 3, 10, 5_000] {
            let package = skeleton(n);
            let pending = |_| {
                vec![Pending {
                    number: 1,
                    body: Box::new(Numbered(n)) as Box<dyn Body>,
                }]
            };
            let sink = || Cursor::new(Vec::new());
            let whole = splice(&package, pending(()), 1, usize::MAX, sink())
                .expect("splices")
                .into_inner();
            let halves = splice(&package, pending(()), 1, 2, sink())
                .expect("splices")
                .into_inner();
            assert_ne!(whole, halves, "{n} rows: the halves are deflated apart");
            let (w, h) = (inflated(&whole), inflated(&halves));
            assert_eq!(w, h, "{n} rows");
            let sheet = String::from_utf8(w[1].1.clone()).expect("utf-8");
            assert!(sheet.starts_with("<worksheet><sheetData><row r=\"1\"><c/></row><row r=\"2\""));
            assert_eq!(sheet.matches("<row ").count(), n + 2, "{n} rows");
            assert!(sheet.ends_with(&format!(
                "<row r=\"{}\"><c/></row></sheetData></worksheet>",
                n + 2
            )));
            // The joined entry keeps the attributes of the entries ZipFileBuilder makes.
            let mut a = ZipArchive::new(Cursor::new(&halves[..])).expect("a zip");
            let f = a.by_name("xl/worksheets/sheet1.xml").expect("the sheet");
            assert_eq!(f.compression(), CompressionMethod::Deflated);
            assert_eq!(f.unix_mode().map(|m| m & 0o777), Some(0o600));
            assert_eq!(f.last_modified(), Some(DateTime::default()));
        }
    }

    #[test]
    fn column_names_run_like_excels() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16383]
            .into_iter()
            .map(col_name)
            .collect();
        assert_eq!(
            names,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn text_is_escaped_as_rust_xlsxwriter_escapes_it() {
        let cases = [
            ("plain", "plain"),
            ("a&b<c>d\"e'", "a&amp;b&lt;c&gt;d\"e'"),
            ("tab\tand\nline", "tab\tand\nline"),
            ("bell\u{7}cr\r", "bell_x0007_cr_x000D_"),
            ("_x0041_ is A", "_x005F_x0041_ is A"),
            ("_x004_ _xZZZZ_ _x", "_x004_ _xZZZZ_ _x"),
            ("non\u{FFFE}char\u{FFFF}", "non_xFFFE_char_xFFFF_"),
            ("\u{FEFF}bom and é", "\u{FEFF}bom and é"),
            ("_x1234__x00aF_", "_x005F_x1234__x005F_x00aF_"),
        ];
        for (input, want) in cases {
            let mut out = Vec::new();
            escape_into(&mut out, input);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{input:?}");
        }
    }

    #[test]
    fn rows_without_cells_are_left_out_unless_they_have_a_height() {
        let mut x = RowXml::new(3);
        x.start_row(1, None);
        x.text(0, "", Style::None);
        x.end_row();
        assert_eq!(x.as_str(), "");
        x.start_row(2, Some(30.0));
        x.end_row();
        assert_eq!(x.as_str(), "<row r=\"3\" ht=\"30\" customHeight=\"1\"/>");
        let mut x = RowXml::new(3);
        x.start_row(0, None);
        x.text(1, " padded", Style::Wrap);
        x.number(2, 1.5, Style::Top);
        x.number(0, f64::NAN, Style::None);
        x.end_row();
        assert_eq!(
            x.as_str(),
            "<row r=\"1\"><c r=\"B1\" s=\"2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> padded</t></is></c>\
             <c r=\"C1\" s=\"4\"><v>1.5</v></c><c r=\"A1\" t=\"inlineStr\"><is><t>NAN</t></is></c></row>"
        );
    }

    #[test]
    fn a_sheet_not_laid_out_as_expected_is_an_error_not_a_mixed_sheet() {
        let ok =
            "<worksheet><sheetData><row r=\"1\"><c/></row><row r=\"9\"/></sheetData></worksheet>";
        let (head, tail) = split_after_header(ok).expect("splits");
        assert!(head.ends_with("<c/></row>") && tail.starts_with("<row r=\"9\""));
        for bad in [
            "<worksheet><sheetData/></worksheet>",
            "<worksheet><sheetData><row r=\"1\" x14ac:dyDescent=\"0.25\"></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c/>",
        ] {
            assert!(split_after_header(bad).is_err(), "{bad}");
        }
    }
}
