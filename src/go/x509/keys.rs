//! Public and private keys as Go's `crypto/x509` and `crypto/tls` see them.
//!
//! [`parse_private_key`] is `parsePrivateKey` of `crypto/tls/tls.go` (PKCS#1, then PKCS#8,
//! then SEC1, whatever the PEM label says); [`parse_public_key`] is `parsePublicKey` of
//! `crypto/x509/parser.go` for a certificate's SubjectPublicKeyInfo. Both reduce a key to a
//! [`PublicKey`] so that `X509KeyPair`'s comparison (RSA modulus, EC point, Ed25519 bytes) is a
//! plain equality, and so that messages can say which kind of key was found.

use std::fmt;

use num_bigint::{BigUint, Sign};
use zeroize::Zeroizing;

use super::goversion::GoX509Rules;
use crate::go::asn1::{self, Reader, TAG_BIT_STRING, TAG_NULL, TAG_OCTET_STRING, TAG_OID, oid};

/// The elliptic curves Go's `crypto/x509` supports (`namedCurveFromOID`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn from_oid(oid_bytes: &[u8]) -> Option<Curve> {
        match oid_bytes {
            oid::P224 => Some(Curve::P224),
            oid::P256 => Some(Curve::P256),
            oid::P384 => Some(Curve::P384),
            oid::P521 => Some(Curve::P521),
            _ => None,
        }
    }

    /// Bytes of a scalar or coordinate.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P224 => 28,
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::P224 => "P-224",
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
}

/// A public key reduced to what `X509KeyPair` compares.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Go compares only the modulus (`pub.N.Cmp(priv.N)`), not the exponent.
    Rsa {
        modulus: BigUint,
        exponent: BigUint,
    },
    /// The uncompressed point `04 || X || Y`.
    Ec {
        curve: Curve,
        point: Vec<u8>,
    },
    Ed25519([u8; 32]),
}

/// The kind of key, for "type does not match" decisions and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    Ecdsa,
    Ed25519,
}

impl PublicKey {
    pub fn kind(&self) -> KeyKind {
        match self {
            PublicKey::Rsa { .. } => KeyKind::Rsa,
            PublicKey::Ec { .. } => KeyKind::Ecdsa,
            PublicKey::Ed25519(_) => KeyKind::Ed25519,
        }
    }

    /// `X509KeyPair`'s equality: same kind, and the same modulus / point / key bytes.
    pub fn matches(&self, other: &PublicKey) -> bool {
        match (self, other) {
            (PublicKey::Rsa { modulus: a, .. }, PublicKey::Rsa { modulus: b, .. }) => a == b,
            (PublicKey::Ec { point: a, .. }, PublicKey::Ec { point: b, .. }) => a == b,
            (PublicKey::Ed25519(a), PublicKey::Ed25519(b)) => a == b,
            _ => false,
        }
    }

    /// RSA modulus size in bits.
    pub fn rsa_bits(&self) -> Option<u64> {
        match self {
            PublicKey::Rsa { modulus, .. } => Some(modulus.bits()),
            _ => None,
        }
    }
}

/// "RSA 2048-bit", "ECDSA P-256", "Ed25519".
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicKey::Rsa { modulus, .. } => write!(f, "RSA {}-bit", modulus.bits()),
            PublicKey::Ec { curve, .. } => write!(f, "ECDSA {}", curve.name()),
            PublicKey::Ed25519(_) => f.write_str("Ed25519"),
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A certificate's key: one Go understands, or another algorithm (which parses but makes
/// `X509KeyPair` fail with "unknown public key algorithm").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertKey {
    Known(PublicKey),
    /// DSA, X25519, Ed448, RSA-PSS, ...: described by name.
    Other(&'static str),
}

/// How a private key was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyEncoding {
    Pkcs1,
    Pkcs8,
    Sec1,
}

impl KeyEncoding {
    pub fn name(self) -> &'static str {
        match self {
            KeyEncoding::Pkcs1 => "PKCS#1",
            KeyEncoding::Pkcs8 => "PKCS#8",
            KeyEncoding::Sec1 => "SEC1",
        }
    }
}

/// A private key Go accepts, reduced to its public half.
#[derive(Clone, Debug)]
pub struct PrivateKey {
    pub public: PublicKey,
    pub encoding: KeyEncoding,
}

/// Why Go's `parsePrivateKey` refused a key: its exact error text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrivateKeyError {
    /// `tls: found unknown private key type in PKCS#8 wrapping` (e.g. X25519).
    UnknownPkcs8Type,
    /// `tls: failed to parse private key`.
    Unparseable,
}

