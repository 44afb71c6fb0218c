//! Encrypted private keys: where the passphrase comes from, and PKCS#8 decryption.
//!
//! kubectl (Go's `X509KeyPair`) cannot read encrypted keys and only says "failed to parse
//! private key". pachsecret decrypts PKCS#8 `ENCRYPTED PRIVATE KEY` blocks (PBES2 with
//! PBKDF2 or scrypt, AES-CBC: what OpenSSL 3 and Python's `cryptography` write) with a
//! passphrase from a file, an environment variable or a no-echo prompt on the terminal, and
//! stores the decrypted key as a PKCS#8 `PRIVATE KEY` block. Legacy OpenSSL
//! `Proc-Type: 4,ENCRYPTED` keys are not decrypted; the error says how to convert them.

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::error::{Error, Result, display_path, go_io_reason};

/// Where the passphrase of an encrypted `--key` comes from.
#[derive(Clone, Debug, Default)]
pub enum PassphraseSource {
    /// Ask on the terminal when there is one (and `CI` is not set); otherwise fail.
    #[default]
    Prompt,
    /// `--key-passphrase-file=PATH`: the file's first line.
    File(PathBuf),
    /// `--key-passphrase-env=VAR`.
    Env(OsString),
}

impl PassphraseSource {
    /// The passphrase, or an error that says how to provide one.
    pub fn read(&self, key_path: &std::path::Path) -> Result<Zeroizing<String>> {
        match self {
            PassphraseSource::File(path) => {
                let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
                    Error::usage(format!(
                        "cannot read --key-passphrase-file {}: {}",
                        display_path(path),
                        go_io_reason(&e)
                    ))
                })?);
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    Error::usage(format!(
                        "--key-passphrase-file {} is not UTF-8 text",
                        display_path(path)
                    ))
                })?;
                let first_line = text.lines().next().unwrap_or("");
                Ok(Zeroizing::new(first_line.to_string()))
            }
            PassphraseSource::Env(var) => match std::env::var(var) {
                Ok(value) => Ok(Zeroizing::new(value)),
                Err(_) => Err(Error::usage(format!(
                    "--key-passphrase-env: the environment variable {} is not set (or not UTF-8)",
                    var.to_string_lossy()
                ))),
            },
            PassphraseSource::Prompt => {
                let interactive =
                    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
                if !interactive {
                    return Err(Error::rejected(format!(
                        "the private key in {} is encrypted and there is no terminal to ask for its passphrase",
                        display_path(key_path)
                    ))
                    .hint("give it with --key-passphrase-file=PATH or --key-passphrase-env=VAR"));
                }
                let prompt = format!("Passphrase for {}: ", display_path(key_path));
                let passphrase = rpassword::prompt_password(prompt).map_err(|e| {
                    Error::rejected(format!(
                        "reading the passphrase from the terminal: {}",
                        go_io_reason(&e)
                    ))
                })?;
                Ok(Zeroizing::new(passphrase))
            }
        }
    }
}

/// Why a PKCS#8 `ENCRYPTED PRIVATE KEY` could not be decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecryptError {
    /// Not a well-formed EncryptedPrivateKeyInfo, or an unsupported scheme.
    Unsupported,
    /// Wrong passphrase (or a corrupted key).
    WrongPassphrase,
}

/// Decrypts a PKCS#8 `EncryptedPrivateKeyInfo` and returns the key as a `PRIVATE KEY` PEM
/// block with 64-column lines, as Go's `pem.Encode` writes it.
pub fn decrypt_pkcs8(der: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    use pkcs8::der::Decode as _;
    let info =
        pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| DecryptError::Unsupported)?;
    let document = info.decrypt(passphrase.as_bytes()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::DecryptFailed) => {
            DecryptError::WrongPassphrase
        }
        _ => DecryptError::Unsupported,
    })?;
    let text = Zeroizing::new(BASE64.encode(document.as_bytes()));
    let mut pem = Zeroizing::new(b"-----BEGIN PRIVATE KEY-----\n".to_vec());
    for line in text.as_bytes().chunks(64) {
        pem.extend_from_slice(line);
        pem.push(b'\n');
    }
    pem.extend_from_slice(b"-----END PRIVATE KEY-----\n");
    Ok(pem)
}
