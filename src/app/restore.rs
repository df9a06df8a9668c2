//! Restoring the last session's imports: after the first frame, one at a time on the import
//! worker (the window is up and responsive meanwhile). A file that is gone or no longer imports
//! is reported and dropped from the saved list. Before each restore a marker file names it and
//! after it the marker is removed: if the app dies while restoring (a file that exhausts memory
//! aborts the process), the next start finds the marker, does not open that file again and says
//! so — one bad file cannot make every start crash.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::path::{Path, PathBuf};

/// The last session's imports still to restore, and what to restore with them.
#[derive(Debug, Default)]
pub struct Restore {
    /// (position in the saved list, 1-based as dataset index, inputs), in order.
    pub(super) queue: VecDeque<(usize, Vec<PathBuf>)>,
    /// The one running on the worker.
    pub(super) current: Option<(usize, Vec<PathBuf>)>,
    /// The dataset that was active (its index in the saved session).
    pub(super) wanted: usize,
    pub(super) selection: Option<Selection>,
    pub(super) drill: DrillState,
}

/// Where the marker of a restore in progress is kept (beside eframe's state file).
pub fn marker_path(storage_dir: &Path) -> PathBuf {
    storage_dir.join("restoring.json")
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("、")
}

impl App {
    /// Queue the last session's imports for restoring (started by the next frame, one at a
    /// time on the worker). Inputs named by a marker left by a restore that never finished are
    /// dropped and reported instead.
    pub fn restore_imports(&mut self) {
        let saved = std::mem::take(&mut self.state.imports);
        let mut restore = Restore {
            wanted: self.state.active_dataset,
            selection: self.selection(),
            drill: self.state.drill.clone(),
            ..Restore::default()
        };
        let crashed: Option<Vec<PathBuf>> = self.marker.as_ref().and_then(|m| {
            let text = std::fs::read_to_string(m).ok()?;
            serde_json::from_str(&text).ok()
        });
        for (i, paths) in saved.into_iter().enumerate() {
            if crashed.as_ref() == Some(&paths) {
                let text = format!(
                    "上次启动时重新打开 {} 未能完成（程序意外退出），本次不再自动打开；如需要请手动打开",
                    names(&paths)
                );
                self.notify(Level::ERROR, text);
                continue;
            }
            restore.queue.push_back((i + 1, paths));
        }
        self.clear_marker();
        self.restore = (!restore.queue.is_empty()).then_some(restore);
    }

    /// Import `paths` (named on the command line) as the dataset to show: the last session's
    /// imports are still restored after it, but none of them is made active again.
    pub fn open_on_start(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if let Some(restore) = &mut self.restore {
            // 0 is the built-in dataset, never a restored one
            restore.wanted = 0;
        }
        self.execute(ctx, Command::OpenFiles(paths));
    }

    /// Start the next queued restore when the worker is free (each frame calls this; so does
    /// [`App::wait_for_jobs`]).
    pub fn start_next_restore(&mut self) {
        if self.data.job.is_some() {
            return;
        }
        let Some(restore) = &mut self.restore else {
            return;
        };
        let Some((i, paths)) = restore.queue.pop_front() else {
            self.restore = None;
            return;
        };
        restore.current = Some((i, paths.clone()));
        if let Some(m) = &self.marker
            && let Ok(text) = serde_json::to_string(&paths)
        {
            // best effort: without a marker a crash here would only repeat once more
            let _ = crate::ingest::write::write_file_atomic(text.as_bytes(), m);
        }
        let options = ask::options_for(&paths, &self.state.given);
        self.data.job = Some(jobs::ImportJob::start(paths, options));
    }

    /// If `job` is the running restore, take its outcome (add the dataset, or report and drop
    /// it) and return `None`; otherwise give the outcome back.
    pub(super) fn finish_restore(
        &mut self,
        job: &jobs::ImportJob,
        outcome: jobs::Outcome,
    ) -> Option<jobs::Outcome> {
        let Some(restore) = self.restore.as_mut() else {
            return Some(outcome);
        };
        if restore.current.as_ref().map(|(_, p)| p) != Some(&job.paths) {
            return Some(outcome);
        }
        let (i, paths) = restore.current.take()?;
        self.clear_marker();
        let error = match outcome {
            jobs::Outcome::Done(Some(loaded), _) => {
                self.push_dataset(loaded.dataset, loaded.catalog);
                self.state.imports.push(paths);
                let index = self.data.datasets.len() - 1;
                let restore = self.restore.as_mut()?;
                if restore.wanted == i {
                    let (selection, drill) = (restore.selection.clone(), restore.drill.clone());
                    // where it was pushed: after any dataset imported meanwhile
                    self.activate(index);
                    if let Some(sel) = &selection {
                        self.select(sel);
                    }
                    self.state.drill = drill;
                }
                return None;
            }
            _ if job.cancelled() => "已取消".to_owned(),
            jobs::Outcome::Done(None, report) => report
                .errors()
                .next()
                .map(ToString::to_string)
                .unwrap_or_default(),
            jobs::Outcome::Failed(message) => message,
        };
        self.notify(
            Level::ERROR,
            format!("无法重新打开 {}：{error}", names(&paths)),
        );
        None
    }

    fn clear_marker(&self) {
        if let Some(m) = &self.marker {
            // absent is fine
            let _ = std::fs::remove_file(m);
        }
    }
}
