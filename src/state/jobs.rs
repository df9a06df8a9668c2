//! Background work: an import runs on a named worker thread; the UI polls a channel each frame,
//! shows a progress indicator and can cancel. A panic in the job becomes an error message.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::analysis::overview::Catalog;
use crate::dataset::Dataset;
use crate::ingest::ImportReport;

/// A dataset read by the worker, with its catalogue (departments, years, stages), built on the
/// worker too: on a large dataset it takes as long as the read.
pub struct Loaded {
    pub dataset: Dataset,
    /// The catalogue, or why it could not be built.
    pub catalog: Result<Catalog, String>,
}

impl Loaded {
    /// Build the catalogue of `dataset` (on the calling thread).
    pub fn new(dataset: Dataset) -> Self {
        let catalog = crate::analysis::overview::catalog(&dataset).map_err(|e| e.to_string());
        Self { dataset, catalog }
    }
}

/// What a finished import produced.
pub enum Outcome {
    Done(Option<Loaded>, ImportReport),
    /// The job panicked (or its thread vanished): the message says so.
    Failed(String),
}

/// An import running on the worker thread.
pub struct ImportJob {
    pub paths: Vec<PathBuf>,
    /// What is being imported (file names), for the progress line.
    pub what: String,
    pub started: Instant,
    rx: Receiver<Outcome>,
    /// Set when the user cancels: the result is discarded when it arrives.
    cancelled: Arc<AtomicBool>,
    /// Inputs read so far (inputs are read in parallel; the merge follows).
    files_read: Arc<AtomicUsize>,
    done: Arc<(Mutex<bool>, Condvar)>,
    /// A result received by `poll` before the caller took it.
    ready: Mutex<Option<Outcome>>,
}

impl std::fmt::Debug for ImportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportJob")
            .field("what", &self.what)
            .finish_non_exhaustive()
    }
}

impl ImportJob {
    /// Start importing `paths` on a thread named `fiscal-lens-import`.
    pub fn start(paths: Vec<PathBuf>, options: crate::ingest::ImportOptions) -> Self {
        let (tx, rx) = channel();
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let what = paths
            .iter()
            .map(|p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        let job_paths = paths.clone();
        let job_done = Arc::clone(&done);
        let files_read = Arc::new(AtomicUsize::new(0));
        let job_files_read = Arc::clone(&files_read);
        let spawned = std::thread::Builder::new()
            .name("fiscal-lens-import".to_owned())
            .spawn(move || {
                let on_read = |_: &crate::ingest::import::InputReport| {
                    job_files_read.fetch_add(1, Ordering::SeqCst);
                };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let (ds, report) = Dataset::import_with(&job_paths, &options, &on_read);
                    (ds.map(Loaded::new), report)
                }));
                let outcome = match result {
                    Ok((loaded, report)) => Outcome::Done(loaded, report),
                    Err(panic) => {
                        let detail = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                            .unwrap_or_default();
                        Outcome::Failed(format!("导入线程出错：{detail}"))
                    }
                };
                let _ = tx.send(outcome);
                let (lock, cvar) = &*job_done;
                if let Ok(mut d) = lock.lock() {
                    *d = true;
                }
                cvar.notify_all();
            });
        let job = Self {
            paths,
            what,
            started: Instant::now(),
            rx,
            cancelled: Arc::new(AtomicBool::new(false)),
            files_read,
            done,
            ready: Mutex::new(None),
        };
        if let Err(e) = spawned {
            if let Ok(mut r) = job.ready.lock() {
                *r = Some(Outcome::Failed(format!("无法启动导入线程：{e}")));
            }
            let (lock, cvar) = &*job.done;
            if let Ok(mut d) = lock.lock() {
                *d = true;
            }
            cvar.notify_all();
        }
        job
    }

    /// The outcome, once the job has finished (non-blocking).
    pub fn poll(&self) -> Option<Outcome> {
        if let Ok(mut r) = self.ready.lock()
            && let Some(o) = r.take()
        {
            return Some(o);
        }
        match self.rx.try_recv() {
            Ok(o) => Some(o),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Outcome::Failed("导入线程意外结束".to_owned())),
        }
    }

    /// Block until the job has finished.
    pub fn wait(&self) {
        let (lock, cvar) = &*self.done;
        let Ok(mut d) = lock.lock() else { return };
        while !*d {
            match cvar.wait(d) {
                Ok(g) => d = g,
                Err(_) => return,
            }
        }
    }

    /// (inputs read so far, inputs).
    pub fn progress(&self) -> (usize, usize) {
        (self.files_read.load(Ordering::SeqCst), self.paths.len())
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}
