#!/usr/bin/env bash
# tests/integration/binding_engine.sh - irsa plan, apply and rollback against
# the sandbox, asserted on moto's state (its /moto-api/data.json dump, the
# documents as stored, byte for byte) and the fake API server's objects and
# request counter: bad input refused before any call; a fresh setup (OIDC
# provider with the issuer's thumbprint, the role with the trust the AWS docs
# prescribe, attachments, the annotation); a second plan empty and a second
# apply writing nothing; an existing trust's unrelated statement kept; a
# restart; a 403 mid-way leaving a journal and a rollback restoring the exact
# prior state; rollback after a successful apply; no terminal without --yes.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
for tool in python3 kubectl curl jq aws openssl; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-binding.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 66
sandbox_up "$dir/sb"
export XDG_STATE_HOME="$dir/state"
M=$IRSA_SANDBOX_MANIFEST
ADMIN=$IRSA_SANDBOX_FAKE_ADMIN_TOKEN
ACCT=123456789012
S3=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
SQS=arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess
staging_issuer=$(jq -r '.clusters["shop-staging"].issuer' "$M")
staging_hp=${staging_issuer#https://}
staging_provider="arn:aws:iam::$ACCT:oidc-provider/$staging_hp"

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$dir/err" </dev/null)
	RC=$?
	ERR=$(cat "$dir/err")
}
# moto's /moto-api/data.json holds the documents as stored (byte for byte),
# but also every object ever made, deleted ones too: the live names come
# from IAM itself.
moto() { curl -s --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/data.json"; }
role_names() { aws iam list-roles --query 'Roles[].RoleName' --output json | jq -r 'sort | join(" ")'; }
providers() { aws iam list-open-id-connect-providers --output json | jq -r '[.OpenIDConnectProviderList[].Arn | sub("^[^/]*/"; "")] | sort | join(" ")'; }
live_role() { moto | jq -c --arg n "$1" '[.iam.Role[]? | select(.name == $n)] | last'; }
role_doc() { live_role "$1" | jq -r '.assume_role_policy_document'; }
role_attached() { live_role "$1" | jq -r '[.attached_managed_policies[].PolicyArn] | sort | join(" ")'; }
iam_state() {
	local live prov
	live=$(aws iam list-roles --query 'Roles[].RoleName' --output json)
	prov=$(aws iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output json)
	moto | jq -S -c --argjson live "$live" --argjson prov "$prov" '{
		r: [.iam.Role[]? | select(.name as $n | $live | index($n)) | {name, assume_role_policy_document, attached_managed_policies, tags}],
		o: [.iam.OpenIDConnectProvider[]? | select(.arn as $a | $prov | index($a))]}'
}
kube_url() { # CLUSTER
	local v="IRSA_SANDBOX_KUBE_URL_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"
	printf '%s' "${!v}"
}
fake() { # CLUSTER METHOD PATH [BODY]
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $ADMIN" -X "$2" \
		-H 'Content-Type: application/json' ${4:+-d "$4"} "$(kube_url "$1")$3"
}
writes() { # CLUSTER: requests other than GET since the last reset
	fake "$1" GET /_fake/requests | jq '[to_entries[] | select(.key | startswith("GET ") | not) | .value] | add // 0'
}
sa_json() { # CONTEXT NS SA
	kubectl --context "$1" -n "$2" get serviceaccount "$3" -o json 2>/dev/null
}
ann() { # CONTEXT NS SA KEY
	sa_json "$1" "$2" "$3" | jq -r --arg k "$4" '.metadata.annotations[$k] // "<none>"'
}

