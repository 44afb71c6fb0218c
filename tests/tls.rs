//! `pachsecret tls`: kubectl's behaviour (kubectl-behaviour.md §3) without kubectl, and every
//! check beyond it, by message and exit status. Fixtures: testdata/tls/README.md.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use predicates::prelude::*;

use crate::util::{pachsecret, testdata};

/// A date inside every fixture's validity window except expired.crt and future.crt.
const NOW: &str = "--now=2030-06-01T00:00:00Z";

fn tls(cert: &str, key: &str) -> assert_cmd::Command {
    let mut cmd = pachsecret();
    cmd.current_dir(testdata().join("tls"))
        .args(["tls", "t"])
        .arg(format!("--cert={cert}"))
        .arg(format!("--key={key}"))
        .arg(NOW);
    cmd
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(testdata().join("tls").join(name)).unwrap()
}

fn data_value(stdout: &[u8], key: &str) -> Vec<u8> {
    let json: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    let encoded = json["data"][key].as_str().unwrap().to_string();
    BASE64.decode(encoded).unwrap()
}

#[test]
fn kubectl_tls_stores_both_files_verbatim_with_the_tls_type() {
    let out = tls("chain.crt", "chain-leaf.key")
        .assert()
        .success()
        .stderr("");
    let stdout = &out.get_output().stdout;
    assert_eq!(data_value(stdout, "tls.crt"), fixture("chain.crt"));
    assert_eq!(data_value(stdout, "tls.key"), fixture("chain-leaf.key"));
    let json: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    assert_eq!(json["type"], "kubernetes.io/tls");
    assert_eq!(json["metadata"]["name"], "t");
}

#[test]
fn kubectl_tls_empty_name_is_accepted_only_without_checks() {
    let dir = testdata().join("tls");
    pachsecret()
        .current_dir(&dir)
        .args([
            "tls",
            "",
            "--cert=rsa2048.crt",
            "--key=rsa2048.key",
            "-o",
            "name",
        ])
        .args(["--validate=false"])
        .assert()
        .success()
        .stdout("secret/<unknown>\n");
    pachsecret()
        .current_dir(&dir)
        .args(["tls", "", "--cert=rsa2048.crt", "--key=rsa2048.key", NOW])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("the secret has no name"));
}

#[test]
fn kubectl_tls_requires_both_cert_and_key() {
    pachsecret()
        .args(["tls", "t", "--cert=x.crt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: key and cert must be specified",
        ));
    pachsecret()
        .args(["tls", "t", "--cert=", "--key=k"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: key and cert must be specified",
        ));
}

#[test]
fn unreadable_files_name_the_flag_and_the_path() {
    for (cert, key, flag, path, reason) in [
        (
            "missing.crt",
            "rsa2048.key",
            "--cert",
            "missing.crt",
            "no such file or directory",
        ),
        (".", "rsa2048.key", "--cert", ".", "is a directory"),
        (
            "rsa2048.crt",
            "missing.key",
            "--key",
            "missing.key",
            "no such file or directory",
        ),
    ] {
        tls(cert, key).assert().code(1).stdout("").stderr(format!(
            "error: error reading {path} for {flag}: {reason}\n  hint: check the path given to {flag}; relative paths start from the current directory, and `-` reads standard input\n"
        ));
    }
    tls("chain.crt", "chain-leaf.key")
        .arg("--ca=missing-ca.crt")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: error reading missing-ca.crt for --ca: no such file or directory\n",
        ));
}

#[test]
fn every_tls_input_reads_standard_input_for_dash() {
    for (flag, file) in [
        ("--cert", "chain.crt"),
        ("--key", "chain-leaf.key"),
        ("--ca", "root-ca.crt"),
    ] {
        let mut cmd = pachsecret();
        cmd.current_dir(testdata().join("tls"))
            .args(["tls", "t", NOW]);
        for (other, path) in [
            ("--cert", "chain.crt"),
            ("--key", "chain-leaf.key"),
            ("--ca", "root-ca.crt"),
        ] {
            let value = if other == flag { "-" } else { path };
            cmd.arg(format!("{other}={value}"));
        }
        let out = cmd.write_stdin(fixture(file)).assert().success();
        let stdout = &out.get_output().stdout;
        let key = match flag {
            "--cert" => "tls.crt",
            "--key" => "tls.key",
            _ => "ca.crt",
        };
        assert_eq!(data_value(stdout, key), fixture(file), "{flag}=-");
    }
}

