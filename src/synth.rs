//! A synthetic city: departments × years of consistent canonical data, for benchmarks
//! (`examples/synth.rs`, `docs/BENCHMARKS.md`) and tests.
//!
//! Per department and year, a 决算 with
//! - `amounts`: the 支出决算表 (公开03, 全部资金) and the 一般公共预算 table (公开05): 合计, 8 功能 类,
//!   4 款 each, 3 项 each, every row in 合计/基本/项目 columns — 合计 = Σ类 = Σ款 = Σ项 and
//!   合计 = 基本 + 项目 hold exactly; and the 基本支出 economic classification (公开06): 4 类 × 4 款;
//! - `totals`: 支出合计, 基本, 项目, 人员经费 (301 + 303), 公用经费 (302) of both funds;
//! - `revenue`: 收入合计 = 一般公共预算财政拨款 + 其他收入 (= the 支出合计);
//! - `sangong`: budget and final, total = Σ categories;
//! - `projects`: 20 projects with budget, executed and score;
//! - `tables`: the manifest of the tables above.
//!
//! That is about 900 amount rows per department-year (120 × 10 ≈ 1.07 million). Amounts are
//! integers of 分 drawn from a seeded generator, so the same arguments give the same files.

use std::io::Write;
use std::path::Path;

type Res<T> = std::io::Result<T>;

const FUNCTIONAL: [(&str, &str); 8] = [
    ("201", "一般公共服务支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("212", "城乡社区支出"),
    ("221", "住房保障支出"),
];

const ECONOMIC: [(&str, &str); 4] = [
    ("301", "工资福利支出"),
    ("302", "商品和服务支出"),
    ("303", "对个人和家庭的补助"),
    ("310", "资本性支出"),
];

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An amount in 分 between `lo` and `hi` 万元.
    fn fen(&mut self, lo: u64, hi: u64) -> u64 {
        let span = (hi - lo) * 1_000_000;
        lo * 1_000_000 + self.next() % span.max(1)
    }
}

/// 分 as 万元 text with two decimals (1 万元 = 1,000,000 分; amounts are whole 0.01 万元).
fn wan(fen: u64) -> String {
    let hundredths = fen / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

struct Out {
    amounts: std::io::BufWriter<std::fs::File>,
    totals: std::io::BufWriter<std::fs::File>,
    revenue: std::io::BufWriter<std::fs::File>,
    sangong: std::io::BufWriter<std::fs::File>,
    projects: std::io::BufWriter<std::fs::File>,
    tables: std::io::BufWriter<std::fs::File>,
    rows: usize,
}

fn file(dir: &Path, name: &str, header: &str) -> Res<std::io::BufWriter<std::fs::File>> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
    writeln!(w, "{header}")?;
    Ok(w)
}

