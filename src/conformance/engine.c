/* engine.c - conformance stage: the rule engine. Builds the document model from
 * the display list (glyph runs joined into lines by role and baseline, rules and
 * boxes, each page's frame), reads each font's weight, slant, family and ascender
 * from its file (sfnt OS/2, hhea, head, name tables), runs a rule set's rules and
 * keeps one result per rule: the failures' count and the first in full. */
#include "conformance-private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ck_ctx {
  vb_checker *ck;
  vb_rule_result *res; /* the rule being checked */
  char shortbuf[256];
  char nums[8][160];
  unsigned inum;
};

struct vb_checker {
  const ck_ruleset *set;
  const vb_resources *res;
  ck_font **fonts; /* by resource id, read on first use (lines point at them) */
  size_t nfonts;
  vb_rule_result *results;
  GHashTable *state;
  unsigned docs, pages;
};

static const ck_ruleset *const sets[] = {&vb_ck_nd30_minutes,      &vb_ck_hd36_minutes,
                                         &vb_ck_certificate,       &vb_ck_certificate_party,
                                         &vb_ck_certificate_overlay, &vb_ck_bulletin};
static const char *const set_names[] = {"nd30-minutes",        "hd36-minutes",
                                        "certificate",         "certificate-party",
                                        "certificate-overlay", "bulletin",
                                        NULL};

static const ck_ruleset *find_set(const char *name) {
  for (size_t i = 0; name && i < sizeof sets / sizeof sets[0]; i++)
    if (!strcmp(sets[i]->name, name))
      return sets[i];
  return NULL;
}

bool vb_conformance_known(const char *ruleset) { return find_set(ruleset) != NULL; }
const char *const *vb_conformance_rulesets(void) { return set_names; }

size_t vb_conformance_count(const char *ruleset) {
  const ck_ruleset *s = find_set(ruleset);
  return s ? s->n : 0;
}

const vb_rule_info *vb_conformance_rule(const char *ruleset, size_t i) {
  const ck_ruleset *s = find_set(ruleset);
  return s && i < s->n ? &s->rules[i].info : NULL;
}

/* ---- fonts: the few facts the rules need, from the sfnt tables */
static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void name_to_utf8(const unsigned char *s, size_t len, bool utf16, char *out,
                         size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < len && o + 4 < cap;) {
    uint32_t c;
    if (utf16) {
      if (i + 1 >= len)
        break;
      c = be16(s + i);
      i += 2;
    } else
      c = s[i++];
    char buf[4];
    int n = vb_utf8_put(c < 0x80 || utf16 ? c : '?', buf);
    memcpy(out + o, buf, (size_t)n);
    o += (size_t)n;
  }
  out[o] = 0;
}

static void font_read(ck_font *f, const char *file, int index) {
  memset(f, 0, sizeof *f);
  FILE *fp = fopen(file, "rb");
  if (!fp)
    return;
  size_t cap = 1 << 16, len = 0;
  unsigned char *b = vb_xmalloc(cap);
  size_t got;
  while ((got = fread(b + len, 1, cap - len, fp)) > 0) {
    len += got;
    if (len == cap) {
      if (cap >= (64u << 20))
        break;
      cap *= 2;
      b = vb_xrealloc(b, cap);
    }
  }
  fclose(fp);
  size_t off = 0;
  if (len >= 12 && !memcmp(b, "ttcf", 4)) {
    uint32_t nf = be32(b + 8);
    if (index < 0 || (uint32_t)index >= nf || 12 + 4 * (size_t)index + 4 > len)
      goto done;
    off = be32(b + 12 + 4 * (size_t)index);
  }
  if (off + 12 > len)
    goto done;
  unsigned nt = be16(b + off + 4);
  size_t head = 0, hhea = 0, os2 = 0, name = 0, name_len = 0;
  for (unsigned i = 0; i < nt; i++) {
    size_t e = off + 12 + 16 * (size_t)i;
    if (e + 16 > len)
      goto done;
    size_t to = be32(b + e + 8), tl = be32(b + e + 12);
    if (to + tl > len)
      continue;
    if (!memcmp(b + e, "head", 4) && tl >= 54)
      head = to;
    else if (!memcmp(b + e, "hhea", 4) && tl >= 36)
      hhea = to;
    else if (!memcmp(b + e, "OS/2", 4) && tl >= 64)
      os2 = to;
    else if (!memcmp(b + e, "name", 4) && tl >= 6)
      name = to, name_len = tl;
  }
  if (!head || !hhea)
    goto done;
  double upem = be16(b + head + 18);
  if (upem <= 0)
    goto done;
  f->asc = (int16_t)be16(b + hhea + 4) / upem;
  f->desc = (int16_t)be16(b + hhea + 6) / upem;
  unsigned mac_style = be16(b + head + 44);
  f->bold = mac_style & 1;
  f->italic = mac_style & 2;
  if (os2) {
    unsigned weight = be16(b + os2 + 4), sel = be16(b + os2 + 62);
    f->bold = weight >= 600 || (sel & 0x20);
    f->italic = (sel & 0x01) || (sel & 0x200);
  }
  if (name) {
    unsigned count = be16(b + name + 2), strings = be16(b + name + 4);
    int best = -1;
    for (unsigned i = 0; i < count; i++) {
      size_t r = name + 6 + 12 * (size_t)i;
      if (r + 12 > name + name_len)
        break;
      unsigned plat = be16(b + r), id = be16(b + r + 6), l = be16(b + r + 8),
               o = be16(b + r + 10);
      if ((id != 1 && id != 16) || (plat != 3 && plat != 1))
        continue;
      size_t s = name + strings + o;
      if (s + l > len)
        continue;
      int score = (id == 16 ? 2 : 0) + (plat == 3 ? 1 : 0);
      if (score > best) {
        best = score;
        name_to_utf8(b + s, l, plat == 3, f->family, sizeof f->family);
      }
    }
  }
  f->read = true;
done:
  free(b);
}

