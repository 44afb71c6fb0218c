//! `pachsecret tls` against the reference kubectl: every fixture pair and many mutations.
//!
//! For each case both programs run on the same files. Where kubectl succeeds, pachsecret with
//! `--validate=false` must print the same bytes; where kubectl fails, pachsecret must fail with
//! an empty stdout. With the default checks, a kubectl-accepted case is either accepted with
//! the same bytes or refused (exit 1) with one of our findings on stderr.

use std::path::Path;

use crate::util::rng::Rng;
use crate::util::{kubectl, run_kubectl, run_pachsecret, show, show_args, testdata};

const CERTS: &[&str] = &[
    "rsa2048.crt",
    "rsa1024.crt",
    "p224.crt",
    "p256.crt",
    "p384.crt",
    "p521.crt",
    "ed25519.crt",
    "secp256k1.crt",
    "negative-serial.crt",
    "expired.crt",
    "chain.crt",
    "chain-misordered.crt",
    "chain-leaf-second.crt",
    "chain-broken.crt",
    "rsa2048.crt.der",
    "rsa2048.csr",
    "empty",
];

const KEYS: &[&str] = &[
    "rsa2048.key",
    "rsa2048.pk8.key",
    "rsa1024.pk8.key",
    "p224.key",
    "p256.key",
    "p256.pk8.key",
    "p256.params.key",
    "p384.key",
    "p521.pk8.key",
    "ed25519.key",
    "chain-leaf.key",
    "secp256k1.key",
    "rsa2048.enc.pk8.key",
    "rsa2048.enc.legacy.key",
    "x25519.key",
    "ed448.key",
    "rsa2048.pub",
    "rsa2048.key.der",
];

/// Pairs that kubectl accepts, used as the base of the mutations.
const GOOD_PAIRS: &[(&str, &str)] = &[
    ("rsa2048.crt", "rsa2048.key"),
    ("rsa2048.crt", "rsa2048.pk8.key"),
    ("p256.crt", "p256.params.key"),
    ("p384.crt", "p384.key"),
    ("p521.crt", "p521.key"),
    ("ed25519.crt", "ed25519.key"),
    ("chain.crt", "chain-leaf.key"),
    ("p224.crt", "p224.pk8.key"),
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(testdata().join("tls").join(name)).expect("fixture exists")
}

struct Case {
    label: String,
    cert: Vec<u8>,
    key: Vec<u8>,
    name: &'static str,
    extra: Vec<&'static str>,
}

/// Runs one case through both programs and checks the contract; true when kubectl accepted.
fn compare(kubectl: &Path, case: &Case) -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.pem"), &case.cert).unwrap();
    std::fs::write(dir.path().join("k.pem"), &case.key).unwrap();
    let mut args: Vec<Vec<u8>> = vec![
        b"tls".to_vec(),
        case.name.as_bytes().to_vec(),
        b"--cert=c.pem".to_vec(),
        b"--key=k.pem".to_vec(),
    ];
    args.extend(case.extra.iter().map(|a| a.as_bytes().to_vec()));
    let theirs = run_kubectl(kubectl, &args, dir.path(), &[]);

    let mut exact = args.clone();
    exact.push(b"--validate=false".to_vec());
    let ours = run_pachsecret(&exact, dir.path(), &[]);
    let what = format!("{} ({})", case.label, show_args(&args));
    if theirs.status.success() {
        assert!(
            ours.status.success(),
            "{what}: kubectl accepts, pachsecret --validate=false refuses: {}",
            show(&ours.stderr)
        );
        assert_eq!(
            show(&ours.stdout),
            show(&theirs.stdout),
            "{what}: output differs"
        );
    } else {
        assert!(
            !ours.status.success() && ours.stdout.is_empty(),
            "{what}: kubectl refuses ({}), pachsecret accepts",
            show(&theirs.stderr)
        );
        // kubectl's core message is kept as ours.
        let theirs_message = show(&theirs.stderr);
        let first_line = theirs_message.lines().next().unwrap_or_default();
        if first_line.starts_with("error: tls:") || first_line.starts_with("error: x509:") {
            assert!(
                show(&ours.stderr).starts_with(first_line),
                "{what}: kubectl says {first_line:?}, pachsecret says {:?}",
                show(&ours.stderr)
            );
        }
    }

    let checked = run_pachsecret(&args, dir.path(), &[]);
    if checked.status.success() {
        assert!(
            theirs.status.success(),
            "{what}: default checks accept what kubectl refuses"
        );
        assert_eq!(
            show(&checked.stdout),
            show(&theirs.stdout),
            "{what}: checked output differs"
        );
    } else {
        assert_eq!(
            checked.status.code(),
            Some(1),
            "{what}: {}",
            show(&checked.stderr)
        );
        assert!(checked.stdout.is_empty(), "{what}");
        assert!(show(&checked.stderr).contains("error: "), "{what}");
    }
    theirs.status.success()
}

