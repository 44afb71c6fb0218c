//! `check`: what the cluster would only say when a worker pod starts, said offline.
//!
//! The rules follow how pachd builds the worker pod from `transform.secrets` and
//! `transform.image_pull_secrets` (`src/server/pps/server/worker_rc.go`): a `mount_path`
//! becomes a volume named after the secret plus a volume mount, an `env_var` becomes an
//! `EnvVar` with a `secretKeyRef{name, key}`. Kubernetes then refuses, or the kubelet fails on,
//! duplicate volume names, volume names that are not DNS-1123 labels, missing keys and so on.
//! Since 2.3.0 pachctl also refuses a missing secret or key at `create pipeline` time; this
//! check needs no cluster at all.
//!
//! [`read_transform`] reads a spec's `transform` as Pachyderm 2.x's protobuf JSON reader does
//! (snake_case or lowerCamel names, both in one object an error, unknown fields an error) into
//! a [`TransformView`]; [`check_transform`] applies the pod rules. Generated fragments are
//! validated with the same rules.

use std::path::{Component, Path};

use crate::go::apimachinery::{
    dns1123_label_errors, dns1123_subdomain_errors, env_var_name_errors,
};
use crate::report::suggest::closest;
use crate::report::text::quoted;
use crate::report::{Finding, Severity};
use crate::syntax::json::{Member, Node, Value};

use super::fragment::Fragment;

/// A secret whose manifest was given: what `check` needs to know about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownSecret {
    pub name: String,
    pub secret_type: String,
    pub keys: Vec<String>,
}

impl KnownSecret {
    pub fn from_secret(secret: &crate::secret::Secret) -> Self {
        KnownSecret {
            name: String::from_utf8_lossy(&secret.name).into_owned(),
            secret_type: String::from_utf8_lossy(&secret.secret_type).into_owned(),
            keys: secret
                .data
                .keys()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect(),
        }
    }

    pub fn is_registry(&self) -> bool {
        is_registry_type(&self.secret_type)
    }
}

/// Types a pod's `imagePullSecrets` can use.
pub fn is_registry_type(secret_type: &str) -> bool {
    matches!(
        secret_type,
        "kubernetes.io/dockerconfigjson" | "kubernetes.io/dockercfg"
    )
}

/// The secrets `check` knows about.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub secrets: Vec<KnownSecret>,
    /// Names the user says already exist on the cluster (`--on-cluster`).
    pub on_cluster: Vec<String>,
    /// Treat every unknown name as living on the cluster, silently (`patch`, which only
    /// knows the secrets it adds).
    pub assume_unknown_exist: bool,
}

impl Catalog {
    fn find(&self, name: &str) -> Option<&KnownSecret> {
        self.secrets.iter().find(|s| s.name == name)
    }
}

/// Pachyderm's own mounts in the worker container (`worker_rc.go`): the input/output tree
/// and the worker binary. A secret mounted on, above or inside one of them breaks the worker.
pub const RESERVED_MOUNTS: &[&str] = &["/pfs", "/pach-bin"];

/// One `transform.secrets[]` entry as read from a spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub name: Option<String>,
    pub env_var: Option<String>,
    pub key: Option<String>,
    pub mount_path: Option<String>,
}

/// The parts of `transform` that concern secrets.
#[derive(Clone, Debug, Default)]
pub struct TransformView {
    pub entries: Vec<Entry>,
    /// The name used for `image_pull_secrets` in locations (the spelling in the file).
    pub image_pull_field: String,
    pub image_pull_secrets: Vec<Option<String>>,
    /// Names set by `transform.env`.
    pub env: Vec<String>,
}

