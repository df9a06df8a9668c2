//! `summary --json`: the functional rows written as `serde_json`'s pretty printer writes
//! [`super::Summary`], streamed in pieces (see [`write_json`]).

use polars::prelude::*;
use serde::Serialize;

use super::{
    BranchRow, FunctionalRow, Nature, RevenueRow, SangongRow, branches, functional_frame, revenue,
    sangong,
};
use crate::analysis::frame::{ints, money_text};
use crate::dataset::Dataset;
use crate::error::Result;

/// A [`FunctionalRow`] borrowing its text from the frame: what [`write_json`] formats (see
/// [`row_json`]; `write_json_is_the_summary_serialized` checks it writes the same JSON).
pub(super) struct FunctionalRowRef<'a> {
    department: &'a str,
    unit: &'a str,
    scope: &'a str,
    year: i32,
    stage: &'a str,
    fund: &'a str,
    code: &'a str,
    name: &'a str,
    total: Option<String>,
    basic: Option<String>,
    project: Option<String>,
    table: &'a str,
    doubtful: bool,
}

impl FunctionalRowRef<'_> {
    pub(super) fn owned(self) -> FunctionalRow {
        FunctionalRow {
            department: self.department.to_owned(),
            unit: self.unit.to_owned(),
            scope: self.scope.to_owned(),
            year: self.year,
            stage: self.stage.to_owned(),
            fund: self.fund.to_owned(),
            code: self.code.to_owned(),
            name: self.name.to_owned(),
            total: self.total,
            basic: self.basic,
            project: self.project,
            table: self.table.to_owned(),
            doubtful: self.doubtful,
        }
    }
}

/// Each row of [`functional_frame`], in order, its text borrowed from the frame's columns
/// (323,850 rows at 1 M).
pub(super) fn each_functional_row<'a>(
    df: &'a DataFrame,
    mut f: impl FnMut(FunctionalRowRef<'a>),
) -> Result<()> {
    // a column of text, or a categorical (see `functional_of`)
    let text = |c: &str| -> Result<Box<dyn Iterator<Item = Option<&'a str>> + 'a>> {
        let column = df.column(c)?;
        Ok(match column.dtype() {
            DataType::Categorical(..) => Box::new(column.cat32()?.iter_str()),
            _ => Box::new(column.str()?.iter()),
        })
    };
    let (mut deps, mut units, mut scopes, mut stages, mut funds) = (
        text("department")?,
        text("unit")?,
        text("scope")?,
        text("stage")?,
        text("fund")?,
    );
    let (mut codes, mut names, mut tables) = (text("code")?, text("name")?, text("source_table")?);
    let mut years = ints(df, "year")?.into_iter();
    let mut doubtful = df.column("doubtful")?.bool()?.iter();
    // each figure's text written from the column's integers (see `money_text`)
    let money = |n: Nature| -> Result<(Vec<Option<i128>>, u32)> {
        let ca = df.column(n.key())?.decimal()?;
        let scale = u32::try_from(ca.scale()).unwrap_or(0);
        Ok((ca.physical().iter().collect(), scale))
    };
    let (totals, basics, projects) = (
        money(Nature::Total)?,
        money(Nature::Basic)?,
        money(Nature::Project)?,
    );
    let next = |it: &mut dyn Iterator<Item = Option<&'a str>>| -> &'a str {
        it.next().flatten().unwrap_or_default()
    };
    let amount = |(values, scale): &(Vec<Option<i128>>, u32), i: usize, name: &str| {
        values
            .get(i)
            .copied()
            .flatten()
            .map(|m| {
                money_text(m, *scale).ok_or_else(|| crate::error::Error::Malformed {
                    location: crate::error::Location::file(name),
                    message: format!("十进制数超出可精确表示的范围（{m}，{scale} 位小数）"),
                })
            })
            .transpose()
    };
    for i in 0..df.height() {
        f(FunctionalRowRef {
            department: next(&mut deps),
            unit: next(&mut units),
            scope: next(&mut scopes),
            year: years.next().flatten().unwrap_or_default(),
            stage: next(&mut stages),
            fund: next(&mut funds),
            code: next(&mut codes),
            name: next(&mut names),
            total: amount(&totals, i, Nature::Total.key())?,
            basic: amount(&basics, i, Nature::Basic.key())?,
            project: amount(&projects, i, Nature::Project.key())?,
            table: next(&mut tables),
            doubtful: doubtful.next().flatten().unwrap_or(false),
        });
    }
    Ok(())
}

