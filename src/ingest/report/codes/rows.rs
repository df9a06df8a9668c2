//! One printed row → a parsed row (code, name, cells), and names printed over several lines joined
//! to their row.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn parse_row(
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
                Severity::Note,
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
pub(super) fn trailing_figure(name: &str) -> Option<&str> {
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
pub(super) fn merge_wrapped(ctx: &mut Ctx<'_>, rows: Vec<Parsed>) -> Vec<Parsed> {
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
