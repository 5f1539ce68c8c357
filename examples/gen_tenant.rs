//! Deterministic synthetic Entra ID tenant generator for `mfa-audit` tests and benchmarks.
//!
//! std only (no crates). Run it through cargo:
//!     cargo run --release --example gen_tenant -- --out /tmp/t --users 10000 --sign-ins 100000 --seed 42
//!
//! Writes the real export formats (see docs/inputs.md) with their quirks, taking the headers
//! from the sample tenant in fixtures/contoso:
//!   exportUsers_<Y-M-D>.csv                         Entra "Download users", 29 columns, UTF-8 BOM
//!   exportUserRegistrationDetails_<Y-M-D>.csv       registration details, JSON-array methods
//!   InteractiveSignIns_<start>_<asof>.csv           full late-2024 sign-in header (~30% of rows)
//!   NonInteractiveSignIns_<start>_<asof>.csv        same header (~70% of rows)
//!   MFA_Status_Report_<Mon>-<DD>-<YYYY>.csv         o365reports per-user MFA state (CRLF, all quoted)
//!
//! The sign-in rows carry the methods used in the portal's "Multifactor authentication result /
//! auth method / auth detail" columns. `--auth-details` also appends a Log Analytics style
//! `AuthenticationDetails` column: the steps as a compact JSON array inside the quoted cell (`[]`
//! when there are none), for measuring that reading path; without it the files are unchanged.
//!
//! Same flags -> byte-identical files. Users depend only on (seed, users); sign-ins on
//! (seed, users, sign-ins). Sign-in rows are generated in fixed-size chunks, each with its own
//! PRNG stream, on a couple of threads; the output does not depend on the thread count.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

// ---------------------------------------------------------------- PRNG

/// splitmix64: tiny, fast, good enough for synthetic data, fully deterministic.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }
    #[inline]
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
    #[inline]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    #[inline]
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn range(&mut self, lo: u64, hi_incl: u64) -> u64 {
        lo + self.below(hi_incl - lo + 1)
    }
}

// ---------------------------------------------------------------- small formatting helpers

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase GUID, 36 bytes, version-4 shaped.
#[inline]
fn push_guid(out: &mut Vec<u8>, rng: &mut Rng) {
    let a = rng.next();
    let b = rng.next();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..].copy_from_slice(&b.to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    for (i, byte) in bytes.iter().enumerate() {
        if i == 4 || i == 6 || i == 8 || i == 10 {
            out.push(b'-');
        }
        out.push(HEX[(byte >> 4) as usize]);
        out.push(HEX[(byte & 15) as usize]);
    }
}

fn guid_string(rng: &mut Rng) -> String {
    let mut v = Vec::with_capacity(36);
    push_guid(&mut v, rng);
    String::from_utf8(v).unwrap()
}

#[inline]
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

#[inline]
fn push_2d(out: &mut Vec<u8>, n: u64) {
    out.push(b'0' + (n / 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

/// Minimal RFC 4180 quoting (portal user/registration downloads).
fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn csv_row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push('\n');
}

/// Quote every field (PowerShell Export-Csv style), CRLF line ends.
fn csv_row_all_quoted_crlf(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    }
    out.push_str("\r\n");
}

// ---------------------------------------------------------------- dates

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn ymd(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn ymd_unpadded(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y}-{m}-{d}")
}

/// US locale `3/14/2024 9:05:12 AM`.
fn us_datetime(days: i64, secs: u64) -> String {
    let (y, m, d) = civil_from_days(days);
    let h = secs / 3600;
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!(
        "{m}/{d}/{y} {h12}:{:02}:{:02} {ampm}",
        (secs / 60) % 60,
        secs % 60
    )
}

fn iso_frac(days: i64, secs: u64, frac: u64) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}.{frac:07}Z",
        ymd(days),
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

// ---------------------------------------------------------------- vocabulary

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Oliver",
    "Amelia",
    "George",
    "Isla",
    "Harry",
    "Ava",
    "Noah",
    "Mia",
    "Jack",
    "Emily",
    "Lukas",
    "Hannah",
    "Leon",
    "Lena",
    "Felix",
    "Anna",
    "Maximilian",
    "Sophie",
    "Paul",
    "Marie",
    "Jonas",
    "Laura",
    "Priya",
    "Arjun",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Carlos",
    "Lucia",
    "Ahmed",
    "Fatima",
    "Olga",
    "Ivan",
    "Chloe",
    "Ethan",
    "Zoe",
    "Liam",
    "Nora",
    "Aiden",
    "Ines",
    "Mateo",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Evans",
    "Hughes",
    "Edwards",
    "Roberts",
    "Wood",
    "Hall",
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Patel",
    "Singh",
    "Chen",
    "Wang",
    "Tanaka",
    "Suzuki",
    "Kim",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Novak",
    "Silva",
    "Costa",
    "Rossi",
    "Dubois",
    "Jansen",
    "Larsen",
    "Nilsson",
    "O'Brien",
    "MacDonald",
];
const DEPARTMENTS: &[&str] = &[
    "Finance",
    "Accounting",
    "Human Resources",
    "Legal",
    "Sales",
    "Marketing",
    "Engineering",
    "Research & Development",
    "IT",
    "Operations",
    "Customer Support",
    "Procurement",
    "Logistics",
    "Facilities",
    "Security",
    "Executive",
    "Product Management",
    "Quality Assurance",
    "Training",
    "Communications",
    "Business Development",
    "Data Science",
    "Manufacturing",
    "Compliance",
    "Internal Audit",
    "Treasury",
    "Payroll",
    "Field Services",
    "Retail",
    "Partner Success",
];
const JOBS: &[&str] = &[
    "Analyst",
    "Senior Analyst",
    "Manager",
    "Senior Manager",
    "Director",
    "Engineer",
    "Senior Engineer",
    "Consultant",
    "Specialist",
    "Coordinator",
    "Administrator",
    "Associate",
    "Vice President, Sales",
    "Director, Finance",
    "Technician",
    "Intern",
    "Team Lead",
    "Architect",
];
const DOMAIN: &str = "contoso.com";
const TENANT_ONMS: &str = "contoso.onmicrosoft.com";
const GUEST_DOMAINS: &[&str] = &[
    "fabrikam.com",
    "northwindtraders.com",
    "gmail.com",
    "outlook.com",
    "adatum.com",
    "tailspintoys.com",
];

