//! Header aliases: for each input kind, the canonical columns and every real header that means
//! them (docs/inputs.md, "Header alias table"). Header matching ignores case, surrounding
//! whitespace and repeated inner spaces. This is the one place to teach the tool a new export's
//! header.

use super::Kind;

/// One canonical column and the headers that carry it, in order of preference.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

const fn col(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases }
}

pub const USERS: &[Column] = &[
    col("id", &["id", "objectId", "Object Id", "ObjectId"]),
    col(
        "userPrincipalName",
        &["userPrincipalName", "User principal name", "UPN"],
    ),
    col("displayName", &["displayName", "Display name"]),
    col("userType", &["userType", "User type"]),
    col("accountEnabled", &["accountEnabled", "Account enabled"]),
    col("blockCredential", &["Block credential", "BlockCredential"]),
    col("department", &["department"]),
    col("jobTitle", &["jobTitle", "Title"]),
    col("usageLocation", &["usageLocation", "Usage location"]),
    col("mobilePhone", &["mobilePhone", "mobile", "Mobile Phone"]),
    col(
        "authenticationPhoneNumber",
        &["authenticationPhoneNumber", "Authentication phone"],
    ),
    col("createdDateTime", &["createdDateTime", "When created"]),
    col(
        "lastSignInDateTime",
        &["signInActivity.lastSignInDateTime", "lastSignInDateTime"],
    ),
    col(
        "lastNonInteractiveSignInDateTime",
        &[
            "signInActivity.lastNonInteractiveSignInDateTime",
            "lastNonInteractiveSignInDateTime",
        ],
    ),
    col(
        "lastSuccessfulSignInDateTime",
        &[
            "signInActivity.lastSuccessfulSignInDateTime",
            "lastSuccessfulSignInDateTime",
        ],
    ),
];

pub const REGISTRATION: &[Column] = &[
    col("id", &["id"]),
    // `user`: incident-response suites' MFA-AuthenticationMethods.csv.
    col("userPrincipalName", &["userPrincipalName", "user"]),
    col("displayName", &["userDisplayName", "displayName"]),
    col("userType", &["userType"]),
    col("isAdmin", &["isAdmin"]),
    col("isMfaRegistered", &["isMfaRegistered"]),
    col("isMfaCapable", &["isMfaCapable"]),
    col("methodsRegistered", &["methodsRegistered", "authMethods"]),
    col("defaultMfaMethod", &["defaultMfaMethod"]),
    col("lastUpdatedDateTime", &["lastUpdatedDateTime"]),
    col(
        "isSystemPreferredAuthenticationMethodEnabled",
        &["isSystemPreferredAuthenticationMethodEnabled"],
    ),
    col(
        "userPreferredMethodForSecondaryAuthentication",
        &["userPreferredMethodForSecondaryAuthentication"],
    ),
    // MFA-AuthenticationMethods.csv (incident-response export suites): `MFAstatus` Enabled /
    // Disabled = has an MFA method (not per-user state), one True/False column per method.
    col("mfaStatus", &["MFAstatus"]),
    col("hasFido2", &["fido2"]),
    col("hasAuthenticatorApp", &["app"]),
    col("hasPhone", &["phone"]),
    col("hasSoftwareOath", &["softwareoath"]),
    col("hasHelloForBusiness", &["hellobusiness"]),
    col("hasTemporaryAccessPass", &["temporaryAccessPass"]),
    col("hasEmail", &["email"]),
];

/// The per-method True/False columns of MFA-AuthenticationMethods.csv and the Graph method
/// names they stand for.
pub const METHOD_FLAGS: [(&str, &str); 7] = [
    ("hasFido2", "fido2"),
    ("hasAuthenticatorApp", "microsoftAuthenticatorPush"),
    ("hasPhone", "mobilePhone"),
    ("hasSoftwareOath", "softwareOneTimePasscode"),
    ("hasHelloForBusiness", "windowsHelloForBusiness"),
    ("hasTemporaryAccessPass", "temporaryAccessPass"),
    ("hasEmail", "email"),
];

