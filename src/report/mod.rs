//! What the user is told: one kind of [`Finding`] (and the [`Error`] that ends a run), the
//! two ways they are rendered ([`render`]), the outcome of a run ([`outcome`]), and user-supplied
//! text made safe for a terminal ([`text`]). Nothing here prints; [`crate::app`] does.

mod error;
mod finding;
pub mod outcome;
pub mod render;
pub mod suggest;
pub mod text;

pub use error::{Error, ExitCode, Kind, Result};
pub use finding::{Finding, Location, Severity};
