# shellcheck shell=bash
# tests/lib/tmux.sh - irsa in a real terminal for the UI tests (source it
# after tap.sh). Each test gets a private tmux server, so nothing touches
# the user's own tmux; a pane keeps what it showed after its program exits
# (remain-on-exit), and every wait polls capture-pane until a pattern shows
# up or a deadline passes: no fixed sleeps.
#
#   tmux_start CMD [W H]        a new session (default 100x30) running CMD
#                               with sh -c, in the environment of the test
#                               (so the sandbox's variables reach irsa)
#   tmux_keys KEY...            tmux send-keys (Enter, Escape, C-c, 'text')
#   tmux_type TEXT              send TEXT literally (send-keys -l)
#   tmux_capture [-e|-h]        the visible pane as text (-e: with SGR
#                               escapes; -h: with the history above it)
#   tmux_wait_for PAT [SECS [-h]]  0 once the pane matches the extended
#                               regex PAT (default deadline 15 s), else 1;
#                               the last capture is in TMUX_SCREEN either way
#   tmux_wait_gone PAT [SECS [-h]] the same, until PAT no longer matches
#   tmux_resize W H             resize-window (the program gets SIGWINCH)
#   tmux_pane_pid               the pid of the pane's shell
#   tmux_cursor_visible         0 when the pane's cursor is shown
#   tmux_alt_screen             0 when the pane is on the alternate screen
#   tmux_kill_session           end the session (the next tmux_start makes one)
#   tmux_cleanup                kill the server (trap it on EXIT)
TMUX_SOCK="irsa-test-$$"
TMUX_SCREEN=""
TMUX_SESSION=0

tmux_cmd() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

tmux_start() {
	local cmd=$1 w=${2:-100} h=${3:-30}
	TMUX_SESSION=$((TMUX_SESSION + 1))
	# The options are set in the same command list that makes the session,
	# so even a program that exits at once leaves its pane behind, and the
	# server stays up between sessions (no race with its own exit).
	tmux_cmd start-server \; set-option -s exit-empty off \; set-option -g remain-on-exit on \; \
		new-session -d -s "t$TMUX_SESSION" -x "$w" -y "$h" "$cmd"
}

tmux_target() { echo "t$TMUX_SESSION"; }

tmux_keys() { tmux_cmd send-keys -t "$(tmux_target)" "$@"; }

tmux_type() { tmux_cmd send-keys -t "$(tmux_target)" -l "$1"; }

tmux_capture() {
	case "${1:-}" in
	-e) tmux_cmd capture-pane -t "$(tmux_target)" -p -e ;;
	-h) tmux_cmd capture-pane -t "$(tmux_target)" -p -S - ;;
	*) tmux_cmd capture-pane -t "$(tmux_target)" -p ;;
	esac
}

tmux_wait_for() {
	local pat=$1 secs=${2:-15} end
	end=$(($(date +%s) + secs))
	while :; do
		TMUX_SCREEN=$(tmux_capture "${3:-}")
		printf '%s\n' "$TMUX_SCREEN" | grep -Eq -- "$pat" && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

tmux_wait_gone() {
	local pat=$1 secs=${2:-15} end
	end=$(($(date +%s) + secs))
	while :; do
		TMUX_SCREEN=$(tmux_capture "${3:-}")
		printf '%s\n' "$TMUX_SCREEN" | grep -Eq -- "$pat" || return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

tmux_resize() { tmux_cmd resize-window -t "$(tmux_target)" -x "$1" -y "$2"; }

tmux_pane_pid() { tmux_cmd display-message -t "$(tmux_target)" -p '#{pane_pid}'; }

tmux_cursor_visible() { [ "$(tmux_cmd display-message -t "$(tmux_target)" -p '#{cursor_flag}')" = 1 ]; }

tmux_alt_screen() { [ "$(tmux_cmd display-message -t "$(tmux_target)" -p '#{alternate_on}')" = 1 ]; }

tmux_kill_session() { tmux_cmd kill-session -t "$(tmux_target)" 2>/dev/null; }

tmux_cleanup() { tmux_cmd kill-server 2>/dev/null; }
