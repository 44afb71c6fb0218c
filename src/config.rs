//! From what clap parsed to what the program runs on.
//!
//! This is where kubectl's argument rules live: exactly one NAME before `--`, the CSV
//! splitting of `StringSlice` flags, `-o` and `--dry-run` values, and the checks of its
//! `Validate()` step. Errors here are usage errors (exit 2) and never echo a value.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;

use crate::checks::Validation;
use crate::cli::{CommonArgs, GenericArgs, NameArgs};
use crate::error::{Error, Result, display_bytes};
use crate::goflag::split_string_slice;
use crate::input::{ValueSource, ensure_single_stdin_consumer};
use crate::metadata::parse_pairs;
use crate::secret::Shape;
use crate::sources::FileSource;

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
        }
    }

    pub fn from_args(common: &CommonArgs) -> Result<Self> {
        check_dry_run(common.dry_run.as_deref())?;
        Ok(OutputOptions {
            append_hash: common.append_hash,
            validation: common.validate,
            strict: common.strict,
            format: parse_output_format(common.output.as_deref())?,
            namespace: common.namespace.clone().map(OsString::into_vec),
            save_config: common.save_config,
            shape: common.kubectl_compat,
            labels: parse_pairs(&common.labels, "--label")?,
            annotations: parse_pairs(&common.annotations, "--annotation")?,
            immutable: common.immutable,
            output_file: common.output_file.clone().map(|path| (path, common.force)),
        })
    }

    /// Whether pachsecret's own checks and warnings run at all.
    pub fn checks_enabled(&self) -> bool {
        self.validation != Validation::Ignore
    }
}

/// `NameFromCommandArgs`: exactly one argument before `--`.
pub fn name_from_args(args: &NameArgs, subcommand: &str) -> Result<Vec<u8>> {
    match args.names.as_slice() {
        [name] => Ok(name.as_bytes().to_vec()),
        names => Err(Error::usage(format!(
            "exactly one NAME is required, got {}",
            names.len()
        ))
        .hint(format!(
            "pachsecret {subcommand} NAME [flags]; flags that take a value need '=' when it is optional (--dry-run=client, --validate=false)"
        ))),
    }
}

fn parse_output_format(output: Option<&str>) -> Result<OutputFormat> {
    let Some(output) = output else {
        return Ok(OutputFormat::Json);
    };
    match output.to_ascii_lowercase().as_str() {
        "json" => Ok(OutputFormat::Json),
        "name" => Ok(OutputFormat::Name),
        "" => Ok(OutputFormat::DryRunMessage),
        "yaml" => Err(Error::usage("-o yaml is not supported: pachsecret writes JSON")
            .hint("pachctl create secret reads JSON only; use -o json (the default)")),
        other => Err(Error::usage(format!(
            "unable to match a printer suitable for the output format {other:?}, allowed formats are: json,name"
        ))
        .hint("use -o json (the default) or -o name")),
    }
}

/// `GetDryRunStrategy`: pachsecret only ever does what kubectl's client dry run does.
fn check_dry_run(value: Option<&str>) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    let client = match crate::goflag::parse_bool(value) {
        Some(b) => b,
        None => match value {
            "unchanged" | "client" => true,
            "server" | "none" => false,
            _ => {
                return Err(Error::usage(format!(
                    "Invalid dry-run value ({value}). Must be \"none\", \"server\", or \"client\"."
                )));
            }
        },
    };
    if client {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "--dry-run={value} would contact a cluster; pachsecret works offline and only writes the manifest"
        ))
        .hint("use --dry-run=client or leave the flag out, then apply it with `pachctl create secret -f FILE`"))
    }
}

