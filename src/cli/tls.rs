//! `pachsecret tls`: the flags of `kubectl create secret tls`, plus `--ca`, the passphrase
//! options for encrypted keys, and `--now`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Args;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::common::{CHECKS, SOURCES};
use super::common::{name_from_args, output_options};
use super::{CommonArgs, NameArgs};
use crate::io::values::{ValueSource, ensure_single_stdin_consumer};
use crate::kinds::tls::TlsConfig;
use crate::kinds::tls::passphrase::PassphraseSource;
use crate::report::{Error, Result};

pub(super) const LONG_ABOUT: &str = "\
Create a TLS secret from a certificate (chain) and its private key.

Same flags and output as `kubectl create secret tls NAME --cert=FILE --key=FILE \
--dry-run=client -o json`: both files are stored byte for byte under tls.crt and tls.key, \
type kubernetes.io/tls, and accepted or refused exactly as kubectl (Go's tls.X509KeyPair) \
does. On top of that pachsecret checks the bundle's order and signatures, expiry dates and \
key strength, explains why a key does not match, and can decrypt an encrypted key (PKCS#8 or legacy OpenSSL). \
--validate=false turns all of that off: exactly kubectl.";

pub(super) const EXAMPLES: &str = "\
Examples:
  # A certificate bundle (leaf first, then intermediates) and its key, into Pachyderm
  pachsecret tls ingress-tls --cert=./fullchain.pem --key=./privkey.pem \\
    | pachctl create secret -f /dev/stdin

  # Also store the CA certificate as ca.crt (cert-manager / ingress convention)
  pachsecret tls mtls --cert=client.crt --key=client.key --ca=ca.crt > mtls-secret.json

  # An encrypted key, passphrase from a file (or --key-passphrase-env=VAR, or the terminal)
  pachsecret tls web --cert=web.crt --key=web.enc.key --key-passphrase-file=./pass.txt

  # kubectl's exact behaviour, without pachsecret's extra checks
  pachsecret tls web --cert=web.crt --key=web.key --validate=false

Exit status: 0 on success, 1 when input is rejected, 2 for usage errors.";

#[derive(Debug, Args)]
pub struct TlsArgs {
    #[command(flatten)]
    pub name: NameArgs,

    /// PEM certificate file: the leaf first, then its intermediates (stored as tls.crt)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub cert: Option<OsString>,

    /// PEM private key file for the first certificate (stored as tls.key)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, help_heading = SOURCES)]
    pub key: Option<OsString>,

    /// PEM CA certificate(s) to store as ca.crt (not a kubectl flag)
    #[arg(long, value_name = "PATH", help_heading = SOURCES)]
    pub ca: Option<PathBuf>,

    /// Read the passphrase of an encrypted --key from the first line of this file
    #[arg(long, value_name = "PATH", conflicts_with = "key_passphrase_env", help_heading = SOURCES)]
    pub key_passphrase_file: Option<PathBuf>,

    /// Read the passphrase of an encrypted --key from this environment variable
    #[arg(long, value_name = "VAR", help_heading = SOURCES)]
    pub key_passphrase_env: Option<OsString>,

    /// Check validity dates against this time instead of the clock (RFC 3339)
    #[arg(long, value_name = "TIME", value_parser = parse_now, help_heading = CHECKS)]
    pub now: Option<time::OffsetDateTime>,

    #[command(flatten)]
    pub common: CommonArgs,
}

impl TlsArgs {
    /// kubectl's `Complete`/`Validate` for tls: exactly one NAME (which may be empty), then
    /// both `--cert` and `--key` non-empty.
    pub fn config(&self) -> Result<TlsConfig> {
        let args = self;
        use std::os::unix::ffi::OsStrExt as _;
        let name = name_from_args(&args.name, "tls")?;
        let output = output_options(&args.common)?;
        let non_empty = |v: &Option<std::ffi::OsString>| {
            v.as_ref()
                .filter(|p| !p.as_bytes().is_empty())
                .map(PathBuf::from)
        };
        let (Some(cert), Some(key)) = (non_empty(&args.cert), non_empty(&args.key)) else {
            return Err(Error::usage("key and cert must be specified")
                .hint("pachsecret tls NAME --cert=PATH --key=PATH"));
        };
        let stdin = ValueSource::Stdin;
        let dash = |p: &Path| p.as_os_str() == "-";
        let uses = [
            (dash(&cert), "--cert"),
            (dash(&key), "--key"),
            (args.ca.as_deref().is_some_and(dash), "--ca"),
        ];
        ensure_single_stdin_consumer(
            uses.iter()
                .filter(|(d, _)| *d)
                .map(|(_, flag)| (&stdin, *flag)),
        )?;
        let passphrase = match (&args.key_passphrase_file, &args.key_passphrase_env) {
            (Some(path), _) => PassphraseSource::File(path.clone()),
            (None, Some(var)) => PassphraseSource::Env(var.clone()),
            (None, None) => PassphraseSource::Prompt,
        };
        Ok(TlsConfig {
            name,
            cert,
            key,
            ca: args.ca.clone(),
            now: args.now.unwrap_or_else(OffsetDateTime::now_utc),
            passphrase,
            output,
        })
    }
}

/// Parses `--now`: RFC 3339, e.g. `2026-01-01T00:00:00Z`.
fn parse_now(value: &str) -> std::result::Result<OffsetDateTime, String> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|e| format!("expected an RFC 3339 time such as 2026-01-01T00:00:00Z ({e})"))
}
