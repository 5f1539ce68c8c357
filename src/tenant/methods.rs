//! The authentication methods policy evaluated per account, for the end of Microsoft-provided
//! SMS and voice: which registered methods the account may use, whether it may register a
//! passkey and whether the registration campaign reaches it, its retirement date, and whether
//! it is registered without any method it may use (then it counts as not registered).

use crate::input::methods_policy::{MethodsPolicy, Targeted};
use crate::tenant::accounts::{Account, Telephony, Tri};
use crate::tenant::directory::Membership;
use crate::values::{self, MethodClass, Millis};

/// Global Administrator's role template id.
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The retirement dates and whether a customer-managed provider keeps SMS/voice going.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    pub retirement: Millis,
    pub late: Millis,
}

/// A reference in the methods policy to a user or group no input knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTarget {
    pub file: String,
    pub column: String,
    pub id: String,
    pub problem: String,
}

/// Fills every account's `telephony` facts and, where it is registered with no usable MFA
/// method, counts it as not registered.
pub fn apply(
    accounts: &mut [Account],
    members: &[Membership],
    policy: Option<&MethodsPolicy>,
    dates: Dates,
) {
    for (a, m) in accounts.iter_mut().zip(members) {
        a.telephony = evaluate(a, m, policy, dates);
        if let Some(why) = &a.telephony.not_usable
            && a.registered == Some(true)
        {
            a.registered = Some(false);
            a.registration_basis = format!("{} ({why})", a.registration_basis);
        }
    }
}