struct Country {
    code: &'static str,
    name: &'static str,
    dial: &'static str,
    areas: &'static [&'static str],
    trunk: &'static str,
    cities: &'static [(&'static str, &'static str, &'static str, &'static str)], // city, state, street, postal
}
const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        name: "United States",
        dial: "1",
        areas: &[
            "425", "206", "212", "415", "312", "617", "512", "303", "404", "713",
        ],
        trunk: "",
        cities: &[
            ("Redmond", "Washington", "1 Microsoft Way", "98052"),
            ("Seattle", "Washington", "410 Terry Ave N", "98109"),
            ("New York", "New York", "11 Times Square", "10036"),
            ("Chicago", "Illinois", "233 S Wacker Dr", "60606"),
            ("Austin", "Texas", "500 W 2nd St", "78701"),
        ],
    },
    Country {
        code: "GB",
        name: "United Kingdom",
        dial: "44",
        areas: &["20", "161", "121", "131", "7700", "7911", "7456"],
        trunk: "0",
        cities: &[
            ("London", "London", "2 Kingdom Street", "W2 6BD"),
            ("Manchester", "Manchester", "1 Spinningfields", "M3 3AP"),
            (
                "Reading",
                "Berkshire",
                "100 Thames Valley Park Drive",
                "RG6 1WG",
            ),
        ],
    },
    Country {
        code: "DE",
        name: "Germany",
        dial: "49",
        areas: &["30", "89", "40", "69", "151", "160", "171"],
        trunk: "0",
        cities: &[
            ("Berlin", "Berlin", "Unter den Linden 17", "10117"),
            ("Munich", "Bavaria", "Walter-Gropius-Strasse 5", "80807"),
            ("Hamburg", "Hamburg", "Gerhofstrasse 1-3", "20354"),
            ("Frankfurt", "Hesse", "Taunusanlage 8", "60329"),
        ],
    },
];
const FOREIGN_LOCATIONS: &[&str] = &[
    "Paris, Ile-De-France, FR",
    "Amsterdam, Noord-Holland, NL",
    "Singapore, Singapore, SG",
    "Sydney, New South Wales, AU",
    "Toronto, Ontario, CA",
    "Sao Paulo, Sao Paulo, BR",
    "Lagos, Lagos, NG",
    "Mumbai, Maharashtra, IN",
    "Moscow, Moscow, RU",
    "Dublin, Dublin, IE",
];
const ASNS: &[&str] = &[
    "8075", "7922", "3320", "2856", "701", "7018", "3209", "5089", "20940", "16509",
];

// (user agent, browser, operating system, client app)
const PLATFORMS: &[(&str, &str, &str, &str)] = &[
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Edge 131.0.0",
        "Windows10",
        "Browser",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Chrome 130.0.0",
        "Windows10",
        "Browser",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Safari 18.1",
        "MacOs",
        "Browser",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mobile Safari",
        "Ios 17.6.1",
        "Mobile Apps and Desktop clients",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
        "Chrome Mobile 130.0.6723",
        "Android 14",
        "Browser",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; WebView/3.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
        "Edge 18.19045",
        "Windows10",
        "Mobile Apps and Desktop clients",
    ),
    (
        "Windows-AzureAD-Authentication-Provider/1.0",
        "IE 7.0",
        "Windows10",
        "Mobile Apps and Desktop clients",
    ),
    (
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
        "Rich Client 16.0.17928.20156",
        "Windows10",
        "Mobile Apps and Desktop clients",
    ),
    (
        "Mozilla/5.0 (compatible; MSAL 1.0) PKeyAuth/1.0",
        "Rich Client 4.61.3.0",
        "Windows 11",
        "Mobile Apps and Desktop clients",
    ),
    ("BAV2ROPC", "Unknown", "Unknown", "Authenticated SMTP"),
    (
        "Microsoft Outlook 16.0 ActiveSync",
        "Unknown",
        "Ios 16.7",
        "Exchange ActiveSync",
    ),
];
const N_MODERN: u64 = 9; // the last PLATFORMS entries are legacy authentication

