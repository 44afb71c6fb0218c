#!/usr/bin/env python3
"""Probes every kubectl.1.2x/1.3x beside `kubectl` with certificates whose extensions are edited
at the DER level, and prints a table of accept/refuse and kubectl's error per release.

    python3 testdata/kubectl-releases/probe_kubectl_x509.py [CASE-SUBSTRING ...] [--godebug=SETTING]

The certificate is testdata/tls/rsa2048.crt with its extensions replaced (the signature is left
as it was: kubectl does not verify it), the key testdata/tls/rsa2048.key. kubectl runs as
`env -i HOME=<empty> PATH=/usr/bin:/bin kubectl.1.X create secret tls t --cert=.. --key=..
--dry-run=client -o json`. The findings are written up in testdata/kubectl-releases/README.md.
"""
import base64
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TLS = os.path.join(HERE, "..", "testdata", "tls")
RELEASES = ["1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"]


# --- DER -----------------------------------------------------------------------------------
def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + length(len(content)) + content


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def set_(*parts):
    return tlv(0x31, b"".join(parts))


def ctx(n, content, constructed=False):
    return tlv((0xA0 if constructed else 0x80) | n, content)


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    values = [parts[0] * 40 + parts[1]] + parts[2:]
    out = b""
    for v in values:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, out)


