#!/usr/bin/env python3
"""The irsa sandbox: moto (AWS IAM/STS/EKS) + one fake Kubernetes API server per
EKS cluster, on free loopback ports, seeded, with a kubeconfig and an env file.

    python3 tests/fakes/sandbox.py up     --dir DIR [--timeout SECONDS] [--extra-service-accounts N]
                                          [--extra-roles N]
    python3 tests/fakes/sandbox.py status --dir DIR
    python3 tests/fakes/sandbox.py down   --dir DIR [--timeout SECONDS]
    python3 tests/fakes/sandbox.py run [--keep] [--extra-service-accounts N] -- CMD ARGS...

`up` writes into DIR (mode 700):
  env             `export K='V'` lines (AWS_*, KUBECONFIG, IRSA_SANDBOX_*,
                  IRSA_CONNECT_TO), mode 600
  kubeconfig      like `aws eks update-kubeconfig`; contexts shop-prod,
                  shop-staging (exec aws eks get-token), shop-prod-token,
                  shop-prod-cert, shop-prod-viewer; current-context shop-prod
  aws-config, aws-credentials   profiles default/staging (irsa-admin), readonly
  aws-keys.json   access keys for the fake Kubernetes servers' token check
  manifest.json   what was seeded (AWS + Kubernetes), ports, urls, pids
  pids            "<pid> <name> <port>" per process (each is its own session)
  logs/           one log per process
  .irsa-sandbox   marker: `down` removes only directories that carry it

Each fake Kubernetes server also plays its cluster's OIDC issuer host
(oidc.eks.REGION.amazonaws.com, in the server certificate's SANs; the server
sends leaf + intermediate CA, pki/ca.pem is the root): IRSA_CONNECT_TO maps
each issuer host's port 443 to its server, AWS_CA_BUNDLE is pki/ca.pem.

Scale: --extra-service-accounts N (or IRSA_SANDBOX_EXTRA_SAS=N) adds a namespace
"bulk" to shop-prod with N more service accounts (seed_kube.add_bulk), for the
UI's large-list tests and benchmark; the default seed is unchanged.
--extra-roles N (or IRSA_SANDBOX_EXTRA_ROLES=N; needs enough extra service
accounts) adds N roles shop-prod-bulk-NNNNNN, each trusting exactly one bulk
service account, which is annotated with it (seed_aws.seed_bulk_roles), for
the audit benchmark (scripts/bench-audit).

manifest.json's "audit" lists the findings `irsa audit --all-contexts` must
report (seed_kube.expected_audit), and each role's "wrong" its check ids.

Failure injection for tests: IRSA_SANDBOX_FAIL_AT=<stage> makes `up` fail at
that stage (pki, start, seed-aws, seed-aws-partial, wait-kube, files) and clean up.
"""

import argparse
import base64
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import seed_aws  # noqa: E402
import seed_kube  # noqa: E402

MARKER = ".irsa-sandbox"
# IRSA_SANDBOX_KUBE_APISERVER: another implementation with the same CLI (testing)
KUBE_APISERVER = os.environ.get("IRSA_SANDBOX_KUBE_APISERVER") or os.path.join(
    HERE, "kube_apiserver.py")
MOTO_SERVER = os.path.join(HERE, "moto_server.py")
PROCESS_SCRIPTS = ("moto_server.py", "kube_apiserver.py")
DEFAULT_UP_TIMEOUT = 60.0
DEFAULT_DOWN_TIMEOUT = 10.0
SCRUB_ENV = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE",
             "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
             "AWS_CONTAINER_CREDENTIALS_FULL_URI",
             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CA_BUNDLE")


class SandboxError(Exception):
    pass


def progress(msg):
    print(f"sandbox: {msg}", file=sys.stderr, flush=True)


def fail_at(stage):
    if os.environ.get("IRSA_SANDBOX_FAIL_AT") == stage:
        raise SandboxError(f"failing at stage {stage!r} (IRSA_SANDBOX_FAIL_AT)")


def write_file(path, data, mode=0o600):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def write_json(path, data, mode=0o600):
    write_file(path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode)


def tail(path, n=15):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join("    | " + ln for ln in lines[-n:])
    except OSError:
        return "    | (no log)"


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def shell_quote(v):
    return "'" + str(v).replace("'", "'\\''") + "'"


