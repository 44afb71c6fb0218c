//! Pachyderm pipelines: `snippet`, `patch`, `check` and the `--snippet-file` hook, from the
//! seed's ClearML example to every mistake `check` must catch offline.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt as _;

use crate::util::{pachsecret, show, testdata};

fn fixtures() -> PathBuf {
    testdata().join("pachyderm")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("readable")
}

const CLEARML_ENV: [&str; 4] = [
    "--env",
    "CLEARML_API_ACCESS_KEY=access",
    "--env",
    "CLEARML_API_SECRET_KEY=secret",
];

#[test]
fn clearml_end_to_end_secret_snippet_patch_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("clearml.json");
    let snippet = dir.path().join("clearml.snippet.json");

    // 1. The secret, with its snippet written beside it at generation time.
    let created = pachsecret()
        .args([
            "generic",
            "clearml",
            "--from-literal=access=AKIAEXAMPLEACCESS",
            "--from-literal=secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "--snippet-file",
        ])
        .arg(&snippet)
        .args([
            "--snippet-env",
            "CLEARML_API_ACCESS_KEY=access",
            "--snippet-env",
            "CLEARML_API_SECRET_KEY=secret",
        ])
        .output()
        .expect("runs");
    assert!(created.status.success(), "{}", show(&created.stderr));
    assert_eq!(
        show(&created.stdout),
        read(&fixtures().join("clearml.json")),
        "stdout is the manifest alone"
    );
    fs::write(&manifest, &created.stdout).expect("write manifest");
    assert_eq!(
        read(&snippet),
        read(&fixtures().join("clearml.snippet.json"))
    );
    let mode = fs::metadata(&snippet)
        .expect("snippet")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    // 2. The same snippet from the manifest file.
    pachsecret()
        .arg("snippet")
        .arg(&manifest)
        .args(CLEARML_ENV)
        .assert()
        .success()
        .stdout(read(&fixtures().join("clearml.snippet.json")));

    // 3. The mnist spec patched in place; nothing else in it changes.
    let spec = dir.path().join("mnist.json");
    fs::copy(fixtures().join("mnist.json"), &spec).expect("copy spec");
    fs::set_permissions(&spec, fs::Permissions::from_mode(0o644)).expect("chmod");
    pachsecret()
        .arg("patch")
        .arg(&spec)
        .arg("--secret")
        .arg(&manifest)
        .args(CLEARML_ENV)
        .arg("--in-place")
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(read(&spec), read(&fixtures().join("mnist.patched.json")));
    let mode = fs::metadata(&spec).expect("spec").permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "in-place keeps the file's mode");

    // 4. check is clean.
    pachsecret()
        .arg("check")
        .arg(&spec)
        .arg("--secrets")
        .arg(&manifest)
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn patch_only_inserts_and_keeps_every_other_byte() {
    let original = read(&fixtures().join("mnist.json"));
    let patched = read(&fixtures().join("mnist.patched.json"));
    let prefix = original
        .bytes()
        .zip(patched.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = original
        .bytes()
        .rev()
        .zip(patched.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        original.len(),
        "the original is the patched text minus one inserted span"
    );
    let inserted = &patched[prefix..patched.len() - suffix];
    assert!(inserted.starts_with(",\n    \"secrets\": ["), "{inserted}");
    serde_json::from_str::<serde_json::Value>(&patched).expect("valid JSON");
}

#[test]
fn patching_twice_changes_nothing() {
    let cases: &[(&str, &[&str])] = &[
        ("mnist.json", &CLEARML_ENV),
        ("mnist.json", &["--env-prefix", "CLEARML_"]),
        ("mnist.json", &["--mount", "/etc/clearml", "--camel-case"]),
    ];
    for (spec, flags) in cases {
        let first = pachsecret()
            .arg("patch")
            .arg(fixture(spec))
            .arg("--secret")
            .arg(fixture("clearml.json"))
            .args(*flags)
            .output()
            .expect("runs");
        assert!(first.status.success(), "{flags:?}: {}", show(&first.stderr));
        let dir = tempfile::tempdir().expect("temp dir");
        let once = dir.path().join("once.json");
        fs::write(&once, &first.stdout).expect("write");
        let second = pachsecret()
            .arg("patch")
            .arg(&once)
            .arg("--secret")
            .arg(fixture("clearml.json"))
            .args(*flags)
            .output()
            .expect("runs");
        assert!(second.status.success());
        assert_eq!(show(&second.stdout), show(&first.stdout), "{flags:?}");
    }
}

#[test]
fn patch_updates_an_entry_for_the_same_variable_instead_of_adding_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.json");
    fs::write(
        &spec,
        "{\"pipeline\": {\"name\": \"p\"},\n \"transform\": {\"image\": \"x\", \"secrets\": [\n   {\"name\": \"old\", \"env_var\": \"CLEARML_API_ACCESS_KEY\", \"key\": \"id\"},\n   {\"name\": \"keep\", \"mount_path\": \"/keep\"}\n ], \"datum_tries\": 1.0e0}}\n",
    )
    .expect("write");
    pachsecret()
        .arg("patch")
        .arg(&spec)
        .arg("--secret")
        .arg(fixture("clearml.json"))
        .args(["--env", "CLEARML_API_ACCESS_KEY=access"])
        .assert()
        .success()
        .stdout("{\"pipeline\": {\"name\": \"p\"},\n \"transform\": {\"image\": \"x\", \"secrets\": [\n   {\"name\": \"clearml\", \"env_var\": \"CLEARML_API_ACCESS_KEY\", \"key\": \"access\"},\n   {\"name\": \"keep\", \"mount_path\": \"/keep\"}\n ], \"datum_tries\": 1.0e0}}\n");
}

