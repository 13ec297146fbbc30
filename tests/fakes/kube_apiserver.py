#!/usr/bin/env python3
"""Fake Kubernetes API server for irsa's tests (see tests/fakes/README.md).

  kube_apiserver.py make-pki --dir DIR [--client NAME:GROUP1,GROUP2 ...] [--dns-name NAME ...]
  kube_apiserver.py serve --config CONFIG.json [--verbose]

The implementation is the kubefake package beside this script.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubefake import config, pki, server  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(prog="kube_apiserver.py", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("make-pki", help="write CA, server, client and SA signing keys")
    mk.add_argument("--dir", required=True)
    mk.add_argument("--client", action="append", default=[], metavar="NAME:GROUP1,GROUP2")
    mk.add_argument("--dns-name", action="append", default=[], metavar="NAME",
                    help="another DNS name for the server certificate (an OIDC issuer's host)")
    sv = sub.add_parser("serve", help="serve until SIGTERM/SIGINT")
    sv.add_argument("--config", required=True)
    sv.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args(argv)
    try:
        if args.command == "make-pki":
            pki.make_pki(args.dir, [pki.parse_client_spec(c) for c in args.client],
                         args.dns_name)
            return 0
        return server.serve(args.config, args.verbose)
    except (config.ConfigError, ValueError, OSError) as e:
        print(f"kube_apiserver.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
