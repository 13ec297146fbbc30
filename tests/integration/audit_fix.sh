#!/usr/bin/env bash
# tests/integration/audit_fix.sh - `irsa fix` end to end on the sandbox: for
# every fix action a seeded finding carries (the first finding per action in
# `irsa audit -o json`), `irsa fix REF --yes [--force]`, then: the finding is
# gone (a restart: the workload's template is stamped and the fake, as a
# cluster's controller and the pod identity webhook would, replaced its pods
# by new ones carrying AWS_ROLE_ARN), every other finding is unchanged (sorted refs
# before/after minus the fixed one), and nothing else changed, by the aws CLI
# (roles with trusts and attached policies, OIDC providers) and kubectl
# (service accounts and workloads of both clusters, minus resourceVersion,
# managedFields, generation and the fixed object). Also: a confirm fix with
# --yes but without --force and without a terminal is refused (exit 2) and
# changes nothing; --read-only is refused; an unknown ref and a manual finding
# exit 2; `irsa rollback --last` after a trust fix restores the trust byte for
# byte (moto's stored document).
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
for tool in python3 kubectl curl jq aws; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-fix.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sandbox_up "$dir/sb"
export XDG_STATE_HOME="$dir/state"

run() { # sets OUT, ERR, RC; no terminal
	OUT=$("$@" 2>"$dir/err" </dev/null)
	RC=$?
	ERR=$(cat "$dir/err")
}
audit_json() { "$irsa" audit --all-contexts -o json 2>/dev/null </dev/null; }
refs() { jq -r '[.findings[].ref] | sort | .[]' "$1"; }
moto() { curl -s --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/data.json"; }
role_doc() { moto | jq -r --arg n "$1" '[.iam.Role[]? | select(.name == $n)] | last | .assume_role_policy_document'; }
# IAM by the aws CLI: every role with its trust and attached policies (one
# GetAccountAuthorizationDetails), every provider with its client IDs;
# EXCEPT (a role name or provider ARN) left out.
iam_state() { # [EXCEPT]
	local ex=${1:-} p
	aws iam get-account-authorization-details --filter Role --output json | jq -S -c --arg ex "$ex" '
		[.RoleDetailList[] | select(.RoleName != $ex) |
		 {RoleName, Path, AssumeRolePolicyDocument, Attached: ([.AttachedManagedPolicies[].PolicyArn] | sort)}] |
		sort_by(.RoleName)'
	for p in $(aws iam list-open-id-connect-providers --output json | jq -r '.OpenIDConnectProviderList[].Arn' | sort); do
		[ "$p" = "$ex" ] && continue
		printf '%s ' "$p"
		aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$p" --output json |
			jq -c '{Url, ClientIDList: (.ClientIDList | sort)}'
	done
}
# Kubernetes by kubectl: service accounts and workloads of both clusters,
# without what every write changes; EXCEPT ("CONTEXT/KIND/NS/NAME") left out.
kube_state() { # [EXCEPT]
	local c
	for c in shop-prod shop-staging; do
		kubectl --context "$c" get sa,deploy,sts,ds -A -o json | jq -S -c --arg c "$c" --arg ex "${1:-}" '
			[.items[] | select(($c + "/" + (.kind | ascii_downcase) + "/" + .metadata.namespace + "/" + .metadata.name) != $ex) |
			 del(.metadata.resourceVersion, .metadata.managedFields, .metadata.generation, .status)]'
	done
}
# The pods a workload ("deployment/NS/NAME") owns, as irsa finds them:
# [{name, arn}], arn = AWS_ROLE_ARN when every container has it, else null.
workload_pods() { # CONTEXT WORKLOAD
	local kind=${2%%/*} ns name=${2##*/}
	ns=$(printf '%s' "$2" | cut -d/ -f2)
	kubectl --context "$1" -n "$ns" get pods -o json | jq -c --arg k "$kind" --arg n "$name" '
		[.items[] | select(.metadata.ownerReferences[0] as $o |
			if $k == "deployment" then $o.kind == "ReplicaSet" and
				$o.name == ($n + "-" + (.metadata.labels["pod-template-hash"] // ""))
			else ($o.kind | ascii_downcase) == $k and $o.name == $n end) |
		 {name: .metadata.name,
		  arn: ([.spec.containers[] | ([.env[]? | select(.name == "AWS_ROLE_ARN") | .value][0])] |
			if all(. != null) then .[0] else null end)}]'
}

audit_json >"$dir/a0.json"
if ! jq -e '.findings | length > 0' "$dir/a0.json" >/dev/null 2>&1; then
	tap_plan 1
	tap_result 1 "irsa audit --all-contexts -o json lists the seeded findings" "$("$irsa" audit --all-contexts -o json 2>&1 </dev/null | head -5)"
	tap_done
fi

ACTIONS="create-provider add-client-id rewrite-trust admit-sa remove-statements create-role annotate restart"
present=""
for a in $ACTIONS; do
	jq -e --arg a "$a" 'any(.findings[]; .fix != null and .fix.action == $a)' "$dir/a0.json" >/dev/null && present="$present $a"
done
n_actions=$(printf '%s\n' $present | grep -c .)
# add-client-id has no seeded finding (the sandbox's provider is right): the
# last block takes sts.amazonaws.com off shop-prod's provider with the aws
# CLI, then fixes the IRSA002 finding that makes.
extra=0
case " $present " in *" add-client-id "*) ;; *) extra=8 ;; esac
restart_extra=0
case " $present " in *" restart "*) restart_extra=3 ;; esac
tap_plan $((6 * n_actions + restart_extra + 12 + extra))
echo "# fix actions the seeded findings carry:$present"

