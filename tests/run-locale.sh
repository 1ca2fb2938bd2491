#!/usr/bin/env bash
# tests/run-locale.sh - the golden tests again under a decimal-comma locale (STYLE.md §8,
# level 6): tests/run-cases.sh and tests/run-errors.sh with LC_ALL=de_DE.UTF-8, so the
# traces, extracted text, pictures and messages must not change (no "12,5" for "12.5"
# in a trace or a PDF). The locale is compiled into a temporary folder with localedef
# (LOCPATH) when the system does not have one; SKIP without localedef. Results are
# reported as locale/<name>. Never rewrites goldens (UPDATE is ignored).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban locale
cd "$TOP" || exit 1

loc=
for l in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
  if locale -a 2>/dev/null | grep -qx "$l"; then
    loc=$l
    break
  fi
done
if [ -z "$loc" ]; then
  if ! have localedef; then
    skip locale "no de_DE/fr_FR locale and no localedef"
    finish
  fi
  mkdir -p "$TMP/loc"
  if ! localedef -i de_DE -f UTF-8 "$TMP/loc/de_DE.UTF-8" >"$TMP/localedef.out" 2>&1 &&
    [ ! -d "$TMP/loc/de_DE.UTF-8" ]; then
    skip locale "localedef -i de_DE failed: $(head -n 1 "$TMP/localedef.out")"
    finish
  fi
  export LOCPATH=$TMP/loc
  loc=de_DE.UTF-8
fi

# The locale must really have a decimal comma, or this test proves nothing.
point=$(LC_ALL=$loc python3 -c 'import locale; locale.setlocale(locale.LC_ALL, ""); print(locale.localeconv()["decimal_point"])' 2>/dev/null || true)
if [ "$point" != "," ]; then
  skip locale "locale $loc does not load or has no decimal comma (got '$point')"
  finish
fi
pass "locale/$loc-loads"

for script in run-cases.sh run-errors.sh; do
  while IFS= read -r line; do
    case $line in
      "PASS "*) pass "locale/${line#PASS }" ;;
      "FAIL "*) fail "locale/${line#FAIL }" ;;
      "SKIP "*) nskip=$((nskip + 1)); echo "SKIP locale/${line#SKIP }" ;;
      *" passed, "*" failed, "*" skipped") ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < <(UPDATE=0 VANBAN_TEST_LOCALE=$loc bash "tests/$script" 2>&1)
done
finish
