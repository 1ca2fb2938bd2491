/* test-layout.c - unit tests of the layout stage: filters (src/layout/filters.c)
 * and the "did you mean" helper. */
#include "../../src/layout/layout-private.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define NBSP "\xc2\xa0"

static vb_strbuf result;

/* Applies filter `name` to `in` with the NULL-terminated string arguments that
 * follow. Returns the output, or "error: " + message; valid until the next call. */
static const char *run(const char *name, const char *in, ...) {
  const char *args[8];
  size_t nargs = 0;
  vb_strbuf out = VB_STRBUF_INIT, err = VB_STRBUF_INIT;
  va_list ap;
  va_start(ap, in);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL && nargs < 8;)
    args[nargs++] = a;
  va_end(ap);
  vb_strbuf_reset(&result);
  if (vb_filter_apply(name, in, nargs, args, &out, &err) == 0) {
    vb_strbuf_puts(&result, vb_strbuf_cstr(&out));
  } else {
    vb_strbuf_puts(&result, "error: ");
    vb_strbuf_puts(&result, vb_strbuf_cstr(&err));
    check(out.len == 0); /* a failed filter writes nothing */
  }
  vb_strbuf_free(&out);
  vb_strbuf_free(&err);
  return vb_strbuf_cstr(&result);
}

/* vb_filter_check message for `name` with `nargs` arguments, or "ok". */
static const char *check_msg(const char *name, size_t nargs) {
  vb_strbuf err = VB_STRBUF_INIT;
  vb_strbuf_reset(&result);
  if (vb_filter_check(name, nargs, &err) == 0)
    vb_strbuf_puts(&result, "ok");
  else
    vb_strbuf_puts(&result, vb_strbuf_cstr(&err));
  vb_strbuf_free(&err);
  return vb_strbuf_cstr(&result);
}

static void test_filters_case(void) {
  check_str(run("upper", "đồng chí Đặng Văn Đức", NULL), "ĐỒNG CHÍ ĐẶNG VĂN ĐỨC");
  check(strstr(run("upper", "đ", NULL), "\xc3\x90") == NULL); /* never U+00D0 ETH */
  check_str(run("upper", "đ", NULL), "\xc4\x90");             /* U+0110 */
  check_str(run("upper", "ư ơ ă â ê ô ỹ ạ", NULL), "Ư Ơ Ă Â Ê Ô Ỹ Ạ");
  check_str(run("upper", "", NULL), "");
  check_str(run("lower", "ỦY BAN NHÂN DÂN PHƯỜNG MAI DỊCH", NULL),
            "ủy ban nhân dân phường mai dịch");
  check_str(run("lower", "ĐẢNG ỦY Ư Ơ Ă ỸỴ", NULL), "đảng ủy ư ơ ă ỹỵ");
  check_str(run("lower", "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ", NULL), "àáâãèéêìíòóôõùúý");
  check_str(run("lower", "Abc 123 ĐÀ NẴNG", NULL), "abc 123 đà nẵng");
  check_str(run("lower", "", NULL), "");
  check_str(run("capitalize", "điển hình tiên tiến", NULL), "Điển hình tiên tiến");
  check_str(run("capitalize", "ủy ban", NULL), "Ủy ban");
  check_str(run("capitalize", "\"dân vận khéo\"", NULL), "\"Dân vận khéo\"");
  check_str(run("capitalize", "“ưu tú”", NULL), "“Ưu tú”");
  check_str(run("capitalize", "nguyễn Văn An", NULL),
            "Nguyễn Văn An"); /* rest as written */
  check_str(run("capitalize", "3 tổ dân phố", NULL), "3 tổ dân phố");
  check_str(run("capitalize", "", NULL), "");
  check_str(run("capitalize", " ", NULL), " ");
}

static void test_filters_text(void) {
  check_str(run("trim", "  Phường 11 \t\n", NULL), "Phường 11");
  check_str(run("trim", NBSP "a b" NBSP, NULL), "a b");
  check_str(run("trim", "   ", NULL), "");
  check_str(run("trim", "", NULL), "");
  check_str(run("nbsp", "Bùi Thị Nhẫn", NULL), "Bùi" NBSP "Thị" NBSP "Nhẫn");
  check_str(run("nbsp", "a\tb", NULL), "a\tb");
  check_str(run("nbsp", "", NULL), "");
  check_str(run("slug", "Nguyễn Văn Đức", NULL), "nguyen-van-duc");
  check_str(run("slug", "  Điển hình \"Dân vận khéo\"!  ", NULL), "dien-hinh-dan-van-kheo");
  check_str(run("slug", "", NULL), "x"); /* vb_utf8_slug's placeholder */
  check_str(run("default", "", "chưa có", NULL), "chưa có");
  check_str(run("default", "có", "chưa có", NULL), "có");
  check_str(run("default", " ", "x", NULL), " "); /* only "" is empty */
  check_str(run("prefix", "Khu phố 3", ", ", NULL), ", Khu phố 3");
  check_str(run("prefix", "", ", ", NULL), "");
  check_str(run("suffix", "Tổ trưởng", " - ", NULL), "Tổ trưởng - ");
  check_str(run("suffix", "", " - ", NULL), "");
  check_str(run("period", "Trạm Y tế và Công an phường", NULL), "Trạm Y tế và Công an phường.");
  check_str(run("period", "Công an phường.", NULL), "Công an phường.");
  check_str(run("period", "vắng có lý do…", NULL), "vắng có lý do…");
  check_str(run("period", "", NULL), "");
  check_str(run("upper", NULL, NULL), ""); /* NULL input = absent field */
  check_str(run("default", NULL, "y", NULL), "y");
}

