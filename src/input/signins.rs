//! Sign-in logs, streamed: each row is reduced to (account, timestamp, three flags) and buffered
//! in chunks; every chunk is aggregated per account with polars' lazy engine and folded into a
//! running per-account aggregate, so memory grows with the number of users, not log rows.
//! Month/day order is decided per file at the end: both readings are aggregated until then.

use std::collections::HashMap;

use polars::prelude::*;

use super::detect::{Opened, SignInType};
use super::schema::Mapping;
use super::values::{self, DateOrder, Millis, OrderEvidence, Ts};
use super::{Action, InputError, IssueLog, Kind, RowCounts};

/// Rows per chunk handed to polars.
const CHUNK: usize = 1 << 20;

/// Errors that put a user into MFA registration (docs/inputs.md, "Error codes that matter":
/// 50072, 50079).
pub const PROMPT_CODES: [i64; 2] = [50072, 50079];

/// Error codes the portal shows as "Interrupted" (the first factor passed; the user was asked
/// for something more). Used when a file has no Status column.
const INTERRUPT_CODES: &[i64] = &[
    50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50199, 81010, 81012, 16000, 16001,
];

/// Per-account sign-in evidence from the logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInAgg {
    /// Last interactive sign-in that succeeded or was interrupted.
    pub last_interactive: Option<Millis>,
    /// Last successful non-interactive sign-in.
    pub last_non_interactive: Option<Millis>,
    /// Sign-ins that sent the user to MFA registration (50072 / 50079).
    pub prompts: u64,
    pub first_seen: Option<Millis>,
    pub last_seen: Option<Millis>,
    pub rows: u64,
}

fn max_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
fn min_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl SignInAgg {
    pub fn merge(&mut self, o: &SignInAgg) {
        self.last_interactive = max_o(self.last_interactive, o.last_interactive);
        self.last_non_interactive = max_o(self.last_non_interactive, o.last_non_interactive);
        self.prompts += o.prompts;
        self.first_seen = min_o(self.first_seen, o.first_seen);
        self.last_seen = max_o(self.last_seen, o.last_seen);
        self.rows += o.rows;
    }
}

/// What the sign-in inputs say, all files together.
#[derive(Debug, Default)]
pub struct SignIns {
    /// Indexed like the accounts.
    pub per_account: Vec<SignInAgg>,
    /// Earliest and latest row of each type, over all files: how far back the logs reach.
    pub interactive_span: (Option<Millis>, Option<Millis>),
    pub non_interactive_span: (Option<Millis>, Option<Millis>),
    pub interactive_files: usize,
    pub non_interactive_files: usize,
}

impl SignIns {
    /// Folds another reader's aggregate into this one (same account indexing).
    pub fn merge(&mut self, o: SignIns) {
        for (a, b) in self.per_account.iter_mut().zip(&o.per_account) {
            a.merge(b);
        }
        self.interactive_span = (
            min_o(self.interactive_span.0, o.interactive_span.0),
            max_o(self.interactive_span.1, o.interactive_span.1),
        );
        self.non_interactive_span = (
            min_o(self.non_interactive_span.0, o.non_interactive_span.0),
            max_o(self.non_interactive_span.1, o.non_interactive_span.1),
        );
        self.interactive_files += o.interactive_files;
        self.non_interactive_files += o.non_interactive_files;
    }
}

/// Resolves a sign-in row to an account index.
pub struct Resolver<'a> {
    pub index: &'a super::account_index::AccountIndex,
    /// Map every user to account 0 (for `inspect`, which has no account table).
    pub any: bool,
}

#[derive(Default)]
struct Chunk {
    acct: Vec<u32>,
    ta: Vec<Option<i64>>,
    tb: Vec<Option<i64>>,
    /// The row is an interactive sign-in (any status).
    it: Vec<bool>,
    /// Counted interactive (success or interrupted) / counted non-interactive (success).
    ci: Vec<bool>,
    cn: Vec<bool>,
    pr: Vec<bool>,
}