#[test]
fn patch_follows_camel_case_specs_and_adds_image_pull_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.json");
    fs::write(
        &spec,
        "{\n\t\"pipeline\": {\"name\": \"p\"},\n\t\"transform\": {\n\t\t\"image\": \"ghcr.io/x:1\",\n\t\t\"workingDir\": \"/app\"\n\t}\n}\n",
    )
    .expect("write");
    pachsecret()
        .arg("patch")
        .arg(&spec)
        .arg("--secret")
        .arg(fixture("clearml.json"))
        .arg(fixture("regcred.json"))
        .args(["--mount", "clearml=/secrets/clearml"])
        .assert()
        .success()
        .stdout("{\n\t\"pipeline\": {\"name\": \"p\"},\n\t\"transform\": {\n\t\t\"image\": \"ghcr.io/x:1\",\n\t\t\"workingDir\": \"/app\",\n\t\t\"secrets\": [\n\t\t\t{\n\t\t\t\t\"name\": \"clearml\",\n\t\t\t\t\"mountPath\": \"/secrets/clearml\"\n\t\t\t}\n\t\t],\n\t\t\"imagePullSecrets\": [\n\t\t\t\"regcred\"\n\t\t]\n\t}\n}\n");
}

#[test]
fn patch_keeps_the_framing_of_several_specs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("specs.json");
    let text = "{\"pipeline\":{\"name\":\"a\"},\"transform\":{\"image\":\"x\"}}\n---\n{\"pipeline\":{\"name\":\"b\"},\"transform\":{\"image\":\"y\"}}\n";
    fs::write(&spec, text).expect("write");
    pachsecret()
        .arg("patch")
        .arg(&spec)
        .arg("--secret")
        .arg(fixture("regcred.json"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "holds 2 pipeline specs; say which one to patch",
        ))
        .stderr(predicates::str::contains("--pipeline NAME (one of: a, b)"));
    pachsecret()
        .arg("patch")
        .arg(&spec)
        .arg("--secret")
        .arg(fixture("regcred.json"))
        .args(["--pipeline", "b"])
        .assert()
        .success()
        .stdout("{\"pipeline\":{\"name\":\"a\"},\"transform\":{\"image\":\"x\"}}\n---\n{\"pipeline\":{\"name\":\"b\"},\"transform\":{\"image\":\"y\",\"image_pull_secrets\":[\"regcred\"]}}\n");

    let array = dir.path().join("array.json");
    fs::write(
        &array,
        "[\n  {\"pipeline\": {\"name\": \"a\"}, \"transform\": {\"image\": \"x\"}}\n]\n",
    )
    .expect("write");
    pachsecret()
        .arg("patch")
        .arg(&array)
        .arg("--secret")
        .arg(fixture("regcred.json"))
        .assert()
        .success()
        .stdout("[\n  {\"pipeline\": {\"name\": \"a\"}, \"transform\": {\"image\": \"x\", \"image_pull_secrets\": [\"regcred\"]}}\n]\n");
}

