//! kubectl's `--append-hash` suffix (`k8s.io/kubectl/pkg/util/hash`, `SecretHash`).
//!
//! The input is `json.Marshal` of the map `{"data", "kind": "Secret", "name", "type"}`, keys
//! sorted, so namespace, labels, annotations and `immutable` do not count. The SHA-256 hex
//! digest is cut to 10 characters and the vowel-like hex digits are mapped to consonants
//! (`0→g 1→h 3→k a→m e→t`) "to prevent bad words from being formed".

use std::io;

use sha2::{Digest, Sha256};

use crate::go::json::{Layout, ObjectWriter};
use crate::secret::{Secret, WriteError, write_data_members};

/// Feeds written bytes to SHA-256, so that streamed values are hashed without being held.
struct HashingWriter(Sha256);

impl io::Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The 10-character suffix kubectl appends (after a `-`) to the name.
pub fn secret_hash(secret: &Secret) -> Result<String, WriteError> {
    let mut hasher = HashingWriter(Sha256::new());
    let mut w = ObjectWriter::new(Layout::Compact);
    w.begin_object();
    w.key(b"data");
    w.begin_object();
    write_data_members(&mut w, &secret.data, &mut hasher)?;
    w.end_object();
    w.string_member(b"kind", b"Secret");
    w.string_member(b"name", &secret.name);
    w.string_member(b"type", &secret.secret_type);
    w.end_object();
    hasher.0.update(&w.finish()[..]);
    let digest = hasher.0.finalize();
    Ok(digest
        .iter()
        .take(5)
        .flat_map(|byte| [byte >> 4, byte & 0xf])
        .map(|nibble| match nibble {
            0x0 => 'g',
            0x1 => 'h',
            0x3 => 'k',
            0xa => 'm',
            0xe => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('?'),
        })
        .collect())
}

/// Renames `secret` to `NAME-HASH` as `--append-hash` does.
pub fn append_hash(secret: &mut Secret) -> Result<(), WriteError> {
    let suffix = secret_hash(secret)?;
    secret.name.push(b'-');
    secret.name.extend_from_slice(suffix.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretValue;

    fn secret(name: &str, secret_type: &str, data: &[(&str, &str)]) -> Secret {
        let mut s = Secret::new(name.as_bytes().to_vec());
        s.secret_type = secret_type.as_bytes().to_vec();
        for (k, v) in data {
            s.data.insert(
                k.as_bytes().to_vec(),
                SecretValue::new(v.as_bytes().to_vec()),
            );
        }
        s
    }

    #[test]
    fn kubectl_upstream_test_vectors() {
        // k8s.io/kubectl/pkg/util/hash/hash_test.go (TestSecretHash), all with an empty name.
        assert_eq!(
            secret_hash(&secret("", "my-type", &[])).unwrap(),
            "t75bgf6ctb"
        );
        assert_eq!(
            secret_hash(&secret("", "my-type", &[("one", "")])).unwrap(),
            "74bd68bm66"
        );
        assert_eq!(
            secret_hash(&secret(
                "",
                "my-type",
                &[("two", "2"), ("one", ""), ("three", "3")]
            ))
            .unwrap(),
            "dgcb6h9tmk"
        );
    }

    #[test]
    fn vectors_recorded_from_kubectl() {
        assert_eq!(
            secret_hash(&secret("s", "", &[("b", "2"), ("a", "1")])).unwrap(),
            "mmg922cb59"
        );
        assert_eq!(secret_hash(&secret("e", "", &[])).unwrap(), "kkck6cfc9g");
        assert_eq!(
            secret_hash(&secret("s<&>", "my/type", &[("x", "<>")])).unwrap(),
            "kh682c6mk5"
        );
        assert_eq!(
            secret_hash(&secret(
                "s",
                "my-type",
                &[("two", "2"), ("one", ""), ("three", "3")]
            ))
            .unwrap(),
            "bbhg95m2g2"
        );
        assert_eq!(
            secret_hash(&secret("h1", "", &[("a", "b")])).unwrap(),
            "f58k78thhm"
        );
    }

    #[test]
    fn namespace_and_labels_do_not_change_the_hash() {
        let plain = secret("s", "", &[("a", "1")]);
        let mut labelled = plain.clone();
        labelled.namespace = Some(b"team".to_vec());
        labelled
            .labels
            .insert(b"suite".to_vec(), b"pachyderm".to_vec());
        assert_eq!(
            secret_hash(&plain).unwrap(),
            secret_hash(&labelled).unwrap()
        );
    }

    #[test]
    fn append_hash_renames() {
        let mut s = secret("s", "", &[("b", "2"), ("a", "1")]);
        append_hash(&mut s).unwrap();
        assert_eq!(s.name, b"s-mmg922cb59");
    }
}
