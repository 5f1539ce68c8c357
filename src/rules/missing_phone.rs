//! `missing-phone`: unregistered, no authentication phone, nothing in the directory to pre-populate.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::accounts::{Account, Phone};
use crate::bulk_file::BulkFile;

pub struct MissingPhone;

impl Rule for MissingPhone {
    fn code(&self) -> Code {
        Code::MissingPhone
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "a users export with a mobile phone column, and registration details (or authentication phones)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is not registered (or unknown), has no authentication phone, and the directory has no usable mobile number for it.",
            why: "Without a number the administrator cannot pre-populate a phone method, so the user can only be enrolled with their own interaction.",
            fix: format!(
                "Collect a mobile number (HR system, manager) and fix the directory ({}), or issue a temporary access pass for guided registration.",
                BulkFile::DirectoryPhoneFixes.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.mobile, &ctx.avail.auth_phone])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if a.registered == Some(true) || a.auth_phone.is_some() {
            return None;
        }
        let state = if a.registered == Some(false) {
            "not registered"
        } else {
            "registration unknown"
        };
        match &a.mobile {
            Phone::Valid(_) => None,
            Phone::None => Some(format!(
                "{state}; no authentication phone and no directory mobile number"
            )),
            Phone::Invalid { raw, .. } => Some(format!(
                "{state}; no authentication phone and the directory mobile `{raw}` is not a usable number"
            )),
        }
    }
}
