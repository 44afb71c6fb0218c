//! `pachsecret docker-registry`: kubectl's behaviour (kubectl-behaviour.md §4), the password
//! sources, several registries, importing a Docker config, and the kubelet's checks.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use crate::util::rng::Rng;
use crate::util::tty::{Tmux, tmux_command, wait_for_file};
use crate::util::{kubectl, pachsecret, run_kubectl, run_pachsecret, show, show_args};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Pieces that exercise Go's escaping (§1.4): HTML characters, quotes, backslashes, line
/// separators, control characters, DEL, non-ASCII, invalid UTF-8 of every kind, ':' and ','.
const PIECES: &[&[u8]] = &[
    b"a",
    b"Z",
    b"0",
    b"user",
    b"p@ss",
    b".",
    b"-",
    b"_",
    b" ",
    b":",
    b",",
    b"=",
    b"/",
    b"<",
    b">",
    b"&",
    b"\"",
    b"\\",
    b"'",
    b"\t",
    b"\n",
    b"\r",
    b"\x01",
    b"\x08",
    b"\x0c",
    b"\x1f",
    b"\x7f",
    "\u{2028}".as_bytes(),
    "\u{2029}".as_bytes(),
    "é".as_bytes(),
    "😀".as_bytes(),
    "\u{feff}".as_bytes(),
    b"\xff",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xe2\x82",
    b"\xf4\x90\x80\x80",
    b"https://",
    b"ghcr.io",
    b"%",
    b"$",
    b"{}",
];

fn random_text(rng: &mut Rng, max_pieces: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(max_pieces + 1) {
        out.extend_from_slice(rng.pick(PIECES));
    }
    out
}

fn arg(flag: &str, value: &[u8]) -> Vec<u8> {
    let mut a = flag.as_bytes().to_vec();
    a.push(b'=');
    a.extend_from_slice(value);
    a
}

fn args(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// Requires identical stdout where kubectl succeeds, and a failure with empty stdout where it
/// fails. Returns whether kubectl succeeded.
fn assert_same_as_kubectl(k: &Path, case: &[Vec<u8>], dir: &Path) -> bool {
    let expected = run_kubectl(k, case, dir, &[]);
    let mut ours_args = vec![b"docker-registry".to_vec()];
    ours_args.extend(case[1..].iter().cloned());
    ours_args.push(b"--validate=false".to_vec());
    let ours = run_pachsecret(&ours_args, dir, &[]);
    if expected.status.success() {
        assert!(
            ours.status.success(),
            "kubectl succeeded, pachsecret failed for {}\nstderr: {}",
            show_args(case),
            show(&ours.stderr)
        );
        assert_eq!(
            show(&ours.stdout),
            show(&expected.stdout),
            "different output for {}",
            show_args(case)
        );
        assert_eq!(
            ours.stdout,
            expected.stdout,
            "bytes differ for {}",
            show_args(case)
        );
        assert!(
            ours.stderr.is_empty(),
            "--validate=false must be silent: {}",
            show(&ours.stderr)
        );
    } else {
        assert!(
            !ours.status.success() && ours.stdout.is_empty(),
            "kubectl failed ({}), pachsecret did not for {}\nstdout: {}",
            show(&expected.stderr),
            show_args(case),
            show(&ours.stdout)
        );
    }
    // With the checks on, pachsecret may refuse more, but never print something else.
    ours_args.pop();
    let checked = run_pachsecret(&ours_args, dir, &[]);
    if checked.status.success() {
        assert!(
            expected.status.success(),
            "kubectl failed, checked pachsecret succeeded for {}",
            show_args(case)
        );
        assert_eq!(
            checked.stdout,
            expected.stdout,
            "checked output differs for {}",
            show_args(case)
        );
    } else {
        assert!(checked.stdout.is_empty(), "stdout must be empty on error");
        assert!(!checked.stderr.is_empty(), "a refusal must say why");
    }
    expected.status.success()
}

/// The decoded `.dockerconfigjson` of a successful run.
fn docker_config(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "pachsecret failed: {}",
        show(&output.stderr)
    );
    decode_manifest(&output.stdout)
}

