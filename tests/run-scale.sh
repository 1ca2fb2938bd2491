#!/usr/bin/env bash
# tests/run-scale.sh - start-up and large runs, through the real CLI:
#   - librsvg and gdk-pixbuf are opened only when a record's layout draws an image
#     (src/display/imagelibs.c), and then SVG and JPEG emblems still render;
#   - one file per recipient gives, file for file, what the same records give alone
#     (the per-run caches change no byte);
#   - a batch run as 4 shards under GNU parallel, each shard with its own manifest,
#     gives exactly the single-process output: same names, same sha256, no record
#     twice or missed (doc/large-runs.md).
#   - flat memory: `check` of a recipient list of VANBAN_SCALE_ROWS rows (200,000) peaks
#     within 1.2 times the resident memory of the same command on 10,000 rows (under a
#     sanitizer build, whose allocator keeps freed memory, only the messages are checked,
#     on 2,000 and 20,000 rows); an error in the list's second last row is located
#     exactly (file:line:column), and so is a bad cell in row 999,999 of a million;
#   - flat memory while writing: one PDF, one file per recipient (with a pattern that
#     names each file apart and with one that can repeat a name), --jobs 3 with a
#     manifest (every file listed once, in name order), PDF files one each: peak RSS of
#     the larger run within 1.2 times the smaller's.
# Speed itself is measured in `make bench` (scripts/bench.sh), never here.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban scale
cd "$TOP" || exit 1

sample=samples/phuong-mai-dich.yaml

# loaded_libs LOG: the image libraries the dynamic loader opened, per LD_DEBUG=files.
loaded_libs() {
  grep -oE 'file=lib(rsvg-2|gdk_pixbuf-2\.0)\.so[.0-9]*' "$1" | sed 's/^file=//' | sort -u |
    tr '\n' ' '
}

# ---- image libraries on demand
# Under ASan these runs skip leak checking: LeakSanitizer's tracer crashed (SIGSEGV) once
# under LD_DEBUG in scale/jpeg-emblem; the same commands are leak-checked elsewhere.
NOLEAK=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
rc=0
env "$NOLEAK" LD_DEBUG=files "$VANBAN" certificates "$sample" -o "$TMP/plain.pdf" 2>"$TMP/ld.log" || rc=$?
libs=$(loaded_libs "$TMP/ld.log")
if [ "$rc" -ne 0 ]; then
  fail scale/no-image-libs "exit status $rc" "$(grep -v '^ *[0-9]*:' "$TMP/ld.log" | head -5)"
elif [ -n "$libs" ]; then
  fail scale/no-image-libs "a certificate without images loaded: $libs"
elif ! grep -q 'file=libpango-1.0' "$TMP/ld.log"; then
  fail scale/no-image-libs "LD_DEBUG=files printed nothing: cannot tell what was loaded"
else
  pass scale/no-image-libs
fi

# emblem FILE: the sample with org.emblem set to FILE (beside it in $TMP).
emblem_records() {
  sed "s|^  symbol: UBND|  symbol: UBND\n  emblem: $1|" "$sample" >"$TMP/emblem.yaml"
}

# The emblem files: a red disc with a yellow star as SVG, a blue JPEG.
cat >"$TMP/quoc-huy.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="48" fill="#da251d"/>
  <path d="M50 12 L61 41 L92 41 L67 60 L76 90 L50 72 L24 90 L33 60 L8 41 L39 41 Z"
        fill="#ffcd00"/>
</svg>
SVG
have_jpeg=0
if have convert && convert -size 120x120 xc:'#1f4fbf' "$TMP/emblem.jpg" 2>/dev/null; then
  have_jpeg=1
fi

# red_emblem PDF: 0 when the page at 20 dpi has strongly red pixels near its top
# centre, where the layout puts the emblem (the border is gold and dark red).
emblem_drawn() {
  local png=$TMP/emblem-page
  pdftoppm -r 20 -f 1 -l 1 -png "$1" "$png" || return 1
  python3 - "$png-1.png" "$2" <<'PY' 2>/dev/null || return 1
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
want = sys.argv[2]
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, t = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if t == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        bpp = {2: 3, 6: 4}[ctype]
    elif t == b'IDAT':
        idat += body
    pos += 12 + n
raw, stride, prev, rows, off = zlib.decompress(idat), w * bpp, None, [], 0
for y in range(h):
    f, line = raw[off], bytearray(raw[off + 1:off + 1 + stride]); off += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i] if prev else 0
        c = prev[i - bpp] if prev and i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
