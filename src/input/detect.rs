//! Detection: expands folders and zip archives into input files, decides each file's format from
//! its bytes (zip/XLSX, JSON, CSV with its encoding) and its kind from its headers; the file name
//! decides only whether a sign-in CSV is interactive or non-interactive.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::text::decode_text;
use super::{Action, Body, InputError, IssueLog, Kind, schema};

/// Whether a sign-in file's rows are interactive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInType {
    Interactive,
    NonInteractive,
    /// Each row says (`isInteractive` / `signInEventTypes`).
    PerRow,
}

impl SignInType {
    pub fn label(self) -> &'static str {
        match self {
            SignInType::Interactive => "interactive",
            SignInType::NonInteractive => "non-interactive",
            SignInType::PerRow => "per row (isInteractive)",
        }
    }
}

/// A path the user gave, with the kind they named for it, if any.
#[derive(Debug, Clone)]
pub struct Given {
    pub path: PathBuf,
    pub kind: Option<Kind>,
    pub sign_in_type: Option<SignInType>,
}

/// An input file opened and classified, ready to be read.
pub struct Opened {
    pub name: String,
    pub body: Body,
    pub kind: Kind,
    pub kind_reason: String,
    pub sign_in_type: Option<(SignInType, String)>,
    pub mapping: schema::Mapping,
    pub bytes: u64,
    pub sha256: HashJob,
}

/// What is known of an input apart from its rows: enough for `inspect`, summary and manifest.
pub struct FileMeta {
    pub name: String,
    pub kind: Kind,
    pub kind_reason: String,
    pub format: String,
    pub mapping: schema::Mapping,
    pub bytes: u64,
    pub sha256: HashJob,
    /// Sign-in files: interactive / non-interactive / per row, and why.
    pub sign_in_type: Option<String>,
}

impl Opened {
    /// Splits an opened file into its rows, how its sign-ins are typed, and the rest.
    pub fn split(self) -> (Body, Option<(SignInType, String)>, FileMeta) {
        let format = self.body.format().to_string();
        let meta = FileMeta {
            name: self.name,
            kind: self.kind,
            kind_reason: self.kind_reason,
            format,
            mapping: self.mapping,
            bytes: self.bytes,
            sha256: self.sha256,
            sign_in_type: None,
        };
        (self.body, self.sign_in_type, meta)
    }
}

/// A SHA-256 computed on another thread while the file is parsed.
pub enum HashJob {
    Done(String),
    Running(crate::par::Background<std::io::Result<String>>),
    /// Hashed by its own reads of the parser's open file, which must be unchanged when the hash
    /// is collected.
    #[cfg(unix)]
    OwnRead(
        crate::par::Background<std::io::Result<(String, File)>>,
        Stamp,
    ),
}

/// What tells that an open file did not change: its inode, size and modification time. (Not the
/// status change time: renaming or deleting the file moves it without touching the bytes.)
#[cfg(unix)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
}

#[cfg(unix)]
impl Stamp {
    fn of(f: &File) -> std::io::Result<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = f.metadata()?;
        Ok(Stamp {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
        })
    }
}

impl HashJob {
    pub fn finish(self, name: &str) -> Result<String, InputError> {
        let failed = || InputError::Unreadable {
            file: name.to_string(),
            why: "hashing thread failed".into(),
        };
        match self {
            HashJob::Done(s) => Ok(s),
            HashJob::Running(h) => match h.finish() {
                Ok(r) => r.map_err(|e| InputError::io(name, e)),
                Err(_) => Err(failed()),
            },
            #[cfg(unix)]
            HashJob::OwnRead(h, opened) => {
                let (sha, file) = h
                    .finish()
                    .map_err(|_| failed())?
                    .map_err(|e| InputError::io(name, e))?;
                let now = Stamp::of(&file).map_err(|e| InputError::io(name, e))?;
                if now != opened {
                    return Err(InputError::Unreadable {
                        file: name.to_string(),
                        why: format!(
                            "the file changed while the audit read it ({} bytes when opened, {} now, or written to in between); expected a finished export: run the audit again once it is written",
                            opened.len, now.len
                        ),
                    });
                }
                Ok(sha)
            }
        }
    }
}