impl TransformView {
    /// The view of a generated fragment, for checking it before it is written anywhere.
    pub fn of_fragment(fragment: &Fragment, env: Vec<String>) -> Self {
        TransformView {
            entries: fragment
                .secrets
                .iter()
                .map(|s| Entry {
                    name: Some(s.name.clone()),
                    env_var: s.env_var.clone(),
                    key: s.key.clone(),
                    mount_path: s.mount_path.clone(),
                })
                .collect(),
            image_pull_field: "image_pull_secrets".into(),
            image_pull_secrets: fragment
                .image_pull_secrets
                .iter()
                .cloned()
                .map(Some)
                .collect(),
            env,
        }
    }
}

/// `SecretMount`'s fields with their protobuf JSON names (snake_case, lowerCamel).
const SECRET_MOUNT_FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("key", "key"),
    ("mount_path", "mountPath"),
    ("env_var", "envVar"),
];

/// `Transform`'s fields (2.x, plus 1.x's `build`), to tell a misspelt secrets field from
/// another field.
const TRANSFORM_FIELDS: &[&str] = &[
    "image",
    "cmd",
    "err_cmd",
    "errCmd",
    "env",
    "secrets",
    "image_pull_secrets",
    "imagePullSecrets",
    "stdin",
    "err_stdin",
    "errStdin",
    "accept_return_code",
    "acceptReturnCode",
    "debug",
    "user",
    "working_dir",
    "workingDir",
    "dockerfile",
    "memory_volume",
    "memoryVolume",
    "datum_batching",
    "datumBatching",
    "build",
];

/// The pipeline's name for report lines: `pipeline NAME`, or `pipeline #N` (1-based).
pub fn subject(spec: &Node, index: usize) -> String {
    match spec
        .get("pipeline")
        .and_then(|p| p.get("name"))
        .and_then(Node::as_str)
    {
        Some(name) if !name.is_empty() => format!("pipeline {name}"),
        _ => format!("pipeline #{}", index + 1),
    }
}

/// Reads the secret-related parts of a spec's `transform`, reporting fields Pachyderm would
/// refuse or drop. `None` when the spec has no usable `transform`.
pub fn read_transform(spec: &Node, out: &mut Vec<Finding>) -> Option<TransformView> {
    let Some(members) = spec.as_object() else {
        out.push(
            Finding::error(format!("the spec is {}, not an object", spec.kind()))
                .hint("a pipeline spec is a JSON object with pipeline, transform and input"),
        );
        return None;
    };
    let transform = members.iter().find(|m| m.key == "transform")?;
    let Some(transform_members) = transform.value.as_object() else {
        out.push(
            Finding::error(format!("is {}, not an object", transform.value.kind()))
                .at("transform")
                .hint("transform is an object holding image, cmd, secrets..."),
        );
        return None;
    };
    let mut view = TransformView {
        image_pull_field: "image_pull_secrets".into(),
        ..TransformView::default()
    };

    for member in transform_members {
        if TRANSFORM_FIELDS.contains(&member.key.as_str()) {
            continue;
        }
        if let Some(near) = closest(&member.key, &["secrets", "image_pull_secrets"]) {
            out.push(
                Finding::error(
                    "unknown field: Pachyderm 2.x refuses the spec, 1.x silently ignores the field",
                )
                .at(format!("transform.{}", member.key))
                .hint(format!("did you mean {near}?")),
            );
        }
    }

    let pull = one_of(
        transform_members,
        "image_pull_secrets",
        "imagePullSecrets",
        "transform.",
        out,
    );
    if let Some(member) = pull {
        view.image_pull_field = member.key.clone();
        let location = format!("transform.{}", member.key);
        match &member.value.value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let name = item.as_str().map(str::to_string);
                    if name.is_none() {
                        out.push(
                            Finding::error(format!("is {}, not a secret name", item.kind()))
                                .at(format!("{location}[{i}]"))
                                .hint("list secret names as strings"),
                        );
                    }
                    view.image_pull_secrets.push(name);
                }
            }
            Value::Null => {}
            _ => out.push(
                Finding::error(format!("is {}, not an array", member.value.kind()))
                    .at(location)
                    .hint("write it as a list of secret names: [\"regcred\"]"),
            ),
        }
    }

    if let Some(env) = transform_members.iter().find(|m| m.key == "env")
        && let Some(env_members) = env.value.as_object()
    {
        view.env = env_members.iter().map(|m| m.key.clone()).collect();
    }

    if let Some(secrets) = transform_members.iter().find(|m| m.key == "secrets") {
        match &secrets.value.value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    view.entries
                        .push(read_entry(item, &format!("transform.secrets[{i}]"), out));
                }
            }
            Value::Null => {}
            _ => out.push(
                Finding::error(format!("is {}, not an array", secrets.value.kind())).at("transform.secrets")
                .hint("write it as a list of {\"name\", \"env_var\", \"key\"} or {\"name\", \"mount_path\"} objects"),
            ),
        }
    }
    Some(view)
}

