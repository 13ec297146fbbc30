#!/usr/bin/env bash
# tests/integration/aws_commands.sh - irsa whoami, clusters and policies, and
# core's IAM and EKS calls (through tests/integration/aws_calls), against the
# sandbox's moto with signature checking and IAM policy enforcement on.
# Expectations come from the sandbox manifest, not from constants.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
calls=$(dirname "$irsa")/tests/integration/aws_calls
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
[ -x "$calls" ] || bail_out "tests/integration/aws_calls not built"
for tool in python3 aws jq script; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-aws-commands.XXXXXX")
sb="$dir/sb"
proxy_pid=""
cleanup() {
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 83

sandbox_up "$sb"
M=$IRSA_SANDBOX_MANIFEST
account=$(jq -r .account_id "$M")
admin_arn=$(jq -r '.users["irsa-admin"].arn' "$M")
readonly_arn=$(jq -r '.users["irsa-readonly"].arn' "$M")

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$dir/err")
	RC=$?
	ERR=$(cat "$dir/err")
}
jqo() { printf '%s' "$OUT" | jq -r "$@" 2>&1; }
nlines() { printf '%s\n' "$1" | grep -c .; }

# --- whoami ------------------------------------------------------------------
run "$irsa" whoami
is "$RC" 0 "whoami exits 0"
like "$OUT" "^ACCOUNT +$account" "whoami shows the account"
like "$OUT" "ARN +$admin_arn" "whoami shows irsa-admin's ARN"
like "$OUT" "CREDENTIALS +environment variables" "whoami says the keys came from the environment"
like "$OUT" "REGION +us-east-1" "whoami shows the region"

run "$irsa" whoami -o json
is "$(jqo '.[0].account + " " + .[0].arn + " " + .[0].profile + " " + .[0].region')" \
	"$account $admin_arn default us-east-1" "whoami -o json: account, arn, profile, region"
is "$(jqo '.[0].credentialSource')" "environment variables" "whoami -o json: credentialSource"
like "$(jqo '.[0].userId')" '^[A-Za-z0-9]+$' "whoami -o json: userId"

run "$irsa" --profile readonly whoami -o json
is "$(jqo '.[0].arn')" "$readonly_arn" "--profile readonly: irsa-readonly (--profile turns off the environment's keys)"
like "$(jqo '.[0].credentialSource')" "^profile readonly in .*aws-credentials$" "--profile readonly: the source names the profile and the file"

# --- clusters ----------------------------------------------------------------
want_clusters=$(jq -c '[.clusters[] | {name, region, arn, version, oidcIssuer: .issuer,
	oidcProviderArn: .oidc_provider_arn, context: .name}] | sort_by(.name)' "$M")
pick='[.[] | {name, region, arn, version, oidcIssuer, oidcProviderArn, context}] | sort_by(.name)'

run "$irsa" clusters -o json
is "$RC" 0 "clusters (configured region + profiles' regions) exits 0"
is "$(jqo -c "$pick")" "$want_clusters" "clusters -o json: both clusters as the manifest has them"
is "$(jqo '[.[] | select(.name == "shop-prod")][0].oidcProviderArn')" \
	"$(jq -r '.clusters["shop-prod"].oidc_provider_arn' "$M")" "shop-prod (us-east-1) has its OIDC provider ARN"
is "$(jqo '[.[] | select(.name == "shop-staging")][0].oidcProviderArn')" "null" "shop-staging (eu-west-1) has none: null"
is "$(jqo '[.[].status] | unique | join(",")')" "ACTIVE" "clusters -o json: status"

run "$irsa" clusters --region us-east-1 --region eu-west-1 -o json
is "$(jqo -c "$pick")" "$want_clusters" "--region twice: both regions"
run "$irsa" clusters --region us-east-1,eu-west-1 -o json
is "$(jqo -r '[.[].name] | sort | join(" ")')" "shop-prod shop-staging" "--region with a comma list"
run "$irsa" clusters --region eu-west-1 -o json
is "$(jqo -r '[.[].name] | join(" ")')" "shop-staging" "--region eu-west-1: only shop-staging"
run env -u AWS_REGION -u AWS_DEFAULT_REGION "$irsa" --profile staging clusters -o json
is "$(jqo -r '[.[].name] | sort | join(" ")')" "shop-prod shop-staging" \
	"--profile staging (eu-west-1) without AWS_REGION: every profile's region is asked"

run "$irsa" clusters
is "$RC" 0 "clusters (text) exits 0"
like "$(printf '%s' "$OUT" | head -1)" '^NAME +REGION +VERSION +STATUS +OIDC PROVIDER +CONTEXT +ISSUER +ARN$' \
	"text: upper-case headers, two spaces apart"
