//! Finding the standard tables by their titles, and cutting each into chunks of cell rows.
//!
//! A **title** is a line that, once markdown `#`, spaces, quotes and a leading ordinal / table
//! number (`（一）`, `表 1`, `公开 01 表`, `2023 年`) are removed, equals one of the known title
//! variants. A table's body starts after its title and ends at the first prose line (a line that is
//! neither blank nor a table line, e.g. `注：…`), a markdown heading or the next title. A title
//! repeated right after its own table (a table continued on the next page) opens another
//! **chunk** of the same table; each chunk has its own header rows. Titles with no table line
//! before the next title (table-of-contents entries) are ignored.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{self, Layout, nospace};
use super::numbers::{Cell, read_cell, strip_tags};

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
const TITLES: &[(Kind, &[&str])] = &[
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

static PREFIX: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-*+]|表\d+(?:-\d+)?|附表\d+|公开0?\d+表|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、]|\d{4}年度?)",
    )
    .ok()
});
static TABLE_NO: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^表(\d+(?:-\d+)?)").ok());
static MARKER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*公开\s*0?(\d{1,2})\s*表\s*$").ok());
static UNIT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"单位\s*[:：]\s*(万元|元)").ok());
static META_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
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

static NUMBERING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[:：.、．\-—]+|(?:公开|预算|部门预算|附)?表[0-9一二三四五六七八九十]{1,3}(?:[-—][0-9]{1,2})?[.、:：．]?|(?:公开|预算)[0-9]{1,3}表|[0-9一二三四五六七八九十]{1,3}[.、．]|\d{3,6}-)",
    )
    .ok()
});
static TRAILING_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
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

/// A table row: its 1-based line and its cells (aligned to the header columns).
#[derive(Clone, Debug)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }

    /// Whether the row prints no text at all.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| strip_tags(c).trim().is_empty())
    }
}

/// One chunk of a table (one page): header rows and body rows.
#[derive(Clone, Debug)]
pub struct Grid {
    pub layout: Layout,
    pub title_line: usize,
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
}

impl Grid {
    /// Header text of column `i`: every header row's cell, spaces and tags removed, joined
    /// (column-number rows such as `栏次 1 2 3` are left out).
    pub fn head(&self, i: usize) -> String {
        self.header
            .iter()
            .filter(|r| !is_column_numbers(r))
            .map(|r| nospace(&strip_tags(r.get(i))))
            .collect()
    }

    /// The lowest non-empty header cell of column `i` and the non-empty cell above it.
    pub fn head_bottom(&self, i: usize) -> (String, Option<String>) {
        let cells: Vec<String> = self
            .header
            .iter()
            .filter(|r| !is_column_numbers(r))
            .map(|r| nospace(&strip_tags(r.get(i))))
            .filter(|c| !c.is_empty())
            .collect();
        let mut it = cells.into_iter().rev();
        let bottom = it.next().unwrap_or_default();
        (bottom, it.next())
    }

    pub fn width(&self) -> usize {
        self.header
            .iter()
            .chain(&self.rows)
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
    }
}

/// A table found in the text.
#[derive(Clone, Debug)]
pub struct Region {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub title_line: usize,
    /// Printed unit (`万元` / `元`), if the table prints one.
    pub unit_label: Option<String>,
    pub chunks: Vec<Grid>,
    /// Whether the text near the table says nothing occurred (`无发生额`).
    pub says_nothing_occurred: bool,
}

/// Whether a row is the column-number row (`栏次 1 2 3 …` or just `1 2 3 …`).
pub fn is_column_numbers(r: &Row) -> bool {
    let first = nospace(r.get(0));
    if first == "栏次" {
        return true;
    }
    // `**` / `*` mark the label columns of a column-number row (`** ** ** ** 1 2 3`)
    let nums: Vec<&String> = r
        .cells
        .iter()
        .filter(|c| !c.trim().is_empty() && !c.trim().chars().all(|ch| ch == '*'))
        .collect();
    let starred = r
        .cells
        .iter()
        .any(|c| !c.trim().is_empty() && c.trim().chars().all(|ch| ch == '*'));
    if nums.is_empty() || nums.len() < 3 && !starred {
        return false;
    }
    let mut expect = 1u32;
    for c in nums {
        if nospace(c) == "栏次" {
            continue;
        }
        match c.trim().parse::<u32>() {
            Ok(v) if v == expect => expect += 1,
            _ => return false,
        }
    }
    true
}

