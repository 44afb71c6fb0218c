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

use super::{Finding, Severity};

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

/// The problem that ends a run: a [`Finding`] of severity error, and whether it is about the
/// command line (exit 2) or the input (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    /// Boxed: errors travel through every `Result`, and a finding is five strings.
    pub finding: Box<Finding>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            finding: Box::new(Finding::error(message)),
        }
    }

    pub fn rejected(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Rejected,
            finding: Box::new(Finding::error(message)),
        }
    }

    /// A finding that makes the run fail (exit 1), located as it was found.
    pub fn rejected_by(finding: Finding) -> Self {
        Error {
            kind: Kind::Rejected,
            finding: Box::new(Finding {
                severity: Severity::Error,
                ..finding
            }),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.finding.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            Kind::Usage => ExitCode::Usage,
            Kind::Rejected => ExitCode::Rejected,
        }
    }
}

impl std::ops::Deref for Error {
    type Target = Finding;

    fn deref(&self) -> &Finding {
        &self.finding
    }
}

/// The message and its hint, as printed after `error: `.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::render::message_with_hint(&self.finding))
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_the_message() {
        let e = Error::rejected("bad").hint("do this");
        assert_eq!(e.to_string(), "bad\n  hint: do this");
        assert_eq!(e.exit_code(), ExitCode::Rejected);
        assert_eq!(Error::usage("x").exit_code(), ExitCode::Usage);
    }
}