/// The member spelled `snake` or `camel`; both at once is an error in 2.x.
fn one_of<'a>(
    members: &'a [Member],
    snake: &str,
    camel: &str,
    prefix: &str,
    out: &mut Vec<Finding>,
) -> Option<&'a Member> {
    let found: Vec<&Member> = members
        .iter()
        .filter(|m| m.key == snake || m.key == camel)
        .collect();
    if found.len() > 1 {
        out.push(
            Finding::error(format!(
                "is given more than once ({}); Pachyderm 2.x refuses the spec",
                found
                    .iter()
                    .map(|m| m.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(format!("{prefix}{snake}"))
            .hint("keep one, spelled either snake_case or lowerCamel"),
        );
    }
    found.first().copied()
}

fn read_entry(item: &Node, location: &str, out: &mut Vec<Finding>) -> Entry {
    let mut entry = Entry::default();
    let Some(members) = item.as_object() else {
        out.push(
            Finding::error(format!("is {}, not an object", item.kind()))
                .at(location)
                .hint(
                    "each entry is {\"name\", \"env_var\", \"key\"} or {\"name\", \"mount_path\"}",
                ),
        );
        return entry;
    };
    for member in members {
        let known = SECRET_MOUNT_FIELDS
            .iter()
            .any(|(snake, camel)| member.key == *snake || member.key == *camel);
        if !known {
            let names: Vec<&str> = SECRET_MOUNT_FIELDS.iter().map(|(s, _)| *s).collect();
            let fix = match closest(&member.key, &names) {
                Some(near) => format!("did you mean {near}?"),
                None => "the fields are name, env_var, key and mount_path".into(),
            };
            out.push(
                Finding::error(format!(
                        "unknown field {}: Pachyderm 2.x refuses the spec, 1.x silently drops the field",
                        quoted(&member.key)
                    )).at(location)
                .hint(fix),
            );
        }
    }
    for (snake, camel) in SECRET_MOUNT_FIELDS {
        let Some(member) = one_of(members, snake, camel, &format!("{location}."), out) else {
            continue;
        };
        let value = match &member.value.value {
            Value::String(text) => Some(text.as_str().to_string()),
            Value::Null => None,
            _ => {
                out.push(
                    Finding::error(format!(
                        "{} is {}, not a string",
                        member.key,
                        member.value.kind()
                    ))
                    .at(location)
                    .hint(format!("write {} as a string", member.key)),
                );
                None
            }
        };
        // proto3 treats "" as unset, as worker_rc.go's `!= ""` tests do.
        let value = value.filter(|v| !v.is_empty());
        match *snake {
            "name" => entry.name = value,
            "key" => entry.key = value,
            "mount_path" => entry.mount_path = value,
            _ => entry.env_var = value,
        }
    }
    entry
}

/// Applies the pod rules to a transform.
pub fn check_transform(view: &TransformView, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut env_seen: Vec<(&str, usize)> = Vec::new();
    let mut mounted: Vec<(String, usize)> = Vec::new();
    let mut paths: Vec<(String, usize)> = Vec::new();
    for (i, entry) in view.entries.iter().enumerate() {
        let location = format!("transform.secrets[{i}]");
        let secret = match entry.name.as_deref() {
            None => {
                out.push(
                    Finding::error("has no name")
                        .at(&location)
                        .hint("set name to the secret's metadata.name"),
                );
                None
            }
            Some(name) => lookup(name, &location, catalog, &mut out),
        };
        if entry.env_var.is_none() && entry.mount_path.is_none() {
            out.push(
                Finding::error("has neither env_var nor mount_path, so Pachyderm silently ignores it").at(&location)
                .hint("add env_var and key to expose one key, or mount_path to mount the whole secret"),
            );
        }
        if let Some(env_var) = entry.env_var.as_deref() {
            check_env_entry(
                entry,
                env_var,
                secret,
                &location,
                i,
                view,
                &mut env_seen,
                &mut out,
            );
        } else if entry.key.is_some() && entry.mount_path.is_some() {
            out.push(
                Finding::warning(
                    "key is only used with env_var; a mount_path entry mounts every key",
                )
                .at(&location)
                .hint("remove key, or add env_var to expose that key as a variable"),
            );
        }
        if let Some(path) = entry.mount_path.as_deref() {
            check_mount(
                entry,
                path,
                &location,
                i,
                &mut mounted,
                &mut paths,
                &mut out,
            );
        }
    }
    let mut pulled: Vec<&str> = Vec::new();
    for (i, name) in view.image_pull_secrets.iter().enumerate() {
        let Some(name) = name.as_deref() else {
            continue;
        };
        let location = format!("transform.{}[{i}]", view.image_pull_field);
        if pulled.contains(&name) {
            out.push(
                Finding::warning(format!("secret {name} is listed twice"))
                    .at(&location)
                    .hint("list it once"),
            );
            continue;
        }
        pulled.push(name);
        if let Some(secret) = lookup(name, &location, catalog, &mut out)
            && !secret.is_registry()
        {
            let shown = if secret.secret_type.is_empty() {
                "Opaque".to_string()
            } else {
                secret.secret_type.clone()
            };
            out.push(
                Finding::error(format!(
                        "secret {name} has type {shown}; image pull secrets must be of type kubernetes.io/dockerconfigjson, or the image pull fails"
                    )).at(&location)
                .hint("create it with `pachsecret docker-registry` or `kubectl create secret docker-registry`"),
            );
        }
    }
    out
}

/// Finds a referenced secret; reports it when no manifest defines it.
fn lookup<'a>(
    name: &str,
    location: &str,
    catalog: &'a Catalog,
    out: &mut Vec<Finding>,
) -> Option<&'a KnownSecret> {
    if let Some(secret) = catalog.find(name) {
        return Some(secret);
    }
    if catalog.assume_unknown_exist {
        return None;
    }
    if catalog.on_cluster.iter().any(|n| n == name) {
        out.push(Finding::note(format!("secret {name} is assumed to exist on the cluster (--on-cluster); its keys and type were not checked")).at(location));
        return None;
    }
    let invalid = !dns1123_subdomain_errors(name.as_bytes()).is_empty();
    let mut d = Finding::error(if invalid {
            format!(
                "secret {} is not defined by any given manifest, and is not a valid secret name (a DNS-1123 subdomain)",
                quoted(name)
            )
        } else {
            format!("secret {name} is not defined by any given manifest")
        }).at(location);
    let known: Vec<&str> = catalog.secrets.iter().map(|s| s.name.as_str()).collect();
    d = match closest(name, &known) {
        Some(near) => d.hint(format!("did you mean {near}?")),
        None => d.hint(format!(
            "pass its manifest with --secrets FILE, or --on-cluster {name} if it already exists on the cluster; `pachctl list secret` shows those"
        )),
    };
    out.push(d);
    None
}