/// The `summary --json` document of [`super::summary`], written to `out` as `serde_json`'s
/// pretty printer writes [`super::Summary`], byte for byte. The functional rows (a city's are
/// ~320,000) are formatted in pieces of [`JSON_ROWS`] rows, two pieces at a time on two threads
/// (see [`crate::frame::map_batches`]), each pair written before the next is made: never all
/// held as rows, nor the text as a whole (~100 MB).
pub fn write_json(ds: &Dataset, mut out: impl std::io::Write) -> Result<()> {
    /// The fields of [`super::Summary`] after the functional rows, in its order.
    #[derive(Serialize)]
    struct Rest {
        sangong: Vec<SangongRow>,
        revenue: Vec<RevenueRow>,
        branches: Vec<BranchRow>,
    }
    let written = |e: std::io::Error| crate::error::Error::Write {
        path: "标准输出".into(),
        source: e,
    };
    let json = |e: serde_json::Error| written(e.into());
    let mut laps = crate::diag::Laps::new("summary");
    let frame = functional_frame(ds)?;
    laps.lap("functional");
    crate::diag::log_memory("summary: functional");
    let rest = Rest {
        sangong: sangong(ds)?,
        revenue: revenue(ds)?,
        branches: branches(ds)?,
    };
    laps.lap("rest");
    crate::diag::log_memory("summary: sangong, revenue");
    out.write_all(b"{\n  \"dataset\": ").map_err(written)?;
    serde_json::to_writer(&mut out, &ds.name).map_err(json)?;
    out.write_all(b",\n  \"functional\": ").map_err(written)?;
    if frame.height() == 0 {
        out.write_all(b"[]").map_err(written)?;
    } else {
        out.write_all(b"[").map_err(written)?;
        let pieces: Vec<LazyFrame> = crate::frame::slices(&frame, JSON_ROWS)
            .map(IntoLazy::lazy)
            .collect();
        let mut first = true;
        for pair in pieces.chunks(crate::frame::BATCH_WORKERS) {
            for text in crate::frame::map_batches(pair.to_vec(), "summary-json", |piece| {
                functional_json(&piece.collect()?)
            })? {
                // no comma before the first row
                let text = if first {
                    text.get(1..).unwrap_or_default()
                } else {
                    &text
                };
                first = false;
                out.write_all(text).map_err(written)?;
            }
        }
        out.write_all(b"\n  ]").map_err(written)?;
    }
    laps.lap("json");
    // the rest as the pretty printer writes it at the top level, without its opening brace
    let rest = serde_json::to_vec_pretty(&rest).map_err(json)?;
    out.write_all(b",").map_err(written)?;
    out.write_all(rest.get(1..).unwrap_or_default())
        .map_err(written)
}

/// Functional rows formatted per piece by [`write_json`] (~5 MB of text each).
const JSON_ROWS: usize = 16_384;

/// The functional rows of `df` as [`write_json`] writes them inside the array: each preceded by
/// `,` (the caller drops the document's first) and a line break, and indented by four spaces.
fn functional_json(df: &DataFrame) -> Result<Vec<u8>> {
    let mut text = Vec::with_capacity(df.height() * 320);
    let mut failed = None;
    each_functional_row(df, |row| {
        if failed.is_none()
            && let Err(e) = row_json(&mut text, &row)
        {
            failed = Some(e);
        }
    })?;
    match failed {
        Some(e) => Err(crate::error::Error::Write {
            path: "标准输出".into(),
            source: e.into(),
        }),
        None => Ok(text),
    }
}

/// `,` and one row as `serde_json`'s pretty printer writes a [`FunctionalRow`] inside the
/// document's array (its fields in order, two spaces per level, `doubtful` only when true),
/// each value written by `serde_json` itself: the row's text straight into `out`, where the
/// pretty printer's text of each row was made on its own and indented line by line (0.1 s of
/// CPU at 1 M rows). `write_json_is_the_summary_serialized` compares the two.
fn row_json(out: &mut Vec<u8>, row: &FunctionalRowRef<'_>) -> serde_json::Result<()> {
    // the field names are plain ASCII, written as they are
    fn key(out: &mut Vec<u8>, name: &str, first: bool) {
        out.extend_from_slice(if first { b"\n      \"" } else { b",\n      \"" });
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    }
    out.extend_from_slice(b",\n    {");
    let texts = [
        ("department", row.department),
        ("unit", row.unit),
        ("scope", row.scope),
    ];
    for (i, (name, value)) in texts.into_iter().enumerate() {
        key(out, name, i == 0);
        serde_json::to_writer(&mut *out, value)?;
    }
    key(out, "year", false);
    serde_json::to_writer(&mut *out, &row.year)?;
    for (name, value) in [
        ("stage", row.stage),
        ("fund", row.fund),
        ("code", row.code),
        ("name", row.name),
    ] {
        key(out, name, false);
        serde_json::to_writer(&mut *out, value)?;
    }
    for (name, value) in [
        ("total", &row.total),
        ("basic", &row.basic),
        ("project", &row.project),
    ] {
        key(out, name, false);
        serde_json::to_writer(&mut *out, value)?;
    }
    key(out, "table", false);
    serde_json::to_writer(&mut *out, row.table)?;
    if row.doubtful {
        key(out, "doubtful", false);
        out.extend_from_slice(b"true");
    }
    out.extend_from_slice(b"\n    }");
    Ok(())
}
