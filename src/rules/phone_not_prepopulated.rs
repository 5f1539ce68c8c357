//! `phone-not-prepopulated`: unregistered, no authentication phone, but a valid directory mobile.

use super::{Code, Ctx, Explain, Rule, Severity, need, needs_phone_enrollment, phone_window};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::{Account, Phone};

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
            why: "An administrator can pre-populate that number as the user's mobile phone method, so enforcement does not lock the user out. That number works only until Microsoft stops delivering SMS and voice (2027-02-01; 2027-07-01 for Global Administrators and external users): the detail says how many days are left, and from that date the account is left out of the pre-population file unless --telecom-provider is given. Prefer a passkey or Microsoft Authenticator where the user can register one.",
            fix: format!(
                "Feed {} to a script calling POST /users/{{id}}/authentication/phoneMethods.",
                BulkFile::PhonePrepopulate.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.mobile, &ctx.avail.auth_phone])
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        let left = phone_window(ctx, a)?;
        let state = needs_phone_enrollment(a)?;
        match &a.mobile {
            Phone::Valid(p) => Some(format!(
                "{state}; no authentication phone; directory mobile {p} can be pre-populated{left}"
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PhoneNotPrepopulated;
    use crate::rules::testing::{flags, mobile};

    #[test]
    fn flags_unregistered_with_a_valid_directory_mobile() {
        let d = flags(&PhoneNotPrepopulated, |a| {
            a.registered = None;
            a.mobile = mobile("+1 4255550100");
        });
        assert!(
            d.is_some_and(|d| d.starts_with("registration unknown") && d.contains("+1 4255550100"))
        );
    }

    #[test]
    fn near_miss_registered_or_no_valid_mobile() {
        let registered = flags(&PhoneNotPrepopulated, |a| {
            a.registered = Some(true);
            a.mobile = mobile("+1 4255550100");
        });
        assert_eq!(registered, None);
        assert_eq!(
            flags(&PhoneNotPrepopulated, |a| a.registered = Some(false)),
            None
        );
    }
}
