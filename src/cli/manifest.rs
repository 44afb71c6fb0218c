//! `lint` and `inspect`: Secret manifests read as pachd reads them.

use std::path::PathBuf;

use clap::Args;

use crate::manifest::inspect::InspectConfig;
use crate::manifest::lint::LintConfig;

pub(super) const LINT_LONG_ABOUT: &str = "\
Check hand-written Secret manifests the way pachd and the API server will read them.

pachd decodes the file with Go's encoding/json: JSON only, field names matched \
case-insensitively, unknown fields silently dropped, every data value standard padded \
base64. Then pachd checks the suite label and the API server the name, key names, size and \
the keys the type requires. lint reports each problem as a line on standard output and exits \
1 if any is an error. --fix rewrites each valid manifest in place in exactly kubectl's form \
(stringData folded into data).";

pub(super) const LINT_EXAMPLES: &str = "\
Examples:
  pachsecret lint clearml.json
  pachsecret lint --fix secrets/*.json
  cat s.json | pachsecret lint --fix -    # the normalized manifest on stdout";

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Secret manifests (JSON); '-' reads standard input
    #[arg(value_name = "MANIFEST", required = true)]
    pub manifests: Vec<PathBuf>,

    /// Rewrite valid manifests in kubectl's form (for '-': print it)
    #[arg(long)]
    pub fix: bool,
}

pub(super) const INSPECT_LONG_ABOUT: &str = "\
Summarize Secret manifests without showing their values.

Name, type, labels and keys with their sizes; for kubernetes.io/tls the certificates \
(subject, SANs, issuer, validity, key type), for registry secrets the servers and user \
names. Values are shown only with --show-values.";

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Secret manifests (JSON); '-' reads standard input
    #[arg(value_name = "MANIFEST", required = true)]
    pub manifests: Vec<PathBuf>,

    /// Also print every value (text as a quoted string, binary as base64)
    #[arg(long)]
    pub show_values: bool,
}

impl LintArgs {
    pub fn config(&self) -> LintConfig {
        LintConfig {
            manifests: self.manifests.clone(),
            fix: self.fix,
        }
    }
}

impl InspectArgs {
    pub fn config(&self) -> InspectConfig {
        InspectConfig {
            manifests: self.manifests.clone(),
            show_values: self.show_values,
        }
    }
}
