//! Recomputing the cached analysis results the current view needs (once per frame, only on a
//! change of their key).

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn cache<K: PartialEq + Clone, T>(
    computations: &mut u64,
    slot: &mut Option<Cached<K, T>>,
    key: K,
    compute: impl FnOnce() -> crate::Result<T>,
) {
    if slot.as_ref().is_some_and(|c| c.key == key) {
        return;
    }
    *computations += 1;
    *slot = Some(Cached {
        key,
        value: compute().map_err(|e| e.to_string()),
    });
}

impl App {
    /// Recompute the cached results the current view needs, where their inputs changed. Cheap
    /// (a key comparison) when nothing changed, so it may run every frame.
    pub fn refresh(&mut self) {
        let Some(sel) = self.selection() else {
            return;
        };
        let data = &mut self.data;
        let ds = Arc::clone(&data.dataset);
        match self.state.route {
            Route::Overview => {
                let cat = &data.catalog;
                cache(
                    &mut data.computations,
                    &mut data.overview,
                    sel.clone(),
                    || overview::overview(&ds, cat, &sel),
                );
            }
            Route::Sangong => {
                cache(
                    &mut data.computations,
                    &mut data.sangong,
                    sel.department.clone(),
                    || sangong::sangong_trend(&ds, &sel.department),
                );
            }
            Route::Branches => {
                cache(
                    &mut data.computations,
                    &mut data.branches,
                    (sel.department.clone(), sel.year),
                    || {
                        Ok(BranchData {
                            years: branches::project_years(&ds, &sel.department)?,
                            report: branches::branch_report(&ds, &sel.department, sel.year)?,
                        })
                    },
                );
            }
            Route::Structure => {
                let cat = &data.catalog;
                let fund = self.state.fund;
                cache(
                    &mut data.computations,
                    &mut data.structure,
                    (sel.clone(), fund),
                    || structure::structure_report(&ds, cat, &sel, fund),
                );
                if let Some(other) = &self.state.compare {
                    cache(
                        &mut data.computations,
                        &mut data.compare,
                        (other.clone(), fund),
                        || structure::structure(&ds, cat, other, fund),
                    );
                }
            }
            Route::Drill => {
                let Some(q) = self.drill_query() else { return };
                let data = &mut self.data;
                // The year → scope map is built only when a result must be recomputed.
                let cat = &data.catalog;
                cache(&mut data.computations, &mut data.drill, q.clone(), || {
                    let (query, notes) = drill::resolve(&ds, &q)?;
                    let scopes = cat.year_scopes(&q.department);
                    let table = drill::drill_table(&ds, &query, &scopes)?;
                    Ok(DrillData {
                        query,
                        notes,
                        table,
                    })
                });
                let resolved = match data.drill.as_ref().map(|c| &c.value) {
                    Some(Ok(d)) => d.query.clone(),
                    _ => q.clone(),
                };
                let code = self
                    .state
                    .drill
                    .trend_code
                    .clone()
                    .or_else(|| resolved.parent.clone());
                let top = DrillQuery {
                    parent: None,
                    ..resolved
                };
                cache(
                    &mut data.computations,
                    &mut data.code_trend,
                    (top.clone(), code.clone()),
                    || {
                        let scopes = cat.year_scopes(&top.department);
                        drill::code_trend(&ds, &top, code.as_ref(), &scopes)
                    },
                );
            }
            Route::Checks => {
                let name = ds.name.clone();
                cache(&mut data.computations, &mut data.checks, name, || {
                    checks::check(&ds)
                });
            }
            Route::Progress => {
                cache(
                    &mut data.computations,
                    &mut data.quarterly,
                    (sel.department.clone(), sel.year),
                    || {
                        Ok(QuarterData {
                            years: quarterly::quarterly_years(&ds, &sel.department)?,
                            rows: quarterly::quarterly(&ds, &sel.department, sel.year)?,
                        })
                    },
                );
            }
        }
    }
}
