//! Values that never touch argv: `--from-env`, `--from-stdin`, `--from-prompt`, and `-` as a
//! path. A value read this way is treated exactly like a literal.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::util::pachsecret;
use crate::util::tty::{Tmux, tmux_command, wait_for_file};

fn as_literal(args: &[&str]) -> Vec<u8> {
    pachsecret().args(args).output().unwrap().stdout
}

#[test]
fn a_value_from_the_environment_is_a_literal() {
    pachsecret()
        .args([
            "generic",
            "db",
            "--from-env=password=DB_PASSWORD",
            "--append-hash",
        ])
        .env("DB_PASSWORD", "s3cr3t <&>")
        .assert()
        .success()
        .stderr("")
        .stdout(as_literal(&[
            "generic",
            "db",
            "--from-literal=password=s3cr3t <&>",
            "--append-hash",
        ]));
}

#[test]
fn a_value_from_stdin_is_taken_verbatim() {
    pachsecret()
        .args(["generic", "db", "--from-stdin=password"])
        .write_stdin("line one\nline two\n")
        .assert()
        .success()
        .stdout(as_literal(&[
            "generic",
            "db",
            "--from-literal=password=line one\nline two\n",
        ]));
}

#[test]
fn a_dash_path_reads_stdin_for_files_and_env_files() {
    pachsecret()
        .args(["generic", "s", "--from-file=token=-"])
        .write_stdin("abc")
        .assert()
        .success()
        .stdout(as_literal(&["generic", "s", "--from-literal=token=abc"]));
    pachsecret()
        .args(["generic", "s", "--from-env-file=-"])
        .write_stdin("A=1\n# comment\nB=2\n")
        .assert()
        .success()
        .stdout(as_literal(&[
            "generic",
            "s",
            "--from-literal=A=1",
            "--from-literal=B=2",
        ]));
}

#[test]
fn values_read_safely_get_the_same_warnings_and_key_checks() {
    pachsecret()
        .args(["generic", "s", "--from-stdin=password"])
        .write_stdin("hunter2\n")
        .assert()
        .success()
        .stderr(predicates::str::starts_with(
            "warning: the value of key password (from --from-stdin, standard input) ends with a newline",
        ))
        .stderr(predicates::str::contains("hunter2").not());
    pachsecret()
        .args(["generic", "s", "--from-env=bad key=HOME"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the key of the 1st --from-env, the environment variable HOME is not a valid key name",
        ))
        .stderr(predicates::str::contains("bad key").not());
    pachsecret()
        .args(["generic", "s", "--from-literal=a=1", "--from-env=a=HOME"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("cannot add key a"));
}

#[test]
fn only_one_value_can_come_from_stdin() {
    pachsecret()
        .args(["generic", "s", "--from-stdin=a", "--from-file=b=-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "standard input can provide only one value, but --from-stdin and --from-file both read it",
        ));
}

#[test]
fn an_unset_variable_is_an_error_naming_the_flag_not_the_name() {
    // The name may be a token pasted where the name belongs: it is never echoed.
    pachsecret()
        .args([
            "generic",
            "s",
            "--from-env=a=HOME",
            "--from-env=password=ghp_PACHSECRET_TEST_UNSET",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "error: the 2nd --from-env names an environment variable that is not set",
        ))
        .stderr(predicates::str::contains("PACHSECRET_TEST_UNSET").not());
    pachsecret()
        .args(["generic", "s", "--from-env=password"])
        .assert()
        .code(2);
}

#[test]
fn without_a_terminal_a_prompt_fails_fast() {
    let start = Instant::now();
    pachsecret()
        .args(["generic", "s", "--from-prompt=token"])
        .write_stdin("")
        .timeout(Duration::from_secs(10))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--from-prompt=token needs a terminal",
        ))
        .stderr(predicates::str::contains("--from-env=KEY=VAR"));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn the_prompt_asks_twice_without_echo_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let command = tmux_command(
        dir.path(),
        "",
        "generic api --from-prompt=token --from-literal=user=bot",
    );
    let Some(tmux) = Tmux::start(&command) else {
        return;
    };
    tmux.wait_for("Value for key token:");
    tmux.type_line("typed-T0ken");
    tmux.wait_for("Value for key token (again):");
    tmux.type_line("typed-T0ken");
    let status = wait_for_file(&dir.path().join("status"));
    assert_eq!(
        status.trim(),
        "0",
        "{:?}",
        std::fs::read_to_string(dir.path().join("err.txt"))
    );
    assert!(
        !tmux.screen().contains("typed-T0ken"),
        "the value was echoed"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out.json")).unwrap(),
        as_literal(&[
            "generic",
            "api",
            "--from-literal=token=typed-T0ken",
            "--from-literal=user=bot"
        ])
    );
}

#[test]
fn a_dash_path_reads_stdin_for_tls_and_docker_registry_too() {
    let tls = crate::util::testdata().join("tls");
    let from_files = pachsecret()
        .current_dir(&tls)
        .args([
            "tls",
            "t",
            "--cert=p256.crt",
            "--key=p256.key",
            "--validate=false",
        ])
        .output()
        .unwrap()
        .stdout;
    pachsecret()
        .current_dir(&tls)
        .args(["tls", "t", "--cert=-", "--key=p256.key", "--validate=false"])
        .write_stdin(std::fs::read(tls.join("p256.crt")).unwrap())
        .assert()
        .success()
        .stdout(from_files);
    pachsecret()
        .current_dir(&tls)
        .args(["tls", "t", "--cert=-", "--key=-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "standard input can provide only one value",
        ));
    let config = br#"{"auths":{"ghcr.io":{"auth":"dTpw"}}}"#;
    pachsecret()
        .args(["docker-registry", "r", "--from-file=-"])
        .write_stdin(config.as_slice())
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "\".dockerconfigjson\": \"eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJkVHB3In19fQ==\"",
        ));
}
