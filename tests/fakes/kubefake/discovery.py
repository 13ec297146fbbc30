"""Version, legacy discovery and the OpenAPI v3 stub.

Discovery answers are always plain application/json, so kubectl, which asks
for aggregated discovery (apidiscovery.k8s.io/v2) first, falls back to the
legacy documents. /openapi/v3 lists one document per group-version; each
declares a PATCH operation per kind with the `fieldValidation` query parameter,
which is what kubectl's QueryParamVerifierV3 looks for before it sends
fieldValidation=Strict. There is no /openapi/v2 (404).
"""

import hashlib

from . import resources

VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.4",
           "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335", "gitTreeState": "clean",
           "buildDate": "2025-04-22T16:02:27Z", "goVersion": "go1.23.6", "compiler": "gc",
           "platform": "linux/amd64"}


def _api_resource(r):
    d = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
         "kind": r.kind, "verbs": r.verbs}
    if r.short_names:
        d["shortNames"] = list(r.short_names)
    if r.categories:
        d["categories"] = list(r.categories)
    d["storageVersionHash"] = hashlib.sha256(f"{r.api_version}/{r.kind}".encode()).hexdigest()[:11]
    return d


def api_versions(host):
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": host}]}


def api_group_list():
    groups = []
    for g in resources.NAMED_GROUPS:
        gv = {"groupVersion": f"{g}/v1", "version": "v1"}
        groups.append({"name": g, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group):
    if group not in resources.NAMED_GROUPS:
        return None
    gv = {"groupVersion": f"{group}/v1", "version": "v1"}
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": [gv],
            "preferredVersion": gv}


def resource_list(group, version):
    """APIResourceList for group/version ("" = core), or None if not served."""
    if version != "v1":
        return None
    items = [_api_resource(r) for r in resources.RESOURCES if r.group == group]
    if group == "":
        items.append(dict(resources.TOKEN_SUBRESOURCE))
    items += [dict(x) for x in resources.REVIEW_GROUPS.get(group, [])]
    if not items:
        return None
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version, "resources": items}


def _gv_path(group):
    return "api/v1" if group == "" else f"apis/{group}/v1"


def openapi_root():
    paths = {}
    for g in [""] + resources.NAMED_GROUPS:
        h = hashlib.sha256(_gv_path(g).encode()).hexdigest()[:32].upper()
        paths[_gv_path(g)] = {"serverRelativeURL": f"/openapi/v3/{_gv_path(g)}?hash={h}"}
    return {"paths": paths}


FIELD_VALIDATION_PARAM = {
    "name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": True},
    "description": "fieldValidation instructs the server on how to handle objects in the "
                   "request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid "
                   "values are: - Ignore - Warn - Strict"}


def openapi_gv(gv_path):
    """The OpenAPI v3 document of one group-version ('api/v1', 'apis/apps/v1'), or None."""
    group = "" if gv_path == "api/v1" else gv_path[len("apis/"):-len("/v1")]
    served = [r for r in resources.RESOURCES if r.group == group]
    if not served and group not in resources.REVIEW_GROUPS:
        return None
    paths = {}
    for r in served:
        base = f"/{gv_path}/namespaces/{{namespace}}/{r.plural}/{{name}}" if r.namespaced \
            else f"/{gv_path}/{r.plural}/{{name}}"
        paths[base] = {"patch": {
            "operationId": f"patch{r.kind}",
            "parameters": [FIELD_VALIDATION_PARAM],
            "x-kubernetes-action": "patch",
            "x-kubernetes-group-version-kind": {"group": group, "version": "v1",
                                                "kind": r.kind}}}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": VERSION["gitVersion"]},
            "paths": paths, "components": {"schemas": {}}}