static const ck_font *font_get(vb_checker *ck, uint32_t id) {
  if (id >= ck->nfonts) {
    size_t n = vb_resources_font_count(ck->res);
    if (id >= n)
      return NULL;
    ck->fonts = vb_xrealloc(ck->fonts, n * sizeof *ck->fonts);
    for (size_t i = ck->nfonts; i < n; i++)
      ck->fonts[i] = NULL;
    ck->nfonts = n;
  }
  if (!ck->fonts[id]) {
    const vb_font_res *fr = vb_resources_font(ck->res, id);
    ck->fonts[id] = vb_xmalloc(sizeof *ck->fonts[id]);
    font_read(ck->fonts[id], fr->file, fr->index);
  }
  return ck->fonts[id];
}

/* Times New Roman, or a face made with its metrics (§1.1, §1.10). */
static bool is_tnr(const ck_font *f) {
  static const char *const ok[] = {"Times New Roman", "Liberation Serif", "Tinos"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (!strcmp(f->family, ok[i]))
      return true;
  return false;
}

/* ---- the document model */
static bool black(vb_color c) { return c.r < 0.01f && c.g < 0.01f && c.b < 0.01f; }

static void model_build(vb_checker *ck, ck_doc *d, vb_dlist *const *pages, size_t n) {
  GArray *lines = g_array_new(FALSE, TRUE, sizeof(ck_line));
  GArray *rects = g_array_new(FALSE, TRUE, sizeof(ck_rect));
  d->pages = vb_xcalloc(n ? n : 1, sizeof *d->pages);
  d->npages = n;
  for (size_t p = 0; p < n; p++) {
    const vb_dlist *dl = pages[p];
    ck_page *pg = &d->pages[p];
    pg->w = vb_dlist_width(dl);
    pg->h = vb_dlist_height(dl);
    float fx, fy, fw, fh;
    pg->has_frame = vb_dlist_frame(dl, &fx, &fy, &fw, &fh);
    pg->fx = fx, pg->fy = fy, pg->fw = fw, pg->fh = fh;
    pg->line0 = lines->len;
    pg->rect0 = rects->len;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bool joinable = false; /* the previous op was a glyph run */
    for (size_t i = 0; i < vb_dlist_count(dl); i++) {
      const vb_op *op = vb_dlist_op(dl, i);
      const char *role = op->role ? op->role : "";
      if (op->kind == VB_OP_GLYPHS) {
        const ck_font *f = font_get(ck, op->u.glyphs.font);
        double x = op->u.glyphs.x, y = op->u.glyphs.y, size = op->u.glyphs.size;
        double w = op->u.glyphs.width;
        if (w <= 0 && op->u.glyphs.n)
          w = op->u.glyphs.glyphs[op->u.glyphs.n - 1].x + 0.5 * size;
        ck_line *last = joinable && lines->len > pg->line0
                            ? &g_array_index(lines, ck_line, lines->len - 1)
                            : NULL;
        bool bold = f && f->read && f->bold, italic = f && f->read && f->italic;
        if (last && !strcmp(last->role, role) && fabs(last->y - y) < 0.05 &&
            x >= last->x1 - 0.5 && x - last->x1 < 0.6 * size) {
          char *t = g_strconcat(last->text, x - last->x1 > 0.15 * size ? " " : "",
                                op->u.glyphs.text ? op->u.glyphs.text : "", NULL);
          g_free(last->text);
          last->text = t;
          last->x1 = x + w;
          last->size = size > last->size ? size : last->size;
          last->size_min = size < last->size_min ? size : last->size_min;
          last->bold = last->bold && bold;
          last->italic = last->italic && italic;
          last->tnr = last->tnr && f && is_tnr(f);
          last->black = last->black && black(op->u.glyphs.color);
        } else {
          ck_line l = {0};
          l.page = (unsigned)p + 1;
          l.role = role;
          l.text = g_strndup(op->u.glyphs.text ? op->u.glyphs.text : "",
                             op->u.glyphs.text ? op->u.glyphs.text_len : 0);
          l.x0 = x;
          l.x1 = x + w;
          l.y = y;
          l.size = l.size_min = size;
          l.bold = bold;
          l.italic = italic;
          l.tnr = f && is_tnr(f);
          l.black = black(op->u.glyphs.color);
          l.color = op->u.glyphs.color;
          l.font = f;
          l.span = op->span;
          char *key = g_strdup_printf("%s@%u:%u", role, op->span.src, op->span.start);
          unsigned nth = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key));
          l.nth = nth;
          g_hash_table_replace(seen, key, GUINT_TO_POINTER(nth + 1));
          g_array_append_val(lines, l);
        }
        joinable = true;
        continue;
      }
      joinable = false;
      ck_rect r = {0};
      r.page = (unsigned)p + 1;
      r.role = role;
      if (op->kind == VB_OP_RECT) {
        r.x = op->u.rect.x, r.y = op->u.rect.y, r.w = op->u.rect.w, r.h = op->u.rect.h;
        r.art = !strcmp(role, "art");
        g_array_append_val(rects, r);
      } else if (op->kind == VB_OP_IMAGE) {
        r.x = op->u.image.x, r.y = op->u.image.y, r.w = op->u.image.w, r.h = op->u.image.h;
        g_array_append_val(rects, r);
      } else if (op->kind == VB_OP_PATH || op->kind == VB_OP_GROUP) {
        r.art = true;
        g_array_append_val(rects, r);
      }
    }
    g_hash_table_destroy(seen);
    pg->line1 = lines->len;
    pg->rect1 = rects->len;
  }
  d->nlines = lines->len;
  d->lines = (ck_line *)(void *)g_array_free(lines, FALSE);
  d->nrects = rects->len;
  d->rects = (ck_rect *)(void *)g_array_free(rects, FALSE);
}

