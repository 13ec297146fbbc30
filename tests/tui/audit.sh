#!/usr/bin/env bash
# tests/tui/audit.sh - the audit screen in a real terminal (tmux) on the
# sandbox: `:audit` lists the findings of shop-prod grouped by severity,
# with the counts, the rows per check and the checks not run that
# `irsa audit -o json` gives for the same sandbox (never hard-coded); `/`
# narrows the list with [shown/total] in the title; Enter shows a finding's
# evidence (the trust statement as JSON) and its fix command; `f` on a
# fixable trust finding previews the plan (steps, trust diff), asks, applies,
# re-runs the audit and says the finding is fixed, after which neither the
# screen nor `irsa audit -o json` has it; Esc cancels a slow collection (the
# fake API server delays its answers); A on the clusters screen opens the
# audit; --read-only hides and refuses `f`; IRSA_AUDIT_SNAPSHOT shows a
# snapshot's findings as `irsa audit --snapshot` does, and refuses to apply.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/tmux.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
command -v tmux >/dev/null || bail_out "tmux not installed (the UI tests need it)"
command -v jq >/dev/null || bail_out "jq not installed"
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-audit-ui.XXXXXX")
cleanup() {
	tmux_cleanup
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 32
sandbox_up "$dir/sb"

ok_when() {
	tmux_wait_for "$1" "${3:-15}"
	tap_result $? "$2" "$(printf 'waited for: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}

run_irsa() { # [FLAGS...]
	tmux_start "LC_ALL=C.UTF-8 '$irsa' --context shop-prod $* 2>>'$dir/stderr'; echo irsa-exit=\$?" 160 70
}

command_line() { # TEXT: `:TEXT` Enter
	tmux_keys ':'
	tmux_type "$1"
	tmux_keys Enter
}

filter() { # TEXT: `/TEXT` Enter
	tmux_keys '/'
	tmux_type "$1"
	tmux_keys Enter
}

fake_kube() { # CLUSTER METHOD PATH [BODY]: the fake API server's admin endpoints
	local url
	url=$(jq -r --arg c "$1" '.clusters[$c].kube.url' "$IRSA_SANDBOX_MANIFEST")
	curl -sS --cacert "$AWS_CA_BUNDLE" -X "$2" -H "X-Fake-Admin: $(jq -r .fake_admin_token "$IRSA_SANDBOX_MANIFEST")" \
		-H 'Content-Type: application/json' ${4:+--data "$4"} "$url$3" >/dev/null
}

# `irsa audit -o json` of shop-prod: exit 0 (nothing at --fail-on) or 1.
audit_json() { # FILE [FLAGS...]
	local out=$1 rc
	shift
	"$irsa" --context shop-prod audit -o json "$@" >"$out" 2>>"$dir/stderr"
	rc=$?
	[ "$rc" -le 1 ] && jq -e '.findings | type == "array"' "$out" >/dev/null
}

# What the screen should show for a report: "GROUP n" lines (severities in
# order, then NOT RUN) and "ID n" lines (rows per check).
groups_of() { jq -r '(["critical","high","medium","low","info"][] as $s | [.findings[] | select(.severity == $s)] | length as $n | select($n > 0) | "\($s | ascii_upcase) \($n)"), (.notRun | length | select(. > 0) | "NOT RUN \(.)")' "$1"; }
rows_of() { jq -r '[.findings[].check] | group_by(.) | map("\(.[0]) \(length)") | .[]' "$1"; }
screen_groups() { printf '%s\n' "$TMUX_SCREEN" | grep -E '^(CRITICAL|HIGH|MEDIUM|LOW|INFO|NOT RUN) [0-9]+ *$' | sed 's/ *$//'; }
screen_rows() { printf '%s\n' "$TMUX_SCREEN" | grep -E '^(‼ critical|✗ high|! medium|· low|i info) ' |
	awk '{print $3}' | sort | uniq -c | awk '{print $2, $1}'; }

# --- the report to compare with ------------------------------------------------------
audit_json "$dir/before.json"
tap_result $? "irsa audit -o json reports on shop-prod" "$(head -c 2000 "$dir/before.json"; tail -5 "$dir/stderr")"
total=$(jq '.findings | length' "$dir/before.json")
[ "${total:-0}" -gt 0 ] || bail_out "irsa audit found nothing on the seeded sandbox"
# A fixable trust finding: its trust is rewritten to exact service accounts.
ref=$(jq -r '[.findings[] | select(.fix != null and .fix.action == "rewrite-trust" and .fix.confirm == false)][0].ref // empty' "$dir/before.json")
[ -n "$ref" ] || bail_out "no rewrite-trust finding to fix in the seeded sandbox"
check_id=${ref%%:*}
role=$(jq -r --arg r "$ref" '.findings[] | select(.ref == $r) | .roleArn | sub(".*/"; "")' "$dir/before.json")
# The check with the most findings, and how many findings the filter keeps
# (any of the finding's words holding the text, as the screen filters).
busy=$(jq -r '[.findings[].check] | group_by(.) | max_by(length) | .[0]' "$dir/before.json")
busy_n=$(jq --arg q "$busy" '[.findings[] | select([.check, .severity, .title, .message, .ref, .cluster, .namespace, .serviceAccount, .roleArn] | map(select(. != null) | ascii_downcase) | any(contains($q | ascii_downcase)))] | length' "$dir/before.json")

# --- :audit -----------------------------------------------------------------------------
run_irsa
tmux_wait_for '^shop-prod +us-east-1 ' 15
command_line audit
ok_when "^irsa  shop-prod +audit\[$total/$total\]" "\`:audit\` shows the $total findings of shop-prod in the title" 60
got=$(screen_groups)
want=$(groups_of "$dir/before.json")
is "$got" "$want" "grouped by severity with the counts irsa audit -o json gives, the checks not run last"
is "$(screen_rows)" "$(rows_of "$dir/before.json")" "each check has as many rows as irsa audit -o json has findings"
like "$TMUX_SCREEN" '^SEVERITY +CHECK +RESOURCE +MESSAGE' "with columns severity, check, resource and message"
like "$TMUX_SCREEN" "^(‼ critical|✗ high|! medium|· low|i info) +$check_id +role/$role " \
	"a row says the severity as a glyph and a word, the check id and the role"

# --- the filter --------------------------------------------------------------------------
filter "$busy"
ok_when "^irsa  shop-prod +audit\[$busy_n/$total\] </$busy>" "/$busy narrows the list to $busy_n findings"
like "$(printf '%s\n' "$TMUX_SCREEN" | grep -E '^(‼ critical|✗ high|! medium|· low|i info) ' | awk '{print $3}' | sort -u)" "^$busy\$" \
	"and only its rows are shown"
tmux_keys Escape
ok_when "^irsa  shop-prod +audit\[$total/$total\]" "Esc clears the filter"

# --- the detail ------------------------------------------------------------------------
filter "$ref"
ok_when "^irsa  shop-prod +audit\[1/$total\]" "filtering by a finding's ref leaves that finding"
tmux_keys Enter
ok_when '^Evidence' "Enter shows the finding in full"
like "$TMUX_SCREEN" "$check_id +.+" "with the check's id and title"
like "$TMUX_SCREEN" '^What is wrong' "what is wrong"
like "$TMUX_SCREEN" '^Why it matters' "and why it matters"
like "$TMUX_SCREEN" '"Effect": "Allow"' "the evidence shows the trust statement as JSON"
tmux_keys G
ok_when "\\\$ irsa fix --context shop-prod '$ref'" "and the fix with its command"

# --- f: preview, apply, re-run -------------------------------------------------------------
tmux_keys f
ok_when '^Plan: [0-9]+ step' "f previews the fix's plan"
like "$TMUX_SCREEN" "Trust policy of $role: [0-9]+ lines? added, [0-9]+ removed" "with the trust policy's diff"
tmux_keys a
ok_when 'Make these [0-9]+ changes? in shop-prod' "a asks before applying"
tmux_keys y
ok_when "$check_id fixed: the audit no longer finds" "after the apply the audit runs again and says the finding is fixed" 60
audit_json "$dir/after.json"
after=$(jq '.findings | length' "$dir/after.json")
ok_when "^irsa  shop-prod +audit\[0/$after\]" "the list no longer has it ($after findings left)"
is "$(jq --arg r "$ref" '[.findings[] | select(.ref == $r)] | length' "$dir/after.json")" 0 \
	"irsa audit -o json no longer has it either"

# --- Esc cancels a slow collection ----------------------------------------------------------
tmux_keys Escape
fake_kube shop-prod POST /_fake/faults '{"rules": [{"match": "serviceaccounts", "method": "GET", "latency_ms": 20000}]}'
tmux_keys r
ok_when '^Auditing: ' "r runs the audit again, saying how far it is"
tmux_keys Escape
ok_when 'Audit cancelled; r runs it again\.' "Esc cancels a slow collection at once" 3
like "$TMUX_SCREEN" "^irsa  shop-prod +audit\[$after/$after\]" "and the findings shown stay"
fake_kube shop-prod DELETE /_fake/faults

# --- A on the clusters screen ------------------------------------------------------------------
command_line clusters
tmux_wait_for '^shop-prod +us-east-1 ' 15
filter 'shop-prod'
tmux_keys A
ok_when "^irsa  shop-prod +audit\[$after/$after\]" "A on the clusters screen audits the selected cluster" 60
tmux_kill_session

# --- read-only ---------------------------------------------------------------------------------
run_irsa --read-only
tmux_wait_for '^shop-prod +us-east-1 ' 15
command_line audit
tmux_wait_for "^irsa  shop-prod +audit\[$after/$after\]" 60
unlike "$TMUX_SCREEN" ' f fix' "--read-only: the hint bar has no f"
tmux_keys f
ok_when 'read-only mode: f .* is disabled' "and f is refused"
tmux_kill_session

# --- IRSA_AUDIT_SNAPSHOT -------------------------------------------------------------------------
# A fixture of every check (tests/data/audit/all), next to what irsa audit --snapshot says of it.
snap=${IRSA_SRCDIR:-.}/tests/data/audit/all/fires-aud-only/snapshot.json
"$irsa" audit --snapshot "$snap" -o json >"$dir/snap.json" 2>>"$dir/stderr"
snap_n=$(jq '.findings | length' "$dir/snap.json")
[ "${snap_n:-0}" -gt 0 ] && jq -e '.findings[0].fix != null' "$dir/snap.json" >/dev/null ||
	bail_out "$snap: irsa audit --snapshot finds nothing fixable in it any more"
tmux_start "LC_ALL=C.UTF-8 IRSA_AUDIT_SNAPSHOT='$snap' '$irsa' 2>>'$dir/stderr'; echo irsa-exit=\$?" 160 70
command_line audit
ok_when "audit\[$snap_n/$snap_n\]" "IRSA_AUDIT_SNAPSHOT shows the snapshot's $snap_n findings"
is "$(screen_groups)" "$(groups_of "$dir/snap.json")" "grouped as irsa audit --snapshot groups them, with the checks not run"
tmux_keys f
ok_when '^Plan: [0-9]+ step' "f previews the fix of the snapshot's first finding"
tmux_keys a
ok_when 'IRSA_AUDIT_SNAPSHOT\): nothing is applied' "but a applies nothing"
tap_done
