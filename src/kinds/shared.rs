//! The last steps every subcommand shares: `--append-hash`, `--save-config`, the extra checks
//! and warnings, and rendering in the requested format.
//!
//! Nothing is printed here; [`finish`] returns the bytes for stdout and the warnings for
//! stderr, or a [`Failure`], so that stdout stays empty on every error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::checks::metadata::check_metadata;
use crate::checks::{check_secret, check_size, check_trailing_newlines};
use crate::go::kubectl_hash::append_hash;
use crate::kinds::sources::Origin;
use crate::report::outcome::{Failure, Payload, Rendered};
use crate::report::{Error, Finding, Severity};
use crate::secret::{Secret, Shape, WriteError};

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

/// What to print on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// `-o json`, and pachsecret's default: the manifest.
    Json,
    /// `-o name`: `secret/NAME`.
    Name,
    /// `-o ''`: kubectl's `secret/NAME created (dry run)`.
    DryRunMessage,
}

/// How a built Secret is finished and printed; shared by every subcommand.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    pub append_hash: bool,
    pub validation: Validation,
    pub strict: bool,
    pub format: OutputFormat,
    pub namespace: Option<Vec<u8>>,
    pub save_config: bool,
    pub shape: Shape,
    pub labels: BTreeMap<Vec<u8>, Vec<u8>>,
    pub annotations: BTreeMap<Vec<u8>, Vec<u8>>,
    pub immutable: Option<bool>,
    /// `--output-file`, and whether `--force` allows replacing it.
    pub output_file: Option<(PathBuf, bool)>,
    /// `--snippet-file`: the pipeline fragment for the new secret, written beside it.
    pub snippet_file: Option<crate::pipeline::SnippetFile>,
}

impl OutputOptions {
    /// What a subcommand gets with none of the shared flags (the guided mode uses it).
    pub fn defaults() -> Self {
        OutputOptions {
            append_hash: false,
            validation: Validation::default(),
            strict: false,
            format: OutputFormat::Json,
            namespace: None,
            save_config: false,
            shape: Shape::default(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            immutable: None,
            output_file: None,
            snippet_file: None,
        }
    }

    /// Whether a Secret over 1 MiB is refused, so that no input needs to be read past it.
    pub fn refuses_oversize(&self) -> bool {
        self.checks_enabled() && (self.validation == Validation::Strict || self.strict)
    }

    /// Whether pachsecret's own checks and warnings run at all.
    pub fn checks_enabled(&self) -> bool {
        self.validation != Validation::Ignore
    }
}

/// How `--validate` treats the extra checks. Spelled as kubectl's flag values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Validation {
    /// `strict` / `true` (the default): a failed check is an error; warnings are printed.
    #[default]
    Strict,
    /// `warn`: failed checks are printed as warnings and the Secret is still written.
    Warn,
    /// `ignore` / `false`: no extra checks, no warnings: exactly kubectl's behaviour.
    Ignore,
}

impl Validation {
    /// kubectl's accepted spellings (`GetValidationDirective`: a Go bool first, then the
    /// three names, case-sensitive) and its error for anything else.
    pub fn parse(value: &str) -> Result<Validation, String> {
        match crate::go::pflag::parse_bool(value) {
            Some(true) => return Ok(Validation::Strict),
            Some(false) => return Ok(Validation::Ignore),
            None => {}
        }
        match value {
            "strict" => Ok(Validation::Strict),
            "warn" => Ok(Validation::Warn),
            "ignore" => Ok(Validation::Ignore),
            // kubectl's text minus the value, which may be a misplaced secret.
            _ => Err(
                "invalid - validate option; must be one of: strict (or true), warn, ignore (or false)"
                    .into(),
            ),
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
    // An oversize Secret is refused before the hash or --save-config read its streamed values.
    if options.refuses_oversize() {
        let mut too_large = Vec::new();
        check_size(&secret, &mut too_large);
        if !too_large.is_empty() {
            let (errors, warnings) = sort_findings(too_large, options);
            return Err(Failure { errors, warnings });
        }
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
        side_file: None,
        status: crate::report::ExitCode::Success,
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
            Severity::Note => false,
        };
        if fatal {
            errors.push(finding.into_error());
        } else {
            // Shown as what it now is: a warning (`--validate=warn`), or a note.
            let severity = finding.severity.min(Severity::Warning);
            warnings.push(Finding {
                severity,
                ..finding
            });
        }
    }
    (errors, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_values_follow_kubectl() {
        assert_eq!(Validation::parse("true"), Ok(Validation::Strict));
        assert_eq!(Validation::parse("F"), Ok(Validation::Ignore));
        assert_eq!(Validation::parse("ignore"), Ok(Validation::Ignore));
        assert!(Validation::parse("IGNORE").is_err());
        assert_eq!(
            Validation::parse("bogus"),
            Err("invalid - validate option; must be one of: strict (or true), warn, ignore (or false)".into())
        );
    }
}
