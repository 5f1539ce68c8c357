//! `mfa-audit new-key FILE`: a fresh random pseudonym key, readable by its owner only (mode 0600
//! on Unix), never overwriting a file that exists.

use std::io::Write as _;
use std::path::Path;

use crate::error::Error;
use crate::input::key_file::KEY_BYTES;

/// Writes a new key to `path` and returns its fingerprint (what manifests record).
pub fn create(path: &Path) -> Result<String, Error> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key)
        .map_err(|e| Error::Internal(format!("no random bytes from the system: {e}")))?;
    let mut hex = String::with_capacity(KEY_BYTES * 2 + 1);
    for b in key {
        hex.push_str(&format!("{b:02x}"));
    }
    hex.push('\n');
    let out = |source| Error::Output {
        path: path.display().to_string(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{}: a file is already there; a key is never overwritten (pseudonyms made with it would no longer match). Give a new file name",
                path.display()
            ))
        } else {
            out(e)
        }
    })?;
    f.write_all(hex.as_bytes()).map_err(out)?;
    f.sync_all().map_err(out)?;
    let k = crate::input::key_file::Key(key);
    Ok(crate::tenant::pseudonyms::Pseudonyms::new(&k).fingerprint())
}