/// Files at least this large are hashed by their own reads (below it the tee costs nothing
/// that matters, and special files such as `/proc` entries, whose size says 0 or 4096 whatever
/// they hold, keep the exact tee).
const OWN_READ_MIN: u64 = 1 << 20;

/// Opens a file for streaming, with its SHA-256 on another thread. A large regular file is
/// hashed at once by positioned reads of the same open file (a clone of the parser's handle, so
/// it is the same file even if its path is renamed or replaced): a large sign-in log is then
/// hashed while the per-account files are read and the account table is assembled (phases
/// that leave a core idle), not while both cores parse it. The open file's inode, size and
/// modification time are compared when the hash is collected, after its rows are read: a file
/// written to in between is refused. Anything else (a small file, a pipe, another platform) is hashed from the
/// parser's own reads.
fn open_hashed(path: &Path) -> std::io::Result<(Box<dyn Read + Send>, HashJob)> {
    #[cfg(unix)]
    {
        let inner = File::open(path)?;
        let m = inner.metadata()?;
        if m.is_file() && m.len() >= OWN_READ_MIN {
            let stamp = Stamp::of(&inner)?;
            let mine = inner.try_clone()?;
            let job = crate::par::background(move || {
                use std::os::unix::fs::FileExt;
                let mut h = Sha256::new();
                let mut buf = vec![0u8; READ_HASH];
                let mut at = 0u64;
                loop {
                    // Positioned reads leave the parser's file offset alone.
                    match mine.read_at(&mut buf, at) {
                        Ok(0) => break,
                        Ok(n) => {
                            h.update(&buf[..n]);
                            at += n as u64;
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok((hex(&h.finalize()), mine))
            });
            return Ok((Box::new(inner), HashJob::OwnRead(job, stamp)));
        }
    }
    let (tee, job) = open_teed(path)?;
    Ok((Box::new(tee), job))
}

/// Read size of the hashing thread's own reads.
#[cfg(unix)]
const READ_HASH: usize = 1 << 20;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file reader that hands every chunk it reads to a hashing thread, so a large CSV is read
/// from disk once and hashed on the other core while it is parsed. The chunk buffers go round a
/// pool (the hasher sends each back once hashed): a fresh 1 MiB buffer per read made the kernel
/// zero new pages for every megabyte of input.
struct TeeHash<R = File> {
    inner: R,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    pool: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl<R: Read> Read for TeeHash<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            let mut chunk = self.pool.try_recv().unwrap_or_default();
            chunk.clear();
            chunk.extend_from_slice(&buf[..n]);
            // The hasher only stops early when the process is failing anyway.
            let _ = self.tx.send(chunk);
        }
        Ok(n)
    }
}

/// Opens a file for streaming, with its SHA-256 computed from the same reads.
fn open_teed(path: &Path) -> std::io::Result<(TeeHash, HashJob)> {
    Ok(teed(File::open(path)?))
}

/// A reader whose bytes are hashed on another thread as they are read.
fn teed<R: Read>(inner: R) -> (TeeHash<R>, HashJob) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(64);
    let (back, pool) = std::sync::mpsc::sync_channel::<Vec<u8>>(64);
    let job = crate::par::background(move || {
        let mut h = Sha256::new();
        for chunk in rx {
            h.update(&chunk);
            let _ = back.try_send(chunk);
        }
        Ok(hex(&h.finalize()))
    });
    (TeeHash { inner, tx, pool }, HashJob::Running(job))
}

