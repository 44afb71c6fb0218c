//! Wiring secrets into Pachyderm pipeline specs: `snippet`, `patch`, `check`, and the
//! `--snippet-file` hook of the secret-creating subcommands.
//!
//! [`fragment`] is the `transform` model and its JSON; [`mapping`] turns secrets and flags
//! into a fragment; [`spec`] finds specs in a file and patches them byte-exactly; [`check`]
//! holds the rules a worker pod would enforce.

pub mod check;
pub mod fragment;
pub mod mapping;
pub mod spec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::io::atomic::{Existing, write_bytes};
use crate::io::input::{self, Limit, ensure_stdin_once, file_label};
use crate::manifest::reader::read_manifest;
use crate::report::outcome::{Failure, Rendered, SideFile};
use crate::report::text::quoted;
use crate::report::{Error, ExitCode, Result};
use crate::report::{Finding, Severity};

use check::{Catalog, KnownSecret, check_transform, read_transform, subject};
use fragment::Naming;
pub use mapping::Mapping;
use mapping::build_fragment;
use spec::{apply_edits, detect_naming, patch_edits, read_specs};

/// `snippet`, ready to run.
#[derive(Debug)]
pub struct SnippetConfig {
    pub manifests: Vec<PathBuf>,
    pub mapping: Mapping,
}

/// `patch`, ready to run.
#[derive(Debug)]
pub struct PatchConfig {
    pub spec: PathBuf,
    pub secrets: Vec<PathBuf>,
    pub pipeline: Option<String>,
    pub in_place: bool,
    pub mapping: Mapping,
}

/// `check`, ready to run.
#[derive(Debug)]
pub struct CheckConfig {
    pub specs: Vec<PathBuf>,
    pub secrets: Vec<PathBuf>,
    pub on_cluster: Vec<String>,
}

/// `--snippet-file` on a secret subcommand: where to write the fragment for the new secret.
#[derive(Debug, Clone)]
pub struct SnippetFile {
    pub path: PathBuf,
    pub mapping: Mapping,
    /// `--force`: an existing file may be replaced.
    pub force: bool,
}

/// `pachsecret snippet`.
pub fn snippet(args: &SnippetConfig) -> Result<Rendered, Failure> {
    ensure_stdin_once(args.manifests.iter())?;
    let secrets = load_secrets(&args.manifests, "the MANIFEST argument")?;
    let fragment = build_fragment(&secrets, &args.mapping)?;
    let naming = naming(args.mapping.camel_case);
    Ok(Rendered::text(
        fragment.to_snippet(naming).into_bytes(),
        ExitCode::Success,
    ))
}

