/* decode.c - vanban input stage: reads a file, checks UTF-8 (RFC 3629) or
 * converts Windows-1258, TCVN3 (TCVN 5712:1993 VN3) or VNI-Windows to UTF-8,
 * normalises to NFC (UAX #15) and registers the text as a source. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Code points of bytes 0x80-0xFF; 0 = undefined. */
static const uint16_t cp1258_high[128] = {
    /* 0x80 */ 0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    /* 0x88 */ 0x02C6, 0x2030, 0, 0x2039, 0x0152, 0, 0, 0,
    /* 0x90 */ 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    /* 0x98 */ 0x02DC, 0x2122, 0, 0x203A, 0x0153, 0, 0, 0x0178,
    /* 0xA0 */ 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    /* 0xA8 */ 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    /* 0xB0 */ 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    /* 0xB8 */ 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    /* 0xC0 */ 0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    /* 0xC8 */ 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
    /* 0xD0 */ 0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
    /* 0xD8 */ 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
    /* 0xE0 */ 0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    /* 0xE8 */ 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
    /* 0xF0 */ 0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
    /* 0xF8 */ 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
};

/* Windows-1252 bytes 0x80-0x9F (0xA0-0xFF are Latin-1): the code page under
 * the TCVN3 and VNI font encodings, for bytes those do not redefine. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* TCVN3 (VN3): lower-case letters with marks plus the seven plain capitals
 * Ă Â Đ Ê Ô Ơ Ư; VN3 has no tone-marked capitals (".VnTimeH" fonts draw the
 * lower-case codes as capitals). {byte, code point}. */
static const uint16_t tcvn3_map[][2] = {
    {0xA1, 0x0102}, {0xA2, 0x00C2}, {0xA3, 0x00CA}, {0xA4, 0x00D4}, {0xA5, 0x01A0},
    {0xA6, 0x01AF}, {0xA7, 0x0110}, {0xA8, 0x0103}, {0xA9, 0x00E2}, {0xAA, 0x00EA},
    {0xAB, 0x00F4}, {0xAC, 0x01A1}, {0xAD, 0x01B0}, {0xAE, 0x0111}, {0xB5, 0x00E0},
    {0xB6, 0x1EA3}, {0xB7, 0x00E3}, {0xB8, 0x00E1}, {0xB9, 0x1EA1}, {0xBB, 0x1EB1},
    {0xBC, 0x1EB3}, {0xBD, 0x1EB5}, {0xBE, 0x1EAF}, {0xC6, 0x1EB7}, {0xC7, 0x1EA7},
    {0xC8, 0x1EA9}, {0xC9, 0x1EAB}, {0xCA, 0x1EA5}, {0xCB, 0x1EAD}, {0xCC, 0x00E8},
    {0xCE, 0x1EBB}, {0xCF, 0x1EBD}, {0xD0, 0x00E9}, {0xD1, 0x1EB9}, {0xD2, 0x1EC1},
    {0xD3, 0x1EC3}, {0xD4, 0x1EC5}, {0xD5, 0x1EBF}, {0xD6, 0x1EC7}, {0xD7, 0x00EC},
    {0xD8, 0x1EC9}, {0xDC, 0x0129}, {0xDD, 0x00ED}, {0xDE, 0x1ECB}, {0xDF, 0x00F2},
    {0xE1, 0x1ECF}, {0xE2, 0x00F5}, {0xE3, 0x00F3}, {0xE4, 0x1ECD}, {0xE5, 0x1ED3},
    {0xE6, 0x1ED5}, {0xE7, 0x1ED7}, {0xE8, 0x1ED1}, {0xE9, 0x1ED9}, {0xEA, 0x1EDD},
    {0xEB, 0x1EDF}, {0xEC, 0x1EE1}, {0xED, 0x1EDB}, {0xEE, 0x1EE3}, {0xEF, 0x00F9},
    {0xF1, 0x1EE7}, {0xF2, 0x0169}, {0xF3, 0x00FA}, {0xF4, 0x1EE5}, {0xF5, 0x1EEB},
    {0xF6, 0x1EED}, {0xF7, 0x1EEF}, {0xF8, 0x1EE9}, {0xF9, 0x1EF1}, {0xFA, 0x1EF3},
    {0xFB, 0x1EF7}, {0xFC, 0x1EF9}, {0xFD, 0x00FD}, {0xFE, 0x1EF5},
};

