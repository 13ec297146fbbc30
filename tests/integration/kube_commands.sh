#!/usr/bin/env bash
# tests/integration/kube_commands.sh - irsa contexts, namespaces and
# serviceaccounts against the sandbox's fake API server: each kind of
# context (token, client certificate, an exec plugin script printing v1 and
# v1beta1 ExecCredentials, and the EKS `aws eks get-token` context whose
# token irsa makes itself), credentials made once per run and again after a
# 401, the list agreeing with kubectl across pages, context <-> EKS cluster
# matching (ARN, exec flags, server URL, none without AWS), a cluster reached
# without any context (tests/integration/kube_cmds_check), and every error
# path: 401, 403, 404, 409, 410, 429, the wrong CA, a closed port, a
# malformed kubeconfig, an unknown context, usage errors.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
cmds_check=$(dirname "$irsa")/tests/integration/kube_cmds_check
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
[ -x "$cmds_check" ] || bail_out "tests/integration/kube_cmds_check not built"
for tool in python3 kubectl curl jq aws openssl; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-kube-commands.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 79
sandbox_up "$dir/sb"
M=$IRSA_SANDBOX_MANIFEST
URL=$IRSA_SANDBOX_KUBE_URL_SHOP_PROD
ADMIN=$IRSA_SANDBOX_FAKE_ADMIN_TOKEN
prod_arn=$(jq -r '.clusters["shop-prod"].arn' "$M")
staging_arn=$(jq -r '.clusters["shop-staging"].arn' "$M")

# A fake `aws` first on PATH: records each run, then runs the real one.
real_aws=$(command -v aws)
mkdir -p "$dir/bin"
cat >"$dir/bin/aws" <<EOF
#!/bin/sh
echo "\$*" >>"$dir/aws-runs"
exec "$real_aws" "\$@"
EOF
chmod +x "$dir/bin/aws"
PATH="$dir/bin:$PATH"

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$dir/err")
	RC=$?
	ERR=$(cat "$dir/err")
}
jqo() { printf '%s' "$OUT" | jq -r "$@" 2>&1; }
fake() { # METHOD PATH [BODY]
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $ADMIN" -X "$1" \
		-H 'Content-Type: application/json' ${3:+-d "$3"} "$URL$2" >/dev/null
}
counter() { # the fake's count of "METHOD TEMPLATE"
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $ADMIN" "$URL/_fake/requests" |
		jq -r --arg k "$1" '.[$k] // 0'
}
fault() { fake POST /_fake/faults "{\"rules\": [$1]}"; }
lines() { printf '%s\n' "$1" | grep -c .; }
tokens_made() { printf '%s\n' "$ERR" | grep -c 'kube: made the built-in EKS token'; }

# A kubeconfig beside the sandbox's: one cluster entry (server, CA) and one
# user, under context "c". USER_YAML is the user's body.
kubeconfig_with() { # FILE SERVER CA_DATA USER_YAML
	cat >"$1" <<EOF
apiVersion: v1
kind: Config
current-context: c
clusters:
- name: plain
  cluster:
    server: $2
    certificate-authority-data: $3
users:
- name: u
  user:
$4
contexts:
- name: c
  context: {cluster: plain, user: u}
EOF
}
ca_data=$(base64 -w0 <"$IRSA_SANDBOX_CA")
token_user="    token: $IRSA_SANDBOX_KUBE_ADMIN_TOKEN"

# --- contexts ----------------------------------------------------------------------
run "$irsa" contexts -o json
is "$RC" 0 "contexts exits 0"
is "$(jqo '[.[].name] | join(" ")')" "shop-prod shop-prod-cert shop-prod-token shop-prod-viewer shop-staging" \
	"contexts -o json: every context, by name"
is "$(jqo '[.[] | .name + "=" + .auth] | join(" ")')" \
	"shop-prod=eks-token shop-prod-cert=client-cert shop-prod-token=token shop-prod-viewer=token shop-staging=eks-token" \
	"contexts: auth kinds (the EKS exec plugin is replaced by the built-in token)"
prod_eks=$(jqo '[.[] | select(.name | startswith("shop-prod")) | .eksCluster] | unique | join(" ")')
is "$prod_eks $(jqo '.[4].eksCluster')" \
	"$prod_arn $staging_arn" "contexts: each matched to its EKS cluster ARN"
is "$(jqo '[.[].eksMatch] | unique | join(",")') $(jqo '[.[] | select(.current)][0].name')" "arn shop-prod" \
	"contexts: matched by ARN; shop-prod is current"
