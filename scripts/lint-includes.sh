#!/usr/bin/env bash
# scripts/lint-includes.sh - the include rules of STYLE.md §1, checked by `make lint`.
#
# 1. Direction. A file in src/<stage>/ includes project headers only from the stages
#    it may see (src/cli/ sees all). Stages, in pipeline order, and what each may include:
#      base     base
#      input    base input
#      records  base input records
#      display  base display            (a display list never points back into records)
#      layout   base input records display layout   (layout writes display lists)
#      backend  base display backend    (backend never sees records, templates or Pango)
#      conformance  base display conformance  (reads display lists, as a backend does)
#      cli      every stage             (the command line wires them all)
# 2. A <stage>-private.h is included only from its own stage.
# 3. Third-party headers stay where they belong:
#      <libfyaml.h>     src/input/yaml.c
#      <pango/...>      src/layout/flow.c, src/layout/fonts*.c (and fonts*.h)
#      <cairo*.h>       src/backend/cairo.c
#      <hpdf*.h>        src/backend/haru.c
#      <libdeflate.h>   src/backend/deflate.c
#      <librsvg/...>    src/display/image.c, src/display/imagelibs.c, src/backend/cairo.c
# Prints one line per violation (file:line: message) and exits 1 if there are any.
set -u
cd "$(dirname "$0")/.." || exit 1

declare -A allowed=(
  [base]="base"
  [input]="base input"
  [records]="base input records"
  [display]="base display"
  [layout]="base input records display layout"
  [backend]="base display backend"
  [conformance]="base display conformance"
  [cli]="base input records display layout backend conformance cli"
  [main]="base input records display layout backend conformance cli"
)

# third_party_ok HEADER FILE: 0 if FILE may include <HEADER>.
# Sets `where` to the files that may include it.
third_party_ok() {
  local h=$1 f=$2
  case $h in
    libfyaml.h) where="src/input/yaml.c"; [[ $f == src/input/yaml.c ]] ;;
    pango/*) where="src/layout/flow.c, src/layout/fonts*.c"
      [[ $f == src/layout/flow.c || $f == src/layout/fonts*.[ch] ]] ;;
    cairo*.h | cairo/*) where="src/backend/cairo.c"; [[ $f == src/backend/cairo.c ]] ;;
    hpdf*.h) where="src/backend/haru.c"; [[ $f == src/backend/haru.c ]] ;;
    libdeflate.h) where="src/backend/deflate.c"; [[ $f == src/backend/deflate.c ]] ;;
    librsvg/*) where="src/display/image.c, src/display/imagelibs.c, src/backend/cairo.c"
      [[ $f == src/display/image.c || $f == src/display/imagelibs.c || $f == src/backend/cairo.c ]] ;;
    *) return 0 ;;
  esac
}

errors=0
report() {
  echo "$1"
  errors=$((errors + 1))
}

shopt -s nullglob
files=(src/*.c src/*.h src/*/*.c src/*/*.h)
nfiles=0
for f in "${files[@]}"; do
  nfiles=$((nfiles + 1))
  case $f in
    src/*/*) stage=${f#src/}; stage=${stage%%/*} ;;
    *) stage=main ;;
  esac
  if [ -z "${allowed[$stage]+x}" ]; then
    report "$f:1: unknown stage '$stage' (expected one of: ${!allowed[*]})"
    continue
  fi
  dir=${f%/*}
  while IFS=: read -r lineno text; do
    if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
      inc=${BASH_REMATCH[1]}
      target=$(realpath -m --relative-to=. "$dir/$inc")
      [ -e "$target" ] || [ ! -e "src/$inc" ] || target=$(realpath -m --relative-to=. "src/$inc")
      case $target in
        src/*/*) tstage=${target#src/}; tstage=${tstage%%/*} ;;
        *) continue ;; # not a project header under src/<stage>/ (e.g. a generated file)
      esac
      if [[ " ${allowed[$stage]} " != *" $tstage "* ]]; then
        report "$f:$lineno: includes \"$inc\" from stage '$tstage'; $stage may include only: ${allowed[$stage]}"
      elif [[ $target == *-private.h && $tstage != "$stage" ]]; then
        report "$f:$lineno: includes \"$inc\", private to stage '$tstage'"
      fi
    elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
      inc=${BASH_REMATCH[1]}
      third_party_ok "$inc" "$f" ||
        report "$f:$lineno: <$inc> may be included only in $where"
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f")
done

if [ "$errors" -gt 0 ]; then
  echo "lint-includes: $errors problem(s) in $nfiles files"
  exit 1
fi
echo "lint-includes: $nfiles files OK"
