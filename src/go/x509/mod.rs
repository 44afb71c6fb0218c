//! `x509.ParseCertificate` as kubectl 1.32 (Go 1.23) applies it, and what we keep of a
//! certificate for messages and the chain check.
//!
//! A port of `parseCertificate` in Go's `crypto/x509/parser.go`: the same fields in the same
//! order, each refused with Go's error text (`x509: malformed validity`, `x509: invalid
//! RDNSequence: ...`, `x509: negative serial number`, ...), names and times parsed with
//! Go's string and time rules, and every extension Go validates while parsing
//! ([`extensions`]). Which Go release's rules apply is a [`GoX509Rules`]: kubectl 1.32's by
//! default, another release's with [`parse_certificate_with`].

pub mod extensions;
pub mod goversion;
pub mod keys;

pub use extensions::SubjectAltName;
pub mod rsa;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

pub use self::goversion::GoX509Rules;
use self::keys::{CertKey, parse_public_key};
use crate::go::asn1::{
    Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_OID, TAG_SEQUENCE, bit_string, oid_components,
};

const TAG_SET: u8 = 0x31;
const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;

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
    /// Contents of the signature algorithm's OID.
    pub signature_algorithm: Vec<u8>,
    pub signature: Vec<u8>,
    /// The subject alternative names, in certificate order.
    pub subject_alt_names: Vec<SubjectAltName>,
    /// Basic constraints say this is a CA.
    pub is_ca: bool,
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

type GoResult<T> = Result<T, String>;

fn err<T>(message: &str) -> GoResult<T> {
    Err(message.to_string())
}

/// `x509.ParseCertificate`: the certificate, or Go's error text.
pub fn parse_certificate(der: &[u8]) -> GoResult<Certificate> {
    parse_certificate_with(der, &GoX509Rules::reference())
}

/// `x509.ParseCertificate` as the Go release of `rules` has it.
pub fn parse_certificate_with(der: &[u8], rules: &GoX509Rules) -> GoResult<Certificate> {
    let mut outer_reader = Reader::new(der);
    let Some(outer) = outer_reader.expect(TAG_SEQUENCE) else {
        return err("x509: malformed certificate");
    };
    let mut input = Reader::new(outer.content);
    let Some(tbs_element) = input.expect(TAG_SEQUENCE) else {
        return err("x509: malformed tbs certificate");
    };
    let mut tbs = Reader::new(tbs_element.content);

    let Some(version) = tbs.cryptobyte_optional(0xa0) else {
        return err("x509: malformed version");
    };
    let version = match version {
        Some(explicit) => {
            let mut inner = Reader::new(explicit.content);
            match inner.small_integer() {
                Some(v) if inner.is_empty() && v >= 0 => v + 1,
                _ => return err("x509: malformed version"),
            }
        }
        None => 1,
    };
    if version > 3 {
        return err("x509: invalid version");
    }

    let serial = tbs.expect(TAG_INTEGER);
    let Some(serial) = serial.filter(|s| crate::go::asn1::parse_integer(s.content).is_some())
    else {
        return err("x509: malformed serial number");
    };
    if serial.content[0] & 0x80 != 0 && !rules.negative_serial_ok {
        // Go 1.23 (kubectl 1.32+) refuses these unless GODEBUG=x509negativeserial=1.
        return err("x509: negative serial number");
    }

    let Some(inner_algorithm) = tbs.expect(TAG_SEQUENCE) else {
        return err("x509: malformed signature algorithm identifier");
    };
    let Some(outer_algorithm) = input.expect(TAG_SEQUENCE) else {
        return err("x509: malformed algorithm identifier");
    };
    if inner_algorithm.content != outer_algorithm.content {
        return err("x509: inner and outer signature algorithm identifiers don't match");
    }
    let signature_algorithm = parse_algorithm_identifier(outer_algorithm.content)?;

    let Some(issuer) = tbs.expect(TAG_SEQUENCE) else {
        return err("x509: malformed issuer");
    };
    parse_name(issuer.full)?;

    let Some(validity) = tbs.expect(TAG_SEQUENCE) else {
        return err("x509: malformed validity");
    };
    let mut validity = Reader::new(validity.content);
    let not_before = parse_time(&mut validity)?;
    let not_after = parse_time(&mut validity)?;

    let Some(subject) = tbs.expect(TAG_SEQUENCE) else {
        return err("x509: malformed issuer"); // sic: Go reuses the issuer message here
    };
    parse_name(subject.full)?;

    let Some(spki) = tbs.expect(TAG_SEQUENCE) else {
        return err("x509: malformed spki");
    };
    let key = parse_spki(spki.content, spki.full)?;

    let mut decoded = extensions::Decoded::default();
    if version > 1 {
        if tbs.cryptobyte_optional(0x81).is_none() {
            return err("x509: malformed issuerUniqueID");
        }
        if tbs.cryptobyte_optional(0x82).is_none() {
            return err("x509: malformed subjectUniqueID");
        }
        if version == 3 {
            match tbs.cryptobyte_optional(0xa3) {
                None => return err("x509: malformed extensions"),
                Some(Some(explicit)) => {
                    decoded = extensions::parse_extensions(explicit.content, rules)?;
                }
                Some(None) => {}
            }
        }
    }

    let Some(signature) = input.expect(TAG_BIT_STRING) else {
        return err("x509: malformed signature");
    };
    let Some(signature) = bit_string(signature.content) else {
        return err("x509: malformed signature");
    };
    if !outer_reader.is_empty() {
        return err("x509: trailing data");
    }

    Ok(Certificate {
        subject: display_name(subject.full),
        issuer: display_name(issuer.full),
        subject_raw: subject.full.to_vec(),
        issuer_raw: issuer.full.to_vec(),
        not_before,
        not_after,
        key,
        tbs: tbs_element.full.to_vec(),
        signature_algorithm,
        signature,
        subject_alt_names: decoded.subject_alt_names,
        is_ca: decoded.is_ca,
    })
}