/// `pachsecret patch`.
pub fn patch(args: &PatchConfig) -> Result<Rendered, Failure> {
    ensure_stdin_once(std::iter::once(&args.spec).chain(&args.secrets))?;
    if args.in_place && args.spec.as_os_str() == "-" {
        return Err(Error::usage("--in-place cannot rewrite standard input")
            .hint("give the spec's path, or drop --in-place and redirect stdout")
            .into());
    }
    let secrets = load_secrets(&args.secrets, "--secret")?;
    let fragment = build_fragment(&secrets, &args.mapping)?;
    let shown_spec = file_label(&args.spec);
    let input = input::read("the SPEC argument", &args.spec, Limit::DOCUMENT)?;
    let file = read_specs(&input, &shown_spec)?;

    let targets: Vec<usize> = match &args.pipeline {
        Some(name) => {
            let found: Vec<usize> = (0..file.specs.len())
                .filter(|&i| subject(&file.specs[i], i) == format!("pipeline {name}"))
                .collect();
            if found.is_empty() {
                return Err(Error::rejected(format!(
                    "{shown_spec} has no pipeline named {}",
                    quoted(name)
                ))
                .hint(format!("its pipelines: {}", pipeline_names(&file.specs)))
                .into());
            }
            found
        }
        None if file.specs.len() == 1 => vec![0],
        None => {
            return Err(Error::usage(format!(
                "{shown_spec} holds {} pipeline specs; say which one to patch",
                file.specs.len()
            ))
            .hint(format!(
                "add --pipeline NAME (one of: {})",
                pipeline_names(&file.specs)
            ))
            .into());
        }
    };

    let mut edits = Vec::new();
    for &i in &targets {
        let spec = &file.specs[i];
        let naming = if args.mapping.camel_case {
            Naming::Camel
        } else {
            detect_naming(spec)
        };
        let spec_edits = patch_edits(&input, spec, &fragment, naming).map_err(|e| {
            Error::rejected(format!("{shown_spec}: {}: {}", subject(spec, i), e.message))
        })?;
        edits.extend(spec_edits);
    }
    let output = apply_edits(&input, edits);

    // The patched spec must still be readable, and its secrets right as far as we know them:
    // a problem the patch introduced (a variable that now clashes with transform.env, a path
    // already mounted) fails the run; one the spec already had is only reported.
    let catalog = Catalog {
        secrets,
        on_cluster: Vec::new(),
        assume_unknown_exist: true,
    };
    let patched = read_specs(&output, &shown_spec)?;
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for &i in &targets {
        let spec_subject = subject(&patched.specs[i], i);
        let before = problems(&file.specs[i], &catalog);
        for d in problems(&patched.specs[i], &catalog) {
            let line = d.line(&shown_spec, &spec_subject);
            if d.severity == Severity::Error && !before.contains(&d) {
                errors.push(Error::rejected(format!("the patch would break the spec: {line}")).hint(
                    "change the mapping (--env VAR=KEY, --mount SECRET=PATH) or the conflicting part of the spec",
                ));
            } else {
                warnings.push(crate::report::Finding::warning(line).hint("the spec already had this problem; fix it by hand, then run `pachsecret check`"));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Failure { errors, warnings });
    }

    if args.in_place {
        if output != input.as_slice() {
            write_bytes(
                &args.spec,
                "patch --in-place",
                Existing::ReplaceKeepingMode,
                &output,
            )?;
        }
        let mut rendered = Rendered::text(Vec::new(), ExitCode::Success);
        rendered.warnings = warnings;
        return Ok(rendered);
    }
    let mut rendered = Rendered::text(output, ExitCode::Success);
    rendered.warnings = warnings;
    Ok(rendered)
}

/// What `check` finds in one spec's transform, notes left out.
fn problems(spec: &crate::syntax::json::Node, catalog: &Catalog) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some(view) = read_transform(spec, &mut found) {
        found.extend(check_transform(&view, catalog));
    }
    found.retain(|d| d.severity != Severity::Note);
    found
}

/// `pachsecret check`.
pub fn check(args: &CheckConfig) -> Result<Rendered, Failure> {
    ensure_stdin_once(args.specs.iter().chain(&args.secrets))?;
    let mut lines = Vec::new();
    let mut levels = Vec::new();
    let mut report = |file: &str, subject: &str, d: &Finding| {
        lines.push(d.line(file, subject));
        levels.push(d.severity);
    };

    let mut catalog = Catalog {
        on_cluster: args.on_cluster.clone(),
        ..Catalog::default()
    };
    let mut defined_in: BTreeMap<String, String> = BTreeMap::new();
    for path in &args.secrets {
        let file = file_label(path);
        let input = input::read("--secrets", path, Limit::DOCUMENT)?;
        let manifest = read_manifest(&input);
        for d in manifest
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            report(&file, &manifest.subject(), d);
        }
        let Some(secret) = manifest.secret.as_ref() else {
            continue;
        };
        let known = KnownSecret::from_secret(secret);
        if let Some(first) = defined_in.get(&known.name) {
            report(
                &file,
                &manifest.subject(),
                &Finding::error(format!("secret {} is also defined by {first}", known.name))
                    .at("metadata.name")
                    .hint("give each secret one manifest"),
            );
            continue;
        }
        defined_in.insert(known.name.clone(), file.clone());
        catalog.secrets.push(known);
    }

    for path in &args.specs {
        let file = file_label(path);
        let input = input::read("the SPEC argument", path, Limit::DOCUMENT)?;
        let specs = read_specs(&input, &file)?;
        if let Some(d) = specs.framing_warning() {
            report(&file, "", &d);
        }
        for (i, spec) in specs.specs.iter().enumerate() {
            let subject = subject(spec, i);
            let mut found = Vec::new();
            if let Some(view) = read_transform(spec, &mut found) {
                found.extend(check_transform(&view, &catalog));
            }
            for d in &found {
                report(&file, &subject, d);
            }
        }
    }
    let status = if levels.contains(&Severity::Error) {
        ExitCode::Rejected
    } else {
        ExitCode::Success
    };
    let mut stdout = String::new();
    for line in lines {
        stdout.push_str(&line);
        stdout.push('\n');
    }
    Ok(Rendered::text(stdout.into_bytes(), status))
}

