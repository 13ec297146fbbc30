"""Object storage: versions, resourceVersion and paginated lists, like etcd under the apiserver.

One global revision counter stamps every write (metadata.resourceVersion). Each
object keeps its version history so that a paginated list is served from the
snapshot of its first page, as etcd does. Continue tokens are opaque base64url
JSON {v, rv, start, t}: the snapshot revision, the key to continue after and the
time the list began; after `continue_ttl` seconds a token is "compacted" and the
next page answers 410 Expired with a token that continues at the latest revision.
Keys sort as etcd keys do: "namespace/name" (or "name" for cluster scope).
"""

import base64
import copy
import json
import threading
import time

from . import errors

DEFAULT_CONTINUE_TTL = 300

CONTINUE_EXPIRED = ("The provided continue parameter is too old to display a consistent list "
                    "result. You can start a new list without the continue parameter, or use "
                    "the continue token in this response to retrieve the remainder of the "
                    "results. Continuing with the provided token results in an inconsistent "
                    "list - objects that were created, modified, or deleted between the time "
                    "the first chunk was returned and now may show up in the list.")


def object_key(obj):
    md = obj["metadata"]
    return f"{md['namespace']}/{md['name']}" if md.get("namespace") else md["name"]


def _encode_continue(rv, start, started):
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start, "t": started},
                     separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode_continue(token):
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        d = json.loads(raw)
        if d.get("v") != "meta.k8s.io/v1" or not isinstance(d.get("rv"), int) \
                or not isinstance(d.get("start"), str) or not isinstance(d.get("t"), (int, float)):
            raise ValueError("unknown format")
        return d
    except ValueError as e:
        raise errors.bad_request(f"invalid continue token: {e}") from None


class Store:
    """Thread-safe versioned object store, one bucket per (group, plural)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.rv = 0
        self.buckets = {}            # (group, plural) -> {key: [(rv, obj or None), ...]}
        self.continue_ttl = DEFAULT_CONTINUE_TTL

    def _history(self, res, key):
        return self.buckets.setdefault(res.key, {}).get(key)

    def _latest(self, res, key):
        hist = self._history(res, key)
        return hist[-1][1] if hist else None

    def _write(self, res, key, obj):
        self.rv += 1
        if obj is not None:
            obj["metadata"]["resourceVersion"] = str(self.rv)
        self.buckets.setdefault(res.key, {}).setdefault(key, []).append((self.rv, obj))
        return copy.deepcopy(obj)

    def get(self, res, ns, name):
        with self.lock:
            return copy.deepcopy(self._latest(res, f"{ns}/{name}" if ns else name))

    def create(self, res, obj):
        with self.lock:
            key = object_key(obj)
            if self._latest(res, key) is not None:
                raise errors.already_exists(res.plural, res.group, obj["metadata"]["name"])
            return self._write(res, key, copy.deepcopy(obj))

    def update(self, res, obj, precondition_rv=None):
        """Replace an existing object; precondition_rv (a string) must match if given."""
        with self.lock:
            key = object_key(obj)
            cur = self._latest(res, key)
            if cur is None:
                raise errors.not_found(res.plural, res.group, obj["metadata"]["name"])
            if precondition_rv and precondition_rv != cur["metadata"]["resourceVersion"]:
                raise errors.conflict(res.plural, res.group, obj["metadata"]["name"])
            return self._write(res, key, copy.deepcopy(obj))

    def delete(self, res, ns, name):
        """Remove and return the object (None if absent)."""
        with self.lock:
            key = f"{ns}/{name}" if ns else name
            cur = self._latest(res, key)
            if cur is None:
                return None
            self._write(res, key, None)
            return copy.deepcopy(cur)

    def namespace_contents(self, ns):
        """[(group, plural, name)] of live objects in namespace ns."""
        with self.lock:
            out = []
            for (group, plural), bucket in self.buckets.items():
                for key, hist in bucket.items():
                    if hist[-1][1] is not None and key.startswith(ns + "/"):
                        out.append((group, plural, key[len(ns) + 1:]))
            return out

    def _snapshot(self, res, ns, rv):
        prefix = ns + "/" if ns else ""
        items = []
        for key, hist in self.buckets.get(res.key, {}).items():
            if not key.startswith(prefix):
                continue
            obj = None
            for version_rv, version in hist:
                if version_rv > rv:
                    break
                obj = version
            if obj is not None:
                items.append((key, obj))
        items.sort(key=lambda kv: kv[0])
        return items

    def list(self, res, ns, match, limit=0, cont=None, selective=False):
        """One page of a list. match(obj) -> bool filters; selective says whether a label or
        field selector is in force (then remainingItemCount is not computed, as upstream).
        Returns (items, list metadata)."""
        with self.lock:
            now = time.time()
            if cont:
                tok = _decode_continue(cont)
                rv, start, started = tok["rv"], tok["start"], tok["t"]
                if rv < 0:
                    rv, started = self.rv, now
                elif now - started > self.continue_ttl:
                    err = errors.gone_expired(CONTINUE_EXPIRED)
                    err.body["metadata"] = {"continue": _encode_continue(-1, start, now)}
                    raise err
            else:
                rv, start, started = self.rv, "", now
            snap = [(k, o) for k, o in self._snapshot(res, ns, rv) if k >= start]
            page, meta = [], {"resourceVersion": str(rv)}
            for i, (key, obj) in enumerate(snap):
                if limit and len(page) == limit:
                    # Like etcd: more keys exist, whether or not they will match.
                    meta["continue"] = _encode_continue(rv, snap[i - 1][0] + "\x00", started)
                    if not selective:
                        meta["remainingItemCount"] = len(snap) - i
                    break
                if match(obj):
                    page.append(copy.deepcopy(obj))
            return page, meta