fn decode_manifest(stdout: &[u8]) -> Value {
    let secret: Value = serde_json::from_slice(stdout).expect("the manifest is JSON");
    assert_eq!(secret["type"], "kubernetes.io/dockerconfigjson");
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .expect(".dockerconfigjson is present");
    serde_json::from_slice(&BASE64.decode(encoded).expect("base64")).expect("the config is JSON")
}

/// The raw `.dockerconfigjson` bytes, for checks of key order.
fn docker_config_text(output: &Output) -> String {
    let secret: Value = serde_json::from_slice(&output.stdout).expect("the manifest is JSON");
    let encoded = secret["data"][".dockerconfigjson"]
        .as_str()
        .expect("present");
    String::from_utf8(BASE64.decode(encoded).expect("base64")).expect("utf8")
}

/// Checks one entry, including that `auth` decodes to `user:password`.
fn assert_entry(config: &Value, server: &str, user: &str, password: &str) {
    let entry = &config["auths"][server];
    assert_eq!(entry["username"], user, "username for {server} in {config}");
    assert_eq!(entry["password"], password, "password for {server}");
    let auth = BASE64
        .decode(entry["auth"].as_str().expect("auth"))
        .expect("auth is base64");
    assert_eq!(
        auth,
        format!("{user}:{password}").into_bytes(),
        "auth for {server}"
    );
}

fn run_in(dir: &Path, argv: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = pachsecret();
    cmd.current_dir(dir).timeout(Duration::from_secs(20));
    cmd.arg("docker-registry").args(argv);
    // The user's Docker configuration must not leak into --from-docker-config tests.
    cmd.env_remove("DOCKER_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    cmd.output().expect("pachsecret runs")
}

fn stderr_of(output: &Output) -> String {
    show(&output.stderr)
}

// ---------------------------------------------------------------------------------------------
// kubectl's behaviour, without kubectl (values from kubectl-behaviour.md §4)

#[test]
fn kubectl_docker_registry_default_server_golden() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password=p",
            "--validate=false",
        ],
        &[],
        None,
    );
    assert_eq!(
        show(&out.stdout),
        r#"{
    "kind": "Secret",
    "apiVersion": "v1",
    "metadata": {
        "name": "r",
        "creationTimestamp": null
    },
    "data": {
        ".dockerconfigjson": "eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19"
    },
    "type": "kubernetes.io/dockerconfigjson"
}
"#
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn kubectl_docker_registry_append_hash_golden() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password=p",
            "--append-hash",
            "-o",
            "name",
            "--validate=false",
        ],
        &[],
        None,
    );
    assert_eq!(show(&out.stdout), "secret/r-mmbmthh8k5\n");
}

