//! `pachsecret inspect`: a readable summary of Secret manifests that never shows a value
//! unless `--show-values` asks for it.
//!
//! Besides name, type, labels and keys with sizes, it decodes what a reader cannot see in
//! base64: the certificates of a TLS secret (with the same Go x509 port `tls` decides with)
//! and the registries and user names of a Docker config.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::go::strconv::go_quote;
use crate::go::x509::keys::CertKey;
use crate::go::x509::{Certificate, SubjectAltName, parse_certificate};
use crate::io::input::{self, Limit, ensure_stdin_once, file_label};
use crate::kinds::docker_registry::dockerconfig::{ScrubbedJson, redact_userinfo};
use crate::manifest::reader::read_manifest;
use crate::report::Severity;
use crate::report::outcome::{Failure, Rendered};
use crate::report::render::summary;
use crate::report::text::shown;
use crate::report::{ExitCode, Result};
use crate::secret::Secret;

/// `inspect`, ready to run.
#[derive(Debug)]
pub struct InspectConfig {
    pub manifests: Vec<std::path::PathBuf>,
    /// Print every value too (`--show-values`).
    pub show_values: bool,
}

pub fn inspect(args: &InspectConfig) -> Result<Rendered, Failure> {
    ensure_stdin_once(&args.manifests)?;
    let mut out = String::new();
    let mut status = ExitCode::Success;
    for (i, path) in args.manifests.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let file = file_label(path);
        let input = match input::read("the MANIFEST argument", path, Limit::DOCUMENT) {
            Ok(input) => input,
            Err(error) => {
                // The others are still summarised; this one is reported and fails the run.
                status = ExitCode::Rejected;
                let _ = writeln!(out, "{file}: {}", error.message);
                continue;
            }
        };
        let report = read_manifest(&input);
        let Some(secret) = &report.secret else {
            status = ExitCode::Rejected;
            let reason = report
                .diagnostics
                .first()
                .map_or_else(String::new, |d| d.line(&file, ""));
            let _ = writeln!(out, "{file}: not readable as a Secret: {reason}");
            continue;
        };
        let _ = writeln!(out, "{file}: {}", report.subject());
        summarize(secret, args.show_values, &mut out);
        let levels: Vec<Severity> = report.diagnostics.iter().map(|d| d.severity).collect();
        if !levels.is_empty() {
            let _ = writeln!(
                out,
                "  problems: {} (see `pachsecret lint {file}`)",
                summary(levels)
            );
        }
        // A key whose value cannot be decoded is not in the summary above: say so, and fail,
        // rather than show a secret with a key silently missing.
        for error in report.diagnostics.iter().filter(|d| d.is_error()) {
            let _ = writeln!(out, "  error: {}", error.line(&file, &report.subject()));
        }
        if report.has_errors() {
            status = ExitCode::Rejected;
        }
    }
    Ok(Rendered::text(out.into_bytes(), status))
}

/// The summary of one Secret, two-space indented.
pub fn summarize(secret: &Secret, show_values: bool, out: &mut String) {
    let secret_type = if secret.secret_type.is_empty() {
        "Opaque".to_string()
    } else {
        shown(&secret.secret_type)
    };
    let _ = writeln!(out, "  type: {secret_type}");
    if let Some(ns) = &secret.namespace {
        let _ = writeln!(out, "  namespace: {}", go_quote(ns));
    }
    for (k, v) in &secret.labels {
        let _ = writeln!(out, "  label: {}={}", go_quote(k), go_quote(v));
    }
    if let Some(immutable) = secret.immutable {
        let _ = writeln!(out, "  immutable: {immutable}");
    }
    let total = secret.data_size();
    let _ = writeln!(out, "  keys: {} ({total} bytes in all)", secret.data.len());
    let width = secret
        .data
        .keys()
        .map(|k| go_quote(k).len())
        .max()
        .unwrap_or(0);
    for (key, value) in &secret.data {
        let shown_key = go_quote(key);
        let _ = write!(
            out,
            "    {shown_key:<width$}  {} byte{}",
            value.len(),
            if value.len() == 1 { "" } else { "s" }
        );
        // Values read from a manifest are always in memory.
        if show_values && let Some(bytes) = value.in_memory() {
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    let _ = write!(out, "  {}", go_quote(text.as_bytes()));
                }
                Err(_) => {
                    let _ = write!(out, "  base64:{}", BASE64.encode(bytes));
                }
            }
        }
        out.push('\n');
    }
    for (key, value) in &secret.data {
        let Some(bytes) = value.in_memory() else {
            continue;
        };
        let key_text = shown(key);
        if bytes
            .windows(27)
            .any(|w| w == b"-----BEGIN CERTIFICATE-----")
        {
            certificates(&key_text, bytes, out);
        } else if key.as_slice() == b".dockerconfigjson" || key.as_slice() == b".dockercfg" {
            registries(
                &key_text,
                bytes,
                key.as_slice() == b".dockerconfigjson",
                out,
            );
        } else if let Some(label) = private_key_label(bytes) {
            let _ = writeln!(out, "  {key_text}: a PEM {}", shown(label));
        }
    }
}

