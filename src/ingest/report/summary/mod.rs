//! Grammar of the two-sided summary tables (收入 | 支出 side by side): 公开01, 公开04, 预算表1,
//! 预算表6 — and of the 预算表2 收入总表 (one row per unit, one column per revenue source).

mod revenue;

pub use revenue::read_revenue_by_unit;

use super::catalog::{Grid, is_column_numbers};
use super::emit::Amount;
use super::layout::nospace;
use super::numbers;
use super::tables::{
    Ctx, Got, clean_label, column_name, fund_named, is_own_unit, lei_code, strip_ordinal,
};

/// Standard 行次 of the 公开01 revenue rows (used to restore a label missing in the source).
const GK01_ROW_LABELS: [&str; 8] = [
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
];

/// Revenue label (ordinal removed) → (`source_key`, `is_subtotal`).
fn revenue_key(source: &str) -> Option<(&'static str, bool)> {
    // regional wordings: `事业收入资金`, `其它收入`, `本级财政拨款收入`, `财政专户管理事业收入`
    let normalised = source.replace("其它", "其他");
    let mut s = normalised.as_str();
    if let Some(x) = s.strip_prefix("本级") {
        s = x;
    }
    if let Some(x) = s.strip_suffix("资金")
        && (x.ends_with("收入") || x.ends_with("预算"))
    {
        s = x;
    }
    if s.starts_with("财政专户") {
        return Some(("fiscal_special_account", false));
    }
    if s.starts_with("事业单位经营") {
        return Some(("operating", false));
    }
    Some(match s {
        "本年收入合计" | "收入合计" => ("revenue_total", true),
        "总计" | "收入总计" => ("grand_total", true),
        "使用非财政拨款结余" => ("non_fiscal_balance_used", false),
        "财政专户管理资金" => ("fiscal_special_account", false),
        "单位资金" => ("unit_funds", true),
        "上级补助收入" => ("superior_subsidy", false),
        "事业收入" => ("business", false),
        "经营收入" | "事业单位经营收入" => ("operating", false),
        "附属单位上缴收入" => ("affiliated", false),
        "其他收入" => ("other", false),
        "政府预算拨款"
        | "财政拨款"
        | "财政拨款收入"
        | "政府预算拨款收入"
        | "预算拨款"
        | "预算拨款收入" => ("fiscal", true),
        // 上年实户资金余额 (Xi'an): a balance brought in, beside the 结转
        _ if (s.starts_with("上年") || s.starts_with("年初")) && s.ends_with("余额") => {
            ("carry_in_balance", false)
        }
        _ if s.contains("结转") || s.contains("结余") => {
            if s.starts_with("年初") || s.starts_with("上年") {
                ("carry_in", false)
            } else {
                return None;
            }
        }
        _ => match fund_named(s) {
            Some(f) => (f, false),
            None => return None,
        },
    })
}

/// Which total rows a two-sided table prints, to read the ambiguous `合计` / `收入合计` /
/// `支出合计` labels: after a 本年收入合计 row (or with no other total in the table, as the first
/// row of the Chongqing layout) they are the grand totals (总计).
struct TotalsSeen {
    year_left: bool,
    grand_left: bool,
    year_right: bool,
    grand_right: bool,
}

impl TotalsSeen {
    fn scan(chunks: &[Grid]) -> Self {
        let mut t = Self {
            year_left: false,
            grand_left: false,
            year_right: false,
            grand_right: false,
        };
        for grid in chunks {
            let Some(s) = sides(grid, "all") else {
                continue;
            };
            for row in &grid.rows {
                let l = strip_ordinal(&clean_label(row.get(s.left_label)));
                let r = strip_ordinal(&clean_label(row.get(s.right_label)));
                t.year_left |= l == "本年收入合计";
                t.grand_left |= l == "总计" || l == "收入总计";
                t.year_right |= r == "本年支出合计";
                t.grand_right |= r == "总计" || r == "支出总计";
            }
        }
        t
    }

    /// The revenue label to classify.
    fn left(&self, label: &str) -> String {
        match label {
            "收入合计" | "合计" if self.year_left || !self.grand_left => {
                "收入总计".to_owned()
            }
            "合计" => "本年收入合计".to_owned(),
            _ => label.to_owned(),
        }
    }

    /// The expenditure label to classify.
    fn right(&self, label: &str) -> String {
        match label {
            "支出合计" | "合计" if self.year_right || !self.grand_right => {
                "支出总计".to_owned()
            }
            "合计" => "本年支出合计".to_owned(),
            _ => label.to_owned(),
        }
    }
}

