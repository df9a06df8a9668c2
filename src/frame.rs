//! Typed values out of polars frames (used by `ingest` and `analysis`).

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::error::Result;

/// The categorical type the plans hold their text keys in (department, stage, code, table…):
/// a group-by or join on them hashes a `u32` per value instead of the text. One mapping for
/// every column cast to it, so frames made from the same rows join on it; it is freed with the
/// last column that uses it. A categorical orders by its text (`min`, sorts), and compares with
/// text literals; cast it back to `DataType::String` before reading values as text.
pub fn key_type() -> DataType {
    DataType::from_categories(Categories::new(
        "keys".into(),
        "fiscal-lens".into(),
        CategoricalPhysical::U32,
    ))
}

/// The columns named, cast to [`key_type`].
pub fn as_keys(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|c| col(*c).cast(key_type())).collect()
}

/// The columns named, cast to text (categoricals back to their text).
pub fn as_text(names: &[&str]) -> Vec<Expr> {
    names
        .iter()
        .map(|c| col(*c).cast(DataType::String))
        .collect()
}

/// A `Decimal(38, s)` integer as an exact decimal (normalised). Trailing zeros are dropped first,
/// so large whole amounts (28 digits) fit; `None` when the value has more significant digits
/// than a decimal holds (never rounded).
pub fn decimal_of(mantissa: i128, scale: u32) -> Option<Decimal> {
    let (mut m, mut s) = (mantissa, scale);
    while s > 0 && m % 10 == 0 {
        m /= 10;
        s -= 1;
    }
    Decimal::try_from_i128_with_scale(m, s)
        .ok()
        .map(|d| d.normalize())
}

/// Values of a `Decimal(38, 6)` column as exact decimals.
pub fn decimals(df: &DataFrame, name: &str) -> Result<Vec<Option<Decimal>>> {
    let col = df.column(name)?;
    let ca = col.decimal()?;
    let scale = u32::try_from(ca.scale()).unwrap_or(0);
    ca.physical()
        .iter()
        .map(|v| {
            v.map(|m| {
                decimal_of(m, scale).ok_or_else(|| crate::error::Error::Malformed {
                    location: crate::error::Location::file(name),
                    message: format!("十进制数超出可精确表示的范围（{m}，{scale} 位小数）"),
                })
            })
            .transpose()
        })
        .collect()
}

/// Values of a String column (nulls become empty strings).
pub fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let ca = df.column(name)?.str()?;
    Ok(ca.iter().map(|v| v.unwrap_or("").to_owned()).collect())
}

/// Values of any column as text (cast; nulls become empty strings), e.g. a line number as a key.
pub fn texts(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let col = df.column(name)?.cast(&DataType::String)?;
    Ok(col
        .str()?
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect())
}

/// Values of an Int32 column.
pub fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let ca = df.column(name)?.i32()?;
    Ok(ca.iter().collect())
}

/// Values of a Boolean column (nulls are false).
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    let ca = df.column(name)?.bool()?;
    Ok(ca.iter().map(|v| v.unwrap_or(false)).collect())
}

/// A decimal scalar from a one-row aggregation result.
pub fn first_decimal(df: &DataFrame, name: &str) -> Result<Option<Decimal>> {
    Ok(decimals(df, name)?.into_iter().next().flatten())
}

/// The bytes a frame's arrays hold in memory. polars' `estimated_size` counts a text column
/// as its characters only; a polars text column also holds a 16-byte view per value (and its
/// characters only when longer than 12 bytes, in buffers that columns and chunks may share,
/// counted once here). Used for the memory figures in docs/BENCHMARKS.md.
pub fn held_bytes<'a>(frames: impl IntoIterator<Item = &'a DataFrame>) -> usize {
    let mut buffers = std::collections::HashSet::new();
    let mut total = 0;
    for df in frames {
        for column in df.columns() {
            let Ok(text) = column.str() else {
                total += column.as_materialized_series().estimated_size();
                continue;
            };
            if text.null_count() > 0 {
                total += text.len().div_ceil(8);
            }
            for array in text.downcast_iter() {
                total += array.views().len() * 16;
                for buffer in array.data_buffers().iter() {
                    if buffers.insert((buffer.as_ptr() as usize, buffer.len())) {
                        total += buffer.len();
                    }
                }
            }
        }
    }
    total
}

