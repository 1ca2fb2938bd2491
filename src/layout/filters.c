/* filters.c - layout stage: built-in filters of {{ field | filter: args }}: Vietnamese
 * case (spec §5.3), NĐ 30/2020 dates and numbers (§1.4, §1.5), 36-HD/VPTW party numbers
 * (§2.1), Roman numerals, decimal comma. */
#include "layout-private.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define NBSP         "\xc2\xa0" /* U+00A0 NO-BREAK SPACE */
/* Blank left in an unnumbered draft for the registry clerk (văn thư) to write in. */
#define NUMBER_BLANK NBSP NBSP NBSP NBSP NBSP NBSP
/* Longest user value quoted in a message, in code points. */
#define QUOTE_MAX    60

/* A filter appends its result to `out`, or resets `err` to a message and
 * returns -1 (vb_filter_apply then removes anything it appended to `out`).
 * `in` is never NULL; args has as many entries as the table allows. */
typedef int (*filter_fn)(const char *in, const char *const *args, vb_strbuf *out,
                         vb_strbuf *err);

typedef struct filter {
  const char *name;
  unsigned min_args, max_args;
  filter_fn fn;
} filter;

/* ---- messages */

/* Appends s quoted for a one-line message: control characters become spaces
 * and a long value is cut with "…". */
static void put_quoted(vb_strbuf *sb, const char *s) {
  const char *p = s, *end = s + strlen(s);
  size_t n = 0;
  vb_strbuf_putc(sb, '\'');
  while (p < end) {
    const char *start = p;
    uint32_t c = vb_utf8_next(&p, end);
    if (++n > QUOTE_MAX) {
      vb_strbuf_puts(sb, "…");
      break;
    }
    if (c < 0x20 || c == 0x7f)
      vb_strbuf_putc(sb, ' ');
    else
      vb_strbuf_add(sb, start, (size_t)(p - start));
  }
  vb_strbuf_putc(sb, '\'');
}

/* err = "'value' " + what. Always returns -1. */
static int bad_value(vb_strbuf *err, const char *value, const char *what) {
  vb_strbuf_reset(err);
  put_quoted(err, value);
  vb_strbuf_putc(err, ' ');
  vb_strbuf_puts(err, what);
  return -1;
}

