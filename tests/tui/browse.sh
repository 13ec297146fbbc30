#!/usr/bin/env bash
# tests/tui/browse.sh - the browse screens in a real terminal (tmux) on the
# sandbox, with 500 extra service accounts in shop-prod's namespace "bulk":
# the clusters screen (both clusters with their OIDC provider present or
# missing, and the contexts that reach them), Enter down to a namespace's
# service accounts whose statuses (glyph and word) agree with what the
# sandbox's manifest says it seeded, the detail of an account (trust policy
# with the admitting statement marked, pods with and without the binding),
# `/` narrowing a list with [shown/total] in the title, `:ns` and `:ctx`
# switching, filtering several hundred accounts, Esc cancelling a slow
# load, and ASCII glyphs outside UTF-8 locales.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/tmux.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
command -v tmux >/dev/null || bail_out "tmux not installed (the UI tests need it)"
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

BULK=500
dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-browse.XXXXXX")
cleanup() {
	tmux_cleanup
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 46
export IRSA_SANDBOX_EXTRA_SAS=$BULK
sandbox_up "$dir/sb"
unset IRSA_SANDBOX_EXTRA_SAS

# What the manifest says an account's status is: the words the screens show.
expected_statuses() { # CLUSTER NAMESPACE -> "name word" lines
	python3 - "$IRSA_SANDBOX_MANIFEST" "$1" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
seed = m["clusters"][sys.argv[2]]["kube"]["seed"]
broken_trust = {"IRSA007", "IRSA010", "IRSA011", "IRSA012"}  # the trust does not admit it
no_provider = not m["clusters"][sys.argv[2]].get("oidc_provider_arn")
stale = set(seed["pods_predating_annotation"])
for sa in seed["service_accounts"]:
    if sa["namespace"] != sys.argv[3]:
        continue
    wrong = set(sa.get("role_wrong") or [])
    pods = {f'{p["namespace"]}/{p["name"]}' for p in seed["pods"] if p["namespace"] == sa["namespace"] and p["service_account"] == sa["name"]}
    if sa["kind"] == "unbound":
        word = "unbound"
    elif sa["kind"] == "typo_annotation_key":
        word = "key typo"
    elif sa["kind"] == "missing_role":
        word = "role missing"
    elif no_provider:
        word = "no provider"
    elif wrong & broken_trust:
        word = "not admitted"
    elif pods & stale:
        word = "restart pods"
    else:
        word = "ok"
    print(sa["name"], word)
EOF
}

glyph_of() {
	case "$1" in
	ok) echo '✓' ;;
	unbound) echo '–' ;;
	"restart pods") echo '↻' ;;
	*) echo '✗' ;;
	esac
}

# statuses_match CLUSTER NS DESC: every account's row shows its glyph and
# word as the manifest says (one check for the namespace).
statuses_match() {
	local want name word bad="" n=0
	want=$(expected_statuses "$1" "$2")
	tmux_wait_for "^$(printf '%s' "$want" | tail -1 | cut -d' ' -f1) " 15
	tmux_wait_gone '^Loading ' 15 # the pods and the roles are in
	while read -r name word; do
		n=$((n + 1))
		printf '%s\n' "$TMUX_SCREEN" | grep -Eq "^$name .*$(glyph_of "$word") $word( |$)" ||
			bad="$bad $name(want $word)"
	done <<EOF
$want
EOF
	[ "$n" -gt 0 ] || bad="the manifest lists no account in $2"
	tap_result "$([ -z "$bad" ] && echo 0 || echo 1)" "$3" "$(printf 'wrong:%s\nscreen:\n%s' "$bad" "$TMUX_SCREEN")"
}