hits = 0
# where giay-khen.yaml puts the Quốc huy: left of the header lines (x 34-64 mm of
# 297, y 14-40 mm of 210)
for y in range(h * 14 // 210, h * 40 // 210):
    for x in range(w * 34 // 297, w * 64 // 297):
        r, g, b = rows[y][x * bpp:x * bpp + 3]
        if want == 'red' and r > 180 and g < 90 and b < 90: hits += 1
        if want == 'blue' and b > 150 and r < 80 and g < 120: hits += 1
sys.exit(0 if hits >= 4 else 1)
PY
}

# image_case NAME FILE LIB COLOUR: the emblem FILE draws (COLOUR pixels where it
# goes), and the loader opened LIB for it ('': no image library at all).
image_case() {
  local name=$1 file=$2 lib=$3 colour=$4
  emblem_records "$file"
  rc=0
  env "$NOLEAK" LD_DEBUG=files "$VANBAN" certificates "$TMP/emblem.yaml" -o "$TMP/$name.pdf" \
    2>"$TMP/ld.log" || rc=$?
  libs=$(loaded_libs "$TMP/ld.log")
  if [ "$rc" -ne 0 ]; then
    fail "scale/$name" "exit status $rc" "$(grep -v '^ *[0-9]*:' "$TMP/ld.log" | head -5)"
  elif [ -z "$lib" ] && [ -n "$libs" ]; then
    fail "scale/$name" "expected no image library to be loaded, got: $libs"
  elif [ -n "$lib" ] && [[ " $libs " != *" $lib"* ]]; then
    fail "scale/$name" "expected $lib to be loaded, got: ${libs:-nothing}"
  elif ! have pdftoppm; then
    skip "scale/$name" "pdftoppm not installed"
  elif ! emblem_drawn "$TMP/$name.pdf" "$colour"; then
    fail "scale/$name" "no $colour emblem where giay-khen.yaml puts it (left of the header)"
  else
    pass "scale/$name"
  fi
}

image_case svg-emblem quoc-huy.svg librsvg-2.so red
if [ "$have_jpeg" -eq 1 ]; then
  # a JPEG in a PDF is embedded as it is: not decoded, gdk-pixbuf not even loaded
  image_case jpeg-emblem emblem.jpg '' blue
  if have pdfimages && ! pdfimages -list "$TMP/jpeg-emblem.pdf" | grep -q ' jpeg '; then
    fail scale/jpeg-kept "the JPEG emblem is not embedded as JPEG (DCTDecode)"
  else
    pass scale/jpeg-kept
  fi
else
  skip scale/jpeg-emblem "ImageMagick's convert cannot make a JPEG"
fi

# ---- a batch as 4 shards under GNU parallel (doc/large-runs.md)
# batch_records N FILE: one award with N recipients (some names repeat, some collectives).
batch_records() {
  cat >"$2" <<'YAML'
organization:
  name: Ủy ban nhân dân phường Hà Khánh
  kind: state
  symbol: UBND
  superior: Ủy ban nhân dân thành phố Hạ Long
  place: Hạ Long
  signer: {name: Vũ Thị Thanh Hằng, position: Chủ tịch}
events:
  - id: 2024-12-18-tong-ket
    kind: hội nghị
    title: Hội nghị tổng kết công tác năm 2024
    starts: 2024-12-18T14:00+07:00
    awards:
      - form: giấy khen
        title: Khen thưởng năm 2024
        reason: đã có thành tích xuất sắc trong công tác năm 2024
        decision: {number: 87/QĐ-UBND, date: 2024-12-16}
        recipients:
YAML
  awk -v n="$1" 'BEGIN {
    split("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Ngô", fam, " ")
    split("Văn Thị Minh Thu Đức Ngọc Hữu Thanh", mid, " ")
    split("An Bình Hà Hương Long Mai Nam Thảo Tuấn Yến Đạt Ánh", giv, " ")
    for (i = 1; i <= n; i++) {
      if (i % 13 == 0)
        printf "          - {collective: \"Tổ dân phố số %d\"}\n", i % 9 + 1
      else
        printf "          - {name: %s %s %s, gender: %s, position: Tổ trưởng, unit: \"Tổ %d\"}\n",
          fam[i % 10 + 1], mid[i % 8 + 1], giv[i % 12 + 1], i % 2 ? "nam" : "nữ", i % 7 + 1
    }
  }' >>"$2"
}

