//! 三公 rules, figures stated in the narrative against the tables, and 政府采购.

#[allow(clippy::wildcard_imports)]
use super::*;

/// 三公: 车小计 = 购置 + 运行; 合计 = 出国 + 车 + 接待; no negatives.
pub(super) fn sangong_rules(e: &mut Engine) {
    let recs = e.sangong.clone();
    let mut groups: BTreeMap<(ReportKey, String), Vec<&Rec>> = BTreeMap::new();
    for r in &recs {
        if r.amount.is_sign_negative() && !r.amount.is_zero() {
            e.flag(
                Rule::Sangong,
                Severity::Error,
                r,
                format!("三公经费「{}」为负数 {} 万元", r.src.label, money(r.amount)),
                Some(Target::Sangong(selection(r))),
            );
        }
        groups
            .entry((report_key(r), r.src.table.clone()))
            .or_default()
            .push(r);
    }
    for ((_, table), g) in groups {
        let of = |c: SangongCategory| g.iter().find(|r| r.key == c.key()).copied();
        if let (Some(v), Some(p), Some(o)) = (
            of(SangongCategory::Vehicle),
            of(SangongCategory::VehiclePurchase),
            of(SangongCategory::VehicleOperation),
        ) {
            e.compare(
                Subject {
                    rule: Rule::Sangong,
                    at: v,
                    also: Vec::new(),
                    what: format!(
                        "{table} 公务用车小计 = 购置费 + 运行费（{}）",
                        v.stage.label()
                    ),
                    target: Some(Target::Sangong(selection(v))),
                },
                p.amount.checked_add(o.amount),
                v.amount,
                &[p, o],
                false,
            );
        }
        let vehicle = of(SangongCategory::Vehicle)
            .map(|v| (Some(v.amount), vec![v]))
            .or_else(|| {
                match (
                    of(SangongCategory::VehiclePurchase),
                    of(SangongCategory::VehicleOperation),
                ) {
                    (Some(p), Some(o)) => Some((p.amount.checked_add(o.amount), vec![p, o])),
                    _ => None,
                }
            });
        if let (Some(t), Some(a), Some((va, vrecs)), Some(r)) = (
            of(SangongCategory::Total),
            of(SangongCategory::Abroad),
            vehicle,
            of(SangongCategory::Reception),
        ) {
            let mut parts = vec![a, r];
            parts.extend(vrecs);
            e.compare(
                Subject {
                    rule: Rule::Sangong,
                    at: t,
                    also: Vec::new(),
                    what: format!(
                        "{table} 三公合计 = 出国 + 公务用车 + 接待（{}）",
                        t.stage.label()
                    ),
                    target: Some(Target::Sangong(selection(t))),
                },
                va.and_then(|v| checked_sum([a.amount, v, r.amount])),
                t.amount,
                &parts,
                false,
            );
        }
    }
}

/// Narrative figures (正文) vs the same figure in a table of the same report year.
pub(super) fn narrative(e: &mut Engine) {
    let sangong = e.sangong.clone();
    for n in sangong.iter().filter(|r| r.src.table == NARRATIVE_TABLE) {
        if let Some(t) = sangong.iter().find(|r| {
            r.src.table != NARRATIVE_TABLE
                && r.department == n.department
                && r.year == n.year
                && r.stage == n.stage
                && r.key == n.key
        }) {
            e.compare(
                Subject {
                    rule: Rule::NarrativeVsTable,
                    at: n,
                    also: vec![t.src.table.clone()],
                    what: format!("正文「{}」与 {} 三公经费", n.src.label, t.src.table),
                    target: Some(Target::Sangong(selection(n))),
                },
                Some(t.amount),
                n.amount,
                &[t],
                true,
            );
        }
    }
    // taken out while the rule runs (no copy of every row) and put back at its end
    let amounts = std::mem::take(&mut e.amounts);
    for n in amounts.iter().filter(|r| r.src.table == NARRATIVE_TABLE) {
        if let Some(t) = amounts.iter().find(|r| {
            r.src.table != NARRATIVE_TABLE
                && r.department == n.department
                && r.year == n.year
                && r.stage == n.stage
                && r.scope == n.scope
                && r.measure == n.measure
                && r.fund == n.fund
                && r.classification == n.classification
                && r.nature == n.nature
                && r.code == n.code
        }) {
            e.compare(
                Subject {
                    rule: Rule::NarrativeVsTable,
                    at: n,
                    also: vec![t.src.table.clone()],
                    what: format!("正文「{}」与 {}", row_name(n), t.src.table),
                    target: drill_target(t),
                },
                Some(t.amount),
                n.amount,
                &[t],
                true,
            );
        }
    }
    e.amounts = amounts;
}

/// 政府采购支出总额 = 货物 + 工程 + 服务 (totals items, per report and table).
pub(super) fn procurement(e: &mut Engine) {
    let totals = e.totals.clone();
    let mut groups: BTreeMap<(ReportKey, String, Option<Fund>), Vec<&Rec>> = BTreeMap::new();
    for r in totals.iter().filter(|r| {
        matches!(
            TotalsItem::from_key(&r.key),
            Some(
                TotalsItem::ProcurementTotal
                    | TotalsItem::ProcurementGoods
                    | TotalsItem::ProcurementWorks
                    | TotalsItem::ProcurementServices
                    | TotalsItem::ProcurementSme
            )
        )
    }) {
        groups
            .entry((report_key(r), r.src.table.clone(), r.fund))
            .or_default()
            .push(r);
    }
    for ((_, table, _), g) in groups {
        let Some(total) = g
            .iter()
            .find(|r| r.key == TotalsItem::ProcurementTotal.key())
            .copied()
        else {
            continue;
        };
        let parts: Vec<&Rec> = g
            .iter()
            .filter(|r| {
                matches!(
                    TotalsItem::from_key(&r.key),
                    Some(
                        TotalsItem::ProcurementGoods
                            | TotalsItem::ProcurementWorks
                            | TotalsItem::ProcurementServices
                    )
                )
            })
            .copied()
            .collect();
        if parts.len() < 3 {
            continue;
        }
        e.compare(
            Subject {
                rule: Rule::Procurement,
                at: total,
                also: Vec::new(),
                what: format!("{table} 政府采购总额 = 货物 + 工程 + 服务"),
                target: Some(Target::Overview(selection(total))),
            },
            checked_sum(parts.iter().map(|r| r.amount)),
            total.amount,
            &parts,
            false,
        );
    }
}
