#!/usr/bin/env bash
# tests/run-haru.sh - the libharu backend through the real CLI (issue 10).
#   - Every sample render (scripts/samples.sh: each event file's certificates and
#     minutes, the CSV batches, the bulletin) through --backend haru: qpdf --check,
#     every font embedded (pdffonts), `pdftotext -raw` equal to the cairo backend's
#     text and NFC, document info (title, author, subject, keywords, creator, dates)
#     equal to cairo's; the same with --pdfa passes tests/pdfa-check.py (pikepdf) with
#     cairo's title, author and subject.
#   - The same samples converted to NFD (python3 unicodedata) give the same haru text.
#   - Every golden case with an expect.txt (tests/cases) gives exactly that text
#     through haru (the goldens are NFC; nfd and minutes-party-nfd are NFD records).
#   - The OpenType/CFF face (TeX Gyre Chorus) is embedded as a converted TrueType
#     font (src/backend/ttconv.c); an SVG emblem becomes an image at 300 dpi of its
#     drawn size; a PNG emblem with alpha keeps an SMask, and is flattened (no SMask)
#     with --pdfa; JPEG emblems (baseline, progressive, gray, CMYK) embedded as they
#     are through cairo, haru and --pdfa, except CMYK through cairo and --pdfa (pixels).
#   - Two runs a second apart give the same bytes with --pdfa and with a password.
#   - RC4 128-bit (V 2, R 3) encryption: qpdf --show-encryption shows the permissions
#     asked for (default print only, high resolution included), pdftotext -upw USER
#     extracts the text, no password or a wrong one does not open it.
#   - Bad cases, each with its exact message, its exit status and no file left in the
#     output folder (not even a temporary): --pdfa with a password, a password file
#     that does not exist, outputs that cannot be written (no such folder, a folder, a
#     file-size limit reached mid-write), an OpenType/CFF font that cannot be converted.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban haru
cd "$TOP" || exit 1
. scripts/samples.sh

have_py=0
/usr/bin/python3 -c 'import pikepdf' 2>/dev/null && have_py=1

# text FILE [PDFTOTEXT-ARGS...]: the PDF's text as `pdftotext -raw` gives it.
text() {
  local f=$1
  shift
  pdftotext -raw "$@" "$f" - 2>/dev/null
}

is_nfc() {
  python3 -c 'import unicodedata, sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(0 if t.strip() and unicodedata.is_normalized("NFC", t) else 1)' "$1" 2>/dev/null
}

# info FILE: the document info both backends must agree on.
info() {
  pdfinfo "$1" 2>/dev/null | grep -E '^(Title|Subject|Keywords|Author|Creator|CreationDate|ModDate):'
}

