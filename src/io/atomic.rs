//! The one way pachsecret writes a file: `-O`, `--snippet-file`, `--output-dir`,
//! `patch --in-place` and `lint --fix` all go through [`write_file`].
//!
//! The content is written to a new file created with mode 0600 in the target's directory,
//! flushed to disk, and only then put in place in one step, so a reader never sees half a file
//! and a failure leaves the target as it was:
//!
//! - On Linux the new file is unnamed (`O_TMPFILE`): while it is being written there is no
//!   name on disk at all, so even `kill -9` or a power cut leaves nothing behind for
//!   `git add -A` to pick up. It is then linked in place (`linkat`), which for a new target is
//!   also the atomic "refuse if it exists" step.
//! - Where unnamed files are not supported (some file systems, other systems), it is a
//!   `.pachsecret-*.tmp` file beside the target, removed on any error and on SIGINT, SIGTERM
//!   and SIGHUP.
//!
//! Replacing an existing target (`--force`, in-place edits) goes through a short-lived
//! temporary name and `rename`, which is atomic.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use crate::go::io_error::go_io_reason;
use crate::report::text::display_path;
use crate::report::{Error, Result};
use crate::secret::WriteError;

/// What to do when the target exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refuse (exit 1, target untouched) unless `--force` was given: `-O`, `--snippet-file`.
    Refuse,
    /// Replace it; the new file has mode 0600 (`--force`, `--output-dir`).
    Replace,
    /// Replace it and keep its permission bits: an in-place edit of the user's own file
    /// (`patch --in-place`, `lint --fix`).
    ReplaceKeepingMode,
}

impl Existing {
    /// [`Existing::Refuse`], or [`Existing::Replace`] with `--force`.
    pub fn unless_forced(force: bool) -> Self {
        if force {
            Existing::Replace
        } else {
            Existing::Refuse
        }
    }
}

/// Writes `bytes` to `path` (named by `what` in messages, e.g. `--output-file`).
pub fn write_bytes(path: &Path, what: &str, existing: Existing, bytes: &[u8]) -> Result<()> {
    write_file(path, what, existing, |out| {
        out.write_all(bytes).map_err(WriteError::Sink)
    })
}

/// Writes what `produce` writes (it may stream) to `path`, atomically.
pub fn write_file(
    path: &Path,
    what: &str,
    existing: Existing,
    produce: impl FnOnce(&mut dyn Write) -> Result<(), WriteError>,
) -> Result<()> {
    let failure = |action: &str, e: &io::Error| write_failure(action, path, what, e);
    let mode = match existing {
        Existing::ReplaceKeepingMode => Some(
            std::fs::metadata(path)
                .map_err(|e| failure("cannot read the mode of", &e))?
                .permissions()
                .mode()
                & 0o7777,
        ),
        Existing::Refuse | Existing::Replace => None,
    };
    let dir = directory_of(path);
    let mut pending = Pending::create(&dir).map_err(|e| failure("cannot write", &e))?;
    {
        let mut buffered = io::BufWriter::with_capacity(256 * 1024, pending.file());
        produce(&mut buffered).map_err(|e| match e {
            WriteError::Source(message) => Error::rejected(message),
            WriteError::Sink(e) => failure("cannot write", &e),
        })?;
        buffered.flush().map_err(|e| failure("cannot write", &e))?;
    }
    let file = pending.file();
    file.sync_all().map_err(|e| failure("cannot write", &e))?;
    if let Some(mode) = mode {
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| failure("cannot write", &e))?;
    }
    let placed = match existing {
        Existing::Refuse => pending.link_new(path),
        Existing::Replace | Existing::ReplaceKeepingMode => pending.replace(path),
    };
    placed.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::rejected(format!("{} already exists", display_path(path))).hint(format!(
                "pass --force to replace it, or choose another {what}"
            ))
        } else {
            failure("cannot write", &e)
        }
    })?;
    // The new name is durable only once its directory entry is.
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn write_failure(action: &str, path: &Path, what: &str, e: &io::Error) -> Error {
    Error::rejected(format!(
        "{action} {} ({what}): {}",
        display_path(path),
        go_io_reason(e)
    ))
    .hint(format!(
        "check that the directory given to {what} exists and is writable"
    ))
}

fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The new file while it is being written.
struct Pending {
    file: File,
    dir: PathBuf,
    /// The temporary name of a named fallback file: removed on drop unless it was moved.
    named: Option<PathBuf>,
}

impl Pending {
    fn create(dir: &Path) -> io::Result<Pending> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            use rustix::io::Errno;
            let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
            match rustix::fs::open(dir, flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => {
                    return Ok(Pending {
                        file: File::from(fd),
                        dir: dir.to_path_buf(),
                        named: None,
                    });
                }
                // Unnamed files are not supported here (EOPNOTSUPP; EISDIR or EINVAL on old
                // kernels): fall back to a named one. Anything else is a real error.
                Err(Errno::NOTSUP | Errno::ISDIR | Errno::INVAL) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let (file, path) = create_named(dir)?;
        Ok(Pending {
            file,
            dir: dir.to_path_buf(),
            named: Some(path),
        })
    }

    fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Gives the file the name `target`, failing with `AlreadyExists` if it is taken: the
    /// atomic no-clobber step (`link(2)` never replaces a name).
    fn link_new(self, target: &Path) -> io::Result<()> {
        match &self.named {
            None => link_unnamed(&self.file, target),
            Some(temporary) => {
                // Drop then removes the temporary name; the content stays under `target`.
                std::fs::hard_link(temporary, target)
            }
        }
    }

    /// Puts the file at `target`, replacing what is there (`rename(2)` is atomic).
    fn replace(mut self, target: &Path) -> io::Result<()> {
        if let Some(temporary) = self.named.take() {
            let renamed = std::fs::rename(&temporary, target);
            Cleanup::forget(&temporary);
            if renamed.is_err() {
                let _ = std::fs::remove_file(&temporary);
            }
            return renamed;
        }
        // An unnamed file cannot be renamed: link it under a fresh temporary name (its
        // content is complete by now), then rename that over the target.
        let temporary = loop {
            let candidate = self.dir.join(temporary_name());
            match link_unnamed(&self.file, &candidate) {
                Ok(()) => break candidate,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        let guard = Cleanup::register(temporary.clone());
        let renamed = std::fs::rename(&temporary, target);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        drop(guard);
        renamed
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(path) = self.named.take() {
            let _ = std::fs::remove_file(&path);
            Cleanup::forget(&path);
        }
    }
}

#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, target: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd as _;
    // linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, target, AT_SYMLINK_FOLLOW) is the
    // unprivileged way to give an O_TMPFILE a name (open(2)).
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    rustix::fs::linkat(
        rustix::fs::CWD,
        proc_path.as_str(),
        rustix::fs::CWD,
        target,
        rustix::fs::AtFlags::SYMLINK_FOLLOW,
    )
    .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn link_unnamed(_file: &File, _target: &Path) -> io::Result<()> {
    unreachable!("unnamed files are only made on Linux")
}

fn temporary_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        ".pachsecret-{}-{nanos:x}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates `.pachsecret-*.tmp` with mode 0600, never reusing a name (`O_EXCL`).
fn create_named(dir: &Path) -> io::Result<(File, PathBuf)> {
    use std::os::unix::fs::OpenOptionsExt as _;
    loop {
        let path = dir.join(temporary_name());
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path);
        match created {
            Ok(file) => {
                Cleanup::register(path.clone()).keep();
                return Ok((file, path));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Temporary names that exist on disk right now, removed if the process is told to stop.
static TEMPORARY_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A registered temporary name; unregisters itself on drop unless [`Cleanup::keep`] hands
/// that job to the owner.
struct Cleanup(Option<PathBuf>);

impl Cleanup {
    fn register(path: PathBuf) -> Cleanup {
        watch_termination_signals();
        lock_temporary_files().push(path.clone());
        Cleanup(Some(path))
    }

    fn keep(mut self) {
        self.0 = None;
    }

    fn forget(path: &Path) {
        lock_temporary_files().retain(|p| p != path);
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            Cleanup::forget(&path);
        }
    }
}

fn lock_temporary_files() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY_FILES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary names, then die of the signal as the
/// default action would (so the exit status still says which signal it was).
fn watch_termination_signals() {
    static WATCHING: Once = Once::new();
    WATCHING.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                for path in lock_temporary_files().drain(..) {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn entries(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn creates_private_files_and_refuses_to_overwrite_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        write_bytes(&path, "--output-file", Existing::Refuse, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(mode_of(&path), 0o600);
        let err = write_bytes(&path, "--output-file", Existing::Refuse, b"two").unwrap_err();
        assert!(err.message.ends_with("already exists"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_bytes(&path, "--output-file", Existing::Replace, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            entries(dir.path()),
            1,
            "no temporary file may be left behind"
        );
    }

    #[test]
    fn in_place_edits_keep_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.json");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_bytes(&path, "SPEC", Existing::ReplaceKeepingMode, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(mode_of(&path), 0o640);
        assert_eq!(entries(dir.path()), 1);
    }

    #[test]
    fn a_failed_producer_leaves_the_target_and_the_directory_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, b"old").unwrap();
        let err = write_file(&path, "--output-file", Existing::Replace, |out| {
            out.write_all(b"partial").map_err(WriteError::Sink)?;
            Err(WriteError::Source("the source changed".into()))
        })
        .unwrap_err();
        assert_eq!(err.message, "the source changed");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(dir.path()), 1);
    }

    #[test]
    fn the_named_fallback_cleans_up_too() {
        let dir = tempfile::tempdir().unwrap();
        let (file, temp) = create_named(dir.path()).unwrap();
        let pending = Pending {
            file,
            dir: dir.path().to_path_buf(),
            named: Some(temp.clone()),
        };
        assert_eq!(mode_of(&temp), 0o600);
        let target = dir.path().join("t");
        pending.link_new(&target).unwrap();
        assert!(!temp.exists());
        assert!(target.exists());
        assert!(lock_temporary_files().iter().all(|p| p != &temp));
    }

    #[test]
    fn a_missing_directory_is_an_error_that_names_the_path() {
        let err = write_bytes(
            Path::new("/nonexistent/dir/s.json"),
            "--output-file",
            Existing::Refuse,
            b"x",
        )
        .unwrap_err();
        assert!(err.message.contains("/nonexistent/dir/s.json"), "{err}");
        assert!(err.message.contains("(--output-file)"), "{err}");
    }
}
