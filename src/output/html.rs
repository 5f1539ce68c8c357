//! `report.html`: one self-contained page for readers who will not open the workbook. A view of
//! the report model (`Page`, built here from `Report` only) rendered by an escaping template
//! (`templates/report.html`, askama: every `{{ value }}` is HTML-escaped), with the stylesheet
//! and the small sort-and-filter script inlined and allowed by their SHA-256 in the page's
//! Content-Security-Policy (docs/decisions.md, "The HTML report").

use std::collections::BTreeMap;

use askama::Template;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::report::{DepartmentRow, FindingRow, Report, ScoreEstimate, pct};
use crate::rules::{Code, Severity};

/// The page's name in the output folder.
pub const FILE: &str = "report.html";
/// The findings list shows at most this many rows per finding code; the rest are counted and
/// left to findings.csv, so the page stays small on any tenant.
pub const PER_CODE: usize = 200;
/// Departments drawn in a chart (worst first) and listed in a table.
const CHART_ROWS: usize = 25;
const TABLE_ROWS: usize = 200;

/// The page's stylesheet and script, inlined as they are and hashed for the CSP.
const CSS: &str = include_str!("../../templates/report.css");
const SCRIPT: &str = include_str!("../../templates/report.js");

/// Renders the page.
pub fn render(report: &Report) -> Result<Vec<u8>, Error> {
    let page = Page::new(report);
    page.render()
        .map(String::into_bytes)
        .map_err(|e| Error::Internal(format!("report.html: {e}")))
}

/// `'sha256-BASE64'` of a text, as a CSP source.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 with padding (RFC 4648), for the CSP hashes.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A percentage with one decimal, as the summary holds it.
fn percent(p: f64) -> String {
    format!("{p:.1}%")
}

/// The date part of an ISO timestamp.
fn day(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

/// A label cut to `max` characters with an ellipsis (the full text goes in a tooltip).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// One key figure.
struct Figure {
    label: &'static str,
    value: String,
    note: String,
    /// CSS class: `good`, `bad`, `warn` or empty.
    tone: &'static str,
}

/// The inputs, folded away under the as-of.
struct InputRow<'a> {
    path: &'a str,
    kind: &'static str,
    format: &'a str,
    read: String,
    used: String,
    rejected: String,
    sha256: &'a str,
}

/// A finding code with its count and its explanation.
struct RuleCard {
    code: &'static str,
    count: String,
    what: &'static str,
    why: &'static str,
    fix: String,
    /// Rows of it the findings list leaves to findings.csv.
    more: usize,
    /// The severity under which it is already explained (a code found at two severities).
    explained_under: Option<&'static str>,
}

struct SeverityGroup {
    name: &'static str,
    total: String,
    rules: Vec<RuleCard>,
}

/// A horizontal bar of a chart, in SVG user units.
struct Bar {
    label: String,
    title: String,
    y: usize,
    width: String,
    value: String,
    value_x: String,
}

/// A horizontal bar chart: 0 to 100 % over `PLOT` units.
struct BarChart {
    bars: Vec<Bar>,
    height: usize,
    title: String,
}

const LABEL_W: f64 = 230.0;
const PLOT: f64 = 480.0;
const ROW_H: usize = 22;

impl BarChart {
    fn new(title: String, items: impl Iterator<Item = (String, f64)>) -> BarChart {
        let bars: Vec<Bar> = items
            .enumerate()
            .map(|(i, (name, p))| {
                let w = PLOT * p.clamp(0.0, 100.0) / 100.0;
                Bar {
                    label: short(&name, 30),
                    title: name,
                    y: 24 + i * ROW_H,
                    width: format!("{w:.1}"),
                    value: percent(p),
                    value_x: format!("{:.1}", LABEL_W + 10.0 + w + 6.0),
                }
            })
            .collect();
        BarChart {
            height: 24 + bars.len() * ROW_H + 8,
            bars,
            title,
        }
    }
}

/// A department row of a table.
struct DeptRow<'a> {
    d: &'a DepartmentRow,
    in_scope: String,
    registered: String,
    percent: String,
}

struct Departments<'a> {
    chart: BarChart,
    rows: Vec<DeptRow<'a>>,
    /// Departments beyond the table (in the workbook's Departments sheet).
    more: usize,
}

