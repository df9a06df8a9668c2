//! Grammar of the tables classified by code: 公开02/03/05/08/09, 预算表3/7/8/10/11 (one row per
//! code, amount columns identified by their headers), 公开06 (three code/name/amount groups per
//! line), 预算表4 (economic names mapped to codes) and 预算表5 (project list).

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
            && let Some(Role::Amount(c)) = roles.get(i).cloned()
            && let Some(r) = roles.get_mut(i + 1)
        {
            *r = Role::Amount(c);
        }
    }
    roles
}

/// The shipped classification list a code table's `classification` is read against.
fn catalog_list(classification: &str) -> crate::model::catalog::List {
    use crate::model::catalog::List;
    if classification == "economic" {
        List::EconomicDept
    } else {
        List::Functional
    }
}

/// The 类 and 款 above the current row, for code columns that print only the digits of the
/// row's own level (`201` / `40` / `01` in 类 / 款 / 项 columns): the full code is rebuilt from
/// the column the digits are printed in and the rows above.
#[derive(Clone, Default)]
struct Hier {
    lei: String,
    kuan: String,
    /// The table prints names only (no code column): codes come from the classification.
    names_only: bool,
}

impl Hier {
    fn saw(&mut self, code: &str) {
        match code.len() {
            3 => {
                self.lei = code.to_owned();
                self.kuan.clear();
            }
            5 => {
                self.lei = code.get(..3).unwrap_or("").to_owned();
                self.kuan = code.to_owned();
            }
            _ => {}
        }
    }

    /// The code of a row printed by name only: a 项 under the current 款, a 款 under the current
    /// 类, or a 类 — in that order (after a 类 row, its 款 first) — when exactly one code of the
    /// shipped classification has that name there.
    fn code_for_name(&mut self, name: &str, classification: &str) -> Option<String> {
        use crate::model::catalog::codes_named;
        let list = catalog_list(classification);
        let one = |parent: Option<&str>, len: usize| -> Option<String> {
            let found: Vec<&str> = codes_named(list, name, parent)
                .into_iter()
                .filter(|c| c.len() == len)
                .collect();
            match found.as_slice() {
                [c] => Some((*c).to_owned()),
                _ => None,
            }
        };
        let xiang = (!self.kuan.is_empty())
            .then(|| one(Some(&self.kuan), 7))
            .flatten();
        let kuan = (!self.lei.is_empty())
            .then(|| one(Some(&self.lei), 5))
            .flatten();
        let code = if self.kuan.is_empty() {
            kuan.or(xiang).or_else(|| one(None, 3))
        } else {
            xiang.or(kuan).or_else(|| one(None, 3))
        }?;
        if code.len() == 7 {
            // a 项 keeps the 类 and 款 above
        } else {
            self.saw(&code);
        }
        Some(code)
    }

    /// A 款/项 part printed without its leading zero (`301 2` for 30102): the padded code, taken
    /// (and the rows above updated) only when the shipped classification gives it `name`.
    fn code_with_leading_zeros(
        &mut self,
        parts: &[String],
        name: &str,
        classification: &str,
        year: i32,
    ) -> Option<String> {
        use crate::model::catalog::{name_of, same_name};
        if name.is_empty() || !parts.iter().skip(1).any(|x| x.len() == 1) {
            return None;
        }
        let padded: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, x)| {
                if i > 0 && x.len() == 1 {
                    format!("0{x}")
                } else {
                    x.clone()
                }
            })
            .collect();
        let mut trial = self.clone();
        let candidate = trial.code_from_parts(&padded);
        let confirmed = level_of(&candidate).is_some()
            && name_of(catalog_list(classification), &candidate, year)
                .is_some_and(|n| same_name(n, name));
        confirmed.then(|| {
            *self = trial;
            candidate
        })
    }

    /// The code of a row from its 类/款/项 cells (digits or empty, in column order).
    fn code_from_parts(&mut self, parts: &[String]) -> String {
        let filled: Vec<usize> = (0..parts.len())
            .filter(|&i| parts.get(i).is_some_and(|p| !p.is_empty()))
            .collect();
        let Some(&first) = filled.first() else {
            return String::new();
        };
        let joined: String = parts.iter().skip(first).map(String::as_str).collect();
        let code = match first {
            0 => joined,
            1 if joined.len() == 2 || joined.len() == 4 => {
                if self.lei.is_empty() {
                    return joined; // no 类 above: reported as a code of the wrong length
                }
                format!("{}{joined}", self.lei)
            }
            2 if joined.len() == 2 => {
                if self.kuan.is_empty() {
                    return joined;
                }
                format!("{}{joined}", self.kuan)
            }
            _ => joined,
        };
        self.saw(&code);
        code
    }
}

