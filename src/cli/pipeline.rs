//! `snippet`, `patch` and `check`: wiring secrets into pipeline specs.

use std::path::PathBuf;

use clap::Args;

use super::mapping::MappingArgs;
use crate::pipeline::{CheckConfig, PatchConfig, SnippetConfig};

pub(super) const SNIPPET_LONG_ABOUT: &str = "\
Print the pipeline `transform` fragment that uses one or more secrets.

Each MANIFEST (a Secret as JSON; '-' reads standard input) becomes, by default, one \
environment variable per key (the key upper-cased, with --env-prefix in front), or an \
image_pull_secrets entry for a kubernetes.io/dockerconfigjson secret. --env binds chosen keys \
to chosen names, --mount mounts the whole secret instead. The fragment is checked with the \
rules of `pachsecret check` and printed as JSON in the spec's own field names.";

pub(super) const SNIPPET_EXAMPLES: &str = "\
Examples:
  # The ClearML credentials as the two variables the ClearML SDK reads
  pachsecret snippet clearml.json \\
    --env CLEARML_API_ACCESS_KEY=access --env CLEARML_API_SECRET_KEY=secret

  # Every key as a variable, prefixed
  pachsecret snippet db.json --env-prefix DB_

  # Mount a TLS secret, and pull images with a registry secret
  pachsecret snippet tls.json regcred.json --mount tls=/etc/tls

  # At generation time, without touching stdout
  pachsecret generic clearml --from-literal=access=AKIA... --from-file=secret=./secret.txt \\
    --snippet-file clearml.snippet.json --snippet-env CLEARML_API_ACCESS_KEY=access \\
    | pachctl create secret -f /dev/stdin";

#[derive(Debug, Args)]
pub struct SnippetArgs {
    /// Secret manifests (JSON); '-' reads standard input
    #[arg(value_name = "MANIFEST", required = true)]
    pub manifests: Vec<PathBuf>,

    #[command(flatten)]
    pub mapping: MappingArgs,
}

pub(super) const PATCH_LONG_ABOUT: &str = "\
Insert or update the entries that use secrets in an existing pipeline spec.

Only transform.secrets and transform.image_pull_secrets change, as a minimal edit of the \
original text: every other byte (field order, numbers, escapes, indentation) stays as it \
was, and new entries are laid out like their neighbours. An entry for the same env_var, or \
the same mounted secret, is updated instead of duplicated, so running patch twice changes \
nothing. The file may hold one spec, a JSON array of specs, or specs separated by `---` lines \
(pick one with --pipeline). YAML specs are not supported: convert them, or paste the output \
of `pachsecret snippet`.";

pub(super) const PATCH_EXAMPLES: &str = "\
Examples:
  # Add the ClearML variables to the mnist pipeline, in place
  pachsecret patch mnist.json --secret clearml.json \\
    --env CLEARML_API_ACCESS_KEY=access --env CLEARML_API_SECRET_KEY=secret --in-place

  # Show the result without writing it
  pachsecret patch specs.json --pipeline train --secret regcred.json";

#[derive(Debug, Args)]
pub struct PatchArgs {
    /// The pipeline spec (JSON) to patch; '-' reads standard input
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,

    /// Secret manifests to wire in (repeatable, or several after one flag)
    #[arg(long = "secret", alias = "secrets", value_name = "MANIFEST", required = true, num_args = 1..)]
    pub secrets: Vec<PathBuf>,

    /// The pipeline to patch when SPEC holds several
    #[arg(long, value_name = "NAME")]
    pub pipeline: Option<String>,

    /// Rewrite SPEC (atomically, keeping its mode) instead of printing the result
    #[arg(short = 'i', long)]
    pub in_place: bool,

    #[command(flatten)]
    pub mapping: MappingArgs,
}

pub(super) const CHECK_LONG_ABOUT: &str = "\
Check pipeline specs against Secret manifests, offline.

Reports every problem the cluster would only report when a worker pod starts: a secret no \
manifest defines, a key the secret lacks, env_var without key, invalid or duplicate variable \
names, clashes with transform.env, a secret mounted twice or under a name that cannot be a \
volume name, relative mount paths or ones over Pachyderm's own mounts, image_pull_secrets \
that are not registry secrets, and unknown or misspelt fields. One line per problem on \
standard output:

  FILE: pipeline NAME: transform.secrets[I]: problem (fix)

Exit status 1 if any line is an error (warnings and notes say so).";

pub(super) const CHECK_EXAMPLES: &str = "\
Examples:
  pachsecret check mnist.json --secrets clearml.json
  # regcred was created earlier and is already on the cluster
  pachsecret check pipelines/*.json --secrets secrets/*.json --on-cluster regcred";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pipeline specs (JSON)
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,

    /// Secret manifests the specs may use (repeatable, or several after one flag)
    #[arg(long = "secrets", alias = "secret", value_name = "MANIFEST", num_args = 1..)]
    pub secrets: Vec<PathBuf>,

    /// A secret that already exists on the cluster: a note instead of an error (repeatable)
    #[arg(long, value_name = "NAME")]
    pub on_cluster: Vec<String>,
}

impl SnippetArgs {
    pub fn config(&self) -> SnippetConfig {
        SnippetConfig {
            manifests: self.manifests.clone(),
            mapping: self.mapping.mapping(),
        }
    }
}

impl PatchArgs {
    pub fn config(&self) -> PatchConfig {
        PatchConfig {
            spec: self.spec.clone(),
            secrets: self.secrets.clone(),
            pipeline: self.pipeline.clone(),
            in_place: self.in_place,
            mapping: self.mapping.mapping(),
        }
    }
}

impl CheckArgs {
    pub fn config(&self) -> CheckConfig {
        CheckConfig {
            specs: self.specs.clone(),
            secrets: self.secrets.clone(),
            on_cluster: self.on_cluster.clone(),
        }
    }
}
