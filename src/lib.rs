//! pachsecret: Kubernetes Secret manifests for Pachyderm, byte-identical to
//! `kubectl create secret ... --dry-run=client -o json`, made offline, with the checks kubectl
//! leaves to the cluster.
//!
//! The binary is a thin wrapper around [`run`]. `ARCHITECTURE.md` at the top of the repository
//! is the map; in the order data flows:
//!
//! [`cli`] (what is parsed, turned into configs) → [`kinds`] / [`pipeline`] / [`manifest`] /
//! [`interactive`] (the subcommands, on configs only) → [`secret`] (the model and its writers),
//! [`checks`] (the API server's rules) → [`report`] (findings, errors, the outcome) → [`app`]
//! (stdout, stderr, exit status). Below them: [`io`] (the one way to read and to write a file),
//! [`syntax`] (readers that keep positions) and [`go`] (byte-exact ports of Go code).

pub mod app;
pub mod checks;
pub mod cli;
pub mod go;
pub mod interactive;
pub mod io;
pub mod kinds;
pub mod manifest;
pub mod pipeline;
pub mod report;
pub mod secret;
pub mod syntax;

pub use app::run;
