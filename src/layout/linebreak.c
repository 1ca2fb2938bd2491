/* linebreak.c - vanban layout stage: Vietnamese line-breaking rules (where a line
 * may end) and the choice of breaks (balanced or ragged), on NFC UTF-8 text.
 * Pure rules: flow.c measures the text with Pango and shapes the chosen lines.
 * Rules after spec/vn-formal-rules.md §5.5 and UAX #14 (LB13, LB21, LB25). */
#include "layout-private.h"

#include <glib.h>
#include <string.h>

/* ---- tokens: the text between spaces */
typedef struct tok {
  size_t start, end; /* bytes */
} tok;

static uint32_t cp_at(const char *s, size_t len, size_t off) {
  const char *p = s + off;
  return vb_utf8_next(&p, s + len);
}

/* The last code point of text[start, end). */
static uint32_t cp_last(const char *s, size_t start, size_t end) {
  if (end <= start) return 0;
  size_t i = end - 1;
  while (i > start && (s[i] & 0xC0) == 0x80) i--;
  return cp_at(s, end, i);
}

static bool is_dash(uint32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
         c == 0x2015 || c == 0x2212;
}

/* Characters a line must not start with (closing punctuation, dashes, '/'). */
static bool no_line_start(uint32_t c) {
  if (is_dash(c)) return true;
  switch (c) {
  case ')': case ']': case '}': case ',': case '.': case ';': case ':': case '!': case '?':
  case '%': case '/': case 0x201D: case 0x2019: case 0x00BB: case 0x203A: case 0x2026:
  case 0x3001: case 0x3002:
    return true;
  default:
    return false;
  }
}

/* Characters a line must not end with (opening punctuation). */
static bool no_line_end(uint32_t c) {
  switch (c) {
  case '(': case '[': case '{': case 0x201C: case 0x2018: case 0x00AB: case 0x2039:
    return true;
  default:
    return false;
  }
}

/* Count of '"' in s[0, end). */
static size_t quotes_before(const char *s, size_t end) {
  size_t n = 0;
  for (size_t i = 0; i < end; i++) n += s[i] == '"';
  return n;
}

static bool tok_is(const char *s, const tok *t, const char *const *words, bool strip) {
  size_t n = t->end - t->start;
  if (n == 0 || n > 40) return false;
  char buf[48];
  memcpy(buf, s + t->start, n);
  buf[n] = 0;
  if (strip)
    while (n > 1 && (buf[n - 1] == ':' || buf[n - 1] == '.' || buf[n - 1] == ',')) buf[--n] = 0;
  /* lower case character by character (g_utf8_strdown's result, but for the
   * two characters it treats specially: dotted capital I and capital sigma) */
  char low[48 * 2 + 8];
  size_t o = 0;
  bool special = false;
  for (const char *p = buf, *end = buf + n; p < end && !special;) {
    uint32_t c = vb_utf8_next(&p, end);
    if (c == 0x130 || c == 0x3a3) special = true;
    else if (c < 0x80) low[o++] = g_ascii_tolower((char)c);
    else o += (size_t)g_unichar_to_utf8(g_unichar_tolower(c), low + o);
  }
  low[o] = 0;
  bool hit = false;
  if (special) {
    char *dl = g_utf8_strdown(buf, (gssize)n);
    for (const char *const *w = words; *w && !hit; w++) hit = !strcmp(dl, *w);
    g_free(dl);
    return hit;
  }
  for (const char *const *w = words; *w && !hit; w++) hit = (*w)[0] == low[0] && !strcmp(low, *w);
  return hit;
}

/* Words after which a number stays on the same line ("ngày 05", "Số: 12/BB-UBND",
 * "Khu phố 3", "lúc 14 giờ"). Compared in lower case, trailing ':' '.' dropped. */
static const char *const intro_words[] = {
    "ngày", "tháng", "năm",  "số",   "giờ",   "phút",  "lúc",   "điều", "khoản", "điểm",
    "chương", "mục", "phần", "khóa", "khoá",  "kỳ",    "kì",    "lần",  "quý",   "đợt",
    "thứ",  "tổ",    "phố",  "ấp",   "thôn",  "xóm",   "khóm",  "phường", "quận", "huyện",
    "xã",   "tuần",  "lớp",  "trang", "no",   "nr",    "hạng",  "cấp",  "khu",   "đội",
    NULL};
