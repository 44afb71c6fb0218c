//! Encrypted private keys: where the passphrase comes from, and PKCS#8 decryption.
//!
//! kubectl (Go's `X509KeyPair`) cannot read encrypted keys and only says "failed to parse
//! private key". pachsecret decrypts PKCS#8 `ENCRYPTED PRIVATE KEY` blocks (PBES2 with
//! PBKDF2 or scrypt, AES-CBC: what OpenSSL 3 and Python's `cryptography` write) with a
//! passphrase from a file, an environment variable or a no-echo prompt on the terminal, and
//! stores the decrypted key as a PKCS#8 `PRIVATE KEY` block. Legacy OpenSSL
//! `Proc-Type: 4,ENCRYPTED` keys (`DEK-Info: AES-{128,192,256}-CBC` or `DES-EDE3-CBC`, key
//! from `EVP_BytesToKey` with MD5) are decrypted too and stored under their own label without
//! the encryption headers.

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use super::pem::Block;
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

/// Why an encrypted key could not be decrypted.
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
    if super::keys::parse_private_key(document.as_bytes()).is_err() {
        return Err(DecryptError::Unsupported);
    }
    Ok(encode_pem(b"PRIVATE KEY", document.as_bytes()))
}

/// A PEM block as Go's `pem.Encode` writes it: 64-column base64, no headers.
fn encode_pem(label: &[u8], der: &[u8]) -> Zeroizing<Vec<u8>> {
    let text = Zeroizing::new(BASE64.encode(der));
    let mut pem = Zeroizing::new(Vec::with_capacity(text.len() + 100));
    pem.extend_from_slice(b"-----BEGIN ");
    pem.extend_from_slice(label);
    pem.extend_from_slice(b"-----\n");
    for line in text.as_bytes().chunks(64) {
        pem.extend_from_slice(line);
        pem.push(b'\n');
    }
    pem.extend_from_slice(b"-----END ");
    pem.extend_from_slice(label);
    pem.extend_from_slice(b"-----\n");
    pem
}

/// Decrypts a legacy OpenSSL encrypted PEM block (`Proc-Type: 4,ENCRYPTED`) and returns it
/// under the same label, without headers. The decrypted DER must be a key Go accepts, which
/// also catches the 1-in-256 wrong passphrase whose padding happens to look valid.
pub fn decrypt_legacy(block: &Block, passphrase: &str) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _};

    let dek_info = block
        .headers
        .get(&b"DEK-Info"[..])
        .ok_or(DecryptError::Unsupported)?;
    let dek_info = std::str::from_utf8(dek_info).map_err(|_| DecryptError::Unsupported)?;
    let (cipher, iv_hex) = dek_info.split_once(',').ok_or(DecryptError::Unsupported)?;
    let iv = decode_hex(iv_hex.trim()).ok_or(DecryptError::Unsupported)?;
    let key_len = match cipher.trim() {
        "AES-128-CBC" => 16,
        "AES-192-CBC" => 24,
        "AES-256-CBC" => 32,
        "DES-EDE3-CBC" => 24,
        _ => return Err(DecryptError::Unsupported),
    };
    if iv.len() < 8 {
        return Err(DecryptError::Unsupported);
    }
    let key = evp_bytes_to_key(passphrase.as_bytes(), &iv[..8], key_len);
    let mut buffer = Zeroizing::new(block.der.to_vec());
    let plain_len = {
        macro_rules! decrypt {
            ($cipher:ty) => {
                cbc::Decryptor::<$cipher>::new_from_slices(&key, &iv)
                    .map_err(|_| DecryptError::Unsupported)?
                    .decrypt_padded::<Pkcs7>(&mut buffer)
                    .map_err(|_| DecryptError::WrongPassphrase)?
                    .len()
            };
        }
        match cipher.trim() {
            "AES-128-CBC" => decrypt!(aes::Aes128),
            "AES-192-CBC" => decrypt!(aes::Aes192),
            "AES-256-CBC" => decrypt!(aes::Aes256),
            _ => decrypt!(des::TdesEde3),
        }
    };
    let plain = &buffer[..plain_len];
    if super::keys::parse_private_key(plain).is_err() {
        return Err(DecryptError::WrongPassphrase);
    }
    Ok(encode_pem(&block.label, plain))
}

/// OpenSSL's `EVP_BytesToKey(cipher, EVP_md5(), salt, pass, count = 1)`:
/// D1 = MD5(pass || salt), Di = MD5(Di-1 || pass || salt), key = D1 || D2 || ...
fn evp_bytes_to_key(passphrase: &[u8], salt: &[u8], key_len: usize) -> Zeroizing<Vec<u8>> {
    use md5::{Digest as _, Md5};
    let mut key = Zeroizing::new(Vec::with_capacity(key_len + 16));
    let mut previous: Option<Vec<u8>> = None;
    while key.len() < key_len {
        let mut hasher = Md5::new();
        if let Some(previous) = &previous {
            hasher.update(previous);
        }
        hasher.update(passphrase);
        hasher.update(salt);
        let digest = hasher.finalize().to_vec();
        key.extend_from_slice(&digest);
        previous = Some(digest);
    }
    key.truncate(key_len);
    key
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
