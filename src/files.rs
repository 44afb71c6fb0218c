//! Reading input files (`-` is standard input) and writing output files atomically.
//!
//! Every file pachsecret writes goes through [`write_atomically`]: a temporary file created
//! 0600 in the target's directory, synced, given its final mode, then renamed over the target,
//! so a reader never sees half a file and an interrupted run leaves the original intact.

use std::fs::{self, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result, display_path, go_io_reason};

/// How a path is shown in messages: `<stdin>` for `-`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".into()
    } else {
        display_path(path)
    }
}

/// Standard input can be read once: refuses `-` given twice among `paths`.
pub fn ensure_stdin_once<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Result<()> {
    if paths.into_iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::usage("'-' (standard input) is given more than once")
            .hint("standard input can be read once; save the other inputs to files"));
    }
    Ok(())
}

/// Reads a whole file, or standard input for `-`. The buffer is zeroized on drop because
/// manifests hold secret values.
pub fn read_input(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut bytes = Zeroizing::new(Vec::new());
    let read = if path.as_os_str() == "-" {
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| {
        Error::rejected(format!("reading {}: {}", shown(path), go_io_reason(&e)))
            .hint("check the path and its permissions")
    })?;
    Ok(bytes)
}

/// Writes `contents` to `path` atomically. The file ends with `mode` (the original file's
/// mode when replacing one, 0600 for new files).
pub fn write_atomically(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let failed = |e: io::Error, what: &str| {
        Error::rejected(format!(
            "{what} {}: {}",
            display_path(path),
            go_io_reason(&e)
        ))
        .hint("check that the directory exists and is writable")
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temp_path, mut file) = create_temp(&dir, &base).map_err(|e| failed(e, "writing"))?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::set_permissions(&temp_path, fs::Permissions::from_mode(mode)))
        .and_then(|()| fs::rename(&temp_path, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp_path);
        return Err(failed(e, "writing"));
    }
    Ok(())
}

/// The permission bits of an existing file, to keep them when it is replaced.
pub fn existing_mode(path: &Path) -> Result<u32> {
    fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o7777)
        .map_err(|e| {
            Error::rejected(format!(
                "reading {}: {}",
                display_path(path),
                go_io_reason(&e)
            ))
        })
}

fn create_temp(dir: &Path, base: &str) -> io::Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(".{base}.pachsecret-{pid}-{attempt}.tmp"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_sets_the_mode() {
        let dir = std::env::temp_dir().join(format!("pachsecret-files-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("out.json");
        write_atomically(&path, b"one", 0o600).expect("write");
        write_atomically(&path, b"two", 0o640).expect("rewrite");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(existing_mode(&path).expect("mode"), 0o640);
        let leftovers = fs::read_dir(&dir).expect("list").count();
        assert_eq!(leftovers, 1, "no temporary files left behind");
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}
