//! `pachsecret tls`: the flags of `kubectl create secret tls`, plus `--ca`, the passphrase
//! options for encrypted keys, and `--now`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Args;

use super::{CommonArgs, NameArgs};

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
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub cert: Option<OsString>,

    /// PEM private key file for the first certificate (stored as tls.key)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub key: Option<OsString>,

    /// PEM CA certificate(s) to store as ca.crt (not a kubectl flag)
    #[arg(long, value_name = "PATH")]
    pub ca: Option<PathBuf>,

    /// Read the passphrase of an encrypted --key from the first line of this file
    #[arg(long, value_name = "PATH", conflicts_with = "key_passphrase_env")]
    pub key_passphrase_file: Option<PathBuf>,

    /// Read the passphrase of an encrypted --key from this environment variable
    #[arg(long, value_name = "VAR")]
    pub key_passphrase_env: Option<OsString>,

    /// Check validity dates against this time instead of the clock (RFC 3339)
    #[arg(long, value_name = "TIME", value_parser = crate::tls::parse_now)]
    pub now: Option<time::OffsetDateTime>,

    #[command(flatten)]
    pub common: CommonArgs,
}
