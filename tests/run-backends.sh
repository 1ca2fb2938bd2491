#!/usr/bin/env bash
# tests/run-backends.sh - the cairo and haru backends draw the same pages (issue 10).
# Every combined render of scripts/samples.sh (each event file's certificates and
# minutes, the CSV batches, each bulletin folder) is made by both backends, rasterised
# (pdftoppm -r 72 -gray) and compared page by page.
# A pixel counts as different when it differs by more than half the grey range from
# every pixel within 1 px (1 pt) of it in the other rendering, both ways. The two
# writers place glyphs up to about 0.3 pt apart (cairo 1.16 rounds advances in its TJ
# arrays; haru writes Pango's positions), which that tolerance absorbs: every sample
# page measured 0 such pixels. A line moved by 2 pt or a missing word leaves dozens
# (a 4-letter word moved 2 pt: 34), so the threshold is 10 per page; the test that
# moves one line of a haru page checks the comparison does fail it. Also: both
# backends give byte-identical output on a second run, and a haru bulletin keeps its
# contents links and outline (pikepdf).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban haru
cd "$TOP" || exit 1
. scripts/samples.sh
command -v convert >/dev/null || { skip backends "no ImageMagick convert"; finish; exit; }

LIMIT=10

# count A B: the pixels of A or B with nothing like them within 1 px in the other.
count() {
  local a=$1 b=$2 t=0 n x y m op
  for x in "$a $b" "$b $a"; do
    set -- $x
    for m in "Erode Minus_Src" "Dilate Minus_Dst"; do
      set -- "$1" "$2" $m
      n=$(convert "$2" -morphology "$3" Square:1 "$1" -compose "$4" -composite \
        -threshold 50% -format '%[fx:round(mean*w*h)]' info:)
      t=$((t + n))
    done
  done
  echo "$t"
}

# compare NAME CAIRO.pdf HARU.pdf: pages rasterised and counted.
compare_pdfs() {
  local name=$1 c=$2 h=$3 d=$TMP/r-${1//\//-} worst=0 worstp= n f
  mkdir -p "$d"
  pdftoppm -r 72 -gray "$c" "$d/c"
  pdftoppm -r 72 -gray "$h" "$d/h"
  local nc nh
  nc=$(ls "$d"/c-*.pgm 2>/dev/null | wc -l)
  nh=$(ls "$d"/h-*.pgm 2>/dev/null | wc -l)
  if [ "$nc" -eq 0 ] || [ "$nc" -ne "$nh" ]; then
    fail "$name" "pages: cairo $nc, haru $nh"
    return
  fi
  for f in "$d"/c-*.pgm; do
    n=$(count "$f" "$d/h-${f##*/c-}")
    if [ "$n" -gt "$worst" ]; then worst=$n; worstp=${f##*/c-}; fi
  done
  if [ "$worst" -gt "$LIMIT" ]; then
    fail "$name" "page ${worstp%.pgm}: $worst pixels differ (limit $LIMIT)"
  else
    pass "$name"
    echo "    worst page: $worst pixels differ (limit $LIMIT)"
  fi
  rm -rf "$d"
}

# render KIND NAME ARGS...: both backends, twice each (byte-identical)
render() {
  local kind=$1 name=$2 be
  shift 2
  for be in cairo haru; do
    if ! "$VANBAN" "$kind" -q --backend "$be" "$@" -o "$TMP/$name-$be.pdf" 2>"$TMP/err" ||
      ! "$VANBAN" "$kind" -q --backend "$be" "$@" -o "$TMP/$name-$be-2.pdf" 2>>"$TMP/err"; then
      fail "backends/$name" "vanban $kind --backend $be failed" "$(first_lines "$TMP/err" 3)"
      return 1
    fi
    if cmp -s "$TMP/$name-$be.pdf" "$TMP/$name-$be-2.pdf"; then
      pass "backends/same-bytes-$be-$name"
    else
      fail "backends/same-bytes-$be-$name" "two runs of the same input differ"
    fi
  done
  compare_pdfs "backends/raster-$name" "$TMP/$name-cairo.pdf" "$TMP/$name-haru.pdf"
}

# every combined render of scripts/samples.sh: each event file's certificates and
# minutes, the CSV batches (--org), each bulletin folder
nplan=0
while IFS=$'\t' read -r label kind _ rest; do
  [ "$kind" = file ] || continue
  read -r -a args <<<"$rest"
  case ${args[0]} in
    certificates) pre=cert ;;
    *) pre=${args[0]} ;;
  esac
  nplan=$((nplan + 1))
  render "${args[0]}" "$pre-$label" "${args[@]:1}" || true