# ----------------------------------------------------------------- processes

def proc_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        state = stat.rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def proc_cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def find_dir_processes(d):
    """pids of moto_server.py / kube_apiserver.py processes with d in their cmdline."""
    d = os.path.abspath(d)
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        pid = int(e)
        if pid == os.getpid():
            continue
        cl = proc_cmdline(pid)
        if d + "/" in cl and any(s in cl for s in PROCESS_SCRIPTS) and proc_alive(pid):
            out.append(pid)
    return out


def read_pids(d):
    out = []
    try:
        with open(os.path.join(d, "pids")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].isdigit():
                    port = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
                    out.append({"pid": int(parts[0]), "name": parts[1], "port": port})
    except OSError:
        pass
    return out


def stop_processes(d, entries, timeout=DEFAULT_DOWN_TIMEOUT):
    """SIGTERM each process group, SIGKILL after timeout, wait until gone.
    Only pids whose cmdline still mentions d are signalled (pid reuse)."""
    d = os.path.abspath(d)
    pids = set()
    for e in entries:
        pid = e["pid"]
        if proc_alive(pid) and d + "/" in proc_cmdline(pid):
            pids.add(pid)
    pids.update(find_dir_processes(d))

    def signal_all(sig):
        for pid in pids:
            try:
                os.killpg(pid, sig)      # each was started as a session leader
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass

    def reap():
        for pid in list(pids):
            try:
                os.waitpid(pid, os.WNOHANG)  # only works for our own children
            except ChildProcessError:
                pass

    if not pids:
        return []
    signal_all(signal.SIGTERM)
    deadline = time.time() + timeout
    while time.time() < deadline:
        reap()
        if not any(proc_alive(p) for p in pids):
            break
        time.sleep(0.05)
    else:
        signal_all(signal.SIGKILL)
        deadline = time.time() + 5
        while time.time() < deadline and any(proc_alive(p) for p in pids):
            reap()
            time.sleep(0.05)
    reap()
    return [p for p in pids if proc_alive(p)]


class Launcher:
    """Starts the sandbox processes, each in its own session, and remembers them."""

    def __init__(self, d):
        self.d = d
        self.procs = []   # dicts: name, pid, port, log, popen

    def start(self, name, argv, port):
        log = os.path.join(self.d, "logs", f"{name}.log")
        logf = open(log, "ab")
        env = dict(os.environ)
        for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env.pop(k, None)
        env["PYTHONUNBUFFERED"] = "1"
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                             start_new_session=True, close_fds=True, env=env, cwd=self.d)
        logf.close()
        entry = {"name": name, "pid": p.pid, "port": port, "log": log, "popen": p}
        self.procs.append(entry)
        with open(os.path.join(self.d, "pids"), "a") as f:
            f.write(f"{p.pid} {name} {port}\n")
        return entry

    def stop_all(self):
        left = stop_processes(self.d, self.procs)
        for e in self.procs:
            try:
                e["popen"].wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                pass
        self.procs = []
        try:
            os.unlink(os.path.join(self.d, "pids"))
        except OSError:
            pass
        return left


def wait_ready_file(entry, path, deadline, what):
    while time.time() < deadline:
        if os.path.exists(path):
            try:
                with open(path) as f:
                    return json.load(f)
            except (OSError, ValueError):
                pass
        rc = entry["popen"].poll()
        if rc is not None:
            raise SandboxError(f"{what} exited with status {rc} before it was ready; "
                               f"log {entry['log']}:\n{tail(entry['log'])}")
        time.sleep(0.05)
    raise SandboxError(f"{what} did not become ready in time; "
                       f"log {entry['log']}:\n{tail(entry['log'])}")


def http_get(url, *, ctx=None, headers=None, timeout=5):
    req = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=ctx))
    with opener.open(req, timeout=timeout) as r:
        return r.status, r.read()


# ----------------------------------------------------------------- up

