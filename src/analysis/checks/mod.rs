//! Audit checks: the identities a published report's tables must satisfy (DOMAIN.md §7), run over
//! the canonical tables of any dataset (built-in or imported).
//!
//! Every check compares a computed figure (Σ of parts, the same figure in another table) with the
//! published one. A difference within the table's last printed digit (0.01 万元 for tables in
//! 万元 with two decimals, 1 万元 for tables printed in whole 万元) is a rounding difference (尾数):
//! a `note`. A larger difference is an `error`. Things that are legal but questionable (executed
//! above budget, a narrative figure that differs from the table) are `warning`s.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::DataFrame;
use rust_decimal::Decimal;
use serde::Serialize;

use super::figure::SourceRef;
use super::frame::{bools, decimals, ints, strings};
use super::overview::{NARRATIVE_TABLE, Selection};
use crate::dataset::Dataset;
use crate::error::Result;
/// The document of a `source_doc` (a PDF's pages are one document).
pub use crate::ingest::verify::document;
pub use crate::model::Severity;
use crate::model::{
    Classification, Code, Fund, Measure, Nature, RevenueSource, SangongCategory, Stage, TotalsItem,
    checked_sum, format_decimal_grouped,
};

mod cross;
mod disclosures;
mod engine;
mod hierarchy;
mod presence;
mod projects;
mod suspects;
mod totals;

use cross::{cross_tables, economic_composition};
use disclosures::{narrative, procurement, sangong_rules};
use engine::{
    ByReport, Engine, Rec, ReportKey, Subject, column_label, drill_target, find, load, money,
    precision_map, report_key, row_name, selection,
};
use hierarchy::{hierarchy, row_sums};
use presence::{manifest, table_presence};
use projects::projects;
use suspects::Suspects;
use totals::{grand_totals, revenue_totals};

/// The rules, each with a stable id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// 本年收入合计 = Σ sources (收支总表 and 财政拨款收支总表).
    RevenueTotal,
    /// 收入总计 = 本年收入合计 + 年初结转和结余.
    RevenueGrandTotal,
    /// 支出总计 = 本年支出合计 + 年末结转和结余.
    ExpenditureGrandTotal,
    /// 收入总计 = 支出总计 (the two sides of a 收支总表).
    GrandTotalsEqual,
    /// 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 within one table.
    Hierarchy,
    /// 合计 = 基本 + 项目 per row; 收入 合计 = Σ 资金来源 per row.
    RowSum,
    /// The same figure in two tables of a report (01↔02, 01↔03, 02↔04, 04↔05, 05↔06, 01 类↔03 类;
    /// 预算: 收入合计 = 支出合计, 功能 = 经济分类合计).
    CrossTable,
    /// 人员经费 = 301 + 303, 公用经费 = 302 + 310 (+ 307, 399).
    EconomicComposition,
    /// 三公: 车小计 = 购置 + 运行; 合计 = 出国 + 车 + 接待; no negatives.
    Sangong,
    /// 政府性基金/国有资本经营 tables consistent with the 财政拨款 总表 (04).
    FundTables,
    /// A standard table missing from a report.
    MissingTable,
    /// Project: executed above full-year budget.
    ProjectOverBudget,
    /// Project: stated execution rate vs executed / budget.
    ProjectRate,
    /// Project: score outside 0–100, negative amounts.
    ProjectValues,
    /// A narrative figure vs the same figure in a table.
    NarrativeVsTable,
    /// 政府采购: 总额 = 货物 + 工程 + 服务.
    Procurement,
    /// A revenue subtotal = Σ its parts (e.g. 一般公共预算拨款 = 基本支出拨款 + 项目拨款 …).
    RevenueSubtotal,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::RevenueTotal => "revenue_total",
            Rule::RevenueGrandTotal => "revenue_grand_total",
            Rule::ExpenditureGrandTotal => "expenditure_grand_total",
            Rule::GrandTotalsEqual => "grand_totals_equal",
            Rule::Hierarchy => "hierarchy",
            Rule::RowSum => "row_sum",
            Rule::CrossTable => "cross_table",
            Rule::EconomicComposition => "economic_composition",
            Rule::Sangong => "sangong",
            Rule::FundTables => "fund_tables",
            Rule::MissingTable => "missing_table",
            Rule::ProjectOverBudget => "project_over_budget",
            Rule::ProjectRate => "project_rate",
            Rule::ProjectValues => "project_values",
            Rule::NarrativeVsTable => "narrative_vs_table",
            Rule::Procurement => "procurement",
            Rule::RevenueSubtotal => "revenue_subtotal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rule::RevenueTotal => "本年收入合计 = 各项收入之和",
            Rule::RevenueGrandTotal => "收入总计 = 本年收入 + 年初结转",
            Rule::ExpenditureGrandTotal => "支出总计 = 本年支出 + 年末结转",
            Rule::GrandTotalsEqual => "收入总计 = 支出总计",
            Rule::Hierarchy => "合计 = Σ类，类 = Σ款，款 = Σ项",
            Rule::RowSum => "行合计 = 各列之和",
            Rule::CrossTable => "表间一致",
            Rule::EconomicComposition => "人员经费、公用经费构成",
            Rule::Sangong => "三公经费构成",
            Rule::FundTables => "基金/国资表与财政拨款总表一致",
            Rule::MissingTable => "缺少标准表",
            Rule::ProjectOverBudget => "项目执行数超预算",
            Rule::ProjectRate => "项目执行率与金额一致",
            Rule::ProjectValues => "项目数值合法",
            Rule::NarrativeVsTable => "正文数与表格数一致",
            Rule::Procurement => "政府采购总额 = 货物 + 工程 + 服务",
            Rule::RevenueSubtotal => "收入小计 = 其构成之和",
        }
    }
}

