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
//!   passwords from standard input, the environment, a file or a prompt ([`crate::input`]).
//!
//! The rule that keeps pachsecret a drop-in: with only kubectl's flags and no terminal, it
//! fails exactly where kubectl fails (a missing password cannot be prompted for, so the
//! error is kubectl's).

pub mod config;
pub mod import;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::checks::Finding;
use crate::cli::DockerRegistryArgs;
use crate::config::{OutputOptions, name_from_args, split_slice_flag};
use crate::error::{Error, Result, display_bytes};
use crate::input::{
    Terminal, ValueReader, ValueSource, ensure_single_stdin_consumer, no_terminal_error,
    strip_final_newline,
};
use crate::output::Built;
use crate::secret::{Data, Secret, SecretValue};
use crate::sources::{DataBuilder, FileSource, Origin, add_file_or_stdin};

use self::config::{
    Auths, ConfigError, Credentials, DEFAULT_SERVER, DOCKER_CONFIG_JSON_KEY,
    DOCKER_CONFIG_JSON_TYPE, EntryState, parse_config, unusual_server,
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
                display_bytes(server)
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

impl DockerRegistryConfig {
    /// kubectl's `Complete` and `Validate`, plus the rules of pachsecret's own flags. Nothing
    /// is read here; errors are about the command line.
    pub fn from_args(args: &DockerRegistryArgs) -> Result<Self> {
        let file_items = split_slice_flag(&args.from_file, "--from-file")?;
        let name = name_from_args(&args.name, "docker-registry")?;
        let output = OutputOptions::from_args(&args.common)?;
        if name.is_empty() {
            return Err(Error::usage("name must be specified")
                .hint("pachsecret docker-registry NAME [flags]: NAME may not be empty"));
        }
        let ours = pachsecret_only_flags(args);
        let plan = if file_items.is_empty() {
            credentials_plan(args, !ours.is_empty())?
        } else {
            if !ours.is_empty() {
                return Err(Error::usage(format!(
                    "--from-file stores a Docker config as it is and cannot be combined with {}",
                    ours.join(", ")
                ))
                .hint("either give the config file with --from-file, or the credentials with the other flags"));
            }
            Plan::FromFiles {
                items: file_items
                    .into_iter()
                    .map(default_key_to_dockerconfigjson)
                    .collect(),
                ignored_flags: kubectl_credential_flags(args),
            }
        };
        if let Plan::Credentials { registries, .. } = &plan {
            let uses: Vec<(&ValueSource, String)> = registries
                .iter()
                .filter_map(|r| match &r.password {
                    PasswordPlan::Read(source) => Some((source, r.source_flag(source))),
                    PasswordPlan::Argv(_) => None,
                })
                .collect();
            ensure_single_stdin_consumer(uses.iter().map(|(s, f)| (*s, f.as_str())))?;
        }
        Ok(DockerRegistryConfig { name, plan, output })
    }
}

/// kubectl 1.31+ (`CreateSecretDockerRegistryOptions.Complete`): a source without '=' becomes
/// `.dockerconfigjson=SOURCE`, so a bare directory is an error and two bare files collide.
fn default_key_to_dockerconfigjson(item: Vec<u8>) -> Vec<u8> {
    if item.contains(&b'=') {
        return item;
    }
    let mut rewritten = DOCKER_CONFIG_JSON_KEY.to_vec();
    rewritten.push(b'=');
    rewritten.extend_from_slice(&item);
    rewritten
}

fn pachsecret_only_flags(args: &DockerRegistryArgs) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if args.docker_password_stdin {
        flags.push("--docker-password-stdin");
    }
    if args.docker_password_env.is_some() {
        flags.push("--docker-password-env");
    }
    if args.docker_password_file.is_some() {
        flags.push("--docker-password-file");
    }
    if !args.registries.is_empty() {
        flags.push("--registry");
    }
    if args.from_docker_config.is_some() {
        flags.push("--from-docker-config");
    }
    flags
}

fn kubectl_credential_flags(args: &DockerRegistryArgs) -> Vec<&'static str> {
    [
        ("--docker-server", args.docker_server.is_some()),
        ("--docker-username", args.docker_username.is_some()),
        ("--docker-password", args.docker_password.is_some()),
        ("--docker-email", args.docker_email.is_some()),
    ]
    .into_iter()
    .filter(|(_, given)| *given)
    .map(|(flag, _)| flag)
    .collect()
}