/// Column layout of a two-sided table.
struct Sides {
    left_label: usize,
    left_row_no: Option<usize>,
    left_amount: usize,
    right_label: usize,
    /// The figures of the expenditure side.
    right_amounts: Vec<RightCol>,
    /// Amount columns of the expenditure side that are not stored: a second column of the same
    /// fund and nature (本年预算 | 编制预算), carry-over columns (上年结转).
    right_skipped: Vec<usize>,
}

/// One figure of the expenditure side: its column, or the columns summed into it (人员经费 +
/// 公用经费 = 基本支出 when no 基本支出 column is printed), with its fund and nature.
struct RightCol {
    cols: Vec<usize>,
    fund: &'static str,
    nature: &'static str,
}

fn sides(grid: &Grid, fund: &'static str) -> Option<Sides> {
    let is_label = |h: &str| h.contains("项目") && !h.contains("支出") || h.ends_with("项目");
    let heads: Vec<String> = (0..grid.width()).map(|i| grid.head(i)).collect();
    let label_cols: Vec<usize> = heads
        .iter()
        .enumerate()
        .filter(|(_, h)| is_label(h))
        .map(|(i, _)| i)
        .collect();
    let &l = label_cols.first()?;
    // The 支出 side's label column: the second 项目 column, or (tables that print the expenditure
    // by several classifications side by side) the functional classification's column.
    let functional =
        |h: &String| h.contains("功能分类") || h.contains("科目") && h.contains("支出");
    let r = match label_cols.get(1) {
        Some(&r) => r,
        None => (l + 1..heads.len()).find(|&i| heads.get(i).is_some_and(functional))?,
    };
    // Columns of further classifications printed to the right (部门/政府预算经济分类) end the
    // functional side.
    let end = (r + 1..heads.len())
        .find(|&i| {
            heads
                .get(i)
                .is_some_and(|h| h.contains("分类") || h.contains("科目") || is_label(h))
        })
        .unwrap_or(heads.len());
    let row_no = |from: usize, to: usize| {
        (from..to).find(|&i| heads.get(i).is_some_and(|h| h.contains("行次")))
    };
    let is_amount = |i: usize| {
        heads
            .get(i)
            .is_some_and(|h| !h.is_empty() && !h.contains("行次") && !is_label(h))
    };
    let left_amount = (l + 1..r).find(|&i| is_amount(i))?;
    let right: Vec<usize> = (r + 1..end).filter(|&i| is_amount(i)).collect();
    let head = |i: usize| heads.get(i).map_or("", String::as_str);
    let basic_part = |h: &str| h.contains("人员经费") || h.contains("公用经费");
    let explicit_basic = right.iter().any(|&i| {
        let h = head(i);
        h.contains("基本支出") && !basic_part(h)
    });
    let mut right_amounts: Vec<RightCol> = Vec::new();
    let mut right_skipped = Vec::new();
    for &i in &right {
        let h = head(i);
        let fund = if right.len() <= 1 {
            fund
        } else {
            fund_named(h).unwrap_or(fund)
        };
        let nature = if h.contains("项目支出") {
            "project"
        } else if h.contains("基本支出") || basic_part(h) {
            "basic"
        } else {
            "total"
        };
        let part = basic_part(h) && !explicit_basic;
        if right.len() > 1 && (h.contains("结转") || h.contains("结余"))
            || basic_part(h) && explicit_basic
        {
            right_skipped.push(i);
            continue;
        }
        match right_amounts
            .iter_mut()
            .find(|c| c.fund == fund && c.nature == nature)
        {
            Some(c) if part => c.cols.push(i),
            Some(_) => right_skipped.push(i),
            None => right_amounts.push(RightCol {
                cols: vec![i],
                fund,
                nature,
            }),
        }
    }
    Some(Sides {
        left_label: l,
        left_row_no: row_no(l + 1, r),
        left_amount,
        right_label: r,
        right_amounts,
        right_skipped,
    })
}

