//! A minimal DER reader with Go `encoding/asn1`'s strictness, for the few structures whose
//! acceptance must match Go exactly (PKCS#1, PKCS#8, SEC1 keys, SubjectPublicKeyInfo).
//!
//! Go's `asn1.Unmarshal` into a struct reads the fields it knows and ignores extra elements at
//! the end of a SEQUENCE ("adding elements to the end has been used in X.509 as the version
//! numbers have increased", `encoding/asn1/asn1.go`); RustCrypto's typed decoders reject them.
//! Lengths must be minimal DER; indefinite lengths and multi-byte tags are errors.

use num_bigint::{BigInt, Sign};

pub const TAG_INTEGER: u8 = 0x02;
pub const TAG_BIT_STRING: u8 = 0x03;
pub const TAG_OCTET_STRING: u8 = 0x04;
pub const TAG_NULL: u8 = 0x05;
pub const TAG_OID: u8 = 0x06;
pub const TAG_SEQUENCE: u8 = 0x30;

/// One TLV: its tag, its contents and the whole encoding.
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub full: &'a [u8],
}

/// Reads TLVs one after another from a byte string.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { rest: data }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The next TLV, whatever its tag.
    pub fn any(&mut self) -> Option<Tlv<'a>> {
        let data = self.rest;
        let (&tag, after_tag) = data.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, after_len) = after_tag.split_first()?;
        let (len, header_len) = if first & 0x80 == 0 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || after_len.len() < n || after_len[0] == 0 {
                return None;
            }
            let len = after_len[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return None; // not minimal
            }
            (len, 2 + n)
        };
        let total = header_len.checked_add(len)?;
        if data.len() < total {
            return None;
        }
        self.rest = &data[total..];
        Some(Tlv {
            tag,
            content: &data[header_len..total],
            full: &data[..total],
        })
    }

    /// The next TLV if it has `tag`; otherwise nothing is consumed.
    pub fn optional(&mut self, tag: u8) -> Option<Tlv<'a>> {
        let mut probe = *self;
        let tlv = probe.any()?;
        if tlv.tag != tag {
            return None;
        }
        *self = probe;
        Some(tlv)
    }

    /// An optional struct field as Go's `encoding/asn1` reads it (`parseField`): when bytes
    /// remain, the next element's header must parse (`parseTagAndLength`, which allows
    /// multi-byte tags), but its length is checked against the data only when the tag matches
    /// (then it is this field). `None` means an error; `Some(None)` an absent field.
    pub fn go_optional(&mut self, tag: u8) -> Option<Option<Tlv<'a>>> {
        if self.is_empty() {
            return Some(None);
        }
        go_header(self.rest)?;
        if self.rest[0] != tag {
            return Some(None);
        }
        self.any().map(Some)
    }

    /// An optional explicitly tagged field (`asn1:"optional,explicit,tag:N"`) as Go's
    /// `encoding/asn1` reads it: the explicit header's length is not used (the inner element is
    /// read from the enclosing data), and an inner element of another type makes the field
    /// absent rather than an error. Returns the inner element.
    pub fn go_explicit_optional(
        &mut self,
        explicit_tag: u8,
        inner_tag: u8,
    ) -> Option<Option<Tlv<'a>>> {
        if self.is_empty() {
            return Some(None);
        }
        let (header_len, length) = go_header(self.rest)?;
        if header_len == self.rest.len() {
            return None; // "explicit tag has no child"
        }
        if self.rest[0] != explicit_tag {
            return Some(None);
        }
        if length == 0 {
            return None; // "zero length explicit tag was not an asn1.Flag"
        }
        let inner = &self.rest[header_len..];
        go_header(inner)?;
        if inner[0] != inner_tag {
            return Some(None);
        }
        let mut reader = Reader::new(inner);
        let tlv = reader.any()?;
        self.rest = reader.rest;
        Some(Some(tlv))
    }

    /// cryptobyte's optional reads: when the next tag is `tag`, the element must parse.
    /// `None` means malformed; `Some(None)` absent.
    pub fn cryptobyte_optional(&mut self, tag: u8) -> Option<Option<Tlv<'a>>> {
        if self.rest.first() != Some(&tag) {
            return Some(None);
        }
        self.any().map(Some)
    }

    /// The next TLV, which must have `tag`.
    pub fn expect(&mut self, tag: u8) -> Option<Tlv<'a>> {
        let tlv = self.any()?;
        (tlv.tag == tag).then_some(tlv)
    }

    /// A SEQUENCE's contents as a reader.
    pub fn sequence(&mut self) -> Option<Reader<'a>> {
        self.expect(TAG_SEQUENCE).map(|t| Reader::new(t.content))
    }

    /// An INTEGER, with Go's minimal-encoding rule.
    pub fn integer(&mut self) -> Option<BigInt> {
        let tlv = self.expect(TAG_INTEGER)?;
        parse_integer(tlv.content)
    }

    /// An INTEGER that must fit Go's `int` (64 bits).
    pub fn small_integer(&mut self) -> Option<i64> {
        let value = self.integer()?;
        i64::try_from(value).ok()
    }
}

