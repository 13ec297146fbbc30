#!/usr/bin/env python3
"""Kubernetes seed for the irsa sandbox: one JSON list of objects per cluster.

    python3 tests/fakes/seed_kube.py --cluster shop-prod --out seed.json \
        [--manifest kube-manifest.json] [--extra-service-accounts N]

--extra-service-accounts N (shop-prod only; the sandbox's flag of the same
name, or IRSA_SANDBOX_EXTRA_SAS) adds namespace `bulk` with N more service
accounts for large-list tests (add_bulk()).

Objects: Namespaces, ServiceAccounts, Deployments (+ one StatefulSet and one
DaemonSet) and Pods.  The ServiceAccount bindings follow seed_aws.ROLES (role
ARNs are deterministic, so this can be written before AWS is seeded):

  bound correctly      annotation eks.amazonaws.com/role-arn = an existing,
                       correct role (e.g. orders/orders-api)
  bound to wrong roles one SA per wrong role of seed_aws.ROLES
  bound to a missing   payments/payments-fraud -> shop-prod-fraud-missing
  typo'd key           payments/payments-gateway uses eks.amazonaws.com/role_arn,
                       orders/orders-web uses eks.amazonaws.io/role-arn
  unbound              several, plus the `default` SA of every namespace
                       (analytics/default is bound: IRSA031)

Time line: every bound SA carries the annotation
`irsa.test/role-annotated-at` = when the role-arn annotation was (notionally)
added.  Pods whose creationTimestamp is older than that were not mutated by the
webhook (no AWS_ROLE_ARN / token volume): they need a restart (IRSA026).  Pods
created after it carry the injected env and the aws-iam-token volume.  The
manifest lists both sets per cluster.
"""

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed_aws  # noqa: E402

ROLE_KEY = "eks.amazonaws.com/role-arn"
ANNOTATED_AT = "irsa.test/role-annotated-at"
TOKEN_PATH = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"

NAMESPACES = ["orders", "payments", "analytics", "kube-system", "default"]
# Namespaces only one cluster has.
CLUSTER_NAMESPACES = {"shop-prod": ["platform"]}

# Per cluster: namespace -> list of (sa name, binding)
#   binding: None (unbound), "role:<name>", "typo:<key>:<role name>"
#   workload: (kind, replicas, mutated) ; mutated=False => pods predate annotation
SERVICE_ACCOUNTS = {
    "shop-prod": [
        ("orders", "orders-api", "role:shop-prod-orders", ("Deployment", 2, True)),
        ("orders", "orders-web", "typo:eks.amazonaws.io/role-arn:shop-prod-orders-web",
         ("Deployment", 2, False)),
        ("orders", "orders-worker", "role:shop-prod-worker-wildcard-equals",
         ("Deployment", 1, True)),
        ("orders", "orders-batch", "role:shop-prod-batch-ec2-mixed", ("Deployment", 1, True)),
        ("orders", "orders-notify", "role:shop-prod-notify-sub-mismatch",
         ("Deployment", 1, True)),
        ("orders", "orders-cron", None, ("Deployment", 1, None)),
        ("orders", "orders-migrations", None, None),
        ("payments", "payments-api", "role:shop-prod-payments", ("Deployment", 2, False)),
        ("payments", "payments-gateway", "typo:eks.amazonaws.com/role_arn:shop-prod-gateway",
         ("Deployment", 1, False)),
        ("payments", "payments-ledger", "role:shop-prod-ledger-other-issuer",
         ("StatefulSet", 1, True)),
        ("payments", "payments-refunds", "role:shop-prod-refunds-mismatched-keys",
         ("Deployment", 1, True)),
        ("payments", "payments-fraud", "role:shop-prod-fraud-missing",
         ("Deployment", 1, True)),
        ("payments", "payments-webhooks", None, ("Deployment", 1, None)),
        ("analytics", "reporter", "role:shop-prod-reporter-no-sub", ("Deployment", 1, True)),
        ("analytics", "etl", "role:shop-prod-etl-admin", ("Deployment", 1, True)),
        ("analytics", "notebook", "role:shop-prod-notebook-ns-wildcard",
         ("Deployment", 1, False)),
        ("analytics", "dashboards", None, ("Deployment", 1, None)),
        ("analytics", "default", "role:shop-prod-analytics-default", ("Deployment", 1, True)),
        ("kube-system", "aws-node", None, ("DaemonSet", 2, None)),
        ("kube-system", "coredns", None, ("Deployment", 2, None)),
        ("kube-system", "cluster-autoscaler", None, None),
        ("kube-system", "ebs-csi-controller-sa", None, None),
        ("platform", "search", "role:shop-prod-search", ("Deployment", 1, True)),
        ("platform", "exporter", "role:shop-prod-exporter", ("Deployment", 1, True)),
        ("platform", "metrics-agent", "role:shop-prod-metrics", ("DaemonSet", 1, True)),
        ("platform", "uploader", "role:shop-prod-uploader", ("Deployment", 1, True)),
        ("platform", "mailer", "role:shop-prod-mailer", ("Deployment", 1, True)),
    ],
    "shop-staging": [
        ("orders", "orders-api", "role:shop-staging-orders", ("Deployment", 1, True)),
        ("payments", "payments-api", "role:shop-staging-payments-no-sub",
         ("Deployment", 1, False)),
        ("analytics", "reporter", "role:shop-staging-missing", ("Deployment", 1, True)),
        ("analytics", "dashboards", None, None),
        ("kube-system", "aws-node", None, ("DaemonSet", 1, None)),
    ],
}


