"""The resource types this fake serves, as one table.

Each entry gives what discovery, routing, RBAC, defaulting and validation need:
group/version, plural/singular/kind, scope, short names, verbs, which top-level
fields a strict decoder knows, whether the type has a status subresource and
metadata.generation, and what DELETE answers (the object or a Success Status).
"""

from dataclasses import dataclass, field

OBJECT_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update",
                "watch"]


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    plural: str
    singular: str
    kind: str
    namespaced: bool
    short_names: tuple = ()
    categories: tuple = ()
    fields: tuple = ("spec", "status")        # top-level fields besides apiVersion/kind/metadata
    has_status: bool = True                  # status is ignored on create/update/patch
    generation: bool = False                 # metadata.generation counts spec changes
    returns_object_on_delete: bool = True    # else DELETE answers a Success Status
    verbs: list = field(default_factory=lambda: list(OBJECT_VERBS))

    @property
    def api_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def key(self):
        return (self.group, self.plural)


RESOURCES = [
    Resource("", "v1", "namespaces", "namespace", "Namespace", False, ("ns",),
             verbs=["create", "delete", "get", "list", "patch", "update", "watch"]),
    Resource("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", True, ("sa",),
             fields=("secrets", "imagePullSecrets", "automountServiceAccountToken"),
             has_status=False),
    Resource("", "v1", "pods", "pod", "Pod", True, ("po",), ("all",)),
    Resource("apps", "v1", "deployments", "deployment", "Deployment", True, ("deploy",),
             ("all",), generation=True, returns_object_on_delete=False),
    Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", True, ("sts",),
             ("all",), generation=True, returns_object_on_delete=False),
    Resource("apps", "v1", "daemonsets", "daemonset", "DaemonSet", True, ("ds",),
             ("all",), generation=True, returns_object_on_delete=False),
]

BY_KEY = {r.key: r for r in RESOURCES}
BY_KIND = {(r.group, r.kind): r for r in RESOURCES}

# Virtual create-only resources (no storage): subresources and reviews.
TOKEN_SUBRESOURCE = {"name": "serviceaccounts/token", "singularName": "", "namespaced": True,
                     "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest",
                     "verbs": ["create"]}
REVIEW_GROUPS = {
    "authentication.k8s.io": [{"name": "selfsubjectreviews", "singularName": "selfsubjectreview",
                               "namespaced": False, "kind": "SelfSubjectReview",
                               "verbs": ["create"]}],
    "authorization.k8s.io": [{"name": "selfsubjectaccessreviews",
                              "singularName": "selfsubjectaccessreview", "namespaced": False,
                              "kind": "SelfSubjectAccessReview", "verbs": ["create"]}],
}


def lookup(group, plural):
    return BY_KEY.get((group, plural))


# Named API groups in discovery order (all served at v1 only).
NAMED_GROUPS = ["apps"] + list(REVIEW_GROUPS)
