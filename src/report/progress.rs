//! Campaign progress since a baseline run: the per-account changes (registered, regressed,
//! new-finding, resolved, new-account, removed-account) and the history of readiness and finding
//! counts that summary.json carries from run to run.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::report::baseline::Baseline;
use crate::report::model::{Change, ChangeKind, HistoryPoint, Progress, Report};
use crate::rules::Code;
use crate::tenant::accounts::Account;

/// This run's history point.
pub fn point(r: &Report) -> HistoryPoint {
    HistoryPoint {
        as_of: r.summary.as_of.clone(),
        registration: r.summary.registration.clone(),
        findings: r.summary.findings.clone(),
    }
}

/// The baseline's history plus this run. A baseline point with this run's as-of (a re-run of the
/// same week) is replaced by this run. A baseline newer than this run is refused.
pub fn history(base: &Baseline, r: &Report) -> Result<Vec<HistoryPoint>, Error> {
    let now = point(r);
    if base.as_of > now.as_of {
        return Err(Error::Usage(format!(
            "--baseline {}: that run is as of {}, after this run's as-of {}; give an earlier run as the baseline",
            base.dir.display(),
            base.as_of,
            now.as_of
        )));
    }
    let mut h: Vec<HistoryPoint> = base
        .history
        .iter()
        .filter(|p| p.as_of != now.as_of)
        .cloned()
        .collect();
    h.push(now);
    h.sort_by(|a, b| a.as_of.cmp(&b.as_of));
    Ok(h)
}

/// The account changes between the baseline and this run. Accounts are matched by object id;
/// where one side has no id, by UPN (case-insensitive). Two different ids are two accounts even
/// under one UPN (deleted and re-created).
pub fn compare(base: &Baseline, r: &Report) -> Progress {
    Progress {
        baseline: base.dir.display().to_string(),
        baseline_as_of: base.as_of.clone(),
        changes: changes(base, &r.accounts, &r.account_findings),
        registration_compared: base.registration_known,
    }
}

/// The sorted change rows between the baseline and this run's accounts (with their finding
/// codes, parallel to `cur`).
fn changes(base: &Baseline, cur: &[Account], cur_findings: &[Vec<Code>]) -> Vec<Change> {
    let mut matched_base: Vec<Option<usize>> = vec![None; cur.len()];
    let mut taken = vec![false; base.accounts.len()];
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_upn: BTreeMap<String, usize> = BTreeMap::new();
    for (j, b) in base.accounts.iter().enumerate() {
        if let Some(id) = &b.id {
            by_id.entry(id.to_lowercase()).or_insert(j);
        }
        by_upn.entry(b.upn.to_lowercase()).or_insert(j);
    }
    // First by id, then by UPN among the accounts left.
    for (i, a) in cur.iter().enumerate() {
        if let Some(&j) = a.id.as_ref().and_then(|id| by_id.get(&id.to_lowercase()))
            && !taken[j]
        {
            matched_base[i] = Some(j);
            taken[j] = true;
        }
    }
    for (i, a) in cur.iter().enumerate() {
        if matched_base[i].is_some() {
            continue;
        }
        if let Some(&j) = by_upn.get(&a.upn.to_lowercase())
            && !taken[j]
            && (a.id.is_none() || base.accounts[j].id.is_none())
        {
            matched_base[i] = Some(j);
            taken[j] = true;
        }
    }

    let mut changes = Vec::new();
    let mut push = |upn: &str, id: &str, change: ChangeKind, finding: &str| {
        changes.push(Change {
            user_principal_name: upn.to_string(),
            id: id.to_string(),
            change,
            finding: finding.to_string(),
        })
    };
    for (i, a) in cur.iter().enumerate() {
        let now: BTreeSet<&str> = cur_findings
            .get(i)
            .map(|f| f.iter().map(|c| c.as_str()).collect())
            .unwrap_or_default();
        match matched_base[i] {
            None => {
                let id = a.id.as_deref().unwrap_or_default();
                push(&a.upn, id, ChangeKind::NewAccount, "");
                for f in &now {
                    push(&a.upn, id, ChangeKind::NewFinding, f);
                }
            }
            Some(j) => {
                let b = &base.accounts[j];
                let id = a.id.as_deref().or(b.id.as_deref()).unwrap_or_default();
                if base.registration_known {
                    let (was, is) = (b.registered == Some(true), a.registered == Some(true));
                    if is && !was {
                        push(&a.upn, id, ChangeKind::Registered, "");
                    }
                    if was && !is {
                        push(&a.upn, id, ChangeKind::Regressed, "");
                    }
                }
                for f in &now {
                    if !b.findings.contains(*f) {
                        push(&a.upn, id, ChangeKind::NewFinding, f);
                    }
                }
                for f in &b.findings {
                    if !now.contains(f.as_str()) {
                        push(&a.upn, id, ChangeKind::Resolved, f);
                    }
                }
            }
        }
    }
    for (j, b) in base.accounts.iter().enumerate() {
        if !taken[j] {
            push(
                &b.upn,
                b.id.as_deref().unwrap_or_default(),
                ChangeKind::RemovedAccount,
                "",
            );
        }
    }
    changes.sort_by(|x, y| {
        (
            x.user_principal_name.to_lowercase(),
            &x.user_principal_name,
            &x.id,
            x.change,
            &x.finding,
        )
            .cmp(&(
                y.user_principal_name.to_lowercase(),
                &y.user_principal_name,
                &y.id,
                y.change,
                &y.finding,
            ))
    });
    changes
}

