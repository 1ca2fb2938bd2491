#!/usr/bin/env bash
# tests/run-haru.sh - the libharu backend through the real CLI (issue 10):
# text round trip of every sample against the cairo backend's text, PDF/A-1b
# (tests/pdfa-check.py, pikepdf), RC4 encryption (qpdf --show-encryption,
# pdftotext -upw), and bad cases (--pdfa with a password, missing password file,
# unwritable output): non-zero exit, no output file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban haru
cd "$TOP" || exit 1
. scripts/samples.sh

# text FILE [PDFTOTEXT-ARGS...]: the PDF's text, whitespace collapsed.
text() {
  local f=$1
  shift
  pdftotext "$@" "$f" - 2>/dev/null | tr -s ' \n\t\f' '\n\n\n\n'
}

n=0
for s in $(samples_event_files); do
  n=$((n + 1))
  name=haru/text-$(basename "$s" .yaml)
  if ! "$VANBAN" certificates "$s" --backend haru -o "$TMP/h$n.pdf" 2>"$TMP/err" ||
    ! "$VANBAN" certificates "$s" --backend cairo -o "$TMP/c$n.pdf" 2>>"$TMP/err"; then
    fail "$name" "vanban failed" "$(first_lines "$TMP/err" 3)"
    continue
  fi
  text "$TMP/h$n.pdf" >"$TMP/h$n.txt"
  text "$TMP/c$n.pdf" >"$TMP/c$n.txt"
  if ! qpdf --check "$TMP/h$n.pdf" >/dev/null 2>&1; then
    fail "$name" "qpdf --check fails"
  elif [ ! -s "$TMP/h$n.txt" ]; then
    fail "$name" "no text in the haru PDF"
  elif ! cmp -s "$TMP/h$n.txt" "$TMP/c$n.txt"; then
    fail "$name" "haru text differs from cairo text" "$(diff "$TMP/c$n.txt" "$TMP/h$n.txt" | head -n 6)"
  elif pdffonts "$TMP/h$n.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit !bad }'; then
    fail "$name" "a font is not embedded"
  else
    pass "$name"
  fi
done
[ "$n" -gt 0 ] || skip haru/text "no samples"

s=$(samples_event_files | head -n 1)
if [ -z "$s" ]; then
  skip haru/pdfa "no samples"
  finish
  exit
fi

# PDF/A-1b
if "$VANBAN" certificates "$s" --backend haru --pdfa -o "$TMP/a.pdf" 2>"$TMP/err" &&
  out=$(/usr/bin/python3 tests/pdfa-check.py "$TMP/a.pdf" 2>&1); then
  pass haru/pdfa
else
  fail haru/pdfa "not PDF/A-1b" "$(first_lines "$TMP/err" 3)" "${out-}"
fi

# Encryption: RC4 128 (R 3), the user password opens, none does not.
printf 'mat-khau 1\n' >"$TMP/pw"
if "$VANBAN" certificates "$s" --backend haru --password-file "$TMP/pw" \
  --owner-password chu -o "$TMP/e.pdf" 2>"$TMP/err" &&
  qpdf --show-encryption "$TMP/e.pdf" 2>&1 | grep -q '^R = 3' &&
  text "$TMP/e.pdf" -upw 'mat-khau 1' | grep -q 'CỘNG' &&
  ! pdftotext "$TMP/e.pdf" - >/dev/null 2>&1 &&
  ! pdftotext -upw wrong "$TMP/e.pdf" - >/dev/null 2>&1; then
  pass haru/encrypt
else
  fail haru/encrypt "encryption not as asked" "$(first_lines "$TMP/err" 3)"
fi

# bad NAME ARGS...: exit status 2, no file at $TMP/bad.pdf (or the -o given).
bad() {
  local name=$1
  shift
  rm -f "$TMP/bad.pdf"
  rc=0
  "$VANBAN" certificates "$s" --backend haru "$@" 2>"$TMP/err" </dev/null || rc=$?
  if [ "$rc" -eq 2 ] && [ ! -e "$TMP/bad.pdf" ] && [ -s "$TMP/err" ]; then
    pass "$name"
  else
    fail "$name" "exit $rc (want 2), or a file was left, or no message" "$(first_lines "$TMP/err" 3)"
  fi
}
bad haru/pdfa-password --pdfa --password x -o "$TMP/bad.pdf"
bad haru/no-password-file --password-file "$TMP/none" -o "$TMP/bad.pdf"
bad haru/unwritable --password x -o "$TMP/nodir/bad.pdf"
finish
