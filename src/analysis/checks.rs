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
use crate::model::{Classification, Code, Fund, Nature, Stage, format_decimal_grouped};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "尾数/提示",
        }
    }
}

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

/// A money row of any canonical table, flattened for the rules.
#[derive(Clone, Debug)]
struct Rec {
    department: String,
    /// The unit the row is about (`全部门`, `本级`, or a subordinate unit of a table listed
    /// unit by unit); empty where the table has no such column.
    unit: String,
    scope: String,
    year: i32,
    stage: Stage,
    measure: String,
    fund: String,
    classification: String,
    code: String,
    name: String,
    nature: String,
    /// source_key (revenue), item (totals), category (三公).
    key: String,
    is_subtotal: bool,
    amount: Decimal,
    source_unit: String,
    src: SourceRef,
}

fn opt_strings(df: &DataFrame, name: &str, n: usize) -> Result<Vec<String>> {
    if df.get_column_names().iter().any(|c| c.as_str() == name) {
        strings(df, name)
    } else {
        Ok(vec![String::new(); n])
    }
}

fn load(df: &DataFrame, key_col: Option<&str>) -> Result<Vec<Rec>> {
    let n = df.height();
    let deps = strings(df, "department")?;
    let scopes = strings(df, "scope")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let measures = opt_strings(df, "measure", n)?;
    let funds = opt_strings(df, "fund", n)?;
    let classes = opt_strings(df, "classification", n)?;
    let codes = opt_strings(df, "code", n)?;
    let names = opt_strings(df, "name", n)?;
    let natures = opt_strings(df, "nature", n)?;
    let row_units = opt_strings(df, "unit", n)?;
    let keys = match key_col {
        Some(k) => strings(df, k)?,
        None => vec![String::new(); n],
    };
    let subtotal = if df
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "is_subtotal")
    {
        bools(df, "is_subtotal")?
    } else {
        vec![false; n]
    };
    let labels = opt_strings(df, "source_label", n)?;
    let label_col = opt_strings(df, "label", n)?;
    let amounts = decimals(df, "amount")?;
    let units = strings(df, "source_unit")?;
    let docs = strings(df, "source_doc")?;
    let tables = strings(df, "source_table")?;
    let lines = ints(df, "source_line")?;
    let flags = opt_strings(df, "flags", n)?;
    let row_notes = opt_strings(df, "note", n)?;
    let get = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(Some(amount)), Some(Some(year)), Some(stage)) = (
            amounts.get(i).copied(),
            years.get(i).copied(),
            stages.get(i).and_then(|s| Stage::from_key(s)),
        ) else {
            continue;
        };
        let label = {
            let l = get(&labels, i);
            if l.is_empty() { get(&label_col, i) } else { l }
        };
        out.push(Rec {
            department: get(&deps, i),
            unit: get(&row_units, i),
            scope: get(&scopes, i),
            year,
            stage,
            measure: get(&measures, i),
            fund: get(&funds, i),
            classification: get(&classes, i),
            code: get(&codes, i),
            name: get(&names, i),
            nature: get(&natures, i),
            key: get(&keys, i),
            is_subtotal: subtotal.get(i).copied().unwrap_or(false),
            amount,
            source_unit: get(&units, i),
            src: SourceRef {
                doc: get(&docs, i),
                table: get(&tables, i),
                line: lines.get(i).copied().flatten(),
                label,
                flags: get(&flags, i),
                note: get(&row_notes, i),
            },
        });
    }
    Ok(out)
}

/// A report: one (department, year, stage, document).
type ReportKey = (String, i32, Stage, String);

fn report_key(r: &Rec) -> ReportKey {
    (
        r.department.clone(),
        r.year,
        r.stage,
        document(&r.src.doc).to_owned(),
    )
}

fn money(d: Decimal) -> String {
    let places = d.normalize().scale().max(2);
    format_decimal_grouped(d, places)
}

struct Engine {
    amounts: Vec<Rec>,
    revenue: Vec<Rec>,
    totals: Vec<Rec>,
    sangong: Vec<Rec>,
    /// (doc, table) → the last printed digit, in 万元.
    precision: BTreeMap<(String, String), Decimal>,
    findings: Vec<Finding>,
}

/// What a comparison is about.
struct Subject<'a> {
    rule: Rule,
    /// The published figure's row.
    at: &'a Rec,
    /// Other tables involved.
    also: Vec<String>,
    what: String,
    target: Option<Target>,
}

impl Engine {
    fn tolerance(&self, recs: &[&Rec]) -> Decimal {
        recs.iter()
            .filter_map(|r| {
                self.precision
                    .get(&(document(&r.src.doc).to_owned(), r.src.table.clone()))
                    .copied()
            })
            .max()
            .unwrap_or(Decimal::new(1, 2))
    }

    fn location(r: &Rec) -> String {
        let row = if !r.code.is_empty() {
            format!("{} {}", r.code, r.name)
        } else if !r.src.label.is_empty() {
            r.src.label.clone()
        } else if !r.name.is_empty() {
            r.name.clone()
        } else {
            r.key.clone()
        };
        match r.src.line {
            Some(l) => format!("{} {} 第 {l} 行「{row}」", r.src.doc, r.src.table),
            None => format!("{} {}「{row}」", r.src.doc, r.src.table),
        }
    }

