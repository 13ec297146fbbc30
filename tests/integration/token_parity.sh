#!/usr/bin/env bash
# tests/integration/token_parity.sh - `irsa token` against `aws eks get-token`
# (AWS CLI v1): under a frozen clock (libfaketime, Debian package faketime)
# both must print the same bytes for the same keys, region, endpoint and
# KUBERNETES_EXEC_INFO; then, on the real clock, the sandbox's fake API
# server must accept irsa's tokens, kubectl must work with a kubeconfig whose
# exec plugin is irsa, and --role-arn must sign with an AssumeRole session
# named EKSGetTokenAuth, as awscli's.
#   exit 0 all passed, 1 any failed, 77 skipped (tools missing)
set -u
# shellcheck disable=SC1091
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
irsa=$(cd "$(dirname "$irsa")" && pwd)/$(basename "$irsa")
TOP=$(cd "${IRSA_SRCDIR:-.}" && pwd)
SANDBOX="$TOP/tests/fakes/sandbox.py"
for tool in python3 aws curl; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
command -v faketime >/dev/null 2>&1 ||
	skip_all "faketime not found (Debian package faketime, in scripts/debian-packages.txt: run scripts/install-deps)"

BASE=$(mktemp -d "${TMPDIR:-/tmp}/irsa-token-parity.XXXXXX")
D="$BASE/sb"
cleanup() {
	[ -d "$D" ] && python3 "$SANDBOX" down --dir "$D" >"$BASE/down.log" 2>&1
	rm -rf "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$BASE/home"

tap_plan 45

# --- byte parity under a frozen clock -------------------------------------
FROZEN='2026-11-28 12:30:00' # libfaketime: an absolute time without '@' stands still
AKID=AKIDEXAMPLE
SECRET=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

# runs "$@" with a clean environment: example keys, no files, no IMDS
clean_env() {
	env -i PATH="$PATH" HOME="$BASE/home" TZ=UTC LC_ALL=C AWS_EC2_METADATA_DISABLED=true \
		AWS_CONFIG_FILE="$BASE/home/none" AWS_SHARED_CREDENTIALS_FILE="$BASE/home/none" "$@"
}

# parity DESC [--stderr] [VAR=VALUE...] -- ARGS: irsa token ARGS and aws eks
# get-token ARGS under the frozen clock, same environment; stdout must be
# the same bytes (and stderr too with --stderr), both exit 0.
parity() {
	local desc=$1 with_err=0 irc arc diag
	local envs=()
	shift
	if [ "$1" = --stderr ]; then
		with_err=1
		shift
	fi
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	clean_env "${envs[@]}" faketime -f "$FROZEN" "$irsa" token "$@" >"$BASE/irsa.out" 2>"$BASE/irsa.err"
	irc=$?
	clean_env "${envs[@]}" faketime -f "$FROZEN" aws eks get-token "$@" >"$BASE/aws.out" 2>"$BASE/aws.err"
	arc=$?
	diag="irsa exit $irc, aws exit $arc
$(diff "$BASE/aws.out" "$BASE/irsa.out" | head -8)
irsa stderr: $(head -c 300 "$BASE/irsa.err")"
	if [ "$with_err" = 1 ]; then
		diag="$diag
$(diff "$BASE/aws.err" "$BASE/irsa.err" | head -4)"
	fi
	[ "$irc" = 0 ] && [ "$arc" = 0 ] && [ -s "$BASE/aws.out" ] && cmp -s "$BASE/irsa.out" "$BASE/aws.out" &&
		{ [ "$with_err" = 0 ] || cmp -s "$BASE/irsa.err" "$BASE/aws.err"; }
	tap_result $? "$desc" "$diag"
}

# decoded presigned URL of the token in an ExecCredential file
token_url() {
	python3 -c 'import base64,json,sys
t = json.load(open(sys.argv[1]))["status"]["token"][len("k8s-aws-v1."):]
print(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)).decode())' "$1"
}

