//! Errors as the user sees them, and the exit-code contract.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | input rejected: a file, key, value or check failed |
//! | 2 | usage: the command line itself is wrong (clap's errors use 2 as well) |
//!
//! Messages name the flag, file or key and say how to fix it. They never contain a secret
//! value: only key names, paths and positions.

use std::fmt;
use std::io;
use std::path::Path;

/// Process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Rejected = 1,
    Usage = 2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command line is malformed: exit 2.
    Usage,
    /// The input was read but rejected: exit 1.
    Rejected,
}

/// An error message, optionally followed by a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            message: message.into(),
            hint: None,
        }
    }

    pub fn rejected(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Rejected,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            Kind::Usage => ExitCode::Usage,
            Kind::Rejected => ExitCode::Rejected,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

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

/// A path as it may be shown on a terminal: lossy UTF-8, with control characters escaped so
/// that a file name cannot inject terminal escape sequences into stderr.
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    display_bytes(path.as_os_str().as_bytes())
}

/// Bytes (a key, a path) made safe for a terminal: see [`display_path`].
pub fn display_bytes(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if !text.chars().any(char::is_control) {
        return text.into_owned();
    }
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
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

    #[test]
    fn control_characters_in_paths_are_escaped() {
        assert_eq!(display_bytes(b"a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(display_bytes(b"plain/path"), "plain/path");
    }

    #[test]
    fn hints_follow_the_message() {
        let e = Error::rejected("bad").hint("do this");
        assert_eq!(e.to_string(), "bad\n  hint: do this");
        assert_eq!(e.exit_code(), ExitCode::Rejected);
        assert_eq!(Error::usage("x").exit_code(), ExitCode::Usage);
    }
}
