//! mfa-audit: audits a Microsoft Entra ID tenant for MFA readiness offline, from exported files.
//! The flow runs one way: detect -> read -> assemble -> rules -> report -> writers.
#![forbid(unsafe_code)]

mod csv_text;
mod error;
mod input;
mod options;
mod output;
mod par;
mod report;
mod rules;
mod tenant;
#[cfg(test)]
mod value_props;
mod values;

// The library's surface: what the `mfa-audit` binary and the integration tests use. Everything
// else is private to the crate, so the compiler reports what is unused.
pub use csv_text::inert;
pub use error::Error;
pub use input::detect::{Given, SignInType, sha256_hex};
pub use input::records::PerUserState;
pub use input::{Inspection, Kind};
pub use options::{AuditOptions, GroupTemplate};
pub use output::key_file::create as new_key;
pub use output::workbook::{ACTIONS_HEADER, DEPARTMENTS_HEADER, INPUTS_HEADER};
pub use output::{check_out_dir, text, write_all};
pub use rules::{all as all_rules, find as find_rule};
pub use tenant::directory::DirectoryInput;
pub use values::{DateOrder, Millis, known_region, parse_phone, parse_ts};

use input::detect;
use input::records::{self, Records};
use input::sign_in_evidence::{Resolver, SignIns};
use input::signins;
use input::{InputInfo, IssueLog};
use rules::Ctx;
use rules::availability::{self, Availability};
use tenant::accounts;
use tenant::load::{self, Loaded, info, skip_rows};
use values::fmt_ts;

const DAY: i64 = 86_400_000;

/// Runs the whole audit and returns the report (nothing written yet), step by step.
pub fn audit(opts: &AuditOptions) -> Result<report::Report, Error> {
    let pseudonyms = pseudonym_key(opts)?;
    let baseline = verify_baseline(opts, pseudonyms.as_ref())?;
    let mut directory = tenant::directory::load(opts)?;
    let Loaded {
        records: recs,
        accounts: mut acc,
        sign_ins,
        inputs,
        mut log,
    } = load::load(opts)?;
    let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
    let t_after_load = std::time::Instant::now();
    let (plan, no_activity) = evidence_plan(&recs, &acc);
    let plan = accounts::EvidencePlan {
        interactive_logs: sign_ins.interactive_files > 0,
        non_interactive_logs: sign_ins.non_interactive_files > 0,
        ..plan
    };
    accounts::apply_sign_ins(&mut acc, &sign_ins, plan);
    let (as_of, as_of_source) = match opts.as_of {
        Some(t) => (t, "given with --as-of".to_string()),
        None => resolve_as_of(&recs, &acc, &sign_ins),
    };
    let w = Windows::new(opts, as_of);
    accounts::apply_exclusions(&mut acc, &recs, as_of, &mut log);
    accounts::apply_scope(&mut acc, opts.include_guests);
    let avail = Availability::from_inputs(&availability::Inputs {
        records: &recs,
        files: &inputs,
        sign_ins: &sign_ins,
        plan,
        no_activity,
        stale_since: w.stale_since,
        dormant_since: w.dormant_since,
        dormant_after_days: opts.dormant_after_days,
    });
    let sign_in_evidence = avail.evidence_text();
    let coverage = directory_step(&mut acc.list, &directory, opts, &mut log);
    let (secure_score, score_inputs) =
        secure_score_step(directory.secure_score.take(), &acc, &mut log);
    let in_use_evidence = telephony_evidence(&recs, &sign_ins, directory.methods.as_ref());
    load::drop_in_background(recs);
    // With --pseudonymize, every identifier is replaced here, after the inputs are joined and
    // before any rule runs, so everything built from here on holds pseudonyms only.
    let mut coverage = coverage;
    let scrubber = pseudonyms
        .map(|p| pseudonymize(p, &mut acc.list, &mut coverage, &directory))
        .transpose()?;
    let mut secure_score = secure_score;
    if let (Some(s), Some(ss)) = (&scrubber, &mut secure_score) {
        ss.pseudonymize(s, &acc.list);
    }
    let mut ctx = Ctx::new(
        &acc.list,
        as_of,
        w.stale_since,
        w.active_since,
        w.dormant_since,
        avail,
    );
    ctx.coverage = coverage.as_ref().map(|(rows, _)| rows.as_slice());
    ctx.telephony = rules::TelephonyCtx {
        telecom_provider: opts.telecom_provider,
        methods_policy: directory.methods.is_some(),
        in_use_evidence,
    };
    let (findings, not_evaluated) = rules::evaluate(&ctx);
    drop(ctx);
    let t_rules = std::time::Instant::now();
    let inputs = correct_row_counts([inputs, score_inputs].concat(), &log);
    let report = report::build(
        acc.list,
        findings,
        report::BuildArgs {
            params: report::Parameters {
                pseudonymized: scrubber.as_ref().map(|s| report::Pseudonymized {
                    method: "HMAC-SHA-256",
                    key_fingerprint: s.pseudonyms().fingerprint(),
                }),
                ..parameters(opts, as_of, as_of_source)
            },
            thresholds: w.thresholds(),
            sign_in_evidence,
            as_of,
            per_user_target: opts.per_user_target,
            issues: log.finish(),
            inputs,
            not_evaluated,
            coverage,
            baseline: baseline.as_ref(),
            passkeys: report::passkeys::PasskeyArgs {
                retirement: opts.telephony_retirement,
                late: opts.telephony_retirement_late,
                telecom_provider: opts.telecom_provider,
                migration_state: directory
                    .methods
                    .as_ref()
                    .map(|m| m.migration_state.clone().unwrap_or_default()),
            },
            secure_score,
        },
    )?;
    let mut report = report;
    if let Some(s) = &scrubber {
        report::pseudonymize::apply(&mut report, s);
    }
    if timing {
        eprintln!(
            "timing: evidence and rules {:.2}s, report {:.2}s",
            (t_rules - t_after_load).as_secs_f64(),
            t_rules.elapsed().as_secs_f64()
        );
    }
    Ok(report)
}

