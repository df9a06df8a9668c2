//! Budget execution by unit (本级 and 分局) from the project self-evaluations, the project list
//! behind it, and the indicator rows of a project.

use polars::prelude::*;
use rust_decimal::Decimal;

use super::frame::{bools, decimals, eq_all, ints, round, strings};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{checked_sum, ratio};

/// One project with its execution figures (万元).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRow {
    pub project_id: String,
    pub unit: String,
    pub seq: i32,
    pub name: String,
    pub name_status: String,
    pub budget_initial: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub stated_rate: Option<Decimal>,
    pub score: Option<Decimal>,
    pub reason_tags: Vec<String>,
    pub reasons: String,
    pub source_unit: String,
    pub source: String,
    /// Why the row's figures are in doubt (its table is 存疑), `None` when they are not.
    pub doubt: Option<String>,
}

impl ProjectRow {
    /// executed / full-year budget, exact; `None` when the budget is zero or missing.
    pub fn rate(&self) -> Option<Decimal> {
        let (e, b) = (self.executed?, self.budget?);
        crate::model::ratio(e, b)
    }

    /// Display name: garbled or missing names say so.
    pub fn display_name(&self) -> String {
        match self.name_status.as_str() {
            "missing" => format!("（名称缺失，第 {} 项）", self.seq),
            "garbled" => format!("{}（名称乱码）", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Aggregates of one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitStats {
    pub unit: String,
    pub projects: usize,
    pub budget: Decimal,
    pub executed: Decimal,
    /// 未执行金额: budget − executed.
    pub unspent: Decimal,
    pub rate: Option<Decimal>,
    pub mean_score: Option<Decimal>,
    pub below_60: usize,
    pub below_80: usize,
    pub score_below_80: usize,
    /// Projects whose table is 存疑.
    pub doubtful: usize,
}

/// Everything the branch view needs for one (department, year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchReport {
    pub department: String,
    pub year: i32,
    pub units: Vec<UnitStats>,
    /// Σ executed / Σ budget over all units.
    pub department_rate: Option<Decimal>,
    /// Σ executed / Σ budget over 本级 and the branches only (projects without a named unit,
    /// such as large pass-through transfers, excluded) — the fair reference for comparing units.
    pub units_rate: Option<Decimal>,
    pub projects: Vec<ProjectRow>,
}

impl BranchReport {
    pub fn unit(&self, unit: &str) -> Option<&UnitStats> {
        self.units.iter().find(|u| u.unit == unit)
    }
}

/// Years of `department` that have project execution data.
pub fn project_years(ds: &Dataset, department: &str) -> Result<Vec<i32>> {
    let df = ds
        .tables
        .projects
        .clone()
        .lazy()
        .filter(
            col("department")
                .eq(lit(department))
                .and(col("executed").is_not_null()),
        )
        .select([col("year")])
        .unique(None, UniqueKeepStrategy::First)
        .sort(["year"], SortMultipleOptions::default())
        .collect()?;
    Ok(ints(&df, "year")?.into_iter().flatten().collect())
}

/// Projects with an executed amount of (department, year), in source order.
pub fn projects(ds: &Dataset, department: &str, year: i32) -> Result<Vec<ProjectRow>> {
    let df = ds
        .tables
        .projects
        .clone()
        .lazy()
        .filter(
            eq_all(&[("department", department)])
                .and(col("year").eq(lit(year)))
                .and(col("executed").is_not_null()),
        )
        .collect()?;
    let ids = strings(&df, "project_id")?;
    let units = strings(&df, "unit")?;
    let seqs = ints(&df, "seq")?;
    let names = strings(&df, "name")?;
    let status = strings(&df, "name_status")?;
    let initial = decimals(&df, "budget_initial")?;
    let budget = decimals(&df, "budget_full_year")?;
    let executed = decimals(&df, "executed")?;
    let stated = decimals(&df, "stated_rate")?;
    let score = decimals(&df, "score")?;
    let tags = strings(&df, "reason_tags")?;
    let reasons = strings(&df, "reasons")?;
    let src_units = strings(&df, "source_unit")?;
    let docs = strings(&df, "source_doc")?;
    let tables = strings(&df, "source_table")?;
    let lines = ints(&df, "source_line")?;
    let flags = strings(&df, "flags")?;
    let notes = strings(&df, "note")?;
    let get_s = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let get_d = |v: &Vec<Option<Decimal>>, i: usize| v.get(i).copied().flatten();
    Ok((0..df.height())
        .map(|i| ProjectRow {
            project_id: get_s(&ids, i),
            unit: get_s(&units, i),
            seq: seqs.get(i).copied().flatten().unwrap_or_default(),
            name: get_s(&names, i),
            name_status: get_s(&status, i),
            budget_initial: get_d(&initial, i),
            budget: get_d(&budget, i),
            executed: get_d(&executed, i),
            stated_rate: get_d(&stated, i),
            score: get_d(&score, i),
            reason_tags: get_s(&tags, i)
                .split(';')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            reasons: get_s(&reasons, i),
            source_unit: get_s(&src_units, i),
            source: format!(
                "{} 第 {} 行（{}）",
                get_s(&tables, i),
                lines.get(i).copied().flatten().unwrap_or_default(),
                get_s(&docs, i)
            ),
            doubt: super::figure::doubtful_flag(&get_s(&flags, i)).then(|| {
                let note = get_s(&notes, i);
                if note.is_empty() {
                    "所在表存疑：表内勾稽关系不成立，读取或原表有误".to_owned()
                } else {
                    note
                }
            }),
        })
        .collect())
}

/// Unit values that name no unit (see `docs/DATA_FORMAT.md`).
pub const UNNAMED_UNITS: [&str; 2] = ["未注明单位", "未注明分局"];

/// Order of units: 本级 first, then branches in the usual order, then anything else.
pub fn unit_rank(unit: &str) -> usize {
    const ORDER: [&str; 12] = [
        "本级",
        "直属分局",
        "福田分局",
        "罗湖分局",
        "南山分局",
        "盐田分局",
        "宝安分局",
        "龙岗分局",
        "光明分局",
        "坪山分局",
        "龙华分局",
        "大鹏分局",
    ];
    ORDER.iter().position(|u| *u == unit).unwrap_or(ORDER.len())
}

fn stats(unit: &str, projects: &[&ProjectRow]) -> Result<UnitStats> {
    let too_large = |what: &str| crate::error::Error::Malformed {
        location: crate::error::Location::file(format!("projects（{unit}）")),
        message: format!("{what}之和超出可精确表示的范围"),
    };
    let budget = checked_sum(projects.iter().filter_map(|p| p.budget))
        .ok_or_else(|| too_large("全年预算"))?;
    let executed = checked_sum(projects.iter().filter_map(|p| p.executed))
        .ok_or_else(|| too_large("执行数"))?;
    let scores: Vec<Decimal> = projects.iter().filter_map(|p| p.score).collect();
    let score_sum = checked_sum(scores.iter().copied()).ok_or_else(|| too_large("自评得分"))?;
    let below = |limit: Decimal| {
        projects
            .iter()
            .filter(|p| p.rate().is_some_and(|r| r < limit))
            .count()
    };
    Ok(UnitStats {
        unit: unit.to_owned(),
        projects: projects.len(),
        budget,
        executed,
        unspent: budget
            .checked_sub(executed)
            .ok_or_else(|| too_large("未执行金额"))?,
        rate: ratio(executed, budget),
        mean_score: ratio(score_sum, Decimal::from(scores.len())).map(|m| round(m, 2)),
        below_60: below(Decimal::new(6, 1)),
        below_80: below(Decimal::new(8, 1)),
        score_below_80: scores.iter().filter(|s| **s < Decimal::from(80)).count(),
        doubtful: projects.iter().filter(|p| p.doubt.is_some()).count(),
    })
}

/// Per-unit execution of (department, year).
pub fn branch_report(ds: &Dataset, department: &str, year: i32) -> Result<BranchReport> {
    let projects = projects(ds, department, year)?;
    let mut units: Vec<String> = projects.iter().map(|p| p.unit.clone()).collect();
    units.sort_by_key(|u| (unit_rank(u), u.clone()));
    units.dedup();
    let unit_stats = units
        .iter()
        .map(|u| {
            let ps: Vec<&ProjectRow> = projects.iter().filter(|p| &p.unit == u).collect();
            stats(u, &ps)
        })
        .collect::<Result<_>>()?;
    let all: Vec<&ProjectRow> = projects.iter().collect();
    let total = stats("合计", &all)?;
    let named: Vec<&ProjectRow> = projects
        .iter()
        .filter(|p| !UNNAMED_UNITS.contains(&p.unit.as_str()))
        .collect();
    let named_total = stats("本级及分局", &named)?;
    Ok(BranchReport {
        department: department.to_owned(),
        year,
        units: unit_stats,
        department_rate: total.rate,
        units_rate: named_total.rate,
        projects,
    })
}

/// One performance indicator of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorRow {
    pub level1: String,
    pub level2: String,
    pub indicator: String,
    pub target: String,
    pub actual: String,
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    pub has_deviation_note: bool,
}

pub fn indicators(ds: &Dataset, project_id: &str) -> Result<Vec<IndicatorRow>> {
    let df = ds
        .tables
        .indicators
        .clone()
        .lazy()
        .filter(col("project_id").eq(lit(project_id)))
        .collect()?;
    let l1 = strings(&df, "level1")?;
    let l2 = strings(&df, "level2")?;
    let ind = strings(&df, "indicator")?;
    let target = strings(&df, "target")?;
    let actual = strings(&df, "actual")?;
    let weight = decimals(&df, "weight")?;
    let score = decimals(&df, "score")?;
    let note = bools(&df, "has_deviation_note")?;
    let s = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    Ok((0..df.height())
        .map(|i| IndicatorRow {
            level1: s(&l1, i),
            level2: s(&l2, i),
            indicator: s(&ind, i),
            target: s(&target, i),
            actual: s(&actual, i),
            weight: weight.get(i).copied().flatten(),
            score: score.get(i).copied().flatten(),
            has_deviation_note: note.get(i).copied().unwrap_or(false),
        })
        .collect())
}

/// Filters of the project table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub name_contains: String,
    /// Keep projects whose execution rate is below this fraction.
    pub rate_below: Option<Decimal>,
    /// Keep projects whose score is below this.
    pub score_below: Option<Decimal>,
    /// Keep only these units (empty = all).
    pub units: Vec<String>,
    /// Keep only projects with this quadrant flag.
    pub quadrant: Option<Quadrant>,
}

impl ProjectFilter {
    pub fn matches(&self, p: &ProjectRow) -> bool {
        (self.units.is_empty() || self.units.contains(&p.unit))
            && (self.name_contains.trim().is_empty() || p.name.contains(self.name_contains.trim()))
            && self
                .rate_below
                .is_none_or(|limit| p.rate().is_some_and(|r| r < limit))
            && self
                .score_below
                .is_none_or(|limit| p.score.is_some_and(|s| s < limit))
            && self.quadrant.is_none_or(|q| p.quadrant() == Some(q))
    }
}

/// Where a project falls in the execution-rate × self-evaluation-score plane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quadrant {
    /// 高分低执行: score ≥ 90 but less than 80 % of the budget executed — the first thing an
    /// auditor questions.
    HighScoreLowExecution,
    /// 低分高执行: score below 80 although at least 90 % was executed.
    LowScoreHighExecution,
}

