# tests/lib.sh - common setup for the shell test scripts; source it first.
# Sets: TOP (repository root), VANBAN (absolute path of the binary under test),
# TMP (a fresh folder removed at exit), UPDATE (1 = rewrite goldens).
# Counts results: pass NAME / fail NAME [DETAIL...] / skip NAME [WHY], then `finish`
# prints "N passed, N failed, N skipped" and returns non-zero if anything failed.
set -eu
# VANBAN_TEST_LOCALE runs everything under another locale (tests/run-locale.sh).
export LC_ALL=${VANBAN_TEST_LOCALE:-C.UTF-8}
unset LANGUAGE LANG
# Dates in documents come from here, so output is reproducible (DESIGN.md).
export SOURCE_DATE_EPOCH=0

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VANBAN=${VANBAN:-build/release/vanban}
case $VANBAN in
  /*) ;;
  *) if [ -e "$VANBAN" ]; then VANBAN=$(pwd)/$VANBAN; else VANBAN=$TOP/$VANBAN; fi ;;
esac
export VANBAN
# Only the bundled fonts, whatever the machine has installed (STYLE.md §8).
export FONTCONFIG_FILE=$TOP/tests/fonts.conf
UPDATE=${UPDATE:-0}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vanban-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

npass=0
nfail=0
nskip=0

pass() {
  npass=$((npass + 1))
  echo "PASS $1"
}

# fail NAME [DETAIL...]: DETAIL lines are printed indented under the FAIL line.
fail() {
  nfail=$((nfail + 1))
  echo "FAIL $1"
  shift
  local line
  for line in "$@"; do
    printf '%s\n' "$line" | sed 's/^/    /'
  done
}

skip() {
  nskip=$((nskip + 1))
  echo "SKIP $1${2:+ ($2)}"
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# need_vanban SCRIPT: stop the script with one FAIL when there is no binary.
need_vanban() {
  if [ ! -x "$VANBAN" ]; then
    fail "$1" "no executable at $VANBAN (run make first)"
    finish
  fi
}

# first_lines FILE [N]: the first N (20) lines of FILE, for failure details.
first_lines() {
  head -n "${2:-20}" "$1" 2>/dev/null || true
}

finish() {
  echo "$npass passed, $nfail failed, $nskip skipped"
  [ "$nfail" -eq 0 ] && exit 0
  exit 1
}
