//! The Overview: headline figures of one (department, year, stage), their year-on-year change, and
//! the multi-year trend of totals with the scope (口径) of every year.

mod catalog;

pub use catalog::{Catalog, Selection, catalog};

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{Figure, pick};
use super::frame::{eq_all, ints, strings};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{
    Classification, Fund, Level, Measure, Nature, RevenueSource, SangongCategory, Stage,
    TotalsItem, UNIT_WHOLE_DEPARTMENT,
};

/// The headline figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KpiKey {
    Revenue,
    Expenditure,
    Basic,
    Project,
    FiscalShare,
    Sangong,
}

impl KpiKey {
    pub const ALL: [KpiKey; 6] = [
        KpiKey::Revenue,
        KpiKey::Expenditure,
        KpiKey::Basic,
        KpiKey::Project,
        KpiKey::FiscalShare,
        KpiKey::Sangong,
    ];

    pub fn label(self) -> &'static str {
        match self {
            KpiKey::Revenue => "收入合计",
            KpiKey::Expenditure => "支出合计",
            KpiKey::Basic => "基本支出",
            KpiKey::Project => "项目支出",
            KpiKey::FiscalShare => "财政拨款占比",
            KpiKey::Sangong => "三公经费",
        }
    }
}

/// The basis (口径) on which a total is stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    /// 本年收入合计 / 本年支出合计
    CurrentYear,
    /// 收入总计 / 支出总计: including carry-overs
    GrandTotal,
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::CurrentYear => "本年合计",
            Basis::GrandTotal => "总计（含结转结余）",
        }
    }
}

/// Year-on-year comparison of a KPI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YoY {
    pub previous_year: i32,
    pub previous_scope: String,
    pub basis: Basis,
    pub previous: Figure,
    /// The current value on the same basis (may differ from the card's headline when the basis
    /// had to fall back to 总计).
    pub current: Figure,
    /// current / previous − 1
    pub change_ratio: Option<Decimal>,
    /// The two years have different scopes: the comparison must be read with care.
    pub scope_differs: bool,
    /// The figures come from different documents, one from a standard table and the other from
    /// narrative text (e.g. a performance report): definitions may not match exactly.
    pub source_kind_differs: bool,
}

/// One KPI card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kpi {
    pub key: KpiKey,
    /// Main figure (万元); for 三公 the actual (决算) figure.
    pub value: Option<Figure>,
    /// For ratios (财政拨款占比) the ratio; for 三公 the control rate actual/budget.
    pub ratio: Option<Decimal>,
    /// For 三公: the budget figure; for 基本/项目: the expenditure total it is a share of.
    pub reference: Option<Figure>,
    pub yoy: Option<YoY>,
    /// Why a figure is missing or how it was obtained (Chinese, shown in the card).
    pub note: Option<String>,
}

/// Everything the Overview view shows for a selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    pub selection: Selection,
    pub scope: Option<String>,
    pub kpis: Vec<Kpi>,
    pub trend: Vec<TrendPoint>,
    /// The department-year's 存疑 tables: (`source_table`, why), from `tables.verdict`.
    pub doubtful: Vec<(String, String)>,
}

impl Overview {
    pub fn kpi(&self, key: KpiKey) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.key == key)
    }
}

/// One bar of the multi-year chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendPoint {
    pub year: i32,
    pub stage: Stage,
    pub scope: String,
    pub basis: Basis,
    pub expenditure: Figure,
}

/// `source_table` of figures taken from narrative text.
pub const NARRATIVE_TABLE: &str = "正文";

/// Tables that state fiscal (财政拨款) totals only; their 合计 rows are not the department total.
pub(crate) const FISCAL_ONLY_TABLES: &[&str] = &["公开04", "预算表6"];
/// Where a department's 本年支出合计 row is read from, most preferred first.
pub(crate) const EXPENDITURE_TABLES: &[&str] = &["公开03", "预算表3", "公开01", "预算表1"];
/// Where a stated total (`totals` table) is read from, most preferred first.
pub(crate) const TOTALS_TABLES: &[&str] = &["公开01", "预算表1", "部门预算支出明细表"];
/// Where 三公经费 is read from by preference.
pub(crate) const SANGONG_TABLES: &[&str] = &["公开07", "预算表9"];