/// Coverage rows per account and the policy references no input knows.
type CoverageRows = (
    Vec<tenant::coverage_rows::Row>,
    Vec<tenant::coverage_rows::PolicyReference>,
);

/// The directory inputs applied to the accounts: memberships resolved once, the methods policy
/// evaluated per account (registered-not-usable accounts count as not registered from here on),
/// then Conditional Access coverage; policy references no input knows become input issues.
fn directory_step(
    accounts: &mut [accounts::Account],
    directory: &tenant::directory::Directory,
    opts: &AuditOptions,
    log: &mut IssueLog,
) -> Option<CoverageRows> {
    for (file, problem) in &directory.set_aside {
        log.add(file, None, "", "", problem.clone(), input::Action::Ignored);
    }
    let members = directory.memberships(accounts);
    let dates = tenant::methods::Dates {
        retirement: opts.telephony_retirement,
        late: opts.telephony_retirement_late,
    };
    tenant::methods::apply(accounts, &members, directory.methods.as_ref(), dates);
    if let Some(p) = &directory.methods {
        let users = accounts
            .iter()
            .filter_map(|a| a.id.as_deref().map(str::to_ascii_lowercase))
            .collect();
        let groups = directory.groups.as_ref().map(|_| &directory.known_groups);
        for t in tenant::methods::unknown_targets(p, &users, groups) {
            log.add(
                &t.file,
                None,
                &t.column,
                &t.id,
                t.problem,
                input::Action::Kept,
            );
        }
    }
    let coverage = directory.policies.as_ref().map(|policies| {
        let inp = tenant::coverage_rows::CoverageInputs {
            policies,
            strengths: &directory.strengths,
            groups: directory.groups.as_ref(),
            known_groups: &directory.known_groups,
        };
        tenant::coverage_rows::compute(accounts, &inp, &members)
    });
    for r in coverage.iter().flat_map(|(_, refs)| refs) {
        log.add(
            &r.file,
            None,
            r.column,
            &r.id,
            r.problem.clone(),
            input::Action::Kept,
        );
    }
    coverage
}

/// The Secure Score exports, when given: the newest score chosen and the impacted resources
/// matched to the accounts; their files' row counts join the inputs.
fn secure_score_step(
    exports: Option<(input::secure_score::Exports, IssueLog)>,
    acc: &accounts::Accounts,
    log: &mut IssueLog,
) -> (
    Option<tenant::secure_score::SecureScoreInputs>,
    Vec<InputInfo>,
) {
    let Some((exports, read_log)) = exports else {
        return (None, Vec::new());
    };
    log.absorb(read_log);
    let (joined, infos) = tenant::secure_score::join(exports, acc, log);
    (Some(joined), infos)
}

