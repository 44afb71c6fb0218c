//! Flags that choose how secrets appear in a pipeline's `transform`, shared by `snippet` and
//! `patch`, and their `--snippet-*` twins on the secret-creating subcommands.

use std::path::PathBuf;

use clap::Args;

use crate::pipeline::{Mapping, SnippetFile};

/// `--env`, `--env-prefix`, `--mount`, `--camel-case`.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Mapping")]
pub struct MappingArgs {
    /// Bind a key to a variable: VAR=KEY, or VAR=SECRET/KEY with several secrets (repeatable)
    #[arg(long, value_name = "VAR=KEY")]
    pub env: Vec<String>,

    /// Prefix for variable names derived from keys (key upper-cased, other characters '_')
    #[arg(long, value_name = "PREFIX")]
    pub env_prefix: Option<String>,

    /// Mount the whole secret at PATH, or SECRET=PATH with several secrets (repeatable)
    #[arg(long, value_name = "[SECRET=]PATH")]
    pub mount: Vec<String>,

    /// Spell fields in protobuf's lowerCamel (envVar, mountPath, imagePullSecrets)
    #[arg(long)]
    pub camel_case: bool,
}

/// `--snippet-file` and its mapping flags, on every subcommand that creates a Secret: writes
/// the `transform` fragment for the new secret beside the manifest, leaving stdout alone.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Pachyderm snippet")]
pub struct SnippetFileArgs {
    /// Also write the pipeline `transform` fragment that uses this secret to PATH (0600, atomic)
    #[arg(long, value_name = "PATH")]
    pub snippet_file: Option<PathBuf>,

    /// With --snippet-file: bind a key to a variable, VAR=KEY (repeatable)
    #[arg(long, value_name = "VAR=KEY", requires = "snippet_file")]
    pub snippet_env: Vec<String>,

    /// With --snippet-file: prefix for variable names derived from keys
    #[arg(long, value_name = "PREFIX", requires = "snippet_file")]
    pub snippet_env_prefix: Option<String>,

    /// With --snippet-file: mount the secret at PATH instead of exposing keys as variables
    #[arg(long, value_name = "PATH", requires = "snippet_file")]
    pub snippet_mount: Vec<String>,

    /// With --snippet-file: spell fields in lowerCamel
    #[arg(long, requires = "snippet_file")]
    pub snippet_camel_case: bool,
}

impl MappingArgs {
    pub fn mapping(&self) -> Mapping {
        Mapping {
            env: self.env.clone(),
            env_prefix: self.env_prefix.clone(),
            mount: self.mount.clone(),
            camel_case: self.camel_case,
            flag_prefix: "",
        }
    }
}

impl SnippetFileArgs {
    /// `--snippet-file` and its mapping, if given; `force` is the shared `--force`.
    pub fn snippet_file(&self, force: bool) -> Option<SnippetFile> {
        let path = self.snippet_file.clone()?;
        Some(SnippetFile {
            path,
            force,
            mapping: Mapping {
                env: self.snippet_env.clone(),
                env_prefix: self.snippet_env_prefix.clone(),
                mount: self.snippet_mount.clone(),
                camel_case: self.snippet_camel_case,
                flag_prefix: "snippet-",
            },
        })
    }
}
