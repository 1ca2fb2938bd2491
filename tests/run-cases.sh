#!/usr/bin/env bash
# tests/run-cases.sh - golden tests, one folder per case under tests/cases/<name>/:
#   cmd                  the arguments, e.g. `certificates records.yaml` (shell words;
#                        run from inside the case folder)
#   expect.trace         stdout of `vanban ARGS --format trace -o -`, compared exactly
#   expect.txt           `pdftotext -raw` of the PDF, compared exactly
#   expect-<backend>-p<N>.png
#                        page N of the PDF made with --backend <backend>, rasterised with
#                        `pdftoppm -r 50`; at most 0.5% of pixels may differ by more than
#                        10% (ImageMagick `compare -metric AE -fuzz 10%`)
# UPDATE=1 rewrites every golden that exists; to add one, create it empty and run with
# UPDATE=1. SOURCE_DATE_EPOCH=0 (tests/lib.sh) fixes the dates. Failing outputs are kept
# in build/test-output/cases/<name>/ for review.
. "$(dirname "$0")/lib.sh"
need_vanban cases

cases_dir=$TOP/tests/cases
kept=$TOP/build/test-output/cases
if [ ! -d "$cases_dir" ]; then
  skip cases "no tests/cases yet"
  finish
fi

max_diff_permille=5 # 0.5% of the pixels

# keep NAME FILE...: copy failing outputs where a reviewer can see them.
keep() {
  local name=$1
  shift
  mkdir -p "$kept/$name"
  cp -f "$@" "$kept/$name/" 2>/dev/null || true
}

# run_case DIR OUTFILE ERRFILE ARGS...: run vanban from inside DIR; returns its status.
run_case() {
  local dir=$1 out=$2 err=$3
  shift 3
  (cd "$dir" && "$VANBAN" "$@") >"$out" 2>"$err"
}

for dir in "$cases_dir"/*/; do
  dir=${dir%/}
  name=${dir##*/}
  if [ ! -f "$dir/cmd" ]; then
    skip "cases/$name" "no cmd file"
    continue
  fi
  eval "args=($(cat "$dir/cmd"))"
  work=$TMP/$name
  mkdir -p "$work"
  checked=0

  # 1. trace golden
  if [ -f "$dir/expect.trace" ]; then
    checked=1
    rc=0
    run_case "$dir" "$work/got.trace" "$work/trace.err" "${args[@]}" --format trace -o - || rc=$?
    if [ "$rc" -ne 0 ]; then
      fail "cases/$name/trace" "exit status $rc" "$(first_lines "$work/trace.err")"
    elif [ "$UPDATE" = 1 ]; then
      cp "$work/got.trace" "$dir/expect.trace"
      pass "cases/$name/trace (updated)"
    elif cmp -s "$work/got.trace" "$dir/expect.trace"; then
      pass "cases/$name/trace"
    else
      keep "$name" "$work/got.trace"
      fail "cases/$name/trace" "$(diff -u "$dir/expect.trace" "$work/got.trace" | head -n 30)"
    fi
  fi

  # 2. text round trip and 3. pictures need a PDF per backend.
  backends=()
  [ -f "$dir/expect.txt" ] && backends+=(cairo)
  for png in "$dir"/expect-*-p*.png; do
    [ -f "$png" ] || continue
    b=${png##*/expect-}
    b=${b%-p*.png}
    case " ${backends[*]-} " in *" $b "*) ;; *) backends+=("$b") ;; esac
  done

  for b in ${backends[@]+"${backends[@]}"}; do
    checked=1
    pdf=$work/$b.pdf
    rc=0
    run_case "$dir" /dev/null "$work/$b.err" "${args[@]}" --backend "$b" -o "$pdf" || rc=$?
    if [ "$rc" -ne 0 ] || [ ! -s "$pdf" ]; then
      fail "cases/$name/$b" "exit status $rc" "$(first_lines "$work/$b.err")"
      continue
    fi

    if [ "$b" = cairo ] && [ -f "$dir/expect.txt" ]; then
      if ! have pdftotext; then
        skip "cases/$name/txt" "no pdftotext"
      else
        pdftotext -raw "$pdf" "$work/got.txt"
        if [ "$UPDATE" = 1 ]; then
          cp "$work/got.txt" "$dir/expect.txt"
          pass "cases/$name/txt (updated)"
        elif cmp -s "$work/got.txt" "$dir/expect.txt"; then
          pass "cases/$name/txt"
        else
          keep "$name" "$work/got.txt" "$pdf"
          fail "cases/$name/txt" "$(diff -u "$dir/expect.txt" "$work/got.txt" | head -n 30)"
        fi
      fi
    fi

    for png in "$dir"/expect-"$b"-p*.png; do
      [ -f "$png" ] || continue
      page=${png##*-p}
      page=${page%.png}
      label="cases/$name/$b-p$page"
      if ! have pdftoppm || ! have compare || ! have identify; then
        skip "$label" "needs pdftoppm and ImageMagick"
        continue
      fi
      got=$work/got-$b-p$page.png
      if ! pdftoppm -r 50 -png -f "$page" -l "$page" -singlefile "$pdf" "${got%.png}" \
        2>"$work/ppm.err"; then
        fail "$label" "pdftoppm failed (no page $page?)" "$(first_lines "$work/ppm.err")"
        continue
      fi
      if [ "$UPDATE" = 1 ]; then
        cp "$got" "$png"
        pass "$label (updated)"
        continue
      fi
      size_got=$(identify -format '%w %h' "$got")
      size_want=$(identify -format '%w %h' "$png" 2>/dev/null || echo none)
      if [ "$size_got" != "$size_want" ]; then
        keep "$name" "$got"
        fail "$label" "size $size_got, expected $size_want"
        continue
      fi
      read -r w h <<<"$size_got"
      # AE goes to stderr, sometimes as "2e+06": make it an integer.
      ae=$(compare -metric AE -fuzz 10% "$png" "$got" "$work/diff-$b-p$page.png" 2>&1 >/dev/null |
        awk '$1 ~ /^[0-9.e+]+$/ {printf "%d\n", $1}') || true
      limit=$((w * h * max_diff_permille / 1000))
      if [[ "$ae" =~ ^[0-9]+$ ]] && [ "$ae" -le "$limit" ]; then
        pass "$label"
      else
        keep "$name" "$got" "$work/diff-$b-p$page.png"
        fail "$label" "$ae pixels differ (at most $limit allowed); see $kept/$name/"
      fi
    done
  done

  [ "$checked" -eq 1 ] || skip "cases/$name" "no expect.trace, expect.txt or expect-*.png"
done
finish
