#!/usr/bin/env bash
# kubectl fidelity test for the fake Kubernetes API server (tests/fakes/kube_apiserver.py).
#
# Starts the fake on a free loopback port with its own PKI, config and seed in a temp dir,
# then drives the image's kubectl through four contexts (bearer token, client certificate,
# EKS exec plugin `aws eks get-token`, read-only viewer) and checks what kubectl prints and
# what the server stored. Raw checks (EKS token tampering, expiry, faults) use curl/python3.
# Output is TAP; exit 0 if all passed, 1 if any failed, 77 (skip) without kubectl or python3.
# kubectl runs with -v=8; a failing check prints the tail of that log as "# " lines.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fake="$here/../fakes/kube_apiserver.py"
for tool in kubectl python3 curl jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not found"
		exit 77
	fi
done
have_aws=1
command -v aws >/dev/null 2>&1 || have_aws=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kubectl-fidelity.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill -TERM "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------------------- TAP helpers
n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
	if [ -s "$tmp/kubectl.log" ]; then
		echo "# last kubectl -v=8 log lines:"
		grep -E 'round_trippers|Request Body|Response Body|^error|Error' "$tmp/kubectl.log" |
			tail -n 12 | cut -c1-400 | sed 's/^/#   /'
	fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# expect DESC WANT GOT: pass if GOT equals WANT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want: $2" "got:  $3"; fi
}
# expect_match DESC REGEX TEXT
expect_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "want match: $2" "got: $(printf '%s' "$3" | head -c 600)"; fi
}

# kc CONTEXT ARGS...: kubectl against the fake; stdout is the result, stderr (without the
# -v=8 log, which goes to $tmp/kubectl.log) is in $tmp/kubectl.err; returns kubectl's status.
kc() {
	local ctx=$1 rc
	shift
	kubectl --kubeconfig "$tmp/kubeconfig" --context "$ctx" --cache-dir "$tmp/cache" \
		--request-timeout 10s -v=8 "$@" 2>"$tmp/kubectl.log"
	rc=$?
	grep -E '^(Error|error|Unable|The connection)' "$tmp/kubectl.log" >"$tmp/kubectl.err"
	return $rc
}
kerr() { cat "$tmp/kubectl.err"; }

# raw METHOD PATH [curl args...]: HTTP status on stdout, body in $tmp/body.
raw() {
	local method=$1 path=$2
	shift 2
	curl -s --cacert "$pki/ca.pem" -o "$tmp/body" -w '%{http_code}' -X "$method" "$@" "$url$path"
}
admin() { raw "$1" "/_fake/$2" -H 'X-Fake-Admin: fake-admin' "${@:3}"; }

# ---------------------------------------------------------------------------- world
pki="$tmp/pki"
cluster=shop-prod
akid=AKIAFAKEADMIN0000001
secret=fakeSecretKey/ForTests000000000000000001
python3 "$fake" make-pki --dir "$pki" --client admin:system:masters --client dev:developers ||
	{ echo "Bail out! make-pki failed"; exit 1; }

cat >"$tmp/aws-keys.json" <<EOF
{"$akid": {"secret": "$secret", "arn": "arn:aws:iam::123456789012:user/irsa-admin"},
 "AKIAFAKEUNMAPPED0001": {"secret": "unmappedSecret", "arn": "arn:aws:iam::123456789012:user/nobody"}}