impl PrivateKeyError {
    pub fn go_message(self) -> &'static str {
        match self {
            PrivateKeyError::UnknownPkcs8Type => {
                "tls: found unknown private key type in PKCS#8 wrapping"
            }
            PrivateKeyError::Unparseable => "tls: failed to parse private key",
        }
    }
}

/// `parsePrivateKey` in `crypto/tls/tls.go`: PKCS#1, then PKCS#8, then SEC1.
pub fn parse_private_key(der: &[u8]) -> Result<PrivateKey, PrivateKeyError> {
    parse_private_key_with(der, &GoX509Rules::reference())
}

/// `parsePrivateKey` as the Go release of `rules` has it.
pub fn parse_private_key_with(
    der: &[u8],
    rules: &GoX509Rules,
) -> Result<PrivateKey, PrivateKeyError> {
    if let Some(public) = parse_pkcs1_private_key(der, rules) {
        return Ok(PrivateKey {
            public,
            encoding: KeyEncoding::Pkcs1,
        });
    }
    match parse_pkcs8_private_key(der, rules) {
        Pkcs8::Key(public) => {
            return Ok(PrivateKey {
                public,
                encoding: KeyEncoding::Pkcs8,
            });
        }
        Pkcs8::UnsupportedType => return Err(PrivateKeyError::UnknownPkcs8Type),
        Pkcs8::Invalid => {}
    }
    match parse_ec_private_key(None, der) {
        Some(public) => Ok(PrivateKey {
            public,
            encoding: KeyEncoding::Sec1,
        }),
        None => Err(PrivateKeyError::Unparseable),
    }
}

/// `x509.ParsePKCS1PrivateKey`, including `rsa.PrivateKey.Validate` ([`super::rsa`]).
fn parse_pkcs1_private_key(der: &[u8], rules: &GoX509Rules) -> Option<PublicKey> {
    let mut outer = Reader::new(der);
    let mut seq = outer.sequence()?;
    if !outer.is_empty() {
        return None; // "trailing data"
    }
    let version = seq.small_integer()?;
    let n = seq.integer()?;
    let e = seq.small_integer()?;
    let d = seq.integer()?;
    let p = seq.integer()?;
    let q = seq.integer()?;
    // Dp, Dq, Qinv are optional; additional primes follow for multi-prime keys.
    let mut crt = Vec::new();
    for _ in 0..3 {
        if let Some(value) = seq.go_optional(asn1::TAG_INTEGER)? {
            crt.push(asn1::parse_integer(value.content)?);
        }
    }
    let mut primes = vec![p, q];
    if let Some(more) = seq.go_optional(asn1::TAG_SEQUENCE)? {
        let mut more = Reader::new(more.content);
        while !more.is_empty() {
            let mut prime_info = more.sequence()?;
            let prime = prime_info.integer()?;
            prime_info.integer()?;
            prime_info.integer()?;
            if !asn1::is_positive(&prime) {
                return None;
            }
            primes.push(prime);
        }
    }
    if version > 1 {
        return None;
    }
    if ![&n, &d, &primes[0], &primes[1]]
        .iter()
        .all(|v| asn1::is_positive(v))
    {
        return None;
    }
    let fields = super::rsa::RsaFields {
        n: &n,
        e,
        d: &d,
        primes: &primes,
        crt: &crt,
    };
    if !super::rsa::validate(&fields, rules) {
        return None;
    }
    Some(PublicKey::Rsa {
        modulus: n.to_biguint()?,
        exponent: BigUint::from(e.unsigned_abs()),
    })
}

enum Pkcs8 {
    Key(PublicKey),
    /// Parsed, but not RSA, ECDSA or Ed25519 (X25519): Go's "unknown private key type".
    UnsupportedType,
    Invalid,
}

