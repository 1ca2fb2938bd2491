#!/usr/bin/env bash
# tests/run-errors.sh - diagnostics tests (STYLE.md §8, level 5). For each
# tests/errors/<name>.cmd (one line of arguments, shell words, run from tests/errors/):
#   <name>.expected   stderr, compared exactly
#   <name>.exit       the exit status, a number
# The string @OUT@ in the command is replaced with a fresh empty folder (holding an
# empty out/ subfolder, so both `-o @OUT@/<name>.pdf` and `-o @OUT@/out/<name>.pdf`
# work); in stderr that folder's path is written back as @OUT@ before comparing. When
# the exit status is 2 or 3 nothing may be left in that folder (DESIGN.md: a failure
# writes nothing). UPDATE=1 rewrites .expected and .exit.
. "$(dirname "$0")/lib.sh"
need_vanban errors

errors_dir=$TOP/tests/errors
if ! compgen -G "$errors_dir/*.cmd" >/dev/null; then
  skip errors "no tests/errors/*.cmd yet"
  finish
fi

for cmdfile in "$errors_dir"/*.cmd; do
  name=${cmdfile##*/}
  name=${name%.cmd}
  label="errors/$name"
  out=$TMP/$name
  mkdir -p "$out/out"
  line=$(head -n 1 "$cmdfile")
  line=${line//@OUT@/$out}
  eval "args=($line)"
  rc=0
  (cd "$errors_dir" && "$VANBAN" "${args[@]}") >"$TMP/$name.stdout" 2>"$TMP/$name.stderr" </dev/null ||
    rc=$?
  # Put the placeholder back so the golden does not depend on the temp folder.
  sed "s|$out|@OUT@|g" "$TMP/$name.stderr" >"$TMP/$name.got"

  if [ "$UPDATE" = 1 ]; then
    cp "$TMP/$name.got" "$errors_dir/$name.expected"
    echo "$rc" >"$errors_dir/$name.exit"
    pass "$label (updated)"
    continue
  fi

  problems=()
  if [ ! -f "$errors_dir/$name.expected" ] || [ ! -f "$errors_dir/$name.exit" ]; then
    problems+=("missing $name.expected or $name.exit (create them with UPDATE=1)")
  else
    want_rc=$(tr -d ' \n' <"$errors_dir/$name.exit")
    [ "$rc" = "$want_rc" ] || problems+=("exit status $rc, expected $want_rc")
    if ! cmp -s "$TMP/$name.got" "$errors_dir/$name.expected"; then
      problems+=("stderr differs:" "$(diff -u "$errors_dir/$name.expected" "$TMP/$name.got" |
        head -n 30)")
    fi
  fi
  if [ "$rc" = 2 ] || [ "$rc" = 3 ]; then
    left=$(cd "$out" && find . -mindepth 1 ! -path ./out | sort)
    [ -z "$left" ] || problems+=("exit status $rc but files were left behind:" "$left")
  fi

  if [ "${#problems[@]}" -eq 0 ]; then
    pass "$label"
  else
    fail "$label" "${problems[@]}"
  fi
done
finish
