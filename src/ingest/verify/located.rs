//! The parts of the identity plans that run in Rust on few rows: locating a row for a message,
//! and the groups the join cannot judge, judged by [`children_of`].

#[allow(clippy::wildcard_imports)]
use super::*;

use polars::prelude::*;

use super::plan::TABLE_COLUMN;

/// Row `i`'s location (`source_doc:source_line`) and code, read from the original columns.
pub(super) struct Locator {
    docs: StringChunked,
    lines: Column,
    codes: StringChunked,
}

pub(super) fn locator(df: &DataFrame) -> Result<Locator> {
    Ok(Locator {
        docs: df.column("source_doc")?.str()?.clone(),
        lines: df.column("source_line")?.cast(&DataType::String)?,
        codes: df.column("code")?.str()?.clone(),
    })
}

impl Locator {
    pub(super) fn at(&self, row: usize) -> String {
        let line = self.lines.str().ok().and_then(|l| l.get(row)).unwrap_or("");
        format!("{}:{line}", self.docs.get(row).unwrap_or(""))
    }

    pub(super) fn code_len(&self, row: usize) -> usize {
        self.codes.get(row).map_or(0, str::len)
    }
}

/// The groups [`tree`] leaves to [`children_of`]: its rows in printed order, per group.
pub(super) fn complex_groups(
    complex: &DataFrame,
    at: &Locator,
    half_of: &dyn Fn(&str, &str) -> Decimal,
    by_table: &mut BTreeMap<TableKey, Identities>,
) -> Result<()> {
    if complex.height() == 0 {
        return Ok(());
    }
    let keys: Vec<Vec<String>> = TABLE_COLUMN
        .iter()
        .map(|c| texts(complex, c))
        .collect::<Result<_>>()?;
    let slots = strings(complex, "slot")?;
    let docs = strings(complex, "doc")?;
    let amounts = decimals(complex, "amount")?;
    let rows = complex.column("row")?.cast(&DataType::UInt64)?;
    let rows = rows.u64()?;
    // group → (row, slot, amount), in printed order; the key ends with the document
    let mut groups: BTreeMap<Vec<&str>, Vec<(usize, &str, Decimal)>> = BTreeMap::new();
    for i in 0..complex.height() {
        let (Some(Some(amount)), Some(row)) = (amounts.get(i).copied(), rows.get(i)) else {
            continue;
        };
        let mut key: Vec<&str> = keys.iter().map(|c| cell(c, i)).collect();
        key.push(cell(&docs, i));
        groups.entry(key).or_default().push((
            usize::try_from(row).unwrap_or(0),
            cell(&slots, i),
            amount,
        ));
    }
    for (key, mut group) in groups {
        group.sort_by_key(|e| e.0);
        // position 1 of TABLE_COLUMN is the table; the document ends the key
        let (doc, table) = (
            key.last().copied().unwrap_or_default(),
            key.get(1).copied().unwrap_or_default(),
        );
        let half = half_of(doc, table);
        let out = by_table
            .entry((doc.to_owned(), table.to_owned()))
            .or_default();
        let codes: Vec<&str> = group.iter().map(|e| e.1).collect();
        for (index, (row, parent, amount)) in group.iter().enumerate() {
            let children: Vec<Decimal> = children_of(&codes, index)
                .into_iter()
                .filter_map(|k| group.get(k).map(|e| e.2))
                .collect();
            if children.is_empty() {
                continue;
            }
            let rule = match parent.len() {
                0 => "合计 = Σ类",
                3 => "类 = Σ款",
                _ => "款 = Σ项",
            };
            // sums of hostile figures may not fit a decimal: such an identity is not checked
            let Some(sum) = checked_sum(children.iter().copied()) else {
                continue;
            };
            let n = Decimal::from(children.len());
            out.check(
                rule,
                &at.at(*row),
                (*amount, sum),
                half * (Decimal::ONE + n),
            );
        }
    }
    Ok(())
}
