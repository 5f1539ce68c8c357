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

/// One table row: cells borrowed from the report where they are its text, owned where formatted.
pub type Cells<'a> = Vec<Cow<'a, str>>;

/// The raw cells of the three human-facing tables, built once for the CSVs and the workbook.
pub struct Tables<'a> {
    pub findings: Vec<Cells<'a>>,
    pub accounts: Vec<Cells<'a>>,
    pub issues: Vec<Cells<'a>>,
}

impl<'a> Tables<'a> {
    pub fn new(r: &'a Report) -> Tables<'a> {
        // The accounts table is the big one: build it beside the other two.
        let (accounts, (findings, issues)) = crate::par::beside(
            || accounts_cells(r),
            || (findings_cells(r), issues_cells(r)),
        );
        Tables {
            findings,
            accounts: accounts.unwrap_or_else(|_| accounts_cells(r)),
            issues,
        }
    }
}

/// The findings table's raw text, before neutralisation (the workbook writes it as string cells).
pub fn findings_cells(r: &Report) -> Vec<Cells<'_>> {
    r.findings
        .iter()
        .map(|f| {
            vec![
                Cow::Borrowed(f.user_principal_name.as_str()),
                Cow::Borrowed(f.id.as_str()),
                Cow::Borrowed(f.display_name.as_str()),
                Cow::Owned(f.finding.to_string()),
                Cow::Borrowed(f.severity.as_str()),
                Cow::Borrowed(f.detail.as_str()),
            ]
        })
        .collect()
}

/// The accounts table's raw text, before neutralisation (the workbook writes it as string cells).
pub fn accounts_cells(r: &Report) -> Vec<Cells<'_>> {
    r.accounts
        .iter()
        .zip(&r.account_findings)
        .map(|(a, codes)| {
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
        })
        .collect()
}

/// The issues table's raw text, before neutralisation (the workbook writes it as string cells).
pub fn issues_cells(r: &Report) -> Vec<Cells<'_>> {
    r.issues
        .iter()
        .map(|i| {
            vec![
                Cow::Borrowed(i.file.as_str()),
                Cow::Owned(i.row.map(|r| r.to_string()).unwrap_or_default()),
                Cow::Borrowed(i.column.as_str()),
                Cow::Borrowed(i.value.as_str()),
                Cow::Borrowed(i.problem.as_str()),
                Cow::Borrowed(i.action.as_str()),
            ]
        })
        .collect()
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
            csv_write(b, header, rows, true)?.flush()
        })?;
    }
    Ok(())
}
