//! findings.csv, accounts.csv and input-issues.csv: the human-facing tables. Every cell goes
//! through `inert`, so display names like `=1+3 MSOBB` cannot run in a spreadsheet.

use std::borrow::Cow;
use std::path::Path;

use super::files::Written;
use std::io::Write as _;

use crate::csv_text::csv_write;
use crate::error::Error;
use crate::report::Report;
use crate::tenant::accounts::Phone;
use crate::values::{fmt_date, fmt_ts};

pub const FINDINGS_HEADER: &[&str] = &[
    "userPrincipalName",
    "id",
    "displayName",
    "finding",
    "severity",
    "detail",
];
pub const ISSUES_HEADER: &[&str] = &["file", "row", "column", "value", "problem", "action"];
pub const ACCOUNTS_HEADER: &[&str] = &[
    "userPrincipalName",
    "id",
    "displayName",
    "userType",
    "accountEnabled",
    "department",
    "jobTitle",
    "usageLocation",
    "createdDateTime",
    "isAdmin",
    "mobilePhone",
    "mobilePhoneNormalized",
    "authenticationPhone",
    "isMfaRegistered",
    "registrationBasis",
    "methodsRegistered",
    "strongestMethodClass",
    "defaultMfaMethod",
    "perUserMfaState",
    "signInSource",
    "lastInteractiveSignIn",
    "lastNonInteractiveSignIn",
    "lastSignIn",
    "registrationPrompts",
    "exclusionReason",
    "exclusionExpires",
    "inScope",
    "outOfScopeReason",
    "findings",
    "telephonyMethods",
    "phishingResistant",
    "passkeyAllowed",
    "campaignTargeted",
    "retirementDate",
    "lastTelephonyMfa",
];

fn opt_bool(b: Option<bool>) -> Cow<'static, str> {
    Cow::Borrowed(b.map_or("", |b| if b { "true" } else { "false" }))
}

/// Text of an optional field, borrowed from the report.
fn opt(s: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(s.as_deref().unwrap_or(""))
}

/// One table row as it is built: cells borrowed from the report where they are its text, owned
/// where formatted.
pub type Cells<'a> = Vec<Cow<'a, str>>;

/// Where one row of a [`Table`] is: its text's start and its first cell's end.
#[derive(Debug, Clone, Copy)]
pub struct RowAt {
    start: usize,
    first: usize,
}

/// A table's cells in one text buffer, each cell's end relative to its row's start. A million
/// accounts' 35 columns held as separate strings took about 1 GB; here they take the size of
/// their text plus 4 bytes a cell (bench/README.md).
#[derive(Debug, Clone)]
pub struct Table {
    ncols: usize,
    text: String,
    ends: Vec<u32>,
    rows: Vec<RowAt>,
}

