#!/usr/bin/env bash
# tests/check.sh - run by `make check` (and `make unit` with --unit-only).
# Runs each unit test binary given as argument, then each test script that exists:
# tests/run-cases.sh, tests/run-errors.sh, tests/cli.sh, tests/run-encodings.sh, tests/run-samples.sh,
# tests/run-scale.sh, tests/run-locale.sh (cases and errors again under de_DE.UTF-8),
# tests/run-robust.sh, tests/run-signals.sh (a killed batch leaves nothing), tests/run-haru.sh,
# tests/run-certs.sh (certificates: forms, issuers, calibration, document info, border),
# tests/run-minutes.sh (minutes typography, widows/orphans/keeps, line breaking),
# tests/run-geometry.sh (certificate geometry measured on the trace: seal blank, fixed lines),
# tests/run-backends.sh (cairo and haru pages rasterised and compared; same bytes twice),
# tests/run-shaping.sh (the typesetter's measure by words and built lines equal Pango's).
# tests/run-conformance.sh (check --conformance: every sample passes, broken layouts fail their rule),
# tests/run-bulletin.sh (the bulletin: conformance on the trace, outline and links, goldens, errors).
# A failing part does not stop the others. How results are counted (.ci/run counts
# the same way):
#   - each "PASS name" / "FAIL name" / "SKIP name" line at the start of a line;
#   - each unit binary's summary line "name: N passed, N failed" (harness.h), counted
#     as N passes and N failures; a unit binary that exits non-zero without reporting a
#     failed check (a crash, a sanitizer report) adds a "FAIL unit/<binary>" line.
# Ends with "check: N passed, N failed, N skipped"; exits 1 if any part failed.
set -u
cd "$(dirname "$0")/.." || exit 1

unit_only=0
if [ "${1:-}" = --unit-only ]; then
  unit_only=1
  shift
fi

log=$(mktemp "${TMPDIR:-/tmp}/vanban-check.XXXXXX")
locdir=
trap 'rm -f "$log"; [ -z "$locdir" ] || rm -rf "$locdir"' EXIT

# A decimal-comma locale for test-base (and tests/run-locale.sh): when the system has
# none, compile de_DE.UTF-8 into a temporary LOCPATH folder (about a second).
if ! locale -a 2>/dev/null | grep -qiE '^(de_DE|fr_FR)\.utf-?8$' &&
  command -v localedef >/dev/null; then
  locdir=$(mktemp -d "${TMPDIR:-/tmp}/vanban-locale.XXXXXX")
  # localedef may exit non-zero for mere warnings: look for the result instead.
  localedef -i de_DE -f UTF-8 "$locdir/de_DE.UTF-8" >/dev/null 2>&1
  if [ -d "$locdir/de_DE.UTF-8" ]; then
    export LOCPATH=$locdir
  fi
fi
status=0
unit_re='^[^ ]+: [0-9]+ passed, [0-9]+ failed$'

for bin in "$@"; do
  name=${bin##*/}
  echo "== unit $name" | tee -a "$log"
  out=$("$bin" 2>&1)
  rc=$?
  printf '%s\n' "$out" | tee -a "$log"
  if [ "$rc" -ne 0 ]; then
    status=1
    failed=$(printf '%s\n' "$out" | grep -E "$unit_re" | tail -n 1 |
      sed -E 's/.* ([0-9]+) failed$/\1/')
    if [ -z "$failed" ] || [ "$failed" -eq 0 ]; then
      echo "FAIL unit/$name (exit status $rc without a failed check)" | tee -a "$log"
    fi
  elif ! printf '%s\n' "$out" | grep -qE "$unit_re"; then
    echo "PASS unit/$name (no summary line)" | tee -a "$log"
  fi
done
[ "$#" -gt 0 ] || echo "== unit: no tests/unit/test-*.c yet" | tee -a "$log"

if [ "$unit_only" -eq 0 ]; then
  for script in tests/run-cases.sh tests/run-errors.sh tests/cli.sh tests/run-encodings.sh \
    tests/run-samples.sh tests/run-scale.sh \
    tests/run-locale.sh tests/run-robust.sh tests/run-signals.sh tests/run-haru.sh \
    tests/run-certs.sh tests/run-minutes.sh tests/run-geometry.sh tests/run-backends.sh \
    tests/run-shaping.sh tests/run-conformance.sh tests/run-bulletin.sh; do
    if [ ! -f "$script" ]; then
      echo "== $script: not present, skipped" | tee -a "$log"
      continue
    fi
    echo "== $script" | tee -a "$log"
    bash "$script" 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
      status=1
      echo "== $script: exit status $rc" | tee -a "$log"
    fi
  done
fi

lines_pass=$(grep -c '^PASS ' "$log")
lines_fail=$(grep -c '^FAIL ' "$log")
lines_skip=$(grep -c '^SKIP ' "$log")
read -r unit_pass unit_fail < <(grep -E "$unit_re" "$log" |
  sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/' |
  awk '{p += $1; f += $2} END {print p + 0, f + 0}')
total_fail=$((lines_fail + unit_fail))
[ "$total_fail" -eq 0 ] || status=1
echo "check: $((lines_pass + unit_pass)) passed, $total_fail failed, $lines_skip skipped"
exit "$status"
