#!/usr/bin/env bash
# scripts/bench.sh - `make bench`: wall time, pages per second and peak RSS of
# `vanban certificates` for generated recipient lists (DESIGN.md "Scale", STYLE.md §5).
# Generates one YAML file per size in a temporary folder (realistic Vietnamese names
# with diacritics, positions, units, some collectives and some long reasons), renders
# each size as one combined PDF and the sizes in BENCH_SPLIT_SIZES also as one PDF per
# recipient ('{stt}-{ten}.pdf'), each under /usr/bin/time -v, and prints the peak RSS
# ratio between the largest and the smallest combined size (target: at most 1.2).
# hyperfine, if installed, repeats the combined runs up to BENCH_HYPERFINE_MAX.
# Then `vanban minutes` of long meetings (scripts/make-minutes.py, party form) of about
# BENCH_MINUTES_PAGES pages ("10 40 160"): whole-process time (hyperfine's mean when
# installed, else the best of 5 runs), its user (CPU) time, milliseconds per page, and
# the marginal cost of a page between sizes, wall and user (linear growth: about the
# same figure each step). Target: under 60 ms for 40 pages on one core. BENCH_MINUTES_ONLY=1 skips the
# certificates; BENCH_MINUTES_RUNS (10) sets hyperfine's runs.
# Ratios (issue 11), each against a reference run of the same invocation: the
# BENCH_RATIO_SIZE (1000) certificates as one file each against the same in one PDF
# (BENCH_RATIO_RUNS alternating runs, median of the CPU and wall ratios; target
# <= 10), --jobs 2 against --jobs 1 beside a calibration of the machine's cores
# (two one-PDF runs side by side against one after the other), and, through
# hyperfine, `vanban --version` (target <= 3 ms) and one certificate's whole process
# against REF_CERT, bench/ref-cert.c, a minimal pangocairo page (target <= 0.7x).
# Last, the backends (issue 10): the BENCH_BACKENDS_SIZE (1000) certificates in one PDF
# and minutes of BENCH_BACKENDS_PAGES (40) pages through cairo and through haru: time,
# file size and the haru/cairo ratios (target: time within 1.5x); BENCH_BACKENDS_ONLY=1
# runs only these. Then the bulletin (issue 9): a 16-page issue of 20 articles and 20
# JPEG photos (scripts/make-bulletin.py) through cairo and haru on one core, hyperfine
# and callgrind (target: under 150 ms); BENCH_BULLETIN_ONLY=1 runs only this.
# Environment: VANBAN (build/release/vanban), BENCH_SIZES ("1000 10000"),
# BENCH_SPLIT_SIZES ("1000"), BENCH_HYPERFINE_MAX (1000), BENCH_KEEP=DIR (copy the
# generated YAML files there).
set -eu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=0
vanban=${VANBAN:-build/release/vanban}
sizes=${BENCH_SIZES:-1000 10000}
split_sizes=${BENCH_SPLIT_SIZES:-1000}
hf_max=${BENCH_HYPERFINE_MAX:-1000}

if [ ! -x "$vanban" ]; then
  echo "bench: no executable at $vanban (run make first)" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (run scripts/install-deps.sh)" >&2
  exit 1
