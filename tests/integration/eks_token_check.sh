#!/usr/bin/env bash
# TAP: EKS bearer tokens (aws eks get-token, AWS CLI v1) against the sandbox's
# fake Kubernetes API servers, and moto's signature/policy enforcement.
#   exit 0 all passed, 1 any failed, 77 skipped (tools missing)
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SANDBOX="$TOP/tests/fakes/sandbox.py"

for tool in python3 aws curl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "1..0 # SKIP $tool not found"
        exit 77
    fi
done
if [ ! -f "$TOP/tests/fakes/kube_apiserver.py" ] && [ -z "${IRSA_SANDBOX_KUBE_APISERVER:-}" ]; then
    echo "1..0 # SKIP tests/fakes/kube_apiserver.py not present"
    exit 77
fi

BASE=$(mktemp -d "${TMPDIR:-/tmp}/irsa-eks-token.XXXXXX")
D="$BASE/sb"
cleanup() {
    python3 "$SANDBOX" down --dir "$D" >"$BASE/down.log" 2>&1 || cat "$BASE/down.log" >&2
    rm -rf "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

N=0
FAILED=0
ok()     { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILED=1; echo "not ok $N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check()  { # check DESC COMMAND... (ok if the command succeeds)
    local desc=$1; shift
    if "$@" >"$BASE/out" 2>&1; then ok "$desc"; else not_ok "$desc" "$(tail -3 "$BASE/out")"; fi
}

echo "1..21"

if ! python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log"; then
    not_ok "sandbox up" "$(tail -20 "$BASE/up.log")"
    for i in $(seq 2 21); do not_ok "skipped: sandbox did not start"; done
    exit 1
fi
ok "sandbox up"
# shellcheck disable=SC1091
. "$D/env"
CA="$D/pki/ca.pem"
PROD_URL=$IRSA_SANDBOX_KUBE_URL_SHOP_PROD
STAGING_URL=$IRSA_SANDBOX_KUBE_URL_SHOP_STAGING

# status code of GET URL/api/v1/namespaces with a bearer token
http_code() { # URL TOKEN
    curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$CA" \
        -H "Authorization: Bearer $2" "$1/api/v1/namespaces"
}
get_token() { # CLUSTER REGION [env -u ...]
    aws --region "$2" eks get-token --cluster-name "$1" --output json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["token"])'
}
token_url() { # TOKEN -> decoded presigned URL
    python3 -c 'import base64,sys; t=sys.argv[1][len("k8s-aws-v1."):]; print(base64.urlsafe_b64decode(t+"="*(-len(t)%4)).decode())' "$1"
}
expect_code() { # DESC WANT URL TOKEN
    local got
    got=$(http_code "$3" "$4")
    if [ "$got" = "$2" ]; then ok "$1"; else not_ok "$1" "want HTTP $2, got $got"; fi
}

# --- tokens made with the sandbox endpoint (AWS_ENDPOINT_URL set)
TOK=$(get_token shop-prod us-east-1 2>"$BASE/gt.log") || TOK=""
if [ -n "$TOK" ]; then ok "aws eks get-token (sandbox endpoint) makes a token"; else not_ok "aws eks get-token (sandbox endpoint) makes a token" "$(tail -3 "$BASE/gt.log")"; fi
URL=$(token_url "$TOK" 2>/dev/null)
case "$URL" in
    "$AWS_ENDPOINT_URL"/\?*Action=GetCallerIdentity*) ok "token URL points at the sandbox STS endpoint" ;;
    *) not_ok "token URL points at the sandbox STS endpoint" "url host: ${URL%%\?*}" ;;
esac
expect_code "valid token (sandbox endpoint) accepted by shop-prod" 200 "$PROD_URL" "$TOK"