impl Table {
    pub fn new(ncols: usize) -> Table {
        Table {
            ncols,
            text: String::new(),
            ends: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Appends a row; cells beyond the table's columns are dropped, missing ones are empty.
    pub fn push<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let start = self.text.len();
        self.rows.push(RowAt {
            start,
            first: self.ends.len(),
        });
        let mut n = 0;
        for c in cells.into_iter().take(self.ncols) {
            let c = c.as_ref();
            // A row's text stays under 4 GiB (its cells' ends are u32); beyond, cells are empty.
            if self.text.len() - start + c.len() <= u32::MAX as usize {
                self.text.push_str(c);
            }
            self.ends.push((self.text.len() - start) as u32);
            n += 1;
        }
        for _ in n..self.ncols {
            self.ends.push((self.text.len() - start) as u32);
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Every row, in order (the workbook's list sheets go through them by handle).
    pub fn rows(&self) -> &[RowAt] {
        &self.rows
    }

    /// The cells of one row.
    pub fn cells(&self, at: &RowAt) -> impl Iterator<Item = &str> + '_ {
        self.cells_at(*at)
    }

    fn cells_at(&self, at: RowAt) -> impl Iterator<Item = &str> + '_ {
        (0..self.ncols).map(move |c| {
            let from = if c == 0 {
                0
            } else {
                self.ends[at.first + c - 1]
            };
            let to = self.ends[at.first + c];
            &self.text[at.start + from as usize..at.start + to as usize]
        })
    }

    /// Every row's cells, in order.
    pub fn iter(&self) -> impl Iterator<Item = impl Iterator<Item = &str> + '_> + '_ {
        self.rows.iter().map(|at| self.cells_at(*at))
    }

    /// The table with one cell replaced (tests put hostile text into generated sheets).
    #[cfg(test)]
    pub fn with_cell(&self, row: usize, col: usize, text: &str) -> Table {
        let mut t = Table::new(self.ncols);
        for (i, r) in self.iter().enumerate() {
            let cells: Vec<&str> = r
                .enumerate()
                .map(|(c, x)| if i == row && c == col { text } else { x })
                .collect();
            t.push(cells);
        }
        t
    }
}

/// The cells of the three human-facing tables, built once for the CSVs and the workbook.
pub struct Tables {
    pub findings: Table,
    pub accounts: Table,
    pub issues: Table,
}

impl Tables {
    pub fn new(r: &Report) -> Tables {
        // The accounts table is the big one: build it beside the other two.
        let (accounts, (findings, issues)) = crate::par::beside(
            || accounts_table(r),
            || (findings_table(r), issues_table(r)),
        );
        Tables {
            findings,
            accounts: accounts.unwrap_or_else(|_| accounts_table(r)),
            issues,
        }
    }
}

fn table<'r, T: 'r>(
    ncols: usize,
    items: impl ExactSizeIterator<Item = T>,
    cells: impl Fn(T) -> Cells<'r>,
) -> Table {
    let mut t = Table::new(ncols);
    t.rows.reserve(items.len());
    t.ends.reserve(items.len() * ncols);
    for x in items {
        t.push(cells(x));
    }
    t
}

fn findings_table(r: &Report) -> Table {
    table(FINDINGS_HEADER.len(), r.findings.iter(), finding_cells)
}

fn accounts_table(r: &Report) -> Table {
    table(
        ACCOUNTS_HEADER.len(),
        r.accounts.iter().zip(&r.account_findings),
        |(a, codes)| account_cells(a, codes),
    )
}

fn issues_table(r: &Report) -> Table {
    table(ISSUES_HEADER.len(), r.issues.iter(), issue_cells)
}

/// A findings row's raw text, before neutralisation (the workbook writes it as string cells).
fn finding_cells(f: &crate::report::FindingRow) -> Cells<'_> {
    vec![
        Cow::Borrowed(f.user_principal_name.as_str()),
        Cow::Borrowed(f.id.as_str()),
        Cow::Borrowed(f.display_name.as_str()),
        Cow::Owned(f.finding.to_string()),
        Cow::Borrowed(f.severity.as_str()),
        Cow::Borrowed(f.detail.as_str()),
    ]
}

/// An accounts row's raw text, before neutralisation (the workbook writes it as string cells).
fn account_cells<'a>(
    a: &'a crate::tenant::accounts::Account,
    codes: &[crate::rules::Code],
) -> Cells<'a> {
    let ts = |t: Option<i64>| Cow::Owned(t.map(fmt_ts).unwrap_or_default());
    vec![
        Cow::Borrowed(a.upn.as_str()),
        opt(&a.id),
        opt(&a.display_name),
        match (a.user_type, a.guest) {
            (Some(t), _) => Cow::Owned(format!("{t:?}")),
            (None, true) => Cow::Borrowed("Guest (#EXT#)"),
            (None, false) => Cow::Borrowed(""),
        },
        opt_bool(a.enabled),
        opt(&a.department),
        opt(&a.job_title),
        opt(&a.usage_location),
        ts(a.created),
        opt_bool(a.is_admin),
        opt(&a.mobile_raw),
        match &a.mobile {
            Phone::Valid(p) => Cow::Borrowed(p.as_str()),
            Phone::Invalid { .. } => Cow::Borrowed("invalid"),
            Phone::None => Cow::Borrowed(""),
        },
        opt(&a.auth_phone),
        opt_bool(a.registered),
        Cow::Borrowed(a.registration_basis.as_str()),
        Cow::Owned(a.methods.as_ref().map(|m| m.join(";")).unwrap_or_default()),
        Cow::Owned(
            a.strongest()
                .map(|c| {
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
        ),
        opt(&a.default_method),
        Cow::Borrowed(a.per_user_state.map_or("", |s| s.as_str())),
        Cow::Borrowed(a.sign_in_source.as_str()),
        ts(a.last_interactive),
        ts(a.last_non_interactive),
        ts(a.last_sign_in),
        Cow::Owned(a.prompts.map(|p| p.to_string()).unwrap_or_default()),
        Cow::Borrowed(a.exclusion.as_ref().map_or("", |x| x.reason.as_str())),
        ts(a.exclusion.as_ref().and_then(|x| x.expires)),
        Cow::Borrowed(if a.in_scope { "true" } else { "false" }),
        Cow::Borrowed(a.scope_reason.as_str()),
        Cow::Owned(
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        ),
        Cow::Owned(a.telephony.methods.join(";")),
        Cow::Borrowed(if a.telephony.phishing_resistant {
            "yes"
        } else {
            "no"
        }),
        Cow::Borrowed(a.telephony.passkey_allowed.map_or("", |t| t.as_str())),
        Cow::Borrowed(a.telephony.campaign_targeted.map_or("", |t| t.as_str())),
        Cow::Owned(fmt_date(a.telephony.retirement)),
        ts(a.last_telephony_mfa),
    ]
}

/// An input-issues row's raw text, before neutralisation (the workbook writes it as string cells).
fn issue_cells(i: &crate::input::Issue) -> Cells<'_> {
    vec![
        Cow::Borrowed(i.file.as_str()),
        Cow::Owned(i.row.map(|r| r.to_string()).unwrap_or_default()),
        Cow::Borrowed(i.column.as_str()),
        Cow::Borrowed(i.value.as_str()),
        Cow::Borrowed(i.problem.as_str()),
        Cow::Borrowed(i.action.as_str()),
    ]
}

