//! Project self-evaluation: numbered summary paragraphs (`（41）…自评得分 98 分。项目全年预算数
//! 80 万元，执行数 80 万元，预算执行率 100%…`, possibly broken across lines, with or without an
//! implementing unit in brackets) and self-evaluation tables (`项目名称 … 资金总额 … 三级指标 …
//! 总分`) with their indicator rows. Stated problems become our own reason tags.

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

/// Keyword rules for the reason tags (our words; the stated text is not copied).
const REASON_RULES: &[(&str, &[&str])] = &[
    ("疫情影响", &["疫情", "新冠", "防控措施"]),
    (
        "压减预算",
        &[
            "压减",
            "财政缩减",
            "缩减差旅",
            "缩减相关",
            "调减",
            "冻结",
            "压缩",
            "核减",
            "节约经费",
        ],
    ),
    (
        "采购或招标延迟",
        &[
            "招标",
            "招投标",
            "采购计划未",
            "未能实施采购",
            "采购不及时",
            "无法采购",
            "未开展采购",
            "未审批",
            "未获批准",
            "交货缓慢",
        ],
    ),
    (
        "跨年支付或结转",
        &[
            "跨年",
            "尾款",
            "结转",
            "2021 年支付",
            "2021年支付",
            "2021 年执行",
            "次年",
            "第二年",
            "滞后",
            "第四季度",
            "年末进行",
        ],
    ),
    (
        "人员变动",
        &[
            "人员变动",
            "流动性",
            "缺岗",
            "辞职",
            "退休",
            "到岗率",
            "招聘",
            "人手不足",
            "人手紧张",
            "人手少",
            "配备不足",
        ],
    ),
    (
        "需求或业务量变化",
        &[
            "需求",
            "业务量",
            "数量减少",
            "量下降",
            "量减少",
            "数量占比",
            "宗数小于",
            "次数减少",
            "次数较少",
            "次数未",
            "次数也减少",
            "频次",
            "积极性",
            "放弃",
            "参保人数",
            "提供资料",
            "学校减少",
            "数量比较多",
            "数量较少",
            "采购量",
            "使用量减少",
            "支出较少",
            "开放天数",
            "实际业务",
        ],
    ),
    (
        "政策或职能调整",
        &[
            "政策变化",
            "政策调整",
            "减免",
            "职能",
            "划转",
            "机构改革",
            "流程优化",
            "优化了",
            "统一支付",
            "统一配置",
            "官网公告",
            "项目有所调整",
            "上级要求",
            "按上级",
            "转公办",
        ],
    ),
    (
        "预算编制偏差",
        &[
            "预算编制",
            "预测不准",
            "预算不准确",
            "未合理评估",
            "编报采购预算",
            "设置不合理",
            "先知预测",
            "没有预测",
            "预判",
            "按比例预留",
            "略有偏差",
            "预算的限制",
        ],
    ),
];

/// `;`-joined reason tags for the stated problems; `无` when none are stated.
pub fn reason_tags(problems: &[String]) -> String {
    let texts: Vec<&String> = problems
        .iter()
        .filter(|t| {
            let core: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | ':' | '：'))
                .collect();
            !core.is_empty() && core != "无"
        })
        .collect();
    if texts.is_empty() {
        return "无".to_owned();
    }
    let mut hit = vec![false; REASON_RULES.len() + 1];
    for t in texts {
        let mut matched = false;
        for (k, (_, words)) in REASON_RULES.iter().enumerate() {
            if words.iter().any(|w| t.contains(w)) {
                matched = true;
                if let Some(h) = hit.get_mut(k) {
                    *h = true;
                }
            }
        }
        if !matched && let Some(h) = hit.last_mut() {
            *h = true;
        }
    }
    REASON_RULES
        .iter()
        .map(|(tag, _)| *tag)
        .chain(std::iter::once("其他"))
        .zip(hit)
        .filter(|(_, h)| *h)
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join(";")
}