/// One account's facts.
pub fn evaluate(
    a: &Account,
    m: &Membership,
    policy: Option<&MethodsPolicy>,
    dates: Dates,
) -> Telephony {
    let methods = a.methods.as_deref().unwrap_or(&[]);
    let mfa: Vec<&String> = methods
        .iter()
        .filter(|x| values::method_class(x).is_mfa())
        .collect();
    let mut t = Telephony {
        methods: methods
            .iter()
            .filter(|x| values::method_class(x) == MethodClass::Phone)
            .cloned()
            .collect(),
        phishing_resistant: methods
            .iter()
            .any(|x| values::method_class(x) == MethodClass::PhishingResistant),
        retirement: retirement(a, m, dates),
        ..Default::default()
    };
    match policy {
        Some(p) => {
            let mut usable = Vec::new();
            for x in &mfa {
                match method_usable(x, a, m, p) {
                    Tri::Yes => usable.push((*x).clone()),
                    Tri::Unknown => t.undecided.push((*x).clone()),
                    Tri::No => {}
                }
            }
            if a.registered == Some(true) && usable.is_empty() && t.undecided.is_empty() {
                t.not_usable = Some(format!(
                    "the authentication methods policy allows none of its methods: {}",
                    if mfa.is_empty() {
                        "no MFA method in the list".to_string()
                    } else {
                        mfa.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ));
            }
            t.usable = a.methods.as_ref().map(|_| usable);
            t.passkey_allowed = Some(match p.config("fido2") {
                Some(c) if c.targets.state == "enabled" => scope(&c.targets, a, m),
                _ => Tri::No,
            });
            t.campaign_targeted = Some(match &p.campaign {
                Some(c) if c.state != "disabled" => scope(c, a, m),
                _ => Tri::No,
            });
        }
        None => {
            if a.registered == Some(true) && a.mfa_capable == Some(false) && registered_flag(a) {
                t.not_usable = Some(
                    "isMfaRegistered is true but isMfaCapable is false: no registered method is allowed"
                        .into(),
                );
                t.usable = Some(Vec::new());
            } else {
                t.usable = a
                    .methods
                    .as_ref()
                    .map(|_| mfa.iter().map(|s| (*s).clone()).collect());
            }
        }
    }
    t.preferred_telephony = system_preferred_off(a, m, policy) && preferred_is_telephony(a);
    t
}

/// `registered` came from `isMfaRegistered` itself.
fn registered_flag(a: &Account) -> bool {
    a.registration_basis.starts_with("isMfaRegistered")
}

/// Global Administrators (from role assignments) and `#EXT#` guests get the late date.
fn retirement(a: &Account, m: &Membership, dates: Dates) -> Millis {
    let ga = m.roles.as_ref().is_some_and(|r| r.contains(GLOBAL_ADMIN));
    if ga || (a.guest && a.upn.contains("#EXT#")) {
        dates.late
    } else {
        dates.retirement
    }
}

/// Is the account in a target set's scope: included (`all_users`, its id, or a group it is in)
/// and not excluded (exclusion wins). `Unknown` when deciding needs memberships not given.
pub fn scope(t: &Targeted, a: &Account, m: &Membership) -> Tri {
    let hit = |list: &[crate::input::methods_policy::Target]| -> Tri {
        let mut unknown = false;
        for x in list {
            let id = x.id.to_ascii_lowercase();
            if id == "all_users" || a.id.as_deref().is_some_and(|i| i.eq_ignore_ascii_case(&id)) {
                return Tri::Yes;
            }
            if x.kind == "user" {
                continue;
            }
            match &m.groups {
                Some(g) if x.kind == "group" || x.kind.is_empty() => {
                    if g.contains(&id) {
                        return Tri::Yes;
                    }
                }
                _ => unknown = true,
            }
        }
        if unknown { Tri::Unknown } else { Tri::No }
    };
    match (hit(&t.include), hit(&t.exclude)) {
        (_, Tri::Yes) => Tri::No,
        (Tri::No, _) => Tri::No,
        (Tri::Yes, Tri::No) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// May the account use this registered method under the policy? Windows Hello and the macOS
/// credential always; while the migration is not complete, the legacy MFA settings (which no
/// export shows) may still allow SMS, voice, app and OTP methods, so those count as usable.
fn method_usable(method: &str, a: &Account, m: &Membership, p: &MethodsPolicy) -> Tri {
    let l = method.to_ascii_lowercase();
    if l.starts_with("windowshello") || l.starts_with("macossecureenclave") {
        return Tri::Yes;
    }
    let class = values::method_class(method);
    if !p.migration_complete() && matches!(class, MethodClass::Phone | MethodClass::App) {
        return Tri::Yes;
    }
    let enabled = |id: &str| -> Tri {
        match p.config(id) {
            Some(c) if c.targets.state == "enabled" => scope(&c.targets, a, m),
            _ => Tri::No,
        }
    };
    let any = |ts: &[Tri]| -> Tri {
        if ts.contains(&Tri::Yes) {
            Tri::Yes
        } else if ts.contains(&Tri::Unknown) {
            Tri::Unknown
        } else {
            Tri::No
        }
    };
    let authenticator = |modes: &[&str]| -> Tri {
        let Some(c) = p.config("microsoftauthenticator") else {
            return Tri::No;
        };
        let mode_ok = c.targets.include.iter().all(|t| {
            t.mode
                .as_deref()
                .is_none_or(|x| modes.iter().any(|m| m.eq_ignore_ascii_case(x)))
        });
        if mode_ok {
            enabled("microsoftauthenticator")
        } else {
            Tri::No
        }
    };
    match l.as_str() {
        "mobilephone" => any(&[enabled("sms"), enabled("voice")]),
        "alternatemobilephone" => enabled("voice"),
        "officephone" => match p.config("voice") {
            Some(c) if c.office_phone_allowed == Some(false) => Tri::No,
            _ => enabled("voice"),
        },
        "microsoftauthenticatorpush" => authenticator(&["any", "push"]),
        "microsoftauthenticatorpasswordless" => authenticator(&["any", "deviceBasedPush"]),
        "softwareonetimepasscode" => {
            let via_app = match p.config("microsoftauthenticator") {
                Some(c) if c.software_oath_enabled == Some(true) => {
                    enabled("microsoftauthenticator")
                }
                _ => Tri::No,
            };
            any(&[enabled("softwareoath"), via_app])
        }
        "hardwareonetimepasscode" => enabled("hardwareoath"),
        _ if l.starts_with("fido") || l.starts_with("passkey") => enabled("fido2"),
        _ if l.contains("certificate") || l.starts_with("x509") => enabled("x509certificate"),
        _ => Tri::No,
    }
}

/// System-preferred MFA is off for the account: its registration row says so, else the
/// policy's `systemCredentialPreferences` exclude or do not include it.
fn system_preferred_off(a: &Account, m: &Membership, policy: Option<&MethodsPolicy>) -> bool {
    if let Some(on) = a.system_preferred {
        return !on;
    }
    match policy.and_then(|p| p.system_preferred.as_ref()) {
        Some(s) if s.state == "disabled" => true,
        Some(s) => scope(s, a, m) == Tri::No,
        None => false,
    }
}

/// The preferred (or default) MFA method is SMS or a voice call.
fn preferred_is_telephony(a: &Account) -> bool {
    const PHONE: [&str; 7] = [
        "sms",
        "voicemobile",
        "voicealternatemobile",
        "voiceoffice",
        "mobilephone",
        "alternatemobilephone",
        "officephone",
    ];
    [&a.preferred_method, &a.default_method]
        .into_iter()
        .flatten()
        .any(|p| PHONE.contains(&p.to_ascii_lowercase().as_str()))
}

/// Method configurations this tool does not know, and targets of the configurations and the
/// campaign that name a user or group no input knows (memberships given): kept as input
/// issues, like Conditional Access references.
pub fn unknown_targets(
    p: &MethodsPolicy,
    known_users: &std::collections::BTreeSet<String>,
    known_groups: Option<&std::collections::BTreeSet<String>>,
) -> Vec<UnknownTarget> {
    let mut out: Vec<UnknownTarget> = p
        .unknown_configs()
        .into_iter()
        .map(|id| UnknownTarget {
            file: p.source.clone(),
            column: "authenticationMethodConfigurations".into(),
            id: id.to_string(),
            problem: format!(
                "a method configuration this tool does not know ({id}): kept, never counted as usable"
            ),
        })
        .collect();
    let mut sets: Vec<(String, &Targeted)> = p
        .configs
        .iter()
        .map(|c| (c.id.clone(), &c.targets))
        .collect();
    if let Some(c) = &p.campaign {
        sets.push(("registrationCampaign".into(), c));
    }
    for (what, t) in sets {
        for (side, list) in [
            ("includeTargets", &t.include),
            ("excludeTargets", &t.exclude),
        ] {
            for x in list {
                let id = x.id.to_ascii_lowercase();
                let unknown = match x.kind.as_str() {
                    _ if id == "all_users" => false,
                    "user" => !known_users.contains(&id),
                    "group" => known_groups.is_some_and(|g| !g.contains(&id)),
                    _ => false,
                };
                if unknown {
                    out.push(UnknownTarget {
                        file: p.source.clone(),
                        column: format!("{what}.{side}"),
                        id: x.id.clone(),
                        problem: format!(
                            "the methods policy's {what} {side} names {} {}, found in no input (a deleted object?)",
                            x.kind, x.id
                        ),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::methods_policy::parse;
    use serde_json::json;
    use std::collections::BTreeSet;

    const DATES: Dates = Dates {
        retirement: 1_801_440_000_000,
        late: 1_814_400_000_000,
    };

    fn policy(migration: &str) -> MethodsPolicy {
        parse(
            "amp.json",
            &json!({"policyMigrationState": migration,
              "registrationEnforcement":{"authenticationMethodsRegistrationCampaign":{"state":"default",
                "includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[{"id":"g-out","targetType":"group"}]}},
              "authenticationMethodConfigurations":[
                {"id":"Sms","state":"enabled","includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[]},
                {"id":"Voice","state":"disabled","includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[]},
                {"id":"MicrosoftAuthenticator","state":"enabled","includeTargets":[{"id":"g-app","targetType":"group","authenticationMode":"any"}],"excludeTargets":[]},
                {"id":"Fido2","state":"enabled","includeTargets":[{"id":"all_users","targetType":"group"}],"excludeTargets":[{"id":"g-nokey","targetType":"group"}]}]}),
            None,
        )
        .unwrap()
    }

    fn acct(methods: &[&str]) -> Account {
        Account {
            id: Some("u1".into()),
            upn: "u1@contoso.com".into(),
            registered: Some(true),
            registration_basis: "methodsRegistered".into(),
            methods: Some(methods.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }
    }

    fn member_of(groups: &[&str]) -> Membership {
        Membership {
            groups: Some(
                groups
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<BTreeSet<_>>(),
            ),
            roles: Some(BTreeSet::new()),
        }
    }

    #[test]
    fn usable_methods_follow_the_policy_and_its_groups() {
        let p = policy("migrationComplete");
        let a = acct(&["mobilePhone", "microsoftAuthenticatorPush", "officePhone"]);
        let t = evaluate(&a, &member_of(&[]), Some(&p), DATES);
        assert_eq!(t.usable, Some(vec!["mobilePhone".to_string()]));
        assert!(t.phone_only());
        assert_eq!(t.passkey_allowed, Some(Tri::Yes));
        let t = evaluate(&a, &member_of(&["g-app", "g-nokey"]), Some(&p), DATES);
        assert!(!t.phone_only() && t.has_stronger());
        assert_eq!(t.passkey_allowed, Some(Tri::No));
        // Without memberships, group targets cannot be decided.
        let none = Membership::default();
        let t = evaluate(&a, &none, Some(&p), DATES);
        assert_eq!(t.undecided, vec!["microsoftAuthenticatorPush".to_string()]);
        assert!(!t.phone_only());
        assert_eq!(t.campaign_targeted, Some(Tri::Unknown));
    }

    #[test]
    fn legacy_settings_count_while_migration_is_not_complete() {
        let a = acct(&["officePhone"]);
        let complete = evaluate(
            &a,
            &member_of(&[]),
            Some(&policy("migrationComplete")),
            DATES,
        );
        assert!(complete.not_usable.is_some());
        for state in ["migrationInProgress", "preMigration"] {
            let t = evaluate(&a, &member_of(&[]), Some(&policy(state)), DATES);
            assert_eq!(t.not_usable, None, "{state}");
            assert_eq!(t.usable, Some(vec!["officePhone".to_string()]));
        }
    }

    #[test]
    fn registered_but_not_capable_without_a_policy() {
        let mut a = acct(&["mobilePhone"]);
        a.registration_basis = "isMfaRegistered".into();
        a.mfa_capable = Some(false);
        assert!(
            evaluate(&a, &Membership::default(), None, DATES)
                .not_usable
                .is_some()
        );
        a.mfa_capable = Some(true);
        let t = evaluate(&a, &Membership::default(), None, DATES);
        assert_eq!(t.not_usable, None);
        assert!(t.phone_only());
        // Derived from the method list, isMfaCapable false alone does not decide.
        a.registration_basis = "methodsRegistered".into();
        a.mfa_capable = Some(false);
        assert_eq!(
            evaluate(&a, &Membership::default(), None, DATES).not_usable,
            None
        );
    }

    #[test]
    fn global_admins_and_external_guests_get_the_late_date() {
        let a = acct(&["mobilePhone"]);
        let mut ga = member_of(&[]);
        ga.roles = Some([GLOBAL_ADMIN.to_string()].into());
        assert_eq!(evaluate(&a, &ga, None, DATES).retirement, DATES.late);
        assert_eq!(
            evaluate(&a, &member_of(&[]), None, DATES).retirement,
            DATES.retirement
        );
        let mut g = acct(&["mobilePhone"]);
        g.guest = true;
        g.upn = "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com".into();
        assert_eq!(
            evaluate(&g, &member_of(&[]), None, DATES).retirement,
            DATES.late
        );
    }

    #[test]
    fn preferred_telephony_needs_system_preferred_off() {
        let mut a = acct(&["mobilePhone", "microsoftAuthenticatorPush"]);
        a.preferred_method = Some("sms".into());
        a.system_preferred = Some(false);
        assert!(evaluate(&a, &member_of(&[]), None, DATES).preferred_telephony);
        a.system_preferred = Some(true);
        assert!(!evaluate(&a, &member_of(&[]), None, DATES).preferred_telephony);
        a.system_preferred = Some(false);
        a.preferred_method = Some("push".into());
        assert!(!evaluate(&a, &member_of(&[]), None, DATES).preferred_telephony);
    }

    #[test]
    fn unknown_targets_are_named() {
        let p = policy("migrationComplete");
        let users = BTreeSet::new();
        let groups: BTreeSet<String> = ["g-app".to_string()].into();
        let u = unknown_targets(&p, &users, Some(&groups));
        let ids: Vec<&str> = u.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, vec!["g-nokey", "g-out"]);
        assert!(unknown_targets(&p, &users, None).is_empty());
    }
}
