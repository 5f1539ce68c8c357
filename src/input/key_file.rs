//! The pseudonym key of `audit --pseudonymize KEY_FILE`: 32 random bytes written by
//! `mfa-audit new-key` as 64 hexadecimal characters. The key is only ever read here; it is never
//! written into an output, a log or a message.

use std::path::Path;

use crate::input::InputError;

/// Bytes in a key.
pub const KEY_BYTES: usize = 32;

/// A pseudonym key. `Debug` never shows the bytes.
#[derive(Clone)]
pub struct Key(pub [u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

fn unreadable(path: &Path, why: &str) -> InputError {
    InputError::Unreadable {
        file: path.display().to_string(),
        why: format!(
            "{why}; expected a pseudonym key: {} hexadecimal characters as `mfa-audit new-key FILE` writes them",
            KEY_BYTES * 2
        ),
    }
}

/// Reads a key file. Whitespace around the hexadecimal text is allowed; anything else is an
/// input error naming the file (never quoting its content).
pub fn read(path: &Path) -> Result<Key, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::Io {
        file: path.display().to_string(),
        source: e,
    })?;
    parse(&bytes).map_err(|why| unreadable(path, why))
}

fn parse(bytes: &[u8]) -> Result<Key, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not text")?;
    let hex = text.trim();
    if hex.len() != KEY_BYTES * 2 {
        return Err("the file does not hold exactly one key of the right length");
    }
    let mut key = [0u8; KEY_BYTES];
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let hi = nibble(pair[0]).ok_or("the key holds a character that is not hexadecimal")?;
        let lo = nibble(pair[1]).ok_or("the key holds a character that is not hexadecimal")?;
        key[i] = hi << 4 | lo;
    }
    if key.iter().all(|&b| b == key[0]) {
        return Err("the key is one byte repeated, not a random key");
    }
    Ok(Key(key))
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_and_anything_else_is_refused() {
        let hex: String = (0..KEY_BYTES)
            .map(|i| format!("{:02x}", i * 7 + 1))
            .collect();
        let k = parse(format!("{hex}\n").as_bytes()).expect("a well-formed key");
        assert_eq!(k.0[1], 8);
        assert_eq!(format!("{k:?}"), "Key(..)");
        assert!(parse(&hex.as_bytes()[..62]).is_err(), "too short");
        assert!(parse(format!("{hex}00").as_bytes()).is_err(), "too long");
        assert!(
            parse(hex.replacen('0', "g", 1).as_bytes()).is_err(),
            "not hex"
        );
        assert!(
            parse("00".repeat(KEY_BYTES).as_bytes()).is_err(),
            "not random"
        );
        assert!(parse(&[0xff, 0xfe]).is_err(), "not text");
    }
}