/// Above this many rows the plans that would hold large intermediate frames (the identities,
/// the summary's functional rows) read a table in batches of whole groups (see
/// [`batch_numbers`]): one plan over a 1 M-row city held 0.3–0.5 GB more than the table.
pub const BATCH_ROWS: usize = 131_072;

thread_local! {
    /// The batch size of this thread's plans (see [`with_batch_rows`]).
    static BATCH: std::cell::Cell<usize> = const { std::cell::Cell::new(BATCH_ROWS) };
}

/// The batch size of this thread's plans: [`BATCH_ROWS`], or the one [`with_batch_rows`] set.
pub fn batch_rows() -> usize {
    BATCH.with(std::cell::Cell::get)
}

/// Run `f` with this thread's plans reading tables in batches of `rows` rows instead of
/// [`BATCH_ROWS`] (the tests compare the results of several sizes with one plan's).
pub fn with_batch_rows<T>(rows: usize, f: impl FnOnce() -> T) -> T {
    let before = BATCH.with(|b| b.replace(rows.max(1)));
    let out = f();
    BATCH.with(|b| b.set(before));
    out
}

/// The batch of every row of `df` (a `u32` column named `batch`) and the number of batches:
/// the values of `key` (an expression over `df`) in the order they first appear, whole, packed
/// into batches of at most `size` rows (a value with more rows is a batch alone).
pub fn batch_numbers(df: &DataFrame, key: Expr, size: usize) -> Result<(Series, u32)> {
    let keys = df
        .clone()
        .lazy()
        .select([key.cast(key_type()).alias("key")])
        .collect()?;
    let sizes = keys
        .clone()
        .lazy()
        .group_by_stable([col("key")])
        .agg([len().alias("n")])
        .collect()?;
    let mut numbers = Vec::with_capacity(sizes.height());
    let (mut k, mut filled) = (0u32, 0usize);
    for n in sizes.column("n")?.cast(&DataType::UInt64)?.u64()?.iter() {
        let n = usize::try_from(n.unwrap_or(0)).unwrap_or(usize::MAX);
        if filled > 0 && filled.saturating_add(n) > size {
            k += 1;
            filled = 0;
        }
        numbers.push(k);
        filled = filled.saturating_add(n);
    }
    let mut sizes = sizes;
    sizes.with_column(Column::new("batch".into(), numbers))?;
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    // a null key is a group of its own (no row is left without a batch)
    args.nulls_equal = true;
    let batch = keys
        .lazy()
        .join(
            sizes.lazy().select([col("key"), col("batch")]),
            [col("key")],
            [col("key")],
            args,
        )
        .select([col("batch")])
        .collect()?;
    let batch = batch.column("batch")?.as_materialized_series().clone();
    Ok((batch, k + 1))
}

/// `df` in slices of at most `size` rows, in order: views of `df`, not copies.
pub fn slices(df: &DataFrame, size: usize) -> impl Iterator<Item = DataFrame> + '_ {
    let size = size.max(1);
    (0..df.height())
        .step_by(size)
        .map(move |start| df.slice(i64::try_from(start).unwrap_or(i64::MAX), size))
}

/// The rows of a table in batches (see [`batches`]).
pub struct Batches {
    /// Each batch's rows, numbered by their index in the table (`row`).
    pub parts: Vec<LazyFrame>,
    /// Whether each batch is a run of consecutive rows following the one before: the batches'
    /// rows, one after the other, are then in the table's order.
    pub in_order: bool,
}

