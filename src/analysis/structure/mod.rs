//! 收支结构: where the money of one (department, year, stage) comes from and where it goes — by
//! revenue source, functional 类, nature (基本/项目), economic group (人员/公用) and economic 类 —
//! with the other stage of the same year and the previous year of the same scope alongside.

mod timeline;
mod types;

pub use timeline::{
    Dimension, Series, Step, TimePoint, Timeline, Waterfall, signed, timeline, waterfall,
};
pub use types::{Breakdown, BreakdownKind, Part, Structure, StructureReport};

use polars::prelude::*;
use rust_decimal::Decimal;

use super::drill::{DrillQuery, ExpenditureRows};
use super::figure::{Figure, rows};
use super::frame::{eq_all, strings};
use super::overview::{Catalog, NARRATIVE_TABLE, Selection};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{
    Classification, Fund, Level, Measure, Nature, RevenueSource, Stage, TotalsItem,
};

use crate::model::ratio;

fn finish(mut b: Breakdown) -> Breakdown {
    let sum = b.parts_sum();
    if b.total.is_none() && !b.parts.is_empty() {
        let parts: Vec<Figure> = b.parts.iter().map(|p| p.figure.clone()).collect();
        b.total = Figure::sum(&parts);
    }
    let total = b.total.as_ref().map(|t| t.amount);
    for p in &mut b.parts {
        p.share = total.and_then(|t| ratio(p.figure.amount, t));
    }
    if sum.is_none() {
        b.notes
            .push("各项之和超出可精确表示的范围，未计算未细分".to_owned());
    }
    b.unallocated = total
        .zip(sum)
        .and_then(|(t, s)| t.checked_sub(s))
        .filter(|d| !d.is_zero() && !b.parts.is_empty());
    let zero: Vec<String> = b
        .parts
        .iter()
        .filter(|p| p.figure.amount.is_zero())
        .map(|p| p.label.clone())
        .collect();
    if !zero.is_empty() {
        b.notes.push(format!("金额为 0：{}", zero.join("、")));
        b.parts.retain(|p| !p.figure.amount.is_zero());
    }
    b
}

fn part(key: impl Into<String>, label: impl Into<String>, figure: Figure) -> Part {
    Part {
        key: key.into(),
        label: label.into(),
        figure,
        share: None,
        counterpart: None,
        previous: None,
    }
}

struct Ctx<'a> {
    ds: &'a Dataset,
    sel: &'a Selection,
    scope: String,
    /// The selection's `totals` rows (`key` = item), read once.
    totals: Vec<Stated>,
    /// The selection's functional expenditure 合计 rows (`key` = nature), read once.
    nature_totals: Vec<Stated>,
    /// The selection's expenditure rows, read once for the drill-downs of every fund tried.
    expenditure: ExpenditureRows,
}

/// A stated figure of the selection with the two columns its lookups match on.
struct Stated {
    fund: String,
    key: String,
    amount: Decimal,
    source: super::figure::SourceRef,
}

/// The rows of `df` matching `filter` that have an amount, in frame order, with their `fund` and
/// `key_col` values: one query for the many lookups of a selection (each lookup then the same
/// rows, in the same order, as its own query would give).
fn stated(df: &DataFrame, filter: Expr, key_col: &str) -> Result<Vec<Stated>> {
    let hit = df
        .clone()
        .lazy()
        .without_optimizations()
        .filter(filter.and(col("amount").is_not_null()))
        .collect()?;
    let found = rows(&hit, lit(true), "amount")?;
    let funds = strings(&hit, "fund")?;
    let keys = strings(&hit, key_col)?;
    Ok(found
        .into_iter()
        .zip(funds.into_iter().zip(keys))
        .map(|((amount, source), (fund, key))| Stated {
            fund,
            key,
            amount,
            source,
        })
        .collect())
}

/// Revenue source keys that make up 本年收入 (not subtotals, not carry-overs).
fn revenue_fund_matches(fund: Fund, key: &str) -> bool {
    match fund {
        Fund::All => true,
        Fund::Fiscal => matches!(
            RevenueSource::from_key(key),
            Some(
                RevenueSource::GeneralBudget | RevenueSource::GovFund | RevenueSource::StateCapital
            )
        ),
        f => f.key() == key,
    }
}

