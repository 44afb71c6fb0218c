//! What a run produced: the bytes for stdout, the warnings for stderr, and the exit status.

use zeroize::Zeroizing;

use super::{Error, Finding, Kind};
use crate::secret::{Secret, Shape, WriteError};

/// What a successful run prints.
#[derive(Debug)]
pub enum Payload {
    /// Complete output, written in one go.
    Bytes(Zeroizing<Vec<u8>>),
    /// A manifest with large file values, written as it is produced (memory stays flat).
    Streamed(Box<Secret>, Shape),
}

impl Payload {
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> Result<(), WriteError> {
        match self {
            Payload::Bytes(bytes) => out.write_all(bytes).map_err(WriteError::Sink),
            Payload::Streamed(secret, shape) => secret.write_json(*shape, out),
        }
    }
}

/// What a successful run prints.
#[derive(Debug)]
pub struct Rendered {
    pub stdout: Payload,
    pub warnings: Vec<Finding>,
    /// Where `stdout` goes instead of standard output (`--output-file`), and whether it may
    /// replace an existing file.
    pub output_file: Option<(std::path::PathBuf, bool)>,
    /// The Secret that was rendered, for steps that run after it (the `--snippet-file` hook).
    pub secret: Option<Secret>,
    /// A second file to write once the main output is written (`--snippet-file`): never
    /// before, so a refused `-O` or a full disk leaves no new snippet behind.
    pub side_file: Option<SideFile>,
    /// The exit status once stdout is written: `Rejected` when a report (`check`, `lint`)
    /// found errors and printed them.
    pub status: crate::report::ExitCode,
}

/// A file written after the main output, with the same rules as `-O`.
#[derive(Debug)]
pub struct SideFile {
    pub path: std::path::PathBuf,
    /// The flag that named it, for messages (`--snippet-file`).
    pub flag: &'static str,
    /// `--force`: an existing file may be replaced.
    pub force: bool,
    pub bytes: Vec<u8>,
}

impl Rendered {
    /// Output that is not a Secret (reports, snippets, patched specs).
    pub fn text(stdout: Vec<u8>, status: crate::report::ExitCode) -> Self {
        Rendered {
            stdout: Payload::Bytes(Zeroizing::new(stdout)),
            warnings: Vec::new(),
            output_file: None,
            secret: None,
            side_file: None,
            status,
        }
    }
}

/// Why a run failed, with the warnings found before it did.
#[derive(Debug)]
pub struct Failure {
    pub errors: Vec<Error>,
    pub warnings: Vec<Finding>,
}

impl Failure {
    /// Usage errors win: exit 2 if any, else 1.
    pub fn exit_code(&self) -> crate::report::ExitCode {
        if self.errors.iter().any(|e| e.kind == Kind::Usage) {
            crate::report::ExitCode::Usage
        } else {
            crate::report::ExitCode::Rejected
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            errors: vec![error],
            warnings: Vec::new(),
        }
    }
}
