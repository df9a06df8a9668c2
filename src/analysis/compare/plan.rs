//! The 部门对比 figures of all departments at once, as polars plans.
//!
//! The Overview finds each figure with [`crate::analysis::figure::pick`]: the rows matching a
//! filter, the most preferred table first, then frame order. Here the same choice is one plan
//! per figure for every department: the candidate rows get a priority (`prio`: the table's place
//! in the preference list) and their position (`row`), are sorted by both, and the first row of
//! each department (and year) wins. The 口径 of each department-year comes from the catalogue,
//! joined as a small frame.

use std::collections::HashMap;

use polars::prelude::*;
use rust_decimal::Decimal;

use super::{DepartmentRow, Execution, Personnel, Ranking};
use crate::analysis::figure::{Figure, SourceRef};
use crate::analysis::frame::{decimals, eq_all, ints, strings};
use crate::analysis::overview::{
    Catalog, EXPENDITURE_TABLES, FISCAL_ONLY_TABLES, SANGONG_TABLES, TOTALS_TABLES, sangong_stage,
};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{
    Classification, Fund, Level, Measure, Nature, SangongCategory, Stage, TotalsItem, ratio,
};

/// The provenance columns every figure keeps.
const SOURCE: [&str; 6] = [
    "source_doc",
    "source_table",
    "source_line",
    "source_label",
    "flags",
    "note",
];

/// `prefer`'s position of the row's table (`offset` + i), or `offset` + its length.
fn prio(prefer: &[&str], offset: u32) -> Expr {
    let mut e = lit(offset + u32::try_from(prefer.len()).unwrap_or(u32::MAX - offset));
    for (i, t) in prefer.iter().enumerate().rev() {
        let p = offset + u32::try_from(i).unwrap_or(0);
        e = when(col("source_table").eq(lit(*t)))
            .then(lit(p))
            .otherwise(e);
    }
    e
}

/// Not from one of `tables`.
fn not_from(tables: &[&str]) -> Expr {
    tables
        .iter()
        .map(|t| col("source_table").neq(lit(*t)))
        .reduce(Expr::and)
        .unwrap_or_else(|| lit(true))
}

/// Rows of `lf` with an amount, as candidates: `keys`, the amount, its source, `extra` columns,
/// `prio`, `row`.
fn candidates(lf: LazyFrame, keys: &[&str], prio: Expr, extra: &[&str]) -> LazyFrame {
    let mut cols: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    cols.push(col("amount"));
    cols.extend(extra.iter().map(|c| col(*c)));
    cols.extend(SOURCE.iter().map(|c| col(*c)));
    cols.push(col("prio"));
    cols.push(col("row"));
    lf.filter(col("amount").is_not_null())
        .with_row_index("row", None)
        .with_column(prio.alias("prio"))
        .select(cols)
}

/// Per `keys`, the candidate with the lowest (`prio`, `row`), with its `extra` columns.
fn first_per(candidates: LazyFrame, keys: &[&str], extra: &[&str]) -> LazyFrame {
    let mut aggs = vec![col("amount").first()];
    aggs.extend(extra.iter().map(|c| col(*c).first()));
    aggs.extend(SOURCE.iter().map(|c| col(*c).first()));
    candidates
        .sort(["prio", "row"], SortMultipleOptions::default())
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg(aggs)
}

/// The figures of a picked frame, row by row.
fn figures(df: &DataFrame) -> Result<Vec<Option<Figure>>> {
    let amounts = decimals(df, "amount")?;
    let text = |c: &str| strings(df, c);
    let (docs, tables, labels, flags, notes) = (
        text("source_doc")?,
        text("source_table")?,
        text("source_label")?,
        text("flags")?,
        text("note")?,
    );
    let lines = ints(df, "source_line")?;
    let get = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    Ok(amounts
        .into_iter()
        .enumerate()
        .map(|(i, amount)| {
            amount.map(|a| {
                Figure::published(
                    a,
                    SourceRef {
                        doc: get(&docs, i),
                        table: get(&tables, i),
                        line: lines.get(i).copied().flatten(),
                        label: get(&labels, i),
                        flags: get(&flags, i),
                        note: get(&notes, i),
                    },
                )
            })
        })
        .collect())
}

