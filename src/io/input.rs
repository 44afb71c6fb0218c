//! Reading input files (`-` is standard input) and writing output files atomically.
//!
//! Every file pachsecret writes goes through [`write_atomically`]: a temporary file created
//! 0600 in the target's directory, synced, given its final mode, then renamed over the target,
//! so a reader never sees half a file and an interrupted run leaves the original intact.

use std::fs;
use std::io::{self, Read as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::go::io_error::go_io_reason;
use crate::report::text::display_path;
use crate::report::{Error, Result};

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

/// Writes `contents` to `path` atomically (see [`crate::io::atomic`]). The file ends with `mode`
/// (the original file's mode when replacing one, 0600 for new files).
pub fn write_atomically(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    crate::io::atomic::replace_atomically(path, contents, mode, "the output path")
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
