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
