#!/usr/bin/env python3
"""Probes every kubectl.1.2x/1.3x with PKCS#1 RSA keys whose CRT values (and a few other
fields) are edited, each paired with a certificate for the same modulus, with and without
GODEBUG=x509rsacrt=0. Prints accept/refuse and kubectl's error per release.

    python3 testdata/kubectl-releases/probe_kubectl_rsa.py

Needs Python's `cryptography` and the `openssl` CLI. Findings: testdata/kubectl-releases/README.md.
"""
import datetime
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probe_kubectl_x509 import RELEASES, integer, run, seq  # noqa: E402

TLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "tls")


def prime(bits):
    out = subprocess.run(["openssl", "prime", "-generate", "-bits", str(bits)],
                         capture_output=True, check=True)
    return int(out.stdout)


def pkcs1(n, e, d, p, q, dp=None, dq=None, qinv=None, version=0, extra=b""):
    ints = [integer(version), integer(n), integer(e), integer(d), integer(p), integer(q)]
    ints += [integer(v) for v in (dp, dq, qinv) if v is not None]
    return seq(*ints) + b"" if not extra else seq(*ints, extra)


def pem(label, der):
    import base64
    b64 = base64.b64encode(der).decode()
    body = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()


SIGNER = serialization.load_pem_private_key(open(os.path.join(TLS, "rsa2048.key"), "rb").read(), None)


def cert_for(n, e):
    public = rsa.RSAPublicNumbers(e, n).public_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa-probe")])
    c = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
         .serial_number(7).not_valid_before(datetime.datetime(2025, 1, 1))
         .not_valid_after(datetime.datetime(2045, 1, 1)).sign(SIGNER, hashes.SHA256()))
    return c.public_bytes(serialization.Encoding.PEM)


def cases():
    k = rsa.generate_private_key(65537, 2048).private_numbers()
    n, e, d, p, q = k.public_numbers.n, k.public_numbers.e, k.d, k.p, k.q
    dp, dq, qinv = k.dmp1, k.dmq1, k.iqmp
    phi = (p - 1) * (q - 1)
    out = {
        "consistent": (n, e, pkcs1(n, e, d, p, q, dp, dq, qinv)),
        "wrong-dp": (n, e, pkcs1(n, e, d, p, q, dp + 2, dq, qinv)),
        "wrong-dq": (n, e, pkcs1(n, e, d, p, q, dp, dq + 2, qinv)),
        "wrong-qinv": (n, e, pkcs1(n, e, d, p, q, dp, dq, qinv + 1)),
        "dp-plus-p-minus-1": (n, e, pkcs1(n, e, d, p, q, dp + p - 1, dq, qinv)),
        "qinv-plus-p": (n, e, pkcs1(n, e, d, p, q, dp, dq, qinv + p)),
        "dp-zero": (n, e, pkcs1(n, e, d, p, q, 0, dq, qinv)),
        "no-crt-values": (n, e, pkcs1(n, e, d, p, q)),
        "d-plus-phi": (n, e, pkcs1(n, e, d + phi, p, q, dp, dq, qinv)),
        "p-q-swapped-crt-kept": (n, e, pkcs1(n, e, d, q, p, dp, dq, qinv)),
        "p-q-swapped-crt-recomputed": (n, e, pkcs1(n, e, d, q, p, dq, dp, pow(p, -1, q))),
        "wrong-d-crt-consistent": (n, e, pkcs1(n, e, d + 2, p, q, dp, dq, qinv)),
        "wrong-d-no-crt": (n, e, pkcs1(n, e, d + 2, p, q)),
        "d-plus-phi-no-crt": (n, e, pkcs1(n, e, d + phi, p, q)),
    }
    # p and q of different bit lengths, CRT values consistent.
    p2, q2 = prime(1030), prime(1018)
    n2, phi2 = p2 * q2, (p2 - 1) * (q2 - 1)
    d2 = pow(e, -1, phi2)
    out["unequal-prime-lengths"] = (n2, e, pkcs1(n2, e, d2, p2, q2, d2 % (p2 - 1), d2 % (q2 - 1), pow(q2, -1, p2)))
    # three primes (version 1, otherPrimeInfos)
    r = prime(683)
    p3, q3 = prime(683), prime(682)
    n3 = p3 * q3 * r
    lam = (p3 - 1) * (q3 - 1) * (r - 1)
    d3 = pow(e, -1, lam)
    other = seq(seq(integer(r), integer(d3 % (r - 1)), integer(pow(p3 * q3, -1, r))))
    out["three-primes"] = (n3, e, pkcs1(n3, e, d3, p3, q3, d3 % (p3 - 1), d3 % (q3 - 1), pow(q3, -1, p3), 1, other))
    return out


def main():
    tmp = tempfile.mkdtemp()
    home = tempfile.mkdtemp()
    import concurrent.futures
    jobs = {}
    all_cases = cases()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for name, (n, e, der) in all_cases.items():
            cert_path = os.path.join(tmp, name + ".crt")
            key_path = os.path.join(tmp, name + ".key")
            open(cert_path, "wb").write(cert_for(n, e))
            open(key_path, "wb").write(pem("RSA PRIVATE KEY", der))
            for godebug in (None, "x509rsacrt=0"):
                for r in RELEASES:
                    jobs[(name, godebug, r)] = pool.submit(run, r, cert_path, key_path, godebug, home)
    for name in all_cases:
        for godebug in (None, "x509rsacrt=0"):
            results = [jobs[(name, godebug, r)].result() for r in RELEASES]
            tag = f"{name} [{godebug or 'default'}]"
            if len(set(results)) == 1:
                print(f"{tag}: all: {results[0]}")
            else:
                print(tag + ":")
                for r, res in zip(RELEASES, results):
                    print(f"    {r}: {res}")
    print("keys kept in", tmp)


if __name__ == "__main__":
    main()
