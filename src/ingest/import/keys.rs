//! Finding rows of an input whose key a row of an earlier input already has, in memory
//! proportional to the rows (one hash and one row reference each), not to their key texts.
//!
//! Each row's key (the cells of [`super::key_columns`]) is hashed; a row whose hash was seen is
//! compared cell by cell with the row that had it, so a hash collision never makes a false
//! duplicate. The rare row whose hash an unequal earlier key already took is kept by its key
//! text, so a later copy of it is still found.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use polars::prelude::*;

use crate::error::{Location, Result};
use crate::ingest::canonical::{RowRefs, TableRead, TableSpec};

/// A row of the frames merged so far: (frame index, row index).
type RowId = (usize, usize);

/// The canonical text of one key cell: the same for equal values (a decimal normalised, so
/// `1.5` and `1.500000` agree), distinct for null and the empty text.
fn cell_text(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => "\u{1e}".to_owned(),
        AnyValue::String(s) => (*s).to_owned(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Decimal(v, _, scale) => u32::try_from(*scale)
            .ok()
            .and_then(|s| rust_decimal::Decimal::try_from_i128_with_scale(*v, s).ok())
            .map_or_else(|| value.to_string(), |d| d.normalize().to_string()),
        other => other.to_string(),
    }
}

fn mix(hash: &mut u64, text: &str) {
    let mut h = DefaultHasher::new();
    h.write_u64(*hash);
    text.hash(&mut h);
    *hash = h.finish();
}

/// One hash per row of `df` over the key columns of `spec`.
pub fn row_hashes(spec: &TableSpec, df: &DataFrame) -> Result<Vec<u64>> {
    let mut hashes = vec![0u64; df.height()];
    for name in super::key_columns(spec) {
        let column = df.column(name)?.as_materialized_series();
        if let Ok(texts) = column.str() {
            for (hash, text) in hashes.iter_mut().zip(texts.iter()) {
                mix(hash, text.unwrap_or("\u{1e}"));
            }
        } else {
            for (hash, value) in hashes.iter_mut().zip(column.iter()) {
                mix(hash, &cell_text(&value));
            }
        }
    }
    Ok(hashes)
}

