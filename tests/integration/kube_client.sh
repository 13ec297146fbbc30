#!/usr/bin/env bash
# tests/integration/kube_client.sh - core's Kubernetes client (through the
# tests/integration/kube_check driver) against the sandbox's fake API server:
# each kind of context (token, client certificate, exec `aws eks get-token`,
# read-only viewer), pagination proven by the fake's request counter, a 429
# with Retry-After, a 500, a 410 that restarts a list, TokenRequest verified
# against the fake's JWKS, SelfSubjectAccessReview, rollout restart, and a
# created, annotated and deleted (with a uid precondition) service account
# as kubectl sees it.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
check_bin=$(dirname "$irsa")/tests/integration/kube_check
[ -x "$check_bin" ] || bail_out "tests/integration/kube_check not built"
for tool in python3 kubectl curl jq aws; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-kube-client.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 60
sandbox_up "$dir/sb"
URL=$IRSA_SANDBOX_KUBE_URL_SHOP_PROD
ADMIN=$IRSA_SANDBOX_FAKE_ADMIN_TOKEN

run() { # kube_check ARGS...: sets OUT, ERR, RC
	OUT=$("$check_bin" "$@" 2>"$dir/err")
	RC=$?
	ERR=$(cat "$dir/err")
}
kc() { kubectl --kubeconfig "$KUBECONFIG" --context shop-prod-token "$@"; }
fake() { # METHOD PATH [BODY]
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $ADMIN" -X "$1" \
		-H 'Content-Type: application/json' ${3:+-d "$3"} "$URL$2"
}
counter() { # the fake's count of "METHOD TEMPLATE"
	fake GET /_fake/requests | jq -r --arg k "$1" '.[$k] // 0'
}
sorted() { printf '%s\n' "$1" | sed '/^$/d' | sort; }

# --- each kind of context --------------------------------------------------------
run --context shop-prod-token version
is "$RC $OUT" "0 v1.32.4 1.32" "token context: server version"
for ctx in shop-prod-token shop-prod-cert shop-prod shop-prod-viewer; do
	run --context "$ctx" namespaces
	like "$RC $(printf '%s' "$OUT" | tr '\n' ' ')" "^0 .*orders .*payments" "$ctx: lists namespaces"
done
run --context shop-prod sa-get orders orders-api
like "$OUT" "eks.amazonaws.com/role-arn=arn:aws:iam::" "exec context (aws eks get-token via kube_exec): gets orders/orders-api"

# --- the list agrees with kubectl, across pages ----------------------------------
want=$(kc get sa -A -o json | jq -r '.items[] | .metadata.namespace + "/" + .metadata.name + " " +
	(.metadata.annotations["eks.amazonaws.com/role-arn"] // "-")' | sort)
n_orders=$(kc get sa -n orders -o name | wc -l)
fake POST /_fake/requests/reset >/dev/null
run --page-size 2 --context shop-prod-token sa-list -A
is "$(sorted "$OUT")" "$want" "sa-list -A with limit=2 equals kubectl get sa -A (names and role annotations)"
n_all=$(printf '%s\n' "$want" | wc -l)
is "$(counter 'GET /api/v1/serviceaccounts')" "$(((n_all + 1) / 2))" "the fake counted one GET per page of 2 (ceil($n_all/2))"
like "$ERR" "restarts=0" "no restart without a 410"
fake POST /_fake/requests/reset >/dev/null
run --page-size 2 --context shop-prod-token sa-list orders
is "$(counter 'GET /api/v1/namespaces/{ns}/serviceaccounts')" "$(((n_orders + 1) / 2))" "orders: ceil($n_orders/2) pages"
like "$ERR" "pages=$(((n_orders + 1) / 2)) " "the client counted the same pages"
run --context shop-prod-token sa-list -A app.kubernetes.io/managed-by=nobody
is "$RC:$OUT" "0:" "a label selector that matches nothing: empty list"

# --- 410: the continue token expires between pages, the list starts again --------
fake POST /_fake/continue-ttl '{"seconds": 1}' >/dev/null
fake POST /_fake/faults '{"rules": [{"match": "^/api/v1/namespaces/orders/serviceaccounts$", "method": "GET", "times": 1},
	{"match": "^/api/v1/namespaces/orders/serviceaccounts$", "method": "GET", "latency_ms": 1500, "times": 1}]}' >/dev/null
fake POST /_fake/requests/reset >/dev/null
run --page-size 2 --context shop-prod-token sa-list orders
is "$RC" 0 "410 mid-list: the list succeeds"
like "$ERR" "restarts=1" "410 mid-list: restarted once"
is "$(sorted "$OUT")" "$(printf '%s\n' "$want" | grep '^orders/')" "410 mid-list: every service account once, no duplicates"
is "$(counter 'GET /api/v1/namespaces/{ns}/serviceaccounts')" "$((2 + (n_orders + 1) / 2))" \
	"410 mid-list: first page, the 410, then all pages again"
fake DELETE /_fake/faults >/dev/null
fake POST /_fake/continue-ttl '{"seconds": 300}' >/dev/null

