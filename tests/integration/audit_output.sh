#!/usr/bin/env bash
# tests/integration/audit_output.sh - `irsa audit`'s flags, outputs and exit
# statuses over recorded snapshots (tests/data/audit-report/snapshot.json:
# the sandbox's shop-prod, trimmed to five roles; tests/data/audit/all/*),
# then live on the sandbox: --all-contexts audits each cluster once, and
# --save-snapshot records what --snapshot reads back to the same findings.
#
# Exit statuses: 0 nothing at or above --fail-on, 1 something is, 2 usage
# (with a message naming the problem), 3 the checks could not run (the
# reason in the output, also in JSON and SARIF). -o json is parsed with jq;
# -o sarif is validated by Microsoft's SARIF validator
# (scripts/install-sarif-validator): without it the test is skipped, except
# in CI ($CI set), where its absence fails. The exact wording of findings is
# the checks' (tests/data/audit/*/*/expect.txt); the report formats'
# goldens are tests/unit/test_audit_report.c's.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
src=${IRSA_SRCDIR:-.}
command -v jq >/dev/null 2>&1 || skip_all "jq not found"
snap=$src/tests/data/audit-report/snapshot.json
clean=$src/tests/data/audit/all/clean-correct-binding/snapshot.json
[ -f "$snap" ] && [ -f "$clean" ] || bail_out "fixture snapshots missing ($snap, $clean)"

# Where scripts/install-sarif-validator put the validator (under $HOME,
# which the test then points elsewhere).
validator=$("$src/scripts/install-sarif-validator" --path 2>/dev/null)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irsa-audit-out.XXXXXX")
trap 'sandbox_down; rm -rf "$tmp"' EXIT
# No colour, no user kubeconfig or AWS setup leaking in.
export NO_COLOR=1 KUBECONFIG=$tmp/no-kubeconfig HOME=$tmp
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$tmp/err")
	RC=$?
	ERR=$(cat "$tmp/err")
}