/// The 三公 rows of a budget (调整 or 年初预算) or of the 决算.
pub(crate) fn sangong_stage(budget: bool) -> Expr {
    if budget {
        col("stage")
            .eq(lit(Stage::BudgetAdjusted.key()))
            .or(col("stage").eq(lit(Stage::BudgetInitial.key())))
    } else {
        col("stage").eq(lit(Stage::Final.key()))
    }
}

struct Ctx<'a> {
    ds: &'a Dataset,
    department: &'a str,
    scope: &'a str,
    year: i32,
    stage: Stage,
}

impl Ctx<'_> {
    fn base(&self) -> Expr {
        eq_all(&[
            ("department", self.department),
            ("scope", self.scope),
            ("stage", self.stage.key()),
        ])
        .and(col("year").eq(lit(self.year)))
    }

    fn revenue(&self, key: RevenueSource) -> Result<Option<Figure>> {
        pick(
            &self.ds.tables.revenue,
            self.base().and(col("source_key").eq(lit(key.key()))),
            "amount",
            &["公开01", "预算表1", "预算表2"],
            FISCAL_ONLY_TABLES,
        )
    }

    fn total_item(&self, item: TotalsItem) -> Result<Option<Figure>> {
        pick(
            &self.ds.tables.totals,
            self.base()
                .and(col("item").eq(lit(item.key())))
                .and(col("fund").eq(lit(Fund::All.key()))),
            "amount",
            TOTALS_TABLES,
            FISCAL_ONLY_TABLES,
        )
    }

    /// The department-wide functional total of one nature (合计 row of 公开03 / 支出总表 …).
    fn expenditure_total_row(&self, nature: Nature) -> Result<Option<Figure>> {
        pick(
            &self.ds.tables.amounts,
            self.base().and(eq_all(&[
                ("measure", Measure::Expenditure.key()),
                ("fund", Fund::All.key()),
                ("classification", Classification::Functional.key()),
                ("level", Level::Total.key()),
                ("nature", nature.key()),
            ])),
            "amount",
            EXPENDITURE_TABLES,
            FISCAL_ONLY_TABLES,
        )
    }

    fn revenue_on(&self, basis: Basis) -> Result<Option<Figure>> {
        match basis {
            Basis::CurrentYear => match self.revenue(RevenueSource::RevenueTotal)? {
                Some(f) => Ok(Some(f)),
                None => self.total_item(TotalsItem::RevenueTotal),
            },
            Basis::GrandTotal => self.revenue(RevenueSource::GrandTotal),
        }
    }

    fn expenditure_on(&self, basis: Basis) -> Result<Option<Figure>> {
        match basis {
            Basis::CurrentYear => match self.expenditure_total_row(Nature::Total)? {
                Some(f) => Ok(Some(f)),
                None => self.total_item(TotalsItem::ExpenditureTotal),
            },
            Basis::GrandTotal => self.total_item(TotalsItem::GrandTotal),
        }
    }

    fn basic(&self) -> Result<(Option<Figure>, Option<String>)> {
        if let Some(f) = self.expenditure_total_row(Nature::Basic)? {
            return Ok((Some(f), None));
        }
        if let Some(f) = self.total_item(TotalsItem::Basic)? {
            return Ok((Some(f), None));
        }
        match (
            self.total_item(TotalsItem::Personnel)?,
            self.total_item(TotalsItem::Public)?,
        ) {
            (Some(p), Some(q)) => Ok((
                Figure::sum(&[p, q]),
                Some("基本支出 = 人员经费 + 公用经费（由已公布数计算）".to_owned()),
            )),
            _ => Ok((None, None)),
        }
    }

    fn project(&self) -> Result<Option<Figure>> {
        match self.expenditure_total_row(Nature::Project)? {
            Some(f) => Ok(Some(f)),
            None => self.total_item(TotalsItem::Project),
        }
    }

    /// 财政拨款 revenue: the published 财政拨款 total, else the sum of its three parts.
    fn fiscal(&self) -> Result<Option<Figure>> {
        if let Some(f) = pick(
            &self.ds.tables.revenue,
            self.base()
                .and(col("source_key").eq(lit(RevenueSource::Fiscal.key()))),
            "amount",
            &["公开01", "预算表1", "公开04", "预算表6"],
            &[],
        )? {
            return Ok(Some(f));
        }
        let mut parts = Vec::new();
        for key in [
            RevenueSource::GeneralBudget,
            RevenueSource::GovFund,
            RevenueSource::StateCapital,
        ] {
            if let Some(f) = self.revenue(key)? {
                parts.push(f);
            }
        }
        Ok(Figure::sum(&parts))
    }

    fn sangong(&self, budget: bool) -> Result<Option<Figure>> {
        let filter = eq_all(&[
            ("department", self.department),
            ("category", SangongCategory::Total.key()),
        ])
        .and(col("year").eq(lit(self.year)));
        let stage_filter = sangong_stage(budget);
        // Prefer the adjusted budget (the figure the control rate is measured against).
        let rows =
            super::figure::rows(&self.ds.tables.sangong, filter.and(stage_filter), "amount")?;
        let best = rows
            .into_iter()
            .min_by_key(|(_, s)| usize::from(!SANGONG_TABLES.contains(&s.table.as_str())));
        Ok(best.map(|(a, s)| Figure::published(a, s)))
    }
}

