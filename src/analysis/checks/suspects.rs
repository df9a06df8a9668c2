//! The reports whose code-table identities (合计 = Σ类 = Σ款 = Σ项, 合计 = 基本 + 项目, 收入合计
//! = Σ 资金来源) do not all hold exactly, found by polars plans over the `amounts` columns. The
//! rules [`super::hierarchy`] and [`super::row_sums`] report findings only where a figure differs,
//! so they read the rows of these reports alone: on a consistent dataset they read none.
//!
//! The plans group exactly as the rules do (report, table, measure, fund, classification,
//! nature, scope, unit). A group the join cannot judge like `children_of` (a code printed twice,
//! a code that is not all digits, a figure of 10^20 万元 or more) makes its report suspect, so the
//! rules judge it.

#[allow(clippy::wildcard_imports)]
use super::*;

use polars::prelude::*;

use crate::ingest::verify::plan::{cols, document_of, each_batch, tree};

/// A report as the rules key it (see [`ReportKey`]).
pub(super) type Suspects = std::collections::HashSet<ReportKey>;

/// The groups of one table column, as [`super::hierarchy::table_groups`] keys them: `fam` stands
/// for the report (department, year, stage, document), the unit, measure, fund and
/// classification (see `plan::amount_rows`).
const TABLE_COLUMN: [&str; 4] = ["fam", "source_table", "nature", "scope"];

/// One printed row of one fund, as [`super::row_sums`] keys it.
const ROW: [&str; 4] = ["fam", "source_table", "code", "scope"];

/// One printed row of revenue (every fund), as [`super::row_sums`] keys it.
const REVENUE_ROW: [&str; 9] = [
    "department",
    "year",
    "stage",
    "doc",
    "source_table",
    "measure",
    "classification",
    "code",
    "scope",
];

/// The rows the rules read, of one batch of `plan::amount_rows`: an amount, a year and a known
/// stage, outside the narrative; every row a parent or child under its code (`""` for rows
/// without one).
fn rows(amount_rows: DataFrame) -> LazyFrame {
    // the unit is part of every key below: `fam` holds it
    let known = Stage::ALL
        .iter()
        .map(|s| col("stage").eq(lit(s.key())))
        .reduce(Expr::or)
        .unwrap_or_else(|| lit(false));
    amount_rows
        .lazy()
        .filter(
            col("year")
                .is_not_null()
                .and(known)
                .and(col("source_table").neq(lit(NARRATIVE_TABLE))),
        )
        // the categorical code as text: prefixes are cut from a slot
        .with_column(
            col("code")
                .cast(polars::prelude::DataType::String)
                .alias("slot"),
        )
}

/// The rows of `df` (the `amounts` table) the rules read: every row of a suspect report (for
/// [`super::hierarchy`] and [`super::row_sums`]), and elsewhere the rows the other rules look
/// for: 合计 rows (no code) and 类 (3-digit codes), the narrative's figures and the rows of the
/// same codes, and the 政府性基金 / 国有资本经营 tables (公开08, 公开09). The filter may keep more
/// (a report is matched by department and document separately); a rule that finds the first
/// matching row finds the same one, as every row it could match is kept.
pub(super) fn rule_rows(df: &DataFrame, suspects: &Suspects) -> Result<DataFrame> {
    if df.height() == 0 {
        return Ok(df.clone());
    }
    let code = col("code").fill_null(lit(""));
    let table = col("source_table");
    let narrative_codes = df
        .clone()
        .lazy()
        .filter(table.clone().eq(lit(NARRATIVE_TABLE)))
        .select([code.clone().unique()])
        .collect()?;
    let narrative_codes = narrative_codes
        .column("code")?
        .as_materialized_series()
        .clone();
    let list = |values: Vec<String>| lit(Series::new("values".into(), values)).implode(false);
    let departments: Vec<String> = suspects.iter().map(|k| k.0.clone()).collect();
    let docs: Vec<String> = suspects.iter().map(|k| k.3.clone()).collect();
    let document = document_of(df, col("source_doc").fill_null(lit("")));
    let keep = code
        .clone()
        .str()
        .len_bytes()
        .lt_eq(lit(3u32))
        .or(table
            .clone()
            .eq(lit(NARRATIVE_TABLE))
            .or(table.clone().eq(lit("公开08")))
            .or(table.eq(lit("公开09"))))
        .or(code.is_in(lit(narrative_codes).implode(false), false))
        .or(col("department")
            .is_in(list(departments), false)
            .and(document.is_in(list(docs), false)));
    // the mask first, then an eager filter: a lazy filter over the whole table of a CSV file
    // (read in pieces, four chunks at 1 M rows) took 0.56 s and 300 MB more than this. The mask
    // is made a slice of the table at a time: over the whole 1 M-row table its intermediate
    // columns (the codes with nulls filled, their lengths, the documents) added 80 MB to the
    // peak of `check`.
    let mut mask = BooleanChunked::full_null("keep".into(), 0);
    for part in crate::frame::slices(df, crate::frame::batch_rows()) {
        let part = part.lazy().select([keep.clone().alias("keep")]).collect()?;
        mask.append(part.column("keep")?.bool()?)?;
    }
    Ok(df.filter(&mask)?)
}

