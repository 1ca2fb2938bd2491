/* fmt.c - base stage: locale-free number formatting and parsing. Formatting is
 * exact (the binary value is scaled with a small bignum and rounded half away
 * from zero), so no printf %f/%g or strtod, whose decimal point follows LC_NUMERIC. */
#include "base.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#define FMT_MAX_DECIMALS 30
#define BIG_WORDS 40 /* 1280 bits: 2^1024 * 10^30 fits */

typedef struct big {
  uint32_t w[BIG_WORDS]; /* little-endian base 2^32 */
  int n;                 /* used words; 0 means zero */
} big;

static void big_trim(big *b) {
  while (b->n > 0 && b->w[b->n - 1] == 0)
    b->n--;
}

static void big_mul_small(big *b, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < b->n; i++) {
    uint64_t t = (uint64_t)b->w[i] * m + carry;
    b->w[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry && b->n < BIG_WORDS)
    b->w[b->n++] = (uint32_t)carry;
}

static void big_add_one(big *b) {
  for (int i = 0; i < b->n; i++)
    if (++b->w[i] != 0)
      return;
  if (b->n < BIG_WORDS)
    b->w[b->n++] = 1;
}

static void big_shl(big *b, int bits) {
  int words = bits / 32, rest = bits % 32;
  if (b->n == 0)
    return;
  int n = b->n + words + 1;
  if (n > BIG_WORDS)
    n = BIG_WORDS; /* cannot happen for finite doubles with <= 30 decimals */
  for (int i = n - 1; i >= 0; i--) {
    int src = i - words;
    uint64_t hi = src >= 0 && src < b->n ? b->w[src] : 0;
    uint64_t lo = src - 1 >= 0 && src - 1 < b->n ? b->w[src - 1] : 0;
    b->w[i] = rest ? (uint32_t)((hi << rest) | (lo >> (32 - rest))) : (uint32_t)hi;
  }
  b->n = n;
  big_trim(b);
}

/* Shifts right by `bits`; returns the last bit shifted out (the "half" bit). */
static int big_shr(big *b, int bits) {
  int half = 0;
  if (bits <= 0)
    return 0;
  int hb = bits - 1;
  if (hb / 32 < b->n)
    half = (b->w[hb / 32] >> (hb % 32)) & 1;
  int words = bits / 32, rest = bits % 32;
  if (words >= b->n) {
    b->n = 0;
    return half;
  }
  int n = b->n - words;
  for (int i = 0; i < n; i++) {
    uint64_t lo = b->w[i + words];
    uint64_t hi = i + words + 1 < b->n ? b->w[i + words + 1] : 0;
    b->w[i] = rest ? (uint32_t)((lo >> rest) | (hi << (32 - rest))) : (uint32_t)lo;
  }
  b->n = n;
  big_trim(b);
  return half;
}

static uint32_t big_divmod_small(big *b, uint32_t d) {
  uint64_t rem = 0;
  for (int i = b->n - 1; i >= 0; i--) {
    uint64_t cur = (rem << 32) | b->w[i];
    b->w[i] = (uint32_t)(cur / d);
    rem = cur % d;
  }
  big_trim(b);
  return (uint32_t)rem;
}

/* Decimal digits of round(|v| * 10^decimals) into digits (no sign, no leading
 * zeros, "0" for zero); returns the count. digits needs 400 bytes. */
static size_t scaled_digits(double a, int decimals, char *digits) {
  big b;
  memset(&b, 0, sizeof b);
  int ex;
  double f = frexp(a, &ex);
  uint64_t m = (uint64_t)ldexp(f, 53);
  int e = ex - 53;
  b.w[0] = (uint32_t)m;
  b.w[1] = (uint32_t)(m >> 32);
  b.n = 2;
  big_trim(&b);
  for (int i = 0; i < decimals; i++)
    big_mul_small(&b, 10);
  if (e >= 0) {
    big_shl(&b, e);
  } else if (big_shr(&b, -e)) {
    big_add_one(&b);
  }
  char rev[400];
  size_t n = 0;
  while (b.n > 0) {
    uint32_t chunk = big_divmod_small(&b, 1000000000u);
    for (int i = 0; i < 9; i++) {
      rev[n++] = (char)('0' + chunk % 10);
      chunk /= 10;
    }
  }
  while (n > 1 && rev[n - 1] == '0')
    n--;
  if (n == 0)
    rev[n++] = '0';
  for (size_t i = 0; i < n; i++)
    digits[i] = rev[n - 1 - i];
  digits[n] = '\0';
  return n;
}

/* Huge values that cannot fit 63 characters: 16 significant digits,
 * "d.ddddddddddddddde+NNN". */