#[test]
fn kubectl_tls_refusals_keep_kubectls_message_even_with_validate_false() {
    tls("rsa2048.crt", "p256.key")
        .arg("--validate=false")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: tls: private key type does not match public key type\n  hint: ",
        ));
}

#[test]
fn mismatch_names_both_key_types_and_the_certificate() {
    tls("rsa2048.crt", "p256.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the key in p256.key is ECDSA P-256 (SEC1), but the certificate CN=rsa2048.example.com (first in rsa2048.crt) carries RSA 2048-bit",
        ));
    tls("rsa2048.crt", "rsa1024.pk8.key")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: private key does not match public key\n",
        ))
        .stderr(predicate::str::contains("is RSA 1024-bit (PKCS#8)"));
}

#[test]
fn mismatch_points_at_the_leaf_further_down_the_bundle() {
    tls("chain-leaf-second.crt", "chain-leaf.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the key matches certificate #2 (CN=chain-leaf.example.com) in chain-leaf-second.crt: put it first",
        ));
}

#[test]
fn mismatch_points_at_the_matching_key_block() {
    let dir = tempfile::tempdir().unwrap();
    let keys = [fixture("p256.key"), fixture("rsa2048.key")].concat();
    std::fs::write(dir.path().join("two.key"), keys).unwrap();
    std::fs::write(dir.path().join("c.crt"), fixture("rsa2048.crt")).unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args(["tls", "t", "--cert=c.crt", "--key=two.key"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "private key block #2 in two.key matches: kubectl uses only the first",
        ));
}

#[test]
fn chain_in_order_is_accepted_silently() {
    tls("chain.crt", "chain-leaf.key")
        .assert()
        .success()
        .stderr("");
}

#[test]
fn chain_out_of_order_is_refused_with_the_right_order() {
    tls("chain-misordered.crt", "chain-leaf.key")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: the certificates in chain-misordered.crt are out of order: #1 (CN=chain-leaf.example.com) is signed by #3 (CN=Pachsecret Test Intermediate), not by the next one, #2 (CN=Pachsecret Test Root)",
        ))
        .stderr(predicate::str::contains("hint: order the bundle leaf first"));
}

#[test]
fn chain_with_a_foreign_certificate_is_refused_as_broken() {
    tls("chain-broken.crt", "chain-leaf.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the certificate chain in chain-broken.crt is broken: #1 (CN=chain-leaf.example.com) is not signed by the next one, #2 (CN=Unrelated CA)",
        ))
        .stderr(predicate::str::contains(
            "was issued by CN=Pachsecret Test Intermediate",
        ));
}

#[test]
fn chain_problems_are_only_printed_with_validate_warn() {
    tls("chain-misordered.crt", "chain-leaf.key")
        .arg("--validate=warn")
        .assert()
        .success()
        .stderr(predicate::str::starts_with("warning: the certificates in"));
}

#[test]
fn expired_certificate_is_a_warning_with_dates() {
    tls("expired.crt", "rsa2048.key")
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "warning: the certificate CN=expired.example.com in expired.crt expired on 2021-01-01T00:00:00Z (valid 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z)\n  hint: renew it",
        ));
}

#[test]
fn expired_certificate_is_fatal_with_strict() {
    tls("expired.crt", "rsa2048.key")
        .arg("--strict")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: the certificate CN=expired.example.com in expired.crt expired on",
        ));
}

#[test]
fn not_yet_valid_certificate_is_a_warning() {
    tls("future.crt", "rsa2048.key")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "is not valid yet: valid from 2040-01-01T00:00:00Z to 2041-01-01T00:00:00Z",
        ));
}

#[test]
fn now_can_be_pinned_to_make_a_certificate_valid_or_not() {
    let dir = testdata().join("tls");
    for (now, expired) in [
        ("--now=2020-06-01T00:00:00Z", false),
        ("--now=2021-01-01T00:00:01Z", true),
    ] {
        let assert = pachsecret()
            .current_dir(&dir)
            .args(["tls", "t", "--cert=expired.crt", "--key=rsa2048.key", now])
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert_eq!(stderr.contains("expired on"), expired, "{now}: {stderr}");
    }
    pachsecret()
        .args(["tls", "t", "--cert=a", "--key=b", "--now=yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RFC 3339"));
}

