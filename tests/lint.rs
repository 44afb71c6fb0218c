//! `lint` and `inspect`: hand-written manifests as pachd and the API server read them, and
//! round trips from a generated manifest through lint and inspect.

use std::fs;

use predicates::prelude::PredicateBooleanExt as _;

use crate::util::{kubectl, pachsecret, run_kubectl, show, testdata};

const HEAD: &str = r#""kind":"Secret","apiVersion":"v1""#;

/// One hand-written manifest per defect: (manifest, exit status, the first report line).
#[test]
fn lint_reports_each_defect_of_hand_written_manifests() {
    let cases: Vec<(String, i32, &str)> = vec![
        (
            "apiVersion: v1\nkind: Secret\n".into(),
            1,
            "m.json: not JSON (YAML?): pachd decodes secrets with Go's encoding/json only (convert it with `yq -o=json . FILE`",
        ),
        (
            format!("\u{feff}{{{HEAD}}}"),
            1,
            "m.json: the file starts with a byte-order mark, which Go's JSON decoder refuses",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"YQ=="}},}}"#),
            1,
            "m.json: invalid JSON at line 1, column 81: invalid character '}' looking for beginning of object key string",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"aHVudGVyMg"}}}}"#),
            1,
            "m.json: secret s: data.pw: is not standard padded base64 (illegal base64 data at input byte 10): pachd fails with \"failed to unmarshal secret\" (the '=' padding is missing, and Go requires it",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"a-_b"}}}}"#),
            1,
            "m.json: secret s: data.pw: is not standard padded base64 (illegal base64 data at input byte 1): pachd fails with \"failed to unmarshal secret\" (this looks like URL-safe base64",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"hunter2!"}}}}"#),
            1,
            "m.json: secret s: data.pw: is not standard padded base64 (illegal base64 data at input byte 7)",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":1}}}}"#),
            1,
            "m.json: secret s: data.pw: is a number at line 1, column 73, but Go expects a string: pachd fails with \"failed to unmarshal secret\" (make it a string)",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"aHVudGVyMgo="}}}}"#),
            0,
            "m.json: secret s: data.pw: warning: decodes to text that ends in a newline, which will be part of the value (it was probably encoded with `echo VALUE | base64`; use `printf %s VALUE | base64` instead)",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"pw":"admin123"}}}}"#),
            0,
            "m.json: secret s: data.pw: warning: decodes to a short binary value, not text; was the plain value written here without encoding it?",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"dta":{{"pw":"YQ=="}}}}"#),
            0,
            "m.json: secret s: dta: warning: unknown field, silently dropped by pachd (Go's encoding/json) (did you mean data?)",
        ),
        (
            format!(r#"{{{HEAD},"Metadata":{{"name":"s"}},"data":{{"pw":"YQ=="}}}}"#),
            0,
            "m.json: secret s: Metadata: warning: Go matches this to metadata only because it ignores case (spell it metadata)",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s","namespace":"prod"}},"data":{{"pw":"YQ=="}}}}"#
            ),
            0,
            "m.json: secret s: metadata.namespace: warning: is set to \"prod\"; pachd creates secrets in its own namespace and the API server refuses a different one (remove metadata.namespace)",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s","labels":{{"suite":"other"}}}},"data":{{"pw":"YQ=="}}}}"#
            ),
            1,
            "m.json: secret s: metadata.labels.suite: pachd refuses the secret (\"invalid suite label set on secret: suite=other\"), or newer versions overwrite the label (remove the suite label; pachd sets suite=pachyderm itself)",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"My_Secret"}},"data":{{"pw":"YQ=="}}}}"#),
            1,
            "m.json: secret My_Secret: secret name \"My_Secret\" is not a valid DNS-1123 subdomain",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{}},"data":{{"pw":"YQ=="}}}}"#),
            1,
            "m.json: secret (no name): the secret has no name; the API server requires one",
        ),
        (
            format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"bad key":"YQ=="}}}}"#),
            1,
            "m.json: secret s: data.bad key: \"bad key\" is not a valid key name: a valid config key must consist of alphanumeric characters",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s"}},"stringData":{{"big":"{}"}}}}"#,
                "x".repeat(1024 * 1024 + 1)
            ),
            1,
            "m.json: secret s: the secret's values total 1048577 bytes; the API server refuses more than 1048576 bytes (1 MiB)",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s"}},"type":"kubernetes.io/tls","data":{{"tls.crt":"YQ=="}}}}"#
            ),
            1,
            "m.json: secret s: a secret of type kubernetes.io/tls must have the key tls.key",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s"}},"type":"opaque","stringData":{{"a":"b"}}}}"#
            ),
            0,
            "m.json: secret s: type: warning: type \"opaque\" differs from the built-in type Opaque only in case",
        ),
        (
            format!(
                r#"{{{HEAD},"metadata":{{"name":"s","resourceVersion":"12"}},"data":{{"pw":"YQ=="}}}}"#
            ),
            1,
            "m.json: secret s: metadata.resourceVersion: the API server refuses to create an object with resourceVersion set",
        ),
        (
            r#"{"apiVersion":"v1","metadata":{"name":"s"},"data":{"pw":"YQ=="}}"#.into(),
            0,
            "m.json: secret s: kind: warning: kind is missing",
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (manifest, code, expected) in cases {
        fs::write(dir.path().join("m.json"), &manifest).expect("write");
        let output = pachsecret()
            .current_dir(dir.path())
            .args(["lint", "m.json"])
            .output()
            .expect("runs");
        let stdout = show(&output.stdout);
        assert_eq!(output.status.code(), Some(code), "{expected}\n{stdout}");
        assert!(
            stdout
                .lines()
                .next()
                .is_some_and(|l| l.starts_with(expected)),
            "wanted: {expected}\ngot:    {stdout}"
        );
        for secret_value in ["hunter2", "admin123", "aHVudGVyMg"] {
            assert!(!stdout.contains(secret_value), "value leaked: {stdout}");
        }
    }
}

