//! Staff numbers a report states (核定编制数, 年末在编数 / 实有人数) and amounts per person.
//!
//! A per-person figure is an amount (万元) divided by the staff number of the same department,
//! year and scope; it is exact until the division, then rounded to the displayed decimals only
//! when shown. Where no staff number of that year and scope is stated, there is none.

use polars::prelude::*;
use rust_decimal::Decimal;

use super::figure::{SourceRef, rows};
use super::frame::strings;
use crate::dataset::Dataset;
use crate::error::Result;

/// Which staff number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StaffKind {
    /// 年末在编数 / 实有人数: the people actually employed — the denominator used.
    Actual,
    /// 核定编制数: the authorised establishment (used when no actual number is stated).
    Authorized,
}

impl StaffKind {
    /// The `item` of the evaluations table.
    pub fn key(self) -> &'static str {
        match self {
            StaffKind::Actual => "staff_actual",
            StaffKind::Authorized => "staff_authorized",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffKind::Actual => "年末在编（实有）人数",
            StaffKind::Authorized => "核定编制数",
        }
    }
}

/// One stated staff number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub year: i32,
    pub scope: String,
    pub kind: StaffKind,
    pub count: Decimal,
    pub source: SourceRef,
}

impl Staff {
    /// `年末在编（实有）人数 755 人（001_….txt 正文 第 206 行）`: the label every per-person figure
    /// carries.
    pub fn describe(&self) -> String {
        format!(
            "{} {} 人（{}）",
            self.kind.label(),
            self.count.normalize(),
            self.source.describe()
        )
    }

    /// `amount / count` (万元 per person), exact to 28 digits; `None` for a zero count.
    pub fn per_person(&self, amount: Decimal) -> Option<Decimal> {
        if self.count.is_zero() {
            return None;
        }
        amount.checked_div(self.count)
    }
}

/// Every staff number stated for the department, by year.
pub fn staff(ds: &Dataset, department: &str) -> Result<Vec<Staff>> {
    let mut out = Vec::new();
    for kind in [StaffKind::Actual, StaffKind::Authorized] {
        let filter = col("department")
            .eq(lit(department))
            .and(col("item").eq(lit(kind.key())))
            .and(col("value").is_not_null());
        let df = ds
            .tables
            .evaluations
            .clone()
            .lazy()
            .filter(filter.clone())
            .collect()?;
        let years = super::frame::ints(&df, "year")?;
        let scopes = strings(&df, "scope")?;
        for (i, (count, source)) in rows(&df, lit(true), "value")?.into_iter().enumerate() {
            let Some(Some(year)) = years.get(i).copied() else {
                continue;
            };
            out.push(Staff {
                year,
                scope: scopes.get(i).cloned().unwrap_or_default(),
                kind,
                count,
                source,
            });
        }
    }
    out.sort_by_key(|s| (s.year, s.kind));
    Ok(out)
}

/// The staff number to divide by for (year, scope): the actual number, else the authorised one.
pub fn staff_for<'a>(list: &'a [Staff], year: i32, scope: &str) -> Option<&'a Staff> {
    list.iter()
        .filter(|s| s.year == year && s.scope == scope)
        .min_by_key(|s| s.kind)
}