pub const SIGN_INS: &[Column] = &[
    col(
        "createdDateTime",
        &[
            "createdDateTime",
            "Date (UTC)",
            "Date",
            "properties.createdDateTime",
            "TimeGenerated",
            "time",
        ],
    ),
    col("userId", &["userId", "User ID", "properties.userId"]),
    col(
        "userPrincipalName",
        &[
            "userPrincipalName",
            "Username",
            "User principal name",
            "properties.userPrincipalName",
        ],
    ),
    // Log Analytics: JSON in the cell (or split into Status_dynamic).
    col("status", &["Status", "Status_dynamic"]),
    col(
        "errorCode",
        &[
            "status.errorCode",
            "Sign-in error code",
            "ResultType",
            "properties.status.errorCode",
            "resultType",
        ],
    ),
    col(
        "isInteractive",
        &["isInteractive", "properties.isInteractive"],
    ),
    col(
        "signInEventTypes",
        &["signInEventTypes", "properties.signInEventTypes"],
    ),
    // Log Analytics `Category` and archive `category`: the table a row came from.
    col("category", &["Category"]),
    // Log Analytics `Type`: the table name.
    col("table", &["Type"]),
    // Archive record id, for de-duplication.
    col("recordId", &["properties.id"]),
    // The methods used at sign-in (docs/inputs.md, "Methods used at sign-in"): Graph and portal JSON `authenticationDetails`
    // (an array, kept as JSON text), Log Analytics `AuthenticationDetails` (JSON in a cell),
    // archive `properties.authenticationDetails`.
    col(
        "authenticationDetails",
        &["authenticationDetails", "properties.authenticationDetails"],
    ),
    // The single MFA method of a row: the portal CSV's column (and its French header), Graph's
    // deprecated `mfaDetail.authMethod`, Log Analytics `MfaDetail` (JSON in a cell, split into
    // `MfaDetail_dynamic` by some exports).
    col(
        "mfaAuthMethod",
        &[
            "Multifactor authentication auth method",
            "Méthode d'authentification multifacteur",
            "mfaDetail.authMethod",
            "properties.mfaDetail.authMethod",
            "MfaDetail",
            "MfaDetail_dynamic",
        ],
    ),
    // The portal CSV's MFA outcome ("MFA successfully completed", "MFA completed in Azure AD").
    col("mfaResult", &["Multifactor authentication result"]),
];

/// The per-user summary the shipped queries write (Log Analytics adds ` [UTC]` to the dates).
pub const SIGN_IN_SUMMARY: &[Column] = &[
    col("userId", &["userId"]),
    col("userPrincipalName", &["userPrincipalName"]),
    col("lastInteractiveSignIn", &["lastInteractiveSignIn"]),
    col("lastNonInteractiveSignIn", &["lastNonInteractiveSignIn"]),
    col("registrationPrompts", &["registrationPrompts"]),
    col("signIns", &["signIns"]),
    col("windowStart", &["windowStart"]),
    col("windowEnd", &["windowEnd"]),
    // Optional: the latest successful text-message or phone-call MFA step in the window.
    col("lastTelephonyMfa", &["lastTelephonyMfa"]),
];

pub const PER_USER_MFA: &[Column] = &[
    col("id", &["ObjectId", "id", "Object Id"]),
    col(
        "userPrincipalName",
        &["UserPrincipalName", "UPN", "User principal name"],
    ),
    col("displayName", &["DisplayName", "Name"]),
    col(
        "perUserMfaState",
        &[
            "MFAStatus",
            "MFA Status",
            "Per-user MFA Status",
            "perUserMfaState",
            "StrongAuthenticationRequirements.State",
        ],
    ),
    col(
        "methods",
        &[
            "AllMFAMethods",
            "Registered Authentication Methods",
            "StrongAuthenticationMethods",
            "MFA Methods",
        ],
    ),
    col("mfaPhone", &["MFAPhone", "MFA Phone", "PhoneNumber"]),
    col("isAdmin", &["IsAdmin"]),
];

pub const EXCLUSIONS: &[Column] = &[
    col("id", &["id", "objectId"]),
    col("userPrincipalName", &["userPrincipalName", "UPN"]),
    col("reason", &["reason"]),
    col(
        "expires",
        &["expires", "expiry", "expiresOn", "expiresDateTime"],
    ),
];

pub const AUTH_DETAILS: &[Column] = &[
    col("requestId", &["Request ID"]),
    col("method", &["Authentication method"]),
];

/// The canonical columns of a kind.
pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Users => USERS,
        Kind::Registration => REGISTRATION,
        Kind::SignIns => SIGN_INS,
        Kind::SignInSummary => SIGN_IN_SUMMARY,
        Kind::PerUserMfa => PER_USER_MFA,
        Kind::Exclusions => EXCLUSIONS,
        Kind::AuthDetails => AUTH_DETAILS,
        Kind::SecureScores | Kind::ScoreProfiles | Kind::Recommendations => &[],
    }
}

