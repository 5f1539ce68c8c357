//! One model of the tenant, assembled from what the readers produced: the accounts table with
//! sign-in evidence (`accounts.rs`, read and joined by `load.rs`) and Conditional Access
//! coverage per account (`coverage.rs` evaluates one account, `coverage_rows.rs` the tenant), the
//! directory inputs and memberships (`directory.rs`) and the authentication methods policy per
//! account (`methods.rs`), and the Secure Score exports' impacted resources matched to accounts
//! (`secure_score.rs`).

pub mod accounts;
pub mod coverage;
pub mod coverage_rows;
pub mod directory;
pub mod load;
pub mod methods;
pub mod pseudonyms;
pub mod secure_score;
pub mod strengths;
