//! `pachsecret generic`: kubectl's behaviour (kubectl-behaviour.md §1–§2) and the extra checks.

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
