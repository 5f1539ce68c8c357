//! `invalid-phone`: the directory mobile number is not a valid phone number.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::{Account, Phone};

pub struct InvalidPhone;

impl Rule for InvalidPhone {
    fn code(&self) -> Code {
        Code::InvalidPhone
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "a users export with a mobile phone column"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The directory mobile number cannot be parsed as a valid phone number for its country.",
            why: "It cannot be pre-populated as an authentication method, and SSPR or people searching the directory get a wrong number.",
            fix: format!(
                "Correct the number in the source of authority (HR feed or on-premises AD), see {}.",
                BulkFile::DirectoryPhoneFixes.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.mobile])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        match &a.mobile {
            Phone::Invalid { raw, why } => Some(format!("mobile `{raw}`: {why}")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::InvalidPhone;
    use crate::rules::testing::{flags, mobile};

    use crate::tenant::accounts::Phone;

    #[test]
    fn flags_an_invalid_mobile() {
        let d = flags(&InvalidPhone, |a| {
            a.mobile = Phone::Invalid {
                raw: "12345".into(),
                why: "too short".into(),
            }
        });
        assert_eq!(d.as_deref(), Some("mobile `12345`: too short"));
    }

    #[test]
    fn near_miss_a_valid_or_absent_mobile() {
        assert_eq!(
            flags(&InvalidPhone, |a| a.mobile = mobile("+1 4255550100")),
            None
        );
        assert_eq!(flags(&InvalidPhone, |_| {}), None);
    }
}