static int fail(vb_strbuf *err, const char *fmt, ...) VB_PRINTF(2, 3);
static int fail(vb_strbuf *err, const char *fmt, ...) {
  va_list ap;
  vb_strbuf_reset(err);
  va_start(ap, fmt);
  vb_strbuf_vprintf(err, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- text helpers */

static bool is_space_ascii(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* [*b, *b + *n) = s without leading/trailing ASCII white space and U+00A0. */
static void trim_range(const char *s, const char **b, size_t *n) {
  const char *end = s + strlen(s);
  for (;;) {
    if (s < end && is_space_ascii(*s))
      s++;
    else if (end - s >= 2 && memcmp(s, NBSP, 2) == 0)
      s += 2;
    else
      break;
  }
  for (;;) {
    if (end > s && is_space_ascii(end[-1]))
      end--;
    else if (end - s >= 2 && memcmp(end - 2, NBSP, 2) == 0)
      end -= 2;
    else
      break;
  }
  *b = s;
  *n = (size_t)(end - s);
}

/* Trimmed copy of s; caller frees. */
static char *trim_dup(const char *s) {
  const char *b;
  size_t n;
  trim_range(s, &b, &n);
  return vb_xstrndup(b, n);
}

/* Lower case of one code point: ASCII, Latin-1, Latin Extended-A, Ơ/Ư, Greek,
 * Cyrillic and Latin Extended Additional (U+1E00–U+1EFF, where every Vietnamese
 * letter with a tone mark has its upper case at the even code point). Base has
 * vb_utf8_upper only; other scripts are left as they are. */
static uint32_t lower_cp(uint32_t c) {
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
  if (c >= 0xc0 && c <= 0xde && c != 0xd7)
    return c + 0x20;
  if (c == 0x130) /* İ */
    return 'i';
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
    return c | 1; /* pairs start at an even code point: Đ U+0110 → đ U+0111 */
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
    return c & 1 ? c + 1 : c; /* pairs start at an odd code point */
  if (c == 0x178)
    return 0xff;
  if (c == 0x1a0 || c == 0x1af) /* Ơ, Ư */
    return c + 1;
  if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40f)
    return c + 0x50;
  if (c >= 0x410 && c <= 0x42f)
    return c + 0x20;
  if ((c >= 0x1e00 && c <= 0x1e95) || (c >= 0x1ea0 && c <= 0x1eff))
    return c | 1;
  if (c == 0x1e9e) /* ẞ */
    return 0xdf;
  return c;
}

static void put_cp(vb_strbuf *sb, uint32_t c) {
  char buf[4];
  int n = vb_utf8_put(c, buf);
  vb_strbuf_add(sb, buf, (size_t)n);
}

/* Appends the NFC lower case of [s, s+len). */
static void put_lower(vb_strbuf *out, const char *s, size_t len) {
  vb_strbuf tmp = VB_STRBUF_INIT;
  const char *p = s, *end = s + len;
  char *nfc;
  size_t nfc_len;
  while (p < end)
    put_cp(&tmp, lower_cp(vb_utf8_next(&p, end)));
  /* Lowering keeps precomposed letters precomposed; NFC only matters for rare
   * leftover combining marks, and keeps the "NFC in, NFC out" promise. */
  nfc = vb_utf8_nfc(vb_strbuf_cstr(&tmp), tmp.len, &nfc_len);
  vb_strbuf_add(out, nfc, nfc_len);
  free(nfc);
  vb_strbuf_free(&tmp);
}

static void put_upper(vb_strbuf *out, const char *s, size_t len) {
  char *up = vb_utf8_upper(s, len);
  vb_strbuf_puts(out, up);
  free(up);
}

/* If s starts with `prefix` (compared in lower case, code point by code point),
 * returns the rest of s; else NULL. `prefix` is lower case. */
static const char *skip_prefix_nocase(const char *s, const char *prefix) {
  const char *end = s + strlen(s), *pend = prefix + strlen(prefix);
  while (prefix < pend) {
    if (s >= end || lower_cp(vb_utf8_next(&s, end)) != vb_utf8_next(&prefix, pend))
      return NULL;
  }
  return s;
}

static bool equals_nocase(const char *s, const char *lower) {
  const char *rest = skip_prefix_nocase(s, lower);
  return rest && *rest == '\0';
}

/* ---- number and date parsing shared by several filters */

/* Parses in (trimmed) as a non-negative integer. Returns 1 when in is blank
 * (nothing to write), 0 with *v set, or -1 with err = "'in' " + what. */
static int get_uint(const char *in, unsigned long *v, const char *what, vb_strbuf *err) {
  char *t = trim_dup(in);
  int r = 0;
  if (*t == '\0')
    r = 1;
  else if (vb_parse_uint(t, v) != 0)
    r = bad_value(err, in, what);
  free(t);
  return r;
}

/* Parses in (trimmed) with vb_date_parse. Returns 1 when blank, 0, or -1. */
static int get_date(const char *in, vb_date *dt, vb_strbuf *err) {
  char *t = trim_dup(in);
  int r = 0;
  if (*t == '\0')
    r = 1;
  else if (vb_date_parse(t, dt) != 0)
    r = bad_value(err, in, "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
  free(t);
  return r;
}

/* NĐ 30 §II.4: a leading zero for days 1–9 and for months 1 and 2 only. */
static void put_day(vb_strbuf *out, int day) { vb_strbuf_printf(out, "%02d", day); }
static void put_month(vb_strbuf *out, int month) {
  vb_strbuf_printf(out, month <= 2 ? "%02d" : "%d", month);
}

/* ---- filters: case and spacing */

static int filter_upper(const char *in, const char *const *args, vb_strbuf *out,
                        vb_strbuf *err) {
  (void)args, (void)err;
  put_upper(out, in, strlen(in));
  return 0;
}

static int filter_lower(const char *in, const char *const *args, vb_strbuf *out,
                        vb_strbuf *err) {
  (void)args, (void)err;
  put_lower(out, in, strlen(in));
  return 0;
}

/* Characters skipped before the first letter: white space and punctuation
 * (quotes, brackets, dashes). A digit stops the search: "3 tổ" stays as is. */
static bool is_lead_punct(uint32_t c) {
  if (c < 0x80)
    return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
  return (c >= 0xa0 && c <= 0xbf) || (c >= 0x2000 && c <= 0x206f) ||
         (c >= 0x3000 && c <= 0x303f) || c == 0xfeff;
}

/* Upper-cases the first letter and leaves the rest as written (a name like
 * "nguyễn Văn An" keeps its inner capitals). */
static int filter_capitalize(const char *in, const char *const *args, vb_strbuf *out,
                             vb_strbuf *err) {
  const char *p = in, *end = in + strlen(in);
  (void)args, (void)err;
  while (p < end) {
    const char *start = p;
    if (is_lead_punct(vb_utf8_next(&p, end)))
      continue;
    vb_strbuf_add(out, in, (size_t)(start - in));
    put_upper(out, start, (size_t)(p - start));
    vb_strbuf_add(out, p, (size_t)(end - p));
    return 0;
  }
  vb_strbuf_add(out, in, (size_t)(end - in));
  return 0;
}

static int filter_trim(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  const char *b;
  size_t n;
  (void)args, (void)err;
  trim_range(in, &b, &n);
  vb_strbuf_add(out, b, n);
  return 0;
}

/* Only ASCII spaces: other white space (a line break the author wrote) stays. */
static int filter_nbsp(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  (void)args, (void)err;
  for (const char *p = in; *p; p++) {
    if (*p == ' ')
      vb_strbuf_puts(out, NBSP);
    else
      vb_strbuf_putc(out, *p);
  }
  return 0;
}

/* The text as is: the typesetter keeps a field so marked on one line when it can
 * (a proper name; see vb_breaks_classify). */
static int filter_keep(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  (void)args, (void)err;
  vb_strbuf_puts(out, in);
  return 0;
}

/* vb_utf8_slug as is, so "" gives its placeholder "x" (for file names). */
static int filter_slug(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  char *s = vb_utf8_slug(in, strlen(in));
  (void)args, (void)err;
  vb_strbuf_puts(out, s);
  free(s);
  return 0;
}

/* ---- filters: defaults and affixes ("empty" means "", not blank: use trim first) */

static int filter_default(const char *in, const char *const *args, vb_strbuf *out,
                          vb_strbuf *err) {
  (void)err;
  vb_strbuf_puts(out, *in ? in : args[0]);
  return 0;
}

static int filter_prefix(const char *in, const char *const *args, vb_strbuf *out,
                         vb_strbuf *err) {
  (void)err;
  if (*in) {
    vb_strbuf_puts(out, args[0]);
    vb_strbuf_puts(out, in);
  }
  return 0;
}

static int filter_suffix(const char *in, const char *const *args, vb_strbuf *out,
                         vb_strbuf *err) {
  (void)err;
  if (*in) {
    vb_strbuf_puts(out, in);
    vb_strbuf_puts(out, args[0]);
  }
  return 0;
}

/* A sentence's full stop: added unless the text already ends with one (or with '!',
 * '?' or '…'), so a record that ends its own sentence does not print "phường..". */
static int filter_period(const char *in, const char *const *args, vb_strbuf *out,
                         vb_strbuf *err) {
  (void)args;
  (void)err;
  size_t n = strlen(in);
  while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
    n--;
  if (n == 0)
    return 0;
  vb_strbuf_add(out, in, n);
  bool ended = strchr(".!?", in[n - 1]) != NULL ||
               (n >= 3 && memcmp(in + n - 3, "\xe2\x80\xa6", 3) == 0); /* U+2026 */
  if (!ended)
    vb_strbuf_puts(out, ".");
  return 0;
}

/* ---- filters: dates. A blank value writes nothing (layouts use `default` or a
 * condition). A date-time keeps the local date as written ("...T23:30+07:00" is
 * still that day): there is no conversion to UTC. */

static int filter_date(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r != 0)
    return r < 0 ? -1 : 0;
  vb_strbuf_puts(out, "ngày ");
  put_day(out, dt.day);
  vb_strbuf_puts(out, " tháng ");
  put_month(out, dt.month);
  vb_strbuf_printf(out, " năm %d", dt.year);
  return 0;
}

static int filter_day(const char *in, const char *const *args, vb_strbuf *out,
                      vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r == 0)
    put_day(out, dt.day);
  return r < 0 ? -1 : 0;
}

static int filter_month(const char *in, const char *const *args, vb_strbuf *out,
                        vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r == 0)
    put_month(out, dt.month);
  return r < 0 ? -1 : 0;
}