#[test]
fn yaml_specs_get_an_error_that_says_how_to_proceed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, "pipeline:\n  name: mnist\ntransform:\n  image: x\n").expect("write");
    for subcommand in ["patch", "check"] {
        let mut cmd = pachsecret();
        cmd.arg(subcommand).arg(&spec);
        if subcommand == "patch" {
            cmd.arg("--secret").arg(fixture("clearml.json"));
        }
        cmd.assert()
            .code(1)
            .stdout("")
            .stderr(predicates::str::contains(
                "is not a JSON pipeline spec (YAML?)",
            ))
            .stderr(predicates::str::contains("yq -o=json"))
            .stderr(predicates::str::contains("pachsecret snippet"));
    }
}

#[test]
fn in_place_refuses_stdin_and_snippet_rejects_a_broken_manifest() {
    pachsecret()
        .args(["patch", "-", "--secret"])
        .arg(fixture("clearml.json"))
        .arg("--in-place")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--in-place cannot rewrite standard input",
        ));
    pachsecret()
        .args(["snippet", "-"])
        .write_stdin(r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"pw":"hunter2"}}"#)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("<stdin>: secret s: data.pw: is not standard padded base64"))
        .stderr(predicates::str::contains("`pachsecret lint -` lists every problem"))
        .stderr(predicates::str::contains("hunter2").not());
}

#[test]
fn snippet_derives_names_and_uses_registry_secrets_for_image_pulls() {
    pachsecret()
        .arg("snippet")
        .arg(fixture("db-credentials.json"))
        .arg(fixture("regcred.json"))
        .args(["--env-prefix", "DB_", "--camel-case"])
        .assert()
        .success()
        .stdout(
            r#"{
  "transform": {
    "secrets": [
      {
        "name": "db.credentials",
        "envVar": "DB_PASSWORD",
        "key": "password"
      },
      {
        "name": "db.credentials",
        "envVar": "DB_USER",
        "key": "user"
      }
    ],
    "imagePullSecrets": [
      "regcred"
    ]
  }
}
"#,
        );
}

#[test]
fn snippet_refuses_what_the_pod_would_refuse() {
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["--mount", "/creds"],
            1,
            "error: the snippet would not work: transform.secrets[0]: secret db.credentials cannot be mounted",
        ),
        (
            &["--env", "1X=user"],
            1,
            "env_var \"1X\" is not a valid environment variable name",
        ),
        (
            &["--env", "X=nope"],
            2,
            "error: the 1st --env: what follows '=' is not a key of secret db.credentials (not shown, in case it is a value)\n  hint: write --env VAR=KEY; the keys of db.credentials are password, user",
        ),
        (
            &["--env", "A=user", "--env", "X"],
            2,
            "error: the 2nd --env is not VAR=KEY (it has no '=')",
        ),
        (
            &["--env-prefix", "9"],
            2,
            "--env-prefix \"9\" is not the start of a valid variable name",
        ),
    ];
    for (flags, code, message) in cases {
        pachsecret()
            .arg("snippet")
            .arg(fixture("db-credentials.json"))
            .args(*flags)
            .assert()
            .code(*code)
            .stdout("")
            .stderr(predicates::str::contains(*message));
    }
}

