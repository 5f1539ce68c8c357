//! Value parsers shared by every reader: booleans, timestamps (ISO, US and day-first locales, Excel
//! serials), method lists (JSON arrays, joined strings, legacy method types) and phone numbers.
//! Every parser is total: it returns a typed value or a problem text, and never panics.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rlibphonenumber::{PHONE_NUMBER_UTIL, Region};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// Trims and turns the "blank" spellings (`""`, `-`, `null`) into `None`.
pub fn blank(s: &str) -> Option<&str> {
    let t = s.trim().trim_start_matches('\u{feff}').trim();
    if t.is_empty() || t == "-" || t.eq_ignore_ascii_case("null") {
        None
    } else {
        Some(t)
    }
}

/// `True`/`False`, `yes`/`no`, `1`/`0` in any case; blank is `Ok(None)`.
pub fn parse_bool(s: &str) -> Result<Option<bool>, String> {
    let Some(t) = blank(s) else { return Ok(None) };
    match t.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Ok(Some(true)),
        "false" | "no" | "0" | "n" => Ok(Some(false)),
        _ => Err("expected True/False, Yes/No or 1/0".to_string()),
    }
}

/// Month/day order for slash dates such as `3/4/2021`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    Mdy,
    Dmy,
}

/// A parsed timestamp: fixed, or a slash date whose month/day order is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ts {
    Fixed(Millis),
    /// Both readings; `None` where that reading is not a valid date.
    Slash {
        mdy: Option<Millis>,
        dmy: Option<Millis>,
    },
}

impl Ts {
    /// The value under a chosen order (fixed values ignore it).
    pub fn resolve(self, order: Option<DateOrder>) -> Option<Millis> {
        match self {
            Ts::Fixed(v) => Some(v),
            Ts::Slash { mdy, dmy } => match (order, mdy, dmy) {
                (_, Some(a), Some(b)) if a == b => Some(a),
                (Some(DateOrder::Mdy), a, _) => a,
                (Some(DateOrder::Dmy), _, b) => b,
                (None, Some(a), None) => Some(a),
                (None, None, Some(b)) => Some(b),
                _ => None,
            },
        }
    }
}

/// Collects, per column, the evidence for month/day order.
#[derive(Debug, Default, Clone)]
pub struct OrderEvidence {
    /// First row (as the user sees it) whose value only reads month-first, and the value.
    pub mdy_only: Option<(usize, String)>,
    pub dmy_only: Option<(usize, String)>,
    pub ambiguous: Option<(usize, String)>,
}

impl OrderEvidence {
    pub fn observe(&mut self, ts: Ts, row: usize, raw: &str) {
        if let Ts::Slash { mdy, dmy } = ts {
            match (mdy, dmy) {
                (Some(a), Some(b)) if a != b => {
                    self.ambiguous.get_or_insert_with(|| (row, raw.to_string()));
                }
                (Some(_), None) => {
                    self.mdy_only.get_or_insert_with(|| (row, raw.to_string()));
                }
                (None, Some(_)) => {
                    self.dmy_only.get_or_insert_with(|| (row, raw.to_string()));
                }
                _ => {}
            }
        }
    }

    /// Decides the order for the column. `Err` explains why it cannot be decided.
    pub fn decide(&self, forced: Option<DateOrder>) -> Result<Option<DateOrder>, String> {
        if let Some(o) = forced {
            return Ok(Some(o));
        }
        match (&self.mdy_only, &self.dmy_only, &self.ambiguous) {
            (Some((r1, v1)), Some((r2, v2)), _) => Err(format!(
                "dates disagree on month/day order: row {r1} `{v1}` only reads month-first, row {r2} `{v2}` only reads day-first"
            )),
            (None, Some(_), _) => Ok(Some(DateOrder::Dmy)),
            (Some(_), None, _) => Ok(Some(DateOrder::Mdy)),
            (None, None, Some((r, v))) => Err(format!(
                "month/day order cannot be told from the data (row {r} `{v}` reads both ways and no value has a part above 12); pass --date-order mdy or --date-order dmy"
            )),
            (None, None, None) => Ok(None),
        }
    }
}