static int filter_year(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r == 0)
    vb_strbuf_printf(out, "%d", dt.year);
  return r < 0 ? -1 : 0;
}

/* "05/11/2024": the short form pads both day and month. */
static int filter_dmy(const char *in, const char *const *args, vb_strbuf *out,
                      vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r == 0)
    vb_strbuf_printf(out, "%02d/%02d/%d", dt.day, dt.month, dt.year);
  return r < 0 ? -1 : 0;
}

/* "14 giờ 00", "8 giờ 05": the hour as spoken (no leading zero), minutes always
 * two digits, no "phút" (a layout adds it as literal text if it wants it);
 * seconds are dropped. The local time as written, like the date. */
static int filter_time(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  vb_date dt;
  int r = get_date(in, &dt, err);
  (void)args;
  if (r != 0)
    return r < 0 ? -1 : 0;
  if (!dt.has_time)
    return bad_value(err, in,
                     "has no time (expected a date-time such as 2024-11-05T14:00)");
  vb_strbuf_printf(out, "%d giờ %02d", dt.hour, dt.minute);
  return 0;
}

/* ---- filters: people and numbers */

static int filter_honorific(const char *in, const char *const *args, vb_strbuf *out,
                            vb_strbuf *err) {
  static const char *const male[] = {"nam", "male", "m", NULL};
  static const char *const female[] = {"nữ", "nu", "female", "f", NULL};
  char *t = trim_dup(in);
  const char *word = NULL;
  int r = 0;
  (void)args;
  for (size_t i = 0; male[i] && !word; i++)
    if (equals_nocase(t, male[i]))
      word = "Ông";
  for (size_t i = 0; female[i] && !word; i++)
    if (equals_nocase(t, female[i]))
      word = "Bà";
  if (word)
    vb_strbuf_puts(out, word);
  else if (*t)
    r = bad_value(err, in, "is not a gender (expected nam or nữ)");
  free(t);
  return r;
}