// (application, application id, resource, resource id)
const APPS: &[(&str, &str, &str, &str)] = &[
    (
        "Microsoft Teams",
        "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "Microsoft Teams Services",
        "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
    ),
    (
        "Office 365 Exchange Online",
        "00000002-0000-0ff1-ce00-000000000000",
        "Office 365 Exchange Online",
        "00000002-0000-0ff1-ce00-000000000000",
    ),
    (
        "Microsoft Office",
        "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        "Microsoft Graph",
        "00000003-0000-0000-c000-000000000000",
    ),
    (
        "OfficeHome",
        "4765445b-32c6-49b0-83e6-1d93765276ca",
        "Office 365 SharePoint Online",
        "00000003-0000-0ff1-ce00-000000000000",
    ),
    (
        "Azure Portal",
        "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        "Windows Azure Service Management API",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    ),
    (
        "My Signins",
        "19db86c3-b2b9-44cc-b339-36da233a3be2",
        "Microsoft Graph",
        "00000003-0000-0000-c000-000000000000",
    ),
    (
        "Microsoft Authentication Broker",
        "29d9ed98-a469-4536-ade2-f981bc1d605e",
        "Microsoft Graph",
        "00000003-0000-0000-c000-000000000000",
    ),
    (
        "OneDrive SyncEngine",
        "ab9b8c07-8f02-4f72-87fa-80105867a763",
        "Office 365 SharePoint Online",
        "00000003-0000-0ff1-ce00-000000000000",
    ),
    (
        "Outlook Mobile",
        "27922004-5251-4030-b22d-91ecd9a37ea4",
        "Office 365 Exchange Online",
        "00000002-0000-0ff1-ce00-000000000000",
    ),
    (
        "Microsoft Edge",
        "ecd6b820-32c2-49b6-98a6-444530e5a77a",
        "Microsoft Graph",
        "00000003-0000-0000-c000-000000000000",
    ),
];

// The export headers are taken from the sample tenant that `scripts/make_fixtures.py` writes
// (fixtures/contoso), so the two generators carry one set of headers and cannot drift apart.
const SIGNIN_FIXTURE: &str =
    include_str!("../fixtures/contoso/InteractiveSignIns_2026-08-01_2026-11-21.csv");
const USERS_FIXTURE: &str = include_str!("../fixtures/contoso/exportUsers_2026-11-21.csv");
const REG_FIXTURE: &str =
    include_str!("../fixtures/contoso/exportUserRegistrationDetails_2026-11-21.csv");
const MFA_FIXTURE: &str = include_str!("../fixtures/contoso/MFA_Status_Report_Nov-21-2026.csv");

/// The header line of a fixture file, without its BOM and line end.
fn header_line(fixture: &'static str) -> &'static str {
    let s = fixture.trim_start_matches('\u{feff}');
    s.split(['\r', '\n']).next().unwrap_or(s)
}

/// The column names of an every-field-quoted header line.
fn quoted_names(line: &'static str) -> Vec<&'static str> {
    line.split(',').map(|h| h.trim_matches('"')).collect()
}

const ADMIN_ROLES: &[&str] = &[
    "Global Administrator",
    "User Administrator",
    "Exchange Administrator",
    "SharePoint Administrator",
    "Security Administrator",
    "Helpdesk Administrator",
    "Billing Administrator",
    "Global Reader",
    "Privileged Role Administrator",
    "Conditional Access Administrator",
];

/// Registered method sets with cumulative weights (percent of registered users).
const REGISTERED_SETS: &[(u32, &[&str])] = &[
    (38, &["microsoftAuthenticatorPush", "mobilePhone"]),
    (50, &["mobilePhone"]),
    (
        62,
        &[
            "microsoftAuthenticatorPush",
            "microsoftAuthenticatorPasswordless",
            "softwareOneTimePasscode",
        ],
    ),
    (67, &["fido2SecurityKey", "microsoftAuthenticatorPush"]),
    (
        70,
        &[
            "passKeyDeviceBoundAuthenticator",
            "microsoftAuthenticatorPasswordless",
        ],
    ),
    (
        79,
        &[
            "windowsHelloForBusiness",
            "microsoftAuthenticatorPush",
            "mobilePhone",
        ],
    ),
    (84, &["softwareOneTimePasscode"]),
    (93, &["mobilePhone", "email"]),
    (
        97,
        &[
            "microsoftAuthenticatorPush",
            "mobilePhone",
            "alternateMobilePhone",
            "email",
        ],
    ),
    (99, &["officePhone"]),
    (
        100,
        &["hardwareOneTimePasscode", "email", "securityQuestion"],
    ),
];
/// Methods of users that are not MFA capable (SSPR-only or nothing).
const UNREGISTERED_SETS: &[&[&str]] = &[
    &[],
    &[],
    &[],
    &[],
    &["email"],
    &["email", "securityQuestion"],
    &["temporaryAccessPass"],
];

// ---------------------------------------------------------------- users

struct User {
    id: String,
    upn: String,
    display: String,
    surname: String,
    given: String,
    mail: String,
    guest: bool,
    job: &'static str,
    dept: &'static str,
    enabled: Option<bool>,
    country: usize,
    city: usize,
    mobile: String,
    /// `+1 4255550100` MSOnline style, when the mobile number is usable.
    mfa_phone: Option<String>,
    created: String,
    synced: bool,
    methods: &'static [&'static str],
    mfa_capable: bool,
    admin_role: Option<&'static str>,
    has_reg_row: bool,
    per_user: &'static str,
    licensed: bool,
    reg_updated: String,
    /// Share of this user's sign-ins that are interrupted by a registration prompt.
    prompt_rate: f64,
}

fn national_digits(rng: &mut Rng, c: &Country) -> (String, String) {
    let area = rng.pick(c.areas);
    let sub_len = if c.code == "US" {
        7
    } else {
        10 - area.len().min(4)
    };
    let mut sub = String::new();
    sub.push((b'2' + rng.below(8) as u8) as char);
    for _ in 1..sub_len {
        sub.push((b'0' + rng.below(10) as u8) as char);
    }
    (area.to_string(), sub)
}

fn make_users(n: usize, seed: u64, as_of_days: i64) -> Vec<User> {
    let mut rng = Rng::new(seed, 1);
    let mut taken: HashMap<String, u32> = HashMap::new();
    let shared_numbers = ["+1 425 555 0100", "+44 20 7946 0000", "(425) 555-0199"];
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let given = rng.pick(FIRST).to_string();
        let surname = rng.pick(LAST).to_string();
        let guest = rng.chance(0.05);
        let base = format!(
            "{}.{}",
            given.to_lowercase(),
            surname.to_lowercase().replace('\'', "")
        );
        // bases never end in a digit, so `base` + counter cannot collide with another base
        let seen = taken.entry(base.clone()).or_insert(0);
        *seen += 1;
        let local = if *seen == 1 {
            base
        } else {
            format!("{base}{seen}")
        };
        let (upn, mail) = if guest {
            let d = rng.pick(GUEST_DOMAINS);
            (
                format!("{local}_{d}#EXT#@{TENANT_ONMS}"),
                format!("{local}@{d}"),
            )
        } else {
            (format!("{local}@{DOMAIN}"), format!("{local}@{DOMAIN}"))
        };
        let r = rng.unit();
        let display = if r < 0.0015 {
            // formula-injection style names seen in real portal exports
            let f = rng.pick(&[
                "=1+3 MSOBB",
                "=SUM(1,2) Lab",
                "=HYPERLINK(\"http://x\",\"y\")",
                "+49 Desk",
                "-Reception",
                "@Shared Mailbox",
            ]);
            format!("{f} {i}")
        } else if r < 0.06 {
            format!("{surname}, {given}")
        } else if guest {
            format!("{given} {surname} (Guest)")
        } else {
            format!("{given} {surname}")
        };
        let er = rng.unit();
        let enabled = if er < 0.005 {
            None
        } else if er < 0.035 {
            Some(false)
        } else {
            Some(true)
        };
        let country = match rng.below(10) {
            0..=5 => 0,
            6..=7 => 1,
            _ => 2,
        };
        let c = &COUNTRIES[country];
        let city = rng.below(c.cities.len() as u64) as usize;
        let (area, sub) = national_digits(&mut rng, c);
        let mr = rng.unit();
        let (mobile, mfa_phone) = if mr < 0.10 {
            (String::new(), None)
        } else if mr < 0.11 {
            (
                rng.pick(&["12345", "555-0100", "0000", "n/a", "+1 555"])
                    .to_string(),
                None,
            )
        } else if mr < 0.115 {
            let s = rng.pick(&shared_numbers);
            (
                s.to_string(),
                Some(
                    s.chars()
                        .filter(|ch| ch.is_ascii_digit())
                        .collect::<String>(),
                )
                .map(|d| {
                    if s.starts_with("+44") {
                        format!("+44 {}", &d[2..])
                    } else {
                        format!("+1 {}", d.trim_start_matches('1'))
                    }
                }),
            )
        } else {
            let e164 = format!("+{} {}{}", c.dial, area, sub);
            let shown = match rng.below(4) {
                0 | 1 => {
                    if c.code == "US" {
                        format!("+1 {} {} {}", area, &sub[..3], &sub[3..])
                    } else {
                        format!("+{} {} {}", c.dial, area, sub)
                    }
                }
                2 => {
                    if c.code == "US" {
                        format!("({}) {}-{}", area, &sub[..3], &sub[3..])
                    } else {
                        format!("{}{} {}", c.trunk, area, sub)
                    }
                }
                _ => format!("+{}{}{}", c.dial, area, sub),
            };
            (shown, Some(e164))
        };
        let created_days = as_of_days - rng.range(1, 365 * 9) as i64;
        let created = us_datetime(created_days, rng.below(86_400));
        let synced = !guest && rng.chance(0.6);

        // registration
        let registered = rng.chance(if guest { 0.35 } else { 0.82 });
        let methods: &'static [&'static str] = if registered {
            let w = rng.below(100) as u32;
            REGISTERED_SETS.iter().find(|(c, _)| w < *c).unwrap().1
        } else {
            rng.pick(UNREGISTERED_SETS)
        };
        let admin_role = if !guest && rng.chance(0.01) {
            Some(rng.pick(ADMIN_ROLES))
        } else {
            None
        };
        let has_reg_row = !rng.chance(0.03);
        let per_user = match rng.below(100) {
            0..=64 => "Disabled",
            65..=79 => "Enabled",
            _ => "Enforced",
        };
        let licensed = !guest && rng.chance(0.92);
        // at most the export time (as-of 12:00 UTC), up to ~700 days earlier
        let back = rng.below(700 * 86_400) as i64;
        let t = as_of_days * 86_400 + 12 * 3600 - back;
        let reg_updated = iso_frac(
            t.div_euclid(86_400),
            t.rem_euclid(86_400) as u64,
            rng.below(10_000_000),
        );
        let prompt_rate = if registered { 0.0 } else { rng.unit() * 0.3 };
        users.push(User {
            id: guid_string(&mut rng),
            upn,
            display,
            surname,
            given,
            mail,
            guest,
            job: rng.pick(JOBS),
            dept: rng.pick(DEPARTMENTS),
            enabled,
            country,
            city,
            mobile,
            mfa_phone,
            created,
            synced,
            methods,
            mfa_capable: registered,
            admin_role,
            has_reg_row,
            per_user,
            licensed,
            reg_updated,
            prompt_rate,
        });
    }
    users
}

