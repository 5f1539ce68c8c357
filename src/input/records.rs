//! Typed records for the per-account inputs (users, registration, per-user MFA, exclusions):
//! each row is projected through the alias table, its values parsed, and the row counted as used
//! or rejected, with an input issue for every value that could not be parsed.

use std::collections::HashMap;
use std::sync::Arc;

use super::detect::{FileMeta, Opened};
use super::schema::{self, Mapping};
use super::{Action, InputError, IssueLog, Kind, RowCounts};
use crate::values::{self, DateOrder, Millis, OrderEvidence, Ts};

/// Where a value came from, for issues raised later (phone numbers are parsed at assembly,
/// once the account's usage location is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: Arc<str>,
    pub row: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum PerUserState {
    Disabled,
    Enabled,
    Enforced,
}

impl PerUserState {
    pub fn as_str(self) -> &'static str {
        match self {
            PerUserState::Disabled => "Disabled",
            PerUserState::Enabled => "Enabled",
            PerUserState::Enforced => "Enforced",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum UserType {
    Member,
    Guest,
}

#[derive(Debug, Clone, Default)]
pub struct UserRec {
    pub loc: Option<Loc>,
    pub id: Option<String>,
    pub upn: Option<String>,
    pub display_name: Option<String>,
    pub user_type: Option<UserType>,
    pub enabled: Option<bool>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub usage_location: Option<String>,
    pub mobile: Option<String>,
    pub auth_phone: Option<String>,
    pub created: Option<Millis>,
    pub last_sign_in: Option<Millis>,
    pub last_non_interactive: Option<Millis>,
    pub last_successful: Option<Millis>,
}

#[derive(Debug, Clone, Default)]
pub struct RegRec {
    pub loc: Option<Loc>,
    pub id: Option<String>,
    pub upn: Option<String>,
    pub display_name: Option<String>,
    pub user_type: Option<UserType>,
    pub is_admin: Option<bool>,
    pub is_mfa_registered: Option<bool>,
    pub is_mfa_capable: Option<bool>,
    /// `None` when the cell could not be parsed (an issue says why).
    pub methods: Option<Vec<String>>,
    pub default_method: Option<String>,
    pub system_preferred: Option<bool>,
    pub preferred_method: Option<String>,
    pub last_updated: Option<Millis>,
}

#[derive(Debug, Clone, Default)]
pub struct PerUserRec {
    pub loc: Option<Loc>,
    pub id: Option<String>,
    pub upn: Option<String>,
    pub display_name: Option<String>,
    pub state: Option<PerUserState>,
    pub methods: Option<Vec<String>>,
    pub phone: Option<String>,
    pub is_admin: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct ExclRec {
    pub loc: Option<Loc>,
    pub id: Option<String>,
    pub upn: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<Millis>,
}

/// The parsed per-account inputs, in the order the files were given.
#[derive(Debug, Default)]
pub struct Records {
    pub users: Vec<UserRec>,
    pub registration: Vec<RegRec>,
    pub per_user: Vec<PerUserRec>,
    pub exclusions: Vec<ExclRec>,
    /// Which canonical columns any file of a kind had (to decide which rules can run).
    pub columns: HashMap<Kind, Vec<String>>,
}

impl Records {
    /// Whether any file of a kind had a canonical column.
    pub fn has_col(&self, kind: Kind, col: &str) -> bool {
        self.columns
            .get(&kind)
            .is_some_and(|c| c.iter().any(|x| x == col))
    }

    /// Appends another file's records after this one's.
    pub fn append(&mut self, mut o: Records) {
        self.users.append(&mut o.users);
        self.registration.append(&mut o.registration);
        self.per_user.append(&mut o.per_user);
        self.exclusions.append(&mut o.exclusions);
        for (kind, cols) in o.columns {
            let e = self.columns.entry(kind).or_default();
            for c in cols {
                if !e.contains(&c) {
                    e.push(c);
                }
            }
        }
    }
}

/// Every row of a file, projected onto the kind's canonical columns and cleaned, held while the
/// month/day order of its date columns is decided: all cells in one buffer, so a 100,000-row
/// export is a handful of allocations instead of a string per cell.
#[derive(Default)]
struct Rows {
    text: String,
    /// End of each cell, `width` cells per row, counted from the start of its row in `text`
    /// (a row's cells are at most `width` x 32,767 characters, so a u32 always holds it).
    ends: Vec<u32>,
    /// Spreadsheet row of each row and where its cells start in `text`.
    rows: Vec<(usize, usize)>,
    width: usize,
}

impl Rows {
    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Appends a row: one cleaned cell per projected header (blank where the row has none).
    fn push(
        &mut self,
        row: usize,
        cells: &[std::borrow::Cow<'_, str>],
        headers: &[String],
        file: &str,
        log: &mut IssueLog,
    ) {
        let base = self.text.len();
        self.rows.push((row, base));
        for (i, h) in headers.iter().enumerate() {
            let raw = cells.get(i).map_or("", |c| c.as_ref());
            super::clean_cell_into(log, file, row, h, raw, &mut self.text);
            self.ends
                .push(u32::try_from(self.text.len() - base).unwrap_or(u32::MAX));
        }
    }
    fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .enumerate()
            .map(move |(k, &(row, _))| Row { row, all: self, k })
    }
}

/// One row of `Rows`.
#[derive(Clone, Copy)]
struct Row<'a> {
    row: usize,
    all: &'a Rows,
    k: usize,
}

impl<'a> Row<'a> {
    /// The cleaned cell of canonical column `p` ("" beyond the projection).
    fn cell(&self, p: usize) -> &'a str {
        if p >= self.all.width {
            return "";
        }
        let i = self.k * self.all.width + p;
        let start = if p == 0 {
            0
        } else {
            self.all.ends[i - 1] as usize
        };
        let base = self.all.rows[self.k].1;
        self.all
            .text
            .get(base + start..base + self.all.ends[i] as usize)
            .unwrap_or("")
    }
}

/// Context for parsing one file's rows.
struct Ctx<'a> {
    file: Arc<str>,
    kind: Kind,
    mapping: &'a Mapping,
    log: &'a mut IssueLog,
    orders: HashMap<&'static str, Option<DateOrder>>,
}

