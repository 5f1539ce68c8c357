//! The report: a plain data model of accounts, findings, summary, bulk-file rows, departments,
//! input issues and inputs. It is computed once from the rules' results; every writer renders
//! from it and none recomputes a rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::accounts::{Account, Phone};
use crate::input::records::PerUserState;
use crate::input::values::{Millis, fmt_ts};
use crate::input::{InputInfo, Issue};
use crate::rules::{self, Finding, NotEvaluated, Severity};

/// Parameters of the run, as recorded in summary, manifest and workbook.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameters {
    pub as_of: String,
    pub as_of_source: String,
    pub stale_after_days: i64,
    pub campaign_start: Option<String>,
    pub active_within_days: i64,
    pub dormant_after_days: i64,
    pub default_region: Option<String>,
    pub date_order: Option<String>,
    pub include_guests: bool,
    pub per_user_target: String,
    pub group_template: String,
    pub max_rows: Option<usize>,
}

/// The dates the thresholds resolve to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    pub interactive_counts_since: String,
    pub active_since: String,
    pub dormant_since: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Population {
    pub total: usize,
    pub in_scope: usize,
    pub members: usize,
    pub guests: usize,
    pub disabled: usize,
    pub excluded: usize,
    /// Accounts whose `accountEnabled` was blank (treated as enabled).
    pub enabled_blank: usize,
    pub admins_in_scope: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub in_scope: usize,
    pub registered: usize,
    pub not_registered: usize,
    pub unknown: usize,
    /// Registered share of the in-scope accounts, percent, one decimal.
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreEstimate {
    pub control: &'static str,
    pub max_points: f64,
    pub estimated_points: f64,
    pub counted: usize,
    pub total: usize,
    pub population: String,
    pub note: String,
}

/// An account on the exclusions list, with its reason (active or expired).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExclusionRow {
    pub user_principal_name: String,
    pub reason: String,
    pub expires: Option<String>,
    /// false when the expiry date has passed (the account is back in scope).
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputSummary {
    pub path: String,
    pub kind: String,
    pub format: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub tool: &'static str,
    pub version: &'static str,
    pub as_of: String,
    pub as_of_source: String,
    pub parameters: Parameters,
    pub thresholds: Thresholds,
    pub population: Population,
    /// Every matched exclusion with its reason.
    pub exclusions: Vec<ExclusionRow>,
    pub registration: Readiness,
    /// Count per evaluated finding code (0 when it flagged nobody).
    pub findings: BTreeMap<String, usize>,
    pub findings_by_severity: BTreeMap<String, usize>,
    pub not_evaluated: Vec<NotEvaluated>,
    pub secure_score: Vec<ScoreEstimate>,
    pub sign_in_evidence: String,
    pub inputs: Vec<InputSummary>,
    pub input_issues: usize,
    /// Accounts left out of a machine-import file because a value is not fit for it.
    pub bulk_left_out: Vec<LeftOut>,
    /// With `--baseline`: the campaign so far, the baseline's history plus this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<crate::progress::HistoryPoint>>,
}

/// One row of findings.csv.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingRow {
    pub user_principal_name: String,
    pub id: String,
    pub display_name: String,
    pub department: String,
    pub finding: &'static str,
    pub severity: Severity,
    pub detail: String,
}

/// Per-department readiness, worst first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentRow {
    pub department: String,
    pub in_scope: usize,
    pub registered: usize,
    pub percent: f64,
    pub not_registered: usize,
    pub stale_kmsi: usize,
    pub missing_phone: usize,
}

/// A row of directory-phone-fixes.csv.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryFix {
    pub user_principal_name: String,
    pub display_name: String,
    pub department: String,
    pub problem: &'static str,
    pub current_value: String,
}

/// The rows of every bulk file, decided from the findings (design.md, "The bulk files follow...").
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bulk {
    /// Object id where known, else UPN.
    pub group_add: Vec<String>,
    pub group_remove: Vec<String>,
    /// (UPN, state)
    pub per_user: Vec<(String, String)>,
    /// (UPN, phone in Graph form, phone type)
    pub phones: Vec<(String, String, &'static str)>,
    /// (UPN, object id)
    pub revoke: Vec<(String, String)>,
    pub directory_fixes: Vec<DirectoryFix>,
    /// Accounts a machine-import file should hold but cannot (an unfit UPN), and which file.
    pub left_out: Vec<LeftOut>,
}

/// An account left out of a machine-import file, and why.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftOut {
    pub user_principal_name: String,
    pub file: &'static str,
    pub reason: String,
}

