//! A strict JSON reader that remembers where every value sits in the input.
//!
//! Two jobs need more than serde_json gives: reading a Secret manifest the way Go's
//! `encoding/json` does (duplicate and case-variant member names must be seen, not collapsed
//! into a map) and patching a pipeline spec by editing its original bytes (every value needs
//! its byte span). The grammar is RFC 8259, as Go's decoder accepts it: no comments, no
//! trailing commas, no leading BOM. Decoded strings follow Go: an invalid UTF-8 byte or an
//! unpaired surrogate escape becomes U+FFFD.

use std::fmt;
use std::ops::Range;

use zeroize::Zeroizing;

/// A decoded JSON string. Zeroized on drop and redacted in `Debug`, because manifest strings
/// carry secret values.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(Zeroizing<String>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text(<{} bytes>)", self.0.len())
    }
}

/// One value and the bytes it spans.
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers are kept as written; nothing here needs their value.
    Number,
    String(Text),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// An object member, in input order (duplicates kept).
#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text.as_str()),
            _ => None,
        }
    }

    /// The first member named exactly `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// What kind of value this is, for messages ("a string", "an array"...).
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl SyntaxError {
    /// `line L, column C` (1-based, columns in bytes) of the error in `input`.
    pub fn position(&self, input: &[u8]) -> String {
        let (line, column) = line_column(input, self.offset);
        format!("line {line}, column {column}")
    }
}

/// 1-based line and byte column of `offset` in `input`.
pub fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// Parses one value starting at `start` (after optional whitespace). Returns it and the offset
/// just after it; trailing bytes are the caller's business.
pub fn parse_value_at(input: &[u8], start: usize) -> Result<(Node, usize), SyntaxError> {
    let mut parser = Parser {
        input,
        pos: start,
        depth: 0,
    };
    parser.skip_whitespace();
    let node = parser.value()?;
    Ok((node, parser.pos))
}

/// Parses a document that holds exactly one value (whitespace around it allowed).
pub fn parse_document(input: &[u8]) -> Result<Node, SyntaxError> {
    let (node, end) = parse_value_at(input, 0)?;
    let rest = skip_whitespace(input, end);
    if rest < input.len() {
        return Err(SyntaxError {
            offset: rest,
            message: format!(
                "invalid character {} after top-level value",
                show_byte(input[rest])
            ),
        });
    }
    Ok(node)
}

/// The offset of the first non-whitespace byte at or after `pos`.
pub fn skip_whitespace(input: &[u8], mut pos: usize) -> usize {
    while pos < input.len() && matches!(input[pos], b' ' | b'\t' | b'\n' | b'\r') {
        pos += 1;
    }
    pos
}

fn show_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// Deeper nesting than this is refused rather than risking the stack (Go's limit is 10000).
const MAX_DEPTH: usize = 512;

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            offset: self.pos,
            message: message.into(),
        })
    }

    fn skip_whitespace(&mut self) {
        self.pos = skip_whitespace(self.input, self.pos);
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn unexpected<T>(&self, looking_for: &str) -> Result<T, SyntaxError> {
        match self.peek() {
            Some(b) => self.error(format!(
                "invalid character {} looking for {looking_for}",
                show_byte(b)
            )),
            None => self.error("unexpected end of JSON input"),
        }
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(Text(Zeroizing::new(self.string()?))),
            Some(b't') => self.literal(b"true", Value::Bool(true))?,
            Some(b'f') => self.literal(b"false", Value::Bool(false))?,
            Some(b'n') => self.literal(b"null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return self.unexpected("beginning of value"),
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, SyntaxError> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.error(format!(
                "invalid literal; expected {}",
                String::from_utf8_lossy(word)
            ))
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let digits = |p: &mut Self| {
            let start = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > start
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return self.unexpected("digit in numeric literal"),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return self.unexpected("digit after decimal point in numeric literal");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return self.unexpected("digit in exponent of numeric literal");
            }
        }
        Ok(Value::Number)
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("exceeded max depth");
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.unexpected("',' or ']' after array element"),
            }
        }
    }

    fn object(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return self.unexpected("beginning of object key string");
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return self.unexpected("':' after object key");
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Object(members));
                }
                _ => return self.unexpected("',' or '}' after object key:value pair"),
            }
        }
    }

    /// A string literal starting at `"`; returns it decoded.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return self.error("unexpected end of JSON input in string literal");
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                0..=0x1f => {
                    return self.error(format!("invalid character {} in string literal", {
                        show_byte(b)
                    }));
                }
                _ => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        Ok(go_lossy_utf8(&out))
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), SyntaxError> {
        let Some(b) = self.peek() else {
            return self.error("unexpected end of JSON input in string escape code");
        };
        self.pos += 1;
        let simple = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let first = self.hex4()?;
                let c = if (0xd800..0xdc00).contains(&first)
                    && self.input[self.pos..].starts_with(b"\\u")
                {
                    let save = self.pos;
                    self.pos += 2;
                    let second = self.hex4()?;
                    if (0xdc00..0xe000).contains(&second) {
                        char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
                    } else {
                        // Go replaces the lone high surrogate and reads the next escape anew.
                        self.pos = save;
                        None
                    }
                } else {
                    char::from_u32(first)
                };
                let c = c.unwrap_or('\u{fffd}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            _ => {
                self.pos -= 1;
                return self.error(format!(
                    "invalid character {} in string escape code",
                    show_byte(b)
                ));
            }
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let Some(digit) = self.peek().and_then(|b| (b as char).to_digit(16)) else {
                return self.unexpected("hexadecimal digit in \\u escape");
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }
}

