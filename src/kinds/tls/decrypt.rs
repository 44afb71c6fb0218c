//! Decrypting encrypted private keys, which kubectl (Go's `X509KeyPair`) cannot read: it only
//! says "failed to parse private key".
//!
//! * PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2 with PBKDF2-HMAC-SHA1/SHA-256 or scrypt, AES-CBC
//!   or 3DES: what OpenSSL and Python's `cryptography` write) is stored as PKCS#8
//!   `PRIVATE KEY`;
//! * legacy OpenSSL `Proc-Type: 4,ENCRYPTED` blocks (`DEK-Info: AES-{128,192,256}-CBC` or
//!   `DES-EDE3-CBC`, key from `EVP_BytesToKey` with MD5) keep their label, without the
//!   encryption headers.
//!
//! Every buffer holding key material is zeroized.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::go::pem::Block;

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
    if crate::go::x509::keys::parse_private_key(document.as_bytes()).is_err() {
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
    if crate::go::x509::keys::parse_private_key(plain).is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evp_bytes_to_key_chains_md5_blocks() {
        // D1 = MD5(pass || salt); a 32-byte key also needs D2 = MD5(D1 || pass || salt).
        use md5::{Digest as _, Md5};
        let d1 = Md5::digest(b"passSALTSALT").to_vec();
        let d2 = Md5::digest([&d1[..], b"passSALTSALT"].concat()).to_vec();
        let key = evp_bytes_to_key(b"pass", b"SALTSALT", 32);
        assert_eq!(&key[..16], &d1[..]);
        assert_eq!(&key[16..], &d2[..]);
        assert_eq!(evp_bytes_to_key(b"pass", b"SALTSALT", 24).len(), 24);
    }

    #[test]
    fn unknown_legacy_ciphers_are_unsupported_not_wrong_passphrases() {
        let mut headers = std::collections::BTreeMap::new();
        headers.insert(b"Proc-Type".to_vec(), b"4,ENCRYPTED".to_vec());
        headers.insert(
            b"DEK-Info".to_vec(),
            b"CAMELLIA-256-CBC,00112233445566778899AABBCCDDEEFF".to_vec(),
        );
        let block = Block {
            label: b"RSA PRIVATE KEY".to_vec(),
            headers,
            der: Zeroizing::new(vec![0; 32]),
        };
        assert_eq!(
            decrypt_legacy(&block, "x").unwrap_err(),
            DecryptError::Unsupported
        );
    }

    #[test]
    fn decrypted_keys_are_written_as_go_writes_pem() {
        let pem = encode_pem(b"PRIVATE KEY", &[0u8; 60]);
        let text = String::from_utf8(pem.to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PRIVATE KEY-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines[3], "-----END PRIVATE KEY-----");
        assert!(text.ends_with("-----\n"));
    }
}
