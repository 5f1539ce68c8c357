//! The passkey readiness block: the SMS/voice retirement dates and days left, who depends on a
//! phone, who may register a passkey and whom the campaign reaches, overall and per department.

use std::collections::BTreeMap;

use crate::report::model::{PasskeyDepartment, PasskeyReadiness, TriCounts, pct};
use crate::rules::Code;
use crate::tenant::accounts::{Account, Tri};
use crate::values::{Millis, fmt_date};

/// What the run knows beyond the accounts.
#[derive(Debug, Clone)]
pub struct PasskeyArgs {
    pub retirement: Millis,
    pub late: Millis,
    pub telecom_provider: bool,
    /// `policyMigrationState` of the methods policy (`Some("")` when it says nothing), `None`
    /// without a methods policy.
    pub migration_state: Option<String>,
}

fn tri(values: impl Iterator<Item = Tri>) -> TriCounts {
    let mut c = TriCounts::default();
    for v in values {
        match v {
            Tri::Yes => c.yes += 1,
            Tri::No => c.no += 1,
            Tri::Unknown => c.unknown += 1,
        }
    }
    c.percent_yes = pct(c.yes, c.yes + c.no + c.unknown);
    c
}

/// The block, from the accounts and their codes (parallel lists).
pub fn readiness(
    accounts: &[Account],
    codes: &[Vec<Code>],
    as_of: Millis,
    args: &PasskeyArgs,
) -> PasskeyReadiness {
    let scope: Vec<(&Account, &Vec<Code>)> = accounts
        .iter()
        .zip(codes)
        .filter(|(a, _)| a.in_scope)
        .collect();
    let count = |c: Code| scope.iter().filter(|(_, k)| k.contains(&c)).count();
    let policy = args.migration_state.is_some();
    let days = |d: Millis| (d - as_of).div_euclid(86_400_000);
    let mut notes = Vec::new();
    match &args.migration_state {
        None => notes.push(
            "no authentication methods policy input: every registered MFA method counts as usable; passkeyAllowed and campaignTargeted not evaluated".to_string(),
        ),
        Some(s) if !s.eq_ignore_ascii_case("migrationComplete") => notes.push(format!(
            "policyMigrationState is {}: the legacy MFA and SSPR settings (which no export shows) may still allow SMS, voice, app and OTP methods, so those count as usable",
            if s.is_empty() { "not given" } else { s.as_str() }
        )),
        Some(_) => {}
    }
    if args.telecom_provider {
        notes.push("--telecom-provider: a customer-managed provider keeps SMS and voice going after the retirement dates".into());
    }
    PasskeyReadiness {
        retirement_date: fmt_date(args.retirement),
        retirement_date_late: fmt_date(args.late),
        days_left: days(args.retirement),
        days_left_late: days(args.late),
        telecom_provider: args.telecom_provider,
        methods_policy: args.migration_state.clone().map_or("absent".into(), |s| {
            if s.is_empty() { "given".into() } else { s }
        }),
        in_scope: scope.len(),
        with_telephony_methods: scope
            .iter()
            .filter(|(a, _)| !a.telephony.methods.is_empty())
            .count(),
        weak_methods_only: count(Code::WeakMethodsOnly),
        telephony_in_use: count(Code::TelephonyInUse),
        passkey_not_allowed: count(Code::PasskeyNotAllowed),
        registered_not_usable: count(Code::RegisteredNotUsable),
        phishing_resistant: tri(scope.iter().map(|(a, _)| {
            if a.telephony.phishing_resistant {
                Tri::Yes
            } else if a.methods.is_some() {
                Tri::No
            } else {
                Tri::Unknown
            }
        })),
        passkey_allowed: policy.then(|| {
            tri(scope
                .iter()
                .map(|(a, _)| a.telephony.passkey_allowed.unwrap_or_default()))
        }),
        campaign_targeted: policy.then(|| {
            tri(scope
                .iter()
                .map(|(a, _)| a.telephony.campaign_targeted.unwrap_or_default()))
        }),
        phone_rules_not_evaluated: if args.telecom_provider {
            0
        } else {
            scope
                .iter()
                .filter(|(a, _)| as_of >= a.telephony.retirement)
                .count()
        },
        by_department: departments(&scope),
        notes,
    }
}

/// Per department (blank = "(none)"), most phone-dependent first, then by name.
fn departments(scope: &[(&Account, &Vec<Code>)]) -> Vec<PasskeyDepartment> {
    let mut by: BTreeMap<String, PasskeyDepartment> = BTreeMap::new();
    for (a, codes) in scope {
        let name = a
            .department
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| "(none)".into());
        let d = by.entry(name.clone()).or_insert(PasskeyDepartment {
            department: name,
            in_scope: 0,
            phone_only: 0,
            telephony_in_use: 0,
            phishing_resistant: 0,
            percent_phishing_resistant: 0.0,
        });
        d.in_scope += 1;
        d.phone_only += usize::from(codes.contains(&Code::WeakMethodsOnly));
        d.telephony_in_use += usize::from(codes.contains(&Code::TelephonyInUse));
        d.phishing_resistant += usize::from(a.telephony.phishing_resistant);
    }
    let mut out: Vec<PasskeyDepartment> = by
        .into_values()
        .map(|mut d| {
            d.percent_phishing_resistant = pct(d.phishing_resistant, d.in_scope);
            d
        })
        .collect();
    out.sort_by(|a, b| {
        (b.phone_only + b.telephony_in_use)
            .cmp(&(a.phone_only + a.telephony_in_use))
            .then(a.department.cmp(&b.department))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Millis = 86_400_000;

    #[test]
    fn counts_days_and_departments() {
        let mk = |dept: &str, pr: bool, allowed: Tri| {
            let mut a = Account {
                in_scope: true,
                department: Some(dept.into()),
                methods: Some(vec![]),
                ..Default::default()
            };
            a.telephony.phishing_resistant = pr;
            a.telephony.passkey_allowed = Some(allowed);
            a.telephony.retirement = 100 * DAY;
            a
        };
        let accounts = vec![
            mk("Sales", false, Tri::No),
            mk("Sales", true, Tri::Yes),
            mk("IT", true, Tri::Unknown),
        ];
        let codes = vec![
            vec![Code::WeakMethodsOnly, Code::PasskeyNotAllowed],
            vec![],
            vec![],
        ];
        let args = PasskeyArgs {
            retirement: 100 * DAY,
            late: 200 * DAY,
            telecom_provider: false,
            migration_state: Some("migrationComplete".into()),
        };
        let r = readiness(&accounts, &codes, 40 * DAY, &args);
        assert_eq!((r.days_left, r.days_left_late), (60, 160));
        assert_eq!((r.weak_methods_only, r.passkey_not_allowed), (1, 1));
        assert_eq!(r.phishing_resistant.yes, 2);
        let pa = r.passkey_allowed.unwrap();
        assert_eq!((pa.yes, pa.no, pa.unknown), (1, 1, 1));
        assert_eq!(r.by_department[0].department, "Sales");
        assert_eq!(r.phone_rules_not_evaluated, 0);
        assert!(r.notes.is_empty());
        let after = readiness(
            &accounts,
            &codes,
            100 * DAY,
            &PasskeyArgs {
                migration_state: None,
                ..args
            },
        );
        assert_eq!(after.phone_rules_not_evaluated, 3);
        assert_eq!(after.passkey_allowed, None);
        assert_eq!(after.days_left, 0);
    }
}
