#!/usr/bin/env bash
# tests/integration/audit_sandbox.sh - the audit end to end on a fresh
# sandbox: `irsa audit --all-contexts -o json` finds exactly the findings
# the sandbox's manifest lists ("audit", derived from the seed by
# tests/fakes/seed_kube.py expected_audit): every seeded broken binding
# with the right check id, nothing on the correct ones; the exit status per
# --fail-on; --save-snapshot then --snapshot gives the same findings; and
# the collection (tests/integration/audit_collect_check, which drives
# core/audit_collect.c without the CLI) reads it all with the fewest
# requests: STS once, ListRoles, the providers, the account summary, a
# DescribeCluster per cluster, two calls per examined role, and five lists
# per API server, each read once.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
collect=$(dirname "$irsa")/tests/integration/audit_collect_check
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
[ -x "$collect" ] || bail_out "tests/integration/audit_collect_check not built"
for tool in python3 jq curl; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography, boto3' 2>/dev/null || skip_all "python3 cryptography or boto3 not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-audit-sandbox.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 17
sandbox_up "$dir/sb"
M=$IRSA_SANDBOX_MANIFEST

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$dir/err")
	RC=$?
	ERR=$(cat "$dir/err")
}
# "CHECK CLUSTER REF" lines, sorted: of the manifest, of an audit's JSON.
jq -r '.audit[] | "\(.check) \(.cluster) \(.ref)"' "$M" | sort >"$dir/want"
triples() { jq -r '.findings[] | "\(.check) \(.cluster) \(.ref)"' | sort; }
# The fake API servers' request counters (admin requests are not counted).
fake() { # CLUSTER METHOD PATH
	local var
	var=IRSA_SANDBOX_KUBE_URL_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $IRSA_SANDBOX_FAKE_ADMIN_TOKEN" \
		-X "$2" "${!var}$3"
}

# --- the whole sandbox, through the CLI ------------------------------------------
run "$irsa" audit --all-contexts -o json
printf '%s' "$OUT" >"$dir/audit.json"
is "$RC" 1 "audit --all-contexts: exit 1 (findings at or above the default --fail-on high)"
triples <"$dir/audit.json" >"$dir/got"
check "the findings are exactly the manifest's audit list (check, cluster, ref)" diff "$dir/want" "$dir/got"
is "$(jq '.findings | length' "$dir/audit.json")" "$(jq '.audit | length' "$M")" "as many findings as the manifest lists"

# Every role's "wrong" ids are found about that role or its service accounts;
# no finding names a correct role or an account bound to one.
python3 - "$M" "$dir/audit.json" >"$dir/roles.out" 2>&1 <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
found = json.load(open(sys.argv[2]))["findings"]
bad = []
for name, r in m["roles"].items():
    sas = set()
    for c in m["clusters"].values():
        for sa in c["kube"]["seed"]["service_accounts"]:
            if sa.get("role_arn") == r["arn"]:
                sas.add(f'sa/{sa["namespace"]}/{sa["name"]}')
    about = [f for f in found if f.get("roleArn") == r["arn"]
             or f["ref"].split(":", 2)[2].split("/policy/")[0] == f"role/{name}"
             or (f["cluster"] == r["cluster"] and f["ref"].split(":", 2)[2] in sas)]
    ids = {f["check"] for f in about}
    for w in r["wrong"]:
        if w not in ids and not (w == "IRSA001" and any(
                f["check"] == "IRSA001" and f["cluster"] == r["cluster"] for f in found)):
            bad.append(f"{name}: {w} not found")
    if not r["wrong"] and about:
        bad.append(f"{name} is correct but has " + ", ".join(f["ref"] for f in about))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
tap_result $? "every role's wrong ids are found on it or its accounts; the correct roles have none" "$(cat "$dir/roles.out")"

# --- exit status per --fail-on -----------------------------------------------------
run "$irsa" audit --all-contexts --fail-on none -o json
is "$RC" 0 "--fail-on none: exit 0"
run "$irsa" audit --all-contexts --fail-on critical -o json
is "$RC $(printf '%s' "$OUT" | jq '[.findings[] | select(.severity == "critical")] | length > 0')" "1 true" \
	"--fail-on critical: exit 1 (critical findings exist)"
