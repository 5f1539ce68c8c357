//! Conditional Access coverage as cells: `coverage.csv` and the Coverage sheet's list are both
//! rendered from these.

use crate::tenant::coverage::Effect;
use crate::tenant::coverage_rows::Row;

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
            ]
        })
        .collect()
}

/// The columns of `coverage.csv`.
pub const HEADER: [&str; 7] = [
    "userPrincipalName",
    "id",
    "coverage",
    "enforcedBy",
    "partialBy",
    "excludedBy",
    "unknownBecause",
];
