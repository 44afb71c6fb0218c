//! Writing a manifest (or any secret-bearing file) safely: created with mode 0600 in a
//! temporary file beside the target, flushed to disk, then renamed over it in one step, so a
//! reader never sees half a file and a failure leaves the target untouched.

use std::io::Write as _;
use std::path::Path;

use crate::go::io_error::go_io_reason;
use crate::report::text::display_path;
use crate::report::{Error, Result};
use crate::secret::WriteError;

/// Writes `bytes` to `path` atomically. Without `overwrite`, an existing file is refused (and
/// the check and the rename are one atomic step: no race with another writer).
pub fn write_atomically(path: &Path, bytes: &[u8], overwrite: bool, flag: &str) -> Result<()> {
    write_atomically_with(path, overwrite, flag, |out| {
        out.write_all(bytes).map_err(WriteError::Sink)
    })
}

/// [`write_atomically`] with the content produced by `produce` (which may stream).
pub fn write_atomically_with(
    path: &Path,
    overwrite: bool,
    flag: &str,
    produce: impl FnOnce(&mut dyn std::io::Write) -> Result<(), WriteError>,
) -> Result<()> {
    write_atomically_inner(path, overwrite, flag, None, produce)
}

/// Replaces (or creates) `path` atomically with `contents`, ending with permission bits
/// `mode` (an in-place edit keeps the original file's mode).
pub fn replace_atomically(path: &Path, contents: &[u8], mode: u32, flag: &str) -> Result<()> {
    write_atomically_inner(path, true, flag, Some(mode), |out| {
        out.write_all(contents).map_err(WriteError::Sink)
    })
}

fn write_atomically_inner(
    path: &Path,
    overwrite: bool,
    flag: &str,
    mode: Option<u32>,
    produce: impl FnOnce(&mut dyn std::io::Write) -> Result<(), WriteError>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let io_error = |what: &str, e: &std::io::Error| {
        Error::rejected(format!(
            "{what} {}: {}",
            display_path(path),
            go_io_reason(e)
        ))
        .hint(format!(
            "check that the directory of {flag} exists and is writable"
        ))
    };
    // tempfile creates the file with mode 0600 and O_EXCL.
    let mut temp = tempfile::Builder::new()
        .prefix(".pachsecret-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error("cannot create a temporary file for", &e))?;
    {
        let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, temp.as_file_mut());
        produce(&mut buffered).map_err(|e| match e {
            WriteError::Source(message) => Error::rejected(message),
            WriteError::Sink(e) => io_error("cannot write", &e),
        })?;
        buffered.flush().map_err(|e| io_error("cannot write", &e))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| io_error("cannot write", &e))?;
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt as _;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| io_error("cannot write", &e))?;
    }
    let persisted = if overwrite {
        temp.persist(path).map(drop)
    } else {
        temp.persist_noclobber(path).map(drop)
    };
    persisted.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::rejected(format!("{} already exists", display_path(path))).hint(format!(
                "pass --force to replace it, or choose another {flag}"
            ))
        } else {
            io_error("cannot write", &e.error)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn creates_private_files_and_refuses_to_overwrite_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        write_atomically(&path, b"one", false, "--output-file").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let err = write_atomically(&path, b"two", false, "--output-file").unwrap_err();
        assert!(err.message.ends_with("already exists"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomically(&path, b"two", true, "--output-file").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file may be left behind");
    }

    #[test]
    fn a_missing_directory_is_an_error_that_names_the_path() {
        let err = write_atomically(
            Path::new("/nonexistent/dir/s.json"),
            b"x",
            false,
            "--output-file",
        )
        .unwrap_err();
        assert!(err.message.contains("/nonexistent/dir/s.json"), "{err}");
    }
}
