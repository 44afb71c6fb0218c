//! The extensions of `parseCertificate` and `processExtensions` (`crypto/x509/parser.go`,
//! Go 1.22–1.24), with Go's error texts and the differences between those releases selected
//! by [`GoX509Rules`].
//!
//! Order, as Go does it: every extension is split into (OID, critical, value) and checked for
//! duplicates first; then `processExtensions` decodes, in certificate order, key usage, basic
//! constraints, subject alternative names (URIs through `net/url.Parse`, see
//! [`crate::go::url`]), name constraints (domains, mailboxes, IP ranges, URI domains checked as
//! Go does at parse time), CRL distribution points, authority/subject key identifiers,
//! extended key usage, certificate policies (Go 1.22+ `OID` rules), authority information
//! access and, from Go 1.24, policy constraints, policy mappings and inhibit-any-policy.
//! Unknown extensions, critical or not, are left alone: Go only lists unhandled critical ones
//! in `UnhandledCriticalExtensions` for `Verify`, which kubectl never calls.
//!
//! cryptobyte reads an element and ignores what follows it in the enclosing value
//! (`val.ReadASN1(&val, SEQUENCE)`), so trailing bytes after most extension values are
//! accepted; name constraints are the exception (`outer.Empty()`).

use super::goversion::GoX509Rules;
use crate::go::asn1::{
    Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, bit_string, oid_components,
};
use crate::go::strconv::go_quote;

type GoResult<T> = Result<T, String>;

const TAG_BOOLEAN: u8 = 0x01;
const OID_AUTHORITY_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];

fn err<T>(message: &str) -> GoResult<T> {
    Err(message.to_string())
}

/// One extension as `parseExtension` returns it.
struct Extension<'a> {
    id: &'a [u8],
    critical: bool,
    value: &'a [u8],
}

/// One subject alternative name, as `inspect` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectAltName {
    Dns(String),
    Email(String),
    /// 4 or 16 bytes (Go refuses any other length).
    Ip(Vec<u8>),
    Uri(String),
    /// Another form (directoryName, otherName, …), by its context tag number.
    Other(u8),
}

/// What pachsecret keeps of the extensions Go decoded: what `inspect` reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    pub subject_alt_names: Vec<SubjectAltName>,
    /// Basic constraints with `cA` true.
    pub is_ca: bool,
}

/// The `[3]` extensions of a v3 certificate (the explicit tag's contents).
pub fn parse_extensions(explicit: &[u8], rules: &GoX509Rules) -> GoResult<Decoded> {
    let Some(mut extensions) = Reader::new(explicit).sequence() else {
        return err("x509: malformed extensions");
    };
    let mut parsed: Vec<Extension<'_>> = Vec::new();
    // Go keys a map by OID string; a set keeps the duplicate check linear however many
    // extensions a crafted certificate holds.
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    while !extensions.is_empty() {
        let Some(extension) = extensions.sequence() else {
            return err("x509: malformed extension");
        };
        let extension = parse_extension(extension)?;
        if !seen.insert(extension.id) {
            if !rules.duplicate_extension_names_oid {
                return err("x509: certificate contains duplicate extensions");
            }
            return Err(format!(
                "x509: certificate contains duplicate extension with OID {}",
                go_quote(oid_string(extension.id).as_bytes())
            ));
        }
        parsed.push(extension);
    }
    let mut decoded = Decoded::default();
    for extension in &parsed {
        process_extension(extension, rules, &mut decoded)?;
    }
    Ok(decoded)
}

