//! The `--cert` bundle as a chain: each certificate must be signed by the next one.
//!
//! kubectl parses only the first certificate; a bundle in the wrong order, or with the wrong
//! intermediate, is accepted and then breaks TLS clients. Signatures are verified with
//! RustCrypto: RSA PKCS#1 v1.5 with SHA-256/384/512 (done with plain big-integer arithmetic so
//! that every key size kubectl accepts works), ECDSA P-224…P-521 with SHA-256/384/512, Ed25519.

use num_bigint::BigUint;
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use crate::go::asn1::oid;
use crate::go::x509::Certificate;
use crate::go::x509::keys::{CertKey, Curve, PublicKey};

/// The result of checking one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signature {
    Valid,
    Invalid,
    /// An algorithm we do not verify (SHA-1, RSA-PSS, ...): no verdict.
    Unsupported,
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// The DER `DigestInfo` prefix of PKCS#1 v1.5 signatures (RFC 8017 §9.2 note 1).
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// Whether `issuer_key` made `child`'s signature.
pub fn verify(child: &Certificate, issuer_key: &CertKey) -> Signature {
    let CertKey::Known(key) = issuer_key else {
        return Signature::Unsupported;
    };
    let algorithm = child.signature_algorithm.as_slice();
    let (hash, expects) = match algorithm {
        oid::SHA256_WITH_RSA => (Hash::Sha256, "rsa"),
        oid::SHA384_WITH_RSA => (Hash::Sha384, "rsa"),
        oid::SHA512_WITH_RSA => (Hash::Sha512, "rsa"),
        oid::ECDSA_WITH_SHA256 => (Hash::Sha256, "ecdsa"),
        oid::ECDSA_WITH_SHA384 => (Hash::Sha384, "ecdsa"),
        oid::ECDSA_WITH_SHA512 => (Hash::Sha512, "ecdsa"),
        oid::ED25519 => (Hash::Sha512, "ed25519"),
        _ => return Signature::Unsupported,
    };
    let valid = match (expects, key) {
        ("rsa", PublicKey::Rsa { modulus, exponent }) => {
            verify_rsa(modulus, exponent, hash, &child.tbs, &child.signature)
        }
        ("ecdsa", PublicKey::Ec { curve, point }) => {
            verify_ecdsa(*curve, point, &hash.digest(&child.tbs), &child.signature)
        }
        ("ed25519", PublicKey::Ed25519(bytes)) => {
            verify_ed25519(bytes, &child.tbs, &child.signature)
        }
        // The issuer's key cannot have made this kind of signature.
        _ => false,
    };
    if valid {
        Signature::Valid
    } else {
        Signature::Invalid
    }
}

fn verify_rsa(
    modulus: &BigUint,
    exponent: &BigUint,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let k = usize::try_from(modulus.bits().div_ceil(8)).unwrap_or(usize::MAX);
    if signature.len() != k {
        return false;
    }
    let s = BigUint::from_bytes_be(signature);
    if &s >= modulus {
        return false;
    }
    let m = s.modpow(exponent, modulus).to_bytes_be();
    let mut encoded = vec![0u8; k.saturating_sub(m.len())];
    encoded.extend_from_slice(&m);

    let digest = hash.digest(message);
    let prefix = hash.digest_info_prefix();
    let t_len = prefix.len() + digest.len();
    if k < t_len + 11 {
        return false;
    }
    let mut expected = vec![0x00, 0x01];
    expected.resize(k - t_len - 1, 0xff);
    expected.push(0x00);
    expected.extend_from_slice(prefix);
    expected.extend_from_slice(&digest);
    encoded == expected
}