KEYS=("AWS_ACCESS_KEY_ID=$AKID" "AWS_SECRET_ACCESS_KEY=$SECRET")
got=$(clean_env faketime -f "$FROZEN" python3 -c 'import time; print(int(time.time()))')
is "$got" 1795869000 "faketime freezes python's clock at $FROZEN UTC"

parity "static keys, --region us-west-2" "${KEYS[@]}" -- --cluster-name my-cluster --region us-west-2
like "$(cat "$BASE/irsa.out")" '"expirationTimestamp": "2026-11-28T12:44:00Z"' \
	"irsa reads the frozen clock too (expiration = 12:30 + 14 min)"
like "$(token_url "$BASE/irsa.out")" 'X-Amz-Date=20261128T123000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=' \
	"query order as botocore writes it"
parity "session token (AWS_SESSION_TOKEN, characters to encode)" "${KEYS[@]}" \
	"AWS_SESSION_TOKEN=FQoG/ZXIvY+XdzEaD=x y~" -- --cluster-name my-cluster --region us-east-1
like "$(token_url "$BASE/irsa.out")" '&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=FQoG%2FZXIvY%2BXdzEaD%3Dx%20y~&X-Amz-Signature=' \
	"the session token sits between SignedHeaders and Signature"
parity "session token (legacy AWS_SECURITY_TOKEN)" "${KEYS[@]}" AWS_SECURITY_TOKEN=legacy-token -- \
	--cluster-name my-cluster --region us-east-1
parity "--region eu-west-1" "${KEYS[@]}" -- --region eu-west-1 --cluster-name shop-staging
parity "--region cn-north-1 (aws-cn)" "${KEYS[@]}" -- --cluster-name my-cluster --region cn-north-1
parity "--region us-gov-west-1 (aws-us-gov)" "${KEYS[@]}" -- --cluster-name my-cluster --region us-gov-west-1
parity "region from AWS_DEFAULT_REGION" "${KEYS[@]}" AWS_DEFAULT_REGION=ap-southeast-2 -- --cluster-name my-cluster
parity "no region: global endpoint signed for us-east-1" "${KEYS[@]}" -- --cluster-name my-cluster
parity "AWS_STS_REGIONAL_ENDPOINTS=legacy" "${KEYS[@]}" AWS_STS_REGIONAL_ENDPOINTS=legacy -- \
	--cluster-name my-cluster --region eu-central-1
parity "--cluster-id (Outposts local cluster)" "${KEYS[@]}" -- \
	--cluster-id 0123abcd-ef45-6789-abcd-ef0123456789 --region us-west-2
parity "--output json, as update-kubeconfig writes it" "${KEYS[@]}" -- \
	--region us-east-1 --cluster-name my-cluster --output json
parity "KUBERNETES_EXEC_INFO apiVersion v1" "${KEYS[@]}" \
	'KUBERNETES_EXEC_INFO={"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}' \
	-- --cluster-name my-cluster --region us-east-1
like "$(cat "$BASE/irsa.out")" '"apiVersion": "client.authentication.k8s.io/v1",' "KUBERNETES_EXEC_INFO v1 gives v1"
parity "KUBERNETES_EXEC_INFO v1alpha1: same output and deprecation warning" --stderr "${KEYS[@]}" \
	'KUBERNETES_EXEC_INFO={"apiVersion":"client.authentication.k8s.io/v1alpha1"}' -- --cluster-name c --region us-east-1
parity "KUBERNETES_EXEC_INFO not JSON: v1beta1 and the same warning" --stderr "${KEYS[@]}" \
	'KUBERNETES_EXEC_INFO={not json' -- --cluster-name c --region us-east-1
parity "KUBERNETES_EXEC_INFO unknown apiVersion: v1beta1 and the same warning" --stderr "${KEYS[@]}" \
	'KUBERNETES_EXEC_INFO={"apiVersion":"client.authentication.k8s.io/v2"}' -- --cluster-name c --region us-east-1