TAMPERED_SIG=$(python3 - "$TOK" <<'EOF'
import base64, re, sys
t = sys.argv[1][len("k8s-aws-v1."):]
url = base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)).decode()
m = re.search(r"X-Amz-Signature=([0-9a-f]+)", url)
sig = m.group(1)
bad = sig[:-1] + ("0" if sig[-1] != "0" else "1")
url = url.replace(sig, bad)
print("k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("="))
EOF
)
expect_code "token with one signature character changed -> 401" 401 "$PROD_URL" "$TAMPERED_SIG"

TAMPERED_RAW=$(python3 - "$TOK" <<'EOF'
import sys
t = sys.argv[1]
i = len("k8s-aws-v1.") + (len(t) - len("k8s-aws-v1.")) // 2
c = t[i]
print(t[:i] + ("A" if c != "A" else "B") + t[i + 1:])
EOF
)
expect_code "token with one raw character changed -> 401" 401 "$PROD_URL" "$TAMPERED_RAW"

# token signed with the clock moved back MINUTES (awscli's own generator)
old_token() { # MINUTES
    python3 - "$1" <<'EOF'
import datetime, sys
import botocore.auth
import botocore.session
from awscli.customizations.eks.get_token import STSClientFactory, TokenGenerator
past = (datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        - datetime.timedelta(minutes=int(sys.argv[1])))
botocore.auth.get_current_datetime = lambda *a, **k: past
client = STSClientFactory(botocore.session.get_session()).get_sts_client(region_name="us-east-1")
print(TokenGenerator(client).get_token("shop-prod"))
EOF
}
RECENT=$(old_token 5 2>/dev/null) || RECENT=""
expect_code "token with X-Amz-Date 5 minutes ago still accepted (control)" 200 "$PROD_URL" "$RECENT"
EXPIRED=$(old_token 20 2>"$BASE/exp.log") || EXPIRED=""
EXP_DATE=$(token_url "$EXPIRED" 2>/dev/null | sed -n 's/.*X-Amz-Date=\([0-9TZ]*\).*/\1/p')
expect_code "token with X-Amz-Date 20 minutes ago ($EXP_DATE) -> 401" 401 "$PROD_URL" "$EXPIRED"

STAGING_TOK=$(get_token shop-staging eu-west-1 2>/dev/null) || STAGING_TOK=""
expect_code "token for cluster shop-staging sent to shop-prod -> 401" 401 "$PROD_URL" "$STAGING_TOK"
expect_code "token for shop-staging accepted by shop-staging" 200 "$STAGING_URL" "$STAGING_TOK"

UNKNOWN_TOK=$(AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY \
    get_token shop-prod us-east-1 2>/dev/null) || UNKNOWN_TOK=""
expect_code "token signed with an unknown access key -> 401" 401 "$PROD_URL" "$UNKNOWN_TOK"

# --- token made without the sandbox endpoint: the real STS host name; presigning needs no network
REAL_TOK=$( (unset AWS_ENDPOINT_URL; get_token shop-prod us-east-1) 2>/dev/null) || REAL_TOK=""
REAL_URL=$(token_url "$REAL_TOK" 2>/dev/null)
case "$REAL_URL" in
    https://sts.us-east-1.amazonaws.com/\?*) ok "token without AWS_ENDPOINT_URL names sts.us-east-1.amazonaws.com" ;;
    *) not_ok "token without AWS_ENDPOINT_URL names sts.us-east-1.amazonaws.com" "url host: ${REAL_URL%%\?*}" ;;
esac
expect_code "token with the real STS host accepted by shop-prod" 200 "$PROD_URL" "$REAL_TOK"

# --- moto enforces signatures and policies
if AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrongwrongwrongwrongwrong aws iam list-roles >"$BASE/out" 2>&1; then
    not_ok "iam list-roles with a wrong secret fails" "it succeeded"
elif grep -Eq 'SignatureDoesNotMatch|InvalidClientTokenId' "$BASE/out"; then
    ok "iam list-roles with a wrong secret fails (SignatureDoesNotMatch)"