# What is special about one service account or its pods (cluster, ns, name):
#   sa_annotations  more annotations on the account
#   pod_role        the pods carry AWS_ROLE_ARN of this role (an earlier
#                   binding: they predate the current annotation)
#   host_network    the pods (and the template) use hostNetwork
#   keys_secret     the pods' container gets AWS_ACCESS_KEY_ID and
#                   AWS_SECRET_ACCESS_KEY from this Secret (valueFrom)
#   automount       leave automountServiceAccountToken unset on the account
#                   (every other account with the role-arn key sets it false)
SA_OPTIONS = {
    ("shop-prod", "platform", "search"): {
        "sa_annotations": {"eks.amazonaws.com/token-expiration": "300"}},
    ("shop-prod", "platform", "exporter"): {"pod_role": "shop-prod-exporter-v1"},
    ("shop-prod", "platform", "metrics-agent"): {"host_network": True},
    ("shop-prod", "platform", "uploader"): {"keys_secret": "uploader-aws-keys"},
    ("shop-prod", "platform", "mailer"): {"automount": True},
}


def _ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _uid(*parts):
    import hashlib
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _short_hash(*parts, n=10):
    import hashlib
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    h = int(hashlib.sha1("/".join(parts).encode()).hexdigest(), 16)
    out = ""
    for _ in range(n):
        h, r = divmod(h, len(alphabet))
        out += alphabet[r]
    return out