run "$irsa" audit --all-contexts --check IRSA033 --fail-on high -o json
is "$RC $(printf '%s' "$OUT" | jq -c '[.findings[] | .ref]')" \
	"0 $(jq -c '[.audit[] | select(.check == "IRSA033") | .ref]' "$M")" \
	"--check IRSA033 (medium) --fail-on high: exit 0, the aws-node findings only"
run "$irsa" audit --all-contexts --check IRSA033 --fail-on medium -o json
is "$RC" 1 "--check IRSA033 --fail-on medium: exit 1"
run "$irsa" audit --context shop-staging -o json
is "$(printf '%s' "$OUT" | triples)" "$(grep ' shop-staging ' "$dir/want")" \
	"--context shop-staging: exactly the manifest's shop-staging findings"

# --- snapshot round trip -------------------------------------------------------------
run "$irsa" audit --all-contexts --save-snapshot "$dir/snap.json" -o json
is "$RC $(printf '%s' "$OUT" | triples | cmp -s - "$dir/want" && echo same)" "1 same" \
	"--save-snapshot: the same findings, exit 1"
check "the snapshot is JSON with both clusters" jq -e '.irsaSnapshot == 1 and (.clusters | length) == 2' "$dir/snap.json"
run "$irsa" audit --snapshot "$dir/snap.json" -o json
printf '%s' "$OUT" | triples >"$dir/snap.got"
is "$RC $(cmp -s "$dir/snap.got" "$dir/want" && echo same)" "1 same" \
	"--snapshot: the same findings from the recorded answers, exit 1"

# --- the collection: the fewest requests ------------------------------------------------
fake shop-prod POST /_fake/requests/reset >/dev/null
fake shop-staging POST /_fake/requests/reset >/dev/null
run "$collect" shop-prod:us-east-1 shop-staging:eu-west-1
printf '%s\n' "$OUT" | sed -n 's/^finding //p' | sort >"$dir/collect.got"
check "audit_collect_check: the manifest's findings" diff <(cut -d' ' -f3 "$dir/want") "$dir/collect.got"
stat() { printf '%s\n' "$ERR" | sed -n "s/^$1=//p"; }
# Examined: every role an account of the two clusters names or whose trust
# names their providers, i.e. every role the seed made for them.
examined=$(jq '[.roles[] | select(.exists)] | length' "$M")
n_providers=$(jq '[.clusters[] | select(.oidc_provider_arn)] | length' "$M")
# STS + ListRoles (one page of 1000) + ListOpenIDConnectProviders +
# GetAccountSummary + DescribeCluster x2 + GetOpenIDConnectProvider per
# audited provider + (ListAttachedRolePolicies + ListRolePolicies) per role;
# the seed's IRSA roles have no inline or customer managed policy.
want_aws=$((4 + 2 + n_providers + 2 * examined))
is "$(stat roles_examined) $(stat aws_requests)" "$examined $want_aws" \
	"AWS: $examined roles examined in $want_aws requests (no GetRole, nothing twice)"
is "$(stat kube_requests)" 10 "Kubernetes: 5 lists per cluster, one page each"
counts=$(for c in shop-prod shop-staging; do fake "$c" GET /_fake/requests; echo; done |
	jq -rs '[.[] | to_entries[] | select(.key | test("^GET /apis?/")) | .value] | add')
is "$counts" 10 "the fake API servers counted the same 10 API GETs (service accounts, pods, deployments, stateful sets, daemon sets)"

# A cluster whose API server is not reached: its Kubernetes checks say why.
run "$collect" --no-kube shop-staging shop-prod:us-east-1 shop-staging:eu-west-1
like "$RC $(printf '%s' "$OUT" | grep -c "^not-run IRSA026 shop-staging .*no-kube")" "^0 1$" \
	"a cluster without Kubernetes: IRSA026 not run there, with the reason"

tap_done