    /// Compare the published `actual` (row `s.at`) with the computed `expected`.
    fn compare(
        &mut self,
        s: Subject<'_>,
        expected: Decimal,
        actual: Decimal,
        parts: &[&Rec],
        loose: bool,
    ) {
        let diff = actual - expected;
        if diff.is_zero() {
            return;
        }
        let mut involved: Vec<&Rec> = parts.to_vec();
        involved.push(s.at);
        let tol = self.tolerance(&involved);
        let blank: Vec<String> = involved
            .iter()
            .filter(|r| r.src.flags.split(';').any(|f| f == "amount_missing"))
            .map(|r| row_name(r))
            .collect();
        let severity = if diff.abs() <= tol {
            Severity::Note
        } else if loose || !blank.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let kind = match severity {
            Severity::Note => "尾数差异".to_owned(),
            Severity::Warning if !blank.is_empty() => format!(
                "原表「{}」金额栏为空（按 0 计），差额可能即该项金额，请核对原表",
                blank.join("、")
            ),
            Severity::Warning => "不一致（请核对）".to_owned(),
            Severity::Error => "不一致".to_owned(),
        };
        let mut tables = vec![s.at.src.table.clone()];
        for t in s.also {
            if !tables.contains(&t) {
                tables.push(t);
            }
        }
        let message = format!(
            "{}：应为 {}，公布 {}，差 {} 万元（{kind}）",
            s.what,
            money(expected),
            money(actual),
            money(diff)
        );
        self.findings.push(Finding {
            rule: s.rule,
            severity,
            tables,
            department: s.at.department.clone(),
            year: s.at.year,
            stage: s.at.stage,
            location: Self::location(s.at),
            expected: Some(expected),
            actual: Some(actual),
            difference: Some(diff),
            message,
            target: s.target,
            culprit: None,
        });
    }

    fn flag(
        &mut self,
        rule: Rule,
        severity: Severity,
        at: &Rec,
        message: String,
        target: Option<Target>,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            tables: vec![at.src.table.clone()],
            department: at.department.clone(),
            year: at.year,
            stage: at.stage,
            location: Self::location(at),
            expected: None,
            actual: Some(at.amount),
            difference: None,
            message,
            target,
            culprit: None,
        });
    }
}

fn selection(r: &Rec) -> Selection {
    Selection {
        department: r.department.clone(),
        year: r.year,
        stage: r.stage,
    }
}

fn drill_target(r: &Rec) -> Option<Target> {
    // The drill-down shows expenditure; revenue rows (收入决算表) open the overview instead.
    if r.measure != "expenditure" {
        return Some(Target::Overview(selection(r)));
    }
    let classification = Classification::from_key(&r.classification)?;
    Some(Target::Drill {
        selection: selection(r),
        fund: Fund::from_key(&r.fund).unwrap_or_default(),
        classification,
        nature: Nature::from_key(&r.nature).unwrap_or_default(),
        code: Code::parse(&r.code, classification).ok(),
    })
}

fn precision_map(all: &[&Vec<Rec>]) -> BTreeMap<(String, String), Decimal> {
    // A table is printed in whole units when every figure in it is whole.
    let mut whole: BTreeMap<(String, String), (bool, String)> = BTreeMap::new();
    for recs in all {
        for r in recs.iter() {
            let e = whole
                .entry((document(&r.src.doc).to_owned(), r.src.table.clone()))
                .or_insert((true, r.source_unit.clone()));
            let printed = if r.source_unit == "元" {
                r.amount * Decimal::from(10_000)
            } else {
                r.amount
            };
            if !printed.fract().is_zero() {
                e.0 = false;
            }
        }
    }
    whole
        .into_iter()
        .map(|(k, (is_whole, unit))| {
            let digit = if is_whole {
                Decimal::ONE
            } else {
                Decimal::new(1, 2)
            };
            let in_wan = if unit == "元" {
                digit / Decimal::from(10_000)
            } else {
                digit
            };
            (k, in_wan)
        })
        .collect()
}

