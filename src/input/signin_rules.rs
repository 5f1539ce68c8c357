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

/// What a sign-in method label (Graph `authenticationDetails[].authenticationMethod`, the
/// portal's "Multifactor authentication auth method", Log Analytics `MfaDetail.authMethod`) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodLabel {
    /// A text message or a phone call: what Microsoft stops delivering (docs/inputs.md, "Methods used at sign-in").
    Telephony,
    /// A label the tool knows that is not telephony.
    Other,
    /// A label the tool does not know: kept visible, never counted as telephony.
    Unknown,
}

/// The labels known not to be telephony (compared ignoring case). "Passwordless phone sign-in"
/// is the Authenticator app, not a phone call.
const OTHER_LABELS: &[&str] = &[
    "Password",
    "Previously satisfied",
    "Mobile app notification",
    "OATH verification code",
    "Passwordless phone sign-in",
    "Passwordless Microsoft Authenticator",
    "FIDO2 security key",
    "Passkey (device-bound)",
    "Windows Hello for Business",
    "Other",
];

/// The telephony labels (compared ignoring case); any `Phone call approval (...)` is one too.
const TELEPHONY_LABELS: &[&str] = &["Text message", "SMS", "Voice", "Phone call"];

/// Classifies one method label; a blank label is `Other` (nothing to say about it).
pub fn classify_label(label: &str) -> MethodLabel {
    let l = label.trim();
    if l.is_empty() {
        return MethodLabel::Other;
    }
    let is = |list: &[&str]| list.iter().any(|k| k.eq_ignore_ascii_case(l));
    let phone_approval = l
        .get(..21)
        .is_some_and(|p| p.eq_ignore_ascii_case("phone call approval ("))
        && l.ends_with(')');
    if phone_approval || is(TELEPHONY_LABELS) {
        MethodLabel::Telephony
    } else if is(OTHER_LABELS) {
        MethodLabel::Other
    } else {
        MethodLabel::Unknown
    }
}

/// When a successful telephony MFA step happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAt {
    /// The step gives no time of its own: the row's sign-in time.
    Row,
    /// The step's own `authenticationStepDateTime`.
    At(crate::values::Millis),
}

/// Which methods-used cell a label came from, or could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodsCell {
    /// `authenticationDetails` / `AuthenticationDetails`.
    Details,
    /// The MFA method column (portal text, or Log Analytics `MfaDetail` JSON).
    MfaMethod,
}

/// What the methods-used cells of one counted sign-in say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodsUsed {
    /// The latest successful telephony MFA step, if any.
    pub telephony: Option<StepAt>,
    /// A cell that does not hold what its column should (the row itself is still used).
    pub unreadable: Option<(MethodsCell, String)>,
}

fn later(a: Option<StepAt>, b: StepAt) -> Option<StepAt> {
    Some(match (a, b) {
        (Some(StepAt::At(x)), StepAt::At(y)) => StepAt::At(x.max(y)),
        // A step without a time of its own is at the row's time: the row's time wins over a
        // step time only when no step gives one (both are the same sign-in).
        (Some(StepAt::At(x)), StepAt::Row) | (Some(StepAt::Row), StepAt::At(x)) => StepAt::At(x),
        (_, b) => b,
    })
}

/// Whether the portal's "Multifactor authentication result" says the MFA step succeeded:
/// `Success` / `Succeeded`, "MFA successfully completed", "MFA completed in Azure AD" or
/// "... in Entra ID". "MFA requirement satisfied by claim in the token" is an earlier MFA, not
/// a step of this sign-in; denials, "MFA required ..." and anything else are not a success.
pub fn mfa_result_succeeded(result: &str) -> bool {
    let r = result.trim();
    let has = |part: &str| {
        r.as_bytes()
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
    };
    r.eq_ignore_ascii_case("success")
        || r.eq_ignore_ascii_case("succeeded")
        || has("successfully completed")
        || has("completed in azure ad")
        || has("completed in entra id")
}

