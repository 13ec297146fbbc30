#!/usr/bin/env bash
# TAP: the sandbox starts and stops cleanly, repeatedly, and after failures.
#   IRSA_CYCLES (default 10) up+down cycles; then failure cases.
#   exit 0 all passed, 1 any failed, 77 skipped (tools missing)
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SANDBOX="$TOP/tests/fakes/sandbox.py"
CYCLES=${IRSA_CYCLES:-10}

if ! command -v python3 >/dev/null 2>&1; then echo "1..0 # SKIP python3 not found"; exit 77; fi
if [ ! -f "$TOP/tests/fakes/kube_apiserver.py" ] && [ -z "${IRSA_SANDBOX_KUBE_APISERVER:-}" ]; then
    echo "1..0 # SKIP tests/fakes/kube_apiserver.py not present"
    exit 77
fi

BASE=$(mktemp -d "${TMPDIR:-/tmp}/irsa-cycle.XXXXXX")
BG_PID=""
cleanup() {
    [ -n "$BG_PID" ] && kill -9 "$BG_PID" 2>/dev/null
    for d in "$BASE"/*/; do
        [ -d "$d" ] && python3 "$SANDBOX" down --dir "${d%/}" >/dev/null 2>&1
    done
    # anything still carrying our base dir in its command line
    for p in $(live_procs "$BASE"); do kill -9 -- "-$p" "$p" 2>/dev/null; done
    rm -rf "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

N=0
FAILED=0
SECTION_T=""
ok()     { N=$((N + 1)); echo "ok $N - $1${SECTION_T:+ ($(elapsed "$SECTION_T")s)}"; }
not_ok() { N=$((N + 1)); FAILED=1; echo "not ok $N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# live (non-zombie) moto_server.py / kube_apiserver.py processes mentioning DIR
live_procs() {
    local p st
    for p in $(pgrep -f "(moto_server|kube_apiserver)\.py.*$1/" 2>/dev/null); do
        st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1)
        [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ] && echo "$p"
    done
}
ports_of() { [ -f "$1/pids" ] && awk '{print $3}' "$1/pids"; }
open_ports() { # PORT...
    local p
    for p in "$@"; do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && echo "$p"
    done
}
# verify nothing is left of sandbox DIR whose ports were PORTS
leftovers() { # DIR PORTS...
    local d=$1; shift
    local msg=""
    local procs; procs=$(live_procs "$d" | tr '\n' ' ')
    [ -n "$procs" ] && msg="$msg processes: $procs;"
    local open; open=$(open_ports "$@" | tr '\n' ' ')
    [ -n "$open" ] && msg="$msg open ports: $open;"
    [ -e "$d" ] && msg="$msg dir still exists;"
    echo "$msg"
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "1..$((CYCLES + 8))"

# ---- 1. CYCLES x (up, status, down)
T_ALL=$(now)
UP_TIMES=""
for i in $(seq 1 "$CYCLES"); do
    D="$BASE/c$i"
    t=$(now)
    if ! python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log"; then
        not_ok "cycle $i: up" "$(tail -10 "$BASE/up.log")"
        continue
    fi
    UP_TIMES="$UP_TIMES $(elapsed "$t")"
    PORTS=$(ports_of "$D")
    if ! python3 "$SANDBOX" status --dir "$D" >"$BASE/status.log" 2>&1; then
        not_ok "cycle $i: status after up" "$(cat "$BASE/status.log")"
        python3 "$SANDBOX" down --dir "$D" >/dev/null 2>&1
        continue
    fi
    # shellcheck disable=SC2086
    if ! python3 "$SANDBOX" down --dir "$D" 2>"$BASE/down.log"; then
        not_ok "cycle $i: down" "$(tail -5 "$BASE/down.log")"
        continue
    fi
    # shellcheck disable=SC2086
    left=$(leftovers "$D" $PORTS)
    if [ -z "$left" ]; then ok "cycle $i: up, status, down leave nothing (ports $(echo $PORTS))"; else not_ok "cycle $i: leftovers" "$left"; fi
done
echo "# $CYCLES cycles took $(elapsed "$T_ALL")s; up times:$UP_TIMES"

# ---- 2. up that fails during seeding cleans up after itself
SECTION_T=$(now)
D="$BASE/fail-seed"
if IRSA_SANDBOX_FAIL_AT=seed-aws-partial python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log"; then
    not_ok "up with seeding failure exits non-zero"
else
    if grep -q "seeding moto failed" "$BASE/up.log"; then
        ok "up with seeding failure exits non-zero and says why"
    else
        not_ok "up with seeding failure exits non-zero and says why" "$(tail -5 "$BASE/up.log")"
    fi
fi
left=$(leftovers "$D")
if [ -z "$left" ]; then ok "failed up left nothing behind"; else not_ok "failed up left nothing behind" "$left"; fi

# ---- 3. up killed with SIGKILL half way; down cleans up
SECTION_T=$(now)
D="$BASE/killed"
python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log" &
BG_PID=$!
for _ in $(seq 1 200); do [ -f "$D/moto.ready" ] && break; sleep 0.05; done
kill -9 "$BG_PID" 2>/dev/null; wait "$BG_PID" 2>/dev/null; BG_PID=""
PORTS=$(ports_of "$D")
python3 "$SANDBOX" down --dir "$D" 2>"$BASE/down.log"
# shellcheck disable=SC2086
left=$(leftovers "$D" $PORTS)
if [ -z "$left" ] && [ -n "$PORTS" ]; then ok "down after a SIGKILLed up leaves nothing"; else not_ok "down after a SIGKILLed up leaves nothing" "ports: $PORTS" "$left" "$(tail -3 "$BASE/down.log")"; fi

# ---- 4. up interrupted with SIGTERM half way cleans up by itself
SECTION_T=$(now)
D="$BASE/termed"
python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log" &
BG_PID=$!
for _ in $(seq 1 200); do [ -f "$D/moto.ready" ] && break; sleep 0.05; done
PORTS=$(ports_of "$D")
kill -TERM "$BG_PID" 2>/dev/null; wait "$BG_PID"; rc=$?; BG_PID=""
# shellcheck disable=SC2086
left=$(leftovers "$D" $PORTS)
if [ "$rc" -ne 0 ] && [ -z "$left" ]; then ok "SIGTERM during up: exits $rc and cleans up"; else not_ok "SIGTERM during up cleans up" "rc=$rc" "$left"; fi

# ---- 5. a sandbox process dies; down still cleans up
SECTION_T=$(now)
D="$BASE/dead-moto"
if python3 "$SANDBOX" up --dir "$D" 2>"$BASE/up.log"; then
    PORTS=$(ports_of "$D")
    kill -9 "$(awk '$2 == "moto" {print $1}' "$D/pids")"
    sleep 0.2
    python3 "$SANDBOX" status --dir "$D" >/dev/null 2>&1; st=$?
    python3 "$SANDBOX" down --dir "$D" 2>"$BASE/down.log"; rc=$?
    # shellcheck disable=SC2086
    left=$(leftovers "$D" $PORTS)
    if [ "$st" -ne 0 ] && [ "$rc" -eq 0 ] && [ -z "$left" ]; then ok "status notices a dead moto; down still cleans up"; else not_ok "dead moto: status/down" "status=$st down=$rc" "$left"; fi
else
    not_ok "dead moto: up" "$(tail -5 "$BASE/up.log")"
fi

# ---- 6. down refuses a directory that is not a sandbox
SECTION_T=$(now)
D="$BASE/not-a-sandbox"
mkdir -p "$D" && echo keep >"$D/file"
if ! python3 "$SANDBOX" down --dir "$D" 2>/dev/null && [ -f "$D/file" ]; then ok "down refuses a non-sandbox dir and leaves it"; else not_ok "down refuses a non-sandbox dir"; fi
rm -rf "$D"

# ---- 7. run: env exported, exit code propagated, nothing left
SECTION_T=$(now)
before=$(ls -d "${TMPDIR:-/tmp}"/irsa-sandbox.* 2>/dev/null | wc -l)
python3 "$SANDBOX" run -- sh -c 'test -n "$AWS_ENDPOINT_URL" && test -f "$KUBECONFIG" && test -d "$IRSA_SANDBOX_DIR" && echo "$IRSA_SANDBOX_DIR" >"$0" && exit 7' "$BASE/run-dir" 2>"$BASE/run.log"
rc=$?
RUN_DIR=$(cat "$BASE/run-dir" 2>/dev/null)
after=$(ls -d "${TMPDIR:-/tmp}"/irsa-sandbox.* 2>/dev/null | wc -l)
left=""
[ -n "$RUN_DIR" ] && left=$(leftovers "$RUN_DIR")
if [ "$rc" -eq 7 ] && [ -n "$RUN_DIR" ] && [ -z "$left" ] && [ "$before" -eq "$after" ]; then
    ok "run -- CMD: env exported, exit code 7 propagated, sandbox removed"
else
    not_ok "run -- CMD" "rc=$rc dir=$RUN_DIR tmpdirs $before->$after" "$left" "$(tail -3 "$BASE/run.log")"
fi

# ---- 8. run interrupted (SIGINT to run while CMD sleeps): down still happens
SECTION_T=$(now)
python3 "$SANDBOX" run -- sh -c 'echo "$IRSA_SANDBOX_DIR" >"$0"; exec sleep 60' "$BASE/run-dir2" 2>"$BASE/run2.log" &
BG_PID=$!
for _ in $(seq 1 400); do [ -s "$BASE/run-dir2" ] && break; sleep 0.05; done
kill -INT "$BG_PID" 2>/dev/null; wait "$BG_PID"; rc=$?; BG_PID=""
RUN_DIR=$(cat "$BASE/run-dir2" 2>/dev/null)
left=""
[ -n "$RUN_DIR" ] && left=$(leftovers "$RUN_DIR")
if [ "$rc" -ne 0 ] && [ -n "$RUN_DIR" ] && [ -z "$left" ]; then ok "run interrupted by SIGINT: exits $rc, sandbox removed"; else not_ok "run interrupted by SIGINT" "rc=$rc dir=$RUN_DIR" "$left" "$(tail -3 "$BASE/run2.log")"; fi

exit $FAILED