fn tf(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn write_users(path: &Path, users: &[User], seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed, 2);
    let mut s = String::with_capacity(users.len() * 400);
    s.push('\u{feff}');
    s.push_str(header_line(USERS_FIXTURE));
    s.push('\n');
    for u in users {
        let c = &COUNTRIES[u.country];
        let (city, state, street, postal) = c.cities[u.city];
        let office = format!("{}-{}", city, rng.range(1, 40));
        let tel = if rng.chance(0.4) {
            format!("+{} {}", c.dial, rng.range(200_000_000, 999_999_999))
        } else {
            String::new()
        };
        let enabled = match u.enabled {
            None => "",
            Some(b) => tf(b),
        };
        csv_row(
            &mut s,
            &[
                &u.upn,
                &u.display,
                &u.surname,
                &u.mail,
                &u.given,
                &u.id,
                if u.guest { "Guest" } else { "Member" },
                u.job,
                u.dept,
                enabled,
                c.code,
                street,
                state,
                c.name,
                &office,
                city,
                postal,
                &tel,
                &u.mobile,
                "",
                "",
                "",
                "",
                if u.guest { "" } else { "Contoso Ltd" },
                if u.guest { "Invitation" } else { "" },
                if u.synced { "True" } else { "" },
                if u.guest {
                    if rng.chance(0.8) {
                        "Accepted"
                    } else {
                        "PendingAcceptance"
                    }
                } else {
                    ""
                },
                if u.guest {
                    "ExternalAzureAD"
                } else {
                    TENANT_ONMS
                },
                &u.created,
            ],
        );
    }
    std::fs::write(path, s)
}

