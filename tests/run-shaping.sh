#!/usr/bin/env bash
# tests/run-shaping.sh - the typesetter's two shortcuts give exactly what Pango gives.
# Running text is measured by words (each word shaped once, HarfBuzz directly) and
# its lines are built from that measure (Pango's justification, indents and line
# positions reproduced) instead of being shaped by Pango again (src/layout/flow.c).
# With VANBAN_CHECK_SHAPING=1 every such paragraph is also shaped by Pango and
# compared glyph by glyph and line by line; vanban prints each difference and, at the
# end, "shaping check: N paragraphs built, N measured by words, N differ". Run on
# every golden case, every sample (minutes, certificates, the bulletin; one through
# libharu, which is shaped without ligatures) and long
# generated minutes of both forms: no run may find a difference, and together they
# must compare at least 1,000 paragraphs of each kind (a page of labels, like the
# calibration page, has none: skipped).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban shaping

total_built=0
total_measured=0

# check_run NAME DIR ARGS...: run vanban ARGS from DIR with the check on.
check_run() {
  local name=$1 dir=$2 line built measured differ rc=0
  shift 2
  (cd "$dir" && VANBAN_DATA=$TOP VANBAN_CHECK_SHAPING=1 "$VANBAN" "$@") >/dev/null \
    2>"$TMP/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "shaping/$name" "exit status $rc:" "$(first_lines "$TMP/err")"
    return
  fi
  line=$(grep -E 'shaping check: [0-9]+ paragraphs built, [0-9]+ measured by words, [0-9]+ differ$' \
    "$TMP/err" | tail -n 1)
  if [ -z "$line" ]; then
    fail "shaping/$name" "no shaping check summary on stderr:" "$(first_lines "$TMP/err")"
    return
  fi
  read -r built measured differ < <(printf '%s\n' "$line" |
    sed -E 's/.*: ([0-9]+) paragraphs built, ([0-9]+) measured by words, ([0-9]+) differ$/\1 \2 \3/')
  total_built=$((total_built + built))
  total_measured=$((total_measured + measured))
  if [ "$differ" -ne 0 ]; then
    fail "shaping/$name" "$differ paragraphs differ from Pango's:" \
      "$(grep 'shaping check: .* differ' "$TMP/err" | grep -v 'paragraphs built' | head -n 5)"
  elif [ "$built" -eq 0 ] && [ "$measured" -eq 0 ]; then
    skip "shaping/$name" "no running text (labels only)"
  else
    pass "shaping/$name ($built built, $measured measured)"
  fi
}

for dir in "$TOP"/tests/cases/*/; do
  dir=${dir%/}
  [ -f "$dir/cmd" ] || continue
  args=()
  eval "args=($(cat "$dir/cmd"))"
  check_run "case-${dir##*/}" "$dir" "${args[@]}" --format trace -o /dev/null
done
for f in "$TOP"/samples/phuong-*.yaml; do
  b=${f##*/}
  check_run "minutes-${b%.yaml}" "$TOP/samples" minutes "$b" --format trace -o /dev/null
  check_run "certificates-${b%.yaml}" "$TOP/samples" certificates "$b" --format trace -o /dev/null
done
check_run bulletin "$TOP/samples/ban-tin" bulletin phuong-11-2024-11.yaml --month 2024-11 \
  --format trace -o /dev/null
# libharu shows glyphs through code points: shaped without ligatures
check_run haru-minutes "$TOP/samples" minutes phuong-ha-khanh.yaml --backend haru \
  -o "$TMP/haru.pdf"
for kind in state party; do
  python3 "$TOP/scripts/make-minutes.py" 40 "$kind" 7 >"$TMP/long-$kind.yaml"
  check_run "long-minutes-$kind" "$TMP" minutes "long-$kind.yaml" --format trace -o /dev/null
done
if [ "$total_built" -lt 1000 ] || [ "$total_measured" -lt 1000 ]; then
  fail shaping/total "too few paragraphs compared: $total_built built, $total_measured measured"
else
  pass "shaping/total ($total_built built, $total_measured measured, none differs)"
fi
finish
