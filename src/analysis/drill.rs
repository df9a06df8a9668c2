//! Drill-down along a classification: the children of a code (or the 类 of a total) with their
//! shares, and an explicit 未细分 remainder where the children do not add up to the parent.

use std::collections::BTreeMap;

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{Figure, SourceRef, rows};
use super::frame::{eq_all, strings};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{Classification, Code, Fund, Level, Measure, Nature, Stage};

mod trend;

pub use trend::{CodeTrend, CodeTrendPoint, code_trend, code_trend_any_fund};

/// What to drill into.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DrillQuery {
    pub department: String,
    pub scope: String,
    pub year: i32,
    pub stage: Stage,
    pub fund: Fund,
    pub classification: Classification,
    pub nature: Nature,
    /// `None` = the top level (类 under the 合计 row).
    pub parent: Option<Code>,
}

/// One child row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillRow {
    pub code: Code,
    pub name: String,
    pub figure: Figure,
    pub share_of_parent: Option<Decimal>,
    pub share_of_total: Option<Decimal>,
    /// Whether the child has children of its own in the same table.
    pub has_children: bool,
}

/// The children of one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drill {
    pub query: DrillQuery,
    /// The table the figures come from (the one with the most rows for this selection).
    pub table: Option<String>,
    /// The parent's published amount (the 合计 row at the top level).
    pub parent: Option<Figure>,
    pub parent_name: String,
    /// The path from the top to the parent (类, then 款), with names, for the breadcrumb.
    pub ancestors: Vec<(Code, String)>,
    /// The top-level total, for shares of total.
    pub total: Option<Figure>,
    pub rows: Vec<DrillRow>,
    /// parent − Σ children, when not zero: shown as 未细分 so no money vanishes.
    pub unallocated: Option<Decimal>,
}

impl Drill {
    /// Σ children (`None` when it cannot be held exactly).
    pub fn children_sum(&self) -> Option<Decimal> {
        crate::model::checked_sum(self.rows.iter().map(|r| r.figure.amount))
    }
}

#[derive(Clone)]
struct Node {
    code: String,
    name: String,
    amount: Decimal,
    source: SourceRef,
}

/// The expenditure rows with an amount matching `filter`, in frame order: (code, name, amount,
/// source) and the `extra` text columns.
fn read_rows(ds: &Dataset, filter: Expr, extra: &[&str]) -> Result<Vec<(Node, Vec<String>)>> {
    let df = ds
        .tables
        .amounts
        .clone()
        .lazy()
        .without_optimizations()
        .filter(filter.and(col("amount").is_not_null()))
        .collect()?;
    // every row has an amount: `rows` keeps them all, aligned with the columns
    let found = rows(&df, lit(true), "amount")?;
    let codes = strings(&df, "code")?;
    let names = strings(&df, "name")?;
    let extras = extra
        .iter()
        .map(|c| strings(&df, c))
        .collect::<Result<Vec<_>>>()?;
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(i, (amount, source))| {
            let node = Node {
                code: codes.get(i).cloned().unwrap_or_default(),
                name: names.get(i).cloned().unwrap_or_default(),
                amount,
                source,
            };
            let more = extras
                .iter()
                .map(|v| v.get(i).cloned().unwrap_or_default())
                .collect();
            (node, more)
        })
        .collect())
}

/// One table per selection: the one with the most rows (公开03 rather than 公开01's 类 list),
/// and its rows.
fn of_one_table<'a>(found: impl Iterator<Item = &'a Node> + Clone) -> (Option<String>, Vec<Node>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in found.clone() {
        *counts.entry(n.source.table.as_str()).or_default() += 1;
    }
    let table = counts
        .iter()
        .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
        .map(|(t, _)| (*t).to_owned());
    let out = found
        .filter(|n| Some(&n.source.table) == table.as_ref())
        .cloned()
        .collect();
    (table, out)
}

fn nodes(ds: &Dataset, q: &DrillQuery) -> Result<(Option<String>, Vec<Node>)> {
    let filter = eq_all(&[
        ("department", q.department.as_str()),
        ("scope", q.scope.as_str()),
        ("stage", q.stage.key()),
        ("measure", Measure::Expenditure.key()),
        ("fund", q.fund.key()),
        ("classification", q.classification.key()),
        ("nature", q.nature.key()),
    ])
    .and(col("year").eq(lit(q.year)));
    let found = read_rows(ds, filter, &[])?;
    Ok(of_one_table(found.iter().map(|(n, _)| n)))
}

