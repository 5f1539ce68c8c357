//! summary.json (the machine-readable twin of the workbook's Summary) and manifest.json (tool
//! version, parameters, every input with its SHA-256, every output with its SHA-256). Neither
//! holds the time of the run, so a re-run on the same inputs is byte-identical.

use std::path::Path;

use serde::Serialize;

use super::files::Written;
use crate::error::Error;
use crate::report::{Parameters, Report};

fn pretty<T: Serialize>(v: &T) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).unwrap_or_default();
    s.push(b'\n');
    s
}

pub fn write_summary(r: &Report, out: &Path, w: &mut Written) -> Result<(), Error> {
    w.put(out, "summary.json", &pretty(&r.summary))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManifestInput<'a> {
    path: &'a str,
    sha256: &'a str,
    bytes: u64,
    kind: &'a str,
    format: &'a str,
    rows: u64,
    rows_used: u64,
    rows_rejected: u64,
}

#[derive(Serialize)]
struct ManifestOutput<'a> {
    path: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    tool: &'static str,
    version: &'static str,
    /// The numbering plan phone numbers were judged by.
    phone_metadata: &'static str,
    parameters: &'a Parameters,
    inputs: Vec<ManifestInput<'a>>,
    outputs: Vec<ManifestOutput<'a>>,
}

pub fn write_manifest(r: &Report, out: &Path, w: &mut Written) -> Result<(), Error> {
    let mut outputs: Vec<&(String, String)> = w.files.iter().collect();
    outputs.sort();
    let m = Manifest {
        tool: "mfa-audit",
        version: env!("CARGO_PKG_VERSION"),
        phone_metadata: crate::values::PHONE_METADATA,
        parameters: &r.summary.parameters,
        inputs: r
            .inputs
            .iter()
            .map(|i| ManifestInput {
                path: &i.path,
                sha256: &i.sha256,
                bytes: i.bytes,
                kind: i.kind.label(),
                format: &i.format,
                rows: i.rows.read,
                rows_used: i.rows.used,
                rows_rejected: i.rows.rejected,
            })
            .collect(),
        outputs: outputs
            .iter()
            .map(|(p, h)| ManifestOutput { path: p, sha256: h })
            .collect(),
    };
    let bytes = pretty(&m);
    super::files::write_atomic(&out.join("manifest.json"), &bytes)
}