/// Where the user goes when they open a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The drill-down showing `code` among its siblings.
    Drill {
        selection: Selection,
        fund: Fund,
        classification: Classification,
        nature: Nature,
        code: Option<Code>,
    },
    Sangong(Selection),
    Project {
        selection: Selection,
        project_id: String,
    },
    Overview(Selection),
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub tables: Vec<String>,
    pub department: String,
    pub year: i32,
    pub stage: Stage,
    /// Document, table, line and row label (or code and name).
    pub location: String,
    pub expected: Option<Decimal>,
    pub actual: Option<Decimal>,
    /// actual − expected
    pub difference: Option<Decimal>,
    pub message: String,
    pub target: Option<Target>,
    /// For a difference between figures: whether the reader may be wrong (a table involved is
    /// 存疑) or the report itself does not add up (every table involved was read consistently).
    pub culprit: Option<Culprit>,
}

/// Who a difference between figures points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Culprit {
    /// 读取存疑: a table involved is 存疑 — its own identities fail on what was read, so the
    /// reading may be wrong.
    Reading,
    /// 报告不平: every table involved was read consistently (its own identities hold within the
    /// printed 尾数); the report's figures do not agree (e.g. a printed one-cent 尾数).
    Report,
}

impl Culprit {
    pub fn key(self) -> &'static str {
        match self {
            Culprit::Reading => "reading_doubtful",
            Culprit::Report => "report_unbalanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Culprit::Reading => "读取存疑",
            Culprit::Report => "报告不平",
        }
    }
}

/// Name the culprit of every finding comparing figures: 读取存疑 when one of its tables is 存疑
/// in the manifest (`tables.verdict`), else 报告不平.
fn name_culprits(ds: &Dataset, findings: &mut [Finding]) -> Result<()> {
    let m = &ds.tables.tables;
    let mut doubtful: BTreeSet<(String, i32, String)> = BTreeSet::new();
    if m.height() > 0 && m.column("verdict").is_ok() {
        let (deps, tables, verdicts) = (
            strings(m, "department")?,
            strings(m, "source_table")?,
            strings(m, "verdict")?,
        );
        let years = ints(m, "year")?;
        for i in 0..m.height() {
            if verdicts.get(i).map(String::as_str) == Some("doubtful") {
                doubtful.insert((
                    deps.get(i).cloned().unwrap_or_default(),
                    years.get(i).copied().flatten().unwrap_or_default(),
                    tables.get(i).cloned().unwrap_or_default(),
                ));
            }
        }
    }
    for f in findings {
        if f.expected.is_none() && f.actual.is_none() {
            continue;
        }
        let reading = f
            .tables
            .iter()
            .any(|t| doubtful.contains(&(f.department.clone(), f.year, t.clone())));
        f.culprit = Some(if reading {
            Culprit::Reading
        } else {
            Culprit::Report
        });
    }
    Ok(())
}

