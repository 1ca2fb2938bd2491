#!/usr/bin/env bash
# tests/run-errors.sh - diagnostics tests (STYLE.md §8, level 5): the bad-input corpus.
# For each tests/errors/<name>.cmd (one line of arguments, shell words, run from
# tests/errors/):
#   <name>.expected   stderr, compared exactly
#   <name>.exit       the exit status, a number
# The string @OUT@ in the command is replaced with a fresh empty folder (holding an
# empty out/ subfolder, so both `-o @OUT@/<name>.pdf` and `-o @OUT@/out/<name>.pdf`
# work), and @IN@ with another fresh folder for inputs made by <name>.setup; in stderr
# those folders' paths are written back as @OUT@ and @IN@ before comparing.
# Optional:
#   <name>.setup      bash run in @IN@ before the command (symbolic links, FIFOs,
#                     unreadable files, copies to be named as outputs); $ERRORS is
#                     tests/errors, $VANBAN the binary
#   <name>.left       what must be left in @OUT@, one line per file (sorted):
#                     `./NAME pages=N` (N from pdfinfo; `pages=?` without pdfinfo or for
#                     a file that is not a PDF), `./DIR/` for a folder with nothing in it
# Checked for every case (DESIGN.md: a failure writes nothing, no file is replaced):
#   - @OUT@ holds exactly what <name>.left says; without a .left, nothing at all
#     (no file, no folder but the empty out/);
#   - no temporary (.NAME.XXXXXX) is left in @OUT@, @IN@, tests/errors or tests/cases-src;
#   - no input changed: tests/errors, tests/cases-src and @IN@ (after the setup) have
#     the same files, sizes, times and inodes after the run as before.
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
# each with its page count, and the folders with nothing in them.
left_now() {
  local f pages
  (cd "$1" && { find . -mindepth 1 ! -path ./out ! -type d; \
    find . -mindepth 1 ! -path ./out -type d -empty -printf '%p/\n'; } | LC_ALL=C sort) |
    while IFS= read -r f; do
      case $f in */) printf '%s\n' "$f"; continue ;; esac
      pages='?'
      if have pdfinfo && [ "$(head -c 5 "$1/$f")" = "%PDF-" ]; then
        pages=$(pdfinfo "$1/$f" 2>/dev/null | awk '$1 == "Pages:" {print $2}')
      fi
      printf '%s pages=%s\n' "$f" "${pages:-?}"
    done
}

# snapshot DIR...: every file under the DIRs with its size, time and inode, and every
# folder (not its time: a temporary made and removed beside an input changes that).
snapshot() {
  find "$@" \( -type d -printf '%p/\n' \) -o -printf '%p %y %s %T@ %i\n' 2>/dev/null |
    LC_ALL=C sort
}

# temps DIR...: temporaries of an output (.NAME.XXXXXX) left under the DIRs.
temps() {
  find "$@" -name '.*.??????' 2>/dev/null | LC_ALL=C sort
}

cases_src=$TOP/tests/cases-src
for cmdfile in "$errors_dir"/*.cmd; do
  name=${cmdfile##*/}
  name=${name%.cmd}
  label="errors/$name"
  out=$TMP/$name
  in=$TMP/$name.in
  mkdir -p "$out/out" "$in"
  problems=()
  if [ -f "$errors_dir/$name.setup" ]; then
    (cd "$in" && ERRORS=$errors_dir VANBAN=$VANBAN bash -e "$errors_dir/$name.setup") ||
      problems+=("$name.setup failed")
  fi
  line=$(head -n 1 "$cmdfile")
  line=${line//@OUT@/$out}
  line=${line//@IN@/$in}
  args=()
  eval "args=($line)"
  before=$(snapshot "$errors_dir" "$cases_src" "$in")
  rc=0
  (cd "$errors_dir" && VANBAN_DATA=../.. "$VANBAN" "${args[@]}") >"$TMP/$name.stdout" \
    2>"$TMP/$name.stderr" </dev/null || rc=$?
  after=$(snapshot "$errors_dir" "$cases_src" "$in")
  # Put the placeholders back so the golden does not depend on the temp folders.
  sed -e "s|$in|@IN@|g" -e "s|$out|@OUT@|g" "$TMP/$name.stderr" >"$TMP/$name.got"

  left_now "$out" >"$TMP/$name.left"
  if [ "$UPDATE" = 1 ]; then
    cp "$TMP/$name.got" "$errors_dir/$name.expected"
    echo "$rc" >"$errors_dir/$name.exit"
    [ ! -f "$errors_dir/$name.left" ] || cp "$TMP/$name.left" "$errors_dir/$name.left"
    pass "$label (updated)"
    continue
  fi

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
  want_left=/dev/null
  [ ! -f "$errors_dir/$name.left" ] || want_left=$errors_dir/$name.left
  if ! cmp -s "$TMP/$name.left" "$want_left"; then
    problems+=("files left differ from ${want_left##*/}:"
      "$(diff -u "$want_left" "$TMP/$name.left" | head -n 20)")
  fi
  if [ "$rc" = 2 ] || [ "$rc" = 3 ]; then
    left=$(cd "$out" && find . -mindepth 1 ! -path ./out | sort)
    [ -z "$left" ] || problems+=("exit status $rc but files were left behind:" "$left")
  fi
  left=$(temps "$out" "$in" "$errors_dir" "$cases_src")
  [ -z "$left" ] || problems+=("temporary files left:" "$left")
  if [ "$before" != "$after" ]; then
    problems+=("an input changed:" "$(diff <(echo "$before") <(echo "$after") | head -n 10)")
  fi

  if [ "${#problems[@]}" -eq 0 ]; then
    pass "$label"
  else
    fail "$label" "${problems[@]}"
  fi
done
ncases=$(compgen -G "$errors_dir/*.cmd" | wc -l)
echo "errors: $ncases cases"
finish
