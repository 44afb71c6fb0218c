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
use crate::secret::Secret;
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
pub struct Rendered {
    pub stdout: Zeroizing<Vec<u8>>,
    pub warnings: Vec<Finding>,
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
            stdout: Zeroizing::new(stdout),
            warnings: Vec::new(),
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
    if options.append_hash {
        append_hash(&mut secret);
    }
    if options.save_config {
        let applied = secret.to_compact_json(options.shape);
        secret
            .annotations
            .insert(LAST_APPLIED_ANNOTATION.to_vec(), applied.to_vec());
    }

    let mut findings = Vec::new();
    if options.checks_enabled() {
        findings.append(&mut source_findings);
        findings.extend(check_secret(&secret));
        findings.extend(check_trailing_newlines(&secret, &origins));
    }
    let (errors, warnings) = sort_findings(findings, options);
    if !errors.is_empty() {
        return Err(Failure { errors, warnings });
    }

    let stdout = match options.format {
        OutputFormat::Json => secret.to_json(options.shape),
        OutputFormat::Name => name_line(&secret, b"\n"),
        OutputFormat::DryRunMessage => name_line(&secret, b" created (dry run)\n"),
    };
    Ok(Rendered {
        stdout,
        warnings,
        secret: Some(secret),
        status: crate::error::ExitCode::Success,
    })
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