#[allow(clippy::too_many_arguments)]
fn check_env_entry<'a>(
    entry: &Entry,
    env_var: &'a str,
    secret: Option<&KnownSecret>,
    location: &str,
    index: usize,
    view: &TransformView,
    env_seen: &mut Vec<(&'a str, usize)>,
    out: &mut Vec<Finding>,
) {
    let name = entry.name.as_deref().unwrap_or("");
    match (entry.key.as_deref(), secret) {
        (None, _) => {
            let fix = match secret {
                Some(s) if !s.keys.is_empty() => {
                    format!("add \"key\": one of {}", s.keys.join(", "))
                }
                _ => "add \"key\" naming the secret's key to read".to_string(),
            };
            out.push(
                Finding::error(format!("env_var {env_var} has no key; the container fails to start (CreateContainerConfigError)")).at(location)
                .hint(fix),
            );
        }
        (Some(key), Some(secret)) if !secret.keys.iter().any(|k| k == key) => {
            let keys: Vec<&str> = secret.keys.iter().map(String::as_str).collect();
            let fix = match closest(key, &keys) {
                Some(near) => format!("did you mean {near}?"),
                None if keys.is_empty() => "the secret has no keys at all".to_string(),
                None => format!("its keys are {}", keys.join(", ")),
            };
            out.push(
                Finding::error(format!("secret {name} has no key {key}; the container fails to start (CreateContainerConfigError)")).at(location)
                .hint(fix),
            );
        }
        _ => {}
    }
    let errors = env_var_name_errors(env_var.as_bytes());
    if !errors.is_empty() {
        out.push(
            Finding::error(format!(
                "env_var {} is not a valid environment variable name: {}",
                quoted(env_var),
                errors.join("; ")
            )).at(location)
            .hint("use letters, digits and '_', not starting with a digit, e.g. CLEARML_API_ACCESS_KEY"),
        );
    } else if !is_portable_env_name(env_var) {
        out.push(
            Finding::warning(format!("env_var {env_var} is valid for Kubernetes but cannot be read from a shell ('-' and '.' are not allowed there)")).at(location)
            .hint("use letters, digits and '_' only"),
        );
    }
    if let Some((_, first)) = env_seen.iter().find(|(v, _)| *v == env_var) {
        out.push(
            Finding::error(format!("env_var {env_var} is already set by transform.secrets[{first}]; one silently overrides the other")).at(location)
            .hint("give each entry its own env_var"),
        );
    } else {
        env_seen.push((env_var, index));
    }
    if view.env.iter().any(|e| e == env_var) {
        out.push(
            Finding::error(format!(
                "env_var {env_var} is also set in transform.env; one silently overrides the other"
            ))
            .at(location)
            .hint("rename one of them"),
        );
    }
    if env_var.starts_with("PACH_") || env_var.starts_with("PPS_") {
        out.push(
            Finding::warning(format!("env_var {env_var} uses a prefix Pachyderm reserves for its own variables (PACH_, PPS_)")).at(location)
            .hint("choose another name"),
        );
    }
}

