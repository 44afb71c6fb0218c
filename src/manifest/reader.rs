//! Reading a Secret manifest the way `pachctl create secret -f FILE` gets it read.
//!
//! pachd (`CreateSecret` in `src/server/pps/server/api_server.go`) decodes the file with Go's
//! `encoding/json` into a `k8s.io/api/core/v1.Secret`, checks the `suite` label, and hands it
//! to the API server. This module reproduces that path and reports, as [`Finding`]s, what
//! each step would do with the file:
//!
//! - Go: JSON only, one value, no BOM; member names matched case-insensitively (`foldName`),
//!   unknown members silently dropped; `data` values are `[]byte`, i.e. standard padded base64
//!   (`base64.StdEncoding`, which skips `\r` and `\n`); a type mismatch fails the whole decode.
//! - pachd: `suite` label, if set, must be `pachyderm`.
//! - API server: name, namespace, key names, size and type-required keys
//!   ([`crate::checks::check_secret`]); `stringData` merged over `data`.
//!
//! The result is the [`Secret`] pachd would create (when the file decodes at all).

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::checks::check_secret;
use crate::go::apimachinery::config_key_errors;
use crate::go::strconv::go_quote;
use crate::report::suggest::closest;
use crate::report::text::shown;
use crate::report::{Finding, Severity};
use crate::secret::{Secret, SecretValue};
use crate::syntax::json::{Member, Node, Value, line_column, parse_document};

/// Go's `base64.StdEncoding`: padding required, non-zero trailing bits tolerated.
const GO_STD_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// `v1.Secret`'s JSON fields.
const SECRET_FIELDS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "immutable",
    "data",
    "stringData",
    "type",
];

/// `metav1.ObjectMeta`'s JSON fields.
const METADATA_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// Built-in types whose exact spelling matters (the API server compares case-sensitively).
const BUILTIN_TYPES: &[&str] = &[
    "Opaque",
    "kubernetes.io/service-account-token",
    "kubernetes.io/dockercfg",
    "kubernetes.io/dockerconfigjson",
    "kubernetes.io/basic-auth",
    "kubernetes.io/ssh-auth",
    "kubernetes.io/tls",
    "bootstrap.kubernetes.io/token",
];

/// What reading one manifest produced.
#[derive(Debug, Default)]
pub struct ManifestReport {
    /// The Secret pachd would create, if the file decodes at all. With errors present it may
    /// still be useful (its name and keys), but the cluster would not accept it.
    pub secret: Option<Secret>,
    pub diagnostics: Vec<Finding>,
}

impl ManifestReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// `secret NAME` for report lines, or empty when there is no name.
    pub fn subject(&self) -> String {
        match &self.secret {
            Some(s) if !s.name.is_empty() => {
                format!("secret {}", shown(&s.name))
            }
            Some(_) => "secret (no name)".into(),
            None => String::new(),
        }
    }
}

/// Reads `input` as pachd would. Never fails: every problem is a diagnostic.
pub fn read_manifest(input: &[u8]) -> ManifestReport {
    let mut report = ManifestReport::default();
    let diagnostics = &mut report.diagnostics;
    if input.starts_with(b"\xef\xbb\xbf") {
        diagnostics.push(
            Finding::error(
                "the file starts with a byte-order mark, which Go's JSON decoder refuses",
            )
            .hint("save it as UTF-8 without BOM"),
        );
        return report;
    }
    let first = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| input[i]);
    if first.is_some_and(|b| b != b'{' && b != b'[') {
        diagnostics.push(
            Finding::error("not JSON (YAML?): pachd decodes secrets with Go's encoding/json only")
            .hint("convert it with `yq -o=json . FILE`, or make it with `pachsecret generic NAME ...` or `kubectl create secret ... --dry-run=client -o json`"),
        );
        return report;
    }
    let doc = match parse_document(input) {
        Ok(doc) => doc,
        Err(e) => {
            diagnostics.push(
                Finding::error(format!(
                    "invalid JSON at {}: {}",
                    e.position(input),
                    e.message
                ))
                .hint("pachd would refuse it with \"failed to unmarshal secret\""),
            );
            return report;
        }
    };
    let Some(members) = doc.as_object() else {
        diagnostics.push(
            Finding::error(format!("the file holds {}, not one Secret object", doc.kind()))
            .hint("pachctl create secret takes exactly one Secret per file; split a List into one file per item"),
        );
        return report;
    };
    let mut decoder = Decoder {
        input,
        secret: Secret::default(),
        diagnostics: Vec::new(),
        saw_data: false,
        kind: None,
        api_version: None,
    };
    decoder.secret_members(members);
    let Decoder {
        secret,
        diagnostics: mut found,
        saw_data,
        kind,
        api_version,
        ..
    } = decoder;
    check_type_meta(kind.as_deref(), api_version.as_deref(), &mut found);
    found.extend(check_secret(&secret));
    if !saw_data {
        found.push(
            Finding::warning("the secret has no data and no stringData")
                .hint("add a data member with base64 values, or stringData with plain ones"),
        );
    }
    report.diagnostics.append(&mut found);
    report.secret = Some(secret);
    report
}

