//! `missing-phone`: unregistered, no authentication phone, nothing in the directory to pre-populate.

use super::{Code, Ctx, Explain, Rule, Severity, need, needs_phone_enrollment, phone_window};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::{Account, Phone};

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
            why: "Without a number the administrator cannot pre-populate a phone method, so the user can only be enrolled with their own interaction. A phone serves only until Microsoft stops delivering SMS and voice (2027-02-01; 2027-07-01 for Global Administrators and external users): the detail says how many days are left, and from that date this check is not made for the account unless --telecom-provider says a customer-managed provider keeps SMS and voice going.",
            fix: format!(
                "Collect a mobile number (HR system, manager) and fix the directory ({}), or issue a temporary access pass for guided registration.",
                BulkFile::DirectoryPhoneFixes.path()
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
            Phone::Valid(_) => None,
            Phone::None => Some(format!(
                "{state}; no authentication phone and no directory mobile number{left}"
            )),
            Phone::Invalid { raw, .. } => Some(format!(
                "{state}; no authentication phone and the directory mobile `{raw}` is not a usable number{left}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MissingPhone;
    use crate::rules::testing::{flags, mobile};

    #[test]
    fn flags_unregistered_without_any_phone() {
        let d = flags(&MissingPhone, |a| a.registered = Some(false));
        assert!(d.is_some_and(|d| d.starts_with("not registered; no authentication phone")));
    }

    #[test]
    fn near_miss_a_usable_mobile_or_an_authentication_phone() {
        let with_mobile = flags(&MissingPhone, |a| {
            a.registered = Some(false);
            a.mobile = mobile("+1 4255550100");
        });
        assert_eq!(with_mobile, None);
        let with_auth = flags(&MissingPhone, |a| {
            a.registered = Some(false);
            a.auth_phone = Some("+1 4255550100".into());
        });
        assert_eq!(with_auth, None);
    }
}
