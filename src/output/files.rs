//! Writing an output file: atomically (a temporary file in the same folder, fsynced, then
//! renamed), and recorded with its SHA-256 for the manifest.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::Output {
        path: path.display().to_string(),
        source: e,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Files written, relative to the output folder, with their bytes' SHA-256.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<(String, String)>,
    /// Outputs of an earlier run that this run did not write, removed from the folder.
    pub removed: Vec<String>,
}

impl Written {
    pub fn put(&mut self, out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        self.files.push(write_hashed(out, rel, bytes)?);
        Ok(())
    }
}

/// Writes `bytes` to `rel` under `out` atomically; the file's entry of `Written`.
pub fn write_hashed(out: &Path, rel: &str, bytes: &[u8]) -> Result<(String, String), Error> {
    write_atomic(&out.join(rel), bytes)?;
    Ok((rel.to_string(), crate::input::detect::sha256_hex(bytes)))
}
