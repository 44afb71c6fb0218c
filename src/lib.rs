//! pachsecret: Kubernetes Secret manifests for Pachyderm, byte-identical to
//! `kubectl create secret ... --dry-run=client -o json`, made offline, with the checks kubectl
//! leaves to the cluster.
//!
//! The binary is a thin wrapper around [`run`]. Modules, in the order data flows:
//! [`cli`] (what clap parses) → [`config`] (kubectl's argument rules) → [`sources`] /
//! [`envfile`] (reading values) → [`secret`] (the model and its JSON) → [`output`] (hash,
//! checks, rendering) → [`app`] (stdout, stderr, exit status).

pub mod app;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docker;
pub mod envfile;
pub mod error;
pub mod fileout;
pub mod files;
pub mod generic;
pub mod goflag;
pub mod gojson;
pub mod hash;
pub mod input;
pub mod inspect;
pub mod interactive;
pub mod jsonspan;
pub mod lint;
pub mod manifest_reader;
pub mod manpages;
pub mod metadata;
pub mod output;
pub mod pachyderm;
pub mod secret;
pub mod sources;
pub mod tls;
pub mod validation;

pub use app::run;
