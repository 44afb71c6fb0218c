//! `--from-docker-config`: copying registries from an existing Docker config file.
//!
//! `docker login` keeps credentials either inline (`auths.SERVER.auth`) or in a credential
//! helper (`credsStore` for all registries, `credHelpers` per registry). Only inline ones can
//! be copied offline; a helper would have to be run, and the kubelet cannot run it either. So
//! every selected registry whose credentials live in a helper (or that holds only an OAuth
//! token) is an error that names it, rather than an entry silently missing from the secret.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::io::input::{self, Limit};
use crate::kinds::docker_registry::dockerconfig::{
    ConfigError, Credentials, EntryState, parse_config, shown_server,
};
use crate::report::text::display_path;
use crate::report::{Error, Result};

/// What `--from-docker-config[=PATH]` and `--only=SERVER` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// `None`: the default location (see [`default_config_path`]).
    pub path: Option<PathBuf>,
    /// Registries to copy; empty means all.
    pub only: Vec<String>,
}

/// Docker's own rule (`cli/config.Dir`): `$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`.
pub fn default_config_path(env: impl Fn(&str) -> Option<OsString>) -> Result<PathBuf> {
    if let Some(dir) = env("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("config.json"));
    }
    match env("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".docker").join("config.json")),
        None => Err(Error::usage(
            "--from-docker-config has no default location: neither DOCKER_CONFIG nor HOME is set",
        )
        .hint("give the path: --from-docker-config=PATH/config.json")),
    }
}

/// Reads the config and returns the selected registries' credentials.
pub fn import(
    plan: &ImportPlan,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Vec<(Vec<u8>, Credentials)>> {
    let path = match &plan.path {
        Some(path) => path.clone(),
        None => default_config_path(env)?,
    };
    let shown = display_path(&path);
    let bytes =
        input::read("--from-docker-config", &path, Limit::DOCUMENT).map_err(|e| {
            match plan.path {
                None => e.hint(
                    "run `docker login SERVER` first, or give the file: --from-docker-config=PATH",
                ),
                Some(_) => e,
            }
        })?;
    let parsed = parse_config(&bytes).map_err(|e| config_error(&path, &e))?;

    let mut servers: Vec<&str> = parsed.entries.iter().map(|(s, _)| s.as_str()).collect();
    for helper_server in parsed.cred_helpers.keys() {
        if !servers.contains(&helper_server.as_str()) {
            servers.push(helper_server);
        }
    }
    let selected = select(&servers, &plan.only, &path)?;
    if selected.is_empty() {
        return Err(
            Error::rejected(format!("{shown} has no registries to copy")).hint(
                "log in first (`docker login SERVER`), or give the credentials with --registry or --docker-username",
            ),
        );
    }

    let mut copied = Vec::new();
    let mut unusable = Vec::new();
    for server in selected {
        if let Some(helper) = parsed.cred_helpers.get(server) {
            unusable.push(format!(
                "{} (credHelpers: docker-credential-{helper})",
                shown_server(server.as_bytes())
            ));
            continue;
        }
        let state = parsed
            .entries
            .iter()
            .find(|(s, _)| s == server)
            .map(|(_, state)| state);
        match state {
            Some(EntryState::Usable(credentials)) => {
                copied.push((server.as_bytes().to_vec(), credentials.clone()));
            }
            Some(EntryState::Empty) | None => match &parsed.creds_store {
                Some(store) => unusable.push(format!(
                    "{} (credsStore: docker-credential-{store})",
                    shown_server(server.as_bytes())
                )),
                None => unusable.push(format!(
                    "{} (no credentials in the entry)",
                    shown_server(server.as_bytes())
                )),
            },
            Some(EntryState::TokenOnly) => unusable.push(format!(
                "{} (only an identity token, which the kubelet cannot use)",
                shown_server(server.as_bytes())
            )),
            Some(EntryState::Invalid(reason)) => {
                unusable.push(format!("{} ({reason})", shown_server(server.as_bytes())))
            }
        }
    }
    if !unusable.is_empty() {
        let usable: Vec<String> = copied.iter().map(|(s, _)| shown_server(s)).collect();
        let choose = if usable.is_empty() || !plan.only.is_empty() {
            String::new()
        } else {
            format!(
                "copy only the usable ones with {}; or ",
                usable
                    .iter()
                    .map(|s| format!("--only={s}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        return Err(Error::rejected(format!(
            "{shown}: no usable credentials for {}; credential helpers and stores cannot be read offline, and the kubelet cannot run them",
            unusable.join(", ")
        ))
        .hint(format!(
            "{choose}give those registries' credentials with --registry=SERVER,username=USER,password-env=VAR, or write them inline with `DOCKER_CONFIG=$(mktemp -d) docker login SERVER` and import that directory's config.json"
        )));
    }
    Ok(copied)
}

fn config_error(path: &Path, err: &ConfigError) -> Error {
    Error::rejected(format!(
        "{} (--from-docker-config) {err}",
        display_path(path)
    ))
    .hint(err.hint())
}

/// Picks the servers `--only` names, exactly or by the address the kubelet would derive.
fn select<'a>(servers: &[&'a str], only: &[String], path: &Path) -> Result<Vec<&'a str>> {
    if only.is_empty() {
        return Ok(servers.to_vec());
    }
    let mut selected = Vec::new();
    for wanted in only {
        let found = servers
            .iter()
            .find(|s| **s == wanted)
            .or_else(|| servers.iter().find(|s| same_registry(s, wanted)));
        match found {
            Some(server) if !selected.contains(server) => selected.push(*server),
            Some(_) => {}
            None => {
                let known = if servers.is_empty() {
                    "it has none".to_string()
                } else {
                    let shown: Vec<String> =
                        servers.iter().map(|s| shown_server(s.as_bytes())).collect();
                    format!("it has: {}", shown.join(", "))
                };
                return Err(Error::rejected(format!(
                    "--only={}: no such registry in {}; {known}",
                    shown_server(wanted.as_bytes()),
                    display_path(path)
                ))
                .hint("give the server as it appears in the config file, or log in to it first"));
            }
        }
    }
    Ok(selected)
}

/// `ghcr.io`, `https://ghcr.io` and `https://ghcr.io/v2/` name the same registry; so do the
/// Docker Hub spellings.
fn same_registry(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

fn normalize(server: &str) -> String {
    let rest = server.split_once("://").map_or(server, |(_, r)| r);
    let rest = rest.trim_end_matches('/');
    let rest = rest
        .strip_suffix("/v1")
        .or_else(|| rest.strip_suffix("/v2"))
        .unwrap_or(rest);
    let lower = rest.to_ascii_lowercase();
    match lower.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => "index.docker.io".into(),
        _ => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_follows_docker() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(
            default_config_path(env(&[("DOCKER_CONFIG", "/d"), ("HOME", "/h")])).expect("set"),
            PathBuf::from("/d/config.json")
        );
        assert_eq!(
            default_config_path(env(&[("DOCKER_CONFIG", ""), ("HOME", "/h")])).expect("set"),
            PathBuf::from("/h/.docker/config.json")
        );
        assert!(default_config_path(env(&[])).is_err());
    }

    #[test]
    fn registry_spellings() {
        assert!(same_registry("https://index.docker.io/v1/", "docker.io"));
        assert!(same_registry("ghcr.io", "https://GHCR.io/v2/"));
        assert!(!same_registry("ghcr.io", "quay.io"));
        assert!(!same_registry("ghcr.io/org", "ghcr.io"));
    }
}
