"""Decoder for kubectl's protobuf request bodies (application/vnd.kubernetes.protobuf).

A body is the magic b"k8s\\x00" followed by a runtime.Unknown message
{1: typeMeta{1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType};
raw is the object in the k8s.io/api generated.proto encoding. This module knows
the wire format and, as a table, the fields of the messages kubectl creates here
(field numbers from k8s.io/api and apimachinery generated.proto), and turns them
into the same dicts a JSON body would give. Unknown fields are skipped.
The server always answers JSON, which kubectl accepts.
"""

import base64
import datetime

from . import errors

MAGIC = b"k8s\x00"
MEDIA_TYPE = "application/vnd.kubernetes.protobuf"

# Message tables: field number -> (json name, type). Types: string, int, bool, bytes,
# map (map<string,string>), qmap (map<string,Quantity>), Time, IntOrString, a message
# name; a trailing [] means repeated. Go encodes non-pointer scalars even when empty;
# JSON would omit them (omitempty), so zero scalars are dropped unless the type ends
# in "?" (a pointer field in Go, where a zero is meaningful).
_OBJECT_META = {1: ("name", "string"), 2: ("generateName", "string"),
                3: ("namespace", "string"), 5: ("uid", "string"),
                6: ("resourceVersion", "string"), 7: ("generation", "int"),
                8: ("creationTimestamp", "Time"), 11: ("labels", "map"),
                12: ("annotations", "map"), 13: ("ownerReferences", "OwnerReference[]"),
                14: ("finalizers", "string[]")}
MESSAGES = {
    "ObjectMeta": _OBJECT_META,
    "OwnerReference": {1: ("kind", "string"), 3: ("name", "string"), 4: ("uid", "string"),
                       5: ("apiVersion", "string"), 6: ("controller", "bool?"),
                       7: ("blockOwnerDeletion", "bool?")},
    "ObjectReference": {1: ("kind", "string"), 2: ("namespace", "string"),
                        3: ("name", "string"), 4: ("uid", "string"),
                        5: ("apiVersion", "string"), 6: ("resourceVersion", "string"),
                        7: ("fieldPath", "string")},
    "LocalObjectReference": {1: ("name", "string")},
    "ServiceAccount": {1: ("metadata", "ObjectMeta"), 2: ("secrets", "ObjectReference[]"),
                       3: ("imagePullSecrets", "LocalObjectReference[]"),
                       4: ("automountServiceAccountToken", "bool?")},
    "Namespace": {1: ("metadata", "ObjectMeta"), 2: ("spec", "NamespaceSpec"),
                  3: ("status", "NamespaceStatus")},
    "NamespaceSpec": {1: ("finalizers", "string[]")},
    "NamespaceStatus": {1: ("phase", "string")},
    "Pod": {1: ("metadata", "ObjectMeta"), 2: ("spec", "PodSpec"), 3: ("status", "Status")},
    "Deployment": {1: ("metadata", "ObjectMeta"), 2: ("spec", "DeploymentSpec"),
                   3: ("status", "Status")},
    "Status": {},   # workload status: ignored by the server on create
    "DeploymentSpec": {1: ("replicas", "int?"), 2: ("selector", "LabelSelector"),
                       3: ("template", "PodTemplateSpec"), 4: ("strategy", "DeploymentStrategy"),
                       5: ("minReadySeconds", "int"), 6: ("revisionHistoryLimit", "int?"),
                       7: ("paused", "bool"), 9: ("progressDeadlineSeconds", "int?")},
    "DeploymentStrategy": {1: ("type", "string"), 2: ("rollingUpdate", "RollingUpdate")},
    "RollingUpdate": {1: ("maxUnavailable", "IntOrString"), 2: ("maxSurge", "IntOrString")},
    "LabelSelector": {1: ("matchLabels", "map"),
                      2: ("matchExpressions", "LabelSelectorRequirement[]")},
    "LabelSelectorRequirement": {1: ("key", "string"), 2: ("operator", "string"),
                                 3: ("values", "string[]")},
    "PodTemplateSpec": {1: ("metadata", "ObjectMeta"), 2: ("spec", "PodSpec")},
    "PodSpec": {2: ("containers", "Container[]"), 3: ("restartPolicy", "string"),
                4: ("terminationGracePeriodSeconds", "int?"), 6: ("dnsPolicy", "string"),
                7: ("nodeSelector", "map"), 8: ("serviceAccountName", "string"),
                9: ("serviceAccount", "string"), 10: ("nodeName", "string"),
                11: ("hostNetwork", "bool"), 19: ("schedulerName", "string"),
                20: ("initContainers", "Container[]")},
    "Container": {1: ("name", "string"), 2: ("image", "string"), 3: ("command", "string[]"),
                  4: ("args", "string[]"), 5: ("workingDir", "string"),
                  6: ("ports", "ContainerPort[]"), 7: ("env", "EnvVar[]"),
                  8: ("resources", "ResourceRequirements"),
                  13: ("terminationMessagePath", "string"), 14: ("imagePullPolicy", "string")},
    "ContainerPort": {1: ("name", "string"), 2: ("hostPort", "int"),
                      3: ("containerPort", "int"), 4: ("protocol", "string"),
                      5: ("hostIP", "string")},
    "EnvVar": {1: ("name", "string"), 2: ("value", "string")},
    "ResourceRequirements": {1: ("limits", "qmap"), 2: ("requests", "qmap")},
    "TokenRequest": {1: ("metadata", "ObjectMeta"), 2: ("spec", "TokenRequestSpec")},
    "TokenRequestSpec": {1: ("audiences", "string[]"),
                         3: ("boundObjectRef", "BoundObjectReference"),
                         4: ("expirationSeconds", "int?")},
    "BoundObjectReference": {1: ("kind", "string"), 2: ("apiVersion", "string"),
                             3: ("name", "string"), 4: ("uid", "string")},
    "SelfSubjectAccessReview": {1: ("metadata", "ObjectMeta"),
                                2: ("spec", "SelfSubjectAccessReviewSpec")},
    "SelfSubjectAccessReviewSpec": {1: ("resourceAttributes", "ResourceAttributes"),
                                    2: ("nonResourceAttributes", "NonResourceAttributes")},
    "ResourceAttributes": {1: ("namespace", "string"), 2: ("verb", "string"),
                           3: ("group", "string"), 4: ("version", "string"),
                           5: ("resource", "string"), 6: ("subresource", "string"),
                           7: ("name", "string")},
    "NonResourceAttributes": {1: ("path", "string"), 2: ("verb", "string")},
    "SelfSubjectReview": {1: ("metadata", "ObjectMeta")},
}
# Kinds accepted as top-level bodies.
KINDS = {"ServiceAccount", "Namespace", "Pod", "Deployment", "TokenRequest",
         "SelfSubjectAccessReview", "SelfSubjectReview"}