/// One segment of a stacked 100 % bar.
struct Segment {
    class: &'static str,
    label: &'static str,
    count: String,
    x: String,
    width: String,
}

struct Stack {
    label: &'static str,
    /// Top of its row in the chart.
    y: usize,
    total: String,
    segments: Vec<Segment>,
}

impl Stack {
    /// The counts, in order, as segments of a bar `PLOT` units wide.
    fn new(
        label: &'static str,
        row: usize,
        parts: &[(&'static str, &'static str, usize)],
    ) -> Stack {
        let total: usize = parts.iter().map(|p| p.2).sum();
        let mut x = 0.0;
        let segments = parts
            .iter()
            .map(|(class, label, n)| {
                let w = if total == 0 {
                    0.0
                } else {
                    PLOT * *n as f64 / total as f64
                };
                let s = Segment {
                    class,
                    label,
                    count: thousands(*n),
                    x: format!("{:.1}", LABEL_W + 10.0 + x),
                    width: format!("{w:.1}"),
                };
                x += w;
                s
            })
            .collect();
        Stack {
            label,
            y: row * 30,
            total: thousands(total),
            segments,
        }
    }
}

struct Coverage {
    stacks: Vec<Stack>,
    strength_unmet: Vec<(String, String)>,
    reference_issues: Vec<String>,
}

/// A point of the campaign's line chart.
struct Point {
    as_of: String,
    x: String,
    y: String,
    readiness: String,
    in_scope: String,
    not_registered: String,
    stale: String,
}

