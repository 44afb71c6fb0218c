//! Go's `tls.X509KeyPair`: the accept/reject decision kubectl makes, with its exact errors.
//!
//! Steps (`crypto/tls/tls.go`, Go 1.22–1.24; `kubectl-behaviour.md` §3.2):
//! a. every PEM block of the certificate input; those labelled exactly `CERTIFICATE` are the
//!    chain, the first one the leaf;
//! b. the first key block labelled `PRIVATE KEY` or `... PRIVATE KEY`;
//! c. `x509.ParseCertificate` of the leaf only;
//! d. the key DER, whatever its label: PKCS#1, PKCS#8, SEC1;
//! e. the key must be the certificate's key.
//!
//! This decision holds even with `--validate=false`: kubectl fails, so pachsecret fails.

use crate::go::pem::{Block, decode, decode_all};
use crate::go::x509::keys::{CertKey, PrivateKey, PrivateKeyError, parse_private_key_with};
use crate::go::x509::{Certificate, GoX509Rules, parse_certificate_with};

/// What `X509KeyPair` accepted.
#[derive(Debug)]
pub struct KeyPair {
    /// DER of every `CERTIFICATE` block, in order.
    pub chain: Vec<Vec<u8>>,
    pub leaf: Certificate,
    pub key: PrivateKey,
}

/// Which step refused the input, with what the explanations need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// a: no `CERTIFICATE` block; `skipped` are the other labels found.
    NoCertificateBlock { skipped: Vec<Vec<u8>> },
    /// b: no private key block; `skipped` are the labels found before the input ran out.
    NoKeyBlock { skipped: Vec<Vec<u8>> },
    /// c: the leaf does not parse.
    Certificate(String),
    /// d: the key does not parse; `label` is the key block's label.
    Key {
        error: PrivateKeyError,
        label: Vec<u8>,
        encrypted: bool,
    },
    /// e: RSA/ECDSA/Ed25519 key of another kind than the certificate's.
    TypeMismatch,
    /// e: same kind, another key.
    KeyMismatch,
    /// e: the certificate's key is of an algorithm `crypto/tls` does not handle.
    UnknownAlgorithm,
}

impl Failure {
    /// The text kubectl prints after `error: `.
    pub fn go_message(&self) -> String {
        match self {
            Failure::NoCertificateBlock { skipped } if skipped.is_empty() => {
                "tls: failed to find any PEM data in certificate input".into()
            }
            Failure::NoCertificateBlock { skipped }
                if skipped.len() == 1 && skipped[0].ends_with(b"PRIVATE KEY") =>
            {
                "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into()
            }
            Failure::NoCertificateBlock { skipped } => format!(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: {}",
                go_string_list(skipped)
            ),
            Failure::NoKeyBlock { skipped } if skipped.is_empty() => {
                "tls: failed to find any PEM data in key input".into()
            }
            Failure::NoKeyBlock { skipped }
                if skipped.len() == 1 && skipped[0] == b"CERTIFICATE" =>
            {
                "tls: found a certificate rather than a key in the PEM for the private key".into()
            }
            Failure::NoKeyBlock { skipped } => format!(
                "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: {}",
                go_string_list(skipped)
            ),
            Failure::Certificate(message) => message.clone(),
            Failure::Key { error, .. } => error.go_message().into(),
            Failure::TypeMismatch => "tls: private key type does not match public key type".into(),
            Failure::KeyMismatch => "tls: private key does not match public key".into(),
            Failure::UnknownAlgorithm => "tls: unknown public key algorithm".into(),
        }
    }
}

/// Go's `%v` of a `[]string`: `[A B C]`. Labels are shown as text with control characters
/// escaped (Go would print them raw; they only ever reach a terminal here).
fn go_string_list(items: &[Vec<u8>]) -> String {
    let shown: Vec<String> = items
        .iter()
        .map(|l| crate::report::text::display_bytes(l))
        .collect();
    format!("[{}]", shown.join(" "))
}

/// Whether a key block's label selects it (`X509KeyPair`'s step b).
pub fn is_private_key_label(label: &[u8]) -> bool {
    label == b"PRIVATE KEY" || label.ends_with(b" PRIVATE KEY")
}