/// One broken spec per problem `check` must catch, with the exact report line.
#[test]
fn check_reports_each_broken_spec_with_its_message() {
    let cases: &[(&str, &str)] = &[
        (
            r#""secrets":[{"name":"nope","env_var":"A","key":"k"}]"#,
            "transform.secrets[0]: secret nope is not defined by any given manifest (pass its manifest with --secrets FILE, or --on-cluster nope if it already exists on the cluster; `pachctl list secret` shows those)",
        ),
        (
            r#""secrets":[{"name":"clearml","env_var":"A"}]"#,
            "transform.secrets[0]: env_var A has no key; the container fails to start (CreateContainerConfigError) (add \"key\": one of access, secret)",
        ),
        (
            r#""secrets":[{"name":"clearml","env_var":"A","key":"acess"}]"#,
            "transform.secrets[0]: secret clearml has no key acess; the container fails to start (CreateContainerConfigError) (did you mean access?)",
        ),
        (
            r#""secrets":[{"name":"clearml"}]"#,
            "transform.secrets[0]: has neither env_var nor mount_path, so Pachyderm silently ignores it (add env_var and key to expose one key, or mount_path to mount the whole secret)",
        ),
        (
            r#""secrets":[{"name":"clearml","env_var":"1A","key":"access"}]"#,
            "transform.secrets[0]: env_var \"1A\" is not a valid environment variable name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ),
        (
            r#""secrets":[{"name":"clearml","env_var":"A","key":"access"},{"name":"clearml","env_var":"A","key":"secret"}]"#,
            "transform.secrets[1]: env_var A is already set by transform.secrets[0]; one silently overrides the other (give each entry its own env_var)",
        ),
        (
            r#""env":{"A":"1"},"secrets":[{"name":"clearml","env_var":"A","key":"access"}]"#,
            "transform.secrets[0]: env_var A is also set in transform.env; one silently overrides the other (rename one of them)",
        ),
        (
            r#""secrets":[{"name":"clearml","mount_path":"/a"},{"name":"clearml","mount_path":"/b"}]"#,
            "transform.secrets[1]: secret clearml is already mounted by transform.secrets[0]; the pod would have two volumes named clearml and is refused (mount each secret once)",
        ),
        (
            r#""secrets":[{"name":"db.credentials","mount_path":"/db"}]"#,
            "transform.secrets[0]: secret db.credentials cannot be mounted: the volume is named after the secret, and a volume name must be a DNS-1123 label (at most 63 characters, no dots)",
        ),
        (
            r#""secrets":[{"name":"clearml","mount_path":"etc/clearml"}]"#,
            "transform.secrets[0]: mount_path \"etc/clearml\" is relative; Kubernetes needs an absolute path (use an absolute path such as /etc/clearml)",
        ),
        (
            r#""secrets":[{"name":"clearml","mount_path":"/pfs/creds"}]"#,
            "transform.secrets[0]: mount_path /pfs/creds is inside Pachyderm's own mount /pfs, which the worker needs (mount secrets elsewhere, e.g. /secrets/NAME or /etc/NAME)",
        ),
        (
            r#""secrets":[{"name":"clearml","mount_path":"/"}]"#,
            "transform.secrets[0]: mount_path / covers Pachyderm's own mount /pfs, which the worker needs",
        ),
        (
            r#""secrets":[{"name":"clearml","mount_path":"/s"},{"name":"inference-tls","mount_path":"/s/"}]"#,
            "transform.secrets[1]: mount_path /s/ is already used by transform.secrets[0]; two volumes cannot be mounted at one path (give each mounted secret its own directory)",
        ),
        (
            r#""image_pull_secrets":["clearml"]"#,
            "transform.image_pull_secrets[0]: secret clearml has type Opaque; image pull secrets must be of type kubernetes.io/dockerconfigjson, or the image pull fails (create it with `pachsecret docker-registry` or `kubectl create secret docker-registry`)",
        ),
        (
            r#""secrets":[{"name":"clearml","env_vars":"A","key":"access"}]"#,
            "transform.secrets[0]: unknown field \"env_vars\": Pachyderm 2.x refuses the spec, 1.x silently drops the field (did you mean env_var?)",
        ),
        (
            r#""secrets":[{"name":"clearml","EnvVar":"A","key":"access"}]"#,
            "transform.secrets[0]: unknown field \"EnvVar\": Pachyderm 2.x refuses the spec, 1.x silently drops the field (did you mean env_var?)",
        ),
        (
            r#""secrets":[{"name":"clearml","env_var":"A","envVar":"B","key":"access"}]"#,
            "transform.secrets[0].env_var: is given more than once (env_var, envVar); Pachyderm 2.x refuses the spec (keep one, spelled either snake_case or lowerCamel)",
        ),
        (
            r#""secret":[{"name":"clearml","env_var":"A","key":"access"}]"#,
            "transform.secret: unknown field: Pachyderm 2.x refuses the spec, 1.x silently ignores the field (did you mean secrets?)",
        ),
        (
            r#""secrets":{"name":"clearml"}"#,
            "transform.secrets: is an object, not an array",
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("broken.json");
    for (transform, expected) in cases {
        fs::write(
            &spec,
            format!(r#"{{"pipeline":{{"name":"p"}},"transform":{{"image":"x",{transform}}}}}"#),
        )
        .expect("write");
        let output = pachsecret()
            .current_dir(dir.path())
            .args(["check", "broken.json", "--secrets"])
            .arg(fixture("clearml.json"))
            .arg(fixture("regcred.json"))
            .arg(fixture("db-credentials.json"))
            .arg(fixture("inference-tls.json"))
            .output()
            .expect("runs");
        let stdout = show(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{transform}\n{stdout}");
        let wanted = format!("broken.json: pipeline p: {expected}");
        assert!(
            stdout
                .lines()
                .next()
                .is_some_and(|l| l.starts_with(&wanted)),
            "{transform}\nwanted: {wanted}\ngot:    {stdout}"
        );
    }
}

#[test]
fn check_accepts_secrets_on_the_cluster_with_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.json");
    fs::write(
        &spec,
        r#"{"pipeline":{"name":"p"},"transform":{"image":"x","secrets":[{"name":"other","env_var":"A","key":"k"}],"image_pull_secrets":["regcred"]}}"#,
    )
    .expect("write");
    pachsecret()
        .current_dir(dir.path())
        .args(["check", "spec.json", "--on-cluster", "other", "--secrets"])
        .arg(fixture("regcred.json"))
        .assert()
        .success()
        .stdout("spec.json: pipeline p: transform.secrets[0]: note: secret other is assumed to exist on the cluster (--on-cluster); its keys and type were not checked\n");
}

#[test]
fn check_warns_about_1x_only_concatenated_specs_and_checks_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("specs.json");
    fs::write(
        &spec,
        "{\"pipeline\":{\"name\":\"a\"},\"transform\":{\"image\":\"x\"}}\n{\"pipeline\":{\"name\":\"b\"},\"transform\":{\"image\":\"x\",\"image_pull_secrets\":[\"gone\"]}}\n",
    )
    .expect("write");
    pachsecret()
        .current_dir(dir.path())
        .args(["check", "specs.json"])
        .assert()
        .code(1)
        .stdout("specs.json: warning: the specs are concatenated JSON objects, which only Pachyderm 1.x reads (for 2.x put a line `---` between them, or wrap them in a JSON array)\nspecs.json: pipeline b: transform.image_pull_secrets[0]: secret gone is not defined by any given manifest (pass its manifest with --secrets FILE, or --on-cluster gone if it already exists on the cluster; `pachctl list secret` shows those)\n");
}

#[test]
fn check_reports_broken_manifests_and_duplicate_definitions() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("bad.json"),
        r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"clearml"},"data":{"access":"QUtJQQ"}}"#,
    )
    .expect("write");
    let output = pachsecret()
        .current_dir(dir.path())
        .arg("check")
        .arg(fixture("mnist.patched.json"))
        .args(["--secrets", "bad.json"])
        .arg(fixture("clearml.json"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = show(&output.stdout);
    assert!(
        stdout.starts_with("bad.json: secret clearml: data.access: is not standard padded base64"),
        "{stdout}"
    );
    assert!(
        stdout.contains(": secret clearml: metadata.name: secret clearml is also defined by bad.json (give each secret one manifest)"),
        "{stdout}"
    );
}

#[test]
fn patch_refuses_to_introduce_a_problem_and_reports_old_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.json");
    let text = r#"{"pipeline":{"name":"p"},"transform":{"image":"x","env":{"ACCESS":"1"},"secrets":[{"name":"old","env_var":"X"}]}}"#;
    fs::write(&spec, text).expect("write");
    pachsecret()
        .current_dir(dir.path())
        .args(["patch", "spec.json", "--in-place", "--secret"])
        .arg(fixture("clearml.json"))
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "error: the patch would break the spec: spec.json: pipeline p: transform.secrets[1]: env_var ACCESS is also set in transform.env",
        ));
    assert_eq!(read(&spec), text, "nothing written");
    pachsecret()
        .current_dir(dir.path())
        .args(["patch", "spec.json", "--env-prefix", "CLEARML_", "--secret"])
        .arg(fixture("clearml.json"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: spec.json: pipeline p: transform.secrets[0]: env_var X has no key",
        ))
        .stderr(predicates::str::contains(
            "the spec already had this problem",
        ));
}