/// Run every rule over the dataset. Findings are sorted by severity, then rule, then location.
pub fn check(ds: &Dataset) -> Result<Vec<Finding>> {
    let t = &ds.tables;
    let amounts = load(&t.amounts, None)?;
    let revenue = load(&t.revenue, Some("source_key"))?;
    let totals = load(&t.totals, Some("item"))?;
    let sangong = load(&t.sangong, Some("category"))?;
    let precision = precision_map(&[&amounts, &revenue, &totals, &sangong]);
    let mut e = Engine {
        amounts,
        revenue,
        totals,
        sangong,
        precision,
        findings: Vec::new(),
    };
    revenue_totals(&mut e);
    grand_totals(&mut e);
    hierarchy(&mut e);
    row_sums(&mut e);
    cross_tables(&mut e);
    economic_composition(&mut e);
    sangong_rules(&mut e);
    narrative(&mut e);
    procurement(&mut e);
    let manifest = manifest(ds)?;
    table_presence(&mut e, &manifest);
    projects(ds, &mut e)?;
    let mut findings = e.findings;
    name_culprits(ds, &mut findings)?;
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

fn is_carry_in(key: &str) -> bool {
    key.starts_with("carry_in")
}

/// 本年收入合计 = Σ non-subtotal sources, per revenue table.
fn revenue_totals(e: &mut Engine) {
    let mut groups: BTreeMap<(ReportKey, String), Vec<Rec>> = BTreeMap::new();
    for r in &e.revenue {
        groups
            .entry((report_key(r), r.src.table.clone()))
            .or_default()
            .push(r.clone());
    }
    for (_, recs) in groups {
        // 一般公共预算拨款 (subtotal) = Σ its 支出拨款 parts (预算表2).
        let gb_parts: Vec<&Rec> = recs.iter().filter(|r| r.key.starts_with("gb_")).collect();
        if let Some(gb) = recs
            .iter()
            .find(|r| r.key == "general_budget" && r.is_subtotal)
            .filter(|_| !gb_parts.is_empty())
        {
            e.compare(
                Subject {
                    rule: Rule::RevenueSubtotal,
                    at: gb,
                    also: Vec::new(),
                    what: format!("{} 一般公共预算拨款 = 各项拨款之和", gb.src.table),
                    target: Some(Target::Overview(selection(gb))),
                },
                gb_parts.iter().map(|r| r.amount).sum(),
                gb.amount,
                &gb_parts,
                false,
            );
        }
        let Some(total) = recs.iter().find(|r| r.key == "revenue_total") else {
            continue;
        };
        let parts: Vec<&Rec> = recs
            .iter()
            .filter(|r| !r.is_subtotal && !is_carry_in(&r.key) && r.key != "revenue_total")
            .collect();
        if parts.is_empty() {
            continue;
        }
        let sum: Decimal = parts.iter().map(|r| r.amount).sum();
        e.compare(
            Subject {
                rule: Rule::RevenueTotal,
                at: total,
                also: Vec::new(),
                what: format!("{} 本年收入合计 = 各项收入之和", total.src.table),
                target: Some(Target::Overview(selection(total))),
            },
            sum,
            total.amount,
            &parts,
            false,
        );
    }
}

/// 收入总计 = 本年收入 + 年初结转; 支出总计 = 本年支出 + 年末结转; the two 总计 equal.
fn grand_totals(e: &mut Engine) {
    let revenue = e.revenue.clone();
    let totals = e.totals.clone();
    let amounts = e.amounts.clone();
    let mut tables: BTreeSet<(ReportKey, String)> = BTreeSet::new();
    for r in revenue.iter().filter(|r| r.key == "grand_total") {
        tables.insert((report_key(r), r.src.table.clone()));
    }
    for (rk, table) in tables {
        let in_table = |r: &&Rec| report_key(r) == rk && r.src.table == table;
        let rev: Vec<&Rec> = revenue.iter().filter(in_table).collect();
        let Some(grand) = rev.iter().find(|r| r.key == "grand_total") else {
            continue;
        };
        if let Some(current) = rev.iter().find(|r| r.key == "revenue_total") {
            // The 年初结转和结余 row, else its parts.
            let carry: Vec<&Rec> = match rev.iter().find(|r| r.key == "carry_in") {
                // plus a balance printed beside it (上年实户资金余额)
                Some(c) => std::iter::once(*c)
                    .chain(rev.iter().filter(|r| r.key == "carry_in_balance").copied())
                    .collect(),
                None => rev
                    .iter()
                    .filter(|r| is_carry_in(&r.key))
                    .copied()
                    .collect(),
            };
            let carry_sum: Decimal = carry.iter().map(|r| r.amount).sum();
            let mut parts = vec![*current];
            parts.extend(carry.iter().copied());
            e.compare(
                Subject {
                    rule: Rule::RevenueGrandTotal,
                    at: grand,
                    also: Vec::new(),
                    what: format!("{table} 收入总计 = 本年收入合计 + 年初结转和结余"),
                    target: Some(Target::Overview(selection(grand))),
                },
                current.amount + carry_sum,
                grand.amount,
                &parts,
                false,
            );
        }
        // Expenditure side of the same table: totals' grand_total and carry_out, amounts' 合计.
        let exp_grand: Vec<&Rec> = totals
            .iter()
            .filter(|r| in_table(r) && r.key == "grand_total")
            .collect();
        for eg in exp_grand {
            let carry_out: Vec<&Rec> = totals
                .iter()
                .filter(|r| in_table(r) && r.key == "carry_out" && r.fund == eg.fund)
                .collect();
            let current = amounts.iter().find(|r| {
                in_table(r)
                    && r.measure == "expenditure"
                    && r.code.is_empty()
                    && r.nature == "total"
                    && r.fund == eg.fund
            });
            if let Some(cur) = current {
                let sum = cur.amount + carry_out.iter().map(|r| r.amount).sum::<Decimal>();
                let mut parts = vec![cur];
                parts.extend(carry_out.iter().copied());
                e.compare(
                    Subject {
                        rule: Rule::ExpenditureGrandTotal,
                        at: eg,
                        also: Vec::new(),
                        what: format!("{table} 支出总计 = 本年支出合计 + 年末结转和结余"),
                        target: Some(Target::Overview(selection(eg))),
                    },
                    sum,
                    eg.amount,
                    &parts,
                    false,
                );
            }
            let same_scope_revenue = match eg.fund.as_str() {
                "all" | "fiscal" => Some(grand),
                _ => None,
            };
            if let Some(g) = same_scope_revenue {
                e.compare(
                    Subject {
                        rule: Rule::GrandTotalsEqual,
                        at: eg,
                        also: Vec::new(),
                        what: format!("{table} 支出总计 = 收入总计"),
                        target: Some(Target::Overview(selection(eg))),
                    },
                    g.amount,
                    eg.amount,
                    &[g],
                    false,
                );
            }
        }
    }
}

/// Group key of one classified table.
type TableGroup = (
    ReportKey,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn table_groups(recs: &[Rec]) -> BTreeMap<TableGroup, Vec<Rec>> {
    let mut groups: BTreeMap<TableGroup, Vec<Rec>> = BTreeMap::new();
    for r in recs {
        if r.src.table == NARRATIVE_TABLE {
            continue;
        }
        groups
            .entry((
                report_key(r),
                r.src.table.clone(),
                r.measure.clone(),
                r.fund.clone(),
                r.classification.clone(),
                r.nature.clone(),
                r.scope.clone(),
                r.unit.clone(),
            ))
            .or_default()
            .push(r.clone());
    }
    groups
}

/// 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 within each table.
fn hierarchy(e: &mut Engine) {
    let groups = table_groups(&e.amounts);
    for (_, recs) in groups {
        // Parents: the 合计 row (code "") and every code with children in the table (rows in
        // printed order; see `identities::children_of`).
        let codes: Vec<&str> = recs.iter().map(|r| r.code.as_str()).collect();
        let mut parents: Vec<(usize, &Rec)> = recs.iter().enumerate().collect();
        parents.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        for (index, p) in parents {
            let children: Vec<&Rec> = crate::ingest::verify::children_of(&codes, index)
                .into_iter()
                .filter_map(|k| recs.get(k))
                .collect();
            if children.is_empty() {
                continue;
            }
            let sum: Decimal = children.iter().map(|c| c.amount).sum();
            let level = match p.code.len() {
                0 => "合计 = Σ类",
                3 => "类 = Σ款",
                _ => "款 = Σ项",
            };
            let what = format!(
                "{} {}{}（{}）",
                p.src.table,
                row_name(p),
                column_label(p),
                level
            );
            e.compare(
                Subject {
                    rule: Rule::Hierarchy,
                    at: p,
                    also: Vec::new(),
                    what,
                    target: drill_target(p),
                },
                sum,
                p.amount,
                &children,
                false,
            );
        }
    }
}

/// Per row: 合计 = 基本 + 项目 (expenditure); 合计 = Σ fund columns (revenue, 收入决算表).
fn row_sums(e: &mut Engine) {
    // (report, table, measure, classification, code, scope) → the row's cells.
    type RowKey = (ReportKey, String, String, String, String, String, String);
    let mut rows: BTreeMap<RowKey, Vec<Rec>> = BTreeMap::new();
    for r in &e.amounts {
        if r.src.table == NARRATIVE_TABLE {
            continue;
        }
        rows.entry((
            report_key(r),
            r.src.table.clone(),
            r.measure.clone(),
            r.classification.clone(),
            r.code.clone(),
            r.scope.clone(),
            r.unit.clone(),
        ))
        .or_default()
        .push(r.clone());
    }
    for ((_, table, measure, ..), recs) in rows {
        if measure == "expenditure" {
            for fund in recs.iter().map(|r| r.fund.clone()).collect::<BTreeSet<_>>() {
                let of = |n: &str| recs.iter().find(|r| r.fund == fund && r.nature == n);
                let (Some(total), Some(basic), Some(project)) =
                    (of("total"), of("basic"), of("project"))
                else {
                    continue;
                };
                e.compare(
                    Subject {
                        rule: Rule::RowSum,
                        at: total,
                        also: Vec::new(),
                        what: format!("{table} 「{}」合计 = 基本支出 + 项目支出", row_name(total)),
                        target: drill_target(total),
                    },
                    basic.amount + project.amount,
                    total.amount,
                    &[basic, project],
                    false,
                );
            }
        } else if measure == "revenue" {
            let Some(total) = recs.iter().find(|r| r.fund == "all" && r.nature == "total") else {
                continue;
            };
            let parts: Vec<&Rec> = recs
                .iter()
                .filter(|r| r.fund != "all" && r.nature == "total")
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let sum: Decimal = parts.iter().map(|r| r.amount).sum();
            e.compare(
                Subject {
                    rule: Rule::RowSum,
                    at: total,
                    also: Vec::new(),
                    what: format!("{table} 「{}」合计 = 各资金来源之和", row_name(total)),
                    target: drill_target(total),
                },
                sum,
                total.amount,
                &parts,
                false,
            );
        }
    }
}

/// `［其他收入列］` for figures not in the table's 合计 column.
fn column_label(r: &Rec) -> String {
    let mut parts = Vec::new();
    if let Some(f) = Fund::from_key(&r.fund).filter(|f| *f != Fund::All) {
        parts.push(f.label());
    }
    if let Some(n) = Nature::from_key(&r.nature).filter(|n| *n != Nature::Total) {
        parts.push(n.label());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("［{}］", parts.join("·"))
    }
}

fn row_name(r: &Rec) -> String {
    if r.code.is_empty() {
        if r.src.label.is_empty() {
            "合计".to_owned()
        } else {
            r.src.label.clone()
        }
    } else {
        format!("{} {}", r.code, r.name)
    }
}

fn find<'a>(
    recs: &'a [Rec],
    rk: &ReportKey,
    table: &str,
    pred: impl Fn(&Rec) -> bool,
) -> Option<&'a Rec> {
    recs.iter()
        .find(|r| report_key(r) == *rk && r.src.table == table && pred(r))
}

