//! The headless CLI: `fiscal-lens summary --json` and its errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // tests may panic

mod common;

use common::bin;

use serde_json::Value;

fn summary_json(args: &[&str]) -> Value {
    let out = bin()
        .arg("summary")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn find(arr: &Value, pred: impl Fn(&Value) -> bool) -> &Value {
    arr.as_array()
        .unwrap()
        .iter()
        .find(|v| pred(v))
        .expect("row present")
}

#[test]
fn summary_json_has_seed_figures() {
    let v = summary_json(&[]);
    let f = find(&v["functional"], |r| {
        r["year"] == 2020 && r["stage"] == "final" && r["fund"] == "all" && r["code"] == "208"
    });
    assert_eq!(f["name"], "社会保障和就业支出");
    assert_eq!(f["total"], "63682.77");
    assert_eq!(f["basic"], "26917.25");
    assert_eq!(f["project"], "36765.52");
    assert_eq!(f["scope"], "全部门");
    assert!(f["year"].is_i64());

    let s = find(&v["sangong"], |r| {
        r["year"] == 2020 && r["stage"] == "final" && r["category"] == "total"
    });
    assert_eq!(s["amount"], "52.70");
    let s = find(&v["sangong"], |r| {
        r["year"] == 2020 && r["stage"] == "budget" && r["category"] == "total"
    });
    assert_eq!(s["amount"], "95.24");
    let s = find(&v["sangong"], |r| {
        r["year"] == 2021 && r["stage"] == "final" && r["category"] == "total"
    });
    assert_eq!(s["amount"], "45.92");
    let s = find(&v["sangong"], |r| {
        r["year"] == 2021 && r["stage"] == "budget" && r["category"] == "total"
    });
    assert_eq!(s["amount"], "90.07");

    let r = find(&v["revenue"], |r| {
        r["year"] == 2020 && r["source"] == "本年收入合计" && r["table"] == "公开01"
    });
    assert_eq!(r["amount"], "321163.15");
    let r = find(&v["revenue"], |r| {
        r["year"] == 2023 && r["source_key"] == "revenue_total" && r["table"] == "预算表1"
    });
    assert_eq!(r["amount"], "298448.00");
    assert_eq!(r["unit"], "本级");

    let b = find(&v["branches"], |r| {
        r["year"] == 2020 && r["unit"] == "福田分局"
    });
    assert_eq!(b["projects"], 16);
    assert_eq!(b["budget"], "941.73");
    assert_eq!(b["actual"], "878.32");
    assert_eq!(b["execution_rate"], "0.9327");
    let b = find(&v["branches"], |r| {
        r["year"] == 2020 && r["unit"] == "直属分局"
    });
    assert_eq!(b["projects"], 11);
}

#[test]
fn summary_json_on_a_dataset_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sangong.csv"),
        "department,unit,scope,year,stage,category,amount,source_unit,source_doc,source_table,source_line,source_label,flags,note\n\
         测试局,全部门,全部门,2024,final,total,12.34,万元,t.txt,公开07,9,,,\n",
    )
    .unwrap();
    let v = summary_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(v["sangong"][0]["amount"], "12.34");
    assert_eq!(v["sangong"][0]["department"], "测试局");
    assert_eq!(v["functional"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_input_exits_2_with_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sangong.csv"),
        "department,unit,scope,year,stage,category,amount,source_unit,source_doc,source_table,source_line,source_label,flags,note\n\
         测试局,全部门,全部门,2024,final,total,12.34,万元,t.txt,公开07,9,,,\n\
         测试局,全部门,全部门,2024,final,total,12.3x,万元,t.txt,公开07,9,,,\n",
    )
    .unwrap();
    let out = bin()
        .arg("summary")
        .arg(dir.path())
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sangong.csv:3"), "{err}");
    assert!(err.contains("amount"), "{err}");
    assert!(err.contains("12.3x"), "{err}");
    assert!(out.stdout.is_empty());

    let out = bin()
        .args(["summary", "/nonexistent/fiscal-lens-data", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/fiscal-lens-data"));
}

#[test]
#[ignore = "needs ../shared"]
fn import_report_text_then_summary_and_check() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
    let s000 = format!("{seeds}/000_04e09bc6c251173f.txt");
    let s004 = format!("{seeds}/004_da9b153982af61e6.txt");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("imported");
    let run = bin()
        .args(["import", &s000, &s004, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
    // Each OCR repair is reported with its file and line.
    assert!(stdout.contains("000_04e09bc6c251173f.txt:"), "{stdout}");

    // The summary of the import reads the seeds' figures directly from the text.
    let v = summary_json(&[out.to_str().unwrap()]);
    let row = find(&v["functional"], |r| {
        r["year"] == 2020 && r["code"] == "208" && r["stage"] == "final" && r["fund"] == "all"
    });
    assert_eq!(row["total"], "63682.77");
    assert_eq!(row["table"], "公开03");
    // A report file can be summarised without importing it first.
    let v = summary_json(&[&s004]);
    assert!(
        v["revenue"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["year"] == 2023
                && r["source_key"] == "revenue_total"
                && r["amount"] == "298448.00")
    );

    // The imported reports pass the audit checks (尾数 only).
    let run = bin().arg("check").arg(&out).output().unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

/// Inputs that are not regular files, or larger than the cap, are refused with a located error
/// before anything is read; nothing is written.
#[test]
fn import_refuses_devices_and_files_over_the_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("大报告.txt");
    std::fs::write(&big, vec![b' '; 2 * 1024 * 1024]).unwrap();
    let out_dir = tmp.path().join("out");
    let out = bin()
        .args(["import", "--max-file-mb", "1", "--out"])
        .arg(&out_dir)
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("大报告.txt") && err.contains("2 MB") && err.contains("1 MB 的上限"),
        "{err}"
    );
    assert!(!out_dir.exists(), "nothing written");
    #[cfg(unix)]
    {
        let link = tmp.path().join("amounts.csv");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let out = bin()
            .args(["import", "--out"])
            .arg(&out_dir)
            .arg(&link)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr).to_string()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(
            err.contains("amounts.csv") && err.contains("设备文件"),
            "{err}"
        );
    }
}

/// `--format csv` with an `--out` named like a workbook is refused (it used to make a folder
/// named `x.xlsx`); a hidden temporary folder left by a killed write is cleared by the next one.
#[test]
fn import_output_names_are_checked_and_killed_writes_cleaned_up() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let out = tmp.path().join("x.xlsx");
    let run = bin()
        .args(["import", "--format", "csv", "--out"])
        .arg(&out)
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("x.xlsx") && err.contains("--format xlsx"),
        "{err}"
    );
    assert!(!out.exists(), "no folder named x.xlsx");

    let stale = tmp.path().join(".data.partial-abc123");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("amounts.csv"), "half written").unwrap();
    let run = bin()
        .args(["import", "--out"])
        .arg(tmp.path().join("data"))
        .arg(&sample)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!stale.exists(), "the killed write's folder is gone");
    assert!(tmp.path().join("data").join("amounts.csv").is_file());
}

/// A reader that stops reading (`| head`) ends `summary --json` quietly with 141, SIGPIPE's
/// status: no panic, no error message, and not 0 (the output was cut). The built-in summary is
/// 82 KB, more than a pipe holds, so the program is still writing when the reader goes.
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    use std::io::BufRead as _;
    let mut child = bin()
        .args(["summary", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // the reader is gone
    let out = child.wait_with_output().unwrap();
    assert_eq!(first, "{\n");
    assert_eq!(out.status.code(), Some(141));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// On glibc the program sets the allocator first thing (`tune_allocator`, see
/// docs/BENCHMARKS.md): each setting is accepted, and logged at debug level.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_allocator_is_set_at_start() {
    let out = bin()
        .args(["summary"])
        .env("RUST_LOG", "fiscal_lens=debug")
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = String::from_utf8_lossy(&out.stderr);
    for setting in [
        "M_ARENA_MAX = ",
        "M_MMAP_THRESHOLD = 268435456",
        "M_TRIM_THRESHOLD = 268435456",
    ] {
        assert!(log.contains(&format!("allocator: {setting}")), "{log}");
    }
    assert!(!log.contains("refused"), "{log}");
}
