//! The canonical `accounts` table: one row per account, assembled from the users input (or the
//! registration input when there is none), with registration, per-user MFA state, exclusions,
//! phone numbers and sign-in evidence joined on object id / lowercase UPN. Duplicates are merged
//! and reported; registration rows and exclusions that match no account are input issues.

use serde::Serialize;

use crate::input::account_index::AccountIndex;
use crate::input::records::{Loc, PerUserRec, PerUserState, Records, RegRec, UserRec, UserType};
use crate::input::sign_in_evidence::{SignInAgg, SignIns};
use crate::input::{Action, IssueLog};
use crate::values::{self, MethodClass, Millis};

/// Where an account's sign-in evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum SignInSource {
    /// Interactive / non-interactive sign-in logs.
    Logs,
    /// The users export's `signInActivity`.
    SignInActivity,
    #[default]
    None,
}

impl SignInSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInSource::Logs => "logs",
            SignInSource::SignInActivity => "signInActivity",
            SignInSource::None => "",
        }
    }
}

/// A directory mobile number after validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub enum Phone {
    #[default]
    None,
    /// In the Graph form `+{cc} {national}`.
    Valid(String),
    Invalid {
        raw: String,
        why: String,
    },
}

/// An exclusion that matched the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    pub reason: String,
    pub expires: Option<Millis>,
    pub expired: bool,
}

/// Yes, no, or unknown (an input that would decide was not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    Yes,
    No,
    #[default]
    Unknown,
}

impl Tri {
    pub fn as_str(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }
}

/// The account's standing for the end of Microsoft-provided SMS and voice, filled in by
/// `tenant/methods.rs` once accounts, memberships and the methods policy are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Telephony {
    /// Registered SMS/voice methods (`mobilePhone`, `alternateMobilePhone`, `officePhone`).
    pub methods: Vec<String>,
    /// A passkey of any kind, FIDO2 key, Windows Hello, macOS credential or certificate.
    pub phishing_resistant: bool,
    /// The registered MFA methods the account may use; `None` without a method list.
    pub usable: Option<Vec<String>>,
    /// Registered MFA methods whose use could not be decided (memberships missing).
    pub undecided: Vec<String>,
    /// Registered, but no MFA method it may use (then counted as not registered).
    pub not_usable: Option<String>,
    /// The methods policy gives it passkeys; `None` without a methods policy.
    pub passkey_allowed: Option<Tri>,
    /// The registration campaign reaches it; `None` without a methods policy.
    pub campaign_targeted: Option<Tri>,
    /// Its preferred method is SMS/voice while system-preferred MFA is off for it.
    pub preferred_telephony: bool,
    /// The day SMS and voice stop for it (the late date for Global Administrators and `#EXT#`
    /// guests).
    pub retirement: Millis,
}

impl Telephony {
    /// Every usable MFA method is SMS/voice, and there is at least one (undecided ones could be
    /// stronger, so they keep an account out).
    pub fn phone_only(&self) -> bool {
        let Some(u) = &self.usable else {
            return false;
        };
        self.undecided.is_empty()
            && !u.is_empty()
            && u.iter()
                .all(|m| values::method_class(m) == MethodClass::Phone)
    }

    /// A usable MFA method other than SMS/voice.
    pub fn has_stronger(&self) -> bool {
        self.usable.as_ref().is_some_and(|u| {
            u.iter().any(|m| {
                let c = values::method_class(m);
                c.is_mfa() && c != MethodClass::Phone
            })
        })
    }
}