impl Parsed {
    /// The row is keyed by `code` at `level` under `name`.
    fn set_key(&mut self, level: &'static str, code: String, name: String) {
        self.level = level;
        self.code = code;
        self.label = name.clone();
        self.name = name;
        self.has_key = true;
    }
}

/// A parsed body row before emission.
struct Parsed {
    line: usize,
    code: String,
    name: String,
    label: String,
    level: &'static str,
    has_key: bool,
    cells: Vec<(usize, Col, String)>,
    has_number: bool,
    notes: Vec<String>,
    wrapped: bool,
    /// The name was not printed and comes from the shipped classification.
    name_from_code: bool,
    /// The code was not printed and comes from the shipped classification (by name and place).
    code_from_name: bool,
    /// A unit's header row in a table listed unit by unit (`125001 | 西安市…局 | 2,080.32`): the
    /// unit's name; the rows below it are that unit's.
    unit_block: Option<String>,
}

fn level_of(code: &str) -> Option<&'static str> {
    match code.len() {
        3 => Some("lei"),
        5 => Some("kuan"),
        7 => Some("xiang"),
        _ => None,
    }
}

/// A grand-total row's label: `合计`, `总计` (also with a trailing colon, `总计：`).
fn is_total_label(t: &str) -> bool {
    matches!(t.trim_end_matches([':', '：']), "合计" | "总计")
}

/// A unit's code in a table listed unit by unit: six digits (`125001`).
fn is_unit_code(t: &str) -> bool {
    t.len() == 6 && t.chars().all(|c| c.is_ascii_digit())
}

/// Whether a name printed beside a unit code names an organisation.
fn is_unit_name(name: &str, department: &str) -> bool {
    const SUFFIXES: [&str; 22] = [
        "局",
        "中心",
        "支队",
        "大队",
        "院",
        "站",
        "所",
        "处",
        "办",
        "办公室",
        "委员会",
        "会",
        "队",
        "馆",
        "校",
        "学校",
        "园",
        "部",
        "室",
        "社",
        "台",
        "厅",
    ];
    !name.is_empty()
        && (is_own_unit(name, department) || SUFFIXES.iter().any(|s| name.ends_with(s)))
}