fn check_type_meta(kind: Option<&str>, api_version: Option<&str>, out: &mut Vec<Finding>) {
    match kind {
        Some("Secret") => {}
        None => {
            out.push(Finding::warning("kind is missing").at("kind").hint(
                "add \"kind\": \"Secret\" so that kubectl and other tools accept the file too",
            ))
        }
        Some(other) => out.push(
            Finding::warning(format!(
                "kind is {}, not Secret; pachd reads it as a Secret anyway",
                go_quote(other.as_bytes())
            ))
            .at("kind")
            .hint("is this the right file?"),
        ),
    }
    match api_version {
        Some("v1") => {}
        None => out.push(
            Finding::warning("apiVersion is missing")
                .at("apiVersion")
                .hint("add \"apiVersion\": \"v1\""),
        ),
        Some(other) => out.push(
            Finding::warning(format!(
                "apiVersion is {}, not v1",
                go_quote(other.as_bytes())
            ))
            .at("apiVersion")
            .hint("Secrets are core/v1 objects: \"apiVersion\": \"v1\""),
        ),
    }
}

/// `bytes.EqualFold`, which Go's decoder uses to match member names to fields: ASCII case,
/// plus the two non-ASCII letters that simple-fold to ASCII ones (U+017F LATIN SMALL LETTER
/// LONG S ~ `s`, U+212A KELVIN SIGN ~ `k`).
fn go_equal_fold(field: &str, name: &str) -> bool {
    let fold = |c: char| match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    };
    field.chars().map(fold).eq(name.chars().map(fold))
}

struct Decoder<'a> {
    input: &'a [u8],
    secret: Secret,
    diagnostics: Vec<Finding>,
    saw_data: bool,
    kind: Option<String>,
    api_version: Option<String>,
}