/// The key of row `row` of `df` as one text (cells joined by U+001F).
fn key_text(columns: &[&str], df: &DataFrame, row: usize) -> Result<String> {
    let cells = columns
        .iter()
        .map(|c| Ok(cell_text(&df.column(c)?.get(row)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(cells.join("\u{1f}"))
}

/// The key as shown in a message: cells separated by ` | `, a null shown empty.
pub fn key_shown(key: &str) -> String {
    key.replace('\u{1e}', "").replace('\u{1f}', " | ")
}

fn same_key(columns: &[&str], a: &DataFrame, ra: usize, b: &DataFrame, rb: usize) -> Result<bool> {
    for c in columns {
        if cell_text(&a.column(c)?.get(ra)?) != cell_text(&b.column(c)?.get(rb)?) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Rows of a new input whose key an earlier input's row has: how many, and the first
/// [`super::MAX_DUPLICATES_REPORTED`] of them with the earlier row and the key.
#[derive(Debug, Default)]
pub struct Duplicates {
    pub count: usize,
    pub shown: Vec<(usize, Location, String)>,
}

/// The keys of one table over the inputs merged so far.
pub struct Seen {
    columns: Vec<&'static str>,
    first: HashMap<u64, RowId>,
    /// Keys whose hash an unequal earlier key already had, by key text.
    collided: HashMap<String, RowId>,
}

impl Seen {
    pub fn new(spec: &TableSpec) -> Self {
        Self {
            columns: super::key_columns(spec),
            first: HashMap::new(),
            collided: HashMap::new(),
        }
    }

    /// The earlier row with the key of row `row` of `df`, if any.
    fn earlier(
        &self,
        hash: u64,
        df: &DataFrame,
        row: usize,
        frames: &[(DataFrame, RowRefs)],
    ) -> Result<Option<RowId>> {
        let Some(&(f, r)) = self.first.get(&hash) else {
            return Ok(None);
        };
        let Some((earlier, _)) = frames.get(f) else {
            return Ok(None);
        };
        if same_key(&self.columns, earlier, r, df, row)? {
            return Ok(Some((f, r)));
        }
        if self.collided.is_empty() {
            return Ok(None);
        }
        Ok(self
            .collided
            .get(&key_text(&self.columns, df, row)?)
            .copied())
    }

    /// The hashes of `read`'s rows and those of its rows that an earlier row has; `frames`
    /// are this table's frames merged so far.
    pub fn duplicates(
        &self,
        read: &TableRead,
        frames: &[(DataFrame, RowRefs)],
    ) -> Result<(Vec<u64>, Duplicates)> {
        let hashes = row_hashes(&read.spec, &read.frame)?;
        self.duplicates_hashed(read, frames, hashes)
    }

    fn duplicates_hashed(
        &self,
        read: &TableRead,
        frames: &[(DataFrame, RowRefs)],
        hashes: Vec<u64>,
    ) -> Result<(Vec<u64>, Duplicates)> {
        let mut found = Duplicates::default();
        for (row, &hash) in hashes.iter().enumerate() {
            let Some((f, r)) = self.earlier(hash, &read.frame, row, frames)? else {
                continue;
            };
            found.count += 1;
            if found.shown.len() < super::MAX_DUPLICATES_REPORTED
                && let Some(first) = frames.get(f).and_then(|(_, refs)| refs.get(r))
            {
                let key = key_text(&self.columns, &read.frame, row)?;
                found.shown.push((row, first, key));
            }
        }
        Ok((hashes, found))
    }

    /// Remember the rows of the last of `frames` (just merged), whose row hashes are `hashes`.
    pub fn add(&mut self, frames: &[(DataFrame, RowRefs)], hashes: &[u64]) -> Result<()> {
        let Some(f) = frames.len().checked_sub(1) else {
            return Ok(());
        };
        let Some((df, _)) = frames.get(f) else {
            return Ok(());
        };
        if hashes.len() != df.height() {
            return Ok(()); // its keys could not be read: reported with the read
        }
        for (row, &hash) in hashes.iter().enumerate() {
            match self.first.get(&hash) {
                None => {
                    self.first.insert(hash, (f, row));
                }
                Some(&(f0, r0)) => {
                    let same = frames
                        .get(f0)
                        .map(|(earlier, _)| same_key(&self.columns, earlier, r0, df, row))
                        .transpose()?
                        .unwrap_or(false);
                    if !same {
                        self.collided
                            .entry(key_text(&self.columns, df, row)?)
                            .or_insert((f, row));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::ingest::canonical::{self, CsvLocator, Locator as _};

    fn read(file: &str, rows: &[(&str, &str)]) -> TableRead {
        let spec = &canonical::EVALUATIONS;
        let header: Vec<String> = spec.columns.iter().map(|c| c.name.to_owned()).collect();
        let sample = canonical::read_table(
            spec,
            "evaluations.csv",
            include_bytes!("../../../sample-data/evaluations.csv"),
        )
        .unwrap()
        .0;
        let first = crate::ingest::write::write_csv(spec, &sample.head(Some(1))).unwrap();
        let line = String::from_utf8(first)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .to_owned();
        let cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        let unit = header.iter().position(|h| h == "unit").unwrap();
        let year = header.iter().position(|h| h == "year").unwrap();
        let data = rows.iter().enumerate().map(|(i, (u, y))| {
            let mut c = cells.clone();
            c[unit] = (*u).to_owned();
            c[year] = (*y).to_owned();
            Ok((i + 2, c))
        });
        canonical::read_cells(spec, &CsvLocator(file), &header, data).unwrap()
    }

    /// Every row given the same hash: equal keys are still found, unequal ones are not, and a
    /// key that lost its hash to an unequal one is still found later.
    #[test]
    fn hash_collisions_never_make_or_hide_duplicates() {
        let spec = &canonical::EVALUATIONS;
        let mut seen = Seen::new(spec);
        let a = read("a.csv", &[("本级", "2020"), ("直属分局", "2020")]);
        let mut frames = vec![(a.frame.clone(), a.rows.clone())];
        seen.add(&frames, &[0, 0]).unwrap();
        assert_eq!(
            seen.collided.len(),
            1,
            "the second row collided with the first"
        );
        let b = read(
            "b.csv",
            &[("直属分局", "2020"), ("本级", "2021"), ("本级", "2020")],
        );
        let (_, found) = seen.duplicates_hashed(&b, &frames, vec![0, 0, 0]).unwrap();
        assert_eq!(found.count, 2);
        let rows: Vec<usize> = found.shown.iter().map(|(r, _, _)| *r).collect();
        assert_eq!(rows, [0, 2]);
        assert_eq!(found.shown[0].1, CsvLocator("a.csv").row(3));
        assert_eq!(found.shown[1].1, CsvLocator("a.csv").row(2));
        assert!(key_shown(&found.shown[1].2).contains("本级 | 全部门 | 2020"));
        // real hashes agree for equal keys and differ for these unequal ones
        let h = row_hashes(spec, &b.frame).unwrap();
        let ha = row_hashes(spec, &a.frame).unwrap();
        assert_eq!((h[0], h[2]), (ha[1], ha[0]));
        assert_ne!(h[1], h[2]);
        frames.push((b.frame.clone(), b.rows.clone()));
        seen.add(&frames, &h).unwrap();
    }
}
