//! Code-table rules: 合计 = Σ类 = Σ款 = Σ项 per column, and row 合计 = 基本 + 项目.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Group key of one classified table.
pub(super) type TableGroup = (
    ReportKey,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

pub(super) fn table_groups(recs: &[Rec]) -> BTreeMap<TableGroup, Vec<Rec>> {
    let mut groups: BTreeMap<TableGroup, Vec<Rec>> = BTreeMap::new();
    for r in recs {
        if r.src.table == NARRATIVE_TABLE {
            continue;
        }
        groups
            .entry((
                report_key(r),
                r.src.table.clone(),
                r.measure.clone(),
                r.fund.clone(),
                r.classification.clone(),
                r.nature.clone(),
                r.scope.clone(),
                r.unit.clone(),
            ))
            .or_default()
            .push(r.clone());
    }
    groups
}

/// 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 within each table.
pub(super) fn hierarchy(e: &mut Engine) {
    let groups = table_groups(&e.amounts);
    for (_, recs) in groups {
        // Parents: the 合计 row (code "") and every code with children in the table (rows in
        // printed order; see `identities::children_of`).
        let codes: Vec<&str> = recs.iter().map(|r| r.code.as_str()).collect();
        let mut parents: Vec<(usize, &Rec)> = recs.iter().enumerate().collect();
        parents.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        for (index, p) in parents {
            let children: Vec<&Rec> = crate::ingest::verify::children_of(&codes, index)
                .into_iter()
                .filter_map(|k| recs.get(k))
                .collect();
            if children.is_empty() {
                continue;
            }
            let sum: Decimal = children.iter().map(|c| c.amount).sum();
            let level = match p.code.len() {
                0 => "合计 = Σ类",
                3 => "类 = Σ款",
                _ => "款 = Σ项",
            };
            let what = format!(
                "{} {}{}（{}）",
                p.src.table,
                row_name(p),
                column_label(p),
                level
            );
            e.compare(
                Subject {
                    rule: Rule::Hierarchy,
                    at: p,
                    also: Vec::new(),
                    what,
                    target: drill_target(p),
                },
                sum,
                p.amount,
                &children,
                false,
            );
        }
    }
}

/// Per row: 合计 = 基本 + 项目 (expenditure); 合计 = Σ fund columns (revenue, 收入决算表).
pub(super) fn row_sums(e: &mut Engine) {
    // (report, table, measure, classification, code, scope) → the row's cells.
    type RowKey = (ReportKey, String, String, String, String, String, String);
    let mut rows: BTreeMap<RowKey, Vec<Rec>> = BTreeMap::new();
    for r in &e.amounts {
        if r.src.table == NARRATIVE_TABLE {
            continue;
        }
        rows.entry((
            report_key(r),
            r.src.table.clone(),
            r.measure.clone(),
            r.classification.clone(),
            r.code.clone(),
            r.scope.clone(),
            r.unit.clone(),
        ))
        .or_default()
        .push(r.clone());
    }
    for ((_, table, measure, ..), recs) in rows {
        if measure == "expenditure" {
            for fund in recs.iter().map(|r| r.fund.clone()).collect::<BTreeSet<_>>() {
                let of = |n: &str| recs.iter().find(|r| r.fund == fund && r.nature == n);
                let (Some(total), Some(basic), Some(project)) =
                    (of("total"), of("basic"), of("project"))
                else {
                    continue;
                };
                e.compare(
                    Subject {
                        rule: Rule::RowSum,
                        at: total,
                        also: Vec::new(),
                        what: format!("{table} 「{}」合计 = 基本支出 + 项目支出", row_name(total)),
                        target: drill_target(total),
                    },
                    basic.amount + project.amount,
                    total.amount,
                    &[basic, project],
                    false,
                );
            }
        } else if measure == "revenue" {
            let Some(total) = recs.iter().find(|r| r.fund == "all" && r.nature == "total") else {
                continue;
            };
            let parts: Vec<&Rec> = recs
                .iter()
                .filter(|r| r.fund != "all" && r.nature == "total")
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let sum: Decimal = parts.iter().map(|r| r.amount).sum();
            e.compare(
                Subject {
                    rule: Rule::RowSum,
                    at: total,
                    also: Vec::new(),
                    what: format!("{table} 「{}」合计 = 各资金来源之和", row_name(total)),
                    target: drill_target(total),
                },
                sum,
                total.amount,
                &parts,
                false,
            );
        }
    }
}
