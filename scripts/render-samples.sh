#!/usr/bin/env bash
# scripts/render-samples.sh OUTDIR - render every sample (see scripts/samples.sh) into
# OUTDIR and say what was written. Used by `make demo`. VANBAN overrides the binary.
# Exit status 1 if any render failed (the others are still made).
set -u
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 1
. scripts/samples.sh
vanban=${VANBAN:-build/release/vanban}
outdir=${1%/}
if [ ! -x "$vanban" ]; then
  echo "render-samples: no executable at $vanban (run make first)" >&2
  exit 1
fi
mkdir -p "$outdir"

plan=$(samples_plan "$outdir")
if [ -z "$plan" ]; then
  echo "render-samples: no samples with awards yet (samples/*.yaml with an awards: section)"
  exit 0
fi

pages() {
  if command -v pdfinfo >/dev/null 2>&1; then
    pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'
  fi
}

status=0
nfiles=0
while IFS=$'\t' read -r -a f; do
  label=${f[0]} kind=${f[1]} output=${f[2]}
  args=("${f[@]:3}")
  samples_prepare "$kind" "$output"
  echo "vanban ${args[*]} -o '$output'"
  if ! "$vanban" "${args[@]}" -o "$output"; then
    echo "render-samples: $label ($kind) failed" >&2
    status=1
  fi
  mapfile -t written < <(samples_outputs "$kind" "$output")
  nfiles=$((nfiles + ${#written[@]}))
  if [ "$kind" = split ]; then
    [ "${#written[@]}" -eq 0 ] ||
      echo "  wrote ${output%/*}/: ${#written[@]} files (${written[0]##*/} ... ${written[-1]##*/})"
  else
    for w in ${written[@]+"${written[@]}"}; do
      p=$(pages "$w")
      echo "  wrote $w${p:+ ($p pages)}"
    done
  fi
done <<<"$plan"
echo "render-samples: $nfiles PDF files in $outdir/"
exit "$status"
