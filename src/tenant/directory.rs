//! The tenant's directory inputs beside the accounts: Conditional Access policies, group
//! memberships, role assignments, the authentication methods policy (and a ScubaGear provider
//! export holding some of them), read from the files named or found by content; and each
//! account's transitive groups and tenant-wide roles, resolved once for every evaluation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::input::ca_policy::Strength;
use crate::input::groups::{self, Memberships, transitive_groups};
use crate::input::methods_policy::{self, MethodsPolicy};
use crate::input::policies::{self, PolicySet};
use crate::input::roles::{self, RoleAssignments};
use crate::options::AuditOptions;
use crate::tenant::accounts::Account;

/// What was given; each `None` when no such input was given.
#[derive(Debug, Default)]
pub struct Directory {
    pub policies: Option<PolicySet>,
    pub groups: Option<Memberships>,
    pub roles: Option<RoleAssignments>,
    pub methods: Option<MethodsPolicy>,
    /// Authentication strengths from a strengths export (custom ones referenced by id).
    pub strengths: Vec<Strength>,
    /// Group ids the membership inputs list (display names resolved to ids where both were given).
    pub known_groups: BTreeSet<String>,
    /// Membership edges (group id, member id), lowercase, names resolved.
    edges: Vec<(String, String)>,
    /// Inputs read but not used, with why (file, problem): for the input issues.
    pub set_aside: Vec<(String, String)>,
    /// The Secure Score exports, with the issues met reading them, when any was given.
    pub secure_score: Option<(crate::input::secure_score::Exports, crate::input::IssueLog)>,
}

/// One account's memberships; `None` where the input that would say was not given.
#[derive(Debug, Clone, Default)]
pub struct Membership {
    /// Transitive group ids (lowercase).
    pub groups: Option<BTreeSet<String>>,
    /// Tenant-wide role template ids, directly or through a group.
    pub roles: Option<BTreeSet<String>>,
}

impl Directory {
    /// Every account's memberships, parallel to `accounts`.
    pub fn memberships(&self, accounts: &[Account]) -> Vec<Membership> {
        accounts
            .iter()
            .map(|a| {
                let keys: Vec<String> =
                    a.id.iter()
                        .map(|i| i.to_ascii_lowercase())
                        .chain(std::iter::once(a.upn_lower.clone()))
                        .collect();
                let mut mine = BTreeSet::new();
                if self.groups.is_some() {
                    for k in &keys {
                        mine.extend(transitive_groups(&self.edges, k));
                    }
                }
                let roles = self.roles.as_ref().map(|r| {
                    r.pairs
                        .iter()
                        .filter(|(p, _)| keys.contains(p) || mine.contains(p))
                        .map(|(_, role)| role.clone())
                        .collect()
                });
                Membership {
                    groups: self.groups.as_ref().map(|_| mine),
                    roles,
                }
            })
            .collect()
    }
}

/// Reads the directory inputs: those named on the command line plus those found among the
/// inputs by content. Errors (not valid JSON, unreadable, missing columns) name the file.
pub fn load(opts: &AuditOptions) -> Result<Directory, Error> {
    let given: Vec<PathBuf> = opts.inputs.iter().map(|g| g.path.clone()).collect();
    let found = crate::input::coverage_files::find(&given);
    let usage = Error::Usage;
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| usage(format!("{}: cannot read: {e}", p.display())))
    };
    let mut d = Directory::default();
    for p in [opts.policies.clone(), found.policies].concat() {
        policies::read_path(&p, d.policies.get_or_insert_with(Default::default)).map_err(usage)?;
    }
    for g in [opts.groups.clone(), found.groups].concat() {
        let m = d.groups.get_or_insert_with(Default::default);
        groups::read(&g.display().to_string(), &read(&g)?, None, m).map_err(usage)?;
    }
    for gm in &opts.group_members {
        let Some((group, file)) = gm.split_once('=') else {
            return Err(usage(format!(
                "--group-members {gm}: expected GROUP=FILE (group id or name, then the members download)"
            )));
        };
        let m = d.groups.get_or_insert_with(Default::default);
        groups::read(file, &read(Path::new(file))?, Some(group), m).map_err(usage)?;
    }
    for f in [opts.role_assignments.clone(), found.roles].concat() {
        let r = d.roles.get_or_insert_with(Default::default);
        roles::read(&f.display().to_string(), &read(&f)?, r).map_err(usage)?;
    }
    for f in &found.strengths {
        let name = f.display().to_string();
        d.strengths
            .extend(crate::input::strengths::read(&name, &read(f)?).map_err(usage)?);
    }
    for f in &found.scubagear {
        read_scubagear(f, &read(f)?, &mut d)?;
    }
    for f in [opts.methods_policy.clone(), found.methods_policies].concat() {
        let name = f.display().to_string();
        let p = methods_policy::read(&name, &read(&f)?).map_err(usage)?;
        match &d.methods {
            Some(first) => d.set_aside.push((
                name,
                format!(
                    "a second authentication methods policy: not used (the one read first, {}, is; give one export)",
                    first.source
                ),
            )),
            None => d.methods = Some(p),
        }
    }
    if !found.secure_score.is_empty() {
        let (mut e, mut log) = Default::default();
        for (f, kind) in &found.secure_score {
            let name = f.display().to_string();
            crate::input::secure_score::read(&name, &read(f)?, *kind, &mut e, &mut log)?;
        }
        d.secure_score = Some((e, log));
    }
    d.resolve_names();
    Ok(d)
}