# --- refusals first, on the untouched sandbox --------------------------------
iam0=$(iam_state)
kube0=$(kube_state)
confirm_ref=$(jq -r '[.findings[] | select(.fix != null and .fix.confirm)][0].ref // empty' "$dir/a0.json")
if [ -n "$confirm_ref" ]; then
	run "$irsa" fix "$confirm_ref" --yes
	is "$RC" 2 "a confirm fix with --yes but no --force and no terminal exits 2"
	like "$(printf '%s' "$ERR" | tr '\n' ' ')" "always asks.*no terminal.*nothing changed" "... saying why ($confirm_ref)"
else
	tap_result 1 "a seeded finding whose fix is marked confirm exists"
	tap_result 1 "... (none to refuse)"
fi
run "$irsa" --read-only fix "$(jq -r '[.findings[] | select(.fix != null)][0].ref' "$dir/a0.json")" --yes --force
is "$RC" 1 "--read-only: irsa fix refuses (exit 1)"
like "$ERR" "read-only" "... saying read-only mode"
run "$irsa" fix IRSA005:shop-prod:role/no-such-role --yes
is "$RC" 2 "an unknown ref exits 2"
like "$(printf '%s' "$ERR" | tr '\n' ' ')" "no finding IRSA005:shop-prod:role/no-such-role.*Run irsa audit" "... naming it, listing the refs of IRSA005 and pointing to irsa audit"
manual_ref=$(jq -r '[.findings[] | select(.fix == null and .cluster != null)][0].ref // empty' "$dir/a0.json")
run "$irsa" fix "${manual_ref:-IRSA020:shop-prod:role/none}" --yes --force
is "$RC" 2 "a manual finding exits 2 ($manual_ref)"
like "$(printf '%s' "$ERR" | tr '\n' ' ')" "fixed by hand.*Fix: " "... with the catalog's fix text"
is "$(iam_state)" "$iam0" "the refusals changed nothing in IAM"
is "$(kube_state)" "$kube0" "the refusals changed nothing in Kubernetes"