/* A date in words stays whole ("ngày 05 tháng 11 năm 2024", issue 7 item 5): the
 * number after "ngày" or "tháng" keeps the next part ("tháng", "năm") unless the
 * date does not fit on a line. */
static const char *const date_words[] = {"ngày", "tháng", NULL};
static const char *const date_next[] = {"tháng", "năm", NULL};
/* Words that keep a time together ("14 giờ 30", "30 phút"). */
static const char *const time_words[] = {"giờ", "phút", "giây", "h", NULL};
/* Signing prefixes that stay with the next word (Nghị định 30 §II.7; party "T/M"). */
static const char *const prefixes[] = {"tm.",   "kt.", "t/m", "k/t", "tl.", "t/l", "tuq.",
                                       "q.",    "t.m.", "k.t.", "t.l.", NULL};

/* Starts with a digit: "05", "05/BB-UBND", "(1)". */
static bool starts_digit(const char *s, const tok *t) {
  if (t->end <= t->start) return false;
  unsigned char c = (unsigned char)s[t->start];
  if (c == '(' && t->end > t->start + 1) c = (unsigned char)s[t->start + 1];
  return c >= '0' && c <= '9';
}

/* A quantity: digits and separators only ("500", "35/39", "89,74%", "1.234,5");
 * not a document number ("04-KH/ĐU"). */
static bool is_number(const char *s, const tok *t) {
  if (!starts_digit(s, t)) return false;
  for (size_t i = t->start; i < t->end; i++)
    if (!strchr("0123456789.,/%:-()", s[i])) return false;
  return true;
}

static bool starts_letter(const char *s, size_t len, const tok *t) {
  if (t->end <= t->start) return false;
  uint32_t c = cp_at(s, len, t->start);
  return g_unichar_isalpha(c) || c == '%';
}

static bool starts_lower(const char *s, size_t len, const tok *t) {
  if (t->end <= t->start) return false;
  uint32_t c = cp_at(s, len, t->start);
  return g_unichar_islower(c);
}

void vb_breaks_classify(const char *text, size_t len, const vb_range *keeps, size_t nkeeps,
                        uint8_t *kinds) {
  memset(kinds, VB_BREAK_NO, len);
  /* the tokens, then one gap between each two of the same line */
  GArray *toks = g_array_new(FALSE, FALSE, sizeof(tok));
  size_t i = 0;
  while (i < len) {
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) i++;
    if (i >= len) break;
    tok t = {i, i};
    while (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') i++;
    t.end = i;
    g_array_append_val(toks, t);
  }
  const tok *tk = (const tok *)toks->data;
  bool bound_back = false; /* the previous token is a number held by its intro word */
  bool date_back = false;  /* ... and that word is "ngày" or "tháng" */
  bool after_unit = false; /* the previous gap joined a number and its unit */
  for (guint k = 0; k + 1 < toks->len; k++) {
    const tok *a = &tk[k], *b = &tk[k + 1];
    size_t gap = a->end;
    bool spaces_only = true;
    for (size_t j = a->end; j < b->start; j++)
      if (text[j] != ' ') spaces_only = false;
    uint8_t kind = VB_BREAK_YES;
    uint32_t first = cp_at(text, len, b->start), last = cp_last(text, a->start, a->end);
    bool next_bound_back = false, next_date_back = false, unit = false;
    if (!spaces_only) {
      kind = VB_BREAK_NO; /* a hard line break or a tab: not a choice */
    } else if (no_line_start(first) ||
               (first == '"' && quotes_before(text, b->start) % 2 == 1)) {
      kind = VB_BREAK_NO;
    } else if (no_line_end(last) ||
               (last == '"' && quotes_before(text, a->end) % 2 == 1)) {
      kind = VB_BREAK_NO;
    } else if (tok_is(text, a, prefixes, false)) {
      kind = VB_BREAK_NO;
    } else if (a->end - a->start == 1 && text[a->start] == '/') {
      kind = VB_BREAK_NO; /* "12 / 15" */
    } else if (starts_digit(text, b) && tok_is(text, a, intro_words, true)) {
      kind = VB_BREAK_NO;
      next_bound_back = true;
      next_date_back = tok_is(text, a, date_words, true);
    } else if (date_back && is_number(text, a) && tok_is(text, b, date_next, true)) {
      /* "ngày 05 tháng", "tháng 11 năm": as inside a name, broken only when the
       * date alone is wider than the line */
      kind = VB_BREAK_AVOID;
    } else if (is_number(text, a) && tok_is(text, b, time_words, true)) {
      kind = VB_BREAK_NO;
    } else if (is_number(text, a) && !bound_back && starts_letter(text, len, b)) {
      kind = VB_BREAK_NO; /* a number and its unit: "500 bản", "35/39 công trình" */
      unit = true;
    } else if (after_unit && starts_lower(text, len, b) && starts_lower(text, len, a)) {
      kind = VB_BREAK_LATE; /* a unit of two words: "35/39 công / trình" */
    }
    if (kind == VB_BREAK_YES || kind == VB_BREAK_LATE)
      for (size_t r = 0; r < nkeeps; r++)
        if (keeps[r].start < gap && b->start < keeps[r].end) {
          kind = VB_BREAK_AVOID;
          break;
        }
    if (spaces_only) kinds[gap] = kind;
    bound_back = next_bound_back;
    date_back = next_date_back;
    after_unit = unit;
  }
  g_array_free(toks, TRUE);
}

