//! Print the rows a report was read into, for debugging the importer: one canonical table
//! (`amounts` unless `--table NAME`), as polars prints it, optionally only the rows whose
//! `source_table` equals `--source ID`.
//!
//! `cargo run --release --example dump -- X.pdf [--table revenue] [--source 预算表1]`

use fiscal_lens::ingest::report::{Hints, read_report_pdf, read_report_text_with};
use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let path = args
        .get(1)
        .ok_or("usage: dump FILE [--table T] [--source ID]")?;
    let bytes = std::fs::read(path)?;
    let file = std::path::Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_pdf = std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let import = if is_pdf {
        read_report_pdf(&file, &bytes, &Hints::default())
    } else {
        read_report_text_with(&file, &bytes, &Hints::default())
    };
    let t = &import.tables;
    let df = match opt("--table").as_deref().unwrap_or("amounts") {
        "revenue" => t.revenue.clone(),
        "totals" => t.totals.clone(),
        "sangong" => t.sangong.clone(),
        "projects" => t.projects.clone(),
        _ => t.amounts.clone(),
    };
    let df = match opt("--source") {
        Some(id) => df
            .lazy()
            .filter(col("source_table").eq(lit(id)))
            .collect()?,
        None => df,
    };
    let keep: Vec<&str> = [
        "unit",
        "stage",
        "measure",
        "fund",
        "classification",
        "code",
        "name",
        "source",
        "source_key",
        "category",
        "level",
        "nature",
        "kind",
        "amount",
        "source_table",
        "source_doc",
        "source_line",
        "flags",
    ]
    .into_iter()
    .filter(|c| df.column(c).is_ok())
    .collect();
    let df = df.select(keep)?;
    for i in 0..df.height() {
        let row: Vec<String> = df
            .columns()
            .iter()
            .map(|c| {
                c.get(i)
                    .map(|v| v.to_string().trim_matches('"').to_owned())
                    .unwrap_or_default()
            })
            .collect();
        println!("{}", row.join("\t"));
    }
    Ok(())
}
