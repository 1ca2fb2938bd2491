/* decode.c - vanban input stage: reads a file, checks UTF-8 (RFC 3629) or
 * converts UTF-16, Windows-1258, TCVN3 (TCVN 5712:1993 VN3, the ".VnTime"
 * fonts), VNI-Windows or VIQR (RFC 1456) to UTF-8, normalises to NFC (UAX #15)
 * and registers the text as a source. `auto` recognises UTF-8 and UTF-16, and
 * otherwise scores each legacy reading of the bytes as Vietnamese text. */
#include "input.h"

#include <errno.h>
#include <limits.h>
#include <glib.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
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

/* TCVN3 follows the TCVN 5712:1993 VN1 chart (what glibc's iconv calls
 * TCVN5712-1): bytes 0xA0-0xFF hold the lower-case letters with their marks,
 * the plain capitals Ă Â Ê Ô Ơ Ư Đ, the five combining tones (0xB0-0xB4) and,
 * in the gaps, capitals with tones; more capitals with tones fill 0x80-0x9F
 * and 12 control codes (tcvn3_low). The ".VnTime" (VN3) fonts keep Windows
 * punctuation at 0x85 and 0x91-0x97 (… ‘ ’ “ ” • – —), where VN1 has Ặ Ị Ò Ỏ Õ Ó
 * Ọ Ộ: such a byte is that capital only between two letters ("NGỌC"), else the
 * punctuation (“Dân vận khéo”). The ".VnTimeH" fonts draw the lower-case codes
 * as capitals: that is --encoding tcvn3-caps. */
static const uint16_t tcvn3_low[][2] = {
    {0x01, 0x00DA}, {0x02, 0x1EE4}, {0x04, 0x1EEA}, {0x05, 0x1EEC}, {0x06, 0x1EEE},
    {0x11, 0x1EE8}, {0x12, 0x1EF0}, {0x13, 0x1EF2}, {0x14, 0x1EF6}, {0x15, 0x1EF8},
    {0x16, 0x00DD}, {0x17, 0x1EF4}, {0x80, 0x00C0}, {0x81, 0x1EA2}, {0x82, 0x00C3},
    {0x83, 0x00C1}, {0x84, 0x1EA0}, {0x85, 0x1EB6}, {0x86, 0x1EAC}, {0x87, 0x00C8},
    {0x88, 0x1EBA}, {0x89, 0x1EBC}, {0x8A, 0x00C9}, {0x8B, 0x1EB8}, {0x8C, 0x1EC6},
    {0x8D, 0x00CC}, {0x8E, 0x1EC8}, {0x8F, 0x0128}, {0x90, 0x00CD}, {0x91, 0x1ECA},
    {0x92, 0x00D2}, {0x93, 0x1ECE}, {0x94, 0x00D5}, {0x95, 0x00D3}, {0x96, 0x1ECC},
    {0x97, 0x1ED8}, {0x98, 0x1EDC}, {0x99, 0x1EDE}, {0x9A, 0x1EE0}, {0x9B, 0x1EDA},
    {0x9C, 0x1EE2}, {0x9D, 0x00D9}, {0x9E, 0x1EE6}, {0x9F, 0x0168},
};
static const uint16_t tcvn3_high[96] = {
    /* 0xA0 */ 0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    /* 0xA8 */ 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    /* 0xB0 */ 0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
    /* 0xB8 */ 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    /* 0xC0 */ 0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
    /* 0xC8 */ 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    /* 0xD0 */ 0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    /* 0xD8 */ 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    /* 0xE0 */ 0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    /* 0xE8 */ 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    /* 0xF0 */ 0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    /* 0xF8 */ 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
};

