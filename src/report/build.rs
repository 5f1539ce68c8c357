//! Builds the report in one step from the rules' results, the coverage rows and, with
//! `--baseline`, the campaign's progress: nothing is added to it afterwards.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::input::records::PerUserState;
use crate::input::{InputInfo, Issue};
use crate::report::baseline::Baseline;
use crate::report::model::*;
use crate::report::passkeys::{self, PasskeyArgs};
use crate::report::progress;
use crate::rules::bulk_file::BulkFile;
use crate::rules::{self, Code, Finding, NotEvaluated};
use crate::tenant::accounts::{Account, Phone};
use crate::tenant::coverage_rows::{self, PolicyReference, Row};
use crate::values::{Millis, fmt_ts};

/// A UPN fit for a machine-import file: one `@`, no whitespace, no spreadsheet formula start.
pub fn importable_upn(s: &str) -> bool {
    let mut parts = s.split('@');
    let ok_parts = matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && b.contains('.'));
    ok_parts
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == '"')
        && !s.starts_with(['=', '+', '-', '@'])
}

/// Inputs to `build`, beyond the accounts and findings.
pub struct BuildArgs<'a> {
    pub params: Parameters,
    pub thresholds: Thresholds,
    pub sign_in_evidence: String,
    pub as_of: Millis,
    pub per_user_target: PerUserState,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputInfo>,
    pub not_evaluated: Vec<NotEvaluated>,
    /// Per-account Conditional Access coverage and the policy references no input knows, when
    /// policies were given.
    pub coverage: Option<(Vec<Row>, Vec<PolicyReference>)>,
    /// The verified `--baseline` run, when given.
    pub baseline: Option<&'a Baseline>,
    /// The SMS/voice retirement dates and what the run knows of the methods policy.
    pub passkeys: PasskeyArgs,
    /// The Secure Score exports joined to the accounts, when any was given.
    pub secure_score: Option<crate::tenant::secure_score::SecureScoreInputs>,
}

/// Builds the report from the rules' results, step by step: the accounts' tables, then coverage
/// (and the admin score it decides), then the campaign's progress against the baseline.
pub fn build(
    accounts: Vec<Account>,
    findings: Vec<Finding>,
    args: BuildArgs<'_>,
) -> Result<Report, Error> {
    let mut args = args;
    let (coverage, baseline) = (args.coverage.take(), args.baseline);
    let secure_score = args.secure_score.take();
    let mut report = tables(accounts, findings, args);
    if let Some((rows, issues)) = coverage {
        report.summary.coverage = Some(coverage_rows::summarize(&rows, &issues));
        admin_score(&mut report.summary.secure_score, &rows, &report.accounts);
        report.coverage = Some(rows);
        report.coverage_issues = issues.into_iter().map(|i| i.problem).collect();
    }
    if let Some(s) = &secure_score {
        crate::report::secure_score::reconcile(&mut report, s);
    }
    if let Some(b) = baseline {
        report.summary.history = Some(progress::history(b, &report)?);
        report.progress = Some(progress::compare(b, &report));
    }
    Ok(report)
}