/// `x509.ParsePKCS8PrivateKey`. Go ignores trailing bytes after the structure and any
/// fields after the private key (attributes, the v2 public key).
fn parse_pkcs8_private_key(der: &[u8], rules: &GoX509Rules) -> Pkcs8 {
    let parse = || -> Option<Pkcs8> {
        let mut seq = Reader::new(der).sequence()?;
        seq.small_integer()?;
        let mut algorithm = seq.sequence()?;
        let algorithm_oid = algorithm.expect(TAG_OID)?.content;
        asn1::oid_components(algorithm_oid)?;
        let parameters = algorithm.rest();
        if !parameters.is_empty() {
            // pkix.AlgorithmIdentifier's optional RawValue must be a well-formed element.
            Reader::new(parameters).any()?;
        }
        let private_key = seq.expect(TAG_OCTET_STRING)?.content;
        Some(match algorithm_oid {
            oid::RSA_ENCRYPTION => match parse_pkcs1_private_key(private_key, rules) {
                Some(key) => Pkcs8::Key(key),
                None => Pkcs8::Invalid,
            },
            oid::EC_PUBLIC_KEY => {
                // Go: parameters that are not an OID mean "use the key's own curve".
                let named_curve = Reader::new(parameters)
                    .expect(TAG_OID)
                    .map(|t| t.content)
                    .filter(|oid| asn1::oid_components(oid).is_some());
                match parse_ec_private_key(named_curve, private_key) {
                    Some(key) => Pkcs8::Key(key),
                    None => Pkcs8::Invalid,
                }
            }
            oid::ED25519 => match ed25519_seed(parameters, private_key) {
                Some(seed) => {
                    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
                    Pkcs8::Key(PublicKey::Ed25519(signing.verifying_key().to_bytes()))
                }
                None => Pkcs8::Invalid,
            },
            oid::X25519 => match ed25519_seed(parameters, private_key) {
                Some(_) => Pkcs8::UnsupportedType,
                None => Pkcs8::Invalid,
            },
            _ => Pkcs8::Invalid,
        })
    };
    parse().unwrap_or(Pkcs8::Invalid)
}

/// RFC 8410: no parameters, and an OCTET STRING of 32 bytes inside the private key.
fn ed25519_seed(parameters: &[u8], private_key: &[u8]) -> Option<Zeroizing<[u8; 32]>> {
    if !parameters.is_empty() {
        return None;
    }
    let inner = Reader::new(private_key).expect(TAG_OCTET_STRING)?;
    let seed: [u8; 32] = inner.content.try_into().ok()?;
    Some(Zeroizing::new(seed))
}

/// `parseECPrivateKey` in `crypto/x509/sec1.go`: the curve from PKCS#8's parameters if given,
/// else from the key's own; leading zeros padded or stripped as Go does.
fn parse_ec_private_key(named_curve: Option<&[u8]>, der: &[u8]) -> Option<PublicKey> {
    let mut seq = Reader::new(der).sequence()?;
    let version = seq.small_integer()?;
    let scalar = seq.expect(TAG_OCTET_STRING)?.content;
    let own_curve = match seq.go_explicit_optional(0xa0, TAG_OID)? {
        Some(oid) => {
            asn1::oid_components(oid.content)?;
            Some(oid.content)
        }
        None => None,
    };
    if let Some(bits) = seq.go_explicit_optional(0xa1, TAG_BIT_STRING)? {
        asn1::bit_string(bits.content)?;
    }
    if version != 1 {
        return None;
    }
    let curve = Curve::from_oid(named_curve.or(own_curve)?)?;
    let len = curve.field_len();
    let mut scalar = scalar;
    while scalar.len() > len {
        if scalar[0] != 0 {
            return None;
        }
        scalar = &scalar[1..];
    }
    let mut padded = Zeroizing::new(vec![0u8; len]);
    padded[len - scalar.len()..].copy_from_slice(scalar);
    let point = ec_public_point(curve, &padded)?;
    Some(PublicKey::Ec { curve, point })
}

/// The uncompressed public point for a scalar (Go: `curve.ScalarBaseMult`). Scalars of zero or
/// at least the group order are refused (Go refuses the latter; zero gives no valid key).
fn ec_public_point(curve: Curve, scalar: &[u8]) -> Option<Vec<u8>> {
    macro_rules! point {
        ($krate:ident) => {{
            use $krate::elliptic_curve::sec1::ToSec1Point as _;
            let secret = $krate::SecretKey::from_slice(scalar).ok()?;
            secret.public_key().to_sec1_point(false).as_bytes().to_vec()
        }};
    }
    Some(match curve {
        Curve::P224 => point!(p224),
        Curve::P256 => point!(p256),
        Curve::P384 => point!(p384),
        Curve::P521 => point!(p521),
    })
}

/// Why `parsePublicKey` refused a certificate's key: Go's error text.
pub type PublicKeyError = &'static str;

