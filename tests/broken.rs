//! Broken and hostile inputs, one test per case of `tests/corpus/` (written by
//! `scripts/make_corpus.py`; the 10 MB cell and the zip bombs are generated here, in a temp dir,
//! at test time). Each case ends in exit 2 with a message naming the file (and row and column
//! where there is one), or in a successful run that records the problem in `input-issues.csv`.
//! Always: no panic, every input reconciles (rows read = used + rejected), and an input error
//! leaves no output folder behind. Formula text is inert in every CSV and in the workbook.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

const AS_OF: &str = "2026-11-21";

fn corpus(rel: &str) -> String {
    root()
        .join("tests")
        .join("corpus")
        .join(rel)
        .display()
        .to_string()
}

fn reg() -> String {
    corpus("registration.csv")
}

fn assert_no_panic(o: &Output) {
    let e = stderr(o);
    for p in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(!e.contains(p), "panic text `{p}` in stderr:\n{e}");
    }
}

/// Runs `audit ARGS --out TMP/out` without asserting anything.
fn audit_raw(args: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_s = dir.path().join("out").display().to_string();
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &out_s]);
    (run(&all), dir)
}

/// An input error: exit 2, no panic, no output folder. Returns stderr.
fn expect_input_error(args: &[&str]) -> String {
    let (o, dir) = audit_raw(args);
    check_input_error(&o, &dir.path().join("out"), args)
}