/// The report's tables and summary from the accounts and their findings.
fn tables(accounts: Vec<Account>, findings: Vec<Finding>, args: BuildArgs<'_>) -> Report {
    let account_findings = codes_per_account(accounts.len(), &findings);
    let (population, registration, admins) = population(&accounts);
    let (counts, by_severity) = finding_counts(&findings, &args.not_evaluated);
    let secure_score = secure_score(&registration, admins, args.params.include_guests);
    // The finding rows (a row of text per finding) are built beside the departments and the
    // bulk selection; a thread that panicked (a bug) builds them again here, visibly.
    let (rows, (departments, bulk)) = crate::par::beside(
        || finding_rows(&accounts, &findings),
        || {
            (
                departments(&accounts, &account_findings),
                select_bulk(&accounts, &account_findings, args.per_user_target),
            )
        },
    );
    let rows = rows.unwrap_or_else(|_| finding_rows(&accounts, &findings));
    let actions = actions(&bulk);
    let summary = Summary {
        tool: "mfa-audit",
        version: env!("CARGO_PKG_VERSION"),
        as_of: fmt_ts(args.as_of),
        as_of_source: args.params.as_of_source.clone(),
        parameters: args.params,
        thresholds: args.thresholds,
        population,
        exclusions: exclusion_rows(&accounts),
        registration,
        findings: counts,
        findings_by_severity: by_severity,
        not_evaluated: args.not_evaluated,
        secure_score,
        sign_in_evidence: args.sign_in_evidence,
        inputs: input_summaries(&args.inputs),
        input_issues: args.issues.len(),
        bulk_left_out: bulk.left_out.clone(),
        coverage: None,
        history: None,
        passkey_readiness: passkeys::readiness(
            &accounts,
            &account_findings,
            args.as_of,
            &args.passkeys,
        ),
        bulk_files_withheld: None,
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
        coverage: None,
        coverage_issues: Vec::new(),
        progress: None,
        secure_score: None,
    }
}

/// The finding codes of each account, parallel to the accounts.
fn codes_per_account(n: usize, findings: &[Finding]) -> Vec<Vec<Code>> {
    let mut per: Vec<Vec<Code>> = vec![Vec::new(); n];
    for f in findings {
        per[f.account].push(f.code);
    }
    per
}

/// In-scope admins, and how many of them are registered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Admins {
    in_scope: usize,
    registered: usize,
}

/// Population counts and registration readiness.
fn population(accounts: &[Account]) -> (Population, Readiness, Admins) {
    let mut pop = Population {
        total: accounts.len(),
        ..Default::default()
    };
    let mut ready = Readiness::default();
    let mut admins = Admins::default();
    for a in accounts {
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
        if !a.in_scope {
            continue;
        }
        pop.in_scope += 1;
        ready.in_scope += 1;
        match a.registered {
            Some(true) => ready.registered += 1,
            Some(false) => ready.not_registered += 1,
            None => ready.unknown += 1,
        }
        if a.is_admin == Some(true) {
            admins.in_scope += 1;
            if a.registered == Some(true) {
                admins.registered += 1;
            }
        }
    }
    pop.admins_in_scope = admins.in_scope;
    ready.percent = pct(ready.registered, ready.in_scope);
    (pop, ready, admins)
}

/// Count per evaluated code (0 when it flagged nobody) and per severity.
fn finding_counts(
    findings: &[Finding],
    not_evaluated: &[NotEvaluated],
) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let skipped: Vec<Code> = not_evaluated.iter().map(|n| n.code).collect();
    let mut counts: BTreeMap<String, usize> = rules::all()
        .iter()
        .filter(|r| !skipped.contains(&r.code()))
        .map(|r| (r.code().to_string(), 0))
        .collect();
    let mut by_sev: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.code.to_string()).or_default() += 1;
        *by_sev.entry(f.severity.as_str().to_string()).or_default() += 1;
    }
    (counts, by_sev)
}

/// Points scaled by the counted share, rounded to two decimals.
fn points(max: f64, counted: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (max * counted as f64 / total as f64 * 100.0).round() / 100.0
    }
}

/// The Secure Score estimates, each with the population it counted.
fn secure_score(ready: &Readiness, admins: Admins, include_guests: bool) -> Vec<ScoreEstimate> {
    let scope_text = if include_guests {
        "enabled, not excluded accounts (guests included)"
    } else {
        "enabled, not excluded member accounts"
    };
    vec![
        ScoreEstimate {
            control: "MFARegistrationV2",
            max_points: 9.0,
            estimated_points: points(9.0, ready.registered, ready.in_scope),
            counted: ready.registered,
            total: ready.in_scope,
            population: format!("{} in-scope accounts: {scope_text}; unknown registration counts as not registered", ready.in_scope),
            note: "Estimate from exported data; Microsoft does not publish the exact population rules of the control.".into(),
            microsoft: None,
            projected: None,
        },
        ScoreEstimate {
            control: "AdminMFAV2",
            max_points: 10.0,
            estimated_points: points(10.0, admins.registered, admins.in_scope),
            counted: admins.registered,
            total: admins.in_scope,
            population: format!("{} in-scope accounts with isAdmin = true; counted when registered for MFA", admins.in_scope),
            note: "Estimate: the control also needs a policy that requires MFA for admin roles, which exports do not show.".into(),
            microsoft: None,
            projected: None,
        },
    ]
}

