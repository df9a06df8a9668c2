//! Reading context shared by the table grammars: located issues, cell reading with OCR repair,
//! unit conversion and provenance.

use rust_decimal::Decimal;

use crate::error::Location;

use super::emit::{Out, Prov, Who};
use super::numbers::{self, Cell};
use super::{Issue, Severity};

/// A figure read from a cell, converted to 万元.
#[derive(Clone, Debug)]
pub struct Val {
    /// Value in 万元 (or as printed for rates, scores and percentages).
    pub value: Decimal,
    /// OCR repair note, when the printed text was repaired.
    pub repair: Option<String>,
    pub percent: bool,
}

impl Val {
    /// Zero for a blank cell of a column the table has.
    pub fn blank() -> Self {
        Self {
            value: Decimal::ZERO,
            repair: None,
            percent: false,
        }
    }

    /// Add this value's flags and note to a row's provenance.
    pub fn mark(&self, prov: &mut Prov) {
        if let Some(r) = &self.repair {
            prov.flag("ocr_repaired");
            prov.note(r.clone());
        }
    }
}

/// What a cell read gave.
#[derive(Clone, Debug)]
pub enum Got {
    Blank,
    Value(Val),
    /// Text that is not a number (already reported as an error).
    Bad,
}

impl Got {
    pub fn value(&self) -> Option<&Val> {
        match self {
            Got::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Context of one table being read.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub who: Who,
    /// Stage of the document's own figures (`final`, `budget_initial`).
    pub stage: &'static str,
    /// `source_table`.
    pub id: String,
    /// `万元` or `元`.
    pub unit: &'static str,
    pub out: &'a mut Out,
    pub issues: Vec<Issue>,
    pub rows_read: usize,
}

impl Ctx<'_> {
    pub fn issue(&mut self, severity: Severity, line: Option<usize>, column: &str, msg: String) {
        self.issues.push(Issue {
            severity,
            location: Location {
                file: self.file.to_owned(),
                line,
                column: (!column.is_empty()).then(|| column.to_owned()),
            },
            message: msg,
        });
    }

    pub fn warn(&mut self, line: usize, column: &str, msg: impl Into<String>) {
        self.issue(Severity::Warning, Some(line), column, msg.into());
    }

    pub fn error(&mut self, line: usize, column: &str, msg: impl Into<String>) {
        self.issue(Severity::Error, Some(line), column, msg.into());
    }

    pub fn info(&mut self, line: usize, msg: impl Into<String>) {
        self.issue(Severity::Note, Some(line), "", msg.into());
    }

    /// Read a number as printed (no unit conversion); repairs are warnings, unreadable text
    /// an error.
    pub fn number(&mut self, line: usize, column: &str, raw: &str) -> Got {
        match numbers::read_cell(raw) {
            Cell::Blank => Got::Blank,
            Cell::Text => {
                self.error(
                    line,
                    column,
                    format!("无法读取数字 {:?}（未存储）", raw.trim()),
                );
                Got::Bad
            }
            Cell::Number(n) => {
                if let Some(r) = &n.repair {
                    self.warn(line, column, format!("已修复 OCR 数字：{r}"));
                }
                Got::Value(Val {
                    value: n.value,
                    repair: n.repair,
                    percent: n.percent,
                })
            }
        }
    }

    /// Read an amount and convert it to 万元 (元 ÷ 10000, exact).
    pub fn money(&mut self, line: usize, column: &str, raw: &str) -> Got {
        match self.number(line, column, raw) {
            Got::Value(mut v) => {
                if self.unit == "元" {
                    v.value = numbers::yuan_to_wan(v.value);
                }
                if v.value.normalize().scale() > crate::ingest::canonical::DECIMAL_SCALE {
                    self.error(
                        line,
                        column,
                        format!("金额 {:?} 换算为万元后超过 6 位小数（未存储）", raw.trim()),
                    );
                    return Got::Bad;
                }
                v.value = v.value.normalize();
                Got::Value(v)
            }
            other => other,
        }
    }

    /// The figure of one or more printed cells (`(column, raw)`), summed when several
    /// (基本支出 = 人员经费 + 公用经费), with whether every cell was blank. A blank cell counts
    /// as zero when `blank_ok`, else the figure is missing; an unreadable cell (reported) leaves
    /// no figure.
    pub fn money_sum(
        &mut self,
        line: usize,
        cells: &[(String, &str)],
        blank_ok: bool,
    ) -> Option<(Val, bool)> {
        let mut sum: Option<(Val, bool)> = None;
        for (column, raw) in cells {
            let (v, blank) = match self.money(line, column, raw) {
                Got::Value(v) => (v, false),
                Got::Blank if blank_ok => (Val::blank(), true),
                _ => return None,
            };
            sum = Some(match sum {
                None => (v, blank),
                Some((mut acc, acc_blank)) => {
                    // a sum that does not fit a decimal is no figure (never a panic)
                    let Some(total) = acc.value.checked_add(v.value) else {
                        self.error(
                            line,
                            column,
                            "各列相加超出可精确表示的范围（未存储）".to_owned(),
                        );
                        return None;
                    };
                    acc.value = total;
                    acc.repair = match (acc.repair, v.repair) {
                        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                        (a, b) => a.or(b),
                    };
                    (acc, acc_blank && blank)
                }
            });
        }
        sum
    }

    pub fn prov(&self, line: usize, label: &str) -> Prov {
        Prov::new(&self.id, line, label)
    }
}

/// The name of a column for locations: its header text, or its position.
pub fn column_name(head: &str, index: usize) -> String {
    if head.is_empty() {
        format!("第{}列", index + 1)
    } else {
        head.to_owned()
    }
}

/// Strip a leading ordinal (`一、`, `1.`, `（一）`) from a label.
pub fn strip_ordinal(label: &str) -> String {
    let mut chars = label.char_indices().peekable();
    let mut end = 0usize;
    // 一、 二十三、
    while let Some(&(i, c)) = chars.peek() {
        if "一二三四五六七八九十".contains(c) {
            chars.next();
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    if end > 0 && label.get(end..).is_some_and(|r| r.starts_with('、')) {
        return label.get(end + '、'.len_utf8()..).unwrap_or("").to_owned();
    }
    // 1. / 1、
    let digits = label.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = label.get(digits..).unwrap_or("");
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix('、')) {
            return r.trim_start().to_owned();
        }
    }
    // （一） (1)
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = label.strip_prefix(open)
            && let Some(p) = rest.find(close)
        {
            let inner = rest.get(..p).unwrap_or("");
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                return rest.get(p + close.len_utf8()..).unwrap_or("").to_owned();
            }
        }
    }
    label.to_owned()
}

