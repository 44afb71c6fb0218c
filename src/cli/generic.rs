//! `pachsecret generic`: the flags of `kubectl create secret generic`.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;

use clap::Args;

use super::common::{SECRET, SOURCES};
use super::common::{name_from_args, output_options, split_slice_flag};
use super::{CommonArgs, NameArgs};
use crate::io::values::{ValueSource, ensure_single_stdin_consumer};
use crate::kinds::generic::{GenericConfig, KeyedSource};
use crate::kinds::sources::FileSource;
use crate::report::text::{display_bytes, ordinal};
use crate::report::{Error, Result};

pub(super) const LONG_ABOUT: &str = "\
Create a secret from literals, files, directories or env files.

Same flags and output as `kubectl create secret generic NAME --dry-run=client -o json`. \
Each --from-file names a file (its base name is the key, or KEY=PATH) or a directory (every \
regular file in it becomes a key). Values are stored as base64 under `data`, keys sorted.

Values that should not appear in the process list or shell history can come from an \
environment variable (--from-env=KEY=VAR), standard input (--from-stdin=KEY, or \
--from-file=KEY=- and --from-env-file=-) or a no-echo prompt (--from-prompt=KEY).";

pub(super) const EXAMPLES: &str = "\
Examples:
  # Credentials for a ClearML pipeline, straight into Pachyderm
  pachsecret generic clearml --from-literal=access=AKIAEXAMPLE \\
      --from-file=secret=./secret.txt | pachctl create secret -f /dev/stdin

  # Nothing secret on the command line: from the environment, stdin and a prompt
  printf %s \"$DB_PASSWORD\" | pachsecret generic db --from-env=user=DB_USER \\
      --from-stdin=password
  pachsecret generic api --from-prompt=token -O api-secret.json

  # Every file in a directory becomes a key
  pachsecret generic app-config --from-file=./config/

  # From an env file (KEY=VALUE lines; a bare KEY is read from the environment)
  pachsecret generic db --from-env-file=./db.env > db-secret.json

  # kubectl's exact behaviour, without pachsecret's extra checks
  pachsecret generic Legacy_Name --from-literal=a=b --validate=false

Exit status: 0 on success, 1 when input is rejected, 2 for usage errors.";

#[derive(Debug, Args)]
pub struct GenericArgs {
    #[command(flatten)]
    pub name: NameArgs,

    /// A key and literal value: KEY=VALUE (split at the first '='; repeatable)
    #[arg(long, value_name = "KEY=VALUE", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_literal: Vec<OsString>,

    /// A file ([KEY=]PATH) or directory (each regular file a key); comma-separated list, repeatable
    #[arg(long, value_name = "[KEY=]PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_file: Vec<OsString>,

    /// A key whose value is an environment variable's: KEY=VAR (repeatable)
    #[arg(long = "from-env", value_name = "KEY=VAR", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_env: Vec<OsString>,

    /// A key whose value is all of standard input, verbatim: KEY
    #[arg(long, value_name = "KEY", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_stdin: Option<OsString>,

    /// A key whose value is typed at a no-echo prompt, asked twice: KEY (repeatable)
    #[arg(long, value_name = "KEY", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_prompt: Vec<OsString>,

    /// A file of KEY=VALUE lines (bare KEY: from the environment); comma-separated, repeatable
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_env_file: Vec<OsString>,

    /// The secret's type, e.g. kubernetes.io/basic-auth (default: none, i.e. Opaque)
    #[arg(long = "type", value_name = "TYPE", allow_hyphen_values = true, help_heading = SECRET)]
    pub secret_type: Option<OsString>,

    #[command(flatten)]
    pub common: CommonArgs,
}

impl GenericArgs {
    /// kubectl's `Complete`/`Validate` for generic, plus the rules of pachsecret's own sources.
    pub fn config(&self) -> Result<GenericConfig> {
        let args = self;
        let file_items = split_slice_flag(&args.from_file, "--from-file")?;
        let env_items = split_slice_flag(&args.from_env_file, "--from-env-file")?;
        let name = name_from_args(&args.name, "generic")?;
        let output = output_options(&args.common)?;
        if name.is_empty() {
            return Err(Error::usage("name must be specified")
                .hint("pachsecret generic NAME [flags]: NAME may not be empty"));
        }
        let keyed_sources = keyed_sources(args)?;
        let stdin_uses: Vec<(ValueSource, &str)> = keyed_sources
            .iter()
            .map(|k| (k.source.clone(), k.flag.as_str()))
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
    for (n, item) in args.from_env.iter().enumerate() {
        // Named by position, never by its text: a value typed in place of KEY=VAR would show.
        let flag = format!("the {} --from-env", ordinal(n + 1));
        let bytes = item.as_bytes();
        let Some(i) = bytes.iter().position(|b| *b == b'=') else {
            return Err(Error::usage(format!("{flag} is not KEY=VAR (it has no '=')"))
                .hint("write --from-env=password=DB_PASSWORD to store $DB_PASSWORD under the key password"));
        };
        sources.push(KeyedSource {
            key: bytes[..i].to_vec(),
            source: ValueSource::Env(OsStr::from_bytes(&bytes[i + 1..]).to_os_string()),
            flag,
        });
    }
    if let Some(key) = &args.from_stdin {
        sources.push(KeyedSource {
            key: key.as_bytes().to_vec(),
            source: ValueSource::Stdin,
            flag: "--from-stdin".into(),
        });
    }
    for key in &args.from_prompt {
        sources.push(KeyedSource {
            key: key.as_bytes().to_vec(),
            source: ValueSource::Prompt {
                label: format!("Value for key {}", display_bytes(key.as_bytes())),
                confirm: true,
            },
            flag: "--from-prompt".into(),
        });
    }
    Ok(sources)
}