EOF
cat >"$tmp/seed.json" <<'EOF'
[
 {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
 {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "billing", "namespace": "shop",
   "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/billing"}}},
 {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "web", "namespace": "shop"}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-1", "namespace": "shop",
   "labels": {"app": "api", "tier": "backend"}, "creationTimestamp": "2024-01-01T00:00:00Z"},
   "spec": {"serviceAccountName": "billing", "nodeName": "node-a", "containers": [{"name": "api", "image": "shop/api:1.0"}]},
   "status": {"phase": "Running", "containerStatuses": [{"name": "api", "ready": true, "restartCount": 0}]}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-2", "namespace": "shop",
   "labels": {"app": "api", "tier": "frontend"}},
   "spec": {"serviceAccountName": "web", "containers": [{"name": "api", "image": "shop/api:1.0"}]},
   "status": {"phase": "Pending"}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "worker-1", "namespace": "shop",
   "labels": {"app": "worker"}},
   "spec": {"serviceAccountName": "billing", "containers": [{"name": "w", "image": "shop/worker:2"}]},
   "status": {"phase": "Running"}},
 {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "shop"},
   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
     "template": {"metadata": {"labels": {"app": "api"}},
       "spec": {"serviceAccountName": "billing", "containers": [{"name": "api", "image": "shop/api:1.0"}]}}},
   "status": {"replicas": 2, "readyReplicas": 1, "updatedReplicas": 2, "availableReplicas": 1}}
]
EOF
cat >"$tmp/config.json" <<EOF
{"cluster_name": "$cluster", "listen": "127.0.0.1", "port": 0,
 "ready_file": "$tmp/ready.json", "pki_dir": "$pki",
 "tokens": {"admin-token": {"user": "admin", "groups": ["system:masters"]},
            "viewer-token": {"user": "viewer", "groups": []}},
 "aws_keys_file": "$tmp/aws-keys.json",
 "sts_endpoints": ["http://127.0.0.1:5000"],
 "iam_identity_mappings": [{"arn": "arn:aws:iam::123456789012:user/irsa-admin",
                            "username": "irsa-admin", "groups": ["system:masters"]}],
 "rbac": [{"users": ["viewer"], "rules": [{"verbs": ["get", "list", "watch"],
           "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"]}]}],
 "seed": "$tmp/seed.json"}
EOF
python3 "$fake" serve --config "$tmp/config.json" 2>"$tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do
	[ -s "$tmp/ready.json" ] && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if [ ! -s "$tmp/ready.json" ]; then
	echo "Bail out! the fake API server did not start"
	sed 's/^/# /' "$tmp/server.log"
	exit 1
fi
url=$(jq -r .url "$tmp/ready.json")

eks_user() { # NAME CLUSTER
	cat <<EOF
- name: $1
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, us-east-1, eks, get-token, --cluster-name, $2, --output, json]
      env:
      - {name: AWS_ACCESS_KEY_ID, value: $akid}
      - {name: AWS_SECRET_ACCESS_KEY, value: "$secret"}
      - {name: AWS_CONFIG_FILE, value: /dev/null}
      - {name: AWS_SHARED_CREDENTIALS_FILE, value: /dev/null}
      interactiveMode: Never
EOF
}
{
	cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "$url", certificate-authority: "$pki/ca.pem"}
users:
- name: token
  user: {token: admin-token}
- name: cert
  user: {client-certificate: "$pki/client-admin.pem", client-key: "$pki/client-admin-key.pem"}
- name: viewer
  user: {token: viewer-token}
EOF
	eks_user eks "$cluster"
	eks_user eks-other other-cluster
	cat <<EOF
contexts:
- {name: token, context: {cluster: fake, user: token}}
- {name: cert, context: {cluster: fake, user: cert}}
- {name: eks, context: {cluster: fake, user: eks}}
- {name: eks-other, context: {cluster: fake, user: eks-other}}
- {name: viewer, context: {cluster: fake, user: viewer}}
current-context: token
EOF
} >"$tmp/kubeconfig"
# AWS_ENDPOINT_URL unset: the token is presigned for the real STS host name (no network).
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_STS AWS_PROFILE AWS_SESSION_TOKEN

# Independent JWT check: signature against /openid/v1/jwks, then the claims.
cat >"$tmp/checkjwt.py" <<'EOF'
import base64, json, sys, time
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
token, jwks_file, iss, sub, aud = sys.argv[1:6]
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
h, c, s = token.split(".")
header, claims = json.loads(b64(h)), json.loads(b64(c))
key = next(k for k in json.load(open(jwks_file))["keys"] if k["kid"] == header["kid"])
pub = rsa.RSAPublicNumbers(int.from_bytes(b64(key["e"]), "big"), int.from_bytes(b64(key["n"]), "big")).public_key()
pub.verify(b64(s), f"{h}.{c}".encode(), padding.PKCS1v15(), hashes.SHA256())
now = time.time()
problems = []
if header["alg"] != "RS256": problems.append(f"alg {header['alg']}")
if claims["iss"] != iss: problems.append(f"iss {claims['iss']}")
if claims["sub"] != sub: problems.append(f"sub {claims['sub']}")
if claims["aud"] != [aud]: problems.append(f"aud {claims['aud']}")
if not 3500 < claims["exp"] - now <= 3600: problems.append(f"exp-now {claims['exp'] - now}")
if not claims["iat"] <= now + 5 or claims["nbf"] != claims["iat"]: problems.append("iat/nbf")
if claims["kubernetes.io"]["serviceaccount"]["name"] != sub.split(":")[-1]: problems.append("kubernetes.io claim")
print("; ".join(problems) or "valid")
EOF
# Presigned EKS token at a chosen clock offset, made with botocore's own SigV4QueryAuth.
cat >"$tmp/mktoken.py" <<'EOF'
import base64, datetime, sys
from unittest import mock
import botocore.auth, botocore.awsrequest, botocore.credentials
akid, secret, cluster, offset = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
when = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(seconds=offset)
req = botocore.awsrequest.AWSRequest(method="GET",
    url="https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
    headers={"x-k8s-aws-id": cluster})