/// Whether a cell holds a classification code (3/5/7 digits, or split `208 05 01`).
pub fn is_code(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split_whitespace().collect();
    if parts.is_empty() || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let joined: usize = parts.iter().map(|p| p.len()).sum();
    matches!(joined, 3 | 5 | 7)
        && parts.first().is_some_and(|p| p.len() >= 3)
        && (parts.len() == 1 || parts.iter().skip(1).all(|p| p.len() == 2))
}

fn is_data_row(r: &Row) -> bool {
    if is_column_numbers(r) {
        return false;
    }
    if r.cells.iter().take(3).any(|c| is_code(c.trim())) {
        return true;
    }
    r.cells
        .iter()
        .any(|c| matches!(read_cell(c), Cell::Number(_)))
}

fn is_meta_line(line: &str) -> bool {
    META_LINE.as_ref().is_some_and(|rx| rx.is_match(line))
}

/// Prose lines allowed between a title and its table (e.g. `公开 01 表`, a note on the unit).
const MAX_PROSE_BEFORE_TABLE: usize = 3;

/// Layout of the table that follows a title, if a table follows it closely.
fn first_layout(lines: &[&str]) -> Option<Layout> {
    let mut prose = 0usize;
    for l in lines {
        if l.trim_start().starts_with('#') {
            return None;
        }
        if l.trim().is_empty() || is_meta_line(l) {
            continue;
        }
        if l.contains('\t') {
            return Some(Layout::Tab);
        }
        if l.trim_start().starts_with('|') {
            return Some(Layout::Pipe);
        }
        if layout::spaced_spans(l).len() >= 2 {
            return Some(Layout::Spaced);
        }
        prose += 1;
        if prose > MAX_PROSE_BEFORE_TABLE {
            return None;
        }
    }
    None
}

/// Find every standard table of the document.
/// Lines that look like a table's title, with a table printed right under them, but name no
/// table this reader knows (and are no title of a table it read): (0-based line, title). Listed
/// in the import report so a user knows what was not imported.
pub fn unrecognised_titles(lines: &[&str], regions: &[Region]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = nospace(l.trim().trim_start_matches('#'));
        let n = t.chars().count();
        if !t.ends_with('表')
            || !(4..=40).contains(&n)
            || t.contains(['，', '。', '；', '：', ':', '\t'])
            || l.contains('\t')
            || t.contains("说明")
            || t.contains("目录")
            || t.contains("自评")
            || t.contains("绩效")
            || title_kind(l, None).is_some()
            // a table number alone (`公开01表`, the marker of the title beside it) or a part
            // heading (`第二部分 2026年部门预算表`)
            || t.trim_end_matches('表')
                .trim_start_matches(['公', '开', '预', '算', '表'])
                .chars()
                .all(|c| c.is_ascii_digit())
            || t.starts_with('第') && t.contains("部分")
            // next to the title of a table that was read (its marker or subtitle)
            || regions
                .iter()
                .any(|r| (i + 1).abs_diff(r.title_line) <= 2)
        {
            continue;
        }
        // a table right under it (its header rows within the next few lines)
        let table_follows = lines.iter().skip(i + 1).take(4).any(|x| x.contains('\t'));
        if table_follows {
            out.push((i, t));
        }
    }
    out
}

