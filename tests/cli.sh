#!/usr/bin/env bash
# tests/cli.sh - the command-line contract of DESIGN.md "Command line" and STYLE.md §10:
# help, version, usage errors, exit statuses, and what a failure leaves behind.
# Uses the first sample event file with awards (scripts/samples.sh); checks that need
# one SKIP when there is none.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
need_vanban cli
cd "$TOP" || exit 1

try_msg="Try 'vanban --help' for more information."

# run ARGS...: run vanban with stdin closed; sets rc, and out/err files.
run() {
  rc=0
  "$VANBAN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
}

# expect NAME WANT_RC [DETAIL...]: pass when rc is WANT_RC.
expect_rc() {
  local name=$1 want=$2
  if [ "$rc" -eq "$want" ]; then
    return 0
  fi
  fail "$name" "exit status $rc, expected $want" "stderr: $(first_lines "$TMP/err" 5)"
  return 1
}

# --help: full help on stdout, exit 0
run --help
if expect_rc cli/help 0; then
  if grep -q Usage "$TMP/out"; then pass cli/help; else fail cli/help "no 'Usage' on stdout"; fi
fi

# SUBCOMMAND --help, likewise
run certificates --help
if expect_rc cli/certificates-help 0; then
  if grep -q Usage "$TMP/out"; then
    pass cli/certificates-help
  else
    fail cli/certificates-help "no 'Usage' on stdout"
  fi
fi

# --version: "vanban 0.1.0" first, then library versions
run --version
if expect_rc cli/version 0; then
  first=$(head -n 1 "$TMP/out")
  if [ "$first" = "vanban 0.1.0" ]; then
    pass cli/version
  else
    fail cli/version "first line '$first', expected 'vanban 0.1.0'"
  fi
fi

# usage errors: one line plus the "Try" line on stderr, exit 2, nothing on stdout
usage_error() {
  local name=$1
  shift
  run "$@"
  expect_rc "$name" 2 || return 0
  if ! grep -qxF "$try_msg" "$TMP/err"; then
    fail "$name" "stderr lacks \"$try_msg\"" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ -s "$TMP/out" ]; then
    fail "$name" "something was written to stdout"
  else
    pass "$name"
  fi
}
usage_error cli/bad-option --bogus
usage_error cli/unknown-command nosuchcommand
usage_error cli/certificates-no-files certificates

# an input that does not exist: exit 2, a message naming it
run certificates "$TMP/no-such-file.yaml" -o "$TMP/x.pdf"
if expect_rc cli/missing-input 2; then
  if ! grep -q "no-such-file.yaml" "$TMP/err"; then
    fail cli/missing-input "stderr does not name the file" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ -e "$TMP/x.pdf" ]; then
    fail cli/missing-input "an output file was written"
  else
    pass cli/missing-input
  fi
fi

# vanban layouts lists giay-khen
run layouts
if expect_rc cli/layouts 0; then
  if grep -q giay-khen "$TMP/out"; then pass cli/layouts; else fail cli/layouts "no giay-khen listed"; fi
fi

. scripts/samples.sh
sample=$(samples_event_files | head -n 1)

if [ -z "$sample" ]; then
  for t in check stdout dev-full missing-dir read-only; do
    skip "cli/$t" "no samples/*.yaml with awards yet"
  done
  finish
fi

# vanban check SAMPLE: exit 0, nothing written
run check "$sample"
if expect_rc cli/check 0; then pass cli/check; fi

# -o -: the PDF goes to stdout
run certificates "$sample" -o -
if expect_rc cli/stdout 0; then
  if [ "$(head -c 5 "$TMP/out")" = "%PDF-" ]; then
    pass cli/stdout
  else
    fail cli/stdout "stdout does not start with %PDF-"
  fi
fi

# -o /dev/full: disk full → exit 2 and a message
if [ -w /dev/full ]; then
  run certificates "$sample" -o /dev/full
  if expect_rc cli/dev-full 2; then
    if [ -s "$TMP/err" ]; then pass cli/dev-full; else fail cli/dev-full "nothing on stderr"; fi
  fi
else
  skip cli/dev-full "no /dev/full"
fi

# output into a folder that does not exist: exit 2, nothing created
run certificates "$sample" -o "$TMP/missing/giay-khen.pdf"
if expect_rc cli/missing-dir 2; then
  if [ -e "$TMP/missing" ]; then
    fail cli/missing-dir "$TMP/missing was created"
  elif [ ! -s "$TMP/err" ]; then
    fail cli/missing-dir "nothing on stderr"
  else
    pass cli/missing-dir
  fi
