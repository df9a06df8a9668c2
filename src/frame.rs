//! Typed values out of polars frames (used by `ingest` and `analysis`).

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::error::Result;

/// Values of a `Decimal(38, 6)` column as exact decimals.
pub fn decimals(df: &DataFrame, name: &str) -> Result<Vec<Option<Decimal>>> {
    let col = df.column(name)?;
    let ca = col.decimal()?;
    let scale = u32::try_from(ca.scale()).unwrap_or(0);
    Ok(ca
        .physical()
        .iter()
        .map(|v| v.map(|m| Decimal::from_i128_with_scale(m, scale).normalize()))
        .collect())
}

/// Values of a String column (nulls become empty strings).
pub fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let ca = df.column(name)?.str()?;
    Ok(ca.iter().map(|v| v.unwrap_or("").to_owned()).collect())
}

/// Values of an Int32 column.
pub fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let ca = df.column(name)?.i32()?;
    Ok(ca.iter().collect())
}

/// Values of a Boolean column (nulls are false).
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    let ca = df.column(name)?.bool()?;
    Ok(ca.iter().map(|v| v.unwrap_or(false)).collect())
}

/// A decimal scalar from a one-row aggregation result.
pub fn first_decimal(df: &DataFrame, name: &str) -> Result<Option<Decimal>> {
    Ok(decimals(df, name)?.into_iter().next().flatten())
}
