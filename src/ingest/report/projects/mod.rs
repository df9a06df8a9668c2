//! Project self-evaluation: numbered summary paragraphs (`（41）…自评得分 98 分。项目全年预算数
//! 80 万元，执行数 80 万元，预算执行率 100%…`, possibly broken across lines, with or without an
//! implementing unit in brackets) and self-evaluation tables (`项目名称 … 资金总额 … 三级指标 …
//! 总分`) with their indicator rows. Stated problems become our own reason tags.

mod paragraphs;
mod reasons;

pub use paragraphs::read_paragraphs;
pub use reasons::reason_tags;
#[allow(clippy::wildcard_imports)]
use reasons::*;

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::emit::{IndicatorRow, ProjectRow};
use super::layout::{self, nospace};
use super::numbers;
use super::tables::{Ctx, Got};

static HEAD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*[（(]\s*(\d+)\s*[）)]").ok());
static LABEL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^([（(]\s*\d+\s*[）)])\s*").ok());
static UNIT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^[^：:（()）]{0,40}?(?:局|厅|委|办|中心|院|所|站)\s*[（(]\s*([^）)]{1,15}?)\s*[）)]\s*",
    )
    .ok()
});
static SCORE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"项目自评(?:得分)?\s*([\d.]+)\s*分").ok());
static BUDGET: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"项目全年预算数\s*([\d,.\s]+?)\s*万元").ok());
static EXECUTED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"执行数\s*([\d,.\s]+?)\s*万元").ok());
static RATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"预算执行率\s*(?:为)?\s*([\d.]+)\s*(%?)").ok());

const NAME_SUFFIXES: [&str; 3] = ["项目绩效自评综述", "绩效项目自评综述", "绩效自评综述"];

/// 二级指标 → 一级指标.
fn level1_of(level2: &str) -> Option<&'static str> {
    Some(match level2 {
        "数量指标" | "质量指标" | "时效指标" | "成本指标" => "产出指标",
        "经济效益指标"
        | "社会效益指标"
        | "生态效益指标"
        | "可持续影响指标"
        | "满意度指标"
        | "服务对象满意度指标" => "效益指标",
        _ => return None,
    })
}

fn cells_of(line: &str) -> Vec<String> {
    if line.contains('\t') {
        layout::tab_cells(line)
    } else if line.trim_start().starts_with('|') {
        layout::pipe_cells(line).unwrap_or_default()
    } else {
        layout::spaced_spans(line)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }
}

fn has_cell(cells: &[String], text: &str) -> Option<usize> {
    cells.iter().position(|c| nospace(c).contains(text))
}

/// Start lines (0-based) of project self-evaluation tables.
pub fn table_starts(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let c = cells_of(l);
            // the amount is on the 项目名称 row (`项目金额`), or in a `项目资金（万元）` block
            // a few rows below (the 项目支出绩效自评表 of the national 决算 template)
            let funds_below = || {
                lines.iter().skip(i + 1).take(4).any(|l| {
                    cells_of(l)
                        .iter()
                        .any(|x| nospace(x).starts_with("项目资金"))
                })
            };
            c.len() >= 2
                && c.first().is_some_and(|f| nospace(f) == "项目名称")
                && (has_cell(&c, "项目金额").is_some() || funds_below())
        })
        .map(|(i, _)| i)
        .collect()
}

