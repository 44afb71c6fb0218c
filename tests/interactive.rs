//! The guided mode, driven on a real terminal through tmux.

use std::path::Path;

use crate::util::pachsecret;
use crate::util::tty::{Tmux, wait_for_file};

/// pachsecret ARGV on the terminal, stdout to out.json, stderr left on the screen (the
/// questions are drawn there).
fn guided_command(dir: &Path, env: &str, argv: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("pachsecret");
    format!(
        "cd '{}' && env -u CI {env} '{}' {argv} > out.json; echo $? > status; sleep 30",
        dir.display(),
        bin.display()
    )
}

fn send(tmux: &Tmux, keys: &[&str]) {
    for key in keys {
        let status = std::process::Command::new("tmux")
            .args(["-L", tmux.socket(), "send-keys", "-t", "0", key])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

#[test]
fn interactive_generic_asks_validates_and_prints_the_same_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = Tmux::start(&guided_command(dir.path(), "DB_USER=bot", "interactive")) else {
        return;
    };
    tmux.wait_for("What kind of secret?");
    send(&tmux, &["Enter"]);
    tmux.wait_for("Name of the secret");
    tmux.type_line("Bad_Name");
    tmux.wait_for("e.g. bad-name");
    tmux.type_line("db-creds");
    tmux.wait_for("Key (e.g.");
    tmux.type_line("password");
    tmux.wait_for("Value of password");
    send(&tmux, &["Enter"]);
    tmux.wait_for("Add another key?");
    send(&tmux, &["y"]);
    tmux.wait_for_count("Key (e.g.", 2);
    tmux.type_line("user");
    tmux.wait_for("Value of user");
    send(&tmux, &["Down", "Down", "Enter"]);
    tmux.wait_for("Environment variable");
    tmux.type_line("DB_USER");
    tmux.wait_for_count("Add another key?", 2);
    send(&tmux, &["n"]);
    tmux.wait_for("Value for key password:");
    tmux.type_line("typed-Pw-1");
    tmux.wait_for("Value for key password (again):");
    tmux.type_line("typed-Pw-1");
    tmux.wait_for("Show the pipeline-spec snippet that uses it?");
    send(&tmux, &["y"]);
    let status = wait_for_file(&dir.path().join("status"));
    let screen = tmux.screen();
    assert_eq!(status.trim(), "0", "{screen}");
    assert!(
        !screen.contains("typed-Pw-1"),
        "the value was echoed:\n{screen}"
    );
    assert!(
        screen
            .contains("pachsecret generic db-creds --from-prompt=password --from-env=user=DB_USER"),
        "{screen}"
    );
    let expected = pachsecret()
        .args([
            "generic",
            "db-creds",
            "--from-literal=password=typed-Pw-1",
            "--from-literal=user=bot",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        std::fs::read(dir.path().join("out.json")).unwrap(),
        expected
    );
}

#[test]
fn a_bare_subcommand_on_a_terminal_starts_the_guided_mode_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = Tmux::start(&guided_command(dir.path(), "", "docker-registry")) else {
        return;
    };
    tmux.wait_for("Name of the secret");
    tmux.type_line("regcred");
    tmux.wait_for("Registry server");
    tmux.type_line("");
    tmux.wait_for("Username at https://index.docker.io/v1/");
    tmux.type_line("me");
    tmux.wait_for("Email (optional)");
    tmux.type_line("");
    tmux.wait_for("Add another registry?");
    send(&tmux, &["n"]);
    tmux.wait_for("Password for me at https://index.docker.io/v1/:");
    tmux.type_line("hub-Pw");
    tmux.wait_for("(again):");
    tmux.type_line("hub-Pw");
    tmux.wait_for("Show the pipeline-spec snippet that uses it?");
    send(&tmux, &["n"]);
    let status = wait_for_file(&dir.path().join("status"));
    let screen = tmux.screen();
    assert_eq!(status.trim(), "0", "{screen}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(manifest["type"], "kubernetes.io/dockerconfigjson");
    assert_eq!(manifest["metadata"]["name"], "regcred");
}

#[test]
fn without_a_terminal_there_are_no_questions() {
    pachsecret()
        .arg("interactive")
        .write_stdin("")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "the guided mode needs a terminal",
        ));
    pachsecret()
        .arg("generic")
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "exactly one NAME is required, got 0",
        ));
}

#[test]
fn interactive_tls_checks_paths_as_they_are_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let tls = crate::util::testdata().join("tls");
    let cert = tls.join("p256.crt");
    let key = tls.join("p256.key");
    let Some(tmux) = Tmux::start(&guided_command(dir.path(), "", "tls")) else {
        return;
    };
    tmux.wait_for("Name of the secret");
    tmux.type_line("web-tls");
    tmux.wait_for("Certificate file");
    tmux.type_line("missing.crt");
    tmux.wait_for("missing.crt: no such file or directory");
    send(&tmux, &["C-u"]);
    tmux.type_line(cert.to_str().unwrap());
    tmux.wait_for("Private key file");
    tmux.type_line(key.to_str().unwrap());
    tmux.wait_for("CA certificate file");
    tmux.type_line("");
    tmux.wait_for("Show the pipeline-spec snippet that uses it?");
    send(&tmux, &["n"]);
    let status = wait_for_file(&dir.path().join("status"));
    let screen = tmux.screen();
    assert_eq!(status.trim(), "0", "{screen}");
    let expected = pachsecret()
        .args(["tls", "web-tls", "--validate=warn"])
        .arg(format!("--cert={}", cert.display()))
        .arg(format!("--key={}", key.display()))
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        std::fs::read(dir.path().join("out.json")).unwrap(),
        expected
    );
}
