//! Sign-in logs, streamed: each row is reduced to (account, timestamp, three flags) and folded
//! straight into a per-account aggregate (arrays indexed like the accounts), so memory grows with
//! the number of users, not log rows. Month/day order is decided per file at the end: both
//! readings are aggregated until then.

use std::collections::HashMap;

use super::Body;
use super::account_index::guid_key_bytes;
#[cfg(feature = "columnar")]
use super::csv::CsvSource;
use super::detect::{Opened, SignInType};
use super::schema::Mapping;
use super::sign_in_evidence::{Resolver, SignInAgg, SignIns, max_o, min_o};
use super::signin_rules::{self, MethodsCell, RowKind, StepAt};
#[cfg(feature = "columnar")]
use super::signin_scan;
use super::{Action, InputError, IssueLog, Kind, RowCounts};
use crate::values::{self, DateOrder, Millis, OrderEvidence, Ts};

/// Used rows folded into the aggregate at a time.
const FOLD_BATCH: usize = 4096;

/// One file's per-account aggregate, folded row by row into arrays indexed like the accounts,
/// under both day-order readings until the file's order is decided. The second reading is kept
/// only from the first row whose two readings differ (before it, both are the same).
#[derive(Default)]
struct FileAgg {
    /// Month first (and every ISO or otherwise unambiguous date).
    mdy: Vec<SignInAgg>,
    /// Day first, once a row reads differently that way.
    dmy: Option<Vec<SignInAgg>>,
}

/// What one used row adds to its account.
#[derive(Debug, Clone, Copy)]
struct RowFold {
    acct: u32,
    /// The row's time under each reading.
    ta: Option<Millis>,
    tb: Option<Millis>,
    count: signin_rules::Counted,
    /// A successful text-message or phone-call MFA step in the row.
    tel: Option<StepAt>,
}

impl FileAgg {
    fn add(&mut self, r: RowFold) {
        let i = r.acct as usize;
        if self.mdy.len() <= i {
            self.mdy.resize(i + 1, SignInAgg::default());
        }
        if self.dmy.is_none() && r.ta != r.tb {
            self.dmy = Some(self.mdy.clone());
        }
        if let Some(dmy) = &mut self.dmy {
            if dmy.len() <= i {
                dmy.resize(i + 1, SignInAgg::default());
            }
            fold(&mut dmy[i], r.tb, r.count, r.tel);
        }
        fold(&mut self.mdy[i], r.ta, r.count, r.tel);
    }

    /// The aggregate under the decided order.
    fn pick(&self, order: Option<DateOrder>) -> &[SignInAgg] {
        match (&self.dmy, order) {
            (Some(dmy), Some(DateOrder::Dmy)) => dmy,
            _ => &self.mdy,
        }
    }
}

/// One row into its account's aggregate: the latest counted interactive and non-interactive
/// sign-in, the registration prompts and the latest telephony MFA step (at the step's own time,
/// else the row's).
fn fold(slot: &mut SignInAgg, t: Option<Millis>, c: signin_rules::Counted, tel: Option<StepAt>) {
    if c.interactive {
        slot.last_interactive = max_o(slot.last_interactive, t);
    }
    if c.non_interactive {
        slot.last_non_interactive = max_o(slot.last_non_interactive, t);
    }
    slot.prompts += u64::from(c.prompt);
    match tel {
        None => {}
        Some(StepAt::Row) => slot.last_telephony_mfa = max_o(slot.last_telephony_mfa, t),
        Some(StepAt::At(v)) => slot.last_telephony_mfa = max_o(slot.last_telephony_mfa, Some(v)),
    }
}

/// Where the sign-in columns sit in a projected row, and the headers they were found under.
struct Cols {
    date: Option<usize>,
    id: Option<usize>,
    upn: Option<usize>,
    status: Option<usize>,
    code: Option<usize>,
    interactive: Option<usize>,
    event_types: Option<usize>,
    category: Option<usize>,
    table: Option<usize>,
    record_id: Option<usize>,
    /// The methods used (docs/inputs.md, "Methods used at sign-in"): steps, the single MFA method, the portal's MFA result.
    details: Option<usize>,
    mfa_method: Option<usize>,
    mfa_result: Option<usize>,
    h_details: String,
    h_mfa_method: String,
    h_date: String,
    h_user: String,
    h_code: String,
    h_int: String,
}

