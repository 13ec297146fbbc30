"""Kubernetes Status objects and the ApiError exception that carries them.

Owns the exact shapes and messages of the apiserver's error replies
(k8s.io/apimachinery/pkg/api/errors): NotFound, AlreadyExists, Conflict,
Forbidden, Unauthorized, Invalid, Gone/Expired, BadRequest, ... Every handler
raises ApiError; the server turns it into a JSON Status reply.
"""

REASON_BY_CODE = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 406: "NotAcceptable", 409: "Conflict", 410: "Expired",
    415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests",
    500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
}


def status(code, reason, message, details=None):
    """A Failure Status object as the apiserver sends it."""
    obj = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
    if message:
        obj["message"] = message
    if reason:
        obj["reason"] = reason
    if details:
        obj["details"] = details
    obj["code"] = code
    return obj


class ApiError(Exception):
    """An error reply: HTTP code plus Status body (and optional extra headers)."""

    def __init__(self, code, reason, message, details=None, headers=None):
        super().__init__(message)
        self.code = code
        self.body = status(code, reason, message, details)
        self.headers = headers or {}


def _details(name, group, kind):
    d = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    d["kind"] = kind
    return d


def qualified(resource, group):
    """'serviceaccounts' or 'deployments.apps' as the apiserver prints a GroupResource."""
    return f"{resource}.{group}" if group else resource


def not_found(resource, group, name):
    return ApiError(404, "NotFound", f'{qualified(resource, group)} "{name}" not found',
                    _details(name, group, resource))


def already_exists(resource, group, name):
    return ApiError(409, "AlreadyExists", f'{qualified(resource, group)} "{name}" already exists',
                    _details(name, group, resource))


def conflict(resource, group, name):
    return ApiError(409, "Conflict",
                    f'Operation cannot be fulfilled on {qualified(resource, group)} "{name}": '
                    "the object has been modified; please apply your changes to the latest "
                    "version and try again", _details(name, group, resource))


def precondition_failed(resource, group, kind, name, field, want, have):
    """409 for a DELETE whose DeleteOptions precondition (field "UID" or
    "ResourceVersion") does not hold. The generic registry's rest.BeforeDelete
    names the Kind (GroupResource{Group, Resource: Kind}); namespaces check
    their own preconditions, in storage's words."""
    if resource == "namespaces" and not group:
        return ApiError(409, "Conflict",
                        f'Operation cannot be fulfilled on namespaces "{name}": Precondition failed: '
                        f"{field} in precondition: {want}, {field} in object meta: {have}",
                        _details(name, group, resource))
    why = ("The object might have been deleted and then recreated" if field == "UID" else
           "The object might have been modified")
    return ApiError(409, "Conflict",
                    f'Operation cannot be fulfilled on {qualified(kind, group)} "{name}": the {field} '
                    f"in the precondition ({want}) does not match the {field} in record ({have}). "
                    f"{why}", _details(name, group, kind))


def bad_request(message):
    return ApiError(400, "BadRequest", message)


def unauthorized():
    return ApiError(401, "Unauthorized", "Unauthorized")


def forbidden(resource, group, name, reason):
    """403 for a resource request; reason is 'User "u" cannot ...'."""
    if resource:
        target = qualified(resource, group) + (f' "{name}"' if name else "")
        return ApiError(403, "Forbidden", f"{target} is forbidden: {reason}",
                        _details(name, group, resource))
    return ApiError(403, "Forbidden", f"forbidden: {reason}")


def invalid(kind, group, name, causes):
    """422 Invalid; causes is a list of (field, value_repr, detail) for FieldValueInvalid
    or (field, None, detail) for FieldValueRequired."""
    out, texts = [], []
    for field, value, detail in causes:
        if value is None:
            msg, reason = f"Required value: {detail}", "FieldValueRequired"
        else:
            msg, reason = f"Invalid value: {value}: {detail}", "FieldValueInvalid"
        out.append({"reason": reason, "message": msg, "field": field})
        texts.append(f"{field}: {msg}")
    qkind = f"{kind}.{group}" if group else kind
    body = "[" + ", ".join(texts) + "]" if len(texts) > 1 else texts[0]
    details = _details(name, group, kind)
    details["causes"] = out
    return ApiError(422, "Invalid", f'{qkind} "{name}" is invalid: {body}', details)


def gone_expired(message):
    return ApiError(410, "Expired", message)


PATCH_TYPES = ("application/json-patch+json, application/merge-patch+json, "
               "application/apply-patch+yaml, application/strategic-merge-patch+json")
BODY_TYPES = "application/json, application/yaml, application/vnd.kubernetes.protobuf"


def unsupported_media_type(accepted):
    """415; accepted is PATCH_TYPES or BODY_TYPES."""
    return ApiError(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types "
                    f"include: {accepted}")


def method_not_allowed():
    return ApiError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource")


def generic(code, message):
    """A fault or other error by HTTP code with the standard reason."""
    return ApiError(code, REASON_BY_CODE.get(code, "Unknown"), message)
