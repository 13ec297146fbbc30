"""REST semantics of the stored resources: get, list, create, update (PUT), patch, delete.

Works on a Context (request info, query, headers, body, user, shared state) and
returns (HTTP code, JSON body, extra headers). Follows the generic registry of
k8s.io/apiserver: namespaces must exist for namespaced creates, AlreadyExists
and Conflict on POST and stale resourceVersion, status ignored on writes for
types with a status subresource, metadata.resourceVersion in a patch as a
precondition, dryRun=All, Table replies when kubectl asks for them, and
deleting a namespace deletes everything in it (at once: no finalizers); a
write that changes a workload's pod template replaces its pods (controllers).
"""

import json
import random
import string

from . import controllers, defaults, errors, patch, protobuf, resources, selection, table
from . import validation

NAMESPACES = resources.lookup("", "namespaces")


def decode(ctx, res_kind, api_version, known_fields):
    """Request body -> (object dict, warnings). JSON or kubectl's protobuf."""
    media = ctx.content_type.split(";")[0].strip().lower()
    if media == protobuf.MEDIA_TYPE:
        return protobuf.decode_body(ctx.body), []
    if media in ("application/json", ""):
        mode = ctx.query.get("fieldValidation", "Warn")
        return validation.decode_json(ctx.body, known_fields, res_kind, api_version, mode)
    raise errors.unsupported_media_type(errors.BODY_TYPES)


def _typed(res, obj):
    """obj with this resource's apiVersion and kind first."""
    out = {"apiVersion": res.api_version, "kind": res.kind}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def _check_namespace_exists(ctx, ns):
    if ns and ctx.store.get(NAMESPACES, "", ns) is None:
        raise errors.not_found("namespaces", "", ns)


def _reply(ctx, res, code, obj, warnings=()):
    headers = {"Warning": [f'299 - "{w}"' for w in warnings]} if warnings else {}
    version = table.wants_table(ctx.headers.get("Accept"))
    if version and res.plural in table.PRINTERS:
        include = ctx.query.get("includeObject", "Metadata")
        return code, table.render(res, [obj], None, include, version), headers
    return code, _typed(res, obj), headers


def get(ctx, res):
    obj = ctx.store.get(res, ctx.info.namespace if res.namespaced else "", ctx.info.name)
    if obj is None:
        raise errors.not_found(res.plural, res.group, ctx.info.name)
    return _reply(ctx, res, 200, obj)


def list_(ctx, res):
    label_sel = ctx.query.get("labelSelector", "")
    field_sel = ctx.query.get("fieldSelector", "")
    lmatch = selection.parse_labels(label_sel)
    fmatch = selection.parse_fields(field_sel, res.plural)
    try:
        limit = int(ctx.query.get("limit", "0") or 0)
    except ValueError:
        raise errors.bad_request(f"invalid limit: {ctx.query['limit']!r}") from None
    items, meta = ctx.store.list(
        res, ctx.info.namespace if res.namespaced else "",
        lambda o: lmatch(o["metadata"].get("labels")) and fmatch(o),
        limit=max(limit, 0), cont=ctx.query.get("continue"),
        selective=bool(label_sel or field_sel))
    version = table.wants_table(ctx.headers.get("Accept"))
    if version and res.plural in table.PRINTERS:
        include = ctx.query.get("includeObject", "Metadata")
        return 200, table.render(res, items, meta, include, version), {}
    for o in items:
        o.pop("apiVersion", None)
        o.pop("kind", None)
    return 200, {"kind": res.kind + "List", "apiVersion": res.api_version,
                 "metadata": meta, "items": items}, {}


def _body_namespace(ctx, res, obj):
    md = obj.setdefault("metadata", {})
    if not isinstance(md, dict):
        raise errors.bad_request("metadata must be an object")
    if not res.namespaced:
        md.pop("namespace", None)
        return
    if md.get("namespace") and md["namespace"] != ctx.info.namespace:
        raise errors.bad_request("the namespace of the provided object does not match the "
                                 "namespace sent on the request")
    md["namespace"] = ctx.info.namespace


def _dry_run(ctx):
    return ctx.query.get("dryRun") == "All"


def create(ctx, res):
    obj, warnings = decode(ctx, res.kind, res.api_version, res.fields)
    _body_namespace(ctx, res, obj)
    md = obj["metadata"]
    if not md.get("name") and md.get("generateName"):
        md["name"] = md["generateName"] + "".join(
            random.choices(string.ascii_lowercase + string.digits, k=5))
    validation.check_name(res.kind, res.group, obj)
    _check_namespace_exists(ctx, md.get("namespace"))
    obj = _typed(res, obj)
    defaults.on_create(res, obj)
    if _dry_run(ctx):
        if ctx.store.get(res, md.get("namespace", ""), md["name"]) is not None:
            raise errors.already_exists(res.plural, res.group, md["name"])
        return _reply(ctx, res, 201, obj, warnings)
    created = ctx.store.create(res, obj)
    if res is NAMESPACES and ctx.controllers:
        controllers.ensure_default_service_account(ctx.store, md["name"])
    return _reply(ctx, res, 201, created, warnings)