pub fn find_tables(lines: &[&str], department: Option<&str>) -> Vec<Region> {
    let titles: Vec<(usize, Kind)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| title_kind(l, department).map(|k| (i, k)))
        .collect();
    let mut regions: Vec<Region> = Vec::new();
    let running = running_headers(lines);
    for (t, &(idx, kind)) in titles.iter().enumerate() {
        let next = titles.get(t + 1).map_or(lines.len(), |(n, _)| *n);
        let window = lines.get(idx + 1..next).unwrap_or(&[]);
        let Some(lay) = first_layout(window) else {
            continue; // a 目录 entry or a heading that happens to read like a title
        };
        let mut body: Vec<(usize, &str)> = Vec::new();
        let mut started = false;
        let mut end = idx + 1 + window.len();
        let mut unit_label = None;
        for (k, l) in window.iter().enumerate() {
            let n = idx + 1 + k; // 0-based index
            if let Some(u) = UNIT.as_ref().and_then(|rx| rx.captures(l))
                && let Some(m) = u.get(1)
            {
                unit_label.get_or_insert_with(|| m.as_str().to_owned());
                continue;
            }
            if l.trim().is_empty() || is_meta_line(l) {
                continue;
            }
            if l.trim_start().starts_with('#') {
                end = n;
                break;
            }
            if layout::is_table_line(l, lay) {
                started = true;
                body.push((n + 1, l));
            } else if started {
                end = n;
                break;
            }
        }
        let tail_end = (end + 6).min(next);
        let nothing = lines
            .get(end..tail_end)
            .unwrap_or(&[])
            .iter()
            .take_while(|l| !l.trim_start().starts_with('#'))
            .any(|l| l.contains("无发生额"));
        let mut parts = build_grids(lay, idx + 1, &body).into_iter();
        let Some(grid) = parts.next() else { continue };
        let mut continued: Vec<Grid> = parts.collect();
        continued.extend(continuation_chunks(
            lines,
            (end, next),
            lay,
            &grid,
            &running,
        ));
        let title_text = display_title(lines.get(idx).copied().unwrap_or(""));
        // continuation of the previous table (same title repeated on the next page)?
        let same_title = |prev: &str| {
            let strip = |x: &str| {
                nospace(x)
                    .replace(['(', ')', '（', '）'], "")
                    .replace("续表", "")
                    .replace('续', "")
            };
            strip(prev) == strip(&title_text)
        };
        if let Some(prev) = regions.last_mut()
            && prev.kind == kind
            && titles.get(t.wrapping_sub(1)).is_some_and(|p| p.1 == kind)
            && same_title(&prev.title)
        {
            prev.chunks.push(grid);
            prev.chunks.extend(continued);
            prev.says_nothing_occurred |= nothing;
            if prev.unit_label.is_none() {
                prev.unit_label = unit_label;
            }
            continue;
        }
        let marker = lines
            .get(idx + 1..(idx + 5).min(next))
            .unwrap_or(&[])
            .iter()
            .find_map(|l| {
                let c = MARKER.as_ref()?.captures(l)?;
                let n: u32 = c.get(1)?.as_str().parse().ok()?;
                Some(format!("公开{n:02}"))
            });
        let id = match (marker, kind) {
            (Some(m), k) if k.is_final() => m,
            (_, Kind::Quarterly) => {
                let norm: String = nospace(&title_text);
                let raw_title = nospace(lines.get(idx).copied().unwrap_or(""));
                TABLE_NO
                    .as_ref()
                    .and_then(|rx| rx.captures(&raw_title))
                    .and_then(|c| c.get(1).map(|m| format!("表{}", m.as_str())))
                    .unwrap_or(norm)
            }
            (_, k) => k.default_id().to_owned(),
        };
        // a second table of the same kind (two economic tables, Xi'an 表6 and 表8) gets an id of
        // its own (a title without rows before it, such as a contents line, does not count)
        let taken = |id: &str| {
            regions
                .iter()
                .any(|r| r.id == id && r.chunks.iter().any(|c| !c.rows.is_empty()))
        };
        let id = if taken(&id) {
            (2..)
                .map(|n| format!("{id}-{n}"))
                .find(|c| !taken(c))
                .unwrap_or(id)
        } else {
            id
        };
        regions.push(Region {
            kind,
            id,
            title: title_text,
            title_line: idx + 1,
            unit_label,
            chunks: std::iter::once(grid).chain(continued).collect(),
            says_nothing_occurred: nothing,
        });
    }
    regions
}