/// `parsePublicKey` in `crypto/x509/parser.go` for an SPKI's algorithm, parameters and key.
pub fn parse_public_key(spki: &[u8]) -> Result<CertKey, PublicKeyError> {
    const MALFORMED: &str = "x509: malformed spki";
    let mut seq = Reader::new(spki).sequence().ok_or(MALFORMED)?;
    let mut algorithm = seq.sequence().ok_or(MALFORMED)?;
    let algorithm_oid = algorithm.expect(TAG_OID).ok_or(MALFORMED)?.content;
    let parameters = algorithm.rest();
    let bits = seq.expect(TAG_BIT_STRING).ok_or(MALFORMED)?.content;
    // Go right-aligns a BIT STRING with unused bits (`BitString.RightAlign`) and parses that.
    let key = asn1::bit_string(bits).ok_or("x509: malformed subjectPublicKey")?;
    let key = key.as_slice();
    match algorithm_oid {
        oid::RSA_ENCRYPTION => {
            if parameters != [TAG_NULL, 0] {
                return Err("x509: RSA key missing NULL parameters");
            }
            let mut outer = Reader::new(key);
            let mut rsa = outer.sequence().ok_or("x509: invalid RSA public key")?;
            let n = rsa.integer().ok_or("x509: invalid RSA modulus")?;
            let e = rsa.integer().ok_or("x509: invalid RSA public exponent")?;
            if n.sign() != Sign::Plus {
                return Err("x509: RSA modulus is not a positive number");
            }
            let e_fits = i64::try_from(&e).is_ok();
            if !e_fits {
                return Err("x509: invalid RSA public exponent");
            }
            if e.sign() != Sign::Plus {
                return Err("x509: RSA public exponent is not a positive number");
            }
            Ok(CertKey::Known(PublicKey::Rsa {
                modulus: n.to_biguint().ok_or("x509: invalid RSA modulus")?,
                exponent: e.to_biguint().ok_or("x509: invalid RSA public exponent")?,
            }))
        }
        oid::EC_PUBLIC_KEY => {
            let curve_oid = Reader::new(parameters)
                .expect(TAG_OID)
                .filter(|t| asn1::oid_components(t.content).is_some())
                .ok_or("x509: invalid ECDSA parameters")?
                .content;
            let curve = Curve::from_oid(curve_oid).ok_or("x509: unsupported elliptic curve")?;
            // elliptic.Unmarshal: uncompressed points only, on the curve.
            let valid = key.len() == 1 + 2 * curve.field_len()
                && key[0] == 4
                && ec_point_is_valid(curve, key);
            if !valid {
                return Err("x509: failed to unmarshal elliptic curve point");
            }
            Ok(CertKey::Known(PublicKey::Ec {
                curve,
                point: key.to_vec(),
            }))
        }
        oid::ED25519 => {
            if !parameters.is_empty() {
                return Err("x509: Ed25519 key encoded with illegal parameters");
            }
            let bytes: [u8; 32] = key
                .try_into()
                .map_err(|_| "x509: wrong Ed25519 public key size")?;
            Ok(CertKey::Known(PublicKey::Ed25519(bytes)))
        }
        oid::X25519 => {
            if !parameters.is_empty() {
                return Err("x509: X25519 key encoded with illegal parameters");
            }
            Ok(CertKey::Other("X25519"))
        }
        oid::DSA => Ok(CertKey::Other("DSA")),
        oid::ED448 => Ok(CertKey::Other("Ed448")),
        oid::RSA_PSS => Ok(CertKey::Other("RSA-PSS")),
        _ => Ok(CertKey::Other("an unknown algorithm")),
    }
}

