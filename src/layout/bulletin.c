/* bulletin.c - vanban layout stage: a monthly bulletin (bản tin) as printed
 * pages. Page 1 carries the masthead (the layout's `body`, Luật Báo chí 2016
 * Điều 34) and a "Trong số này" contents box; articles follow in columns. Each
 * article is a band: its headline across the columns, then its text filling
 * the columns below; the band is balanced (columns end level) where the
 * article ends, and when the page ends first the article goes on at the top
 * of the next page with jump lines. Photos sit in a column (or across all of
 * them) with their caption; one that does not fit the rest of a column waits
 * for the next column while text fills the gap. The licence block is set at
 * the foot of the last page. */
#include "bulletin-private.h"

#include <math.h>
#include <string.h>

#define MM (72.0f / 25.4f)
#define SLACK 0.5f    /* pt of rounding allowed at a column's foot */
#define MAX_DEFER 8   /* photos waiting for a later column */
#define HEAD_GAP (2.5f * MM)
#define PHOTO_GAP (2.5f * MM)
#define CAP_GAP (1.2f * MM)
#define FEATHER 3.0f   /* pt added at most to a break between blocks to end a column level */
#define SHRINK_MIN 0.6f /* a photo drawn at 60% of its size at least to end columns level */

typedef enum { K_TEXT, K_PHOTO } bkind;

typedef struct blk {
  bkind kind;
  const vb_para *para; /* K_TEXT */
  const vb_style *st;
  const char *role;
  vb_span span;
  float before, after;
  bool keep;       /* stays with the start of the next block */
  bool splittable; /* may split between lines (4 lines or more) */
  /* K_PHOTO */
  bool wide, demoted; /* across every column; demoted: set in a column after all */
  uint32_t image;
  float pw, ph, ww, wh;         /* drawn size in a column / across */
  const vb_para *cap, *wcap;    /* caption at column / full width; may be NULL */
  const char *cap_text;
  const vb_para *scap;          /* caption at the width of a shrunk photo */
  float scap_w;
  vb_span cap_span;
} blk;

typedef struct art {
  vb_article a;
  GArray *blks;       /* blk */
  const vb_para *head;
  unsigned page;      /* 1-based page of the headline */
  float y;            /* its top on that page */
} art;

typedef struct fst {
  size_t i, line;
  size_t ndef;
  size_t def[MAX_DEFER];
} fst;

typedef struct place {
  size_t blk, l0, l1;
  int col;
  float y;     /* from the band's top */
  float scale; /* a photo drawn smaller than the column width */
} place;

typedef struct bctx {
  vb_layout *l;
  const vb_bulletin_spec *bs;
  vb_typesetter *ts;
  const vb_bulletin_issue *is;
  vb_diag *diag;
  vb_arena *arena;
  int errors;
  float pw, ph;             /* page */
  float x0, fw;             /* frame left and width */
  float top, bottom;        /* region of the columns on the current page */
  float region_h;           /* a whole page's region height (pages after the first) */
  float cw;                 /* column width */
  int ncols;
  float jump_h, footer_h;
  GPtrArray *pages;         /* vb_dlist* */
  vb_dlist *page;
  float y;                  /* next free y on the page, from `top` */
  GHashTable *images;       /* resolved path → id + 1 */
  char *footer_text;
  float line_tol;           /* a body line: how far the columns of a band may end apart */
  bool shrink;              /* balancing: a photo may be drawn down to SHRINK_MIN */
  bool balancing;           /* trying band heights: no paragraph split against the rules */
  float colh[3];            /* heights of the columns of the last run_band */
} bctx;

