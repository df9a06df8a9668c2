//! The `amounts` table of a large Parquet dataset as a hive-partitioned folder:
//! `amounts/department=<name>/year=<year>/part-0.parquet`, one file per department-year (the
//! partition columns are in the folder names, not in the files; a row without a year is under
//! `year=__HIVE_DEFAULT_PARTITION__`). `import --format parquet` writes it when the dataset has
//! more than [`PARTITION_ABOVE_ROWS`] amount rows (or when asked); the other tables stay one
//! `<table>.parquet` file each.
//!
//! Read with polars' `scan_parquet` over the folder: when only one department is wanted
//! (`--department`), the filter is pushed down to the folder names and the other departments'
//! files are never opened. Every entry is checked first: folders named `key=value` and regular
//! `.parquet` files of at most the input cap, no more than [`MAX_FILES`] of them.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Location, Result};
use crate::ingest::canonical::{self, TableRead, TableSpec};
use crate::ingest::parquet::validate_frame;

/// Above this many amount rows `import --format parquet` partitions the `amounts` table.
pub const PARTITION_ABOVE_ROWS: usize = 500_000;

/// The most files a partitioned table may hold (a city of 1,000 departments over 20 years is
/// 20,000).
pub const MAX_FILES: usize = 100_000;

/// The value written for a missing year (as Hive does; polars reads it back as null).
const NULL_VALUE: &str = "__HIVE_DEFAULT_PARTITION__";

/// The folder of a partitioned table in a dataset folder.
pub fn table_dir(dir: &Path, spec: &TableSpec) -> PathBuf {
    dir.join(spec.name)
}

/// Whether `dir` holds `spec` as a partitioned folder: a folder named after the table with
/// `department=…` folders in it.
pub fn is_partitioned(dir: &Path, spec: &TableSpec) -> bool {
    std::fs::read_dir(table_dir(dir, spec)).is_ok_and(|mut entries| {
        entries.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("department=")))
    })
}

/// A value as a folder name part: `%`, path separators, `=` and characters that are not allowed
/// in file names anywhere are percent-encoded (polars decodes them when it reads the folder).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        let unsafe_char = matches!(
            c,
            '%' | '/' | '\\' | '=' | ':' | '*' | '?' | '"' | '<' | '>' | '|'
        ) || c.is_control();
        if unsafe_char {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    // a folder named "." or ".." (or starting with a dot: hidden) is encoded too
    if out.starts_with('.') {
        out.replace_range(..1, "%2E");
    }
    out
}

/// Write `df` (the table `spec`) under `dir` (created; must not exist) as one Parquet file per
/// department and year. Returns the number of files written.
pub fn write_partitioned(spec: &TableSpec, df: &DataFrame, dir: &Path) -> Result<usize> {
    let df = canonical::conform(spec, df)?;
    std::fs::create_dir(dir).map_err(|e| Error::write(dir, e))?;
    if df.height() == 0 {
        return Ok(0);
    }
    let parts = df.partition_by_stable(["department", "year"], true)?;
    for part in &parts {
        let department = part.column("department")?.str()?.get(0).unwrap_or("");
        let year = part
            .column("year")?
            .i32()?
            .get(0)
            .map_or_else(|| NULL_VALUE.to_owned(), |y| y.to_string());
        let folder = dir
            .join(format!("department={}", encode(department)))
            .join(format!("year={year}"));
        std::fs::create_dir_all(&folder).map_err(|e| Error::write(&folder, e))?;
        let path = folder.join("part-0.parquet");
        let mut data = part.drop_many(["department", "year"]);
        let file = std::fs::File::create(&path).map_err(|e| Error::write(&path, e))?;
        let mut w = std::io::BufWriter::new(file);
        ParquetWriter::new(&mut w)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut data)
            .map_err(|e| Error::Malformed {
                location: Location::file(path.display().to_string()),
                message: format!("无法写入: {e}"),
            })?;
        let file = w
            .into_inner()
            .map_err(|e| Error::write(&path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::write(&path, e))?;
    }
    Ok(parts.len())
}

