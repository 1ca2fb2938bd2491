#!/usr/bin/env bash
# scripts/bench.sh - `make bench`: certificates for 1,000 and 10,000 recipients.
# Generates a YAML file of realistic Vietnamese names per size in a temporary folder,
# renders it as one combined PDF and split into one PDF per recipient, each under
# /usr/bin/time -v, and prints pages per second and peak RSS; then the RSS ratio
# between the largest and the smallest size (memory should stay flat: DESIGN.md
# "Scale", STYLE.md §5). hyperfine, if installed, times the combined form of the
# sizes up to BENCH_HYPERFINE_MAX.
# Environment: VANBAN (build/release/vanban), BENCH_SIZES ("1000 10000"),
# BENCH_HYPERFINE_MAX (1000).
set -eu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=0
vanban=${VANBAN:-build/release/vanban}
sizes=${BENCH_SIZES:-1000 10000}
hf_max=${BENCH_HYPERFINE_MAX:-1000}

if [ ! -x "$vanban" ]; then
  echo "bench: no executable at $vanban (run make first)" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
vanban=$(cd "${vanban%/*}" && pwd)/${vanban##*/}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# make_yaml N FILE: one organization, one event, one award with N recipients.
make_yaml() {
  local n=$1 file=$2
  cat >"$file" <<'YAML'
organization:
  name: Đảng ủy Phường 11
  kind: party
  symbol: ĐU
  superior: Đảng bộ Quận 3
  place: Phường 11
  signer: {name: Bùi Thị Nhẫn, position: Bí thư, authority: T/M ĐẢNG ỦY}
events:
  - id: 2024-12-20-tong-ket
    kind: hội nghị
    title: Hội nghị tổng kết công tác xây dựng Đảng năm 2024
    starts: 2024-12-20T08:00+07:00
    venue: Hội trường Đảng ủy Phường 11
    awards:
      - form: giấy khen
        title: Điển hình "Dân vận khéo" năm 2024
        reason: đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm 2024
        decision: {number: 125-QĐ/ĐU, date: 2024-12-15}
        date: 2024-12-20
        recipients:
YAML
  awk -v n="$n" 'BEGIN {
    srand(20241220)
    nf = split("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai", fam, " ")
    nm = split("Văn Hữu Đức Minh Quốc Thanh Công Xuân Hoài Tấn", male_mid, " ")
    nw = split("Thị Thị Ngọc Thu Kim Thanh Mỹ Hồng Bích Thùy", fem_mid, " ")
    ng = split("An Bình Cường Dũng Hải Hùng Khánh Long Nam Phúc Quân Sơn Tâm Thắng Tuấn Việt Vinh Đạt Hiếu Lộc", male, " ")
    nh = split("Anh Hà Hạnh Hòa Hương Lan Linh Mai Nga Ngọc Nhung Phương Thảo Trang Uyên Yến Diệp Loan Trinh Ánh", fem, " ")
    np = split("Tổ trưởng tổ dân phố|Tổ phó tổ dân phố|Bí thư chi bộ|Phó Bí thư chi bộ|Chi hội trưởng Phụ nữ|Trưởng Ban công tác Mặt trận|Đảng viên|Đoàn viên", pos, "|")
    for (i = 1; i <= n; i++) {
      f = fam[int(rand() * nf) + 1]
      if (rand() < 0.5) {
        name = f " " male_mid[int(rand() * nm) + 1] " " male[int(rand() * ng) + 1]; g = "nam"
      } else {
        name = f " " fem_mid[int(rand() * nw) + 1] " " fem[int(rand() * nh) + 1]; g = "nữ"
      }
      printf "          - {name: %s, gender: %s, position: %s, unit: Khu phố %d, book_no: \"%d\"}\n",
        name, g, pos[int(rand() * np) + 1], int(rand() * 12) + 1, i
    }
  }' >>"$file"
}

# measure LABEL ARGS...: run vanban under /usr/bin/time -v; sets secs and rss.
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
}

pdf_pages() {
  if command -v pdfinfo >/dev/null 2>&1; then
    pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'
  fi
}

declare -A rss_of
printf '%-10s %-9s %7s %9s %9s %12s\n' recipients form pages seconds pages/s "peak RSS kB"
for n in $sizes; do
  make_yaml "$n" "$tmp/big-$n.yaml"

  measure "$n combined" certificates "$tmp/big-$n.yaml" -o "$tmp/x.pdf"
  pages=$(pdf_pages "$tmp/x.pdf")
  pages=${pages:-$n}
  rss_of[$n.file]=$rss
  printf '%-10s %-9s %7s %9.2f %9.1f %12s\n' "$n" combined "$pages" "$secs" \
    "$(awk -v p="$pages" -v s="$secs" 'BEGIN {print (s > 0 ? p / s : 0)}')" "$rss"
  rm -f "$tmp/x.pdf"

  rm -rf "$tmp/split"
  mkdir -p "$tmp/split"
  measure "$n split" certificates "$tmp/big-$n.yaml" -o "$tmp/split/{stt}-{ten}.pdf"
  files=$(find "$tmp/split" -name '*.pdf' | wc -l)
  rss_of[$n.split]=$rss
  printf '%-10s %-9s %7s %9.2f %9.1f %12s\n' "$n" split "$files" "$secs" \
    "$(awk -v p="$files" -v s="$secs" 'BEGIN {print (s > 0 ? p / s : 0)}')" "$rss"
  rm -rf "$tmp/split"
done

read -r -a list <<<"$sizes"
if [ "${#list[@]}" -ge 2 ]; then
  lo=${list[0]} hi=${list[-1]}
  for form in file split; do
    awk -v a="${rss_of[$hi.$form]}" -v b="${rss_of[$lo.$form]}" -v f="$form" \
      -v hi="$hi" -v lo="$lo" 'BEGIN {
        printf "peak RSS ratio %s/%s (%s): %.2f\n", hi, lo, (f == "file" ? "combined" : "split"), a / b }'
  done
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
