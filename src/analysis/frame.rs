//! Small helpers to read typed values out of polars frames.

use polars::prelude::*;
use rust_decimal::Decimal;

pub use crate::frame::{bools, decimals, first_decimal, ints, strings};

/// Build an equality filter on several string columns.
pub fn eq_all(pairs: &[(&str, &str)]) -> Expr {
    pairs
        .iter()
        .map(|(c, v)| col(*c).eq(lit(*v)))
        .reduce(polars::prelude::Expr::and)
        .unwrap_or_else(|| lit(true))
}

/// Round half away from zero to `dp` decimals (the convention of published tables).
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Exact decimal text for JSON: normalised, but with at least two decimals (money convention).
pub fn money_string(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() >= 2 {
        n.to_string()
    } else {
        format!("{n:.2}")
    }
}
