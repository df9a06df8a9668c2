//! What kind of input a path is: by folder content, file extension and content sniffing.
//!
//! Every reader is chosen here, so a new reader (report text, Excel report) is plugged in by
//! adding its kind and its arm in [`crate::ingest::import`].

use std::fmt;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::ingest::canonical::{self, ALL_TABLES, TableSpec};
use crate::ingest::encoding::decode_text;
use crate::ingest::{parquet, xlsx};

/// The kinds of input Fiscal Lens knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A folder of canonical CSV files (`amounts.csv`, `revenue.csv`, …; missing = no rows).
    CanonicalCsvDir,
    /// A folder of canonical Parquet files (`amounts.parquet`, …).
    CanonicalParquetDir,
    /// One canonical CSV file holding the table named `table`.
    CanonicalCsv { table: &'static str },
    /// One canonical Parquet file holding the table named `table`.
    CanonicalParquet { table: &'static str },
    /// A canonical workbook: worksheets named after the canonical tables.
    CanonicalXlsx,
    /// Plain text of a published report (`.txt`, `.md`), for the report-text reader.
    ReportText,
    /// An Excel workbook that is not a canonical workbook (a published report's tables).
    ReportXlsx,
    /// A PDF report (its text must be extracted first).
    ReportPdf,
}

impl InputKind {
    /// Whether the kind holds canonical tables (as opposed to a published report).
    pub fn is_canonical(self) -> bool {
        !matches!(
            self,
            InputKind::ReportText | InputKind::ReportXlsx | InputKind::ReportPdf
        )
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputKind::CanonicalCsvDir => write!(f, "规范 CSV 文件夹"),
            InputKind::CanonicalParquetDir => write!(f, "规范 Parquet 文件夹"),
            InputKind::CanonicalCsv { table } => write!(f, "规范 CSV 文件（{table} 表）"),
            InputKind::CanonicalParquet { table } => {
                write!(f, "规范 Parquet 文件（{table} 表）")
            }
            InputKind::CanonicalXlsx => write!(f, "规范 Excel 工作簿"),
            InputKind::ReportText => write!(f, "报告文本"),
            InputKind::ReportXlsx => write!(f, "Excel 报表"),
            InputKind::ReportPdf => write!(f, "PDF 报告"),
        }
    }
}

/// The canonical files of `spec` in a folder.
pub fn csv_path(dir: &Path, spec: &TableSpec) -> std::path::PathBuf {
    dir.join(spec.file_name())
}

/// `dir/<table>.parquet`.
pub fn parquet_path(dir: &Path, spec: &TableSpec) -> std::path::PathBuf {
    dir.join(format!("{}.parquet", spec.name))
}

/// The kind of the input at `path` (a folder or a file).
pub fn detect(path: &Path) -> Result<InputKind> {
    detect_within(path, crate::ingest::input::DEFAULT_MAX_FILE_BYTES)
}

/// [`detect`], reading a file only if it is a regular file of at most `max_bytes`.
pub fn detect_within(path: &Path, max_bytes: u64) -> Result<InputKind> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return detect_dir(path);
    }
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "文件或文件夹不存在"),
        ));
    }
    let bytes = crate::ingest::input::read_file(path, max_bytes)?;
    detect_file(&shown, &bytes)
}

fn detect_dir(dir: &Path) -> Result<InputKind> {
    let csv = ALL_TABLES.iter().any(|s| csv_path(dir, s).is_file());
    let parquet = ALL_TABLES.iter().any(|s| {
        parquet_path(dir, s).is_file() || crate::ingest::partitioned::is_partitioned(dir, s)
    });
    match (csv, parquet) {
        (true, false) => Ok(InputKind::CanonicalCsvDir),
        (false, true) => Ok(InputKind::CanonicalParquetDir),
        (true, true) => Err(Error::Malformed {
            location: Location::file(dir.display().to_string()),
            message: "文件夹中同时有规范 CSV 与 Parquet 文件，无法确定以哪一份为准；请分开存放"
                .to_owned(),
        }),
        (false, false) => Err(Error::Malformed {
            location: Location::file(dir.display().to_string()),
            message: format!(
                "文件夹中没有规范数据表（期望 {} 等文件，或同名 .parquet 文件）",
                ALL_TABLES
                    .iter()
                    .map(TableSpec::file_name)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        }),
    }
}

/// The kind of a file given its name (for the extension and stem) and content.
pub fn detect_file(file: &str, bytes: &[u8]) -> Result<InputKind> {
    let path = Path::new(file);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_owned())
        .unwrap_or_default();
    let by_stem = canonical::spec_by_name(&stem);

    if bytes.starts_with(b"PAR1") || ext == "parquet" {
        let spec = if let Some(spec) = by_stem {
            spec
        } else {
            let columns = parquet::column_names(file, bytes)?;
            canonical::spec_by_header(&columns).ok_or_else(|| unknown_table(file, &columns))?
        };
        return Ok(InputKind::CanonicalParquet { table: spec.name });
    }
    if bytes.starts_with(b"%PDF") || ext == "pdf" {
        return Ok(InputKind::ReportPdf);
    }
    let zip_or_ole = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    if zip_or_ole || matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        let sheets = xlsx::sheet_names(file, bytes)?;
        return Ok(
            if sheets
                .iter()
                .any(|s| canonical::spec_by_name(s.trim()).is_some())
            {
                InputKind::CanonicalXlsx
            } else {
                InputKind::ReportXlsx
            },
        );
    }
    // Text: a canonical CSV is known by its stem or its header line; any other text is a report.
    let header = canonical::csv_header(file, bytes).unwrap_or_default();
    let by_header = canonical::spec_by_header(&header);
    if ext == "csv" {
        let spec = by_stem
            .or(by_header)
            .ok_or_else(|| unknown_table(file, &header))?;
        return Ok(InputKind::CanonicalCsv { table: spec.name });
    }
    if let Some(spec) = by_header {
        return Ok(InputKind::CanonicalCsv { table: spec.name });
    }
    decode_text(file, bytes)?;
    Ok(InputKind::ReportText)
}

fn unknown_table(file: &str, header: &[String]) -> Error {
    Error::Invalid {
        location: Location {
            file: file.to_owned(),
            line: Some(1),
            column: None,
        },
        expected: format!(
            "规范数据表：文件名为 {} 之一，或表头含该表的全部列",
            ALL_TABLES
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        found: header.join(","),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn text_kinds() {
        let header = canonical::SANGONG
            .columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            detect_file("x/sangong.csv", b"a,b\n").unwrap(),
            InputKind::CanonicalCsv { table: "sangong" }
        );
        assert_eq!(
            detect_file("三公.csv", header.as_bytes()).unwrap(),
            InputKind::CanonicalCsv { table: "sangong" }
        );
        assert_eq!(
            detect_file("report.txt", "部门决算\n一、收入".as_bytes()).unwrap(),
            InputKind::ReportText
        );
        assert_eq!(
            detect_file("r.pdf", b"%PDF-1.4").unwrap(),
            InputKind::ReportPdf
        );
        let err = detect_file("其他.csv", b"a,b\n1,2\n").unwrap_err();
        assert!(err.to_string().contains("其他.csv:1"), "{err}");
    }
}
