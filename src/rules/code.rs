//! Finding codes: the one place each code's text is spelled. Rules return a `Code`, and every
//! consumer (report, bulk selection, writers) matches on it, so renaming a code cannot silently
//! empty a bulk file.

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// A stable kebab-case finding code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in every output.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    AdminMfaNotEnforced => "admin-mfa-not-enforced",
    AdminNotPhishingResistant => "admin-not-phishing-resistant",
    AdminNotRegistered => "admin-not-registered",
    CaExclusionUndocumented => "ca-exclusion-undocumented",
    Dormant => "dormant",
    EnforcedWithoutMethod => "enforced-without-method",
    ExclusionExpired => "exclusion-expired",
    InvalidPhone => "invalid-phone",
    MfaNotEnforced => "mfa-not-enforced",
    MfaPartiallyEnforced => "mfa-partially-enforced",
    MissingPhone => "missing-phone",
    NotRegistered => "not-registered",
    PasskeyNotAllowed => "passkey-not-allowed",
    PerUserEnabledUnregistered => "per-user-enabled-unregistered",
    PhoneNotPrepopulated => "phone-not-prepopulated",
    RegisteredNotUsable => "registered-not-usable",
    RegistrationSkipped => "registration-skipped",
    RegistrationUnknown => "registration-unknown",
    SharedPhone => "shared-phone",
    StaleKmsi => "stale-kmsi",
    StrengthNotMet => "strength-not-met",
    TelephonyInUse => "telephony-in-use",
    WeakMethodsOnly => "weak-methods-only",
}

impl Code {
    /// The code for its text, if it is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// Codes order by their text, so outputs sort the same whatever order the variants are in.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_parses_back_and_is_kebab_case() {
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            );
        }
        assert_eq!(Code::parse("stale_kmsi"), None);
    }

    #[test]
    fn codes_sort_by_text() {
        let mut v = Code::ALL.to_vec();
        v.sort();
        let texts: Vec<&str> = v.iter().map(|c| c.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        assert_eq!(texts, sorted);
    }
}