/// Every `authenticationMethod` label of an `authenticationDetails` cell, found without
/// parsing the JSON (most counted rows hold no telephony label, so their cell is never
/// parsed). `None` when a label is not a plain string (escapes): then the cell is parsed.
fn scan_labels<'c>(cell: &'c str, f: &mut impl FnMut(&'c str)) -> Option<()> {
    // Found by their `M` (a one-byte search, far cheaper per cell than a substring searcher):
    // `"authenticationMethod"` or `"AuthenticationMethod"`, not `...MethodDetail"`.
    const BEFORE: &[u8] = b"uthentication";
    const AFTER: &[u8] = b"Method\"";
    let b = cell.as_bytes();
    let mut from = 0;
    while let Some(k) = cell.get(from..).and_then(|s| s.find('M')) {
        let at = from + k;
        from = at + 1;
        let named = b.get(at..at + AFTER.len()) == Some(AFTER)
            && at >= BEFORE.len() + 2
            && &b[at - BEFORE.len()..at] == BEFORE
            && matches!(b[at - BEFORE.len() - 1], b'a' | b'A')
            && b[at - BEFORE.len() - 2] == b'"';
        if !named {
            continue;
        }
        from = at + AFTER.len();
        let rest = cell.get(from..)?.trim_start();
        let rest = rest.strip_prefix(':')?.trim_start();
        if rest.starts_with("null") {
            continue;
        }
        let rest = rest.strip_prefix('"')?;
        let end = rest.find(['"', '\\'])?;
        if rest.as_bytes().get(end) == Some(&b'\\') {
            return None;
        }
        f(&rest[..end]);
    }
    Some(())
}

/// A JSON value's field, ignoring the case of its name.
fn field<'v>(
    o: &'v serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<&'v serde_json::Value> {
    o.get(name).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The steps of an `authenticationDetails` cell, parsed: each step's label to `label`, and the
/// latest successful telephony step.
fn parse_steps(cell: &str, label: &mut impl FnMut(&str)) -> Result<Option<StepAt>, String> {
    let v: serde_json::Value = serde_json::from_str(cell).map_err(|e| format!("not JSON ({e})"))?;
    let serde_json::Value::Array(steps) = v else {
        return Err("not a JSON array of authentication steps".into());
    };
    let mut tel = None;
    for s in &steps {
        let Some(o) = s.as_object() else { continue };
        let Some(method) = field(o, "authenticationMethod").and_then(|m| m.as_str()) else {
            continue;
        };
        label(method);
        let ok = match field(o, "succeeded") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(t)) => t.trim().eq_ignore_ascii_case("true"),
            _ => false,
        };
        if ok && classify_label(method) == MethodLabel::Telephony {
            let at = field(o, "authenticationStepDateTime")
                .and_then(|t| t.as_str())
                .and_then(|t| match crate::values::parse_ts(t) {
                    Ok(Some(crate::values::Ts::Fixed(v))) => Some(v),
                    _ => None,
                });
            tel = later(tel, at.map_or(StepAt::Row, StepAt::At));
        }
    }
    Ok(tel)
}

/// The MFA method of the fallback column: plain text (portal), or JSON with `authMethod` (Log
/// Analytics `MfaDetail`; `{}` and blank say none).
fn mfa_method_label(cell: &str) -> Result<Option<std::borrow::Cow<'_, str>>, String> {
    let t = cell.trim();
    if !t.starts_with('{') {
        return Ok((!t.is_empty()).then_some(std::borrow::Cow::Borrowed(t)));
    }
    let v: serde_json::Value = serde_json::from_str(t).map_err(|e| format!("not JSON ({e})"))?;
    let o = v.as_object().ok_or("not a JSON object")?;
    Ok(field(o, "authMethod")
        .and_then(|m| m.as_str())
        .map(|m| std::borrow::Cow::Owned(m.to_string())))
}

