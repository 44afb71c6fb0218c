//! The Secret model and its one JSON writer.
//!
//! A [`Secret`] holds exactly what kubectl's typed `v1.Secret` would hold after
//! `kubectl create secret ...`, as raw bytes. [`Secret::to_json`] writes it the way
//! cli-runtime's `JSONPrinter` does (`json.MarshalIndent` with 4 spaces plus one `\n`), in Go
//! struct field order with Go's `omitempty` rules (`kubectl-behaviour.md` §1.2):
//!
//! ```text
//! kind, apiVersion, metadata{name, namespace, creationTimestamp, labels, annotations},
//! immutable, data, type
//! ```

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::gojson::{Layout, ObjectWriter};

/// The bytes of one data value. Zeroized on drop; `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Zeroizing<Vec<u8>>);

impl SecretValue {
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretValue(Zeroizing::new(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretValue(<{} bytes redacted>)", self.0.len())
    }
}

/// Which kubectl's output shape to reproduce.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// kubectl 1.27 to 1.33: `"creationTimestamp": null` in `metadata`.
    #[default]
    Kubectl133,
    /// kubectl 1.34 and later omit the zero `creationTimestamp`.
    Kubectl134,
}

/// `data` keys in Go's map order: byte-wise.
pub type Data = BTreeMap<Vec<u8>, SecretValue>;

#[derive(Clone, Debug, Default)]
pub struct Secret {
    /// May be empty only for `tls`, where kubectl does not require a name.
    pub name: Vec<u8>,
    /// Printed only when given explicitly (`-n`), as kubectl does.
    pub namespace: Option<Vec<u8>>,
    pub labels: BTreeMap<Vec<u8>, Vec<u8>>,
    pub annotations: BTreeMap<Vec<u8>, Vec<u8>>,
    pub immutable: Option<bool>,
    pub data: Data,
    /// Omitted from the output when empty (`omitempty`).
    pub secret_type: Vec<u8>,
}

impl Secret {
    pub fn new(name: Vec<u8>) -> Self {
        Secret {
            name,
            ..Secret::default()
        }
    }

    /// Total size of the values, as the API server counts it against its 1 MiB limit.
    pub fn data_size(&self) -> usize {
        self.data.values().map(SecretValue::len).sum()
    }

    /// What `kubectl create secret ... -o json` prints: indented JSON and one newline.
    pub fn to_json(&self, shape: Shape) -> Zeroizing<Vec<u8>> {
        let capacity = 256
            + self
                .data
                .iter()
                .map(|(k, v)| k.len() + v.len() * 4 / 3 + 16)
                .sum::<usize>();
        let mut w = ObjectWriter::with_capacity(Layout::Indented, capacity);
        self.write(&mut w, shape);
        let mut out = w.finish();
        out.push(b'\n');
        out
    }

    /// The compact form the apimachinery serializer writes (`json.Encoder.Encode`, hence the
    /// trailing newline), used for the `--save-config` annotation.
    pub fn to_compact_json(&self, shape: Shape) -> Zeroizing<Vec<u8>> {
        let mut w = ObjectWriter::new(Layout::Compact);
        self.write(&mut w, shape);
        let mut out = w.finish();
        out.push(b'\n');
        out
    }

    fn write(&self, w: &mut ObjectWriter, shape: Shape) {
        w.begin_object();
        w.string_member(b"kind", b"Secret");
        w.string_member(b"apiVersion", b"v1");
        w.key(b"metadata");
        w.begin_object();
        if !self.name.is_empty() {
            w.string_member(b"name", &self.name);
        }
        if let Some(namespace) = self.namespace.as_deref().filter(|ns| !ns.is_empty()) {
            w.string_member(b"namespace", namespace);
        }
        if shape == Shape::Kubectl133 {
            w.key(b"creationTimestamp");
            w.raw_value(b"null");
        }
        write_string_map(w, b"labels", &self.labels);
        write_string_map(w, b"annotations", &self.annotations);
        w.end_object();
        if let Some(immutable) = self.immutable {
            w.key(b"immutable");
            w.raw_value(if immutable { b"true" } else { b"false" });
        }
        if !self.data.is_empty() {
            w.key(b"data");
            w.begin_object();
            for (key, value) in &self.data {
                w.key(key);
                push_base64_string(w.buffer(), value.as_bytes());
            }
            w.end_object();
        }
        if !self.secret_type.is_empty() {
            w.string_member(b"type", &self.secret_type);
        }
        w.end_object();
    }
}

fn write_string_map(w: &mut ObjectWriter, field: &[u8], map: &BTreeMap<Vec<u8>, Vec<u8>>) {
    if map.is_empty() {
        return;
    }
    w.key(field);
    w.begin_object();
    for (key, value) in map {
        w.string_member(key, value);
    }
    w.end_object();
}

/// Appends `"<standard padded base64>"`. Base64 never needs JSON escaping.
pub fn push_base64_string(out: &mut Vec<u8>, value: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(
        start + base64::encoded_len(value.len(), true).unwrap_or(0),
        0,
    );
    let written = BASE64
        .encode_slice(value, &mut out[start..])
        .expect("buffer sized with encoded_len");
    out.truncate(start + written);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn matches_kubectl_for_two_literals() {
        let mut s = Secret::new(b"s1".to_vec());
        s.data
            .insert(b"b".to_vec(), SecretValue::new(b"2".to_vec()));
        s.data
            .insert(b"a".to_vec(), SecretValue::new(b"1".to_vec()));
        assert_eq!(
            text(&s.to_json(Shape::Kubectl133)),
            r#"{
    "kind": "Secret",
    "apiVersion": "v1",
    "metadata": {
        "name": "s1",
        "creationTimestamp": null
    },
    "data": {
        "a": "MQ==",
        "b": "Mg=="
    }
}
"#
        );
    }

    #[test]
    fn empty_data_and_type_are_omitted_and_empty_values_kept() {
        let s = Secret::new(b"s0".to_vec());
        assert!(!text(&s.to_json(Shape::Kubectl133)).contains("\"data\""));
        let mut s = Secret::new(b"s0".to_vec());
        s.secret_type = b"foo".to_vec();
        s.data.insert(b"k".to_vec(), SecretValue::new(Vec::new()));
        let out = s.to_json(Shape::Kubectl133);
        assert!(
            text(&out).ends_with(
                "    \"data\": {\n        \"k\": \"\"\n    },\n    \"type\": \"foo\"\n}\n"
            )
        );
    }

    #[test]
    fn newer_shape_drops_creation_timestamp_and_may_leave_metadata_empty() {
        let s = Secret::new(Vec::new());
        assert_eq!(
            text(&s.to_json(Shape::Kubectl134)),
            "{\n    \"kind\": \"Secret\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {}\n}\n"
        );
    }

    #[test]
    fn compact_form_for_last_applied_configuration() {
        let mut s = Secret::new(b"s<>&".to_vec());
        s.namespace = Some(b"ns".to_vec());
        s.secret_type = b"t".to_vec();
        s.data
            .insert(b"a".to_vec(), SecretValue::new(b"1".to_vec()));
        assert_eq!(
            text(&s.to_compact_json(Shape::Kubectl133)),
            "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\\u003c\\u003e\\u0026\",\"namespace\":\"ns\",\"creationTimestamp\":null},\"data\":{\"a\":\"MQ==\"},\"type\":\"t\"}\n"
        );
    }

    #[test]
    fn debug_never_shows_values() {
        let v = SecretValue::new(b"hunter2".to_vec());
        assert!(!format!("{v:?}").contains("hunter2"));
    }
}
