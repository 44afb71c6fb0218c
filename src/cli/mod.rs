//! The command line as clap parses it: flags, help texts and examples, nothing more.
//!
//! These types hold what the user typed (raw `OsString`s, since names and values may be any
//! bytes). Turning them into something the program can run on, with kubectl's splitting and
//! validation rules, is the job of [`crate::kinds::shared`]. Flag names and semantics follow
//! `kubectl create secret` so that replacing `kubectl create secret` by `pachsecret` in a
//! script is the whole migration.

use clap::{Parser, Subcommand};

mod common;
mod docker_registry;
pub mod errors;
mod generic;
mod manifest;
pub mod manpages;
mod mapping;
mod pipeline;
mod tls;

pub use common::{CommonArgs, NameArgs};
pub use docker_registry::DockerRegistryArgs;
pub use generic::GenericArgs;
pub use manifest::{InspectArgs, LintArgs};
pub use mapping::{MappingArgs, SnippetFileArgs};
pub use pipeline::{CheckArgs, PatchArgs, SnippetArgs};
pub use tls::TlsArgs;

const ABOUT: &str = "Kubernetes Secret manifests for Pachyderm, byte-identical to kubectl, offline";

const LONG_ABOUT: &str = "\
Kubernetes Secret manifests for Pachyderm, byte-identical to kubectl, offline.

pachsecret writes the JSON that `kubectl create secret generic|tls|docker-registry ... \
--dry-run=client -o json` prints, byte for byte, without kubectl or a cluster. It checks what \
kubectl leaves to the API server and the kubelet (names, sizes, required keys, certificate \
and key, registry credentials), reads values from the environment, stdin, files or a no-echo \
prompt so that nothing secret has to be in argv, and writes or checks the pipeline-spec \
entries that use a secret. Pipe the manifest straight into Pachyderm:

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

// Parsed once per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a secret from literals, files, directories or env files (kubectl create secret generic)
    #[command(
        long_about = generic::LONG_ABOUT,
        after_long_help = generic::EXAMPLES,
        override_usage = "pachsecret generic NAME [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--from-env-file=PATH] [OPTIONS]"
    )]
    Generic(GenericArgs),
    /// Create an image pull secret for one or more registries (kubectl create secret docker-registry)
    #[command(
        name = "docker-registry",
        long_about = docker_registry::LONG_ABOUT,
        after_long_help = docker_registry::EXAMPLES,
        override_usage = "pachsecret docker-registry NAME --docker-server=SERVER --docker-username=USER [--docker-password-stdin] [OPTIONS]\n       pachsecret docker-registry NAME --registry=SERVER,username=USER,password-env=VAR... [OPTIONS]\n       pachsecret docker-registry NAME --from-file=PATH [OPTIONS]"
    )]
    DockerRegistry(DockerRegistryArgs),

    /// Create a TLS secret from a certificate and its key (kubectl create secret tls)
    #[command(
        long_about = tls::LONG_ABOUT,
        after_long_help = tls::EXAMPLES,
        override_usage = "pachsecret tls NAME --cert=PATH --key=PATH [--ca=PATH] [OPTIONS]"
    )]
    Tls(TlsArgs),

    /// Print the pipeline transform fragment (secrets, image_pull_secrets) that uses secrets
    #[command(
        long_about = pipeline::SNIPPET_LONG_ABOUT,
        after_long_help = pipeline::SNIPPET_EXAMPLES,
    )]
    Snippet(SnippetArgs),

    /// Insert or update secret entries in a pipeline spec, changing nothing else
    #[command(
        long_about = pipeline::PATCH_LONG_ABOUT,
        after_long_help = pipeline::PATCH_EXAMPLES,
    )]
    Patch(PatchArgs),

    /// Check pipeline specs against Secret manifests, offline (exit 1 on errors)
    #[command(
        long_about = pipeline::CHECK_LONG_ABOUT,
        after_long_help = pipeline::CHECK_EXAMPLES,
    )]
    Check(CheckArgs),

    /// Check hand-written Secret manifests as pachd and the API server read them
    #[command(
        long_about = manifest::LINT_LONG_ABOUT,
        after_long_help = manifest::LINT_EXAMPLES,
    )]
    Lint(LintArgs),

    /// Summarize Secret manifests (keys, sizes, certificates, registries) without values
    #[command(long_about = manifest::INSPECT_LONG_ABOUT)]
    Inspect(InspectArgs),

    /// Create a secret by answering questions on the terminal (no values in argv)
    #[command(
        long_about = "Create a secret by answering questions on the terminal.\n\nAsks for the kind of secret, its name (checked as you type), keys and where each value comes from (typed without echo and asked twice, a file, or an environment variable), certificate and key paths, or registry credentials, then writes the manifest to a private file or to standard output and shows the equivalent command for next time. `pachsecret generic`, `pachsecret tls` or `pachsecret docker-registry` with no arguments on a terminal starts it too. It never starts without a terminal or when CI is set."
    )]
    Interactive,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_long_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  pachsecret completions bash > ~/.local/share/bash-completion/completions/pachsecret
  pachsecret completions zsh > \"${fpath[1]}/_pachsecret\"
  pachsecret completions fish > ~/.config/fish/completions/pachsecret.fish";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
