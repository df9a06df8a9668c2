//! A published figure together with where it came from, and the lookup that finds one.

use polars::prelude::*;
use rust_decimal::Decimal;

use super::frame::{decimals, ints, strings};
use crate::error::Result;

/// Where a figure was printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRef {
    pub doc: String,
    pub table: String,
    pub line: Option<i32>,
    pub label: String,
    pub flags: String,
}

impl SourceRef {
    /// `公开03 第 174 行（000_….txt）` style text for tooltips.
    pub fn describe(&self) -> String {
        let mut s = self.table.clone();
        if !self.label.is_empty() {
            s.push_str(&format!("「{}」", self.label));
        }
        if let Some(line) = self.line {
            s.push_str(&format!(" 第 {line} 行"));
        }
        s.push_str(&format!("（{}）", self.doc));
        s
    }
}

/// An exact amount (万元) and its provenance. `derived` figures were computed from published ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub amount: Decimal,
    pub sources: Vec<SourceRef>,
    pub derived: bool,
}

impl Figure {
    pub fn published(amount: Decimal, source: SourceRef) -> Self {
        Self {
            amount,
            sources: vec![source],
            derived: false,
        }
    }

    /// The sum of several figures, marked as derived.
    pub fn sum(parts: &[Figure]) -> Option<Figure> {
        if parts.is_empty() {
            return None;
        }
        Some(Figure {
            amount: parts.iter().map(|f| f.amount).sum(),
            sources: parts.iter().flat_map(|f| f.sources.clone()).collect(),
            derived: true,
        })
    }

    pub fn describe_sources(&self) -> String {
        let list = self
            .sources
            .iter()
            .map(SourceRef::describe)
            .collect::<Vec<_>>()
            .join("；");
        if self.derived {
            format!("由已公布数计算：{list}")
        } else {
            list
        }
    }
}

/// Rows of `df` matching `filter`, as (amount, source) pairs, in frame order.
pub fn rows(df: &DataFrame, filter: Expr, amount_col: &str) -> Result<Vec<(Decimal, SourceRef)>> {
    let hit = df.clone().lazy().filter(filter).collect()?;
    let amounts = decimals(&hit, amount_col)?;
    let docs = strings(&hit, "source_doc")?;
    let tables = strings(&hit, "source_table")?;
    let lines = ints(&hit, "source_line")?;
    let labels = strings(&hit, "source_label")?;
    let flags = strings(&hit, "flags")?;
    let mut out = Vec::with_capacity(hit.height());
    for i in 0..hit.height() {
        let Some(Some(amount)) = amounts.get(i).copied() else {
            continue;
        };
        out.push((
            amount,
            SourceRef {
                doc: docs.get(i).cloned().unwrap_or_default(),
                table: tables.get(i).cloned().unwrap_or_default(),
                line: lines.get(i).copied().flatten(),
                label: labels.get(i).cloned().unwrap_or_default(),
                flags: flags.get(i).cloned().unwrap_or_default(),
            },
        ));
    }
    Ok(out)
}

/// The single figure matching `filter`, taken from the most preferred table: tables listed in
/// `prefer` win in that order, then any other table not in `exclude`.
pub fn pick(
    df: &DataFrame,
    filter: Expr,
    amount_col: &str,
    prefer: &[&str],
    exclude: &[&str],
) -> Result<Option<Figure>> {
    let candidates = rows(df, filter, amount_col)?;
    let best = candidates
        .into_iter()
        .filter(|(_, s)| !exclude.contains(&s.table.as_str()))
        .min_by_key(|(_, s)| {
            prefer
                .iter()
                .position(|t| *t == s.table)
                .unwrap_or(prefer.len())
        });
    Ok(best.map(|(amount, source)| Figure::published(amount, source)))
}