with mock.patch("botocore.auth.get_current_datetime", return_value=when):
    botocore.auth.SigV4QueryAuth(botocore.credentials.Credentials(akid, secret), "sts", "us-east-1", expires=60).add_auth(req)
print("k8s-aws-v1." + base64.urlsafe_b64encode(req.prepare().url.encode()).decode().rstrip("="))
EOF

seed_sa_total=$( (raw GET /api/v1/serviceaccounts -H 'Authorization: Bearer admin-token' >/dev/null &&
	jq '.items | length' "$tmp/body") || echo 0)

# ---------------------------------------------------------------------------- per context
run_context() {
	local ctx=$1 who=$2 ns="fid-$1" out
	if kc "$ctx" get ns >"$tmp/out"; then
		expect_match "$ctx: get ns lists seeded and system namespaces" \
			'^NAME +STATUS +AGE' "$(cat "$tmp/out")"
		grep -Eq '^shop +Active' "$tmp/out" || fail "$ctx: get ns shows shop Active" "$(cat "$tmp/out")"
	else
		fail "$ctx: get ns" "$(kerr)"
	fi
	if kc "$ctx" get sa -A >"$tmp/out"; then
		expect_match "$ctx: get sa -A prints the server-side Table" \
			'NAMESPACE +NAME +SECRETS +AGE.*shop +billing +0 ' "$(tr '\n' ' ' <"$tmp/out")"
	else
		fail "$ctx: get sa -A" "$(kerr)"
	fi
	out=$(kc "$ctx" get sa -n shop -o json |
		jq -r '[.kind, (.items | map(.metadata.name) | join(",")),
		        (.items[] | select(.metadata.name == "billing") |
		         .metadata.annotations["eks.amazonaws.com/role-arn"])] | join(" ")')
	expect "$ctx: get sa -n shop -o json" \
		"List billing,default,web arn:aws:iam::123456789012:role/billing" "$out"
	out=$(kc "$ctx" get sa billing -n shop -o yaml)
	expect_match "$ctx: get sa -o yaml has the annotation" \
		'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/billing' "$out"

	admin POST requests/reset >/dev/null
	out=$(kc "$ctx" get sa -A --chunk-size=2 -o name | wc -l)
	admin GET requests >/dev/null
	local lists
	lists=$(jq '."GET /api/v1/serviceaccounts" // 0' "$tmp/body")
	if [ "$out" -eq "$seed_sa_total" ] && [ "$lists" -eq $(((seed_sa_total + 1) / 2)) ]; then
		pass "$ctx: get sa -A --chunk-size=2 returns all $out items in $lists list requests"
	else
		fail "$ctx: paginated list" "items $out (want $seed_sa_total), list requests $lists" "$(cat "$tmp/body")"
	fi

	if kc "$ctx" create ns "$ns" >"$tmp/out"; then
		expect "$ctx: create ns (protobuf body)" "namespace/$ns created" "$(cat "$tmp/out")"
	else
		fail "$ctx: create ns" "$(kerr)"
	fi
	if kc "$ctx" create sa app -n "$ns" >"$tmp/out"; then
		expect "$ctx: create sa (protobuf body)" "serviceaccount/app created" "$(cat "$tmp/out")"
	else
		fail "$ctx: create sa" "$(kerr)"
	fi
	printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fromfile\n  namespace: %s\n  labels: {tier: backend}\n' \
		"$ns" >"$tmp/sa.yaml"
	if kc "$ctx" create -f "$tmp/sa.yaml" >"$tmp/out"; then
		out=$(kc "$ctx" get sa fromfile -n "$ns" -o jsonpath='{.metadata.labels.tier}')
		expect "$ctx: create -f (JSON body, fieldValidation=Strict)" "backend" "$out"
	else
		fail "$ctx: create -f" "$(kerr)"
	fi
	if kc "$ctx" annotate sa app -n "$ns" eks.amazonaws.com/role-arn=arn:aws:iam::123456789012:role/app >/dev/null; then
		out=$(kc "$ctx" get sa app -n "$ns" -o jsonpath='{.metadata.annotations.eks\.amazonaws\.com/role-arn}')
		expect "$ctx: annotate sa (merge patch)" "arn:aws:iam::123456789012:role/app" "$out"
	else
		fail "$ctx: annotate" "$(kerr)"
	fi
	kc "$ctx" patch sa app -n "$ns" --type=json \
		-p '[{"op":"add","path":"/metadata/labels","value":{"j":"1"}},{"op":"test","path":"/metadata/labels/j","value":"1"}]' >/dev/null ||
		fail "$ctx: patch --type=json" "$(kerr)"
	kc "$ctx" patch sa app -n "$ns" --type=merge -p '{"metadata":{"labels":{"m":"2"}}}' >/dev/null ||
		fail "$ctx: patch --type=merge" "$(kerr)"
	kc "$ctx" patch sa app -n "$ns" --type=strategic \
		-p '{"metadata":{"labels":{"s":"3","j":null}}}' >/dev/null ||
		fail "$ctx: patch --type=strategic" "$(kerr)"
	out=$(kc "$ctx" get sa app -n "$ns" -o json | jq -c .metadata.labels)
	expect "$ctx: patch json, merge, strategic applied in order" '{"m":"2","s":"3"}' "$out"

	kc "$ctx" get sa app -n "$ns" -o json | jq '.metadata.labels.replaced = "yes"' >"$tmp/app.json"
	if kc "$ctx" replace -f "$tmp/app.json" >/dev/null; then
		out=$(kc "$ctx" get sa app -n "$ns" -o jsonpath='{.metadata.labels.replaced}')
		expect "$ctx: replace -f (PUT)" "yes" "$out"
	else
		fail "$ctx: replace -f" "$(kerr)"
	fi

	local token
	if token=$(kc "$ctx" create token app -n "$ns" --audience sts.amazonaws.com --duration 1h); then
		out=$(python3 "$tmp/checkjwt.py" "$token" "$tmp/jwks.json" "$url" \
			"system:serviceaccount:$ns:app" sts.amazonaws.com 2>&1)
		expect "$ctx: create token: RS256 JWT verifies against /openid/v1/jwks, claims right" "valid" "$out"
	else
		fail "$ctx: create token" "$(kerr)"
	fi
	out=$(kc "$ctx" auth can-i patch serviceaccounts -n "$ns")
	expect "$ctx: auth can-i patch serviceaccounts" "yes" "$out"
	out=$(kc "$ctx" auth whoami -o jsonpath='{.status.userInfo.username}')
	expect "$ctx: auth whoami" "$who" "$out"

	if kc "$ctx" create deployment web --image=nginx -n "$ns" >/dev/null; then
		out=$(kc "$ctx" get deploy web -n "$ns" -o json |
			jq -r '[.spec.replicas, .spec.template.spec.containers[0].image, .spec.selector.matchLabels.app, .metadata.generation] | join(" ")')
		expect "$ctx: create deployment (protobuf body)" "1 nginx web 1" "$out"
	else
		fail "$ctx: create deployment" "$(kerr)"
	fi
	if kc "$ctx" rollout restart deployment/web -n "$ns" >"$tmp/out"; then
		out=$(kc "$ctx" get deploy web -n "$ns" -o json |
			jq -r '[(.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] | length > 0), .metadata.generation] | join(" ")')
		expect "$ctx: rollout restart sets restartedAt, bumps generation" "true 2" "$out"
	else
		fail "$ctx: rollout restart" "$(kerr)"
	fi

	if kc "$ctx" delete sa app -n "$ns" >/dev/null; then
		kc "$ctx" get sa app -n "$ns" >/dev/null
		expect_match "$ctx: delete sa, then get is NotFound" 'NotFound|not found' "$(kerr)"
	else
		fail "$ctx: delete sa" "$(kerr)"
	fi
	if kc "$ctx" delete ns "$ns" >/dev/null; then
		kc "$ctx" get sa fromfile -n "$ns" >/dev/null
		expect_match "$ctx: delete ns removes its contents" 'not found' "$(kerr)"
	else
		fail "$ctx: delete ns" "$(kerr)"
	fi
}

