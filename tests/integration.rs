//! The single integration-test binary: each module pins down one area of behaviour.

#![allow(clippy::unwrap_used)]

mod util;

mod generic;
mod tls;
mod tls_differential;