use crate::model::ratio;

fn change(current: Decimal, previous: Decimal) -> Option<Decimal> {
    crate::model::change_ratio(current, previous)
}

/// Compute the Overview for a selection.
pub fn overview(ds: &Dataset, cat: &Catalog, sel: &Selection) -> Result<Overview> {
    let scope = cat.scope(&sel.department, sel.year);
    let scope_str = scope.clone().unwrap_or_default();
    let cur = Ctx {
        ds,
        department: &sel.department,
        scope: &scope_str,
        year: sel.year,
        stage: sel.stage,
    };
    let prev_year = sel.year - 1;
    let prev_scope = cat.scope(&sel.department, prev_year);
    let prev_scope_str = prev_scope.clone().unwrap_or_default();
    let prev = Ctx {
        ds,
        department: &sel.department,
        scope: &prev_scope_str,
        year: prev_year,
        stage: sel.stage,
    };
    let scope_differs = prev_scope.is_some() && prev_scope != scope;

    let yoy_on = |basis: Basis, c: Option<Figure>, p: Option<Figure>| -> Option<YoY> {
        let (c, p) = (c?, p?);
        let narrative = |f: &Figure| f.sources.iter().any(|s| s.table == NARRATIVE_TABLE);
        let same_doc = c
            .sources
            .iter()
            .any(|a| p.sources.iter().any(|b| a.doc == b.doc));
        Some(YoY {
            source_kind_differs: !same_doc && narrative(&c) != narrative(&p),
            previous_year: prev_year,
            previous_scope: prev_scope_str.clone(),
            basis,
            change_ratio: change(c.amount, p.amount),
            previous: p,
            current: c,
            scope_differs,
        })
    };
    // Compare like with like: 本年合计 if both years have it, else 总计 (含结转) if both have it.
    let total_kpi =
        |key: KpiKey, get: &dyn Fn(&Ctx, Basis) -> Result<Option<Figure>>| -> Result<Kpi> {
            let value = get(&cur, Basis::CurrentYear)?;
            let mut yoy = yoy_on(
                Basis::CurrentYear,
                value.clone(),
                get(&prev, Basis::CurrentYear)?,
            );
            if yoy.is_none() {
                yoy = yoy_on(
                    Basis::GrandTotal,
                    get(&cur, Basis::GrandTotal)?,
                    get(&prev, Basis::GrandTotal)?,
                );
            }
            let note = if value.is_none() {
                Some(format!("{} 未公布{}", sel.year, key.label()))
            } else {
                None
            };
            Ok(Kpi {
                key,
                value,
                ratio: None,
                reference: None,
                yoy,
                note,
            })
        };

    let revenue = total_kpi(KpiKey::Revenue, &|c, b| c.revenue_on(b))?;
    let expenditure = total_kpi(KpiKey::Expenditure, &|c, b| c.expenditure_on(b))?;
    let exp_value = expenditure.value.clone();

    let share_kpi = |key: KpiKey,
                     (value, note): (Option<Figure>, Option<String>),
                     prev_value: Option<Figure>| Kpi {
        key,
        ratio: match (&value, &exp_value) {
            (Some(v), Some(t)) => ratio(v.amount, t.amount),
            _ => None,
        },
        yoy: yoy_on(Basis::CurrentYear, value.clone(), prev_value),
        note: note.or_else(|| {
            value
                .is_none()
                .then(|| format!("{} 未公布{}", sel.year, key.label()))
        }),
        value,
        reference: exp_value.clone(),
    };
    let basic = share_kpi(KpiKey::Basic, cur.basic()?, prev.basic()?.0);
    let project = share_kpi(KpiKey::Project, (cur.project()?, None), prev.project()?);

    let fiscal = cur.fiscal()?;
    let fiscal_share = Kpi {
        key: KpiKey::FiscalShare,
        ratio: match (&fiscal, &revenue.value) {
            (Some(f), Some(r)) => ratio(f.amount, r.amount),
            _ => None,
        },
        note: if fiscal.is_none() || revenue.value.is_none() {
            Some("缺少财政拨款收入或收入合计".to_owned())
        } else {
            None
        },
        reference: revenue.value.clone(),
        value: fiscal,
        yoy: None,
    };

    let sg_final = cur.sangong(false)?;
    let sg_budget = cur.sangong(true)?;
    // Compare budget with budget and actual with actual.
    let sg_prev = prev.sangong(sel.stage.is_budget())?;
    let (sg_value, sg_ref) = if sel.stage.is_budget() {
        (sg_budget.clone(), None)
    } else {
        (sg_final.clone(), sg_budget.clone())
    };
    let sangong = Kpi {
        key: KpiKey::Sangong,
        ratio: match (&sg_final, &sg_budget) {
            (Some(f), Some(b)) if !sel.stage.is_budget() => ratio(f.amount, b.amount),
            _ => None,
        },
        yoy: {
            let mut y = yoy_on(Basis::CurrentYear, sg_value.clone(), sg_prev);
            if let Some(y) = y.as_mut() {
                // 三公 tables carry their own scope; 2022 (本级) vs 2023 (本级) are comparable.
                y.scope_differs = false;
            }
            y
        },
        note: match (&sg_value, &sg_ref) {
            (None, _) => Some(format!("{} 未公布三公经费{}", sel.year, sel.stage.label())),
            (Some(_), None) if !sel.stage.is_budget() => Some("未公布三公经费预算数".to_owned()),
            _ => None,
        },
        value: sg_value,
        reference: sg_ref,
    };

    let trend = trend(ds, cat, &sel.department)?;
    Ok(Overview {
        selection: sel.clone(),
        scope,
        kpis: vec![revenue, expenditure, basic, project, fiscal_share, sangong],
        trend,
        doubtful: doubtful_tables(ds, &sel.department, sel.year)?,
    })
}