/// Running headers: short non-table lines printed three times or more in the document.
fn running_headers(lines: &[&str]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in lines {
        let t = nospace(l.trim());
        if !t.is_empty() && t.chars().count() <= 40 && !l.contains('\t') {
            *counts.entry(t).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(t, _)| t)
        .collect()
}

static PAGE_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[-—–－\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*(?:/|页\s*[，,])\s*共?\s*\d+\s*页?)?[-—–－\s]*$").ok()
});

/// Lines between a table and its continuation on the next page: blank lines, page numbers,
/// notes, unit lines, and short lines printed at the top of several pages (running headers).
fn is_furniture(line: &str, running: &std::collections::HashSet<String>) -> bool {
    let t = line.trim();
    t.is_empty()
        || PAGE_NUMBER.as_ref().is_some_and(|rx| rx.is_match(t))
        || t.starts_with('注')
        || is_meta_line(line)
        || running.contains(&nospace(t))
}

/// Body chunks that continue a table on the following pages without a repeated title: after the
/// table ends, only page furniture (see [`is_furniture`]) and then rows of the same layout and,
/// for separated layouts, the same number of cells.
fn continuation_chunks(
    lines: &[&str],
    (end, next): (usize, usize),
    lay: Layout,
    first: &Grid,
    running: &std::collections::HashSet<String>,
) -> Vec<Grid> {
    let width = first.width();
    let mut out = Vec::new();
    let mut i = end;
    while i < next {
        let Some(l) = lines.get(i) else { break };
        if l.trim_start().starts_with('#') {
            break;
        }
        if is_furniture(l, running) && !layout::is_table_line(l, lay) {
            i += 1;
            continue;
        }
        if !layout::is_table_line(l, lay) {
            break;
        }
        let mut body: Vec<(usize, &str)> = Vec::new();
        while let Some(l) = lines.get(i).filter(|_| i < next) {
            if !layout::is_table_line(l, lay) {
                break;
            }
            body.push((i + 1, l));
            i += 1;
        }
        let grids = build_grids(lay, body.first().map_or(i, |b| b.0), &body);
        // the same table: as many columns, or its header printed again (in other columns)
        let head_key = |g: &Grid| {
            nospace(
                &g.header
                    .iter()
                    .map(|r| r.cells.join(""))
                    .collect::<String>(),
            )
        };
        let same_shape = |g: &Grid| {
            lay == Layout::Spaced
                || g.width() == width
                || !g.header.is_empty() && head_key(g) == head_key(first)
        };
        if grids.iter().any(|g| !same_shape(g) || g.rows.is_empty()) {
            break;
        }
        out.extend(grids);
    }
    out
}

/// The title as stored in the manifest: `#`, spaces and a leading table number removed.
fn display_title(line: &str) -> String {
    let t = nospace(line.trim().trim_start_matches('#'));
    TABLE_NO
        .as_ref()
        .and_then(|rx| rx.find(&t))
        .filter(|m| m.end() < t.len())
        .map_or(t.clone(), |m| t.get(m.end()..).unwrap_or("").to_owned())
}