impl Cols {
    /// The columns of a sign-in file; a file without a date or a user column is an error.
    fn new(mapping: &Mapping, name: &str, headers: &[String]) -> Result<Cols, InputError> {
        let k = Kind::SignIns;
        let missing = |needed: &'static str, expected: &str| InputError::MissingColumn {
            file: name.to_string(),
            kind: k.label(),
            needed,
            expected: expected.into(),
            found: headers.join(", "),
        };
        if !mapping.has(k, "createdDateTime") {
            return Err(missing(
                "sign-in date",
                "Date (UTC), createdDateTime, CreatedDateTime [UTC], TimeGenerated [UTC]",
            ));
        }
        let tables = mapping.has(k, "category") || mapping.has(k, "table");
        if !mapping.has(k, "userPrincipalName") && !mapping.has(k, "userId") && !tables {
            return Err(missing(
                "user",
                "Username, User ID, userPrincipalName, userId",
            ));
        }
        let header = |c: &str| {
            mapping
                .mapped
                .iter()
                .find(|(m, _)| m == c)
                .map(|(_, h)| h.clone())
                .unwrap_or_else(|| c.to_string())
        };
        let at = |c: &str| Mapping::pos(k, c).filter(|_| mapping.has(k, c));
        Ok(Cols {
            date: at("createdDateTime"),
            id: at("userId"),
            upn: at("userPrincipalName"),
            status: at("status"),
            code: at("errorCode"),
            interactive: at("isInteractive"),
            event_types: at("signInEventTypes"),
            category: at("category"),
            table: at("table"),
            record_id: at("recordId"),
            details: at("authenticationDetails"),
            mfa_method: at("mfaAuthMethod"),
            mfa_result: at("mfaResult"),
            h_details: header("authenticationDetails"),
            h_mfa_method: header("mfaAuthMethod"),
            h_date: header("createdDateTime"),
            h_user: header("userPrincipalName"),
            h_code: header("errorCode"),
            h_int: header("isInteractive"),
        })
    }

    /// Whether the file carries the methods used at sign-in.
    fn methods(&self) -> bool {
        self.details.is_some() || self.mfa_method.is_some()
    }
}

/// A file's running state while its rows stream by.
#[derive(Default)]
struct FileState {
    counts: RowCounts,
    evidence: OrderEvidence,
    /// Users not in the account table: first row and number of rows.
    unknown: HashMap<String, (usize, u64)>,
    /// Service-principal and managed-identity rows, set aside.
    not_users: u64,
    /// Archive records delivered again (same `properties.id`), set aside.
    duplicates: u64,
    agg: FileAgg,
    /// Used rows not yet folded into `agg` (`fold_pending`).
    folds: Vec<RowFold>,
    /// Earliest and latest row per kind (interactive, non-interactive), for both day orders.
    span_int: [(Option<Millis>, Option<Millis>); 2],
    span_non: [(Option<Millis>, Option<Millis>); 2],
    /// Method labels the tool does not know, per column (details, MFA method): first row and
    /// number of counted sign-ins.
    unknown_labels: HashMap<(MethodsCell, String), (usize, u64)>,
    /// Methods-used cells that could not be read, per column (details, MFA method): first row,
    /// why, and how many.
    unreadable: [Option<(usize, String, u64)>; 2],
}

/// What one file needs to read its rows.
struct RowCtx<'a> {
    name: &'a str,
    cols: &'a Cols,
    stype: SignInType,
    resolver: &'a Resolver<'a>,
}