/// Check every entry under a partitioned table folder before polars reads it: folders named
/// `key=value`, regular `.parquet` files of at most `max_bytes` each, at most [`MAX_FILES`].
/// Returns the files.
fn check_tree(dir: &Path, max_bytes: u64) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&folder, e))?;
            let path = entry.path();
            let bad = |what: &str| Error::Malformed {
                location: Location::file(path.display().to_string()),
                message: format!("分区文件夹中{what}，未读取（期望 键=值 文件夹与 .parquet 文件）"),
            };
            // symbolic links are followed as the reader would
            let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if meta.is_dir() {
                if !name.contains('=') {
                    return Err(bad("有不是 键=值 形式的文件夹"));
                }
                stack.push(path);
            } else if name.ends_with(".parquet") {
                if let Some(what) = crate::ingest::input::not_a_regular_file(&path) {
                    return Err(bad(what));
                }
                if meta.len() > max_bytes {
                    return Err(bad(&format!(
                        "有文件大小 {} 超过每个输入 {} 的上限",
                        crate::ingest::input::size_text(meta.len()),
                        crate::ingest::input::size_text(max_bytes)
                    )));
                }
                if files.len() >= MAX_FILES {
                    return Err(bad(&format!("文件多于 {MAX_FILES} 个")));
                }
                files.push(path);
            } else {
                return Err(bad(&format!("有其他文件 {name}")));
            }
        }
    }
    Ok(files)
}

/// Read the partitioned table `spec` from `dir` (its folder), only `department` when given (the
/// other departments' files are not read), and validate it as a canonical Parquet table.
pub fn read_partitioned(
    spec: &TableSpec,
    dir: &Path,
    max_bytes: u64,
    department: Option<&str>,
) -> Result<TableRead> {
    let shown = dir.display().to_string();
    let malformed = |message: String| Error::Malformed {
        location: Location::file(&shown),
        message,
    };
    let files = check_tree(dir, max_bytes)?;
    if files.is_empty() {
        return validate_frame(spec, &shown, &canonical::empty_frame(spec)?);
    }
    let root = dir
        .to_str()
        .ok_or_else(|| malformed("路径不是 UTF-8，无法读取分区文件夹".to_owned()))?;
    let hive: Schema = [
        Field::new("department".into(), DataType::String),
        Field::new("year".into(), DataType::Int32),
    ]
    .into_iter()
    .collect();
    let args = ScanArgsParquet {
        hive_options: HiveOptions {
            enabled: Some(true),
            hive_start_idx: 0,
            schema: Some(Arc::new(hive)),
            try_parse_dates: false,
        },
        // one chunk, not one per file: the checks read rows by index (a 1 M-row city in 1,270
        // chunks made `check` 3× slower)
        rechunk: true,
        ..ScanArgsParquet::default()
    };
    let read = |e: PolarsError| malformed(format!("无法读取分区 Parquet 文件夹: {e}"));
    let scan = LazyFrame::scan_parquet(PlRefPath::new(root), args).map_err(read)?;
    let columns: Vec<Expr> = spec.columns.iter().map(|c| col(c.name)).collect();
    // the departments' files read a group at a time, each group made one chunk: one chunk of
    // the whole table was a copy of all of it (the 1 M city read whole peaked at 0.84–0.91 GB)
    let groups: Vec<Expr> = match department {
        Some(d) => vec![col("department").eq(lit(d))],
        // a folder name that does not decode: the whole table at once
        None => department_groups(&files)
            .unwrap_or_else(|| vec![(Vec::new(), true)])
            .into_iter()
            .map(|(names, null)| {
                let names_empty = names.is_empty();
                let listed = col("department").is_in(
                    lit(Series::new("names".into(), names)).implode(false),
                    false,
                );
                match (names_empty, null) {
                    (true, true) => lit(true),
                    (false, true) => listed.or(col("department").is_null()),
                    _ => listed,
                }
            })
            .collect(),
    };
    let mut df: Option<DataFrame> = None;
    for group in groups {
        let part = match scan.clone().filter(group).select(columns.clone()).collect() {
            Ok(part) => part,
            // the file that fails, read on its own, names itself; else the folder is named
            Err(e) => {
                return Err(failing_file(&files, department, max_bytes).unwrap_or_else(|| read(e)));
            }
        };
        match df.as_mut() {
            Some(df) => {
                df.vstack_mut_owned(part).map_err(read)?;
            }
            None => df = Some(part),
        }
    }
    let df = match df {
        Some(df) => df,
        None => canonical::empty_frame(spec)?,
    };
    validate_frame(spec, &shown, &df)
}

