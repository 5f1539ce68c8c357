//! The Secure Score exports joined to the tenant: each control's figures as Microsoft exported
//! them (the newest score, the maximum from the score, the profile or the documented default),
//! and every impacted resource matched to an account by `id`, then `subjectId`, then a display
//! name only one account carries (docs/decisions.md, "Secure Score reconciliation").

use std::collections::HashMap;

use crate::input::secure_score::{self, CONTROLS, Exports, Status};
use crate::input::{Action, InputInfo, IssueLog};
use crate::tenant::accounts::{Account, Accounts};
use crate::tenant::pseudonyms::Scrubber;
use crate::values::Millis;

/// How an impacted resource was matched to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Id,
    SubjectId,
    DisplayName,
    /// Matches no account (or a display name several accounts carry).
    Unmatched,
}

/// One account a recommendation lists, with every identifier it carries in one place (a later
/// step that rewrites identifiers rewrites them here), and the account it matched.
#[derive(Debug, Clone)]
pub struct ImpactedResource {
    pub control: &'static str,
    pub id: String,
    pub subject_id: String,
    pub display_name: String,
    /// A UPN from the resource's `additionalDetails`, when it carries one.
    pub upn: String,
    pub status: Status,
    pub status_text: String,
    /// Index into the accounts list.
    pub account: Option<usize>,
    pub matched_by: MatchedBy,
    /// Several accounts carry the display name (only when unmatched).
    pub ambiguous_name: usize,
}

/// One control as Microsoft exported it.
#[derive(Debug, Clone, Default)]
pub struct MicrosoftControl {
    pub control: &'static str,
    pub score: Option<f64>,
    pub max_score: f64,
    /// Where the maximum came from: `score`, `profile` or `default`.
    pub max_from: &'static str,
    /// The score's `createdDateTime`.
    pub date: Option<Millis>,
    pub count: Option<String>,
    pub total: Option<String>,
    pub implementation_status: Option<String>,
    /// The file and object the score was read from, and how many score objects carried the
    /// control (the newest is used).
    pub source: String,
    pub candidates: usize,
    /// A recommendation of this control with its impacted resources was given.
    pub listed: bool,
    /// The recommendation's `lastModifiedDateTime`, when given.
    pub recommendation_date: Option<Millis>,
}

/// The Secure Score inputs the report reconciles, carried from the tenant stage to the report.
#[derive(Debug, Clone, Default)]
pub struct SecureScoreInputs {
    /// Both controls, in `CONTROLS` order.
    pub controls: Vec<MicrosoftControl>,
    pub resources: Vec<ImpactedResource>,
}

impl SecureScoreInputs {
    /// With `--pseudonymize`: every identifier a resource carries is rewritten here, in the one
    /// record that holds them (the accounts were rewritten already; a matched resource takes
    /// its display name from its account, so both read alike).
    pub fn pseudonymize(&mut self, s: &Scrubber, accounts: &[Account]) {
        let p = s.pseudonyms();
        let id = |v: &str| {
            if v.is_empty() {
                String::new()
            } else if v.contains('@') {
                p.upn(v)
            } else {
                p.guid(v)
            }
        };
        for r in &mut self.resources {
            r.id = id(&r.id);
            r.subject_id = id(&r.subject_id);
            r.upn = p.upn(&r.upn);
            r.display_name = match r.account.and_then(|i| accounts.get(i)) {
                Some(a) => a.display_name.clone().unwrap_or_default(),
                None if r.display_name.is_empty() => String::new(),
                None => p.display_name(&r.display_name),
            };
        }
        for c in &mut self.controls {
            c.source = s.text(&c.source);
        }
    }
}

/// Chooses the scores, matches the impacted resources to the accounts, and returns the files'
/// row counts; every issue goes to `log`.
pub fn join(
    mut exports: Exports,
    accounts: &Accounts,
    log: &mut IssueLog,
) -> (SecureScoreInputs, Vec<InputInfo>) {
    let chosen = exports.choose(log);
    let controls = CONTROLS
        .iter()
        .map(|c| microsoft_control(c, &exports, &chosen))
        .collect();
    let resources = match_resources(&exports, accounts, log);
    (
        SecureScoreInputs {
            controls,
            resources,
        },
        exports.infos,
    )
}

