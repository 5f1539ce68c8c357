//! mfa-audit: audits a Microsoft Entra ID tenant for MFA readiness offline, from exported files.
//! The flow runs one way: detect -> read -> assemble -> rules -> report -> writers.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod baseline;
pub mod input;
pub mod output;
pub mod progress;
pub mod report;
pub mod rules;

use std::path::PathBuf;

use input::detect::{self, Given};
use input::records::{self, PerUserState, Records};
use input::signins::{self, Resolver, SignIns};
use input::values::{DateOrder, Millis, fmt_date, fmt_ts};
use input::{Action, InputError, InputInfo, IssueLog, Kind, RowCounts};
use rules::{Availability, Ctx};

const DAY: i64 = 86_400_000;

/// Top-level error: input and usage errors exit 2, everything else 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// A bug: a worker thread panicked. Exit code 1.
    #[error("internal error (a bug in mfa-audit, please report it): {0}")]
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) => 2,
            Error::Output { .. } | Error::Internal(_) => 1,
        }
    }
}

/// Entra bulk group-member template variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupTemplate {
    Current,
    V1,
}

/// Everything `audit` needs to know.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub inputs: Vec<Given>,
    pub out: PathBuf,
    /// `--out` was given explicitly (then it may point inside an input folder).
    pub out_explicit: bool,
    pub as_of: Option<Millis>,
    pub stale_after_days: i64,
    pub campaign_start: Option<Millis>,
    pub active_within_days: i64,
    pub dormant_after_days: i64,
    pub default_region: Option<String>,
    pub date_order: Option<DateOrder>,
    pub include_guests: bool,
    pub per_user_target: PerUserState,
    pub group_template: GroupTemplate,
    pub max_rows: Option<usize>,
    pub progress: bool,
    /// An earlier run's output folder to report progress against (`--baseline`).
    pub baseline: Option<PathBuf>,
}

impl AuditOptions {
    pub fn new(inputs: Vec<Given>, out: PathBuf) -> AuditOptions {
        AuditOptions {
            inputs,
            out,
            out_explicit: false,
            as_of: None,
            stale_after_days: 14,
            campaign_start: None,
            active_within_days: 14,
            dormant_after_days: 90,
            default_region: None,
            date_order: None,
            include_guests: false,
            per_user_target: PerUserState::Enforced,
            group_template: GroupTemplate::Current,
            max_rows: None,
            progress: false,
            baseline: None,
        }
    }
}

