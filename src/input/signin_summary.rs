//! The per-user sign-in summary computed where the logs live (the shipped queries in
//! `queries/`): one row per user with the last counted interactive and non-interactive
//! sign-ins, the registration prompts and the window the query covered. It stands in for raw
//! logs: `windowStart`/`windowEnd` say how far back the evidence reaches.

use std::collections::HashMap;

use super::detect::{FileMeta, Opened};
use super::schema::Mapping;
use super::sign_in_evidence::{Resolver, SignInAgg, SignIns};
use super::{Action, InputError, IssueLog, Kind, RowCounts};
use crate::values::{self, DateOrder, Millis, OrderEvidence, Ts};

const K: Kind = Kind::SignInSummary;

/// One summary row, before the day order of its dates is decided.
struct Pending {
    acct: u32,
    last_interactive: Option<Ts>,
    last_non_interactive: Option<Ts>,
    prompts: u64,
    last_telephony_mfa: Option<Ts>,
}

/// Where the summary columns sit in a projected row, and their headers as found.
struct Cols {
    id: Option<usize>,
    upn: Option<usize>,
    li: Option<usize>,
    ln: Option<usize>,
    prompts: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    /// Optional: the latest telephony MFA step (a query that computes the methods used).
    tel: Option<usize>,
    headers: HashMap<&'static str, String>,
}

impl Cols {
    fn new(mapping: &Mapping, name: &str, found: &[String]) -> Result<Cols, InputError> {
        for need in [
            "lastInteractiveSignIn",
            "lastNonInteractiveSignIn",
            "windowStart",
            "windowEnd",
        ] {
            if !mapping.has(K, need) {
                return Err(InputError::MissingColumn {
                    file: name.to_string(),
                    kind: K.label(),
                    needed: "summary column",
                    expected: "userId,userPrincipalName,lastInteractiveSignIn,lastNonInteractiveSignIn,registrationPrompts,signIns,windowStart,windowEnd".into(),
                    found: found.join(", "),
                });
            }
        }
        let at = |c: &str| Mapping::pos(K, c).filter(|_| mapping.has(K, c));
        let headers = super::schema::columns(K)
            .iter()
            .map(|c| {
                let h = mapping
                    .mapped
                    .iter()
                    .find(|(m, _)| m == c.name)
                    .map_or(c.name.to_string(), |(_, h)| h.clone());
                (c.name, h)
            })
            .collect();
        Ok(Cols {
            id: at("userId"),
            upn: at("userPrincipalName"),
            li: at("lastInteractiveSignIn"),
            ln: at("lastNonInteractiveSignIn"),
            prompts: at("registrationPrompts"),
            start: at("windowStart"),
            end: at("windowEnd"),
            tel: at("lastTelephonyMfa"),
            headers,
        })
    }

    fn header<'a>(&'a self, c: &'a str) -> &'a str {
        self.headers.get(c).map_or(c, |h| h.as_str())
    }
}

/// A summary file's running state while its rows stream by.
#[derive(Default)]
struct State {
    counts: RowCounts,
    evidence: OrderEvidence,
    /// The first row's window (raw text); every row must repeat it.
    window: Option<(String, String)>,
    pending: Vec<Pending>,
    unknown: HashMap<String, usize>,
    failure: Option<InputError>,
    /// The file has the optional `lastTelephonyMfa` column.
    methods: bool,
}