/// Refuses a baseline that is the output folder itself: the run would overwrite its evidence.
pub fn check_baseline_dir(baseline: &std::path::Path, out: &std::path::Path) -> Result<(), Error> {
    let (Ok(b), Ok(o)) = (std::fs::canonicalize(baseline), std::fs::canonicalize(out)) else {
        return Ok(());
    };
    if b == o {
        return Err(Error::Usage(format!(
            "--baseline {} is also the output folder: this run would overwrite the evidence it compares with; write to a new folder with --out",
            baseline.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::baseline::BaseAccount;

    fn base(accounts: Vec<BaseAccount>) -> Baseline {
        Baseline {
            dir: "b".into(),
            as_of: "2026-11-14T09:00:00Z".into(),
            accounts,
            registration_known: true,
            history: vec![],
            key_fingerprint: None,
        }
    }

    fn was(upn: &str, id: Option<&str>, reg: Option<bool>, findings: &[Code]) -> BaseAccount {
        BaseAccount {
            upn: upn.into(),
            id: id.map(str::to_string),
            registered: reg,
            findings: findings.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn now(upn: &str, id: Option<&str>, reg: Option<bool>) -> Account {
        Account {
            upn: upn.into(),
            id: id.map(str::to_string),
            registered: reg,
            ..Default::default()
        }
    }

    fn rows(c: &[Change]) -> Vec<(String, String, &'static str, String)> {
        c.iter()
            .map(|c| {
                (
                    c.user_principal_name.clone(),
                    c.id.clone(),
                    c.change.as_str(),
                    c.finding.clone(),
                )
            })
            .collect()
    }

    fn row(
        upn: &str,
        id: &str,
        change: &'static str,
        f: &str,
    ) -> (String, String, &'static str, String) {
        (upn.into(), id.into(), change, f.into())
    }

    #[test]
    fn accounts_match_by_id_then_by_upn_where_an_id_is_missing() {
        let b = base(vec![
            // Renamed: same id, new UPN.
            was("old@x.com", Some("A1"), Some(false), &[Code::NotRegistered]),
            // This run has no id for it (a registration-only export): matched by UPN, any case.
            was("Pat@x.com", Some("B2"), Some(false), &[]),
            // The baseline had no id: matched by UPN.
            was("sam@x.com", None, Some(true), &[]),
            // Same UPN, another id: deleted and re-created, so two accounts.
            was("reuse@x.com", Some("C3"), Some(true), &[]),
        ]);
        let cur = vec![
            now("new@x.com", Some("a1"), Some(true)),
            now("pat@x.com", None, Some(true)),
            now("sam@x.com", Some("S9"), Some(false)),
            now("reuse@x.com", Some("D4"), Some(true)),
        ];
        let f = vec![vec![], vec![], vec![Code::NotRegistered], vec![]];
        assert_eq!(
            rows(&changes(&b, &cur, &f)),
            vec![
                row("new@x.com", "a1", "registered", ""),
                row("new@x.com", "a1", "resolved", Code::NotRegistered.as_str()),
                row("pat@x.com", "B2", "registered", ""),
                row("reuse@x.com", "C3", "removed-account", ""),
                row("reuse@x.com", "D4", "new-account", ""),
                row("sam@x.com", "S9", "regressed", ""),
                row(
                    "sam@x.com",
                    "S9",
                    "new-finding",
                    Code::NotRegistered.as_str()
                ),
            ]
        );
    }

    #[test]
    fn an_unchanged_tenant_has_no_changes_and_unknown_counts_as_not_registered() {
        let b = base(vec![
            was("a@x.com", Some("1"), Some(true), &[Code::WeakMethodsOnly]),
            was("u@x.com", Some("2"), None, &[Code::RegistrationUnknown]),
        ]);
        let cur = vec![
            now("a@x.com", Some("1"), Some(true)),
            now("u@x.com", Some("2"), Some(true)),
        ];
        let f = vec![vec![Code::WeakMethodsOnly], vec![]];
        assert_eq!(
            rows(&changes(&b, &cur, &f)),
            vec![
                row("u@x.com", "2", "registered", ""),
                row(
                    "u@x.com",
                    "2",
                    "resolved",
                    Code::RegistrationUnknown.as_str()
                ),
            ]
        );
        // Registration is not compared when the baseline did not record it.
        let mut b = b;
        b.registration_known = false;
        assert_eq!(
            rows(&changes(&b, &cur, &f)),
            vec![row(
                "u@x.com",
                "2",
                "resolved",
                Code::RegistrationUnknown.as_str()
            )]
        );
    }
}
