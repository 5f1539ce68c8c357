//! The Secure Score exports read for the reconciliation (docs/inputs.md, "Secure Score
//! exports"): the `secureScores` page (score objects with `controlScores`), the control profiles
//! (`maxScore` per control) and the `directory/recommendations` export with its impacted
//! resources. Objects are found wherever they are wrapped (a Graph page, `{"Results": [...]}`, a
//! bare list), keys in any casing; every object is counted used, kept, rejected or ignored.

use serde_json::{Map, Value};
use sha2::Digest as _;

use crate::input::graph_json::get;
use crate::input::{Action, InputError, InputInfo, IssueLog, Kind, RowCounts};
use crate::values::{Millis, fmt_ts};

/// The two controls this audit estimates, as Secure Score names them.
pub const CONTROLS: [&str; 2] = ["MFARegistrationV2", "AdminMFAV2"];

/// Points of each control when neither the export nor a control profile says (docs/inputs.md).
pub fn default_max(control: &str) -> f64 {
    if control == "AdminMFAV2" { 10.0 } else { 9.0 }
}

/// The control a `controlName` or `recommendationType` names, if it is one of the two.
pub fn control_of(name: &str) -> Option<&'static str> {
    let n = name.trim();
    CONTROLS.into_iter().find(|c| c.eq_ignore_ascii_case(n))
}

/// What a Secure Score export file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreFile {
    Scores,
    Profiles,
    Recommendations,
}

impl ScoreFile {
    pub fn kind(self) -> Kind {
        match self {
            ScoreFile::Scores => Kind::SecureScores,
            ScoreFile::Profiles => Kind::ScoreProfiles,
            ScoreFile::Recommendations => Kind::Recommendations,
        }
    }
}

fn has(o: &Map<String, Value>, key: &str) -> bool {
    o.iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_null())
}

fn is_score(o: &Map<String, Value>) -> bool {
    has(o, "controlScores")
        || (has(o, "currentScore")
            && (has(o, "enabledServices") || has(o, "averageComparativeScores")))
}

fn is_profile(o: &Map<String, Value>) -> bool {
    has(o, "maxScore")
        && !has(o, "controlScores")
        && !has(o, "recommendationType")
        && (has(o, "remediation") || has(o, "implementationCost") || has(o, "userImpact"))
}

fn is_recommendation(o: &Map<String, Value>) -> bool {
    has(o, "recommendationType")
}

/// What this JSON holds, if it is a Secure Score export: its objects are looked for at the top,
/// or in the first item of a list at most four levels down.
pub fn looks_like(v: &Value) -> Option<ScoreFile> {
    fn probe(v: &Value, depth: u8) -> Option<ScoreFile> {
        match v {
            Value::Object(o) => {
                if is_score(o) {
                    return Some(ScoreFile::Scores);
                }
                if is_recommendation(o) {
                    return Some(ScoreFile::Recommendations);
                }
                if is_profile(o) {
                    return Some(ScoreFile::Profiles);
                }
                if depth == 0 {
                    return None;
                }
                o.iter()
                    .filter(|(k, _)| !k.starts_with('@'))
                    .find_map(|(_, v)| match v {
                        Value::Array(_) | Value::Object(_) => probe(v, depth - 1),
                        _ => None,
                    })
            }
            Value::Array(a) if depth > 0 => a.first().and_then(|f| probe(f, depth - 1)),
            _ => None,
        }
    }
    probe(v, 4)
}

/// Does a file that did not parse say, by its name or a key in its text, that it is a Secure
/// Score export? Then the run stops naming it rather than going on without it.
pub fn kind_by_name_or_text(name: &str, data: &[u8]) -> Option<&'static str> {
    let squash: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let by_name = [
        ("controlprofile", "Secure Score control profiles"),
        ("securescore", "Secure Score"),
        ("recommendation", "directory recommendations"),
    ];
    if let Some((_, k)) = by_name.iter().find(|(n, _)| squash.contains(n)) {
        return Some(k);
    }
    let head = &data[..data.len().min(1 << 20)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let by_text = [
        ("\"controlscores\"", "Secure Score"),
        ("securescorecontrolprofile", "Secure Score control profiles"),
        ("#securescores", "Secure Score"),
        ("\"impactedresources\"", "directory recommendations"),
        ("\"recommendationtype\"", "directory recommendations"),
    ];
    by_text
        .iter()
        .find(|(n, _)| text.contains(n))
        .map(|(_, k)| *k)
}