const EXCEL_EPOCH_DAYS_FROM_UNIX: f64 = 25569.0;

/// Parses every timestamp form the exports use (docs/inputs.md, "Timestamps and day/month
/// order"). Blank is `Ok(None)`.
pub fn parse_ts(s: &str) -> Result<Option<Ts>, String> {
    let Some(t) = blank(s) else { return Ok(None) };
    if let Some(v) = parse_iso(t) {
        return Ok(Some(Ts::Fixed(v)));
    }
    if let Some(v) = parse_slash(t) {
        return Ok(Some(v));
    }
    if let Some(v) = parse_excel_serial(t) {
        return Ok(Some(Ts::Fixed(v)));
    }
    Err("expected a date such as 2026-11-21T08:19:41Z, 11/21/2026 8:19:41 AM, 11/21/2026, 8:19:41.178 AM, 21/11/2026 08:19 or an Excel serial".into())
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The sign-in logs' own form, `2025-12-04T08:19:41Z` (optionally with a fraction), parsed
/// without a general-purpose parser: millions of rows go through here. It is also the form
/// every output writes (`fmt_ts`), so the workbook reads its date cells back with it.
pub fn parse_iso_fast(t: &str) -> Option<Millis> {
    let b = t.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d, h, mi, s) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let mut ms = 0;
    match &b[19..] {
        [b'Z'] => {}
        [b'.', frac @ .., b'Z']
            if !frac.is_empty() && frac.len() <= 9 && frac.iter().all(u8::is_ascii_digit) =>
        {
            let digits = frac
                .iter()
                .take(3)
                .fold(0i64, |a, c| a * 10 + i64::from(c - b'0'));
            ms = digits * 10i64.pow(3u32.saturating_sub(frac.len().min(3) as u32));
        }
        _ => return None,
    }
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in_month || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)
}

fn parse_iso(t: &str) -> Option<Millis> {
    if let Some(v) = parse_iso_fast(t) {
        return Some(v);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp_millis());
    }
    let bytes = t.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let body = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix('z'))
        .unwrap_or(t);
    let body = body.replacen(' ', "T", 1);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(&body, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = DateTime::parse_from_str(&body, "%Y-%m-%dT%H:%M:%S%.f%:z") {
        return Some(d.timestamp_millis());
    }
    NaiveDate::parse_from_str(&body, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

fn parse_time(rest: &str) -> Option<NaiveTime> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(NaiveTime::MIN);
    }
    let upper = rest.to_ascii_uppercase();
    let (clock, pm) = if let Some(c) = upper.strip_suffix("PM") {
        (c.trim().to_string(), Some(true))
    } else if let Some(c) = upper.strip_suffix("AM") {
        (c.trim().to_string(), Some(false))
    } else {
        (upper.clone(), None)
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    let sec_part = parts.next().unwrap_or("0");
    if parts.next().is_some() {
        return None;
    }
    let (s, frac) = match sec_part.split_once('.') {
        Some((s, f)) => (s, f),
        None => (sec_part, ""),
    };
    let s: u32 = s.trim().parse().ok()?;
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(9).collect();
        let n: u32 = digits.parse().ok()?;
        n * 10u32.pow(9 - digits.len() as u32)
    };
    let h = match pm {
        Some(true) if (1..=11).contains(&h) => h + 12,
        Some(true) if h == 12 => 12,
        Some(false) if h == 12 => 0,
        Some(_) if h > 12 || h == 0 => return None,
        _ => h,
    };
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
}

