//! Document-level facts read from the report's title: department, year, kind, scope.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Stage;

use super::Hints;

/// What kind of report a text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// 部门决算
    FinalAccounts,
    /// 部门预算
    Budget,
    /// 绩效自评 / 绩效评价报告
    PerformanceEvaluation,
    /// Not stated in the title.
    Unknown,
}

impl ReportKind {
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::FinalAccounts => "决算",
            ReportKind::Budget => "预算",
            ReportKind::PerformanceEvaluation => "绩效自评",
            ReportKind::Unknown => "未识别",
        }
    }
}

/// Facts about the whole document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentMeta {
    pub department: Option<String>,
    /// `全部门`, `本级`, or a unit given as a hint.
    pub unit: String,
    pub scope: String,
    pub year: Option<i32>,
    pub kind: ReportKind,
    /// Stage of the document's own figures: `final` for 决算 and evaluation reports,
    /// `budget_initial` for a 预算.
    pub stage: Stage,
    /// 1-based line the title facts were read from, when found.
    pub title_line: Option<usize>,
    /// Page of that line (PDF input).
    pub title_page: Option<usize>,
}

static YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(20\d{2})\s*年").ok());
static YEAR_PREFIX: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\d{4}\s*年度?").ok());
/// A department name: the longest run of Han characters ending in an organ's suffix (so a branch
/// such as `深圳市规划和自然资源局宝安管理局` is not cut at its parent's `局`).
static DEPT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Han}{2,30}(?:管理局|局|厅|委员会|办公室|中心|研究院|学院|大学|学校|办事处|福利院|医院|部|院|署))",
    )
    .ok()
});
static DEPT_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:部门|部门名称|单位名称|编制单位|编制部门|预算单位|填报单位|部门（单位）名称)\s*(?:[（(]\s*公章\s*[)）])?\s*[:：]\s*(\p{Han}\S+)",
    )
    .ok()
});

/// Department and year from a file name, for reports that print neither (e.g. a file of tables
/// only, `北京市审计局2026年度部门预算报表.pdf`): the department as the title would give it, else
/// `None`; the year as a 20xx not part of a longer number.
pub fn from_file_name(file_name: &str) -> (Option<String>, Option<i32>) {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let year = YEAR_IN_NAME
        .as_ref()
        .and_then(|rx| rx.captures(stem))
        .and_then(|c| c.get(1)?.as_str().parse().ok());
    let department = match (DEPT.as_ref(), YEAR_PREFIX.as_ref()) {
        (Some(rx), Some(yp)) => {
            let text = yp
                .replace_all(stem, " ")
                .replace("部门", "  ")
                .replace("单位", "  ");
            rx.find(&text).map(|m| m.as_str().to_owned())
        }
        _ => None,
    };
    (department, year)
}

/// Facts a report does not print (and no hint gave), each with the candidates found elsewhere,
/// best first (possibly none). Nothing is stored while any is missing: the user is asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing {
    /// `Some` when the department is not printed: candidates from the file name.
    pub department: Option<Vec<String>>,
    /// `Some` when the year is not printed in the title: years printed alone on a line, in
    /// table titles, or in the file name.
    pub year: Option<Vec<i32>>,
    /// `Some` when neither the title nor the table titles say 预算 or 决算.
    pub stage: Option<Vec<Stage>>,
}

impl Missing {
    /// Whether any fact is missing.
    pub fn any(&self) -> bool {
        self.department.is_some() || self.year.is_some() || self.stage.is_some()
    }

    /// The missing facts as the user reads them (`年度、部门`).
    pub fn names(&self) -> String {
        let mut v = Vec::new();
        if self.department.is_some() {
            v.push("部门");
        }
        if self.year.is_some() {
            v.push("年度");
        }
        if self.stage.is_some() {
            v.push("报告类型（预算或决算）");
        }
        v.join("、")
    }
}

