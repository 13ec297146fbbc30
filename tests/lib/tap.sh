# tests/lib/tap.sh - TAP output for irsa's shell tests (source it).
#
#   tap_plan N         print the plan
#   ok COND_STATUS DESC  (use: check DESC cmd args...)
#   check DESC CMD...  runs CMD; ok when it exits 0
#   is GOT WANT DESC   string equality, with a diff-like diagnostic
#   like GOT REGEX DESC  extended-regex match
#   skip_all REASON    "1..0 # SKIP REASON", exit 77: only for what the
#                      machine lacks (a peer tool such as kubectl)
#   bail_out REASON    "Bail out! REASON", exit 1: the test world is broken
#                      (a binary not built, the sandbox not starting) -- a
#                      failure, never a skip
#   tap_done           exit 0 when everything passed, else 1
# Failures never stop the script: every check is reported.
TAP_N=0
TAP_FAILED=0

tap_plan() { echo "1..$1"; }

tap_result() { # STATUS DESC [DIAG]
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
	return 0
}

check() {
	local desc=$1 out
	shift
	out=$("$@" 2>&1)
	tap_result $? "$desc" "$out"
}

is() {
	[ "$1" = "$2" ]
	tap_result $? "$3" "$(printf 'got:  %s\nwant: %s' "$1" "$2")"
}

like() {
	printf '%s' "$1" | grep -Eq -- "$2"
	tap_result $? "$3" "$(printf 'got:  %s\nwant match: %s' "$1" "$2")"
}

unlike() {
	! printf '%s' "$1" | grep -Eq -- "$2"
	tap_result $? "$3" "$(printf 'got:  %s\nwant no match: %s' "$1" "$2")"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 77
}

bail_out() {
	echo "Bail out! $1"
	exit 1
}

tap_done() {
	[ "$TAP_FAILED" -eq 0 ]
	exit $?
}