fn parse_slash(t: &str) -> Option<Ts> {
    let (date, rest) = match t.split_once(' ') {
        Some((d, r)) => (d, r),
        None => (t, ""),
    };
    // Log Analytics writes `6/15/2026, 12:40:24.178 PM`.
    let date = date.strip_suffix(',').unwrap_or(date);
    let sep = if date.contains('/') {
        '/'
    } else if date.contains('.') {
        '.'
    } else {
        return None;
    };
    let parts: Vec<&str> = date.split(sep).collect();
    if parts.len() != 3 {
        return None;
    }
    let a: u32 = parts[0].parse().ok()?;
    let b: u32 = parts[1].parse().ok()?;
    let mut y: i32 = parts[2].parse().ok()?;
    if parts[2].len() == 2 {
        y += 2000;
    } else if parts[2].len() != 4 {
        return None;
    }
    let time = parse_time(rest.trim_end_matches('Z'))?;
    let at = |m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).map(|nd| nd.and_time(time).and_utc().timestamp_millis())
    };
    if sep == '.' {
        // 19.08.2021 is the German/Nordic day-first form; month-first with dots does not occur.
        return at(b, a).map(Ts::Fixed);
    }
    let mdy = at(a, b);
    let dmy = at(b, a);
    if mdy.is_none() && dmy.is_none() {
        return None;
    }
    Some(Ts::Slash { mdy, dmy })
}

fn parse_excel_serial(t: &str) -> Option<Millis> {
    let v: f64 = t.parse().ok()?;
    // 1955..2100: anything else in a date column is not a date.
    if !(20000.0..=73051.0).contains(&v) {
        return None;
    }
    excel_serial_to_millis(v)
}

/// Excel's 1900 date system serial (days since 1899-12-30) to epoch milliseconds.
pub fn excel_serial_to_millis(v: f64) -> Option<Millis> {
    if !v.is_finite() {
        return None;
    }
    let ms = ((v - EXCEL_EPOCH_DAYS_FROM_UNIX) * 86_400_000.0).round();
    if ms.abs() > 1e15 {
        return None;
    }
    Some(ms as i64)
}

/// ISO 8601 UTC with seconds, as every output writes dates.
pub fn fmt_ts(ms: Millis) -> String {
    use chrono::{Datelike, Timelike};
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| {
            // Written out directly: chrono's `format` parses its pattern on every call, and this
            // runs for every date cell of a large tenant's tables.
            if (0..=9999).contains(&d.year()) {
                format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                    d.year(),
                    d.month(),
                    d.day(),
                    d.hour(),
                    d.minute(),
                    d.second()
                )
            } else {
                d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            }
        })
        .unwrap_or_default()
}

/// `YYYY-MM-DD` of a timestamp.
pub fn fmt_date(ms: Millis) -> String {
    let mut s = fmt_ts(ms);
    if s.len() == 20 {
        s.truncate(10);
        return s;
    }
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// How strong an authentication method is (docs/inputs.md, "Method names and strength").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MethodClass {
    /// Not an MFA method at all (email, security questions, TAP, app passwords, password).
    NotMfa,
    /// A value this tool does not know; kept, but not counted as MFA.
    Unknown,
    Phone,
    App,
    PhishingResistant,
}

/// Maps any method spelling seen in the exports to its Graph `methodsRegistered` name.
pub fn canonical_method(raw: &str) -> String {
    let t = raw.trim().trim_matches('"').trim();
    let lower = t.to_ascii_lowercase().replace([' ', '-', '_'], "");
    let name = match lower.as_str() {
        // legacy MSOnline StrongAuthenticationMethods
        "onewaysms" | "twowayvoicemobile" | "sms" | "phone" | "mobilephone" | "mobile" => {
            "mobilePhone"
        }
        "twowayvoiceoffice" | "officephone" => "officePhone",
        "twowayvoicealternatemobile" | "alternatemobilephone" => "alternateMobilePhone",
        "phoneappotp" | "appcode" | "softwareonetimepasscode" | "softwareoath" => {
            "softwareOneTimePasscode"
        }
        "phoneappnotification"
        | "appnotification"
        | "microsoftauthenticatorpush"
        | "microsoftauthenticator"
        | "authenticatorapp" => "microsoftAuthenticatorPush",
        "microsoftauthenticatorpasswordless" | "passwordlessmicrosoftauthenticator" => {
            "microsoftAuthenticatorPasswordless"
        }
        "hardwareonetimepasscode" | "hardwareoath" => "hardwareOneTimePasscode",
        "fido" | "fido2" | "fido2securitykey" | "securitykey" => "fido2SecurityKey",
        "windowshelloforbusiness" | "whfb" => "windowsHelloForBusiness",
        "email" => "email",
        "securityquestion" | "securityquestions" => "securityQuestion",
        "temporaryaccesspass" | "tap" => "temporaryAccessPass",
        "apppassword" => "appPassword",
        "password" => "password",
        _ => return t.to_string(),
    };
    name.to_string()
}