int vb_encoding_from_name(const char *name, vb_encoding *enc) {
  static const struct {
    const char *name;
    vb_encoding enc;
  } names[] = {
      {"auto", VB_ENC_AUTO},     {"utf-8", VB_ENC_UTF8},
      {"utf8", VB_ENC_UTF8},     {"cp1258", VB_ENC_CP1258},
      {"windows-1258", VB_ENC_CP1258}, {"tcvn3", VB_ENC_TCVN3},
      {"vni", VB_ENC_VNI},
  };
  if (!name)
    return -1;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(name, names[i].name) == 0) {
      *enc = names[i].enc;
      return 0;
    }
  return -1;
}

const char *vb_encoding_name(vb_encoding enc) {
  switch (enc) {
  case VB_ENC_AUTO:
    return "auto";
  case VB_ENC_UTF8:
    return "utf-8";
  case VB_ENC_CP1258:
    return "cp1258";
  case VB_ENC_TCVN3:
    return "tcvn3";
  case VB_ENC_VNI:
    return "vni";
  }
  return "?";
}

static const char *encoding_title(vb_encoding enc) {
  switch (enc) {
  case VB_ENC_CP1258:
    return "Windows-1258";
  case VB_ENC_TCVN3:
    return "TCVN3";
  case VB_ENC_VNI:
    return "VNI-Windows";
  default:
    return "UTF-8";
  }
}

static void put_cp(vb_strbuf *sb, uint32_t cp) {
  char buf[4];
  vb_strbuf_add(sb, buf, (size_t)vb_utf8_put(cp, buf));
}

/* Byte b under the code page below TCVN3/VNI (0 = undefined). */
static uint32_t cp1252_byte(unsigned char b) {
  if (b < 0x80 || b >= 0xA0)
    return b;
  return cp1252_c1[b - 0x80];
}

static uint32_t tcvn3_byte(unsigned char b) {
  if (b >= 0xA1)
    for (size_t i = 0; i < sizeof tcvn3_map / sizeof tcvn3_map[0]; i++)
      if (tcvn3_map[i][0] == b)
        return tcvn3_map[i][1];
  return cp1252_byte(b);
}

static bool is_vowel(uint32_t cp) {
  return cp < 0x80 ? strchr("aeiouyAEIOUY", (int)cp) != NULL && cp != 0
                   : cp == 0x01A0 || cp == 0x01A1 || cp == 0x01AF || cp == 0x01B0;
}

/* VNI-Windows writes a letter as the base letter followed by one byte that
 * carries its marks (upper- and lower-case forms differ by 0x20), e.g. "Vieät"
 * = V i e + 0xE4 (circumflex + dot below) + t. Marks become combining
 * characters, composed afterwards by NFC; a mark byte after anything else
 * keeps its Windows-1252 meaning. *done tells whether b was a mark. */