impl FileState {
    /// One row: its kind, date, account and outcome, buffered for aggregation.
    fn row(
        &mut self,
        cx: &RowCtx<'_>,
        row: usize,
        cells: &[std::borrow::Cow<'_, str>],
        hint: Option<u32>,
        log: &mut IssueLog,
    ) {
        let get = |p: Option<usize>| p.and_then(|p| cells.get(p)).map_or("", |c| c.as_ref());
        let name = cx.name;
        let interactive = match row_kind(cx, &get) {
            Some(RowKind::Interactive) => true,
            Some(RowKind::NonInteractive) => false,
            Some(RowKind::NotUser) => {
                self.counts.ignored += 1;
                self.not_users += 1;
                return;
            }
            None => {
                self.counts.rejected += 1;
                log.add(name, Some(row), &cx.cols.h_int, get(cx.cols.interactive), "not a user sign-in (neither isInteractive, Category / Type nor signInEventTypes says interactive or non-interactive user); not used", Action::Rejected);
                return;
            }
        };
        if let Some(key) = super::account_index::guid_key(get(cx.cols.record_id).trim())
            && let Ok(mut seen) = cx.resolver.seen.lock()
            && !seen.insert(key)
        {
            self.counts.ignored += 1;
            self.counts.duplicates += 1;
            self.duplicates += 1;
            return;
        }
        let raw_date = get(cx.cols.date);
        let ts = match values::parse_ts(raw_date) {
            Ok(Some(ts)) => ts,
            Ok(None) => {
                self.counts.rejected += 1;
                log.add(
                    name,
                    Some(row),
                    &cx.cols.h_date,
                    "",
                    "sign-in without a date; not used",
                    Action::Rejected,
                );
                return;
            }
            Err(p) => {
                self.counts.rejected += 1;
                log.add(
                    name,
                    Some(row),
                    &cx.cols.h_date,
                    raw_date,
                    format!("{p}; sign-in not used"),
                    Action::Rejected,
                );
                return;
            }
        };
        self.evidence.observe(ts, row, raw_date);
        let (ta, tb) = match ts {
            Ts::Fixed(v) => (Some(v), Some(v)),
            Ts::Slash { mdy, dmy } => (mdy, dmy),
        };
        let span = if interactive {
            &mut self.span_int
        } else {
            &mut self.span_non
        };
        span[0] = (min_o(span[0].0, ta), max_o(span[0].1, ta));
        span[1] = (min_o(span[1].0, tb), max_o(span[1].1, tb));
        let Some(acct) = self.account(cx, &get, (row, hint), log) else {
            self.counts.rejected += 1;
            return;
        };
        let (status, code) = status_and_code(cx, &get, row, log);
        let (success, interrupted) = signin_rules::outcome(status, code);
        let c = signin_rules::count(interactive, success, interrupted, code);
        self.counts.used += 1;
        // The methods used are read only from rows that count as a sign-in.
        let tel = if cx.cols.methods() && (c.interactive || c.non_interactive) {
            self.methods_used(cx, &get, row, success)
        } else {
            None
        };
        self.folds.push(RowFold {
            acct,
            ta,
            tb,
            count: c,
            tel,
        });
        if self.folds.len() >= FOLD_BATCH {
            self.fold_pending();
        }
    }

    /// The row's successful telephony MFA step, if any; unknown labels and unreadable cells are
    /// noted (one issue per file and label or column, at the end).
    fn methods_used<'c>(
        &mut self,
        cx: &RowCtx<'_>,
        get: &impl Fn(Option<usize>) -> &'c str,
        row: usize,
        success: bool,
    ) -> Option<StepAt> {
        let result = cx.cols.mfa_result.map(|p| get(Some(p)));
        let labels = &mut self.unknown_labels;
        let m = signin_rules::methods_used(
            get(cx.cols.details),
            get(cx.cols.mfa_method),
            result,
            success,
            &mut |cell, l, class| {
                if class == signin_rules::MethodLabel::Unknown {
                    let key = (cell, l.to_string());
                    labels.entry(key).or_insert((row, 0)).1 += 1;
                }
            },
        );
        if let Some((cell, why)) = m.unreadable {
            let k = usize::from(cell == MethodsCell::MfaMethod);
            match &mut self.unreadable[k] {
                Some(e) => e.2 += 1,
                slot => *slot = Some((row, why, 1)),
            }
        }
        m.telephony
    }

    /// Folds the rows checked so far into the aggregate, in one tight loop: the per-account
    /// arrays are larger than a core's cache, and independent updates let their cache misses
    /// overlap (row by row, each waited for the last).
    fn fold_pending(&mut self) {
        for r in self.folds.drain(..) {
            self.agg.add(r);
        }
    }

