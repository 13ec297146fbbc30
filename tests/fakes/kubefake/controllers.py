"""What a real cluster's controllers add on their own (config "cluster_defaults", on by default).

- The four system namespaces exist: default, kube-system, kube-public, kube-node-lease.
- Every namespace gets a ServiceAccount "default" as soon as it exists
  (the serviceaccounts controller), so lists look like a real cluster's.
"""

from . import defaults, resources

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
NAMESPACES = resources.lookup("", "namespaces")
SERVICEACCOUNTS = resources.lookup("", "serviceaccounts")


def ensure_default_service_account(store, ns):
    if store.get(SERVICEACCOUNTS, ns, "default") is None:
        sa = {"apiVersion": "v1", "kind": "ServiceAccount",
              "metadata": {"name": "default", "namespace": ns}}
        defaults.on_create(SERVICEACCOUNTS, sa)
        store.create(SERVICEACCOUNTS, sa)


def bootstrap(store):
    """System namespaces (if missing) and a default ServiceAccount in every namespace."""
    for name in SYSTEM_NAMESPACES:
        if store.get(NAMESPACES, "", name) is None:
            ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            defaults.on_create(NAMESPACES, ns)
            store.create(NAMESPACES, ns)
    items, _ = store.list(NAMESPACES, "", lambda o: True)
    for ns in items:
        ensure_default_service_account(store, ns["metadata"]["name"])
