//! What the sign-in inputs say per account, whatever route they came by (raw logs of any
//! format, or a per-user summary): the aggregate both sign-in readers fill.

use crate::values::Millis;

/// Per-account sign-in evidence from the logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInAgg {
    /// Last interactive sign-in that succeeded or was interrupted.
    pub last_interactive: Option<Millis>,
    /// Last successful non-interactive sign-in.
    pub last_non_interactive: Option<Millis>,
    /// Interactive sign-ins that sent the user to MFA registration (50072 / 50079).
    pub prompts: u64,
    /// Latest successful MFA step by text message or phone call, among the counted sign-ins of
    /// the files that carry the methods used (`signin_rules::methods_used`).
    pub last_telephony_mfa: Option<Millis>,
}

pub(crate) fn max_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
pub(crate) fn min_o(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl SignInAgg {
    pub fn merge(&mut self, o: &SignInAgg) {
        self.last_interactive = max_o(self.last_interactive, o.last_interactive);
        self.last_non_interactive = max_o(self.last_non_interactive, o.last_non_interactive);
        self.prompts += o.prompts;
        self.last_telephony_mfa = max_o(self.last_telephony_mfa, o.last_telephony_mfa);
    }
}

/// What the sign-in inputs say, all files together.
#[derive(Debug, Default)]
pub struct SignIns {
    /// Indexed like the accounts.
    pub per_account: Vec<SignInAgg>,
    /// Earliest and latest row of each type, over all files: how far back the logs reach.
    pub interactive_span: (Option<Millis>, Option<Millis>),
    pub non_interactive_span: (Option<Millis>, Option<Millis>),
    pub interactive_files: usize,
    pub non_interactive_files: usize,
    /// Sign-in files that carry the methods used at sign-in (an `authenticationDetails`, MFA
    /// method or `MfaDetail` column, or a summary's `lastTelephonyMfa`): without any,
    /// `last_telephony_mfa` says nothing and a rule on it is not evaluated.
    pub methods_files: usize,
    /// Earliest and latest dated row of those files (both kinds; a summary's window): the period
    /// `last_telephony_mfa` covers.
    pub methods_span: (Option<Millis>, Option<Millis>),
}

impl SignIns {
    /// Folds another reader's aggregate into this one (same account indexing).
    pub fn merge(&mut self, o: SignIns) {
        for (a, b) in self.per_account.iter_mut().zip(&o.per_account) {
            a.merge(b);
        }
        self.interactive_span = (
            min_o(self.interactive_span.0, o.interactive_span.0),
            max_o(self.interactive_span.1, o.interactive_span.1),
        );
        self.non_interactive_span = (
            min_o(self.non_interactive_span.0, o.non_interactive_span.0),
            max_o(self.non_interactive_span.1, o.non_interactive_span.1),
        );
        self.interactive_files += o.interactive_files;
        self.non_interactive_files += o.non_interactive_files;
        self.methods_files += o.methods_files;
        self.methods_span = (
            min_o(self.methods_span.0, o.methods_span.0),
            max_o(self.methods_span.1, o.methods_span.1),
        );
    }
}

/// Resolves a sign-in row to an account index.
pub struct Resolver<'a> {
    pub index: &'a super::account_index::AccountIndex,
    /// Archive record ids (`properties.id`) already used: a re-delivered record is ignored.
    pub seen: &'a std::sync::Mutex<foldhash::HashSet<u128>>,
    /// Map every user to account 0 (for `inspect`, which has no account table).
    pub any: bool,
}