impl Ctx<'_> {
    fn base(&self) -> Expr {
        eq_all(&[
            ("department", self.sel.department.as_str()),
            ("scope", self.scope.as_str()),
            ("stage", self.sel.stage.key()),
        ])
        .and(col("year").eq(lit(self.sel.year)))
    }

    fn revenue(&self, fund: Fund) -> Result<Breakdown> {
        let mut b = Breakdown::empty(BreakdownKind::Revenue, fund);
        let df = self
            .ds
            .tables
            .revenue
            .clone()
            .lazy()
            .filter(self.base())
            .collect()?;
        let found = rows(&df, lit(true), "amount")?;
        let keys = strings(&df, "source_key")?;
        let labels = strings(&df, "source")?;
        let subtotal = super::frame::bools(&df, "is_subtotal")?;
        // The department-wide table: the largest 本年收入合计, then the most source rows.
        let mut tables: Vec<(String, Decimal, usize)> = Vec::new();
        for (i, (amount, src)) in found.iter().enumerate() {
            let entry = if let Some(e) = tables.iter_mut().find(|(t, _, _)| *t == src.table) {
                e
            } else {
                tables.push((src.table.clone(), Decimal::ZERO, 0));
                let Some(e) = tables.last_mut() else { continue };
                e
            };
            match keys.get(i).and_then(|k| RevenueSource::from_key(k)) {
                Some(RevenueSource::RevenueTotal) => entry.1 = entry.1.max(*amount),
                _ if !subtotal.get(i).copied().unwrap_or(true) => entry.2 += 1,
                _ => {}
            }
        }
        tables.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        let Some((table, _, _)) = tables.first().cloned() else {
            return Ok(b);
        };
        b.tables.push(table.clone());
        let mut carry_in = Decimal::ZERO;
        for (i, (amount, src)) in found.iter().enumerate() {
            if src.table != table {
                continue;
            }
            let key = keys.get(i).cloned().unwrap_or_default();
            let label = labels.get(i).cloned().unwrap_or_default();
            let is_subtotal = subtotal.get(i).copied().unwrap_or(true);
            let source = RevenueSource::from_key(&key);
            if source == Some(RevenueSource::RevenueTotal) && fund == Fund::All {
                b.total = Some(Figure::published(*amount, src.clone()));
            } else if source.is_some_and(RevenueSource::is_carry_in) {
                if !is_subtotal {
                    carry_in += *amount;
                }
            } else if !is_subtotal && revenue_fund_matches(fund, &key) && b.part(&key).is_none() {
                b.parts
                    .push(part(key, label, Figure::published(*amount, src.clone())));
            }
        }
        if !carry_in.is_zero() {
            b.notes.push(format!(
                "年初结转和结余 {} 万元不属本年收入，未计入",
                crate::model::format_decimal_grouped(carry_in, 2)
            ));
        }
        if fund != Fund::All {
            b.notes
                .push(format!("仅{}来源；合计为各来源之和", fund.label()));
        }
        b.parts.sort_by(|x, y| {
            y.figure
                .amount
                .cmp(&x.figure.amount)
                .then(x.key.cmp(&y.key))
        });
        Ok(finish(b))
    }

    fn drill_query(
        &self,
        fund: Fund,
        classification: Classification,
        nature: Nature,
    ) -> DrillQuery {
        DrillQuery {
            department: self.sel.department.clone(),
            scope: self.scope.clone(),
            year: self.sel.year,
            stage: self.sel.stage,
            fund,
            classification,
            nature,
            parent: None,
        }
    }

    /// Funds to try, in order, when the selected one has no figures (only for 全部资金).
    fn fallbacks(fund: Fund) -> Vec<Fund> {
        if fund == Fund::All {
            vec![Fund::All, Fund::Fiscal, Fund::GeneralBudget]
        } else {
            vec![fund]
        }
    }

    fn classified(&self, fund: Fund, classification: Classification) -> Breakdown {
        let kind = match classification {
            Classification::Functional => BreakdownKind::Functional,
            Classification::Economic => BreakdownKind::EconomicClass,
        };
        for f in Self::fallbacks(fund) {
            for nature in [Nature::Total, Nature::Basic] {
                if classification == Classification::Functional && nature != Nature::Total {
                    continue;
                }
                let d = self
                    .expenditure
                    .drill(&self.drill_query(f, classification, nature));
                if d.rows.is_empty() {
                    continue;
                }
                let mut b = Breakdown::empty(kind, f);
                b.nature = nature;
                b.tables.extend(d.table.clone());
                b.total = d.parent.clone();
                b.parts = d
                    .rows
                    .iter()
                    .map(|r| {
                        part(
                            r.code.as_str(),
                            format!("{} {}", r.code, r.name),
                            r.figure.clone(),
                        )
                    })
                    .collect();
                if f != fund {
                    b.notes.push(format!(
                        "本年度未公布{}的此项分类，显示{}口径",
                        fund.label(),
                        f.label()
                    ));
                }
                if nature == Nature::Basic {
                    b.notes.push("仅公布基本支出的经济分类".to_owned());
                }
                return finish(b);
            }
        }
        Breakdown::empty(kind, fund)
    }

    /// The 合计 row of one nature in the functional tables, else the totals table's item.
    fn nature_total(&self, fund: Fund, nature: Nature) -> Option<Figure> {
        let mut found: Vec<&Stated> = self
            .nature_totals
            .iter()
            .filter(|r| r.fund == fund.key() && r.key == nature.key())
            .collect();
        // Prefer tables over narrative figures, then the table with the lowest name (公开03 over
        // 公开05 …) for a stable choice.
        found.sort_by(|a, b| {
            let (a, b) = (&a.source, &b.source);
            (a.table == NARRATIVE_TABLE, &a.table).cmp(&(b.table == NARRATIVE_TABLE, &b.table))
        });
        if let Some(r) = found.first() {
            return Some(Figure::published(r.amount, r.source.clone()));
        }
        let item = match nature {
            Nature::Total => TotalsItem::ExpenditureTotal,
            Nature::Basic => TotalsItem::Basic,
            Nature::Project => TotalsItem::Project,
        };
        self.total_item(fund, item)
    }

    fn total_item(&self, fund: Fund, item: TotalsItem) -> Option<Figure> {
        self.totals
            .iter()
            .find(|r| r.fund == fund.key() && r.key == item.key())
            .map(|r| Figure::published(r.amount, r.source.clone()))
    }

    fn nature(&self, fund: Fund) -> Breakdown {
        for f in Self::fallbacks(fund) {
            let basic = self.nature_total(f, Nature::Basic);
            let project = self.nature_total(f, Nature::Project);
            if basic.is_none() && project.is_none() {
                continue;
            }
            let mut b = Breakdown::empty(BreakdownKind::Nature, f);
            b.total = self.nature_total(f, Nature::Total);
            for (key, fig) in [(Nature::Basic, basic), (Nature::Project, project)] {
                if let Some(fig) = fig {
                    push_table(&mut b.tables, &fig);
                    b.parts.push(part(key.key(), key.label(), fig));
                }
            }
            if f != fund {
                b.notes.push(format!(
                    "本年度未公布{}的基本/项目支出，显示{}口径",
                    fund.label(),
                    f.label()
                ));
            }
            return finish(b);
        }
        Breakdown::empty(BreakdownKind::Nature, fund)
    }

    fn economic_groups(&self, fund: Fund) -> Breakdown {
        for f in Self::fallbacks(fund) {
            let personnel = self.total_item(f, TotalsItem::Personnel);
            let public = match self.total_item(f, TotalsItem::Public) {
                Some(p) => Some((TotalsItem::Public, "公用经费", p)),
                None => self
                    .total_item(f, TotalsItem::DailyPublic)
                    .map(|p| (TotalsItem::DailyPublic, "日常公用经费", p)),
            };
            let household = self.total_item(f, TotalsItem::HouseholdSubsidy);
            if personnel.is_none() && public.is_none() {
                continue;
            }
            let mut b = Breakdown::empty(BreakdownKind::EconomicGroup, f);
            b.nature = Nature::Basic;
            b.total = self.nature_total(f, Nature::Basic);
            // One definition in every year: 人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助
            // (the 决算 tables' 人员经费合计). A year printing the two apart has them added.
            let personnel = match (personnel, household) {
                (Some(p), Some(h)) => {
                    push_table(&mut b.tables, &p);
                    push_table(&mut b.tables, &h);
                    b.notes.push(format!(
                        "人员经费按 301 工资福利支出 + 303 对个人和家庭的补助计：本年两者分列公布（{} + {} 万元），已相加",
                        crate::model::format_decimal_grouped(p.amount, 2),
                        crate::model::format_decimal_grouped(h.amount, 2)
                    ));
                    Figure::sum(&[p, h])
                }
                (p, h) => {
                    if h.is_some() {
                        b.notes
                            .push("本年只公布对个人和家庭的补助，未公布人员经费".to_owned());
                    } else if p.is_some() {
                        b.notes.push(
                            "人员经费按原表所列（决算表口径为 301 工资福利支出 + 303 对个人和家庭的补助）"
                                .to_owned(),
                        );
                    }
                    p
                }
            };
            if let Some(p) = personnel {
                push_table(&mut b.tables, &p);
                b.parts
                    .push(part(TotalsItem::Personnel.key(), "人员经费", p));
            }
            if let Some((key, label, p)) = public {
                push_table(&mut b.tables, &p);
                b.parts.push(part(key.key(), label, p));
            }
            if f != fund {
                b.notes.push(format!(
                    "本年度未公布{}的人员/公用经费，显示{}口径",
                    fund.label(),
                    f.label()
                ));
            }
            return finish(b);
        }
        Breakdown::empty(BreakdownKind::EconomicGroup, fund)
    }
}

