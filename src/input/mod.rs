//! Reading inputs: detect each file's format and kind, read it with the matching reader, map its
//! headers through the alias table, parse values, and account for every row (used, kept with an
//! issue, or rejected with a reason).

pub mod account_index;
pub mod ca_policy;
pub mod coverage_files;
pub mod csv;
pub mod csv_split;
pub mod detect;
pub mod graph_json;
pub mod groups;
pub mod json;
pub mod key_file;
pub mod methods_policy;
pub mod other_kinds;
pub mod policies;
pub mod records;
pub mod roles;
pub mod schema;
pub mod scubagear;
pub mod secure_score;
pub mod sign_in_evidence;
pub mod signin_rules;
#[cfg(feature = "columnar")]
pub mod signin_scan;
pub mod signin_summary;
pub mod signins;
pub mod strengths;
pub mod text;
pub mod walk;
pub mod xlsx;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

/// What an input file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Users,
    Registration,
    SignIns,
    /// The per-user sign-in summary computed where the logs live.
    SignInSummary,
    PerUserMfa,
    Exclusions,
    /// The sign-in download's `_AuthDetails_` file: recognised, not used.
    AuthDetails,
    /// Secure Score exports, read by `secure_score.rs` for the reconciliation.
    SecureScores,
    ScoreProfiles,
    Recommendations,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Users => "users",
            Kind::Registration => "registration",
            Kind::SignIns => "sign-ins",
            Kind::SignInSummary => "sign-in-summary",
            Kind::PerUserMfa => "per-user-mfa",
            Kind::Exclusions => "exclusions",
            Kind::AuthDetails => "auth-details",
            Kind::SecureScores => "secure-scores",
            Kind::ScoreProfiles => "secure-score-control-profiles",
            Kind::Recommendations => "directory-recommendations",
        }
    }
}

/// How a file was physically read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "format", rename_all = "lowercase")]
pub enum Format {
    Csv {
        encoding: String,
        delimiter: String,
        type_line: bool,
    },
    Xlsx {
        sheet: String,
        sheets: usize,
    },
    Json {
        shape: String,
    },
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Format::Csv {
                encoding,
                delimiter,
                type_line,
            } => write!(
                f,
                "CSV, {encoding}, delimiter '{delimiter}'{}",
                if *type_line {
                    ", PowerShell #TYPE line skipped"
                } else {
                    ""
                }
            ),
            Format::Xlsx { sheet, sheets } => {
                write!(f, "XLSX, sheet '{sheet}' (of {sheets})")
            }
            Format::Json { shape } => write!(f, "JSON, {shape}"),
        }
    }
}

/// A typed input error: always names the file, and the row and column where there is one.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: row {row}: malformed CSV: {msg}")]
    Csv {
        file: String,
        row: usize,
        msg: String,
    },
    #[error("{file}: the file is empty (expected a header row)")]
    Empty { file: String },
    #[error("{file}: {why}")]
    Unreadable { file: String, why: String },
    #[error(
        "{file}: read as {kind}, but it has no {needed} column; expected one of: {expected}. Headers found: {found}"
    )]
    MissingColumn {
        file: String,
        kind: &'static str,
        needed: &'static str,
        expected: String,
        found: String,
    },
    #[error(
        "{file}: cannot tell what this file holds from its headers ({found}); name its kind with --users, --registration, --sign-ins, --per-user-mfa or --exclusions"
    )]
    UnknownKind { file: String, found: String },
    #[error(
        "{file}: sign-in CSV whose name does not say interactive or non-interactive (both downloads have identical headers); pass it with --interactive or --non-interactive"
    )]
    SignInType { file: String },
    #[error("{file}: column {column}: {why}")]
    DateOrder {
        file: String,
        column: String,
        why: String,
    },
    #[error(
        "{file}: this is an export of {kind}, which this audit does not read; give the users, registration details, sign-in logs, per-user MFA or exclusions exports"
    )]
    OtherKind { file: String, kind: &'static str },
    #[error("{0}")]
    Usage(String),
}

