//! Go's `strconv.Quote` (the `%q` verb), as Go 1.22–1.24 implement it (`strconv/quote.go`,
//! `unicode.IsPrint`).
//!
//! kubectl shows offending keys with `%q`, so messages that name a key use this to read as
//! kubectl's do. Because it escapes every control, format and bidi character, it is also safe to
//! print on a terminal.

/// Go's `strconv.Quote` (the `%q` verb): printable characters raw, everything else escaped.
///
/// Go decides "printable" with Unicode tables; this covers the categories that matter in
/// practice (controls, format characters such as U+FEFF and bidi marks, separators, private
/// use, noncharacters). Used for keys in messages, which also keeps terminal control
/// sequences out of stderr.
pub fn go_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{b}' => out.push_str("\\v"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    out.push_str(&format!("\\x{:02x}", c as u32));
                }
                c if is_printable(c) => out.push(c),
                c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// `unicode.IsPrint`: whether `strconv.Quote` prints `c` as it is (the ASCII space counts; no
/// other separator does).
pub fn is_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    !matches!(u,
        0x80..=0xa0           // C1 controls, NO-BREAK SPACE (Zs)
        | 0xad                // SOFT HYPHEN (Cf)
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
        | 0x1680              // OGHAM SPACE MARK (Zs)
        | 0x2000..=0x200f     // spaces, zero-width and direction marks
        | 0x2028..=0x202f     // line/paragraph separators, bidi embeddings, NNBSP
        | 0x205f..=0x206f     // MMSP, invisible operators, bidi isolates
        | 0x3000              // IDEOGRAPHIC SPACE
        | 0xd800..=0xf8ff     // surrogates and private use
        | 0xfdd0..=0xfdef     // noncharacters
        | 0xfeff              // BYTE ORDER MARK
        | 0xfff0..=0xfffb     // specials before U+FFFC
        | 0xfffe..=0xffff
        | 0xe0000..=0xe0fff   // tags, variation selectors supplement
        | 0xf0000..
    ) && (u & 0xfffe) != 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote_matches_strconv_quote() {
        assert_eq!(go_quote(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote(b"a\nb\x01\x7f"), r#""a\nb\x01\x7f""#);
        assert_eq!(go_quote("\u{feff}B".as_bytes()), r#""\ufeffB""#);
        assert_eq!(go_quote("é😀".as_bytes()), "\"é😀\"");
        assert_eq!(go_quote(b"\xff"), r#""\xff""#);
        assert_eq!(go_quote("\u{e0001}".as_bytes()), r#""\U000e0001""#);
    }
}
