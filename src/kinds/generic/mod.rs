//! `pachsecret generic`: kubectl's `create secret generic`.
//!
//! Sources are processed in kubectl's order, whatever their order on the command line: every
//! `--from-literal`, then every `--from-file`, then every `--from-env-file`
//! (`createSecret` in `create_secret.go`). The first failing item decides the error.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;

use crate::io::values::{Terminal, ValueReader, ValueSource};
use crate::kinds::shared::{Built, OutputOptions};
use crate::kinds::sources::{
    DataBuilder, EnvFileReport, FileSource, Origin, add_env_file, add_env_lines, add_file_or_stdin,
    add_literal,
};
use crate::report::text::{display_bytes, display_path};
use crate::report::{Error, Finding, Result};
use crate::secret::Secret;

/// A key whose value comes from a safe source (`--from-env`, `--from-stdin`, `--from-prompt`).
#[derive(Debug)]
pub struct KeyedSource {
    pub key: Vec<u8>,
    pub source: ValueSource,
    /// The occurrence, for messages: `the 2nd --from-env`, `--from-stdin`.
    pub flag: String,
}

/// `generic`, ready to run.
#[derive(Debug)]
pub struct GenericConfig {
    pub name: Vec<u8>,
    pub secret_type: Vec<u8>,
    pub literals: Vec<OsString>,
    /// pachsecret's own value sources, processed right after the literals, as literals.
    pub keyed_sources: Vec<KeyedSource>,
    /// Raw `--from-file` items: kubectl parses each one (`ParseFileSource`) only when its turn
    /// comes, after all literals, so a bad literal is reported before a bad file item.
    pub file_sources: Vec<Vec<u8>>,
    pub env_files: Vec<PathBuf>,
    pub output: OutputOptions,
}

/// Reads every source and builds the Secret. `lookup_env` answers bare `KEY` lines of env
/// files (the process environment in production, a map in tests); `reader` reads the values
/// of pachsecret's own sources and standard input.
pub fn build(
    config: &GenericConfig,
    mut lookup_env: impl FnMut(&[u8]) -> Option<Vec<u8>>,
    reader: &mut ValueReader,
) -> Result<Built> {
    // Fail before reading anything when a prompt cannot be answered: a script or CI job
    // must get the error at once, not after it has consumed standard input.
    if reader.terminal() == Terminal::Unavailable
        && let Some(keyed) = config
            .keyed_sources
            .iter()
            .find(|k| matches!(k.source, ValueSource::Prompt { .. }))
    {
        return Err(Error::usage(format!(
            "--from-prompt={} needs a terminal to ask on, and there is none (standard input is not a terminal, or CI is set)",
            display_bytes(&keyed.key)
        ))
        .hint("in scripts use --from-env=KEY=VAR, --from-stdin=KEY or --from-file=KEY=PATH instead"));
    }
    let mut builder = DataBuilder::new(config.output.refuses_oversize());
    for (i, literal) in config.literals.iter().enumerate() {
        add_literal(&mut builder, i + 1, literal)?;
    }
    // pachsecret's safe sources are literals whose value does not come from argv.
    for keyed in &config.keyed_sources {
        let value = reader.read(&keyed.source, &keyed.flag, builder.value_limit())?;
        let origin = Origin::Input {
            flag: keyed.flag.clone(),
            source: keyed.source.describe(),
        };
        builder.add(keyed.key.clone(), value.to_vec(), origin)?;
    }
    for item in &config.file_sources {
        let source = FileSource::parse(item)?;
        add_file_or_stdin(&mut builder, &source, reader)?;
    }
    let mut env_report = EnvFileReport::default();
    for path in &config.env_files {
        if path.as_os_str() == "-" {
            let limit = builder.env_file_limit();
            let input = reader.read(&ValueSource::Stdin, "--from-env-file", limit)?;
            let name = std::path::Path::new("standard input");
            add_env_lines(
                &mut builder,
                name,
                input.as_slice(),
                &mut lookup_env,
                &mut env_report,
            )?;
        } else {
            add_env_file(&mut builder, path, &mut lookup_env, &mut env_report)?;
        }
    }

    let findings = env_report
        .truncated
        .iter()
        .map(|(path, line)| {
            Finding::error(format!(
                    "line {line} of {} is longer than 65535 bytes; kubectl stops reading there and silently drops that line and every line after it",
                    display_path(path)
                )).hint("put long values in a file of their own and use --from-file=KEY=PATH (or --validate=false to get kubectl's truncated result)")
        })
        .collect();

    let (data, origins) = builder.into_parts();
    let mut secret = Secret::new(config.name.clone());
    secret.secret_type = config.secret_type.clone();
    secret.data = data;
    Ok(Built {
        secret,
        origins,
        findings,
    })
}

/// The process environment, as bytes, for bare `KEY` lines of env files.
pub fn process_env(key: &[u8]) -> Option<Vec<u8>> {
    std::env::var_os(std::ffi::OsStr::from_bytes(key)).map(|v| v.as_bytes().to_vec())
}
