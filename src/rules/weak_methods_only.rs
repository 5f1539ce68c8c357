//! `weak-methods-only`: registered with SMS / voice phone methods only.

use super::{Code, Ctx, Explain, Rule, Severity, methods_text, need};
use crate::tenant::accounts::Account;
use crate::values::{self, MethodClass};

pub struct WeakMethodsOnly;

impl Rule for WeakMethodsOnly {
    fn code(&self) -> Code {
        Code::WeakMethodsOnly
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn needs(&self) -> &'static str {
        "method lists (methodsRegistered or legacy methods)"
    }
    fn explain(&self) -> Explain {
        Explain {
            what: "Every MFA method the account has is a phone method (SMS or voice call).",
            why: "SMS and voice are open to SIM swap and interception and are the weakest MFA Microsoft supports; they are also what attackers downgrade to.",
            fix: "Ask the user to add Microsoft Authenticator or a passkey (a registration campaign can nudge them), then consider removing SMS from the allowed methods.".into(),
        }
    }
    fn ready(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        need(&[&ctx.avail.methods])
    }
    fn flag(&self, _ctx: &Ctx<'_>, _i: usize, a: &Account) -> Option<String> {
        if a.registered != Some(true) {
            return None;
        }
        let m = a.methods.as_ref()?;
        if m.iter()
            .any(|x| values::method_class(x) == MethodClass::Unknown)
        {
            return None;
        }
        let classes = a.mfa_classes();
        (!classes.is_empty() && classes.iter().all(|c| *c == MethodClass::Phone))
            .then(|| format!("phone methods only ({})", methods_text(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::WeakMethodsOnly;
    use crate::rules::testing::flags;

    fn registered_with(methods: &[&str]) -> Option<String> {
        let m: Vec<String> = methods.iter().map(|s| s.to_string()).collect();
        flags(&WeakMethodsOnly, move |a| {
            a.registered = Some(true);
            a.methods = Some(m);
        })
    }

    #[test]
    fn flags_phone_methods_only() {
        assert!(registered_with(&["mobilePhone", "officePhone", "email"]).is_some());
    }

    #[test]
    fn near_miss_an_app_method_or_an_unknown_method() {
        assert_eq!(
            registered_with(&["mobilePhone", "softwareOneTimePasscode"]),
            None
        );
        // An unknown future method might be strong: never call the account weak because of it.
        assert_eq!(registered_with(&["mobilePhone", "quantumToken"]), None);
    }
}
