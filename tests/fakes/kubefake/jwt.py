"""ServiceAccount token signing: RS256 JWTs, the JWKS and the OIDC discovery document.

Mirrors kube-apiserver's serviceaccount token issuer: the key id is the unpadded
base64url SHA-256 of the PKIX DER public key (keyIDFromPublicKey), the discovery
document lists jwks_uri = ISSUER/openid/v1/jwks, and claims follow
pkg/serviceaccount/claims.go.
"""

import base64
import hashlib
import json
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint_b64(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Signer:
    """Holds the RSA signing key loaded from sa-signing-key.pem."""

    def __init__(self, pem_path):
        with open(pem_path, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        der = self.key.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        self.kid = b64url(hashlib.sha256(der).digest())

    def sign(self, claims):
        header = {"alg": "RS256", "kid": self.kid}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    def jwks(self):
        nums = self.key.public_key().public_numbers()
        return {"keys": [{"use": "sig", "kty": "RSA", "kid": self.kid, "alg": "RS256",
                          "n": _uint_b64(nums.n), "e": _uint_b64(nums.e)}]}


def openid_configuration(issuer):
    """The apiserver's /.well-known/openid-configuration for this issuer."""
    return {"issuer": issuer,
            "jwks_uri": issuer.rstrip("/") + "/openid/v1/jwks",
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"]}


def eks_openid_configuration(issuer):
    """The discovery document EKS serves at ISSUER/.well-known/openid-configuration:
    issuer exactly as configured, keys at ISSUER/keys."""
    return {"issuer": issuer,
            "jwks_uri": issuer.rstrip("/") + "/keys",
            "authorization_endpoint": "urn:kubernetes:programmatic_authorization",
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "claims_supported": ["sub", "iss"],
            "id_token_signing_alg_values_supported": ["RS256"]}


def service_account_claims(issuer, audiences, now, seconds, sa, bound=None):
    """Claims of a bound service account token. sa is the ServiceAccount object;
    bound is the spec.boundObjectRef dict (a Pod or Secret) or None."""
    ns, name = sa["metadata"]["namespace"], sa["metadata"]["name"]
    k8s = {"namespace": ns,
           "serviceaccount": {"name": name, "uid": sa["metadata"]["uid"]}}
    if bound and bound.get("kind") in ("Pod", "Secret", "Node"):
        k8s[bound["kind"].lower()] = {"name": bound.get("name", ""), "uid": bound.get("uid", "")}
    return {"aud": audiences, "exp": now + seconds, "iat": now, "iss": issuer,
            "jti": str(uuid.uuid4()), "kubernetes.io": k8s, "nbf": now,
            "sub": f"system:serviceaccount:{ns}:{name}"}