skip() { # DESC REASON
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

tap_plan 69

# --- exit statuses and --fail-on / --min-severity / --check --------------
run "$irsa" audit --snapshot "$snap"
is "$RC" 1 "a critical finding fails the default --fail-on high (exit 1)"
like "$OUT" $'^CRITICAL \\(1\\)\n  IRSA005  shop-prod role/shop-prod-reporter-no-sub' "text: the critical group first, its finding with the resource"
like "$OUT" $'\n           fix: irsa fix IRSA005:shop-prod:role/shop-prod-reporter-no-sub\n' "text: the fix command under it"
like "$OUT" $'\n           fix: manual \xe2\x80\x94 ' "text: a manual fix says what to do"
like "$OUT" $'\nNot run:\n' "text: the checks that did not run"
like "$OUT" '  IRSA034-IRSA040 \(all clusters\): EKS Pod Identity checks' "text: a run of checks not run for one reason is one line"
like "$(tail -1 <<<"$OUT")" '^10 findings: 1 critical, 2 high, 2 medium, 4 low, 1 info; [0-9]+ checks not run\.$' "text: a summary line"
is "$(python3 -c 'import sys
print([l for l in sys.stdin.read().split("\n") if len(l) > 100 and " " in l.strip()])' <<<"$OUT")" "[]" \
	"text: lines fit in 100 columns (but for a word longer than a line, an ARN, alone on its line)"
is "$(grep -c $'\033' <<<"$OUT")" 0 "text: no colour with NO_COLOR"
is "$ERR" "" "nothing on stderr"

run "$irsa" audit --snapshot "$snap" --fail-on critical
is "$RC" 1 "--fail-on critical: the critical finding fails"
run "$irsa" audit --snapshot "$snap" --fail-on none
is "$RC" 0 "--fail-on none never fails"
run "$irsa" audit --snapshot "$snap" --check IRSA006
is "$RC" 0 "a medium finding passes the default --fail-on high"
run "$irsa" audit --snapshot "$snap" --check IRSA006 --fail-on MEDIUM
is "$RC" 1 "--fail-on medium fails on it (severity names in any case)"
run "$irsa" audit --snapshot "$snap" --check IRSA006 --fail-on medium --min-severity high
is "$RC:$(tail -1 <<<"$OUT")" "0:No findings." "a finding dropped by --min-severity cannot fail"
run "$irsa" audit --snapshot "$snap" --min-severity medium -o json
is "$(jq -r '[.findings[].severity] | unique | join(",")' <<<"$OUT")" "critical,high,medium" \
	"--min-severity medium keeps critical, high and medium"
run "$irsa" audit --snapshot "$snap" --check irsa005,IRSA006 --check IRSA010 -o json
is "$(jq -r '[.findings[].check] | unique | join(",")' <<<"$OUT")" "IRSA005,IRSA006,IRSA010" \
	"--check: a comma list, any case, repeated"
is "$(jq -r '[.notRun[].check] | unique | length' <<<"$OUT")" 0 "--check: checks not selected are not reported as not run"
run "$irsa" audit --snapshot "$clean" --fail-on info
like "$RC:$(tail -1 <<<"$OUT")" '^0:No findings(;|\.)' "a correct binding: no finding, exit 0 even with --fail-on info"

# --- the checks could not run: exit 3, the reason in every format -----------
run "$irsa" audit --snapshot "$snap" --check IRSA029
is "$RC" 3 "only a check irsa cannot run selected: exit 3"
like "$OUT" 'IRSA029 shop-prod: irsa has no EC2 client' "text: says why"
like "$(tail -1 <<<"$OUT")" 'nothing was checked\.$' "text: says nothing was checked"
run "$irsa" audit --snapshot "$snap" --check IRSA029,IRSA035 -o json
is "$RC:$(jq -r '[.notRun[].check] | join(",")' <<<"$OUT")" "3:IRSA029,IRSA035" "json: exit 3, both in notRun"
is "$(jq -r '.notRun[] | select(.check == "IRSA035") | "\(.cluster) \(.reason)"' <<<"$OUT")" \
	"null EKS Pod Identity checks come with the Pod Identity issue" "json: a check not built yet is not run for every cluster, with the catalog's reason"
is "$(jq '.summary.checksRun' <<<"$OUT")" 0 "json: summary.checksRun 0"
run "$irsa" audit --snapshot "$tmp/missing.json" -o json
is "$RC" 3 "an unreadable snapshot: exit 3"
like "$ERR" "^irsa: cannot read the snapshot $tmp/missing.json: No such file" "stderr names the file and why"
is "$(jq -r '[.notRun[].reason] | unique | length' <<<"$OUT"):$(jq -r '.notRun[0].reason' <<<"$OUT")" \
	"1:nothing could be read: cannot read the snapshot $tmp/missing.json: No such file or directory" \
	"json: every check not run, with the reason"
printf '{"irsaSnapshot": 1, "roles": [' >"$tmp/broken.json"
run "$irsa" audit --snapshot "$tmp/broken.json"
is "$RC:$OUT" "3:" "a snapshot that is not JSON: exit 3, text report empty"
like "$ERR" "is not JSON" "stderr says it is not JSON"
printf 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n' >"$tmp/kubeconfig"
run "$irsa" audit --kubeconfig "$tmp/kubeconfig" --all-contexts
is "$RC" 3 "--all-contexts with no EKS context: exit 3"
like "$ERR" "no context of the kubeconfig reaches an EKS cluster" "stderr says no context reaches an EKS cluster"

# --- usage errors: exit 2, a message naming the problem and the fix ---------
usage() { # WANT-REGEX DESC ARGS...
	local want=$1 desc=$2
	shift 2
	run "$irsa" audit "$@"
	is "$RC" 2 "usage: $desc: exit 2"
	like "$(tr '\n' ' ' <<<"$ERR")" "^irsa: $want" "usage: $desc: the message and the hint"
}
usage '--check: no check IRSA999 \(ids run IRSA001 to IRSA040.* Run irsa audit --list-checks to see them' "unknown check id" --snapshot "$snap" --check IRSA999
usage '--check: no check IRSA05 .*did you mean IRSA005' "a misspelt id gets a suggestion" --snapshot "$snap" --check IRSA05
usage '--check "IRSA005,": an empty check id' "an empty id in the list" --snapshot "$snap" --check IRSA005,
usage '--min-severity: no severity "urgent".*critical, high, medium, low or info' "unknown severity" --snapshot "$snap" --min-severity urgent
usage '--fail-on: no severity "never".*or none' "unknown --fail-on" --snapshot "$snap" --fail-on never
usage 'unknown flag --bogus for irsa audit Run .irsa help audit.' "unknown flag" --bogus
usage 'output format "yaml" is not supported by irsa audit.*-o text\|json\|sarif' "unknown output" -o yaml
usage '--cluster needs --region e.g. --cluster shop-prod --region us-east-1' "--cluster without --region" --cluster shop-prod
usage '--all-contexts excludes --context' "--all-contexts with --context" --all-contexts --context shop-prod
usage '--snapshot excludes --cluster' "--snapshot with a cluster" --snapshot "$snap" --cluster shop-prod --region us-east-1

# --- -o json ------------------------------------------------------------------
run "$irsa" audit --snapshot "$snap" -o json --fail-on none
is "$RC:$(jq -r 'keys_unsorted | join(",")' <<<"$OUT")" "0:findings,notRun,summary" "json: findings, notRun, summary"
is "$(jq -r '[.findings[] | keys_unsorted | join(",")] | unique | join(";")' <<<"$OUT")" \
	"check,severity,title,cluster,region,namespace,serviceAccount,roleArn,providerArn,pod,workload,policyArn,ref,message,evidence,fix" \
	"json: every finding has every member, in order"
is "$(jq '[.summary.total, (.findings | length), ([.summary.bySeverity[]] | add), ([.summary.byCheck[]] | add)] | unique | length' <<<"$OUT")" 1 \
	"json: summary total = findings = sum by severity = sum by check"
is "$(jq -r '.findings[] | select(.check == "IRSA010") | .fix | "\(.action) \(.confirm) \(.command)"' <<<"$OUT")" \
	"admit-sa true irsa fix IRSA010:shop-prod:sa/orders/orders-notify" "json: a fix with its action, confirm flag and command"
is "$(jq '[.findings[] | select(.fix == null) | .check] | unique' -c <<<"$OUT")" '["IRSA003","IRSA024","IRSA032"]' \
	"json: manual findings have fix null"
is "$(jq '[.findings[] | select(.fix != null and .fix.command != "irsa fix \(.ref)")] | length' <<<"$OUT")" 0 \
	"json: every fix command names its finding's ref"

# --- -o sarif -----------------------------------------------------------------
run "$irsa" audit --snapshot "$snap" -o sarif
is "$RC" 1 "sarif: the exit status follows --fail-on as for text"
printf '%s\n' "$OUT" >"$tmp/audit.sarif"
is "$(jq -r '"\(.version) \(.runs | length) \(.runs[0].tool.driver.rules | length) \(.runs[0].results | length)"' "$tmp/audit.sarif")" \
	"2.1.0 1 40 10" "sarif: 2.1.0, one run, a rule per catalog check, a result per finding"
is "$(jq -r '.runs[0].results[] | select(.ruleId == "IRSA010") | .locations[0].logicalLocations | map("\(.kind) \(.fullyQualifiedName)") | join("; ")' "$tmp/audit.sarif")" \
	"object shop-prod/orders/orders-notify; resource arn:aws:iam::123456789012:role/shop-prod-notify-sub-mismatch" \
	"sarif: logical locations: the service account, then the role ARN"
is "$(jq -r '.runs[0].invocations[0] | "\(.executionSuccessful) \(.toolExecutionNotifications | length)"' "$tmp/audit.sarif")" \
	"true $(jq '.notRun | length' <<<"$("$irsa" audit --snapshot "$snap" -o json)")" "sarif: a notification per check not run"
run "$irsa" audit --snapshot "$snap" --check IRSA029 -o sarif
printf '%s\n' "$OUT" >"$tmp/notrun.sarif"
is "$RC:$(jq -r '.runs[0].invocations[0].executionSuccessful' "$tmp/notrun.sarif")" "3:false" \
	"sarif: nothing ran: exit 3, executionSuccessful false"

if [ -z "$validator" ] && [ -n "${CI:-}" ]; then
	is "missing" "installed" "sarif: the SARIF validator is installed in CI (scripts/install-deps installs it)"
	is "missing" "installed" "sarif: the SARIF validator is installed in CI (scripts/install-deps installs it)"
elif [ -z "$validator" ]; then
	skip "sarif: sarif-multitool validate finds no error" "SARIF validator not installed (scripts/install-sarif-validator)"
	skip "sarif: nothing-ran report validates too" "SARIF validator not installed (scripts/install-sarif-validator)"
else
	for f in audit notrun; do
		(cd "$tmp" && DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$validator" validate "$f.sarif" -o "$f.log") \
			>"$tmp/$f.out" 2>&1
		# It exits 0 even with errors: its log (SARIF too) and its console say.
		errors=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$tmp/$f.log" 2>/dev/null)
		[ "${errors:-no log}:$(grep -c ': error ' "$tmp/$f.out")" = "0:0" ]
		tap_result $? "sarif: sarif-multitool validate finds no error ($f.sarif)" "$(cat "$tmp/$f.out")"
	done
fi

# --- live: the sandbox --------------------------------------------------------
sandbox_up "$tmp/sb"
run "$irsa" audit --all-contexts -o json
is "$RC:$(jq -r '[.findings[].cluster] | unique | join(",")' <<<"$OUT")" "1:shop-prod,shop-staging" \
	"--all-contexts: both sandbox clusters audited"
is "$(jq '[.findings[].ref] | (length == (unique | length))' <<<"$OUT")" true \
	"--all-contexts: each cluster once (four contexts reach shop-prod; no finding twice)"
run "$irsa" audit --context shop-prod --save-snapshot "$tmp/rec.json" -o json
printf '%s\n' "$OUT" >"$tmp/live.json"
is "$(stat -c %a "$tmp/rec.json" 2>&1)" 600 "--save-snapshot writes the file 0600"
run "$irsa" audit --snapshot "$tmp/rec.json" -o json
check "--snapshot of the recording gives the same findings as the live audit" \
	diff <(jq -S '.findings' "$tmp/live.json") <(jq -S '.findings' <<<"$OUT")
sandbox_down

tap_done