/// Split a code cell into (code, trailing text printed in the same cell).
fn split_code_cell(cell: &str) -> Option<(String, String)> {
    let t = cell.trim();
    if is_code(t) {
        return Some((nospace(t), String::new()));
    }
    // `[2010501]行政运行` (Guangdong): the code in brackets
    let (t, bracketed) = match t.strip_prefix(['[', '【']) {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if matches!(digits.len(), 3 | 5 | 7) {
        let mut rest = t.get(digits.len()..).unwrap_or("");
        if bracketed {
            match rest.strip_prefix([']', '】']) {
                Some(r) => rest = r,
                None => return None,
            }
            return Some((digits, rest.trim().to_owned()));
        }
        // `2010801-行政运行` (Beijing): code and name joined by a hyphen
        if let Some(r) = rest.strip_prefix(['-', '－', '—']) {
            return Some((digits, r.trim().to_owned()));
        }
        if rest.starts_with(char::is_whitespace)
            || rest.chars().next().is_some_and(|c| !c.is_ascii())
        {
            return Some((digits, rest.trim().to_owned()));
        }
    }
    None
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
            match name_of(list, &p.code, ctx.who.year).or_else(|| {
                (spec.classification == "economic")
                    .then(|| name_of(List::EconomicGov, &p.code, ctx.who.year))
                    .flatten()
            }) {
                Some(name) => {
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
                }
                None => {
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

fn parse_row(
    ctx: &mut Ctx<'_>,
    row: &Row,
    roles: &[Role],
    department: &str,
    heads: &HashMap<usize, String>,
    spec: &CodeSpec,
    hier: &mut Hier,
) -> Parsed {
    let mut code = String::new();
    let mut code_text = String::new();
    let mut parts: Vec<String> = Vec::new();
    let mut name = String::new();
    let mut unit = String::new();
    let mut cells = Vec::new();
    let mut notes = Vec::new();
    let mut first_text = String::new();
    let mut total_text = String::new();
    for (i, role) in roles.iter().enumerate() {
        let cell = row.get(i);
        match role {
            Role::Code => {
                if let Some((c, rest)) = split_code_cell(cell) {
                    code = c;
                    code_text = rest;
                } else if first_text.is_empty() {
                    first_text = clean_label(cell);
                }
            }
            Role::CodePart => {
                let t = cell.trim();
                // leading digits are this column's part of the code; text after them (or instead
                // of them) is a name that strayed into the code column of a space-aligned table
                let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                let rest = clean_label(t.get(digits.len()..).unwrap_or(""));
                parts.push(digits);
                if !rest.is_empty() && !rest.chars().all(|c| c == '*') {
                    if parts.iter().all(String::is_empty) {
                        // `合计` printed across the code columns, or a name without code
                        if first_text.is_empty() {
                            first_text = rest.clone();
                        }
                    }
                    if code_text.is_empty() {
                        code_text = rest;
                    }
                }
            }
            Role::Name => name = clean_label(cell),
            Role::Unit => unit = clean_label(cell),
            Role::Amount(col) => cells.push((i, *col, cell.to_owned())),
            Role::Ignore => {
                // 合计 printed in a column of its own (a second classification's name column)
                let t = clean_label(cell);
                if is_total_label(&t) && total_text.is_empty() {
                    total_text = t;
                }
            }
        }
    }
    // a 款 printed as its last two digits in the code column, under its 类 (Xi'an: 208 / 05 /
    // 2080505): the 类 above completes it
    if code.is_empty()
        && parts.is_empty()
        && first_text.len() == 2
        && first_text.chars().all(|c| c.is_ascii_digit())
        && !hier.lei.is_empty()
    {
        code = format!("{}{first_text}", hier.lei);
        notes.push(format!(
            "款 printed as {first_text} under 类 {}; code completed from the 类 above",
            hier.lei
        ));
        hier.saw(&code);
        first_text.clear();
    }
    if code.is_empty() {
        code = match hier.code_with_leading_zeros(&parts, &name, spec.classification, ctx.who.year)
        {
            Some(restored) => {
                let printed = parts
                    .iter()
                    .filter(|x| !x.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                ctx.warn(
                    row.line,
                    "科目编码",
                    format!(
                        "科目编码印为 {printed}，缺前导 0；按分类科目表（{restored}“{name}”）补齐"
                    ),
                );
                notes.push(format!(
                    "code printed as {printed}; leading zero restored from the classification"
                ));
                restored
            }
            None => hier.code_from_parts(&parts),
        };
    } else {
        hier.saw(&code);
    }
    if !code_text.is_empty() && !code.is_empty() && name.is_empty() {
        name = clean_label(&code_text);
        notes.push("code and name printed in one cell".to_owned());
    }
    // a figure that strayed into the name cell of an unruled table is no part of the name: a
    // name that is a figure is no name (named from the classification below), and a figure
    // glued to the end of a name that the row prints again in its own column is dropped from it
    if !code.is_empty() && numbers::is_num(&name) {
        notes.push(format!(
            "name cell held the figure {name:?}; not taken as the name"
        ));
        name.clear();
    } else if !code.is_empty() {
        let glued = cells
            .iter()
            .map(|(_, _, raw)| nospace(raw))
            .filter(|raw| numbers::is_num(raw) && raw.contains('.'))
            .find(|raw| name.ends_with(raw.as_str()) && name.len() > raw.len());
        if let Some(raw) = glued {
            let cut = name.len() - raw.len();
            if let Some(rest) = name.get(..cut)
                && !rest.ends_with(|c: char| c.is_ascii_digit() || c == ',' || c == '.')
            {
                notes.push(format!(
                    "figure {raw} printed against the name; not part of it"
                ));
                name = rest.to_owned();
            }
        }
    }
    let has_number = cells.iter().any(|(_, _, raw)| numbers::is_num(raw));
    // unreadable cells are reported once, when the row is stored or skipped
    for (i, _, raw) in &cells {
        if matches!(numbers::read_cell(raw), Cell::Text) {
            let column = heads.get(i).cloned().unwrap_or_default();
            ctx.error(
                row.line,
                &column,
                format!("无法读取数字 {:?}（未存储）", raw.trim()),
            );
        }
    }
    let mut p = Parsed {
        line: row.line,
        code: String::new(),
        name: String::new(),
        label: String::new(),
        level: "total",
        has_key: false,
        cells: cells
            .into_iter()
            .filter(|(_, _, raw)| !matches!(numbers::read_cell(raw), Cell::Text))
            .collect(),
        has_number,
        notes,
        wrapped: false,
        name_from_code: false,
        code_from_name: false,
        unit_block: None,
    };
    if !code.is_empty() {
        // a figure still at the end of the name was not printed again in its own column: the
        // columns of this row could not be told apart, and no cell of it can be trusted
        if let Some(figure) = trailing_figure(&name) {
            ctx.error(
                row.line,
                "科目名称",
                format!(
                    "科目名称“{name}”末尾混有数字 {figure}（与相邻金额列未能分开），本行未导入"
                ),
            );
            return p;
        }
        // the 类 must be one of the classification's: functional codes are 2xx, economic 3xx
        // (部门预算) or 5xx (政府预算); anything else is a misprint or a misread
        let known = match spec.classification {
            "functional" => code.starts_with('2'),
            "economic" => code.starts_with('3') || code.starts_with('5'),
            _ => true,
        };
        if !known {
            ctx.error(
                row.line,
                "科目编码",
                format!(
                    "科目编码 {code} 不是{}的科目（类 {} 不存在），本行未导入",
                    if spec.classification == "functional" {
                        "支出功能分类"
                    } else {
                        "经济分类"
                    },
                    code.get(..3).unwrap_or(&code)
                ),
            );
            return p;
        }
        match level_of(&code) {
            Some("xiang") if spec.classification == "economic" => {
                // a regional sub-item of an economic 款 (3010201 under 30102): kept with its
                // 7-digit code, said once per row
                ctx.info(
                    row.line,
                    format!(
                        "经济分类科目 {code} 为款 {} 的地方细化科目，按原样存储",
                        code.get(..5).unwrap_or_default()
                    ),
                );
                p.notes
                    .push("regional sub-item of an economic 款 (7-digit code)".to_owned());
                p.set_key("xiang", code, name);
            }
            Some(level) => p.set_key(level, code, name),
            _ => ctx.error(
                row.line,
                "科目编码",
                format!("科目编码 {code:?} 位数不对（未存储）"),
            ),
        }
        return p;
    }
    if is_unit_code(&first_text) && is_unit_name(&name, department) && p.has_number {
        p.label = format!("{first_text} {name}");
        p.name = "合计".to_owned();
        p.has_key = true;
        p.notes.push(format!("total of unit {first_text} {name}"));
        p.unit_block = Some(name);
        return p;
    }
    let label = if !first_text.is_empty() {
        first_text
    } else if name.is_empty() {
        total_text
    } else {
        name.clone()
    };
    if is_total_label(&label) {
        let label = label.trim_end_matches([':', '：']).to_owned();
        p.name = label.clone();
        p.label = label;
        p.has_key = true;
    } else if !unit.is_empty() {
        if is_own_unit(&unit, department) {
            p.name = unit.clone();
            p.label = unit;
            p.has_key = true;
        } else if p.has_number {
            ctx.issue(
                Severity::Info,
                Some(row.line),
                "",
                format!("主管部门行 {unit:?} 未存储（与本级数字重复）"),
            );
        }
    } else if hier.names_only && p.has_number && !name.is_empty() {
        // a table that prints names only: the code from the shipped classification, by the
        // name and its place under the rows above
        match hier.code_for_name(&name, spec.classification) {
            Some(code) => {
                if let Some(level) = level_of(&code) {
                    ctx.warn(
                        row.line,
                        "科目名称",
                        format!("未印科目编码，按名称与层次取分类科目 {code}“{name}”"),
                    );
                    p.set_key(level, code, name);
                    p.code_from_name = true;
                }
            }
            None => ctx.error(
                row.line,
                "科目名称",
                format!("未印科目编码，“{name}”在分类科目表中找不到（或不止一个），本行未导入"),
            ),
        }
    } else {
        // a name without a code: a wrapped name fragment (resolved by `merge_wrapped`)
        p.name = name;
    }
    p
}

/// A figure (digits with a decimal point or thousands separator) at the end of a name:
/// `教育支出5,624.16` → `5,624.16`.
fn trailing_figure(name: &str) -> Option<&str> {
    let start = name
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .last()
        .map(|(i, _)| i)?;
    let tail = name.get(start..)?.trim_start_matches([',', '.']);
    let figure = tail.contains(['.', ','])
        && tail.chars().next().is_some_and(|c| c.is_ascii_digit())
        && numbers::is_num(tail);
    (figure && tail.len() < name.len()).then_some(tail)
}

/// Join names printed on a separate line with the row they belong to (see module docs of
/// `report`): a code row without numbers followed by a numbers row without code; a name fragment
/// before a row whose name is empty; otherwise a fragment continues the row above.
fn merge_wrapped(ctx: &mut Ctx<'_>, rows: Vec<Parsed>) -> Vec<Parsed> {
    let mut out: Vec<Parsed> = Vec::with_capacity(rows.len());
    let mut pending: Option<(String, usize)> = None; // fragment waiting for the next row
    let mut it = rows.into_iter().peekable();
    while let Some(mut p) = it.next() {
        let fragment = !p.has_key && !p.has_number && !p.name.is_empty();
        if fragment {
            let next_nameless = it
                .peek()
                .is_some_and(|n| n.name.is_empty() && (n.has_key || n.has_number));
            if next_nameless {
                pending = Some((p.name, p.line));
            } else if let Some(prev) = out.last_mut() {
                prev.name.push_str(&p.name);
                prev.label = prev.name.clone();
                prev.wrapped = true;
                prev.notes
                    .push(format!("name continues on line {}", p.line));
            } else {
                ctx.warn(
                    p.line,
                    "科目名称",
                    format!("无法归属的名称片段 {:?}（未存储）", p.name),
                );
            }
            continue;
        }
        // a code row without numbers followed by a numbers row without code or name
        if p.has_key
            && !p.has_number
            && let Some(n) = it.peek()
            && !n.has_key
            && n.has_number
            && n.name.is_empty()
            && let Some(n) = it.next()
        {
            let code_line = p.line;
            p.line = n.line;
            p.cells = n.cells;
            p.has_number = true;
            p.wrapped = true;
            p.notes
                .push(format!("code and name printed on line {code_line}"));
        }
        if let Some((frag, line)) = pending.take() {
            p.name = format!("{frag}{}", p.name);
            p.label = p.name.clone();
            p.wrapped = true;
            p.notes.push(format!("name printed on line {line}"));
        }
        out.push(p);
    }
    out
}

/// Economic names → codes read from the economic code tables of the document.
pub fn economic_names(chunks: &[Grid]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for g in chunks {
        for r in &g.rows {
            for i in 0..r.cells.len().min(4) {
                let c = r.get(i).trim();
                if is_code(c) && matches!(c.len(), 3 | 5) {
                    let name = nospace(r.get(i + 1));
                    if !name.is_empty() {
                        map.entry(name).or_insert_with(|| c.to_owned());
                    }
                    break;
                }
            }
        }
    }
    map
}

/// 公开06: groups of (科目编码, 科目名称, 决算数) side by side, and the 人员经费合计 / 公用经费合计
/// footer.
pub fn read_economic_groups(ctx: &mut Ctx<'_>, chunks: &[Grid], fund: &'static str) {
    struct Entry {
        line: usize,
        code: String,
        name: String,
        amount: String,
        column: String,
        wrap: Option<usize>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for grid in chunks {
        let groups: Vec<usize> = (0..grid.width())
            .filter(|&i| {
                let h = grid.head(i);
                h.contains("编码") || h.contains("代码")
            })
            .collect();
        if groups.is_empty() {
            let line = grid.header.first().map_or(grid.title_line, |r| r.line);
            ctx.error(line, "", "表头中找不到“科目编码”列，本页未导入");
            continue;
        }
        let mut last_in_group: HashMap<usize, usize> = HashMap::new();
        for row in &grid.rows {
            // footer: label cells followed by their amount
            let mut footer = false;
            for (i, cell) in row.cells.iter().enumerate() {
                let label = clean_label(cell);
                let item = match label.as_str() {
                    "人员经费合计" | "人员经费" => "personnel",
                    "公用经费合计" | "公用经费" => "public",
                    _ => continue,
                };
                footer = true;
                let amount = row
                    .cells
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .take_while(|(_, c)| {
                        let t = clean_label(c);
                        t.is_empty() || numbers::is_num(c)
                    })
                    .find(|(_, c)| numbers::is_num(c));
                if let Some((j, raw)) = amount {
                    let column = column_name(&grid.head(j), j);
                    if let Got::Value(v) = ctx.money(row.line, &column, raw) {
                        let mut prov = ctx.prov(row.line, &label);
                        v.mark(&mut prov);
                        let stage = ctx.stage;
                        ctx.out.total(
                            &ctx.who, stage, fund, item, &label, v.value, ctx.unit, &prov,
                        );
                        ctx.rows_read += 1;
                    }
                }
            }
            if footer {
                continue;
            }
            for &g in &groups {
                let code = row.get(g).trim();
                let name = row.get(g + 1).trim();
                let amount = row.get(g + 2).trim();
                if is_code(code) && matches!(nospace(code).len(), 3 | 5) {
                    last_in_group.insert(g, entries.len());
                    entries.push(Entry {
                        line: row.line,
                        code: nospace(code),
                        name: nospace(name),
                        amount: amount.to_owned(),
                        column: column_name(&grid.head(g + 2), g + 2),
                        wrap: None,
                    });
                } else if code.is_empty()
                    && amount.is_empty()
                    && !name.is_empty()
                    && let Some(e) = last_in_group.get(&g).and_then(|&k| entries.get_mut(k))
                {
                    e.name.push_str(&nospace(name));
                    e.wrap = Some(row.line);
                }
            }
        }
    }
    for e in entries {
        let Got::Value(v) = ctx.money(e.line, &e.column, &e.amount) else {
            continue; // only codes with a number are stored
        };
        let mut prov = ctx.prov(e.line, &e.name);
        v.mark(&mut prov);
        if let Some(w) = e.wrap {
            prov.flag("wrapped");
            prov.note(format!("name continues on line {w}"));
        }
        let level = if e.code.len() == 3 { "lei" } else { "kuan" };
        let a = Amount {
            stage: ctx.stage,
            measure: "expenditure",
            fund,
            classification: "economic",
            code: &e.code,
            name: &e.name,
            level,
            nature: "basic",
            amount: v.value,
            source_unit: ctx.unit,
        };
        let year = ctx.who.year;
        ctx.out.amount(&ctx.who, year, &a, &prov);
        ctx.rows_read += 1;
    }
}

/// The first column whose header reads as a total (`总计` / `合计`), else column 1.
fn total_column(grid: &Grid) -> usize {
    (1..grid.width())
        .find(|&i| {
            let h = grid.head(i);
            h.contains("总计") || h.contains("合计")
        })
        .unwrap_or(1)
}

/// 预算表4 基本支出总表: one row per economic name (mapped to its code) or per unit.
pub fn read_basic_by_name(
    ctx: &mut Ctx<'_>,
    chunks: &[Grid],
    department: &str,
    names: &HashMap<String, String>,
    names_from: &str,
) {
    for grid in chunks {
        let col = total_column(grid);
        let column = column_name(&grid.head(col), col);
        for row in &grid.rows {
            let label = clean_label(row.get(0));
            if label.is_empty() || !numbers::is_num(row.get(col)) {
                continue;
            }
            let own = is_own_unit(&label, department);
            let (code, level, note) = if own {
                (String::new(), "total", None)
            } else if let Some(code) = names.get(&label) {
                let level = if code.len() == 3 { "lei" } else { "kuan" };
                (
                    code.clone(),
                    level,
                    Some(format!("code mapped from the name via {names_from}")),
                )
            } else if label.ends_with('局') || label.ends_with("厅") || label.ends_with("委员会")
            {
                ctx.info(
                    row.line,
                    format!("主管部门行 {label:?} 未存储（与本级数字重复）"),
                );
                continue;
            } else {
                ctx.warn(
                    row.line,
                    "支出项目类别",
                    format!("经济分类名称 {label:?} 找不到对应科目编码（未存储）"),
                );
                continue;
            };
            let Got::Value(v) = ctx.money(row.line, &column, row.get(col)) else {
                continue;
            };
            let mut prov = ctx.prov(row.line, &label);
            v.mark(&mut prov);
            if let Some(n) = note {
                prov.note(n);
            }
            let a = Amount {
                stage: ctx.stage,
                measure: "expenditure",
                fund: "all",
                classification: "economic",
                code: &code,
                name: &label,
                level,
                nature: "basic",
                amount: v.value,
                source_unit: ctx.unit,
            };
            let year = ctx.who.year;
            ctx.out.amount(&ctx.who, year, &a, &prov);
            ctx.rows_read += 1;
        }
    }
}

/// 预算表5 项目支出总表: the project list (initial budget per project). The name is read from
/// the 项目名称 column (the innermost one: 二级项目 under a 一级项目), the unit from a 单位
/// column (kept in the note); 合计 / 小计 rows, unit subtotal rows and category rows (no name in
/// the name column) are not projects. A name printed over several lines without figures cannot be
/// put together reliably: the project is stored with the line that carries its figures, and a
/// warning says so.
pub fn read_project_list(ctx: &mut Ctx<'_>, chunks: &[Grid], stem: &str) {
    let mut seq = 0usize;
    for grid in chunks {
        let col = total_column(grid);
        let column = column_name(&grid.head(col), col);
        let name_col = (0..col)
            .rev()
            .find(|&i| {
                let h = grid.head(i);
                (h.contains("项目名称") || h.contains("二级项目") || h.ends_with("项目"))
                    && !h.contains("类型")
            })
            .unwrap_or(0);
        let unit_col = (0..col)
            .filter(|&i| i != name_col)
            .find(|&i| grid.head(i).contains("单位"));
        let figures = |r: &Row| (col..grid.width()).any(|i| numbers::is_num(r.get(i)));
        for (k, row) in grid.rows.iter().enumerate() {
            let label = clean_label(row.get(name_col));
            if !numbers::is_num(row.get(col)) {
                continue;
            }
            if label.is_empty() {
                // a category row names itself in another column; a row of figures with no text
                // at all is a project whose name was printed on other lines only
                if (0..col).all(|i| clean_label(row.get(i)).is_empty()) {
                    ctx.error(
                        row.line,
                        "项目名称",
                        format!(
                            "项目有金额 {} 但名称印在别的行上，未能对应，本行未导入",
                            row.get(col).trim()
                        ),
                    );
                }
                continue;
            }
            let total = (0..col).any(|i| {
                let t = clean_label(row.get(i));
                is_total_label(&t) || t == "小计"
            });
            let unitish = label.contains("本级") || label.ends_with('局') || label.ends_with("厅");
            if total || unitish {
                continue; // totals and unit subtotal rows
            }
            let Got::Value(v) = ctx.money(row.line, &column, row.get(col)) else {
                continue;
            };
            seq += 1;
            let mut prov = ctx.prov(row.line, &label);
            v.mark(&mut prov);
            prov.note("budget list: initial budget only");
            if let Some(u) = unit_col.map(|i| clean_label(row.get(i)))
                && !u.is_empty()
            {
                prov.note(format!("单位：{u}"));
            }
            // text-only lines right above or below: the name was printed over several lines
            let fragment = |r: Option<&Row>| {
                r.is_some_and(|r| !figures(r) && !clean_label(r.get(name_col)).is_empty())
            };
            let above = k.checked_sub(1).and_then(|j| grid.rows.get(j));
            if fragment(above) || fragment(grid.rows.get(k + 1)) {
                ctx.warn(
                    row.line,
                    "项目名称",
                    format!("项目名称跨行印刷，未能可靠拼合，按本行“{label}”存储"),
                );
                prov.note("name printed over several lines; only the line with the figures kept");
            }
            let p = ProjectRow {
                unit: ctx.who.unit.clone(),
                project_id: format!("{stem}#{seq}"),
                seq,
                name: label.clone(),
                name_status: "ok",
                budget_initial: Some(v.value),
                budget_full_year: None,
                executed: None,
                stated_rate: None,
                score: None,
                reason_tags: String::new(),
                reasons: String::new(),
                source_unit: if ctx.unit == "元" { "元" } else { "万元" },
            };
            ctx.out.project(&ctx.who, &p, &prov);
            ctx.rows_read += 1;
        }
    }
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