#[test]
fn kubectl_credentials_required_without_from_file() {
    for argv in [
        &["r", "--docker-password=p", "--docker-server=s"][..],
        &[
            "r",
            "--docker-username=u",
            "--docker-password=",
            "--docker-server=s",
        ],
        &[
            "r",
            "--docker-username=u",
            "--docker-password=p",
            "--docker-server=",
        ],
        &["r"],
    ] {
        let out = run_in(Path::new("."), argv, &[], None);
        assert_eq!(out.status.code(), Some(2), "{argv:?}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr_of(&out).starts_with("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n"),
            "{argv:?}: {}",
            stderr_of(&out)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Differential tests against kubectl 1.32

#[test]
fn kubectl_differential_generated_credentials() {
    let Some(k) = kubectl() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = Rng::new(0x5eed_d0c4_e720_2600);
    let mut succeeded = 0;
    const CASES: usize = 200;
    for _ in 0..CASES {
        let mut case = vec![b"docker-registry".to_vec()];
        // Names never start with '-' (that would be a flag for both tools).
        let name = match rng.below(10) {
            0 => Vec::new(),
            1..=3 => {
                let mut n = b"n".to_vec();
                n.extend(random_text(&mut rng, 3));
                n
            }
            _ => b"regcred".to_vec(),
        };
        case.push(name);
        // Each flag is one group of arguments: `--flag=VALUE`, or `--flag VALUE` (where
        // pflag takes the next argument whatever it looks like, even `-x` or `--`).
        let mut groups: Vec<Vec<Vec<u8>>> = Vec::new();
        for flag in [
            "--docker-username",
            "--docker-password",
            "--docker-email",
            "--docker-server",
        ] {
            let omit = match flag {
                "--docker-email" | "--docker-server" => 40,
                _ => 8,
            };
            if rng.chance(omit) {
                continue;
            }
            let value = if rng.chance(5) {
                Vec::new()
            } else {
                let mut v = random_text(&mut rng, 6);
                if v.is_empty() {
                    v.push(b'x');
                }
                v
            };
            if rng.chance(20) {
                groups.push(vec![flag.as_bytes().to_vec(), value]);
            } else {
                groups.push(vec![arg(flag, &value)]);
            }
        }
        for (percent, flag) in [
            (30, "--append-hash"),
            (10, "--namespace=team-a"),
            (10, "--save-config"),
        ] {
            if rng.chance(percent) {
                groups.push(vec![flag.as_bytes().to_vec()]);
            }
        }
        // Shuffle the groups so flag order never matters.
        for i in (1..groups.len()).rev() {
            groups.swap(i, rng.below(i + 1));
        }
        case.extend(groups.into_iter().flatten());
        if assert_same_as_kubectl(k, &case, dir.path()) {
            succeeded += 1;
        }
    }
    // The generator must exercise both outcomes substantially.
    assert!(
        succeeded > CASES / 2,
        "only {succeeded} of {CASES} succeeded"
    );
    assert!(
        succeeded < CASES - 10,
        "only {} of {CASES} failed",
        CASES - succeeded
    );
}

#[test]
fn kubectl_differential_from_file() {
    let Some(k) = kubectl() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("cfg.json"),
        br#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#,
    )
    .expect("write");
    std::fs::write(d.join("other.json"), b"{\"auths\":{}}\n").expect("write");
    std::fs::write(d.join("not-json"), b"not json \xff<&>").expect("write");
    std::fs::write(d.join("empty"), b"").expect("write");
    std::fs::create_dir(d.join("dir")).expect("mkdir");
    std::fs::write(d.join("dir/a.json"), b"{}").expect("write");
    let sources: &[&str] = &[
        "cfg.json",
        "./cfg.json",
        ".dockerconfigjson=cfg.json",
        "foo=other.json",
        "other.json",
        "not-json",
        "k.1=not-json",
        "empty",
        "dir",
        "dir/",
        "k=dir",
        "dir/a.json",
        "missing.json",
        "=cfg.json",
        "k=",
        "a=b=c",
        "cfg.json,other.json",
        "x=cfg.json,y=other.json",
        "\"q=cfg.json\"",
        "k=\"cfg.json",
        "bad key=cfg.json",
        "",
        "cfg.json,",
    ];
    let mut rng = Rng::new(0xf11e_5eed);
    let mut succeeded = 0;
    const CASES: usize = 90;
    for i in 0..CASES {
        let mut case = args(&["docker-registry", "r"]);
        // First every source alone, then random combinations.
        if i < sources.len() {
            case.push(arg("--from-file", sources[i].as_bytes()));
        } else {
            for _ in 0..1 + rng.below(3) {
                case.push(arg("--from-file", rng.pick(sources).as_bytes()));
            }
        }
        // Credential flags next to --from-file are ignored by kubectl.
        for flag in [
            "--docker-username",
            "--docker-password",
            "--docker-server",
            "--docker-email",
        ] {
            if rng.chance(35) {
                let value = random_text(&mut rng, 3);
                case.push(arg(flag, &value));
            }
        }
        if rng.chance(30) {
            case.push(b"--append-hash".to_vec());
        }
        if assert_same_as_kubectl(k, &case, d) {
            succeeded += 1;
        }
    }
    assert!(
        succeeded > 15 && succeeded < CASES - 15,
        "{succeeded} of {CASES} succeeded"
    );
}

// ---------------------------------------------------------------------------------------------
// Passwords without argv

const SENTINEL: &str = "S3ntinel-p4ss!<&>";

#[test]
fn password_from_stdin_drops_one_final_newline_like_docker_login() {
    for (input, expected) in [
        (&b"tok3n\n"[..], "tok3n"),
        (b"tok3n\r\n", "tok3n"),
        (b"tok3n", "tok3n"),
        (b"tok3n\n\n", "tok3n\n"),
    ] {
        let out = run_in(
            Path::new("."),
            &[
                "r",
                "--docker-server=ghcr.io",
                "--docker-username=bot",
                "--docker-password-stdin",
            ],
            &[],
            Some(input),
        );
        assert_entry(&docker_config(&out), "ghcr.io", "bot", expected);
        assert!(out.stderr.is_empty(), "{}", stderr_of(&out));
    }
}

#[test]
fn password_from_environment_is_verbatim() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=bot",
            "--docker-password-env=REG_TOKEN",
        ],
        &[("REG_TOKEN", "a:b c\n")],
        None,
    );
    assert_entry(
        &docker_config(&out),
        "https://index.docker.io/v1/",
        "bot",
        "a:b c\n",
    );
}