impl MethodClass {
    /// Phone, app and phishing-resistant methods can do MFA; the rest cannot.
    pub fn is_mfa(self) -> bool {
        matches!(
            self,
            MethodClass::Phone | MethodClass::App | MethodClass::PhishingResistant
        )
    }
}

/// The strength class of a canonical method name.
pub fn method_class(name: &str) -> MethodClass {
    with_ascii_lowercase(name, class_of_lowercase)
}

/// `f` of `s` in ASCII lowercase, without allocating for a short `s` (method names are short and
/// the rules ask for every account's methods).
fn with_ascii_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    if let Some(b) = buf.get_mut(..s.len()) {
        b.copy_from_slice(s.as_bytes());
        b.make_ascii_lowercase();
        if let Ok(l) = std::str::from_utf8(b) {
            return f(l);
        }
    }
    f(&s.to_ascii_lowercase())
}

/// `method_class` of a name already in ASCII lowercase.
fn class_of_lowercase(l: &str) -> MethodClass {
    match l {
        "mobilephone" | "alternatemobilephone" | "officephone" => MethodClass::Phone,
        "microsoftauthenticatorpush"
        | "microsoftauthenticatorpasswordless"
        | "softwareonetimepasscode"
        | "hardwareonetimepasscode" => MethodClass::App,
        "email" | "securityquestion" | "temporaryaccesspass" | "apppassword" | "password" => {
            MethodClass::NotMfa
        }
        _ if l.starts_with("fido")
            || l.starts_with("passkey")
            || l.starts_with("windowshello")
            || l.starts_with("macossecureenclave")
            || l.contains("certificate")
            || l.starts_with("x509") =>
        {
            MethodClass::PhishingResistant
        }
        _ => MethodClass::Unknown,
    }
}