/// Years that could be the report's when its title prints none: a `20xx` alone on a line (a
/// title set over two lines), the year of table titles (`2026年部门收支总表`), the file name's.
pub fn year_candidates(lines: &[&str], table_titles: &[&str], file_name: &str) -> Vec<i32> {
    let mut v: Vec<i32> = Vec::new();
    let mut push = |y: i32| {
        if !v.contains(&y) {
            v.push(y);
        }
    };
    for l in lines.iter().take(200) {
        let t: String = l.split_whitespace().collect();
        let t = t.trim_end_matches(['年', '度']);
        if t.len() == 4
            && t.starts_with("20")
            && let Ok(y) = t.parse()
        {
            push(y);
        }
    }
    if let Some(rx) = YEAR.as_ref() {
        for t in table_titles {
            if let Some(y) = rx.captures(t).and_then(|c| c.get(1)?.as_str().parse().ok()) {
                push(y);
            }
        }
    }
    if let (_, Some(y)) = from_file_name(file_name) {
        push(y);
    }
    v
}

/// The stage the table titles state when the document title does not: `Some` only when every
/// title that names one names the same (预算 → 年初预算, 决算 → 决算).
pub fn stage_of_tables(table_titles: &[&str]) -> Option<Stage> {
    let mut found = None;
    for t in table_titles {
        // fund names are not the stage (`一般公共预算财政拨款支出决算表`)
        let t = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
            .iter()
            .fold((*t).to_owned(), |t, fund| t.replace(fund, ""));
        let s = match (t.contains("预算"), t.contains("决算")) {
            (true, false) => Stage::BudgetInitial,
            (false, true) => Stage::Final,
            _ => continue,
        };
        match found {
            None => found = Some(s),
            Some(f) if f != s => return None,
            Some(_) => {}
        }
    }
    found
}

static YEAR_IN_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)(20\d{2})(?:\D|$)").ok());

/// Lines considered the document's title block: the first non-empty lines.
const TITLE_LINES: usize = 12;

/// Strip a trailing `(本级)` / `（公章）` from a department name.
fn clean_department(s: &str) -> String {
    let mut t = s.trim().to_owned();
    for suffix in ["(本级)", "（本级）", "（公章）", "(公章)"] {
        if let Some(x) = t.strip_suffix(suffix) {
            t = x.trim().to_owned();
        }
    }
    t
}

/// A project table's `主管部门 | 深圳市社会 | 保险基金管理局 | 实施单位 | …` row → the department
/// (cells between the two labels joined).
fn supervisor_from_table(line: &str) -> Option<String> {
    if !line.contains('\t') {
        return None;
    }
    let cells: Vec<String> = line
        .split('\t')
        .map(|c| c.split_whitespace().collect())
        .collect();
    let start = cells.iter().position(|c| c == "主管部门")?;
    let name: String = cells
        .iter()
        .skip(start + 1)
        .take_while(|c| c.as_str() != "实施单位")
        .map(String::as_str)
        .collect();
    (!name.is_empty()).then_some(name)
}