impl Decoder<'_> {
    fn at(&self, node: &Node) -> String {
        let (line, column) = line_column(self.input, node.span.start);
        format!("line {line}, column {column}")
    }

    /// Go's field matching: an exact name first, otherwise a case-insensitive one. Returns the
    /// canonical name, warning about near-misses and unknown members.
    fn match_field(
        &mut self,
        member: &Member,
        fields: &[&'static str],
        prefix: &str,
        seen: &mut Vec<&'static str>,
    ) -> Option<&'static str> {
        let location = format!("{prefix}{}", member.key);
        let field = fields
            .iter()
            .find(|f| **f == member.key)
            .or_else(|| fields.iter().find(|f| go_equal_fold(f, &member.key)))
            .copied();
        match field {
            Some(field) => {
                if field != member.key {
                    self.diagnostics.push(
                        Finding::warning(format!(
                            "Go matches this to {field} only because it ignores case"
                        ))
                        .at(location)
                        .hint(format!("spell it {field}")),
                    );
                }
                if seen.contains(&field) {
                    self.diagnostics.push(
                        Finding::warning(
                            "appears more than once; Go merges maps and lets the last scalar win",
                        )
                        .at(format!("{prefix}{field}"))
                        .hint("keep one"),
                    );
                } else {
                    seen.push(field);
                }
                Some(field)
            }
            None => {
                let mut d = Finding::warning(
                    "unknown field, silently dropped by pachd (Go's encoding/json)",
                )
                .at(location);
                if let Some(near) = closest(&member.key, fields) {
                    d = d.hint(format!("did you mean {near}?"));
                } else {
                    d = d.hint("remove it");
                }
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn type_error(&mut self, location: &str, node: &Node, expected: &str) {
        self.diagnostics.push(
            Finding::error(format!(
                    "is {} at {}, but Go expects {expected}: pachd fails with \"failed to unmarshal secret\"",
                    node.kind(),
                    self.at(node)
                )).at(location)
            .hint(format!("make it {expected}")),
        );
    }

    /// A string field; `null` leaves it unset, as in Go.
    fn string(&mut self, location: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(text) => Some(text.as_str().to_string()),
            Value::Null => None,
            _ => {
                self.type_error(location, node, "a string");
                None
            }
        }
    }

    fn secret_members(&mut self, members: &[Member]) {
        let mut seen = Vec::new();
        for member in members {
            let Some(field) = self.match_field(member, SECRET_FIELDS, "", &mut seen) else {
                continue;
            };
            let node = &member.value;
            match field {
                "kind" => self.kind = self.string(field, node).or(self.kind.take()),
                "apiVersion" => {
                    self.api_version = self.string(field, node).or(self.api_version.take());
                }
                "type" => {
                    if let Some(t) = self.string(field, node) {
                        self.secret_type(&t);
                        self.secret.secret_type = t.into_bytes();
                    }
                }
                "immutable" => match node.value {
                    Value::Bool(b) => self.secret.immutable = Some(b),
                    Value::Null => {}
                    _ => self.type_error(field, node, "true or false"),
                },
                "metadata" => match node.as_object() {
                    Some(meta) => self.metadata(meta),
                    None if matches!(node.value, Value::Null) => {}
                    None => self.type_error(field, node, "an object"),
                },
                "data" => self.data(node, false),
                "stringData" => self.data(node, true),
                _ => {}
            }
        }
    }

    fn secret_type(&mut self, secret_type: &str) {
        if let Some(builtin) = BUILTIN_TYPES
            .iter()
            .find(|b| b.eq_ignore_ascii_case(secret_type) && **b != secret_type)
        {
            self.diagnostics.push(
                Finding::warning(format!(
                        "type {} differs from the built-in type {builtin} only in case; the API server treats it as a different, custom type",
                        go_quote(secret_type.as_bytes())
                    )).at("type")
                .hint(format!("spell it {builtin}")),
            );
        }
    }

    fn metadata(&mut self, members: &[Member]) {
        let mut seen = Vec::new();
        for member in members {
            let Some(field) = self.match_field(member, METADATA_FIELDS, "metadata.", &mut seen)
            else {
                continue;
            };
            let location = format!("metadata.{field}");
            let node = &member.value;
            match field {
                "name" => {
                    if let Some(name) = self.string(&location, node) {
                        self.secret.name = name.into_bytes();
                    }
                }
                "namespace" => {
                    if let Some(ns) = self.string(&location, node).filter(|ns| !ns.is_empty()) {
                        self.diagnostics.push(
                            Finding::warning(format!(
                                    "is set to {}; pachd creates secrets in its own namespace and the API server refuses a different one",
                                    go_quote(ns.as_bytes())
                                )).at(location)
                            .hint("remove metadata.namespace"),
                        );
                        self.secret.namespace = Some(ns.into_bytes());
                    }
                }
                "labels" => {
                    if let Some(map) = self.string_map(&location, node) {
                        for (k, v) in map {
                            if k == "suite" && v != "pachyderm" {
                                self.diagnostics.push(
                                    Finding::error(format!("pachd refuses the secret (\"invalid suite label set on secret: suite={v}\"), or newer versions overwrite the label")).at("metadata.labels.suite")
                                    .hint("remove the suite label; pachd sets suite=pachyderm itself"),
                                );
                            }
                            self.secret.labels.insert(k.into_bytes(), v.into_bytes());
                        }
                    }
                }
                "annotations" => {
                    if let Some(map) = self.string_map(&location, node) {
                        for (k, v) in map {
                            self.secret
                                .annotations
                                .insert(k.into_bytes(), v.into_bytes());
                        }
                    }
                }
                "resourceVersion" => {
                    if self.string(&location, node).is_some_and(|v| !v.is_empty()) {
                        self.diagnostics.push(
                            Finding::error("the API server refuses to create an object with resourceVersion set").at(location)
                            .hint("remove it (this looks like `kubectl get -o json` output)"),
                        );
                    }
                }
                "creationTimestamp" | "generateName" => {}
                _ => {
                    if !matches!(node.value, Value::Null) {
                        self.diagnostics.push(
                            Finding::warning(
                                "is set by the cluster, not by the author of a manifest",
                            )
                            .at(location)
                            .hint("remove it (lint --fix drops it)"),
                        );
                    }
                }
            }
        }
    }

    fn string_map(&mut self, location: &str, node: &Node) -> Option<Vec<(String, String)>> {
        let members = match &node.value {
            Value::Object(members) => members,
            Value::Null => return None,
            _ => {
                self.type_error(location, node, "an object of strings");
                return None;
            }
        };
        let mut out = Vec::new();
        for member in members {
            let item = format!("{location}.{}", member.key);
            if let Some(value) = self.string(&item, &member.value) {
                out.push((member.key.clone(), value));
            }
        }
        Some(out)
    }

    /// `data` (base64 `[]byte` values) or `stringData` (plain strings, merged over `data` by
    /// the API server).
    fn data(&mut self, node: &Node, plain: bool) {
        let field = if plain { "stringData" } else { "data" };
        let members = match &node.value {
            Value::Object(members) => members,
            Value::Null => return,
            _ => {
                self.type_error(field, node, "an object");
                return;
            }
        };
        self.saw_data |= !members.is_empty();
        for member in members {
            let location = format!("{field}.{}", member.key);
            let key = member.key.as_bytes();
            let errors = config_key_errors(key);
            if !errors.is_empty() {
                self.diagnostics.push(
                    Finding::error(format!(
                            "{} is not a valid key name: {}",
                            go_quote(key),
                            errors.join("; ")
                        )).at(location.clone())
                    .hint("keys may hold letters, digits, '-', '_' and '.', and become file names in a mounted volume"),
                );
            }
            let value = match &member.value.value {
                Value::String(text) if plain => text.as_str().as_bytes().to_vec(),
                Value::String(text) => match self.base64(&location, text.as_str()) {
                    Some(bytes) => bytes,
                    None => continue,
                },
                Value::Null => Vec::new(),
                _ => {
                    self.type_error(&location, &member.value, "a string");
                    continue;
                }
            };
            let encoded = match &member.value.value {
                Value::String(text) if !plain => Some(text.as_str()),
                _ => None,
            };
            self.value_warnings(&location, &value, encoded);
            if plain && self.secret.data.contains_key(key) {
                self.diagnostics.push(
                    Finding::warning(
                        "the key is also under data; the API server keeps this stringData value",
                    )
                    .at(location.clone())
                    .hint("keep the key in one place"),
                );
            }
            self.secret
                .data
                .insert(key.to_vec(), SecretValue::new(value));
        }
    }

    /// Decodes as `base64.StdEncoding.Decode` inside `encoding/json` does; reports why not.
    fn base64(&mut self, location: &str, encoded: &str) -> Option<Vec<u8>> {
        // Go's decoder skips CR and LF anywhere in the input.
        let compact: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(
            encoded
                .bytes()
                .filter(|b| *b != b'\r' && *b != b'\n')
                .collect(),
        );
        match GO_STD_BASE64.decode(compact.as_slice()) {
            Ok(bytes) => {
                if compact.len() != encoded.len() {
                    self.diagnostics.push(
                        Finding::warning("the base64 value contains line breaks; Go skips them, other tools may not").at(location)
                        .hint("lint --fix rewrites it on one line"),
                    );
                }
                Some(bytes)
            }
            Err(e) => {
                let offset = match e {
                    base64::DecodeError::InvalidByte(offset, _)
                    | base64::DecodeError::InvalidLastSymbol { offset, .. }
                    | base64::DecodeError::InvalidLength(offset) => offset,
                    base64::DecodeError::InvalidPadding => compact.len(),
                };
                let fix = if compact.iter().any(|b| *b == b'-' || *b == b'_') {
                    "this looks like URL-safe base64; data needs the standard alphabet ('+' and '/'); or put the plain value under stringData"
                } else if compact.iter().any(u8::is_ascii_whitespace) {
                    "remove the spaces; or put the plain value under stringData"
                } else if !compact.contains(&b'=') && !compact.len().is_multiple_of(4) {
                    "the '=' padding is missing, and Go requires it: re-encode with `printf %s VALUE | base64 -w0`, or put the plain value under stringData"
                } else {
                    "is this the plain value? Encode it with `printf %s VALUE | base64 -w0`, or put it under stringData"
                };
                self.diagnostics.push(
                    Finding::error(format!(
                            "is not standard padded base64 (illegal base64 data at input byte {offset}): pachd fails with \"failed to unmarshal secret\""
                        )).at(location)
                    .hint(fix),
                );
                None
            }
        }
    }

    /// `encoded` is the base64 text of a `data` value, `None` for `stringData`.
    fn value_warnings(&mut self, location: &str, value: &[u8], encoded: Option<&str>) {
        let plain = encoded.is_none();
        let body = value
            .strip_suffix(b"\r\n")
            .or_else(|| value.strip_suffix(b"\n"));
        if let Some(body) = body
            && !body.is_empty()
            && !body.contains(&b'\n')
            && std::str::from_utf8(body).is_ok()
        {
            let fix = if plain {
                "remove the trailing \\n from the string"
            } else {
                "it was probably encoded with `echo VALUE | base64`; use `printf %s VALUE | base64` instead"
            };
            self.diagnostics.push(
                Finding::warning(
                    "decodes to text that ends in a newline, which will be part of the value",
                )
                .at(location)
                .hint(fix),
            );
        }
        // A short plain word that happens to be valid base64 ("admin123", "password") decodes
        // to binary noise. Real encodings of short binary values (keys, tokens) almost always
        // carry '=' padding or '+' and '/'.
        let looks_like_a_word =
            encoded.is_some_and(|e| e.len() <= 24 && e.bytes().all(|b| b.is_ascii_alphanumeric()));
        if looks_like_a_word && std::str::from_utf8(value).is_err() {
            self.diagnostics.push(
                Finding::warning("decodes to a short binary value, not text; was the plain value written here without encoding it?").at(location)
                .hint("encode it with `printf %s VALUE | base64`, or put it under stringData"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(input: &str) -> Vec<String> {
        read_manifest(input.as_bytes())
            .diagnostics
            .iter()
            .map(|d| d.line("f", ""))
            .collect()
    }

    const GOOD: &str = r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"clearml"},"data":{"access":"QUtJQQ==","secret":"c2VjcmV0"}}"#;

    #[test]
    fn a_kubectl_manifest_is_clean() {
        let report = read_manifest(GOOD.as_bytes());
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        let secret = report.secret.expect("secret");
        assert_eq!(secret.name, b"clearml");
        assert_eq!(
            secret
                .data
                .get(b"access".as_slice())
                .and_then(|v| v.in_memory()),
            Some(&b"AKIA"[..])
        );
    }

    #[test]
    fn field_names_fold_like_go() {
        assert!(go_equal_fold("stringData", "STRINGDATA"));
        assert!(go_equal_fold("stringData", "\u{17f}tringData"));
        assert!(go_equal_fold("kind", "\u{212a}IND"));
        assert!(!go_equal_fold("data", "dta"));
    }

    #[test]
    fn go_base64_rules() {
        let mut d = Decoder {
            input: b"",
            secret: Secret::default(),
            diagnostics: Vec::new(),
            saw_data: false,
            kind: None,
            api_version: None,
        };
        assert_eq!(d.base64("x", "YQ=="), Some(b"a".to_vec()));
        assert_eq!(d.base64("x", "YR=="), Some(b"a".to_vec()), "trailing bits");
        assert_eq!(d.base64("x", "YW\r\nJj"), Some(b"abc".to_vec()));
        assert!(d.diagnostics.len() == 1 && d.diagnostics[0].severity == Severity::Warning);
        assert_eq!(d.base64("x", "YQ"), None);
        assert_eq!(d.base64("x", "a-_b"), None);
        assert_eq!(d.base64("x", "YQ= ="), None);
    }

    #[test]
    fn case_insensitive_fields_are_matched_with_a_warning() {
        let out = messages(
            r#"{"kind":"Secret","apiVersion":"v1","Metadata":{"name":"s"},"DATA":{"a":"YQ=="}}"#,
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].contains("Metadata: warning: Go matches this to metadata"));
    }

    #[test]
    fn values_are_never_in_messages() {
        let input = r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"pw":"hunter2!"},"stringData":{"x":"topsecret\n"}}"#;
        for line in messages(input) {
            assert!(
                !line.contains("hunter2") && !line.contains("topsecret"),
                "{line}"
            );
        }
    }
}