fi
vanban=$(cd "${vanban%/*}" && pwd)/${vanban##*/}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# make_yaml N FILE: one state organization (layout giay-khen), one event, one award
# with N recipients: about 5% collectives, 10% with a long reason of their own.
make_yaml() {
  local n=$1 file=$2
  cat >"$file" <<'YAML'
organization:
  name: Ủy ban nhân dân phường Mai Dịch
  kind: state
  symbol: UBND
  superior: Ủy ban nhân dân quận Cầu Giấy
  place: Mai Dịch
  signer: {name: Phạm Văn Lợi, position: Chủ tịch}
events:
  - id: 2024-12-20-tong-ket
    kind: hội nghị
    title: Hội nghị tổng kết phong trào thi đua năm 2024
    starts: 2024-12-20T08:00+07:00
    venue: Hội trường Ủy ban nhân dân phường Mai Dịch
    awards:
      - form: giấy khen
        title: Khen thưởng phong trào thi đua năm 2024
        reason: đã có thành tích xuất sắc trong phong trào thi đua yêu nước năm 2024
        decision: {number: 125/QĐ-UBND, date: 2024-12-15}
        date: 2024-12-20
        recipients:
YAML
  awk -v n="$n" 'BEGIN {
    srand(20241220)
    nf = split("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai Tạ Quách Khổng Ông", fam, " ")
    nm = split("Văn Hữu Đức Minh Quốc Thanh Công Xuân Hoài Tấn Đình Trọng Khắc", male_mid, " ")
    nw = split("Thị Thị Ngọc Thu Kim Thanh Mỹ Hồng Bích Thùy Diễm Tuyết", fem_mid, " ")
    ng = split("An Bình Cường Dũng Hải Hùng Khánh Long Nam Phúc Quân Sơn Tâm Thắng Tuấn Việt Vinh Đạt Hiếu Lộc Thịnh Nghĩa Khải", male, " ")
    nh = split("Anh Hà Hạnh Hòa Hương Lan Linh Mai Nga Ngọc Nhung Phương Thảo Trang Uyên Yến Diệp Loan Trinh Ánh Thủy Thuỷ Oanh", fem, " ")
    np = split("Tổ trưởng Tổ dân phố|Tổ phó Tổ dân phố|Bí thư Chi bộ|Phó Bí thư Chi bộ|Chi hội trưởng Chi hội Phụ nữ|Trưởng Ban công tác Mặt trận|Giáo viên|Cán bộ Trạm Y tế phường|Công chức Văn phòng - Thống kê|Chiến sĩ Công an phường|Đoàn viên Chi đoàn|Hội viên Hội Cựu chiến binh", pos, "|")
    nc = split("Tổ dân phố số %d|Trường Mầm non Mai Dịch|Trường Tiểu học Mai Dịch|Trạm Y tế phường Mai Dịch|Chi hội Phụ nữ Tổ dân phố số %d|Ban công tác Mặt trận Tổ dân phố số %d|Công an phường Mai Dịch|Chi đoàn Tổ dân phố số %d", coll, "|")
    nr = split("đã hoàn thành xuất sắc nhiệm vụ năm 2024, tích cực tham gia vận động Nhân dân giữ gìn vệ sinh môi trường, trật tự an toàn xã hội và xây dựng nếp sống văn minh đô thị trên địa bàn tổ dân phố|đã có nhiều đóng góp trong công tác chăm sóc sức khỏe ban đầu cho Nhân dân, phòng chống dịch sốt xuất huyết và tiêm chủng mở rộng trên địa bàn phường năm 2024|đã có thành tích xuất sắc trong phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”, vận động các hộ gia đình đóng góp quỹ “Vì người nghèo” và xây dựng khu dân cư kiểu mẫu|đã tích cực tham gia giữ gìn an ninh trật tự, phát hiện và tố giác tội phạm, góp phần xây dựng phường an toàn", reason, "|")
    for (i = 1; i <= n; i++) {
      if (rand() < 0.05) {
        c = sprintf(coll[int(rand() * nc) + 1], int(rand() * 24) + 1)
        line = "          - {collective: \"" c "\""
      } else {
        f = fam[int(rand() * nf) + 1]
        if (rand() < 0.5) {
          name = f " " male_mid[int(rand() * nm) + 1] " " male[int(rand() * ng) + 1]; g = "nam"
        } else {
          name = f " " fem_mid[int(rand() * nw) + 1] " " fem[int(rand() * nh) + 1]; g = "nữ"
        }
        if (rand() < 0.03) { name = "Công Tằng Tôn Nữ Thị Kiều " fem[int(rand() * nh) + 1]; g = "nữ" }
        line = sprintf("          - {name: %s, gender: %s, position: \"%s\", unit: \"Tổ dân phố số %d\"",
          name, g, pos[int(rand() * np) + 1], int(rand() * 24) + 1)
      }
      if (rand() < 0.10) line = line ", reason: \"" reason[int(rand() * nr) + 1] "\""
      printf "%s, book_no: \"%d\"}\n", line, 300 + i
    }
  }' >>"$file"
}

