//! Grammar of the tables classified by code: 公开02/03/05/08/09, 预算表3/7/8/10/11 (one row per
//! code, amount columns identified by their headers), 公开06 (three code/name/amount groups per
//! line), 预算表4 (economic names mapped to codes) and 预算表5 (project list).

mod hier;
mod lists;
mod rows;

#[allow(clippy::wildcard_imports)]
use hier::*;
pub use lists::{economic_names, read_basic_by_name, read_economic_groups, read_project_list};
#[allow(clippy::wildcard_imports)]
use rows::*;

use std::collections::{HashMap, HashSet};

use super::Severity;
use super::catalog::{Grid, Row, is_code};
use super::emit::{Amount, ProjectRow};
use super::layout::nospace;
use super::numbers::{self, Cell};
use super::tables::{Ctx, Got, clean_label, column_name, is_own_unit};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Code,
    CodePart,
    Name,
    Unit,
    Amount(Col),
    Ignore,
}

/// An amount column: what it measures. `optional` columns are stored only when the table prints a
/// figure in them somewhere (carry-overs, secondary revenue sources).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Col {
    measure: &'static str,
    fund: &'static str,
    nature: &'static str,
    optional: bool,
}

/// How a code table is read.
#[derive(Clone, Copy, Debug)]
pub struct CodeSpec {
    pub classification: &'static str,
    /// `revenue` for 公开02 (columns are revenue sources), else `expenditure`.
    pub measure: &'static str,
    /// Fund of the table (`all`, `general_budget`, …).
    pub fund: &'static str,
    /// The table holds 基本支出 only (its title says so, e.g. 一般公共预算基本支出明细表): its
    /// 合计 column is the basic expenditure.
    pub basic_only: bool,
}

fn classify(head: &str, spec: &CodeSpec, taken: &mut HashSet<&'static str>) -> Role {
    let h = head;
    if h.contains("编码") || h.contains("代码") {
        return Role::Code;
    }
    if matches!(h, "类" | "款" | "项") {
        return Role::CodePart;
    }
    if h.contains("预算单位") || h.contains("单位名称") {
        return Role::Unit;
    }
    if h.contains("名称") {
        return Role::Name;
    }
    if h.is_empty() || h.contains("采购") {
        return Role::Ignore;
    }
    let mut col = |measure, fund, nature, optional, key: &'static str| {
        if taken.insert(key) {
            Role::Amount(Col {
                measure,
                fund,
                nature,
                optional,
            })
        } else {
            Role::Ignore
        }
    };
    if h.contains("年初结转") || h.contains("上年结转") || h.contains("年初结余") {
        return col("carry_in", spec.fund, "total", true, "carry_in");
    }
    if h.contains("年末结转") || h.contains("年末结余") {
        return col("carry_out", spec.fund, "total", true, "carry_out");
    }
    if spec.measure == "revenue" {
        let sources: [(&str, &str, bool); 7] = [
            ("合计", "all", false),
            ("财政拨款", "fiscal", false),
            ("上级补助", "superior_subsidy", true),
            ("事业收入", "business", true),
            ("附属单位", "affiliated", true),
            ("经营收入", "operating", true),
            ("其他收入", "other_income", true),
        ];
        for (k, fund, optional) in sources {
            if h.contains(k) {
                return col("revenue", fund, "total", optional, fund);
            }
        }
        return Role::Ignore;
    }
    if h.contains("收入") {
        return col("revenue", spec.fund, "total", false, "revenue");
    }
    // 人员经费 | 公用经费 without a 基本支出 column: 基本支出 is their sum (see `roles_of`)
    if h.contains("基本支出") || h.contains("人员经费") || h.contains("人员支出") {
        return col(spec.measure, spec.fund, "basic", false, "basic");
    }
    // 专项业务经费支出: the regional name of 项目支出
    if h.contains("项目支出") || h.contains("专项业务经费") {
        return col(spec.measure, spec.fund, "project", false, "project");
    }
    if h.contains("合计") || h.contains("总计") || h.contains("小计") || h.contains("本年支出")
    {
        if spec.basic_only {
            return col(spec.measure, spec.fund, "basic", false, "basic");
        }
        return col(spec.measure, spec.fund, "total", false, "total");
    }
    Role::Ignore
}