is "$(jqo '.[3].namespace + " " + .[0].server')" "orders $URL" "contexts: namespace and server"
run "$irsa" contexts
like "$OUT" "^CURRENT +NAME +CLUSTER +SERVER +USER +AUTH +EKS CLUSTER" "contexts: text table header"
like "$OUT" "\\* +shop-prod +arn:aws:eks:" "contexts: the current context is starred"

# Matching by server URL (needs DescribeCluster), by the EKS plugin's flags, and none without AWS.
kubeconfig_with "$dir/by-server.yaml" "$URL/" "$ca_data" "$token_user"
run "$irsa" --kubeconfig "$dir/by-server.yaml" contexts -o json
is "$RC $(jqo '.[0].eksCluster + " " + .[0].eksMatch')" "0 $prod_arn server" "contexts: matched by server URL"
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE="$dir/none" \
	AWS_SHARED_CREDENTIALS_FILE="$dir/none" "$irsa" --debug --kubeconfig "$dir/by-server.yaml" contexts -o json
is "$RC $(jqo '.[0].eksCluster')" "0 null" "contexts without AWS credentials: exit 0, no EKS cluster"
is "$(printf '%s\n' "$ERR" | grep -c 'not matched by server URL (AWS is not usable')" 1 \
	"contexts without AWS: --debug says why, once"
kubeconfig_with "$dir/by-exec.yaml" "https://127.0.0.1:1" "$ca_data" "    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, eu-west-1, eks, get-token, --cluster-name, shop-staging]"
run "$irsa" --kubeconfig "$dir/by-exec.yaml" contexts -o json
is "$RC $(jqo '.[0].eksCluster + " " + .[0].eksMatch + " " + .[0].eksClusterName + " " + .[0].eksRegion')" \
	"0 $staging_arn exec shop-staging eu-west-1" "contexts: matched by the plugin's --cluster-name and --region"

# --- clusters: the context column ---------------------------------------------------
run "$irsa" clusters -o json
is "$RC $(jqo '[.[] | .name + "=" + .context] | sort | join(" ")')" "0 shop-prod=shop-prod shop-staging=shop-staging" \
	"clusters -o json: each cluster's context (the current one first)"

# --- each kind of context ----------------------------------------------------------
for ctx in shop-prod-token shop-prod-cert shop-prod-viewer; do
	run "$irsa" --context "$ctx" namespaces -o json
	like "$RC $(jqo '[.[].name] | join(" ")')" "^0 .*orders payments" "$ctx: namespaces"
done
run "$irsa" --context shop-prod-token namespaces
like "$OUT" "orders +Active +8 +4" "namespaces text: service accounts and bound ones counted"

# The EKS context: irsa makes the token; no aws process runs.
rm -f "$dir/aws-runs"
run "$irsa" --debug --context shop-prod serviceaccounts -A --chunk-size 3 -o json
is "$RC $(jqo 'length > 10')" "0 true" "EKS context (built-in token): serviceaccounts -A"
is "$([ -e "$dir/aws-runs" ] && cat "$dir/aws-runs")" "" "EKS context: aws was never run"
is "$(tokens_made)" 1 "EKS context: one token for every page of both lists"
fault '{"match": "serviceaccounts", "status": 401, "times": 1}'
run "$irsa" --debug --context shop-prod serviceaccounts -n orders -o json
is "$RC $(tokens_made)" "0 2" "EKS context: a 401 makes a new token, and the call succeeds"
run "$irsa" --context shop-staging serviceaccounts -A -o json
is "$RC $(jqo 'length > 0')" "0 true" "EKS context in eu-west-1 (shop-staging): built-in token"
run "$irsa" --exec-plugins --context shop-prod namespaces -o json
like "$RC $(cat "$dir/aws-runs" 2>/dev/null)" "^0 --region us-east-1 eks get-token --cluster-name shop-prod" \
	"--exec-plugins runs the real aws eks get-token"
run "$irsa" --help
like "$OUT" "--exec-plugins" "irsa --help documents --exec-plugins"

# An exec plugin script: v1 and v1beta1, counted runs.
cat >"$dir/plugin.sh" <<'EOF'
#!/bin/sh
echo run >>"$PLUGIN_RUNS"
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/%s",' "$1"
printf '"status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}\n' "$PLUGIN_TOKEN"
EOF
chmod +x "$dir/plugin.sh"
for v in v1 v1beta1; do
	kubeconfig_with "$dir/exec-$v.yaml" "$URL" "$ca_data" "    exec:
      apiVersion: client.authentication.k8s.io/$v
      command: $dir/plugin.sh
      args: [$v]
      interactiveMode: Never
      env:
      - {name: PLUGIN_RUNS, value: $dir/runs-$v}
      - {name: PLUGIN_TOKEN, value: $IRSA_SANDBOX_KUBE_ADMIN_TOKEN}"
	fake POST /_fake/requests/reset
	run "$irsa" --kubeconfig "$dir/exec-$v.yaml" serviceaccounts -A --chunk-size 3 -o json
	is "$RC $(lines "$(cat "$dir/runs-$v")")" "0 1" "exec plugin ($v): one run for the whole command"
	like "$(counter 'GET /api/v1/serviceaccounts')" "^([4-9]|[1-9][0-9])$" "exec plugin ($v): ... which sent many pages"
