//! What the inputs make possible, decided once per audit: for each kind of evidence a rule may
//! need, either where it comes from (`Ok`) or why it is missing (`Err`). Rules read this to
//! decide whether they can run; none flags on missing data.

use crate::input::records::Records;
use crate::input::sign_in_evidence::SignIns;
use crate::input::{InputInfo, Kind};
use crate::tenant::accounts::EvidencePlan;
use crate::values::{Millis, fmt_date};

/// Whether an input the rules need exists: `Ok(source)` or `Err(why not)`.
pub type Have = Result<String, String>;

/// What the inputs make possible.
#[derive(Debug, Clone)]
pub struct Availability {
    /// A registration input (registration details, or per-user methods).
    pub registration: Have,
    /// Admin role information (`isAdmin`).
    pub admin: Have,
    /// Method lists (`methodsRegistered` or legacy methods).
    pub methods: Have,
    /// A directory mobile phone column.
    pub mobile: Have,
    /// Something that shows authentication phones (phone methods, authenticationPhoneNumber, MFA phone).
    pub auth_phone: Have,
    pub per_user: Have,
    pub exclusions: Have,
    /// Interactive sign-in evidence reaching back to the stale threshold.
    pub interactive: Have,
    pub non_interactive: Have,
    /// Registration prompts (sign-in logs with error codes).
    pub prompts: Have,
    /// Sign-in evidence reaching back to the dormant threshold.
    pub dormant: Have,
}

/// The facts about the inputs that availability is decided from.
pub struct Inputs<'a> {
    pub records: &'a Records,
    pub files: &'a [InputInfo],
    pub sign_ins: &'a SignIns,
    pub plan: EvidencePlan,
    /// Why `signInActivity` cannot stand in for logs, when it cannot.
    pub no_activity: &'a str,
    pub stale_since: Millis,
    pub dormant_since: Millis,
    pub dormant_after_days: i64,
}

impl Inputs<'_> {
    fn has_col(&self, kind: Kind, col: &str) -> bool {
        self.records.has_col(kind, col)
    }

    fn has_file(&self, kind: Kind) -> bool {
        self.files.iter().any(|i| i.kind == kind)
    }
}

fn have(ok: bool, yes: &str, no: &str) -> Have {
    if ok {
        Ok(yes.to_string())
    } else {
        Err(no.to_string())
    }
}

impl Availability {
    pub fn from_inputs(f: &Inputs<'_>) -> Availability {
        let pu_methods = f.has_col(Kind::PerUserMfa, "methods");
        // Method lists: `methodsRegistered`, or one True/False column per method.
        let reg_methods = f.has_col(Kind::Registration, "methodsRegistered")
            || crate::input::schema::METHOD_FLAGS
                .iter()
                .any(|(col, _)| f.has_col(Kind::Registration, col));
        let users_kind = !f.records.users.is_empty() || f.has_file(Kind::Users);
        Availability {
            registration: have(
                f.has_file(Kind::Registration) || pu_methods,
                "registration input",
                "no registration details input (user registration details export)",
            ),
            admin: have(
                f.has_col(Kind::Registration, "isAdmin") || f.has_col(Kind::PerUserMfa, "isAdmin"),
                "isAdmin",
                "the registration input has no isAdmin column (and no per-user export with IsAdmin)",
            ),
            methods: have(
                reg_methods || pu_methods,
                "method lists",
                "no methodsRegistered column in the registration input (and no per-user methods)",
            ),
            mobile: if users_kind {
                have(
                    f.has_col(Kind::Users, "mobilePhone"),
                    "mobilePhone",
                    "the users export has no mobile phone column",
                )
            } else {
                Err("no users export (the directory mobile phone comes from it)".to_string())
            },
            auth_phone: have(
                reg_methods
                    || pu_methods
                    || f.has_col(Kind::Users, "authenticationPhoneNumber")
                    || f.has_col(Kind::PerUserMfa, "mfaPhone"),
                "authentication phones",
                "nothing shows authentication phones (no methodsRegistered, authenticationPhoneNumber or MFA phone column)",
            ),
            per_user: have(
                !f.records.per_user.is_empty() || f.has_file(Kind::PerUserMfa),
                "per-user MFA export",
                "no per-user MFA state export",
            ),
            exclusions: have(
                f.has_file(Kind::Exclusions),
                "exclusions",
                "no exclusions file",
            ),
            interactive: interactive(f),
            non_interactive: non_interactive(f),
            prompts: have(
                f.plan.interactive_logs || f.plan.non_interactive_logs,
                "sign-in logs",
                "no sign-in logs (registration prompts are only in the logs' error codes)",
            ),
            dormant: dormant(f),
        }
    }