    /// The row's account; an unknown or missing user is noted (once per user, at the end).
    /// `hint` is the account its object id found when the row's batch was looked up ahead
    /// (`read_rows`); the same answer `find` gives.
    fn account<'c>(
        &mut self,
        cx: &RowCtx<'_>,
        get: &impl Fn(Option<usize>) -> &'c str,
        (row, hint): (usize, Option<u32>),
        log: &mut IssueLog,
    ) -> Option<u32> {
        if hint.is_some() {
            return hint;
        }
        let id = values::blank(get(cx.cols.id));
        let upn = values::blank(get(cx.cols.upn));
        let found = if cx.resolver.any && (id.is_some() || upn.is_some()) {
            Some(0)
        } else {
            cx.resolver.index.find(id, upn)
        };
        if found.is_none() {
            match upn.or(id) {
                Some(who) => {
                    let e = self
                        .unknown
                        .entry(who.to_ascii_lowercase())
                        .or_insert((row, 0));
                    e.1 += 1;
                }
                None => log.add(
                    cx.name,
                    Some(row),
                    &cx.cols.h_user,
                    "",
                    "sign-in without a user (service principal or blank); not used",
                    Action::Rejected,
                ),
            }
        }
        found
    }
}

/// Interactive, non-interactive or not a user's, from (in this order) the file's type, the Log
/// Analytics `Category` / `Type` or archive `category`, `isInteractive`, `signInEventTypes`.
fn row_kind<'c>(cx: &RowCtx<'_>, get: &impl Fn(Option<usize>) -> &'c str) -> Option<RowKind> {
    match cx.stype {
        SignInType::Interactive => return Some(RowKind::Interactive),
        SignInType::NonInteractive => return Some(RowKind::NonInteractive),
        SignInType::PerRow => {}
    }
    if let Some(k) = signin_rules::kind_from_table(get(cx.cols.category), get(cx.cols.table)) {
        return Some(k);
    }
    match values::parse_bool(get(cx.cols.interactive)) {
        Ok(Some(true)) => Some(RowKind::Interactive),
        Ok(Some(false)) => Some(RowKind::NonInteractive),
        _ => signin_rules::kind_from_event_types(get(cx.cols.event_types)),
    }
}

/// The row's text status (`Success` / `Failure` / `Interrupted`) and error code. A Log Analytics
/// `Status` cell holds JSON instead: then the code comes from it where no `ResultType` is given,
/// and the outcome from the code.
fn status_and_code<'c>(
    cx: &RowCtx<'_>,
    get: &impl Fn(Option<usize>) -> &'c str,
    row: usize,
    log: &mut IssueLog,
) -> (Option<&'c str>, Option<i64>) {
    let raw_code = get(cx.cols.code);
    let mut code = match values::blank(raw_code) {
        None => None,
        Some(c) => match c.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                log.add(
                    cx.name,
                    Some(row),
                    &cx.cols.h_code,
                    raw_code,
                    "expected a numeric error code; treated as blank",
                    Action::Kept,
                );
                None
            }
        },
    };
    let status = get(cx.cols.status).trim();
    if status.starts_with('{') {
        if code.is_none() {
            code = signin_rules::code_in_status_json(status);
        }
        return (None, code);
    }
    ((!status.is_empty()).then_some(status), code)
}

/// Reads a sign-in input of either kind (raw logs or a per-user summary) into `out`.
pub fn read_input(
    opened: Opened,
    resolver: &Resolver<'_>,
    forced_order: Option<DateOrder>,
    out: &mut SignIns,
    log: &mut IssueLog,
    progress: &indicatif::ProgressBar,
) -> Result<(RowCounts, super::detect::FileMeta), InputError> {
    if opened.kind == Kind::SignInSummary {
        return super::signin_summary::read(opened, resolver, forced_order, out, log);
    }
    read(opened, resolver, forced_order, out, log, progress)
}