#[test]
fn password_from_file_and_from_dash() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("pw"), "from-file\n").expect("write");
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--docker-server=quay.io",
            "--docker-username=bot",
            "--docker-password-file=pw",
        ],
        &[],
        None,
    );
    assert_entry(&docker_config(&out), "quay.io", "bot", "from-file");
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--docker-server=quay.io",
            "--docker-username=bot",
            "--docker-password-file=-",
        ],
        &[],
        Some(b"from-stdin\n"),
    );
    assert_entry(&docker_config(&out), "quay.io", "bot", "from-stdin");
}

#[test]
fn argv_password_works_and_is_warned_about() {
    let out = run_in(
        Path::new("."),
        &["r", "--docker-username=bot", "--docker-password=p"],
        &[],
        None,
    );
    assert_entry(
        &docker_config(&out),
        "https://index.docker.io/v1/",
        "bot",
        "p",
    );
    assert!(
        stderr_of(&out)
            .contains("warning: --docker-password puts the password on the command line")
    );
    let strict = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=bot",
            "--docker-password=p",
            "--strict",
        ],
        &[],
        None,
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(strict.stdout.is_empty());
}

#[test]
fn password_sources_are_exclusive_and_stdin_has_one_reader() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password-env=A",
            "--docker-password-stdin",
        ],
        &[("A", "x")],
        Some(b"y"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("given more than once"),
        "{}",
        stderr_of(&out)
    );

    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password-stdin",
            "--registry=ghcr.io,username=v,password-file=-",
        ],
        &[],
        Some(b"y"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("standard input can provide only one value, but --docker-password-stdin and --registry #1 password-file both read it"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn empty_or_missing_password_sources_are_rejected_by_name() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password-env=EMPTY_TOKEN",
        ],
        &[("EMPTY_TOKEN", "")],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("from the environment variable EMPTY_TOKEN is empty"));
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password-env=UNSET_TOKEN_VAR",
        ],
        &[],
        None,
    );
    assert!(
        stderr_of(&out)
            .contains("--docker-password-env names an environment variable that is not set")
            && !stderr_of(&out).contains("UNSET_TOKEN_VAR"),
        "{}",
        stderr_of(&out)
    );
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--docker-username=u",
            "--docker-password-file=/nonexistent/pw",
        ],
        &[],
        None,
    );
    assert!(stderr_of(&out).contains(
        "error reading /nonexistent/pw for --docker-password-file: no such file or directory"
    ));
}

#[test]
fn without_a_terminal_a_missing_password_fails_fast() {
    // stdin is /dev/null here; the timeout guards against a prompt waiting forever.
    for (argv, expected) in [
        (
            &["r", "--docker-username=u"][..],
            "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required",
        ),
        (
            &["r", "--registry=ghcr.io,username=u"][..],
            "there is no terminal to ask on",
        ),
    ] {
        let started = std::time::Instant::now();
        let out = run_in(Path::new("."), argv, &[], None);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(2), "{argv:?}");
        assert!(out.stdout.is_empty());
        assert!(stderr_of(&out).contains(expected), "{}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("-stdin"),
            "the hint lists the non-interactive sources"
        );
    }
}

