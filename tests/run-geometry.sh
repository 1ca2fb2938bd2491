#!/usr/bin/env bash
# tests/run-geometry.sh - the geometry of certificates (issue 7, items 1-5), measured
# on the trace of real CLI runs by tests/geometry-check.py: over every certificate
# sample (scripts/samples.sh) and the stress records tests/geometry/*.yaml (longest
# names, details and achievements the fitting allows, with and without the Quốc huy,
# state and party), each with its full layout (the samples also with giay-khen-phoi),
# on A4 and on --paper A3:
#   - the blank between the signer's title and name is 35-40 mm (also on A3: the seal
#     is a real object and does not grow with the paper);
#   - header, title and signature block at the same place (±0.1 mm) on every page;
#   - nothing crosses the layout's frame or comes within 2 mm of the border; no two
#     lines overlap;
#   - no line starts with a dash or closing punctuation; no break inside a document
#     number, a date, a time, a number and its unit; achievement and details lines
#     within the layout's measure; balanced lines (the shortest of a paragraph at
#     least half its longest);
#   - the achievement keeps its style's size across a batch unless it fills all its
#     lines (wrap first, shrink only then).
# A run that fails (a record that does not fit) is a failure too.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban geometry
cd "$TOP" || exit 1
export VANBAN_DATA=$TOP
# shellcheck source=scripts/samples.sh
. scripts/samples.sh

# the python that has PyYAML (Debian's; a pyenv python3 first in PATH may lack it)
PY_YAML=python3
for py in /usr/bin/python3 python3; do
  if "$py" -c 'import yaml' 2>/dev/null; then PY_YAML=$py; break; fi
done
if ! have python3; then
  skip geometry "no python3"
  finish
fi

# layout_for FILE...: giay-khen-dang for a Party organization, else giay-khen.
layout_for() {
  local f
  for f in "$@"; do
    case $f in *.yaml | *.yml) ;; *) continue ;; esac
    if grep -qE '^[[:space:]]*kind:[[:space:]]*party' "$f"; then
      echo giay-khen-dang
      return
    fi
  done
  echo giay-khen
}

# measure_of LAYOUT: the measure (mm) of the layout's body style, 0 when it has none.
measure_of() {
  local m
  m=$(sed -nE 's/^  body: \{.*measure: ([0-9.]+)mm.*/\1/p' "layouts/$1.yaml")
  echo "${m:-0}"
}

# check NAME LAYOUT PAPER ARGS...: render ARGS with LAYOUT on PAPER, check the trace.
check() {
  local name=$1 layout=$2 paper=$3
  shift 3
  local trace=$TMP/$name.trace err=$TMP/$name.err scale=1 extra=()
  rm -f "$trace"
  if [ "$paper" = A3 ]; then
    scale=1.41414 # 420/297
    extra=(--paper A3)
  fi
  if ! "$VANBAN" certificates "$@" -l "$layout" "${extra[@]}" --format trace -o "$trace" \
    2>"$err"; then
    fail "geometry/$name" "vanban certificates $* -l $layout ${extra[*]} failed:" \
      "$(first_lines "$err")"
    return
  fi
  local border=()
  [ "$layout" = giay-khen-phoi ] && border=(--no-border)
  # the record's proper names: no line break inside one (PyYAML: Debian python3-yaml)
  local names=$TMP/$name.names
  if ! "$PY_YAML" tests/record-names.py "$@" >"$names" 2>"$err"; then
    fail "geometry/$name" "tests/record-names.py $* failed:" "$(first_lines "$err")"
    return
  fi
  local out
  if out=$(python3 tests/geometry-check.py "$trace" --fonts fonts --names "$names" \
    --layout "layouts/$layout.yaml" --scale "$scale" "${border[@]}" --label "$name" \
    --measure "$(measure_of "$layout")" 2>&1); then
    pass "geometry/$name ($(printf '%s\n' "$out" | tail -n 1 | sed 's/^[^:]*: //'))"
  else
    fail "geometry/$name" "$out"
  fi
}

inputs=()
while IFS=$'\t' read -r label kind _output cmd args; do
  [ "$cmd" = certificates ] && [ "$kind" = file ] || continue
  inputs+=("$label"$'\t'"$args")
done < <(samples_plan "$TMP/samples")
for f in tests/geometry/*.yaml; do
  x=${f##*/}
  inputs+=("stress-${x%.yaml}"$'\t'"$f")
done

for entry in "${inputs[@]}"; do
  label=${entry%%$'\t'*}
  # shellcheck disable=SC2206 # the arguments are words without spaces
  args=(${entry#*$'\t'})
  full=$(layout_for "${args[@]}")
  for paper in A4 A3; do
    check "$label-$full-$paper" "$full" "$paper" "${args[@]}"
    # the blank's name box holds one line: the stress records are for the full layouts
    case $label in stress-*) ;; *) check "$label-phoi-$paper" giay-khen-phoi "$paper" "${args[@]}" ;; esac
  done
done

# the checker itself must catch what it is for: a layout with a 20 mm gap, and one
# whose header follows the record (frame flow, centred), fail it
bad=$TMP/bad-gap.yaml
sed 's/gap: 37mm/gap: 20mm/' layouts/giay-khen.yaml >"$bad"
"$VANBAN" certificates samples/phuong-mai-dich.yaml -l "$bad" --format trace \
  -o "$TMP/bad-gap.trace" 2>/dev/null
if python3 tests/geometry-check.py "$TMP/bad-gap.trace" --fonts fonts --layout "$bad" \
  >"$TMP/bad-gap.out" 2>&1; then
  fail geometry/self-check-gap "a 20 mm gap passed the check"