/// Read a two-sided summary table. `fund` is the table's fund (`all`, or `fiscal` for the
/// 财政拨款 tables).
pub fn read_two_sided(ctx: &mut Ctx<'_>, chunks: &[Grid], fund: &'static str, restore_gk01: bool) {
    let mut carry_parent: Option<(usize, String)> = None; // (revenue row index, label)
    let mut carry_children = 0usize;
    let mut prev: Option<Sides> = None;
    let totals = TotalsSeen::scan(chunks);
    let mut said: Vec<String> = Vec::new(); // skipped columns reported
    for grid in chunks {
        let s = match sides(grid, fund) {
            Some(s) => {
                for &i in &s.right_skipped {
                    let column = column_name(&grid.head(i), i);
                    if !said.contains(&column) {
                        let line = grid.header.first().map_or(grid.title_line, |r| r.line);
                        ctx.info(
                            line,
                            format!("支出一侧的列“{column}”未存储（同一资金、同一口径只存第一列；结转列不存）"),
                        );
                        said.push(column);
                    }
                }
                s
            }
            None => match prev.take() {
                Some(p) if grid.header.is_empty() => p,
                _ => {
                    let line = grid.header.first().map_or(grid.title_line, |r| r.line);
                    ctx.error(line, "", "表头中找不到收入、支出两侧的“项目”列，本页未导入");
                    continue;
                }
            },
        };
        let left_col = column_name(&grid.head(s.left_amount), s.left_amount);
        for (ri, row) in grid.rows.iter().enumerate() {
            if is_column_numbers(row) {
                continue;
            }
            // Whether the next right-side row is an un-numbered (款/项) line with an amount: a
            // blank 类 amount above such a line is a missing figure, not a zero.
            let next_child_has_amount = grid
                .rows
                .iter()
                .skip(ri + 1)
                .find(|r| !clean_label(r.get(s.right_label)).is_empty())
                .is_some_and(|r| {
                    let l = clean_label(r.get(s.right_label));
                    l == strip_ordinal(&l)
                        && !["合计", "总计", "结转", "结余"]
                            .iter()
                            .any(|w| l.contains(w))
                        && s.right_amounts
                            .iter()
                            .flat_map(|c| &c.cols)
                            .any(|i| numbers::is_num(r.get(*i)))
                });
            // ---- left: revenue by source
            let label = clean_label(row.get(s.left_label));
            let mut source = strip_ordinal(&label);
            if source == "总计" || source == "收入总计" {
                carry_parent = None;
            }
            let got = ctx.money(row.line, &left_col, row.get(s.left_amount));
            if let Got::Value(v) = got {
                let mut prov = ctx.prov(row.line, &label);
                if label.is_empty() && restore_gk01 {
                    let n: Option<usize> =
                        s.left_row_no.and_then(|i| nospace(row.get(i)).parse().ok());
                    if let Some(name) = n.and_then(|n| GK01_ROW_LABELS.get(n.wrapping_sub(1))) {
                        source = (*name).to_owned();
                        prov.flag("label_restored");
                        prov.note(format!(
                            "row {} label missing in source; restored from row number and 公开04",
                            n.unwrap_or(0)
                        ));
                        ctx.warn(
                            row.line,
                            "项目",
                            format!("行标签缺失，按行次 {} 恢复为 {name}", n.unwrap_or(0)),
                        );
                    }
                }
                if let Some((_, parent)) = &carry_parent
                    && let Some(f) = fund_named(&source)
                {
                    let src = format!("{parent}-{source}");
                    prov.note(format!("sub-row of {parent}"));
                    v.mark(&mut prov);
                    let stage = ctx.stage;
                    ctx.out.revenue(
                        &ctx.who,
                        stage,
                        &src,
                        &format!("carry_in_{f}"),
                        false,
                        v.value,
                        ctx.unit,
                        &prov,
                    );
                    ctx.rows_read += 1;
                    carry_children += 1;
                } else {
                    match revenue_key(&totals.left(&source)) {
                        Some((k, sub)) => {
                            v.mark(&mut prov);
                            let stage = ctx.stage;
                            if k == "carry_in" {
                                carry_parent = Some((ctx.out.revenue.len(), source.clone()));
                                carry_children = 0;
                            }
                            ctx.out.revenue(
                                &ctx.who, stage, &source, k, sub, v.value, ctx.unit, &prov,
                            );
                            ctx.rows_read += 1;
                        }
                        None => ctx.warn(
                            row.line,
                            "项目",
                            format!("收入项目 {label:?} 无法识别（未存储）"),
                        ),
                    }
                }
            } else if source.contains("结转")
                && (source.starts_with("年初") || source.starts_with("上年"))
            {
                carry_parent = None;
            }
            if carry_children > 0
                && let Some((idx, _)) = &carry_parent
            {
                ctx.out.set_revenue_subtotal(*idx);
            }
            // ---- right: expenditure by 类 and the totals
            read_right(ctx, row, &s, grid, next_child_has_amount, &totals);
        }
        prev = Some(s);
    }
}

