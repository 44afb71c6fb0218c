//! `generic` against the real kubectl, over a few hundred generated invocations.
//!
//! Each case builds a scratch directory (files with binary content, directories with hidden
//! files, symlinks and subdirectories, env files exercising every line rule), an argument list
//! (literals, file items joined and quoted as CSV, env files, types and names full of
//! characters Go escapes or invalid UTF-8, `--append-hash`, `-n`, `--save-config`) and runs
//! both programs. With `--validate=false` pachsecret must print exactly kubectl's bytes when
//! kubectl succeeds and fail when it fails. With the default checks, anything it prints must
//! still be kubectl's bytes, and anything it refuses must be refused with exit status 1.
//!
//! The seed is fixed so failures reproduce; `PACHSECRET_DIFF_SEED` and `PACHSECRET_DIFF_CASES`
//! explore further.

use std::fs;
use std::path::Path;

use crate::util::rng::Rng;
use crate::util::{kubectl, run_kubectl, run_pachsecret, show, show_args, with_flag};

const VALID_KEYS: &[&str] = &[
    "a",
    "b",
    "A",
    "Z",
    "_",
    "-",
    ".hidden",
    "key.name",
    "KEY_NAME",
    "key-name",
    "0",
    "01",
    "1",
    "10",
    "9",
    "a-b",
    "a.b",
    "a_b",
    "a01",
    "a10",
    "a2b",
    "tls.crt",
    "password",
    "username",
    ".dockerconfigjson",
];
const INVALID_KEYS: &[&str] = &[
    "a b",
    "..x",
    ".",
    "..",
    "é",
    "a/b",
    "a:b",
    "a\tb",
    "a\nb",
    "k=",
    "\u{feff}k",
];

/// Value bytes for argv: anything but NUL, with Go-escaped characters over-represented.
fn random_value(rng: &mut Rng, allow_nul: bool) -> Vec<u8> {
    let pieces: &[&[u8]] = &[
        b"x",
        b"secret",
        b" ",
        b"=",
        b",",
        b"\"",
        b"\\",
        b"<",
        b">",
        b"&",
        b"\n",
        b"\r",
        b"\t",
        "\u{2028}".as_bytes(),
        "\u{2029}".as_bytes(),
        "é".as_bytes(),
        "😀".as_bytes(),
        b"\x01",
        b"\x7f",
        b"\xff",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"#",
        b"'",
        b"$HOME",
    ];
    let mut value = Vec::new();
    for _ in 0..rng.below(8) {
        let piece = rng.pick(pieces);
        value.extend_from_slice(piece);
    }
    if allow_nul && rng.chance(20) {
        value.push(0);
    }
    if rng.chance(15) {
        value.push(b'\n');
    }
    value
}

fn random_key(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(8) {
        rng.pick(INVALID_KEYS).as_bytes().to_vec()
    } else if rng.chance(2) {
        vec![b'k'; 254]
    } else {
        rng.pick(VALID_KEYS).as_bytes().to_vec()
    }
}

fn random_name(rng: &mut Rng) -> Vec<u8> {
    let names: &[&[u8]] = &[
        b"s",
        b"my-secret",
        b"a.b.c",
        b"UPPER_case.name!",
        b"s<&>",
        b"a\"b\\c",
        "x\u{2028}y".as_bytes(),
        b"n\x01\x7f",
        b"bad\xffname",
        b"with space",
        "é".as_bytes(),
        b"",
    ];
    rng.pick(names).to_vec()
}

/// An env file's bytes, built from kubectl's line rules.
fn random_env_file(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    if rng.chance(20) {
        out.extend_from_slice(b"\xef\xbb\xbf");
    }
    for _ in 0..rng.below(7) {
        let line: Vec<u8> = match rng.below(14) {
            0 => b"# a comment".to_vec(),
            1 => Vec::new(),
            2 => b"   \t".to_vec(),
            3 => [
                b"  ".as_slice(),
                rng.pick(VALID_KEYS).as_bytes(),
                b"=  spaced  ",
            ]
            .concat(),
            4 => b"FROMENV".to_vec(),
            5 => b"UNSET_VAR".to_vec(),
            6 => b"export X=1".to_vec(),
            7 => b"K =v".to_vec(),
            8 if rng.chance(30) => b"BAD=\xff".to_vec(),
            9 => [b"Q=\"quoted\" # not a comment".as_slice()].concat(),
            10 => "\u{a0}NBSP=1".as_bytes().to_vec(),
            11 => b"1A=digit".to_vec(),
            _ => {
                let key = rng.pick(VALID_KEYS).as_bytes();
                let mut value = random_value(rng, true);
                value.retain(|b| *b != b'\n');
                [key, b"=", &value].concat()
            }
        };
        out.extend_from_slice(&line);
        out.extend_from_slice(if rng.chance(20) { b"\r\n" } else { b"\n" });
    }
    if rng.chance(30) {
        out.extend_from_slice(b"LAST=no-newline");
    }
    out
}