/// Figures keyed by department (and year, when the frame has one).
fn by_department_year(df: &DataFrame) -> Result<HashMap<(String, i32), Figure>> {
    let deps = strings(df, "department")?;
    let years = if df.column("year").is_ok() {
        ints(df, "year")?
    } else {
        vec![Some(0); df.height()]
    };
    let mut out = HashMap::with_capacity(df.height());
    for ((d, y), f) in deps.into_iter().zip(years).zip(figures(df)?) {
        if let (Some(y), Some(f)) = (y, f) {
            out.insert((d, y), f);
        }
    }
    Ok(out)
}

/// The 口径 of every department-year, as the Overview takes it from the catalogue.
fn scopes(cat: &Catalog) -> Result<LazyFrame> {
    let (mut deps, mut years, mut scopes) = (Vec::new(), Vec::new(), Vec::new());
    for d in cat.departments() {
        for y in cat.years(d) {
            if let Some(s) = cat.scope(d, y) {
                deps.push(d.clone());
                years.push(y);
                scopes.push(s);
            }
        }
    }
    Ok(df!("department" => deps, "year" => years, "scope" => scopes)?.lazy())
}

fn on_scope(lf: LazyFrame, scopes: &LazyFrame) -> LazyFrame {
    let keys = [col("department"), col("year"), col("scope")];
    lf.join(
        scopes.clone(),
        keys.clone(),
        keys,
        JoinArgs::new(JoinType::Inner),
    )
}

/// 本年支出合计 of `fund` per department and year (every year, or only `year`): the functional
/// 合计 row of the preferred table, else the stated total — the Overview's choice.
fn expenditure(
    ds: &Dataset,
    scopes: &LazyFrame,
    stage: Stage,
    fund: Fund,
    year: Option<i32>,
) -> Result<HashMap<(String, i32), Figure>> {
    let mut rows = eq_all(&[
        ("stage", stage.key()),
        ("measure", Measure::Expenditure.key()),
        ("fund", fund.key()),
        ("classification", Classification::Functional.key()),
        ("level", Level::Total.key()),
        ("nature", Nature::Total.key()),
    ]);
    let mut totals = eq_all(&[
        ("stage", stage.key()),
        ("item", TotalsItem::ExpenditureTotal.key()),
        ("fund", fund.key()),
    ]);
    if fund == Fund::All {
        rows = rows.and(not_from(FISCAL_ONLY_TABLES));
        totals = totals.and(not_from(FISCAL_ONLY_TABLES));
    }
    if let Some(y) = year {
        rows = rows.and(col("year").eq(lit(y)));
        totals = totals.and(col("year").eq(lit(y)));
    }
    let keys = ["department", "year"];
    let offset = u32::try_from(EXPENDITURE_TABLES.len() + 1).unwrap_or(u32::MAX / 2);
    let from_rows = candidates(
        on_scope(ds.tables.amounts.clone().lazy().filter(rows), scopes),
        &keys,
        prio(EXPENDITURE_TABLES, 0),
        &[],
    );
    let from_totals = candidates(
        on_scope(ds.tables.totals.clone().lazy().filter(totals), scopes),
        &keys,
        prio(TOTALS_TABLES, offset),
        &[],
    );
    let all = concat([from_rows, from_totals], UnionArgs::default())?;
    by_department_year(&first_per(all, &keys, &[]).collect()?)
}

/// 三公经费 (合计) of `year` per department: 决算数, or 预算数 (调整 or 年初) — the Overview's
/// choice, which does not restrict the 口径 (三公 tables state their own).
fn sangong(ds: &Dataset, year: i32, budget: bool) -> Result<HashMap<String, Figure>> {
    let filter = col("category")
        .eq(lit(SangongCategory::Total.key()))
        .and(col("year").eq(lit(year)))
        .and(sangong_stage(budget));
    let keys = ["department"];
    let picked = first_per(
        candidates(
            ds.tables.sangong.clone().lazy().filter(filter),
            &keys,
            not_from(SANGONG_TABLES).cast(DataType::UInt32),
            &[],
        ),
        &keys,
        &[],
    )
    .collect()?;
    Ok(by_department_year(&picked)?
        .into_iter()
        .map(|((d, _), f)| (d, f))
        .collect())
}

