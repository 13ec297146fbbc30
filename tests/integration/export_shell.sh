#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions run through sb, which shellcheck cannot follow
# tests/integration/export_shell.sh - the -o shell export, run with the real
# aws CLI and kubectl, reaches the same end state as irsa apply. Two fresh
# sandboxes: in A, `irsa plan -o shell` scripts run with sh; in B, `irsa
# apply --yes` with the same flags. Two bindings cover every step kind: a
# fresh one on shop-staging (no OIDC provider: provider, new role, two
# attachments, a new service account with two annotations) and an existing
# role on shop-prod (the sts audience, removed from shop-prod's provider in
# both sandboxes first, added back; trust widened beside an ec2 statement;
# annotation; restart). The end states are compared after replacing each
# sandbox's issuer ids (and the trust Sid suffix derived from them) and its
# issuer CA's thumbprint by fixed tokens: the OIDC providers (url, client
# ids, thumbprints, tags), every live role (trust parsed, sorted with jq -S;
# attachments; tags), every service account's annotations, the restarted
# deployments. Then irsa plans nothing more in A, and the export is
# deterministic and valid sh.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
for tool in python3 kubectl curl jq aws openssl sh; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-export-shell.XXXXXX")
A=$dir/a
B=$dir/b
b_pid=
cleanup() {
	# B may still be starting when A bails out: let `up` finish (or fail and
	# clean up after itself) before stopping it.
	[ -n "$b_pid" ] && wait "$b_pid" 2>/dev/null
	python3 "${IRSA_SRCDIR:-.}/tests/fakes/sandbox.py" down --dir "$B" >/dev/null 2>&1
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 43
# Both sandboxes start at once (each picks its own free ports).
python3 "${IRSA_SRCDIR:-.}/tests/fakes/sandbox.py" up --dir "$B" >"$dir/b.log" 2>&1 &
b_pid=$!
sandbox_up "$A"
wait "$b_pid"
b_rc=$?
b_pid=
if [ "$b_rc" -ne 0 ]; then
	echo "# $(tail -5 "$dir/b.log")"
	bail_out "the second sandbox did not start"
fi

S3=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
SQS=arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess
NEW=(--context shop-staging -n analytics --service-account reports-new --create-service-account
	--policy "$S3" --policy "$SQS" --sts-regional-endpoints true)
OLD=(--context shop-prod -n orders --service-account orders-cron --role-name shop-prod-batch-ec2-mixed
	--restart-workloads)
new_role=shop-staging-analytics-reports-new
old_role=shop-prod-batch-ec2-mixed
restarted='kubectl.kubernetes.io/restartedAt'

# sb SANDBOX CMD...: CMD in a subshell with only that sandbox's env (its env
# file unsets and sets every variable the other one set) and its own state.
sb() {
	(
		set -a
		# shellcheck disable=SC1091
		. "$1/env"
		set +a
		export XDG_STATE_HOME="$1.state"
		shift
		"$@"
	)
}
run() { # SANDBOX CMD...: sets OUT, ERR, RC
	OUT=$(sb "$@" 2>"$dir/err" </dev/null)
	RC=$?
	ERR=$(cat "$dir/err")
}

# --- per-sandbox views (run through `sb`) ------------------------------------
# The SHA-1 thumbprint of the last certificate shop-staging's issuer host sends.
issuer_thumbprint() {
	local ct host port
	ct=$(jq -r '.clusters["shop-staging"].oidc.connect_to' "$IRSA_SANDBOX_MANIFEST")
	host=${ct%%:*} port=${ct##*:}
	openssl s_client -connect "127.0.0.1:$port" -servername "$host" -showcerts </dev/null 2>/dev/null |
		awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} /END CERT/{last=c} END{printf "%s", last}' |
		openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}
# stdin -> stdout with this sandbox's issuer ids (then their last 8 digits,
# which irsa's trust Sids carry) and issuer CA thumbprint as fixed tokens.
normalise() {
	local script="" c id tp
	for c in shop-prod shop-staging; do
		id=$(jq -r --arg c "$c" '.clusters[$c].issuer | sub(".*/id/"; "")' "$IRSA_SANDBOX_MANIFEST")
		script="$script s/$id/<$c-id>/g;"
	done
	for c in shop-prod shop-staging; do
		id=$(jq -r --arg c "$c" '.clusters[$c].issuer | sub(".*/id/"; "")' "$IRSA_SANDBOX_MANIFEST")
		script="$script s/${id: -8}/<$c-id8>/g;"
	done
	tp=$(issuer_thumbprint)
	[ -n "$tp" ] && script="$script s/$tp/<issuer-ca-sha1>/g;"
	sed -e "$script"
}
moto() { curl -s --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/data.json"; }
# Every OIDC provider, through IAM: url, client ids, thumbprints, tags.
providers() {
	local arn
	for arn in $(aws iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output text); do
		aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn" --output json
	done | jq -S -s 'map({Url, ClientIDList: (.ClientIDList | sort), ThumbprintList: (.ThumbprintList | sort),
		Tags: (.Tags // [] | sort_by(.Key))}) | sort_by(.Url)' | normalise
}
# Every live role (names from IAM; moto's dump keeps deleted ones too): the
# trust parsed, attachments, tags, path.
roles() {
	local live
	live=$(aws iam list-roles --query 'Roles[].RoleName' --output json)
	moto | jq -S --argjson live "$live" '[.iam.Role[]? | select(.name as $n | $live | index($n))] |
		group_by(.name) | map(last | {name, path, trust: (.assume_role_policy_document | fromjson),
		attached: ([.attached_managed_policies[].PolicyArn] | sort), tags: (.tags | sort_by(.Key))})' | normalise
}
# The two roles through IAM's own API: attached policies and tags.
roles_api() {
	local r
	for r in "$new_role" "$old_role"; do
		aws iam list-attached-role-policies --role-name "$r" --output json
		aws iam list-role-tags --role-name "$r" --output json
	done | jq -S -s --arg n "$new_role" --arg o "$old_role" '{($n): {attached: ([.[0].AttachedPolicies[].PolicyArn] | sort),
		tags: (.[1].Tags | sort_by(.Key))}, ($o): {attached: ([.[2].AttachedPolicies[].PolicyArn] | sort),
		tags: (.[3].Tags | sort_by(.Key))}}' | normalise
}
# Both clusters' service accounts and workloads, as kubectl gets them.
kube() {
	local ctx
	for ctx in shop-prod-token shop-staging; do
		kubectl --context "$ctx" get serviceaccounts,deployments,statefulsets,daemonsets -A -o json |
			jq --arg c "${ctx%-token}" '[.items[] | .cluster = $c]'
	done | jq -s add | normalise
}
# snapshot PREFIX: the end state, in PREFIX.{tp,providers,roles,roles_api,kube}.
snapshot() {
	issuer_thumbprint >"$1.tp" &
	providers >"$1.providers" &
	roles >"$1.roles" &
	roles_api >"$1.roles_api" &
	kube >"$1.kube" &
	wait
}
restarted_at() { # NS DEPLOYMENT (shop-prod)
	kubectl --context shop-prod-token -n "$1" get deployment "$2" -o json |
		jq -r --arg k "$restarted" '.spec.template.metadata.annotations[$k] // "<none>"'
}
# --- the scripts, planned in A -----------------------------------------------
# Both sandboxes lose the sts audience of shop-prod's provider, so that the
# existing role's binding adds it back (oidc-client-id).
drop_audience() {
	aws iam remove-client-id-from-open-id-connect-provider --client-id sts.amazonaws.com \
		--open-id-connect-provider-arn "$(jq -r '.clusters["shop-prod"].oidc_provider_arn' "$IRSA_SANDBOX_MANIFEST")"
}
sb "$A" drop_audience >"$dir/drop-a" 2>&1 &
sb "$B" drop_audience >"$dir/drop-b" 2>&1 &
wait
run "$A" "$irsa" plan "${NEW[@]}" -o json
is "$(printf '%s' "$OUT" | jq -r '[.steps[].kind] | join(",")' 2>&1)" \
	"oidc-provider,role-create,policy-attach,policy-attach,sa-create" \
	"A: the new binding plans a provider, a role, two attachments, a service account"
run "$A" "$irsa" plan "${OLD[@]}" -o json
is "$(printf '%s' "$OUT" | jq -r '[.steps[].kind] | join(",")' 2>&1)" "oidc-client-id,role-trust,sa-annotate,restart" \
	"A: the existing role's binding plans the audience, a trust update, an annotation, a restart"
export_to() { # SANDBOX FILE FLAGS...: irsa plan -o shell, the bytes as written
	local sbx=$1 file=$2
	shift 2
	sb "$sbx" "$irsa" plan "$@" -o shell >"$file" 2>"$dir/err" </dev/null
	RC=$?
	ERR=$(cat "$dir/err")
}
export_to "$A" "$dir/new.sh" "${NEW[@]}"
is "$RC" 0 "A: plan -o shell succeeds (new binding)"
export_to "$A" "$dir/new2.sh" "${NEW[@]}"
check "the shell export is deterministic (new binding: two plans, the same bytes)" cmp "$dir/new.sh" "$dir/new2.sh"
export_to "$A" "$dir/old.sh" "${OLD[@]}"
is "$RC" 0 "A: plan -o shell succeeds (existing role)"
export_to "$A" "$dir/old2.sh" "${OLD[@]}"
check "the shell export is deterministic (existing role: two plans, the same bytes)" cmp "$dir/old.sh" "$dir/old2.sh"
check "sh -n accepts the new binding's script" sh -n "$dir/new.sh"
check "sh -n accepts the existing role's script" sh -n "$dir/old.sh"
like "$(head -1 "$dir/new.sh") $(grep -c '^set -eu$' "$dir/new.sh")" '^#!/bin/sh 1$' "the script is #!/bin/sh with set -eu"
# B starts as A did: its plans are A's, up to the issuer ids and thumbprint.
sb "$A" normalise <"$dir/new.sh" >"$dir/new.norm"
export_to "$B" "$dir/new.b.sh" "${NEW[@]}"
sb "$B" normalise <"$dir/new.b.sh" >"$dir/new.b.norm"
check "B's plan for the new binding is A's, up to the issuer ids and thumbprint" diff "$dir/new.norm" "$dir/new.b.norm"
sb "$A" normalise <"$dir/old.sh" >"$dir/old.norm"
export_to "$B" "$dir/old.b.sh" "${OLD[@]}"
sb "$B" normalise <"$dir/old.b.sh" >"$dir/old.b.norm"
check "B's plan for the existing role is A's, up to the issuer ids" diff "$dir/old.norm" "$dir/old.b.norm"

# --- A: the scripts, with sh, the real aws CLI and kubectl --------------------
a_restarted_before=$(sb "$A" restarted_at orders orders-cron)
b_restarted_before=$(sb "$B" restarted_at orders orders-cron)
is "$a_restarted_before $b_restarted_before" "<none> <none>" "orders-cron has no restartedAt before (A and B)"
run "$A" sh "$dir/new.sh"
tap_result "$RC" "A: sh new.sh succeeds" "$OUT
$ERR"
run "$A" sh "$dir/old.sh"
tap_result "$RC" "A: sh old.sh succeeds" "$OUT
$ERR"
# --- B: irsa apply ------------------------------------------------------------
run "$B" "$irsa" apply "${NEW[@]}" --yes
tap_result "$RC" "B: irsa apply succeeds (new binding)" "$ERR"
run "$B" "$irsa" apply "${OLD[@]}" --yes
tap_result "$RC" "B: irsa apply succeeds (existing role)" "$ERR"

# --- irsa agrees the end state is its own ---------------------------------------
run "$A" "$irsa" plan "${NEW[@]}"
like "$OUT" 'Nothing to do' "A after the script: irsa plans nothing more (new binding)"
run "$A" "$irsa" plan "${OLD[@]}"
like "$OUT" 'Nothing to do' "A after the script: irsa plans nothing more (existing role)"
run "$B" "$irsa" plan "${NEW[@]}"
like "$OUT" 'Nothing to do' "B after apply: irsa plans nothing more (new binding)"
run "$B" "$irsa" plan "${OLD[@]}"
like "$OUT" 'Nothing to do' "B after apply: irsa plans nothing more (existing role)"

# --- the end states -------------------------------------------------------------
sb "$A" snapshot "$A" &
sb "$B" snapshot "$B" &
wait
for s in "$A" "$B"; do
	jq -S '.[] | select(.kind == "ServiceAccount" and .cluster == "shop-staging" and
		.metadata.namespace == "analytics" and .metadata.name == "reports-new") | .metadata | {annotations, labels}' \
		"$s.kube" >"$s.new_sa"
	jq -S '.[] | select(.kind == "ServiceAccount" and .cluster == "shop-prod" and
		.metadata.namespace == "orders" and .metadata.name == "orders-cron") | .metadata | {annotations, labels}' \
		"$s.kube" >"$s.old_sa"
	# every service account's annotations but the seed's own timestamp (it
	# depends on when the sandbox started)
	jq -S '[.[] | select(.kind == "ServiceAccount") | {cluster, ns: .metadata.namespace, name: .metadata.name,
		a: (.metadata.annotations // {} | del(.["irsa.test/role-annotated-at"]))}] | sort' "$s.kube" >"$s.all_sas"
	jq -r --arg k "$restarted" '.[] | select(.kind == "Deployment" and .cluster == "shop-prod" and
		.metadata.namespace == "orders" and .metadata.name == "orders-cron") |
		.spec.template.metadata.annotations[$k] // "<none>"' "$s.kube" >"$s.restarted_at"
	jq -r --arg k "$restarted" '[.[] | select(.spec.template.metadata.annotations[$k]?) |
		"\(.cluster) \(.kind) \(.metadata.namespace)/\(.metadata.name)"] | sort | join(", ")' "$s.kube" >"$s.restarted"
