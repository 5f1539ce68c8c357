//! `phone-not-prepopulated`: unregistered, no authentication phone, but a valid directory mobile.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::accounts::{Account, Phone};
use crate::bulk_file::BulkFile;

pub struct PhoneNotPrepopulated;

impl Rule for PhoneNotPrepopulated {
    fn code(&self) -> Code {
        Code::PhoneNotPrepopulated
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "a users export with a mobile phone column, and registration details (or authentication phones)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is not registered (or unknown) and has no authentication phone, but the directory holds a valid mobile number.",
            why: "An administrator can pre-populate that number as the user's mobile phone method, so enforcement does not lock the user out.",
            fix: format!(
                "Feed {} to a script calling POST /users/{{id}}/authentication/phoneMethods.",
                BulkFile::PhonePrepopulate.path()
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
            Phone::Valid(p) => Some(format!(
                "{state}; no authentication phone; directory mobile {p} can be pre-populated"
            )),
            _ => None,
        }
    }
}