/// The baseline (`--baseline`) is verified against its manifest before anything else is read,
/// and must have been made with the same pseudonym key as this run, or without one like it.
fn verify_baseline(
    opts: &AuditOptions,
    pseudonyms: Option<&tenant::pseudonyms::Pseudonyms>,
) -> Result<Option<report::baseline::Baseline>, Error> {
    let Some(dir) = &opts.baseline else {
        return Ok(None);
    };
    report::progress::check_baseline_dir(dir, &opts.out)?;
    let b = report::baseline::load(dir)?;
    let ours = pseudonyms.map(tenant::pseudonyms::Pseudonyms::fingerprint);
    let why = match (&b.key_fingerprint, &ours) {
        (None, None) => None,
        (Some(a), Some(o)) if a == o => None,
        (Some(a), Some(o)) => Some(format!(
            "it was pseudonymised with another key (fingerprint {a}, this run's key has {o}); its pseudonyms would match nobody. Give the key that run used"
        )),
        (Some(a), None) => Some(format!(
            "it was pseudonymised (key fingerprint {a}) and this run is not; give --pseudonymize with the key that run used"
        )),
        (None, Some(_)) => Some(
            "it was not pseudonymised and this run is; a pseudonymised run cannot be compared with real names. Run the baseline again with the same --pseudonymize key"
                .to_string(),
        ),
    };
    match why {
        Some(why) => Err(Error::Usage(format!("--baseline {}: {why}", dir.display()))),
        None => Ok(Some(b)),
    }
}

/// The pseudonym key of `--pseudonymize`, read before anything else. The key file must not lie
/// inside an input folder (it would be read, hashed and listed as an input).
fn pseudonym_key(opts: &AuditOptions) -> Result<Option<tenant::pseudonyms::Pseudonyms>, Error> {
    let Some(path) = &opts.pseudonymize else {
        return Ok(None);
    };
    let key = input::key_file::read(path)?;
    if let Ok(k) = path.canonicalize() {
        for g in &opts.inputs {
            if let Ok(dir) = g.path.canonicalize()
                && (k == dir || (dir.is_dir() && k.starts_with(&dir)))
            {
                return Err(Error::Usage(format!(
                    "--pseudonymize {}: the key file is inside the input {}; keep the key outside the exports so it is never read, hashed or listed as an input",
                    path.display(),
                    g.path.display()
                )));
            }
        }
    }
    Ok(Some(tenant::pseudonyms::Pseudonyms::new(&key)))
}

/// Replaces every identifier of the joined accounts and coverage rows by its pseudonym; the
/// returned scrubber does the same for the text the report takes from the inputs.
fn pseudonymize(
    p: tenant::pseudonyms::Pseudonyms,
    accounts: &mut [accounts::Account],
    coverage: &mut Option<CoverageRows>,
    directory: &tenant::directory::Directory,
) -> Result<tenant::pseudonyms::Scrubber, Error> {
    let groups: Vec<tenant::pseudonyms::GroupName<'_>> = directory
        .groups
        .iter()
        .flat_map(|g| &g.names)
        .map(|(name, _)| tenant::pseudonyms::GroupName { name })
        .collect();
    // Finding codes are the tool's own words: a local part such as `admin` is not replaced
    // inside `admin-not-registered`.
    let codes: Vec<&str> = rules::all().iter().map(|r| r.code().as_str()).collect();
    let s =
        tenant::pseudonyms::Scrubber::new(p, accounts, &groups, &codes).map_err(Error::Internal)?;
    for a in accounts.iter_mut() {
        s.account(a);
    }
    if let Some((rows, refs)) = coverage {
        for r in rows.iter_mut() {
            s.coverage_row(r);
        }
        for r in refs.iter_mut() {
            // A reference is an id by definition, GUID-shaped or not (`QQ-EMP-4471`).
            let id = s.reference_id(&r.id);
            r.problem = s.text(&r.problem.replace(&r.id, &id));
            r.file = s.text(&r.file);
            r.id = id;
        }
    }
    Ok(s)
}

/// What can show SMS/voice in use: sign-in logs that carry the methods used, or the
/// registration details' preferred method beside whether system-preferred MFA is on (from the
/// row or the methods policy).
fn telephony_evidence(
    recs: &Records,
    sign_ins: &SignIns,
    policy: Option<&input::methods_policy::MethodsPolicy>,
) -> rules::Have {
    if sign_ins.methods_files > 0 {
        return Ok("sign-in logs with the methods used".into());
    }
    let reg = |c: &str| recs.has_col(Kind::Registration, c);
    let preferred = reg("userPreferredMethodForSecondaryAuthentication") || reg("defaultMfaMethod");
    let system = reg("isSystemPreferredAuthenticationMethodEnabled")
        || policy.is_some_and(|p| p.system_preferred.is_some());
    if preferred && system {
        Ok("the registration details' preferred method and system-preferred MFA".into())
    } else {
        Err("no sign-in logs with the methods used, and no preferred method with system-preferred MFA in the registration details".into())
    }
}