# field FILE KEY: one document info value.
field() {
  pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# not_embedded FILE: prints the fonts pdffonts does not show as embedded.
not_embedded() {
  pdffonts "$1" 2>/dev/null | awk 'NR > 2 && $(NF-4) != "yes" { print $1 }'
}

# The NFD copy of the samples: every UTF-8 record and CSV file decomposed.
mkdir -p "$TMP/nfd"
cp -r samples "$TMP/nfd/"
python3 - "$TMP/nfd/samples" <<'PY'
import os, sys, unicodedata
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if f.endswith((".yaml", ".yml", ".json", ".csv")):
            p = os.path.join(d, f)
            try:
                t = open(p, encoding="utf-8").read()
            except UnicodeDecodeError:
                continue  # a Windows-1258 export: its own (partly decomposed) form, kept
            open(p, "w", encoding="utf-8").write(unicodedata.normalize("NFD", t))
PY

n=0
while IFS=$'\t' read -r label kind _ rest; do
  [ "$kind" = file ] || continue
  n=$((n + 1))
  read -r -a args <<<"$rest"
  name=haru/${args[0]}-$label
  h=$TMP/h$n.pdf c=$TMP/c$n.pdf a=$TMP/a$n.pdf d=$TMP/d$n.pdf
  if ! "$VANBAN" "${args[@]}" -q --backend haru -o "$h" 2>"$TMP/err" ||
    ! "$VANBAN" "${args[@]}" -q --backend cairo -o "$c" 2>>"$TMP/err" ||
    ! "$VANBAN" "${args[@]}" -q --pdfa -o "$a" 2>>"$TMP/err" ||
    ! (cd "$TMP/nfd" && "$VANBAN" "${args[@]}" -q --backend haru -o "$d") 2>>"$TMP/err"; then
    fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
    continue
  fi
  text "$h" >"$TMP/h$n.txt"
  text "$c" >"$TMP/c$n.txt"
  text "$d" >"$TMP/d$n.txt"
  if ! qpdf --check "$h" >/dev/null 2>&1 || ! qpdf --check "$a" >/dev/null 2>&1; then
    fail "$name/pdf" "qpdf --check fails"
  elif [ -n "$(not_embedded "$h")$(not_embedded "$a")" ]; then
    fail "$name/pdf" "fonts not embedded: $(not_embedded "$h") $(not_embedded "$a")"
  else
    pass "$name/pdf"
  fi
  if ! is_nfc "$TMP/h$n.txt"; then
    fail "$name/text" "no text, or not NFC"
  elif ! cmp -s "$TMP/h$n.txt" "$TMP/c$n.txt"; then
    fail "$name/text" "haru text differs from cairo text" "$(diff "$TMP/c$n.txt" "$TMP/h$n.txt" | head -n 6)"
  else
    pass "$name/text"
  fi
  if cmp -s "$TMP/h$n.txt" "$TMP/d$n.txt"; then
    pass "$name/text-nfd"
  else
    fail "$name/text-nfd" "NFD records give other text" "$(diff "$TMP/h$n.txt" "$TMP/d$n.txt" | head -n 6)"
  fi
  if [ -n "$(field "$c" Title)" ] && [ "$(info "$h")" = "$(info "$c")" ] &&
    [ "$(info "$a")" = "$(info "$c")" ]; then
    pass "$name/info"
  else
    fail "$name/info" "document info differs from cairo's" "$(diff <(info "$c") <(info "$h"))"
  fi
  if [ "$have_py" = 0 ]; then
    skip "$name/pdfa" "no pikepdf for /usr/bin/python3"
  elif out=$(/usr/bin/python3 tests/pdfa-check.py "$a" "$(field "$c" Title)" \
    "$(field "$c" Author)" "$(field "$c" Subject)" 2>&1); then
    pass "$name/pdfa"
  else
    fail "$name/pdfa" "not PDF/A-1b" "$out"
  fi
done < <(samples_plan "$TMP/out")
[ "$n" -gt 0 ] || fail haru/samples "no samples"

# Golden texts of the cases, through haru (run as tests/run-cases.sh runs them).
for dir in tests/cases/*/; do
  dir=${dir%/}
  if [ ! -f "$dir/expect.txt" ] || [ ! -f "$dir/cmd" ]; then continue; fi
  name=haru/case-${dir##*/}
  eval "args=($(cat "$dir/cmd"))"
  if ! (cd "$dir" && VANBAN_DATA=../../.. "$VANBAN" "${args[@]}" -q --backend haru \
    -o "$TMP/case.pdf") 2>"$TMP/err"; then
    fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
  elif text "$TMP/case.pdf" | cmp -s - "$dir/expect.txt"; then
    pass "$name"
  else
    fail "$name" "text differs from expect.txt" "$(text "$TMP/case.pdf" | diff "$dir/expect.txt" - | head -n 6)"
  fi
done

s=samples/phuong-mai-dich.yaml
"$VANBAN" certificates "$s" -q --backend haru -o "$TMP/plain.pdf" 2>"$TMP/err" ||
  fail haru/plain "vanban failed" "$(first_lines "$TMP/err" 3)"

# The OpenType/CFF face the certificate layouts use, converted to TrueType.
name=haru/cff-converted
if pdffonts "$TMP/plain.pdf" 2>/dev/null | grep -qE '^[A-Z]{6}\+TeXGyreChorus-MediumItalic +CID TrueType +Identity-H +yes +yes +yes'; then
  pass "$name"
else
  fail "$name" "TeX Gyre Chorus is not an embedded CID TrueType subset" "$(pdffonts "$TMP/plain.pdf" 2>&1)"
fi

# Emblems: SVG at 300 dpi of its drawn size; PNG alpha kept, or flattened for PDF/A.
cat >"$TMP/nfd/samples/quoc-huy.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="48" fill="#da251d"/>
  <path d="M50 12 L61 41 L92 41 L67 60 L76 90 L50 72 L24 90 L33 60 L8 41 L39 41 Z" fill="#ffcd00"/>
