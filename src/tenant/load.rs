//! Reading every input: detect and open the files, read the per-account files in parallel,
//! assemble the accounts, then stream the sign-in files on up to two workers while the phone
//! numbers are validated. This module decides which inputs are read side by side; the threads
//! themselves are started by `par.rs`.

use crate::error::Error;
use crate::input::detect;
use crate::input::records::{self, Records};
use crate::input::sign_in_evidence::{Resolver, SignIns};
use crate::input::signins;
use crate::input::{Action, InputError, InputInfo, IssueLog, Kind, RowCounts};
use crate::options::AuditOptions;
use crate::tenant::accounts;

pub(crate) fn progress_bar(on: bool) -> indicatif::ProgressBar {
    if !on {
        return indicatif::ProgressBar::hidden();
    }
    let pb =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} rows ({per_sec})")
    {
        pb.set_style(style);
    }
    pb
}

/// Everything read from the inputs.
pub(crate) struct Loaded {
    pub records: Records,
    pub accounts: accounts::Accounts,
    pub sign_ins: SignIns,
    pub inputs: Vec<InputInfo>,
    pub log: IssueLog,
}

pub(crate) fn info(o: detect::FileMeta, rows: RowCounts) -> Result<InputInfo, InputError> {
    let sha256 = o.sha256.finish(&o.name)?;
    Ok(InputInfo {
        path: o.name,
        kind: o.kind,
        kind_reason: o.kind_reason,
        format: o.format,
        sign_in_type: o.sign_in_type,
        rows,
        mapping: o.mapping,
        sha256,
        bytes: o.bytes,
    })
}

/// Reads rows of a file nothing uses (the AuthDetails file), counting them as rejected.
pub(crate) fn skip_rows(
    o: detect::Opened,
    log: &mut IssueLog,
) -> Result<(RowCounts, detect::FileMeta), InputError> {
    let mut rows = RowCounts::default();
    let (body, _, meta) = o.split();
    body.for_each(&[], &mut |_, _, _| {
        rows.read += 1;
        rows.rejected += 1;
    })?;
    log.add(
        &meta.name,
        None,
        "",
        "",
        format!(
            "{} file: recognised, not used by this audit ({} rows)",
            meta.kind.label(),
            rows.read
        ),
        Action::Ignored,
    );
    Ok((rows, meta))
}