/// One control's score in a score object, as exported (`count`/`total` are strings).
#[derive(Debug, Clone, PartialEq)]
pub struct ControlScore {
    pub control: &'static str,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub count: Option<String>,
    pub total: Option<String>,
    pub implementation_status: Option<String>,
}

/// A score object that carries at least one of the two controls.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub file: String,
    /// Where the object sits in the file (`value[0]`, `Results[2]`, `[1]`).
    pub at: String,
    pub created: Option<Millis>,
    pub controls: Vec<ControlScore>,
}

/// A control profile of one of the two controls.
#[derive(Debug, Clone)]
pub struct Profile {
    pub control: &'static str,
    pub max_score: f64,
}

/// An impacted resource's status: whether Microsoft counts the account compliant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Active,
    Dismissed,
    Postponed,
    CompletedBySystem,
    CompletedByUser,
    /// A value this tool does not know (kept, counted as not compliant, shown as exported).
    Other,
}

impl Status {
    pub fn parse(s: &str) -> Status {
        match s.trim().to_ascii_lowercase().as_str() {
            "active" => Status::Active,
            "dismissed" => Status::Dismissed,
            "postponed" => Status::Postponed,
            "completedbysystem" => Status::CompletedBySystem,
            "completedbyuser" => Status::CompletedByUser,
            _ => Status::Other,
        }
    }
    /// Compliant in Microsoft's view.
    pub fn compliant(self) -> bool {
        matches!(self, Status::CompletedBySystem | Status::CompletedByUser)
    }
    /// Not compliant, but accepted by an administrator.
    pub fn accepted(self) -> bool {
        matches!(self, Status::Dismissed | Status::Postponed)
    }
}

/// One account a recommendation lists.
#[derive(Debug, Clone)]
pub struct Resource {
    pub file: String,
    pub at: String,
    pub control: &'static str,
    pub id: String,
    pub subject_id: String,
    pub display_name: String,
    /// A UPN from `additionalDetails`, when the export carries one.
    pub upn: String,
    pub status: Status,
    /// The status as exported.
    pub status_text: String,
}

/// A recommendation of one of the two controls, as given.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub control: &'static str,
    /// False when it was exported without `$expand=impactedResources`.
    pub expanded: bool,
    pub last_modified: Option<Millis>,
}

/// Everything read from the Secure Score exports.
#[derive(Debug, Default)]
pub struct Exports {
    pub snapshots: Vec<Snapshot>,
    pub profiles: Vec<Profile>,
    pub recommendations: Vec<Recommendation>,
    pub resources: Vec<Resource>,
    /// One per file read, rows counted (score objects, profiles, impacted resources).
    pub infos: Vec<InputInfo>,
}

