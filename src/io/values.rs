//! Reading one secret value (a password, a token) without it ever passing through argv.
//!
//! A command line is visible to every user of the machine (`ps`, `/proc/PID/cmdline`), and is
//! kept by shell history and audit logs. The sources here keep a value out of it:
//!
//! | source | flag style | notes |
//! |---|---|---|
//! | [`ValueSource::Stdin`] | `--x-stdin`, or a file named `-` | the whole of standard input, verbatim; only **one** value per invocation can come from it |
//! | [`ValueSource::Env`] | `--x-env=VAR` | the variable's bytes; unset is an error naming the variable |
//! | [`ValueSource::File`] | `--x-file=PATH` | the file's bytes; `-` means standard input |
//! | [`ValueSource::Prompt`] | (nothing given) | a no-echo prompt on the terminal, optionally asked twice |
//!
//! A prompt is only offered when a person is there to answer it: standard input is a
//! terminal and `CI` is not set (see [`Terminal::detect`]). Otherwise [`ValueReader::read`] fails at
//! once with a message listing the non-interactive sources, rather than hanging a Makefile or
//! a CI job. The prompt itself reads `/dev/tty` (rpassword), so typed characters are not
//! echoed and the value never touches standard input or output.
//!
//! Values are returned in [`Zeroizing`] buffers, and no error message ever contains a value.
//!
//! ```no_run
//! use pachsecret::input::{Terminal, ValueReader, ValueSource};
//!
//! let mut reader = ValueReader::new(Terminal::detect());
//! let token = reader.read(
//!     &ValueSource::Env("REGISTRY_TOKEN".into()),
//!     "--docker-password-env",
//! )?;
//! # Ok::<(), pachsecret::error::Error>(())
//! ```

use std::ffi::OsString;
use std::fmt;
use std::io::{self, IsTerminal as _};
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::go::io_error::go_io_reason;
use crate::io::input::{self, Limit};
use crate::report::text::{display_bytes, display_path};
use crate::report::{Error, Result};

/// Where one value comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// All of standard input, verbatim.
    Stdin,
    /// The named environment variable.
    Env(OsString),
    /// The file at this path; `-` is standard input.
    File(PathBuf),
    /// A no-echo prompt on the terminal. `label` is shown as `label: `; with `confirm` the
    /// value is asked twice and must match, for values where a typo is only found much later.
    Prompt { label: String, confirm: bool },
}

impl ValueSource {
    /// Whether reading this source consumes standard input.
    pub fn uses_stdin(&self) -> bool {
        match self {
            ValueSource::Stdin => true,
            ValueSource::File(path) => is_stdin_path(path),
            ValueSource::Env(_) | ValueSource::Prompt { .. } => false,
        }
    }

    /// "standard input", "the environment variable X", "PATH": for messages.
    pub fn describe(&self) -> String {
        match self {
            ValueSource::Stdin => "standard input".into(),
            ValueSource::File(path) if is_stdin_path(path) => "standard input".into(),
            ValueSource::Env(name) => {
                format!(
                    "the environment variable {}",
                    display_bytes(name.as_bytes())
                )
            }
            ValueSource::File(path) => display_path(path),
            ValueSource::Prompt { .. } => "the terminal prompt".into(),
        }
    }
}

impl fmt::Debug for ValueSource {
    // Only where the value comes from is shown; a source never holds the value itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ValueSource({})", self.describe())
    }
}

fn is_stdin_path(path: &Path) -> bool {
    path.as_os_str().as_bytes() == b"-"
}

/// Checks, before anything is read, that at most one value comes from standard input.
/// `uses` pairs each planned source with the flag that asked for it.
pub fn ensure_single_stdin_consumer<'a>(
    uses: impl IntoIterator<Item = (&'a ValueSource, &'a str)>,
) -> Result<()> {
    let flags: Vec<&str> = uses
        .into_iter()
        .filter(|(source, _)| source.uses_stdin())
        .map(|(_, flag)| flag)
        .collect();
    if flags.len() > 1 {
        let (last, first) = flags.split_last().unwrap_or((&"", &[]));
        let both = if flags.len() == 2 { "both" } else { "all" };
        return Err(Error::usage(format!(
            "standard input can provide only one value, but {} and {last} {both} read it",
            first.join(", ")
        ))
        .hint(
            "read the other values from environment variables (…-env=VAR) or files (…-file=PATH)",
        ));
    }
    Ok(())
}

