"""Server-side printing: meta.k8s.io/v1 Table replies for `kubectl get`.

Columns and cell values follow pkg/printers/internalversion/printers.go for the
types served here; AGE uses apimachinery's duration.HumanDuration. Rows carry
the object as PartialObjectMetadata (includeObject=Metadata, the default), the
full object (Object) or nothing (None).
"""

import datetime


def human_duration(seconds):
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m" if s % 60 == 0 else f"{minutes}m{s % 60}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h" if minutes % 60 == 0 else f"{hours}h{minutes % 60}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d" if hours % 24 == 0 else f"{hours // 24}d{hours % 24}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def age(obj, now):
    ts = obj["metadata"].get("creationTimestamp")
    if not ts:
        return "<unknown>"
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return human_duration((now - t).total_seconds())


def _col(name, typ="string", fmt="", desc="", priority=0):
    return {"name": name, "type": typ, "format": fmt, "description": desc, "priority": priority}


NAME = _col("Name", fmt="name", desc="Name must be unique within a namespace.")
AGE = _col("Age", desc="CreationTimestamp is a timestamp representing the server time when "
                       "this object was created.")


def _pod_row(o, now):
    spec, st = o.get("spec", {}), o.get("status", {})
    statuses = st.get("containerStatuses", [])
    ready = sum(1 for c in statuses if c.get("ready"))
    reason = st.get("reason") or st.get("phase", "")
    for c in statuses:
        waiting = c.get("state", {}).get("waiting", {})
        if waiting.get("reason"):
            reason = waiting["reason"]
    if o["metadata"].get("deletionTimestamp"):
        reason = "Terminating"
    restarts = sum(c.get("restartCount", 0) for c in statuses)
    return [o["metadata"]["name"], f"{ready}/{len(spec.get('containers', []))}", reason,
            str(restarts), age(o, now), st.get("podIP") or "<none>",
            spec.get("nodeName") or "<none>", st.get("nominatedNodeName") or "<none>",
            "<none>"]


def _containers(o):
    cs = o.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def _selector(o):
    ml = o.get("spec", {}).get("selector", {}).get("matchLabels", {})
    return ",".join(f"{k}={v}" for k, v in sorted(ml.items())) or "<none>"


def _deploy_row(o, now):
    spec, st = o.get("spec", {}), o.get("status", {})
    return [o["metadata"]["name"], f"{st.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            st.get("updatedReplicas", 0), st.get("availableReplicas", 0), age(o, now),
            *_containers(o), _selector(o)]


def _sts_row(o, now):
    spec, st = o.get("spec", {}), o.get("status", {})
    return [o["metadata"]["name"], f"{st.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            age(o, now), *_containers(o)]


def _ds_row(o, now):
    st = o.get("status", {})
    ns = o.get("spec", {}).get("template", {}).get("spec", {}).get("nodeSelector", {})
    return [o["metadata"]["name"], st.get("desiredNumberScheduled", 0),
            st.get("currentNumberScheduled", 0), st.get("numberReady", 0),
            st.get("updatedNumberScheduled", 0), st.get("numberAvailable", 0),
            ",".join(f"{k}={v}" for k, v in sorted(ns.items())) or "<none>", age(o, now),
            *_containers(o), _selector(o)]


_CONTAINERS = _col("Containers", desc="Names of each container in the template.", priority=1)
_IMAGES = _col("Images", desc="Images referenced by each container in the template.",
               priority=1)
_SELECTOR = _col("Selector", desc="Label selector for pods.", priority=1)

PRINTERS = {
    "serviceaccounts": ([NAME, _col("Secrets", "string", "",
                                    "Secrets is a list of the secrets in the same namespace "
                                    "that pods running using this ServiceAccount are allowed "
                                    "to use."), AGE],
                        lambda o, now: [o["metadata"]["name"], len(o.get("secrets", [])),
                                        age(o, now)]),
    "namespaces": ([NAME, _col("Status", desc="The status of the namespace"), AGE],
                   lambda o, now: [o["metadata"]["name"],
                                   o.get("status", {}).get("phase", ""), age(o, now)]),
    "pods": ([NAME, _col("Ready", desc="The aggregate readiness state of this pod for "
                                       "accepting traffic."),
              _col("Status", desc="The aggregate status of the containers in this pod."),
              _col("Restarts", "string", desc="The number of times the containers in this "
                                              "pod have been restarted and when the last "
                                              "container in this pod has restarted."),
              AGE, _col("IP", desc="IP address allocated to the pod.", priority=1),
              _col("Node", desc="Name of the node where the pod is scheduled.", priority=1),
              _col("Nominated Node", desc="Name of the node where the pod is nominated.",
                   priority=1),
              _col("Readiness Gates", desc="Readiness gates of the pod.", priority=1)],
             _pod_row),
    "deployments": ([NAME, _col("Ready", desc="Number of the pod with ready state"),
                     _col("Up-to-date", "integer", desc="Total number of non-terminated pods "
                                                        "targeted by this deployment that "
                                                        "have the desired template spec."),
                     _col("Available", "integer", desc="Total number of available pods "
                                                       "(ready for at least minReadySeconds) "
                                                       "targeted by this deployment."),
                     AGE, _CONTAINERS, _IMAGES, _SELECTOR], _deploy_row),
    "statefulsets": ([NAME, _col("Ready", desc="Number of the pod with ready state"), AGE,
                      _CONTAINERS, _IMAGES], _sts_row),
    "daemonsets": ([NAME, _col("Desired", "integer", desc="The desired number of pods."),
                    _col("Current", "integer", desc="The current number of pods."),
                    _col("Ready", "integer", desc="The number of pods ready."),
                    _col("Up-to-date", "integer", desc="The number of pods updated."),
                    _col("Available", "integer", desc="The number of pods available."),
                    _col("Node Selector", desc="The node selector."), AGE,
                    _CONTAINERS, _IMAGES, _SELECTOR], _ds_row),
}


def wants_table(accept):
    """True if the Accept header asks for a meta.k8s.io/v1 (or v1beta1) Table."""
    for part in (accept or "").split(","):
        params = {p.split("=", 1)[0].strip(): p.split("=", 1)[-1].strip()
                  for p in part.split(";")[1:] if "=" in p}
        if params.get("as") == "Table" and params.get("g") == "meta.k8s.io":
            return params.get("v", "v1")
    return None


def _row_object(res, obj, include):
    if include == "None":
        return None
    if include == "Object":
        return dict(obj, apiVersion=res.api_version, kind=res.kind)
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj["metadata"]}


def render(res, objects, list_meta, include, version="v1"):
    """A Table for a list (list_meta given) or a single object (list_meta None)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    columns, row_fn = PRINTERS[res.plural]
    rows = []
    for o in objects:
        row = {"cells": row_fn(o, now)}
        ob = _row_object(res, o, include)
        if ob is not None:
            row["object"] = ob
        rows.append(row)
    meta = dict(list_meta) if list_meta is not None else {
        "resourceVersion": objects[0]["metadata"].get("resourceVersion", "")}
    return {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}", "metadata": meta,
            "columnDefinitions": columns, "rows": rows}