def make_dir(d):
    if os.path.lexists(d):
        if not os.path.isdir(d) or os.path.islink(d):
            raise SandboxError(f"{d} exists and is not a directory")
        if os.path.exists(os.path.join(d, MARKER)):
            raise SandboxError(f"{d} already holds a sandbox; run `down --dir {d}` first")
        if os.listdir(d):
            raise SandboxError(f"{d} exists and is not empty")
        os.chmod(d, 0o700)
    else:
        os.makedirs(d, mode=0o700)
        os.chmod(d, 0o700)
    write_json(os.path.join(d, MARKER), {"created": time.time(), "by_pid": os.getpid()})
    os.makedirs(os.path.join(d, "logs"), mode=0o700, exist_ok=True)


def issuer_host(region):
    return f"oidc.eks.{region}.amazonaws.com"


def make_issuer(region):
    return f"https://{issuer_host(region)}/id/{secrets.token_hex(16).upper()}"


def connect_to(region, port):
    """curl --connect-to entry sending the region's issuer host to a local port."""
    return f"{issuer_host(region)}:443:127.0.0.1:{port}"


def kube_config(d, cluster, port, moto_url, issuer, tokens, admin_token):
    return {
        "cluster_name": cluster, "listen": "127.0.0.1", "port": port,
        "ready_file": os.path.join(d, f"kube-{cluster}.ready"),
        "pki_dir": os.path.join(d, "pki"),
        "service_account_issuer": issuer,
        "tokens": {tokens["admin"]: {"user": "admin", "groups": ["system:masters"]},
                   tokens["viewer"]: {"user": "viewer", "groups": ["viewers"]}},
        "aws_keys_file": os.path.join(d, "aws-keys.json"),
        "sts_endpoints": [moto_url],
        "iam_identity_mappings": [
            {"arn": seed_aws.user_arn("irsa-admin"), "username": "irsa-admin",
             "groups": ["system:masters"]},
            {"arn": seed_aws.user_arn("irsa-readonly"), "username": "irsa-readonly",
             "groups": ["viewers"]}],
        "rbac": [{"users": [], "groups": ["viewers"],
                  "rules": [{"verbs": ["get", "list", "watch"], "apiGroups": ["*"],
                             "resources": ["*"], "namespaces": ["*"]}]}],
        "admin_token": admin_token,
        "seed": os.path.join(d, f"seed-{cluster}.json"),
    }


def start_services(d, launcher, clusters, issuers, ca_data, tokens, admin_token, deadline):
    """One attempt: pick ports, start moto and the kube servers, wait for their
    ready files.  Returns (moto, {cluster: kube}) info dicts."""
    moto_port = free_port()
    kube_ports = {}
    while len(kube_ports) < len(clusters):
        p = free_port()
        if p != moto_port and p not in kube_ports.values():
            kube_ports[clusters[len(kube_ports)]["name"]] = p
    moto_url = f"http://127.0.0.1:{moto_port}"

    eks_map = {c["name"]: {"endpoint": f"https://127.0.0.1:{kube_ports[c['name']]}",
                           "ca_data": ca_data, "issuer": issuers[c["name"]]}
               for c in clusters}
    write_json(os.path.join(d, "moto-eks-clusters.json"), eks_map)
    for f in ["moto.ready"] + [f"kube-{c['name']}.ready" for c in clusters]:
        try:
            os.unlink(os.path.join(d, f))
        except OSError:
            pass

    moto = launcher.start("moto", [sys.executable, MOTO_SERVER, "--port", str(moto_port),
                                   "--ready-file", os.path.join(d, "moto.ready"),
                                   "--eks-clusters", os.path.join(d, "moto-eks-clusters.json")],
                          moto_port)
    kubes = {}
    for c in clusters:
        name = c["name"]
        cfg = kube_config(d, name, kube_ports[name], moto_url, issuers[name], tokens,
                          admin_token)
        cfg_path = os.path.join(d, f"kube-{name}.json")
        write_json(cfg_path, cfg)
        kubes[name] = launcher.start(f"kube-{name}",
                                     [sys.executable, KUBE_APISERVER, "serve",
                                      "--config", cfg_path], kube_ports[name])
    fail_at("start")
    info = wait_ready_file(moto, os.path.join(d, "moto.ready"), deadline, "moto server")
    moto_info = {"url": info["url"], "port": info["port"], "pid": moto["pid"],
                 "log": moto["log"]}
    return moto_info, kubes, kube_ports


