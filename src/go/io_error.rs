//! The text Go prints for an I/O error (`syscall.Errno.Error()`, Go 1.22–1.24 `zerrors_linux_*.go`).
//!
//! kubectl reports file errors with Go's wording (`open x: no such file or directory`), which is
//! what its users search for; Rust's own text capitalises and adds ` (os error 2)`.

use std::io;

/// The text Go would print for an I/O error (`no such file or directory`), which is what
/// kubectl users know; Rust's own text adds ` (os error 2)` and capitalises.
pub fn go_io_reason(err: &io::Error) -> String {
    let known = match err.raw_os_error() {
        Some(1) => Some("operation not permitted"),
        Some(2) => Some("no such file or directory"),
        Some(5) => Some("input/output error"),
        Some(13) => Some("permission denied"),
        Some(20) => Some("not a directory"),
        Some(21) => Some("is a directory"),
        Some(24) => Some("too many open files"),
        Some(36) => Some("file name too long"),
        Some(40) => Some("too many levels of symbolic links"),
        _ => None,
    };
    match known {
        Some(text) => text.to_string(),
        None => {
            let text = err.to_string();
            let text = match text.find(" (os error") {
                Some(i) => &text[..i],
                None => &text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_read_like_go() {
        let missing = io::Error::from_raw_os_error(2);
        assert_eq!(go_io_reason(&missing), "no such file or directory");
        let other = io::Error::from_raw_os_error(28);
        assert_eq!(go_io_reason(&other), "no space left on device");
    }
}