done < <(samples_plan "$TMP/plan")
[ "$nplan" -gt 0 ] || fail backends/samples "no samples"

# a haru page with one line moved by 2 pt must fail the comparison
name=backends/moved-line-fails
h=$TMP/cert-phuong-mai-dich-haru.pdf
if [ -f "$h" ] && qpdf --qdf --object-streams=disable "$h" "$TMP/q.pdf" 2>/dev/null; then
  # the third text position of the file, moved 2 pt down
  awk 'BEGIN { n = 0 } / Tm$/ && ++n == 3 { $6 = $6 + 2 } { print }' "$TMP/q.pdf" >"$TMP/m.pdf"
  fix-qdf "$TMP/m.pdf" >"$TMP/m2.pdf" 2>/dev/null
  pdftoppm -r 72 -gray -f 1 -l 1 "$TMP/m2.pdf" "$TMP/mv"
  pdftoppm -r 72 -gray -f 1 -l 1 "$h" "$TMP/hv"
  pdftoppm -r 72 -gray -f 1 -l 1 "$TMP/cert-phuong-mai-dich-cairo.pdf" "$TMP/cv"
  n0=$(count "$TMP"/hv-*.pgm "$TMP"/cv-*.pgm)
  n=$(count "$TMP"/mv-*.pgm "$TMP"/cv-*.pgm)
  if cmp -s "$TMP/q.pdf" "$TMP/m.pdf"; then
    fail "$name" "no text position found to move"
  elif [ "$n" -le "$LIMIT" ]; then
    fail "$name" "a moved line gave $n pixels (limit $LIMIT, unmoved $n0)"
  else
    pass "$name"
    echo "    moved line: $n pixels differ, unmoved $n0 (limit $LIMIT)"
  fi
else
  fail "$name" "no haru certificate to edit"
fi

# the haru bulletin: contents links point at the articles' pages, as the outline does
name=backends/haru-bulletin-links
if [ -f "$TMP/bulletin-ban-tin-haru.pdf" ] && /usr/bin/python3 -c 'import pikepdf' 2>/dev/null; then
  res=$(/usr/bin/python3 - "$TMP/bulletin-ban-tin-haru.pdf" "$TMP/bulletin-ban-tin-cairo.pdf" <<'PY'
import sys, pikepdf
def dests(f):
    p = pikepdf.open(f)
    pages = {pg.objgen: i + 1 for i, pg in enumerate(p.pages)}
    links = []
    for i, pg in enumerate(p.pages):
        for a in pg.get('/Annots', []):
            d = a.get('/Dest')
            if d is None and '/A' in a:
                d = a.A.get('/D')
            if isinstance(d, pikepdf.Array):
                links.append(pages.get(d[0].objgen))
            elif d is not None:  # a named destination (cairo)
                nd = p.Root.Names.Dests.Names
                for k in range(0, len(nd), 2):
                    if str(nd[k]) == str(d):
                        t = nd[k + 1]
                        t = t.D if isinstance(t, pikepdf.Dictionary) else t
                        links.append(pages.get(t[0].objgen))
    with p.open_outline() as o:
        out = [(x.title, pages.get(x.destination[0].objgen)) for x in o.root]
    return links, out
hl, ho = dests(sys.argv[1])
cl, co = dests(sys.argv[2])
if not hl or not ho:
    print("no links or no outline in the haru bulletin")
elif sorted(hl) != sorted(p for _, p in ho):
    print("links %s do not match outline pages %s" % (hl, [p for _, p in ho]))
elif ho != co:
    print("outline differs from cairo's: %s vs %s" % (ho[:2], co[:2]))
PY
  )
  if [ -n "$res" ]; then fail "$name" "$res"; else pass "$name"; fi
else
  skip "$name" "no haru bulletin or no pikepdf for /usr/bin/python3"
fi

finish