/// One department-year, amounts rounded to 0.01 万元 first so every sum is exact.
#[allow(clippy::too_many_lines)] // one table after the other, in file order
fn department_year(out: &mut Out, rng: &mut Rng, dept: &str, year: i32) -> Res<()> {
    let doc = format!("{dept}_{year}.pdf");
    let head = format!("{dept},全部门,全部门,{year},final");
    let mut line = 0;
    let mut amount_row = |out: &mut Out,
                          fund: &str,
                          class: &str,
                          code: &str,
                          name: &str,
                          level: &str,
                          table: &str,
                          values: [(&str, u64); 3]|
     -> Res<()> {
        line += 1;
        for (nature, v) in values {
            if class == "economic" && nature != "basic" {
                continue;
            }
            writeln!(
                out.amounts,
                "{head},expenditure,{fund},{class},{code},{name},{level},{nature},{},万元,{doc},{table},{line},{name},,",
                wan(v)
            )?;
            out.rows += 1;
        }
        Ok(())
    };
    // 项 amounts (basic, project) in 分, rounded to whole 0.01 万元
    let round = |f: u64| f / 10_000 * 10_000;
    let mut grand = (0u64, 0u64);
    let mut general = (0u64, 0u64);
    let mut lines = Vec::new();
    for (lei, lei_name) in FUNCTIONAL {
        let mut lei_sum = (0u64, 0u64);
        let mut kuan_lines = Vec::new();
        for k in 1..=4u32 {
            let kuan = format!("{lei}{k:02}");
            let mut kuan_sum = (0u64, 0u64);
            let mut xiang_lines = Vec::new();
            for x in 1..=3u32 {
                let xiang = format!("{kuan}{x:02}");
                let basic = round(rng.fen(0, 400));
                let project = round(rng.fen(0, 900));
                kuan_sum = (kuan_sum.0 + basic, kuan_sum.1 + project);
                xiang_lines.push((xiang, format!("{lei_name}项{k}{x}"), (basic, project)));
            }
            lei_sum = (lei_sum.0 + kuan_sum.0, lei_sum.1 + kuan_sum.1);
            kuan_lines.push((kuan, format!("{lei_name}款{k}"), kuan_sum, xiang_lines));
        }
        grand = (grand.0 + lei_sum.0, grand.1 + lei_sum.1);
        // the 一般公共预算 part: every class but 212 (a 政府性基金 class)
        if lei != "212" {
            general = (general.0 + lei_sum.0, general.1 + lei_sum.1);
        }
        lines.push((lei, lei_name, lei_sum, kuan_lines));
    }
    for (fund, table) in [("all", "公开03"), ("general_budget", "公开05")] {
        let total = if fund == "all" { grand } else { general };
        amount_row(
            out,
            fund,
            "functional",
            "",
            "合计",
            "total",
            table,
            [
                ("total", total.0 + total.1),
                ("basic", total.0),
                ("project", total.1),
            ],
        )?;
        for (lei, lei_name, s, kuans) in &lines {
            if fund == "general_budget" && *lei == "212" {
                continue;
            }
            amount_row(
                out,
                fund,
                "functional",
                lei,
                lei_name,
                "lei",
                table,
                [("total", s.0 + s.1), ("basic", s.0), ("project", s.1)],
            )?;
            for (kuan, name, s, xiangs) in kuans {
                amount_row(
                    out,
                    fund,
                    "functional",
                    kuan,
                    name,
                    "kuan",
                    table,
                    [("total", s.0 + s.1), ("basic", s.0), ("project", s.1)],
                )?;
                for (xiang, name, s) in xiangs {
                    amount_row(
                        out,
                        fund,
                        "functional",
                        xiang,
                        name,
                        "xiang",
                        table,
                        [("total", s.0 + s.1), ("basic", s.0), ("project", s.1)],
                    )?;
                }
            }
        }
    }
    // 公开06: the 一般公共预算 基本支出 by economic class, split from its total
    let mut left = general.0;
    let mut econ = Vec::new();
    for (i, (lei, name)) in ECONOMIC.iter().enumerate() {
        let share = if i + 1 == ECONOMIC.len() {
            left
        } else {
            round(left / 3)
        };
        left -= share;
        let mut kuans = Vec::new();
        let mut rest = share;
        for k in 1..=4u32 {
            let v = if k == 4 { rest } else { round(rest / 4) };
            rest -= v;
            kuans.push((format!("{lei}{k:02}"), format!("{name}款{k}"), v));
        }
        econ.push((*lei, *name, share, kuans));
    }
    amount_row(
        out,
        "general_budget",
        "economic",
        "",
        "合计",
        "total",
        "公开06",
        [("total", 0), ("basic", general.0), ("project", 0)],
    )?;
    for (lei, name, v, kuans) in &econ {
        amount_row(
            out,
            "general_budget",
            "economic",
            lei,
            name,
            "lei",
            "公开06",
            [("total", 0), ("basic", *v), ("project", 0)],
        )?;
        for (kuan, name, v) in kuans {
            amount_row(
                out,
                "general_budget",
                "economic",
                kuan,
                name,
                "kuan",
                "公开06",
                [("total", 0), ("basic", *v), ("project", 0)],
            )?;
        }
    }
    // totals: 人员经费 = 301 + 303, 公用经费 = 302 + 310 of the 一般公共预算 基本支出
    let econ_of = |code: &str| econ.iter().find(|e| e.0 == code).map_or(0, |e| e.2);
    let personnel = econ_of("301") + econ_of("303");
    let public = econ_of("302") + econ_of("310");
    for (fund, item, label, v) in [
        ("all", "expenditure_total", "支出合计", grand.0 + grand.1),
        ("all", "basic", "基本支出", grand.0),
        ("all", "project", "项目支出", grand.1),
        ("general_budget", "personnel", "人员经费合计", personnel),
        ("general_budget", "public", "公用经费合计", public),
    ] {
        writeln!(
            out.totals,
            "{head},{fund},{item},{label},{},万元,{doc},公开06,900,{label},,",
            wan(v)
        )?;
    }
    // revenue: 收入合计 = 一般公共预算财政拨款 + 其他收入 = 支出合计
    let total = grand.0 + grand.1;
    let gb = general.0 + general.1;
    for (source, key, v) in [
        ("收入合计", "revenue_total", total),
        ("一般公共预算财政拨款收入", "general_budget", gb),
        ("其他收入", "other", total - gb),
    ] {
        writeln!(
            out.revenue,
            "{head},{source},{key},false,{},万元,{doc},公开01,10,{source},,",
            wan(v)
        )?;
    }
    // 三公: budget and final, total = Σ categories
    for stage in ["budget_adjusted", "final"] {
        let parts = [
            ("abroad", round(rng.fen(0, 20))),
            ("vehicle_purchase", round(rng.fen(0, 30))),
            ("vehicle_operation", round(rng.fen(0, 60))),
            ("reception", round(rng.fen(0, 10))),
        ];
        let vehicle = parts[1].1 + parts[2].1;
        let sum: u64 = parts.iter().map(|p| p.1).sum();
        let sangong_head = format!("{dept},全部门,全部门,{year},{stage}");
        for (cat, v) in parts
            .iter()
            .copied()
            .chain([("vehicle", vehicle), ("total", sum)])
        {
            writeln!(
                out.sangong,
                "{sangong_head},{cat},{},万元,{doc},公开07,20,{cat},,",
                wan(v)
            )?;
        }
    }
    // projects
    for p in 1..=20u32 {
        let budget = round(rng.fen(10, 500));
        let executed = budget / 10_000 * (60 + rng.next() % 41) / 100 * 10_000;
        let score = 60 + rng.next() % 41;
        writeln!(
            out.projects,
            "{dept},本级,全部门,{year},{dept}{year}#{p},{p},项目{p},ok,,{},{},,{score},无,,万元,{doc},项目自评表,{p},（{p}）,,",
            wan(budget),
            wan(executed)
        )?;
    }
    // the manifest: the nine 决算 tables are present (the four not generated print no amounts)
    for (table, title, note) in [
        ("公开01", "收入支出决算总表", ""),
        ("公开02", "收入决算表", "synthetic: not generated"),
        ("公开03", "支出决算表", ""),
        (
            "公开04",
            "财政拨款收入支出决算总表",
            "synthetic: not generated",
        ),
        ("公开05", "一般公共预算财政拨款支出决算表", ""),
        ("公开06", "一般公共预算财政拨款基本支出决算表", ""),
        ("公开07", "一般公共预算财政拨款“三公”经费支出决算表", ""),
        (
            "公开08",
            "政府性基金预算财政拨款收入支出决算表",
            "synthetic: not generated",
        ),
        (
            "公开09",
            "国有资本经营预算财政拨款支出决算表",
            "synthetic: not generated",
        ),
    ] {
        writeln!(
            out.tables,
            "{head},{table},{title},万元,true,{note},{doc},1"
        )?;
    }
    Ok(())
}

