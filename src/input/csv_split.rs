//! The CSV record splitter behind `csv.rs`: the same records, field for field, as the `csv`
//! crate's reader (flexible, no headers, RFC 4180 quoting with `""` escapes, `\r`, `\n` and
//! `\r\n` ends, blank lines skipped), found 64 bytes at a time.
//!
//! Each 64-byte block becomes three bit masks (quotes, delimiters, line ends) from SSE2
//! compares (`wide`). A prefix XOR over the quote mask marks the bytes inside quotes, and the
//! delimiters and line ends outside them are the field and record boundaries.
//!
//! The masks alone do not reproduce the `csv` crate on unusual quoting. A quote inside an
//! unquoted value is a literal there, and a closing quote followed by text goes on as unquoted
//! text. So every quote is checked. An opening quote must start a field (or follow a closing
//! quote: the `""` escape), and a closing quote must be followed by a delimiter, a line end,
//! another quote or the end of the data. The first record with a quote that breaks this, or
//! that ends the file inside quotes, is parsed by `csv_core` (the `csv` crate's own state
//! machine). Scanning resumes after that record. Property tests in this file compare the
//! two readers on arbitrary input.

use std::borrow::Cow;
use std::io::{self, Read};

use wide::u8x16;

/// Initial buffer size; a record longer than the buffer grows it. (At least 64 bytes, so a
/// leading BOM is always seen whole.) Twice `csv.rs`'s read size, so once the reader's own
/// 1 MiB buffer is drained, reads go straight from the file into this one.
const BUF: usize = 2 << 20;

/// One record's fields: spans of raw (still quoted) bytes in the splitter's buffer, or the
/// unescaped output of `csv_core` for a record with unusual quoting.
enum Fields {
    Raw,
    Parsed,
}

pub struct Splitter<R> {
    inner: R,
    buf: Vec<u8>,
    /// Start of the bytes not yet returned (always a record start, outside quotes).
    pos: usize,
    /// End of the bytes read into `buf`.
    len: usize,
    eof: bool,
    delim: u8,
    /// Boundaries found by the last scan of `buf[pos..len]`: `offset << 1 | is_line_end`.
    marks: Vec<usize>,
    /// Next unused entry of `marks`.
    next_mark: usize,
    /// Where the last scan stopped at a quote it cannot split (None: it reached `len`).
    bad: Option<usize>,
    /// Bytes scanned since the splitter was made (what the linear-time test counts): a scan
    /// stops at the first quote it cannot split, so each byte is scanned about once even when
    /// every record needs csv_core.
    scanned: usize,
    /// The csv_core side, boxed (its tables are large, and rarely used).
    slow: Box<Slow>,
    /// The current record.
    kind: Fields,
    /// Its fields' spans: every field's, or with a projection only the projected fields' (by
    /// field number; the others hold stale values and are never read).
    spans: Vec<(usize, usize)>,
    /// With a projection (`project`): which boundaries the scan records, and the delimiter
    /// number of each recorded mark (`marks[k]` is delimiter `fields[k]` of its record, or the
    /// line end after that many delimiters).
    proj: Option<Projection>,
    fields: Vec<usize>,
    /// Delimiters of the record the last scan ended in (the data's last record, when it has no
    /// line end).
    tail_field: usize,
    /// With a projection: the current raw record's number of fields and its bytes.
    nfields: usize,
    rec: (usize, usize),
}

/// The fields a caller reads. Only the delimiters around them are recorded; the others are
/// counted a 64-byte block at a time.
struct Projection {
    /// By delimiter number within a record: bit 0, the delimiter ends a projected field; bit 1,
    /// the field after it is projected.
    keep: Vec<u8>,
    /// `next[k]`: the first delimiter number at or after `k` that `keep` records.
    next: Vec<usize>,
    /// By field number.
    wanted: Vec<bool>,
}

impl Projection {
    fn new(fields: &[usize]) -> Projection {
        let width = fields.iter().max().map_or(0, |m| m + 1);
        let mut wanted = vec![false; width];
        for &f in fields {
            wanted[f] = true;
        }
        let keep: Vec<u8> = (0..width)
            .map(|d| u8::from(wanted[d]) | u8::from(wanted.get(d + 1) == Some(&true)) << 1)
            .collect();
        let mut next = vec![usize::MAX; width + 1];
        for d in (0..width).rev() {
            next[d] = if keep[d] != 0 { d } else { next[d + 1] };
        }
        Projection { keep, next, wanted }
    }

