//! One problem found by a check.

use super::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Likely a mistake; the output is still right for what was asked.
    Warning,
    /// The cluster would refuse this Secret.
    Error,
}

/// One problem found by a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
}

impl Finding {
    pub fn error(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn warning(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn into_error(self) -> Error {
        let error = Error::rejected(self.message);
        match self.hint {
            Some(hint) => error.hint(hint),
            None => error,
        }
    }
}
