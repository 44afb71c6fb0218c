//! Go `encoding/json` output, byte for byte.
//!
//! kubectl prints with `json.MarshalIndent(obj, "", "    ")` and builds the inner
//! `.dockerconfigjson` and the `--append-hash` input with `json.Marshal`. Both use Go's
//! HTML-safe string escaping, which differs from serde_json in four ways: `<`, `>`, `&`,
//! U+2028 and U+2029 are escaped, and invalid UTF-8 becomes one `\ufffd` *per offending byte*
//! (Go's decoder), not one per maximal subpart as Rust's `from_utf8_lossy` does. Strings here
//! are raw bytes because names, types and usernames come straight from argv or files.
//!
//! This module owns that escaping and a small writer that lays out objects exactly as
//! `MarshalIndent` (4-space indent, `": "`, `{}` for an empty object) or `Marshal` (compact) do.
//! Nothing else in the crate formats JSON for output.

use zeroize::Zeroizing;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` as a Go JSON string literal (quotes included), HTML-safe as `json.Marshal` does.
///
/// Mirrors `appendString` in Go's `encoding/json/encode.go` (Go 1.22+: `\b` and `\f` use their
/// short forms).
pub fn push_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for chunk in s.utf8_chunks() {
        push_valid_str(out, chunk.valid());
        // Go's decoder rejects one byte at a time, so every byte of an invalid sequence
        // gets its own replacement character.
        for _ in chunk.invalid() {
            out.extend_from_slice(b"\\ufffd");
        }
    }
    out.push(b'"');
}

fn push_valid_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape: Option<&[u8]> = match c {
            '"' => Some(b"\\\""),
            '\\' => Some(b"\\\\"),
            '\n' => Some(b"\\n"),
            '\r' => Some(b"\\r"),
            '\t' => Some(b"\\t"),
            '\u{8}' => Some(b"\\b"),
            '\u{c}' => Some(b"\\f"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' | '\u{2028}' | '\u{2029}' => None,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        match escape {
            Some(e) => out.extend_from_slice(e),
            None => {
                let code = c as u32;
                out.extend_from_slice(b"\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((code >> shift) & 0xf) as usize]);
                }
            }
        }
        start = i + c.len_utf8();
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Returns `s` as a Go JSON string literal.
pub fn string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    push_string(&mut out, s);
    out
}

/// Layout of the document being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `json.MarshalIndent(v, "", "    ")`.
    Indented,
    /// `json.Marshal(v)`.
    Compact,
}

/// A writer that produces Go's object layout. The caller emits members in the order Go would
/// (struct field order, or sorted map keys); the writer handles commas, newlines and indentation.
///
/// The buffer is zeroized on drop because it holds base64 of secret values.
pub struct ObjectWriter {
    out: Zeroizing<Vec<u8>>,
    layout: Layout,
    /// One entry per open object: whether it has members yet.
    open: Vec<bool>,
}

impl ObjectWriter {
    pub fn new(layout: Layout) -> Self {
        Self::with_capacity(layout, 256)
    }

    pub fn with_capacity(layout: Layout, capacity: usize) -> Self {
        ObjectWriter {
            out: Zeroizing::new(Vec::with_capacity(capacity)),
            layout,
            open: Vec::new(),
        }
    }

    /// Opens an object as a value (at the top level, or after [`Self::key`]).
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.open.push(false);
    }

    /// Closes the innermost object; an object without members prints as `{}` as in Go.
    pub fn end_object(&mut self) {
        let had_members = self.open.pop().unwrap_or(false);
        if had_members {
            self.newline_and_indent();
        }
        self.out.push(b'}');
    }

    /// Starts a member of the innermost object: separator, indentation and `"key": `.
    pub fn key(&mut self, key: &[u8]) {
        if let Some(has_members) = self.open.last_mut() {
            if *has_members {
                self.out.push(b',');
            }
            *has_members = true;
        }
        self.newline_and_indent();
        push_string(&mut self.out, key);
        self.out.push(b':');
        if self.layout == Layout::Indented {
            self.out.push(b' ');
        }
    }

    /// Writes a string value.
    pub fn string_value(&mut self, value: &[u8]) {
        push_string(&mut self.out, value);
    }

    /// Writes a value that is already valid JSON text (`null`, `true`, a base64 literal...).
    pub fn raw_value(&mut self, value: &[u8]) {
        self.out.extend_from_slice(value);
    }

    /// Shorthand for a `"key": "value"` member.
    pub fn string_member(&mut self, key: &[u8], value: &[u8]) {
        self.key(key);
        self.string_value(value);
    }

    /// Direct access for values that are written in pieces (streamed base64).
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    pub fn finish(self) -> Zeroizing<Vec<u8>> {
        debug_assert!(self.open.is_empty(), "unclosed JSON object");
        self.out
    }

    fn newline_and_indent(&mut self) {
        if self.layout == Layout::Indented {
            self.out.push(b'\n');
            for _ in 0..self.open.len() {
                self.out.extend_from_slice(b"    ");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &[u8]) -> String {
        String::from_utf8(string(s)).expect("escaped output is UTF-8")
    }

    #[test]
    fn html_characters_and_line_separators_are_escaped() {
        assert_eq!(
            quoted("a<b>&c\u{2028}d\u{2029}".as_bytes()),
            r#""a\u003cb\u003e\u0026c\u2028d\u2029""#
        );
    }

    #[test]
    fn control_characters_use_go_short_forms_where_go_has_them() {
        assert_eq!(
            quoted(b"x\x08y\x0cz\n\r\t\x01\x1f\x00"),
            r#""x\by\fz\n\r\t\u0001\u001f\u0000""#
        );
    }

    #[test]
    fn quote_backslash_and_del_follow_go() {
        assert_eq!(quoted(b"\"\\\x7f"), "\"\\\"\\\\\x7f\"");
    }

    #[test]
    fn non_ascii_is_kept_raw() {
        assert_eq!(
            quoted("é\u{a0}\u{feff}\u{fffd}😀".as_bytes()),
            "\"é\u{a0}\u{feff}\u{fffd}😀\""
        );
    }

    #[test]
    fn invalid_utf8_becomes_one_replacement_per_byte() {
        // The vector from kubectl-behaviour.md §1.4: truncated sequence, surrogate,
        // above U+10FFFF, overlong.
        let name = b"a\xe2\x82b\xed\xa0\x80c\xf4\x90\x80\x80d\xc0\xafe";
        assert_eq!(
            quoted(name),
            r#""a\ufffd\ufffdb\ufffd\ufffd\ufffdc\ufffd\ufffd\ufffd\ufffdd\ufffd\ufffde""#
        );
        assert_eq!(quoted(b"i\xffj"), r#""i\ufffdj""#);
    }

    #[test]
    fn indented_layout_matches_marshal_indent() {
        let mut w = ObjectWriter::new(Layout::Indented);
        w.begin_object();
        w.string_member(b"kind", b"Secret");
        w.key(b"metadata");
        w.begin_object();
        w.key(b"creationTimestamp");
        w.raw_value(b"null");
        w.end_object();
        w.key(b"empty");
        w.begin_object();
        w.end_object();
        w.end_object();
        let text = String::from_utf8(w.finish().to_vec()).expect("utf8");
        assert_eq!(
            text,
            "{\n    \"kind\": \"Secret\",\n    \"metadata\": {\n        \"creationTimestamp\": null\n    },\n    \"empty\": {}\n}"
        );
    }

    #[test]
    fn compact_layout_matches_marshal() {
        let mut w = ObjectWriter::new(Layout::Compact);
        w.begin_object();
        w.key(b"data");
        w.begin_object();
        w.end_object();
        w.string_member(b"kind", b"Secret");
        w.end_object();
        assert_eq!(&w.finish()[..], br#"{"data":{},"kind":"Secret"}"#);
    }
}
