#!/usr/bin/env bash
# tests/run-certs.sh - certificates as an office prints them (issue 7, items 6-11),
# through the real CLI on the samples and on records made for the checks:
#   forms/*      each award form prints its own title with each full layout (state and
#                party): the tuyên dương page says "TUYÊN DƯƠNG" and no "GIẤY KHEN",
#                the giấy khen page the reverse (pdftotext page by page)
#   phoi/*       the blank layout prints the signer's title by default and not with
#                options: {signer_title: false} (a copy of the layout)
#   calibrate/*  --calibrate --paper A3 (with and without --offset): every box's label
#                gives where the box is drawn in the trace, in the grid's millimetres
#                (the grid runs to 420 mm); the offset moves boxes by exactly its
#                millimetres on the sheet, on the calibration sheet and on certificates
#   border/*     the border is the named ornament layouts/art/wave-border.yaml: no
#                layout carries path data of its own (no line over 200 characters);
#                a batch draws it as ONE shared group: once in the trace, one form
#                XObject used by every page with both backends (pikepdf)
#   docinfo/*    every file of one-file-per-recipient output has Title (naming the
#                recipient), Author and Subject (pdfinfo), with both backends and
#                --jobs; the calibration sheet has a Title
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban certs
cd "$TOP" || exit 1
export VANBAN_DATA=$TOP

if ! have pdfinfo; then
  skip certs "no pdfinfo (poppler-utils)"
  finish
fi