/* Checks one part of a document symbol (TYPE or ISSUER, trimmed into *part):
 * no spaces inside (§1.4). An empty part is allowed when `optional`. */
static int get_symbol_part(const char *arg, const char *filter_name, const char *role,
                           bool optional, char **part, vb_strbuf *err) {
  *part = trim_dup(arg);
  if (!**part && !optional) {
    free(*part);
    *part = NULL;
    return fail(err, "filter '%s' needs a document %s (found an empty argument)",
                filter_name, role);
  }
  for (const char *p = *part; *p; p++) {
    if (is_space_ascii(*p) || (p[0] == '\xc2' && p[1] == '\xa0')) {
      bad_value(err, arg, "has a space (expected no spaces inside a document symbol)");
      free(*part);
      *part = NULL;
      return -1;
    }
  }
  return 0;
}

#define NUMBER_EXPECTED "is not a document number (expected a non-negative integer)"

/* NĐ 30 §1.4: "Số: 05/QĐ-UBND"; no TYPE (công văn): "Số: 12/UBND-VX" with
 * ISSUER "UBND-VX". No break after "Số:"; blank number → a run of NBSPs. */
static int filter_state_number(const char *in, const char *const *args, vb_strbuf *out,
                               vb_strbuf *err) {
  unsigned long n = 0;
  char *type, *issuer;
  int r = get_uint(in, &n, NUMBER_EXPECTED, err);
  if (r < 0)
    return -1;
  if (get_symbol_part(args[0], "state_number", "type", true, &type, err) < 0)
    return -1;
  if (get_symbol_part(args[1], "state_number", "issuer", false, &issuer, err) < 0) {
    free(type);
    return -1;
  }
  if (r == 1)
    vb_strbuf_puts(out, "Số:" NUMBER_BLANK "/");
  else
    vb_strbuf_printf(out, "Số:" NBSP "%02lu/", n);
  if (*type)
    vb_strbuf_printf(out, "%s-", type);
  vb_strbuf_puts(out, issuer);
  free(type);
  free(issuer);
  return 0;
}