# --- every fix action, end to end ----------------------------------------------
cp "$dir/a0.json" "$dir/before.json"
first_trust_role=""
for a in $present; do
	f=$(jq -c --arg a "$a" '[.findings[] | select(.fix != null and .fix.action == $a)][0]' "$dir/before.json")
	ref=$(printf '%s' "$f" | jq -r .ref)
	if [ "$ref" = null ] || [ -z "$ref" ]; then
		# An earlier fix took this action's only finding with it.
		for _ in 1 2 3 4 5 6; do tap_result 1 "$a: a finding still carries it"; done
		[ "$a" = restart ] && for _ in 1 2 3; do tap_result 1 "$a: a finding still carries it"; done
		continue
	fi
	cluster=$(printf '%s' "$f" | jq -r .cluster)
	role=$(printf '%s' "$f" | jq -r '.roleArn // "" | sub("^.*/"; "")')
	ns=$(printf '%s' "$f" | jq -r '.namespace // ""')
	sa=$(printf '%s' "$f" | jq -r '.serviceAccount // ""')
	case $a in
	create-provider | add-client-id) except=$(printf '%s' "$f" | jq -r .providerArn) ;;
	create-role | rewrite-trust | admit-sa | remove-statements) except=$role ;;
	*) except="" ;;
	esac
	kexcept=""
	[ "$a" = annotate ] && kexcept="$cluster/serviceaccount/$ns/$sa"
	if [ "$a" = restart ]; then
		w=$(printf '%s' "$f" | jq -r '.fix.workloads[0] // .workload // ""') # deployment/NS/NAME
		kexcept="$cluster/${w%%/*}/$(printf '%s' "$w" | cut -d/ -f2)/${w##*/}"
		pods_b=$(workload_pods "$cluster" "$w" | jq -r '.[].name')
	fi
	iam_b=$(iam_state "$except")
	kube_b=$(kube_state "$kexcept")
	[ -n "$role" ] && doc_b=$(role_doc "$role")
	force=""
	[ "$(printf '%s' "$f" | jq -r .fix.confirm)" = true ] && force=--force
	run "$irsa" fix "$ref" --yes $force
	if [ "$a" = restart ]; then
		is "$RC" 0 "$a: irsa fix $ref --yes exits 0"
		like "$OUT" "$ref: fixed" "$a: ... and says fixed (the fake replaced the pods before irsa looked again)"
		like "$(kubectl --context "$cluster" -n "$(printf '%s' "$w" | cut -d/ -f2)" get "${w%%/*}" "${w##*/}" -o json |
			jq -r '.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] // "none"')" \
			'^[0-9]{4}-' "$a: $w's pod template is stamped restartedAt"
		# The fake replaces the pods as the controller and the webhook would.
		pods_a=$(workload_pods "$cluster" "$w")
		is "$(printf '%s' "$pods_a" | jq -r '.[].name' | grep -Fxc -f <(printf '%s\n' $pods_b))" 0 \
			"$a: $w's pods are new ($(printf '%s' "$pods_a" | jq -r '[.[].name] | join(" ")'))"
		is "$(printf '%s' "$pods_a" | jq -r --arg n "$(printf '%s\n' $pods_b | grep -c .)" --arg r "$(printf '%s' "$f" | jq -r '.roleArn // ""')" \
			'(length | tostring) == $n and length > 0 and all(.[]; .arn != null and ($r == "" or .arn == $r))')" true \
			"$a: ... as many as before, every container with AWS_ROLE_ARN ($(printf '%s' "$f" | jq -r '.roleArn // "the role"'))"
		audit_json >"$dir/after.json"
		is "$(refs "$dir/after.json" | grep -Fxc -- "$ref")" 0 "$a: the finding is gone from irsa audit -o json"
	else
		is "$RC" 0 "$a: irsa fix $ref --yes $force exits 0"
		like "$OUT" "$ref: fixed" "$a: ... and says fixed"
		audit_json >"$dir/after.json"
		is "$(refs "$dir/after.json" | grep -Fxc -- "$ref")" 0 "$a: the finding is gone from irsa audit -o json"
	fi
	audit_json >"$dir/after.json"
	# An annotation fix binds the account anew: findings about that account
	# (pods to restart, token automount) may follow; they are listed, and
	# every finding about anything else must be unchanged.
	same=$(printf '%s' "$ref" | sed 's/[][\.*^$]/\\&/g; s/^/^/; s/$/$/')
	if [ "$a" = annotate ]; then
		same=":$cluster:sa/$ns/$sa\$"
		echo "# findings about $ns/$sa after the fix: $(refs "$dir/after.json" | grep -- "$same" | tr '\n' ' ')"
	fi
	is "$(refs "$dir/after.json" | grep -v -- "$same")" "$(refs "$dir/before.json" | grep -v -- "$same")" \
		"$a: every other finding is unchanged"
	is "$(iam_state "$except")" "$iam_b" "$a: nothing else changed in IAM"
	is "$(kube_state "$kexcept")" "$kube_b" "$a: nothing else changed in Kubernetes"
	# The first trust fix is undone at once, with rollback --last.
	if [ -z "$first_trust_role" ] && { [ "$a" = rewrite-trust ] || [ "$a" = admit-sa ] || [ "$a" = remove-statements ]; }; then
		first_trust_role=$role
		run "$irsa" rollback --last --yes
		is "$RC" 0 "irsa rollback --last after the $a fix of $role exits 0"
		is "$(role_doc "$role")" "$doc_b" "... and restores $role's trust byte for byte"
		audit_json >"$dir/after.json"
	fi
	cp "$dir/after.json" "$dir/before.json"
