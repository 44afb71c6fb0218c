//! Go's `encoding/pem.Decode`, ported line by line over raw bytes.
//!
//! Which PEM blocks kubectl finds in `--cert` and `--key` decides whether it accepts them, so
//! this is a faithful port of `Decode` in Go's `src/encoding/pem/pem.go` (unchanged from Go 1.21
//! to 1.24), quirks included:
//!
//! * `-----BEGIN ` must start the input or follow a `\n` (an indented BEGIN is not a block);
//! * the type line, after dropping one `\r` and trailing spaces/tabs, must end in `-----`;
//! * the lines after it that contain a `:` are headers; when the input ends inside them there
//!   is no block at all, even if an earlier failed BEGIN was followed by a good block;
//! * the body ends at `\n-----END TYPE-----` (directly after BEGIN when there are no headers),
//!   and the rest of the END line may only hold spaces and tabs;
//! * spaces and tabs in the body are removed, `\r` and `\n` ignored, and the rest must be
//!   padded standard base64 (non-zero trailing bits are accepted: Go's decoder is not strict);
//! * when a candidate block fails, the search resumes where the failed attempt stopped reading
//!   (after the type line, or after its header lines), not after the BEGIN line.
//!
//! PEM parsers in Rust crates (`rustls-pki-types`, `pem-rfc7468`) are stricter or laxer in
//! places; the tests at the end pin where they differ and that Go's rule is the one used.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

/// One decoded PEM block.
#[derive(Clone, PartialEq, Eq)]
pub struct Block {
    /// The text between `-----BEGIN ` and `-----`, verbatim (may be any bytes).
    pub label: Vec<u8>,
    /// `Key: Value` header lines (e.g. `Proc-Type: 4,ENCRYPTED`), trimmed as Go trims them.
    pub headers: BTreeMap<Vec<u8>, Vec<u8>>,
    /// The decoded body. Zeroized on drop: it may be a private key.
    pub der: Zeroizing<Vec<u8>>,
}

impl Block {
    /// The label as text for messages (`%v` of Go's string), control characters escaped.
    pub fn label_text(&self) -> String {
        crate::report::text::display_bytes(&self.label)
    }
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block")
            .field("label", &self.label_text())
            .field("headers", &self.headers.len())
            .field("der", &format_args!("<{} bytes>", self.der.len()))
            .finish()
    }
}

const PEM_START: &[u8] = b"\n-----BEGIN ";
const PEM_END: &[u8] = b"\n-----END ";
const PEM_END_OF_LINE: &[u8] = b"-----";

/// Go's `base64.StdEncoding`: padding required, trailing bits not checked.
const GO_STD_ENCODING: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// `pem.Decode`: the first block in `data` and the bytes after it, or `None` when there is none.
pub fn decode(data: &[u8]) -> Option<(Block, &[u8])> {
    let mut rest = data;
    loop {
        if let Some(after) = rest.strip_prefix(&PEM_START[1..]) {
            rest = after;
        } else if let Some(at) = find(rest, PEM_START) {
            rest = &rest[at + PEM_START.len()..];
        } else {
            return None;
        }

        let (type_line, after_type) = get_line(rest);
        rest = after_type;
        let Some(label) = type_line.strip_suffix(PEM_END_OF_LINE) else {
            continue;
        };

        let mut headers = BTreeMap::new();
        loop {
            // Go returns "no block" here rather than continuing the search.
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                break;
            };
            let key = trim_space(&line[..colon]);
            let value = trim_space(&line[colon + 1..]);
            headers.insert(key.to_vec(), value.to_vec());
            rest = next;
        }

        let (end_index, end_trailer_index) =
            if headers.is_empty() && rest.starts_with(&PEM_END[1..]) {
                (0, PEM_END.len() - 1)
            } else {
                match find(rest, PEM_END) {
                    Some(i) => (i, i + PEM_END.len()),
                    None => continue,
                }
            };

        // After "-----END " come the same type and five dashes, then only spaces and tabs.
        let end_trailer = &rest[end_trailer_index..];
        let end_trailer_len = label.len() + PEM_END_OF_LINE.len();
        if end_trailer.len() < end_trailer_len {
            continue;
        }
        let (end_label_line, rest_of_end_line) = end_trailer.split_at(end_trailer_len);
        if !end_label_line.starts_with(label) || !end_label_line.ends_with(PEM_END_OF_LINE) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }

        let body: Zeroizing<Vec<u8>> = Zeroizing::new(
            rest[..end_index]
                .iter()
                .copied()
                .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .collect(),
        );
        let Ok(der) = GO_STD_ENCODING.decode(&*body) else {
            continue;
        };

        // Go skips from END's "-----END " (minus its newline) to the end of that line.
        let (_, after) = get_line(&rest[end_index + PEM_END.len() - 1..]);
        let block = Block {
            label: label.to_vec(),
            headers,
            der: Zeroizing::new(der),
        };
        return Some((block, after));
    }
}