static void decode_vni_mark(unsigned char b, uint32_t prev, vb_strbuf *sb, bool *done) {
  unsigned char lo = (unsigned char)(b | 0x20); /* lower-case form */
  uint32_t p = prev | 0x20;                     /* ASCII prev folded */
  *done = true;
  switch (lo) { /* tones after any vowel (also ơ ư and marked vowels) */
  case 0xF9: put_cp(sb, 0x0301); return;
  case 0xF8: put_cp(sb, 0x0300); return;
  case 0xFB: put_cp(sb, 0x0309); return;
  case 0xF5: put_cp(sb, 0x0303); return;
  case 0xEF: put_cp(sb, 0x0323); return;
  default: break;
  }
  if (prev < 0x80 && (p == 'a' || p == 'e' || p == 'o')) {
    static const uint16_t circ[6] = {0x0300, 0x0301, 0, 0x0303, 0x0323, 0x0309};
    if (lo >= 0xE0 && lo <= 0xE5) { /* à á â ã ä å */
      put_cp(sb, 0x0302);
      if (circ[lo - 0xE0])
        put_cp(sb, circ[lo - 0xE0]);
      return;
    }
  }
  if (prev < 0x80 && p == 'a') {
    uint32_t tone = 1;
    switch (lo) {
    case 0xEA: tone = 0; break;
    case 0xE9: tone = 0x0301; break;
    case 0xE8: tone = 0x0300; break;
    case 0xFA: tone = 0x0309; break;
    case 0xFC: tone = 0x0303; break;
    case 0xEB: tone = 0x0323; break;
    default: break;
    }
    if (tone != 1) {
      put_cp(sb, 0x0306);
      if (tone)
        put_cp(sb, tone);
      return;
    }
  }
  *done = false;
}

/* Standalone VNI letters: ơ ư đ and i/y with marks. 0 if b is not one. */
static uint32_t vni_letter(unsigned char b) {
  static const uint16_t lower[][2] = {
      {0xF4, 0x01A1}, {0xF6, 0x01B0}, {0xF1, 0x0111}, {0xED, 0x00ED}, {0xEC, 0x00EC},
      {0xE6, 0x1EC9}, {0xF3, 0x0129}, {0xF2, 0x1ECB}, {0xEE, 0x1EF5},
  };
  static const uint16_t upper[] = {0x01A0, 0x01AF, 0x0110, 0x00CD, 0x00CC,
                                   0x1EC8, 0x0128, 0x1ECA, 0x1EF4};
  for (size_t i = 0; i < sizeof lower / sizeof lower[0]; i++) {
    if (lower[i][0] == b)
      return lower[i][1];
    if ((unsigned)(lower[i][0] - 0x20) == b)
      return upper[i];
  }
  return 0;
}

/* Converts legacy bytes to UTF-8 in sb; undefined bytes become U+FFFD and the
 * first one is returned in *bad (-1 if none). */
static void decode_legacy(vb_encoding enc, const unsigned char *s, size_t len, vb_strbuf *sb,
                          int *bad) {
  uint32_t prev = 0;
  *bad = -1;
  for (size_t i = 0; i < len; i++) {
    unsigned char b = s[i];
    uint32_t cp;
    if (b < 0x80) {
      cp = b;
    } else if (enc == VB_ENC_CP1258) {
      cp = cp1258_high[b - 0x80];
    } else if (enc == VB_ENC_TCVN3) {
      cp = tcvn3_byte(b);
    } else {
      bool done = false;
      if (is_vowel(prev) || prev == 0x0300)
        decode_vni_mark(b, prev, sb, &done);
      if (done) {
        prev = 0x0300; /* a marked vowel: only tones may follow */
        continue;
      }
      cp = vni_letter(b);
      if (!cp)
        cp = cp1252_byte(b);
    }
    if (!cp) {
      if (*bad < 0)
        *bad = b;
      cp = 0xFFFD;
    }
    put_cp(sb, cp);
    prev = cp;
  }
}

/* Length of the UTF-8 sequence a lead byte announces (0: not a lead byte). */
static size_t utf8_seq_len(unsigned char b) {
  if (b < 0x80)
    return 1;
  if (b >= 0xC2 && b <= 0xDF)
    return 2;
  if (b >= 0xE0 && b <= 0xEF)
    return 3;
  if (b >= 0xF0 && b <= 0xF4)
    return 4;
  return 0;
}

static bool has_utf8_multibyte(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    size_t n = utf8_seq_len((unsigned char)s[i]);
    if (n > 1 && i + n <= len && vb_utf8_valid(s + i, n, NULL))
      return true;
  }
  return false;
}

static bool has_cp1258_undefined(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char b = (unsigned char)s[i];
    if (b >= 0x80 && cp1258_high[b - 0x80] == 0)
      return true;
  }
  return false;
}