/// What the methods-used cells of one counted sign-in say (docs/inputs.md, "Methods used at sign-in"):
/// - `details`: the `authenticationDetails` cell (a JSON array of steps, as text): a step is a
///   successful telephony MFA step when its label is telephony and `succeeded` is true; its time
///   is its `authenticationStepDateTime` when that is an ISO time, else the row's;
/// - only when `details` holds no step: `mfa_method` (the portal's method column, or Log
///   Analytics `MfaDetail`), a successful step when `mfa_result` says so
///   (`mfa_result_succeeded`) or, without a result, when the sign-in itself succeeded.
///
/// Every label goes to `label` with the cell it came from and its class (the caller keeps the
/// unknown ones visible). A cell that cannot
/// be read is said in `unreadable`; it never stops the row.
pub fn methods_used(
    details: &str,
    mfa_method: &str,
    mfa_result: Option<&str>,
    row_success: bool,
    label: &mut impl FnMut(MethodsCell, &str, MethodLabel),
) -> MethodsUsed {
    let mut out = MethodsUsed::default();
    let d = details.trim();
    let mut steps = false;
    if !d.is_empty() && d != "[]" {
        if !(d.starts_with('[') && d.ends_with(']')) {
            out.unreadable = Some((
                MethodsCell::Details,
                "not a JSON array of authentication steps".into(),
            ));
        } else {
            // The labels are reported only once the scan has read them all: a scan that stops
            // (an escaped label, many steps) leaves the cell to the parse, which reports them.
            let mut found: [&str; 8] = [""; 8];
            let mut n = 0;
            let scanned = scan_labels(d, &mut |l| {
                if let Some(slot) = found.get_mut(n) {
                    *slot = l;
                }
                n += 1;
            })
            .filter(|_| n <= found.len());
            let mut tel_label = false;
            if scanned.is_some() {
                for l in &found[..n] {
                    steps = true;
                    let class = classify_label(l);
                    tel_label |= class == MethodLabel::Telephony;
                    label(MethodsCell::Details, l, class);
                }
            }
            // A telephony label (or a label the scan could not read) needs the steps parsed:
            // whether it succeeded, and when.
            if tel_label || scanned.is_none() {
                let mut again = |l: &str| {
                    if scanned.is_none() {
                        steps = true;
                        label(MethodsCell::Details, l, classify_label(l));
                    }
                };
                match parse_steps(d, &mut again) {
                    Ok(t) => out.telephony = t,
                    Err(why) => out.unreadable = Some((MethodsCell::Details, why)),
                }
            }
        }
    }
    if steps {
        return out;
    }
    match mfa_method_label(mfa_method) {
        Ok(Some(m)) => {
            let class = classify_label(&m);
            label(MethodsCell::MfaMethod, &m, class);
            // Whether the step succeeded matters only for a telephony label.
            let ok = || match mfa_result.map(str::trim).filter(|r| !r.is_empty()) {
                Some(r) => mfa_result_succeeded(r),
                None => row_success,
            };
            if class == MethodLabel::Telephony && ok() {
                out.telephony = Some(StepAt::Row);
            }
        }
        Ok(None) => {}
        Err(why) => {
            if out.unreadable.is_none() {
                out.unreadable = Some((MethodsCell::MfaMethod, why));
            }
        }
    }
    out
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

    fn iso(t: &str) -> crate::values::Millis {
        match crate::values::parse_ts(t) {
            Ok(Some(crate::values::Ts::Fixed(v))) => v,
            other => panic!("{t}: {other:?}"),
        }
    }

    /// `methods_used` with the labels it reported.
    fn used(
        details: &str,
        method: &str,
        result: Option<&str>,
        ok: bool,
    ) -> (MethodsUsed, Vec<(MethodsCell, String)>) {
        let mut seen = Vec::new();
        let m = methods_used(details, method, result, ok, &mut |c, l, class| {
            assert_eq!(class, classify_label(l), "{l}");
            seen.push((c, l.to_string()))
        });
        (m, seen)
    }

    #[test]
    fn telephony_labels_and_the_ones_that_are_not() {
        for l in [
            "Text message",
            "text MESSAGE",
            "Phone call approval (Authentication phone)",
            "Phone call approval (Alternate phone)",
            "Phone call approval (Office phone)",
            "Phone call approval (some new phone)",
            "SMS",
            "Voice",
            "Phone call",
            " Phone call ",
        ] {
            assert_eq!(classify_label(l), MethodLabel::Telephony, "{l}");
        }
        for l in [
            "Passwordless phone sign-in",
            "Mobile app notification",
            "Password",
            "Previously satisfied",
            "OATH verification code",
            "FIDO2 security key",
            "Passkey (device-bound)",
            "Windows Hello for Business",
            "Passwordless Microsoft Authenticator",
            "Other",
            "",
        ] {
            assert_eq!(classify_label(l), MethodLabel::Other, "{l}");
        }
        for l in [
            "Phone call approval",
            "Text messages",
            "Passkey (synced)",
            "SMS Sign-in",
        ] {
            assert_eq!(classify_label(l), MethodLabel::Unknown, "{l}");
        }
    }

    #[test]
    fn a_successful_text_message_step_fires_and_others_do_not() {
        let sms = r#"[{"authenticationStepDateTime":"2026-11-20T10:00:05Z","authenticationMethod":"Password","succeeded":true},{"authenticationStepDateTime":"2026-11-20T10:00:30Z","authenticationMethod":"Text message","authenticationMethodDetail":"+X XXXXXXXX42","succeeded":true}]"#;
        let (m, seen) = used(sms, "", None, true);
        let at = iso("2026-11-20T10:00:30Z");
        assert_eq!(m.telephony, Some(StepAt::At(at)));
        assert_eq!(m.unreadable, None);
        assert_eq!(seen.len(), 2);
        // The same step that failed, and non-telephony methods, do not fire.
        let failed = sms.replace(r#""succeeded":true}]"#, r#""succeeded":false}]"#);
        assert_eq!(used(&failed, "", None, true).0.telephony, None);
        for other in [
            "Passwordless phone sign-in",
            "Mobile app notification",
            "Previously satisfied",
        ] {
            let d = sms.replace("Text message", other);
            assert_eq!(used(&d, "", None, true).0.telephony, None, "{other}");
        }
        // A step without a time is at the row's time.
        let (m, _) = used(
            r#"[{"authenticationMethod":"Phone call approval (Office phone)","succeeded":"True"}]"#,
            "",
            None,
            true,
        );
        assert_eq!(m.telephony, Some(StepAt::Row));
    }

    #[test]
    fn log_analytics_cells_pretty_compact_empty_and_broken() {
        // The 2021 export: pretty-printed, CRLF inside the (already unquoted) cell.
        let pretty = "[\r\n  {\r\n    \"authenticationStepDateTime\": \"2021-02-09T12:39:35Z\",\r\n    \"authenticationMethod\": \"Text message\",\r\n    \"succeeded\": true\r\n  }\r\n]";
        let (m, seen) = used(pretty, "", None, true);
        let at = iso("2021-02-09T12:39:35Z");
        assert_eq!(m.telephony, Some(StepAt::At(at)));
        assert_eq!(
            seen,
            vec![(MethodsCell::Details, "Text message".to_string())]
        );
        // `[]` (and blank) say nothing: the MfaDetail fallback is read instead.
        for empty in ["[]", "", "[\r\n]"] {
            let (m, _) = used(empty, "", None, true);
            assert_eq!(m, MethodsUsed::default(), "{empty:?}");
            let (m, seen) = used(empty, r#"{"authMethod":"Text message"}"#, None, true);
            assert_eq!(m.telephony, Some(StepAt::Row), "{empty:?}");
            assert_eq!(
                seen,
                vec![(MethodsCell::MfaMethod, "Text message".to_string())]
            );
            // Only when the sign-in succeeded; `{}` is no method.
            assert_eq!(
                used(empty, r#"{"authMethod":"Text message"}"#, None, false)
                    .0
                    .telephony,
                None
            );
            assert_eq!(used(empty, "{}", None, true).0, MethodsUsed::default());
        }
        // Malformed JSON: said, never a telephony step, never a panic.
        for bad in [
            r#"[{"authenticationMethod":"Text message","succeeded":tru"#,
            r#"[{"authenticationMethod":"Text message","succeeded":true},]"#,
            r#"{"authenticationMethod":"Text message"}"#,
            "System.Object[]",
        ] {
            let (m, _) = used(bad, "", None, true);
            assert_eq!(m.telephony, None, "{bad}");
            assert_eq!(
                m.unreadable.map(|u| u.0),
                Some(MethodsCell::Details),
                "{bad}"
            );
        }
        let (m, _) = used("", "{\"authMethod\":", None, true);
        assert_eq!(m.unreadable.map(|u| u.0), Some(MethodsCell::MfaMethod));
        // An escaped label is parsed rather than scanned.
        let esc = r#"[{"authenticationMethod":"Text message","authenticationMethodDetail":"x","succeeded":true},{"authenticationMethod":"Odd \"label\"","succeeded":true}]"#;
        let (m, seen) = used(esc, "", None, true);
        assert_eq!(m.telephony, Some(StepAt::Row));
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[1].1, "Odd \"label\"");
    }

    #[test]
    fn portal_mfa_columns_need_a_success_result() {
        for ok in [
            "MFA successfully completed",
            "MFA completed in Azure AD",
            "MFA completed in Entra ID",
            "Success",
        ] {
            assert!(mfa_result_succeeded(ok), "{ok}");
            let (m, _) = used("", "Text message", Some(ok), true);
            assert_eq!(m.telephony, Some(StepAt::Row), "{ok}");
        }
        for no in [
            "MFA requirement satisfied by claim in the token",
            "MFA denied; invalid verification code",
            "MFA required in Entra ID",
            "MFA denied; user did not respond to mobile app notification",
        ] {
            assert!(!mfa_result_succeeded(no), "{no}");
            assert_eq!(
                used("", "Text message", Some(no), true).0.telephony,
                None,
                "{no}"
            );
        }
        // A blank result falls back on the sign-in's own outcome.
        assert_eq!(
            used("", "SMS", Some(""), true).0.telephony,
            Some(StepAt::Row)
        );
        assert_eq!(used("", "SMS", Some(""), false).0.telephony, None);
        assert_eq!(
            used(
                "",
                "Mobile app notification",
                Some("MFA successfully completed"),
                true
            )
            .0
            .telephony,
            None
        );
        // Steps, when a row has them, win over the single method.
        let pw = r#"[{"authenticationMethod":"Mobile app notification","succeeded":true}]"#;
        assert_eq!(used(pw, "Text message", None, true).0.telephony, None);
    }
}
