#!/usr/bin/env bash
# tests/integration/cli_basics.sh - the program skeleton from outside:
# --version, --help, help COMMAND, global flags before or after the command,
# and usage errors (one line, a hint, exit status 2).
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"

run() { # sets OUT, ERR, RC
	local e
	e=$(mktemp)
	OUT=$("$irsa" "$@" 2>"$e")
	RC=$?
	ERR=$(cat "$e")
	rm -f "$e"
}

tap_plan 40

run --version
is "$RC" 0 "--version exits 0"
like "$OUT" '^irsa [0-9]+\.[0-9]+\.[0-9]+$' "--version prints 'irsa X.Y.Z'"

run version
is "$RC" 0 "version exits 0"
like "$OUT" 'libcurl [0-9.]+' "version names libcurl"
like "$OUT" 'OpenSSL 3' "version names OpenSSL 3"

run version -o json
is "$RC" 0 "version -o json exits 0"
check "version -o json is valid JSON with the irsa version" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["irsa"] and isinstance(d["libcurlHttp2"], bool)' "$OUT"

run -o json version
is "$RC" 0 "-o before the command is accepted"
like "$OUT" '"irsa"' "-o before the command takes effect"

run --output=json version
like "$OUT" '"irsa"' "--output=VALUE form works"

run version -ojson
like "$OUT" '"irsa"' "-oVALUE form works"

run --help
is "$RC" 0 "--help exits 0"
like "$OUT" 'Commands:' "--help lists the commands"
like "$OUT" '--kubeconfig PATH' "--help lists the global flags"
is "$(printf '%s\n' "$OUT" | awk 'length > 80' | head -3)" "" "--help fits in 80 columns"

run
is "$RC" 0 "no command and no terminal exits 0 (help, not the UI)"
like "$OUT" 'Usage:' "no command prints usage"

run help version
is "$RC" 0 "help COMMAND exits 0"
like "$OUT" 'irsa version \[-o text\|json\]' "help COMMAND shows the command's usage"
is "$(printf '%s\n' "$OUT" | awk 'length > 80' | head -3)" "" "help COMMAND fits in 80 columns"

wide=""
for c in $(printf '%s\n' "$("$irsa" --help)" | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }'); do
	wide="$wide$("$irsa" help "$c" | awk -v c="$c" 'length > 80 { print c ": " $0 }')"
done
is "$wide" "" "every command's help fits in 80 columns"

run version --help
like "$OUT" 'irsa version - ' "COMMAND --help shows the command's help"

run --context prod --region eu-west-1 --profile p --kubeconfig /dev/null --debug --no-color version
is "$RC" 0 "global flags before the command"

run version --context prod --region=eu-west-1 --debug --no-color
is "$RC" 0 "global flags after the command"

run --context version version
is "$RC" 0 "a flag value that looks like a command is taken as the value"

run frobnicate
is "$RC" 2 "unknown command exits 2"
is "$(printf '%s\n' "$ERR" | head -1)" 'irsa: unknown command "frobnicate"' "unknown command: one line naming it"
like "$ERR" "Run 'irsa --help'" "unknown command: a hint"
is "$OUT" "" "unknown command prints nothing on stdout"

run versoin
like "$ERR" "Did you mean 'irsa version'" "a near miss suggests the command"

run version --frob
is "$RC" 2 "unknown flag exits 2"
like "$ERR" '^irsa: unknown flag --frob for irsa version' "unknown flag: names the flag and the command"
like "$ERR" "irsa help version" "unknown flag: the hint names the help command"
is "$(printf '%s\n' "$ERR" | wc -l)" 2 "usage errors are exactly one error line and one hint line"

run --frob version
is "$RC" 2 "unknown flag before the command exits 2"

run version --region
is "$RC" 2 "a flag missing its value exits 2"
like "$ERR" 'flag --region needs a REGION' "missing value: names flag and value"

run version -o yaml
is "$RC" 2 "an output format the command does not support exits 2"
like "$ERR" 'irsa version accepts -o text\|json' "unsupported output: the hint lists the accepted formats"

run version --debug=yes
is "$RC" 2 "a boolean flag given a value exits 2"

tap_done
