"""Authorization: RBAC-like rules from the config plus the bootstrap roles every cluster has.

Attributes follow k8s.io/apiserver RequestInfo: resource requests carry verb,
apiGroup, resource, subresource, namespace (for namespaces themselves the
namespace is the object's name) and name; other requests carry a path and the
lowercase HTTP method as verb. Group system:masters may do anything. Denials
produce the upstream forbidden message.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

# The bootstrap ClusterRoles that matter here: public-info-viewer, discovery,
# basic-user and (as in the brief for the sandbox) service-account-issuer-discovery.
BUILTIN_RULES = [
    {"name": "system:public-info-viewer",
     "groups": ["system:authenticated", "system:unauthenticated"],
     "rules": [{"verbs": ["get"], "nonResourceURLs": [
         "/healthz", "/livez", "/readyz", "/version", "/version/",
         "/.well-known/openid-configuration", "/openid/v1/jwks"]}]},
    {"name": "system:discovery", "groups": ["system:authenticated"],
     "rules": [{"verbs": ["get"], "nonResourceURLs": [
         "/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/healthz",
         "/livez", "/readyz", "/version", "/version/"]}]},
    {"name": "system:basic-user", "groups": ["system:authenticated"],
     "rules": [{"verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
                "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]},
               {"verbs": ["create"], "apiGroups": ["authentication.k8s.io"],
                "resources": ["selfsubjectreviews"]}]},
]


@dataclass
class Attributes:
    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""

    @property
    def is_resource(self):
        return bool(self.resource)


def _any(patterns, value):
    return any(p == "*" or p == value for p in patterns)


def _rule_matches(rule, a):
    if not _any(rule.get("verbs", []), a.verb):
        return False
    if not a.is_resource:
        return any(p == a.path or (p.endswith("*") and a.path.startswith(p[:-1]))
                   for p in rule.get("nonResourceURLs", []))
    if "nonResourceURLs" in rule and "resources" not in rule:
        return False
    full = a.resource + ("/" + a.subresource if a.subresource else "")
    if not _any(rule.get("apiGroups", ["*"]), a.group):
        return False
    if not any(p == "*" or p == full or (a.subresource and p == a.resource + "/*")
               or (not a.subresource and p == a.resource) for p in rule.get("resources", [])):
        return False
    names = rule.get("resourceNames")
    if names and a.name not in names:
        return False
    namespaces = rule.get("namespaces", ["*"])
    return "*" in namespaces or (a.namespace and
                                 any(fnmatchcase(a.namespace, n) for n in namespaces))


class Authorizer:
    def __init__(self, config_rules):
        self.bindings = BUILTIN_RULES + list(config_rules or [])

    def authorize(self, user, a):
        """Returns (allowed, reason) for user (auth.User) and Attributes a."""
        if "system:masters" in user.groups:
            return True, 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole ' \
                         '"cluster-admin" to Group "system:masters"'
        for b in self.bindings:
            if user.name in b.get("users", []) or set(b.get("groups", [])) & set(user.groups):
                if any(_rule_matches(r, a) for r in b.get("rules", [])):
                    return True, f'RBAC: allowed by binding "{b.get("name", "config")}"'
        return False, ""


def forbidden_reason(user, a):
    """The upstream forbiddenMessage text."""
    if not a.is_resource:
        return f'User "{user.name}" cannot {a.verb} path "{a.path}"'
    res = a.resource + ("/" + a.subresource if a.subresource else "")
    where = f'in the namespace "{a.namespace}"' if a.namespace else "at the cluster scope"
    return f'User "{user.name}" cannot {a.verb} resource "{res}" in API group "{a.group}" {where}'
