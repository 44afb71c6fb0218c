//! `pachsecret generic`: kubectl's `create secret generic`.
//!
//! Sources are processed in kubectl's order, whatever their order on the command line: every
//! `--from-literal`, then every `--from-file`, then every `--from-env-file`
//! (`createSecret` in `create_secret.go`). The first failing item decides the error.

use std::os::unix::ffi::OsStrExt as _;

use crate::checks::Finding;
use crate::config::GenericConfig;
use crate::error::{Result, display_path};
use crate::output::Built;
use crate::secret::Secret;
use crate::sources::{
    DataBuilder, EnvFileReport, FileSource, add_env_file, add_file_source, add_literal,
};

/// Reads every source and builds the Secret. `lookup_env` answers bare `KEY` lines of env
/// files (the process environment in production, a map in tests).
pub fn build(
    config: &GenericConfig,
    mut lookup_env: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Built> {
    let mut builder = DataBuilder::new();
    for (i, literal) in config.literals.iter().enumerate() {
        add_literal(&mut builder, i + 1, literal)?;
    }
    for item in &config.file_sources {
        let source = FileSource::parse(item)?;
        add_file_source(&mut builder, &source)?;
    }
    let mut env_report = EnvFileReport::default();
    for path in &config.env_files {
        add_env_file(&mut builder, path, &mut lookup_env, &mut env_report)?;
    }

    let findings = env_report
        .truncated
        .iter()
        .map(|(path, line)| {
            Finding::error(
                format!(
                    "line {line} of {} is longer than 65535 bytes; kubectl stops reading there and silently drops that line and every line after it",
                    display_path(path)
                ),
                "put long values in a file of their own and use --from-file=KEY=PATH (or --validate=false to get kubectl's truncated result)",
            )
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
