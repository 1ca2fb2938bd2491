#!/usr/bin/env bash
# tests/cli.sh - the command-line contract of DESIGN.md "Command line" and STYLE.md §10:
# help, version, usage errors, exit statuses, and what a failure leaves behind.
# Uses the first samples/*.yaml that has an awards: section; checks that need one SKIP
# when there is none.
. "$(dirname "$0")/lib.sh"
need_vanban cli
cd "$TOP"

try_msg="Try 'vanban --help' for more information."

# run ARGS...: run vanban with stdin closed; sets rc, and out/err files.
run() {
  rc=0
  "$VANBAN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
}

# expect NAME WANT_RC [DETAIL...]: pass when rc is WANT_RC.
expect_rc() {
  local name=$1 want=$2
  if [ "$rc" -eq "$want" ]; then
    return 0
  fi
  fail "$name" "exit status $rc, expected $want" "stderr: $(first_lines "$TMP/err" 5)"
  return 1
}

# --help: full help on stdout, exit 0
run --help
if expect_rc cli/help 0; then
  if grep -q Usage "$TMP/out"; then pass cli/help; else fail cli/help "no 'Usage' on stdout"; fi
fi

# SUBCOMMAND --help, likewise
run certificates --help
if expect_rc cli/certificates-help 0; then
  if grep -q Usage "$TMP/out"; then
    pass cli/certificates-help
  else
    fail cli/certificates-help "no 'Usage' on stdout"
  fi
fi

# --version: "vanban 0.1.0" first, then library versions
run --version
if expect_rc cli/version 0; then
  first=$(head -n 1 "$TMP/out")
  if [ "$first" = "vanban 0.1.0" ]; then
    pass cli/version
  else
    fail cli/version "first line '$first', expected 'vanban 0.1.0'"
  fi
fi

# usage errors: one line plus the "Try" line on stderr, exit 2, nothing on stdout
usage_error() {
  local name=$1
  shift
  run "$@"
  expect_rc "$name" 2 || return 0
  if ! grep -qxF "$try_msg" "$TMP/err"; then
    fail "$name" "stderr lacks \"$try_msg\"" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ -s "$TMP/out" ]; then
    fail "$name" "something was written to stdout"
  else
    pass "$name"
  fi
}
usage_error cli/bad-option --bogus
usage_error cli/unknown-command nosuchcommand
usage_error cli/certificates-no-files certificates

# an input that does not exist: exit 2, a message naming it
run certificates "$TMP/no-such-file.yaml" -o "$TMP/x.pdf"
if expect_rc cli/missing-input 2; then
  if ! grep -q "no-such-file.yaml" "$TMP/err"; then
    fail cli/missing-input "stderr does not name the file" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ -e "$TMP/x.pdf" ]; then
    fail cli/missing-input "an output file was written"
  else
    pass cli/missing-input
  fi
fi

# vanban layouts lists giay-khen
run layouts
if expect_rc cli/layouts 0; then
  if grep -q giay-khen "$TMP/out"; then pass cli/layouts; else fail cli/layouts "no giay-khen listed"; fi
fi

sample=
for f in samples/*.yaml; do
  [ -f "$f" ] || continue
  if grep -qE '^[[:space:]-]*awards:' "$f"; then
    sample=$f
    break
  fi
done

if [ -z "$sample" ]; then
  for t in check stdout dev-full missing-dir read-only; do
    skip "cli/$t" "no samples/*.yaml with awards yet"
  done
  finish
fi

# vanban check SAMPLE: exit 0, nothing written
run check "$sample"
if expect_rc cli/check 0; then pass cli/check; fi

# -o -: the PDF goes to stdout
run certificates "$sample" -o -
if expect_rc cli/stdout 0; then
  if [ "$(head -c 5 "$TMP/out")" = "%PDF-" ]; then
    pass cli/stdout
  else
    fail cli/stdout "stdout does not start with %PDF-"
  fi
fi

# -o /dev/full: disk full → exit 2 and a message
if [ -w /dev/full ]; then
  run certificates "$sample" -o /dev/full
  if expect_rc cli/dev-full 2; then
    if [ -s "$TMP/err" ]; then pass cli/dev-full; else fail cli/dev-full "nothing on stderr"; fi
  fi
else
  skip cli/dev-full "no /dev/full"
fi

# output into a folder that does not exist: exit 2, nothing created
run certificates "$sample" -o "$TMP/missing/giay-khen.pdf"
if expect_rc cli/missing-dir 2; then
  if [ -e "$TMP/missing" ]; then
    fail cli/missing-dir "$TMP/missing was created"
  elif [ ! -s "$TMP/err" ]; then
    fail cli/missing-dir "nothing on stderr"
  else
    pass cli/missing-dir
  fi
fi

# an existing target in a read-only folder: exit 2, the old file untouched, no temp left
if [ "$(id -u)" -eq 0 ]; then
  skip cli/read-only "running as root: permissions are not enforced"
else
  ro=$TMP/ro
  mkdir -p "$ro"
  echo old >"$ro/giay-khen.pdf"
  chmod 555 "$ro"
  run certificates "$sample" -o "$ro/giay-khen.pdf"
  left=$(ls -A "$ro")
  chmod 755 "$ro"
  if expect_rc cli/read-only 2; then
    if [ "$(cat "$ro/giay-khen.pdf")" != old ]; then
      fail cli/read-only "the existing file was changed"
    elif [ "$left" != giay-khen.pdf ]; then
      fail cli/read-only "files left behind: $left"
    else
      pass cli/read-only
    fi
  fi
fi

finish