fn peek_tag(reader: &Reader<'_>) -> Option<u8> {
    reader.rest().first().copied()
}

/// A name already accepted by [`parse_name`] as `C=US, O=Example, CN=example.com` (encoded
/// order), for messages. Control characters are escaped.
fn display_name(der: &[u8]) -> String {
    let mut parts = Vec::new();
    let Some(mut rdns) = Reader::new(der).sequence() else {
        return String::new();
    };
    while let Some(set) = rdns.expect(TAG_SET) {
        let mut set = Reader::new(set.content);
        while let Some(mut attribute) = set.sequence() {
            let (Some(oid), Some(value)) = (attribute.expect(TAG_OID), attribute.any()) else {
                continue;
            };
            let text = match value.tag {
                // BMPString: UTF-16BE.
                30 => String::from_utf16_lossy(
                    &value
                        .content
                        .chunks_exact(2)
                        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                        .collect::<Vec<_>>(),
                ),
                _ => String::from_utf8_lossy(value.content).into_owned(),
            };
            parts.push(format!(
                "{}={}",
                attribute_name(oid.content),
                crate::report::text::display_bytes(text.as_bytes())
            ));
        }
    }
    parts.join(", ")
}

/// Short names of the usual attribute types (RFC 4514), dotted OIDs for the rest.
fn attribute_name(oid: &[u8]) -> String {
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x55, 0x04, 0x05] => "serialNumber".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC".into(),
        other => oid_string(other),
    }
}