static void model_free(ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++)
    g_free(d->lines[i].text);
  g_free(d->lines);
  g_free(d->rects);
  free(d->pages);
}

/* ---- what rules call */
GPtrArray *ck_lines(const ck_doc *d, unsigned page, const char *role) {
  GPtrArray *a = g_ptr_array_new();
  for (size_t i = 0; i < d->nlines; i++)
    if ((!page || d->lines[i].page == page) && !strcmp(d->lines[i].role, role))
      g_ptr_array_add(a, &d->lines[i]);
  return a;
}

const ck_line *ck_line_first(const ck_doc *d, const char *role) {
  for (size_t i = 0; i < d->nlines; i++)
    if (!strcmp(d->lines[i].role, role))
      return &d->lines[i];
  return NULL;
}

const ck_rect *ck_rect_first(const ck_doc *d, const char *role) {
  for (size_t i = 0; i < d->nrects; i++)
    if (!strcmp(d->rects[i].role, role))
      return &d->rects[i];
  return NULL;
}

double ck_line_top(const ck_line *l) {
  double asc = l->font && l->font->read ? l->font->asc : 0.9;
  return l->y - asc * l->size;
}
double ck_line_bottom(const ck_line *l) {
  double desc = l->font && l->font->read ? l->font->desc : -0.22;
  return l->y - desc * l->size;
}

bool ck_is_upper(const char *s) {
  char *u = vb_utf8_upper(s, strlen(s));
  bool same = !strcmp(u, s);
  free(u);
  return same;
}

bool ck_match(const char *re, const char *s) {
  return g_regex_match_simple(re, s, G_REGEX_OPTIMIZE, 0);
}