def wait_kube(d, kubes, deadline, ca_path, admin_token):
    ctx = ssl.create_default_context(cafile=ca_path)
    out = {}
    for name, entry in kubes.items():
        info = wait_ready_file(entry, os.path.join(d, f"kube-{name}.ready"), deadline,
                               f"fake Kubernetes API server for {name}")
        url = info.get("url") or f"https://127.0.0.1:{info['port']}"
        last = None
        while True:
            try:
                st, body = http_get(url + "/api/v1/namespaces", ctx=ctx,
                                    headers={"Authorization": f"Bearer {admin_token}"})
                if st == 200:
                    n = len(json.loads(body).get("items", []))
                    if n == 0:
                        raise SandboxError("no namespaces (seed not loaded?)")
                    break
            except (urllib.error.URLError, OSError, ValueError, SandboxError) as e:
                last = e
            if entry["popen"].poll() is not None or time.time() > deadline:
                raise SandboxError(f"fake Kubernetes API server for {name} does not answer "
                                   f"GET {url}/api/v1/namespaces ({last}); log "
                                   f"{entry['log']}:\n{tail(entry['log'])}")
            time.sleep(0.1)
        out[name] = {"url": url, "port": info["port"], "pid": entry["pid"],
                     "log": entry["log"]}
    return out


def aws_files(d, users):
    admin, ro = users["irsa-admin"], users["irsa-readonly"]
    cfg = ("[default]\nregion = us-east-1\noutput = json\n\n"
           "[profile staging]\nregion = eu-west-1\noutput = json\n\n"
           "[profile readonly]\nregion = us-east-1\noutput = json\n")
    cred = ""
    for prof, u in (("default", admin), ("staging", admin), ("readonly", ro)):
        cred += (f"[{prof}]\naws_access_key_id = {u['access_key_id']}\n"
                 f"aws_secret_access_key = {u['secret_access_key']}\n\n")
    write_file(os.path.join(d, "aws-config"), cfg)
    write_file(os.path.join(d, "aws-credentials"), cred)


def kubeconfig(d, clusters_man, kube_info, moto_url, ca_data, tokens):
    pki = os.path.join(d, "pki")

    def b64file(p):
        with open(p, "rb") as f:
            return base64.b64encode(f.read()).decode()

    clusters, contexts, users = [], [], []
    exec_env = [{"name": "AWS_ENDPOINT_URL", "value": moto_url},
                {"name": "AWS_CONFIG_FILE", "value": os.path.join(d, "aws-config")},
                {"name": "AWS_SHARED_CREDENTIALS_FILE",
                 "value": os.path.join(d, "aws-credentials")},
                {"name": "AWS_PROFILE", "value": "default"},
                {"name": "AWS_EC2_METADATA_DISABLED", "value": "true"}]
    for name, c in clusters_man.items():
        arn = c["arn"]
        clusters.append({"cluster": {"certificate-authority-data": ca_data,
                                     "server": kube_info[name]["url"]}, "name": arn})
        users.append({"name": arn, "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "args": ["--region", c["region"], "eks", "get-token", "--cluster-name", name,
                     "--output", "json"],
            "command": "aws", "env": exec_env}}})
        contexts.append({"context": {"cluster": arn, "user": arn}, "name": name})
    prod_arn = clusters_man["shop-prod"]["arn"]
    users.append({"name": "shop-prod-admin-token", "user": {"token": tokens["admin"]}})
    users.append({"name": "shop-prod-admin-cert", "user": {
        "client-certificate-data": b64file(os.path.join(pki, "client-admin.pem")),
        "client-key-data": b64file(os.path.join(pki, "client-admin-key.pem"))}})
    users.append({"name": "shop-prod-viewer", "user": {"token": tokens["viewer"]}})
    contexts.append({"context": {"cluster": prod_arn, "user": "shop-prod-admin-token"},
                     "name": "shop-prod-token"})
    contexts.append({"context": {"cluster": prod_arn, "user": "shop-prod-admin-cert"},
                     "name": "shop-prod-cert"})
    contexts.append({"context": {"cluster": prod_arn, "user": "shop-prod-viewer",
                                 "namespace": "orders"},
                     "name": "shop-prod-viewer"})
    from collections import OrderedDict
    content = OrderedDict([("apiVersion", "v1"), ("clusters", clusters),
                           ("contexts", contexts), ("current-context", "shop-prod"),
                           ("kind", "Config"), ("preferences", OrderedDict()),
                           ("users", users)])
    try:
        from awscli.customizations.eks.ordered_yaml import ordered_yaml_dumps
        text = ordered_yaml_dumps(content)
    except Exception:
        import yaml
        text = yaml.safe_dump(json.loads(json.dumps(content)), default_flow_style=False,
                              sort_keys=False)
    write_file(os.path.join(d, "kubeconfig"), text)