like "$OUT" '^shop-prod +us-east-1 +[0-9.]+ +ACTIVE +yes +shop-prod +https://' "text: shop-prod row, provider yes, its context"
like "$OUT" '^shop-staging +eu-west-1 +[0-9.]+ +ACTIVE +no +shop-staging ' "text: shop-staging row, provider no, its context"
unlike "$OUT" '…' "text piped: nothing cut"
unlike "$OUT" $'\033' "text piped: no colour"

# A terminal narrower than the table: cells are cut with "…" to fit.
script -qc "stty cols 100; NO_COLOR=1 '$irsa' clusters" /dev/null >"$dir/tty" 2>&1
wide=$(tr -d '\r' <"$dir/tty" | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')
is "$wide" 100 "text on a 100-column terminal: the widest line is 100 columns"
like "$(cat "$dir/tty")" 'https://oidc[^ ]*…' "text on a narrow terminal: long cells end with …"

run "$irsa" clusters --region us-east-1 --region 'no such region'
is "$RC" 1 "a failing region: exit 1"
like "$OUT" $'\nshop-prod +us-east-1' "a failing region does not hide the others"
is "$(printf '%s\n' "$ERR" | grep -c '^irsa: ')" 1 "a failing region: one error line"
like "$ERR" "^irsa: region no such region: " "the error line names the region"

SECONDS=0
run "$irsa" clusters --all-regions -o json
t_all=$SECONDS
is "$RC" 0 "--all-regions exits 0"
is "$(jqo -r '[.[].name] | sort | join(" ")')" "shop-prod shop-staging" "--all-regions finds both clusters"
echo "# clusters --all-regions: ${t_all}s"
run "$irsa" clusters --all-regions --region us-east-1
is "$RC" 2 "--all-regions with --region is a usage error (exit 2)"

# Regions are queried at once: behind a proxy that holds every request
# 400 ms, 6 regions (8 EKS requests, 2 of them in a row in each of two
# regions) + 1 IAM request take ~1.2 s at once, >= 3.6 s one after another.
python3 - "$AWS_ENDPOINT_URL" >"$dir/proxy.port" 2>"$dir/proxy.log" <<'PY' &
import http.client, http.server, socketserver, sys, time, urllib.parse
up = urllib.parse.urlsplit(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def do(self):
        time.sleep(0.4)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        c = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
        c.request(self.command, self.path, body=body or None, headers=dict(self.headers))
        r = c.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
proxy_pid=$!
for _ in $(seq 50); do [ -s "$dir/proxy.port" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$dir/proxy.port")"
start=$(date +%s%N)
run env AWS_ENDPOINT_URL="$proxy" "$irsa" clusters --region us-east-1,eu-west-1,us-west-2,us-east-2,ap-south-1,eu-central-1 -o json
ms=$((($(date +%s%N) - start) / 1000000))
is "$(jqo -r '[.[].name] | sort | join(" ")')" "shop-prod shop-staging" "6 regions through a slow proxy: both clusters"
check "6 regions through a 400 ms proxy take < 2.5 s (at once), not >= 3.6 s (took $ms ms)" test "$ms" -lt 2500
echo "# clusters, 6 regions behind a 400 ms proxy: $ms ms"

# --- policies ----------------------------------------------------------------
run "$irsa" policies --scope aws -o json
n_aws=$(jqo length)
n_cli=$(aws iam list-policies --scope AWS --query 'length(Policies)' --output json 2>&1)
is "$RC" 0 "policies --scope aws exits 0"
check "policies --scope aws: more than 1000 AWS managed policies ($n_aws)" test "$n_aws" -gt 1000
is "$n_aws" "$n_cli" "policies --scope aws: as many as 'aws iam list-policies --scope AWS'"
is "$(jqo '[.[] | select(.arn | startswith("arn:aws:iam::aws:policy/") | not)] | length')" 0 \
	"policies --scope aws: only AWS managed ARNs"
is "$(jqo '[.[] | select(.name == null or .arn == null)] | length')" 0 "policies -o json: every object has name and arn"
requests=$("$irsa" --debug policies --scope aws 2>&1 >/dev/null | grep -c 'http: request (attempt')
is "$requests" "$(((n_aws + 999) / 1000))" "policies --scope aws: $requests requests of 1000 (the aws CLI makes $(((n_cli + 99) / 100)))"
run "$calls" list-policies AWS 100
is "$(nlines "$OUT")" "$n_cli" "ListPolicies with pages of 100 ($(((n_cli + 99) / 100)) pages): every policy"
is "$(printf '%s\n' "$OUT" | sort -u | grep -c .)" "$n_cli" "ListPolicies with pages of 100: no policy twice"

run "$irsa" policies --search EKSclusterPOLICY -o json
like "$(jqo -r '[.[].name] | join(" ")')" '(^| )AmazonEKSClusterPolicy( |$)' "--search is case-insensitive"
is "$(jqo '[.[] | select(.name | ascii_downcase | contains("eksclusterpolicy") | not)] | length')" 0 \
	"--search keeps only matches"

aws iam create-policy --policy-name irsa-test-local --description "Reads the orders bucket (irsa test)" \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' \
	>/dev/null 2>"$dir/cp.err" || echo "# create-policy: $(cat "$dir/cp.err")"
run "$irsa" policies --scope local -o json
is "$(jqo -c '[.[] | {name, description, scope}]')" \
	'[{"name":"irsa-test-local","description":"Reads the orders bucket (irsa test)","scope":"local"}]' \
	"policies --scope local: the customer managed policy with its description (GetPolicy)"
run "$irsa" policies --search 'ORDERS BUCKET'
like "$OUT" $'^NAME +ARN +DESCRIPTION\nirsa-test-local +arn:aws:iam::'"$account"':policy/irsa-test-local +Reads the orders' \
	"--search matches descriptions (text table)"
run "$irsa" policies --search no-such-policy-anywhere
is "$RC:$OUT" "0:" "--search without a match prints nothing on stdout"
like "$ERR" "No policies match" "... and says so on stderr"
run "$irsa" policies --scope everything
is "$RC" 2 "policies --scope everything: usage error (exit 2)"

# --- ListRoles past 100 ----------------------------------------------------------
python3 - <<'PY' 2>"$dir/roles.err" || echo "# creating roles: $(tail -2 "$dir/roles.err")"
import botocore.session, json
iam = botocore.session.get_session().create_client("iam")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
for i in range(120):
    iam.create_role(RoleName="irsa-test-bulk-%03d" % i, AssumeRolePolicyDocument=trust)
PY
n_roles=$(aws iam list-roles --query 'length(Roles)' --output json 2>&1)
check "more than 100 roles exist ($n_roles)" test "$n_roles" -gt 100
run "$calls" list-roles 100
is "$(nlines "$OUT")" "$n_roles" "ListRoles with pages of 100: as many roles as the aws CLI lists"
is "$(printf '%s\n' "$OUT" | sort -u | grep -c .)" "$n_roles" "ListRoles with pages of 100: no role twice"
is "$(printf '%s\n' "$OUT" | grep -c '^irsa-test-bulk-')" 120 "ListRoles: the 120 new roles"
run "$calls" list-roles 0
is "$(nlines "$OUT")" "$n_roles" "ListRoles with pages of 1000: the same count"

# --- every IAM and EKS call ---------------------------------------------------------
aws iam create-role --role-name irsa-test-inline --assume-role-policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
	>/dev/null 2>&1
aws iam put-role-policy --role-name irsa-test-inline --policy-name inline --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' >/dev/null 2>&1
run "$calls" tour irsa-test shop-prod
for op in CreateRole GetRole UpdateAssumeRolePolicy TagRole AttachRolePolicy ListAttachedRolePolicies \
	ListRolePolicies GetRolePolicy GetPolicy GetPolicyVersion DetachRolePolicy DeleteRole GetAccountSummary \
	CreateOpenIDConnectProvider ListOpenIDConnectProviders UpdateOpenIDConnectProviderThumbprint \
	GetOpenIDConnectProvider DeleteOpenIDConnectProvider ListClusters DescribeCluster; do
	printf '%s\n' "$OUT" | grep -qx "$op ok" || echo "# $op: $(printf '%s\n' "$OUT" | grep "^$op " || echo missing)"
done
is "$(printf '%s\n' "$OUT" | grep -c ' ok$')" 21 "the tour: 21 operations answered as expected"
is "$(printf '%s\n' "$OUT" | grep '^AddClientIDToOpenIDConnectProvider ')" "AddClientIDToOpenIDConnectProvider ok" \
	"AddClientIDToOpenIDConnectProvider (moto lacks it; the sandbox adds it)"

# --- errors ------------------------------------------------------------------------
run env AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY%????}XXXX" "$irsa" whoami
is "$RC" 1 "a wrong secret: exit 1"
like "$ERR" '^irsa: GetCallerIdentity: .*\(SignatureDoesNotMatch, HTTP 403' "a wrong secret: names SignatureDoesNotMatch"
like "$ERR" $'\nCheck the secret access key' "a wrong secret: the hint says to check the secret"
is "$(nlines "$ERR")" 2 "a wrong secret: one error line and one hint line"
run env AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY%????}XXXX" "$irsa" policies
like "$RC:$ERR" '^1:irsa: ListPolicies: .*SignatureDoesNotMatch' "a wrong secret on IAM: ListPolicies names SignatureDoesNotMatch"

run "$irsa" --profile readonly policies --scope local -o json
is "$RC:$(jqo length)" "0:1" "--profile readonly can list policies"
run "$irsa" --profile readonly clusters -o json
is "$RC:$(jqo length)" "0:2" "--profile readonly can list clusters"
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_PROFILE=readonly "$calls" create-role irsa-test-denied
is "$RC" 1 "readonly: CreateRole fails"
like "$ERR" 'AccessDenied' "readonly: CreateRole answers AccessDenied"
like "$ERR" 'iam:CreateRole' "readonly: the error names iam:CreateRole"

run env -u AWS_REGION -u AWS_DEFAULT_REGION AWS_CONFIG_FILE=/dev/null "$irsa" whoami
is "$RC" 1 "no region anywhere: exit 1"
like "$ERR" '^irsa: .*region' "no region: the message says so"
is "$(nlines "$ERR")" 2 "no region: one error line and one hint line"
run "$irsa" whoami --region 'us east 1'
like "$RC:$ERR" '^1:irsa: .*"us east 1" is not a valid AWS region' "an invalid region: exit 1, named"
run "$irsa" whoami --profile no-such-profile
like "$RC:$ERR" '^1:irsa: .*no-such-profile' "an unknown profile: exit 1, named"

# --- a role profile (role_arn + source_profile) end to end -------------------------
role_arn="arn:aws:iam::$account:role/irsa-test-assumable"
aws iam create-role --role-name irsa-test-assumable --assume-role-policy-document \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"$admin_arn\"},\"Action\":\"sts:AssumeRole\"}]}" \
	>/dev/null 2>&1
aws iam put-role-policy --role-name irsa-test-assumable --policy-name use --policy-document \
	'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetCallerIdentity","eks:*","iam:List*","iam:Get*"],"Resource":"*"}]}' \
	>/dev/null 2>&1
cp "$AWS_CONFIG_FILE" "$dir/config"
printf '\n[profile assumer]\nrole_arn = %s\nsource_profile = default\nregion = us-east-1\n' "$role_arn" >>"$dir/config"
run env AWS_CONFIG_FILE="$dir/config" "$irsa" --profile assumer whoami -o json
is "$RC" 0 "--profile assumer (role_arn + source_profile): whoami exits 0"
like "$(jqo '.[0].arn')" "^arn:aws:sts::$account:assumed-role/irsa-test-assumable/" "whoami shows the assumed-role ARN"
like "$(jqo '.[0].credentialSource')" "assumed role $role_arn" "the source says the role was assumed"
run env AWS_CONFIG_FILE="$dir/config" "$irsa" --profile assumer clusters --region us-east-1 -o json
is "$RC:$(jqo -r '.[0].name')" "0:shop-prod" "--profile assumer: clusters works with the role's keys"

# --- --debug shows no secret ---------------------------------------------------------
canary="IQoJb3JpZ2luX2VjEJr//////////CANARYSESSIONTOKEN0123456789abcdefghijklmnopqrstuvwxyz=="
run env AWS_SESSION_TOKEN="$canary" "$irsa" --debug whoami
like "$ERR" 'http: request \(attempt 1\)' "--debug traces the request"
like "$ERR" 'X-Amz-Security-Token: ' "--debug shows the token header ..."
unlike "$ERR" "CANARYSESSIONTOKEN" "... never the session token"
unlike "$ERR" "$(printf '%s' "$AWS_SECRET_ACCESS_KEY" | sed 's/[][\.*^$/+?(){}|]/\\&/g')" "--debug: never the secret key"
run env AWS_CONFIG_FILE="$dir/config" "$irsa" --debug --profile assumer whoami
like "$ERR" '<AssumeRoleResponse' "--debug (role profile) traces the AssumeRole answer"
unlike "$ERR" 'Signature=[0-9a-f]{64}|<SecretAccessKey>[A-Za-z0-9/+]{16,}|<SessionToken>[A-Za-z0-9/+=]{16,}' \
	"--debug (role profile): no signature, secret key or session token"

tap_done
