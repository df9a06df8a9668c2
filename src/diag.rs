//! Diagnostics at debug level (`RUST_LOG=fiscal_lens=debug`), for finding which step of a
//! command holds the most memory (docs/BENCHMARKS.md).

/// The process's resident memory now, the part of it that maps files, and its peak, in kB
/// (Linux: /proc/self/status; `None` elsewhere).
pub fn memory_kb() -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find_map(|l| l.strip_prefix(name))?;
        line.trim().trim_end_matches("kB").trim().parse().ok()
    };
    Some((field("VmRSS:")?, field("RssFile:")?, field("VmHWM:")?))
}

/// Log the resident and peak memory after `step`, at debug level only (with the resident
/// memory that maps files, such as a CSV file the reader mapped).
pub fn log_memory(step: &str) {
    if !log::log_enabled!(log::Level::Debug) {
        return;
    }
    if let Some((resident, file, peak)) = memory_kb() {
        log::debug!(
            "memory after {step}: resident {resident} kB ({file} kB of files), peak {peak} kB"
        );
    }
}

/// A stopwatch whose laps are logged at debug level, each as `{prefix}: {what} {seconds} s cpu
/// {seconds}`: the wall time of each step of a long command and the CPU time of the whole
/// process (all its threads) meanwhile (docs/BENCHMARKS.md).
pub struct Laps {
    last: std::time::Instant,
    cpu: f64,
    prefix: &'static str,
}

/// CPU seconds of the process so far (user + system; Linux, 10 ms ticks).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let u: f64 = f.get(11)?.parse().ok()?;
            let k: f64 = f.get(12)?.parse().ok()?;
            Some((u + k) / 100.0)
        })
        .unwrap_or(0.0)
}

impl Laps {
    pub fn new(prefix: &'static str) -> Self {
        Self {
            last: std::time::Instant::now(),
            cpu: cpu_seconds(),
            prefix,
        }
    }

    /// Log the time since the last lap (or the start) as `what`'s.
    pub fn lap(&mut self, what: &str) {
        let now = std::time::Instant::now();
        let cpu = cpu_seconds();
        log::debug!(
            "{}: {what} {:.3} s cpu {:.2}",
            self.prefix,
            (now - self.last).as_secs_f64(),
            cpu - self.cpu
        );
        self.last = now;
        self.cpu = cpu;
    }
}

/// `lf` collected; with `FISCAL_LENS_PROFILE` set in the environment, by polars' profiler,
/// each node's time logged at debug level as `profile {label} | {node} | {microseconds}` (the
/// step of a plan that costs most: docs/BENCHMARKS.md).
pub fn collect(
    lf: polars::prelude::LazyFrame,
    label: &str,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::DataType;
    if std::env::var_os("FISCAL_LENS_PROFILE").is_none() || !log::log_enabled!(log::Level::Debug) {
        return lf.collect();
    }
    let (df, profile) = lf.profile()?;
    let nodes = profile.column("node")?.str()?.clone();
    let start = profile.column("start")?.cast(&DataType::UInt64)?;
    let end = profile.column("end")?.cast(&DataType::UInt64)?;
    for ((node, start), end) in nodes.iter().zip(start.u64()?.iter()).zip(end.u64()?.iter()) {
        log::debug!(
            "profile {label} | {} | {}",
            node.unwrap_or(""),
            end.unwrap_or(0).saturating_sub(start.unwrap_or(0))
        );
    }
    Ok(df)
}
