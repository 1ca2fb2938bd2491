/* xalloc.c - base stage: allocation wrappers that abort with
 * "vanban: out of memory" instead of returning NULL (after cmark's xcalloc). */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
  fputs("vanban: out of memory\n", stderr);
  fflush(stderr);
  abort();
}

void *vb_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *vb_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *vb_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (!q)
    out_of_memory();
  return q;
}

char *vb_xstrdup(const char *s) { return vb_xstrndup(s, strlen(s)); }

char *vb_xstrndup(const char *s, size_t n) {
  size_t len = 0;
  while (len < n && s[len])
    len++;
  char *p = vb_xmalloc(len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}