fn default_method(methods: &[&str]) -> &'static str {
    for (m, d) in [
        ("microsoftAuthenticatorPush", "microsoftAuthenticatorPush"),
        ("softwareOneTimePasscode", "softwareOneTimePasscode"),
        ("mobilePhone", "mobilePhone"),
        ("officePhone", "officePhone"),
    ] {
        if methods.contains(&m) {
            return d;
        }
    }
    "none"
}

fn write_registration(path: &Path, users: &[User]) -> io::Result<()> {
    let mut s = String::with_capacity(users.len() * 300);
    s.push_str(header_line(REG_FIXTURE));
    s.push('\n');
    for u in users.iter().filter(|u| u.has_reg_row) {
        let methods = if u.methods.is_empty() {
            "[]".to_string()
        } else {
            let parts: Vec<String> = u.methods.iter().map(|m| format!("\"{m}\"")).collect();
            format!("[{}]", parts.join(","))
        };
        let passwordless = u.methods.iter().any(|m| {
            m.starts_with("fido2")
                || m.starts_with("passKey")
                || *m == "windowsHelloForBusiness"
                || *m == "microsoftAuthenticatorPasswordless"
        });
        let sspr_reg = u.methods.iter().any(|m| *m != "temporaryAccessPass");
        csv_row(
            &mut s,
            &[
                &u.id,
                &u.upn,
                &u.display,
                if u.guest { "guest" } else { "member" },
                tf(u.admin_role.is_some()),
                tf(u.mfa_capable),
                tf(passwordless),
                tf(sspr_reg),
                tf(sspr_reg && !u.guest),
                default_method(u.methods),
                &methods,
                &u.reg_updated,
            ],
        );
    }
    std::fs::write(path, s)
}

fn write_mfa_report(path: &Path, users: &[User]) -> io::Result<()> {
    let mut s = String::with_capacity(users.len() * 250);
    csv_row_all_quoted_crlf(&mut s, &quoted_names(header_line(MFA_FIXTURE)));
    for u in users {
        let mut legacy: Vec<&str> = Vec::new();
        for m in u.methods {
            match *m {
                "mobilePhone" => {
                    legacy.push("OneWaySMS");
                    legacy.push("TwoWayVoiceMobile");
                }
                "alternateMobilePhone" => legacy.push("TwoWayVoiceAlternateMobile"),
                "officePhone" => legacy.push("TwoWayVoiceOffice"),
                "microsoftAuthenticatorPush" => legacy.push("PhoneAppNotification"),
                "softwareOneTimePasscode" => legacy.push("PhoneAppOTP"),
                _ => {}
            }
        }
        let default = if legacy.contains(&"PhoneAppNotification") {
            "PhoneAppNotification"
        } else {
            legacy.first().copied().unwrap_or("-")
        };
        let all = if legacy.is_empty() {
            "-".to_string()
        } else {
            legacy.join(",")
        };
        let activation = if legacy.is_empty() {
            "Disabled"
        } else {
            "Enabled"
        };
        let phone = match (
            &u.mfa_phone,
            legacy
                .iter()
                .any(|m| m.contains("Mobile") || *m == "OneWaySMS"),
        ) {
            (Some(p), true) => p.clone(),
            _ => "-".to_string(),
        };
        let email = if u.methods.contains(&"email") {
            u.mail.clone()
        } else {
            "-".to_string()
        };
        csv_row_all_quoted_crlf(
            &mut s,
            &[
                &u.display,
                &u.upn,
                u.per_user,
                activation,
                default,
                &all,
                &phone,
                &email,
                if u.licensed { "Licensed" } else { "Unlicensed" },
                tf(u.admin_role.is_some()),
                u.admin_role.unwrap_or("-"),
                if u.enabled == Some(false) {
                    "Denied"
                } else {
                    "Allowed"
                },
            ],
        );
    }
    std::fs::write(path, s)
}

// ---------------------------------------------------------------- sign-ins

struct SignInCtx<'a> {
    users: &'a [User],
    /// Users that sign in at all, in popularity order (index 0 = busiest).
    active: Vec<u32>,
    tenant_id: String,
    /// `YYYY-MM-DD` for each day of the window.
    days: Vec<String>,
    /// seconds covered by the window (start 00:00 .. as-of 12:00 UTC).
    window_secs: u64,
    interactive: bool,
    seed: u64,
    /// Append an `AuthenticationDetails` column (`--auth-details`).
    auth_details: bool,
}

const CHUNK: u64 = 65_536;

#[inline]
fn q(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.extend_from_slice(b"\",");
}

#[inline]
fn q_guid(out: &mut Vec<u8>, rng: &mut Rng) {
    out.push(b'"');
    push_guid(out, rng);
    out.extend_from_slice(b"\",");
}

