//! The rules' shared machinery: money rows flattened from every canonical table ([`Rec`]), the
//! engine that compares a computed figure with a published one within the printed 尾数, and
//! the helpers that locate a row and name its column.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A money row of any canonical table, flattened for the rules.
#[derive(Clone, Debug)]
pub(super) struct Rec {
    pub(super) department: String,
    /// The unit the row is about (`全部门`, `本级`, or a subordinate unit of a table listed
    /// unit by unit); empty where the table has no such column.
    pub(super) unit: String,
    pub(super) scope: String,
    pub(super) year: i32,
    pub(super) stage: Stage,
    /// Decoded once from the canonical keys (`None` where the table has no such column).
    pub(super) measure: Option<Measure>,
    pub(super) fund: Option<Fund>,
    pub(super) classification: Option<Classification>,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) nature: Option<Nature>,
    /// `source_key` (revenue), item (totals), category (三公).
    pub(super) key: String,
    pub(super) is_subtotal: bool,
    pub(super) amount: Decimal,
    pub(super) source_unit: String,
    pub(super) src: SourceRef,
}

pub(super) fn opt_strings(df: &DataFrame, name: &str, n: usize) -> Result<Vec<String>> {
    if df.get_column_names().iter().any(|c| c.as_str() == name) {
        strings(df, name)
    } else {
        Ok(vec![String::new(); n])
    }
}

pub(super) fn load(df: &DataFrame, key_col: Option<&str>) -> Result<Vec<Rec>> {
    let n = df.height();
    let deps = strings(df, "department")?;
    let scopes = strings(df, "scope")?;
    let years = ints(df, "year")?;
    let stages = strings(df, "stage")?;
    let measures = opt_strings(df, "measure", n)?;
    let funds = opt_strings(df, "fund", n)?;
    let classes = opt_strings(df, "classification", n)?;
    let codes = opt_strings(df, "code", n)?;
    let names = opt_strings(df, "name", n)?;
    let natures = opt_strings(df, "nature", n)?;
    let row_units = opt_strings(df, "unit", n)?;
    let keys = match key_col {
        Some(k) => strings(df, k)?,
        None => vec![String::new(); n],
    };
    let subtotal = if df
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "is_subtotal")
    {
        bools(df, "is_subtotal")?
    } else {
        vec![false; n]
    };
    let labels = opt_strings(df, "source_label", n)?;
    let label_col = opt_strings(df, "label", n)?;
    let amounts = decimals(df, "amount")?;
    let units = strings(df, "source_unit")?;
    let docs = strings(df, "source_doc")?;
    let tables = strings(df, "source_table")?;
    let lines = ints(df, "source_line")?;
    let flags = opt_strings(df, "flags", n)?;
    let row_notes = opt_strings(df, "note", n)?;
    let get = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(Some(amount)), Some(Some(year)), Some(stage)) = (
            amounts.get(i).copied(),
            years.get(i).copied(),
            stages.get(i).and_then(|s| Stage::from_key(s)),
        ) else {
            continue;
        };
        let label = {
            let l = get(&labels, i);
            if l.is_empty() { get(&label_col, i) } else { l }
        };
        out.push(Rec {
            department: get(&deps, i),
            unit: get(&row_units, i),
            scope: get(&scopes, i),
            year,
            stage,
            measure: measures.get(i).and_then(|k| Measure::from_key(k)),
            fund: funds.get(i).and_then(|k| Fund::from_key(k)),
            classification: classes.get(i).and_then(|k| Classification::from_key(k)),
            code: get(&codes, i),
            name: get(&names, i),
            nature: natures.get(i).and_then(|k| Nature::from_key(k)),
            key: get(&keys, i),
            is_subtotal: subtotal.get(i).copied().unwrap_or(false),
            amount,
            source_unit: get(&units, i),
            src: SourceRef {
                doc: get(&docs, i),
                table: get(&tables, i),
                line: lines.get(i).copied().flatten(),
                label,
                flags: get(&flags, i),
                note: get(&row_notes, i),
            },
        });
    }
    Ok(out)
}

/// A report: one (department, year, stage, document).
pub(super) type ReportKey = (String, i32, Stage, String);

pub(super) fn report_key(r: &Rec) -> ReportKey {
    (
        r.department.clone(),
        r.year,
        r.stage,
        document(&r.src.doc).to_owned(),
    )
}

pub(super) fn money(d: Decimal) -> String {
    let places = d.normalize().scale().max(2);
    format_decimal_grouped(d, places)
}

pub(super) struct Engine {
    pub(super) amounts: Vec<Rec>,
    pub(super) revenue: Vec<Rec>,
    pub(super) totals: Vec<Rec>,
    pub(super) sangong: Vec<Rec>,
    /// (doc, table) → the last printed digit, in 万元.
    pub(super) precision: BTreeMap<(String, String), Decimal>,
    pub(super) findings: Vec<Finding>,
}

