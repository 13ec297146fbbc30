"""labelSelector and fieldSelector parsing and matching (k8s.io/apimachinery/pkg/labels, fields).

Label selectors: key, !key, key=v, key==v, key!=v, key in (a,b), key notin (a,b),
comma-separated (AND). Field selectors: f=v, f==v, f!=v, only the fields each
resource registers; an unknown field is a 400 with the upstream message.
"""

import re

from . import errors

_POD_FIELDS = {
    "spec.nodeName": lambda o: o.get("spec", {}).get("nodeName", ""),
    "spec.restartPolicy": lambda o: o.get("spec", {}).get("restartPolicy", ""),
    "spec.schedulerName": lambda o: o.get("spec", {}).get("schedulerName", ""),
    "spec.serviceAccountName": lambda o: o.get("spec", {}).get("serviceAccountName", ""),
    "spec.hostNetwork": lambda o: str(bool(o.get("spec", {}).get("hostNetwork"))).lower(),
    "status.phase": lambda o: o.get("status", {}).get("phase", ""),
    "status.podIP": lambda o: o.get("status", {}).get("podIP", ""),
    "status.nominatedNodeName": lambda o: o.get("status", {}).get("nominatedNodeName", ""),
}
# Resources with their own field label conversion (and its error text); others use the default.
_EXTRA_FIELDS = {
    "pods": _POD_FIELDS,
    "namespaces": {"status.phase": lambda o: o.get("status", {}).get("phase", "")},
}
_META_FIELDS = {
    "metadata.name": lambda o: o["metadata"].get("name", ""),
    "metadata.namespace": lambda o: o["metadata"].get("namespace", ""),
}

_KEY = r"[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?"
_REQ = re.compile(
    rf"^\s*(?:(?P<not>!)\s*(?P<nkey>{_KEY})"
    rf"|(?P<key>{_KEY})\s*(?:(?P<op>==|=|!=)\s*(?P<val>[-A-Za-z0-9_.]*)"
    rf"|\s+(?P<setop>in|notin)\s*\((?P<set>[^)]*)\))?)\s*$")


def _split_outside_parens(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def parse_labels(selector):
    """Returns match(labels_dict) -> bool; raises ApiError 400 on syntax errors."""
    reqs = []
    for part in _split_outside_parens(selector or ""):
        if not part.strip():
            if selector.strip():
                raise errors.bad_request(f"unable to parse requirement: found '', "
                                         f"expected: identifier in {selector!r}")
            continue
        m = _REQ.match(part)
        if not m:
            raise errors.bad_request(f"unable to parse requirement: {part.strip()!r} "
                                     "is not a valid label selector requirement")
        if m.group("not"):
            reqs.append(lambda l, k=m.group("nkey"): k not in l)
        elif m.group("op"):
            k, v = m.group("key"), m.group("val")
            if m.group("op") == "!=":
                reqs.append(lambda l, k=k, v=v: l.get(k) != v)
            else:
                reqs.append(lambda l, k=k, v=v: l.get(k) == v)
        elif m.group("setop"):
            k = m.group("key")
            vals = {x.strip() for x in m.group("set").split(",") if x.strip()}
            if m.group("setop") == "in":
                reqs.append(lambda l, k=k, vals=vals: l.get(k) in vals)
            else:
                reqs.append(lambda l, k=k, vals=vals: l.get(k) not in vals)
        else:
            reqs.append(lambda l, k=m.group("key"): k in l)
    return lambda labels: all(r(labels or {}) for r in reqs)


def parse_fields(selector, plural):
    """Returns match(obj) -> bool for a fieldSelector on resource `plural`."""
    extra = _EXTRA_FIELDS.get(plural)
    known = dict(_META_FIELDS, **(extra or {}))
    reqs = []
    for part in (selector or "").split(","):
        if not part.strip():
            continue
        m = re.match(r"^\s*([^=!]+?)\s*(==|=|!=)\s*(.*?)\s*$", part)
        if not m:
            raise errors.bad_request(f"invalid selector: '{selector}'; can't understand '{part}'")
        field, op, value = m.groups()
        if field not in known:
            if extra is not None:
                raise errors.bad_request(f"field label not supported: {field}")
            raise errors.bad_request(f'"{field}" is not a known field selector: only '
                                     '"metadata.name", "metadata.namespace"')
        get = known[field]
        if op == "!=":
            reqs.append(lambda o, get=get, v=value: get(o) != v)
        else:
            reqs.append(lambda o, get=get, v=value: get(o) == v)
    return lambda obj: all(r(obj) for r in reqs)
