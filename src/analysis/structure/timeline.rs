//! 结构变化: one department's expenditure structure across all its years, on a like-for-like
//! basis chosen automatically (the same fund coverage first, then the same stage), and the change
//! waterfall between two of those points — which parts explain the change in the total.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Breakdown, BreakdownKind, Part, Structure, part, structure};
use crate::analysis::drill::{DrillQuery, drill_each};
use crate::analysis::overview::{Catalog, Selection};
use crate::dataset::Dataset;
use crate::error::{Error, Location, Result};
use crate::model::{Classification, Code, Fund, Nature, Stage, format_decimal_grouped, ratio};

/// What the structure is broken down by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// 支出功能分类 类
    #[default]
    Functional,
    /// 支出功能分类 款 (a 类 without published 款 stands for itself)
    FunctionalKuan,
    /// 基本支出 / 项目支出
    Nature,
    /// 人员经费 / 公用经费 (of 基本支出)
    EconomicGroup,
    /// 支出经济分类 类
    EconomicClass,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Functional,
        Dimension::FunctionalKuan,
        Dimension::Nature,
        Dimension::EconomicGroup,
        Dimension::EconomicClass,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Functional => "功能分类（类）",
            Dimension::FunctionalKuan => "功能分类（款）",
            Dimension::Nature => "基本 / 项目",
            Dimension::EconomicGroup => "人员 / 公用",
            Dimension::EconomicClass => "经济分类（类）",
        }
    }
}

/// One (year, stage) of the department with its expenditure structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimePoint {
    pub year: i32,
    pub stage: Stage,
    pub structure: Structure,
    /// The functional breakdown at 款 level (same fund and table family as the 类 one).
    pub kuan: Breakdown,
}

impl TimePoint {
    /// `2020 决算 · 全部门`: how every bar and column is labelled.
    pub fn label(&self) -> String {
        format!(
            "{} {} · {}",
            self.year,
            self.stage.label(),
            self.structure.scope.as_deref().unwrap_or("口径未知")
        )
    }

    /// The breakdown of a dimension.
    pub fn breakdown(&self, dim: Dimension) -> Option<&Breakdown> {
        match dim {
            Dimension::Functional => self.structure.get(BreakdownKind::Functional),
            Dimension::FunctionalKuan => Some(&self.kuan),
            Dimension::Nature => self.structure.get(BreakdownKind::Nature),
            Dimension::EconomicGroup => self.structure.get(BreakdownKind::EconomicGroup),
            Dimension::EconomicClass => self.structure.get(BreakdownKind::EconomicClass),
        }
        .filter(|b| !b.parts.is_empty())
    }

    /// The fund a dimension's breakdown is published for (after any fallback).
    pub fn fund(&self, dim: Dimension) -> Option<Fund> {
        self.breakdown(dim).map(|b| b.fund)
    }

    fn scope(&self) -> &str {
        self.structure.scope.as_deref().unwrap_or("未知")
    }
}

/// The points shown for one dimension: one per year that has it, on a like-for-like basis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    /// Indices into [`Timeline::points`], by year.
    pub points: Vec<usize>,
    /// The stage most years are shown at.
    pub basis: Option<Stage>,
    /// What the user must know about the basis (years on another stage, scopes, funds).
    pub notes: Vec<String>,
}

/// A department's structure over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub department: String,
    /// The fund asked for.
    pub fund: Fund,
    /// Every (year, stage) with an expenditure breakdown, by year, then 年初预算 → 决算.
    pub points: Vec<TimePoint>,
    /// The series of each dimension, in [`Dimension::ALL`] order.
    pub series: Vec<(Dimension, Series)>,
}

fn stage_rank(stage: Stage) -> u8 {
    match stage {
        Stage::Final => 2,
        Stage::BudgetAdjusted => 1,
        Stage::BudgetInitial => 0,
    }
}