impl Quadrant {
    pub const ALL: [Quadrant; 2] = [
        Quadrant::HighScoreLowExecution,
        Quadrant::LowScoreHighExecution,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Quadrant::HighScoreLowExecution => "高分低执行",
            Quadrant::LowScoreHighExecution => "低分高执行",
        }
    }

    /// The rule, in words.
    pub fn rule(self) -> &'static str {
        match self {
            Quadrant::HighScoreLowExecution => "自评得分 ≥ 90 且执行率 < 80%",
            Quadrant::LowScoreHighExecution => "自评得分 < 80 且执行率 ≥ 90%",
        }
    }
}

impl ProjectRow {
    /// 未执行金额: full-year budget − executed (negative when more was spent than budgeted);
    /// `None` without both figures or when it cannot be held exactly.
    pub fn unspent(&self) -> Option<Decimal> {
        self.budget?.checked_sub(self.executed?)
    }

    /// The project's quadrant flag, if any (needs both a score and a rate).
    pub fn quadrant(&self) -> Option<Quadrant> {
        let (score, rate) = (self.score?, self.rate()?);
        if score >= Decimal::from(90) && rate < Decimal::new(8, 1) {
            Some(Quadrant::HighScoreLowExecution)
        } else if score < Decimal::from(80) && rate >= Decimal::new(9, 1) {
            Some(Quadrant::LowScoreHighExecution)
        } else {
            None
        }
    }
}

