//! Keyed pseudonyms (`audit --pseudonymize KEY_FILE`): every person or object identifier becomes
//! an HMAC-SHA-256 of it under the key, before any rule or writer runs, so details, charts and
//! the workbook are built from pseudonyms. The same key maps the same identifier to the same
//! pseudonym in every run, which keeps `--baseline` working between pseudonymised runs.
//!
//! - UPN `u-<12 hex>@d-<8 hex>.example` (the domain on its own, so one domain's accounts stay
//!   together; a guest keeps its `#EXT#` mark); display name `User <the same 12 hex>`;
//! - object ids: a version-4 GUID made from the HMAC;
//! - phone numbers: the country code and a token of letters, no digit of the national number;
//! - free text that came from the inputs (exclusion reasons, policy and group names, file paths,
//!   input-issue values): every known identifier in it is replaced by its pseudonym, and so is
//!   anything shaped like an e-mail address or a GUID (but Microsoft's own constant ids).
//!
//! Departments, policy names (but a person's name inside one) and counts are kept; job titles
//! are left out (one can name a single person).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::input::key_file::Key;
use crate::tenant::accounts::{Account, Phone};
use crate::tenant::coverage::Effect;
use crate::tenant::coverage_rows::Row;

type HmacSha256 = Hmac<Sha256>;

/// The text the key fingerprint is an HMAC of.
const FINGERPRINT_TEXT: &[u8] = b"mfa-audit pseudonym key fingerprint v1";

/// Names and local parts shorter than this are not searched for inside free text (a two-letter
/// local part would turn every such word into a pseudonym); whole fields are always replaced.
pub const MIN_WORD: usize = 3;

/// The keyed pseudonym functions.
#[derive(Clone)]
pub struct Pseudonyms {
    mac: HmacSha256,
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Letters only (`a`..`p`, one per half byte): a token that can never hold a phone digit.
fn letters(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0f])
        .map(|n| char::from(b'a' + n))
        .collect()
}

impl Pseudonyms {
    pub fn new(key: &Key) -> Pseudonyms {
        // HMAC pads a key shorter than the hash's block (64 bytes) with zeros: giving the padded
        // block is the same HMAC, and needs no fallible constructor.
        let mut block = [0u8; 64];
        block[..key.0.len()].copy_from_slice(&key.0);
        Pseudonyms {
            mac: HmacSha256::new(&block.into()),
        }
    }

    /// HMAC of `value` in the domain `kind` (so a UPN and a name that are equal texts still
    /// give unrelated pseudonyms).
    fn tag(&self, kind: &str, value: &str) -> [u8; 32] {
        let mut m = self.mac.clone();
        m.update(kind.as_bytes());
        m.update(&[0]);
        m.update(value.as_bytes());
        m.finalize().into_bytes().into()
    }

    /// What a manifest records of the key: an HMAC of a fixed text, 16 hex digits.
    pub fn fingerprint(&self) -> String {
        let mut m = self.mac.clone();
        m.update(FINGERPRINT_TEXT);
        let t: [u8; 32] = m.finalize().into_bytes().into();
        hex(&t[..8])
    }

    fn upn_hex(&self, upn: &str) -> String {
        hex(&self.tag("upn", &upn.to_lowercase())[..6])
    }

    /// `u-<12 hex>@d-<8 hex>.example`; a guest's `#EXT#` mark is kept.
    pub fn upn(&self, upn: &str) -> String {
        if upn.is_empty() {
            return String::new();
        }
        let local = format!("u-{}", self.upn_hex(upn));
        let guest = upn.to_ascii_uppercase().contains("#EXT#");
        let local = if guest { local + "#EXT#" } else { local };
        match upn.rsplit_once('@') {
            Some((_, domain)) => format!("{local}@{}", self.domain(domain)),
            None => local,
        }
    }

    /// The local part of [`Pseudonyms::upn`].
    fn local_part(&self, upn: &str) -> String {
        let p = self.upn(upn);
        p.rsplit_once('@').map(|(l, _)| l.to_string()).unwrap_or(p)
    }

