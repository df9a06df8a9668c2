//! Benchmark: import the PDF reports of the corpus (`../shared/corpus`, not part of the project).
//!
//! Method (plain timing harness, release build: `cargo bench --bench import_pdf`):
//! * **per report**: each PDF's bytes are read once; then 1 warm-up and 5 timed runs of
//!   `read_report_pdf` (parse + page model + grammar + canonical frames) on one thread; the
//!   report's time is the median of its 5 runs. Printed: every file's median, and the median and
//!   maximum over the files.
//! * **batch**: `ingest::import_with` on all the corpus PDFs at once (files read from disk, in
//!   parallel with rayon on this machine's cores, then merged), `keep_going` so the scans and
//!   files without tables are skipped as in a real batch; 3 runs, median printed.
//! * **peak memory**: the process's peak resident set (`VmHWM` of `/proc/self/status`) after all
//!   runs.
//!
//! Targets (issue 12): median ≤ 0.3 s per report, whole corpus ≤ 10 s in one batch, peak RSS ≤
//! 300 MB; the bench fails when one is missed. Without `../shared/corpus` it says so and exits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fiscal_lens::ingest::report::{Hints, read_report_pdf};
use fiscal_lens::ingest::{ImportOptions, import_with};

const RUNS: usize = 5;
const PER_REPORT: Duration = Duration::from_millis(300);
const BATCH: Duration = Duration::from_secs(10);
const PEAK_MB: u64 = 300;

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    if !dir.is_dir() {
        println!("import_pdf: {} not found; nothing measured", dir.display());
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let mut medians = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        std::hint::black_box(read_report_pdf(&name, &bytes, &Hints::default()));
        let mut times = Vec::with_capacity(RUNS);
        let mut pages = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let r = std::hint::black_box(read_report_pdf(&name, &bytes, &Hints::default()));
            times.push(t.elapsed());
            pages = r.pages;
        }
        times.sort();
        let median = times[RUNS / 2];
        println!("import_pdf/{name} ({pages} pages): median {median:.2?}");
        medians.push(median);
    }
    medians.sort();
    let median = medians[medians.len() / 2];
    let max = *medians.last().unwrap();
    println!(
        "import_pdf/per_report over {} files: median {median:.2?}, max {max:.2?} (target median ≤ {PER_REPORT:?})",
        medians.len()
    );
    let mut batch = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let options = ImportOptions {
            keep_going: true,
            ..ImportOptions::default()
        };
        let (tables, _) = std::hint::black_box(import_with(&files, &options, &|_| {}));
        batch.push(t.elapsed());
        assert!(tables.is_some(), "the batch merged something");
    }
    batch.sort();
    let batch_median = batch[1];
    let peak = peak_rss_kb().unwrap_or(0) / 1024;
    println!(
        "import_pdf/batch ({} files, {} threads): median {batch_median:.2?} (target ≤ {BATCH:?}); peak RSS {peak} MB (target ≤ {PEAK_MB} MB)",
        files.len(),
        rayon::current_num_threads()
    );
    assert!(median <= PER_REPORT, "median per report {median:?}");
    assert!(batch_median <= BATCH, "batch {batch_median:?}");
    assert!(peak <= PEAK_MB, "peak RSS {peak} MB");
}
