"""Authentication: who is calling (client certificate, static bearer token, EKS token).

Order as kube-apiserver's union authenticator: an x509 client certificate
signed by ca.pem (user = CN, groups = O), then the bearer token: a static token
from the config, or an EKS token (eks_token.verify) whose ARN is mapped to a
user through iam_identity_mappings like the aws-auth ConfigMap. A bearer
token that matches nothing, an EKS token that fails verification, and a valid
EKS identity without a mapping are all 401 Unauthorized (as on EKS, where the
authenticator rejects unmapped ARNs). No credentials at all is
system:anonymous. Every authenticated user also gets system:authenticated.
"""

import json
import re
from dataclasses import dataclass, field

from . import eks_token, errors


@dataclass
class User:
    name: str
    groups: list
    uid: str = ""
    extra: dict = field(default_factory=dict)


ANONYMOUS = User("system:anonymous", ["system:unauthenticated"])


def _cert_user(peercert):
    subject = [rdn for rdns in peercert.get("subject", ()) for rdn in rdns]
    cn = next((v for k, v in subject if k == "commonName"), "")
    groups = [v for k, v in subject if k == "organizationName"]
    return User(cn, groups) if cn else None


class Authenticator:
    """Built from the server config; authenticate() is called once per request."""

    def __init__(self, config, log):
        self.tokens = config.get("tokens", {})
        self.cluster = config.get("cluster_name", "")
        self.keys_file = config.get("aws_keys_file")
        self.sts_endpoints = [e.rstrip("/") for e in config.get("sts_endpoints", [])]
        self.mappings = config.get("iam_identity_mappings", [])
        self.log = log

    def _aws_key(self, akid):
        # Re-read on every check: the sandbox may write the file after startup.
        try:
            with open(self.keys_file) as f:
                return json.load(f).get(akid)
        except (OSError, ValueError, TypeError):
            return None

    def _eks_user(self, token):
        try:
            arn, akid = eks_token.verify(token, self.cluster, self._aws_key,
                                         self.sts_endpoints)
        except eks_token.TokenError as e:
            self.log(f"EKS token rejected: {e}")
            raise errors.unauthorized() from None
        canonical = eks_token.canonical_arn(arn)
        mapping = next((m for m in self.mappings
                        if m.get("arn") in (arn, canonical)), None)
        if mapping is None:
            self.log(f"EKS identity {arn} has no iam_identity_mappings entry")
            raise errors.unauthorized()
        account = arn.split(":")[4]
        session = arn.rsplit("/", 1)[-1] if ":assumed-role/" in arn else ""
        name = (mapping.get("username") or arn).replace("{{AccountID}}", account) \
            .replace("{{SessionName}}", session)
        extra = {"arn": [arn], "canonicalArn": [canonical], "sessionName": [session],
                 "accessKeyId": [akid]}
        return User(name, list(mapping.get("groups", [])),
                    f"aws-iam-authenticator:{account}:{akid}", extra)

    def authenticate(self, headers, peercert):
        """Returns a User or raises ApiError 401."""
        user = _cert_user(peercert) if peercert else None
        if user is None:
            m = re.match(r"^Bearer\s+(\S+)\s*$", headers.get("Authorization", ""), re.I)
            if headers.get("Authorization") and not m:
                raise errors.unauthorized()
            if not m:
                return ANONYMOUS
            token = m.group(1)
            if token in self.tokens:
                t = self.tokens[token]
                user = User(t["user"], list(t.get("groups", [])), t.get("uid", ""))
            elif token.startswith(eks_token.PREFIX):
                user = self._eks_user(token)
            else:
                raise errors.unauthorized()
        if "system:authenticated" not in user.groups:
            user.groups.append("system:authenticated")
        return user
