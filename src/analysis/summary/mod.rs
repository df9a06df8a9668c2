//! The machine-readable summary printed by `fiscal-lens summary --json`.

mod json;

use polars::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use super::frame::{decimals, eq_all, ints, money_string, round, strings};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::frame::{as_keys, batch_rows, batches};
use crate::model::{Classification, Level, Measure, Nature, Stage};

use json::each_functional_row;
pub use json::write_json;

/// A 类 of the functional classification for one department-year-stage (`summary --json`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FunctionalRow {
    pub department: String,
    pub unit: String,
    pub scope: String,
    pub year: i32,
    pub stage: String,
    pub fund: String,
    pub code: String,
    pub name: String,
    pub total: Option<String>,
    pub basic: Option<String>,
    pub project: Option<String>,
    /// The published table the row comes from.
    pub table: String,
    /// The table the row comes from is 存疑: its own identities do not hold on what was read
    /// (`check` lists where). Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub doubtful: bool,
}

/// One 三公 category of a department-year-stage (`summary --json`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SangongRow {
    pub department: String,
    pub unit: String,
    pub scope: String,
    pub year: i32,
    /// `budget` or `final`
    pub stage: String,
    pub category: String,
    pub amount: String,
    pub table: String,
    /// The table the row comes from is 存疑: its own identities do not hold on what was read
    /// (`check` lists where). Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub doubtful: bool,
}

/// One revenue source of a department-year-stage (`summary --json`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RevenueRow {
    pub department: String,
    pub unit: String,
    pub scope: String,
    pub year: i32,
    pub stage: String,
    pub source: String,
    pub source_key: String,
    pub is_subtotal: bool,
    pub amount: String,
    pub table: String,
    /// The table the row comes from is 存疑: its own identities do not hold on what was read
    /// (`check` lists where). Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub doubtful: bool,
}

/// Project execution of one unit (本级 or 分局) in a department-year (`summary --json`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BranchRow {
    pub department: String,
    pub year: i32,
    pub unit: String,
    pub projects: u32,
    pub budget: String,
    pub actual: String,
    pub execution_rate: Option<String>,
    pub mean_score: Option<String>,
    /// How many of the projects come from 存疑 tables (see [`FunctionalRow::doubtful`]).
    /// Written only when some do.
    #[serde(skip_serializing_if = "is_zero")]
    pub doubtful_projects: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// [`super::figure::doubtful_flag`] as an expression over the `flags` column of `df`: the pattern only where some
/// row's flags mention `doubtful` (a dataset without 存疑 tables is not searched row by row).
fn doubtful_of(df: &DataFrame) -> Expr {
    let any = df
        .column("flags")
        .ok()
        .and_then(|c| c.str().ok())
        .is_some_and(|f| f.contains_literal("doubtful").is_ok_and(|m| m.any()));
    if any {
        col("flags")
            .str()
            .contains(lit(r"(^|;)\s*doubtful\s*(;|$)"), true)
            .fill_null(lit(false))
    } else {
        lit(false)
    }
}

/// The `summary --json` output: the key figures of every department, year and stage.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub dataset: String,
    pub functional: Vec<FunctionalRow>,
    pub sangong: Vec<SangongRow>,
    pub revenue: Vec<RevenueRow>,
    pub branches: Vec<BranchRow>,
}

pub fn summary(ds: &Dataset) -> Result<Summary> {
    Ok(Summary {
        dataset: ds.name.clone(),
        functional: functional(ds)?,
        sangong: sangong(ds)?,
        revenue: revenue(ds)?,
        branches: branches(ds)?,
    })
}

/// Every published functional expenditure row at 类/款/项 level, natures side by side. Where
/// several tables state the same fund (公开01 lists 类 again), the table with the most rows wins
/// (a tie: the first table name), so no row is listed twice. One polars plan (filter, group,
/// join, group), materialised only as the result rows; it replaced a per-row loop that held
/// every column as strings (summary of a 200 MB CSV: peak 1.02 GB -> 830 MB). Checked equal to
/// the loop's rows on the built-in data and on a 1,001,700-row dataset before the loop went.
pub fn functional(ds: &Dataset) -> Result<Vec<FunctionalRow>> {
    let df = functional_frame(ds)?;
    let mut rows = Vec::with_capacity(df.height());
    each_functional_row(&df, |r| rows.push(r.owned()))?;
    Ok(rows)
}

