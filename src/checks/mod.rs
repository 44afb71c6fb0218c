//! Checks kubectl skips but the API server (or common sense) enforces.
//!
//! kubectl's client-side dry run accepts any name, any size and any type. The API server then
//! refuses the Secret at `pachctl create secret` time (`ValidateSecret` in
//! `pkg/apis/core/validation/validation.go`): the name must be a DNS-1123 subdomain, the values
//! must total at most 1 MiB, and some types require keys. These checks run on the finished
//! Secret and produce [`Finding`]s; `--validate` decides what happens to them.

pub mod metadata;

use crate::go::apimachinery::{dns1123_subdomain_errors, suggest_dns1123_subdomain};
use crate::kinds::sources::Origin;
use crate::report::Finding;
use crate::report::text::{display_bytes, quoted};
use crate::secret::Secret;

/// `MaxSecretSize` in `pkg/apis/core/types.go`.
pub const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// The API server's rules for any Secret: name, total size, keys required by the type.
pub fn check_secret(secret: &Secret) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_name(secret, &mut findings);
    check_size(secret, &mut findings);
    check_type_keys(secret, &mut findings);
    findings
}

fn check_name(secret: &Secret, findings: &mut Vec<Finding>) {
    let errors = dns1123_subdomain_errors(&secret.name);
    if errors.is_empty() {
        return;
    }
    let hint = match suggest_dns1123_subdomain(&secret.name) {
        Some(suggestion) if secret.name.is_empty() => {
            format!("give the secret a name such as {suggestion}")
        }
        Some(suggestion) => format!(
            "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. {suggestion}"
        ),
        None => "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit".into(),
    };
    let message = if secret.name.is_empty() {
        "the secret has no name; the API server requires one".to_string()
    } else {
        format!(
            "secret name {} is not a valid DNS-1123 subdomain: {}",
            quoted(&secret.name),
            errors.join("; ")
        )
    };
    findings.push(Finding::error(message).hint(hint));
}

/// The 1 MiB rule alone: runs before anything reads a streamed value (the hash does).
pub fn check_size(secret: &Secret, findings: &mut Vec<Finding>) {
    let size = secret.data_size();
    if size > MAX_SECRET_SIZE {
        findings.push(Finding::error(format!(
                "the secret's values total {size} bytes; the API server refuses more than {MAX_SECRET_SIZE} bytes (1 MiB)"
            )).hint("split the data over several secrets, or mount large files from a PFS input instead"));
    }
}

/// Keys each built-in type must carry (`ValidateSecret`'s `switch secret.Type`).
fn check_type_keys(secret: &Secret, findings: &mut Vec<Finding>) {
    let has = |key: &str| secret.data.contains_key(key.as_bytes());
    let ty = secret.secret_type.as_slice();
    let shown_type = display_bytes(ty);
    let missing = |keys: &str, findings: &mut Vec<Finding>, hint: &str| {
        findings.push(
            Finding::error(format!("a secret of type {shown_type} must have {keys}"))
                .hint(hint.to_string()),
        );
    };
    match ty {
        b"kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                if !has(key) {
                    missing(
                        &format!("the key {key}"),
                        findings,
                        "use `pachsecret tls NAME --cert=CERT --key=KEY`, or add --from-file=tls.crt=CERT --from-file=tls.key=KEY",
                    );
                }
            }
        }
        b"kubernetes.io/dockerconfigjson" => {
            check_json_key(secret, ".dockerconfigjson", findings);
        }
        b"kubernetes.io/dockercfg" => {
            check_json_key(secret, ".dockercfg", findings);
        }
        b"kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            missing(
                "the key username or the key password (or both)",
                findings,
                "add --from-literal=username=USER and a password key, e.g. --from-file=password=PATH",
            );
        }
        b"kubernetes.io/ssh-auth" => {
            let empty = secret
                .data
                .get(b"ssh-privatekey".as_slice())
                .is_none_or(|v| v.is_empty());
            if empty {
                missing(
                    "a non-empty key ssh-privatekey",
                    findings,
                    "add --from-file=ssh-privatekey=PATH/TO/id_ed25519",
                );
            }
        }
        b"kubernetes.io/service-account-token"
            if secret
                .annotations
                .get(b"kubernetes.io/service-account.name".as_slice())
                .is_none_or(|v| v.is_empty()) =>
        {
            missing(
                "the annotation kubernetes.io/service-account.name",
                findings,
                "service-account tokens are made by the cluster; for Pachyderm use a generic secret (no --type) instead",
            );
        }
        _ => {}
    }
}

