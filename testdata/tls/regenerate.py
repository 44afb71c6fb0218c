#!/usr/bin/env python3
"""Regenerates every fixture in testdata/tls/ (see README.md there).

Run from anywhere: python3 testdata/tls/regenerate.py
Keys are random on each run; certificate dates are fixed so that tests pinning --now
stay valid. Needs Python's `cryptography` package and the `openssl` CLI.
"""
import datetime
import os
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, ed448, padding, rsa, x25519
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
PASSPHRASE = b"pachsecret-test"

VALID_FROM = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
VALID_TO = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
EXPIRED_FROM = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
EXPIRED_TO = datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)
FUTURE_FROM = datetime.datetime(2040, 1, 1, tzinfo=datetime.timezone.utc)
FUTURE_TO = datetime.datetime(2041, 1, 1, tzinfo=datetime.timezone.utc)

PEM = serialization.Encoding.PEM
PKCS8 = serialization.PrivateFormat.PKCS8
TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
NOENC = serialization.NoEncryption()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject_key, cn, issuer_key=None, issuer_cn=None, ca=False, start=VALID_FROM,
         end=VALID_TO, serial=0x1000):
    issuer_key = issuer_key or subject_key
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(issuer_cn or cn))
        .public_key(subject_key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    algorithm = None if isinstance(issuer_key, (ed25519.Ed25519PrivateKey,)) else hashes.SHA256()
    return builder.sign(issuer_key, algorithm)


def cert_pem(c):
    return c.public_bytes(PEM)


def key_pem(key, fmt, enc=NOENC):
    return key.private_bytes(PEM, fmt, enc)


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def main():
    keys = {
        "rsa2048": rsa.generate_private_key(65537, 2048),
        "rsa1024": rsa.generate_private_key(65537, 1024),
        "p224": ec.generate_private_key(ec.SECP224R1()),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "p521": ec.generate_private_key(ec.SECP521R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }
    for label, key in keys.items():
        write(f"{label}.crt", cert_pem(cert(key, f"{label}.example.com")))
        if isinstance(key, ed25519.Ed25519PrivateKey):
            write(f"{label}.key", key_pem(key, PKCS8))
        else:
            # RSA: PKCS#1 "RSA PRIVATE KEY"; EC: SEC1 "EC PRIVATE KEY".
            write(f"{label}.key", key_pem(key, TRADITIONAL))
            write(f"{label}.pk8.key", key_pem(key, PKCS8))

    # EC PARAMETERS block before the SEC1 key, as `openssl ecparam -genkey` writes it.
    params = subprocess.run(
        ["openssl", "ecparam", "-name", "prime256v1"], check=True, capture_output=True
    ).stdout
    write("p256.params.key", params + key_pem(keys["p256"], TRADITIONAL))

    # secp256k1: Go's x509 refuses the curve ("x509: unsupported elliptic curve").
    k1 = ec.generate_private_key(ec.SECP256K1())
    write("secp256k1.key", key_pem(k1, TRADITIONAL))
    write("secp256k1.crt", cert_pem(cert(k1, "secp256k1.example.com")))

    # Negative serial: re-sign a TBS whose serial INTEGER has its top bit set.
    rsa_key = keys["rsa2048"]
    good = cert(rsa_key, "negative-serial.example.com", serial=0x7F010203)
    tbs = good.tbs_certificate_bytes
    old_serial = tlv(0x02, bytes([0x7F, 0x01, 0x02, 0x03]))
    new_serial = tlv(0x02, bytes([0xFF, 0x01, 0x02, 0x03]))
    assert tbs.count(old_serial) == 1
    tbs = tbs.replace(old_serial, new_serial)
    signature = rsa_key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    sigalg = tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d01010b")) + b"\x05\x00")
    der = tlv(0x30, tbs + sigalg + tlv(0x03, b"\x00" + signature))
    # Written by hand: newer `cryptography` refuses to load a negative serial.
    write("negative-serial.crt", b"-----BEGIN CERTIFICATE-----\n" + wrap64(der) + b"-----END CERTIFICATE-----\n")

    # Validity windows (fixed dates; tests pin --now).
    write("expired.crt", cert_pem(cert(rsa_key, "expired.example.com", start=EXPIRED_FROM, end=EXPIRED_TO)))
    write("future.crt", cert_pem(cert(rsa_key, "future.example.com", start=FUTURE_FROM, end=FUTURE_TO)))

    # A three-level chain: leaf (P-256) <- intermediate (RSA-2048) <- root (P-384).
    root_key = ec.generate_private_key(ec.SECP384R1())
    inter_key = rsa.generate_private_key(65537, 2048)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root = cert(root_key, "Pachsecret Test Root", ca=True)
    inter = cert(inter_key, "Pachsecret Test Intermediate", root_key, "Pachsecret Test Root", ca=True)
    leaf = cert(leaf_key, "chain-leaf.example.com", inter_key, "Pachsecret Test Intermediate")
    write("chain-leaf.key", key_pem(leaf_key, TRADITIONAL))
    write("chain.crt", cert_pem(leaf) + cert_pem(inter) + cert_pem(root))
    write("chain-misordered.crt", cert_pem(leaf) + cert_pem(root) + cert_pem(inter))
    write("chain-leaf-second.crt", cert_pem(inter) + cert_pem(leaf) + cert_pem(root))
    write("chain-broken.crt", cert_pem(leaf) + cert_pem(cert(root_key, "Unrelated CA", ca=True)))
    write("root-ca.crt", cert_pem(root))
    expired_inter = cert(inter_key, "Pachsecret Test Intermediate", root_key, "Pachsecret Test Root",
                         ca=True, start=EXPIRED_FROM, end=EXPIRED_TO)
    write("chain-expired-intermediate.crt", cert_pem(leaf) + cert_pem(expired_inter) + cert_pem(root))

    # Encrypted keys (passphrase above): PKCS#8 PBES2 and legacy OpenSSL Proc-Type.
    enc = serialization.BestAvailableEncryption(PASSPHRASE)
    write("rsa2048.enc.pk8.key", key_pem(rsa_key, PKCS8, enc))
    write("p256.enc.pk8.key", key_pem(keys["p256"], PKCS8, enc))
    write("rsa2048.enc.legacy.key", key_pem(rsa_key, TRADITIONAL, enc))
    # More schemes, made by openssl from the plain keys (same passphrase).
    def openssl(out, *args):
        subprocess.run(["openssl", *args, "-out", os.path.join(HERE, out),
                        "-passout", "pass:" + PASSPHRASE.decode()], check=True)
    plain = lambda name: os.path.join(HERE, name)
    openssl("p256.enc.legacy-aes128.key", "ec", "-in", plain("p256.key"), "-aes128")
    openssl("rsa2048.enc.legacy-des3.key", "rsa", "-traditional", "-in", plain("rsa2048.key"), "-des3")
    openssl("rsa2048.enc.pk8-des3.key", "pkcs8", "-topk8", "-in", plain("rsa2048.key"), "-v2", "des3")
    openssl("p256.enc.pk8-sha1.key", "pkcs8", "-topk8", "-in", plain("p256.key"), "-v2", "aes128", "-v2prf", "hmacWithSHA1")
    openssl("ed25519.enc.pk8-scrypt.key", "pkcs8", "-topk8", "-in", plain("ed25519.key"), "-scrypt")

    # Wrong inputs.
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(name("rsa2048.example.com"))
        .sign(rsa_key, hashes.SHA256())
    )
    write("rsa2048.csr", csr.public_bytes(PEM))
    write("rsa2048.pub", rsa_key.public_key().public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    write("rsa2048.crt.der", x509.load_pem_x509_certificate(open(os.path.join(HERE, "rsa2048.crt"), "rb").read()).public_bytes(serialization.Encoding.DER))
    write("rsa2048.key.der", rsa_key.private_bytes(serialization.Encoding.DER, PKCS8, NOENC))
    write("empty", b"")
    odd_certificates(rsa_key)
    write("x25519.key", key_pem(x25519.X25519PrivateKey.generate(), PKCS8))
    write("ed448.key", key_pem(ed448.Ed448PrivateKey.generate(), PKCS8))


def read_tlvs(content):
    """Splits DER contents into (tag, body) pairs (single-byte tags)."""
    out = []
    i = 0
    while i < len(content):
        tag = content[i]
        length = content[i + 1]
        i += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(content[i:i + n], "big")
            i += n
        out.append((tag, content[i:i + length]))
        i += length
    return out


def odd_certificates(key):
    """Certificates built by DER surgery on a normal one, to pin Go's x509 parser (kubectl
    never checks the signature, so they are not re-signed). Each is paired with rsa2048.key."""
    base = cert(key, "odd.example.com").public_bytes(serialization.Encoding.DER)
    (_, outer), = read_tlvs(base)
    (_, tbs), sigalg, sig = read_tlvs(outer)
    fields = read_tlvs(tbs)  # version, serial, sigalg, issuer, validity, subject, spki, exts

    def build(fields, outer_sigalg=sigalg):
        tbs = tlv(0x30, b"".join(tlv(t, b) for t, b in fields))
        body = tbs + tlv(outer_sigalg[0], outer_sigalg[1]) + tlv(sig[0], sig[1])
        return b"-----BEGIN CERTIFICATE-----\n" + wrap64(tlv(0x30, body)) + b"-----END CERTIFICATE-----\n"

    def name(tag, value):
        attr = tlv(0x30, tlv(0x06, bytes.fromhex("550403")) + tlv(tag, value))
        return (0x30, tlv(0x31, attr))

    def validity(not_before, not_after):
        return (0x30, tlv(not_before[0], not_before[1]) + tlv(not_after[0], not_after[1]))

    def with_field(index, value):
        out = list(fields)
        out[index] = value
        return out

    bc = tlv(0x30, tlv(0x06, bytes.fromhex("551d13")) + tlv(0x01, b"\xff") + tlv(0x04, tlv(0x30, b"")))
    odd = {
        "v1": fields[1:7],
        "version4": with_field(0, (0xA0, tlv(0x02, b"\x03"))),
        "utc-offset": with_field(4, validity((0x17, b"250101000000+0100"), (0x17, b"450101000000Z"))),
        "utc-zero-offset": with_field(4, validity((0x17, b"250101000000+0000"), (0x17, b"450101000000Z"))),
        "utc-minutes": with_field(4, validity((0x17, b"2501010000Z"), (0x17, b"4501010000Z"))),
        "generalized-time": with_field(4, validity((0x18, b"20250101000000Z"), (0x18, b"20450101000000Z"))),
        "generalized-fraction": with_field(4, validity((0x18, b"20250101000000.5Z"), (0x18, b"20450101000000Z"))),
        "utc-feb30": with_field(4, validity((0x17, b"250230000000Z"), (0x17, b"450101000000Z"))),
        "printable-at": with_field(5, name(0x13, b"odd@example.com")),
        "printable-star-amp": with_field(5, name(0x13, b"*.odd & co")),
        "ia5-non-ascii": with_field(5, name(0x16, "é".encode())),
        "bmp-odd-length": with_field(5, name(0x1E, b"\x00a\x00")),
        "t61-any-bytes": with_field(5, name(0x14, b"\xff\xfe")),
        "octet-string-name": with_field(5, name(0x04, b"odd")),
        "utf8-invalid": with_field(5, name(0x0C, b"\xc3")),
        "duplicate-extension": with_field(7, (0xA3, tlv(0x30, bc + bc))),
        "bc-bad-boolean": with_field(7, (0xA3, tlv(0x30, tlv(0x30, tlv(0x06, bytes.fromhex("551d13")) + tlv(0x04, tlv(0x30, tlv(0x01, b"\x01"))))))),
        "critical-bad-boolean": with_field(7, (0xA3, tlv(0x30, tlv(0x30, tlv(0x06, bytes.fromhex("551d13")) + tlv(0x01, b"\x01") + tlv(0x04, tlv(0x30, b"")))))),
        "san-ip-5-bytes": with_field(7, (0xA3, tlv(0x30, tlv(0x30, tlv(0x06, bytes.fromhex("551d11")) + tlv(0x04, tlv(0x30, tlv(0x87, b"\x01\x02\x03\x04\x05"))))))),
        "unknown-critical-extension": with_field(7, (0xA3, tlv(0x30, tlv(0x30, tlv(0x06, bytes.fromhex("2a0304")) + tlv(0x01, b"\xff") + tlv(0x04, b"\x05\x00"))))),
    }
    for label, odd_fields in odd.items():
        write(f"odd-{label}.crt", build(odd_fields))
    mismatched = (0x30, tlv(0x06, bytes.fromhex("2a864886f70d01010c")) + b"\x05\x00")
    write("odd-sigalg-mismatch.crt", build(fields, outer_sigalg=mismatched))


def wrap64(der):
    import base64
    text = base64.b64encode(der)
    return b"".join(text[i:i + 64] + b"\n" for i in range(0, len(text), 64))


if __name__ == "__main__":
    main()
