"""The test-only /_fake/ endpoints and the request counter they expose.

All need the header `X-Fake-Admin: <admin_token>`:
  GET    /_fake/requests        {"GET /api/v1/namespaces/{ns}/serviceaccounts": 3, ...}
  POST   /_fake/requests/reset  zero the counters
  POST   /_fake/faults          {"rules": [...]} (see faults.py); DELETE /_fake/faults clears
  POST   /_fake/continue-ttl    {"seconds": N}: continue tokens older than N s answer 410
Admin requests are neither counted nor subject to faults.
"""

import collections
import hmac
import json
import threading

from . import errors


class RequestCounter:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()

    def add(self, method, template):
        with self.lock:
            self.counts[f"{method} {template}"] += 1

    def snapshot(self):
        with self.lock:
            return dict(sorted(self.counts.items()))

    def reset(self):
        with self.lock:
            self.counts.clear()


def _json(body):
    try:
        return json.loads(body or b"{}")
    except ValueError as e:
        raise errors.bad_request(f"invalid JSON: {e}") from None


def handle(state, method, path, headers, body):
    """Returns (code, JSON body, headers) for a /_fake/ request."""
    if not hmac.compare_digest(headers.get("X-Fake-Admin", ""), state.admin_token):
        raise errors.ApiError(403, "Forbidden", "admin endpoints need X-Fake-Admin")
    route = (method, path.rstrip("/"))
    if route == ("GET", "/_fake/requests"):
        return 200, state.counter.snapshot(), {}
    if route == ("POST", "/_fake/requests/reset"):
        state.counter.reset()
        return 200, {}, {}
    if route == ("POST", "/_fake/faults"):
        state.faults.set(_json(body).get("rules"))
        return 200, {"rules": len(state.faults.rules)}, {}
    if route == ("DELETE", "/_fake/faults"):
        state.faults.clear()
        return 200, {}, {}
    if route == ("POST", "/_fake/continue-ttl"):
        seconds = _json(body).get("seconds")
        if not isinstance(seconds, (int, float)) or seconds < 0:
            raise errors.bad_request('want {"seconds": N}')
        state.store.continue_ttl = seconds
        return 200, {"seconds": seconds}, {}
    raise errors.ApiError(404, "NotFound", f"no admin endpoint {method} {path}")