/// Specs in many layouts (indentation, tabs, one line, odd spacing, exotic numbers and
/// escapes, existing entries): patching only inserts bytes, keeps the spec's meaning apart
/// from the secret fields, gives valid JSON, is idempotent and passes `check`.
#[test]
fn patch_preserves_any_layout_and_is_idempotent() {
    let mut seed: u64 = 0x00c0_ffee;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_path = dir.path().join("spec.json");
    for case in 0..40 {
        let (nl, indent, colon, comma) = match next(4) {
            0 => ("\n", "  ", ": ", ","),
            1 => ("\n", "\t", ":", ","),
            2 => ("", "", ":", ","),
            _ => (" ", "", " : ", " ,"),
        };
        let pad = |level: usize| {
            if nl.is_empty() {
                String::new()
            } else if nl == " " {
                " ".to_string()
            } else {
                format!("\n{}", indent.repeat(level))
            }
        };
        let mut transform = vec![
            format!("\"image\"{colon}\"ghcr.io/x:1\""),
            format!("\"cmd\"{colon}[\"python3\"{comma} \"-c\"{comma} \"print(\\u00e9)\"]"),
        ];
        if next(2) == 0 {
            transform.push(format!("\"env\"{colon}{{\"MODE\"{colon}\"train\"}}"));
        }
        let existing_entries = next(3);
        if existing_entries > 0 {
            let entries: Vec<String> = (0..existing_entries)
                .map(|i| {
                    format!("{}{{\"name\"{colon}\"inference-tls\"{comma}\"env_var\"{colon}\"TLS_{i}\"{comma}\"key\"{colon}\"tls.crt\"}}", pad(3))
                })
                .collect();
            transform.push(format!(
                "\"secrets\"{colon}[{}{}]",
                entries.join(comma),
                pad(2)
            ));
        } else if next(2) == 0 {
            transform.push(format!("\"secrets\"{colon}[]"));
        }
        if next(2) == 0 {
            transform.push(format!("\"image_pull_secrets\"{colon}[]"));
        }
        let transform_text = transform
            .iter()
            .map(|m| format!("{}{m}", pad(2)))
            .collect::<Vec<_>>()
            .join(comma);
        let members = [
            format!("\"pipeline\"{colon}{{\"name\"{colon}\"p{case}\"}}"),
            format!("\"transform\"{colon}{{{transform_text}{}}}", pad(1)),
            format!("\"datum_tries\"{colon}1.50E+1"),
            format!(
                "\"input\"{colon}{{\"pfs\"{colon}{{\"repo\"{colon}\"data\"{comma}\"glob\"{colon}\"/*\"}}}}"
            ),
        ];
        let original = format!(
            "{{{}{}}}\n",
            members
                .iter()
                .map(|m| format!("{}{m}", pad(1)))
                .collect::<Vec<_>>()
                .join(comma),
            pad(0)
        );
        fs::write(&spec_path, &original).expect("write");

        let mut flags: Vec<String> = match next(3) {
            0 => CLEARML_ENV.iter().map(|s| s.to_string()).collect(),
            1 => vec!["--env-prefix".into(), format!("C{case}_")],
            _ => vec!["--mount".into(), "clearml=/secrets/clearml".into()],
        };
        if next(2) == 0 {
            flags.push("--camel-case".into());
        }
        let patch = |path: &Path| {
            pachsecret()
                .arg("patch")
                .arg(path)
                .arg("--secret")
                .arg(fixture("clearml.json"))
                .arg(fixture("regcred.json"))
                .args(&flags)
                .output()
                .expect("runs")
        };
        let first = patch(&spec_path);
        assert!(
            first.status.success(),
            "case {case}: {}\n{original}",
            show(&first.stderr)
        );
        let patched = show(&first.stdout);
        let context =
            format!("case {case} {flags:?}\n--- original\n{original}--- patched\n{patched}");

        let mut rest = original.bytes().peekable();
        for b in patched.bytes() {
            if rest.peek() == Some(&b) {
                rest.next();
            }
        }
        assert!(
            rest.peek().is_none(),
            "original bytes are kept in order: {context}"
        );

        let strip = |text: &str| {
            let mut value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
            let transform = value["transform"].as_object_mut().expect("transform");
            for field in ["secrets", "image_pull_secrets", "imagePullSecrets"] {
                transform.remove(field);
            }
            value
        };
        assert_eq!(strip(&original), strip(&patched), "{context}");

        fs::write(&spec_path, &first.stdout).expect("write");
        let second = patch(&spec_path);
        assert_eq!(show(&second.stdout), patched, "idempotent: {context}");

        pachsecret()
            .arg("check")
            .arg(&spec_path)
            .arg("--secrets")
            .arg(fixture("clearml.json"))
            .arg(fixture("regcred.json"))
            .arg(fixture("inference-tls.json"))
            .assert()
            .success()
            .stdout("");
    }
}

