//! Where the passphrase of an encrypted `--key` comes from: a file, an environment variable,
//! or a no-echo prompt on the terminal (never a hang: without a terminal, or with `CI` set,
//! it is an error that names the two other ways).

use std::ffi::OsString;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::go::io_error::go_io_reason;
use crate::io::input::{self, Limit};
use crate::io::values::{Terminal, read_env};
use crate::report::text::display_path;
use crate::report::{Error, Result};

/// Where the passphrase of an encrypted `--key` comes from.
#[derive(Clone, Debug, Default)]
pub enum PassphraseSource {
    /// Ask on the terminal when there is one (and `CI` is not set); otherwise fail.
    #[default]
    Prompt,
    /// `--key-passphrase-file=PATH`: the file's first line.
    File(PathBuf),
    /// `--key-passphrase-env=VAR`.
    Env(OsString),
}

impl PassphraseSource {
    /// The passphrase, or an error that says how to provide one.
    pub fn read(&self, key_path: &std::path::Path) -> Result<Zeroizing<String>> {
        match self {
            PassphraseSource::File(path) => {
                let bytes = input::read("--key-passphrase-file", path, Limit::PASSPHRASE)?;
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    Error::rejected(format!(
                        "--key-passphrase-file {} is not UTF-8 text",
                        input::describe(path)
                    ))
                })?;
                let first_line = text.lines().next().unwrap_or("");
                Ok(Zeroizing::new(first_line.to_string()))
            }
            PassphraseSource::Env(var) => {
                let bytes = read_env(var, "--key-passphrase-env")?;
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    Error::rejected(
                        "the environment variable named by --key-passphrase-env is not UTF-8 text",
                    )
                })?;
                Ok(Zeroizing::new(text.to_string()))
            }
            PassphraseSource::Prompt => {
                // The same rule as every other prompt: a terminal on stdin, and CI not set.
                if Terminal::detect() == Terminal::Unavailable {
                    return Err(Error::rejected(format!(
                        "the private key in {} is encrypted and there is no terminal to ask for its passphrase",
                        display_path(key_path)
                    ))
                    .hint("give it with --key-passphrase-file=PATH or --key-passphrase-env=VAR"));
                }
                let prompt = format!("Passphrase for {}: ", display_path(key_path));
                let passphrase = rpassword::prompt_password(prompt).map_err(|e| {
                    Error::rejected(format!(
                        "reading the passphrase from the terminal: {}",
                        go_io_reason(&e)
                    ))
                })?;
                Ok(Zeroizing::new(passphrase))
            }
        }
    }
}