# --- bad input: refused before any call --------------------------------------
fake shop-prod POST /_fake/requests/reset >/dev/null
before=$(iam_state)
run env AWS_ENDPOINT_URL=http://127.0.0.1:9 "$irsa" plan --context shop-prod -n Bad_NS --service-account x
is "$RC" 2 "plan: an invalid namespace is a usage error"
like "$ERR" 'namespace "Bad_NS".*DNS-1123' "plan: the error names the namespace and the rule"
run "$irsa" plan --context shop-prod -n orders --service-account UPPER
like "$ERR" 'service account name "UPPER"' "plan: an invalid service account name is refused"
run "$irsa" plan --context shop-prod -n orders --service-account x --role-name "$(printf 'r%.0s' $(seq 65))"
like "$ERR" '64' "plan: a role name over 64 characters is refused, saying the limit"
run "$irsa" plan --context shop-prod -n orders --service-account x --policy arn:aws:iam:policy/S3
like "$ERR" 'policy ARN' "plan: a malformed policy ARN is refused"
run env AWS_ENDPOINT_URL=http://127.0.0.1:9 "$irsa" plan --context shop-prod -n orders --service-account x \
	--policy arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess
like "$ERR" 'aws-cn' "plan: a policy ARN of another partition is refused before any AWS call"
run "$irsa" plan --context no-such-context -n orders --service-account x
like "$ERR" 'no-such-context' "plan: an unknown context is named"
run "$irsa" plan --context shop-prod -n orders --service-account x --service ec3
like "$ERR" 'ec2' "plan: an unknown service principal suggests the closest"
run "$irsa" plan --context shop-prod -n orders --service-account x --role-name a --role-arn arn:aws:iam::$ACCT:role/a
is "$RC" 2 "plan: --role-name with --role-arn is a usage error"
is "$(writes shop-prod)" 0 "bad input: no write reached the API server"
is "$(iam_state)" "$before" "bad input: IAM unchanged"

# --- fresh setup on shop-staging (no OIDC provider yet) -----------------------
uid_before=$(sa_json shop-staging analytics dashboards | jq -r .metadata.uid)
run "$irsa" plan --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$SQS" -o json
is "$RC" 0 "plan: fresh setup plans"
is "$(printf '%s' "$OUT" | jq -r '[.steps[].kind] | join(",")')" \
	"oidc-provider,role-create,policy-attach,policy-attach,sa-annotate" "plan: the steps of a fresh setup, in order"
is "$(providers)" "$(jq -r '[.clusters[] | select(.oidc_provider_arn) | .issuer | sub("^https://"; "")] | sort | join(" ")' "$M")" \
	"plan: changed nothing"
run "$irsa" apply --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$SQS" --yes -o json
is "$RC" 0 "apply: fresh setup succeeds"
is "$(printf '%s' "$OUT" | jq -r .done)" 5 "apply: five steps made"
like "$(providers)" "$staging_hp" "apply: the OIDC provider for shop-staging's issuer exists"
is "$(moto | jq -r --arg u "$staging_hp" '.iam.OpenIDConnectProvider[] | select(.url | endswith($u)) | .client_id_list | join(",")')" \
	sts.amazonaws.com "apply: the provider's client ID is sts.amazonaws.com"
if [ -n "${IRSA_CONNECT_TO:-}" ]; then
	port=$(kube_url shop-staging | sed 's/.*://')
	want=$(openssl s_client -connect "127.0.0.1:$port" -servername "${staging_hp%%/*}" -showcerts </dev/null 2>/dev/null |
		awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} /END CERT/{last=c} END{printf "%s", last}' |
		openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
	is "$(moto | jq -r --arg u "$staging_hp" '.iam.OpenIDConnectProvider[] | select(.url | endswith($u)) | .thumbprint_list | join(",")')" \
		"$want" "apply: the provider's thumbprint is the issuer's last certificate's"
else
	skip "IRSA_CONNECT_TO not set by the sandbox" 1
fi
role=shop-staging-analytics-dashboards
want_trust=$(jq -n -S --arg p "$staging_provider" --arg hp "$staging_hp" '{Version: "2012-10-17", Statement: [{Effect: "Allow",
	Principal: {Federated: $p}, Action: "sts:AssumeRoleWithWebIdentity", Condition: {StringEquals: {
	($hp + ":sub"): "system:serviceaccount:analytics:dashboards", ($hp + ":aud"): "sts.amazonaws.com"}}}]}')
is "$(role_doc $role | jq -S 'del(.Statement[].Sid)')" "$want_trust" "apply: the trust is the one the AWS docs prescribe"
is "$(role_attached $role)" "$S3 $SQS" "apply: both policies attached"
is "$(live_role $role | jq -r '.tags[] | select(.Key == "irsa:managed-by") | .Value')" irsa \
	"apply: the role is tagged as irsa's"