impl Chunk {
    fn len(&self) -> usize {
        self.acct.len()
    }
    fn take_frame(&mut self) -> PolarsResult<DataFrame> {
        let c = std::mem::take(self);
        let h = c.acct.len();
        DataFrame::new(
            h,
            vec![
                Column::new("acct".into(), c.acct),
                Column::new("ta".into(), c.ta),
                Column::new("tb".into(), c.tb),
                Column::new("it".into(), c.it),
                Column::new("ci".into(), c.ci),
                Column::new("cn".into(), c.cn),
                Column::new("pr".into(), c.pr),
            ],
        )
    }
}

/// Aggregates a chunk of rows per account (lazy plan, executed by polars).
fn aggregate_rows(df: DataFrame) -> PolarsResult<DataFrame> {
    let mut aggs = Vec::new();
    for t in ["ta", "tb"] {
        aggs.push(col(t).filter(col("ci")).max().alias(format!("li_{t}")));
        aggs.push(col(t).filter(col("cn")).max().alias(format!("ln_{t}")));
        aggs.push(col(t).min().alias(format!("first_{t}")));
        aggs.push(col(t).max().alias(format!("last_{t}")));
    }
    aggs.push(col("pr").cast(DataType::UInt64).sum().alias("prompts"));
    aggs.push(len().cast(DataType::UInt64).alias("rows"));
    df.lazy().group_by([col("acct")]).agg(aggs).collect()
}

/// Folds partial aggregates (same columns as `aggregate_rows` output) into one row per account.
fn combine(parts: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let lfs: Vec<LazyFrame> = parts.into_iter().map(|d| d.lazy()).collect();
    let mut aggs = Vec::new();
    for t in ["ta", "tb"] {
        aggs.push(col(format!("li_{t}")).max());
        aggs.push(col(format!("ln_{t}")).max());
        aggs.push(col(format!("first_{t}")).min());
        aggs.push(col(format!("last_{t}")).max());
    }
    aggs.push(col("prompts").sum());
    aggs.push(col("rows").sum());
    concat(lfs, UnionArgs::default())?
        .group_by([col("acct")])
        .agg(aggs)
        .collect()
}