/* Start of the character containing byte off, and the end of it. */
static vb_span char_span(uint32_t src, const char *text, size_t len, size_t off) {
  if (off > len)
    off = len;
  while (off > 0 && ((unsigned char)text[off] & 0xC0) == 0x80)
    off--;
  size_t end = off;
  if (end < len) {
    const char *p = text + off;
    vb_utf8_next(&p, text + len);
    end = (size_t)(p - text);
  }
  return vb_span_make(src, (uint32_t)off, (uint32_t)end);
}

/* UTF-16 with a BOM (Excel's "Unicode text") → UTF-8; false on a lone surrogate. */
static bool decode_utf16(const unsigned char *s, size_t len, bool be, vb_strbuf *sb) {
  for (size_t i = 0; i + 1 < len; i += 2) {
    uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= len)
        return false;
      uint32_t l = be ? (uint32_t)(s[i + 2] << 8 | s[i + 3]) : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
      if (l < 0xDC00 || l > 0xDFFF)
        return false;
      u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return false;
    }
    put_cp(sb, u);
  }
  return len % 2 == 0;
}

/* Registers text (ownership taken) and returns its id, or 0 if too large. */
static uint32_t add_source(vb_sources *sources, const char *name, char *text, size_t len,
                           vb_diag *d) {
  if (len >= UINT32_MAX) {
    free(text);
    vb_diag_error(d, vb_span_none(), "'%s' is too large (4 GiB or more)", name);
    return 0;
  }
  return vb_sources_add(sources, name, text, len);
}

/* Broken UTF-8: registers the text with bad bytes replaced by U+FFFD (same
 * lines, same offsets up to the first bad byte) and reports that byte. */
static uint32_t report_bad_utf8(vb_sources *sources, const char *name, const char *s,
                                size_t len, size_t bad, vb_diag *d) {
  vb_strbuf sb = VB_STRBUF_INIT;
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *q = p;
    uint32_t cp = vb_utf8_next(&p, end);
    if (cp == 0xFFFD && !(p - q == 3 && memcmp(q, "\xEF\xBF\xBD", 3) == 0))
      put_cp(&sb, 0xFFFD);
    else
      vb_strbuf_add(&sb, q, (size_t)(p - q));
  }
  size_t n = sb.len;
  char *text = vb_strbuf_detach(&sb);
  uint32_t src = add_source(sources, name, text, n, d);
  if (src)
    vb_diag_error(d, vb_span_make(src, (uint32_t)bad, (uint32_t)bad + 3),
                  "invalid UTF-8 byte 0x%02X (the file is not UTF-8; if it came from "
                  "Excel, try --encoding cp1258)",
                  (unsigned char)s[bad]);
  return 0;
}

/* TCVN3 ("ABC", .VnTime fonts) puts its lower-case letters with marks in
 * 0xA1-0xBF, where Windows-1258 has only symbols (© « ° ±...). Vietnamese text
 * in which a quarter of the non-ASCII bytes are there is TCVN3, not Windows-1258;
 * *first gets the first such byte. */
static bool looks_tcvn3(const unsigned char *s, size_t n, size_t *first) {
  size_t high = 0, sym = 0;
  *first = n;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < 0x80)
      continue;
    high++;
    if (s[i] >= 0xA1 && s[i] <= 0xBF) {
      if (!sym)
        *first = i;
      sym++;
    }
  }
  return high >= 4 && sym * 4 >= high;
}

/* Reports a TCVN3 file read without --encoding, showing its line as TCVN3. */
static uint32_t report_tcvn3(vb_sources *sources, const char *name, const unsigned char *s,
                             size_t n, size_t first, vb_diag *d) {
  vb_strbuf pre = VB_STRBUF_INIT, all = VB_STRBUF_INIT;
  int bad = -1;
  decode_legacy(VB_ENC_TCVN3, s, first, &pre, &bad);
  decode_legacy(VB_ENC_TCVN3, s, n, &all, &bad);
  size_t off = pre.len, len = all.len;
  vb_strbuf_free(&pre);
  char *text = vb_strbuf_detach(&all);
  uint32_t src = add_source(sources, name, text, len, d);
  if (src)
    vb_diag_error(d, vb_span_make(src, (uint32_t)off, (uint32_t)off + 1),
                  "the file looks like TCVN3 (ABC, .VnTime) text, not Unicode: convert it "
                  "to Unicode, or read it with --encoding tcvn3");
  return 0;
}

