//! Importing: the worker job and its outcome (a new dataset, the report, or the 补充报告信息
//! form).

#[allow(clippy::wildcard_imports)]
use super::*;

impl App {
    /// Make dataset `index` active: new catalog, every cached result dropped, selection repaired.
    pub(super) fn activate(&mut self, index: usize) {
        let Some(ds) = self.data.datasets.get(index).cloned() else {
            return;
        };
        self.data.active = index;
        self.state.active_dataset = index;
        // built when the dataset was loaded (on the import worker)
        self.data.catalog = match self.data.catalogs.get(index) {
            Some(c) => Arc::clone(c),
            None => Arc::new(match overview::catalog(&ds) {
                Ok(c) => c,
                Err(e) => {
                    self.data.errors.push(format!("数据目录生成失败：{e}"));
                    Catalog::default()
                }
            }),
        };
        self.data.dataset = ds;
        self.pages.clear_results();
        self.state.drill.parent = None;
        self.state.drill.trend_code = None;
        self.state.compare = None;
        self.repair_selection();
    }

    /// Add a loaded dataset and its catalogue (an empty one, with the error shown, if it could
    /// not be built).
    pub(super) fn push_dataset(&mut self, ds: Dataset, catalog: Result<Catalog, String>) {
        let catalog = catalog.unwrap_or_else(|e| {
            self.data.errors.push(format!("数据目录生成失败：{e}"));
            Catalog::default()
        });
        self.data.datasets.push(Arc::new(ds));
        self.data.catalogs.push(Arc::new(catalog));
    }

    /// Import `paths` as one new dataset. A failed import changes nothing but the report shown.
    pub(super) fn open_files(&mut self, paths: &[std::path::PathBuf]) {
        if paths.is_empty() {
            return;
        }
        if let Some(job) = &self.data.job {
            let text = format!("正在导入「{}」，请等它完成或取消后再打开", job.what);
            self.notify(Level::WARNING, text);
            return;
        }
        let options = ask::options_for(paths, &self.state.given);
        self.data.job = Some(jobs::ImportJob::start(paths.to_vec(), options));
    }

    /// Take the finished import, if any: add its dataset or show why it failed. Cheap when
    /// nothing finished (a channel poll), so it runs every frame.
    pub fn poll_jobs(&mut self) {
        let Some(job) = &self.data.job else { return };
        let Some(outcome) = job.poll() else { return };
        let Some(job) = self.data.job.take() else {
            return;
        };
        // a restore of the last session is taken by the restore queue
        let Some(outcome) = self.finish_restore(&job, outcome) else {
            return;
        };
        if job.cancelled() {
            self.notify(Level::INFO, format!("已取消导入「{}」", job.what));
            return;
        }
        match outcome {
            jobs::Outcome::Done(dataset, report) => {
                self.finish_import(&job.paths, dataset, &report);
            }
            jobs::Outcome::Failed(message) => {
                self.data.import_notice = Some(ImportNotice {
                    ok: false,
                    summary: "导入时发生内部错误，当前数据集未改变".to_owned(),
                    report: message,
                    open: true,
                });
                self.notify(Level::ERROR, "导入时发生内部错误，当前数据集未改变");
            }
        }
    }

    /// Block until the running import (if any) and every pending restore have finished and
    /// are taken (tests, the CLI).
    pub fn wait_for_jobs(&mut self) {
        loop {
            self.start_next_restore();
            let Some(job) = &self.data.job else { return };
            job.wait();
            self.poll_jobs();
        }
    }

    pub(super) fn finish_import(
        &mut self,
        paths: &[std::path::PathBuf],
        loaded: Option<jobs::Loaded>,
        report: &crate::ingest::ImportReport,
    ) {
        let text = report.render();
        if let Some(loaded) = loaded {
            let ds = loaded.dataset;
            let name = ds.name.clone();
            let warnings = report.warnings().count();
            self.push_dataset(ds, loaded.catalog);
            self.state.imports.push(paths.to_vec());
            self.state.recent.retain(|r| r.as_slice() != paths);
            self.state.recent.insert(0, paths.to_vec());
            self.state.recent.truncate(8);
            self.activate(self.data.datasets.len() - 1);
            let doubtful: usize = report
                .inputs
                .iter()
                .map(|i| i.verdict_count(crate::ingest::verify::Verdict::Doubtful))
                .sum();
            let unread: usize = report.inputs.iter().map(|i| i.unread).sum();
            let summary = if doubtful > 0 || unread > 0 {
                format!(
                    "已导入「{name}」：{doubtful} 张表存疑、{unread} 处未能读取（警告 {warnings} 条）；已切换到该数据集，存疑的数字标有 ※，请先看导入报告"
                )
            } else {
                format!("已导入「{name}」（警告 {warnings} 条），已切换到该数据集")
            };
            self.data.toasts.push_with(
                if warnings > 0 || doubtful > 0 {
                    Level::WARNING
                } else {
                    Level::Success
                },
                summary.clone(),
                Some(("查看导入报告".to_owned(), Command::ShowImportReport)),
            );
            // a 存疑 or partly unread import is never taken silently: its report opens
            self.data.import_notice = Some(ImportNotice {
                ok: true,
                summary,
                report: text,
                open: doubtful > 0 || unread > 0,
            });
        } else {
            if let Some(form) = ask::AskForm::from_report(paths, report, &self.state.given) {
                // the reports do not print some facts: ask for them instead of guessing
                let names: Vec<String> = form.entries.iter().map(ask::AskEntry::name).collect();
                self.notify(
                    Level::WARNING,
                    format!(
                        "「{}」没有印出部门、年度或报告类型，请补充后导入",
                        names.join("、")
                    ),
                );
                self.data.import_notice = Some(ImportNotice {
                    ok: false,
                    summary: "报告缺少部门、年度或报告类型，尚未导入".to_owned(),
                    report: text,
                    open: false,
                });
                self.ask = Some(form);
                return;
            }
            let summary = format!(
                "导入失败（错误 {} 条），当前数据集未改变",
                report.errors().count()
            );
            self.data.toasts.push_with(
                Level::ERROR,
                summary.clone(),
                Some(("查看导入报告".to_owned(), Command::ShowImportReport)),
            );
            self.data.import_notice = Some(ImportNotice {
                ok: false,
                summary,
                report: text,
                open: true,
            });
        }
    }
}
