//! The rule registry: every finding is one rule (one file in this folder) with a stable
//! kebab-case code, a severity, the inputs it needs, a What / Why / What-to-do explanation and a
//! predicate over the `accounts` table that yields a human `detail` with the evidence.
//! A rule whose inputs are missing is not evaluated and says why; it never flags on missing data.

mod admin_mfa_not_enforced;
mod admin_not_phishing_resistant;
mod admin_not_registered;
pub mod availability;
pub mod bulk_file;
mod ca_exclusion_undocumented;
mod code;
mod dormant;
mod enforced_without_method;
mod exclusion_expired;
mod invalid_phone;
mod mfa_not_enforced;
mod mfa_partially_enforced;
mod missing_phone;
mod not_registered;
mod passkey_not_allowed;
mod per_user_enabled_unregistered;
mod phone_not_prepopulated;
mod registered_not_usable;
mod registration_skipped;
mod registration_unknown;
mod shared_phone;
mod stale_kmsi;
mod strength_not_met;
mod telephony_in_use;
#[cfg(test)]
pub(crate) mod testing;
mod weak_methods_only;

use std::collections::HashMap;

use serde::Serialize;

pub use code::Code;

use crate::tenant::accounts::{Account, Phone};
use crate::values::{Millis, fmt_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

/// What / Why / What to do.
pub struct Explain {
    pub what: &'static str,
    pub why: &'static str,
    pub fix: String,
}

pub use availability::{Availability, Have};

/// Everything a rule may look at.
pub struct Ctx<'a> {
    pub accounts: &'a [Account],
    pub as_of: Millis,
    /// Interactive sign-ins before this do not count (as-of minus --stale-after, or --campaign-start).
    pub stale_since: Millis,
    /// A non-interactive sign-in at or after this means the account is in use.
    pub active_since: Millis,
    pub dormant_since: Millis,
    pub avail: Availability,
    /// Valid directory mobile numbers shared by more than one in-scope account.
    pub shared_phones: HashMap<String, Vec<usize>>,
    /// CA coverage per account (parallel to `accounts`), when policies were given.
    pub coverage: Option<&'a [crate::tenant::coverage_rows::Row]>,
    /// The SMS/voice retirement: a customer-managed telecom provider, whether a methods policy
    /// was given, and what shows SMS/voice in use.
    pub telephony: TelephonyCtx,
}

/// What the SMS/voice rules know about the run.
#[derive(Debug, Clone)]
pub struct TelephonyCtx {
    /// `--telecom-provider`: SMS and voice stay usable after the retirement dates.
    pub telecom_provider: bool,
    /// An authentication methods policy was given.
    pub methods_policy: bool,
    /// Why SMS/voice use can be seen (sign-in logs with the methods used, or the preferred
    /// method in the registration details); `Err` when nothing shows it.
    pub in_use_evidence: Have,
}

/// "2027-02-01, 60 days after 2026-12-03" or "2027-02-01, which has passed".
pub fn days_left(ctx: &Ctx<'_>, day: Millis) -> String {
    let left = (day - ctx.as_of).div_euclid(86_400_000);
    if left > 0 {
        format!(
            "{}, {left} days after {}",
            fmt_date(day),
            fmt_date(ctx.as_of)
        )
    } else {
        format!("{}, on or before {}", fmt_date(day), fmt_date(ctx.as_of))
    }
}

/// For the phone rules: `None` once SMS and voice no longer reach the account (its retirement
/// date has come and no customer-managed provider keeps them going: a phone serves nothing, so
/// the rule is not made for it); else the detail's tail saying how many days are left (empty
/// with a provider).
pub fn phone_window(ctx: &Ctx<'_>, a: &Account) -> Option<String> {
    if ctx.telephony.telecom_provider {
        return Some(String::new());
    }
    (ctx.as_of < a.telephony.retirement).then(|| {
        format!(
            "; SMS and voice stop {}",
            days_left(ctx, a.telephony.retirement)
        )
    })
}

/// The coverage rules need a policies input.
pub fn coverage_ready(ctx: &Ctx<'_>) -> Result<(), String> {
    ctx.coverage.map(|_| ()).ok_or_else(|| {
        "no Conditional Access policies input (give the policies export with --policies)"
            .to_string()
    })
}