fn check_input_error(o: &Output, out: &Path, args: &[&str]) -> String {
    assert_no_panic(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "audit {args:?}: expected exit 2 (input error); stderr:\n{}\nstdout:\n{}",
        stderr(o),
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        !out.exists(),
        "audit {args:?} failed with exit 2 but left {} behind: {:?}",
        out.display(),
        std::fs::read_dir(out).map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
    stderr(o)
}

/// A successful run: exit 0, no panic, every input listed and reconciled. Returns the temp dir.
fn expect_success(args: &[&str], inputs: &[&str]) -> tempfile::TempDir {
    let (o, dir) = audit_raw(args);
    assert_no_panic(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "audit {args:?}: expected success; stderr:\n{}",
        stderr(&o)
    );
    let s = json(&out(&dir).join("summary.json"));
    let list = s["inputs"].as_array().expect("summary.json inputs[]");
    for i in list {
        let (r, u, j) = (
            i["rowsRead"].as_u64(),
            i["rowsUsed"].as_u64(),
            i["rowsRejected"].as_u64(),
        );
        assert!(r.is_some() && u.is_some() && j.is_some(), "{i}");
        assert_eq!(
            r,
            Some(u.unwrap_or(0) + j.unwrap_or(0)),
            "read = used + rejected: {i}"
        );
    }
    for f in inputs {
        let name = Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(
            list.iter()
                .any(|i| i["path"].as_str().unwrap_or("").contains(&name)),
            "{name} missing from summary.json inputs: {list:?}"
        );
    }
    dir
}

/// summary.json's entry for the input whose path ends with `name`.
fn input_entry(dir: &tempfile::TempDir, name: &str) -> serde_json::Value {
    let s = json(&out(dir).join("summary.json"));
    s["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["path"].as_str().unwrap_or("").ends_with(name))
        .unwrap_or_else(|| panic!("no input {name} in {}", s["inputs"]))
        .clone()
}

fn issues(dir: &tempfile::TempDir) -> Vec<BTreeMap<String, String>> {
    read_maps(&out(dir).join("input-issues.csv"))
}

/// The input issue for file (path suffix), row and column; panics listing all issues if none.
fn issue(dir: &tempfile::TempDir, file: &str, row: &str, column: &str) -> BTreeMap<String, String> {
    let all = issues(dir);
    all.iter()
        .find(|i| i["file"].ends_with(file) && i["row"] == row && i["column"] == column)
        .cloned()
        .unwrap_or_else(|| panic!("no input issue for {file} row {row} column {column}: {all:#?}"))
}

fn accounts(dir: &tempfile::TempDir) -> BTreeMap<String, BTreeMap<String, String>> {
    read_maps(&out(dir).join("accounts.csv"))
        .into_iter()
        .map(|r| (r["userPrincipalName"].to_lowercase(), r))
        .collect()
}

fn has_any(s: &str, words: &[&str]) -> bool {
    let l = s.to_lowercase();
    words.iter().any(|w| l.contains(w))
}

// ------------------------------------------------------------------------------------------
// CSV structure

/// The stricter choice: a quote that never closes swallows every later row, so keeping
/// "what parsed" would silently drop erin and frank. Exit 2 at the row where the quote opened.
#[test]
fn truncated_csv_mid_quote_is_an_error_at_the_row_where_the_quote_opened() {
    let e = expect_input_error(&[
        &corpus("truncated-quote-users.csv"),
        &reg(),
        "--as-of",
        AS_OF,
    ]);
    assert!(e.contains("truncated-quote-users.csv"), "{e}");
    assert!(e.contains("row 5"), "the quote opened on row 5 (dave): {e}");
    assert!(
        e.contains("displayName"),
        "the quote opened in displayName: {e}"
    );
    assert!(
        has_any(&e, &["quote"]),
        "says a closing quote was expected: {e}"
    );
}

/// CRLF, LF and bare CR in one file: every row read, no carriage return left in a value.
#[test]
fn mixed_line_endings_read_every_row_cleanly() {
    let f = corpus("mixed-line-endings-users.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = input_entry(&d, "mixed-line-endings-users.csv");
    assert_eq!(i["rowsRead"].as_u64(), Some(6), "{i}");
    assert_eq!(i["rowsRejected"].as_u64(), Some(0), "{i}");
    let a = accounts(&d);
    assert_eq!(a.len(), 6, "{:?}", a.keys());
    for (upn, r) in &a {
        for (c, v) in r {
            assert!(!v.contains('\r') && !v.contains('\n'), "{upn} {c} = {v:?}");
        }
    }
    assert_eq!(
        a["frank@fabrikam.com"]["createdDateTime"],
        "2024-10-13T21:05:12Z"
    );
    assert_eq!(a["bob@fabrikam.com"]["usageLocation"], "US");
}

/// NUL bytes in a value: the row is kept, the NULs do not reach any output, and the issue
/// names file, row and column.
#[test]
fn nul_bytes_are_removed_and_recorded() {
    let f = corpus("nul-bytes-users.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = issue(&d, "nul-bytes-users.csv", "3", "displayName");
    assert_eq!(i["action"], "kept", "{i:?}");
    let a = accounts(&d);
    assert_eq!(a.len(), 6);
    let name = &a["bob@fabrikam.com"]["displayName"];
    assert!(
        !name.contains('\0') && name.contains("Bob") && name.contains("Baker"),
        "{name:?}"
    );
    assert_eq!(
        input_entry(&d, "nul-bytes-users.csv")["rowsRead"].as_u64(),
        Some(6)
    );
    for entry in walk(&out(&d)) {
        let bytes = std::fs::read(&entry).expect("output");
        if entry.extension().is_some_and(|x| x == "csv") {
            assert!(!bytes.contains(&0), "NUL byte in {}", entry.display());
        }
    }
}

/// A 10 MB displayName (generated here, not committed). The account exists, so its row is
/// kept; the value is recorded as an issue; no output cell exceeds Excel's 32,767-character
/// limit (a longer cell is cut or split by Excel, and the workbook could not hold it).
#[test]
fn a_ten_megabyte_cell_is_kept_recorded_and_bounded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("huge-cell-users.csv");
    let mut s = String::from(
        "userPrincipalName,displayName,id,accountEnabled,mobilePhone,usageLocation,createdDateTime\r\n\
         alice@fabrikam.com,Alice Anders,567619f0-11b8-4a84-8a24-93cc1038ba5d,True,+1 425 555 0100,US,8/19/2021 1:25:31 PM\r\n\
         bob@fabrikam.com,",
    );
    s.push_str(&"B".repeat(10 * 1024 * 1024));
    s.push_str(
        ",54dbb3f2-d7b9-4d71-908d-85bf11210e81,True,,US,3/14/2023 10:00:00 AM\r\n\
         carol@fabrikam.com,Carol Chen,e452768d-78a2-4ebb-a0ae-c3cb1bb8dc6d,True,+44 7400 123460,GB,1/5/2022 9:00:00 AM\r\n",
    );
    std::fs::write(&path, s).expect("write");
    let f = path.display().to_string();
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = issue(&d, "huge-cell-users.csv", "3", "displayName");
    assert_eq!(i["action"], "kept", "{:?}", (&i["problem"], &i["action"]));
    assert!(
        i["value"].chars().count() <= 32_767,
        "issue value is {} chars",
        i["value"].len()
    );
    let a = accounts(&d);
    assert!(a.contains_key("bob@fabrikam.com"), "bob kept");
    assert_eq!(
        input_entry(&d, "huge-cell-users.csv")["rowsRead"].as_u64(),
        Some(3)
    );
    for entry in walk(&out(&d)) {
        if entry.extension().is_some_and(|x| x == "csv") {
            let (h, rows) = read_csv(&entry);
            for r in std::iter::once(&h).chain(rows.iter()) {
                for v in r {
                    assert!(
                        v.chars().count() <= 32_767,
                        "{}: a {}-character cell",
                        entry.display(),
                        v.len()
                    );
                }
            }
        }
    }
    assert!(out(&d).join("mfa-readiness.xlsx").exists());
}

/// docs/inputs.md, "Columns are matched by name": a repeated header keeps the first and notes the duplicate; an empty header is
/// noted too (its column is not read), and neither stops the read.
#[test]
fn duplicate_and_empty_headers_keep_the_first_and_are_recorded() {
    let f = corpus("duplicate-empty-headers-users.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = issue(&d, "duplicate-empty-headers-users.csv", "1", "displayName");
    assert_eq!(i["action"], "ignored", "{i:?}");
    let all = issues(&d);
    assert!(
        all.iter()
            .any(|i| i["file"].ends_with("duplicate-empty-headers-users.csv")
                && i["row"] == "1"
                && i["action"] == "ignored"
                && (has_any(&i["problem"], &["empty", "no name", "blank", "unnamed"]))),
        "no issue for the empty header (column 6): {all:#?}"
    );
    let a = accounts(&d);
    assert_eq!(a.len(), 6);
    assert_eq!(
        a["alice@fabrikam.com"]["displayName"], "Alice Anders",
        "first displayName used"
    );
    assert_eq!(a["frank@fabrikam.com"]["displayName"], "José Müller");
}

/// A users export with a header and no rows is a failed export (a tenant always has users);
/// auditing it would report a clean tenant. The stricter choice: exit 2.
#[test]
fn a_header_only_users_file_is_an_error() {
    let e = expect_input_error(&[&corpus("header-only-users.csv"), &reg(), "--as-of", AS_OF]);
    assert!(e.contains("header-only-users.csv"), "{e}");
    assert!(
        has_any(
            &e,
            &[
                "no data",
                "no rows",
                "header only",
                "only a header",
                "no user",
                "no account"
            ]
        ),
        "says there are no data rows: {e}"
    );
}

#[test]
fn an_empty_file_is_an_error() {
    let e = expect_input_error(&[
        &corpus("empty/exportUsers_2026-11-21.csv"),
        &reg(),
        "--as-of",
        AS_OF,
    ]);
    assert!(
        e.contains("exportUsers_2026-11-21.csv") && has_any(&e, &["empty"]),
        "{e}"
    );
}

/// Pipe-separated: one header cell holding every name. The message must say the delimiter is
/// the problem (comma, semicolon or tab expected), not only that a column is missing.
#[test]
fn a_wrong_delimiter_is_an_error_saying_so() {
    let e = expect_input_error(&[
        "--users",
        &corpus("pipe-delimited-users.csv"),
        &reg(),
        "--as-of",
        AS_OF,
    ]);
    assert!(
        e.contains("pipe-delimited-users.csv") && e.contains("userPrincipalName"),
        "{e}"
    );
    assert!(
        has_any(&e, &["delimit", "separat"]),
        "names the delimiter problem: {e}"
    );
}

// ------------------------------------------------------------------------------------------
// Files that are not what their name says

/// A PDF saved as exportUsers_....csv: refused, saying what it is, not listing its bytes as
/// "headers".
#[test]
fn a_pdf_under_a_csv_name_is_an_error_saying_what_it_is() {
    let e = expect_input_error(&[
        &corpus("misnamed-pdf/exportUsers_2026-11-21.csv"),
        &reg(),
        "--as-of",
        AS_OF,
    ]);
    assert!(e.contains("exportUsers_2026-11-21.csv"), "{e}");
    assert!(
        has_any(
            &e,
            &[
                "pdf document",
                "pdf file",
                "a pdf",
                "binary",
                "not a csv",
                "not text"
            ]
        ),
        "says it is a PDF / not a text export: {e}"
    );
}

/// A workbook saved under a .csv name: the format comes from the content, so it is read.
#[test]
fn an_xlsx_under_a_csv_name_is_read_as_xlsx() {
    let f = corpus("misnamed-xlsx/exportUsers_2026-11-21.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = input_entry(&d, "exportUsers_2026-11-21.csv");
    assert!(i["format"].as_str().unwrap_or("").contains("XLSX"), "{i}");
    assert_eq!(i["rowsRead"].as_u64(), Some(6), "{i}");
    assert_eq!(
        accounts(&d)["frank@fabrikam.com"]["displayName"],
        "José Müller"
    );
}

/// A Graph error body saved as the users page: neither a page (`value`) nor an array.
#[test]
fn json_that_is_neither_a_page_nor_an_array_is_an_error() {
    let e = expect_input_error(&[&corpus("graph-error-users.json"), &reg(), "--as-of", AS_OF]);
    assert!(e.contains("graph-error-users.json"), "{e}");
    assert!(
        has_any(&e, &["value", "array"]),
        "says a page or array was expected: {e}"
    );
}

// ------------------------------------------------------------------------------------------
// Workbooks

/// Cover sheet, review notes (which also have a userPrincipalName column), pivot, and the
/// export last: the export is the sheet whose headers match, and the tool says which.
#[test]
fn of_several_sheets_the_matching_one_is_read_and_named() {
    let f = corpus("several-sheets-users.xlsx");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let a = accounts(&d);
    assert_eq!(
        a.len(),
        6,
        "the export sheet, not the notes: {:?}",
        a.keys()
    );
    assert_eq!(a["frank@fabrikam.com"]["displayName"], "José Müller");
    let summary = std::fs::read_to_string(out(&d).join("summary.json")).expect("summary");
    assert!(
        summary.contains("Export 2026-11-21"),
        "summary names the sheet read"
    );
    let o = run(&["inspect", &f]);
    assert_no_panic(&o);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("Export 2026-11-21"),
        "inspect names the sheet read: {t}"
    );
}

#[test]
fn a_password_protected_workbook_is_an_error_saying_so() {
    let e = expect_input_error(&[
        &corpus("password-protected-users.xlsx"),
        &reg(),
        "--as-of",
        AS_OF,
    ]);
    assert!(e.contains("password-protected-users.xlsx"), "{e}");
    assert!(has_any(&e, &["password", "encrypt"]), "{e}");
}

#[test]
fn a_corrupt_workbook_is_an_error() {
    let e = expect_input_error(&[&corpus("corrupt-users.xlsx"), &reg(), "--as-of", AS_OF]);
    assert!(e.contains("corrupt-users.xlsx"), "{e}");
    assert!(
        has_any(
            &e,
            &["corrupt", "not a valid", "damaged", "truncated", "invalid"]
        ),
        "{e}"
    );
}

// ------------------------------------------------------------------------------------------
// Zip bombs, generated here

/// The first rows of the bomb sheet; must match BOMB_PREFIX in scripts/make_corpus.py.
const BOMB_PREFIX: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\
<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>userPrincipalName</t></is></c></row>\
<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>";
const BOMB_SUFFIX: &[u8] = b"</t></is></c></row></sheetData></worksheet>";

struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, v: u32, n: u32) {
        for i in 0..n {
            self.acc |= ((v >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                (self.acc, self.n) = (0, 0);
            }
        }
    }
    fn align(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
            (self.acc, self.n) = (0, 0);
        }
    }
    fn stored(&mut self, data: &[u8], last: bool) {
        self.put(last as u32, 1);
        self.put(0, 2);
        self.align();
        let n = data.len() as u16;
        self.out.extend_from_slice(&n.to_le_bytes());
        self.out.extend_from_slice(&(!n).to_le_bytes());
        self.out.extend_from_slice(data);
    }
}

/// Raw deflate of PREFIX + "A" x (1 + 258 * matches) + SUFFIX: one dynamic-Huffman block whose
/// only codes are length 258 and distance 1 (1 bit each), i.e. about 1,000:1.
fn bomb_deflate(matches: u64) -> Vec<u8> {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    let mut head = BOMB_PREFIX.to_vec();
    head.push(b'A');
    b.stored(&head, false);
    b.put(0, 1);
    b.put(2, 2); // dynamic Huffman
    b.put(29, 5); // 286 literal/length codes
    b.put(1, 5); // 2 distance codes
    b.put(14, 4); // 18 code-length codes
    for sym in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1] {
        b.put(if sym == 1 || sym == 18 { 1 } else { 0 }, 3);
    }
    // Code lengths: code-length symbol 1 -> bit 0, symbol 18 (zeros) -> bit 1.
    let zeros = |b: &mut Bits, n: u32| {
        b.put(1, 1);
        b.put(n - 11, 7);
    };
    zeros(&mut b, 138);
    zeros(&mut b, 118); // literals 0..=255 unused
    b.put(0, 1); // 256 (end of block): length 1
    zeros(&mut b, 28); // 257..=284 unused
    b.put(0, 1); // 285 (length 258): length 1
    b.put(0, 1);
    b.put(0, 1); // distances 1 and 2: length 1
    for _ in 0..matches {
        b.put(1, 1); // length 258
        b.put(0, 1); // distance 1
    }
    b.put(0, 1); // end of block
    b.stored(BOMB_SUFFIX, true);
    b.out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &x in data {
        c ^= x as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A zip of (name, method, data as stored, crc, declared uncompressed size).
fn zip(entries: &[(&str, u16, Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut z = Vec::new();
    let mut cd = Vec::new();
    for (name, method, data, crc, usize_) in entries {
        let off = z.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(&usize_.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut z);
        z.extend_from_slice(name.as_bytes());
        z.extend_from_slice(data);
        cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        cd.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut cd);
        cd.extend_from_slice(&[0; 8]); // comment len, disk, internal attr, external attr (part)
        cd.extend_from_slice(&[0; 2]);
        cd.extend_from_slice(&off.to_le_bytes());
        cd.extend_from_slice(name.as_bytes());
    }
    let cd_off = z.len() as u32;
    z.extend_from_slice(&cd);
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    z.extend_from_slice(&[0; 4]);
    let n = entries.len() as u16;
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    z.extend_from_slice(&cd_off.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

/// A workbook whose one sheet is the bomb. `declared`: the uncompressed size written in the
/// zip headers (the true one, or a lie).
fn bomb_xlsx(matches: u64, crc: u32, declared: Option<u32>) -> Vec<u8> {
    let stored = |name: &'static str, s: &str| {
        (
            name,
            0u16,
            s.as_bytes().to_vec(),
            crc32(s.as_bytes()),
            s.len() as u32,
        )
    };
    let real = BOMB_PREFIX.len() as u64 + 1 + 258 * matches + BOMB_SUFFIX.len() as u64;
    let entries = vec![
        stored(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        stored(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        stored(
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        stored(
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            8,
            bomb_deflate(matches),
            crc,
            declared.unwrap_or(real as u32),
        ),
    ];
    zip(&entries)
}

/// Runs the binary with a 3 GB address-space limit and a time limit, so that a tool that does
/// not refuse the bomb fails this test instead of taking the machine down.
fn run_limited(args: &[&str]) -> Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 3000000; exec timeout 180 \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("sh runs")
}

fn check_bomb(name: &str, bytes: Vec<u8>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join(name);
    std::fs::write(&path, &bytes).expect("write bomb");
    let p = path.display().to_string();
    let out_dir = tmp.path().join("out");
    let o_s = out_dir.display().to_string();
    let args = ["audit", &p, &reg(), "--as-of", AS_OF, "--out", &o_s];
    let o = run_limited(&args);
    let e = check_input_error(&o, &out_dir, &args);
    assert!(e.contains(name), "{e}");
    assert!(
        has_any(
            &e,
            &[
                "zip bomb",
                "decompress",
                "expands",
                "inflate",
                "declared",
                "uncompressed size"
            ]
        ) && !e.contains("no sheet with a header row"),
        "a clear refusal naming the real cause (the size), not a symptom: {e}"
    );
    let o = run_limited(&["inspect", &p]);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(2), "inspect: {}", stderr(&o));
}

/// ~1 MB that inflates to ~1 GB (1,000:1), sizes declared honestly in the zip headers.
#[test]
fn a_zip_bomb_workbook_is_refused() {
    // CRC from `python3 scripts/make_corpus.py --bomb-crc`.
    check_bomb("bomb-users.xlsx", bomb_xlsx(4_200_000, 0xd2b4_89ed, None));
}

/// ~3 MB that inflates to ~3 GB while its zip headers claim 4 KiB: a check of the declared
/// sizes alone does not catch it; the read must stop at a limit all the same.
#[test]
fn a_zip_bomb_lying_about_its_size_is_refused() {
    check_bomb(
        "lying-bomb-users.xlsx",
        bomb_xlsx(12_000_000, 0x7524_514a, Some(4096)),
    );
}

// ------------------------------------------------------------------------------------------
// Values Excel mangled

/// frank's 4.25555E+11 lost its last digits: not usable as a phone (never pre-populated), recorded.
/// '+1 425 555 0101 (Excel's text apostrophe) and 14255550102 (the + eaten) are recovered.
#[test]
fn phone_numbers_excel_mangled_in_a_csv() {
    let f = corpus("excel-phones-users.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let i = issue(&d, "excel-phones-users.csv", "7", "mobilePhone");
    assert_eq!(i["action"], "kept", "{i:?}");
    assert_eq!(i["value"], "4.25555E+11");
    assert!(
        has_any(&i["problem"], &["scientific", "e+", "digits", "excel"]),
        "says Excel's scientific notation lost digits: {i:?}"
    );
    let a = accounts(&d);
    let n = &a["frank@fabrikam.com"]["mobilePhoneNormalized"];
    assert!(
        !n.starts_with('+') && !n.contains("425555"),
        "no number made up: {n:?}"
    );
    assert_eq!(
        a["bob@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550101"
    );
    assert_eq!(
        a["carol@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550102"
    );
    let pre = read_maps(&out(&d).join("bulk/phone-methods-prepopulate.csv"));
    let phones: BTreeMap<String, String> = pre
        .iter()
        .map(|r| {
            (
                r["userPrincipalName"].to_lowercase(),
                r["phoneNumber"].clone(),
            )
        })
        .collect();
    assert_eq!(
        phones.get("bob@fabrikam.com").map(String::as_str),
        Some("+1 4255550101")
    );
    assert_eq!(
        phones.get("carol@fabrikam.com").map(String::as_str),
        Some("+1 4255550102")
    );
    assert!(
        !phones.values().any(|p| p.contains("425555000000")),
        "{phones:?}"
    );
}

/// Number cells: the full value is in the cell whatever its display format (0.00E+00).
#[test]
fn phone_numbers_as_number_cells_in_a_workbook() {
    let f = corpus("excel-phones-users.xlsx");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let a = accounts(&d);
    assert_eq!(
        a["alice@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550100"
    );
    assert_eq!(
        a["bob@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550101"
    );
    assert_eq!(
        a["carol@fabrikam.com"]["mobilePhoneNormalized"],
        "+1 4255550102"
    );
    let pre =
        std::fs::read_to_string(out(&d).join("bulk/phone-methods-prepopulate.csv")).expect("bulk");
    assert!(
        pre.contains("+1 4255550101") && pre.contains("+1 4255550102"),
        "{pre}"
    );
}

/// A date column left as General before saving as CSV: Excel serials (1900 system).
#[test]
fn excel_serial_dates_in_a_csv() {
    let f = corpus("excel-serial-dates-users.csv");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let a = accounts(&d);
    assert_eq!(
        a["alice@fabrikam.com"]["createdDateTime"],
        "2021-08-19T12:00:00Z"
    );
    assert_eq!(
        a["bob@fabrikam.com"]["createdDateTime"],
        "2023-03-14T06:00:00Z"
    );
    assert_eq!(
        a["carol@fabrikam.com"]["createdDateTime"],
        "2026-11-21T00:00:00Z"
    );
    assert_eq!(
        a["dave@fabrikam.com"]["createdDateTime"],
        "2022-03-18T19:49:35Z"
    );
    assert!(
        !issues(&d)
            .iter()
            .any(|i| i["column"] == "createdDateTime" && i["action"] == "rejected"),
        "{:#?}",
        issues(&d)
    );
}

/// Serial numbers in General-format number cells (not date cells).
#[test]
fn excel_serial_dates_in_a_workbook() {
    let f = corpus("excel-serial-dates-users.xlsx");
    let d = expect_success(&[&f, &reg(), "--as-of", AS_OF], &[&f]);
    let a = accounts(&d);
    assert_eq!(
        a["alice@fabrikam.com"]["createdDateTime"],
        "2021-08-19T12:00:00Z"
    );
    assert_eq!(
        a["bob@fabrikam.com"]["createdDateTime"],
        "2023-03-14T06:00:00Z"
    );
    assert_eq!(
        a["carol@fabrikam.com"]["createdDateTime"],
        "2026-11-21T00:00:00Z"
    );
}

// ------------------------------------------------------------------------------------------
// The same user across files

/// Alice@Fabrikam.COM in users, "  alice@FABRIKAM.com " in registration: one account,
/// registered; the spaces are recorded on the registration row.
#[test]
fn upns_differing_in_case_and_spaces_join_to_one_account() {
    let (u, r) = (
        corpus("upn-case/users.csv"),
        corpus("upn-case/registration.csv"),
    );
    let d = expect_success(&[&u, &r, "--as-of", AS_OF], &[&u, &r]);
    let a = accounts(&d);
    assert_eq!(
        a.keys().cloned().collect::<Vec<_>>(),
        [
            "alice@fabrikam.com",
            "bob@fabrikam.com",
            "carol@fabrikam.com"
        ]
    );
    assert_eq!(a["alice@fabrikam.com"]["isMfaRegistered"], "true");
    assert_eq!(a["bob@fabrikam.com"]["isMfaRegistered"], "false");
    assert_eq!(a["carol@fabrikam.com"]["isMfaRegistered"], "true");
    let f = findings_by_upn(&out(&d));
    assert!(
        !f.values().any(|c| c.contains("registration-unknown")),
        "every registration row matched: {f:?}"
    );
    let i = issue(&d, "upn-case/registration.csv", "2", "userPrincipalName");
    assert_eq!(i["action"], "kept", "{i:?}");
    assert!(has_any(&i["problem"], &["space"]), "{i:?}");
    assert_eq!(
        input_entry(&d, "upn-case/registration.csv")["rowsRejected"].as_u64(),
        Some(0)
    );
}

/// carol in two users exports with different phone and name, the older given first. The newer
/// export wins by the date in its file name, not by command-line or name order (`2026-11-1`
/// sorts before `2026-11-21`; real exports are not zero-padded). The issue on the losing row
/// names the winning file and why.
#[test]
fn conflicting_values_across_files_say_which_file_won_and_why() {
    let newer = corpus("conflict/exportUsers_2026-11-21.csv");
    let older = corpus("conflict/exportUsers_2026-11-1.csv");
    let d = expect_success(
        &[&older, &newer, &reg(), "--as-of", AS_OF],
        &[&older, &newer],
    );
    let a = accounts(&d);
    assert_eq!(a.len(), 3, "{:?}", a.keys());
    assert_eq!(a["carol@fabrikam.com"]["mobilePhone"], "+44 7400 999999");
    assert_eq!(a["carol@fabrikam.com"]["displayName"], "Carol Chen-Smith");
    let all = issues(&d);
    let i = all
        .iter()
        .find(|i| {
            i["file"].ends_with("exportUsers_2026-11-1.csv")
                && i["row"] == "4"
                && (i["column"] == "mobilePhone" || i["problem"].contains("mobilePhone"))
        })
        .unwrap_or_else(|| {
            panic!("no issue on the losing row (older file, row 4, mobilePhone): {all:#?}")
        });
    assert!(
        i["problem"].contains("exportUsers_2026-11-21.csv"),
        "names the winning file: {i:?}"
    );
    assert!(
        has_any(
            &i["problem"],
            &["newer", "newest", "latest", "more recent", "later"]
        ),
        "says why it won: {i:?}"
    );
    assert!(
        // The row is merged into carol's account; its conflicting value is not used.
        i["action"] == "kept" || i["action"] == "ignored",
        "{i:?}"
    );
}

// ------------------------------------------------------------------------------------------
// Formula text

const MARKERS: &[&str] = &[
    "HYPERLINK",
    "calc'!A0",
    "mspaint",
    "notepad",
    "BOOLX",
    "TABBED",
    "CRLEAD",
    "METHX",
    "UPNX",
];

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

fn dangerous(v: &str) -> bool {
    v.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Formula text from users and registration files (names, phone, boolean, method list, UPN)
/// is written inert everywhere: no CSV field that carries it starts with = + - @ tab or CR,
/// every workbook cell that carries it is a string (never a formula), and none of it is lost.
#[test]
fn formula_text_is_inert_in_every_output() {
    let (u, r) = (
        corpus("formula/users.csv"),
        corpus("formula/registration.csv"),
    );
    let d = expect_success(&[&u, &r, "--as-of", AS_OF], &[&u, &r]);
    let mut seen_csv = std::collections::BTreeSet::new();
    for f in walk(&out(&d))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
    {
        let (h, rows) = read_csv(&f);
        for row in std::iter::once(&h).chain(rows.iter()) {
            for v in row {
                for m in MARKERS {
                    if v.contains(m) {
                        seen_csv.insert(*m);
                        assert!(!dangerous(v), "{}: live formula text {v:?}", f.display());
                    }
                }
            }
        }
    }
    assert_eq!(
        seen_csv.len(),
        MARKERS.len(),
        "lost from the CSVs: {:?}",
        MARKERS
            .iter()
            .filter(|m| !seen_csv.contains(*m))
            .collect::<Vec<_>>()
    );

    let mut x: Xlsx<_> = open_workbook(out(&d).join("mfa-readiness.xlsx")).expect("workbook");
    let mut seen_xlsx = std::collections::BTreeSet::new();
    for sheet in x.sheet_names().to_vec() {
        let formulas = x.worksheet_formula(&sheet).expect("formulas");
        for (row, col, f) in formulas.used_cells() {
            assert!(
                !MARKERS.iter().any(|m| f.contains(m)),
                "{sheet} ({row},{col}): input text became a formula: {f}"
            );
        }
        let range = x.worksheet_range(&sheet).expect("range");
        for (row, col, c) in range.used_cells() {
            let text = c.to_string();
            if MARKERS.iter().any(|m| text.contains(m)) {
                MARKERS.iter().filter(|m| text.contains(**m)).for_each(|m| {
                    seen_xlsx.insert(*m);
                });
                assert!(
                    matches!(c, Data::String(_)),
                    "{sheet} ({row},{col}) is {c:?}"
                );
            }
        }
    }
    assert_eq!(
        seen_xlsx.len(),
        MARKERS.len(),
        "lost from the workbook: {:?}",
        MARKERS
            .iter()
            .filter(|m| !seen_xlsx.contains(*m))
            .collect::<Vec<_>>()
    );
}

// ------------------------------------------------------------------------------------------
// Every corpus file through inspect

/// `inspect` on each corpus file on its own: exit 0 or 2, never a panic, and rows reconcile.
#[test]
fn inspect_never_panics_on_any_corpus_file() {
    for f in walk(&root().join("tests").join("corpus")) {
        let p = f.display().to_string();
        let o = run(&["inspect", "--json", &p]);
        assert_no_panic(&o);
        let code = o.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "inspect {p}: {code:?} {}",
            stderr(&o)
        );
        if code == Some(0) {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("inspect JSON");
            for file in v["files"].as_array().expect("files") {
                let rows = &file["rows"];
                assert_eq!(
                    rows["read"].as_u64(),
                    Some(
                        rows["used"].as_u64().unwrap_or(0) + rows["rejected"].as_u64().unwrap_or(0)
                    ),
                    "{p}: {rows}"
                );
            }
        } else {
            assert!(
                stderr(&o).contains(f.file_name().unwrap().to_str().unwrap()),
                "{p}: {}",
                stderr(&o)
            );
        }
    }
}
