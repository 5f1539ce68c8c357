//! The workbook's Passkey readiness sheet: the days left before Microsoft stops delivering SMS
//! and voice, who still depends on a phone, the phishing-resistant, passkey-allowed and
//! campaign-targeted shares, and the same per department with a native bar chart.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::report::{PasskeyReadiness, Report, TriCounts};

const NAME: &str = "Passkey readiness";
/// Column widths: label (or department), then numbers.
const WIDTHS: [f64; 6] = [64.0, 14.0, 16.0, 16.0, 17.0, 19.0];
/// Row of the department list's header (0-based): below the figures and the chart.
pub const LIST_HEADER_ROW: u32 = 38;
const DEPARTMENT_HEADER: [&str; 6] = [
    "department",
    "inScope",
    "weakMethodsOnly",
    "telephonyInUse",
    "phishingResistant",
    "% phishingResistant",
];

/// "71 days left" or "passed 3 days ago".
fn days_text(days: i64) -> String {
    if days > 0 {
        format!("{days} days left")
    } else if days == 0 {
        "today".into()
    } else {
        format!("passed {} days ago", -days)
    }
}

/// "62.5% (50 yes, 28 no, 2 unknown)" or "not evaluated: no methods policy".
fn share(t: Option<&TriCounts>) -> String {
    match t {
        Some(t) => format!(
            "{}% ({} yes, {} no, {} unknown)",
            t.percent_yes, t.yes, t.no, t.unknown
        ),
        None => "not evaluated: no authentication methods policy input".into(),
    }
}

/// The figures block as (label, value) rows.
fn figures(p: &PasskeyReadiness) -> Vec<(String, String)> {
    vec![
        (
            "SMS and voice stop (Microsoft-provided, MFA and SSPR)".into(),
            format!("{} ({})", p.retirement_date, days_text(p.days_left)),
        ),
        (
            "... for Global Administrators and external users".into(),
            format!(
                "{} ({})",
                p.retirement_date_late,
                days_text(p.days_left_late)
            ),
        ),
        (
            "Customer-managed telecom provider".into(),
            if p.telecom_provider { "yes" } else { "no" }.into(),
        ),
        (
            "Authentication methods policy".into(),
            p.methods_policy.clone(),
        ),
        ("Accounts in scope".into(), p.in_scope.to_string()),
        (
            "With an SMS/voice method registered".into(),
            p.with_telephony_methods.to_string(),
        ),
        (
            "SMS/voice only (weak-methods-only): blocked at sign-in after the date".into(),
            p.weak_methods_only.to_string(),
        ),
        (
            "Still using SMS/voice (telephony-in-use)".into(),
            p.telephony_in_use.to_string(),
        ),
        (
            "No passkey allowed by the policy (passkey-not-allowed)".into(),
            p.passkey_not_allowed.to_string(),
        ),
        (
            "Registered, no usable method (registered-not-usable)".into(),
            p.registered_not_usable.to_string(),
        ),
        (
            "Phishing-resistant method registered".into(),
            share(Some(&p.phishing_resistant)),
        ),
        ("Passkeys allowed".into(), share(p.passkey_allowed.as_ref())),
        (
            "Reached by the registration campaign".into(),
            share(p.campaign_targeted.as_ref()),
        ),
        (
            "Phone rules not made (past the retirement date)".into(),
            p.phone_rules_not_evaluated.to_string(),
        ),
    ]
}

/// The sheet and the row of its department list's header (repeated on every printed page).
pub fn passkey_sheet(report: &Report) -> Result<(Worksheet, u32), XlsxError> {
    let p = &report.summary.passkey_readiness;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let left = Format::new().set_align(FormatAlign::Left);
    let mut ws = Worksheet::new();
    ws.set_name(NAME)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(
        0,
        0,
        "Passkey readiness: the end of Microsoft-provided SMS and voice",
        &title,
    )?;
    let rows = figures(p);
    for (i, (label, value)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string(r, 0, label)?;
        ws.merge_range(r, 1, r, 3, value, &left)?;
    }
    let mut r = 2 + rows.len() as u32 + 1;
    for n in &p.notes {
        ws.merge_range(r, 0, r, 5, n, &wrap)?;
        ws.set_row_height(r, 30)?;
        r += 1;
    }
    department_chart(&mut ws, p, r + 1)?;
    for (c, h) in DEPARTMENT_HEADER.iter().enumerate() {
        ws.write_string_with_format(LIST_HEADER_ROW, c as u16, *h, &head)?;
    }
    for (i, d) in p.by_department.iter().enumerate() {
        let r = LIST_HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, &d.department)?;
        ws.write_number(r, 1, d.in_scope as f64)?;
        ws.write_number(r, 2, d.phone_only as f64)?;
        ws.write_number(r, 3, d.telephony_in_use as f64)?;
        ws.write_number(r, 4, d.phishing_resistant as f64)?;
        ws.write_number(r, 5, d.percent_phishing_resistant)?;
    }
    Ok((ws, LIST_HEADER_ROW))
}

/// Phone-dependent accounts per department (the ten departments that have most), stacked:
/// SMS/voice only and still using SMS/voice.
fn department_chart(ws: &mut Worksheet, p: &PasskeyReadiness, row: u32) -> Result<(), XlsxError> {
    let n = p
        .by_department
        .iter()
        .take(10)
        .take_while(|d| d.phone_only + d.telephony_in_use > 0)
        .count() as u32;
    if n == 0 {
        return Ok(());
    }
    let (first, last) = (LIST_HEADER_ROW + 1, LIST_HEADER_ROW + n);
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart
        .title()
        .set_name("Accounts that depend on SMS/voice, by department");
    chart
        .add_series()
        .set_name("SMS/voice only")
        .set_categories((NAME, first, 0, last, 0))
        .set_values((NAME, first, 2, last, 2));
    chart
        .add_series()
        .set_name("still using SMS/voice")
        .set_categories((NAME, first, 0, last, 0))
        .set_values((NAME, first, 3, last, 3));
    chart.set_width(760).set_height(300);
    ws.insert_chart(row, 0, &chart)?;
    Ok(())
}
