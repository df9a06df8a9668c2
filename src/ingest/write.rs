//! Writing a dataset in a canonical format, all or nothing.
//!
//! Everything is first written to a temporary file or folder **next to the destination** (same
//! file system) and only renamed into place once complete, so a failure never leaves a
//! half-written output. An existing destination is never overwritten (so source files can never
//! be modified): a folder output must not exist or be empty, a workbook must not exist.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::error::{Error, Location, Result};
use crate::ingest::Tables;
use polars::prelude::DataFrame;

use crate::ingest::canonical::{self, TableSpec};
use crate::ingest::detect::{csv_path, parquet_path};
use crate::ingest::{parquet, xlsx};

/// A canonical output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A folder of `<table>.csv` files (UTF-8, no BOM).
    Csv,
    /// A folder of `<table>.parquet` files.
    Parquet,
    /// One workbook with a sheet per table.
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Parquet, Format::Xlsx];

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Xlsx => "xlsx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("未知格式 `{s}`（可选 csv / parquet / xlsx）"))
    }
}

/// File name of the workbook when an XLSX output is given as a folder.
pub const WORKBOOK_NAME: &str = "dataset.xlsx";

/// One canonical table as CSV bytes: UTF-8 without BOM, canonical column order, exactly the text
/// [`crate::ingest::canonical::read_table`] accepts.
pub fn write_csv(spec: &TableSpec, df: &DataFrame) -> Result<Vec<u8>> {
    write_csv_to(spec, df, Vec::new())
}

/// Rows converted to cells at a time while writing or checking a CSV: memory for one slice of
/// cells, not for the whole table's.
const SLICE_ROWS: usize = 65_536;

/// A column of a slice being written: text read in place, other kinds as cells.
enum SliceColumn {
    Text(polars::prelude::StringChunked),
    Cells(Vec<super::cells::Cell>),
}

fn slice_columns(spec: &TableSpec, slice: &DataFrame) -> Result<Vec<SliceColumn>> {
    use crate::ingest::canonical::Kind;
    use polars::prelude::DataType;
    spec.columns
        .iter()
        .map(|col| {
            let column = super::cells::spec_column(spec, slice, col)?;
            Ok(match col.kind {
                Kind::Text | Kind::OptText | Kind::Key(_) => SliceColumn::Text(
                    column
                        .as_materialized_series()
                        .cast(&DataType::String)?
                        .str()?
                        .rechunk()
                        .into_owned(),
                ),
                _ => SliceColumn::Cells(super::cells::column_cells(col, column)?),
            })
        })
        .collect()
}

/// [`write_csv`] into `w`, one slice of rows at a time; returns `w` (flushed).
pub fn write_csv_to<W: Write>(spec: &TableSpec, df: &DataFrame, w: W) -> Result<W> {
    let mut out = csv::Writer::from_writer(w);
    let io = |e: &csv::Error| Error::Malformed {
        location: Location::file(spec.file_name()),
        message: if e.is_io_error() {
            format!("无法写入: {e}")
        } else {
            format!("无法生成 CSV: {e}")
        },
    };
    out.write_record(spec.columns.iter().map(|c| c.name))
        .map_err(|e| io(&e))?;
    let mut offset = 0;
    while offset < df.height() {
        let slice = df.slice(i64::try_from(offset).unwrap_or(i64::MAX), SLICE_ROWS);
        let columns = slice_columns(spec, &slice)?;
        for r in 0..slice.height() {
            for c in &columns {
                let text = match c {
                    SliceColumn::Text(ca) => std::borrow::Cow::Borrowed(ca.get(r).unwrap_or("")),
                    SliceColumn::Cells(cells) => cells
                        .get(r)
                        .map(super::cells::Cell::to_text)
                        .unwrap_or_default(),
                };
                out.write_field(text.as_bytes()).map_err(|e| io(&e))?;
            }
            out.write_record(std::iter::empty::<&[u8]>())
                .map_err(|e| io(&e))?;
        }
        offset += SLICE_ROWS;
    }
    out.into_inner().map_err(|e| Error::Malformed {
        location: Location::file(spec.file_name()),
        message: format!("无法写入: {}", e.error()),
    })
}