/// The stated problems of a paragraph: the text after each `发现的主要问题(及原因)：` up to
/// `下一步改进措施` (or the end).
fn problems_of(t: &str) -> Vec<String> {
    const KEY: &str = "发现的主要问题";
    const NEXT: &str = "下一步改进措施";
    let mut out = Vec::new();
    let mut from = 0usize;
    while let Some(rel) = t.get(from..).and_then(|r| r.find(KEY)) {
        let at = from + rel;
        let mut p = at + KEY.len();
        let rest = |p: usize| t.get(p..).unwrap_or("");
        if rest(p).starts_with("及原因") {
            p += "及原因".len();
        }
        p += rest(p).len() - rest(p).trim_start().len();
        let Some(c) = rest(p).chars().next().filter(|c| matches!(c, ':' | '：')) else {
            from = at + KEY.len();
            continue;
        };
        p += c.len_utf8();
        p += rest(p).len() - rest(p).trim_start().len();
        // a repeated `发现的主要问题及原因：`
        let again = format!("{KEY}及原因");
        if let Some(r) = rest(p).strip_prefix(again.as_str()) {
            let r2 = r.trim_start();
            if let Some(c2) = r2.chars().next().filter(|c| matches!(c, ':' | '：')) {
                let after = r2.get(c2.len_utf8()..).unwrap_or("").trim_start();
                p = t.len() - after.len();
            }
        }
        let end = rest(p).find(NEXT).map_or(t.len(), |e| p + e);
        out.push(t.get(p..end).unwrap_or("").to_owned());
        from = end.max(at + KEY.len());
    }
    out
}

/// Lines joined into one string with an offset → line map.
struct Joined {
    text: String,
    offsets: Vec<usize>,
    lines: Vec<usize>,
}

impl Joined {
    fn new(lines: &[&str], start: usize, end: usize) -> Self {
        let mut j = Joined {
            text: String::new(),
            offsets: Vec::new(),
            lines: Vec::new(),
        };
        for n in start..end {
            let s = lines.get(n).map_or("", |l| l.trim());
            if s.is_empty() {
                continue;
            }
            j.offsets.push(j.text.len());
            j.lines.push(n + 1);
            j.text.push_str(s);
        }
        j
    }

    fn line_at(&self, offset: usize) -> usize {
        let i = self.offsets.partition_point(|&o| o <= offset);
        self.lines
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }
}