/// Streams one sign-in file into `out`. Returns its row counts.
pub fn read(
    opened: Opened,
    resolver: &Resolver<'_>,
    forced_order: Option<DateOrder>,
    out: &mut SignIns,
    log: &mut IssueLog,
    progress: &indicatif::ProgressBar,
) -> Result<(RowCounts, super::detect::FileMeta), InputError> {
    #[cfg_attr(not(feature = "columnar"), allow(unused_mut))]
    let (body, sign_in_type, mut meta) = opened.split();
    let name = meta.name.clone();
    let cols = Cols::new(&meta.mapping, &name, body.headers())?;
    let truncated = body.truncated();
    let (stype, stype_why) = sign_in_type.unwrap_or((SignInType::PerRow, String::new()));
    super::log_header_issues(log, &name, body.header_row(), &meta.mapping);
    let cx = RowCtx {
        name: &name,
        cols: &cols,
        stype,
        resolver,
    };
    #[cfg(feature = "columnar")]
    let columnar = match &body {
        Body::Csv(c) if cols.record_id.is_none() => {
            signin_scan::eligible(c, signin_scan::Ingest::from_env())
        }
        _ => None,
    };
    #[cfg(feature = "columnar")]
    let mut st = match columnar {
        Some(path) => read_columnar(body, &path, &cx, &mut meta, log, progress)?,
        None => read_rows(body, &cx, &meta.mapping.index, log, progress)?,
    };
    #[cfg(not(feature = "columnar"))]
    let mut st = read_rows(body, &cx, &meta.mapping.index, log, progress)?;
    st.fold_pending();
    if let Some((line, e)) = truncated {
        st.counts.read += 1;
        st.counts.rejected += 1;
        log.add(
            &name,
            Some(line),
            "",
            "",
            format!("the last line is cut off ({e}): a blob still being written; not used"),
            Action::Rejected,
        );
    }
    let order = st
        .evidence
        .decide(forced_order)
        .map_err(|why| InputError::DateOrder {
            file: name.clone(),
            column: cols.h_date.clone(),
            why,
        })?;
    finish(&st, order, out);
    if cols.methods() {
        out.methods_files += 1;
        let si = usize::from(order == Some(DateOrder::Dmy));
        for (a, b) in [st.span_int[si], st.span_non[si]] {
            out.methods_span = (min_o(out.methods_span.0, a), max_o(out.methods_span.1, b));
        }
    }
    note_set_aside(&st, &name, &cols, log);
    match stype {
        SignInType::Interactive => out.interactive_files += 1,
        SignInType::NonInteractive => out.non_interactive_files += 1,
        SignInType::PerRow => {
            out.interactive_files += 1;
            out.non_interactive_files += 1;
        }
    }
    meta.sign_in_type = Some(format!("{} ({stype_why})", stype.label()));
    Ok((st.counts, meta))
}

/// The row reader: every record through `FileState::row`.
fn read_rows(
    body: Body,
    cx: &RowCtx<'_>,
    proj: &[Option<usize>],
    log: &mut IssueLog,
    progress: &indicatif::ProgressBar,
) -> Result<FileState, InputError> {
    let mut st = FileState::default();
    let mut each = |st: &mut FileState, row, cells: &[std::borrow::Cow<'_, str>], hint| {
        st.counts.read += 1;
        if st.counts.read.is_multiple_of(65536) {
            progress.inc(65536);
        }
        st.row(cx, row, cells, hint, log);
    };
    match (body, cx.cols.id) {
        (Body::Csv(c), Some(id)) if !cx.resolver.any => {
            // Each batch's object ids are parsed, then looked up in one tight loop, so the
            // lookups' cache misses (a 100k-account map is larger than a core's cache) overlap
            // instead of each waiting for the last; a row whose id finds nothing this way goes
            // through `find` as before.
            let (mut keys, mut hints) = (Vec::new(), Vec::new());
            c.for_each_batch(proj, &mut |b| {
                keys.clear();
                keys.extend((0..b.len()).map(|k| guid_key_bytes(b.cell(k, id).trim_ascii())));
                hints.clear();
                hints.extend(
                    keys.iter()
                        .map(|k| k.and_then(|k| cx.resolver.index.by_id(k))),
                );
                let mut k = 0;
                b.each(&mut |row, cells, _| {
                    each(&mut st, row, cells, hints.get(k).copied().flatten());
                    k += 1;
                });
            })?;
        }
        (body, _) => body.for_each(proj, &mut |row, cells, _| each(&mut st, row, cells, None))?,
    }
    progress.inc(st.counts.read % 65536);
    Ok(st)
}