</svg>
SVG
convert -size 90x90 xc:none -fill '#da251d' -draw 'circle 45,45 45,2' \
  "$TMP/nfd/samples/quoc-huy.png" 2>/dev/null || true
for e in svg png; do
  name=haru/emblem-$e
  if [ "$have_py" = 0 ] || [ ! -f "$TMP/nfd/samples/quoc-huy.$e" ]; then
    skip "$name" "needs pikepdf and ImageMagick"
    continue
  fi
  sed "s|^  symbol: UBND|  symbol: UBND\n  emblem: quoc-huy.$e|" "$s" >"$TMP/nfd/samples/emblem.yaml"
  if ! "$VANBAN" certificates "$TMP/nfd/samples/emblem.yaml" -q --backend haru -o "$TMP/em.pdf" \
    2>"$TMP/err" ||
    ! "$VANBAN" certificates "$TMP/nfd/samples/emblem.yaml" -q --pdfa -o "$TMP/em-a.pdf" 2>>"$TMP/err"; then
    fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
    continue
  fi
  # the emblem's size on the page (its cm before Do), its pixels and its SMask
  res=$(/usr/bin/python3 - "$TMP/em.pdf" "$TMP/em-a.pdf" "$e" <<'PY'
import re, sys, pikepdf
def emblem(f):
    p = pikepdf.open(f)
    pg = p.pages[0]
    xo = pg.Resources.XObject
    cs = pg.Contents.read_bytes().decode("latin-1") if not isinstance(pg.Contents, pikepdf.Array) \
        else "".join(c.read_bytes().decode("latin-1") for c in pg.Contents)
    for m in re.finditer(r"([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ cm\s*/(\w+) Do", cs):
        im = xo.get("/" + m.group(3))
        if im is not None and im.get("/Subtype") == "/Image":
            return float(m.group(1)), abs(float(m.group(2))), int(im.Width), int(im.Height), "/SMask" in im
    return None
a, b, kind = emblem(sys.argv[1]), emblem(sys.argv[2]), sys.argv[3]
if a is None or b is None:
    print("no emblem image on page 1")
    sys.exit()
w, h, pw, ph, smask = a
if kind == "svg" and (abs(pw - w * 300 / 72) > 1 or abs(ph - h * 300 / 72) > 1):
    print("SVG emblem drawn %.1fx%.1f pt is %dx%d px, not 300 dpi" % (w, h, pw, ph))
elif kind == "png" and (pw, ph) != (90, 90):
    print("PNG emblem is %dx%d px, not the file's 90x90" % (pw, ph))
elif not smask:
    print("the emblem lost its transparency (no SMask) without --pdfa")
elif b[4]:
    print("the --pdfa emblem keeps an SMask")
PY
  )
  if [ -n "$res" ]; then fail "$name" "$res"; else pass "$name"; fi
done

# JPEG emblems (every document kind goes through the same backends): the file's bytes
# embedded as they are (DCTDecode, pdfimages says jpeg) by cairo, haru and haru
# --pdfa, for a baseline, a progressive and a grayscale JPEG; a CMYK one (Adobe's
# inverted form, as ImageMagick and Photoshop write it) keeps its bytes and gets
# /Decode [1 0 1 0 1 0 1 0] in haru, and goes through its pixels (DeviceRGB) with
# cairo (cairo 1.16 writes no /Decode: a negative) and with --pdfa (PDF/A-1 allows
# DeviceCMYK only with a CMYK output intent). Each page, rendered, shows the emblem's
# green (not its negative); the --pdfa files pass pdfa-check.py.
if [ "$have_py" = 0 ] || ! command -v convert >/dev/null 2>&1; then
  skip haru/emblem-jpeg "needs pikepdf and ImageMagick"
