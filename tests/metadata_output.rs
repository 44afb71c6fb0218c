//! Metadata kubectl's `create secret` cannot set, and writing the manifest to a file.

use std::os::unix::fs::PermissionsExt as _;

use predicates::prelude::*;

use crate::util::pachsecret;

#[test]
fn labels_annotations_and_immutable_sit_where_kubectls_typed_printer_puts_them() {
    pachsecret()
        .args([
            "generic",
            "s",
            "--from-literal=a=1",
            "--label=team=ml",
            "-l",
            "app.kubernetes.io/name=train",
            "--annotation=example.com/owner=Ana <ana@example.com>",
            "--immutable",
        ])
        .assert()
        .success()
        .stderr("")
        .stdout(
            r#"{
    "kind": "Secret",
    "apiVersion": "v1",
    "metadata": {
        "name": "s",
        "creationTimestamp": null,
        "labels": {
            "app.kubernetes.io/name": "train",
            "team": "ml"
        },
        "annotations": {
            "example.com/owner": "Ana \u003cana@example.com\u003e"
        }
    },
    "immutable": true,
    "data": {
        "a": "MQ=="
    }
}
"#,
        );
}

#[test]
fn metadata_does_not_change_kubectls_hash() {
    pachsecret()
        .args([
            "generic",
            "s",
            "--from-literal=b=2",
            "--from-literal=a=1",
            "--append-hash",
            "-o",
            "name",
        ])
        .args(["--label=team=ml", "--immutable"])
        .assert()
        .success()
        .stdout("secret/s-mmg922cb59\n");
}

#[test]
fn invalid_labels_and_the_suite_label_are_refused() {
    for (label, message) in [
        ("--label=bad key=x", "label key \"bad key\" is invalid"),
        (
            "--label=team=has space",
            "the value of label team is invalid",
        ),
        (
            "--label=suite=other",
            "pachd refuses a secret labelled suite=other",
        ),
        (
            "--annotation=a/b/c=x",
            "annotation key \"a/b/c\" is invalid",
        ),
    ] {
        pachsecret()
            .args(["generic", "s", label])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicates::str::contains(message));
    }
    pachsecret()
        .args(["generic", "s", "--label=suite=pachyderm"])
        .assert()
        .success();
    pachsecret()
        .args(["generic", "s", "--label=novalue"])
        .assert()
        .code(2);
    pachsecret()
        .args(["generic", "s", "--label=a=1", "--label=a=2"])
        .assert()
        .code(2);
}

#[test]
fn a_namespace_is_written_but_warned_about() {
    pachsecret()
        .args(["generic", "s", "-n", "team-a"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"namespace\": \"team-a\""))
        .stderr(predicates::str::starts_with(
            "warning: metadata.namespace is set to team-a; pachctl create secret always creates the secret in pachd's own namespace",
        ));
}

#[test]
fn output_file_is_private_atomic_and_not_overwritten_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("s.json");
    let expected = pachsecret()
        .args(["generic", "s", "--from-literal=a=1"])
        .output()
        .unwrap()
        .stdout;
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-literal=a=1", "--output-file=s.json"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-literal=a=2", "-O", "s.json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicates::str::contains("s.json already exists")
                .and(predicates::str::contains("--force")),
        );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        expected,
        "refused write must leave the file alone"
    );
    pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "s",
            "--from-literal=a=2",
            "-O",
            "s.json",
            "--force",
        ])
        .assert()
        .success();
    assert_ne!(std::fs::read(&target).unwrap(), expected);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("s.json")],
        "no temporary file left behind"
    );
}

#[test]
fn a_failed_run_leaves_the_output_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.json"), "previous").unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "s",
            "--from-file=missing",
            "-O",
            "s.json",
            "--force",
        ])
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("s.json")).unwrap(),
        "previous"
    );
}

#[test]
fn kubectl_compat_selects_the_output_shape() {
    pachsecret()
        .args(["generic", "s", "--kubectl-compat=1.34"])
        .assert()
        .success()
        .stdout("{\n    \"kind\": \"Secret\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"s\"\n    }\n}\n");
    pachsecret()
        .args(["generic", "s", "--kubectl-compat=1.26"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--kubectl-compat accepts a kubectl release from 1.27 to 1.37",
        ));
}
