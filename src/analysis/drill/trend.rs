//! A code's multi-year trend: its figure in every year and stage of the department, on one
//! fund (or the first fund that has it).

use std::collections::BTreeMap;

use super::{DrillQuery, lookup};
use crate::analysis::figure::Figure;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::{Code, Fund, Stage};

/// One point of a code's multi-year trend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeTrendPoint {
    pub year: i32,
    pub stage: Stage,
    pub scope: String,
    pub figure: Figure,
}

/// A code's amounts over the years, every stage, with its scope per year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeTrend {
    pub code: Option<Code>,
    pub name: String,
    pub points: Vec<CodeTrendPoint>,
    /// Years whose scope differs from the previous year with data.
    pub scope_changes: Vec<i32>,
    /// Why the trend is of another fund than the table's (see [`code_trend_any_fund`]).
    pub fund_note: Option<String>,
}

/// The trend of `code` (or of the 合计 row) for a department, over every year and stage in
/// `scopes`, with the same fund, classification and nature as `q`.
pub fn code_trend(
    ds: &Dataset,
    q: &DrillQuery,
    code: Option<&Code>,
    scopes: &BTreeMap<i32, (String, Vec<Stage>)>,
) -> Result<CodeTrend> {
    let mut points = Vec::new();
    let mut name = String::new();
    for (year, (scope, stages)) in scopes {
        for stage in stages {
            let yq = DrillQuery {
                year: *year,
                stage: *stage,
                scope: scope.clone(),
                parent: None,
                ..q.clone()
            };
            if let Some((figure, n)) = lookup(ds, &yq, code)? {
                if name.is_empty() {
                    name = n;
                }
                points.push(CodeTrendPoint {
                    year: *year,
                    stage: *stage,
                    scope: scope.clone(),
                    figure,
                });
            }
        }
    }
    let mut scope_changes = Vec::new();
    let mut last: Option<&str> = None;
    for p in &points {
        if let Some(l) = last
            && l != p.scope
            && !scope_changes.contains(&p.year)
        {
            scope_changes.push(p.year);
        }
        last = Some(&p.scope);
    }
    if name.is_empty() {
        name = code.map_or_else(|| "合计".to_owned(), ToString::to_string);
    }
    Ok(CodeTrend {
        code: code.cloned(),
        name,
        points,
        scope_changes,
        fund_note: None,
    })
}

/// [`code_trend`] in the query's fund; when that fund never published the code (a 政府性基金
/// code asked for under 一般公共预算, say), the first fund that did — 全部资金, then each fund —
/// with a note saying so, instead of a trend that claims the code was never published.
pub fn code_trend_any_fund(
    ds: &Dataset,
    q: &DrillQuery,
    code: Option<&Code>,
    scopes: &BTreeMap<i32, (String, Vec<Stage>)>,
) -> Result<CodeTrend> {
    let first = code_trend(ds, q, code, scopes)?;
    if !first.points.is_empty() || code.is_none() {
        return Ok(first);
    }
    let others = [
        Fund::All,
        Fund::GeneralBudget,
        Fund::GovFund,
        Fund::StateCapital,
        Fund::Fiscal,
    ];
    for fund in others.into_iter().filter(|f| *f != q.fund) {
        let other = DrillQuery { fund, ..q.clone() };
        let mut t = code_trend(ds, &other, code, scopes)?;
        if !t.points.is_empty() {
            t.fund_note = Some(format!(
                "「{}」历年均未公布此科目；以下为「{}」的数字",
                q.fund.label(),
                fund.label()
            ));
            return Ok(t);
        }
    }
    Ok(first)
}
