"""Request URL -> RequestInfo, as k8s.io/apiserver's RequestInfoFactory reads it.

/api/v1/... and /apis/GROUP/VERSION/... are resource requests:
[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]; for namespaces themselves the
namespace is the name. The verb comes from the HTTP method (GET on a collection
is list, or watch with ?watch=true). Everything else is a non-resource path.
`template` is the path with names replaced by {ns}/{name} for request counting.
"""

from dataclasses import dataclass

NAMESPACE_SUBRESOURCES = {"status", "finalize"}
VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch"}


@dataclass
class RequestInfo:
    path: str
    verb: str
    is_resource: bool = False
    group: str = ""
    version: str = ""
    namespace: str = ""
    resource: str = ""
    name: str = ""
    subresource: str = ""
    template: str = ""


def parse(method, path, query):
    """query is the dict of first values of the query parameters."""
    parts = [p for p in path.split("/") if p]
    info = RequestInfo(path=path, verb=method.lower(), template=path)
    if parts[:1] == ["api"] and len(parts) >= 3:
        info.version, rest, prefix = parts[1], parts[2:], ["api", parts[1]]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        info.group, info.version, rest = parts[1], parts[2], parts[3:]
        prefix = parts[:3]
    else:
        return info
    info.is_resource = True
    tmpl = list(prefix)
    if rest[0] == "namespaces" and len(rest) > 1:
        info.namespace = rest[1]
        if len(rest) > 2 and rest[2] not in NAMESPACE_SUBRESOURCES:
            tmpl += ["namespaces", "{ns}"]
            rest = rest[2:]
    info.resource = rest[0]
    tmpl.append(rest[0])
    if len(rest) > 1:
        info.name = rest[1]
        tmpl.append("{name}")
    if len(rest) > 2:
        info.subresource = rest[2]
        tmpl.append(rest[2])
    info.template = "/" + "/".join(tmpl)
    if method in VERBS:
        info.verb = VERBS[method]
    elif method in ("GET", "HEAD"):
        if info.name:
            info.verb = "get"
        else:
            info.verb = "watch" if query.get("watch") in ("1", "true") else "list"
    elif method == "DELETE":
        info.verb = "delete" if info.name else "deletecollection"
    return info
