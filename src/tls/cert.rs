//! `x509.ParseCertificate` as kubectl 1.32 (Go 1.23) applies it, and what we keep of a
//! certificate for messages and the chain check.
//!
//! The outer structure, version, serial number, signature algorithms and public key are
//! checked with Go's rules and error texts (`crypto/x509/parser.go`); the rest of the
//! structure (names, validity, extensions) is parsed by `x509-parser`, whose failures are
//! reported as Go's generic `x509: malformed certificate`.

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer as _, X509Certificate};

use super::asn1::{Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_OID};
use super::keys::{CertKey, parse_public_key};

/// A certificate Go's parser accepts, reduced to what pachsecret reports on.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// RFC 4514-style subject, e.g. `CN=example.com, O=Example`.
    pub subject: String,
    pub issuer: String,
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key: CertKey,
    /// The DER of the TBSCertificate: what the issuer signed.
    pub tbs: Vec<u8>,
    /// Contents of the outer signature algorithm's OID.
    pub signature_algorithm: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Certificate {
    /// `CN=example.com` for messages; `(empty subject)` when there is none.
    pub fn name(&self) -> String {
        if self.subject.is_empty() {
            "(empty subject)".to_string()
        } else {
            self.subject.clone()
        }
    }

    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }
}

/// `x509.ParseCertificate`: the certificate, or Go's error text.
pub fn parse_certificate(der: &[u8]) -> Result<Certificate, &'static str> {
    const MALFORMED: &str = "x509: malformed certificate";
    let mut input = Reader::new(der);
    let mut outer = input.sequence().ok_or(MALFORMED)?;
    if !input.is_empty() {
        return Err("x509: trailing data");
    }
    let tbs = outer.any().ok_or("x509: malformed tbs certificate")?;
    let mut tbs_fields = Reader::new(tbs.content);
    let version = match tbs_fields.optional(0xa0) {
        Some(explicit) => {
            let mut inner = Reader::new(explicit.content);
            let v = inner.small_integer().ok_or("x509: malformed version")?;
            if v < 0 {
                return Err("x509: malformed version");
            }
            v + 1
        }
        None => 1,
    };
    if version > 3 {
        return Err("x509: invalid version");
    }
    let serial = tbs_fields
        .expect(TAG_INTEGER)
        .ok_or("x509: malformed serial number")?;
    if super::asn1::parse_integer(serial.content).is_none() {
        return Err("x509: malformed serial number");
    }
    if serial.content[0] & 0x80 != 0 {
        // Go 1.23 (kubectl 1.32+) refuses these unless GODEBUG=x509negativeserial=1.
        return Err("x509: negative serial number");
    }
    let inner_algorithm = tbs_fields
        .any()
        .ok_or("x509: malformed signature algorithm identifier")?;
    let outer_algorithm = outer.any().ok_or("x509: malformed algorithm identifier")?;
    let signature = outer
        .expect(TAG_BIT_STRING)
        .ok_or("x509: malformed signature")?;
    let signature = match signature.content {
        [0, bits @ ..] => bits,
        _ => return Err("x509: malformed signature"),
    };
    let signature_algorithm = Reader::new(outer_algorithm.content)
        .expect(TAG_OID)
        .ok_or("x509: malformed algorithm identifier")?
        .content;

    let (rest, parsed) = X509Certificate::from_der(der).map_err(|_| MALFORMED)?;
    if !rest.is_empty() {
        return Err("x509: trailing data");
    }
    if inner_algorithm.full != outer_algorithm.full {
        return Err("x509: inner and outer signature algorithm identifiers don't match");
    }
    let key = parse_public_key(parsed.public_key().raw)?;
    let validity = parsed.validity();
    Ok(Certificate {
        subject: parsed.subject().to_string(),
        issuer: parsed.issuer().to_string(),
        subject_raw: parsed.subject().as_raw().to_vec(),
        issuer_raw: parsed.issuer().as_raw().to_vec(),
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        key,
        tbs: tbs.full.to_vec(),
        signature_algorithm: signature_algorithm.to_vec(),
        signature: signature.to_vec(),
    })
}
