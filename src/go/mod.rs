//! Byte-exact ports of Go code whose behaviour shows through kubectl, pachctl or pachd: the
//! standard library, pflag, apimachinery and kubectl itself.
//!
//! Each module names the Go source and version it follows. Their quirks are the point: a
//! "fix" here makes pachsecret differ from kubectl. Change them only against the Go source
//! and the differential tests.

pub mod apimachinery;
pub mod asn1;
pub mod io_error;
pub mod json;
pub mod kubectl_envfile;
pub mod kubectl_hash;
pub mod pem;
pub mod pflag;
pub mod strconv;
pub mod tls_keypair;
pub mod url;
pub mod x509;