/// The functional 款 of a point: the 款 rows under each 类 of its functional breakdown.
fn kuan_breakdown(ds: &Dataset, s: &Structure) -> Result<Breakdown> {
    let Some(lei) = s
        .get(BreakdownKind::Functional)
        .filter(|b| !b.parts.is_empty())
    else {
        return Ok(Breakdown::empty(BreakdownKind::Functional, s.fund));
    };
    let mut b = Breakdown::empty(BreakdownKind::Functional, lei.fund);
    b.total.clone_from(&lei.total);
    b.tables.clone_from(&lei.tables);
    b.notes.clone_from(&lei.notes);
    // the 款 of every 类, from one read of the point's rows
    let parents: Vec<Option<Code>> = lei
        .parts
        .iter()
        .map(|p| Code::parse(&p.key, Classification::Functional).ok())
        .collect();
    let q = DrillQuery {
        department: s.selection.department.clone(),
        scope: s.scope.clone().unwrap_or_default(),
        year: s.selection.year,
        stage: s.selection.stage,
        fund: lei.fund,
        classification: Classification::Functional,
        nature: Nature::Total,
        parent: None,
    };
    let drills = if parents.iter().any(Option::is_some) {
        drill_each(ds, &q, &parents)?
    } else {
        Vec::new()
    };
    for (i, p) in lei.parts.iter().enumerate() {
        let rows = match (parents.get(i), drills.get(i)) {
            (Some(Some(_)), Some(d)) => d.rows.as_slice(),
            _ => &[],
        };
        let kept: Vec<_> = rows.iter().filter(|r| !r.figure.amount.is_zero()).collect();
        let sum = crate::model::checked_sum(kept.iter().map(|r| r.figure.amount));
        // the 款 may miss the 类 by the printed tables' rounding (尾数): one unit of the last
        // printed digit per 款 at most; the difference is then 未细分, never spread
        let scale = kept
            .iter()
            .map(|r| r.figure.amount.scale())
            .chain([p.figure.amount.scale()])
            .max()
            .unwrap_or(0);
        let tolerance = Decimal::new(i64::try_from(kept.len()).unwrap_or(i64::MAX), scale);
        let diff = sum.and_then(|s| p.figure.amount.checked_sub(s));
        let within = diff.is_some_and(|d| d.abs() <= tolerance);
        if !diff.is_some_and(|d| d.is_zero()) && within {
            b.notes.push(format!(
                "{} 的各款之和与类相差 {} 万元（原表尾数），计为未细分",
                p.label,
                diff.map_or_else(String::new, |d| format_decimal_grouped(d, 2))
            ));
        }
        if kept.is_empty() || !within {
            // no 款 published, or they do not add up to the 类: the 类 stands for itself
            let mut whole = p.clone();
            if !kept.is_empty() {
                whole.label = format!("{}（款之和与类不符，未细分）", p.label);
            }
            b.parts.push(whole);
            continue;
        }
        for r in kept {
            b.parts.push(part(
                r.code.as_str(),
                format!("{} {}", r.code, r.name),
                r.figure.clone(),
            ));
        }
    }
    let total = b.total.as_ref().map(|t| t.amount);
    for p in &mut b.parts {
        p.share = total.and_then(|t| ratio(p.figure.amount, t));
    }
    b.unallocated = total
        .zip(b.parts_sum())
        .and_then(|(t, s)| t.checked_sub(s))
        .filter(|d| !d.is_zero());
    Ok(b)
}

/// The department's structure at every (year, stage) that has one, and the series shown.
pub fn timeline(ds: &Dataset, cat: &Catalog, department: &str, fund: Fund) -> Result<Timeline> {
    // the years are independent: each reads its own rows, on rayon's threads, in year order
    let per_year = |year: i32| -> Result<Vec<TimePoint>> {
        // each point reads one year: its queries scan that year's rows only
        let ds = &ds.restricted(&[("department", department)], Some(year))?;
        let mut points = Vec::new();
        for stage in cat.stages(department, year) {
            let sel = Selection {
                department: department.to_owned(),
                year,
                stage,
            };
            let s = structure(ds, cat, &sel, fund)?;
            let has_expenditure = s
                .breakdowns
                .iter()
                .any(|b| b.kind != BreakdownKind::Revenue && !b.parts.is_empty());
            if !has_expenditure {
                continue;
            }
            let kuan = kuan_breakdown(ds, &s)?;
            points.push(TimePoint {
                year,
                stage,
                structure: s,
                kuan,
            });
        }
        Ok(points)
    };
    let points: Vec<TimePoint> = cat
        .years(department)
        .into_par_iter()
        .map(per_year)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let series = Dimension::ALL
        .iter()
        .map(|dim| {
            let (shown, basis) = choose_series(&points, *dim, fund);
            let notes = basis_notes(&points, &shown, *dim, basis, fund);
            (
                *dim,
                Series {
                    points: shown,
                    basis,
                    notes,
                },
            )
        })
        .collect();
    Ok(Timeline {
        department: department.to_owned(),
        fund,
        points,
        series,
    })
}

