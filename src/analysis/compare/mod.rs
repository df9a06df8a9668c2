//! 部门对比: every department of a dataset side by side for one year and stage — 支出合计 with
//! its multi-year trend, 三公经费 and its control rate, project execution and the 人员经费
//! share — so an auditor can rank a city's departments and open the one that stands out.
//!
//! Each figure is the one the Overview shows for that department (same tables preferred, same
//! 口径), found for all departments at once by a few polars plans ([`plan`]) rather than one
//! lookup per department. Figures keep their source, so a figure of a 存疑 table is marked in the
//! ranking as everywhere else.

mod plan;

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::figure::Figure;
use super::overview::Catalog;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{Fund, Stage, change_ratio, ratio};

/// Project execution of a department-year: projects with an executed amount and a full-year
/// budget (all its units together).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub projects: u32,
    /// Σ 全年预算数 (万元)
    pub budget: Decimal,
    /// Σ 执行数 (万元)
    pub executed: Decimal,
    /// Σ执行数 / Σ全年预算数
    pub rate: Option<Decimal>,
}

/// 人员经费 and the 支出合计 of the same fund it is a share of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Personnel {
    pub figure: Figure,
    /// The fund the report states it for: 全部资金, or 一般公共预算 where only that is published.
    pub fund: Fund,
    /// 支出合计 of the same fund, year and stage.
    pub base: Option<Figure>,
    /// 人员经费 / `base`
    pub share: Option<Decimal>,
}

/// One department's figures for the year and stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRow {
    pub department: String,
    /// The 口径 of the year (as the Overview uses it); `None` when the department has no data that
    /// year.
    pub scope: Option<String>,
    /// 本年支出合计 (全部资金).
    pub expenditure: Option<Figure>,
    /// The previous year's 支出合计 of the same stage, and whether its 口径 differs.
    pub previous: Option<(i32, Figure, bool)>,
    /// 支出合计 of every year of the stage, oldest first (the sparkline).
    pub trend: Vec<(i32, Decimal)>,
    /// 三公经费 of the stage: 决算数 for 决算, 预算数 for a budget stage.
    pub sangong: Option<Figure>,
    /// 三公经费预算数 (what the control rate is measured against).
    pub sangong_budget: Option<Figure>,
    pub execution: Option<Execution>,
    pub personnel: Option<Personnel>,
}

impl DepartmentRow {
    /// 三公 决算 / 预算 (决算 only).
    pub fn control_rate(&self, stage: Stage) -> Option<Decimal> {
        if stage.is_budget() {
            return None;
        }
        ratio(
            self.sangong.as_ref()?.amount,
            self.sangong_budget.as_ref()?.amount,
        )
    }

    /// 支出合计 year-on-year change (a fraction).
    pub fn change(&self) -> Option<Decimal> {
        let (_, prev, _) = self.previous.as_ref()?;
        change_ratio(self.expenditure.as_ref()?.amount, prev.amount)
    }

    /// Whether any figure of the row comes from a 存疑 table.
    pub fn doubtful(&self) -> bool {
        let figs = [
            self.expenditure.as_ref(),
            self.sangong.as_ref(),
            self.sangong_budget.as_ref(),
            self.personnel.as_ref().map(|p| &p.figure),
            self.personnel.as_ref().and_then(|p| p.base.as_ref()),
        ];
        figs.into_iter().flatten().any(Figure::doubtful)
    }

    /// Whether a metric is computed from a figure of a 存疑 table (a ratio or change is as doubtful
    /// as any figure it is computed from).
    pub fn doubtful_metric(&self, metric: Metric) -> bool {
        let figs = match metric {
            Metric::Expenditure => [self.expenditure.as_ref(), None],
            Metric::Change => [
                self.expenditure.as_ref(),
                self.previous.as_ref().map(|p| &p.1),
            ],
            Metric::Sangong => [self.sangong.as_ref(), None],
            Metric::ControlRate => [self.sangong.as_ref(), self.sangong_budget.as_ref()],
            Metric::Execution => [None, None],
            Metric::PersonnelShare => [
                self.personnel.as_ref().map(|p| &p.figure),
                self.personnel.as_ref().and_then(|p| p.base.as_ref()),
            ],
        };
        figs.into_iter().flatten().any(Figure::doubtful)
    }

