"""Defaulting and server-set metadata on create and update, as the apiserver's strategies do.

Fills what a real cluster adds to a freshly created object: uid,
creationTimestamp, generation for apps/v1 workloads, the namespace's
kubernetes.io/metadata.name label, spec.finalizers and phase, and the scheme
defaults of pod specs and workload specs (replicas, strategies, restartPolicy,
imagePullPolicy, ...). There is no controller: workload status stays as given
by the seed (or empty).
"""

import datetime
import uuid


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _container(c):
    image = c.get("image", "")
    tag = image.rsplit("/", 1)[-1]
    latest = "@" not in tag and (":" not in tag or tag.endswith(":latest"))
    c.setdefault("resources", {})
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    c.setdefault("imagePullPolicy", "Always" if latest else "IfNotPresent")
    for p in c.get("ports", []):
        p.setdefault("protocol", "TCP")


def pod_spec(spec):
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        _container(c)
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")


def _template(spec):
    tmpl = spec.setdefault("template", {})
    tmpl.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    pod_spec(tmpl.setdefault("spec", {}))


def _deployment(o):
    spec = o.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        ru = strategy.setdefault("rollingUpdate", {})
        ru.setdefault("maxUnavailable", "25%")
        ru.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    _template(spec)


def _statefulset(o):
    spec = o.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    us = spec.setdefault("updateStrategy", {"type": "RollingUpdate"})
    if us.get("type") == "RollingUpdate":
        us.setdefault("rollingUpdate", {"partition": 0})
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("persistentVolumeClaimRetentionPolicy",
                    {"whenDeleted": "Retain", "whenScaled": "Retain"})
    _template(spec)


def _daemonset(o):
    spec = o.setdefault("spec", {})
    us = spec.setdefault("updateStrategy", {"type": "RollingUpdate"})
    if us.get("type") == "RollingUpdate":
        us.setdefault("rollingUpdate", {"maxUnavailable": 1, "maxSurge": 0})
    spec.setdefault("revisionHistoryLimit", 10)
    _template(spec)


def _pod(o):
    spec = o.setdefault("spec", {})
    spec.setdefault("serviceAccountName", "default")   # ServiceAccount admission
    pod_spec(spec)
    o.setdefault("status", {}).setdefault("phase", "Pending")


def _namespace(o):
    o["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = o["metadata"]["name"]
    o.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    o.setdefault("status", {}).setdefault("phase", "Active")


SCHEME_DEFAULTS = {"Deployment": _deployment, "StatefulSet": _statefulset,
                   "DaemonSet": _daemonset, "Pod": _pod, "Namespace": _namespace}


def apply(res, obj):
    """Scheme defaults for any write (create, update, patch)."""
    fn = SCHEME_DEFAULTS.get(res.kind)
    if fn:
        fn(obj)


def on_create(res, obj, seed=False):
    """Server-set metadata for a new object. A seeded object keeps its creationTimestamp,
    uid and status (so the seed can hold pods that predate an annotation)."""
    md = obj["metadata"]
    if not (seed and md.get("uid")):
        md["uid"] = str(uuid.uuid4())
    if not (seed and md.get("creationTimestamp")):
        md["creationTimestamp"] = now_rfc3339()
    for k in ("resourceVersion", "deletionTimestamp", "selfLink"):
        md.pop(k, None)
    if res.generation:
        md["generation"] = 1
    elif "generation" in md:
        del md["generation"]
    if res.has_status and not seed:
        obj["status"] = {}
    apply(res, obj)


def on_update(res, old, new):
    """Keeps what clients cannot change and bumps generation on spec changes."""
    md, omd = new["metadata"], old["metadata"]
    for k in ("uid", "creationTimestamp", "generation", "deletionTimestamp"):
        if k in omd:
            md[k] = omd[k]
        else:
            md.pop(k, None)
    if res.has_status:
        if "status" in old:
            new["status"] = old["status"]
        else:
            new.pop("status", None)
    apply(res, new)
    if res.generation and new.get("spec") != old.get("spec"):
        md["generation"] = omd.get("generation", 1) + 1
