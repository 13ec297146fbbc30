#!/usr/bin/env bash
# tests/integration/themes.sh - themes without a terminal, through `irsa
# themes`: every shipped theme loads; each broken file in tests/data/themes
# is refused with FILE:LINE and what is wrong; user themes are found in
# $XDG_CONFIG_HOME (or ~/.config) and shadow the shipped ones; --theme,
# IRSA_THEME, NO_COLOR and TERM=dumb choose as documented; and the shipped
# themes stay legible with 256, 8 and no colours.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
irsa=${IRSA_BIN:-./irsa}
[ -x "$irsa" ] || bail_out "irsa binary not built ($irsa)"
src=$(cd "${IRSA_SRCDIR:-.}" && pwd -P)
data=$src/tests/data/themes

tmp=$(mktemp -d "${TMPDIR:-/tmp}/irsa-themes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# A clean environment: no user themes, no colour switches from the caller.
unset NO_COLOR IRSA_THEME XDG_CONFIG_HOME
export HOME=$tmp/empty-home TERM=xterm-256color
mkdir -p "$HOME"

run() { # sets OUT, ERR, RC
	OUT=$("$@" 2>"$tmp/err")
	RC=$?
	ERR=$(cat "$tmp/err")
}

shipped="default light high-contrast mono"
broken=(
	"unknown-role.yaml|$data/unknown-role.yaml:5: roles: unknown role \"table.cursr\"; did you mean \"table.cursor\"?"
	"unknown-key.yaml|$data/unknown-key.yaml:3: unknown key \"colours\" (name, inherits, palette, roles or mono)"
	"unknown-role-key.yaml|$data/unknown-role-key.yaml:4: roles.title: unknown key \"background\" (fg, bg or attrs)"
	"bad-colour.yaml|$data/bad-colour.yaml:7: roles.hint.key.fg: unknown colour \"bleu\""
	"palette-colour.yaml|$data/palette-colour.yaml:4: palette.red: a colour cannot be a palette name"
	"bad-palette.yaml|$data/bad-palette.yaml:4: palette.accent: unknown colour \"256\""
	"unquoted-hash.yaml|$data/unquoted-hash.yaml:5: roles.title.fg: expected a colour, got nothing (quote \"#rrggbb\" colours"
	"bad-attr.yaml|$data/bad-attr.yaml:5: roles.title.attrs: unknown attribute \"blink\""
	"mono-bad-attr.yaml|$data/mono-bad-attr.yaml:4: mono.table.cursor: unknown attribute \"inverse\""
	"syntax.yaml|$data/syntax.yaml:5: YAML syntax error: did not find expected ',' or '}'"
	"cycle-a.yaml|$data/cycle-b.yaml:3: inherits cycle: $data/cycle-a.yaml -> $data/cycle-b.yaml -> $data/cycle-a.yaml"
	"wrong-type.yaml|$data/wrong-type.yaml:5: roles.title.attrs: expected a list such as [bold, underline], got a string"
	"wrong-type-roles.yaml|$data/wrong-type-roles.yaml:4: roles: expected a mapping such as {title: {fg: accent}}, got a list"
	"duplicate-key.yaml|$data/duplicate-key.yaml:6: roles: duplicate key \"title\" (first at line 4)"
	"missing-name.yaml|$data/missing-name.yaml:2: missing name"
	"inherits-missing.yaml|$data/inherits-missing.yaml:3: inherits: no-such-theme: no such theme"
)

tap_plan $((2 * 4 + 1 + 2 * ${#broken[@]} + 46))

# --- the shipped themes ------------------------------------------------------
for t in $shipped; do
	run "$irsa" themes --check "$src/themes/$t.yaml"
	is "$RC:$OUT" "0:$src/themes/$t.yaml: ok" "themes/$t.yaml passes --check"
	run "$irsa" themes --check "$t"
	is "$RC:$OUT" "0:$t: ok" "theme $t is found by name"
done
n=$(ls "$src"/themes/*.yaml | wc -l)
run "$irsa" themes --check "$src"/themes/*.yaml
is "$RC:$(printf '%s\n' "$OUT" | grep -c ': ok$')" "0:$n" "every file in themes/ passes --check together"

# --- broken themes: FILE:LINE: what is wrong ----------------------------------
for b in "${broken[@]}"; do # FILE|the error's first bytes
	file=${b%%|*}
	want=${b#*|}
	desc="$file: $(printf '%s' "${want#"$data/"}" | cut -c1-64)"
	run "$irsa" themes --check "$data/$file"
	is "$RC" 1 "$file: --check exits 1"
	case "$(printf '%s\n' "$ERR" | head -1)" in
	"$want"*) tap_result 0 "$desc" ;;
	*) tap_result 1 "$desc" "$(printf 'got:  %s\nwant: %s...' "$ERR" "$want")" ;;
	esac
done

run "$irsa" themes --check "$src/themes/default.yaml" "$data/bad-attr.yaml" "$data/child.yaml"
is "$RC" 1 "--check with one bad file among good ones exits 1"
is "$OUT" "$src/themes/default.yaml: ok
$data/child.yaml: ok" "--check still reports the good files"
like "$ERR" "^$data/bad-attr.yaml:5: " "--check reports the bad one on stderr"

run "$irsa" themes --check "$tmp/nope.yaml"
is "$RC:$ERR" "1:$tmp/nope.yaml: no such theme file" "--check of a missing file"

run "$irsa" themes --check -o json "$data/child.yaml" "$data/bad-colour.yaml"
check "--check -o json gives each file's result" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [x["ok"] for x in d] == [True, False], d
assert d[0]["name"] == "child" and d[1]["error"].endswith("or default)"), d' "$OUT"

# --- choosing a theme --------------------------------------------------------
run "$irsa" themes
is "$RC" 0 "irsa themes exits 0"
is "$(printf '%s\n' "$OUT" | head -1)" "selected: default (the default) $src/themes/default.yaml" \
	"without flags or variables: default"
for t in base $shipped; do
	printf '%s\n' "$OUT" | grep -Eq "^$t +" || break
done
is "$t" mono "the list names base and every shipped theme"

run env IRSA_THEME=light "$irsa" themes
like "$OUT" "^selected: light \(IRSA_THEME\) $src/themes/light.yaml" "IRSA_THEME chooses"
run env IRSA_THEME=light "$irsa" themes --theme high-contrast
like "$OUT" "^selected: high-contrast \(--theme\) " "--theme beats IRSA_THEME"
run env IRSA_THEME= "$irsa" themes
like "$OUT" "^selected: default \(the default\)" "an empty IRSA_THEME is unset"
# The config file: a YAML mapping; its theme: comes after IRSA_THEME.
mkdir -p "$tmp/cfg/irsa"
printf 'name: theme\ntheme: light\n' >"$tmp/cfg/irsa/config.yaml"
run env XDG_CONFIG_HOME="$tmp/cfg" "$irsa" themes
like "$OUT" "^selected: light \(the config file\) $src/themes/light.yaml" "the config file's theme: is used"
run env XDG_CONFIG_HOME="$tmp/cfg" IRSA_THEME=high-contrast "$irsa" themes
like "$OUT" "^selected: high-contrast \(IRSA_THEME\)" "IRSA_THEME beats the config file"

run env NO_COLOR=1 "$irsa" themes --theme light
like "$OUT" "^selected: mono \(NO_COLOR is set\) $src/themes/mono.yaml" "NO_COLOR chooses mono, even over --theme"
run env NO_COLOR= IRSA_THEME=light "$irsa" themes
like "$OUT" "^selected: light " "an empty NO_COLOR does not"
run env TERM=dumb IRSA_THEME=light "$irsa" themes
like "$OUT" "^selected: mono \(TERM is dumb\) " "TERM=dumb chooses mono"

run env IRSA_THEME=no-such "$irsa" themes
is "$RC" 1 "a theme that is not found: exit 1"
like "$OUT" "^selected: no-such \(IRSA_THEME\) not loaded" "... and the selected line says so"
like "$ERR" "no-such: no such theme \(searched $HOME/.config/irsa/themes, .*$src/themes\)" \
	"... and the error names the places searched"

run "$irsa" themes -o json
check "irsa themes -o json: the selection and the list" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["selected"]["name"] == "default" and d["selected"]["reason"] == "the default", d
assert {"default", "light", "high-contrast", "mono"} <= {t["name"] for t in d["themes"]}, d
assert all(t["ok"] for t in d["themes"]), d' "$OUT"

# --- user themes -------------------------------------------------------------
xdg=$tmp/xdg
mkdir -p "$xdg/irsa/themes"
cat >"$xdg/irsa/themes/mine.yaml" <<'EOF'
name: mine
inherits: default
roles:
  title: { fg: "#ff0000", attrs: [bold, underline] }
EOF
cat >"$xdg/irsa/themes/default.yaml" <<'EOF'
name: my-default
inherits: default
roles:
  hint.key: { fg: "#00ff00" }
EOF
printf 'name: loop-a\ninherits: loop-b\n' >"$xdg/irsa/themes/loop-a.yaml"
printf 'name: loop-b\ninherits: loop-a\n' >"$xdg/irsa/themes/loop-b.yaml"
printf 'name: broken\nroles: []\n' >"$xdg/irsa/themes/broken.yaml"

run env XDG_CONFIG_HOME="$xdg" IRSA_THEME=mine "$irsa" themes
is "$RC" 0 "with user themes: exit 0"
like "$OUT" "^selected: mine \(IRSA_THEME\) $xdg/irsa/themes/mine.yaml" "IRSA_THEME finds a theme in \$XDG_CONFIG_HOME/irsa/themes"
like "$OUT" "mine +$xdg/irsa/themes/mine.yaml" "the list shows the user theme"
like "$OUT" "default +$src/themes/default.yaml \(shadowed\)" "a user theme shadows the shipped one of the same name"
like "$OUT" "broken +$xdg/irsa/themes/broken.yaml \(broken" "a broken user theme is listed as broken"

run env XDG_CONFIG_HOME="$xdg" "$irsa" themes --theme mine --show
like "$OUT" "title +196 +default +bold,underline" "a user theme's role (#ff0000 -> 196)"
like "$OUT" "hint.key +46 +default +- *$" "... the user's default.yaml it inherits by name"
like "$OUT" "table.cursor +0 +75 " "... and the shipped default that one inherits"
run env XDG_CONFIG_HOME="$xdg" "$irsa" themes --check loop-a
like "$RC:$ERR" "^1:$xdg/irsa/themes/loop-b.yaml:2: inherits cycle: $xdg/irsa/themes/loop-a.yaml -> $xdg/irsa/themes/loop-b.yaml -> $xdg/irsa/themes/loop-a.yaml" \
	"themes inheriting each other by name: a cycle"
run env XDG_CONFIG_HOME="$xdg" "$irsa" themes --check default
like "$OUT" "^default: ok" "the user's default.yaml loads by name (inheriting the shipped one)"
run env XDG_CONFIG_HOME="$xdg" "$irsa" themes
like "$OUT" "^selected: default \(the default\) $xdg/irsa/themes/default.yaml" "... and is the one selected"

mkdir -p "$tmp/home/.config/irsa/themes"
cp "$xdg/irsa/themes/mine.yaml" "$tmp/home/.config/irsa/themes/"
run env HOME="$tmp/home" IRSA_THEME=mine "$irsa" themes
like "$OUT" "^selected: mine \(IRSA_THEME\) $tmp/home/.config/irsa/themes/mine.yaml" "without XDG_CONFIG_HOME: ~/.config/irsa/themes"
run env HOME="$tmp/home" XDG_CONFIG_HOME=relative/dir IRSA_THEME=mine "$irsa" themes
like "$OUT" "^selected: mine \(IRSA_THEME\) $tmp/home/.config/irsa/themes/mine.yaml" "a relative XDG_CONFIG_HOME is ignored (XDG spec)"

# --- colours -----------------------------------------------------------------
run "$irsa" themes --theme "$data/child.yaml" --show
like "$OUT" "title +1 +default +bold" "a child's palette recolours the roles it inherits"
like "$OUT" "status.ok +46 +default +underline" "a child's role replaces the parent's"
run "$irsa" themes --theme "$data/child.yaml" --show --colors 0
like "$OUT" "table.cursor +default +default +standout" "a child's mono section"

run "$irsa" themes --show --colors 8
like "$OUT" "table.cursor +0 +6 " "default, 8 colours: #5fafff -> cyan"
run "$irsa" themes --theme light --show --colors 8
like "$OUT" "hint.text +0 +default" "light, 8 colours: a grey goes to black, not to a hue"
run "$irsa" themes --theme high-contrast --show --colors 8
like "$OUT" "status.ok +2 +0 +bold" "high-contrast, 8 colours: bright green -> green + bold"

# Every shipped theme, with 256, 16 and 8 colours: 25 roles, and no text in
# its own background colour.
bad=""
for t in $shipped; do
	for c in 256 16 8; do
		out=$("$irsa" themes --theme "$t" --show --colors "$c")
		[ "$(printf '%s\n' "$out" | tail -n +3 | wc -l)" = 25 ] || bad="$bad $t/$c:roles"
		bad="$bad$(printf '%s\n' "$out" | tail -n +3 | awk -v w="$t/$c" '$2 != "default" && $2 == $3 { printf " %s:%s", w, $1 }')"
	done
done
is "$bad" "" "every shipped theme: every role, and fg != bg, with 256, 16 and 8 colours"

# Without colours the cursor, the focused button and the active crumb must
# still stand out.
bad=""
for t in $shipped; do
	out=$("$irsa" themes --theme "$t" --show --colors 0)
	bad="$bad$(printf '%s\n' "$out" | awk -v t="$t" '
		($1 == "table.cursor" || $1 == "button.focus") && $4 !~ /reverse|standout/ { printf " %s:%s", t, $1 }
		$1 == "crumbs.active" && $4 == "-" { printf " %s:%s", t, $1 }
		NR > 2 && ($2 != "default" || $3 != "default") { printf " %s:%s:colour", t, $1 }')"
done
is "$bad" "" "every shipped theme's mono section marks the cursor, focus and active crumb"

run env NO_COLOR=1 "$irsa" themes --show --colors 256
is "$(printf '%s\n' "$OUT" | tail -n +3 | awk '$2 != "default" || $3 != "default"' | wc -l)" 0 \
	"NO_COLOR: no role has a colour even on a 256-colour terminal"

# --- usage -------------------------------------------------------------------
run "$irsa" themes light
is "$RC" 2 "a positional argument without --check is a usage error"
run "$irsa" themes --check
is "$RC" 2 "--check without files is a usage error"
run "$irsa" themes --show --colors 7
is "$RC" 2 "--colors 7 is a usage error"
run "$irsa" help themes
is "$RC:$(printf '%s\n' "$OUT" | awk 'length > 80' | wc -l)" "0:0" "help themes fits in 80 columns"

tap_done