impl Ctx<'_> {
    fn header(&self, col: &str) -> String {
        self.mapping
            .mapped
            .iter()
            .find(|(c, _)| c == col)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| col.to_string())
    }
    fn cell<'r>(&self, r: &Row<'r>, col: &str) -> &'r str {
        Mapping::pos(self.kind, col).map_or("", |p| r.cell(p))
    }
    fn text(&self, r: &Row, col: &str) -> Option<String> {
        values::blank(self.cell(r, col)).map(str::to_string)
    }
    /// Records a value that could not be parsed and is treated as blank.
    fn unparsed(&mut self, r: &Row, col: &str, raw: &str, problem: &str) {
        let h = self.header(col);
        self.log.add(
            &self.file,
            Some(r.row),
            &h,
            raw,
            problem.to_string(),
            Action::Kept,
        );
    }
    fn boolean(&mut self, r: &Row, col: &str) -> Option<bool> {
        let raw = self.cell(r, col);
        match values::parse_bool(raw) {
            Ok(v) => v,
            Err(p) => {
                self.unparsed(r, col, raw, &format!("{p}; treated as blank"));
                None
            }
        }
    }
    fn date(&mut self, r: &Row, col: &'static str) -> Option<Millis> {
        let raw = self.cell(r, col);
        match values::parse_ts(raw) {
            Ok(Some(ts)) => {
                let order = self.orders.get(col).copied().flatten();
                ts.resolve(order)
            }
            Ok(None) => None,
            Err(p) => {
                self.unparsed(r, col, raw, &format!("{p}; treated as blank"));
                None
            }
        }
    }
    fn methods(&mut self, r: &Row, col: &str) -> Option<Vec<String>> {
        let raw = self.cell(r, col);
        match values::parse_methods(raw) {
            Ok(v) => Some(v),
            Err(p) => {
                self.unparsed(r, col, raw, &format!("{p}; methods treated as unknown"));
                None
            }
        }
    }
    fn user_type(&mut self, r: &Row, col: &str) -> Option<UserType> {
        let raw = self.cell(r, col);
        let v = values::blank(raw)?;
        match v.to_ascii_lowercase().as_str() {
            "member" => Some(UserType::Member),
            "guest" => Some(UserType::Guest),
            _ => {
                let h = self.header(col);
                self.log.add(
                    &self.file,
                    Some(r.row),
                    &h,
                    raw,
                    "expected Member or Guest; treated as blank",
                    Action::Kept,
                );
                None
            }
        }
    }
    /// Object id and UPN of a row; `None` (row rejected, issue logged) when it has neither.
    fn identity(&mut self, r: &Row) -> Option<(Option<String>, Option<String>)> {
        let raw_id = self.cell(r, "id");
        let id = match values::blank(raw_id) {
            Some(v) if super::account_index::guid_key(v).is_some() => Some(v.to_ascii_lowercase()),
            Some(v) => {
                let h = self.header("id");
                self.log.add(
                    &self.file,
                    Some(r.row),
                    &h,
                    v,
                    "not an object id (GUID); treated as blank",
                    Action::Kept,
                );
                None
            }
            None => None,
        };
        let raw_upn = self.cell(r, "userPrincipalName");
        let upn = values::blank(raw_upn).map(str::to_string);
        if let Some(u) = &upn {
            if raw_upn.trim() != raw_upn && !raw_upn.trim().is_empty() {
                let h = self.header("userPrincipalName");
                self.log.add(
                    &self.file,
                    Some(r.row),
                    &h,
                    raw_upn,
                    "surrounding spaces removed",
                    Action::Kept,
                );
            }
            if u.contains(char::is_whitespace) || !u.contains('@') {
                let h = self.header("userPrincipalName");
                self.log.add(
                    &self.file,
                    Some(r.row),
                    &h,
                    u,
                    "not a user principal name (expected name@domain)",
                    Action::Rejected,
                );
                return None;
            }
        }
        if id.is_none() && upn.is_none() {
            let h = self.header("userPrincipalName");
            self.log.add(
                &self.file,
                Some(r.row),
                &h,
                "",
                "row has neither a user principal name nor an object id",
                Action::Rejected,
            );
            return None;
        }
        Some((id, upn))
    }
}