class WireError(ValueError):
    pass


def _varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise WireError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WireError("varint too long")


def fields(buf):
    """Yields (field number, wire type, value) of one message; value is int or bytes."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = _varint(buf, pos)
        elif wt == 2:
            n, pos = _varint(buf, pos)
            if pos + n > len(buf):
                raise WireError("truncated length-delimited field")
            val, pos = buf[pos:pos + n], pos + n
        elif wt == 1:
            val, pos = int.from_bytes(buf[pos:pos + 8], "little"), pos + 8
        elif wt == 5:
            val, pos = int.from_bytes(buf[pos:pos + 4], "little"), pos + 4
        else:
            raise WireError(f"unsupported wire type {wt}")
        yield num, wt, val


def _signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _map_entry(buf, value_decoder):
    key, value = "", ""
    for num, _, val in fields(buf):
        if num == 1:
            key = val.decode()
        elif num == 2:
            value = value_decoder(val)
    return key, value


def _quantity(buf):
    return next((v.decode() for n, _, v in fields(buf) if n == 1), "")


def _time(buf):
    secs = next((_signed(v) for n, _, v in fields(buf) if n == 1), 0)
    if not secs:
        return None
    return datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _int_or_string(buf):
    d = {n: v for n, _, v in fields(buf)}
    return d.get(3, b"").decode() if d.get(1, 0) == 1 else _signed(d.get(2, 0))


def _scalar(typ, val):
    typ = typ.rstrip("?")
    if typ == "string":
        return val.decode()
    if typ == "int":
        return _signed(val)
    if typ == "bool":
        return bool(val)
    if typ == "bytes":
        return base64.b64encode(val).decode()
    if typ == "Time":
        return _time(val)
    if typ == "IntOrString":
        return _int_or_string(val)
    return decode_message(val, typ)


def decode_message(buf, name):
    """Decodes one message of a type in MESSAGES into a JSON-shaped dict."""
    table = MESSAGES[name]
    out = {}
    for num, _, val in fields(buf):
        if num not in table:
            continue
        key, typ = table[num]
        if typ in ("map", "qmap"):
            k, v = _map_entry(val, (lambda b: b.decode()) if typ == "map" else _quantity)
            out.setdefault(key, {})[k] = v
        elif typ.endswith("[]"):
            out.setdefault(key, []).append(_scalar(typ[:-2], val))
        else:
            v = _scalar(typ, val)
            if v is not None and (v not in ("", 0, False) or typ.endswith("?")):
                out[key] = v
    return out


def decode_body(body):
    """Decodes a whole request body (magic + runtime.Unknown) into an object dict."""
    if not body.startswith(MAGIC):
        raise errors.bad_request("provided protobuf body does not start with the k8s magic")
    api_version = kind = ""
    raw = b""
    try:
        for num, _, val in fields(body[len(MAGIC):]):
            if num == 1:
                for n, _, v in fields(val):
                    if n == 1:
                        api_version = v.decode()
                    elif n == 2:
                        kind = v.decode()
            elif num == 2:
                raw = val
        if kind not in KINDS:
            raise errors.unsupported_media_type(errors.BODY_TYPES)
        obj = decode_message(raw, kind)
    except (WireError, UnicodeDecodeError) as e:
        raise errors.bad_request(f"unable to decode protobuf body: {e}") from None
    return {"apiVersion": api_version, "kind": kind, **obj}