/// Splits every occurrence of a `StringSlice` flag (pflag's CSV) into its items.
pub(crate) fn split_slice_flag(values: &[OsString], flag: &str) -> Result<Vec<Vec<u8>>> {
    let mut items = Vec::new();
    for value in values {
        let bytes = value.as_bytes();
        let split = split_string_slice(bytes).map_err(|e| {
            Error::usage(format!(
                "invalid argument {:?} for \"{flag}\" flag: {}",
                display_bytes(bytes),
                e.0
            ))
            .hint(format!(
                "{flag} is a comma-separated list where '\"' quotes; quote a whole item that contains ',' or '\"', e.g. {flag}='\"a,b\"'"
            ))
        })?;
        items.extend(split);
    }
    Ok(items)
}

/// A key whose value comes from a safe source (`--from-env`, `--from-stdin`, `--from-prompt`).
#[derive(Debug)]
pub struct KeyedSource {
    pub key: Vec<u8>,
    pub source: ValueSource,
    pub flag: &'static str,
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

impl GenericConfig {
    pub fn from_args(args: &GenericArgs) -> Result<Self> {
        let file_items = split_slice_flag(&args.from_file, "--from-file")?;
        let env_items = split_slice_flag(&args.from_env_file, "--from-env-file")?;
        let name = name_from_args(&args.name, "generic")?;
        let output = OutputOptions::from_args(&args.common)?;
        if name.is_empty() {
            return Err(Error::usage("name must be specified")
                .hint("pachsecret generic NAME [flags]: NAME may not be empty"));
        }
        let keyed_sources = keyed_sources(args)?;
        let stdin_uses: Vec<(ValueSource, &str)> = keyed_sources
            .iter()
            .map(|k| (k.source.clone(), k.flag))
            .chain(file_items.iter().filter_map(|item| {
                FileSource::parse(item)
                    .ok()
                    .filter(|f| f.path.as_os_str() == "-")
                    .map(|_| (ValueSource::Stdin, "--from-file"))
            }))
            .chain(
                env_items
                    .iter()
                    .filter(|item| item.as_slice() == b"-")
                    .map(|_| (ValueSource::Stdin, "--from-env-file")),
            )
            .collect();
        ensure_single_stdin_consumer(stdin_uses.iter().map(|(s, f)| (s, *f)))?;
        if !env_items.is_empty() && (!file_items.is_empty() || !args.from_literal.is_empty()) {
            return Err(Error::usage(
                "from-env-file cannot be combined with from-file or from-literal",
            )
            .hint("kubectl refuses this combination too; put the literals into the env file, or make two secrets"));
        }
        Ok(GenericConfig {
            name,
            secret_type: args
                .secret_type
                .clone()
                .map(OsString::into_vec)
                .unwrap_or_default(),
            literals: args.from_literal.clone(),
            keyed_sources,
            file_sources: file_items,
            env_files: env_items
                .into_iter()
                .map(|item| PathBuf::from(OsStr::from_bytes(&item)))
                .collect(),
            output,
        })
    }
}

/// `--from-env=KEY=VAR`, `--from-stdin=KEY`, `--from-prompt=KEY`, in that order.
fn keyed_sources(args: &GenericArgs) -> Result<Vec<KeyedSource>> {
    let mut sources = Vec::new();
    for item in &args.from_env {
        let bytes = item.as_bytes();
        let Some(i) = bytes.iter().position(|b| *b == b'=') else {
            return Err(Error::usage("--from-env expects KEY=VAR, but an argument has no '='")
                .hint("write --from-env=password=DB_PASSWORD to store $DB_PASSWORD under the key password"));
        };
        sources.push(KeyedSource {
            key: bytes[..i].to_vec(),
            source: ValueSource::Env(OsStr::from_bytes(&bytes[i + 1..]).to_os_string()),
            flag: "--from-env",
        });
    }
    if let Some(key) = &args.from_stdin {
        sources.push(KeyedSource {
            key: key.as_bytes().to_vec(),
            source: ValueSource::Stdin,
            flag: "--from-stdin",
        });
    }
    for key in &args.from_prompt {
        sources.push(KeyedSource {
            key: key.as_bytes().to_vec(),
            source: ValueSource::Prompt {
                label: format!("Value for key {}", display_bytes(key.as_bytes())),
                confirm: true,
            },
            flag: "--from-prompt",
        });
    }
    Ok(sources)
}