fn ec_point_is_valid(curve: Curve, point: &[u8]) -> bool {
    match curve {
        Curve::P224 => p224::PublicKey::from_sec1_bytes(point).is_ok(),
        Curve::P256 => p256::PublicKey::from_sec1_bytes(point).is_ok(),
        Curve::P384 => p384::PublicKey::from_sec1_bytes(point).is_ok(),
        Curve::P521 => p521::PublicKey::from_sec1_bytes(point).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_der(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/tls")
            .join(name);
        let pem = std::fs::read(path).unwrap();
        let block = crate::go::tls_keypair::select_key_block(&pem).unwrap();
        block.der.to_vec()
    }

    /// DER of a SEQUENCE holding `parts`.
    fn sequence(parts: &[&[u8]]) -> Vec<u8> {
        let body = parts.concat();
        let mut out = vec![asn1::TAG_SEQUENCE];
        if body.len() < 0x80 {
            out.push(body.len() as u8);
        } else {
            out.extend_from_slice(&[0x81, body.len() as u8]);
        }
        out.extend_from_slice(&body);
        out
    }

    /// The fields of a SEC1 key: version, scalar, [0] curve, [1] public key.
    fn sec1_fields(der: &[u8]) -> Vec<Vec<u8>> {
        let mut seq = Reader::new(der).sequence().unwrap();
        let mut fields = Vec::new();
        while let Some(tlv) = seq.any() {
            fields.push(tlv.full.to_vec());
        }
        fields
    }

    #[test]
    fn go_parses_every_encoding_whatever_the_label() {
        for (name, encoding, kind) in [
            ("rsa2048.key", KeyEncoding::Pkcs1, KeyKind::Rsa),
            ("rsa2048.pk8.key", KeyEncoding::Pkcs8, KeyKind::Rsa),
            ("p224.key", KeyEncoding::Sec1, KeyKind::Ecdsa),
            ("p256.params.key", KeyEncoding::Sec1, KeyKind::Ecdsa),
            ("p521.pk8.key", KeyEncoding::Pkcs8, KeyKind::Ecdsa),
            ("ed25519.key", KeyEncoding::Pkcs8, KeyKind::Ed25519),
        ] {
            let key = parse_private_key(&fixture_der(name)).unwrap();
            assert_eq!(
                (key.encoding, key.public.kind()),
                (encoding, kind),
                "{name}"
            );
        }
    }

    #[test]
    fn go_refuses_trailing_bytes_after_pkcs1_but_not_after_pkcs8_or_sec1() {
        let mut pkcs1 = fixture_der("rsa2048.key");
        pkcs1.push(0);
        assert_eq!(
            parse_private_key(&pkcs1).unwrap_err(),
            PrivateKeyError::Unparseable
        );
        for name in ["rsa2048.pk8.key", "p256.key"] {
            let mut der = fixture_der(name);
            der.extend_from_slice(&[0x05, 0x00]);
            assert!(parse_private_key(&der).is_ok(), "{name}");
        }
    }

    #[test]
    fn go_treats_an_explicit_field_with_another_inner_type_as_absent() {
        let fields = sec1_fields(&fixture_der("p256.key"));
        let mut public = fields[3].clone();
        public[2] = asn1::TAG_OCTET_STRING; // [1] { OCTET STRING } instead of BIT STRING
        let der = sequence(&[&fields[0], &fields[1], &fields[2], &public]);
        assert!(parse_private_key(&der).is_ok());
    }

    #[test]
    fn go_refuses_an_explicit_header_that_ends_the_data() {
        let fields = sec1_fields(&fixture_der("p256.key"));
        // "explicit tag has no child": a trailing element header with nothing after it.
        let der = sequence(&[&fields[0], &fields[1], &fields[2], &[0x05, 0x00]]);
        assert!(parse_private_key(&der).is_err());
        let der = sequence(&[&fields[0], &fields[1], &fields[2]]);
        assert!(parse_private_key(&der).is_ok());
    }

    #[test]
    fn go_refuses_invalid_padding_in_the_sec1_public_key() {
        let fields = sec1_fields(&fixture_der("p256.key"));
        let mut public = fields[3].clone();
        public[4] = 1; // one unused bit, but the last byte's low bit is set or not: make it set
        let last = public.len() - 1;
        public[last] |= 1;
        let der = sequence(&[&fields[0], &fields[1], &fields[2], &public]);
        assert!(parse_private_key(&der).is_err());
    }

    #[test]
    fn x25519_in_pkcs8_is_an_unknown_type_and_ed448_unparseable() {
        assert_eq!(
            parse_private_key(&fixture_der("x25519.key")).unwrap_err(),
            PrivateKeyError::UnknownPkcs8Type
        );
        assert_eq!(
            parse_private_key(&fixture_der("ed448.key")).unwrap_err(),
            PrivateKeyError::Unparseable
        );
    }

    #[test]
    fn go_right_aligns_a_public_key_bit_string_with_unused_bits() {
        let mut key = [0x11u8; 32];
        key[31] = 0xf0;
        let spki = |padding: u8| {
            let mut der = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
            der.extend_from_slice(&[0x03, 0x21, padding]);
            der.extend_from_slice(&key);
            der
        };
        assert_eq!(
            parse_public_key(&spki(0)).unwrap(),
            CertKey::Known(PublicKey::Ed25519(key))
        );
        let CertKey::Known(PublicKey::Ed25519(shifted)) = parse_public_key(&spki(4)).unwrap()
        else {
            panic!("an Ed25519 key");
        };
        assert_eq!(shifted[0], 0x01);
        assert_eq!(shifted[31], 0x1f);
        assert!(parse_public_key(&spki(5)).is_err(), "a set unused bit");
    }

    #[test]
    fn go_compares_only_the_rsa_modulus() {
        let a = PublicKey::Rsa {
            modulus: BigUint::from(77u32),
            exponent: BigUint::from(3u32),
        };
        let b = PublicKey::Rsa {
            modulus: BigUint::from(77u32),
            exponent: BigUint::from(65537u32),
        };
        assert!(a.matches(&b));
        assert_eq!(a.to_string(), "RSA 7-bit");
    }
}
