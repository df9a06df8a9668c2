//! A Parquet dataset whose `amounts` table is hive-partitioned (`amounts/department=…/year=…/`):
//! written by `write_dataset_with(.., Partition::Always)`, read back with the same figures, and
//! read for one department without opening the other departments' files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

use std::path::Path;

use fiscal_lens::Dataset;
use fiscal_lens::analysis::summary::summary;
use fiscal_lens::ingest::write::{Partition, write_dataset_with};
use fiscal_lens::ingest::{Format, ImportOptions, partitioned};

fn city(dir: &Path) -> Dataset {
    fiscal_lens::synth::write_city(dir, 3, 2, 7).unwrap();
    Dataset::from_dir(dir).unwrap()
}

fn only(department: &str) -> ImportOptions {
    ImportOptions {
        department: Some(department.to_owned()),
        ..ImportOptions::default()
    }
}

#[test]
fn a_partitioned_dataset_reads_back_and_one_department_reads_only_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = city(&tmp.path().join("csv"));
    let out = tmp.path().join("pq");
    write_dataset_with(&ds.tables, &out, Format::Parquet, Partition::Always).unwrap();
    // one folder per department and year, the other tables as single files
    assert!(!out.join("amounts.parquet").exists());
    let part = out
        .join("amounts")
        .join("department=合成市第002局")
        .join("year=2016")
        .join("part-0.parquet");
    assert!(part.is_file(), "{}", part.display());
    assert!(out.join("projects.parquet").is_file());

    // the same figures (the rows come back department by department, as the CSV has them)
    let back = Dataset::from_dir(&out).unwrap();
    assert_eq!(back.tables.amounts.height(), ds.tables.amounts.height());
    assert_eq!(back.tables.amounts.height(), 3 * 2 * 792);
    let (a, b) = (summary(&ds).unwrap(), summary(&back).unwrap());
    assert_eq!(a.functional, b.functional);
    assert_eq!(a.sangong, b.sangong);

    // one department: its rows only, in every table
    let one = Dataset::from_path_with(&out, &only("合成市第002局")).unwrap();
    assert_eq!(one.tables.amounts.height(), 2 * 792);
    let from_csv = ds.department("合成市第002局").unwrap();
    assert_eq!(
        summary(&one).unwrap().functional,
        summary(&from_csv).unwrap().functional
    );
    assert_eq!(
        one.tables.projects.height(),
        from_csv.tables.projects.height()
    );

    // another department's file made unreadable: the whole dataset fails with its location,
    // department 002 alone still reads (its filter is applied to the folder names, so the
    // broken file is never opened)
    let broken = out
        .join("amounts")
        .join("department=合成市第003局")
        .join("year=2015")
        .join("part-0.parquet");
    std::fs::write(&broken, b"not parquet").unwrap();
    let e = Dataset::from_dir(&out).unwrap_err().to_string();
    assert!(
        e.contains("department=合成市第003局")
            && e.contains("year=2015")
            && e.contains("part-0.parquet")
            && e.contains("Parquet"),
        "{e}"
    );
    let one = Dataset::from_path_with(&out, &only("合成市第002局")).unwrap();
    assert_eq!(one.tables.amounts.height(), 2 * 792);
}

#[test]
fn unexpected_entries_in_a_partitioned_folder_are_refused_with_their_path() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = city(&tmp.path().join("csv"));
    let out = tmp.path().join("pq");
    write_dataset_with(&ds.tables, &out, Format::Parquet, Partition::Always).unwrap();
    let stray = out.join("amounts").join("notes.txt");
    std::fs::write(&stray, "x").unwrap();
    let e = Dataset::from_dir(&out).unwrap_err().to_string();
    assert!(e.contains("notes.txt") && e.contains("键=值"), "{e}");
}

#[test]
fn small_datasets_stay_single_files_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = city(&tmp.path().join("csv"));
    let out = tmp.path().join("auto");
    write_dataset_with(&ds.tables, &out, Format::Parquet, Partition::Auto).unwrap();
    assert!(out.join("amounts.parquet").is_file());
    assert!(!out.join("amounts").exists());
}

#[test]
fn department_names_are_safe_folder_names() {
    assert_eq!(partitioned::encode("合成市第001局"), "合成市第001局");
    assert_eq!(partitioned::encode("a/b=c%d"), "a%2Fb%3Dc%25d");
    assert_eq!(partitioned::encode(".."), "%2E.");
    assert_eq!(partitioned::encode("x\ny"), "x%0Ay");
}
