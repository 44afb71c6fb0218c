//! Bad input is refused cleanly: exit 1 or 2, nothing on stdout, a message that names the
//! input, and never a secret value on stderr.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use crate::util::{pachsecret, show};

/// A value that must never appear in any message.
const SENTINEL: &str = "S3NT1NEL-do-not-print";

/// The scratch directory every malformed case runs in.
fn lay_out(dir: &Path) {
    let w = |name: &str, data: &[u8]| fs::write(dir.join(name), data).unwrap();
    w("empty", b"");
    w("nul.env", format!("A=1\0{SENTINEL}\n").as_bytes());
    fs::write(
        dir.join("invalid-utf8.env"),
        [b"PASSWORD=".as_slice(), SENTINEL.as_bytes(), b"\xff\n"].concat(),
    )
    .unwrap();
    w(
        "stray.env",
        format!("{SENTINEL} no equals sign\n").as_bytes(),
    );
    w(
        "export.env",
        format!("export PASSWORD={SENTINEL}\n").as_bytes(),
    );
    w("space.env", format!("PASSWORD ={SENTINEL}\n").as_bytes());
    w("digit.env", format!("1PASSWORD={SENTINEL}\n").as_bytes());
    w(
        "dup.env",
        format!("A={SENTINEL}\nA={SENTINEL}\n").as_bytes(),
    );
    w("bom3.env", "A=1\nB=2\n\u{feff}C=3\n".as_bytes());
    let mut huge_line = b"A=".to_vec();
    huge_line.extend(vec![b'x'; 70_000]);
    w("huge-line.env", &huge_line);
    w("secret.txt", SENTINEL.as_bytes());
    std::os::unix::fs::symlink(crate::util::testdata().join("tls"), dir.join("t")).unwrap();
    w("spec.yaml", b"pipeline:\n  name: x\n");
    w(
        "badauth.json",
        br#"{"auths":{"r":{"auth":"bm9jb2xvbg=="}}}"#,
    );
    w("big", &vec![b'x'; 1024 * 1024 + 1]);
    fs::create_dir_all(dir.join("dir")).unwrap();
    fs::write(dir.join("dir/bad name"), SENTINEL).unwrap();
    fs::create_dir_all(dir.join("subdir-only/sub")).unwrap();
    std::os::unix::fs::symlink("loop-b", dir.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.join("loop-b")).unwrap();
    std::os::unix::fs::symlink("missing-target", dir.join("dangling")).unwrap();
    w("unreadable", SENTINEL.as_bytes());
    fs::set_permissions(dir.join("unreadable"), fs::Permissions::from_mode(0o000)).unwrap();
    let many: String = (0..10_000).map(|i| format!("K{i}=v\n")).collect();
    w("many.env", many.as_bytes());
    let dup_at_end: String =
        (0..10_000).map(|i| format!("K{i}=v\n")).collect::<String>() + "K0=again\n";
    w("many-dup.env", dup_at_end.as_bytes());
}

fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// (arguments, expected exit status, text the message must contain)
fn cases() -> Vec<(Vec<String>, i32, &'static str)> {
    let s = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let lit = |v: &str| format!("--from-literal={v}");
    let mut cases = vec![
        (s(&["generic"]), 2, "exactly one NAME is required, got 0"),
        (s(&["generic", "a", "b"]), 2, "got 2"),
        (s(&["generic", ""]), 2, "name must be specified"),
        (s(&["generic", "s", &lit(SENTINEL)]), 2, "no '=' found"),
        (
            s(&["generic", "s", &lit(&format!("={SENTINEL}"))]),
            2,
            "key before '=' is empty",
        ),
        (
            s(&["generic", "s", &lit(&format!("a b={SENTINEL}"))]),
            1,
            "the key of --from-literal #1 is not a valid key name (not shown, in case it is a value)",
        ),
        (
            s(&["generic", "s", &lit(&format!("..={SENTINEL}"))]),
            1,
            "must not be '..'",
        ),
        (
            s(&[
                "generic",
                "s",
                &lit(&format!("a={SENTINEL}")),
                &lit(&format!("a={SENTINEL}")),
            ]),
            1,
            "cannot add key a",
        ),
        (
            s(&["generic", "s", "--from-file=missing"]),
            1,
            "error reading missing",
        ),
        (
            s(&["generic", "s", "--from-file=secret.txt/"]),
            1,
            "not a directory",
        ),
        (
            s(&["generic", "s", "--from-file=loop-a"]),
            1,
            "loop-a: too many levels of symbolic links",
        ),
        (
            s(&["generic", "s", "--from-file=dangling"]),
            1,
            "error reading dangling",
        ),
        (
            s(&["generic", "s", "--from-file=k=dir"]),
            2,
            "cannot give a key name for a directory path",
        ),
        (
            s(&["generic", "s", "--from-file=dir"]),
            1,
            "\"bad name\" is not valid key name",
        ),
        (
            s(&["generic", "s", "--from-file==secret.txt"]),
            2,
            "key name for file path secret.txt missing",
        ),
        (
            s(&["generic", "s", "--from-file=k="]),
            2,
            "file path for key name k missing",
        ),
        (
            s(&["generic", "s", "--from-file=a=b=c"]),
            2,
            "cannot contain '='",
        ),
        (
            s(&["generic", "s", "--from-file=k=\"x,y\""]),
            2,
            "bare \" in non-quoted-field",
        ),
        (
            s(&["generic", "s", "--from-file=\"unterminated"]),
            2,
            "extraneous or missing \" in quoted-field",
        ),
        (s(&["generic", "s", "--from-file=\n"]), 2, "EOF"),
        (
            s(&["generic", "s", "--from-file=secret.txt,,b"]),
            1,
            "error reading : no such file",
        ),
        (
            s(&["generic", "s", "--from-file=empty", "--from-file=./empty"]),
            1,
            "cannot add key empty",
        ),
        (s(&["generic", "s", "--from-file=big"]), 1, "1048577 bytes"),
        (
            s(&["generic", "s", "--from-env-file=dir"]),
            1,
            "env secret file cannot be a directory",
        ),
        (
            s(&["generic", "s", "--from-env-file=missing.env"]),
            1,
            "error reading missing.env",
        ),
        (
            s(&["generic", "s", "--from-env-file=invalid-utf8.env"]),
            1,
            "invalid utf8 bytes at line 1",
        ),
        (
            s(&["generic", "s", "--from-env-file=stray.env"]),
            1,
            "line 1 of stray.env",
        ),
        (
            s(&["generic", "s", "--from-env-file=export.env"]),
            1,
            "line 1 of export.env: the part before '=' (not shown, in case it is a value) is not a valid variable name",
        ),
        (
            s(&["generic", "s", "--from-env-file=space.env"]),
            1,
            "line 1 of space.env: the part before '=' (not shown, in case it is a value) is not a valid variable name",
        ),
        (
            s(&["generic", "s", "--from-env-file=digit.env"]),
            1,
            "line 1 of digit.env: the part before '=' (not shown, in case it is a value) is not a valid variable name",
        ),
        (
            s(&["generic", "s", "--from-env-file=dup.env"]),
            1,
            "line 2 of dup.env repeats the key",
        ),
        (
            s(&["generic", "s", "--from-env-file=bom3.env"]),
            1,
            "line 3 of bom3.env: the part before '=' (not shown, in case it is a value) is not a valid variable name",
        ),
        (
            s(&["generic", "s", "--from-env-file=huge-line.env"]),
            1,
            "line 1 of huge-line.env is longer than 65535 bytes",
        ),
        (
            s(&["generic", "s", "--from-env-file=many-dup.env"]),
            1,
            "cannot add key K0",
        ),
        (
            s(&["generic", "s", "--from-env-file=empty", &lit("a=1")]),
            2,
            "cannot be combined",
        ),
        (s(&["generic", "s", "--from-env-file="]), 0, ""),
        (
            s(&[
                "generic",
                "s",
                "--type=kubernetes.io/tls",
                "--from-file=secret.txt",
            ]),
            1,
            "must have the key tls.crt",
        ),
        (
            s(&[
                "generic",
                "s",
                "--type=kubernetes.io/dockerconfigjson",
                "--from-file=.dockerconfigjson=secret.txt",
            ]),
            1,
            "not a JSON object",
        ),
        (
            s(&["generic", "UPPER", &lit("a=1")]),
            1,
            "not a valid DNS-1123 subdomain",
        ),
        (
            s(&["generic", &"n".repeat(254)]),
            1,
            "must be no more than 253 characters",
        ),
        (
            s(&["generic", "s", "--label=x"]),
            2,
            "the 1st --label has no '='",
        ),
        (
            s(&["generic", "s", "--label=bad key=1"]),
            1,
            "label key \"bad key\" is invalid",
        ),
        (
            s(&["generic", "s", "--annotation=a/b/c=1"]),
            1,
            "annotation key \"a/b/c\" is invalid",
        ),
        (s(&["generic", "s", "--label=suite=x"]), 1, "suite=x"),
        (
            s(&["generic", "s", "--bogus"]),
            2,
            "error: unknown flag --bogus",
        ),
        (
            s(&["generic", "s", "--from-literal"]),
            2,
            "error: --from-literal needs a value",
        ),
        (
            s(&["generic", "s", "-o", "yaml"]),
            2,
            "-o yaml is not supported",
        ),
        (
            s(&["generic", "s", "--validate=maybe"]),
            2,
            "invalid value for --validate (not shown, in case it is a secret)\n  hint: --validate accepts strict (or true), warn, ignore (or false)",
        ),
        (
            s(&["generic", "s", "--dry-run=server"]),
            2,
            "pachsecret works offline",
        ),
        (
            s(&["generic", "s", "--append-hash=2"]),
            2,
            "invalid value for --append-hash",
        ),
        (
            s(&["generic", "s", "--kubectl-compat=2.0"]),
            2,
            "invalid value for --kubectl-compat",
        ),
        (
            s(&["generic", "s", "-O", "/nonexistent/dir/out.json"]),
            1,
            "/nonexistent/dir/out.json",
        ),
        (s(&["nonsense"]), 2, "error: unknown subcommand"),
        (
            s(&["completions", "tcsh"]),
            2,
            "invalid value for the SHELL argument (not shown, in case it is a secret)\n  hint: the SHELL argument accepts one of: bash, elvish, fish, powershell, zsh",
        ),
    ];
    // docker-registry
    cases.extend([
        (
            s(&["docker-registry", "r"]),
            2,
            "either --from-file or the combination",
        ),
        (
            s(&["docker-registry", "r", "--from-file=missing"]),
            1,
            "error reading missing",
        ),
        (
            s(&["docker-registry", "r", "--from-file=secret.txt"]),
            1,
            "is not a JSON object",
        ),
        (
            s(&["docker-registry", "r", "--from-file=badauth.json"]),
            1,
            "does not decode to user:password",
        ),
        (
            s(&["docker-registry", "r", "--from-file=k=dir"]),
            2,
            "cannot give a key name for a directory path",
        ),
        (
            s(&[
                "docker-registry",
                "r",
                "--docker-username=u",
                "--docker-password-env=PS_UNSET_VAR",
            ]),
            1,
            "--docker-password-env names an environment variable that is not set",
        ),
        (
            s(&[
                "docker-registry",
                "r",
                "--docker-username=u",
                "--docker-password-file=dir",
            ]),
            1,
            "error reading dir",
        ),
        (
            s(&[
                "docker-registry",
                "r",
                "--docker-username=u",
                "--docker-password-file=empty",
            ]),
            1,
            "empty",
        ),
        (
            s(&["docker-registry", "r", "--registry=,username=u"]),
            2,
            "--registry #1: no server",
        ),
        (
            s(&[
                "docker-registry",
                "r",
                &format!("--registry=ghcr.io,username=u,password={SENTINEL}"),
            ]),
            2,
            "cannot be given inline",
        ),
        (
            s(&["docker-registry", "r", "--from-docker-config=missing.json"]),
            1,
            "missing.json",
        ),
        (
            s(&["docker-registry", "r", "--from-docker-config=secret.txt"]),
            1,
            "secret.txt (--from-docker-config) is not a JSON object",
        ),
    ]);
    // tls (paths relative to the scratch directory, which links testdata/tls as `t`).
    cases.extend([
        (s(&["tls", "t"]), 2, "key and cert must be specified"),
        (
            s(&["tls", "t", "--cert=t/empty", "--key=t/p256.key"]),
            1,
            "t/empty is empty",
        ),
        (
            s(&[
                "tls",
                "t",
                "--cert=t/rsa2048.crt.der",
                "--key=t/rsa2048.key",
            ]),
            1,
            "looks like DER",
        ),
        (
            s(&["tls", "t", "--cert=t/p256.key", "--key=t/p256.crt"]),
            1,
            "PEM inputs may have been switched",
        ),
        (
            s(&["tls", "t", "--cert=t/rsa2048.csr", "--key=t/rsa2048.key"]),
            1,
            "certificate signing request",
        ),
        (
            s(&["tls", "t", "--cert=t/p256.crt", "--key=t/rsa2048.key"]),
            1,
            "private key type does not match public key type",
        ),
        (
            s(&[
                "tls",
                "t",
                "--cert=t/chain-misordered.crt",
                "--key=t/chain-leaf.key",
            ]),
            1,
            "are out of order",
        ),
        (
            s(&["tls", "t", "--cert=t/p256.crt", "--key=t/p256.enc.pk8.key"]),
            1,
            "is encrypted",
        ),
        (
            s(&["tls", "t", "--cert=missing", "--key=t/p256.key"]),
            1,
            "error reading missing for --cert: no such file or directory",
        ),
        (
            s(&[
                "tls",
                "t",
                "--cert=t/secp256k1.crt",
                "--key=t/secp256k1.key",
            ]),
            1,
            "unsupported elliptic curve",
        ),
        (
            s(&["tls", "t", "--cert=secret.txt", "--key=secret.txt"]),
            1,
            "failed to find any PEM data",
        ),
    ]);
    // The Pachyderm subcommands.
    cases.extend([
        (
            s(&["check", "missing.json", "--secrets", "secret.txt"]),
            1,
            "error reading missing.json for the SPEC argument: no such file or directory",
        ),
        (
            s(&["check", "spec.yaml", "--secrets", "secret.txt"]),
            1,
            "spec.yaml is not a JSON pipeline spec",
        ),
        (
            s(&["patch", "spec.yaml", "--secret", "secret.txt"]),
            1,
            "secret.txt: not JSON",
        ),
        (s(&["snippet", "secret.txt"]), 1, "secret.txt: not JSON"),
        (
            s(&["snippet", "-", "-"]),
            2,
            "'-' (standard input) is given more than once",
        ),
    ]);
    if !running_as_root() {
        cases.push((
            s(&["generic", "s", "--from-file=unreadable"]),
            1,
            "unreadable: permission denied",
        ));
    }
    cases
}