/// Parses a method list: a JSON array literal, or names joined with `,` or `;`.
/// Returns canonical names, sorted and de-duplicated. Blank is an empty list.
pub fn parse_methods(s: &str) -> Result<Vec<String>, String> {
    let Some(t) = blank(s) else {
        return Ok(Vec::new());
    };
    if t.eq_ignore_ascii_case("System.Object[]") || t.eq_ignore_ascii_case("System.String[]") {
        return Err(
            "PowerShell wrote the list's type name instead of its values (System.Object[]): re-export with -join"
                .into(),
        );
    }
    let raw: Vec<String> = if t.starts_with('[') {
        match serde_json::from_str::<Vec<serde_json::Value>>(t) {
            Ok(v) => v
                .into_iter()
                .filter_map(|x| match x {
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
                .collect(),
            Err(_) => return Err("expected a JSON array such as [\"mobilePhone\"]".into()),
        }
    } else {
        t.split([',', ';', '|'])
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty() && x != "-" && !x.eq_ignore_ascii_case("none"))
            .collect()
    };
    let mut out: Vec<String> = raw.iter().map(|m| canonical_method(m)).collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The phone numbering plan numbers are judged by: libphonenumber's metadata as embedded by the
/// `rlibphonenumber` crate (recorded in manifest.json; the crate version is checked against
/// Cargo.lock by a test, so an upgrade cannot leave this text stale).
pub const PHONE_METADATA: &str = "libphonenumber metadata 9.0.42 (rlibphonenumber 2.2.15)";

/// Parses a phone number into the Graph form `+{country code} {national number}` (with
/// `x{extension}` when present), the way libphonenumber reads it. A number written with `+` or
/// `00` is international and read without a region, so the account's region cannot change it;
/// any other number is national and needs `region` (usage location or `--default-region`).
/// Blank is `Ok(None)`; `Err` says why the number cannot be used.
pub fn parse_phone(raw: &str, region: Option<&str>) -> Result<Option<String>, String> {
    let Some(t) = blank(raw) else { return Ok(None) };
    let t = t.trim_start_matches('\'').trim();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("e+") && t.contains('.') {
        return Err("Excel turned the number into scientific notation and lost its digits".into());
    }
    let international = t.starts_with('+') || t.starts_with("00");
    let text = match t.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => t.to_string(),
    };
    let region = if international {
        None
    } else {
        let r = region.and_then(|r| r.trim().to_ascii_uppercase().parse::<Region>().ok());
        if r.is_none() {
            return Err(
                "national number without a country code, and no usage location or --default-region to place it"
                    .into(),
            );
        }
        r
    };
    let parsed = PHONE_NUMBER_UTIL
        .parse(&text, region)
        .map_err(|_| "not a phone number (libphonenumber could not parse it)".to_string())?;
    if !parsed.is_valid() {
        return Err("not a valid phone number for its country".into());
    }
    let cc = parsed.country_code;
    if international && !same_country_code(&text, cc) {
        return Err(format!(
            "written with a country code, but read as +{cc}: the number would change meaning"
        ));
    }
    let mut out = format!("+{cc} {}", parsed.get_national_significant_number());
    let digits: String = parsed
        .extension()
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    if !digits.is_empty() {
        out.push('x');
        out.push_str(&digits);
    }
    Ok(Some(out))
}

/// Whether `+digits...` as written starts with country code `cc` (spaces, dots, dashes and
/// brackets between the digits ignored). A guard: a number written with a country code must
/// keep it.
fn same_country_code(written: &str, cc: i32) -> bool {
    let digits: String = written
        .chars()
        .skip_while(|c| *c != '+')
        .skip(1)
        .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '/'))
        .filter(|c| c.is_ascii_digit())
        .collect();
    digits.starts_with(&cc.to_string())
}

/// Whether `region` is a two-letter region libphonenumber knows (for `--default-region`).
pub fn known_region(region: &str) -> bool {
    region.trim().to_ascii_uppercase().parse::<Region>().is_ok()
}

#[cfg(test)]
mod fmt_tests {
    use super::*;

