#!/usr/bin/env bash
# tests/tui/frame.sh - the UI's frame in a real terminal (tmux) on the
# sandbox: the title line and hint bar, `?` help from the live keymap, the
# `:` command line (errors, history, :ctx and :ns switching), `@` the action
# log and its `/` filter, the "terminal too small" notice and its recovery,
# NO_COLOR without colour codes, read-only mode, and the terminal restored
# (echo, icanon, cursor, main screen) after :q, q, C-c, SIGTERM and a crash,
# with what was written to stderr meanwhile shown after exit.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/tmux.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
command -v tmux >/dev/null || bail_out "tmux not installed (the UI tests need it)"
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-frame.XXXXXX")
cleanup() {
	tmux_cleanup
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap_plan 41
sandbox_up "$dir/sb"

TITLE='^irsa  .*clusters\['

# run_irsa [VAR=VALUE...]: a session whose pane runs irsa (with
# IRSA_ARGS), then prints its exit status and saves `stty -a` as the
# terminal stands after it. The pane's shell catches SIGINT (so C-c reaches
# irsa alone, which gets the default action back on exec), makes no core
# file when the crash test kills irsa, and stays alive afterwards: tmux
# hides the cursor of a dead pane.
run_irsa() {
	tmux_start "trap : INT; ulimit -c 0; $* '$irsa' ${IRSA_ARGS:-}; echo irsa-exit=\$?; stty -a >'$dir/stty.$((TMUX_SESSION + 1))'; echo stty-saved; exec sleep 600"
}

# ok_when PATTERN DESC [SECS]: one check, waiting for the pattern.
ok_when() {
	tmux_wait_for "$1" "${3:-15}" "${4:-}"
	tap_result $? "$2" "$(printf 'waited for: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}

ok_gone() {
	tmux_wait_gone "$1" "${3:-15}"
	tap_result $? "$2" "$(printf 'waited for no: %s\nscreen:\n%s' "$1" "$TMUX_SCREEN")"
}

# restored DESC: after irsa exited, the terminal is as a shell wants it.
restored() {
	local f="$dir/stty.$TMUX_SESSION" why=""
	tmux_wait_for 'stty-saved' 15 -h || why="stty never ran"
	if [ -z "$why" ]; then
		grep -Eq '(^| )echo( |;|$)' "$f" || why="echo is off"
		grep -Eq '(^| )icanon( |;|$)' "$f" || why="$why icanon is off"
		tmux_cursor_visible || why="$why the cursor is hidden"
		tmux_alt_screen && why="$why still on the alternate screen"
	fi
	tap_result "$([ -z "$why" ] && echo 0 || echo 1)" "$1" "$why
$(cat "$f" 2>/dev/null)"
}

exit_status() {
	tmux_wait_for 'irsa-exit=[0-9]+' 15 -h
	printf '%s\n' "$TMUX_SCREEN" | sed -n 's/.*irsa-exit=\([0-9]*\).*/\1/p' | tail -1
}

# Colour SGR parameters (30-38, 40-48, 90-107) in the pane; attributes
# (bold, reverse, underline) and the default-colour resets are fine.
colour_codes() {
	tmux_capture -e | grep -o $'\e\\[[0-9;:]*m' | tr -d '\033[m' | tr ';:' '\n\n' |
		grep -Ex '3[0-8]|4[0-8]|9[0-7]|10[0-7]' | sort -u | tr '\n' ' '
}

irsa_pid() {
	local pane
	pane=$(tmux_pane_pid)
	ps -o pid= --ppid "$pane" | tr -d ' ' | head -1
}

# --- the frame, help, commands, log, resize; :q ------------------------------
run_irsa
ok_when "$TITLE" "the UI opens on the clusters screen with its title line"
ok_when '\? help .*q quit' "the hint bar shows the global keys"
like "$(colour_codes)" '[0-9]' "the default theme draws with colours"
tmux_keys '?'
ok_when 'Help: clusters' "? opens the help"
like "$TMUX_SCREEN" ':ctx NAME' "the help lists the : commands"
like "$TMUX_SCREEN" '@ +action log' "the help lists the global keys"
tmux_keys Escape
ok_gone 'Help: clusters' "Esc closes the help"
tmux_keys ':'
tmux_type 'foo'
tmux_keys Enter
ok_when 'unknown command :foo' "an unknown command is an error on the flash line"
tmux_keys ':' Up
ok_when '^:foo *$' ": Up recalls the last command"
tmux_keys Escape
tmux_keys ':'
tmux_type 'ctx nosuch'
tmux_keys Enter
ok_when 'no context "nosuch" in the kubeconfig' ":ctx with an unknown context says so"
tmux_keys '@'
ok_when '^irsa  .*log\[' "@ opens the action log"
like "$TMUX_SCREEN" 'ui: 100x30 terminal' "the log holds the UI's own lines"
tmux_keys '/'
tmux_type 'unknown'
ok_when '^irsa  .*log\[1/[0-9]+\] </unknown>' "/ filters the log incrementally, shown in the title"
tmux_keys Enter Escape
ok_when '^irsa  .*log\[[0-9]+/[0-9]+\] *$' "Esc clears a kept filter first"
tmux_keys Escape
ok_when "$TITLE" "then Esc goes back one level"
tmux_keys ':'
tmux_type 'ctx'
tmux_keys Enter
ok_when 'pick a context, or :ctx NAME' ":ctx alone stays on the clusters screen and says why"
ok_gone 'pick a context' "an info flash goes away by itself (6 s)" 12
tmux_keys ':'
tmux_type 'nope'
tmux_keys Enter
tmux_wait_for 'unknown command :nope'
tmux_keys j
ok_gone 'unknown command :nope' "an error stays until the next key"
tmux_resize 60 15
ok_when 'terminal too small \(need 80x24, have 60x15\)' "below 80x24 the UI says the terminal is too small"
tmux_resize 100 30
ok_when "$TITLE" "back at 100x30 the UI recovers"
tmux_keys ':'
tmux_type 'q'
tmux_keys Enter
is "$(exit_status)" 0 ":q quits with status 0"
restored ":q restores the terminal (echo, icanon, cursor, main screen)"
tmux_kill_session

# --- q, and stderr written while curses ran ------------------------------------
IRSA_ARGS=--debug run_irsa
ok_when "$TITLE" "the UI opens with --debug"
tmux_keys q
is "$(exit_status)" 0 "q quits with status 0"
ok_when '>>>>>>>>>> stderr output >>>>>>>>>>' "stderr written while curses ran is shown after exit" 15 -h
ok_when 'irsa: info: ui: 100x30 terminal' "with the lines themselves" 15 -h
restored "q restores the terminal"
tmux_kill_session

# --- NO_COLOR, read-only -------------------------------------------------------
IRSA_ARGS=--read-only run_irsa NO_COLOR=1
ok_when "$TITLE" "the UI opens with NO_COLOR=1"
is "$(colour_codes)" "" "NO_COLOR: no colour codes on the screen"
like "$TMUX_SCREEN" 'read-only' "--read-only shows in the title line"
tmux_keys C-c
is "$(exit_status)" 130 "C-c quits (status 130)"
restored "C-c restores the terminal"
tmux_kill_session

# --- :ctx and :ns --------------------------------------------------------------
run_irsa
ok_when "$TITLE" "the UI opens again"
tmux_keys ':'
tmux_type 'ctx shop-staging'
tmux_keys Enter
ok_when '^irsa  .*shop-staging.*namespaces\[' ":ctx NAME opens that context's namespaces"
tmux_keys ':'
tmux_type 'ns default'
tmux_keys Enter
ok_when '^irsa  .*default.*serviceaccounts\[' ":ns NAME opens that namespace's service accounts"

# --- SIGTERM -------------------------------------------------------------------
pid=$(irsa_pid)
kill -TERM "$pid" 2>/dev/null
is "$(exit_status)" 143 "SIGTERM quits (status 143)"
restored "SIGTERM restores the terminal"
tmux_kill_session

# --- a crash -------------------------------------------------------------------
run_irsa
ok_when "$TITLE" "the UI opens once more"
pid=$(irsa_pid)
kill -SEGV "$pid" 2>/dev/null
is "$(exit_status)" 139 "a crash (SIGSEGV) ends irsa with the signal's status"
ok_when 'irsa: crashed; the terminal was restored \(signal 11\)' "and says so" 15 -h
restored "a crash restores the terminal"

tap_done