/// Figures that must agree between the tables of one report.
fn cross_tables(e: &mut Engine) {
    let amounts = e.amounts.clone();
    let revenue = e.revenue.clone();
    let totals = e.totals.clone();
    let reports: BTreeSet<ReportKey> = amounts.iter().map(report_key).collect();
    let exp_total = |fund: &'static str, nature: &'static str| {
        move |r: &Rec| {
            r.measure == "expenditure" && r.code.is_empty() && r.fund == fund && r.nature == nature
        }
    };
    for rk in &reports {
        let pairs: Vec<(Option<&Rec>, Option<&Rec>, &str)> = vec![
            (
                find(&revenue, rk, "公开01", |r| r.key == "revenue_total"),
                find(&amounts, rk, "公开02", |r| {
                    r.measure == "revenue" && r.code.is_empty() && r.fund == "all"
                }),
                "公开01 本年收入合计 = 公开02 合计",
            ),
            (
                find(&amounts, rk, "公开01", exp_total("all", "total")),
                find(&amounts, rk, "公开03", exp_total("all", "total")),
                "公开01 本年支出合计 = 公开03 合计",
            ),
            (
                find(&amounts, rk, "公开02", |r| {
                    r.measure == "revenue" && r.code.is_empty() && r.fund == "fiscal"
                }),
                find(&revenue, rk, "公开04", |r| r.key == "revenue_total"),
                "公开02 财政拨款合计 = 公开04 本年收入合计",
            ),
            (
                find(&amounts, rk, "公开04", exp_total("general_budget", "total")),
                find(&amounts, rk, "公开05", exp_total("general_budget", "total")),
                "公开04 一般公共预算支出 = 公开05 合计",
            ),
            (
                find(&revenue, rk, "预算表1", |r| r.key == "revenue_total"),
                find(&amounts, rk, "预算表1", exp_total("all", "total")),
                "预算表1 本年收入合计 = 本年支出合计",
            ),
            (
                find(
                    &amounts,
                    rk,
                    "预算表7",
                    exp_total("general_budget", "total"),
                ),
                find(&amounts, rk, "预算表8", |r| {
                    r.measure == "expenditure"
                        && r.code.is_empty()
                        && r.fund == "general_budget"
                        && r.nature == "total"
                        && r.classification == "economic"
                }),
                "预算表7 功能分类合计 = 预算表8 经济分类合计",
            ),
        ];
        for (a, b, what) in pairs {
            if let (Some(a), Some(b)) = (a, b) {
                e.compare(
                    Subject {
                        rule: Rule::CrossTable,
                        at: b,
                        also: vec![a.src.table.clone()],
                        what: what.to_owned(),
                        target: drill_target(b).or(Some(Target::Overview(selection(b)))),
                    },
                    a.amount,
                    b.amount,
                    &[a],
                    false,
                );
            }
        }
        // 05 基本支出 = 06 人员经费合计 + 公用经费合计.
        let basic05 = find(&amounts, rk, "公开05", exp_total("general_budget", "basic"));
        let personnel = find(&totals, rk, "公开06", |r| r.key == "personnel");
        let public = find(&totals, rk, "公开06", |r| r.key == "public");
        if let (Some(b), Some(p), Some(q)) = (basic05, personnel, public) {
            e.compare(
                Subject {
                    rule: Rule::CrossTable,
                    at: b,
                    also: vec!["公开06".to_owned()],
                    what: "公开05 基本支出 = 公开06 人员经费合计 + 公用经费合计".to_owned(),
                    target: drill_target(b),
                },
                p.amount + q.amount,
                b.amount,
                &[p, q],
                false,
            );
        }
        // 01 each 类 = 03 类.
        for a in amounts.iter().filter(|r| {
            report_key(r) == *rk
                && r.src.table == "公开01"
                && r.measure == "expenditure"
                && r.code.len() == 3
        }) {
            if let Some(b) = find(&amounts, rk, "公开03", |r| {
                r.measure == "expenditure"
                    && r.code == a.code
                    && r.fund == "all"
                    && r.nature == "total"
            }) {
                e.compare(
                    Subject {
                        rule: Rule::CrossTable,
                        at: b,
                        also: vec!["公开01".to_owned()],
                        what: format!("公开01 与 公开03 「{} {}」", a.code, a.name),
                        target: drill_target(b),
                    },
                    a.amount,
                    b.amount,
                    &[a],
                    false,
                );
            }
        }
    }
}