done
same() { # FILE-SUFFIX DESC [JQ-FILTER]
	local a b
	a=$(jq -S "${3:-.}" "$A.$1" 2>&1)
	b=$(jq -S "${3:-.}" "$B.$1" 2>&1)
	[ -n "$a" ] && [ "$a" != null ] && [ "$a" = "$b" ]
	tap_result $? "$2" "$(diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -40 | sed 's/^</A:/; s/^>/B:/')"
}

staging_url='oidc.eks.eu-west-1.amazonaws.com/id/<shop-staging-id>'
is "$(jq -r '[.[].ClientIDList | join(",")] | join(" ")' "$A.providers")" "sts.amazonaws.com sts.amazonaws.com" \
	"A: shop-staging's provider was made and shop-prod's has its audience back: client id sts.amazonaws.com"
for s in A B; do
	f=${!s}
	tp=$(jq -r --arg u "$staging_url" '.[] | select(.Url == $u) | .ThumbprintList | join(",")' "$f.providers")
	[[ "$(cat "$f.tp")" =~ ^[0-9a-f]{40}$ ]] && [ "$tp" = "<issuer-ca-sha1>" ]
	tap_result $? "$s: the new provider's thumbprint is its own issuer's last certificate's" \
		"provider: $tp, openssl: $(cat "$f.tp")"
