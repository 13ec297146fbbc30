"""Test PKI for the fake apiserver (the `make-pki` command).

Writes into one directory: ca.pem/ca-key.pem (self-signed root CA),
intermediate-ca.pem/intermediate-ca-key.pem (signed by the root),
server.pem/server-key.pem (the server certificate, signed by the intermediate,
followed by the intermediate: the chain a server sends, so that the "last
certificate" of an OIDC thumbprint is a CA as on EKS; SAN IP:127.0.0.1,
DNS:localhost and any extra DNS names, e.g. an OIDC issuer's host),
sa-signing-key.pem (RSA 2048 for ServiceAccount JWTs) and
client-NAME.pem/client-NAME-key.pem per client (CN=NAME, one O per group, as
kube-apiserver reads x509 identities; signed by the root, which is also what
the server trusts for client certificates). Existing files are overwritten.
"""

import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=365)


def _write(path, data, private=False):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert(subject, issuer, pubkey, signer, *, ca=False, server=False, sans=None, path_length=None):
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pubkey).serial_number(x509.random_serial_number())
         .not_valid_before(now).not_valid_after(now + VALIDITY)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pubkey), critical=False))
    if subject != issuer:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
                            critical=False)
    if ca:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, True, True,
                                          False, False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(True, False, True, False, False, False, False,
                                          False, False), critical=True)
        eku = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return b.sign(signer, hashes.SHA256())


def make_pki(directory, clients, dns_names=()):
    """clients: list of (name, [groups]); dns_names: extra server SANs.
    Returns the list of files written."""
    os.makedirs(directory, exist_ok=True)
    written = []

    def out(name, data, private=False):
        path = os.path.join(directory, name)
        _write(path, data, private)
        written.append(path)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubefake-ca")])
    ca = _cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    out("ca.pem", ca.public_bytes(serialization.Encoding.PEM))
    out("ca-key.pem", _key_pem(ca_key), private=True)

    int_key = ec.generate_private_key(ec.SECP256R1())
    int_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubefake-intermediate-ca")])
    inter = _cert(int_name, ca_name, int_key.public_key(), ca_key, ca=True, path_length=0)
    int_pem = inter.public_bytes(serialization.Encoding.PEM)
    out("intermediate-ca.pem", int_pem)
    out("intermediate-ca-key.pem", _key_pem(int_key), private=True)

    srv_key = ec.generate_private_key(ec.SECP256R1())
    srv_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")])
    sans = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    sans += [x509.DNSName(n) for n in dns_names if n != "localhost"]
    srv = _cert(srv_name, int_name, srv_key.public_key(), int_key, server=True, sans=sans)
    out("server.pem", srv.public_bytes(serialization.Encoding.PEM) + int_pem)
    out("server-key.pem", _key_pem(srv_key), private=True)

    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    out("sa-signing-key.pem", _key_pem(sa_key), private=True)

    for name, groups in clients:
        key = ec.generate_private_key(ec.SECP256R1())
        attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, g) for g in groups]
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, name))
        cert = _cert(x509.Name(attrs), ca_name, key.public_key(), ca_key)
        out(f"client-{name}.pem", cert.public_bytes(serialization.Encoding.PEM))
        out(f"client-{name}-key.pem", _key_pem(key), private=True)
    return written


def parse_client_spec(spec):
    """'NAME:G1,G2' -> ('NAME', ['G1', 'G2']); 'NAME' -> ('NAME', [])."""
    name, _, groups = spec.partition(":")
    if not name:
        raise ValueError(f"bad --client {spec!r}: want NAME[:GROUP1,GROUP2]")
    return name, [g for g in groups.split(",") if g]