const DATE_COLUMNS: &[&str] = &[
    "createdDateTime",
    "lastSignInDateTime",
    "lastNonInteractiveSignInDateTime",
    "lastSuccessfulSignInDateTime",
    "lastUpdatedDateTime",
    "expires",
];

/// Reads one per-account file into `recs`. Returns its row counts.
pub fn read(
    opened: Opened,
    forced_order: Option<DateOrder>,
    recs: &mut Records,
    log: &mut IssueLog,
) -> Result<(RowCounts, FileMeta), InputError> {
    let (body, _, meta) = opened.split();
    body.refuse_truncated(&meta.name)?;
    let (name, kind) = (meta.name.clone(), meta.kind);
    let mapping = &meta.mapping;
    require_identity_column(&name, kind, mapping, &body.headers().join(", "))?;
    for (c, _) in &mapping.mapped {
        let e = recs.columns.entry(kind).or_default();
        if !e.contains(c) {
            e.push(c.clone());
        }
    }
    super::log_header_issues(log, &name, body.header_row(), mapping);
    let mut counts = RowCounts::default();
    let rows = collect_rows(body, &name, kind, mapping, log, &mut counts)?;
    let orders = decide_date_orders(&rows, &name, kind, mapping, forced_order)?;
    if kind == Kind::Users && rows.is_empty() {
        return Err(InputError::Unreadable {
            file: name,
            why: "the users export has a header but no data rows; a tenant always has accounts, so the export failed or was cut short: export it again".into(),
        });
    }
    let file: Arc<str> = Arc::from(name.as_str());
    let mut ctx = Ctx {
        file: file.clone(),
        kind,
        mapping,
        log,
        orders,
    };
    for r in rows.iter() {
        let r = &r;
        let Some((id, upn)) = ctx.identity(r) else {
            counts.rejected += 1;
            continue;
        };
        counts.used += 1;
        let who = Who {
            loc: Some(Loc {
                file: file.clone(),
                row: r.row,
            }),
            id,
            upn,
        };
        match kind {
            Kind::Users => recs.users.push(ctx.user(r, who)),
            Kind::Registration => recs.registration.push(ctx.registration(r, who)),
            Kind::PerUserMfa => recs.per_user.push(ctx.per_user(r, who)),
            Kind::Exclusions => recs.exclusions.push(ctx.exclusion(r, who)),
            Kind::SignIns
            | Kind::SignInSummary
            | Kind::AuthDetails
            | Kind::SecureScores
            | Kind::ScoreProfiles
            | Kind::Recommendations => {}
        }
    }
    Ok((counts, meta))
}

/// A per-account file must name its accounts: a UPN or an object id column.
fn require_identity_column(
    name: &str,
    kind: Kind,
    mapping: &Mapping,
    found: &str,
) -> Result<(), InputError> {
    if mapping.has(kind, "userPrincipalName") || mapping.has(kind, "id") {
        return Ok(());
    }
    let expected: Vec<&str> = schema::columns(kind)
        .iter()
        .filter(|c| c.name == "userPrincipalName" || c.name == "id")
        .flat_map(|c| c.aliases.iter().copied())
        .collect();
    Err(InputError::MissingColumn {
        file: name.to_string(),
        kind: kind.label(),
        needed: "user principal name or object id",
        expected: expected.join(", "),
        found: found.to_string(),
    })
}