fn roles_of(grid: &Grid, spec: &CodeSpec) -> Vec<Role> {
    let mut taken = HashSet::new();
    let mut roles: Vec<Role> = (0..grid.width())
        .map(|i| classify(&grid.head(i), spec, &mut taken))
        .collect();
    // a merged 科目编码 header over 类 | 款 | 项 columns: the first column is the 类 part
    for i in 0..roles.len() {
        if roles.get(i) == Some(&Role::Code)
            && roles.get(i + 1) == Some(&Role::CodePart)
            && let Some(r) = roles.get_mut(i)
        {
            *r = Role::CodePart;
        }
    }
    // a second classification printed beside the first (部门经济分类 | 政府经济分类, each with
    // its code columns and name): only the first is read
    let mut run_ended = false;
    let mut in_run = false;
    let mut named = false;
    for r in &mut roles {
        match r {
            Role::Code | Role::CodePart => {
                if run_ended {
                    *r = Role::Ignore;
                } else {
                    in_run = true;
                }
            }
            Role::Name => {
                if named {
                    *r = Role::Ignore;
                }
                named = true;
                run_ended |= in_run;
            }
            _ => run_ended |= in_run,
        }
    }
    // 基本支出 printed as two sub-columns (人员支出 | 公用经费) under one merged header cell: the
    // table has no 基本支出 column of its own, the figure is the sum of the two printed parts
    for i in 0..roles.len() {
        let (head, next_head) = (grid.head(i), grid.head(i + 1));
        let is_basic = matches!(roles.get(i), Some(Role::Amount(c)) if c.nature == "basic");
        if is_basic
            && head.contains("人员")
            && next_head.contains("公用")
            && roles.get(i + 1) == Some(&Role::Ignore)
            && let Some(Role::Amount(c)) = roles.get(i).copied()
            && let Some(r) = roles.get_mut(i + 1)
        {
            *r = Role::Amount(c);
        }
    }
    roles
}