impl InputError {
    pub fn io(file: &str, source: std::io::Error) -> InputError {
        InputError::Io {
            file: file.to_string(),
            source,
        }
    }
    pub fn csv(file: &str, row: usize, e: impl std::fmt::Display) -> InputError {
        InputError::Csv {
            file: file.to_string(),
            row,
            msg: e.to_string(),
        }
    }
}

/// What happened to the row an issue is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The row was used; the value was treated as blank or corrected as the problem says.
    Kept,
    /// The row was not used.
    Rejected,
    /// Something other than a data row (a header, a file, an exclusion entry) was set aside.
    Ignored,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Kept => "kept",
            Action::Rejected => "rejected",
            Action::Ignored => "ignored",
        }
    }
}

/// One input problem, located as the user sees it in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Issue {
    pub file: String,
    pub row: Option<usize>,
    pub column: String,
    pub value: String,
    pub problem: String,
    pub action: Action,
}

/// Issues per (file, column, problem) beyond this are counted, not listed one by one.
pub const ISSUE_CAP: usize = 200;

/// Collects issues, capping repeats of one problem so a broken 5M-row log cannot flood the report.
#[derive(Debug, Default)]
pub struct IssueLog {
    pub issues: Vec<Issue>,
    counts: HashMap<(String, String, String), (usize, Action)>,
    /// Rows a reader counted as used that a later step set aside (an orphan registration row):
    /// per file, moved from used to rejected before the counts are reported.
    pub late_rejects: HashMap<String, u64>,
}

impl IssueLog {
    /// Records a row rejected after its reader counted it as used, with its issue.
    pub fn reject_later(
        &mut self,
        file: &str,
        row: usize,
        column: &str,
        value: &str,
        problem: &str,
    ) {
        *self.late_rejects.entry(file.to_string()).or_default() += 1;
        self.add(
            file,
            Some(row),
            column,
            value,
            problem.to_string(),
            Action::Rejected,
        );
    }