/// `parseExtension`: an OID, an optional BOOLEAN, an OCTET STRING.
fn parse_extension(mut der: Reader<'_>) -> GoResult<Extension<'_>> {
    let id = der
        .expect(TAG_OID)
        .filter(|t| oid_components(t.content).is_some());
    let Some(id) = id else {
        return err("x509: malformed extension OID field");
    };
    let mut critical = false;
    if peek(&der) == Some(TAG_BOOLEAN) {
        match der.expect(TAG_BOOLEAN).and_then(|t| boolean(t.content)) {
            Some(value) => critical = value,
            None => return err("x509: malformed extension critical field"),
        }
    }
    let Some(value) = der.expect(TAG_OCTET_STRING) else {
        return err("x509: malformed extension value field");
    };
    Ok(Extension {
        id: id.content,
        critical,
        value: value.content,
    })
}

fn peek(reader: &Reader<'_>) -> Option<u8> {
    reader.rest().first().copied()
}

/// cryptobyte's `ReadASN1Boolean`: exactly 0x00 or 0xff.
fn boolean(content: &[u8]) -> Option<bool> {
    match content {
        [0x00] => Some(false),
        [0xff] => Some(true),
        _ => None,
    }
}

/// The dotted form of an OID already accepted by [`oid_components`].
pub fn oid_string(content: &[u8]) -> String {
    oid_components(content)
        .unwrap_or_default()
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// One iteration of `processExtensions`' loop.
fn process_extension(
    e: &Extension<'_>,
    rules: &GoX509Rules,
    decoded: &mut Decoded,
) -> GoResult<()> {
    if let [0x55, 0x1d, which] = e.id {
        return match which {
            15 => key_usage(e.value),
            19 => basic_constraints(e.value).map(|is_ca| decoded.is_ca = is_ca),
            17 => subject_alt_names(e.value, rules).map(|names| decoded.subject_alt_names = names),
            30 => name_constraints(e.value, rules),
            31 => crl_distribution_points(e.value),
            35 => authority_key_id(e, rules),
            36 if rules.policy_extensions_parsed => policy_constraints(e.value),
            37 => ext_key_usage(e.value),
            14 => subject_key_id(e, rules),
            32 => certificate_policies(e.value, rules),
            33 if rules.policy_extensions_parsed => policy_mappings(e.value),
            54 if rules.policy_extensions_parsed => inhibit_any_policy(e.value),
            _ => Ok(()),
        };
    }
    if e.id == OID_AUTHORITY_INFO_ACCESS {
        return authority_info_access(e, rules);
    }
    Ok(())
}

fn key_usage(value: &[u8]) -> GoResult<()> {
    let ok = Reader::new(value)
        .expect(TAG_BIT_STRING)
        .and_then(|t| bit_string(t.content))
        .is_some();
    if ok {
        Ok(())
    } else {
        err("x509: invalid key usage")
    }
}

/// `parseBasicConstraintsExtension`: the path length is read into a Go `int`, so negative
/// values are accepted and values above 2^63-1 are not.
fn basic_constraints(value: &[u8]) -> GoResult<bool> {
    let check = || -> Option<bool> {
        let mut seq = Reader::new(value).sequence()?;
        let mut is_ca = false;
        if peek(&seq) == Some(TAG_BOOLEAN) {
            is_ca = boolean(seq.expect(TAG_BOOLEAN)?.content)?;
        }
        if peek(&seq) == Some(TAG_INTEGER) {
            seq.small_integer()?;
        }
        Some(is_ca)
    };
    check().ok_or_else(|| "x509: invalid basic constraints".to_string())
}

/// `forEachSAN` + `parseSANExtension`.
fn subject_alt_names(value: &[u8], rules: &GoX509Rules) -> GoResult<Vec<SubjectAltName>> {
    let Some(mut names) = Reader::new(value).sequence() else {
        return err("x509: invalid subject alternative names");
    };
    let mut found = Vec::new();
    while !names.is_empty() {
        let Some(name) = names.any() else {
            return err("x509: invalid subject alternative name");
        };
        let data = name.content;
        match name.tag ^ 0x80 {
            1 if !data.is_ascii() => return err("x509: SAN rfc822Name is malformed"),
            2 if !data.is_ascii() => return err("x509: SAN dNSName is malformed"),
            6 => {
                if !data.is_ascii() {
                    return err("x509: SAN uniformResourceIdentifier is malformed");
                }
                let uri = crate::go::url::parse(data).map_err(|reason| {
                    format!("x509: cannot parse URI {}: {reason}", go_quote(data))
                })?;
                if !uri.host.is_empty() && !domain_to_reverse_labels(&uri.host, rules) {
                    return Err(format!(
                        "x509: cannot parse URI {}: invalid domain",
                        go_quote(data)
                    ));
                }
            }
            7 if data.len() != 4 && data.len() != 16 => {
                return Err(format!(
                    "x509: cannot parse IP address of length {}",
                    data.len()
                ));
            }
            _ => {}
        }
        let text = || String::from_utf8_lossy(data).into_owned();
        found.push(match name.tag ^ 0x80 {
            1 => SubjectAltName::Email(text()),
            2 => SubjectAltName::Dns(text()),
            6 => SubjectAltName::Uri(text()),
            7 => SubjectAltName::Ip(data.to_vec()),
            other => SubjectAltName::Other(other & 0x1f),
        });
    }
    Ok(found)
}

/// `domainToReverseLabels` (`crypto/x509/verify.go`) as a validity check: no empty label
/// (Go 1.23+ also counts the one before a leading `.`), no trailing `.`, bytes 33–126.
fn domain_to_reverse_labels(domain: &[u8], rules: &GoX509Rules) -> bool {
    let labels_valid = |domain: &[u8]| {
        domain
            .split(|&b| b == b'.')
            .all(|label| !label.is_empty() && label.iter().all(|&c| (33..=126).contains(&c)))
    };
    if domain.is_empty() {
        return true;
    }
    match domain.strip_prefix(b".") {
        // Go 1.22 stops when the rest is empty, so one leading '.' adds no label.
        Some(rest) if !rules.leading_empty_label_refused => !rest.is_empty() && labels_valid(rest),
        _ => labels_valid(domain),
    }
}

/// `parseRFC2821Mailbox` as a validity check.
fn parse_rfc2821_mailbox(input: &[u8], rules: &GoX509Rules) -> bool {
    if input.is_empty() {
        return false;
    }
    let mut local = Vec::new();
    let mut rest = input;
    if rest[0] == b'"' {
        rest = &rest[1..];
        loop {
            let Some((&c, after)) = rest.split_first() else {
                return false;
            };
            rest = after;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some((&next, after)) = rest.split_first() else {
                        return false;
                    };
                    if next == 11
                        || next == 12
                        || (1..=9).contains(&next)
                        || (14..=127).contains(&next)
                    {
                        local.push(next);
                        rest = after;
                    } else {
                        return false;
                    }
                }
                11 | 12 | 32 | 33 | 127 | 1..=8 | 14..=31 | 35..=91 | 93..=126 => local.push(c),
                _ => return false,
            }
        }
    } else {
        while let Some(&c) = rest.first() {
            let atext = |c: u8| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'!' | b'#'
                            | b'$'
                            | b'%'
                            | b'&'
                            | b'\''
                            | b'*'
                            | b'+'
                            | b'-'
                            | b'/'
                            | b'='
                            | b'?'
                            | b'^'
                            | b'_'
                            | b'`'
                            | b'{'
                            | b'|'
                            | b'}'
                            | b'~'
                            | b'.'
                    )
            };
            if c == b'\\' {
                // An escaped character outside quotes: taken as is (Go's fallthrough).
                rest = &rest[1..];
                let Some(&escaped) = rest.first() else {
                    return false;
                };
                local.push(escaped);
                rest = &rest[1..];
            } else if atext(c) {
                local.push(c);
                rest = &rest[1..];
            } else {
                break;
            }
        }
        if local.is_empty()
            || local.first() == Some(&b'.')
            || local.last() == Some(&b'.')
            || local.windows(2).any(|w| w == b"..")
        {
            return false;
        }
    }
    match rest.split_first() {
        Some((b'@', domain)) => domain_to_reverse_labels(domain, rules),
        _ => false,
    }
}

