//! The account lookup shared by the account table (`accounts`) and the sign-in readers: object
//! id (parsed GUID) or lowercase UPN to an account's position. One index and one lowercasing
//! rule, so a sign-in row finds exactly the account a users or registration row would.

use foldhash::HashMap;

/// Object id and UPN keys to account positions.
#[derive(Debug, Default)]
pub struct AccountIndex {
    by_id: HashMap<u128, u32>,
    by_upn: HashMap<String, u32>,
}

impl AccountIndex {
    /// The account with this object id, else this UPN (case-insensitive).
    pub fn find(&self, id: Option<&str>, upn: Option<&str>) -> Option<u32> {
        id.and_then(guid_key)
            .and_then(|k| self.by_id(k))
            .or_else(|| upn.and_then(|u| self.by_upn.get(upn_key(u).as_ref()).copied()))
    }

    /// The account with this object id (a `guid_key`). `find` tries it first, so where it
    /// answers, `find` with the same id answers the same.
    pub fn by_id(&self, key: u128) -> Option<u32> {
        self.by_id.get(&key).copied()
    }

    /// Room for `n` more accounts in both maps.
    pub fn reserve(&mut self, n: usize) {
        self.by_id.reserve(n);
        self.by_upn.reserve(n);
    }

    /// Files account `i` under its object id (when it is a GUID).
    pub fn add_id(&mut self, id: &str, i: usize) {
        if let Some(k) = guid_key(id) {
            self.by_id.insert(k, i as u32);
        }
    }

    /// Files account `i` under its UPN.
    pub fn add_upn(&mut self, upn: &str, i: usize) {
        self.by_upn.insert(upn_key(upn).into_owned(), i as u32);
    }

    /// The index of accounts `0..` from their object ids and UPNs, the two maps built side by
    /// side (the same maps, entry for entry, as `add_id` / `add_upn` in order).
    pub fn build(ids: &[Option<&str>], upns: &[&str]) -> AccountIndex {
        let by_id = || {
            let mut m = HashMap::default();
            m.reserve(ids.len());
            for (i, id) in ids.iter().enumerate() {
                if let Some(k) = id.and_then(guid_key) {
                    m.insert(k, i as u32);
                }
            }
            m
        };
        let by_upn = || {
            let mut m: HashMap<String, u32> = HashMap::default();
            m.reserve(upns.len());
            for (i, u) in upns.iter().enumerate() {
                m.insert(upn_key(u).into_owned(), i as u32);
            }
            m
        };
        let (id_map, upn_map) = crate::par::beside(by_id, by_upn);
        AccountIndex {
            // A thread that panicked (a bug) is built again here, where it panics visibly.
            by_id: id_map.unwrap_or_else(|_| by_id()),
            by_upn: upn_map,
        }
    }
}

/// A UPN as a lookup key: lowercase (Unicode), borrowed when it already is.
pub fn upn_key(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(s.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(s)
        }
    } else {
        std::borrow::Cow::Owned(s.to_lowercase())
    }
}

/// An object id as a number: GUIDs compare case-insensitively, and a u128 hashes and
/// compares far faster than its 36-character text on millions of sign-in rows. `None` when
/// the text is not a GUID (8-4-4-4-12 hex digits).
pub fn guid_key(s: &str) -> Option<u128> {
    guid_key_bytes(s.as_bytes())
}

/// `guid_key` of raw bytes (a cell not yet checked as UTF-8: a GUID is ASCII).
pub fn guid_key_bytes(b: &[u8]) -> Option<u128> {
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // One table lookup per digit and one check at the end: this runs for every sign-in row.
    let mut v: u128 = 0;
    let mut bad = 0u8;
    for &p in &GUID_DIGITS {
        let d = HEX[b[p] as usize];
        bad |= d;
        v = (v << 4) | u128::from(d & 0x0F);
    }
    (bad & NOT_HEX == 0).then_some(v)
}

/// Positions of the 32 hex digits in `8-4-4-4-12`.
const GUID_DIGITS: [usize; 32] = {
    let mut p = [0usize; 32];
    let (mut i, mut k) = (0, 0);
    while i < 36 {
        if !(i == 8 || i == 13 || i == 18 || i == 23) {
            p[k] = i;
            k += 1;
        }
        i += 1;
    }
    p
};

