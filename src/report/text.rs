//! The one renderer for user-supplied text on a terminal: names, keys, paths, types, label
//! values, certificate subjects and SANs, registry addresses, pipeline names.
//!
//! Such text may hold anything a file name or a JSON string can: ESC sequences that recolour
//! or clear the terminal, a CR that rewrites the line, bidi overrides (U+202E) that make
//! `gpj.exe` read as `exe.jpg`, zero-width characters that hide a difference. Every character
//! Go's `strconv.Quote` would not print raw ([`crate::go::strconv::is_printable`]: controls,
//! format characters, separators other than the space, private use, noncharacters) is shown
//! as an escape (`\u{1b}`, `\u{202e}`), and bytes that are not UTF-8 as `\xff`. Printable text,
//! accents and CJK included, is shown as it is.
//!
//! Every message that shows such text calls [`shown`], [`quoted`] or [`display_path`]; nothing
//! prints it with `{}` or `{:?}` directly.

use std::path::Path;

use crate::go::strconv::is_printable;

/// A path as it may be shown on a terminal.
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    shown(path.as_os_str().as_bytes())
}

/// Bytes (a key, a name) made safe for a terminal, without quotes.
pub fn display_bytes(bytes: &[u8]) -> String {
    shown(bytes)
}

/// Text made safe for a terminal, without quotes.
pub fn shown(text: impl AsRef<[u8]>) -> String {
    render(text.as_ref(), false)
}

/// Text made safe for a terminal, in double quotes (`"`, `\` escaped too), for names that may
/// be empty or hold spaces.
pub fn quoted(text: impl AsRef<[u8]>) -> String {
    let mut out = String::from("\"");
    out.push_str(&render(text.as_ref(), true));
    out.push('"');
    out
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `12th`, `21st`: which occurrence of a flag a message
/// is about, when its value must not be shown (it may be a secret given in the wrong place).
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn render(bytes: &[u8], in_quotes: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' | '\\' if in_quotes => {
                    out.push('\\');
                    out.push(c);
                }
                ' ' => out.push(' '),
                c if is_printable(c) => out.push(c),
                c => out.extend(c.escape_default()),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escapes_and_bidi_overrides_are_escaped() {
        assert_eq!(shown(b"a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(shown(b"line\rover"), "line\\rover");
        assert_eq!(shown("gpj\u{202e}.exe".as_bytes()), "gpj\\u{202e}.exe");
        assert_eq!(
            shown("a\u{2066}b\u{200b}c".as_bytes()),
            "a\\u{2066}b\\u{200b}c"
        );
        assert_eq!(shown(b"\x9b"), "\\x9b");
        assert_eq!(shown("\u{9b}2J".as_bytes()), "\\u{9b}2J");
        assert_eq!(shown(b"\x7f"), "\\u{7f}");
    }

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .map(ordinal)
            .into();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(shown(b"plain/path with space"), "plain/path with space");
        assert_eq!(shown("clé-ключ-鍵".as_bytes()), "clé-ключ-鍵");
        assert_eq!(quoted(b"a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
        assert_eq!(quoted(b""), "\"\"");
    }
}
