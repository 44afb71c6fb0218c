//! From secrets and the mapping flags (`--env`, `--env-prefix`, `--mount`) to a [`Fragment`].
//!
//! Rules, per secret, in the order the manifests were given:
//! - `--env VAR=KEY` (or `VAR=SECRET/KEY` when several secrets are given) binds one key to one
//!   variable; `--mount [SECRET=]PATH` mounts the whole secret.
//! - A secret named by neither becomes one variable per key, named after the key (upper-cased,
//!   other characters replaced by `_`, `--env-prefix` in front), or, for a
//!   `kubernetes.io/dockerconfigjson` secret, an `image_pull_secrets` entry.
//!
//! The result is checked with `check`'s own rules before anything is written.

use crate::report::text::{ordinal, quoted, shown};
use crate::report::{Error, Result};

use super::check::{Catalog, KnownSecret, TransformView, check_transform, is_portable_env_name};
use super::fragment::{Fragment, SecretMount};
use crate::report::Severity;

/// The mapping flags, as typed.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    pub env: Vec<String>,
    pub env_prefix: Option<String>,
    pub mount: Vec<String>,
    /// Field names in protobuf's lowerCamel (`--camel-case`) instead of snake_case.
    pub camel_case: bool,
    /// The flags' spelling for messages (`--env` or `--snippet-env`...).
    pub flag_prefix: &'static str,
}

/// Builds the fragment for `secrets` and validates it. Usage errors (exit 2) for flags that
/// do not fit the secrets; rejections (exit 1) for a fragment the cluster would refuse.
pub fn build_fragment(secrets: &[KnownSecret], flags: &Mapping) -> Result<Fragment> {
    let p = flags.flag_prefix;
    let prefix = flags.env_prefix.clone().unwrap_or_default();
    if !prefix.is_empty() && !is_portable_env_name(&prefix) {
        return Err(Error::usage(format!(
            "--{p}env-prefix {} is not the start of a valid variable name",
            quoted(&prefix)
        ))
        .hint("use letters, digits and '_', not starting with a digit, e.g. CLEARML_API_"));
    }
    let mut explicit: Vec<(usize, String, String)> = Vec::new();
    for (i, item) in flags.env.iter().enumerate() {
        // The item is not shown: VAR=VALUE in place of VAR=KEY would put a secret on screen.
        let flag = format!("the {} --{p}env", ordinal(i + 1));
        let Some((var, target)) = item.split_once('=') else {
            return Err(
                Error::usage(format!("{flag} is not VAR=KEY (it has no '=')"))
                    .hint(format!("write --{p}env CLEARML_API_ACCESS_KEY=access")),
            );
        };
        let (secret, key) = resolve_key(secrets, target, &flag, p)?;
        explicit.push((secret, var.to_string(), key));
    }
    let mut mounts: Vec<(usize, String)> = Vec::new();
    for item in &flags.mount {
        let (secret, path) = match item.split_once('=') {
            Some((name, path)) => match secrets.iter().position(|s| s.name == name) {
                Some(i) => (i, path.to_string()),
                None => {
                    return Err(Error::usage(format!(
                        "--{p}mount {}: no given secret is named {}",
                        quoted(item),
                        quoted(name)
                    ))
                    .hint(format!("the secrets are {}", names(secrets))));
                }
            },
            None if secrets.len() == 1 => (0, item.clone()),
            None => {
                return Err(Error::usage(format!(
                    "--{p}mount {} does not say which of the {} secrets to mount",
                    quoted(item),
                    secrets.len()
                ))
                .hint(format!(
                    "write --{p}mount SECRET=PATH (secrets: {})",
                    names(secrets)
                )));
            }
        };
        mounts.push((secret, path));
    }

    let mut fragment = Fragment::default();
    for (i, secret) in secrets.iter().enumerate() {
        let mut chosen = false;
        for (_, var, key) in explicit.iter().filter(|(s, _, _)| *s == i) {
            fragment
                .secrets
                .push(SecretMount::env(&secret.name, var, key));
            chosen = true;
        }
        for (_, path) in mounts.iter().filter(|(s, _)| *s == i) {
            fragment
                .secrets
                .push(SecretMount::mount(&secret.name, path));
            chosen = true;
        }
        if chosen {
            continue;
        }
        if secret.is_registry() {
            fragment.image_pull_secrets.push(secret.name.clone());
            continue;
        }
        if secret.keys.is_empty() {
            return Err(Error::rejected(format!(
                "secret {} has no keys, so there is nothing to expose as variables",
                secret.name
            ))
            .hint(format!(
                "add data to the secret, or mount it with --{p}mount PATH"
            )));
        }
        for key in &secret.keys {
            let var = derived_name(&prefix, key);
            fragment
                .secrets
                .push(SecretMount::env(&secret.name, &var, key));
        }
    }

    let catalog = Catalog {
        secrets: secrets.to_vec(),
        ..Catalog::default()
    };
    let problems = check_transform(&TransformView::of_fragment(&fragment, Vec::new()), &catalog);
    if let Some(problem) = problems.iter().find(|d| d.severity == Severity::Error) {
        let mut error = Error::rejected(format!(
            "the snippet would not work: {}: {}",
            problem.location.field, problem.message
        ));
        let hint = match &problem.hint {
            Some(fix) => format!("{fix}; or choose names with --{p}env VAR=KEY"),
            None => format!("choose names with --{p}env VAR=KEY"),
        };
        error = error.hint(hint);
        return Err(error);
    }
    Ok(fragment)
}

