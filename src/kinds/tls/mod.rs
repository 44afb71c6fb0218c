//! `pachsecret tls`: kubectl's `create secret tls`, and the checks it skips.
//!
//! kubectl reads `--cert` then `--key`, runs Go's `tls.X509KeyPair` on them and stores both
//! files verbatim as `tls.crt` / `tls.key` with type `kubernetes.io/tls`
//! (`kubectl-behaviour.md` §3). [`keypair`] makes the same accept/reject decision with the
//! same errors, whatever `--validate` says. On top of that, unless `--validate=false`:
//! the bundle's order and signatures ([`chain`]), validity dates, weak RSA keys, encrypted
//! keys ([`decrypt`], [`passphrase`]), and an optional `--ca` file stored as `ca.crt`.

pub mod chain;
pub mod decrypt;
pub mod explain;
pub mod findings;
pub mod passphrase;
pub mod rsa_crt;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::io::input::{self, Limit};
use crate::kinds::shared::Built;
use crate::kinds::shared::OutputOptions;
use crate::kinds::sources::Origin;
use crate::report::text::display_path;
use crate::report::text::quoted;
use crate::report::{Error, Result};
use crate::secret::{Secret, SecretValue};

use crate::go::pem;
use crate::go::tls_keypair::{is_encrypted, select_key_block, x509_key_pair};
use crate::go::x509::keys;
use crate::go::x509::{Certificate, parse_certificate};
use decrypt::{DecryptError, decrypt_legacy, decrypt_pkcs8};
use passphrase::PassphraseSource;

/// The `type` of every TLS secret.
pub const TLS_SECRET_TYPE: &[u8] = b"kubernetes.io/tls";

/// `tls`, ready to run.
#[derive(Debug)]
pub struct TlsConfig {
    /// May be empty: kubectl does not require a name for tls (§3.1).
    pub name: Vec<u8>,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub ca: Option<PathBuf>,
    /// The time validity is checked against (`--now`; the clock otherwise).
    pub now: OffsetDateTime,
    pub passphrase: PassphraseSource,
    pub output: OutputOptions,
}

/// Reads the files, makes kubectl's decision, and builds the Secret with our findings.
pub fn build(config: &TlsConfig) -> Result<Built> {
    let checks = config.output.checks_enabled();
    let limit = Limit::for_value(config.output.refuses_oversize());
    let cert_pem = input::read("--cert", &config.cert, limit)?.to_vec();
    let key_file = input::read("--key", &config.key, limit)?;
    let mut findings = Vec::new();
    // An encrypted key is decrypted (when the checks are on) and stored decrypted.
    let key_pem = match decrypt_if_encrypted(config, &cert_pem, &key_file, checks)? {
        Some(decrypted) => decrypted,
        None => key_file,
    };

    let pair = x509_key_pair(&cert_pem, &key_pem).map_err(|failure| {
        let inputs = explain::Inputs {
            cert_path: &config.cert,
            cert_pem: &cert_pem,
            key_path: &config.key,
            key_pem: &key_pem,
        };
        Error::rejected(failure.go_message()).hint(explain::hint(&failure, &inputs))
    })?;

    let mut secret = Secret::new(config.name.clone());
    secret.secret_type = TLS_SECRET_TYPE.to_vec();
    secret
        .data
        .insert(b"tls.crt".to_vec(), SecretValue::new(cert_pem.clone()));
    secret
        .data
        .insert(b"tls.key".to_vec(), SecretValue::new(key_pem.to_vec()));
    let mut origins = vec![
        (
            b"tls.crt".to_vec(),
            Origin::File {
                flag: "--cert",
                path: config.cert.clone(),
            },
        ),
        (
            b"tls.key".to_vec(),
            Origin::File {
                flag: "--key",
                path: config.key.clone(),
            },
        ),
    ];

    if let Some(ca_path) = &config.ca {
        let (ca_pem, ca_certs) = read_ca(ca_path, limit)?;
        secret
            .data
            .insert(b"ca.crt".to_vec(), SecretValue::new(ca_pem));
        origins.push((
            b"ca.crt".to_vec(),
            Origin::File {
                flag: "--ca",
                path: ca_path.clone(),
            },
        ));
        if checks {
            findings::check_validity(&ca_certs, ca_path, config.now, &mut findings);
        }
    }

    if checks {
        if let Some(chain) = findings::parse_chain(&pair.chain, &config.cert, &mut findings) {
            findings::check_chain(&chain, &config.cert, &mut findings);
            findings::check_validity(&chain, &config.cert, config.now, &mut findings);
        }
        findings::check_key_strength(&pair.key.public, &config.key, &mut findings);
        // kubectl 1.32 accepts an RSA key whose CRT values are wrong; it is corrupt anyway.
        if let Ok(block) = select_key_block(&key_pem)
            && let Some(finding) = rsa_crt::check_rsa_crt(&block.der, &config.key)
        {
            findings.push(finding);
        }
    }

    Ok(Built {
        secret,
        origins,
        findings,
    })
}

