//! The report's data model: accounts, findings, summary, bulk-file rows, departments, input
//! issues, inputs, coverage and the campaign's progress. `build.rs` fills it in one step; every
//! writer renders from it and none recomputes a rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::input::{InputInfo, Issue};
use crate::rules::bulk_file::BulkFile;
use crate::rules::{Code, NotEvaluated, Severity};
use crate::tenant::accounts::Account;

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
    pub telephony_retirement: String,
    pub telephony_retirement_late: String,
    pub telecom_provider: bool,
    /// With `--pseudonymize`: how identifiers were replaced and the key's fingerprint (never the
    /// key), which a later run checks before using this one as its baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pseudonymized: Option<Pseudonymized>,
}

/// What a pseudonymised run records about its key.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pseudonymized {
    /// `HMAC-SHA-256`.
    pub method: &'static str,
    /// An HMAC of a fixed text with the key, 16 hex digits: the same key gives the same one.
    pub key_fingerprint: String,
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
    /// Microsoft's own figures, when a Secure Score export was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub microsoft: Option<MicrosoftScore>,
    /// The score once every account in the matching bulk file has acted (with Secure Score
    /// exports given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected: Option<Projected>,
}

/// One control as Microsoft's Secure Score export gives it (docs/outputs.md, "securescore.csv").
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MicrosoftScore {
    /// Points now; `None` when no score object carried the control.
    pub score: Option<f64>,
    pub max_score: f64,
    /// `score` (the control score carried it), `profile` (the control profile) or `default`.
    pub max_score_from: String,
    /// The score's `createdDateTime`.
    pub date: Option<String>,
    /// `count` and `total` as exported (strings).
    pub count: Option<String>,
    pub total: Option<String>,
    pub implementation_status: Option<String>,
    /// The file and object the score was read from.
    pub source: String,
    /// Score objects carrying the control (the newest is used).
    pub scores_read: usize,
    /// The impacted resources of the control's recommendation, by status; `None` without one.
    pub impacted: Option<ImpactedCounts>,
    /// Rows of securescore.csv for this control.
    pub accounts_differing: usize,
}

/// A recommendation's impacted resources, by status, and how they matched our accounts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImpactedCounts {
    pub active: usize,
    pub dismissed: usize,
    pub postponed: usize,
    pub completed_by_system: usize,
    pub completed_by_user: usize,
    pub other_status: usize,
    pub not_in_our_inputs: usize,
    pub matched_by_subject_id: usize,
    pub matched_by_display_name: usize,
}

/// The projected score and what it assumes.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Projected {
    pub points: f64,
    pub max_points: f64,
    /// The bulk file whose accounts are assumed to have acted.
    pub bulk_file: String,
    /// Accounts that count as compliant once they have acted.
    pub accounts_acting: usize,
    pub basis: String,
}

/// One row of securescore.csv: an account the two views disagree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScoreRow {
    pub control: &'static str,
    pub user_principal_name: String,
    pub id: String,
    pub microsoft: String,
    pub ours: String,
    pub reason: String,
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
    /// Rows set aside (re-delivered archive records, service-principal sign-ins).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_ignored: u64,
    /// Of the ignored rows, re-delivered archive records (the same `properties.id` again).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_duplicate: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
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
    /// Conditional Access coverage counts and policy-reference issues, when policies were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::tenant::coverage_rows::CoverageSummary>,
    /// With `--baseline`: the campaign so far, the baseline's history plus this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryPoint>>,
    /// The end of Microsoft-provided SMS and voice: who still depends on a phone.
    pub passkey_readiness: PasskeyReadiness,
    /// With `--pseudonymize`: why no bulk file was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_files_withheld: Option<String>,
}

/// Yes / no / unknown counts over the in-scope accounts, with the share of yes.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TriCounts {
    pub yes: usize,
    pub no: usize,
    pub unknown: usize,
    pub percent_yes: f64,
}

/// One department's passkey readiness.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyDepartment {
    pub department: String,
    pub in_scope: usize,
    /// `weak-methods-only` accounts.
    pub phone_only: usize,
    pub telephony_in_use: usize,
    pub phishing_resistant: usize,
    pub percent_phishing_resistant: f64,
}

/// `passkeyReadiness` in summary.json and the Passkey readiness sheet.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyReadiness {
    pub retirement_date: String,
    pub retirement_date_late: String,
    /// Days from the as-of date to each date (negative once passed).
    pub days_left: i64,
    pub days_left_late: i64,
    pub telecom_provider: bool,
    /// The methods policy's `policyMigrationState`, `absent` without a policy input.
    pub methods_policy: String,
    pub in_scope: usize,
    /// In-scope accounts with a registered SMS/voice method.
    pub with_telephony_methods: usize,
    pub weak_methods_only: usize,
    pub telephony_in_use: usize,
    pub passkey_not_allowed: usize,
    pub registered_not_usable: usize,
    pub phishing_resistant: TriCounts,
    /// `None` (null) without a methods policy: not evaluated.
    pub passkey_allowed: Option<TriCounts>,
    pub campaign_targeted: Option<TriCounts>,
    /// In-scope accounts past their retirement date, for which the phone rules were not made.
    pub phone_rules_not_evaluated: usize,
    pub by_department: Vec<PasskeyDepartment>,
    pub notes: Vec<String>,
}