#[test]
fn fixture_manifests_lint_clean_and_inspect_without_values() {
    let dir = testdata().join("pachyderm");
    for name in [
        "clearml.json",
        "regcred.json",
        "inference-tls.json",
        "db-credentials.json",
    ] {
        pachsecret()
            .current_dir(&dir)
            .args(["lint", name])
            .assert()
            .success()
            .stdout("");
    }
    pachsecret()
        .current_dir(&dir)
        .args(["inspect", "clearml.json", "regcred.json"])
        .assert()
        .success()
        .stdout(
            "clearml.json: secret clearml
  type: Opaque
  keys: 2 (57 bytes in all)
    \"access\"  17 bytes
    \"secret\"  40 bytes

regcred.json: secret regcred
  type: kubernetes.io/dockerconfigjson
  keys: 1 (127 bytes in all)
    \".dockerconfigjson\"  127 bytes
  registry \"ghcr.io\": user \"bob\", password set
",
        )
        .stdout(predicates::str::contains("AKIA").not());
    pachsecret()
        .current_dir(&dir)
        .args(["inspect", "inference-tls.json"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "  tls.crt: certificate 1
    subject: CN=inference.example.com, O=Example
    SANs: DNS:inference.example.com, IP:10.0.0.7
    issuer: CN=inference.example.com, O=Example
    valid: 2024-01-01 00:00:00 UTC to 2099-12-31 23:59:59 UTC (",
        ))
        .stdout(predicates::str::contains(
            "    key: ECDSA P-256\n  tls.key: a PEM PRIVATE KEY\n",
        ))
        .stdout(predicates::str::contains("BEGIN").not());
    pachsecret()
        .current_dir(&dir)
        .args(["inspect", "--show-values", "clearml.json"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "    \"access\"  17 bytes  \"AKIAEXAMPLEACCESS\"\n",
        ));
}

#[test]
fn generated_manifest_round_trips_through_lint_and_inspect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let generated = pachsecret()
        .args([
            "generic",
            "round-trip",
            "--from-literal=username=admin",
            "--from-literal=password=t0k3n",
            "--type=kubernetes.io/basic-auth",
        ])
        .output()
        .expect("runs");
    assert!(generated.status.success());
    let path = dir.path().join("s.json");
    fs::write(&path, &generated.stdout).expect("write");
    pachsecret()
        .arg("lint")
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    pachsecret()
        .arg("lint")
        .arg("--fix")
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        fs::read(&path).expect("read"),
        generated.stdout,
        "already in kubectl's form"
    );
    pachsecret()
        .arg("inspect")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "  type: kubernetes.io/basic-auth\n  keys: 2 (10 bytes in all)\n    \"password\"  5 bytes\n    \"username\"  5 bytes\n",
        ));
}

