#!/usr/bin/env bash
# tests/run-conformance.sh - `vanban check --conformance` (README "Conformance"):
#   - every sample passes every rule of its rule sets (minutes of both forms, the
#     certificates of the three certificate layouts, the CSV batch, the bulletin),
#     exit 0, nothing written;
#   - layouts broken in one way each (small sed patches of the real layouts, made
#     here), each failing exactly the rule it breaks: the failing ids are compared
#     with the expected list, and the exit status is 1; one failure line is compared
#     whole (document, page, element, measured value, allowed range).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban conformance
S=$TOP/samples
L=$TOP/layouts

# conform NAME ARGS...: every rule passes, exit 0, nothing written in the folder.
conform() {
  local name=$1 rc=0
  shift
  (cd "$TMP" && "$VANBAN" check --conformance -q "$@") >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
  local nrules nfail
  nrules=$(grep -cE '^(PASS|FAIL) ' "$TMP/$name.out" || true)
  nfail=$(grep -c '^FAIL ' "$TMP/$name.out" || true)
  if [ "$rc" -eq 0 ] && [ "$nfail" -eq 0 ] && [ "$nrules" -gt 0 ] && [ ! -s "$TMP/$name.err" ]; then
    pass "conformance/sample/$name ($nrules rules)"
  else
    fail "conformance/sample/$name (exit $rc)" "$(grep -v '^PASS ' "$TMP/$name.out" | head -n 8)" \
      "$(first_lines "$TMP/$name.err" 8)"
  fi
}

for f in "$S"/*.yaml; do
  n=${f##*/}
  case $n in org-*) continue ;; esac
  conform "${n%.yaml}" "$f"
  for l in giay-khen giay-khen-dang giay-khen-phoi; do
    grep -qE '^[[:space:]]+recipients:' "$f" && conform "${n%.yaml}-$l" -l "$l" "$f"
  done
  conform "${n%.yaml}-draft" -l "$(grep -q 'kind: party' "$f" && echo bien-ban-dang || echo bien-ban)" --draft "$f"
done
conform csv-batch --org "$S/org-phuong-ha-khanh.yaml" -l giay-khen "$S/ha-khanh-khen-thuong.csv" --encoding cp1258
conform bulletin -l ban-tin --month 2024-11 "$S/ban-tin"
# all the samples in one run: certificates of different files share their checker
conform all-samples "$S"/phuong-*.yaml
for kind in party state; do
  python3 "$TOP/scripts/make-minutes.py" 40 "$kind" 1 >"$TMP/long-$kind.yaml"
  conform "long-$kind" "$TMP/long-$kind.yaml"
done
if [ -n "$(ls -A "$TMP" | grep -vE '\.(out|err|yaml)$' || true)" ]; then
  fail "conformance/nothing-written" "$(ls "$TMP")"
else
  pass "conformance/nothing-written"
fi

