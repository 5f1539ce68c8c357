//! Conditional Access coverage as cells: `coverage.csv` and the Coverage sheet's list are both
//! rendered from these.

use crate::tenant::coverage::Effect;
use crate::tenant::coverage_rows::Row;
use crate::tenant::strengths::Outcome;

/// The cells of `coverage.csv` and of the Coverage sheet's list, built once for both:
/// `userPrincipalName,id,coverage,enforcedBy,partialBy,excludedBy,unknownBecause`, sorted by UPN;
/// policy names joined with `; `, each with its reason in parentheses.
pub fn cells(rows: &[Row]) -> Vec<Vec<String>> {
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by_key(|r| r.upn.to_lowercase());
    let join = |e: &[Effect]| {
        e.iter()
            .map(|e| format!("{} ({})", e.policy, e.reason))
            .collect::<Vec<_>>()
            .join("; ")
    };
    rows.iter()
        .map(|r| {
            let v = &r.verdict;
            vec![
                r.upn.clone(),
                r.id.clone(),
                v.coverage.as_str().to_string(),
                join(&v.enforced_by),
                join(&v.partial_by),
                join(&v.excluded_by),
                join(&v.unknown_because),
                strength_unmet(r),
            ]
        })
        .collect()
}

/// Policies whose strength the account cannot meet, report-only ones marked (the preview
/// before switching them on), each with what is missing and what the account has.
fn strength_unmet(r: &Row) -> String {
    r.strengths
        .iter()
        .filter_map(|s| match &s.outcome {
            Outcome::Unmet(why) => Some(format!(
                "{} ({}{why})",
                s.policy,
                if s.report_only { "report-only; " } else { "" }
            )),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The columns of `coverage.csv`.
pub const HEADER: [&str; 8] = [
    "userPrincipalName",
    "id",
    "coverage",
    "enforcedBy",
    "partialBy",
    "excludedBy",
    "unknownBecause",
    "strengthUnmet",
];
