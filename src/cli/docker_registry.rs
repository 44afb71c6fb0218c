//! `pachsecret docker-registry`: the flags of `kubectl create secret docker-registry`, plus
//! ways to give passwords without argv, several registries, and importing a Docker config.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Args;

use super::{CommonArgs, NameArgs};

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
        help = "Server location for the registry [default: https://index.docker.io/v1/]"
    )]
    pub docker_server: Option<OsString>,

    /// Username for the registry
    #[arg(long, value_name = "USER", allow_hyphen_values = true)]
    pub docker_username: Option<OsString>,

    /// Password for the registry, in argv (visible in `ps`; prefer the -stdin/-env/-file forms)
    #[arg(long, value_name = "PASSWORD", allow_hyphen_values = true)]
    pub docker_password: Option<OsString>,

    /// Read the password from standard input (one final newline is dropped, as docker login does)
    #[arg(long)]
    pub docker_password_stdin: bool,

    /// Read the password from this environment variable
    #[arg(long, value_name = "VAR")]
    pub docker_password_env: Option<OsString>,

    /// Read the password from this file (`-` is standard input; one final newline is dropped)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub docker_password_file: Option<PathBuf>,

    /// Email for the registry (optional)
    #[arg(long, value_name = "EMAIL", allow_hyphen_values = true)]
    pub docker_email: Option<OsString>,

    /// Another registry, as comma-separated fields (see the long help)
    #[arg(
        long = "registry",
        value_name = "SPEC",
        allow_hyphen_values = true,
        help = "Another registry: SERVER,username=USER[,email=E][,password-env=VAR|password-file=PATH|password-stdin]"
    )]
    pub registries: Vec<OsString>,

    /// Copy registries from a Docker config [default path: $DOCKER_CONFIG/config.json or ~/.docker/config.json]
    #[arg(
        long,
        value_name = "PATH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    pub from_docker_config: Option<OsString>,

    /// With --from-docker-config: copy only this registry (repeatable)
    #[arg(long, value_name = "SERVER", requires = "from_docker_config")]
    pub only: Vec<String>,

    /// A Docker config file to store as is ([KEY=]PATH, key .dockerconfigjson); the credential flags are then ignored
    #[arg(long, value_name = "[KEY=]PATH", allow_hyphen_values = true)]
    pub from_file: Vec<OsString>,

    #[command(flatten)]
    pub common: CommonArgs,
}