def _container(name, image, role_arn=None, region=None, mutated=False):
    c = {"name": name, "image": image, "ports": [{"containerPort": 8080, "protocol": "TCP"}],
         "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}
    env = [{"name": "LOG_LEVEL", "value": "info"}]
    if mutated and role_arn:
        env += [{"name": "AWS_STS_REGIONAL_ENDPOINTS", "value": "regional"},
                {"name": "AWS_DEFAULT_REGION", "value": region},
                {"name": "AWS_REGION", "value": region},
                {"name": "AWS_ROLE_ARN", "value": role_arn},
                {"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": TOKEN_PATH}]
        c["volumeMounts"] = [{"name": "aws-iam-token", "readOnly": True,
                              "mountPath": os.path.dirname(TOKEN_PATH)}]
    c["env"] = env
    return c


def _static_keys(c, secret):
    c["env"] = c["env"] + [
        {"name": "AWS_ACCESS_KEY_ID", "valueFrom": {"secretKeyRef": {"name": secret, "key": "access-key-id"}}},
        {"name": "AWS_SECRET_ACCESS_KEY",
         "valueFrom": {"secretKeyRef": {"name": secret, "key": "secret-access-key"}}}]


def namespaces(cluster):
    return NAMESPACES + CLUSTER_NAMESPACES.get(cluster, [])


def build(cluster, now=None):
    """Returns (objects, kube_manifest) for one cluster."""
    spec = next(c for c in seed_aws.CLUSTERS if c["name"] == cluster)
    region = spec["region"]
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    t_ns = now - datetime.timedelta(days=90)
    t_sa = now - datetime.timedelta(days=60)
    t_old_pod = now - datetime.timedelta(days=30)
    t_annot = now - datetime.timedelta(days=10)
    t_new_pod = now - datetime.timedelta(days=2)

    objs = []
    man = {"namespaces": namespaces(cluster), "service_accounts": [], "workloads": [],
           "pods": [], "pods_predating_annotation": [], "pods_mutated": [],
           "annotation_time_key": ANNOTATED_AT,
           "times": {"namespaces": _ts(t_ns), "service_accounts": _ts(t_sa),
                     "old_pods": _ts(t_old_pod), "role_annotation": _ts(t_annot),
                     "new_pods": _ts(t_new_pod)}}

    for ns in namespaces(cluster):
        objs.append({"apiVersion": "v1", "kind": "Namespace",
                     "metadata": {"name": ns, "uid": _uid(cluster, "ns", ns),
                                  "creationTimestamp": _ts(t_ns),
                                  "labels": {"kubernetes.io/metadata.name": ns}},
                     "spec": {"finalizers": ["kubernetes"]},
                     "status": {"phase": "Active"}})

    entries = list(SERVICE_ACCOUNTS[cluster])
    declared = {(ns, n) for ns, n, _, _ in entries}
    for ns in namespaces(cluster):
        if (ns, "default") not in declared:
            entries.append((ns, "default", None, None))
    entries.sort(key=lambda e: (e[0], e[1]))

    for ns, name, binding, workload in entries:
        annotations = {}
        role_arn = None
        key = None
        kind = "unbound"
        if binding:
            parts = binding.split(":")
            if parts[0] == "role":
                key, role_name = ROLE_KEY, parts[1]
            else:  # typo:<key>:<role>
                key, role_name = parts[1], parts[2]
            role_arn = seed_aws.role_arn(role_name)
            annotations[key] = role_arn
            annotations[ANNOTATED_AT] = _ts(t_annot)
            role = next((r for r in seed_aws.ROLES if r["name"] == role_name), None)
            if key != ROLE_KEY:
                kind = "typo_annotation_key"
            elif role is not None and role["kind"] == "missing":
                kind = "missing_role"
            elif role is not None and role["wrong"]:
                kind = "wrong_role"
            else:
                kind = "bound_correctly"
        opts = SA_OPTIONS.get((cluster, ns, name), {})
        annotations.update(opts.get("sa_annotations", {}))
        md = {"name": name, "namespace": ns, "uid": _uid(cluster, "sa", ns, name),
              "creationTimestamp": _ts(t_ns if name == "default" else t_sa)}
        if annotations:
            md["annotations"] = annotations
        sa_obj = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": md}
        # A bound account's pods need no Kubernetes API token (IRSA032);
        # the webhook's token is projected whatever this says.
        if key == ROLE_KEY and not opts.get("automount"):
            sa_obj["automountServiceAccountToken"] = False
        objs.append(sa_obj)
        sa_entry = {"namespace": ns, "name": name, "kind": kind,
                    "annotation_key": key, "role_arn": role_arn,
                    "annotated_at": _ts(t_annot) if binding else None,
                    "automount_token": "automountServiceAccountToken" not in sa_obj}
        if role_arn:
            rn = role_arn.rsplit("/", 1)[1]
            r = next((r for r in seed_aws.ROLES if r["name"] == rn), None)
            sa_entry["role_wrong"] = r["wrong"] if r else []
        man["service_accounts"].append(sa_entry)

        if not workload:
            continue
        wkind, replicas, mutated = workload
        # unbound SAs: pods are simply old; bound: mutated decides the age
        pod_time = t_new_pod if mutated and "pod_role" not in opts else t_old_pod
        wname = name if name != "default" else f"{ns}-app"
        labels = {"app.kubernetes.io/name": wname}
        # The pod template does not carry the webhook's injection (it never
        # does: the webhook mutates pods, not templates).
        tmpl_container = _container(wname, f"public.ecr.aws/shop/{wname}:1.4.2")
        if "keys_secret" in opts:
            _static_keys(tmpl_container, opts["keys_secret"])
        tmpl_spec = {"containers": [tmpl_container]}
        if opts.get("host_network"):
            tmpl_spec["hostNetwork"] = True
        if name != "default":
            tmpl_spec["serviceAccountName"] = name
        w_uid = _uid(cluster, wkind, ns, wname)
        wspec = {"selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels}, "spec": tmpl_spec}}
        if wkind != "DaemonSet":
            wspec["replicas"] = replicas
        if wkind == "StatefulSet":
            wspec["serviceName"] = wname
        status = {"observedGeneration": 1, "replicas": replicas,
                  "readyReplicas": replicas, "availableReplicas": replicas}
        if wkind == "DaemonSet":
            status = {"observedGeneration": 1, "currentNumberScheduled": replicas,
                      "desiredNumberScheduled": replicas, "numberReady": replicas,
                      "numberMisscheduled": 0, "numberAvailable": replicas,
                      "updatedNumberScheduled": replicas}
        objs.append({"apiVersion": "apps/v1", "kind": wkind,
                     "metadata": {"name": wname, "namespace": ns, "uid": w_uid,
                                  "generation": 1, "labels": labels,
                                  "creationTimestamp": _ts(t_old_pod)},
                     "spec": wspec, "status": status})
        man["workloads"].append({"kind": wkind, "namespace": ns, "name": wname,
                                 "service_account": name})

        if wkind == "Deployment":
            rs_hash = _short_hash(cluster, ns, wname)
            owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                     "name": f"{wname}-{rs_hash}", "uid": _uid(cluster, "rs", ns, wname),
                     "controller": True, "blockOwnerDeletion": True}
            prefix = f"{wname}-{rs_hash}-"
        else:
            owner = {"apiVersion": "apps/v1", "kind": wkind, "name": wname, "uid": w_uid,
                     "controller": True, "blockOwnerDeletion": True}
            prefix = f"{wname}-"
        for i in range(replicas):
            pname = (f"{wname}-{i}" if wkind == "StatefulSet"
                     else prefix + _short_hash(cluster, ns, wname, str(i), n=5))
            inj = bool(mutated) and role_arn is not None and key == ROLE_KEY
            pod_role = (seed_aws.role_arn(opts["pod_role"]) if "pod_role" in opts
                        else role_arn)
            c = _container(wname, f"public.ecr.aws/shop/{wname}:1.4.2",
                           role_arn=pod_role, region=region, mutated=inj)
            if "keys_secret" in opts:
                _static_keys(c, opts["keys_secret"])
            pspec = {"serviceAccountName": name, "serviceAccount": name,
                     "containers": [c], "nodeName": f"ip-10-0-{i + 1}-17.ec2.internal",
                     "restartPolicy": "Always"}
            if opts.get("host_network"):
                pspec["hostNetwork"] = True
            if inj:
                pspec["volumes"] = [{"name": "aws-iam-token", "projected": {
                    "defaultMode": 420, "sources": [{"serviceAccountToken": {
                        "audience": "sts.amazonaws.com", "expirationSeconds": 86400,
                        "path": "token"}}]}}]
            plabels = dict(labels)
            if wkind == "Deployment":
                plabels["pod-template-hash"] = rs_hash
            objs.append({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": pname, "namespace": ns,
                                      "uid": _uid(cluster, "pod", ns, pname),
                                      "labels": plabels,
                                      "creationTimestamp": _ts(pod_time),
                                      "ownerReferences": [owner]},
                         "spec": pspec,
                         "status": {"phase": "Running", "podIP": f"10.0.{i + 1}.{40 + i}",
                                    "hostIP": f"10.0.{i + 1}.17",
                                    "startTime": _ts(pod_time),
                                    "conditions": [{"type": "Ready", "status": "True"}],
                                    "containerStatuses": [{
                                        "name": wname, "ready": True, "started": True,
                                        "restartCount": 0, "image": c["image"],
                                        "imageID": c["image"],
                                        "state": {"running": {"startedAt": _ts(pod_time)}}}]}})
            ref = f"{ns}/{pname}"
            man["pods"].append({"namespace": ns, "name": pname, "service_account": name,
                                "owner": f"{wkind}/{wname}", "created": _ts(pod_time),
                                "mutated": inj})
            if role_arn and (not mutated or "pod_role" in opts):
                man["pods_predating_annotation"].append(ref)
            if inj:
                man["pods_mutated"].append(ref)
    man["counts"] = {}
    for o in objs:
        man["counts"][o["kind"]] = man["counts"].get(o["kind"], 0) + 1
    return objs, man