/// `isIA5String`'s error as `getValues` wraps it.
fn ia5_constraint(value: &[u8]) -> GoResult<()> {
    if value.is_ascii() {
        return Ok(());
    }
    Err(format!(
        "x509: invalid constraint value: x509: {} cannot be encoded as an IA5String",
        go_quote(value)
    ))
}

fn without_leading_dot(value: &[u8]) -> &[u8] {
    value.strip_prefix(b".").unwrap_or(value)
}

/// `net.ParseIP`: dotted-quad IPv4 (no leading zeros) or IPv6 without a zone.
fn is_ip_address(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    text.parse::<std::net::Ipv4Addr>().is_ok() || text.parse::<std::net::Ipv6Addr>().is_ok()
}

/// `isValidIPMask`: ones, then zeros.
fn is_valid_ip_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for &b in mask {
        if seen_zero {
            if b != 0 {
                return false;
            }
            continue;
        }
        match b {
            0x00 | 0x80 | 0xc0 | 0xe0 | 0xf0 | 0xf8 | 0xfc | 0xfe => seen_zero = true,
            0xff => {}
            _ => return false,
        }
    }
    true
}

/// `parseNameConstraintsExtension`.
fn name_constraints(value: &[u8], rules: &GoX509Rules) -> GoResult<()> {
    const INVALID: &str = "x509: invalid NameConstraints extension";
    let mut outer = Reader::new(value);
    let Some(mut top) = outer.sequence() else {
        return err(INVALID);
    };
    if !outer.is_empty() {
        return err(INVALID);
    }
    let (Some(permitted), Some(excluded)) =
        (top.cryptobyte_optional(0xa0), top.cryptobyte_optional(0xa1))
    else {
        return err(INVALID);
    };
    if !top.is_empty() {
        return err(INVALID);
    }
    let permitted = permitted.map(|t| t.content);
    let excluded = excluded.map(|t| t.content);
    let empty = |s: Option<&[u8]>| s.is_none_or(<[u8]>::is_empty);
    if empty(permitted) && empty(excluded) {
        return err("x509: empty name constraints extension");
    }
    for subtrees in [permitted, excluded].into_iter().flatten() {
        general_subtrees(subtrees, rules)?;
    }
    Ok(())
}