/// One row of findings.csv.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingRow {
    pub user_principal_name: String,
    pub id: String,
    pub display_name: String,
    pub finding: Code,
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
    pub problem: Code,
    pub current_value: String,
}

/// The rows of every bulk file, decided from the findings (docs/decisions.md, "From findings to
/// bulk files").
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
    /// Object id where known, else UPN: accounts that depend on SMS/voice.
    pub passkey_campaign: Vec<String>,
    /// Accounts a machine-import file should hold but cannot (an unfit UPN), and which file.
    pub left_out: Vec<LeftOut>,
}

/// An account left out of a machine-import file, and why.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftOut {
    pub user_principal_name: String,
    pub file: BulkFile,
    pub reason: String,
}

/// What each bulk file is for and how to apply it (Actions sheet).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAction {
    pub file: BulkFile,
    pub rows: usize,
    /// Not written: the run was pseudonymised (`--pseudonymize`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    #[serde(skip)]
    pub accounts: Vec<Account>,
    /// Codes per account, parallel to `accounts`.
    #[serde(skip)]
    pub account_findings: Vec<Vec<Code>>,
    pub findings: Vec<FindingRow>,
    pub departments: Vec<DepartmentRow>,
    pub bulk: Bulk,
    pub actions: Vec<BulkAction>,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputInfo>,
    /// Per-account CA coverage, when policies were given.
    #[serde(skip)]
    pub coverage: Option<Vec<crate::tenant::coverage_rows::Row>>,
    /// Policy references to ids no input knows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coverage_issues: Vec<String>,
    /// With `--baseline`: the changes since that run.
    #[serde(skip)]
    pub progress: Option<Progress>,
    /// With Secure Score exports: the accounts the two views disagree on (securescore.csv),
    /// sorted by control, then lowercase UPN.
    #[serde(skip)]
    pub secure_score: Option<Vec<ScoreRow>>,
}

impl Bulk {
    /// The number of rows a bulk file holds.
    pub fn rows(&self, file: BulkFile) -> usize {
        match file {
            BulkFile::GroupAdd => self.group_add.len(),
            BulkFile::GroupRemove => self.group_remove.len(),
            BulkFile::PerUserMfa => self.per_user.len(),
            BulkFile::PhonePrepopulate => self.phones.len(),
            BulkFile::RevokeSessions => self.revoke.len(),
            BulkFile::DirectoryPhoneFixes => self.directory_fixes.len(),
            BulkFile::PasskeyCampaign => self.passkey_campaign.len(),
        }
    }
}

/// What changed for one account since the baseline. The order here is the order of the rows of
/// one account in progress.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// In this run, not in the baseline.
    NewAccount,
    /// In the baseline, not in this run.
    RemovedAccount,
    /// Registered for MFA now; not registered (or unknown) in the baseline.
    Registered,
    /// Registered in the baseline; not registered (or unknown) now.
    Regressed,
    /// A finding this run has and the baseline did not (new accounts' findings included).
    NewFinding,
    /// A finding the baseline had for an account this run still has, and this run does not.
    Resolved,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Registered,
        ChangeKind::Regressed,
        ChangeKind::NewFinding,
        ChangeKind::Resolved,
        ChangeKind::NewAccount,
        ChangeKind::RemovedAccount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::NewAccount => "new-account",
            ChangeKind::RemovedAccount => "removed-account",
            ChangeKind::Registered => "registered",
            ChangeKind::Regressed => "regressed",
            ChangeKind::NewFinding => "new-finding",
            ChangeKind::Resolved => "resolved",
        }
    }
}

/// One row of progress.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub user_principal_name: String,
    pub id: String,
    pub change: ChangeKind,
    /// The finding code for new-finding and resolved; empty otherwise.
    pub finding: String,
}

/// One run of the campaign: its as-of, registration readiness and count per evaluated finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPoint {
    pub as_of: String,
    pub registration: Readiness,
    #[serde(default)]
    pub findings: BTreeMap<String, usize>,
}

/// Progress since the baseline.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The baseline folder as given.
    pub baseline: String,
    pub baseline_as_of: String,
    /// Sorted by lowercase UPN, id, change (in `ChangeKind` order), finding code.
    pub changes: Vec<Change>,
    /// False when the baseline's accounts.csv has no `isMfaRegistered` column.
    pub registration_compared: bool,
}

impl Progress {
    /// How many changes of each kind, in `ChangeKind::ALL` order.
    pub fn counts(&self) -> Vec<(ChangeKind, usize)> {
        ChangeKind::ALL
            .iter()
            .map(|k| (*k, self.changes.iter().filter(|c| c.change == *k).count()))
            .collect()
    }
}

/// `n` of `d` in percent, one decimal; 0 when `d` is 0.
pub fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 * 1000.0 / d as f64).round() / 10.0
    }
}