/// Groups of departments read at a time by [`read_partitioned`].
const GROUPS: usize = 8;

/// The departments of `files` (by their `department=` folders, decoded, in the folders' order)
/// in at most [`GROUPS`] groups of about as many files each; `true` where a group also holds the
/// rows without a department (`__HIVE_DEFAULT_PARTITION__`). `None` when a folder name does not
/// decode (then no group could name its rows).
fn department_groups(files: &[PathBuf]) -> Option<Vec<(Vec<String>, bool)>> {
    let mut folders: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for file in files {
        let folder = file.components().find_map(|c| {
            c.as_os_str()
                .to_str()
                .and_then(|n| n.strip_prefix("department="))
                .map(str::to_owned)
        });
        if let Some(folder) = folder {
            *folders.entry(folder).or_default() += 1;
        }
    }
    let per_group = files.len().div_ceil(GROUPS).max(1);
    let mut groups: Vec<(Vec<String>, bool)> = Vec::new();
    let mut filled = per_group;
    for (folder, n) in folders {
        if filled >= per_group {
            groups.push((Vec::new(), false));
            filled = 0;
        }
        filled += n;
        let Some(group) = groups.last_mut() else {
            continue;
        };
        if folder == NULL_VALUE {
            group.1 = true;
        } else {
            group.0.push(decode(&folder)?);
        }
    }
    Some(groups)
}

/// A folder name part as written by [`encode`] (percent-encoded bytes), or `None`.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The error of the first of `files` (only `department`'s, when given) that cannot be read on
/// its own, located at that file.
fn failing_file(files: &[PathBuf], department: Option<&str>, max_bytes: u64) -> Option<Error> {
    let folder = department.map(|d| format!("department={}", encode(d)));
    files
        .iter()
        .filter(|f| {
            folder.as_ref().is_none_or(|name| {
                f.components()
                    .any(|c| c.as_os_str().to_string_lossy() == name.as_str())
            })
        })
        .find_map(|f| {
            crate::ingest::input::read_file(f, max_bytes)
                .and_then(|bytes| {
                    crate::ingest::parquet::read_frame(&f.display().to_string(), &bytes)
                })
                .err()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_decode_to_the_values() {
        for value in [
            "合成市第001局",
            "a/b=c%d",
            ".hidden",
            "x:y*z?\"<>|",
            "tab\there",
            "",
        ] {
            assert_eq!(decode(&encode(value)).as_deref(), Some(value), "{value}");
        }
        assert_eq!(decode("%E4%B8"), None); // half a character
        assert_eq!(decode("%G1"), None);
    }

    #[test]
    fn departments_are_read_in_groups_of_whole_folders() {
        let files: Vec<PathBuf> = (0..20)
            .flat_map(|d| {
                (2020..2023).map(move |y| {
                    PathBuf::from(format!(
                        "t/amounts/department={}/year={y}/part-0.parquet",
                        encode(&format!("局{d:02}/甲"))
                    ))
                })
            })
            .chain([PathBuf::from(format!(
                "t/amounts/department={NULL_VALUE}/year=2020/part-0.parquet"
            ))])
            .collect();
        let groups = department_groups(&files).unwrap();
        assert!(
            groups.len() <= GROUPS && groups.len() >= 2,
            "{}",
            groups.len()
        );
        let names: Vec<&String> = groups.iter().flat_map(|(n, _)| n).collect();
        assert_eq!(names.len(), 20);
        assert!(names.contains(&&"局07/甲".to_owned()));
        assert_eq!(groups.iter().filter(|(_, null)| *null).count(), 1);
        // a folder that does not decode: no groups (the table is read at once)
        let odd = [PathBuf::from(
            "t/amounts/department=%ZZ/year=2020/part-0.parquet",
        )];
        assert!(department_groups(&odd).is_none());
    }
}
