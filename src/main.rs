//! `fiscal-lens`: with no arguments opens the dashboard on the built-in data; subcommands work
//! headless for batch use and tests.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fiscal_lens::Dataset;
use fiscal_lens::analysis::{checks, summary};
use fiscal_lens::ingest::write::{Partition, write_dataset_with};
use fiscal_lens::ingest::{Format, ImportOptions};
use fiscal_lens::model::{MoneyUnit, format_money};

/// `println!` that ends the program quietly when the reader of standard output has gone (`| head`)
/// instead of panicking (see [`reader_gone`]), and with a message on any other failure to write.
macro_rules! say {
    ($($t:tt)*) => {
        say_line(format_args!($($t)*))
    };
}

fn say_line(line: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            reader_gone();
        }
        eprintln!("错误：无法写出到标准输出：{e}");
        std::process::exit(2);
    }
}

/// The reader of standard output has gone: end quietly with the status of a program ended by
/// SIGPIPE (128 + 13), as `cat` or `yes` end under `| head`, so a script still sees that the
/// output was cut (and `check` never reports "no errors" for a report it did not finish).
fn reader_gone() -> ! {
    std::process::exit(141)
}

#[derive(Parser)]
#[command(
    name = "fiscal-lens",
    version,
    about = "部门财务透视：部门预算、决算与绩效自评数据分析"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// 启动图形界面并导入这些文件（报告文本、Excel、CSV、Parquet 或数据集文件夹）
    files: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// 汇总数据集：功能分类支出、三公经费、收入来源、各单位项目执行
    Summary {
        /// 数据集：规范 CSV/Parquet 文件夹、规范 .xlsx 工作簿或单个规范表文件；省略时使用内置数据集
        path: Option<PathBuf>,
        /// 输出一个 JSON 对象（金额为万元的精确十进制字符串）
        #[arg(long)]
        json: bool,
        /// 只汇总这个部门（分区 Parquet 数据集只读取该部门的文件）
        #[arg(long)]
        department: Option<String>,
    },
    /// 审计检查：核对各表的勾稽关系（退出码：0 无错误，1 有错误，2 无法运行）
    Check {
        /// 数据集：规范 CSV/Parquet 文件夹、规范 .xlsx 工作簿或单个规范表文件；省略时使用内置数据集
        path: Option<PathBuf>,
        /// 输出 JSON：{"findings": [{rule, severity, tables, location, expected, actual, difference, message}]}
        #[arg(long)]
        json: bool,
        /// 只检查这个部门（分区 Parquet 数据集只读取该部门的文件）
        #[arg(long)]
        department: Option<String>,
    },
    /// 导入数据：读取并合并若干输入，校验后写出为规范格式（有任何错误则不写出，退出码 2；--keep-going 时跳过有错误的输入，退出码 1）
    Import {
        /// 输入：PDF 报告、报告文本、Excel 报表、规范 CSV/Parquet 文件夹、规范 .xlsx 工作簿、单个规范 CSV/Parquet 文件（多个输入并行读取）
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输出：csv/parquet 为新文件夹（不存在或为空）；xlsx 为 .xlsx 文件路径或已有文件夹
        #[arg(long)]
        out: PathBuf,
        /// 输出格式；省略时 --out 以 .xlsx 结尾则为 xlsx，否则为 csv
        #[arg(long, value_enum)]
        format: Option<OutFormat>,
        /// 有错误的输入跳过（并报告），其余照常导入；默认任何输入有错误则全部不写出
        #[arg(long)]
        keep_going: bool,
        /// 报告中未印部门名称时使用的部门（会覆盖报告所印）
        #[arg(long)]
        department: Option<String>,
        /// 报告中未印年度时使用的年度（会覆盖报告所印）
        #[arg(long)]
        year: Option<i32>,
        /// 报告的阶段（会覆盖报告标题所示）：budget 年初预算，final 决算
        #[arg(long, value_enum)]
        stage: Option<StageArg>,
        /// 每个输入文件的大小上限（MB，默认 2048）；超过的文件不读取并报告
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
        max_file_mb: Option<u64>,
        /// 每个 PDF 的读取时间上限（秒，默认 120）；超时的文件不导入并报告
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        max_seconds_per_file: Option<u64>,
        /// parquet 格式时 amounts 表是否按 部门=/年度= 分区写出（auto：超过 50 万行时分区）
        #[arg(long, value_enum, default_value = "auto")]
        partition: PartitionArg,
    },
    /// 显示 PDF 报告被读成的页面模型：每页的文字行与表格行（制表符分隔的单元格），行首为“页:行”
    Pages {
        /// PDF 文件
        file: PathBuf,
        /// 只显示这一页（从 1 起）
        #[arg(long)]
        page: Option<usize>,
    },
}

