//! Small helpers every kind of test uses: exact decimals, the CLI binary, the seed reports.

use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;

/// An exact decimal from its text (`d("63682.77")`).
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("{s:?} is not a decimal: {e}"))
}

/// The `fiscal-lens` binary built for the tests.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_fiscal-lens"))
}

/// The seed reports beside the checkout (`../shared/seeds`); tests reading them are
/// `#[ignore = "needs ../shared"]`.
pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}