parity "AWS_ENDPOINT_URL set: presigned against it" "${KEYS[@]}" AWS_ENDPOINT_URL=http://127.0.0.1:5000 -- \
	--cluster-name shop-prod --region us-east-1
parity "AWS_ENDPOINT_URL_STS with a path wins over AWS_ENDPOINT_URL" "${KEYS[@]}" \
	AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_ENDPOINT_URL_STS=https://STS.example.com:443/base/path -- \
	--cluster-name shop-prod --region eu-west-1

# a profile from the files: --profile turns the environment's keys off
cat >"$BASE/home/config" <<EOF
[profile team]
region = eu-north-1
EOF
cat >"$BASE/home/credentials" <<EOF
[team]
aws_access_key_id = AKIDTEAM
aws_secret_access_key = team-secret
aws_session_token = team/token+
EOF
parity "--profile with keys in the credentials file, region from the profile" "${KEYS[@]}" \
	AWS_CONFIG_FILE="$BASE/home/config" AWS_SHARED_CREDENTIALS_FILE="$BASE/home/credentials" -- \
	--profile team --cluster-name my-cluster

# --- the sandbox: real clock ------------------------------------------------
if ! python3 "$SANDBOX" up --dir "$D" >"$BASE/up.log" 2>&1; then
	tap_result 1 "sandbox up" "$(tail -20 "$BASE/up.log")"
	for _ in $(seq 2 22); do tap_result 1 "skipped: the sandbox did not start"; done
	tap_done
fi
tap_result 0 "sandbox up"
# shellcheck disable=SC1091
. "$D/env"
CA="$D/pki/ca.pem"
PROD_URL=$IRSA_SANDBOX_KUBE_URL_SHOP_PROD
STAGING_URL=$IRSA_SANDBOX_KUBE_URL_SHOP_STAGING

http_code() { # URL TOKEN: status of GET URL/api/v1/namespaces with the bearer token
	curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$CA" \
		-H "Authorization: Bearer $2" "$1/api/v1/namespaces"
}
token_of() { # FILE: the token of an ExecCredential
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"]["token"])' "$1" 2>/dev/null
}

"$irsa" token --cluster-name shop-prod --region us-east-1 >"$BASE/prod.json" 2>"$BASE/err"
is "$(http_code "$PROD_URL" "$(token_of "$BASE/prod.json")")" 200 "irsa token (sandbox STS endpoint) accepted by shop-prod"
like "$(token_url "$BASE/prod.json")" "^$AWS_ENDPOINT_URL/\\?Action=GetCallerIdentity&" "the token names the sandbox endpoint"
(unset AWS_ENDPOINT_URL && "$irsa" token --cluster-name shop-prod --region us-east-1) >"$BASE/real.json" 2>"$BASE/err"
like "$(token_url "$BASE/real.json")" '^https://sts\.us-east-1\.amazonaws\.com/\?' \
	"without AWS_ENDPOINT_URL the token names sts.us-east-1.amazonaws.com (no network needed)"
is "$(http_code "$PROD_URL" "$(token_of "$BASE/real.json")")" 200 "that token is accepted by shop-prod"
"$irsa" --region eu-west-1 token --cluster-name shop-staging >"$BASE/staging.json" 2>"$BASE/err"
is "$(http_code "$STAGING_URL" "$(token_of "$BASE/staging.json")")" 200 "shop-staging token accepted by shop-staging"
is "$(http_code "$PROD_URL" "$(token_of "$BASE/staging.json")")" 401 "shop-staging token rejected by shop-prod (401)"
AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrongwrongwrongwrongwrong \
	"$irsa" token --cluster-name shop-prod >"$BASE/wrong.json" 2>"$BASE/err"
is "$(http_code "$PROD_URL" "$(token_of "$BASE/wrong.json")")" 401 "token signed with a wrong secret -> 401"