/// A selection's expenditure rows of every fund, classification and nature, read once for the
/// many drill-downs of one structure ([`ExpenditureRows::drill`] gives what [`drill`] gives).
pub struct ExpenditureRows(Vec<(Node, Vec<String>)>);

impl ExpenditureRows {
    /// The rows of (department, scope, year, stage).
    pub fn read(
        ds: &Dataset,
        department: &str,
        scope: &str,
        year: i32,
        stage: Stage,
    ) -> Result<Self> {
        let filter = eq_all(&[
            ("department", department),
            ("scope", scope),
            ("stage", stage.key()),
            ("measure", Measure::Expenditure.key()),
        ])
        .and(col("year").eq(lit(year)));
        Ok(Self(read_rows(
            ds,
            filter,
            &["fund", "classification", "nature"],
        )?))
    }

    /// [`drill`] of `q` (whose department, scope, year and stage are those read) over these rows.
    pub fn drill(&self, q: &DrillQuery) -> Drill {
        let keys = [q.fund.key(), q.classification.key(), q.nature.key()];
        let (table, nodes) = of_one_table(
            self.0
                .iter()
                .filter(|(_, k)| k.iter().map(String::as_str).eq(keys))
                .map(|(n, _)| n),
        );
        drill_nodes(q, table, &nodes)
    }
}

/// The children of `q.parent` (or the 类 rows under the total).
pub fn drill(ds: &Dataset, q: &DrillQuery) -> Result<Drill> {
    let (table, nodes) = nodes(ds, q)?;
    Ok(drill_nodes(q, table, &nodes))
}

/// The drill-down of `q` at each of `parents` (`q.parent` is ignored): the same as [`drill`]
/// with each parent, reading the rows once.
pub fn drill_each(ds: &Dataset, q: &DrillQuery, parents: &[Option<Code>]) -> Result<Vec<Drill>> {
    let (table, nodes) = nodes(ds, q)?;
    Ok(parents
        .iter()
        .map(|p| {
            let q = DrillQuery {
                parent: p.clone(),
                ..q.clone()
            };
            drill_nodes(&q, table.clone(), &nodes)
        })
        .collect())
}

fn drill_nodes(q: &DrillQuery, table: Option<String>, nodes: &[Node]) -> Drill {
    let fig = |n: &Node| Figure::published(n.amount, n.source.clone());
    let total_node = nodes.iter().find(|n| n.code.is_empty());
    let top_sum = || -> Option<Figure> {
        let parts: Vec<Figure> = nodes
            .iter()
            .filter(|n| n.code.len() == Level::Lei.digits())
            .map(fig)
            .collect();
        Figure::sum(&parts)
    };
    // The total for shares: the published 合计 row, else the sum of the 类 rows (derived).
    let total = total_node.map(fig).or_else(top_sum);
    let (parent, parent_name, child_len) = match &q.parent {
        // The published 合计 row, else the sum of the 类 rows (marked derived).
        None => (total.clone(), "合计".to_owned(), Level::Lei.digits()),
        Some(p) => {
            let node = nodes.iter().find(|n| n.code == p.as_str());
            let child_len = match p.level() {
                Level::Lei => Level::Kuan.digits(),
                _ => Level::Xiang.digits(),
            };
            (
                node.map(fig),
                node.map_or_else(|| p.to_string(), |n| n.name.clone()),
                child_len,
            )
        }
    };
    let prefix = q.parent.as_ref().map_or("", Code::as_str);
    let mut children: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.code.len() == child_len && n.code.starts_with(prefix))
        .collect();
    children.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.code.cmp(&b.code)));
    let ratio = |num: Decimal, den: Option<&Figure>| crate::model::ratio(num, den?.amount);
    let rows: Vec<DrillRow> = children
        .iter()
        .filter_map(|n| {
            let code = Code::parse(&n.code, q.classification).ok()?;
            let has_children = nodes
                .iter()
                .any(|m| m.code.len() > n.code.len() && m.code.starts_with(&n.code));
            Some(DrillRow {
                share_of_parent: ratio(n.amount, parent.as_ref()),
                share_of_total: ratio(n.amount, total.as_ref()),
                has_children,
                name: n.name.clone(),
                figure: fig(n),
                code,
            })
        })
        .collect();
    let mut ancestors = Vec::new();
    let mut cursor = q.parent.clone();
    while let Some(c) = cursor {
        let name = nodes
            .iter()
            .find(|n| n.code == c.as_str())
            .map_or_else(String::new, |n| n.name.clone());
        cursor = c.parent();
        ancestors.push((c, name));
    }
    ancestors.reverse();
    let sum = crate::model::checked_sum(rows.iter().map(|r| r.figure.amount));
    let unallocated = parent
        .as_ref()
        .zip(sum)
        .and_then(|(p, s)| p.amount.checked_sub(s))
        .filter(|d| !d.is_zero() && !rows.is_empty());
    Drill {
        query: q.clone(),
        table,
        parent,
        parent_name,
        ancestors,
        total,
        rows,
        unallocated,
    }
}

