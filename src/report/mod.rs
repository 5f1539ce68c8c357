//! The report: a plain data model (`model.rs`) built in one step (`build.rs`) from the rules'
//! results, plus the campaign: an earlier run's folder checked and read (`baseline.rs`) and the
//! changes since it (`progress.rs`), and the Secure Score reconciliation (`secure_score.rs`).
//! Every writer renders from the report; none recomputes a rule.

pub mod baseline;
mod build;
pub mod model;
pub mod passkeys;
pub mod progress;
pub mod pseudonymize;
pub mod secure_score;

pub use build::{BuildArgs, build};
pub use model::*;