#[test]
fn snippet_file_names_the_final_secret_and_is_not_written_on_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snippet = dir.path().join("s.snippet.json");
    let output = pachsecret()
        .args([
            "generic",
            "db",
            "--from-literal=pass-word=x",
            "--append-hash",
        ])
        .arg("--snippet-file")
        .arg(&snippet)
        .args(["--snippet-env-prefix", "DB_", "--snippet-camel-case"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", show(&output.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let hashed = manifest["metadata"]["name"].as_str().expect("name");
    assert!(hashed.starts_with("db-"), "{hashed}");
    assert_eq!(
        read(&snippet),
        format!(
            "{{\n  \"transform\": {{\n    \"secrets\": [\n      {{\n        \"name\": \"{hashed}\",\n        \"envVar\": \"DB_PASS_WORD\",\n        \"key\": \"pass-word\"\n      }}\n    ]\n  }}\n}}\n"
        )
    );

    let refused = dir.path().join("refused.json");
    pachsecret()
        .args([
            "generic",
            "Bad_Name",
            "--from-literal=a=b",
            "--snippet-file",
        ])
        .arg(&refused)
        .assert()
        .code(1)
        .stdout("");
    assert!(!refused.exists(), "no snippet for a refused secret");

    pachsecret()
        .args(["generic", "s", "--from-literal=a=b", "--snippet-env", "A=a"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--snippet-file"));
}

/// `--snippet-file` follows `-O`'s rules: an existing file is kept unless `--force`, the
/// snippet is written only after the manifest was, and it cannot name the manifest's file.
#[test]
fn snippet_file_follows_the_output_file_rules_and_comes_after_the_manifest() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let snippet = dir.path().join("s.snippet.json");
    std::fs::write(&snippet, "mine").unwrap();
    std::fs::set_permissions(&snippet, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = |extra: &[&str]| {
        pachsecret()
            .current_dir(dir.path())
            .args([
                "generic",
                "db",
                "--from-literal=a=b",
                "--snippet-file=s.snippet.json",
            ])
            .args(extra)
            .output()
            .expect("runs")
    };
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(1), "{}", show(&refused.stderr));
    assert!(show(&refused.stderr).contains("s.snippet.json already exists"));
    assert_eq!(read(&snippet), "mine", "kept without --force");
    let forced = run(&["--force"]);
    assert!(forced.status.success(), "{}", show(&forced.stderr));
    assert!(read(&snippet).contains("\"transform\""));
    let mode = std::fs::metadata(&snippet).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A refused -O leaves no new snippet behind.
    let fresh = dir.path().join("fresh.snippet.json");
    std::fs::write(dir.path().join("taken.json"), "x").unwrap();
    pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "db",
            "--from-literal=a=b",
            "-O",
            "taken.json",
            "--snippet-file=fresh.snippet.json",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("taken.json already exists"));
    assert!(
        !fresh.exists(),
        "snippet written although the manifest was refused"
    );

    // One file cannot be both.
    pachsecret()
        .current_dir(dir.path())
        .args([
            "generic",
            "db",
            "--from-literal=a=b",
            "-O",
            "same.json",
            "--snippet-file=./same.json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--snippet-file and --output-file name the same file",
        ));
    assert!(!dir.path().join("same.json").exists());
}