fn microsoft_control(
    control: &'static str,
    e: &Exports,
    chosen: &[(&'static str, usize)],
) -> MicrosoftControl {
    let snap = chosen
        .iter()
        .find(|(c, _)| *c == control)
        .map(|(_, i)| &e.snapshots[*i]);
    let score = snap.and_then(|s| s.controls.iter().find(|c| c.control == control));
    let profile = e.profiles.iter().find(|p| p.control == control);
    let (max_score, max_from) = match (score.and_then(|s| s.max_score), profile) {
        (Some(m), _) if m > 0.0 => (m, "score"),
        (_, Some(p)) => (p.max_score, "profile"),
        _ => (secure_score::default_max(control), "default"),
    };
    let recs: Vec<_> = e
        .recommendations
        .iter()
        .filter(|r| r.control == control)
        .collect();
    MicrosoftControl {
        control,
        score: score.and_then(|s| s.score),
        max_score,
        max_from,
        date: snap.and_then(|s| s.created),
        count: score.and_then(|s| s.count.clone()),
        total: score.and_then(|s| s.total.clone()),
        implementation_status: score.and_then(|s| s.implementation_status.clone()),
        source: snap
            .map(|s| format!("{} {}", s.file, s.at))
            .unwrap_or_default(),
        candidates: e
            .snapshots
            .iter()
            .filter(|s| s.controls.iter().any(|c| c.control == control))
            .count(),
        listed: recs.iter().any(|r| r.expanded),
        recommendation_date: recs.iter().filter_map(|r| r.last_modified).max(),
    }
}

/// Each resource matched by id, then subjectId (as an id or a UPN), then a display name that
/// exactly one account carries. An account listed twice for a control is kept once.
fn match_resources(e: &Exports, accounts: &Accounts, log: &mut IssueLog) -> Vec<ImpactedResource> {
    let mut names: Option<HashMap<String, Vec<usize>>> = None;
    let mut seen: std::collections::HashSet<(&'static str, String)> = Default::default();
    let mut out = Vec::new();
    for r in &e.resources {
        let by_id = || {
            accounts
                .index
                .find(Some(r.id.as_str()), None)
                .map(|i| i as usize)
        };
        let by_subject = || {
            let s = Some(r.subject_id.as_str()).filter(|s| !s.is_empty());
            accounts.index.find(s, s).map(|i| i as usize)
        };
        let (mut account, mut matched_by, mut ambiguous) = (None, MatchedBy::Unmatched, 0);
        if let Some(i) = by_id() {
            (account, matched_by) = (Some(i), MatchedBy::Id);
        } else if let Some(i) = by_subject() {
            (account, matched_by) = (Some(i), MatchedBy::SubjectId);
        } else if !r.display_name.is_empty() {
            let map = names.get_or_insert_with(|| display_names(accounts));
            match map.get(&r.display_name.to_lowercase()).map(Vec::as_slice) {
                Some([i]) => (account, matched_by) = (Some(*i), MatchedBy::DisplayName),
                Some(many) => ambiguous = many.len(),
                None => {}
            }
        }
        let key = match account {
            Some(i) => format!("#{i}"),
            None => format!(
                "{}|{}|{}",
                r.id.to_lowercase(),
                r.subject_id.to_lowercase(),
                r.display_name.to_lowercase()
            ),
        };
        if !seen.insert((r.control, key)) {
            log.add(
                &r.file,
                None,
                &r.at,
                &r.id,
                format!(
                    "the account is listed again for {}; the first listing is used",
                    r.control
                ),
                Action::Kept,
            );
            continue;
        }
        out.push(ImpactedResource {
            control: r.control,
            id: r.id.clone(),
            subject_id: r.subject_id.clone(),
            display_name: r.display_name.clone(),
            upn: r.upn.clone(),
            status: r.status,
            status_text: r.status_text.clone(),
            account,
            matched_by,
            ambiguous_name: ambiguous,
        });
    }
    out
}

fn display_names(accounts: &Accounts) -> HashMap<String, Vec<usize>> {
    let mut m: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in accounts.list.iter().enumerate() {
        if let Some(n) = a.display_name.as_deref().filter(|n| !n.trim().is_empty()) {
            m.entry(n.trim().to_lowercase()).or_default().push(i);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::secure_score::Resource;

    fn accounts() -> Accounts {
        let mut acc = Accounts::default();
        for (i, (id, upn, name)) in [
            ("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e501", "ann@x.com", "Ann"),
            ("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e502", "ben@x.com", "Twin"),
            ("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503", "cat@x.com", "Twin"),
        ]
        .into_iter()
        .enumerate()
        {
            acc.index.add_id(id, i);
            acc.index.add_upn(upn, i);
            acc.list.push(Account {
                id: Some(id.into()),
                upn: upn.into(),
                upn_lower: upn.into(),
                display_name: Some(name.into()),
                ..Default::default()
            });
        }
        acc
    }

    fn res(id: &str, subject: &str, name: &str) -> Resource {
        Resource {
            file: "r.json".into(),
            at: "value[0]".into(),
            control: "MFARegistrationV2",
            id: id.into(),
            subject_id: subject.into(),
            display_name: name.into(),
            upn: String::new(),
            status: Status::Active,
            status_text: "active".into(),
        }
    }

    #[test]
    fn resources_match_by_id_then_subject_id_then_a_unique_display_name() {
        let e = Exports {
            resources: vec![
                // The id wins over a subjectId naming another account.
                res("6D1C0003-2B7E-4C1A-9F3E-A1B2C3D4E501", "ben@x.com", "Ann"),
                // A subjectId that is a UPN.
                res("not-a-guid", "BEN@x.com", ""),
                // A display name two accounts carry decides nothing; one nobody carries neither.
                res("", "", "Twin"),
                res("", "", "Nobody"),
                // The same account listed again is kept once.
                res("", "6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e502", ""),
            ],
            ..Default::default()
        };
        let mut log = IssueLog::default();
        let got = match_resources(&e, &accounts(), &mut log);
        let summary: Vec<(Option<usize>, MatchedBy, usize)> = got
            .iter()
            .map(|r| (r.account, r.matched_by, r.ambiguous_name))
            .collect();
        assert_eq!(
            summary,
            [
                (Some(0), MatchedBy::Id, 0),
                (Some(1), MatchedBy::SubjectId, 0),
                (None, MatchedBy::Unmatched, 2),
                (None, MatchedBy::Unmatched, 0),
            ]
        );
        assert_eq!(log.issues.len(), 1);
        assert!(log.issues[0].problem.contains("listed again"));
    }
}