#[test]
fn expired_intermediate_is_reported_by_position() {
    tls("chain-expired-intermediate.crt", "chain-leaf.key")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: certificate #2 CN=Pachsecret Test Intermediate in chain-expired-intermediate.crt expired on 2021-01-01T00:00:00Z",
        ));
}

#[test]
fn weak_rsa_key_is_a_warning() {
    tls("rsa1024.crt", "rsa1024.key")
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "warning: the RSA key in rsa1024.key has 1024 bits; less than 2048",
        ));
    tls("rsa1024.crt", "rsa1024.key")
        .arg("--strict")
        .assert()
        .code(1);
}

#[test]
fn der_certificate_is_recognised() {
    tls("rsa2048.crt.der", "rsa2048.key")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: failed to find any PEM data in certificate input\n  hint: --cert rsa2048.crt.der looks like DER (binary); kubectl needs PEM. Convert it: openssl x509 -inform DER -in rsa2048.crt.der -out rsa2048.crt.der.pem\n",
        ));
    tls("rsa2048.crt", "rsa2048.key.der")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "openssl pkey -inform DER -in rsa2048.key.der -out rsa2048.key.der.pem",
        ));
}

#[test]
fn swapped_files_are_recognised() {
    tls("rsa2048.key", "rsa2048.crt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the two files are swapped; pass --cert=rsa2048.crt --key=rsa2048.key",
        ));
}

#[test]
fn csr_is_recognised() {
    tls("rsa2048.csr", "rsa2048.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "following types: [CERTIFICATE REQUEST]\n  hint: rsa2048.csr is a certificate signing request (CSR), not a certificate",
        ));
}

#[test]
fn public_key_is_recognised() {
    tls("rsa2048.crt", "rsa2048.pub")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "rsa2048.pub holds a public key; --key needs the private key",
        ));
}

#[test]
fn empty_file_is_recognised() {
    tls("empty", "rsa2048.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("hint: --cert empty is empty"));
    tls("rsa2048.crt", "empty")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: failed to find any PEM data in key input\n  hint: --key empty is empty",
        ));
}

#[test]
fn negative_serial_and_unsupported_curve_keep_gos_error() {
    tls("negative-serial.crt", "rsa2048.key")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: x509: negative serial number\n  hint: ",
        ))
        .stderr(predicate::str::contains("positive serial number"));
    tls("secp256k1.crt", "secp256k1.key")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: x509: unsupported elliptic curve\n",
        ));
}

#[test]
fn x25519_key_is_explained() {
    tls("rsa2048.crt", "x25519.key")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: found unknown private key type in PKCS#8 wrapping\n  hint: the key in x25519.key is an X25519",
        ));
}

const PASSPHRASE: &str = "pachsecret-test";

#[test]
fn encrypted_pkcs8_key_without_terminal_says_how_to_give_the_passphrase() {
    tls("rsa2048.crt", "rsa2048.enc.pk8.key")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "the private key in rsa2048.enc.pk8.key is encrypted and there is no terminal to ask for its passphrase",
        ))
        .stderr(predicate::str::contains("--key-passphrase-file=PATH"));
}

#[test]
fn encrypted_pkcs8_key_is_decrypted_with_a_passphrase_file() {
    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("pass");
    std::fs::write(&pass, format!("{PASSPHRASE}\n")).unwrap();
    for key in ["rsa2048.enc.pk8.key", "p256.enc.pk8.key"] {
        let cert = if key.starts_with("rsa") {
            "rsa2048.crt"
        } else {
            "p256.crt"
        };
        let out = tls(cert, key)
            .arg(format!("--key-passphrase-file={}", pass.display()))
            .assert()
            .success();
        let stored = data_value(&out.get_output().stdout, "tls.key");
        assert!(
            stored.starts_with(b"-----BEGIN PRIVATE KEY-----\n"),
            "{key}"
        );
        assert!(!stored.windows(9).any(|w| w == b"ENCRYPTED"), "{key}");
        assert_stored_key_is_accepted(cert, &stored);
    }
}