# broken NAME LAYOUT RECORD 'SED' EXPECTED-IDS [ARGS...]: the layout patched by SED
# fails exactly EXPECTED-IDS (space-separated, sorted), exit 1.
broken() {
  local name=$1 layout=$2 rec=$3 script=$4 want=$5 rc=0
  shift 5
  sed -e "$script" "$L/$layout.yaml" >"$TMP/$name.yaml"
  if cmp -s "$L/$layout.yaml" "$TMP/$name.yaml"; then
    fail "conformance/broken/$name" "the sed script changed nothing"
    return
  fi
  "$VANBAN" check --conformance -q -l "$TMP/$name.yaml" "$@" "$rec" >"$TMP/$name.out" \
    2>"$TMP/$name.err" || rc=$?
  local got
  got=$(sed -n 's/^FAIL \([^:]*\):.*/\1/p' "$TMP/$name.out" | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$rc" -eq 1 ] && [ "$got" = "$want" ]; then
    pass "conformance/broken/$name ($want)"
  else
    fail "conformance/broken/$name" "expected exit 1 and failures: $want" \
      "got exit $rc and failures: $got" "$(grep '^FAIL' "$TMP/$name.out" | head -n 5)" \
      "$(first_lines "$TMP/$name.err" 5)"
  fi
}
MD=$S/phuong-mai-dich.yaml   # state form, two pages
P11=$S/phuong-11-quan-3.yaml # party form, five pages

broken margin-left-10 bien-ban "$MD" 's/left: 30, right: 15/left: 10, right: 15/' nd30.margin.left
# the failure names the document, the page, the element, the measure and the range
want='FAIL nd30.margin.left: The left margin is 30 to 35 mm. (§1.1, §6.1) -- event '\''2024-04-25-phat-dong-thi-dua'\'' page 1, text frame: left margin 10.0 mm, allowed 30-35 mm'
if grep -qxF -- "$want" "$TMP/margin-left-10.out"; then pass "conformance/failure-line"; else
  fail "conformance/failure-line" "expected: $want" "$(grep '^FAIL' "$TMP/margin-left-10.out")"
fi
broken margin-right-25 bien-ban "$MD" 's/left: 30, right: 15/left: 30, right: 25/' nd30.margin.right
broken margin-top-15 bien-ban "$MD" 's/margins: {top: 20,/margins: {top: 15,/' nd30.margin.top
broken margin-bottom-30 bien-ban "$MD" 's/bottom: 20, left/bottom: 30, left/' nd30.margin.bottom
broken landscape bien-ban "$MD" 's/orientation: portrait/orientation: landscape/' nd30.page.size
broken tieu-ngu-rule-5mm-short bien-ban "$MD" 's/- rule: text$/- rule: 51.1mm/' nd30.tieu_ngu.rule
broken page-number-on-1 bien-ban "$MD" 's/from: 2, y: 9/from: 1, y: 9/' nd30.page_number.first
broken page-number-12pt bien-ban "$MD" 's/page_number: {font: serif, size: 13/page_number: {font: serif, size: 12/' \
  nd30.page_number.form
broken quoc-hieu-11pt bien-ban "$MD" 's/quoc_hieu: {font: serif, size: 12/quoc_hieu: {font: serif, size: 11/' \
  nd30.quoc_hieu.font
broken tieu-ngu-regular bien-ban "$MD" 's/tieu_ngu: {font: serif, size: 13, align: center, bold: true}/tieu_ngu: {font: serif, size: 13, align: center}/' \
  nd30.tieu_ngu.font
broken issuer-not-bold bien-ban "$MD" 's/issuer: {font: serif, size: 12, align: center, upper: true, bold: true}/issuer: {font: serif, size: 12, align: center, upper: true}/' \
  nd30.issuer.font
broken issuer-rule-60pct bien-ban "$MD" '0,/rule: 40% text/s//rule: 60% text/' nd30.issuer.rule
broken summary-rule-20pct bien-ban "$MD" '/role: summary$/,/role: summary.rule/s/rule: 40% text/rule: 20% text/' \
  nd30.summary.rule
broken number-no-zero bien-ban "$MD" 's/- text: "{{doc.number | state_number: \\"BB\\", org.symbol}}"/- text: "Số: 5\/BB-UBND"/' \
  nd30.number.form
broken number-14pt bien-ban "$MD" 's/number: {font: serif, size: 13,/number: {font: serif, size: 14,/' nd30.number.font
broken date-in-header bien-ban "$MD" '/role: tieu_ngu.rule/a\          - text: "Hà Nội, ngày 25 tháng 4 năm 2024"\n            style: tieu_ngu' \
  nd30.header.no_date
broken title-regular bien-ban "$MD" 's/doc_type: {font: serif, size: 14, align: center, bold: true,/doc_type: {font: serif, size: 14, align: center,/' \
  nd30.title.type
broken body-12pt bien-ban "$MD" 's/body: {font: serif, size: 14, align: justify/body: {font: serif, size: 12, align: justify/' \
  nd30.body.font
broken indent-2cm bien-ban "$MD" 's/align: justify, indent: 1cm/align: justify, indent: 2cm/' nd30.body.indent
broken paragraphs-2pt bien-ban "$MD" 's/indent: 1cm, space_before: 6pt/indent: 1cm, space_before: 2pt/' \
  nd30.body.paragraphs
# double spacing spreads the lines of a paragraph (16.7 pt more than single) but not
# the space between paragraphs: they end up closer than lines, and both rules fail
broken leading-2 bien-ban "$MD" 's/space_before: 6pt, leading: 1.0}/space_before: 6pt, leading: 2.0}/' \
  'nd30.body.leading nd30.body.paragraphs'
broken closing-no-end-mark bien-ban "$MD" 's/{{event.ends | date}}\.\/\."/{{event.ends | date}}."/' nd30.closing.form
broken signatures-swapped bien-ban "$MD" 's/text: THƯ KÝ$/text: XX/; s/text: CHỦ TỌA$/text: THƯ KÝ/; s/text: XX$/text: CHỦ TỌA/' \
  nd30.signature.columns
broken signature-name-regular bien-ban "$MD" 's/sig_name: {font: serif, size: 14, align: center, bold: true}/sig_name: {font: serif, size: 14, align: center}/' \
  nd30.signature.names
broken recipients-label-upright bien-ban "$MD" 's/size: 12, bold: true, italic: true, align: left,/size: 12, bold: true, align: left,/' \
  nd30.recipients.label
broken recipients-items-12pt bien-ban "$MD" 's/recipients_item: {font: serif, size: 11/recipients_item: {font: serif, size: 12/' \
  nd30.recipients.items
broken recipients-no-luu bien-ban "$MD" 's/text: "- Lưu: VT, Hồ sơ."/text: "- Văn phòng."/' nd30.recipients.last
broken number-red bien-ban "$MD" 's/number: {font: serif, size: 13,/number: {font: serif, size: 13, color: "#c00000",/' \
  nd30.text.black
broken party-number-colon bien-ban-dang "$P11" 's/- text: "{{doc.number | party_number: \\"BB\\", org.symbol}}"/- text: "Số: 05-BB\/ĐU"/' \
  hd36.number.form
broken party-heading-rule-short bien-ban-dang "$P11" '/role: party_heading$/,/role: party_heading.rule/s/- rule: text$/- rule: 50mm/' \
  hd36.heading.rule
broken party-heading-14pt bien-ban-dang "$P11" 's/party_heading: {font: serif, size: 15,/party_heading: {font: serif, size: 14,/' \
  hd36.heading.font
broken party-no-star bien-ban-dang "$P11" 's/- text: "\*"$/- text: "-"/' hd36.issuer.star
broken party-luu-colon bien-ban-dang "$P11" 's/text: "- Lưu Văn phòng Đảng ủy."/text: "- Lưu: VT."/' hd36.recipients.last
broken party-margin-left-10 bien-ban-dang "$P11" 's/left: 30, right: 15/left: 10, right: 15/' hd36.margin.left
broken party-page-number-on-1 bien-ban-dang "$P11" 's/from: 2, y: 9/from: 1, y: 9/' hd36.page_number.first
broken cert-seal-room-25 giay-khen "$MD" 's/gap: 37mm/gap: 25mm/' cert.seal.room
# (the border is drawn for A4 landscape: the layout drops it with the size)
broken cert-page-size giay-khen "$MD" 's/^  size: A4$/  size: [300, 210]/; /^art:$/,/use: wave-border/d' cert.page.size
broken cert-title-black giay-khen "$MD" 's/title: {inherit: body, size: 50, bold: true, color: "#c00000"}/title: {inherit: body, size: 50, bold: true}/' \
  cert.red.lines
broken cert-tieu-ngu-rule giay-khen "$MD" 's/- rule: text$/- rule: 60mm/' cert.tieu_ngu.rule
broken cert-party-seal-room giay-khen-dang "$P11" 's/gap: 37mm/gap: 33mm/' cert.seal.room
broken overlay-with-border giay-khen-phoi "$MD" 's/^body:$/art:\n  - use: wave-border\nbody:/' overlay.text.only
broken overlay-seal-room giay-khen-phoi "$MD" 's/gap: 37mm/gap: 30mm/' cert.seal.room
# (a page over 19 x 27 cm is refused when the layout loads: bulletin.page.size checks
# the pages themselves)
broken bulletin-no-ban-tin ban-tin "$S/ban-tin" 's/- text: "BẢN TIN"/- text: "TIN TỨC"/' bulletin.masthead \
  --month 2024-11
finish
