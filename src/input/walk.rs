//! Walks an input folder: every regular file at any depth, in path order. Named pipes, sockets
//! and devices are set aside with their reason and never opened (opening a pipe waits for a
//! writer); symbolic links are followed, each folder is read once (a link loop ends at the
//! folder already read); a folder that is this tool's own output (it holds the `manifest.json`
//! an audit writes) is skipped and named. Hidden entries (names starting with `.`) are skipped,
//! as before. See docs/inputs.md, "What is read from a folder".

use std::path::{Path, PathBuf};

/// Folders nested deeper than this below an input folder are not read (and are named).
const MAX_DEPTH: usize = 64;

/// What a walk found: the regular files, and what it set aside with the reason.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub set_aside: Vec<(PathBuf, String)>,
}

/// What a folder entry is, following symbolic links.
enum Entry {
    File,
    Folder,
    Other(String),
}

fn entry_kind(p: &Path) -> Entry {
    let link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Entry::File,
        Ok(m) if m.is_dir() => Entry::Folder,
        Ok(m) => Entry::Other(special(&m)),
        Err(e) if link => Entry::Other(format!(
            "a symbolic link that cannot be followed ({e}); not read"
        )),
        Err(e) => Entry::Other(format!("cannot be read ({e}); not read")),
    }
}

/// Why a file that is neither a regular file nor a folder is not opened.
fn special(m: &std::fs::Metadata) -> String {
    let what = special_kind(m);
    format!(
        "{what}, not a regular file: never opened inside a folder (reading it could wait forever); name it on the command line to read it"
    )
}

#[cfg(unix)]
fn special_kind(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_char_device() {
        "a character device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// What identifies a folder however it is reached (through links or not).
#[cfg(unix)]
fn folder_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// Is this folder an earlier audit's output (a `manifest.json` written by this tool)?
pub fn is_own_output(dir: &Path) -> bool {
    let m = dir.join("manifest.json");
    let Ok(meta) = std::fs::metadata(&m) else {
        return false;
    };
    // A manifest is small; anything else by that name is not ours.
    if !meta.is_file() || meta.len() > (64 << 20) {
        return false;
    }
    let Ok(bytes) = std::fs::read(&m) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("tool")
                .and_then(|t| t.as_str())
                .map(|t| t == "mfa-audit")
        })
        .unwrap_or(false)
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Every regular file below `root` (sorted by path), and the entries set aside with why.
pub fn walk(root: &Path) -> Walked {
    let mut out = Walked::default();
    let mut seen = std::collections::HashSet::new();
    if let Some(id) = folder_id(root) {
        seen.insert(id);
    }
    let mut todo: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = todo.pop() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                out.set_aside
                    .push((dir.clone(), format!("a folder that cannot be listed ({e})")));
                continue;
            }
        };
        entries.sort();
        let mut below = Vec::new();
        for p in entries.into_iter().filter(|p| !hidden(p)) {
            match entry_kind(&p) {
                Entry::File => out.files.push(p),
                Entry::Other(why) => out.set_aside.push((p, why)),
                Entry::Folder => {
                    if is_own_output(&p) {
                        out.set_aside.push((
                            p,
                            "a folder holding this tool's own output (its manifest.json): an earlier audit's reports, not inputs; not read".into(),
                        ));
                    } else if depth + 1 > MAX_DEPTH {
                        out.set_aside.push((
                            p,
                            format!("a folder nested more than {MAX_DEPTH} levels deep; not read"),
                        ));
                    } else if folder_id(&p).is_some_and(|id| !seen.insert(id)) {
                        out.set_aside.push((
                            p,
                            "a folder already read under another path (a symbolic link loop or a second link to it); read once".into(),
                        ));
                    } else {
                        below.push((p, depth + 1));
                    }
                }
            }
        }
        // Depth first, in path order: sub-folders pushed in reverse pop in order.
        todo.extend(below.into_iter().rev());
    }
    out.files.sort();
    out.set_aside.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_at_any_depth_are_found_and_own_output_is_skipped() {
        let d = tempfile::tempdir().expect("temp dir");
        let r = d.path();
        std::fs::create_dir_all(r.join("a/b/c")).expect("mkdir");
        std::fs::write(r.join("top.csv"), "x").expect("write");
        std::fs::write(r.join("a/b/c/deep.json"), "{}").expect("write");
        std::fs::write(r.join(".hidden.csv"), "x").expect("write");
        std::fs::create_dir_all(r.join("reports")).expect("mkdir");
        std::fs::write(r.join("reports/findings.csv"), "x").expect("write");
        std::fs::write(r.join("reports/manifest.json"), r#"{"tool":"mfa-audit"}"#).expect("write");
        // Near miss: someone else's manifest is not ours; its folder is read.
        std::fs::create_dir_all(r.join("other")).expect("mkdir");
        std::fs::write(r.join("other/manifest.json"), r#"{"tool":"x"}"#).expect("write");
        let w = walk(r);
        assert_eq!(
            w.files,
            vec![
                r.join("a/b/c/deep.json"),
                r.join("other/manifest.json"),
                r.join("top.csv")
            ]
        );
        assert_eq!(w.set_aside.len(), 1);
        assert_eq!(w.set_aside[0].0, r.join("reports"));
        assert!(w.set_aside[0].1.contains("own output"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_ends_and_a_pipe_is_set_aside_unopened() {
        let d = tempfile::tempdir().expect("temp dir");
        let r = d.path();
        std::fs::create_dir_all(r.join("sub")).expect("mkdir");
        std::fs::write(r.join("sub/a.csv"), "x").expect("write");
        std::os::unix::fs::symlink(r, r.join("sub/loop")).expect("symlink");
        std::os::unix::fs::symlink(r.join("missing"), r.join("dangling")).expect("symlink");
        let fifo = r.join("pipe.csv");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let w = walk(r);
        assert_eq!(w.files, vec![r.join("sub/a.csv")]);
        let reasons: Vec<String> = w
            .set_aside
            .iter()
            .map(|(p, why)| format!("{}: {why}", p.display()))
            .collect();
        assert!(reasons.iter().any(|s| s.contains("loop")), "{reasons:?}");
        assert!(
            reasons.iter().any(|s| s.contains("dangling")),
            "{reasons:?}"
        );
        if made {
            assert!(
                reasons
                    .iter()
                    .any(|s| s.contains("pipe.csv") && s.contains("named pipe")),
                "{reasons:?}"
            );
        }
    }
}