/// Reads every row, projected onto the kind's canonical columns and cleaned, counting it read.
fn collect_rows(
    body: super::Body,
    name: &str,
    kind: Kind,
    mapping: &Mapping,
    log: &mut IssueLog,
    counts: &mut RowCounts,
) -> Result<Rows, InputError> {
    let proj_headers: Vec<String> = schema::columns(kind)
        .iter()
        .map(|c| {
            mapping
                .mapped
                .iter()
                .find(|(m, _)| m == c.name)
                .map(|(_, h)| h.clone())
                .unwrap_or_else(|| c.name.to_string())
        })
        .collect();
    let width = body.headers().len();
    let mut rows = Rows {
        width: proj_headers.len(),
        ..Rows::default()
    };
    body.for_each(&mapping.index, &mut |row, cells, fields| {
        counts.read += 1;
        if fields > width {
            log.add(
                name,
                Some(row),
                "",
                "",
                format!("row has {fields} fields, the header has {width}; extra fields ignored"),
                Action::Kept,
            );
        }
        rows.push(row, cells, &proj_headers, name, log);
    })?;
    Ok(rows)
}

/// Month/day order, decided per date column from every value in it (or given by the user).
fn decide_date_orders(
    rows: &Rows,
    name: &str,
    kind: Kind,
    mapping: &Mapping,
    forced_order: Option<DateOrder>,
) -> Result<HashMap<&'static str, Option<DateOrder>>, InputError> {
    let mut orders = HashMap::new();
    // The date columns this kind has (each kind has some of them).
    let of_kind = DATE_COLUMNS
        .iter()
        .filter(|c| super::schema::columns(kind).iter().any(|k| k.name == **c));
    for col in of_kind {
        let Some(p) = Mapping::pos(kind, col).filter(|_| mapping.has(kind, col)) else {
            continue;
        };
        let mut ev = OrderEvidence::default();
        for r in rows.iter() {
            let raw = r.cell(p);
            if let Ok(Some(ts @ Ts::Slash { .. })) = values::parse_ts(raw) {
                ev.observe(ts, r.row, raw);
            }
        }
        let header = mapping
            .mapped
            .iter()
            .find(|(c, _)| c == col)
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        let order = ev
            .decide(forced_order)
            .map_err(|why| InputError::DateOrder {
                file: name.to_string(),
                column: header,
                why,
            })?;
        orders.insert(*col, order);
    }
    Ok(orders)
}

/// Where a record came from and whom it names.
struct Who {
    loc: Option<Loc>,
    id: Option<String>,
    upn: Option<String>,
}