/// Lays out the scratch directory every case may refer to.
fn populate(dir: &Path, rng: &mut Rng) {
    for (name, content) in [
        ("a", b"alpha".as_slice()),
        ("A", b"upper"),
        ("bin", b"\xff\x00\x01binary\r\n"),
        ("empty", b""),
        ("nl", b"hunter2\n"),
        ("c,d", b"comma in name"),
        ("bad name", b"space in name"),
    ] {
        fs::write(dir.join(name), content).unwrap();
    }
    fs::write(dir.join("rand"), random_value(rng, true)).unwrap();
    let d = dir.join("d");
    fs::create_dir_all(d.join("sub")).unwrap();
    fs::write(d.join(".hidden"), b"hid").unwrap();
    fs::write(d.join("b.txt"), b"hello\n").unwrap();
    fs::write(d.join("sub/inner"), b"not read").unwrap();
    std::os::unix::fs::symlink("b.txt", d.join("link")).unwrap();
    std::os::unix::fs::symlink("sub", d.join("dirlink")).unwrap();
    fs::create_dir_all(dir.join("emptydir")).unwrap();
    let bad = dir.join("baddir");
    fs::create_dir_all(&bad).unwrap();
    fs::write(bad.join("ok"), b"1").unwrap();
    fs::write(bad.join("not ok"), b"2").unwrap();
    std::os::unix::fs::symlink("d", dir.join("dlink")).unwrap();
    fs::write(dir.join("one.env"), random_env_file(rng)).unwrap();
    fs::write(dir.join("two.env"), random_env_file(rng)).unwrap();
    fs::write(dir.join("fixed.env"), b"A=1\nB=2\n").unwrap();
}

/// One `--from-file` item.
fn random_file_item(rng: &mut Rng) -> Vec<u8> {
    let paths: &[&str] = &[
        "a",
        "A",
        "bin",
        "empty",
        "nl",
        "rand",
        "d",
        "d/",
        "dlink",
        "emptydir",
        "baddir",
        "missing",
        "a/",
        "./a",
        "d/link",
        "d/dirlink",
    ];
    match rng.below(10) {
        0..=4 => rng.pick(paths).as_bytes().to_vec(),
        5..=7 => [random_key(rng).as_slice(), b"=", rng.pick(paths).as_bytes()].concat(),
        8 => rng
            .pick(&[
                "=a",
                "k=",
                "a=b=c",
                "\"q=c,d\"",
                "k=\"c,d\"",
                "\"a\"\"b\"",
                "a,,A",
                "a\nA",
                "' a'",
                "\"c,d\"",
            ])
            .as_bytes()
            .to_vec(),
        _ => b"a,A".to_vec(),
    }
}

