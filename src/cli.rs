//! Command-line definitions (clap) only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "mfa-audit",
    version,
    about = "Audits a Microsoft Entra ID tenant for MFA readiness, offline, from exported files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the audit and write reports, bulk-update CSVs and the workbook.
    Audit(Box<AuditArgs>),
    /// Show what each file was detected as, its rows, mapped and ignored columns, and issues.
    Inspect(Box<InspectArgs>),
    /// List every finding code, or explain one.
    Rules { code: Option<String> },
    /// Write a fresh random key for `audit --pseudonymize` (mode 0600; never overwrites a file).
    NewKey {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print a shell completion script (e.g. `mfa-audit completions bash > /etc/bash_completion.d/mfa-audit`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page in roff: the tool's (`mfa-audit man > mfa-audit.1; man ./mfa-audit.1`)
    /// or a subcommand's with every option (`mfa-audit man audit > mfa-audit-audit.1`).
    Man {
        /// The subcommand whose page to print (audit, inspect, rules, completions, man).
        subcommand: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    Mdy,
    Dmy,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PerUserTarget {
    Enabled,
    Enforced,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupTemplateArg {
    Current,
    V1,
}

#[derive(Debug, Args)]
pub struct KindArgs {
    /// A users export (Entra, Microsoft 365 admin center or Graph).
    #[arg(long, value_name = "F")]
    pub users: Vec<PathBuf>,
    /// Authentication methods user registration details.
    #[arg(long, value_name = "F")]
    pub registration: Vec<PathBuf>,
    /// Sign-in logs (interactive or not decided by isInteractive or the file name).
    #[arg(long = "sign-ins", value_name = "F")]
    pub sign_ins: Vec<PathBuf>,
    /// Interactive sign-in logs.
    #[arg(long, value_name = "F")]
    pub interactive: Vec<PathBuf>,
    /// Non-interactive sign-in logs.
    #[arg(long = "non-interactive", value_name = "F")]
    pub non_interactive: Vec<PathBuf>,
    /// Per-user MFA state export.
    #[arg(long = "per-user-mfa", value_name = "F")]
    pub per_user_mfa: Vec<PathBuf>,
    /// Exclusions (userPrincipalName or id, reason, optional expires).
    #[arg(long, value_name = "F")]
    pub exclusions: Vec<PathBuf>,
    /// Conditional Access policies (a Graph page, an array, one policy per file or a folder of them).
    #[arg(long, value_name = "F")]
    pub policies: Vec<PathBuf>,
    /// Group memberships (Graph groups with members, or a membership CSV).
    #[arg(long, value_name = "F")]
    pub groups: Vec<PathBuf>,
    /// One group's "Download members" CSV, named by its group id or name.
    #[arg(long = "group-members", value_name = "GROUP=FILE")]
    pub group_members: Vec<String>,
    /// Directory role assignments (Graph JSON or an admin CSV with role names).
    #[arg(long = "role-assignments", value_name = "F")]
    pub role_assignments: Vec<PathBuf>,
    /// The authentication methods policy (Graph JSON, PowerShell or ScubaGear form).
    #[arg(long = "methods-policy", value_name = "F")]
    pub methods_policy: Vec<PathBuf>,
    /// Month/day order for dates such as 3/4/2021, only when the data cannot tell.
    #[arg(long = "date-order", value_enum)]
    pub date_order: Option<DateOrderArg>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Files and/or folders; every file's kind is detected.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub kinds: KindArgs,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Audit date (YYYY-MM-DD or ISO 8601); default: the newest timestamp in the inputs.
    #[arg(long = "as-of", value_name = "DATE")]
    pub as_of: Option<String>,
    /// No interactive sign-in for this many days = not prompted to register.
    #[arg(
        long = "stale-after",
        value_name = "DAYS",
        default_value_t = 14,
        conflicts_with = "campaign_start"
    )]
    pub stale_after: i64,
    /// Alternative to --stale-after: interactive sign-ins before this date do not count.
    #[arg(long = "campaign-start", value_name = "DATE")]
    pub campaign_start: Option<String>,
    /// A non-interactive sign-in this recent means the account is in use.
    #[arg(long = "active-within", value_name = "DAYS", default_value_t = 14)]
    pub active_within: i64,
    /// No sign-in for this many days = dormant.
    #[arg(long = "dormant-after", value_name = "DAYS", default_value_t = 90)]
    pub dormant_after: i64,
    /// ISO country for phone numbers written without +country code (when the account has no usage location).
    #[arg(long = "default-region", value_name = "CC")]
    pub default_region: Option<String>,
    /// Include guests in scope.
    #[arg(long = "include-guests")]
    pub include_guests: bool,
    /// Target state for the per-user MFA bulk update.
    #[arg(long = "per-user-target", value_enum, default_value = "enforced")]
    pub per_user_target: PerUserTarget,
    /// Entra bulk group-member template: current, or v1 (adds the `version:v1.0` line).
    #[arg(long = "group-template", value_enum, default_value = "current")]
    pub group_template: GroupTemplateArg,
    /// Also write every bulk file in parts of at most N rows (bulk/parts/NAME-partNNN.csv).
    #[arg(long = "max-rows", value_name = "N")]
    pub max_rows: Option<usize>,
    /// The day Microsoft stops delivering SMS and voice codes.
    #[arg(
        long = "telephony-retirement",
        value_name = "DATE",
        default_value = "2027-02-01"
    )]
    pub telephony_retirement: String,
    /// The later day for Global Administrators and external (#EXT#) users.
    #[arg(
        long = "telephony-retirement-late",
        value_name = "DATE",
        default_value = "2027-07-01"
    )]
    pub telephony_retirement_late: String,
    /// A customer-managed telecom provider is configured: SMS and voice stay usable after the
    /// retirement dates.
    #[arg(long = "telecom-provider")]
    pub telecom_provider: bool,
    /// An earlier run's output folder: verify it against its manifest, then write progress.csv
    /// (changes since that run) and carry its history forward.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// Replace every person and object identifier in every output by a keyed pseudonym
    /// (HMAC-SHA-256 with the key in KEY_FILE, made by `mfa-audit new-key`), so the outputs can be
    /// shared; the bulk files are withheld. The same key gives the same pseudonyms every run.
    #[arg(long, value_name = "KEY_FILE")]
    pub pseudonymize: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub kinds: KindArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
