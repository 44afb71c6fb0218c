//! The single integration-test binary: each module pins down one area of behaviour.

mod util;

mod generic;
