//! What a run was asked to do: every option of `mfa-audit audit`, as the library takes them.

use std::path::PathBuf;

use crate::input::detect::Given;
use crate::input::records::PerUserState;
use crate::values::{DateOrder, Millis};

/// 2027-02-01T00:00:00Z: Microsoft-provided SMS and voice stop in Entra ID (MFA and SSPR).
pub const RETIREMENT: Millis = 1_801_440_000_000;
/// 2027-07-01T00:00:00Z: the same for Global Administrators and external (B2B) users.
pub const RETIREMENT_LATE: Millis = 1_814_400_000_000;

/// Entra bulk group-member template variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupTemplate {
    Current,
    V1,
}

/// Everything `audit` needs to know.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub inputs: Vec<Given>,
    pub out: PathBuf,
    /// `--out` was given explicitly (then it may point inside an input folder).
    pub out_explicit: bool,
    pub as_of: Option<Millis>,
    pub stale_after_days: i64,
    pub campaign_start: Option<Millis>,
    pub active_within_days: i64,
    pub dormant_after_days: i64,
    pub default_region: Option<String>,
    pub date_order: Option<DateOrder>,
    pub include_guests: bool,
    pub per_user_target: PerUserState,
    pub group_template: GroupTemplate,
    pub max_rows: Option<usize>,
    pub progress: bool,
    /// Conditional Access inputs named on the command line (`--policies`, `--groups`,
    /// `--group-members GROUP=FILE`, `--role-assignments`); more are found among the inputs by
    /// content. Without any policies, coverage is not evaluated.
    pub policies: Vec<PathBuf>,
    pub groups: Vec<PathBuf>,
    pub group_members: Vec<String>,
    pub role_assignments: Vec<PathBuf>,
    /// The authentication methods policy named on the command line (`--methods-policy`).
    pub methods_policy: Vec<PathBuf>,
    /// The day Microsoft stops delivering SMS and voice codes (`--telephony-retirement`).
    pub telephony_retirement: Millis,
    /// The later day for Global Administrators and external users (`--telephony-retirement-late`).
    pub telephony_retirement_late: Millis,
    /// A customer-managed telecom provider is configured: SMS and voice stay usable.
    pub telecom_provider: bool,
    /// An earlier run's output folder to report progress against (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// The key file of `--pseudonymize`: every identifier in the outputs becomes a keyed
    /// pseudonym, and the bulk files are withheld.
    pub pseudonymize: Option<PathBuf>,
}

impl AuditOptions {
    pub fn new(inputs: Vec<Given>, out: PathBuf) -> AuditOptions {
        AuditOptions {
            inputs,
            out,
            out_explicit: false,
            as_of: None,
            stale_after_days: 14,
            campaign_start: None,
            active_within_days: 14,
            dormant_after_days: 90,
            default_region: None,
            date_order: None,
            include_guests: false,
            per_user_target: PerUserState::Enforced,
            group_template: GroupTemplate::Current,
            max_rows: None,
            progress: false,
            policies: Vec::new(),
            groups: Vec::new(),
            group_members: Vec::new(),
            role_assignments: Vec::new(),
            methods_policy: Vec::new(),
            telephony_retirement: RETIREMENT,
            telephony_retirement_late: RETIREMENT_LATE,
            telecom_provider: false,
            baseline: None,
            pseudonymize: None,
        }
    }
}