fn check_mount(
    entry: &Entry,
    path: &str,
    location: &str,
    index: usize,
    mounted: &mut Vec<(String, usize)>,
    paths: &mut Vec<(String, usize)>,
    out: &mut Vec<Finding>,
) {
    if let Some(name) = entry.name.as_deref() {
        let errors = dns1123_label_errors(name.as_bytes());
        if !errors.is_empty() {
            out.push(
                Finding::error(format!(
                        "secret {name} cannot be mounted: the volume is named after the secret, and a volume name must be a DNS-1123 label (at most 63 characters, no dots): {}",
                        errors.join("; ")
                    )).at(location)
                .hint("use env_var entries instead, or recreate the secret under a name of at most 63 characters without dots"),
            );
        }
        if let Some((_, first)) = mounted.iter().find(|(n, _)| n == name) {
            out.push(
                Finding::error(format!("secret {name} is already mounted by transform.secrets[{first}]; the pod would have two volumes named {name} and is refused")).at(location)
                .hint("mount each secret once"),
            );
        } else {
            mounted.push((name.to_string(), index));
        }
    }
    if !path.starts_with('/') {
        out.push(
            Finding::error(format!(
                "mount_path {} is relative; Kubernetes needs an absolute path",
                quoted(path)
            ))
            .at(location)
            .hint(format!(
                "use an absolute path such as /{}",
                path.trim_start_matches("./")
            )),
        );
        return;
    }
    let clean = clean_path(path);
    for reserved in RESERVED_MOUNTS {
        let relation = if clean == *reserved {
            Some("is")
        } else if Path::new(&clean).starts_with(reserved) {
            Some("is inside")
        } else if Path::new(reserved).starts_with(&clean) {
            Some("covers")
        } else {
            None
        };
        if let Some(relation) = relation {
            out.push(
                Finding::error(format!("mount_path {path} {relation} Pachyderm's own mount {reserved}, which the worker needs")).at(location)
                .hint("mount secrets elsewhere, e.g. /secrets/NAME or /etc/NAME"),
            );
        }
    }
    if let Some((_, first)) = paths.iter().find(|(p, _)| *p == clean) {
        out.push(
            Finding::error(format!("mount_path {path} is already used by transform.secrets[{first}]; two volumes cannot be mounted at one path")).at(location)
            .hint("give each mounted secret its own directory"),
        );
    } else {
        paths.push((clean, index));
    }
}