#[cfg(feature = "columnar")]
/// The columnar path (`signin_scan.rs`): polars parses the file while another thread hashes it
/// and checks its quotes; the rows go through the same `FileState::row`. A file polars refuses,
/// or one that ends inside quotes, is read again from the start by the row reader, which names
/// what is wrong; nothing of the first attempt is kept.
fn read_columnar(
    body: Body,
    path: &std::path::Path,
    cx: &RowCtx<'_>,
    meta: &mut super::detect::FileMeta,
    log: &mut IssueLog,
    progress: &indicatif::ProgressBar,
) -> Result<FileState, InputError> {
    let (width, header_row) = (body.headers().len(), body.header_row());
    // The file's own hash job is replaced by `hash_and_parity`'s digest below (it also counts
    // the quotes); a teed hash that has seen only the header is dropped with the body.
    drop(body);
    let name = cx.name;
    let mut st = FileState::default();
    let mut mine = IssueLog::default();
    let mut blank = false;
    let (hashed, scanned) = crate::par::beside(
        || signin_scan::hash_and_parity(path),
        || {
            signin_scan::for_each(
                path,
                width,
                header_row,
                &meta.mapping.index,
                &mut |row, cells, _| {
                    // A record whose used cells are all empty may be an empty line (which the
                    // row reader does not count, shifting every later row number), a `,,,,`
                    // row (not counted) or a row of unused columns only (rejected with its
                    // row): only the row reader can tell, so it reads the file instead.
                    if blank || cells.iter().all(|c| c.is_empty()) {
                        blank = true;
                        return;
                    }
                    st.counts.read += 1;
                    st.row(cx, row, cells, None, &mut mine);
                },
                |n| progress.inc(n as u64),
            )
        },
    );
    let (sha, odd) = hashed
        .map_err(|_| InputError::Unreadable {
            file: name.to_string(),
            why: "the hashing thread failed (a bug)".into(),
        })?
        .map_err(|e| InputError::io(name, e))?;
    let _ = std::mem::replace(&mut meta.sha256, super::detect::HashJob::Done(sha));
    let trace = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    if scanned.is_ok() && !odd && !blank {
        if trace {
            eprintln!("ingest: {name}: columnar (polars)");
        }
        log.absorb(mine);
        return Ok(st);
    }
    if trace {
        let why = match &scanned {
            Err(signin_scan::GiveBack(e)) => e.clone(),
            Ok(()) if odd => "an odd number of quotes".into(),
            Ok(()) => "a record with none of the used columns filled".into(),
        };
        eprintln!("ingest: {name}: given back to the row reader ({why})");
    }
    let file = std::fs::File::open(path).map_err(|e| InputError::io(name, e))?;
    let again = CsvSource::open(name, Box::new(file))?;
    read_rows(Body::Csv(again), cx, &meta.mapping.index, log, progress)
}

/// Folds the file's aggregate into `out` under the decided day order, with its time spans.
fn finish(st: &FileState, order: Option<DateOrder>, out: &mut SignIns) {
    let si = usize::from(order == Some(DateOrder::Dmy));
    for (slot, a) in out.per_account.iter_mut().zip(st.agg.pick(order)) {
        slot.merge(a);
    }
    let (a, b) = st.span_int[si];
    out.interactive_span = (
        min_o(out.interactive_span.0, a),
        max_o(out.interactive_span.1, b),
    );
    let (a, b) = st.span_non[si];
    out.non_interactive_span = (
        min_o(out.non_interactive_span.0, a),
        max_o(out.non_interactive_span.1, b),
    );
}

