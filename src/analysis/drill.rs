//! Drill-down along a classification: the children of a code (or the 类 of a total) with their
//! shares, and an explicit 未细分 remainder where the children do not add up to the parent.

use std::collections::BTreeMap;

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{Figure, SourceRef, rows};
use super::frame::{eq_all, strings};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{Classification, Code, Fund, Level, Nature, Stage};

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
    /// The top-level total, for shares of total.
    pub total: Option<Figure>,
    pub rows: Vec<DrillRow>,
    /// parent − Σ children, when not zero: shown as 未细分 so no money vanishes.
    pub unallocated: Option<Decimal>,
}

impl Drill {
    pub fn children_sum(&self) -> Decimal {
        self.rows.iter().map(|r| r.figure.amount).sum()
    }
}

struct Node {
    code: String,
    name: String,
    amount: Decimal,
    source: SourceRef,
}

fn nodes(ds: &Dataset, q: &DrillQuery) -> Result<(Option<String>, Vec<Node>)> {
    let filter = eq_all(&[
        ("department", q.department.as_str()),
        ("scope", q.scope.as_str()),
        ("stage", q.stage.key()),
        ("measure", "expenditure"),
        ("fund", q.fund.key()),
        ("classification", q.classification.key()),
        ("nature", q.nature.key()),
    ])
    .and(col("year").eq(lit(q.year)));
    let df = ds.tables.amounts.clone().lazy().filter(filter).collect()?;
    let found = rows(&df, lit(true), "amount")?;
    let codes = strings(&df, "code")?;
    let names = strings(&df, "name")?;
    // One table per selection: the one with the most rows (公开03 rather than 公开01's 类 list).
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, s) in &found {
        *counts.entry(s.table.as_str()).or_default() += 1;
    }
    let table = counts
        .iter()
        .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
        .map(|(t, _)| (*t).to_owned());
    let mut out = Vec::new();
    for (i, (amount, source)) in found.iter().enumerate() {
        if Some(&source.table) != table.as_ref() {
            continue;
        }
        out.push(Node {
            code: codes.get(i).cloned().unwrap_or_default(),
            name: names.get(i).cloned().unwrap_or_default(),
            amount: *amount,
            source: source.clone(),
        });
    }
    Ok((table, out))
}

/// The children of `q.parent` (or the 类 rows under the total).
pub fn drill(ds: &Dataset, q: &DrillQuery) -> Result<Drill> {
    let (table, nodes) = nodes(ds, q)?;
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
        None => (
            total_node.map(fig),
            total_node.map_or_else(|| "合计".to_owned(), |n| n.name.clone()),
            Level::Lei.digits(),
        ),
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
    let ratio = |num: Decimal, den: Option<&Figure>| {
        den.and_then(|d| (!d.amount.is_zero()).then(|| num / d.amount))
    };
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
    let sum: Decimal = rows.iter().map(|r| r.figure.amount).sum();
    let unallocated = parent
        .as_ref()
        .map(|p| p.amount - sum)
        .filter(|d| !d.is_zero() && !rows.is_empty());
    Ok(Drill {
        query: q.clone(),
        table,
        parent,
        parent_name,
        total,
        rows,
        unallocated,
    })
}
