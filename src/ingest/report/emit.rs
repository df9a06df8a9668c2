//! Canonical rows collected while reading a report, turned into validated frames by feeding them
//! through [`canonical::read_table`] (so the dtypes are exactly those of every other dataset).

use rust_decimal::Decimal;

use crate::error::Result;
use crate::ingest::Tables;
use crate::ingest::canonical::{self, TableSpec};

use super::numbers::dec_text;

/// Provenance of one canonical row (the last six columns of every table but `tables`).
#[derive(Clone, Debug, Default)]
pub struct Prov {
    pub table: String,
    pub line: usize,
    pub label: String,
    pub flags: Vec<String>,
    pub notes: Vec<String>,
}

impl Prov {
    pub fn new(table: &str, line: usize, label: &str) -> Self {
        Self {
            table: table.to_owned(),
            line,
            label: label.to_owned(),
            flags: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Add a flag once.
    pub fn flag(&mut self, flag: &str) {
        if !flag.is_empty() && !self.flags.iter().any(|f| f == flag) {
            self.flags.push(flag.to_owned());
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !note.is_empty() {
            self.notes.push(note);
        }
    }

    fn cells(&self, doc: &str) -> [String; 6] {
        [
            doc.to_owned(),
            self.table.clone(),
            self.line.to_string(),
            self.label.clone(),
            self.flags.join(";"),
            self.notes.join("; "),
        ]
    }
}

/// Attributes shared by every row taken from one document.
#[derive(Clone, Debug)]
pub struct Who {
    pub department: String,
    pub unit: String,
    pub scope: String,
    pub year: i32,
    pub doc: String,
}

impl Who {
    /// The leading cells most canonical rows share: department, unit, scope, year.
    fn head(&self, year: i32) -> Vec<String> {
        vec![
            self.department.clone(),
            self.unit.clone(),
            self.scope.clone(),
            year.to_string(),
        ]
    }
}

/// One amount classified by code (`amounts.csv`).
pub struct Amount<'a> {
    pub stage: &'a str,
    pub measure: &'a str,
    pub fund: &'a str,
    pub classification: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub level: &'a str,
    pub nature: &'a str,
    pub amount: Decimal,
    pub source_unit: &'a str,
}

/// Rows of every canonical table, in the order they were read.
#[derive(Default)]
pub struct Out {
    pub amounts: Vec<Vec<String>>,
    pub revenue: Vec<Vec<String>>,
    pub totals: Vec<Vec<String>>,
    pub sangong: Vec<Vec<String>>,
    pub projects: Vec<Vec<String>>,
    pub indicators: Vec<Vec<String>>,
    pub quarterly: Vec<Vec<String>>,
    pub evaluations: Vec<Vec<String>>,
    pub tables: Vec<Vec<String>>,
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn opt_dec(d: Option<Decimal>) -> String {
    d.map(dec_text).unwrap_or_default()
}

impl Out {
    pub fn amount(&mut self, who: &Who, year: i32, a: &Amount<'_>, prov: &Prov) {
        let mut row = who.head(year);
        row.extend([
            s(a.stage),
            s(a.measure),
            s(a.fund),
            s(a.classification),
            s(a.code),
            s(a.name),
            s(a.level),
            s(a.nature),
            dec_text(a.amount),
            s(a.source_unit),
        ]);
        row.extend(prov.cells(&who.doc));
        self.amounts.push(row);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn revenue(
        &mut self,
        who: &Who,
        stage: &str,
        source: &str,
        key: &str,
        subtotal: bool,
        amount: Decimal,
        unit: &str,
        prov: &Prov,
    ) {
        let mut row = who.head(who.year);
        row.extend([
            s(stage),
            s(source),
            s(key),
            subtotal.to_string(),
            dec_text(amount),
            s(unit),
        ]);
        row.extend(prov.cells(&who.doc));
        self.revenue.push(row);
    }

    /// Mark an earlier revenue row as a subtotal (its parts were found after it).
    pub fn set_revenue_subtotal(&mut self, index: usize) {
        if let Some(cell) = self.revenue.get_mut(index).and_then(|r| r.get_mut(7)) {
            *cell = "true".to_owned();
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn total(
        &mut self,
        who: &Who,
        stage: &str,
        fund: &str,
        item: &str,
        label: &str,
        amount: Decimal,
        unit: &str,
        prov: &Prov,
    ) {
        let mut row = who.head(who.year);
        row.extend([
            s(stage),
            s(fund),
            s(item),
            s(label),
            dec_text(amount),
            s(unit),
        ]);
        row.extend(prov.cells(&who.doc));
        self.totals.push(row);
    }

    /// A department-level figure stated in the text (`evaluations`: staff numbers …).
    pub fn evaluation(
        &mut self,
        who: &Who,
        item: &str,
        value: &str,
        value_unit: &str,
        prov: &Prov,
    ) {
        let mut row = who.head(who.year);
        row.extend([s(item), s(value), s(value_unit)]);
        row.extend(prov.cells(&who.doc));
        self.evaluations.push(row);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn sangong(
        &mut self,
        who: &Who,
        year: i32,
        stage: &str,
        category: &str,
        amount: Decimal,
        unit: &str,
        prov: &Prov,
    ) {
        let mut row = who.head(year);
        row.extend([s(stage), s(category), dec_text(amount), s(unit)]);
        row.extend(prov.cells(&who.doc));
        self.sangong.push(row);
    }

    pub fn project(&mut self, who: &Who, p: &ProjectRow, prov: &Prov) {
        let mut row = vec![
            s(&who.department),
            s(&p.unit),
            s(&who.scope),
            who.year.to_string(),
            s(&p.project_id),
            p.seq.to_string(),
            s(&p.name),
            s(p.name_status),
            opt_dec(p.budget_initial),
            opt_dec(p.budget_full_year),
            opt_dec(p.executed),
            opt_dec(p.stated_rate),
            opt_dec(p.score),
            s(&p.reason_tags),
            s(&p.reasons),
            s(p.source_unit),
        ];
        row.extend(prov.cells(&who.doc));
        self.projects.push(row);
    }

    pub fn indicator(&mut self, who: &Who, unit: &str, i: &IndicatorRow, prov: &Prov) {
        let mut row = vec![
            s(&who.department),
            s(unit),
            who.year.to_string(),
            s(&i.project_id),
            s(&i.level1),
            s(&i.level2),
            s(&i.indicator),
            s(&i.target),
            s(&i.actual),
            opt_dec(i.weight),
            opt_dec(i.score),
            i.has_deviation_note.to_string(),
        ];
        row.extend(prov.cells(&who.doc));
        self.indicators.push(row);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn quarter(
        &mut self,
        who: &Who,
        quarter: u8,
        actual: Decimal,
        budget: Decimal,
        progress: Option<Decimal>,
        benchmark: Option<Decimal>,
        rate: Option<Decimal>,
        prov: &Prov,
    ) {
        let mut row = who.head(who.year);
        row.extend([
            quarter.to_string(),
            dec_text(actual),
            dec_text(budget),
            opt_dec(progress),
            opt_dec(benchmark),
            opt_dec(rate),
        ]);
        row.extend(prov.cells(&who.doc));
        self.quarterly.push(row);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn manifest(
        &mut self,
        who: &Who,
        stage: &str,
        source_table: &str,
        title: &str,
        unit_label: &str,
        note: &str,
        line: usize,
    ) {
        self.tables.push(vec![
            s(&who.department),
            s(&who.unit),
            s(&who.scope),
            who.year.to_string(),
            s(stage),
            s(source_table),
            s(title),
            s(unit_label),
            "true".to_owned(),
            s(note),
            s(&who.doc),
            line.to_string(),
            String::new(), // verdict: set once every table is read (`ingest::verify`)
            String::new(),
        ]);
    }

    /// Validate every collected row through the canonical reader and build the frames.
    pub fn into_tables(self, file: &str) -> Result<Tables> {
        use canonical::{
            AMOUNTS, EVALUATIONS, INDICATORS, PROJECTS, QUARTERLY, REVENUE, SANGONG, TABLES, TOTALS,
        };
        let frame = |spec: &TableSpec, rows: &[Vec<String>]| -> Result<_> {
            let bytes = to_csv(spec, rows);
            let name = format!("{file}→{}", spec.file_name());
            Ok(canonical::read_table(spec, &name, &bytes)?.0)
        };
        Ok(Tables {
            amounts: frame(&AMOUNTS, &self.amounts)?,
            revenue: frame(&REVENUE, &self.revenue)?,
            totals: frame(&TOTALS, &self.totals)?,
            sangong: frame(&SANGONG, &self.sangong)?,
            projects: frame(&PROJECTS, &self.projects)?,
            indicators: frame(&INDICATORS, &self.indicators)?,
            quarterly: frame(&QUARTERLY, &self.quarterly)?,
            evaluations: frame(&EVALUATIONS, &self.evaluations)?,
            tables: frame(&TABLES, &self.tables)?,
        })
    }
}

/// One project row (`projects.csv`).
pub struct ProjectRow {
    pub unit: String,
    pub project_id: String,
    pub seq: usize,
    pub name: String,
    pub name_status: &'static str,
    pub budget_initial: Option<Decimal>,
    pub budget_full_year: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub stated_rate: Option<Decimal>,
    pub score: Option<Decimal>,
    pub reason_tags: String,
    pub reasons: String,
    pub source_unit: &'static str,
}

/// One indicator row (`indicators.csv`).
pub struct IndicatorRow {
    pub project_id: String,
    pub level1: String,
    pub level2: String,
    pub indicator: String,
    pub target: String,
    pub actual: String,
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    pub has_deviation_note: bool,
}

/// CSV text of a table: header line, then the rows (RFC 4180 quoting by the `csv` crate).
pub fn to_csv(spec: &TableSpec, rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let header: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    // Writing to a Vec cannot fail; errors would only come from I/O.
    let _ = w.write_record(&header);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// Empty frames with the canonical schemas (used when a document yields nothing).
pub fn empty_tables(file: &str) -> Result<Tables> {
    Out::default().into_tables(file)
}

/// Provenance of rows read from a rendered page model: every row of `file` whose `source_line`
/// maps to (page, line) gets `source_doc` = `<file>#page=<page>` and `source_line` = the line on
/// that page. Other rows are unchanged.
pub fn relocate(
    tables: &Tables,
    file: &str,
    locate: &dyn Fn(usize) -> Option<(usize, usize)>,
) -> Result<Tables> {
    use polars::prelude::*;
    Tables::from_fn(|spec| {
        let Some(df) = tables.get(spec.name).cloned() else {
            return canonical::empty_frame(spec);
        };
        if df.height() == 0 {
            return Ok(df);
        }
        let docs = df.column("source_doc")?.str()?.clone();
        let lines = df.column("source_line")?.cast(&DataType::Int64)?;
        let lines = lines.i64()?;
        let mut new_docs: Vec<Option<String>> = Vec::with_capacity(df.height());
        let mut new_lines: Vec<Option<i64>> = Vec::with_capacity(df.height());
        for (d, l) in docs.iter().zip(lines.iter()) {
            let mapped = match (d, l) {
                (Some(d), Some(l)) if d == file => usize::try_from(l).ok().and_then(locate),
                _ => None,
            };
            if let Some((page, line)) = mapped {
                new_docs.push(Some(format!("{file}#page={page}")));
                new_lines.push(i64::try_from(line).ok());
            } else {
                new_docs.push(d.map(str::to_owned));
                new_lines.push(l);
            }
        }
        let dtype = df.column("source_line")?.dtype().clone();
        let mut df = df;
        df.with_column(Column::new("source_doc".into(), new_docs))?;
        df.with_column(Column::new("source_line".into(), new_lines).cast(&dtype)?)?;
        Ok(df)
    })
}