BULK_CLUSTER = "shop-prod"
BULK_NAMESPACE = "bulk"
BULK_BIND_EVERY = 5  # every 5th bulk SA names shop-prod-orders, whose trust does not admit it
MAX_BULK = 200000


def add_bulk(cluster, objs, man, n, now=None, roles=0):
    """Adds namespace `bulk` with n service accounts bulk-sa-000001... to a
    cluster's seed (objs, man from build()), for large-list tests: every
    BULK_BIND_EVERY-th is annotated with shop-prod-orders' ARN (not admitted:
    that trust admits only orders/orders-api), the rest unbound. No pods.
    The manifest gets a `bulk` summary, not one entry per account.
    roles: the first `roles` of the other accounts (seed_aws.bulk_role_sa)
    are annotated with bulk role i (seed_aws --extra-roles), whose trust
    admits exactly that account."""
    if roles and seed_aws.bulk_role_sa(roles) > n:
        raise ValueError(f"{roles} bulk roles need more than {n} bulk service accounts")
    role_of = {seed_aws.bulk_role_sa(i): i for i in range(1, roles + 1)}
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    t = _ts(now - datetime.timedelta(days=60))
    objs.append({"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": BULK_NAMESPACE, "uid": _uid(cluster, "ns", BULK_NAMESPACE),
                              "creationTimestamp": t,
                              "labels": {"kubernetes.io/metadata.name": BULK_NAMESPACE}},
                 "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    objs.append({"apiVersion": "v1", "kind": "ServiceAccount",
                 "metadata": {"name": "default", "namespace": BULK_NAMESPACE,
                              "uid": _uid(cluster, "sa", BULK_NAMESPACE, "default"),
                              "creationTimestamp": t}})
    arn = seed_aws.role_arn("shop-prod-orders")
    bound = 0
    for i in range(1, n + 1):
        md = {"name": f"bulk-sa-{i:06d}", "namespace": BULK_NAMESPACE,
              "uid": _uid(cluster, "sa", BULK_NAMESPACE, str(i)), "creationTimestamp": t}
        if i % BULK_BIND_EVERY == 0:
            md["annotations"] = {ROLE_KEY: arn}
            bound += 1
        elif i in role_of:
            md["annotations"] = {ROLE_KEY: seed_aws.role_arn(
                seed_aws.BULK_ROLE_FORMAT.format(role_of[i]))}
        objs.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": md})
    man["bulk"] = {"namespace": BULK_NAMESPACE, "service_accounts": n + 1, "bound": bound,
                   "bound_role_arn": arn, "name_format": "bulk-sa-%06d",
                   "bound_to_bulk_roles": roles}
    man["counts"] = {}
    for o in objs:
        man["counts"][o["kind"]] = man["counts"].get(o["kind"], 0) + 1