/// One input issue per unknown user (with its row count) and one for the rows that are not a
/// user's sign-ins.
fn note_set_aside(st: &FileState, name: &str, cols: &Cols, log: &mut IssueLog) {
    let mut unknown: Vec<(&String, &(usize, u64))> = st.unknown.iter().collect();
    unknown.sort_by_key(|(_, (row, _))| *row);
    for (who, (row, n)) in unknown {
        log.add(
            name,
            Some(*row),
            &cols.h_user,
            who,
            format!("sign-in for a user who is not in the users input ({n} rows); not used"),
            Action::Rejected,
        );
    }
    let mut labels: Vec<_> = st.unknown_labels.iter().collect();
    labels.sort_by_key(|((_, l), (row, _))| (*row, l.as_str()));
    for ((cell, label), (row, n)) in labels {
        let col = match cell {
            MethodsCell::Details => &cols.h_details,
            MethodsCell::MfaMethod => &cols.h_mfa_method,
        };
        log.add(
            name,
            Some(*row),
            col,
            label,
            format!("unknown sign-in method label '{label}' ({n} rows): not counted as telephony"),
            Action::Kept,
        );
    }
    for (k, e) in st.unreadable.iter().enumerate() {
        if let Some((row, why, n)) = e {
            let col = if k == 0 {
                &cols.h_details
            } else {
                &cols.h_mfa_method
            };
            log.add(
                name,
                Some(*row),
                col,
                "",
                format!("methods used at sign-in unreadable: {why} ({n} rows, this the first); the methods of those rows are not read, the rows are used"),
                Action::Kept,
            );
        }
    }
    if st.duplicates > 0 {
        log.add(
            name,
            None,
            "properties.id",
            "",
            format!(
                "{} records delivered again (same properties.id as one already read); ignored",
                st.duplicates
            ),
            Action::Ignored,
        );
    }
    if st.not_users > 0 {
        log.add(
            name,
            None,
            "",
            "",
            format!(
                "{} service-principal or managed-identity sign-ins (not a user's); ignored",
                st.not_users
            ),
            Action::Ignored,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force: every row of one reading, per account.
    fn by_hand(rows: &[RowFold], dmy: bool, n: usize) -> Vec<SignInAgg> {
        let mut out = vec![SignInAgg::default(); n];
        for r in rows {
            let t = if dmy { r.tb } else { r.ta };
            let slot = &mut out[r.acct as usize];
            if r.count.interactive {
                slot.last_interactive = max_o(slot.last_interactive, t);
            }
            if r.count.non_interactive {
                slot.last_non_interactive = max_o(slot.last_non_interactive, t);
            }
            slot.prompts += u64::from(r.count.prompt);
            let tel = match r.tel {
                Some(StepAt::Row) => t,
                Some(StepAt::At(v)) => Some(v),
                None => None,
            };
            slot.last_telephony_mfa = max_o(slot.last_telephony_mfa, tel);
        }
        out
    }

    fn row(acct: u32, ta: Option<i64>, tb: Option<i64>, k: u8) -> RowFold {
        RowFold {
            acct,
            ta,
            tb,
            count: signin_rules::Counted {
                interactive: k & 1 == 1,
                non_interactive: k & 2 == 2,
                prompt: k & 4 == 4,
            },
            tel: match k >> 3 {
                1 => Some(StepAt::Row),
                2 => Some(StepAt::At(33)),
                _ => None,
            },
        }
    }

    #[test]
    fn both_day_orders_fold_as_each_reading_alone_would() {
        // Same readings first (ISO dates), then rows whose readings differ (03/04 vs 04/03), one
        // that has no day-first reading (13/02 read month first), and an account first seen after
        // the readings split.
        let rows = vec![
            row(0, Some(50), Some(50), 1),
            row(2, Some(70), Some(70), 2),
            row(0, Some(60), Some(40), 1),
            row(2, Some(10), Some(90), 2 | 4),
            row(1, None, Some(30), 1 | 4),
            row(4, Some(20), Some(80), 1 | 2),
            row(0, Some(55), Some(55), 4),
        ];
        let mut agg = FileAgg::default();
        for r in &rows {
            agg.add(*r);
        }
        assert!(agg.dmy.is_some());
        assert_eq!(agg.pick(Some(DateOrder::Mdy)), by_hand(&rows, false, 5));
        assert_eq!(agg.pick(None), by_hand(&rows, false, 5));
        assert_eq!(agg.pick(Some(DateOrder::Dmy)), by_hand(&rows, true, 5));
        assert_ne!(by_hand(&rows, false, 5), by_hand(&rows, true, 5));
    }

    #[test]
    fn a_file_whose_readings_never_differ_keeps_one_aggregate() {
        let rows = vec![row(3, Some(5), Some(5), 1), row(1, Some(9), Some(9), 2)];
        let mut agg = FileAgg::default();
        for r in &rows {
            agg.add(*r);
        }
        assert!(agg.dmy.is_none());
        assert_eq!(agg.pick(Some(DateOrder::Dmy)), by_hand(&rows, true, 4));
    }
}
