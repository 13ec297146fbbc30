"""Create-only virtual resources: TokenRequest, SelfSubjectAccessReview, SelfSubjectReview.

TokenRequest (POST .../serviceaccounts/NAME/token) validates like
pkg/apis/authentication/validation (expirationSeconds >= 600 and <= 2^32, default
3600), checks the ServiceAccount and a bound Pod (uid must match), and signs an RS256
JWT with the issuer's key; audiences default to [issuer] (--api-audiences).
The reviews answer from the request's own user and the RBAC rules.
"""

import datetime
import time

from . import api, errors, jwt, rbac, resources

SERVICEACCOUNTS = resources.lookup("", "serviceaccounts")
PODS = resources.lookup("", "pods")
DEFAULT_EXPIRATION = 3600


def _rfc3339(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def token_request(ctx):
    ns, name = ctx.info.namespace, ctx.info.name
    body, _ = api.decode(ctx, "TokenRequest", "authentication.k8s.io/v1", ("spec", "status"))
    sa = ctx.store.get(SERVICEACCOUNTS, ns, name)
    if sa is None:
        raise errors.not_found("serviceaccounts", "", name)
    spec = dict(body.get("spec") or {})
    seconds = spec.get("expirationSeconds", DEFAULT_EXPIRATION)
    if not isinstance(seconds, int):
        raise errors.bad_request("spec.expirationSeconds must be an integer")
    if seconds < 600:
        raise errors.invalid("TokenRequest", "authentication.k8s.io", name, [
            ("spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes")])
    if seconds > 1 << 32:
        raise errors.invalid("TokenRequest", "authentication.k8s.io", name, [
            ("spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 "
                                                "seconds")])
    bound = spec.get("boundObjectRef")
    if bound:
        if bound.get("kind") != "Pod":
            raise errors.bad_request(f"cannot bind token to object of kind {bound.get('kind')!r}"
                                     " (this fake stores only pods)")
        pod = ctx.store.get(PODS, ns, bound.get("name", ""))
        if pod is None:
            raise errors.not_found("pods", "", bound.get("name", ""))
        if bound.get("uid") and bound["uid"] != pod["metadata"]["uid"]:
            raise errors.ApiError(409, "Conflict", f"the UID in the bound object reference "
                                  f"({bound['uid']}) does not match the UID in record. The "
                                  "object might have been deleted and then recreated")
        bound = dict(bound, uid=pod["metadata"]["uid"])
    audiences = spec.get("audiences") or [ctx.issuer]
    now = int(time.time())
    claims = jwt.service_account_claims(ctx.issuer, audiences, now, seconds, sa, bound)
    spec.update(audiences=audiences, expirationSeconds=seconds, boundObjectRef=bound)
    return 201, {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                 "metadata": {"name": name, "namespace": ns, "creationTimestamp": _rfc3339(now)},
                 "spec": spec,
                 "status": {"token": ctx.signer.sign(claims),
                            "expirationTimestamp": _rfc3339(now + seconds)}}, {}


def self_subject_access_review(ctx):
    body, _ = api.decode(ctx, "SelfSubjectAccessReview", "authorization.k8s.io/v1",
                         ("spec", "status"))
    spec = body.get("spec") or {}
    ra, nra = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    if ra:
        attrs = rbac.Attributes(verb=ra.get("verb", ""), group=ra.get("group", ""),
                                resource=ra.get("resource", ""),
                                subresource=ra.get("subresource", ""),
                                namespace=ra.get("namespace", ""), name=ra.get("name", ""))
    elif nra:
        attrs = rbac.Attributes(verb=nra.get("verb", ""), path=nra.get("path", ""))
    else:
        raise errors.invalid("SelfSubjectAccessReview", "authorization.k8s.io", "", [
            ("spec.resourceAttributes", None,
             "exactly one of nonResourceAttributes or resourceAttributes must be specified")])
    allowed, reason = ctx.authorizer.authorize(ctx.user, attrs)
    st = {"allowed": allowed}
    if reason:
        st["reason"] = reason
    return 201, {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                 "metadata": {"creationTimestamp": None}, "spec": spec, "status": st}, {}


def self_subject_review(ctx):
    api.decode(ctx, "SelfSubjectReview", "authentication.k8s.io/v1", ("status",))
    u = ctx.user
    info = {"username": u.name, "groups": list(u.groups)}
    if u.uid:
        info["uid"] = u.uid
    if u.extra:
        info["extra"] = u.extra
    return 201, {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                 "metadata": {"creationTimestamp": _rfc3339(time.time())},
                 "status": {"userInfo": info}}, {}


# (group, resource, subresource) -> handler; all are "create" only.
HANDLERS = {
    ("", "serviceaccounts", "token"): token_request,
    ("authorization.k8s.io", "selfsubjectaccessreviews", ""): self_subject_access_review,
    ("authentication.k8s.io", "selfsubjectreviews", ""): self_subject_review,
}