fn push_table(tables: &mut Vec<String>, fig: &Figure) {
    for s in &fig.sources {
        if !tables.contains(&s.table) {
            tables.push(s.table.clone());
        }
    }
}

/// The structure of one selection and fund.
pub fn structure(ds: &Dataset, cat: &Catalog, sel: &Selection, fund: Fund) -> Result<Structure> {
    let scope = cat.scope(&sel.department, sel.year);
    let mut ctx = Ctx {
        ds,
        sel,
        scope: scope.clone().unwrap_or_default(),
        totals: Vec::new(),
        nature_totals: Vec::new(),
        expenditure: ExpenditureRows::read(
            ds,
            &sel.department,
            scope.as_deref().unwrap_or_default(),
            sel.year,
            sel.stage,
        )?,
    };
    ctx.totals = stated(&ds.tables.totals, ctx.base(), "item")?;
    ctx.nature_totals = stated(
        &ds.tables.amounts,
        ctx.base().and(eq_all(&[
            ("measure", Measure::Expenditure.key()),
            ("classification", Classification::Functional.key()),
            ("level", Level::Total.key()),
        ])),
        "nature",
    )?;
    let breakdowns = vec![
        ctx.revenue(fund)?,
        ctx.classified(fund, Classification::Functional),
        ctx.nature(fund),
        ctx.economic_groups(fund),
        ctx.classified(fund, Classification::Economic),
    ];
    Ok(Structure {
        selection: sel.clone(),
        fund,
        scope,
        breakdowns,
    })
}