# ---------------------------------------------------------------------------- checks
code=$(raw GET '/version?timeout=5s')
expect "anonymous GET /version (kubectl dispatcher)" "200 v1.32" "$code $(jq -r '.gitVersion[0:5]' "$tmp/body")"
code=$(raw GET /.well-known/openid-configuration)
expect "anonymous OIDC discovery" "200 $url $url/openid/v1/jwks" \
	"$code $(jq -r '.issuer + " " + .jwks_uri' "$tmp/body")"
raw GET /openid/v1/jwks >/dev/null && cp "$tmp/body" "$tmp/jwks.json"
code=$(raw GET /api/v1/namespaces)
expect "anonymous list namespaces is 403 Forbidden" "403 Forbidden" "$code $(jq -r .reason "$tmp/body")"
code=$(raw GET /api/v1/namespaces -H 'Authorization: Bearer wrong')
expect "unknown bearer token is 401 Unauthorized Status" "401 Unauthorized Status" \
	"$code $(jq -r '.reason + " " + .kind' "$tmp/body")"

run_context token admin
run_context cert admin
if [ "$have_aws" = 1 ]; then
	run_context eks irsa-admin
else
	skip "eks context" "aws CLI not installed"
fi

# Read-only user.
out=$(kc viewer auth can-i patch serviceaccounts -n shop)
expect "viewer: auth can-i patch serviceaccounts says no" "no" "$out"
kc viewer patch sa billing -n shop -p '{"metadata":{"labels":{"x":"y"}}}' >/dev/null
expect "viewer: patch is Forbidden with the upstream message" \
	'Error from server (Forbidden): serviceaccounts "billing" is forbidden: User "viewer" cannot patch resource "serviceaccounts" in API group "" in the namespace "shop"' \
	"$(kerr)"