else
    not_ok "iam list-roles with a wrong secret fails (SignatureDoesNotMatch)" "$(tail -2 "$BASE/out")"
fi

if aws eks list-clusters --region us-east-1 --output json >"$BASE/out" 2>&1 && grep -q '"shop-prod"' "$BASE/out"; then
    ok "eks list-clusters (signed GET) succeeds"
else
    not_ok "eks list-clusters (signed GET) succeeds" "$(tail -2 "$BASE/out")"
fi
EP=$(aws eks describe-cluster --name shop-prod --query cluster.endpoint --output text 2>"$BASE/out")
if [ "$EP" = "$PROD_URL" ]; then
    ok "eks describe-cluster succeeds and points at the fake API server"
else
    not_ok "eks describe-cluster succeeds and points at the fake API server" "endpoint '$EP'" "$(tail -2 "$BASE/out")"
fi
# the profiles work without the env file's keys and region (AWS_REGION would win over a profile's region)
check "eks describe-cluster --profile staging (eu-west-1 from the profile)" \
    env -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
    aws --profile staging eks describe-cluster --name shop-staging

if aws --profile readonly iam create-role --role-name should-not-exist \
        --assume-role-policy-document '{"Version":"2012-10-17","Statement":[]}' >"$BASE/out" 2>&1; then
    not_ok "irsa-readonly gets AccessDenied on iam create-role" "it succeeded"
elif grep -q 'AccessDenied' "$BASE/out"; then
    ok "irsa-readonly gets AccessDenied on iam create-role"
else
    not_ok "irsa-readonly gets AccessDenied on iam create-role" "$(tail -2 "$BASE/out")"
fi

code=$(curl -s --noproxy '*' -o "$BASE/out" -w '%{http_code}' -X POST -d 'Action=ListRoles&Version=2010-05-08' "$AWS_ENDPOINT_URL/")
if [ "$code" = 403 ] && grep -q MissingAuthenticationToken "$BASE/out"; then
    ok "unsigned IAM request -> 403 MissingAuthenticationToken"
else
    not_ok "unsigned IAM request -> 403 MissingAuthenticationToken" "HTTP $code: $(head -c 200 "$BASE/out")"
fi
# a fresh token's presigned URL (X-Amz-Expires=60) replayed against moto's STS (what a verifier does)
URL=$(token_url "$(get_token shop-prod us-east-1 2>/dev/null)" 2>/dev/null)
code=$(curl -s --noproxy '*' -o "$BASE/out" -w '%{http_code}' -H 'x-k8s-aws-id: shop-prod' "$URL")
code2=$(curl -s --noproxy '*' -o "$BASE/out2" -w '%{http_code}' -H 'x-k8s-aws-id: shop-staging' "$URL")
if [ "$code" = 200 ] && grep -q 'user/irsa-admin' "$BASE/out" && [ "$code2" = 403 ] && grep -q SignatureDoesNotMatch "$BASE/out2"; then
    ok "presigned GetCallerIdentity replayed to moto: irsa-admin; other cluster id -> SignatureDoesNotMatch"
else
    not_ok "presigned GetCallerIdentity replayed to moto" "HTTP $code: $(head -c 200 "$BASE/out")" "HTTP $code2: $(head -c 200 "$BASE/out2")"
fi

# --- the kubeconfig's exec user works without sourcing the env file
if command -v kubectl >/dev/null 2>&1; then
    if env -i PATH="$PATH" HOME="$BASE" KUBECONFIG="$D/kubeconfig" \
            kubectl get serviceaccounts -n orders -o name >"$BASE/out" 2>&1 &&
            grep -q 'serviceaccount/orders-api' "$BASE/out"; then
        ok "kubectl (exec aws eks get-token, clean env) lists orders SAs"
    else
        not_ok "kubectl (exec aws eks get-token, clean env) lists orders SAs" "$(tail -3 "$BASE/out")"
    fi
else
    ok "kubectl not installed # SKIP"
fi

exit $FAILED
