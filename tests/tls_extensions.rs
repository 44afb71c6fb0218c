//! Certificates with broken extensions (made by DER surgery on testdata/tls/rsa2048.crt; the
//! signature is left stale, kubectl does not verify it — `signature-corrupted` shows it) and
//! RSA keys with edited CRT values, decided like kubectl:
//!
//! - every case against the reference kubectl 1.32: same accept/refuse, same message, same
//!   bytes (pachsecret with `--validate=false`), and the default checks never accept what
//!   kubectl refuses;
//! - the release-dependent cases against every kubectl.1.27 … kubectl.1.33 found beside the
//!   reference, with and without GODEBUG settings, compared with `x509_key_pair_with` under
//!   `GoX509Rules::for_kubectl` (a release not installed is skipped with a message).

use std::path::{Path, PathBuf};

use num_bigint::BigInt;
use pachsecret::go::asn1::Reader;
use pachsecret::go::tls_keypair::x509_key_pair_with;
use pachsecret::go::x509::GoX509Rules;

use crate::util::{kubectl, run_kubectl, run_pachsecret, show, testdata};

// --- DER -----------------------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn ctx(n: u8, content: &[u8], constructed: bool) -> Vec<u8> {
    tlv(if constructed { 0xa0 } else { 0x80 } | n, content)
}

fn oid(dotted: &str) -> Vec<u8> {
    let parts: Vec<u128> = dotted.split('.').map(|p| p.parse().unwrap()).collect();
    let mut values = vec![parts[0] * 40 + parts[1]];
    values.extend_from_slice(&parts[2..]);
    let mut out = Vec::new();
    for mut v in values {
        let mut chunk = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            chunk.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        chunk.reverse();
        out.extend(chunk);
    }
    tlv(0x06, &out)
}

fn int(n: &BigInt) -> Vec<u8> {
    tlv(0x02, &n.to_signed_bytes_be())
}

fn small(n: i128) -> Vec<u8> {
    int(&BigInt::from(n))
}

fn boolean(b: bool) -> Vec<u8> {
    tlv(0x01, &[if b { 0xff } else { 0x00 }])
}

