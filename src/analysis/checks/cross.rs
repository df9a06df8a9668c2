//! Figures that must agree between the tables of one report, and the economic composition of
//! 基本支出 (人员经费 + 公用经费).

#[allow(clippy::wildcard_imports)]
use super::*;

/// Figures that must agree between the tables of one report.
pub(super) fn cross_tables(e: &mut Engine) {
    // the rows are taken out while the rule runs (no copy) and put back at its end
    let (amount_rows, revenue_rows, totals_rows) = (
        std::mem::take(&mut e.amounts),
        std::mem::take(&mut e.revenue),
        std::mem::take(&mut e.totals),
    );
    let amounts = ByReport::new(&amount_rows);
    let revenue = ByReport::new(&revenue_rows);
    let totals = ByReport::new(&totals_rows);
    let reports: BTreeSet<ReportKey> = amounts.reports();
    let exp_total = |fund: Fund, nature: Nature| {
        move |r: &Rec| {
            r.measure == Some(Measure::Expenditure)
                && r.code.is_empty()
                && r.fund == Some(fund)
                && r.nature == Some(nature)
        }
    };
    for rk in &reports {
        let pairs: Vec<(Option<&Rec>, Option<&Rec>, &str)> = vec![
            (
                find(&revenue, rk, "公开01", |r| {
                    r.key == RevenueSource::RevenueTotal.key()
                }),
                find(&amounts, rk, "公开02", |r| {
                    r.measure == Some(Measure::Revenue)
                        && r.code.is_empty()
                        && r.fund == Some(Fund::All)
                }),
                "公开01 本年收入合计 = 公开02 合计",
            ),
            (
                find(&amounts, rk, "公开01", exp_total(Fund::All, Nature::Total)),
                find(&amounts, rk, "公开03", exp_total(Fund::All, Nature::Total)),
                "公开01 本年支出合计 = 公开03 合计",
            ),
            (
                find(&amounts, rk, "公开02", |r| {
                    r.measure == Some(Measure::Revenue)
                        && r.code.is_empty()
                        && r.fund == Some(Fund::Fiscal)
                }),
                find(&revenue, rk, "公开04", |r| {
                    r.key == RevenueSource::RevenueTotal.key()
                }),
                "公开02 财政拨款合计 = 公开04 本年收入合计",
            ),
            (
                find(
                    &amounts,
                    rk,
                    "公开04",
                    exp_total(Fund::GeneralBudget, Nature::Total),
                ),
                find(
                    &amounts,
                    rk,
                    "公开05",
                    exp_total(Fund::GeneralBudget, Nature::Total),
                ),
                "公开04 一般公共预算支出 = 公开05 合计",
            ),
            (
                find(&revenue, rk, "预算表1", |r| {
                    r.key == RevenueSource::RevenueTotal.key()
                }),
                find(&amounts, rk, "预算表1", exp_total(Fund::All, Nature::Total)),
                "预算表1 本年收入合计 = 本年支出合计",
            ),
            (
                find(
                    &amounts,
                    rk,
                    "预算表7",
                    exp_total(Fund::GeneralBudget, Nature::Total),
                ),
                find(&amounts, rk, "预算表8", |r| {
                    r.measure == Some(Measure::Expenditure)
                        && r.code.is_empty()
                        && r.fund == Some(Fund::GeneralBudget)
                        && r.nature == Some(Nature::Total)
                        && r.classification == Some(Classification::Economic)
                }),
                "预算表7 功能分类合计 = 预算表8 经济分类合计",
            ),
        ];
        for (a, b, what) in pairs {
            if let (Some(a), Some(b)) = (a, b) {
                e.compare(
                    Subject {
                        rule: Rule::CrossTable,
                        at: b,
                        also: vec![a.src.table.clone()],
                        what: what.to_owned(),
                        target: drill_target(b).or(Some(Target::Overview(selection(b)))),
                    },
                    Some(a.amount),
                    b.amount,
                    &[a],
                    false,
                );
            }
        }
        // 05 基本支出 = 06 人员经费合计 + 公用经费合计.
        let basic05 = find(
            &amounts,
            rk,
            "公开05",
            exp_total(Fund::GeneralBudget, Nature::Basic),
        );
        let personnel = find(&totals, rk, "公开06", |r| {
            r.key == TotalsItem::Personnel.key()
        });
        let public = find(&totals, rk, "公开06", |r| {
            r.key == TotalsItem::Public.key()
        });
        if let (Some(b), Some(p), Some(q)) = (basic05, personnel, public) {
            e.compare(
                Subject {
                    rule: Rule::CrossTable,
                    at: b,
                    also: vec!["公开06".to_owned()],
                    what: "公开05 基本支出 = 公开06 人员经费合计 + 公用经费合计".to_owned(),
                    target: drill_target(b),
                },
                p.amount.checked_add(q.amount),
                b.amount,
                &[p, q],
                false,
            );
        }
        // 01 each 类 = 03 类.
        for a in amounts.rows(rk).filter(|r| {
            r.src.table == "公开01" && r.measure == Some(Measure::Expenditure) && r.code.len() == 3
        }) {
            if let Some(b) = find(&amounts, rk, "公开03", |r| {
                r.measure == Some(Measure::Expenditure)
                    && r.code == a.code
                    && r.fund == Some(Fund::All)
                    && r.nature == Some(Nature::Total)
            }) {
                e.compare(
                    Subject {
                        rule: Rule::CrossTable,
                        at: b,
                        also: vec!["公开01".to_owned()],
                        what: format!("公开01 与 公开03 「{} {}」", a.code, a.name),
                        target: drill_target(b),
                    },
                    Some(a.amount),
                    b.amount,
                    &[a],
                    false,
                );
            }
        }
    }
    drop((amounts, revenue, totals));
    e.amounts = amount_rows;
    e.revenue = revenue_rows;
    e.totals = totals_rows;
}

