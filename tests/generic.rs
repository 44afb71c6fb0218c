//! `pachsecret generic`: kubectl's behaviour (kubectl-behaviour.md §1–§2) and the extra checks.

use predicates::prelude::*;

use crate::util::pachsecret;

#[test]
fn kubectl_generic_two_literals_sorted() {
    pachsecret()
        .args(["generic", "s1", "--from-literal=b=2", "--from-literal=a=1"])
        .assert()
        .success()
        .stderr("")
        .stdout(
            r#"{
    "kind": "Secret",
    "apiVersion": "v1",
    "metadata": {
        "name": "s1",
        "creationTimestamp": null
    },
    "data": {
        "a": "MQ==",
        "b": "Mg=="
    }
}
"#,
        );
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn extra_check_invalid_name_is_refused_with_a_suggestion() {
    pachsecret()
        .args(["generic", "My_Secret", "--from-literal=a=b"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error: secret name \"My_Secret\" is not a valid DNS-1123 subdomain: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n  hint: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. my-secret\n",
        );
}

#[test]
fn validate_false_gives_kubectls_exact_behaviour() {
    pachsecret()
        .args([
            "generic",
            "My_Secret",
            "--from-literal=a=b\n",
            "--validate=false",
        ])
        .assert()
        .success()
        .stderr("")
        .stdout(predicates::str::contains("\"name\": \"My_Secret\""));
}

#[test]
fn validate_warn_prints_findings_and_still_writes() {
    pachsecret()
        .args([
            "generic",
            "My_Secret",
            "--from-literal=a=b",
            "--validate=warn",
        ])
        .assert()
        .success()
        .stderr(predicates::str::starts_with(
            "warning: secret name \"My_Secret\"",
        ))
        .stdout(predicates::str::contains("\"name\": \"My_Secret\""));
}

#[test]
fn extra_check_total_size_is_one_mebibyte() {
    let dir = scratch();
    std::fs::write(dir.path().join("exact"), vec![b'x'; 1024 * 1024]).unwrap();
    std::fs::write(dir.path().join("over"), vec![b'x'; 1024 * 1024 + 1]).unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "big", "--from-file=exact"])
        .assert()
        .success();
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "big", "--from-file=over"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "the secret's values total 1048577 bytes; the API server refuses more than 1048576 bytes (1 MiB)",
        ));
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "big", "--from-file=over", "--validate=false"])
        .assert()
        .success();
}

#[test]
fn extra_check_type_requires_its_keys() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--type=kubernetes.io/tls", "--from-literal=tls.crt=x"],
            "must have the key tls.key",
        ),
        (
            &["--type=kubernetes.io/basic-auth", "--from-literal=user=x"],
            "must have the key username or the key password",
        ),
        (
            &[
                "--type=kubernetes.io/ssh-auth",
                "--from-literal=ssh-privatekey=",
            ],
            "must have a non-empty key ssh-privatekey",
        ),
        (
            &[
                "--type=kubernetes.io/dockerconfigjson",
                "--from-literal=.dockerconfigjson=nope",
            ],
            "is not a JSON object",
        ),
        (
            &["--type=kubernetes.io/dockercfg"],
            "must have the key .dockercfg",
        ),
        (
            &["--type=kubernetes.io/service-account-token"],
            "kubernetes.io/service-account.name",
        ),
    ];
    for (flags, message) in cases {
        pachsecret()
            .arg("generic")
            .arg("s")
            .args(*flags)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicates::str::contains(*message));
        pachsecret()
            .arg("generic")
            .arg("s")
            .args(*flags)
            .arg("--validate=false")
            .assert()
            .success();
    }
    pachsecret()
        .args([
            "generic",
            "s",
            "--type=kubernetes.io/basic-auth",
            "--from-literal=password=",
        ])
        .assert()
        .success();
}

#[test]
fn warning_for_a_single_line_value_ending_in_a_newline_names_the_key_not_the_value() {
    let dir = scratch();
    std::fs::write(dir.path().join("pw.txt"), "hunter2\n").unwrap();
    let plain = pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "s",
            "--from-file=password=pw.txt",
            "--validate=false",
        ])
        .output()
        .unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-file=password=pw.txt"])
        .assert()
        .success()
        .stdout(plain.stdout.clone())
        .stderr(predicates::str::starts_with(
            "warning: the value of key password (from --from-file=pw.txt) ends with a newline",
        ))
        .stderr(predicates::str::contains("hunter2").not());
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-file=password=pw.txt", "--strict"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "error: the value of key password",
        ));
}

#[test]
fn multi_line_values_such_as_pem_files_do_not_warn() {
    pachsecret()
        .args([
            "generic",
            "s",
            "--from-literal=key=-----BEGIN X-----\nAAAA\n-----END X-----\n",
        ])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn env_file_line_over_the_scanner_limit_is_refused_instead_of_silently_truncated() {
    let dir = scratch();
    let mut content = b"A=1\nB=".to_vec();
    content.extend(vec![b'x'; 70_000]);
    content.extend_from_slice(b"\nC=3\n");
    std::fs::write(dir.path().join("big.env"), content).unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-env-file=big.env"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "line 2 of big.env is longer than 65535 bytes",
        ));
    pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "s",
            "--from-env-file=big.env",
            "--validate=false",
        ])
        .assert()
        .success()
        .stdout(
            predicates::str::contains("\"A\": \"MQ==\"")
                .and(predicates::str::contains("\"C\"").not()),
        );
}

