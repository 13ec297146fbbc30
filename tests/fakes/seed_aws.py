#!/usr/bin/env python3
"""Seed a moto server (tests/fakes/moto_server.py) with the irsa test world.

    python3 tests/fakes/seed_aws.py --endpoint http://127.0.0.1:PORT \
        --manifest OUT.json [--no-enforce] [--no-verify]

Over HTTP with boto3 (unsigned-equivalent: enforcement is still off while
seeding), then turns enforcement on (POST /moto-api/reset-auth, text/plain
body "0") and verifies that signatures and policies are enforced.

What is seeded (account 123456789012, moto's default):
  users  irsa-admin    inline policy iam:*, sts:*, eks:*      + access key
         irsa-readonly inline policy iam:Get*, iam:List*, eks:Describe*,
                       eks:List*, sts:GetCallerIdentity       + access key
  EKS    shop-prod (us-east-1), shop-staging (eu-west-1); one cluster per
         region because moto gives every cluster of a region the same issuer
         unless moto_server.py was given explicit issuers.
  IAM OIDC provider for shop-prod's issuer only (client id sts.amazonaws.com).
  roles  see ROLES below (name -> what is wrong, which SA it is meant for).

The manifest (JSON) lists clusters, oidc providers, roles (arn, exists,
wrong = audit check ids, problem text, intended service account) and users
with their keys.  Role ARNs are deterministic (role_arn(name)), so the
Kubernetes seed can be written before AWS is seeded.

Library use: seed(endpoint, manifest_path=None) -> manifest dict.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

ACCOUNT = "123456789012"
AUD = "sts.amazonaws.com"
THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

CLUSTERS = [
    {"name": "shop-prod", "region": "us-east-1", "oidc_provider": True,
     "version": "1.32"},
    {"name": "shop-staging", "region": "eu-west-1", "oidc_provider": False,
     "version": "1.31"},
]

ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["iam:*", "sts:*", "eks:*"],
                   "Resource": "*"}],
}
READONLY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow",
                   "Action": ["iam:Get*", "iam:List*", "eks:Describe*",
                              "eks:List*", "sts:GetCallerIdentity"],
                   "Resource": "*"}],
}
USERS = [("irsa-admin", ADMIN_POLICY), ("irsa-readonly", READONLY_POLICY)]

# kind -> how the trust policy is built (see trust_policy()).
# sa = "namespace:name" the role is meant for (the SA that references it in
# the Kubernetes seed); wrong = audit-checks.md ids this role should trigger.
ROLES = [
    {"name": "shop-prod-orders", "cluster": "shop-prod", "kind": "correct",
     "sa": "orders:orders-api", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": [], "problem": None},
    {"name": "shop-prod-payments", "cluster": "shop-prod", "kind": "correct",
     "sa": "payments:payments-api", "policies": ["AmazonDynamoDBReadOnlyAccess"],
     "wrong": ["IRSA026"], "problem": "role is fine; the SA's pods predate its "
     "annotation (not mutated by the webhook)"},
    {"name": "shop-prod-gateway", "cluster": "shop-prod", "kind": "correct",
     "sa": "payments:payments-gateway", "policies": ["AmazonSQSReadOnlyAccess"],
     "wrong": ["IRSA015"], "problem": "role is fine; the SA uses the typo'd annotation "
     "key eks.amazonaws.com/role_arn"},
    {"name": "shop-prod-orders-web", "cluster": "shop-prod", "kind": "correct",
     "sa": "orders:orders-web", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA015"], "problem": "role is fine; the SA uses the typo'd annotation "
     "key eks.amazonaws.io/role-arn"},
    {"name": "shop-prod-reporter-no-sub", "cluster": "shop-prod", "kind": "no_sub",
     "sa": "analytics:reporter", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA005"],
     "problem": "trust has only the aud condition, no sub: any SA of "
     "shop-prod can assume it"},
    {"name": "shop-prod-worker-wildcard-equals", "cluster": "shop-prod",
     "kind": "wildcard_equals", "sa": "orders:orders-worker",
     "policies": ["AmazonSQSFullAccess"], "wrong": ["IRSA007", "IRSA024"],
     "problem": "StringEquals sub = system:serviceaccount:orders:* (a wildcard "
     "inside StringEquals never matches: binding broken)"},
    {"name": "shop-prod-ledger-other-issuer", "cluster": "shop-prod",
     "kind": "other_issuer", "sa": "payments:payments-ledger",
     "policies": ["AmazonDynamoDBReadOnlyAccess"], "wrong": ["IRSA012", "IRSA019"],
     "problem": "trust names only shop-staging's issuer (principal and keys), "
     "not shop-prod's (and no SA of shop-staging uses it: IRSA019 there)"},
    {"name": "shop-prod-refunds-mismatched-keys", "cluster": "shop-prod",
     "kind": "mismatched_keys", "sa": "payments:payments-refunds",
     "policies": ["AmazonDynamoDBReadOnlyAccess"], "wrong": ["IRSA011"],
     "problem": "Principal.Federated is shop-prod's provider but the condition "
     "keys use shop-staging's issuer"},
    {"name": "shop-prod-batch-ec2-mixed", "cluster": "shop-prod",
     "kind": "service_mixed", "sa": "orders:orders-batch",
     "policies": ["AmazonS3ReadOnlyAccess"], "wrong": ["IRSA013"],
     "problem": "second statement trusts Service ec2.amazonaws.com "
     "(sts:AssumeRole) without aws:SourceAccount"},
    {"name": "shop-prod-etl-admin", "cluster": "shop-prod", "kind": "correct",
     "sa": "analytics:etl", "policies": ["AdministratorAccess"],
     "wrong": ["IRSA020"], "problem": "AdministratorAccess attached"},
    {"name": "shop-prod-notebook-ns-wildcard", "cluster": "shop-prod",
     "kind": "stringlike_ns", "sa": "analytics:notebook",
     "policies": ["AmazonS3ReadOnlyAccess"], "wrong": ["IRSA006", "IRSA026"],
     "problem": "pods predate the annotation; StringLike sub = system:serviceaccount:analytics:* "
     "(any SA of the namespace)"},
    {"name": "shop-prod-notify-sub-mismatch", "cluster": "shop-prod",
     "kind": "sub_mismatch", "sa": "orders:orders-notify",
     "trust_sa": "orders:orders-notifier", "policies": ["AmazonSQSFullAccess"],
     "wrong": ["IRSA010", "IRSA024"],
     "problem": "trust admits orders:orders-notifier, the SA that references "
     "it is orders:orders-notify"},
    {"name": "shop-prod-analytics-default", "cluster": "shop-prod",
     "kind": "correct", "sa": "analytics:default",
     "policies": ["AmazonS3ReadOnlyAccess"], "wrong": ["IRSA031"],
     "problem": "bound to the namespace's default ServiceAccount"},
    {"name": "shop-prod-unused", "cluster": "shop-prod", "kind": "correct",
     "sa": "orders:orders-legacy", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA019"], "problem": "no ServiceAccount references it "
     "(orders-legacy does not exist)", "unreferenced": True},
    {"name": "shop-prod-fraud-missing", "cluster": "shop-prod", "kind": "missing",
     "sa": "payments:payments-fraud", "policies": [], "wrong": ["IRSA016"],
     "problem": "referenced by a ServiceAccount but does not exist"},
    {"name": "shop-staging-orders", "cluster": "shop-staging", "kind": "correct",
     "sa": "orders:orders-api", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA001"], "problem": "trust is right but shop-staging's issuer "
     "has no IAM OIDC provider"},
    {"name": "shop-staging-payments-no-sub", "cluster": "shop-staging",
     "kind": "no_sub", "sa": "payments:payments-api",
     "policies": ["AmazonDynamoDBReadOnlyAccess"], "wrong": ["IRSA001", "IRSA005", "IRSA026"],
     "problem": "aud-only trust (and no OIDC provider for the issuer); the SA's "
     "pods predate its annotation"},
    {"name": "shop-staging-missing", "cluster": "shop-staging", "kind": "missing",
     "sa": "analytics:reporter", "policies": [], "wrong": ["IRSA016"],
     "problem": "referenced by a ServiceAccount but does not exist"},
    # One service account each (namespace platform of shop-prod) for the
    # workload and annotation checks, each bound to a role of its own with a
    # correct trust, so that nothing else fires (seed_kube.SA_OPTIONS says
    # what is special about the account or its pods).
    {"name": "shop-prod-search", "cluster": "shop-prod", "kind": "correct",
     "sa": "platform:search", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA018"], "problem": "the SA's eks.amazonaws.com/token-expiration "
     "is 300 (below the webhook's minimum of 600)"},
    {"name": "shop-prod-exporter", "cluster": "shop-prod", "kind": "correct",
     "sa": "platform:exporter", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA027"], "problem": "the SA's pods still carry AWS_ROLE_ARN of "
     "the role it was bound to before (shop-prod-exporter-v1)"},
    {"name": "shop-prod-metrics", "cluster": "shop-prod", "kind": "correct",
     "sa": "platform:metrics-agent", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA030"], "problem": "the SA's DaemonSet pods use hostNetwork"},
    {"name": "shop-prod-uploader", "cluster": "shop-prod", "kind": "correct",
     "sa": "platform:uploader", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA028"], "problem": "the SA's pods also get AWS_ACCESS_KEY_ID "
     "and AWS_SECRET_ACCESS_KEY from a Secret"},
    {"name": "shop-prod-mailer", "cluster": "shop-prod", "kind": "correct",
     "sa": "platform:mailer", "policies": ["AmazonS3ReadOnlyAccess"],
     "wrong": ["IRSA032"], "problem": "the SA and its pods leave "
     "automountServiceAccountToken on (every other bound SA turns it off)"},
]

# Where each audit check's finding is reported (its ref, core/audit.h
# audit_finding_ref), for the ids a role's "wrong" lists: about the role, one
# of its AWS managed policies, the service account(s) of its cluster that
# reference it, or its cluster's OIDC provider. IRSA019 is derived
# (expected_audit() in seed_kube.py checks the lists against what it derives).
ROLE_SCOPE = {"IRSA005", "IRSA006", "IRSA007", "IRSA008", "IRSA009", "IRSA011",
              "IRSA012", "IRSA013", "IRSA014", "IRSA020"}
POLICY_SCOPE = {"IRSA024"}
SA_SCOPE = {"IRSA010", "IRSA015", "IRSA016", "IRSA017", "IRSA018", "IRSA026",
            "IRSA027", "IRSA028", "IRSA030", "IRSA031", "IRSA032"}
PROVIDER_SCOPE = {"IRSA001", "IRSA002", "IRSA003"}

# --extra-roles N (sandbox.py; IRSA_SANDBOX_EXTRA_ROLES): N roles
# shop-prod-bulk-000001... for the audit benchmark, each trusting exactly one
# bulk service account of shop-prod (seed_kube.add_bulk annotates it), with
# AmazonS3ReadOnlyAccess, the shared customer managed policy below and one
# inline policy, so that every per-role call of the audit has work.
BULK_ROLE_FORMAT = "shop-prod-bulk-{:06d}"
BULK_POLICY = "shop-prod-bulk-read"
MAX_BULK_ROLES = 5000


def bulk_role_sa(i):
    """The bulk service account bulk role i (1-based) is for: one of the
    accounts seed_kube.add_bulk leaves unbound (not every 5th)."""
    return i + (i - 1) // 4

EKS_CLUSTER_ROLE = "eks-cluster-role"


def role_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def user_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def cluster_arn(name, region):
    return f"arn:aws:eks:{region}:{ACCOUNT}:cluster/{name}"


def provider_arn(issuer):
    return f"arn:aws:iam::{ACCOUNT}:oidc-provider/{hostpath(issuer)}"


def hostpath(issuer):
    h = issuer
    if h.startswith("https://"):
        h = h[len("https://"):]
    return h.rstrip("/")


def other_cluster(name):
    for c in CLUSTERS:
        if c["name"] != name:
            return c["name"]
    raise KeyError(name)


def _web_identity_stmt(principal_issuer, key_issuer, conditions):
    hp = hostpath(key_issuer)
    cond = {}
    for op, kv in conditions.items():
        cond[op] = {f"{hp}:{k}": v for k, v in kv.items()}
    return {"Effect": "Allow",
            "Principal": {"Federated": provider_arn(principal_issuer)},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": cond}


def trust_policy(role, issuers):
    """issuers: cluster name -> issuer URL."""
    own = issuers[role["cluster"]]
    other = issuers[other_cluster(role["cluster"])]
    ns, sa = role["sa"].split(":", 1)
    sub = f"system:serviceaccount:{ns}:{sa}"
    kind = role["kind"]
    if kind == "correct":
        stmts = [_web_identity_stmt(own, own, {"StringEquals": {"sub": sub, "aud": AUD}})]
    elif kind == "no_sub":
        stmts = [_web_identity_stmt(own, own, {"StringEquals": {"aud": AUD}})]
    elif kind == "wildcard_equals":
        stmts = [_web_identity_stmt(own, own, {"StringEquals": {
            "sub": f"system:serviceaccount:{ns}:*", "aud": AUD}})]
    elif kind == "other_issuer":
        stmts = [_web_identity_stmt(other, other, {"StringEquals": {"sub": sub, "aud": AUD}})]
    elif kind == "mismatched_keys":
        stmts = [_web_identity_stmt(own, other, {"StringEquals": {"sub": sub, "aud": AUD}})]
    elif kind == "service_mixed":
        stmts = [_web_identity_stmt(own, own, {"StringEquals": {"sub": sub, "aud": AUD}}),
                 {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                  "Action": "sts:AssumeRole"}]
    elif kind == "stringlike_ns":
        stmts = [_web_identity_stmt(own, own, {
            "StringLike": {"sub": f"system:serviceaccount:{ns}:*"},
            "StringEquals": {"aud": AUD}})]
    elif kind == "sub_mismatch":
        tns, tsa = role["trust_sa"].split(":", 1)
        stmts = [_web_identity_stmt(own, own, {"StringEquals": {
            "sub": f"system:serviceaccount:{tns}:{tsa}", "aud": AUD}})]
    else:
        raise ValueError(kind)
    return {"Version": "2012-10-17", "Statement": stmts}


_SESSION = []
_CLIENTS = {}


def _client(service, endpoint, region, key="seed", secret="seed"):
    ck = (service, endpoint, region, key, secret)
    if ck not in _CLIENTS:
        _CLIENTS[ck] = _new_client(*ck)
    return _CLIENTS[ck]


def _new_client(service, endpoint, region, key, secret):
    import boto3
    from botocore.config import Config
    if not _SESSION:
        _SESSION.append(boto3.session.Session())
    return _SESSION[0].client(
        service, endpoint_url=endpoint, region_name=region,
        aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 2, "mode": "standard"},
                      connect_timeout=5, read_timeout=60))


def reset_auth(endpoint, count):
    req = urllib.request.Request(
        endpoint.rstrip("/") + "/moto-api/reset-auth",
        data=str(count).encode(), method="POST",
        headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read().decode())


def seed(endpoint, manifest_path=None, enforce=True, verify=True, log=None,
         thumbprint=None, extra_roles=0):
    """thumbprint: the sandbox issuers' CA thumbprint (the providers' then
    match the live one: no IRSA003); extra_roles: see BULK_ROLE_FORMAT."""
    log = log or (lambda msg: None)
    thumbprint = thumbprint or THUMBPRINT
    manifest = {"account_id": ACCOUNT, "endpoint_url": endpoint,
                "clusters": {}, "oidc_providers": [], "roles": {}, "users": {}}

    iam = _client("iam", endpoint, "us-east-1")

    # Users and keys.
    for name, policy in USERS:
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy",
                            PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        manifest["users"][name] = {
            "arn": user_arn(name), "access_key_id": key["AccessKeyId"],
            "secret_access_key": key["SecretAccessKey"], "policy": policy}

    # EKS cluster service role (not an IRSA role).
    iam.create_role(RoleName=EKS_CLUSTER_ROLE, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName=EKS_CLUSTER_ROLE,
                           PolicyArn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy")

    # Clusters.
    issuers = {}
    for c in CLUSTERS:
        eks = _client("eks", endpoint, c["region"])
        out = eks.create_cluster(
            name=c["name"], version=c["version"], roleArn=role_arn(EKS_CLUSTER_ROLE),
            resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                                "securityGroupIds": ["sg-0123456789abcdef0"]},
            tags={"env": c["name"].split("-", 1)[1]})["cluster"]
        issuer = out["identity"]["oidc"]["issuer"]
        issuers[c["name"]] = issuer
        manifest["clusters"][c["name"]] = {
            "name": c["name"], "region": c["region"], "arn": out["arn"],
            "issuer": issuer, "endpoint": out["endpoint"],
            "version": out.get("version"), "oidc_provider_arn": None}
    if len(set(issuers.values())) != len(issuers):
        raise RuntimeError(f"clusters share an OIDC issuer: {issuers}")

    # OIDC providers (shop-prod only).
    for c in CLUSTERS:
        if not c["oidc_provider"]:
            continue
        arn = iam.create_open_id_connect_provider(
            Url=issuers[c["name"]], ClientIDList=[AUD],
            ThumbprintList=[thumbprint])["OpenIDConnectProviderArn"]
        manifest["clusters"][c["name"]]["oidc_provider_arn"] = arn
        manifest["oidc_providers"].append(
            {"arn": arn, "url": issuers[c["name"]], "client_ids": [AUD],
             "thumbprints": [thumbprint], "cluster": c["name"]})

    # Roles.
    for r in ROLES:
        entry = {"arn": role_arn(r["name"]), "cluster": r["cluster"],
                 "kind": r["kind"], "service_account": r["sa"],
                 "exists": r["kind"] != "missing", "wrong": r["wrong"],
                 "problem": r["problem"],
                 "referenced": not r.get("unreferenced", False),
                 "attached_policies": [f"arn:aws:iam::aws:policy/{p}"
                                       for p in r["policies"]],
                 "trust_policy": None}
        if r["kind"] != "missing":
            doc = trust_policy(r, issuers)
            iam.create_role(RoleName=r["name"], AssumeRolePolicyDocument=json.dumps(doc),
                            Description=r["problem"] or "correct IRSA role",
                            Tags=[{"Key": "irsa-test", "Value": r["kind"]}])
            for p in r["policies"]:
                iam.attach_role_policy(RoleName=r["name"],
                                       PolicyArn=f"arn:aws:iam::aws:policy/{p}")
            entry["trust_policy"] = doc
        manifest["roles"][r["name"]] = entry
    if extra_roles:
        manifest["bulk_roles"] = seed_bulk_roles(iam, issuers, extra_roles)
    log(f"seeded {len(USERS)} users, {len(CLUSTERS)} clusters, "
        f"{sum(1 for r in ROLES if r['kind'] != 'missing')} roles")

    if enforce:
        reset_auth(endpoint, 0)
        manifest["enforcement"] = True
        if verify:
            verify_enforcement(endpoint, manifest)
            log("moto enforces signatures and policies")
    else:
        manifest["enforcement"] = False

    if manifest_path:
        tmp = manifest_path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, manifest_path)
    return manifest


def seed_bulk_roles(iam, issuers, n):
    """Creates the n bulk roles (BULK_ROLE_FORMAT) and their shared customer
    managed policy. Returns the manifest's summary."""
    from seed_kube import BULK_NAMESPACE  # noqa: E402 (seed_kube imports this module)
    if n < 0 or n > MAX_BULK_ROLES:
        raise ValueError(f"extra roles: 0 to {MAX_BULK_ROLES}")
    own = issuers["shop-prod"]
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": ["arn:aws:s3:::shop-bulk", "arn:aws:s3:::shop-bulk/*"]}]}
    pol = iam.create_policy(PolicyName=BULK_POLICY, PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    inline = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sqs:SendMessage",
        "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:shop-bulk"}]})
    for i in range(1, n + 1):
        name = BULK_ROLE_FORMAT.format(i)
        sa = f"bulk-sa-{bulk_role_sa(i):06d}"
        trust = {"Version": "2012-10-17", "Statement": [_web_identity_stmt(own, own, {
            "StringEquals": {"sub": f"system:serviceaccount:{BULK_NAMESPACE}:{sa}", "aud": AUD}})]}
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
        iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        iam.attach_role_policy(RoleName=name, PolicyArn=pol)
        iam.put_role_policy(RoleName=name, PolicyName="send", PolicyDocument=inline)
    return {"roles": n, "name_format": BULK_ROLE_FORMAT.replace("{:06d}", "%06d"),
            "policy_arn": pol, "attached": 2, "inline": 1}


def _err_code(exc):
    from botocore.exceptions import ClientError
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "")
    return type(exc).__name__


def verify_enforcement(endpoint, manifest):
    """Raise RuntimeError unless moto rejects bad/unsigned requests and the
    admin key works for IAM, STS and EKS (GET)."""
    from botocore.exceptions import ClientError
    admin = manifest["users"]["irsa-admin"]
    ro = manifest["users"]["irsa-readonly"]
    problems = []

    # 1. unsigned request
    req = urllib.request.Request(
        endpoint + "/", data=b"Action=ListRoles&Version=2010-05-08", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                 "Host": "iam.amazonaws.com"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            problems.append(f"unsigned ListRoles answered {r.status}")
    except urllib.error.HTTPError as e:
        if e.code < 400:
            problems.append(f"unsigned ListRoles answered {e.code}")

    # 2. wrong secret
    for svc, call in (("iam", lambda c: c.list_roles()),
                      ("eks", lambda c: c.list_clusters())):
        bad = _client(svc, endpoint, "us-east-1", admin["access_key_id"], "x" * 40)
        try:
            call(bad)
            problems.append(f"{svc} with a wrong secret succeeded")
        except ClientError as e:
            code = _err_code(e)
            if svc == "iam" and code not in ("SignatureDoesNotMatch",
                                              "InvalidClientTokenId"):
                problems.append(f"{svc} with a wrong secret: unexpected {code}")

    # 3. admin works
    try:
        c = _client("iam", endpoint, "us-east-1", admin["access_key_id"],
                    admin["secret_access_key"])
        n = len(c.list_roles()["Roles"])
        if n < len(ROLES) - 2:
            problems.append(f"admin ListRoles returned only {n} roles")
        c = _client("sts", endpoint, "us-east-1", admin["access_key_id"],
                    admin["secret_access_key"])
        arn = c.get_caller_identity()["Arn"]
        if arn != admin["arn"]:
            problems.append(f"GetCallerIdentity says {arn}")
        for cl in manifest["clusters"].values():
            c = _client("eks", endpoint, cl["region"], admin["access_key_id"],
                        admin["secret_access_key"])
            names = c.list_clusters()["clusters"]
            if cl["name"] not in names:
                problems.append(f"ListClusters {cl['region']} lacks {cl['name']}")
            d = c.describe_cluster(name=cl["name"])["cluster"]
            if d["identity"]["oidc"]["issuer"] != cl["issuer"]:
                problems.append("DescribeCluster issuer differs")
    except ClientError as e:
        problems.append(f"admin call failed: {_err_code(e)}")

    # 4. readonly user: read ok, write denied
    c = _client("iam", endpoint, "us-east-1", ro["access_key_id"], ro["secret_access_key"])
    try:
        c.get_role(RoleName="shop-prod-orders")
    except ClientError as e:
        problems.append(f"readonly GetRole failed: {_err_code(e)}")
    try:
        c.create_role(RoleName="should-not-exist", AssumeRolePolicyDocument="{}")
        problems.append("readonly CreateRole succeeded")
    except ClientError as e:
        if _err_code(e) != "AccessDenied":
            problems.append(f"readonly CreateRole: unexpected {_err_code(e)}")

    # 5. a form body encoded differently from Python's urlencode (lower-case
    # %2f) but correctly signed over the raw bytes must pass (moto_server.py
    # raw-body patch).
    try:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        body = b"Action=ListRoles&Version=2010-05-08&PathPrefix=%2f"
        r = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        SigV4Auth(Credentials(admin["access_key_id"], admin["secret_access_key"]),
                  "iam", "us-east-1").add_auth(r)
        p = r.prepare()
        ureq = urllib.request.Request(p.url, data=body, method="POST",
                                      headers=dict(p.headers))
        with urllib.request.urlopen(ureq, timeout=10) as resp:
            resp.read()
    except urllib.error.HTTPError as e:
        problems.append(f"raw-body-signed ListRoles answered {e.code}")

    if problems:
        raise RuntimeError("moto enforcement check failed: " + "; ".join(problems))


def main(argv=None):
    p = argparse.ArgumentParser(description="seed moto for the irsa sandbox")
    p.add_argument("--endpoint", required=True)
    p.add_argument("--manifest", required=True)
    p.add_argument("--no-enforce", action="store_true")
    p.add_argument("--no-verify", action="store_true")
    a = p.parse_args(argv)
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    for k in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
              "AWS_ENDPOINT_URL"):
        os.environ.pop(k, None)
    m = seed(a.endpoint, a.manifest, enforce=not a.no_enforce,
             verify=not a.no_verify,
             log=lambda s: print("seed_aws: " + s, file=sys.stderr))
    print(f"seed_aws: manifest written to {a.manifest} "
          f"({len(m['roles'])} roles)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
