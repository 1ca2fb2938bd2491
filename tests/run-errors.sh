#!/usr/bin/env bash
# tests/run-errors.sh - diagnostics tests (STYLE.md §8, level 5). For each
# tests/errors/<name>.cmd (one line of arguments, shell words, run from tests/errors/):
#   <name>.expected   stderr, compared exactly
#   <name>.exit       the exit status, a number
# The string @OUT@ in the command is replaced with a fresh empty folder (holding an
# empty out/ subfolder, so both `-o @OUT@/<name>.pdf` and `-o @OUT@/out/<name>.pdf`
# work); in stderr that folder's path is written back as @OUT@ before comparing. When
# the exit status is 2 or 3 nothing may be left in that folder (DESIGN.md: a failure
# writes nothing). Optional:
#   <name>.left       what must be left in that folder, one line per file (sorted):
#                     `./NAME pages=N` (N from pdfinfo; `pages=?` without pdfinfo or for
#                     a file that is not a PDF); an empty file means nothing at all,
#                     e.g. for --fail-fast (exit 1, nothing written)
# vanban runs with VANBAN_DATA=../.. (the tree's layouts and fonts by a relative path,
# so paths in messages are stable). UPDATE=1 rewrites .expected and .exit, and .left
# where it exists.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban errors

errors_dir=$TOP/tests/errors
if ! compgen -G "$errors_dir/*.cmd" >/dev/null; then
  skip errors "no tests/errors/*.cmd yet"
  finish
fi

# left_now DIR: the files under DIR (but the empty out/ folder made for the test),
# each with its page count.
left_now() {
  local f pages
  (cd "$1" && find . -mindepth 1 ! -path ./out ! -type d | LC_ALL=C sort) |
    while IFS= read -r f; do
      pages='?'
      if have pdfinfo && [ "$(head -c 5 "$1/$f")" = "%PDF-" ]; then
        pages=$(pdfinfo "$1/$f" 2>/dev/null | awk '$1 == "Pages:" {print $2}')
      fi
      printf '%s pages=%s\n' "$f" "${pages:-?}"
    done
}

for cmdfile in "$errors_dir"/*.cmd; do
  name=${cmdfile##*/}
  name=${name%.cmd}
  label="errors/$name"
  out=$TMP/$name
  mkdir -p "$out/out"
  line=$(head -n 1 "$cmdfile")
  line=${line//@OUT@/$out}
  args=()
  eval "args=($line)"
  rc=0
  (cd "$errors_dir" && VANBAN_DATA=../.. "$VANBAN" "${args[@]}") >"$TMP/$name.stdout" \
    2>"$TMP/$name.stderr" </dev/null || rc=$?
  # Put the placeholder back so the golden does not depend on the temp folder.
  sed "s|$out|@OUT@|g" "$TMP/$name.stderr" >"$TMP/$name.got"

  left_now "$out" >"$TMP/$name.left"
  if [ "$UPDATE" = 1 ]; then
    cp "$TMP/$name.got" "$errors_dir/$name.expected"
    echo "$rc" >"$errors_dir/$name.exit"
    [ ! -f "$errors_dir/$name.left" ] || cp "$TMP/$name.left" "$errors_dir/$name.left"
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
  if [ -f "$errors_dir/$name.left" ] && ! cmp -s "$TMP/$name.left" "$errors_dir/$name.left"; then
    problems+=("files left differ from $name.left:"
      "$(diff -u "$errors_dir/$name.left" "$TMP/$name.left" | head -n 20)")
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
