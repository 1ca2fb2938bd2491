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
# Optional checks that UPDATE=1 never rewrites (they say what the goldens must show):
#   same-as              the name of another case that must give the same output:
#                        expect.txt identical, and expect.trace identical once the
#                        record positions (` at=FILE:LINE:COL` with FILE in the case
#                        folder) are masked; e.g. NFD input must render as NFC does
#   expect-contains      lines that must each occur in the pdftotext output (fixed
#                        strings), e.g. every recipient's name
#   expect-trace-grep    extended regular expressions that must each match some line
#                        of the trace (`#` lines are comments), e.g. "the name is on one
#                        line at a smaller size"
# Every expect.txt must also be NFC (checked with python3 when present).
# UPDATE=1 rewrites every golden that exists; to add one, create it empty and run with
# UPDATE=1 (`make check UPDATE=1` does the same). SOURCE_DATE_EPOCH=0 (tests/lib.sh)
# fixes the dates. vanban runs with VANBAN_DATA=../../.. (the tree's layouts and fonts,
# named by a relative path, so traces do not depend on where the tree is). Failing
# outputs are kept in build/test-output/cases/<name>/ for review.
# shellcheck source=tests/lib.sh
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
  (cd "$dir" && VANBAN_DATA=../../.. "$VANBAN" "$@") >"$out" 2>"$err"
}

# mask_records TRACE: the trace with the record positions (files in the case folder,
# so without a '/') replaced by @REC@; layout positions stay.
mask_records() {
  sed -E 's/ at=[^ /]+:[0-9]+:[0-9]+/ at=@REC@/' "$1"
}

is_nfc() {
  python3 -c 'import unicodedata, sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(0 if unicodedata.is_normalized("NFC", t) else 1)' "$1" 2>/dev/null
}

for dir in "$cases_dir"/*/; do
  dir=${dir%/}
  name=${dir##*/}
  if [ ! -f "$dir/cmd" ]; then
    skip "cases/$name" "no cmd file"
    continue
  fi
  args=()
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
      # trace lines can be very long (paths): show the start of each
      fail "cases/$name/trace" "$(diff -u "$dir/expect.trace" "$work/got.trace" | head -n 30 |
        cut -c1-240)"
    fi
  fi

  if [ -f "$dir/expect-trace-grep" ]; then
    checked=1
    if [ ! -f "$work/got.trace" ]; then
      run_case "$dir" "$work/got.trace" "$work/trace.err" "${args[@]}" --format trace -o - || true
    fi
    missing=()
    while IFS= read -r re || [ -n "$re" ]; do
      case $re in '' | '#'*) continue ;; esac
      grep -qE -- "$re" "$work/got.trace" || missing+=("no trace line matches: $re")
    done <"$dir/expect-trace-grep"
    if [ "${#missing[@]}" -eq 0 ]; then
      pass "cases/$name/trace-grep"
    else
      keep "$name" "$work/got.trace"
      fail "cases/$name/trace-grep" "${missing[@]}"
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
        if ! have python3; then
          skip "cases/$name/nfc" "no python3"
        elif is_nfc "$work/got.txt"; then
          pass "cases/$name/nfc"
        else
          keep "$name" "$work/got.txt"
          fail "cases/$name/nfc" "pdftotext output is not NFC UTF-8"
        fi
        if [ -f "$dir/expect-contains" ]; then
          missing=()
          while IFS= read -r want || [ -n "$want" ]; do
            [ -n "$want" ] || continue
            grep -qF -- "$want" "$work/got.txt" || missing+=("not in the PDF text: $want")
          done <"$dir/expect-contains"
          if [ "${#missing[@]}" -eq 0 ]; then
            pass "cases/$name/contains"
          else
            keep "$name" "$work/got.txt"
            fail "cases/$name/contains" "${missing[@]}"
          fi
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

  # 4. the same output as another case (goldens of both, so after UPDATE=1 too)
  if [ -f "$dir/same-as" ]; then
    checked=1
    other=$(tr -d ' \n' <"$dir/same-as")
    odir=$cases_dir/$other
    diffs=()
    for g in expect.txt expect.trace; do
      if [ ! -f "$dir/$g" ] || [ ! -f "$odir/$g" ]; then
        diffs+=("$g missing in $name or $other")
      elif [ "$g" = expect.txt ]; then
        cmp -s "$dir/$g" "$odir/$g" ||
          diffs+=("$g differs:" "$(diff -u "$odir/$g" "$dir/$g" | head -n 20)")
      elif ! cmp -s <(mask_records "$dir/$g") <(mask_records "$odir/$g"); then
        diffs+=("$g differs (record positions masked):"
          "$(diff -u <(mask_records "$odir/$g") <(mask_records "$dir/$g") | head -n 20 | cut -c1-240)")
      fi
    done
    if [ "${#diffs[@]}" -eq 0 ]; then
      pass "cases/$name/same-as-$other"
    else
      fail "cases/$name/same-as-$other" "${diffs[@]}"
    fi
  fi

  [ "$checked" -eq 1 ] || skip "cases/$name" "no expect.trace, expect.txt or expect-*.png"
done
finish