# measure LABEL ARGS...: run vanban under /usr/bin/time -v; sets secs, usr (user
# seconds) and rss (kB).
measure() {
  local label=$1
  shift
  if ! /usr/bin/time -v -o "$tmp/time.txt" "$vanban" "$@" >/dev/null 2>"$tmp/err.txt"; then
    echo "bench: $label failed:" >&2
    head -n 20 "$tmp/err.txt" >&2
    exit 1
  fi
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
    "$tmp/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  usr=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tmp/time.txt")
}

pdf_pages() {
  if command -v pdfinfo >/dev/null 2>&1; then
    pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'
  fi
}

# row N FORM PAGES: one line of the table from secs and rss.
row() {
  printf '%-10s %-9s %7s %9.2f %9.1f %12s\n' "$1" "$2" "$3" "$secs" \
    "$(awk -v p="$3" -v s="$secs" 'BEGIN {print (s > 0 ? p / s : 0)}')" "$rss"
}

# hf_ms CMD: hyperfine's mean wall and user times of CMD in ms ("WALL USER"), or, without
# hyperfine, the best wall and best user time of 5 runs under /usr/bin/time.
hf_ms() {
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs "${BENCH_MINUTES_RUNS:-10}" --style none \
      --export-json "$tmp/hf.json" "$1" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%.1f %.1f" % (r["mean"]*1000, r["user"]*1000))' "$tmp/hf.json"
  else
    local t='' u='' _
    for _ in 1 2 3 4 5; do
      # shellcheck disable=SC2086
      measure minutes ${1#"$vanban" }
      t=$(awk -v a="$t" -v b="$secs" 'BEGIN {b *= 1000; print (a == "" || b < a) ? b : a}')
      u=$(awk -v a="$u" -v b="$usr" 'BEGIN {b *= 1000; print (a == "" || b < a) ? b : a}')
    done
    echo "$t $u"
  fi
}

minutes_bench() {
  local target n pages t
  # wall: whole process (mean); user: its CPU time (steadier on a shared machine);
  # marginal: extra ms per extra page from the previous size, wall and user (linear
  # growth: about the same figure each step)
  printf '\n%-8s %-9s %6s %9s %8s %8s %13s\n' minutes speeches pages "wall ms" "user ms" \
    "ms/page" "marginal w/u"
  local prev_p=0 prev_t=0 prev_u=0
  for target in ${BENCH_MINUTES_PAGES:-10 40 160}; do
    # about 2 speeches a page; one correction from the pages the first try made
    n=$((target * 2))
    python3 scripts/make-minutes.py "$n" party >"$tmp/min.yaml"
    "$vanban" minutes "$tmp/min.yaml" -o "$tmp/min.pdf" -q
    pages=$(pdf_pages "$tmp/min.pdf")
    if [ -n "$pages" ] && [ "$pages" -gt 0 ]; then
      n=$(((n * target + pages / 2) / pages))
      python3 scripts/make-minutes.py "$n" party >"$tmp/min-$target.yaml"
      "$vanban" minutes "$tmp/min-$target.yaml" -o "$tmp/min.pdf" -q
      pages=$(pdf_pages "$tmp/min.pdf")
    else
      cp "$tmp/min.yaml" "$tmp/min-$target.yaml"
      pages=$target
    fi
    read -r t u <<<"$(hf_ms "$vanban minutes $tmp/min-$target.yaml -o $tmp/min.pdf -q")"
    awk -v n="$n" -v p="$pages" -v t="$t" -v u="$u" -v pp="$prev_p" -v pt="$prev_t" \
      -v pu="$prev_u" 'BEGIN {
      m = pp > 0 ? sprintf("%.2f/%.2f", (t - pt) / (p - pp), (u - pu) / (p - pp)) : "-"
      printf "%-8s %-9d %6d %9.1f %8.1f %8.2f %13s\n", "", n, p, t, u, t / p, m }'
    prev_p=$pages
    prev_t=$t
    prev_u=$u
  done
  command -v hyperfine >/dev/null 2>&1 || echo "bench: hyperfine not installed; minutes times are the best of 5 runs"
}