/// What a comparison is about.
pub(super) struct Subject<'a> {
    pub(super) rule: Rule,
    /// The published figure's row.
    pub(super) at: &'a Rec,
    /// Other tables involved.
    pub(super) also: Vec<String>,
    pub(super) what: String,
    pub(super) target: Option<Target>,
}

impl Engine {
    pub(super) fn tolerance(&self, recs: &[&Rec]) -> Decimal {
        recs.iter()
            .filter_map(|r| {
                self.precision
                    .get(&(document(&r.src.doc).to_owned(), r.src.table.clone()))
                    .copied()
            })
            .max()
            .unwrap_or(Decimal::new(1, 2))
    }

    pub(super) fn location(r: &Rec) -> String {
        let row = if !r.code.is_empty() {
            format!("{} {}", r.code, r.name)
        } else if !r.src.label.is_empty() {
            r.src.label.clone()
        } else if !r.name.is_empty() {
            r.name.clone()
        } else {
            r.key.clone()
        };
        match r.src.line {
            Some(l) => format!("{} {} 第 {l} 行「{row}」", r.src.doc, r.src.table),
            None => format!("{} {}「{row}」", r.src.doc, r.src.table),
        }
    }

    /// Compare the published `actual` (row `s.at`) with the computed `expected`.
    pub(super) fn compare(
        &mut self,
        s: Subject<'_>,
        expected: Option<Decimal>,
        actual: Decimal,
        parts: &[&Rec],
        loose: bool,
    ) {
        // `None`: the parts' sum cannot be held exactly (hostile figures); say so, never panic
        let Some((expected, diff)) = expected.and_then(|x| Some((x, actual.checked_sub(x)?)))
        else {
            let message = format!("{}：各项之和或差额超出可精确表示的范围，无法核对", s.what);
            self.flag(s.rule, Severity::Error, s.at, message, s.target);
            return;
        };
        if diff.is_zero() {
            return;
        }
        let mut involved: Vec<&Rec> = parts.to_vec();
        involved.push(s.at);
        let tol = self.tolerance(&involved);
        let blank: Vec<String> = involved
            .iter()
            .filter(|r| r.src.flags.split(';').any(|f| f == "amount_missing"))
            .map(|r| row_name(r))
            .collect();
        let severity = if diff.abs() <= tol {
            Severity::Note
        } else if loose || !blank.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let kind = match severity {
            Severity::Note => "尾数差异".to_owned(),
            Severity::Warning if !blank.is_empty() => format!(
                "原表「{}」金额栏为空（按 0 计），差额可能即该项金额，请核对原表",
                blank.join("、")
            ),
            Severity::Warning => "不一致（请核对）".to_owned(),
            Severity::Error => "不一致".to_owned(),
        };
        let mut tables = vec![s.at.src.table.clone()];
        for t in s.also {
            if !tables.contains(&t) {
                tables.push(t);
            }
        }
        let message = format!(
            "{}：应为 {}，公布 {}，差 {} 万元（{kind}）",
            s.what,
            money(expected),
            money(actual),
            money(diff)
        );
        self.findings.push(Finding {
            rule: s.rule,
            severity,
            tables,
            department: s.at.department.clone(),
            year: s.at.year,
            stage: s.at.stage,
            location: Self::location(s.at),
            expected: Some(expected),
            actual: Some(actual),
            difference: Some(diff),
            message,
            target: s.target,
            culprit: None,
        });
    }

    pub(super) fn flag(
        &mut self,
        rule: Rule,
        severity: Severity,
        at: &Rec,
        message: String,
        target: Option<Target>,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            tables: vec![at.src.table.clone()],
            department: at.department.clone(),
            year: at.year,
            stage: at.stage,
            location: Self::location(at),
            expected: None,
            actual: Some(at.amount),
            difference: None,
            message,
            target,
            culprit: None,
        });
    }
}

pub(super) fn selection(r: &Rec) -> Selection {
    Selection {
        department: r.department.clone(),
        year: r.year,
        stage: r.stage,
    }
}

pub(super) fn drill_target(r: &Rec) -> Option<Target> {
    // The drill-down shows expenditure; revenue rows (收入决算表) open the overview instead.
    if r.measure != Some(Measure::Expenditure) {
        return Some(Target::Overview(selection(r)));
    }
    let classification = r.classification?;
    Some(Target::Drill {
        selection: selection(r),
        fund: r.fund.unwrap_or_default(),
        classification,
        nature: r.nature.unwrap_or_default(),
        code: Code::parse(&r.code, classification).ok(),
    })
}

