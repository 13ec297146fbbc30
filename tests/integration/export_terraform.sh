#!/usr/bin/env bash
# tests/integration/export_terraform.sh - `irsa plan` exports checked with
# the tools that will read them, offline: the fixture plans in
# tests/data/plans (written by tests/unit/test_plan_json) go through
# tests/integration/export_check (plan_from_json + export_plan) and
#   Terraform: `terraform fmt -check` (the export is already formatted), the
#     unit tests' golden file, and `terraform validate` of its AWS part when
#     an aws provider is on disk (IRSA_TF_PLUGIN_DIR, default /opt/tf-plugins;
#     no kubernetes provider offline, so its resources are left out there);
#   shell: `sh -n`, then run with stub aws/kubectl recording their argv,
#     which must be each step's command as shlex splits it; and each command
#     parsed by the real aws CLI and kubectl against a closed loopback port
#     (an argument they reject fails before connecting);
#   YAML: `kubectl annotate --local -f` decodes it as a ServiceAccount with
#     exactly the plan's annotations.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
src=${IRSA_SRCDIR:-.}
irsa=${IRSA_BIN:-./irsa}
export_check=$(dirname "$irsa")/tests/integration/export_check
[ -x "$export_check" ] || bail_out "tests/integration/export_check not built"
command -v terraform >/dev/null 2>&1 || skip_all "terraform not found"
py=$(command -v "${PYTHON3:-python3}") || bail_out "python3 not found"
plugins=${IRSA_TF_PLUGIN_DIR:-/opt/tf-plugins}

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-export.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
# Terraform: no update checks, and its CLI config warning out of the way.
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