/// Expands folders into their files: every regular file at any depth, in path order, except
/// the coverage inputs (read by their own readers) and what the walk set aside (special files,
/// link loops, this tool's own output folders), each of which is an ignored input issue and a
/// note on stderr. See docs/inputs.md, "What is read from a folder".
pub fn expand(given: &[Given], log: &mut IssueLog) -> Result<Vec<(Given, bool)>, InputError> {
    let mut out = Vec::new();
    for g in given {
        let meta = std::fs::metadata(&g.path).map_err(|e| InputError::io(&disp(&g.path), e))?;
        if meta.is_dir() {
            // Listing the given folder itself must work: its error names it.
            std::fs::read_dir(&g.path).map_err(|e| InputError::io(&disp(&g.path), e))?;
            let d = super::coverage_files::divide(&g.path);
            for (p, why) in &d.set_aside {
                eprintln!("note: {}: {why}", disp(p));
                log.add(&disp(p), None, "", "", why.as_str(), Action::Ignored);
            }
            for p in d.rest {
                out.push((
                    Given {
                        path: p,
                        kind: g.kind,
                        sign_in_type: g.sign_in_type,
                    },
                    true,
                ));
            }
        } else if g.kind.is_some() || super::coverage_files::sniff(&g.path).is_none() {
            out.push((g.clone(), false));
        }
    }
    Ok(out)
}

pub fn disp(p: &Path) -> String {
    p.display().to_string()
}

fn sign_in_type_from_name(name: &str) -> Option<SignInType> {
    let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
    let l = base.to_ascii_lowercase().replace(['-', '_', ' '], "");
    if l.contains("noninteractive") {
        Some(SignInType::NonInteractive)
    } else if l.contains("interactive") {
        Some(SignInType::Interactive)
    } else {
        None
    }
}

/// The export date in a file name (`exportUsers_2025-5-20.csv`: month and day not zero-padded;
/// the last date when there are two, as in `InteractiveSignIns_2025-11-04_2025-12-04.csv`).
pub fn export_date(name: &str) -> Option<(u32, u32, u32)> {
    let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
    let mut best = None;
    for (i, _) in base.char_indices() {
        let rest = &base[i..];
        let mut parts = rest.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let d: String = d.chars().take_while(|c| c.is_ascii_digit()).collect();
        if y.len() == 4
            && (1..=2).contains(&m.len())
            && (1..=2).contains(&d.len())
            && (i == 0 || !base.as_bytes()[i - 1].is_ascii_digit())
            && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
        {
            best = Some((y, m, d));
        }
    }
    best
}

/// Recognises common binary files by their first bytes.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"GIF8", "a GIF image"),
        (&[0xFF, 0xD8, 0xFF], "a JPEG image"),
        (b"\x7fELF", "a program (ELF executable)"),
        (b"MZ", "a Windows program or library"),
        (&[0x1F, 0x8B], "a gzip archive (unpack it first)"),
        (b"Rar!", "a RAR archive (unpack it first)"),
        (b"7z\xBC\xAF", "a 7-Zip archive (unpack it first)"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, w)| *w)
}

/// A zip holding `xl/workbook.xml` is an XLSX workbook, whatever its name.
fn zip_is_workbook(path: &Path) -> bool {
    File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|z| z.index_for_name("xl/workbook.xml").is_some())
}

fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Opens one given file (a zip archive gives several). Unrecognised files found inside a folder
/// are set aside as input issues; a file named explicitly must be recognised.
pub fn open(g: &Given, from_folder: bool, log: &mut IssueLog) -> Result<Vec<Opened>, InputError> {
    let name = disp(&g.path);
    // A pipe, socket or device is never opened from a folder (the walk sets them aside, and this
    // catches one that appeared since); named on the command line, it is read once, whole.
    let regular = std::fs::metadata(&g.path)
        .map_err(|e| InputError::io(&name, e))?
        .is_file();
    if !regular {
        if from_folder {
            log.add(
                &name,
                None,
                "",
                "",
                "not a regular file; never opened inside a folder",
                Action::Ignored,
            );
            return Ok(vec![]);
        }
        return open_stream(g, &name);
    }
    let mut f = File::open(&g.path).map_err(|e| InputError::io(&name, e))?;
    let bytes = f.metadata().map_err(|e| InputError::io(&name, e))?.len();
    let mut head = [0u8; 8];
    let n = f.read(&mut head).map_err(|e| InputError::io(&name, e))?;
    let head = &head[..n];
    if n == 0 {
        if from_folder {
            log.add(
                &name,
                None,
                "",
                "",
                "empty file (no header row); ignored",
                Action::Ignored,
            );
            return Ok(vec![]);
        }
        return Err(InputError::Empty { file: name });
    }
    let ext = g
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(what) = binary_kind(head) {
        let e = InputError::Unreadable {
            file: name,
            why: format!("this is {what}, not an export (expected CSV, XLSX or JSON)"),
        };
        return set_aside_or_fail(e, g, from_folder, log).map(|()| vec![]);
    }
    // Content decides, not the extension: a workbook saved under a .csv name is still a workbook.
    let ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let looks_xlsx = ole
        || (is_zip(head) && zip_is_workbook(&g.path))
        || (is_zip(head) && (ext == "xlsx" || ext == "xlsm"));
    let (body, hash) = if is_zip(head) && !looks_xlsx {
        return open_zip(g, &name, log, from_folder);
    } else if looks_xlsx {
        let data = std::fs::read(&g.path).map_err(|e| InputError::io(&name, e))?;
        let hash = HashJob::Done(sha256_hex(&data));
        (Body::Xlsx(Box::new(super::xlsx::read(&name, data)?)), hash)
    } else if ext == "xlsx" || ext == "xlsm" {
        return Err(InputError::Unreadable {
            file: name,
            why: "named .xlsx but not a workbook (no zip container): a corrupt file, or a CSV renamed".into(),
        });
    } else if matches!(first_non_space(&g.path)?, Some(b'{') | Some(b'[')) {
        let data = std::fs::read(&g.path).map_err(|e| InputError::io(&name, e))?;
        let hash = HashJob::Done(sha256_hex(&data));
        match super::json::read(&name, &decode_text(&data)) {
            Ok(rows) => (Body::Rows(rows), hash),
            Err(e) => return set_aside_or_fail(e, g, from_folder, log).map(|()| vec![]),
        }
    } else {
        let (file, hash) = open_hashed(&g.path).map_err(|e| InputError::io(&name, e))?;
        let mut csv = super::csv::CsvSource::open(&name, file)?;
        csv.disk_path = Some(g.path.clone());
        (Body::Csv(csv), hash)
    };
    match classify(&name, body, g, bytes, hash) {
        Ok(o) => Ok(vec![o]),
        Err(InputError::UnknownKind { file, found }) if from_folder => {
            let what = match super::other_kinds::by_keys(found.split(", ")) {
                Some(kind) => {
                    eprintln!(
                        "note: {file}: recognised as an export of {kind}, which this audit does not read; ignored"
                    );
                    format!(
                        "recognised as an export of {kind}, which this audit does not read (headers: {found}); ignored"
                    )
                }
                None => format!("not recognised as any export kind (headers: {found}); ignored"),
            };
            log.add(&file, None, "", "", what, Action::Ignored);
            Ok(vec![])
        }
        Err(e) => Err(e),
    }
}

/// A file found in a folder that cannot be read as an export (not valid JSON, a binary, an
/// export of another kind) is set aside with the reason, unless its name or folder says it is
/// an input this audit reads, or its kind was named: then the run stops naming it, rather than
/// reporting that input as missing. See docs/inputs.md, "What is read from a folder".
fn set_aside_or_fail(
    e: InputError,
    g: &Given,
    from_folder: bool,
    log: &mut IssueLog,
) -> Result<(), InputError> {
    if !from_folder || g.kind.is_some() {
        return Err(e);
    }
    let (file, why) = match e {
        InputError::OtherKind { file, kind } => {
            let why = format!(
                "recognised as an export of {kind}, which this audit does not read; ignored"
            );
            eprintln!("note: {file}: {why}");
            log.add(&file, None, "", "", why, Action::Ignored);
            return Ok(());
        }
        InputError::Unreadable { file, why } => (file, why),
        e => return Err(e),
    };
    let claimed = || {
        let data = std::fs::read(&g.path).unwrap_or_default();
        super::secure_score::kind_by_name_or_text(&disp(&g.path), &data)
    };
    if let Some(kind) = kind_by_name(&g.path).or_else(claimed) {
        return Err(InputError::Unreadable {
            file,
            why: format!(
                "{why} (by its name, this is the {kind} input, so the run stops here rather than go on without it)"
            ),
        });
    }
    let why = format!(
        "{why}; ignored (its name says no input kind this audit reads; name it with --users, --registration, --sign-ins ... to read it as one)"
    );
    eprintln!("note: {file}: {why}");
    log.add(&file, None, "", "", why, Action::Ignored);
    Ok(())
}