/// One project in the shortfall ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortfallRow {
    /// Index into the report's projects.
    pub project: usize,
    pub unspent: Decimal,
    /// Σ unspent of this and every larger one.
    pub cumulative: Decimal,
    /// `cumulative` over the total shortfall.
    pub cumulative_share: Option<Decimal>,
}

/// Projects with money left unspent, largest first, with the cumulative share of the total
/// shortfall (Σ of the positive 未执行金额; overspent projects do not offset it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shortfall {
    pub total: Decimal,
    pub rows: Vec<ShortfallRow>,
}

impl Shortfall {
    /// How many of the largest make up at least `share` of the total.
    pub fn count_for(&self, share: Decimal) -> usize {
        self.rows
            .iter()
            .position(|r| r.cumulative_share.is_some_and(|s| s >= share))
            .map_or(self.rows.len(), |i| i + 1)
    }
}

/// The shortfall ranking of the projects `keep` lets through (`None` when a sum cannot be held).
pub fn shortfall(projects: &[ProjectRow], keep: impl Fn(&ProjectRow) -> bool) -> Option<Shortfall> {
    let mut rows: Vec<(usize, Decimal)> = projects
        .iter()
        .enumerate()
        .filter(|(_, p)| keep(p))
        .filter_map(|(i, p)| Some((i, p.unspent()?)))
        .filter(|(_, u)| u.is_sign_positive() && !u.is_zero())
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = checked_sum(rows.iter().map(|(_, u)| *u))?;
    let mut cumulative = Decimal::ZERO;
    let mut out = Vec::with_capacity(rows.len());
    for (project, unspent) in rows {
        cumulative = cumulative.checked_add(unspent)?;
        out.push(ShortfallRow {
            project,
            unspent,
            cumulative,
            cumulative_share: ratio(cumulative, total),
        });
    }
    Some(Shortfall { total, rows: out })
}
