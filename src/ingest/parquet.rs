//! Canonical tables as Parquet files (one `<table>.parquet` per table).
//!
//! Written with the canonical dtypes: decimals as Parquet `DECIMAL(38, 6)` (exact, a 16-byte
//! fixed-length integer with scale 6), integers `INT32`, flags `BOOLEAN`, text `UTF8`.
//! On read every column is turned back into canonical text and validated by the same rules as a
//! CSV file ([`canonical::read_cells`]), so a Parquet file written by another tool (with floats,
//! strings or another decimal scale) is accepted exactly when its values are, and a bad value is
//! reported with its row: `amounts.parquet[第 12 行] 列 amount`.

use std::io::Cursor;

use polars::prelude::*;

use crate::error::{Error, Location, Result};
use crate::ingest::canonical::{self, Locator, TableRead, TableSpec};
use crate::ingest::cells::column_text_from;

/// Locations in a Parquet file: the row key is the 1-based data row.
struct ParquetLocator<'a>(&'a str);

impl Locator for ParquetLocator<'_> {
    fn source(&self) -> String {
        self.0.to_owned()
    }
    fn header(&self, _col: Option<usize>) -> Location {
        Location::file(format!("{}[表结构]", self.0))
    }
    fn cell(&self, row: usize, _col: usize, name: &str) -> Location {
        let mut location = self.row(row);
        location.column = Some(name.to_owned());
        location
    }
    fn row(&self, row: usize) -> Location {
        Location::file(format!("{}[第 {row} 行]", self.0))
    }
    fn row_locate(&self) -> canonical::RowLocate {
        let file = self.0.to_owned();
        std::sync::Arc::new(move |row| ParquetLocator(&file).row(row))
    }
}

/// Read a Parquet file's frame as stored (no validation).
pub fn read_frame(file: &str, bytes: &[u8]) -> Result<DataFrame> {
    ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|e| Error::Malformed {
            location: Location::file(file),
            message: format!("无法读取 Parquet 文件: {e}"),
        })
}

/// Column names of a Parquet file, for identifying its table.
pub fn column_names(file: &str, bytes: &[u8]) -> Result<Vec<String>> {
    let schema = ParquetReader::new(Cursor::new(bytes))
        .schema()
        .map_err(|e| Error::Malformed {
            location: Location::file(file),
            message: format!("无法读取 Parquet 文件: {e}"),
        })?;
    Ok(schema
        .iter_names()
        .map(polars::prelude::PlSmallStr::to_string)
        .collect())
}

/// Read and validate one canonical table from Parquet bytes.
pub fn read_parquet(spec: &TableSpec, file: &str, bytes: &[u8]) -> Result<TableRead> {
    validate_frame(spec, file, &read_frame(file, bytes)?)
}

/// Validate a frame read from Parquet (`file` names it in messages) as the canonical table
/// `spec`: by column when it has the canonical columns and dtypes, otherwise cell by cell.
pub fn validate_frame(spec: &TableSpec, file: &str, df: &DataFrame) -> Result<TableRead> {
    // a file with the canonical columns and dtypes is validated by column, not cell by cell
    if let Some(frame) = canonical::validated(spec, df) {
        let locate = ParquetLocator(file).row_locate();
        return Ok(TableRead {
            spec: *spec,
            source: file.to_owned(),
            rows: canonical::RowRefs::numbered(frame.height(), locate),
            frame,
            warnings: Vec::new(),
            notes: Vec::new(),
        });
    }
    let header: Vec<String> = df
        .get_column_names()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    // a column that cannot be read as text (binary, out-of-range decimals) names this file and
    // the column (and the row, where the reader knows it); the columns are turned into text one
    // slice of rows at a time, so the text of the whole table is never held
    let text = |first: usize| -> Result<Vec<Vec<String>>> {
        let slice = df.slice(i64::try_from(first).unwrap_or(i64::MAX), SLICE_ROWS);
        slice
            .columns()
            .iter()
            .map(|c| {
                column_text_from(c, first).map_err(|e| Error::Malformed {
                    location: Location {
                        file: file.to_owned(),
                        line: None,
                        column: Some(c.name().to_string()),
                    },
                    message: match e {
                        Error::Malformed { message, .. } => message,
                        other => format!("无法读取此列：{other}"),
                    },
                })
            })
            .collect()
    };
    let rows = (0..df.height())
        .step_by(SLICE_ROWS)
        .flat_map(|first| match text(first) {
            Ok(columns) => {
                let n = columns.first().map_or(0, Vec::len);
                let mut columns: Vec<std::vec::IntoIter<String>> =
                    columns.into_iter().map(Vec::into_iter).collect();
                (0..n)
                    .map(|r| {
                        let cells: Vec<String> = columns
                            .iter_mut()
                            .map(|c| c.next().unwrap_or_default())
                            .collect();
                        Ok((first + r + 1, cells))
                    })
                    .collect::<Vec<_>>()
            }
            Err(e) => vec![Err(e)],
        });
    canonical::read_cells(spec, &ParquetLocator(file), &header, rows)
}

/// Rows turned into text at a time while a Parquet table is validated.
const SLICE_ROWS: usize = 65_536;

/// Parquet bytes of one canonical frame (columns in canonical order, canonical dtypes).
pub fn write_parquet(spec: &TableSpec, df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = canonical::conform(spec, df)?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)?;
    Ok(buf)
}