fn credentials_plan(args: &DockerRegistryArgs, uses_our_flags: bool) -> Result<Plan> {
    let mut registries = Vec::new();
    let kubectl_group_given =
        !kubectl_credential_flags(args).is_empty() || pachsecret_password_given(args);
    let others_given = !args.registries.is_empty() || args.from_docker_config.is_some();
    // Without any other registry, the --docker-* group is what kubectl would build, and its
    // rules (and error) apply even when none of its flags were given.
    if kubectl_group_given || !others_given {
        registries.push(kubectl_group(args, uses_our_flags)?);
    }
    for (i, spec) in args.registries.iter().enumerate() {
        registries.push(parse_registry_spec(spec, i + 1)?);
    }
    let import = args.from_docker_config.as_ref().map(|path| ImportPlan {
        path: (!path.is_empty()).then(|| PathBuf::from(path)),
        only: args.only.clone(),
    });
    Ok(Plan::Credentials { registries, import })
}

fn pachsecret_password_given(args: &DockerRegistryArgs) -> bool {
    args.docker_password_stdin
        || args.docker_password_env.is_some()
        || args.docker_password_file.is_some()
}

fn kubectl_group(args: &DockerRegistryArgs, uses_our_flags: bool) -> Result<RegistryPlan> {
    let bytes = |v: &Option<OsString>| v.clone().map(OsString::into_vec);
    let username = bytes(&args.docker_username).unwrap_or_default();
    let server = bytes(&args.docker_server).unwrap_or_else(|| DEFAULT_SERVER.to_vec());
    let email = bytes(&args.docker_email).unwrap_or_default();

    let mut sources: Vec<PasswordPlan> = Vec::new();
    if let Some(password) = &args.docker_password {
        sources.push(PasswordPlan::Argv(Zeroizing::new(
            password.as_bytes().to_vec(),
        )));
    }
    if args.docker_password_stdin {
        sources.push(PasswordPlan::Read(ValueSource::Stdin));
    }
    if let Some(var) = &args.docker_password_env {
        sources.push(PasswordPlan::Read(ValueSource::Env(var.clone())));
    }
    if let Some(path) = &args.docker_password_file {
        sources.push(PasswordPlan::Read(ValueSource::File(path.clone())));
    }
    if sources.len() > 1 {
        return Err(Error::usage(
            "the password is given more than once: use only one of --docker-password, --docker-password-stdin, --docker-password-env and --docker-password-file",
        ));
    }
    let explicit_empty_password =
        matches!(sources.first(), Some(PasswordPlan::Argv(p)) if p.is_empty());
    if username.is_empty() || server.is_empty() || explicit_empty_password {
        let hint = if uses_our_flags {
            "give --docker-username=USER (and a non-empty --docker-server if you set it); the password may come from --docker-password-stdin, --docker-password-env=VAR, --docker-password-file=PATH or a prompt"
        } else {
            "give --docker-username=USER and a non-empty --docker-server; keep the password out of argv with --docker-password-stdin, --docker-password-env=VAR or --docker-password-file=PATH, or leave it out to be prompted on a terminal"
        };
        return Err(Error::usage(KUBECTL_CREDENTIALS_REQUIRED).hint(hint));
    }
    let password = sources
        .pop()
        .unwrap_or_else(|| PasswordPlan::prompt(&username, &server));
    Ok(RegistryPlan {
        server,
        username,
        email,
        password,
        origin: "the --docker-* flags".into(),
        password_flag: "--docker-password".into(),
        is_kubectl_group: true,
    })
}

