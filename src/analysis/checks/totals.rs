//! 收支总表 rules: 本年收入合计 = Σ sources, and 收入总计 / 支出总计 = 本年 + 结转结余.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn is_carry_in(key: &str) -> bool {
    RevenueSource::from_key(key).is_some_and(RevenueSource::is_carry_in)
}

/// Whether a record's key is this revenue source.
fn is(r: &Rec, source: RevenueSource) -> bool {
    r.key == source.key()
}

/// 本年收入合计 = Σ non-subtotal sources, per revenue table.
pub(super) fn revenue_totals(e: &mut Engine) {
    let mut groups: BTreeMap<(ReportKey, String), Vec<Rec>> = BTreeMap::new();
    for r in &e.revenue {
        groups
            .entry((report_key(r), r.src.table.clone()))
            .or_default()
            .push(r.clone());
    }
    for (_, recs) in groups {
        // 一般公共预算拨款 (subtotal) = Σ its 支出拨款 parts (预算表2).
        let gb_parts: Vec<&Rec> = recs
            .iter()
            .filter(|r| {
                RevenueSource::from_key(&r.key).is_some_and(RevenueSource::is_general_budget_part)
            })
            .collect();
        if let Some(gb) = recs
            .iter()
            .find(|r| is(r, RevenueSource::GeneralBudget) && r.is_subtotal)
            .filter(|_| !gb_parts.is_empty())
        {
            e.compare(
                Subject {
                    rule: Rule::RevenueSubtotal,
                    at: gb,
                    also: Vec::new(),
                    what: format!("{} 一般公共预算拨款 = 各项拨款之和", gb.src.table),
                    target: Some(Target::Overview(selection(gb))),
                },
                checked_sum(gb_parts.iter().map(|r| r.amount)),
                gb.amount,
                &gb_parts,
                false,
            );
        }
        let Some(total) = recs.iter().find(|r| is(r, RevenueSource::RevenueTotal)) else {
            continue;
        };
        let parts: Vec<&Rec> = recs
            .iter()
            .filter(|r| {
                !r.is_subtotal && !is_carry_in(&r.key) && !is(r, RevenueSource::RevenueTotal)
            })
            .collect();
        if parts.is_empty() {
            continue;
        }
        let sum = checked_sum(parts.iter().map(|r| r.amount));
        e.compare(
            Subject {
                rule: Rule::RevenueTotal,
                at: total,
                also: Vec::new(),
                what: format!("{} 本年收入合计 = 各项收入之和", total.src.table),
                target: Some(Target::Overview(selection(total))),
            },
            sum,
            total.amount,
            &parts,
            false,
        );
    }
}

/// 收入总计 = 本年收入 + 年初结转; 支出总计 = 本年支出 + 年末结转; the two 总计 equal.
pub(super) fn grand_totals(e: &mut Engine) {
    let (revenue_rows, totals_rows, amount_rows) = (
        std::mem::take(&mut e.revenue),
        std::mem::take(&mut e.totals),
        std::mem::take(&mut e.amounts),
    );
    let revenue = ByReport::new(&revenue_rows);
    let totals = ByReport::new(&totals_rows);
    let amounts = ByReport::new(&amount_rows);
    let mut tables: BTreeSet<(ReportKey, String)> = BTreeSet::new();
    for r in revenue_rows
        .iter()
        .filter(|r| is(r, RevenueSource::GrandTotal))
    {
        tables.insert((report_key(r), r.src.table.clone()));
    }
    for (rk, table) in tables {
        let in_table = |r: &&Rec| r.src.table == table;
        let rev: Vec<&Rec> = revenue.rows(&rk).filter(in_table).collect();
        let Some(grand) = rev.iter().find(|r| is(r, RevenueSource::GrandTotal)) else {
            continue;
        };
        if let Some(current) = rev.iter().find(|r| is(r, RevenueSource::RevenueTotal)) {
            // The 年初结转和结余 row, else its parts.
            let carry: Vec<&Rec> = match rev.iter().find(|r| is(r, RevenueSource::CarryIn)) {
                // plus a balance printed beside it (上年实户资金余额)
                Some(c) => std::iter::once(*c)
                    .chain(
                        rev.iter()
                            .filter(|r| is(r, RevenueSource::CarryInBalance))
                            .copied(),
                    )
                    .collect(),
                None => rev
                    .iter()
                    .filter(|r| is_carry_in(&r.key))
                    .copied()
                    .collect(),
            };
            let carry_sum = checked_sum(carry.iter().map(|r| r.amount));
            let mut parts = vec![*current];
            parts.extend(carry.iter().copied());
            e.compare(
                Subject {
                    rule: Rule::RevenueGrandTotal,
                    at: grand,
                    also: Vec::new(),
                    what: format!("{table} 收入总计 = 本年收入合计 + 年初结转和结余"),
                    target: Some(Target::Overview(selection(grand))),
                },
                carry_sum.and_then(|c| current.amount.checked_add(c)),
                grand.amount,
                &parts,
                false,
            );
        }
        // Expenditure side of the same table: totals' grand_total and carry_out, amounts' 合计.
        let exp_grand: Vec<&Rec> = totals
            .rows(&rk)
            .filter(|r| in_table(r) && r.key == TotalsItem::GrandTotal.key())
            .collect();
        for eg in exp_grand {
            let carry_out: Vec<&Rec> = totals
                .rows(&rk)
                .filter(|r| in_table(r) && r.key == TotalsItem::CarryOut.key() && r.fund == eg.fund)
                .collect();
            let current = amounts.rows(&rk).find(|r| {
                in_table(r)
                    && r.measure == Some(Measure::Expenditure)
                    && r.code.is_empty()
                    && r.nature == Some(Nature::Total)
                    && r.fund == eg.fund
            });
            if let Some(cur) = current {
                let sum = checked_sum(carry_out.iter().map(|r| r.amount))
                    .and_then(|c| cur.amount.checked_add(c));
                let mut parts = vec![cur];
                parts.extend(carry_out.iter().copied());
                e.compare(
                    Subject {
                        rule: Rule::ExpenditureGrandTotal,
                        at: eg,
                        also: Vec::new(),
                        what: format!("{table} 支出总计 = 本年支出合计 + 年末结转和结余"),
                        target: Some(Target::Overview(selection(eg))),
                    },
                    sum,
                    eg.amount,
                    &parts,
                    false,
                );
            }
            let same_scope_revenue = match eg.fund {
                Some(Fund::All | Fund::Fiscal) => Some(grand),
                _ => None,
            };
            if let Some(g) = same_scope_revenue {
                e.compare(
                    Subject {
                        rule: Rule::GrandTotalsEqual,
                        at: eg,
                        also: Vec::new(),
                        what: format!("{table} 支出总计 = 收入总计"),
                        target: Some(Target::Overview(selection(eg))),
                    },
                    Some(g.amount),
                    eg.amount,
                    &[g],
                    false,
                );
            }
        }
    }
    drop((revenue, totals, amounts));
    e.revenue = revenue_rows;
    e.totals = totals_rows;
    e.amounts = amount_rows;
}
