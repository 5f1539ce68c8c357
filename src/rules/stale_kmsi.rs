//! `stale-kmsi`: unregistered, kept signed in by refresh tokens, never prompted to register.

use super::{Code, Ctx, Explain, Rule, Severity, need};
use crate::rules::bulk_file::BulkFile;
use crate::tenant::accounts::Account;
use crate::values::fmt_date;

pub struct StaleKmsi;

impl Rule for StaleKmsi {
    fn code(&self) -> Code {
        Code::StaleKmsi
    }
    fn severity(&self) -> Severity {
        Severity::High
    }
    fn needs(&self) -> &'static str {
        "registration details, and interactive and non-interactive sign-ins (logs reaching back to the stale threshold, or signInActivity)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "The account is not registered, has not signed in interactively since the threshold, but is still active through non-interactive (refresh token) sign-ins.",
            why: "Registration prompts only fire at an interactive sign-in. With \"Keep me signed in\" a user can go up to 90 days on refresh tokens without ever seeing one, so the campaign never reaches them.",
            fix: format!(
                "Revoke the user's sessions ({}, Revoke-MgUserSignInSession): the next sign-in is interactive and shows the registration prompt.",
                BulkFile::RevokeSessions.path()
            ),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[
            &ctx.avail.registration,
            &ctx.avail.interactive,
            &ctx.avail.non_interactive,
        ])
    }
    fn flag(&self, ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if a.registered != Some(false) {
            return None;
        }
        if a.last_interactive.is_some_and(|t| t >= ctx.stale_since) {
            return None;
        }
        let ni = a.last_non_interactive.filter(|t| *t >= ctx.active_since)?;
        let inter = match a.last_interactive {
            Some(t) => format!("last counted interactive sign-in {}", ctx.ago(t)),
            None => "no counted interactive sign-in".to_string(),
        };
        Some(format!(
            "not registered; {inter}, none since {}; non-interactive {} ({})",
            fmt_date(ctx.stale_since),
            ctx.ago(ni),
            a.sign_in_source.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::StaleKmsi;
    use crate::rules::testing::{ago, flags};

    #[test]
    fn flags_refresh_tokens_without_an_interactive_sign_in() {
        let d = flags(&StaleKmsi, |a| {
            a.registered = Some(false);
            a.last_interactive = ago(40);
            a.last_non_interactive = ago(1);
        });
        assert!(d.is_some_and(|d| d.contains("last counted interactive sign-in 2026-10-12")));
        let never = flags(&StaleKmsi, |a| {
            a.registered = Some(false);
            a.last_non_interactive = ago(14);
        });
        assert!(never.is_some_and(|d| d.contains("no counted interactive sign-in")));
    }

    #[test]
    fn near_miss_recent_interactive_or_inactive_or_registered() {
        let recent = flags(&StaleKmsi, |a| {
            a.registered = Some(false);
            a.last_interactive = ago(14);
            a.last_non_interactive = ago(1);
        });
        assert_eq!(recent, None);
        let inactive = flags(&StaleKmsi, |a| {
            a.registered = Some(false);
            a.last_non_interactive = ago(15);
        });
        assert_eq!(inactive, None);
        let registered = flags(&StaleKmsi, |a| {
            a.registered = Some(true);
            a.last_non_interactive = ago(1);
        });
        assert_eq!(registered, None);
    }
}
