#!/usr/bin/env bash
# tests/integration/core_layering.sh - the engine/face split holds
# mechanically: core/ never includes curses, never prints to a terminal and
# never exits; every source file opens with a comment saying what it owns.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
src=${IRSA_SRCDIR:-.}

tap_plan 4

hits=$(grep -rlE '#include *[<"](n?curses|ncursesw/|term\.h)' "$src/core" 2>/dev/null)
is "$hits" "" "core/ includes no curses header"

hits=$(grep -rnE '\b(printf|puts|putchar|fputs|perror|exit|abort) *\(' "$src/core" --include='*.c' |
	grep -vE 'snprintf|vsnprintf' || true)
is "$hits" "" "core/ never prints or exits"

hits=$(grep -rnE '\b(stdout|stderr)\b' "$src/core" --include='*.c' || true)
is "$hits" "" "core/ never touches stdout or stderr"

missing=""
for f in "$src"/core/*.[ch] "$src"/tui/*.[ch] "$src"/tests/unit/*.c; do
	head -1 "$f" | grep -q '^/\* ' || missing="$missing ${f#"$src"/}"
done
is "$missing" "" "every C file starts with a comment saying what it owns"

tap_done
