/* numfmt.c - backend stage: the fixed-point numbers cairo writes into PDF content,
 * printed without glibc's multiple-precision printf. cairo 1.16 prints every
 * coordinate, width and matrix entry through snprintf("%f"), "%.*f" or "%.18f"
 * (and its integers through "%d"); in a one-certificate PDF those calls were a
 * quarter of all the work (callgrind: 2,600 instructions a number, the border's
 * 3,200 path numbers alone 12.6M of 38M instructions a file).
 *
 * glibc builds with _FORTIFY_SOURCE turn those calls into __snprintf_chk, which
 * the executable defines here and so takes for every library (ELF symbol
 * interposition). The four conversions above, for a finite number under 2^53 in
 * the "C" decimal point and the default rounding mode, are printed exactly as
 * glibc does (the binary value's exact decimal expansion, rounded half to even:
 * tests/unit/test-backend.c compares millions of values); anything else goes to
 * glibc's own __vsnprintf_chk unchanged. */
#include "backend-private.h"

#include <fenv.h>
#include <langinfo.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_u64[19] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL};

/* Copies the `len` bytes at `s` as snprintf would into buf[size]; returns len. */
static int put_out(char *buf, size_t size, const char *s, size_t len) {
  if (size > 0) {
    size_t n = len < size ? len : size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
  }
  return (int)len;
}

/* (nl_langinfo, not localeconv: that one copies the whole locale record) */
static bool plain_locale(void) {
  const char *dp = nl_langinfo(RADIXCHAR);
  return dp && dp[0] == '.' && !dp[1] && fegetround() == FE_TONEAREST;
}

int vb_numfmt_fixed(char *buf, size_t size, double d, int prec) {
  if (prec < 0 || prec > 18 || !isfinite(d) || !plain_locale())
    return -1;
  bool neg = signbit(d);
  double a = fabs(d);
  if (a >= 9007199254740992.0) /* 2^53: the integer part fits in 64 bits below it */
    return -1;
  uint64_t bits;
  memcpy(&bits, &a, sizeof bits);
  int ex = (int)(bits >> 52 & 0x7ff);
  uint64_t m = bits & ((1ULL << 52) - 1);
  if (ex == 0)
    ex = 1; /* subnormal */
  else
    m |= 1ULL << 52;
  int sh = 1075 - ex; /* a = m / 2^sh, sh >= 0 below 2^53 */
  /* q = a * 10^prec rounded to nearest, ties to even, from the exact value */
  u128 p = (u128)m * pow10_u64[prec], q;
  if (sh == 0)
    q = p;
  else if (sh >= 120) /* p < 2^113 <= 2^(sh-1): below half of the last place */
    q = 0;
  else {
    q = p >> sh;
    u128 r = p - (q << sh), half = (u128)1 << (sh - 1);
    if (r > half || (r == half && (q & 1)))
      q++;
  }
  uint64_t ip = (uint64_t)(q / pow10_u64[prec]), fp = (uint64_t)(q % pow10_u64[prec]);
  char tmp[48], *s = tmp + sizeof tmp;
  for (int i = 0; i < prec; i++, fp /= 10)
    *--s = (char)('0' + fp % 10);
  if (prec > 0)
    *--s = '.';
  do
    *--s = (char)('0' + ip % 10);
  while (ip /= 10);
  if (neg)
    *--s = '-';
  return put_out(buf, size, s, (size_t)(tmp + sizeof tmp - s));
}

int vb_numfmt_int(char *buf, size_t size, int v) {
  char tmp[16], *s = tmp + sizeof tmp;
  unsigned u = v < 0 ? 0U - (unsigned)v : (unsigned)v;
  do
    *--s = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    *--s = '-';
  return put_out(buf, size, s, (size_t)(tmp + sizeof tmp - s));
}

#ifdef __GLIBC__
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...);
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt,
                    va_list ap);

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = -1;
  if (maxlen <= slen && fmt[0] == '%') {
    va_list ap2;
    va_copy(ap2, ap);
    if (!strcmp(fmt, "%f"))
      r = vb_numfmt_fixed(s, maxlen, va_arg(ap2, double), 6);
    else if (!strcmp(fmt, "%.*f")) {
      int prec = va_arg(ap2, int);
      r = vb_numfmt_fixed(s, maxlen, va_arg(ap2, double), prec);
    } else if (!strcmp(fmt, "%.18f"))
      r = vb_numfmt_fixed(s, maxlen, va_arg(ap2, double), 18);
    else if (!strcmp(fmt, "%d"))
      r = vb_numfmt_int(s, maxlen, va_arg(ap2, int));
    va_end(ap2);
  }
  if (r < 0)
    r = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
  va_end(ap);
  return r;
}
#endif