/// The 存疑 tables of a department-year (`tables.verdict` = `doubtful`), with why.
pub fn doubtful_tables(ds: &Dataset, department: &str, year: i32) -> Result<Vec<(String, String)>> {
    let m = &ds.tables.tables;
    if m.height() == 0 || m.column("verdict").is_err() {
        return Ok(Vec::new());
    }
    let hit = m
        .clone()
        .lazy()
        .filter(
            col("department")
                .eq(lit(department))
                .and(col("year").eq(lit(year)))
                .and(col("verdict").eq(lit("doubtful"))),
        )
        .collect()?;
    let (tables, notes) = (
        strings(&hit, "source_table")?,
        strings(&hit, "verdict_note")?,
    );
    let mut out: Vec<(String, String)> = tables.into_iter().zip(notes).collect();
    out.dedup();
    Ok(out)
}

/// Expenditure totals of every (year, stage) of a department: 本年支出合计 where published,
/// otherwise 支出总计 (marked with its basis so the chart can say so).
pub fn trend(ds: &Dataset, cat: &Catalog, department: &str) -> Result<Vec<TrendPoint>> {
    let mut out = Vec::new();
    for year in cat.years(department) {
        let Some(scope) = cat.scope(department, year) else {
            continue;
        };
        for stage in cat.stages(department, year) {
            let ctx = Ctx {
                ds,
                department,
                scope: &scope,
                year,
                stage,
            };
            let (basis, fig) = match ctx.expenditure_on(Basis::CurrentYear)? {
                Some(f) => (Basis::CurrentYear, Some(f)),
                None => (Basis::GrandTotal, ctx.expenditure_on(Basis::GrandTotal)?),
            };
            if let Some(expenditure) = fig {
                out.push(TrendPoint {
                    year,
                    stage,
                    scope: scope.clone(),
                    basis,
                    expenditure,
                });
            }
        }
    }
    Ok(out)
}