plans="fresh merge client-id"
goldens=$(cd "$src/tests/data/export" && ls ./*.tf ./*.sh)
tap_plan $((9 * 3 + $(printf '%s\n' "$goldens" | grep -c .)))

skip() { tap_result 0 "$1 # SKIP $2"; }

# check.py: what the shell side cannot do well (argv lists, JSON).
cat >"$dir/check.py" <<'EOF'
import json, os, shlex, subprocess, sys

def commands(plan):
    """Each step's command split as sh would, '&&' separating commands."""
    out = []
    for step in json.load(open(plan))["steps"]:
        cur = []
        for w in shlex.split(step["command"]):
            if w == "&&":
                out.append(cur)
                cur = []
            else:
                cur.append(w)
        out.append(cur)
    return out

def stub(log, name, args):
    with open(log, "a") as f:
        f.write(json.dumps([name] + args) + "\n")

def compare_stub(plan, log):
    want = commands(plan)
    got = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
    if got != want:
        print("got:  %s\nwant: %s" % (json.dumps(got, indent=1), json.dumps(want, indent=1)))
        return 1
    return 0

def cli_parse(plan, tmp):
    """Runs each command with the real tool against a closed port: it must
    get as far as connecting."""
    p = json.load(open(plan))
    kubeconfig = os.path.join(tmp, "kubeconfig")
    ctx = p["context"] or "current"
    with open(kubeconfig, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "Config", "current-context": ctx,
                   "clusters": [{"name": "closed", "cluster": {"server": "https://127.0.0.1:9"}}],
                   "users": [{"name": "u", "user": {"token": "t"}}],
                   "contexts": [{"name": ctx, "context": {"cluster": "closed", "user": "u"}}]}, f)
    env = dict(os.environ, AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
               AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, KUBECONFIG=kubeconfig)
    env.pop("AWS_PROFILE", None)
    bad = 0
    for argv in commands(plan):
        if argv[0] == "kubectl":
            argv = argv + ["--request-timeout=5s"]
            reached = "127.0.0.1:9"
        else:
            reached = "Could not connect to the endpoint URL"
        r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if reached not in r.stderr or "unknown flag" in r.stderr:
            print("%s\n  exit %d: %s" % (shlex.join(argv), r.returncode, r.stderr.strip()[-600:]))
            bad += 1
    return 1 if bad else 0

def yaml_matches(plan, decoded):
    p = json.load(open(plan))
    o = json.load(open(decoded))
    want = {a["key"]: a["after"] for a in p["annotations"] if a["after"] is not None}
    want["irsa.dev/decoded"] = "1"
    got = (o["apiVersion"], o["kind"], o["metadata"]["name"], o["metadata"]["namespace"],
           o["metadata"].get("annotations"))
    exp = ("v1", "ServiceAccount", p["serviceAccount"], p["namespace"], want)
    if got != exp:
        print("got:  %r\nwant: %r" % (got, exp))
        return 1
    return 0

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "stub":
        stub(os.environ["STUB_LOG"], sys.argv[2], sys.argv[3:])
        sys.exit(0)
    sys.exit({"compare-stub": compare_stub, "cli-parse": cli_parse, "yaml": yaml_matches}[cmd](*sys.argv[2:]))
EOF

# Stubs first on PATH: record the argv, succeed.
mkdir -p "$dir/stubs"
for tool in aws kubectl; do
	printf '#!/bin/sh\nexec "%s" "%s" stub %s "$@"\n' "$py" "$dir/check.py" "$tool" >"$dir/stubs/$tool"
	chmod +x "$dir/stubs/$tool"
done

# The AWS part of an export: without the kubernetes resources and provider.
aws_only() {
	awk '/^resource "kubernetes_/ { skip = 1 }
	     /^    kubernetes = \{/ { kskip = 1 }
	     !skip && !kskip { print }
	     kskip && /^    \}/ { kskip = 0 }
	     skip && /^\}/ { skip = 0 }' "$1"
}
validate_dir=""
if [ -d "$plugins/registry.terraform.io/hashicorp/aws" ]; then
	validate_dir="$dir/validate"
	mkdir -p "$validate_dir"
	printf 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n' \
		>"$validate_dir/main.tf"
	(cd "$validate_dir" && terraform init -plugin-dir="$plugins" -backend=false -input=false -no-color) \
		>"$dir/init.log" 2>&1 || validate_dir=""
fi

for name in $plans; do
	plan="$src/tests/data/plans/$name.json"
	mkdir -p "$dir/$name"
	out="$dir/$name"

	# JSON: read and written back, byte for byte
	"$export_check" json "$plan" >"$out/plan.json" 2>"$out/err"
	check "$name: the plan JSON reads back unchanged" cmp "$plan" "$out/plan.json"

	# Terraform
	"$export_check" terraform "$plan" >"$out/main.tf" 2>"$out/err"
	is "$?" 0 "$name: export_check terraform exits 0"
	check "$name: terraform fmt -check passes" terraform fmt -check -diff -no-color "$out/main.tf"
	check "$name: the Terraform export matches tests/data/export/$name.tf" \
		diff -u "$src/tests/data/export/$name.tf" "$out/main.tf"
	if [ -n "$validate_dir" ]; then
		aws_only "$out/main.tf" >"$validate_dir/main.tf"
		check "$name: terraform validate passes on its AWS part" \
			sh -c "cd '$validate_dir' && terraform validate -no-color"
	else
		skip "$name: terraform validate passes on its AWS part" "no aws provider in $plugins"
	fi

	# shell
	"$export_check" shell "$plan" >"$out/run.sh" 2>"$out/err"
	check "$name: sh -n accepts the shell export" sh -n "$out/run.sh"
	check "$name: run with stubs, sh passes each step's command as its words" \
		sh -c "PATH='$dir/stubs':\$PATH STUB_LOG='$out/stub.log' sh '$out/run.sh' &&
			'$py' '$dir/check.py' compare-stub '$plan' '$out/stub.log'"
	if command -v aws >/dev/null 2>&1 && command -v kubectl >/dev/null 2>&1; then
		check "$name: the real aws CLI and kubectl accept every command" \
			"$py" "$dir/check.py" cli-parse "$plan" "$out"
	else
		skip "$name: the real aws CLI and kubectl accept every command" "aws or kubectl not found"
	fi

	# YAML
	"$export_check" yaml "$plan" >"$out/sa.yaml" 2>"$out/err"
	if command -v kubectl >/dev/null 2>&1; then
		KUBECONFIG=/dev/null kubectl annotate --local -f "$out/sa.yaml" -o json irsa.dev/decoded=1 \
			>"$out/sa.json" 2>"$out/err"
		check "$name: kubectl decodes the YAML export with the plan's annotations" \
			"$py" "$dir/check.py" yaml "$plan" "$out/sa.json"
	else
		skip "$name: kubectl decodes the YAML export with the plan's annotations" "kubectl not found"
	fi
done

# Every golden file of the unit tests, also those without a fixture plan.
for f in $goldens; do
	case "$f" in
	*.tf) check "golden ${f#./}: terraform fmt -check passes" \
		terraform fmt -check -diff -no-color "$src/tests/data/export/$f" ;;
	*.sh) check "golden ${f#./}: sh -n accepts it" sh -n "$src/tests/data/export/$f" ;;
	esac
done

tap_done