def expected_audit(issuers, extra_sas=0, extra_roles=0):
    """The findings `irsa audit` must report on the sandbox, every check
    over every cluster, as [{"check", "cluster", "ref"}] sorted by ref (refs
    as core/audit.h audit_finding_ref() makes them). Derived from the seed
    tables: the roles' "wrong" ids placed by seed_aws's *_SCOPE sets, and
    what follows from the tables alone (OIDC providers, typo'd keys, pods
    that predate their annotation, unused roles, aws-node, the bulk
    accounts); the two must agree (ValueError otherwise), so that a wrong
    list cannot silently drift from the seed. issuers: cluster -> URL."""
    roles = {r["name"]: r for r in seed_aws.ROLES}
    out, derived = set(), {}  # derived: role name -> ids the tables imply

    def add(check, cluster, ref):
        out.add((check, cluster, f"{check}:{cluster}:{ref}"))

    def imply(role, check):
        derived.setdefault(role, set()).add(check)

    by_cluster = {}
    for c in seed_aws.CLUSTERS:
        entries = list(SERVICE_ACCOUNTS[c["name"]])
        by_cluster[c["name"]] = entries
        hp = seed_aws.hostpath(issuers[c["name"]])
        if not c["oidc_provider"]:
            add("IRSA001", c["name"], f"provider/{hp}")
        for ns, name, binding, workload in entries:
            if ns == "kube-system" and name == "aws-node" and not binding:
                add("IRSA033", c["name"], f"sa/{ns}/{name}")
            if not binding:
                continue
            parts = binding.split(":")
            rn = parts[-1]
            r = roles.get(rn)
            opts = SA_OPTIONS.get((c["name"], ns, name), {})
            if parts[0] == "typo":
                imply(rn, "IRSA015")
                continue
            if r is None or r["kind"] == "missing":
                imply(rn, "IRSA016")
                continue
            if workload and workload[2] is False:
                imply(rn, "IRSA026")
            if name == "default":
                imply(rn, "IRSA031")
            if workload and opts.get("automount"):
                imply(rn, "IRSA032")
            for p in r["policies"]:
                if p == "AdministratorAccess":
                    imply(rn, "IRSA020")
                elif p.endswith("FullAccess"):
                    imply(rn, "IRSA024")
    # IRSA019 (a): a role whose trust names a cluster's provider, and that no
    # account of that cluster references (typo'd keys count).
    for r in seed_aws.ROLES:
        if r["kind"] == "missing":
            continue
        trusted = {r["cluster"]} if r["kind"] != "other_issuer" else {
            seed_aws.other_cluster(r["cluster"])}
        for cl in trusted:
            if not any(b and b.split(":")[-1] == r["name"] for _, _, b, _ in by_cluster[cl]):
                imply(r["name"], "IRSA019")
                add("IRSA019", cl, f"role/{r['name']}")

    for r in seed_aws.ROLES:
        declared = set(r["wrong"])
        implied = derived.get(r["name"], set())
        # Checks the tables cannot imply are about the trust document: they
        # come from the "wrong" list only.
        missing = implied - declared
        extra = {w for w in declared - implied
                 if w not in seed_aws.ROLE_SCOPE | {"IRSA001", "IRSA010", "IRSA018", "IRSA027",
                                                   "IRSA028", "IRSA030"}}
        if missing or extra:
            raise ValueError(f"seed_aws.ROLES[{r['name']}].wrong is {sorted(declared)}; "
                             f"the seed tables imply {sorted(implied)}")
        cl = r["cluster"]
        sas = [f"sa/{ns}/{n}" for ns, n, b, _ in by_cluster[cl]
               if b and b.split(":")[-1] == r["name"]]
        for w in r["wrong"]:
            if w in seed_aws.ROLE_SCOPE:
                add(w, cl, f"role/{r['name']}")
            elif w in seed_aws.POLICY_SCOPE:
                for p in r["policies"]:
                    if p.endswith("FullAccess"):
                        add(w, cl, f"role/{r['name']}/policy/{p}")
            elif w in seed_aws.SA_SCOPE:
                for ref in sas:
                    add(w, cl, ref)
            elif w in seed_aws.PROVIDER_SCOPE:
                add(w, cl, f"provider/{seed_aws.hostpath(issuers[cl])}")
    # The bulk accounts (opt-in): every 5th names shop-prod-orders, whose
    # trust admits only orders/orders-api (IRSA010); those and the ones
    # bound to a bulk role have no pods (IRSA019 b); shop-prod-orders is then
    # bound in two namespaces (IRSA019 d).
    bulk_roles = {seed_aws.bulk_role_sa(i) for i in range(1, extra_roles + 1)}
    for i in range(1, extra_sas + 1):
        ref = f"sa/{BULK_NAMESPACE}/bulk-sa-{i:06d}"
        if i % BULK_BIND_EVERY == 0:
            add("IRSA010", BULK_CLUSTER, ref)
        if i % BULK_BIND_EVERY == 0 or i in bulk_roles:
            add("IRSA019", BULK_CLUSTER, ref)
    if extra_sas >= BULK_BIND_EVERY:
        add("IRSA019", BULK_CLUSTER, "role/shop-prod-orders")
    return [{"check": c, "cluster": cl, "ref": ref} for c, cl, ref in sorted(out, key=lambda x: x[2])]


def write_json(path, data, mode=0o600):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description="write the Kubernetes seed of one cluster")
    p.add_argument("--cluster", required=True, choices=sorted(SERVICE_ACCOUNTS))
    p.add_argument("--out", required=True)
    p.add_argument("--manifest")
    p.add_argument("--extra-service-accounts", type=int, default=0, metavar="N",
                   help=f"N more service accounts in namespace {BULK_NAMESPACE} (shop-prod only)")
    a = p.parse_args(argv)
    objs, man = build(a.cluster)
    if a.extra_service_accounts and a.cluster == BULK_CLUSTER:
        add_bulk(a.cluster, objs, man, a.extra_service_accounts)
    write_json(a.out, objs)
    if a.manifest:
        write_json(a.manifest, man)
    print(f"seed_kube: {a.cluster}: {man['counts']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