#[test]
fn encrypted_pkcs8_key_is_decrypted_with_an_environment_variable() {
    tls("rsa2048.crt", "rsa2048.enc.pk8.key")
        .arg("--key-passphrase-env=TLS_KEY_PASS")
        .env("TLS_KEY_PASS", PASSPHRASE)
        .assert()
        .success();
    tls("rsa2048.crt", "rsa2048.enc.pk8.key")
        .arg("--key-passphrase-env=TLS_KEY_PASS")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--key-passphrase-env names an environment variable that is not set",
        ))
        .stderr(predicate::str::contains("TLS_KEY_PASS").not());
}

#[test]
fn wrong_passphrase_is_refused_without_echoing_it() {
    tls("rsa2048.crt", "rsa2048.enc.pk8.key")
        .arg("--key-passphrase-env=TLS_KEY_PASS")
        .env("TLS_KEY_PASS", "not-the-passphrase")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "cannot decrypt the private key in rsa2048.enc.pk8.key: wrong passphrase",
        ))
        .stderr(predicate::str::contains("not-the-passphrase").not());
}

#[test]
fn encrypted_key_with_validate_false_fails_like_kubectl() {
    tls("rsa2048.crt", "rsa2048.enc.pk8.key")
        .args(["--validate=false", "--key-passphrase-env=TLS_KEY_PASS"])
        .env("TLS_KEY_PASS", PASSPHRASE)
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: failed to parse private key\n  hint: the private key in rsa2048.enc.pk8.key is encrypted (PKCS#8)",
        ));
}

#[test]
fn legacy_encrypted_key_with_validate_false_says_how_to_decrypt_it() {
    tls("rsa2048.crt", "rsa2048.enc.legacy.key")
        .arg("--validate=false")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: tls: failed to parse private key\n  hint: the private key in rsa2048.enc.legacy.key is encrypted (OpenSSL Proc-Type: 4,ENCRYPTED); kubectl cannot read it.",
        ))
        .stderr(predicate::str::contains(
            "openssl pkey -in rsa2048.enc.legacy.key -out rsa2048.enc.legacy.key.decrypted",
        ));
}

#[test]
fn every_encryption_scheme_is_decrypted_and_stored_as_a_key_kubectl_accepts() {
    for (cert, key, stored_label) in [
        ("rsa2048.crt", "rsa2048.enc.pk8.key", "PRIVATE KEY"),
        ("rsa2048.crt", "rsa2048.enc.pk8-des3.key", "PRIVATE KEY"),
        ("p256.crt", "p256.enc.pk8-sha1.key", "PRIVATE KEY"),
        ("ed25519.crt", "ed25519.enc.pk8-scrypt.key", "PRIVATE KEY"),
        ("rsa2048.crt", "rsa2048.enc.legacy.key", "RSA PRIVATE KEY"),
        (
            "rsa2048.crt",
            "rsa2048.enc.legacy-des3.key",
            "RSA PRIVATE KEY",
        ),
        ("p256.crt", "p256.enc.legacy-aes128.key", "EC PRIVATE KEY"),
    ] {
        let out = tls(cert, key)
            .arg("--key-passphrase-env=TLS_KEY_PASS")
            .env("TLS_KEY_PASS", PASSPHRASE)
            .assert()
            .success()
            .stderr("");
        let stored = String::from_utf8(data_value(&out.get_output().stdout, "tls.key")).unwrap();
        assert!(
            stored.starts_with(&format!("-----BEGIN {stored_label}-----\n")),
            "{key}: {}",
            &stored[..40]
        );
        assert!(!stored.contains("ENCRYPTED"), "{key}");
        assert_stored_key_is_accepted(cert, stored.as_bytes());
    }
}

#[test]
fn wrong_passphrase_for_a_legacy_key_is_refused() {
    tls("p256.crt", "p256.enc.legacy-aes128.key")
        .arg("--key-passphrase-env=TLS_KEY_PASS")
        .env("TLS_KEY_PASS", "wrong")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: cannot decrypt the private key in p256.enc.legacy-aes128.key: wrong passphrase",
        ));
}

#[test]
fn ca_is_stored_as_ca_crt() {
    let out = tls("chain.crt", "chain-leaf.key")
        .arg("--ca=root-ca.crt")
        .assert()
        .success()
        .stderr("");
    let stdout = &out.get_output().stdout;
    assert_eq!(data_value(stdout, "ca.crt"), fixture("root-ca.crt"));
    assert_eq!(data_value(stdout, "tls.crt"), fixture("chain.crt"));
}

