"""What a real cluster's controllers add on their own (config "cluster_defaults", on by default).

- The four system namespaces exist: default, kube-system, kube-public, kube-node-lease.
- Every namespace gets a ServiceAccount "default" as soon as it exists
  (the serviceaccounts controller), so lists look like a real cluster's.
- A write that changes a Deployment's, StatefulSet's or DaemonSet's
  spec.template (`kubectl rollout restart`) replaces the pods it owns at once,
  before the write answers (roll_out): the old pods are deleted and as many new
  ones are made from the new template, mutated as the EKS pod identity webhook
  does (webhook_mutate) when their ServiceAccount carries
  eks.amazonaws.com/role-arn. Workload status is left as it was.
"""

import copy
import hashlib
import json
import os
import random
import re
import uuid

from . import defaults, resources

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
NAMESPACES = resources.lookup("", "namespaces")
SERVICEACCOUNTS = resources.lookup("", "serviceaccounts")
PODS = resources.lookup("", "pods")
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")

# The EKS pod identity webhook, as tests/fakes/seed_kube.py's mutated pods show it.
ROLE_KEY = "eks.amazonaws.com/role-arn"
TOKEN_VOLUME = "aws-iam-token"
TOKEN_PATH = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
# k8s.io/apimachinery/pkg/util/rand's alphabet (generated names, pod-template-hash).
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


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


def issuer_region(issuer):
    """The region of an EKS issuer (https://oidc.eks.REGION.amazonaws.com/id/HEX), or None."""
    m = re.match(r"https://oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(/|$)", issuer or "")
    return m.group(1) if m else None


def webhook_mutate(store, pod, region=None):
    """What the pod identity webhook does at admission: when the pod's ServiceAccount is
    annotated with a role ARN, every container that does not set AWS_ROLE_ARN itself gets
    the AWS_* env and the token mount, and the pod the projected token volume."""
    md, spec = pod["metadata"], pod["spec"]
    sa = store.get(SERVICEACCOUNTS, md["namespace"], spec.get("serviceAccountName") or "default")
    arn = ((sa or {}).get("metadata", {}).get("annotations") or {}).get(ROLE_KEY)
    if not arn:
        return
    inject = [{"name": "AWS_STS_REGIONAL_ENDPOINTS", "value": "regional"}]
    if region:
        inject += [{"name": "AWS_DEFAULT_REGION", "value": region},
                   {"name": "AWS_REGION", "value": region}]
    inject += [{"name": "AWS_ROLE_ARN", "value": arn},
               {"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": TOKEN_PATH}]
    mutated = False
    for c in spec.get("initContainers", []) + spec.get("containers", []):
        env = c.get("env") or []
        if any(e.get("name") == "AWS_ROLE_ARN" for e in env):
            continue
        c["env"] = env + copy.deepcopy(inject)
        mounts = c.get("volumeMounts") or []
        if not any(m.get("name") == TOKEN_VOLUME for m in mounts):
            c["volumeMounts"] = mounts + [{"name": TOKEN_VOLUME, "readOnly": True,
                                           "mountPath": os.path.dirname(TOKEN_PATH)}]
        mutated = True
    volumes = spec.get("volumes") or []
    if mutated and not any(v.get("name") == TOKEN_VOLUME for v in volumes):
        spec["volumes"] = volumes + [{"name": TOKEN_VOLUME, "projected": {
            "defaultMode": 420, "sources": [{"serviceAccountToken": {
                "audience": "sts.amazonaws.com", "expirationSeconds": 86400,
                "path": "token"}}]}}]


def _template_hash(template):
    """A pod-template-hash: the same template gives the same ReplicaSet name."""
    h = int(hashlib.sha1(json.dumps(template, sort_keys=True).encode()).hexdigest(), 16)
    out = ""
    for _ in range(10):
        h, r = divmod(h, len(NAME_ALPHABET))
        out += NAME_ALPHABET[r]
    return out