/// `getValues` of `parseNameConstraintsExtension`.
fn general_subtrees(subtrees: &[u8], rules: &GoX509Rules) -> GoResult<()> {
    let mut subtrees = Reader::new(subtrees);
    while !subtrees.is_empty() {
        let base = subtrees.sequence().and_then(|mut seq| seq.any());
        let Some(base) = base else {
            return err("x509: invalid NameConstraints extension");
        };
        let value = base.content;
        match base.tag {
            // dNSName
            0x82 => {
                ia5_constraint(value)?;
                if !domain_to_reverse_labels(without_leading_dot(value), rules) {
                    return Err(format!(
                        "x509: failed to parse dnsName constraint {}",
                        go_quote(value)
                    ));
                }
            }
            // iPAddress
            0x87 => {
                let mask = match value.len() {
                    8 => &value[4..],
                    32 => &value[16..],
                    l => {
                        return Err(format!("x509: IP constraint contained value of length {l}"));
                    }
                };
                if !is_valid_ip_mask(mask) {
                    let hex: String = mask.iter().map(|b| format!("{b:02x}")).collect();
                    return Err(format!("x509: IP constraint contained invalid mask {hex}"));
                }
            }
            // rfc822Name
            0x81 => {
                ia5_constraint(value)?;
                let ok = if value.contains(&b'@') {
                    parse_rfc2821_mailbox(value, rules)
                } else {
                    domain_to_reverse_labels(without_leading_dot(value), rules)
                };
                if !ok {
                    return Err(format!(
                        "x509: failed to parse rfc822Name constraint {}",
                        go_quote(value)
                    ));
                }
            }
            // uniformResourceIdentifier
            0x86 => {
                ia5_constraint(value)?;
                if is_ip_address(value) {
                    return Err(format!(
                        "x509: failed to parse URI constraint {}: cannot be IP address",
                        go_quote(value)
                    ));
                }
                if !domain_to_reverse_labels(without_leading_dot(value), rules) {
                    return Err(format!(
                        "x509: failed to parse URI constraint {}",
                        go_quote(value)
                    ));
                }
            }
            _ => {} // unhandled (e.g. directoryName): left to Verify
        }
    }
    Ok(())
}

