//! Mutation fuzzing of the readers, on stable Rust: random byte flips, insertions (digits,
//! separators, line breaks, CJK bytes), deletions, duplications and truncations of real inputs
//! (the seed fixture report, the sample canonical tables, a small workbook, a synthetic PDF).
//! Each reader must return — no panic — and every error must name the file it is about.
//!
//! A short run is part of `cargo test` (about 3 s per reader); a long one:
//! `FUZZ_SECS=600 cargo test --release --test fuzz -- --ignored` (600 s per reader). A failing
//! input is written to the system temp folder and its path printed, to reproduce it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use fiscal_lens::ingest::canonical::{self, read_csv};
use fiscal_lens::ingest::report::{Hints, read_report_pdf, read_report_text_with};

/// How long each reader is fuzzed: `FUZZ_SECS`, else `default`.
fn budget(default: u64) -> Duration {
    Duration::from_secs(
        std::env::var("FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default),
    )
}

/// One input changed by 1–8 random edits.
fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
    const PIECES: [&[u8]; 12] = [
        b"0",
        b"9",
        b".",
        b",",
        b"-",
        b"\n",
        b"\t",
        b"|",
        b"\"",
        b"\xE5\x90\x88",
        b"\xEF\xBB\xBF",
        b"99999999999999999999999999999",
    ];
    let mut v = seed.to_vec();
    for _ in 0..rng.usize(1..=8) {
        if v.is_empty() {
            v.extend_from_slice(PIECES[rng.usize(..PIECES.len())]);
            continue;
        }
        let at = rng.usize(..v.len());
        match rng.u8(0..6) {
            0 => v[at] = rng.u8(..),
            1 => {
                let piece = PIECES[rng.usize(..PIECES.len())];
                v.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + rng.usize(1..64)).min(v.len());
                v.drain(at..end);
            }
            3 => {
                let end = (at + rng.usize(1..256)).min(v.len());
                let copy = v[at..end].to_vec();
                v.splice(at..at, copy);
            }
            4 => v.truncate(at),
            _ => v[at] ^= 1 << rng.u8(0..8),
        }
    }
    v
}

/// Run `read` on mutations of `seeds` for `time`; a panic fails with the input saved.
fn fuzz(name: &str, seeds: &[Vec<u8>], time: Duration, read: impl Fn(&[u8]) -> Vec<String>) {
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let start = Instant::now();
    let mut runs = 0u64;
    while start.elapsed() < time {
        let pick = rng.usize(..seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| read(&input)));
        let took = t.elapsed();
        let Ok(errors) = result else {
            let path = std::env::temp_dir().join(format!("fuzz-{name}-{seed}-{runs}.bin"));
            std::fs::write(&path, &input).unwrap();
            panic!(
                "{name}: panicked (FUZZ_SEED={seed}); input saved to {}",
                path.display()
            );
        };
        assert!(
            took < Duration::from_secs(20),
            "{name}: one input took {took:?} (FUZZ_SEED={seed})"
        );
        for e in errors {
            assert!(e.contains(name), "{name}: error not located: {e}");
        }
        runs += 1;
    }
    eprintln!(
        "{name}: {runs} inputs in {:?} (FUZZ_SEED={seed})",
        start.elapsed()
    );
    assert!(runs > 0);
}

fn sample(file: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-data")
            .join(file),
    )
    .unwrap()
}

fn report_text(time: Duration) {
    let seeds = vec![include_bytes!("fixtures/doubts.txt").to_vec()];
    fuzz("报告.txt", &seeds, time, |bytes| {
        let r = read_report_text_with("报告.txt", bytes, &Hints::default());
        r.all_issues()
            .filter(|i| i.severity == fiscal_lens::model::Severity::Error)
            .map(|i| i.location.to_string())
            .collect()
    });
}

fn canonical_csv(time: Duration) {
    // the first 60 lines of each sample table (whole files are slow to mutate and read)
    let specs = [
        &canonical::AMOUNTS,
        &canonical::PROJECTS,
        &canonical::SANGONG,
    ];
    let seeds: Vec<Vec<u8>> = specs
        .iter()
        .map(|s| {
            let text = String::from_utf8(sample(&s.file_name())).unwrap();
            text.lines()
                .take(60)
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        })
        .collect();
    fuzz("表.csv", &seeds, time, |bytes| {
        specs
            .iter()
            .filter_map(|spec| read_csv(spec, "表.csv", bytes).err().map(|e| e.to_string()))
            .collect()
    });
}

fn workbook(time: Duration) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("sangong").unwrap();
    let text = String::from_utf8(sample("sangong.csv")).unwrap();
    for (r, line) in text.lines().take(20).enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            sheet.write_string(r, c, cell).unwrap();
        }
    }
    let seeds = vec![book.save_to_buffer().unwrap()];
    fuzz(
        "簿.xlsx",
        &seeds,
        time,
        |bytes| match fiscal_lens::ingest::xlsx::read_workbook("簿.xlsx", bytes) {
            Ok(read) => read
                .tables
                .into_iter()
                .filter_map(|(_, r)| r.err().map(|e| e.to_string()))
                .collect(),
            Err(e) => vec![e.to_string()],
        },
    );
}

fn pdf(time: Duration) {
    use common::pdf::{PdfPage, write_pdf};
    let mut page = PdfPage::new(595.0, 842.0);
    page.text(60.0, 80.0, 14.0, "某局2024年部门决算");
    page.text(60.0, 120.0, 10.0, "支出决算表");
    for (i, row) in [
        "合计  100.00",
        "201 一般公共服务支出  60.00",
        "205 教育支出  40.00",
    ]
    .iter()
    .enumerate()
    {
        let y = 150.0 + 20.0 * f32::from(u8::try_from(i).unwrap());
        page.text(60.0, y, 10.0, row);
        page.line(50.0, y + 5.0, 500.0, y + 5.0);
    }
    let seeds = vec![write_pdf(&[page])];
    fuzz("报告.pdf", &seeds, time, |bytes| {
        let r = read_report_pdf("报告.pdf", bytes, &Hints::default());
        r.all_issues()
            .filter(|i| i.severity == fiscal_lens::model::Severity::Error)
            .map(|i| i.location.to_string())
            .collect()
    });
}

#[test]
fn fuzz_report_text_briefly() {
    report_text(budget(3));
}

#[test]
fn fuzz_canonical_csv_briefly() {
    canonical_csv(budget(3));
}

#[test]
fn fuzz_workbook_briefly() {
    workbook(budget(3));
}

#[test]
fn fuzz_pdf_briefly() {
    pdf(budget(3));
}

/// The long run (`FUZZ_SECS=600 cargo test --release --test fuzz -- --ignored`).
#[test]
#[ignore = "long fuzz run; set FUZZ_SECS"]
fn fuzz_long() {
    let t = budget(60);
    report_text(t);
    canonical_csv(t);
    workbook(t);
    pdf(t);
}