struct Campaign {
    baseline: String,
    baseline_as_of: String,
    points: Vec<Point>,
    /// The polyline through the points.
    line: String,
    changes: Vec<(&'static str, String)>,
    registration_compared: bool,
}

struct Passkeys {
    retirement: String,
    late: String,
    days_left: i64,
    days_left_late: i64,
    telecom_provider: bool,
    methods_policy: String,
    figures: Vec<(&'static str, String)>,
    shares: Vec<(&'static str, String, String)>,
    chart: BarChart,
    notes: Vec<String>,
}

/// The Secure Score section: the estimates, and with Secure Score exports Microsoft's own score
/// beside ours, the projection and the accounts where the two disagree (at most `PER_CODE` per
/// control; securescore.csv holds every one).
struct SecureScore<'a> {
    estimates: &'a [ScoreEstimate],
    reconciled: Vec<Reconciled<'a>>,
    rows: Vec<&'a crate::report::ScoreRow>,
    rows_total: String,
    rows_cut: Vec<(&'static str, String)>,
}

/// One control with Microsoft's figures.
struct Reconciled<'a> {
    control: &'static str,
    microsoft: String,
    date: &'a str,
    count: String,
    ours: String,
    projected: String,
    basis: &'a str,
    differing: String,
}

fn points(p: f64, max: f64) -> String {
    format!("{p:.2} of {max}")
}

fn secure_score(r: &Report) -> SecureScore<'_> {
    let estimates = &r.summary.secure_score;
    let reconciled = estimates
        .iter()
        .filter_map(|e| {
            let m = e.microsoft.as_ref()?;
            Some(Reconciled {
                control: e.control,
                microsoft: m
                    .score
                    .map(|sc| points(sc, m.max_score))
                    .unwrap_or_else(|| "not in the export".into()),
                date: m.date.as_deref().unwrap_or(""),
                count: match (&m.count, &m.total) {
                    (Some(c), Some(t)) => format!("{c} of {t}"),
                    _ => String::new(),
                },
                ours: points(e.estimated_points, e.max_points),
                projected: e
                    .projected
                    .as_ref()
                    .map(|p| points(p.points, p.max_points))
                    .unwrap_or_default(),
                basis: e.projected.as_ref().map_or("", |p| p.basis.as_str()),
                differing: thousands(m.accounts_differing),
            })
        })
        .collect();
    let all = r.secure_score.as_deref().unwrap_or(&[]);
    let mut rows = Vec::new();
    let mut cut: Vec<(&'static str, usize)> = Vec::new();
    for row in all {
        let shown = rows
            .iter()
            .filter(|x: &&&crate::report::ScoreRow| x.control == row.control)
            .count();
        if shown < PER_CODE {
            rows.push(row);
        } else {
            match cut.iter_mut().find(|(c, _)| *c == row.control) {
                Some((_, n)) => *n += 1,
                None => cut.push((row.control, 1)),
            }
        }
    }
    SecureScore {
        estimates,
        reconciled,
        rows,
        rows_total: thousands(all.len()),
        rows_cut: cut.into_iter().map(|(c, n)| (c, thousands(n))).collect(),
    }
}

struct Action {
    path: &'static str,
    rows: String,
    purpose: &'static str,
    how: &'static str,
}

/// The findings list: at most `PER_CODE` rows per code, in severity, rule and UPN order.
struct Findings<'a> {
    rows: Vec<&'a FindingRow>,
    codes: Vec<(&'static str, String)>,
    total: String,
    shown: String,
    /// Per code cut: (code, rows left to findings.csv).
    cut: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    css: &'static str,
    script: &'static str,
    csp: String,
    tenant: String,
    /// Every member UPN domain with its accounts, most first (shown when there is more than one).
    domains: Vec<(String, String)>,
    version: &'static str,
    as_of: &'a str,
    as_of_day: &'a str,
    as_of_source: &'a str,
    sign_in_evidence: &'a str,
    inputs: Vec<InputRow<'a>>,
    input_issues: String,
    figures: Vec<Figure>,
    severities: Vec<SeverityGroup>,
    zero: Vec<&'static str>,
    not_evaluated: Vec<(&'static str, &'a str)>,
    departments: Departments<'a>,
    passkeys: Passkeys,
    coverage: Option<Coverage>,
    campaign: Option<Campaign>,
    secure_score: SecureScore<'a>,
    actions: Vec<Action>,
    findings: Findings<'a>,
    per_code: usize,
    /// With `--pseudonymize`: why no bulk file was written, and the key's fingerprint.
    bulk_withheld: Option<&'a str>,
    key_fingerprint: Option<&'a str>,
}

impl<'a> Page<'a> {
    fn new(r: &'a Report) -> Page<'a> {
        let s = &r.summary;
        let findings = findings(r);
        Page {
            css: CSS,
            script: SCRIPT,
            csp: format!(
                "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
                csp_hash(SCRIPT),
                csp_hash(CSS)
            ),
            tenant: super::print::tenant_domain(r),
            domains: domains(r),
            version: s.version,
            as_of: &s.as_of,
            as_of_day: day(&s.as_of),
            as_of_source: &s.as_of_source,
            sign_in_evidence: &s.sign_in_evidence,
            inputs: r
                .inputs
                .iter()
                .map(|i| InputRow {
                    path: &i.path,
                    kind: i.kind.label(),
                    format: &i.format,
                    read: thousands(i.rows.read as usize),
                    used: thousands(i.rows.used as usize),
                    rejected: thousands(i.rows.rejected as usize),
                    sha256: &i.sha256,
                })
                .collect(),
            input_issues: thousands(s.input_issues),
            figures: figures(r),
            severities: severities(r, &findings.1),
            zero: s
                .findings
                .iter()
                .filter(|(_, n)| **n == 0)
                .filter_map(|(c, _)| Code::parse(c).map(Code::as_str))
                .collect(),
            not_evaluated: s
                .not_evaluated
                .iter()
                .map(|n| (n.code.as_str(), n.reason.as_str()))
                .collect(),
            departments: departments(r),
            passkeys: passkeys(r),
            coverage: coverage(r),
            campaign: campaign(r),
            secure_score: secure_score(r),
            actions: r
                .actions
                .iter()
                .map(|a| Action {
                    path: a.file.path(),
                    rows: thousands(a.rows),
                    purpose: a.file.purpose(),
                    how: if a.withheld {
                        "Not written: this run is pseudonymised (--pseudonymize). Run the audit without it on the real exports to write the file."
                    } else {
                        a.file.how()
                    },
                })
                .collect(),
            findings: findings.0,
            per_code: PER_CODE,
            bulk_withheld: s.bulk_files_withheld.as_deref(),
            key_fingerprint: s
                .parameters
                .pseudonymized
                .as_ref()
                .map(|p| p.key_fingerprint.as_str()),
        }
    }
}

/// Member UPN domains, most accounts first (then by name), at most 20.
fn domains(r: &Report) -> Vec<(String, String)> {
    let mut d: Vec<(String, usize)> = super::print::domain_counts(r).into_iter().collect();
    d.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    d.into_iter()
        .take(20)
        .map(|(name, n)| (name, thousands(n)))
        .collect()
}

/// The key figures.
fn figures(r: &Report) -> Vec<Figure> {
    let s = &r.summary;
    let p = &s.population;
    let g = &s.registration;
    let sev = |k: Severity| s.findings_by_severity.get(k.as_str()).copied().unwrap_or(0);
    let pk = &s.passkey_readiness;
    let mut f = vec![
        Figure {
            label: "Registration readiness",
            value: percent(g.percent),
            note: format!(
                "{} of {} in-scope accounts registered for MFA",
                thousands(g.registered),
                thousands(g.in_scope)
            ),
            tone: if g.percent >= 95.0 { "good" } else { "warn" },
        },
        Figure {
            label: "Not registered",
            value: thousands(g.not_registered),
            note: format!("and {} unknown", thousands(g.unknown)),
            tone: if g.not_registered > 0 { "bad" } else { "good" },
        },
        Figure {
            label: "Accounts in scope",
            value: thousands(p.in_scope),
            note: format!(
                "of {} ({} guests, {} disabled, {} excluded); {} admins",
                thousands(p.total),
                thousands(p.guests),
                thousands(p.disabled),
                thousands(p.excluded),
                thousands(p.admins_in_scope)
            ),
            tone: "",
        },
        Figure {
            label: "Critical and high findings",
            value: thousands(sev(Severity::Critical) + sev(Severity::High)),
            note: format!(
                "{} critical, {} high, {} medium, {} low",
                thousands(sev(Severity::Critical)),
                thousands(sev(Severity::High)),
                thousands(sev(Severity::Medium)),
                thousands(sev(Severity::Low))
            ),
            tone: if sev(Severity::Critical) > 0 {
                "bad"
            } else {
                "warn"
            },
        },
        Figure {
            label: "Days until SMS and voice stop",
            value: pk.days_left.max(0).to_string(),
            note: format!(
                "{} ({}); {} accounts depend on a phone",
                pk.retirement_date,
                if pk.telecom_provider {
                    "a telecom provider keeps them going"
                } else {
                    "Microsoft-provided SMS and voice"
                },
                thousands(pk.weak_methods_only + pk.telephony_in_use)
            ),
            tone: if pk.days_left < 90 { "bad" } else { "warn" },
        },
    ];
    if let Some(c) = &s.coverage {
        let n = |k: &str| c.accounts.get(k).copied().unwrap_or(0);
        let total: usize = c.accounts.values().sum();
        f.push(Figure {
            label: "MFA enforced (Conditional Access)",
            value: percent(pct(n("enforced"), total)),
            note: format!(
                "{} of {} accounts; {} partial, {} none",
                thousands(n("enforced")),
                thousands(total),
                thousands(n("partial")),
                thousands(n("none"))
            ),
            tone: if n("none") > 0 { "bad" } else { "good" },
        });
    }
    f
}

/// The findings list (capped per code) and, per code, the rows left out.
fn findings(r: &Report) -> (Findings<'_>, BTreeMap<Code, usize>) {
    let order: BTreeMap<Code, usize> = crate::rules::all()
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.code(), i))
        .collect();
    let mut seen: BTreeMap<Code, usize> = BTreeMap::new();
    let mut rows: Vec<&FindingRow> = Vec::new();
    for f in &r.findings {
        let n = seen.entry(f.finding).or_default();
        *n += 1;
        if *n <= PER_CODE {
            rows.push(f);
        }
    }
    // Severity first, then the rules' order; UPN order (the model's) within a code.
    rows.sort_by_key(|f| {
        (
            f.severity,
            order.get(&f.finding).copied().unwrap_or(usize::MAX),
        )
    });
    let more: BTreeMap<Code, usize> = seen
        .iter()
        .filter(|(_, n)| **n > PER_CODE)
        .map(|(c, n)| (*c, n - PER_CODE))
        .collect();
    let mut codes: Vec<(&'static str, String)> = seen
        .iter()
        .map(|(c, n)| (c.as_str(), thousands(*n)))
        .collect();
    codes.sort_by_key(|(c, _)| *c);
    let list = Findings {
        total: thousands(r.findings.len()),
        shown: thousands(rows.len()),
        rows,
        codes,
        cut: more
            .iter()
            .map(|(c, n)| (c.as_str(), thousands(*n)))
            .collect(),
    };
    (list, more)
}

/// Findings grouped by the severity they were given, each code with its explanation.
fn severities(r: &Report, more: &BTreeMap<Code, usize>) -> Vec<SeverityGroup> {
    let mut counts: BTreeMap<(Severity, Code), usize> = BTreeMap::new();
    for f in &r.findings {
        *counts.entry((f.severity, f.finding)).or_default() += 1;
    }
    // A code found at two severities (the rule depends on the account) is explained once, at
    // the first; the second card names it.
    let mut explained: BTreeMap<Code, &'static str> = BTreeMap::new();
    Severity::ALL
        .iter()
        .filter_map(|sev| {
            let rules: Vec<RuleCard> = crate::rules::all()
                .into_iter()
                .filter_map(|rule| {
                    let n = *counts.get(&(*sev, rule.code()))?;
                    let e = rule.explain();
                    let first = explained.get(&rule.code()).copied();
                    explained.entry(rule.code()).or_insert(sev.as_str());
                    Some(RuleCard {
                        code: rule.code().as_str(),
                        count: format!("{} account{}", thousands(n), if n == 1 { "" } else { "s" }),
                        what: e.what,
                        why: e.why,
                        fix: e.fix,
                        more: more.get(&rule.code()).copied().unwrap_or(0),
                        explained_under: first,
                    })
                })
                .collect();
            let total = r.summary.findings_by_severity.get(sev.as_str()).copied()?;
            (!rules.is_empty()).then(|| SeverityGroup {
                name: sev.as_str(),
                total: thousands(total),
                rules,
            })
        })
        .collect()
}

fn departments(r: &Report) -> Departments<'_> {
    let d = &r.departments;
    let shown = d.len().min(CHART_ROWS);
    let title = if shown < d.len() {
        format!(
            "Registered share by department, the worst {shown} of {}",
            d.len()
        )
    } else {
        "Registered share by department, worst first".to_string()
    };
    Departments {
        chart: BarChart::new(
            title,
            d.iter()
                .take(CHART_ROWS)
                .map(|x| (x.department.clone(), x.percent)),
        ),
        rows: d
            .iter()
            .take(TABLE_ROWS)
            .map(|x| DeptRow {
                d: x,
                in_scope: thousands(x.in_scope),
                registered: thousands(x.registered),
                percent: percent(x.percent),
            })
            .collect(),
        more: d.len().saturating_sub(TABLE_ROWS),
    }
}

fn passkeys(r: &Report) -> Passkeys {
    let p = &r.summary.passkey_readiness;
    let tri = |t: &Option<crate::report::TriCounts>| {
        t.as_ref()
            .map(|t| {
                (
                    percent(t.percent_yes),
                    format!(
                        "{} yes, {} no, {} unknown",
                        thousands(t.yes),
                        thousands(t.no),
                        thousands(t.unknown)
                    ),
                )
            })
            .unwrap_or_else(|| ("not evaluated".into(), "no methods policy input".into()))
    };
    let (pr, pr_note) = tri(&Some(p.phishing_resistant.clone()));
    let (allowed, allowed_note) = tri(&p.passkey_allowed);
    let (targeted, targeted_note) = tri(&p.campaign_targeted);
    let by_dept = p.by_department.len().min(CHART_ROWS);
    Passkeys {
        retirement: p.retirement_date.clone(),
        late: p.retirement_date_late.clone(),
        days_left: p.days_left,
        days_left_late: p.days_left_late,
        telecom_provider: p.telecom_provider,
        methods_policy: p.methods_policy.clone(),
        figures: vec![
            ("In scope", thousands(p.in_scope)),
            (
                "With an SMS or voice method",
                thousands(p.with_telephony_methods),
            ),
            (
                "Only phone methods (weak-methods-only)",
                thousands(p.weak_methods_only),
            ),
            (
                "Still signing in with SMS or voice (telephony-in-use)",
                thousands(p.telephony_in_use),
            ),
            (
                "Passkey not allowed by the methods policy",
                thousands(p.passkey_not_allowed),
            ),
            (
                "Registered, but no usable method",
                thousands(p.registered_not_usable),
            ),
        ],
        shares: vec![
            ("Phishing-resistant method registered", pr, pr_note),
            ("Allowed to register a passkey", allowed, allowed_note),
            (
                "Targeted by the registration campaign",
                targeted,
                targeted_note,
            ),
        ],
        chart: BarChart::new(
            if by_dept < p.by_department.len() {
                format!(
                    "Phishing-resistant share by department, the first {by_dept} of {}",
                    p.by_department.len()
                )
            } else {
                "Phishing-resistant share by department".to_string()
            },
            p.by_department
                .iter()
                .take(CHART_ROWS)
                .map(|d| (d.department.clone(), d.percent_phishing_resistant)),
        ),
        notes: p.notes.clone(),
    }
}

fn coverage(r: &Report) -> Option<Coverage> {
    let c = r.summary.coverage.as_ref()?;
    let parts = |m: &BTreeMap<&'static str, usize>| {
        [
            ("enforced", "enforced"),
            ("partial", "partial"),
            ("unknown", "unknown"),
            ("none", "none"),
        ]
        .map(|(k, label)| (k, label, m.get(k).copied().unwrap_or(0)))
    };
    Some(Coverage {
        stacks: vec![
            Stack::new("All accounts", 0, &parts(&c.accounts)),
            Stack::new("Admins", 1, &parts(&c.admins)),
        ],
        strength_unmet: c
            .strength_unmet
            .iter()
            .map(|(p, n)| (p.clone(), thousands(*n)))
            .collect(),
        reference_issues: c.policy_reference_issues.clone(),
    })
}

