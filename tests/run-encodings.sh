#!/usr/bin/env bash
# tests/run-encodings.sh - legacy Vietnamese text through the real CLI: one
# recipient list written in each encoding (iconv for Windows-1258, TCVN3 and UTF-16;
# the VNI and VIQR charts for those), read with --encoding auto and by name; the
# names must come back as NFC text in the PDF, auto must say what it chose, a
# .VnTimeH field comes out in capitals, and UTF-8 fields that look misdecoded draw
# a warning naming the field. (Letter-by-letter oracles: tests/unit/test-input.c.)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban encodings
if ! have iconv || ! have python3 || ! have pdftotext; then
  skip encodings "needs iconv, python3 and pdftotext"
  finish
fi

org=$TOP/tests/errors/bad-csv-org.yaml
csv_utf8=$TMP/list.csv
cat >"$csv_utf8" <<'CSV'
Họ và tên,Giới tính,Chức vụ,Đơn vị
Nguyễn Văn Đức,nam,Tổ trưởng tổ dân phố số 3,Khu phố 2
Trần Thị Hường,nữ,Chi hội trưởng Phụ nữ,Khu phố 5
Phạm Quỳnh Ánh,nữ,Bí thư Chi đoàn,Khu phố Ỷ Lan
CSV
names=("Nguyễn Văn Đức" "Trần Thị Hường" "Phạm Quỳnh Ánh" "Khu phố Ỷ Lan")

# chart ENC < utf-8 > bytes: VNI-Windows or VIQR from the published charts.
chart() {
  python3 -c '
import sys, unicodedata
enc = sys.argv[1]
vni_tone = {"": "", "\u0300": "\xf8", "\u0301": "\xf9", "\u0309": "\xfb", "\u0303": "\xf5", "\u0323": "\xef"}
vni_circ = {"": "\xe2", "\u0300": "\xe0", "\u0301": "\xe1", "\u0309": "\xe5", "\u0303": "\xe3", "\u0323": "\xe4"}
vni_breve = {"": "\xea", "\u0300": "\xe8", "\u0301": "\xe9", "\u0309": "\xfa", "\u0303": "\xfc", "\u0323": "\xeb"}
vni_i = {"\u0300": "\xec", "\u0301": "\xed", "\u0309": "\xe6", "\u0303": "\xf3", "\u0323": "\xf2"}
viqr_tone = {"": "", "\u0300": "`", "\u0301": "\x27", "\u0309": "?", "\u0303": "~", "\u0323": "."}
out = []
for ch in sys.stdin.read():
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    up = base.isupper()
    b = base.lower()
    mod = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
    tone = next((m for m in marks if m in vni_tone and m), "")
    if ch in "đĐ":
        s = ("\xf1" if enc == "vni" else "dd") if ch == "đ" else ("\xd1" if enc == "vni" else "DD")
    elif ord(ch) < 128 or not marks:
        s = ch
    elif enc == "viqr":
        s = base + {"": "", "\u0302": "^", "\u0306": "(", "\u031b": "+"}[mod] + viqr_tone[tone]
    elif mod == "\u031b":
        s = ("\xf4" if b == "o" else "\xf6") + vni_tone[tone]
        if up: s = chr(ord(s[0]) - 0x20) + (chr(ord(s[1]) - 0x20) if len(s) > 1 else "")
    elif b == "i" or (b == "y" and tone == "\u0323"):
        s = vni_i[tone] if b == "i" else "\xee"
        if up: s = chr(ord(s) - 0x20)
    else:
        m = (vni_circ[tone] if mod == "\u0302" else vni_breve[tone] if mod == "\u0306" else vni_tone[tone])
        if up: m = "".join(chr(ord(c) - 0x20) for c in m)
        s = base + m
    out.append(s)
sys.stdout.buffer.write("".join(out).encode("latin-1"))
' "$1"
}

# one ENCODING-LABEL FILE AUTO-WORD: render FILE with auto and by name.
one() {
  local label=$1 file=$2 word=$3 name=$4
  run_enc "$label/auto" "$file" auto "$word"
  if [ -n "$name" ]; then run_enc "$label/$name" "$file" "$name" ""; fi
}

