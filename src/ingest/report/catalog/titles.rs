//! Table titles: the standard tables this reader knows ([`Kind`]) and the title variants that name
//! them, recognised by their words.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The standard tables this reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 公开01 收入支出决算总表
    FinalSummary,
    /// 公开02 收入决算表
    FinalRevenue,
    /// 公开03 支出决算表
    FinalExpenditure,
    /// 公开04 财政拨款收入支出决算总表
    FinalFiscalSummary,
    /// 公开05 一般公共预算财政拨款支出决算表
    FinalGeneralBudget,
    /// 公开06 一般公共预算财政拨款基本支出决算表
    FinalBasic,
    /// 公开07 “三公”经费支出决算表
    FinalSangong,
    /// 公开08 政府性基金预算财政拨款收入支出决算表
    FinalGovFund,
    /// 公开09 国有资本经营预算财政拨款支出决算表
    FinalStateCapital,
    /// 预算表1 收支总表
    BudgetSummary,
    /// 预算表2 收入总表
    BudgetRevenue,
    /// 预算表3 支出总表
    BudgetExpenditure,
    /// 预算表4 基本支出总表
    BudgetBasic,
    /// 预算表5 项目支出总表
    BudgetProjects,
    /// 预算表6 政府预算拨款收支总表 / 财政拨款收支总表
    BudgetFiscalSummary,
    /// 预算表7 一般公共预算支出表（按功能分类）
    BudgetGeneralFunctional,
    /// 预算表8 一般公共预算支出表（按经济分类）
    BudgetGeneralEconomic,
    /// 预算表9 一般公共预算“三公”经费支出表
    BudgetSangong,
    /// 预算表10 政府性基金预算支出表
    BudgetGovFund,
    /// 预算表11 国有资本经营预算支出表
    BudgetStateCapital,
    /// 预算表12 部门（单位）整体支出绩效目标表
    BudgetPerformance,
    /// 季度预算执行进度表 (表2-1 of a performance self-evaluation)
    Quarterly,
    /// 部门预算支出明细表 (年初预算 / 调整预算 / 决算 by 支出类别)
    ExpenditureDetail,
}

/// Title variants, normalised (see [`normalize_title`]).
pub(super) const TITLES: &[(Kind, &[&str])] = &[
    (
        Kind::FinalSummary,
        &["收入支出决算总表", "部门收支决算总表", "收支决算总表"],
    ),
    (Kind::FinalRevenue, &["收入决算表", "部门收入决算表"]),
    (Kind::FinalExpenditure, &["支出决算表", "部门支出决算表"]),
    (
        Kind::FinalFiscalSummary,
        &["财政拨款收入支出决算总表", "财政拨款收支决算总表"],
    ),
    (
        Kind::FinalGeneralBudget,
        &["一般公共预算财政拨款支出决算表"],
    ),
    (
        Kind::FinalBasic,
        &[
            "一般公共预算财政拨款基本支出决算表",
            "一般公共预算财政拨款基本支出决算明细表",
        ],
    ),
    (
        Kind::FinalSangong,
        &[
            "一般公共预算财政拨款三公经费支出决算表",
            "三公经费支出决算表",
            "财政拨款三公经费支出决算表",
        ],
    ),
    (
        Kind::FinalGovFund,
        &[
            "政府性基金预算财政拨款收入支出决算表",
            "政府性基金预算财政拨款支出决算表",
        ],
    ),
    (
        Kind::FinalStateCapital,
        &[
            "国有资本经营预算财政拨款支出决算表",
            "国有资本经营预算财政拨款收入支出决算表",
        ],
    ),
    (
        Kind::BudgetSummary,
        &["收支总表", "部门收支总表", "收支预算总表"],
    ),
    (
        Kind::BudgetRevenue,
        &["收入总表", "部门收入总表", "收入预算总表"],
    ),
    (
        Kind::BudgetExpenditure,
        &["支出总表", "部门支出总表", "支出预算总表"],
    ),
    (
        Kind::BudgetBasic,
        &["基本支出总表", "基本支出表", "基本支出预算表"],
    ),
    (
        Kind::BudgetProjects,
        &["项目支出总表", "项目支出表", "项目支出预算表"],
    ),
    (
        Kind::BudgetFiscalSummary,
        &[
            "政府预算拨款收支总表",
            "财政拨款收支总表",
            "财政拨款收支预算总表",
        ],
    ),
    (
        Kind::BudgetGeneralFunctional,
        &[
            "一般公共预算支出表(按功能分类)",
            "一般公共预算支出表按功能分类",
            "一般公共预算支出功能分类表",
        ],
    ),
    (
        Kind::BudgetGeneralEconomic,
        &[
            "一般公共预算支出表(按经济分类)",
            "一般公共预算支出表按经济分类",
            "一般公共预算支出经济分类表",
            "一般公共预算基本支出表",
        ],
    ),
    (
        Kind::BudgetSangong,
        &[
            "一般公共预算三公经费支出表",
            "三公经费支出表",
            "三公经费预算表",
            "一般公共预算三公经费支出预算表",
        ],
    ),
    (
        Kind::BudgetGovFund,
        &["政府性基金预算支出表", "政府性基金支出表"],
    ),
    (Kind::BudgetStateCapital, &["国有资本经营预算支出表"]),
    (
        Kind::BudgetPerformance,
        &[
            "部门(单位)整体支出绩效目标表",
            "部门整体支出绩效目标表",
            "整体支出绩效目标表",
        ],
    ),
    (Kind::ExpenditureDetail, &["部门预算支出明细表"]),
];