out=$(kc viewer get pods -n shop -o name | wc -l)
expect "viewer: can still list pods" "3" "$out"

# Selectors.
out=$(kc token get pods -n shop -l 'app=api' -o name | tr '\n' ' ')
expect "label selector app=api" "pod/api-1 pod/api-2 " "$out"
out=$(kc token get pods -n shop -l 'app in (api,worker),tier!=frontend' -o name | tr '\n' ' ')
expect "label selector with in and !=" "pod/api-1 pod/worker-1 " "$out"
out=$(kc token get pods -A --field-selector spec.serviceAccountName=billing -o name | tr '\n' ' ')
expect "field selector spec.serviceAccountName=billing" "pod/api-1 pod/worker-1 " "$out"
kc token get sa -n shop --field-selector spec.foo=bar >/dev/null
expect_match "unknown field selector is a 400 from the server" 'is not a known field selector' "$(kerr)"
if kc token get pods -n shop >"$tmp/out"; then
	expect_match "pods Table: NAME READY STATUS RESTARTS AGE" \
		'^NAME +READY +STATUS +RESTARTS +AGE.*api-1 +1/1 +Running +0 +[0-9]+y' "$(tr '\n' ' ' <"$tmp/out")"
else
	fail "get pods" "$(kerr)"
fi
if kc token get deploy -n shop >"$tmp/out"; then
	expect_match "deployments Table" '^NAME +READY +UP-TO-DATE +AVAILABLE +AGE.*api +1/2 +2 +1 ' \
		"$(tr '\n' ' ' <"$tmp/out")"
else
	fail "get deploy" "$(kerr)"
fi

# Strict field validation and optimistic concurrency.
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bad\n  namespace: shop\n  colour: red\nspec: {}\n' >"$tmp/bad.yaml"
kc token create -f "$tmp/bad.yaml" >/dev/null
expect "fieldValidation=Strict rejects unknown fields" \
	'Error from server (BadRequest): error when creating "'"$tmp"'/bad.yaml": ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.colour", unknown field "spec"' \
	"$(kerr)"
kc token get sa web -n shop -o json >"$tmp/web.json"
kc token label sa web -n shop touched=1 >/dev/null
kc token replace -f "$tmp/web.json" >/dev/null
expect_match "replace with a stale resourceVersion is a 409 Conflict" \
	'Conflict.*the object has been modified; please apply your changes to the latest version' "$(kerr)"
kc token create sa billing -n shop >/dev/null
expect_match "create of an existing name is AlreadyExists" \
	'failed to create serviceaccount: serviceaccounts "billing" already exists' "$(kerr)"
kc token create sa x -n nowhere >/dev/null
expect_match "create in a missing namespace is NotFound" 'namespaces "nowhere" not found' "$(kerr)"

# TokenRequest minimum lifetime.
kc token create token billing -n shop --duration 5m >/dev/null
expect_match "create token --duration 5m is Invalid (minimum 10 minutes)" \
	'may not specify a duration less than 10 minutes' "$(kerr)"

