#!/usr/bin/env bash
# tests/run-signals.sh - a kill leaves nothing (issue 6, defect 3). Starts a long
# batch (one PDF; one file per recipient; the same with --jobs 2), waits until its
# first temporary file exists, sends SIGTERM, SIGINT or SIGHUP, and checks the exit
# status is 128 + the signal and that no file, temporary or --jobs list is left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban signals
set -m # background jobs keep SIGINT (without job control bash ignores it for them)

# A batch of 2,000 recipients: several seconds of work, killed well before the end.
batch=$TMP/batch.yaml
{
  sed -n '/^organization:/,/^        recipients:/p' "$TOP/tests/cases-src/nfc.yaml"
  for i in $(seq 1 2000); do
    echo "          - {name: Nguyễn Văn Số $i, gender: nam, position: Tổ trưởng tổ dân phố}"
  done
} >"$batch"

# run_kill NAME SIGNAL ARGS...: runs vanban with ARGS (in $TMP/NAME/), kills it with
# SIGNAL as soon as a temporary exists there (KILL_AFTER temporaries: finished files
# waiting for the commit, listed in the run's journal in TMPDIR), checks what is left
# (TMPDIR too).
run_kill() {
  local name=$1 sig=$2
  shift 2
  local out=$TMP/$name jobtmp=$TMP/$name.tmp
  mkdir -p "$out/out" "$jobtmp"
  (cd "$out" && TMPDIR=$jobtmp exec "$VANBAN" certificates "$batch" "$@") 2>"$out.stderr" &
  local pid=$! waited=0
  while [ "$(find "$out" -name '.*.??????' | head -n "${KILL_AFTER:-1}" | wc -l)" -lt \
    "${KILL_AFTER:-1}" ] && [ "$waited" -lt 400 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.05
    waited=$((waited + 1))
  done
  kill -s "$sig" "$pid" 2>/dev/null || true
  local rc=0
  wait "$pid" || rc=$?
  local want=$((128 + $(kill -l "$sig")))
  local left
  left=$(cd "$out" && find . -mindepth 1 ! -path ./out | sort; cd "$jobtmp" && find . -mindepth 1)
  if [ "$rc" = "$want" ] && [ -z "$left" ]; then
    pass "signals/$name"
  else
    fail "signals/$name" "exit status $rc (expected $want)" "left: ${left:-nothing}" \
      "$(first_lines "$out.stderr" 5)"
  fi
}

run_kill single-term TERM -o giay-khen.pdf
run_kill single-int INT -o giay-khen.pdf
run_kill single-hup HUP -o giay-khen.pdf
run_kill split-term TERM -o 'out/{stt}-{ten}.pdf'
run_kill split-hup HUP -o 'out/{stt}-{ten}.pdf'
run_kill jobs-term TERM --jobs 2 -o 'out/{stt}-{ten}.pdf'
run_kill jobs-int INT --jobs 2 -o 'out/{stt}-{ten}.pdf'
run_kill jobs-manifest-term TERM --jobs 2 --manifest m.jsonl -o 'out/{stt}.pdf'
KILL_AFTER=30 run_kill split-term-journal TERM -o 'out/{stt}-{ten}.pdf'
KILL_AFTER=30 run_kill split-ten-int-journal INT -o 'out/{ten}.pdf'
KILL_AFTER=30 run_kill jobs-hup-journal HUP --jobs 2 --manifest m.jsonl -o 'out/{stt}.pdf'
finish