    /// The direct formatting says what chrono's `format` says, across centuries and edges.
    #[test]
    fn timestamps_format_as_chrono_does() {
        let samples: [Millis; 7] = [
            0,
            1_795_219_200_000,
            1_795_219_199_999,
            -62_135_596_800_000,
            253_402_300_799_000,
            951_782_400_000,
            4_102_444_800_123,
        ];
        for ms in samples {
            let d = DateTime::<Utc>::from_timestamp_millis(ms).expect("in range");
            assert_eq!(
                fmt_ts(ms),
                d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "{ms}"
            );
            assert_eq!(fmt_date(ms), d.format("%Y-%m-%d").to_string(), "{ms}");
        }
        // Beyond year 9999 chrono's form is kept.
        let far = 253_402_300_800_000;
        let d = DateTime::<Utc>::from_timestamp_millis(far).expect("in range");
        assert_eq!(fmt_ts(far), d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(fmt_date(far), d.format("%Y-%m-%d").to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("TRUE"), Ok(Some(true)));
        assert_eq!(parse_bool(" no "), Ok(Some(false)));
        assert_eq!(parse_bool("-"), Ok(None));
        assert!(parse_bool("Maybe").is_err());
    }

    #[test]
    fn log_analytics_dates() {
        let la = parse_ts("6/15/2026, 12:40:24.178 PM").unwrap().unwrap();
        assert_eq!(
            la.resolve(Some(DateOrder::Mdy)).map(fmt_ts).unwrap(),
            "2026-06-15T12:40:24Z"
        );
        let am = parse_ts("11/20/2026, 1:02:03.456 AM").unwrap().unwrap();
        assert_eq!(
            am.resolve(None).map(fmt_ts).unwrap(),
            "2026-11-20T01:02:03Z"
        );
        // The comma belongs after the date only.
        assert!(parse_ts("6/15/2026 12:40:24, PM").is_err());
    }

    #[test]
    fn timestamps() {
        let iso = parse_ts("2023-03-13T19:15:41.6195833Z").unwrap().unwrap();
        assert_eq!(
            iso.resolve(None).map(fmt_ts).unwrap(),
            "2023-03-13T19:15:41Z"
        );
        let z = parse_ts("2020-05-23 19:59:00Z").unwrap().unwrap();
        assert_eq!(z.resolve(None).map(fmt_ts).unwrap(), "2020-05-23T19:59:00Z");
        let us = parse_ts("8/19/2021 1:25:31 PM").unwrap().unwrap();
        assert_eq!(
            us.resolve(None).map(fmt_ts).unwrap(),
            "2021-08-19T13:25:31Z"
        );
        let eu = parse_ts("19/08/2021 13:25").unwrap().unwrap();
        assert_eq!(
            eu.resolve(None).map(fmt_ts).unwrap(),
            "2021-08-19T13:25:00Z"
        );
        let amb = parse_ts("3/4/2021 10:00").unwrap().unwrap();
        assert_eq!(amb.resolve(None), None);
        assert_eq!(
            amb.resolve(Some(DateOrder::Dmy)).map(fmt_date).unwrap(),
            "2021-04-03"
        );
        let serial = parse_ts("45123.5").unwrap().unwrap();
        assert_eq!(
            serial.resolve(None).map(fmt_ts).unwrap(),
            "2023-07-16T12:00:00Z"
        );
        assert!(parse_ts("not a date").is_err());
        assert!(parse_ts("13/13/2021").is_err());
        assert_eq!(parse_ts("-"), Ok(None));
    }

    #[test]
    fn fast_iso_path_agrees_with_chrono() {
        for t in [
            "2026-11-21T09:30:00Z",
            "2024-02-29T23:59:59Z",
            "1999-12-31T00:00:00.5Z",
            "2023-03-13T19:15:41.6195833Z",
            "2020-01-01T00:00:00.123Z",
        ] {
            let fast = parse_iso_fast(t);
            let slow = DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|d| d.timestamp_millis());
            assert_eq!(fast, slow, "{t}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:00:00",
        ] {
            assert_eq!(parse_iso_fast(bad), None, "{bad}");
        }
    }

    #[test]
    fn order_evidence() {
        let mut e = OrderEvidence::default();
        e.observe(parse_ts("3/4/2021").unwrap().unwrap(), 2, "3/4/2021");
        assert!(e.decide(None).is_err());
        assert_eq!(e.decide(Some(DateOrder::Mdy)), Ok(Some(DateOrder::Mdy)));
        e.observe(parse_ts("19/08/2021").unwrap().unwrap(), 3, "19/08/2021");
        assert_eq!(e.decide(None), Ok(Some(DateOrder::Dmy)));
        e.observe(parse_ts("08/19/2021").unwrap().unwrap(), 4, "08/19/2021");
        assert!(e.decide(None).unwrap_err().contains("disagree"));
    }

    #[test]
    fn methods() {
        assert_eq!(
            parse_methods(r#"["microsoftAuthenticatorPush","softwareOneTimePasscode"]"#).unwrap(),
            vec!["microsoftAuthenticatorPush", "softwareOneTimePasscode"]
        );
        assert_eq!(
            parse_methods("PhoneAppNotification, OneWaySMS").unwrap(),
            vec!["microsoftAuthenticatorPush", "mobilePhone"]
        );
        assert_eq!(parse_methods("[]").unwrap(), Vec::<String>::new());
        assert!(parse_methods("System.Object[]").is_err());
        assert!(parse_methods("[unclosed").is_err());
        assert_eq!(
            parse_methods(r#"["futureThing"]"#).unwrap(),
            vec!["futureThing"]
        );
        assert_eq!(method_class("futureThing"), MethodClass::Unknown);
        assert_eq!(
            method_class("passKeyDeviceBound"),
            MethodClass::PhishingResistant
        );
        assert_eq!(method_class("email"), MethodClass::NotMfa);
    }

    #[test]
    fn method_classes_ignore_case_for_short_and_long_names() {
        let long_fido = format!("FIDO2{}", "X".repeat(80)); // past the stack buffer
        let cases = [
            ("MOBILEPHONE", MethodClass::Phone),
            ("MicrosoftAuthenticatorPush", MethodClass::App),
            ("x509CertificateMultiFactor", MethodClass::PhishingResistant),
            ("windowsHelloForBusiness", MethodClass::PhishingResistant),
            (long_fido.as_str(), MethodClass::PhishingResistant),
            ("Passw\u{f6}rd", MethodClass::Unknown),
            ("", MethodClass::Unknown),
        ];
        for (name, want) in cases {
            assert_eq!(method_class(name), want, "{name}");
            assert_eq!(
                with_ascii_lowercase(name, str::to_string),
                name.to_ascii_lowercase()
            );
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            parse_phone("+1 425 555 0100", None).unwrap().unwrap(),
            "+1 4255550100"
        );
        assert_eq!(
            parse_phone("(425) 555-0101", Some("US")).unwrap().unwrap(),
            "+1 4255550101"
        );
        assert_eq!(
            parse_phone("+44 7400 123401", None).unwrap().unwrap(),
            "+44 7400123401"
        );
        assert_eq!(
            parse_phone("'+1 425 555 0100", None).unwrap().unwrap(),
            "+1 4255550100"
        );
        assert!(parse_phone("4.25555E+11", Some("US")).is_err());
        assert!(parse_phone("12345", Some("US")).is_err());
        assert!(parse_phone("(425) 555-0101", None).is_err());
        assert_eq!(parse_phone("", None), Ok(None));
    }

    #[test]
    fn an_international_number_keeps_its_country_whatever_the_region() {
        // The reported case: a German mobile on an account in the US (or with no region).
        for region in [Some("US"), None, Some("DE"), Some("BR")] {
            assert_eq!(
                parse_phone("+49 151 23457752", region).unwrap().unwrap(),
                "+49 15123457752",
                "{region:?}"
            );
        }
        assert_eq!(
            parse_phone("0049 151 23457752", Some("US"))
                .unwrap()
                .unwrap(),
            "+49 15123457752"
        );
        // The same digits written nationally are read with the account's region.
        assert_eq!(
            parse_phone("0151 23457752", Some("DE")).unwrap().unwrap(),
            "+49 15123457752"
        );
        assert!(parse_phone("0151 23457752", Some("US")).is_err());
        // Brazilian 9-digit mobiles are valid.
        assert_eq!(
            parse_phone("+55 11 91234-5678", Some("US"))
                .unwrap()
                .unwrap(),
            "+55 11912345678"
        );
    }

    #[test]
    fn a_written_country_code_must_survive() {
        assert!(same_country_code("+49 151 23457752", 49));
        assert!(same_country_code("+1 (425) 555-0100", 1));
        assert!(same_country_code("+44 (0) 7400 123456", 44));
        // Near misses: another code, or the digits read under another plan.
        assert!(!same_country_code("+49 151 23457752", 1));
        assert!(!same_country_code("+1 49 151", 49));
    }

    #[test]
    fn the_recorded_phone_metadata_names_the_locked_crate_version() {
        let lock = include_str!("../Cargo.lock");
        let at = lock
            .find("name = \"rlibphonenumber\"")
            .expect("rlibphonenumber in Cargo.lock");
        let version = lock[at..]
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("its version line");
        assert!(
            PHONE_METADATA.ends_with(&format!("(rlibphonenumber {version})")),
            "{PHONE_METADATA} vs Cargo.lock {version}: update PHONE_METADATA (and the corpus)"
        );
    }
}