    pub fn push(&mut self, issue: Issue) {
        let key = (
            issue.file.clone(),
            issue.column.clone(),
            issue.problem.clone(),
        );
        let e = self.counts.entry(key).or_insert((0, issue.action));
        e.0 += 1;
        if e.0 <= ISSUE_CAP {
            self.issues.push(issue);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        file: &str,
        row: Option<usize>,
        column: &str,
        value: &str,
        problem: impl Into<String>,
        action: Action,
    ) {
        let value: String = value.chars().take(200).collect();
        self.push(Issue {
            file: file.to_string(),
            row,
            column: column.to_string(),
            value,
            problem: problem.into(),
            action,
        });
    }

    /// Takes over another log's issues, counts and late rejections (a parallel reader's).
    pub fn absorb(&mut self, other: IssueLog) {
        let mut listed: HashMap<(String, String, String), usize> = HashMap::new();
        for i in &other.issues {
            *listed
                .entry((i.file.clone(), i.column.clone(), i.problem.clone()))
                .or_default() += 1;
        }
        for i in other.issues {
            self.push(i);
        }
        for (key, (n, action)) in other.counts {
            let extra = n - listed.get(&key).copied().unwrap_or(0);
            if extra > 0 {
                self.counts.entry(key).or_insert((0, action)).0 += extra;
            }
        }
        for (file, n) in other.late_rejects {
            *self.late_rejects.entry(file).or_default() += n;
        }
    }

    /// Sorted issues plus one summary line per capped problem.
    pub fn finish(mut self) -> Vec<Issue> {
        let mut extra: Vec<Issue> = self
            .counts
            .iter()
            .filter(|(_, (n, _))| *n > ISSUE_CAP)
            .map(|((file, column, problem), (n, action))| Issue {
                file: file.clone(),
                row: None,
                column: column.clone(),
                value: String::new(),
                problem: format!("{} more rows with this problem: {problem}", n - ISSUE_CAP),
                action: *action,
            })
            .collect();
        self.issues.append(&mut extra);
        self.issues.sort_by(|a, b| {
            (&a.file, a.row.unwrap_or(usize::MAX), &a.column, &a.problem).cmp(&(
                &b.file,
                b.row.unwrap_or(usize::MAX),
                &b.column,
                &b.problem,
            ))
        });
        self.issues
    }
}

/// Records the header problems of a file: repeated headers (the first is used) and empty ones.
pub fn log_header_issues(
    log: &mut IssueLog,
    file: &str,
    header_row: usize,
    mapping: &schema::Mapping,
) {
    for (h, pos) in &mapping.duplicates {
        log.add(
            file,
            Some(header_row),
            h,
            h,
            format!("header repeated (column {pos}); the first one is used"),
            Action::Ignored,
        );
    }
    for pos in &mapping.empty {
        log.add(
            file,
            Some(header_row),
            "",
            "",
            format!("empty header (column {pos}); the column's values are not read"),
            Action::Ignored,
        );
    }
}

/// Excel's limit for one cell; longer values are cut so every output can hold them.
pub const MAX_CELL: usize = 32_767;

/// Removes NUL bytes and cuts values beyond Excel's cell limit, with an issue for each change;
/// the cleaned value is appended to `out` (the per-account readers keep every cell of a file in
/// one buffer).
pub fn clean_cell_into(
    log: &mut IssueLog,
    file: &str,
    row: usize,
    column: &str,
    raw: &str,
    out: &mut String,
) {
    let start = out.len();
    if raw.contains('\0') {
        let v = raw.replace('\0', "");
        log.add(
            file,
            Some(row),
            column,
            &v,
            "NUL bytes removed from the value",
            Action::Kept,
        );
        out.push_str(&v);
    } else {
        out.push_str(raw);
    }
    // Bytes bound characters from above: most cells need no count.
    let v = &out[start..];
    if v.len() > MAX_CELL && v.chars().count() > MAX_CELL {
        let total = v.chars().count();
        let cut = v.char_indices().nth(MAX_CELL).map_or(v.len(), |(i, _)| i);
        out.truncate(start + cut);
        log.add(
            file,
            Some(row),
            column,
            "",
            format!("value of {total} characters cut to {MAX_CELL} (Excel's cell limit)"),
            Action::Kept,
        );
    }
}

/// Called for every data row: spreadsheet row, projected cells, the record's field count.
pub type RowFn<'f> = dyn FnMut(usize, &[Cow<'_, str>], usize) + 'f;

/// Rows of a file already in memory (JSON).
pub struct RowsSource {
    pub headers: Vec<String>,
    pub header_row: usize,
    pub rows: Vec<(usize, Vec<String>)>,
    pub format: Format,
    /// One object per line whose last line is cut off (a blob still being appended): its line
    /// number and the parser's message. Only sign-in readers accept it (as a rejected row).
    pub truncated: Option<(usize, String)>,
}

/// A file's rows, streamed (CSV, XLSX) or in memory (JSON).
pub enum Body {
    Csv(csv::CsvSource),
    Xlsx(Box<xlsx::XlsxSource>),
    Rows(RowsSource),
}

impl Body {
    pub fn headers(&self) -> &[String] {
        match self {
            Body::Csv(c) => &c.headers,
            Body::Xlsx(x) => &x.headers,
            Body::Rows(r) => &r.headers,
        }
    }
    pub fn header_row(&self) -> usize {
        match self {
            Body::Csv(c) => c.header_row,
            Body::Xlsx(x) => x.header_row,
            Body::Rows(r) => r.header_row,
        }
    }
    pub fn format(&self) -> &Format {
        match self {
            Body::Csv(c) => &c.format,
            Body::Xlsx(x) => &x.format,
            Body::Rows(r) => &r.format,
        }
    }