is "$(ann shop-staging analytics dashboards eks.amazonaws.com/role-arn)" "arn:aws:iam::$ACCT:role/$role" \
	"apply: the service account is annotated"
is "$(sa_json shop-staging analytics dashboards | jq -r .metadata.uid)" "$uid_before" \
	"apply: the service account was patched, not replaced"
journal=$(printf '%s' "$OUT" | jq -r .journal)
is "$(stat -c %a "$journal")" 600 "apply: the journal is mode 600"
is "$(stat -c %a "$(dirname "$journal")")" 700 "apply: the journal directory is mode 700"

# --- the second plan is empty, the second apply writes nothing -----------------
run "$irsa" plan --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$SQS"
like "$OUT" 'Nothing to do' "second plan: nothing to do"
run "$irsa" plan --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$SQS" -o json
is "$(printf '%s' "$OUT" | jq '.steps | length')" 0 "second plan: no steps"
before=$(iam_state)
fake shop-staging POST /_fake/requests/reset >/dev/null
run "$irsa" apply --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$SQS" --yes
is "$RC" 0 "second apply: succeeds"
is "$(writes shop-staging)" 0 "second apply: no write to the API server"
is "$(iam_state)" "$before" "second apply: IAM unchanged"

# --- an existing trust with an unrelated statement; a restart ----------------
role=shop-prod-batch-ec2-mixed
doc_before=$(role_doc $role)
svc_before=$(printf '%s' "$doc_before" | jq -c '.Statement[] | select(.Principal.Service)')
restarted=$(kubectl --context shop-prod-token -n orders get deploy orders-cron -o json | jq -r '.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] // "none"')
run "$irsa" apply --context shop-prod -n orders --service-account orders-cron --role-name $role --restart-workloads --yes -o json
is "$RC" 0 "existing role: apply succeeds"
is "$(role_doc $role | jq -c '.Statement[] | select(.Principal.Service)')" "$svc_before" \
	"existing role: the unrelated ec2 statement is kept as it was"
like "$(role_doc $role | jq -c '.Statement[] | select(.Principal.Federated) | .Condition.StringEquals | to_entries[] | select(.key | endswith(":sub")) | .value')" \
	'orders-batch.*orders-cron' "existing role: the web identity statement was widened, not duplicated"
is "$(role_doc $role | jq '[.Statement[] | select(.Principal.Federated)] | length')" 1 "existing role: one web identity statement"
now=$(kubectl --context shop-prod-token -n orders get deploy orders-cron -o json | jq -r '.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] // "none"')
[ "$now" != "$restarted" ] && [ "$now" != none ]
tap_result $? "existing role: the deployment running as it was restarted" "before $restarted, now $now"
run "$irsa" rollback --last --yes
is "$RC" 0 "existing role: rollback succeeds"
is "$(role_doc $role)" "$doc_before" "existing role: rollback restores the trust byte for byte"
is "$(ann shop-prod-token orders orders-cron eks.amazonaws.com/role-arn)" "<none>" "existing role: rollback removes the annotation"
like "$ERR" 'cannot be undone' "existing role: rollback says a restart cannot be undone"

# --- a 403 mid-way: journal, message, rollback to the exact prior state --------
before=$(iam_state)
sa_before=$(sa_json shop-prod-token orders orders-migrations | jq -S -c 'del(.metadata.resourceVersion)')
fake shop-prod POST /_fake/faults '{"rules": [{"match": "/serviceaccounts/orders-migrations$", "method": "PATCH", "status": 403, "message": "injected"}]}' >/dev/null
run "$irsa" apply --context shop-prod -n orders --service-account orders-migrations --policy "$S3" --yes
is "$RC" 1 "403: apply fails"
like "$ERR" 'step 3 .*Annotate' "403: the message names the failed step"
like "$ERR" 'irsa rollback .*journal' "403: the message offers rollback with the journal"
is "$(role_attached shop-prod-orders-orders-migrations)" "$S3" "403: the steps before it were made"
last=$(ls -t "$XDG_STATE_HOME/irsa/journal/" | head -1)
is "$(jq -r '.steps[2].status' "$XDG_STATE_HOME/irsa/journal/$last")" failed "403: the journal records the failed step"
fake shop-prod DELETE /_fake/faults >/dev/null
# A rerun after the failure converges: it makes only what is missing.
run "$irsa" apply --context shop-prod -n orders --service-account orders-migrations --policy "$S3" --yes -o json
is "$RC" 0 "403: a rerun after the cause is fixed succeeds"
is "$(printf '%s' "$OUT" | jq -r '[.done, (.steps | map(.kind) | join(","))] | join(" ")')" "1 sa-annotate" \
	"403: the rerun makes only the missing step"
