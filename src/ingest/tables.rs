//! [`Tables`]: the nine canonical frames of one dataset, as every reader produces them and every
//! writer consumes them.

use polars::prelude::DataFrame;

use crate::error::Result;
use crate::ingest::canonical::{self, ALL_TABLES, TableSpec};

/// The canonical tables of one dataset (see `docs/DATA_FORMAT.md`). `Default` is nine frames
/// without columns; [`Tables::empty`] has the canonical columns.
#[derive(Clone, Debug, Default)]
pub struct Tables {
    pub amounts: DataFrame,
    pub revenue: DataFrame,
    pub totals: DataFrame,
    pub sangong: DataFrame,
    pub projects: DataFrame,
    pub indicators: DataFrame,
    pub quarterly: DataFrame,
    pub evaluations: DataFrame,
    pub tables: DataFrame,
}

impl Tables {
    /// Every table with no rows (and the canonical columns and dtypes).
    pub fn empty() -> Result<Self> {
        Self::from_fn(canonical::empty_frame)
    }

    /// Build the nine frames in [`ALL_TABLES`] order from a function of the table spec.
    pub fn from_fn(mut frame: impl FnMut(&TableSpec) -> Result<DataFrame>) -> Result<Self> {
        let [a, r, t, s, p, i, q, e, m] = &ALL_TABLES;
        Ok(Self {
            amounts: frame(a)?,
            revenue: frame(r)?,
            totals: frame(t)?,
            sangong: frame(s)?,
            projects: frame(p)?,
            indicators: frame(i)?,
            quarterly: frame(q)?,
            evaluations: frame(e)?,
            tables: frame(m)?,
        })
    }

    /// The frame of the table named `name` (a file stem such as `amounts`).
    pub fn get(&self, name: &str) -> Option<&DataFrame> {
        Some(match name {
            "amounts" => &self.amounts,
            "revenue" => &self.revenue,
            "totals" => &self.totals,
            "sangong" => &self.sangong,
            "projects" => &self.projects,
            "indicators" => &self.indicators,
            "quarterly" => &self.quarterly,
            "evaluations" => &self.evaluations,
            "tables" => &self.tables,
            _ => return None,
        })
    }

    /// Every table with its spec, in [`ALL_TABLES`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static TableSpec, &DataFrame)> {
        ALL_TABLES
            .iter()
            .filter_map(|spec| self.get(spec.name).map(|df| (spec, df)))
    }

    /// Total number of rows over all tables.
    pub fn row_count(&self) -> usize {
        self.iter().map(|(_, df)| df.height()).sum()
    }

    /// The in-memory (Arrow) size of every table, in bytes, as polars estimates it.
    pub fn estimated_size(&self) -> usize {
        self.iter().map(|(_, df)| df.estimated_size()).sum()
    }

    /// The bytes every table's arrays hold (see [`crate::frame::held_bytes`]).
    pub fn held_bytes(&self) -> usize {
        crate::frame::held_bytes(self.iter().map(|(_, df)| df))
    }
}