/// Policy names with reasons, joined with `; `.
pub fn effects(e: &[crate::tenant::coverage::Effect]) -> String {
    e.iter()
        .map(|e| format!("{} ({})", e.policy, e.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl<'a> Ctx<'a> {
    pub fn new(
        accounts: &'a [Account],
        as_of: Millis,
        stale_since: Millis,
        active_since: Millis,
        dormant_since: Millis,
        avail: Availability,
    ) -> Ctx<'a> {
        let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in accounts.iter().enumerate() {
            if let (true, Phone::Valid(p)) = (a.in_scope, &a.mobile) {
                by_phone.entry(p.clone()).or_default().push(i);
            }
        }
        by_phone.retain(|_, v| v.len() > 1);
        Ctx {
            accounts,
            as_of,
            stale_since,
            active_since,
            dormant_since,
            avail,
            shared_phones: by_phone,
            coverage: None,
            telephony: TelephonyCtx {
                telecom_provider: false,
                methods_policy: false,
                in_use_evidence: Err("no input shows the methods used".into()),
            },
        }
    }

    /// "2026-10-01 (51 days before 2026-11-21)".
    pub fn ago(&self, t: Millis) -> String {
        let days = (self.as_of - t).div_euclid(86_400_000);
        format!(
            "{} ({} days before {})",
            fmt_date(t),
            days,
            fmt_date(self.as_of)
        )
    }
}

/// One finding rule.
pub trait Rule: Sync {
    fn code(&self) -> Code;
    fn severity(&self) -> Severity;
    /// The severity in this run (a rule may depend on the run's options); `severity` by default.
    fn severity_in(&self, _ctx: &Ctx<'_>, _i: usize, _a: &Account) -> Severity {
        self.severity()
    }
    /// The inputs the rule needs, in words.
    fn needs(&self) -> &'static str;
    fn explain(&self) -> Explain;
    /// `Err(reason)` when the inputs the rule needs are missing: the rule is not evaluated.
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String>;
    /// The evidence when the in-scope account `a` (index `i`) is flagged.
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String>;
}

/// Every rule, in a stable order.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &admin_not_registered::AdminNotRegistered,
        &not_registered::NotRegistered,
        &registration_unknown::RegistrationUnknown,
        &stale_kmsi::StaleKmsi,
        &missing_phone::MissingPhone,
        &admin_not_phishing_resistant::AdminNotPhishingResistant,
        &enforced_without_method::EnforcedWithoutMethod,
        &registration_skipped::RegistrationSkipped,
        &phone_not_prepopulated::PhoneNotPrepopulated,
        &invalid_phone::InvalidPhone,
        &shared_phone::SharedPhone,
        &weak_methods_only::WeakMethodsOnly,
        &per_user_enabled_unregistered::PerUserEnabledUnregistered,
        &exclusion_expired::ExclusionExpired,
        &dormant::Dormant,
        &mfa_not_enforced::MfaNotEnforced,
        &mfa_partially_enforced::MfaPartiallyEnforced,
        &admin_mfa_not_enforced::AdminMfaNotEnforced,
        &ca_exclusion_undocumented::CaExclusionUndocumented,
        &registered_not_usable::RegisteredNotUsable,
        &telephony_in_use::TelephonyInUse,
        &passkey_not_allowed::PasskeyNotAllowed,
        &strength_not_met::StrengthNotMet,
    ]
}

pub fn find(code: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.code().as_str() == code)
}

/// Requires every listed input, reporting the first one missing.
pub fn need(haves: &[&Have]) -> Result<(), String> {
    for h in haves {
        if let Err(e) = h {
            return Err(e.clone());
        }
    }
    Ok(())
}

/// A finding on one account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub account: usize,
    pub code: Code,
    pub severity: Severity,
    pub detail: String,
}

/// A rule that could not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotEvaluated {
    pub code: Code,
    pub reason: String,
}

/// Runs every rule over the in-scope accounts: the first half of the accounts on another thread,
/// the second here. Findings come out sorted by account, then code (a rule flags an account at
/// most once), so the split does not show in the result.
pub fn evaluate(ctx: &Ctx<'_>) -> (Vec<Finding>, Vec<NotEvaluated>) {
    let mut skipped = Vec::new();
    let mut ready = Vec::new();
    for rule in all() {
        match rule.ready(ctx) {
            Ok(()) => ready.push(rule),
            Err(reason) => skipped.push(NotEvaluated {
                code: rule.code(),
                reason: format!("{} not evaluated: {reason}", rule.code()),
            }),
        }
    }
    let run = |range: std::ops::Range<usize>| {
        let mut findings = Vec::new();
        for rule in &ready {
            for i in range.clone() {
                let a = &ctx.accounts[i];
                if !a.in_scope {
                    continue;
                }
                if let Some(detail) = rule.flag(ctx, i, a) {
                    findings.push(Finding {
                        account: i,
                        code: rule.code(),
                        severity: rule.severity_in(ctx, i, a),
                        detail,
                    });
                }
            }
        }
        findings
    };
    let half = ctx.accounts.len() / 2;
    let (first, second) = crate::par::beside(|| run(0..half), || run(half..ctx.accounts.len()));
    // A thread that panicked (a bug) runs again here, where it panics visibly.
    let mut findings = first.unwrap_or_else(|_| run(0..half));
    findings.extend(second);
    findings.sort_by(|a, b| a.account.cmp(&b.account).then(a.code.cmp(&b.code)));
    (findings, skipped)
}