    pub fn domain(&self, domain: &str) -> String {
        format!(
            "d-{}.example",
            hex(&self.tag("domain", &domain.to_lowercase())[..4])
        )
    }

    /// `User <12 hex>`, the hex of the account's UPN pseudonym.
    pub fn display_name(&self, upn: &str) -> String {
        format!("User {}", self.upn_hex(upn))
    }

    /// A version-4 GUID made from the HMAC of the id (lower-cased).
    pub fn guid(&self, id: &str) -> String {
        let t = self.tag("id", &id.trim().to_lowercase());
        let mut b = [0u8; 16];
        b.copy_from_slice(&t[..16]);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }

    /// A phone number: the Graph form `+{cc} {national}` keeps its country code and gets a token
    /// for the national number; anything else becomes a token.
    pub fn phone(&self, phone: &str) -> String {
        let t = phone.trim();
        if let Some((cc, national)) = t.strip_prefix('+').and_then(|r| r.split_once(' '))
            && !cc.is_empty()
            && cc.bytes().all(|c| c.is_ascii_digit())
        {
            let digits: String = national.chars().filter(char::is_ascii_digit).collect();
            return format!("+{cc} {}", self.token("phone", &digits));
        }
        self.token("phone-text", t)
    }

    /// `p-` and 10 letters.
    pub fn token(&self, kind: &str, value: &str) -> String {
        format!("p-{}", letters(&self.tag(kind, value)[..5]))
    }

    /// `Group <8 hex>`: a group named after a person.
    pub fn group_name(&self, name: &str) -> String {
        format!(
            "Group {}",
            hex(&self.tag("group", &name.to_lowercase())[..4])
        )
    }
}

/// Where a pattern may match inside free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// Anywhere (UPNs, domains, ids, phone digits: distinctive on their own).
    Anywhere,
    /// Only as a word: not inside a longer word (names, local parts).
    Word,
}

/// A character that continues a word (a name or local part inside one is not that name). A
/// hyphen or underscore ends a word: `CA002-Exclude-adele.vance-MFA` names `adele.vance`.
pub fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Identifiers to their pseudonyms, for whole fields and for free text. Built from the accounts
/// as read (before any is rewritten) and the directory's groups.
pub struct Scrubber {
    p: Pseudonyms,
    ac: AhoCorasick,
    replacement: Vec<String>,
    bound: Vec<Bound>,
    /// Microsoft's constant ids (built-in roles), which identify nobody.
    constant_ids: Vec<String>,
    /// The tool's own words (finding codes): a name inside one is not that name.
    protected: Vec<String>,
}

/// One group of the directory inputs, by its display name as exported.
pub struct GroupName<'a> {
    pub name: &'a str,
}

