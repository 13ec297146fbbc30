"""HTTP/1.1 over TLS: sockets, threads, keep-alive, the ready file and clean shutdown.

ThreadingHTTPServer whose TLS handshake runs in the connection's own thread
(a slow or failing client cannot stall accept). Client certificates are
optional (CERT_OPTIONAL against ca.pem). Responses always carry
Content-Length so connections stay alive. SIGTERM/SIGINT stop the server:
listening and open connections are closed, the ready file is removed, exit 0.
"""

import json
import os
import signal
import socket
import ssl
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import app as app_mod
from . import config as config_mod
from . import controllers, jwt
from .store import Store

IDLE_TIMEOUT = 60


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubefake"
    sys_version = ""
    timeout = IDLE_TIMEOUT

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self):
        body = self._read_body()
        req = app_mod.Request(self.command, self.path, self.headers, body,
                              self.connection.getpeercert() or {})
        reply = self.server.app.handle(req)
        if reply is app_mod.DROP:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            self.log_message('"%s" dropped (fault)', self.requestline)
            return
        code, payload, headers = reply
        if isinstance(payload, str):
            data, ctype = payload.encode(), "text/plain; charset=utf-8"
        else:
            data, ctype = json.dumps(payload).encode(), "application/json"
        self.send_response(code)
        self.send_header("Audit-Id", str(uuid.uuid4()))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            for v in value if isinstance(value, list) else [value]:
                self.send_header(name, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("kube-apiserver(fake) %s %s\n" % (self.address_string(),
                                                               fmt % args))


class TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, ssl_ctx, verbose):
        super().__init__(addr, Handler)
        self.ssl_ctx = ssl_ctx
        self.verbose = verbose
        self.app = None
        self.conns = set()
        self.conns_lock = threading.Lock()

    def finish_request(self, request, client_address):
        request.settimeout(IDLE_TIMEOUT)
        # Headers and body go out in separate writes: without this, Nagle plus the
        # client's delayed ACK add ~40 ms to every response.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.ssl_ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            if self.verbose:
                sys.stderr.write(f"kube-apiserver(fake) TLS handshake failed: {e}\n")
            request.close()
            return
        with self.conns_lock:
            self.conns.add(tls)
        try:
            Handler(tls, client_address, self)
        except (ConnectionError, ssl.SSLError, socket.timeout):
            pass
        finally:
            with self.conns_lock:
                self.conns.discard(tls)
            tls.close()

    def close_connections(self):
        with self.conns_lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _ssl_context(pki):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(pki, "server.pem"), os.path.join(pki, "server-key.pem"))
    ctx.load_verify_locations(os.path.join(pki, "ca.pem"))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def _write_ready(path, info):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(info, f)
    os.replace(tmp, path)


def serve(config_path, verbose=False):
    """Runs until SIGTERM/SIGINT. Returns the process exit code."""
    def log(msg):
        if verbose:
            sys.stderr.write(f"kube-apiserver(fake) {msg}\n")

    cfg = config_mod.load(config_path)
    store = Store()
    store.continue_ttl = cfg.get("continue_ttl_seconds", store.continue_ttl)
    if cfg.get("seed"):
        config_mod.load_seed(cfg["seed"], store)
    if cfg.get("cluster_defaults", True):
        controllers.bootstrap(store)
    signer = jwt.Signer(os.path.join(cfg["pki_dir"], "sa-signing-key.pem"))
    server = TLSServer((cfg.get("listen", "127.0.0.1"), int(cfg.get("port", 0))),
                       _ssl_context(cfg["pki_dir"]), verbose)
    host, port = server.server_address[:2]
    url = f"https://{host}:{port}"
    server.app = app_mod.App(cfg, store, signer, url, log)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    thread.start()
    ready = cfg.get("ready_file")
    if ready:
        _write_ready(ready, {"port": port, "pid": os.getpid(), "url": url})
    log(f"serving {url} for cluster {cfg['cluster_name']}")
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.close_connections()
    server.server_close()
    thread.join(5)
    if ready:
        try:
            os.unlink(ready)
        except FileNotFoundError:
            pass
    log("stopped")
    return 0