/// Lowercase, trimmed, inner whitespace collapsed: the form headers are compared in.
pub fn norm(h: &str) -> String {
    let n = h
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    // Log Analytics exports mark datetime columns `TimeGenerated [UTC]`.
    match n.strip_suffix(" [utc]") {
        Some(base) => base.to_string(),
        None => n,
    }
}

/// How a file's headers map onto a kind's canonical columns.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Mapping {
    /// For each canonical column (in `columns(kind)` order), the header index it is read from.
    #[serde(skip)]
    pub index: Vec<Option<usize>>,
    /// (canonical column, header as found) for every mapped column.
    pub mapped: Vec<(String, String)>,
    /// Headers that carry nothing this tool uses.
    pub ignored: Vec<String>,
    /// (header, 1-based position) of repeated headers; the first occurrence is used.
    pub duplicates: Vec<(String, usize)>,
    /// 1-based positions of columns whose header is empty.
    pub empty: Vec<usize>,
}

impl Mapping {
    pub fn new(kind: Kind, headers: &[String]) -> Mapping {
        let normed: Vec<String> = headers.iter().map(|h| norm(h)).collect();
        let mut first_pos: std::collections::HashMap<&str, usize> = Default::default();
        let mut duplicates = Vec::new();
        for (i, h) in normed.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if first_pos.contains_key(h.as_str()) {
                duplicates.push((headers[i].clone(), i + 1));
            } else {
                first_pos.insert(h, i);
            }
        }
        let mut index = Vec::new();
        let mut mapped = Vec::new();
        let mut used = vec![false; headers.len()];
        for c in columns(kind) {
            let found = c
                .aliases
                .iter()
                .find_map(|a| first_pos.get(norm(a).as_str()).copied());
            if let Some(i) = found {
                used[i] = true;
                mapped.push((c.name.to_string(), headers[i].trim().to_string()));
            }
            index.push(found);
        }
        let ignored = headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !used[*i] && !h.trim().is_empty())
            .filter(|(i, _)| !duplicates.iter().any(|(_, p)| p - 1 == *i))
            .map(|(_, h)| h.trim().to_string())
            .collect();
        let empty = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim().is_empty())
            .map(|(i, _)| i + 1)
            .collect();
        Mapping {
            index,
            mapped,
            ignored,
            duplicates,
            empty,
        }
    }

    pub fn has(&self, kind: Kind, name: &str) -> bool {
        debug_assert!(
            columns(kind).iter().any(|c| c.name == name),
            "{name} is not a canonical {} column",
            kind.label()
        );
        columns(kind)
            .iter()
            .position(|c| c.name == name)
            .and_then(|p| self.index.get(p).copied().flatten())
            .is_some()
    }

    /// Position of a canonical column in the projected row, if the file has it.
    /// `None` when `name` is not a canonical column of `kind` (a typo cannot pass silently).
    pub fn pos(kind: Kind, name: &str) -> Option<usize> {
        // Callers pass the same static names: compare addresses first, text only if needed.
        let cols = columns(kind);
        let p = cols
            .iter()
            .position(|c| std::ptr::eq(c.name, name))
            .or_else(|| cols.iter().position(|c| c.name == name));
        // A typo in a canonical name is a bug: debug builds (and so every test) stop on it.
        debug_assert!(
            p.is_some(),
            "{name} is not a canonical {} column",
            kind.label()
        );
        p
    }
}

/// Decides a file's kind from its headers. Returns the kind and why.
/// Columns only a users export has (not `id`, `displayName`, `accountEnabled` or
/// `createdDateTime`, which devices, strengths and named locations carry too).
const USERS_OWN: &[&str] = &[
    "userType",
    "department",
    "jobTitle",
    "usageLocation",
    "mobilePhone",
    "authenticationPhoneNumber",
    "blockCredential",
    "lastSignInDateTime",
    "lastNonInteractiveSignInDateTime",
    "lastSuccessfulSignInDateTime",
];