# --- 429 and 500 -----------------------------------------------------------------
fake POST /_fake/faults '{"rules": [{"match": "^/api/v1/namespaces$", "method": "GET", "status": 429, "retry_after": 1, "times": 1}]}' >/dev/null
fake POST /_fake/requests/reset >/dev/null
start=$(date +%s%N)
run --context shop-prod-token namespaces
elapsed=$((($(date +%s%N) - start) / 1000000))
is "$RC" 0 "429 with Retry-After: 1 is retried and succeeds"
is "$(counter 'GET /api/v1/namespaces')" 2 "429: two requests reached the fake"
like "$elapsed" '^(9[5-9][0-9]|[1-9][0-9]{3,})$' "429: the retry waited about Retry-After (${elapsed} ms)"
fake POST /_fake/faults '{"rules": [{"match": "^/api/v1/namespaces/orders/serviceaccounts/orders-api$", "status": 500}]}' >/dev/null
run --context shop-prod-token sa-get orders orders-api
is "$RC" 1 "500: the call fails"
like "$ERR" 'failed to get service account "orders-api" in namespace "orders" \(HTTP 500 InternalError\) after 4 attempts: fault injected' \
	"500: a clean message naming the object, the reason and the attempts"
like "$ERR" "kind: network" "500: kind network"
fake DELETE /_fake/faults >/dev/null

# --- errors from the server ------------------------------------------------------
run --context shop-prod-viewer sa-annotate orders orders-api team=x
is "$RC" 1 "viewer: the annotation patch is refused"
like "$ERR" 'user "viewer" may not patch serviceaccounts in namespace "orders" \(context "shop-prod-viewer"\) \(Forbidden, HTTP 403' \
	"viewer 403: user, verb, resource and namespace"
like "$ERR" "hint: RBAC permission missing: patch serviceaccounts in namespace \"orders\". Check: kubectl auth can-i patch serviceaccounts -n orders --context shop-prod-viewer" \
	"viewer 403: the hint names the permission and the kubectl check"
is "$(kubectl --kubeconfig "$KUBECONFIG" auth can-i patch serviceaccounts -n orders --context shop-prod-viewer 2>/dev/null)" no \
	"the hint's kubectl command says no"
run --context shop-prod-token sa-get orders no-such-sa
like "$ERR" 'service account "no-such-sa" not found in namespace "orders".*NotFound, HTTP 404' "404 names the object"
cat >"$dir/extra.yaml" <<EOF
apiVersion: v1
kind: Config
users:
- name: stale
  user: {token: not-a-valid-token-0123456789}
contexts:
- name: stale-token
  context: {cluster: $(jq -r '.clusters["shop-prod"].arn' "$IRSA_SANDBOX_MANIFEST"), user: stale}
EOF
KUBECONFIG="$KUBECONFIG:$dir/extra.yaml" run --context stale-token namespaces
like "$ERR" 'rejected the token of user "stale" \(401 Unauthorized\)' "401 names the rejected credential"
run --context shop-prod-token token orders orders-api sts.amazonaws.com 60
like "$ERR" 'expirationSeconds.*Invalid, HTTP 422' "TokenRequest under 600 s: 422 Invalid with the field"

# --- TokenRequest and its JWT ----------------------------------------------------
run --context shop-prod-token token orders orders-api sts.amazonaws.com 3600
is "$RC" 0 "TokenRequest succeeds"
tok=$(printf '%s\n' "$OUT" | sed -n 1p)
exp=$(printf '%s\n' "$OUT" | sed -n 2p)
curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" "$URL/openid/v1/jwks" >"$dir/jwks.json"
verdict=$(python3 - "$tok" "$dir/jwks.json" <<'EOF'
import base64, json, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
tok, jwks = sys.argv[1], json.load(open(sys.argv[2]))
h, p, s = tok.split(".")
head, claims = json.loads(b64(h)), json.loads(b64(p))
key = next(k for k in jwks["keys"] if k["kid"] == head["kid"])
pub = rsa.RSAPublicNumbers(int.from_bytes(b64(key["e"]), "big"), int.from_bytes(b64(key["n"]), "big")).public_key()
pub.verify(b64(s), (h + "." + p).encode(), padding.PKCS1v15(), hashes.SHA256())
print(head["alg"], claims["sub"], ",".join(claims["aud"]), claims["exp"] - claims["iat"])
EOF
)
is "$verdict" "RS256 system:serviceaccount:orders:orders-api sts.amazonaws.com 3600" \
	"the token verifies against the fake's JWKS: RS256, sub, aud, lifetime"
like "$exp" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "expirationTimestamp returned"

# --- SelfSubjectAccessReview -----------------------------------------------------
run --context shop-prod-token can-i patch "" serviceaccounts orders orders-api
is "$OUT" yes "access review: admin may patch service accounts"
run --context shop-prod-viewer can-i patch "" serviceaccounts orders orders-api
is "$OUT" no "access review: viewer may not patch service accounts"
run --context shop-prod-viewer can-i list apps deployments orders
is "$OUT" yes "access review: viewer may list deployments"

