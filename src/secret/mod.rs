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
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::go::io_error::go_io_reason;
use crate::go::json::{Layout, ObjectWriter};
use crate::report::text::display_path;

/// Files larger than this are not read into memory: their value is streamed from the file
/// while the manifest is written (`--validate=false` is needed to get that far, since the
/// API server refuses more than 1 MiB anyway; the size check itself never reads them).
pub const STREAM_THRESHOLD: u64 = 1024 * 1024;

/// The bytes of one data value. Zeroized on drop; `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Repr);

#[derive(Clone)]
enum Repr {
    Bytes(Zeroizing<Vec<u8>>),
    /// A large regular file, read only while the manifest is written. It is held open from
    /// the moment it was named, so a file renamed over it in the meantime changes nothing;
    /// positional reads let the hash, `--save-config` and the output each read it whole.
    File {
        file: Arc<File>,
        path: PathBuf,
        len: u64,
    },
}

impl PartialEq for Repr {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Repr::Bytes(a), Repr::Bytes(b)) => a == b,
            (
                Repr::File {
                    path: a, len: m, ..
                },
                Repr::File {
                    path: b, len: n, ..
                },
            ) => a == b && m == n,
            _ => false,
        }
    }
}

impl Eq for Repr {}

impl SecretValue {
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretValue(Repr::Bytes(Zeroizing::new(bytes)))
    }

    /// A value already in a zeroizing buffer (moved, not copied).
    pub fn from_zeroizing(bytes: Zeroizing<Vec<u8>>) -> Self {
        SecretValue(Repr::Bytes(bytes))
    }

    /// A value left in its open file (of `len` bytes) and streamed when the manifest is
    /// written.
    pub fn from_large_file(file: File, path: PathBuf, len: u64) -> Self {
        SecretValue(Repr::File {
            file: Arc::new(file),
            path,
            len,
        })
    }

    /// The bytes, unless the value is a large file that is only streamed.
    pub fn in_memory(&self) -> Option<&[u8]> {
        match &self.0 {
            Repr::Bytes(bytes) => Some(bytes),
            Repr::File { .. } => None,
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Bytes(bytes) => bytes.len(),
            Repr::File { len, .. } => usize::try_from(*len).unwrap_or(usize::MAX),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes `"<standard padded base64>"` of the value to `out`.
    fn write_base64_string(&self, out: &mut dyn Write) -> Result<(), WriteError> {
        match &self.0 {
            Repr::Bytes(bytes) => {
                let mut buffer = Zeroizing::new(Vec::with_capacity(bytes.len() * 4 / 3 + 6));
                push_base64_string(&mut buffer, bytes);
                out.write_all(&buffer).map_err(WriteError::Sink)
            }
            Repr::File { file, path, len } => stream_base64_string(file, path, *len, out),
        }
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretValue(<{} bytes redacted>)", self.len())
    }
}

/// Why writing a manifest failed: reading a streamed value, or writing the output.
#[derive(Debug)]
pub enum WriteError {
    /// A streamed file could not be read (or changed size while it was): the message names it.
    Source(String),
    /// The output could not be written.
    Sink(io::Error),
}

/// Base64 of a whole file, written in chunks: memory stays flat however large the file is.
fn stream_base64_string(
    file: &File,
    path: &Path,
    len: u64,
    out: &mut dyn Write,
) -> Result<(), WriteError> {
    use std::os::unix::fs::FileExt as _;
    let source_error = |reason: String| {
        WriteError::Source(format!("error reading {}: {reason}", display_path(path)))
    };
    // A multiple of 3, so that no chunk but the last needs padding.
    const CHUNK: usize = 3 * 64 * 1024;
    let mut raw = Zeroizing::new(vec![0u8; CHUNK]);
    let mut encoded = Zeroizing::new(vec![0u8; CHUNK / 3 * 4]);
    let mut total: u64 = 0;
    out.write_all(b"\"").map_err(WriteError::Sink)?;
    loop {
        let mut filled = 0;
        while filled < CHUNK {
            match file.read_at(&mut raw[filled..], total + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(source_error(go_io_reason(&e))),
            }
        }
        if filled == 0 {
            break;
        }
        total += filled as u64;
        let n = BASE64
            .encode_slice(&raw[..filled], &mut encoded[..])
            .map_err(|e| source_error(e.to_string()))?;
        out.write_all(&encoded[..n]).map_err(WriteError::Sink)?;
        if filled < CHUNK {
            break;
        }
    }
    if total != len {
        return Err(source_error(format!(
            "the file changed while it was being read ({len} bytes expected, {total} read)"
        )));
    }
    out.write_all(b"\"").map_err(WriteError::Sink)
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

    /// Whether some value is a large file that is only read while writing.
    pub fn has_streamed_values(&self) -> bool {
        self.data.values().any(|v| v.in_memory().is_none())
    }

    /// What `kubectl create secret ... -o json` prints: indented JSON and one newline.
    pub fn to_json(&self, shape: Shape) -> Result<Zeroizing<Vec<u8>>, WriteError> {
        let capacity = 256
            + self
                .data
                .iter()
                .map(|(k, v)| k.len() + v.len() / 3 * 4 + 16)
                .sum::<usize>();
        let mut out = Zeroizing::new(Vec::with_capacity(capacity));
        self.write_json(shape, &mut *out)?;
        Ok(out)
    }

    /// [`Self::to_json`], written to `out` as it is produced: large file values are streamed
    /// from their files, so memory does not grow with them.
    pub fn write_json(&self, shape: Shape, out: &mut dyn Write) -> Result<(), WriteError> {
        let mut w = ObjectWriter::new(Layout::Indented);
        self.write(&mut w, shape, out)?;
        let mut tail = w.finish();
        tail.push(b'\n');
        out.write_all(&tail).map_err(WriteError::Sink)
    }

    /// The compact form the apimachinery serializer writes (`json.Encoder.Encode`, hence the
    /// trailing newline), used for the `--save-config` annotation.
    pub fn to_compact_json(&self, shape: Shape) -> Result<Zeroizing<Vec<u8>>, WriteError> {
        let mut out = Zeroizing::new(Vec::new());
        let mut w = ObjectWriter::new(Layout::Compact);
        self.write(&mut w, shape, &mut *out)?;
        out.extend_from_slice(&w.finish());
        out.push(b'\n');
        Ok(out)
    }

    /// Lays out the object in `w`; before each streamed value the buffered text is flushed to
    /// `out` and the value written straight after it.
    fn write(
        &self,
        w: &mut ObjectWriter,
        shape: Shape,
        out: &mut dyn Write,
    ) -> Result<(), WriteError> {
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
            write_data_members(w, &self.data, out)?;
            w.end_object();
        }
        if !self.secret_type.is_empty() {
            w.string_member(b"type", &self.secret_type);
        }
        w.end_object();
        Ok(())
    }
}

