/* sources.c - base stage: registry of source texts (name + bytes) that spans
 * point into; line/column are computed on demand (after jq's locfile.c) from a
 * sparse line-start table, built as far as a lookup needs it: the start of every
 * LINE_STEP-th line, the lines between found again by scanning. Lines end at "\n",
 * "\r\n" or a lone "\r". A large file can be registered as a read-only mapping
 * (vb_sources_add_mapped): its pages are read from the file when touched and given
 * back by vb_sources_release, so a list of a million rows is not held in memory. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One table entry per this many lines: 64 KB of table for 4 million lines, and at
 * most 63 lines scanned to locate an offset. */
#define LINE_STEP 64
/* Scanning a mapped source for line starts gives its pages back every so many bytes. */
#define RELEASE_CHUNK (1u << 20)

typedef struct source {
  char *name;
  char *text;
  size_t len;
  /* mapped (vb_sources_add_mapped): the mapping, text = map + skip */
  void *map;
  size_t map_len;
  /* marks[j] = offset of line j * LINE_STEP (0-based lines); the table is known up
   * to `scan` (the start of line `scan_line`), or for the whole text once `complete` */
  uint32_t *marks;
  size_t nmarks, cap_marks;
  size_t scan, scan_line;
  bool complete;
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
    if (s->v[i].map)
      munmap(s->v[i].map, s->v[i].map_len);
    else
      free(s->v[i].text);
    free(s->v[i].marks);
  }
  free(s->v);
  free(s);
}

static source *add(vb_sources *s, const char *name) {
  if (s->n == s->cap) {
    s->cap *= 2;
    s->v = vb_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  source *src = &s->v[s->n++];
  memset(src, 0, sizeof *src);
  src->name = vb_xstrdup(name);
  return src;
}

uint32_t vb_sources_add(vb_sources *s, const char *name, char *text, size_t len) {
  source *src = add(s, name);
  src->text = text;
  src->len = len;
  return (uint32_t)(s->n - 1);
}

uint32_t vb_sources_add_mapped(vb_sources *s, const char *name, void *map, size_t map_len,
                               size_t skip, size_t len) {
  source *src = add(s, name);
  src->map = map;
  src->map_len = map_len;
  src->text = (char *)map + skip;
  src->len = len;
  return (uint32_t)(s->n - 1);
}

static const source *get(const vb_sources *s, uint32_t id) {
  return s && id >= 1 && id < s->n ? &s->v[id] : NULL;
}

/* Gives back the memory of the whole pages inside [start, end) of a mapped source. */
static void release(const source *x, size_t start, size_t end) {
  if (!x->map || end <= start)
    return;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  uintptr_t base = (uintptr_t)x->map;
  uintptr_t a = (uintptr_t)x->text + start, b = (uintptr_t)x->text + end;
  a = (a + page - 1) / page * page;
  b = b / page * page;
  if (a < base)
    a = base;
  if (b > a)
    madvise((void *)a, b - a, MADV_DONTNEED); /* a hint: nothing to do if it fails */
}

void vb_sources_release(const vb_sources *s, uint32_t src, size_t start, size_t end) {
  const source *x = get(s, src);
  if (x && end > x->len)
    end = x->len;
  if (x)
    release(x, start, end);
}

bool vb_sources_is_mapped(const vb_sources *s, uint32_t src) {
  const source *x = get(s, src);
  return x && x->map;
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

/* Start of the line after the one starting at ls, or the text's length if none. */
static size_t next_line(const source *x, size_t ls, bool *found) {
  const char *t = x->text;
  for (size_t i = ls; i < x->len; i++) {
    char c = t[i];
    if (c == '\n' || c == '\r') {
      *found = true;
      return c == '\r' && i + 1 < x->len && t[i + 1] == '\n' ? i + 2 : i + 1;
    }
  }
  *found = false;
  return x->len;
}

/* The table is a cache: building it does not change what the registry holds, so it
 * is filled in behind the const of the lookup functions. Extends it until the line
 * holding offset `off` and line `line` (0-based) are both covered (or the text ends). */
static const source *with_lines(const vb_sources *s, uint32_t id, size_t off, size_t line) {
  const source *cx = get(s, id);
  if (!cx)
    return NULL;
  source *x = (source *)cx;
  if (!x->marks) {
    x->cap_marks = 16;
    x->marks = vb_xmalloc(x->cap_marks * sizeof *x->marks);
    x->marks[x->nmarks++] = 0;
  }
  size_t released = x->scan;
  while (!x->complete && (x->scan <= off || x->scan_line <= line)) {
    bool found;
    size_t next = next_line(x, x->scan, &found);
    if (!found) {
      x->complete = true;
      break;
    }
    x->scan = next;
    x->scan_line++;
    if (x->scan_line % LINE_STEP == 0) {
      if (x->nmarks == x->cap_marks) {
        x->cap_marks *= 2;
        x->marks = vb_xrealloc(x->marks, x->cap_marks * sizeof *x->marks);
      }
      x->marks[x->nmarks++] = (uint32_t)next;
    }
    if (x->scan - released >= RELEASE_CHUNK) {
      release(x, released, x->scan);
      released = x->scan;
    }
  }
  return x;
}

/* The line holding offset off: its 0-based index and start. */
static size_t line_of(const source *x, size_t off, size_t *start) {
  size_t lo = 0, hi = x->nmarks; /* marks[lo] <= off < marks[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->marks[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  size_t ls = x->marks[lo], li = lo * LINE_STEP;
  for (;;) {
    bool found;
    size_t next = next_line(x, ls, &found);
    if (!found || next > off)
      break;
    ls = next;
    li++;
  }
  *start = ls;
  return li;
}

/* Start of 0-based line `line`, or of the last line when the text has fewer. */
static size_t line_start(const source *x, size_t line, size_t *got) {
  size_t j = line / LINE_STEP;
  if (j >= x->nmarks)
    j = x->nmarks - 1;
  size_t ls = x->marks[j], li = j * LINE_STEP;
  while (li < line) {
    bool found;
    size_t next = next_line(x, ls, &found);
    if (!found)
      break;
    ls = next;
    li++;
  }
  *got = li;
  return ls;
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
  const source *x = get(s, src);
  if (!x) {
    *line = *col = 0;
    return;
  }
  if (off > x->len)
    off = (uint32_t)x->len;
  x = with_lines(s, src, off, 0);
  size_t ls, li = line_of(x, off, &ls);
  *line = (unsigned)(li + 1);
  *col = column_of(x, ls, off);
}

/* End of the line starting at ls, before its terminator. */
static size_t line_end(const source *x, size_t ls) {
  size_t i = ls;
  while (i < x->len && x->text[i] != '\n' && x->text[i] != '\r')
    i++;
  return i;
}

uint32_t vb_sources_offset(const vb_sources *s, uint32_t src, unsigned line, unsigned col) {
  const source *x = get(s, src);
  if (!x)
    return 0;
  if (line < 1)
    line = 1;
  x = with_lines(s, src, 0, line - 1);
  size_t got, ls = line_start(x, line - 1, &got), le = line_end(x, ls);
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
