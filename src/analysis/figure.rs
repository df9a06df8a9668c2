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
    /// The row's note (for a figure of a 存疑 table: `所在表存疑：` and why).
    pub note: String,
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
        for note in flag_notes(&self.flags) {
            s.push_str(&format!("；{note}"));
        }
        if let Some(why) = self.doubt() {
            s.push_str(&format!("（{why}）"));
        }
        s
    }

    /// Whether the row's table is 存疑 (flag `doubtful`).
    pub fn doubtful(&self) -> bool {
        doubtful_flag(&self.flags)
    }

    /// Why the row's table is 存疑: the `所在表存疑：…` part of its note.
    pub fn doubt(&self) -> Option<&str> {
        if !self.doubtful() {
            return None;
        }
        self.note.split("; ").find(|n| n.starts_with("所在表存疑"))
    }
}

/// Whether a row's `flags` (`;`-separated) hold `doubtful`: its table is 存疑.
pub fn doubtful_flag(flags: &str) -> bool {
    flags.split(';').any(|f| f.trim() == "doubtful")
}

/// What a row's `flags` (see `docs/DATA_FORMAT.md`) mean for the reader of a figure.
pub fn flag_notes(flags: &str) -> Vec<&'static str> {
    flags
        .split(';')
        .filter_map(|f| {
            Some(match f.trim() {
                "blank" => "原表此格空白，按 0",
                "ocr_repaired" => "数字经 OCR 修复",
                "label_restored" => "行标签原表缺失，已按行次恢复",
                "derived" => "由原表几列相加得出",
                "amount_missing" => "原表金额空缺",
                "wrapped" => "名称跨行印刷",
                "name_from_code" => "原表未印科目名称，名称取自分类科目表",
                "code_from_name" => "原表未印科目编码，编码按名称与层次推定",
                "name_missing" => "原表未印名称",
                "garbled_name" => "名称印刷有误",
                "doubtful" => "所在表存疑：表内勾稽关系不成立，读取或原表有误",
                _ => return None,
            })
        })
        .collect()
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

    /// The sum of several figures, marked as derived (`None` for no parts, or a sum that cannot
    /// be held exactly).
    pub fn sum(parts: &[Figure]) -> Option<Figure> {
        if parts.is_empty() {
            return None;
        }
        Some(Figure {
            amount: crate::model::checked_sum(parts.iter().map(|f| f.amount))?,
            sources: parts.iter().flat_map(|f| f.sources.clone()).collect(),
            derived: true,
        })
    }

    /// Whether any source of the figure comes from a 存疑 table.
    pub fn doubtful(&self) -> bool {
        self.sources.iter().any(SourceRef::doubtful)
    }

    pub fn describe_sources(&self) -> String {
        let list = self
            .sources
            .iter()
            .map(SourceRef::describe)
            .collect::<Vec<_>>()
            .join("；");
        let list = if self.derived {
            format!("由已公布数计算：{list}")
        } else {
            list
        };
        if self.doubtful() {
            format!(
                "※ 存疑：所在表的勾稽关系在读入的数字上不成立，此数可能读错，请对照原表。{list}"
            )
        } else {
            list
        }
    }
}

/// Rows of `df` matching `filter`, as (amount, source) pairs, in frame order.
pub fn rows(df: &DataFrame, filter: Expr, amount_col: &str) -> Result<Vec<(Decimal, SourceRef)>> {
    let hit = df
        .clone()
        .lazy()
        .without_optimizations()
        .filter(filter)
        .collect()?;
    let amounts = decimals(&hit, amount_col)?;
    let docs = strings(&hit, "source_doc")?;
    let tables = strings(&hit, "source_table")?;
    let lines = ints(&hit, "source_line")?;
    let labels = strings(&hit, "source_label")?;
    let flags = strings(&hit, "flags")?;
    let notes = strings(&hit, "note")?;
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
                note: notes.get(i).cloned().unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_said_in_the_source_text() {
        let src = SourceRef {
            doc: "hz.pdf#page=17".to_owned(),
            table: "预算表3".to_owned(),
            line: Some(10),
            label: "社会保障和就业支出".to_owned(),
            flags: "code_from_name;wrapped".to_owned(),
            note: String::new(),
        };
        assert_eq!(
            src.describe(),
            "预算表3「社会保障和就业支出」 第 10 行（hz.pdf#page=17）；原表未印科目编码，编码按名称与层次推定；名称跨行印刷"
        );
        assert!(flag_notes("").is_empty());
        assert!(flag_notes("unknown_flag").is_empty());
        assert!(!src.doubtful());
        // a figure of a 存疑 table says so, with why
        let doubtful = SourceRef {
            flags: "doubtful".to_owned(),
            note: "所在表存疑：预算表8 第 11 页第 6 行：类 = Σ款 不成立（本行 911.21，相加得 920.96，差 9.75 万元）"
                .to_owned(),
            ..src
        };
        assert!(doubtful.doubtful());
        assert!(doubtful.describe().contains("本行 911.21，相加得 920.96"));
        let fig = Figure::published(rust_decimal::Decimal::new(91121, 2), doubtful);
        assert!(fig.doubtful());
        assert!(fig.describe_sources().starts_with("※ 存疑"));
    }
}
