//! `pachsecret docker-registry`: kubectl's `create secret docker-registry`, and more.
//!
//! Two ways to build the secret, as in kubectl (`createSecretDockerRegistry` in
//! `create_secret_docker.go`):
//!
//! * **`--from-file`**: the files are stored as they are (kubectl 1.31+: a bare path gets the
//!   key `.dockerconfigjson`), and every credential flag is silently ignored;
//! * **credentials**: a `.dockerconfigjson` is generated ([`config::Auths`]). kubectl takes
//!   one registry from `--docker-server/--docker-username/--docker-password/--docker-email`;
//!   pachsecret adds registries from `--registry=...` and `--from-docker-config`, and reads
//!   passwords from standard input, the environment, a file or a prompt ([`crate::io::values`]).
//!
//! The rule that keeps pachsecret a drop-in: with only kubectl's flags and no terminal, it
//! fails exactly where kubectl fails (a missing password cannot be prompted for, so the
//! error is kubectl's).

pub mod dockerconfig;
pub mod import;

use std::ffi::OsString;

use zeroize::Zeroizing;

use crate::io::input::Limit;
use crate::io::values::{
    Terminal, ValueReader, ValueSource, no_terminal_error, strip_final_newline,
};
use crate::kinds::shared::Built;
use crate::kinds::shared::OutputOptions;
use crate::kinds::sources::{DataBuilder, FileSource, Origin, add_file_or_stdin};
use crate::report::Finding;
use crate::report::text::display_bytes;
use crate::report::{Error, Result};
use crate::secret::{Data, Secret, SecretValue};

use self::dockerconfig::{
    Auths, ConfigError, Credentials, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, EntryState,
    parse_config, shown_server, unusual_server,
};
use self::import::ImportPlan;

/// kubectl's `Validate()` message when no `--from-file` and a credential is missing.
pub const KUBECTL_CREDENTIALS_REQUIRED: &str = "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required";

/// `docker-registry`, ready to run.
#[derive(Debug)]
pub struct DockerRegistryConfig {
    pub name: Vec<u8>,
    pub plan: Plan,
    pub output: OutputOptions,
}

/// Where the `.dockerconfigjson` comes from.
#[derive(Debug)]
pub enum Plan {
    /// kubectl's `--from-file`, items already rewritten as kubectl 1.31+ does.
    FromFiles {
        items: Vec<Vec<u8>>,
        /// kubectl credential flags that were given and are ignored.
        ignored_flags: Vec<&'static str>,
    },
    /// A generated `.dockerconfigjson`.
    Credentials {
        registries: Vec<RegistryPlan>,
        import: Option<ImportPlan>,
    },
}

/// One registry to generate an entry for.
#[derive(Debug)]
pub struct RegistryPlan {
    pub server: Vec<u8>,
    pub username: Vec<u8>,
    pub email: Vec<u8>,
    pub password: PasswordPlan,
    /// "the --docker-* flags" or "--registry #2", for messages.
    pub origin: String,
    /// The prefix its password sources are spelled with: "--docker-password" (then
    /// `--docker-password-stdin`, ...) or "--registry #2 password" (`password-stdin`, ...).
    pub password_flag: String,
    /// The kubectl group: a missing password without a terminal is kubectl's error.
    pub is_kubectl_group: bool,
}

impl RegistryPlan {
    /// The flag (or `--registry` field) that names `source`, for messages.
    pub fn source_flag(&self, source: &ValueSource) -> String {
        let prefix = &self.password_flag;
        match source {
            ValueSource::Stdin => format!("{prefix}-stdin"),
            ValueSource::Env(_) => format!("{prefix}-env"),
            ValueSource::File(_) => format!("{prefix}-file"),
            ValueSource::Prompt { .. } => self.origin.clone(),
        }
    }
}

/// How a registry's password is obtained.
pub enum PasswordPlan {
    /// `--docker-password=...`: kubectl's way, in argv.
    Argv(Zeroizing<Vec<u8>>),
    /// Read at build time.
    Read(ValueSource),
}

impl PasswordPlan {
    /// No source given: ask on the terminal, twice, without echo.
    pub fn prompt(username: &[u8], server: &[u8]) -> Self {
        PasswordPlan::Read(ValueSource::Prompt {
            label: format!(
                "Password for {} at {}",
                display_bytes(username),
                shown_server(server)
            ),
            confirm: true,
        })
    }
}

impl std::fmt::Debug for PasswordPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordPlan::Argv(_) => f.write_str("Argv(<redacted>)"),
            PasswordPlan::Read(source) => write!(f, "Read({source:?})"),
        }
    }
}