/* ---- names */
static bool word_char(uint32_t c) { return g_unichar_isalnum(c) || g_unichar_ismark(c); }

/* Length in text of a case-insensitive match of `name` at text[off], or 0. */
static size_t match_at(const char *text, size_t len, size_t off, const char *name) {
  const char *p = text + off, *end = text + len, *q = name;
  const char *qend = name + strlen(name);
  while (q < qend) {
    if (p >= end) return 0;
    uint32_t a = vb_utf8_next(&p, end), b = vb_utf8_next(&q, qend);
    if (a != b && g_unichar_tolower(a) != g_unichar_tolower(b)) return 0;
  }
  if (p < end && word_char(cp_at(text, len, (size_t)(p - text)))) return 0;
  return (size_t)(p - (text + off));
}

size_t vb_breaks_find_names(const char *text, size_t len, const char *const *names,
                            size_t nnames, vb_range *out, size_t cap) {
  /* The names in lower case (match_at's comparison, character by character),
   * and the text lower-cased once with the byte offset of each character: one
   * pass over the text tries, at each character, the names that start with it
   * (a bit per first character for the quick no), and match_at confirms.
   * Each name's matches are kept apart so that the result lists them name by
   * name, as one search per name would. */
  typedef struct nm {
    const char *name;
    uint32_t low[64];
    size_t cmp;  /* characters compared before match_at (a longer name: the first) */
    size_t next; /* first character a new match of this name may start at */
    vb_range *found;
    size_t nfound;
  } nm;
  if (!cap || !len) return 0;
  nm *list = g_new(nm, nnames ? nnames : 1);
  size_t nl = 0;
  uint64_t firsts = 0;
  for (size_t k = 0; k < nnames; k++) {
    const char *name = names[k];
    if (!name || !strchr(name, ' ')) continue; /* one word: nothing to keep together */
    nm *e = &list[nl++];
    e->name = name;
    e->cmp = 0;
    e->next = 0;
    e->nfound = 0;
    e->found = NULL;
    bool long_name = false;
    for (const char *q = name, *qend = name + strlen(name); q < qend;) {
      uint32_t c = vb_utf8_next(&q, qend);
      if (e->cmp == 64) {
        long_name = true;
        break;
      }
      e->low[e->cmp++] = g_unichar_tolower(c);
    }
    if (long_name) e->cmp = 1;
    firsts |= (uint64_t)1 << (e->low[0] & 63);
  }
  if (!nl) {
    g_free(list);
    return 0;
  }
  vb_range *store = g_new(vb_range, nl * cap);
  for (size_t k = 0; k < nl; k++) list[k].found = store + k * cap;
  uint32_t *low = g_new(uint32_t, len + 1);
  uint32_t *offs = g_new(uint32_t, len + 1);
  size_t nch = 0;
  for (const char *p = text, *end = text + len; p < end;) {
    offs[nch] = (uint32_t)(p - text);
    uint32_t c = vb_utf8_next(&p, end);
    low[nch++] = c < 0x80 ? (uint32_t)g_ascii_tolower((char)c) : g_unichar_tolower(c);
  }
  offs[nch] = (uint32_t)len;
  for (size_t j = 0; j < nch; j++) {
    if (!(firsts >> (low[j] & 63) & 1)) continue;
    for (size_t k = 0; k < nl; k++) {
      nm *e = &list[k];
      if (j < e->next || e->nfound == cap) continue;
      size_t t = 0;
      while (t < e->cmp && j + t < nch && low[j + t] == e->low[t]) t++;
      if (t < e->cmp) continue;
      size_t i = offs[j];
      bool start = i == 0 || !word_char(cp_last(text, 0, i));
      size_t m = start ? match_at(text, len, i, e->name) : 0;
      if (!m) continue;
      e->found[e->nfound].start = (uint32_t)i;
      e->found[e->nfound].end = (uint32_t)(i + m);
      e->nfound++;
      size_t jj = j;
      while (jj < nch && offs[jj] < i + m) jj++;
      e->next = jj;
    }
  }
  size_t n = 0;
  for (size_t k = 0; k < nl && n < cap; k++)
    for (size_t f = 0; f < list[k].nfound && n < cap; f++) out[n++] = list[k].found[f];
  g_free(low);
  g_free(offs);
  g_free(store);
  g_free(list);
  return n;
}