/// Guards against a vacuous comparison: both outcomes must have occurred.
fn assert_both_outcomes(accepted: usize, total: usize, at_least: usize) {
    assert!(
        accepted >= at_least && total - accepted >= at_least,
        "expected at least {at_least} accepted and {at_least} refused cases, got {accepted} of {total}"
    );
}

#[test]
fn kubectl_tls_every_fixture_pair_is_decided_like_kubectl() {
    let Some(k) = kubectl() else { return };
    let (mut accepted, mut total) = (0, 0);
    for cert in CERTS {
        for key in KEYS {
            total += 1;
            accepted += usize::from(compare(
                k,
                &Case {
                    label: format!("{cert} + {key}"),
                    cert: fixture(cert),
                    key: fixture(key),
                    name: "t",
                    extra: vec![],
                },
            ));
        }
    }
    assert_both_outcomes(accepted, total, 10);
}

fn crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn replace_first(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    match data.windows(from.len()).position(|w| w == from) {
        Some(i) => [&data[..i], to, &data[i + from.len()..]].concat(),
        None => data.to_vec(),
    }
}

fn replace_all(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The label of the first BEGIN line, e.g. `RSA PRIVATE KEY`.
fn first_label(data: &[u8]) -> Vec<u8> {
    let start = data
        .windows(11)
        .position(|w| w == b"-----BEGIN ")
        .map_or(0, |i| i + 11);
    let end = data[start..]
        .windows(5)
        .position(|w| w == b"-----")
        .map_or(start, |i| start + i);
    data[start..end].to_vec()
}

fn relabel(data: &[u8], to: &[u8]) -> Vec<u8> {
    let from = first_label(data);
    let begin = [b"-----BEGIN ", &from[..], b"-----"].concat();
    let end = [b"-----END ", &from[..], b"-----"].concat();
    let data = replace_first(data, &begin, &[b"-----BEGIN ", to, b"-----"].concat());
    replace_first(&data, &end, &[b"-----END ", to, b"-----"].concat())
}

/// One mutation of a good pair: (label, cert, key).
fn mutate(rng: &mut Rng, which: usize, cert: &[u8], key: &[u8]) -> (String, Vec<u8>, Vec<u8>) {
    let other_key = fixture(["p256.key", "rsa2048.key", "ed25519.key"][rng.below(3)]);
    let other_cert = fixture(["p256.crt", "rsa2048.crt", "ed25519.crt"][rng.below(3)]);
    let body_line = |data: &[u8]| {
        // Offset of the second line (the first body line).
        data.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1)
    };
    match which {
        0 => ("swapped".into(), key.to_vec(), cert.to_vec()),
        1 => ("crlf".into(), crlf(cert), crlf(key)),
        2 => (
            "leading text".into(),
            [b"subject=CN = x\nissuer=CN = y\n", cert].concat(),
            [b"Bag Attributes\n    localKeyID: 01 02\n", key].concat(),
        ),
        3 => (
            "trailing garbage".into(),
            [cert, b"garbage \x00\xff\n-----END"].concat(),
            [key, b"\n\n# comment\n"].concat(),
        ),
        4 => (
            "combined files".into(),
            [key, cert].concat(),
            [cert, key].concat(),
        ),
        5 => (
            "key relabelled FOO".into(),
            cert.to_vec(),
            relabel(key, b"FOO PRIVATE KEY"),
        ),
        6 => (
            "key relabelled XPRIVATE".into(),
            cert.to_vec(),
            relabel(key, b"XPRIVATE KEY"),
        ),
        7 => (
            "cert relabelled TRUSTED".into(),
            relabel(cert, b"TRUSTED CERTIFICATE"),
            key.to_vec(),
        ),
        8 => (
            "indented BEGIN".into(),
            replace_first(cert, b"-----BEGIN", b" -----BEGIN"),
            key.to_vec(),
        ),
        9 => {
            let at = body_line(cert) + rng.below(40);
            let mut bad = cert.to_vec();
            bad[at] = b'!';
            ("bad base64".into(), bad, key.to_vec())
        }
        10 => (
            "END label mismatch".into(),
            replace_first(cert, b"-----END CERTIFICATE", b"-----END CERTIFICATES"),
            key.to_vec(),
        ),
        11 => (
            "headers in blocks".into(),
            replace_first(cert, b"-----\n", b"-----\nComment: hello\n\n"),
            replace_first(key, b"-----\n", b"-----\nProc-Type: 4,ENCRYPTED\n\n"),
        ),
        12 => (
            "non-matching key first".into(),
            cert.to_vec(),
            [&other_key[..], key].concat(),
        ),
        13 => (
            "matching key first".into(),
            cert.to_vec(),
            [key, &other_key[..]].concat(),
        ),
        14 => (
            "unrelated leaf first".into(),
            [&other_cert[..], cert].concat(),
            key.to_vec(),
        ),
        15 => {
            let at = body_line(cert);
            let line_end = at + cert[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
            (
                "body line removed".into(),
                [&cert[..at], &cert[line_end..]].concat(),
                key.to_vec(),
            )
        }
        16 => (
            "blanks at line ends and in the body".into(),
            replace_all(cert, b"\n", b" \t\n"),
            replace_all(key, b"\n", b"\t\n"),
        ),
        17 => (
            "no final newline".into(),
            cert.strip_suffix(b"\n").unwrap_or(cert).to_vec(),
            key.strip_suffix(b"\n").unwrap_or(key).to_vec(),
        ),
        18 => (
            "END line with trailing text".into(),
            replace_first(
                cert,
                b"-----END CERTIFICATE-----",
                b"-----END CERTIFICATE----- x",
            ),
            key.to_vec(),
        ),
        19 => (
            "EC PARAMETERS in the cert file".into(),
            [
                &b"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                    [..],
                cert,
            ]
            .concat(),
            key.to_vec(),
        ),
        20 => (
            "empty key block first".into(),
            cert.to_vec(),
            [
                &b"-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"[..],
                key,
            ]
            .concat(),
        ),
        _ => (
            "headers but END directly after".into(),
            cert.to_vec(),
            replace_first(key, b"-----\n", b"-----\nA: b\n"),
        ),
    }
}

const MUTATIONS: usize = 22;

#[test]
fn kubectl_tls_mutated_inputs_are_decided_like_kubectl() {
    let Some(k) = kubectl() else { return };
    let mut rng = Rng::new(0x5eed_7153_u64);
    let (mut accepted, mut total) = (0, 0);
    for which in 0..MUTATIONS {
        for _ in 0..5 {
            let (cert_name, key_name) = GOOD_PAIRS[rng.below(GOOD_PAIRS.len())];
            let (label, cert, key) =
                mutate(&mut rng, which, &fixture(cert_name), &fixture(key_name));
            total += 1;
            accepted += usize::from(compare(
                k,
                &Case {
                    label: format!("{label} of {cert_name} + {key_name}"),
                    cert,
                    key,
                    name: "t",
                    extra: vec![],
                },
            ));
        }
    }
    assert_both_outcomes(accepted, total, 20);
}

/// Random byte-level edits (replace, insert, delete, duplicate a line) anywhere in the files:
/// the PEM scanner and the DER parsers must agree with Go on whatever comes out.
fn random_edits(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8] = b"-= \t\r\nABCQZaz09+/:!";
    let mut data = data.to_vec();
    for _ in 0..1 + rng.below(3) {
        if data.is_empty() {
            break;
        }
        let at = rng.below(data.len());
        let byte = ALPHABET[rng.below(ALPHABET.len())];
        match rng.below(4) {
            0 => data[at] = byte,
            1 => data.insert(at, byte),
            2 => {
                data.remove(at);
            }
            _ => {
                let start = data[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = data[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(data.len(), |i| at + i + 1);
                let line = data[start..end].to_vec();
                data.splice(start..start, line);
            }
        }
    }
    data
}

#[test]
fn kubectl_tls_randomly_edited_inputs_are_decided_like_kubectl() {
    let Some(k) = kubectl() else { return };
    let mut rng = Rng::new(0xdecaf_c0ffee_u64);
    let (mut accepted, mut total) = (0, 0);
    for _ in 0..100 {
        let (cert_name, key_name) = GOOD_PAIRS[rng.below(GOOD_PAIRS.len())];
        let (cert, key) = (fixture(cert_name), fixture(key_name));
        let (cert, key) = match rng.below(3) {
            0 => (random_edits(&mut rng, &cert), key),
            1 => (cert, random_edits(&mut rng, &key)),
            _ => (random_edits(&mut rng, &cert), random_edits(&mut rng, &key)),
        };
        total += 1;
        accepted += usize::from(compare(
            k,
            &Case {
                label: format!("random edits of {cert_name} + {key_name}"),
                cert,
                key,
                name: "t",
                extra: vec![],
            },
        ));
    }
    assert_both_outcomes(accepted, total, 10);
}

#[test]
fn kubectl_tls_append_hash_empty_name_and_namespace_match() {
    let Some(k) = kubectl() else { return };
    for (cert, key) in GOOD_PAIRS {
        for (name, extra) in [
            ("t", vec!["--append-hash"]),
            ("", vec![]),
            ("", vec!["--append-hash"]),
            ("web", vec!["-n", "prod", "--save-config"]),
        ] {
            let accepted = compare(
                k,
                &Case {
                    label: format!("{cert} + {key} {name:?} {extra:?}"),
                    cert: fixture(cert),
                    key: fixture(key),
                    name,
                    extra,
                },
            );
            assert!(accepted, "kubectl refused {cert} + {key}");
        }
    }
}

/// Applies `edit` to the DER inside the first PEM block of `pem` and re-encodes it.
fn rewrite_der(pem: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    let begin = pem.windows(11).position(|w| w == b"-----BEGIN ").unwrap();
    let body_start = begin + pem[begin..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let body_end = body_start
        + pem[body_start..]
            .windows(9)
            .position(|w| w == b"-----END ")
            .unwrap();
    let text: Vec<u8> = pem[body_start..body_end]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let mut der = STANDARD.decode(text).unwrap();
    edit(&mut der);
    let encoded = STANDARD.encode(&der);
    let mut out = pem[..body_start].to_vec();
    for line in encoded.as_bytes().chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(&pem[body_end..]);
    out
}

/// DER-level changes to the certificate or the key: trailing bytes (Go refuses them after a
/// certificate or a PKCS#1 key, ignores them after PKCS#8 and SEC1), truncation, and random
/// byte changes that the parsers must judge as Go's do.
#[test]
fn kubectl_tls_der_edits_are_decided_like_kubectl() {
    let Some(k) = kubectl() else { return };
    let mut rng = Rng::new(0x0bad_cafe_u64);
    let (mut accepted, mut total) = (0, 0);
    let mut run = |label: String, cert: Vec<u8>, key: Vec<u8>| {
        total += 1;
        accepted += usize::from(compare(
            k,
            &Case {
                label,
                cert,
                key,
                name: "t",
                extra: vec![],
            },
        ));
    };
    for &(cert_name, key_name) in GOOD_PAIRS {
        let (cert, key) = (fixture(cert_name), fixture(key_name));
        let pair = format!("{cert_name} + {key_name}");
        for tail in [&[0x00u8][..], &[0x05, 0x00], &[0x30, 0x00], &[0xa1, 0x00]] {
            run(
                format!("key DER + {tail:02x?} of {pair}"),
                cert.clone(),
                rewrite_der(&key, |der| der.extend_from_slice(tail)),
            );
        }
        run(
            format!("cert DER + 00 of {pair}"),
            rewrite_der(&cert, |der| der.push(0)),
            key.clone(),
        );
        run(
            format!("key DER truncated of {pair}"),
            cert.clone(),
            rewrite_der(&key, |der| {
                der.pop();
            }),
        );
    }
    for _ in 0..150 {
        let (cert_name, key_name) = GOOD_PAIRS[rng.below(GOOD_PAIRS.len())];
        let (cert, key) = (fixture(cert_name), fixture(key_name));
        let edit_cert = rng.below(2) == 0;
        let target = if edit_cert { &cert } else { &key };
        let (at, value) = (rng.next() as usize, rng.next() as u8);
        let edited = rewrite_der(target, |der| {
            let at = at % der.len();
            der[at] = value;
        });
        let label = format!(
            "{} DER byte {at} set to {value:#04x} of {cert_name} + {key_name}",
            if edit_cert { "cert" } else { "key" }
        );
        if edit_cert {
            run(label, edited, key);
        } else {
            run(label, cert, edited);
        }
    }
    assert_both_outcomes(accepted, total, 20);
}

/// kubectl honours `GODEBUG` from its environment: `x509negativeserial=1` brings back Go's
/// pre-1.23 acceptance of negative serial numbers.
#[test]
fn kubectl_tls_godebug_negative_serial_is_honoured() {
    let Some(k) = kubectl() else { return };
    let dir = testdata().join("tls");
    let args: Vec<Vec<u8>> = [
        "tls",
        "t",
        "--cert=negative-serial.crt",
        "--key=rsa2048.key",
    ]
    .iter()
    .map(|a| a.as_bytes().to_vec())
    .collect();
    for godebug in ["x509negativeserial=1", "x509negativeserial=0"] {
        let env = [("GODEBUG", godebug.as_bytes())];
        let theirs = run_kubectl(k, &args, &dir, &env);
        let mut exact = args.clone();
        exact.push(b"--validate=false".to_vec());
        let ours = run_pachsecret(&exact, &dir, &env);
        assert_eq!(ours.status.success(), theirs.status.success(), "{godebug}");
        assert_eq!(show(&ours.stdout), show(&theirs.stdout), "{godebug}");
    }
}

/// Certificates made by DER surgery (testdata/tls/odd-*.crt): versions, time formats, name
/// string types, extensions, signature algorithm mismatch. Go's parser decides each one; the
/// same message is required.
#[test]
fn kubectl_tls_odd_certificates_are_parsed_like_go() {
    let Some(k) = kubectl() else { return };
    let mut odd: Vec<String> = std::fs::read_dir(testdata().join("tls"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("odd-") && name.ends_with(".crt"))
        .collect();
    odd.sort();
    assert!(odd.len() >= 20, "odd certificates are missing: {odd:?}");
    let (mut accepted, mut total) = (0, 0);
    for name in &odd {
        total += 1;
        accepted += usize::from(compare(
            k,
            &Case {
                label: name.clone(),
                cert: fixture(name),
                key: fixture("rsa2048.key"),
                name: "t",
                extra: vec![],
            },
        ));
    }
    assert_both_outcomes(accepted, total, 5);
}