/// Arguments (from the subcommand on) and extra environment variables.
type Args = Vec<Vec<u8>>;
type Env = Vec<(&'static str, Vec<u8>)>;

fn random_case(rng: &mut Rng) -> (Args, Env) {
    let mut args: Vec<Vec<u8>> = vec![b"generic".to_vec()];
    match rng.below(40) {
        0 => {}
        1 => {
            args.push(b"one".to_vec());
            args.push(b"two".to_vec());
        }
        _ => args.push(random_name(rng)),
    }
    let mut flags: Vec<Vec<u8>> = Vec::new();
    let use_env_file = rng.chance(25);
    if use_env_file {
        let files: &[&[u8]] = &[
            b"one.env",
            b"two.env",
            b"one.env,two.env",
            b"fixed.env",
            b"missing.env",
            b"d",
        ];
        for _ in 0..=rng.below(2) {
            flags.push([b"--from-env-file=".as_slice(), rng.pick(files)].concat());
        }
    }
    if !use_env_file || rng.chance(5) {
        for _ in 0..rng.below(4) {
            let literal = match rng.below(12) {
                0 => b"novalue".to_vec(),
                1 => b"=v".to_vec(),
                _ => [random_key(rng).as_slice(), b"=", &random_value(rng, false)].concat(),
            };
            flags.push([b"--from-literal=".as_slice(), &literal].concat());
        }
        for _ in 0..rng.below(3) {
            flags.push([b"--from-file=".as_slice(), &random_file_item(rng)].concat());
        }
    }
    if rng.chance(30) {
        let types: &[&[u8]] = &[
            b"Opaque",
            b"kubernetes.io/basic-auth",
            b"my/type",
            b"<t>&\"q\"",
            b"t\xfe",
            b"",
            b"kubernetes.io/tls",
        ];
        flags.push([b"--type=".as_slice(), rng.pick(types)].concat());
    }
    if rng.chance(30) {
        flags.push(b"--append-hash".to_vec());
    }
    if rng.chance(10) {
        let namespace = rng.pick(&[b"team-a".as_slice(), b"Bad_NS!", b""]);
        flags.push([b"--namespace=".as_slice(), namespace].concat());
    }
    let dangling_flag = rng.chance(3);
    if rng.chance(10) {
        flags.push(b"--save-config".to_vec());
    }
    // kubectl does not care where flags stand relative to NAME.
    for _ in 0..flags.len() {
        let i = rng.below(flags.len());
        let j = rng.below(flags.len());
        flags.swap(i, j);
    }
    args.extend(flags);
    if dangling_flag {
        // A flag that lacks its value at the very end.
        args.push(b"-n".to_vec());
    }
    let mut env = Vec::new();
    if rng.chance(70) {
        env.push(("FROMENV", b"from env!".to_vec()));
    }
    (args, env)
}

fn env_of<'a>(env: &'a [(&'static str, Vec<u8>)]) -> Vec<(&'static str, &'a [u8])> {
    env.iter().map(|(k, v)| (*k, v.as_slice())).collect()
}

#[test]
fn kubectl_generic_differential() {
    let Some(kubectl) = kubectl() else { return };
    let seed = std::env::var("PACHSECRET_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    let cases: usize = std::env::var("PACHSECRET_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(320);
    let mut rng = Rng::new(seed);
    let mut generated = Vec::new();
    for _ in 0..cases {
        let case_seed = rng.next() | 1;
        let mut case_rng = Rng::new(case_seed);
        let (args, env) = random_case(&mut case_rng);
        generated.push((case_seed, args, env));
    }

    // Two workers: kubectl's start-up dominates, and the machine has two cores.
    let chunks: Vec<_> = generated.chunks(generated.len().div_ceil(2)).collect();
    let outcomes: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| scope.spawn(move || run_cases(kubectl, chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker"))
            .collect()
    });
    let (succeeded, failed) = outcomes
        .iter()
        .fold((0, 0), |(s, f), (cs, cf)| (s + cs, f + cf));
    eprintln!(
        "generic differential: {cases} cases, kubectl accepted {succeeded}, refused {failed}"
    );
    // The generator must exercise both sides, or the comparison proves little.
    assert!(
        succeeded > cases / 4 && failed > cases / 10,
        "unbalanced generator: {succeeded}/{failed}"
    );
}

fn run_cases(kubectl: &Path, cases: &[(u64, Args, Env)]) -> (usize, usize) {
    let (mut succeeded, mut failed) = (0, 0);
    for (case_seed, args, env) in cases {
        let dir = tempfile::tempdir().unwrap();
        populate(dir.path(), &mut Rng::new(*case_seed ^ 0xf11e5));
        let env = env_of(env);
        let theirs = run_kubectl(kubectl, args, dir.path(), &env);
        let exact_args = with_flag(args, "--validate=false");
        let ours = run_pachsecret(&exact_args, dir.path(), &env);
        let context = || {
            format!(
                "case seed {case_seed:#x}: {}\nkubectl: {:?}\n{}\n{}\npachsecret: {:?}\n{}\n{}",
                show_args(args),
                theirs.status.code(),
                show(&theirs.stdout),
                show(&theirs.stderr),
                ours.status.code(),
                show(&ours.stdout),
                show(&ours.stderr)
            )
        };
        if theirs.status.success() {
            succeeded += 1;
            assert!(
                ours.status.success(),
                "kubectl accepted, pachsecret refused\n{}",
                context()
            );
            assert_eq!(ours.stdout, theirs.stdout, "different bytes\n{}", context());
            assert!(
                ours.stderr.is_empty(),
                "--validate=false must keep stderr silent\n{}",
                context()
            );
        } else {
            failed += 1;
            assert!(
                !ours.status.success(),
                "kubectl refused, pachsecret accepted\n{}",
                context()
            );
            assert!(
                ours.stdout.is_empty(),
                "stdout must be empty on error\n{}",
                context()
            );
            assert!(ours.stderr.starts_with(b"error: "), "{}", context());
        }

        // With pachsecret's own checks on: never different bytes, only extra refusals.
        let checked = run_pachsecret(args, dir.path(), &env);
        if checked.status.success() {
            assert!(
                theirs.status.success(),
                "checks on, still accepted what kubectl refused\n{}",
                context()
            );
            assert_eq!(
                checked.stdout,
                theirs.stdout,
                "checks must not change the output\n{}",
                context()
            );
        } else {
            assert!(checked.stdout.is_empty(), "{}", context());
            assert!(
                matches!(checked.status.code(), Some(1 | 2)),
                "{}",
                context()
            );
            assert!(
                !checked.stderr.windows(7).any(|w| w == b"hunter2"),
                "a value leaked into stderr\n{}",
                context()
            );
        }
    }
    (succeeded, failed)
}