static void test_filters_date(void) {
  char in[32], want[64];
  check_str(run("date", "2025-01-05", NULL), "ngày 05 tháng 01 năm 2025");
  check_str(run("date", "2019-06-29", NULL), "ngày 29 tháng 6 năm 2019");
  check_str(run("date", "2018-02-05", NULL), "ngày 05 tháng 02 năm 2018");
  check_str(run("date", "2024-12-31", NULL), "ngày 31 tháng 12 năm 2024");
  check_str(run("date", "2024-11-10", NULL), "ngày 10 tháng 11 năm 2024");
  /* months: a zero for 1 and 2 only */
  for (int m = 1; m <= 12; m++) {
    snprintf(in, sizeof in, "2024-%02d-15", m);
    snprintf(want, sizeof want,
             m <= 2 ? "ngày 15 tháng %02d năm 2024" : "ngày 15 tháng %d năm 2024", m);
    check_str(run("date", in, NULL), want);
    snprintf(want, sizeof want, m <= 2 ? "%02d" : "%d", m);
    check_str(run("month", in, NULL), want);
  }
  /* days: a zero for 1 to 9 */
  for (int d = 1; d <= 12; d++) {
    snprintf(in, sizeof in, "2024-03-%02d", d);
    snprintf(want, sizeof want, "ngày %02d tháng 3 năm 2024", d);
    check_str(run("date", in, NULL), want);
    snprintf(want, sizeof want, "%02d", d);
    check_str(run("day", in, NULL), want);
  }
  /* leap days */
  check_str(run("date", "2024-02-29", NULL), "ngày 29 tháng 02 năm 2024");
  check_str(run("date", "29/02/2000", NULL), "ngày 29 tháng 02 năm 2000");
  check_str(run("date", "2023-02-29", NULL),
            "error: '2023-02-29' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("date", "29/02/1900", NULL),
            "error: '29/02/1900' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  /* date-times keep the local date as written, whatever the offset */
  check_str(run("date", "2024-11-05T14:00+07:00", NULL), "ngày 05 tháng 11 năm 2024");
  check_str(run("date", "2024-11-05T23:30:00+07:00", NULL), "ngày 05 tháng 11 năm 2024");
  check_str(run("date", "2024-11-05T03:30+07:00", NULL), "ngày 05 tháng 11 năm 2024");
  check_str(run("date", "2024-12-31T23:59Z", NULL), "ngày 31 tháng 12 năm 2024");
  check_str(run("date", "2024-11-05T14:00", NULL), "ngày 05 tháng 11 năm 2024");
  /* Vietnamese form */
  check_str(run("date", "05/11/2024", NULL), "ngày 05 tháng 11 năm 2024");
  check_str(run("date", "5/1/2025", NULL), "ngày 05 tháng 01 năm 2025");
  check_str(run("date", " 2024-11-05 ", NULL), "ngày 05 tháng 11 năm 2024");
  /* empty → nothing; bad → error naming the value */
  check_str(run("date", "", NULL), "");
  check_str(run("day", "", NULL), "");
  check_str(run("dmy", "", NULL), "");
  check_str(run("time", "", NULL), "");
  check_str(run("date", "2024-13-01", NULL),
            "error: '2024-13-01' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("date", "2024-04-31", NULL),
            "error: '2024-04-31' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("date", "hôm nay", NULL),
            "error: 'hôm nay' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("date", "2024-11-05T25:00", NULL),
            "error: '2024-11-05T25:00' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("year", "2024-00-10", NULL),
            "error: '2024-00-10' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  check_str(run("date", "a\nb", NULL),
            "error: 'a b' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  /* parts */
  check_str(run("day", "2024-11-05", NULL), "05");
  check_str(run("day", "2024-11-25", NULL), "25");
  check_str(run("month", "2024-02-05", NULL), "02");
  check_str(run("month", "2024-11-05", NULL), "11");
  check_str(run("year", "2024-11-05", NULL), "2024");
  check_str(run("year", "05/11/2024", NULL), "2024");
  check_str(run("dmy", "2024-11-05", NULL), "05/11/2024");
  check_str(run("dmy", "2024-03-09T08:00+07:00", NULL), "09/03/2024");
  check_str(run("dmy", "5/3/2024", NULL), "05/03/2024");
  /* time */
  check_str(run("time", "2024-11-05T14:00+07:00", NULL), "14 giờ 00");
  check_str(run("time", "2024-11-05T08:05", NULL), "8 giờ 05");
  check_str(run("time", "2024-11-05T00:30:45Z", NULL), "0 giờ 30");
  check_str(run("time", "05/11/2024 14:00", NULL), "14 giờ 00");
  check_str(
      run("time", "2024-11-05", NULL),
      "error: '2024-11-05' has no time (expected a date-time such as 2024-11-05T14:00)");
  check_str(run("time", "x", NULL),
            "error: 'x' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
}

static void test_filters_honorific(void) {
  check_str(run("honorific", "nam", NULL), "Ông");
  check_str(run("honorific", "Nam", NULL), "Ông");
  check_str(run("honorific", "NAM", NULL), "Ông");
  check_str(run("honorific", "male", NULL), "Ông");
  check_str(run("honorific", "Male", NULL), "Ông");
  check_str(run("honorific", "m", NULL), "Ông");
  check_str(run("honorific", "M", NULL), "Ông");
  check_str(run("honorific", " nam ", NULL), "Ông");
  check_str(run("honorific", "nữ", NULL), "Bà");
  check_str(run("honorific", "Nữ", NULL), "Bà");
  check_str(run("honorific", "NỮ", NULL), "Bà");
  check_str(run("honorific", "nu", NULL), "Bà");
  check_str(run("honorific", "NU", NULL), "Bà");
  check_str(run("honorific", "female", NULL), "Bà");
  check_str(run("honorific", "FEMALE", NULL), "Bà");
  check_str(run("honorific", "f", NULL), "Bà");
  check_str(run("honorific", "F", NULL), "Bà");
  check_str(run("honorific", "", NULL), "");
  check_str(run("honorific", "  ", NULL), "");
  check_str(run("honorific", "khác", NULL),
            "error: 'khác' is not a gender (expected nam or nữ)");
  check_str(run("honorific", "nama", NULL),
            "error: 'nama' is not a gender (expected nam or nữ)");
  check_str(run("honorific", "ông", NULL),
            "error: 'ông' is not a gender (expected nam or nữ)");
}

static void test_filters_numbers(void) {
  /* state (NĐ 30): "Số:" + NBSP, number padded below 10 */
  check_str(run("state_number", "5", "QĐ", "UBND", NULL), "Số:" NBSP "05/QĐ-UBND");
  check_str(run("state_number", "05", "QĐ", "UBND", NULL), "Số:" NBSP "05/QĐ-UBND");
  check_str(run("state_number", "0", "BB", "UBND", NULL), "Số:" NBSP "00/BB-UBND");
  check_str(run("state_number", "9", "BB", "UBND", NULL), "Số:" NBSP "09/BB-UBND");
  check_str(run("state_number", "10", "BB", "UBND", NULL), "Số:" NBSP "10/BB-UBND");
  check_str(run("state_number", "127", "BB", "UBND", NULL), "Số:" NBSP "127/BB-UBND");
  check_str(run("state_number", "", "QĐ", "UBND", NULL),
            "Số:" NBSP NBSP NBSP NBSP NBSP NBSP "/QĐ-UBND");
  check_str(run("state_number", "12", "", "UBND-VX", NULL),
            "Số:" NBSP "12/UBND-VX"); /* công văn */
  check_str(run("state_number", "x", "QĐ", "UBND", NULL),
            "error: 'x' is not a document number (expected a non-negative integer)");
  check_str(run("state_number", "-3", "QĐ", "UBND", NULL),
            "error: '-3' is not a document number (expected a non-negative integer)");
  check_str(run("state_number", "2.5", "QĐ", "UBND", NULL),
            "error: '2.5' is not a document number (expected a non-negative integer)");
  check_str(
      run("state_number", "5", "QĐ", "", NULL),
      "error: filter 'state_number' needs a document issuer (found an empty argument)");
  check_str(run("state_number", "5", "Q Đ", "UBND", NULL),
            "error: 'Q Đ' has a space (expected no spaces inside a document symbol)");
  /* party (36-HD): no colon, hyphen before the type, slash before the issuer */
  check_str(run("party_number", "5", "QĐ", "ĐU", NULL), "Số" NBSP "05-QĐ/ĐU");
  check_str(run("party_number", "4", "KH", "ĐU", NULL), "Số" NBSP "04-KH/ĐU");
  check_str(run("party_number", "127", "QĐ", "TW", NULL), "Số" NBSP "127-QĐ/TW");
  check_str(run("party_number", "", "QĐ", "ĐU", NULL),
            "Số" NBSP NBSP NBSP NBSP NBSP NBSP "-QĐ/ĐU");
  check_str(run("party_number", "abc", "QĐ", "ĐU", NULL),
            "error: 'abc' is not a document number (expected a non-negative integer)");
  check_str(run("party_number", "5", "", "ĐU", NULL),
            "error: filter 'party_number' needs a document type (found an empty argument)");
  /* pad2 */
  check_str(run("pad2", "0", NULL), "00");
  check_str(run("pad2", "7", NULL), "07");
  check_str(run("pad2", "10", NULL), "10");
  check_str(run("pad2", "123", NULL), "123");
  check_str(run("pad2", "", NULL), "");
  check_str(run("pad2", "x", NULL),
            "error: 'x' is not a number (expected a non-negative integer)");
  /* roman */
  check_str(run("roman", "1", NULL), "I");
  check_str(run("roman", "4", NULL), "IV");
  check_str(run("roman", "9", NULL), "IX");
  check_str(run("roman", "14", NULL), "XIV");
  check_str(run("roman", "40", NULL), "XL");
  check_str(run("roman", "90", NULL), "XC");
  check_str(run("roman", "400", NULL), "CD");
  check_str(run("roman", "1994", NULL), "MCMXCIV");
  check_str(run("roman", "2024", NULL), "MMXXIV");
  check_str(run("roman", "3999", NULL), "MMMCMXCIX");
  check_str(run("roman", "", NULL), "");
  check_str(run("roman", "0", NULL),
            "error: '0' cannot be written in Roman numerals (expected 1 to 3999)");
  check_str(run("roman", "4000", NULL),
            "error: '4000' cannot be written in Roman numerals (expected 1 to 3999)");
  check_str(run("roman", "IV", NULL),
            "error: 'IV' is not a number (expected an integer from 1 to 3999)");
  /* decimal */
  check_str(run("decimal", "1234567.5", NULL), "1.234.567,5");
  check_str(run("decimal", "1234567", NULL), "1.234.567");
  check_str(run("decimal", "1234", NULL), "1.234");
  check_str(run("decimal", "123", NULL), "123");
  check_str(run("decimal", "0", NULL), "0");
  check_str(run("decimal", "0.25", NULL), "0,25");
  check_str(run("decimal", "-1234.50", NULL), "-1.234,50");
  check_str(run("decimal", "+12345", NULL), "12.345");
  check_str(run("decimal", "000123", NULL), "123");
  check_str(run("decimal", "100000", NULL), "100.000");
  check_str(run("decimal", "", NULL), "");
  check_str(run("decimal", "1,5", NULL),
            "error: '1,5' is not a number (expected digits with an optional '.' fraction, "
            "such as 1234.5)");
  check_str(run("decimal", "1.", NULL),
            "error: '1.' is not a number (expected digits with an optional '.' fraction, "
            "such as 1234.5)");
  check_str(run("decimal", ".5", NULL),
            "error: '.5' is not a number (expected digits with an optional '.' fraction, "
            "such as 1234.5)");
  check_str(run("decimal", "-", NULL),
            "error: '-' is not a number (expected digits with an optional '.' fraction, "
            "such as 1234.5)");
  check_str(run("decimal", "1e5", NULL),
            "error: '1e5' is not a number (expected digits with an optional '.' fraction, "
            "such as 1234.5)");
}

static void test_filters_check(void) {
  const char *const *names = vb_filter_names();
  size_t n = 0;
  check_str(check_msg("upper", 0), "ok");
  check_str(check_msg("uper", 0), "unknown filter 'uper' (did you mean 'upper'?)");
  check_str(check_msg("Upper", 0), "unknown filter 'Upper' (did you mean 'upper'?)");
  check_str(check_msg("dates", 0), "unknown filter 'dates' (did you mean 'date'?)");
  check_str(check_msg("state_numbr", 2),
            "unknown filter 'state_numbr' (did you mean 'state_number'?)");
  check_str(check_msg("honorfic", 0),
            "unknown filter 'honorfic' (did you mean 'honorific'?)");
  check_str(check_msg("xyzzy", 0), "unknown filter 'xyzzy'");
  check_str(check_msg("date", 1), "filter 'date' takes no argument");
  check_str(check_msg("state_number", 1), "filter 'state_number' takes 2 arguments");
  check_str(check_msg("state_number", 3), "filter 'state_number' takes 2 arguments");
  check_str(check_msg("default", 0), "filter 'default' takes 1 argument");
  check_str(check_msg("default", 1), "ok");
  check_str(run("date", "2024-01-01", "x", NULL), "error: filter 'date' takes no argument");
  check_str(run("nope", "a", NULL), "error: unknown filter 'nope'");
  /* every listed name is a filter, and the list has no duplicates */
  for (; names[n]; n++) {
    check(strncmp(check_msg(names[n], 0), "unknown", 7) != 0);
    for (size_t j = 0; j < n; j++)
      check(strcmp(names[j], names[n]) != 0);
  }
  check(n >= 21);
}

static void test_filters_apply_buffers(void) {
  vb_strbuf out = VB_STRBUF_INIT, err = VB_STRBUF_INIT;
  const char *args[] = {"QĐ", "UBND"};
  /* appends to out */
  vb_strbuf_puts(&out, "[");
  check_int(vb_filter_apply("upper", "ă", 0, NULL, &out, &err), 0);
  check_int(vb_filter_apply("state_number", "3", 2, args, &out, &err), 0);
  check_str(vb_strbuf_cstr(&out), "[ĂSố:" NBSP "03/QĐ-UBND");
  /* a failure leaves out as it was and puts one message in err */
  vb_strbuf_puts(&err, "stale");
  check_int(vb_filter_apply("date", "2024-13-01", 0, NULL, &out, &err), -1);
  check_str(vb_strbuf_cstr(&out), "[ĂSố:" NBSP "03/QĐ-UBND");
  check_str(vb_strbuf_cstr(&err),
            "'2024-13-01' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  vb_strbuf_free(&out);
  vb_strbuf_free(&err);
}

static void test_filters_closest(void) {
  static const char *const tie[] = {"ab", "ac", NULL};
  static const char *const viet[] = {"ngay", NULL};
  static const char *const longer[] = {"authority_default", NULL};
  static const char *const none[] = {NULL};
  const char *const *names = vb_filter_names();
  check_str(vb_closest("uper", names), "upper");
  check_str(vb_closest("upper", names), "upper");
  check_str(vb_closest("slgu", names), "slug");
  check(vb_closest("zzzzzzzz", names) == NULL);
  check_str(vb_closest("aa", tie), "ab");       /* ties: first */
  check_str(vb_closest("ngàyx", viet), "ngay"); /* 2 code-point edits (3 bytes) */
  check(vb_closest("ngàyxyz", viet) == NULL);
  /* a long word allows len/3 edits: 17 code points → 5 */
  check_str(vb_closest("autority_defalt", longer), "authority_default");
  check_str(vb_closest("athrity_dfalt", longer), "authority_default");
  check(vb_closest("uthrty_dflt", longer) == NULL);
  check(vb_closest("", none) == NULL);
  check(vb_closest("", tie) == NULL);
}


/* ---- templates and the typesetter */
#ifndef VB_SOURCE_DATADIR
#define VB_SOURCE_DATADIR "."
#endif

typedef struct tl_env {
  vb_sources *sources;
  vb_diag *diag;
  vb_resources *res;
  vb_typesetter *ts;
  char *msgs;
  size_t msize;
  FILE *mem;
} tl_env;

static void env_open(tl_env *e) {
  memset(e, 0, sizeof *e);
  e->sources = vb_sources_new();
  e->mem = open_memstream(&e->msgs, &e->msize);
  e->diag = vb_diag_new(e->sources, e->mem);
  e->res = vb_resources_new();
  const char *dirs[] = {VB_SOURCE_DATADIR "/fonts", NULL};
  e->ts = vb_typesetter_new(dirs, e->res, e->diag);
}

static const char *env_msgs(tl_env *e) {
  fflush(e->mem);
  return e->msgs ? e->msgs : "";
}

static void env_close(tl_env *e) {
  vb_typesetter_free(e->ts);
  vb_resources_free(e->res);
  vb_diag_free(e->diag);
  fclose(e->mem);
  free(e->msgs);
  vb_sources_free(e->sources);
}

static vb_layout *load_layout_text(tl_env *e, const char *text) {
  char path[] = "/tmp/vb-test-layout-XXXXXX.yaml";
  int fd = mkstemps(path, 5);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  vb_layout *l = vb_layout_load(e->sources, path, e->ts, e->diag);
  remove(path);
  return l;
}

static void test_template_errors(void) {
  tl_env e;
  env_open(&e);
  check(e.ts != NULL);
  check(vb_typesetter_family(e.ts, "Times New Roman") != NULL);
  check_str(vb_typesetter_family(e.ts, "serif"), "Liberation Serif");
  check(vb_typesetter_family(e.ts, "Comic Sans MS") == NULL);
  vb_layout *l = load_layout_text(&e, "page: {size: A4}\n"
                                      "styles:\n"
                                      "  body: {font: serif, sise: 13}\n"
                                      "body:\n"
                                      "  - text: \"{{recipient.nmae}}\"\n"
                                      "  - txet: x\n"
                                      "  - text: \"{{org.name | uper}}\"\n"
                                      "fonts: {x: Comic Sans MS}\n");
  check(l == NULL);
  const char *m = env_msgs(&e);
  check(strstr(m, ":3:23: error: unknown key 'sise' in a style (did you mean 'size'?)") != NULL);
  check(strstr(m, ":5:14: error: unknown field 'recipient.nmae' (did you mean 'recipient.name'?)") != NULL);
  check(strstr(m, ":6:5: error: unknown block 'txet' (did you mean 'text'?)") != NULL);
  check(strstr(m, "unknown filter 'uper' (did you mean 'upper'?)") != NULL);
  check(strstr(m, "font family 'Comic Sans MS' is not among the bundled fonts") != NULL);
  env_close(&e);
}

static const vb_value *map_of(vb_tree *t, const char *const *kv) {
  vb_value *m = vb_value_new(t, VB_VALUE_MAP, vb_span_none());
  for (; kv[0]; kv += 2)
    vb_value_set(t, m, kv[0], vb_span_none(),
                 vb_value_new_string(t, kv[1], strlen(kv[1]), vb_span_none()));
  return m;
}

static void test_template_fit(void) {
  tl_env e;
  env_open(&e);
  vb_layout *l = load_layout_text(&e, "page: {size: A4, orientation: landscape}\n"
                                      "frame: {x: 20, y: 20, w: 100, h: 60}\n"
                                      "styles:\n"
                                      "  body: {font: serif, size: 20, align: center}\n"
                                      "body:\n"
                                      "  - text: \"{{recipient.name}}\"\n"
                                      "    fit: {min: 50%, lines: 2, first: shrink}\n");
  check(l != NULL);
  if (!l) {
    env_close(&e);
    return;
  }
  vb_tree *t = vb_tree_new();
  const char *const names[] = {"Lê Văn An",
                               "Công Tằng Tôn Nữ Thị Kiều Oanh Nguyễn Phạm Hoàng",
                               "Công Tằng Tôn Nữ Thị Kiều Oanh Nguyễn Phạm Hoàng Thiên Ân "
                               "Trương Thị Ưng Đặng Quốc Việt Bùi Thị Nhẫn Hồ Ngọc Hà Vũ Thị "
                               "Mỹ Ngọc Ngô Thiết Hùng Trần Việt Hùng Lương Thị Bích Hồng"};
  int expect_lines[] = {1, -1, 0};
  for (int i = 0; i < 3; i++) {
    const char *kv[] = {"name", names[i], NULL};
    vb_scope sc;
    memset(&sc, 0, sizeof sc);
    sc.roots[0].name = "recipient";
    sc.roots[0].value = map_of(t, kv);
    sc.nroots = 1;
    vb_dlist **pages = NULL;
    size_t n = 0;
    int rc = vb_layout_render(l, e.ts, &sc, NULL, &pages, &n, e.diag);
    if (expect_lines[i] == 0) {
      check_int(rc, VB_ERECORD); /* too long even on two lines at half size */
      check_int(n, 0);
    } else {
      check_int(rc, VB_OK);
      check_int(n, 1);
      if (n == 1) {
        /* glyph runs: one line at full size, or shrunk/wrapped */
        float size = 0;
        size_t runs = 0;
        float ys[8];
        for (size_t k = 0; k < vb_dlist_count(pages[0]); k++) {
          const vb_op *op = vb_dlist_op(pages[0], k);
          if (op->kind != VB_OP_GLYPHS) continue;
          if (runs < 8) ys[runs] = op->u.glyphs.y;
          runs++;
          size = op->u.glyphs.size;
          /* nothing leaves the frame: 20..120 mm */
          check(op->u.glyphs.x >= 20 * 72 / 25.4f - 0.01f);
        }
        if (expect_lines[i] == 1) {
          check(size == 20.0f);
          check_int(runs, 1);
        } else {
          check(size < 20.0f && size >= 10.0f);
          check(runs >= 1 && runs <= 2);
          (void)ys;
        }
      }
    }
    for (size_t k = 0; k < n; k++) vb_dlist_free(pages[k]);
    free(pages);
  }
  check(strstr(env_msgs(&e), "does not fit its box (100 mm wide) in 2 lines even at 10.0 pt") !=
        NULL);
  vb_tree_free(t);
  vb_layout_free(l);
  env_close(&e);
}

/* Wrap first (the default): a text that needs two lines keeps the style's size,
 * where shrink first sets it smaller on one line; lines of a centred text are
 * balanced and stay inside the measure. */
static void test_template_fit_wrap(void) {
  tl_env e;
  env_open(&e);
  const char *reason = "Đã có thành tích xuất sắc trong phong trào thi đua Dân vận khéo "
                       "năm 2024 tại Khu phố 3";
  for (int mode = 0; mode < 2; mode++) {
    vb_layout *l = load_layout_text(
        &e, mode == 0 ? "page: {size: A4, orientation: landscape}\n"
                        "frame: {x: 20, y: 20, w: 200, h: 100}\n"
                        "styles:\n"
                        "  body: {font: serif, size: 20, align: center, measure: 150mm}\n"
                        "body:\n"
                        "  - text: \"{{recipient.reason}}\"\n"
                        "    fit: {min: 50%, lines: 3}\n"
                      : "page: {size: A4, orientation: landscape}\n"
                        "frame: {x: 20, y: 20, w: 200, h: 100}\n"
                        "styles:\n"
                        "  body: {font: serif, size: 20, align: center, measure: 150mm}\n"
                        "body:\n"
                        "  - text: \"{{recipient.reason}}\"\n"
                        "    fit: {min: 50%, lines: 3, first: shrink}\n");
    check(l != NULL);
    if (!l) continue;
    vb_tree *t = vb_tree_new();
    const char *kv[] = {"reason", reason, NULL};
    vb_scope sc;
    memset(&sc, 0, sizeof sc);
    sc.roots[0].name = "recipient";
    sc.roots[0].value = map_of(t, kv);
    sc.nroots = 1;
    vb_dlist **pages = NULL;
    size_t n = 0;
    check_int(vb_layout_render(l, e.ts, &sc, NULL, &pages, &n, e.diag), VB_OK);
    if (n == 1) {
      float size = 0, ys[8], x0[8];
      size_t lines = 0;
      for (size_t k = 0; k < vb_dlist_count(pages[0]); k++) {
        const vb_op *op = vb_dlist_op(pages[0], k);
        if (op->kind != VB_OP_GLYPHS) continue;
        size = op->u.glyphs.size;
        if (lines == 0 || op->u.glyphs.y != ys[lines - 1]) {
          if (lines < 8) ys[lines] = op->u.glyphs.y, x0[lines] = op->u.glyphs.x;
          lines++;
        }
        /* inside the 150 mm measure, centred in the 200 mm frame: 45..195 mm */
        check(op->u.glyphs.x >= 45 * 72 / 25.4f - 0.5f);
      }
      if (mode == 0) {
        check(size == 20.0f);
        check_int(lines, 2);
        /* balanced: both lines start about as far from the frame's edge */
        if (lines == 2) check(fabsf(x0[0] - x0[1]) < 15 * 72 / 25.4f);
      } else {
        check(size < 20.0f);
        check_int(lines, 1);
      }
    }
    for (size_t k = 0; k < n; k++) vb_dlist_free(pages[k]);
    free(pages);
    vb_tree_free(t);
    vb_layout_free(l);
  }
  env_close(&e);
}

/* ---- line breaking (linebreak.c) */

/* The text with each gap shown: '|' a break, '~' a costly break, '=' a break
 * inside a name, '_' no break. `names` NULL-terminated. Valid until next call. */
static const char *gaps(const char *text, const char *const *names) {
  size_t len = strlen(text), nn = 0;
  while (names && names[nn]) nn++;
  vb_range keeps[16];
  size_t nk = vb_breaks_find_names(text, len, names, nn, keeps, 16);
  uint8_t *kinds = malloc(len + 1);
  vb_breaks_classify(text, len, keeps, nk, kinds);
  vb_strbuf_reset(&result);
  for (size_t i = 0; i < len; i++) {
    if (text[i] == ' ' && (i == 0 || text[i - 1] != ' ')) {
      static const char shown[] = {'_', '=', '~', '|'};
      vb_strbuf_putc(&result, shown[kinds[i]]);
    } else if (text[i] != ' ')
      vb_strbuf_putc(&result, text[i]);
  }
  free(kinds);
  return vb_strbuf_cstr(&result);
}

/* Breaks text into lines `w` characters wide (each code point 1 wide) and
 * returns them joined by " / ", or "none" when nothing fits. */
static const char *lines(const char *text, const char *const *names, float w,
                         vb_break_mode mode) {
  size_t len = strlen(text), nn = 0;
  while (names && names[nn]) nn++;
  vb_range keeps[16];
  size_t nk = vb_breaks_find_names(text, len, names, nn, keeps, 16);
  uint8_t *kinds = malloc(len + 1);
  vb_breaks_classify(text, len, keeps, nk, kinds);
  float *x = malloc(sizeof(float) * (len + 1));
  float cx = 0;
  for (size_t i = 0; i <= len; i++) {
    x[i] = cx;
    if (i < len && (text[i] & 0xC0) != 0x80) cx += 1;
  }
  vb_break_cand *c = malloc(sizeof *c * (len + 1));
  size_t *at = malloc(sizeof(size_t) * (len + 1)), *chosen = malloc(sizeof(size_t) * (len + 1));
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (kinds[i] != VB_BREAK_NO) {
      size_t e = i;
      while (text[e] == ' ') e++;
      c[n] = (vb_break_cand){x[i], x[e], kinds[i]};
      at[n++] = i;
    }
  int m = vb_breaks_choose(c, n, x[len], w, w, mode, chosen);
  vb_strbuf_reset(&result);
  if (m < 0) vb_strbuf_puts(&result, "none");
  size_t from = 0;
  for (int k = 0; m >= 0 && k <= m; k++) {
    size_t to = k < m ? at[chosen[k]] : len;
    if (k) vb_strbuf_puts(&result, " / ");
    vb_strbuf_add(&result, text + from, to - from);
    from = to;
    while (from < len && text[from] == ' ') from++;
  }
  free(kinds), free(x), free(c), free(at), free(chosen);
  return vb_strbuf_cstr(&result);
}

static void test_breaks_rules(void) {
  /* no line starts with a dash or closing punctuation, none ends with an opening one */
  check_str(gaps("sạch - sáng - an toàn”", NULL), "sạch_-|sáng_-|an|toàn”");
  check_str(gaps("phong trào “Dân vận khéo” , năm 2024 )", NULL),
            "phong|trào|“Dân|vận|khéo”_,|năm_2024_)");
  check_str(gaps("( ghi chú ) và \" trích \" dẫn", NULL), "(_ghi|chú_)|và|\"_trích_\"|dẫn");
  check_str(gaps("đạt 89,74 % kế hoạch ; 12 / 15", NULL), "đạt|89,74_%|kế|hoạch_;|12_/_15");
  /* document numbers and dates have no space; their introducing word stays */
  check_str(gaps("Số: 05/BB-UBND theo 04-KH/ĐU và Luật 98/2023/QH15", NULL),
            "Số:_05/BB-UBND|theo|04-KH/ĐU|và|Luật|98/2023/QH15");
  check_str(gaps("Số 12-BB/ĐU", NULL), "Số_12-BB/ĐU");
  /* a date in words stays whole (issue 7 item 5); "tháng 11 năm 2024" too */
  check_str(gaps("Mai Dịch, ngày 05 tháng 11 năm 2024 họp", NULL),
            "Mai|Dịch,|ngày_05=tháng_11=năm_2024|họp");
  check_str(gaps("trong tháng 11 năm 2024 và 3 tháng", NULL),
            "trong|tháng_11=năm_2024|và|3_tháng");
  check_str(gaps("số 12 năm 2024", NULL), "số_12|năm_2024");
  check_str(gaps("ngày 05/11/2024 tại", NULL), "ngày_05/11/2024|tại");
  /* a time */
  check_str(gaps("vào lúc 14 giờ 30 phút", NULL), "vào|lúc_14_giờ_30_phút");
  check_str(gaps("bắt đầu 14 giờ 30", NULL), "bắt|đầu|14_giờ_30");
  /* a number and its unit; a two-word unit is a costly break */
  check_str(gaps("hoàn thành 35/39 công trình với 500 bản", NULL),
            "hoàn|thành|35/39_công~trình|với|500_bản");
  check_str(gaps("Huy hiệu 30 năm tuổi Đảng", NULL), "Huy|hiệu|30_năm~tuổi|Đảng");
  check_str(gaps("Khu phố 3 và Phường 11", NULL), "Khu|phố_3|và|Phường_11");
  /* signing prefixes stay with the next word */
  check_str(gaps("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH T/M ĐẢNG ỦY K/T BÍ THƯ", NULL),
            "TM._ỦY|BAN|NHÂN|DÂN|KT._CHỦ|TỊCH|T/M_ĐẢNG|ỦY|K/T_BÍ|THƯ");
  /* names the record gives, also upper-cased inside other text */
  const char *const names[] = {"Thành ủy Hà Nội", "Khu tập thể Mai Dịch", "Phạm Văn Lợi", NULL};
  check_str(gaps("Ban Thường vụ Thành ủy Hà Nội tặng Khu tập thể Mai Dịch", names),
            "Ban|Thường|vụ|Thành=ủy=Hà=Nội|tặng|Khu=tập=thể=Mai=Dịch");
  check_str(gaps("BAN THƯỜNG VỤ THÀNH ỦY HÀ NỘI", names), "BAN|THƯỜNG|VỤ|THÀNH=ỦY=HÀ=NỘI");
  check_str(gaps("Thành ủy Hà Nộii và Thành ủy Hà", names),
            "Thành|ủy|Hà|Nộii|và|Thành|ủy|Hà"); /* whole words only */
  check_str(gaps("", names), "");
  check_str(gaps("   a   b   ", NULL), "_a|b_"); /* at the ends: no break */
  check_str(gaps("a\nb", NULL), "a\nb");
}

static void test_breaks_choose(void) {
  /* balanced: lines of about equal length, not a full first line and a short last */
  check_str(lines("một hai ba bốn năm sáu bảy tám chín mười", NULL, 30, VB_BREAK_BALANCED),
            "một hai ba bốn năm / sáu bảy tám chín mười");
  check_str(lines("một hai ba bốn năm sáu bảy tám chín mười", NULL, 30, VB_BREAK_RAGGED),
            "một hai ba bốn năm sáu bảy tám / chín mười");
  check_str(lines("ngắn", NULL, 30, VB_BREAK_BALANCED), "ngắn");
  /* the rules hold when greedy breaking would break them */
  check_str(lines("Đã có thành tích xuất sắc - sạch - sáng", NULL, 27, VB_BREAK_RAGGED),
            "Đã có thành tích xuất sắc - / sạch - sáng");
  check_str(lines("Đã có thành tích xuất sắc - sạch - sáng", NULL, 26, VB_BREAK_RAGGED),
            "Đã có thành tích xuất / sắc - sạch - sáng");
  check_str(lines("Mai Dịch, ngày 05 tháng 11 năm 2024", NULL, 20, VB_BREAK_BALANCED),
            "Mai Dịch, ngày 05 / tháng 11 năm 2024"); /* the date is wider than a line */
  check_str(lines("Đã họp ngày 05 tháng 11 năm 2024 tại phường", NULL, 34, VB_BREAK_BALANCED),
            "Đã họp ngày 05 tháng 11 năm 2024 / tại phường");
  /* a name breaks only when nothing else fits, and then as few times as possible */
  const char *const names[] = {"Khu tập thể Mai Dịch", NULL};
  check_str(lines("Tổ dân phố số 8 Khu tập thể Mai Dịch", names, 22, VB_BREAK_BALANCED),
            "Tổ dân phố số 8 / Khu tập thể Mai Dịch");
  check_str(lines("Tổ dân phố số 8 Khu tập thể Mai Dịch", names, 15, VB_BREAK_BALANCED),
            "Tổ dân phố / số 8 Khu tập / thể Mai Dịch");
  /* a piece wider than the line: no choice */
  check_str(lines("Số: 05/BB-UBND", NULL, 8, VB_BREAK_BALANCED), "none");
  check_str(lines("", NULL, 8, VB_BREAK_BALANCED), "");
}

int main(void) {
  test_filters_case();
  test_filters_text();
  test_filters_date();
  test_filters_honorific();
  test_filters_numbers();
  test_filters_check();
  test_filters_apply_buffers();
  test_filters_closest();
  test_template_errors();
  test_template_fit();
  test_template_fit_wrap();
  test_breaks_rules();
  test_breaks_choose();
  vb_strbuf_free(&result);
  return summary("test-layout");
}