/// 人员经费 = 301 + 303; 公用经费 = 302 + 310 (+ 307, 399), from the basic-expenditure table.
fn economic_composition(e: &mut Engine) {
    let amounts = e.amounts.clone();
    let totals = e.totals.clone();
    let mut groups: BTreeSet<(ReportKey, String, String)> = BTreeSet::new();
    for r in totals
        .iter()
        .filter(|r| (r.key == "personnel" || r.key == "public") && r.src.table != NARRATIVE_TABLE)
    {
        groups.insert((report_key(r), r.src.table.clone(), r.fund.clone()));
    }
    for (rk, table, fund) in groups {
        let classes: Vec<&Rec> = amounts
            .iter()
            .filter(|r| {
                report_key(r) == rk
                    && r.src.table == table
                    && r.classification == "economic"
                    && r.code.len() == 3
                    && r.fund == fund
                    && r.nature == "basic"
            })
            .collect();
        if classes.is_empty() {
            continue;
        }
        for (item, codes, label) in [
            ("personnel", &["301", "303"][..], "人员经费 = 301 + 303"),
            (
                "public",
                &["302", "307", "310", "399"][..],
                "公用经费 = 302 + 310（+ 307、399）",
            ),
        ] {
            let Some(stated) = find(&totals, &rk, &table, |r| r.key == item && r.fund == fund)
            else {
                continue;
            };
            let parts: Vec<&Rec> = classes
                .iter()
                .filter(|c| codes.contains(&c.code.as_str()))
                .copied()
                .collect();
            let sum: Decimal = parts.iter().map(|r| r.amount).sum();
            e.compare(
                Subject {
                    rule: Rule::EconomicComposition,
                    at: stated,
                    also: Vec::new(),
                    what: format!("{table} {label}"),
                    target: Some(Target::Drill {
                        selection: selection(stated),
                        fund: Fund::from_key(&fund).unwrap_or_default(),
                        classification: Classification::Economic,
                        nature: Nature::Basic,
                        code: None,
                    }),
                },
                sum,
                stated.amount,
                &parts,
                false,
            );
        }
    }
}