/// Marks a byte that is not a hex digit in `HEX`.
const NOT_HEX: u8 = 0x80;

/// Value of each byte as a hex digit, or `NOT_HEX`.
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => NOT_HEX,
        };
        c += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_in_any_case_and_upns_by_unicode_lowercase() {
        let mut ix = AccountIndex::default();
        ix.add_id("6D1C0003-2B7E-4C1A-9F3E-A1B2C3D4E503", 0);
        ix.add_upn("Zoë.Müller@Contoso.com", 1);
        assert_eq!(
            ix.find(Some("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503"), None),
            Some(0)
        );
        assert_eq!(ix.find(None, Some("ZOË.MÜLLER@contoso.COM")), Some(1));
        // An id that is not a GUID falls back to the UPN; nothing matches a stranger.
        assert_eq!(
            ix.find(Some("not-a-guid"), Some("zoë.müller@contoso.com")),
            Some(1)
        );
        assert_eq!(
            ix.find(Some("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e504"), Some("x@y.z")),
            None
        );
    }

    #[test]
    fn build_gives_the_maps_adding_in_order_gives() {
        let ids = [
            Some("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503"),
            None,
            Some("not-a-guid"),
            Some("6D1C0003-2B7E-4C1A-9F3E-A1B2C3D4E503"), // the same id again: the later wins
        ];
        let upns = ["a@x.com", "B@x.com", "a@x.com", "d@x.com"];
        let mut by_hand = AccountIndex::default();
        for (i, (id, upn)) in ids.iter().zip(upns).enumerate() {
            if let Some(id) = id {
                by_hand.add_id(id, i);
            }
            by_hand.add_upn(upn, i);
        }
        let built = AccountIndex::build(&ids, &upns);
        assert_eq!(built.by_id, by_hand.by_id);
        assert_eq!(built.by_upn, by_hand.by_upn);
        assert_eq!(
            built.find(Some("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503"), None),
            Some(3)
        );
        assert_eq!(built.find(None, Some("A@X.COM")), Some(2));
        assert_eq!(built.find(None, Some("b@x.com")), Some(1));
    }

    #[test]
    fn guid_keys_reject_near_misses() {
        assert!(guid_key("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e503").is_some());
        assert!(guid_key("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e50").is_none());
        assert!(guid_key("6d1c0003+2b7e-4c1a-9f3e-a1b2c3d4e503").is_none());
        assert!(guid_key("6d1c0003-2b7e-4c1a-9f3e-a1b2c3d4e5g3").is_none());
    }

    /// The character-by-character parse `guid_key` replaced, as the reference.
    fn guid_key_reference(s: &str) -> Option<u128> {
        let b = s.as_bytes();
        if b.len() != 36 {
            return None;
        }
        let mut v: u128 = 0;
        for (i, c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if *c != b'-' {
                    return None;
                }
                continue;
            }
            let d = (*c as char).to_digit(16)?;
            v = (v << 4) | d as u128;
        }
        Some(v)
    }

    proptest::proptest! {
        #[test]
        fn guid_key_agrees_with_the_reference(
            s in "[0-9a-fA-F-]{36}|[0-9a-fA-FgG\\-]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F\\x{e9}]{4}-[0-9a-fA-F]{4}-[0-9a-zA-Z ]{12}|.{0,40}"
        ) {
            proptest::prop_assert_eq!(guid_key(&s), guid_key_reference(&s));
        }
    }

    #[test]
    fn guid_key_reads_guids_in_any_case_and_nothing_else() {
        let g = "0123abcd-4567-89ef-ABCD-0123456789aB";
        assert_eq!(guid_key(g), Some(0x0123abcd_4567_89ef_abcd_0123456789ab));
        for bad in [
            "0123abcd-4567-89ef-ABCD-0123456789aG",
            "0123abcd+4567-89ef-ABCD-0123456789aB",
            "0123abcd-4567-89ef-ABCD-0123456789a",
            "",
            "0123abcd-4567-89ef-ABCD-0123456789é",
        ] {
            assert_eq!(guid_key(bad), None, "{bad}");
        }
    }
}