/// Reads what the plan needs and builds the Secret. `env` answers `DOCKER_CONFIG`/`HOME` for
/// the default `--from-docker-config` path.
pub fn build(
    config: &DockerRegistryConfig,
    reader: &mut ValueReader,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Built> {
    let mut secret = Secret::new(config.name.clone());
    secret.secret_type = DOCKER_CONFIG_JSON_TYPE.to_vec();
    match &config.plan {
        Plan::FromFiles {
            items,
            ignored_flags,
        } => {
            let mut builder = DataBuilder::new(config.output.refuses_oversize());
            for item in items {
                let source = FileSource::parse(item)?;
                add_file_or_stdin(&mut builder, &source, reader)?;
            }
            let mut findings = Vec::new();
            if !ignored_flags.is_empty() {
                findings.push(Finding::warning(format!(
                        "{} ignored because --from-file is given (kubectl ignores them too)",
                        ignored_flags.join(", ")
                    )).hint("the secret holds only the --from-file content; drop the other flags, or drop --from-file to generate the config from them"));
            }
            let (data, origins) = builder.into_parts();
            findings.extend(check_config_files(&data, &origins));
            // A JSON document legitimately ends in a newline: no trailing-newline warning.
            let origins = origins
                .into_iter()
                .filter(|(key, _)| {
                    data.get(key)
                        .and_then(|v| v.in_memory())
                        .is_none_or(|bytes| dockerconfig::ScrubbedJson::parse(bytes).is_err())
                })
                .collect();
            secret.data = data;
            Ok(Built {
                secret,
                origins,
                findings,
            })
        }
        Plan::Credentials { registries, import } => {
            let mut auths = Auths::new();
            let mut origins_by_server: Vec<(Vec<u8>, String)> = Vec::new();
            let mut findings = Vec::new();
            for registry in registries {
                let password = resolve_password(registry, reader, &mut findings)?;
                let credentials = Credentials {
                    username: Zeroizing::new(registry.username.clone()),
                    password,
                    email: registry.email.clone(),
                };
                check_generated_entry(
                    &registry.server,
                    &credentials,
                    &registry.origin,
                    &mut findings,
                );
                add_entry(
                    &mut auths,
                    &mut origins_by_server,
                    registry.server.clone(),
                    credentials,
                    &registry.origin,
                )?;
            }
            if let Some(plan) = import {
                for (server, credentials) in import::import(plan, env)? {
                    if let Some(note) = unusual_server(&server) {
                        findings.push(unusual_server_finding(
                            &server,
                            &note,
                            "--from-docker-config",
                        ));
                    }
                    add_entry(
                        &mut auths,
                        &mut origins_by_server,
                        server,
                        credentials,
                        "--from-docker-config",
                    )?;
                }
            }
            secret.data.insert(
                DOCKER_CONFIG_JSON_KEY.to_vec(),
                SecretValue::new(auths.to_json().to_vec()),
            );
            Ok(Built {
                secret,
                origins: vec![(DOCKER_CONFIG_JSON_KEY.to_vec(), Origin::Generated)],
                findings,
            })
        }
    }
}

fn add_entry(
    auths: &mut Auths,
    origins: &mut Vec<(Vec<u8>, String)>,
    server: Vec<u8>,
    credentials: Credentials,
    origin: &str,
) -> Result<()> {
    if !auths.insert(server.clone(), credentials) {
        let first = origins
            .iter()
            .find(|(s, _)| *s == server)
            .map_or("an earlier flag", |(_, o)| o.as_str());
        return Err(Error::usage(format!(
            "the registry {} is given twice: by {first} and by {origin}",
            shown_server(&server)
        ))
        .hint("a secret holds one entry per registry; remove one of them (with --from-docker-config, --only selects registries)"));
    }
    origins.push((server, origin.to_string()));
    Ok(())
}

fn resolve_password(
    registry: &RegistryPlan,
    reader: &mut ValueReader,
    findings: &mut Vec<Finding>,
) -> Result<Zeroizing<Vec<u8>>> {
    let (password, source) = match &registry.password {
        PasswordPlan::Argv(password) => {
            findings.push(Finding::warning("--docker-password puts the password on the command line, where `ps`, shell history and audit logs see it").hint("use --docker-password-stdin, --docker-password-env=VAR or --docker-password-file=PATH instead"));
            return Ok(password.clone());
        }
        PasswordPlan::Read(ValueSource::Prompt { label, .. })
            if reader.terminal() == Terminal::Unavailable =>
        {
            return Err(if registry.is_kubectl_group {
                // kubectl fails here too: no password was given.
                Error::usage(KUBECTL_CREDENTIALS_REQUIRED).hint(
                    "no terminal to prompt on (standard input is not a terminal, or CI is set): give the password with --docker-password-stdin, --docker-password-env=VAR or --docker-password-file=PATH",
                )
            } else {
                no_terminal_error(label, &registry.password_flag)
            });
        }
        PasswordPlan::Read(source) => {
            let value = reader.read(source, &registry.source_flag(source), Limit::PASSPHRASE)?;
            let value = match source {
                ValueSource::Stdin | ValueSource::File(_) => strip_final_newline(value),
                ValueSource::Env(_) | ValueSource::Prompt { .. } => value,
            };
            (value, source)
        }
    };
    if password.is_empty() {
        return Err(Error::rejected(format!(
            "the password for {} ({}) from {} is empty",
            shown_server(&registry.server),
            registry.origin,
            source.describe()
        ))
        .hint("registries need a password or token; check that the variable or file holds it"));
    }
    Ok(password)
}

/// What the kubelet or the registry would trip over in a generated entry.
fn check_generated_entry(
    server: &[u8],
    credentials: &Credentials,
    origin: &str,
    findings: &mut Vec<Finding>,
) {
    let shown = shown_server(server);
    if credentials.username.contains(&b':') {
        findings.push(Finding::error(format!(
                "the username for {shown} ({origin}) contains ':'; \"auth\" is base64 of user:password, so the kubelet and registries would split it at that ':'"
            )).hint("registries do not allow ':' in usernames; check the value (--validate=false writes it anyway, as kubectl does)"));
    }
    for (what, value) in [
        ("username", &credentials.username[..]),
        ("password", &credentials.password[..]),
    ] {
        if std::str::from_utf8(value).is_err() {
            findings.push(Finding::warning(format!(
                    "the {what} for {shown} ({origin}) is not valid UTF-8: JSON shows it with U+FFFD replacement characters while \"auth\" keeps the bytes"
                )).hint("check the encoding of the value; registries expect UTF-8 text"));
        }
    }
    if let Some(note) = unusual_server(server) {
        findings.push(unusual_server_finding(server, &note, origin));
    }
}

fn unusual_server_finding(server: &[u8], note: &str, origin: &str) -> Finding {
    Finding::warning(format!("the registry address {} ({origin}) is unusual: {note}", shown_server(server))).hint("registry addresses are usually a host[:port] (ghcr.io, registry.example.com:5000) or https://index.docker.io/v1/ for Docker Hub")
}

/// The kubelet's view of `--from-file` content (kubectl checks nothing).
fn check_config_files(data: &Data, origins: &[(Vec<u8>, Origin)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let describe = |key: &[u8]| {
        origins
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| "--from-file".to_string(), |(_, o)| o.describe())
    };
    let Some(value) = data.get(DOCKER_CONFIG_JSON_KEY) else {
        return findings; // the generic type check reports the missing key
    };
    for key in data
        .keys()
        .filter(|k| k.as_slice() != DOCKER_CONFIG_JSON_KEY)
    {
        findings.push(Finding::warning(format!(
                "the key {} (from {}) is ignored by the kubelet, which reads only .dockerconfigjson",
                display_bytes(key),
                describe(key)
            )).hint("a pull secret needs only --from-file=.dockerconfigjson=PATH"));
    }
    let from = describe(DOCKER_CONFIG_JSON_KEY);
    // A value over 1 MiB is streamed, and already refused by the size check.
    let Some(bytes) = value.in_memory() else {
        return findings;
    };
    match parse_config(bytes) {
        // Not JSON at all: the generic type check already reports it.
        Err(ConfigError::NotJsonObject(_)) => {}
        Err(err) => findings.push(
            Finding::error(format!("the .dockerconfigjson from {from} {err}")).hint(err.hint()),
        ),
        Ok(parsed) => {
            if parsed.entries.is_empty() {
                findings.push(Finding::error(format!("the .dockerconfigjson from {from} has no registries in \"auths\"")).hint("log in first (`docker login SERVER`), or generate it: pachsecret docker-registry NAME --docker-server=SERVER --docker-username=USER"));
            }
            for (server, state) in &parsed.entries {
                let unusable = match state {
                    EntryState::Usable(_) => {
                        if let Some(note) = unusual_server(server.as_bytes()) {
                            findings.push(unusual_server_finding(server.as_bytes(), &note, &from));
                        }
                        continue;
                    }
                    EntryState::Empty => match &parsed.creds_store {
                        Some(store) => format!(
                            "has no credentials (they are in the credsStore docker-credential-{store}, which the kubelet cannot use)"
                        ),
                        None => "has no credentials".into(),
                    },
                    EntryState::TokenOnly => {
                        "has only an identity token, which the kubelet cannot use".into()
                    }
                    EntryState::Invalid(reason) => reason.clone(),
                };
                findings.push(Finding::error(format!(
                        "registry {} in the .dockerconfigjson from {from}: {unusable}",
                        shown_server(server.as_bytes())
                    )).hint("pulls from it would fail with ImagePullBackOff; import with --from-docker-config to get a clear report, or generate the entry with --registry"));
            }
            if parsed.creds_store.is_some() || !parsed.cred_helpers.is_empty() {
                findings.push(Finding::warning(format!("the .dockerconfigjson from {from} names credential helpers (credsStore/credHelpers), which the kubelet ignores")).hint("only the inline \"auths\" entries are used for pulls"));
            }
        }
    }
    findings
}
