#!/usr/bin/env python3
"""Speed and memory of pachsecret, side by side with kubectl and coreutils, in one run.

Usage: python3 bench/run.py [--quick]

Builds the release binary, then measures whole-process wall time and peak resident memory
(ru_maxrss from wait4, the figure GNU time's -v prints) for:

  1. a small secret, `generic s --from-literal=a=b`: pachsecret vs kubectl 1.32;
  2. a Makefile-style batch of 200 invocations mixing generic, tls and docker-registry
     (the subcommands this build has), run one after another: total time;
  3. a 64 MiB file through `--from-file` with the size check off: pachsecret vs kubectl vs
     `base64 -w0` of the same file, all writing to /dev/null.

Prints a Markdown table with the ratios. Nothing here is a test: timings are never asserted.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = "--quick" in sys.argv


def find_kubectl():
    found = shutil.which("kubectl.1.32")
    if found:
        return found
    plain = shutil.which("kubectl")
    if plain:
        candidate = os.path.join(os.path.dirname(os.path.realpath(plain)), "kubectl.1.32")
        if os.path.exists(candidate):
            return candidate
    return None


def run_once(argv, cwd, env, stdout=subprocess.DEVNULL):
    """(wall seconds, peak RSS in KiB, exit status) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def peak_rss_kib(argv, cwd, env):
    """Peak RSS of the command alone, from GNU time (%M). ru_maxrss of a child forked from
    this Python process would also count the parent's pages it had before exec."""
    with tempfile.NamedTemporaryFile("r") as report:
        status = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + argv, cwd=cwd,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if status != 0:
            raise SystemExit(f"benchmark command failed: {argv} (exit {status})")
        return int(report.read().strip().splitlines()[-1])


def measure(argv, cwd, env, runs):
    """(median wall seconds over `runs`, peak RSS in KiB)."""
    results = [run_once(argv, cwd, env) for _ in range(runs)]
    failed = [r for r in results if r[2] != 0]
    if failed:
        raise SystemExit(f"benchmark command failed: {argv} (exit {failed[0][2]})")
    return statistics.median(r[0] for r in results), peak_rss_kib(argv, cwd, env)


def fmt_ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_mib(kib):
    return f"{kib / 1024:.1f} MiB"


def main():
    print("building the release binary...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ours = os.path.join(ROOT, "target", "release", "pachsecret")
    kubectl = find_kubectl()
    work = tempfile.mkdtemp(prefix="pachsecret-bench-")
    home = tempfile.mkdtemp(prefix="pachsecret-bench-home-")
    env = {"HOME": home, "PATH": "/usr/bin:/bin"}
    rows = []

    # 1. A small secret.
    runs = 10 if QUICK else 50
    small = ["generic", "s", "--from-literal=a=b"]
    p_wall, p_rss = measure([ours] + small, work, env, runs)
    rows.append(("small secret", "pachsecret", p_wall, p_rss))
    if kubectl:
        k_wall, k_rss = measure([kubectl, "create", "secret"] + small + ["--dry-run=client", "-o", "json"],
                                work, env, max(5, runs // 3))
        rows.append(("small secret", "kubectl 1.32", k_wall, k_rss))

    # The cost of starting any process from here, to read the small-secret times against.
    t_wall, t_rss = measure(["/bin/true"], work, env, runs)
    rows.append(("small secret", "/bin/true (process start)", t_wall, t_rss))

    # 2. A Makefile-style batch.
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "tls.key", "-out", "tls.crt", "-days", "3650", "-subj", "/CN=bench"],
                   cwd=work, check=True, capture_output=True)
    with open(os.path.join(work, "pw"), "w") as f:
        f.write("registry-password")
    has = lambda sub: subprocess.run([ours, sub, "--help"], capture_output=True).returncode == 0
    kinds = [["generic", "g{i}", "--from-literal=user=u{i}", "--from-file=password=pw"]]
    if has("tls"):
        kinds.append(["tls", "t{i}", "--cert=tls.crt", "--key=tls.key"])
    if has("docker-registry"):
        kinds.append(["docker-registry", "r{i}", "--docker-server=registry{i}.example.com",
                      "--docker-username=u{i}", "--docker-password=p{i}"])
    batch = [[a.format(i=i) for a in kinds[i % len(kinds)]] for i in range(200)]

    def run_batch(prefix, suffix):
        start = time.perf_counter()
        for args in batch:
            _, _, status = run_once(prefix + args + suffix, work, env)
            if status != 0:
                raise SystemExit(f"batch command failed: {prefix + args}")
        wall = time.perf_counter() - start
        # Peak memory of one invocation of each kind.
        peak = max(peak_rss_kib(prefix + args + suffix, work, env) for args in batch[:len(kinds)])
        return wall, peak

    label = "batch of 200 (" + "/".join(k[0] for k in kinds) + ")"
    b_wall, b_rss = run_batch([ours], [])
    rows.append((label, "pachsecret", b_wall, b_rss))
    if kubectl:
        kb_wall, kb_rss = run_batch([kubectl, "create", "secret"], ["--dry-run=client", "-o", "json"])
        rows.append((label, "kubectl 1.32", kb_wall, kb_rss))

    # 3. A 64 MiB file.
    big = os.path.join(work, "big.bin")
    with open(big, "wb") as f:
        for _ in range(64):
            f.write(os.urandom(1024 * 1024))
    runs = 2 if QUICK else 5
    big_args = ["generic", "big", "--from-file=big.bin"]
    g_wall, g_rss = measure([ours] + big_args + ["--validate=false"], work, env, runs)
    rows.append(("64 MiB --from-file", "pachsecret", g_wall, g_rss))
    if kubectl:
        kg_wall, kg_rss = measure([kubectl, "create", "secret"] + big_args + ["--dry-run=client", "-o", "json"],
                                  work, env, max(2, runs // 2))
        rows.append(("64 MiB --from-file", "kubectl 1.32", kg_wall, kg_rss))
    c_wall, c_rss = measure(["base64", "-w0", "big.bin"], work, env, runs)
    rows.append(("64 MiB --from-file", "base64 -w0", c_wall, c_rss))

    # The table, with each row compared to pachsecret's in the same scenario.
    print(f"machine: {os.cpu_count()} cores, {platform_line()}")
    print()
    print("| scenario | program | wall time | peak RSS | time vs pachsecret | memory vs pachsecret |")
    print("|---|---|---|---|---|---|")
    base = {}
    for scenario, program, wall, rss in rows:
        if program == "pachsecret":
            base[scenario] = (wall, rss)
        b_wall_, b_rss_ = base[scenario]
        print(f"| {scenario} | {program} | {fmt_ms(wall)} | {fmt_mib(rss)} | "
              f"{wall / b_wall_:.1f}x | {rss / b_rss_:.1f}x |")
    shutil.rmtree(work)
    shutil.rmtree(home)


def platform_line():
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) // 1024 // 1024
        return f"{model}, {mem} GiB RAM"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
