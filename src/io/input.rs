//! The one way pachsecret reads a file named on its command line.
//!
//! Every file-valued flag (`--from-file`, `--from-env-file`, `--cert`, `--key`, `--ca`,
//! `--key-passphrase-file`, `--docker-password-file`, `--from-docker-config`, …) and every
//! file argument (`MANIFEST`, `SPEC`) goes through [`read`] or [`read_value`], so the same
//! rules hold everywhere:
//!
//! - `-` is standard input, which one input per run can read ([`claim_stdin`]); a terminal is
//!   never read to end-of-file (it would echo the value and wait for Ctrl-D);
//! - a regular file's size is known before reading: one over the limit is refused unread,
//!   one under it is read into a buffer of exactly its size;
//! - anything else (a pipe, a FIFO, `/dev/zero`, standard input) is read in bounded steps and
//!   refused as soon as it passes the limit, so no input can make pachsecret read for ever;
//! - buffers are [`Zeroizing`] and grow by copying into a new zeroizing buffer, so no unzeroed
//!   copy of a secret is left behind by a reallocation;
//! - one wording names the path and what it was given to: `error reading PATH for --cert: …`.

use std::fs::File;
use std::io::{self, IsTerminal as _, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::go::io_error::go_io_reason;
use crate::report::text::display_path;
use crate::report::{Error, Result};
use crate::secret::SecretValue;

/// The most an input may hold, and what to tell the user who hits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// Why the limit is there and what to do instead.
    pub hint: &'static str,
}

const MIB: u64 = 1024 * 1024;

impl Limit {
    /// A value of a Secret while the checks are on: the API server refuses a Secret whose
    /// values total more than 1 MiB, so nothing bigger can be accepted.
    pub const SECRET_VALUE: Limit = Limit {
        bytes: MIB,
        hint: "the API server refuses a Secret whose values total more than 1 MiB; mount large files from a PFS input instead",
    };
    /// A value read into memory with the checks off (`--validate=false`, `--validate=warn`):
    /// regular files of any size are streamed, but a pipe or standard input has to be held.
    pub const UNCHECKED_VALUE: Limit = Limit {
        bytes: 64 * MIB,
        hint: "pachsecret holds at most 64 MiB read from a pipe or standard input; save the value to a regular file, which is streamed whatever its size",
    };
    /// A document pachsecret parses: a manifest, a pipeline spec, a Docker config, an env
    /// file, a certificate or key. Far above any real one, far below what would hurt.
    pub const DOCUMENT: Limit = Limit {
        bytes: 16 * MIB,
        hint: "pachsecret reads at most 16 MiB of a manifest, spec, config or certificate file; check that the path names the right file",
    };
    /// A passphrase or password file: one line.
    pub const PASSPHRASE: Limit = Limit {
        bytes: 64 * 1024,
        hint: "a passphrase or password file holds one line; check that the path names the right file",
    };

    /// The limit for a value, by whether the checks can refuse it (`--validate=strict`).
    pub fn for_value(strict: bool) -> Limit {
        if strict {
            Limit::SECRET_VALUE
        } else {
            Limit::UNCHECKED_VALUE
        }
    }

    fn shown(&self) -> String {
        if self.bytes >= MIB && self.bytes.is_multiple_of(MIB) {
            format!("{} MiB", self.bytes / MIB)
        } else if self.bytes >= 1024 && self.bytes.is_multiple_of(1024) {
            format!("{} KiB", self.bytes / 1024)
        } else {
            format!("{} bytes", self.bytes)
        }
    }
}

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How a path is shown in messages: `standard input` for `-`, else terminal-safe.
pub fn describe(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".into()
    } else {
        display_path(path)
    }
}

/// How a file is named at the start of a report line (`lint`, `check`): `<stdin>` for `-`.
pub fn file_label(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".into()
    } else {
        display_path(path)
    }
}

/// Standard input can be read once: refuses `-` given twice among `paths`, before anything
/// is read.
pub fn ensure_stdin_once<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Result<()> {
    if paths.into_iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Error::usage("'-' (standard input) is given more than once")
            .hint("standard input can be read once; save the other inputs to files"));
    }
    Ok(())
}

