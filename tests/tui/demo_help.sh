#!/usr/bin/env bash
# tests/tui/demo_help.sh - irsa in a real terminal (tmux): with no command it
# shows its help on the screen, and it honours the terminal's size. The first
# of the tmux-driven UI tests; the UI screens extend this file's pattern:
# start irsa in a detached session, send keys, capture the pane, compare.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
command -v tmux >/dev/null || skip_all "tmux not installed"
[ -x "$irsa" ] || skip_all "irsa binary not built"

sock="irsa-test-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT

tap_plan 3

tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 40 "'$irsa'; echo irsa-exited-\$?; sleep 30"
screen=""
for _ in $(seq 1 50); do
	screen=$(tmux -L "$sock" capture-pane -p)
	case "$screen" in *irsa-exited-*) break ;; esac
	sleep 0.1
done
like "$screen" 'irsa - bind Kubernetes service accounts' "the help is on the screen"
like "$screen" 'irsa-exited-0' "irsa exits 0"
like "$screen" '--kubeconfig PATH' "global flags are listed"

tap_done