/// The `--snippet-file` hook: after a secret-creating subcommand has rendered its Secret,
/// renders the fragment for it, for `app` to write once the manifest is written. Runs only
/// when the Secret passed every check.
pub fn attach_generation_snippet(
    snippet: Option<&SnippetFile>,
    rendered: &mut Rendered,
) -> Result<()> {
    let Some(snippet) = snippet else {
        return Ok(());
    };
    let Some(secret) = &rendered.secret else {
        return Ok(());
    };
    let fragment = build_fragment(&[KnownSecret::from_secret(secret)], &snippet.mapping)?;
    let text = fragment.to_snippet(naming(snippet.mapping.camel_case));
    rendered.side_file = Some(SideFile {
        path: snippet.path.clone(),
        flag: "--snippet-file",
        force: snippet.force,
        bytes: text.into_bytes(),
    });
    Ok(())
}

/// The fragment for `secret` with the default mapping (one variable per key, named after it;
/// `image_pull_secrets` for a registry secret), as `snippet` prints it without flags.
pub fn default_snippet(secret: &crate::secret::Secret) -> Result<String> {
    let flags = Mapping {
        env: Vec::new(),
        env_prefix: None,
        mount: Vec::new(),
        camel_case: false,
        flag_prefix: "",
    };
    let fragment = build_fragment(&[KnownSecret::from_secret(secret)], &flags)?;
    Ok(fragment.to_snippet(Naming::Snake))
}

fn naming(camel_case: bool) -> Naming {
    if camel_case {
        Naming::Camel
    } else {
        Naming::Snake
    }
}

fn pipeline_names(specs: &[crate::syntax::json::Node]) -> String {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| subject(s, i).trim_start_matches("pipeline ").to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads manifests for `snippet` and `patch`: each must be one the cluster would accept.
fn load_secrets(paths: &[PathBuf], what: &str) -> Result<Vec<KnownSecret>> {
    let mut secrets: Vec<KnownSecret> = Vec::new();
    for path in paths {
        let known = load_secret(path, what)?;
        if secrets.iter().any(|s| s.name == known.name) {
            return Err(Error::usage(format!(
                "secret {} is given twice ({})",
                known.name,
                file_label(path)
            ))
            .hint("give each manifest once"));
        }
        secrets.push(known);
    }
    Ok(secrets)
}

fn load_secret(path: &Path, what: &str) -> Result<KnownSecret> {
    let file = file_label(path);
    let input = input::read(what, path, Limit::DOCUMENT)?;
    let report = read_manifest(&input);
    if let Some(first) = report
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        let lint = if path.as_os_str() == "-" {
            "pachsecret lint -".to_string()
        } else {
            format!("pachsecret lint {file}")
        };
        return Err(
            Error::rejected(first.line(&file, &report.subject())).hint(format!(
                "the cluster would not accept this secret; `{lint}` lists every problem"
            )),
        );
    }
    let secret = report
        .secret
        .as_ref()
        .ok_or_else(|| Error::rejected(format!("{file}: not a Secret manifest")))?;
    Ok(KnownSecret::from_secret(secret))
}
