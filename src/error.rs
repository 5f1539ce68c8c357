//! The library's one error type: input and usage errors exit 2 (they name file, row and
//! column), output and internal errors exit 1.

use crate::input::InputError;

/// Top-level error: input and usage errors exit 2, everything else 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// A bug: a worker thread panicked. Exit code 1.
    #[error("internal error (a bug in mfa-audit, please report it): {0}")]
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) => 2,
            Error::Output { .. } | Error::Internal(_) => 1,
        }
    }
}
