//! The single integration-test binary: each module pins down one area of behaviour.

#![allow(clippy::unwrap_used)]

mod util;

mod docker_registry;
mod docs;
mod generic;
mod generic_differential;
mod generic_goldens;
mod hardening;
mod interactive;
mod lint;
mod metadata_output;
mod pachyderm;
mod properties;
mod safe_input;
mod tls;
mod tls_differential;
mod tls_extensions;