fi

# an existing target in a read-only folder: exit 2, the old file untouched, no temp left
if [ "$(id -u)" -eq 0 ]; then
  skip cli/read-only "running as root: permissions are not enforced"
else
  ro=$TMP/ro
  mkdir -p "$ro"
  echo old >"$ro/giay-khen.pdf"
  chmod 555 "$ro"
  run certificates "$sample" -o "$ro/giay-khen.pdf"
  left=$(ls -A "$ro")
  chmod 755 "$ro"
  if expect_rc cli/read-only 2; then
    if [ "$(cat "$ro/giay-khen.pdf")" != old ]; then
      fail cli/read-only "the existing file was changed"
    elif [ "$left" != giay-khen.pdf ]; then
      fail cli/read-only "files left behind: $left"
    else
      pass cli/read-only
    fi
  fi
fi

# ---- output forms, reproducibility, batches (fixed inputs, not the first sample)
nfc=tests/cases-src/nfc.yaml            # 6 recipients
nfd=tests/cases-src/nfd.yaml            # the same, NFD
maidich=samples/phuong-mai-dich.yaml    # 8 recipients, the first "Tổ dân phố số 8"
org=samples/org-phuong-ha-khanh.yaml    # with ha-khanh-khen-thuong.csv: 13 rows
csv=samples/ha-khanh-khen-thuong.csv

# pages FILE: the page count of a PDF (empty when pdfinfo cannot read it)
pages() {
  pdfinfo "$1" 2>/dev/null | awk '$1 == "Pages:" {print $2}'
}

# listing DIR: the file names in DIR, sorted, on one line
listing() {
  (cd "$1" && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' ' |
    sed 's/ $//')
}

# the same output, byte for byte, from two runs with SOURCE_DATE_EPOCH=0 (set by lib.sh)
run certificates "$nfc" -o "$TMP/sde-1.pdf"
rc1=$rc
sleep 1
run certificates "$nfc" -o "$TMP/sde-2.pdf"
if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
  fail cli/reproducible-sde "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
elif cmp -s "$TMP/sde-1.pdf" "$TMP/sde-2.pdf"; then
  pass cli/reproducible-sde
else
  fail cli/reproducible-sde "two runs with SOURCE_DATE_EPOCH=0 differ: $(cmp "$TMP/sde-1.pdf" "$TMP/sde-2.pdf")"
fi

# --date fixes the bytes too, without SOURCE_DATE_EPOCH (runs a second apart)
rc1=0
(unset SOURCE_DATE_EPOCH; "$VANBAN" certificates "$nfc" --date 2024-11-05 -o "$TMP/date-1.pdf") \
  2>"$TMP/err" || rc1=$?
sleep 1
rc=0
(unset SOURCE_DATE_EPOCH; "$VANBAN" certificates "$nfc" --date 2024-11-05 -o "$TMP/date-2.pdf") \
  2>"$TMP/err" || rc=$?
if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
  fail cli/reproducible-date "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
elif ! cmp -s "$TMP/date-1.pdf" "$TMP/date-2.pdf"; then
  fail cli/reproducible-date "two runs with --date 2024-11-05 differ: $(cmp "$TMP/date-1.pdf" "$TMP/date-2.pdf")"
elif have pdfinfo && ! pdfinfo "$TMP/date-1.pdf" | grep -q '^CreationDate:.*Nov  5 .*2024'; then
  fail cli/reproducible-date "CreationDate is not 2024-11-05:" "$(pdfinfo "$TMP/date-1.pdf" | grep Date)"
else
  pass cli/reproducible-date
fi

# input from stdin
rc=0
"$VANBAN" certificates - -o "$TMP/stdin.pdf" <"$nfc" 2>"$TMP/err" || rc=$?
if expect_rc cli/stdin-input 0; then
  if ! have pdfinfo; then
    pass cli/stdin-input
  elif [ "$(pages "$TMP/stdin.pdf")" = 6 ]; then
    pass cli/stdin-input
  else
    fail cli/stdin-input "$(pages "$TMP/stdin.pdf") pages, expected 6"
  fi
fi

# one file per recipient: {stt} padded to the batch's width, {ten} an ASCII slug
if [ -f "$maidich" ]; then
  mkdir -p "$TMP/split"
  run certificates "$maidich" -o "$TMP/split/{stt}-{ten}.pdf"
  if expect_rc cli/split 0; then
    got=$(listing "$TMP/split")
    n=$(find "$TMP/split" -name '*.pdf' | wc -l)
    if [ "$n" -ne 8 ]; then
      fail cli/split "$n files, expected 8: $got"
    elif [ ! -f "$TMP/split/1-to-dan-pho-so-8.pdf" ]; then
      fail cli/split "no 1-to-dan-pho-so-8.pdf: $got"
    elif printf '%s' "$got" | LC_ALL=C grep -q '[^-a-z0-9. ]'; then
      fail cli/split "names are not ASCII slugs: $got"
    else
      pass cli/split
    fi
  fi
