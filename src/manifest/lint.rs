//! `pachsecret lint`: hand-written Secret manifests, checked as pachd and the API server will
//! read them ([`crate::manifest::reader`]), and `--fix`: the same Secret rewritten in exactly
//! kubectl's form ([`crate::secret::Secret::to_json`]).

use crate::io::atomic::{Existing, write_bytes};
use crate::io::input::{self, Limit, ensure_stdin_once, file_label};
use crate::manifest::reader::read_manifest;
use crate::report::Severity;
use crate::report::outcome::{Failure, Rendered};
use crate::report::{Error, ExitCode, Result, render};
use crate::secret::Shape;

/// `lint`, ready to run.
#[derive(Debug)]
pub struct LintConfig {
    pub manifests: Vec<std::path::PathBuf>,
    /// Rewrite valid manifests in kubectl's form (`--fix`).
    pub fix: bool,
}

pub fn lint(args: &LintConfig) -> Result<Rendered, Failure> {
    ensure_stdin_once(&args.manifests)?;
    if args.fix && args.manifests.iter().any(|p| p.as_os_str() == "-") {
        if args.manifests.len() > 1 {
            return Err(Error::usage(
                "lint --fix - prints the fixed manifest, so it takes one input",
            )
            .hint("fix files in place with `lint --fix FILE...`, or run `lint --fix -` on its own")
            .into());
        }
        return fix_stdin();
    }

    // Every file gets its report, whatever happens to the others: a file that cannot be read
    // or rewritten is a line of the report (and exit 1), not the end of the run.
    let mut stdout = String::new();
    let mut any_error = false;
    for path in &args.manifests {
        let file = file_label(path);
        let input = match input::read("the MANIFEST argument", path, Limit::DOCUMENT) {
            Ok(input) => input,
            Err(error) => {
                stdout.push_str(&render::report_line(&error.finding));
                stdout.push('\n');
                any_error = true;
                continue;
            }
        };
        let report = read_manifest(&input);
        let subject = report.subject();
        for d in &report.diagnostics {
            stdout.push_str(&d.line(&file, &subject));
            stdout.push('\n');
        }
        any_error |= report.has_errors();
        if args.fix
            && !report.has_errors()
            && let Some(secret) = &report.secret
        {
            let fixed = secret.to_json(Shape::default()).map_err(to_error)?;
            if fixed.as_slice() != input.as_slice() {
                match write_bytes(path, "lint --fix", Existing::ReplaceKeepingMode, &fixed) {
                    Ok(()) => stdout.push_str(&format!("{file}: rewritten in kubectl's form\n")),
                    Err(error) => {
                        stdout.push_str(&render::report_line(&error.finding));
                        stdout.push('\n');
                        any_error = true;
                    }
                }
            }
        }
    }
    let status = if any_error {
        ExitCode::Rejected
    } else {
        ExitCode::Success
    };
    Ok(Rendered::text(stdout.into_bytes(), status))
}

/// `lint --fix -`: the fixed manifest on stdout, the findings on stderr.
fn fix_stdin() -> Result<Rendered, Failure> {
    let input = input::read_stdin("the MANIFEST argument", Limit::DOCUMENT)?;
    let report = read_manifest(&input);
    let subject = report.subject();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for d in &report.diagnostics {
        let located = d.clone().in_file("<stdin>").about(subject.clone());
        match d.severity {
            Severity::Error => errors.push(located.into_error()),
            Severity::Warning | Severity::Note => warnings.push(located),
        }
    }
    match &report.secret {
        Some(secret) if errors.is_empty() => {
            // Move the buffer out rather than copy it: a copy would not be zeroized.
            let mut json = secret.to_json(Shape::default()).map_err(to_error)?;
            let mut rendered = Rendered::text(std::mem::take(&mut *json), ExitCode::Success);
            rendered.warnings = warnings;
            Ok(rendered)
        }
        _ => Err(Failure { errors, warnings }),
    }
}

/// A manifest read from JSON holds its values in memory, so writing it cannot fail on a
/// source; this keeps the types honest all the same.
fn to_error(error: crate::secret::WriteError) -> Error {
    match error {
        crate::secret::WriteError::Source(message) => Error::rejected(message),
        crate::secret::WriteError::Sink(e) => Error::rejected(e.to_string()),
    }
}