/* ---- choosing breaks */
typedef struct cost {
  uint32_t avoid, lines;
  double bad;
} cost;

static bool cost_less(cost a, cost b) {
  if (a.avoid != b.avoid) return a.avoid < b.avoid;
  if (a.lines != b.lines) return a.lines < b.lines;
  return a.bad < b.bad - 1e-9;
}

int vb_breaks_choose(const vb_break_cand *cands, size_t n, float total, float first_w,
                     float w, vb_break_mode mode, size_t *out) {
  /* nodes: 0 = the start, 1..n = candidates, n+1 = the end */
  size_t nn = n + 2;
  float *x0 = g_new(float, nn), *x1 = g_new(float, nn);
  uint8_t *kind = g_new(uint8_t, nn);
  x0[0] = x1[0] = 0;
  kind[0] = VB_BREAK_YES;
  for (size_t i = 0; i < n; i++) {
    x0[i + 1] = cands[i].x0;
    x1[i + 1] = cands[i].x1;
    kind[i + 1] = cands[i].kind;
  }
  x0[n + 1] = x1[n + 1] = total;
  kind[n + 1] = VB_BREAK_YES;
  cost *best = g_new(cost, nn);
  size_t *from = g_new(size_t, nn);
  bool *ok = g_new0(bool, nn);
  ok[0] = true;
  best[0] = (cost){0, 0, 0};
  float widest = first_w > w ? first_w : w;
  double late = 0.1 * (double)w * (double)w;
  for (size_t j = 1; j < nn; j++) {
    if (kind[j] == VB_BREAK_NO) continue;
    for (size_t i = j; i-- > 0;) {
      float width = x0[j] - x1[i];
      if (width > widest + 0.01f) break; /* further starts are wider still */
      if (!ok[i] || kind[i] == VB_BREAK_NO) continue;
      float limit = i == 0 ? first_w : w;
      if (width > limit + 0.01f) continue;
      double slack = (double)(limit - width);
      cost c = best[i];
      c.lines++;
      if (mode == VB_BREAK_BALANCED || j != n + 1) c.bad += slack * slack;
      if (j != n + 1) {
        if (kind[j] == VB_BREAK_AVOID) c.avoid++;
        if (kind[j] == VB_BREAK_LATE) c.bad += late;
      }
      if (!ok[j] || cost_less(c, best[j])) {
        best[j] = c;
        from[j] = i;
        ok[j] = true;
      }
    }
  }
  int count = -1;
  if (ok[n + 1]) {
    count = 0;
    for (size_t j = from[n + 1]; j != 0; j = from[j]) count++;
    size_t k = (size_t)count;
    for (size_t j = from[n + 1]; j != 0; j = from[j]) out[--k] = j - 1;
  }
  g_free(x0);
  g_free(x1);
  g_free(kind);
  g_free(best);
  g_free(from);
  g_free(ok);
  return count;
}
