"""Loading the serve config and the seed file.

The config format is documented in tests/fakes/README.md. The seed is a JSON
list of full objects (Namespace, ServiceAccount, Pod, Deployment, StatefulSet,
DaemonSet); namespaces are loaded first, every namespaced object needs its
namespace in the seed, and a given creationTimestamp, uid or status is kept.
"""

import json
import os

from . import defaults, resources, validation

REQUIRED = ("pki_dir", "cluster_name")


class ConfigError(Exception):
    pass


def load(path):
    try:
        with open(path) as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError(f"cannot read config {path}: {e}") from None
    missing = [k for k in REQUIRED if not cfg.get(k)]
    if missing:
        raise ConfigError(f"config {path}: missing {', '.join(missing)}")
    for name in ("server.pem", "server-key.pem", "ca.pem", "sa-signing-key.pem"):
        if not os.path.exists(os.path.join(cfg["pki_dir"], name)):
            raise ConfigError(f"pki_dir {cfg['pki_dir']}: no {name} (run make-pki)")
    return cfg


def _resource_of(obj):
    api_version = obj.get("apiVersion", "")
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    res = resources.BY_KIND.get((group, obj.get("kind")))
    if res is None or api_version != res.api_version:
        raise ConfigError(f"seed: unsupported apiVersion/kind {api_version}/{obj.get('kind')}")
    return res


def load_seed(path, store):
    try:
        with open(path) as f:
            objects = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError(f"cannot read seed {path}: {e}") from None
    if not isinstance(objects, list):
        raise ConfigError(f"seed {path}: want a JSON list of objects")
    namespaces = resources.lookup("", "namespaces")
    for obj in sorted(objects, key=lambda o: o.get("kind") != "Namespace"):
        res = _resource_of(obj)
        md = obj.setdefault("metadata", {})
        if res.namespaced:
            md.setdefault("namespace", "default")
            if store.get(namespaces, "", md["namespace"]) is None:
                raise ConfigError(f"seed: {res.kind} {md.get('name')}: namespace "
                                  f"{md['namespace']!r} is not in the seed")
        else:
            md.pop("namespace", None)
        try:
            validation.check_name(res.kind, res.group, obj)
            defaults.on_create(res, obj, seed=True)
            store.create(res, obj)
        except Exception as e:
            raise ConfigError(f"seed: {res.kind} {md.get('name')}: {e}") from None