/// Per year that has the dimension, the point with (1) the fund asked for, (2) the basis stage —
/// the stage most years have with that fund, 决算 first on a tie — (3) the later stage.
fn choose_series(points: &[TimePoint], dim: Dimension, fund: Fund) -> (Vec<usize>, Option<Stage>) {
    let mut years_per_stage: BTreeMap<Stage, usize> = BTreeMap::new();
    for p in points.iter().filter(|p| p.fund(dim) == Some(fund)) {
        *years_per_stage.entry(p.stage).or_default() += 1;
    }
    let basis = years_per_stage
        .iter()
        .max_by_key(|(s, n)| (**n, stage_rank(**s)))
        .map(|(s, _)| *s)
        .or_else(|| {
            points
                .iter()
                .filter(|p| p.breakdown(dim).is_some())
                .map(|p| p.stage)
                .max_by_key(|s| stage_rank(*s))
        });
    let mut best: BTreeMap<i32, (usize, (bool, bool, u8))> = BTreeMap::new();
    for (i, p) in points.iter().enumerate() {
        if p.breakdown(dim).is_none() {
            continue;
        }
        let key = (
            p.fund(dim) == Some(fund),
            Some(p.stage) == basis,
            stage_rank(p.stage),
        );
        let e = best.entry(p.year).or_insert((i, key));
        if key > e.1 {
            *e = (i, key);
        }
    }
    (best.values().map(|(i, _)| *i).collect(), basis)
}

fn basis_notes(
    points: &[TimePoint],
    series: &[usize],
    dim: Dimension,
    basis: Option<Stage>,
    fund: Fund,
) -> Vec<String> {
    let shown: Vec<&TimePoint> = series.iter().filter_map(|i| points.get(*i)).collect();
    let mut notes = Vec::new();
    if let Some(b) = basis {
        let other: Vec<String> = shown
            .iter()
            .filter(|p| p.stage != b)
            .map(|p| format!("{} 年为{}", p.year, p.stage.label()))
            .collect();
        if other.is_empty() {
            notes.push(format!("各年均按{}列示", b.label()));
        } else {
            notes.push(format!(
                "各年按{}列示；{}（该年未公布可比的{}），预算为计划数、决算为实际支出，跨阶段的变动含预算与执行之差",
                b.label(),
                other.join("、"),
                b.label()
            ));
        }
    }
    let scopes: Vec<String> = shown
        .iter()
        .map(|p| format!("{} 年「{}」", p.year, p.scope()))
        .collect();
    if shown
        .iter()
        .any(|p| p.scope() != shown.first().map_or("", |f| f.scope()))
    {
        notes.push(format!(
            "口径不一：{}；本级不含下属单位，变动含口径差异",
            scopes.join("、")
        ));
    }
    let other_fund: Vec<String> = shown
        .iter()
        .filter(|p| p.fund(dim).is_some_and(|f| f != fund))
        .map(|p| {
            format!(
                "{} 年仅公布{}",
                p.year,
                p.fund(dim).map_or("—", Fund::label)
            )
        })
        .collect();
    if !other_fund.is_empty() {
        notes.push(format!(
            "资金口径：{}，与{}不可直接比较",
            other_fund.join("、"),
            fund.label()
        ));
    }
    notes
}

impl Timeline {
    /// The series of a dimension.
    pub fn series(&self, dim: Dimension) -> Option<&Series> {
        self.series.iter().find(|(d, _)| *d == dim).map(|(_, s)| s)
    }

    /// The points shown for a dimension, by year.
    pub fn shown(&self, dim: Dimension) -> impl Iterator<Item = &TimePoint> {
        self.series(dim)
            .map(|s| s.points.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|i| self.points.get(*i))
    }

    /// The default waterfall of a dimension: its first and last year shown.
    pub fn default_pair(&self, dim: Dimension) -> Option<(usize, usize)> {
        let s = self.series(dim)?;
        let first = *s.points.first()?;
        let last = *s.points.last()?;
        (first != last).then_some((first, last))
    }

    /// Every part key of a dimension over the shown points, largest (latest amount) first.
    pub fn keys(&self, dim: Dimension) -> Vec<(String, String)> {
        let mut seen: Vec<(String, String, Decimal)> = Vec::new();
        for p in self.shown(dim) {
            let Some(b) = p.breakdown(dim) else { continue };
            for part in &b.parts {
                match seen.iter_mut().find(|(k, _, _)| *k == part.key) {
                    Some(e) => e.2 = part.figure.amount,
                    None => seen.push((part.key.clone(), part.label.clone(), part.figure.amount)),
                }
            }
        }
        seen.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        seen.into_iter().map(|(k, l, _)| (k, l)).collect()
    }
}

/// One part's change between two points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub key: String,
    pub label: String,
    pub from: Option<Part>,
    pub to: Option<Part>,
    /// to − from (a part missing on one side counts 0 there).
    pub delta: Decimal,
    /// Share of `from`'s total and of `to`'s total, and the change in percentage points.
    pub share_from: Option<Decimal>,
    pub share_to: Option<Decimal>,
}

impl Step {
    /// `share_to − share_from`, as a fraction (× 100 = percentage points).
    pub fn share_change(&self) -> Option<Decimal> {
        Some(self.share_to.unwrap_or_default() - self.share_from.unwrap_or_default())
            .filter(|_| self.share_from.is_some() || self.share_to.is_some())
    }
}