/// One account, every canonical column.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Account {
    pub id: Option<String>,
    pub upn: String,
    #[serde(skip)]
    pub upn_lower: String,
    pub display_name: Option<String>,
    pub user_type: Option<UserType>,
    pub guest: bool,
    /// `None` = blank in the export (treated as enabled).
    pub enabled: Option<bool>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub usage_location: Option<String>,
    pub mobile_raw: Option<String>,
    pub mobile: Phone,
    /// The authentication phone, or what shows there is one (a registered phone method).
    pub auth_phone: Option<String>,
    pub is_admin: Option<bool>,
    /// A registration row (or per-user methods) exists for the account.
    pub has_registration: bool,
    /// Registered for MFA: `None` = unknown.
    pub registered: Option<bool>,
    /// What `registered` was decided from.
    pub registration_basis: String,
    /// Canonical method names, when a method list was given and readable.
    pub methods: Option<Vec<String>>,
    pub default_method: Option<String>,
    /// `isMfaCapable` from the registration details (registered and allowed by the policy).
    pub mfa_capable: Option<bool>,
    /// `isSystemPreferredAuthenticationMethodEnabled` from the registration details.
    pub system_preferred: Option<bool>,
    /// `userPreferredMethodForSecondaryAuthentication` from the registration details.
    pub preferred_method: Option<String>,
    /// What the SMS and voice retirement means for the account (`tenant/methods.rs`).
    #[serde(skip)]
    pub telephony: Telephony,
    pub per_user_state: Option<PerUserState>,
    pub sign_in_source: SignInSource,
    pub last_interactive: Option<Millis>,
    pub last_non_interactive: Option<Millis>,
    /// Newest successful sign-in of any kind.
    pub last_sign_in: Option<Millis>,
    /// Registration prompts (50072/50079) in the logs; `None` without logs.
    pub prompts: Option<u64>,
    /// Last successful MFA step by text message or phone call in the sign-in logs that carry the
    /// methods used (`SignIns::methods_files` says whether any did); `None` when none shows one.
    pub last_telephony_mfa: Option<Millis>,
    pub created: Option<Millis>,
    /// The registration details' `lastUpdatedDateTime` (the Secure Score reconciliation).
    #[serde(skip)]
    pub registration_updated: Option<Millis>,
    pub exclusion: Option<Exclusion>,
    pub in_scope: bool,
    /// Why the account is out of scope; empty when in scope.
    pub scope_reason: String,
    #[serde(skip)]
    pub mobile_loc: Option<Loc>,
    #[serde(skip)]
    pub activity: (Option<Millis>, Option<Millis>, Option<Millis>),
}