/// 三公: 车小计 = 购置 + 运行; 合计 = 出国 + 车 + 接待; no negatives.
fn sangong_rules(e: &mut Engine) {
    let recs = e.sangong.clone();
    let mut groups: BTreeMap<(ReportKey, String), Vec<&Rec>> = BTreeMap::new();
    for r in &recs {
        if r.amount.is_sign_negative() && !r.amount.is_zero() {
            e.flag(
                Rule::Sangong,
                Severity::Error,
                r,
                format!("三公经费「{}」为负数 {} 万元", r.src.label, money(r.amount)),
                Some(Target::Sangong(selection(r))),
            );
        }
        groups
            .entry((report_key(r), r.src.table.clone()))
            .or_default()
            .push(r);
    }
    for ((_, table), g) in groups {
        let of = |k: &str| g.iter().find(|r| r.key == k).copied();
        if let (Some(v), Some(p), Some(o)) = (
            of("vehicle"),
            of("vehicle_purchase"),
            of("vehicle_operation"),
        ) {
            e.compare(
                Subject {
                    rule: Rule::Sangong,
                    at: v,
                    also: Vec::new(),
                    what: format!(
                        "{table} 公务用车小计 = 购置费 + 运行费（{}）",
                        v.stage.label()
                    ),
                    target: Some(Target::Sangong(selection(v))),
                },
                p.amount + o.amount,
                v.amount,
                &[p, o],
                false,
            );
        }
        let vehicle = of("vehicle").map(|v| (v.amount, vec![v])).or_else(|| {
            match (of("vehicle_purchase"), of("vehicle_operation")) {
                (Some(p), Some(o)) => Some((p.amount + o.amount, vec![p, o])),
                _ => None,
            }
        });
        if let (Some(t), Some(a), Some((va, vrecs)), Some(r)) =
            (of("total"), of("abroad"), vehicle, of("reception"))
        {
            let mut parts = vec![a, r];
            parts.extend(vrecs);
            e.compare(
                Subject {
                    rule: Rule::Sangong,
                    at: t,
                    also: Vec::new(),
                    what: format!(
                        "{table} 三公合计 = 出国 + 公务用车 + 接待（{}）",
                        t.stage.label()
                    ),
                    target: Some(Target::Sangong(selection(t))),
                },
                a.amount + va + r.amount,
                t.amount,
                &parts,
                false,
            );
        }
    }
}

/// Narrative figures (正文) vs the same figure in a table of the same report year.
fn narrative(e: &mut Engine) {
    let sangong = e.sangong.clone();
    for n in sangong.iter().filter(|r| r.src.table == NARRATIVE_TABLE) {
        if let Some(t) = sangong.iter().find(|r| {
            r.src.table != NARRATIVE_TABLE
                && r.department == n.department
                && r.year == n.year
                && r.stage == n.stage
                && r.key == n.key
        }) {
            e.compare(
                Subject {
                    rule: Rule::NarrativeVsTable,
                    at: n,
                    also: vec![t.src.table.clone()],
                    what: format!("正文「{}」与 {} 三公经费", n.src.label, t.src.table),
                    target: Some(Target::Sangong(selection(n))),
                },
                t.amount,
                n.amount,
                &[t],
                true,
            );
        }
    }
    let amounts = e.amounts.clone();
    for n in amounts.iter().filter(|r| r.src.table == NARRATIVE_TABLE) {
        if let Some(t) = amounts.iter().find(|r| {
            r.src.table != NARRATIVE_TABLE
                && r.department == n.department
                && r.year == n.year
                && r.stage == n.stage
                && r.scope == n.scope
                && r.measure == n.measure
                && r.fund == n.fund
                && r.classification == n.classification
                && r.nature == n.nature
                && r.code == n.code
        }) {
            e.compare(
                Subject {
                    rule: Rule::NarrativeVsTable,
                    at: n,
                    also: vec![t.src.table.clone()],
                    what: format!("正文「{}」与 {}", row_name(n), t.src.table),
                    target: drill_target(t),
                },
                t.amount,
                n.amount,
                &[t],
                true,
            );
        }
    }
}