fn perr(file: &str, e: PolarsError) -> InputError {
    InputError::Unreadable {
        file: file.to_string(),
        why: format!("sign-in aggregation failed: {e}"),
    }
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
    let (body, sign_in_type, mut meta) = opened.split();
    let name = meta.name.clone();
    let mapping = &meta.mapping;
    let k = Kind::SignIns;
    let found = body.headers().join(", ");
    if !mapping.has(k, "createdDateTime") {
        return Err(InputError::MissingColumn {
            file: name,
            kind: k.label(),
            needed: "sign-in date",
            expected: "Date (UTC), createdDateTime".into(),
            found,
        });
    }
    if !mapping.has(k, "userPrincipalName") && !mapping.has(k, "userId") {
        return Err(InputError::MissingColumn {
            file: name,
            kind: k.label(),
            needed: "user",
            expected: "Username, User ID, userPrincipalName, userId".into(),
            found,
        });
    }
    let (stype, stype_why) = sign_in_type.unwrap_or((SignInType::PerRow, String::new()));
    super::log_header_issues(log, &name, body.header_row(), mapping);
    let header = |c: &str| {
        mapping
            .mapped
            .iter()
            .find(|(m, _)| m == c)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| c.to_string())
    };
    let h_date = header("createdDateTime");
    let h_user = header("userPrincipalName");
    let h_code = header("errorCode");
    let h_int = header("isInteractive");
    let p_date = Mapping::pos(k, "createdDateTime");
    let p_id = Mapping::pos(k, "userId");
    let p_upn = Mapping::pos(k, "userPrincipalName");
    let p_status = Mapping::pos(k, "status");
    let p_code = Mapping::pos(k, "errorCode");
    let p_int = Mapping::pos(k, "isInteractive");
    let p_types = Mapping::pos(k, "signInEventTypes");
    let has_status = mapping.has(k, "status");

    let mut counts = RowCounts::default();
    let mut evidence = OrderEvidence::default();
    let mut unknown: HashMap<String, (usize, u64)> = HashMap::new();
    let mut chunk = Chunk::default();
    let mut acc: Option<DataFrame> = None;
    let mut span_int = [(None, None); 2];
    let mut span_non = [(None, None); 2];
    let mut failed: Option<PolarsError> = None;
    let cell = |cells: &[std::borrow::Cow<'_, str>], p: usize| -> String {
        cells.get(p).map(|c| c.to_string()).unwrap_or_default()
    };

    body.for_each(&mapping.index, &mut |row, cells, _fields| {
        counts.read += 1;
        if counts.read % 65536 == 0 {
            progress.inc(65536);
        }
        let get = |p: usize| cells.get(p).map_or("", |c| c.as_ref());
        // Interactive or not.
        let interactive = match stype {
            SignInType::Interactive => true,
            SignInType::NonInteractive => false,
            SignInType::PerRow => {
                let raw = get(p_int);
                match values::parse_bool(raw) {
                    Ok(Some(b)) => b,
                    _ => {
                        let types = get(p_types);
                        if types.contains("nonInteractiveUser") {
                            false
                        } else if types.contains("interactiveUser") {
                            true
                        } else {
                            counts.rejected += 1;
                            log.add(&name, Some(row), &h_int, &cell(cells, p_int), "not a user sign-in (neither isInteractive nor signInEventTypes says interactive or non-interactive user); not used", Action::Rejected);
                            return;
                        }
                    }
                }
            }
        };
        let raw_date = get(p_date);
        let ts = match values::parse_ts(raw_date) {
            Ok(Some(ts)) => ts,
            Ok(None) => {
                counts.rejected += 1;
                log.add(&name, Some(row), &h_date, "", "sign-in without a date; not used", Action::Rejected);
                return;
            }
            Err(p) => {
                counts.rejected += 1;
                log.add(&name, Some(row), &h_date, raw_date, format!("{p}; sign-in not used"), Action::Rejected);
                return;
            }
        };
        evidence.observe(ts, row, raw_date);
        let (ta, tb) = match ts {
            Ts::Fixed(v) => (Some(v), Some(v)),
            Ts::Slash { mdy, dmy } => (mdy, dmy),
        };
        let span = if interactive { &mut span_int } else { &mut span_non };
        span[0] = (min_o(span[0].0, ta), max_o(span[0].1, ta));
        span[1] = (min_o(span[1].0, tb), max_o(span[1].1, tb));
        // Which account.
        let id = values::blank(get(p_id));
        let upn = values::blank(get(p_upn));
        let acct = if resolver.any && (id.is_some() || upn.is_some()) {
            Some(0)
        } else {
            resolver.index.find(id, upn)
        };
        let Some(acct) = acct else {
            counts.rejected += 1;
            match upn.or(id) {
                Some(who) => {
                    let e = unknown.entry(who.to_ascii_lowercase()).or_insert((row, 0));
                    e.1 += 1;
                }
                None => log.add(&name, Some(row), &h_user, "", "sign-in without a user (service principal or blank); not used", Action::Rejected),
            }
            return;
        };
        // Outcome.
        let raw_code = get(p_code);
        let code: Option<i64> = match values::blank(raw_code) {
            None => None,
            Some(c) => match c.parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    log.add(&name, Some(row), &h_code, raw_code, "expected a numeric error code; treated as blank", Action::Kept);
                    None
                }
            },
        };
        let status = get(p_status).trim();
        let (success, interrupted) = if has_status && !status.is_empty() {
            (
                status.eq_ignore_ascii_case("success"),
                status.eq_ignore_ascii_case("interrupted"),
            )
        } else {
            match code {
                Some(0) => (true, false),
                Some(c) => (false, INTERRUPT_CODES.contains(&c)),
                None => (false, false),
            }
        };
        counts.used += 1;
        chunk.acct.push(acct);
        chunk.ta.push(ta);
        chunk.tb.push(tb);
        chunk.it.push(interactive);
        chunk.ci.push(interactive && (success || interrupted));
        chunk.cn.push(!interactive && success);
        chunk.pr.push(code.is_some_and(|c| PROMPT_CODES.contains(&c)));
        if chunk.len() >= CHUNK && failed.is_none() {
            let step = chunk
                .take_frame()
                .and_then(aggregate_rows)
                .and_then(|part| match acc.take() {
                    Some(prev) => combine(vec![prev, part]),
                    None => Ok(part),
                });
            match step {
                Ok(df) => acc = Some(df),
                Err(e) => failed = Some(e),
            }
        }
    })?;
    progress.inc(counts.read % 65536);
    if let Some(e) = failed {
        return Err(perr(&name, e));
    }
    if chunk.len() > 0 {
        let part = chunk
            .take_frame()
            .and_then(aggregate_rows)
            .map_err(|e| perr(&name, e))?;
        acc = Some(match acc.take() {
            Some(prev) => combine(vec![prev, part]).map_err(|e| perr(&name, e))?,
            None => part,
        });
    }
    let order = evidence
        .decide(forced_order)
        .map_err(|why| InputError::DateOrder {
            file: name.clone(),
            column: h_date.clone(),
            why,
        })?;
    let pick = if order == Some(DateOrder::Dmy) {
        "tb"
    } else {
        "ta"
    };
    let si = if pick == "tb" { 1 } else { 0 };
    if let Some(df) = acc {
        fold_into(&df, pick, &mut out.per_account).map_err(|e| perr(&name, e))?;
    }
    let mut unknown: Vec<(String, (usize, u64))> = unknown.into_iter().collect();
    unknown.sort_by_key(|(_, (row, _))| *row);
    for (who, (row, n)) in unknown {
        log.add(
            &name,
            Some(row),
            &h_user,
            &who,
            format!("sign-in for a user who is not in the users input ({n} rows); not used"),
            Action::Rejected,
        );
    }
    match stype {
        SignInType::Interactive => out.interactive_files += 1,
        SignInType::NonInteractive => out.non_interactive_files += 1,
        SignInType::PerRow => {
            out.interactive_files += 1;
            out.non_interactive_files += 1;
        }
    }
    let (a, b) = span_int[si];
    out.interactive_span = (
        min_o(out.interactive_span.0, a),
        max_o(out.interactive_span.1, b),
    );
    let (a, b) = span_non[si];
    out.non_interactive_span = (
        min_o(out.non_interactive_span.0, a),
        max_o(out.non_interactive_span.1, b),
    );
    meta.sign_in_type = Some(format!("{} ({stype_why})", stype.label()));
    Ok((counts, meta))
}

fn fold_into(df: &DataFrame, pick: &str, per: &mut [SignInAgg]) -> PolarsResult<()> {
    let acct = df.column("acct")?.u32()?;
    let li = df.column(&format!("li_{pick}"))?.i64()?;
    let ln = df.column(&format!("ln_{pick}"))?.i64()?;
    let first = df.column(&format!("first_{pick}"))?.i64()?;
    let last = df.column(&format!("last_{pick}"))?.i64()?;
    let prompts = df.column("prompts")?.u64()?;
    let rows = df.column("rows")?.u64()?;
    for i in 0..df.height() {
        let Some(a) = acct.get(i) else { continue };
        let Some(slot) = per.get_mut(a as usize) else {
            continue;
        };
        slot.merge(&SignInAgg {
            last_interactive: li.get(i),
            last_non_interactive: ln.get(i),
            prompts: prompts.get(i).unwrap_or(0),
            first_seen: first.get(i),
            last_seen: last.get(i),
            rows: rows.get(i).unwrap_or(0),
        });
    }
    Ok(())
}