pub fn write(t: &Tables, out: &Path, w: &mut Written) -> Result<(), Error> {
    // Each table goes to its file as it is made: a million accounts are 400 MB of CSV.
    for (rel, header, rows) in [
        ("findings.csv", FINDINGS_HEADER, &t.findings),
        ("accounts.csv", ACCOUNTS_HEADER, &t.accounts),
        ("input-issues.csv", ISSUES_HEADER, &t.issues),
    ] {
        w.put_with(out, rel, |f| {
            let b = std::io::BufWriter::with_capacity(1 << 20, f);
            csv_write(b, header, rows.iter(), true)?.flush()
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_gives_back_every_cell_as_pushed() {
        let mut t = Table::new(3);
        t.push(["a", "", "ccc"]);
        t.push(["", "", ""]);
        t.push(["only one"]);
        t.push(["x", "y", "z", "dropped"]);
        t.push(["é\u{1F600}", "line\nbreak", "\"q\""]);
        let rows: Vec<Vec<&str>> = t.iter().map(Iterator::collect).collect();
        assert_eq!(
            rows,
            vec![
                vec!["a", "", "ccc"],
                vec!["", "", ""],
                vec!["only one", "", ""],
                vec!["x", "y", "z"],
                vec!["é\u{1F600}", "line\nbreak", "\"q\""],
            ]
        );
        let third: Vec<&str> = t.cells(&t.rows()[2]).collect();
        assert_eq!(third, ["only one", "", ""]);
        let changed = t.with_cell(1, 2, "new");
        assert_eq!(
            changed.iter().nth(1).map(|r| r.collect::<Vec<_>>()),
            Some(vec!["", "", "new"])
        );
        assert_eq!(changed.len(), 5);
    }
}
