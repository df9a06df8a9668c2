//! Quarterly cumulative execution against the time-elapsed benchmark (序时进度).

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{SourceRef, rows};
use super::frame::{decimals, ints};
use crate::dataset::Dataset;
use crate::error::Result;

/// One quarter of a year's budget execution: cumulative spending against the budget and the
/// time-based benchmark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarterRow {
    pub quarter: i32,
    /// 累计支出数 (万元)
    pub cumulative: Decimal,
    /// 预算数 (万元)
    pub budget: Decimal,
    /// Progress as published (fraction), if printed.
    pub published_progress: Option<Decimal>,
    /// cumulative / budget, exact.
    pub progress: Option<Decimal>,
    /// 序时进度: published, else quarter / 4.
    pub benchmark: Decimal,
    /// progress − benchmark (percentage points as a fraction).
    pub deviation: Option<Decimal>,
    /// 各季度执行率 as published.
    pub published_rate: Option<Decimal>,
    pub source: SourceRef,
}

/// Quarters of (department, year), Q1 first.
pub fn quarterly(ds: &Dataset, department: &str, year: i32) -> Result<Vec<QuarterRow>> {
    let df = ds
        .tables
        .quarterly
        .clone()
        .lazy()
        .filter(
            col("department")
                .eq(lit(department))
                .and(col("year").eq(lit(year))),
        )
        .sort(["quarter"], SortMultipleOptions::default())
        .collect()?;
    let found = rows(&df, lit(true), "cumulative_actual")?;
    let quarters = ints(&df, "quarter")?;
    let budgets = decimals(&df, "budget")?;
    let progress = decimals(&df, "progress")?;
    let benchmark = decimals(&df, "benchmark")?;
    let rate = decimals(&df, "quarter_rate")?;
    let mut out = Vec::with_capacity(found.len());
    for (i, (cumulative, source)) in found.into_iter().enumerate() {
        let Some(Some(q)) = quarters.get(i).copied() else {
            continue;
        };
        let Some(Some(budget)) = budgets.get(i).copied() else {
            continue;
        };
        let computed = crate::model::ratio(cumulative, budget);
        let bench = benchmark
            .get(i)
            .copied()
            .flatten()
            .unwrap_or_else(|| Decimal::from(q) / Decimal::from(4));
        out.push(QuarterRow {
            quarter: q,
            cumulative,
            budget,
            published_progress: progress.get(i).copied().flatten(),
            progress: computed,
            benchmark: bench,
            deviation: computed.map(|p| p - bench),
            published_rate: rate.get(i).copied().flatten(),
            source,
        });
    }
    Ok(out)
}

/// (department, year) pairs that have quarterly data.
pub fn quarterly_years(ds: &Dataset, department: &str) -> Result<Vec<i32>> {
    let df = ds
        .tables
        .quarterly
        .clone()
        .lazy()
        .filter(col("department").eq(lit(department)))
        .select([col("year")])
        .unique(None, UniqueKeepStrategy::First)
        .sort(["year"], SortMultipleOptions::default())
        .collect()?;
    Ok(ints(&df, "year")?.into_iter().flatten().collect())
}
