//! Tables whose figures are keyed by a line rather than a code: the 收支总表 (收入总计 = 本年收入
//! 合计 + 结转结余) and 三公 (合计 = 出国 + 车辆 + 接待; 车辆 = 购置 + 运行).

#[allow(clippy::wildcard_imports)]
use super::*;

/// One figure of a keyed table (收支总表 lines, 三公 categories): (amount, half a unit of its last
/// printed digit, location).
pub(super) type Cell = (Decimal, Decimal, String);

/// Figures by (document, table, stage, unit), then by key.
pub(super) type CellGroups = BTreeMap<(String, String, String, String), BTreeMap<String, Cell>>;

/// The figures of `df` by (document, table, stage, unit), then by the value of `key_column`
/// (the first row of a key kept).
pub(super) fn cells_by_table(
    df: &polars::prelude::DataFrame,
    key_column: &str,
) -> Result<CellGroups> {
    let mut groups = CellGroups::new();
    if df.height() == 0 {
        return Ok(groups);
    }
    let s = |name: &str| strings(df, name);
    let (keys, table, doc, stage, unit, source_units) = (
        s(key_column)?,
        s("source_table")?,
        s("source_doc")?,
        s("stage")?,
        s("unit")?,
        s("source_unit")?,
    );
    let lines = texts(df, "source_line")?;
    let amounts = decimals(df, "amount")?;
    for i in 0..df.height() {
        let (Some(Some(a)), Some(k)) = (amounts.get(i).copied(), keys.get(i)) else {
            continue;
        };
        let get = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
        let half = if get(&source_units) == "元" {
            Decimal::new(5, 5)
        } else {
            Decimal::new(5, a.scale().max(2) + 1)
        };
        let at = format!("{}:{}", get(&doc), get(&lines));
        groups
            .entry((
                document(&get(&doc)).to_owned(),
                get(&table),
                get(&stage),
                get(&unit),
            ))
            .or_default()
            .entry(k.clone())
            .or_insert((a, half, at));
    }
    Ok(groups)
}

/// 三公 tables: 合计 = 因公出国(境) + 公务用车购置及运行 + 公务接待, and 公务用车购置及运行 =
/// 购置 + 运行, per stage and unit, where the table prints every figure involved (the 车辆 小计
/// taken from its two parts when it is not printed).
pub(super) fn sangong_totals(
    tables: &Tables,
    by_table: &mut BTreeMap<TableKey, Identities>,
) -> Result<()> {
    let groups = cells_by_table(&tables.sangong, "category")?;
    for ((d, t, ..), cells) in groups {
        let out = by_table.entry((d, t)).or_default();
        let parts = |keys: &[&str]| -> Option<Vec<(Decimal, Decimal)>> {
            keys.iter()
                .map(|k| cells.get(*k).map(|c| (c.0, c.1)))
                .collect()
        };
        let vehicle_parts = parts(&["vehicle_purchase", "vehicle_operation"]);
        if let (Some(v), Some(p)) = (cells.get("vehicle"), &vehicle_parts)
            && let Some(sum) = checked_sum(p.iter().map(|x| x.0))
        {
            let tolerance = v.1 + p.iter().map(|x| x.1).sum::<Decimal>();
            out.check("车辆小计 = 购置 + 运行", &v.2, (v.0, sum), tolerance);
        }
        // the vehicle figure: printed, else its two parts
        let vehicle = cells
            .get("vehicle")
            .map(|c| vec![(c.0, c.1)])
            .or(vehicle_parts);
        if let (Some(total), Some(others), Some(vehicle)) =
            (cells.get("total"), parts(&["abroad", "reception"]), vehicle)
        {
            let all: Vec<(Decimal, Decimal)> = others.into_iter().chain(vehicle).collect();
            if let Some(sum) = checked_sum(all.iter().map(|x| x.0)) {
                let tolerance = total.1 + all.iter().map(|x| x.1).sum::<Decimal>();
                out.check(
                    "三公合计 = 出国 + 车辆 + 接待",
                    &total.2,
                    (total.0, sum),
                    tolerance,
                );
            }
        }
    }
    Ok(())
}

/// 收支总表: 收入总计 = 本年收入合计 + 年初结转结余 (+ 使用非财政拨款结余), where the table prints
/// all of them.
pub(super) fn revenue_totals(
    tables: &Tables,
    by_table: &mut BTreeMap<TableKey, Identities>,
) -> Result<()> {
    let groups = cells_by_table(&tables.revenue, "source_key")?;
    for ((d, t, ..), cells) in groups {
        let (Some(grand), Some(year)) = (cells.get("grand_total"), cells.get("revenue_total"))
        else {
            continue;
        };
        // balances brought in (none printed: the 总计 is the year's revenue)
        let extra: Vec<&(Decimal, Decimal, String)> =
            ["carry_in", "carry_in_balance", "non_fiscal_balance_used"]
                .iter()
                .filter_map(|k| cells.get(*k))
                .collect();
        let Some(sum) = checked_sum(std::iter::once(year.0).chain(extra.iter().map(|e| e.0)))
        else {
            continue;
        };
        let tolerance = grand.1 + year.1 + extra.iter().map(|e| e.1).sum::<Decimal>();
        by_table.entry((d, t)).or_default().check(
            "收入总计 = 本年收入合计 + 结转结余",
            &grand.2,
            (grand.0, sum),
            tolerance,
        );
    }
    Ok(())
}
