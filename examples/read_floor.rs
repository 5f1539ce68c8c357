//! Read floor for the benchmark: how long polars alone needs to scan the sign-in columns
//! the audit uses, from the same CSV files.
//!
//!     cargo run --release --example read_floor -- [--engine streaming|in-memory] FILE.csv [FILE.csv ...]
//!
//! Prints one line: `rows=<n> users=<n> seconds=<s> rows_per_sec=<r> engine=<e>`.
//!
//! What it does: `LazyCsvReader` over each file, header on, schema inference off
//! (`with_infer_schema_length(Some(0))` reads every column as String, so no type guessing),
//! projection of `Date (UTC)`, `User ID`, `Username`, `Status`, `Sign-in error code` only,
//! then a group_by on `User ID` (max date, first username, count, successes, max error code).
//! The aggregation forces every projected column to be parsed; a bare `select([len()])`
//! can be answered by a line-counting fast path, which would not be a fair floor.
//!
//! Sign-in header quirks and how polars 0.55 copes:
//! - the duplicate `Incoming token type` header is renamed by polars on read to
//!   `Incoming token type_duplicated_0` (no option needed; it is not projected anyway);
//! - `Application ID ` / `Resource ID ` keep their trailing space (names are taken verbatim);
//! - a UTF-8 BOM before the header is stripped by the reader.
//!
//! The projected names here are matched exactly, so this tool assumes the Entra spelling.

use std::time::Instant;

use polars::prelude::*;

/// The same allocator as the audit binary, so the floor measures the same parser.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const COLUMNS: [&str; 5] = [
    "Date (UTC)",
    "User ID",
    "Username",
    "Status",
    "Sign-in error code",
];

fn scan(path: &str) -> PolarsResult<LazyFrame> {
    Ok(LazyCsvReader::new(PlRefPath::new(path))
        .with_has_header(true)
        .with_infer_schema_length(Some(0)) // every column as String
        .with_missing_is_null(true)
        .finish()?
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>()))
}

fn main() -> PolarsResult<()> {
    let mut engine = Engine::Streaming;
    let mut files: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--engine" => {
                engine = match args.next().as_deref() {
                    Some("streaming") => Engine::Streaming,
                    Some("in-memory") => Engine::InMemory,
                    other => {
                        eprintln!("--engine must be streaming or in-memory, got {other:?}");
                        std::process::exit(2);
                    }
                }
            }
            "-h" | "--help" => {
                eprintln!("usage: read_floor [--engine streaming|in-memory] SIGNINS.csv [...]");
                std::process::exit(2);
            }
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: read_floor [--engine streaming|in-memory] SIGNINS.csv [...]");
        std::process::exit(2);
    }

    let t0 = Instant::now();
    let frames = files
        .iter()
        .map(|f| scan(f))
        .collect::<PolarsResult<Vec<_>>>()?;
    let all = concat(frames, UnionArgs::default())?;
    let per_user = all
        .group_by([col("User ID")])
        .agg([
            col("Date (UTC)").max().alias("last"),
            col("Username").first().alias("upn"),
            len().alias("n"),
            col("Status")
                .eq(lit("Success"))
                .cast(DataType::UInt32)
                .sum()
                .alias("ok"),
            col("Sign-in error code").max().alias("max_code"),
        ])
        .select([col("n").sum().alias("rows"), len().alias("users")]);
    let out = per_user.collect_with_engine(engine)?.unwrap_single();
    let secs = t0.elapsed().as_secs_f64();
    let rows = out
        .column("rows")?
        .cast(&DataType::UInt64)?
        .u64()?
        .get(0)
        .unwrap_or(0);
    let users = out
        .column("users")?
        .cast(&DataType::UInt64)?
        .u64()?
        .get(0)
        .unwrap_or(0);
    let engine_name = if engine == Engine::Streaming {
        "streaming"
    } else {
        "in-memory"
    };
    println!(
        "rows={rows} users={users} seconds={secs:.3} rows_per_sec={:.0} engine={engine_name}",
        rows as f64 / secs.max(1e-9)
    );
    Ok(())
}
