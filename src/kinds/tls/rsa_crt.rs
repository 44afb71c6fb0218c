//! An RSA private key whose CRT values (dP, dQ, qInv) disagree with its primes is corrupt:
//! kubectl 1.32 and earlier accept it (Go recomputes the values), kubectl 1.33 refuses it
//! (`tls: failed to parse private key`), and TLS libraries that use the stored values sign
//! wrongly with it. This check reports it whatever kubectl release is the reference.

use std::path::Path;

use crate::go::x509::rsa::crt_inconsistency_in_key;
use crate::report::Finding;
use crate::report::text::display_path;

/// An error finding when the key DER (PKCS#1, or RSA in PKCS#8) has inconsistent CRT values.
pub fn check_rsa_crt(key_der: &[u8], path: &Path) -> Option<Finding> {
    let wrong = crt_inconsistency_in_key(key_der);
    if wrong.is_empty() {
        return None;
    }
    let shown = display_path(path);
    Some(Finding::error(
        format!(
            "the RSA private key in {shown} is corrupt: its CRT value{} {} do{} not match its primes (kubectl 1.33 and later refuse it: tls: failed to parse private key)",
            if wrong.len() == 1 { "" } else { "s" },
            wrong.join(", "),
            if wrong.len() == 1 { "es" } else { "" },
        ))
        .hint(format!(
            "check the key with `openssl rsa -check -in {shown} -noout`; re-export it from a good copy, or issue a new key and certificate"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_der(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/tls")
            .join(name);
        let pem = std::fs::read(path).unwrap();
        crate::go::tls_keypair::select_key_block(&pem)
            .unwrap()
            .der
            .to_vec()
    }

    /// The PKCS#1 key with its dP (7th INTEGER) increased by two.
    fn with_wrong_dp(der: &[u8]) -> Vec<u8> {
        use crate::go::asn1::Reader;
        let mut seq = Reader::new(der).sequence().unwrap();
        let mut fields: Vec<Vec<u8>> = Vec::new();
        while let Some(tlv) = seq.any() {
            fields.push(tlv.full.to_vec());
        }
        let dp = Reader::new(&fields[6]).integer().unwrap() + num_bigint::BigInt::from(2);
        let bytes = dp.to_signed_bytes_be();
        let mut tlv = vec![0x02, 0x81, bytes.len() as u8];
        tlv.extend_from_slice(&bytes);
        fields[6] = tlv;
        let body = fields.concat();
        let mut out = vec![0x30, 0x82, (body.len() >> 8) as u8, body.len() as u8];
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn a_consistent_key_passes_and_a_wrong_dp_is_named_with_the_openssl_hint() {
        let good = fixture_der("rsa2048.key");
        assert!(check_rsa_crt(&good, Path::new("tls.key")).is_none());
        assert!(check_rsa_crt(&fixture_der("rsa2048.pk8.key"), Path::new("k")).is_none());
        assert!(check_rsa_crt(&fixture_der("p256.key"), Path::new("k")).is_none());
        let finding = check_rsa_crt(&with_wrong_dp(&good), Path::new("tls.key")).unwrap();
        let text = format!("{finding:?}");
        assert!(text.contains("CRT value dP does not match"), "{text}");
        assert!(
            text.contains("openssl rsa -check -in tls.key -noout"),
            "{text}"
        );
    }
}
