//! `pachsecret docker-registry`: the flags of `kubectl create secret docker-registry`, plus
//! ways to give passwords without argv, several registries, and importing a Docker config.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;

use clap::Args;
use zeroize::Zeroizing;

use super::common::SOURCES;
use super::common::{name_from_args, output_options, split_slice_flag};
use super::{CommonArgs, NameArgs};
use crate::io::values::{ValueSource, ensure_single_stdin_consumer};
use crate::kinds::docker_registry::dockerconfig::{DEFAULT_SERVER, DOCKER_CONFIG_JSON_KEY};
use crate::kinds::docker_registry::import::ImportPlan;
use crate::kinds::docker_registry::{
    DockerRegistryConfig, KUBECTL_CREDENTIALS_REQUIRED, PasswordPlan, Plan, RegistryPlan,
};
use crate::report::{Error, Result};

pub(super) const LONG_ABOUT: &str = "\
Create an image pull secret (type kubernetes.io/dockerconfigjson) for one or more registries.

With kubectl's flags, the output is byte-identical to `kubectl create secret docker-registry \
NAME ... --dry-run=client -o json` (kubectl 1.31+). pachsecret adds:

  * passwords that never appear on the command line: --docker-password-stdin, \
--docker-password-env=VAR, --docker-password-file=PATH, or a no-echo prompt (asked twice) \
when none is given and standard input is a terminal. Without a terminal it fails at once \
instead of waiting;
  * several registries in one secret: --registry=SERVER,username=USER,password-env=VAR \
(repeatable), alone or next to the --docker-* flags;
  * --from-docker-config[=PATH] to copy entries of an existing Docker config (by default \
$DOCKER_CONFIG/config.json or ~/.docker/config.json), optionally only --only=SERVER;
  * the checks the kubelet applies when it pulls: --from-file must be a Docker config with an \
\"auths\" object, every \"auth\" must decode to user:password, and unusual server addresses \
are pointed out. --validate=false turns these off (kubectl's exact behaviour).

--registry takes comma-separated fields: the server first (or server=SERVER), then \
username=USER, email=EMAIL and at most one of password-env=VAR, password-file=PATH (`-` is \
standard input) or password-stdin. A password cannot be given inline. Without a password \
field, pachsecret prompts for it. Values cannot contain ','.";

pub(super) const EXAMPLES: &str = "\
Examples:
  # kubectl's form (the password is visible in `ps` and shell history)
  pachsecret docker-registry regcred --docker-server=ghcr.io --docker-username=bot \\
    --docker-password=\"$TOKEN\"

  # The same without the password in argv; pipe it into Pachyderm
  printf %s \"$TOKEN\" | pachsecret docker-registry regcred --docker-server=ghcr.io \\
    --docker-username=bot --docker-password-stdin | pachctl create secret -f /dev/stdin

  # On a laptop: prompts for the password without echo
  pachsecret docker-registry regcred --docker-server=ghcr.io --docker-username=me > regcred.json

  # Two registries in one secret, from a Makefile (GHCR_TOKEN and QUAY_TOKEN exported)
  pachsecret docker-registry pull-secret \\
    --registry=ghcr.io,username=ci-bot,password-env=GHCR_TOKEN \\
    --registry=quay.io,username=org+robot,password-file=.secrets/quay > pull-secret.json

  # Copy what `docker login` stored, only for one registry
  pachsecret docker-registry regcred --from-docker-config --only=registry.example.com:5000

  # An existing config file, as kubectl would take it (checked unless --validate=false)
  pachsecret docker-registry regcred --from-file=./config.json

Exit status: 0 on success, 1 when input is rejected, 2 for usage errors.";

#[derive(Debug, Args)]
pub struct DockerRegistryArgs {
    #[command(flatten)]
    pub name: NameArgs,

    /// Server location for the registry (kubectl's default: Docker Hub)
    #[arg(
        long,
        value_name = "SERVER",
        allow_hyphen_values = true,
        help = "Server location for the registry [default: https://index.docker.io/v1/]",
        help_heading = SOURCES
    )]
    pub docker_server: Option<OsString>,

    /// Username for the registry
    #[arg(long, value_name = "USER", allow_hyphen_values = true, help_heading = SOURCES)]
    pub docker_username: Option<OsString>,

    /// Password for the registry, in argv (visible in `ps`; prefer the -stdin/-env/-file forms)
    #[arg(long, value_name = "PASSWORD", allow_hyphen_values = true, help_heading = SOURCES)]
    pub docker_password: Option<OsString>,

    /// Read the password from standard input (one final newline is dropped, as docker login does)
    #[arg(long, help_heading = SOURCES)]
    pub docker_password_stdin: bool,

    /// Read the password from this environment variable
    #[arg(long, value_name = "VAR", help_heading = SOURCES)]
    pub docker_password_env: Option<OsString>,

    /// Read the password from this file (`-` is standard input; one final newline is dropped)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub docker_password_file: Option<PathBuf>,

    /// Email for the registry (optional)
    #[arg(long, value_name = "EMAIL", allow_hyphen_values = true, help_heading = SOURCES)]
    pub docker_email: Option<OsString>,

    /// Another registry, as comma-separated fields (see the long help)
    #[arg(
        long = "registry",
        value_name = "SPEC",
        allow_hyphen_values = true,
        help = "Another registry: SERVER,username=USER[,email=E][,password-env=VAR|password-file=PATH|password-stdin]",
        help_heading = SOURCES
    )]
    pub registries: Vec<OsString>,

    /// Copy registries from a Docker config [default path: $DOCKER_CONFIG/config.json or ~/.docker/config.json]
    #[arg(
        long,
        value_name = "PATH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "",
        help_heading = SOURCES
    )]
    pub from_docker_config: Option<OsString>,

    /// With --from-docker-config: copy only this registry (repeatable)
    #[arg(long, value_name = "SERVER", requires = "from_docker_config", help_heading = SOURCES)]
    pub only: Vec<String>,

    /// A Docker config file to store as is ([KEY=]PATH, key .dockerconfigjson); the credential flags are then ignored
    #[arg(long, value_name = "[KEY=]PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub from_file: Vec<OsString>,

    #[command(flatten)]
    pub common: CommonArgs,
}

impl DockerRegistryArgs {
    /// kubectl's `Complete` and `Validate`, plus the rules of pachsecret's own flags. Nothing
    /// is read here; errors are about the command line.
    pub fn config(&self) -> Result<DockerRegistryConfig> {
        let args = self;
        let file_items = split_slice_flag(&args.from_file, "--from-file")?;
        let name = name_from_args(&args.name, "docker-registry")?;
        let output = output_options(&args.common)?;
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
        args.config()
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
