//! What the user is told: errors, findings, the outcome of a run, and text made safe for a
//! terminal. Nothing here prints; [`crate::app`] does.

pub mod diagnostic;
mod error;
mod finding;
pub mod outcome;
pub mod text;

pub use error::{Error, ExitCode, Kind, Result};
pub use finding::{Finding, Severity};
