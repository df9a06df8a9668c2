//! The closed vocabularies of canonical keys that are not codes: the items of `totals.csv` and
//! the revenue sources of `revenue.csv` (see `docs/DATA_FORMAT.md`). Readers write these keys and
//! analysis compares with them; neither spells a key as a string literal.

/// An enum of canonical keys: `ALL`, `key()` (the text in files) and `from_key()`.
macro_rules! keyed {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $key:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every key, in the documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The key as written in canonical files.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// The key read from a canonical file (`None` for one not in the vocabulary).
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

keyed! {
    /// `totals.item`: figures published as table footers, in non-code tables or in the narrative.
    TotalsItem {
        /// 支出合计
        ExpenditureTotal => "expenditure_total",
        /// 基本支出
        Basic => "basic",
        /// 项目支出
        Project => "project",
        /// 人员经费
        Personnel => "personnel",
        /// 公用经费
        Public => "public",
        /// 日常公用经费
        DailyPublic => "daily_public",
        /// 对个人和家庭的补助
        HouseholdSubsidy => "household_subsidy",
        /// 年末结转和结余
        CarryOut => "carry_out",
        /// 总计 (expenditure side)
        GrandTotal => "grand_total",
        /// 机关运行经费
        AdminRunning => "admin_running",
        /// 政府采购支出总额
        ProcurementTotal => "procurement_total",
        /// 政府采购货物
        ProcurementGoods => "procurement_goods",
        /// 政府采购工程
        ProcurementWorks => "procurement_works",
        /// 政府采购服务
        ProcurementServices => "procurement_services",
        /// 授予中小企业合同金额
        ProcurementSme => "procurement_sme",
        /// 收入合计 (where only a narrative states it)
        RevenueTotal => "revenue_total",
    }
}

keyed! {
    /// `revenue.source_key`: where revenue comes from, and the table's total lines.
    RevenueSource {
        /// 一般公共预算财政拨款
        GeneralBudget => "general_budget",
        /// 政府性基金预算财政拨款
        GovFund => "gov_fund",
        /// 国有资本经营预算财政拨款
        StateCapital => "state_capital",
        /// 财政拨款 / 政府预算拨款 (total of the three above)
        Fiscal => "fiscal",
        /// 财政专户管理资金
        FiscalSpecialAccount => "fiscal_special_account",
        /// 单位资金
        UnitFunds => "unit_funds",
        /// 上级补助收入
        SuperiorSubsidy => "superior_subsidy",
        /// 事业收入
        Business => "business",
        /// 经营收入
        Operating => "operating",
        /// 附属单位上缴收入
        Affiliated => "affiliated",
        /// 其他收入
        Other => "other",
        /// 使用非财政拨款结余
        NonFiscalBalanceUsed => "non_fiscal_balance_used",
        /// 本年收入合计
        RevenueTotal => "revenue_total",
        /// 年初结转和结余
        CarryIn => "carry_in",
        /// 上年（实户资金）余额, counted with the 结转
        CarryInBalance => "carry_in_balance",
        /// 年初财政拨款结转和结余 of one fund
        CarryInGeneralBudget => "carry_in_general_budget",
        /// 年初财政拨款结转和结余 of 政府性基金
        CarryInGovFund => "carry_in_gov_fund",
        /// 年初财政拨款结转和结余 of 国有资本经营
        CarryInStateCapital => "carry_in_state_capital",
        /// 总计
        GrandTotal => "grand_total",
        /// 一般公共预算: 基本支出拨款
        GbBasic => "gb_basic",
        /// 一般公共预算: 履职类项目拨款
        GbDutyProject => "gb_duty_project",
        /// 一般公共预算: 财政专项资金拨款
        GbSpecial => "gb_special",
        /// 一般公共预算: 政府投资项目拨款
        GbInvestment => "gb_investment",
    }
}

impl RevenueSource {
    /// A 年初结转和结余 line (the total, a balance beside it, or one fund's part).
    pub fn is_carry_in(self) -> bool {
        matches!(
            self,
            RevenueSource::CarryIn
                | RevenueSource::CarryInBalance
                | RevenueSource::CarryInGeneralBudget
                | RevenueSource::CarryInGovFund
                | RevenueSource::CarryInStateCapital
        )
    }

    /// A part of the 2023 收入总表 breakdown of 一般公共预算 (基本 / 履职 / 专项 / 投资).
    pub fn is_general_budget_part(self) -> bool {
        matches!(
            self,
            RevenueSource::GbBasic
                | RevenueSource::GbDutyProject
                | RevenueSource::GbSpecial
                | RevenueSource::GbInvestment
        )
    }
}