pub(super) fn precision_map(
    amounts: &DataFrame,
    all: &[&Vec<Rec>],
) -> Result<BTreeMap<(String, String), Decimal>> {
    // A table is printed in whole units when every figure in it is whole.
    let mut whole: BTreeMap<(String, String), (bool, String)> = BTreeMap::new();
    // the amounts table from its columns (the rules read only some of its rows)
    if amounts.height() > 0 {
        let (docs, tables, units) = (
            amounts.column("source_doc")?.str()?,
            amounts.column("source_table")?.str()?,
            amounts.column("source_unit")?.str()?,
        );
        let values = amounts.column("amount")?.decimal()?;
        let scale = u32::try_from(values.scale()).unwrap_or(0);
        // a `Decimal(38, s)` integer is whole (in 万元, or in 元 when printed in 元) when it
        // divides by 10^s (10^(s-4))
        let one = |digits: u32| 10i128.checked_pow(digits).unwrap_or(1);
        let (wan, yuan) = (one(scale), one(scale.saturating_sub(4)));
        // keys borrowed from the columns while scanning
        let mut seen: std::collections::HashMap<(&str, &str), (bool, &str)> =
            std::collections::HashMap::new();
        for (i, m) in values.physical().iter().enumerate() {
            let Some(m) = m else { continue };
            let (doc, table) = (
                document(docs.get(i).unwrap_or("")),
                tables.get(i).unwrap_or(""),
            );
            let unit = units.get(i).unwrap_or("");
            let e = seen.entry((doc, table)).or_insert((true, unit));
            let divisor = if unit == "元" { yuan } else { wan };
            if m % divisor != 0 {
                e.0 = false;
            }
        }
        for ((doc, table), (is_whole, unit)) in seen {
            whole.insert(
                (doc.to_owned(), table.to_owned()),
                (is_whole, unit.to_owned()),
            );
        }
    }
    for recs in all {
        for r in *recs {
            let e = whole
                .entry((document(&r.src.doc).to_owned(), r.src.table.clone()))
                .or_insert((true, r.source_unit.clone()));
            // (a figure too large to convert back to 元 is whole anyway)
            let printed = if r.source_unit == "元" {
                r.amount.checked_mul(Decimal::from(10_000))
            } else {
                Some(r.amount)
            };
            if printed.is_some_and(|p| !p.fract().is_zero()) {
                e.0 = false;
            }
        }
    }
    Ok(whole
        .into_iter()
        .map(|(k, (is_whole, unit))| {
            let digit = if is_whole {
                Decimal::ONE
            } else {
                Decimal::new(1, 2)
            };
            let in_wan = if unit == "元" {
                digit / Decimal::from(10_000)
            } else {
                digit
            };
            (k, in_wan)
        })
        .collect())
}

/// `［其他收入列］` for figures not in the table's 合计 column.
pub(super) fn column_label(r: &Rec) -> String {
    let mut parts = Vec::new();
    if let Some(f) = r.fund.filter(|f| *f != Fund::All) {
        parts.push(f.label());
    }
    if let Some(n) = r.nature.filter(|n| *n != Nature::Total) {
        parts.push(n.label());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("［{}］", parts.join("·"))
    }
}

pub(super) fn row_name(r: &Rec) -> String {
    if r.code.is_empty() {
        if r.src.label.is_empty() {
            "合计".to_owned()
        } else {
            r.src.label.clone()
        }
    } else {
        format!("{} {}", r.code, r.name)
    }
}

/// The rows of one kind grouped by report, built once per rule: a rule reads one report's rows
/// instead of scanning every row for each report (which made the checks quadratic in rows).
pub(super) struct ByReport<'a> {
    map: std::collections::HashMap<ReportKey, Vec<&'a Rec>>,
}

impl<'a> ByReport<'a> {
    pub(super) fn new(recs: &'a [Rec]) -> Self {
        let mut map: std::collections::HashMap<ReportKey, Vec<&'a Rec>> =
            std::collections::HashMap::new();
        for r in recs {
            map.entry(report_key(r)).or_default().push(r);
        }
        Self { map }
    }

    /// The report's rows, in table order.
    pub(super) fn rows(&self, rk: &ReportKey) -> impl Iterator<Item = &'a Rec> + '_ {
        self.map.get(rk).into_iter().flatten().copied()
    }

    /// The reports, sorted (findings come out in a stable order).
    pub(super) fn reports(&self) -> BTreeSet<ReportKey> {
        self.map.keys().cloned().collect()
    }
}

pub(super) fn find<'a>(
    recs: &ByReport<'a>,
    rk: &ReportKey,
    table: &str,
    pred: impl Fn(&Rec) -> bool,
) -> Option<&'a Rec> {
    recs.rows(rk).find(|r| r.src.table == table && pred(r))
}