/* "…"-cut quotation of s (40 characters) into buf */
static void quote_short(char *buf, size_t cap, const char *s) {
  size_t n = 0, chars = 0;
  while (s[n] && chars < 40) {
    n++;
    while ((s[n] & 0xC0) == 0x80)
      n++;
    chars++;
  }
  snprintf(buf, cap, "\"%.*s%s\"", (int)n, s, s[n] ? "…" : "");
}

const char *ck_short(ck_ctx *c, const char *s) {
  quote_short(c->shortbuf, sizeof c->shortbuf, s);
  return c->shortbuf;
}

const char *ck_range(ck_ctx *c, double lo, double hi, int decimals) {
  char *b = c->nums[c->inum++ % 8];
  size_t n = vb_fmt_num(b, lo, decimals);
  if (hi != lo) {
    b[n++] = '-';
    n += vb_fmt_num(b + n, hi, decimals);
  }
  b[n] = 0;
  return b;
}

const char *ck_num(ck_ctx *c, double v, int decimals) {
  char *b = c->nums[c->inum++ % 8];
  size_t n = vb_fmt_num(b, v, decimals);
  b[n] = 0;
  return b;
}

GHashTable *ck_state(ck_ctx *c) { return c->ck->state; }

static void fail_v(ck_ctx *c, const ck_doc *d, unsigned page, const char *element,
                   const char *fmt, va_list ap) {
  vb_rule_result *r = c->res;
  if (r->failures++)
    return;
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_strbuf_puts(&sb, d->label ? d->label : "document");
  if (page)
    vb_strbuf_printf(&sb, " page %u", page);
  if (element)
    vb_strbuf_printf(&sb, ", %s", element);
  vb_strbuf_puts(&sb, ": ");
  vb_strbuf_vprintf(&sb, fmt, ap);
  r->where = vb_strbuf_detach(&sb);
}

void ck_fail_at(ck_ctx *c, const ck_doc *d, unsigned page, const char *element,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fail_v(c, d, page, element, fmt, ap);
  va_end(ap);
}

void ck_fail(ck_ctx *c, const ck_doc *d, unsigned page, const ck_line *element,
             const char *fmt, ...) {
  char *el = NULL;
  if (element) {
    /* not the context's buffer: an argument may be a ck_short of another line */
    char t[256];
    quote_short(t, sizeof t, element->text);
    el = g_strdup_printf("%s %s", *element->role ? element->role : "text", t);
  }
  va_list ap;
  va_start(ap, fmt);
  fail_v(c, d, page, el, fmt, ap);
  va_end(ap);
  g_free(el);
}

/* ---- checker */
vb_checker *vb_checker_new(const char *ruleset, const vb_resources *res) {
  const ck_ruleset *s = find_set(ruleset);
  if (!s)
    return NULL;
  vb_checker *ck = vb_xcalloc(1, sizeof *ck);
  ck->set = s;
  ck->res = res;
  ck->results = vb_xcalloc(s->n, sizeof *ck->results);
  for (size_t i = 0; i < s->n; i++)
    ck->results[i].rule = &s->rules[i].info;
  ck->state = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return ck;
}

void vb_checker_free(vb_checker *ck) {
  if (!ck)
    return;
  for (size_t i = 0; i < ck->set->n; i++)
    free((char *)ck->results[i].where);
  free(ck->results);
  for (size_t i = 0; i < ck->nfonts; i++)
    free(ck->fonts[i]);
  free(ck->fonts);
  g_hash_table_destroy(ck->state);
  free(ck);
}

void vb_checker_add(vb_checker *ck, vb_dlist *const *pages, size_t npages, const char *label) {
  ck_doc d = {0};
  d.label = label;
  model_build(ck, &d, pages, npages);
  ck_ctx c = {0};
  c.ck = ck;
  for (size_t i = 0; i < ck->set->n; i++) {
    c.res = &ck->results[i];
    ck->set->rules[i].fn(&c, &d);
  }
  model_free(&d);
  ck->docs++;
  ck->pages += (unsigned)npages;
}

unsigned vb_checker_documents(const vb_checker *ck) { return ck->docs; }
unsigned vb_checker_pages(const vb_checker *ck) { return ck->pages; }
size_t vb_checker_count(const vb_checker *ck) { return ck->set->n; }
const vb_rule_result *vb_checker_result(const vb_checker *ck, size_t i) {
  return &ck->results[i];
}
size_t vb_checker_failed(const vb_checker *ck) {
  size_t n = 0;
  for (size_t i = 0; i < ck->set->n; i++)
    n += ck->results[i].failures > 0;
  return n;
}
