/* utf8.c - base stage: UTF-8 validation and decoding (RFC 3629), and the
 * Unicode operations vanban needs (NFC, Vietnamese upper case, ASCII slugs) via GLib. */
#include "base.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid sequence at p (< end), or 0 when it is malformed. */
static int seq_len(const unsigned char *p, const unsigned char *end, uint32_t *cp) {
  unsigned c = p[0];
  int n;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
  }
  if (end - p < n)
    return 0;
  for (int i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

bool vb_utf8_valid(const char *s, size_t len, size_t *bad_off) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    uint32_t cp;
    if (*p < 0x80) {
      p++;
      continue;
    }
    int n = seq_len(p, end, &cp);
    if (n == 0) {
      if (bad_off)
        *bad_off = (size_t)(p - (const unsigned char *)s);
      return false;
    }
    p += n;
  }
  return true;
}

uint32_t vb_utf8_next(const char **p, const char *end) {
  uint32_t cp;
  int n = seq_len((const unsigned char *)*p, (const unsigned char *)end, &cp);
  if (n == 0) {
    (*p)++;
    return 0xFFFD;
  }
  *p += n;
  return cp;
}

int vb_utf8_put(uint32_t cp, char out[4]) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  } else if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  } else if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t vb_utf8_count(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  size_t n = 0;
  while (p < end) {
    if ((unsigned char)*p < 0x80)
      p++;
    else
      vb_utf8_next(&p, end);
    n++;
  }
  return n;
}

/* Copy of [s, s+len) with malformed bytes replaced by U+FFFD, so the GLib
 * functions (which reject invalid input) always get valid UTF-8. */
static void add_sanitized(vb_strbuf *sb, const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *q = p;
    uint32_t cp = vb_utf8_next(&q, end);
    if (cp == 0xFFFD && !(q - p == 3 && memcmp(p, "\xEF\xBF\xBD", 3) == 0)) {
      vb_strbuf_add(sb, "\xEF\xBF\xBD", 3);
    } else {
      vb_strbuf_add(sb, p, (size_t)(q - p));
    }
    p = q;
  }
}

typedef enum { MAP_NFC, MAP_NFD, MAP_UPPER } map_kind;

/* Applies a GLib transformation to one NUL-free, valid segment. */
static void map_segment(vb_strbuf *out, const char *s, size_t len, map_kind kind) {
  if (len == 0)
    return;
  gchar *r;
  if (kind == MAP_UPPER) {
    /* Per code point with g_unichar_toupper rather than g_utf8_strup, which
     * switches to Turkish/Lithuanian rules under those LC_CTYPE locales. */
    vb_strbuf tmp = VB_STRBUF_INIT;
    const char *p = s, *end = s + len;
    while (p < end) {
      char b[4];
      uint32_t cp = vb_utf8_next(&p, end);
      vb_strbuf_add(&tmp, b, (size_t)vb_utf8_put(g_unichar_toupper(cp), b));
    }
    r = g_utf8_normalize(vb_strbuf_cstr(&tmp), (gssize)tmp.len, G_NORMALIZE_NFC);
    vb_strbuf_free(&tmp);
  } else {
    r = g_utf8_normalize(s, (gssize)len, kind == MAP_NFC ? G_NORMALIZE_NFC : G_NORMALIZE_NFD);
  }
  if (r) {
    vb_strbuf_add(out, r, strlen(r));
    g_free(r);
  } else {
    vb_strbuf_add(out, s, len); /* not reached: input is valid */
  }
}

/* Longest run given to GLib at once: g_utf8_normalize takes time quadratic in
 * its input length (GLib 2.74 moves the tail of its buffer per composition), so a
 * whole 1.6 MB records file took 15 s. */
#define MAP_CHUNK 4096

/* GLib stops at NUL bytes, so embedded NULs are kept and each segment mapped.
 * Long segments are cut before an ASCII byte: an ASCII character is a starter
 * (combining class 0) and never the second part of a canonical composition, so
 * no reordering or composition crosses the cut and the result is unchanged. */