/// [`build_grid`], split where the header is printed again with its cells in other columns (a
/// ruled table continued on a page whose ruling adds or drops an empty column): each part is read
/// against its own header, never against columns shifted by one.
pub fn build_grids(lay: Layout, title_line: usize, body: &[(usize, &str)]) -> Vec<Grid> {
    let cells = |l: &str| -> Option<Vec<String>> {
        match lay {
            Layout::Tab => Some(layout::tab_cells(l)),
            Layout::Pipe => layout::pipe_cells(l),
            Layout::Spaced => None,
        }
    };
    let mut splits: Vec<usize> = Vec::new();
    // the header row of the current part, compared with every repeat of it
    if let Some(mut head) = body.first().and_then(|(_, l)| cells(l)) {
        let key = nospace(&head.join(""));
        for (k, (n, l)) in body.iter().enumerate().skip(1) {
            let Some(c) = cells(l) else { continue };
            let row = Row {
                line: *n,
                cells: c.clone(),
            };
            if !key.is_empty() && !is_data_row(&row) && nospace(&c.join("")) == key && c != head {
                splits.push(k);
                head = c;
            }
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    for k in splits.into_iter().chain(std::iter::once(body.len())) {
        if let Some(part) = body.get(from..k).filter(|p| !p.is_empty()) {
            let line = if from == 0 {
                title_line
            } else {
                part.first().map_or(title_line, |p| p.0)
            };
            out.push(build_grid(lay, line, part));
        }
        from = k;
    }
    if out.is_empty() {
        out.push(build_grid(lay, title_line, body));
    }
    out
}

/// Cut a chunk's lines into header rows and body rows.
pub fn build_grid(lay: Layout, title_line: usize, body: &[(usize, &str)]) -> Grid {
    let raw: Vec<(usize, Vec<layout::Span>)> = body
        .iter()
        .filter_map(|&(n, l)| {
            let spans = match lay {
                Layout::Tab => layout::tab_cells(l)
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| layout::Span {
                        text,
                        start: i,
                        end: i + 1,
                    })
                    .collect(),
                Layout::Pipe => layout::pipe_cells(l)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| layout::Span {
                        text,
                        start: i,
                        end: i + 1,
                    })
                    .collect(),
                Layout::Spaced => layout::spaced_spans(l),
            };
            Some((n, spans))
        })
        .collect();
    let plain =
        |spans: &[layout::Span]| -> Vec<String> { spans.iter().map(|s| s.text.clone()).collect() };
    // header rows: before the first data row
    let first_data = raw
        .iter()
        .position(|(n, spans)| {
            is_data_row(&Row {
                line: *n,
                cells: plain(spans),
            })
        })
        .unwrap_or(raw.len());
    let (head_raw, body_raw) = raw.split_at(first_data);
    let rows_of = |part: &[(usize, Vec<layout::Span>)], cols: Option<&[(usize, usize)]>| {
        part.iter()
            .map(|(n, spans)| Row {
                line: *n,
                cells: match cols {
                    Some(c) => layout::align(spans, c),
                    None => plain(spans),
                },
            })
            .collect::<Vec<Row>>()
    };
    if lay != Layout::Spaced {
        let header = rows_of(head_raw, None);
        let mut rows = Vec::new();
        for r in rows_of(body_raw, None) {
            let key = nospace(&r.cells.join(""));
            let repeated = !key.is_empty()
                && !is_data_row(&r)
                && header.iter().any(|h| nospace(&h.cells.join("")) == key);
            if !repeated {
                rows.push(r);
            }
        }
        return Grid {
            layout: lay,
            title_line,
            header,
            rows,
        };
    }
    // space-aligned: the header row with the most cells defines the columns
    let defining = head_raw
        .iter()
        .filter(|(n, s)| {
            !is_column_numbers(&Row {
                line: *n,
                cells: plain(s),
            })
        })
        .max_by_key(|(_, s)| s.len())
        .or_else(|| body_raw.iter().max_by_key(|(_, s)| s.len()));
    let header_cols: Vec<(usize, usize)> = defining
        .map(|(_, s)| s.iter().map(|x| (x.start, x.end)).collect())
        .unwrap_or_default();
    // 类 | 款 | 项 printed on a header line of their own (under 科目编码): their own columns
    let mut cols = header_cols;
    for (_, spans) in head_raw {
        for sp in spans {
            let part = matches!(nospace(&sp.text).as_str(), "类" | "款" | "项");
            let free = cols.iter().all(|&(a, b)| sp.end <= a || sp.start >= b);
            if part && free {
                cols.push((sp.start, sp.end));
            }
        }
    }
    cols.sort_unstable();
    let clusters = layout::body_clusters(body_raw.iter().map(|(_, s)| s.as_slice()));
    let head_spans: Vec<layout::Span> = head_raw
        .iter()
        .filter(|(n, s)| {
            !is_column_numbers(&Row {
                line: *n,
                cells: plain(s),
            })
        })
        .flat_map(|(_, s)| s.iter().cloned())
        .collect();
    let cols = layout::amount_columns(
        cols,
        &head_spans,
        &clusters,
        body_raw.iter().map(|(_, s)| s.as_slice()),
    );
    let header = rows_of(head_raw, Some(&cols));
    let rows = body_raw
        .iter()
        .map(|(n, spans)| Row {
            line: *n,
            cells: layout::align_with(spans, &cols, &clusters),
        })
        .filter(|r| {
            let key = nospace(&r.cells.join(""));
            is_data_row(r) || !header.iter().any(|h| nospace(&h.cells.join("")) == key)
        })
        .collect();
    Grid {
        layout: lay,
        title_line,
        header,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_group_header_over_amount_columns() {
        // an unruled 收支总表 whose 支出 side prints 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出
        // on three header lines (Shanghai 单位预算 layout)
        let lines = [
            "                           本年收入                                                     本年支出",
            "                                                                                                      预算数",
            "                      项目                预算数               项目                                   基本支出",
            "                                                                                   合计                                   项目支出",
            "                                                                                               人员经费      公用经费",
            "          一、财政拨款收入               215,020,000  一、其他支出               216,801,570    17,499,901     3,362,962  195,938,707",
        ];
        let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        let grid = build_grid(Layout::Spaced, 0, &body);
        let row = &grid.rows[0].cells;
        let at = |text: &str| row.iter().position(|c| c == text).unwrap();
        let head = |text: &str| grid.head(at(text));
        assert!(
            head("216,801,570").ends_with("合计"),
            "{}",
            head("216,801,570")
        );
        assert!(
            head("17,499,901").ends_with("人员经费"),
            "{}",
            head("17,499,901")
        );
        assert!(
            head("3,362,962").ends_with("公用经费"),
            "{}",
            head("3,362,962")
        );
        assert!(
            head("195,938,707").ends_with("项目支出"),
            "{}",
            head("195,938,707")
        );
        assert_eq!(head("215,020,000"), "预算数");
    }

    #[test]
    fn spaced_code_column_under_a_wrapped_header() {
        // 科目代 / 码 printed above and below the header line that names the other columns; a
        // footer label runs across the code and name columns
        let lines = [
            "  科目代                             科目代",
            "             科目名称      决算数          科目名称      决算数",
            "   码                                 码",
            "  301    工资福利支出     92,835.98   302   商品和服务支出   2,085.91",
            "  30101  基本工资         32,390.68   30201 办公费             279.66",
            "  人员经费合计            92,835.98   公用经费合计         2,085.91",
        ];
        let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        let grid = build_grid(Layout::Spaced, 0, &body);
        let row = &grid.rows[0].cells;
        let at = |text: &str| row.iter().position(|c| c == text).unwrap();
        assert!(grid.head(at("301")).contains("代"), "{row:?}");
        assert!(grid.head(at("302")).contains("代"), "{row:?}");
        assert_eq!(grid.head(at("工资福利支出")), "科目名称");
        assert_eq!(grid.head(at("92,835.98")), "决算数");
    }

    #[test]
    fn header_repeated_in_other_columns_starts_a_part() {
        // page 1's ruling adds an empty first column, page 2's does not: each part is read
        // against its own header
        let lines = [
            "\t科目编码\t合计\t基本支出",
            "\t2010301\t10.00\t10.00",
            "科目编码\t合计\t基本支出",
            "2010302\t5.00\t5.00",
            "\t科目编码\t合计\t基本支出",
            "\t2010350\t7.00\t7.00",
        ];
        let body: Vec<(usize, &str)> = lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect();
        let grids = build_grids(Layout::Tab, 0, &body);
        assert_eq!(grids.len(), 3);
        for (g, code) in grids.iter().zip(["2010301", "2010302", "2010350"]) {
            let i = (0..g.width()).find(|&i| g.head(i) == "合计").unwrap();
            let c = (0..g.width()).find(|&i| g.head(i) == "科目编码").unwrap();
            assert_eq!(g.rows[0].get(c), code);
            assert!(g.rows[0].get(i).ends_with(".00"));
        }
    }

    #[test]
    fn unrecognised_tables_are_listed_by_title() {
        let lines = [
            "2026年政府采购预算明细表",
            "项目\t采购品目\t金额",
            "合计\t\t10.00",
            "公开12表",
            "第二部分 2026年部门预算表",
            "一、本表说明见下",
        ];
        let found = unrecognised_titles(&lines, &[]);
        assert_eq!(found, vec![(0, "2026年政府采购预算明细表".to_owned())]);
    }

    #[test]
    fn page_number_lines_are_furniture() {
        let none = std::collections::HashSet::new();
        for t in ["第10页，共45页", "- 3 -", "第 3 页"] {
            assert!(is_furniture(t, &none), "{t}");
        }
        assert!(!is_furniture("1,234", &none));
    }

    #[test]
    fn patterns_compile() {
        assert!(NUMBERING.is_some() && TRAILING_NUMBER.is_some() && PAGE_NUMBER.is_some());
        assert!(PREFIX.is_some() && TABLE_NO.is_some() && MARKER.is_some());
        assert!(UNIT.is_some() && META_LINE.is_some());
    }

    #[test]
    fn titles_with_variants() {
        assert_eq!(
            title_kind("### 收入支出决算总表", None),
            Some(Kind::FinalSummary)
        );
        assert_eq!(
            title_kind("一般公共预算支出表 (按功能分类)", None),
            Some(Kind::BudgetGeneralFunctional)
        );
        assert_eq!(
            title_kind("### 一般公共预算财政拨款“三公”经费支出决算表", None),
            Some(Kind::FinalSangong)
        );
        assert_eq!(
            title_kind("- (一) 收支总表", None),
            Some(Kind::BudgetSummary)
        );
        assert_eq!(
            title_kind("表 2-1 各季度预算执行进度情况表", None),
            Some(Kind::Quarterly)
        );
        assert_eq!(title_kind("收支总表说明如下", None), None);
        for (title, kind) in [
            ("2026年预算单位财务收支预算总表", Kind::BudgetSummary),
            ("表一 2026年单位收支总体情况表", Kind::BudgetSummary),
            ("预算01表 收支总表", Kind::BudgetSummary),
            ("收支总表（预算表1）", Kind::BudgetSummary),
            ("表1：2026年市级部门收支预算总表", Kind::BudgetSummary),
            ("公开表1 收支总体情况表", Kind::BudgetSummary),
            ("四、财政拨款收支总体情况表", Kind::BudgetFiscalSummary),
            ("2026年预算单位收入预算总表", Kind::BudgetRevenue),
            ("三、本年支出总体情况表", Kind::BudgetExpenditure),
            (
                "六、一般公共预算基本支出情况表（按经济分类科目）",
                Kind::BudgetGeneralEconomic,
            ),
            (
                "五、一般公共预算支出情况表（按功能分类科目）",
                Kind::BudgetGeneralFunctional,
            ),
            (
                "九、一般公共预算“三公”经费、会议费、培训费支出表",
                Kind::BudgetSangong,
            ),
            ("收入支出决算总表", Kind::FinalSummary),
            ("十一、部门预算基本支出预算表", Kind::BudgetBasic),
            (
                "2019年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）",
                Kind::BudgetGeneralEconomic,
            ),
        ] {
            assert_eq!(title_kind(title, None), Some(kind), "{title}");
        }
        for prose in [
            "表01",
            "（一）收支预算情况的总体说明（详见表1-3）",
            "四、2026年杭州市气象局预算公开表",
            "七、一般公共预算项目支出情况表（按经济分类科目）",
            "十二、政府采购预算情况表",
            "2019年部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
        ] {
            assert_eq!(title_kind(prose, None), None, "{prose}");
        }
        assert_eq!(
            title_kind("某某局2021年度收入决算表", Some("某某局")),
            Some(Kind::FinalRevenue)
        );
    }

    #[test]
    fn codes() {
        assert!(is_code("2080109"));
        assert!(is_code("208 05 01"));
        assert!(is_code("208"));
        assert!(!is_code("2080"));
        assert!(!is_code("20 805"));
        assert!(!is_code("1.38"));
    }
}