/// Decrypts an encrypted key (PKCS#8 or legacy OpenSSL) when the extra checks are on; `None` leaves the key as
/// it is (not encrypted, or `--validate=false`, where kubectl's failure is reproduced).
fn decrypt_if_encrypted(
    config: &TlsConfig,
    cert_pem: &[u8],
    key_pem: &[u8],
    checks: bool,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
    if !checks {
        return Ok(None);
    }
    // Only when kubectl would get as far as parsing the key: the first CERTIFICATE block must
    // parse, else kubectl's own error comes first.
    let has_certificate = pem::decode_all(cert_pem)
        .iter()
        .find(|b| b.label == b"CERTIFICATE")
        .is_some_and(|b| parse_certificate(&b.der).is_ok());
    let Ok(block) = select_key_block(key_pem) else {
        return Ok(None);
    };
    // A block that says it is encrypted but parses as a key is what kubectl uses: keep it.
    if !has_certificate || !is_encrypted(&block) || keys::parse_private_key(&block.der).is_ok() {
        return Ok(None);
    }
    let shown = display_path(&config.key);
    let passphrase = config.passphrase.read(&config.key)?;
    let decrypted = if block.label == b"ENCRYPTED PRIVATE KEY" {
        decrypt_pkcs8(&block.der, &passphrase)
    } else {
        decrypt_legacy(&block, &passphrase)
    };
    match decrypted {
        Ok(pem) => Ok(Some(pem)),
        Err(DecryptError::WrongPassphrase) => Err(Error::rejected(format!(
            "cannot decrypt the private key in {shown}: wrong passphrase"
        ))
        .hint(format!(
            "check the passphrase; `openssl pkey -in {shown} -noout` tells whether it is right"
        ))),
        Err(DecryptError::Unsupported) => Err(Error::rejected(format!(
            "cannot decrypt the private key in {shown}: unsupported encryption scheme"
        ))
        .hint(format!(
            "decrypt it with openssl and pass the result: openssl pkey -in {shown} -out {shown}.decrypted"
        ))),
    }
}

/// `--ca`: every PEM block must be a certificate Go's parser accepts.
fn read_ca(path: &Path, limit: Limit) -> Result<(Vec<u8>, Vec<Certificate>)> {
    let bytes = input::read("--ca", path, limit)?.to_vec();
    let shown = input::describe(path);
    let blocks = pem::decode_all(&bytes);
    if blocks.is_empty() {
        return Err(Error::rejected(format!(
            "--ca {shown} holds no PEM block"
        ))
        .hint("pass the CA certificate(s) in PEM form (-----BEGIN CERTIFICATE-----); convert DER with openssl x509 -inform DER -in FILE -out ca.crt"));
    }
    let mut certs = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if block.label != b"CERTIFICATE" {
            return Err(Error::rejected(format!(
                "--ca {shown}: block #{} is a {} block, not a CERTIFICATE",
                i + 1,
                quoted(&block.label)
            ))
            .hint("ca.crt must hold only CA certificates; never put a private key there"));
        }
        let cert = parse_certificate(&block.der).map_err(|message| {
            Error::rejected(format!(
                "--ca {shown}: certificate #{} cannot be parsed: {message}",
                i + 1
            ))
            .hint("re-export it: openssl x509 -in FILE -out ca.crt")
        })?;
        certs.push(cert);
    }
    Ok((bytes, certs))
}