# sha_list DIR: "name sha256" of every PDF under DIR, sorted.
sha_list() {
  (cd "$1" && find . -name '*.pdf' | sed 's|^\./||' | sort | while read -r f; do
    printf '%s %s\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"
  done)
}

# manifest_list DIR FILE...: "name sha256" of every line of the manifests, names
# relative to DIR, sorted (duplicates kept).
manifest_list() {
  local dir=$1
  shift
  cat "$@" | sed -E 's/.*"output":"([^"]*)".*"sha256":"([0-9a-f]*)".*/\1 \2/' |
    sed "s|^$dir/||" | sort
}

if ! have parallel; then
  skip scale/shards-parallel "GNU parallel is not installed (scripts/install-deps.sh)"
else
  batch_records 61 "$TMP/batch.yaml"
  rc=0
  "$VANBAN" certificates "$TMP/batch.yaml" --manifest "$TMP/one.jsonl" \
    -o "$TMP/one/{stt}-{ten}.pdf" 2>"$TMP/one.err" || rc=$?
  mkdir -p "$TMP/shards"
  prc=0
  parallel --will-cite --halt now,fail=1 -j 4 \
    "$VANBAN" certificates "$TMP/batch.yaml" --shard {}/4 --manifest "$TMP/shards/m{}.jsonl" \
    -o "'$TMP/shards/out/{stt}-{ten}.pdf'" 2>"$TMP/parallel.err" ::: 1 2 3 4 || prc=$?
  one=$(sha_list "$TMP/one")
  union=$(sha_list "$TMP/shards/out")
  listed=$(manifest_list "$TMP/shards/out" "$TMP"/shards/m[1-4].jsonl)
  # the record numbers ({stt}) the shards rendered, once each, 1..61
  stts=$(printf '%s\n' "$listed" | cut -d- -f1 | sed 's/^0*//' | sort -n | tr '\n' ' ')
  want=$(seq 1 61 | tr '\n' ' ')
  dups=$(printf '%s\n' "$listed" | cut -d' ' -f1 | sort | uniq -d | head -3 | tr '\n' ' ')
  if [ "$rc" -ne 0 ] || [ "$prc" -ne 0 ]; then
    fail scale/shards-parallel "exit status $rc (one process), $prc (parallel)" \
      "$(head -5 "$TMP/one.err" "$TMP/parallel.err")"
  elif [ "$(printf '%s\n' "$one" | wc -l)" -ne 61 ]; then
    fail scale/shards-parallel "the single process wrote $(printf '%s\n' "$one" | wc -l) files, not 61"
  elif [ "$one" != "$union" ]; then
    fail scale/shards-parallel "the shards' files differ from the single process's:" \
      "$(diff <(printf '%s\n' "$one") <(printf '%s\n' "$union") | head -6)"
  elif [ -n "$dups" ]; then
    fail scale/shards-parallel "rendered twice: $dups"
  elif [ "$stts" != "$want" ]; then
    fail scale/shards-parallel "the manifests list records $stts" "expected $want"
  elif [ "$listed" != "$union" ]; then
    fail scale/shards-parallel "the manifests do not match the files written:" \
      "$(diff <(printf '%s\n' "$listed") <(printf '%s\n' "$union") | head -6)"
  elif [ "$(manifest_list "$TMP/one" "$TMP/one.jsonl")" != "$one" ]; then
    fail scale/shards-parallel "the single process's manifest does not match its files"
  else
    pass scale/shards-parallel
  fi

  # --shard-from-env: the shard of a Kubernetes Indexed Job pod (index 0-based)
  rc=0
  JOB_COMPLETION_INDEX=2 "$VANBAN" certificates "$TMP/batch.yaml" --shard-from-env 4 \
    --manifest "$TMP/env.jsonl" -o "$TMP/env/{stt}-{ten}.pdf" 2>"$TMP/env.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail scale/shard-from-env "exit status $rc" "$(head -3 "$TMP/env.err")"
  elif [ "$(manifest_list "$TMP/env" "$TMP/env.jsonl")" != \
    "$(manifest_list "$TMP/shards/out" "$TMP/shards/m3.jsonl")" ]; then
    fail scale/shard-from-env "JOB_COMPLETION_INDEX=2 did not give shard 3/4's files"
  else
    pass scale/shard-from-env
  fi
  rc=0
  (unset JOB_COMPLETION_INDEX; "$VANBAN" certificates "$TMP/batch.yaml" --shard-from-env 4 \
    -o "$TMP/noenv/{stt}.pdf") 2>"$TMP/noenv.err" || rc=$?
  if [ "$rc" -ne 2 ] || ! grep -q 'JOB_COMPLETION_INDEX is not set' "$TMP/noenv.err" ||
    [ -e "$TMP/noenv" ]; then
    fail scale/shard-from-env-unset "exit status $rc" "$(head -3 "$TMP/noenv.err")"
  else
    pass scale/shard-from-env-unset
  fi