/// What each bulk file is for and how to apply it (Actions sheet).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub file: &'static str,
    pub purpose: &'static str,
    pub how: &'static str,
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    #[serde(skip)]
    pub accounts: Vec<Account>,
    /// Codes per account, parallel to `accounts`.
    #[serde(skip)]
    pub account_findings: Vec<Vec<&'static str>>,
    pub findings: Vec<FindingRow>,
    pub departments: Vec<DepartmentRow>,
    pub bulk: Bulk,
    pub actions: Vec<Action>,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputInfo>,
    /// With `--baseline`: the changes since that run.
    #[serde(skip)]
    pub progress: Option<crate::progress::Progress>,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 * 1000.0 / d as f64).round() / 10.0
    }
}

/// A UPN fit for a machine-import file: one `@`, no whitespace, no spreadsheet formula start.
pub fn importable_upn(s: &str) -> bool {
    let mut parts = s.split('@');
    let ok_parts = matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && b.contains('.'));
    ok_parts
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == '"')
        && !s.starts_with(['=', '+', '-', '@'])
}

/// Inputs to `build`, beyond the accounts and findings.
pub struct BuildArgs {
    pub params: Parameters,
    pub thresholds: Thresholds,
    pub sign_in_evidence: String,
    pub as_of: Millis,
    pub per_user_target: PerUserState,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputInfo>,
    pub not_evaluated: Vec<NotEvaluated>,
}

