# scripts/samples.sh - which renders "every sample" means; sourced by
# scripts/render-samples.sh and tests/run-samples.sh (run from the repository root).
#
# samples_plan OUTDIR prints one line per render, fields separated by tabs:
#   label  kind  output  arg...
# kind is "file" (one combined PDF) or "split" (one PDF per record; output is the
# -o pattern and its folder must exist). The renders:
#   - each event file (samples/X.yaml, .yml or .json with an `awards:` section, except
#     the organization files samples/org-*.yaml):
#       vanban certificates samples/X.yaml -o OUTDIR/X-giay-khen.pdf
#       vanban certificates samples/X.yaml -o 'OUTDIR/X/{stt}-{ten}.pdf'
#   - each samples/X.csv that an organization file samples/org-*.yaml names (in a
#     comment or a field; a CSV named only by an event's `recipients_csv:` is rendered
#     through that event):
#       vanban certificates samples/X.csv --org samples/org-Y.yaml -o OUTDIR/X-giay-khen.pdf
#     and the split form likewise.
#   - the minutes of each event file (the layout follows organization.kind: bien-ban
#     for state, front and union, bien-ban-dang for party):
#       vanban minutes samples/X.yaml -o OUTDIR/X-bien-ban.pdf
#   - each bulletin folder samples/ban-tin*/ for the month its first record names:
#       vanban bulletin samples/ban-tin --month YYYY-MM -o OUTDIR/ban-tin-YYYY-MM.pdf

samples_has_awards() {
  case $1 in
    *.json) grep -q '"awards"[[:space:]]*:' "$1" ;;
    *) grep -qE '^[[:space:]-]*awards:' "$1" ;;
  esac
}

# samples_event_files: the event files with awards, one per line.
samples_event_files() {
  local f
  for f in samples/*.yaml samples/*.yml samples/*.json; do
    [ -f "$f" ] || continue
    case ${f##*/} in org-*) continue ;; esac
    samples_has_awards "$f" && printf '%s\n' "$f"
  done
  return 0
}

# samples_org_for CSV: the organization file samples/org-*.yaml that names CSV, if any.
samples_org_for() {
  local csv=${1##*/} f
  for f in samples/org-*.yaml samples/org-*.yml samples/org-*.json; do
    if [ -f "$f" ] && grep -qF "$csv" "$f"; then
      printf '%s\n' "$f"
      return 0
    fi
  done
  return 0
}

samples_plan() {
  local outdir=$1 f x org
  for f in $(samples_event_files); do
    x=${f##*/}
    x=${x%.*}
    printf '%s\tfile\t%s\t%s\t%s\n' "$x" "$outdir/$x-giay-khen.pdf" certificates "$f"
    printf '%s\tsplit\t%s\t%s\t%s\n' "$x" "$outdir/$x/{stt}-{ten}.pdf" certificates "$f"
    printf '%s\tfile\t%s\t%s\t%s\n' "$x" "$outdir/$x-bien-ban.pdf" minutes "$f"
  done
  local d m
  for d in samples/ban-tin*/; do
    [ -d "$d" ] || continue
    m=$(grep -rhoE '^[[:space:]]*starts:[[:space:]]*[0-9]{4}-[0-9]{2}' "$d" | head -n 1 |
      grep -oE '[0-9]{4}-[0-9]{2}')
    [ -n "$m" ] || continue
    x=${d%/}
    x=${x##*/}
    printf '%s\tfile\t%s\t%s\t%s\t%s\t%s\n' "$x" "$outdir/$x-$m.pdf" bulletin "${d%/}" --month "$m"
  done
  for f in samples/*.csv; do
    [ -f "$f" ] || continue
    x=${f##*/}
    org=$(samples_org_for "$f")
    [ -n "$org" ] || continue
    x=${x%.csv}
    printf '%s\tfile\t%s\t%s\t%s\t%s\t%s\n' "$x" "$outdir/$x-giay-khen.pdf" \
      certificates --org "$org" "$f"
    printf '%s\tsplit\t%s\t%s\t%s\t%s\t%s\n' "$x" "$outdir/$x/{stt}-{ten}.pdf" \
      certificates --org "$org" "$f"
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
