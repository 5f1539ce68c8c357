//! Thin binary: parse the command line, call the library, print the error chain, set the exit code.
#![forbid(unsafe_code)]

mod cli;

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use mfa_audit::{
    AuditOptions, DateOrder, Error, Given, GroupTemplate, Kind, Millis, PerUserState, SignInType,
    text,
};

use cli::{Cli, Command, KindArgs};

/// mimalloc instead of the system allocator: polars' parsers and the per-account tables allocate
/// many small strings from several threads at once (see bench/README.md for what it bought).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The manual page of the tool, or of one subcommand (titled `mfa-audit-SUB`, as the tool's
/// page refers to it).
fn man_page(sub: Option<&str>) -> Result<String, Error> {
    let cmd = Cli::command();
    let man = match sub {
        None => clap_mangen::Man::new(cmd),
        Some(name) => {
            let sub = cmd.find_subcommand(name).cloned().ok_or_else(|| {
                Error::Usage(format!(
                    "no subcommand `{name}`; expected one of: audit, inspect, rules, new-key, completions, man"
                ))
            })?;
            clap_mangen::Man::new(sub).title(format!("mfa-audit-{name}"))
        }
    };
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| Error::Internal(format!("rendering the manual page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn givens(paths: &[PathBuf], k: &KindArgs) -> Vec<Given> {
    let mut g: Vec<Given> = paths
        .iter()
        .map(|p| Given {
            path: p.clone(),
            kind: None,
            sign_in_type: None,
        })
        .collect();
    let mut add = |ps: &[PathBuf], kind: Kind, t: Option<SignInType>| {
        for p in ps {
            g.push(Given {
                path: p.clone(),
                kind: Some(kind),
                sign_in_type: t,
            });
        }
    };
    add(&k.users, Kind::Users, None);
    add(&k.registration, Kind::Registration, None);
    add(&k.sign_ins, Kind::SignIns, None);
    add(&k.interactive, Kind::SignIns, Some(SignInType::Interactive));
    add(
        &k.non_interactive,
        Kind::SignIns,
        Some(SignInType::NonInteractive),
    );
    add(&k.per_user_mfa, Kind::PerUserMfa, None);
    add(&k.exclusions, Kind::Exclusions, None);
    g
}

fn date_order(k: &KindArgs) -> Option<DateOrder> {
    k.date_order.map(|d| match d {
        cli::DateOrderArg::Mdy => DateOrder::Mdy,
        cli::DateOrderArg::Dmy => DateOrder::Dmy,
    })
}

fn parse_date(flag: &str, s: &str) -> Result<Millis, Error> {
    mfa_audit::parse_ts(s)
        .ok()
        .flatten()
        .and_then(|t| t.resolve(None))
        .ok_or_else(|| {
            Error::Usage(format!(
                "{flag} `{s}`: expected a date such as 2026-11-21 or 2026-11-21T09:30:00Z"
            ))
        })
}

/// The options of `mfa-audit audit`, checked.
fn audit_options(a: &cli::AuditArgs, given: Vec<Given>) -> Result<AuditOptions, Error> {
    let mut opts = AuditOptions::new(
        given,
        a.out.clone().unwrap_or_else(|| PathBuf::from("reports")),
    );
    opts.out_explicit = a.out.is_some();
    opts.as_of = a
        .as_of
        .as_deref()
        .map(|s| parse_date("--as-of", s))
        .transpose()?;
    opts.campaign_start = a
        .campaign_start
        .as_deref()
        .map(|s| parse_date("--campaign-start", s))
        .transpose()?;
    if a.stale_after < 0 || a.active_within < 0 || a.dormant_after < 0 {
        return Err(Error::Usage("day counts must not be negative".into()));
    }
    opts.stale_after_days = a.stale_after;
    opts.active_within_days = a.active_within;
    opts.dormant_after_days = a.dormant_after;
    if let Some(r) = &a.default_region
        && !mfa_audit::known_region(r)
    {
        return Err(Error::Usage(format!(
            "--default-region `{r}`: expected an ISO country code such as US, GB, DE"
        )));
    }
    opts.default_region = a.default_region.clone().map(|r| r.to_ascii_uppercase());
    opts.date_order = date_order(&a.kinds);
    opts.include_guests = a.include_guests;
    opts.per_user_target = match a.per_user_target {
        cli::PerUserTarget::Enabled => PerUserState::Enabled,
        cli::PerUserTarget::Enforced => PerUserState::Enforced,
    };
    opts.group_template = match a.group_template {
        cli::GroupTemplateArg::Current => GroupTemplate::Current,
        cli::GroupTemplateArg::V1 => GroupTemplate::V1,
    };
    opts.max_rows = a.max_rows;
    opts.policies = a.kinds.policies.clone();
    opts.groups = a.kinds.groups.clone();
    opts.group_members = a.kinds.group_members.clone();
    opts.role_assignments = a.kinds.role_assignments.clone();
    opts.methods_policy = a.kinds.methods_policy.clone();
    opts.telephony_retirement = parse_date("--telephony-retirement", &a.telephony_retirement)?;
    opts.telephony_retirement_late =
        parse_date("--telephony-retirement-late", &a.telephony_retirement_late)?;
    opts.telecom_provider = a.telecom_provider;
    opts.baseline = a.baseline.clone();
    opts.pseudonymize = a.pseudonymize.clone();
    Ok(opts)
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "mfa-audit", &mut out);
            emit(&String::from_utf8_lossy(&out));
            Ok(())
        }
        Command::Man { subcommand } => {
            emit(&man_page(subcommand.as_deref())?);
            Ok(())
        }
        Command::Rules { code } => {
            match code {
                None => emit(&text::rules_list()),
                Some(c) => {
                    let r = mfa_audit::find_rule(&c).ok_or_else(|| {
                        Error::Usage(format!("no rule `{c}`; `mfa-audit rules` lists them"))
                    })?;
                    emit(&text::rule_explained(r));
                }
            }
            Ok(())
        }
        Command::NewKey { file } => {
            let fingerprint = mfa_audit::new_key(&file)?;
            eprintln!(
                "wrote a new pseudonym key to {} (readable by you only; fingerprint {fingerprint}). Keep it outside the export folders, and keep it: the same key gives the same pseudonyms next time",
                file.display()
            );
            Ok(())
        }
        Command::Inspect(a) => {
            let given = givens(&a.paths, &a.kinds);
            if given.is_empty() {
                return Err(Error::Usage(
                    "inspect: give at least one file or folder".into(),
                ));
            }
            let (list, top) = mfa_audit::inspect(&given, date_order(&a.kinds))?;
            let directory = mfa_audit::inspect_directory(&given);
            if a.json {
                let v = serde_json::json!({ "files": list, "directoryInputs": directory, "issues": top });
                emit(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"));
                return Ok(());
            }
            emit(&text::inspection(&list, &directory, &top));
            Ok(())
        }
        Command::Audit(a) => {
            let given = givens(&a.paths, &a.kinds);
            if given.is_empty() {
                return Err(Error::Usage("audit: give the exported files or a folder holding them (e.g. fixtures/contoso)".into()));
            }
            let mut opts = audit_options(&a, given)?;
            opts.progress = std::io::stderr().is_terminal();
            let input_paths: Vec<PathBuf> = opts.inputs.iter().map(|g| g.path.clone()).collect();
            mfa_audit::check_out_dir(&opts.out, &input_paths, opts.out_explicit)?;
            let timing = std::env::var_os("MFA_AUDIT_TIMING").is_some();
            let t0 = std::time::Instant::now();
            let report = mfa_audit::audit(&opts)?;
            let t1 = std::time::Instant::now();
            mfa_audit::write_all(&report, &opts.out, &opts)?;
            if timing {
                eprintln!(
                    "timing: audit {:.2}s, outputs {:.2}s",
                    (t1 - t0).as_secs_f64(),
                    t1.elapsed().as_secs_f64()
                );
            }
            emit(&text::summary(&report, &opts.out));
            // The process ends here: freeing a large tenant's report (millions of strings, one
            // by one) would only delay the exit.
            std::mem::forget(report);
            Ok(())
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn emit(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error (a bug in mfa-audit, please report it): {info}");
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                eprintln!("  caused by: {s}");
                src = s.source();
            }
            ExitCode::from(e.exit_code() as u8)
        }
        Err(_) => ExitCode::from(1),
    }
}
