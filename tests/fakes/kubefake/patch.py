"""The three PATCH body types: JSON merge (RFC 7386), strategic merge, JSON patch (RFC 6902).

Strategic merge is merge patch plus what matters for the built-in types served
here: lists with a patch merge key (containers by name, env by name, ...) merge
item by item, {"$patch": "delete"} removes an item, {"$patch": "replace"}
replaces a map, and other $-directives ($setElementOrder, $retainKeys, ...)
are dropped. Errors raise ApiError with the upstream status codes.
"""

import copy
import json

from . import errors

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"

# Patch merge keys of list fields in core/v1 and apps/v1 (by field name).
MERGE_KEYS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name",
              "env": "name", "ports": "containerPort", "volumes": "name",
              "volumeMounts": "mountPath", "imagePullSecrets": "name", "secrets": "name",
              "ownerReferences": "uid", "conditions": "type", "tolerations": "key",
              "hostAliases": "ip"}


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def _strategic_list(target, patch, key):
    out = copy.deepcopy(target) if isinstance(target, list) else []
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            continue
        idx = next((i for i, t in enumerate(out) if isinstance(t, dict)
                    and t.get(key) == item[key]), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                del out[idx]
        elif idx is None:
            out.append(strategic_merge(None, item))
        else:
            out[idx] = strategic_merge(out[idx], item)
    return out


def strategic_merge(target, patch):
    """Strategic merge patch for the built-in types served here."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if not k.startswith("$")}
    if patch.get("$patch") == "delete":
        return None
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if k.startswith("$"):
            continue
        if v is None:
            out.pop(k, None)
        elif isinstance(v, list) and k in MERGE_KEYS:
            out[k] = _strategic_list(out.get(k), v, MERGE_KEYS[k])
        else:
            merged = strategic_merge(out.get(k), v)
            if merged is None:
                out.pop(k, None)
            else:
                out[k] = merged
    return out


def _pointer(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise errors.ApiError(422, "Invalid", f"JSON pointer {path!r} must start with '/'")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc, tokens, path):
    cur = doc
    for t in tokens[:-1]:
        if isinstance(cur, dict) and t in cur:
            cur = cur[t]
        elif isinstance(cur, list) and t.isdigit() and int(t) < len(cur):
            cur = cur[int(t)]
        else:
            raise errors.ApiError(422, "Invalid",
                                  f'the server rejected our request due to an error in our '
                                  f'request: doc is missing path: "{path}": missing value')
    return cur


def _get(doc, path):
    tokens = _pointer(path)
    if not tokens:
        return doc
    parent = _parent(doc, tokens, path)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent[int(last)]
    raise errors.ApiError(422, "Invalid", f'the server rejected our request due to an error in '
                          f'our request: doc is missing key: "{path}": missing value')


def _remove(doc, path):
    value = _get(doc, path)
    tokens = _pointer(path)
    parent = _parent(doc, tokens, path)
    if isinstance(parent, list):
        del parent[int(tokens[-1])]
    else:
        del parent[tokens[-1]]
    return value


def _add(doc, path, value):
    tokens = _pointer(path)
    if not tokens:
        return value
    parent = _parent(doc, tokens, path)
    last = tokens[-1]
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise errors.ApiError(422, "Invalid", f"add operation: index out of range: {path}")
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise errors.ApiError(422, "Invalid", f"add operation does not apply: {path}")
    return doc


def json_patch(doc, ops):
    """RFC 6902 over a deep copy of doc."""
    if not isinstance(ops, list):
        raise errors.bad_request("json: cannot unmarshal object into Go value of type "
                                 "jsonpatch.Patch")
    doc = copy.deepcopy(doc)
    for op in ops:
        kind, path = op.get("op"), op.get("path", "")
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            _get(doc, path)
            if _pointer(path):
                _remove(doc, path)
            doc = _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise errors.ApiError(422, "Invalid",
                                      f"the server rejected our request due to an error in our "
                                      f"request: testing value {path} failed: test failed")
        elif kind in ("move", "copy"):
            value = copy.deepcopy(_get(doc, op.get("from", "")))
            if kind == "move":
                _remove(doc, op.get("from", ""))
            doc = _add(doc, path, value)
        else:
            raise errors.bad_request(f"Unexpected kind: {kind}")
    return doc


def apply(content_type, current, body):
    """Applies a PATCH body (bytes) of the given media type to current (a dict)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in (MERGE_PATCH, STRATEGIC_PATCH, JSON_PATCH):
        raise errors.unsupported_media_type(errors.PATCH_TYPES)
    try:
        doc = json.loads(body or b"null")
    except ValueError as e:
        raise errors.bad_request(f"error decoding patch: {e}") from None
    if media == JSON_PATCH:
        return _omit_empty_meta(json_patch(current, doc))
    if not isinstance(doc, dict):
        raise errors.bad_request("error decoding patch: patch is not a JSON object")
    if media == MERGE_PATCH:
        return _omit_empty_meta(merge_patch(current, doc))
    return _omit_empty_meta(strategic_merge(current, doc))


# ObjectMeta's maps and lists are `omitempty` in Go: a patch that removes
# the last annotation leaves no "annotations" member on a real server.
_OMITEMPTY_META = ("annotations", "labels", "finalizers", "ownerReferences", "managedFields")


def _omit_empty_meta(obj):
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    if isinstance(meta, dict):
        for k in _OMITEMPTY_META:
            if k in meta and meta[k] in ({}, [], None):
                del meta[k]
    return obj