else
  skip cli/split "no $maidich"
fi

# {stt} is zero-padded: 13 CSV rows give 01..13
if [ -f "$csv" ] && [ -f "$org" ]; then
  mkdir -p "$TMP/split-csv"
  run certificates --org "$org" "$csv" -o "$TMP/split-csv/{stt}-{ten}.pdf"
  if expect_rc cli/split-padded 0; then
    got=$(listing "$TMP/split-csv")
    if [ -f "$TMP/split-csv/01-khu-pho-2.pdf" ] && [ -f "$TMP/split-csv/13-truong-thi-huong.pdf" ]; then
      pass cli/split-padded
    else
      fail cli/split-padded "expected 01-khu-pho-2.pdf .. 13-truong-thi-huong.pdf, got: $got"
    fi
  fi
else
  skip cli/split-padded "no $csv"
fi

# NFD input gives the same (NFC-based) slugs as NFC input
mkdir -p "$TMP/slug-nfc" "$TMP/slug-nfd"
run certificates "$nfc" -o "$TMP/slug-nfc/{stt}-{ten}.pdf"
rc1=$rc
run certificates "$nfd" -o "$TMP/slug-nfd/{stt}-{ten}.pdf"
want="1-nguyen-thi-huyen-trang.pdf 2-dang-quoc-viet.pdf 3-vu-thi-thuy.pdf 4-lu-ngoc-an.pdf 5-pham-van-ung.pdf 6-to-dan-pho-so-7.pdf"
if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
  fail cli/split-slugs "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
elif [ "$(listing "$TMP/slug-nfc")" != "$want" ]; then
  fail cli/split-slugs "NFC input: $(listing "$TMP/slug-nfc")" "expected:  $want"
elif [ "$(listing "$TMP/slug-nfd")" != "$want" ]; then
  fail cli/split-slugs "NFD input: $(listing "$TMP/slug-nfd")" "expected:  $want"
else
  pass cli/split-slugs
fi

# duplicate names get -2, -3 and do not overwrite each other
sed -e 's/Phạm Văn Ứng/Lữ Ngọc Ẩn/' -e 's/Vũ Thị Thuỷ/Lữ Ngọc Ẩn/' "$nfc" >"$TMP/dup.yaml"
mkdir -p "$TMP/dup"
run certificates "$TMP/dup.yaml" -o "$TMP/dup/{ten}.pdf"
if expect_rc cli/split-duplicates 0; then
  got=$(listing "$TMP/dup")
  want="dang-quoc-viet.pdf lu-ngoc-an-2.pdf lu-ngoc-an-3.pdf lu-ngoc-an.pdf nguyen-thi-huyen-trang.pdf to-dan-pho-so-7.pdf"
  if [ "$got" = "$want" ]; then
    pass cli/split-duplicates
  else
    fail cli/split-duplicates "got:      $got" "expected: $want"
  fi
fi

# --format png: one file a page, NAME-1.png, NAME-2.png...
mkdir -p "$TMP/png"
run certificates "$nfc" --format png -o "$TMP/png/x.png"
if expect_rc cli/png 0; then
  got=$(listing "$TMP/png")
  want="x-1.png x-2.png x-3.png x-4.png x-5.png x-6.png"
  if [ "$got" != "$want" ]; then
    fail cli/png "got: $got" "expected: $want"
  elif [ "$(head -c 4 "$TMP/png/x-1.png" | od -An -c | tr -d ' ')" != '211PNG' ]; then
    fail cli/png "x-1.png is not a PNG"
  else
    pass cli/png
  fi
fi

# --format png -o -: one page goes to stdout; more pages cannot
mkdir -p "$TMP/png-stdout"
rc=0
(cd "$TMP/png-stdout" && "$VANBAN" certificates "$TOP/$nfc" --shard 1/6 --format png -o - \
  >"$TMP/out" 2>"$TMP/err") || rc=$?
if expect_rc cli/png-stdout 0; then
  if [ "$(head -c 4 "$TMP/out" | od -An -c | tr -d ' ')" != '211PNG' ]; then
    fail cli/png-stdout "stdout is not a PNG"
  elif [ -n "$(listing "$TMP/png-stdout")" ]; then
    fail cli/png-stdout "files written: $(listing "$TMP/png-stdout")"
  else
    pass cli/png-stdout
  fi
