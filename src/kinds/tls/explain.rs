//! Hints for kubectl's `X509KeyPair` errors: what is actually in the files, and the fix.
//!
//! kubectl's error text is kept as the message (so searches and scripts still match); the hint
//! recognises the usual mistakes: DER instead of PEM, swapped files, a CSR or public key, an
//! empty file, an encrypted key, a bundle whose leaf is not first, a key that belongs to
//! another certificate.

use std::path::Path;

use crate::go::pem::decode_all;
use crate::go::tls_keypair::{Failure, is_private_key_label};
use crate::go::x509::keys::{CertKey, PrivateKeyError, parse_private_key};
use crate::go::x509::{Certificate, parse_certificate};
use crate::report::text::display_path;
use crate::report::text::quoted;

/// The inputs, as the explanations need them.
pub struct Inputs<'a> {
    pub cert_path: &'a Path,
    pub cert_pem: &'a [u8],
    pub key_path: &'a Path,
    pub key_pem: &'a [u8],
}

/// A hint for `failure`, naming the file and saying what to do.
pub fn hint(failure: &Failure, inputs: &Inputs<'_>) -> String {
    let cert = display_path(inputs.cert_path);
    let key = display_path(inputs.key_path);
    match failure {
        Failure::NoCertificateBlock { skipped } => {
            if let Some(hint) = wrong_content("--cert", &cert, inputs.cert_pem, true) {
                return hint;
            }
            let has = |label: &[u8]| skipped.iter().any(|l| l == label);
            if skipped.iter().any(|l| l.ends_with(b"PRIVATE KEY")) {
                let key_has_cert = decode_all(inputs.key_pem)
                    .iter()
                    .any(|b| b.label == b"CERTIFICATE");
                if key_has_cert {
                    return format!(
                        "--cert {cert} holds a private key and --key {key} a certificate: the two files are swapped; pass --cert={key} --key={cert}"
                    );
                }
                return format!(
                    "--cert {cert} holds a private key, not a certificate; pass the certificate (-----BEGIN CERTIFICATE-----) as --cert"
                );
            }
            if has(b"CERTIFICATE REQUEST") || has(b"NEW CERTIFICATE REQUEST") {
                return format!(
                    "{cert} is a certificate signing request (CSR), not a certificate: send it to your CA (or sign it: openssl x509 -req -in {cert} -signkey KEY -out tls.crt) and pass the certificate it returns"
                );
            }
            if has(b"TRUSTED CERTIFICATE") || has(b"X509 CERTIFICATE") {
                return format!(
                    "{cert} holds an OpenSSL \"TRUSTED CERTIFICATE\"/\"X509 CERTIFICATE\" block; convert it to a plain one: openssl x509 -in {cert} -out {cert}.pem"
                );
            }
            if has(b"PUBLIC KEY") || has(b"RSA PUBLIC KEY") {
                return format!(
                    "{cert} holds a public key; --cert needs the certificate (-----BEGIN CERTIFICATE-----) issued for it"
                );
            }
            format!(
                "--cert {cert} must contain a -----BEGIN CERTIFICATE----- block (at the start of a line, with matching END line and valid base64)"
            )
        }
        Failure::NoKeyBlock { skipped } => {
            if let Some(hint) = wrong_content("--key", &key, inputs.key_pem, false) {
                return hint;
            }
            let has = |label: &[u8]| skipped.iter().any(|l| l == label);
            if has(b"CERTIFICATE") {
                let cert_has_key = decode_all(inputs.cert_pem)
                    .iter()
                    .any(|b| is_private_key_label(&b.label));
                if cert_has_key {
                    return format!(
                        "--key {key} holds a certificate and --cert {cert} a private key: the two files are swapped; pass --cert={key} --key={cert}"
                    );
                }
                return format!(
                    "--key {key} holds a certificate; pass the private key it was issued for (-----BEGIN ... PRIVATE KEY-----)"
                );
            }
            if has(b"PUBLIC KEY") || has(b"RSA PUBLIC KEY") {
                return format!(
                    "{key} holds a public key; --key needs the private key (-----BEGIN ... PRIVATE KEY-----) that belongs to the certificate"
                );
            }
            if has(b"CERTIFICATE REQUEST") || has(b"NEW CERTIFICATE REQUEST") {
                return format!(
                    "{key} is a certificate signing request; --key needs the private key the CSR was made with"
                );
            }
            format!(
                "--key {key} must contain a block labelled \"PRIVATE KEY\" or \"... PRIVATE KEY\" (e.g. RSA PRIVATE KEY, EC PRIVATE KEY)"
            )
        }
        Failure::Certificate(message) => certificate_hint(message, &cert),
        Failure::Key {
            encrypted: true,
            label,
            ..
        } => {
            if label == b"ENCRYPTED PRIVATE KEY" {
                format!(
                    "the private key in {key} is encrypted (PKCS#8); kubectl cannot read it. Give its passphrase with --key-passphrase-file=PATH or --key-passphrase-env=VAR (not with --validate=false), or decrypt it: openssl pkey -in {key} -out {key}.decrypted"
                )
            } else {
                format!(
                    "the private key in {key} is encrypted (OpenSSL Proc-Type: 4,ENCRYPTED); kubectl cannot read it. Give its passphrase with --key-passphrase-file=PATH or --key-passphrase-env=VAR (not with --validate=false), or decrypt it: openssl pkey -in {key} -out {key}.decrypted"
                )
            }
        }
        Failure::Key {
            error: PrivateKeyError::UnknownPkcs8Type,
            ..
        } => format!(
            "the key in {key} is an X25519 (key agreement) key, which cannot sign; a TLS certificate needs an RSA, ECDSA or Ed25519 key"
        ),
        Failure::Key { label, .. } => format!(
            "the block labelled {} in {key} is not an RSA, ECDSA or Ed25519 key in PKCS#1, PKCS#8 or SEC1 form (DSA and Ed448 keys are not supported); check with: openssl pkey -in {key} -noout -text",
            quoted(label)
        ),
        Failure::TypeMismatch | Failure::KeyMismatch => mismatch_hint(inputs, &cert, &key),
        Failure::UnknownAlgorithm => {
            let what = decode_all(inputs.cert_pem)
                .into_iter()
                .find(|b| b.label == b"CERTIFICATE")
                .and_then(|b| parse_certificate(&b.der).ok())
                .map(|c| match &c.key {
                    CertKey::Other(name) => format!("{} carries a {name} key", c.name()),
                    CertKey::Known(k) => format!("{} carries a {k} key", c.name()),
                })
                .unwrap_or_else(|| "the certificate's key algorithm".into());
            format!(
                "the certificate {what} (first in {cert}); kubectl's TLS secrets need an RSA, ECDSA or Ed25519 certificate"
            )
        }
    }
}

