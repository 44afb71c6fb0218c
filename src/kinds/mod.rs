//! The secret kinds: `generic`, `tls`, `docker-registry`. Each folder turns its config into a
//! [`shared::Built`] Secret; [`shared`] finishes every kind the same way (hash, metadata,
//! checks, rendering) and [`sources`] reads the `--from-file`-style data the kinds share.

pub mod docker_registry;
pub mod generic;
pub mod shared;
pub mod sources;
pub mod tls;