/// The input a file is for by its name or its folders' names, if they say (`exportUsers_...`,
/// `InteractiveSignIns_...`, an archive's `insights-logs-signinlogs/.../PT1H.json`).
pub fn kind_by_name(path: &Path) -> Option<&'static str> {
    // Only a name an export is saved under says anything: `users-screenshot.png` is no export.
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        ext.as_str(),
        "" | "csv" | "json" | "txt" | "tsv" | "xlsx" | "xlsm"
    ) {
        return None;
    }
    let squash = |s: &str| -> String {
        s.to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    };
    if path
        .components()
        .any(|c| squash(&c.as_os_str().to_string_lossy()).starts_with("insightslogs"))
    {
        return Some("sign-in logs");
    }
    let base = squash(&path.file_name()?.to_string_lossy());
    if base == "policiesjson" {
        return Some("Conditional Access policies");
    }
    let pairs: &[(&str, &str)] = &[
        ("pt1hjson", "sign-in logs"),
        ("signin", "sign-in logs"),
        ("registration", "registration details"),
        ("conditionalaccess", "Conditional Access policies"),
        ("capolic", "Conditional Access policies"),
        ("roleassignment", "role assignments"),
        ("groups", "group memberships"),
        ("exclusion", "exclusions"),
        ("mfastatus", "per-user MFA"),
        ("peruser", "per-user MFA"),
        ("user", "users"),
    ];
    pairs
        .iter()
        .find(|(needle, _)| base.contains(needle))
        .map(|(_, kind)| *kind)
}

/// A pipe, socket or device named on the command line: read once, whole, then detected like a
/// file (CSV, JSON or XLSX; a zip archive must be given as a file).
fn open_stream(g: &Given, name: &str) -> Result<Vec<Opened>, InputError> {
    let mut data = Vec::new();
    File::open(&g.path)
        .and_then(|f| f.take(MAX_STREAM).read_to_end(&mut data))
        .map_err(|e| InputError::io(name, e))?;
    if data.is_empty() {
        return Err(InputError::Empty {
            file: name.to_string(),
        });
    }
    if data.len() as u64 >= MAX_STREAM {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: format!(
                "more than {} GiB read from a stream; save it to a file first",
                MAX_STREAM >> 30
            ),
        });
    }
    if let Some(what) = binary_kind(&data) {
        return Err(InputError::Unreadable {
            file: name.to_string(),
            why: format!("this is {what}, not an export (expected CSV, XLSX or JSON)"),
        });
    }
    let bytes = data.len() as u64;
    let hash = HashJob::Done(sha256_hex(&data));
    let start = data
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .unwrap_or(&data)
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace());
    let body = if is_zip(&data) {
        let workbook = zip::ZipArchive::new(Cursor::new(&data))
            .is_ok_and(|z| z.index_for_name("xl/workbook.xml").is_some());
        if !workbook {
            return Err(InputError::Unreadable {
                file: name.to_string(),
                why: "a zip archive read from a stream; save it to a file and give that".into(),
            });
        }
        Body::Xlsx(Box::new(super::xlsx::read(name, data)?))
    } else if matches!(start, Some(b'{') | Some(b'[')) {
        Body::Rows(super::json::read(name, &decode_text(&data))?)
    } else {
        Body::Csv(super::csv::CsvSource::open(
            name,
            Box::new(Cursor::new(data)),
        )?)
    };
    Ok(vec![classify(name, body, g, bytes, hash)?])
}

/// A stream named on the command line is read into memory up to this size.
const MAX_STREAM: u64 = 4 << 30;

fn first_non_space(p: &Path) -> Result<Option<u8>, InputError> {
    let mut f = File::open(p).map_err(|e| InputError::io(&disp(p), e))?;
    let mut buf = [0u8; 512];
    let n = f.read(&mut buf).map_err(|e| InputError::io(&disp(p), e))?;
    let s = &buf[..n];
    let s = s.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(s);
    Ok(s.iter().copied().find(|b| !b.is_ascii_whitespace()))
}