/// Whether a person can answer a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terminal {
    /// Standard input is a terminal and this is not a CI job.
    Interactive,
    /// No one to ask: prompting would hang or read the wrong thing.
    Unavailable,
}

impl Terminal {
    /// Interactive when standard input is a terminal and `CI` is unset, empty or false.
    ///
    /// rpassword reads `/dev/tty`, which exists even when standard input is a pipe (a Makefile
    /// run from a terminal); prompting there would block a build that expected to read its
    /// input. So the decision is taken from standard input.
    pub fn detect() -> Self {
        let ci = std::env::var_os("CI").is_some_and(|v| {
            !v.is_empty() && crate::go::pflag::parse_bool(&v.to_string_lossy()) != Some(false)
        });
        if io::stdin().is_terminal() && !ci {
            Terminal::Interactive
        } else {
            Terminal::Unavailable
        }
    }
}

/// Reads values: standard input and files through [`crate::io::input`] (so standard input
/// is read once per run, whoever asks), prompts only when a person can answer.
#[derive(Debug)]
pub struct ValueReader {
    terminal: Terminal,
}

impl ValueReader {
    pub fn new(terminal: Terminal) -> Self {
        ValueReader { terminal }
    }

    pub fn terminal(&self) -> Terminal {
        self.terminal
    }

    /// Reads one value, of at most `limit`. `flag` names what asked for it, for messages
    /// ("--docker-password-env").
    ///
    /// Bytes are returned exactly as found (no newline is stripped; see
    /// [`strip_final_newline`]) except for the prompt, where the Enter that ends the line is
    /// not part of the value.
    pub fn read(
        &mut self,
        source: &ValueSource,
        flag: &str,
        limit: Limit,
    ) -> Result<Zeroizing<Vec<u8>>> {
        match source {
            ValueSource::Stdin => input::read_stdin(flag, limit),
            ValueSource::Env(name) => read_env(name, flag),
            ValueSource::File(path) => input::read(flag, path, limit),
            ValueSource::Prompt { label, confirm } => self.prompt(label, *confirm, flag),
        }
    }

    fn prompt(&self, label: &str, confirm: bool, flag: &str) -> Result<Zeroizing<Vec<u8>>> {
        if self.terminal == Terminal::Unavailable {
            return Err(no_terminal_error(label, flag));
        }
        let first = prompt_once(&format!("{label}: "))?;
        if confirm {
            let second = prompt_once(&format!("{label} (again): "))?;
            if first != second {
                return Err(Error::rejected(format!(
                    "the two entries typed at the prompt {label:?} differ"
                ))
                .hint("run the command again and type the same value twice"));
            }
        }
        Ok(first)
    }
}

/// The error for a value that would need a prompt when no one can answer it.
pub fn no_terminal_error(label: &str, flag: &str) -> Error {
    Error::usage(format!(
        "{label} is needed, but there is no terminal to ask on (standard input is not a terminal, or CI is set)"
    ))
    .hint(format!(
        "give it without a prompt: {flag}-stdin (pipe it in), {flag}-env=VAR or {flag}-file=PATH"
    ))
}

fn prompt_once(prompt: &str) -> Result<Zeroizing<Vec<u8>>> {
    match rpassword::prompt_password(prompt) {
        Ok(value) => Ok(Zeroizing::new(value.into_bytes())),
        Err(e) => Err(
            Error::rejected(format!("reading from the terminal: {}", go_io_reason(&e)))
                .hint("type the value and press Enter; Ctrl-C or Ctrl-D cancels"),
        ),
    }
}

/// The bytes of the environment variable `name`, which `flag` named. Neither a malformed
/// nor an unset name is ever shown: it may be the value, pasted where the name belongs.
pub fn read_env(name: &OsString, flag: &str) -> Result<Zeroizing<Vec<u8>>> {
    if !is_env_var_name(name.as_bytes()) {
        // Not echoed: something that is not a variable name may well be the value itself.
        return Err(Error::usage(format!(
            "{flag} needs the name of an environment variable (letters, digits and '_', not starting with a digit); the argument is not shown in case it is the secret itself"
        ))
        .hint(format!("write {flag}=VAR, with the variable's name, not its value")));
    }
    // The name is not shown even here: a token pasted where the name belongs (`ghp_…`) is a
    // valid variable name too, and would then be printed.
    match std::env::var_os(name) {
        Some(value) => Ok(Zeroizing::new(value.into_encoded_bytes())),
        None => Err(Error::rejected(format!(
            "{flag} names an environment variable that is not set (the name is not shown, in case it is the secret itself)"
        ))
        .hint(format!(
            "{flag} takes the variable's name, not its value; export the variable before running pachsecret (in a Makefile: `export VAR`)"
        ))),
    }
}