fi
rc=0
(cd "$TMP/png-stdout" && "$VANBAN" certificates "$TOP/$nfc" --format png -o - \
  >"$TMP/out" 2>"$TMP/err") || rc=$?
if expect_rc cli/png-stdout-pages 2; then
  if [ -n "$(listing "$TMP/png-stdout")" ]; then
    fail cli/png-stdout-pages "files written: $(listing "$TMP/png-stdout")"
  else
    pass cli/png-stdout-pages
  fi
fi

# --jobs N: the same files, names and bytes as one process; the manifest lists them
if [ -f "$maidich" ]; then
  export SOURCE_DATE_EPOCH=0
  run certificates "$maidich" -o "$TMP/jobs1/{stt}-{ten}.pdf"
  rc1=$rc
  run certificates "$maidich" --jobs 3 --manifest "$TMP/jobs.jsonl" -o "$TMP/jobs3/{stt}-{ten}.pdf"
  unset SOURCE_DATE_EPOCH
  if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
    fail cli/jobs "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ "$(ls "$TMP/jobs1")" != "$(ls "$TMP/jobs3")" ] || [ "$(ls "$TMP/jobs3" | wc -l)" -ne 8 ]; then
    fail cli/jobs "file names differ: $(ls "$TMP/jobs3" | head -3)"
  elif ! (cd "$TMP/jobs1" && for f in *; do cmp -s "$f" "../jobs3/$f" || exit 1; done); then
    fail cli/jobs "the files differ from a run without --jobs"
  elif [ "$(wc -l < "$TMP/jobs.jsonl")" -ne 8 ] || ! grep -q '"sha256":"[0-9a-f]\{64\}"' "$TMP/jobs.jsonl"; then
    fail cli/jobs "manifest: $(head -2 "$TMP/jobs.jsonl")"
  elif [ -n "$(ls -A "$TMP/jobs3" | grep '^\.')" ]; then
    fail cli/jobs "temporary files left: $(ls -A "$TMP/jobs3" | grep '^\.')"
  else
    pass cli/jobs
  fi
  # names that do not come in record order ({ten} first; the list given twice, so
  # every name repeats and gets -2): --jobs lists the files in the manifest in the
  # order of the records, as a run without --jobs does, the same lines
  export SOURCE_DATE_EPOCH=0
  run certificates "$maidich" "$maidich" --manifest "$TMP/order1.jsonl" \
    -o "$TMP/order1/{ten}.pdf"
  rc1=$rc
  run certificates "$maidich" "$maidich" --jobs 3 --manifest "$TMP/order3.jsonl" \
    -o "$TMP/order3/{ten}.pdf"
  unset SOURCE_DATE_EPOCH
  sed 's/"output":"[^"]*order1/"output":"X/' "$TMP/order1.jsonl" >"$TMP/order1.n"
  sed 's/"output":"[^"]*order3/"output":"X/' "$TMP/order3.jsonl" >"$TMP/order3.n"
  if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
    fail cli/jobs-record-order "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ "$(wc -l <"$TMP/order1.n")" -ne 16 ] || [ "$(grep -c -- '-2\.pdf"' "$TMP/order1.n")" -ne 8 ]; then
    fail cli/jobs-record-order "expected 16 files, 8 of them NAME-2.pdf: $(head -3 "$TMP/order1.n")"
  elif sort -c "$TMP/order1.n" 2>/dev/null; then
    fail cli/jobs-record-order "the names come in name order: the test needs names out of record order"
  elif ! cmp -s "$TMP/order1.n" "$TMP/order3.n"; then
    fail cli/jobs-record-order "the --jobs 3 manifest differs from one process's" \
      "$(diff "$TMP/order1.n" "$TMP/order3.n" | head -4)"
  else
    pass cli/jobs-record-order
  fi
  run certificates "$maidich" --jobs 2 -o "$TMP/jobs-one.pdf"
  if [ "$rc" -eq 2 ] && [ ! -e "$TMP/jobs-one.pdf" ] && grep -q -- "--jobs needs one PDF per document" "$TMP/err"; then
    pass cli/jobs-combined
  else
    fail cli/jobs-combined "exit $rc" "stderr: $(first_lines "$TMP/err" 3)"
  fi
else
  skip cli/jobs "needs $maidich"
fi