impl State {
    fn row(
        &mut self,
        (name, cols, resolver): (&str, &Cols, &Resolver<'_>),
        row: usize,
        cells: &[std::borrow::Cow<'_, str>],
        log: &mut IssueLog,
    ) {
        self.counts.read += 1;
        if self.failure.is_some() {
            self.counts.rejected += 1;
            return;
        }
        let get = |p: Option<usize>| p.and_then(|p| cells.get(p)).map_or("", |c| c.trim());
        let this = (get(cols.start).to_string(), get(cols.end).to_string());
        match &self.window {
            None => self.window = Some(this),
            Some(w) if *w != this => {
                self.failure = Some(InputError::Unreadable {
                    file: name.to_string(),
                    why: format!(
                        "row {row}, columns {} / {}: window `{}` .. `{}`, but the first row says `{}` .. `{}`; every row of a summary covers the same window (run the query once for the whole period)",
                        cols.header("windowStart"),
                        cols.header("windowEnd"),
                        this.0,
                        this.1,
                        w.0,
                        w.1
                    ),
                });
                self.counts.rejected += 1;
                return;
            }
            Some(_) => {}
        }
        let li = self.date(name, cols, get(cols.li), "lastInteractiveSignIn", row, log);
        let ln = self.date(
            name,
            cols,
            get(cols.ln),
            "lastNonInteractiveSignIn",
            row,
            log,
        );
        let tel = self.date(name, cols, get(cols.tel), "lastTelephonyMfa", row, log);
        let raw_pr = get(cols.prompts);
        let prompts = match raw_pr.parse::<u64>() {
            Ok(n) => n,
            Err(_) if raw_pr.is_empty() => 0,
            Err(_) => {
                log.add(
                    name,
                    Some(row),
                    cols.header("registrationPrompts"),
                    raw_pr,
                    "expected a count; treated as 0",
                    Action::Kept,
                );
                0
            }
        };
        let (id, upn) = (values::blank(get(cols.id)), values::blank(get(cols.upn)));
        let acct = if resolver.any && (id.is_some() || upn.is_some()) {
            Some(0)
        } else {
            resolver.index.find(id, upn)
        };
        let Some(acct) = acct else {
            self.counts.rejected += 1;
            match upn.or(id) {
                Some(who) => {
                    self.unknown.entry(who.to_ascii_lowercase()).or_insert(row);
                }
                None => log.add(
                    name,
                    Some(row),
                    cols.header("userPrincipalName"),
                    "",
                    "summary row without a user; not used",
                    Action::Rejected,
                ),
            }
            return;
        };
        self.counts.used += 1;
        self.pending.push(Pending {
            acct,
            last_interactive: li,
            last_non_interactive: ln,
            prompts,
            last_telephony_mfa: tel,
        });
    }

    /// A date cell; one that does not parse is kept as blank with an issue.
    fn date(
        &mut self,
        name: &str,
        cols: &Cols,
        raw: &str,
        col: &str,
        row: usize,
        log: &mut IssueLog,
    ) -> Option<Ts> {
        match values::parse_ts(raw) {
            Ok(t) => {
                if let Some(t) = t {
                    self.evidence.observe(t, row, raw);
                }
                t
            }
            Err(e) => {
                log.add(
                    name,
                    Some(row),
                    cols.header(col),
                    raw,
                    format!("{e}; treated as blank"),
                    Action::Kept,
                );
                None
            }
        }
    }
}

/// Reads a summary file into `out`; rows whose window differs from the first row's stop the run.
pub fn read(
    opened: Opened,
    resolver: &Resolver<'_>,
    forced_order: Option<DateOrder>,
    out: &mut SignIns,
    log: &mut IssueLog,
) -> Result<(RowCounts, FileMeta), InputError> {
    let (body, _, mut meta) = opened.split();
    let name = meta.name.clone();
    body.refuse_truncated(&name)?;
    let cols = Cols::new(&meta.mapping, &name, body.headers())?;
    super::log_header_issues(log, &name, body.header_row(), &meta.mapping);
    let mut st = State {
        methods: cols.tel.is_some(),
        ..State::default()
    };
    body.for_each(&meta.mapping.index, &mut |row, cells, _| {
        st.row((&name, &cols, resolver), row, cells, log);
    })?;
    if let Some(e) = st.failure.take() {
        return Err(e);
    }
    let order = st
        .evidence
        .decide(forced_order)
        .map_err(|why| InputError::DateOrder {
            file: name.clone(),
            column: cols.header("lastInteractiveSignIn").to_string(),
            why,
        })?;
    fold(&st, order, out);
    let mut unknown: Vec<_> = st.unknown.iter().collect();
    unknown.sort_by_key(|(_, row)| **row);
    for (who, row) in unknown {
        log.add(
            &name,
            Some(*row),
            cols.header("userPrincipalName"),
            who,
            "summary row for a user who is not in the users input; not used",
            Action::Rejected,
        );
    }
    meta.sign_in_type = Some(match &st.window {
        Some((ws, we)) => format!("per-user summary (window {ws} .. {we})"),
        None => "per-user summary (no rows)".into(),
    });
    Ok((st.counts, meta))
}

/// The rows under the decided day order into `out`; the window is how far the evidence reaches.
fn fold(st: &State, order: Option<DateOrder>, out: &mut SignIns) {
    for p in &st.pending {
        if let Some(slot) = out.per_account.get_mut(p.acct as usize) {
            slot.merge(&SignInAgg {
                last_interactive: p.last_interactive.and_then(|t| t.resolve(order)),
                last_non_interactive: p.last_non_interactive.and_then(|t| t.resolve(order)),
                prompts: p.prompts,
                last_telephony_mfa: p.last_telephony_mfa.and_then(|t| t.resolve(order)),
            });
        }
    }
    let resolve =
        |raw: &str| -> Option<Millis> { values::parse_ts(raw).ok().flatten()?.resolve(order) };
    if let Some((ws, we)) = &st.window {
        let span = (resolve(ws), resolve(we));
        for s in [&mut out.interactive_span, &mut out.non_interactive_span] {
            *s = (min_o(s.0, span.0), max_o(s.1, span.1));
        }
    }
    out.interactive_files += 1;
    out.non_interactive_files += 1;
    if st.methods {
        out.methods_files += 1;
        if let Some((ws, we)) = &st.window {
            out.methods_span = (
                min_o(out.methods_span.0, resolve(ws)),
                max_o(out.methods_span.1, resolve(we)),
            );
        }
    }
}

fn max_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    a.max(b).or(a).or(b)
}
fn min_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