impl Scrubber {
    /// `protected`: words of the tool's own (finding codes) that are never rewritten. Fails
    /// only when the identifiers are too many for one automaton: then nothing is written rather
    /// than text left unscrubbed.
    pub fn new(
        p: Pseudonyms,
        accounts: &[Account],
        groups: &[GroupName<'_>],
        protected: &[&str],
    ) -> Result<Scrubber, String> {
        let mut patterns: HashMap<String, (String, Bound)> = HashMap::new();
        let mut add = |pat: &str, repl: String, bound: Bound| {
            let pat = pat.trim();
            let long_enough = match bound {
                Bound::Anywhere => pat.chars().count() >= 4,
                Bound::Word => pat.chars().count() >= MIN_WORD,
            };
            if long_enough {
                // ASCII letters match in any case; other letters (`Å`, `Ö`) as exported and
                // lower-cased.
                for form in [pat.to_string(), pat.to_lowercase(), pat.to_uppercase()] {
                    patterns.entry(form).or_insert((repl.clone(), bound));
                }
            }
        };
        let mut names: Vec<String> = Vec::new();
        for a in accounts {
            if !a.upn.is_empty() {
                add(&a.upn, p.upn(&a.upn), Bound::Anywhere);
                if let Some((local, domain)) = a.upn.rsplit_once('@') {
                    add(local, p.local_part(&a.upn), Bound::Word);
                    add(domain, p.domain(domain), Bound::Anywhere);
                    // The tenant's name as folders and files are named after it (`contoso`
                    // of `contoso.com`): the first label of the domain's pseudonym.
                    if let Some((label, _)) = domain.split_once('.') {
                        let pd = p.domain(domain);
                        let plabel = pd
                            .split_once('.')
                            .map_or(pd.clone(), |(l, _)| l.to_string());
                        add(label, plabel, Bound::Word);
                    }
                    names.push(local.to_lowercase());
                    // A guest's own address, `alice_fabrikam.com#EXT#` -> `alice@fabrikam.com`.
                    if let Some(i) = local.to_ascii_uppercase().find("#EXT#")
                        && let Some((user, home)) = local[..i].rsplit_once('_')
                    {
                        add(&format!("{user}@{home}"), p.upn(&a.upn), Bound::Anywhere);
                        add(home, p.domain(home), Bound::Anywhere);
                        if let Some((label, _)) = home.split_once('.') {
                            let pd = p.domain(home);
                            let plabel = pd
                                .split_once('.')
                                .map_or(pd.clone(), |(l, _)| l.to_string());
                            add(label, plabel, Bound::Word);
                        }
                        add(user, p.local_part(&a.upn), Bound::Word);
                        names.push(user.to_lowercase());
                    }
                }
            }
            if let Some(n) = &a.display_name {
                add(n, p.display_name(&a.upn), Bound::Word);
                names.push(n.to_lowercase());
            }
            if let Some(id) = &a.id {
                add(id, p.guid(id), Bound::Anywhere);
            }
            let phone = match &a.mobile {
                Phone::Valid(v) => Some(p.phone(v)),
                _ => None,
            };
            if let Some(raw) = &a.mobile_raw {
                let repl = phone.clone().unwrap_or_else(|| p.phone(raw));
                add(raw, repl, Bound::Anywhere);
            }
            if let Phone::Valid(v) = &a.mobile
                && let Some(repl) = &phone
            {
                add(v, repl.clone(), Bound::Anywhere);
                if let Some((cc, national)) = v.split_once(' ') {
                    let digits: String = national.chars().filter(char::is_ascii_digit).collect();
                    add(&digits, token_of(repl), Bound::Anywhere);
                    add(&format!("{cc}{digits}"), repl.clone(), Bound::Anywhere);
                }
            }
            if let Some(ph) = &a.auth_phone
                && looks_like_phone(ph)
            {
                add(ph, p.phone(ph), Bound::Anywhere);
            }
        }
        // A group named after a person (its name holds an account's name or local part as a
        // word) is a pseudonym; other group names are kept.
        let person = name_matcher(&names)?;
        for g in groups {
            if contains_word(&person, g.name) {
                add(g.name, p.group_name(g.name), Bound::Word);
            }
        }
        let mut list: Vec<(String, (String, Bound))> = patterns.into_iter().collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(list.iter().map(|(k, _)| k.as_str()))
            .map_err(|e| format!("the pseudonym search over {} identifiers: {e}", list.len()))?;
        Ok(Scrubber {
            p,
            ac,
            replacement: list.iter().map(|(_, (r, _))| r.clone()).collect(),
            bound: list.iter().map(|(_, (_, b))| *b).collect(),
            protected: protected.iter().map(|p| p.to_string()).collect(),
            constant_ids: crate::input::roles::BUILT_IN_ROLES
                .iter()
                .map(|(_, id)| id.to_string())
                .collect(),
        })
    }

    pub fn pseudonyms(&self) -> &Pseudonyms {
        &self.p
    }

    /// Free text with every identifier in it replaced: known identifiers first, then anything
    /// shaped like an e-mail address or a GUID.
    pub fn text(&self, s: &str) -> String {
        let known = self.known(s);
        let mails = replace_shapes(&known, find_email, |m| self.p.upn(m));
        replace_shapes(&mails, find_guid, |g| {
            if self.is_constant(g) {
                g.to_string()
            } else {
                self.p.guid(g)
            }
        })
    }

    fn is_constant(&self, g: &str) -> bool {
        // Built-in strengths and first-party applications (`00000003-0000-0ff1-ce00-...`).
        g.starts_with("0000000") || self.constant_ids.iter().any(|c| c.eq_ignore_ascii_case(g))
    }

    fn known(&self, s: &str) -> String {
        // Spans of the tool's own words (finding codes), left as they are.
        let mut keep: Vec<(usize, usize)> = Vec::new();
        for w in &self.protected {
            keep.extend(s.match_indices(w.as_str()).map(|(i, m)| (i, i + m.len())));
        }
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for m in self.ac.find_iter(s) {
            let i = m.pattern().as_usize();
            if self.bound[i] == Bound::Word
                && (!is_word(s, m.start(), m.end())
                    || keep.iter().any(|&(a, b)| a <= m.start() && m.end() <= b))
            {
                continue;
            }
            out.push_str(&s[last..m.start()]);
            out.push_str(&self.replacement[i]);
            last = m.end();
        }
        out.push_str(&s[last..]);
        out
    }

    /// Rewrites one account's identifiers (its UPN, id, display name, phones) and scrubs its
    /// free text. `display_name` follows the UPN's pseudonym.
    pub fn account(&self, a: &mut Account) {
        let p = &self.p;
        let upn = std::mem::take(&mut a.upn);
        a.upn = p.upn(&upn);
        a.upn_lower = a.upn.to_lowercase();
        if a.display_name.is_some() {
            a.display_name = Some(p.display_name(&upn));
        }
        if let Some(id) = &mut a.id {
            *id = p.guid(id);
        }
        a.mobile = match std::mem::take(&mut a.mobile) {
            Phone::None => Phone::None,
            Phone::Valid(v) => Phone::Valid(p.phone(&v)),
            Phone::Invalid { raw, why } => Phone::Invalid {
                raw: p.phone(&raw),
                why: self.text(&why),
            },
        };
        if let Some(raw) = &mut a.mobile_raw {
            *raw = match &a.mobile {
                Phone::Valid(v) => v.clone(),
                _ => p.phone(raw),
            };
        }
        if let Some(ph) = &mut a.auth_phone
            && looks_like_phone(ph)
        {
            *ph = p.phone(ph);
        }
        // A job title can name one person ("Chief Executive Officer"); it is not needed to
        // judge MFA readiness, so a shared audit leaves it out. Departments stay.
        a.job_title = None;
        if let Some(e) = &mut a.exclusion {
            e.reason = self.text(&e.reason);
        }
        a.registration_basis = self.text(&a.registration_basis);
        a.scope_reason = self.text(&a.scope_reason);
        if let Some(loc) = &mut a.mobile_loc {
            loc.file = self.text(&loc.file).into();
        }
    }

    /// Coverage rows: the account's UPN and id, and the text of every policy effect.
    pub fn coverage_row(&self, r: &mut Row) {
        r.upn = self.p.upn(&r.upn);
        r.id = self.p.guid(&r.id);
        let v = &mut r.verdict;
        for e in v
            .enforced_by
            .iter_mut()
            .chain(v.partial_by.iter_mut())
            .chain(v.excluded_by.iter_mut())
            .chain(v.unknown_because.iter_mut())
        {
            self.effect(e);
        }
        for s in &mut r.strengths {
            s.policy = self.text(&s.policy);
        }
    }

    fn effect(&self, e: &mut Effect) {
        e.policy = self.text(&e.policy);
        e.reason = self.text(&e.reason);
    }

    /// An id a policy or policy input refers to: a GUID becomes the GUID pseudonym (so it
    /// matches the same id elsewhere), anything else a token.
    pub fn reference_id(&self, id: &str) -> String {
        let v = id.trim();
        if v.is_empty() || (find_guid(v) == Some((0, v.len())) && self.is_constant(v)) {
            return id.to_string();
        }
        if find_guid(v) == Some((0, v.len())) {
            return self.p.guid(v);
        }
        self.p.token("value", v)
    }

    /// An input issue's value: the whole value when its column holds identifiers, else the
    /// identifiers inside it.
    pub fn issue_value(&self, column: &str, value: &str) -> String {
        if value.trim().is_empty() {
            return value.to_string();
        }
        let c = column.to_ascii_lowercase();
        const IDENTIFYING: [&str; 12] = [
            "principal",
            "upn",
            "mail",
            "name",
            "phone",
            "mobile",
            "user",
            "member",
            "subject",
            "owner",
            "sign-in",
            "signin",
        ];
        if IDENTIFYING.iter().any(|k| c.contains(k)) {
            let v = value.trim();
            if v.contains('@') {
                return self.p.upn(v);
            }
            if find_guid(v) == Some((0, v.len())) && !self.is_constant(v) {
                return self.p.guid(v);
            }
            return self.p.token("value", v);
        }
        self.text(value)
    }
}

/// The token part of a phone pseudonym (`+1 p-abc` -> `p-abc`).
fn token_of(phone: &str) -> String {
    phone
        .rsplit_once(' ')
        .map(|(_, t)| t.to_string())
        .unwrap_or_else(|| phone.to_string())
}

/// Four or more digits: a number, not a note such as `mobilePhone method registered`.
fn looks_like_phone(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 4
}

fn is_word(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(word_char) && !after.is_some_and(word_char)
}

fn name_matcher(names: &[String]) -> Result<AhoCorasick, String> {
    let mut list: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| n.chars().count() >= MIN_WORD)
        .collect();
    list.sort_unstable();
    list.dedup();
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(list)
        .map_err(|e| format!("the pseudonym search over names: {e}"))
}