/// The rows of `df` in batches of whole values of `key` (see [`batch_numbers`]), each numbered
/// by its index in `df` (`row`, the first column's type `IdxSize`), in order. When every batch
/// is a run of consecutive rows (a table written report by report, department by department),
/// a batch is a slice of `df`, not a copy; otherwise the rows are filtered out.
pub fn batches(df: &DataFrame, key: Expr, size: usize) -> Result<Batches> {
    let (batch, count) = batch_numbers(df, key, size)?;
    let numbers = batch.u32()?;
    // the first row of each batch, when the batch numbers never go down
    let mut starts: Vec<usize> = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut runs = true;
    let mut last: Option<u32> = None;
    for (i, k) in numbers.iter().enumerate() {
        let k = k.unwrap_or(u32::MAX);
        match last {
            Some(l) if k == l => {}
            Some(l) if k == l + 1 => starts.push(i),
            None if k == 0 => starts.push(i),
            _ => {
                runs = false;
                break;
            }
        }
        last = Some(k);
    }
    if runs {
        let ends = starts.iter().skip(1).copied().chain([df.height()]);
        let parts = starts
            .iter()
            .zip(ends)
            .map(|(&start, end)| {
                let first = IdxSize::try_from(start).map_err(|_| too_many(start))?;
                let offset = i64::try_from(start).map_err(|_| too_many(start))?;
                Ok(df
                    .slice(offset, end - start)
                    .lazy()
                    .with_row_index("row", Some(first)))
            })
            .collect::<Result<_>>()?;
        return Ok(Batches {
            parts,
            in_order: true,
        });
    }
    let numbered = df
        .clone()
        .lazy()
        .with_row_index("row", None)
        .with_column(lit(batch));
    let parts = (0..count)
        .map(|k| {
            numbered
                .clone()
                .filter(col("batch").eq(lit(k)))
                .drop(by_name(["batch"], true, false))
        })
        .collect();
    Ok(Batches {
        parts,
        in_order: false,
    })
}

/// At most this many batches are worked on at once (fewer on a machine with fewer cores). A
/// plan over one batch of [`BATCH_ROWS`] rows keeps polars' threads busy only part of the time
/// (the tables' verdicts of a 1 M-row city: 0.79–0.80 s on one thread, 0.58–0.81 s on two);
/// two batches at once use both cores of the machine measured. Each batch in flight holds its
/// plans' intermediate frames, so more would cost memory.
pub const BATCH_WORKERS: usize = 2;

