//! Shared helpers: the pachsecret command with a clean environment, and the reference kubectl.

#![allow(dead_code)]

pub mod rng;
pub mod tty;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The kubectl release the byte-for-byte comparisons are made against.
pub const KUBECTL_REFERENCE: &str = "kubectl.1.32";

/// `pachsecret` with the user's environment kept out of the way.
pub fn pachsecret() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("pachsecret").expect("binary is built");
    isolate(cmd.env("HOME", "/nonexistent"));
    cmd
}

fn isolate(cmd: &mut assert_cmd::Command) {
    cmd.env_remove("KUBECONFIG").env_remove("CI");
    for (key, _) in std::env::vars_os() {
        if key.as_bytes().starts_with(b"PACHSECRET_") {
            cmd.env_remove(key);
        }
    }
}

/// Runs pachsecret with raw byte arguments in `dir`.
pub fn run_pachsecret(args: &[Vec<u8>], dir: &Path, env: &[(&str, &[u8])]) -> Output {
    let mut cmd = pachsecret();
    cmd.current_dir(dir);
    for arg in args {
        cmd.arg(OsStr::from_bytes(arg));
    }
    for (k, v) in env {
        cmd.env(k, OsStr::from_bytes(v));
    }
    cmd.output().expect("pachsecret runs")
}

/// Path to the reference kubectl, or `None` (with a visible message) where it is absent.
///
/// Looked up as `$PACHSECRET_KUBECTL`, then `kubectl.1.32` on `PATH`, then beside the real
/// binary of `kubectl` on `PATH` (where the machine image keeps the versioned releases).
pub fn kubectl() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let found = find_kubectl();
            if found.is_none() {
                eprintln!(
                    "SKIPPED: {KUBECTL_REFERENCE} not found (set PACHSECRET_KUBECTL); differential tests against kubectl did not run"
                );
            }
            found
        })
        .as_deref()
}

fn find_kubectl() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PACHSECRET_KUBECTL") {
        return Some(PathBuf::from(path));
    }
    let path_var = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path_var) {
        let candidate = dir.join(KUBECTL_REFERENCE);
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    for dir in std::env::split_paths(&path_var) {
        let plain = dir.join("kubectl");
        if let Ok(real) = std::fs::canonicalize(&plain) {
            let candidate = real.parent()?.join(KUBECTL_REFERENCE);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// An empty directory used as kubectl's `HOME`, so no user kubeconfig is read.
fn empty_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

/// Runs `kubectl create secret SUBCOMMAND --dry-run=client -o json REST...` in `dir`.
///
/// The flags go right after the subcommand so that a trailing flag of the case that lacks its
/// value (`-n`) fails as it would on its own instead of swallowing them.
pub fn run_kubectl(kubectl: &Path, args: &[Vec<u8>], dir: &Path, env: &[(&str, &[u8])]) -> Output {
    let mut cmd = Command::new(kubectl);
    cmd.current_dir(dir)
        .env_clear()
        .env("HOME", empty_home())
        .env("PATH", "/usr/bin:/bin")
        .arg("create")
        .arg("secret");
    let (subcommand, rest) = args.split_first().expect("a subcommand");
    cmd.arg(OsStr::from_bytes(subcommand))
        .arg("--dry-run=client")
        .arg("-o")
        .arg("json");
    for arg in rest {
        cmd.arg(OsStr::from_bytes(arg));
    }
    for (k, v) in env {
        cmd.env(k, OsStr::from_bytes(v));
    }
    cmd.output().expect("kubectl runs")
}

/// `args` with `flag` inserted right after the subcommand (see [`run_kubectl`]).
pub fn with_flag(args: &[Vec<u8>], flag: &str) -> Vec<Vec<u8>> {
    let mut out = args.to_vec();
    out.insert(1.min(out.len()), flag.as_bytes().to_vec());
    out
}

/// Shows bytes readably in assertion messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Shows an argument list as a shell-ish command line for failure messages.
pub fn show_args(args: &[Vec<u8>]) -> String {
    args.iter()
        .map(|a| format!("{:?}", String::from_utf8_lossy(a)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The directory holding the recorded fixtures.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}