done

if [ -z "$first_trust_role" ]; then
	tap_result 1 "a trust fix was applied to roll back"
	tap_result 1 "... (none)"
fi

# --- add-client-id: a provider made to lack the audience ----------------------
if [ "$extra" -gt 0 ]; then
	prov=$(jq -r '.clusters["shop-prod"].oidc_provider_arn' "$IRSA_SANDBOX_MANIFEST")
	# A second client ID first: a provider keeps at least one.
	aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "$prov" \
		--client-id other.example >/dev/null &&
		aws iam remove-client-id-from-open-id-connect-provider --open-id-connect-provider-arn "$prov" \
			--client-id sts.amazonaws.com >/dev/null
	audit_json >"$dir/before.json"
	ref=$(jq -r --arg p "$prov" '[.findings[] | select(.check == "IRSA002" and .providerArn == $p
		and .fix != null and .fix.action == "add-client-id")][0].ref // empty' "$dir/before.json")
	check "add-client-id: shop-prod's provider without sts.amazonaws.com is an IRSA002 finding with the fix" \
		test -n "$ref"
	iam_b=$(iam_state "$prov")
	kube_b=$(kube_state)
	run "$irsa" fix "${ref:-IRSA002:shop-prod:provider/none}" --yes
	is "$RC" 0 "add-client-id: irsa fix $ref --yes exits 0"
	like "$OUT" "$ref: fixed" "add-client-id: ... and says fixed"
	audit_json >"$dir/after.json"
	is "$(refs "$dir/after.json" | grep -Fxc -- "${ref:-none}")" 0 "add-client-id: the finding is gone from irsa audit -o json"
	is "$(aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$prov" --output json |
		jq -r '.ClientIDList | sort | join(",")')" "other.example,sts.amazonaws.com" \
		"add-client-id: the provider lists sts.amazonaws.com again, beside the other client ID"
	is "$(refs "$dir/after.json" | grep -vFx -- "${ref:-none}")" "$(refs "$dir/before.json" | grep -vFx -- "${ref:-none}")" \
		"add-client-id: every other finding is unchanged"
	is "$(iam_state "$prov")" "$iam_b" "add-client-id: nothing else changed in IAM"
	is "$(kube_state)" "$kube_b" "add-client-id: nothing else changed in Kubernetes"
fi
tap_done
