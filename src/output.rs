//! The last steps every subcommand shares: `--append-hash`, `--save-config`, the extra checks
//! and warnings, and rendering in the requested format.
//!
//! Nothing is printed here; [`finish`] returns the bytes for stdout and the warnings for
//! stderr, or a [`Failure`], so that stdout stays empty on every error.

use zeroize::Zeroizing;

use crate::checks::{Finding, Severity, Validation, check_secret, check_trailing_newlines};
use crate::config::{OutputFormat, OutputOptions};
use crate::error::{Error, Kind};
use crate::hash::append_hash;
use crate::metadata::check_metadata;
use crate::secret::{Secret, Shape, WriteError};
use crate::sources::Origin;

/// The annotation `--save-config` sets.
pub const LAST_APPLIED_ANNOTATION: &[u8] = b"kubectl.kubernetes.io/last-applied-configuration";

/// A Secret built by a subcommand, with what it knows about where each key came from and
/// the findings of its own checks (tls and docker-registry add theirs).
#[derive(Debug)]
pub struct Built {
    pub secret: Secret,
    pub origins: Vec<(Vec<u8>, Origin)>,
    pub findings: Vec<Finding>,
}

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
    /// The exit status once stdout is written: `Rejected` when a report (`check`, `lint`)
    /// found errors and printed them.
    pub status: crate::error::ExitCode,
}

impl Rendered {
    /// Output that is not a Secret (reports, snippets, patched specs).
    pub fn text(stdout: Vec<u8>, status: crate::error::ExitCode) -> Self {
        Rendered {
            stdout: Payload::Bytes(Zeroizing::new(stdout)),
            warnings: Vec::new(),
            output_file: None,
            secret: None,
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
    pub fn exit_code(&self) -> crate::error::ExitCode {
        if self.errors.iter().any(|e| e.kind == Kind::Usage) {
            crate::error::ExitCode::Usage
        } else {
            crate::error::ExitCode::Rejected
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

/// Applies the shared options to `built` and renders it, in kubectl's order: hash, then the
/// `--save-config` annotation, then printing. Checks run on the final Secret (so a hashed name
/// is checked with its suffix).
pub fn finish(built: Built, options: &OutputOptions) -> Result<Rendered, Failure> {
    let Built {
        mut secret,
        origins,
        findings: mut source_findings,
    } = built;
    if let Some(namespace) = &options.namespace {
        secret.namespace = Some(namespace.clone());
    }
    secret.labels.extend(options.labels.clone());
    secret.annotations.extend(options.annotations.clone());
    if options.immutable.is_some() {
        secret.immutable = options.immutable;
    }
    if options.append_hash {
        append_hash(&mut secret).map_err(source_failure)?;
    }
    if options.save_config {
        let applied = secret
            .to_compact_json(options.shape)
            .map_err(source_failure)?;
        secret
            .annotations
            .insert(LAST_APPLIED_ANNOTATION.to_vec(), applied.to_vec());
    }

    let mut findings = Vec::new();
    if options.checks_enabled() {
        findings.append(&mut source_findings);
        findings.extend(check_secret(&secret));
        findings.extend(check_metadata(&secret));
        findings.extend(check_trailing_newlines(&secret, &origins));
    }
    let (errors, warnings) = sort_findings(findings, options);
    if !errors.is_empty() {
        return Err(Failure { errors, warnings });
    }

    let rendered_secret = secret.clone();
    let stdout = match options.format {
        OutputFormat::Json if secret.has_streamed_values() => {
            Payload::Streamed(Box::new(secret), options.shape)
        }
        OutputFormat::Json => {
            Payload::Bytes(secret.to_json(options.shape).map_err(source_failure)?)
        }
        OutputFormat::Name => Payload::Bytes(name_line(&secret, b"\n")),
        OutputFormat::DryRunMessage => Payload::Bytes(name_line(&secret, b" created (dry run)\n")),
    };
    Ok(Rendered {
        stdout,
        warnings,
        output_file: options.output_file.clone(),
        secret: Some(rendered_secret),
        status: crate::error::ExitCode::Success,
    })
}

/// A failure to read a streamed value while hashing or serializing into memory.
fn source_failure(error: WriteError) -> Failure {
    let message = match error {
        WriteError::Source(message) => message,
        WriteError::Sink(e) => e.to_string(),
    };
    Error::rejected(message).into()
}

/// `-o name`: `secret/NAME` with the raw name bytes; kubectl shows an empty name (possible
/// only for tls) as `<unknown>`.
fn name_line(secret: &Secret, suffix: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(b"secret/".to_vec());
    if secret.name.is_empty() {
        out.extend_from_slice(b"<unknown>");
    } else {
        out.extend_from_slice(&secret.name);
    }
    out.extend_from_slice(suffix);
    out
}

/// Splits findings into errors and warnings according to `--validate` and `--strict`.
fn sort_findings(findings: Vec<Finding>, options: &OutputOptions) -> (Vec<Error>, Vec<Finding>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for finding in findings {
        let fatal = match finding.severity {
            Severity::Error => options.validation == Validation::Strict || options.strict,
            Severity::Warning => options.strict,
        };
        if fatal {
            errors.push(finding.into_error());
        } else {
            warnings.push(finding);
        }
    }
    (errors, warnings)
}