def integer(n):
    size = max(1, (n.bit_length() + 8) // 8)
    return tlv(0x02, n.to_bytes(size, "big", signed=True))


def boolean(b):
    return tlv(0x01, b"\xff" if b else b"\x00")


def octet(b):
    return tlv(0x04, b)


def ia5(s):
    return s if isinstance(s, bytes) else s.encode()


def read(data):
    """(tag, content, full, rest) of the first TLV."""
    tag = data[0]
    first = data[1]
    if first < 0x80:
        n, h = first, 2
    else:
        k = first & 0x7F
        n, h = int.from_bytes(data[2 : 2 + k], "big"), 2 + k
    return tag, data[h : h + n], data[: h + n], data[h + n :]


def elements(data):
    out = []
    while data:
        _, _, full, data = read(data)
        out.append(full)
    return out


def pem_der(path):
    text = open(path, "rb").read().split(b"-----")[2]
    return base64.b64decode(b"".join(text.split()))


def to_pem(der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


BASE = pem_der(os.path.join(TLS, "rsa2048.crt"))


def ext(dotted, value, critical=None):
    parts = [oid(dotted)]
    if critical is not None:
        parts.append(boolean(critical))
    parts.append(octet(value))
    return seq(*parts)


def cert_with(extensions, raw_extensions=None, tbs_edit=None, signature_edit=None):
    """BASE with its [3] extensions replaced by `extensions` (a list of ext(...) encodings)."""
    _, outer, _, _ = read(BASE)
    tbs_full, alg, sig = elements(outer)
    _, tbs, _, _ = read(tbs_full)
    fields = [f for f in elements(tbs) if f[0] != 0xA3]
    if raw_extensions is not None:
        fields.append(ctx(3, raw_extensions, constructed=True))
    elif extensions is not None:
        fields.append(ctx(3, seq(*extensions), constructed=True))
    if tbs_edit:
        fields = tbs_edit(fields)
    if signature_edit:
        sig = signature_edit(sig)
    return seq(seq(*fields), alg, sig)


# --- the cases ------------------------------------------------------------------------------
NC, SAN, POL, AIA, CRL = "2.5.29.30", "2.5.29.17", "2.5.29.32", "1.3.6.1.5.5.7.1.1", "2.5.29.31"
EKU, KU, BC, SKID, AKID = "2.5.29.37", "2.5.29.15", "2.5.29.19", "2.5.29.14", "2.5.29.35"
OCSP = "1.3.6.1.5.5.7.48.1"


def nc(permitted=None, excluded=None):
    parts = []
    if permitted is not None:
        parts.append(ctx(0, b"".join(seq(g) for g in permitted), True))
    if excluded is not None:
        parts.append(ctx(1, b"".join(seq(g) for g in excluded), True))
    return seq(*parts)


def dns(s):
    return ctx(2, ia5(s))


def email(s):
    return ctx(1, ia5(s))


def uri(s):
    return ctx(6, ia5(s))


def ip(b):
    return ctx(7, b)


def san(*names):
    return seq(*names)


DIRNAME = ctx(4, seq(set_(seq(oid("2.5.4.3"), tlv(0x0C, b"x")))), True)

CASES = {
    # baseline
    "baseline": [ext(BC, seq(), True)],
    "no-extensions-field": None,
    "signature-corrupted": "sig",
    # name constraints
    "nc-valid-dns": [ext(NC, nc([dns("example.com")]), True)],
    "nc-empty-sequence": [ext(NC, seq(), True)],
    "nc-empty-permitted": [ext(NC, seq(ctx(0, b"", True)))],
    "nc-empty-permitted-and-excluded": [ext(NC, seq(ctx(0, b"", True), ctx(1, b"", True)))],
    "nc-empty-permitted-nonempty-excluded": [ext(NC, seq(ctx(0, b"", True), ctx(1, seq(dns("a.com")), True)))],
    "nc-trailing-data": [ext(NC, nc([dns("a.com")]) + b"\x05\x00")],
    "nc-wrong-top-tag": [ext(NC, seq(ctx(2, seq(dns("a.com")), True)))],
    "nc-subtree-not-sequence": [ext(NC, seq(ctx(0, dns("a.com"), True)))],
    "nc-subtree-empty-sequence": [ext(NC, seq(ctx(0, seq(), True)))],
    "nc-not-sequence": [ext(NC, octet(b"x"))],
    "nc-dns-leading-dot": [ext(NC, nc([dns(".example.com")]))],
    "nc-dns-two-leading-dots": [ext(NC, nc([dns("..example.com")]))],
    "nc-dns-empty-label": [ext(NC, nc([dns("a..b")]))],
    "nc-dns-trailing-dot": [ext(NC, nc([dns("example.com.")]))],
    "nc-dns-space": [ext(NC, nc([dns("exa mple.com")]))],
    "nc-dns-non-ascii": [ext(NC, nc([dns(b"ex\xffample")]))],
    "nc-dns-utf8": [ext(NC, nc([dns("exämple".encode())]))],
    "nc-dns-empty": [ext(NC, nc([dns("")]))],
    "nc-dns-dot-only": [ext(NC, nc([dns(".")]))],
    "nc-dns-excluded-bad": [ext(NC, nc(None, [dns("a..b")]))],
    "nc-dns-with-minimum": [ext(NC, seq(ctx(0, seq(dns("a.com"), ctx(0, b"\x00")), True)))],
    "nc-ip-valid": [ext(NC, nc([ip(bytes([10, 0, 0, 0, 255, 0, 0, 0]))]))],
    "nc-ip-v6-valid": [ext(NC, nc([ip(bytes(16) + bytes([0xFF] * 4) + bytes(12))]))],
    "nc-ip-length-5": [ext(NC, nc([ip(bytes(5))]))],
    "nc-ip-length-16": [ext(NC, nc([ip(bytes(16))]))],
    "nc-ip-bad-mask": [ext(NC, nc([ip(bytes([10, 0, 0, 0, 255, 0, 255, 0]))]))],
    "nc-ip-v4-mapped": [ext(NC, nc([ip(bytes(10) + b"\xff\xff" + bytes([10, 0, 0, 0]) + bytes([0xFF] * 12) + bytes(4))]))],
    "nc-email-domain": [ext(NC, nc([email("example.com")]))],
    "nc-email-leading-dot": [ext(NC, nc([email(".example.com")]))],
    "nc-email-mailbox": [ext(NC, nc([email("user@example.com")]))],
    "nc-email-quoted-mailbox": [ext(NC, nc([email('"a b"@example.com')]))],
    "nc-email-bad-local": [ext(NC, nc([email("a..b@example.com")]))],
    "nc-email-bad-domain": [ext(NC, nc([email("exa mple.com")]))],
    "nc-email-bad-mailbox-domain": [ext(NC, nc([email("user@a..b")]))],
    "nc-email-two-at": [ext(NC, nc([email("a@b@c")]))],
    "nc-email-non-ascii": [ext(NC, nc([email(b"\xc3\xa4@example.com")]))],
    "nc-uri-domain": [ext(NC, nc([uri(".example.com")]))],
    "nc-uri-ip": [ext(NC, nc([uri("10.0.0.1")]))],
    "nc-uri-ipv6": [ext(NC, nc([uri("::1")]))],
    "nc-uri-bad": [ext(NC, nc([uri("a..b")]))],
    "nc-uri-two-leading-dots": [ext(NC, nc([uri("..example.com")]))],
    "nc-uri-non-ascii": [ext(NC, nc([uri(b"\x80")]))],
    "nc-dirname": [ext(NC, nc([DIRNAME]), True)],
    "nc-other-tag-primitive": [ext(NC, nc([ctx(8, b"\x2a\x03")]))],
    "nc-generalname-truncated": [ext(NC, seq(ctx(0, seq(b"\x82\x05ab"), True)))],
    # subject alternative names
    "san-valid": [ext(SAN, san(dns("a.example"), email("a@example"), uri("https://a.example/x"), ip(bytes(4))))],
    "san-empty-sequence": [ext(SAN, seq())],
    "san-empty-sequence-critical": [ext(SAN, seq(), True)],
    "san-trailing-data": [ext(SAN, san(dns("a")) + b"\x05\x00")],
    "san-not-sequence": [ext(SAN, octet(b"x"))],
    "san-truncated-name": [ext(SAN, seq(b"\x82\x05ab"))],
    "san-dns-space": [ext(SAN, san(dns("a b")))],
    "san-dns-empty": [ext(SAN, san(dns("")))],
    "san-dns-non-ascii": [ext(SAN, san(dns(b"\xc3\xa4")))],
    "san-email-non-ascii": [ext(SAN, san(email(b"\xc3\xa4")))],
    "san-email-garbage": [ext(SAN, san(email("not an email")))],
    "san-ip-5": [ext(SAN, san(ip(bytes(5))))],
    "san-ip-0": [ext(SAN, san(ip(b"")))],
    "san-ip-v4-mapped": [ext(SAN, san(ip(bytes(10) + b"\xff\xff" + bytes([1, 2, 3, 4]))))],
    "san-dirname": [ext(SAN, san(DIRNAME))],
    "san-othername": [ext(SAN, san(ctx(0, oid("1.2.3") + ctx(0, tlv(0x0C, b"x"), True), True)))],
    "san-uri-space-host": [ext(SAN, san(uri("http://a b/")))],
    "san-uri-space-path": [ext(SAN, san(uri("http://a/b c")))],
    "san-uri-dotdot-host": [ext(SAN, san(uri("http://a..b/")))],
    "san-uri-leading-dot-host": [ext(SAN, san(uri("http://.example.com/")))],
    "san-uri-trailing-dot-host": [ext(SAN, san(uri("http://example.com./")))],
    "san-uri-bad-escape": [ext(SAN, san(uri("http://a/%zz")))],
    "san-uri-short-escape": [ext(SAN, san(uri("http://a/%4")))],
    "san-uri-host-escape": [ext(SAN, san(uri("http://%41/")))],
    "san-uri-host-escape-high": [ext(SAN, san(uri("http://%c3%a4/")))],
    "san-uri-unclosed-bracket": [ext(SAN, san(uri("http://[::1/")))],
    "san-uri-ipv6": [ext(SAN, san(uri("http://[::1]:80/")))],
    "san-uri-ipv6-zone": [ext(SAN, san(uri("http://[fe80::1%25en0]/")))],
    "san-uri-ipv6-bad-zone": [ext(SAN, san(uri("http://[fe80::1%25%0A]/")))],
    "san-uri-bracket-bad-port": [ext(SAN, san(uri("http://[::1]x/")))],
    "san-uri-bad-port": [ext(SAN, san(uri("http://a:b/")))],
    "san-uri-empty-port": [ext(SAN, san(uri("http://a:/")))],
    "san-uri-control": [ext(SAN, san(uri("http://a/\x01")))],
    "san-uri-del": [ext(SAN, san(uri("http://a/\x7f")))],
    "san-uri-missing-scheme": [ext(SAN, san(uri(":foo")))],
    "san-uri-colon-first-segment": [ext(SAN, san(uri("1a:b")))],
    "san-uri-relative": [ext(SAN, san(uri("foo/bar")))],
    "san-uri-empty": [ext(SAN, san(uri("")))],
    "san-uri-star": [ext(SAN, san(uri("*")))],
    "san-uri-opaque": [ext(SAN, san(uri("urn:a b")))],
    "san-uri-bad-userinfo": [ext(SAN, san(uri("http://a b@host/")))],
    "san-uri-userinfo-bad-escape": [ext(SAN, san(uri("http://a%zz@host/")))],
    "san-uri-fragment-bad-escape": [ext(SAN, san(uri("http://a/#%zz")))],
    "san-uri-query-bad-escape": [ext(SAN, san(uri("http://a/?%zz")))],
    "san-uri-host-invalid-char": [ext(SAN, san(uri("http://a{b}/")))],
    "san-uri-host-lt": [ext(SAN, san(uri("http://a<b/")))],
    "san-uri-no-host": [ext(SAN, san(uri("http:///path")))],
    "san-uri-host-with-port-dotdot": [ext(SAN, san(uri("http://a..b:80/")))],
    "san-uri-non-ascii": [ext(SAN, san(uri(b"http://\xc3\xa4/")))],
    "san-uri-quote": [ext(SAN, san(uri('http://a"b/')))],
    "san-uri-backslash": [ext(SAN, san(uri("http://a\\b/")))],
    # certificate policies
    "pol-valid": [ext(POL, seq(seq(oid("2.5.29.32.0"))))],
    "pol-with-qualifiers": [ext(POL, seq(seq(oid("1.2.3"), seq(seq(oid("1.3.6.1.5.5.7.2.1"), tlv(0x16, b"http://cps"))))))],
    "pol-empty": [ext(POL, seq())],
    "pol-not-sequence": [ext(POL, octet(b"x"))],
    "pol-info-not-sequence": [ext(POL, seq(oid("1.2.3")))],
    "pol-info-no-oid": [ext(POL, seq(seq(integer(1))))],
    "pol-oid-non-minimal": [ext(POL, seq(seq(tlv(0x06, b"\x2a\x80\x01"))))],
    "pol-oid-empty": [ext(POL, seq(seq(tlv(0x06, b""))))],
    "pol-oid-unterminated": [ext(POL, seq(seq(tlv(0x06, b"\x2a\x83"))))],
    "pol-oid-huge-component": [ext(POL, seq(seq(oid("1.2.99999999999999999999"))))],
    "pol-oid-32-bit-component": [ext(POL, seq(seq(oid("1.2.4294967296"))))],
    "pol-duplicate": [ext(POL, seq(seq(oid("1.2.3")), seq(oid("1.2.3"))))],
    "pol-trailing-data": [ext(POL, seq(seq(oid("1.2.3"))) + b"\x05\x00")],
    # authority information access
    "aia-valid": [ext(AIA, seq(seq(oid(OCSP), uri("http://ocsp.example"))))],
    "aia-critical": [ext(AIA, seq(seq(oid(OCSP), uri("http://ocsp.example"))), True)],
    "aia-critical-false": [ext(AIA, seq(seq(oid(OCSP), uri("http://ocsp.example"))), False)],
    "aia-critical-malformed": [ext(AIA, octet(b"x"), True)],
    "aia-not-sequence": [ext(AIA, octet(b"x"))],
    "aia-entry-not-sequence": [ext(AIA, seq(oid(OCSP)))],
    "aia-entry-no-oid": [ext(AIA, seq(seq(uri("http://x"))))],
    "aia-entry-bad-oid": [ext(AIA, seq(seq(tlv(0x06, b"\x2b\x80\x01"), uri("http://x"))))],
    "aia-entry-dirname": [ext(AIA, seq(seq(oid(OCSP), DIRNAME)))],
    "aia-entry-uri-truncated": [ext(AIA, seq(seq(oid(OCSP), b"\x86\x05ab")))],
    "aia-entry-only-oid": [ext(AIA, seq(seq(oid(OCSP))))],
    "aia-empty": [ext(AIA, seq())],
    "aia-uri-garbage": [ext(AIA, seq(seq(oid(OCSP), uri("http://a b/%zz"))))],
    # CRL distribution points
    "crl-valid": [ext(CRL, seq(seq(ctx(0, ctx(0, uri("http://crl.example/c.crl"), True), True))))],
    "crl-relative-name": [ext(CRL, seq(seq(ctx(0, ctx(1, seq(oid("2.5.4.3"), tlv(0x0C, b"x")), True), True))))],
    "crl-not-sequence": [ext(CRL, octet(b"x"))],
    "crl-point-not-sequence": [ext(CRL, seq(ctx(0, b"", True)))],
    "crl-no-name": [ext(CRL, seq(seq(ctx(2, DIRNAME, True))))],
    "crl-fullname-dirname": [ext(CRL, seq(seq(ctx(0, ctx(0, DIRNAME, True), True))))],
    "crl-fullname-uri-after-dirname": [ext(CRL, seq(seq(ctx(0, ctx(0, DIRNAME + uri("http://c"), True), True))))],
    "crl-fullname-empty": [ext(CRL, seq(seq(ctx(0, ctx(0, b"", True), True))))],
    "crl-name-empty": [ext(CRL, seq(seq(ctx(0, b"", True))))],
    "crl-empty": [ext(CRL, seq())],
    "crl-uri-garbage": [ext(CRL, seq(seq(ctx(0, ctx(0, uri("a b %zz"), True), True))))],
    "crl-truncated-uri": [ext(CRL, seq(seq(ctx(0, ctx(0, b"\x86\x05ab", True), True))))],
    "crl-primitive-name": [ext(CRL, seq(seq(ctx(0, b"x"))))],
    "crl-critical": [ext(CRL, seq(seq(ctx(0, ctx(0, uri("http://c"), True), True))), True)],
    # extended key usage
    "eku-valid": [ext(EKU, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.2.3")))],
    "eku-empty": [ext(EKU, seq())],
    "eku-not-sequence": [ext(EKU, octet(b"x"))],
    "eku-not-oid": [ext(EKU, seq(integer(1)))],
    "eku-oid-32-bit-component": [ext(EKU, seq(oid("1.2.4294967296")))],
    "eku-oid-non-minimal": [ext(EKU, seq(tlv(0x06, b"\x2a\x80\x01")))],
    # key usage
    "ku-valid": [ext(KU, tlv(0x03, b"\x05\xa0"), True)],
    "ku-empty-bits": [ext(KU, tlv(0x03, b"\x00"))],
    "ku-bad-padding": [ext(KU, tlv(0x03, b"\x05\xa1"))],
    "ku-not-bit-string": [ext(KU, octet(b"\xa0"))],
    "ku-long": [ext(KU, tlv(0x03, b"\x00\xff\xff\xff"))],
    # basic constraints
    "bc-ca-pathlen": [ext(BC, seq(boolean(True), integer(3)), True)],
    "bc-pathlen-negative": [ext(BC, seq(boolean(True), integer(-1)), True)],
    "bc-pathlen-huge": [ext(BC, seq(boolean(True), integer(2**63)), True)],
    "bc-pathlen-int64-max": [ext(BC, seq(boolean(True), integer(2**63 - 1)), True)],
    "bc-bad-boolean": [ext(BC, seq(tlv(0x01, b"\x01")), True)],
    "bc-not-sequence": [ext(BC, octet(b"x"))],
    "bc-trailing-element": [ext(BC, seq(boolean(True), integer(1), octet(b"x")))],
    "bc-integer-non-minimal": [ext(BC, seq(tlv(0x02, b"\x00\x01")))],
    # subject / authority key identifiers
    "skid-valid": [ext(SKID, octet(b"\x01\x02"))],
    "skid-critical": [ext(SKID, octet(b"\x01\x02"), True)],
    "skid-not-octet": [ext(SKID, seq())],
    "akid-valid": [ext(AKID, seq(ctx(0, b"\x01\x02")))],
    "akid-critical": [ext(AKID, seq(ctx(0, b"\x01\x02")), True)],
    "akid-not-sequence": [ext(AKID, octet(b"x"))],
    "akid-truncated-id": [ext(AKID, seq(b"\x80\x05ab"))],
    "akid-empty": [ext(AKID, seq())],
    # policy constraints / mappings / inhibit any policy (parsed by newer Go only)
    "polcons-valid": [ext("2.5.29.36", seq(ctx(0, b"\x01")), True)],
    "polcons-malformed": [ext("2.5.29.36", octet(b"x"), True)],
    "polcons-bad-int": [ext("2.5.29.36", seq(ctx(0, b"")), True)],
    "polmap-malformed": [ext("2.5.29.33", octet(b"x"))],
    "inhibit-malformed": [ext("2.5.29.54", octet(b"x"))],
    # unknown and duplicate extensions
    "unknown-critical": [ext("1.2.3.4", b"\x05\x00", True)],
    "unknown-critical-garbage": [ext("1.2.3.4", b"\xff\xff", True)],
    "duplicate-bc": [ext(BC, seq(), True), ext(BC, seq(), True)],
    "duplicate-unknown": [ext("1.2.3.4", b"", False), ext("1.2.3.4", b"", False)],
    "duplicate-with-different-critical": [ext(SKID, octet(b"\x01")), ext(SKID, octet(b"\x01"), False)],
    "extension-oid-32-bit-component": [ext("1.2.4294967296", b"")],
    "extensions-empty-sequence": [],
    "extensions-trailing-data": ("raw", seq(ext(BC, seq(), True)) + b"\x05\x00"),
}


def build(name):
    spec = CASES[name]
    if spec == "sig":
        return cert_with([ext(BC, seq(), True)], signature_edit=lambda s: s[:-1] + bytes([s[-1] ^ 1]))
    if isinstance(spec, tuple):
        return cert_with(None, raw_extensions=spec[1])
    return cert_with(spec)


def kubectl_dir():
    return os.path.dirname(os.path.realpath(shutil.which("kubectl")))


def run(release, cert_path, key_path, godebug, home):
    env = {"HOME": home, "PATH": "/usr/bin:/bin"}
    if godebug:
        env["GODEBUG"] = godebug
    binary = os.path.join(kubectl_dir(), "kubectl." + release)
    p = subprocess.run(
        [binary, "create", "secret", "tls", "t", "--cert=" + cert_path, "--key=" + key_path,
         "--dry-run=client", "-o", "json"],
        env=env, capture_output=True)
    if p.returncode == 0:
        return "ok"
    return p.stderr.decode(errors="replace").strip().splitlines()[0]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    godebug = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--godebug=")), None)
    names = [n for n in CASES if not args or any(a in n for a in args)]
    tmp = tempfile.mkdtemp()
    home = tempfile.mkdtemp()
    key = os.path.join(TLS, "rsa2048.key")
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for n in names:
            path = os.path.join(tmp, n + ".crt")
            open(path, "wb").write(to_pem(build(n)))
            for r in RELEASES:
                jobs[(n, r)] = pool.submit(run, r, path, key, godebug, home)
    for n in names:
        results = [jobs[(n, r)].result() for r in RELEASES]
        if len(set(results)) == 1:
            print(f"{n}: all: {results[0]}")
        else:
            print(f"{n}:")
            for r, res in zip(RELEASES, results):
                print(f"    {r}: {res}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
