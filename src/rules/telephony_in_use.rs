//! `telephony-in-use`: the account has a stronger usable method, but still uses SMS or voice:
//! the logs show a successful SMS/voice MFA step, or its preferred method is SMS/voice while
//! system-preferred MFA is off for it.

use super::{Code, Ctx, Explain, Rule, Severity, days_left, need};
use crate::tenant::accounts::Account;

pub struct TelephonyInUse;

/// What shows SMS/voice in use, when it is (shared with `passkey-not-allowed`).
pub fn in_use(a: &Account) -> Option<String> {
    if a.registered != Some(true) || !a.telephony.has_stronger() {
        return None;
    }
    let mut why = Vec::new();
    if let Some(t) = a.last_telephony_mfa {
        why.push(format!(
            "last SMS/voice MFA step in the logs {}",
            crate::values::fmt_date(t)
        ));
    }
    if a.telephony.preferred_telephony {
        why.push(format!(
            "preferred method {} while system-preferred MFA is off for it",
            a.preferred_method
                .as_deref()
                .or(a.default_method.as_deref())
                .unwrap_or("SMS/voice")
        ));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

impl Rule for TelephonyInUse {
    fn code(&self) -> Code {
        Code::TelephonyInUse
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "method lists, and sign-in logs carrying the methods used or the registration details' preferred method"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account has a usable MFA method other than SMS/voice, but still signs in with SMS or a voice call (seen in the sign-in logs), or its preferred method is SMS/voice while system-preferred MFA is off for it.",
            why: "SMS and voice codes stop on 2027-02-01 (2027-07-01 for Global Administrators and external users). A user in the habit of choosing SMS is the one who calls the help desk that morning; system-preferred MFA would offer the stronger method first.",
            fix: "Turn on system-preferred MFA (Authentication methods > Settings), put the account in the passkey campaign group (bulk/passkey-campaign-group-add.csv), and ask the user to switch the default sign-in method in My Sign-Ins.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.methods, &ctx.telephony.in_use_evidence])
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        in_use(a).map(|why| {
            format!(
                "{why}; SMS and voice stop {}",
                days_left(ctx, a.telephony.retirement)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::TelephonyInUse;
    use crate::rules::testing::{AS_OF, DAY, flags};

    fn with(f: impl Fn(&mut crate::tenant::accounts::Account)) -> Option<String> {
        flags(&TelephonyInUse, move |a| {
            a.registered = Some(true);
            a.methods = Some(vec![
                "mobilePhone".into(),
                "microsoftAuthenticatorPush".into(),
            ]);
            a.telephony.usable = a.methods.clone();
            f(a)
        })
    }

    #[test]
    fn flags_a_logged_sms_step_or_a_preferred_sms_method() {
        let d = with(|a| a.last_telephony_mfa = Some(AS_OF - 3 * DAY));
        assert!(d.is_some_and(|d| d.contains("last SMS/voice MFA step")));
        let d = with(|a| {
            a.telephony.preferred_telephony = true;
            a.preferred_method = Some("sms".into());
        });
        assert!(d.is_some_and(|d| d.contains("preferred method sms")));
    }

    #[test]
    fn near_miss_no_evidence_or_no_stronger_method() {
        assert_eq!(with(|_| {}), None);
        assert_eq!(
            with(|a| {
                a.last_telephony_mfa = Some(AS_OF - DAY);
                a.telephony.usable = Some(vec!["mobilePhone".into()]);
            }),
            None
        );
    }
}
