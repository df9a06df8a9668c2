//! Domain types: stages, funds, classification codes, money units and exact amounts.
//!
//! Everything here is plain data with no I/O and no UI.

pub mod catalog;
mod code;
pub mod convert;
mod items;
mod money;
mod severity;

pub use code::{Classification, Code, Level};
pub use items::{RevenueSource, TotalsItem};
pub use money::{
    MoneyUnit, OUT_OF_RANGE, change_ratio, checked_sum, format_count, format_decimal_grouped,
    format_money, format_percent, ratio,
};
pub use severity::Severity;

use serde::{Deserialize, Serialize};

/// 预算阶段: where in the budget cycle a figure sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// 年初预算
    BudgetInitial,
    /// 调整预算 / 全年预算
    BudgetAdjusted,
    /// 决算 / 执行数
    Final,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::BudgetInitial, Stage::BudgetAdjusted, Stage::Final];

    /// The canonical key used in files.
    pub fn key(self) -> &'static str {
        match self {
            Stage::BudgetInitial => "budget_initial",
            Stage::BudgetAdjusted => "budget_adjusted",
            Stage::Final => "final",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Chinese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Stage::BudgetInitial => "年初预算",
            Stage::BudgetAdjusted => "调整预算",
            Stage::Final => "决算",
        }
    }

    pub fn is_budget(self) -> bool {
        !matches!(self, Stage::Final)
    }
}

/// 资金来源 column of a classified amount.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Fund {
    #[default]
    All,
    Fiscal,
    GeneralBudget,
    GovFund,
    StateCapital,
    OtherIncome,
    SuperiorSubsidy,
    Business,
    Operating,
    Affiliated,
}

impl Fund {
    pub const ALL: [Fund; 10] = [
        Fund::All,
        Fund::Fiscal,
        Fund::GeneralBudget,
        Fund::GovFund,
        Fund::StateCapital,
        Fund::OtherIncome,
        Fund::SuperiorSubsidy,
        Fund::Business,
        Fund::Operating,
        Fund::Affiliated,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Fund::All => "all",
            Fund::Fiscal => "fiscal",
            Fund::GeneralBudget => "general_budget",
            Fund::GovFund => "gov_fund",
            Fund::StateCapital => "state_capital",
            Fund::OtherIncome => "other_income",
            Fund::SuperiorSubsidy => "superior_subsidy",
            Fund::Business => "business",
            Fund::Operating => "operating",
            Fund::Affiliated => "affiliated",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The funds a user filters by (the others only appear as revenue sources).
    pub const FILTERS: [Fund; 5] = [
        Fund::All,
        Fund::Fiscal,
        Fund::GeneralBudget,
        Fund::GovFund,
        Fund::StateCapital,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Fund::All => "全部资金",
            Fund::Fiscal => "财政拨款",
            Fund::GeneralBudget => "一般公共预算",
            Fund::GovFund => "政府性基金预算",
            Fund::StateCapital => "国有资本经营预算",
            Fund::OtherIncome => "其他收入",
            Fund::SuperiorSubsidy => "上级补助收入",
            Fund::Business => "事业收入",
            Fund::Operating => "经营收入",
            Fund::Affiliated => "附属单位上缴收入",
        }
    }
}

/// 支出性质 column: 合计 / 基本支出 / 项目支出.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Nature {
    #[default]
    Total,
    Basic,
    Project,
}

impl Nature {
    pub const ALL: [Nature; 3] = [Nature::Total, Nature::Basic, Nature::Project];

    pub fn key(self) -> &'static str {
        match self {
            Nature::Total => "total",
            Nature::Basic => "basic",
            Nature::Project => "project",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Nature::Total => "合计",
            Nature::Basic => "基本支出",
            Nature::Project => "项目支出",
        }
    }
}

/// What a classified amount measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    Expenditure,
    Revenue,
    CarryIn,
    CarryOut,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Expenditure,
        Measure::Revenue,
        Measure::CarryIn,
        Measure::CarryOut,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Measure::Expenditure => "expenditure",
            Measure::Revenue => "revenue",
            Measure::CarryIn => "carry_in",
            Measure::CarryOut => "carry_out",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// 三公经费 categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SangongCategory {
    Total,
    Abroad,
    Vehicle,
    VehiclePurchase,
    VehicleOperation,
    Reception,
}

impl SangongCategory {
    pub const ALL: [SangongCategory; 6] = [
        SangongCategory::Total,
        SangongCategory::Abroad,
        SangongCategory::Vehicle,
        SangongCategory::VehiclePurchase,
        SangongCategory::VehicleOperation,
        SangongCategory::Reception,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SangongCategory::Total => "total",
            SangongCategory::Abroad => "abroad",
            SangongCategory::Vehicle => "vehicle",
            SangongCategory::VehiclePurchase => "vehicle_purchase",
            SangongCategory::VehicleOperation => "vehicle_operation",
            SangongCategory::Reception => "reception",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            SangongCategory::Total => "三公经费合计",
            SangongCategory::Abroad => "因公出国(境)费",
            SangongCategory::Vehicle => "公务用车购置及运行费",
            SangongCategory::VehiclePurchase => "公务用车购置费",
            SangongCategory::VehicleOperation => "公务用车运行维护费",
            SangongCategory::Reception => "公务接待费",
        }
    }
}

/// Name of the unit that stands for a whole department.
pub const UNIT_WHOLE_DEPARTMENT: &str = "全部门";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_key(s.key()), Some(s));
        }
        for f in Fund::ALL {
            assert_eq!(Fund::from_key(f.key()), Some(f));
        }
        for n in Nature::ALL {
            assert_eq!(Nature::from_key(n.key()), Some(n));
        }
        for m in Measure::ALL {
            assert_eq!(Measure::from_key(m.key()), Some(m));
        }
        for c in SangongCategory::ALL {
            assert_eq!(SangongCategory::from_key(c.key()), Some(c));
        }
        assert_eq!(Stage::from_key("budget"), None);
    }
}