static size_t fmt_sci(char *buf, bool neg, const char *digits, int exp10) {
  char sig[16];
  memcpy(sig, digits, 16);
  if (digits[16] >= '5') {
    int i = 15;
    while (i >= 0 && sig[i] == '9')
      sig[i--] = '0';
    if (i >= 0) {
      sig[i]++;
    } else {
      sig[0] = '1';
      exp10++;
    }
  }
  size_t n = 0;
  if (neg)
    buf[n++] = '-';
  buf[n++] = sig[0];
  buf[n++] = '.';
  memcpy(buf + n, sig + 1, 15);
  n += 15;
  buf[n++] = 'e';
  buf[n++] = '+';
  char e[8];
  int ne = 0;
  do {
    e[ne++] = (char)('0' + exp10 % 10);
    exp10 /= 10;
  } while (exp10);
  while (ne)
    buf[n++] = e[--ne];
  buf[n] = '\0';
  return n;
}

size_t vb_fmt_num(char *buf, double v, int decimals) {
  if (isnan(v)) {
    memcpy(buf, "nan", 4);
    return 3;
  }
  if (isinf(v)) {
    strcpy(buf, v < 0 ? "-inf" : "inf");
    return v < 0 ? 4 : 3;
  }
  if (decimals < 0)
    decimals = 0;
  if (decimals > FMT_MAX_DECIMALS)
    decimals = FMT_MAX_DECIMALS;
  bool neg = signbit(v) != 0;
  double a = fabs(v);
  char digits[400];
  size_t nd;
  for (;;) {
    nd = scaled_digits(a, decimals, digits);
    size_t int_digits = nd > (size_t)decimals ? nd - (size_t)decimals : 1;
    if (int_digits + neg > 61)
      return fmt_sci(buf, neg, digits, (int)int_digits - 1);
    if (neg + int_digits + (decimals ? 1 + (size_t)decimals : 0) <= 63)
      break;
    /* Too long for the 64-byte buffer: keep the integer part, drop decimals. */
    decimals = (int)(62 - neg - int_digits);
  }
  bool zero = nd == 1 && digits[0] == '0';
  size_t n = 0;
  if (neg && !zero)
    buf[n++] = '-';
  if (nd <= (size_t)decimals) {
    buf[n++] = '0';
    if (decimals) {
      buf[n++] = '.';
      for (size_t i = nd; i < (size_t)decimals; i++)
        buf[n++] = '0';
      memcpy(buf + n, digits, nd);
      n += nd;
    }
  } else {
    size_t ip = nd - (size_t)decimals;
    memcpy(buf + n, digits, ip);
    n += ip;
    if (decimals) {
      buf[n++] = '.';
      memcpy(buf + n, digits + ip, (size_t)decimals);
      n += (size_t)decimals;
    }
  }
  buf[n] = '\0';
  return n;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* 10^k in long double by binary powering (1e1..1e16 are exact). */
static long double pow10l_pos(int k) {
  long double r = 1.0L, p = 10.0L;
  while (k > 0) {
    if (k & 1)
      r *= p;
    p *= p;
    k >>= 1;
  }
  return r;
}

int vb_parse_num(const char *s, double *out) {
  static const double exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char *p = s;
  bool neg = false;
  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  uint64_t mant = 0;
  int sig = 0;      /* significant digits kept in mant */
  long exp10 = 0;   /* value = mant * 10^exp10 */
  int ndigits = 0;  /* digits seen in the mantissa */
  for (; is_digit(*p); p++, ndigits++) {
    if (mant == 0 && *p == '0')
      continue;
    if (sig < 19) {
      mant = mant * 10 + (uint64_t)(*p - '0');
      sig++;
    } else {
      exp10++;
    }
  }
  if (*p == '.') {
    p++;
    for (; is_digit(*p); p++, ndigits++) {
      if (mant == 0 && *p == '0') {
        exp10--;
        continue;
      }
      if (sig < 19) {
        mant = mant * 10 + (uint64_t)(*p - '0');
        sig++;
        exp10--;
      }
    }
  }
  if (ndigits == 0)
    return -1;
  if (*p == 'e' || *p == 'E') {
    p++;
    bool eneg = false;
    if (*p == '+' || *p == '-')
      eneg = *p++ == '-';
    if (!is_digit(*p))
      return -1;
    long e = 0;
    for (; is_digit(*p); p++)
      if (e < 100000)
        e = e * 10 + (*p - '0');
    exp10 += eneg ? -e : e;
  }
  if (*p != '\0')
    return -1;
  double r;
  if (mant == 0) {
    r = 0.0;
  } else if (mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    /* Both operands exact, so the one IEEE operation rounds correctly. */
    r = exp10 >= 0 ? (double)mant * exact[exp10] : (double)mant / exact[-exp10];
  } else if (exp10 + sig > 310) {
    return -1; /* overflow */
  } else if (exp10 + sig < -330) {
    r = 0.0;
  } else {
    long double x = (long double)mant;
    x = exp10 >= 0 ? x * pow10l_pos((int)exp10) : x / pow10l_pos((int)-exp10);
    r = (double)x;
    if (isinf(r))
      return -1;
  }
  *out = neg ? -r : r;
  return 0;
}

int vb_parse_uint(const char *s, unsigned long *out) {
  const char *p = s;
  unsigned long v = 0;
  if (!is_digit(*p))
    return -1;
  for (; is_digit(*p); p++) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (ULONG_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  if (*p != '\0')
    return -1;
  *out = v;
  return 0;
}