    /// The row's value of a metric (for ranking).
    pub fn value(&self, metric: Metric, stage: Stage) -> Option<Decimal> {
        match metric {
            Metric::Expenditure => self.expenditure.as_ref().map(|f| f.amount),
            Metric::Change => self.change(),
            Metric::Sangong => self.sangong.as_ref().map(|f| f.amount),
            Metric::ControlRate => self.control_rate(stage),
            Metric::Execution => self.execution.as_ref().and_then(|e| e.rate),
            Metric::PersonnelShare => self.personnel.as_ref().and_then(|p| p.share),
        }
    }
}

/// What the ranking can be ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Metric {
    #[default]
    Expenditure,
    Change,
    Sangong,
    ControlRate,
    Execution,
    PersonnelShare,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::Expenditure,
        Metric::Change,
        Metric::Sangong,
        Metric::ControlRate,
        Metric::Execution,
        Metric::PersonnelShare,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Metric::Expenditure => "支出合计",
            Metric::Change => "支出同比",
            Metric::Sangong => "三公经费",
            Metric::ControlRate => "三公控制率",
            Metric::Execution => "项目执行率",
            Metric::PersonnelShare => "人员经费占比",
        }
    }

    /// How the metric is computed (column tooltips, export notes).
    pub fn explain(self) -> &'static str {
        match self {
            Metric::Expenditure => "本年支出合计（全部资金），与总览所用数相同",
            Metric::Change => "支出合计比上年同阶段的变化；两年口径不同时标注",
            Metric::Sangong => "三公经费合计：决算阶段为决算数，预算阶段为预算数",
            Metric::ControlRate => "三公经费决算数 ÷ 预算数（仅决算阶段）",
            Metric::Execution => "本年项目 Σ执行数 ÷ Σ全年预算数（各单位合计，只计有执行数的项目）",
            Metric::PersonnelShare => {
                "人员经费 ÷ 同一资金口径的支出合计；只公布一般公共预算人员经费的，按一般公共预算支出合计计算"
            }
        }
    }
}

/// The departments of a dataset for one year and stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranking {
    pub year: i32,
    pub stage: Stage,
    /// Every department of the dataset, in the catalogue's order.
    pub rows: Vec<DepartmentRow>,
}

impl Ranking {
    /// The rows ordered by `metric` (largest first unless `ascending`); departments without the
    /// figure come last, in name order, whatever the direction.
    pub fn sorted(&self, metric: Metric, ascending: bool) -> Vec<&DepartmentRow> {
        self.order(metric, ascending)
            .into_iter()
            .filter_map(|i| self.rows.get(i))
            .collect()
    }

    /// [`Self::sorted`] as indices into [`Self::rows`]; each row's value is computed once.
    pub fn order(&self, metric: Metric, ascending: bool) -> Vec<usize> {
        let values: Vec<Option<Decimal>> = self
            .rows
            .iter()
            .map(|r| r.value(metric, self.stage))
            .collect();
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by(|&a, &b| {
            match (
                values.get(a).copied().flatten(),
                values.get(b).copied().flatten(),
            ) {
                (Some(x), Some(y)) => {
                    let o = x.cmp(&y);
                    if ascending { o } else { o.reverse() }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
            .then_with(|| {
                let name = |i: usize| self.rows.get(i).map(|r| r.department.as_str());
                name(a).cmp(&name(b))
            })
        });
        order
    }

    /// How many departments have the metric.
    pub fn count(&self, metric: Metric) -> usize {
        self.rows
            .iter()
            .filter(|r| r.value(metric, self.stage).is_some())
            .count()
    }
}

/// Every department's figures for `year` and `stage`.
pub fn ranking(ds: &Dataset, cat: &Catalog, year: i32, stage: Stage) -> Result<Ranking> {
    plan::ranking(ds, cat, year, stage)
}