#[test]
fn ca_must_hold_only_certificates() {
    tls("chain.crt", "chain-leaf.key")
        .arg("--ca=chain-leaf.key")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--ca chain-leaf.key: block #1 is a \"EC PRIVATE KEY\" block, not a CERTIFICATE",
        ));
    tls("chain.crt", "chain-leaf.key")
        .arg("--ca=rsa2048.crt.der")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--ca rsa2048.crt.der holds no PEM block",
        ));
    tls("chain.crt", "chain-leaf.key")
        .arg("--ca=secp256k1.crt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "certificate #1 cannot be parsed: x509: unsupported elliptic curve",
        ));
}

#[test]
fn every_supported_key_algorithm_and_encoding_is_accepted() {
    for (cert, key) in [
        ("rsa2048.crt", "rsa2048.key"),
        ("rsa2048.crt", "rsa2048.pk8.key"),
        ("p224.crt", "p224.key"),
        ("p224.crt", "p224.pk8.key"),
        ("p256.crt", "p256.key"),
        ("p256.crt", "p256.pk8.key"),
        ("p256.crt", "p256.params.key"),
        ("p384.crt", "p384.key"),
        ("p384.crt", "p384.pk8.key"),
        ("p521.crt", "p521.key"),
        ("p521.crt", "p521.pk8.key"),
        ("ed25519.crt", "ed25519.key"),
    ] {
        tls(cert, key).assert().success().stderr("");
    }
}

#[test]
fn unparseable_certificate_after_the_leaf_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = [fixture("rsa2048.crt"), fixture("secp256k1.crt")].concat();
    std::fs::write(dir.path().join("bundle.crt"), bundle).unwrap();
    std::fs::write(dir.path().join("k.key"), fixture("rsa2048.key")).unwrap();
    let run = |extra: &str| {
        pachsecret()
            .current_dir(dir.path())
            .args(["tls", "t", "--cert=bundle.crt", "--key=k.key", extra])
            .assert()
    };
    run("--validate=false").success();
    run("--validate=true")
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: certificate #2 in bundle.crt cannot be parsed (x509: unsupported elliptic curve); kubectl checks only the first one",
        ));
}

/// The no-echo prompt, on a pseudo-terminal made by util-linux `script` (skipped without it).
#[test]
fn encrypted_pkcs8_key_passphrase_is_asked_on_the_terminal_without_echo() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("SKIPPED: /usr/bin/script not found; the terminal prompt was not tested");
        return;
    }
    let binary = assert_cmd::cargo::cargo_bin("pachsecret");
    let command = format!(
        "{} tls t --cert=rsa2048.crt --key=rsa2048.enc.pk8.key -o name {NOW}",
        binary.display()
    );
    let mut child = Command::new("/usr/bin/script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(testdata().join("tls"))
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give the prompt time to switch off echo before typing.
    std::thread::sleep(std::time::Duration::from_millis(500));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSPHRASE}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let transcript = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{transcript}");
    assert!(
        transcript.contains("Passphrase for rsa2048.enc.pk8.key: "),
        "{transcript}"
    );
    assert!(transcript.contains("secret/t"), "{transcript}");
    assert!(!transcript.contains(PASSPHRASE), "echoed: {transcript}");
}

/// The decrypted key pachsecret stored is accepted with `cert` in kubectl's exact mode, and
/// by kubectl itself where it is installed.
fn assert_stored_key_is_accepted(cert: &str, stored: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.key"), stored).unwrap();
    std::fs::write(dir.path().join("c.crt"), fixture(cert)).unwrap();
    let args: Vec<Vec<u8>> = ["tls", "t", "--cert=c.crt", "--key=plain.key"]
        .iter()
        .map(|a| a.as_bytes().to_vec())
        .collect();
    let ours = crate::util::run_pachsecret(
        &crate::util::with_flag(&args, "--validate=false"),
        dir.path(),
        &[],
    );
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    if let Some(kubectl) = crate::util::kubectl() {
        let theirs = crate::util::run_kubectl(kubectl, &args, dir.path(), &[]);
        assert!(
            theirs.status.success(),
            "kubectl refused the stored key: {}",
            String::from_utf8_lossy(&theirs.stderr)
        );
        assert_eq!(ours.stdout, theirs.stdout);
    }
}