/// A row label as published: tags and spaces removed.
pub fn clean_label(s: &str) -> String {
    super::layout::nospace(&numbers::strip_tags(s))
}

/// 支出功能分类 类 names (without the trailing 支出) → 3-digit code. Old names map to the code
/// they had.
const LEI_CODES: &[(&str, &str)] = &[
    ("一般公共服务", "201"),
    ("外交", "202"),
    ("国防", "203"),
    ("公共安全", "204"),
    ("教育", "205"),
    ("科学技术", "206"),
    ("文化旅游体育与传媒", "207"),
    ("文化体育与传媒", "207"),
    ("社会保障和就业", "208"),
    ("卫生健康", "210"),
    ("医疗卫生与计划生育", "210"),
    ("节能环保", "211"),
    ("城乡社区", "212"),
    ("农林水", "213"),
    ("交通运输", "214"),
    ("资源勘探工业信息等", "215"),
    ("商业服务业等", "216"),
    ("金融", "217"),
    ("援助其他地区", "219"),
    ("自然资源海洋气象等", "220"),
    ("住房保障", "221"),
    ("粮油物资储备", "222"),
    ("国有资本经营预算", "223"),
    ("灾害防治及应急管理", "224"),
    ("其他", "229"),
    ("债务还本", "231"),
    ("债务付息", "232"),
    ("抗疫特别国债安排的", "234"),
];

/// Map a 类 name such as `社会保障和就业支出` to its 3-digit code.
pub fn lei_code(name: &str) -> Option<&'static str> {
    let base = name.strip_suffix("支出").unwrap_or(name);
    LEI_CODES
        .iter()
        .find(|(n, _)| *n == base)
        .map(|(_, code)| *code)
}

/// Whether a unit label names the document's own unit (`…本级`, or the department itself).
pub fn is_own_unit(label: &str, department: &str) -> bool {
    let l = super::layout::nospace(label);
    l.contains("本级") || (!department.is_empty() && l.starts_with(department))
}

pub const FUND_ORDER: [(&str, &str); 3] = [
    ("一般公共预算", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "state_capital"),
];

/// The fund a label names (`一般公共预算…`, `政府性基金…`, `国有资本经营…`).
pub fn fund_named(label: &str) -> Option<&'static str> {
    FUND_ORDER
        .iter()
        .find(|(k, _)| label.contains(k))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(strip_ordinal("二十三、其他支出"), "其他支出");
        assert_eq!(strip_ordinal("1.一般公共预算拨款"), "一般公共预算拨款");
        assert_eq!(strip_ordinal("（一）收支总表"), "收支总表");
        assert_eq!(strip_ordinal("上年结余、结转"), "上年结余、结转");
        assert_eq!(strip_ordinal("本年收入合计"), "本年收入合计");
        assert_eq!(lei_code("社会保障和就业支出"), Some("208"));
        assert_eq!(lei_code("其他支出"), Some("229"));
    }
}