/// Which `signInActivity` columns hold values (the logs' part of the plan is filled in by the
/// caller), and why `signInActivity` cannot stand in for the logs when it cannot.
fn evidence_plan(
    recs: &Records,
    acc: &accounts::Accounts,
) -> (accounts::EvidencePlan, &'static str) {
    // signInActivity counts only where it holds values: a tenant without the licence that
    // records it exports the columns empty for everyone, which says nothing about sign-ins.
    let activity = |col: &str, pick: fn(&accounts::Account) -> Option<Millis>| {
        recs.has_col(Kind::Users, col) && acc.list.iter().any(|a| pick(a).is_some())
    };
    let activity_empty = recs.has_col(Kind::Users, "lastSignInDateTime")
        && !acc
            .list
            .iter()
            .any(|a| a.activity.0.is_some() || a.activity.1.is_some() || a.activity.2.is_some());
    let plan = accounts::EvidencePlan {
        interactive_logs: false,
        non_interactive_logs: false,
        activity_interactive: activity("lastSignInDateTime", |a| a.activity.0),
        activity_non_interactive: activity("lastNonInteractiveSignInDateTime", |a| a.activity.1),
        activity_successful: activity("lastSuccessfulSignInDateTime", |a| a.activity.2),
    };
    let no_activity = if activity_empty {
        "signInActivity is empty for every account in the users export (the tenant may lack the licence that records it)"
    } else {
        "no signInActivity in the users export"
    };
    (plan, no_activity)
}

/// The default as-of: the newest timestamp in the inputs, and which one it was; today (UTC)
/// when the inputs hold no timestamp at all.
fn resolve_as_of(recs: &Records, acc: &accounts::Accounts, sign_ins: &SignIns) -> (Millis, String) {
    const ACTIVITY: &str = "the newest signInActivity timestamp in the users export";
    let mut best: Option<(Millis, &str)> = None;
    let mut consider = |t: Option<Millis>, what: &'static str| {
        if let Some(t) = t
            && best.is_none_or(|(b, _)| t > b)
        {
            best = Some((t, what));
        }
    };
    consider(
        sign_ins.interactive_span.1,
        "the newest interactive sign-in in the logs",
    );
    consider(
        sign_ins.non_interactive_span.1,
        "the newest non-interactive sign-in in the logs",
    );
    for a in &acc.list {
        consider(a.activity.0, ACTIVITY);
        consider(a.activity.1, ACTIVITY);
        consider(a.activity.2, ACTIVITY);
    }
    for r in &recs.registration {
        consider(
            r.last_updated,
            "the newest lastUpdatedDateTime in the registration details",
        );
    }
    for u in &recs.users {
        consider(u.created, "the newest createdDateTime in the users export");
    }
    match best {
        Some((t, what)) => (
            t,
            format!("{what} (default: the newest timestamp found in the inputs)"),
        ),
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            let today = now - now.rem_euclid(DAY);
            (
                today,
                "no timestamp in the inputs: today's date (UTC); pass --as-of for a reproducible run"
                    .to_string(),
            )
        }
    }
}

/// The instants the day thresholds resolve to.
struct Windows {
    /// Interactive sign-ins before this do not count (--campaign-start, or as-of minus --stale-after).
    stale_since: Millis,
    active_since: Millis,
    dormant_since: Millis,
}

impl Windows {
    fn new(opts: &AuditOptions, as_of: Millis) -> Windows {
        Windows {
            stale_since: opts
                .campaign_start
                .unwrap_or(as_of - opts.stale_after_days * DAY),
            active_since: as_of - opts.active_within_days * DAY,
            dormant_since: as_of - opts.dormant_after_days * DAY,
        }
    }

    fn thresholds(&self) -> report::Thresholds {
        report::Thresholds {
            interactive_counts_since: fmt_ts(self.stale_since),
            active_since: fmt_ts(self.active_since),
            dormant_since: fmt_ts(self.dormant_since),
        }
    }
}