/// Copy the amounts of `other` into `field` of the matching parts of `main`, breakdown by
/// breakdown, but only where both use the same fund and nature (so like is compared with like).
fn link(main: &mut Structure, other: &Structure, set: fn(&mut Part, Decimal)) {
    for kind in BreakdownKind::ALL {
        let Some(o) = other.get(kind) else { continue };
        let Some(m) = main.get_mut(kind) else {
            continue;
        };
        if m.fund != o.fund || m.nature != o.nature {
            continue;
        }
        for p in &mut m.parts {
            if let Some(q) = o.part(&p.key) {
                set(p, q.figure.amount);
            }
        }
    }
}

/// The stages a selection's stage is compared with in the same year, in order of preference.
fn counterpart_stages(cat: &Catalog, sel: &Selection) -> Vec<Stage> {
    let stages = cat.stages(&sel.department, sel.year);
    let candidates: &[Stage] = if sel.stage == Stage::Final {
        &[Stage::BudgetAdjusted, Stage::BudgetInitial]
    } else {
        &[Stage::Final]
    };
    candidates
        .iter()
        .copied()
        .filter(|s| stages.contains(s))
        .collect()
}

/// The structure with the other stage of its year and the previous year of the same scope.
pub fn structure_report(
    ds: &Dataset,
    cat: &Catalog,
    sel: &Selection,
    fund: Fund,
) -> Result<StructureReport> {
    let mut main = structure(ds, cat, sel, fund)?;
    let mut counterpart_stage = None;
    for stage in counterpart_stages(cat, sel) {
        let other_sel = Selection {
            stage,
            ..sel.clone()
        };
        let other = structure(ds, cat, &other_sel, fund)?;
        if !other.is_empty() {
            link(&mut main, &other, |p, v| p.counterpart = Some(v));
            counterpart_stage = Some(stage);
            break;
        }
    }
    let scope = cat.scope(&sel.department, sel.year).unwrap_or_default();
    let mut previous_notes = Vec::new();
    let mut previous_year = None;
    let mut other_scope_noted = false;
    for y in cat.years(&sel.department).into_iter().rev() {
        if y >= sel.year || !cat.stages(&sel.department, y).contains(&sel.stage) {
            continue;
        }
        let s = cat.scope(&sel.department, y).unwrap_or_default();
        if s != scope {
            if !other_scope_noted {
                previous_notes.push(format!(
                    "{y} 年{}口径为「{s}」，与本年「{scope}」不同，不计算变动",
                    sel.stage.label()
                ));
                other_scope_noted = true;
            }
            continue;
        }
        let prev_sel = Selection {
            year: y,
            ..sel.clone()
        };
        let prev = structure(ds, cat, &prev_sel, fund)?;
        if prev.is_empty() {
            previous_notes.push(format!("{y} 年（{s}）未公布可比的分类数"));
            continue;
        }
        link(&mut main, &prev, |p, v| p.previous = Some(v));
        previous_year = Some(y);
        break;
    }
    if previous_year.is_none() && previous_notes.is_empty() {
        previous_notes.push(format!("无更早年度的{}数据，不计算变动", sel.stage.label()));
    }
    Ok(StructureReport {
        main,
        counterpart_stage,
        previous_year,
        previous_notes,
    })
}
