//! One problem found by a check, whatever found it: the secret subcommands' checks, `lint`,
//! `check`, `kustomize`. Where it is, how serious it is, what is wrong and how to fix it.
//!
//! Findings name files, pipelines, fields and keys, never values. They are rendered by
//! [`super::render`]: as `warning: …` lines on stderr for the secret subcommands, as
//! `FILE: SUBJECT: FIELD: …` report lines for `lint` and `check`.

use super::Error;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information the user asked for or should know (a secret assumed to be on the cluster).
    Note,
    /// Works, but is probably a mistake or only works by accident.
    Warning,
    /// The cluster (pachd, the API server or the kubelet) would refuse or fail on this.
    Error,
}

/// Where a problem is. Every part may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, as shown to the user (`<stdin>` for standard input).
    pub file: String,
    /// What inside the file: `pipeline NAME`, `secret NAME`, `secretGenerator[2] (db)`.
    pub subject: String,
    /// A field path inside the subject: `transform.secrets[0]`, `data.password`.
    pub field: String,
}

/// One problem found by a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Finding {
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            severity,
            location: Location::default(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    pub fn note(message: impl Into<String>) -> Self {
        Self::new(Severity::Note, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The field path the problem is at (`transform.secrets[0]`).
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.location.field = field.into();
        self
    }

    /// The subject the problem is about (`pipeline mnist`), unless it already names one.
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        if self.location.subject.is_empty() {
            self.location.subject = subject.into();
        }
        self
    }

    /// The file the problem is in, unless it already names one.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.location.file.is_empty() {
            self.location.file = file.into();
        }
        self
    }

    /// The report line (see [`super::render::report_line`]) in `file`, about `subject`.
    pub fn line(&self, file: &str, subject: &str) -> String {
        super::render::report_line(&self.clone().in_file(file).about(subject))
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// This finding as the error that ends a run (exit 1), in the report-line form when it
    /// has a location.
    pub fn into_error(self) -> Error {
        Error::rejected_by(self)
    }
}
