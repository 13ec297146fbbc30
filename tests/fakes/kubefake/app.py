"""The request pipeline, independent of HTTP plumbing.

For each request: admin endpoints (/_fake/) first; otherwise count it, apply
fault rules, answer the OIDC issuer's own paths (unauthenticated, see below),
authenticate, authorize (RequestInfo -> RBAC attributes), then dispatch to the
non-resource routes (version, health, discovery, OpenAPI, OIDC) or to the
resource handlers (api.py, reviews.py). Any ApiError becomes its Status
reply; an unexpected exception becomes a 500 InternalError.

When the service account issuer has a path (EKS:
https://oidc.eks.REGION.amazonaws.com/id/HEX), the server also plays the
issuer's host, which EKS serves apart from the API server:
PATH/.well-known/openid-configuration (issuer exactly as configured, jwks_uri
ISSUER/keys) and PATH/keys, to anyone, whatever credentials came.
"""

import time
import traceback
import urllib.parse
from dataclasses import dataclass

from . import admin, api, auth, discovery, errors, faults, jwt, rbac, requestinfo, resources
from . import reviews
from .store import Store

DROP = object()          # reply marker: close the connection without answering
NOT_FOUND = "the server could not find the requested resource"


@dataclass
class Request:
    method: str
    target: str
    headers: object          # case-insensitive mapping (http.client.HTTPMessage)
    body: bytes
    peercert: dict


@dataclass
class Context:
    """What a handler sees of one request."""
    info: requestinfo.RequestInfo
    query: dict
    headers: object
    body: bytes
    content_type: str
    user: auth.User
    store: Store
    authorizer: rbac.Authorizer
    signer: jwt.Signer
    issuer: str
    controllers: bool        # emulate the serviceaccounts controller (cluster_defaults)


class App:
    def __init__(self, config, store, signer, url, log):
        self.store = store
        self.signer = signer
        self.url = url
        self.issuer = config.get("service_account_issuer") or url
        self.issuer_path = urllib.parse.urlsplit(self.issuer).path.rstrip("/")
        self.admin_token = config.get("admin_token", "fake-admin")
        self.controllers = config.get("cluster_defaults", True)
        self.authn = auth.Authenticator(config, log)
        self.authorizer = rbac.Authorizer(config.get("rbac", []))
        self.faults = faults.Faults()
        self.counter = admin.RequestCounter()
        self.log = log

    def handle(self, req):
        """Returns (code, body, headers) or DROP. body: dict (JSON) or str (text/plain)."""
        split = urllib.parse.urlsplit(req.target)
        path = split.path or "/"
        query = {k: v[0] for k, v in urllib.parse.parse_qs(split.query,
                                                           keep_blank_values=True).items()}
        try:
            if path.startswith("/_fake/"):
                return admin.handle(self, req.method, path, req.headers, req.body)
            info = requestinfo.parse(req.method, path, query)
            self.counter.add(req.method, info.template)
            rule = self.faults.take(req.method, path)
            if rule:
                if rule.get("latency_ms"):
                    time.sleep(rule["latency_ms"] / 1000.0)
                if rule.get("drop"):
                    return DROP
                if rule.get("status"):
                    raise faults.error_for(rule)
            issuer_reply = self._issuer(req.method, path)
            if issuer_reply is not None:
                return issuer_reply
            user = self.authn.authenticate(req.headers, req.peercert)
            self._authorize(user, info)
            if not info.is_resource:
                return self._non_resource(req.method, path)
            ctx = Context(info, query, req.headers, req.body,
                          req.headers.get("Content-Type", "") or "", user, self.store,
                          self.authorizer, self.signer, self.issuer, self.controllers)
            return self._resource(ctx)
        except errors.ApiError as e:
            return e.code, e.body, e.headers
        except Exception as e:   # a bug here must still answer like an apiserver
            self.log("internal error:\n" + traceback.format_exc())
            err = errors.generic(500, f"Internal error occurred: {e!r}")
            return err.code, err.body, {}

    def _authorize(self, user, info):
        attrs = rbac.Attributes(verb=info.verb, group=info.group, resource=info.resource,
                                subresource=info.subresource, namespace=info.namespace,
                                name=info.name, path=info.path)
        if not info.is_resource:
            attrs.verb = "get" if info.verb == "head" else info.verb
        allowed, _ = self.authorizer.authorize(user, attrs)
        if not allowed:
            raise errors.forbidden(info.resource, info.group, info.name,
                                   rbac.forbidden_reason(user, attrs))

    def _issuer(self, method, path):
        """The issuer host's answers (EKS style), or None when path is not one of them."""
        if not self.issuer_path:
            return None
        if path == self.issuer_path + "/.well-known/openid-configuration":
            doc = jwt.eks_openid_configuration(self.issuer)
        elif path == self.issuer_path + "/keys":
            doc = self.signer.jwks()
        else:
            return None
        if method not in ("GET", "HEAD"):
            raise errors.method_not_allowed()
        return 200, doc, {}

    def _non_resource(self, method, path):
        if method not in ("GET", "HEAD"):
            raise errors.method_not_allowed()
        if path in ("/healthz", "/livez", "/readyz"):
            return 200, "ok", {}
        doc = None
        if path in ("/version", "/version/"):
            doc = discovery.VERSION
        elif path == "/api":
            doc = discovery.api_versions(self.url.split("://", 1)[1])
        elif path == "/apis":
            doc = discovery.api_group_list()
        elif path == "/.well-known/openid-configuration":
            doc = jwt.openid_configuration(self.issuer)
        elif path == "/openid/v1/jwks":
            doc = self.signer.jwks()
        elif path == "/openapi/v3":
            doc = discovery.openapi_root()
        elif path.startswith("/openapi/v3/"):
            doc = discovery.openapi_gv(path[len("/openapi/v3/"):])
        else:
            parts = [p for p in path.split("/") if p]
            if parts[:1] == ["api"] and len(parts) == 2:
                doc = discovery.resource_list("", parts[1])
            elif parts[:1] == ["apis"] and len(parts) == 2:
                doc = discovery.api_group(parts[1])
            elif parts[:1] == ["apis"] and len(parts) == 3:
                doc = discovery.resource_list(parts[1], parts[2])
        if doc is None:
            raise errors.ApiError(404, "NotFound", NOT_FOUND)
        return 200, doc, {}

    def _resource(self, ctx):
        info = ctx.info
        review = reviews.HANDLERS.get((info.group, info.resource, info.subresource))
        if review and info.version == "v1":
            if info.verb != "create":
                raise errors.method_not_allowed()
            return review(ctx)
        res = resources.lookup(info.group, info.resource)
        if res is None or info.version != res.version or info.subresource:
            raise errors.ApiError(404, "NotFound", NOT_FOUND)
        if info.verb == "watch":
            raise errors.ApiError(405, "MethodNotAllowed",
                                  "watch is not supported by this fake apiserver")
        if res.namespaced and not info.namespace and info.verb != "list":
            raise errors.ApiError(404, "NotFound", NOT_FOUND)
        if not res.namespaced and info.namespace and res.plural != "namespaces":
            raise errors.ApiError(404, "NotFound", NOT_FOUND)
        return api.handle(ctx, res)