/// The members of `data`, values as base64 strings; see [`Secret::write`] for `out`.
pub fn write_data_members(
    w: &mut ObjectWriter,
    data: &Data,
    out: &mut dyn Write,
) -> Result<(), WriteError> {
    for (key, value) in data {
        w.key(key);
        match value.in_memory() {
            Some(bytes) => push_base64_string(w.buffer(), bytes),
            None => {
                out.write_all(w.buffer()).map_err(WriteError::Sink)?;
                w.buffer().clear();
                value.write_base64_string(out)?;
            }
        }
    }
    Ok(())
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
            text(&s.to_json(Shape::Kubectl133).unwrap()),
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
        assert!(!text(&s.to_json(Shape::Kubectl133).unwrap()).contains("\"data\""));
        let mut s = Secret::new(b"s0".to_vec());
        s.secret_type = b"foo".to_vec();
        s.data.insert(b"k".to_vec(), SecretValue::new(Vec::new()));
        let out = s.to_json(Shape::Kubectl133).unwrap();
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
            text(&s.to_json(Shape::Kubectl134).unwrap()),
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
            text(&s.to_compact_json(Shape::Kubectl133).unwrap()),
            "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\\u003c\\u003e\\u0026\",\"namespace\":\"ns\",\"creationTimestamp\":null},\"data\":{\"a\":\"MQ==\"},\"type\":\"t\"}\n"
        );
    }

    #[test]
    fn large_files_are_streamed_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let content: Vec<u8> = (0..700_001u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let mut in_memory = Secret::new(b"s".to_vec());
        in_memory
            .data
            .insert(b"a".to_vec(), SecretValue::new(b"x".to_vec()));
        in_memory
            .data
            .insert(b"big".to_vec(), SecretValue::new(content.clone()));
        in_memory
            .data
            .insert(b"z".to_vec(), SecretValue::new(b"y".to_vec()));
        let mut streamed = in_memory.clone();
        streamed.data.insert(
            b"big".to_vec(),
            SecretValue::from_large_file(
                File::open(&path).unwrap(),
                path.clone(),
                content.len() as u64,
            ),
        );
        assert!(streamed.has_streamed_values());
        assert_eq!(
            streamed.to_json(Shape::Kubectl133).unwrap(),
            in_memory.to_json(Shape::Kubectl133).unwrap()
        );
        assert_eq!(
            streamed.to_compact_json(Shape::Kubectl133).unwrap(),
            in_memory.to_compact_json(Shape::Kubectl133).unwrap()
        );
        std::fs::write(&path, b"shorter").unwrap();
        match streamed.to_json(Shape::Kubectl133) {
            Err(WriteError::Source(message)) => assert!(
                message.contains("changed while it was being read"),
                "{message}"
            ),
            other => panic!("expected a source error, got {other:?}"),
        }
    }

    #[test]
    fn debug_never_shows_values() {
        let v = SecretValue::new(b"hunter2".to_vec());
        assert!(!format!("{v:?}").contains("hunter2"));
    }
}