/// The run's parameters as recorded in the outputs.
fn parameters(opts: &AuditOptions, as_of: Millis, as_of_source: String) -> report::Parameters {
    report::Parameters {
        as_of: fmt_ts(as_of),
        as_of_source,
        stale_after_days: opts.stale_after_days,
        campaign_start: opts.campaign_start.map(fmt_ts),
        active_within_days: opts.active_within_days,
        dormant_after_days: opts.dormant_after_days,
        default_region: opts.default_region.clone(),
        date_order: opts.date_order.map(|d| format!("{d:?}").to_lowercase()),
        include_guests: opts.include_guests,
        per_user_target: opts.per_user_target.as_str().to_string(),
        group_template: match opts.group_template {
            GroupTemplate::Current => "current".into(),
            GroupTemplate::V1 => "v1".into(),
        },
        max_rows: opts.max_rows,
        telephony_retirement: values::fmt_date(opts.telephony_retirement),
        telephony_retirement_late: values::fmt_date(opts.telephony_retirement_late),
        telecom_provider: opts.telecom_provider,
        pseudonymized: None,
    }
}

/// Rows found unusable after reading (when joining) move from used to rejected; inputs sorted by path.
fn correct_row_counts(mut inputs: Vec<InputInfo>, log: &IssueLog) -> Vec<InputInfo> {
    for i in &mut inputs {
        if let Some(&n) = log.late_rejects.get(&i.path) {
            let n = n.min(i.rows.used);
            i.rows.used -= n;
            i.rows.rejected += n;
        }
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs
}

/// The directory inputs among the given paths (policies, groups, roles, methods policy,
/// strengths, ScubaGear exports), each read on its own, for `inspect`.
pub fn inspect_directory(given: &[Given]) -> Vec<DirectoryInput> {
    let paths: Vec<std::path::PathBuf> = given.iter().map(|g| g.path.clone()).collect();
    tenant::directory::inspect(&paths)
}

/// Detects and reads each file on its own, without joining anything.
pub fn inspect(
    given: &[Given],
    date_order: Option<DateOrder>,
) -> Result<(Vec<Inspection>, Vec<input::Issue>), Error> {
    let mut top = IssueLog::default();
    let files = detect::expand(given, &mut top)?;
    let mut out = Vec::new();
    // Shared by every file, as in the audit: a record re-delivered in a later blob is a duplicate.
    let seen = std::sync::Mutex::new(foldhash::HashSet::default());
    for (g, from_folder) in &files {
        let opened = detect::open(g, *from_folder, &mut top)?;
        for o in opened {
            let mut log = IssueLog::default();
            let (rows, o2) = match o.kind {
                Kind::SignIns | Kind::SignInSummary => {
                    let no_accounts = Default::default();
                    let resolver = Resolver {
                        index: &no_accounts,
                        seen: &seen,
                        any: true,
                    };
                    let mut s = SignIns {
                        per_account: vec![Default::default()],
                        ..Default::default()
                    };
                    signins::read_input(
                        o,
                        &resolver,
                        date_order,
                        &mut s,
                        &mut log,
                        &indicatif::ProgressBar::hidden(),
                    )?
                }
                Kind::AuthDetails => skip_rows(o, &mut log)?,
                _ => {
                    let mut recs = Records::default();
                    records::read(o, date_order, &mut recs, &mut log)?
                }
            };
            out.push(Inspection {
                info: info(o2, rows)?,
                issues: log.finish(),
            });
        }
    }
    out.extend(inspect_secure_score(given)?);
    Ok((out, top.finish()))
}

/// The Secure Score exports among the given paths (claimed by content, like the directory
/// inputs), each read on its own.
fn inspect_secure_score(given: &[Given]) -> Result<Vec<Inspection>, Error> {
    let paths: Vec<std::path::PathBuf> = given
        .iter()
        .filter(|g| g.kind.is_none())
        .map(|g| g.path.clone())
        .collect();
    let mut out = Vec::new();
    for (p, kind) in input::coverage_files::find(&paths).secure_score {
        let name = p.display().to_string();
        let data = std::fs::read(&p).map_err(|e| input::InputError::io(&name, e))?;
        let mut exports = input::secure_score::Exports::default();
        let mut log = IssueLog::default();
        input::secure_score::read(&name, &data, kind, &mut exports, &mut log)?;
        exports.choose(&mut log);
        for info in exports.infos {
            out.push(Inspection {
                info,
                issues: std::mem::take(&mut log).finish(),
            });
        }
    }
    Ok(out)
}