int vb_encoding_from_name(const char *name, vb_encoding *enc) {
  static const struct {
    const char *name;
    vb_encoding enc;
  } names[] = {
      {"auto", VB_ENC_AUTO},           {"utf-8", VB_ENC_UTF8},
      {"utf8", VB_ENC_UTF8},           {"cp1258", VB_ENC_CP1258},
      {"windows-1258", VB_ENC_CP1258}, {"tcvn3", VB_ENC_TCVN3},
      {"abc", VB_ENC_TCVN3},           {"tcvn3-caps", VB_ENC_TCVN3_CAPS},
      {"vni", VB_ENC_VNI},             {"vni-windows", VB_ENC_VNI},
      {"viqr", VB_ENC_VIQR},
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

int vb_encoding_parse(const char *spec, vb_encoding *enc, const char **caps_fields) {
  *caps_fields = NULL;
  if (!spec)
    return -1;
  const char *eq = strchr(spec, '=');
  if (!eq)
    return vb_encoding_from_name(spec, enc);
  if ((size_t)(eq - spec) != strlen("tcvn3-caps") ||
      strncasecmp(spec, "tcvn3-caps", (size_t)(eq - spec)) != 0 || !eq[1] || eq[1] == ',')
    return -1;
  *enc = VB_ENC_TCVN3_CAPS;
  *caps_fields = eq + 1;
  return 0;
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
  case VB_ENC_TCVN3_CAPS:
    return "tcvn3-caps";
  case VB_ENC_VNI:
    return "vni";
  case VB_ENC_VIQR:
    return "viqr";
  }
  return "?";
}

static const char *encoding_title(vb_encoding enc) {
  switch (enc) {
  case VB_ENC_CP1258:
    return "Windows-1258";
  case VB_ENC_TCVN3:
  case VB_ENC_TCVN3_CAPS:
    return "TCVN3";
  case VB_ENC_VNI:
    return "VNI-Windows";
  case VB_ENC_VIQR:
    return "VIQR";
  default:
    return "UTF-8";
  }
}

static bool is_legacy(vb_encoding enc) {
  return enc == VB_ENC_CP1258 || enc == VB_ENC_TCVN3 || enc == VB_ENC_TCVN3_CAPS ||
         enc == VB_ENC_VNI || enc == VB_ENC_VIQR;
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

static uint32_t tcvn3_low_byte(unsigned char b) {
  for (size_t i = 0; i < sizeof tcvn3_low / sizeof tcvn3_low[0]; i++)
    if (tcvn3_low[i][0] == b)
      return tcvn3_low[i][1];
  return 0;
}

static bool tcvn3_punct_byte(unsigned char b) { return b == 0x85 || (b >= 0x91 && b <= 0x97); }

/* Whether a TCVN3 byte is a letter (for the bytes that are letter or punctuation). */
static bool tcvn3_letter_byte(unsigned char b) {
  if (b < 0x80)
    return (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
  if (b >= 0xA1)
    return b < 0xB0 || b > 0xB4;
  return !tcvn3_punct_byte(b) && tcvn3_low_byte(b);
}

/* Byte i of s in TCVN3 (its neighbours decide the bytes punctuation shares). */
static uint32_t tcvn3_at(const unsigned char *s, size_t len, size_t i) {
  unsigned char b = s[i];
  if (b >= 0xA0)
    return tcvn3_high[b - 0xA0];
  uint32_t cap = tcvn3_low_byte(b);
  if (!cap)
    return cp1252_byte(b);
  if (tcvn3_punct_byte(b) &&
      !(i > 0 && i + 1 < len && tcvn3_letter_byte(s[i - 1]) && tcvn3_letter_byte(s[i + 1])))
    return cp1252_byte(b);
  return cap;
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

/* VIQR (RFC 1456, "Vietnamese Quoted-Readable"): ASCII text where a vowel may
 * be followed by one modifier, ( breve after a, ^ circumflex after a e o,
 * + horn after o u, then by one tone, ' acute ` grave ? hook ~ tilde . dot
 * below; "dd" is đ ("DD", "Dd" Đ). A backslash before a mark character (or
 * d, or another backslash) makes it literal: "Ha` No^.i\." ends with a full
 * stop. A mark that does not fit where it stands stays itself. */
static void decode_viqr(const unsigned char *s, size_t len, vb_strbuf *sb) {
  uint32_t base = 0;  /* the vowel being marked (folded), 0 if none */
  bool mod = false, tone = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    if (c == '\\' && i + 1 < len && strchr("(^+'`?~.dD\\", s[i + 1]) && s[i + 1]) {
      put_cp(sb, s[++i]);
      base = 0;
      continue;
    }
    if (base) {
      uint32_t m = 0;
      if (!mod && !tone) {
        if (c == '(' && base == 'a')
          m = 0x0306;
        else if (c == '^' && (base == 'a' || base == 'e' || base == 'o'))
          m = 0x0302;
        else if (c == '+' && (base == 'o' || base == 'u'))
          m = 0x031B;
        if (m) {
          mod = true;
          put_cp(sb, m);
          continue;
        }
      }
      if (!tone) {
        switch (c) {
        case '\'': m = 0x0301; break;
        case '`': m = 0x0300; break;
        case '?': m = 0x0309; break;
        case '~': m = 0x0303; break;
        case '.': m = 0x0323; break;
        default: break;
        }
        if (m) {
          tone = true;
          put_cp(sb, m);
          continue;
        }
      }
    }
    if ((c == 'd' || c == 'D') && i + 1 < len && (s[i + 1] == 'd' || s[i + 1] == 'D')) {
      put_cp(sb, c == 'd' ? 0x0111 : 0x0110);
      i++;
      base = 0;
      continue;
    }
    put_cp(sb, c >= 0x80 ? 0xFFFD : c);
    base = c < 0x80 && is_vowel(c) ? (uint32_t)(c | 0x20) : 0;
    mod = tone = false;
  }
}

/* Converts legacy bytes to UTF-8 in sb; undefined bytes become U+FFFD and the
 * first one is returned in *bad (-1 if none). */
static void decode_legacy(vb_encoding enc, const unsigned char *s, size_t len, vb_strbuf *sb,
                          int *bad) {
  uint32_t prev = 0;
  *bad = -1;
  if (enc == VB_ENC_VIQR) {
    decode_viqr(s, len, sb);
    for (size_t i = 0; i < len && *bad < 0; i++)
      if (s[i] >= 0x80)
        *bad = s[i];
    return;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char b = s[i];
    uint32_t cp;
    if (enc == VB_ENC_TCVN3 || enc == VB_ENC_TCVN3_CAPS) {
      cp = tcvn3_at(s, len, i);
    } else if (b < 0x80) {
      cp = b;
    } else if (enc == VB_ENC_CP1258) {
      cp = cp1258_high[b - 0x80];
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

/* UTF-16 (Excel's "Unicode text") → UTF-8; false on a lone surrogate or an odd
 * number of bytes. */
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

/* UTF-16 without a byte-order mark: in Vietnamese text most characters are
 * ASCII (a zero high byte) and the rest sit in blocks 0x00-0x03 and 0x1E
 * (Latin Extended Additional), while the low bytes are almost never zero.
 * Returns 1 for little-endian, 2 for big-endian, 0 for neither. */
static int sniff_utf16(const unsigned char *s, size_t n) {
  if (n < 4 || n % 2)
    return 0;
  size_t units = n / 2 < 32768 ? n / 2 : 32768;
  for (int be = 0; be < 2; be++) {
    size_t zero_hi = 0, zero_lo = 0, viet_hi = 0;
    for (size_t i = 0; i < units; i++) {
      unsigned char hi = s[2 * i + (be ? 0 : 1)], lo = s[2 * i + (be ? 1 : 0)];
      zero_hi += hi == 0;
      zero_lo += lo == 0;
      viet_hi += hi <= 0x03 || hi == 0x1E || hi == 0x20;
    }
    if (zero_hi * 2 >= units && viet_hi * 20 >= units * 19 && zero_lo * 50 <= units)
      return be ? 2 : 1;
  }
  return 0;
}

/* ---- guessing a legacy encoding: each reading of the bytes is scored as
 * Vietnamese text. Letters of the Vietnamese alphabet with marks count for it;
 * what no Vietnamese text has counts against it: undefined bytes, control
 * characters, symbols of the Latin-1 block (© « ± ¸ are TCVN3 letters read as
 * Windows-1258), other Latin letters (ä ë ï ö ü: VNI marks read as
 * Windows-1258), marks left uncombined, and words with two tones ("Nguyờịn":
 * Windows-1258 read as TCVN3). */
static bool is_vn_letter(uint32_t c) {
  static const char *const vn =
      "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";
  if (c >= 0x1EA0 && c <= 0x1EF9)
    return true;
  if (c < 0xC0 || c > 0x1B0)
    return false;
  char buf[4];
  int n = vb_utf8_put(c, buf);
  const char *p = vn;
  size_t vlen = strlen(vn);
  for (size_t i = 0; i + (size_t)n <= vlen; i++)
    if (memcmp(p + i, buf, (size_t)n) == 0 && ((unsigned char)p[i] & 0xC0) != 0x80)
      return true;
  return false;
}

/* Tone of a (precomposed, NFC) Vietnamese vowel: 0 none, 1 otherwise. */
static int has_tone(uint32_t c) {
  if (c >= 0x1EA0 && c <= 0x1EF9) {
    /* Latin Extended Additional: every letter has a tone except none here
     * (the block holds only toned forms of Vietnamese vowels) */
    return 1;
  }
  static const uint16_t toned[] = {0xC0, 0xC1, 0xC3, 0xC8, 0xC9, 0xCC, 0xCD, 0xD2, 0xD3,
                                   0xD5, 0xD9, 0xDA, 0xDD, 0xE0, 0xE1, 0xE3, 0xE8, 0xE9,
                                   0xEC, 0xED, 0xF2, 0xF3, 0xF5, 0xF9, 0xFA, 0xFD, 0x128,
                                   0x129, 0x168, 0x169};
  for (size_t i = 0; i < sizeof toned / sizeof toned[0]; i++)
    if (toned[i] == c)
      return 1;
  return 0;
}

static long score_text(const char *t, size_t n) {
  long good = 0, bad = 0;
  int tones = 0; /* in the current word */
  const char *p = t, *end = t + n;
  while (p < end) {
    uint32_t c = vb_utf8_next(&p, end);
    bool letter = (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
    if (c >= 0x80 && is_vn_letter(c)) {
      good++;
      letter = true;
      tones += has_tone(c);
      if (tones == 2)
        bad += 2;
    } else if (c == 0xFFFD || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
               (c >= 0x7F && c < 0xA0) || (c >= 0xA1 && c <= 0xBF) || c == 0xD7 ||
               c == 0xF7 || (c >= 0x300 && c < 0x370)) {
      bad++;
    } else if (c >= 0xC0 && c <= 0x24F) {
      bad++; /* a Latin letter Vietnamese does not use */
      letter = true;
    }
    if (!letter)
      tones = 0;
  }
  return good - 4 * bad;
}

/* Candidate readings of bytes that are not UTF-8. */
static const vb_encoding legacy_candidates[] = {VB_ENC_CP1258, VB_ENC_TCVN3, VB_ENC_VNI};

/* Scores each candidate on the first 256 KiB; *best gets the winner and
 * *tie the runner-up when it scores the same (else VB_ENC_AUTO). Returns
 * the best score (<= 0: none looks like Vietnamese). */
static long guess_legacy(const unsigned char *s, size_t n, vb_encoding *best, vb_encoding *tie) {
  if (n > 262144) {
    n = 262144;
    while (n > 0 && s[n - 1] >= 0x80) /* do not cut a VNI letter from its mark */
      n--;
  }
  long top = 0, second = 0;
  *best = *tie = VB_ENC_AUTO;
  bool any = false;
  for (size_t i = 0; i < sizeof legacy_candidates / sizeof legacy_candidates[0]; i++) {
    vb_strbuf sb = VB_STRBUF_INIT;
    int bad = -1;
    decode_legacy(legacy_candidates[i], s, n, &sb, &bad);
    size_t nl = 0;
    char *nfc = vb_utf8_nfc(vb_strbuf_cstr(&sb), sb.len, &nl);
    long sc = score_text(nfc, nl);
    free(nfc);
    vb_strbuf_free(&sb);
    if (!any || sc > top) {
      if (any) {
        second = top;
        *tie = *best;
      }
      top = sc;
      *best = legacy_candidates[i];
      any = true;
    } else if (sc >= second || *tie == VB_ENC_AUTO) {
      second = sc;
      *tie = legacy_candidates[i];
    }
  }
  if (second != top)
    *tie = VB_ENC_AUTO;
  return top;
}

/* VIQR in a plain ASCII file: syllables with a mark inside a word ("Vie^.t",
 * "Nguye^~n", "Va(n"), at least one of them with a mark English text never
 * puts there (^ ( + ` ~). */
static void viqr_marks(const char *s, size_t n, size_t *marked_io, size_t *distinct_io) {
  size_t marked = *marked_io, distinct = *distinct_io;
  for (size_t i = 1; i + 1 < n && !(marked >= 3 && distinct >= 1); i++) {
    char c = s[i];
    if (!strchr("(^+'`?~.", c) || !c || !is_vowel((unsigned char)s[i - 1]))
      continue;
    size_t j = i + 1;
    if (strchr("'`?~.", s[j]) && s[j] && strchr("(^+", c) && c)
      j++; /* modifier then tone */
    if (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')) {
      marked++;
      if (strchr("(^+`~", c) || (j > i + 1))
        distinct++;
    }
  }
  *marked_io = marked;
  *distinct_io = distinct;
}

static bool looks_viqr(const char *s, size_t n) {
  size_t marked = 0, distinct = 0;
  viqr_marks(s, n, &marked, &distinct);
  return marked >= 3 && distinct >= 1;
}

/* ---- text that was decoded wrongly before it reached us */
/* The byte Windows-1252 (or Latin-1, for U+0080-U+009F) gives c, or -1. */
static int cp1252_code(uint32_t c) {
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF) || (c >= 0x80 && c < 0xA0))
    return (int)c;
  for (int i = 0; i < 32; i++)
    if (cp1252_c1[i] == c)
      return 0x80 + i;
  return -1;
}

static void score_counts(const char *t, size_t n, long *good, long *bad) {
  long sc = score_text(t, n);
  long g = 0;
  const char *p = t, *end = t + n;
  while (p < end)
    g += is_vn_letter(vb_utf8_next(&p, end));
  *good = g;
  *bad = (g - sc) / 4;
}

/* Bytes that should be UTF-8, into out: a sequence that lacks one continuation
 * byte gets the one of 0x81 0x8D 0x8F 0x90 0x9D (the bytes Windows-1252 leaves
 * undefined, which the first wrong decoding dropped) that makes it a Vietnamese
 * letter. False if the bytes are not UTF-8 even so. */
static bool repair_utf8(const char *b, size_t n, vb_strbuf *out) {
  /* most frequent first: ờ (người, phường), ọ (học), ề (về), ỏ (nhỏ), Ố */
  static const unsigned char lost[] = {0x9D, 0x8D, 0x81, 0x8F, 0x90};
  for (size_t i = 0; i < n;) {
    size_t k = utf8_seq_len((unsigned char)b[i]);
    if (k == 1) {
      vb_strbuf_putc(out, b[i++]);
      continue;
    }
    if (k && i + k <= n && vb_utf8_valid(b + i, k, NULL)) {
      vb_strbuf_add(out, b + i, k);
      i += k;
      continue;
    }
    if (k < 2)
      return false;
    bool fixed = false;
    for (size_t at = 1; at < k && !fixed; at++) /* where the byte was lost */
      for (size_t j = 0; j < sizeof lost && !fixed; j++) {
        char seq[4];
        size_t have = 0;
        for (size_t q = 0; q < k; q++)
          seq[q] = q == at ? (char)lost[j] : (i + have < n ? b[i + have++] : 0);
        if (i + have > n || !vb_utf8_valid(seq, k, NULL))
          continue;
        const char *p = seq;
        if (!is_vn_letter(vb_utf8_next(&p, seq + k)))
          continue;
        vb_strbuf_add(out, seq, k);
        i += have;
        fixed = true;
      }
    if (!fixed)
      return false;
  }
  return true;
}

/* A Vietnamese letter with a mark between two letters ("Việt"). */
static bool inside_word_letter(const char *t, size_t n) {
  uint32_t prev = 0, cur = 0;
  const char *p = t, *end = t + n;
  while (p < end) {
    uint32_t next = vb_utf8_next(&p, end);
    if (cur >= 0x80 && is_vn_letter(cur) && g_unichar_isalpha(prev) && g_unichar_isalpha(next))
      return true;
    prev = cur;
    cur = next;
  }
  return false;
}

vb_misdecode vb_text_misdecoded(const char *s, size_t len, char **fixed) {
  *fixed = NULL;
  /* the usual case first, without allocating: ASCII, or a character that
   * Windows-1252 does not have */
  bool any = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
      continue;
    if (c > 0xC3 && c != 0xC5 && c != 0xC6 && c != 0xCB && c != 0xE2)
      return VB_MISDECODE_NONE; /* U+0100 and up, but for the few cp1252 has */
    any = true;
  }
  if (!any)
    return VB_MISDECODE_NONE;
  vb_strbuf bytes = VB_STRBUF_INIT;
  bool high = false;
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t c = vb_utf8_next(&p, end);
    int b = cp1252_code(c);
    if (b < 0) { /* ư ơ đ ă ệ...: text in Unicode, not bytes shown as characters */
      vb_strbuf_free(&bytes);
      return VB_MISDECODE_NONE;
    }
    high |= b >= 0x80;
    vb_strbuf_putc(&bytes, (char)b);
  }
  vb_misdecode kind = VB_MISDECODE_NONE;
  if (high) {
    const char *b = vb_strbuf_cstr(&bytes);
    long og, ob, g, bd;
    vb_strbuf rep = VB_STRBUF_INIT;
    if (has_utf8_multibyte(b, bytes.len) && repair_utf8(b, bytes.len, &rep)) {
      size_t nl = 0;
      char *nfc = vb_utf8_nfc(vb_strbuf_cstr(&rep), rep.len, &nl);
      score_counts(nfc, nl, &g, &bd);
      if (g >= 1 && bd == 0) {
        kind = VB_MISDECODE_UTF8_TWICE;
        *fixed = nfc;
      } else {
        free(nfc);
      }
    }
    vb_strbuf_free(&rep);
    score_counts(s, len, &og, &ob);
    /* VNI first: a mark byte that merged into the vowel before it ("Vieät") is
     * the strongest sign; then the better of TCVN3 and Windows-1258. A reading
     * counts only when clean and with a marked letter inside a word ("nh©n"). */
    static const struct {
      vb_encoding enc;
      vb_misdecode kind;
    } legacy[] = {{VB_ENC_VNI, VB_MISDECODE_VNI},
                  {VB_ENC_TCVN3, VB_MISDECODE_TCVN3},
                  {VB_ENC_CP1258, VB_MISDECODE_CP1258}};
    long best = 0;
    for (size_t i = 0; i < 3 && kind != VB_MISDECODE_UTF8_TWICE && ob >= 1; i++) {
      vb_strbuf out = VB_STRBUF_INIT;
      int bad = -1;
      decode_legacy(legacy[i].enc, (const unsigned char *)b, bytes.len, &out, &bad);
      size_t nl = 0;
      char *nfc = vb_utf8_nfc(vb_strbuf_cstr(&out), out.len, &nl);
      vb_strbuf_free(&out);
      score_counts(nfc, nl, &g, &bd);
      bool merged = legacy[i].enc == VB_ENC_VNI &&
                    g_utf8_strlen(nfc, (gssize)nl) < g_utf8_strlen(s, (gssize)len);
      if (bad < 0 && bd == 0 && inside_word_letter(nfc, nl) && (g > best || merged)) {
        best = merged ? LONG_MAX : g;
        kind = legacy[i].kind;
        free(*fixed);
        *fixed = nfc;
      } else {
        free(nfc);
      }
    }
  }
  vb_strbuf_free(&bytes);
  return kind;
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

/* Two legacy readings score the same: registers the text (bad bytes as
 * U+FFFD, as above) and asks for --encoding at the first non-ASCII byte. */
static uint32_t report_ambiguous(vb_sources *sources, const char *name, const char *s,
                                 size_t len, vb_encoding a, vb_encoding b, vb_diag *d) {
  size_t first = 0;
  while (first < len && (unsigned char)s[first] < 0x80)
    first++;
  vb_strbuf sb = VB_STRBUF_INIT;
  for (size_t i = 0; i < len; i++) {
    if ((unsigned char)s[i] < 0x80)
      vb_strbuf_putc(&sb, s[i]);
    else
      put_cp(&sb, 0xFFFD);
  }
  size_t off = first; /* ASCII bytes are one byte each in the text too */
  size_t n = sb.len;
  char *text = vb_strbuf_detach(&sb);
  uint32_t src = add_source(sources, name, text, n, d);
  if (src)
    vb_diag_error(d, vb_span_make(src, (uint32_t)off, (uint32_t)off + 3),
                  "the file is not UTF-8 and reads as well in %s as in %s: choose with "
                  "--encoding %s or --encoding %s",
                  encoding_title(a), encoding_title(b), vb_encoding_name(a), vb_encoding_name(b));
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
  const char *guessed = NULL; /* what auto chose, said in a warning */
  vb_encoding read_as = enc;
  int bad_byte = -1;

  /* A legacy --encoding names the spreadsheet exports; a file that is plainly
   * UTF-8 (the organization's YAML beside them) stays UTF-8. */
  if (is_legacy(enc) && ((n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ||
                         (vb_utf8_valid(text, n, NULL) && has_utf8_multibyte(text, n))))
    enc = read_as = VB_ENC_UTF8;
  if (enc == VB_ENC_AUTO || enc == VB_ENC_UTF8) {
    int u16 = 0;
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
      text += 3;
      n -= 3;
    } else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
      u16 = u[0] == 0xFE ? 2 : 1;
      u += 2;
      n -= 2;
    } else if (enc == VB_ENC_AUTO && memchr(text, 0, n) && (u16 = sniff_utf16(u, n)) != 0) {
      guessed = u16 == 2 ? "UTF-16BE" : "UTF-16LE";
    }
    if (u16) {
      if (!decode_utf16(u, n, u16 == 2, &sb)) {
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
      vb_encoding best = VB_ENC_AUTO, tie = VB_ENC_AUTO;
      long sc = enc == VB_ENC_AUTO && !has_utf8_multibyte(text, n)
                    ? guess_legacy((const unsigned char *)text, n, &best, &tie)
                    : 0;
      if (sc > 0 && tie != VB_ENC_AUTO) {
        uint32_t r = report_ambiguous(sources, name, text, n, best, tie, d);
        vb_strbuf_free(&sb);
        return r;
      }
      if (sc <= 0) {
        uint32_t r = report_bad_utf8(sources, name, text, n, bad, d);
        vb_strbuf_free(&sb);
        return r;
      }
      enc = read_as = best;
      guessed = encoding_title(best);
    } else if (enc == VB_ENC_AUTO && !u16 && !has_utf8_multibyte(text, n) && looks_viqr(text, n)) {
      enc = read_as = VB_ENC_VIQR;
      guessed = "VIQR";
    }
  }
  const char *raw = text; /* the bytes after a BOM, for the warning position */
  size_t raw_n = n;
  if (is_legacy(enc)) {
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
  vb_sources_set_tag(sources, src, (int)(read_as == VB_ENC_AUTO ? VB_ENC_UTF8 : read_as));
  size_t tlen = 0;
  const char *t = vb_sources_text(sources, src, &tlen);
  if (bad_byte >= 0) {
    /* U+FFFD only comes from undefined bytes here, and NFC keeps it. */
    const char *f = NULL;
    for (size_t i = 0; i + 2 < tlen && !f; i++)
      if (memcmp(t + i, "\xEF\xBF\xBD", 3) == 0)
        f = t + i;
    vb_span at = f ? char_span(src, t, tlen, (size_t)(f - t)) : vb_span_none();
    if (enc == VB_ENC_VIQR)
      vb_diag_error(d, at, "byte 0x%02X is not ASCII: VIQR text is ASCII (try another "
                    "--encoding)", (unsigned)bad_byte);
    else
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
    if (enc == VB_ENC_VIQR) { /* the first marked letter: the first non-ASCII one */
      const char *p = t, *e = t + tlen;
      while (p < e) {
        const char *q = p;
        if (vb_utf8_next(&p, e) >= 0x80) {
          first = (size_t)(q - t);
          break;
        }
      }
    } else if (enc == VB_ENC_UTF8) {
      first = 0;
    } else {
      while (first < raw_n && (unsigned char)raw[first] < 0x80)
        first++;
    }
    if (enc == VB_ENC_TCVN3)
      vb_diag_warn(d, char_span(src, t, tlen, first),
                   "not UTF-8; read as TCVN3 (use --encoding to choose; --encoding "
                   "tcvn3-caps for capitals typed in a .VnTimeH font)");
    else
      vb_diag_warn(d, char_span(src, t, tlen, first),
                   "not UTF-8; read as %s (use --encoding to choose)", guessed);
  }
  return src;
}

/* ---- a large file as it is: mapped, not read */
/* Files from this size on are mapped when their bytes are the text as they stand. */
#define MAP_MIN_BYTES (1u << 20)
/* Checked (and their memory given back) this many bytes at a time. */
#define MAP_CHUNK (1u << 20)

/* Registers the regular file `fd` (size bytes, within the limit) as a read-only
 * mapping when nothing has to change in it: UTF-8 (a BOM is skipped), no NUL,
 * surely NFC, and for `auto` without a non-ASCII character nothing that reads as
 * VIQR; a legacy --encoding only for a file that is plainly UTF-8 (as load()
 * decides). The bytes are checked a piece at a time, each piece's pages given
 * back after it, so the check does not hold the file in memory either. Returns
 * the source id, or 0 when the file must be read and converted (nothing
 * reported). */
static uint32_t load_mapped(vb_sources *sources, const char *name, int fd, size_t size,
                            vb_encoding enc) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  /* one byte more than the file, rounded up to pages: the text ends in a NUL (the
   * rest of the file's last page is zero, or the anonymous page after it is) */
  size_t map_len = (size + 1 + page - 1) / page * page;
  void *map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED)
    return 0;
  if (mmap(map, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    munmap(map, map_len);
    return 0;
  }
  const char *bytes = map;
  const unsigned char *u = map;
  size_t skip = 0;
  bool bom = false, ok = true, multibyte = false;
  if (size >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
    skip = 3;
    bom = true;
  } else if (size >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
    ok = false; /* UTF-16: converted */
  }
  size_t marked = 0, distinct = 0;
  for (size_t at = skip; ok && at < size;) {
    size_t end = at + MAP_CHUNK < size ? at + MAP_CHUNK : size;
    if (end < size) { /* a piece ends after a line end: no character is cut */
      const char *nl = memchr(bytes + end, '\n', size - end);
      end = nl ? (size_t)(nl - bytes) + 1 : size;
    }
    const char *p = bytes + at;
    size_t n = end - at;
    ok = vb_utf8_valid(p, n, NULL) && !memchr(p, '\0', n) && vb_utf8_surely_nfc(p, n);
    if (ok && !multibyte)
      for (size_t i = 0; i < n && !multibyte; i++)
        multibyte = (unsigned char)p[i] >= 0x80;
    if (ok && enc == VB_ENC_AUTO && !multibyte)
      viqr_marks(p, n, &marked, &distinct);
    madvise((void *)(bytes + at / page * page), (end - at / page * page) / page * page,
            MADV_DONTNEED);
    at = end;
  }
  if (ok && is_legacy(enc) && !bom && !multibyte)
    ok = false; /* ASCII in a legacy encoding: VIQR marks to read, or bytes to check */
  if (ok && enc == VB_ENC_AUTO && !multibyte && marked >= 3 && distinct >= 1)
    ok = false; /* VIQR */
  if (!ok) {
    munmap(map, map_len);
    return 0;
  }
  uint32_t src = vb_sources_add_mapped(sources, name, map, map_len, skip, size - skip);
  vb_sources_set_tag(sources, src, (int)VB_ENC_UTF8);
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
  struct stat st;
  if (!is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (uint64_t)st.st_size >= MAP_MIN_BYTES && (uint64_t)st.st_size <= max) {
    uint32_t src = load_mapped(sources, path, fd, (size_t)st.st_size, enc);
    if (src) {
      close(fd);
      return src;
    }
  }
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
                    "'%s' is larger than %llu bytes (the record-bytes limit; raise it with --limit record-bytes=N)",
                    is_stdin ? "<stdin>" : path, (unsigned long long)max);
    else
      vb_diag_error(d, from, "cannot read '%s': %s", path, strerror(e));
    return 0;
  }
  uint32_t src = load(sources, is_stdin ? "<stdin>" : path, buf, len, enc, &buf, d);
  free(buf); /* NULL when load kept it */
  return src;
}