def env_lines(d, manifest):
    admin = manifest["users"]["irsa-admin"]
    oidc = [c["oidc"] for c in manifest["clusters"].values()]
    no_proxy = ",".join(["127.0.0.1", "localhost"] + sorted({o["host"] for o in oidc}))
    kv = [
        ("AWS_ENDPOINT_URL", manifest["moto"]["url"]),
        ("AWS_ACCESS_KEY_ID", admin["access_key_id"]),
        ("AWS_SECRET_ACCESS_KEY", admin["secret_access_key"]),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", os.path.join(d, "aws-config")),
        ("AWS_SHARED_CREDENTIALS_FILE", os.path.join(d, "aws-credentials")),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("KUBECONFIG", os.path.join(d, "kubeconfig")),
        ("NO_PROXY", no_proxy),
        ("no_proxy", no_proxy),
        ("IRSA_SANDBOX_DIR", d),
        ("IRSA_SANDBOX_MANIFEST", os.path.join(d, "manifest.json")),
        ("IRSA_SANDBOX_MOTO_URL", manifest["moto"]["url"]),
        ("IRSA_SANDBOX_CA", os.path.join(d, "pki", "ca.pem")),
        ("IRSA_SANDBOX_FAKE_ADMIN_TOKEN", manifest["fake_admin_token"]),
        ("IRSA_SANDBOX_KUBE_ADMIN_TOKEN", manifest["kube_tokens"]["admin"]),
        ("IRSA_SANDBOX_KUBE_VIEWER_TOKEN", manifest["kube_tokens"]["viewer"]),
        # The issuers' hosts on loopback (OIDC discovery, thumbprint).
        ("IRSA_CONNECT_TO", ",".join(o["connect_to"] for o in oidc)),
        ("AWS_CA_BUNDLE", os.path.join(d, "pki", "ca.pem")),
    ]
    for name, c in manifest["clusters"].items():
        kv.append((f"IRSA_SANDBOX_KUBE_URL_{name.upper().replace('-', '_')}",
                   c["kube"]["url"]))
    return kv


def extra_sas_from_env():
    v = os.environ.get("IRSA_SANDBOX_EXTRA_SAS", "").strip()
    if not v:
        return 0
    try:
        n = int(v)
    except ValueError:
        n = -1
    if n < 0 or n > seed_kube.MAX_BULK:
        raise SandboxError(f"IRSA_SANDBOX_EXTRA_SAS must be a number from 0 to {seed_kube.MAX_BULK} "
                           f"(got {v!r})")
    return n


def extra_roles_from_env():
    v = os.environ.get("IRSA_SANDBOX_EXTRA_ROLES", "").strip()
    try:
        n = int(v) if v else 0
    except ValueError:
        n = -1
    if n < 0 or n > seed_aws.MAX_BULK_ROLES:
        raise SandboxError(f"IRSA_SANDBOX_EXTRA_ROLES must be a number from 0 to "
                           f"{seed_aws.MAX_BULK_ROLES} (got {v!r})")
    return n


