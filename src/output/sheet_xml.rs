//! The data rows of the workbook's list sheets, written as worksheet XML here and spliced into
//! the package rust_xlsxwriter saved.
//!
//! rust_xlsxwriter stores every cell in a map and formats it through `write!`: about 0.6 µs a
//! cell, 1.6-2.3 s for a 100,000-account Accounts sheet (bench/README.md). So each list sheet is
//! saved by rust_xlsxwriter as a *skeleton*: everything but its data rows (header row, column
//! widths, autofilter or table, frozen pane, conditional formats, page setup) plus its last data
//! row, which keeps the sheet's `dimension` rust_xlsxwriter's own. The rows in between are
//! written here, byte for byte as rust_xlsxwriter's constant-memory writer writes them, streamed
//! into a deflate compressor of their own, each sheet on one of two threads.
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

/// Deflates one sheet: the skeleton's head, the rows written here, the skeleton's tail.
fn compress(
    name: &str,
    skeleton: &str,
    body: &dyn Body,
    level: i64,
) -> Result<zip::write::PreparedZipFile, XlsxError> {
    let (head, tail) = split_after_header(skeleton)?;
    let n = body.len();
    // The skeleton's next row must be its last data row (sheet row n + 1, 0-based), or the end
    // of the rows (a last row without a cell has no element).
    let next = format!("<row r=\"{}\"", n + 2);
    if !(tail.starts_with(&next) || tail.starts_with("</sheetData>")) {
        return Err(err(format!(
            "{name}: the row after the header is not the sheet's last row"
        )));
    }
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default());
    let mut z = ZipFileBuilder::new(name, options).map_err(err)?;
    z.write_all(head.as_bytes()).map_err(err)?;
    let mut xml = RowXml::new(body.columns());
    for i in 0..n {
        body.write(i, &mut xml);
        if xml.buffered() >= 1 << 18 {
            xml.drain_into(&mut z).map_err(err)?;
        }
    }
    xml.drain_into(&mut z).map_err(err)?;
    z.write_all(tail.as_bytes()).map_err(err)?;
    z.finish().map_err(err)
}

/// The package with every pending sheet's rows in place. The sheets are compressed on two
/// threads (the largest alone when it outweighs the rest); every other file is copied as
/// rust_xlsxwriter compressed it.
pub fn splice(
    skeleton: &[u8],
    pending: Vec<Pending<'_>>,
    level: i64,
) -> Result<Vec<u8>, XlsxError> {
    let mut archive = ZipArchive::new(Cursor::new(skeleton)).map_err(err)?;
    let mut jobs = Vec::new();
    for p in pending {
        let name = format!("xl/worksheets/sheet{}.xml", p.number);
        let mut xml = String::new();
        archive
            .by_name(&name)
            .map_err(err)?
            .read_to_string(&mut xml)
            .map_err(err)?;
        let weight = p.body.len() * p.body.columns();
        jobs.push((weight, name, xml, p.body));
    }
    // Two groups of about equal weight, heaviest first.
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
    let run = |group: Vec<(usize, String, String, Box<dyn Body + '_>)>| {
        group
            .into_iter()
            .map(|(_, name, xml, body)| {
                compress(&name, &xml, body.as_ref(), level).map(|z| (name, z))
            })
            .collect::<Result<Vec<_>, XlsxError>>()
    };
    let (a, b) = crate::par::beside(|| run(side), || run(here));
    let mut prepared = a.map_err(|_| err("a sheet writer thread failed"))??;
    prepared.extend(b?);
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(
        skeleton.len()
            + prepared
                .iter()
                .map(|(_, z)| z.compressed_size() as usize)
                .sum::<usize>(),
    )));
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(err)?;
        let name = file.name().map_err(err)?.into_owned();
        match prepared.iter().position(|(n, _)| *n == name) {
            Some(k) => {
                drop(file);
                let (_, z) = prepared.swap_remove(k);
                out.add_prepared_file(z).map_err(err)?;
            }
            None => out.raw_copy_file(file).map_err(err)?,
        }
    }
    if let Some((name, _)) = prepared.first() {
        return Err(err(format!("{name} is not in the package")));
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

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