/// Empty files and DER (binary) files, which have no PEM block at all.
fn wrong_content(flag: &str, path: &str, bytes: &[u8], is_cert: bool) -> Option<String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(format!(
            "{flag} {path} is empty; pass the PEM file that holds the {}",
            if is_cert {
                "certificate"
            } else {
                "private key"
            }
        ));
    }
    // DER starts with a SEQUENCE tag and is binary; a text file starting with '0' is not DER.
    let binary = bytes
        .iter()
        .any(|b| !b.is_ascii_graphic() && !b.is_ascii_whitespace());
    if bytes.first() == Some(&0x30) && binary {
        let convert = if is_cert {
            format!("openssl x509 -inform DER -in {path} -out {path}.pem")
        } else {
            format!("openssl pkey -inform DER -in {path} -out {path}.pem")
        };
        return Some(format!(
            "{flag} {path} looks like DER (binary); kubectl needs PEM. Convert it: {convert}"
        ));
    }
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return Some(format!(
            "{flag} {path} has no -----BEGIN ...----- line: it is not a PEM file"
        ));
    }
    None
}

fn certificate_hint(message: &str, cert: &str) -> String {
    let fix = match message {
        "x509: negative serial number" => {
            "reissue the certificate with a positive serial number; kubectl 1.31 and older accepted it, 1.32 and newer (Go 1.23) refuse it"
        }
        "x509: unsupported elliptic curve" => {
            "Kubernetes (Go) accepts only P-224, P-256, P-384 and P-521 ECDSA certificates; reissue it on P-256 or P-384 (secp256k1 and Brainpool are not supported)"
        }
        "x509: trailing data" => {
            "the base64 of the CERTIFICATE block holds bytes after the certificate; re-export it: openssl x509 -in FILE -out fixed.crt"
        }
        "x509: invalid version" => "the certificate claims an X.509 version above 3; reissue it",
        _ => {
            "the block decodes but is not a valid certificate; re-export it (openssl x509 -in FILE -out fixed.crt) or get it again from your CA"
        }
    };
    let fix = fix.replace("FILE", cert);
    format!(
        "the first CERTIFICATE block in {cert} (the leaf) is refused by Go's x509 parser: {fix}"
    )
}

/// Which key was found, which the certificate carries, and which other certificate or key
/// block would match.
fn mismatch_hint(inputs: &Inputs<'_>, cert: &str, key: &str) -> String {
    let certificates: Vec<Option<Certificate>> = decode_all(inputs.cert_pem)
        .into_iter()
        .filter(|b| b.label == b"CERTIFICATE")
        .map(|b| parse_certificate(&b.der).ok())
        .collect();
    let keys: Vec<_> = decode_all(inputs.key_pem)
        .into_iter()
        .filter(|b| is_private_key_label(&b.label))
        .map(|b| parse_private_key(&b.der).ok())
        .collect();
    let (Some(Some(leaf)), Some(Some(private))) = (certificates.first(), keys.first()) else {
        return format!("the key in {key} does not belong to the first certificate in {cert}");
    };
    let leaf_key = match &leaf.key {
        CertKey::Known(k) => k.to_string(),
        CertKey::Other(name) => (*name).to_string(),
    };
    let mut hint = format!(
        "the key in {key} is {} ({}), but the certificate {} (first in {cert}) carries {leaf_key}",
        private.public,
        private.encoding.name(),
        leaf.name()
    );
    let matching_cert = certificates.iter().enumerate().skip(1).find(|(_, c)| {
        matches!(c, Some(c) if matches!(&c.key, CertKey::Known(k) if k.matches(&private.public)))
    });
    if let Some((i, Some(c))) = matching_cert {
        hint.push_str(&format!(
            "; the key matches certificate #{} ({}) in {cert}: put it first (leaf first, then each issuer)",
            i + 1,
            c.name()
        ));
        return hint;
    }
    let matching_key = keys.iter().enumerate().skip(1).find(
        |(_, k)| matches!((k, &leaf.key), (Some(k), CertKey::Known(l)) if l.matches(&k.public)),
    );
    if let Some((i, _)) = matching_key {
        hint.push_str(&format!(
            "; private key block #{} in {key} matches: kubectl uses only the first, so put that one first or remove the others",
            i + 1
        ));
        return hint;
    }
    hint.push_str(
        "; pass the key the certificate was issued for, or the certificate issued for this key",
    );
    hint
}
