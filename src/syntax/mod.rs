//! Readers that keep the position of every value, for messages that point into a file and
//! for edits that change only the bytes they must.

pub mod json;
