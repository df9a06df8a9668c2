//! Merging the tables read from the inputs, and keeping one department.

use std::collections::HashMap;

use polars::prelude::DataFrame;

use crate::error::Result;
use crate::ingest::Tables;
use crate::ingest::canonical;

/// The rows of `department` only, in every table.
pub(super) fn only_department(tables: &Tables, department: &str) -> Result<Tables> {
    use polars::prelude::{IntoLazy, col, lit};
    Tables::from_fn(|spec| {
        let Some(df) = tables.get(spec.name).cloned() else {
            return canonical::empty_frame(spec);
        };
        if df.column("department").is_err() {
            return Ok(df);
        }
        Ok(df
            .lazy()
            .filter(col("department").eq(lit(department)))
            .collect()?)
    })
}

pub(super) fn merge(
    mut per_table: HashMap<&'static str, Vec<(DataFrame, canonical::RowRefs)>>,
) -> Result<Tables> {
    Tables::from_fn(|spec| {
        let mut frames = per_table
            .remove(spec.name)
            .unwrap_or_default()
            .into_iter()
            .map(|(frame, _)| frame);
        let Some(mut df) = frames.next() else {
            return canonical::empty_frame(spec);
        };
        // one input's table is kept in the chunks its reader made (a Parquet file's row groups,
        // the CSV reader's blocks): copying 1 M rows into one chunk raised the peak memory of
        // `summary` by 50 MB and made nothing measurably faster (benches/city, 1 M rows)
        let mut stacked = false;
        for other in frames {
            df.vstack_mut(&other)?;
            stacked = true;
        }
        if stacked {
            df.rechunk_mut();
        }
        Ok(df)
    })
}
