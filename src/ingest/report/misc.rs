//! Grammar of the 三公 tables (公开07 with 预算数 / 决算数 column groups, 预算表9 with one row per
//! year), the quarterly execution table and the 部门预算支出明细表 (stages as columns).

use super::catalog::{Grid, is_column_numbers};
use super::layout::nospace;
use super::numbers::{self, Cell};
use super::tables::{Ctx, Got, Val, clean_label, column_name, strip_ordinal};

fn sangong_category(bottom: &str) -> Option<&'static str> {
    let b = bottom;
    if b.contains("小计") || b.contains("购置及运行") {
        Some("vehicle")
    } else if b.contains("购置费") {
        Some("vehicle_purchase")
    } else if b.contains("运行") {
        Some("vehicle_operation")
    } else if b.contains("接待") {
        Some("reception")
    } else if b.contains("出国") {
        Some("abroad")
    } else if b.contains("合计") || b.contains("总计") || b.contains("总额") {
        Some("total")
    } else if b.contains("公务用车") {
        Some("vehicle")
    } else {
        None
    }
}

fn year_of(cell: &str) -> Option<i32> {
    let t = nospace(cell);
    let digits = t.strip_suffix("年度").or_else(|| t.strip_suffix('年'))?;
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// 三公 tables.
pub fn read_sangong(ctx: &mut Ctx<'_>, chunks: &[Grid]) {
    for grid in chunks {
        // columns: category and label from the lowest header cell (a 小计 keeps its parent)
        let width = grid.width();
        let mut cols: Vec<(usize, &'static str, String)> = Vec::new();
        // stage groups (公开07): a header row holding 预算数 / 决算数
        let group_row = grid.header.iter().find(|r| {
            r.cells
                .iter()
                .any(|c| nospace(c).contains("决算数") || nospace(c).contains("预算数"))
                && !r.cells.iter().any(|c| nospace(c).contains("公务接待"))
        });
        let mut group_of: Vec<Option<(&'static str, String)>> = vec![None; width];
        if let Some(g) = group_row {
            let mut current = None;
            for (i, slot) in group_of.iter_mut().enumerate() {
                let c = nospace(g.get(i));
                if c.contains("决算数") {
                    current = Some(("final", c));
                } else if c.contains("预算数") {
                    // a 决算 prints the adjusted full-year budget beside its actuals; a 预算
                    // document's own budget is the initial one
                    let stage = if ctx.stage == "budget_initial" {
                        "budget_initial"
                    } else {
                        "budget_adjusted"
                    };
                    current = Some((stage, c));
                }
                *slot = current.clone();
            }
        }
        let year_col = (0..width).find(|&i| grid.head(i).contains("年度"));
        let unit_col = (0..width).find(|&i| {
            let h = grid.head(i);
            h.contains("单位名称") || h == "单位"
        });
        for i in 0..width {
            let (bottom, above) = grid.head_bottom(i);
            let bottom = if group_row.is_some_and(|g| nospace(g.get(i)) == bottom) {
                // the group label is the only header of this column
                String::new()
            } else {
                bottom
            };
            if let Some(cat) = sangong_category(&bottom) {
                let label = match above {
                    Some(a)
                        if bottom == "小计" && group_row.is_none_or(|g| nospace(g.get(i)) != a) =>
                    {
                        format!("{a} {bottom}")
                    }
                    _ => bottom.clone(),
                };
                cols.push((i, cat, label));
            }
        }
        if cols.is_empty() {
            let line = grid.header.first().map_or(grid.title_line, |r| r.line);
            ctx.error(line, "", "表头中找不到三公经费各列，本页未导入");
            continue;
        }
        // one category printed in several column groups (当年预算 | 上年结转结余; 2018年 | 2019年 |
        // 增减变化): only the group of the document's year is read (info); otherwise the layout
        // is not understood and nothing is read, never figures repeated under one key
        let group_label = |i: usize| -> String {
            grid.header
                .iter()
                .filter_map(|r| {
                    (0..=i)
                        .rev()
                        .map(|k| nospace(r.get(k)))
                        .find(|t| !t.is_empty())
                })
                .filter(|t| {
                    ["年", "结转", "结余", "当年", "本年", "增减"]
                        .iter()
                        .any(|w| t.contains(w))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let doc_year = format!("{}年", ctx.who.year);
        let chosen = |g: &str| {
            (g.contains(&doc_year) || g.contains("当年") || g.contains("本年"))
                && !g.contains("结转")
                && !g.contains("增减")
        };
        let twice = |cols: &[(usize, &'static str, String)]| {
            cols.iter().enumerate().any(|(k, (i, cat, _))| {
                cols.iter().skip(k + 1).any(|(j, other, _)| {
                    other == cat
                        && group_of.get(*i).cloned().flatten()
                            == group_of.get(*j).cloned().flatten()
                })
            })
        };
        if twice(&cols) && group_row.is_none() {
            let kept: Vec<(usize, &'static str, String)> = cols
                .iter()
                .filter(|(i, ..)| chosen(&group_label(*i)))
                .cloned()
                .collect();
            if !kept.is_empty() && !twice(&kept) {
                let line = grid.header.first().map_or(grid.title_line, |r| r.line);
                ctx.info(
                    line,
                    format!(
                        "三公经费表分组印出，只读取「{}」一组",
                        group_label(kept.first().map_or(0, |c| c.0))
                    ),
                );
                cols = kept;
            }
        }
        let repeated = cols.iter().enumerate().any(|(k, (i, cat, _))| {
            cols.iter().skip(k + 1).any(|(j, other, _)| {
                other == cat
                    && group_of.get(*i).cloned().flatten() == group_of.get(*j).cloned().flatten()
            })
        });
        if repeated {
            let line = grid.header.first().map_or(grid.title_line, |r| r.line);
            ctx.error(
                line,
                "",
                "三公经费表的同一类经费印在多列（按年度等分组），无法分辨，本页未导入",
            );
            continue;
        }
        for row in &grid.rows {
            if is_column_numbers(row) {
                continue;
            }
            let (year, stage_of_doc, row_label) = if let Some(yc) = year_col {
                match year_of(row.get(yc)) {
                    Some(y) => (y, ctx.stage, row.get(yc).trim().to_owned()),
                    None => continue, // 增减变化 rows and the like
                }
            } else {
                let figures = row.cells.iter().filter(|c| numbers::is_num(c)).count();
                let texts: Vec<usize> = (0..row.cells.len())
                    .filter(|&i| matches!(numbers::read_cell(row.get(i)), Cell::Text))
                    .collect();
                match unit_col {
                    // one row per unit (合计 | 本级 | 所属单位), labelled in its own column
                    Some(uc) => {
                        let label = super::tables::clean_label(row.get(uc));
                        if label.is_empty() || figures == 0 {
                            continue;
                        }
                        (ctx.who.year, ctx.stage, label)
                    }
                    // a row of figures only (公开07): a cell of a category column that cannot
                    // be read is a located error below and only that figure is withheld;
                    // text anywhere else makes it no row of figures
                    None => {
                        let in_categories = texts.iter().all(|t| cols.iter().any(|(i, ..)| i == t));
                        let starts_with_figure = row
                            .cells
                            .iter()
                            .find(|c| !c.trim().is_empty())
                            .is_some_and(|c| numbers::is_num(c));
                        if figures == 0
                            || texts.len() >= figures
                            || !in_categories
                            || !starts_with_figure
                        {
                            continue;
                        }
                        (ctx.who.year, ctx.stage, String::new())
                    }
                }
            };
            for (i, cat, label) in &cols {
                let column = column_name(&grid.head(*i), *i);
                let (v, blank) = match ctx.money(row.line, &column, row.get(*i)) {
                    Got::Value(v) => (v, false),
                    Got::Blank => (Val::blank(), true),
                    Got::Bad => continue,
                };
                let (stage, prefix) = match group_of.get(*i).cloned().flatten() {
                    Some((s, g)) => (s, g),
                    None => (stage_of_doc, row_label.clone()),
                };
                let mut prov = ctx.prov(row.line, &format!("{prefix} {label}"));
                if blank {
                    prov.flag("blank");
                }
                v.mark(&mut prov);
                // a table listed unit by unit (合计 | 本级 | 所属单位): each row under its unit
                let who = unit_who(
                    &ctx.who,
                    (year_col.is_none() && unit_col.is_some()).then_some(row_label.as_str()),
                );
                ctx.out
                    .sangong(&who, year, stage, cat, v.value, ctx.unit, &prov);
                ctx.rows_read += 1;
            }
        }
    }
}

/// Who a row of a table listed unit by unit is about: the document's (合计, or no label), `本级`
/// (the document's own unit), or a subordinate unit by name.
fn unit_who(who: &super::emit::Who, label: Option<&str>) -> super::emit::Who {
    let mut w = who.clone();
    match label.map(str::trim) {
        None | Some("" | "合计" | "总计") => {}
        Some(l) if super::tables::is_own_unit(l, &who.department) || l == who.department => {
            w.unit = "本级".to_owned();
        }
        Some(l) => w.unit = l.to_owned(),
    }
    w
}

fn quarter_of(label: &str) -> Option<u8> {
    let l = nospace(label);
    for (k, q) in [
        ("一", 1),
        ("二", 2),
        ("三", 3),
        ("四", 4),
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("4", 4),
    ] {
        if l == format!("第{k}季度") || l == format!("{k}季度") || l == format!("Q{k}") {
            return Some(q);
        }
    }
    None
}

/// The quarterly execution table: 季度 | 支出数 | 预算数 | 支出进度 | 序时进度 | 执行率.
pub fn read_quarterly(ctx: &mut Ctx<'_>, chunks: &[Grid]) {
    for grid in chunks {
        let find = |keys: &[&str]| {
            (0..grid.width()).find(|&i| keys.iter().any(|k| grid.head(i).contains(k)))
        };
        let (Some(actual), Some(budget)) = (find(&["支出数", "执行数"]), find(&["预算数"]))
        else {
            let line = grid.header.first().map_or(grid.title_line, |r| r.line);
            ctx.error(line, "", "季度表表头中找不到支出数、预算数列，本页未导入");
            continue;
        };
        let progress = find(&["支出进度"]);
        let benchmark = find(&["序时进度"]);
        let rate = find(&["执行率"]);
        for row in &grid.rows {
            let label = clean_label(row.get(0));
            let Some(q) = quarter_of(&label) else {
                continue; // 全年平均 and the like
            };
            let col = |i: usize| column_name(&grid.head(i), i);
            let (Got::Value(a), Got::Value(b)) = (
                ctx.money(row.line, &col(actual), row.get(actual)),
                ctx.money(row.line, &col(budget), row.get(budget)),
            ) else {
                ctx.error(row.line, "", "季度行缺少支出数或预算数，本行未导入");
                continue;
            };
            let mut prov = ctx.prov(row.line, &label);
            a.mark(&mut prov);
            b.mark(&mut prov);
            let mut pct =
                |i: Option<usize>, prov: &mut super::emit::Prov| -> Option<rust_decimal::Decimal> {
                    let i = i?;
                    match ctx.number(row.line, &col(i), row.get(i)) {
                        Got::Value(v) => {
                            v.mark(prov);
                            Some(numbers::percent_to_fraction(v.value))
                        }
                        _ => None,
                    }
                };
            let p = pct(progress, &mut prov);
            let bm = pct(benchmark, &mut prov);
            let r = pct(rate, &mut prov);
            ctx.out
                .quarter(&ctx.who, q, a.value, b.value, p, bm, r, &prov);
            ctx.rows_read += 1;
        }
    }
}

/// 部门预算支出明细表: 支出类别 rows, one column per stage.
pub fn read_expenditure_detail(ctx: &mut Ctx<'_>, chunks: &[Grid]) {
    for grid in chunks {
        let stages: Vec<(usize, &'static str)> = (1..grid.width())
            .filter_map(|i| {
                let h = grid.head(i);
                let s = if h.contains("年初") {
                    "budget_initial"
                } else if h.contains("调整") || h.contains("全年预算") {
                    "budget_adjusted"
                } else if h.contains("决算") || h.contains("执行") || h.contains("实际") {
                    "final"
                } else {
                    return None;
                };
                Some((i, s))
            })
            .collect();
        if stages.is_empty() {
            let line = grid.header.first().map_or(grid.title_line, |r| r.line);
            ctx.error(
                line,
                "",
                "表头中找不到年初预算数、调整预算数、决算数列，本页未导入",
            );
            continue;
        }
        for row in &grid.rows {
            let label = clean_label(row.get(0));
            if !stages.iter().any(|(i, _)| numbers::is_num(row.get(*i))) {
                continue;
            }
            let item = match strip_ordinal(&label).as_str() {
                "基本支出" => "basic",
                "人员经费" => "personnel",
                "日常公用经费" => "daily_public",
                "公用经费" => "public",
                "项目支出" => "project",
                "合计" | "总计" | "支出合计" => "expenditure_total",
                _ => {
                    ctx.warn(
                        row.line,
                        "支出类别",
                        format!("支出类别 {label:?} 无法识别（未存储）"),
                    );
                    continue;
                }
            };
            for (i, stage) in &stages {
                let column = column_name(&grid.head(*i), *i);
                let (v, blank) = match ctx.money(row.line, &column, row.get(*i)) {
                    Got::Value(v) => (v, false),
                    Got::Blank => (Val::blank(), true),
                    Got::Bad => continue,
                };
                let mut prov = ctx.prov(row.line, &label);
                if blank {
                    prov.flag("blank");
                }
                v.mark(&mut prov);
                ctx.out.total(
                    &ctx.who, stage, "all", item, &label, v.value, ctx.unit, &prov,
                );
                ctx.rows_read += 1;
            }
        }
    }
}