/// The functional rows as one frame (see [`functional`]). A large `amounts` table is read in
/// batches of whole departments (every key holds the department), so the plan's intermediate
/// frames hold one batch: `summary` of the 1 M-row city from CSV peaked 0.4 GB above the
/// loaded tables in one plan.
fn functional_frame(ds: &Dataset) -> Result<DataFrame> {
    let amounts = &ds.tables.amounts;
    let size = batch_rows();
    let doubtful = doubtful_of(amounts);
    if amounts.height() <= size {
        // each row numbered by its index in the table: the rows come out in the table's order
        return functional_of(
            amounts.clone().lazy().with_row_index("row", None),
            &doubtful,
        );
    }
    let batches = batches(amounts, col("department"), size)?;
    let mut parts = Vec::with_capacity(batches.parts.len());
    for batch in batches.parts {
        parts.push(functional_of(batch, &doubtful)?.lazy());
    }
    let all = concat(parts, UnionArgs::default())?;
    // batches of consecutive rows come out in the table's order (each is sorted); else sorted
    // (a copy of the result)
    let all = if batches.in_order {
        all
    } else {
        all.sort(["first"], SortMultipleOptions::default())
    };
    Ok(all.collect()?)
}

/// [`functional_frame`] of the rows of `amounts` in `rows`, numbered (`row`); `doubtful` tells
/// a row of a 存疑 table (see [`doubtful_of`]).
fn functional_of(rows: LazyFrame, doubtful: &Expr) -> Result<DataFrame> {
    const KEY: [&str; 6] = ["department", "unit", "scope", "year", "stage", "fund"];
    // the text columns grouped, joined and sorted on, as categoricals (the group-by on eight
    // keys took most of the plan's time); a categorical sorts by its text, so the tie between
    // tables still goes to the first table name. They stay categoricals in the result
    // (`each_functional_row` reads either); the name, only carried, stays text
    const TEXT: [&str; 7] = [
        "department",
        "unit",
        "scope",
        "stage",
        "fund",
        "source_table",
        "code",
    ];
    let key = |extra: &[&str]| -> Vec<Expr> { KEY.iter().chain(extra).map(|c| col(*c)).collect() };
    let base = rows
        .filter(
            eq_all(&[
                ("classification", Classification::Functional.key()),
                ("measure", Measure::Expenditure.key()),
            ])
            .and(col("level").neq(lit(Level::Total.key()))),
        )
        .with_columns(as_keys(&TEXT));
    let value = |nature: Nature| {
        col("amount")
            .filter(col("nature").eq(lit(nature.key())))
            .last()
            .alias(nature.key())
    };
    // a code's row per table: its first name; each nature's last value, in the rows' order
    let grouped = base.group_by(key(&["source_table", "code"])).agg([
        col("row").min().alias("first"),
        col("name").first(),
        value(Nature::Total),
        value(Nature::Basic),
        value(Nature::Project),
        len().alias("n"),
        doubtful.clone().any(true).alias("doubtful"),
    ]);
    // per key, the table with the most rows (a tie goes to the first table name)
    let chosen = grouped
        .clone()
        .group_by(key(&["source_table"]))
        .agg([col("n").sum()])
        .sort_by_exprs(
            [col("n"), col("source_table")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .group_by(key(&[]))
        .agg([col("source_table").first()]);
    let df = grouped
        .join(
            chosen,
            key(&["source_table"]),
            key(&["source_table"]),
            JoinArgs::new(JoinType::Inner),
        )
        .sort(["first"], SortMultipleOptions::default());
    Ok(crate::diag::collect(df, "functional")?)
}

pub fn sangong(ds: &Dataset) -> Result<Vec<SangongRow>> {
    let df = &ds.tables.sangong;
    let deps = strings(df, "department")?;
    let units = strings(df, "unit")?;
    let scopes = strings(df, "scope")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let cats = strings(df, "category")?;
    let tables = strings(df, "source_table")?;
    let flags = strings(df, "flags")?;
    let amounts = decimals(df, "amount")?;
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        let stage = match stages.get(i).and_then(|s| Stage::from_key(s)) {
            Some(Stage::Final) => Stage::Final.key(),
            Some(_) => "budget",
            None => continue,
        };
        out.push(SangongRow {
            department: deps.get(i).cloned().unwrap_or_default(),
            unit: units.get(i).cloned().unwrap_or_default(),
            scope: scopes.get(i).cloned().unwrap_or_default(),
            year: years.get(i).copied().flatten().unwrap_or_default(),
            stage: stage.to_owned(),
            category: cats.get(i).cloned().unwrap_or_default(),
            amount: money_string(amount),
            table: tables.get(i).cloned().unwrap_or_default(),
            doubtful: flags
                .get(i)
                .is_some_and(|f| super::figure::doubtful_flag(f)),
        });
    }
    Ok(out)
}

pub fn revenue(ds: &Dataset) -> Result<Vec<RevenueRow>> {
    let df = &ds.tables.revenue;
    let deps = strings(df, "department")?;
    let units = strings(df, "unit")?;
    let scopes = strings(df, "scope")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let sources = strings(df, "source")?;
    let keys = strings(df, "source_key")?;
    let subtotal = super::frame::bools(df, "is_subtotal")?;
    let tables = strings(df, "source_table")?;
    let flags = strings(df, "flags")?;
    let amounts = decimals(df, "amount")?;
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        out.push(RevenueRow {
            department: deps.get(i).cloned().unwrap_or_default(),
            unit: units.get(i).cloned().unwrap_or_default(),
            scope: scopes.get(i).cloned().unwrap_or_default(),
            year: years.get(i).copied().flatten().unwrap_or_default(),
            stage: stages.get(i).cloned().unwrap_or_default(),
            source: sources.get(i).cloned().unwrap_or_default(),
            source_key: keys.get(i).cloned().unwrap_or_default(),
            is_subtotal: subtotal.get(i).copied().unwrap_or(false),
            amount: money_string(amount),
            table: tables.get(i).cloned().unwrap_or_default(),
            doubtful: flags
                .get(i)
                .is_some_and(|f| super::figure::doubtful_flag(f)),
        });
    }
    Ok(out)
}