/// Read the CSV written to `path` back, one slice of rows at a time, and compare each slice with
/// the same rows of `df` (memory for one slice, not for a second copy of the table).
fn verify_csv_file(spec: &TableSpec, df: &DataFrame, path: &Path, shown: &str) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(std::io::BufReader::new(file));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| canonical::csv_error(shown, &e))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut records = reader.into_records();
    let mut offset = 0usize;
    loop {
        let mut batch = Vec::new();
        for record in records.by_ref().take(SLICE_ROWS) {
            let record = record.map_err(|e| canonical::csv_error(shown, &e))?;
            let line = record
                .position()
                .map_or(0, |p| crate::model::convert::to_usize(p.line()));
            batch.push((line, record));
        }
        let n = batch.len();
        if n == 0 && offset > 0 {
            break;
        }
        let back = canonical::read_cells(
            spec,
            &canonical::CsvLocator(shown),
            &header,
            batch.into_iter().map(Ok),
        )?;
        let want = df.slice(i64::try_from(offset).unwrap_or(i64::MAX), n);
        verify(spec, &want, &back.frame, shown)?;
        offset += n;
        if n < SLICE_ROWS {
            break;
        }
    }
    if offset == df.height() {
        Ok(())
    } else {
        Err(Error::Malformed {
            location: Location::file(shown),
            message: format!(
                "写出的 {offset} 行读回后与原数据的 {} 行不一致，未写出任何文件",
                df.height()
            ),
        })
    }
}

/// Whether a Parquet dataset's `amounts` table is written hive-partitioned (see
/// [`crate::ingest::partitioned`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Partition {
    /// Partitioned above [`crate::ingest::partitioned::PARTITION_ABOVE_ROWS`] amount rows.
    #[default]
    Auto,
    Always,
    Never,
}

/// Write `tables` to `out` in `format`; returns the path written.
///
/// * `Csv` / `Parquet`: `out` is a folder that must not exist yet (or be empty); it receives all
///   nine `<table>.csv` / `<table>.parquet` files (empty tables as header-only files).
/// * `Xlsx`: `out` is the workbook path (`….xlsx`, must not exist), or an existing folder that
///   receives [`WORKBOOK_NAME`].
pub fn write_dataset(tables: &Tables, out: &Path, format: Format) -> Result<PathBuf> {
    write_dataset_with(tables, out, format, Partition::Auto)
}

/// [`write_dataset`], with the `amounts` table of a Parquet folder partitioned or not as asked.
pub fn write_dataset_with(
    tables: &Tables,
    out: &Path,
    format: Format,
    partition: Partition,
) -> Result<PathBuf> {
    match format {
        Format::Csv | Format::Parquet => {
            let partitioned = format == Format::Parquet
                && match partition {
                    Partition::Always => true,
                    Partition::Never => false,
                    Partition::Auto => {
                        tables.amounts.height() > super::partitioned::PARTITION_ABOVE_ROWS
                    }
                };
            write_folder(tables, out, format, partitioned)
        }
        Format::Xlsx => {
            let file = if out.is_dir() {
                out.join(WORKBOOK_NAME)
            } else {
                out.to_path_buf()
            };
            let is_xlsx = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if !is_xlsx {
                return Err(Error::Malformed {
                    location: Location::file(file.display().to_string()),
                    message: "XLSX 输出须为 .xlsx 文件路径（或已存在的文件夹）".to_owned(),
                });
            }
            refuse_existing_file(&file)?;
            let bytes = xlsx::write_workbook(tables)?;
            verify_workbook(tables, &file.display().to_string(), &bytes)?;
            write_file_atomically(&file, &bytes)?;
            Ok(file)
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn exists_error(path: &Path) -> Error {
    Error::Malformed {
        location: Location::file(path.display().to_string()),
        message: "输出位置已存在且不为空；为避免覆盖已有文件，未写入任何内容".to_owned(),
    }
}

fn refuse_existing_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(exists_error(path));
    }
    Ok(())
}

fn write_folder(tables: &Tables, out: &Path, format: Format, partitioned: bool) -> Result<PathBuf> {
    let empty_dir = out.is_dir()
        && std::fs::read_dir(out)
            .map_err(|e| Error::io(out, e))?
            .next()
            .is_none();
    if out.exists() && !empty_dir {
        return Err(exists_error(out));
    }
    let parent = parent_of(out);
    let stem = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{stem}.partial-");
    // a write to this folder that was killed midway left its hidden temporary folder: remove it
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix)
                && entry.file_type().is_ok_and(|t| t.is_dir())
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)
        .map_err(|e| Error::write(&parent, e))?;
    for (spec, df) in tables.iter() {
        if partitioned && spec.name == canonical::AMOUNTS.name {
            let dir = super::partitioned::table_dir(temp.path(), spec);
            let shown = super::partitioned::table_dir(out, spec)
                .display()
                .to_string();
            super::partitioned::write_partitioned(spec, df, &dir)?;
            // read back whole, as a reader will: the same rows, department by department
            let back = super::partitioned::read_partitioned(spec, &dir, u64::MAX, None)?;
            verify_partitioned(spec, df, &back.frame, &shown)?;
            continue;
        }
        let path = match format {
            Format::Parquet => parquet_path(temp.path(), spec),
            Format::Csv | Format::Xlsx => csv_path(temp.path(), spec),
        };
        let shown = out.join(path.file_name().unwrap_or_default());
        let shown = shown.display().to_string();
        let file = std::fs::File::create(&path).map_err(|e| Error::write(&path, e))?;
        let file = if format == Format::Parquet {
            let bytes = parquet::write_parquet(spec, df)?;
            let back = parquet::read_parquet(spec, &shown, &bytes)?;
            verify(spec, df, &back.frame, &shown)?;
            let mut file = file;
            file.write_all(&bytes).map_err(|e| Error::write(&path, e))?;
            file
        } else {
            let w = write_csv_to(spec, df, std::io::BufWriter::new(file))?;
            w.into_inner()
                .map_err(|e| Error::write(&path, e.into_error()))?
        };
        file.sync_all().map_err(|e| Error::write(&path, e))?;
        drop(file);
        if format != Format::Parquet {
            verify_csv_file(spec, df, &path, &shown)?;
        }
    }
    if empty_dir {
        std::fs::remove_dir(out).map_err(|e| Error::write(out, e))?;
    }
    // `keep` hands the folder over; from here on it is either renamed or removed by us.
    let done = temp.keep();
    if let Err(e) = std::fs::rename(&done, out) {
        let _ = std::fs::remove_dir_all(&done);
        return Err(Error::write(out, e));
    }
    Ok(out.to_path_buf())
}

