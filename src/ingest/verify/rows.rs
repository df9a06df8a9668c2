//! The rows every identity plan starts from ([`amount_rows`]): the `amounts` columns the plans
//! read, typed for grouping (see `plan`).

#[allow(clippy::wildcard_imports)]
use super::*;

use polars::prelude::*;

use crate::frame::{as_keys, batch_rows, batches, map_batches};

/// The columns that make one family of figures in one document: `fam`, a number per distinct
/// combination, stands for them in every later group-by and join (one key instead of eight
/// strings).
const FAMILY: [&str; 8] = [
    "department",
    "unit",
    "year",
    "stage",
    "measure",
    "fund",
    "classification",
    "doc",
];

/// Above this many 万元 a figure is summed exactly in Rust, not by polars (see the module
/// documentation).
const BIG: f64 = 1e20;

/// The columns named, as expressions.
pub(crate) fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|c| col(*c)).collect()
}

pub(super) fn null_str() -> Expr {
    lit(NULL).cast(DataType::String)
}

/// The text columns the plans read (nulls read as `""`). With `doc` and `scope` they are held as
/// categoricals ([`crate::frame::key_type`]): a group-by on them hashes a `u32` per value, not
/// the text (the identities of a 1 M-row dataset: 1.0–1.6 s before, 0.69–0.78 s after).
/// `slot` and `partner` stay text (prefixes are cut from them); a categorical orders by its
/// text, so `min` still finds the first table by name.
const TEXT: [&str; 11] = [
    "department",
    "unit",
    "stage",
    "measure",
    "fund",
    "classification",
    "code",
    "name",
    "nature",
    "source_table",
    "source_doc",
];

/// Only the columns of `df` the plans read ([`TEXT`], year, scope, line, amount): labels, flags
/// and notes are not copied.
fn read_columns(df: &DataFrame) -> Result<DataFrame> {
    Ok(df.select(
        TEXT.iter()
            .copied()
            .chain(["year", "scope", "source_line", "amount"]),
    )?)
}

/// The normalised scale (printed decimals) of every amount, in Rust over the i128 values.
fn scales(df: &DataFrame) -> Result<Series> {
    let ca = df.column("amount")?.decimal()?;
    let scale = u32::try_from(ca.scale()).unwrap_or(0);
    let values: Vec<Option<u32>> = ca
        .physical()
        .iter()
        .map(|m| {
            m.map(|m| {
                let mut k = scale;
                // in 64 bits when the value fits (every real amount): i128 division is slow
                if let Ok(mut m) = i64::try_from(m) {
                    while k > 0 && m % 10 == 0 {
                        m /= 10;
                        k -= 1;
                    }
                } else {
                    let mut m = m;
                    while k > 0 && m % 10 == 0 {
                        m /= 10;
                        k -= 1;
                    }
                }
                k
            })
        })
        .collect();
    Ok(Series::new("scale".into(), values))
}

/// [`document`] as an expression over a `source_doc` column (text) of `df`: the `#page=N`
/// fragment cut off, by regex only where a page is named (a PDF's rows; the rest are copied as
/// they are). When no row of `df` names a page (a dataset of CSV or Parquet tables), the column
/// itself: polars applies the regex branch to every row, copying each value (1 M rows: 0.2 s
/// and 120 MB more).
pub(crate) fn document_of(df: &DataFrame, source_doc: Expr) -> Expr {
    let paged = df
        .column("source_doc")
        .ok()
        .and_then(|c| c.str().ok())
        .is_none_or(|docs| docs.contains_literal("#page=").map_or(true, |m| m.any()));
    if !paged {
        return source_doc;
    }
    when(source_doc.clone().str().contains_literal(lit("#page=")))
        .then(
            source_doc
                .clone()
                .str()
                .replace(lit(r"(?s)#page=.*$"), lit(""), false),
        )
        .otherwise(source_doc)
}

/// The rows holding an amount: string keys with nulls as `""`, the document of each row
/// (`doc`, see [`document`]), its index in `df` (`row`), printed decimals (`scale`), whether it is
/// big (see [`BIG`]), its family (`fam`, see [`FAMILY`]) and its `slot`: its code, `""` for a
/// 合计 row (a row without code whose name holds 合计 but not 本年), null otherwise. Collected
/// once: every plan starts from it. The text columns in [`TEXT`], `doc` and `scope` are categoricals: compare them
/// with text literals, and cast them to text before reading them as text.
pub(crate) fn amount_rows(df: &DataFrame) -> Result<DataFrame> {
    let strings = TEXT;
    let mut frame = read_columns(df)?;
    frame.with_column(scales(df)?.into_column())?;
    // nulls read as "" (only in the columns that have any)
    let fill: Vec<Expr> = strings
        .iter()
        .filter(|c| df.column(c).is_ok_and(|c| c.null_count() > 0))
        .map(|c| col(*c).fill_null(lit("")))
        .collect();
    let name = col("name");
    // a batch (see [`each_batch`]) brings the rows' indices in `df`
    let numbered = match df.column("row") {
        Ok(row) => {
            frame.with_column(row.clone())?;
            frame.lazy()
        }
        Err(_) => frame.lazy().with_row_index("row", None),
    };
    let rows = numbered
        .filter(col("amount").is_not_null())
        .with_columns(fill)
        .with_columns([
            document_of(df, col("source_doc")).alias("doc"),
            {
                let a = col("amount").cast(DataType::Float64);
                a.clone().gt(lit(BIG)).or(a.lt(lit(-BIG))).alias("big")
            },
            when(col("code").neq(lit("")))
                .then(col("code"))
                .when(
                    name.clone()
                        .str()
                        .contains_literal(lit("合计"))
                        .and(name.str().contains_literal(lit("本年")).not()),
                )
                .then(lit(""))
                .otherwise(null_str())
                .alias("slot"),
        ])
        .with_columns(as_keys(&TEXT))
        .with_columns(as_keys(&["doc", "scope"]))
        // the first row of a family numbers it
        .with_column(col("row").min().over(cols(&FAMILY))?.alias("fam"));
    let rows = crate::diag::collect(rows, "amount_rows")?;
    Ok(rows)
}

/// `f` of [`amount_rows`] of `df`, in batches of whole documents of about half of
/// [`crate::frame::batch_rows`] rows (a document larger than that is one batch), each row
/// numbered by its index in `df`; the results in batch order. Every identity compares rows of
/// one document (`doc` or `fam` is in every key), so the batches find exactly what one plan
/// over all rows finds, while the plans' intermediate frames hold only the batches in flight:
/// `check` of 1 M rows peaked at 0.96–1.0 GB in one plan. Batches are worked on two at a time
/// (see [`crate::frame::map_batches`]; `name` names the threads), so two half batches hold
/// what one batch of [`crate::frame::BATCH_ROWS`] did.
pub(crate) fn each_batch<T: Send>(
    df: &DataFrame,
    name: &str,
    f: impl Fn(DataFrame) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let size = batch_rows().div_ceil(crate::frame::BATCH_WORKERS);
    if df.height() <= size {
        return Ok(vec![f(amount_rows(df)?)?]);
    }
    let mut laps = crate::diag::Laps::new("identities");
    let document = document_of(df, col("source_doc").fill_null(lit("")));
    let parts = batches(&read_columns(df)?, document, size)?.parts;
    laps.lap("batches");
    map_batches(parts, name, |part| f(amount_rows(&part.collect()?)?))
}
