//! The differential phone corpus (`tests/data/phone-corpus.csv`, written by
//! `scripts/make_phone_corpus.py` from the reference libphonenumber): the audit must read every
//! number exactly as the reference does, valid or invalid, and write the same Graph form. A wrong
//! number in the pre-population file sends a second factor to someone else's phone.

use std::process::Command;

#[test]
fn every_corpus_number_reads_as_the_reference_reads_it() {
    let text = include_str!("data/phone-corpus.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut rows = 0;
    let mut wrong = Vec::new();
    let mut valid = 0;
    for rec in rdr.records() {
        let rec = rec.expect("corpus row");
        let (raw, region, want_valid, want_graph) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let region = (!region.is_empty()).then_some(region);
        let got = mfa_audit::parse_phone(raw, region);
        let ok = match (want_valid, &got) {
            ("true", Ok(Some(g))) => g == want_graph,
            ("false", Err(_)) => true,
            _ => false,
        };
        if want_valid == "true" {
            valid += 1;
        }
        if !ok {
            wrong.push(format!(
                "{raw:?} region {region:?}: reference {want_valid} {want_graph:?}, audit {got:?}"
            ));
        }
        rows += 1;
    }
    assert!(rows >= 5000, "{rows} corpus rows");
    assert!(valid > 1000 && valid < rows, "{valid} valid of {rows}");
    assert!(
        wrong.is_empty(),
        "{} of {rows} disagree with the reference:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_manifest_records_the_phone_metadata() {
    let out = tempfile::tempdir().expect("temp dir");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contoso");
    let status = Command::new(env!("CARGO_BIN_EXE_mfa-audit"))
        .args(["audit"])
        .arg(&fixture)
        .arg("--out")
        .arg(out.path())
        .args(["--as-of", "2026-11-21"])
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).expect("manifest"))
            .expect("json");
    let meta = m["phoneMetadata"].as_str().expect("phoneMetadata");
    assert!(meta.starts_with("libphonenumber metadata "), "{meta}");
}