fn gen_row(out: &mut Vec<u8>, rng: &mut Rng, cx: &SignInCtx, orphan_buf: &mut (String, String)) {
    let interactive = cx.interactive;
    // who
    let orphan = rng.chance(0.001);
    let user: Option<&User> = if orphan {
        None
    } else {
        let u = rng.unit();
        let idx = ((u * u) * cx.active.len() as f64) as usize;
        Some(&cx.users[cx.active[idx.min(cx.active.len() - 1)] as usize])
    };
    if orphan {
        // a deleted account: not in the users export any more
        let n = rng.below(500);
        orphan_buf.0 = guid_string(&mut Rng::new(cx.seed ^ 0x0DE1_E7ED, n));
        orphan_buf.1 = format!("former.employee{n}@{DOMAIN}");
    }
    let (uid, upn, display, guest, country, mfa_capable, prompt_rate) = match user {
        Some(u) => (
            u.id.as_str(),
            u.upn.as_str(),
            u.display.as_str(),
            u.guest,
            u.country,
            u.mfa_capable,
            u.prompt_rate,
        ),
        None => (
            orphan_buf.0.as_str(),
            orphan_buf.1.as_str(),
            "Former Employee",
            false,
            0,
            false,
            0.0,
        ),
    };

    // Date (UTC)
    let t = rng.below(cx.window_secs);
    let row_start = out.len();
    let day = (t / 86_400) as usize;
    let s = t % 86_400;
    out.push(b'"');
    out.extend_from_slice(cx.days[day].as_bytes());
    out.push(b'T');
    push_2d(out, s / 3600);
    out.push(b':');
    push_2d(out, (s / 60) % 60);
    out.push(b':');
    push_2d(out, s % 60);
    out.extend_from_slice(b"Z\",");

    q_guid(out, rng); // Request ID
    let legacy = rng.chance(0.01);
    let plat = if legacy {
        &PLATFORMS[(N_MODERN + rng.below(PLATFORMS.len() as u64 - N_MODERN)) as usize]
    } else {
        &PLATFORMS[rng.below(N_MODERN) as usize]
    };
    q(out, plat.0); // User agent
    q_guid(out, rng); // Correlation ID
    q(out, uid); // User ID
    if display.contains('"') {
        q(out, &display.replace('"', "\"\""));
    } else {
        q(out, display); // User
    }
    // Username: occasionally different case
    let cr = rng.below(100);
    if cr == 0 {
        q(out, &upn.to_uppercase());
    } else if cr == 1 {
        let mut cap = upn.to_string();
        if let Some(f) = cap.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        q(out, &cap);
    } else {
        q(out, upn);
    }
    q(out, if guest { "Guest" } else { "Member" }); // User type
    q(out, if guest { "B2B collaboration" } else { "None" }); // Cross tenant access type
    q(
        out,
        if !interactive && rng.chance(0.3) {
            "Primary Refresh Token"
        } else {
            "None"
        },
    ); // Incoming token type
    q(out, if legacy { "ropc" } else { "None" }); // Authentication Protocol
    // Unique token identifier: 22 chars base64url
    out.push(b'"');
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x = rng.next();
    let y = rng.next();
    for i in 0..22 {
        if i == 10 {
            x = y;
        }
        out.push(B64[(x & 63) as usize]);
        x >>= 6;
    }
    out.extend_from_slice(b"\",");
    q(out, "None"); // Original transfer method
    q(out, "None"); // Client credential type
    q(out, if rng.chance(0.2) { "Bound" } else { "" }); // Token Protection - Sign In Session
    q(out, ""); // Token Protection - Sign In Session StatusCode
    let app = if legacy { APPS[1] } else { rng.pick(APPS) };
    q(out, app.0);
    q(out, app.1);
    q(out, app.2);
    q(out, app.3);
    q(out, &cx.tenant_id); // Resource tenant ID
    if guest {
        q_guid(out, rng); // Home tenant ID
        q(out, ""); // Home tenant name
    } else {
        q(out, &cx.tenant_id);
        q(out, "Contoso");
    }
    // IP address + Location
    let mut ip = Vec::with_capacity(40);
    if rng.chance(0.12) {
        ip.extend_from_slice(b"2a01:111:f400:");
        for k in 0..3 {
            let w = rng.below(0x10000);
            ip.extend_from_slice(format!("{w:x}").as_bytes());
            if k < 2 {
                ip.push(b':');
            }
        }
        ip.extend_from_slice(b"::");
        ip.extend_from_slice(format!("{:x}", rng.below(0x100)).as_bytes());
    } else {
        let r = rng.next();
        push_u64(&mut ip, 20 + (r & 0x7f));
        ip.push(b'.');
        push_u64(&mut ip, (r >> 8) & 0xff);
        ip.push(b'.');
        push_u64(&mut ip, (r >> 16) & 0xff);
        ip.push(b'.');
        push_u64(&mut ip, 1 + ((r >> 24) % 254));
    }
    let ip = String::from_utf8(ip).unwrap();
    q(out, &ip);
    let loc_buf;
    let location: &str = if rng.chance(0.96) {
        let c = &COUNTRIES[country];
        let (city, state, _, _) = rng.pick(c.cities);
        loc_buf = format!("{city}, {state}, {}", c.code);
        &loc_buf
    } else {
        rng.pick(FOREIGN_LOCATIONS)
    };
    q(out, location);

    // Status
    let (status, code, reason): (&str, &str, &str) = {
        let r = rng.unit();
        if interactive && !mfa_capable && r < prompt_rate {
            if rng.chance(0.5) {
                (
                    "Interrupted",
                    "50072",
                    "User needs to enroll for second factor authentication.",
                )
            } else {
                (
                    "Interrupted",
                    "50079",
                    "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication.",
                )
            }
        } else {
            let r = rng.unit();
            let (fail, intr) = if interactive {
                (0.10, 0.15)
            } else {
                (0.08, 0.02)
            };
            if r < fail {
                if rng.chance(0.6) {
                    (
                        "Failure",
                        "50126",
                        "Error validating credentials due to invalid username or password.",
                    )
                } else {
                    ("Failure", "50074", "Strong Authentication is required.")
                }
            } else if r < fail + intr {
                if mfa_capable || !interactive {
                    (
                        "Interrupted",
                        "50140",
                        "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
                    )
                } else if rng.chance(0.5) {
                    (
                        "Interrupted",
                        "50072",
                        "User needs to enroll for second factor authentication.",
                    )
                } else {
                    (
                        "Interrupted",
                        "50140",
                        "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
                    )
                }
            } else {
                ("Success", "0", "Other.")
            }
        }
    };
    q(out, status);
    q(out, code);
    q(out, reason);
    q(out, plat.3); // Client app
    if rng.chance(0.4) {
        q_guid(out, rng); // Device ID
    } else {
        q(out, "");
    }
    q(out, plat.1); // Browser
    q(out, plat.2); // Operating System
    let managed = rng.chance(0.5);
    q(out, tf(managed && rng.chance(0.9))); // Compliant
    q(out, tf(managed)); // Managed
    q(
        out,
        if managed {
            rng.pick(&["Microsoft Entra joined", "Microsoft Entra hybrid joined"])
        } else if rng.chance(0.4) {
            "Microsoft Entra registered"
        } else {
            ""
        },
    );
    // MFA
    let mfa =
        status == "Success" && mfa_capable && rng.chance(if interactive { 0.45 } else { 0.6 });
    let mut mfa_method = "";
    if mfa {
        if interactive {
            let (res, meth, det) = rng.pick(&[
                ("MFA successfully completed", "Mobile app notification", ""),
                (
                    "MFA requirement satisfied by claim in the token",
                    "Previously satisfied",
                    "",
                ),
                ("MFA completed in Azure AD", "Text message", "+X XXXXXXXX42"),
                ("MFA successfully completed", "OATH verification code", ""),
            ]);
            q(out, res);
            q(out, meth);
            q(out, det);
            mfa_method = meth;
        } else {
            q(out, "MFA requirement satisfied by claim in the token");
            q(out, "Previously satisfied");
            q(out, "");
            mfa_method = "Previously satisfied";
        }
        q(out, "Multifactor authentication");
    } else {
        q(out, "");
        q(out, "");
        q(out, "");
        q(out, "Single-factor authentication");
    }
    q(out, if interactive { upn } else { "" }); // Sign-in identifier
    q_guid(out, rng); // Session ID
    q(out, if rng.chance(0.7) { &ip } else { "" }); // IP address (seen by resource)
    q(out, "No"); // Through Global Secure Access
    q(out, ""); // Global Secure Access IP address
    q(out, rng.pick(ASNS)); // Autonomous system  number
    q(out, "No"); // Flagged for review
    q(out, "AzureAD"); // Token issuer type
    q(out, "None"); // Incoming token type (duplicate)
    q(out, ""); // Token issuer name
    out.push(b'"');
    push_u64(out, 20 + rng.below(900)); // Latency
    out.extend_from_slice(b"\",");
    q(
        out,
        rng.pick(&["Success", "Not Applied", "Not Applied", "Failure"]),
    ); // Conditional Access
    q(out, ""); // Managed Identity type
    q(out, ""); // Associated Resource Id
    q(out, ""); // Federated Token Id
    if !cx.auth_details {
        out.extend_from_slice(b"\"\"\n"); // Federated Token Issuer
        return;
    }
    q(out, ""); // Federated Token Issuer
    // AuthenticationDetails: the steps as Graph writes them, CSV-quoted. No random draws, so the
    // other columns are the same with and without it.
    let when = String::from_utf8_lossy(&out[row_start + 1..row_start + 21]).into_owned();
    let mut steps: Vec<(&str, &str, bool, &str)> = Vec::new();
    if interactive {
        let ok = code != "50126";
        let detail = if ok {
            "Correct password"
        } else {
            "Invalid username or password"
        };
        steps.push(("Password", "Password Hash Sync", ok, detail));
    }
    if !mfa_method.is_empty() {
        let detail = if mfa_method == "Previously satisfied" {
            "MFA requirement satisfied by claim in the token"
        } else {
            "MFA successfully completed"
        };
        steps.push((mfa_method, "", true, detail));
    }
    out.push(b'"');
    out.push(b'[');
    for (k, (method, method_detail, ok, detail)) in steps.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        let step = format!(
            "{{\"\"authenticationStepDateTime\"\":\"\"{when}\"\",\"\"authenticationMethod\"\":\"\"{method}\"\",\"\"authenticationMethodDetail\"\":\"\"{method_detail}\"\",\"\"succeeded\"\":{ok},\"\"authenticationStepResultDetail\"\":\"\"{detail}\"\",\"\"authenticationStepRequirement\"\":\"\"{}\"\",\"\"StatusSequence\"\":0,\"\"RequestSequence\"\":0}}",
            if k == 0 && interactive {
                "Primary authentication"
            } else {
                ""
            }
        );
        out.extend_from_slice(step.as_bytes());
    }
    out.extend_from_slice(b"]\"\n");
}

