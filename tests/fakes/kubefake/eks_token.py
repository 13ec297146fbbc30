"""EKS bearer tokens (`k8s-aws-v1.` + presigned STS GetCallerIdentity URL), verified offline.

First the structural checks of aws-iam-authenticator pkg/token/token.go Verify
(length, prefix, RawURL base64, https + STS host of a partition, path "/",
allowed query parameters without duplicates, Action, signed x-k8s-aws-id,
X-Amz-Expires range, 15 minute lifetime from X-Amz-Date), then what STS itself
would check: the credential scope and the SigV4 query signature, recomputed here
with the secret of the access key id (no network) and this cluster's name as the
x-k8s-aws-id header.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import re
import urllib.parse

PREFIX = "k8s-aws-v1."
MAX_TOKEN_LEN = 4096
LIFETIME = datetime.timedelta(minutes=15)
MAX_FUTURE_SKEW = datetime.timedelta(minutes=5)
ALLOWED_PARAMS = {"action", "version", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
                  "x-amz-expires", "x-amz-security-token", "x-amz-signature",
                  "x-amz-signedheaders"}
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# Global, regional, FIPS and dualstack STS hosts of the aws, aws-cn and aws-us-gov partitions.
_REGION = r"(?:[a-z]{2}(?:-gov)?-[a-z]+-\d+)"
STS_HOST_RE = re.compile(
    rf"^sts(?:-fips)?(?:\.dualstack)?(?:\.{_REGION})?\.amazonaws\.com(?:\.cn)?$"
    rf"|^sts(?:-fips)?\.{_REGION}\.api\.aws$")


class TokenError(Exception):
    """The token is not valid; the message says why (for the server log only)."""


def _uri_encode(s):
    return urllib.parse.quote(s, safe="-_.~")


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def presigned_signature(method, query_pairs, headers, secret, amz_date, scope):
    """SigV4 query signature. query_pairs: decoded (name, value) without X-Amz-Signature;
    headers: {lowercase name: value} of the signed headers; scope: date/region/service."""
    cq = "&".join(f"{k}={v}" for k, v in sorted(
        (_uri_encode(k), _uri_encode(v)) for k, v in query_pairs))
    names = sorted(headers)
    ch = "".join(f"{n}:{' '.join(headers[n].split())}\n" for n in names)
    creq = "\n".join([method, "/", cq, ch, ";".join(names), EMPTY_SHA256])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    date, region, service = scope.split("/")[:3]
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()


def _decode(token):
    if len(token) > MAX_TOKEN_LEN:
        raise TokenError("token is too large")
    if not token.startswith(PREFIX):
        raise TokenError("token is missing expected prefix")
    body = token[len(PREFIX):]
    if not re.fullmatch(r"[A-Za-z0-9_-]*", body) or len(body) % 4 == 1:
        raise TokenError("illegal base64 data")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as e:
        raise TokenError(f"illegal base64 data: {e}") from None


def _check_url(url, sts_endpoints):
    parts = urllib.parse.urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    custom = origin in sts_endpoints
    if not custom:
        if parts.scheme != "https":
            raise TokenError(f"unexpected scheme {parts.scheme!r}")
        if not STS_HOST_RE.match(parts.netloc):
            raise TokenError(f"unexpected hostname {parts.netloc!r}")
    if parts.path != "/":
        raise TokenError("unexpected path in pre-signed URL")
    return parts


def _query(raw):
    pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True, strict_parsing=bool(raw))
    seen = {}
    for k, v in pairs:
        lk = k.lower()
        if lk not in ALLOWED_PARAMS:
            raise TokenError(f"non-whitelisted query parameter {k!r}")
        if lk in seen:
            raise TokenError(f"duplicate query parameter {k!r}")
        seen[lk] = v
    return pairs, seen


def verify(token, cluster_name, lookup_key, sts_endpoints=(), now=None):
    """Returns (caller ARN, access key id) for a valid token or raises TokenError.

    lookup_key(akid) -> {"secret": ..., "arn": ..., optional "session_token"} or None.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    url = _decode(token)
    try:
        parts = _check_url(url, sts_endpoints)
        pairs, q = _query(parts.query)
    except ValueError as e:
        raise TokenError(f"malformed URL: {e}") from None
    if q.get("action") != "GetCallerIdentity":
        raise TokenError("unexpected action parameter in pre-signed URL")
    signed = q.get("x-amz-signedheaders", "").split(";")
    if "x-k8s-aws-id" not in signed:
        raise TokenError("client did not sign the x-k8s-aws-id header in the pre-signed URL")
    if set(signed) - {"host", "x-k8s-aws-id"} or "host" not in signed:
        raise TokenError(f"unexpected signed headers {signed}")
    try:
        expires = int(q.get("x-amz-expires", ""))
        date = datetime.datetime.strptime(q.get("x-amz-date", ""), "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise TokenError("X-Amz-Expires or X-Amz-Date malformed") from None
    if not 0 <= expires <= 900:
        raise TokenError(f"X-Amz-Expires parameter out of range {expires}")
    if now > date + LIFETIME:
        raise TokenError("X-Amz-Date parameter is expired (15 minute expiration)")
    if date > now + MAX_FUTURE_SKEW:
        raise TokenError("X-Amz-Date is in the future (signature not yet current)")
    if q.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise TokenError("unsupported X-Amz-Algorithm")
    cred = q.get("x-amz-credential", "").split("/")
    if len(cred) != 5 or cred[4] != "aws4_request" or cred[3] != "sts":
        raise TokenError("credential should be scoped to a valid region and service 'sts'")
    if cred[1] != date.strftime("%Y%m%d"):
        raise TokenError("credential date does not match X-Amz-Date")
    key = lookup_key(cred[0])
    if not key:
        raise TokenError(f"unknown access key id {cred[0]!r} (InvalidClientTokenId)")
    if key.get("session_token", "") != q.get("x-amz-security-token", ""):
        raise TokenError("security token missing or not valid for this key")
    headers = {"host": parts.netloc.lower(), "x-k8s-aws-id": cluster_name}
    headers = {h: headers[h] for h in signed}
    want = presigned_signature("GET", [(k, v) for k, v in pairs
                                                     if k.lower() != "x-amz-signature"],
                               headers, key["secret"], q["x-amz-date"], "/".join(cred[1:]))
    if not hmac.compare_digest(want, q.get("x-amz-signature", "")):
        raise TokenError("SignatureDoesNotMatch (wrong secret, cluster name or altered URL)")
    return key["arn"], cred[0]


def canonical_arn(arn):
    """aws-iam-authenticator's Canonicalize: assumed-role session ARNs map to the role ARN."""
    m = re.match(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$", arn)
    return f"arn:{m.group(1)}:iam::{m.group(2)}:role/{m.group(3)}" if m else arn
