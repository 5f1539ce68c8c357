//! findings.csv, accounts.csv and input-issues.csv: the human-facing tables. Every cell goes
//! through `inert`, so display names like `=1+3 MSOBB` cannot run in a spreadsheet.

use std::path::Path;

use super::{Written, csv_bytes};
use crate::Error;
use crate::accounts::Phone;
use crate::input::values::fmt_ts;
use crate::report::Report;

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
];

fn opt_bool(b: Option<bool>) -> String {
    b.map(|b| if b { "true" } else { "false" }.to_string())
        .unwrap_or_default()
}

/// The raw cells of the three human-facing tables, built once for the CSVs and the workbook.
pub struct Tables {
    pub findings: Vec<Vec<String>>,
    pub accounts: Vec<Vec<String>>,
    pub issues: Vec<Vec<String>>,
}

impl Tables {
    pub fn new(r: &Report) -> Tables {
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
pub fn findings_cells(r: &Report) -> Vec<Vec<String>> {
    r.findings
        .iter()
        .map(|f| {
            vec![
                f.user_principal_name.clone(),
                f.id.clone(),
                f.display_name.clone(),
                f.finding.to_string(),
                f.severity.as_str().to_string(),
                f.detail.clone(),
            ]
        })
        .collect()
}

/// The accounts table's raw text, before neutralisation (the workbook writes it as string cells).
pub fn accounts_cells(r: &Report) -> Vec<Vec<String>> {
    r.accounts
        .iter()
        .zip(&r.account_findings)
        .map(|(a, codes)| {
            let ts = |t: Option<i64>| t.map(fmt_ts).unwrap_or_default();
            vec![
                a.upn.clone(),
                a.id.clone().unwrap_or_default(),
                a.display_name.clone().unwrap_or_default(),
                match (a.user_type, a.guest) {
                    (Some(t), _) => format!("{t:?}"),
                    (None, true) => "Guest (#EXT#)".into(),
                    (None, false) => String::new(),
                },
                opt_bool(a.enabled),
                a.department.clone().unwrap_or_default(),
                a.job_title.clone().unwrap_or_default(),
                a.usage_location.clone().unwrap_or_default(),
                ts(a.created),
                opt_bool(a.is_admin),
                a.mobile_raw.clone().unwrap_or_default(),
                match &a.mobile {
                    Phone::Valid(p) => p.clone(),
                    Phone::Invalid { .. } => "invalid".into(),
                    Phone::None => String::new(),
                },
                a.auth_phone.clone().unwrap_or_default(),
                opt_bool(a.registered),
                a.registration_basis.clone(),
                a.methods.as_ref().map(|m| m.join(";")).unwrap_or_default(),
                a.strongest()
                    .map(|c| {
                        serde_json::to_value(c)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                a.default_method.clone().unwrap_or_default(),
                a.per_user_state
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                a.sign_in_source.as_str().to_string(),
                ts(a.last_interactive),
                ts(a.last_non_interactive),
                ts(a.last_sign_in),
                a.prompts.map(|p| p.to_string()).unwrap_or_default(),
                a.exclusion
                    .as_ref()
                    .map(|x| x.reason.clone())
                    .unwrap_or_default(),
                a.exclusion
                    .as_ref()
                    .and_then(|x| x.expires)
                    .map(fmt_ts)
                    .unwrap_or_default(),
                a.in_scope.to_string(),
                a.scope_reason.clone(),
                codes
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        })
        .collect()
}

/// The issues table's raw text, before neutralisation (the workbook writes it as string cells).
pub fn issues_cells(r: &Report) -> Vec<Vec<String>> {
    r.issues
        .iter()
        .map(|i| {
            vec![
                i.file.clone(),
                i.row.map(|r| r.to_string()).unwrap_or_default(),
                i.column.clone(),
                i.value.clone(),
                i.problem.clone(),
                i.action.as_str().to_string(),
            ]
        })
        .collect()
}

pub fn write(t: &Tables, out: &Path, w: &mut Written) -> Result<(), Error> {
    w.put(
        out,
        "findings.csv",
        &csv_bytes(FINDINGS_HEADER, &t.findings, true),
    )?;
    w.put(
        out,
        "accounts.csv",
        &csv_bytes(ACCOUNTS_HEADER, &t.accounts, true),
    )?;
    w.put(
        out,
        "input-issues.csv",
        &csv_bytes(ISSUES_HEADER, &t.issues, true),
    )?;
    Ok(())
}