/// Go's decoder replaces each invalid UTF-8 byte with U+FFFD (one per byte, unlike
/// `String::from_utf8_lossy`, which replaces maximal subparts).
fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for _ in chunk.invalid() {
            out.push('\u{fffd}');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_each_value_exactly() {
        let input = br#" { "a" : [1, -2.5e3, "x\"y"], "b": {} , "c":null } "#;
        let doc = parse_document(input).expect("valid");
        assert_eq!(&input[doc.span.clone()], &input[1..input.len() - 1]);
        let members = doc.as_object().expect("object");
        assert_eq!(members.len(), 3);
        assert_eq!(&input[members[0].key_span.clone()], b"\"a\"");
        let items = members[0].value.as_array().expect("array");
        assert_eq!(&input[items[1].span.clone()], b"-2.5e3");
        assert_eq!(items[2].as_str(), Some("x\"y"));
        assert_eq!(&input[members[1].value.span.clone()], b"{}");
    }

    #[test]
    fn duplicate_members_are_kept_in_order() {
        let doc = parse_document(br#"{"data":1,"Data":2,"data":3}"#).expect("valid");
        let keys: Vec<&str> = doc
            .as_object()
            .expect("object")
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["data", "Data", "data"]);
    }

    #[test]
    fn escapes_decode_like_go() {
        let doc = parse_document(br#""\u00e9\ud83d\ude00\ud800x\/\n""#).expect("valid");
        assert_eq!(doc.as_str(), Some("é😀\u{fffd}x/\n"));
        let doc = parse_document(b"\"a\xffb\"").expect("valid");
        assert_eq!(doc.as_str(), Some("a\u{fffd}b"));
    }

    #[test]
    fn syntax_errors_name_the_position() {
        for (input, offset) in [
            (&b"{\"a\":1,}"[..], 7),
            (b"{\"a\" 1}", 5),
            (b"[1 2]", 3),
            (b"\xef\xbb\xbf{}", 0),
            (b"{} x", 3),
            (b"\"a\nb\"", 2),
            (b"01", 1),
            (b"{\"a\":tru}", 5),
        ] {
            let err = parse_document(input).expect_err("invalid");
            assert_eq!(err.offset, offset, "{:?}", String::from_utf8_lossy(input));
        }
        let err = parse_document(b"{\n  \"a\": 1,\n}").expect_err("invalid");
        assert_eq!(err.position(b"{\n  \"a\": 1,\n}"), "line 3, column 1");
    }

    #[test]
    fn debug_never_shows_string_contents() {
        let doc = parse_document(br#"{"password":"hunter2"}"#).expect("valid");
        assert!(!format!("{doc:?}").contains("hunter2"));
    }
}