done
same providers "the OIDC providers: the same urls and client ids" 'map({Url, ClientIDList})'
same providers "the OIDC providers: every field the same (thumbprints as <issuer-ca-sha1>, tags)"
same roles "the live roles: the same names" 'map(.name)'
same roles "the new role's trust: the same document (parsed, jq -S)" ".[] | select(.name == \"$new_role\") | .trust"
same roles "the existing role's trust: the same document" ".[] | select(.name == \"$old_role\") | .trust"
is "$(jq -r --arg r "$old_role" '.[] | select(.name == $r) | [.trust.Statement[] | .Principal.Service //
	(.Condition.StringEquals | to_entries[] | select(.key | endswith(":sub")) | .value | join(","))] | join(" ")' "$A.roles")" \
	"system:serviceaccount:orders:orders-batch,system:serviceaccount:orders:orders-cron ec2.amazonaws.com" \
	"A: the existing role's trust admits orders-cron beside orders-batch and keeps the ec2 statement"
same roles "every live role: the same trust, attachments, tags and path"
same roles_api "the new role: the same attached policies (ListAttachedRolePolicies)" ".[\"$new_role\"].attached"
is "$(jq -r --arg r "$new_role" '.[$r].attached | join(" ")' "$A.roles_api")" "$S3 $SQS" "A: the new role has both policies"
same roles_api "the new role: the same tags (ListRoleTags)" ".[\"$new_role\"].tags"
same roles_api "the existing role: the same attached policies and tags (IAM's API)" ".[\"$old_role\"]"
same new_sa "the new service account: the same annotations" .annotations
is "$(jq -r '.annotations["eks.amazonaws.com/role-arn"] + " " + .annotations["eks.amazonaws.com/sts-regional-endpoints"]' "$A.new_sa")" \
	"arn:aws:iam::123456789012:role/$new_role true" "A: the new service account has the role and the regional endpoints"
same new_sa "the new service account: the same labels (none)" ".labels // {}"
same old_sa "orders-cron: the same annotations" .annotations
same all_sas "every service account of both clusters: the same annotations"
like "$(cat "$A.restarted_at")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "A: orders-cron's template has a restartedAt"
like "$(cat "$B.restarted_at")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "B: orders-cron's template has a restartedAt"
is "$(cat "$A.restarted")" "$(cat "$B.restarted")" "the same workloads were restarted"
is "$(cat "$A.restarted")" "shop-prod Deployment orders/orders-cron" "A: orders-cron, and only it, was restarted"

tap_done