/* `own`: NULL, or bytes as a vb_xmalloc'd buffer that load may take (setting
 * *own to NULL) instead of copying it, so a large file is not held twice. */
static uint32_t load(vb_sources *sources, const char *name, const char *bytes, size_t len,
                     vb_encoding enc, char **own, vb_diag *d) {
  const unsigned char *u = (const unsigned char *)bytes;
  vb_strbuf sb = VB_STRBUF_INIT;
  const char *text = bytes;
  size_t n = len;
  bool guessed = false;
  int bad_byte = -1;

  /* A legacy --encoding names the spreadsheet exports; a file that is plainly
   * UTF-8 (the organization's YAML beside them) stays UTF-8. */
  if ((enc == VB_ENC_CP1258 || enc == VB_ENC_TCVN3 || enc == VB_ENC_VNI) &&
      ((n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ||
       (vb_utf8_valid(text, n, NULL) && has_utf8_multibyte(text, n))))
    enc = VB_ENC_UTF8;
  if (enc == VB_ENC_AUTO || enc == VB_ENC_UTF8) {
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
      text += 3;
      n -= 3;
    } else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
      if (!decode_utf16(u + 2, n - 2, u[0] == 0xFE, &sb)) {
        vb_strbuf_free(&sb);
        vb_diag_error(d, vb_span_none(), "'%s' is not valid UTF-16", name);
        return 0;
      }
      text = vb_strbuf_cstr(&sb);
      n = sb.len;
      enc = VB_ENC_UTF8;
    }
    size_t bad = 0;
    if (!vb_utf8_valid(text, n, &bad)) {
      size_t first;
      if (enc == VB_ENC_AUTO && !has_utf8_multibyte(text, n) &&
          looks_tcvn3((const unsigned char *)text, n, &first)) {
        uint32_t r = report_tcvn3(sources, name, (const unsigned char *)text, n, first, d);
        vb_strbuf_free(&sb);
        return r;
      }
      if (enc == VB_ENC_AUTO && !has_utf8_multibyte(text, n) && !has_cp1258_undefined(text, n)) {
        enc = VB_ENC_CP1258;
        guessed = true;
      } else {
        uint32_t r = report_bad_utf8(sources, name, text, n, bad, d);
        vb_strbuf_free(&sb);
        return r;
      }
    }
  }
  const char *raw = text; /* the bytes after a BOM, for the warning position */
  size_t raw_n = n;
  if (enc == VB_ENC_CP1258 || enc == VB_ENC_TCVN3 || enc == VB_ENC_VNI) {
    vb_strbuf out = VB_STRBUF_INIT;
    decode_legacy(enc, (const unsigned char *)text, n, &out, &bad_byte);
    text = vb_strbuf_cstr(&out);
    n = out.len;
    vb_strbuf_free(&sb);
    sb = out;
  }

  /* A NUL cannot go through NFC or into C strings: register what precedes it
   * (NFC) and a U+FFFD in its place, enough to show the line. */
  const char *nul = memchr(text, '\0', n);
  size_t nfc_len = 0;
  size_t keep = nul ? (size_t)(nul - text) : n;
  char *nfc;
  if (vb_utf8_surely_nfc(text, keep)) {
    if (own && *own && text == *own && !nul) { /* register the buffer read: no copy */
      nfc = vb_xrealloc(*own, keep + 1);
      nfc[keep] = '\0';
      *own = NULL;
      text = raw = nfc;
    } else {
      nfc = vb_xstrndup(text, keep);
    }
    nfc_len = keep;
  } else {
    nfc = vb_utf8_nfc(text, keep, &nfc_len);
  }
  size_t nul_off = nfc_len;
  if (nul) {
    vb_strbuf t = VB_STRBUF_INIT;
    vb_strbuf_add(&t, nfc, nfc_len);
    vb_strbuf_add(&t, "\xEF\xBF\xBD", 3);
    const char *eol = memchr(nul, '\n', n - (size_t)(nul - text));
    for (const char *q = nul + 1; q < (eol ? eol : text + n); q++)
      vb_strbuf_putc(&t, *q ? *q : '?');
    free(nfc);
    nfc_len = t.len;
    nfc = vb_strbuf_detach(&t);
  }
  vb_strbuf_free(&sb);
  uint32_t src = add_source(sources, name, nfc, nfc_len, d);
  if (!src)
    return 0;
  size_t tlen = 0;
  const char *t = vb_sources_text(sources, src, &tlen);
  if (bad_byte >= 0) {
    /* U+FFFD only comes from undefined bytes here, and NFC keeps it. */
    const char *f = NULL;
    for (size_t i = 0; i + 2 < tlen && !f; i++)
      if (memcmp(t + i, "\xEF\xBF\xBD", 3) == 0)
        f = t + i;
    vb_span at = f ? char_span(src, t, tlen, (size_t)(f - t)) : vb_span_none();
    vb_diag_error(d, at, "byte 0x%02X is not defined in %s (try another --encoding)",
                  (unsigned)bad_byte, encoding_title(enc));
    return 0;
  }
  if (nul) {
    vb_diag_error(d, char_span(src, t, tlen, nul_off),
                  "unexpected NUL byte (is this a text file?)");
    return 0;
  }
  if (guessed) {
    size_t first = 0;
    while (first < raw_n && (unsigned char)raw[first] < 0x80)
      first++;
    vb_diag_warn(d, char_span(src, t, tlen, first),
                 "not UTF-8; read as Windows-1258 (use --encoding to choose)");
  }
  return src;
}

