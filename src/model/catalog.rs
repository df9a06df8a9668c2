//! The national expenditure classifications shipped as data (`assets/classification/`):
//! 支出功能分类科目 (类/款/项, with the names printed across years and renamings such as
//! 医疗卫生与计划生育 → 卫生健康), 部门预算支出经济分类 and 政府预算支出经济分类 (类/款).
//!
//! The lists were assembled from published reports (see `assets/classification/README.md`); they
//! are incomplete, so a code or name that is not found is not an error in itself — the readers
//! keep what the report prints and say so.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One code–name pair, valid (as printed) from `year_from` to `year_to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub year_from: i32,
    pub year_to: i32,
}

/// Which classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// 支出功能分类科目
    Functional,
    /// 部门预算支出经济分类科目
    EconomicDept,
    /// 政府预算支出经济分类科目
    EconomicGov,
}

struct Catalog {
    functional: Vec<Entry>,
    economic_dept: Vec<Entry>,
    economic_gov: Vec<Entry>,
    /// code → indices into `functional`
    by_code: HashMap<String, Vec<usize>>,
}

const FUNCTIONAL: &str = include_str!("../../assets/classification/functional.csv");
const ORPHANS: &str = include_str!("../../assets/classification/functional_orphans.csv");
const ECONOMIC_DEPT: &str = include_str!("../../assets/classification/economic_dept.csv");
const ECONOMIC_GOV: &str = include_str!("../../assets/classification/economic_gov.csv");

/// Rows of a small CSV without quoted fields (the shipped lists have none), header skipped.
fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(str::trim).collect())
        .collect()
}

fn parse_functional(text: &str, out: &mut Vec<Entry>) {
    for r in rows(text) {
        if let [from, to, code, name, ..] = r.as_slice() {
            out.push(Entry {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                year_from: from.parse().unwrap_or(0),
                year_to: to.parse().unwrap_or(9999),
            });
        }
    }
}

fn parse_economic(text: &str) -> Vec<Entry> {
    rows(text)
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [code, name, ..] => Some(Entry {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                year_from: 2018,
                year_to: 9999,
            }),
            _ => None,
        })
        .collect()
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let mut functional = Vec::new();
    parse_functional(FUNCTIONAL, &mut functional);
    parse_functional(ORPHANS, &mut functional);
    let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in functional.iter().enumerate() {
        by_code.entry(e.code.clone()).or_default().push(i);
    }
    Catalog {
        functional,
        economic_dept: parse_economic(ECONOMIC_DEPT),
        economic_gov: parse_economic(ECONOMIC_GOV),
        by_code,
    }
});

fn list(c: List) -> &'static [Entry] {
    match c {
        List::Functional => &CATALOG.functional,
        List::EconomicDept => &CATALOG.economic_dept,
        List::EconomicGov => &CATALOG.economic_gov,
    }
}

/// Number of entries of a classification.
pub fn len(c: List) -> usize {
    list(c).len()
}

/// The name of a code in `year` (the entry whose years cover it, else the nearest in time).
pub fn name_of(c: List, code: &str, year: i32) -> Option<&'static str> {
    let entries: Vec<&'static Entry> = match c {
        List::Functional => CATALOG
            .by_code
            .get(code)
            .map(|v| {
                v.iter()
                    .filter_map(|&i| CATALOG.functional.get(i))
                    .collect()
            })
            .unwrap_or_default(),
        _ => list(c).iter().filter(|e| e.code == code).collect(),
    };
    entries
        .iter()
        .min_by_key(|e| {
            if year < e.year_from {
                e.year_from - year
            } else if year > e.year_to {
                year - e.year_to
            } else {
                0
            }
        })
        .map(|e| e.name.as_str())
}

/// Whether two names are the same classification name as printed (ignoring spaces, brackets and
/// a trailing 支出).
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        let t: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）'))
            .collect();
        t.strip_suffix("支出").map_or(t.clone(), str::to_owned)
    };
    norm(a) == norm(b)
}

/// Codes whose name (in any year) equals `name`, optionally only the children of `parent`.
pub fn codes_named(c: List, name: &str, parent: Option<&str>) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = list(c)
        .iter()
        .filter(|e| same_name(&e.name, name))
        .filter(|e| parent.is_none_or(|p| e.code.len() == p.len() + 2 && e.code.starts_with(p)))
        .map(|e| e.code.as_str())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_load() {
        assert!(len(List::Functional) > 800);
        assert!(len(List::EconomicDept) > 100);
        assert!(len(List::EconomicGov) > 50);
        assert_eq!(
            name_of(List::Functional, "2080505", 2026),
            Some("机关事业单位基本养老保险缴费支出")
        );
        assert_eq!(name_of(List::EconomicDept, "30101", 2026), Some("基本工资"));
    }

    #[test]
    fn renamed_class_by_year() {
        assert_eq!(name_of(List::Functional, "210", 2026), Some("卫生健康支出"));
        assert_eq!(
            name_of(List::Functional, "210", 2017),
            Some("医疗卫生与计划生育支出")
        );
    }

    #[test]
    fn names_to_codes() {
        assert_eq!(
            codes_named(List::Functional, "行政运行", Some("20108")),
            vec!["2010801"]
        );
        assert!(codes_named(List::Functional, "行政运行", None).len() > 20);
        assert_eq!(
            codes_named(List::Functional, "社会保障和就业", None),
            vec!["208"]
        );
    }
}