/// 人员经费 = 301 + 303; 公用经费 = 302 + 310 (+ 307, 399), from the basic-expenditure table.
pub(super) fn economic_composition(e: &mut Engine) {
    let (amount_rows, totals_rows) = (
        std::mem::take(&mut e.amounts),
        std::mem::take(&mut e.totals),
    );
    let amounts = ByReport::new(&amount_rows);
    let totals = ByReport::new(&totals_rows);
    let mut groups: BTreeSet<(ReportKey, String, Option<Fund>)> = BTreeSet::new();
    for r in totals_rows.iter().filter(|r| {
        matches!(
            TotalsItem::from_key(&r.key),
            Some(TotalsItem::Personnel | TotalsItem::Public)
        ) && r.src.table != NARRATIVE_TABLE
    }) {
        groups.insert((report_key(r), r.src.table.clone(), r.fund));
    }
    for (rk, table, fund) in groups {
        let classes: Vec<&Rec> = amounts
            .rows(&rk)
            .filter(|r| {
                r.src.table == table
                    && r.classification == Some(Classification::Economic)
                    && r.code.len() == 3
                    && r.fund == fund
                    && r.nature == Some(Nature::Basic)
            })
            .collect();
        if classes.is_empty() {
            continue;
        }
        for (item, codes, label) in [
            (
                TotalsItem::Personnel,
                &["301", "303"][..],
                "人员经费 = 301 + 303",
            ),
            (
                TotalsItem::Public,
                &["302", "307", "310", "399"][..],
                "公用经费 = 302 + 310（+ 307、399）",
            ),
        ] {
            let Some(stated) = find(&totals, &rk, &table, |r| {
                r.key == item.key() && r.fund == fund
            }) else {
                continue;
            };
            let parts: Vec<&Rec> = classes
                .iter()
                .filter(|c| codes.contains(&c.code.as_str()))
                .copied()
                .collect();
            let sum = checked_sum(parts.iter().map(|r| r.amount));
            e.compare(
                Subject {
                    rule: Rule::EconomicComposition,
                    at: stated,
                    also: Vec::new(),
                    what: format!("{table} {label}"),
                    target: Some(Target::Drill {
                        selection: selection(stated),
                        fund: fund.unwrap_or_default(),
                        classification: Classification::Economic,
                        nature: Nature::Basic,
                        code: None,
                    }),
                },
                sum,
                stated.amount,
                &parts,
                false,
            );
        }
    }
    drop((amounts, totals));
    e.amounts = amount_rows;
    e.totals = totals_rows;
}