ok_when() {
	tmux_wait_for "$1" "${3:-15}"
	tap_result $? "$2" "$(printf 'waited for: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}

ok_gone() {
	tmux_wait_gone "$1" "${3:-15}"
	tap_result $? "$2" "$(printf 'waited for no: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}

run_irsa() { # [VAR=VALUE...]
	tmux_start "LC_ALL=C.UTF-8 $* '$irsa' 2>'$dir/stderr'; echo irsa-exit=\$?" 120 40
}

command_line() { # TEXT: `:TEXT` Enter
	tmux_keys ':'
	tmux_type "$1"
	tmux_keys Enter
}

filter() { # TEXT: `/TEXT`
	tmux_keys '/'
	tmux_type "$1"
}

fake_kube() { # CLUSTER METHOD PATH [BODY]: the fake API server's admin endpoints
	local url
	url=$(jq -r --arg c "$1" '.clusters[$c].kube.url' "$IRSA_SANDBOX_MANIFEST")
	curl -sS --cacert "$AWS_CA_BUNDLE" -X "$2" -H "X-Fake-Admin: $(jq -r .fake_admin_token "$IRSA_SANDBOX_MANIFEST")" \
		-H 'Content-Type: application/json' ${4:+--data "$4"} "$url$3" >/dev/null
}

n_orders=$(expected_statuses shop-prod orders | wc -l | tr -d ' ')

# --- clusters -------------------------------------------------------------------
run_irsa
ok_when '^shop-staging +eu-west-1 ' "the clusters screen lists shop-staging (eu-west-1)"
ok_gone '^Looking for clusters' "every region answers"
ok_when '^shop-prod +us-east-1 +[0-9.]+ +ACTIVE +✓ present +shop-prod *$' \
	"shop-prod: version, ACTIVE, OIDC provider present, reached by context shop-prod"
ok_when '^shop-staging +eu-west-1 +[0-9.]+ +ACTIVE +✗ missing +shop-staging *$' "shop-staging: its OIDC provider is missing"
like "$TMUX_SCREEN" '^shop-prod +us-east-1 .* shop-prod-token *$' "the other contexts of shop-prod are listed with its cluster"
like "$TMUX_SCREEN" '^irsa  clusters\[[0-9]+/[0-9]+\]' "the title counts the rows"

# --- Enter: namespaces, then orders ---------------------------------------------
filter 'shop-prod'
tmux_keys Enter Enter
ok_when '^irsa  shop-prod +namespaces\[[0-9]+/[0-9]+\]' "Enter opens the cluster's namespaces"
ok_when "^orders +Active +$n_orders +[0-9]+ *$" "orders shows its $n_orders service accounts"
ok_when "^bulk +Active +$((BULK + 1)) +$((BULK / 5)) *$" "bulk shows $((BULK + 1)) service accounts, $((BULK / 5)) bound"
tmux_keys a
ok_when '^irsa  shop-prod > all namespaces +serviceaccounts\[' "a opens the service accounts of every namespace"
ok_when '^NAMESPACE +NAME +ROLE +STATUS +PODS' "with a NAMESPACE column"
tmux_wait_gone '^Loading ' 15 # Esc during a load cancels it rather than going back
tmux_keys Escape
filter 'orders'
tmux_keys Enter
ok_when '^irsa  shop-prod +namespaces\[1/[0-9]+\] </orders>' "/ narrows the namespaces, shown in the title"
tmux_keys Enter
ok_when "^irsa  shop-prod > orders +serviceaccounts\[$n_orders/$n_orders\]" "Enter opens orders' service accounts"
statuses_match shop-prod orders "orders: every status (glyph and word) is the manifest's"
like "$TMUX_SCREEN" '^orders-api +shop-prod-orders +✓ ok +2 *$' "orders-api: its role, ✓ ok and its 2 pods"
like "$TMUX_SCREEN" '^orders-web +shop-prod-orders-web +✗ key typo ' "orders-web: the role behind the typo'd key, ✗ key typo"

# --- / filter -------------------------------------------------------------------
filter 'notify'
ok_when "^irsa  shop-prod > orders +serviceaccounts\[1/$n_orders\] </notify>" "/ narrows the list and the title shows [shown/total]"
ok_when '^orders-notify +shop-prod-notify-sub-mismatch +✗ not admitted' "the row that matches stays"
tmux_keys Escape
ok_when "^irsa  shop-prod > orders +serviceaccounts\[$n_orders/$n_orders\] *$" "Esc clears the filter"

# --- the detail -------------------------------------------------------------------
filter 'orders-api'
tmux_keys Enter Enter
ok_when '^irsa  shop-prod > orders > orders-api +serviceaccount' "Enter opens the account's detail"
ok_when '^Status +✓ ok' "its status is ok"
ok_when '^  ▶ +"Effect": "Allow",' "the statement that admits it is marked in the trust policy"
tmux_keys G
ok_when '✓ orders-api-[a-z0-9-]+ +has the binding' "its pods have the binding"
ok_when 'AmazonS3ReadOnlyAccess' "its attached policy is listed"

# --- :ns ---------------------------------------------------------------------------
command_line 'ns payments'
ok_when '^irsa  shop-prod > payments +serviceaccounts\[' ":ns payments switches to payments"
statuses_match shop-prod payments "payments: every status is the manifest's"
like "$TMUX_SCREEN" '^payments-fraud +shop-prod-fraud-missing +✗ role missing' "payments-fraud: ✗ role missing"
like "$TMUX_SCREEN" '^payments-api +shop-prod-payments +↻ restart pods' "payments-api: its pods predate the binding, ↻ restart pods"
filter 'payments-api'
tmux_keys Enter Enter
ok_when '^Status +↻ restart pods' "the detail says its pods need a restart"
tmux_keys G
ok_when '↻ payments-api-[a-z0-9-]+ +no AWS_ROLE_ARN: started before the binding' "and which pods lack the binding"
command_line 'ns analytics'
statuses_match shop-prod analytics "analytics: every status is the manifest's"

# --- :ctx --------------------------------------------------------------------------
command_line 'ctx shop-staging'
ok_when '^irsa  shop-staging +namespaces\[' ":ctx shop-staging switches to its namespaces"
command_line 'ns orders'
ok_when '^irsa  shop-staging > orders +serviceaccounts\[' "then :ns orders opens its service accounts"
statuses_match shop-staging orders "shop-staging orders: statuses say the OIDC provider is missing"

# --- several hundred accounts ---------------------------------------------------------
command_line 'ctx shop-prod'
command_line 'ns bulk'
ok_when "^irsa  shop-prod > bulk +serviceaccounts\[$((BULK + 1))/$((BULK + 1))\]" "bulk lists $((BULK + 1)) service accounts"
ok_when '^bulk-sa-000005 +shop-prod-orders +✗ not admitted' "a bound one is not admitted (its trust admits orders-api only)"
filter 'sa-00042'
ok_when "^irsa  shop-prod > bulk +serviceaccounts\[10/$((BULK + 1))\] </sa-00042>" "filtering $((BULK + 1)) accounts narrows to 10"
like "$TMUX_SCREEN" '^bulk-sa-000425 +shop-prod-orders +✗ not admitted' "with their statuses"
tmux_keys BSpace BSpace
ok_when "^irsa  shop-prod > bulk +serviceaccounts\[[0-9]+/$((BULK + 1))\] </sa-000>" "deleting filter characters widens the list again"
tmux_keys Escape

# --- Esc cancels a slow load ---------------------------------------------------------
fake_kube shop-prod POST /_fake/faults '{"rules": [{"match": "serviceaccounts", "method": "GET", "latency_ms": 20000}]}'
tmux_keys r
ok_when 'Loading service accounts' "a slow list says it is loading"
tmux_keys Escape
ok_when 'Loading cancelled; r reloads\.' "Esc cancels it"
like "$TMUX_SCREEN" '^irsa  shop-prod > bulk +serviceaccounts' "and the screen stays"
fake_kube shop-prod DELETE /_fake/faults
tmux_keys Escape
ok_when '^irsa  shop-prod +namespaces\[' "the next Esc goes back"
tmux_keys q
for _ in $(seq 1 100); do # the pane's whole history: the line may have scrolled off
	out=$(tmux_cmd capture-pane -t "$(tmux_target)" -p -S -)
	case "$out" in *irsa-exit=*) break ;; esac
	sleep 0.1
done
like "$out" 'irsa-exit=0' "q quits with status 0"
tmux_kill_session

# --- ASCII glyphs ---------------------------------------------------------------------
tmux_start "LC_ALL=C '$irsa' 2>'$dir/stderr'; echo irsa-exit=\$?" 120 40
ok_when '^shop-prod +us-east-1 .*\+ present' "outside UTF-8 the OIDC column says + present"
command_line 'ns orders'
ok_when '^orders-api +shop-prod-orders +\+ ok ' "and accounts show + ok, x, ~ and - instead of ✓ ✗ ↻ –"
tmux_kill_session

tap_done