/// Every block `pem.Decode` finds when called in a loop, as `X509KeyPair` does.
pub fn decode_all(mut data: &[u8]) -> Vec<Block> {
    let mut blocks = Vec::new();
    while let Some((block, rest)) = decode(data) {
        blocks.push(block);
        data = rest;
    }
    blocks
}

/// Go's `getLine`: the line without its `\n` (and one `\r` before it), trailing spaces and
/// tabs trimmed; and the rest after the `\n`.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut end, next) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if next != end && end > 0 && data[end - 1] == b'\r' {
        end -= 1;
    }
    let mut line = &data[..end];
    while let [head @ .., b' ' | b'\t'] = line {
        line = head;
    }
    (line, &data[next..])
}

/// Go's `bytes.TrimSpace` for ASCII input: spaces, `\t`, `\n`, `\v`, `\f`, `\r` (and, for
/// UTF-8, U+0085 and U+00A0, which Go also trims).
fn trim_space(mut s: &[u8]) -> &[u8] {
    fn leading_space(s: &[u8]) -> usize {
        match s {
            [b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r', ..] => 1,
            [0xc2, 0x85 | 0xa0, ..] => 2,
            _ => 0,
        }
    }
    fn trailing_space(s: &[u8]) -> usize {
        match s {
            [.., b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'] => 1,
            [.., 0xc2, 0x85 | 0xa0] => 2,
            _ => 0,
        }
    }
    loop {
        let n = leading_space(s);
        if n == 0 {
            break;
        }
        s = &s[n..];
    }
    loop {
        let n = trailing_space(s);
        if n == 0 {
            break;
        }
        s = &s[..s.len() - n];
    }
    s
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(input: &[u8]) -> Vec<String> {
        decode_all(input)
            .iter()
            .map(|b| String::from_utf8_lossy(&b.label).into_owned())
            .collect()
    }

    const ONE: &[u8] = b"-----BEGIN A-----\nQUJD\n-----END A-----\n";

    #[test]
    fn go_pem_decodes_a_plain_block() {
        let (block, rest) = decode(ONE).unwrap();
        assert_eq!(block.label, b"A");
        assert_eq!(&*block.der, b"ABC");
        assert!(rest.is_empty());
    }

    #[test]
    fn go_pem_skips_leading_text_and_keeps_trailing_text_as_rest() {
        let input = b"subject=CN foo\nissuer=x\n-----BEGIN A-----\nQUJD\n-----END A-----\ngarbage";
        let (block, rest) = decode(input).unwrap();
        assert_eq!(&*block.der, b"ABC");
        assert_eq!(rest, b"garbage");
    }

    #[test]
    fn go_pem_accepts_crlf_line_endings() {
        let input = b"-----BEGIN A-----\r\nQU\r\nJD\r\n-----END A-----\r\n";
        assert_eq!(&*decode(input).unwrap().0.der, b"ABC");
    }

    #[test]
    fn go_pem_ignores_an_indented_begin() {
        assert!(decode(b" -----BEGIN A-----\nQUJD\n-----END A-----\n").is_none());
        assert!(decode(b"x-----BEGIN A-----\nQUJD\n-----END A-----\n").is_none());
    }

    #[test]
    fn go_pem_requires_the_same_label_at_end() {
        assert!(decode(b"-----BEGIN A-----\nQUJD\n-----END B-----\n").is_none());
        assert!(decode(b"-----BEGIN A-----\nQUJD\n-----END AB-----\n").is_none());
    }

    #[test]
    fn go_pem_allows_only_blanks_after_end() {
        assert!(decode(b"-----BEGIN A-----\nQUJD\n-----END A----- \t\n").is_some());
        assert!(decode(b"-----BEGIN A-----\nQUJD\n-----END A-----x\n").is_none());
        assert!(decode(b"-----BEGIN A-----\nQUJD\n-----END A-----").is_some());
    }

    #[test]
    fn go_pem_trims_blanks_after_the_type_line_but_not_before_it() {
        assert!(decode(b"-----BEGIN A----- \t\r\nQUJD\n-----END A-----\n").is_some());
        assert_eq!(
            labels(b"-----BEGIN  A-----\nQUJD\n-----END  A-----\n"),
            [" A"]
        );
        assert!(decode(b"-----BEGIN A-----x\nQUJD\n-----END A-----\n").is_none());
    }

    #[test]
    fn go_pem_removes_blanks_in_the_body_and_rejects_other_junk() {
        assert!(decode(b"-----BEGIN A-----\nQU JD\t\n-----END A-----\n").is_some());
        assert!(decode(b"-----BEGIN A-----\nQU\x0bJD\n-----END A-----\n").is_none());
        assert!(decode(b"-----BEGIN A-----\nQUJ!\n-----END A-----\n").is_none());
    }

    #[test]
    fn go_pem_requires_padding_but_not_zero_trailing_bits() {
        assert!(decode(b"-----BEGIN A-----\nQQ\n-----END A-----\n").is_none());
        assert_eq!(
            &*decode(b"-----BEGIN A-----\nQR==\n-----END A-----\n")
                .unwrap()
                .0
                .der,
            b"A"
        );
        assert!(decode(b"-----BEGIN A-----\nQQ==QQ==\n-----END A-----\n").is_none());
    }

    #[test]
    fn go_pem_allows_an_empty_body() {
        let (block, _) = decode(b"-----BEGIN A-----\n-----END A-----\n").unwrap();
        assert!(block.der.is_empty());
    }

    #[test]
    fn go_pem_reads_headers_until_a_line_without_colon() {
        let input = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQUJD\n-----END RSA PRIVATE KEY-----\n";
        let (block, _) = decode(input).unwrap();
        assert_eq!(block.headers[&b"Proc-Type"[..]], b"4,ENCRYPTED");
        assert_eq!(block.headers.len(), 2);
        assert_eq!(&*block.der, b"ABC");
    }

    #[test]
    fn go_pem_needs_a_newline_before_end_when_there_are_headers() {
        // The header lines are consumed, then END must be found after a '\n'.
        let input = b"-----BEGIN A-----\nk: v\n-----END A-----\n";
        assert!(decode(input).is_none());
    }

    #[test]
    fn go_pem_gives_up_when_input_ends_in_the_headers() {
        // A later good block is not found: Go returns "no block" from inside the header loop.
        let input = b"-----BEGIN A-----\nk: v\n";
        assert!(decode(input).is_none());
        let bad_then_good = b"-----BEGIN A-----\n-----BEGIN B-----\nQUJD\n-----END B-----\n";
        // The first BEGIN's body runs into the second BEGIN; END B does not match A, so the
        // search resumes after the first type line and finds B.
        assert_eq!(labels(bad_then_good), ["B"]);
    }

    #[test]
    fn go_pem_resumes_after_the_failed_type_line() {
        let input =
            b"-----BEGIN A-----\nQUJD\n-----END X-----\n-----BEGIN B-----\nQUJD\n-----END B-----\n";
        assert_eq!(labels(input), ["B"]);
    }

    #[test]
    fn go_pem_finds_several_blocks_and_keeps_their_order() {
        let input = [
            ONE,
            b"junk\n",
            ONE,
            b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
        ]
        .concat();
        assert_eq!(labels(&input), ["A", "A", "EC PARAMETERS"]);
    }

    #[test]
    fn go_pem_accepts_end_directly_after_begin_without_newline_only_without_headers() {
        // "-----END A-----" right after the type line (empty body).
        assert!(decode(b"-----BEGIN A-----\n-----END A-----").is_some());
    }

    #[test]
    fn rustls_pki_types_differs_from_go_and_go_wins() {
        use rustls_pki_types::CertificateDer;
        use rustls_pki_types::pem::PemObject as _;
        // An END line followed by text on the same line: Go skips the block (kubectl then
        // reports no PEM data); rustls-pki-types accepts it. We follow Go.
        let input = b"-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE----- trailing\n";
        assert!(decode(input).is_none());
        let pki: Vec<_> = CertificateDer::pem_slice_iter(input).collect();
        assert_ne!(
            pki.iter().filter(|r| r.is_ok()).count(),
            decode_all(input).len(),
            "rustls-pki-types now agrees with Go here; keep this test honest by picking another case"
        );
    }
}