#[test]
fn malformed_inputs_are_refused_cleanly_and_never_leak_values() {
    let dir = tempfile::tempdir().unwrap();
    lay_out(dir.path());
    let cases = cases();
    assert!(
        cases.len() >= 50,
        "the table must cover at least 50 malformed inputs"
    );
    for (args, code, message) in cases {
        let out = pachsecret()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        let stderr = show(&out.stderr);
        let context = format!(
            "args {args:?}\nexit {:?}\nstderr: {stderr}",
            out.status.code()
        );
        assert_eq!(out.status.code(), Some(code), "{context}");
        if code != 0 {
            assert!(
                out.stdout.is_empty(),
                "stdout must be empty on error\n{context}"
            );
            assert!(
                stderr.contains(message),
                "message must say {message:?}\n{context}"
            );
            assert!(stderr.starts_with("error: "), "{context}");
        }
        assert!(
            !stderr.contains(SENTINEL),
            "a secret value leaked into stderr\n{context}"
        );
        assert!(!stderr.contains("panicked"), "{context}");
    }
}

#[test]
fn ten_thousand_keys_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    lay_out(dir.path());
    let out = pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-env-file=many.env"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["data"].as_object().unwrap().len(), 10_000);
}

#[test]
fn zero_bytes_in_files_are_kept_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    lay_out(dir.path());
    pachsecret()
        .current_dir(dir.path())
        .args(["generic", "s", "--from-env-file=nul.env"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "\"A\": \"MQBTM05UMU5FTC1kby1ub3QtcHJpbnQ=\"",
        ));
}

/// `lint` and `inspect` are reports: a file they cannot read is a finding on stdout (so the
/// other files are still reported), with exit status 1.
#[test]
fn reports_name_unreadable_files_and_exit_one() {
    let dir = tempfile::tempdir().unwrap();
    lay_out(dir.path());
    for args in [
        ["lint", "empty"],
        ["lint", "secret.txt"],
        ["inspect", "empty"],
        ["inspect", "dir"],
    ] {
        let out = pachsecret()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stdout = show(&out.stdout);
        assert!(
            stdout.starts_with(&format!("{}: ", args[1])),
            "{args:?}: {stdout}"
        );
        assert!(!stdout.contains(SENTINEL) && !show(&out.stderr).contains(SENTINEL));
    }
    let out = pachsecret()
        .current_dir(dir.path())
        .args(["lint", "dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        show(&out.stdout),
        "error reading dir for the MANIFEST argument: is a directory (check the path given to the MANIFEST argument; relative paths start from the current directory, and `-` reads standard input)\n"
    );
}