# --encoding tcvn3 reads a TCVN3 list beside a UTF-8 organization file
if have pdftotext; then
  run certificates --org "$TOP/tests/errors/bad-csv-org.yaml" "$TOP/tests/errors/tcvn3.csv" \
    --encoding tcvn3 -o "$TMP/tcvn3.pdf"
  if [ "$rc" -eq 0 ] && pdftotext "$TMP/tcvn3.pdf" - | grep -q "Nguyễn Văn Đức" &&
    pdftotext "$TMP/tcvn3.pdf" - | grep -q "Chi hội trưởng Phụ nữ"; then
    pass cli/encoding-tcvn3
  else
    fail cli/encoding-tcvn3 "exit $rc" "stderr: $(first_lines "$TMP/err" 3)"
  fi
fi

# --shard K/N: records K, K+N...; the two halves hold every page once
if have pdfinfo && have pdftotext && [ -f "$maidich" ]; then
  run certificates "$maidich" --shard 1/2 -o "$TMP/shard-1.pdf"
  rc1=$rc
  run certificates "$maidich" --shard 2/2 -o "$TMP/shard-2.pdf"
  if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
    fail cli/shard "exit status $rc1 and $rc" "stderr: $(first_lines "$TMP/err" 5)"
  elif [ "$(pages "$TMP/shard-1.pdf")" != 4 ] || [ "$(pages "$TMP/shard-2.pdf")" != 4 ]; then
    fail cli/shard "pages $(pages "$TMP/shard-1.pdf") and $(pages "$TMP/shard-2.pdf"), expected 4 and 4"
  elif ! pdftotext "$TMP/shard-1.pdf" - | grep -q "Tổ dân phố số 8" ||
    ! pdftotext "$TMP/shard-2.pdf" - | grep -q "Trường Tiểu học Mai Dịch"; then
    fail cli/shard "record 1 is not in shard 1/2 or record 2 not in shard 2/2"
  else
    pass cli/shard
  fi
else
  skip cli/shard "needs pdfinfo, pdftotext and $maidich"
fi

# vanban check on good input: exit 0, nothing written anywhere, nothing on stdout
mkdir -p "$TMP/check"
rc=0
(cd "$TMP/check" && "$VANBAN" check "$TOP/$nfc" >"$TMP/out" 2>"$TMP/err") || rc=$?
if expect_rc cli/check-writes-nothing 0; then
  if [ -n "$(listing "$TMP/check")" ]; then
    fail cli/check-writes-nothing "files written: $(listing "$TMP/check")"
  elif [ -s "$TMP/out" ]; then
    fail cli/check-writes-nothing "something on stdout"
  else
    pass cli/check-writes-nothing
  fi
fi

# -o - to a terminal is refused (exit 2, nothing on it but the message); to a pipe
# it writes the PDF. The terminal is a pseudo-terminal made by Python's pty module.
if have python3; then
  # on_tty NAME ARGS...: vanban ARGS -o - on a pseudo-terminal: exit 2, the message, no PDF
  on_tty() {
    local name=$1
    shift
    ttyout=$(python3 - "$VANBAN" "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], ["vanban"] + sys.argv[2:] + ["-o", "-"])
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
print(os.WEXITSTATUS(st))
print(out.decode("utf-8", "replace"))
PY
)
    if [ "$(echo "$ttyout" | head -n 1)" != 2 ]; then
      fail "cli/$name" "exit $(echo "$ttyout" | head -n 1), expected 2"
    elif ! echo "$ttyout" | grep -q "standard output is a terminal"; then
      fail "cli/$name" "no message:" "$ttyout"
    elif echo "$ttyout" | grep -q "%PDF"; then
      fail "cli/$name" "PDF bytes reached the terminal"
    else
      pass "cli/$name"
    fi
  }
  on_tty stdout-terminal certificates "$TOP/$nfc"
  on_tty stdout-terminal-minutes minutes "$TOP/samples/phuong-mai-dich.yaml"
  on_tty stdout-terminal-bulletin bulletin "$TOP/samples/ban-tin" --month 2024-11
  if [ "$("$VANBAN" certificates "$TOP/$nfc" -o - 2>/dev/null | head -c 5)" = "%PDF-" ]; then
    pass cli/stdout-pipe
  else
    fail cli/stdout-pipe "-o - into a pipe did not write a PDF"
  fi
else
  skip cli/stdout-terminal "needs python3"
fi

# SUBCOMMAND --help for the other commands
for c in check layouts minutes; do
  run "$c" --help
  if expect_rc "cli/$c-help" 0; then
    if grep -q Usage "$TMP/out"; then pass "cli/$c-help"; else fail "cli/$c-help" "no 'Usage' on stdout"; fi
  fi
done

finish
