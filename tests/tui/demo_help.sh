#!/usr/bin/env bash
# tests/tui/demo_help.sh - irsa in a real terminal (tmux): with no command it
# shows its help on the screen, and it honours the terminal's size. The first
# of the tmux-driven UI tests; the UI screens extend this file's pattern:
# start irsa in a detached session, send keys, capture the pane, compare.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
command -v tmux >/dev/null || skip_all "tmux not installed"
[ -x "$irsa" ] || bail_out "irsa binary not built"

sock="irsa-test-$$"
conf=$(mktemp)
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	rm -f "$conf"
}
trap cleanup EXIT
# Keep the pane (and what irsa printed) after irsa exits, without a helper
# process that could outlive the test.
echo "set -g remain-on-exit on" >"$conf"

tap_plan 3

# The shell prints irsa's exit status; remain-on-exit keeps the pane after it.
# (tmux's own #{pane_dead_status} proved unreliable on a loaded CI machine.)
tmux -L "$sock" -f "$conf" new-session -d -x 80 -y 24 "'$irsa'; echo irsa-exited-\$?"
screen=""
for _ in $(seq 1 300); do # up to 30 s on a loaded machine
	screen=$(tmux -L "$sock" capture-pane -p -S -)
	case "$screen" in *irsa-exited-*) break ;; esac
	sleep 0.1
done
status=$(printf '%s\n' "$screen" | sed -n 's/^irsa-exited-\([0-9]*\).*/\1/p')
like "$screen" 'irsa - bind Kubernetes service accounts' "the help is on the screen"
is "$status" 0 "irsa exits 0"
like "$screen" '--kubeconfig PATH' "global flags are listed"

tap_done