# ---- ratios (issue 11): each target measured against a reference run of the same
# invocation, so that a loaded or slower machine moves both sides alike.

# cpu_secs LABEL CMD...: runs CMD (output discarded) under /usr/bin/time; sets secs
# (wall) and cpu (user + system seconds).
cpu_secs() {
  local label=$1
  shift
  if ! /usr/bin/time -f '%e %U %S' -o "$tmp/t.txt" "$@" >/dev/null 2>"$tmp/err.txt"; then
    echo "bench: $label failed:" >&2
    head -n 20 "$tmp/err.txt" >&2
    exit 1
  fi
  read -r secs u s <"$tmp/t.txt"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')
}

# median of the numbers on stdin
median() { sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

ratio_bench() {
  local n=${BENCH_RATIO_SIZE:-1000} runs=${BENCH_RATIO_RUNS:-3} i
  [ -f "$tmp/big-$n.yaml" ] || make_yaml "$n" "$tmp/big-$n.yaml"
  printf '\n%s\n' "one file per recipient vs one PDF ($n certificates, $runs alternating runs; CPU = user + system)"
  printf '%-6s %10s %10s %10s %10s %8s %8s\n' run "split s" "split CPU" "one s" "one CPU" "CPU x" "wall x"
  : >"$tmp/rcpu"
  : >"$tmp/rwall"
  for i in $(seq "$runs"); do
    rm -rf "$tmp/split"
    cpu_secs "split $n" "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/split/{stt}-{ten}.pdf" -q
    local ss=$secs sc=$cpu
    cpu_secs "combined $n" "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/x.pdf" -q
    awk -v a="$sc" -v b="$cpu" 'BEGIN {print a / b}' >>"$tmp/rcpu"
    awk -v a="$ss" -v b="$secs" 'BEGIN {print a / b}' >>"$tmp/rwall"
    printf '%-6s %10.2f %10.2f %10.2f %10.2f %8.2f %8.2f\n' "$i" "$ss" "$sc" "$secs" "$cpu" \
      "$(tail -n 1 "$tmp/rcpu")" "$(tail -n 1 "$tmp/rwall")"
  done
  printf 'split/one median: CPU %.2fx, wall %.2fx (target <= 10)\n' \
    "$(median <"$tmp/rcpu")" "$(median <"$tmp/rwall")"
  rm -rf "$tmp/split" "$tmp/x.pdf"

  # --jobs 2: worth it only where two processes run side by side as fast as one.
  # Calibration: two one-PDF runs at once against the same two one after the other.
  local t0 t1 seq par
  t0=$(date +%s.%N)
  "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/a.pdf" -q
  "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/b.pdf" -q
  t1=$(date +%s.%N)
  seq=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  t0=$(date +%s.%N)
  "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/a.pdf" -q &
  "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/b.pdf" -q
  wait
  t1=$(date +%s.%N)
  par=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  rm -f "$tmp/a.pdf" "$tmp/b.pdf"
  rm -rf "$tmp/split"
  cpu_secs "split --jobs 1" "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/split/{stt}-{ten}.pdf" -q --jobs 1
  local j1=$secs
  rm -rf "$tmp/split"
  cpu_secs "split --jobs 2" "$vanban" certificates "$tmp/big-$n.yaml" -o "$tmp/split/{stt}-{ten}.pdf" -q --jobs 2
  local j2=$secs
  rm -rf "$tmp/split"
  awk -v s="$seq" -v p="$par" -v a="$j1" -v b="$j2" -v n="$(nproc 2>/dev/null || echo '?')" 'BEGIN {
    printf "--jobs 2, %s files: %.2f s against %.2f s for --jobs 1: %.2fx\n", '"$n"', b, a, a / b
    printf "  this machine (%s cores): two one-PDF runs side by side %.2f s, one after the other %.2f s: the cores give %.2fx\n", n, p, s, s / p
    printf "  (--jobs 2 is near 2x where the cores give near 2x; compare the two figures)\n" }'
}

