//! Typed frames accepted without turning every cell into text: a frame whose columns are exactly
//! the canonical ones, with the canonical dtypes, is validated column by column: every
//! *distinct* text value by the same predicates as [`read_cells`] (a table of a million rows holds
//! a few thousand distinct names, codes and documents), integers and decimals over their values.
//! Anything else (a missing, extra or differently typed column, a null, a value the cell reader
//! would trim, clean or reject) answers `None`, and the caller reads the table cell by cell,
//! which gives the same frame or the located error.

#[allow(clippy::wildcard_imports)]
use super::*;

use read::{YEARS, validate_amount_code};

/// A decimal mantissa (scale 6) below 2^96 is one `rust_decimal` holds, as the cell reader
/// requires (28 significant digits at most, see `decimal_to_i128`).
const MANTISSA_LIMIT: u128 = 1 << 96;

/// Whether a text value is one the cell reader keeps as it is (nothing to trim or clean, no
/// control character).
fn clean(value: &str) -> bool {
    value.trim() == value
        && !value.contains('\u{feff}')
        && !value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The distinct values of a String column without nulls (`None`: not a String column, or it
/// holds a null).
pub(super) fn distinct(column: &Column) -> Option<Column> {
    if column.null_count() > 0 || column.str().is_err() {
        return None;
    }
    column.unique().ok()
}

/// Whether every one of the distinct values of a text column (see [`distinct`]) passes.
pub(super) fn distinct_ok(kind: Kind, distinct: &Column) -> bool {
    let Ok(values) = distinct.str() else {
        return false;
    };
    values.iter().all(|v| {
        let v = v.unwrap_or("");
        clean(v)
            && match kind {
                Kind::Text => !v.is_empty(),
                Kind::Key(keys) => keys.contains(&v),
                _ => true,
            }
    })
}

pub(super) fn text_ok(kind: Kind, column: &Column) -> bool {
    distinct(column).is_some_and(|d| distinct_ok(kind, &d))
}

pub(super) fn int_ok(kind: Kind, name: &str, column: &Column) -> bool {
    let Ok(values) = column.i32() else {
        return false;
    };
    values.iter().all(|v| match (kind, v) {
        (Kind::Int, None) => false,
        (_, None) => true,
        (_, Some(n)) if name == "year" => YEARS.contains(&n),
        (_, Some(n)) if name == "source_line" => n >= 1,
        _ => true,
    })
}

fn decimal_ok(kind: Kind, column: &Column) -> bool {
    let Ok(values) = column.decimal() else {
        return false;
    };
    if values.scale() != DECIMAL_SCALE as usize {
        return false;
    }
    values.physical().iter().all(|v| match v {
        None => matches!(kind, Kind::OptDec),
        Some(m) => m.unsigned_abs() < MANTISSA_LIMIT,
    })
}

/// `amounts`: every distinct (code, level, classification) by the cell reader's rule.
pub(super) fn codes_ok(df: &DataFrame) -> bool {
    let Ok(triples) = df
        .select(["code", "level", "classification"])
        .and_then(|d| d.unique_stable(None, UniqueKeepStrategy::Any, None))
    else {
        return false;
    };
    let column = |name: &str| {
        triples
            .column(name)
            .ok()
            .and_then(|c| c.str().ok().cloned())
    };
    let (Some(codes), Some(levels), Some(classes)) =
        (column("code"), column("level"), column("classification"))
    else {
        return false;
    };
    (0..triples.height()).all(|i| {
        validate_amount_code(
            || Location::file(""),
            codes.get(i).unwrap_or(""),
            levels.get(i).unwrap_or(""),
            classes.get(i).unwrap_or(""),
        )
        .is_ok()
    })
}

/// `df` as the canonical frame of `spec`, when every column and value passes (see the module
/// documentation); `None` sends the caller to the cell reader.
pub fn validated(spec: &TableSpec, df: &DataFrame) -> Option<DataFrame> {
    if df.width() != spec.columns.len() {
        return None;
    }
    for col in spec.columns {
        let column = df.column(col.name).ok()?;
        let ok = match col.kind {
            Kind::Text | Kind::OptText | Kind::Key(_) => text_ok(col.kind, column),
            Kind::Int | Kind::OptInt => int_ok(col.kind, col.name, column),
            Kind::Dec | Kind::OptDec => decimal_ok(col.kind, column),
            Kind::Bool => column.bool().is_ok_and(|b| b.null_count() == 0),
        };
        if !ok {
            return None;
        }
    }
    if spec.name == AMOUNTS.name && !codes_ok(df) {
        return None;
    }
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    let mut frame = df.select(names).ok()?;
    // the canonical decimal type (the precision may differ in a file written by another tool)
    for col in spec.columns {
        if matches!(col.kind, Kind::Dec | Kind::OptDec) {
            let cast = frame
                .column(col.name)
                .ok()?
                .cast(&DataType::Decimal(
                    DECIMAL_PRECISION,
                    DECIMAL_SCALE as usize,
                ))
                .ok()?;
            frame.with_column(cast).ok()?;
        }
    }
    Some(frame)
}
