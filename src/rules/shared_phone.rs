//! `shared-phone`: the same normalised mobile number on more than one in-scope account.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::{Account, Phone};

pub struct SharedPhone;

impl Rule for SharedPhone {
    fn code(&self) -> Code {
        Code::SharedPhone
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "a users export with a mobile phone column"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account's directory mobile number (after normalisation) is also on another in-scope account.",
            why: "Pre-populating a shared number gives one person the second factor of several accounts; it is often a switchboard or a manager's phone typed in for a team.",
            fix: format!(
                "Find the right personal number for each account before pre-populating; see {}.",
                BulkFile::DirectoryPhoneFixes.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.mobile])
    }
    fn flag(&self, ctx: &Ctx<'_>, i: usize, a: &Account) -> Option<String> {
        let Phone::Valid(p) = &a.mobile else {
            return None;
        };
        let others = ctx.shared_phones.get(p)?;
        let names: Vec<&str> = others
            .iter()
            .filter(|j| **j != i)
            .take(5)
            .map(|j| ctx.accounts[*j].upn.as_str())
            .collect();
        let more = others.len().saturating_sub(1 + names.len());
        Some(format!(
            "mobile {p} is also on {}{}",
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::SharedPhone;
    use crate::rules::testing::mobile;

    use crate::rules::testing::{account, flags_among};

    fn with_mobile(upn: &str, p: &str, in_scope: bool) -> crate::tenant::accounts::Account {
        let mut a = account(upn);
        a.mobile = mobile(p);
        a.in_scope = in_scope;
        a
    }

    #[test]
    fn flags_a_number_on_two_in_scope_accounts() {
        let d = flags_among(
            &SharedPhone,
            vec![
                with_mobile("a@contoso.com", "+1 4255550100", true),
                with_mobile("b@contoso.com", "+1 4255550100", true),
            ],
        );
        assert_eq!(
            d.as_deref(),
            Some("mobile +1 4255550100 is also on b@contoso.com")
        );
    }

    #[test]
    fn near_miss_other_account_out_of_scope_or_other_number() {
        let out = flags_among(
            &SharedPhone,
            vec![
                with_mobile("a@contoso.com", "+1 4255550100", true),
                with_mobile("b@contoso.com", "+1 4255550100", false),
            ],
        );
        assert_eq!(out, None);
        let other = flags_among(
            &SharedPhone,
            vec![
                with_mobile("a@contoso.com", "+1 4255550100", true),
                with_mobile("b@contoso.com", "+1 4255550101", true),
            ],
        );
        assert_eq!(other, None);
    }
}
