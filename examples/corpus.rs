//! Import every PDF of the report corpus (`../shared/corpus`, not part of the project) and
//! report, per file: pages, time, tables read (rows), issues, identities that hold, and the
//! totals of `totals.tsv` read back. `--write docs/CORPUS.md` also writes the table as markdown.
//!
//! Method: release build (`cargo run --release --example corpus`), one process, files read one
//! after the other on one thread; the time is `read_report_pdf` alone (parse + page model +
//! grammar), the file already in memory.

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::fmt::Write as _;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let expect_to = args
        .iter()
        .position(|a| a == "--expect")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut expect =
        String::from("# file\ttables read (source_table ids in document order; - for none)\n");
    let write_to = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let Some(dir) = corpus::corpus_dir() else {
        eprintln!("{} not found", corpus::CORPUS);
        std::process::exit(2);
    };
    let expected = corpus::expected(&dir);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "| file | department, year (read) | pages | time (ms) | tables read (rows) | errors | warnings | identities exact / within 尾数 / checked | verdicts 已核对 / 部分核对 / 存疑 | totals |\n|---|---|---:|---:|---|---:|---:|---:|---:|---|"
    );
    let mut total_time = 0.0;
    let mut all = fiscal_lens::analysis::identities::Identities::default();
    let mut totals_ok = 0;
    let mut totals_all = 0;
    let mut verdict_totals = (0usize, 0usize, 0usize);
    for path in corpus::files(&dir) {
        let r = corpus::read_file(&path);
        total_time += r.time.as_secs_f64();
        let tables: Vec<String> = r
            .tables()
            .iter()
            .map(|(t, n)| format!("{t} ({n})"))
            .collect();
        let got = corpus::read_totals(&r);
        let ids: Vec<String> = r.tables().into_iter().map(|(t, _)| t).collect();
        let _ = writeln!(
            expect,
            "{}\t{}",
            r.file,
            if ids.is_empty() {
                "-".to_owned()
            } else {
                ids.join(",")
            }
        );
        let mut totals = Vec::new();
        if let Some(e) = expected.iter().find(|e| e.file == r.file) {
            for (k, (w, g)) in e.wan().iter().zip(got.iter()).enumerate() {
                if let Some(w) = w {
                    totals_all += 1;
                    let ok = g.is_some_and(|g| g == *w);
                    if ok {
                        totals_ok += 1;
                    }
                    let label = ["本年收入合计", "本年支出合计", "收入总计", "支出总计"]
                        .get(k)
                        .copied()
                        .unwrap_or("");
                    totals.push(format!(
                        "{label} {}",
                        if ok {
                            "✓".to_owned()
                        } else {
                            format!("✗ ({})", g.map_or("—".to_owned(), |g| g.to_string()))
                        }
                    ));
                }
            }
        }
        let id = &r.identities;
        let verdict = |v: fiscal_lens::ingest::verify::Verdict| {
            r.import
                .reports
                .iter()
                .filter(|t| t.verdict == Some(v))
                .count()
        };
        use fiscal_lens::ingest::verify::Verdict;
        let (vv, vp, vd) = (
            verdict(Verdict::Verified),
            verdict(Verdict::Partial),
            verdict(Verdict::Doubtful),
        );
        verdict_totals.0 += vv;
        verdict_totals.1 += vp;
        verdict_totals.2 += vd;
        let _ = writeln!(
            md,
            "| {}{} | {} {} | {} | {:.0} | {} | {} | {} | {} / {} / {} | {vv} / {vp} / {vd} | {} |",
            r.file,
            r.hinted
                .as_ref()
                .map_or(String::new(), |d| format!(" ({d})")),
            r.import.meta.department.as_deref().unwrap_or("—"),
            r.import.meta.year.map_or("—".to_owned(), |y| y.to_string()),
            r.pages,
            r.time.as_secs_f64() * 1000.0,
            if tables.is_empty() {
                "—".to_owned()
            } else {
                tables.join(", ")
            },
            r.errors(),
            r.warnings(),
            id.held,
            id.held + id.rounding,
            id.checked,
            totals.join("; ")
        );
        if args.iter().any(|a| a == "-v") {
            for i in r.import.all_issues() {
                eprintln!("  {i}");
            }
            for m in &id.misses {
                eprintln!("  miss {} {}: {} vs {}", m.at, m.rule, m.expected, m.actual);
            }
        }
        all.add(r.identities);
    }
    let _ = writeln!(
        md,
        "\nTotal read time {:.2} s; identities: {} checked, {} hold exactly ({:.2} %), {} within the printed 尾数 ({:.2} %); totals.tsv figures equal {}/{}; tables 已核对 {} / 部分核对 {} / 存疑 {}.",
        total_time,
        all.checked,
        all.held,
        all.share() * 100.0,
        all.held + all.rounding,
        all.share_within_rounding() * 100.0,
        totals_ok,
        totals_all,
        verdict_totals.0,
        verdict_totals.1,
        verdict_totals.2
    );
    seeds_section(&mut md);
    print!("{md}");
    if let Some(out) = expect_to
        && let Err(e) = std::fs::write(&out, &expect)
    {
        eprintln!("{out}: {e}");
        std::process::exit(2);
    }
    if let Some(out) = write_to {
        let doc = format!(
            "# The report corpus, as read\n\nGenerated by `cargo run --release --example corpus -- --write docs/CORPUS.md` \
             from the PDFs in `../shared/corpus` (not part of the project). Per file: pages, read time, the source \
             tables that produced rows (row counts), located errors and warnings, identities that hold exactly \
             (合计 = Σ类, 类 = Σ款, 款 = Σ项, 合计 = 基本 + 项目), and the hand-read totals of `totals.tsv` read back.\n\n{md}"
        );
        if let Err(e) = std::fs::write(&out, doc) {
            eprintln!("{out}: {e}");
            std::process::exit(2);
        }
    }
}

/// The seed reports (`../shared/seeds`, report text) through the same grammar: tables read,
/// identities, time.
fn seeds_section(md: &mut String) {
    use fiscal_lens::analysis::identities;
    use fiscal_lens::ingest::report::read_report_text;
    let dir = std::path::Path::new("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let _ = writeln!(
        md,
        "\n## The seed reports (text)\n\n| file | department, year | time (ms) | tables read (rows) | errors | warnings | identities exact / within 尾数 / checked |\n|---|---|---:|---|---:|---:|---:|"
    );
    for path in files {
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap_or_default();
        let start = std::time::Instant::now();
        let r = read_report_text(&name, &bytes);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let id = identities::count(&r.tables).unwrap_or_default();
        let tables: Vec<String> = r
            .reports
            .iter()
            .filter(|t| t.rows_read > 0)
            .map(|t| format!("{} ({})", t.source_table, t.rows_read))
            .collect();
        let _ = writeln!(
            md,
            "| {name} | {} {} | {ms:.0} | {} | {} | {} | {} / {} / {} |",
            r.meta.department.as_deref().unwrap_or("—"),
            r.meta.year.map_or("—".to_owned(), |y| y.to_string()),
            tables.join(", "),
            r.errors().count(),
            r.warnings().count(),
            id.held,
            id.held + id.rounding,
            id.checked
        );
    }
}