/// `f` of every batch of `parts`, in order, worked on by up to [`BATCH_WORKERS`] threads (this
/// one and threads named `{name}-1`, …), each taking the next batch when done with one. The
/// results are those of running `f` on the batches one after the other: the first error (in
/// batch order) is returned, and no batch after an error is started.
pub fn map_batches<T: Send>(
    parts: Vec<LazyFrame>,
    name: &str,
    f: impl Fn(LazyFrame) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let workers = BATCH_WORKERS.min(cores).min(parts.len());
    if workers <= 1 {
        return parts.into_iter().map(f).collect();
    }
    let queue = Mutex::new(parts.into_iter().enumerate());
    let failed = AtomicBool::new(false);
    let work = || {
        let mut done: Vec<(usize, Result<T>)> = Vec::new();
        // no batch is started after one failed; one taken from the queue is always worked on,
        // so every batch before a failed one has its result
        while !failed.load(Ordering::Acquire) {
            // a poisoned queue: another worker panicked; the scope passes the panic on
            let next = queue.lock().ok().and_then(|mut q| q.next());
            let Some((i, part)) = next else { break };
            let out = f(part);
            if out.is_err() {
                failed.store(true, Ordering::Release);
            }
            done.push((i, out));
        }
        done
    };
    let mut all = std::thread::scope(|s| {
        // a thread that cannot be started leaves its batches to the others and to this thread
        let helpers: Vec<_> = (1..workers)
            .filter_map(|w| {
                std::thread::Builder::new()
                    .name(format!("{name}-{w}"))
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        let mut all = work();
        for h in helpers {
            match h.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    // in batch order: every batch before a failed one has its result, so the first error met
    // is the first in batch order; without an error every batch has run
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, out)| out).collect()
}

/// A row index beyond what polars numbers (more than 2^32 rows).
fn too_many(row: usize) -> crate::error::Error {
    crate::error::Error::Malformed {
        location: crate::error::Location::file("amounts"),
        message: format!("第 {row} 行超出可编号的行数"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_amounts_stay_exact() {
        // 28 nines at scale 6 (Decimal(38, 6)): exact, not rounded
        let m: i128 = 9_999_999_999_999_999_999_999_999_999 * 1_000_000;
        assert_eq!(
            decimal_of(m, 6).map(|d| d.to_string()),
            Some("9999999999999999999999999999".to_owned())
        );
        // more significant digits than a decimal holds: refused, never rounded
        assert_eq!(decimal_of(m + 1, 6), None);
        assert_eq!(
            crate::ingest::canonical::decimal_to_i128(
                "9999999999999999999999999999".parse().unwrap()
            ),
            Some(m)
        );
    }

    #[test]
    fn held_bytes_count_the_views() {
        // 1,000 short values: a 16-byte view each, no buffer; polars' estimate counts 1 byte each
        let short = df!("s" => vec!["a"; 1_000], "n" => vec![1i32; 1_000]).unwrap();
        assert_eq!(short.estimated_size(), 1_000 + 4_000);
        assert_eq!(held_bytes([&short]), 16_000 + 4_000);
        // long values are also held in a buffer: 20 bytes each, counted once per buffer
        let long = df!("s" => vec!["合成市第001局（本级）"; 10]).unwrap();
        let bytes = "合成市第001局（本级）".len();
        assert!(bytes > 12);
        let held = held_bytes([&long]);
        assert!(held >= 160 + bytes && held <= 160 + 10 * bytes, "{held}");
    }

    #[test]
    fn batches_hold_every_row_once() {
        let rows = |b: &Batches| -> Vec<u32> {
            let mut all: Vec<u32> = b
                .parts
                .iter()
                .flat_map(|p| {
                    let df = p.clone().collect().unwrap();
                    let row = df.column("row").unwrap().u32().unwrap().clone();
                    row.into_no_null_iter().collect::<Vec<u32>>()
                })
                .collect();
            all.sort_unstable();
            all
        };
        // runs of one key: slices, in order
        let runs = df!("k" => ["a", "a", "b", "b", "c"]).unwrap();
        let b = batches(&runs, col("k"), 2).unwrap();
        assert!(b.in_order);
        assert_eq!(b.parts.len(), 3);
        assert_eq!(rows(&b), (0..5).collect::<Vec<u32>>());
        // a key again later, and nulls: filtered, still every row once
        let mixed = df!("k" => [Some("a"), Some("b"), None, Some("a"), None]).unwrap();
        let b = batches(&mixed, col("k"), 2).unwrap();
        assert!(!b.in_order);
        assert_eq!(rows(&b), (0..5).collect::<Vec<u32>>());
    }

    #[test]
    fn map_batches_keeps_the_order_and_the_first_error() {
        let parts = |n: i32| -> Vec<LazyFrame> {
            (0..n).map(|k| df!("k" => [k]).unwrap().lazy()).collect()
        };
        let first = |lf: LazyFrame| -> Result<i32> {
            let df = lf.collect()?;
            Ok(df.column("k")?.i32()?.get(0).unwrap_or(-1))
        };
        // 40 batches over two threads come back in order
        let out = map_batches(parts(40), "test", first).unwrap();
        assert_eq!(out, (0..40).collect::<Vec<i32>>());
        // the error of the first failing batch, whichever thread met it
        let failing = |lf: LazyFrame| -> Result<i32> {
            let k = first(lf)?;
            if k == 3 || k == 7 {
                return Err(crate::error::Error::Malformed {
                    location: crate::error::Location::file(format!("batch {k}")),
                    message: "fails".to_owned(),
                });
            }
            Ok(k)
        };
        for _ in 0..20 {
            let e = map_batches(parts(10), "test", failing).unwrap_err();
            assert!(e.to_string().starts_with("batch 3"), "{e}");
        }
        assert!(map_batches(Vec::new(), "test", first).unwrap().is_empty());
    }
}