start_bench() {
  local ref=${REF_CERT:-}
  printf '\n%s\n' "start-up and one certificate (whole process, hyperfine means)"
  make_yaml 1 "$tmp/one.yaml"
  if ! command -v hyperfine >/dev/null 2>&1; then
    echo "bench: hyperfine not installed; start-up figures skipped"
    return
  fi
  if [ -z "$ref" ] || [ ! -x "$ref" ]; then
    echo "bench: no reference program (REF_CERT; make bench builds build/release/ref-cert)"
    return
  fi
  hyperfine -N --warmup 5 --runs "${BENCH_START_RUNS:-40}" --style none --export-json "$tmp/start.json" \
    "$vanban --version" \
    "$ref $PWD/fonts $tmp/ref.pdf" \
    "$vanban certificates $tmp/one.yaml -o $tmp/one.pdf -q" >/dev/null 2>&1
  python3 - "$tmp/start.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ver, ref, one = (x["mean"] * 1000 for x in r)
print("%-44s %8.2f ms (target <= 3)" % ("vanban --version", ver))
print("%-44s %8.2f ms" % ("reference: minimal pangocairo page (ref-cert)", ref))
print("%-44s %8.2f ms: %.2fx the reference (target <= 0.7)" % ("vanban certificates, one recipient", one, one / ref))
PY
}

# ---- backends (issue 10): the 1,000-certificate batch in one PDF and the 40-page
# minutes through cairo and through haru (libharu, every stream Flate-compressed):
# whole-process time (hyperfine mean and user time of BENCH_MINUTES_RUNS runs, else
# the best of 5), the file's size, and haru/cairo. Target: haru within 1.5x of cairo.
backends_bench() {
  local n=${BENCH_BACKENDS_SIZE:-1000} target=${BENCH_BACKENDS_PAGES:-40} speeches pages
  [ -f "$tmp/big-$n.yaml" ] || make_yaml "$n" "$tmp/big-$n.yaml"
  # about 2 speeches a page; one correction from the pages the first try made
  speeches=$((target * 2))
  python3 scripts/make-minutes.py "$speeches" party >"$tmp/bmin.yaml"
  "$vanban" minutes "$tmp/bmin.yaml" -o "$tmp/bmin.pdf" -q
  pages=$(pdf_pages "$tmp/bmin.pdf")
  if [ -n "$pages" ] && [ "$pages" -gt 0 ] && [ "$pages" -ne "$target" ]; then
    speeches=$(((speeches * target + pages / 2) / pages))
    python3 scripts/make-minutes.py "$speeches" party >"$tmp/bmin.yaml"
  fi
  printf '\n%s\n' "backends: cairo and haru (haru: Flate on every stream; wall = hyperfine mean, user = CPU)"
  printf '%-28s %-6s %6s %9s %9s %11s\n' run backend pages "wall ms" "user ms" bytes
  local what kind input label be t u sz p
  for what in certificates minutes; do
    if [ "$what" = certificates ]; then
      kind=certificates input=$tmp/big-$n.yaml label="$n certificates, one PDF"
    else
      kind=minutes input=$tmp/bmin.yaml label="minutes ($speeches speeches)"
    fi
    for be in cairo haru; do
      read -r t u <<<"$(hf_ms "$vanban $kind $input --backend $be -o $tmp/be-$be.pdf -q")"
      "$vanban" "$kind" "$input" --backend "$be" -o "$tmp/be-$be.pdf" -q
      sz=$(stat -c %s "$tmp/be-$be.pdf")
      p=$(pdf_pages "$tmp/be-$be.pdf")
      printf '%-28s %-6s %6s %9.1f %9.1f %11d\n' "$label" "$be" "${p:-?}" "$t" "$u" "$sz"
      eval "t_$be=\$t u_$be=\$u s_$be=\$sz"
    done
    # shellcheck disable=SC2154 # set by the eval above
    awk -v tc="$t_cairo" -v th="$t_haru" -v uc="$u_cairo" -v uh="$u_haru" -v sc="$s_cairo" \
      -v sh="$s_haru" -v l="$label" 'BEGIN {
      printf "%-28s haru/cairo: wall %.2fx, user %.2fx, size %.2fx (target: time <= 1.5x)\n",
        l, th / tc, uh / uc, sh / sc }'
  done
  rm -f "$tmp/be-cairo.pdf" "$tmp/be-haru.pdf" "$tmp/bmin.pdf"
}