pub fn detect_kind(headers: &[String]) -> Option<(Kind, String)> {
    let m = |k: Kind| Mapping::new(k, headers);
    let sum = m(Kind::SignInSummary);
    if sum.has(Kind::SignInSummary, "windowStart")
        && sum.has(Kind::SignInSummary, "lastInteractiveSignIn")
    {
        return Some((
            Kind::SignInSummary,
            "has lastInteractiveSignIn and windowStart (the per-user sign-in summary of queries/)"
                .into(),
        ));
    }
    let s = m(Kind::SignIns);
    // A record of a sign-in table (Log Analytics `Category`, archive `category`) is a sign-in even
    // without a user: service-principal tables have none (their rows are then ignored).
    if s.has(Kind::SignIns, "createdDateTime")
        && (s.has(Kind::SignIns, "userId")
            || s.has(Kind::SignIns, "userPrincipalName")
            || s.has(Kind::SignIns, "category"))
        && (s.has(Kind::SignIns, "status")
            || s.has(Kind::SignIns, "errorCode")
            || s.has(Kind::SignIns, "isInteractive"))
    {
        return Some((
            Kind::SignIns,
            "has a sign-in date, a user or sign-in table column, and a status / error code column"
                .into(),
        ));
    }
    let a = m(Kind::AuthDetails);
    if a.has(Kind::AuthDetails, "requestId") && a.has(Kind::AuthDetails, "method") {
        return Some((
            Kind::AuthDetails,
            "has Request ID and Authentication method (the sign-in AuthDetails file)".into(),
        ));
    }
    let r = m(Kind::Registration);
    if r.has(Kind::Registration, "methodsRegistered")
        || r.has(Kind::Registration, "isMfaRegistered")
        || r.has(Kind::Registration, "isMfaCapable")
    {
        return Some((
            Kind::Registration,
            "has methodsRegistered / isMfaRegistered / isMfaCapable".into(),
        ));
    }
    // Per-user MFA reports have an `MFAStatus` column too (the per-user state): the method
    // columns tell the incident-response export apart.
    let flags = METHOD_FLAGS
        .iter()
        .filter(|(c, _)| r.has(Kind::Registration, c))
        .count();
    if r.has(Kind::Registration, "mfaStatus")
        && r.has(Kind::Registration, "userPrincipalName")
        && flags >= 3
    {
        return Some((
            Kind::Registration,
            "has user, MFAstatus and method columns (an incident-response MFA-AuthenticationMethods export)"
                .into(),
        ));
    }
    let p = m(Kind::PerUserMfa);
    if p.has(Kind::PerUserMfa, "perUserMfaState") {
        return Some((
            Kind::PerUserMfa,
            "has a per-user MFA state column (MFAStatus / MFA Status / Per-user MFA Status)".into(),
        ));
    }
    let e = m(Kind::Exclusions);
    if e.has(Kind::Exclusions, "reason")
        && (e.has(Kind::Exclusions, "userPrincipalName") || e.has(Kind::Exclusions, "id"))
        && headers.len() <= 5
    {
        return Some((Kind::Exclusions, "has a user and a reason column".into()));
    }
    let u = m(Kind::Users);
    let extra = [
        "displayName",
        "accountEnabled",
        "blockCredential",
        "userType",
        "department",
        "mobilePhone",
        "lastSignInDateTime",
    ]
    .iter()
    .any(|c| u.has(Kind::Users, c));
    if u.has(Kind::Users, "userPrincipalName") && extra {
        // This wording is in every workbook's Inputs sheet: kept as it was.
        return Some((
            Kind::Users,
            "has a user principal name or object id and directory attributes".into(),
        ));
    }
    // Without a user principal name, an object id and a display name are not enough (strengths,
    // named locations and devices have them too): several of the users export's own fields are.
    let own = USERS_OWN.iter().filter(|c| u.has(Kind::Users, c)).count();
    if u.has(Kind::Users, "id") && own >= 2 {
        return Some((
            Kind::Users,
            "has an object id and several of the users export's own columns".into(),
        ));
    }
    None
}
/// Headers as a message shows them: the first dozen, then how many more there are (a
/// ScubaGear export has about two hundred).
pub fn header_list(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut out = headers
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > SHOWN {
        out.push_str(&format!(" and {} more", headers.len() - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::header_list;

    #[test]
    fn header_list_shows_a_dozen_and_counts_the_rest() {
        let h: Vec<String> = (1..=200).map(|i| format!("h{i}")).collect();
        let s = header_list(&h);
        assert!(
            s.starts_with("h1, h2,") && s.ends_with("h12 and 188 more"),
            "{s}"
        );
        let few: Vec<String> = vec!["a".into(), "b".into()];
        assert_eq!(header_list(&few), "a, b");
    }
}