/// 政府采购支出总额 = 货物 + 工程 + 服务 (totals items, per report and table).
fn procurement(e: &mut Engine) {
    let totals = e.totals.clone();
    let mut groups: BTreeMap<(ReportKey, String, String), Vec<&Rec>> = BTreeMap::new();
    for r in totals.iter().filter(|r| r.key.starts_with("procurement_")) {
        groups
            .entry((report_key(r), r.src.table.clone(), r.fund.clone()))
            .or_default()
            .push(r);
    }
    for ((_, table, _), g) in groups {
        let Some(total) = g.iter().find(|r| r.key == "procurement_total").copied() else {
            continue;
        };
        let parts: Vec<&Rec> = g
            .iter()
            .filter(|r| {
                matches!(
                    r.key.as_str(),
                    "procurement_goods" | "procurement_works" | "procurement_services"
                )
            })
            .copied()
            .collect();
        if parts.len() < 3 {
            continue;
        }
        e.compare(
            Subject {
                rule: Rule::Procurement,
                at: total,
                also: Vec::new(),
                what: format!("{table} 政府采购总额 = 货物 + 工程 + 服务"),
                target: Some(Target::Overview(selection(total))),
            },
            parts.iter().map(|r| r.amount).sum(),
            total.amount,
            &parts,
            false,
        );
    }
}

/// One row of the table manifest.
#[derive(Clone, Debug)]
struct ManifestRow {
    department: String,
    year: i32,
    stage: Stage,
    doc: String,
    table: String,
    present: bool,
    line: Option<i32>,
}

fn manifest(ds: &Dataset) -> Result<Vec<ManifestRow>> {
    let df = &ds.tables.tables;
    let deps = strings(df, "department")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let tables = strings(df, "source_table")?;
    let present = bools(df, "present")?;
    let docs = strings(df, "source_doc")?;
    let lines = ints(df, "source_line")?;
    let mut out = Vec::new();
    for i in 0..df.height() {
        let (Some(Some(year)), Some(stage)) = (
            years.get(i).copied(),
            stages.get(i).and_then(|s| Stage::from_key(s)),
        ) else {
            continue;
        };
        out.push(ManifestRow {
            department: deps.get(i).cloned().unwrap_or_default(),
            year,
            stage,
            doc: docs.get(i).cloned().unwrap_or_default(),
            table: tables.get(i).cloned().unwrap_or_default(),
            present: present.get(i).copied().unwrap_or(false),
            line: lines.get(i).copied().flatten(),
        });
    }
    Ok(out)
}

/// The nine standard tables of a 部门决算 and their titles.
pub const FINAL_TABLES: [(&str, &str); 9] = [
    ("公开01", "收入支出决算总表"),
    ("公开02", "收入决算表"),
    ("公开03", "支出决算表"),
    ("公开04", "财政拨款收入支出决算总表"),
    ("公开05", "一般公共预算财政拨款支出决算表"),
    ("公开06", "一般公共预算财政拨款基本支出决算表"),
    ("公开07", "一般公共预算财政拨款“三公”经费支出决算表"),
    ("公开08", "政府性基金预算财政拨款收入支出决算表"),
    ("公开09", "国有资本经营预算财政拨款支出决算表"),
];

/// Budget tables every 部门预算 must publish.
pub const BUDGET_TABLES: [(&str, &str); 3] = [
    ("预算表1", "收支总表"),
    ("预算表2", "收入总表"),
    ("预算表3", "支出总表"),
];

/// Required tables present; 政府性基金 / 国有资本经营 tables consistent with 公开04.
fn table_presence(e: &mut Engine, manifest: &[ManifestRow]) {
    let mut reports: BTreeMap<(String, i32, Stage, String), Vec<&ManifestRow>> = BTreeMap::new();
    for m in manifest {
        reports
            .entry((
                m.department.clone(),
                m.year,
                m.stage,
                document(&m.doc).to_owned(),
            ))
            .or_default()
            .push(m);
    }
    for ((department, year, stage, doc), rows) in reports {
        let has = |t: &str| rows.iter().any(|r| r.table == t);
        let required: &[(&str, &str)] = if rows.iter().any(|r| r.table.starts_with("公开0")) {
            &FINAL_TABLES
        } else if rows.iter().any(|r| r.table.starts_with("预算表")) {
            &BUDGET_TABLES
        } else {
            &[]
        };
        for (id, title) in required {
            if !has(id) {
                e.findings.push(Finding {
                    rule: Rule::MissingTable,
                    severity: Severity::Error,
                    tables: vec![(*id).to_owned()],
                    department: department.clone(),
                    year,
                    stage,
                    location: doc.clone(),
                    expected: None,
                    actual: None,
                    difference: None,
                    message: format!("报告缺少 {id}「{title}」"),
                    target: None,
                    culprit: None,
                });
            }
        }
        // 08 / 09 against the 04 columns.
        for (fund, table, title) in [
            ("gov_fund", "公开08", "政府性基金预算财政拨款收入支出决算表"),
            (
                "state_capital",
                "公开09",
                "国有资本经营预算财政拨款支出决算表",
            ),
        ] {
            let in_04 = e.amounts.iter().find(|r| {
                r.department == department
                    && r.year == year
                    && r.stage == stage
                    && document(&r.src.doc) == doc
                    && r.src.table == "公开04"
                    && r.measure == "expenditure"
                    && r.fund == fund
                    && r.code.is_empty()
            });
            let Some(in_04) = in_04.cloned() else {
                continue;
            };
            let numbers: Vec<Rec> = e
                .amounts
                .iter()
                .filter(|r| {
                    r.department == department
                        && r.year == year
                        && r.stage == stage
                        && document(&r.src.doc) == doc
                        && r.src.table == table
                        && !r.amount.is_zero()
                })
                .cloned()
                .collect();
            let listed = rows.iter().find(|r| r.table == table);
            if in_04.amount.is_zero() && !numbers.is_empty() {
                let first = numbers.first().cloned();
                if let Some(f) = first {
                    e.flag(
                        Rule::FundTables,
                        Severity::Error,
                        &f,
                        format!("公开04 的该资金支出为 0，但 {table}「{title}」有数字"),
                        drill_target(&f),
                    );
                }
            } else if !in_04.amount.is_zero()
                && numbers.is_empty()
                && listed.is_some_and(|l| l.present || l.line.is_some())
            {
                e.flag(
                    Rule::FundTables,
                    Severity::Error,
                    &in_04,
                    format!(
                        "公开04 的该资金支出为 {} 万元，但 {table}「{title}」没有数字",
                        money(in_04.amount)
                    ),
                    drill_target(&in_04),
                );
            }
        }
    }
}