impl Account {
    /// The strongest class among the registered methods.
    pub fn strongest(&self) -> Option<MethodClass> {
        self.methods
            .as_ref()
            .and_then(|m| m.iter().map(|x| values::method_class(x)).max())
    }
    /// Classes of the MFA-capable methods registered.
    pub fn mfa_classes(&self) -> Vec<MethodClass> {
        self.methods
            .as_ref()
            .map(|m| {
                m.iter()
                    .map(|x| values::method_class(x))
                    .filter(|c| c.is_mfa())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether any method in the list can do MFA (email, security questions, temporary access
/// pass and app passwords cannot; unknown names never count).
fn any_mfa_method(methods: &[String]) -> bool {
    methods.iter().any(|x| values::method_class(x).is_mfa())
}

/// The account table with its lookup keys.
#[derive(Debug, Default)]
pub struct Accounts {
    pub list: Vec<Account>,
    /// Object id or UPN -> position in `list`.
    pub index: AccountIndex,
}

impl Accounts {
    fn find(&self, id: Option<&str>, upn: Option<&str>) -> Option<usize> {
        self.index.find(id, upn).map(|i| i as usize)
    }
    fn insert(&mut self, a: Account) -> usize {
        let i = self.list.len();
        if let Some(id) = a.id.as_deref() {
            self.index.add_id(id, i);
        }
        self.index.add_upn(&a.upn_lower, i);
        self.list.push(a);
        i
    }
}

fn loc_text(l: &Option<Loc>) -> String {
    l.as_ref()
        .map(|l| format!("{} row {}", l.file, l.row))
        .unwrap_or_default()
}

/// How a merged value is shown in a conflict issue.
trait Show {
    fn show(&self) -> String;
}
impl Show for String {
    fn show(&self) -> String {
        self.clone()
    }
}
impl Show for bool {
    fn show(&self) -> String {
        self.to_string()
    }
}
impl Show for UserType {
    fn show(&self) -> String {
        format!("{self:?}")
    }
}
impl Show for Millis {
    fn show(&self) -> String {
        values::fmt_ts(*self)
    }
}

/// Fills `slot` from `new` when blank; reports a conflict when both are set and differ.
fn merge_field<T: PartialEq + Clone + Show>(
    slot: &mut Option<T>,
    new: &Option<T>,
    field: &str,
    kept_from: &str,
    new_loc: &Option<Loc>,
    log: &mut IssueLog,
) {
    match (slot.as_ref(), new) {
        (None, Some(_)) => slot.clone_from(new),
        (Some(a), Some(b)) if a != b => {
            if let Some(l) = new_loc {
                log.add(
                    &l.file,
                    Some(l.row),
                    field,
                    &b.show(),
                    format!("conflicts with `{}` from {kept_from}, which is kept: the newer export wins (files are ranked by the export date in their name, newest first, then in the order given)", a.show()),
                    Action::Kept,
                );
            }
        }
        _ => {}
    }
}

/// Builds the account table from the per-account inputs.
///
/// The text of the records is moved onto the accounts, not copied: afterwards the records keep
/// their dates, flags and counts (which the as-of date, exclusions and rule availability read)
/// and their row locations, while a value moved out reads as blank.
pub fn assemble(recs: &mut Records, log: &mut IssueLog) -> Accounts {
    let from_users = !recs.users.is_empty();
    let mut acc = merge_users(&mut recs.users, log);
    join_registration(&mut acc, &mut recs.registration, from_users, log);
    join_per_user(&mut acc, &mut recs.per_user, log);
    for a in &mut acc.list {
        finish_account(a);
    }
    acc
}

/// One account per users row; rows with the same object id or UPN merge into the first.
fn merge_users(users: &mut [UserRec], log: &mut IssueLog) -> Accounts {
    let mut acc = Accounts::default();
    acc.list.reserve(users.len());
    acc.index.reserve(users.len());
    let mut src_loc: Vec<Option<Loc>> = Vec::with_capacity(users.len());
    for u in users.iter_mut() {
        let Some(i) = acc.find(u.id.as_deref(), u.upn.as_deref()) else {
            let upn = u.upn.take().or_else(|| u.id.clone()).unwrap_or_default();
            acc.insert(Account {
                id: u.id.take(),
                upn_lower: upn.to_lowercase(),
                upn,
                display_name: u.display_name.take(),
                user_type: u.user_type,
                enabled: u.enabled,
                department: u.department.take(),
                job_title: u.job_title.take(),
                usage_location: u.usage_location.take(),
                mobile_raw: u.mobile.take(),
                mobile_loc: u.loc.clone(),
                auth_phone: u.auth_phone.take(),
                created: u.created,
                activity: (u.last_sign_in, u.last_non_interactive, u.last_successful),
                ..Default::default()
            });
            src_loc.push(u.loc.clone());
            continue;
        };
        let upn = u.upn.clone().or_else(|| u.id.clone()).unwrap_or_default();
        let first = loc_text(&src_loc[i]);
        if let Some(l) = &u.loc {
            log.add(
                &l.file,
                Some(l.row),
                "userPrincipalName",
                &upn,
                format!("duplicate account (same object id or UPN as {first}); merged into it"),
                Action::Kept,
            );
        }
        merge_duplicate_user(&mut acc.list[i], u, &first, log);
        if let Some(id) = acc.list[i].id.as_deref() {
            acc.index.add_id(id, i);
        }
    }
    acc
}

/// Folds a duplicate users row into the account: blanks are filled, differences reported.
fn merge_duplicate_user(a: &mut Account, u: &UserRec, first: &str, log: &mut IssueLog) {
    let at = &u.loc;
    merge_field(&mut a.id, &u.id, "id", first, at, log);
    merge_field(
        &mut a.display_name,
        &u.display_name,
        "displayName",
        first,
        at,
        log,
    );
    merge_field(&mut a.user_type, &u.user_type, "userType", first, at, log);
    merge_field(&mut a.enabled, &u.enabled, "accountEnabled", first, at, log);
    merge_field(
        &mut a.department,
        &u.department,
        "department",
        first,
        at,
        log,
    );
    merge_field(&mut a.job_title, &u.job_title, "jobTitle", first, at, log);
    merge_field(
        &mut a.usage_location,
        &u.usage_location,
        "usageLocation",
        first,
        at,
        log,
    );
    merge_field(&mut a.mobile_raw, &u.mobile, "mobilePhone", first, at, log);
    merge_field(
        &mut a.auth_phone,
        &u.auth_phone,
        "authenticationPhoneNumber",
        first,
        at,
        log,
    );
    merge_field(
        &mut a.created,
        &u.created,
        "createdDateTime",
        first,
        at,
        log,
    );
    a.activity.0 = a.activity.0.max(u.last_sign_in);
    a.activity.1 = a.activity.1.max(u.last_non_interactive);
    a.activity.2 = a.activity.2.max(u.last_successful);
}

/// Registration rows join onto accounts (the first row of an account is used), or make the
/// accounts when there is no users input.
fn join_registration(
    acc: &mut Accounts,
    registration: &mut [RegRec],
    from_users: bool,
    log: &mut IssueLog,
) {
    let mut reg_seen: Vec<Option<Loc>> = vec![None; acc.list.len()];
    if !from_users {
        acc.list.reserve(registration.len());
        acc.index.reserve(registration.len());
    }
    for r in registration.iter_mut() {
        let i = match acc.find(r.id.as_deref(), r.upn.as_deref()) {
            Some(i) => i,
            None if !from_users => {
                let upn = r.upn.clone().or_else(|| r.id.clone()).unwrap_or_default();
                reg_seen.push(None);
                acc.insert(Account {
                    id: r.id.clone(),
                    upn_lower: upn.to_lowercase(),
                    upn,
                    display_name: r.display_name.take(),
                    user_type: r.user_type,
                    ..Default::default()
                })
            }
            None => {
                if let Some(l) = &r.loc {
                    let who = r.upn.clone().or_else(|| r.id.clone()).unwrap_or_default();
                    log.reject_later(
                        &l.file,
                        l.row,
                        "userPrincipalName",
                        &who,
                        "registration row for an account that is not in the users input; not used",
                    );
                }
                continue;
            }
        };
        if let Some(first) = &reg_seen[i] {
            if let Some(l) = &r.loc {
                let problem = format!(
                    "second registration row for the account (first: {} row {}); the first is used",
                    first.file, first.row
                );
                let who = r.upn.as_deref().unwrap_or("");
                log.add(
                    &l.file,
                    Some(l.row),
                    "userPrincipalName",
                    who,
                    problem,
                    Action::Kept,
                );
            }
            continue;
        }
        reg_seen[i].clone_from(&r.loc);
        if acc.list[i].id.is_none()
            && let Some(id) = r.id.as_deref()
        {
            acc.index.add_id(id, i);
        }
        apply_registration(&mut acc.list[i], r);
    }
}

/// Puts a registration row's facts on its account and decides "registered": `isMfaRegistered`,
/// else an MFA-capable method in `methodsRegistered`, else `isMfaCapable`.
fn apply_registration(a: &mut Account, r: &mut RegRec) {
    a.has_registration = true;
    if a.user_type.is_none() {
        a.user_type = r.user_type;
    }
    if a.display_name.is_none() {
        a.display_name = r.display_name.take();
    }
    if a.id.is_none() {
        a.id.clone_from(&r.id);
    }
    a.is_admin = r.is_admin;
    a.registration_updated = r.last_updated;
    a.methods = r.methods.take();
    a.default_method = r.default_method.take();
    a.mfa_capable = r.is_mfa_capable;
    a.system_preferred = r.system_preferred;
    a.preferred_method = r.preferred_method.take();
    let from_methods = a.methods.as_deref().map(any_mfa_method);
    (a.registered, a.registration_basis) =
        match (r.is_mfa_registered, from_methods, r.is_mfa_capable) {
            (Some(v), _, _) => (Some(v), "isMfaRegistered".into()),
            (None, Some(v), _) => (Some(v), "methodsRegistered".into()),
            (None, None, Some(true)) => (Some(true), "isMfaCapable".into()),
            _ => (
                None,
                "registration row without a readable registration state".into(),
            ),
        };
}

/// Per-user MFA state joins onto accounts (and, for legacy exports, methods and phone).
fn join_per_user(acc: &mut Accounts, per_user: &mut [PerUserRec], log: &mut IssueLog) {
    let mut pu_seen = vec![false; acc.list.len()];
    for p in per_user.iter_mut() {
        let Some(i) = acc.find(p.id.as_deref(), p.upn.as_deref()) else {
            if let Some(l) = &p.loc {
                let who = p.upn.clone().or_else(|| p.id.clone()).unwrap_or_default();
                log.reject_later(
                    &l.file,
                    l.row,
                    "UserPrincipalName",
                    &who,
                    "per-user MFA row for an account that is not in the users input; not used",
                );
            }
            continue;
        };
        if pu_seen[i] {
            if let Some(l) = &p.loc {
                log.add(
                    &l.file,
                    Some(l.row),
                    "UserPrincipalName",
                    p.upn.as_deref().unwrap_or(""),
                    "second per-user MFA row for the account; the first is used",
                    Action::Kept,
                );
            }
            continue;
        }
        pu_seen[i] = true;
        apply_per_user(&mut acc.list[i], p);
    }
}

fn apply_per_user(a: &mut Account, p: &mut PerUserRec) {
    a.per_user_state = p.state;
    if a.is_admin.is_none() {
        a.is_admin = p.is_admin;
    }
    if a.auth_phone.is_none() {
        a.auth_phone = p.phone.take();
    }
    if !a.has_registration
        && let Some(m) = p.methods.take()
    {
        a.has_registration = true;
        a.registered = Some(any_mfa_method(&m));
        a.methods = Some(m);
        a.registration_basis = "per-user MFA methods (legacy)".into();
    }
}

/// Guests (user type, else `#EXT#` in the UPN), and the authentication phone shown by a
/// registered phone method.
fn finish_account(a: &mut Account) {
    a.guest = match a.user_type {
        Some(t) => t == UserType::Guest,
        None => a.upn.to_ascii_uppercase().contains("#EXT#"),
    };
    if a.auth_phone.is_none()
        && let Some(m) = &a.methods
        && let Some(p) = m
            .iter()
            .find(|x| values::method_class(x) == MethodClass::Phone)
    {
        a.auth_phone = Some(format!("{p} method registered"));
    }
}

/// One directory mobile number to validate: (account index, raw value, region).
pub type PhoneJob = (usize, String, Option<String>);

/// The mobile numbers to validate, with the region each is read in: the account's usage
/// location when it is an ISO country code, else `--default-region`.
pub fn phone_jobs(acc: &Accounts, default_region: Option<&str>) -> Vec<PhoneJob> {
    acc.list
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let raw = a.mobile_raw.clone()?;
            let region = a
                .usage_location
                .as_deref()
                .filter(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()))
                .or(default_region)
                .map(str::to_string);
            Some((i, raw, region))
        })
        .collect()
}

/// Validates phone numbers (slow: libphonenumber's rules), meant to run on its own thread
/// while the sign-in logs stream.
pub fn parse_phones(jobs: &[PhoneJob]) -> Vec<(usize, Result<Option<String>, String>)> {
    jobs.iter()
        .map(|(i, raw, region)| (*i, values::parse_phone(raw, region.as_deref())))
        .collect()
}

/// Puts validated phone numbers on the accounts; an invalid one is also an input issue.
pub fn apply_phones(
    acc: &mut Accounts,
    parsed: Vec<(usize, Result<Option<String>, String>)>,
    log: &mut IssueLog,
) {
    for (i, result) in parsed {
        let Some(a) = acc.list.get_mut(i) else {
            continue;
        };
        let raw = a.mobile_raw.clone().unwrap_or_default();
        a.mobile = match result {
            Ok(Some(p)) => Phone::Valid(p),
            Ok(None) => Phone::None,
            Err(why) => {
                if let Some(l) = &a.mobile_loc {
                    log.add(
                        &l.file,
                        Some(l.row),
                        "mobilePhone",
                        &raw,
                        format!("{why}; reported as invalid-phone when the account is in scope"),
                        Action::Kept,
                    );
                }
                Phone::Invalid { raw, why }
            }
        };
    }
}

/// Which sign-in evidence exists, decided once for all accounts.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvidencePlan {
    pub interactive_logs: bool,
    pub non_interactive_logs: bool,
    pub activity_interactive: bool,
    pub activity_non_interactive: bool,
    pub activity_successful: bool,
}

/// Puts sign-in evidence on every account: logs when given, else `signInActivity`.
pub fn apply_sign_ins(acc: &mut Accounts, logs: &SignIns, plan: EvidencePlan) {
    for (i, a) in acc.list.iter_mut().enumerate() {
        let agg = logs
            .per_account
            .get(i)
            .copied()
            .unwrap_or(SignInAgg::default());
        let (act_i, act_n, act_s) = a.activity;
        a.sign_in_source = SignInSource::None;
        a.last_telephony_mfa = agg.last_telephony_mfa;
        if plan.interactive_logs || plan.non_interactive_logs {
            a.sign_in_source = SignInSource::Logs;
            a.prompts = Some(agg.prompts);
        } else if plan.activity_interactive || plan.activity_non_interactive {
            a.sign_in_source = SignInSource::SignInActivity;
        }
        a.last_interactive = if plan.interactive_logs {
            agg.last_interactive
        } else if plan.activity_interactive {
            act_i
        } else {
            None
        };
        a.last_non_interactive = if plan.non_interactive_logs {
            agg.last_non_interactive
        } else if plan.activity_non_interactive {
            act_n
        } else {
            None
        };
        // signInActivity reaches back further than any log export: it always counts here.
        a.last_sign_in = a
            .last_interactive
            .max(a.last_non_interactive)
            .max(act_i)
            .max(act_n)
            .max(act_s);
    }
}

/// An active exclusion list entry, after matching.
pub fn apply_exclusions(acc: &mut Accounts, recs: &Records, as_of: Millis, log: &mut IssueLog) {
    for e in &recs.exclusions {
        let Some(i) = acc.find(e.id.as_deref(), e.upn.as_deref()) else {
            if let Some(l) = &e.loc {
                let who = e.upn.clone().or_else(|| e.id.clone()).unwrap_or_default();
                log.reject_later(
                    &l.file,
                    l.row,
                    "userPrincipalName",
                    &who,
                    "exclusion matches no account; not used",
                );
            }
            continue;
        };
        let expired = e.expires.is_some_and(|x| x < as_of);
        let a = &mut acc.list[i];
        a.exclusion = Some(Exclusion {
            reason: e
                .reason
                .clone()
                .unwrap_or_else(|| "(no reason given)".into()),
            expires: e.expires,
            expired,
        });
    }
}

/// Decides who is in scope: enabled (blank counts as enabled), member (unless guests are
/// included), and not excluded by an active exclusion.
pub fn apply_scope(acc: &mut Accounts, include_guests: bool) {
    for a in &mut acc.list {
        let mut why = Vec::new();
        if a.enabled == Some(false) {
            why.push("disabled".to_string());
        }
        if a.guest && !include_guests {
            why.push("guest".to_string());
        }
        if let Some(x) = &a.exclusion
            && !x.expired
        {
            why.push(format!("excluded: {}", x.reason));
        }
        a.in_scope = why.is_empty();
        a.scope_reason = why.join("; ");
    }
}

/// Sorts accounts by lowercase UPN (the order of every output) and rebuilds the keys.
pub fn sort(acc: &mut Accounts) {
    // Sorting positions and then moving each account once: a stable sort of the accounts
    // themselves moved the large structs O(n log n) times (0.3 s at 100k accounts), and a
    // cached-key sort copied every key. Each position carries the first 16 bytes of its key, so
    // most comparisons touch neither the account nor its text (at a million accounts, fetching
    // both for every comparison took 3 s); equal prefixes compare the whole key, then the
    // position, so equal keys keep their order.
    let full = |i: u32, j: u32| {
        let (a, b) = (&acc.list[i as usize], &acc.list[j as usize]);
        (a.upn_lower.as_str(), a.id.as_deref(), i).cmp(&(b.upn_lower.as_str(), b.id.as_deref(), j))
    };
    let mut keyed: Vec<(u128, u32)> = acc
        .list
        .iter()
        .enumerate()
        .map(|(i, a)| (key_prefix(&a.upn_lower), i as u32))
        .collect();
    keyed.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| full(x.1, y.1)));
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i as usize).collect();
    permute(&mut acc.list, order);
    let ids: Vec<Option<&str>> = acc.list.iter().map(|a| a.id.as_deref()).collect();
    let upns: Vec<&str> = acc.list.iter().map(|a| a.upn_lower.as_str()).collect();
    acc.index = AccountIndex::build(&ids, &upns);
}