/// Read every numbered project paragraph. Returns the number of paragraphs found and the line
/// of the first.
pub fn read_paragraphs(ctx: &mut Ctx<'_>, lines: &[&str], stem: &str) -> (usize, usize) {
    let (Some(head), Some(label_rx), Some(unit_rx)) =
        (HEAD.as_ref(), LABEL.as_ref(), UNIT.as_ref())
    else {
        return (0, 0);
    };
    let heads: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let c = head.captures(l)?;
            Some((i, c.get(1)?.as_str().parse().ok()?))
        })
        .collect();
    let mut found = 0usize;
    let mut first = 0usize;
    for (k, &(start, seq)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(lines.len(), |h| h.0);
        let end = (start + 1..next)
            .find(|&i| {
                lines
                    .get(i)
                    .is_some_and(|l| l.trim_start().starts_with('#'))
            })
            .unwrap_or(next);
        let para = Joined::new(lines, start, end);
        let t = para.text.as_str();
        if !(t.contains("自评") && t.contains("全年预算数")) {
            continue; // a numbered paragraph that is not a project summary
        }
        found += 1;
        let line = start + 1;
        if first == 0 {
            first = line;
        }
        let Some(m) = label_rx.captures(t) else {
            continue;
        };
        let label = m.get(1).map_or("", |g| g.as_str()).to_owned();
        let mut pos = m.get(0).map_or(0, |g| g.end());
        let mut unit = None;
        if let Some(u) = unit_rx.captures(t.get(pos..).unwrap_or("")) {
            unit = u.get(1).map(|g| g.as_str().to_owned());
            pos += u.get(0).map_or(0, |g| g.end());
        }
        let Some(colon) = t
            .get(pos..)
            .and_then(|r| r.find([':', '：']))
            .map(|c| pos + c)
        else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到项目名称后的冒号，未导入"),
            );
            continue;
        };
        let mut name = nospace(t.get(pos..colon).unwrap_or(""));
        for suf in NAME_SUFFIXES {
            if let Some(n) = name.strip_suffix(suf) {
                name = n.to_owned();
                break;
            }
        }
        let find =
            |rx: &Option<Regex>, from: usize| rx.as_ref().and_then(|rx| rx.captures_at(t, from));
        let Some(ms) = find(&SCORE, colon) else {
            ctx.error(line, "", format!("项目段落 {label} 找不到自评得分，未导入"));
            continue;
        };
        let Some(mb) = find(&BUDGET, ms.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到项目全年预算数，未导入"),
            );
            continue;
        };
        let Some(me) = find(&EXECUTED, mb.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(line, "", format!("项目段落 {label} 找不到执行数，未导入"));
            continue;
        };
        let Some(mr) = find(&RATE, me.get(0).map_or(colon, |g| g.end())) else {
            ctx.error(
                line,
                "",
                format!("项目段落 {label} 找不到预算执行率，未导入"),
            );
            continue;
        };
        let grab = |m: &regex::Captures<'_>, g: usize| -> (String, usize) {
            m.get(g)
                .map_or((String::new(), 0), |x| (x.as_str().to_owned(), x.start()))
        };
        let (score_raw, score_at) = grab(&ms, 1);
        let (bud_raw, bud_at) = grab(&mb, 1);
        let (exe_raw, exe_at) = grab(&me, 1);
        let (rate_raw, rate_at) = grab(&mr, 1);
        let rate_raw = format!("{rate_raw}{}", mr.get(2).map_or("", |g| g.as_str()));
        let mut prov = ctx.prov(para.line_at(bud_at), &label);
        prov.table = "项目自评综述".to_owned();
        let mut vals = Vec::new();
        let mut bad = false;
        for (raw, at, what) in [
            (&bud_raw, bud_at, "项目全年预算数"),
            (&exe_raw, exe_at, "执行数"),
            (&score_raw, score_at, "自评得分"),
            (&rate_raw, rate_at, "预算执行率"),
        ] {
            match ctx.number(para.line_at(at), what, raw) {
                Got::Value(v) => vals.push(v),
                _ => {
                    bad = true;
                    break;
                }
            }
        }
        let [bud, exe, score, rate] = match <[_; 4]>::try_from(vals) {
            Ok(v) if !bad => v,
            _ => {
                ctx.error(
                    line,
                    "",
                    format!("项目段落 {label} 有无法读取的数字，未导入"),
                );
                continue;
            }
        };
        for v in [&bud, &exe, &score, &rate] {
            v.mark(&mut prov);
        }
        if para.line_at(pos) != para.line_at(colon.saturating_sub(1)) {
            prov.flag("wrapped");
        }
        let exe_line = para.line_at(exe_at);
        if exe_line != prov.line {
            prov.note(format!("执行数 printed on line {exe_line}"));
        }
        if unit.is_none() {
            prov.note("paragraph names no implementing unit");
        }
        let p = ProjectRow {
            unit: unit.unwrap_or_else(|| "未注明单位".to_owned()),
            project_id: format!("{stem}#{seq}"),
            seq,
            name,
            name_status: "ok",
            budget_initial: None,
            budget_full_year: Some(bud.value.normalize()),
            executed: Some(exe.value.normalize()),
            stated_rate: Some(numbers::percent_to_fraction(rate.value)),
            score: Some(score.value.normalize()),
            reason_tags: reason_tags(&problems_of(t)),
            reasons: String::new(),
            source_unit: "万元",
        };
        ctx.out.project(&ctx.who, &p, &prov);
        ctx.rows_read += 1;
    }
    (found, first)
}

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
        let [b_init, b_full, executed] = match <[_; 3]>::try_from(amounts) {
            Ok(a) => a,
            Err(_) => {
                ctx.error(
                    *fund_line,
                    "",
                    format!("项目自评表 {pid} 资金总额行缺少金额，未导入"),
                );
                ctx.unit = saved_unit;
                continue;
            }
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
