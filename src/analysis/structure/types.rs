//! The structure results: parts, breakdowns by kind, one selection's structure and the report
//! with its counterpart and previous year.

#[allow(clippy::wildcard_imports)]
use super::*;

/// One slice of a breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Stable key for matching across years and stages (source key, code or item).
    pub key: String,
    pub label: String,
    pub figure: Figure,
    /// Share of the breakdown's total (or of the parts' sum when no total is published).
    pub share: Option<Decimal>,
    /// The same part in the other stage of the same year (budget ↔ final).
    pub counterpart: Option<Decimal>,
    /// The same part in the previous year of the same scope and stage.
    pub previous: Option<Decimal>,
}

impl Part {
    /// 决算 / 预算 of this part, when the other stage of the year is known: for a final account
    /// the amount over its budget counterpart, for a budget the final counterpart over the amount.
    pub fn execution(&self, stage: Stage) -> Option<Decimal> {
        let other = self.counterpart?;
        let (fin, bud) = if stage == Stage::Final {
            (self.figure.amount, other)
        } else {
            (other, self.figure.amount)
        };
        crate::model::ratio(fin, bud)
    }

    /// amount / previous − 1
    pub fn change(&self) -> Option<Decimal> {
        crate::model::change_ratio(self.figure.amount, self.previous?)
    }
}

/// Which breakdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreakdownKind {
    Revenue,
    Functional,
    Nature,
    EconomicGroup,
    EconomicClass,
}

impl BreakdownKind {
    pub const ALL: [BreakdownKind; 5] = [
        BreakdownKind::Revenue,
        BreakdownKind::Functional,
        BreakdownKind::Nature,
        BreakdownKind::EconomicGroup,
        BreakdownKind::EconomicClass,
    ];

    pub fn title(self) -> &'static str {
        match self {
            BreakdownKind::Revenue => "收入来源",
            BreakdownKind::Functional => "支出功能分类（类）",
            BreakdownKind::Nature => "支出性质（基本 / 项目）",
            BreakdownKind::EconomicGroup => "基本支出构成（人员 / 公用）",
            BreakdownKind::EconomicClass => "支出经济分类（类）",
        }
    }
}

/// One breakdown of a total into parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakdown {
    pub kind: BreakdownKind,
    /// The published total the parts are shares of (derived = Σ parts when none is published).
    pub total: Option<Figure>,
    pub parts: Vec<Part>,
    /// total − Σ parts when not zero (shown as 未细分).
    pub unallocated: Option<Decimal>,
    /// The fund actually used (may differ from the selection when only that fund is published).
    pub fund: Fund,
    /// Nature actually used (economic classes may exist for 基本支出 only).
    pub nature: Nature,
    /// Tables the figures come from.
    pub tables: Vec<String>,
    /// Notes the user must see (fallbacks, exclusions, zero parts).
    pub notes: Vec<String>,
}

impl Breakdown {
    pub(super) fn empty(kind: BreakdownKind, fund: Fund) -> Self {
        Self {
            kind,
            total: None,
            parts: Vec::new(),
            unallocated: None,
            fund,
            nature: Nature::Total,
            tables: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn part(&self, key: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.key == key)
    }

    /// Σ parts (`None` when it cannot be held exactly).
    pub fn parts_sum(&self) -> Option<Decimal> {
        crate::model::checked_sum(self.parts.iter().map(|p| p.figure.amount))
    }
}

/// The structure of one selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Structure {
    pub selection: Selection,
    pub fund: Fund,
    pub scope: Option<String>,
    pub breakdowns: Vec<Breakdown>,
}

impl Structure {
    /// Whose structure this is, in words: `部门 · 年 阶段 · 口径` (the compare view's and export's
    /// label of each side).
    pub fn caption(&self) -> String {
        format!(
            "{} · {} 年{} · 口径 {}",
            self.selection.department,
            self.selection.year,
            self.selection.stage.label(),
            self.scope.as_deref().unwrap_or("未知")
        )
    }

    pub fn get(&self, kind: BreakdownKind) -> Option<&Breakdown> {
        self.breakdowns.iter().find(|b| b.kind == kind)
    }

    pub(super) fn get_mut(&mut self, kind: BreakdownKind) -> Option<&mut Breakdown> {
        self.breakdowns.iter_mut().find(|b| b.kind == kind)
    }

    pub fn is_empty(&self) -> bool {
        self.breakdowns.iter().all(|b| b.parts.is_empty())
    }
}

/// A structure with what it is compared against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureReport {
    pub main: Structure,
    /// The other stage of the same year (budget for a final account, final for a budget).
    pub counterpart_stage: Option<Stage>,
    /// The previous year of the same scope and stage, when there is one.
    pub previous_year: Option<i32>,
    /// Why the previous year is not the immediately preceding one, or why there is none.
    pub previous_notes: Vec<String>,
}
