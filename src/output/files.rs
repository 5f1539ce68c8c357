//! Writing an output file: atomically (a temporary file in the same folder, fsynced, then
//! renamed), and recorded with its SHA-256 for the manifest.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |f| {
        f.write_all(bytes).map_err(|e| output_error(path, e))
    })
}

fn output_error(path: &Path, e: std::io::Error) -> Error {
    Error::Output {
        path: path.display().to_string(),
        source: e,
    }
}

/// Writes `path` atomically through `fill`, which gets the temporary file (a large output is
/// written as it is made, never held whole), and returns the file's SHA-256.
pub fn write_atomic_hashed_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<(), Error>,
) -> Result<String, Error> {
    let mut hash = String::new();
    write_atomic_with(path, |f| {
        fill(f)?;
        use sha2::Digest;
        use std::io::{Seek, SeekFrom};
        f.seek(SeekFrom::Start(0))
            .map_err(|e| output_error(path, e))?;
        let mut h = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = std::io::Read::read(f, &mut buf).map_err(|e| output_error(path, e))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(())
    })?;
    Ok(hash)
}

/// Creates the temporary file beside `path`, lets `fill` write it, fsyncs and renames it into
/// place; on any failure the temporary file is removed and `path` is untouched.
fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> Result<(), Error>,
) -> Result<(), Error> {
    let err = |e: std::io::Error| output_error(path, e);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(err)?;
        fill(&mut f)?;
        f.sync_all().map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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

    /// Writes `rel` under `out` atomically through `fill`, as it is made (nothing held whole).
    pub fn put_with(
        &mut self,
        out: &Path,
        rel: &str,
        fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let path = out.join(rel);
        let hash =
            write_atomic_hashed_with(&path, |f| fill(f).map_err(|e| output_error(&path, e)))?;
        self.files.push((rel.to_string(), hash));
        Ok(())
    }
}

/// Writes `bytes` to `rel` under `out` atomically; the file's entry of `Written`.
pub fn write_hashed(out: &Path, rel: &str, bytes: &[u8]) -> Result<(String, String), Error> {
    write_atomic(&out.join(rel), bytes)?;
    Ok((rel.to_string(), crate::input::detect::sha256_hex(bytes)))
}