/// One archive entry's kind, as a file's: what it holds goes to `out`; an entry no export kind
/// matches is listed as ignored, naming its headers.
fn classify_entry(
    ename: &str,
    body: Body,
    g: &Given,
    (bytes, hash): (u64, HashJob),
    log: &mut IssueLog,
    out: &mut Vec<Opened>,
) -> Result<(), InputError> {
    let eg = Given {
        path: PathBuf::from(ename),
        kind: g.kind,
        sign_in_type: g.sign_in_type,
    };
    match classify(ename, body, &eg, bytes, hash) {
        Ok(o) => out.push(o),
        Err(InputError::UnknownKind { file, found }) => log.add(
            &file,
            None,
            "",
            "",
            format!("archive entry not recognised as any export kind (headers: {found}); ignored"),
            Action::Ignored,
        ),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn open_zip(
    g: &Given,
    name: &str,
    log: &mut IssueLog,
    from_folder: bool,
) -> Result<Vec<Opened>, InputError> {
    let file = File::open(&g.path).map_err(|e| InputError::io(name, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| InputError::Unreadable {
        file: name.to_string(),
        why: format!("not a readable zip archive: {e}"),
    })?;
    let mut out = Vec::new();
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    names.sort();
    for entry in names {
        if entry.ends_with('/') {
            continue;
        }
        let ename = format!("{name}!{entry}");
        let lower = entry.to_ascii_lowercase();
        // A CSV entry (sign-in logs, most often) is streamed like a CSV file: memory stays flat
        // in its rows. Workbooks and JSON are read whole, as their readers need.
        if !lower.ends_with(".xlsx")
            && !lower.ends_with(".json")
            && let Some((reader, hash, bytes)) = stream_entry(&mut zip, &g.path, &entry, &ename)?
        {
            let body = Body::Csv(super::csv::CsvSource::open(&ename, reader)?);
            classify_entry(&ename, body, g, (bytes, hash), log, &mut out)?;
            continue;
        }
        let mut zf = zip.by_name(&entry).map_err(|e| InputError::Unreadable {
            file: ename.clone(),
            why: format!("cannot read archive entry: {e}"),
        })?;
        let declared = zf.size();
        if declared > MAX_ENTRY {
            return Err(InputError::Unreadable {
                file: ename,
                why: format!(
                    "refused: entry declares {} MiB uncompressed",
                    declared >> 20
                ),
            });
        }
        let mut data = Vec::with_capacity(declared.min(1 << 30) as usize);
        zf.by_ref()
            .take(4u64 << 30)
            .read_to_end(&mut data)
            .map_err(|e| InputError::io(&ename, e))?;
        let bytes = data.len() as u64;
        let hash = HashJob::Done(sha256_hex(&data));
        let body = if lower.ends_with(".xlsx") {
            Body::Xlsx(Box::new(super::xlsx::read(&ename, data)?))
        } else if lower.ends_with(".json") {
            match super::json::read(&ename, &decode_text(&data)) {
                Ok(rows) => Body::Rows(rows),
                Err(InputError::OtherKind { file, kind }) => {
                    log.add(
                        &file,
                        None,
                        "",
                        "",
                        format!("archive entry recognised as an export of {kind}, which this audit does not read; ignored"),
                        Action::Ignored,
                    );
                    continue;
                }
                Err(e) => return Err(e),
            }
        } else {
            Body::Csv(super::csv::CsvSource::open(
                &ename,
                Box::new(Cursor::new(data)),
            )?)
        };
        classify_entry(&ename, body, g, (bytes, hash), log, &mut out)?;
    }
    let _ = from_folder;
    Ok(out)
}

/// An archive entry's uncompressed size above this is refused from its header; an entry that
/// inflates beyond the size its header declares is refused as it is read.
const MAX_ENTRY: u64 = 4 << 30;

/// Opens a stored or deflated archive entry as a reader of its own (a second handle on the
/// archive file, positioned at the entry's data), so it is read as it is parsed instead of
/// being inflated into memory first; `None` for an entry the zip reader must handle (encrypted,
/// another method), which is then read whole. The reader refuses more bytes than the header
/// declares, and checks the byte count and CRC at the end.
#[allow(clippy::type_complexity)]
fn stream_entry(
    zip: &mut zip::ZipArchive<File>,
    path: &Path,
    entry: &str,
    ename: &str,
) -> Result<Option<(Box<dyn Read + Send>, HashJob, u64)>, InputError> {
    let bad = |why: String| InputError::Unreadable {
        file: ename.to_string(),
        why,
    };
    let Some(index) = zip.index_for_name(entry) else {
        return Ok(None);
    };
    let raw = zip
        .by_index_raw(index)
        .map_err(|e| bad(format!("cannot read archive entry: {e}")))?;
    if raw.encrypted() {
        return Ok(None);
    }
    let (method, start, packed, size, crc) = (
        raw.compression(),
        raw.data_start(),
        raw.compressed_size(),
        raw.size(),
        raw.crc32(),
    );
    drop(raw);
    let Some(start) = start else { return Ok(None) };
    if size > MAX_ENTRY {
        return Err(bad(format!(
            "refused: entry declares {} MiB uncompressed",
            size >> 20
        )));
    }
    let mut f = File::open(path).map_err(|e| InputError::io(ename, e))?;
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(start))
        .map_err(|e| InputError::io(ename, e))?;
    let packed = f.take(packed);
    let inner: Box<dyn Read + Send> = match method {
        zip::CompressionMethod::Stored => Box::new(packed),
        zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(packed)),
        _ => return Ok(None),
    };
    let checked = Checked {
        inner,
        declared: size,
        want_crc: crc,
        crc: crc32fast::Hasher::new(),
        read: 0,
    };
    let (tee, hash) = teed(checked);
    Ok(Some((Box::new(tee), hash, size)))
}

/// An archive entry's bytes, held to what its header says: never more than the declared size,
/// and at the end exactly that size with the declared CRC.
struct Checked<R> {
    inner: R,
    declared: u64,
    want_crc: u32,
    crc: crc32fast::Hasher,
    read: u64,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let bad = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
        // One byte more than declared is enough to tell the header lied.
        let room = self.declared.saturating_sub(self.read).saturating_add(1);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        if self.read > self.declared {
            return Err(bad(format!(
                "refused: the entry inflates beyond the {} bytes its zip header declares (uncompressed size), as a zip bomb does",
                self.declared
            )));
        }
        self.crc.update(&buf[..n]);
        if n == 0 && want > 0 {
            if self.read != self.declared {
                return Err(bad(format!(
                    "the entry ends after {} bytes, but its zip header declares {} (uncompressed size): the archive is cut off or corrupt",
                    self.read, self.declared
                )));
            }
            let got = self.crc.clone().finalize();
            if got != self.want_crc {
                return Err(bad(format!(
                    "the entry's CRC-32 is {got:08x}, its zip header says {:08x}: the archive is corrupt",
                    self.want_crc
                )));
            }
        }
        Ok(n)
    }
}