#[test]
fn errors_never_show_values() {
    let dir = scratch();
    std::fs::write(dir.path().join("stray.env"), "hunter2 is the password\n").unwrap();
    std::fs::write(dir.path().join("bad.env"), b"PASSWORD=hunter2\xff\n").unwrap();
    let cases: &[&[&str]] = &[
        &["generic", "s", "--from-literal=hunter2"],
        &["generic", "s", "--from-literal==hunter2"],
        &["generic", "s", "--from-env-file=stray.env"],
        &["generic", "s", "--from-env-file=bad.env"],
    ];
    for args in cases {
        pachsecret()
            .current_dir(dir.path())
            .args(*args)
            .assert()
            .failure()
            .stdout("")
            .stderr(predicates::str::starts_with("error: "))
            .stderr(predicates::str::contains("hunter2").not());
    }
}

#[test]
fn exit_status_two_for_usage_and_one_for_rejected_input() {
    let usage: &[&[&str]] = &[
        &["generic"],
        &["generic", "a", "b"],
        &["generic", ""],
        &["generic", "s", "--bogus"],
        &["generic", "s", "--from-literal=novalue"],
        &["generic", "s", "--from-file=a=b=c"],
        &["generic", "s", "--from-file=k=\"c,d\""],
        &[
            "generic",
            "s",
            "--from-env-file=x.env",
            "--from-literal=a=1",
        ],
        &["generic", "s", "--append-hash=yes"],
        &["generic", "s", "--validate=bogus"],
        &["generic", "s", "-o", "yaml"],
        &["generic", "s", "-o", "wide"],
        &["generic", "s", "--dry-run=server"],
        &["generic", "s", "--dry-run=CLIENT"],
    ];
    for args in usage {
        pachsecret().args(*args).assert().code(2).stdout("");
    }
    let rejected: &[&[&str]] = &[
        &["generic", "s", "--from-file=missing"],
        &["generic", "s", "--from-literal=a b=1"],
        &["generic", "s", "--from-literal=a=1", "--from-literal=a=2"],
        &["generic", "s", "--from-env-file=/"],
    ];
    for args in rejected {
        pachsecret()
            .args(*args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicates::str::starts_with("error: "));
    }
}

#[test]
fn errors_name_the_file_and_the_flag() {
    pachsecret()
        .args(["generic", "s", "--from-file=does/not/exist"])
        .assert()
        .code(1)
        .stderr(
            "error: error reading does/not/exist: no such file or directory\n  hint: --from-file takes an existing file or directory; relative paths start from the current directory\n",
        );
    pachsecret()
        .args(["generic", "s", "--from-literal=a=1", "--from-literal=a=2"])
        .assert()
        .stderr(predicates::str::contains(
            "--from-literal #2 repeats the key first set by --from-literal #1",
        ));
}

#[test]
fn kubectl_dry_run_and_output_json_are_accepted_no_ops() {
    let plain = pachsecret()
        .args(["generic", "s", "--from-literal=a=1"])
        .output()
        .unwrap();
    for extra in [
        &["--dry-run=client", "-o", "json"][..],
        &["--dry-run", "--output=json"],
        &["--dry-run=true", "-oJSON"],
    ] {
        pachsecret()
            .args(["generic", "s", "--from-literal=a=1"])
            .args(extra)
            .assert()
            .success()
            .stdout(plain.stdout.clone());
    }
    pachsecret()
        .args(["generic", "s", "--dry-run=none"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pachsecret works offline"));
}

#[test]
fn output_name_and_the_dry_run_message() {
    pachsecret()
        .args([
            "generic",
            "s",
            "-o",
            "name",
            "--append-hash",
            "--from-literal=b=2",
            "--from-literal=a=1",
        ])
        .assert()
        .success()
        .stdout("secret/s-mmg922cb59\n");
    pachsecret()
        .args(["generic", "s", "-o", ""])
        .assert()
        .success()
        .stdout("secret/s created (dry run)\n");
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let dir = scratch();
    std::fs::write(dir.path().join("big"), vec![b'x'; 700_000]).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pachsecret"))
        .current_dir(dir.path())
        .args(["generic", "s", "--from-file=big"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_failed_write_is_reported() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("SKIPPED: /dev/full is not available");
        return;
    };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("pachsecret"))
        .args(["generic", "s", "--from-literal=a=1"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: writing to standard output: no space left on device\n"
    );
}

#[test]
fn help_shows_the_pachyderm_pipe() {
    pachsecret()
        .args(["generic", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "pachctl create secret -f /dev/stdin",
        ));
}

#[test]
fn kubectl_large_file_is_streamed_with_identical_bytes_and_hash() {
    let dir = scratch();
    let content: Vec<u8> = (0..3_000_001u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.path().join("big.bin"), &content).unwrap();
    std::fs::write(dir.path().join("small"), b"x").unwrap();
    let args: Vec<Vec<u8>> = [
        "generic",
        "big",
        "--from-file=big.bin",
        "--from-file=small",
        "--append-hash",
    ]
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
    let text = String::from_utf8(ours.stdout.clone()).unwrap();
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&content);
    assert!(text.contains(&format!("\"big.bin\": \"{encoded}\",\n")));
    if let Some(kubectl) = crate::util::kubectl() {
        let theirs = crate::util::run_kubectl(kubectl, &args, dir.path(), &[]);
        assert!(theirs.status.success());
        assert_eq!(
            ours.stdout, theirs.stdout,
            "streamed output differs from kubectl's"
        );
    }
    // With the checks on, the size is refused from the file's length alone.
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "big", "--from-file=big.bin"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("values total 3000001 bytes"));
}