/// Run every rule over the dataset. Findings are sorted by severity, then rule, then location.
pub fn check(ds: &Dataset) -> Result<Vec<Finding>> {
    let t = &ds.tables;
    // each step's time at debug level (RUST_LOG=debug), for finding what does not scale
    let started = std::time::Instant::now();
    let mut last = started;
    let mut lap = |what: &str| {
        let now = std::time::Instant::now();
        log::debug!("check: {what} {:.3} s", (now - last).as_secs_f64());
        crate::diag::log_memory(&format!("check: {what}"));
        last = now;
    };
    // the reports whose code tables may not add up (polars), then only the rows the rules read
    let suspects = suspects::suspects(&t.amounts)?;
    lap("suspects (polars)");
    let amounts = load(&suspects::rule_rows(&t.amounts, &suspects)?, None)?;
    let revenue = load(&t.revenue, Some("source_key"))?;
    let totals = load(&t.totals, Some("item"))?;
    let sangong = load(&t.sangong, Some("category"))?;
    let precision = precision_map(&t.amounts, &[&revenue, &totals, &sangong])?;
    let mut e = Engine {
        amounts,
        revenue,
        totals,
        sangong,
        precision,
        findings: Vec::new(),
    };
    lap("load");
    revenue_totals(&mut e);
    lap("revenue_totals");
    grand_totals(&mut e);
    lap("grand_totals");
    hierarchy(&mut e, &suspects);
    lap("hierarchy");
    row_sums(&mut e, &suspects);
    lap("row_sums");
    cross_tables(&mut e);
    lap("cross_tables");
    economic_composition(&mut e);
    lap("economic_composition");
    sangong_rules(&mut e);
    narrative(&mut e);
    procurement(&mut e);
    lap("sangong, narrative, procurement");
    let manifest = manifest(ds)?;
    table_presence(&mut e, &manifest);
    lap("presence");
    projects(ds, &mut e)?;
    lap("projects");
    let mut findings = e.findings;
    name_culprits(ds, &mut findings)?;
    lap("culprits");
    findings.sort_by(|a, b| {
        (a.severity, a.rule, &a.department, a.year, &a.location).cmp(&(
            b.severity,
            b.rule,
            &b.department,
            b.year,
            &b.location,
        ))
    });
    Ok(findings)
}

/// Counts per severity.
pub fn counts(findings: &[Finding]) -> BTreeMap<Severity, usize> {
    let mut m = BTreeMap::new();
    for f in findings {
        *m.entry(f.severity).or_insert(0) += 1;
    }
    m
}

/// One finding as printed by `fiscal-lens check --json` (amounts: exact decimal strings, 万元).
#[derive(Clone, Debug, serde::Serialize)]
pub struct FindingOut {
    pub rule: &'static str,
    pub severity: Severity,
    pub tables: Vec<String>,
    pub department: String,
    pub year: i32,
    pub stage: &'static str,
    pub location: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub difference: Option<String>,
    pub message: String,
    /// `reading_doubtful` (读取存疑) or `report_unbalanced` (报告不平) for differences between
    /// figures; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub culprit: Option<&'static str>,
}

impl From<&Finding> for FindingOut {
    fn from(f: &Finding) -> Self {
        let s = |d: Option<Decimal>| d.map(super::frame::money_string);
        Self {
            rule: f.rule.id(),
            severity: f.severity,
            tables: f.tables.clone(),
            department: f.department.clone(),
            year: f.year,
            stage: f.stage.key(),
            location: f.location.clone(),
            expected: s(f.expected),
            actual: s(f.actual),
            difference: s(f.difference),
            message: f.message.clone(),
            culprit: f.culprit.map(Culprit::key),
        }
    }
}

/// The `--json` document.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub findings: Vec<FindingOut>,
}

impl Report {
    pub fn new(findings: &[Finding]) -> Self {
        Self {
            findings: findings.iter().map(FindingOut::from).collect(),
        }
    }
}