/// The key block `X509KeyPair` would use, or why there is none.
pub fn select_key_block(key_pem: &[u8]) -> Result<Block, Failure> {
    let mut skipped = Vec::new();
    let mut rest = key_pem;
    while let Some((block, after)) = decode(rest) {
        if is_private_key_label(&block.label) {
            return Ok(block);
        }
        skipped.push(block.label.clone());
        rest = after;
    }
    Err(Failure::NoKeyBlock { skipped })
}

/// `tls.X509KeyPair(certPEM, keyPEM)`.
pub fn x509_key_pair(cert_pem: &[u8], key_pem: &[u8]) -> Result<KeyPair, Failure> {
    x509_key_pair_with(cert_pem, key_pem, &GoX509Rules::reference())
}

/// `tls.X509KeyPair` as the Go release of `rules` has it.
pub fn x509_key_pair_with(
    cert_pem: &[u8],
    key_pem: &[u8],
    rules: &GoX509Rules,
) -> Result<KeyPair, Failure> {
    let mut chain = Vec::new();
    let mut skipped = Vec::new();
    for block in decode_all(cert_pem) {
        if block.label == b"CERTIFICATE" {
            chain.push(block.der.to_vec());
        } else {
            skipped.push(block.label);
        }
    }
    if chain.is_empty() {
        return Err(Failure::NoCertificateBlock { skipped });
    }
    let key_block = select_key_block(key_pem)?;
    let leaf = parse_certificate_with(&chain[0], rules).map_err(Failure::Certificate)?;
    let key = parse_private_key_with(&key_block.der, rules).map_err(|error| Failure::Key {
        error,
        encrypted: is_encrypted(&key_block),
        label: key_block.label.clone(),
    })?;
    match &leaf.key {
        CertKey::Other(_) => return Err(Failure::UnknownAlgorithm),
        CertKey::Known(public) if public.kind() != key.public.kind() => {
            return Err(Failure::TypeMismatch);
        }
        CertKey::Known(public) if !public.matches(&key.public) => {
            return Err(Failure::KeyMismatch);
        }
        CertKey::Known(_) => {}
    }
    Ok(KeyPair { chain, leaf, key })
}

/// A PKCS#8 `ENCRYPTED PRIVATE KEY` block or a legacy OpenSSL `Proc-Type: 4,ENCRYPTED` one.
pub fn is_encrypted(block: &Block) -> bool {
    block.label == b"ENCRYPTED PRIVATE KEY"
        || block
            .headers
            .get(&b"Proc-Type"[..])
            .is_some_and(|v| v.ends_with(b"ENCRYPTED"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_tls_error_texts_match_go() {
        let none = Failure::NoCertificateBlock { skipped: vec![] };
        assert_eq!(
            none.go_message(),
            "tls: failed to find any PEM data in certificate input"
        );
        let switched = Failure::NoCertificateBlock {
            skipped: vec![b"EC PRIVATE KEY".to_vec()],
        };
        assert!(
            switched
                .go_message()
                .contains("PEM inputs may have been switched")
        );
        let two = Failure::NoCertificateBlock {
            skipped: vec![b"EC PARAMETERS".to_vec(), b"X".to_vec()],
        };
        assert!(
            two.go_message()
                .ends_with("following types: [EC PARAMETERS X]")
        );
        let cert_in_key = Failure::NoKeyBlock {
            skipped: vec![b"CERTIFICATE".to_vec()],
        };
        assert_eq!(
            cert_in_key.go_message(),
            "tls: found a certificate rather than a key in the PEM for the private key"
        );
    }

    #[test]
    fn kubectl_tls_key_label_needs_a_space_before_private_key() {
        assert!(is_private_key_label(b"PRIVATE KEY"));
        assert!(is_private_key_label(b"FOO PRIVATE KEY"));
        assert!(!is_private_key_label(b"XPRIVATE KEY"));
        assert!(!is_private_key_label(b"PRIVATE KEYS"));
    }

    #[test]
    fn kubectl_tls_empty_inputs_fail_at_the_certificate_first() {
        assert_eq!(
            x509_key_pair(b"", b"").unwrap_err(),
            Failure::NoCertificateBlock { skipped: vec![] }
        );
    }
}