impl Ctx<'_> {
    fn user(&mut self, r: &Row, w: Who) -> UserRec {
        let mut enabled = self.boolean(r, "accountEnabled");
        if enabled.is_none() {
            enabled = self.boolean(r, "blockCredential").map(|b| !b);
        }
        UserRec {
            loc: w.loc,
            id: w.id,
            upn: w.upn,
            display_name: self.text(r, "displayName"),
            user_type: self.user_type(r, "userType"),
            enabled,
            department: self.text(r, "department"),
            job_title: self.text(r, "jobTitle"),
            usage_location: self.text(r, "usageLocation"),
            mobile: self.text(r, "mobilePhone"),
            auth_phone: self.text(r, "authenticationPhoneNumber"),
            created: self.date(r, "createdDateTime"),
            last_sign_in: self.date(r, "lastSignInDateTime"),
            last_non_interactive: self.date(r, "lastNonInteractiveSignInDateTime"),
            last_successful: self.date(r, "lastSuccessfulSignInDateTime"),
        }
    }

    fn registration(&mut self, r: &Row, w: Who) -> RegRec {
        let methods = if self.mapping.has(self.kind, "methodsRegistered") {
            self.methods(r, "methodsRegistered")
        } else {
            self.method_flags(r)
        };
        let registered = if self.mapping.has(self.kind, "mfaStatus") {
            self.mfa_status(r)
        } else {
            self.boolean(r, "isMfaRegistered")
        };
        RegRec {
            loc: w.loc,
            id: w.id,
            upn: w.upn,
            display_name: self.text(r, "displayName"),
            user_type: self.user_type(r, "userType"),
            is_admin: self.boolean(r, "isAdmin"),
            is_mfa_registered: registered,
            is_mfa_capable: self.boolean(r, "isMfaCapable"),
            methods,
            default_method: self.text(r, "defaultMfaMethod"),
            system_preferred: self.boolean(r, "isSystemPreferredAuthenticationMethodEnabled"),
            preferred_method: self.text(r, "userPreferredMethodForSecondaryAuthentication"),
            last_updated: self.date(r, "lastUpdatedDateTime"),
        }
    }

    /// Methods from one True/False column per method (MFA-AuthenticationMethods.csv); `None`
    /// when the file has no such columns.
    fn method_flags(&mut self, r: &Row) -> Option<Vec<String>> {
        let present: Vec<(&str, &str)> = super::schema::METHOD_FLAGS
            .into_iter()
            .filter(|(col, _)| self.mapping.has(self.kind, col))
            .collect();
        if present.is_empty() {
            return None;
        }
        let mut methods = Vec::new();
        for (col, method) in present {
            if self.boolean(r, col) == Some(true) {
                methods.push(method.to_string());
            }
        }
        Some(methods)
    }

    /// `MFAstatus` of an MFA-AuthenticationMethods export: Enabled = has an MFA method.
    fn mfa_status(&mut self, r: &Row) -> Option<bool> {
        let raw = self.cell(r, "mfaStatus");
        match values::blank(raw).map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("enabled") => Some(true),
            Some("disabled") => Some(false),
            Some(_) => {
                self.unparsed(
                    r,
                    "mfaStatus",
                    raw,
                    "expected Enabled or Disabled; treated as blank",
                );
                None
            }
        }
    }

    fn per_user(&mut self, r: &Row, w: Who) -> PerUserRec {
        let state = self.per_user_state(r);
        let methods = if self.mapping.has(self.kind, "methods") {
            self.methods(r, "methods")
        } else {
            None
        };
        PerUserRec {
            loc: w.loc,
            id: w.id,
            upn: w.upn,
            display_name: self.text(r, "displayName"),
            state,
            methods,
            phone: self.text(r, "mfaPhone"),
            is_admin: self.boolean(r, "isAdmin"),
        }
    }

    /// Disabled / Enabled / Enforced; blank is Disabled in MSOnline exports of
    /// `StrongAuthenticationRequirements.State`, unknown elsewhere.
    fn per_user_state(&mut self, r: &Row) -> Option<PerUserState> {
        let raw = self.cell(r, "perUserMfaState");
        let header = self.header("perUserMfaState");
        match values::blank(raw).map(|v| v.to_ascii_lowercase()) {
            None if header.eq_ignore_ascii_case("StrongAuthenticationRequirements.State") => {
                Some(PerUserState::Disabled)
            }
            None => None,
            Some(v) if v.starts_with("enforced") => Some(PerUserState::Enforced),
            Some(v) if v.starts_with("enabled") => Some(PerUserState::Enabled),
            Some(v) if v.starts_with("disabled") => Some(PerUserState::Disabled),
            Some(_) => {
                self.log.add(
                    &self.file,
                    Some(r.row),
                    &header,
                    raw,
                    "expected Disabled, Enabled or Enforced; treated as blank",
                    Action::Kept,
                );
                None
            }
        }
    }

    fn exclusion(&mut self, r: &Row, w: Who) -> ExclRec {
        ExclRec {
            loc: w.loc,
            id: w.id,
            upn: w.upn,
            reason: self.text(r, "reason"),
            expires: self.date(r, "expires"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn rows_give_back_each_cleaned_cell_of_each_row() {
        let headers: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut rows = Rows {
            width: headers.len(),
            ..Rows::default()
        };
        let mut log = IssueLog::default();
        let cell = |s: &'static str| Cow::Borrowed(s);
        rows.push(
            2,
            &[cell("x"), cell(""), cell("zé")],
            &headers,
            "f.csv",
            &mut log,
        );
        // A short row (fewer cells than headers) and a cell with NUL bytes.
        rows.push(3, &[cell("\0only\0")], &headers, "f.csv", &mut log);
        rows.push(
            5,
            &[cell(""), cell(""), cell("")],
            &headers,
            "f.csv",
            &mut log,
        );
        rows.push(
            6,
            &[cell("1"), cell("22"), cell("333")],
            &headers,
            "f.csv",
            &mut log,
        );
        let got: Vec<(usize, [&str; 4])> = rows
            .iter()
            .map(|r| (r.row, [r.cell(0), r.cell(1), r.cell(2), r.cell(3)]))
            .collect();
        assert_eq!(
            got,
            [
                (2, ["x", "", "zé", ""]),
                (3, ["only", "", "", ""]),
                (5, ["", "", "", ""]),
                (6, ["1", "22", "333", ""]),
            ]
        );
        assert_eq!(log.issues.len(), 1);
        assert_eq!(log.issues[0].row, Some(3));
    }
}
