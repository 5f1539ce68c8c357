//! The sign-in counting rules, in one place: which rows are user sign-ins and of which kind,
//! which count as a sign-in, and which as a registration prompt. Every sign-in reader (portal,
//! Graph, Log Analytics, archives) goes through these; `queries/README.md` restates them beside
//! the KQL and Spark SQL that compute the same per-user summary where the logs live.

/// Errors that put a user into MFA registration: 50072 UserStrongAuthEnrollmentRequiredInterrupt
/// and 50079 UserStrongAuthEnrollmentRequired (docs/inputs.md, "Error codes that matter").
pub const PROMPT_CODES: [i64; 2] = [50072, 50079];

/// Error codes the portal shows as "Interrupted" (the first factor passed; the user was asked
/// for something more). Used when a row has no text status (Log Analytics, archives, JSON).
pub const INTERRUPT_CODES: &[i64] = &[
    50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50199, 81010, 81012, 16000, 16001,
];

/// What kind of sign-in a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Interactive,
    NonInteractive,
    /// A service principal or managed identity sign-in: not a user's, ignored.
    NotUser,
}

/// The kind a Log Analytics `Category` / `Type` or an archive record's `category` names
/// (case-insensitive); `None` when neither names a sign-in table.
pub fn kind_from_table(category: &str, table: &str) -> Option<RowKind> {
    [category, table]
        .iter()
        .find_map(|t| match t.trim().to_ascii_lowercase().as_str() {
            "signinlogs" => Some(RowKind::Interactive),
            "noninteractiveusersigninlogs" | "aadnoninteractiveusersigninlogs" => {
                Some(RowKind::NonInteractive)
            }
            "serviceprincipalsigninlogs"
            | "aadserviceprincipalsigninlogs"
            | "managedidentitysigninlogs"
            | "aadmanagedidentitysigninlogs" => Some(RowKind::NotUser),
            _ => None,
        })
}

/// The kind from Graph's `signInEventTypes` (a JSON array or a joined list in a cell).
pub fn kind_from_event_types(types: &str) -> Option<RowKind> {
    let t = types.to_ascii_lowercase();
    if t.contains("noninteractiveuser") {
        Some(RowKind::NonInteractive)
    } else if t.contains("interactiveuser") {
        Some(RowKind::Interactive)
    } else if t.contains("serviceprincipal") || t.contains("managedidentity") {
        Some(RowKind::NotUser)
    } else {
        None
    }
}

/// Success and interrupted, from a text status (`Success`, `Failure`, `Interrupted`) where the
/// row has one, else from the error code (0 is success; an interrupt code is an interrupt).
pub fn outcome(status: Option<&str>, code: Option<i64>) -> (bool, bool) {
    match status {
        Some(s) => (
            s.eq_ignore_ascii_case("success"),
            s.eq_ignore_ascii_case("interrupted"),
        ),
        None => match code {
            Some(0) => (true, false),
            Some(c) => (false, INTERRUPT_CODES.contains(&c)),
            None => (false, false),
        },
    }
}

/// What one user sign-in row counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// An interactive sign-in that succeeded or was interrupted (the user was there).
    pub interactive: bool,
    /// A non-interactive sign-in that succeeded (a refresh token was used).
    pub non_interactive: bool,
    /// An interactive sign-in that sent the user to MFA registration.
    pub prompt: bool,
}

pub fn count(interactive: bool, success: bool, interrupted: bool, code: Option<i64>) -> Counted {
    Counted {
        interactive: interactive && (success || interrupted),
        non_interactive: !interactive && success,
        prompt: interactive && code.is_some_and(|c| PROMPT_CODES.contains(&c)),
    }
}

/// The error code inside a Log Analytics `Status` cell (`{"errorCode":50126,...}`), if the
/// cell holds JSON with one.
pub fn code_in_status_json(status: &str) -> Option<i64> {
    let t = status.trim();
    if !t.starts_with('{') {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let o = v.as_object()?;
    o.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("errorCode"))
        .and_then(|(_, v)| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_name_the_kind_and_others_do_not() {
        assert_eq!(
            kind_from_table("SignInLogs", ""),
            Some(RowKind::Interactive)
        );
        assert_eq!(
            kind_from_table("", "AADNonInteractiveUserSignInLogs"),
            Some(RowKind::NonInteractive)
        );
        assert_eq!(
            kind_from_table("ManagedIdentitySignInLogs", ""),
            Some(RowKind::NotUser)
        );
        assert_eq!(kind_from_table("AuditLogs", "AuditLogs"), None);
        assert_eq!(
            kind_from_event_types("[\"interactiveUser\"]"),
            Some(RowKind::Interactive)
        );
        assert_eq!(
            kind_from_event_types("nonInteractiveUser"),
            Some(RowKind::NonInteractive)
        );
        assert_eq!(kind_from_event_types(""), None);
    }

    #[test]
    fn what_counts() {
        // Interrupted interactive counts; a failed one does not.
        let (s, i) = outcome(None, Some(50140));
        assert_eq!((s, i), (false, true));
        assert!(count(true, s, i, Some(50140)).interactive);
        let (s, i) = outcome(None, Some(50126));
        assert!(!count(true, s, i, Some(50126)).interactive);
        // A text status wins over the code.
        assert_eq!(outcome(Some("Failure"), Some(0)), (false, false));
        // Non-interactive counts only on success; prompts only interactively.
        assert!(count(false, true, false, Some(0)).non_interactive);
        assert!(!count(false, false, true, Some(50072)).non_interactive);
        assert!(count(true, false, true, Some(50079)).prompt);
        assert!(!count(false, false, true, Some(50079)).prompt);
    }

    /// Every bracketed list of numbers in a query text (`[50072, 50079]`, `(50072, 50079)`).
    fn number_lists(text: &str) -> Vec<Vec<i64>> {
        let mut out = Vec::new();
        for part in text.split(['(', '[']).skip(1) {
            let Some(end) = part.find([')', ']']) else {
                continue;
            };
            let nums: Result<Vec<i64>, _> =
                part[..end].split(',').map(|n| n.trim().parse()).collect();
            if let Ok(n) = nums
                && n.len() >= 2
            {
                out.push(n);
            }
        }
        out
    }

    /// The KQL and Spark SQL summaries in queries/ spell the same code lists as this module:
    /// a code added here and not there would make the two routes count differently.
    #[test]
    fn the_queries_use_the_same_codes() {
        let kql = include_str!("../../queries/signin-summary.kql");
        let sql = include_str!("../../queries/signin-summary.sql");
        let want = [INTERRUPT_CODES.to_vec(), PROMPT_CODES.to_vec()];
        for (name, text) in [("kql", kql), ("sql", sql)] {
            let lists = number_lists(text);
            assert!(!lists.is_empty(), "{name}: no code lists found");
            for l in &lists {
                assert!(
                    want.contains(l),
                    "{name}: a code list this module does not have: {l:?}"
                );
            }
            for w in &want {
                assert!(lists.contains(w), "{name}: lacks {w:?}");
            }
        }
        assert_eq!(number_lists("x IN (1, 2) AND y"), vec![vec![1, 2]]);
    }

    #[test]
    fn status_json_carries_the_code() {
        assert_eq!(
            code_in_status_json("{\"errorCode\":50126,\"failureReason\":\"x\"}"),
            Some(50126)
        );
        assert_eq!(code_in_status_json("{\"errorCode\":\"0\"}"), Some(0));
        assert_eq!(code_in_status_json("Success"), None);
        assert_eq!(code_in_status_json("{not json"), None);
    }
}