pub fn detect(lines: &[&str], hints: &Hints) -> DocumentMeta {
    // the title block: the first non-empty lines that are not table rows
    let title: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            !l.trim().is_empty() && !l.contains('\t') && !l.trim_start().starts_with('|')
        })
        .take(TITLE_LINES)
        .map(|(i, l)| (i + 1, l.trim().trim_start_matches('#').trim().to_owned()))
        .collect();

    let mut year = None;
    let mut title_line = None;
    if let Some(rx) = YEAR.as_ref() {
        for (n, l) in &title {
            if let Some(y) = rx.captures(l).and_then(|c| c.get(1)?.as_str().parse().ok()) {
                year = Some(y);
                title_line = Some(*n);
                break;
            }
        }
    }

    let mut department = None;
    if let (Some(rx), Some(yp)) = (DEPT.as_ref(), YEAR_PREFIX.as_ref()) {
        let clean = |l: &str| {
            // words that end like a department name but are not one
            yp.replace_all(l, " ")
                .replace("部门", "  ")
                .replace("部分", "  ")
                .replace("单位", "  ")
                .replace("目录", "  ")
        };
        for (k, (n, l)) in title.iter().enumerate() {
            let text = clean(l);
            if let Some(m) = rx.find(&text) {
                let mut name = m.as_str().to_owned();
                // a title wrapped over two lines (`…自然资源局宝安` / `管理局部门预算`): the
                // name read across the break, when it extends the one read on this line
                if let Some((_, next)) = title.get(k + 1) {
                    let joined = clean(&format!("{}{}", l.trim_end(), next.trim_start()));
                    if let Some(longer) = rx
                        .find_iter(&joined)
                        .map(|m| m.as_str())
                        .find(|c| c.starts_with(name.as_str()) && c.len() > name.len())
                        && text
                            .get(m.end()..)
                            .unwrap_or("")
                            .trim_end()
                            .chars()
                            .all(|c| !c.is_ascii() && !c.is_whitespace() && c != '\u{3000}')
                    {
                        name = longer.to_owned();
                    }
                }
                department = Some(name);
                title_line = title_line.or(Some(*n));
                break;
            }
        }
    }
    if department.is_none()
        && let Some(rx) = DEPT_LINE.as_ref()
    {
        department = lines.iter().find_map(|l| {
            let c = rx.captures(l)?;
            Some(clean_department(c.get(1)?.as_str()))
        });
    }

    if department.is_none() {
        department = lines.iter().find_map(|l| supervisor_from_table(l));
    }

    let joined: String = title.iter().map(|(_, l)| l.as_str()).collect();
    let kind = if joined.contains("决算") {
        ReportKind::FinalAccounts
    } else if joined.contains("自评") || joined.contains("绩效评价") {
        ReportKind::PerformanceEvaluation
    } else if joined.contains("预算") {
        ReportKind::Budget
    } else {
        ReportKind::Unknown
    };
    let own_unit_only = title
        .iter()
        .any(|(_, l)| l.contains("(本级)") || l.contains("（本级）"));
    let (unit, scope) = if own_unit_only {
        ("本级", "本级")
    } else {
        ("全部门", "全部门")
    };
    let stage = match kind {
        ReportKind::Budget => Stage::BudgetInitial,
        _ => Stage::Final,
    };
    DocumentMeta {
        department: hints.department.clone().or(department),
        unit: hints.unit.clone().unwrap_or_else(|| unit.to_owned()),
        scope: hints.scope.clone().unwrap_or_else(|| scope.to_owned()),
        year: hints.year.or(year),
        kind,
        stage: hints.stage.unwrap_or(stage),
        title_line,
        title_page: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn budget_title() {
        let lines = [
            "2023 年深圳市社会保险基金管理局(本级) 部门预算",
            "",
            "目 录",
        ];
        let m = detect(&lines, &Hints::default());
        assert_eq!(m.department.as_deref(), Some("深圳市社会保险基金管理局"));
        assert_eq!(m.year, Some(2023));
        assert_eq!(m.kind, ReportKind::Budget);
        assert_eq!(m.stage, Stage::BudgetInitial);
        assert_eq!(m.unit, "本级");
    }

    #[test]
    fn title_wrapped_over_two_lines() {
        let lines = [
            "2026年深圳市规划和自然资源局宝安",
            "管理局部门预算",
            "目 录",
        ];
        let m = detect(&lines, &Hints::default());
        assert_eq!(
            m.department.as_deref(),
            Some("深圳市规划和自然资源局宝安管理局")
        );
        let lines = ["苏州市审计局2026年度部门预算公开", "目 录"];
        let m = detect(&lines, &Hints::default());
        assert_eq!(m.department.as_deref(), Some("苏州市审计局"));
    }

    #[test]
    fn patterns_compile() {
        assert!(YEAR.is_some() && YEAR_PREFIX.is_some() && DEPT.is_some() && DEPT_LINE.is_some());
        assert!(YEAR_IN_NAME.is_some());
        assert_eq!(
            from_file_name("x/北京市审计局_附件2：北京市审计局2026年度部门预算报表.pdf"),
            (Some("北京市审计局".to_owned()), Some(2026))
        );
        assert_eq!(from_file_name("bj_sjj_2026_ys.pdf"), (None, Some(2026)));
        assert_eq!(from_file_name("r12026.txt"), (None, None));
    }

    #[test]
    fn department_from_project_table() {
        let lines = [
            "项目名称\t\t某项目\t项目金额\t1",
            "主管部门\t\t某市某\t某管理局\t\t实施单位\t\t",
        ];
        let m = detect(&lines, &Hints::default());
        assert_eq!(m.department.as_deref(), Some("某市某某管理局"));
        assert_eq!(m.year, None);
    }

    #[test]
    fn department_from_field() {
        let lines = [
            "附件 1",
            "2021 年度部门整体绩效评价报告",
            "部门名称（公章）：某市某某局",
        ];
        let m = detect(&lines, &Hints::default());
        assert_eq!(m.department.as_deref(), Some("某市某某局"));
        assert_eq!(m.kind, ReportKind::PerformanceEvaluation);
        assert_eq!(m.unit, "全部门");
    }
}
