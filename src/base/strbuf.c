/* strbuf.c - base stage: growable NUL-terminated byte string (vb_strbuf). */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static void grow(vb_strbuf *sb, size_t extra) {
  if (extra > SIZE_MAX - sb->len - 1)
    extra = SIZE_MAX - sb->len - 1; /* vb_xrealloc will fail */
  size_t need = sb->len + extra + 1;
  if (need <= sb->cap)
    return;
  size_t cap = sb->cap ? sb->cap : 32;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  sb->data = vb_xrealloc(sb->data, cap);
  sb->cap = cap;
}

void vb_strbuf_add(vb_strbuf *sb, const char *s, size_t n) {
  grow(sb, n);
  if (n)
    memcpy(sb->data + sb->len, s, n);
  sb->len += n;
  sb->data[sb->len] = '\0';
}

void vb_strbuf_puts(vb_strbuf *sb, const char *s) { vb_strbuf_add(sb, s, strlen(s)); }

void vb_strbuf_putc(vb_strbuf *sb, char c) { vb_strbuf_add(sb, &c, 1); }

void vb_strbuf_printf(vb_strbuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_strbuf_vprintf(sb, fmt, ap);
  va_end(ap);
}

/* The format is the caller's; callers with literal formats are checked through
 * VB_PRINTF on their own declarations (clang would warn here otherwise). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void vb_strbuf_vprintf(vb_strbuf *sb, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  grow(sb, 0);
  size_t room = sb->cap - sb->len;
  int n = vsnprintf(sb->data + sb->len, room, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    sb->data[sb->len] = '\0';
    return;
  }
  if ((size_t)n >= room) {
    grow(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
  }
  sb->len += (size_t)n;
}
#pragma GCC diagnostic pop

void vb_strbuf_add_num(vb_strbuf *sb, double v, int decimals) {
  char buf[64];
  size_t n = vb_fmt_num(buf, v, decimals);
  vb_strbuf_add(sb, buf, n);
}

void vb_strbuf_reset(vb_strbuf *sb) {
  sb->len = 0;
  if (sb->data)
    sb->data[0] = '\0';
}

void vb_strbuf_free(vb_strbuf *sb) {
  free(sb->data);
  sb->data = NULL;
  sb->len = sb->cap = 0;
}

char *vb_strbuf_detach(vb_strbuf *sb) {
  char *p = sb->data ? sb->data : vb_xstrdup("");
  sb->data = NULL;
  sb->len = sb->cap = 0;
  return p;
}

const char *vb_strbuf_cstr(const vb_strbuf *sb) { return sb->data ? sb->data : ""; }
