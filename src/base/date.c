/* date.c - base stage: strict date parsing (ISO 8601 calendar dates with
 * optional time and offset, and the Vietnamese "DD/MM/YYYY [HH:MM]" form). */
#include "base.h"

#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads between min and max digits; returns the count read, 0 on failure. */
static int read_int(const char **p, int min, int max, int *out) {
  int n = 0, v = 0;
  while (n < max && is_digit((*p)[n])) {
    v = v * 10 + ((*p)[n] - '0');
    n++;
  }
  if (n < min || is_digit((*p)[n]))
    return 0;
  *p += n;
  *out = v;
  return n;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool date_ok(const vb_date *d) {
  return d->month >= 1 && d->month <= 12 && d->day >= 1 &&
         d->day <= month_days(d->year, d->month);
}

/* "HH:MM[:SS[.fff]]" with hour_min_digits..2 hour digits; the fraction is dropped. */
static bool read_time(const char **p, int hour_min_digits, vb_date *d) {
  if (!read_int(p, hour_min_digits, 2, &d->hour) || **p != ':')
    return false;
  (*p)++;
  if (!read_int(p, 2, 2, &d->minute))
    return false;
  d->second = 0;
  if (**p == ':') {
    (*p)++;
    if (!read_int(p, 2, 2, &d->second))
      return false;
    if (**p == '.' || **p == ',') {
      (*p)++;
      if (!is_digit(**p))
        return false;
      while (is_digit(**p))
        (*p)++;
    }
  }
  d->has_time = true;
  return d->hour <= 23 && d->minute <= 59 && d->second <= 59;
}

/* "Z", "+HH:MM", "+HHMM" or "+HH" (and '-'). */
static bool read_tz(const char **p, vb_date *d) {
  if (**p == 'Z' || **p == 'z') {
    (*p)++;
    d->has_tz = true;
    d->tz_minutes = 0;
    return true;
  }
  if (**p != '+' && **p != '-')
    return true; /* no offset */
  int sign = **p == '-' ? -1 : 1, h, m = 0;
  (*p)++;
  int hhmm;
  if (read_int(p, 4, 4, &hhmm)) { /* "+HHMM" */
    h = hhmm / 100;
    m = hhmm % 100;
  } else if (!read_int(p, 2, 2, &h)) {
    return false;
  } else if (**p == ':') {
    (*p)++;
    if (!read_int(p, 2, 2, &m))
      return false;
  }
  if (h > 23 || m > 59)
    return false;
  d->has_tz = true;
  d->tz_minutes = sign * (h * 60 + m);
  return true;
}

int vb_date_parse(const char *s, vb_date *out) {
  vb_date d;
  memset(&d, 0, sizeof d);
  const char *p = s;
  if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && p[4] == '-') {
    if (!read_int(&p, 4, 4, &d.year) || *p++ != '-' || !read_int(&p, 2, 2, &d.month) ||
        *p++ != '-' || !read_int(&p, 2, 2, &d.day))
      return -1;
    if (*p == 'T' || *p == 't' || (*p == ' ' && is_digit(p[1]))) {
      p++;
      if (!read_time(&p, 2, &d) || !read_tz(&p, &d))
        return -1;
    }
  } else {
    if (!read_int(&p, 1, 2, &d.day) || *p++ != '/' || !read_int(&p, 1, 2, &d.month) ||
        *p++ != '/' || !read_int(&p, 4, 4, &d.year))
      return -1;
    if (*p == ' ') {
      p++;
      if (!read_time(&p, 1, &d))
        return -1;
    }
  }
  if (*p != '\0' || !date_ok(&d))
    return -1;
  *out = d;
  return 0;
}

void vb_date_format_iso(const vb_date *dt, vb_strbuf *sb) {
  vb_strbuf_printf(sb, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
  if (!dt->has_time)
    return;
  vb_strbuf_printf(sb, "T%02d:%02d", dt->hour, dt->minute);
  if (dt->second)
    vb_strbuf_printf(sb, ":%02d", dt->second);
  if (!dt->has_tz)
    return;
  if (dt->tz_minutes == 0) {
    vb_strbuf_putc(sb, 'Z');
  } else {
    int m = dt->tz_minutes < 0 ? -dt->tz_minutes : dt->tz_minutes;
    vb_strbuf_printf(sb, "%c%02d:%02d", dt->tz_minutes < 0 ? '-' : '+', m / 60, m % 60);
  }
}

/* Howard Hinnant's days_from_civil. */
long vb_date_days(const vb_date *dt) {
  long y = dt->year - (dt->month <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long mp = (dt->month + 9) % 12;
  long doy = (153 * mp + 2) / 5 + dt->day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