uint32_t vb_input_load_bytes(vb_sources *sources, const char *name, const char *bytes,
                             size_t len, vb_encoding enc, vb_diag *d) {
  return load(sources, name, bytes ? bytes : "", bytes ? len : 0, enc, NULL, d);
}

uint32_t vb_input_load_file(vb_sources *sources, const char *path, vb_encoding enc,
                            vb_diag *d) {
  return vb_input_load_file_at(sources, path, enc, vb_span_none(), d);
}

uint32_t vb_input_load_file_at(vb_sources *sources, const char *path, vb_encoding enc,
                               vb_span from, vb_diag *d) {
  bool is_stdin = strcmp(path, "-") == 0;
  const char *why = NULL;
  /* only regular files (a FIFO would hang), but '-' is whatever stdin is */
  int fd = is_stdin ? STDIN_FILENO : vb_file_open_regular(path, &why);
  if (fd < 0) {
    vb_diag_error(d, from, "cannot open '%s': %s", path, why);
    return 0;
  }
  uint64_t max = vb_sources_limits(sources)->record_bytes;
  if (max > UINT32_MAX - 1)
    max = UINT32_MAX - 1; /* spans are 32-bit offsets */
  char *buf = NULL;
  size_t len = 0;
  bool too_big = false;
  int rc = vb_file_read_all(fd, max, &buf, &len, &too_big);
  int e = errno;
  if (!is_stdin)
    close(fd);
  if (rc != 0) {
    if (too_big)
      vb_diag_error(d, from,
                    "'%s' is larger than %llu bytes (the record-bytes limit; see --limit)",
                    is_stdin ? "<stdin>" : path, (unsigned long long)max);
    else
      vb_diag_error(d, from, "cannot read '%s': %s", path, strerror(e));
    return 0;
  }
  uint32_t src = load(sources, is_stdin ? "<stdin>" : path, buf, len, enc, &buf, d);
  free(buf); /* NULL when load kept it */
  return src;
}
