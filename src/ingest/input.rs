//! Reading an input file within bounds: only regular files (a FIFO would block forever, a device
//! such as `/dev/zero` never ends, a folder is not a file), and no more than a size cap, checked
//! before reading and enforced while reading (a file that grows, or reports no size, cannot
//! exceed it either).

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};

/// The default cap on one input file: 2 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 2 << 30;

/// `n` bytes in words (`1.5 MB`, `2 GB`).
pub fn size_text(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let whole = n / size;
            let tenth = (n % size) * 10 / size;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{n} 字节")
}

/// Whether `path` is something other than a regular file (following links), said in words.
pub fn not_a_regular_file(path: &Path) -> Option<&'static str> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return None;
    }
    if meta.is_dir() {
        return Some("是文件夹，不是文件");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("是命名管道（FIFO），不是普通文件");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("是设备文件，不是普通文件");
        }
        if t.is_socket() {
            return Some("是套接字，不是普通文件");
        }
    }
    Some("不是普通文件")
}

/// The regular file at `path` opened for reading, with its size, if it is at most `max` bytes.
/// Read it through `take(max + 1)` and check what was read with [`check_read`]: a file can grow.
pub fn open_file(path: &Path, max: u64) -> Result<(std::fs::File, u64)> {
    if let Some(what) = not_a_regular_file(path) {
        return Err(Error::Malformed {
            location: Location::file(path.display().to_string()),
            message: format!("{what}，未读取"),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let declared = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if declared > max {
        return Err(too_large(path, &size_text(declared), max));
    }
    Ok((file, declared))
}

/// An error if `read` bytes of the file at `path` are more than `max` (it grew while read).
pub fn check_read(path: &Path, read: u64, max: u64) -> Result<()> {
    if read > max {
        return Err(too_large(path, &format!("超过 {}", size_text(max)), max));
    }
    Ok(())
}

fn too_large(path: &Path, size: &str, max: u64) -> Error {
    Error::Malformed {
        location: Location::file(path.display().to_string()),
        message: format!(
            "文件大小 {size} 超过每个输入 {} 的上限，未读取（命令行可用 --max-file-mb 调整）",
            size_text(max)
        ),
    }
}

/// The whole content of the regular file at `path`, if it is at most `max` bytes.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>> {
    let (file, declared) = open_file(path, max)?;
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    check_read(path, bytes.len() as u64, max)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn regular_files_within_the_cap_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_file(&file, 10).unwrap(), b"0123456789");
        let e = read_file(&file, 9).unwrap_err().to_string();
        assert!(
            e.contains("a.txt") && e.contains("10 字节") && e.contains("上限"),
            "{e}"
        );
        let e = read_file(dir.path(), 100).unwrap_err().to_string();
        assert!(e.contains("是文件夹"), "{e}");
        #[cfg(unix)]
        {
            // a device that never ends, and a link to it
            let e = read_file(Path::new("/dev/zero"), 100)
                .unwrap_err()
                .to_string();
            assert!(e.contains("设备文件"), "{e}");
            let link = dir.path().join("zero.csv");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            let e = read_file(&link, 100).unwrap_err().to_string();
            assert!(e.contains("zero.csv") && e.contains("设备文件"), "{e}");
            // a FIFO with no writer: refused without opening it (opening would block)
            let fifo = dir.path().join("pipe.txt");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = read_file(&fifo, 100).unwrap_err().to_string();
                assert!(e.contains("命名管道"), "{e}");
            }
        }
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_text(512), "512 字节");
        assert_eq!(size_text(1536), "1.5 KB");
        assert_eq!(size_text(DEFAULT_MAX_FILE_BYTES), "2 GB");
    }
}