fn verify_ecdsa(curve: Curve, point: &[u8], prehash: &[u8], signature: &[u8]) -> bool {
    macro_rules! verify {
        ($krate:ident) => {{
            use $krate::ecdsa::signature::hazmat::PrehashVerifier as _;
            let Ok(key) = $krate::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return false;
            };
            let Ok(signature) = $krate::ecdsa::Signature::from_der(signature) else {
                return false;
            };
            key.verify_prehash(prehash, &signature).is_ok()
        }};
    }
    match curve {
        Curve::P224 => verify!(p224),
        Curve::P256 => verify!(p256),
        Curve::P384 => verify!(p384),
        Curve::P521 => verify!(p521),
    }
}

fn verify_ed25519(key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(key) else {
        return false;
    };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    key.verify_strict(message, &signature).is_ok()
}

/// One problem with the order or completeness of a bundle (0-based positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainProblem {
    /// `child` is not signed by the next certificate but by the one at `actual_issuer`.
    Misordered { child: usize, actual_issuer: usize },
    /// `child` is not signed by the next certificate nor by any other in the bundle.
    Broken { child: usize },
    /// A self-signed (root) certificate that is not the last one.
    RootNotLast { root: usize },
}

/// Checks every link `chain[i]` ← `chain[i + 1]`.
pub fn check_order(chain: &[Certificate]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    for child in 0..chain.len().saturating_sub(1) {
        if verify(&chain[child], &chain[child + 1].key) != Signature::Invalid {
            continue;
        }
        if chain[child].is_self_issued()
            && verify(&chain[child], &chain[child].key) == Signature::Valid
        {
            problems.push(ChainProblem::RootNotLast { root: child });
            continue;
        }
        let actual = (0..chain.len())
            .filter(|&j| j != child && j != child + 1)
            .find(|&j| verify(&chain[child], &chain[j].key) == Signature::Valid);
        problems.push(match actual {
            Some(actual_issuer) => ChainProblem::Misordered {
                child,
                actual_issuer,
            },
            None => ChainProblem::Broken { child },
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::pem::decode_all;
    use crate::go::x509::parse_certificate;

    fn certificates(name: &str) -> Vec<Certificate> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/tls")
            .join(name);
        decode_all(&std::fs::read(path).unwrap())
            .iter()
            .map(|b| parse_certificate(&b.der).unwrap())
            .collect()
    }

    #[test]
    fn self_signatures_verify_for_every_algorithm() {
        for name in [
            "rsa1024.crt",
            "rsa2048.crt",
            "p224.crt",
            "p256.crt",
            "p384.crt",
            "p521.crt",
            "ed25519.crt",
        ] {
            let cert = &certificates(name)[0];
            assert_eq!(verify(cert, &cert.key), Signature::Valid, "{name}");
        }
    }

    #[test]
    fn a_changed_signature_or_another_key_does_not_verify() {
        for name in ["rsa2048.crt", "p256.crt", "ed25519.crt"] {
            let mut cert = certificates(name).remove(0);
            let key = cert.key.clone();
            let last = cert.signature.len() - 1;
            cert.signature[last] ^= 1;
            assert_eq!(verify(&cert, &key), Signature::Invalid, "{name}");
        }
        let rsa = &certificates("rsa2048.crt")[0];
        let other = &certificates("expired.crt")[0]; // same key, other certificate
        assert_eq!(verify(other, &rsa.key), Signature::Valid);
        let p256 = &certificates("p256.crt")[0];
        assert_eq!(verify(rsa, &p256.key), Signature::Invalid);
    }

    #[test]
    fn chains_verify_across_algorithms_and_misorder_is_located() {
        // leaf (P-256) <- intermediate (RSA-2048) <- root (P-384)
        assert_eq!(check_order(&certificates("chain.crt")), []);
        assert_eq!(
            check_order(&certificates("chain-misordered.crt")),
            [
                ChainProblem::Misordered {
                    child: 0,
                    actual_issuer: 2
                },
                ChainProblem::RootNotLast { root: 1 },
            ]
        );
        assert_eq!(
            check_order(&certificates("chain-broken.crt")),
            [ChainProblem::Broken { child: 0 }]
        );
    }
}