/// The published amount of one code (or of the 合计 row for `None`) for a selection, with its
/// name, taken from the same table [`drill`] would use.
pub fn lookup(
    ds: &Dataset,
    q: &DrillQuery,
    code: Option<&Code>,
) -> Result<Option<(Figure, String)>> {
    let (_, nodes) = nodes(ds, q)?;
    let want = code.map_or("", Code::as_str);
    if let Some(n) = nodes.iter().find(|n| n.code == want) {
        let name = if code.is_none() {
            "合计".to_owned()
        } else {
            n.name.clone()
        };
        return Ok(Some((Figure::published(n.amount, n.source.clone()), name)));
    }
    if code.is_none() {
        // No published 合计 row: the sum of the 类 rows, marked derived.
        let parts: Vec<Figure> = nodes
            .iter()
            .filter(|n| n.code.len() == Level::Lei.digits())
            .map(|n| Figure::published(n.amount, n.source.clone()))
            .collect();
        return Ok(Figure::sum(&parts).map(|f| (f, "合计（各类之和）".to_owned())));
    }
    Ok(None)
}

/// The query actually shown for a requested one: when the requested fund (全部资金) or nature
/// (合计) has no classified rows for the year, the published alternative (财政拨款, 一般公共预算;
/// 基本支出), with a note saying so. The parent is kept.
pub fn resolve(ds: &Dataset, q: &DrillQuery) -> Result<(DrillQuery, Vec<String>)> {
    let funds: Vec<Fund> = if q.fund == Fund::All {
        vec![Fund::All, Fund::Fiscal, Fund::GeneralBudget]
    } else {
        vec![q.fund]
    };
    let natures: Vec<Nature> = if q.nature == Nature::Total {
        vec![Nature::Total, Nature::Basic, Nature::Project]
    } else {
        vec![q.nature]
    };
    for nature in &natures {
        for fund in &funds {
            let top = DrillQuery {
                fund: *fund,
                nature: *nature,
                parent: None,
                ..q.clone()
            };
            let (_, found) = nodes(ds, &top)?;
            if found.is_empty() {
                continue;
            }
            let mut notes = Vec::new();
            if *fund != q.fund {
                notes.push(format!(
                    "{} 年未公布「{}」的{}，显示「{}」",
                    q.year,
                    q.fund.label(),
                    q.classification.label(),
                    fund.label()
                ));
            }
            if *nature != q.nature {
                notes.push(format!(
                    "{} 年的{}只公布了「{}」",
                    q.year,
                    q.classification.label(),
                    nature.label()
                ));
            }
            return Ok((
                DrillQuery {
                    fund: *fund,
                    nature: *nature,
                    ..q.clone()
                },
                notes,
            ));
        }
    }
    Ok((q.clone(), Vec::new()))
}

/// One row of the drill table: the child with its budget, final, execution and change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillLine {
    pub row: DrillRow,
    /// The same code in the year's budget (adjusted if published, else initial).
    pub budget: Option<Decimal>,
    /// The same code in the year's final account.
    pub final_amount: Option<Decimal>,
    /// The same code in the previous year of the same scope and stage.
    pub previous: Option<Decimal>,
}