/// Project execution of `year` per department.
fn execution(ds: &Dataset, year: i32) -> Result<HashMap<String, Execution>> {
    let df = ds
        .tables
        .projects
        .clone()
        .lazy()
        .filter(col("year").eq(lit(year)).and(col("executed").is_not_null()))
        .group_by([col("department")])
        .agg([
            len().alias("projects"),
            col("budget_full_year").sum().alias("budget"),
            col("executed").sum().alias("executed"),
        ])
        .collect()?;
    let deps = strings(&df, "department")?;
    let counts: Vec<Option<u32>> = df.column("projects")?.u32()?.iter().collect();
    let budgets = decimals(&df, "budget")?;
    let executed = decimals(&df, "executed")?;
    let mut out = HashMap::with_capacity(df.height());
    for (i, d) in deps.into_iter().enumerate() {
        let budget = budgets.get(i).copied().flatten().unwrap_or_default();
        let done = executed.get(i).copied().flatten().unwrap_or_default();
        out.insert(
            d,
            Execution {
                projects: counts.get(i).copied().flatten().unwrap_or(0),
                budget,
                executed: done,
                rate: ratio(done, budget),
            },
        );
    }
    Ok(out)
}

/// 人员经费 of `year` per department: of 全部资金 where stated, else of 一般公共预算.
fn personnel(
    ds: &Dataset,
    scopes: &LazyFrame,
    year: i32,
    stage: Stage,
) -> Result<HashMap<String, (Fund, Figure)>> {
    let filter = eq_all(&[
        ("stage", stage.key()),
        ("item", TotalsItem::Personnel.key()),
    ])
    .and(col("year").eq(lit(year)))
    .and(
        col("fund")
            .eq(lit(Fund::All.key()))
            .or(col("fund").eq(lit(Fund::GeneralBudget.key()))),
    );
    let keys = ["department"];
    let fund_first = when(col("fund").eq(lit(Fund::All.key())))
        .then(lit(0u32))
        .otherwise(lit(1u32));
    let picked = first_per(
        candidates(
            on_scope(ds.tables.totals.clone().lazy().filter(filter), scopes),
            &keys,
            fund_first,
            &["fund"],
        ),
        &keys,
        &["fund"],
    )
    .collect()?;
    let funds = strings(&picked, "fund")?;
    let mut out = HashMap::new();
    for ((d, f), fund) in strings(&picked, "department")?
        .into_iter()
        .zip(figures(&picked)?)
        .zip(funds)
    {
        if let Some(f) = f {
            let fund = if fund == Fund::All.key() {
                Fund::All
            } else {
                Fund::GeneralBudget
            };
            out.insert(d, (fund, f));
        }
    }
    Ok(out)
}

pub(super) fn ranking(ds: &Dataset, cat: &Catalog, year: i32, stage: Stage) -> Result<Ranking> {
    let scopes = scopes(cat)?;
    let totals = expenditure(ds, &scopes, stage, Fund::All, None)?;
    let general = expenditure(ds, &scopes, stage, Fund::GeneralBudget, Some(year))?;
    let sangong_final = sangong(ds, year, false)?;
    let mut sangong_budget = sangong(ds, year, true)?;
    let mut execution = execution(ds, year)?;
    let mut personnel = personnel(ds, &scopes, year, stage)?;
    let mut trends: HashMap<&str, Vec<(i32, Decimal)>> = HashMap::new();
    for ((d, y), f) in &totals {
        trends.entry(d.as_str()).or_default().push((*y, f.amount));
    }
    let mut rows = Vec::new();
    for d in cat.departments() {
        let scope = cat.scope(d, year);
        let key = |y: i32| (d.clone(), y);
        let mut trend = trends.remove(d.as_str()).unwrap_or_default();
        trend.sort_unstable();
        let expenditure = totals.get(&key(year)).cloned();
        let previous = totals.get(&key(year - 1)).map(|f| {
            let prev_scope = cat.scope(d, year - 1);
            (
                year - 1,
                f.clone(),
                prev_scope.is_some() && prev_scope != scope,
            )
        });
        let budget = sangong_budget.remove(d);
        let sangong = if stage.is_budget() {
            budget.clone()
        } else {
            sangong_final.get(d).cloned()
        };
        let personnel = personnel.remove(d).map(|(fund, figure)| {
            let base = match fund {
                Fund::All => expenditure.clone(),
                _ => general.get(&key(year)).cloned(),
            };
            Personnel {
                share: base.as_ref().and_then(|b| ratio(figure.amount, b.amount)),
                figure,
                fund,
                base,
            }
        });
        rows.push(DepartmentRow {
            department: d.clone(),
            scope,
            expenditure,
            previous,
            trend,
            sangong,
            sangong_budget: budget,
            execution: execution.remove(d),
            personnel,
        });
    }
    Ok(Ranking { year, stage, rows })
}
