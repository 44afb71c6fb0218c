//! The command line as clap parses it: flags, help texts and examples, nothing more.
//!
//! These types hold what the user typed (raw `OsString`s, since names and values may be any
//! bytes). Turning them into something the program can run on, with kubectl's splitting and
//! validation rules, is the job of [`crate::config`]. Flag names and semantics follow
//! `kubectl create secret` so that replacing `kubectl create secret` by `pachsecret` in a
//! script is the whole migration.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand};

use crate::checks::Validation;
use crate::goflag::parse_bool;

mod generic;
mod tls;

pub use generic::GenericArgs;
pub use tls::TlsArgs;

const ABOUT: &str = "Kubernetes Secret manifests for Pachyderm, byte-identical to kubectl, offline";

const LONG_ABOUT: &str = "\
Kubernetes Secret manifests for Pachyderm, byte-identical to kubectl, offline.

pachsecret writes the JSON that `kubectl create secret ... --dry-run=client -o json` \
prints, byte for byte, without kubectl or a cluster, and checks what kubectl leaves to the \
API server (names, sizes, required keys). Pipe it straight into Pachyderm:

  pachsecret generic clearml --from-literal=access=AKIA... --from-file=secret=./secret.txt \\
    | pachctl create secret -f /dev/stdin";

const AFTER_HELP: &str = "\
Exit status: 0 on success, 1 when input is rejected, 2 for usage errors.
Replace `kubectl create secret` by `pachsecret` in a script; --dry-run=client and -o json \
are accepted and change nothing.";

#[derive(Debug, Parser)]
#[command(
    name = "pachsecret",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true,
    args_override_self = true,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a secret from literals, files, directories or env files (kubectl create secret generic)
    #[command(
        long_about = generic::LONG_ABOUT,
        after_long_help = generic::EXAMPLES,
    )]
    Generic(GenericArgs),
    /// Create a TLS secret from a certificate and its key (kubectl create secret tls)
    #[command(long_about = tls::LONG_ABOUT, after_long_help = tls::EXAMPLES)]
    Tls(TlsArgs),
}

/// `NAME`, counted as kubectl counts it: the arguments before `--`, exactly one.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// Name of the secret (a DNS-1123 subdomain: lower case, digits, '-' and '.')
    #[arg(value_name = "NAME", num_args = 0..)]
    pub names: Vec<OsString>,

    /// Arguments after `--` are ignored, as kubectl ignores them.
    #[arg(last = true, hide = true, num_args = 0..)]
    pub after_dash: Vec<OsString>,
}

/// Flags shared by every secret-creating subcommand.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Append a hash of the secret's content to its name (NAME-HASH), as kubectl does
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool
    )]
    pub append_hash: bool,

    /// Extra checks: strict|true (fail), warn (print only), ignore|false (kubectl's exact behaviour)
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "strict",
        default_value = "strict",
        value_parser = Validation::parse,
        long_help = "\
What to do with the checks kubectl skips but the API server enforces (DNS-1123 name, \
1 MiB total, keys required by --type) and with warnings (a value ending in a newline). \
strict or true: fail with exit status 1 (the default). warn: print them and write the \
secret anyway. ignore or false: no checks and no warnings, exactly kubectl's behaviour."
    )]
    pub validate: Validation,

    /// Treat warnings as errors (exit 1, nothing written)
    #[arg(long)]
    pub strict: bool,

    /// Output format: json (the default) or name (prints secret/NAME)
    #[arg(short = 'o', long, value_name = "FORMAT", allow_hyphen_values = true)]
    pub output: Option<String>,

    /// Namespace to record in metadata.namespace (pachd ignores it: secrets live in its own)
    #[arg(
        short = 'n',
        long,
        value_name = "NAMESPACE",
        allow_hyphen_values = true
    )]
    pub namespace: Option<OsString>,

    /// Accepted for kubectl compatibility; pachsecret never contacts a cluster (only client)
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "unchanged"
    )]
    pub dry_run: Option<String>,

    /// Record the manifest in the kubectl.kubernetes.io/last-applied-configuration annotation
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool
    )]
    pub save_config: bool,

    /// Accepted for kubectl compatibility; has no effect on the manifest
    #[arg(long, value_name = "NAME", hide_short_help = true)]
    pub field_manager: Option<String>,

    /// Accepted for kubectl compatibility; has no effect on the manifest
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool,
        hide_short_help = true
    )]
    pub show_managed_fields: bool,
}

/// pflag's bool values (`strconv.ParseBool`), with its error text.
pub(crate) fn parse_go_bool(value: &str) -> Result<bool, String> {
    parse_bool(value).ok_or_else(|| format!("strconv.ParseBool: parsing {value:?}: invalid syntax"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