elif grep -q 'blank between .* is 20.0 mm' "$TMP/bad-gap.out"; then
  pass geometry/self-check-gap
else
  fail geometry/self-check-gap "$(first_lines "$TMP/bad-gap.out")"
fi
# a title moved by 0.5 mm on one page of a good batch (the trace edited) fails it
"$VANBAN" certificates samples/phuong-mai-dich.yaml --format trace -o "$TMP/move.trace" 2>/dev/null
awk '/^page 2 / { p = 1 } p && /text="GIẤY KHEN"/ && !done {
  match($0, /origin=[0-9.]+,[0-9.]+/); split(substr($0, RSTART + 7, RLENGTH - 7), o, ",")
  $0 = substr($0, 1, RSTART - 1) sprintf("origin=%s,%.2f", o[1], o[2] + 1.42) substr($0, RSTART + RLENGTH)
  done = 1 } { print }' "$TMP/move.trace" >"$TMP/bad-move.trace"
if python3 tests/geometry-check.py "$TMP/bad-move.trace" --fonts fonts \
  --layout layouts/giay-khen.yaml >"$TMP/bad-move.out" 2>&1; then
  fail geometry/self-check-move "a title moved by 0.5 mm passed the check"
elif grep -q "page 2: fixed line 'GIẤY KHEN'" "$TMP/bad-move.out"; then
  pass geometry/self-check-move
else
  fail geometry/self-check-move "$(first_lines "$TMP/bad-move.out")"
fi
# written_trace NAME LINES: a one-page trace of LINES (glyph runs) and the signature
# block every page needs, for the checker's self-checks
written_trace() {
  {
    echo 'page 1 841.89x595.28'
    printf '%s\n' "$2"
    echo 'glyphs role=signer.position at=x font=LiberationSerif-Bold.ttf#0 size=15.00 color=#000000 origin=560.00,420.00 text="CHỦ TỊCH" glyphs=3@0.00'
    echo 'glyphs role=signer.name at=x font=LiberationSerif-Bold.ttf#0 size=16.00 color=#000000 origin=560.00,530.00 text="Phạm Văn Lợi" glyphs=3@0.00'
    echo 'end page 1'
  } >"$TMP/$1.trace"
}

# self_check NAME 'CHECKER ARGS' PATTERN...: the checker run on $TMP/NAME.trace must
# print a line matching every PATTERN (grep -e)
self_check() {
  local name=$1 opts=$2
  shift 2
  # shellcheck disable=SC2086 # the arguments are words without spaces
  python3 tests/geometry-check.py "$TMP/$name.trace" --fonts fonts --no-border $opts \
    --layout layouts/giay-khen-phoi.yaml >"$TMP/$name.out" 2>&1 || true
  local pat
  for pat in "$@"; do
    if ! grep -q -e "$pat" "$TMP/$name.out"; then
      fail "geometry/self-check-$name" "no line matching '$pat':" "$(first_lines "$TMP/$name.out")"
      return
    fi
  done
  pass "geometry/self-check-$name"
}

# a date and a document number split over two lines, and a line starting with a dash
# (a trace written for the check) fail it
written_trace breaks 'glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=200.00,300.00 text="Đã hoàn thành Kế hoạch số 04-" glyphs=3@0.00
glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=200.00,320.00 text="KH/ĐU ngày 05 tháng" glyphs=3@0.00
glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=200.00,340.00 text="11 năm 2024" glyphs=3@0.00
glyphs role=recipient.details at=x font=LiberationSerif-Regular.ttf#0 size=16.00 color=#000000 origin=200.00,360.00 text="- sạch - sáng - an toàn”" glyphs=3@0.00'
self_check breaks "" "line break inside '[^']*04-KH/ĐU'" \
  "line break inside 'ngày 05 tháng 11 năm 2024'" "a line starts with '-'"

# a full line followed by a short one (greedy breaking of centred text) fails it
written_trace balance 'glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=120.00,300.00 text="Đã có thành tích xuất sắc trong phong trào thi đua yêu nước của phường" glyphs=3@0.00,3@560.00
glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=380.00,320.00 text="năm 2024" glyphs=3@0.00,3@60.00'
self_check balance "" "unbalanced lines (recipient.reason): 'năm 2024'"

# a break inside a name the record gives (the place, "Khu tập thể" of the unit) fails it
written_trace names 'glyphs role=recipient.details at=x font=LiberationSerif-Regular.ttf#0 size=16.00 color=#000000 origin=200.00,280.00 text="Tổ trưởng tổ dân phố Khu tập" glyphs=3@0.00
glyphs role=recipient.details at=x font=LiberationSerif-Regular.ttf#0 size=16.00 color=#000000 origin=200.00,300.00 text="thể Nghĩa Tân" glyphs=3@0.00
glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=200.00,320.00 text="Đã có thành tích trong phong trào của phường Mai" glyphs=3@0.00
glyphs role=recipient.reason at=x font=LiberationSerif-Italic.ttf#0 size=17.00 color=#000000 origin=200.00,340.00 text="Dịch năm 2024" glyphs=3@0.00'
printf '%s\n' 'Mai Dịch' 'Khu tập thể Nghĩa Tân' >"$TMP/names.names"
self_check names "--names $TMP/names.names" \
  "line break inside the name 'Mai Dịch' (recipient.reason)" \
  "line break inside the name 'Khu tập thể Nghĩa Tân' (recipient.details)"
finish
