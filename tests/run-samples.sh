#!/usr/bin/env bash
# tests/run-samples.sh - render every sample (the renders of scripts/samples.sh, as
# `make demo` does) into a temporary folder and check each PDF written:
#   render  vanban exits 0 and writes at least one PDF
#   qpdf    `qpdf --check` passes
#   fonts   `pdffonts` shows every font embedded (emb = yes)
#   text    `pdftotext` output is valid UTF-8 in NFC
# A check whose tool is missing prints SKIP.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban samples
cd "$TOP" || exit 1
. scripts/samples.sh

plan=$(samples_plan "$TMP/out")
if [ -z "$plan" ]; then
  skip samples "no samples with awards yet"
  finish
fi

# fonts_not_embedded PDF: names of fonts whose emb column is not "yes". pdffonts has
# fixed-width columns under a row of dashes; the fourth column is emb.
fonts_not_embedded() {
  pdffonts "$1" | awk '
    NR == 2 { pos = 1
              for (i = 1; i <= 4; i++) { n = index(substr($0, pos), " ")
                                         if (n == 0) n = length($0) - pos + 2
                                         start[i] = pos; len[i] = n - 1; pos += n } }
    NR > 2  { emb = substr($0, start[4], len[4]); gsub(/ /, "", emb)
              if (emb != "yes") { name = substr($0, start[1], len[1]); sub(/ +$/, "", name)
                                  print name " (emb=" emb ")" } }'
}

is_nfc_utf8() {
  python3 -c 'import unicodedata, sys
t = sys.stdin.buffer.read().decode("utf-8")
sys.exit(0 if unicodedata.is_normalized("NFC", t) else 1)'
}

while IFS=$'\t' read -r -a f; do
  label=${f[0]} kind=${f[1]} output=${f[2]}
  args=("${f[@]:3}")
  name="samples/$label/$kind"
  samples_prepare "$kind" "$output"
  rc=0
  "$VANBAN" "${args[@]}" -o "$output" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
  mapfile -t pdfs < <(samples_outputs "$kind" "$output")
  if [ "$rc" -ne 0 ]; then
    fail "$name/render" "vanban ${args[*]} -o '$output': exit status $rc" \
      "$(first_lines "$TMP/stderr")"
    continue
  elif [ "${#pdfs[@]}" -eq 0 ]; then
    fail "$name/render" "exit status 0 but no PDF written"
    continue
  fi
  pass "$name/render"

  if have qpdf; then
    bad=()
    for p in "${pdfs[@]}"; do
      qpdf --check "$p" >"$TMP/qpdf.out" 2>&1 || bad+=("${p##*/}: $(tail -n 3 "$TMP/qpdf.out")")
    done
    if [ "${#bad[@]}" -eq 0 ]; then pass "$name/qpdf"; else fail "$name/qpdf" "${bad[@]}"; fi
  else
    skip "$name/qpdf" "no qpdf"
  fi

  if have pdffonts; then
    bad=()
    for p in "${pdfs[@]}"; do
      ne=$(fonts_not_embedded "$p")
      [ -z "$ne" ] || bad+=("${p##*/}: $ne")
    done
    if [ "${#bad[@]}" -eq 0 ]; then pass "$name/fonts"; else fail "$name/fonts" "${bad[@]}"; fi
  else
    skip "$name/fonts" "no pdffonts"
  fi

  if have pdftotext && have python3; then
    bad=()
    for p in "${pdfs[@]}"; do
      pdftotext "$p" - 2>/dev/null | is_nfc_utf8 2>/dev/null || bad+=("${p##*/}: not NFC UTF-8")
    done
    if [ "${#bad[@]}" -eq 0 ]; then pass "$name/text"; else fail "$name/text" "${bad[@]}"; fi
  else
    skip "$name/text" "no pdftotext or python3"
  fi
done <<<"$plan"
finish
