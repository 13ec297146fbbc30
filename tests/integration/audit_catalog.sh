#!/usr/bin/env bash
# tests/integration/audit_catalog.sh - `irsa audit` as far as it is built:
# --list-checks prints the 40 checks of the catalog as a table and, with
# -o json, every field of each; docs/audit.md is exactly what
# scripts/gen-audit-doc writes from the command (regenerate it after
# changing core/audit_catalog.c); groups A-F run but IRSA029, Pod
# Identity (G) waits, and those say why; a plain `irsa audit` without a
# cluster to reach exits 3 saying why, never 0.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
src=${IRSA_SRCDIR:-.}
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/irsa-audit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$tmp/err")
	RC=$?
	ERR=$(cat "$tmp/err")
}

tap_plan 22

# --- the doc is generated from the command --------------------------------
run "$src/scripts/gen-audit-doc" --irsa "$irsa" --out "$tmp/audit.md"
is "$RC:$ERR" "0:" "scripts/gen-audit-doc runs"
check "docs/audit.md is what scripts/gen-audit-doc writes (run it after changing the catalog)" \
	diff -u "$src/docs/audit.md" "$tmp/audit.md"
is "$(grep -c '^| IRSA0' "$tmp/audit.md")" 40 "the doc has a row for each of the 40 checks"
is "$(grep -c '^## [A-G]\. ' "$tmp/audit.md")" 7 "the doc has a section for each of the 7 groups"

# --- -o json ----------------------------------------------------------------
run "$irsa" audit --list-checks -o json
is "$RC" 0 "audit --list-checks -o json exits 0"
is "$(jq length <<<"$OUT")" 40 "-o json: 40 checks"
is "$(jq -r '[.[].id] | join(" ")' <<<"$OUT")" "$(printf 'IRSA%03d ' $(seq 1 40) | sed 's/ $//')" \
	"-o json: IRSA001 to IRSA040, in order"
is "$(jq -r '[.[] | keys_unsorted | join(",")] | unique | join(";")' <<<"$OUT")" \
	"id,group,groupTitle,severity,severityNote,title,reads,why,fix,fixKind,confirm,status,reason" \
	"-o json: every check has every field, in the same order"
is "$(jq '[.[] | select([.id, .group, .groupTitle, .severity, .title, .reads, .why, .fix, .fixKind, .status]
	| any(type != "string" or . == ""))] | length' <<<"$OUT")" 0 "-o json: no required field is empty"
is "$(jq -r '[.[].severity] | unique | sort | join(",")' <<<"$OUT")" "critical,high,info,low,medium" \
	"-o json: severities are the five names"
is "$(jq -r '[.[].fixKind] | unique | join(",")' <<<"$OUT")" "manual,plan" "-o json: fix kinds are plan or manual"
is "$(jq '[.[] | select(.confirm)] | length' <<<"$OUT")" 7 "-o json: the catalog's 7 (confirm) fixes"
is "$(jq -r '[.[] | select(.status == "planned") | .id] | join(" ")' <<<"$OUT")" \
	"IRSA029 IRSA034 IRSA035 IRSA036 IRSA037 IRSA038 IRSA039 IRSA040" \
	"-o json: every check of groups A-F is built but IRSA029; Pod Identity is planned"
is "$(jq -r '[.[] | select(.reason != null) | .id] | join(" ")' <<<"$OUT")" \
	"IRSA029 IRSA034 IRSA035 IRSA036 IRSA037 IRSA038 IRSA039 IRSA040" \
	"-o json: IMDS and Pod Identity checks say why irsa cannot run them here"
is "$(jq -r '.[] | select(.id == "IRSA005") | "\(.severity) \(.group) \(.groupTitle) \(.fixKind)"' <<<"$OUT")" \
	"critical B IRSA trust policy plan" "-o json: IRSA005 is the critical no-sub trust check"

# --- text -------------------------------------------------------------------
run "$irsa" audit --list-checks
is "$RC" 0 "audit --list-checks exits 0"
like "$(head -1 <<<"$OUT")" '^ID +SEVERITY +GROUP +TITLE +FIX$' "text: a header ID SEVERITY GROUP TITLE FIX"
is "$(grep -c '^IRSA0' <<<"$OUT")" 40 "text: a row for each check"
like "$(grep '^IRSA010 ' <<<"$OUT")" '^IRSA010 +high +IRSA trust policy +Trust does not admit .* +plan \(confirm\)$' \
	"text: a row shows severity, group, title and the fix kind"

# --- nothing to reach: never a clean audit ----------------------------------
HOME=$tmp KUBECONFIG=$tmp/none run "$irsa" audit
is "$RC:$OUT" "3:" "plain audit without a kubeconfig exits 3 and prints nothing on stdout"
like "$ERR" "^irsa: .*$tmp/none" "it names the kubeconfig it could not read"

run "$irsa" audit extra
is "$RC" 2 "audit takes no arguments (exit 2)"

tap_done
