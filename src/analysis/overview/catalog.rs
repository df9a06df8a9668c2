//! What a dataset holds: its departments, their years and stages, and the selection repaired to
//! something that exists.

#[allow(clippy::wildcard_imports)]
use super::*;

/// What the user has selected in the top bar.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    pub department: String,
    pub year: i32,
    pub stage: Stage,
}

/// Which (department, year, stage) combinations hold any figure, and their scopes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    /// department → year → stage → scopes
    pub entries: BTreeMap<String, BTreeMap<i32, BTreeMap<Stage, BTreeSet<String>>>>,
    /// (department, year, stage) with classified amounts from published tables (not only
    /// narrative figures): the richest selections.
    pub tabled: BTreeSet<(String, i32, Stage)>,
    /// (department, year) → the units (单位) with figures of their own: the scope units of the
    /// money tables (全部门, 本级 …) and the implementing units of projects (分局 …).
    pub units: BTreeMap<(String, i32), BTreeSet<String>>,
}

impl Catalog {
    pub fn departments(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }

    pub fn years(&self, department: &str) -> Vec<i32> {
        self.entries
            .get(department)
            .map(|y| y.keys().copied().collect())
            .unwrap_or_default()
    }

    pub fn stages(&self, department: &str, year: i32) -> Vec<Stage> {
        self.entries
            .get(department)
            .and_then(|y| y.get(&year))
            .map(|s| s.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The scope of a year: `全部门` wins when a year has figures of both scopes.
    pub fn scope(&self, department: &str, year: i32) -> Option<String> {
        let scopes: BTreeSet<&String> = self
            .entries
            .get(department)?
            .get(&year)?
            .values()
            .flatten()
            .collect();
        scopes
            .iter()
            .find(|s| s.as_str() == UNIT_WHOLE_DEPARTMENT)
            .or_else(|| scopes.iter().next())
            .map(|s| (*s).clone())
    }

    /// The units of a (department, year), the scope units first, then by name.
    pub fn units(&self, department: &str, year: i32) -> Vec<String> {
        let mut v: Vec<String> = self
            .units
            .get(&(department.to_owned(), year))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        v.sort_by_key(|u| {
            (
                u != UNIT_WHOLE_DEPARTMENT,
                crate::analysis::branches::unit_rank(u),
                u.clone(),
            )
        });
        v
    }

    /// Every year of a department with its scope and stages (the input of drill comparisons and
    /// per-code trends).
    pub fn year_scopes(&self, department: &str) -> BTreeMap<i32, (String, Vec<Stage>)> {
        self.years(department)
            .into_iter()
            .map(|y| {
                (
                    y,
                    (
                        self.scope(department, y).unwrap_or_default(),
                        self.stages(department, y),
                    ),
                )
            })
            .collect()
    }

    /// A sensible default: the department with the most years of data, its latest year with a
    /// final account, else its latest year; the final stage if present.
    pub fn default_selection(&self) -> Option<Selection> {
        let (department, years) = self
            .entries
            .iter()
            .rev()
            .max_by_key(|(_, years)| years.len())?;
        let tabled_final = |y: &i32| {
            self.tabled
                .contains(&(department.clone(), *y, Stage::Final))
        };
        let year = years
            .keys()
            .rev()
            .find(|y| tabled_final(y))
            .or_else(|| {
                years
                    .iter()
                    .rev()
                    .find(|(_, stages)| stages.contains_key(&Stage::Final))
                    .map(|(y, _)| y)
            })
            .or_else(|| years.keys().next_back())
            .copied()?;
        let stages = self.stages(department, year);
        let stage = if stages.contains(&Stage::Final) {
            Stage::Final
        } else {
            *stages.first()?
        };
        Some(Selection {
            department: department.clone(),
            year,
            stage,
        })
    }

    /// Whether (department, year, stage) has classified figures from published tables (not only
    /// narrative numbers or totals).
    pub fn is_tabled(&self, department: &str, year: i32, stage: Stage) -> bool {
        self.tabled.contains(&(department.to_owned(), year, stage))
    }

    /// [`Self::repair`] after the year or department changed, with the stage following the year:
    /// when the kept stage has no classified tables that year but another stage has, that stage
    /// is taken (the other budget stage first for a budget, else 决算; for 决算 the adjusted, then
    /// the initial budget). The note says what changed and why.
    pub fn follow_year(&self, sel: &Selection) -> Option<(Selection, Option<String>)> {
        let mut out = self.repair(sel)?;
        let (d, y) = (out.department.clone(), out.year);
        let mut note = (out.stage != sel.stage && out.year == sel.year).then(|| {
            format!(
                "{y} 年没有{}数据，已切换到{}",
                sel.stage.label(),
                out.stage.label()
            )
        });
        if !self.is_tabled(&d, y, out.stage) {
            let order: &[Stage] = match out.stage {
                Stage::BudgetInitial => &[Stage::BudgetAdjusted, Stage::Final],
                Stage::BudgetAdjusted => &[Stage::BudgetInitial, Stage::Final],
                Stage::Final => &[Stage::BudgetAdjusted, Stage::BudgetInitial],
            };
            if let Some(s) = order.iter().copied().find(|s| self.is_tabled(&d, y, *s)) {
                note = Some(format!(
                    "{y} 年{}只有正文中的少量数字、没有分类报表，已切换到有报表的{}",
                    out.stage.label(),
                    s.label()
                ));
                out.stage = s;
            }
        }
        Some((out, note))
    }

    /// Make a selection valid: keep what can be kept, otherwise fall back to the nearest.
    pub fn repair(&self, sel: &Selection) -> Option<Selection> {
        let years = self.years(&sel.department);
        if years.is_empty() {
            return self.default_selection();
        }
        let year = if years.contains(&sel.year) {
            sel.year
        } else {
            *years.last()?
        };
        let stages = self.stages(&sel.department, year);
        let stage = if stages.contains(&sel.stage) {
            sel.stage
        } else if stages.contains(&Stage::Final) {
            Stage::Final
        } else {
            *stages.first()?
        };
        Some(Selection {
            department: sel.department.clone(),
            year,
            stage,
        })
    }
}

/// The distinct rows of `columns` of `df`, as one polars plan: text nulls read as `""` (as
/// [`strings`] reads them), rows without a year left out. The catalogue is built from these few
/// rows (a city of a million amount rows has some tens of thousands), not row by row.
fn distinct(df: &DataFrame, columns: &[&str]) -> Result<DataFrame> {
    let text = |c: &str| col(c).fill_null(lit(""));
    Ok(df
        .clone()
        .lazy()
        .filter(col("year").is_not_null())
        .select(
            columns
                .iter()
                .map(|&c| if c == "year" { col(c) } else { text(c) })
                .collect::<Vec<_>>(),
        )
        .unique(None, UniqueKeepStrategy::Any)
        .collect()?)
}

impl Catalog {
    /// The (department, year, stage, scope) of each of `rows` (see [`distinct`]).
    fn add_entries(&mut self, rows: &DataFrame) -> Result<()> {
        let deps = strings(rows, "department")?;
        let years = ints(rows, "year")?;
        let stages = strings(rows, "stage")?;
        let scopes = strings(rows, "scope")?;
        for (((dep, year), stage), scope) in deps.into_iter().zip(years).zip(stages).zip(scopes) {
            let (Some(year), Some(stage)) = (year, Stage::from_key(&stage)) else {
                continue;
            };
            self.entries
                .entry(dep)
                .or_default()
                .entry(year)
                .or_default()
                .entry(stage)
                .or_default()
                .insert(scope);
        }
        Ok(())
    }

    /// The (department, year, unit) of each of `rows` that names a unit.
    fn add_units(&mut self, rows: &DataFrame) -> Result<()> {
        let deps = strings(rows, "department")?;
        let years = ints(rows, "year")?;
        let units = strings(rows, "unit")?;
        for ((dep, year), unit) in deps.into_iter().zip(years).zip(units) {
            if let (Some(year), false) = (year, unit.is_empty()) {
                self.units.entry((dep, year)).or_default().insert(unit);
            }
        }
        Ok(())
    }
}

/// Collect the catalog from every money table of the dataset: the distinct keys of each table
/// (one plan per table; `amounts` once for all three parts), then those few rows.
pub fn catalog(ds: &Dataset) -> Result<Catalog> {
    let mut cat = Catalog::default();
    let t = &ds.tables;
    let amounts = distinct(
        &t.amounts,
        &[
            "department",
            "year",
            "stage",
            "scope",
            "unit",
            "source_table",
        ],
    )?;
    cat.add_entries(&amounts)?;
    cat.add_units(&amounts)?;
    // amounts from published tables, not only from narrative figures
    let (deps, years) = (strings(&amounts, "department")?, ints(&amounts, "year")?);
    let (stages, tables) = (
        strings(&amounts, "stage")?,
        strings(&amounts, "source_table")?,
    );
    for (((dep, year), stage), table) in deps.into_iter().zip(years).zip(stages).zip(tables) {
        if let (Some(year), Some(stage), false) =
            (year, Stage::from_key(&stage), table == NARRATIVE_TABLE)
        {
            cat.tabled.insert((dep, year, stage));
        }
    }
    for df in [&t.revenue, &t.totals, &t.sangong] {
        cat.add_entries(&distinct(df, &["department", "year", "stage", "scope"])?)?;
    }
    for df in [&t.totals, &t.projects] {
        cat.add_units(&distinct(df, &["department", "year", "unit"])?)?;
    }
    Ok(cat)
}