fn write_signins(path: &Path, cx: &SignInCtx, rows: u64, threads: usize) -> io::Result<u64> {
    let file = File::create(path)?;
    let mut w = BufWriter::with_capacity(8 << 20, file);
    let extra: &str = if cx.auth_details {
        ",\"AuthenticationDetails\""
    } else {
        ""
    };
    w.write_all(header_line(SIGNIN_FIXTURE).as_bytes())?;
    w.write_all(extra.as_bytes())?;
    w.write_all(b"\n")?;
    let n_chunks = rows.div_ceil(CHUNK);
    let stream_base: u64 = if cx.interactive {
        1_000_000
    } else {
        2_000_000_000
    };
    let gen_chunk = |c: u64| -> Vec<u8> {
        let mut rng = Rng::new(cx.seed, stream_base + c);
        let n = CHUNK.min(rows - c * CHUNK);
        let mut buf = Vec::with_capacity((n as usize) * 900);
        let mut orphan = (String::new(), String::new());
        for _ in 0..n {
            gen_row(&mut buf, &mut rng, cx, &mut orphan);
        }
        buf
    };
    let mut bytes = (header_line(SIGNIN_FIXTURE).len() + extra.len()) as u64 + 1;
    let threads = threads.max(1) as u64;
    let mut c = 0;
    while c < n_chunks {
        let batch_end = (c + threads).min(n_chunks);
        let bufs: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = (c..batch_end)
                .map(|k| s.spawn(move || gen_chunk(k)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for b in bufs {
            bytes += b.len() as u64;
            w.write_all(&b)?;
        }
        c = batch_end;
    }
    w.flush()?;
    Ok(bytes)
}

// ---------------------------------------------------------------- CLI

fn usage() -> ! {
    eprintln!(
        "usage: gen_tenant --out DIR --users N --sign-ins M [--seed S] [--as-of YYYY-MM-DD] [--threads T] [--auth-details]\n\
         Writes exportUsers, exportUserRegistrationDetails, Interactive/NonInteractive sign-in CSVs\n\
         and an o365reports MFA status report into DIR. Same flags -> byte-identical files."
    );
    exit(2)
}

pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn main() {
    let mut out: Option<PathBuf> = None;
    let mut users_n: Option<usize> = None;
    let mut signins: Option<u64> = None;
    let mut seed: u64 = 42;
    let mut as_of = "2026-11-21".to_string();
    let mut threads: usize = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    let mut auth_details = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let (key, inline) = match args[i].split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (args[i].clone(), None),
        };
        let mut val = || -> String {
            if let Some(v) = inline.clone() {
                return v;
            }
            i += 1;
            args.get(i).cloned().unwrap_or_else(|| usage())
        };
        match key.as_str() {
            "--out" => out = Some(PathBuf::from(val())),
            "--users" => users_n = Some(val().replace('_', "").parse().unwrap_or_else(|_| usage())),
            "--sign-ins" | "--signins" => {
                signins = Some(val().replace('_', "").parse().unwrap_or_else(|_| usage()))
            }
            "--seed" => seed = val().parse().unwrap_or_else(|_| usage()),
            "--as-of" => as_of = val(),
            "--threads" => threads = val().parse().unwrap_or_else(|_| usage()),
            "--auth-details" => auth_details = true,
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown argument: {other}");
                usage()
            }
        }
        i += 1;
    }
    let (Some(out), Some(n_users), Some(n_signins)) = (out, users_n, signins) else {
        usage()
    };
    if n_users == 0 {
        eprintln!("--users must be > 0");
        exit(2);
    }
    let Some(as_of_days) = parse_date(&as_of) else {
        eprintln!("--as-of must be YYYY-MM-DD");
        exit(2)
    };
    if let Err(e) = run(
        &out,
        n_users,
        n_signins,
        seed,
        as_of_days,
        threads,
        auth_details,
    ) {
        eprintln!("gen_tenant: {e}");
        exit(1);
    }
}