# ---- bulletin (issue 9): a 16-page issue of BENCH_BULLETIN_ARTICLES (20) articles with
# one JPEG photo each (distinct files drawn here with ImageMagick, 1200 x 800;
# JPEGs are embedded as they are, so no photo is decoded), generated by
# scripts/make-bulletin.py with the paragraphs per article that come nearest to
# BENCH_BULLETIN_PAGES (16) pages. Whole process on one core (taskset -c 0 when
# there is one): hyperfine mean and user time of BENCH_MINUTES_RUNS runs (else the
# best of 5), and the instructions of one run under callgrind when valgrind is
# installed. Target: under 150 ms.
bulletin_bench() {
  local n=${BENCH_BULLETIN_ARTICLES:-20} target=${BENCH_BULLETIN_PAGES:-16} i k best=0 bestd=999
  local dir=$tmp/bulletin pages t u be
  mkdir -p "$dir/anh"
  if ! command -v convert >/dev/null 2>&1; then
    echo "bench: ImageMagick 'convert' is missing; bulletin skipped"
    return
  fi
  for i in $(seq -f %02g "$n"); do
    local hue=$((10#$i * 37 % 360))
    convert -size 1200x800 "gradient:hsl($hue,60%,75%)-hsl($(((hue + 40) % 360)),50%,35%)" \
      -fill "hsl($(((hue + 180) % 360)),70%,45%)" \
      -draw "rectangle $((10#$i * 20)),100 $((10#$i * 20 + 500)),420" \
      -fill '#e8c39e' -draw 'circle 800,500 880,500' -fill '#1f1a17' -draw 'rectangle 0,640 1200,800' \
      -quality 86 -sampling-factor 2x2 "$dir/anh/p$i.jpg"
  done
  for k in 1 2 3 4 5 6 7 8; do
    python3 scripts/make-bulletin.py "$n" "$k" >"$dir/b.yaml"
    "$vanban" bulletin "$dir/b.yaml" --month 2024-11 -o "$dir/b.pdf" -q
    pages=$(pdf_pages "$dir/b.pdf")
    [ -n "$pages" ] || break
    local d=$((pages > target ? pages - target : target - pages))
    if [ "$d" -lt "$bestd" ]; then best=$k bestd=$d; fi
    [ "$pages" -lt "$target" ] || break
  done
  [ "$best" -gt 0 ] || best=4
  python3 scripts/make-bulletin.py "$n" "$best" >"$dir/b.yaml"
  local one=''
  taskset -c 0 true 2>/dev/null && one='taskset -c 0 '
  printf '\n%s\n' "bulletin: $n articles, $n JPEG photos (1200 x 800), ${one:+one core, }whole process"
  printf '%-7s %6s %7s %9s %9s %14s %11s\n' backend pages photos "wall ms" "user ms" instructions bytes
  for be in cairo haru; do
    read -r t u <<<"$(hf_ms "$one$vanban bulletin $dir/b.yaml --month 2024-11 --backend $be -o $dir/b.pdf -q")"
    "$vanban" bulletin "$dir/b.yaml" --month 2024-11 --backend "$be" -o "$dir/b.pdf" -q
    pages=$(pdf_pages "$dir/b.pdf")
    local jpg='?' ir='-'
    command -v pdfimages >/dev/null 2>&1 &&
      jpg=$(pdfimages -list "$dir/b.pdf" | awk 'NR > 2 && $3 == "image" && $9 == "jpeg"' | wc -l)
    if command -v valgrind >/dev/null 2>&1; then
      valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$vanban" bulletin "$dir/b.yaml" \
        --month 2024-11 --backend "$be" -o "$dir/b.pdf" -q >/dev/null 2>"$dir/cg.txt" &&
        ir=$(awk '/Collected :/ {print $NF}' "$dir/cg.txt")
    fi
    printf '%-7s %6s %7s %9.1f %9.1f %14s %11d\n' "$be" "${pages:-?}" "$jpg" "$t" "$u" "$ir" \
      "$(stat -c %s "$dir/b.pdf")"
  done
  echo "(target: under 150 ms for the whole process; photos listed as jpeg by pdfimages: embedded as they are)"
  if [ -n "${BENCH_KEEP:-}" ]; then
    mkdir -p "$BENCH_KEEP/bulletin"
    cp -r "$dir/b.yaml" "$dir/anh" "$BENCH_KEEP/bulletin/"
  fi
}

if [ "${BENCH_BULLETIN_ONLY:-0}" = 1 ]; then
  bulletin_bench
  exit 0
fi

if [ "${BENCH_BACKENDS_ONLY:-0}" = 1 ]; then
  backends_bench
  exit 0
fi

if [ "${BENCH_MINUTES_ONLY:-0}" = 1 ]; then
  minutes_bench
  exit 0
fi

declare -A rss_of
printf '%-10s %-9s %7s %9s %9s %12s\n' recipients form pages seconds pages/s "peak RSS kB"
for n in $sizes $split_sizes; do
  [ -f "$tmp/big-$n.yaml" ] || make_yaml "$n" "$tmp/big-$n.yaml"
done
for n in $sizes; do
  measure "$n combined" certificates "$tmp/big-$n.yaml" -o "$tmp/x.pdf"
  pages=$(pdf_pages "$tmp/x.pdf")
  row "$n" combined "${pages:-$n}"
  rss_of[$n]=$rss
  rm -f "$tmp/x.pdf"
done
for n in $split_sizes; do
  rm -rf "$tmp/split"
  mkdir -p "$tmp/split"
  measure "$n split" certificates "$tmp/big-$n.yaml" -o "$tmp/split/{stt}-{ten}.pdf"
  files=$(find "$tmp/split" -name '*.pdf' | wc -l)
  row "$n" split "$files"
  rm -rf "$tmp/split"
done

read -r -a list <<<"$sizes"
if [ "${#list[@]}" -ge 2 ]; then
  lo=${list[0]} hi=${list[-1]}
  awk -v a="${rss_of[$hi]}" -v b="${rss_of[$lo]}" -v hi="$hi" -v lo="$lo" 'BEGIN {
      printf "peak RSS ratio %s/%s (combined): %.2f (target <= 1.20)\n", hi, lo, a / b }'
fi

if [ -n "${BENCH_KEEP:-}" ]; then
  mkdir -p "$BENCH_KEEP"
  cp "$tmp"/big-*.yaml "$BENCH_KEEP"/
fi

if command -v hyperfine >/dev/null 2>&1; then
  for n in $sizes; do
    [ "$n" -le "$hf_max" ] || continue
    hyperfine --warmup 1 --runs 5 --style basic \
      --command-name "certificates $n combined" \
      "$vanban certificates $tmp/big-$n.yaml -o $tmp/x.pdf"
  done
else
  echo "bench: hyperfine not installed; timings above are single runs"
fi

ratio_bench
start_bench
minutes_bench
backends_bench
bulletin_bench