fn read_right(
    ctx: &mut Ctx<'_>,
    row: &super::catalog::Row,
    s: &Sides,
    grid: &Grid,
    next_child_has_amount: bool,
    totals: &TotalsSeen,
) {
    let rlabel = clean_label(row.get(s.right_label));
    let rname = totals.right(&strip_ordinal(&rlabel));
    let multi = s.right_amounts.len() > 1;
    let cols = || s.right_amounts.iter().flat_map(|c| c.cols.iter().copied());
    let any = cols().any(|i| numbers::is_num(row.get(i)));
    if !any {
        for i in cols() {
            // report unreadable cells even on rows that store nothing
            if matches!(numbers::read_cell(row.get(i)), numbers::Cell::Text) {
                let column = column_name(&grid.head(i), i);
                ctx.money(row.line, &column, row.get(i));
            }
        }
        // A 类 row (ordinal label) printed with an empty amount cell although the table's totals
        // include it (预算表6 四、城乡社区支出): kept as 0 flagged `amount_missing`, so that the
        // audit checks can name it instead of reporting an unexplained gap.
        let all_blank =
            cols().all(|i| matches!(numbers::read_cell(row.get(i)), numbers::Cell::Blank));
        if let (false, true, Some(code), [RightCol { fund, .. }]) = (
            rlabel == rname,
            all_blank && next_child_has_amount,
            lei_code(&rname),
            s.right_amounts.as_slice(),
        ) {
            let mut prov = ctx.prov(row.line, &rlabel);
            prov.flag("amount_missing");
            prov.note("amount cell of this 类 row is blank in the source");
            let a = Amount {
                stage: ctx.stage,
                measure: "expenditure",
                fund,
                classification: "functional",
                code,
                name: &rname,
                level: "lei",
                nature: "total",
                amount: rust_decimal::Decimal::ZERO,
                source_unit: ctx.unit,
            };
            let year = ctx.who.year;
            ctx.out.amount(&ctx.who, year, &a, &prov);
        }
        return;
    }
    enum What {
        Total,
        CarryOut,
        Grand,
        Lei(&'static str),
    }
    let what = match rname.as_str() {
        "本年支出合计" | "支出合计" => What::Total,
        "总计" | "支出总计" => What::Grand,
        n if n.starts_with("年末") || n == "结转下年" => What::CarryOut,
        n => {
            if rlabel == rname && !multi && lei_code(n).is_none() {
                return; // 款 / 项 rows listed under their 类: not stored
            }
            match lei_code(n) {
                Some(code) => What::Lei(code),
                None if rlabel == rname => return,
                None => {
                    ctx.warn(
                        row.line,
                        "项目",
                        format!("支出功能分类 类 名称 {rname:?} 无法识别（未存储）"),
                    );
                    return;
                }
            }
        }
    };
    for rc in &s.right_amounts {
        let (fund, nature) = (rc.fund, rc.nature);
        if nature != "total" && matches!(what, What::Grand | What::CarryOut) {
            continue; // the totals table holds one figure per fund
        }
        // the figure: its column, or the sum of its columns (人员经费 + 公用经费)
        let cells: Vec<(String, &str)> = rc
            .cols
            .iter()
            .map(|&i| (column_name(&grid.head(i), i), row.get(i)))
            .collect();
        let sum = ctx.money_sum(row.line, &cells, multi);
        let Some((v, blank)) = sum else { continue };
        let mut prov = ctx.prov(row.line, &rlabel);
        if blank {
            prov.flag("blank");
        }
        if rc.cols.len() > 1 {
            prov.flag("derived");
            let names: Vec<String> = rc
                .cols
                .iter()
                .map(|&i| column_name(&grid.head(i), i))
                .collect();
            prov.note(format!("sum of the printed columns {}", names.join(" + ")));
        }
        v.mark(&mut prov);
        let stage = ctx.stage;
        let year = ctx.who.year;
        match what {
            What::Total => {
                let a = Amount {
                    stage,
                    measure: "expenditure",
                    fund,
                    classification: "functional",
                    code: "",
                    name: &rname,
                    level: "total",
                    nature,
                    amount: v.value,
                    source_unit: ctx.unit,
                };
                ctx.out.amount(&ctx.who, year, &a, &prov);
            }
            What::Lei(code) => {
                let a = Amount {
                    stage,
                    measure: "expenditure",
                    fund,
                    classification: "functional",
                    code,
                    name: &rname,
                    level: "lei",
                    nature,
                    amount: v.value,
                    source_unit: ctx.unit,
                };
                ctx.out.amount(&ctx.who, year, &a, &prov);
            }
            What::CarryOut => {
                ctx.out.total(
                    &ctx.who,
                    stage,
                    fund,
                    "carry_out",
                    &rlabel,
                    v.value,
                    ctx.unit,
                    &prov,
                );
            }
            What::Grand => {
                ctx.out.total(
                    &ctx.who,
                    stage,
                    fund,
                    "grand_total",
                    &rlabel,
                    v.value,
                    ctx.unit,
                    &prov,
                );
            }
        }
        ctx.rows_read += 1;
    }
}
