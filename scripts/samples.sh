# scripts/samples.sh - which renders "every sample" means; sourced by
# scripts/render-samples.sh and tests/run-samples.sh (run from the repository root).
#
# samples_plan OUTDIR prints one line per render, fields separated by tabs:
#   label  kind  output  arg...
# kind is "file" (one combined PDF) or "split" (one PDF per record; output is the
# -o pattern and its folder must exist). The renders:
#   - samples/X.yaml or X.json with an `awards:` section:
#       vanban certificates samples/X.yaml -o OUTDIR/X-giay-khen.pdf
#       vanban certificates samples/X.yaml -o 'OUTDIR/X/{stt}-{ten}.pdf'
#   - samples/X.csv with an organization file samples/X.org.yaml (or samples/X-org.yaml):
#       vanban certificates samples/X.csv --org samples/X.org.yaml -o OUTDIR/X-giay-khen.pdf
#     and the split form likewise. A CSV without one is read through the
#     `recipients_csv:` of some YAML sample instead.

samples_has_awards() {
  case $1 in
    *.json) grep -q '"awards"[[:space:]]*:' "$1" ;;
    *) grep -qE '^[[:space:]-]*awards:' "$1" ;;
  esac
}

samples_plan() {
  local outdir=$1 f x org
  for f in samples/*.yaml samples/*.yml samples/*.json; do
    [ -f "$f" ] || continue
    samples_has_awards "$f" || continue
    x=${f##*/}
    x=${x%.*}
    printf '%s\tfile\t%s\t%s\t%s\n' "$x" "$outdir/$x-giay-khen.pdf" certificates "$f"
    printf '%s\tsplit\t%s\t%s\t%s\n' "$x" "$outdir/$x/{stt}-{ten}.pdf" certificates "$f"
  done
  for f in samples/*.csv; do
    [ -f "$f" ] || continue
    x=${f##*/}
    x=${x%.csv}
    org=
    [ -f "samples/$x.org.yaml" ] && org=samples/$x.org.yaml
    [ -z "$org" ] && [ -f "samples/$x-org.yaml" ] && org=samples/$x-org.yaml
    [ -n "$org" ] || continue
    printf '%s\tfile\t%s\t%s\t%s\t%s\t%s\n' "$x" "$outdir/$x-giay-khen.pdf" \
      certificates "$f" --org "$org"
    printf '%s\tsplit\t%s\t%s\t%s\t%s\t%s\n' "$x" "$outdir/$x/{stt}-{ten}.pdf" \
      certificates "$f" --org "$org"
  done
}

# samples_prepare KIND OUTPUT: remove what an earlier run left (split names are made
# unique with -2, -3..., so old files would shift the new ones) and create the folder.
samples_prepare() {
  local kind=$1 output=$2
  if [ "$kind" = split ]; then
    rm -rf "${output%/*}"
    mkdir -p "${output%/*}"
  else
    mkdir -p "${output%/*}"
    rm -f "$output"
  fi
}

# samples_outputs KIND OUTPUT: the PDF files a render wrote, one per line.
samples_outputs() {
  local kind=$1 output=$2
  if [ "$kind" = split ]; then
    find "${output%/*}" -maxdepth 1 -type f -name '*.pdf' | sort
  elif [ -f "$output" ]; then
    printf '%s\n' "$output"
  fi
}