fn private_key_label(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN ")? + 11;
    let end = text[start..].find("-----")? + start;
    let label = &text[start..end];
    label.contains("PRIVATE KEY").then(|| label.to_string())
}

fn certificates(key: &str, pem: &[u8], out: &mut String) {
    // The same PEM and x509 ports the tls subcommand uses: what inspect shows is what
    // kubectl would accept.
    let blocks = crate::go::pem::decode_all(pem);
    for (n, block) in blocks
        .iter()
        .filter(|b| b.label == b"CERTIFICATE")
        .enumerate()
    {
        match parse_certificate(&block.der) {
            Ok(cert) => certificate(key, n + 1, &cert, out),
            Err(e) => {
                let _ = writeln!(
                    out,
                    "  {key}: certificate {}: cannot be parsed ({})",
                    n + 1,
                    shown(&e)
                );
            }
        }
    }
}

fn certificate(key: &str, n: usize, cert: &Certificate, out: &mut String) {
    let _ = writeln!(out, "  {key}: certificate {n}");
    let _ = writeln!(out, "    subject: {}", shown(cert.name()));
    if !cert.subject_alt_names.is_empty() {
        let names: Vec<String> = cert
            .subject_alt_names
            .iter()
            .map(|name| match name {
                SubjectAltName::Dns(d) => format!("DNS:{}", shown(d)),
                SubjectAltName::Ip(ip) => format!("IP:{}", show_ip(ip)),
                SubjectAltName::Email(m) => format!("email:{}", shown(m)),
                SubjectAltName::Uri(u) => format!("URI:{}", shown(u)),
                SubjectAltName::Other(tag) => format!("(name form [{tag}])"),
            })
            .collect();
        let _ = writeln!(out, "    SANs: {}", names.join(", "));
    }
    let _ = writeln!(out, "    issuer: {}", shown(&cert.issuer));
    let not_before = cert.not_before.unix_timestamp();
    let not_after = cert.not_after.unix_timestamp();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let state = if now < not_before {
        "not yet valid".to_string()
    } else if now > not_after {
        format!("EXPIRED {} days ago", (now - not_after) / 86_400)
    } else {
        format!("expires in {} days", (not_after - now) / 86_400)
    };
    let _ = writeln!(
        out,
        "    valid: {} to {} ({state})",
        format_utc(not_before),
        format_utc(not_after)
    );
    let key_type = match &cert.key {
        CertKey::Known(public) => public.to_string(),
        CertKey::Other(name) => (*name).to_string(),
    };
    let _ = writeln!(out, "    key: {key_type}");
    if cert.is_ca {
        let _ = writeln!(out, "    CA: yes");
    }
}

fn show_ip(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => format!("{bytes:02x?}"),
    }
}

/// `YYYY-MM-DD HH:MM:SS UTC` from a Unix timestamp (proleptic Gregorian, Howard Hinnant's
/// `civil_from_days`).
pub fn format_utc(timestamp: i64) -> String {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Servers and user names of a Docker config (`auths` for `.dockerconfigjson`, the top level
/// for the legacy `.dockercfg`). Passwords and tokens are never shown.
fn registries(key: &str, bytes: &[u8], has_auths: bool, out: &mut String) {
    let Ok(parsed) = ScrubbedJson::parse(bytes) else {
        let _ = writeln!(out, "  {key}: not valid JSON");
        return;
    };
    let config = &parsed.0;
    let servers = if has_auths {
        config.get("auths").and_then(|a| a.as_object())
    } else {
        config.as_object()
    };
    let Some(servers) = servers else {
        let _ = writeln!(out, "  {key}: no registries");
        return;
    };
    for (server, entry) in servers {
        let username = entry
            .get("username")
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .or_else(|| {
                let auth = entry.get("auth")?.as_str()?;
                let decoded = zeroize::Zeroizing::new(BASE64.decode(auth).ok()?);
                let user = decoded.split(|b| *b == b':').next()?;
                Some(String::from_utf8_lossy(user).into_owned())
            });
        let has_password = entry
            .get("password")
            .and_then(|p| p.as_str())
            .is_some_and(|p| !p.is_empty())
            || entry
                .get("auth")
                .and_then(|a| a.as_str())
                .is_some_and(|a| !a.is_empty());
        let _ = writeln!(
            out,
            "  registry {}: user {}{}",
            go_quote(&redact_userinfo(server.as_bytes())),
            username
                .as_deref()
                .map_or("(none)".to_string(), |u| go_quote(u.as_bytes())),
            if has_password {
                ", password set"
            } else {
                ", no password"
            }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(4_102_444_799), "2099-12-31 23:59:59 UTC");
    }

    #[test]
    fn registry_summaries_hide_passwords() {
        let mut out = String::new();
        // auth = base64("bob:hunter2")
        registries(
            ".dockerconfigjson",
            br#"{"auths":{"ghcr.io":{"auth":"Ym9iOmh1bnRlcjI="}}}"#,
            true,
            &mut out,
        );
        assert_eq!(out, "  registry \"ghcr.io\": user \"bob\", password set\n");
    }
}
