#!/usr/bin/env python3
"""Start moto 5.2.1 (AWS IAM/STS/EKS emulator) for the irsa sandbox.

    python3 tests/fakes/moto_server.py --port 0 --ready-file DIR/moto.ready \
        [--eks-clusters FILE.json] [--no-sigv4-fix] [--no-auth-count N]

* Listens on 127.0.0.1 only.  --port 0 picks a free port.
* Once the server answers HTTP, writes the ready file atomically:
  {"port": N, "pid": P, "url": "http://127.0.0.1:N"}.
* Sets MOTO_IAM_LOAD_MANAGED_POLICIES=true (AWS managed policies such as
  AmazonS3ReadOnlyAccess / AdministratorAccess exist) and
  INITIAL_NO_AUTH_ACTION_COUNT high (default 1000000) so the seeder can work
  unsigned; the seeder then turns enforcement on with
  POST /moto-api/reset-auth (text/plain body "0").
* Runs until SIGTERM/SIGINT.

moto internals patched here (all in this process only):

1. moto.iam.access_control.IAMRequestBase._create_aws_request
   (SigV4 verification, the GET bug; disable with --no-sigv4-fix), together
   with moto.core.responses.BaseResponse.setup_class + a WSGI middleware that
   keep the raw request body (so form POSTs are hashed as sent), and
   moto.core.authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action
   (requests without an Authorization header: 403 MissingAuthenticationToken
   instead of a 500, and SigV4 presigned URLs, e.g. the EKS token's
   GetCallerIdentity, are verified instead of crashing).
2. moto.eks.models.Cluster.__init__ (only with --eks-clusters / env
   IRSA_MOTO_EKS_CLUSTERS): after moto builds a cluster, the attributes
   `endpoint`, `certificate_authority` (dict {"data": ...}) and
   `identity` (dict {"oidc": {"issuer": ...}}) are overwritten from a JSON map
       {"<cluster name>": {"endpoint": "https://127.0.0.1:N",
                           "ca_data": "<base64 of the CA PEM>",
                           "issuer": "https://oidc.eks.<region>.amazonaws.com/id/<ID>"}}
   (every key optional).  So DescribeCluster points at the fake Kubernetes API
   servers like real EKS, and the issuer is known before moto starts.  Without
   "issuer", moto's own quirk applies: the issuer ID is drawn once per process
   (moto.eks.models.ISSUER_TEMPLATE), so every cluster of one region gets the
   same issuer.
3. moto.iam.responses.IamResponse gains add_client_id_to_open_id_connect_provider
   and remove_client_id_from_open_id_connect_provider, which moto 5.2.1 lacks.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--ready-file", default=None)
    p.add_argument("--eks-clusters", default=None,
                   help="JSON file: cluster name -> {endpoint, ca_data, issuer}")
    p.add_argument("--no-sigv4-fix", action="store_true",
                   help="do not patch moto's SigV4 GET bug (to demonstrate it)")
    p.add_argument("--no-auth-count", default=None,
                   help="INITIAL_NO_AUTH_ACTION_COUNT (default: env or 1000000)")
    p.add_argument("--no-warm", action="store_true",
                   help="do not pre-load the IAM backend before reporting ready")
    return p.parse_args(argv)


def write_atomic(path, data):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(data)
    os.replace(tmp, path)


def patch_sigv4():
    from botocore.awsrequest import AWSRequest
    from moto.iam import access_control

    # moto 5.2.1 bug: IAMRequestBase._create_aws_request passes
    # `data=self._body or self._data`.  For a GET the raw body is empty, so it
    # falls back to self._data, the parsed *query parameters*; botocore then
    # treats that dict as a form body and hashes it as the payload.  The
    # client hashed an empty payload (e3b0c442...), so every correctly signed
    # EKS GET (ListClusters, DescribeCluster, ... from the aws CLI too) is
    # rejected with SignatureDoesNotMatch once enforcement is on.  Here the
    # payload hash is taken over the raw body (empty for GET); the query string
    # is still canonicalised from the URL.
    #
    # Related: under the Flask server werkzeug consumes a form-encoded POST
    # body into request.form, so moto's raw_body is empty for IAM/STS and the
    # original code re-encodes the parsed form (Python urlencode: space as
    # '+', '*' as %2A); a client that encodes differently (e.g. %20, which is
    # valid SigV4) would be rejected.  keep_raw_body() below keeps the bytes as
    # received, and this function hashes exactly those.
    def _create_aws_request(self):
        signed_headers = self._get_string_between(
            "SignedHeaders=", ",", self._headers["Authorization"]
        ).split(";")
        headers = self._create_headers_for_aws_request(signed_headers, self._headers)
        body = self._body
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        request = AWSRequest(method=self._method, url=self._path, data=body,
                             headers=headers)
        request.context["timestamp"] = headers["X-Amz-Date"]
        return request

    access_control.IAMRequestBase._create_aws_request = _create_aws_request


RAW_BODY_KEY = "irsa.raw_body"


def keep_raw_body(app):
    """WSGI middleware: read the request body once, keep the exact bytes in
    environ[RAW_BODY_KEY] and hand the app a fresh stream."""
    import io

    def wrapped(environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ[RAW_BODY_KEY] = body
        return app(environ, start_response)

    return wrapped


def patch_raw_body():
    # moto.core.responses.BaseResponse.setup_class sets self.raw_body from
    # request.data, which is empty for form bodies under Flask; restore the
    # bytes kept by keep_raw_body().  raw_body is only read by moto's
    # authorization code (core/authorization.py) outside s3/glacier/etc.
    from moto.core.responses import BaseResponse

    orig = BaseResponse.setup_class

    def setup_class(self, request, full_url, headers, use_raw_body=False):
        orig(self, request, full_url, headers, use_raw_body=use_raw_body)
        env = getattr(request, "environ", None)
        if isinstance(env, dict) and RAW_BODY_KEY in env:
            self.raw_body = env[RAW_BODY_KEY]

    BaseResponse.setup_class = setup_class


def patch_query_auth():
    # moto 5.2.1 reads self._headers["Authorization"] unconditionally once
    # enforcement is on: a request without that header (unsigned, or a
    # presigned URL such as the EKS token's GetCallerIdentity) ends in a
    # KeyError -> HTTP 500.  Here:
    #  * no Authorization and no X-Amz-Signature in the query -> 403
    #    MissingAuthenticationToken (as IAM/STS answer);
    #  * a SigV4 presigned query (X-Amz-Algorithm/Credential/Date/Expires/
    #    SignedHeaders/Signature) is verified here (payload = SHA-256 of the
    #    empty string, like the EKS token verifier) and then moto's normal
    #    policy check runs.  Expired (X-Amz-Date + X-Amz-Expires < now) ->
    #    403 AccessDenied "Request has expired" (message from S3; STS's exact
    #    code for this case was not checked).
    import datetime
    import hashlib
    import hmac
    import urllib.parse
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import SignatureDoesNotMatchError, _RESTError

    class MissingAuthenticationTokenError(_RESTError):
        code = 403

        def __init__(self):
            super().__init__("MissingAuthenticationToken",
                             "Request is missing Authentication Token")

    class ExpiredRequestError(_RESTError):
        code = 403

        def __init__(self):
            super().__init__("AccessDenied", "Request has expired")

    def enc(v):
        return urllib.parse.quote(v, safe="-_.~")

    orig = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def _authenticate_and_authorize_action(self, iam_request_cls, resource="*"):
        if (ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT
                or self.headers.get("Authorization")
                or self.headers.get("X-Amz-Target") in ActionAuthenticatorMixin.PUBLIC_OPERATIONS):
            return orig(self, iam_request_cls, resource)
        parsed = urllib.parse.urlparse(self.uri)
        pairs = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
        q = dict(pairs)
        if "X-Amz-Signature" not in q or "X-Amz-Credential" not in q:
            raise MissingAuthenticationTokenError()
        signed = q.get("X-Amz-SignedHeaders", "host").split(";")
        fake_headers = dict(self.headers)
        fake_headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={q['X-Amz-Credential']}, "
            f"SignedHeaders={q.get('X-Amz-SignedHeaders', 'host')}, "
            f"Signature={q['X-Amz-Signature']}")
        fake_headers["X-Amz-Date"] = q.get("X-Amz-Date", "")
        # Temporary credentials: moto finds the assumed-role key by this header.
        if "X-Amz-Security-Token" in q:
            fake_headers["X-Amz-Security-Token"] = q["X-Amz-Security-Token"]
        req = iam_request_cls(account_id=self.current_account, method=self.method,
                              path=parsed.path, data=self.data, body=b"",
                              headers=fake_headers, action=self._get_action())
        try:
            t = datetime.datetime.strptime(q.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
            expires = int(q.get("X-Amz-Expires", "0"))
        except ValueError:
            raise SignatureDoesNotMatchError() from None
        now = datetime.datetime.utcnow()
        if now > t + datetime.timedelta(seconds=expires):
            raise ExpiredRequestError()
        hdrs = {k.lower(): v for k, v in self.headers.items()}
        cq = "&".join(f"{k}={v}" for k, v in sorted(
            (enc(k), enc(v)) for k, v in pairs if k != "X-Amz-Signature"))
        ch = "".join(f"{n}:{' '.join(hdrs.get(n, '').split())}\n" for n in signed)
        path = urllib.parse.quote(urllib.parse.unquote(parsed.path or "/"), safe="/~")
        creq = "\n".join([self.method.upper(), path, cq, ch, ";".join(signed),
                          hashlib.sha256(b"").hexdigest()])
        scope = q["X-Amz-Credential"].split("/", 1)[1]
        sts = "\n".join(["AWS4-HMAC-SHA256", q["X-Amz-Date"], scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
        secret = req._access_key.create_credentials().secret_key
        key = ("AWS4" + secret).encode()
        for part in scope.split("/"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        want = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, q["X-Amz-Signature"]):
            req._raise_signature_does_not_match()
        req.check_action_permitted(resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = \
        _authenticate_and_authorize_action

    # Routing: moto's server picks the service from the Authorization header's
    # credential scope; a presigned URL has none and lands in S3.  Route by the
    # X-Amz-Credential query parameter instead.
    from moto.moto_server import werkzeug_app
    orig_infer = werkzeug_app.DomainDispatcherApplication.infer_service_region_host

    def infer_service_region_host(self, environ, path):
        if not environ.get("HTTP_AUTHORIZATION"):
            q = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
            cred = q.get("X-Amz-Credential", "").split("/")
            if len(cred) == 5 and "X-Amz-Signature" in q:
                region, service = cred[2], cred[3].lower()
                service = werkzeug_app.SIGNING_ALIASES.get(service, service)
                return f"{service}.{region}.amazonaws.com"
        return orig_infer(self, environ, path)

    werkzeug_app.DomainDispatcherApplication.infer_service_region_host = \
        infer_service_region_host

    # Identity: BaseResponse.get_access_key reads only the Authorization
    # header (else "AKIAEXAMPLE" -> GetCallerIdentity says user/moto); take the
    # access key id from X-Amz-Credential for presigned requests.
    from moto.core.responses import BaseResponse
    orig_gak = BaseResponse.get_access_key

    def get_access_key(self):
        if "Authorization" not in self.headers:
            cred = self.querystring.get("X-Amz-Credential")
            if cred:
                v = cred[0] if isinstance(cred, list) else cred
                return v.split("/", 1)[0]
        return orig_gak(self)

    BaseResponse.get_access_key = get_access_key


def patch_eks(cluster_map):
    from moto.eks import models as eks_models

    orig_init = eks_models.Cluster.__init__

    def __init__(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        spec = cluster_map.get(self.name)
        if not spec:
            return
        if spec.get("endpoint"):
            self.endpoint = spec["endpoint"]
        if spec.get("ca_data"):
            self.certificate_authority = {"data": spec["ca_data"]}
        if spec.get("issuer"):
            self.identity = {"oidc": {"issuer": spec["issuer"]}}

    eks_models.Cluster.__init__ = __init__


def patch_oidc_client_ids():
    # moto 5.2.1 has no AddClientIDToOpenIDConnectProvider /
    # RemoveClientIDFromOpenIDConnectProvider (HTTP 500 "not implemented").
    # Both are small list edits on its provider model; as on IAM, adding a
    # client id that is already there is not an error.
    from moto.core.responses import EmptyResult
    from moto.iam.responses import IamResponse

    def add_client_id_to_open_id_connect_provider(self):
        provider = self.backend.get_open_id_connect_provider(self._get_param("OpenIDConnectProviderArn"))
        client_id = self._get_param("ClientID")
        if client_id not in provider.client_id_list:
            provider.client_id_list.append(client_id)
        return EmptyResult()

    def remove_client_id_from_open_id_connect_provider(self):
        provider = self.backend.get_open_id_connect_provider(self._get_param("OpenIDConnectProviderArn"))
        client_id = self._get_param("ClientID")
        if client_id in provider.client_id_list:
            provider.client_id_list.remove(client_id)
        return EmptyResult()

    IamResponse.add_client_id_to_open_id_connect_provider = add_client_id_to_open_id_connect_provider
    IamResponse.remove_client_id_from_open_id_connect_provider = remove_client_id_from_open_id_connect_provider


def load_cluster_map(path):
    if path:
        with open(path) as f:
            return json.load(f)
    env = os.environ.get("IRSA_MOTO_EKS_CLUSTERS")
    if env:
        return json.loads(env)
    return None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("moto_server.py: refusing to listen on a non-loopback address")

    # Must be set before moto.settings is imported.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    if args.no_auth_count is not None:
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(args.no_auth_count)
    else:
        os.environ.setdefault("INITIAL_NO_AUTH_ACTION_COUNT", "1000000")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    # moto's own backends must never call out; keep any proxy out of the way.
    for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(k, None)

    cluster_map = load_cluster_map(args.eks_clusters)

    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import (DomainDispatcherApplication,
                                               create_backend_app)

    if not args.no_sigv4_fix:
        patch_sigv4()
        patch_raw_body()
        patch_query_auth()
    patch_oidc_client_ids()
    if cluster_map:
        patch_eks(cluster_map)

    if not args.no_warm:
        # Load the IAM backend (and its ~1000 AWS managed policies) now, so the
        # first real request is not the slow one.
        from moto.iam.models import iam_backends
        iam_backends["123456789012"]["aws"]

    app = DomainDispatcherApplication(create_backend_app)
    if not args.no_sigv4_fix:
        app = keep_raw_body(app)
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.socket.getsockname()[1]
    url = f"http://127.0.0.1:{port}"

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def announce():
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                # GET on reset-auth answers 400 without side effects.
                urllib.request.urlopen(url + "/moto-api/reset-auth", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except Exception:
                time.sleep(0.05)
        if args.ready_file:
            write_atomic(args.ready_file, json.dumps(
                {"port": port, "pid": os.getpid(), "url": url}) + "\n")
        print(f"moto_server: listening on {url}", file=sys.stderr, flush=True)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
