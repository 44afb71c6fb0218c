//! Files and values in and out: the one way to read a file-valued flag ([`input`]), the one
//! atomic writer ([`atomic`]), and values read without argv ([`values`]).

pub mod atomic;
pub mod input;
pub mod values;