/// Runs every error path with the sentinel password somewhere in its input and checks that
/// it never reaches stderr, in clear or in base64.
#[test]
fn the_password_never_appears_in_errors_or_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let encoded_auth = BASE64.encode(format!("u:{SENTINEL}"));
    std::fs::write(
        d.join("helpers.json"),
        format!(r#"{{"auths":{{"a.example":{{"auth":"{encoded_auth}"}},"gcr.io":{{}}}},"credHelpers":{{"gcr.io":"gcloud"}}}}"#),
    )
    .expect("write");
    std::fs::write(
        d.join("mismatch.json"),
        format!(r#"{{"auths":{{"a.example":{{"username":"u","password":"{SENTINEL}x","auth":"{encoded_auth}"}}}}}}"#),
    )
    .expect("write");
    std::fs::write(d.join("pw"), SENTINEL).expect("write");
    let pw_arg = format!("--docker-password={SENTINEL}");
    let env_arg = format!("--docker-password-env={SENTINEL}");
    let inline = format!("--registry=ghcr.io,username=u,password={SENTINEL}");
    let typo = format!("--registry=ghcr.io,username=u,pasword-env={SENTINEL}");
    let cases: Vec<(Vec<&str>, Option<&[u8]>)> = vec![
        (vec!["r", &pw_arg], None),
        (vec!["r", &pw_arg, "--docker-server="], None),
        (vec!["Bad_Name", "--docker-username=u", &pw_arg], None),
        (vec!["r", "--docker-username=a:b", &pw_arg], None),
        (vec!["r", "--docker-username=u", &pw_arg, "--strict"], None),
        (
            vec![
                "r",
                "--docker-username=u",
                &pw_arg,
                "--docker-server=http://x y",
                "--strict",
            ],
            None,
        ),
        (vec!["r", "--docker-username=u", &env_arg], None),
        (vec!["r", &inline], None),
        (vec!["r", &typo], None),
        (
            vec![
                "r",
                "--docker-username=u",
                "--docker-password-stdin",
                "--registry=q.io,username=v,password-stdin",
            ],
            Some(SENTINEL.as_bytes()),
        ),
        (
            vec!["r", "--docker-username=a:b", "--docker-password-stdin"],
            Some(SENTINEL.as_bytes()),
        ),
        (
            vec!["r", "--docker-username=a:b", "--docker-password-file=pw"],
            None,
        ),
        (vec!["r", "--from-docker-config=helpers.json"], None),
        (vec!["r", "--from-docker-config=mismatch.json"], None),
        (
            vec!["r", "--from-file=helpers.json", &pw_arg, "--strict"],
            None,
        ),
        (vec!["r", "--from-file=mismatch.json"], None),
        (vec!["r", "--from-file=pw"], None),
        (
            vec!["r", "--from-file=helpers.json", "--docker-password-stdin"],
            Some(SENTINEL.as_bytes()),
        ),
    ];
    let b64_password = BASE64.encode(SENTINEL);
    for (argv, stdin) in cases {
        let out = run_in(d, &argv, &[], stdin);
        let err = stderr_of(&out);
        assert!(!out.status.success(), "{argv:?} should fail");
        assert!(
            out.stdout.is_empty(),
            "{argv:?}: stdout must be empty on error"
        );
        assert!(!err.is_empty(), "{argv:?}: an error is reported");
        for secret in [SENTINEL, "S3ntinel", &b64_password, &encoded_auth] {
            assert!(
                !err.contains(secret),
                "{argv:?} leaked the password:\n{err}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The terminal prompt, driven through tmux

#[test]
fn the_password_prompt_is_used_on_a_terminal_and_does_not_echo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let command = tmux_command(
        dir.path(),
        "",
        "docker-registry regcred --docker-server=ghcr.io --docker-username=me --registry=quay.io,username=bot",
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    let typed = "typed-Secret-42";
    tmux.wait_for("Password for me at ghcr.io:");
    tmux.type_line(typed);
    tmux.wait_for("Password for me at ghcr.io (again):");
    tmux.type_line(typed);
    tmux.wait_for("Password for bot at quay.io:");
    tmux.type_line("second-one");
    tmux.wait_for("Password for bot at quay.io (again):");
    tmux.type_line("second-one");
    let status = wait_for_file(&dir.path().join("status"));
    let screen = tmux.screen();
    assert_eq!(
        status.trim(),
        "0",
        "stderr: {:?}",
        std::fs::read_to_string(dir.path().join("err.txt"))
    );
    assert!(
        !screen.contains(typed) && !screen.contains("second-one"),
        "echoed:\n{screen}"
    );
    let config = decode_manifest(&std::fs::read(dir.path().join("out.json")).expect("output"));
    assert_entry(&config, "ghcr.io", "me", typed);
    assert_entry(&config, "quay.io", "bot", "second-one");
}

#[test]
fn the_prompt_refuses_two_different_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let command = tmux_command(
        dir.path(),
        "",
        "docker-registry regcred --docker-username=me",
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.wait_for("Password for me at https://index.docker.io/v1/:");
    tmux.type_line("first-try");
    tmux.wait_for("(again):");
    tmux.type_line("second-try");
    let status = wait_for_file(&dir.path().join("status"));
    assert_eq!(status.trim(), "1");
    let err = std::fs::read_to_string(dir.path().join("err.txt")).expect("stderr");
    assert!(
        err.contains("the two entries typed at the prompt \"Password for me at https://index.docker.io/v1/\" differ"),
        "{err}"
    );
    assert!(!err.contains("first-try") && !err.contains("second-try"));
    assert!(
        std::fs::read(dir.path().join("out.json"))
            .expect("out")
            .is_empty()
    );
}

#[test]
fn ci_set_means_no_prompt_even_on_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let command = tmux_command(
        dir.path(),
        "CI=true",
        "docker-registry regcred --docker-username=me",
    );
    let Some(_tmux) = Tmux::start(&command) else {
        return;
    };
    let status = wait_for_file(&dir.path().join("status"));
    assert_eq!(status.trim(), "2");
    let err = std::fs::read_to_string(dir.path().join("err.txt")).expect("stderr");
    assert!(err.contains("CI is set"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Several registries in one secret

#[test]
fn several_registries_each_with_their_own_credentials() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("quay-token"), "quay-pw\n").expect("write");
    let out = run_in(
        dir.path(),
        &[
            "pull-secret",
            "--registry=ghcr.io,username=ci-bot,password-env=GHCR_TOKEN,email=ci@example.com",
            "--registry=quay.io,username=org+robot,password-file=quay-token",
            "--registry=server=registry.example.com:5000,username=deploy,password-stdin",
            "--docker-username=hub-user",
            "--docker-password-env=HUB_TOKEN",
        ],
        &[("GHCR_TOKEN", "gh-pw"), ("HUB_TOKEN", "hub:pw")],
        Some(b"local-pw\n"),
    );
    let config = docker_config(&out);
    assert!(out.stderr.is_empty(), "{}", stderr_of(&out));
    assert_entry(&config, "ghcr.io", "ci-bot", "gh-pw");
    assert_eq!(config["auths"]["ghcr.io"]["email"], "ci@example.com");
    assert_entry(&config, "quay.io", "org+robot", "quay-pw");
    assert!(
        config["auths"]["quay.io"].get("email").is_none(),
        "empty email is omitted"
    );
    assert_entry(&config, "registry.example.com:5000", "deploy", "local-pw");
    assert_entry(&config, "https://index.docker.io/v1/", "hub-user", "hub:pw");
    assert_eq!(config["auths"].as_object().expect("object").len(), 4);
    // Go sorts map keys byte-wise: "ghcr.io" < "https://..." < "quay.io" < "registry...".
    let text = docker_config_text(&out);
    let positions: Vec<usize> = [
        "\"ghcr.io\"",
        "\"https://index",
        "\"quay.io\"",
        "\"registry.example",
    ]
    .iter()
    .map(|s| text.find(s).expect("present"))
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn registry_specs_are_checked() {
    for (spec, expected) in [
        ("--registry=ghcr.io", "no username=USER"),
        ("--registry=username=u", "no server"),
        (
            "--registry=ghcr.io,username=u,password=x",
            "cannot be given inline",
        ),
        (
            "--registry=ghcr.io,username=u,password-env=A,password-stdin",
            "more than one password field",
        ),
        ("--registry=ghcr.io,user=u", "field 2 is not one of"),
    ] {
        let out = run_in(Path::new("."), &["r", spec], &[("A", "x")], None);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        assert!(
            stderr_of(&out).contains(expected),
            "{spec}: {}",
            stderr_of(&out)
        );
    }
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--registry=ghcr.io,username=a,password-env=A",
            "--registry=ghcr.io,username=b,password-env=A",
        ],
        &[("A", "x")],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("the registry ghcr.io is given twice: by --registry #1 and by --registry #2")
    );
}

#[test]
fn unusual_servers_are_noted_but_written() {
    let out = run_in(
        Path::new("."),
        &[
            "r",
            "--registry=http://registry.local,username=u,password-env=A",
        ],
        &[("A", "x")],
        None,
    );
    assert_entry(&docker_config(&out), "http://registry.local", "u", "x");
    assert!(
        stderr_of(&out).contains("is unusual: it uses plain http://"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_colon_in_the_username_is_refused_unless_checks_are_off() {
    let argv = ["r", "--docker-username=a:b", "--docker-password-env=A"];
    let out = run_in(Path::new("."), &argv, &[("A", "x")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("contains ':'"));
    let mut relaxed = argv.to_vec();
    relaxed.push("--validate=false");
    let out = run_in(Path::new("."), &relaxed, &[("A", "x")], None);
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Importing a Docker config

fn write_config(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const MIXED_CONFIG: &str = r#"{
  "auths": {
    "https://index.docker.io/v1/": {},
    "ghcr.io": {"auth": "Z2gtdXNlcjpnaDpwdw=="},
    "registry.example.com:5000": {"username": "deploy", "password": "reg-pw", "email": "d@example.com"},
    "myregistry.azurecr.io": {"identitytoken": "opaque"}
  },
  "credsStore": "desktop",
  "credHelpers": {"gcr.io": "gcloud"}
}"#;

#[test]
fn import_only_selected_registries_decoded_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), "config.json", MIXED_CONFIG);
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--from-docker-config=config.json",
            "--only=ghcr.io",
            "--only=https://registry.example.com:5000/v2/",
        ],
        &[],
        None,
    );
    let config = docker_config(&out);
    assert_entry(&config, "ghcr.io", "gh-user", "gh:pw");
    assert_entry(&config, "registry.example.com:5000", "deploy", "reg-pw");
    assert_eq!(
        config["auths"]["registry.example.com:5000"]["email"],
        "d@example.com"
    );
    assert_eq!(config["auths"].as_object().expect("object").len(), 2);
}

#[test]
fn import_names_entries_that_live_in_credential_helpers() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), "config.json", MIXED_CONFIG);
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config=config.json"],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    for named in [
        "https://index.docker.io/v1/ (credsStore: docker-credential-desktop)",
        "gcr.io (credHelpers: docker-credential-gcloud)",
        "myregistry.azurecr.io (only an identity token",
        "--only=ghcr.io --only=registry.example.com:5000",
    ] {
        assert!(err.contains(named), "missing {named:?} in:\n{err}");
    }
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config=config.json", "--only=docker.io"],
        &[],
        None,
    );
    assert!(
        stderr_of(&out)
            .contains("https://index.docker.io/v1/ (credsStore: docker-credential-desktop)")
    );
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--from-docker-config=config.json",
            "--only=nowhere.example",
        ],
        &[],
        None,
    );
    assert!(stderr_of(&out).contains("--only=nowhere.example: no such registry"));
    assert!(stderr_of(&out).contains("it has: ghcr.io, https://index.docker.io/v1/, myregistry.azurecr.io, registry.example.com:5000, gcr.io"));
}

