//! Tables read by name or by group rather than by code column: 公开06 groups, 预算表4 by economic
//! name, 预算表5 project list.

#[allow(clippy::wildcard_imports)]
use super::*;

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
pub(super) fn total_column(grid: &Grid) -> usize {
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