#[test]
fn lint_fix_rewrites_in_place_and_refuses_broken_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.json");
    fs::write(
        &path,
        r#"{"metadata": {"name": "s"}, "stringData": {"b": "2"}, "data": {"a": "MQ=="}, "kind": "Secret", "apiVersion": "v1"}"#,
    )
    .expect("write");
    pachsecret()
        .current_dir(dir.path())
        .args(["lint", "--fix", "s.json"])
        .assert()
        .success()
        .stdout("s.json: rewritten in kubectl's form\n");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "{\n    \"kind\": \"Secret\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"s\",\n        \"creationTimestamp\": null\n    },\n    \"data\": {\n        \"a\": \"MQ==\",\n        \"b\": \"Mg==\"\n    }\n}\n"
    );
    let broken = r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"a":"MQ"}}"#;
    fs::write(&path, broken).expect("write");
    pachsecret()
        .current_dir(dir.path())
        .args(["lint", "--fix", "s.json"])
        .assert()
        .code(1);
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        broken,
        "left alone"
    );
    pachsecret()
        .args(["lint", "--fix", "-"])
        .write_stdin(broken)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "error: <stdin>: secret s: data.a: is not standard padded base64",
        ));
}

/// `lint --fix -` must print exactly what kubectl prints for the same secret, whatever shape
/// the hand-written manifest had.
#[test]
fn kubectl_lint_fix_matches_create_secret_generic() {
    let Some(k) = kubectl() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut seed: u64 = 0x5eed_1e55;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    const KEY_CHARS: &[u8] = b"abcXYZ019-_.";
    const VALUE_CHARS: &[u8] = b"aZ9 <>&\"\\/+=\n\t\xc3\xa9";
    for case in 0..24 {
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for _ in 0..=next(4) {
            let key: String = (0..=next(6))
                .map(|_| KEY_CHARS[next(KEY_CHARS.len() as u64) as usize] as char)
                .collect();
            if key.starts_with('.') || entries.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let mut value = Vec::new();
            for _ in 0..next(12) {
                let c = VALUE_CHARS[next(VALUE_CHARS.len() as u64) as usize];
                if c == 0xc3 {
                    value.extend_from_slice("é".as_bytes());
                } else if c != 0xa9 {
                    value.push(c);
                }
            }
            entries.push((key, value));
        }
        let name = format!("case-{case}");
        let mut kubectl_args = vec![b"generic".to_vec(), name.clone().into_bytes()];
        for (key, value) in &entries {
            let mut arg = format!("--from-literal={key}=").into_bytes();
            arg.extend_from_slice(value);
            kubectl_args.push(arg);
        }
        let expected = run_kubectl(k, &kubectl_args, dir.path(), &[]);
        assert!(expected.status.success(), "{}", show(&expected.stderr));

        // Hand-written: members in another order, some values under stringData, others base64.
        let mut data = serde_json::Map::new();
        let mut string_data = serde_json::Map::new();
        for (i, (key, value)) in entries.iter().enumerate() {
            use base64::Engine as _;
            if i % 2 == case % 2 {
                string_data.insert(
                    key.clone(),
                    String::from_utf8(value.clone()).expect("utf8").into(),
                );
            } else {
                data.insert(
                    key.clone(),
                    base64::engine::general_purpose::STANDARD
                        .encode(value)
                        .into(),
                );
            }
        }
        let manifest = serde_json::json!({
            "data": data,
            "metadata": {"name": name},
            "stringData": string_data,
            "apiVersion": "v1",
            "kind": "Secret",
        });
        let text = if case % 3 == 0 {
            serde_json::to_string_pretty(&manifest).expect("json")
        } else {
            serde_json::to_string(&manifest).expect("json")
        };
        let fixed = pachsecret()
            .args(["lint", "--fix", "-"])
            .write_stdin(text)
            .output()
            .expect("runs");
        assert_eq!(
            show(&fixed.stdout),
            show(&expected.stdout),
            "case {case}: {}",
            show(&fixed.stderr)
        );
    }
}