static char *map_text(const char *s, size_t len, map_kind kind, size_t *out_len) {
  vb_strbuf clean = VB_STRBUF_INIT, out = VB_STRBUF_INIT;
  if (!vb_utf8_valid(s, len, NULL)) {
    add_sanitized(&clean, s, len);
    s = vb_strbuf_cstr(&clean);
    len = clean.len;
  }
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && i - start >= MAP_CHUNK && (unsigned char)s[i] < 0x80 && s[i] != '\0') {
      map_segment(&out, s + start, i - start, kind);
      start = i;
    }
    if (i == len || s[i] == '\0') {
      map_segment(&out, s + start, i - start, kind);
      if (i < len)
        vb_strbuf_add(&out, "", 1);
      start = i + 1;
    }
  }
  vb_strbuf_free(&clean);
  if (out_len)
    *out_len = out.len;
  return vb_strbuf_detach(&out);
}

bool vb_utf8_surely_nfc(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    if ((unsigned char)*p < 0x80) {
      p++;
      continue;
    }
    uint32_t cp = vb_utf8_next(&p, end);
    if (cp < 0x0300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x2027) ||
        cp == 0x20AB || cp == 0x20AC)
      continue;
    return false;
  }
  return true;
}

char *vb_utf8_nfc(const char *s, size_t len, size_t *out_len) {
  return map_text(s, len, MAP_NFC, out_len);
}

char *vb_utf8_upper(const char *s, size_t len) { return map_text(s, len, MAP_UPPER, NULL); }

static bool is_mark(uint32_t cp) {
  switch (g_unichar_type(cp)) {
  case G_UNICODE_SPACING_MARK:
  case G_UNICODE_ENCLOSING_MARK:
  case G_UNICODE_NON_SPACING_MARK:
    return true;
  default:
    return false;
  }
}

char *vb_utf8_slug(const char *s, size_t len) {
  size_t nlen;
  char *nfd = map_text(s, len, MAP_NFD, &nlen);
  vb_strbuf out = VB_STRBUF_INIT;
  bool dash = false; /* a '-' is pending before the next letter or digit */
  const char *p = nfd, *end = nfd + nlen;
  while (p < end) {
    uint32_t cp = vb_utf8_next(&p, end);
    char c;
    if (is_mark(cp))
      continue;
    if (cp == 0x0110 || cp == 0x0111) /* Đ đ do not decompose */
      c = 'd';
    else if (cp < 0x80 && g_ascii_isalnum((gchar)cp))
      c = g_ascii_tolower((gchar)cp);
    else {
      dash = true;
      continue;
    }
    if (dash && out.len)
      vb_strbuf_putc(&out, '-');
    dash = false;
    vb_strbuf_putc(&out, c);
  }
  free(nfd);
  if (out.len == 0)
    vb_strbuf_putc(&out, 'x');
  return vb_strbuf_detach(&out);
}

/* ---- making control characters visible in messages */
static bool is_control(uint32_t c, bool keep_tab) {
  return (c < 0x20 && !(keep_tab && c == '\t')) || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

unsigned vb_utf8_escaped_width(uint32_t c, bool keep_tab) {
  if (!is_control(c, keep_tab))
    return 1;
  return c < 0x80 ? 4 : 6;
}

void vb_utf8_escape_controls(vb_strbuf *sb, const char *s, size_t len, bool keep_tab) {
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *q = p;
    uint32_t c = vb_utf8_next(&q, end);
    if (c == 0xFFFD && (q - p != 3 || memcmp(p, "\xEF\xBF\xBD", 3)))
      vb_strbuf_printf(sb, "\\x%02x", (unsigned char)*p); /* not UTF-8 */
    else if (is_control(c, keep_tab))
      vb_strbuf_printf(sb, c < 0x80 ? "\\x%02x" : "\\u%04x", (unsigned)c);
    else
      vb_strbuf_add(sb, p, (size_t)(q - p));
    p = q;
  }
}
