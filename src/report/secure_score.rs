//! The Secure Score reconciliation (docs/decisions.md, "Secure Score reconciliation"): per
//! control, Microsoft's figures beside our estimate and the projected score once the accounts of
//! the matching bulk file have acted; per account, where the two views differ, the reason we can
//! see. Identifiers of matched resources come from the account, of unmatched ones from the
//! resource itself.

use std::collections::HashSet;

use crate::input::secure_score::Status;
use crate::report::model::{
    ImpactedCounts, MicrosoftScore, Projected, Report, ScoreEstimate, ScoreRow,
};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::Account;
use crate::tenant::coverage::Coverage;
use crate::tenant::coverage_rows::Row;
use crate::tenant::secure_score::{
    ImpactedResource, MatchedBy, MicrosoftControl, SecureScoreInputs,
};
use crate::values::{Millis, fmt_ts};

/// Our view of one account for one control.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ours {
    /// Counted compliant by our estimate (and why: registered, or MFA enforced).
    Compliant(&'static str),
    /// In our population, not compliant.
    NotCompliant(String),
    /// Outside the population our estimate counts.
    Outside(String),
}

impl Ours {
    fn text(&self) -> String {
        match self {
            Ours::Compliant(t) => t.to_string(),
            Ours::NotCompliant(t) => t.clone(),
            Ours::Outside(why) => format!("outside our population ({why})"),
        }
    }
}

/// What the reconciliation needs of the report for one control.
struct View<'a> {
    control: &'static str,
    accounts: &'a [Account],
    coverage: Option<&'a [Row]>,
    /// Lowercase ids and UPNs of registration-group-add.csv.
    group_add: &'a HashSet<String>,
}

impl View<'_> {
    fn ours(&self, i: usize) -> Ours {
        let a = &self.accounts[i];
        if !a.in_scope {
            return Ours::Outside(a.scope_reason.clone());
        }
        let registration = || match a.registered {
            Some(true) => Ours::Compliant("registered"),
            Some(false) => Ours::NotCompliant("not registered".into()),
            None => Ours::NotCompliant("registration unknown".into()),
        };
        if self.control != "AdminMFAV2" {
            return registration();
        }
        match self.coverage.and_then(|rows| rows.get(i)) {
            Some(r) if !r.admin => Ours::Outside("not an admin in our inputs".into()),
            Some(r) if r.verdict.coverage == Coverage::Enforced => {
                Ours::Compliant("MFA enforced by Conditional Access")
            }
            Some(r) => Ours::NotCompliant(format!(
                "Conditional Access coverage {}",
                r.verdict.coverage.as_str()
            )),
            None if a.is_admin != Some(true) => Ours::Outside("not an admin in our inputs".into()),
            None => registration(),
        }
    }

    /// The account is in the bulk file and, having acted, counts compliant: for AdminMFAV2
    /// with Conditional Access inputs, only where MFA is enforced for it.
    fn acts(&self, i: usize) -> bool {
        let a = &self.accounts[i];
        let listed =
            a.id.as_deref()
                .is_some_and(|id| self.group_add.contains(&id.to_ascii_lowercase()))
                || self.group_add.contains(&a.upn_lower);
        listed
            && (self.control != "AdminMFAV2"
                || self
                    .coverage
                    .and_then(|rows| rows.get(i))
                    .is_none_or(|r| r.verdict.coverage == Coverage::Enforced))
    }
}

/// Fills in Microsoft's figures and the projection on each estimate, and the rows of
/// securescore.csv.
pub fn reconcile(report: &mut Report, inputs: &SecureScoreInputs) {
    let group_add: HashSet<String> = report
        .bulk
        .group_add
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for m in &inputs.controls {
        let view = View {
            control: m.control,
            accounts: &report.accounts,
            coverage: report.coverage.as_deref(),
            group_add: &group_add,
        };
        let resources: Vec<&ImpactedResource> = inputs
            .resources
            .iter()
            .filter(|r| r.control == m.control)
            .collect();
        let mine = differences(&view, m, &resources);
        let Some(est) = report
            .summary
            .secure_score
            .iter_mut()
            .find(|e| e.control == m.control)
        else {
            continue;
        };
        est.projected = Some(projected(&view, m, &resources, est));
        est.microsoft = Some(microsoft(m, &resources, mine.len()));
        rows.extend(mine);
    }
    rows.sort_by(|a, b| {
        (
            a.control,
            a.user_principal_name.to_lowercase(),
            &a.id,
            &a.reason,
        )
            .cmp(&(
                b.control,
                b.user_principal_name.to_lowercase(),
                &b.id,
                &b.reason,
            ))
    });
    report.secure_score = Some(rows);
}