/// Project self-evaluation figures.
fn projects(ds: &Dataset, e: &mut Engine) -> Result<()> {
    let df = &ds.tables.projects;
    let deps = strings(df, "department")?;
    let years = ints(df, "year")?;
    let ids = strings(df, "project_id")?;
    let names = strings(df, "name")?;
    let units = strings(df, "unit")?;
    let budgets = decimals(df, "budget_full_year")?;
    let executed = decimals(df, "executed")?;
    let stated = decimals(df, "stated_rate")?;
    let scores = decimals(df, "score")?;
    let docs = strings(df, "source_doc")?;
    let tables = strings(df, "source_table")?;
    let lines = ints(df, "source_line")?;
    let labels = strings(df, "source_label")?;
    for i in 0..df.height() {
        let get = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
        let Some(Some(year)) = years.get(i).copied() else {
            continue;
        };
        let rec = Rec {
            department: get(&deps),
            unit: get(&units),
            scope: String::new(),
            year,
            stage: Stage::Final,
            measure: String::new(),
            fund: String::new(),
            classification: String::new(),
            code: String::new(),
            name: format!("{} {}", get(&units), get(&names)),
            nature: String::new(),
            key: get(&ids),
            is_subtotal: false,
            amount: Decimal::ZERO,
            source_unit: String::new(),
            src: SourceRef {
                doc: get(&docs),
                table: get(&tables),
                line: lines.get(i).copied().flatten(),
                label: format!("{} {}", get(&labels), get(&names)),
                flags: String::new(),
                note: String::new(),
            },
        };
        let target = Some(Target::Project {
            selection: selection(&rec),
            project_id: rec.key.clone(),
        });
        let budget = budgets.get(i).copied().flatten();
        let exec = executed.get(i).copied().flatten();
        for (what, v) in [("全年预算数", budget), ("执行数", exec)] {
            if let Some(v) = v.filter(|v| v.is_sign_negative() && !v.is_zero()) {
                e.flag(
                    Rule::ProjectValues,
                    Severity::Error,
                    &rec,
                    format!("项目{what}为负数 {} 万元", money(v)),
                    target.clone(),
                );
            }
        }
        if let Some(s) = scores.get(i).copied().flatten()
            && (s.is_sign_negative() || s > Decimal::from(100))
        {
            e.flag(
                Rule::ProjectValues,
                Severity::Error,
                &rec,
                format!("自评得分 {s} 超出 0–100"),
                target.clone(),
            );
        }
        if let (Some(b), Some(x)) = (budget, exec) {
            if x > b {
                e.findings.push(Finding {
                    rule: Rule::ProjectOverBudget,
                    severity: Severity::Warning,
                    tables: vec![rec.src.table.clone()],
                    department: rec.department.clone(),
                    year,
                    stage: Stage::Final,
                    location: Engine::location(&rec),
                    expected: Some(b),
                    actual: Some(x),
                    difference: Some(x - b),
                    message: format!("执行数 {} 万元超过全年预算数 {} 万元", money(x), money(b)),
                    target: target.clone(),
                    culprit: None,
                });
            }
            if let Some(rate) = stated.get(i).copied().flatten()
                && !b.is_zero()
            {
                let computed = x / b;
                // The stated rate is printed to some precision (100%, 51.5%): equal after
                // rounding the computed rate to it is consistent; within one printed digit is
                // truncation (a note); beyond that the two disagree (a warning).
                let scale = rate.normalize().scale();
                let rounded = super::frame::round(computed, scale);
                let diff = rate - computed;
                let digit = Decimal::new(1, scale);
                let severity = if rounded == rate.normalize() {
                    None
                } else if diff.abs() < digit {
                    Some(Severity::Note)
                } else {
                    Some(Severity::Warning)
                };
                if let Some(severity) = severity {
                    e.findings.push(Finding {
                        rule: Rule::ProjectRate,
                        severity,
                        tables: vec![rec.src.table.clone()],
                        department: rec.department.clone(),
                        year,
                        stage: Stage::Final,
                        location: Engine::location(&rec),
                        expected: Some(computed.round_dp(4)),
                        actual: Some(rate),
                        difference: Some(diff.round_dp(4)),
                        message: format!(
                            "所述执行率 {} 与执行数/全年预算数 {} 不符{}",
                            crate::model::format_percent(rate, 1),
                            crate::model::format_percent(computed, 2),
                            if severity == Severity::Note {
                                "（末位截尾差异）"
                            } else {
                                ""
                            }
                        ),
                        target: target.clone(),
                        culprit: None,
                    });
                }
            }
        }
    }
    Ok(())
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