/// One row per finding, for findings.csv.
fn finding_rows(accounts: &[Account], findings: &[Finding]) -> Vec<FindingRow> {
    findings
        .iter()
        .map(|f| {
            let a = &accounts[f.account];
            FindingRow {
                user_principal_name: a.upn.clone(),
                id: a.id.clone().unwrap_or_default(),
                display_name: a.display_name.clone().unwrap_or_default(),
                finding: f.code,
                severity: f.severity,
                detail: f.detail.clone(),
            }
        })
        .collect()
}

/// Readiness per department, worst first.
fn departments(accounts: &[Account], codes: &[Vec<Code>]) -> Vec<DepartmentRow> {
    let mut depts: BTreeMap<String, DepartmentRow> = BTreeMap::new();
    for (a, codes) in accounts.iter().zip(codes).filter(|(a, _)| a.in_scope) {
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
        if codes.contains(&Code::NotRegistered) || codes.contains(&Code::RegistrationUnknown) {
            d.not_registered += 1;
        }
        if codes.contains(&Code::StaleKmsi) {
            d.stale_kmsi += 1;
        }
        if codes.contains(&Code::MissingPhone) {
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
    departments
}

/// The bulk files an account belongs in, decided from its findings and state (in the order
/// accounts left out of them are listed).
fn wanted_files(a: &Account, codes: &[Code], per_user_target: PerUserState) -> Vec<BulkFile> {
    let has = |c: Code| codes.contains(&c);
    let mut files = Vec::new();
    if has(Code::NotRegistered) || has(Code::RegistrationUnknown) {
        files.push(BulkFile::GroupAdd);
    }
    if a.in_scope && a.registered == Some(true) {
        files.push(BulkFile::GroupRemove);
    }
    if has(Code::PhoneNotPrepopulated) {
        files.push(BulkFile::PhonePrepopulate);
    }
    if has(Code::StaleKmsi) {
        files.push(BulkFile::RevokeSessions);
    }
    if has(Code::WeakMethodsOnly) || has(Code::TelephonyInUse) {
        files.push(BulkFile::PasskeyCampaign);
    }
    if a.in_scope
        && (a.registered == Some(true) || a.auth_phone.is_some())
        && a.per_user_state != Some(per_user_target)
    {
        files.push(BulkFile::PerUserMfa);
    }
    files
}

/// The codes that put an account on the directory phone fixes, in file order.
const DIRECTORY_FIX_CODES: [Code; 3] = [Code::InvalidPhone, Code::MissingPhone, Code::SharedPhone];

/// The rows of every bulk file. Machine-import files hold only validated values: an account
/// whose UPN is not fit for import is left out of them, and the summary lists it with the file.
fn select_bulk(accounts: &[Account], codes: &[Vec<Code>], per_user_target: PerUserState) -> Bulk {
    let mut bulk = Bulk::default();
    for (a, codes) in accounts.iter().zip(codes) {
        let upn_ok = importable_upn(&a.upn);
        let member = match &a.id {
            Some(id) => Some(id.clone()),
            None if upn_ok => Some(a.upn.clone()),
            None => None,
        };
        for file in wanted_files(a, codes, per_user_target) {
            let fit = if file.group_template() {
                member.is_some()
            } else {
                upn_ok
            };
            if !fit {
                bulk.left_out.push(LeftOut {
                    user_principal_name: a.upn.clone(),
                    file,
                    reason: "the user principal name is not fit for an import file".into(),
                });
                continue;
            }
            match (file, &member) {
                (BulkFile::GroupAdd, Some(m)) => bulk.group_add.push(m.clone()),
                (BulkFile::GroupRemove, Some(m)) => bulk.group_remove.push(m.clone()),
                (BulkFile::PasskeyCampaign, Some(m)) => bulk.passkey_campaign.push(m.clone()),
                (BulkFile::PerUserMfa, _) => bulk
                    .per_user
                    .push((a.upn.clone(), per_user_target.as_str().to_string())),
                (BulkFile::PhonePrepopulate, _) => {
                    if let Phone::Valid(p) = &a.mobile {
                        bulk.phones.push((a.upn.clone(), p.clone(), "mobile"));
                    }
                }
                (BulkFile::RevokeSessions, _) => bulk
                    .revoke
                    .push((a.upn.clone(), a.id.clone().unwrap_or_default())),
                _ => {}
            }
        }
        for code in DIRECTORY_FIX_CODES
            .into_iter()
            .filter(|c| codes.contains(c))
        {
            // What the directory holds now, as typed, so the directory team can find it.
            bulk.directory_fixes.push(DirectoryFix {
                user_principal_name: a.upn.clone(),
                display_name: a.display_name.clone().unwrap_or_default(),
                department: a.department.clone().unwrap_or_default(),
                problem: code,
                current_value: a.mobile_raw.clone().unwrap_or_default(),
            });
        }
    }
    bulk
}

/// How many rows each bulk file holds (the Actions sheet).
fn actions(bulk: &Bulk) -> Vec<BulkAction> {
    BulkFile::ALL
        .into_iter()
        .map(|file| BulkAction {
            file,
            rows: bulk.rows(file),
            withheld: false,
        })
        .collect()
}

fn input_summaries(inputs: &[InputInfo]) -> Vec<InputSummary> {
    inputs
        .iter()
        .map(|i| InputSummary {
            path: i.path.clone(),
            kind: i.kind.label().to_string(),
            format: i.format.clone(),
            rows_read: i.rows.read,
            rows_used: i.rows.used,
            rows_rejected: i.rows.rejected,
            rows_ignored: i.rows.ignored,
            rows_duplicate: i.rows.duplicates,
        })
        .collect()
}

/// Every matched exclusion with its reason.
fn exclusion_rows(accounts: &[Account]) -> Vec<ExclusionRow> {
    accounts
        .iter()
        .filter_map(|a| {
            a.exclusion.as_ref().map(|x| ExclusionRow {
                user_principal_name: a.upn.clone(),
                reason: x.reason.clone(),
                expires: x.expires.map(fmt_ts),
                active: !x.expired,
            })
        })
        .collect()
}

/// With coverage known, the AdminMFAV2 estimate counts in-scope admins whose coverage is
/// `enforced` (what the control measures), instead of admins who merely registered.
fn admin_score(scores: &mut [ScoreEstimate], rows: &[Row], accounts: &[Account]) {
    let admins: Vec<&Row> = rows
        .iter()
        .zip(accounts)
        .filter(|(r, a)| r.admin && a.in_scope)
        .map(|(r, _)| r)
        .collect();
    let enforced = admins
        .iter()
        .filter(|r| r.verdict.coverage == crate::tenant::coverage::Coverage::Enforced)
        .count();
    if let Some(s) = scores.iter_mut().find(|s| s.control == "AdminMFAV2") {
        s.counted = enforced;
        s.total = admins.len();
        s.estimated_points = if admins.is_empty() {
            0.0
        } else {
            (s.max_points * enforced as f64 / admins.len() as f64 * 100.0).round() / 100.0
        };
        s.population = format!(
            "{} in-scope admins (isAdmin or a tenant-wide directory role); counted when Conditional Access coverage is enforced",
            admins.len()
        );
        s.note = "Estimate from exported policies, memberships and role assignments.".into();
    }
}