/// A partitioned table read back holds exactly the rows of `df`: the reader returns them
/// department by department, year by year (in folder order), each partition in its rows'
/// order, so both are compared sorted stably by department and year.
fn verify_partitioned(
    spec: &TableSpec,
    df: &DataFrame,
    back: &DataFrame,
    shown: &str,
) -> Result<()> {
    use polars::prelude::{IntoLazy, SortMultipleOptions};
    let sorted = |f: DataFrame| -> Result<DataFrame> {
        Ok(f.lazy()
            .sort(
                ["department", "year"],
                SortMultipleOptions::default()
                    .with_maintain_order(true)
                    .with_nulls_last(true),
            )
            .collect()?)
    };
    let want = sorted(canonical::conform(spec, df)?)?;
    verify(spec, &want, &sorted(back.clone())?, shown)
}

/// The bytes about to be written read back as exactly `df` (in canonical form); otherwise the
/// write is refused, naming the first column that would not survive.
fn verify(spec: &TableSpec, df: &DataFrame, back: &DataFrame, shown: &str) -> Result<()> {
    let want = canonical::conform(spec, df)?;
    if want.equals_missing(back) {
        return Ok(());
    }
    let column = want
        .columns()
        .iter()
        .zip(back.columns())
        .find(|(a, b)| {
            !a.as_materialized_series()
                .equals_missing(b.as_materialized_series())
        })
        .map_or_else(|| "?".to_owned(), |(a, _)| a.name().to_string());
    Err(Error::Malformed {
        location: Location {
            file: shown.to_owned(),
            line: None,
            column: Some(column),
        },
        message: "写出的内容读回后与原数据不一致，未写出任何文件".to_owned(),
    })
}

fn verify_workbook(tables: &Tables, shown: &str, bytes: &[u8]) -> Result<()> {
    let book = xlsx::read_workbook(shown, bytes)?;
    for (spec, df) in tables.iter() {
        let back = book
            .tables
            .iter()
            .find(|(s, _)| s.name == spec.name)
            .map(|(_, r)| r);
        match back {
            Some(Ok(read)) => verify(spec, df, &read.frame, &format!("{shown}!{}", spec.name))?,
            Some(Err(e)) => {
                return Err(Error::Malformed {
                    location: Location::file(shown),
                    message: format!("写出的工作簿无法读回（{e}），未写出"),
                });
            }
            None => {
                return Err(Error::Malformed {
                    location: Location::file(shown),
                    message: format!("写出的工作簿缺少工作表 {}，未写出", spec.name),
                });
            }
        }
    }
    Ok(())
}

fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = parent_of(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".partial-")
        .suffix(".xlsx")
        .tempfile_in(&parent)
        .map_err(|e| Error::write(&parent, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::write(temp.path(), e))?;
    temp.persist_noclobber(path)
        .map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

/// Write `bytes` to a temporary file next to `path`, then rename it over `path`: a failed write
/// leaves no partial file behind.
pub fn write_file_atomic(bytes: &[u8], path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| file_write_error(path, e))?;
    tmp.write_all(bytes)
        .map_err(|e| file_write_error(path, e))?;
    tmp.persist(path)
        .map_err(|e| file_write_error(path, e.error))?;
    Ok(())
}

/// A write failure located at `path`.
fn file_write_error(path: &Path, e: impl fmt::Display) -> Error {
    Error::Malformed {
        location: Location::file(path.display().to_string()),
        message: format!("无法写入：{e}"),
    }
}