/* 36-HD §2.1: "Số 05-QĐ/ĐU": no colon, hyphen before the type (required: a party
 * công văn is "CV"), slash before the issuer. NBSP after "Số" as in state numbers. */
static int filter_party_number(const char *in, const char *const *args, vb_strbuf *out,
                               vb_strbuf *err) {
  unsigned long n = 0;
  char *type, *issuer;
  int r = get_uint(in, &n, NUMBER_EXPECTED, err);
  if (r < 0)
    return -1;
  if (get_symbol_part(args[0], "party_number", "type", false, &type, err) < 0)
    return -1;
  if (get_symbol_part(args[1], "party_number", "issuer", false, &issuer, err) < 0) {
    free(type);
    return -1;
  }
  if (r == 1)
    vb_strbuf_puts(out, "Số" NUMBER_BLANK);
  else
    vb_strbuf_printf(out, "Số" NBSP "%02lu", n);
  vb_strbuf_printf(out, "-%s/%s", type, issuer);
  free(type);
  free(issuer);
  return 0;
}

static int filter_pad2(const char *in, const char *const *args, vb_strbuf *out,
                       vb_strbuf *err) {
  unsigned long n;
  int r = get_uint(in, &n, "is not a number (expected a non-negative integer)", err);
  (void)args;
  if (r == 0)
    vb_strbuf_printf(out, "%02lu", n);
  return r < 0 ? -1 : 0;
}

