//! Running a third-party parser on untrusted input so that a panic inside it becomes an error
//! of that input instead of taking the app down, without printing a crash report for it: the
//! panic is expected and reported as a located error by the caller.
//!
//! [`install_quiet_hook`] (called once by the binary) wraps the panic hook: a panic inside
//! [`contained`] is logged at debug level instead of printed; every other panic is printed as
//! before.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

/// Run `f`; `None` when it panicked. See the module doc.
pub fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    INSIDE.with(|d| d.set(d.get().saturating_add(1)));
    let result = catch_unwind(AssertUnwindSafe(f)).ok();
    INSIDE.with(|d| d.set(d.get().saturating_sub(1)));
    result
}

/// Make panics inside [`contained`] quiet (logged at debug level); others print as before.
pub fn install_quiet_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if INSIDE.with(Cell::get) > 0 {
            log::debug!("读取器内部异常（已作为该输入的错误报告）：{info}");
        } else {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_depth_is_restored() {
        assert_eq!(contained(|| 7), Some(7));
        assert_eq!(contained(|| -> u8 { panic!("parser bug") }), None);
        assert_eq!(INSIDE.with(Cell::get), 0);
    }
}
