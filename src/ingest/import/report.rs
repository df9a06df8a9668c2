//! What an import reports: per input and table, rows, notes, warnings, errors, verdicts.

#[allow(clippy::wildcard_imports)]
use super::*;

/// What was read from one table of one input.
#[derive(Debug)]
pub struct TableReport {
    pub table: &'static str,
    /// Where it was read from (`dir/amounts.csv`, `book.xlsx!amounts`).
    pub source: String,
    pub rows: usize,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub errors: Vec<Error>,
}

/// What was read from one input.
#[derive(Debug)]
pub struct InputReport {
    pub input: PathBuf,
    pub kind: Option<InputKind>,
    pub tables: Vec<TableReport>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    /// Errors concerning the input as a whole (cannot be opened, unsupported kind).
    pub errors: Vec<Error>,
    /// Time spent reading the input.
    pub elapsed: std::time::Duration,
    /// Left out of the merged dataset because it had errors (`--keep-going`).
    pub skipped: bool,
    /// Report inputs: cells or rows that could not be read (located errors; only those rows are
    /// withheld, the rest of their tables imports).
    pub unread: usize,
    /// Report inputs: each table's verdict (`source_table`, verdict, why).
    pub verdicts: Vec<(String, crate::ingest::verify::Verdict, String)>,
    /// Report inputs that do not print their department, year or kind (nothing was stored; the
    /// user is asked), with candidates.
    pub missing: Option<crate::ingest::report::Missing>,
}

impl InputReport {
    pub(super) fn new(input: &Path) -> Self {
        Self {
            input: input.to_path_buf(),
            kind: None,
            tables: Vec::new(),
            notes: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            elapsed: std::time::Duration::ZERO,
            skipped: false,
            unread: 0,
            verdicts: Vec::new(),
            missing: None,
        }
    }

    /// How many of this input's tables have the verdict `v`.
    pub fn verdict_count(&self, v: crate::ingest::verify::Verdict) -> usize {
        self.verdicts.iter().filter(|t| t.1 == v).count()
    }

    /// `各表核对：已核对 a 张，部分核对 b 张，存疑 c 张；未能读取 n 处`.
    pub fn verdict_summary(&self) -> String {
        use crate::ingest::verify::Verdict;
        let mut s = format!(
            "各表核对：{} {} 张，{} {} 张，{} {} 张",
            Verdict::Verified.label(),
            self.verdict_count(Verdict::Verified),
            Verdict::Partial.label(),
            self.verdict_count(Verdict::Partial),
            Verdict::Doubtful.label(),
            self.verdict_count(Verdict::Doubtful),
        );
        if self.unread > 0 {
            s.push_str(&format!("；未能读取 {} 处（只扣下这些行）", self.unread));
        }
        s
    }

    /// Whether this input has an error (its own or one of its tables').
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.tables.iter().any(|t| !t.errors.is_empty())
    }

    /// Rows read from this input, over all tables.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows).sum()
    }

    pub(super) fn table_mut(&mut self, table: &str) -> Option<&mut TableReport> {
        self.tables.iter_mut().find(|t| t.table == table)
    }
}

/// The import report: one entry per input, in order.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub inputs: Vec<InputReport>,
}

impl ImportReport {
    /// Every error, input-level first, in input order.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        self.inputs.iter().flat_map(|i| {
            i.errors
                .iter()
                .chain(i.tables.iter().flat_map(|t| t.errors.iter()))
        })
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &String> {
        self.inputs.iter().flat_map(|i| {
            i.warnings
                .iter()
                .chain(i.tables.iter().flat_map(|t| t.warnings.iter()))
        })
    }

    /// Every note (informational line), in input order.
    pub fn notes(&self) -> impl Iterator<Item = &String> {
        self.inputs.iter().flat_map(|i| {
            i.notes
                .iter()
                .chain(i.tables.iter().flat_map(|t| t.notes.iter()))
        })
    }

    /// The first error, taken out of the report.
    pub fn into_first_error(self) -> Option<Error> {
        self.inputs.into_iter().find_map(|i| {
            let mut errors = i
                .errors
                .into_iter()
                .chain(i.tables.into_iter().flat_map(|t| t.errors));
            errors.next()
        })
    }

    /// The report as text for a terminal: per input and per table the rows read, then each
    /// note, warning and error with its location.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for input in &self.inputs {
            let kind = input
                .kind
                .map_or_else(|| "无法识别".to_owned(), |k| k.to_string());
            let _ = writeln!(
                s,
                "输入 {}（{kind}，{:.2} 秒）{}",
                input.input.display(),
                input.elapsed.as_secs_f64(),
                if input.skipped {
                    "：有错误，已跳过（--keep-going）"
                } else {
                    ""
                }
            );
            if !input.verdicts.is_empty() || input.unread > 0 {
                let _ = writeln!(s, "  {}", input.verdict_summary());
            }
            for line in &input.notes {
                let _ = writeln!(s, "  信息 {line}");
            }
            for line in &input.warnings {
                let _ = writeln!(s, "  警告 {line}");
            }
            for e in &input.errors {
                let _ = writeln!(s, "  错误 {e}");
            }
            for t in &input.tables {
                let _ = writeln!(
                    s,
                    "  {:<12} {:>6} 行  警告 {}  错误 {}    {}",
                    t.table,
                    t.rows,
                    t.warnings.len(),
                    t.errors.len(),
                    t.source
                );
                for line in &t.notes {
                    let _ = writeln!(s, "    信息 {line}");
                }
                for line in &t.warnings {
                    let _ = writeln!(s, "    警告 {line}");
                }
                for e in &t.errors {
                    let _ = writeln!(s, "    错误 {e}");
                }
            }
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        let unread: usize = self.inputs.iter().map(|i| i.unread).sum();
        let doubtful: usize = self
            .inputs
            .iter()
            .map(|i| i.verdict_count(crate::ingest::verify::Verdict::Doubtful))
            .sum();
        let _ = writeln!(
            s,
            "共 {} 个输入，错误 {errors} 个，警告 {warnings} 个，未能读取 {unread} 处，存疑表 {doubtful} 张",
            self.inputs.len()
        );
        s
    }
}