/// Read a code table (every chunk) and store its rows.
pub fn read_code_table(ctx: &mut Ctx<'_>, chunks: &[Grid], spec: CodeSpec, department: &str) {
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut hier = Hier::default();
    let mut last_roles: Option<Vec<Role>> = None;
    let mut heads: HashMap<usize, String> = HashMap::new();
    for grid in chunks {
        let mut roles = roles_of(grid, &spec);
        if !roles.iter().any(|r| matches!(r, Role::Amount(_))) {
            match &last_roles {
                Some(prev) if grid.header.is_empty() => roles = prev.clone(),
                _ => {
                    // a chunk without any figure (a contents-page entry taken for a title, its
                    // "rows" the prose below) holds nothing to read
                    let figures = grid.rows.iter().any(|r| {
                        r.cells
                            .iter()
                            .any(|c| matches!(numbers::read_cell(c), Cell::Number(_)))
                    });
                    if !figures {
                        continue;
                    }
                    // no recognisable amount columns: report the chunk as unreadable
                    let line = grid
                        .header
                        .first()
                        .or(grid.rows.first())
                        .map_or(grid.title_line, |r| r.line);
                    ctx.error(
                        line,
                        "",
                        format!("表头无法识别金额列（{}），本页未导入", ctx.id),
                    );
                    continue;
                }
            }
        }
        for (i, r) in roles.iter().enumerate() {
            if matches!(r, Role::Amount(_)) {
                heads
                    .entry(i)
                    .or_insert_with(|| column_name(&grid.head(i), i));
            }
        }
        if !roles
            .iter()
            .any(|r| matches!(r, Role::Code | Role::CodePart))
        {
            // a table whose header names no code column: the column of the table's own
            // classification (Beijing prints 功能 | 政府经济 | 部门经济 columns of `code-name`
            // cells side by side), else the first column holding codes
            let holds_codes = |i: usize| {
                grid.rows.iter().any(|r| {
                    let c = r.get(i).trim();
                    is_code(c) || split_code_cell(c).is_some_and(|(_, name)| !name.is_empty())
                })
            };
            let own = (0..grid.width()).find(|&i| {
                let h = grid.head(i);
                let named = if spec.classification == "economic" {
                    h.contains("部门") && h.contains("经济")
                } else {
                    h.contains("功能")
                };
                named && holds_codes(i)
            });
            if let Some(i) = own.or_else(|| (0..3).find(|&i| holds_codes(i))) {
                if let Some(r) = roles.get_mut(i) {
                    *r = Role::Code;
                }
                // the next column names the codes, unless it is another classification's
                // column of `code-name` cells (the name is then in the code's own cell)
                if !holds_codes(i + 1)
                    && let Some(r) = roles.get_mut(i + 1)
                    && *r == Role::Ignore
                {
                    *r = Role::Name;
                }
            }
        }
        hier.names_only = !roles
            .iter()
            .any(|r| matches!(r, Role::Code | Role::CodePart))
            && roles.contains(&Role::Name);
        for row in &grid.rows {
            parsed.push(parse_row(
                ctx, row, &roles, department, &heads, &spec, &mut hier,
            ));
        }
        last_roles = Some(roles);
    }
    // optional columns are stored only when the table prints a figure in them
    let printed: HashSet<Col> = parsed
        .iter()
        .flat_map(|p| p.cells.iter())
        .filter(|(_, _, raw)| matches!(numbers::read_cell(raw), Cell::Number(_)))
        .map(|(_, c, _)| *c)
        .collect();
    let merged = merge_wrapped(ctx, parsed);
    // a code printed on several rows of one table (a cross-tabulation with a second
    // classification, or one row per subordinate unit without its name): each row is stored as
    // printed, and the repetition is said once per code
    let mut seen: HashMap<(Option<&str>, &str), bool> = HashMap::new(); // (unit, code) → said
    let mut block: Option<&str> = None;
    for p in &merged {
        if let Some(u) = &p.unit_block {
            block = Some(u.as_str());
        }
        if !(p.has_key && p.has_number && !p.code.is_empty()) {
            continue;
        }
        let key = (block, p.code.as_str());
        match seen.get(&key) {
            Some(false) => {
                ctx.warn(
                    p.line,
                    "科目编码",
                    format!(
                        "科目 {} 在本表中重复出现（表中另有分类维度或按单位分列），各行按原样分别存储",
                        p.code
                    ),
                );
                seen.insert(key, true);
            }
            Some(true) => {}
            None => {
                seen.insert(key, false);
            }
        }
    }
    // rows below a unit's header row are that unit's (`本级` for the document's own unit)
    let mut unit_who: Option<super::emit::Who> = None;
    let mut unkeyed: Vec<(usize, String)> = Vec::new();
    for mut p in merged {
        if let Some(u) = &p.unit_block {
            let mut who = ctx.who.clone();
            who.unit = if is_own_unit(u, department) {
                "本级".to_owned()
            } else {
                u.clone()
            };
            unit_who = Some(who);
        }
        if !p.has_key && p.has_number && p.unit_block.is_none() {
            // figures on a row that names no code, total or unit: said (below), never dropped
            // silently
            let what = if p.label.is_empty() {
                &p.name
            } else {
                &p.label
            };
            unkeyed.push((p.line, what.clone()));
            continue;
        }
        if !p.has_key || !p.has_number {
            continue;
        }
        if p.name.is_empty() {
            // a code printed without its name: named from the shipped classification
            use crate::model::catalog::{List, name_of};
            let list = catalog_list(spec.classification);
            if let Some(name) = name_of(list, &p.code, ctx.who.year).or_else(|| {
                (spec.classification == "economic")
                    .then(|| name_of(List::EconomicGov, &p.code, ctx.who.year))
                    .flatten()
            }) {
                p.name = name.to_owned();
                p.notes
                    .push(format!("name not printed; {name} from the classification"));
                p.name_from_code = true;
                p.wrapped = false;
                ctx.warn(
                    p.line,
                    "科目名称",
                    format!("科目 {} 未印名称，按分类科目表取“{name}”", p.code),
                );
            } else {
                ctx.error(
                    p.line,
                    "科目名称",
                    format!(
                        "科目 {} 未印名称，分类科目表中也没有此编码；本行未导入",
                        p.code
                    ),
                );
                continue;
            }
        }
        let row_has_number = p
            .cells
            .iter()
            .any(|(_, c, raw)| printed.contains(c) && numbers::is_num(raw));
        if !row_has_number {
            continue;
        }
        let mut done: HashSet<Col> = HashSet::new();
        for (_, col, _) in &p.cells {
            if col.optional && !printed.contains(col) || done.contains(col) {
                continue;
            }
            // a figure printed in several columns (基本支出 = 人员支出 + 公用经费) is their sum
            let parts: Vec<(usize, &String)> = p
                .cells
                .iter()
                .filter(|(_, c, _)| c == col)
                .map(|(j, _, r)| (*j, r))
                .collect();
            done.insert(*col);
            let cells: Vec<(String, &str)> = parts
                .iter()
                .map(|(j, raw)| (heads.get(j).cloned().unwrap_or_default(), raw.as_str()))
                .collect();
            let sum = ctx.money_sum(p.line, &cells, true);
            let Some((val, blank)) = sum else {
                continue;
            };
            if blank && col.measure.starts_with("carry") {
                continue; // carry-over cells are stored only where printed
            }
            let mut prov = ctx.prov(p.line, &p.label);
            if blank {
                prov.flag("blank");
            }
            if parts.len() > 1 {
                prov.flag("derived");
                let names: Vec<String> = parts
                    .iter()
                    .map(|(j, _)| heads.get(j).cloned().unwrap_or_default())
                    .collect();
                prov.note(format!("sum of the printed columns {}", names.join(" + ")));
            }
            val.mark(&mut prov);
            if p.wrapped {
                prov.flag("wrapped");
            }
            if p.name_from_code {
                prov.flag("name_from_code");
            }
            if p.code_from_name {
                prov.flag("code_from_name");
                prov.note("code not printed; from the classification by name and place");
            }
            for n in &p.notes {
                prov.note(n.clone());
            }
            let a = Amount {
                stage: ctx.stage,
                measure: col.measure,
                fund: col.fund,
                classification: spec.classification,
                code: &p.code,
                name: &p.name,
                level: p.level,
                nature: col.nature,
                amount: val.value,
                source_unit: ctx.unit,
            };
            let year = ctx.who.year;
            let who = unit_who.as_ref().unwrap_or(&ctx.who);
            ctx.out.amount(who, year, &a, &prov);
            ctx.rows_read += 1;
        }
    }
    report_unkeyed(ctx, &unkeyed);
}