    /// Where the sign-in evidence comes from, in words (summary and workbook).
    pub fn evidence_text(&self) -> String {
        match (&self.interactive, &self.non_interactive) {
            (Ok(a), Ok(b)) => format!("interactive: {a}; non-interactive: {b}"),
            (Ok(a), Err(b)) => format!("interactive: {a}; non-interactive: none ({b})"),
            (Err(a), Ok(b)) => format!("interactive: none ({a}); non-interactive: {b}"),
            (Err(a), Err(_)) => format!("none ({a})"),
        }
    }
}

/// Interactive evidence must reach back to the stale threshold to show that nothing happened since.
fn interactive(f: &Inputs<'_>) -> Have {
    if f.plan.interactive_logs {
        match f.sign_ins.interactive_span.0 {
            Some(start) if start <= f.stale_since => {
                Ok(format!("interactive sign-in logs from {}", fmt_date(start)))
            }
            Some(start) => Err(format!(
                "the interactive sign-in logs start {}, after the stale threshold {}, so they cannot show that no interactive sign-in happened since then",
                fmt_date(start),
                fmt_date(f.stale_since)
            )),
            None => Err("the interactive sign-in logs hold no usable rows".to_string()),
        }
    } else if f.plan.activity_interactive {
        Ok(
            "signInActivity.lastSignInDateTime (interactive attempts, failures included)"
                .to_string(),
        )
    } else {
        Err(format!(
            "no interactive sign-in logs, and {}",
            f.no_activity
        ))
    }
}

fn non_interactive(f: &Inputs<'_>) -> Have {
    if f.plan.non_interactive_logs {
        Ok("non-interactive sign-in logs".to_string())
    } else if f.plan.activity_non_interactive {
        Ok("signInActivity.lastNonInteractiveSignInDateTime".to_string())
    } else {
        Err(format!(
            "no non-interactive sign-in logs, and {}",
            f.no_activity
        ))
    }
}

/// Dormancy needs evidence reaching back to the dormant threshold.
fn dormant(f: &Inputs<'_>) -> Have {
    let s = f.sign_ins;
    let log_start = match (s.interactive_span.0, s.non_interactive_span.0) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if f.plan.activity_interactive || f.plan.activity_non_interactive {
        Ok("signInActivity".to_string())
    } else if f.plan.interactive_logs || f.plan.non_interactive_logs {
        match log_start {
            Some(s) if s <= f.dormant_since => Ok(format!("sign-in logs from {}", fmt_date(s))),
            Some(s) => Err(format!(
                "the sign-in logs start {}, after the dormant threshold {} (--dormant-after {}), and there are no signInActivity values",
                fmt_date(s),
                fmt_date(f.dormant_since),
                f.dormant_after_days
            )),
            None => Err("the sign-in logs hold no usable rows".to_string()),
        }
    } else {
        Err(format!("no sign-in logs, and {}", f.no_activity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn plan(logs: bool, activity: bool) -> EvidencePlan {
        EvidencePlan {
            interactive_logs: logs,
            non_interactive_logs: logs,
            activity_interactive: activity,
            activity_non_interactive: activity,
            activity_successful: false,
        }
    }

    fn decide(sign_ins: &SignIns, p: EvidencePlan, stale_since: Millis) -> Availability {
        let records = Records::default();
        Availability::from_inputs(&Inputs {
            records: &records,
            files: &[],
            sign_ins,
            plan: p,
            no_activity: "no signInActivity in the users export",
            stale_since,
            dormant_since: stale_since - 90 * DAY,
            dormant_after_days: 90,
        })
    }

    #[test]
    fn logs_starting_after_the_stale_threshold_cannot_show_staleness() {
        let s = SignIns {
            interactive_span: (Some(100 * DAY), Some(200 * DAY)),
            ..Default::default()
        };
        let late = decide(&s, plan(true, false), 50 * DAY);
        assert!(late.interactive.is_err());
        let early = decide(&s, plan(true, false), 150 * DAY);
        assert!(early.interactive.is_ok());
        // Logs from day 100 do not reach the dormant threshold (day 60) either.
        assert!(early.dormant.is_err());
    }

    #[test]
    fn nothing_given_means_nothing_available_and_says_why() {
        let a = decide(&SignIns::default(), plan(false, false), 0);
        for h in [
            &a.registration,
            &a.interactive,
            &a.prompts,
            &a.dormant,
            &a.mobile,
        ] {
            assert!(h.as_ref().is_err_and(|e| !e.is_empty()));
        }
        let b = decide(&SignIns::default(), plan(false, true), 0);
        assert!(b.interactive.is_ok() && b.dormant.is_ok() && b.prompts.is_err());
        assert_eq!(
            b.evidence_text(),
            "interactive: signInActivity.lastSignInDateTime (interactive attempts, failures included); non-interactive: signInActivity.lastNonInteractiveSignInDateTime"
        );
    }
}