/// Chart area of the campaign's line chart.
const LINE_W: f64 = 640.0;
const LINE_H: f64 = 180.0;

fn campaign(r: &Report) -> Option<Campaign> {
    let history = r.summary.history.as_ref()?;
    let progress = r.progress.as_ref();
    let n = history.len();
    let x = |i: usize| {
        if n <= 1 {
            60.0 + LINE_W / 2.0
        } else {
            60.0 + LINE_W * i as f64 / (n - 1) as f64
        }
    };
    let y = |p: f64| 20.0 + LINE_H * (1.0 - p.clamp(0.0, 100.0) / 100.0);
    let count = |h: &crate::report::HistoryPoint, c: Code| {
        h.findings
            .get(c.as_str())
            .map(|n| thousands(*n))
            .unwrap_or_else(|| "-".into())
    };
    let points: Vec<Point> = history
        .iter()
        .enumerate()
        .map(|(i, h)| Point {
            as_of: day(&h.as_of).to_string(),
            x: format!("{:.1}", x(i)),
            y: format!("{:.1}", y(h.registration.percent)),
            readiness: percent(h.registration.percent),
            in_scope: thousands(h.registration.in_scope),
            not_registered: count(h, Code::NotRegistered),
            stale: count(h, Code::StaleKmsi),
        })
        .collect();
    let line = points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    Some(Campaign {
        baseline: progress.map(|p| p.baseline.clone()).unwrap_or_default(),
        baseline_as_of: progress
            .map(|p| day(&p.baseline_as_of).to_string())
            .unwrap_or_default(),
        points,
        line,
        changes: progress
            .map(|p| {
                p.counts()
                    .into_iter()
                    .map(|(k, n)| (k.as_str(), thousands(n)))
                    .collect()
            })
            .unwrap_or_default(),
        registration_compared: progress.is_none_or(|p| p.registration_compared),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain}");
        }
    }

    #[test]
    fn a_csp_hash_is_the_base64_of_the_sha256() {
        // The hash Chromium names for `alert(1)` in its CSP refusal message.
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(short("Sales", 30), "Sales");
        assert_eq!(short("abcdef", 4), "abc…");
    }
}
