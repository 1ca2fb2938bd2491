#!/usr/bin/env bash
# tests/run-robust.sh - pathological inputs under a time limit (STYLE.md §8, level 6).
# Each must end with the right exit status and a message, not a hang or a crash:
#   long-word    a 10,000-character word with no break point in one recipient's
#                reason: that record fails (exit 1) with a message, the others print
#   deep-flow    1,000 nested flow sequences [[[...]]]: exit 2 with a message
#   deep-block   1,000 nested block mappings: exit 2 with a message
#   big-csv      a 100,000-row CSV with --org through `vanban check`: exit 0
#                (10,000 rows when VANBAN is a sanitizer build, build/asan/...)
#   svg-refs     an emblem SVG drawing a PNG beside it (href), one in a data: URI
#                (xlink:href), a gradient through a <style> sheet and 9,000 <use> of
#                one circle (18,000 elements drawn, within svg-elements): exit 0, both
#                PNGs in the PDF (pdfimages)
#   svg-use-chain 50,000 <use>, each of the one before (1,250,025,001 drawn):
#                the record fails (exit 1) with the svg-elements message, no crash
#                (the count walks the references without recursion)
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

import base64, os, struct, zlib
def png(w, h, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
os.makedirs(f"{tmp}/svg", exist_ok=True)
open(f"{tmp}/svg/do.png", "wb").write(png(8, 8, (200, 0, 0)))
blue = base64.b64encode(png(8, 6, (0, 0, 200))).decode()
ns = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
uses = "".join(f'<use href="#dot" x="{i % 100}" y="{i // 100}"/>' for i in range(9000))
open(f"{tmp}/svg/quoc-huy.svg", "w").write(
    f'<svg {ns} width="120" height="120">\n<style>.nen {{ fill: url(#g) }}</style>\n'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#fc0"/>'
    '<stop offset="1" stop-color="#c00"/></linearGradient>'
    '<circle id="dot" r="0.4" fill="#800"/></defs>\n'
    '<rect class="nen" width="120" height="120"/>\n'
    '<image href="do.png" x="10" y="10" width="40" height="40"/>\n'
    f'<image xlink:href="data:image/png;base64,{blue}" x="60" y="10" width="40" height="30"/>\n'
    f'<g transform="translate(10,60)">{uses}</g>\n</svg>\n')
chain = "".join(f'<use id="u{i}" href="#u{i - 1}"/>' for i in range(1, 50000))
open(f"{tmp}/svg/chuoi.svg", "w").write(
    f'<svg {ns} width="10" height="10"><circle id="u0" r="1"/>{chain}</svg>\n')
for name, svg in (("svg-refs", "quoc-huy.svg"), ("svg-use-chain", "chuoi.svg")):
    open(f"{tmp}/svg/{name}.yaml", "w", encoding="utf-8").write(src.replace(
        "  place: Nghĩa Đô\n", f"  place: Nghĩa Đô\n  emblem: {svg}\n", 1))
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
robust svg-refs 0 ' 0 records failed' \
  certificates "$TMP/svg/svg-refs.yaml" -o "$TMP/svg-refs.pdf"
if [ -f "$TMP/svg-refs.pdf" ] && have pdfimages; then
  sizes=$(pdfimages -list "$TMP/svg-refs.pdf" | awk 'NR > 2 {print $4 "x" $5}' | sort -u | tr '\n' ' ')
  if [ "$sizes" = "8x6 8x8 " ]; then pass robust/svg-refs-images
  else fail robust/svg-refs-images "images in the PDF: '$sizes', expected '8x6 8x8 '"; fi
fi
robust svg-use-chain 1 "chuoi\.svg': with what its <use> elements and references draw again, it draws 1250025001 SVG elements, more than 100000" \
  certificates "$TMP/svg/svg-use-chain.yaml" -o "$TMP/svg-use-chain.pdf"
finish