/// The reports of `df` (the `amounts` table) where a hierarchy or row-sum identity does not
/// hold exactly, or that the plans leave to the rules.
pub(super) fn suspects(df: &DataFrame) -> Result<Suspects> {
    let mut out = Suspects::new();
    if df.height() == 0 {
        return Ok(out);
    }
    // in batches of whole documents: every key below holds the document (`fam` or `doc`)
    let fams = each_batch(df, "suspects", |batch| {
        let found = found(rows(batch))?;
        let found = found
            .column("fam")?
            .cast(&polars::prelude::DataType::UInt64)?;
        Ok(found.u64()?.iter().flatten().collect::<Vec<u64>>())
    })?;
    let (deps, stages, docs) = (
        df.column("department")?.str()?,
        df.column("stage")?.str()?,
        df.column("source_doc")?.str()?,
    );
    let years = df.column("year")?.i32()?;
    for fam in fams.into_iter().flatten() {
        let Ok(i) = usize::try_from(fam) else {
            continue;
        };
        if let (Some(y), Some(s)) = (years.get(i), stages.get(i).and_then(Stage::from_key)) {
            out.insert((
                deps.get(i).unwrap_or("").to_owned(),
                y,
                s,
                document(docs.get(i).unwrap_or("")).to_owned(),
            ));
        }
    }
    Ok(out)
}

/// The families (`fam`) of one batch's rows where an identity does not hold exactly, or that the
/// plans leave to the rules.
fn found(rows: LazyFrame) -> Result<DataFrame> {
    let rows = rows.cache();
    // a family's number is the index of its first row: its report is read from that row
    let report = [col("fam")];
    let (identities, complex) = tree(rows.clone(), &TABLE_COLUMN)?;
    let hierarchy = identities
        .filter(col("amount").neq(col("sum")))
        .select(report.clone());
    let complex = complex.select(report.clone());
    let first = |nature: &str| {
        col("amount")
            .filter(col("nature").eq(lit(nature)))
            .first()
            .alias(nature)
    };
    let expenditure = rows
        .clone()
        .filter(col("measure").eq(lit(Measure::Expenditure.key())))
        .group_by(cols(&ROW))
        .agg([
            first(Nature::Total.key()),
            first(Nature::Basic.key()),
            first(Nature::Project.key()),
            col("big").any(true),
        ])
        .filter(
            col("big").or(col("total")
                .neq(col("basic") + col("project"))
                .fill_null(false)),
        )
        .select(report.clone());
    let is_total = col("nature").eq(lit(Nature::Total.key()));
    let is_all = col("fund").eq(lit(Fund::All.key()));
    let revenue = rows
        .filter(col("measure").eq(lit(Measure::Revenue.key())))
        .group_by(
            cols(&REVENUE_ROW)
                .into_iter()
                .chain([col("unit")])
                .collect::<Vec<_>>(),
        )
        .agg([
            col("amount")
                .filter(is_total.clone().and(is_all.clone()))
                .first()
                .alias("total"),
            col("amount")
                .filter(is_total.clone().and(is_all.clone().not()))
                .sum()
                .alias("parts"),
            is_total.and(is_all.not()).sum().alias("n"),
            col("big").any(true),
            col("fam").first(),
        ])
        .filter(
            col("total")
                .is_not_null()
                .and(col("n").gt_eq(lit(2u32)))
                .and(col("big").or(col("total").neq(col("parts")))),
        )
        .select(report);
    let found = concat(
        [hierarchy, complex, expenditure, revenue],
        UnionArgs::default(),
    )?
    .unique(None, UniqueKeepStrategy::Any)
    .collect()?;
    Ok(found)
}