/// processExtensions' case 31: URIs of full names are collected; a name that is not
/// `[0] { [0] fullName }` (e.g. nameRelativeToCRLIssuer) is an error.
fn crl_distribution_points(value: &[u8]) -> GoResult<()> {
    const POINT: &str = "x509: invalid CRL distribution point";
    let Some(mut points) = Reader::new(value).sequence() else {
        return err("x509: invalid CRL distribution points");
    };
    while !points.is_empty() {
        let Some(mut point) = points.sequence() else {
            return err(POINT);
        };
        let Some(name) = point.cryptobyte_optional(0xa0) else {
            return err(POINT);
        };
        let Some(name) = name else { continue };
        let Some(full_name) = Reader::new(name.content).expect(0xa0) else {
            return err(POINT);
        };
        let mut full_name = Reader::new(full_name.content);
        while peek(&full_name) == Some(0x86) {
            if full_name.expect(0x86).is_none() {
                return err(POINT);
            }
        }
    }
    Ok(())
}

fn authority_key_id(e: &Extension<'_>, rules: &GoX509Rules) -> GoResult<()> {
    if e.critical && !rules.critical_key_ids_ok {
        return err("x509: authority key identifier incorrectly marked critical");
    }
    let check = || -> Option<()> {
        let mut akid = Reader::new(e.value).sequence()?;
        if peek(&akid) == Some(0x80) {
            akid.expect(0x80)?;
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid authority key identifier".to_string())
}

fn subject_key_id(e: &Extension<'_>, rules: &GoX509Rules) -> GoResult<()> {
    if e.critical && !rules.critical_key_ids_ok {
        return err("x509: subject key identifier incorrectly marked critical");
    }
    match Reader::new(e.value).expect(TAG_OCTET_STRING) {
        Some(_) => Ok(()),
        None => err("x509: invalid subject key identifier"),
    }
}

fn ext_key_usage(value: &[u8]) -> GoResult<()> {
    let check = || -> Option<()> {
        let mut seq = Reader::new(value).sequence()?;
        while !seq.is_empty() {
            oid_components(seq.expect(TAG_OID)?.content)?;
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid extended key usages".to_string())
}

/// `newOIDFromDER` (Go 1.22+ `x509.OID`): any size of component, minimally encoded.
fn valid_oid_der(der: &[u8]) -> bool {
    let Some(&last) = der.last() else {
        return false;
    };
    if last & 0x80 != 0 {
        return false;
    }
    let mut start = true;
    for &b in der {
        if start && b == 0x80 {
            return false;
        }
        start = b & 0x80 == 0;
    }
    true
}

/// `parseCertificatePoliciesExtension`.
fn certificate_policies(value: &[u8], rules: &GoX509Rules) -> GoResult<()> {
    let check = || -> Option<()> {
        let mut policies = Reader::new(value).sequence()?;
        let mut seen: Vec<&[u8]> = Vec::new();
        while !policies.is_empty() {
            let oid = policies.sequence()?.expect(TAG_OID)?.content;
            if rules.duplicate_policies_refused {
                if seen.contains(&oid) {
                    return None;
                }
                seen.push(oid);
            }
            if !valid_oid_der(oid) {
                return None;
            }
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid certificate policies".to_string())
}

/// Go 1.24's case 36: `[0]` and `[1]` INTEGERs (int64).
fn policy_constraints(value: &[u8]) -> GoResult<()> {
    let check = || -> Option<()> {
        let mut seq = Reader::new(value).sequence()?;
        for tag in [0x80, 0x81] {
            if peek(&seq) == Some(tag) {
                let field = seq.expect(tag)?;
                let integer = crate::go::asn1::parse_integer(field.content)?;
                i64::try_from(integer).ok()?;
            }
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid policy constraints extension".to_string())
}

/// Go 1.24's case 33: pairs of OBJECT IDENTIFIER elements (contents not checked).
fn policy_mappings(value: &[u8]) -> GoResult<()> {
    let check = || -> Option<()> {
        let mut seq = Reader::new(value).sequence()?;
        while !seq.is_empty() {
            let mut mapping = seq.sequence()?;
            mapping.expect(TAG_OID)?;
            mapping.expect(TAG_OID)?;
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid policy mappings extension".to_string())
}

/// Go 1.24's case 54: an INTEGER read into an `int`.
fn inhibit_any_policy(value: &[u8]) -> GoResult<()> {
    match Reader::new(value).small_integer() {
        Some(_) => Ok(()),
        None => err("x509: invalid inhibit any policy extension"),
    }
}

/// Authority information access: SEQUENCE OF { method OID, location GeneralName }.
fn authority_info_access(e: &Extension<'_>, rules: &GoX509Rules) -> GoResult<()> {
    if e.critical && !rules.critical_aia_ok {
        return err("x509: authority info access incorrectly marked critical");
    }
    let check = || -> Option<()> {
        let mut entries = Reader::new(e.value).sequence()?;
        while !entries.is_empty() {
            let mut entry = entries.sequence()?;
            oid_components(entry.expect(TAG_OID)?.content)?;
            if peek(&entry) == Some(0x86) {
                entry.expect(0x86)?;
            }
        }
        Some(())
    };
    check().ok_or_else(|| "x509: invalid authority info access".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: GoX509Rules = GoX509Rules::GO_1_22;
    const NEW: GoX509Rules = GoX509Rules::GO_1_23;

    #[test]
    fn go_domain_labels() {
        for ok in ["example.com", "a", "", "*.example.com", "a:80"] {
            assert!(domain_to_reverse_labels(ok.as_bytes(), &NEW), "{ok}");
        }
        for bad in ["a..b", "example.com.", "a b", ".", ".example.com", "\u{e4}"] {
            assert!(!domain_to_reverse_labels(bad.as_bytes(), &NEW), "{bad}");
        }
        assert!(domain_to_reverse_labels(b".example.com", &OLD));
        assert!(!domain_to_reverse_labels(b".", &OLD));
        assert!(!domain_to_reverse_labels(b"..a", &OLD));
    }

    #[test]
    fn go_mailboxes() {
        for ok in [
            "user@example.com",
            "\"a b\"@example.com",
            "a.b@c",
            "a\\@b@c",
            "a@b@c", // the domain part is "b@c": bytes 33-126
            "a@",    // an empty domain has no labels, so none is invalid
        ] {
            assert!(parse_rfc2821_mailbox(ok.as_bytes(), &NEW), "{ok}");
        }
        for bad in ["a..b@c", ".a@c", "@c", "a@b..c", "\"a@c", "a b@c"] {
            assert!(!parse_rfc2821_mailbox(bad.as_bytes(), &NEW), "{bad}");
        }
    }

    #[test]
    fn go_policy_oids_have_no_size_limit() {
        assert!(valid_oid_der(&[0x2a, 0x03]));
        assert!(valid_oid_der(&[0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]));
        assert!(!valid_oid_der(&[]));
        assert!(!valid_oid_der(&[0x2a, 0x83]));
        assert!(!valid_oid_der(&[0x2a, 0x80, 0x01]));
    }

    #[test]
    fn go_ip_masks() {
        assert!(is_valid_ip_mask(&[0xff, 0xff, 0x00, 0x00]));
        assert!(is_valid_ip_mask(&[0xff, 0xfe, 0x00, 0x00]));
        assert!(!is_valid_ip_mask(&[0xff, 0x00, 0xff, 0x00]));
        assert!(!is_valid_ip_mask(&[0x7f, 0x00, 0x00, 0x00]));
    }
}