/// Detects, reads and assembles every input.
pub(crate) fn load(opts: &AuditOptions) -> Result<Loaded, Error> {
    let mut log = IssueLog::default();
    let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    let (per_account_files, sign_in_files) = open_all(opts, &mut log)?;
    let t_all = std::time::Instant::now();
    let (mut recs, mut inputs) = read_per_account_files(per_account_files, opts, timing, &mut log)?;
    if recs.users.is_empty() && recs.registration.is_empty() {
        return Err(Error::Usage(
            "no users export and no registration details among the inputs: the audit needs at least one of them to know the accounts".into(),
        ));
    }
    let t = std::time::Instant::now();
    let mut acc = accounts::assemble(&mut recs, &mut log);
    let t_sort = std::time::Instant::now();
    accounts::sort(&mut acc);
    if timing {
        eprintln!(
            "timing: per-account inputs {:.2}s, assemble {:.2}s (sort {:.2}s)",
            (t - t_all).as_secs_f64(),
            t.elapsed().as_secs_f64(),
            t_sort.elapsed().as_secs_f64()
        );
    }
    let t = std::time::Instant::now();
    let sign_ins =
        read_sign_in_files(sign_in_files, &mut acc, opts, timing, &mut log, &mut inputs)?;
    if timing {
        eprintln!(
            "timing: sign-ins and phone numbers {:.2}s",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(Loaded {
        records: recs,
        accounts: acc,
        sign_ins,
        inputs,
        log,
    })
}

/// Detects and opens every file, ranked so that where two exports of one kind disagree the
/// newer wins (export date in the name, e.g. exportUsers_2025-5-20.csv, newest first, then the
/// order given); returns the per-account files and the sign-in files.
fn open_all(
    opts: &AuditOptions,
    log: &mut IssueLog,
) -> Result<(Vec<detect::Opened>, Vec<SignInSource>), Error> {
    let files = detect::expand(&opts.inputs, log)?;
    let mut opened: Vec<detect::Opened> = Vec::new();
    let mut blobs: Vec<(detect::Given, bool)> = Vec::new();
    for (g, from_folder) in files {
        // An archive's blobs are opened one at a time by the worker that reads them: opened
        // here, every blob of a large archive would sit in memory before the first was read.
        if is_blob(&detect::disp(&g.path)) {
            blobs.push((g, from_folder));
        } else {
            opened.extend(detect::open(&g, from_folder, log)?);
        }
    }
    if opened.is_empty() && blobs.is_empty() {
        return Err(Error::Usage(
            "no input files recognised; give the exported files or a folder holding them".into(),
        ));
    }
    opened.sort_by_key(|o| std::cmp::Reverse(detect::export_date(&o.name)));
    let (per_account, sign_ins): (Vec<_>, Vec<_>) = opened
        .into_iter()
        .partition(|o| !matches!(o.kind, Kind::SignIns | Kind::SignInSummary));
    let mut sources: Vec<SignInSource> = sign_ins
        .into_iter()
        .map(|o| SignInSource::Open(Box::new(o)))
        .collect();
    sources.extend(blobs.into_iter().map(|(g, f)| SignInSource::Blob(g, f)));
    Ok((per_account, sources))
}

/// A sign-in input for the workers: a file opened (and classified) already, or an archive blob
/// (`PT1H.json`) opened only when its turn comes.
pub(crate) enum SignInSource {
    Open(Box<detect::Opened>),
    Blob(detect::Given, bool),
}

impl SignInSource {
    fn name(&self) -> String {
        match self {
            SignInSource::Open(o) => o.name.clone(),
            SignInSource::Blob(g, _) => detect::disp(&g.path),
        }
    }
}

/// Is this one of a diagnostic-settings archive's hourly blobs?
fn is_blob(name: &str) -> bool {
    name.rsplit(['/', '\\'])
        .next()
        .is_some_and(|n| n.eq_ignore_ascii_case("PT1H.json"))
}

/// Reads the per-account files in parallel, each into its own records, then joins them in rank
/// order (so "the newer export wins" does not depend on which thread finished first).
fn read_per_account_files(
    files: Vec<detect::Opened>,
    opts: &AuditOptions,
    timing: bool,
    log: &mut IssueLog,
) -> Result<(Records, Vec<InputInfo>), Error> {
    type Part = (Records, IssueLog, RowCounts, detect::FileMeta);
    let read_one = |o: detect::Opened| -> Result<Part, Error> {
        let t = std::time::Instant::now();
        let name = o.name.clone();
        let mut recs = Records::default();
        let mut log = IssueLog::default();
        let (rows, meta) = if o.kind == Kind::AuthDetails {
            skip_rows(o, &mut log)?
        } else {
            records::read(o, opts.date_order, &mut recs, &mut log)?
        };
        if timing {
            eprintln!("timing: read {name} {:.2}s", t.elapsed().as_secs_f64());
        }
        Ok((recs, log, rows, meta))
    };
    let parts: Vec<Result<Part, Error>> = crate::par::each(files, read_one)
        .into_iter()
        .map(|r| r.unwrap_or_else(|_| Err(Error::Internal("a reader thread failed".into()))))
        .collect();
    let mut recs = Records::default();
    let mut inputs = Vec::new();
    for part in parts {
        let (r, l, rows, meta) = part?;
        recs.append(r);
        log.absorb(l);
        inputs.push(info(meta, rows)?);
    }
    Ok((recs, inputs))
}

/// The sign-in files as jobs for the workers (popped from the end). The hourly `PT1H.json` blobs
/// of a diagnostic-settings archive form one job read in path order, so which copy of a
/// re-delivered record counts (the first) is the same on every run.
fn sign_in_jobs(files: Vec<SignInSource>) -> Vec<Vec<SignInSource>> {
    let (mut blobs, others): (Vec<_>, Vec<_>) = files.into_iter().partition(|s| is_blob(&s.name()));
    let mut jobs: Vec<Vec<SignInSource>> = others.into_iter().map(|o| vec![o]).collect();
    if !blobs.is_empty() {
        blobs.sort_by_key(SignInSource::name);
        // Last in the list: the first job a worker takes, since it is the largest.
        jobs.push(blobs);
    }
    jobs
}

/// The opened files of one source: itself, or the blob opened now (none when it turned out not
/// to be an export, which `detect::open` notes as an input issue).
fn open_source(s: SignInSource, log: &mut IssueLog) -> Result<Vec<detect::Opened>, InputError> {
    match s {
        SignInSource::Open(o) => Ok(vec![*o]),
        SignInSource::Blob(g, from_folder) => detect::open(&g, from_folder, log),
    }
}

/// One sign-in worker's share: its aggregate, issues and file infos.
type Streamed = (SignIns, IssueLog, Vec<InputInfo>);

/// Streams the sign-in files on up to two workers (one per core), each into its own aggregate,
/// while the phone numbers are validated on another thread (libphonenumber's rules are slow).
fn read_sign_in_files(
    files: Vec<SignInSource>,
    acc: &mut accounts::Accounts,
    opts: &AuditOptions,
    timing: bool,
    log: &mut IssueLog,
    inputs: &mut Vec<InputInfo>,
) -> Result<SignIns, Error> {
    let pb = progress_bar(opts.progress && !files.is_empty());
    let jobs = accounts::phone_jobs(acc, opts.default_region.as_deref());
    let queue = sign_in_jobs(files);
    let workers = queue.len().clamp(1, 2);
    let queue = std::sync::Mutex::new(queue);
    let seen = std::sync::Mutex::new(foldhash::HashSet::default());
    let shared: &accounts::Accounts = acc;
    let worker = || -> Result<Streamed, Error> {
        let mut mine = SignIns {
            per_account: vec![Default::default(); shared.list.len()],
            ..Default::default()
        };
        let mut log = IssueLog::default();
        let mut infos = Vec::new();
        let resolver = Resolver {
            index: &shared.index,
            seen: &seen,
            any: false,
        };
        while let Some(job) = queue.lock().ok().and_then(|mut q| q.pop()) {
            for src in job {
                // Opened only now, one at a time: an archive's blobs never sit in memory together.
                for o in open_source(src, &mut log)? {
                    pb.set_message(o.name.clone());
                    let t = std::time::Instant::now();
                    let (rows, meta) = if matches!(o.kind, Kind::SignIns | Kind::SignInSummary) {
                        signins::read_input(
                            o,
                            &resolver,
                            opts.date_order,
                            &mut mine,
                            &mut log,
                            &pb,
                        )?
                    } else {
                        // A blob of another log category: recognised, counted, not used.
                        skip_rows(o, &mut log)?
                    };
                    if timing {
                        let secs = t.elapsed().as_secs_f64();
                        eprintln!("timing: sign-ins {} {secs:.2}s", meta.name);
                    }
                    infos.push(info(meta, rows)?);
                }
            }
        }
        Ok((mine, log, infos))
    };
    let (phones, streamed) = crate::par::beside(
        || accounts::parse_phones(&jobs),
        || crate::par::each((0..workers).collect(), |_| worker()),
    );
    let mut sign_ins = SignIns {
        per_account: vec![Default::default(); acc.list.len()],
        ..Default::default()
    };
    for r in streamed {
        let (mine, their_log, infos) =
            r.map_err(|_| Error::Internal("a sign-in reader thread failed".into()))??;
        sign_ins.merge(mine);
        log.absorb(their_log);
        inputs.extend(infos);
    }
    let phones =
        phones.map_err(|_| Error::Internal("the phone validation thread failed".into()))?;
    accounts::apply_phones(acc, phones, log);
    pb.finish_and_clear();
    Ok(sign_ins)
}

/// Frees a large value on another thread (freeing a large tenant's raw records takes a while).
pub(crate) fn drop_in_background<T: Send + 'static>(v: T) {
    let _unobserved = crate::par::background(move || drop(v));
}