fn names(secrets: &[KnownSecret]) -> String {
    secrets
        .iter()
        .map(|s| shown(&s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `KEY` or `SECRET/KEY` (neither secret names nor keys can contain `/`). `flag` names the
/// occurrence (`the 2nd --env`): what follows `=` is never shown, since a value typed where the
/// key belongs would be a secret.
fn resolve_key(
    secrets: &[KnownSecret],
    target: &str,
    flag: &str,
    p: &str,
) -> Result<(usize, String)> {
    if let Some((name, key)) = target.split_once('/')
        && let Some(i) = secrets.iter().position(|s| s.name == name)
    {
        if !secrets[i].keys.iter().any(|k| k == key) {
            return Err(missing_key(&secrets[i], flag, p));
        }
        return Ok((i, key.to_string()));
    }
    let holders: Vec<usize> = secrets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.keys.iter().any(|k| k == target))
        .map(|(i, _)| i)
        .collect();
    match holders.as_slice() {
        [i] => Ok((*i, target.to_string())),
        [] if secrets.len() == 1 => Err(missing_key(&secrets[0], flag, p)),
        [] => Err(Error::usage(format!(
            "{flag}: what follows '=' is not a key of any given secret (not shown, in case it is a value)"
        ))
        .hint(format!(
            "write --{p}env VAR=KEY or VAR=SECRET/KEY; the secrets are {}",
            names(secrets)
        ))),
        _ => Err(Error::usage(format!(
            "{flag}: the key {} is held by several given secrets",
            quoted(target)
        ))
        .hint(format!(
            "say which one: --{p}env VAR=SECRET/{}",
            shown(target)
        ))),
    }
}

fn missing_key(secret: &KnownSecret, flag: &str, p: &str) -> Error {
    Error::usage(format!(
        "{flag}: what follows '=' is not a key of secret {} (not shown, in case it is a value)",
        shown(&secret.name)
    ))
    .hint(format!(
        "write --{p}env VAR=KEY; the keys of {} are {}",
        shown(&secret.name),
        secret.keys.iter().map(shown).collect::<Vec<_>>().join(", ")
    ))
}

/// `prefix` + the key upper-cased, with every character that is not a letter, digit or `_`
/// replaced by `_`, and `_` in front if it would start with a digit.
pub fn derived_name(prefix: &str, key: &str) -> String {
    let mut name = prefix.to_string();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c.to_ascii_uppercase());
        } else {
            name.push('_');
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(name: &str, ty: &str, keys: &[&str]) -> KnownSecret {
        KnownSecret {
            name: name.into(),
            secret_type: ty.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn derived_names_are_valid_variables() {
        assert_eq!(derived_name("", "access"), "ACCESS");
        assert_eq!(
            derived_name("CLEARML_API_", "access-key.id"),
            "CLEARML_API_ACCESS_KEY_ID"
        );
        assert_eq!(derived_name("", "1st"), "_1ST");
    }

    #[test]
    fn explicit_env_mappings_and_mounts() {
        let flags = Mapping {
            env: vec![
                "CLEARML_API_ACCESS_KEY=access".into(),
                "B=tls/tls.crt".into(),
            ],
            mount: vec!["tls=/etc/tls".into()],
            ..Mapping::default()
        };
        let secrets = [
            secret("clearml", "", &["access", "secret"]),
            secret("tls", "kubernetes.io/tls", &["tls.crt", "tls.key"]),
            secret(
                "regcred",
                "kubernetes.io/dockerconfigjson",
                &[".dockerconfigjson"],
            ),
        ];
        let f = build_fragment(&secrets, &flags).expect("fragment");
        assert_eq!(
            f.secrets,
            vec![
                SecretMount::env("clearml", "CLEARML_API_ACCESS_KEY", "access"),
                SecretMount::env("tls", "B", "tls.crt"),
                SecretMount::mount("tls", "/etc/tls"),
            ]
        );
        assert_eq!(f.image_pull_secrets, vec!["regcred".to_string()]);
    }

    #[test]
    fn colliding_derived_names_are_refused() {
        let secrets = [secret("s", "", &["a-b", "a_b"])];
        let err = build_fragment(&secrets, &Mapping::default()).expect_err("collision");
        assert!(
            err.message.contains("env_var A_B is already set"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_secret_without_keys_needs_a_mount() {
        let secrets = [secret("empty", "", &[])];
        let err = build_fragment(&secrets, &Mapping::default()).expect_err("no keys");
        assert!(err.message.contains("secret empty has no keys"));
        let flags = Mapping {
            mount: vec!["/etc/empty".into()],
            ..Mapping::default()
        };
        assert!(build_fragment(&secrets, &flags).is_ok());
    }

    #[test]
    fn ambiguous_keys_need_the_secret_name() {
        let secrets = [secret("a", "", &["k"]), secret("b", "", &["k"])];
        let flags = Mapping {
            env: vec!["V=k".into()],
            ..Mapping::default()
        };
        let err = build_fragment(&secrets, &flags).expect_err("ambiguous");
        assert!(
            err.hint
                .clone()
                .unwrap_or_default()
                .contains("VAR=SECRET/k")
        );
    }
}
