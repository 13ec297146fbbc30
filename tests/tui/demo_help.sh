#!/usr/bin/env bash
# tests/tui/demo_help.sh - irsa in a real terminal (tmux) with stdin not a
# terminal: with no command it shows its help on the screen (and says the UI
# needs a terminal) instead of opening the UI. The UI itself is tested by
# tests/tui/frame.sh and the other tests/tui/*.sh (tests/lib/tmux.sh).
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

tap_plan 4

# The shell prints irsa's exit status; remain-on-exit keeps the pane after it.
# (tmux's own #{pane_dead_status} proved unreliable on a loaded CI machine.)
tmux -L "$sock" -f "$conf" new-session -d -x 80 -y 24 "'$irsa' </dev/null; echo irsa-exited-\$?"
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
like "$screen" 'The terminal UI needs a terminal' "it says why the UI did not open"

tap_done