static void berror(bctx *c, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
static void berror(bctx *c, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_diag_verror(c->diag, span, fmt, ap);
  va_end(ap);
  c->errors++;
}

static const char *text_of(const vb_value *v) {
  if (!v || v->kind != VB_VALUE_STRING) return NULL;
  for (const char *p = v->str; *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return v->str;
  return NULL;
}

static const char *event_id(const vb_value *ev) {
  const char *id = text_of(vb_value_get(ev, "id"));
  return id ? id : "?";
}

/* Shapes text and reports what cannot be set (a missing glyph, a word wider
 * than the column). */
static const vb_para *shape(bctx *c, const vb_style *st, const char *text, float width,
                            vb_span span) {
  const vb_para *p = vb_para_shape(c->ts, st, text, strlen(text), width);
  size_t off = 0;
  uint32_t cp = vb_para_missing(p, &off);
  if (cp) {
    char ch[8] = {0};
    vb_utf8_put(cp, ch);
    berror(c, span, "character '%s' (U+%04X) is not in any bundled font", ch, cp);
  } else if (width > 0 && vb_para_overflow(p)) {
    berror(c, span, "a word of '%.40s…' is too long for a column %.0f mm wide", text,
           width / MM);
  }
  return p;
}

static float line_h(const vb_para *p, size_t l0, size_t l1) {
  return vb_para_line_bottom(p, l1 - 1) - vb_para_line_top(p, l0);
}

/* The caption of a photo drawn at `scale` of its width: shaped at that width. */
static const vb_para *photo_cap(bctx *c, blk *b, bool wide, float scale) {
  const vb_para *cap = wide ? b->wcap : b->cap;
  if (!cap || scale >= 1) return cap;
  float w = (wide ? b->ww : b->pw) * scale;
  if (!b->scap || fabsf(b->scap_w - w) > 0.01f) {
    b->scap = vb_para_shape(c->ts, b->st, b->cap_text, strlen(b->cap_text), w);
    b->scap_w = w;
  }
  return b->scap;
}

static float photo_need_at(bctx *c, blk *b, bool wide, float scale) {
  const vb_para *cap = photo_cap(c, b, wide, scale);
  return (wide ? b->wh : b->ph) * scale + (cap ? CAP_GAP + vb_para_height(cap) : 0);
}

static float photo_need(const blk *b, bool wide) {
  const vb_para *cap = wide ? b->wcap : b->cap;
  return (wide ? b->wh : b->ph) + (cap ? CAP_GAP + vb_para_height(cap) : 0);
}

/* Balancing: the largest scale (SHRINK_MIN..1) at which a column photo takes at
 * most `room` pt; 0 when none does. */
static float shrink_to(bctx *c, blk *b, float room) {
  if (!c->shrink || b->ph <= 0) return 0;
  const vb_para *cap = b->cap;
  float s0 = (room - (cap ? CAP_GAP + vb_para_height(cap) : 0)) / b->ph;
  if (s0 >= 1) s0 = 0.999f;
  for (int k = 0; k < 100; k++) {
    float s = s0 - 0.01f * (float)k;
    if (s < SHRINK_MIN) break;
    if (photo_need_at(c, b, false, s) <= room) return s;
  }
  return 0;
}

/* Height the start of a block needs at the top of what remains: two lines of
 * a paragraph that may split, else all of it. */
static float min_start(const blk *b) {
  if (b->kind == K_PHOTO) return photo_need(b, b->wide && !b->demoted);
  size_t n = vb_para_nlines(b->para);
  if (b->splittable && n >= 4) return line_h(b->para, 0, 2);
  return vb_para_height(b->para);
}

static bool is_wide(const blk *b) { return b->kind == K_PHOTO && b->wide && !b->demoted; }

static void put_place(GArray *pl, size_t bi, size_t l0, size_t l1, int col, float y,
                      float scale) {
  if (!pl) return;
  place p = {bi, l0, l1, col, y, scale};
  g_array_append_val(pl, p);
}

/* Fills one column of height H from state s; returns the height used. Stops
 * before a wide photo (the band ends there). */
static float fill_column(bctx *c, art *A, fst *s, float H, int col, GArray *pl) {
  blk *bl = (blk *)A->blks->data;
  size_t n = A->blks->len;
  float y = 0;
  /* photos that waited for this column */
  for (size_t k = 0; k < s->ndef;) {
    blk *b = &bl[s->def[k]];
    float gap = y > 0 ? PHOTO_GAP : 0;
    float need = gap + photo_need(b, false), scale = 1;
    if (y + need > H + SLACK) {
      scale = shrink_to(c, b, H + SLACK - y - gap);
      if (scale <= 0) break;
      need = gap + photo_need_at(c, b, false, scale);
    }
    put_place(pl, s->def[k], 0, 0, col, y + gap, scale);
    y += need;
    memmove(&s->def[k], &s->def[k + 1], (s->ndef - k - 1) * sizeof s->def[0]);
    s->ndef--;
  }
  while (s->i < n) {
    blk *b = &bl[s->i];
    if (is_wide(b)) return y;
    if (b->kind == K_PHOTO) {
      float gap = y > 0 ? PHOTO_GAP : 0;
      float need = gap + photo_need(b, false);
      float scale = y + need <= H + SLACK ? 1 : shrink_to(c, b, H + SLACK - y - gap);
      if (scale > 0 && s->ndef == 0) {
        put_place(pl, s->i, 0, 0, col, y + gap, scale);
        y += scale < 1 ? gap + photo_need_at(c, b, false, scale) : need;
        s->i++;
        continue;
      }
      /* wait for the next column; the text after it fills this one */
      if (s->ndef < MAX_DEFER) {
        s->def[s->ndef++] = s->i++;
        continue;
      }
      return y;
    }
    const vb_para *p = b->para;
    size_t L = vb_para_nlines(p);
    float before = (s->line == 0 && y > 0) ? b->before : 0;
    float base = vb_para_line_top(p, s->line);
    size_t fit = s->line;
    while (fit < L && y + before + (vb_para_line_bottom(p, fit) - base) <= H + SLACK) fit++;
    size_t rem = L - s->line, k = fit - s->line;
    if (k >= rem) {
      float used = before + (vb_para_line_bottom(p, L - 1) - base);
      if (b->keep && col == c->ncols - 1 && s->line == 0 && y > 0 && s->i + 1 < n &&
          y + used + b->after + bl[s->i + 1].before + min_start(&bl[s->i + 1]) > H + SLACK) {
        /* keep with the next block: its last two lines go to the next column with it */
        if (!b->splittable || rem < 4) return y;
        k = rem - 2;
        goto split;
      }
      put_place(pl, s->i, s->line, L, col, y + before, 1);
      y += used + b->after;
      s->i++;
      s->line = 0;
      continue;
    }
    /* split between lines: two at least on each side (no widow, no orphan) */
    if (b->splittable && L >= 4) {
      if (rem - k < 2) k = rem >= 2 ? rem - 2 : 0;
      if (k < 2) k = 0; /* nor a line alone in a column */
    } else
      k = 0;
    /* a column too short for the rules: at the top of a column half a page tall at
     * least (not a height tried while balancing, nor the foot of a page) */
    if (k == 0 && y == 0 && fit > s->line && !c->balancing && H >= c->region_h / 2)
      k = fit - s->line;
    if (k == 0) return y;
  split:
    put_place(pl, s->i, s->line, s->line + k, col, y + before, 1);
    y += before + line_h(p, s->line, s->line + k);
    s->line += k;
    return y;
  }
  return y;
}

static size_t next_wide(const art *A, size_t from) {
  const blk *bl = (const blk *)A->blks->data;
  for (size_t i = from; i < A->blks->len; i++)
    if (is_wide(&bl[i])) return i;
  return A->blks->len;
}

static bool reached(const fst *s, size_t target) {
  return s->i >= target && s->ndef == 0 && s->line == 0;
}

/* Runs the columns of a band of height H; the last column keeps `reserve` pt
 * free (for a jump line). Returns the tallest column. */
static float run_band(bctx *c, art *A, fst *s, float H, float reserve, GArray *pl) {
  size_t target = next_wide(A, s->i);
  float maxh = 0;
  memset(c->colh, 0, sizeof c->colh);
  for (int col = 0; col < c->ncols; col++) {
    float h = fill_column(c, A, s, col == c->ncols - 1 ? H - reserve : H, col, pl);
    c->colh[col] = h;
    if (h > maxh) maxh = h;
    if (reached(s, target)) break;
  }
  return maxh;
}

/* How far apart the columns of the last run_band end (an unused column ends at 0). */
static float spread(const bctx *c) {
  float lo = c->colh[0], hi = c->colh[0];
  for (int k = 1; k < c->ncols; k++) {
    if (c->colh[k] < lo) lo = c->colh[k];
    if (c->colh[k] > hi) hi = c->colh[k];
  }
  return hi - lo;
}

/* The height of the band that ends the article (or comes before a photo across
 * the columns): the lowest at which everything fits; when its columns end more
 * than a line apart (a photo taller than the text beside it, a paragraph that
 * may not split), the lowest taller one whose columns end level, else the one
 * closest to level; then the same with photos drawn smaller (down to
 * SHRINK_MIN, the least that ends them level), kept when that ends the columns
 * more level. Sets c->shrink. */
static float balance(bctx *c, art *A, const fst *s, size_t target, float H) {
  float best_h = H, best_sp = INFINITY;
  bool best_shrink = false;
  c->balancing = true;
  for (int mode = 0; mode < 2 && best_sp > c->line_tol; mode++) {
    c->shrink = mode == 1;
    float lo = 0, hi = H;
    for (int it = 0; it < 18 && hi - lo > 0.25f; it++) {
      float mid = (lo + hi) / 2;
      fst u = *s;
      run_band(c, A, &u, mid, 0, NULL);
      if (reached(&u, target)) hi = mid;
      else lo = mid;
    }
    /* level first; shrunk photos: from the top down, so as little as will do */
    for (int k = 0; hi + (float)k <= H + 0.01f; k++) {
      float h = mode == 0 ? hi + (float)k : H - (float)k;
      fst u = *s;
      run_band(c, A, &u, h, 0, NULL);
      if (!reached(&u, target)) continue;
      float sp = spread(c);
      if (sp < best_sp - 1) best_h = h, best_sp = sp, best_shrink = c->shrink;
      if (sp <= c->line_tol) break;
    }
  }
  c->shrink = best_shrink;
  if (best_sp == INFINITY) c->balancing = false; /* only the rules' escape holds it all */
  return best_h;
}

static float col_x(const bctx *c, int col) { return c->x0 + (float)col * (c->cw + (float)c->bs->gutter); }

static void emit_photo(bctx *c, blk *b, bool wide, float x, float y, float w, float scale) {
  float dw = (wide ? b->ww : b->pw) * scale, dh = (wide ? b->wh : b->ph) * scale;
  float ix = x + (w - dw) / 2;
  vb_dlist_add_image(c->page, "photo", b->span, b->image, ix, y, dw, dh);
  const vb_para *cap = photo_cap(c, b, wide, scale);
  if (cap)
    vb_para_emit(c->page, cap, 0, vb_para_nlines(cap), scale < 1 ? ix : x, y + dh + CAP_GAP,
                 "caption", b->cap_span, b->st->color);
}

/* Draws a band's placements at `top` (page coordinates) with gutter rules. A
 * column that ends above the band's foot (h, less `reserve` in the last column)
 * has the gap spread over its breaks between blocks, FEATHER pt a break at most
 * (vertical justification: columns end level though lines move by whole lines
 * only). Uses c->colh of the run_band that made `pl`. */
static void emit_band(bctx *c, art *A, const GArray *pl, float top, float h, float reserve) {
  const blk *bl = (const blk *)A->blks->data;
  bool used[3] = {false, false, false};
  int breaks[3] = {0, 0, 0};
  for (guint i = 0; i < pl->len; i++) {
    const place *p = &g_array_index(pl, place, i);
    if (used[p->col]) breaks[p->col]++;
    used[p->col] = true;
  }
  float extra[3] = {0, 0, 0};
  for (int k = 0; k < c->ncols && k < 3; k++) {
    float gap = h - (k == c->ncols - 1 ? reserve : 0) - c->colh[k];
    if (breaks[k] > 0 && gap > 1) extra[k] = fminf(gap / (float)breaks[k], FEATHER);
  }
  int seen[3] = {0, 0, 0};
  for (guint i = 0; i < pl->len; i++) {
    const place *p = &g_array_index(pl, place, i);
    const blk *b = &bl[p->blk];
    float x = col_x(c, p->col);
    float y = top + p->y + extra[p->col] * (float)seen[p->col]++;
    if (b->kind == K_PHOTO)
      emit_photo(c, (blk *)&bl[p->blk], false, x, y, c->cw, p->scale);
    else
      vb_para_emit(c->page, b->para, p->l0, p->l1, x, y, b->role, b->span, b->st->color);
  }
  if (c->bs->rule > 0)
    for (int k = 1; k < c->ncols && k < 3; k++)
      if (used[k])
        vb_dlist_add_rect(c->page, "gutter-rule", vb_span_none(),
                          col_x(c, k) - (float)c->bs->gutter / 2 - (float)c->bs->rule / 2, top,
                          (float)c->bs->rule, h, (vb_color){0.45f, 0.45f, 0.45f, 1},
                          (vb_color){0, 0, 0, 0}, 0);
}

static void new_page(bctx *c) {
  if (c->page) g_ptr_array_add(c->pages, c->page);
  c->page = vb_dlist_new(c->pw, c->ph);
  c->top = (float)c->l->next_y;
  c->bottom = (float)(c->l->next_y + c->l->next_h) - c->footer_h;
  c->y = 0;
}

static unsigned page_no(const bctx *c) { return c->pages->len + 1; }

/* "(xem tiếp trang N)" (forward) or "(tiếp theo trang N)". */
static void jump_line(bctx *c, bool forward, unsigned page, float x, float y, float w,
                      vb_align align, vb_span span) {
  char buf[64];
  snprintf(buf, sizeof buf, forward ? "(xem tiếp trang %u)" : "(tiếp theo trang %u)", page);
  vb_style st = *c->bs->jump;
  st.align = align;
  const vb_para *p = shape(c, &st, buf, w, span);
  vb_para_emit(c->page, p, 0, vb_para_nlines(p), x, y, "jump", span, st.color);
}

/* An article that would start low on a page and go on to the next: true when it
 * should start on the next page instead, because it would set less than three
 * lines a column here, or jump to set less than three lines a column there, and
 * it is short enough to be read whole on one page. Only its first band counts
 * (the text before a photo across the columns). */
static bool short_jump(bctx *c, art *A, float H) {
  size_t n = A->blks->len, target = next_wide(A, 0);
  if (n == 0 || target < n || H <= 0) return false;
  float few = 3 * (c->line_tol - 1);
  fst t;
  memset(&t, 0, sizeof t);
  float here = run_band(c, A, &t, H, c->jump_h, NULL);
  if (reached(&t, n)) return false; /* it ends on this page */
  bool tiny_here = here < few + SLACK;
  fst r = t;
  run_band(c, A, &r, few, 0, NULL);
  bool tiny_there = reached(&r, n);
  if (!tiny_here && !tiny_there) return false;
  fst w;
  memset(&w, 0, sizeof w);
  run_band(c, A, &w, c->region_h - c->jump_h, 0, NULL);
  return reached(&w, n);
}

/* Lays out one article from the current y. */
static void flow_article(bctx *c, art *A) {
  blk *bl = (blk *)A->blks->data;
  size_t n = A->blks->len;
  float head_h = vb_para_height(A->head);
  float first = n ? min_start(&bl[0]) : 0;
  if (c->y > 0 && (c->top + c->y + head_h + HEAD_GAP + first > c->bottom + SLACK ||
                   short_jump(c, A, c->bottom - (c->top + c->y + head_h + HEAD_GAP))))
    new_page(c);
  A->page = page_no(c);
  A->y = c->top + c->y;
  vb_para_emit(c->page, A->head, 0, vb_para_nlines(A->head), c->x0, A->y, "headline",
               A->a.head_span, c->bs->headline->color);
  vb_dlist_add_outline(c->page, "outline", A->a.head_span, 1, A->a.headline, A->y);
  c->y += head_h + HEAD_GAP;
  fst s;
  memset(&s, 0, sizeof s);
  GArray *pl = g_array_new(FALSE, FALSE, sizeof(place));
  int guard = 0;
  while (!reached(&s, n) && guard++ < 10000) {
    size_t target = next_wide(A, s.i);
    if (s.i == target && s.ndef == 0 && s.line == 0 && target < n) {
      blk *b = &bl[target];
      float need = photo_need(b, true);
      if (c->top + c->y + need <= c->bottom + SLACK || c->y == 0) {
        emit_photo(c, b, true, c->x0, c->top + c->y, c->fw, 1);
        c->y += need + PHOTO_GAP;
        s.i++;
      } else
        b->demoted = true; /* set in a column: text fills the rest of this page */
      continue;
    }
    float H = c->bottom - (c->top + c->y);
    fst t = s;
    run_band(c, A, &t, H, 0, NULL);
    if (reached(&t, target)) {
      float hi = balance(c, A, &s, target, H);
      g_array_set_size(pl, 0);
      float used = run_band(c, A, &s, hi, 0, pl);
      c->shrink = c->balancing = false;
      emit_band(c, A, pl, c->top + c->y, used, 0);
      c->y += used + (target < n ? PHOTO_GAP : 0);
      continue;
    }
    /* the page ends first: fill it, say where the article goes on */
    g_array_set_size(pl, 0);
    fst before = s;
    run_band(c, A, &s, H, c->jump_h, pl);
    bool moved = s.i != before.i || s.line != before.line || s.ndef != before.ndef;
    unsigned here = page_no(c);
    if (moved) {
      emit_band(c, A, pl, c->top + c->y, H, c->jump_h);
      jump_line(c, true, here + 1, col_x(c, c->ncols - 1),
                c->top + c->y + H - c->jump_h + 1, c->cw, VB_ALIGN_RIGHT, A->a.head_span);
    } else if (c->y > 0) {
      jump_line(c, true, here + 1, c->x0, c->top + c->y, c->fw,
                VB_ALIGN_RIGHT, A->a.head_span);
    }
    new_page(c);
    jump_line(c, false, here, c->x0, c->top, c->fw, VB_ALIGN_LEFT,
              A->a.head_span);
    c->y = c->jump_h;
  }
  g_array_free(pl, TRUE);
  c->y += (float)c->bs->band_gap;
}

/* ---- building the blocks of an article */
static bool wide_value(bctx *c, const vb_value *ph, const char *id, size_t idx) {
  const vb_value *w = vb_value_get(ph, "wide");
  if (!text_of(w)) return c->bs->photo_wide;
  char *f = g_utf8_strdown(w->str, -1);
  g_strstrip(f);
  bool yes = !strcmp(f, "true") || !strcmp(f, "yes") || !strcmp(f, "có");
  bool no = !strcmp(f, "false") || !strcmp(f, "no") || !strcmp(f, "không");
  g_free(f);
  if (!yes && !no)
    berror(c, w->span,
           "event '%s', field 'photos[%zu].wide': '%s' is not yes or no (true/false, có/không)",
           id, idx, w->str);
  return yes;
}

/* Resolves, checks and registers a photo; -1 after reporting. */
static int64_t photo_image(bctx *c, const vb_bulletin_event *be, const vb_value *ph,
                           size_t idx, double *iw, double *ih) {
  const vb_value *fv = vb_value_get(ph, "file");
  const char *id = event_id(be->event);
  if (!text_of(fv)) return -1; /* the records stage reported it */
  vb_strbuf why = VB_STRBUF_INIT;
  char *path = vb_image_resolve(be->dir, fv->str, c->is->allow_outside, &why);
  if (!path) {
    berror(c, fv->span, "event '%s', field 'photos[%zu].file': cannot use '%s': %s", id, idx,
           fv->str, vb_strbuf_cstr(&why));
    vb_strbuf_free(&why);
    return -1;
  }
  gpointer known = g_hash_table_lookup(c->images, path);
  vb_image_kind kind;
  if (vb_image_check(path, c->is->limits, &kind, iw, ih, c->diag, fv->span) != 0) {
    vb_diag_note(c->diag, fv->span, "in field 'photos[%zu].file' of event '%s'", idx, id);
    c->errors++;
    vb_strbuf_free(&why);
    free(path);
    return -1;
  }
  vb_strbuf_free(&why);
  uint32_t iid;
  if (known)
    iid = (uint32_t)GPOINTER_TO_UINT(known) - 1;
  else {
    iid = vb_resources_add_image(vb_typesetter_resources(c->ts), path, kind, *iw, *ih);
    g_hash_table_insert(c->images, vb_xstrdup(path), GUINT_TO_POINTER(iid + 1));
  }
  free(path);
  return iid;
}

static void add_text_blk(bctx *c, art *A, const vb_style *st, const char *role, const char *text,
                         vb_span span, bool keep) {
  blk b;
  memset(&b, 0, sizeof b);
  b.kind = K_TEXT;
  b.st = st;
  b.role = role;
  b.span = span;
  b.para = shape(c, st, text, c->cw, span);
  b.before = (float)st->space_before;
  b.after = (float)st->space_after;
  b.keep = keep || st->keep;
  b.splittable = vb_para_nlines(b.para) >= 4;
  g_array_append_val(A->blks, b);
}

static void add_photo_blk(bctx *c, art *A, const vb_bulletin_event *be, const vb_part *pt) {
  double iw = 0, ih = 0;
  int64_t id = photo_image(c, be, pt->photo, pt->photo_index, &iw, &ih);
  bool wide = wide_value(c, pt->photo, event_id(be->event), pt->photo_index);
  if (id < 0 || iw <= 0 || ih <= 0) return;
  blk b;
  memset(&b, 0, sizeof b);
  b.kind = K_PHOTO;
  b.st = c->bs->caption;
  b.role = "photo";
  b.span = vb_value_get(pt->photo, "file") ? vb_value_get(pt->photo, "file")->span : pt->span;
  b.image = (uint32_t)id;
  b.wide = wide && c->ncols > 1;
  float maxh = (float)c->bs->photo_max * c->region_h;
  b.pw = c->cw;
  b.ph = (float)(c->cw * ih / iw);
  if (b.ph > maxh) b.ph = maxh, b.pw = (float)(maxh * iw / ih);
  b.ww = c->fw;
  b.wh = (float)(c->fw * ih / iw);
  if (b.wh > maxh) b.wh = maxh, b.ww = (float)(maxh * iw / ih);
  if (pt->text) {
    const vb_value *cv = vb_value_get(pt->photo, "caption");
    b.cap_span = cv ? cv->span : pt->span;
    b.cap = shape(c, c->bs->caption, pt->text, c->cw, b.cap_span);
    b.cap_text = pt->text;
    if (b.wide) b.wcap = shape(c, c->bs->caption, pt->text, c->fw, b.cap_span);
  }
  g_array_append_val(A->blks, b);
}

static void build_article(bctx *c, art *A, const vb_bulletin_event *be) {
  const vb_bulletin_spec *bs = c->bs;
  A->head = shape(c, bs->headline, A->a.headline, c->fw, A->a.head_span);
  GArray *parts = A->a.parts, *photos = A->a.photos;
  size_t nlead = 0, nbody = 0;
  for (guint i = 0; i < parts->len; i++)
    if (g_array_index(parts, vb_part, i).kind == VB_PART_LEAD) nlead++;
    else nbody++;
  /* photo 1 after the lead, the others spread over the body */
  size_t m = photos->len, next_photo = 0, body_seen = 0;
  for (guint i = 0; i <= parts->len; i++) {
    bool after_keep = i > 0 && g_array_index(parts, vb_part, i - 1).keep;
    bool lead_done = i >= nlead;
    while (next_photo < m && lead_done && !after_keep &&
           (next_photo == 0 || body_seen * m >= next_photo * (nbody ? nbody : 1) ||
            i == parts->len)) {
      add_photo_blk(c, A, be, &g_array_index(photos, vb_part, next_photo));
      next_photo++;
    }
    if (i == parts->len) break;
    const vb_part *pt = &g_array_index(parts, vb_part, i);
    const vb_style *st = pt->kind == VB_PART_LEAD ? bs->lead
                         : pt->kind == VB_PART_LIST ? bs->list
                                                    : bs->body;
    add_text_blk(c, A, st, pt->kind == VB_PART_LEAD ? "lead" : pt->kind == VB_PART_LIST ? "list" : "body",
                 pt->text, pt->span, pt->keep);
    if (pt->kind != VB_PART_LEAD) body_seen++;
  }
  if (A->a.byline)
    add_text_blk(c, A, bs->byline, "byline", A->a.byline, A->a.byline_span, false);
}

/* ---- page 1, footers, licence */
static const char *const licence_fields[] = {"licence.number", "licence.date", "licence.issuer",
                                             "printer", "print_run", "frequency",
                                             "responsible", NULL};

static int check_bulletin(bctx *c, const vb_value *b) {
  const vb_value *org = c->is->org;
  const vb_value *bk = vb_value_get(org, "bulletin");
  vb_span where = bk && vb_span_is_set(bk->key_span) ? bk->key_span : org->key_span;
  if (!b || b->kind != VB_VALUE_MAP) {
    berror(c, where, "organization has no 'bulletin' (name, publisher, licence, printer, "
                     "print_run, frequency, responsible)");
    return -1;
  }
  int bad = 0;
  if (!text_of(vb_value_get(b, "name"))) {
    berror(c, where, "missing field 'name' in organization.bulletin (the masthead shows it)");
    bad++;
  }
  for (const char *const *f = licence_fields; *f; f++)
    if (!text_of(vb_value_lookup(b, *f))) {
      berror(c, where,
             "missing field '%s' in organization.bulletin: the licence block at the foot of "
             "the last page must show it (Luật Báo chí 2016, Điều 34)",
             *f);
      bad++;
    }
  return bad ? -1 : 0;
}

static char *dmy(const char *iso) {
  vb_date d;
  if (!iso || vb_date_parse(iso, &d) != 0) return g_strdup(iso ? iso : "");
  return g_strdup_printf("%02d/%02d/%04d", d.day, d.month, d.year);
}

static const vb_para *licence_para(bctx *c, const vb_value *b, vb_span span) {
  char *date = dmy(text_of(vb_value_lookup(b, "licence.date")));
  char *text = g_strdup_printf(
      "Giấy phép xuất bản số %s ngày %s của %s.\nChịu trách nhiệm xuất bản: %s.\nIn tại %s. "
      "Số lượng: %s. Kỳ hạn xuất bản: %s.",
      text_of(vb_value_lookup(b, "licence.number")), date,
      text_of(vb_value_lookup(b, "licence.issuer")), text_of(vb_value_get(b, "responsible")),
      text_of(vb_value_get(b, "printer")), text_of(vb_value_get(b, "print_run")),
      text_of(vb_value_get(b, "frequency")));
  const vb_para *p = shape(c, c->bs->licence, text, c->fw, span);
  g_free(text);
  g_free(date);
  return p;
}

static void footer(bctx *c, vb_dlist *dl, unsigned page) {
  float y = (float)(c->l->next_y + c->l->next_h) - c->footer_h;
  const vb_style *st = c->bs->footer;
  vb_dlist_add_rect(dl, "footer-rule", vb_span_none(), c->x0, y + 2, c->fw, 0.5f, st->color,
                    (vb_color){0, 0, 0, 0}, 0);
  vb_style left = *st;
  left.align = VB_ALIGN_LEFT;
  const vb_para *p = shape(c, &left, c->footer_text, c->fw, vb_span_none());
  vb_para_emit(dl, p, 0, vb_para_nlines(p), c->x0, y + 4, "footer", vb_span_none(), st->color);
  char num[16];
  snprintf(num, sizeof num, "%u", page);
  vb_style right = *st;
  right.align = VB_ALIGN_RIGHT;
  p = shape(c, &right, num, c->fw, vb_span_none());
  vb_para_emit(dl, p, 0, vb_para_nlines(p), c->x0, y + 4, "footer.page", vb_span_none(),
               st->color);
}

typedef struct centry {
  const vb_para *p;
  float x, y, w, h;
} centry;

/* The contents box: its height now, its entries filled in after the flow. */
static float contents_layout(bctx *c, art *arts, size_t n, float top, centry *ents) {
  const vb_bulletin_spec *bs = c->bs;
  float pad = 2.5f * MM, numw = 8 * MM, gap = 4 * MM;
  int cols = n > 3 ? c->ncols : 1;
  float inner = c->fw - 2 * pad;
  float colw = (inner - (float)(cols - 1) * gap) / (float)cols;
  const vb_para *title = shape(c, bs->contents_title, "TRONG SỐ NÀY", inner, vb_span_none());
  float ty = top + pad;
  float y0 = ty + vb_para_height(title) + 1.5f * MM;
  size_t per = (n + (size_t)cols - 1) / (size_t)cols;
  float maxh = 0;
  for (int k = 0; k < cols; k++) {
    float y = y0;
    for (size_t i = (size_t)k * per; i < n && i < (size_t)(k + 1) * per; i++) {
      const vb_para *p = shape(c, bs->contents_entry, arts[i].a.headline, colw - numw,
                               arts[i].a.head_span);
      if (i > (size_t)k * per) y += (float)bs->contents_entry->space_before;
      ents[i] = (centry){p, c->x0 + pad + (float)k * (colw + gap), y, colw, vb_para_height(p)};
      y += vb_para_height(p);
    }
    if (y - y0 > maxh) maxh = y - y0;
  }
  float h = (y0 - top) + maxh + pad;
  vb_dlist_add_rect(c->page, "contents.box", vb_span_none(), c->x0, top, c->fw, h,
                    (vb_color){0.95f, 0.95f, 0.93f, 1}, (vb_color){0.35f, 0.35f, 0.35f, 1},
                    0.6f);
  vb_para_emit(c->page, title, 0, vb_para_nlines(title), c->x0 + pad, ty, "contents.title",
               vb_span_none(), bs->contents_title->color);
  return h;
}

static void contents_fill(bctx *c, vb_dlist *p1, art *arts, size_t n, const centry *ents) {
  const vb_style *st = c->bs->contents_entry;
  for (size_t i = 0; i < n; i++) {
    const centry *e = &ents[i];
    vb_para_emit(p1, e->p, 0, vb_para_nlines(e->p), e->x, e->y, "contents.entry",
                 arts[i].a.head_span, st->color);
    char num[16];
    snprintf(num, sizeof num, "%u", arts[i].page);
    vb_style right = *st;
    right.align = VB_ALIGN_RIGHT;
    const vb_para *np = shape(c, &right, num, e->w, vb_span_none());
    /* the number on the entry's last line */
    float ly = e->y + vb_para_line_top(e->p, vb_para_nlines(e->p) - 1);
    vb_para_emit(p1, np, 0, 1, e->x, ly, "contents.page", arts[i].a.head_span, st->color);
    vb_dlist_add_goto(p1, "contents.link", arts[i].a.head_span, e->x, e->y, e->w, e->h,
                      arts[i].page, arts[i].y);
  }
}

/* The values the masthead (the layout's body) can use: issue.* */
static void masthead_scope(bctx *c, vb_tree *t, vb_scope *s) {
  memset(s, 0, sizeof *s);
  s->roots[0].name = "org";
  s->roots[0].value = c->is->org;
  s->nroots = 1;
  vb_value *m = vb_value_new(t, VB_VALUE_MAP, vb_span_none());
  char buf[64];
  const struct {
    const char *key;
    unsigned v;
  } nums[] = {{"issue.number", c->is->number},
              {"issue.month", c->is->month},
              {"issue.year", c->is->year}};
  for (size_t i = 0; i < 3; i++) {
    snprintf(buf, sizeof buf, "%02u", nums[i].v);
    vb_value_set(t, m, nums[i].key, vb_span_none(),
                 vb_value_new_string(t, buf, strlen(buf), vb_span_none()));
  }
  /* published on the last day of the month */
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned y = c->is->year, mo = c->is->month;
  int last = mdays[(mo - 1) % 12] + (mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
  snprintf(buf, sizeof buf, "%04u-%02u-%02d", y, mo, last);
  vb_value_set(t, m, "issue.date", vb_span_none(),
               vb_value_new_string(t, buf, strlen(buf), vb_span_none()));
  const vb_value *b = vb_value_get(c->is->org, "bulletin");
  const char *pub = text_of(vb_value_get(b, "publisher"));
  if (!pub) pub = text_of(vb_value_get(c->is->org, "name"));
  if (!pub) pub = "";
  vb_value_set(t, m, "issue.publisher", vb_span_none(),
               vb_value_new_string(t, pub, strlen(pub), vb_span_none()));
  s->computed = m;
  s->span = c->is->org->span;
  s->label = "bulletin";
}

int vb_bulletin_render(vb_layout *l, vb_typesetter *ts, const vb_bulletin_issue *is,
                       vb_dlist ***pages, size_t *npages, vb_diag *d) {
  if (!l->bulletin) {
    vb_diag_error(d, vb_span_none(), "layout '%s' is not a bulletin layout (document: %s)",
                  l->name, l->document);
    return VB_ERECORD;
  }
  bctx c;
  memset(&c, 0, sizeof c);
  c.l = l;
  c.bs = l->bulletin;
  c.ts = ts;
  c.is = is;
  c.diag = d;
  c.arena = vb_arena_new();
  c.pw = (float)l->page_w;
  c.ph = (float)l->page_h;
  c.x0 = (float)l->frame_x;
  c.fw = (float)l->frame_w;
  c.ncols = c.bs->columns;
  c.cw = (c.fw - (float)(c.ncols - 1) * (float)c.bs->gutter) / (float)c.ncols;
  c.pages = g_ptr_array_new();
  c.images = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
  const vb_value *b = vb_value_get(is->org, "bulletin");
  if (check_bulletin(&c, b) != 0) goto out;
  {
    const vb_para *jp = shape(&c, c.bs->jump, "(xem tiếp trang 99)", c.cw, vb_span_none());
    c.jump_h = vb_para_height(jp) + 1;
    const vb_para *fp = shape(&c, c.bs->footer, "0", c.fw, vb_span_none());
    c.footer_h = vb_para_height(fp) + 6;
    const vb_para *bp = shape(&c, c.bs->body, "x", c.cw, vb_span_none());
    c.line_tol = vb_para_height(bp) + 1;
  }
  c.footer_text = g_strdup_printf("Bản tin %s - Số %02u - Tháng %02u/%u",
                                  text_of(vb_value_get(b, "name")), is->number, is->month,
                                  is->year);
  c.region_h = (float)l->next_h - c.footer_h;
  /* articles: text, then shaped blocks */
  art *arts = vb_arena_alloc(c.arena, sizeof(art) * (is->nevents + 1));
  memset(arts, 0, sizeof(art) * (is->nevents + 1));
  for (size_t i = 0; i < is->nevents; i++) {
    art *A = &arts[i];
    A->a.arena = c.arena;
    A->a.parts = g_array_new(FALSE, FALSE, sizeof(vb_part));
    A->a.photos = g_array_new(FALSE, FALSE, sizeof(vb_part));
    A->blks = g_array_new(FALSE, FALSE, sizeof(blk));
    vb_article_compose(&A->a, is->events[i].event, is->events[i].org, b);
    build_article(&c, A, &is->events[i]);
  }
  if (c.errors) goto free_arts;
  /* page 1: masthead, contents, then the articles */
  c.page = vb_dlist_new(c.pw, c.ph);
  {
    vb_tree *t = vb_tree_new();
    vb_scope s;
    masthead_scope(&c, t, &s);
    float mh = 0;
    if (vb_layout_render_blocks(l, ts, &s, l->body, c.x0, (float)l->frame_y, c.fw, c.page, &mh,
                                d) != VB_OK)
      c.errors++;
    vb_tree_free(t);
    centry *ents = vb_arena_alloc(c.arena, sizeof(centry) * (is->nevents + 1));
    float ctop = (float)l->frame_y + mh + 2 * MM;
    float chh = contents_layout(&c, arts, is->nevents, ctop, ents);
    c.top = ctop + chh + 4 * MM;
    c.bottom = (float)(l->frame_y + l->frame_h) - c.footer_h;
    c.y = 0;
    vb_dlist *first = c.page;
    for (size_t i = 0; i < is->nevents; i++) flow_article(&c, &arts[i]);
    /* the licence block at the foot of the last page */
    const vb_para *lp = licence_para(&c, b, vb_value_get(is->org, "bulletin")->key_span);
    float lh = vb_para_height(lp) + 3 * MM;
    if (c.top + c.y + lh > c.bottom + SLACK) new_page(&c);
    float ly = c.bottom - lh;
    vb_dlist_add_rect(c.page, "licence-rule", vb_span_none(), c.x0, ly, c.fw, 0.6f,
                      c.bs->licence->color, (vb_color){0, 0, 0, 0}, 0);
    vb_para_emit(c.page, lp, 0, vb_para_nlines(lp), c.x0, ly + 2 * MM, "licence",
                 vb_value_get(is->org, "bulletin")->key_span, c.bs->licence->color);
    g_ptr_array_add(c.pages, c.page);
    c.page = NULL;
    contents_fill(&c, first, arts, is->nevents, ents);
    for (guint i = 1; i < c.pages->len; i++) footer(&c, g_ptr_array_index(c.pages, i), i + 1);
  }
  if (c.pages->len > (guint)c.bs->max_pages) {
    vb_span where = vb_span_is_set(c.bs->span) ? c.bs->span : vb_value_get(is->org, "bulletin")->key_span;
    berror(&c, where, "the issue needs %u pages; a bulletin may have at most %d%s", c.pages->len,
           c.bs->max_pages,
           c.bs->max_pages == 64 ? " (Luật Báo chí 2016, Điều 34)" : " (max_pages of the layout)");
  }
free_arts:
  for (size_t i = 0; i < is->nevents; i++) {
    g_array_free(arts[i].a.parts, TRUE);
    g_array_free(arts[i].a.photos, TRUE);
    g_array_free(arts[i].blks, TRUE);
  }
out:
  if (c.page) g_ptr_array_add(c.pages, c.page);
  int rc = c.errors ? VB_ERECORD : VB_OK;
  if (rc == VB_OK) {
    *pages = g_renew(vb_dlist *, *pages, *npages + c.pages->len);
    for (guint i = 0; i < c.pages->len; i++) (*pages)[(*npages)++] = g_ptr_array_index(c.pages, i);
  } else {
    for (guint i = 0; i < c.pages->len; i++) vb_dlist_free(g_ptr_array_index(c.pages, i));
  }
  g_ptr_array_free(c.pages, TRUE);
  g_hash_table_destroy(c.images);
  g_free(c.footer_text);
  vb_arena_free(c.arena);
  return rc;
}
