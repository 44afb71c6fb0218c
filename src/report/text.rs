//! User-supplied text (names, keys, paths, types, certificate subjects) made safe for a terminal.

use std::path::Path;

/// A path as it may be shown on a terminal: lossy UTF-8, with control characters escaped so
/// that a file name cannot inject terminal escape sequences into stderr.
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    display_bytes(path.as_os_str().as_bytes())
}

/// Bytes (a key, a path) made safe for a terminal: see [`display_path`].
pub fn display_bytes(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if !text.chars().any(char::is_control) {
        return text.into_owned();
    }
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_paths_are_escaped() {
        assert_eq!(display_bytes(b"a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(display_bytes(b"plain/path"), "plain/path");
    }
}