fn microsoft(
    m: &MicrosoftControl,
    resources: &[&ImpactedResource],
    differing: usize,
) -> MicrosoftScore {
    let impacted = m.listed.then(|| {
        let mut c = ImpactedCounts::default();
        for r in resources {
            match r.status {
                Status::Active => c.active += 1,
                Status::Dismissed => c.dismissed += 1,
                Status::Postponed => c.postponed += 1,
                Status::CompletedBySystem => c.completed_by_system += 1,
                Status::CompletedByUser => c.completed_by_user += 1,
                Status::Other => c.other_status += 1,
            }
            match r.matched_by {
                MatchedBy::Unmatched => c.not_in_our_inputs += 1,
                MatchedBy::SubjectId => c.matched_by_subject_id += 1,
                MatchedBy::DisplayName => c.matched_by_display_name += 1,
                MatchedBy::Id => {}
            }
        }
        c
    });
    MicrosoftScore {
        score: m.score,
        max_score: m.max_score,
        max_score_from: m.max_from.to_string(),
        date: m.date.map(fmt_ts),
        count: m.count.clone(),
        total: m.total.clone(),
        implementation_status: m.implementation_status.clone(),
        source: m.source.clone(),
        scores_read: m.candidates,
        impacted,
        accounts_differing: differing,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The score once every account of registration-group-add.csv has acted: on Microsoft's own
/// count/total when the export gives them and the recommendation lists the accounts, else on
/// the population our estimate counted.
fn projected(
    view: &View<'_>,
    m: &MicrosoftControl,
    resources: &[&ImpactedResource],
    est: &ScoreEstimate,
) -> Projected {
    let file = BulkFile::GroupAdd.path().to_string();
    let parse = |s: &Option<String>| s.as_deref().and_then(|t| t.trim().parse::<f64>().ok());
    if let (Some(count), Some(total), true) = (parse(&m.count), parse(&m.total), m.listed)
        && total > 0.0
    {
        let acting = resources
            .iter()
            .filter(|r| !r.status.compliant())
            .filter(|r| r.account.is_some_and(|i| view.acts(i)))
            .count();
        let points = round2(m.max_score * ((count + acting as f64).min(total)) / total);
        return Projected {
            points,
            max_points: m.max_score,
            bulk_file: file,
            accounts_acting: acting,
            basis: format!(
                "Microsoft's count/total ({count} of {total}) with the {acting} accounts Microsoft lists as not compliant that are in {} counted as compliant",
                BulkFile::GroupAdd.file_name()
            ),
        };
    }
    let acting = (0..view.accounts.len())
        .filter(|&i| matches!(view.ours(i), Ours::NotCompliant(_)) && view.acts(i))
        .count();
    let points = if est.total == 0 {
        0.0
    } else {
        round2(m.max_score * (est.counted + acting).min(est.total) as f64 / est.total as f64)
    };
    Projected {
        points,
        max_points: m.max_score,
        bulk_file: file,
        accounts_acting: acting,
        basis: format!(
            "our population ({} of {} counted) with the {acting} accounts in {} counted as compliant; {}",
            est.counted,
            est.total,
            BulkFile::GroupAdd.file_name(),
            if m.listed {
                "the export gives no count/total"
            } else {
                "no recommendation export lists Microsoft's accounts"
            }
        ),
    }
}

/// The score's date for comparisons: the score's `createdDateTime`, else the recommendation's
/// `lastModifiedDateTime`.
fn score_date(m: &MicrosoftControl) -> Option<Millis> {
    m.date.or(m.recommendation_date)
}

fn matched_note(r: &ImpactedResource) -> String {
    match r.matched_by {
        MatchedBy::SubjectId => format!(" (matched by subjectId {})", r.subject_id),
        MatchedBy::DisplayName => format!(" (matched by display name \"{}\")", r.display_name),
        _ => String::new(),
    }
}

/// The rows of one control: every listed account whose views differ (every unmatched one
/// among them), then the accounts we count as not compliant that Microsoft does not list.
fn differences(
    view: &View<'_>,
    m: &MicrosoftControl,
    resources: &[&ImpactedResource],
) -> Vec<ScoreRow> {
    let date = score_date(m);
    let mut rows = Vec::new();
    let mut listed = vec![false; view.accounts.len()];
    for r in resources {
        let Some(i) = r.account else {
            rows.push(unmatched_row(m.control, r));
            continue;
        };
        listed[i] = true;
        let ours = view.ours(i);
        if let Some(reason) = listed_reason(r, &ours, &view.accounts[i], date) {
            rows.push(row(
                m.control,
                &view.accounts[i],
                &r.status_text,
                &ours,
                reason + &matched_note(r),
            ));
        }
    }
    if m.listed {
        for (i, a) in view.accounts.iter().enumerate() {
            if listed[i] {
                continue;
            }
            let ours = view.ours(i);
            if let Ours::NotCompliant(_) = ours {
                let reason = unlisted_reason(a, &ours, date);
                rows.push(row(m.control, a, "not listed", &ours, reason));
            }
        }
    }
    rows
}

fn row(
    control: &'static str,
    a: &Account,
    microsoft: &str,
    ours: &Ours,
    reason: String,
) -> ScoreRow {
    ScoreRow {
        control,
        user_principal_name: a.upn.clone(),
        id: a.id.clone().unwrap_or_default(),
        microsoft: microsoft.to_string(),
        ours: ours.text(),
        reason,
    }
}

fn unmatched_row(control: &'static str, r: &ImpactedResource) -> ScoreRow {
    let mut named = Vec::new();
    for (k, v) in [
        ("id", &r.id),
        ("subjectId", &r.subject_id),
        ("displayName", &r.display_name),
    ] {
        if !v.is_empty() {
            named.push(format!("{k} {v}"));
        }
    }
    let mut reason = format!("not in our inputs: no account matches {}", named.join(", "));
    if r.ambiguous_name > 1 {
        reason.push_str(&format!(
            " (the display name is carried by {} accounts, so it decides nothing)",
            r.ambiguous_name
        ));
    }
    ScoreRow {
        control,
        user_principal_name: r.upn.clone(),
        id: if r.id.is_empty() {
            r.subject_id.clone()
        } else {
            r.id.clone()
        },
        microsoft: r.status_text.clone(),
        ours: "not in our inputs".into(),
        reason,
    }
}

/// Why an account Microsoft lists differs from our view, or `None` when the views agree.
fn listed_reason(
    r: &ImpactedResource,
    ours: &Ours,
    a: &Account,
    date: Option<Millis>,
) -> Option<String> {
    if r.status.accepted() {
        return Some(format!(
            "accepted by an admin ({}): still not compliant in Microsoft's view, not fixed; we see it {}",
            r.status_text,
            ours.text()
        ));
    }
    if r.status.compliant() {
        return match ours {
            Ours::NotCompliant(t) => Some(format!(
                "Microsoft counts it compliant ({}) but we see it {t}",
                r.status_text
            )),
            _ => None,
        };
    }
    match ours {
        Ours::NotCompliant(_) => None,
        Ours::Outside(why) => Some(format!("outside our population: {why}")),
        Ours::Compliant(basis) => {
            let after = a.registration_updated.zip(date).filter(|(u, d)| u > d);
            Some(match after {
                Some((u, d)) if *basis == "registered" => format!(
                    "registered after the score's date: registration details updated {}, score of {}",
                    fmt_ts(u),
                    fmt_ts(d)
                ),
                _ => format!(
                    "Microsoft counts it not compliant ({}) but we see it {basis}",
                    r.status_text
                ),
            })
        }
    }
}

/// Why an account we count as not compliant is missing from Microsoft's list.
fn unlisted_reason(a: &Account, ours: &Ours, date: Option<Millis>) -> String {
    let after = |t: Option<Millis>| t.zip(date).filter(|(t, d)| t > d);
    if let Some((c, d)) = after(a.created) {
        return format!(
            "created after the score's date: created {}, score of {}",
            fmt_ts(c),
            fmt_ts(d)
        );
    }
    if let Some((u, d)) = after(a.registration_updated) {
        return format!(
            "registration changed after the score's date: registration details updated {}, score of {}",
            fmt_ts(u),
            fmt_ts(d)
        );
    }
    format!(
        "we see it {} but Microsoft does not list it as not compliant (outside Microsoft's population, or counted compliant by it)",
        ours.text()
    )
}
