//! The last step of a pseudonymised run (`--pseudonymize`), before any writer: the accounts were
//! rewritten before the rules ran (so findings, bulk rows and charts hold pseudonyms already);
//! here the text that came from the inputs as it was (file paths, input-issue values and
//! problems, policy and exclusion texts) loses its identifiers, and the bulk files are withheld.

use crate::report::model::Report;
use crate::tenant::pseudonyms::Scrubber;

/// Why no bulk file is written (summary.json, Actions sheet, terminal).
pub const WITHHELD: &str = "withheld: this run is pseudonymised (--pseudonymize), and the bulk files exist to be imported into the real tenant; run the audit without --pseudonymize to write them";

pub fn apply(r: &mut Report, s: &Scrubber) {
    let sm = &mut r.summary;
    sm.as_of_source = s.text(&sm.as_of_source);
    sm.parameters.as_of_source = s.text(&sm.parameters.as_of_source);
    sm.sign_in_evidence = s.text(&sm.sign_in_evidence);
    for n in &mut sm.not_evaluated {
        n.reason = s.text(&n.reason);
    }
    for i in &mut sm.inputs {
        i.path = s.text(&i.path);
    }
    for e in &mut sm.exclusions {
        e.reason = s.text(&e.reason);
    }
    for l in &mut sm.bulk_left_out {
        l.reason = s.text(&l.reason);
    }
    for e in &mut sm.secure_score {
        e.population = s.text(&e.population);
        e.note = s.text(&e.note);
    }
    if let Some(c) = &mut sm.coverage {
        for t in &mut c.policy_reference_issues {
            *t = s.text(t);
        }
        c.strength_unmet = std::mem::take(&mut c.strength_unmet)
            .into_iter()
            .map(|(k, v)| (s.text(&k), v))
            .collect();
    }
    let pk = &mut sm.passkey_readiness;
    pk.methods_policy = s.text(&pk.methods_policy);
    for n in &mut pk.notes {
        *n = s.text(n);
    }
    sm.bulk_files_withheld = Some(WITHHELD.to_string());
    // Finding details are built from the rewritten accounts and coverage (their free text
    // scrubbed there): scrubbing them again would turn ordinary words that are also a local
    // part (`admin`, `test`) into pseudonyms.
    for i in &mut r.issues {
        // A file not read lists its headers, which may be a first row of names and numbers.
        if let Some(at) = i.problem.find("(headers: ") {
            let rest = i.problem[at..]
                .rfind(')')
                .map_or("", |e| &i.problem[at + e + 1..]);
            i.problem = format!(
                "{}(headers not shown: the run is pseudonymised){rest}",
                &i.problem[..at]
            );
        }
        let value = s.issue_value(&i.column, &i.value);
        let problem = if i.value.trim().chars().count() >= 3 {
            i.problem.replace(&i.value, &value)
        } else {
            i.problem.clone()
        };
        i.problem = s.text(&problem);
        i.value = value;
        i.file = s.text(&i.file);
    }
    for i in &mut r.inputs {
        i.path = s.text(&i.path);
    }
    for t in &mut r.coverage_issues {
        *t = s.text(t);
    }
    if let Some(p) = &mut r.progress {
        p.baseline = s.text(&p.baseline);
    }
    for a in &mut r.actions {
        a.withheld = true;
    }
    let left_out = std::mem::take(&mut r.bulk.left_out);
    r.bulk = crate::report::model::Bulk {
        left_out,
        ..Default::default()
    };
}