    /// Calls `f(row, projected cells, field count)` for every data row.
    /// A cut-off last line of a one-object-per-line file, if any.
    pub fn truncated(&self) -> Option<(usize, String)> {
        match self {
            Body::Rows(r) => r.truncated.clone(),
            _ => None,
        }
    }

    /// Refuses a file whose last line is cut off (for inputs where every row matters).
    pub fn refuse_truncated(&self, file: &str) -> Result<(), InputError> {
        match self.truncated() {
            Some((line, e)) => Err(InputError::Unreadable {
                file: file.to_string(),
                why: format!("line {line} is not valid JSON ({e}); the file looks cut off"),
            }),
            None => Ok(()),
        }
    }

    pub fn for_each(self, proj: &[Option<usize>], f: &mut RowFn<'_>) -> Result<(), InputError> {
        match self {
            Body::Csv(c) => c.for_each(proj, f),
            Body::Xlsx(x) => x.for_each(proj, f),
            Body::Rows(r) => {
                for (row, cells) in &r.rows {
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let p: Vec<Cow<'_, str>> = proj
                        .iter()
                        .map(|i| {
                            Cow::Borrowed(i.and_then(|i| cells.get(i)).map_or("", |s| s.as_str()))
                        })
                        .collect();
                    f(*row, &p, cells.len());
                }
                Ok(())
            }
        }
    }
}

/// Row accounting for one input: `read = used + rejected + ignored`, always.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RowCounts {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Rows set aside as not the input's business (service-principal sign-ins, duplicates of
    /// an archive record): read = used + rejected + ignored.
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored: u64,
    /// Of the ignored rows, the archive records delivered again (same `properties.id` as one
    /// already read); the rest of the ignored rows are not a user's sign-ins.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Everything known about one input after it was read.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    /// The path as given (with `!entry` for a file inside a zip archive).
    pub path: String,
    pub kind: Kind,
    pub kind_reason: String,
    pub format: String,
    /// For sign-in files: interactive, non-interactive or per-row, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_type: Option<String>,
    pub rows: RowCounts,
    pub mapping: schema::Mapping,
    pub sha256: String,
    pub bytes: u64,
}

/// What `inspect` says about one file.
#[derive(Debug, serde::Serialize)]
pub struct Inspection {
    #[serde(flatten)]
    pub info: InputInfo,
    pub issues: Vec<Issue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaned_cells_are_appended_with_an_issue_for_each_change() {
        let mut log = IssueLog::default();
        let mut out = String::from("kept");
        clean_cell_into(&mut log, "u.csv", 2, "department", "Sa\0les", &mut out);
        assert_eq!(out, "keptSales");
        // Multi-byte characters: the limit is in characters, and the cut falls between them.
        let long = "é".repeat(MAX_CELL + 3);
        clean_cell_into(&mut log, "u.csv", 3, "jobTitle", &long, &mut out);
        assert_eq!(out.chars().count(), "keptSales".len() + MAX_CELL);
        assert!(out.ends_with('é'));
        // At the limit nothing is cut or reported, even with more bytes than characters.
        let at_limit = "é".repeat(MAX_CELL);
        let mut exact = String::new();
        clean_cell_into(&mut log, "u.csv", 4, "jobTitle", &at_limit, &mut exact);
        assert_eq!(exact, at_limit);
        let got: Vec<(Option<usize>, &str, &str, &str)> = log
            .issues
            .iter()
            .map(|i| {
                (
                    i.row,
                    i.column.as_str(),
                    i.value.as_str(),
                    i.problem.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(2),
                    "department",
                    "Sales",
                    "NUL bytes removed from the value"
                ),
                (
                    Some(3),
                    "jobTitle",
                    "",
                    "value of 32770 characters cut to 32767 (Excel's cell limit)"
                ),
            ]
        );
    }
}