pub fn build(accounts: Vec<Account>, findings: Vec<Finding>, args: BuildArgs) -> Report {
    let mut account_findings: Vec<Vec<&'static str>> = vec![Vec::new(); accounts.len()];
    for f in &findings {
        account_findings[f.account].push(f.code);
    }
    let has = |i: usize, code: &str| account_findings[i].contains(&code);

    // Population and readiness.
    let mut pop = Population {
        total: accounts.len(),
        ..Default::default()
    };
    let mut ready = Readiness::default();
    let (mut admins, mut admins_registered) = (0, 0);
    for a in &accounts {
        if a.guest {
            pop.guests += 1;
        } else {
            pop.members += 1;
        }
        if a.enabled == Some(false) {
            pop.disabled += 1;
        }
        if a.enabled.is_none() {
            pop.enabled_blank += 1;
        }
        if a.exclusion.as_ref().is_some_and(|x| !x.expired) {
            pop.excluded += 1;
        }
        if a.in_scope {
            pop.in_scope += 1;
            ready.in_scope += 1;
            match a.registered {
                Some(true) => ready.registered += 1,
                Some(false) => ready.not_registered += 1,
                None => ready.unknown += 1,
            }
            if a.is_admin == Some(true) {
                admins += 1;
                if a.registered == Some(true) {
                    admins_registered += 1;
                }
            }
        }
    }
    pop.admins_in_scope = admins;
    ready.percent = pct(ready.registered, ready.in_scope);

    let skipped: Vec<&str> = args.not_evaluated.iter().map(|n| n.code).collect();
    let mut counts: BTreeMap<String, usize> = rules::all()
        .iter()
        .filter(|r| !skipped.contains(&r.code()))
        .map(|r| (r.code().to_string(), 0))
        .collect();
    let mut by_sev: BTreeMap<String, usize> = BTreeMap::new();
    for f in &findings {
        *counts.entry(f.code.to_string()).or_default() += 1;
        *by_sev.entry(f.severity.as_str().to_string()).or_default() += 1;
    }

    let scope_text = if args.params.include_guests {
        "enabled, not excluded accounts (guests included)"
    } else {
        "enabled, not excluded member accounts"
    };
    let secure_score = vec![
        ScoreEstimate {
            control: "MFARegistrationV2",
            max_points: 9.0,
            estimated_points: (9.0 * ready.registered as f64 / ready.in_scope.max(1) as f64 * 100.0).round() / 100.0,
            counted: ready.registered,
            total: ready.in_scope,
            population: format!("{} in-scope accounts: {scope_text}; unknown registration counts as not registered", ready.in_scope),
            note: "Estimate from exported data; Microsoft does not publish the exact population rules of the control.".into(),
        },
        ScoreEstimate {
            control: "AdminMFAV2",
            max_points: 10.0,
            estimated_points: if admins == 0 {
                0.0
            } else {
                (10.0 * admins_registered as f64 / admins as f64 * 100.0).round() / 100.0
            },
            counted: admins_registered,
            total: admins,
            population: format!("{admins} in-scope accounts with isAdmin = true; counted when registered for MFA"),
            note: "Estimate: the control also needs a policy that requires MFA for admin roles, which exports do not show.".into(),
        },
    ];

    // Findings rows.
    let rows: Vec<FindingRow> = findings
        .iter()
        .map(|f| {
            let a = &accounts[f.account];
            FindingRow {
                user_principal_name: a.upn.clone(),
                id: a.id.clone().unwrap_or_default(),
                display_name: a.display_name.clone().unwrap_or_default(),
                department: a.department.clone().unwrap_or_default(),
                finding: f.code,
                severity: f.severity,
                detail: f.detail.clone(),
            }
        })
        .collect();

    // Departments.
    let mut depts: BTreeMap<String, DepartmentRow> = BTreeMap::new();
    for (i, a) in accounts.iter().enumerate().filter(|(_, a)| a.in_scope) {
        let name = a
            .department
            .clone()
            .unwrap_or_else(|| "(no department)".into());
        let d = depts.entry(name.clone()).or_insert(DepartmentRow {
            department: name,
            in_scope: 0,
            registered: 0,
            percent: 0.0,
            not_registered: 0,
            stale_kmsi: 0,
            missing_phone: 0,
        });
        d.in_scope += 1;
        if a.registered == Some(true) {
            d.registered += 1;
        }
        if has(i, "not-registered") || has(i, "registration-unknown") {
            d.not_registered += 1;
        }
        if has(i, "stale-kmsi") {
            d.stale_kmsi += 1;
        }
        if has(i, "missing-phone") {
            d.missing_phone += 1;
        }
    }
    let mut departments: Vec<DepartmentRow> = depts
        .into_values()
        .map(|mut d| {
            d.percent = pct(d.registered, d.in_scope);
            d
        })
        .collect();
    departments.sort_by(|a, b| {
        a.percent
            .total_cmp(&b.percent)
            .then(b.in_scope.cmp(&a.in_scope))
            .then(a.department.cmp(&b.department))
    });

    // Bulk files.
    let mut bulk = Bulk::default();
    for (i, a) in accounts.iter().enumerate() {
        // Machine-import files hold only validated values: an account whose UPN is not fit for
        // import is left out of them, and the summary lists it with the file it is missing from.
        let upn_ok = importable_upn(&a.upn);
        let mut left_out = |file: &'static str| {
            bulk.left_out.push(LeftOut {
                user_principal_name: a.upn.clone(),
                file,
                reason: "the user principal name is not fit for an import file".into(),
            })
        };
        let member = match &a.id {
            Some(id) => Some(id.clone()),
            None if upn_ok => Some(a.upn.clone()),
            None => None,
        };
        let wants_add = has(i, "not-registered") || has(i, "registration-unknown");
        let wants_remove = a.in_scope && a.registered == Some(true);
        let wants_phone = has(i, "phone-not-prepopulated");
        let wants_revoke = has(i, "stale-kmsi");
        let wants_per_user = a.in_scope
            && (a.registered == Some(true) || a.auth_phone.is_some())
            && a.per_user_state != Some(args.per_user_target);
        for (wanted, file, ok) in [
            (
                wants_add,
                "bulk/registration-group-add.csv",
                member.is_some(),
            ),
            (
                wants_remove,
                "bulk/registration-group-remove.csv",
                member.is_some(),
            ),
            (wants_phone, "bulk/phone-methods-prepopulate.csv", upn_ok),
            (wants_revoke, "bulk/revoke-sessions.csv", upn_ok),
            (wants_per_user, "bulk/per-user-mfa-bulk-update.csv", upn_ok),
        ] {
            if wanted && !ok {
                left_out(file);
            }
        }
        if let Some(m) = member.filter(|_| wants_add || wants_remove) {
            if wants_add {
                bulk.group_add.push(m.clone());
            }
            if wants_remove {
                bulk.group_remove.push(m);
            }
        }
        if wants_phone
            && upn_ok
            && let Phone::Valid(p) = &a.mobile
        {
            bulk.phones.push((a.upn.clone(), p.clone(), "mobile"));
        }
        if wants_revoke && upn_ok {
            bulk.revoke
                .push((a.upn.clone(), a.id.clone().unwrap_or_default()));
        }
        if wants_per_user && upn_ok {
            bulk.per_user
                .push((a.upn.clone(), args.per_user_target.as_str().to_string()));
        }
        for code in ["invalid-phone", "missing-phone", "shared-phone"] {
            if has(i, code) {
                // What the directory holds now, as typed, so the directory team can find it.
                let current = a.mobile_raw.clone().unwrap_or_default();
                bulk.directory_fixes.push(DirectoryFix {
                    user_principal_name: a.upn.clone(),
                    display_name: a.display_name.clone().unwrap_or_default(),
                    department: a.department.clone().unwrap_or_default(),
                    problem: code,
                    current_value: current,
                });
            }
        }
    }

    let actions = vec![
        Action {
            file: "bulk/registration-group-add.csv",
            purpose: "Accounts not registered or with unknown registration: add them to the registration campaign / Conditional Access target group.",
            how: "Entra admin center > Groups > (group) > Members > Bulk operations > Import members; upload the file as it is.",
            rows: bulk.group_add.len(),
        },
        Action {
            file: "bulk/registration-group-remove.csv",
            purpose: "In-scope accounts already registered: take them out of the campaign group.",
            how: "Entra admin center > Groups > (group) > Members > Bulk operations > Remove members.",
            rows: bulk.group_remove.len(),
        },
        Action {
            file: "bulk/per-user-mfa-bulk-update.csv",
            purpose: "Registered accounts (or with an authentication phone) not yet at the per-user MFA target state.",
            how: "Legacy multifactor authentication page (per-user MFA) > bulk update; upload the file.",
            rows: bulk.per_user.len(),
        },
        Action {
            file: "bulk/phone-methods-prepopulate.csv",
            purpose: "Unregistered accounts whose directory mobile number can be pre-populated as their mobile phone method.",
            how: "A script looping POST /users/{userPrincipalName}/authentication/phoneMethods with phoneNumber and phoneType (New-MgUserAuthenticationPhoneMethod).",
            rows: bulk.phones.len(),
        },
        Action {
            file: "bulk/revoke-sessions.csv",
            purpose: "stale-kmsi accounts: revoking sessions forces an interactive sign-in, which shows the registration prompt.",
            how: "A script looping POST /users/{id}/revokeSignInSessions (Revoke-MgUserSignInSession -UserId).",
            rows: bulk.revoke.len(),
        },
        Action {
            file: "bulk/directory-phone-fixes.csv",
            purpose: "Missing, invalid and shared directory mobile numbers to correct at the source of authority.",
            how: "Hand to the HR / directory team; fix in on-premises AD or the HR feed, or Update-MgUser -MobilePhone for cloud-only accounts.",
            rows: bulk.directory_fixes.len(),
        },
    ];

    let inputs_summary = args
        .inputs
        .iter()
        .map(|i| InputSummary {
            path: i.path.clone(),
            kind: i.kind.label().to_string(),
            format: i.format.clone(),
            rows_read: i.rows.read,
            rows_used: i.rows.used,
            rows_rejected: i.rows.rejected,
        })
        .collect();

    let exclusions = accounts
        .iter()
        .filter_map(|a| {
            a.exclusion.as_ref().map(|x| ExclusionRow {
                user_principal_name: a.upn.clone(),
                reason: x.reason.clone(),
                expires: x.expires.map(fmt_ts),
                active: !x.expired,
            })
        })
        .collect();
    let summary = Summary {
        tool: "mfa-audit",
        version: env!("CARGO_PKG_VERSION"),
        as_of: fmt_ts(args.as_of),
        as_of_source: args.params.as_of_source.clone(),
        parameters: args.params,
        thresholds: args.thresholds,
        population: pop,
        exclusions,
        registration: ready,
        findings: counts,
        findings_by_severity: by_sev,
        not_evaluated: args.not_evaluated,
        secure_score,
        sign_in_evidence: args.sign_in_evidence,
        inputs: inputs_summary,
        input_issues: args.issues.len(),
        bulk_left_out: bulk.left_out.clone(),
        history: None,
    };
    Report {
        summary,
        accounts,
        account_findings,
        findings: rows,
        departments,
        bulk,
        actions,
        issues: args.issues,
        inputs: args.inputs,
        progress: None,
    }
}