fn classify(
    name: &str,
    body: Body,
    g: &Given,
    bytes: u64,
    sha256: HashJob,
) -> Result<Opened, InputError> {
    let headers = body.headers().to_vec();
    let (kind, kind_reason) = match g.kind {
        Some(k) => (k, "named on the command line".to_string()),
        None => schema::detect_kind(&headers).ok_or_else(|| InputError::UnknownKind {
            file: name.to_string(),
            found: schema::header_list(&headers),
        })?,
    };
    let mapping = schema::Mapping::new(kind, &headers);
    let sign_in_type = if kind == Kind::SignIns {
        let t = if let Some(t) = g.sign_in_type {
            (t, "named on the command line".to_string())
        } else if mapping.has(kind, "category") || mapping.has(kind, "table") {
            (
                SignInType::PerRow,
                "each row names its table (Category / Type / category)".to_string(),
            )
        } else if mapping.has(kind, "isInteractive") || mapping.has(kind, "signInEventTypes") {
            (
                SignInType::PerRow,
                "each row has isInteractive / signInEventTypes".to_string(),
            )
        } else if let Some(t) = sign_in_type_from_name(name) {
            (t, "from the file name".to_string())
        } else {
            return Err(InputError::SignInType {
                file: name.to_string(),
            });
        };
        Some(t)
    } else {
        None
    };
    Ok(Opened {
        name: name.to_string(),
        body,
        kind,
        kind_reason,
        sign_in_type,
        mapping,
        bytes,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_the_input_only_for_export_file_names() {
        let k = |p: &str| kind_by_name(Path::new(p));
        assert_eq!(k("x/exportUsers_2026-11-21.csv"), Some("users"));
        assert_eq!(
            k("x/exportUserRegistrationDetails_2026-11-21.json"),
            Some("registration details")
        );
        assert_eq!(k("x/NonInteractiveSignIns.json"), Some("sign-in logs"));
        assert_eq!(
            k("a/insights-logs-signinlogs/y=2026/PT1H.json"),
            Some("sign-in logs")
        );
        assert_eq!(k("x/policies.json"), Some("Conditional Access policies"));
        // Near misses: names that say nothing, and files no export is saved as.
        assert_eq!(k("x/notes.json"), None);
        assert_eq!(k("x/authenticationStrengthPolicies.json"), None);
        assert_eq!(k("x/users-screenshot.png"), None);
    }

    /// A CSV large enough to be hashed by its own reads, written to `a.csv` in a fresh folder
    /// and opened: (folder, path, bytes, the parser's reader, the hash job).
    fn opened_big() -> (
        tempfile::TempDir,
        PathBuf,
        Vec<u8>,
        Box<dyn Read + Send>,
        HashJob,
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("a.csv");
        let mut data = b"h1,h2\n".to_vec();
        while (data.len() as u64) < OWN_READ_MIN + 10 {
            data.extend_from_slice(b"value one,value two\n");
        }
        std::fs::write(&p, &data).expect("write");
        let (r, job) = open_hashed(&p).expect("open");
        (dir, p, data, r, job)
    }

    fn read_all(r: &mut dyn Read) -> Vec<u8> {
        let mut body = Vec::new();
        r.read_to_end(&mut body).expect("read");
        body
    }

    #[test]
    fn a_file_hashed_by_its_own_read_gives_its_sha256() {
        let (dir, _p, data, mut r, job) = opened_big();
        assert_eq!(
            read_all(&mut r),
            data,
            "the hashing thread does not move the parser's offset"
        );
        #[cfg(unix)]
        assert!(matches!(job, HashJob::OwnRead(..)));
        assert_eq!(job.finish("a.csv").expect("hash"), sha256_hex(&data));
        // A small file keeps the tee (hash from the parser's own reads).
        let q = dir.path().join("b.csv");
        std::fs::write(&q, b"h1,h2\n1,2\n").expect("write");
        let (mut r, job) = open_hashed(&q).expect("open");
        read_all(&mut r);
        assert!(matches!(job, HashJob::Running(..)));
        drop(r); // the tee's hashing thread ends when the reader is gone
        assert_eq!(
            job.finish("b.csv").expect("hash"),
            sha256_hex(b"h1,h2\n1,2\n")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_written_to_while_it_is_read_is_refused() {
        let (_dir, p, _data, _r, job) = opened_big();
        // Same size: only the write's modification time shows it (set explicitly: a timestamp
        // granularity coarser than the test's run could hide it).
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .expect("open rw");
        std::io::Write::write_all(&mut f, b"H1").expect("rewrite");
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000))
            .expect("set mtime");
        drop(f);
        let e = job.finish("a.csv").expect_err("changed file");
        assert!(
            e.to_string().contains("changed while the audit read it"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_renamed_or_deleted_after_opening_is_still_the_file_read() {
        let (dir, p, data, mut r, job) = opened_big();
        // Another file put in its place, then removed: the open file is what is read and hashed.
        std::fs::rename(&p, dir.path().join("old.csv")).expect("rename");
        std::fs::write(&p, b"something else").expect("replace");
        std::fs::remove_file(dir.path().join("old.csv")).expect("remove");
        assert_eq!(read_all(&mut r), data);
        assert_eq!(job.finish("a.csv").expect("hash"), sha256_hex(&data));
    }
}
