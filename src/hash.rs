//! kubectl's `--append-hash` suffix (`k8s.io/kubectl/pkg/util/hash`, `SecretHash`).
//!
//! The input is `json.Marshal` of the map `{"data", "kind": "Secret", "name", "type"}`, keys
//! sorted, so namespace, labels, annotations and `immutable` do not count. The SHA-256 hex
//! digest is cut to 10 characters and the vowel-like hex digits are mapped to consonants
//! (`0→g 1→h 3→k a→m e→t`) "to prevent bad words from being formed".

use sha2::{Digest, Sha256};

use crate::gojson::{Layout, ObjectWriter};
use crate::secret::{Secret, push_base64_string};

/// The 10-character suffix kubectl appends (after a `-`) to the name.
pub fn secret_hash(secret: &Secret) -> String {
    let mut w = ObjectWriter::new(Layout::Compact);
    w.begin_object();
    w.key(b"data");
    w.begin_object();
    for (key, value) in &secret.data {
        w.key(key);
        push_base64_string(w.buffer(), value.as_bytes());
    }
    w.end_object();
    w.string_member(b"kind", b"Secret");
    w.string_member(b"name", &secret.name);
    w.string_member(b"type", &secret.secret_type);
    w.end_object();
    let digest = Sha256::digest(&w.finish()[..]);
    digest
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
        .collect()
}

/// Renames `secret` to `NAME-HASH` as `--append-hash` does.
pub fn append_hash(secret: &mut Secret) {
    let suffix = secret_hash(secret);
    secret.name.push(b'-');
    secret.name.extend_from_slice(suffix.as_bytes());
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
        assert_eq!(secret_hash(&secret("", "my-type", &[])), "t75bgf6ctb");
        assert_eq!(
            secret_hash(&secret("", "my-type", &[("one", "")])),
            "74bd68bm66"
        );
        assert_eq!(
            secret_hash(&secret(
                "",
                "my-type",
                &[("two", "2"), ("one", ""), ("three", "3")]
            )),
            "dgcb6h9tmk"
        );
    }

    #[test]
    fn vectors_recorded_from_kubectl() {
        assert_eq!(
            secret_hash(&secret("s", "", &[("b", "2"), ("a", "1")])),
            "mmg922cb59"
        );
        assert_eq!(secret_hash(&secret("e", "", &[])), "kkck6cfc9g");
        assert_eq!(
            secret_hash(&secret("s<&>", "my/type", &[("x", "<>")])),
            "kh682c6mk5"
        );
        assert_eq!(
            secret_hash(&secret(
                "s",
                "my-type",
                &[("two", "2"), ("one", ""), ("three", "3")]
            )),
            "bbhg95m2g2"
        );
        assert_eq!(secret_hash(&secret("h1", "", &[("a", "b")])), "f58k78thhm");
    }

    #[test]
    fn namespace_and_labels_do_not_change_the_hash() {
        let plain = secret("s", "", &[("a", "1")]);
        let mut labelled = plain.clone();
        labelled.namespace = Some(b"team".to_vec());
        labelled
            .labels
            .insert(b"suite".to_vec(), b"pachyderm".to_vec());
        assert_eq!(secret_hash(&plain), secret_hash(&labelled));
    }

    #[test]
    fn append_hash_renames() {
        let mut s = secret("s", "", &[("b", "2"), ("a", "1")]);
        append_hash(&mut s);
        assert_eq!(s.name, b"s-mmg922cb59");
    }
}