/// Who has read standard input in this run.
static STDIN_READ_BY: Mutex<Option<String>> = Mutex::new(None);

/// Marks standard input as read by `what`; refuses a second reader, whichever path asks.
pub fn claim_stdin(what: &str) -> Result<()> {
    let mut reader = STDIN_READ_BY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(first) = reader.as_deref() {
        return Err(Error::usage(format!(
            "{what} reads standard input, which {first} has already read"
        ))
        .hint("only one input can come from standard input; use an environment variable or a file for the other"));
    }
    *reader = Some(what.to_string());
    Ok(())
}

/// Reads all of `path` (`-`: standard input) for `what` (`--cert`, `the SPEC argument`),
/// refusing more than `limit`.
pub fn read(what: &str, path: &Path, limit: Limit) -> Result<Zeroizing<Vec<u8>>> {
    if is_stdin(path) {
        return read_stdin(what, limit);
    }
    let (mut file, len) = open_file(what, path)?;
    match len {
        Some(len) if len > limit.bytes => Err(too_large(what, path, limit)),
        Some(len) => {
            read_bounded(&mut file, len as usize, limit).map_err(|e| failed(what, path, limit, e))
        }
        None => read_bounded(&mut file, 0, limit).map_err(|e| failed(what, path, limit, e)),
    }
}

/// Reads one Secret value from `path`. A regular file over the stream threshold is kept open,
/// unread, and streamed when the manifest is written: its size is all the checks need to
/// refuse it. Anything else is read, and with `strict` checks refused as soon as it passes
/// the 1 MiB a Secret can hold.
pub fn read_value(what: &str, path: &Path, strict: bool) -> Result<SecretValue> {
    let limit = Limit::for_value(strict);
    if is_stdin(path) {
        return read_stdin(what, limit).map(SecretValue::from_zeroizing);
    }
    let (mut file, len) = open_file(what, path)?;
    match len {
        Some(len) if len > crate::secret::STREAM_THRESHOLD => {
            Ok(SecretValue::from_large_file(file, path.to_path_buf(), len))
        }
        Some(len) => read_bounded(&mut file, len as usize, limit)
            .map(SecretValue::from_zeroizing)
            .map_err(|e| failed(what, path, limit, e)),
        None => read_bounded(&mut file, 0, limit)
            .map(SecretValue::from_zeroizing)
            .map_err(|e| failed(what, path, limit, e)),
    }
}

/// All of standard input for `what`, once per run.
pub fn read_stdin(what: &str, limit: Limit) -> Result<Zeroizing<Vec<u8>>> {
    claim_stdin(what)?;
    if io::stdin().is_terminal() {
        return Err(Error::usage(format!(
            "{what} reads standard input, but standard input is a terminal"
        ))
        .hint("pipe the input in (`printf %s \"$TOKEN\" | pachsecret ...`, `pachsecret ... < FILE`), or give a file"));
    }
    let mut stdin = io::stdin().lock();
    read_bounded(&mut stdin, 0, limit).map_err(|e| match e {
        Bounded::TooLarge => Error::rejected(format!(
            "standard input (read for {what}) is over the {} limit",
            limit.shown()
        ))
        .hint(limit.hint),
        Bounded::Io(e) => Error::rejected(format!(
            "error reading standard input for {what}: {}",
            go_io_reason(&e)
        )),
    })
}

/// Opens `path` and, for a regular file, returns its size. Directories are refused here, as
/// Go's `os.ReadFile` refuses them (`read PATH: is a directory`).
fn open_file(what: &str, path: &Path) -> Result<(File, Option<u64>)> {
    let io_error = |e: io::Error| io_failure(what, path, &e);
    let file = File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(io_error(io::Error::from_raw_os_error(21)));
    }
    Ok((file, metadata.is_file().then_some(metadata.len())))
}

enum Bounded {
    TooLarge,
    Io(io::Error),
}

