"""Body decoding checks and object validation, with the apiserver's messages.

- fieldValidation (Strict / Warn / Ignore; Warn is the server default) over
  JSON bodies: unknown top-level and metadata fields and duplicate fields.
  Strict answers 400 "<Kind> in version "<v>" cannot be handled as a <Kind>:
  strict decoding error: unknown field "x""; Warn returns the same texts as
  Warning headers. Fields below spec are not checked.
- metadata.name: required (unless generateName) and an RFC 1123 label or subdomain.
"""

import json
import re

from . import errors

META_FIELDS = {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
               "generation", "creationTimestamp", "deletionTimestamp",
               "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
               "finalizers", "managedFields"}
DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN = rf"{DNS1123_LABEL}(\.{DNS1123_LABEL})*"
LABEL_NAMED = {"Namespace"}       # kinds whose names must be RFC 1123 labels


def _pairs_hook(dups):
    def hook(pairs):
        seen = {}
        for k, v in pairs:
            if k in seen:
                dups.append(k)
            seen[k] = v
        return seen
    return hook


def decode_json(body, known_fields, kind, version, mode):
    """Parses a JSON object body. Returns (obj, warnings). Raises 400 on syntax errors
    and, with mode Strict, on unknown or duplicate fields."""
    dups = []
    try:
        obj = json.loads(body, object_pairs_hook=_pairs_hook(dups))
    except ValueError as e:
        raise errors.bad_request(f"error decoding request body: {e}") from None
    if not isinstance(obj, dict):
        raise errors.bad_request("the body of the request is not a JSON object")
    problems = [f'duplicate field "{d}"' for d in dups]
    if known_fields is not None:
        known = {"apiVersion", "kind", "metadata"} | set(known_fields)
        for k, v in obj.items():       # document order, as the strict decoder reports
            if k not in known:
                problems.append(f'unknown field "{k}"')
            elif k == "metadata" and isinstance(v, dict):
                problems += [f'unknown field "metadata.{m}"' for m in v if m not in META_FIELDS]
    if not problems or mode == "Ignore":
        return obj, []
    if mode == "Strict":
        raise errors.bad_request(f'{kind} in version "{version}" cannot be handled as a '
                                 f'{kind}: strict decoding error: {", ".join(problems)}')
    return obj, problems


def check_name(kind, group, obj):
    """422 for a missing or malformed metadata.name."""
    name = obj["metadata"].get("name", "")
    if not name:
        raise errors.invalid(kind, group, "", [("metadata.name", None,
                                                "name or generateName is required")])
    if kind in LABEL_NAMED:
        ok, limit = re.fullmatch(DNS1123_LABEL, name) and len(name) <= 63, 63
        what = ("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                "characters or '-', and must start and end with an alphanumeric character "
                "(e.g. 'my-name',  or '123-abc', regex used for validation is "
                f"'{DNS1123_LABEL}')")
    else:
        ok, limit = re.fullmatch(DNS1123_SUBDOMAIN, name) and len(name) <= 253, 253
        what = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                "characters, '-' or '.', and must start and end with an alphanumeric "
                "character (e.g. 'example.com', regex used for validation is "
                f"'{DNS1123_SUBDOMAIN}')")
    if len(name) > limit:
        what = f"must be no more than {limit} characters"
    if not ok:
        raise errors.invalid(kind, group, name, [("metadata.name", f'"{name}"', what)])