# EKS tokens, raw.
if [ "$have_aws" = 1 ]; then
	good=$(AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret AWS_CONFIG_FILE=/dev/null \
		AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --region us-east-1 eks get-token \
		--cluster-name "$cluster" --output json | jq -r .status.token)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $good")
	expect "EKS token from aws eks get-token is accepted" "200" "$code"
	# Flip one hex digit of X-Amz-Signature inside the base64url token.
	bad=$(python3 - "$good" <<'EOF'
import base64, sys
t = sys.argv[1]
url = base64.urlsafe_b64decode(t[11:] + "=" * (-len(t[11:]) % 4)).decode()
i = url.index("X-Amz-Signature=") + len("X-Amz-Signature=")
url = url[:i] + ("0" if url[i] != "0" else "1") + url[i + 1:]
print("k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("="))
EOF
)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $bad")
	expect "EKS token with one signature character changed is 401" "401 Unauthorized" \
		"$code $(jq -r .message "$tmp/body")"
	old=$(python3 "$tmp/mktoken.py" "$akid" "$secret" "$cluster" -1200)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $old")
	expect "EKS token signed 20 minutes ago (botocore, fake clock) is 401" "401" "$code"
	fresh=$(python3 "$tmp/mktoken.py" "$akid" "$secret" "$cluster" -600)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $fresh")
	expect "EKS token signed 10 minutes ago is still accepted" "200" "$code"
	future=$(python3 "$tmp/mktoken.py" "$akid" "$secret" "$cluster" 600)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $future")
	expect "EKS token dated 10 minutes in the future is 401" "401" "$code"
	unmapped=$(python3 "$tmp/mktoken.py" AKIAFAKEUNMAPPED0001 unmappedSecret "$cluster" 0)
	code=$(raw GET /api/v1/namespaces/shop -H "Authorization: Bearer $unmapped")
	expect "valid EKS identity without a mapping is 401 (as on EKS)" "401" "$code"
	kc eks-other get ns >/dev/null
	expect_match "kubectl with an EKS token for another cluster reports Unauthorized" \
		'You must be logged in to the server \(Unauthorized\)' "$(kerr)"
else
	skip "EKS raw token checks" "aws CLI not installed"
fi

# Pagination expiry.
admin POST continue-ttl -d '{"seconds": 0}' >/dev/null
raw GET '/api/v1/serviceaccounts?limit=1' -H 'Authorization: Bearer admin-token' >/dev/null
cont=$(jq -r .metadata.continue "$tmp/body")
sleep 0.1
code=$(raw GET "/api/v1/serviceaccounts?limit=1&continue=$cont" -H 'Authorization: Bearer admin-token')
expect "expired continue token is 410 Expired with a fresh continue token" "410 Expired true" \
	"$code $(jq -r '.reason + " " + (.metadata.continue | length > 0 | tostring)' "$tmp/body")"
code=$(raw GET '/api/v1/serviceaccounts?limit=1&continue=garbage' -H 'Authorization: Bearer admin-token')
expect "garbled continue token is 400 BadRequest" "400 BadRequest" "$code $(jq -r .reason "$tmp/body")"
admin POST continue-ttl -d '{"seconds": 300}' >/dev/null

# Faults.
admin POST faults -d '{"rules":[{"match":"^/api/v1/namespaces/shop/serviceaccounts$","method":"GET","status":429,"retry_after":1,"times":2}]}' >/dev/null
admin POST requests/reset >/dev/null
start=$(date +%s)
out=$(kc token get sa -n shop -o name | wc -l)
took=$(($(date +%s) - start))
admin GET requests >/dev/null
tries=$(jq '."GET /api/v1/namespaces/{ns}/serviceaccounts" // 0' "$tmp/body")
expect "429 with Retry-After is retried by kubectl and then succeeds" "3 items=3 waited" \
	"$tries items=$out $([ "$took" -ge 2 ] && echo waited || echo "no-wait(${took}s)")"
admin POST faults -d '{"rules":[{"match":"^/api/v1/namespaces/shop/serviceaccounts$","status":500}]}' >/dev/null
kc token get sa -n shop >/dev/null
expect_match "500 fault makes kubectl fail with InternalError" 'Error from server \(InternalError\)' "$(kerr)"
admin DELETE faults >/dev/null

echo "1..$n"
[ "$failed" -eq 0 ] || { echo "# $failed of $n failed"; exit 1; }
exit 0
