//! `pachsecret generic`: the flags of `kubectl create secret generic`.

use std::ffi::OsString;

use clap::Args;

use super::{CommonArgs, NameArgs};

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
    #[arg(long, value_name = "KEY=VALUE", allow_hyphen_values = true)]
    pub from_literal: Vec<OsString>,

    /// A file ([KEY=]PATH) or directory (each regular file a key); comma-separated list, repeatable
    #[arg(long, value_name = "[KEY=]PATH", allow_hyphen_values = true)]
    pub from_file: Vec<OsString>,

    /// A key whose value is an environment variable's: KEY=VAR (repeatable)
    #[arg(long = "from-env", value_name = "KEY=VAR", allow_hyphen_values = true)]
    pub from_env: Vec<OsString>,

    /// A key whose value is all of standard input, verbatim: KEY
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    pub from_stdin: Option<OsString>,

    /// A key whose value is typed at a no-echo prompt, asked twice: KEY (repeatable)
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    pub from_prompt: Vec<OsString>,

    /// A file of KEY=VALUE lines (bare KEY: from the environment); comma-separated, repeatable
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub from_env_file: Vec<OsString>,

    /// The secret's type, e.g. kubernetes.io/basic-auth (default: none, i.e. Opaque)
    #[arg(long = "type", value_name = "TYPE", allow_hyphen_values = true)]
    pub secret_type: Option<OsString>,

    #[command(flatten)]
    pub common: CommonArgs,
}