/// The stage of a report given on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum StageArg {
    /// 年初预算
    Budget,
    /// 决算
    Final,
}

/// Whether a Parquet dataset's amounts are partitioned (`import --partition`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum PartitionArg {
    /// 超过 50 万行金额时分区
    Auto,
    /// 总是分区
    Always,
    /// 不分区（单个 amounts.parquet）
    Never,
}

impl From<PartitionArg> for Partition {
    fn from(p: PartitionArg) -> Self {
        match p {
            PartitionArg::Auto => Partition::Auto,
            PartitionArg::Always => Partition::Always,
            PartitionArg::Never => Partition::Never,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutFormat {
    Csv,
    Parquet,
    Xlsx,
}

impl From<OutFormat> for Format {
    fn from(f: OutFormat) -> Self {
        match f {
            OutFormat::Csv => Format::Csv,
            OutFormat::Parquet => Format::Parquet,
            OutFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// The dataset at `path` (the built-in one when absent), only `department` when given.
fn load(path: Option<&PathBuf>, department: Option<&String>) -> Result<Dataset, String> {
    let ds = match (path, department) {
        (None, None) => Dataset::builtin().map_err(|e| format!("内置数据集加载失败：{e}")),
        (None, Some(d)) => Dataset::builtin()
            .and_then(|ds| ds.department(d))
            .map_err(|e| format!("内置数据集加载失败：{e}")),
        (Some(p), department) => {
            let options = ImportOptions {
                department: department.cloned(),
                ..ImportOptions::default()
            };
            Dataset::from_path_with(p, &options).map_err(|e| e.to_string())
        }
    };
    fiscal_lens::diag::log_memory("loaded");
    let ds = ds?;
    log::debug!(
        "loaded tables: {} rows ({} chunks of amounts), {} kB held in memory ({} kB by polars' estimate)",
        ds.tables.row_count(),
        ds.tables.amounts.first_col_n_chunks(),
        ds.tables.held_bytes() / 1024,
        ds.tables.estimated_size() / 1024
    );
    if let Some(d) = department
        && ds.tables.row_count() == 0
    {
        return Err(format!("数据集中没有部门“{d}”的数据"));
    }
    Ok(ds)
}

fn run_summary(
    path: Option<&PathBuf>,
    json: bool,
    department: Option<&String>,
) -> Result<(), String> {
    let ds = load(path, department)?;
    let started = std::time::Instant::now();
    if json {
        // streamed: the text of a city's summary is ~100 MB, never held whole
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
        // a reader that stopped reading (`| head`): see `reader_gone`
        let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
        match summary::write_json(&ds, &mut out) {
            Err(fiscal_lens::error::Error::Write { source, .. }) if gone(&source) => reader_gone(),
            written => written.map_err(|e| e.to_string())?,
        }
        match writeln!(out).and_then(|()| out.flush()) {
            Err(e) if gone(&e) => reader_gone(),
            written => written.map_err(|e| e.to_string())?,
        }
        log::debug!(
            "summary: computed and written in {:.3} s",
            started.elapsed().as_secs_f64()
        );
        fiscal_lens::diag::log_memory("summary");
        return Ok(());
    }
    let s = summary::summary(&ds).map_err(|e| e.to_string())?;
    say!("数据集：{}", s.dataset);
    say!(
        "功能分类支出行 {} 条，三公经费 {} 条，收入来源 {} 条，单位项目汇总 {} 条",
        s.functional.len(),
        s.sangong.len(),
        s.revenue.len(),
        s.branches.len()
    );
    if ds.doubtful_tables > 0 {
        say!(
            "存疑表 {} 张：其数字在 --json 输出中标 \"doubtful\": true，不成立之处见 check",
            ds.doubtful_tables
        );
    }
    say!("\n各单位项目执行：");
    for b in &s.branches {
        let money = |t: &str| {
            t.parse::<rust_decimal::Decimal>()
                .map_or_else(|_| t.to_owned(), |d| format_money(d, MoneyUnit::Wan))
        };
        say!(
            "  {} {} {:<8} 项目 {:>3} 个  全年预算 {:>16}  执行 {:>16}  执行率 {}  平均得分 {}",
            b.department,
            b.year,
            b.unit,
            b.projects,
            money(&b.budget),
            money(&b.actual),
            b.execution_rate.as_deref().unwrap_or("—"),
            b.mean_score.as_deref().unwrap_or("—"),
        );
        if b.doubtful_projects > 0 {
            say!("    其中 {} 个项目所在表存疑", b.doubtful_projects);
        }
    }
    Ok(())
}

/// Returns whether errors were found.
fn run_check(
    path: Option<&PathBuf>,
    json: bool,
    department: Option<&String>,
) -> Result<bool, String> {
    let ds = load(path, department)?;
    let findings = checks::check(&ds).map_err(|e| e.to_string())?;
    fiscal_lens::diag::log_memory("check");
    let errors = findings
        .iter()
        .any(|f| f.severity == checks::Severity::Error);
    if json {
        let text = serde_json::to_string_pretty(&checks::Report::new(&findings))
            .map_err(|e| e.to_string())?;
        say!("{text}");
        return Ok(errors);
    }
    let counts = checks::counts(&findings);
    say!(
        "数据集：{}\n检查结果：错误 {} 条，警告 {} 条，尾数/提示 {} 条",
        ds.name,
        counts.get(&checks::Severity::Error).unwrap_or(&0),
        counts.get(&checks::Severity::Warning).unwrap_or(&0),
        counts.get(&checks::Severity::Note).unwrap_or(&0),
    );
    for f in &findings {
        let culprit = f
            .culprit
            .map_or(String::new(), |c| format!("·{}", c.label()));
        say!(
            "[{}{culprit}] {} {} {}年 — {}\n    {}",
            f.severity.label(),
            f.rule.id(),
            f.department,
            f.year,
            f.message,
            f.location
        );
    }
    Ok(errors)
}

/// Per-input progress on standard error: a bar on a terminal, one line per input otherwise.
fn progress_reporter(total: usize) -> (indicatif::ProgressBar, bool) {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let bar = if tty && total > 1 {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} 个文件 {elapsed} {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    (bar, tty && total > 1)
}

/// Returns whether some inputs were skipped (`--keep-going`).
fn run_import(
    inputs: &[PathBuf],
    out: &Path,
    (format, partition): (Option<OutFormat>, Partition),
    options: &fiscal_lens::ingest::ImportOptions,
) -> Result<bool, String> {
    let xlsx_name = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let format = format.map_or_else(
        || if xlsx_name { Format::Xlsx } else { Format::Csv },
        Format::from,
    );
    if xlsx_name && format != Format::Xlsx {
        // a folder named like a workbook would only confuse whoever opens it
        return Err(format!(
            "{}: --format {} 写出的是文件夹，但 --out 以 .xlsx 结尾；请用 --format xlsx，或换一个文件夹名",
            out.display(),
            if format == Format::Parquet {
                "parquet"
            } else {
                "csv"
            }
        ));
    }
    let (bar, shown) = progress_reporter(inputs.len());
    let line = |input: &fiscal_lens::ingest::import::InputReport| {
        let status = if input.has_errors() {
            "有错误"
        } else {
            "完成"
        };
        let text = format!(
            "{status} {}：{} 行，{:.2} 秒",
            input.input.display(),
            input.rows(),
            input.elapsed.as_secs_f64()
        );
        if shown {
            bar.println(text);
            bar.inc(1);
        } else if inputs.len() > 1 {
            eprintln!("{text}");
        }
    };
    let (dataset, report) = Dataset::import_with(inputs, options, &line);
    bar.finish_and_clear();
    print!("{}", report.render());
    let Some(dataset) = dataset else {
        return Err(format!(
            "导入失败（{} 个错误），未写出任何文件",
            report.errors().count()
        ));
    };
    let written =
        write_dataset_with(&dataset.tables, out, format, partition).map_err(|e| e.to_string())?;
    say!(
        "已写出 {} 行（{} 格式）到 {}",
        dataset.tables.row_count(),
        format,
        written.display()
    );
    let skipped = report.inputs.iter().filter(|i| i.skipped).count();
    if skipped > 0 {
        say!("{skipped} 个输入有错误，已跳过（见上文）");
    }
    Ok(skipped > 0)
}

fn run_pages(file: &Path, only: Option<usize>) -> Result<(), String> {
    use fiscal_lens::ingest::page::Line;
    let shown = file.display().to_string();
    let bytes = fiscal_lens::ingest::input::read_file(
        file,
        fiscal_lens::ingest::input::DEFAULT_MAX_FILE_BYTES,
    )
    .map_err(|e| e.to_string())?;
    let pages = fiscal_lens::ingest::pdf::read_pdf(
        &shown,
        &bytes,
        fiscal_lens::ingest::pdf::Limits::default(),
    )
    .map_err(|e| e.to_string())?;
    for p in &pages.problems {
        eprintln!("{shown}#page={}: {}", p.page, p.message);
    }
    for page in &pages.document.pages {
        if only.is_some_and(|n| n != page.number) {
            continue;
        }
        if !page.has_text {
            say!("{}:— 此页没有文字层", page.number);
        }
        let single = fiscal_lens::ingest::page::Document {
            pages: vec![page.clone()],
        };
        let rendered = single.render();
        for (k, (text, line)) in rendered.text.split('\n').zip(&page.lines).enumerate() {
            let mark = match line {
                Line::Row { table, .. } => format!("表{}", table + 1),
                Line::Text { .. } => "文".to_owned(),
            };
            say!("{}:{}\t{mark}\t{text}", page.number, k + 1);
        }
    }
    Ok(())
}

fn run_gui(files: Vec<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("部门财务透视 Fiscal Lens")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([960.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        fiscal_lens::app::APP_ID,
        options,
        Box::new(move |cc| {
            let mut app = fiscal_lens::app::App::new(cc);
            if !files.is_empty() {
                app.open_on_start(&cc.egui_ctx, files);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("无法启动图形界面：{e}"))
}

/// glibc's allocator set for polars' large, short-lived column buffers: one arena per core
/// (glibc's default, up to eight per core, kept more memory aside), and blocks up to 256 MiB
/// taken from the heap and left there when freed, not mapped and unmapped each time (each new
/// mapping is cleared page by page by the kernel). Measured on 2 cores against glibc's defaults
/// and against mimalloc in docs/BENCHMARKS.md (sixth measurement). Other platforms keep their
/// allocator's defaults.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    const MIB: libc::c_int = 1 << 20;
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
    for (name, param, value) in [
        ("M_ARENA_MAX", libc::M_ARENA_MAX, arenas),
        ("M_MMAP_THRESHOLD", libc::M_MMAP_THRESHOLD, 256 * MIB),
        ("M_TRIM_THRESHOLD", libc::M_TRIM_THRESHOLD, 256 * MIB),
    ] {
        // SAFETY: mallopt only sets a parameter of glibc's allocator (under its own lock); it
        // is called at the start of `main`, before this program starts any thread
        let set = unsafe { libc::mallopt(param, value) };
        if set == 1 {
            log::debug!("allocator: {name} = {value}");
        } else {
            log::debug!("allocator: mallopt({name}, {value}) refused");
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    fiscal_lens::app::clock::mark_start();
    env_logger::init();
    tune_allocator();
    // a panic inside a third-party parser on bad input is that input's located error
    fiscal_lens::ingest::contain::install_quiet_hook();
    let cli = Cli::parse();
    let result = match &cli.command {
        None => run_gui(cli.files.clone()),
        Some(Cmd::Summary {
            path,
            json,
            department,
        }) => run_summary(path.as_ref(), *json, department.as_ref()),
        Some(Cmd::Check {
            path,
            json,
            department,
        }) => match run_check(path.as_ref(), *json, department.as_ref()) {
            Ok(true) => return ExitCode::from(1),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        },
        Some(Cmd::Import {
            inputs,
            out,
            format,
            keep_going,
            department,
            year,
            stage,
            max_file_mb,
            max_seconds_per_file,
            partition,
        }) => match run_import(
            inputs,
            out,
            (*format, (*partition).into()),
            &fiscal_lens::ingest::ImportOptions {
                keep_going: *keep_going,
                hints: fiscal_lens::ingest::report::Hints {
                    department: department.clone(),
                    year: *year,
                    stage: stage.map(|s| match s {
                        StageArg::Budget => fiscal_lens::model::Stage::BudgetInitial,
                        StageArg::Final => fiscal_lens::model::Stage::Final,
                    }),
                    ..Default::default()
                },
                max_file_bytes: max_file_mb.map(|mb| mb << 20),
                max_seconds_per_file: *max_seconds_per_file,
                ..Default::default()
            },
        ) {
            Ok(true) => return ExitCode::from(1),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        },
        Some(Cmd::Pages { file, page }) => run_pages(file, *page),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}