#[test]
fn import_default_location_and_merge_with_other_registries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docker_dir = dir.path().join("dockercfg");
    std::fs::create_dir(&docker_dir).expect("mkdir");
    write_config(
        &docker_dir,
        "config.json",
        r#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#,
    );
    let docker_config_dir = docker_dir.to_str().expect("utf8 path");
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--from-docker-config",
            "--registry=quay.io,username=q,password-env=Q",
        ],
        &[("DOCKER_CONFIG", docker_config_dir), ("Q", "qpw")],
        None,
    );
    let config = docker_config(&out);
    assert_entry(&config, "ghcr.io", "u", "p");
    assert_entry(&config, "quay.io", "q", "qpw");

    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".docker")).expect("mkdir");
    write_config(
        &home.join(".docker"),
        "config.json",
        r#"{"auths":{"h.example":{"auth":"aDpw"}}}"#,
    );
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config"],
        &[("HOME", home.to_str().expect("utf8"))],
        None,
    );
    assert_entry(&docker_config(&out), "h.example", "h", "p");

    let out = run_in(
        dir.path(),
        &[
            "r",
            "--from-docker-config",
            "--registry=ghcr.io,username=x,password-env=Q",
        ],
        &[("DOCKER_CONFIG", docker_config_dir), ("Q", "qpw")],
        None,
    );
    assert!(stderr_of(&out).contains(
        "the registry ghcr.io is given twice: by --registry #1 and by --from-docker-config"
    ));
}