fi

# ---- flat memory over long lists (scripts/make-recipients-csv.py)
sanitized=0
case $VANBAN in */asan/*) sanitized=1 ;; esac
small=10000 big=${VANBAN_SCALE_ROWS:-200000}
[ "$sanitized" -eq 0 ] || small=2000 big=20000
org=samples/org-phuong-ha-khanh.yaml

# peak_rss FILE: the "Maximum resident set size" of a /usr/bin/time -v report, in kB.
peak_rss() {
  awk -F': *' '/Maximum resident set size/ {print $2}' "$1"
}

if ! have python3 || [ ! -x /usr/bin/time ]; then
  skip scale/flat-check "needs python3 and /usr/bin/time (scripts/install-deps.sh)"
else
  python3 scripts/make-recipients-csv.py "$small" "$TMP/small.csv"
  # the second last row is bad: the record fails (exit 1), the others are laid out
  python3 scripts/make-recipients-csv.py --bad-row $((big - 1)) "$big" "$TMP/big.csv"
  rc_s=0 rc_b=0
  /usr/bin/time -v -o "$TMP/small.time" "$VANBAN" check --org "$org" "$TMP/small.csv" \
    2>"$TMP/small.err" || rc_s=$?
  /usr/bin/time -v -o "$TMP/big.time" "$VANBAN" check --org "$org" "$TMP/big.csv" \
    2>"$TMP/big.err" || rc_b=$?
  want="$TMP/big.csv:$big:17: error: 'khác' is not a gender"
  if [ "$rc_s" -ne 0 ] || [ "$rc_b" -ne 1 ]; then
    fail scale/flat-check "exit status $rc_s ($small rows), $rc_b ($big rows, one bad)" \
      "$(head -3 "$TMP/small.err" "$TMP/big.err")"
  elif ! grep -qF "$want" "$TMP/big.err" || ! grep -q '^vanban: 1 record failed' "$TMP/big.err"; then
    fail scale/flat-check "expected '$want' and 1 record failed:" "$(head -5 "$TMP/big.err")"
  elif [ "$sanitized" -eq 1 ]; then
    pass "scale/flat-check (messages only: a sanitizer's allocator keeps freed memory)"
  else
    a=$(peak_rss "$TMP/small.time") b=$(peak_rss "$TMP/big.time")
    if awk -v a="$a" -v b="$b" 'BEGIN { exit !(b <= 1.2 * a) }'; then
      pass "scale/flat-check ($small rows: $a kB, $big rows: $b kB)"
    else
      fail scale/flat-check "peak RSS $b kB for $big rows, more than 1.2 x $a kB for $small rows"
    fi
  fi
  rm -f "$TMP/big.csv"

  # a bad cell in row 999,999 of a million: the list is refused at once, at that row
  python3 scripts/make-recipients-csv.py --extra-cell 999999 1000000 "$TMP/million.csv"
  rc=0
  "$VANBAN" check --org "$org" "$TMP/million.csv" 2>"$TMP/million.err" || rc=$?
  want="$TMP/million.csv:1000000:44: error: row has 7 fields but the header has 6"
  if [ "$rc" -ne 2 ] || ! grep -qF "$want" "$TMP/million.err"; then
    fail scale/locate-million "exit status $rc, expected 2 and '$want'" \
      "$(head -3 "$TMP/million.err")"
  else
    pass scale/locate-million
  fi
  rm -f "$TMP/million.csv"

  # ---- flat memory while writing: the peak RSS of the bigger run stays within 1.2
  # times that of the smaller, for one PDF (2,000 and 20,000 pages), one file per
  # recipient (1,000 and 10,000 files: the journal and the name set of
  # src/cli/journal.c), the same with a pattern that can repeat a name, and with
  # --jobs 3 and a manifest (which must list every file once, in name order). Files one
  # each are written in the trace format (the same bookkeeping as PDF, in a fraction of
  # the time); PDF files one each (300 and 2,400) bound what cairo keeps per file.
  # VANBAN_SCALE_WRITE="2000 20000 1000 10000 300 2400" sets the sizes.
  set -- ${VANBAN_SCALE_WRITE:-2000 20000 1000 10000 300 2400}
  [ "$sanitized" -eq 0 ] || set -- 200 1000 200 1000 50 200
  ps=$1 pb=$2 ws=$3 wb=$4 es=$5 eb=$6
  # write_rss NAME SMALL BIG OPTION...: `certificates` of lists of SMALL and of BIG
  # recipients with the options ('@' in them stands for NAME-SIZE); checks the exit
  # status and the ratio of the peak RSS, and leaves the outputs behind.
  write_rss() {
    local name=$1 small=$2 big=$3 size rc a b
    shift 3
    for size in "$small" "$big"; do
      [ -f "$TMP/rows-$size.csv" ] ||
        python3 scripts/make-recipients-csv.py "$size" "$TMP/rows-$size.csv"
      local args=()
      for a in "$@"; do args+=("${a//@/$name-$size}"); done
      rc=0
      /usr/bin/time -v -o "$TMP/$name-$size.time" "$VANBAN" certificates --org "$org" \
        "$TMP/rows-$size.csv" "${args[@]}" 2>"$TMP/$name-$size.err" || rc=$?
      if [ "$rc" -ne 0 ]; then
        fail "scale/$name" "exit status $rc for $size recipients" \
          "$(head -3 "$TMP/$name-$size.err")"
        return 1
      fi
    done
    if [ "$sanitized" -eq 1 ]; then
      pass "scale/$name (exit status only: a sanitizer's allocator keeps freed memory)"
      return 0
    fi
    a=$(peak_rss "$TMP/$name-$small.time") b=$(peak_rss "$TMP/$name-$big.time")
    if awk -v a="$a" -v b="$b" 'BEGIN { exit !(b <= 1.2 * a) }'; then
      pass "scale/$name ($small: $a kB, $big: $b kB)"
    else
      fail "scale/$name" "peak RSS $b kB for $big recipients, more than 1.2 x $a kB for $small"
      return 1
    fi
  }
  # manifest_ok NAME DIR COUNT: the manifest @.jsonl lists every file under DIR exactly
  # once, in name order, with its sha256
  manifest_ok() {
    local name=$1 dir=$2 count=$3 listed files
    listed=$(sed -E 's/.*"output":"([^"]*)".*"sha256":"([0-9a-f]*)".*/\1 \2/' "$TMP/$name.jsonl" |
      sed "s|^$dir/||")
    files=$(cd "$dir" && find . -type f | sed 's|^\./||' | sort | xargs sha256sum |
      awk '{print $2, $1}')
    if [ "$(printf '%s\n' "$listed" | wc -l)" -ne "$count" ]; then
      fail "scale/$name-manifest" "$(printf '%s\n' "$listed" | wc -l) lines, not $count"
    elif ! printf '%s\n' "$listed" | LC_ALL=C sort -c 2>/dev/null; then
      fail "scale/$name-manifest" "the lines are not in name order"
    elif [ "$listed" != "$files" ]; then
      fail "scale/$name-manifest" "the manifest does not list the files written:" \
        "$(diff <(printf '%s\n' "$listed") <(printf '%s\n' "$files") | head -4)"
    else
      pass "scale/$name-manifest"
    fi
  }
  if write_rss flat-one-pdf "$ps" "$pb" -o "$TMP/@.pdf"; then
    rm -f "$TMP/flat-one-pdf-$ps.pdf" "$TMP/flat-one-pdf-$pb.pdf"
  fi
  if write_rss flat-each "$ws" "$wb" -o "$TMP/@/{stt}-{ten}.trace"; then
    n=$(find "$TMP/flat-each-$wb" -type f | wc -l)
    [ "$n" -eq "$wb" ] || fail scale/flat-each-count "$n files, expected $wb"
  fi
  rm -rf "$TMP/flat-each-$ws" "$TMP/flat-each-$wb"
  # a pattern that can repeat a name: every name remembered (8 bytes each)
  if write_rss flat-each-ten "$ws" "$wb" -o "$TMP/@/{ten}.trace"; then
    n=$(find "$TMP/flat-each-ten-$wb" -type f | wc -l)
    d=$(find "$TMP/flat-each-ten-$wb" -type f -name '*-2.trace' | wc -l)
    if [ "$n" -ne "$wb" ] || [ "$d" -eq 0 ]; then
      fail scale/flat-each-ten-names "$n files (expected $wb), $d numbered -2 (expected some)"
    else
      pass scale/flat-each-ten-names
    fi
  fi
  rm -rf "$TMP/flat-each-ten-$ws" "$TMP/flat-each-ten-$wb"
  # the names given kept in a file past VANBAN_NAMES_MEMORY (512 bytes: 32 names in
  # memory, then a table file that doubles twice or more): the same names, in the same
  # order, as with the names in memory; --jobs 2 too; the table file goes at the end
  names_dir="$TMP/names-tmp"
  mkdir -p "$names_dir"
  [ -f "$TMP/rows-$ws.csv" ] || python3 scripts/make-recipients-csv.py "$ws" "$TMP/rows-$ws.csv"
  names_ok=1
  for v in mem file jobs; do
    case $v in
    mem) envs=() opts=() ;;
    file) envs=(VANBAN_NAMES_MEMORY=512) opts=() ;;
    jobs) envs=(VANBAN_NAMES_MEMORY=512) opts=(--jobs 2) ;;
    esac
    rc=0
    env "${envs[@]}" TMPDIR="$names_dir" "$VANBAN" certificates -q --org "$org" \
      "$TMP/rows-$ws.csv" "${opts[@]}" --manifest "$TMP/names-$v.jsonl" \
      -o "$TMP/names-$v/{ten}.trace" 2>"$TMP/names-$v.err" || rc=$?
    sed -E "s|\"output\":\"[^\"]*/names-$v/|\"output\":\"|" "$TMP/names-$v.jsonl" >"$TMP/names-$v.n"
    if [ "$rc" -ne 0 ]; then
      fail scale/names-file "$v: exit status $rc" "$(head -3 "$TMP/names-$v.err")"
      names_ok=0
    elif [ "$(wc -l <"$TMP/names-$v.n")" -ne "$ws" ] ||
      [ "$(find "$TMP/names-$v" -type f | wc -l)" -ne "$ws" ]; then
      fail scale/names-file "$v: $(wc -l <"$TMP/names-$v.n") lines, expected $ws"
      names_ok=0
    elif [ "$v" != mem ] && ! cmp -s "$TMP/names-mem.n" "$TMP/names-$v.n"; then
      fail scale/names-file "$v: the manifest differs from the names kept in memory:" \
        "$(diff "$TMP/names-mem.n" "$TMP/names-$v.n" | head -4)"
      names_ok=0
    fi
  done
  if [ "$names_ok" -eq 1 ]; then
    left=$(ls -A "$names_dir")
    if [ -n "$left" ]; then
      fail scale/names-file "left in TMPDIR: $left"
    elif [ "$(grep -c -- '-[0-9]*\.trace' "$TMP/names-mem.n")" -lt 10 ]; then
      fail scale/names-file "fewer than 10 numbered names: the list does not repeat names"
    else
      pass "scale/names-file ($ws names, 32 in memory, the rest in a file)"
    fi
  fi
  rm -rf "$TMP"/names-*
  if write_rss flat-jobs "$ws" "$wb" --jobs 3 --manifest "$TMP/@.jsonl" \
    -o "$TMP/@/{stt}-{ten}.trace"; then
    manifest_ok "flat-jobs-$wb" "$TMP/flat-jobs-$wb" "$wb"
  fi
  rm -rf "$TMP/flat-jobs-$ws" "$TMP/flat-jobs-$wb"
  write_rss flat-each-pdf "$es" "$eb" -o "$TMP/@/{stt}-{ten}.pdf"
  rm -rf "$TMP"/flat-each-pdf-* "$TMP"/rows-*.csv
fi

finish