/// The canonical header line of a table (from the built-in sample files).
fn header(name: &str) -> &'static str {
    let text = match name {
        "amounts" => include_str!("../sample-data/amounts.csv"),
        "totals" => include_str!("../sample-data/totals.csv"),
        "revenue" => include_str!("../sample-data/revenue.csv"),
        "sangong" => include_str!("../sample-data/sangong.csv"),
        "projects" => include_str!("../sample-data/projects.csv"),
        _ => include_str!("../sample-data/tables.csv"),
    };
    text.lines().next().unwrap_or_default()
}

/// Write `departments` × `years` department-years (from 2015) into `dir` as canonical CSV;
/// returns the number of amount rows. The same arguments give the same files.
pub fn write_city(dir: &Path, departments: usize, years: i32, seed: u64) -> Res<usize> {
    std::fs::create_dir_all(dir)?;
    let mut out = Out {
        amounts: file(dir, "amounts.csv", header("amounts"))?,
        totals: file(dir, "totals.csv", header("totals"))?,
        revenue: file(dir, "revenue.csv", header("revenue"))?,
        sangong: file(dir, "sangong.csv", header("sangong"))?,
        projects: file(dir, "projects.csv", header("projects"))?,
        tables: file(dir, "tables.csv", header("tables"))?,
        rows: 0,
    };
    let mut rng = Rng(seed);
    for d in 0..departments {
        let dept = format!("合成市第{:03}局", d + 1);
        for y in 0..years {
            department_year(&mut out, &mut rng, &dept, 2015 + y)?;
        }
    }
    for w in [
        &mut out.amounts,
        &mut out.totals,
        &mut out.revenue,
        &mut out.sangong,
        &mut out.projects,
        &mut out.tables,
    ] {
        w.flush()?;
    }
    Ok(out.rows)
}
