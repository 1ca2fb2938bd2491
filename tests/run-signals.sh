#!/usr/bin/env bash
# tests/run-signals.sh - a kill leaves nothing (issue 6, defect 3). Starts a long
# batch (one PDF; one file per recipient; the same with --jobs 2; minutes of 1,000
# events, in one PDF or one file each; a bulletin with a large PNG photo), waits until its
# first temporary file exists, sends SIGTERM, SIGINT or SIGHUP, and checks the exit
# status is 128 + the signal and that no file, temporary or --jobs list is left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban signals
if ! have python3; then
  skip signals "needs python3 (the minutes and bulletin batches)"
  finish
fi
set -m # background jobs keep SIGINT (without job control bash ignores it for them)

# A batch of 2,000 recipients: several seconds of work, killed well before the end.
batch=$TMP/batch.yaml
{
  sed -n '/^organization:/,/^        recipients:/p' "$TOP/tests/cases-src/nfc.yaml"
  for i in $(seq 1 2000); do
    echo "          - {name: Nguyễn Văn Số $i, gender: nam, position: Tổ trưởng tổ dân phố}"
  done
} >"$batch"

# Minutes: the first event of a sample 1,000 times (two pages each).
mbatch=$TMP/minutes.yaml
python3 - "$TOP/samples/phuong-mai-dich.yaml" "$mbatch" <<'PY'
import re, sys
head, events = open(sys.argv[1], encoding="utf-8").read().split("events:\n", 1)
first = re.split(r"\n(?=  - id: )", events)[0].rstrip("\n") + "\n"
old = first.split("id: ", 1)[1].split("\n", 1)[0]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(head + "events:\n")
    for i in range(1000):
        f.write(first.replace("id: " + old, f"id: {old}-{i:04d}", 1))
PY
# A bulletin: the sample issue with a 2,500 x 2,500 photo of noise (18 MB, stored
# PNG): a second or more of drawing.
cp -r "$TOP/samples/ban-tin" "$TMP/ban-tin"
python3 - "$TMP/ban-tin/anh/huy-hieu.png" <<'PY'
import os, struct, sys, zlib
w = h = 2500
raw = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                             + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))
PY
run=(certificates "$batch")

# run_kill NAME SIGNAL ARGS...: runs vanban "${run[@]}" ARGS (in $TMP/NAME/), kills it with
# SIGNAL as soon as a temporary exists there (KILL_AFTER temporaries: finished files
# waiting for the commit, listed in the run's journal in TMPDIR), checks what is left
# (TMPDIR too).
run_kill() {
  local name=$1 sig=$2
  shift 2
  local out=$TMP/$name jobtmp=$TMP/$name.tmp
  mkdir -p "$out/out" "$jobtmp"
  (cd "$out" && TMPDIR=$jobtmp exec "$VANBAN" "${run[@]}" "$@") 2>"$out.stderr" &
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
run=(minutes "$mbatch")
run_kill minutes-single-term TERM -o bien-ban.pdf
run_kill minutes-single-int INT -o bien-ban.pdf
run_kill minutes-split-hup HUP -o 'out/{id}.pdf'
KILL_AFTER=30 run_kill minutes-split-term-journal TERM -o 'out/{id}.pdf'
KILL_AFTER=10 run_kill minutes-jobs-int INT --jobs 2 -o 'out/{id}.pdf'
run=(bulletin "$TMP/ban-tin" --month 2024-11)
run_kill bulletin-term TERM -o ban-tin.pdf
run_kill bulletin-int INT -o ban-tin.pdf
run_kill bulletin-hup HUP -o ban-tin.pdf
finish