/// The first 16 bytes of `s` as a big-endian number, zero-padded: numbers compare as the texts'
/// first 16 bytes do, so only equal prefixes need the whole text.
fn key_prefix(s: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = s.len().min(16);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(b)
}

/// Puts `list[order[k]]` at position `k` for every `k`, in place: each cycle of the permutation
/// is followed with swaps, so the table (about 60 MB at 100k accounts) is neither copied nor
/// given fresh memory. `order` must be a permutation of `0..list.len()`.
fn permute<T>(list: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut cur = start;
        // A position is done when it points at itself.
        while order[cur] != cur {
            let next = order[cur];
            order[cur] = cur;
            if next == start {
                break;
            }
            list.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_matches_gathering_by_the_order() {
        // Every permutation of five items, and some larger ones.
        fn all(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![vec![]];
            }
            let mut out = Vec::new();
            for p in all(n - 1) {
                for at in 0..n {
                    let mut q = p.clone();
                    q.insert(at, n - 1);
                    out.push(q);
                }
            }
            out
        }
        let mut orders = all(5);
        let mut x: u64 = 7;
        for n in [17usize, 100, 1000] {
            let mut p: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                p.swap(i, (x >> 33) as usize % (i + 1));
            }
            orders.push(p);
        }
        for order in orders {
            let list: Vec<String> = (0..order.len()).map(|i| format!("v{i}")).collect();
            let want: Vec<String> = order.iter().map(|&i| list[i].clone()).collect();
            let mut got = list.clone();
            permute(&mut got, order.clone());
            assert_eq!(got, want, "{order:?}");
        }
    }

    #[test]
    fn sort_agrees_with_a_stable_sort_of_the_whole_keys() {
        // UPNs that share long prefixes (past the 16 bytes compared first), end inside them,
        // differ only in case, or repeat, with and without ids.
        let stems = [
            "christopher.robinson",
            "christopher.robinso",
            "Christopher.Robinson",
            "chris",
            "",
            "a.very.long.common.prefix.of.forty.bytes",
        ];
        let mut x: u64 = 11;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let mut list = Vec::new();
        for k in 0..600 {
            let upn = format!(
                "{}{}@contoso.com",
                stems[next(stems.len() as u64) as usize],
                next(12)
            );
            let id = match next(3) {
                0 => None,
                n => Some(format!("00000000-0000-0000-0000-00000000000{n}")),
            };
            list.push(account(&upn, id.as_deref(), &format!("k{k}")));
        }
        let mut want: Vec<&Account> = list.iter().collect();
        want.sort_by(|a, b| {
            (a.upn_lower.as_str(), a.id.as_deref()).cmp(&(b.upn_lower.as_str(), b.id.as_deref()))
        });
        let want: Vec<String> = want
            .iter()
            .map(|a| a.department.clone().unwrap_or_default())
            .collect();
        let mut acc = Accounts {
            list: list.clone(),
            ..Default::default()
        };
        sort(&mut acc);
        let got: Vec<String> = acc
            .list
            .iter()
            .map(|a| a.department.clone().unwrap_or_default())
            .collect();
        assert_eq!(got, want);
    }

    fn account(upn: &str, id: Option<&str>, department: &str) -> Account {
        Account {
            upn: upn.to_string(),
            upn_lower: upn.to_lowercase(),
            id: id.map(str::to_string),
            department: Some(department.to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn sort_orders_by_upn_then_id_keeps_ties_in_order_and_reindexes() {
        let mut acc = Accounts {
            list: vec![
                account(
                    "b@x.com",
                    Some("00000000-0000-0000-0000-000000000002"),
                    "first b2",
                ),
                account("A@x.com", None, "a none"),
                account(
                    "b@x.com",
                    Some("00000000-0000-0000-0000-000000000001"),
                    "b1",
                ),
                account(
                    "b@x.com",
                    Some("00000000-0000-0000-0000-000000000002"),
                    "second b2",
                ),
                account(
                    "a@x.com",
                    Some("00000000-0000-0000-0000-000000000009"),
                    "a 9",
                ),
            ],
            ..Default::default()
        };
        sort(&mut acc);
        let got: Vec<&str> = acc
            .list
            .iter()
            .map(|a| a.department.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(got, ["a none", "a 9", "b1", "first b2", "second b2"]);
        // The index points at the new positions.
        assert_eq!(
            acc.find(Some("00000000-0000-0000-0000-000000000001"), None),
            Some(2)
        );
        assert_eq!(
            acc.find(Some("00000000-0000-0000-0000-000000000009"), None),
            Some(1)
        );
    }

    fn user(upn: &str, id: &str, dept: &str) -> UserRec {
        UserRec {
            upn: Some(upn.into()),
            id: Some(id.into()),
            display_name: Some(format!("{upn} name")),
            department: Some(dept.into()),
            mobile: Some("+1 206 555 0100".into()),
            created: Some(5),
            ..Default::default()
        }
    }

    fn reg(row: usize, upn: &str, methods: Option<&[&str]>, registered: Option<bool>) -> RegRec {
        RegRec {
            loc: Some(Loc {
                file: "reg.csv".into(),
                row,
            }),
            upn: Some(upn.into()),
            display_name: Some("from registration".into()),
            methods: methods.map(|m| m.iter().map(|x| x.to_string()).collect()),
            default_method: Some("microsoftAuthenticatorPush".into()),
            is_mfa_registered: registered,
            last_updated: Some(7),
            ..Default::default()
        }
    }

    #[test]
    fn assemble_moves_each_value_onto_its_account_once() {
        let id_a = "00000000-0000-0000-0000-00000000000a";
        let mut recs = Records {
            users: vec![
                user("a@x.com", id_a, "Sales"),
                user("b@x.com", "00000000-0000-0000-0000-00000000000b", "Legal"),
                // A duplicate of a@x.com: merged, its differing department reported.
                user("A@x.com", id_a, "Other"),
            ],
            registration: vec![
                // No isMfaRegistered: "registered" comes from the methods.
                reg(2, "a@x.com", Some(&["microsoftAuthenticatorPush"]), None),
                reg(3, "b@x.com", Some(&["email"]), None),
                // A second row for a@x.com is not used.
                reg(4, "a@x.com", Some(&[]), Some(false)),
            ],
            per_user: vec![PerUserRec {
                upn: Some("b@x.com".into()),
                state: Some(PerUserState::Enforced),
                phone: Some("+1 206 555 0199".into()),
                methods: Some(vec!["PhoneAppNotification".into()]),
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut log = IssueLog::default();
        let acc = assemble(&mut recs, &mut log);
        assert_eq!(acc.list.len(), 2);
        let a = &acc.list[0];
        assert_eq!(a.upn, "a@x.com");
        assert_eq!(a.id.as_deref(), Some(id_a));
        assert_eq!(a.department.as_deref(), Some("Sales"));
        assert_eq!(a.display_name.as_deref(), Some("a@x.com name"));
        assert_eq!(a.mobile_raw.as_deref(), Some("+1 206 555 0100"));
        assert_eq!(a.registered, Some(true));
        assert_eq!(a.registration_basis, "methodsRegistered");
        assert_eq!(
            a.methods.as_deref(),
            Some(&["microsoftAuthenticatorPush".to_string()][..])
        );
        assert_eq!(
            a.default_method.as_deref(),
            Some("microsoftAuthenticatorPush")
        );
        let b = &acc.list[1];
        // Email alone is not an MFA method; the registration row's methods stand, so the
        // per-user row's legacy methods are not used, but its phone fills the blank.
        assert_eq!(b.registered, Some(false));
        assert_eq!(b.methods.as_deref(), Some(&["email".to_string()][..]));
        assert_eq!(b.per_user_state, Some(PerUserState::Enforced));
        assert_eq!(b.auth_phone.as_deref(), Some("+1 206 555 0199"));
        assert_eq!(acc.find(None, Some("B@X.COM")), Some(1));
        // What the audit reads from the records afterwards is still there.
        assert_eq!(recs.users.len(), 3);
        assert_eq!(recs.users[0].created, Some(5));
        assert_eq!(recs.registration[0].last_updated, Some(7));
    }

    #[test]
    fn legacy_per_user_methods_register_an_account_without_a_registration_row() {
        let mut recs = Records {
            users: vec![user(
                "c@x.com",
                "00000000-0000-0000-0000-00000000000c",
                "IT",
            )],
            per_user: vec![PerUserRec {
                upn: Some("c@x.com".into()),
                methods: Some(vec!["PhoneAppNotification".into()]),
                ..Default::default()
            }],
            ..Default::default()
        };
        let acc = assemble(&mut recs, &mut IssueLog::default());
        let c = &acc.list[0];
        assert!(c.has_registration);
        assert_eq!(c.registration_basis, "per-user MFA methods (legacy)");
        assert_eq!(
            c.methods.as_deref(),
            Some(&["PhoneAppNotification".to_string()][..])
        );
    }
}