fn progress_bar(on: bool) -> indicatif::ProgressBar {
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
pub struct Loaded {
    pub records: Records,
    pub accounts: accounts::Accounts,
    pub sign_ins: SignIns,
    pub inputs: Vec<InputInfo>,
    pub log: IssueLog,
}

fn info(o: detect::FileMeta, rows: RowCounts) -> Result<InputInfo, InputError> {
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
fn skip_rows(
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
pub fn load(opts: &AuditOptions) -> Result<Loaded, Error> {
    let mut log = IssueLog::default();
    let files = detect::expand(&opts.inputs, &mut log)?;
    let mut opened: Vec<detect::Opened> = Vec::new();
    for (g, from_folder) in &files {
        opened.extend(detect::open(g, *from_folder, &mut log)?);
    }
    if opened.is_empty() {
        return Err(Error::Usage(
            "no input files recognised; give the exported files or a folder holding them".into(),
        ));
    }
    let mut recs = Records::default();
    let mut inputs = Vec::new();
    let mut sign_in_files = Vec::new();
    // Where two exports of one kind disagree, the newer wins: files are ranked by the export
    // date in their name (exportUsers_2025-5-20.csv), newest first, then in the order given.
    opened.sort_by_key(|o| std::cmp::Reverse(detect::export_date(&o.name)));
    let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    let t_all = std::time::Instant::now();
    // The per-account files are read in parallel, each into its own records, then joined in
    // rank order (so "the newer export wins" does not depend on which thread finished first).
    let mut per_account_files = Vec::new();
    for o in opened {
        if o.kind == Kind::SignIns {
            sign_in_files.push(o);
        } else {
            per_account_files.push(o);
        }
    }
    type Part = (Records, IssueLog, RowCounts, detect::FileMeta);
    let parts: Vec<Result<Part, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = per_account_files
            .into_iter()
            .map(|o| {
                scope.spawn(move || -> Result<Part, Error> {
                    let t = std::time::Instant::now();
                    let name = o.name.clone();
                    let mut recs = Records::default();
                    let mut log = IssueLog::default();
                    let (rows, o2) = if o.kind == Kind::AuthDetails {
                        skip_rows(o, &mut log)?
                    } else {
                        records::read(o, opts.date_order, &mut recs, &mut log)?
                    };
                    if timing {
                        eprintln!("timing: read {name} {:.2}s", t.elapsed().as_secs_f64());
                    }
                    Ok((recs, log, rows, o2))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Internal("a reader thread failed".into())))
            })
            .collect()
    });
    for part in parts {
        let (r, l, rows, o2) = part?;
        recs.append(r);
        log.absorb(l);
        inputs.push(info(o2, rows)?);
    }
    if recs.users.is_empty() && recs.registration.is_empty() {
        return Err(Error::Usage(
            "no users export and no registration details among the inputs: the audit needs at least one of them to know the accounts".into(),
        ));
    }
    let t = std::time::Instant::now();
    let mut acc = accounts::assemble(&recs, &mut log);
    accounts::sort(&mut acc);
    if timing {
        eprintln!(
            "timing: per-account inputs {:.2}s, assemble {:.2}s",
            (t - t_all).as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    }
    let mut sign_ins = SignIns {
        per_account: vec![Default::default(); acc.list.len()],
        ..Default::default()
    };
    let pb = progress_bar(opts.progress && !sign_in_files.is_empty());
    // Phone validation is slow (libphonenumber): it runs on its own thread while the logs stream.
    let jobs = accounts::phone_jobs(&acc, opts.default_region.as_deref());
    // Sign-in files stream on up to two workers (one per core), each into its own aggregate.
    let queue = std::sync::Mutex::new(sign_in_files);
    let workers = queue.lock().map(|q| q.len().clamp(1, 2)).unwrap_or(1);
    let (phones, streamed) = std::thread::scope(|scope| {
        let phones = scope.spawn(|| accounts::parse_phones(&jobs));
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<(SignIns, IssueLog, Vec<InputInfo>), Error> {
                    let mut mine = SignIns {
                        per_account: vec![Default::default(); acc.list.len()],
                        ..Default::default()
                    };
                    let mut log = IssueLog::default();
                    let mut infos = Vec::new();
                    let resolver = Resolver {
                        by_id: &acc.by_id,
                        by_upn: &acc.by_upn,
                        any: false,
                    };
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some(o) = next else { break };
                        pb.set_message(o.name.clone());
                        let t = std::time::Instant::now();
                        let (rows, o2) =
                            signins::read(o, &resolver, opts.date_order, &mut mine, &mut log, &pb)?;
                        if timing {
                            eprintln!(
                                "timing: sign-ins {} {:.2}s",
                                o2.name,
                                t.elapsed().as_secs_f64()
                            );
                        }
                        infos.push(info(o2, rows)?);
                    }
                    Ok((mine, log, infos))
                })
            })
            .collect();
        let streamed: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        (phones.join(), streamed)
    });
    for r in streamed {
        let (mine, their_log, infos) =
            r.map_err(|_| Error::Internal("a sign-in reader thread failed".into()))??;
        sign_ins.merge(mine);
        log.absorb(their_log);
        inputs.extend(infos);
    }
    let phones =
        phones.map_err(|_| Error::Internal("the phone validation thread failed".into()))?;
    accounts::apply_phones(&mut acc, phones, &mut log);
    pb.finish_and_clear();
    Ok(Loaded {
        records: recs,
        accounts: acc,
        sign_ins,
        inputs,
        log,
    })
}

fn has_col(recs: &Records, kind: Kind, col: &str) -> bool {
    recs.columns
        .get(&kind)
        .is_some_and(|c| c.iter().any(|x| x == col))
}

