#!/usr/bin/env bash
# tests/run-minutes.sh - typography of minutes through the CLI, checked on the trace by
# tests/minutes-check.py (page numbers, first-line indent, paragraph spacing, widows,
# orphans, headings kept with what follows, the signature block whole with the closing
# line, signature names aligned, no hyphenation, justified lines from pdftotext -bbox):
#   - every minutes sample (both forms, by organization.kind);
#   - long records made by scripts/make-minutes.py (both forms, three seeds, about 21
#     pages each), so page ends fall in every kind of place;
#   - the checker itself fails where it must: a layout with its keeps turned off ends
#     pages with headings, and a hand-made trace with an orphan and a widow;
#   - line breaking: tests/minutes/line-breaks.yaml with the body measure narrowed to
#     60 mm, so every unit of tests/minutes/units.txt (document numbers, dates, times,
#     numbers with units, TM./KT./T/M/K/T) meets a line end and must stay whole;
#     the long names of the signature block stay on one line each.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban minutes
if ! have python3; then
  skip minutes "no python3"
  finish
fi
check=$TOP/tests/minutes-check.py

# render NAME RECORD [ARGS...]: trace and PDF (+ bbox) of a minutes document in $TMP.
render() {
  local name=$1 rec=$2
  shift 2
  "$VANBAN" minutes "$rec" "$@" --format trace -o "$TMP/$name.trace" -q 2>"$TMP/$name.err" &&
    "$VANBAN" minutes "$rec" "$@" -o "$TMP/$name.pdf" -q 2>>"$TMP/$name.err" &&
    { ! have pdftotext || pdftotext -bbox "$TMP/$name.pdf" "$TMP/$name.html"; }
}

# typo NAME: runs the checker on NAME's trace (with its bbox when there is one).
typo() {
  local name=$1 out=$TMP/$1.check bbox=()
  [ -f "$TMP/$name.html" ] && bbox=(--bbox "$TMP/$name.html")
  if python3 "$check" "$TMP/$name.trace" "${bbox[@]}" >"$out" 2>&1; then
    pass "minutes/typography/$name ($(grep -c '^ok' "$out") checks)"
  else
    fail "minutes/typography/$name" "$(grep -v '^ok' "$out" | head -n 12)"
  fi
}

for f in "$TOP"/samples/*.yaml; do
  case ${f##*/} in org-*) continue ;; esac
  grep -qE '^[[:space:]]+proceedings:' "$f" || continue
  n=${f##*/}
  n=${n%.yaml}
  if render "$n" "$f"; then typo "$n"; else fail "minutes/render/$n" "$(first_lines "$TMP/$n.err")"; fi
done

for kind in party state; do
  for seed in 1 2 3; do
    n=long-$kind-$seed
    python3 "$TOP/scripts/make-minutes.py" 40 "$kind" "$seed" >"$TMP/$n.yaml"
    if render "$n" "$TMP/$n.yaml"; then typo "$n"; else fail "minutes/render/$n" "$(first_lines "$TMP/$n.err")"; fi
  done
done

# ---- the checker fails where it must
sed 's/item: {inherit: body, keep: true}/item: {inherit: body, keep: false}/; s/^    keep: true$/    keep: false/' \
  "$TOP/layouts/bien-ban-dang.yaml" >"$TMP/nokeep.yaml"
python3 "$TOP/scripts/make-minutes.py" 40 party 1 >"$TMP/nokeep-rec.yaml"
"$VANBAN" minutes "$TMP/nokeep-rec.yaml" -l "$TMP/nokeep.yaml" --format trace -o "$TMP/nokeep.trace" -q
if python3 "$check" "$TMP/nokeep.trace" >"$TMP/nokeep.check" 2>&1; then
  fail "minutes/checker/keeps-off" "no failure on a layout without keeps"
elif grep -q '^FAIL headings: page [0-9]* ends with the heading' "$TMP/nokeep.check"; then
  pass "minutes/checker/keeps-off"
else
  fail "minutes/checker/keeps-off" "$(head -n 8 "$TMP/nokeep.check")"
fi

# A page 1 whose last line opens a paragraph (orphan), and a page 2 that takes only the
# last line of a paragraph begun on page 1 (widow): margins 20/20/30/15 mm, indent 1 cm.
g() { # g X Y TEXT
  printf 'glyphs role=body at=r.yaml:1:1 font=LiberationSerif-Regular.ttf#0 size=14.00 color=#000000 origin=%s,%s text="%s" clusters=0 glyphs=3@0.00\n' "$1" "$2" "$3"
}
{
  echo 'page 1 595.28x841.89'
  g 113.39 700.00 'Đoạn một, dòng đầu'
  g 85.04 715.51 'Đoạn một, dòng hai'
  g 85.04 731.02 'Đoạn một, dòng cuối.'
  g 113.39 752.52 'Đoạn hai, dòng đầu'
  echo 'end page 1'
  echo 'page 2 595.28x841.89'
  g 85.04 75.17 'Đoạn hai, dòng hai'
  g 85.04 90.68 'Đoạn hai, dòng cuối.'
  g 113.39 112.18 'Đoạn ba, dòng đầu'
  g 85.04 127.69 'Đoạn ba, dòng hai'
  echo 'end page 2'
  echo 'page 3 595.28x841.89'
  g 85.04 75.17 'Đoạn ba, dòng cuối.'
  echo 'end page 3'
} >"$TMP/bad.trace"
python3 "$check" "$TMP/bad.trace" >"$TMP/bad.check" 2>&1 || true
for want in 'FAIL orphans: page 1: "Đoạn hai, dòng đầu" alone at the foot' \
  'FAIL widows: page 3: "Đoạn ba, dòng cuối." alone at the top' \
  'FAIL page-numbers: page 2: numbers []'; do
  if grep -qF -- "$want" "$TMP/bad.check"; then pass "minutes/checker/${want%%:*}"; else
    fail "minutes/checker/${want%%:*}" "expected: $want" "$(head -n 10 "$TMP/bad.check")"
  fi
done

# ---- line breaking in minutes text, through the CLI with a narrow measure
sed 's/^  body: {font: serif, size: 14, align: justify, indent: 1cm,/&  measure: 60mm,/' \
  "$TOP/layouts/bien-ban.yaml" >"$TMP/narrow.yaml"
grep -q 'measure: 60mm' "$TMP/narrow.yaml" || fail "minutes/line-breaks" "could not narrow the layout"
"$VANBAN" minutes "$TOP/tests/minutes/line-breaks.yaml" -l "$TMP/narrow.yaml" --format trace \
  -o "$TMP/lb.trace" -q
if python3 "$check" "$TMP/lb.trace" --units "$TOP/tests/minutes/units.txt" --only units \
  >"$TMP/lb.check" 2>&1; then
  pass "minutes/line-breaks ($(grep -vc '^#' "$TOP/tests/minutes/units.txt") units)"
else
  fail "minutes/line-breaks" "$(head -n 12 "$TMP/lb.check")"
fi
for name in 'Công Tằng Tôn Nữ Thị Kiều Oanh' 'Nguyễn Phạm Hoàng Thiên Ân'; do
  nb=$'\u00a0' # the layout writes names with no-break spaces (filter nbsp)
  if grep -qF "text=\"${name// /$nb}\"" <(grep '^glyphs role=signature.name ' "$TMP/lb.trace"); then
    pass "minutes/line-breaks/signature-name ($name)"
  else
    fail "minutes/line-breaks/signature-name" "'$name' is not whole on one signature line"
  fi
done
finish