fn octet(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

fn elements(data: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = Reader::new(data);
    let mut out = Vec::new();
    while let Some(tlv) = reader.any() {
        out.push(tlv.full.to_vec());
    }
    out
}

fn contents(element: &[u8]) -> Vec<u8> {
    Reader::new(element).any().unwrap().content.to_vec()
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

fn fixture_der(name: &str) -> Vec<u8> {
    let pem = std::fs::read(testdata().join("tls").join(name)).unwrap();
    pachsecret::go::pem::decode(&pem).unwrap().0.der.to_vec()
}

// --- certificates ---------------------------------------------------------------------------

const NC: &str = "2.5.29.30";
const SAN: &str = "2.5.29.17";
const POL: &str = "2.5.29.32";
const AIA: &str = "1.3.6.1.5.5.7.1.1";
const CRL: &str = "2.5.29.31";
const EKU: &str = "2.5.29.37";
const KU: &str = "2.5.29.15";
const BC: &str = "2.5.29.19";
const SKID: &str = "2.5.29.14";
const AKID: &str = "2.5.29.35";
const OCSP: &str = "1.3.6.1.5.5.7.48.1";

fn ext(id: &str, value: &[u8], critical: Option<bool>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if let Some(c) = critical {
        parts.push(boolean(c));
    }
    parts.push(octet(value));
    tlv(0x30, &parts.concat())
}

fn plain(id: &str, value: &[u8]) -> Vec<u8> {
    ext(id, value, None)
}

fn critical(id: &str, value: &[u8]) -> Vec<u8> {
    ext(id, value, Some(true))
}

enum Extensions {
    None,
    List(Vec<Vec<u8>>),
    Raw(Vec<u8>),
}

/// rsa2048.crt with its `[3]` extensions replaced; `signature` may edit the signature.
fn cert_with(extensions: Extensions, corrupt_signature: bool) -> Vec<u8> {
    let base = fixture_der("rsa2048.crt");
    let outer = elements(&contents(&base));
    let mut fields: Vec<Vec<u8>> = elements(&contents(&outer[0]))
        .into_iter()
        .filter(|f| f[0] != 0xa3)
        .collect();
    match extensions {
        Extensions::None => {}
        Extensions::List(list) => fields.push(ctx(3, &tlv(0x30, &list.concat()), true)),
        Extensions::Raw(raw) => fields.push(ctx(3, &raw, true)),
    }
    let mut signature = outer[2].clone();
    if corrupt_signature {
        *signature.last_mut().unwrap() ^= 1;
    }
    tlv(
        0x30,
        &[tlv(0x30, &fields.concat()), outer[1].clone(), signature].concat(),
    )
}

fn nc(permitted: Option<&[Vec<u8>]>, excluded: Option<&[Vec<u8>]>) -> Vec<u8> {
    let subtrees = |names: &[Vec<u8>]| -> Vec<u8> {
        names
            .iter()
            .map(|g| tlv(0x30, g))
            .collect::<Vec<_>>()
            .concat()
    };
    let mut parts = Vec::new();
    if let Some(p) = permitted {
        parts.push(ctx(0, &subtrees(p), true));
    }
    if let Some(e) = excluded {
        parts.push(ctx(1, &subtrees(e), true));
    }
    tlv(0x30, &parts.concat())
}

fn permit(name: Vec<u8>) -> Vec<u8> {
    nc(Some(&[name]), None)
}

fn dns(s: &[u8]) -> Vec<u8> {
    ctx(2, s, false)
}

fn email(s: &[u8]) -> Vec<u8> {
    ctx(1, s, false)
}

fn uri(s: &[u8]) -> Vec<u8> {
    ctx(6, s, false)
}

fn ip(b: &[u8]) -> Vec<u8> {
    ctx(7, b, false)
}

fn san_uri(s: &str) -> Vec<Vec<u8>> {
    vec![plain(SAN, &seq(&[&uri(s.as_bytes())]))]
}

fn dirname() -> Vec<u8> {
    let cn = seq(&[&oid("2.5.4.3"), &tlv(0x0c, b"x")]);
    ctx(4, &seq(&[&tlv(0x31, &cn)]), true)
}

fn crl(point: Vec<u8>) -> Vec<u8> {
    seq(&[&seq(&[&point])])
}

fn full_name(names: &[u8]) -> Vec<u8> {
    ctx(0, &ctx(0, names, true), true)
}

fn aia(entry: &[u8]) -> Vec<u8> {
    seq(&[entry])
}

fn ocsp(location: &[u8]) -> Vec<u8> {
    seq(&[&oid(OCSP), location])
}

/// Every broken (and a few valid) extension: (name, extensions).
fn extension_cases() -> Vec<(&'static str, Extensions)> {
    use Extensions::List as L;
    let v4_mapped_nc = [
        &[0u8; 10][..],
        &[0xff, 0xff, 10, 0, 0, 0],
        &[0xff; 12],
        &[0; 4],
    ]
    .concat();
    let ip_v4_mapped = [&[0u8; 10][..], &[0xff, 0xff, 1, 2, 3, 4]].concat();
    let mut cases: Vec<(&'static str, Extensions)> = vec![
        ("baseline", L(vec![critical(BC, &seq(&[]))])),
        ("no-extensions-field", Extensions::None),
        ("extensions-empty-sequence", L(vec![])),
        (
            "extensions-trailing-data",
            Extensions::Raw([seq(&[&critical(BC, &seq(&[]))]), vec![0x05, 0x00]].concat()),
        ),
        // name constraints
        (
            "nc-valid-dns",
            L(vec![critical(NC, &permit(dns(b"example.com")))]),
        ),
        ("nc-empty-sequence", L(vec![critical(NC, &seq(&[]))])),
        (
            "nc-empty-permitted",
            L(vec![plain(NC, &seq(&[&ctx(0, b"", true)]))]),
        ),
        (
            "nc-empty-permitted-and-excluded",
            L(vec![plain(
                NC,
                &seq(&[&ctx(0, b"", true), &ctx(1, b"", true)]),
            )]),
        ),
        (
            "nc-empty-permitted-nonempty-excluded",
            L(vec![plain(
                NC,
                &seq(&[&ctx(0, b"", true), &ctx(1, &seq(&[&dns(b"a.com")]), true)]),
            )]),
        ),
        (
            "nc-trailing-data",
            L(vec![plain(
                NC,
                &[permit(dns(b"a.com")), vec![5, 0]].concat(),
            )]),
        ),
        (
            "nc-wrong-top-tag",
            L(vec![plain(
                NC,
                &seq(&[&ctx(2, &seq(&[&dns(b"a.com")]), true)]),
            )]),
        ),
        (
            "nc-subtree-not-sequence",
            L(vec![plain(NC, &seq(&[&ctx(0, &dns(b"a.com"), true)]))]),
        ),
        (
            "nc-subtree-empty-sequence",
            L(vec![plain(NC, &seq(&[&ctx(0, &seq(&[]), true)]))]),
        ),
        ("nc-not-sequence", L(vec![plain(NC, &octet(b"x"))])),
        (
            "nc-dns-leading-dot",
            L(vec![plain(NC, &permit(dns(b".example.com")))]),
        ),
        (
            "nc-dns-two-leading-dots",
            L(vec![plain(NC, &permit(dns(b"..example.com")))]),
        ),
        (
            "nc-dns-empty-label",
            L(vec![plain(NC, &permit(dns(b"a..b")))]),
        ),
        (
            "nc-dns-trailing-dot",
            L(vec![plain(NC, &permit(dns(b"example.com.")))]),
        ),
        (
            "nc-dns-space",
            L(vec![plain(NC, &permit(dns(b"exa mple.com")))]),
        ),
        (
            "nc-dns-non-ascii",
            L(vec![plain(NC, &permit(dns(b"ex\xffample")))]),
        ),
        (
            "nc-dns-utf8",
            L(vec![plain(NC, &permit(dns("exämple".as_bytes())))]),
        ),
        ("nc-dns-empty", L(vec![plain(NC, &permit(dns(b"")))])),
        ("nc-dns-dot-only", L(vec![plain(NC, &permit(dns(b".")))])),
        (
            "nc-dns-excluded-bad",
            L(vec![plain(NC, &nc(None, Some(&[dns(b"a..b")])))]),
        ),
        (
            "nc-dns-with-minimum",
            L(vec![plain(
                NC,
                &seq(&[&ctx(
                    0,
                    &seq(&[&dns(b"a.com"), &ctx(0, b"\x00", false)]),
                    true,
                )]),
            )]),
        ),
        (
            "nc-ip-valid",
            L(vec![plain(NC, &permit(ip(&[10, 0, 0, 0, 255, 0, 0, 0])))]),
        ),
        ("nc-ip-length-5", L(vec![plain(NC, &permit(ip(&[0; 5])))])),
        ("nc-ip-length-16", L(vec![plain(NC, &permit(ip(&[0; 16])))])),
        (
            "nc-ip-bad-mask",
            L(vec![plain(NC, &permit(ip(&[10, 0, 0, 0, 255, 0, 255, 0])))]),
        ),
        (
            "nc-ip-v4-mapped",
            L(vec![plain(NC, &permit(ip(&v4_mapped_nc)))]),
        ),
        (
            "nc-email-domain",
            L(vec![plain(NC, &permit(email(b"example.com")))]),
        ),
        (
            "nc-email-leading-dot",
            L(vec![plain(NC, &permit(email(b".example.com")))]),
        ),
        (
            "nc-email-mailbox",
            L(vec![plain(NC, &permit(email(b"user@example.com")))]),
        ),
        (
            "nc-email-quoted",
            L(vec![plain(NC, &permit(email(b"\"a b\"@example.com")))]),
        ),
        (
            "nc-email-bad-local",
            L(vec![plain(NC, &permit(email(b"a..b@example.com")))]),
        ),
        (
            "nc-email-bad-domain",
            L(vec![plain(NC, &permit(email(b"exa mple.com")))]),
        ),
        (
            "nc-email-bad-mailbox-domain",
            L(vec![plain(NC, &permit(email(b"user@a..b")))]),
        ),
        (
            "nc-email-two-at",
            L(vec![plain(NC, &permit(email(b"a@b@c")))]),
        ),
        (
            "nc-email-non-ascii",
            L(vec![plain(NC, &permit(email(b"\xc3\xa4@example.com")))]),
        ),
        (
            "nc-uri-domain",
            L(vec![plain(NC, &permit(uri(b".example.com")))]),
        ),
        ("nc-uri-ip", L(vec![plain(NC, &permit(uri(b"10.0.0.1")))])),
        ("nc-uri-ipv6", L(vec![plain(NC, &permit(uri(b"::1")))])),
        ("nc-uri-bad", L(vec![plain(NC, &permit(uri(b"a..b")))])),
        (
            "nc-uri-two-leading-dots",
            L(vec![plain(NC, &permit(uri(b"..example.com")))]),
        ),
        (
            "nc-uri-non-ascii",
            L(vec![plain(NC, &permit(uri(b"\x80")))]),
        ),
        ("nc-dirname", L(vec![critical(NC, &permit(dirname()))])),
        (
            "nc-registered-id",
            L(vec![plain(NC, &permit(ctx(8, b"\x2a\x03", false)))]),
        ),
        (
            "nc-general-name-truncated",
            L(vec![plain(
                NC,
                &seq(&[&ctx(0, &seq(&[b"\x82\x05ab"]), true)]),
            )]),
        ),
        // subject alternative names
        (
            "san-valid",
            L(vec![plain(
                SAN,
                &seq(&[
                    &dns(b"a.example"),
                    &email(b"a@example"),
                    &uri(b"https://a.example/x"),
                    &ip(&[0; 4]),
                ]),
            )]),
        ),
        (
            "san-empty-sequence-critical",
            L(vec![critical(SAN, &seq(&[]))]),
        ),
        (
            "san-trailing-data",
            L(vec![plain(SAN, &[seq(&[&dns(b"a")]), vec![5, 0]].concat())]),
        ),
        ("san-not-sequence", L(vec![plain(SAN, &octet(b"x"))])),
        (
            "san-truncated-name",
            L(vec![plain(SAN, &seq(&[b"\x82\x05ab"]))]),
        ),
        ("san-dns-space", L(vec![plain(SAN, &seq(&[&dns(b"a b")]))])),
        (
            "san-dns-non-ascii",
            L(vec![plain(SAN, &seq(&[&dns(b"\xc3\xa4")]))]),
        ),
        (
            "san-email-non-ascii",
            L(vec![plain(SAN, &seq(&[&email(b"\xc3\xa4")]))]),
        ),
        (
            "san-email-garbage",
            L(vec![plain(SAN, &seq(&[&email(b"not an email")]))]),
        ),
        ("san-ip-5", L(vec![plain(SAN, &seq(&[&ip(&[0; 5])]))])),
        ("san-ip-0", L(vec![plain(SAN, &seq(&[&ip(b"")]))])),
        (
            "san-ip-v4-mapped",
            L(vec![plain(SAN, &seq(&[&ip(&ip_v4_mapped)]))]),
        ),
        ("san-dirname", L(vec![plain(SAN, &seq(&[&dirname()]))])),
        (
            "san-uri-non-ascii",
            L(vec![plain(SAN, &seq(&[&uri(b"http://\xc3\xa4/")]))]),
        ),
    ];
    for (name, u) in [
        ("san-uri-space-host", "http://a b/"),
        ("san-uri-space-path", "http://a/b c"),
        ("san-uri-dotdot-host", "http://a..b/"),
        ("san-uri-leading-dot-host", "http://.example.com/"),
        ("san-uri-trailing-dot-host", "http://example.com./"),
        ("san-uri-bad-escape", "http://a/%zz"),
        ("san-uri-short-escape", "http://a/%4"),
        ("san-uri-host-escape", "http://%41/"),
        ("san-uri-host-escape-high", "http://%c3%a4/"),
        ("san-uri-unclosed-bracket", "http://[::1/"),
        ("san-uri-ipv6", "http://[::1]:80/"),
        ("san-uri-ipv6-zone", "http://[fe80::1%25en0]/"),
        ("san-uri-ipv6-bad-zone", "http://[fe80::1%25%0A]/"),
        ("san-uri-bracket-bad-port", "http://[::1]x/"),
        ("san-uri-bad-port", "http://a:b/"),
        ("san-uri-empty-port", "http://a:/"),
        ("san-uri-control", "http://a/\x01"),
        ("san-uri-del", "http://a/\x7f"),
        ("san-uri-missing-scheme", ":foo"),
        ("san-uri-colon-first-segment", "1a:b"),
        ("san-uri-relative", "foo/bar"),
        ("san-uri-empty", ""),
        ("san-uri-star", "*"),
        ("san-uri-opaque", "urn:a b"),
        ("san-uri-bad-userinfo", "http://a b@host/"),
        ("san-uri-userinfo-bad-escape", "http://a%zz@host/"),
        ("san-uri-fragment-bad-escape", "http://a/#%zz"),
        ("san-uri-query-bad-escape", "http://a/?%zz"),
        ("san-uri-host-invalid-char", "http://a{b}/"),
        ("san-uri-host-lt", "http://a<b/"),
        ("san-uri-no-host", "http:///path"),
        ("san-uri-host-port-dotdot", "http://a..b:80/"),
        ("san-uri-quote", "http://a\"b/"),
        ("san-uri-backslash", "http://a\\b/"),
    ] {
        cases.push((name, L(san_uri(u))));
    }
    let policy = |oid_der: Vec<u8>| seq(&[&seq(&[&oid_der])]);
    let uri_c = uri(b"http://crl.example/c.crl");
    cases.extend([
        // certificate policies
        (
            "pol-valid",
            L(vec![plain(POL, &policy(oid("2.5.29.32.0")))]),
        ),
        (
            "pol-with-qualifiers",
            L(vec![plain(
                POL,
                &seq(&[&seq(&[
                    &oid("1.2.3"),
                    &seq(&[&seq(&[
                        &oid("1.3.6.1.5.5.7.2.1"),
                        &tlv(0x16, b"http://cps"),
                    ])]),
                ])]),
            )]),
        ),
        ("pol-empty", L(vec![plain(POL, &seq(&[]))])),
        ("pol-not-sequence", L(vec![plain(POL, &octet(b"x"))])),
        (
            "pol-info-not-sequence",
            L(vec![plain(POL, &seq(&[&oid("1.2.3")]))]),
        ),
        (
            "pol-info-no-oid",
            L(vec![plain(POL, &seq(&[&seq(&[&small(1)])]))]),
        ),
        (
            "pol-oid-non-minimal",
            L(vec![plain(POL, &policy(tlv(6, b"\x2a\x80\x01")))]),
        ),
        ("pol-oid-empty", L(vec![plain(POL, &policy(tlv(6, b"")))])),
        (
            "pol-oid-unterminated",
            L(vec![plain(POL, &policy(tlv(6, b"\x2a\x83")))]),
        ),
        (
            "pol-oid-huge-component",
            L(vec![plain(POL, &policy(oid("1.2.99999999999999999999")))]),
        ),
        (
            "pol-duplicate",
            L(vec![plain(
                POL,
                &seq(&[&seq(&[&oid("1.2.3")]), &seq(&[&oid("1.2.3")])]),
            )]),
        ),
        (
            "pol-trailing-data",
            L(vec![plain(
                POL,
                &[policy(oid("1.2.3")), vec![5, 0]].concat(),
            )]),
        ),
        // authority information access
        (
            "aia-valid",
            L(vec![plain(AIA, &aia(&ocsp(&uri(b"http://ocsp.example"))))]),
        ),
        (
            "aia-critical",
            L(vec![critical(
                AIA,
                &aia(&ocsp(&uri(b"http://ocsp.example"))),
            )]),
        ),
        (
            "aia-critical-false",
            L(vec![ext(AIA, &aia(&ocsp(&uri(b"http://o"))), Some(false))]),
        ),
        (
            "aia-critical-malformed",
            L(vec![critical(AIA, &octet(b"x"))]),
        ),
        ("aia-not-sequence", L(vec![plain(AIA, &octet(b"x"))])),
        (
            "aia-entry-not-sequence",
            L(vec![plain(AIA, &seq(&[&oid(OCSP)]))]),
        ),
        (
            "aia-entry-no-oid",
            L(vec![plain(AIA, &aia(&seq(&[&uri(b"http://x")])))]),
        ),
        (
            "aia-entry-bad-oid",
            L(vec![plain(
                AIA,
                &aia(&seq(&[&tlv(6, b"\x2b\x80\x01"), &uri(b"http://x")])),
            )]),
        ),
        (
            "aia-entry-dirname",
            L(vec![plain(AIA, &aia(&ocsp(&dirname())))]),
        ),
        (
            "aia-entry-uri-truncated",
            L(vec![plain(AIA, &aia(&ocsp(b"\x86\x05ab")))]),
        ),
        (
            "aia-entry-only-oid",
            L(vec![plain(AIA, &aia(&seq(&[&oid(OCSP)])))]),
        ),
        (
            "aia-uri-garbage",
            L(vec![plain(AIA, &aia(&ocsp(&uri(b"http://a b/%zz"))))]),
        ),
        // CRL distribution points
        ("crl-valid", L(vec![plain(CRL, &crl(full_name(&uri_c)))])),
        (
            "crl-relative-name",
            L(vec![plain(
                CRL,
                &crl(ctx(
                    0,
                    &ctx(1, &seq(&[&oid("2.5.4.3"), &tlv(0x0c, b"x")]), true),
                    true,
                )),
            )]),
        ),
        ("crl-not-sequence", L(vec![plain(CRL, &octet(b"x"))])),
        (
            "crl-point-not-sequence",
            L(vec![plain(CRL, &seq(&[&ctx(0, b"", true)]))]),
        ),
        (
            "crl-no-name",
            L(vec![plain(CRL, &crl(ctx(2, &dirname(), true)))]),
        ),
        (
            "crl-fullname-dirname",
            L(vec![plain(CRL, &crl(full_name(&dirname())))]),
        ),
        (
            "crl-fullname-uri-after-dirname",
            L(vec![plain(
                CRL,
                &crl(full_name(&[dirname(), uri_c.clone()].concat())),
            )]),
        ),
        (
            "crl-fullname-empty",
            L(vec![plain(CRL, &crl(full_name(b"")))]),
        ),
        (
            "crl-name-empty",
            L(vec![plain(CRL, &crl(ctx(0, b"", true)))]),
        ),
        (
            "crl-truncated-uri",
            L(vec![plain(CRL, &crl(full_name(b"\x86\x05ab")))]),
        ),
        (
            "crl-primitive-name",
            L(vec![plain(CRL, &crl(ctx(0, b"x", false)))]),
        ),
        (
            "crl-critical",
            L(vec![critical(CRL, &crl(full_name(&uri_c)))]),
        ),
        // extended key usage, key usage, basic constraints
        (
            "eku-valid",
            L(vec![plain(
                EKU,
                &seq(&[&oid("1.3.6.1.5.5.7.3.1"), &oid("1.2.3")]),
            )]),
        ),
        ("eku-not-sequence", L(vec![plain(EKU, &octet(b"x"))])),
        ("eku-not-oid", L(vec![plain(EKU, &seq(&[&small(1)]))])),
        (
            "eku-oid-32-bit-component",
            L(vec![plain(EKU, &seq(&[&oid("1.2.4294967296")]))]),
        ),
        ("ku-valid", L(vec![critical(KU, &tlv(3, b"\x05\xa0"))])),
        ("ku-bad-padding", L(vec![plain(KU, &tlv(3, b"\x05\xa1"))])),
        ("ku-not-bit-string", L(vec![plain(KU, &octet(b"\xa0"))])),
        (
            "bc-pathlen-negative",
            L(vec![critical(BC, &seq(&[&boolean(true), &small(-1)]))]),
        ),
        (
            "bc-pathlen-huge",
            L(vec![critical(BC, &seq(&[&boolean(true), &small(1 << 63)]))]),
        ),
        (
            "bc-bad-boolean",
            L(vec![critical(BC, &seq(&[&tlv(1, b"\x01")]))]),
        ),
        ("bc-not-sequence", L(vec![plain(BC, &octet(b"x"))])),
        (
            "bc-integer-non-minimal",
            L(vec![plain(BC, &seq(&[&tlv(2, b"\x00\x01")]))]),
        ),
        // key identifiers
        (
            "skid-critical",
            L(vec![critical(SKID, &octet(b"\x01\x02"))]),
        ),
        ("skid-not-octet", L(vec![plain(SKID, &seq(&[]))])),
        (
            "akid-critical",
            L(vec![critical(AKID, &seq(&[&ctx(0, b"\x01\x02", false)]))]),
        ),
        ("akid-not-sequence", L(vec![plain(AKID, &octet(b"x"))])),
        (
            "akid-truncated-id",
            L(vec![plain(AKID, &seq(&[b"\x80\x05ab"]))]),
        ),
        // parsed from Go 1.24 only
        (
            "polcons-valid",
            L(vec![critical(
                "2.5.29.36",
                &seq(&[&ctx(0, b"\x01", false)]),
            )]),
        ),
        (
            "polcons-malformed",
            L(vec![critical("2.5.29.36", &octet(b"x"))]),
        ),
        (
            "polcons-bad-int",
            L(vec![critical("2.5.29.36", &seq(&[&ctx(0, b"", false)]))]),
        ),
        (
            "polmap-malformed",
            L(vec![plain("2.5.29.33", &octet(b"x"))]),
        ),
        (
            "inhibit-malformed",
            L(vec![plain("2.5.29.54", &octet(b"x"))]),
        ),
        // unknown and duplicate extensions
        (
            "unknown-critical",
            L(vec![critical("1.2.3.4", b"\x05\x00")]),
        ),
        (
            "unknown-critical-garbage",
            L(vec![critical("1.2.3.4", b"\xff\xff")]),
        ),
        (
            "duplicate-bc",
            L(vec![critical(BC, &seq(&[])), critical(BC, &seq(&[]))]),
        ),
        (
            "duplicate-after-malformed",
            L(vec![
                plain(SKID, &octet(b"\x01")),
                plain(KU, &octet(b"x")),
                plain(SKID, &octet(b"\x01")),
            ]),
        ),
        (
            "extension-oid-32-bit-component",
            L(vec![plain("1.2.4294967296", b"")]),
        ),
    ]);
    cases
}

/// The cases whose outcome differs between kubectl releases (plus two that do not).
const RELEASE_CASES: &[&str] = &[
    "baseline",
    "nc-dns-two-leading-dots",
    "nc-uri-two-leading-dots",
    "san-uri-leading-dot-host",
    "san-uri-space-host",
    "pol-duplicate",
    "aia-critical",
    "aia-critical-malformed",
    "skid-critical",
    "akid-critical",
    "polcons-malformed",
    "polmap-malformed",
    "inhibit-malformed",
    "duplicate-bc",
];

// --- RSA keys -------------------------------------------------------------------------------

/// The PKCS#1 fields of rsa2048.key: version, n, e, d, p, q, dP, dQ, qInv.
fn rsa_fields() -> Vec<BigInt> {
    elements(&contents(&fixture_der("rsa2048.key")))
        .iter()
        .map(|f| Reader::new(f).integer().unwrap())
        .collect()
}

fn pkcs1(fields: &[BigInt]) -> Vec<u8> {
    let ints: Vec<Vec<u8>> = fields.iter().map(int).collect();
    tlv(0x30, &ints.concat())
}

/// Keys for rsa2048.crt with edited CRT values / d: (name, PKCS#1 DER).
fn rsa_cases() -> Vec<(&'static str, Vec<u8>)> {
    let f = rsa_fields();
    let edit = |i: usize, v: BigInt| {
        let mut g = f.clone();
        g[i] = v;
        pkcs1(&g)
    };
    let two = BigInt::from(2);
    let one = BigInt::from(1);
    let phi = (&f[4] - &one) * (&f[5] - &one);
    vec![
        ("rsa-consistent", pkcs1(&f)),
        ("rsa-wrong-dp", edit(6, &f[6] + &two)),
        ("rsa-wrong-dq", edit(7, &f[7] + &two)),
        ("rsa-wrong-qinv", edit(8, &f[8] + &one)),
        ("rsa-unreduced-qinv", edit(8, &f[8] + &f[4])),
        ("rsa-zero-dp", edit(6, BigInt::from(0))),
        ("rsa-wrong-d", edit(3, &f[3] + &two)),
        ("rsa-no-crt-values", pkcs1(&f[..6])),
        (
            "rsa-d-plus-phi-no-crt",
            pkcs1(&[&f[..3], &[&f[3] + &phi], &f[4..6]].concat()),
        ),
    ]
}

// --- running --------------------------------------------------------------------------------

struct Case {
    name: String,
    cert: Vec<u8>,
    key: Vec<u8>,
}

fn all_cases() -> Vec<Case> {
    let key = std::fs::read(testdata().join("tls/rsa2048.key")).unwrap();
    let mut cases: Vec<Case> = extension_cases()
        .into_iter()
        .map(|(name, extensions)| Case {
            name: name.to_string(),
            cert: pem("CERTIFICATE", &cert_with(extensions, false)),
            key: key.clone(),
        })
        .collect();
    cases.push(Case {
        name: "signature-corrupted".into(),
        cert: pem(
            "CERTIFICATE",
            &cert_with(Extensions::List(vec![critical(BC, &seq(&[]))]), true),
        ),
        key: key.clone(),
    });
    cases.push(Case {
        name: "negative-serial".into(),
        cert: std::fs::read(testdata().join("tls/negative-serial.crt")).unwrap(),
        key: key.clone(),
    });
    let cert = std::fs::read(testdata().join("tls/rsa2048.crt")).unwrap();
    for (name, der) in rsa_cases() {
        cases.push(Case {
            name: name.into(),
            cert: cert.clone(),
            key: pem("RSA PRIVATE KEY", &der),
        });
    }
    cases
}

/// kubectl's outcome: `Ok(stdout)` or `Err(first stderr line without "error: ")`.
fn kubectl_outcome(binary: &Path, dir: &Path, godebug: Option<&str>) -> Result<Vec<u8>, String> {
    let args: Vec<Vec<u8>> = ["tls", "t", "--cert=c.pem", "--key=k.pem"]
        .iter()
        .map(|a| a.as_bytes().to_vec())
        .collect();
    let env: Vec<(&str, &[u8])> = godebug
        .map(|g| ("GODEBUG", g.as_bytes()))
        .into_iter()
        .collect();
    let out = run_kubectl(binary, &args, dir, &env);
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = show(&out.stderr);
    let line = stderr.lines().next().unwrap_or_default();
    Err(line.strip_prefix("error: ").unwrap_or(line).to_string())
}

fn write_case(case: &Case) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.pem"), &case.cert).unwrap();
    std::fs::write(dir.path().join("k.pem"), &case.key).unwrap();
    dir
}

/// Runs `job` over `items` on a few threads (kubectl runs dominate; the machine has 2 cores).
fn parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let result = job(item);
                    results.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn kubectl_tls_broken_extensions_and_rsa_keys_are_decided_like_kubectl() {
    let Some(k) = kubectl() else { return };
    let cases = all_cases();
    assert!(cases.len() > 150, "{}", cases.len());
    let refused = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<String> = parallel(&cases, |case| {
        let dir = write_case(case);
        let theirs = kubectl_outcome(k, dir.path(), None);
        if theirs.is_err() {
            refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        let args: Vec<Vec<u8>> = ["tls", "t", "--cert=c.pem", "--key=k.pem"]
            .iter()
            .map(|a| a.as_bytes().to_vec())
            .collect();
        let mut exact = args.clone();
        exact.push(b"--validate=false".to_vec());
        let ours = run_pachsecret(&exact, dir.path(), &[]);
        let checked = run_pachsecret(&args, dir.path(), &[]);
        let mut problems = Vec::new();
        match &theirs {
            Ok(stdout) => {
                if !ours.status.success() || ours.stdout != *stdout {
                    problems.push(format!(
                        "kubectl accepts, pachsecret --validate=false: {}",
                        show(&ours.stderr)
                    ));
                }
                if checked.status.success() && checked.stdout != *stdout {
                    problems.push("checked output differs".to_string());
                }
            }
            Err(message) => {
                let expected = format!("error: {message}");
                if ours.status.success() || !show(&ours.stderr).starts_with(&expected) {
                    problems.push(format!(
                        "kubectl says {expected:?}, pachsecret --validate=false: rc {:?} {:?}",
                        ours.status.code(),
                        show(&ours.stderr)
                    ));
                }
                if checked.status.success() {
                    problems.push("the default checks accept what kubectl refuses".to_string());
                }
            }
        }
        problems
            .into_iter()
            .map(|p| format!("{}: {p}", case.name))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let refused = refused.into_inner();
    assert!(
        refused >= 60 && cases.len() - refused >= 60,
        "a vacuous comparison: kubectl refused {refused} of {}",
        cases.len()
    );
}

/// `kubectl.1.MINOR` beside the reference binary, if installed.
fn release_binary(minor: u32) -> Option<PathBuf> {
    let reference = kubectl()?;
    let candidate = reference.parent()?.join(format!("kubectl.1.{minor}"));
    candidate.is_file().then_some(candidate)
}

#[test]
fn kubectl_releases_27_to_33_match_go_x509_rules_per_release() {
    if kubectl().is_none() {
        return;
    }
    let cases: Vec<Case> = all_cases()
        .into_iter()
        .filter(|c| {
            RELEASE_CASES.contains(&c.name.as_str())
                || c.name.starts_with("rsa-")
                || c.name == "negative-serial"
        })
        .collect();
    let mut jobs = Vec::new();
    for minor in 27..=33 {
        let Some(binary) = release_binary(minor) else {
            eprintln!(
                "SKIPPED: kubectl.1.{minor} not installed; its release rules were not compared"
            );
            continue;
        };
        for godebug in [
            None,
            Some("x509negativeserial=1"),
            Some("x509negativeserial=0,x509rsacrt=0"),
        ] {
            for case in &cases {
                let relevant = godebug.is_none()
                    || case.name == "negative-serial"
                    || (case.name.starts_with("rsa-")
                        && godebug.is_some_and(|g| g.contains("rsacrt")));
                if relevant {
                    jobs.push((minor, binary.clone(), godebug, case));
                }
            }
        }
    }
    assert!(jobs.is_empty() || jobs.len() >= 40, "{} jobs", jobs.len());
    eprintln!("comparing {} (release, GODEBUG, case) runs", jobs.len());
    let failures: Vec<String> = parallel(&jobs, |(minor, binary, godebug, case)| {
        let dir = write_case(case);
        let theirs = kubectl_outcome(binary, dir.path(), *godebug).map(|_| ());
        let rules = GoX509Rules::for_kubectl(*minor, *godebug).unwrap();
        let ours = x509_key_pair_with(&case.cert, &case.key, &rules)
            .map(|_| ())
            .map_err(|f| f.go_message());
        (theirs != ours).then(|| {
            format!(
                "kubectl.1.{minor} GODEBUG={godebug:?} {}: kubectl {theirs:?}, rules {ours:?}",
                case.name
            )
        })
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// kubectl 1.32 accepts an RSA key whose CRT values disagree with its primes; the default
/// checks refuse it with the command that shows the damage, and `--validate=false` still
/// gives kubectl's output.
#[test]
fn an_rsa_key_with_wrong_crt_values_is_refused_by_the_default_checks() {
    let cert = std::fs::read(testdata().join("tls/rsa2048.crt")).unwrap();
    for (name, der) in rsa_cases() {
        let wrong_crt = matches!(
            name,
            "rsa-wrong-dp"
                | "rsa-wrong-dq"
                | "rsa-wrong-qinv"
                | "rsa-unreduced-qinv"
                | "rsa-zero-dp"
        );
        let case = Case {
            name: name.into(),
            cert: cert.clone(),
            key: pem("RSA PRIVATE KEY", &der),
        };
        let dir = write_case(&case);
        let args: Vec<Vec<u8>> = ["tls", "t", "--cert=c.pem", "--key=k.pem"]
            .iter()
            .map(|a| a.as_bytes().to_vec())
            .collect();
        let checked = run_pachsecret(&args, dir.path(), &[]);
        let stderr = show(&checked.stderr);
        if wrong_crt {
            assert_eq!(checked.status.code(), Some(1), "{name}: {stderr}");
            assert!(checked.stdout.is_empty(), "{name}");
            assert!(
                stderr.contains("is corrupt: its CRT value"),
                "{name}: {stderr}"
            );
            assert!(
                stderr.contains("openssl rsa -check -in k.pem -noout"),
                "{name}: {stderr}"
            );
            let mut exact = args.clone();
            exact.push(b"--validate=false".to_vec());
            let ours = run_pachsecret(&exact, dir.path(), &[]);
            assert!(ours.status.success(), "{name}: kubectl 1.32 accepts it");
        } else {
            assert!(!stderr.contains("CRT value"), "{name}: {stderr}");
        }
    }
}