/// Runs the whole audit and returns the report (nothing written yet).
pub fn audit(opts: &AuditOptions) -> Result<report::Report, Error> {
    // The baseline is verified before anything else is read.
    let baseline = match &opts.baseline {
        Some(dir) => {
            progress::check_baseline_dir(dir, &opts.out)?;
            Some(baseline::load(dir)?)
        }
        None => None,
    };
    let Loaded {
        records: recs,
        accounts: mut acc,
        sign_ins,
        inputs,
        mut log,
    } = load(opts)?;
    let users_kind = !recs.users.is_empty() || inputs.iter().any(|i| i.kind == Kind::Users);
    // signInActivity counts only where it holds values: a tenant without the licence that
    // records it exports the columns empty for everyone, which says nothing about sign-ins.
    let activity = |col: &str, pick: fn(&accounts::Account) -> Option<Millis>| {
        has_col(&recs, Kind::Users, col) && acc.list.iter().any(|a| pick(a).is_some())
    };
    let activity_empty = has_col(&recs, Kind::Users, "lastSignInDateTime")
        && !acc
            .list
            .iter()
            .any(|a| a.activity.0.is_some() || a.activity.1.is_some() || a.activity.2.is_some());
    let plan = accounts::EvidencePlan {
        interactive_logs: sign_ins.interactive_files > 0,
        non_interactive_logs: sign_ins.non_interactive_files > 0,
        activity_interactive: activity("lastSignInDateTime", |a| a.activity.0),
        activity_non_interactive: activity("lastNonInteractiveSignInDateTime", |a| a.activity.1),
        activity_successful: activity("lastSuccessfulSignInDateTime", |a| a.activity.2),
    };
    let no_activity = if activity_empty {
        "signInActivity is empty for every account in the users export (the tenant may lack the licence that records it)"
    } else {
        "no signInActivity in the users export"
    };
    accounts::apply_sign_ins(&mut acc, &sign_ins, plan);

    // As-of: given, or the newest timestamp in the inputs.
    let (as_of, as_of_source) = match opts.as_of {
        Some(t) => (t, "given with --as-of".to_string()),
        None => {
            let mut best: Option<(Millis, &str)> = None;
            let mut consider = |t: Option<Millis>, what: &'static str| {
                if let Some(t) = t
                    && best.is_none_or(|(b, _)| t > b)
                {
                    best = Some((t, what));
                }
            };
            consider(
                sign_ins.interactive_span.1,
                "the newest interactive sign-in in the logs",
            );
            consider(
                sign_ins.non_interactive_span.1,
                "the newest non-interactive sign-in in the logs",
            );
            for a in &acc.list {
                consider(
                    a.activity.0,
                    "the newest signInActivity timestamp in the users export",
                );
                consider(
                    a.activity.1,
                    "the newest signInActivity timestamp in the users export",
                );
                consider(
                    a.activity.2,
                    "the newest signInActivity timestamp in the users export",
                );
            }
            for r in &recs.registration {
                consider(
                    r.last_updated,
                    "the newest lastUpdatedDateTime in the registration details",
                );
            }
            for u in &recs.users {
                consider(u.created, "the newest createdDateTime in the users export");
            }
            match best {
                Some((t, what)) => (
                    t,
                    format!("{what} (default: the newest timestamp found in the inputs)"),
                ),
                None => {
                    let today = chrono::Utc::now()
                        .date_naive()
                        .and_time(chrono::NaiveTime::MIN)
                        .and_utc()
                        .timestamp_millis();
                    (today, "no timestamp in the inputs: today's date (UTC); pass --as-of for a reproducible run".to_string())
                }
            }
        }
    };
    let stale_since = opts
        .campaign_start
        .unwrap_or(as_of - opts.stale_after_days * DAY);
    let active_since = as_of - opts.active_within_days * DAY;
    let dormant_since = as_of - opts.dormant_after_days * DAY;

    accounts::apply_exclusions(&mut acc, &recs, as_of, &mut log);
    accounts::apply_scope(&mut acc, opts.include_guests);

    // What the inputs allow.
    let reg_file = inputs.iter().any(|i| i.kind == Kind::Registration);
    let pu_methods = has_col(&recs, Kind::PerUserMfa, "methods");
    let have = |ok: bool, yes: &str, no: &str| {
        if ok {
            Ok(yes.to_string())
        } else {
            Err(no.to_string())
        }
    };
    let logs_any = plan.interactive_logs || plan.non_interactive_logs;
    let interactive = if plan.interactive_logs {
        match sign_ins.interactive_span.0 {
            Some(start) if start <= stale_since => {
                Ok(format!("interactive sign-in logs from {}", fmt_date(start)))
            }
            Some(start) => Err(format!(
                "the interactive sign-in logs start {}, after the stale threshold {}, so they cannot show that no interactive sign-in happened since then",
                fmt_date(start),
                fmt_date(stale_since)
            )),
            None => Err("the interactive sign-in logs hold no usable rows".to_string()),
        }
    } else if plan.activity_interactive {
        Ok(
            "signInActivity.lastSignInDateTime (interactive attempts, failures included)"
                .to_string(),
        )
    } else {
        Err(format!("no interactive sign-in logs, and {no_activity}"))
    };
    let non_interactive = if plan.non_interactive_logs {
        Ok("non-interactive sign-in logs".to_string())
    } else if plan.activity_non_interactive {
        Ok("signInActivity.lastNonInteractiveSignInDateTime".to_string())
    } else {
        Err(format!(
            "no non-interactive sign-in logs, and {no_activity}"
        ))
    };
    let log_start = match (sign_ins.interactive_span.0, sign_ins.non_interactive_span.0) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let dormant = if plan.activity_interactive || plan.activity_non_interactive {
        Ok("signInActivity".to_string())
    } else if logs_any {
        match log_start {
            Some(s) if s <= dormant_since => Ok(format!("sign-in logs from {}", fmt_date(s))),
            Some(s) => Err(format!(
                "the sign-in logs start {}, after the dormant threshold {} (--dormant-after {}), and there are no signInActivity values",
                fmt_date(s),
                fmt_date(dormant_since),
                opts.dormant_after_days
            )),
            None => Err("the sign-in logs hold no usable rows".to_string()),
        }
    } else {
        Err(format!("no sign-in logs, and {no_activity}"))
    };
    let avail = Availability {
        registration: have(
            reg_file || pu_methods,
            "registration input",
            "no registration details input (user registration details export)",
        ),
        admin: have(
            has_col(&recs, Kind::Registration, "isAdmin")
                || has_col(&recs, Kind::PerUserMfa, "isAdmin"),
            "isAdmin",
            "the registration input has no isAdmin column (and no per-user export with IsAdmin)",
        ),
        methods: have(
            has_col(&recs, Kind::Registration, "methodsRegistered") || pu_methods,
            "method lists",
            "no methodsRegistered column in the registration input (and no per-user methods)",
        ),
        mobile: if !users_kind {
            Err("no users export (the directory mobile phone comes from it)".to_string())
        } else {
            have(
                has_col(&recs, Kind::Users, "mobilePhone"),
                "mobilePhone",
                "the users export has no mobile phone column",
            )
        },
        auth_phone: have(
            has_col(&recs, Kind::Registration, "methodsRegistered")
                || pu_methods
                || has_col(&recs, Kind::Users, "authenticationPhoneNumber")
                || has_col(&recs, Kind::PerUserMfa, "mfaPhone"),
            "authentication phones",
            "nothing shows authentication phones (no methodsRegistered, authenticationPhoneNumber or MFA phone column)",
        ),
        per_user: have(
            !recs.per_user.is_empty() || inputs.iter().any(|i| i.kind == Kind::PerUserMfa),
            "per-user MFA export",
            "no per-user MFA state export",
        ),
        exclusions: have(
            inputs.iter().any(|i| i.kind == Kind::Exclusions),
            "exclusions",
            "no exclusions file",
        ),
        interactive,
        non_interactive,
        prompts: have(
            logs_any,
            "sign-in logs",
            "no sign-in logs (registration prompts are only in the logs' error codes)",
        ),
        dormant,
    };
    let evidence_text = match (&avail.interactive, &avail.non_interactive) {
        (Ok(a), Ok(b)) => format!("interactive: {a}; non-interactive: {b}"),
        (Ok(a), Err(b)) => format!("interactive: {a}; non-interactive: none ({b})"),
        (Err(a), Ok(b)) => format!("interactive: none ({a}); non-interactive: {b}"),
        (Err(a), Err(_)) => format!("none ({a})"),
    };
    // Freeing a large tenant's raw records takes a while; let another thread do it.
    std::thread::spawn(move || drop(recs));
    let ctx = Ctx::new(
        &acc.list,
        as_of,
        stale_since,
        active_since,
        dormant_since,
        avail,
    );
    let (findings, not_evaluated) = rules::evaluate(&ctx);
    drop(ctx);

    let params = report::Parameters {
        as_of: fmt_ts(as_of),
        as_of_source: as_of_source.clone(),
        stale_after_days: opts.stale_after_days,
        campaign_start: opts.campaign_start.map(fmt_ts),
        active_within_days: opts.active_within_days,
        dormant_after_days: opts.dormant_after_days,
        default_region: opts.default_region.clone(),
        date_order: opts.date_order.map(|d| format!("{d:?}").to_lowercase()),
        include_guests: opts.include_guests,
        per_user_target: opts.per_user_target.as_str().to_string(),
        group_template: match opts.group_template {
            GroupTemplate::Current => "current".into(),
            GroupTemplate::V1 => "v1".into(),
        },
        max_rows: opts.max_rows,
    };
    let thresholds = report::Thresholds {
        interactive_counts_since: fmt_ts(stale_since),
        active_since: fmt_ts(active_since),
        dormant_since: fmt_ts(dormant_since),
    };
    let mut inputs = inputs;
    for i in &mut inputs {
        if let Some(&n) = log.late_rejects.get(&i.path) {
            let n = n.min(i.rows.used);
            i.rows.used -= n;
            i.rows.rejected += n;
        }
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut report = report::build(
        acc.list,
        findings,
        report::BuildArgs {
            params,
            thresholds,
            sign_in_evidence: evidence_text,
            as_of,
            per_user_target: opts.per_user_target,
            issues: log.finish(),
            inputs,
            not_evaluated,
        },
    );
    if let Some(b) = &baseline {
        progress::attach(&mut report, b)?;
    }
    Ok(report)
}