/// `path.Clean` for absolute paths: no `.`, no `..` above the root, no repeated or trailing
/// `/`.
pub fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().unwrap_or("")),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    format!("/{}", parts.join("/"))
}

/// POSIX shells' variable names: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_portable_env_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Finding]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json::parse_document;

    fn catalog() -> Catalog {
        Catalog {
            secrets: vec![
                KnownSecret {
                    name: "clearml".into(),
                    secret_type: String::new(),
                    keys: vec!["access".into(), "secret".into()],
                },
                KnownSecret {
                    name: "regcred".into(),
                    secret_type: "kubernetes.io/dockerconfigjson".into(),
                    keys: vec![".dockerconfigjson".into()],
                },
            ],
            ..Catalog::default()
        }
    }

    fn problems(transform: &str) -> Vec<String> {
        let spec = format!(r#"{{"pipeline":{{"name":"p"}},"transform":{transform}}}"#);
        let doc = parse_document(spec.as_bytes()).expect("valid JSON");
        let mut out = Vec::new();
        let view = read_transform(&doc, &mut out).expect("transform");
        out.extend(check_transform(&view, &catalog()));
        out.iter().map(|d| d.line("f", "")).collect()
    }

    #[test]
    fn a_correct_transform_has_no_problems() {
        assert_eq!(
            problems(
                r#"{"secrets":[{"name":"clearml","env_var":"A","key":"access"},{"name":"clearml","mountPath":"/secrets/clearml"}],"image_pull_secrets":["regcred"]}"#
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn both_spellings_of_one_field_are_refused() {
        let out = problems(
            r#"{"secrets":[{"name":"clearml","env_var":"A","envVar":"B","key":"access"}]}"#,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].contains("is given more than once (env_var, envVar)"));
    }

    #[test]
    fn paths_are_cleaned_like_go() {
        assert_eq!(clean_path("/pfs/"), "/pfs");
        assert_eq!(clean_path("/a/./b/../c//"), "/a/c");
        assert_eq!(clean_path("/.."), "/");
    }

    #[test]
    fn portable_names() {
        assert!(is_portable_env_name("CLEARML_API_KEY"));
        assert!(is_portable_env_name("_x1"));
        assert!(!is_portable_env_name("a-b"));
        assert!(!is_portable_env_name("1A"));
    }
}