#[test]
fn inspect_fails_on_a_value_it_cannot_decode_instead_of_leaving_the_key_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    fs::write(
        &path,
        format!(
            r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"ok":"YQ==","pw":"not base64!"}}}}"#
        ),
    )
    .unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args(["inspect", "m.json"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("\"ok\"  1 byte"))
        .stdout(predicates::str::contains(
            "  error: m.json: secret s: data.pw: is not standard padded base64",
        ));
}

#[test]
fn registry_passwords_written_into_the_address_are_never_shown() {
    let sentinel = "S3NT1NEL-userinfo";
    // A generated entry: the unusual-address warning shows the address redacted.
    let out = pachsecret()
        .args([
            "docker-registry",
            "r",
            &format!("--docker-server=https://bob:{sentinel}@registry.example.com"),
            "--docker-username=bob",
            "--docker-password-env=PW",
            "--validate=warn",
        ])
        .env("PW", "pw")
        .output()
        .unwrap();
    let stderr = show(&out.stderr);
    assert!(
        stderr.contains("https://***@registry.example.com"),
        "{stderr}"
    );
    assert!(!stderr.contains(sentinel), "{stderr}");
    // The manifest holds the address as given (it is the user's data) …
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("r.json"), &out.stdout).unwrap();
    // … and inspect shows it redacted.
    let inspected = pachsecret()
        .current_dir(dir.path())
        .args(["inspect", "r.json"])
        .output()
        .unwrap();
    let stdout = show(&inspected.stdout);
    assert!(
        stdout.contains("registry \"https://***@registry.example.com\""),
        "{stdout}"
    );
    assert!(!stdout.contains(sentinel), "{stdout}");
}

/// One file that cannot be read or fixed does not hide the report of the others.
#[test]
fn every_file_gets_its_report_even_when_another_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let loose = format!(r#"{{{HEAD},"metadata":{{"name":"s"}},"data":{{"a":"YQ=="}}}}"#);
    fs::write(dir.path().join("a.json"), &loose).unwrap();
    let out = pachsecret()
        .current_dir(dir.path())
        .args(["lint", "--fix", "a.json", "missing.json", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = show(&out.stdout);
    assert_eq!(
        stdout,
        "a.json: rewritten in kubectl's form\n\
         error reading missing.json for the MANIFEST argument: no such file or directory (check the path given to the MANIFEST argument; relative paths start from the current directory, and `-` reads standard input)\n",
        "the report of a.json must not be lost"
    );
    assert_ne!(
        fs::read_to_string(dir.path().join("a.json")).unwrap(),
        loose
    );
    let out = pachsecret()
        .current_dir(dir.path())
        .args(["inspect", "missing.json", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = show(&out.stdout);
    assert!(
        stdout.starts_with("missing.json: error reading missing.json"),
        "{stdout}"
    );
    assert!(
        stdout.contains("a.json: secret s\n  type: Opaque\n"),
        "{stdout}"
    );
}
