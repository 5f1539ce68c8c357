//! `invalid-phone`: the directory mobile number is not a valid phone number.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::accounts::{Account, Phone};
use crate::bulk_file::BulkFile;

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