/// What `inspect` says about one file.
#[derive(Debug, serde::Serialize)]
pub struct Inspection {
    #[serde(flatten)]
    pub info: InputInfo,
    pub issues: Vec<input::Issue>,
}

/// Detects and reads each file on its own, without joining anything.
pub fn inspect(
    given: &[Given],
    date_order: Option<DateOrder>,
) -> Result<(Vec<Inspection>, Vec<input::Issue>), Error> {
    let mut top = IssueLog::default();
    let files = detect::expand(given, &mut top)?;
    let mut out = Vec::new();
    for (g, from_folder) in &files {
        let opened = detect::open(g, *from_folder, &mut top)?;
        for o in opened {
            let mut log = IssueLog::default();
            let (rows, o2) = match o.kind {
                Kind::SignIns => {
                    let (no_ids, no_upns) = (Default::default(), Default::default());
                    let resolver = Resolver {
                        by_id: &no_ids,
                        by_upn: &no_upns,
                        any: true,
                    };
                    let mut s = SignIns {
                        per_account: vec![Default::default()],
                        ..Default::default()
                    };
                    signins::read(
                        o,
                        &resolver,
                        date_order,
                        &mut s,
                        &mut log,
                        &indicatif::ProgressBar::hidden(),
                    )?
                }
                Kind::AuthDetails => skip_rows(o, &mut log)?,
                _ => {
                    let mut recs = Records::default();
                    records::read(o, date_order, &mut recs, &mut log)?
                }
            };
            out.push(Inspection {
                info: info(o2, rows)?,
                issues: log.finish(),
            });
        }
    }
    Ok((out, top.finish()))
}