fn contains_word(m: &AhoCorasick, text: &str) -> bool {
    m.find_iter(text).any(|x| is_word(text, x.start(), x.end()))
}

/// Replaces every span `find` locates (searching on after each) by `f` of it.
fn replace_shapes(
    s: &str,
    find: fn(&str) -> Option<(usize, usize)>,
    f: impl Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((a, b)) = find(rest) {
        out.push_str(&rest[..a]);
        out.push_str(&f(&rest[a..b]));
        rest = &rest[b..];
    }
    out.push_str(rest);
    out
}

/// The first e-mail-shaped span (`local@domain.tld`) that is not already a pseudonym.
fn find_email(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-#'".contains(&c);
    let dom = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    let mut from = 0;
    while let Some(off) = s[from..].find('@') {
        let at = from + off;
        let mut start = at;
        while start > 0 && local(b[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < b.len() && dom(b[end]) {
            end += 1;
        }
        while end > at + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &s[at + 1..end];
        let is_pseudonym = domain.starts_with("d-") && domain.ends_with(".example");
        if start < at && domain.contains('.') && !is_pseudonym {
            return Some((start, end));
        }
        from = at + 1;
    }
    None
}

/// The first GUID-shaped span (8-4-4-4-12 hexadecimal digits, not inside a longer word).
fn find_guid(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    if b.len() < 36 {
        return None;
    }
    let mut i = 0;
    while i + 36 <= b.len() {
        let cand = &b[i..i + 36];
        let shaped = cand.iter().enumerate().all(|(k, &c)| {
            if matches!(k, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
        let alone = (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && (i + 36 == b.len() || !b[i + 36].is_ascii_alphanumeric());
        if shaped && alone && s.is_char_boundary(i) && s.is_char_boundary(i + 36) {
            return Some((i, i + 36));
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::key_file::KEY_BYTES;

    fn key(seed: u8) -> Pseudonyms {
        let mut k = [0u8; KEY_BYTES];
        for (i, b) in k.iter_mut().enumerate() {
            *b = seed.wrapping_mul(31).wrapping_add(i as u8);
        }
        Pseudonyms::new(&Key(k))
    }

    fn account(upn: &str, name: &str, id: &str, mobile: &str) -> Account {
        Account {
            upn: upn.into(),
            upn_lower: upn.to_lowercase(),
            display_name: Some(name.into()),
            id: Some(id.into()),
            mobile_raw: Some(mobile.into()),
            mobile: Phone::Valid(format!("+1 {}", mobile.replace(['(', ')', '-', ' '], ""))),
            ..Account::default()
        }
    }

    #[test]
    fn pseudonyms_have_the_promised_forms_and_depend_on_the_key() {
        let p = key(1);
        let upn = p.upn("Megan.Bowen@Contoso.com");
        assert_eq!(
            upn,
            p.upn("megan.bowen@contoso.com"),
            "case does not matter"
        );
        let (local, domain) = upn.split_once('@').expect("an @");
        assert!(local.starts_with("u-") && local.len() == 14, "{upn}");
        assert!(
            domain.starts_with("d-") && domain.ends_with(".example"),
            "{upn}"
        );
        assert_eq!(domain, p.domain("contoso.com"));
        assert_eq!(
            p.display_name("megan.bowen@contoso.com"),
            format!("User {}", &local[2..])
        );
        assert!(
            p.upn("alice_fabrikam.com#EXT#@contoso.onmicrosoft.com")
                .contains("#EXT#@d-")
        );
        let g = p.guid("6DE8BC2C-0000-4000-8000-000000000001");
        assert_eq!(g.len(), 36);
        assert_eq!(find_guid(&g), Some((0, 36)), "still a GUID: {g}");
        assert_eq!(&g[14..15], "4", "version 4");
        let ph = p.phone("+44 7700900123");
        assert!(ph.starts_with("+44 p-"), "{ph}");
        assert!(!ph[4..].chars().any(|c| c.is_ascii_digit()), "{ph}");
        // Another key, other pseudonyms; the same key, the same ones.
        let q = key(2);
        assert_ne!(q.upn("megan.bowen@contoso.com"), upn);
        assert_eq!(key(1).upn("megan.bowen@contoso.com"), upn);
        assert_ne!(q.fingerprint(), p.fingerprint());
        assert_eq!(p.fingerprint().len(), 16);
    }

    #[test]
    fn free_text_loses_every_identifier_and_keeps_the_rest() {
        let p = key(3);
        let a = account(
            "megan.bowen@contoso.com",
            "Megan Bowen",
            "6de8bc2c-1111-4111-8111-111111111111",
            "(425) 555-0100",
        );
        let s = Scrubber::new(p.clone(), std::slice::from_ref(&a), &[], &[]).expect("builds");
        let t = s.text(
            "Exclude Megan Bowen (megan.bowen) as asked by MEGAN.BOWEN@CONTOSO.COM, id 6de8bc2c-1111-4111-8111-111111111111, phone 4255550100, role 62e90394-69f5-4237-9190-012177145e10, bob@fabrikam.com; Global Administrator",
        );
        for gone in [
            "Megan",
            "megan",
            "6de8bc2c",
            "4255550100",
            "bob@",
            "fabrikam",
        ] {
            assert!(!t.contains(gone), "{gone} left in {t}");
        }
        assert!(
            t.contains(&p.display_name("megan.bowen@contoso.com")),
            "{t}"
        );
        assert!(t.contains(&p.upn("megan.bowen@contoso.com")), "{t}");
        assert!(
            t.contains("62e90394-69f5-4237-9190-012177145e10"),
            "a built-in role stays: {t}"
        );
        assert!(
            t.contains("Global Administrator") && t.starts_with("Exclude "),
            "{t}"
        );
        // A name inside a longer word is not that name: `megan.bowen` is a word, `bowenmeier` is not.
        let b = account(
            "bowen@contoso.com",
            "Bowen",
            "6de8bc2c-2222-4222-8222-222222222222",
            "",
        );
        let s = Scrubber::new(p.clone(), std::slice::from_ref(&b), &[], &[]).expect("builds");
        assert_eq!(s.text("the bowenmeier group"), "the bowenmeier group");
        assert_ne!(s.text("the bowen group"), "the bowen group");
    }

    #[test]
    fn an_account_keeps_its_department_and_loses_its_identifiers() {
        let p = key(4);
        let mut a = account(
            "adele.vance@contoso.com",
            "Adele Vance",
            "11111111-2222-4333-8444-555555555555",
            "(425) 555-0109",
        );
        a.department = Some("Retail".into());
        let s = Scrubber::new(p.clone(), std::slice::from_ref(&a), &[], &[]).expect("builds");
        s.account(&mut a);
        assert_eq!(a.upn, p.upn("adele.vance@contoso.com"));
        assert_eq!(a.upn_lower, a.upn);
        assert_eq!(
            a.display_name,
            Some(p.display_name("adele.vance@contoso.com"))
        );
        assert_eq!(a.id, Some(p.guid("11111111-2222-4333-8444-555555555555")));
        assert_eq!(a.department.as_deref(), Some("Retail"));
        let Phone::Valid(v) = &a.mobile else {
            panic!("still a valid phone: {:?}", a.mobile)
        };
        assert!(v.starts_with("+1 p-") && !v.contains("4255550109"), "{v}");
        assert_eq!(a.mobile_raw.as_deref(), Some(v.as_str()));
    }

    #[test]
    fn groups_named_after_people_become_pseudonyms_and_others_stay() {
        let p = key(5);
        let a = account(
            "jsmith@contoso.com",
            "Jane Smith",
            "11111111-2222-4333-8444-555555555556",
            "",
        );
        let s = Scrubber::new(
            p.clone(),
            std::slice::from_ref(&a),
            &[
                GroupName {
                    name: "Jane Smith's direct reports",
                },
                GroupName { name: "Finance" },
            ],
            &[],
        )
        .expect("builds");
        let t = s.text("excluded through Jane Smith's direct reports; included through Finance");
        assert!(
            t.contains(&p.group_name("Jane Smith's direct reports")),
            "{t}"
        );
        assert!(t.contains("through Finance"), "{t}");
        assert!(!t.contains("Smith"), "{t}");
    }

    #[test]
    fn the_tools_own_words_are_kept_and_references_become_pseudonyms() {
        let p = key(7);
        let a = account(
            "admin@contoso.com",
            "Admin",
            "11111111-2222-4333-8444-555555555557",
            "",
        );
        let s = Scrubber::new(
            p.clone(),
            std::slice::from_ref(&a),
            &[],
            &["admin-example-code"],
        )
        .expect("builds");
        let t = s.text("admin-example-code: ask admin; CA-Exclude-admin-MFA");
        assert!(t.starts_with("admin-example-code: ask u-"), "{t}");
        assert!(!t.contains("Exclude-admin"), "{t}");
        assert_eq!(
            s.reference_id("QQ-EMP-4471"),
            p.token("value", "QQ-EMP-4471")
        );
        assert_eq!(
            s.reference_id("6DE8BC2C-0000-4000-8000-000000000009"),
            p.guid("6de8bc2c-0000-4000-8000-000000000009")
        );
    }

    #[test]
    fn identifying_issue_columns_are_replaced_whole() {
        let p = key(6);
        let s = Scrubber::new(p.clone(), &[], &[], &[]).expect("builds");
        assert_eq!(
            s.issue_value("userPrincipalName", "Bob@Fabrikam.com"),
            p.upn("bob@fabrikam.com")
        );
        let v = s.issue_value("userDisplayName", "Bob Jones");
        assert!(v.starts_with("p-") && !v.contains("Bob"), "{v}");
        assert_eq!(s.issue_value("createdDateTime", "13/45/2026"), "13/45/2026");
        assert_eq!(s.issue_value("userPrincipalName", ""), "");
    }
}
