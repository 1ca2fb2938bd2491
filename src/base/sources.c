/* sources.c - base stage: registry of source texts (name + bytes) that spans
 * point into; line/column are computed on demand from a lazily built line-start
 * table (after jq's locfile.c). Lines end at "\n", "\r\n" or a lone "\r". */
#include "base.h"

#include <stdlib.h>
#include <string.h>

typedef struct source {
  char *name;
  char *text;
  size_t len;
  uint32_t *lines; /* byte offset of each line start; NULL until first needed */
  size_t nlines;
  int tag;
} source;

struct vb_sources {
  source *v; /* v[0] is unused: id 0 means "no location" */
  size_t n, cap;
  vb_limits limits;
};

void vb_sources_set_limits(vb_sources *s, const vb_limits *l) { s->limits = *l; }
const vb_limits *vb_sources_limits(const vb_sources *s) { return &s->limits; }
uint32_t vb_sources_count(const vb_sources *s) { return (uint32_t)s->n; }

vb_sources *vb_sources_new(void) {
  vb_sources *s = vb_xcalloc(1, sizeof *s);
  s->cap = 8;
  s->v = vb_xcalloc(s->cap, sizeof *s->v);
  s->n = 1;
  s->limits = vb_limits_default();
  return s;
}

void vb_sources_free(vb_sources *s) {
  if (!s)
    return;
  for (size_t i = 1; i < s->n; i++) {
    free(s->v[i].name);
    free(s->v[i].text);
    free(s->v[i].lines);
  }
  free(s->v);
  free(s);
}

uint32_t vb_sources_add(vb_sources *s, const char *name, char *text, size_t len) {
  if (s->n == s->cap) {
    s->cap *= 2;
    s->v = vb_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  source *src = &s->v[s->n];
  memset(src, 0, sizeof *src);
  src->name = vb_xstrdup(name);
  src->text = text;
  src->len = len;
  return (uint32_t)s->n++;
}

static const source *get(const vb_sources *s, uint32_t id) {
  return s && id >= 1 && id < s->n ? &s->v[id] : NULL;
}

void vb_sources_set_tag(vb_sources *s, uint32_t src, int tag) {
  if (s && src >= 1 && src < s->n)
    s->v[src].tag = tag;
}

int vb_sources_tag(const vb_sources *s, uint32_t src) {
  const source *x = get(s, src);
  return x ? x->tag : 0;
}

const char *vb_sources_name(const vb_sources *s, uint32_t src) {
  const source *x = get(s, src);
  return x ? x->name : NULL;
}

const char *vb_sources_text(const vb_sources *s, uint32_t src, size_t *len) {
  const source *x = get(s, src);
  if (len)
    *len = x ? x->len : 0;
  return x ? x->text : NULL;
}

/* The table is a cache: building it does not change what the registry holds,
 * so it is filled in behind the const of the lookup functions. */
static const source *with_lines(const vb_sources *s, uint32_t id) {
  const source *cx = get(s, id);
  if (!cx || cx->lines)
    return cx;
  source *x = (source *)cx;
  size_t cap = 64, n = 0;
  uint32_t *lines = vb_xmalloc(cap * sizeof *lines);
  lines[n++] = 0;
  for (size_t i = 0; i < x->len; i++) {
    char c = x->text[i];
    if (c == '\r' && i + 1 < x->len && x->text[i + 1] == '\n')
      continue; /* the '\n' ends this line */
    if (c == '\n' || c == '\r') {
      if (n == cap) {
        cap *= 2;
        lines = vb_xrealloc(lines, cap * sizeof *lines);
      }
      lines[n++] = (uint32_t)(i + 1);
    }
  }
  x->lines = lines;
  x->nlines = n;
  return x;
}

/* Index of the line holding offset off (last line start <= off). */
static size_t line_index(const source *x, uint32_t off) {
  size_t lo = 0, hi = x->nlines; /* lines[lo] <= off < lines[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->lines[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* Column (1-based, code points) of off within the line starting at ls; an offset
 * inside a multi-byte character gets that character's column. */
static unsigned column_of(const source *x, size_t ls, size_t off) {
  const char *p = x->text + ls, *stop = x->text + off, *end = x->text + x->len;
  unsigned col = 1;
  while (p < stop) {
    const char *q = p;
    vb_utf8_next(&q, end);
    if (q > stop)
      break;
    p = q;
    col++;
  }
  return col;
}

void vb_sources_locate(const vb_sources *s, uint32_t src, uint32_t off, unsigned *line,
                       unsigned *col) {
  const source *x = with_lines(s, src);
  if (!x) {
    *line = *col = 0;
    return;
  }
  if (off > x->len)
    off = (uint32_t)x->len;
  size_t li = line_index(x, off);
  *line = (unsigned)(li + 1);
  *col = column_of(x, x->lines[li], off);
}

/* End of the line starting at ls, before its terminator. */
static size_t line_end(const source *x, size_t ls) {
  size_t i = ls;
  while (i < x->len && x->text[i] != '\n' && x->text[i] != '\r')
    i++;
  return i;
}

uint32_t vb_sources_offset(const vb_sources *s, uint32_t src, unsigned line, unsigned col) {
  const source *x = with_lines(s, src);
  if (!x)
    return 0;
  if (line < 1)
    line = 1;
  if (line > x->nlines)
    line = (unsigned)x->nlines;
  size_t ls = x->lines[line - 1], le = line_end(x, ls);
  const char *p = x->text + ls, *end = x->text + le;
  for (unsigned c = 1; c < col && p < end; c++)
    vb_utf8_next(&p, end);
  return (uint32_t)(p - x->text);
}

void vb_sources_where(const vb_sources *s, vb_span span, vb_strbuf *sb) {
  const source *x = get(s, span.src);
  if (!x)
    return;
  unsigned line, col;
  vb_sources_locate(s, span.src, span.start, &line, &col);
  vb_strbuf_printf(sb, "%s:%u:%u", x->name, line, col);
}