run "$irsa" rollback "$(printf '%s' "$OUT" | jq -r .journal)" --yes
is "$RC" 0 "403: the rerun's rollback succeeds"
run "$irsa" rollback "$XDG_STATE_HOME/irsa/journal/$last" --yes
is "$RC" 0 "403: rollback succeeds"
is "$(iam_state)" "$before" "403: IAM is exactly as before"
is "$(sa_json shop-prod-token orders orders-migrations | jq -S -c 'del(.metadata.resourceVersion)')" "$sa_before" \
	"403: the service account is exactly as before"

# --- rollback after the successful fresh setup ------------------------------
# The seeded shop-staging roles name shop-staging's provider in their trust:
# the provider irsa created is theirs too now, so it stays.
run "$irsa" rollback "$journal" --yes
is "$RC" 1 "fresh setup: rollback says something was kept"
unlike "$(role_names)" 'shop-staging-analytics-dashboards' "fresh setup: rollback deletes the role it created"
like "$(providers)" "$staging_hp" "fresh setup: the OIDC provider other roles trust is kept"
like "$ERR" 'role shop-[a-z-]+ trusts it: kept' "fresh setup: rollback names the role that keeps the provider"
is "$(ann shop-staging analytics dashboards eks.amazonaws.com/role-arn)" "<none>" "fresh setup: rollback removes the annotation"

# --- confirmation ------------------------------------------------------------
before=$(iam_state)
run "$irsa" apply --context shop-staging -n analytics --service-account dashboards --policy "$S3"
is "$RC" 2 "no terminal and no --yes: refused"
like "$ERR" 'no terminal' "no terminal and no --yes: says why and how"
is "$(iam_state)" "$before" "no terminal and no --yes: nothing changed"
# On a terminal, apply asks; anything but y/yes changes nothing.
printf 'n\n' | script -qec "$(printf '%q ' "$irsa" apply --context shop-staging -n analytics --service-account dashboards --policy "$S3")" /dev/null >"$dir/tty.out" 2>&1
like "$(cat "$dir/tty.out")" 'Apply these [0-9]+ changes to shop-staging\? \[y/N\]' "on a terminal: apply asks, naming the cluster"
like "$(cat "$dir/tty.out")" 'Nothing changed' "on a terminal: no is no"
is "$(iam_state)" "$before" "on a terminal: answering no changes nothing"
run "$irsa" plan --context shop-prod -n orders --service-account orders-api --role-arn arn:aws:iam::$ACCT:role/shop-prod-orders --policy "$S3"
like "$OUT" 'Nothing to do' "a correctly bound account: nothing to do"
# --cluster and --region instead of a context: DescribeCluster's endpoint and the built-in token.
run env KUBECONFIG=/dev/null "$irsa" plan --cluster shop-prod --region us-east-1 -n orders --service-account orders-api \
	--role-arn arn:aws:iam::$ACCT:role/shop-prod-orders --policy "$S3"
like "$OUT" 'Nothing to do' "--cluster: reaches the cluster without a kubeconfig"
run env KUBECONFIG=/dev/null "$irsa" plan --cluster shop-prod --region us-east-1 -n orders --service-account orders-cron -o shell
like "$OUT" "kubectl -n orders annotate" "--cluster: the shell export's kubectl commands name no context"
like "$OUT" "aws eks update-kubeconfig --name shop-prod --region us-east-1" "--cluster: the shell export says how to get one"

tap_done