fn oid_string(content: &[u8]) -> String {
    oid_components(content)
        .unwrap_or_default()
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// `parseAI`: an OID, then optionally any element as parameters. Returns the OID contents.
fn parse_algorithm_identifier(content: &[u8]) -> GoResult<Vec<u8>> {
    let mut reader = Reader::new(content);
    let oid = reader
        .expect(TAG_OID)
        .filter(|t| oid_components(t.content).is_some());
    let Some(oid) = oid else {
        return err("x509: malformed OID");
    };
    if !reader.is_empty() && reader.any().is_none() {
        return err("x509: malformed parameters");
    }
    Ok(oid.content.to_vec())
}

/// `parseName`: a SEQUENCE of SETs of (OID, string) pairs, strings checked by type.
fn parse_name(der: &[u8]) -> GoResult<()> {
    let Some(mut rdns) = Reader::new(der).sequence() else {
        return err("x509: invalid RDNSequence");
    };
    while !rdns.is_empty() {
        let Some(set) = rdns.expect(TAG_SET) else {
            return err("x509: invalid RDNSequence");
        };
        let mut set = Reader::new(set.content);
        while !set.is_empty() {
            let Some(mut attribute) = set.sequence() else {
                return err("x509: invalid RDNSequence: invalid attribute");
            };
            let attribute_type = attribute
                .expect(TAG_OID)
                .filter(|t| oid_components(t.content).is_some());
            if attribute_type.is_none() {
                return err("x509: invalid RDNSequence: invalid attribute type");
            }
            let Some(value) = attribute.any() else {
                return err("x509: invalid RDNSequence: invalid attribute value");
            };
            if let Err(reason) = check_asn1_string(value.tag, value.content) {
                return Err(format!(
                    "x509: invalid RDNSequence: invalid attribute value: {reason}"
                ));
            }
        }
    }
    Ok(())
}

/// `parseASN1String`: which bytes each string type may hold.
fn check_asn1_string(tag: u8, value: &[u8]) -> Result<(), String> {
    let printable = |b: u8| {
        b.is_ascii_alphanumeric()
            || (b'\''..=b')').contains(&b)
            || (b'+'..=b'/').contains(&b)
            || matches!(b, b' ' | b':' | b'=' | b'?' | b'*' | b'&')
    };
    match tag {
        20 => Ok(()),
        19 if value.iter().all(|&b| printable(b)) => Ok(()),
        19 => Err("invalid PrintableString".into()),
        12 if std::str::from_utf8(value).is_ok() => Ok(()),
        12 => Err("invalid UTF-8 string".into()),
        30 if value.len().is_multiple_of(2) => Ok(()),
        30 => Err("invalid BMPString".into()),
        22 if value.is_ascii() => Ok(()),
        22 => Err("invalid IA5String".into()),
        18 if value.iter().all(|&b| b.is_ascii_digit() || b == b' ') => Ok(()),
        18 => Err("invalid NumericString".into()),
        other => Err(format!("unsupported string type: {other}")),
    }
}

/// `parseTime`: a UTCTime or GeneralizedTime with cryptobyte's strict formats.
fn parse_time(reader: &mut Reader<'_>) -> GoResult<OffsetDateTime> {
    match peek_tag(reader) {
        Some(TAG_UTC_TIME) => reader
            .expect(TAG_UTC_TIME)
            .and_then(|t| parse_utc_time(t.content))
            .ok_or_else(|| "x509: malformed UTCTime".to_string()),
        Some(TAG_GENERALIZED_TIME) => reader
            .expect(TAG_GENERALIZED_TIME)
            .and_then(|t| parse_generalized_time(t.content))
            .ok_or_else(|| "x509: malformed GeneralizedTime".to_string()),
        _ => err("x509: unsupported time format"),
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Go's `Z0700` zone: `Z`, or `±hhmm` that is not zero (Go would print zero back as `Z`).
fn parse_zone(s: &[u8]) -> Option<UtcOffset> {
    match s {
        b"Z" => Some(UtcOffset::UTC),
        [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 24 || minutes > 59 || (hours == 0 && minutes == 0) {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            UtcOffset::from_whole_seconds(if *sign == b'-' { -seconds } else { seconds }).ok()
        }
        _ => None,
    }
}

fn make_time(year: i32, fields: &[u32], zone: &[u8]) -> Option<OffsetDateTime> {
    let [month, day, hour, minute, second] = *fields else {
        return None;
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let time = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(parse_zone(zone)?))
}

/// `ReadASN1UTCTime`: `YYMMDDhhmm[ss]Z` or with `±hhmm`; years 50–99 are 19xx.
fn parse_utc_time(s: &[u8]) -> Option<OffsetDateTime> {
    let field = |i: usize| digits(s.get(i..i + 2)?);
    let year = field(0)?;
    let year = if year >= 50 { 1900 + year } else { 2000 + year };
    let (second, zone_at) = match s.get(10) {
        Some(b) if b.is_ascii_digit() => (field(10)?, 12),
        _ => (0, 10),
    };
    let fields = [field(2)?, field(4)?, field(6)?, field(8)?, second];
    make_time(i32::try_from(year).ok()?, &fields, s.get(zone_at..)?)
}

/// `ReadASN1GeneralizedTime`: `YYYYMMDDhhmmssZ` or with `±hhmm`, nothing else.
fn parse_generalized_time(s: &[u8]) -> Option<OffsetDateTime> {
    let field = |i: usize| digits(s.get(i..i + 2)?);
    let year = digits(s.get(0..4)?)?;
    let fields = [field(4)?, field(6)?, field(8)?, field(10)?, field(12)?];
    make_time(i32::try_from(year).ok()?, &fields, s.get(14..)?)
}

fn parse_spki(content: &[u8], full: &[u8]) -> GoResult<CertKey> {
    let mut spki = Reader::new(content);
    let Some(algorithm) = spki.expect(TAG_SEQUENCE) else {
        return err("x509: malformed public key algorithm identifier");
    };
    parse_algorithm_identifier(algorithm.content)?;
    let key_bits = spki
        .expect(TAG_BIT_STRING)
        .and_then(|t| bit_string(t.content));
    if key_bits.is_none() {
        return err("x509: malformed subjectPublicKey");
    }
    parse_public_key(full).map_err(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_utc_time_accepts_seconds_or_minutes_and_refuses_zero_offsets() {
        assert!(parse_utc_time(b"250101000000Z").is_some());
        assert!(parse_utc_time(b"2501010000Z").is_some());
        assert!(parse_utc_time(b"250101000000+0100").is_some());
        assert!(parse_utc_time(b"250101000000+0000").is_none());
        assert!(parse_utc_time(b"250230000000Z").is_none());
        assert!(parse_utc_time(b"250101000060Z").is_none());
        assert_eq!(
            parse_utc_time(b"500101000000Z").unwrap().year(),
            1950,
            "UTCTime 50-99 are 19xx"
        );
    }

    #[test]
    fn go_generalized_time_has_no_fractions() {
        assert!(parse_generalized_time(b"20450101000000Z").is_some());
        assert!(parse_generalized_time(b"20450101000000.5Z").is_none());
        assert!(parse_generalized_time(b"204501010000Z").is_none());
    }

    #[test]
    fn go_oids_are_minimal_and_fit_31_bits() {
        assert_eq!(oid_components(&[0x55, 0x1d, 0x13]).unwrap(), [2, 5, 29, 19]);
        assert!(oid_components(&[0x55, 0x80, 0x01]).is_none());
        assert!(oid_components(&[0x55, 0x81]).is_none());
        assert!(oid_components(&[]).is_none());
    }

    #[test]
    fn go_name_strings_are_checked_by_type() {
        assert!(check_asn1_string(19, b"Example Inc.").is_ok());
        assert!(check_asn1_string(19, b"a@b").is_err());
        assert!(check_asn1_string(12, b"\xff").is_err());
        assert_eq!(
            check_asn1_string(4, b"x").unwrap_err(),
            "unsupported string type: 4"
        );
    }

    #[test]
    fn names_are_shown_with_short_attribute_names_in_encoded_order() {
        let rdn = |oid: &[u8], tag: u8, value: &[u8]| {
            let attribute = [
                &[0x06, oid.len() as u8][..],
                oid,
                &[tag, value.len() as u8],
                value,
            ]
            .concat();
            let sequence = [&[0x30, attribute.len() as u8][..], &attribute].concat();
            [&[0x31, sequence.len() as u8][..], &sequence].concat()
        };
        let body = [
            rdn(&[0x55, 0x04, 0x06], 19, b"US"),
            rdn(&[0x55, 0x04, 0x03], 12, b"example.com"),
            rdn(&[0x2a, 0x03], 30, &[0x00, 0x41, 0x00, 0x42]),
        ]
        .concat();
        let name = [&[0x30, body.len() as u8][..], &body].concat();
        assert!(parse_name(&name).is_ok());
        assert_eq!(display_name(&name), "C=US, CN=example.com, 1.2.3=AB");
    }

    #[test]
    fn go_bit_strings_are_right_aligned() {
        assert_eq!(bit_string(&[0, 0xab]).unwrap(), [0xab]);
        assert_eq!(bit_string(&[4, 0xab, 0xc0]).unwrap(), [0x0a, 0xbc]);
        assert!(bit_string(&[1, 0x01]).is_none());
        assert!(bit_string(&[8, 0x00]).is_none());
        assert!(bit_string(&[]).is_none());
    }
}