#[test]
fn import_rejects_legacy_and_broken_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(
        dir.path(),
        "legacy.json",
        r#"{"r.example":{"auth":"dTpw","email":"e"}}"#,
    );
    write_config(dir.path(), "broken.json", "{\"auths\": ");
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config=legacy.json"],
        &[],
        None,
    );
    assert!(
        stderr_of(&out).contains("legacy .dockercfg format"),
        "{}",
        stderr_of(&out)
    );
    assert!(stderr_of(&out).contains("{\"auths\": <the old file>}"));
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config=broken.json"],
        &[],
        None,
    );
    assert!(
        stderr_of(&out).contains("is not a JSON object (unexpected end at line 1"),
        "{}",
        stderr_of(&out)
    );
    let out = run_in(
        dir.path(),
        &["r", "--from-docker-config=missing.json"],
        &[],
        None,
    );
    assert!(stderr_of(&out).contains(
        "error reading missing.json for --from-docker-config: no such file or directory"
    ));
    let out = run_in(
        dir.path(),
        &[
            "r",
            "--only=ghcr.io",
            "--docker-username=u",
            "--docker-password=p",
        ],
        &[],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "--only needs --from-docker-config"
    );
}

// ---------------------------------------------------------------------------------------------
// --from-file: kubectl's behaviour plus the kubelet's checks

