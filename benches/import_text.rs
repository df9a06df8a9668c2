//! Benchmark: import the text of seed 000 (2020 决算, nine tables + 200 project paragraphs).
//!
//! A plain timing harness (no extra dependency): 3 warm-up runs, then 30 timed runs of
//! `read_report_text` on the bytes already in memory (file reading excluded; validation through
//! the canonical CSV reader and polars frame building included). Prints min / median / mean and
//! fails when the median exceeds the 50 ms target. Run with `cargo bench --bench import_text`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use fiscal_lens::ingest::report::read_report_text;

const WARMUP: usize = 3;
const RUNS: usize = 30;
const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
    let path = std::fs::read_dir(dir)
        .expect("seed reports beside the checkout")
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .expect("seed 000");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let bytes = std::fs::read(&path).unwrap();

    for _ in 0..WARMUP {
        std::hint::black_box(read_report_text(&name, &bytes));
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = std::hint::black_box(read_report_text(&name, &bytes));
        times.push(t.elapsed());
        rows = r.tables.amounts.height() + r.tables.projects.height();
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / u32::try_from(RUNS).unwrap_or(u32::MAX);
    let median = times[RUNS / 2];
    println!(
        "import_text/seed_000 ({} KiB, {rows} amount+project rows): min {:.2?}  median {:.2?}  mean {:.2?}  (target ≤ {:?})",
        bytes.len() / 1024,
        times[0],
        median,
        mean,
        TARGET
    );
    assert!(
        median <= TARGET,
        "median {median:?} exceeds the {TARGET:?} target"
    );
}
