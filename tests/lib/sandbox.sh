# shellcheck shell=bash
# tests/lib/sandbox.sh - the sandbox (tests/fakes/sandbox.py) for shell tests;
# source it after tap.sh.
#
#   sandbox_up DIR   start the sandbox in DIR (DIR must not exist; its parent
#                    does) and export what DIR/env sets; bails out (a
#                    failure) when it cannot start, with the tail of its log
#   sandbox_down     stop it and remove DIR (safe to call twice, or before up)
SANDBOX_DIR=

sandbox_up() {
	SANDBOX_DIR=$1
	if ! python3 "${IRSA_SRCDIR:-.}/tests/fakes/sandbox.py" up --dir "$SANDBOX_DIR" >"$SANDBOX_DIR.log" 2>&1; then
		echo "# $(tail -5 "$SANDBOX_DIR.log")"
		bail_out "the sandbox did not start"
	fi
	set -a
	# shellcheck disable=SC1091
	. "$SANDBOX_DIR/env"
	set +a
}

sandbox_down() {
	[ -n "$SANDBOX_DIR" ] || return 0
	python3 "${IRSA_SRCDIR:-.}/tests/fakes/sandbox.py" down --dir "$SANDBOX_DIR" >/dev/null 2>&1
	rm -f "$SANDBOX_DIR.log"
	SANDBOX_DIR=
}
