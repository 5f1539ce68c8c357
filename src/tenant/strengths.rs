//! Authentication strengths: whether an account can meet the strength a Conditional Access
//! policy requires, from the methods it may use mapped to authentication method modes, the
//! strength's allowed combinations compared as sets (password assumed).

use std::collections::BTreeSet;

use crate::input::ca_policy::{Policy, Strength};
use crate::tenant::accounts::Account;

/// The built-in strengths by id, with their documented combinations (used when neither the
/// policy nor a strengths export carries them).
const BUILT_IN: [(&str, &str, &[&str]); 3] = [
    (
        "00000000-0000-0000-0000-000000000002",
        "Multifactor authentication",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
            "deviceBasedPush",
            "temporaryAccessPassOneTime",
            "temporaryAccessPassMultiUse",
            "password,microsoftAuthenticatorPush",
            "password,softwareOath",
            "password,hardwareOath",
            "password,x509CertificateSingleFactor",
            "password,x509CertificateMultiFactor",
            "password,sms",
            "password,voice",
            "federatedMultiFactor",
            "microsoftAuthenticatorPush,federatedSingleFactor",
            "softwareOath,federatedSingleFactor",
            "hardwareOath,federatedSingleFactor",
            "sms,federatedSingleFactor",
            "voice,federatedSingleFactor",
        ],
    ),
    (
        "00000000-0000-0000-0000-000000000003",
        "Passwordless MFA",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
            "deviceBasedPush",
        ],
    ),
    (
        "00000000-0000-0000-0000-000000000004",
        "Phishing-resistant MFA",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
        ],
    ),
];

/// The authentication method modes this tool knows; others are kept and reported.
const MODES: [&str; 18] = [
    "password",
    "voice",
    "hardwareOath",
    "softwareOath",
    "sms",
    "fido2",
    "windowsHelloForBusiness",
    "microsoftAuthenticatorPush",
    "deviceBasedPush",
    "temporaryAccessPassOneTime",
    "temporaryAccessPassMultiUse",
    "email",
    "x509CertificateSingleFactor",
    "x509CertificateMultiFactor",
    "federatedSingleFactor",
    "federatedMultiFactor",
    "qrCodePin",
    "unknownFutureValue",
];

/// A mode as Graph spells it (lowercase in, the documented spelling out where known).
fn spelled(mode: &str) -> &str {
    MODES
        .iter()
        .find(|m| m.eq_ignore_ascii_case(mode))
        .copied()
        .unwrap_or(mode)
}

/// One combination: its modes, lowercase.
type Combination = BTreeSet<String>;

/// A strength as evaluated: its name and combinations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub combinations: Vec<Combination>,
    /// Modes in the combinations this tool does not know (such a combination is never met).
    pub unknown_modes: Vec<String>,
}

/// The strength a policy requires: its own combinations, else the export's by id, else the
/// built-in list by id. `Err` names a strength that was referenced but found nowhere.
pub fn resolve(p: &Policy, export: &[Strength]) -> Option<Result<Resolved, String>> {
    let s = p.strength.as_ref()?;
    let from_export = || {
        export
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(&s.id) && !x.combinations.is_empty())
            .map(|x| (x.display_name.clone(), x.combinations.clone()))
    };
    let built_in = || {
        BUILT_IN
            .iter()
            .find(|(id, _, _)| id.eq_ignore_ascii_case(&s.id))
            .map(|(_, n, c)| (n.to_string(), c.iter().map(|x| x.to_string()).collect()))
    };
    let found = (!s.combinations.is_empty())
        .then(|| (s.display_name.clone(), s.combinations.clone()))
        .or_else(from_export)
        .or_else(built_in);
    let Some((name, combos)) = found else {
        return Some(Err(format!(
            "strength {} ({}) found in no input: give the authentication strengths export",
            if s.display_name.is_empty() {
                "?"
            } else {
                &s.display_name
            },
            s.id
        )));
    };
    let combinations: Vec<Combination> = combos
        .iter()
        .map(|c| {
            c.split(',')
                .map(|m| m.trim().to_ascii_lowercase())
                .filter(|m| !m.is_empty())
                .collect()
        })
        .collect();
    let mut unknown_modes: Vec<String> = combinations
        .iter()
        .flatten()
        .filter(|m| !MODES.iter().any(|k| k.eq_ignore_ascii_case(m)))
        .cloned()
        .collect();
    unknown_modes.sort();
    unknown_modes.dedup();
    Some(Ok(Resolved {
        name: if name.is_empty() { s.id.clone() } else { name },
        combinations,
        unknown_modes,
    }))
}

/// The modes a registered method can satisfy (formats: "mapping methodsRegistered to modes").
fn modes_of(method: &str) -> &'static [&'static str] {
    let l = method.to_ascii_lowercase();
    match l.as_str() {
        "mobilephone" => &["sms", "voice"],
        "alternatemobilephone" | "officephone" => &["voice"],
        "microsoftauthenticatorpush" => &["microsoftauthenticatorpush"],
        "microsoftauthenticatorpasswordless" => &["devicebasedpush"],
        "softwareonetimepasscode" => &["softwareoath"],
        "hardwareonetimepasscode" => &["hardwareoath"],
        "temporaryaccesspass" => &["temporaryaccesspassonetime", "temporaryaccesspassmultiuse"],
        "email" => &["email"],
        _ if l.starts_with("fido") || l.starts_with("passkey") => &["fido2"],
        _ if l.starts_with("windowshello") || l.starts_with("macossecureenclave") => {
            &["windowshelloforbusiness"]
        }
        _ if l.contains("certificate") || l.starts_with("x509") => &["x509certificatemultifactor"],
        _ => &[],
    }
}

