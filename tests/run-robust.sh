#!/usr/bin/env bash
# tests/run-robust.sh - pathological inputs under a time limit (STYLE.md §8, level 6).
# Each must end with the right exit status and a message, not a hang or a crash:
#   long-word    a 10,000-character word with no break point in one recipient's
#                reason: that record fails (exit 1) with a message, the others print
#   deep-flow    1,000 nested flow sequences [[[...]]]: exit 2 with a message
#   deep-block   1,000 nested block mappings: exit 2 with a message
#   big-csv      a 100,000-row CSV with --org through `vanban check`: exit 0
#                (10,000 rows when VANBAN is a sanitizer build, build/asan/...)
# Inputs are generated (python3) into a temporary folder; timeout(1) bounds each run.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban robust
cd "$TOP" || exit 1

if ! have python3 || ! have timeout; then
  skip robust "needs python3 and timeout"
  finish
fi

limit=20
rows=100000
case $VANBAN in */asan/*) rows=10000 ;; esac

python3 - "$TMP" "$rows" <<'PY'
import sys
tmp, rows = sys.argv[1], int(sys.argv[2])
src = open("tests/cases-src/nfc.yaml", encoding="utf-8").read()
anchor = "            reason: đã phát hiện, tố giác"
assert anchor in src
open(f"{tmp}/long-word.yaml", "w", encoding="utf-8").write(
    src.replace(anchor, "            reason: " + "a" * 10000 + " đã phát hiện, tố giác"))
open(f"{tmp}/deep-flow.yaml", "w").write("organization: " + "[" * 1000 + "]" * 1000 + "\n")
open(f"{tmp}/deep-block.yaml", "w").write("".join("  " * i + "k:\n" for i in range(1000)))
with open(f"{tmp}/big.csv", "w", encoding="utf-8") as f:
    f.write("ho_ten,gioi_tinh,chuc_vu,don_vi,thanh_tich,tap_the\n")
    for i in range(rows):
        f.write(f"Nguyễn Văn An {i},Nam,Tổ viên,Tổ dân phố số {i % 30 + 1},,\n")
PY

# robust NAME WANT_RC GREP ARGS...: run vanban under timeout; stderr must match GREP
# (an extended regular expression) and hold no sanitizer or assertion report.
robust() {
  local name=$1 want=$2 re=$3 rc=0 t0 t1
  shift 3
  t0=$(date +%s)
  timeout "$limit" "$VANBAN" "$@" >/dev/null 2>"$TMP/$name.err" </dev/null || rc=$?
  t1=$(date +%s)
  if [ "$rc" -eq 124 ]; then
    fail "robust/$name" "no answer within $limit s"
  elif [ "$rc" -ne "$want" ]; then
    fail "robust/$name" "exit status $rc, expected $want" "$(first_lines "$TMP/$name.err" 5 | cut -c1-200)"
  elif grep -qE 'Sanitizer|runtime error|Assertion|Segmentation' "$TMP/$name.err"; then
    fail "robust/$name" "$(grep -E 'Sanitizer|runtime error|Assertion' "$TMP/$name.err" | head -n 3)"
  elif ! grep -qE -- "$re" "$TMP/$name.err"; then
    fail "robust/$name" "stderr does not match: $re" "$(first_lines "$TMP/$name.err" 5 | cut -c1-200)"
  else
    pass "robust/$name ($((t1 - t0)) s)"
  fi
}

robust long-word 1 'long-word\.yaml:[0-9]+:[0-9]+: error: .*does not fit' \
  certificates "$TMP/long-word.yaml" -o "$TMP/long-word.pdf"
if [ -f "$TMP/long-word.pdf" ] && have pdfinfo; then
  n=$(pdfinfo "$TMP/long-word.pdf" | awk '$1 == "Pages:" {print $2}')
  if [ "$n" = 5 ]; then pass robust/long-word-others; else fail robust/long-word-others "$n pages, expected 5"; fi
fi
robust deep-flow 2 'deep-flow\.yaml:1:[0-9]+: error: .*nesting' \
  certificates "$TMP/deep-flow.yaml" -o "$TMP/deep.pdf"
robust deep-block 2 'deep-block\.yaml:[0-9]+:[0-9]+: error: .*nesting' \
  certificates "$TMP/deep-block.yaml" -o "$TMP/deep.pdf"
# check lays out every certificate (about 0.15 ms each when idle; 100,000 take 15 s, more
# on a loaded machine): the bound is for a hang, not a speed test (make bench is that).
limit=60 robust big-csv 0 '0 records failed' \
  check --org samples/org-phuong-ha-khanh.yaml "$TMP/big.csv"
finish
