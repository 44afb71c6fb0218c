//! The checks kubectl skips on a TLS pair: the bundle's order and signatures, validity
//! dates, key strength. Each finding names the file, the certificate by position and subject,
//! and the fix; `--validate` and `--strict` decide whether it is fatal.

use std::path::Path;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::chain::{self, ChainProblem};
use crate::go::x509::keys::PublicKey;
use crate::go::x509::{Certificate, parse_certificate};
use crate::report::Finding;
use crate::report::text::display_path;

/// Every certificate of the bundle, or `None` when one does not parse: that becomes a
/// finding (kubectl checks only the first), and positions would no longer be right for the
/// order check.
pub fn parse_chain(
    ders: &[Vec<u8>],
    path: &Path,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Certificate>> {
    let mut chain = Vec::new();
    let mut complete = true;
    for (i, der) in ders.iter().enumerate() {
        match parse_certificate(der) {
            Ok(cert) => chain.push(cert),
            Err(message) => findings.push(Finding::error(format!(
                    "certificate #{} in {} cannot be parsed ({message}); kubectl checks only the first one, but TLS clients will fail on it",
                    i + 1,
                    display_path(path)
                )).hint("remove that block or replace it with the right intermediate certificate from your CA")),
        }
        complete &= chain.len() == i + 1;
    }
    complete.then_some(chain)
}

/// Each certificate must be signed by the next: errors for a misordered or broken bundle.
pub fn check_chain(chain: &[Certificate], path: &Path, findings: &mut Vec<Finding>) {
    let shown = display_path(path);
    let describe = |i: usize| format!("#{} ({})", i + 1, chain[i].name());
    for problem in chain::check_order(chain) {
        findings.push(match problem {
            ChainProblem::Misordered {
                child,
                actual_issuer,
            } => Finding::error(format!(
                    "the certificates in {shown} are out of order: {} is signed by {}, not by the next one, {}",
                    describe(child),
                    describe(actual_issuer),
                    describe(child + 1)
                )).hint("order the bundle leaf first, then the certificate that signed it, and so on up to (optionally) the root: cat leaf.crt intermediate.crt root.crt > tls.crt"),
            ChainProblem::RootNotLast { root } => Finding::error(format!(
                    "the certificates in {shown} are out of order: {} is a self-signed root but is followed by {}",
                    describe(root),
                    describe(root + 1)
                )).hint("a root certificate can only come last (or be left out): order the bundle leaf, intermediates, root"),
            ChainProblem::Broken { child } => Finding::error(format!(
                    "the certificate chain in {shown} is broken: {} is not signed by the next one, {}, nor by any other certificate in the file",
                    describe(child),
                    describe(child + 1)
                )).hint(format!(
                    "{} was issued by {}; put that issuer's certificate right after it (get it from your CA) and drop unrelated certificates",
                    describe(child),
                    chain[child].issuer
                )),
        });
    }
}

/// Expired or not yet valid certificates (leaf, intermediates, `--ca`): warnings with dates.
pub fn check_validity(
    chain: &[Certificate],
    path: &Path,
    now: OffsetDateTime,
    findings: &mut Vec<Finding>,
) {
    let shown = display_path(path);
    let date = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_else(|_| t.to_string());
    for (i, cert) in chain.iter().enumerate() {
        let which = if i == 0 {
            "the certificate".to_string()
        } else {
            format!("certificate #{}", i + 1)
        };
        if now > cert.not_after {
            findings.push(Finding::warning(format!(
                    "{which} {} in {shown} expired on {} (valid {} to {})",
                    cert.name(),
                    date(cert.not_after),
                    date(cert.not_before),
                    date(cert.not_after)
                )).hint("renew it with your CA (cert-manager: check the Certificate resource) and pass the new file"));
        } else if now < cert.not_before {
            findings.push(
                Finding::warning(format!(
                    "{which} {} in {shown} is not valid yet: valid from {} to {}",
                    cert.name(),
                    date(cert.not_before),
                    date(cert.not_after)
                ))
                .hint(
                    "check the clock of the machine that issued it, or wait until its start date",
                ),
            );
        }
    }
}

/// RSA keys under 2048 bits: a warning.
pub fn check_key_strength(key: &PublicKey, path: &Path, findings: &mut Vec<Finding>) {
    if let Some(bits) = key.rsa_bits()
        && bits < 2048
    {
        findings.push(Finding::warning(format!(
                "the RSA key in {} has {bits} bits; less than 2048 is considered breakable and many clients refuse it",
                display_path(path)
            )).hint("issue a new certificate for a 2048-bit (or larger) RSA key or a P-256 key, e.g. openssl req -new -newkey rsa:2048 -nodes -keyout tls.key -out tls.csr, and have it signed"));
    }
}