/// The state text when an account still needs a phone enrolled for it: not registered (or
/// unknown) and no authentication phone. `None` when it is registered or has one.
pub fn needs_phone_enrollment(a: &Account) -> Option<&'static str> {
    if a.registered == Some(true) || a.auth_phone.is_some() {
        return None;
    }
    Some(if a.registered == Some(false) {
        "not registered"
    } else {
        "registration unknown"
    })
}

/// "methods: mobilePhone, email" or "no methods".
pub fn methods_text(a: &Account) -> String {
    match &a.methods {
        Some(m) if !m.is_empty() => format!("methods: {}", m.join(", ")),
        Some(_) => "no methods registered".into(),
        None => "method list unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{AS_OF, DAY, account};
    use super::*;

    #[test]
    fn split_evaluation_finds_what_one_pass_over_the_accounts_finds() {
        // Accounts of several kinds, in and out of scope, in lists of every length up to 9 (odd
        // and even, so both halves and an empty half are covered).
        let kinds = |k: usize| {
            let mut a = account(&format!("u{k}@contoso.com"));
            a.registered = Some(!k.is_multiple_of(3));
            a.is_admin = Some(k % 4 == 1);
            a.in_scope = k % 5 != 2;
            a
        };
        for n in 0..10 {
            let accounts: Vec<Account> = (0..n).map(kinds).collect();
            let ctx = super::testing::ctx(&accounts);
            let mut want = Vec::new();
            for (i, a) in accounts.iter().enumerate() {
                for rule in all() {
                    if a.in_scope
                        && rule.ready(&ctx).is_ok()
                        && let Some(d) = rule.flag(&ctx, i, a)
                    {
                        want.push((i, rule.code(), d));
                    }
                }
            }
            want.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            let (findings, _) = evaluate(&ctx);
            let got: Vec<(usize, Code, String)> = findings
                .into_iter()
                .map(|f| (f.account, f.code, f.detail))
                .collect();
            assert_eq!(got, want, "{n} accounts");
            // Every unregistered in-scope account is found, and only those.
            let unregistered: Vec<usize> = got
                .iter()
                .filter(|f| f.1 == Code::NotRegistered)
                .map(|f| f.0)
                .collect();
            let expected: Vec<usize> = (0..n)
                .filter(|k| k.is_multiple_of(3) && k % 5 != 2)
                .collect();
            assert_eq!(unregistered, expected, "{n} accounts");
        }
    }

    #[test]
    fn no_rule_runs_without_its_inputs() {
        let none = || Err("missing".to_string());
        let avail = Availability {
            registration: none(),
            admin: none(),
            methods: none(),
            mobile: none(),
            auth_phone: none(),
            per_user: none(),
            exclusions: none(),
            interactive: none(),
            non_interactive: none(),
            prompts: none(),
            dormant: none(),
        };
        let accounts = vec![account("a@contoso.com")];
        let ctx = Ctx::new(&accounts, AS_OF, AS_OF, AS_OF, AS_OF - 90 * DAY, avail);
        let (findings, skipped) = evaluate(&ctx);
        assert!(findings.is_empty());
        assert_eq!(skipped.len(), all().len());
        // Coverage rules name the option that gives them their input; the others what is missing.
        assert!(skipped.iter().all(|n| {
            n.reason.ends_with("missing")
                || n.reason
                    .contains("(give the policies export with --policies)")
                || n.reason.contains("(give it with --methods-policy)")
        }));
    }

    #[test]
    fn every_code_has_exactly_one_rule() {
        let mut codes: Vec<Code> = all().iter().map(|r| r.code()).collect();
        codes.sort();
        let mut every = Code::ALL.to_vec();
        every.sort();
        assert_eq!(codes, every);
    }

    #[test]
    fn phone_enrollment_needs_no_registration_and_no_phone() {
        let mut a = account("a@contoso.com");
        assert_eq!(needs_phone_enrollment(&a), Some("registration unknown"));
        a.registered = Some(false);
        assert_eq!(needs_phone_enrollment(&a), Some("not registered"));
        a.auth_phone = Some("+1 4255550100".into());
        assert_eq!(needs_phone_enrollment(&a), None);
        a.auth_phone = None;
        a.registered = Some(true);
        assert_eq!(needs_phone_enrollment(&a), None);
    }
}