/// Read the project self-evaluation tables; `unit` is the implementing unit when the table
/// leaves it blank. Returns the department named in the tables' 主管部门 cells, if any.
pub fn read_project_tables(ctx: &mut Ctx<'_>, lines: &[&str], stem: &str, starts: &[usize]) {
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(lines.len());
        let seq = k + 1;
        let pid = format!("{stem}#{seq}");
        let rows: Vec<(usize, Vec<String>)> = (s..e)
            .filter_map(|i| lines.get(i).map(|l| (i + 1, cells_of(l))))
            .collect();
        let Some((_, head)) = rows.first() else {
            continue;
        };
        let amt_idx = has_cell(head, "项目金额").unwrap_or(head.len());
        let name = head
            .iter()
            .take(amt_idx)
            .skip(1)
            .map(|c| nospace(c))
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        let project_amount = head
            .iter()
            .skip(amt_idx + 1)
            .find(|c| numbers::is_num(c))
            .cloned();
        let mut unit_name = String::new();
        for (_, c) in &rows {
            if let Some(i) = has_cell(c, "实施单位") {
                unit_name = c.iter().skip(i + 1).map(|x| nospace(x)).collect();
            }
        }
        let table_unit = if rows
            .iter()
            .any(|(_, c)| c.iter().any(|x| x.contains("(元)") || x.contains("（元）")))
        {
            "元"
        } else {
            "万元"
        };
        let saved_unit = ctx.unit;
        ctx.unit = table_unit;
        // 资金总额 row: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分
        let Some((fund_line, fund_cells)) = rows
            .iter()
            .find(|(_, c)| nospace(&c.concat()).contains("金总额"))
        else {
            ctx.error(
                s + 1,
                "",
                format!("项目自评表 {pid} 找不到资金总额行，未导入"),
            );
            ctx.unit = saved_unit;
            continue;
        };
        let kk = has_cell(fund_cells, "总额").unwrap_or(0);
        let cells: Vec<&String> = fund_cells
            .iter()
            .skip(kk + 1)
            .filter(|x| numbers::is_num(x))
            .collect();
        let mut amounts = Vec::new();
        for (j, raw) in cells.iter().take(3).enumerate() {
            let what = ["年初预算数", "全年预算数", "全年执行数"]
                .get(j)
                .copied()
                .unwrap_or("");
            if let Got::Value(v) = ctx.money(*fund_line, what, raw) {
                amounts.push(v);
            }
        }
        let rate = cells
            .get(4)
            .and_then(|raw| ctx.number(*fund_line, "执行率", raw).value().cloned());
        let Ok([b_init, b_full, executed]) = <[_; 3]>::try_from(amounts) else {
            ctx.error(
                *fund_line,
                "",
                format!("项目自评表 {pid} 资金总额行缺少金额，未导入"),
            );
            ctx.unit = saved_unit;
            continue;
        };
        // indicators
        let mut problems = Vec::new();
        let hdr = rows
            .iter()
            .position(|(_, c)| has_cell(c, "三级指标").is_some());
        let total = rows
            .iter()
            .position(|(_, c)| c.iter().any(|x| nospace(x) == "总分"));
        let mut score = None;
        if let (Some(h), Some(tl)) = (hdr, total) {
            let k3 = rows
                .get(h)
                .and_then(|(_, c)| has_cell(c, "三级指标"))
                .unwrap_or(3);
            // the columns after 三级指标 by their header (a merged header cell may leave an empty
            // grid column between them), else by position
            let head = rows.get(h).map(|(_, c)| c.clone()).unwrap_or_default();
            let find = |words: &[&str]| {
                head.iter()
                    .enumerate()
                    .skip(k3 + 1)
                    .find(|(_, x)| {
                        let x = nospace(x);
                        words.iter().any(|w| x.contains(w))
                    })
                    .map(|(i, _)| i)
            };
            let at: [usize; 6] = [
                k3,
                find(&["年度指标值", "指标值", "目标值"]).unwrap_or(k3 + 1),
                find(&["实际完成值", "完成值", "实际值"]).unwrap_or(k3 + 2),
                find(&["分值", "权重"]).unwrap_or(k3 + 3),
                find(&["得分"]).unwrap_or(k3 + 4),
                find(&["偏差"]).unwrap_or(k3 + 5),
            ];
            let mut prev_l2: Option<String> = None;
            for (line, c) in rows.iter().take(tl).skip(h + 1) {
                let cell = |d: usize| at.get(d).and_then(|&i| c.get(i)).map_or("", |x| x.trim());
                let l2cell = k3
                    .checked_sub(1)
                    .and_then(|i| c.get(i))
                    .map_or(String::new(), |x| nospace(x));
                let l1cell = k3
                    .checked_sub(2)
                    .and_then(|i| c.get(i))
                    .map_or(String::new(), |x| nospace(x));
                if cell(0).is_empty() && !numbers::is_num(cell(3)) {
                    continue;
                }
                let mut prov = ctx.prov(*line, &nospace(cell(0)));
                prov.table = "项目自评表".to_owned();
                let l2 = if !l2cell.is_empty() {
                    l2cell
                } else if let Some(p) = &prev_l2 {
                    p.clone()
                } else {
                    prov.flag("label_restored");
                    prov.note("二级指标 blank on the first indicator row; restored as 数量指标");
                    ctx.warn(*line, "二级指标", "二级指标为空，按首行惯例恢复为数量指标");
                    "数量指标".to_owned()
                };
                prev_l2 = Some(l2.clone());
                let l1 = level1_of(&l2).map_or(l1cell, str::to_owned);
                let weight = ctx.number(*line, "分值", cell(3)).value().map(|v| v.value);
                let iscore = ctx.number(*line, "得分", cell(4)).value().map(|v| v.value);
                let dev = cell(5);
                let dev = if dev == "_" { "" } else { dev };
                if !dev.is_empty()
                    && let (Some(w), Some(sc)) = (weight, iscore)
                    && sc < w
                {
                    problems.push(dev.split("改进措施").next().unwrap_or("").to_owned());
                }
                let ind = IndicatorRow {
                    project_id: pid.clone(),
                    level1: l1,
                    level2: l2,
                    indicator: nospace(cell(0)),
                    target: cell(1).to_owned(),
                    actual: cell(2).to_owned(),
                    weight,
                    score: iscore,
                    has_deviation_note: !dev.is_empty(),
                };
                let unit = ctx.who.unit.clone();
                ctx.out.indicator(&ctx.who, &unit, &ind, &prov);
            }
            if let Some((tline, tc)) = rows.get(tl) {
                score = tc
                    .iter()
                    .rfind(|x| numbers::is_num(x))
                    .and_then(|raw| ctx.number(*tline, "总分", raw).value().map(|v| v.value));
            }
        }
        let mut prov = ctx.prov(*fund_line, "资金总额");
        prov.table = "项目自评表".to_owned();
        for v in [&b_init, &b_full, &executed] {
            v.mark(&mut prov);
        }
        let status = if name.is_empty() {
            prov.flag("name_missing");
            prov.note("project name blank in source");
            "missing"
        } else {
            "ok"
        };
        if let Some(a) = project_amount {
            prov.note(format!(
                "项目金额 printed as {} (meaning unclear; not stored)",
                a.trim()
            ));
        }
        if unit_name.is_empty() {
            prov.note("implementing unit blank in source");
        }
        if let Some(tl) = total.and_then(|t| rows.get(t)) {
            prov.note(format!("score from the 总分 row on line {}", tl.0));
        }
        let stated_rate = rate.map(|r| {
            if r.percent {
                numbers::percent_to_fraction(r.value)
            } else {
                r.value
            }
        });
        let p = ProjectRow {
            unit: if unit_name.is_empty() {
                ctx.who.unit.clone()
            } else {
                unit_name
            },
            project_id: pid.clone(),
            seq,
            name,
            name_status: status,
            budget_initial: Some(b_init.value),
            budget_full_year: Some(b_full.value),
            executed: Some(executed.value),
            stated_rate,
            score: score.map(|d: Decimal| d.normalize()),
            reason_tags: reason_tags(&problems),
            reasons: String::new(),
            source_unit: if table_unit == "元" { "元" } else { "万元" },
        };
        ctx.out.project(&ctx.who, &p, &prov);
        ctx.rows_read += 1;
        ctx.unit = saved_unit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        assert!(HEAD.is_some() && LABEL.is_some() && UNIT.is_some());
        assert!(SCORE.is_some() && BUDGET.is_some() && EXECUTED.is_some() && RATE.is_some());
    }

    #[test]
    fn tags() {
        assert_eq!(reason_tags(&[]), "无");
        assert_eq!(reason_tags(&["无。".to_owned()]), "无");
        assert_eq!(
            reason_tags(&["受疫情影响，业务量减少".to_owned()]),
            "疫情影响;需求或业务量变化"
        );
        assert_eq!(reason_tags(&["天气原因".to_owned()]), "其他");
    }

    #[test]
    fn problems() {
        let t = "完成。发现的主要问题及原因：疫情延误。下一步改进措施：无。";
        assert_eq!(problems_of(t), vec!["疫情延误。".to_owned()]);
        let t = "发现的主要问题：发现的主要问题及原因：人手少";
        assert_eq!(problems_of(t), vec!["人手少".to_owned()]);
    }
}