else
  d=$TMP/nfd/samples
  convert -size 90x90 xc:'#00a040' -fill '#f0f0f0' -draw 'rectangle 0,80 90,90' -quality 90 "$d/em-rgb.jpg"
  convert "$d/em-rgb.jpg" -interlace JPEG "$d/em-progressive.jpg"
  convert "$d/em-rgb.jpg" -colorspace Gray "$d/em-gray.jpg"
  convert "$d/em-rgb.jpg" -colorspace CMYK "$d/em-cmyk.jpg"
  for v in rgb progressive gray cmyk; do
    sed "s|^  symbol: UBND|  symbol: UBND\n  emblem: em-$v.jpg|" "$s" >"$d/em-$v.yaml"
    for be in cairo haru pdfa; do
      name=haru/emblem-jpeg-$v-$be
      bargs=(--backend "$be")
      [ "$be" = pdfa ] && bargs=(--pdfa)
      if ! "$VANBAN" certificates "$d/em-$v.yaml" -q "${bargs[@]}" -o "$TMP/ej.pdf" 2>"$TMP/err"; then
        fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
        continue
      fi
      asis=yes
      [ "$v" = cmyk ] && [ "$be" != haru ] && asis=no
      enc=$(pdfimages -f 1 -l 1 -list "$TMP/ej.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image" {print $9}' | sort -u)
      pdftoppm -f 1 -l 1 -r 72 -png "$TMP/ej.pdf" "$TMP/ej" 2>/dev/null
      res=$(/usr/bin/python3 - "$TMP/ej.pdf" "$d/em-$v.jpg" "$asis" "$v" "$TMP"/ej-*1.png <<'PY'
import sys, pikepdf
from PIL import Image
pdf, jpg, asis, v, png = sys.argv[1:6]
raw = open(jpg, "rb").read()
p = pikepdf.open(pdf)
xo = p.pages[0].Resources.get("/XObject", {})
ims = [xo[k] for k in xo.keys() if xo[k].get("/Subtype") == "/Image"]
if len(ims) != 1:
    sys.exit(print("%d images on page 1, not the one emblem" % len(ims)))
im = ims[0]
f = im.get("/Filter")
filters = [str(x) for x in f] if isinstance(f, pikepdf.Array) else [str(f)] if f is not None else []
dct = filters == ["/DCTDecode"]
cs = im.get("/ColorSpace")
cs = str(cs) if isinstance(cs, pikepdf.Name) else repr(cs)
if asis == "yes":
    if not dct or im.read_raw_bytes() != raw:
        sys.exit(print("the JPEG is not embedded as it is (Filter %s, %d bytes, file %d)"
                       % (filters, len(im.read_raw_bytes()), len(raw))))
    if v == "cmyk" and (cs != "/DeviceCMYK" or [float(x) for x in im.get("/Decode", [])] != [1, 0] * 4):
        sys.exit(print("CMYK JPEG as %s with Decode %r, not DeviceCMYK [1 0 1 0 1 0 1 0]" % (cs, im.get("/Decode"))))
elif dct or cs != "/DeviceRGB":
    sys.exit(print("a CMYK JPEG here should be pixels in DeviceRGB, not %s %s" % (filters, cs)))
# the emblem's colour on the rendered page, about 4,900 pixels at 72 dpi: green (poppler
# turns DeviceCMYK into RGB its own way: (0, 112, 95) for this green; the negative
# would be magenta), or the gray JPEG's own gray
px = Image.open(png).convert("RGB").getdata()
if v == "gray":
    g = Image.open(jpg).convert("L").getpixel((45, 40))
    near = sum(1 for q in px if all(abs(a - g) <= 12 for a in q))
else:
    near = sum(1 for r, g, b in px if g > r + 80 and g > 90)
if near < 3000:
    print("the rendered page has %d pixels of the emblem's colour, not 3,000 or more" % near)
PY
      ) || res="the check of $TMP/ej.pdf failed: $res"
      rm -f "$TMP"/ej-*.png
      want_enc=jpeg
      [ "$asis" = yes ] || want_enc=image
      if [ -z "$res" ] && [ "$enc" != "$want_enc" ]; then
        res="pdfimages -list says '$enc', not $want_enc"
      fi
      if [ -z "$res" ] && [ "$be" = pdfa ]; then
        res=$(/usr/bin/python3 tests/pdfa-check.py "$TMP/ej.pdf")
      fi
      if [ -n "$res" ]; then fail "$name" "$res"; else pass "$name"; fi
    done
  done
fi

# Encryption: RC4 128 (V 2, R 3); the user password opens, none or a wrong one does not.
printf 'mat-khau 1\n' >"$TMP/pw"
# encrypted NAME EXPECTED-PERMISSION-LINES VANBAN-ARGS...
encrypted() {
  local name=$1 want=$2
  shift 2
  rm -f "$TMP/e.pdf"
  if ! "$VANBAN" certificates "$s" -q --backend haru "$@" -o "$TMP/e.pdf" 2>"$TMP/err"; then
    fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
    return
  fi
  local got
  got=$(qpdf --show-encryption --password='mat-khau 1' "$TMP/e.pdf" 2>&1 |
    grep -E '^(R =|extract|print|modify)')
  local mode=
  [ "$have_py" = 1 ] && mode=$(/usr/bin/python3 -c 'import sys, pikepdf
p = pikepdf.open(sys.argv[1], password="mat-khau 1")
e = p.trailer.Encrypt
print(int(e.V), int(e.R), int(e.get("/Length", 40)), e.Filter)' "$TMP/e.pdf")
  if [ "$got" != "$want" ]; then
    fail "$name" "qpdf --show-encryption:" "$got"
  elif [ "$have_py" = 1 ] && [ "$mode" != "2 3 128 /Standard" ]; then
    fail "$name" "not RC4 128-bit revision 3: V R Length Filter = $mode"
  elif [ "$(text "$TMP/e.pdf" -upw 'mat-khau 1')" != "$(text "$TMP/plain.pdf")" ]; then
    fail "$name" "pdftotext -upw does not give the text of the unencrypted file"
  elif pdftotext "$TMP/e.pdf" - >/dev/null 2>&1 || pdftotext -upw wrong "$TMP/e.pdf" - >/dev/null 2>&1; then
    fail "$name" "opens without the password"
  else
    pass "$name"
  fi
}
encrypted haru/encrypt-print-only "R = 3
extract for accessibility: not allowed
extract for any purpose: not allowed
print low resolution: allowed
print high resolution: allowed
modify document assembly: not allowed
modify forms: not allowed
modify annotations: not allowed
modify other: not allowed
modify anything: not allowed" --password-file "$TMP/pw" --owner-password chu
encrypted haru/encrypt-copy-annotate "R = 3
extract for accessibility: allowed
extract for any purpose: allowed
print low resolution: not allowed
print high resolution: not allowed
modify document assembly: not allowed
modify forms: allowed
modify annotations: allowed
modify other: not allowed
modify anything: not allowed" --password 'mat-khau 1' --permissions copy,annotate
encrypted haru/encrypt-all "R = 3
extract for accessibility: allowed
extract for any purpose: allowed
print low resolution: allowed
print high resolution: allowed
modify document assembly: allowed
modify forms: allowed
modify annotations: allowed
modify other: allowed
modify anything: allowed" --password 'mat-khau 1' --permissions print,copy,edit,annotate

# Two runs more than a second apart give the same bytes, for --pdfa (the ICC profile
# is dated SOURCE_DATE_EPOCH / --date, not by lcms2's clock) and for encrypted output
# (file ID, keys and the derived owner password come from the content), with the
# document's date from SOURCE_DATE_EPOCH and from --date.
for mode in pdfa encrypted; do
  for when in epoch date; do
    name=haru/same-bytes-$mode-$when
    margs=(--pdfa)
    [ "$mode" = pdfa ] || margs=(--backend haru --password-file "$TMP/pw")
    wargs=()
    [ "$when" = epoch ] || wargs=(--date 2024-11-05)
    rm -f "$TMP/r1.pdf" "$TMP/r2.pdf"
    if ! SOURCE_DATE_EPOCH=1730764800 "$VANBAN" certificates "$s" -q "${margs[@]}" \
      ${wargs[@]+"${wargs[@]}"} -o "$TMP/r1.pdf" 2>"$TMP/err"; then
      fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
      continue
    fi
    sleep 1.1
    SOURCE_DATE_EPOCH=1730764800 "$VANBAN" certificates "$s" -q "${margs[@]}" \
      ${wargs[@]+"${wargs[@]}"} -o "$TMP/r2.pdf" 2>"$TMP/err" || true
    if cmp -s "$TMP/r1.pdf" "$TMP/r2.pdf"; then
      pass "$name"
    else
      fail "$name" "two runs a second apart differ: $(cmp "$TMP/r1.pdf" "$TMP/r2.pdf" 2>&1 | head -n 1)"
    fi
  done
done

# bad NAME STATUS MESSAGE [ENV=VALUE...] -- ARGS...: vanban certificates ARGS exits with
# STATUS, its stderr holds the line MESSAGE ($OUT stands for the output folder), and
# the output folder $TMP/bad stays empty.
bad() {
  local name=$1 want=$2 msg=$3 rc=0
  shift 3
  local envs=()
  while [ "$1" != -- ]; do
    envs+=("$1")
    shift
  done
  shift
  rm -rf "$TMP/bad"
  mkdir -p "$TMP/bad"
  env ${envs[@]+"${envs[@]}"} "$VANBAN" certificates "$@" 2>"$TMP/err" </dev/null || rc=$?
  msg=${msg//\$OUT/$TMP/bad}
  local left
  left=$(find "$TMP/bad" -mindepth 1 -printf '%P\n' | head -n 3)
  if [ "$rc" -ne "$want" ]; then
    fail "$name" "exit $rc (want $want)" "$(first_lines "$TMP/err" 3)"
  elif ! grep -qxF -- "$msg" "$TMP/err"; then
    fail "$name" "message missing: $msg" "$(first_lines "$TMP/err" 3)"
  elif [ -n "$left" ]; then
    fail "$name" "left in the output folder: $left"
  else
    pass "$name"
  fi
}
bad haru/pdfa-password 2 "vanban: --pdfa cannot be combined with a password: PDF/A forbids encryption" \
  -- "$s" --pdfa --password x -o "$TMP/bad/a.pdf"
bad haru/pdfa-password-file 2 "vanban: --pdfa cannot be combined with a password: PDF/A forbids encryption" \
  -- "$s" --pdfa --password-file "$TMP/pw" -o "$TMP/bad/a.pdf"
bad haru/no-password-file 2 "vanban: cannot read password file '$TMP/none': No such file or directory" \
  -- "$s" --backend haru --password-file "$TMP/none" -o "$TMP/bad/a.pdf"
bad haru/unwritable-no-folder 2 "vanban: error: cannot create '\$OUT/nodir/a.pdf': No such file or directory" \
  -- "$s" --backend haru --password x -o "$TMP/bad/nodir/a.pdf"
mkdir -p "$TMP/dir"
bad haru/unwritable-folder 2 "vanban: error: cannot create '$TMP/dir': Is a directory" \
  -- "$s" --pdfa -o "$TMP/dir"
# a file-size limit of 20 KB, reached in the middle of the file: EFBIG, not SIGXFSZ
name=haru/unwritable-size-limit
rm -rf "$TMP/bad" && mkdir -p "$TMP/bad"
rc=0
(ulimit -f 20 && exec "$VANBAN" certificates "$s" --pdfa -o "$TMP/bad/a.pdf") 2>"$TMP/err" || rc=$?
left=$(find "$TMP/bad" -mindepth 1 -printf '%P\n' | head -n 3)
if [ "$rc" -eq 2 ] && grep -qxF "vanban: error: cannot write '$TMP/bad/a.pdf': File too large" "$TMP/err" &&
  [ -z "$left" ]; then
  pass "$name"
else
  fail "$name" "exit $rc (want 2), left: ${left:-nothing}" "$(first_lines "$TMP/err" 3)"
fi

# An OpenType/CFF face that cannot be converted (its OS/2 table renamed): the font and
# the record position named, exit 2, nothing written.
mkdir -p "$TMP/badfont"
python3 - fonts/texgyrechorus-mediumitalic.otf "$TMP/badfont/chorus-no-os2.otf" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(struct.unpack(">H", d[4:6])[0]):
    o = 12 + 16 * i
    if d[o:o + 4] == b"OS/2":
        d[o:o + 4] = b"OS_2"
open(sys.argv[2], "wb").write(d)
PY
line=$(grep -n 'collective: Tổ dân phố số 8' "$s" | cut -d: -f1)
bad haru/cff-unconvertible 2 "$s:$line:25: error: font 'chorus-no-os2.otf' cannot be used by the haru backend: converting its OpenType/CFF outlines to TrueType failed: a table libharu needs (OS/2, cmap, head, hhea, hmtx, name) is missing" \
  -- "$s" --backend haru --fonts "$TMP/badfont" -o "$TMP/bad/a.pdf"
# ... and the cairo backend, which reads CFF itself, still renders with that face
if "$VANBAN" certificates "$s" -q --fonts "$TMP/badfont" -o "$TMP/cff-cairo.pdf" 2>"$TMP/err"; then
  pass haru/cff-unconvertible-cairo-renders
else
  fail haru/cff-unconvertible-cairo-renders "cairo failed" "$(first_lines "$TMP/err" 3)"
fi
finish