static int filter_roman(const char *in, const char *const *args, vb_strbuf *out,
                        vb_strbuf *err) {
  static const struct {
    unsigned value;
    const char *digits;
  } table[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
               {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
               {5, "V"},    {4, "IV"},   {1, "I"}};
  unsigned long n;
  int r = get_uint(in, &n, "is not a number (expected an integer from 1 to 3999)", err);
  (void)args;
  if (r != 0)
    return r < 0 ? -1 : 0;
  if (n < 1 || n > 3999)
    return bad_value(err, in, "cannot be written in Roman numerals (expected 1 to 3999)");
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    for (; n >= table[i].value; n -= table[i].value)
      vb_strbuf_puts(out, table[i].digits);
  return 0;
}

/* Vietnamese number format: "-1234567.50" → "-1.234.567,50". Works on the text,
 * so every digit written is kept (no rounding through a double); leading zeros
 * of the integer part and a '+' sign are dropped. */
static int filter_decimal(const char *in, const char *const *args, vb_strbuf *out,
                          vb_strbuf *err) {
  char *t = trim_dup(in);
  const char *p = t, *int_start, *int_end, *frac = NULL;
  bool negative = false;
  (void)args;
  if (*t == '\0') {
    free(t);
    return 0;
  }
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  int_start = p;
  while (*p >= '0' && *p <= '9')
    p++;
  int_end = p;
  if (*p == '.') {
    frac = ++p;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  if (int_end == int_start || *p || (frac && p == frac)) {
    free(t);
    return bad_value(err, in,
                     "is not a number (expected digits with an optional '.' fraction, "
                     "such as 1234.5)");
  }
  while (int_end - int_start > 1 && *int_start == '0')
    int_start++;
  if (negative)
    vb_strbuf_putc(out, '-');
  for (const char *d = int_start; d < int_end; d++) {
    if (d > int_start && (int_end - d) % 3 == 0)
      vb_strbuf_putc(out, '.');
    vb_strbuf_putc(out, *d);
  }
  if (frac) {
    vb_strbuf_putc(out, ',');
    vb_strbuf_puts(out, frac);
  }
  free(t);
  return 0;
}

/* ---- table: keep filter_names in the same order */

static const filter filters[] = {
    {"upper", 0, 0, filter_upper},
    {"lower", 0, 0, filter_lower},
    {"capitalize", 0, 0, filter_capitalize},
    {"trim", 0, 0, filter_trim},
    {"nbsp", 0, 0, filter_nbsp},
    {"keep", 0, 0, filter_keep},
    {"slug", 0, 0, filter_slug},
    {"default", 1, 1, filter_default},
    {"prefix", 1, 1, filter_prefix},
    {"suffix", 1, 1, filter_suffix},
    {"period", 0, 0, filter_period},
    {"date", 0, 0, filter_date},
    {"day", 0, 0, filter_day},
    {"month", 0, 0, filter_month},
    {"year", 0, 0, filter_year},
    {"dmy", 0, 0, filter_dmy},
    {"time", 0, 0, filter_time},
    {"honorific", 0, 0, filter_honorific},
    {"state_number", 2, 2, filter_state_number},
    {"party_number", 2, 2, filter_party_number},
    {"pad2", 0, 0, filter_pad2},
    {"roman", 0, 0, filter_roman},
    {"decimal", 0, 0, filter_decimal},
};

#define FILTER_COUNT (sizeof filters / sizeof filters[0])

static const char *const filter_names[] = {"upper",
                                           "lower",
                                           "capitalize",
                                           "trim",
                                           "nbsp",
                                           "keep",
                                           "slug",
                                           "default",
                                           "prefix",
                                           "suffix",
                                           "period",
                                           "date",
                                           "day",
                                           "month",
                                           "year",
                                           "dmy",
                                           "time",
                                           "honorific",
                                           "state_number",
                                           "party_number",
                                           "pad2",
                                           "roman",
                                           "decimal",
                                           NULL};

_Static_assert(sizeof filter_names / sizeof filter_names[0] == FILTER_COUNT + 1,
               "filter_names must list every filter of the table");

static const filter *find_filter(const char *name) {
  for (size_t i = 0; i < FILTER_COUNT; i++)
    if (strcmp(filters[i].name, name) == 0)
      return &filters[i];
  return NULL;
}

const char *const *vb_filter_names(void) { return filter_names; }

int vb_filter_check(const char *name, size_t nargs, vb_strbuf *err) {
  const filter *f;
  assert(name && err);
  f = find_filter(name);
  if (!f) {
    const char *near = vb_closest(name, filter_names);
    vb_strbuf_reset(err);
    vb_strbuf_puts(err, "unknown filter ");
    put_quoted(err, name);
    if (near)
      vb_strbuf_printf(err, " (did you mean '%s'?)", near);
    return -1;
  }
  if (nargs >= f->min_args && nargs <= f->max_args)
    return 0;
  if (f->max_args == 0)
    return fail(err, "filter '%s' takes no argument", name);
  if (f->min_args == f->max_args)
    return fail(err, "filter '%s' takes %u argument%s", name, f->min_args,
                f->min_args == 1 ? "" : "s");
  return fail(err, "filter '%s' takes %u to %u arguments", name, f->min_args, f->max_args);
}

int vb_filter_apply(const char *name, const char *in, size_t nargs, const char *const *args,
                    vb_strbuf *out, vb_strbuf *err) {
  size_t mark = out->len;
  if (vb_filter_check(name, nargs, err) < 0)
    return -1;
  assert(nargs == 0 || args);
  if (find_filter(name)->fn(in ? in : "", args, out, err) == 0)
    return 0;
  /* Leave `out` as it was: a failed filter writes nothing. */
  out->len = mark;
  if (out->data)
    out->data[mark] = '\0';
  return -1;
}