impl Kind {
    /// Whether the table belongs to a 决算 (final accounts).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Kind::FinalSummary
                | Kind::FinalRevenue
                | Kind::FinalExpenditure
                | Kind::FinalFiscalSummary
                | Kind::FinalGeneralBudget
                | Kind::FinalBasic
                | Kind::FinalSangong
                | Kind::FinalGovFund
                | Kind::FinalStateCapital
        )
    }

    /// Table id used in `source_table` when the text prints no `公开NN表` marker.
    pub fn default_id(self) -> &'static str {
        match self {
            Kind::FinalSummary => "公开01",
            Kind::FinalRevenue => "公开02",
            Kind::FinalExpenditure => "公开03",
            Kind::FinalFiscalSummary => "公开04",
            Kind::FinalGeneralBudget => "公开05",
            Kind::FinalBasic => "公开06",
            Kind::FinalSangong => "公开07",
            Kind::FinalGovFund => "公开08",
            Kind::FinalStateCapital => "公开09",
            Kind::BudgetSummary => "预算表1",
            Kind::BudgetRevenue => "预算表2",
            Kind::BudgetExpenditure => "预算表3",
            Kind::BudgetBasic => "预算表4",
            Kind::BudgetProjects => "预算表5",
            Kind::BudgetFiscalSummary => "预算表6",
            Kind::BudgetGeneralFunctional => "预算表7",
            Kind::BudgetGeneralEconomic => "预算表8",
            Kind::BudgetSangong => "预算表9",
            Kind::BudgetGovFund => "预算表10",
            Kind::BudgetStateCapital => "预算表11",
            Kind::BudgetPerformance => "预算表12",
            Kind::Quarterly => "季度执行表",
            Kind::ExpenditureDetail => "部门预算支出明细表",
        }
    }
}

pub(super) static PREFIX: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-*+]|表\d+(?:-\d+)?|附表\d+|公开0?\d+表|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、]|\d{4}年度?)",
    )
    .ok()
});
pub(super) static TABLE_NO: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^表(\d+(?:-\d+)?)").ok());
pub(super) static MARKER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*公开\s*0?(\d{1,2})\s*表\s*$").ok());
pub(super) static UNIT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"单位\s*[:：]\s*(万元|元)").ok());
pub(super) static META_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:部门|部门名称|编制部门|编制单位|单位)\s*[:：]|单位\s*[:：]\s*(?:万元|元)")
        .ok()
});

/// Title text normalised for matching: no `#`, whitespace, quotes; ASCII parentheses; leading
/// ordinals, table numbers and years removed.
pub fn normalize_title(line: &str) -> String {
    let mut t: String = line
        .trim()
        .trim_start_matches('#')
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
        })
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    if let Some(rx) = PREFIX.as_ref() {
        // strip repeated prefixes such as `- (一)` or `表1` `2023年`
        for _ in 0..4 {
            let Some(m) = rx.find(&t) else { break };
            if m.end() == 0 || m.end() >= t.len() {
                break;
            }
            t = t.get(m.end()..).unwrap_or("").to_owned();
        }
    }
    t
}

/// Which table a line is the title of, if any.
pub fn title_kind(line: &str, department: Option<&str>) -> Option<Kind> {
    let raw = line.trim();
    if raw.is_empty() || raw.chars().count() > 60 || raw.starts_with('|') || raw.contains('\t') {
        return None;
    }
    let mut t = normalize_title(raw);
    if let Some(d) = department
        && let Some(rest) = t.strip_prefix(d)
    {
        t = rest.to_owned();
        if let Some(rx) = PREFIX.as_ref()
            && let Some(m) = rx.find(&t)
            && m.end() < t.len()
        {
            t = t.get(m.end()..).unwrap_or("").to_owned();
        }
    }
    for (kind, variants) in TITLES {
        if variants.iter().any(|v| *v == t) {
            return Some(*kind);
        }
    }
    if t.contains("季度") && (t.contains("执行进度") || t.contains("支出进度")) && t.ends_with('表')
    {
        return Some(Kind::Quarterly);
    }
    classify_title(&t)
}