/// The objects of a JSON document that `pred` accepts, wherever they sit, with their place.
fn objects<'a>(
    v: &'a Value,
    at: String,
    pred: &dyn Fn(&Map<String, Value>) -> bool,
    out: &mut Vec<(String, &'a Map<String, Value>)>,
) {
    match v {
        Value::Object(o) if pred(o) => out.push((at, o)),
        Value::Object(o) => {
            for (k, v) in o.iter().filter(|(k, _)| !k.starts_with('@')) {
                let at = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                objects(v, at, pred, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                objects(v, format!("{at}[{i}]"), pred, out);
            }
        }
        _ => {}
    }
}

fn text(o: &Value, key: &str) -> Option<String> {
    match get(o, key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(o: &Value, key: &str) -> Option<f64> {
    let n = match get(o, key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    // `"NaN"` and `"inf"` parse as numbers but are no score.
    n.is_finite().then_some(n)
}

/// A timestamp as Graph (ISO 8601) or Windows PowerShell 5.1 (`/Date(1777595543778)/`) writes it.
pub fn timestamp(s: &str) -> Option<Millis> {
    let t = s.trim();
    if let Some(ms) = t
        .strip_prefix("/Date(")
        .and_then(|r| r.strip_suffix(")/"))
        .and_then(|r| r.split(['+', '-']).next())
    {
        return ms.parse().ok();
    }
    crate::values::parse_ts(t)
        .ok()
        .flatten()
        .and_then(|ts| ts.resolve(None))
}

/// Reads one Secure Score export (`kind` as sniffed) named `name`. JSON that does not parse, or
/// that holds no object of the kind, is an error naming the file.
pub fn read(
    name: &str,
    data: &[u8],
    kind: ScoreFile,
    into: &mut Exports,
    log: &mut IssueLog,
) -> Result<(), InputError> {
    let text = crate::input::text::decode_text(data);
    let bad = |why: String| InputError::Unreadable {
        file: name.to_string(),
        why,
    };
    let v: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}').trim()).map_err(|e| {
            bad(format!(
                "not valid JSON ({e}); expected a Secure Score export"
            ))
        })?;
    let (rows, shape) = match kind {
        ScoreFile::Scores => (read_scores(name, &v, into, log), "score objects"),
        ScoreFile::Profiles => (read_profiles(name, &v, into, log), "control profiles"),
        ScoreFile::Recommendations => (
            read_recommendations(name, &v, into, log),
            "recommendations with their impacted resources",
        ),
    };
    let wrapper = match &v {
        Value::Array(_) => "a bare list",
        Value::Object(o) if o.keys().any(|k| k.eq_ignore_ascii_case("value")) => "a Graph page",
        Value::Object(o) if o.keys().any(|k| k.eq_ignore_ascii_case("Results")) => {
            "a Results wrapper"
        }
        _ => "one object",
    };
    into.infos.push(InputInfo {
        path: name.to_string(),
        kind: kind.kind(),
        kind_reason: format!("{shape} found by their keys"),
        format: crate::input::Format::Json {
            shape: wrapper.to_string(),
        }
        .to_string(),
        sign_in_type: None,
        rows,
        mapping: Default::default(),
        sha256: sha2::Sha256::digest(data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        bytes: data.len() as u64,
    });
    Ok(())
}

fn read_scores(name: &str, v: &Value, into: &mut Exports, log: &mut IssueLog) -> RowCounts {
    let mut found = Vec::new();
    objects(v, String::new(), &is_score, &mut found);
    let mut rows = RowCounts::default();
    for (at, o) in found {
        rows.read += 1;
        let obj = Value::Object(o.clone());
        let created_text = text(&obj, "createdDateTime").unwrap_or_default();
        let created = timestamp(&created_text);
        let controls: Vec<ControlScore> = match get(&obj, "controlScores") {
            Some(Value::Array(a)) => a.iter().filter_map(control_score).collect(),
            _ => Vec::new(),
        };
        if controls.is_empty() {
            rows.rejected += 1;
            log.add(
                name,
                None,
                &format!("{at}.controlScores"),
                &created_text,
                "score object without MFARegistrationV2 or AdminMFAV2 among its controlScores; passed over",
                Action::Rejected,
            );
            continue;
        }
        if created.is_none() {
            log.add(
                name,
                None,
                &format!("{at}.createdDateTime"),
                &created_text,
                "score object without a readable createdDateTime: used only when no dated score carries its controls",
                Action::Kept,
            );
        }
        rows.used += 1;
        into.snapshots.push(Snapshot {
            file: name.to_string(),
            at,
            created,
            controls,
        });
    }
    rows
}

fn control_score(c: &Value) -> Option<ControlScore> {
    let control = control_of(&text(c, "controlName")?)?;
    Some(ControlScore {
        control,
        score: number(c, "score"),
        max_score: number(c, "maxScore"),
        count: text(c, "count"),
        total: text(c, "total"),
        implementation_status: text(c, "implementationStatus"),
    })
}

fn read_profiles(name: &str, v: &Value, into: &mut Exports, log: &mut IssueLog) -> RowCounts {
    let mut found = Vec::new();
    objects(v, String::new(), &is_profile, &mut found);
    let mut rows = RowCounts::default();
    let mut others = 0;
    for (at, o) in found {
        rows.read += 1;
        let obj = Value::Object(o.clone());
        let id = text(&obj, "id").or_else(|| text(&obj, "controlName"));
        let Some(control) = id.as_deref().and_then(control_of) else {
            rows.ignored += 1;
            others += 1;
            continue;
        };
        let max = number(&obj, "maxScore");
        match max {
            Some(m) if m > 0.0 && m.is_finite() => {
                if into.profiles.iter().any(|p| p.control == control) {
                    rows.ignored += 1;
                    log.add(
                        name,
                        None,
                        &format!("{at}.id"),
                        control,
                        "a second control profile of this control; the first one read is used",
                        Action::Ignored,
                    );
                    continue;
                }
                rows.used += 1;
                into.profiles.push(Profile {
                    control,
                    max_score: m,
                });
            }
            _ => {
                rows.rejected += 1;
                log.add(
                    name,
                    None,
                    &format!("{at}.maxScore"),
                    &text(&obj, "maxScore").unwrap_or_default(),
                    "control profile without a positive maxScore; not used",
                    Action::Rejected,
                );
            }
        }
    }
    if others > 0 {
        log.add(
            name,
            None,
            "",
            "",
            format!(
                "control profiles of other controls: {others}, not this audit's business; ignored"
            ),
            Action::Ignored,
        );
    }
    rows
}

fn read_recommendations(
    name: &str,
    v: &Value,
    into: &mut Exports,
    log: &mut IssueLog,
) -> RowCounts {
    let mut found = Vec::new();
    objects(v, String::new(), &is_recommendation, &mut found);
    let mut rows = RowCounts::default();
    let mut others = 0;
    for (at, o) in found {
        let obj = Value::Object(o.clone());
        let resources = match get(&obj, "impactedResources") {
            Some(Value::Array(a)) => Some(a.as_slice()),
            _ => None,
        };
        let n = resources.map_or(0, <[Value]>::len) as u64;
        rows.read += n;
        let kind = text(&obj, "recommendationType").unwrap_or_default();
        let Some(control) = control_of(&kind) else {
            rows.ignored += n;
            others += n;
            continue;
        };
        into.recommendations.push(Recommendation {
            control,
            expanded: resources.is_some(),
            last_modified: text(&obj, "lastModifiedDateTime")
                .as_deref()
                .and_then(timestamp),
        });
        let Some(list) = resources else {
            log.add(
                name,
                None,
                &format!("{at}.impactedResources"),
                &kind,
                "recommendation exported without $expand=impactedResources: the accounts behind it are not known",
                Action::Kept,
            );
            continue;
        };
        for (i, r) in list.iter().enumerate() {
            let at = format!("{at}.impactedResources[{i}]");
            match resource(name, &at, control, r, log) {
                Some(res) => {
                    rows.used += 1;
                    into.resources.push(res);
                }
                None => rows.rejected += 1,
            }
        }
    }
    if others > 0 {
        log.add(
            name,
            None,
            "",
            "",
            format!("impacted resources of other recommendations: {others}, not this audit's business; ignored"),
            Action::Ignored,
        );
    }
    rows
}

/// One impacted resource, or `None` (with its issue) when it names no account.
fn resource(
    name: &str,
    at: &str,
    control: &'static str,
    r: &Value,
    log: &mut IssueLog,
) -> Option<Resource> {
    let field = |k: &str| text(r, k).unwrap_or_default();
    let (id, subject_id, display_name) = (field("id"), field("subjectId"), field("displayName"));
    if id.is_empty() && subject_id.is_empty() && display_name.is_empty() {
        log.add(
            name,
            None,
            at,
            "",
            "impacted resource without id, subjectId or displayName: it names no account; not used",
            Action::Rejected,
        );
        return None;
    }
    let status_text = field("status");
    let status = Status::parse(&status_text);
    if status == Status::Other {
        log.add(
            name,
            None,
            &format!("{at}.status"),
            &status_text,
            "status not one of active, completedBySystem, completedByUser, dismissed, postponed: counted as not compliant, shown as exported",
            Action::Kept,
        );
    }
    Some(Resource {
        file: name.to_string(),
        at: at.to_string(),
        control,
        id,
        subject_id,
        display_name,
        upn: detail_upn(r),
        status,
        status_text,
    })
}

/// A UPN among `additionalDetails` (`[{"key": "userPrincipalName", "value": ...}]`), if any.
fn detail_upn(r: &Value) -> String {
    let Some(Value::Array(details)) = get(r, "additionalDetails") else {
        return String::new();
    };
    details
        .iter()
        .find(|d| {
            text(d, "key").is_some_and(|k| {
                k.eq_ignore_ascii_case("userPrincipalName") || k.eq_ignore_ascii_case("upn")
            })
        })
        .and_then(|d| text(d, "value"))
        .unwrap_or_default()
}

impl Exports {
    /// Per control, the newest score object carrying it (by `createdDateTime`, then the order
    /// read); the score objects that supply no control are counted as ignored, with an issue
    /// naming the one used.
    pub fn choose(&mut self, log: &mut IssueLog) -> Vec<(&'static str, usize)> {
        let mut chosen = Vec::new();
        for control in CONTROLS {
            let best = self
                .snapshots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.controls.iter().any(|c| c.control == control))
                .max_by(|(i, a), (j, b)| a.created.cmp(&b.created).then(j.cmp(i)));
            if let Some((i, _)) = best {
                chosen.push((control, i));
            }
        }
        for (i, s) in self.snapshots.iter().enumerate() {
            if chosen.iter().any(|(_, c)| *c == i) {
                continue;
            }
            let newest = chosen
                .first()
                .map(|(_, c)| &self.snapshots[*c])
                .map(|n| {
                    format!(
                        "{} of {}",
                        n.created.map(fmt_ts).unwrap_or_else(|| "undated".into()),
                        n.file
                    )
                })
                .unwrap_or_default();
            log.add(
                &s.file,
                None,
                &format!("{}.createdDateTime", s.at),
                &s.created.map(fmt_ts).unwrap_or_default(),
                format!("an older score; the newest ({newest}) is used"),
                Action::Ignored,
            );
            if let Some(info) = self.infos.iter_mut().find(|f| f.path == s.file) {
                info.rows.used = info.rows.used.saturating_sub(1);
                info.rows.ignored += 1;
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(kind: ScoreFile, json: &str) -> (Exports, IssueLog) {
        let mut e = Exports::default();
        let mut log = IssueLog::default();
        read("f.json", json.as_bytes(), kind, &mut e, &mut log).expect("reads");
        (e, log)
    }

    #[test]
    fn score_objects_are_found_in_any_wrapper_and_casing() {
        let graph = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/secureScores","value":[{"id":"t_2026-11-20","createdDateTime":"2026-11-20T00:00:00Z","currentScore":40.5,"controlScores":[{"controlName":"MFARegistrationV2","score":4.5,"count":"5","total":"10"},{"controlName":"SelfServicePasswordReset","score":1}]}]}"#;
        let results = r#"{"Results":[{"Id":"x","CreatedDateTime":"2026-11-21T00:00:00Z","ControlScores":[{"ControlName":"AdminMFAV2","Score":5,"AdditionalProperties":{"count":"1","total":"2"}}]}]}"#;
        let bare = r#"[{"id":"y","createdDateTime":"/Date(1790000000000)/","controlScores":[{"controlName":"Other","score":1}]}]"#;
        for (json, want) in [(graph, 1), (results, 1), (bare, 0)] {
            assert_eq!(
                looks_like(&serde_json::from_str(json).unwrap()),
                Some(ScoreFile::Scores)
            );
            let (e, log) = read_one(ScoreFile::Scores, json);
            assert_eq!(e.snapshots.len(), want, "{json}");
            assert_eq!(e.infos[0].rows.read, 1);
            assert_eq!(e.infos[0].rows.used + e.infos[0].rows.rejected, 1);
            // The object without the two controls is passed over with a note.
            assert_eq!(log.issues.len(), 1 - want);
        }
        let (e, _) = read_one(ScoreFile::Scores, results);
        let c = &e.snapshots[0].controls[0];
        assert_eq!(
            (c.control, c.score, c.count.as_deref(), c.total.as_deref()),
            ("AdminMFAV2", Some(5.0), Some("1"), Some("2"))
        );
        assert_eq!(timestamp("/Date(1790000000000)/"), Some(1_790_000_000_000));
    }

    #[test]
    fn recommendations_keep_every_resource_and_count_others_as_ignored() {
        let json = r#"{"value":[
          {"id":"r1","recommendationType":"mfaRegistrationV2","impactedResources":[
            {"id":"a","displayName":"A","status":"active"},
            {"id":"","subjectId":"","displayName":""},
            {"id":"c","status":"snoozed"}]},
          {"id":"r2","recommendationType":"adminMFAV2"},
          {"id":"r3","recommendationType":"integratedApps","impactedResources":[{"id":"z","status":"active"}]}]}"#;
        assert_eq!(
            looks_like(&serde_json::from_str(json).unwrap()),
            Some(ScoreFile::Recommendations)
        );
        let (e, log) = read_one(ScoreFile::Recommendations, json);
        let rows = &e.infos[0].rows;
        assert_eq!(
            (rows.read, rows.used, rows.rejected, rows.ignored),
            (4, 2, 1, 1)
        );
        assert_eq!(e.resources[1].status, Status::Other);
        assert_eq!(e.recommendations.len(), 2);
        assert!(!e.recommendations[1].expanded);
        let problems: Vec<&str> = log.issues.iter().map(|i| i.problem.as_str()).collect();
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn the_newest_score_wins_and_the_older_is_ignored() {
        let json = r#"[{"createdDateTime":"2026-11-19T00:00:00Z","controlScores":[{"controlName":"MFARegistrationV2","score":1}]},
                       {"createdDateTime":"2026-11-20T00:00:00Z","controlScores":[{"controlName":"MFARegistrationV2","score":2},{"controlName":"AdminMFAV2","score":3}]}]"#;
        let (mut e, mut log) = read_one(ScoreFile::Scores, json);
        let chosen = e.choose(&mut log);
        assert_eq!(chosen, vec![("MFARegistrationV2", 1), ("AdminMFAV2", 1)]);
        let rows = &e.infos[0].rows;
        assert_eq!((rows.read, rows.used, rows.ignored), (2, 1, 1));
        assert!(log.issues[0].problem.contains("2026-11-20T00:00:00Z"));
    }

    #[test]
    fn other_json_is_not_a_secure_score_export() {
        for json in [
            r#"{"value":[{"id":"1","userPrincipalName":"a@b.c","accountEnabled":true}]}"#,
            r#"[{"id":"1","displayName":"HQ","ipRanges":[]}]"#,
            r#"{"value":[{"id":"p","conditions":{},"grantControls":{}}]}"#,
        ] {
            assert_eq!(looks_like(&serde_json::from_str(json).unwrap()), None);
        }
        assert_eq!(
            kind_by_name_or_text("x/secureScores.json", b"{"),
            Some("Secure Score")
        );
        assert_eq!(
            kind_by_name_or_text("x/export.json", b"{\"value\":[{\"impactedResources\":"),
            Some("directory recommendations")
        );
        assert_eq!(
            kind_by_name_or_text("x/export.json", b"{\"value\":[{"),
            None
        );
    }
}