/// Rows with figures that name no code, total or unit: one warning per row, or one for the table
/// when there are many (the table's layout was not understood).
fn report_unkeyed(ctx: &mut Ctx<'_>, rows: &[(usize, String)]) {
    if rows.len() <= 3 {
        for (line, what) in rows {
            ctx.warn(
                *line,
                "科目编码",
                format!("行 {what:?} 有金额，但没有可识别的科目编码，也不是合计行（未存储）"),
            );
        }
        return;
    }
    let Some((first, _)) = rows.first() else {
        return;
    };
    ctx.warn(
        *first,
        "科目编码",
        format!(
            "本表有 {} 行有金额，但没有可识别的科目编码，也不是合计行（未存储；位置为其中第一行）",
            rows.len()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Hangzhou layout: names only, hierarchy by order (`行政运行` exists under many 款).
    #[test]
    fn names_only_rows_get_codes_by_name_and_place() {
        let mut h = Hier::default();
        let mut code = |name: &str| h.code_for_name(name, "functional");
        assert_eq!(code("社会保障和就业支出").as_deref(), Some("208"));
        assert_eq!(code("行政事业单位养老支出").as_deref(), Some("20805"));
        assert_eq!(code("行政单位离退休").as_deref(), Some("2080501"));
        assert_eq!(
            code("机关事业单位基本养老保险缴费支出").as_deref(),
            Some("2080505")
        );
        assert_eq!(code("卫生健康支出").as_deref(), Some("210"));
        assert_eq!(code("行政事业单位医疗").as_deref(), Some("21011"));
        assert_eq!(code("行政单位医疗").as_deref(), Some("2101101"));
        assert_eq!(code("一般公共服务支出").as_deref(), Some("201"));
        assert_eq!(code("审计事务").as_deref(), Some("20108"));
        assert_eq!(code("行政运行").as_deref(), Some("2010801"));
        assert_eq!(code("不存在的科目名称"), None);
    }

    #[test]
    fn figures_glued_to_names_are_found() {
        assert_eq!(trailing_figure("教育支出5,624.16"), Some("5,624.16"));
        assert_eq!(trailing_figure("行政运行4,172.93"), Some("4,172.93"));
        assert_eq!(trailing_figure("其他支出123.17"), Some("123.17"));
        assert_eq!(trailing_figure("其他支出1,000"), Some("1,000"));
        for name in ["行政运行", "2020年债券", "5G网络", "第2项", "12.50"] {
            assert_eq!(trailing_figure(name), None, "{name}");
        }
    }

    #[test]
    fn code_digits_rebuilt_from_the_rows_above() {
        let mut h = Hier::default();
        let parts = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(h.code_from_parts(&parts(&["201", "", ""])), "201");
        assert_eq!(h.code_from_parts(&parts(&["", "40", ""])), "20140");
        assert_eq!(h.code_from_parts(&parts(&["", "", "01"])), "2014001");
        assert_eq!(h.code_from_parts(&parts(&["201", "40", "04"])), "2014004");
        assert_eq!(
            split_code_cell("[2010501]行政运行"),
            Some(("2010501".into(), "行政运行".into()))
        );
        assert_eq!(
            split_code_cell("2010801-行政运行"),
            Some(("2010801".into(), "行政运行".into()))
        );
        assert_eq!(split_code_cell("[20105"), None);
    }
}
