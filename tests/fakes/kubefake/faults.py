"""Fault injection rules, switchable at run time through /_fake/faults.

A rule {"match": PATH_REGEX, "method": "GET", "latency_ms": 200, "status": 429,
"retry_after": 1, "drop": true, "times": 2} applies to requests whose path
(without query) matches the regex (re.search) and whose method matches (any if
absent). The first matching rule with times left wins; `times` absent means
forever. latency_ms delays the request (then it is served normally unless
status or drop is set); status answers with a Status object of that code
(Retry-After header if retry_after is set); drop closes the connection
without an answer.
"""

import re
import threading

from . import errors

RULE_KEYS = {"match", "method", "latency_ms", "status", "retry_after", "drop", "times",
             "message"}


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def set(self, rules):
        """Replaces the rule list; raises ApiError 400 on a malformed rule."""
        if not isinstance(rules, list):
            raise errors.bad_request('want {"rules": [...]}')
        parsed = []
        for r in rules:
            if not isinstance(r, dict) or set(r) - RULE_KEYS:
                raise errors.bad_request(f"bad fault rule {r!r}; keys: {sorted(RULE_KEYS)}")
            try:
                rx = re.compile(r.get("match", ""))
            except re.error as e:
                raise errors.bad_request(f"bad match regex: {e}") from None
            parsed.append(dict(r, _rx=rx))
        with self.lock:
            self.rules = parsed

    def clear(self):
        with self.lock:
            self.rules = []

    def take(self, method, path):
        """The rule to apply to this request (one use consumed), or None."""
        with self.lock:
            for r in self.rules:
                if r.get("method", method).upper() != method or not r["_rx"].search(path):
                    continue
                if "times" in r:
                    if r["times"] <= 0:
                        continue
                    r["times"] -= 1
                return r
        return None


def error_for(rule):
    """The ApiError a status rule answers with."""
    code = int(rule["status"])
    default = {429: "Too many requests, please try again later."}.get(
        code, f"fault injected by the fake apiserver ({code})")
    err = errors.generic(code, rule.get("message", default))
    if rule.get("retry_after") is not None:
        err.headers["Retry-After"] = str(rule["retry_after"])
        err.body["details"] = {"retryAfterSeconds": int(rule["retry_after"])}
    return err