done
rm -f "$dir/runs-v1"
fault '{"match": "pods", "status": 401, "times": 1}'
run "$irsa" --kubeconfig "$dir/exec-v1.yaml" serviceaccounts -n orders -o json
is "$RC $(lines "$(cat "$dir/runs-v1")")" "0 2" "exec plugin: run again after a 401, and the call succeeds"

# --- the list agrees with kubectl, across pages ---------------------------------------
want=$(kubectl --context shop-prod-token get sa -A -o json --chunk-size=3 | jq -r '.items[] |
	.metadata.namespace + "/" + .metadata.name + " " + (.metadata.annotations["eks.amazonaws.com/role-arn"] // "-")' |
	sort)
fake POST /_fake/requests/reset
run "$irsa" --context shop-prod-token serviceaccounts -A -o json --chunk-size 3
got=$(jqo '.[] | .namespace + "/" + .name + " " + (.roleArn // "-")' | sort)
n=$(lines "$want")
is "$got" "$want" "serviceaccounts -A -o json = kubectl get sa -A ($n accounts, names and role-arn annotations)"
is "$(counter 'GET /api/v1/serviceaccounts')" "$(((n + 2) / 3))" "... read in pages of 3 (the fake's counter)"
bound=$(jqo '[.[] | select(.roleArn != null) | .binding] | unique | join(",")')
unbound=$(jqo '[.[] | select(.roleArn == null) | .binding] | unique | map(tostring) | join(",")')
is "$bound $unbound" \
	"irsa null" "serviceaccounts: binding irsa when annotated, null when not"
pods_api=$(kubectl --context shop-prod-token get pods -n orders -o json |
	jq '[.items[] | select((.spec.serviceAccountName // "default") == "orders-api")] | length')
fake POST /_fake/requests/reset
run "$irsa" --context shop-prod-token serviceaccounts -n orders -o json
is "$(jqo '.[] | select(.name == "orders-api") | .pods')" "$pods_api" "serviceaccounts: pods counted per account"
is "$(counter 'GET /api/v1/namespaces/{ns}/pods')" 1 "serviceaccounts: one pods list, not one per account"
run "$irsa" --context shop-prod-viewer serviceaccounts
like "$OUT" "^NAME +ROLE +BINDING +PODS" "serviceaccounts text: the context's namespace, no NAMESPACE column"
like "$OUT" "orders-api +arn:aws:iam::[0-9]+:role/[^ ]+ +irsa +$pods_api" "serviceaccounts text: role, binding, pods"
run "$irsa" --context shop-prod-token serviceaccounts -n orders orders-api default -o json
is "$RC $(jqo '[.[].name] | join(" ")')" "0 orders-api default" "serviceaccounts NAME...: the named accounts"

# --- the cluster without a context ----------------------------------------------------
run "$cmds_check" cluster-namespaces shop-prod us-east-1
like "$RC $(printf '%s' "$OUT" | tr '\n' ' ')" "^0 .*orders payments" \
	"a cluster reached from DescribeCluster alone (endpoint, CA, built-in token)"
is "$ERR" "tokens=1
server=$URL" "... at DescribeCluster's endpoint, with one built-in token"

# --- error paths ----------------------------------------------------------------------
fail_like() { # DESC REGEX: exit 1, "irsa: " line matching REGEX, a hint line
	is "$RC" 1 "$1: exit 1"
	like "$(printf '%s\n' "$ERR" | head -1)" "^irsa: .*$2" "$1: says what failed"
	is "$(lines "$ERR")" 2 "$1: one error line and one hint line"
}
kubeconfig_with "$dir/bad-token.yaml" "$URL" "$ca_data" "    token: not-a-valid-token"
run "$irsa" --kubeconfig "$dir/bad-token.yaml" namespaces
fail_like "401 (a bad token)" "(Unauthorized|401)"
forbidden='serviceaccounts is forbidden: User \"viewer\" cannot list resource \"serviceaccounts\" in API group \"\"'
fault "{\"match\": \"serviceaccounts\", \"status\": 403, \"message\": \"$forbidden in the namespace \\\"orders\\\"\"}"
run "$irsa" --context shop-prod-viewer serviceaccounts
fail_like "403" 'user "viewer" may not list serviceaccounts in namespace "orders"'
like "$ERR" "kubectl auth can-i list serviceaccounts -n orders --context shop-prod-viewer" \
	"403: the hint checks the permission"
fake DELETE /_fake/faults
run "$irsa" --context shop-prod-viewer serviceaccounts nope
fail_like "404 (a missing service account)" 'service account "nope" not found in namespace "orders"'
fault '{"match": "serviceaccounts", "status": 409}'
run "$irsa" --context shop-prod-token serviceaccounts -A
fail_like "409" "Conflict, HTTP 409"
fault '{"match": "serviceaccounts$", "status": 410, "times": 1}'
run "$irsa" --context shop-prod-token serviceaccounts -A -o json --chunk-size 3
got=$(jqo '.[] | .namespace + "/" + .name + " " + (.roleArn // "-")' | sort)
is "$RC $got" "0 $want" \
	"410 on a list: read again from the start, same accounts, none twice"
fake DELETE /_fake/faults
fake POST /_fake/continue-ttl '{"seconds": 0}'
run "$irsa" --context shop-prod-token serviceaccounts -A --chunk-size 3
fail_like "410 every time (continue tokens expire at once)" "(Expired|Gone|410)"
fake POST /_fake/continue-ttl '{"seconds": 300}'
fault '{"match": "serviceaccounts", "status": 429, "retry_after": 1, "times": 2}'
fake POST /_fake/requests/reset
start=$(date +%s)
run "$irsa" --context shop-prod-token serviceaccounts -n orders -o json
is "$RC $(counter 'GET /api/v1/namespaces/{ns}/serviceaccounts')" "0 3" "429 twice: Retry-After honoured, then the list"
[ $(($(date +%s) - start)) -ge 2 ]
tap_result $? "429: waited the Retry-After seconds"
fault '{"match": "serviceaccounts", "status": 429, "retry_after": 0}'
run "$irsa" --context shop-prod-token serviceaccounts -n orders
fail_like "429 on every attempt" "throttling .*after 4 attempts"
fake DELETE /_fake/faults

# The wrong CA: a clear TLS error, and nothing reaches the server.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=other-ca -days 1 \
	-keyout "$dir/other-key.pem" -out "$dir/other-ca.pem" 2>/dev/null
kubeconfig_with "$dir/wrong-ca.yaml" "$URL" "$(base64 -w0 <"$dir/other-ca.pem")" "$token_user"
fake POST /_fake/requests/reset
run "$irsa" --kubeconfig "$dir/wrong-ca.yaml" namespaces
fail_like "the wrong CA" "(TLS|certificate)"
like "$ERR" "certificate-authority" "wrong CA: the hint names the kubeconfig's certificate-authority"
is "$(counter 'GET /api/v1/namespaces')" 0 "wrong CA: no fallback to an unverified connection"

# A closed port: a clear message, in bounded time.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
kubeconfig_with "$dir/closed.yaml" "https://127.0.0.1:$port" "$ca_data" "$token_user"
start=$(date +%s)
run "$irsa" --kubeconfig "$dir/closed.yaml" namespaces
fail_like "unreachable server" "127.0.0.1:$port"
[ $(($(date +%s) - start)) -le 30 ]
tap_result $? "unreachable server: gives up within 30 s"

# A malformed kubeconfig: the file, the line, what is wrong.
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: [unclosed\n' >"$dir/broken.yaml"
run "$irsa" --kubeconfig "$dir/broken.yaml" serviceaccounts
is "$RC" 1 "malformed kubeconfig: exit 1"
like "$ERR" "irsa: .*$dir/broken.yaml.*line [0-9]+" "malformed kubeconfig: names the file and the line"
run "$irsa" --kubeconfig "$dir/broken.yaml" contexts
is "$RC" 1 "malformed kubeconfig: contexts fails too"

run "$irsa" --context nope namespaces
fail_like "unknown context" \
	'context "nope" not found .*shop-prod, shop-prod-cert, shop-prod-token, shop-prod-viewer, shop-staging'

# Usage errors: exit 2.
run "$irsa" serviceaccounts -n orders -A
is "$RC" 2 "-n with -A: usage error (exit 2)"
run "$irsa" serviceaccounts --chunk-size 0
is "$RC" 2 "--chunk-size 0: usage error (exit 2)"
run "$irsa" namespaces extra
is "$RC" 2 "namespaces with an argument: usage error (exit 2)"

tap_done
