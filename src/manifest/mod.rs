//! Existing Secret manifests: read as pachd reads them ([`reader`]), checked and normalised
//! ([`lint`]), summarised without values ([`inspect`]).

pub mod inspect;
pub mod lint;
pub mod reader;