/// Per (department, year, unit): projects with an executed amount, Σ full-year budget, Σ executed,
/// execution rate Σexecuted/Σbudget (4 decimals) and mean score (2 decimals).
pub fn branches(ds: &Dataset) -> Result<Vec<BranchRow>> {
    let projects = &ds.tables.projects;
    let doubtful = doubtful_of(projects);
    let agg = projects
        .clone()
        .lazy()
        .filter(col("executed").is_not_null())
        .group_by([col("department"), col("year"), col("unit")])
        .agg([
            len().alias("projects"),
            col("budget_full_year").sum().alias("budget"),
            col("executed").sum().alias("actual"),
            col("score").sum().alias("score_sum"),
            col("score").count().alias("scored"),
            doubtful.cast(DataType::UInt32).sum().alias("doubtful"),
        ])
        .sort(
            ["department", "year", "unit"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let deps = strings(&agg, "department")?;
    let years = ints(&agg, "year")?;
    let units = strings(&agg, "unit")?;
    let counts: Vec<Option<u32>> = agg.column("projects")?.u32()?.iter().collect();
    let scored: Vec<Option<u32>> = agg.column("scored")?.u32()?.iter().collect();
    let doubtful = agg.column("doubtful")?.cast(&DataType::UInt32)?;
    let doubtful = doubtful.u32()?;
    let budgets = decimals(&agg, "budget")?;
    let actuals = decimals(&agg, "actual")?;
    let score_sums = decimals(&agg, "score_sum")?;
    let mut out = Vec::with_capacity(agg.height());
    for i in 0..agg.height() {
        let budget = budgets.get(i).copied().flatten().unwrap_or_default();
        let actual = actuals.get(i).copied().flatten().unwrap_or_default();
        let n_scored = scored.get(i).copied().flatten().unwrap_or(0);
        let mean_score = match (score_sums.get(i).copied().flatten(), n_scored) {
            (Some(sum), n) if n > 0 => Some(round(sum / Decimal::from(n), 2)),
            _ => None,
        };
        out.push(BranchRow {
            department: deps.get(i).cloned().unwrap_or_default(),
            year: years.get(i).copied().flatten().unwrap_or_default(),
            unit: units.get(i).cloned().unwrap_or_default(),
            projects: counts.get(i).copied().flatten().unwrap_or(0),
            budget: money_string(budget),
            actual: money_string(actual),
            execution_rate: crate::model::ratio(actual, budget)
                .map(|r| format!("{:.4}", round(r, 4))),
            mean_score: mean_score.map(|s| format!("{s:.2}")),
            doubtful_projects: doubtful.get(i).unwrap_or(0),
        });
    }
    Ok(out)
}