def _suffix():
    return "".join(random.choices(NAME_ALPHABET, k=5))


def _owned_by(pod, w):
    """Whether pod belongs to workload w, as the seed links them: a Deployment's pods
    through their ReplicaSet NAME-<pod-template-hash>, the others directly."""
    md, wmd = pod["metadata"], w["metadata"]
    refs = md.get("ownerReferences") or []
    ref = next((r for r in refs if r.get("controller")), refs[0] if refs else None)
    if ref is None:
        return False
    if w["kind"] != "Deployment":
        return (ref.get("kind") == w["kind"] and ref.get("name") == wmd["name"]
                and ref.get("uid", wmd["uid"]) == wmd["uid"])
    labels = md.get("labels") or {}
    match = (w.get("spec", {}).get("selector") or {}).get("matchLabels") or {}
    return (ref.get("kind") == "ReplicaSet" and "pod-template-hash" in labels
            and ref.get("name") == f"{wmd['name']}-{labels['pod-template-hash']}"
            and all(labels.get(k) == v for k, v in match.items()))


def template_changed(old, new):
    return (new.get("kind") in WORKLOAD_KINDS
            and (old.get("spec") or {}).get("template") != (new.get("spec") or {}).get("template"))


def roll_out(store, w, region=None):
    """Replaces the pods of workload w (as just stored) by pods of its template, at once.
    Returns (deleted pod names, created pod names)."""
    md = w["metadata"]
    ns, name, kind = md["namespace"], md["name"], w["kind"]
    template = w["spec"]["template"]
    with store.lock:
        old, _ = store.list(PODS, ns, lambda o: _owned_by(o, w))
        for p in old:
            store.delete(PODS, ns, p["metadata"]["name"])
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        if kind == "Deployment":
            phash = _template_hash(template)
            labels["pod-template-hash"] = phash
            owner_name = f"{name}-{phash}"
            owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner_name,
                     "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{md['uid']}/{phash}")),
                     "controller": True, "blockOwnerDeletion": True}
        else:
            owner_name = name
            owner = {"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": md["uid"],
                     "controller": True, "blockOwnerDeletion": True}
        created = []
        for i, prev in enumerate(old):
            if kind == "StatefulSet":
                pname = f"{name}-{i}"
            else:
                pname = f"{owner_name}-{_suffix()}"
                while store.get(PODS, ns, pname) is not None:
                    pname = f"{owner_name}-{_suffix()}"
            pmd = {"name": pname, "namespace": ns, "labels": dict(labels),
                   "ownerReferences": [copy.deepcopy(owner)]}
            if (template.get("metadata") or {}).get("annotations"):
                pmd["annotations"] = dict(template["metadata"]["annotations"])
            spec = copy.deepcopy(template.get("spec") or {})
            sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
            spec["serviceAccountName"] = spec["serviceAccount"] = sa
            if prev["spec"].get("nodeName"):
                spec["nodeName"] = prev["spec"]["nodeName"]
            now = defaults.now_rfc3339()
            pst = prev.get("status") or {}
            status = {"phase": "Running", "startTime": now,
                      "conditions": [{"type": "Ready", "status": "True"}],
                      "containerStatuses": [
                          {"name": c["name"], "ready": True, "started": True,
                           "restartCount": 0, "image": c.get("image", ""),
                           "imageID": c.get("image", ""),
                           "state": {"running": {"startedAt": now}}}
                          for c in spec.get("containers", [])]}
            for k in ("hostIP", "podIP"):
                if pst.get(k):
                    status[k] = pst[k]
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": pmd, "spec": spec,
                   "status": status}
            webhook_mutate(store, pod, region)
            defaults.on_create(PODS, pod, seed=True)   # new uid and creationTimestamp
            store.create(PODS, pod)
            created.append(pname)
        return [p["metadata"]["name"] for p in old], created