pub fn run(
    out: &Path,
    n_users: usize,
    n_signins: u64,
    seed: u64,
    as_of_days: i64,
    threads: usize,
    auth_details: bool,
) -> io::Result<()> {
    let t0 = Instant::now();
    std::fs::create_dir_all(out)?;
    let users = make_users(n_users, seed, as_of_days);
    let stamp = ymd_unpadded(as_of_days);
    let users_path = out.join(format!("exportUsers_{stamp}.csv"));
    write_users(&users_path, &users, seed)?;
    let reg_path = out.join(format!("exportUserRegistrationDetails_{stamp}.csv"));
    write_registration(&reg_path, &users)?;
    let (y, m, d) = civil_from_days(as_of_days);
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mfa_path = out.join(format!(
        "MFA_Status_Report_{}-{d:02}-{y}.csv",
        MON[m as usize - 1]
    ));
    write_mfa_report(&mfa_path, &users)?;
    let t_users = t0.elapsed().as_secs_f64();

    // sign-in window: 112 days before the as-of date (2026-08-01 .. 2026-11-21 by default)
    let start = as_of_days - 112;
    let days: Vec<String> = (start..=as_of_days).map(ymd).collect();
    let window_secs = 112 * 86_400 + 12 * 3600;
    let mut prng = Rng::new(seed, 3);
    let tenant_id = guid_string(&mut prng);
    // ~7% of accounts never sign in; disabled accounts rarely; rest in a random popularity order
    let mut active: Vec<u32> = Vec::with_capacity(users.len());
    for (k, u) in users.iter().enumerate() {
        let keep = if u.enabled == Some(false) {
            prng.chance(0.15)
        } else {
            !prng.chance(0.07)
        };
        if keep {
            active.push(k as u32);
        }
    }
    if active.is_empty() {
        active.push(0);
    }
    for k in (1..active.len()).rev() {
        let j = prng.below(k as u64 + 1) as usize;
        active.swap(k, j);
    }
    let n_int = (n_signins as f64 * 0.3).round() as u64;
    let n_non = n_signins - n_int;
    let range = format!("{}_{}", ymd(start), ymd(as_of_days));
    let mut cx = SignInCtx {
        users: &users,
        active,
        tenant_id,
        days,
        window_secs,
        interactive: true,
        seed,
        auth_details,
    };
    let int_path = out.join(format!("InteractiveSignIns_{range}.csv"));
    let b_int = write_signins(&int_path, &cx, n_int, threads)?;
    cx.interactive = false;
    let non_path = out.join(format!("NonInteractiveSignIns_{range}.csv"));
    let b_non = write_signins(&non_path, &cx, n_non, threads)?;
    let secs = t0.elapsed().as_secs_f64();
    let mb = (b_int + b_non) as f64 / 1e6;
    eprintln!(
        "gen_tenant: {n_users} users ({t_users:.2}s), {n_int} interactive + {n_non} non-interactive sign-ins, \
         {mb:.0} MB of sign-ins, avg {:.0} B/row, {secs:.1}s total ({:.0} rows/s, {:.0} MB/s)",
        (b_int + b_non) as f64 / n_signins.max(1) as f64,
        n_signins as f64 / secs,
        mb / secs
    );
    println!("{}", out.display());
    Ok(())
}