# kubectl with irsa as the exec plugin, in a clean environment
kubeconfig_for() { # EXEC-API-VERSION
	cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: shop-prod
  cluster:
    server: $PROD_URL
    certificate-authority: $CA
users:
- name: irsa
  user:
    exec:
      apiVersion: $1
      command: $irsa
      args: [token, --cluster-name, shop-prod, --region, us-east-1]
      env:
      - {name: AWS_ENDPOINT_URL, value: "$AWS_ENDPOINT_URL"}
      - {name: AWS_CONFIG_FILE, value: "$AWS_CONFIG_FILE"}
      - {name: AWS_SHARED_CREDENTIALS_FILE, value: "$AWS_SHARED_CREDENTIALS_FILE"}
      - {name: AWS_EC2_METADATA_DISABLED, value: "true"}
      interactiveMode: Never
contexts:
- name: shop-prod
  context: {cluster: shop-prod, user: irsa}
current-context: shop-prod
EOF
}
if command -v kubectl >/dev/null 2>&1; then
	for v in client.authentication.k8s.io/v1beta1 client.authentication.k8s.io/v1; do
		kubeconfig_for "$v" >"$BASE/kubeconfig"
		env -i PATH="$PATH" HOME="$BASE/home" KUBECONFIG="$BASE/kubeconfig" \
			kubectl get serviceaccounts -n orders -o name >"$BASE/out" 2>&1
		like "$(cat "$BASE/out")" 'serviceaccount/orders-api' "kubectl with exec irsa token ($v) lists the orders SAs"
	done
else
	tap_result 0 "kubectl not installed # SKIP"
	tap_result 0 "kubectl not installed # SKIP"
fi

# --role-arn: AssumeRole(EKSGetTokenAuth) with irsa-admin's keys, then presign
ADMIN_ARN=$(aws sts get-caller-identity --query Arn --output text 2>"$BASE/err")
ROLE_ARN=$(aws iam create-role --role-name irsa-token-parity --query Role.Arn --output text \
	--assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\
\"Principal\":{\"AWS\":\"$ADMIN_ARN\"},\"Action\":\"sts:AssumeRole\"}]}" 2>"$BASE/err")
like "$ROLE_ARN" '^arn:aws:iam::[0-9]{12}:role/irsa-token-parity$' "a role trusting irsa-admin is created (aws CLI)"
"$irsa" token --cluster-name shop-prod --role-arn "$ROLE_ARN" >"$BASE/role.json" 2>"$BASE/err"
is "$?" 0 "irsa token --role-arn exits 0"
ROLE_URL=$(token_url "$BASE/role.json" 2>/dev/null)
like "$ROLE_URL" 'X-Amz-Credential=ASIA[A-Z0-9]+%2F.*&X-Amz-Security-Token=[^&]+&X-Amz-Signature=' \
	"the --role-arn token is signed with temporary keys and carries their session token"
# moto's state tells which session made those keys, and their secret
session_check() { # URL: prints "ok <secret> <assumed-role arn>" when moto's session matches the URL
	curl -s --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/data.json" | python3 -c '
import json, sys, urllib.parse
q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(sys.argv[1]).query))
akid = q["X-Amz-Credential"].split("/")[0]
for s in json.load(sys.stdin)["sts"]["AssumedRole"]:
    if s["access_key_id"] == akid:
        good = (s["session_name"] == "EKSGetTokenAuth" and s["role_arn"] == sys.argv[2]
                and s["session_token"] == q["X-Amz-Security-Token"])
        print("ok" if good else "mismatch:" + s["session_name"], s["secret_access_key"], s["arn"])
