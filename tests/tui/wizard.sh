#!/usr/bin/env bash
# tests/tui/wizard.sh - the setup wizard in a real terminal (tmux) on the
# sandbox: from the clusters screen (shop-staging -> analytics -> dashboards
# -> b) through every step (the suggested role name and its validation, an
# AWS managed policy and the EBS CSI preset chosen from the searchable list,
# the preview with the trust policy, the YAML and the steps, an export) to a
# successful apply, checked on moto's state and the fake API server's
# objects, and a headless plan that is then empty; a run cancelled at the
# preview (the confirmation starts on Cancel, then <Cancel>) that changes
# nothing; a failed apply (a 403 injected) rolled back from the wizard; Esc
# stopping an apply between steps (a slow PATCH: the restart after it is
# not made), then rolled back; the presets' customer managed policy
# templates written with w, each accepted by IAM, and found with R; and
# read-only mode: the wizard previews but cannot apply, and core refuses the
# headless apply and rollback. The presets' AWS managed policy ARNs are
# checked against the sandbox's real managed policy list first.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/tmux.sh"
irsa=${IRSA_BIN:-./irsa}
srcdir=${IRSA_SRCDIR:-.}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
command -v tmux >/dev/null || bail_out "tmux not installed (the UI tests need it)"
for tool in python3 kubectl curl jq aws; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-wizard.XXXXXX")
cleanup() {
	tmux_cleanup
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 67
sandbox_up "$dir/sb"
export XDG_STATE_HOME="$dir/state"
ACCT=123456789012
S3=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
EBS=arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy
ADMIN=$IRSA_SANDBOX_FAKE_ADMIN_TOKEN

# --- helpers (as tests/integration/binding_engine.sh reads the sandbox) ------
moto() { curl -s --noproxy '*' "$AWS_ENDPOINT_URL/moto-api/data.json"; }
live_role() { moto | jq -c --arg n "$1" '[.iam.Role[]? | select(.name == $n)] | last'; }
role_attached() { live_role "$1" | jq -r '[.attached_managed_policies[].PolicyArn] | sort | join(" ")'; }
role_names() { aws iam list-roles --query 'Roles[].RoleName' --output json | jq -r 'sort | join(" ")'; }
providers() { aws iam list-open-id-connect-providers --output json | jq -r '[.OpenIDConnectProviderList[].Arn] | sort | join(" ")'; }
iam_state() { printf '%s\n%s\n' "$(role_names)" "$(providers)"; }
kube_url() { # CLUSTER
	local v
	v="IRSA_SANDBOX_KUBE_URL_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"
	printf '%s' "${!v}"
}
fake() { # CLUSTER METHOD PATH [BODY]
	curl -s --noproxy '*' --cacert "$IRSA_SANDBOX_CA" -H "X-Fake-Admin: $ADMIN" -X "$2" \
		-H 'Content-Type: application/json' ${4:+-d "$4"} "$(kube_url "$1")$3"
}
writes() { # CLUSTER: requests other than GET since the last reset
	fake "$1" GET /_fake/requests | jq '[to_entries[] | select(.key | startswith("GET ") | not) | .value] | add // 0'
}
ann() { # CONTEXT NS SA KEY
	kubectl --context "$1" -n "$2" get serviceaccount "$3" -o json 2>/dev/null |
		jq -r --arg k "$4" '.metadata.annotations[$k] // "<none>"'
}
journals() { find "$XDG_STATE_HOME" -name '*.json' 2>/dev/null | wc -l | tr -d ' '; }

run_irsa() { tmux_start "cd '$dir' && '$irsa' ${IRSA_ARGS:-}; echo irsa-exit=\$?" 120 40; }

ok_when() { # PATTERN DESC [SECS]
	tmux_wait_for "$1" "${3:-20}"
	tap_result $? "$2" "$(printf 'waited for: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}
ok_gone() {
	tmux_wait_gone "$1" "${3:-20}"
	tap_result $? "$2" "$(printf 'waited for no: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}
wait_for() { tmux_wait_for "$1" "${2:-20}" || echo "# timed out waiting for: $1"; }

# filter_open TEXT: `/` filter the list to TEXT, Enter drills into the row.
filter_open() {
	tmux_keys /
	tmux_type "$1"
	tmux_keys Enter Enter
}

# to_accounts: from the clusters screen to shop-staging's analytics accounts.
to_accounts() {
	wait_for 'shop-staging'
	filter_open shop-staging
	wait_for 'analytics'
	filter_open analytics
	wait_for 'dashboards'
}

# pick ACCOUNT: select the account in the list (filtered to it).
pick() {
	tmux_keys /
	tmux_type "$1"
	tmux_keys Enter
	wait_for "serviceaccounts\\[1/"
}

# --- the presets' AWS managed policies exist as spelt ------------------------
missing=""
for path in $(sed -n 's/.*MANAGED("\([^"]*\)").*/\1/p' "$srcdir/core/presets.c"); do
	aws iam get-policy --policy-arn "arn:aws:iam::aws:policy/$path" >/dev/null 2>&1 || missing="$missing $path"
done
is "$missing" "" "presets: every AWS managed policy ARN is in the real managed policy list"

# --- a full run: clusters -> shop-staging -> analytics -> dashboards -> b -----
role=shop-staging-analytics-dashboards
fake shop-staging POST /_fake/requests/reset >/dev/null
run_irsa
to_accounts
pick dashboards
tmux_keys b
ok_when 'Step 1/6  Choose the IAM role' "wizard: b opens it at the role step, with the step count"
ok_when "\\[$role +\\]" "role: the suggested name is cluster-namespace-account"
like "$TMUX_SCREEN" '<Back>  <Next>  <Cancel>' "role: the buttons"
tmux_type ' x'
ok_when 'role name .*space' "role: an invalid name says what is wrong beside the disabled Next"
tmux_keys Enter
ok_when 'Step 1/6' "role: Enter does not go on while the name is invalid"
tmux_keys BSpace BSpace Enter
ok_when 'Step 2/6  Choose policies' "role: a valid name goes on to the policies"
ok_when 'AWS Load Balancer Controller +preset +Creates and manages' "policies: presets listed with what each grants"
ok_when 'bind\[[0-9]{4,}/' "policies: the account's managed policies are listed (loaded in a job)" 30
tmux_keys /
tmux_type AmazonS3ReadOnlyAccess
tmux_keys Enter
wait_for 'AmazonS3ReadOnlyAccess +AWS'
tmux_keys Space
ok_when '1 chosen: AmazonS3ReadOnlyAccess' "policies: space chooses a searched policy"
tmux_keys Escape
ok_when 'bind\[[0-9]{4,}/[0-9]{4,}\]' "policies: Esc clears the search, not the step"
tmux_keys /
tmux_type 'EBS CSI'
tmux_keys Enter
wait_for 'EBS CSI driver +preset'
tmux_keys Space
ok_when '2 chosen: AmazonS3ReadOnlyAccess, AmazonEBSCSIDriverPolicy' "policies: the EBS CSI preset chooses its AWS managed policy"
like "$TMUX_SCREEN" 'kube-system/ebs-csi-controller-sa' "policies: the preset says which account its chart uses"
tmux_keys Escape Enter
ok_when 'Step 3/6  AWS service principals \(optional\)' "services: the optional step"
like "$TMUX_SCREEN" 'widens who can assume the role' "services: it warns that a principal widens the trust"
tmux_keys Enter
ok_when 'Step 4/6  Options' "options: the step"
tmux_keys Escape
ok_when 'Step 3/6' "Esc goes back one step"
tmux_keys Enter
wait_for 'Step 4/6'
tmux_keys Enter
ok_when 'Plan: 5 steps' "preview: read and planned in a job" 30
like "$TMUX_SCREEN" "Role +arn:aws:iam::$ACCT:role/$role +\\(to be created\\)" "preview: the role to create"
like "$TMUX_SCREEN" 'Create the IAM OIDC provider' "preview: the steps, first the OIDC provider"
like "$TMUX_SCREEN" '\$ aws iam create-open-id-connect-provider' "preview: each step with its command"
tmux_keys G
ok_when 'eks.amazonaws.com/role-arn: "arn:aws:iam::[0-9]+:role/shop-staging-analytics-dashboards"' \
	"preview: the ServiceAccount YAML after the plan"
like "$TMUX_SCREEN" 'system:serviceaccount:analytics' "preview: the trust policy admits the account"
colours=$(tmux_capture -e | grep -c $'\e\\[[0-9;]*3[0-9]')
[ "$colours" -gt 0 ]
tap_result $? "preview: the JSON is syntax coloured" "no coloured line in: $(tmux_capture -e | head -20)"
tmux_keys e
wait_for 's shell'
tmux_keys s C-u
tmux_type "$dir/plan.sh"
tmux_keys Enter
ok_when "wrote $dir/plan.sh \\(shell, 5 steps\\)" "export: e writes the plan as shell, and says where"
check "export: the script is valid sh" sh -n "$dir/plan.sh"
like "$(cat "$dir/plan.sh")" "aws iam create-role --role-name $role" "export: the script holds the steps' commands"
is "$(journals)" 0 "preview and export changed nothing (no journal)"
tmux_keys a
ok_when 'Make these 5 changes in shop-staging' "apply: a asks first, naming the cluster"
tmux_keys y
ok_when 'Done: 5 changes made' "apply: every step made, live" 60
like "$TMUX_SCREEN" "kubectl --context shop-staging -n analytics get serviceaccount dashboards -o yaml" \
	"apply: the end screen says how to verify"
is "$(role_attached $role)" "$S3 $EBS" "moto: the role has both policies attached"
like "$(live_role $role | jq -r .assume_role_policy_document)" 'system:serviceaccount:analytics:dashboards' \
	"moto: the role's trust admits analytics/dashboards"
like "$(providers)" "$(jq -r '.clusters["shop-staging"].issuer | sub("^https://"; "")' "$IRSA_SANDBOX_MANIFEST")" \
	"moto: shop-staging's OIDC provider exists"
is "$(ann shop-staging analytics dashboards eks.amazonaws.com/role-arn)" "arn:aws:iam::$ACCT:role/$role" \
	"fake API server: the service account is annotated"
out=$("$irsa" plan --context shop-staging -n analytics --service-account dashboards --policy "$S3" --policy "$EBS" 2>&1)
like "$out" 'Nothing to do' "the plan the end screen suggests is empty"
tmux_keys @
ok_when 'apply step 5/5' "the action log lists each step"
tmux_keys Escape Enter
ok_when 'serviceaccounts\[' "Enter closes the wizard, back to the accounts"
tmux_kill_session

# --- cancelled at the preview: nothing changes ---------------------------------
fake shop-staging POST /_fake/requests/reset >/dev/null
before=$(iam_state)
n_journals=$(journals)
run_irsa
to_accounts
pick reporter
tmux_keys b
wait_for 'Step 1/6'
tmux_keys Enter
wait_for 'Step 2/6'
tmux_keys Enter
wait_for 'Step 3/6'
tmux_keys Enter
wait_for 'Step 4/6'
tmux_keys Enter
ok_when 'Plan: [0-9]+ step' "cancel: the preview is shown" 30
tmux_keys a
wait_for 'Make these'
tmux_keys Enter
ok_gone 'Make these' "cancel: Enter on the confirmation (Cancel focused) answers no"
tmux_keys Tab Tab Tab Enter
ok_when 'serviceaccounts\[' "cancel: <Cancel> closes the wizard"
is "$(iam_state)" "$before" "cancel: IAM unchanged"
is "$(writes shop-staging)" 0 "cancel: no write reached the API server"
is "$(journals)" "$n_journals" "cancel: no journal"
tmux_kill_session

# --- a failed apply, rolled back from the wizard --------------------------------
fake shop-staging POST /_fake/faults '{"rules": [{"match": "/serviceaccounts/reporter$", "method": "PATCH", "status": 403, "message": "injected"}]}' >/dev/null
before=$(iam_state)
run_irsa
to_accounts
pick reporter
tmux_keys b
wait_for 'Step 1/6'
tmux_keys Enter Enter Enter Enter
wait_for 'Plan: [0-9]+ step' 30
tmux_keys a
wait_for 'Make these'
tmux_keys y
ok_when 'failed +Annotate service account analytics/reporter' "failure: the failed step is marked, with the others" 60
like "$TMUX_SCREEN" 'injected' "failure: the error is shown"
like "$TMUX_SCREEN" 'r rolls them back' "failure: rollback is offered"
tmux_keys r
wait_for 'Undo the'
tmux_keys y
ok_when 'Rolled back: [0-9]+ changes? undone' "failure: r rolls back what was made" 60
is "$(iam_state)" "$before" "failure: IAM is as before after the rollback"
tmux_kill_session

# --- Esc stops an apply between steps ---------------------------------------------
# The annotation's PATCH takes 3 s, so Esc lands while it runs: the restart
# after it is not made.
fake shop-staging POST /_fake/faults '{"rules": [{"match": "/serviceaccounts/reporter$", "method": "PATCH", "latency_ms": 3000}]}' >/dev/null
restarted() { kubectl --context shop-staging -n analytics get deployment reporter -o json |
	jq -r '.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] // "no"'; }
run_irsa
to_accounts
pick reporter
tmux_keys b
wait_for 'Step 1/6'
tmux_keys Enter Enter Enter
wait_for 'Step 4/6'
tmux_keys Down Space
ok_when '\[(x|✓)\] Restart the workloads' "options: space turns on the restart"
tmux_keys Enter
ok_when 'Restart Deployment analytics/reporter' "stop: the plan restarts the workload" 30
tmux_keys a
wait_for 'Make these'
tmux_keys y
wait_for 'running +Annotate'
tmux_keys Escape
ok_when 'cancelled before step 3' "stop: Esc stops before the next step" 30
is "$(restarted)" no "stop: the workload was not restarted"
tmux_keys r
wait_for 'Undo the'
tmux_keys y
ok_when 'Rolled back' "stop: what was made is rolled back" 30
fake shop-staging POST /_fake/faults '{"rules": []}' >/dev/null
is "$(iam_state)" "$before" "stop: IAM is as before"
tmux_kill_session

# --- the presets' customer managed policy templates ------------------------------
# w writes each (partition, account, region and cluster filled in); IAM
# (moto checks the grammar) takes every one, and R then finds the policy.
run_irsa
to_accounts
pick default
tmux_keys b
wait_for 'Step 1/6'
tmux_keys Enter
wait_for 'bind\[[0-9]{4,}/' 30
bad=""
for p in "AWS Load Balancer Controller:AWSLoadBalancerControllerIAMPolicy" "external-dns:AllowExternalDNSUpdates" \
	"cert-manager:cert-manager-route53" "external-secrets:external-secrets-read" \
	"cluster-autoscaler:AmazonEKSClusterAutoscalerPolicy"; do
	title=${p%%:*} name=${p#*:}
	tmux_keys /
	tmux_type "$title"
	tmux_keys Enter
	wait_for "$title +preset"
	tmux_keys w
	wait_for 'Write the policy template'
	tmux_keys Enter
	wait_for "wrote ./$name.json" || bad="$bad $name(not written)"
	aws iam create-policy --policy-name "$name" --policy-document "file://$dir/$name.json" >/dev/null 2>"$dir/err" ||
		bad="$bad $name($(cat "$dir/err"))"
	tmux_keys Escape
done
is "$bad" "" "templates: w writes each, and IAM accepts it as a policy"
like "$(cat "$dir/AmazonEKSClusterAutoscalerPolicy.json")" 'k8s.io/cluster-autoscaler/shop-staging' \
	"templates: the cluster's name is filled in"
tmux_keys /
tmux_type external-dns
tmux_keys Enter Space R
ok_when '1 chosen: AllowExternalDNSUpdates' "templates: R finds the created policy, and the preset chooses it"
tmux_kill_session

# --- read-only mode -------------------------------------------------------------
IRSA_ARGS=--read-only run_irsa
to_accounts
pick default
ok_when 'read-only' "read-only: the title says so"
tmux_keys b
ok_when 'Step 1/' "read-only: b still opens the wizard, to preview and export"
tmux_keys Enter
wait_for 'Step 2/'
tmux_keys Enter
wait_for 'Step 3/'
tmux_keys Enter
wait_for 'Step 4/'
tmux_keys Enter
ok_when 'Plan: [0-9]+ step' "read-only: the preview is shown" 30
unlike "$TMUX_SCREEN" 'Apply' "read-only: the preview has no Apply"
tmux_keys a
ok_when 'read-only mode: nothing is applied' "read-only: a applies nothing, and says so"
unlike "$TMUX_SCREEN" 'Make these' "read-only: a asks no confirmation"
tmux_kill_session
before=$(iam_state)
out=$("$irsa" --read-only apply --context shop-staging -n analytics --service-account default --yes 2>&1)
rc=$?
[ "$rc" -ne 0 ] && printf '%s' "$out" | grep -q 'read-only'
tap_result $? "read-only: irsa apply refuses" "rc=$rc: $out"
journal=$(find "$XDG_STATE_HOME" -name '*dashboards*.json' | head -1)
out=$("$irsa" --read-only rollback "$journal" --yes 2>&1)
like "$out" 'read-only mode: rollback refused' "read-only: core refuses the rollback (plan_rollback)"
is "$(iam_state)" "$before" "read-only: nothing changed"

tap_done