/// What `inspect` says about a directory input (policies, groups, roles, methods policy,
/// strengths, a ScubaGear export): its kind and what it holds, or why it cannot be read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DirectoryInput {
    pub path: String,
    pub kind: &'static str,
    pub holds: String,
}

/// Every directory input among `paths` (files given directly, and any depth of given folders),
/// each read on its own, for `inspect`. A file that cannot be read is listed with the reader's
/// message: inspecting is how a user finds out why.
pub fn inspect(paths: &[PathBuf]) -> Vec<DirectoryInput> {
    let found = crate::input::coverage_files::find(paths);
    let mut out = Vec::new();
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read: {e}"));
    let mut add = |p: &PathBuf, kind: &'static str, holds: Result<String, String>| {
        out.push(DirectoryInput {
            path: p.display().to_string(),
            kind,
            holds: holds.unwrap_or_else(|e| format!("not read: {e}")),
        });
    };
    for p in &found.policies {
        let mut set = PolicySet::default();
        let r = policies::read_path(p, &mut set).map(|()| {
            let n = set.policies.len();
            let mut t = format!(
                "{n} Conditional Access polic{}",
                if n == 1 { "y" } else { "ies" }
            );
            if let Some(on) = set.security_defaults {
                t.push_str(&format!(
                    ", security defaults {}",
                    if on { "on" } else { "off" }
                ));
            }
            t
        });
        add(p, "conditional-access-policies", r);
    }
    for p in &found.groups {
        let mut m = Default::default();
        let name = p.display().to_string();
        let r = read(p)
            .and_then(|d| groups::read(&name, &d, None, &mut m))
            .map(|()| {
                let groups: BTreeSet<&str> = m.edges.iter().map(|(g, _)| g.as_str()).collect();
                format!(
                    "{} groups with members, {} memberships",
                    groups.len(),
                    m.edges.len()
                )
            });
        add(p, "group-memberships", r);
    }
    for p in &found.roles {
        let mut r = Default::default();
        let name = p.display().to_string();
        let res = read(p)
            .and_then(|d| roles::read(&name, &d, &mut r))
            .map(|()| {
                format!(
                    "{} tenant-wide role assignments ({} not used)",
                    r.pairs.len(),
                    r.ignored.len()
                )
            });
        add(p, "role-assignments", res);
    }
    for p in &found.strengths {
        let name = p.display().to_string();
        let r = read(p)
            .and_then(|d| crate::input::strengths::read(&name, &d))
            .map(|s| format!("{} authentication strengths", s.len()));
        add(p, "authentication-strengths", r);
    }
    for p in &found.methods_policies {
        let name = p.display().to_string();
        let r = read(p)
            .and_then(|d| methods_policy::read(&name, &d))
            .map(|m| {
                format!(
                    "the authentication methods policy: {} method configurations, migration state {}",
                    m.configs.len(),
                    m.migration_state.as_deref().unwrap_or("absent")
                )
            });
        add(p, "authentication-methods-policy", r);
    }
    for p in &found.scubagear {
        let mut d = Directory::default();
        let r = read(p).and_then(|data| {
            read_scubagear(p, &data, &mut d).map_err(|e| e.to_string())?;
            Ok(format!(
                "a ScubaGear provider export: {} Conditional Access policies, {} privileged role assignments, {}",
                d.policies.as_ref().map_or(0, |s| s.policies.len()),
                d.roles.as_ref().map_or(0, |r| r.pairs.len()),
                if d.methods.is_some() {
                    "the authentication methods policy"
                } else {
                    "no methods policy"
                }
            ))
        });
        add(p, "scubagear-provider-export", r);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A ScubaGear provider export adds its policies, privileged users and methods policy.
fn read_scubagear(f: &Path, data: &[u8], d: &mut Directory) -> Result<(), Error> {
    let name = f.display().to_string();
    let text = crate::input::text::decode_text(data);
    let v: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            Error::Usage(format!(
                "{name}: not valid JSON ({e}); expected a ScubaGear provider export"
            ))
        })?;
    let b = crate::input::scubagear::read(&name, &v).map_err(Error::Usage)?;
    if let Some(p) = b.policies {
        let set = d.policies.get_or_insert_with(Default::default);
        set.policies.extend(p.policies);
        set.security_defaults = set.security_defaults.or(p.security_defaults);
    }
    if let Some(r) = b.roles {
        let mine = d.roles.get_or_insert_with(Default::default);
        mine.pairs.extend(r.pairs);
        mine.ignored.extend(r.ignored);
    }
    if b.methods.is_some() {
        d.methods = b.methods;
    }
    Ok(())
}

impl Directory {
    /// Group display names resolve to ids where the membership input carried both.
    fn resolve_names(&mut self) {
        let Some(g) = &self.groups else {
            return;
        };
        let names: BTreeMap<&str, &str> = g
            .names
            .iter()
            .map(|(n, i)| (n.as_str(), i.as_str()))
            .collect();
        self.edges = g
            .edges
            .iter()
            .map(|(a, b)| {
                (
                    names.get(a.as_str()).map_or(a.clone(), |s| s.to_string()),
                    b.clone(),
                )
            })
            .collect();
        self.known_groups = self.edges.iter().map(|(g, _)| g.clone()).collect();
    }
}