/// Reads to the end, in steps, refusing more than `limit`. `expected` sizes the first buffer
/// (a regular file's length, so that it is read without growing).
fn read_bounded(
    input: &mut dyn Read,
    expected: usize,
    limit: Limit,
) -> std::result::Result<Zeroizing<Vec<u8>>, Bounded> {
    let limit_bytes = usize::try_from(limit.bytes).unwrap_or(usize::MAX);
    let mut buffer = Zeroizing::new(Vec::with_capacity(expected.max(8 * 1024) + 1));
    loop {
        if buffer.len() == buffer.capacity() {
            // Grow by hand: `Vec`'s own growth would free the old allocation unzeroed.
            let mut bigger = Zeroizing::new(Vec::with_capacity(buffer.capacity() * 2));
            bigger.extend_from_slice(&buffer);
            buffer = bigger;
        }
        let filled = buffer.len();
        let capacity = buffer.capacity();
        buffer.resize(capacity, 0);
        match input.read(&mut buffer[filled..]) {
            Ok(0) => {
                buffer.truncate(filled);
                return Ok(buffer);
            }
            Ok(n) => {
                buffer.truncate(filled + n);
                if buffer.len() > limit_bytes {
                    return Err(Bounded::TooLarge);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buffer.truncate(filled),
            Err(e) => return Err(Bounded::Io(e)),
        }
    }
}

fn failed(what: &str, path: &Path, limit: Limit, error: Bounded) -> Error {
    match error {
        Bounded::TooLarge => too_large(what, path, limit),
        Bounded::Io(e) => io_failure(what, path, &e),
    }
}

/// The one wording for a file that cannot be read.
pub fn io_failure(what: &str, path: &Path, e: &io::Error) -> Error {
    Error::rejected(format!(
        "error reading {} for {what}: {}",
        display_path(path),
        go_io_reason(e)
    ))
    .hint(format!(
        "check the path given to {what}; relative paths start from the current directory, and `-` reads standard input"
    ))
}

fn too_large(what: &str, path: &Path, limit: Limit) -> Error {
    Error::rejected(format!(
        "{} (given to {what}) is over the {} limit",
        display_path(path),
        limit.shown()
    ))
    .hint(limit.hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_whole_and_errors_name_the_flag_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, b"s3cret\n").unwrap();
        assert_eq!(
            &read("--x-file", &path, Limit::PASSPHRASE).unwrap()[..],
            b"s3cret\n"
        );
        let missing = dir.path().join("missing");
        let err = read("--x-file", &missing, Limit::PASSPHRASE).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "error reading {} for --x-file: no such file or directory",
                missing.display()
            )
        );
        let err = read("--cert", dir.path(), Limit::DOCUMENT).unwrap_err();
        assert!(err.message.ends_with("for --cert: is a directory"), "{err}");
    }

    #[test]
    fn a_regular_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 64 * 1024 + 1]).unwrap();
        let err = read("--key-passphrase-file", &path, Limit::PASSPHRASE).unwrap_err();
        assert!(err.message.ends_with("is over the 64 KiB limit"), "{err}");
    }

    #[test]
    fn endless_inputs_stop_at_the_limit() {
        let mut zeros = io::repeat(0);
        let limit = Limit {
            bytes: 100_000,
            hint: "",
        };
        assert!(matches!(
            read_bounded(&mut zeros, 0, limit),
            Err(Bounded::TooLarge)
        ));
        let mut short: &[u8] = &[7; 100_000];
        assert_eq!(
            read_bounded(&mut short, 0, limit).ok().unwrap().len(),
            100_000
        );
    }

    #[test]
    fn dev_zero_is_refused_at_the_limit() {
        let err = read("--from-file", Path::new("/dev/zero"), Limit::SECRET_VALUE).unwrap_err();
        assert!(err.message.contains("is over the 1 MiB limit"), "{err}");
    }

    #[test]
    fn only_one_input_may_read_stdin() {
        let paths = [PathBuf::from("-"), PathBuf::from("a"), PathBuf::from("-")];
        assert!(ensure_stdin_once(&paths[..2]).is_ok());
        assert!(ensure_stdin_once(&paths).is_err());
    }
}