/// Whether an account meets a strength.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Met,
    /// What is missing and what the account has.
    Unmet(String),
    Unknown(String),
}

/// Met when some combination's modes are all among the account's usable modes (password
/// assumed); unknown without a method list or when an undecided method could complete one.
pub fn check(a: &Account, s: &Resolved) -> Outcome {
    let Some(methods) = &a.methods else {
        return Outcome::Unknown("no method list".into());
    };
    let usable = a.telephony.usable.clone().unwrap_or_default();
    // Methods outside MFA (TAP, email) can still be combinations' modes.
    let extra = methods
        .iter()
        .filter(|m| !crate::values::method_class(m).is_mfa());
    let mut have: BTreeSet<String> = std::iter::once("password".to_string()).collect();
    for m in usable.iter().chain(extra) {
        have.extend(modes_of(m).iter().map(|x| x.to_string()));
    }
    let mut maybe = have.clone();
    for m in &a.telephony.undecided {
        maybe.extend(modes_of(m).iter().map(|x| x.to_string()));
    }
    let meets = |set: &BTreeSet<String>| s.combinations.iter().any(|c| c.is_subset(set));
    if meets(&have) {
        return Outcome::Met;
    }
    if meets(&maybe) {
        return Outcome::Unknown("a method whose use could not be decided".into());
    }
    let needs: Vec<String> = s
        .combinations
        .iter()
        .map(|c| {
            c.iter()
                .filter(|m| *m != "password")
                .map(|m| spelled(m))
                .collect::<Vec<_>>()
                .join("+")
        })
        .filter(|c| !c.is_empty())
        .collect();
    let has: Vec<&str> = have
        .iter()
        .map(|m| spelled(m))
        .filter(|m| *m != "password")
        .collect();
    Outcome::Unmet(format!(
        "needs {}; has {}",
        needs.join(" or "),
        if has.is_empty() {
            "nothing".to_string()
        } else {
            has.join(", ")
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(id: &str, combos: &[&str]) -> Policy {
        Policy {
            display_name: "P".into(),
            strength: Some(Strength {
                id: id.into(),
                display_name: String::new(),
                combinations: combos.iter().map(|s| s.to_string()).collect(),
            }),
            ..Default::default()
        }
    }

    fn account(methods: &[&str]) -> Account {
        let m: Vec<String> = methods.iter().map(|s| s.to_string()).collect();
        let mut a = Account {
            methods: Some(m.clone()),
            ..Default::default()
        };
        a.telephony.usable = Some(
            m.into_iter()
                .filter(|x| crate::values::method_class(x).is_mfa())
                .collect(),
        );
        a
    }

    #[test]
    fn built_in_phishing_resistant_by_id_and_sets_not_strings() {
        let r = resolve(&policy("00000000-0000-0000-0000-000000000004", &[]), &[])
            .unwrap()
            .unwrap();
        assert_eq!(r.name, "Phishing-resistant MFA");
        assert_eq!(check(&account(&["fido2SecurityKey"]), &r), Outcome::Met);
        assert_eq!(
            check(&account(&["macOsSecureEnclaveKey"]), &r),
            Outcome::Met
        );
        let Outcome::Unmet(why) =
            check(&account(&["microsoftAuthenticatorPush", "mobilePhone"]), &r)
        else {
            panic!("unmet expected")
        };
        assert!(
            why.starts_with("needs windowsHelloForBusiness or fido2"),
            "{why}"
        );
        assert!(
            why.contains("has microsoftAuthenticatorPush, sms, voice"),
            "{why}"
        );
        // A custom strength written with a space and another order.
        let c = resolve(&policy("c1", &["sms , password"]), &[])
            .unwrap()
            .unwrap();
        assert_eq!(check(&account(&["mobilePhone"]), &c), Outcome::Met);
    }

    #[test]
    fn unknown_modes_never_met_and_missing_strengths_named() {
        let r = resolve(&policy("c2", &["quantumToken"]), &[])
            .unwrap()
            .unwrap();
        assert_eq!(r.unknown_modes, vec!["quantumtoken"]);
        assert!(matches!(
            check(&account(&["fido2SecurityKey"]), &r),
            Outcome::Unmet(_)
        ));
        let e = resolve(&policy("c3", &[]), &[]).unwrap().unwrap_err();
        assert!(e.contains("c3"), "{e}");
        let export = [Strength {
            id: "c3".into(),
            display_name: "Custom".into(),
            combinations: vec!["password,softwareOath".into()],
        }];
        let r = resolve(&policy("c3", &[]), &export).unwrap().unwrap();
        assert_eq!(
            check(&account(&["softwareOneTimePasscode"]), &r),
            Outcome::Met
        );
        assert!(matches!(
            check(&Account::default(), &r),
            Outcome::Unknown(_)
        ));
    }
}
