//! A test harness for rules: build an account in a line (a closure over a default in-scope
//! account), run one rule with every input available, and look at what it says.

use super::{Availability, Ctx, Rule};
use crate::tenant::accounts::{Account, Phone};
use crate::tenant::coverage::{Coverage, Effect, Verdict};
use crate::values::Millis;

pub(crate) const DAY: Millis = 86_400_000;
/// The as-of of every case: 2026-11-21T00:00:00Z.
pub(crate) const AS_OF: Millis = 1_795_219_200_000;

/// `n` days before the as-of.
pub(crate) fn ago(n: i64) -> Option<Millis> {
    Some(AS_OF - n * DAY)
}

/// Every input present.
pub(crate) fn everything() -> Availability {
    let ok = || Ok("given".to_string());
    Availability {
        registration: ok(),
        admin: ok(),
        methods: ok(),
        mobile: ok(),
        auth_phone: ok(),
        per_user: ok(),
        exclusions: ok(),
        interactive: ok(),
        non_interactive: ok(),
        prompts: ok(),
        dormant: ok(),
    }
}

/// An in-scope member account with a registration row and nothing else known.
pub(crate) fn account(upn: &str) -> Account {
    Account {
        upn: upn.to_string(),
        upn_lower: upn.to_lowercase(),
        in_scope: true,
        has_registration: true,
        telephony: crate::tenant::accounts::Telephony {
            retirement: AS_OF + 60 * DAY,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Runs `rule` on accounts made by `make` (stale threshold 14 days, active within 14, dormant
/// after 90) and returns what it says about the first one.
pub(crate) fn flags_among(rule: &dyn Rule, accounts: Vec<Account>) -> Option<String> {
    let ctx = ctx(&accounts);
    assert!(rule.ready(&ctx).is_ok(), "{} not ready", rule.code());
    rule.flag(&ctx, 0, &accounts[0])
}

/// The rules' context over `accounts`: every input given, stale threshold 14 days, active
/// within 14, dormant after 90.
pub(crate) fn ctx(accounts: &[Account]) -> Ctx<'_> {
    let mut c = Ctx::new(
        accounts,
        AS_OF,
        AS_OF - 14 * DAY,
        AS_OF - 14 * DAY,
        AS_OF - 90 * DAY,
        everything(),
    );
    c.telephony.methods_policy = true;
    c.telephony.in_use_evidence = Ok("given".into());
    c
}

/// Runs `rule` on one account, built from the default by `edit`.
pub(crate) fn flags(rule: &dyn Rule, edit: impl FnOnce(&mut Account)) -> Option<String> {
    let mut a = account("user@contoso.com");
    edit(&mut a);
    flags_among(rule, vec![a])
}

/// A valid directory mobile number in the Graph form.
pub(crate) fn mobile(graph_form: &str) -> Phone {
    Phone::Valid(graph_form.to_string())
}

/// A coverage verdict: `coverage`, partially enforced by and excluded from the given
/// (policy, reason) pairs.
pub(crate) fn verdict(
    coverage: Coverage,
    partial: &[(&str, &str)],
    excluded: &[(&str, &str)],
) -> Verdict {
    let effects = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(p, r)| Effect {
                policy: p.to_string(),
                reason: r.to_string(),
            })
            .collect()
    };
    Verdict {
        coverage,
        enforced_by: Vec::new(),
        partial_by: effects(partial),
        excluded_by: effects(excluded),
        unknown_because: Vec::new(),
    }
}

/// Runs a coverage rule on one account (built by `edit`) whose coverage row says `admin` (a
/// tenant-wide admin role) and `v`.
pub(crate) fn flags_covered(
    rule: &dyn Rule,
    edit: impl FnOnce(&mut Account),
    admin: bool,
    v: Verdict,
) -> Option<String> {
    let mut a = account("user@contoso.com");
    edit(&mut a);
    let rows = vec![crate::tenant::coverage_rows::Row {
        upn: a.upn.clone(),
        id: a.id.clone().unwrap_or_default(),
        admin,
        in_scope: true,
        verdict: v,
        strengths: Vec::new(),
    }];
    let accounts = vec![a];
    let mut ctx = ctx(&accounts);
    assert!(
        rule.ready(&ctx).is_err(),
        "{} ready without coverage",
        rule.code()
    );
    ctx.coverage = Some(&rows);
    assert!(rule.ready(&ctx).is_ok(), "{} not ready", rule.code());
    rule.flag(&ctx, 0, &accounts[0])
}