def _current(ctx, res):
    ns = ctx.info.namespace if res.namespaced else ""
    cur = ctx.store.get(res, ns, ctx.info.name)
    if cur is None:
        raise errors.not_found(res.plural, res.group, ctx.info.name)
    return cur


def _save(ctx, res, cur, new, precondition):
    defaults.on_update(res, cur, new)
    if _dry_run(ctx):
        new["metadata"]["resourceVersion"] = cur["metadata"]["resourceVersion"]
        return new
    with ctx.store.lock:
        saved = ctx.store.update(res, new, precondition)
        if ctx.controllers and controllers.template_changed(cur, saved):
            controllers.roll_out(ctx.store, saved, controllers.issuer_region(ctx.issuer))
    return saved


def update(ctx, res):
    obj, warnings = decode(ctx, res.kind, res.api_version, res.fields)
    _body_namespace(ctx, res, obj)
    name = obj["metadata"].get("name", "")
    if name != ctx.info.name:
        raise errors.bad_request(f"the name of the object ({name}) does not match the name on "
                                 f"the URL ({ctx.info.name})")
    cur = _current(ctx, res)
    rv = obj["metadata"].get("resourceVersion")
    if rv and rv != cur["metadata"]["resourceVersion"]:
        raise errors.conflict(res.plural, res.group, name)
    saved = _save(ctx, res, cur, _typed(res, obj), rv or cur["metadata"]["resourceVersion"])
    return _reply(ctx, res, 200, saved, warnings)


def patch_(ctx, res):
    cur = _current(ctx, res)
    new = patch.apply(ctx.content_type, cur, ctx.body)
    if not isinstance(new, dict) or not isinstance(new.get("metadata"), dict):
        raise errors.bad_request("the patched object is not a valid object")
    name = ctx.info.name
    if new["metadata"].get("name") != name:
        raise errors.bad_request(f"the name of the object ({new['metadata'].get('name')}) does "
                                 f"not match the name on the URL ({name})")
    if res.namespaced and new["metadata"].get("namespace") != ctx.info.namespace:
        raise errors.bad_request("the namespace of the provided object does not match the "
                                 "namespace sent on the request")
    rv = new["metadata"].get("resourceVersion")
    if rv != cur["metadata"]["resourceVersion"]:
        raise errors.conflict(res.plural, res.group, name)
    return _reply(ctx, res, 200, _save(ctx, res, cur, _typed(res, new), rv))


def _delete_preconditions(ctx, res, cur):
    media = ctx.content_type.split(";")[0].strip().lower()
    if not ctx.body or media not in ("application/json", ""):
        return
    try:
        pre = json.loads(ctx.body).get("preconditions") or {}
    except (ValueError, AttributeError):
        raise errors.bad_request("error decoding DeleteOptions") from None
    md = cur["metadata"]
    if pre.get("uid") and pre["uid"] != md["uid"]:
        raise errors.precondition_failed(res.plural, res.group, res.kind, ctx.info.name, "UID",
                                         pre["uid"], md["uid"])
    if pre.get("resourceVersion") and pre["resourceVersion"] != md["resourceVersion"]:
        raise errors.precondition_failed(res.plural, res.group, res.kind, ctx.info.name,
                                         "ResourceVersion", pre["resourceVersion"],
                                         md["resourceVersion"])


# NamespaceLifecycle admission refuses to delete these.
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")


def delete(ctx, res):
    cur = _current(ctx, res)
    if res is NAMESPACES and ctx.info.name in IMMORTAL_NAMESPACES:
        raise errors.ApiError(403, "Forbidden", f'namespaces "{ctx.info.name}" is forbidden: '
                              "this namespace may not be deleted",
                              {"name": ctx.info.name, "kind": "namespaces"})
    _delete_preconditions(ctx, res, cur)
    name, ns = ctx.info.name, ctx.info.namespace if res.namespaced else ""
    if not _dry_run(ctx):
        if res is NAMESPACES:
            for group, plural, child in ctx.store.namespace_contents(name):
                ctx.store.delete(resources.lookup(group, plural), name, child)
        ctx.store.delete(res, ns, name)
    if res is NAMESPACES:
        cur["metadata"]["deletionTimestamp"] = defaults.now_rfc3339()
        cur.setdefault("status", {})["phase"] = "Terminating"
    if res.returns_object_on_delete:
        return _reply(ctx, res, 200, cur)
    return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                 "details": {"name": name, "group": res.group, "kind": res.plural,
                             "uid": cur["metadata"]["uid"]}}, {}


HANDLERS = {"get": get, "list": list_, "create": create, "update": update, "patch": patch_,
            "delete": delete}


def handle(ctx, res):
    fn = HANDLERS.get(ctx.info.verb)
    if fn is None or (ctx.info.verb == "create" and ctx.info.name):
        raise errors.method_not_allowed()
    return fn(ctx, res)