    fn next_kept(&self, d: usize) -> usize {
        self.next.get(d).copied().unwrap_or(usize::MAX)
    }

    fn kept(&self, d: usize) -> u8 {
        self.keep.get(d).copied().unwrap_or(0)
    }

    fn wanted(&self, f: usize) -> bool {
        self.wanted.get(f).copied().unwrap_or(false)
    }
}

impl<R: Read> Splitter<R> {
    pub fn new(inner: R, delim: u8) -> Splitter<R> {
        Splitter::with_capacity(inner, delim, BUF)
    }

    pub fn with_capacity(inner: R, delim: u8, capacity: usize) -> Splitter<R> {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delim).build();
        // csv_core strips a UTF-8 BOM from the first input it is given; the slow path only sees
        // records in the middle of the stream, so it is primed with a blank line (a no-op).
        // A BOM at the very start of the stream is skipped in `fill` instead.
        let _ = core.read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
        Splitter {
            inner,
            buf: vec![0; capacity.max(64)],
            pos: 0,
            len: 0,
            eof: false,
            delim,
            marks: Vec::new(),
            next_mark: 0,
            bad: None,
            scanned: 0,
            slow: Box::new(Slow {
                core,
                parsed: vec![0; 1024],
                parsed_ends: vec![0; 64],
                parsed_len: 0,
                parsed_n: 0,
            }),
            kind: Fields::Raw,
            spans: Vec::new(),
            proj: None,
            fields: Vec::new(),
            tail_field: 0,
            nfields: 0,
            rec: (0, 0),
        }
    }

    /// From the next record on, only fields `fields` (field numbers) are read: `get` of any
    /// other field of a record split here is not answered. `len` and `all_empty` still cover
    /// every field. The rest of the buffer is scanned again for the new marks.
    pub fn project(&mut self, fields: &[usize]) {
        let p = Projection::new(fields);
        self.spans = vec![(0, 0); p.wanted.len()];
        self.proj = Some(p);
        self.scan();
    }

    /// Reads the next record; false at the end of the data.
    pub fn read_record(&mut self) -> io::Result<bool> {
        loop {
            if let Some(got) = self.fast_record() {
                return Ok(got);
            }
            if self.bad.is_some_and(|b| b >= self.pos) && self.slow_record()? {
                return Ok(true);
            }
            if self.bad.is_some_and(|b| b >= self.pos) {
                // csv_core needs more of the record than the buffer holds.
                if self.eof {
                    return Ok(false);
                }
                self.fill()?;
                continue;
            }
            if self.eof {
                return Ok(false);
            }
            self.fill()?;
        }
    }

    /// The current record's number of fields.
    pub fn len(&self) -> usize {
        match self.kind {
            Fields::Raw if self.proj.is_some() => self.nfields,
            Fields::Raw => self.spans.len(),
            Fields::Parsed => self.slow.parsed_n,
        }
    }

    /// Field `i` of the current record, unescaped. (With a projection, only a projected field.)
    pub fn get(&self, i: usize) -> Option<Cow<'_, [u8]>> {
        if let Some(p) = &self.proj
            && (!p.wanted(i) || matches!(self.kind, Fields::Raw) && i >= self.nfields)
        {
            return None;
        }
        match self.kind {
            Fields::Raw => {
                let &(s, e) = self.spans.get(i)?;
                Some(unquote(&self.buf[s..e]))
            }
            Fields::Parsed => {
                let e = *self.slow.parsed_ends[..self.slow.parsed_n].get(i)?;
                let s = if i == 0 {
                    0
                } else {
                    self.slow.parsed_ends[i - 1]
                };
                Some(Cow::Borrowed(&self.slow.parsed[s..e]))
            }
        }
    }

    /// Field `i` of the current record, unescaped, appended to `out`; false when there is no such
    /// field. The same bytes as `get`, without a buffer of its own for an escaped field.
    pub fn append_to(&self, i: usize, out: &mut Vec<u8>) -> bool {
        match self.kind {
            Fields::Raw => {
                if let Some(p) = &self.proj
                    && (!p.wanted(i) || i >= self.nfields)
                {
                    return false;
                }
                let Some(&(s, e)) = self.spans.get(i) else {
                    return false;
                };
                let raw = &self.buf[s..e];
                if raw.len() < 2 || raw[0] != b'"' {
                    out.extend_from_slice(raw);
                } else {
                    unescape_into(&raw[1..raw.len() - 1], out);
                }
                true
            }
            Fields::Parsed => match self.get(i) {
                Some(c) => {
                    out.extend_from_slice(&c);
                    true
                }
                None => false,
            },
        }
    }

    /// Is every field empty (Excel's `,,,,` for a blank row)?
    pub fn all_empty(&self) -> bool {
        match self.kind {
            Fields::Raw if self.proj.is_some() => {
                // Every field is empty or `""`: at most three bytes a field, and then the
                // record's own bytes tell (a field the scan accepted holds no stray quote, so
                // each piece between delimiters is one field when all are empty).
                let raw = &self.buf[self.rec.0..self.rec.1];
                raw.len() <= 3 * self.nfields
                    && raw
                        .split(|&b| b == self.delim)
                        .all(|f| f.is_empty() || f == b"\"\"")
            }
            Fields::Raw => self
                .spans
                .iter()
                .all(|&(s, e)| e == s || &self.buf[s..e] == b"\"\""),
            Fields::Parsed => self.slow.parsed_len == 0,
        }
    }

    /// The next record from the scanned marks, if one is complete. `None` when the marks run
    /// out (more data is needed, or the record holds a quote only csv_core can read).
    fn fast_record(&mut self) -> Option<bool> {
        if self.proj.is_some() {
            return self.fast_projected();
        }
        loop {
            let mut start = self.pos;
            self.spans.clear();
            let mut k = self.next_mark;
            let mut ended = false;
            while let Some(&m) = self.marks.get(k) {
                k += 1;
                let at = m >> 1;
                self.spans.push((start, at));
                start = at + 1;
                if m & 1 == 1 {
                    ended = true;
                    break;
                }
            }
            if !ended {
                // The last record of the data, without a line end.
                let tail_ok = self.eof && self.bad.is_none() && self.pos < self.len;
                if !tail_ok {
                    return None;
                }
                self.spans.push((start, self.len));
                start = self.len;
            }
            self.next_mark = k;
            let blank_line = self.spans.len() == 1 && self.spans[0].0 == self.spans[0].1 && ended;
            self.pos = start;
            if blank_line {
                continue;
            }
            self.kind = Fields::Raw;
            return Some(true);
        }
    }

    /// `fast_record` with a projection: the projected fields' spans from the recorded marks.
    fn fast_projected(&mut self) -> Option<bool> {
        let p = self.proj.as_ref()?;
        loop {
            let start = self.pos;
            if p.wanted(0) {
                self.spans[0].0 = start;
            }
            let mut k = self.next_mark;
            let mut end = None;
            while let Some(&m) = self.marks.get(k) {
                let d = self.fields.get(k).copied().unwrap_or(usize::MAX);
                k += 1;
                let at = m >> 1;
                if m & 1 == 1 {
                    end = Some((at, d));
                    break;
                }
                let keep = p.kept(d);
                if keep & 1 == 1 {
                    self.spans[d].1 = at;
                }
                if keep & 2 == 2 {
                    self.spans[d + 1].0 = at + 1;
                }
            }
            let ended = end.is_some();
            let (at, last) = match end {
                Some(e) => e,
                None => {
                    // The last record of the data, without a line end.
                    let tail_ok = self.eof && self.bad.is_none() && self.pos < self.len;
                    if !tail_ok {
                        return None;
                    }
                    (self.len, self.tail_field)
                }
            };
            if p.wanted(last) {
                self.spans[last].1 = at;
            }
            self.next_mark = k;
            self.nfields = last.saturating_add(1);
            self.rec = (start, at);
            self.pos = if ended { at + 1 } else { at };
            if ended && last == 0 && at == start {
                continue; // a blank line
            }
            self.kind = Fields::Raw;
            return Some(true);
        }
    }

    /// The record at `pos` through csv_core. False when more data is needed first.
    fn slow_record(&mut self) -> io::Result<bool> {
        let input = &self.buf[self.pos..self.len];
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        loop {
            let chunk = if nin < input.len() {
                &input[nin..]
            } else if self.eof {
                &[][..]
            } else {
                // Not all of the record is here yet: read more, then start it again.
                self.slow.core.reset();
                let _ = self
                    .slow
                    .core
                    .read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
                return Ok(false);
            };
            let (res, i, o, e) = self.slow.core.read_record(
                chunk,
                &mut self.slow.parsed[nout..],
                &mut self.slow.parsed_ends[nend..],
            );
            nin += i;
            nout += o;
            nend += e;
            match res {
                csv_core::ReadRecordResult::InputEmpty => {
                    if chunk.is_empty() {
                        // csv_core wants more after the end: cannot happen; treat as end.
                        return Ok(false);
                    }
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let n = self.slow.parsed.len() * 2;
                    self.slow.parsed.resize(n, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let n = self.slow.parsed_ends.len() * 2;
                    self.slow.parsed_ends.resize(n, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    self.slow.parsed_len = nout;
                    self.slow.parsed_n = nend;
                    self.pos += nin;
                    self.kind = Fields::Parsed;
                    self.scan();
                    return Ok(true);
                }
                csv_core::ReadRecordResult::End => {
                    self.pos = self.len;
                    self.slow.parsed_len = 0;
                    self.slow.parsed_n = 0;
                    self.bad = None;
                    self.marks.clear();
                    self.next_mark = 0;
                    return Ok(false);
                }
            }
        }
    }

    /// Moves the unread bytes to the front, reads more (growing the buffer when one record
    /// fills it), and scans them again.
    fn fill(&mut self) -> io::Result<()> {
        let first = self.len == 0 && self.pos == 0;
        self.buf.copy_within(self.pos..self.len, 0);
        self.len -= self.pos;
        self.pos = 0;
        if self.len == self.buf.len() {
            let n = self.buf.len() * 2;
            self.buf.resize(n, 0);
        }
        // Fill the buffer (or read to the end), so scans are not restarted for every small read
        // a decoder or zip entry returns.
        while self.len < self.buf.len() {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if first && self.buf[..self.len].starts_with(b"\xef\xbb\xbf") {
            // As csv_core does with the first bytes it is given.
            self.pos = 3;
        }
        self.scan();
        Ok(())
    }

    /// Finds the field and record boundaries in `buf[pos..len]`, stopping at the first quote
    /// the masks cannot interpret (`bad`).
    fn scan(&mut self) {
        self.marks.clear();
        self.fields.clear();
        self.next_mark = 0;
        self.bad = None;
        // Delimiters so far in the record being scanned (`pos` is a record start).
        let mut field = 0usize;
        self.tail_field = 0;
        let data = &self.buf[self.pos..self.len];
        let delim = self.delim;
        let (sq, sd, sn, sr) = (
            u8x16::splat(b'"'),
            u8x16::splat(delim),
            u8x16::splat(b'\n'),
            u8x16::splat(b'\r'),
        );
        let mut inside = 0u64; // all ones when the previous block ended inside quotes
        let mut prev_struct = 1u64; // bit 0: the byte before this block ends a field
        let mut prev_close = 0u64; // bit 0: the byte before this block is a closing quote
        let mut base = 0;
        while base < data.len() {
            let n = (data.len() - base).min(64);
            // A whole block is read in place; only the data's last, partial block is copied
            // (padded with zeros) first. (Copying every block cost a memcpy call and a stalled
            // reload of the copy: a fifth of the scan.)
            let mut last = [0u8; 64];
            let block: &[u8; 64] = match data.get(base..base + 64).map(<&[u8; 64]>::try_from) {
                Some(Ok(whole)) => whole,
                _ => {
                    last[..n].copy_from_slice(&data[base..base + n]);
                    &last
                }
            };
            let (mut q, mut d, mut nl) = (0u64, 0u64, 0u64);
            for k in 0..4 {
                let mut lane = [0u8; 16];
                lane.copy_from_slice(&block[k * 16..k * 16 + 16]);
                let v = u8x16::new(lane);
                let sh = k * 16;
                q |= u64::from(v.simd_eq(sq).to_bitmask()) << sh;
                d |= u64::from(v.simd_eq(sd).to_bitmask()) << sh;
                nl |= u64::from((v.simd_eq(sn) | v.simd_eq(sr)).to_bitmask()) << sh;
            }
            let valid = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            q &= valid;
            d &= valid;
            nl &= valid;
            let inq = prefix_xor(q) ^ inside;
            let open = q & inq;
            let close = q & !inq;
            let structural = (d | nl) & !inq;
            let field_start = (structural << 1) | prev_struct;
            let after_close = (close << 1) | prev_close;
            // The byte after each position is a delimiter, line end or quote (or the data's
            // end: a byte not read yet is rescanned with its record after the next read).
            let next_byte = data.get(base + 64).copied();
            let next_ok = match next_byte {
                Some(b) if n == 64 => {
                    u64::from(b == b'"' || b == delim || b == b'\n' || b == b'\r')
                }
                _ => 1,
            };
            let follow_ok = ((q | d | nl) >> 1) | (next_ok << 63) | !valid;
            let follow_ok = if n < 64 {
                follow_ok | (1u64 << (n - 1))
            } else {
                follow_ok
            };
            let bad = (open & !(field_start | after_close)) | (close & !follow_ok);
            let mut s = structural;
            let limit = if bad != 0 {
                let b = bad.trailing_zeros();
                self.bad = Some(self.pos + base + b as usize);
                // Boundaries before the bad quote only.
                s &= (1u64 << b) - 1;
                true
            } else {
                false
            };
            let at = self.pos + base;
            record_marks(
                self.proj.as_ref(),
                (&mut self.marks, &mut self.fields),
                (s, nl, at),
                &mut field,
            );
            self.tail_field = field;
            if limit {
                return;
            }
            inside = 0u64.wrapping_sub(inq >> 63);
            prev_struct = structural >> 63;
            prev_close = close >> 63;
            base += 64;
            self.scanned += n;
        }
        if self.eof && inside != 0 {
            // The data ends inside quotes: csv_core decides what the last record holds.
            self.bad = Some(self.len);
        }
    }
}

/// Records a block's boundaries `s` (line ends among them in `nl`, the block at offset `at`):
/// every one, or with a projection the delimiters around projected fields and every line end,
/// with the delimiter number of each (`field` counts the record's delimiters so far).
fn record_marks(
    proj: Option<&Projection>,
    (marks, fields): (&mut Vec<usize>, &mut Vec<usize>),
    (mut s, nl, at): (u64, u64, usize),
    field: &mut usize,
) {
    let Some(p) = proj else {
        while s != 0 {
            let i = s.trailing_zeros() as usize;
            marks.push(((at + i) << 1) | ((nl >> i) & 1) as usize);
            s &= s - 1;
        }
        return;
    };
    while s != 0 {
        let ends = s & nl;
        // The delimiters before the next line end (all of them when none).
        let before = if ends == 0 {
            s
        } else {
            s & (ends & ends.wrapping_neg()).wrapping_sub(1)
        };
        let n = before.count_ones() as usize;
        if p.next_kept(*field) >= field.saturating_add(n) {
            *field = field.saturating_add(n);
        } else {
            let mut d = before;
            while d != 0 {
                let i = d.trailing_zeros() as usize;
                if p.kept(*field) != 0 {
                    marks.push((at + i) << 1);
                    fields.push(*field);
                }
                *field = field.saturating_add(1);
                d &= d - 1;
            }
        }
        s &= !before;
        if s != 0 {
            // The lowest bit left is the line end.
            let i = s.trailing_zeros() as usize;
            marks.push(((at + i) << 1) | 1);
            fields.push(*field);
            *field = 0;
            s &= s - 1;
        }
    }
}

/// csv_core and its output for a record with unusual quoting.
struct Slow {
    core: csv_core::Reader,
    /// Output buffers, kept at their grown size (zero-filling them again for every record made
    /// each one cost as much as the largest before it); the current record uses
    /// `parsed[..parsed_len]` and `parsed_ends[..parsed_n]`.
    parsed: Vec<u8>,
    parsed_ends: Vec<usize>,
    parsed_len: usize,
    parsed_n: usize,
}

/// Prefix XOR: bit i is the parity of bits 0..=i.
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// A field's value: outer quotes removed and `""` read as `"`. (A field the scan accepted
/// either starts and ends with a quote, or holds none.)
fn unquote(raw: &[u8]) -> Cow<'_, [u8]> {
    if raw.len() < 2 || raw[0] != b'"' {
        return Cow::Borrowed(raw);
    }
    let inner = &raw[1..raw.len() - 1];
    if !inner.contains(&b'"') {
        return Cow::Borrowed(inner);
    }
    let mut out = Vec::with_capacity(inner.len());
    unescape_into(inner, &mut out);
    Cow::Owned(out)
}

/// The inside of a quoted field with each `""` made one `"`, appended to `out`. The quotes are
/// found 16 bytes at a time and the runs between them copied whole (a JSON cell has a quote every
/// few bytes).
fn unescape_into(inner: &[u8], out: &mut Vec<u8>) {
    out.reserve(inner.len());
    let quote = u8x16::splat(b'"');
    // Start of the bytes not yet copied, and where the search for the next quote goes on.
    let (mut from, mut at) = (0, 0);
    while at < inner.len() {
        let q = match inner.get(at..at + 16) {
            Some(chunk) => {
                let mut lane = [0u8; 16];
                lane.copy_from_slice(chunk);
                let m = u8x16::new(lane).simd_eq(quote).to_bitmask();
                if m == 0 {
                    at += 16;
                    continue;
                }
                at + m.trailing_zeros() as usize
            }
            None => match inner[at..].iter().position(|&b| b == b'"') {
                Some(p) => at + p,
                None => break,
            },
        };
        out.extend_from_slice(&inner[from..=q]);
        // The second quote of the pair is skipped.
        from = q + 2;
        at = from;
    }
    if let Some(rest) = inner.get(from..) {
        out.extend_from_slice(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unescaping_finds_every_doubled_quote_in_long_cells() {
        let naive = |inner: &[u8]| {
            let (mut out, mut i) = (Vec::new(), 0);
            while i < inner.len() {
                out.push(inner[i]);
                i += if inner[i] == b'"' { 2 } else { 1 };
            }
            out
        };
        let json =
            br#"[{""authenticationMethod"":""Text message"",""succeeded"":true},{""a"":""""}]"#;
        let mut cases: Vec<Vec<u8>> = vec![json.to_vec(), b"\"\"".to_vec(), b"x\"".to_vec()];
        for n in [0, 1, 15, 16, 17, 31, 32, 33, 47] {
            let mut c = vec![b'a'; n];
            c.extend_from_slice(b"\"\"");
            c.extend(std::iter::repeat_n(b'b', n));
            cases.push(c.clone());
            c.push(b'"');
            cases.push(c);
        }
        for c in cases {
            let mut out = b"keep".to_vec();
            unescape_into(&c, &mut out);
            assert_eq!(&out[4..], &naive(&c)[..], "{}", String::from_utf8_lossy(&c));
        }
    }

    fn ours(data: &[u8], delim: u8, cap: usize) -> Vec<Vec<Vec<u8>>> {
        let mut s = Splitter::with_capacity(data, delim, cap);
        let mut out = Vec::new();
        while s.read_record().expect("in-memory read") {
            let rec: Vec<Vec<u8>> = (0..s.len())
                .map(|i| s.get(i).map(|c| c.into_owned()).unwrap_or_default())
                .collect();
            assert_eq!(s.all_empty(), rec.iter().all(|f| f.is_empty()));
            for (i, f) in rec.iter().enumerate() {
                let mut appended = b"x".to_vec();
                assert!(s.append_to(i, &mut appended));
                assert_eq!(&appended[1..], &f[..]);
            }
            out.push(rec);
        }
        out
    }

    /// A record's projected fields (by field number, `None` where not projected), its field
    /// count and whether every field is empty.
    type Projected = (Vec<Option<Vec<u8>>>, usize, bool);

    /// The records as a projected splitter sees them: the projected fields (others `None`),
    /// the field count and `all_empty` of each, with the projection set before the first
    /// record or (as `csv.rs` does after the header) after it.
    fn ours_projected(
        data: &[u8],
        delim: u8,
        cap: usize,
        fields: &[usize],
        after_first: bool,
    ) -> Vec<Projected> {
        let mut s = Splitter::with_capacity(data, delim, cap);
        let mut out = Vec::new();
        let width = fields.iter().max().map_or(0, |m| m + 2);
        let mut first = after_first;
        if !after_first {
            s.project(fields);
        }
        while s.read_record().expect("in-memory read") {
            out.push((
                (0..width)
                    .map(|i| s.get(i).map(|c| c.into_owned()))
                    .collect::<Vec<_>>(),
                s.len(),
                s.all_empty(),
            ));
            if first {
                // This record was split whole: keep only the projected fields of it too.
                let rec = out.last_mut().expect("pushed");
                for (i, f) in rec.0.iter_mut().enumerate() {
                    if !fields.contains(&i) {
                        *f = None;
                    }
                }
                s.project(fields);
                first = false;
            }
        }
        out
    }

    /// What `ours_projected` must give, from the csv crate.
    fn reference_projected(data: &[u8], delim: u8, fields: &[usize]) -> Vec<Projected> {
        let width = fields.iter().max().map_or(0, |m| m + 2);
        reference(data, delim)
            .into_iter()
            .map(|rec| {
                let cells = (0..width)
                    .map(|i| fields.contains(&i).then(|| rec.get(i).cloned()).flatten())
                    .collect();
                let empty = rec.iter().all(|f| f.is_empty());
                (cells, rec.len(), empty)
            })
            .collect()
    }

    fn reference(data: &[u8], delim: u8) -> Vec<Vec<Vec<u8>>> {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while r.read_byte_record(&mut rec).expect("in-memory read") {
            out.push(rec.iter().map(|f| f.to_vec()).collect());
        }
        out
    }

    #[test]
    fn splits_like_the_csv_crate_on_hand_picked_cases() {
        let cases: &[&[u8]] = &[
            b"a,b,c\n1,2,3\n",
            b"\"a\",\"b,c\",\"d\"\"e\"\r\n\"x\ny\",,\"\"\n",
            b"a,b\n\n\r\n,\n,,\nlast",
            b"ab\"c,d\n",           // quote inside an unquoted value
            b"\"ab\"cd,e\n\"f\"\n", // text after a closing quote
            b"\"never closed,\nx\n",
            b"\xef\xbb\xbf\"h1\",h2\nv1,v2\n",
            b"x,\"a\"\"\"\n",
            b"\"\"\"\"\n",
            b" \"a\",b\n",
        ];
        for data in cases {
            for cap in [1, 3, 64, 1 << 20] {
                assert_eq!(
                    ours(data, b',', cap),
                    reference(data, b','),
                    "{:?} cap {cap}",
                    String::from_utf8_lossy(data)
                );
            }
        }
        // The cases really exercise both paths and both kinds of field.
        assert_eq!(
            ours(b"ab\"c,d\n", b',', 64),
            vec![vec![b"ab\"c".to_vec(), b"d".to_vec()]]
        );
        assert_eq!(
            ours(b"\"a\"\"b\",c", b',', 64),
            vec![vec![b"a\"b".to_vec(), b"c".to_vec()]]
        );
    }

    #[test]
    fn long_records_cross_blocks_and_buffers() {
        let mut data = Vec::new();
        for r in 0..300 {
            for c in 0..55 {
                if (r + c) % 7 == 0 {
                    data.extend_from_slice(format!("\"v{r}\"\"{c},\n\"").as_bytes());
                } else {
                    data.extend_from_slice(format!("\"value {r} {c}\"").as_bytes());
                }
                data.push(if c == 54 { b'\n' } else { b',' });
            }
        }
        for cap in [7, 100, 4096] {
            assert_eq!(ours(&data, b',', cap), reference(&data, b','));
        }
    }

    #[test]
    fn stray_quotes_in_every_record_are_split_in_linear_time() {
        // A hand-edited export with inch marks (`Monitor 27"`) in unquoted values: every
        // record goes through csv_core, and the scan must not rescan the buffer after each.
        let mut data = Vec::new();
        for r in 0..20_000 {
            data.extend_from_slice(format!("user{r}@x.com,Monitor 27\",{r}\n").as_bytes());
        }
        let mut s = Splitter::with_capacity(&data[..], b',', 1 << 20);
        let mut n = 0;
        while s.read_record().expect("in-memory read") {
            assert_eq!(s.len(), 3);
            n += 1;
        }
        assert_eq!(n, 20_000);
        assert!(
            s.scanned < 4 * data.len(),
            "scanned {} bytes for {} of data",
            s.scanned,
            data.len()
        );
        assert_eq!(ours(&data, b',', 1 << 20), reference(&data, b','));
    }

    #[test]
    fn one_huge_record_does_not_slow_down_every_later_one() {
        // After one 8 MB record through csv_core, each later csv_core record must cost its own
        // size, not the largest one's: its output buffer is not zero-filled again per record.
        let mut data = b"x\"".to_vec();
        data.extend(std::iter::repeat_n(b'a', 8 << 20));
        data.extend_from_slice(b",1\n");
        for r in 0..2_000 {
            data.extend_from_slice(format!("user{r}@x.com,Monitor 27\",{r}\n").as_bytes());
        }
        let mut s = Splitter::with_capacity(&data[..], b',', 1 << 20);
        assert!(s.read_record().expect("read"));
        assert_eq!(s.get(0).map(|c| c.len()), Some(8 << 20 | 2));
        let grown = s.slow.parsed.len();
        let mut n = 0;
        while s.read_record().expect("read") {
            assert_eq!(s.get(1).as_deref(), Some(&b"Monitor 27\""[..]));
            n += 1;
        }
        assert_eq!(n, 2_000);
        assert_eq!(
            s.slow.parsed.len(),
            grown,
            "the output buffer is reused, not rebuilt"
        );
    }

    #[test]
    fn a_projection_reads_its_fields_like_the_csv_crate() {
        let mut wide = Vec::new();
        for r in 0..200 {
            for c in 0..55 {
                match (r + c) % 9 {
                    0 => wide.extend_from_slice(format!("\"v{r}\"\"{c},\n\"").as_bytes()),
                    1 => {}
                    2 => wide.extend_from_slice(b"\"\""),
                    _ => wide.extend_from_slice(format!("\"value {r} {c}\"").as_bytes()),
                }
                wide.push(if c == 54 { b'\n' } else { b',' });
            }
            if r % 50 == 0 {
                wide.extend_from_slice(b",,,\n\"\",\"\"\r\n\n");
            }
        }
        wide.extend_from_slice(b"a,b,c"); // a last record without a line end
        let cases: Vec<&[u8]> = vec![
            &wide,
            b"a,b,c\n1,2,3\n",
            b"a,b\n\n\r\n,\n,,\nlast",
            b"ab\"c,d\n\"ab\"cd,e\n\"f\"\n",
            b"\"never closed,\nx\n",
            b"\xef\xbb\xbf\"h1\",h2\nv1,v2\n",
            b",\"\",,\"\"\n\"\",x,\n",
        ];
        let projections: &[&[usize]] = &[&[0], &[1], &[0, 2], &[3, 4, 20, 54], &[54], &[60], &[]];
        for data in &cases {
            for fields in projections {
                for cap in [3, 64, 4096, 1 << 20] {
                    for after_first in [false, true] {
                        assert_eq!(
                            ours_projected(data, b',', cap, fields, after_first),
                            reference_projected(data, b',', fields),
                            "{fields:?} cap {cap} after first {after_first}"
                        );
                    }
                }
            }
        }
        // Fields outside the projection are not answered.
        let mut s = Splitter::with_capacity(&b"a,b,c\n"[..], b',', 64);
        s.project(&[1]);
        assert!(s.read_record().expect("read"));
        assert_eq!(
            (s.get(0), s.get(1).as_deref(), s.len()),
            (None, Some(&b"b"[..]), 3)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn a_projection_splits_like_the_csv_crate(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b' ')
                ],
                0..300,
            ),
            fields in proptest::collection::btree_set(0usize..8, 0..4),
            cap in prop_oneof![Just(1usize), Just(5), Just(64), Just(1 << 16)],
            after_first in proptest::bool::ANY,
        ) {
            let fields: Vec<usize> = fields.into_iter().collect();
            prop_assert_eq!(
                ours_projected(&bytes, b',', cap, &fields, after_first),
                reference_projected(&bytes, b',', &fields)
            );
        }

        #[test]
        fn splits_like_the_csv_crate(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'),
                    Just(b';'), Just(b' '), Just(0xefu8), Just(0xbbu8), Just(0xbfu8)
                ],
                0..300,
            ),
            delim in prop_oneof![Just(b','), Just(b';')],
            cap in prop_oneof![Just(1usize), Just(5), Just(64), Just(200), Just(1 << 16)],
        ) {
            prop_assert_eq!(ours(&bytes, delim, cap), reference(&bytes, delim));
        }

        #[test]
        fn splits_quoted_tables_like_the_csv_crate(
            cells in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::string::string_regex("[a-z,\"\n]{0,12}").expect("regex"),
                    1..6,
                ),
                0..40,
            ),
            cap in prop_oneof![Just(16usize), Just(64), Just(1 << 16)],
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
            prop_assert_eq!(ours(&data, b',', cap), reference(&data, b','));
        }
    }
}