' "$1" "$ROLE_ARN"
}
read -r verdict secret session_arn < <(session_check "$ROLE_URL")
is "$verdict" ok "moto: the keys come from AssumeRole of the role, session EKSGetTokenAuth (as awscli)"
verified=$(PYTHONPATH="$TOP/tests/fakes" python3 -c '
import sys
from kubefake import eks_token
keys = {sys.argv[2]: {"secret": sys.argv[3], "arn": sys.argv[4], "session_token": sys.argv[5]}}
print(eks_token.verify(sys.argv[1], "shop-prod", keys.get, sts_endpoints=[sys.argv[6]])[0])
' "$(token_of "$BASE/role.json")" \
	"$(sed -n 's/.*X-Amz-Credential=\([A-Z0-9]*\)%2F.*/\1/p' <<<"$ROLE_URL")" "${secret:-x}" "${session_arn:-x}" \
	"$(python3 -c 'import sys,urllib.parse as u; print(dict(u.parse_qsl(u.urlsplit(sys.argv[1]).query))["X-Amz-Security-Token"])' "$ROLE_URL" 2>/dev/null)" \
	"$AWS_ENDPOINT_URL" 2>&1)
is "$verified" "arn:aws:sts::123456789012:assumed-role/irsa-token-parity/EKSGetTokenAuth" \
	"the fake API server's verifier accepts the --role-arn token's signature"
# The fake learns the session's keys (its keys file is re-read at every
# check), but its iam_identity_mappings, fixed at start, do not map the
# role: real EKS answers an unmapped identity with 401, and so does the fake.
python3 - "$D/aws-keys.json" "$(sed -n 's/.*X-Amz-Credential=\([A-Z0-9]*\)%2F.*/\1/p' <<<"$ROLE_URL")" \
	"${secret:-x}" "${session_arn:-x}" \
	"$(python3 -c 'import sys,urllib.parse as u; print(dict(u.parse_qsl(u.urlsplit(sys.argv[1]).query))["X-Amz-Security-Token"])' "$ROLE_URL" 2>/dev/null)" <<'EOF'
import json, os, sys
path, akid, secret, arn, token = sys.argv[1:6]
keys = json.load(open(path))
keys[akid] = {"secret": secret, "arn": arn, "session_token": token}
with open(path + ".tmp", "w") as f:
    json.dump(keys, f)
os.replace(path + ".tmp", path)
EOF
is "$(http_code "$PROD_URL" "$(token_of "$BASE/role.json")")" 401 \
	"shop-prod answers the unmapped assumed role with 401 (the sandbox maps only irsa-admin and irsa-readonly)"
"$irsa" token --cluster-name shop-prod --role "$ROLE_ARN" >"$BASE/role2.json" 2>"$BASE/err"
read -r verdict _ _ < <(session_check "$(token_url "$BASE/role2.json" 2>/dev/null)")
is "$verdict" ok "--role (awscli's abbreviation) does the same"

# --- errors: one line and a hint on stderr, nothing on stdout, exit 1 --------
"$irsa" --profile readonly token --cluster-name shop-prod --role-arn "$ROLE_ARN" >"$BASE/out" 2>"$BASE/err"
rc=$?
is "$rc:$(wc -c <"$BASE/out")" "1:0" "--role-arn denied (irsa-readonly may not assume it): exit 1, nothing on stdout"
like "$(head -1 "$BASE/err")" '^irsa: AssumeRole role arn:aws:iam::[0-9]+:role/irsa-token-parity: .*AccessDenied' \
	"the error names the role and AccessDenied"
clean_env "$irsa" token --cluster-name shop-prod --region us-east-1 >"$BASE/out" 2>"$BASE/err"
rc=$?
is "$rc:$(wc -c <"$BASE/out")" "1:0" "no credentials anywhere: exit 1, nothing on stdout"
like "$(head -1 "$BASE/err")" '^irsa: ' "no credentials: the error on stderr"
"$irsa" token >"$BASE/out" 2>"$BASE/err"
is "$?:$(head -1 "$BASE/err")" "2:irsa: token needs --cluster-name NAME or --cluster-id ID" "no cluster: usage error, exit 2"

tap_done