/// A POSIX shell variable name: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_env_var_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        }
        None => false,
    }
}

/// Removes one final `\n` (or `\r\n`), the way `docker login --password-stdin` does
/// (`cli/command/registry/login.go`): `echo "$TOKEN" |` and files written by editors end in
/// one, and it is never part of a password.
pub fn strip_final_newline(mut value: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    if value.last() == Some(&b'\n') {
        value.pop();
        if value.last() == Some(&b'\r') {
            value.pop();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_source_may_read_stdin() {
        let stdin = ValueSource::Stdin;
        let dash = ValueSource::File("-".into());
        let env = ValueSource::Env("X".into());
        assert!(ensure_single_stdin_consumer([(&stdin, "--a"), (&env, "--b")]).is_ok());
        let err = ensure_single_stdin_consumer([(&stdin, "--a"), (&dash, "--b")]).unwrap_err();
        assert!(
            err.message.contains("--a and --b both read it"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_file_named_dash_is_stdin() {
        assert!(ValueSource::File("-".into()).uses_stdin());
        assert!(!ValueSource::File("./-x".into()).uses_stdin());
        assert_eq!(ValueSource::File("-".into()).describe(), "standard input");
    }

    #[test]
    fn no_terminal_fails_without_prompting() {
        let mut reader = ValueReader::new(Terminal::Unavailable);
        let source = ValueSource::Prompt {
            label: "Password for r.example".into(),
            confirm: true,
        };
        let err = reader
            .read(&source, "--docker-password", Limit::PASSPHRASE)
            .unwrap_err();
        assert!(err.to_string().contains("--docker-password-stdin"));
        assert!(err.to_string().contains("--docker-password-env=VAR"));
    }

    #[test]
    fn files_are_read_verbatim_and_errors_name_the_flag_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pw");
        std::fs::write(&path, b"s3cret\n").expect("write");
        let mut reader = ValueReader::new(Terminal::Unavailable);
        let value = reader
            .read(
                &ValueSource::File(path.clone()),
                "--x-file",
                Limit::PASSPHRASE,
            )
            .expect("readable");
        assert_eq!(&value[..], b"s3cret\n");
        let err = reader
            .read(
                &ValueSource::File(dir.path().join("missing")),
                "--x-file",
                Limit::PASSPHRASE,
            )
            .unwrap_err();
        assert!(err.message.contains("no such file or directory"));
        assert!(err.message.contains("--x-file"));
    }

    #[test]
    fn unset_or_misnamed_variables_are_reported_by_the_flag_never_by_name() {
        let mut reader = ValueReader::new(Terminal::Unavailable);
        // A token pasted where the name belongs is a valid name, and unset.
        let err = reader
            .read(
                &ValueSource::Env("ghp_S3ntinelTokenValue".into()),
                "the 2nd --from-env",
                Limit::PASSPHRASE,
            )
            .unwrap_err();
        assert!(
            err.message
                .starts_with("the 2nd --from-env names an environment variable that is not set"),
            "{err}"
        );
        assert!(!err.to_string().contains("S3ntinel"), "{err}");
        let err = reader
            .read(
                &ValueSource::Env("hunter2!".into()),
                "--x-env",
                Limit::PASSPHRASE,
            )
            .unwrap_err();
        assert!(err.message.contains("name of an environment variable"));
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn only_the_final_newline_is_stripped() {
        let strip = |v: &[u8]| strip_final_newline(Zeroizing::new(v.to_vec())).to_vec();
        assert_eq!(strip(b"pw\n"), b"pw");
        assert_eq!(strip(b"pw\r\n"), b"pw");
        assert_eq!(strip(b"pw\n\n"), b"pw\n");
        assert_eq!(strip(b"pw\r"), b"pw\r");
        assert_eq!(strip(b""), b"");
    }
}
