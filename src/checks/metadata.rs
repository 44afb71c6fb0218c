//! `--label`, `--annotation` and `-n`: metadata kubectl's `create secret` cannot set, checked
//! with the API server's rules (`ValidateLabels`, `ValidateAnnotations` in apimachinery) and
//! Pachyderm's (the `suite` label, the namespace pachd ignores).

use crate::go::apimachinery::dns1123_subdomain_errors;
use crate::report::Finding;
use crate::report::text::display_bytes;
use crate::report::text::quoted;
use crate::secret::Secret;

/// `TotalAnnotationSizeLimitB`.
pub const MAX_ANNOTATIONS_SIZE: usize = 256 * 1024;
const QUALIFIED_NAME_MAX_LEN: usize = 63;
const LABEL_VALUE_MAX_LEN: usize = 63;

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, the name part of labels and annotation keys.
fn is_qualified_name_part(name: &[u8]) -> bool {
    let edge = |b: &u8| b.is_ascii_alphanumeric();
    match (name.first(), name.last()) {
        (Some(first), Some(last)) => {
            edge(first)
                && edge(last)
                && name
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `IsQualifiedName`: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters.
pub fn qualified_name_errors(key: &[u8]) -> Vec<String> {
    let parts: Vec<&[u8]> = key.split(|b| *b == b'/').collect();
    let mut errors = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("the prefix before '/' must be non-empty".to_string());
            } else if !dns1123_subdomain_errors(prefix).is_empty() {
                errors.push(
                    "the prefix before '/' must be a DNS-1123 subdomain (lower case, digits, '-', '.')"
                        .to_string(),
                );
            }
            *name
        }
        _ => {
            return vec!["it may contain at most one '/' (an optional DNS prefix, e.g. 'example.com/MyName')".into()];
        }
    };
    if name.len() > QUALIFIED_NAME_MAX_LEN {
        errors.push(format!(
            "the name part must be no more than {QUALIFIED_NAME_MAX_LEN} characters"
        ));
    }
    if !is_qualified_name_part(name) {
        errors.push("the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character".into());
    }
    errors
}

/// `IsValidLabelValue`: empty, or a qualified name part of at most 63 characters.
pub fn label_value_errors(value: &[u8]) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LEN {
        errors.push(format!(
            "must be no more than {LABEL_VALUE_MAX_LEN} characters"
        ));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errors.push("must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character".into());
    }
    errors
}

/// The API server's and pachd's rules for the metadata of `secret`.
pub fn check_metadata(secret: &Secret) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, value) in &secret.labels {
        let key_errors = qualified_name_errors(key);
        if !key_errors.is_empty() {
            findings.push(
                Finding::error(format!(
                    "label key {} is invalid: {}",
                    quoted(key),
                    key_errors.join("; ")
                ))
                .hint("label keys look like app.kubernetes.io/name or team"),
            );
        }
        let value_errors = label_value_errors(value);
        if !value_errors.is_empty() {
            findings.push(
                Finding::error(format!(
                    "the value of label {} is invalid: {}",
                    display_bytes(key),
                    value_errors.join("; ")
                ))
                .hint("put longer or free-form text in an --annotation instead"),
            );
        }
        if key.as_slice() == b"suite" && value.as_slice() != b"pachyderm" {
            findings.push(Finding::error(format!(
                    "pachd refuses a secret labelled suite={} (invalid suite label set on secret)",
                    display_bytes(value)
                )).hint("drop the label (pachd sets suite=pachyderm itself) or set --label=suite=pachyderm"));
        }
    }
    let mut total = 0;
    for (key, value) in &secret.annotations {
        total += key.len() + value.len();
        let errors = qualified_name_errors(&key.to_ascii_lowercase());
        if !errors.is_empty() {
            findings.push(
                Finding::error(format!(
                    "annotation key {} is invalid: {}",
                    quoted(key),
                    errors.join("; ")
                ))
                .hint("annotation keys look like example.com/owner or description"),
            );
        }
    }
    if total > MAX_ANNOTATIONS_SIZE {
        findings.push(Finding::error(format!("the annotations total {total} bytes; the API server allows at most {MAX_ANNOTATIONS_SIZE}")).hint("shorten the annotations, or drop --save-config if it is what makes them large"));
    }
    if let Some(namespace) = secret.namespace.as_deref().filter(|ns| !ns.is_empty()) {
        findings.push(Finding::warning(format!(
                "metadata.namespace is set to {}; pachctl create secret always creates the secret in pachd's own namespace, and the API server refuses a manifest that names another",
                display_bytes(namespace)
            )).hint("leave out -n/--namespace for manifests meant for pachctl create secret"));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names() {
        for ok in [
            "app",
            "app.kubernetes.io/name",
            "A_b-c.D",
            "x/y",
            "a".repeat(63).as_str(),
        ] {
            assert!(qualified_name_errors(ok.as_bytes()).is_empty(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "/a",
            "a/b/c",
            "Bad_Prefix/a",
            "a b",
            "a".repeat(64).as_str(),
        ] {
            assert!(!qualified_name_errors(bad.as_bytes()).is_empty(), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        assert!(label_value_errors(b"").is_empty());
        assert!(label_value_errors(b"v1.2_3-x").is_empty());
        assert!(!label_value_errors(b"has space").is_empty());
        assert!(!label_value_errors("x".repeat(64).as_bytes()).is_empty());
    }

    #[test]
    fn suite_label_must_be_pachyderm_and_namespace_warns() {
        let mut s = Secret::new(b"s".to_vec());
        s.labels.insert(b"suite".to_vec(), b"other".to_vec());
        s.namespace = Some(b"team".to_vec());
        let findings = check_metadata(&s);
        assert_eq!(findings.len(), 2);
        assert!(findings[0].message.contains("suite=other"));
        assert!(
            findings[1]
                .message
                .contains("metadata.namespace is set to team")
        );
    }
}