pub(super) static NUMBERING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[:：.、．\-—]+|(?:公开|预算|部门预算|附)?表[0-9一二三四五六七八九十]{1,3}(?:[-—][0-9]{1,2})?[.、:：．]?|(?:公开|预算)[0-9]{1,3}表|[0-9一二三四五六七八九十]{1,3}[.、．]|\d{3,6}-)",
    )
    .ok()
});
pub(super) static TRAILING_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:\((?:公开|预算)?表?[0-9一二三四五六七八九十]{1,3}表?\)|(?:公开|预算)?表?[0-9]{1,3}表?)$").ok()
});

/// Which standard table a title names, by its words rather than an exact variant: the many
/// regional forms (`2026年预算单位财务收支预算总表`, `收支总体情况表`, `预算01表 收支总表`,
/// `收支总表（预算表1）`, `一般公共预算基本支出情况表（按经济分类科目）`, …). `t` is normalised
/// ([`normalize_title`]). Titles that do not end in 表 (after a trailing table number or
/// parenthesis), long lines and lines of prose are not titles.
pub fn classify_title(t: &str) -> Option<Kind> {
    let mut t = t.to_owned();
    // leading numbering and years, repeatedly (`表一`, `预算01表`, `1.`, `2026年`)
    for _ in 0..4 {
        let before = t.clone();
        for rx in [NUMBERING.as_ref(), PREFIX.as_ref()].into_iter().flatten() {
            if let Some(m) = rx.find(&t)
                && m.end() > 0
                && m.end() < t.len()
            {
                t = t.get(m.end()..).unwrap_or("").to_owned();
            }
        }
        if let Some(rest) = t.strip_prefix("年度").or_else(|| t.strip_prefix('年')) {
            t = rest.to_owned();
        }
        if t == before {
            break;
        }
    }
    if let Some(rx) = TRAILING_NUMBER.as_ref()
        && let Some(m) = rx.find(&t)
        && m.start() > 0
    {
        t.truncate(m.start());
    }
    // a trailing parenthesis qualifies the table: `(按功能分类)`, `(经济科目)`
    let (body, qualifier) = match t.rfind('(') {
        Some(i) if t.ends_with(')') && i > 0 => (
            t.get(..i).unwrap_or("").to_owned(),
            t.get(i..).unwrap_or("").to_owned(),
        ),
        _ => (t.clone(), String::new()),
    };
    let chars = body.chars().count();
    if !body.ends_with('表')
        || !(3..=32).contains(&chars)
        || body.contains(['，', '。', '；', ',', ';', ':', '：'])
        || ["说明", "目录", "详见", "附件", "如下", "公开表"]
            .iter()
            .any(|w| body.ends_with(w) || body.contains("说明"))
    {
        return None;
    }
    let all = format!("{body}{qualifier}");
    let has = |k: &str| all.contains(k);
    let fin = has("决算");
    let pick = |f: Kind, b: Kind| Some(if fin { f } else { b });
    if has("自评") || has("评价") || has("明细") && has("项目") {
        return None;
    }
    if has("绩效") {
        return None; // target forms: only the exact standard titles are listed (manifest only)
    }
    if has("三公") {
        return pick(Kind::FinalSangong, Kind::BudgetSangong);
    }
    if has("政府性基金") {
        return pick(Kind::FinalGovFund, Kind::BudgetGovFund);
    }
    if has("国有资本经营") {
        return pick(Kind::FinalStateCapital, Kind::BudgetStateCapital);
    }
    if has("政府采购") || has("机关运行") || has("资产") || has("转移支付") || has("专项")
    {
        return None;
    }
    let fiscal = has("财政拨款") || has("预算拨款");
    if has("收支") || has("收入") && has("支出") {
        return if fiscal {
            pick(Kind::FinalFiscalSummary, Kind::BudgetFiscalSummary)
        } else {
            pick(Kind::FinalSummary, Kind::BudgetSummary)
        };
    }
    if has("收入") {
        return pick(Kind::FinalRevenue, Kind::BudgetRevenue);
    }
    if has("一般公共预算") {
        if has("项目支出") {
            return None; // 项目支出 by economic class: not a standard table here
        }
        let functional = has("功能分类") || has("功能科目");
        if functional && has("基本支出") {
            // 基本支出 by functional class (Xi'an 表7): its figures are the 基本支出 columns of the
            // functional table; not a standard table of its own
            return None;
        }
        if !functional && (has("基本支出") || has("经济分类") || has("经济科目")) {
            return pick(Kind::FinalBasic, Kind::BudgetGeneralEconomic);
        }
        return pick(Kind::FinalGeneralBudget, Kind::BudgetGeneralFunctional);
    }
    if fiscal {
        return None; // 财政拨款支出表 by function / economic class: covered by other tables
    }
    if has("基本支出") {
        return (!fin).then_some(Kind::BudgetBasic);
    }
    if has("项目支出") || has("项目预算") {
        return (!fin).then_some(Kind::BudgetProjects);
    }
    if has("支出") {
        return pick(Kind::FinalExpenditure, Kind::BudgetExpenditure);
    }
    None
}
