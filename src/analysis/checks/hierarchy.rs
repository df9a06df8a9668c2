//! Code-table rules: 合计 = Σ类 = Σ款 = Σ项 per column, and row 合计 = 基本 + 项目.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Group key of one classified table.
/// (report, table, measure, fund, classification, nature, scope, unit).
pub(super) type TableGroup = (
    ReportKey,
    String,
    Option<Measure>,
    Option<Fund>,
    Option<Classification>,
    Option<Nature>,
    String,
    String,
);

/// Whether `r` belongs to one of the `suspects` reports (no key is built when there are none).
fn is_suspect(suspects: &Suspects, r: &Rec) -> bool {
    !suspects.is_empty() && suspects.contains(&report_key(r))
}

/// The rows of the `suspects` reports by table column (the narrative left out).
pub(super) fn table_groups<'a>(
    recs: &'a [Rec],
    suspects: &Suspects,
) -> BTreeMap<TableGroup, Vec<&'a Rec>> {
    let mut groups: BTreeMap<TableGroup, Vec<&Rec>> = BTreeMap::new();
    for r in recs {
        if r.src.table == NARRATIVE_TABLE || !is_suspect(suspects, r) {
            continue;
        }
        groups
            .entry((
                report_key(r),
                r.src.table.clone(),
                r.measure,
                r.fund,
                r.classification,
                r.nature,
                r.scope.clone(),
                r.unit.clone(),
            ))
            .or_default()
            .push(r);
    }
    groups
}

/// 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 within each table, in the reports where one may not hold
/// (see [`super::suspects`]).
pub(super) fn hierarchy(e: &mut Engine, suspects: &Suspects) {
    // taken out while the rule runs and put back at its end
    let amounts = std::mem::take(&mut e.amounts);
    let groups = table_groups(&amounts, suspects);
    for (_, recs) in groups {
        // Parents: the 合计 row (code "") and every code with children in the table (rows in
        // printed order; see `identities::children_of`).
        let codes: Vec<&str> = recs.iter().map(|r| r.code.as_str()).collect();
        let mut parents: Vec<(usize, &Rec)> = recs.iter().copied().enumerate().collect();
        parents.sort_by(|a, b| a.1.code.cmp(&b.1.code));
        for (index, p) in parents {
            let children: Vec<&Rec> = crate::ingest::verify::children_of(&codes, index)
                .into_iter()
                .filter_map(|k| recs.get(k).copied())
                .collect();
            if children.is_empty() {
                continue;
            }
            let sum = checked_sum(children.iter().map(|c| c.amount));
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
    e.amounts = amounts;
}

/// Per row: 合计 = 基本 + 项目 (expenditure); 合计 = Σ fund columns (revenue, 收入决算表), in
/// the reports where one may not hold (see [`super::suspects`]).
pub(super) fn row_sums(e: &mut Engine, suspects: &Suspects) {
    // (report, table, measure, classification, code, scope) → the row's cells.
    type RowKey = (
        ReportKey,
        String,
        Option<Measure>,
        Option<Classification>,
        String,
        String,
        String,
    );
    let amounts = std::mem::take(&mut e.amounts);
    let mut rows: BTreeMap<RowKey, Vec<&Rec>> = BTreeMap::new();
    for r in &amounts {
        if r.src.table == NARRATIVE_TABLE || !is_suspect(suspects, r) {
            continue;
        }
        rows.entry((
            report_key(r),
            r.src.table.clone(),
            r.measure,
            r.classification,
            r.code.clone(),
            r.scope.clone(),
            r.unit.clone(),
        ))
        .or_default()
        .push(r);
    }
    for ((_, table, measure, ..), recs) in rows {
        if measure == Some(Measure::Expenditure) {
            for fund in recs.iter().map(|r| r.fund).collect::<BTreeSet<_>>() {
                let of = |n: Nature| recs.iter().find(|r| r.fund == fund && r.nature == Some(n));
                let (Some(total), Some(basic), Some(project)) =
                    (of(Nature::Total), of(Nature::Basic), of(Nature::Project))
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
                    basic.amount.checked_add(project.amount),
                    total.amount,
                    &[basic, project],
                    false,
                );
            }
        } else if measure == Some(Measure::Revenue) {
            let Some(total) = recs
                .iter()
                .find(|r| r.fund == Some(Fund::All) && r.nature == Some(Nature::Total))
            else {
                continue;
            };
            let parts: Vec<&Rec> = recs
                .iter()
                .filter(|r| r.fund != Some(Fund::All) && r.nature == Some(Nature::Total))
                .copied()
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let sum = checked_sum(parts.iter().map(|r| r.amount));
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
    e.amounts = amounts;
}
