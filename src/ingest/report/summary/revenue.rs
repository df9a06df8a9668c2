//! 收入总表 / 收入预算表: revenue by source, read by its column headers or unit by unit.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The revenue-source columns of a 收入总表 by their header (the lowest header cell, and the
/// group above it for `小计`): (column, source label, `source_key`, `is_subtotal`).
pub(super) fn revenue_columns(grid: &Grid) -> Vec<(usize, String, &'static str, bool)> {
    let mut out: Vec<(usize, String, &'static str, bool)> = Vec::new();
    for i in 0..grid.width() {
        let (bottom, above) = grid.head_bottom(i);
        let label = match (bottom.as_str(), &above) {
            ("小计", Some(a)) => a.clone(),
            _ => bottom.clone(),
        };
        let key = match label.as_str() {
            "合计" | "总计" | "收入总计" => Some(("grand_total", true)),
            l if l.contains("结转") || l.contains("结余") => Some(("carry_in", false)),
            l => revenue_key(l).or_else(|| {
                // `一般公共预算拨款收入`, `政府性基金预算拨款`: the fund
                fund_named(l).map(|f| (f, false))
            }),
        };
        if let Some((key, sub)) = key
            && !out.iter().any(|c| c.2 == key)
        {
            out.push((i, label, key, sub));
        }
    }
    // a table of revenue sources has a total and at least one source
    if out.len() < 2 || !out.iter().any(|c| c.2 == "grand_total") {
        return Vec::new();
    }
    out
}

/// 收入总表 in other layouts: the 合计 row (else the document's own unit's row), one figure per
/// source column named by its header. Rows of subordinate units or of functional codes are the
/// same figures split further: not stored (info).
pub(super) fn read_revenue_by_header(ctx: &mut Ctx<'_>, chunks: &[Grid], department: &str) {
    let mut stored = false;
    for grid in chunks {
        let cols = revenue_columns(grid);
        if cols.is_empty() {
            continue;
        }
        let first_amount = cols.iter().map(|c| c.0).min().unwrap_or(0);
        // the row label: the text cells before the first figure
        let label_of = |row: &crate::ingest::report::catalog::Row| -> String {
            (0..first_amount)
                .map(|i| clean_label(row.get(i)))
                .filter(|t| !t.is_empty() && !t.chars().all(|c| c == '*'))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let total_row = grid
            .rows
            .iter()
            .find(|r| matches!(label_of(r).trim_end_matches([':', '：']), "合计" | "总计"));
        let own_row = || {
            grid.rows.iter().find(|r| {
                let l = label_of(r);
                is_own_unit(&l, department) || l.ends_with("本级")
            })
        };
        let Some(row) = total_row.or_else(own_row) else {
            continue;
        };
        if stored {
            continue; // one table's figures (a continuation repeats nothing new)
        }
        let label = label_of(row);
        for (i, src, key, sub) in &cols {
            let column = column_name(&grid.head(*i), *i);
            let Got::Value(v) = ctx.money(row.line, &column, row.get(*i)) else {
                continue;
            };
            let mut prov = ctx.prov(row.line, &format!("{label} {src}"));
            v.mark(&mut prov);
            prov.note("column named by its header");
            let stage = ctx.stage;
            ctx.out
                .revenue(&ctx.who, stage, src, key, *sub, v.value, ctx.unit, &prov);
            ctx.rows_read += 1;
        }
        stored = true;
        let others = grid
            .rows
            .iter()
            .filter(|r| r.line != row.line && cols.iter().any(|c| numbers::is_num(r.get(c.0))))
            .count();
        if others > 0 {
            ctx.info(
                row.line,
                format!("收入总表另有 {others} 行按单位或科目分列，未存储（以本行为准）"),
            );
        }
    }
}

/// The standard columns of the 收入总表 (预算表2) after the unit column:
/// (label, `source_key`, `is_subtotal`).
pub(super) const REVENUE_COLUMNS: [(&str, &str, bool); 15] = [
    ("收入总计", "grand_total", true),
    ("一般公共预算拨款", "general_budget", true),
    ("基本支出拨款", "gb_basic", false),
    ("履职类项目拨款", "gb_duty_project", false),
    ("财政专项资金拨款", "gb_special", false),
    ("政府投资项目拨款", "gb_investment", false),
    ("政府性基金预算拨款", "gov_fund", false),
    ("国有资本经营预算拨款", "state_capital", false),
    ("财政专户管理资金", "fiscal_special_account", false),
    ("事业收入", "business", false),
    ("事业单位经营收入", "operating", false),
    ("上级补助收入", "superior_subsidy", false),
    ("附属单位上缴收入", "affiliated", false),
    ("其他收入", "other", false),
    ("上年结余、结转", "carry_in", false),
];

/// 预算表2 收入总表: the row of the document's own unit, one value per revenue source.
pub fn read_revenue_by_unit(ctx: &mut Ctx<'_>, chunks: &[Grid], department: &str) {
    // Layouts other than the 15 standard columns by position: columns by their header words
    if chunks
        .iter()
        .any(|g| g.width() != REVENUE_COLUMNS.len() + 1 && !revenue_columns(g).is_empty())
    {
        read_revenue_by_header(ctx, chunks, department);
        return;
    }
    for grid in chunks {
        // Does the header print every standard column label in order?
        let heads: Vec<String> = (1..grid.width()).map(|i| grid.head(i)).collect();
        let by_header = heads.len() >= REVENUE_COLUMNS.len()
            && REVENUE_COLUMNS
                .iter()
                .zip(&heads)
                .all(|((label, ..), h)| h.contains(label));
        for row in &grid.rows {
            let label = clean_label(row.get(0));
            if !is_own_unit(&label, department) {
                if !label.is_empty() {
                    ctx.info(
                        row.line,
                        format!("主管部门行 {label:?} 未存储（与本级数字重复）"),
                    );
                }
                continue;
            }
            let values: Vec<&str> = row.cells.iter().skip(1).map(String::as_str).collect();
            if values.len() != REVENUE_COLUMNS.len() {
                ctx.error(
                    row.line,
                    "",
                    format!(
                        "收入总表应有 {} 个金额列，实际 {} 个，本行未导入",
                        REVENUE_COLUMNS.len(),
                        values.len()
                    ),
                );
                continue;
            }
            if !by_header {
                ctx.warn(row.line, "", "表头部分无法识别，按标准列序读取各收入来源");
            }
            for (k, ((src, key, sub), raw)) in REVENUE_COLUMNS.iter().zip(values).enumerate() {
                let column = column_name(&grid.head(k + 1), k + 1);
                let Got::Value(v) = ctx.money(row.line, &column, raw) else {
                    continue;
                };
                let mut prov = ctx.prov(row.line, &format!("{label} {src}"));
                v.mark(&mut prov);
                if !by_header {
                    prov.note("column read by position (header partly garbled)");
                }
                if *key == "general_budget" {
                    prov.note("一般公共预算拨款 小计 column");
                }
                let stage = ctx.stage;
                ctx.out
                    .revenue(&ctx.who, stage, src, key, *sub, v.value, ctx.unit, &prov);
                ctx.rows_read += 1;
            }
        }
    }
}