/// `--registry=SERVER,username=USER[,email=E][,password-env=VAR|password-file=PATH|password-stdin]`.
fn parse_registry_spec(spec: &OsStr, index: usize) -> Result<RegistryPlan> {
    let origin = format!("--registry #{index}");
    let usage = |message: String| {
        Error::usage(format!("{origin}: {message}")).hint(
            "write --registry=SERVER,username=USER,password-env=VAR (or password-file=PATH, password-stdin; email=EMAIL is optional)",
        )
    };
    let mut server = None;
    let mut username = None;
    let mut email = None;
    let mut password: Option<PasswordPlan> = None;
    for (position, field) in spec.as_bytes().split(|b| *b == b',').enumerate() {
        // An empty field (a trailing comma left by a Makefile line continuation) is harmless.
        if field.is_empty() {
            continue;
        }
        let (name, value) = match field.iter().position(|b| *b == b'=') {
            Some(i) => (&field[..i], Some(&field[i + 1..])),
            None => (field, None),
        };
        let set_password = |password: &mut Option<PasswordPlan>, plan: PasswordPlan| {
            if password.is_some() {
                return Err(usage("more than one password field".into()));
            }
            *password = Some(plan);
            Ok(())
        };
        let set_once = |slot: &mut Option<Vec<u8>>, what: &str, value: &[u8]| {
            if slot.is_some() {
                return Err(usage(format!("{what} is given twice")));
            }
            *slot = Some(value.to_vec());
            Ok(())
        };
        match (name, value) {
            (b"server", Some(v)) => set_once(&mut server, "the server", v)?,
            (b"username", Some(v)) => set_once(&mut username, "username=", v)?,
            (b"email", Some(v)) => set_once(&mut email, "email=", v)?,
            (b"password-env", Some(v)) => set_password(
                &mut password,
                PasswordPlan::Read(ValueSource::Env(OsStr::from_bytes(v).to_os_string())),
            )?,
            (b"password-file", Some(v)) => set_password(
                &mut password,
                PasswordPlan::Read(ValueSource::File(OsStr::from_bytes(v).into())),
            )?,
            (b"password-stdin", None) => {
                set_password(&mut password, PasswordPlan::Read(ValueSource::Stdin))?
            }
            (b"password", _) => {
                return Err(usage(
                    "a password cannot be given inline: it would be visible in the process list and shell history".into(),
                ));
            }
            _ if position == 0 && value.is_none() => set_once(&mut server, "the server", field)?,
            _ => {
                // The field is not echoed: it may be a mistyped password field.
                return Err(usage(format!(
                    "field {} is not one of server=, username=, email=, password-env=, password-file=, password-stdin",
                    position + 1
                )));
            }
        }
    }
    let server = server
        .filter(|s| !s.is_empty())
        .ok_or_else(|| usage("no server: the first field is the registry's address".into()))?;
    let username = username
        .filter(|u| !u.is_empty())
        .ok_or_else(|| usage("no username=USER".into()))?;
    let password = password.unwrap_or_else(|| PasswordPlan::prompt(&username, &server));
    Ok(RegistryPlan {
        server,
        username,
        email: email.unwrap_or_default(),
        password,
        origin: origin.clone(),
        password_flag: format!("{origin} password"),
        is_kubectl_group: false,
    })
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
            let mut builder = DataBuilder::new();
            for item in items {
                let source = FileSource::parse(item)?;
                add_file_or_stdin(&mut builder, &source, reader)?;
            }
            let mut findings = Vec::new();
            if !ignored_flags.is_empty() {
                findings.push(Finding::warning(
                    format!(
                        "{} ignored because --from-file is given (kubectl ignores them too)",
                        ignored_flags.join(", ")
                    ),
                    "the secret holds only the --from-file content; drop the other flags, or drop --from-file to generate the config from them",
                ));
            }
            let (data, origins) = builder.into_parts();
            findings.extend(check_config_files(&data, &origins));
            // A JSON document legitimately ends in a newline: no trailing-newline warning.
            let origins = origins
                .into_iter()
                .filter(|(key, _)| {
                    data.get(key)
                        .and_then(|v| v.in_memory())
                        .is_none_or(|bytes| {
                            serde_json::from_slice::<serde_json::Value>(bytes).is_err()
                        })
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
            display_bytes(&server)
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
            findings.push(Finding::warning(
                "--docker-password puts the password on the command line, where `ps`, shell history and audit logs see it",
                "use --docker-password-stdin, --docker-password-env=VAR or --docker-password-file=PATH instead",
            ));
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
            let value = reader.read(source, &registry.source_flag(source))?;
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
            display_bytes(&registry.server),
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
    let shown = display_bytes(server);
    if credentials.username.contains(&b':') {
        findings.push(Finding::error(
            format!(
                "the username for {shown} ({origin}) contains ':'; \"auth\" is base64 of user:password, so the kubelet and registries would split it at that ':'"
            ),
            "registries do not allow ':' in usernames; check the value (--validate=false writes it anyway, as kubectl does)",
        ));
    }
    for (what, value) in [
        ("username", &credentials.username[..]),
        ("password", &credentials.password[..]),
    ] {
        if std::str::from_utf8(value).is_err() {
            findings.push(Finding::warning(
                format!(
                    "the {what} for {shown} ({origin}) is not valid UTF-8: JSON shows it with U+FFFD replacement characters while \"auth\" keeps the bytes"
                ),
                "check the encoding of the value; registries expect UTF-8 text",
            ));
        }
    }
    if let Some(note) = unusual_server(server) {
        findings.push(unusual_server_finding(server, &note, origin));
    }
}

fn unusual_server_finding(server: &[u8], note: &str, origin: &str) -> Finding {
    Finding::warning(
        format!(
            "the registry address {:?} ({origin}) is unusual: {note}",
            display_bytes(server)
        ),
        "registry addresses are usually a host[:port] (ghcr.io, registry.example.com:5000) or https://index.docker.io/v1/ for Docker Hub",
    )
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
        findings.push(Finding::warning(
            format!(
                "the key {} (from {}) is ignored by the kubelet, which reads only .dockerconfigjson",
                display_bytes(key),
                describe(key)
            ),
            "a pull secret needs only --from-file=.dockerconfigjson=PATH",
        ));
    }
    let from = describe(DOCKER_CONFIG_JSON_KEY);
    // A value over 1 MiB is streamed, and already refused by the size check.
    let Some(bytes) = value.in_memory() else {
        return findings;
    };
    match parse_config(bytes) {
        // Not JSON at all: the generic type check already reports it.
        Err(ConfigError::NotJsonObject(_)) => {}
        Err(err) => findings.push(Finding::error(
            format!("the .dockerconfigjson from {from} {err}"),
            err.hint(),
        )),
        Ok(parsed) => {
            if parsed.entries.is_empty() {
                findings.push(Finding::error(
                    format!("the .dockerconfigjson from {from} has no registries in \"auths\""),
                    "log in first (`docker login SERVER`), or generate it: pachsecret docker-registry NAME --docker-server=SERVER --docker-username=USER",
                ));
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
                findings.push(Finding::error(
                    format!("registry {server:?} in the .dockerconfigjson from {from}: {unusable}"),
                    "pulls from it would fail with ImagePullBackOff; import with --from-docker-config to get a clear report, or generate the entry with --registry",
                ));
            }
            if parsed.creds_store.is_some() || !parsed.cred_helpers.is_empty() {
                findings.push(Finding::warning(
                    format!("the .dockerconfigjson from {from} names credential helpers (credsStore/credHelpers), which the kubelet ignores"),
                    "only the inline \"auths\" entries are used for pulls",
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser as _;

    use super::*;
    use crate::cli::{Cli, Command};

    fn plan(argv: &[&str]) -> Result<DockerRegistryConfig> {
        let cli = Cli::try_parse_from(
            ["pachsecret", "docker-registry"]
                .iter()
                .chain(argv)
                .copied(),
        )
        .expect("valid command line");
        let Command::DockerRegistry(args) = cli.command else {
            panic!("parsed as another subcommand");
        };
        DockerRegistryConfig::from_args(&args)
    }

    fn registries(config: &DockerRegistryConfig) -> &[RegistryPlan] {
        match &config.plan {
            Plan::Credentials { registries, .. } => registries,
            Plan::FromFiles { .. } => panic!("expected generated credentials"),
        }
    }

    #[test]
    fn kubectl_bare_from_file_paths_get_the_dockerconfigjson_key() {
        let config =
            plan(&["r", "--from-file=cfg.json,k=x.json", "--docker-username=u"]).expect("valid");
        let Plan::FromFiles {
            items,
            ignored_flags,
        } = &config.plan
        else {
            panic!("expected --from-file");
        };
        assert_eq!(
            items,
            &[b".dockerconfigjson=cfg.json".to_vec(), b"k=x.json".to_vec()]
        );
        assert_eq!(ignored_flags, &["--docker-username"]);
    }

    #[test]
    fn kubectl_empty_from_file_means_credentials() {
        let config = plan(&[
            "r",
            "--from-file=",
            "--docker-username=u",
            "--docker-password=p",
        ])
        .expect("valid");
        assert_eq!(registries(&config)[0].server, DEFAULT_SERVER);
    }

    #[test]
    fn kubectl_rules_apply_to_the_docker_flags_group() {
        for argv in [
            &["r"][..],
            &["r", "--docker-password=p"],
            &["r", "--docker-username=u", "--docker-password="],
            &[
                "r",
                "--docker-username=u",
                "--docker-server=",
                "--docker-password-env=X",
            ],
            &[
                "r",
                "--docker-email=e",
                "--registry=ghcr.io,username=u,password-env=X",
            ],
        ] {
            let err = plan(argv).unwrap_err();
            assert_eq!(err.message, KUBECTL_CREDENTIALS_REQUIRED, "{argv:?}");
        }
    }

    #[test]
    fn a_missing_password_becomes_a_confirmed_prompt() {
        let config =
            plan(&["r", "--docker-username=me", "--docker-server=ghcr.io"]).expect("valid");
        match &registries(&config)[0].password {
            PasswordPlan::Read(ValueSource::Prompt { label, confirm }) => {
                assert_eq!(label, "Password for me at ghcr.io");
                assert!(confirm);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn registry_specs_alone_do_not_add_docker_hub() {
        let config = plan(&[
            "r",
            "--registry=ghcr.io,username=a,password-env=A,email=a@x",
            "--registry=server=quay.io,password-file=-,username=b",
        ])
        .expect("valid");
        let regs = registries(&config);
        assert_eq!(regs.len(), 2);
        assert_eq!(regs[0].server, b"ghcr.io");
        assert_eq!(regs[0].email, b"a@x");
        assert_eq!(regs[1].server, b"quay.io");
        assert_eq!(regs[1].username, b"b");
        assert!(
            matches!(&regs[1].password, PasswordPlan::Read(ValueSource::File(p)) if p.as_os_str() == "-")
        );
        assert_eq!(
            regs[1].source_flag(&ValueSource::Stdin),
            "--registry #2 password-stdin"
        );
    }

    #[test]
    fn registry_spec_fields_are_given_once_and_empty_ones_skipped() {
        let config = plan(&["r", "--registry=ghcr.io,,username=a,password-env=A,"]).expect("valid");
        assert_eq!(registries(&config)[0].username, b"a");
        for (spec, expected) in [
            (
                "--registry=ghcr.io,server=quay.io,username=a",
                "the server is given twice",
            ),
            (
                "--registry=ghcr.io,username=a,username=b",
                "username= is given twice",
            ),
            (
                "--registry=ghcr.io,username=a,password=x",
                "cannot be given inline",
            ),
            ("--registry=,username=a", "no server"),
        ] {
            let err = plan(&["r", spec]).unwrap_err();
            assert!(err.message.contains(expected), "{spec}: {}", err.message);
        }
    }

    #[test]
    fn from_file_cannot_be_mixed_with_pachsecret_flags() {
        let err = plan(&["r", "--from-file=c.json", "--docker-password-stdin"]).unwrap_err();
        assert!(
            err.message
                .contains("cannot be combined with --docker-password-stdin")
        );
    }

    #[test]
    fn from_docker_config_without_a_value_means_the_default_path() {
        let config = plan(&["r", "--from-docker-config", "--only=ghcr.io"]).expect("valid");
        match &config.plan {
            Plan::Credentials {
                registries,
                import: Some(import),
            } => {
                assert!(registries.is_empty());
                assert_eq!(import.path, None);
                assert_eq!(import.only, ["ghcr.io"]);
            }
            other => panic!("{other:?}"),
        }
        let config = plan(&["r", "--from-docker-config=/x/config.json"]).expect("valid");
        assert!(matches!(
            &config.plan,
            Plan::Credentials { import: Some(ImportPlan { path: Some(p), .. }), .. } if p == Path::new("/x/config.json")
        ));
    }
}