run_enc() {
  local test=$1 file=$2 enc=$3 word=$4 rc=0 n
  "$VANBAN" certificates --org "$org" "$file" --encoding "$enc" -o "$TMP/out.pdf" \
    >/dev/null 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "encodings/$test" "exit $rc" "stderr: $(first_lines "$TMP/err" 4)"
    return
  fi
  pdftotext "$TMP/out.pdf" "$TMP/out.txt"
  for n in "${names[@]}"; do
    if ! grep -qF "$n" "$TMP/out.txt"; then
      fail "encodings/$test" "'$n' not in the PDF text"
      return
    fi
  done
  if [ -n "$word" ] && ! grep -qF "warning: not UTF-8; read as $word" "$TMP/err"; then
    fail "encodings/$test" "auto did not say it read $word" "stderr: $(first_lines "$TMP/err" 3)"
    return
  fi
  if [ -z "$word" ] && grep -q "warning" "$TMP/err"; then
    fail "encodings/$test" "a warning for an encoding given by name" "$(first_lines "$TMP/err" 2)"
    return
  fi
  pass "encodings/$test"
}

iconv -f UTF-8 -t CP1258 "$csv_utf8" >"$TMP/cp1258.csv"
one cp1258 "$TMP/cp1258.csv" Windows-1258 cp1258
iconv -f UTF-8 -t TCVN5712-1 "$csv_utf8" >"$TMP/tcvn3.csv"
one tcvn3 "$TMP/tcvn3.csv" TCVN3 tcvn3
chart vni <"$csv_utf8" >"$TMP/vni.csv"
one vni "$TMP/vni.csv" VNI-Windows vni
chart viqr <"$csv_utf8" >"$TMP/viqr.csv"
one viqr "$TMP/viqr.csv" VIQR viqr
iconv -f UTF-8 -t UTF-16LE "$csv_utf8" >"$TMP/u16le.csv"
one utf16le-no-bom "$TMP/u16le.csv" UTF-16LE ""
iconv -f UTF-8 -t UTF-16BE "$csv_utf8" >"$TMP/u16be.csv"
one utf16be-no-bom "$TMP/u16be.csv" UTF-16BE ""
iconv -f UTF-8 -t UTF-16 "$csv_utf8" >"$TMP/u16bom.csv" # glibc writes a BOM
run_enc utf16-bom "$TMP/u16bom.csv" auto ""

# .VnTimeH: the name column typed in capitals' font; the rest stays as typed
rc=0
"$VANBAN" certificates --org "$org" "$TMP/tcvn3.csv" --encoding 'tcvn3-caps=Họ và tên' \
  --format trace -o "$TMP/caps.trace" 2>"$TMP/err" || rc=$?
if [ "$rc" -eq 0 ] && grep -qF 'text="Ông NGUYỄN VĂN ĐỨC"' "$TMP/caps.trace" &&
  grep -qF 'Tổ trưởng tổ dân phố số 3' "$TMP/caps.trace"; then
  pass encodings/tcvn3-caps-field
else
  fail encodings/tcvn3-caps-field "exit $rc" "stderr: $(first_lines "$TMP/err" 3)"
fi
rc=0
"$VANBAN" certificates --org "$org" "$TMP/tcvn3.csv" --encoding tcvn3-caps \
  --format trace -o "$TMP/caps.trace" 2>"$TMP/err" || rc=$?
if [ "$rc" -eq 0 ] && grep -qF 'TỔ TRƯỞNG TỔ DÂN PHỐ SỐ 3' "$TMP/caps.trace" &&
  grep -qF 'text="Bà TRẦN THỊ HƯỜNG"' "$TMP/caps.trace"; then
  pass encodings/tcvn3-caps
else
  fail encodings/tcvn3-caps "exit $rc" "stderr: $(first_lines "$TMP/err" 3)"
fi

# UTF-8 fields that look misdecoded: a warning naming the field and the encoding
printf '%s\n' 'Họ và tên,Đơn vị,Chức vụ' 'Nguyễn Văn A,PhÆ°á»ng Mai Dá»‹ch,Uû ban nh©n d©n' \
  'Lê Văn C,Khu phố 4,Tổ trưởng' >"$TMP/mis.csv"
rc=0
"$VANBAN" check --org "$org" "$TMP/mis.csv" >/dev/null 2>"$TMP/err" || rc=$?
if [ "$rc" -eq 0 ] &&
  grep -qF "warning: field 'unit' looks like UTF-8 read as Windows-1252 and saved again ('PhÆ°á»ng Mai Dá»‹ch' should be 'Phường Mai Dịch')" "$TMP/err" &&
  grep -qF "warning: field 'position' looks like TCVN3 text shown as Windows-1252 ('Uû ban nh©n d©n' should be 'Uỷ ban nhân dân'): read the original TCVN3 file with --encoding tcvn3" "$TMP/err" &&
  [ "$(grep -c warning "$TMP/err")" -eq 2 ]; then
  pass encodings/misdecoded-warnings
else
  fail encodings/misdecoded-warnings "exit $rc" "stderr: $(first_lines "$TMP/err" 6)"
fi

