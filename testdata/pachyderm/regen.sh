#!/bin/sh
# Remakes the Secret manifests in this directory with the reference kubectl (1.32) and openssl.
# The pipeline specs (mnist*.json) are written by hand; see README.md.
set -eu
cd "$(dirname "$0")"
KUBECTL=${PACHSECRET_KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.32}
k() { env -i HOME="$(mktemp -d)" PATH=/usr/bin:/bin "$KUBECTL" create secret "$@" --dry-run=client -o json; }

# The seed's ClearML credentials (AWS's documented example keys, not real ones).
k generic clearml --from-literal=access=AKIAEXAMPLEACCESS \
  --from-literal=secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY > clearml.json

# A registry secret for image_pull_secrets.
k docker-registry regcred --docker-server=ghcr.io --docker-username=bob \
  --docker-password=example-token --docker-email=bob@example.com > regcred.json

# A TLS secret: self-signed P-256 certificate for inference.example.com, valid 2024-2099.
tmp=$(mktemp -d)
python3 - "$tmp" <<'PY'
import datetime, ipaddress, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "inference.example.com"),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(1)
        .not_valid_before(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2099, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("inference.example.com"),
                       x509.IPAddress(ipaddress.ip_address("10.0.0.7"))]), critical=False)
        .sign(key, hashes.SHA256()))
open(sys.argv[1] + "/tls.crt", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open(sys.argv[1] + "/tls.key", "wb").write(key.private_bytes(serialization.Encoding.PEM,
     serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
PY
k tls inference-tls --cert="$tmp/tls.crt" --key="$tmp/tls.key" > inference-tls.json
rm -rf "$tmp"

# A secret whose name has a dot: usable through env_var, but not mountable.
k generic db.credentials --from-literal=user=svc --from-literal=password=example > db-credentials.json