# --- pods and workloads using a service account ----------------------------------
run --context shop-prod-token pods orders orders-api
is "$(sorted "$OUT")" "$(kc get pods -n orders --field-selector spec.serviceAccountName=orders-api -o name | sed 's|^pod/|orders/|' | sort)" \
	"pods using orders-api = kubectl's field selector"
run --context shop-prod-token pods -A orders-api
like "$(printf '%s' "$OUT" | wc -l)" '^[1-9]' "pods using orders-api in all namespaces"
run --context shop-prod-token workloads orders orders-api
is "$OUT" "Deployment orders/orders-api" "workloads using orders/orders-api: its deployment"
run --context shop-prod-token workloads analytics default
is "$OUT" "Deployment analytics/analytics-app" "workloads using the default service account (no serviceAccountName)"
run --context shop-prod-token workloads -A aws-node
is "$OUT" "DaemonSet kube-system/aws-node" "daemon sets too"

# --- rollout restart -------------------------------------------------------------
run --context shop-prod-token restart deployment orders orders-api
is "$RC" 0 "rollout restart of orders/orders-api"
like "$(kc get deployment orders-api -n orders -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$' "kubectl sees restartedAt (RFC 3339 with offset)"
kc patch deployment orders-cron -n orders -p '{"spec":{"paused":true}}' >/dev/null 2>&1
run --context shop-prod-token restart deployment orders orders-cron
like "$ERR" "can't restart paused deployment \(run rollout resume first\)" "a paused deployment is not restarted"

# --- create and annotate, seen by kubectl ----------------------------------------
role="arn:aws:iam::123456789012:role/irsa-kube-client"
run --context shop-prod-token sa-create orders irsa-made "eks.amazonaws.com/role-arn=$role"
is "$RC" 0 "create service account orders/irsa-made"
is "$(kc get sa irsa-made -n orders -o jsonpath='{.metadata.annotations.eks\.amazonaws\.com/role-arn}')" "$role" \
	"kubectl sees the created service account with its role"
run --context shop-prod-token sa-create orders irsa-made
like "$ERR" 'service account "irsa-made" in namespace "orders" already exists.*AlreadyExists, HTTP 409' "creating it again: AlreadyExists"
run --context shop-prod-token sa-annotate orders irsa-made eks.amazonaws.com/role-arn- \
	eks.amazonaws.com/audience=sts.amazonaws.com eks.amazonaws.com/sts-regional-endpoints=true
is "$RC" 0 "merge patch: remove role-arn, add two annotations"
is "$(kc get sa irsa-made -n orders -o json | jq -c '.metadata.annotations')" \
	'{"eks.amazonaws.com/audience":"sts.amazonaws.com","eks.amazonaws.com/sts-regional-endpoints":"true"}' \
	"kubectl sees exactly the patched annotations"

# --- delete, only the service account irsa means ---------------------------------
uid=$(kc get sa irsa-made -n orders -o jsonpath='{.metadata.uid}')
other=00000000-0000-4000-8000-000000000000
run --context shop-prod-token sa-delete orders irsa-made "$other"
is "$RC" 1 "delete with another uid precondition: refused"
like "$ERR" "service account \"irsa-made\" in namespace \"orders\" was not deleted: it is not the one irsa expected \(uid $other\) but another of the same name \(uid $uid\), created since \(Conflict, HTTP 409" \
	"precondition mismatch: a conflict naming both uids"
like "$ERR" "kind: conflict" "precondition mismatch: kind conflict"
is "$(kc get sa irsa-made -n orders -o name)" "serviceaccount/irsa-made" "precondition mismatch: kubectl still sees it"
fake POST /_fake/faults '{"rules": [{"match": "^/api/v1/namespaces/orders/serviceaccounts/irsa-made$", "method": "DELETE", "status": 503, "times": 1}]}' >/dev/null
fake POST /_fake/requests/reset >/dev/null
run --context shop-prod-token sa-delete orders irsa-made "$uid"
is "$RC:$OUT" "0:orders/irsa-made deleted" "delete with its uid (after a 503, sent again)"
is "$(counter 'DELETE /api/v1/namespaces/{ns}/serviceaccounts/{name}')" 2 "the 503 and the retry reached the fake"
fake DELETE /_fake/faults >/dev/null
is "$(kc get sa irsa-made -n orders -o name 2>&1)" \
	'Error from server (NotFound): serviceaccounts "irsa-made" not found' "kubectl no longer finds it"
run --context shop-prod-token sa-delete orders irsa-made "$uid"
like "$ERR" 'service account "irsa-made" not found in namespace "orders".*NotFound, HTTP 404' "deleting it again: 404 names it"
like "$ERR" "kind: not_found" "deleting it again: kind not_found (the caller decides)"
run --context shop-prod-token sa-create orders irsa-made
run --context shop-prod-token sa-delete orders irsa-made "$uid"
is "$RC" 1 "re-created under the same name: the old uid does not delete the new one"
is "$(kc get sa irsa-made -n orders -o name)" "serviceaccount/irsa-made" "the new one is still there"
run --context shop-prod-token sa-delete orders irsa-made
is "$RC:$OUT" "0:orders/irsa-made deleted" "delete without a uid precondition"

tap_done
