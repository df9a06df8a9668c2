//! Benchmark: a city's dataset (`examples/synth`, or any canonical dataset folder) through the
//! steps a user waits for: load, the catalogue, `summary`, `check`, and one department change as
//! the views compute it (the department's rows, then 总览, 收支结构, 结构变化, 分类钻取, 三公 and
//! 分局执行 for it), and the 部门对比 ranking of every department for a year and stage.
//!
//! Method: a plain timing harness (no extra dependency), release build. `load` and `check` run
//! once per round (they take seconds), the rest `RUNS` times on the loaded dataset; each step's
//! minimum and median over the rounds are printed. A department change is measured on a
//! department not asked for before in that round (its rows are filtered from the city's), the
//! way a user meets it. Timings are printed, never asserted: the machine is shared (see
//! `docs/BENCHMARKS.md`).
//!
//! `cargo bench --bench city -- DIR [DIR…]` (default: `/tmp/s10k /tmp/s100k /tmp/s1m`, skipped
//! when missing). Make the folders with
//! `cargo run --release --example synth -- --departments N --years Y --out DIR`.
//!
//! The app sets glibc's allocator at start (`tune_allocator` in src/main.rs); to time with the
//! same settings, run the bench with `MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=268435456
//! MALLOC_TRIM_THRESHOLD_=268435456` in the environment (glibc reads them at start).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fiscal_lens::analysis::drill::{self, DrillQuery};
use fiscal_lens::analysis::overview::{self, Selection};
use fiscal_lens::analysis::{branches, checks, compare, sangong, structure, summary};
use fiscal_lens::dataset::Dataset;
use fiscal_lens::model::{Classification, Fund, Nature};

/// Rounds of the slow steps (load, check).
const ROUNDS: usize = 2;
/// Runs of the fast steps per round.
const RUNS: usize = 5;

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = std::hint::black_box(f());
    (t.elapsed(), out)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

struct Steps(Vec<(&'static str, Vec<Duration>)>);

impl Steps {
    fn add(&mut self, step: &'static str, d: Duration) {
        match self.0.iter_mut().find(|(s, _)| *s == step) {
            Some((_, v)) => v.push(d),
            None => self.0.push((step, vec![d])),
        }
    }

    fn print(&mut self) {
        for (step, times) in &mut self.0 {
            times.sort();
            println!(
                "  {step:<40} min {:>11}  median {:>11}  ({} runs)",
                ms(times[0]),
                ms(times[times.len() / 2]),
                times.len()
            );
        }
    }
}

/// One department change as the views compute it (see the module documentation), each view's
/// result timed as its own step, prefixed with `label`.
fn change(
    steps: &mut Steps,
    label: &'static str,
    ds: &Dataset,
    cat: &overview::Catalog,
    sel: &Selection,
) {
    let mut step = |name: &'static str, d: Duration| {
        let name: &'static str = Box::leak(format!("{label}: {name}").into_boxed_str());
        steps.add(name, d);
    };
    let all = Instant::now();
    let (d, one) = time(|| ds.department(&sel.department).unwrap());
    step("the department's rows", d);
    let (d, _) = time(|| overview::overview(&one, cat, sel).unwrap());
    step("总览", d);
    let (d, _) = time(|| structure::structure_report(&one, cat, sel, Fund::All).unwrap());
    step("收支结构", d);
    let (d, _) = time(|| structure::timeline(&one, cat, &sel.department, Fund::All).unwrap());
    step("结构变化", d);
    let (d, _) = time(|| {
        let q = DrillQuery {
            department: sel.department.clone(),
            scope: cat.scope(&sel.department, sel.year).unwrap_or_default(),
            year: sel.year,
            stage: sel.stage,
            fund: Fund::All,
            classification: Classification::Functional,
            nature: Nature::Total,
            parent: None,
        };
        let (q, _) = drill::resolve(&one, &q).unwrap();
        drill::drill_table(&one, &q, &cat.year_scopes(&sel.department)).unwrap()
    });
    step("分类钻取", d);
    let (d, _) = time(|| sangong::sangong_trend(&one, &sel.department).unwrap());
    step("三公", d);
    let (d, _) = time(|| branches::branch_report(&one, &sel.department, sel.year).unwrap());
    step("分局执行", d);
    step("all six views", all.elapsed());
}

fn bench(dir: &Path) {
    let mut steps = Steps(Vec::new());
    let mut rows = 0;
    for _ in 0..ROUNDS {
        let (d, ds) = time(|| Dataset::from_path(dir).unwrap());
        rows = ds.tables.amounts.height();
        steps.add("load (read + verdicts)", d);
        let (d, cat) = time(|| overview::catalog(&ds).unwrap());
        steps.add("catalogue", d);
        let (d, _) = time(|| summary::summary(&ds).unwrap());
        steps.add("summary (after load)", d);
        let (d, _) = time(|| checks::check(&ds).unwrap());
        steps.add("check (after load)", d);
        let departments: Vec<String> = cat.departments().cloned().collect();
        if let Some(sel) = cat.default_selection() {
            for _ in 0..RUNS {
                let (d, _) = time(|| compare::ranking(&ds, &cat, sel.year, sel.stage).unwrap());
                steps.add("部门对比 (all departments)", d);
            }
        }
        for run in 0..RUNS {
            let department = &departments[(run * 7) % departments.len()];
            let sel = cat
                .default_selection()
                .map(|s| Selection {
                    department: department.clone(),
                    ..s
                })
                .unwrap();
            let sel = cat.follow_year(&sel).map_or(sel, |(s, _)| s);
            change(&mut steps, "new department", &ds, &cat, &sel);
            change(&mut steps, "asked before", &ds, &cat, &sel);
        }
    }
    println!("{} ({rows} amount rows)", dir.display());
    steps.print();
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let dirs = if args.is_empty() {
        ["/tmp/s10k", "/tmp/s100k", "/tmp/s1m"]
            .iter()
            .map(PathBuf::from)
            .collect()
    } else {
        args
    };
    for dir in dirs.iter().filter(|d| d.exists()) {
        bench(dir);
    }
}