#[test]
fn from_file_content_is_checked_as_the_kubelet_reads_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write_config(
        d,
        "good.json",
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"dTpw\"}}}\n",
    );
    write_config(
        d,
        "no-colon.json",
        r#"{"auths":{"ghcr.io":{"auth":"bm9jb2xvbg=="}}}"#,
    );
    write_config(d, "legacy.json", r#"{"ghcr.io":{"auth":"dTpw"}}"#);
    write_config(
        d,
        "store.json",
        r#"{"auths":{"ghcr.io":{}},"credsStore":"osxkeychain"}"#,
    );
    write_config(d, "not.json", "hello");

    let out = run_in(d, &["r", "--from-file=good.json"], &[], None);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "a JSON file ending in a newline is fine: {}",
        stderr_of(&out)
    );

    for (file, expected) in [
        ("no-colon.json", "does not decode to user:password"),
        ("legacy.json", "legacy .dockercfg format"),
        ("store.json", "credsStore docker-credential-osxkeychain"),
        ("not.json", "is not a JSON object"),
    ] {
        let source = format!("--from-file={file}");
        let out = run_in(d, &["r", &source], &[], None);
        assert_eq!(out.status.code(), Some(1), "{file}");
        assert!(
            stderr_of(&out).contains(expected),
            "{file}: {}",
            stderr_of(&out)
        );
        let out = run_in(d, &["r", &source, "--validate=false"], &[], None);
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "kubectl accepts {file}"
        );
    }

    let out = run_in(
        d,
        &[
            "r",
            "--from-file=good.json",
            "--docker-username=u",
            "--docker-password=p",
        ],
        &[],
        None,
    );
    assert!(out.status.success());
    assert!(
        stderr_of(&out)
            .contains("--docker-username, --docker-password ignored because --from-file is given")
    );
    let out = run_in(
        d,
        &["r", "--from-file=good.json", "--from-file=extra=not.json"],
        &[],
        None,
    );
    assert!(
        stderr_of(&out)
            .contains("the key extra (from --from-file=not.json) is ignored by the kubelet")
    );
    let out = run_in(
        d,
        &["r", "--from-file=good.json", "--registry=q.io,username=u"],
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("cannot be combined with --registry"));
}

#[test]
fn from_file_bare_path_gets_the_dockerconfigjson_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(
        dir.path(),
        "cfg.json",
        r#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#,
    );
    let out = run_in(dir.path(), &["r", "--from-file=cfg.json"], &[], None);
    assert_eq!(
        docker_config_text(&out),
        r#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#,
        "stored as it is"
    );
}
