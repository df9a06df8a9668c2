//! Readers that turn files into the canonical tables, and writers of the canonical formats.
//!
//! - [`canonical`]: the table specs and the validating core shared by every canonical reader
//! - [`encoding`]: UTF-8 / UTF-8 BOM / GBK text decoding
//! - [`parquet`], [`xlsx`]: the canonical tables as Parquet files and as one workbook
//! - [`detect`]: what kind of input a path is; [`import`]: read and merge inputs with a report
//! - [`log`]: a dataset's import log
//! - [`write`]: write a dataset as CSV, Parquet or XLSX, all or nothing
//! - [`report`]: published reports (tab / pipe / space-aligned tables, project paragraphs)
//! - [`page`]: the page model every report input is reduced to; [`pdf`]: PDF pages → page model
//! - [`contain`]: a third-party parser's panic on bad input becomes that input's error, quietly

pub mod canonical;
pub mod cells;
pub mod contain;
pub mod detect;
pub mod encoding;
pub mod import;
pub mod input;
pub mod log;
pub mod page;
pub mod parquet;
pub mod partitioned;
pub mod pdf;
pub mod report;
pub mod tables;
pub mod verify;
pub mod write;
pub mod xlsx;

pub use detect::InputKind;
pub use import::{ImportOptions, ImportReport, import, import_with};
pub use tables::Tables;
pub use write::{Format, write_dataset};