# ---- minutes and bulletins in legacy encodings (auto), against the UTF-8 records.
# TCVN3 lacks some characters of the samples (quotation marks, dashes): those are
# left out (iconv -c) and the reference is the TCVN3 file decoded back by iconv.
# doc_text OUT ARGS...: the PDF text of `vanban ARGS -o doc.pdf`; 1 on a failure.
doc_text() {
  local out=$1
  shift
  rm -f "$TMP/doc.pdf"
  "$VANBAN" "$@" -o "$TMP/doc.pdf" >/dev/null 2>"$TMP/err" || return 1
  pdftotext "$TMP/doc.pdf" "$out"
}
# doc_enc TEST WORD REF FILE CMD...: `vanban CMD FILE` gives the text of `CMD REF`, and
# auto said it read WORD (if not empty).
doc_enc() {
  local test=$1 word=$2 ref=$3 file=$4
  shift 4
  if ! doc_text "$TMP/ref.txt" "$@" "$ref"; then
    fail "encodings/$test" "the UTF-8 reference failed" "stderr: $(first_lines "$TMP/err" 3)"
  elif ! doc_text "$TMP/got.txt" "$@" "$file"; then
    fail "encodings/$test" "it failed" "stderr: $(first_lines "$TMP/err" 3)"
  elif [ -n "$word" ] && ! grep -qF "warning: not UTF-8; read as $word" "$TMP/err"; then
    fail "encodings/$test" "auto did not say it read $word" "stderr: $(first_lines "$TMP/err" 3)"
  elif ! cmp -s "$TMP/ref.txt" "$TMP/got.txt"; then
    fail "encodings/$test" "the PDF text differs" "$(diff "$TMP/ref.txt" "$TMP/got.txt" | head -n 6)"
  else
    pass "encodings/$test"
  fi
}
mrec=$TOP/samples/phuong-mai-dich.yaml
iconv -f UTF-8 -t CP1258 "$mrec" >"$TMP/m-cp1258.yaml"
doc_enc minutes-cp1258 Windows-1258 "$mrec" "$TMP/m-cp1258.yaml" minutes
iconv -c -f UTF-8 -t TCVN5712-1 "$mrec" >"$TMP/m-tcvn3.yaml" 2>/dev/null
iconv -f TCVN5712-1 -t UTF-8 "$TMP/m-tcvn3.yaml" >"$TMP/m-tcvn3-ref.yaml"
doc_enc minutes-tcvn3 TCVN3 "$TMP/m-tcvn3-ref.yaml" "$TMP/m-tcvn3.yaml" minutes
iconv -f UTF-8 -t UTF-16 "$mrec" >"$TMP/m-u16bom.yaml"
doc_enc minutes-utf16-bom "" "$mrec" "$TMP/m-u16bom.yaml" minutes
iconv -f UTF-8 -t UTF-16LE "$mrec" >"$TMP/m-u16le.yaml"
doc_enc minutes-utf16le-no-bom UTF-16LE "$mrec" "$TMP/m-u16le.yaml" minutes
iconv -f UTF-8 -t UTF-16BE "$mrec" >"$TMP/m-u16be.yaml"
doc_enc minutes-utf16be-no-bom UTF-16BE "$mrec" "$TMP/m-u16be.yaml" minutes
# the bulletin: every record file of the sample folder in the encoding, photos beside
for enc in CP1258 UTF-16 UTF-16LE; do
  mkdir -p "$TMP/bt-$enc"
  cp -r "$TOP/samples/ban-tin/anh" "$TMP/bt-$enc/"
  for f in "$TOP"/samples/ban-tin/*.yaml; do
    iconv -f UTF-8 -t "$enc" "$f" >"$TMP/bt-$enc/${f##*/}"
  done
done
doc_enc bulletin-cp1258 Windows-1258 "$TOP/samples/ban-tin" "$TMP/bt-CP1258" bulletin --month 2024-11
doc_enc bulletin-utf16-bom "" "$TOP/samples/ban-tin" "$TMP/bt-UTF-16" bulletin --month 2024-11
doc_enc bulletin-utf16le-no-bom UTF-16LE "$TOP/samples/ban-tin" "$TMP/bt-UTF-16LE" bulletin --month 2024-11

# a bad --encoding is a usage error
rc=0
"$VANBAN" check --encoding tcvn5 "$csv_utf8" >/dev/null 2>"$TMP/err" || rc=$?
if [ "$rc" -eq 2 ] && grep -q "unknown encoding 'tcvn5'" "$TMP/err"; then
  pass encodings/unknown
else
  fail encodings/unknown "exit $rc" "stderr: $(first_lines "$TMP/err" 2)"
fi
finish