/// Which parts explain the change in total between two points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waterfall {
    pub dimension: Dimension,
    pub from_label: String,
    pub to_label: String,
    pub start: Decimal,
    pub end: Decimal,
    /// Largest absolute change first.
    pub steps: Vec<Step>,
    /// The change in total not explained by the parts (未细分), when not zero.
    pub residual: Option<Decimal>,
    /// Basis, scope and fund differences between the two points.
    pub notes: Vec<String>,
}

fn overflow(what: &str) -> Error {
    Error::Malformed {
        location: Location::file("结构变化"),
        message: format!("{what}超出可精确表示的范围"),
    }
}

/// The waterfall from `a` to `b`; `None` when either has no breakdown of the dimension.
pub fn waterfall(a: &TimePoint, b: &TimePoint, dim: Dimension) -> Result<Option<Waterfall>> {
    let (Some(ba), Some(bb)) = (a.breakdown(dim), b.breakdown(dim)) else {
        return Ok(None);
    };
    let total = |br: &Breakdown| -> Result<Decimal> {
        match &br.total {
            Some(t) => Ok(t.amount),
            None => br.parts_sum().ok_or_else(|| overflow("各项之和")),
        }
    };
    let (start, end) = (total(ba)?, total(bb)?);
    let mut keys: Vec<(String, String)> = Vec::new();
    for p in ba.parts.iter().chain(&bb.parts) {
        if !keys.iter().any(|(k, _)| *k == p.key) {
            keys.push((p.key.clone(), p.label.clone()));
        }
    }
    let mut steps = Vec::new();
    for (key, label) in keys {
        let from = ba.part(&key).cloned();
        let to = bb.part(&key).cloned();
        let amount = |p: &Option<Part>| p.as_ref().map_or(Decimal::ZERO, |p| p.figure.amount);
        let delta = amount(&to)
            .checked_sub(amount(&from))
            .ok_or_else(|| overflow("变动"))?;
        steps.push(Step {
            share_from: from.as_ref().and_then(|p| ratio(p.figure.amount, start)),
            share_to: to.as_ref().and_then(|p| ratio(p.figure.amount, end)),
            key,
            label,
            from,
            to,
            delta,
        });
    }
    steps.sort_by(|x, y| y.delta.abs().cmp(&x.delta.abs()).then(x.key.cmp(&y.key)));
    let explained = crate::model::checked_sum(steps.iter().map(|s| s.delta))
        .ok_or_else(|| overflow("变动之和"))?;
    let change = end.checked_sub(start).ok_or_else(|| overflow("合计变动"))?;
    let residual = change
        .checked_sub(explained)
        .ok_or_else(|| overflow("未细分变动"))?;
    Ok(Some(Waterfall {
        dimension: dim,
        from_label: a.label(),
        to_label: b.label(),
        start,
        end,
        steps,
        residual: (!residual.is_zero()).then_some(residual),
        notes: pair_notes(a, b, ba, bb),
    }))
}

fn pair_notes(a: &TimePoint, b: &TimePoint, ba: &Breakdown, bb: &Breakdown) -> Vec<String> {
    let mut notes = Vec::new();
    if a.stage == b.stage {
        notes.push(format!("基础相同：两端均为{}", a.stage.label()));
    } else {
        notes.push(format!(
            "基础不同：{} 年为{}，{} 年为{}；预算为计划数、决算为实际支出，变动含预算与执行之差",
            a.year,
            a.stage.label(),
            b.year,
            b.stage.label()
        ));
    }
    if a.scope() == b.scope() {
        notes.push(format!("口径相同：{}", a.scope()));
    } else {
        notes.push(format!(
            "口径不同：{} 年「{}」，{} 年「{}」；本级不含下属单位，变动含口径差异",
            a.year,
            a.scope(),
            b.year,
            b.scope()
        ));
    }
    if ba.fund == bb.fund {
        notes.push(format!("资金来源：{}", ba.fund.label()));
    } else {
        notes.push(format!(
            "资金口径不同：{} 年{}，{} 年{}，不可直接比较",
            a.year,
            ba.fund.label(),
            b.year,
            bb.fund.label()
        ));
    }
    if ba.nature != bb.nature {
        notes.push("一端仅公布基本支出的经济分类".to_owned());
    }
    notes
}

/// `+31,407.00` / `-47,468.77` / `0.00`: a change with its sign and thousands separators,
/// `decimals` decimals.
pub fn signed(d: Decimal, decimals: u32) -> String {
    let d = d.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let sign = if d.is_zero() {
        ""
    } else if d.is_sign_negative() {
        "-"
    } else {
        "+"
    };
    format!("{sign}{}", format_decimal_grouped(d.abs(), decimals))
}