/// The header length and content length of the element at the start of `data` by encoding/asn1's
/// `parseTagAndLength`: high tag numbers allowed (minimal, < 2^31), lengths minimal.
fn go_header(data: &[u8]) -> Option<(usize, u64)> {
    let mut offset = 1;
    if data.first()? & 0x1f == 0x1f {
        let mut tag: u64 = 0;
        let mut shifted = 0;
        loop {
            let &b = data.get(offset)?;
            if shifted == 0 && b == 0x80 {
                return None;
            }
            offset += 1;
            shifted += 1;
            if shifted == 5 {
                return None;
            }
            tag = (tag << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
        if tag < 0x1f || tag > u64::from(i32::MAX.unsigned_abs()) {
            return None;
        }
    }
    let &first = data.get(offset)?;
    offset += 1;
    if first & 0x80 != 0 {
        let count = usize::from(first & 0x7f);
        if count == 0 {
            return None;
        }
        let mut length: u64 = 0;
        for _ in 0..count {
            let &b = data.get(offset)?;
            offset += 1;
            if length >= 1 << 23 {
                return None;
            }
            length = (length << 8) | u64::from(b);
            if length == 0 {
                return None;
            }
        }
        if length < 0x80 {
            return None;
        }
        return Some((offset, length));
    }
    Some((offset, u64::from(first)))
}

/// Go's `parseBigInt` with `checkInteger`: non-empty, no redundant leading 0x00/0xff.
pub fn parse_integer(bytes: &[u8]) -> Option<BigInt> {
    match bytes {
        [] => return None,
        [0x00, next, ..] if next & 0x80 == 0 => return None,
        [0xff, next, ..] if next & 0x80 != 0 => return None,
        _ => {}
    }
    Some(BigInt::from_signed_bytes_be(bytes))
}

/// A BIT STRING's contents with Go's padding rules (cryptobyte's `ReadASN1BitString` and
/// encoding/asn1's `parseBitString` agree), right-aligned as `BitString.RightAlign` does.
pub fn bit_string(content: &[u8]) -> Option<Vec<u8>> {
    let (&padding, bytes) = content.split_first()?;
    if padding > 7
        || (bytes.is_empty() && padding != 0)
        || bytes
            .last()
            .is_some_and(|&b| b & ((1u8 << padding) - 1) != 0)
    {
        return None;
    }
    if padding == 0 {
        return Some(bytes.to_vec());
    }
    // RightAlign: shift the whole string right by the padding bits.
    let shift = u32::from(padding);
    let mut out = vec![0u8; bytes.len()];
    out[0] = bytes[0] >> shift;
    for i in 1..bytes.len() {
        out[i] = (bytes[i - 1] << (8 - shift)) | (bytes[i] >> shift);
    }
    Some(out)
}

/// An OID's contents as cryptobyte's `ReadASN1ObjectIdentifier` (and, for every OID that
/// matters here, encoding/asn1's `parseObjectIdentifier`) accepts them: base-128 components
/// that are minimally encoded and fit 31 bits. Returns the components.
pub fn oid_components(content: &[u8]) -> Option<Vec<u64>> {
    if content.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let mut value: u64 = 0;
        let mut i = 0;
        loop {
            let &b = rest.get(i)?;
            if value >= 1 << (31 - 7) {
                return None;
            }
            if i == 0 && b == 0x80 {
                return None;
            }
            value = (value << 7) | u64::from(b & 0x7f);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        values.push(value);
        rest = &rest[i..];
    }
    let first = values[0];
    let mut components = if first < 80 {
        vec![first / 40, first % 40]
    } else {
        vec![2, first - 80]
    };
    components.extend_from_slice(&values[1..]);
    Some(components)
}

/// Whether a Go big.Int would have `Sign() > 0`.
pub fn is_positive(value: &BigInt) -> bool {
    value.sign() == Sign::Plus
}

/// The bytes of an OID's contents compared against a dotted form, for readable constants.
pub mod oid {
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub const X25519: &[u8] = &[0x2b, 0x65, 0x6e];
    pub const P224: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x21];
    pub const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    pub const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
    pub const SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];
    pub const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
    pub const ED448: &[u8] = &[0x2b, 0x65, 0x71];
    pub const RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
    pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    pub const SHA384_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
    pub const SHA512_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
    pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    pub const ECDSA_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
    pub const ECDSA_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_minimal() {
        assert!(Reader::new(&[0x04, 0x81, 0x01, 0xaa]).any().is_none());
        assert!(Reader::new(&[0x04, 0x80]).any().is_none());
        let mut ok = Reader::new(&[0x04, 0x01, 0xaa, 0x05, 0x00]);
        assert_eq!(ok.any().unwrap().content, [0xaa]);
        assert_eq!(ok.any().unwrap().tag, TAG_NULL);
        assert!(ok.is_empty());
    }

    #[test]
    fn integers_follow_go_checks() {
        assert!(parse_integer(&[]).is_none());
        assert!(parse_integer(&[0x00, 0x01]).is_none());
        assert_eq!(parse_integer(&[0x00, 0x80]).unwrap(), BigInt::from(128));
        assert_eq!(parse_integer(&[0xff]).unwrap(), BigInt::from(-1));
    }
}
