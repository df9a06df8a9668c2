//! 三公经费 by year: budget and actual per category, control rate, year-on-year change, and
//! markers for years that have only a budget, only an actual, or another scope.

use std::collections::BTreeMap;

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{Figure, rows};
use super::frame::strings;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{SangongCategory, Stage};

/// One year of 三公 figures of a department.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SangongYear {
    pub year: i32,
    pub scope: String,
    /// Which budget stage the budget figures are (年初 or 调整后全年预算).
    pub budget_stage: Option<Stage>,
    pub budget: BTreeMap<SangongCategory, Figure>,
    pub actual: BTreeMap<SangongCategory, Figure>,
}

impl SangongYear {
    pub fn budget_total(&self) -> Option<Decimal> {
        self.budget.get(&SangongCategory::Total).map(|f| f.amount)
    }

    pub fn actual_total(&self) -> Option<Decimal> {
        self.actual.get(&SangongCategory::Total).map(|f| f.amount)
    }

    /// 控制率 = actual / budget of the totals.
    pub fn control_rate(&self) -> Option<Decimal> {
        let (a, b) = (self.actual_total()?, self.budget_total()?);
        crate::model::ratio(a, b)
    }

    /// Why the budget (`actual` false) or actual figures of this year are in doubt: the sources
    /// of those from a 存疑 table, one per line; `None` when none is.
    pub fn doubt(&self, actual: bool) -> Option<String> {
        let map = if actual { &self.actual } else { &self.budget };
        let doubtful: Vec<(&SangongCategory, &Figure)> =
            map.iter().filter(|(_, f)| f.doubtful()).collect();
        // one table's reason, said once, with the figures it concerns
        let (_, first) = doubtful.first()?;
        let names: Vec<&str> = doubtful.iter().map(|(c, _)| c.label()).collect();
        Some(format!(
            "{}（涉及：{}）",
            first.describe_sources(),
            names.join("、")
        ))
    }

    /// Whether the categories are published (not only the total).
    pub fn has_breakdown(&self) -> bool {
        self.budget.len() > 1 || self.actual.len() > 1
    }
}

/// What the 三公 view shows for a department.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SangongTrend {
    pub department: String,
    pub years: Vec<SangongYear>,
}

/// Marker of a year that cannot be read like the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Marker {
    OnlyBudget,
    OnlyActual,
    /// Scope differs from the previous year shown.
    ScopeChange {
        from: String,
        to: String,
    },
    /// Only the total is published (no categories).
    TotalOnly,
}

impl Marker {
    pub fn label(&self) -> String {
        match self {
            Marker::OnlyBudget => "仅有预算数".to_owned(),
            Marker::OnlyActual => "仅有决算数".to_owned(),
            Marker::ScopeChange { from, to } => format!("口径变化：{from} → {to}"),
            Marker::TotalOnly => "仅公布合计".to_owned(),
        }
    }
}

impl SangongTrend {
    pub fn year(&self, year: i32) -> Option<&SangongYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Year-on-year change of the actual total (or, for budget-only years, the budget total):
    /// (previous year, previous total, change ratio, compared on budget figures).
    pub fn yoy(&self, year: i32) -> Option<(i32, Decimal, Decimal, bool)> {
        let pos = self.years.iter().position(|y| y.year == year)?;
        let cur = self.years.get(pos)?;
        let prev = self.years.get(pos.checked_sub(1)?)?;
        // Only consecutive years of the same scope are compared.
        if prev.year != year - 1 || prev.scope != cur.scope {
            return None;
        }
        let (c, p, on_budget) = match (cur.actual_total(), prev.actual_total()) {
            (Some(c), Some(p)) => (c, p, false),
            _ => (cur.budget_total()?, prev.budget_total()?, true),
        };
        crate::model::change_ratio(c, p).map(|r| (prev.year, p, r, on_budget))
    }

    pub fn markers(&self, year: i32) -> Vec<Marker> {
        let mut out = Vec::new();
        let Some(pos) = self.years.iter().position(|y| y.year == year) else {
            return out;
        };
        let Some(cur) = self.years.get(pos) else {
            return out;
        };
        match (cur.budget.is_empty(), cur.actual.is_empty()) {
            (false, true) => out.push(Marker::OnlyBudget),
            (true, false) => out.push(Marker::OnlyActual),
            _ => {}
        }
        if !cur.has_breakdown() {
            out.push(Marker::TotalOnly);
        }
        if let Some(prev) = pos.checked_sub(1).and_then(|p| self.years.get(p))
            && prev.scope != cur.scope
        {
            out.push(Marker::ScopeChange {
                from: prev.scope.clone(),
                to: cur.scope.clone(),
            });
        }
        out
    }
}

/// 三公 figures of `department`, one entry per year, oldest first.
pub fn sangong_trend(ds: &Dataset, department: &str) -> Result<SangongTrend> {
    let df = ds
        .tables
        .sangong
        .clone()
        .lazy()
        .filter(col("department").eq(lit(department)))
        .collect()?;
    let found = rows(&df, lit(true), "amount")?;
    let years = super::frame::ints(&df, "year")?;
    let stages = strings(&df, "stage")?;
    let cats = strings(&df, "category")?;
    let scopes = strings(&df, "scope")?;
    let mut by_year: BTreeMap<i32, SangongYear> = BTreeMap::new();
    // `rows` keeps frame order and skips rows without an amount; amounts are required in
    // sangong.csv, so indices line up.
    for (i, (amount, source)) in found.into_iter().enumerate() {
        let (Some(Some(year)), Some(stage), Some(cat), Some(scope)) =
            (years.get(i), stages.get(i), cats.get(i), scopes.get(i))
        else {
            continue;
        };
        let (Some(stage), Some(cat)) = (Stage::from_key(stage), SangongCategory::from_key(cat))
        else {
            continue;
        };
        let entry = by_year.entry(*year).or_insert_with(|| SangongYear {
            year: *year,
            scope: scope.clone(),
            budget_stage: None,
            budget: BTreeMap::new(),
            actual: BTreeMap::new(),
        });
        let fig = Figure::published(amount, source);
        if stage == Stage::Final {
            entry.actual.insert(cat, fig);
        } else {
            // Prefer the adjusted (full-year) budget when both are published.
            if entry.budget_stage == Some(Stage::BudgetAdjusted) && stage == Stage::BudgetInitial {
                continue;
            }
            if entry.budget_stage != Some(stage) {
                entry.budget.clear();
            }
            entry.budget_stage = Some(stage);
            entry.budget.insert(cat, fig);
        }
    }
    Ok(SangongTrend {
        department: department.to_owned(),
        years: by_year.into_values().collect(),
    })
}