fn check_json_key(secret: &Secret, key: &str, findings: &mut Vec<Finding>) {
    let shown_type = display_bytes(&secret.secret_type);
    match secret.data.get(key.as_bytes()) {
        None => findings.push(
            Finding::error(format!(
                "a secret of type {shown_type} must have the key {key}"
            ))
            .hint(format!(
                "use `pachsecret docker-registry`, or --from-file={key}=PATH/TO/config.json"
            )),
        ),
        Some(value) => {
            // The API server runs json.Unmarshal into map[string]interface{}. A streamed
            // (over 1 MiB) value is already refused by the size check.
            let Some(bytes) = value.in_memory() else {
                return;
            };
            let parsed = crate::kinds::docker_registry::dockerconfig::ScrubbedJson::parse(bytes);
            if !parsed.is_ok_and(|json| json.0.is_object()) {
                findings.push(Finding::error(format!("the value of {key} is not a JSON object, which type {shown_type} requires")).hint("check the file given for it: it must be a Docker config such as ~/.docker/config.json"));
            }
        }
    }
}

/// Warnings about values that are probably accidents: a single line that ends in a newline,
/// as `echo secret > file` or a heredoc produces. Multi-line values (PEM files, configs) are
/// expected to end in a newline and are left alone.
pub fn check_trailing_newlines<'a>(
    secret: &Secret,
    origins: impl IntoIterator<Item = &'a (Vec<u8>, Origin)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, origin) in origins {
        if !origin.is_user_value() {
            continue;
        }
        let Some(bytes) = secret.data.get(key).and_then(|v| v.in_memory()) else {
            continue;
        };
        let body = bytes
            .strip_suffix(b"\r\n")
            .or_else(|| bytes.strip_suffix(b"\n"));
        if let Some(body) = body
            && !body.is_empty()
            && !body.contains(&b'\n')
        {
            findings.push(Finding::warning(format!(
                    "the value of key {} (from {}) ends with a newline, which will be part of the secret",
                    display_bytes(key),
                    origin.describe()
                )).hint("if that is not intended, write the file with `printf %s` or `echo -n`, or strip it: `tr -d '\\n' < FILE`"));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretValue;

    fn secret(name: &str, ty: &str, data: &[(&str, &[u8])]) -> Secret {
        let mut s = Secret::new(name.as_bytes().to_vec());
        s.secret_type = ty.as_bytes().to_vec();
        for (k, v) in data {
            s.data
                .insert(k.as_bytes().to_vec(), SecretValue::new(v.to_vec()));
        }
        s
    }

    #[test]
    fn a_valid_opaque_secret_has_no_findings() {
        assert!(check_secret(&secret("db-creds", "", &[("a", b"1")])).is_empty());
    }

    #[test]
    fn invalid_names_get_a_suggestion() {
        let findings = check_secret(&secret("My_Secret", "", &[]));
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("my-secret")
        );
    }

    #[test]
    fn size_limit_counts_values_only() {
        let big = vec![0u8; MAX_SECRET_SIZE];
        assert!(check_secret(&secret("s", "", &[("a", &big)])).is_empty());
        let bigger = vec![0u8; MAX_SECRET_SIZE + 1];
        assert_eq!(check_secret(&secret("s", "", &[("a", &bigger)])).len(), 1);
    }

    #[test]
    fn type_required_keys() {
        assert_eq!(
            check_secret(&secret("s", "kubernetes.io/tls", &[("tls.crt", b"x")])).len(),
            1
        );
        assert_eq!(
            check_secret(&secret(
                "s",
                "kubernetes.io/basic-auth",
                &[("password", b"")]
            ))
            .len(),
            0
        );
        assert_eq!(
            check_secret(&secret("s", "kubernetes.io/basic-auth", &[])).len(),
            1
        );
        assert_eq!(
            check_secret(&secret(
                "s",
                "kubernetes.io/ssh-auth",
                &[("ssh-privatekey", b"")]
            ))
            .len(),
            1
        );
        assert_eq!(
            check_secret(&secret(
                "s",
                "kubernetes.io/dockerconfigjson",
                &[(".dockerconfigjson", b"not json")]
            ))
            .len(),
            1
        );
        assert_eq!(
            check_secret(&secret(
                "s",
                "kubernetes.io/dockerconfigjson",
                &[(".dockerconfigjson", b"{\"auths\":{}}")]
            ))
            .len(),
            0
        );
        assert_eq!(
            check_secret(&secret("s", "kubernetes.io/service-account-token", &[])).len(),
            1
        );
        assert_eq!(
            check_secret(&secret("s", "example.com/custom", &[])).len(),
            0
        );
    }

    #[test]
    fn only_single_line_values_ending_in_newline_are_flagged() {
        let s = secret(
            "s",
            "",
            &[
                ("pw", b"hunter2\n"),
                ("pem", b"-----BEGIN X-----\nAA==\n-----END X-----\n"),
                ("nl", b"\n"),
                ("ok", b"x"),
            ],
        );
        let origins: Vec<(Vec<u8>, Origin)> = ["pw", "pem", "nl", "ok"]
            .iter()
            .map(|k| (k.as_bytes().to_vec(), Origin::Literal(1)))
            .collect();
        let findings = check_trailing_newlines(&s, &origins);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("key pw"));
        assert!(!findings[0].message.contains("hunter2"));
    }
}