impl DrillLine {
    /// final / budget
    pub fn execution(&self) -> Option<Decimal> {
        crate::model::ratio(self.final_amount?, self.budget?)
    }

    /// amount / previous − 1
    pub fn yoy(&self) -> Option<Decimal> {
        crate::model::change_ratio(self.row.figure.amount, self.previous?)
    }
}

/// A drill with the comparison columns of its table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillTable {
    pub drill: Drill,
    pub lines: Vec<DrillLine>,
    /// Which budget stage the 预算 column shows, if any.
    pub budget_stage: Option<Stage>,
    /// Which year the 同比 column compares with, if any.
    pub previous_year: Option<i32>,
    /// Why a comparison column is empty (Chinese, shown under the table).
    pub notes: Vec<String>,
}

fn amounts_by_code(d: &Drill) -> BTreeMap<String, Decimal> {
    d.rows
        .iter()
        .map(|r| (r.code.as_str().to_owned(), r.figure.amount))
        .collect()
}

/// [`drill`] plus the same children in the budget and final of the year and in the previous
/// year of the same scope (`scopes` maps every year of the department to its scope).
pub fn drill_table(
    ds: &Dataset,
    q: &DrillQuery,
    scopes: &BTreeMap<i32, (String, Vec<Stage>)>,
) -> Result<DrillTable> {
    let d = drill(ds, q)?;
    let mut notes = Vec::new();
    let stages = scopes
        .get(&q.year)
        .map(|(_, s)| s.clone())
        .unwrap_or_default();
    let other = |stage: Stage| -> Result<Option<BTreeMap<String, Decimal>>> {
        if stage == q.stage {
            return Ok(Some(amounts_by_code(&d)));
        }
        let o = drill(ds, &DrillQuery { stage, ..q.clone() })?;
        Ok((!o.rows.is_empty()).then(|| amounts_by_code(&o)))
    };
    let mut budget_stage = None;
    let mut budget = None;
    for s in [Stage::BudgetAdjusted, Stage::BudgetInitial] {
        if stages.contains(&s)
            && let Some(m) = other(s)?
        {
            budget_stage = Some(s);
            budget = Some(m);
            break;
        }
    }
    let finals = if stages.contains(&Stage::Final) {
        other(Stage::Final)?
    } else {
        None
    };
    if budget.is_none() {
        notes.push(format!(
            "{} 年未公布本层级的预算数（同一资金来源与支出性质）",
            q.year
        ));
    }
    if finals.is_none() {
        notes.push(format!("{} 年未公布本层级的决算数", q.year));
    }
    let scope = scopes
        .get(&q.year)
        .map(|(s, _)| s.clone())
        .unwrap_or_default();
    let mut previous_year = None;
    let mut previous = None;
    let mut other_scope_noted = false;
    for (y, (s, st)) in scopes.range(..q.year).rev() {
        if !st.contains(&q.stage) {
            continue;
        }
        if *s != scope {
            if !other_scope_noted {
                notes.push(format!(
                    "{y} 年口径为「{s}」，与本年「{scope}」不同，不作同比"
                ));
                other_scope_noted = true;
            }
            continue;
        }
        let p = drill(
            ds,
            &DrillQuery {
                year: *y,
                scope: s.clone(),
                ..q.clone()
            },
        )?;
        if p.rows.is_empty() {
            notes.push(format!("{y} 年未公布本层级的分类数，不作同比"));
            continue;
        }
        previous_year = Some(*y);
        previous = Some(amounts_by_code(&p));
        break;
    }
    let lines = d
        .rows
        .iter()
        .map(|r| {
            let get = |m: &Option<BTreeMap<String, Decimal>>| {
                m.as_ref().and_then(|m| m.get(r.code.as_str()).copied())
            };
            DrillLine {
                row: r.clone(),
                budget: get(&budget),
                final_amount: get(&finals),
                previous: get(&previous),
            }
        })
        .collect();
    Ok(DrillTable {
        budget_stage,
        previous_year,
        drill: d,
        lines,
        notes,
    })
}