# info FILE FIELD: the value of a pdfinfo field.
info() {
  pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# slug TEXT: the ASCII slug of TEXT as {ten} makes it (đ → d, no marks, '-' between words).
slug() {
  python3 -c 'import sys, unicodedata, re
t = unicodedata.normalize("NFD", sys.argv[1].replace("đ", "d").replace("Đ", "D"))
t = "".join(c for c in t if not unicodedata.combining(c)).lower()
print(re.sub(r"[^a-z0-9]+", "-", t).strip("-"))' "$1"
}

# ---- 6. award forms: each prints its own title
forms_records=tests/cases/award-forms/records.yaml
sed -e 's/^  name: Ủy ban nhân dân phường Mai Dịch/  name: Đảng ủy phường Mai Dịch/' \
  -e 's/^  kind: state/  kind: party/' \
  -e 's/position: Chủ tịch}/position: Bí thư, authority: T\/M ĐẢNG ỦY}/' "$forms_records" >"$TMP/forms-party.yaml"
for lay in giay-khen:$forms_records giay-khen-dang:$TMP/forms-party.yaml; do
  name=forms/${lay%%:*}
  rc=0
  "$VANBAN" certificates -q -l "${lay%%:*}" "${lay#*:}" -o "$TMP/forms.pdf" 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc" "$(first_lines "$TMP/err" 5)"
    continue
  fi
  p1=$(pdftotext -f 1 -l 1 -raw "$TMP/forms.pdf" -)
  p2=$(pdftotext -f 2 -l 2 -raw "$TMP/forms.pdf" -)
  bad=()
  grep -qx 'TUYÊN DƯƠNG' <<<"$p1" || bad+=("page 1 (tuyên dương) has no line 'TUYÊN DƯƠNG'")
  ! grep -q 'GIẤY KHEN\|^Tặng$' <<<"$p1" || bad+=("page 1 (tuyên dương) says GIẤY KHEN or Tặng")
  grep -q 'GIẤY KHEN' <<<"$p2" || bad+=("page 2 (giấy khen) has no 'GIẤY KHEN'")
  ! grep -q 'TUYÊN DƯƠNG' <<<"$p2" || bad+=("page 2 (giấy khen) says TUYÊN DƯƠNG")
  if [ "${#bad[@]}" -eq 0 ]; then pass "$name"; else fail "$name" "${bad[@]}"; fi
done

# ---- 7. the blank layout: the signer's title, and the option that turns it off
sed 's/^  signer_title: true/  signer_title: false/' layouts/giay-khen-phoi.yaml >"$TMP/phoi-no-title.yaml"
for variant in on off; do
  name=phoi/signer-title-$variant
  lay=giay-khen-phoi
  [ "$variant" = off ] && lay=$TMP/phoi-no-title.yaml
  rc=0
  "$VANBAN" certificates -q -l "$lay" tests/cases/phoi-signer/state.yaml -o "$TMP/phoi.pdf" 2>"$TMP/err" || rc=$?
  txt=$(pdftotext -raw "$TMP/phoi.pdf" - 2>/dev/null || true)
  n=$(grep -cx 'KT. CHỦ TỊCH\|PHÓ CHỦ TỊCH' <<<"$txt" || true)
  want=2
  [ "$variant" = off ] && want=0
  if [ "$rc" -eq 0 ] && [ "$n" -eq "$want" ] && grep -qx 'Lê Thị Hằng' <<<"$txt"; then
    pass "$name"
  else
    fail "$name" "exit $rc, $n title lines (want $want)" "$(first_lines "$TMP/err" 5)"
  fi
done

# ---- 8. calibration on A3: grid, labels and boxes in the same millimetres
# check_labels TRACE: every calibration box of the layout (rect role=calibration with a
# layout position) is followed by its label "ROLE (X, Y mm...)"; X, Y must be where the
# rect is (pt / (72/25.4)), within 0.06 mm. Prints "boxes=N" or the mismatches.
check_labels() {
  python3 - "$1" <<'PY'
import re, sys
mm = 72 / 25.4
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
bad, n, grid = [], 0, False
for i, l in enumerate(lines):
    if re.match(r"rect role=grid .*xy=1190\.35,0\.00 wh=0\.40x841\.89", l):
        grid = True  # the 420 mm line of the A3 grid
    m = re.match(r"rect role=calibration at=(\S+) xy=([-\d.]+),([-\d.]+) ", l)
    if not m or m.group(1) == "-":
        continue
    x, y = float(m.group(2)) / mm, float(m.group(3)) / mm
    lab = re.search(r'text="([^"(]+) \(([-\d.]+), ([-\d.]+) mm', lines[i + 1]) if i + 1 < len(lines) else None
    if not lab:
        bad.append("no label after: " + l[:80])
        continue
    n += 1
    lx, ly = float(lab.group(2)), float(lab.group(3))
    if abs(lx - x) > 0.06 or abs(ly - y) > 0.06:
        bad.append("%s: drawn at (%.2f, %.2f) mm, labelled (%s, %s)" % (lab.group(1), x, y, lab.group(2), lab.group(3)))
if not grid:
    bad.append("no A3 grid line at 420 mm")
if n < 5:
    bad.append("only %d labelled boxes" % n)
print("\n".join(bad) if bad else "boxes=%d" % n)
PY
}
# box_xy TRACE ROLE: "x y" in mm of the calibration box labelled ROLE.
box_xy() {
  grep -B1 "text=\"$2 (" "$1" | head -1 | sed -E 's/.* xy=([-0-9.]+),([-0-9.]+) .*/\1 \2/' |
    awk '{printf "%.2f %.2f\n", $1 * 25.4 / 72, $2 * 25.4 / 72}'
}
for off in 0,0 2,-1.5; do
  name=calibrate/a3-offset-$off
  rc=0
  "$VANBAN" certificates -q --calibrate -l giay-khen-phoi --paper A3 --offset "$off" \
    --format trace -o "$TMP/cal-$off.trace" 2>"$TMP/err" || rc=$?
  res=$(check_labels "$TMP/cal-$off.trace" 2>&1)
  if [ "$rc" -eq 0 ] && [[ $res == boxes=* ]]; then
    pass "$name ($res)"
  else
    fail "$name" "exit $rc" "$res" "$(first_lines "$TMP/err" 5)"
  fi
done
# the offset moves each box by its millimetres on the A3 sheet (not scaled)
a=$(box_xy "$TMP/cal-0,0.trace" recipient.name)
b=$(box_xy "$TMP/cal-2,-1.5.trace" recipient.name)
d=$(awk -v a="$a" -v b="$b" 'BEGIN {split(a, p, " "); split(b, q, " "); printf "%.2f,%.2f", q[1] - p[1], q[2] - p[2]}')
if [ "$d" = "2.00,-1.50" ]; then
  pass "calibrate/a3-offset-mm (box moved $d mm)"
else
  fail calibrate/a3-offset-mm "recipient.name box at '$a' then '$b': moved $d mm, expected 2.00,-1.50"
fi
# and the certificates printed with it move the same way
for off in 0,0 2,-1.5; do
  "$VANBAN" certificates -q -l giay-khen-phoi --paper A3 --offset "$off" tests/cases/phoi-signer/state.yaml \
    --format trace -o "$TMP/cert-$off.trace" 2>/dev/null || true
done
o1=$(grep -m1 'role=signer.name ' "$TMP/cert-0,0.trace" | sed -E 's/.* origin=([-0-9.]+),([-0-9.]+) .*/\1 \2/')
o2=$(grep -m1 'role=signer.name ' "$TMP/cert-2,-1.5.trace" | sed -E 's/.* origin=([-0-9.]+),([-0-9.]+) .*/\1 \2/')
d=$(awk -v a="$o1" -v b="$o2" 'BEGIN {split(a, p, " "); split(b, q, " "); printf "%.2f,%.2f", (q[1] - p[1]) * 25.4 / 72, (q[2] - p[2]) * 25.4 / 72}')
if [ -n "$o1" ] && [ "$d" = "2.00,-1.50" ]; then
  pass "calibrate/a3-offset-certificate (signer's name moved $d mm)"
else
  fail calibrate/a3-offset-certificate "signer's name at '$o1' then '$o2': moved $d mm, expected 2.00,-1.50"
fi

# ---- 11. the border: a named ornament, one shared group per document
long=$(awk 'length > 200 {print FILENAME ":" FNR}' layouts/*.yaml | head -3)
if [ -z "$long" ] && grep -q '^  - use: wave-border$' layouts/giay-khen.yaml layouts/giay-khen-dang.yaml; then
  pass border/named
else
  fail border/named "lines over 200 characters: ${long:-none}" "or no 'use: wave-border' in giay-khen*.yaml"
fi
for lay in giay-khen giay-khen-dang; do
  "$VANBAN" certificates -q -l "$lay" samples/phuong-my-dinh-1.yaml --format trace -o "$TMP/b.trace" 2>/dev/null || true
  pages=$(grep -c '^page ' "$TMP/b.trace" || true)
  uses=$(grep -c '^group role=art ' "$TMP/b.trace" || true)
  defs=$(grep -c '^group [0-9]* begin' "$TMP/b.trace" || true)
  if [ "$pages" -ge 2 ] && [ "$uses" -eq "$pages" ] && [ "$defs" -eq 1 ]; then
    pass "border/trace-$lay ($pages pages, 1 group)"
  else
    fail "border/trace-$lay" "$pages pages, $uses uses of the art group, $defs groups defined"
  fi
done
if /usr/bin/python3 -c 'import pikepdf' 2>/dev/null; then
  for backend in cairo haru; do
    "$VANBAN" certificates -q --backend "$backend" samples/phuong-my-dinh-1.yaml -o "$TMP/b-$backend.pdf" 2>/dev/null || true
    res=$(/usr/bin/python3 - "$TMP/b-$backend.pdf" <<'PY'
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
forms, without = set(), 0
for pg in p.pages:
    xo = pg.Resources.get("/XObject", {})
    f = [xo[k].objgen for k in xo.keys() if xo[k].get("/Subtype") == "/Form"]
    forms.update(f)
    without += not f
print(len(p.pages), len(forms), without)
PY
)
    read -r np nf nw <<<"$res"
    if [ "${np:-0}" -ge 2 ] && [ "$nf" = 1 ] && [ "$nw" = 0 ]; then
      pass "border/xobject-$backend ($np pages, 1 form XObject)"
    else
      fail "border/xobject-$backend" "pages, form XObjects, pages without one: ${res:-none}"
    fi
  done
else
  skip border/xobject "no pikepdf for /usr/bin/python3"
fi

# ---- 9. document info of every file
for backend in cairo haru; do
  name=docinfo/split-$backend
  out=$TMP/split-$backend
  rc=0
  "$VANBAN" certificates -q --backend "$backend" --jobs 2 samples/phuong-mai-dich.yaml \
    -o "$out/{stt}-{ten}.pdf" 2>"$TMP/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc" "$(first_lines "$TMP/err" 5)"
    continue
  fi
  bad=()
  n=0
  for f in "$out"/*.pdf; do
    n=$((n + 1))
    t=$(info "$f" Title)
    # the file is named {stt}-{ten}: the title's slug ends with the recipient's
    ten=${f##*/}
    ten=${ten%.pdf}
    ten=${ten#*-}
    case $(slug "$t") in
      "giay-khen-"*"-$ten") ;;
      *) bad+=("${f##*/}: Title '$t' does not end with the recipient ($ten)") ;;
    esac
    [ "$(info "$f" Author)" = "Ủy ban nhân dân phường Mai Dịch" ] ||
      bad+=("${f##*/}: Author '$(info "$f" Author)'")
    case $(info "$f" Subject) in
      "Hội nghị phát động thi đua"*) ;;
      *) bad+=("${f##*/}: Subject '$(info "$f" Subject)'") ;;
    esac
  done
  if [ "$n" -lt 2 ]; then
    fail "$name" "$n files written, expected one per recipient"
  elif [ "${#bad[@]}" -gt 0 ]; then
    fail "$name" "${bad[@]}"
  else
    pass "$name ($n files)"
  fi
done

# the calibration sheet
rc=0
"$VANBAN" certificates -q --calibrate -l giay-khen-phoi --paper A3 -o "$TMP/cal.pdf" 2>"$TMP/err" || rc=$?
t=$(info "$TMP/cal.pdf" Title)
if [ "$rc" -eq 0 ] && [ "$t" = "Calibration sheet of layout 'giay-khen-phoi' on A3" ] &&
  [ -n "$(info "$TMP/cal.pdf" Subject)" ]; then
  pass docinfo/calibration
else
  fail docinfo/calibration "exit $rc, Title '$t'" "$(first_lines "$TMP/err" 5)"
fi

finish