def issuer_thumbprint(pki):
    """SHA-1 of the DER of the last certificate the issuers' hosts send (the
    intermediate CA), as oidc.h and IAM compute it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    with open(os.path.join(pki, "intermediate-ca.pem"), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    return cert.fingerprint(hashes.SHA1()).hex()


def up(d, timeout=DEFAULT_UP_TIMEOUT, extra_sas=None, extra_roles=None):
    d = os.path.abspath(d)
    if extra_sas is None:
        extra_sas = extra_sas_from_env()
    if extra_roles is None:
        extra_roles = extra_roles_from_env()
    if extra_roles and seed_aws.bulk_role_sa(extra_roles) > extra_sas:
        raise SandboxError(f"--extra-roles {extra_roles} needs --extra-service-accounts "
                           f"{seed_aws.bulk_role_sa(extra_roles)} or more")
    t0 = time.time()
    deadline = t0 + timeout
    if not os.path.exists(KUBE_APISERVER):
        raise SandboxError(f"{KUBE_APISERVER} is missing (fake Kubernetes API server)")
    make_dir(d)
    launcher = Launcher(d)
    try:
        return _up(d, launcher, t0, deadline, extra_sas, extra_roles)
    except BaseException:
        progress("up failed; stopping what was started")
        left = launcher.stop_all()
        left += stop_processes(d, [])
        if left:
            progress(f"warning: processes still alive: {left}")
        remove_dir(d)
        raise


def _up(d, launcher, t0, deadline, extra_sas=0, extra_roles=0):
    timings = {}
    clusters = seed_aws.CLUSTERS
    pki = os.path.join(d, "pki")
    # 1. PKI
    progress("making the test PKI")
    fail_at("pki")
    log = os.path.join(d, "logs", "pki.log")
    hosts = []
    for c in clusters:
        hosts += ["--dns-name", issuer_host(c["region"])]
    with open(log, "wb") as lf:
        rc = subprocess.run([sys.executable, KUBE_APISERVER, "make-pki", "--dir", pki,
                             "--client", "admin:system:masters", "--client", "viewer:viewers"]
                            + hosts,
                            stdin=subprocess.DEVNULL, stdout=lf, stderr=lf,
                            timeout=max(5, deadline - time.time())).returncode
    if rc != 0:
        raise SandboxError(f"kube_apiserver.py make-pki failed ({rc}); log {log}:\n{tail(log)}")
    with open(os.path.join(pki, "ca.pem"), "rb") as f:
        ca_data = base64.b64encode(f.read()).decode()
    timings["pki"] = round(time.time() - t0, 2)

    # 2. seeds and secrets (role ARNs are deterministic)
    tokens = {"admin": secrets.token_urlsafe(32), "viewer": secrets.token_urlsafe(32)}
    admin_token = secrets.token_urlsafe(32)
    issuers = {c["name"]: make_issuer(c["region"]) for c in clusters}
    kube_man = {}
    for c in clusters:
        objs, man = seed_kube.build(c["name"])
        if extra_sas and c["name"] == seed_kube.BULK_CLUSTER:
            seed_kube.add_bulk(c["name"], objs, man, extra_sas, roles=extra_roles)
        write_json(os.path.join(d, f"seed-{c['name']}.json"), objs)
        kube_man[c["name"]] = man

    # 3. processes (retry the whole start on a port race)
    progress("starting moto and the fake Kubernetes API servers")
    for attempt in range(3):
        try:
            moto, kubes, kube_ports = start_services(d, launcher, clusters, issuers, ca_data,
                                                     tokens, admin_token, deadline)
            break
        except SandboxError as e:
            logs = "".join(tail(p["log"], 50) for p in launcher.procs)
            if attempt < 2 and "Address already in use" in logs:
                progress("port race, retrying with new ports")
                launcher.stop_all()
                for p in os.listdir(os.path.join(d, "logs")):
                    if p != "pki.log":
                        os.unlink(os.path.join(d, "logs", p))
                continue
            raise
    timings["moto_ready"] = round(time.time() - t0, 2)

    # 4. seed AWS
    progress(f"seeding moto at {moto['url']}")
    fail_at("seed-aws")
    if os.environ.get("IRSA_SANDBOX_FAIL_AT") == "seed-aws-partial":
        seed_aws.reset_auth(moto["url"], 0)  # seeding then fails: AccessDenied/InvalidClientTokenId
    try:
        aws = seed_aws.seed(moto["url"], None, log=progress, thumbprint=issuer_thumbprint(pki),
                            extra_roles=extra_roles)
    except Exception as e:
        raise SandboxError(f"seeding moto failed: {type(e).__name__}: {e}; log "
                           f"{moto['log']}:\n{tail(moto['log'])}") from None
    timings["aws_seeded"] = round(time.time() - t0, 2)
    keys = {u["access_key_id"]: {"secret": u["secret_access_key"], "arn": u["arn"]}
            for u in aws["users"].values()}
    write_json(os.path.join(d, "aws-keys.json"), keys)

    # 5. Kubernetes servers answer (their seed was loaded at start)
    fail_at("wait-kube")
    kube_info = wait_kube(d, kubes, deadline, os.path.join(pki, "ca.pem"), tokens["admin"])
    timings["kube_ready"] = round(time.time() - t0, 2)

    # 6. files
    fail_at("files")
    manifest = dict(aws)
    manifest["dir"] = d
    manifest["moto"] = moto
    manifest["kube_tokens"] = tokens
    manifest["fake_admin_token"] = admin_token
    manifest["ca_file"] = os.path.join(pki, "ca.pem")
    manifest["created"] = datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    for name, c in manifest["clusters"].items():
        c["kube"] = dict(kube_info[name])
        c["kube"]["seed"] = kube_man[name]
        c["kube"]["context"] = name
        c["kube"]["config"] = os.path.join(d, f"kube-{name}.json")
        issuer = issuers[name]
        c["oidc"] = {"host": issuer_host(c["region"]),
                     "connect_to": connect_to(c["region"], kube_info[name]["port"]),
                     "discovery_url": issuer + "/.well-known/openid-configuration",
                     "jwks_uri": issuer + "/keys"}
    manifest["audit"] = seed_kube.expected_audit(
        {n: c["issuer"] for n, c in manifest["clusters"].items()}, extra_sas, extra_roles)
    manifest["processes"] = [{"name": p["name"], "pid": p["pid"], "port": p["port"],
                              "log": p["log"]} for p in launcher.procs]
    aws_files(d, aws["users"])
    kubeconfig(d, manifest["clusters"], kube_info, moto["url"], ca_data, tokens)
    timings["total"] = round(time.time() - t0, 2)
    manifest["timings"] = timings
    write_json(os.path.join(d, "manifest.json"), manifest)
    lines = ["# irsa sandbox: source this file",
             "unset " + " ".join(SCRUB_ENV)]
    lines += [f"export {k}={shell_quote(v)}" for k, v in env_lines(d, manifest)]
    write_file(os.path.join(d, "env"), "\n".join(lines) + "\n")
    progress(f"up in {timings['total']:.1f}s: moto {moto['url']}, " + ", ".join(
        f"{n} {kube_info[n]['url']}" for n in kube_info) + f"; source {d}/env")
    return manifest


# ----------------------------------------------------------------- down/status

def is_sandbox(d):
    return os.path.isfile(os.path.join(d, MARKER))


def remove_dir(d):
    if is_sandbox(d):
        shutil.rmtree(d, ignore_errors=True)
        if os.path.exists(d):
            shutil.rmtree(d)


def down(d, timeout=DEFAULT_DOWN_TIMEOUT):
    d = os.path.abspath(d)
    if not os.path.exists(d):
        stray = find_dir_processes(d)
        if stray:
            stop_processes(d, [], timeout)
        progress(f"{d} does not exist; nothing to do")
        return 0
    if not is_sandbox(d):
        raise SandboxError(f"{d} is not a sandbox directory (no {MARKER}); not touching it")
    entries = read_pids(d)
    left = stop_processes(d, entries, timeout)
    if left:
        raise SandboxError(f"processes did not exit: {left}")
    deadline = time.time() + 5
    busy = [e["port"] for e in entries if e["port"]]
    while busy and time.time() < deadline:
        busy = [p for p in busy if port_open(p, 0.2)]
        if busy:
            time.sleep(0.1)
    if busy:
        raise SandboxError(f"ports still open after stopping: {busy}")
    remove_dir(d)
    progress(f"down: stopped {len(entries)} processes, removed {d}")
    return 0


def status(d):
    d = os.path.abspath(d)
    if not is_sandbox(d):
        print(f"{d}: not a sandbox", file=sys.stderr)
        return 3
    ok = True
    for e in read_pids(d):
        alive = proc_alive(e["pid"]) and d + "/" in proc_cmdline(e["pid"])
        listening = bool(e["port"]) and port_open(e["port"])
        ok = ok and alive and listening
        print(f"{e['name']:<20} pid {e['pid']:<8} port {e['port']}  "
              f"{'running' if alive else 'DEAD'}  {'listening' if listening else 'CLOSED'}")
    if not read_pids(d):
        print("no processes recorded")
        ok = False
    return 0 if ok else 1


# ----------------------------------------------------------------- run

def parse_env_file(path):
    env = dict(os.environ)
    for k in SCRUB_ENV:
        env.pop(k, None)
    import shlex
    with open(path) as f:
        for line in f:
            if line.startswith("export "):
                k, _, v = line[len("export "):].rstrip("\n").partition("=")
                env[k] = shlex.split(v)[0] if v else ""
    return env


def run(cmd, keep=False, timeout=DEFAULT_UP_TIMEOUT, extra_sas=None, extra_roles=None):
    if not cmd:
        raise SandboxError("run: no command given (use: run -- CMD ARGS...)")
    base = tempfile.mkdtemp(prefix="irsa-sandbox.")
    d = os.path.join(base, "sb")
    rc = 1
    child = None
    received = []

    def on_signal(sig, frame):
        received.append(sig)
        if child is not None and child.poll() is None:
            try:
                child.send_signal(sig)
            except OSError:
                pass
        else:
            raise KeyboardInterrupt

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM,
                                                      signal.SIGHUP)}
    try:
        up(d, timeout, extra_sas, extra_roles)
        env = parse_env_file(os.path.join(d, "env"))
        child = subprocess.Popen(cmd, env=env)
        while True:
            try:
                rc = child.wait()
                break
            except KeyboardInterrupt:
                continue
        if rc < 0:
            rc = 128 - rc
    except KeyboardInterrupt:
        rc = 130
    except SandboxError as e:
        progress(f"error: {e}")
        rc = 1
    finally:
        for s in old:
            signal.signal(s, signal.SIG_IGN)   # down must not be interrupted
        try:
            if keep and os.path.exists(d):
                progress(f"--keep: sandbox left running in {d}")
            else:
                if os.path.exists(d):
                    down(d)
                shutil.rmtree(base, ignore_errors=True)
        except SandboxError as e:
            progress(f"error during down: {e}")
            rc = rc or 1
        for s, h in old.items():
            signal.signal(s, h)
    return rc


def main(argv=None):
    ap = argparse.ArgumentParser(description="irsa test sandbox (moto + fake Kubernetes)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("up", "down", "status"):
        sp = sub.add_parser(name)
        sp.add_argument("--dir", required=True)
        if name != "status":
            sp.add_argument("--timeout", type=float,
                            default=DEFAULT_UP_TIMEOUT if name == "up" else DEFAULT_DOWN_TIMEOUT)
        if name == "up":
            sp.add_argument("--extra-service-accounts", type=int, default=None, metavar="N",
                            help="N more service accounts in namespace bulk of shop-prod")
            sp.add_argument("--extra-roles", type=int, default=None, metavar="N",
                            help="N roles bound to bulk service accounts (audit benchmark)")
    rp = sub.add_parser("run")
    rp.add_argument("--keep", action="store_true")
    rp.add_argument("--timeout", type=float, default=DEFAULT_UP_TIMEOUT)
    rp.add_argument("--extra-service-accounts", type=int, default=None, metavar="N",
                    help="N more service accounts in namespace bulk of shop-prod")
    rp.add_argument("--extra-roles", type=int, default=None, metavar="N",
                    help="N roles bound to bulk service accounts (audit benchmark)")
    rp.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "up":
            def on_term(sig, frame):
                raise KeyboardInterrupt
            signal.signal(signal.SIGTERM, on_term)
            signal.signal(signal.SIGHUP, on_term)
            try:
                up(a.dir, a.timeout, a.extra_service_accounts, a.extra_roles)
            except KeyboardInterrupt:
                progress("interrupted")
                return 130
            return 0
        if a.cmd == "down":
            return down(a.dir, a.timeout)
        if a.cmd == "status":
            return status(a.dir)
        cmd = a.command
        if cmd and cmd[0] == "--":
            cmd = cmd[1:]
        return run(cmd, a.keep, a.timeout, a.extra_service_accounts, a.extra_roles)
    except SandboxError as e:
        progress(f"error: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
