/* ttconv.c - backend stage: turns a CFF-flavoured OpenType face (.otf, such as
 * the bundled TeX Gyre Chorus) into a TrueType font in memory, because
 * libharu 2.3.0 loads glyf/loca outlines only. Glyph order, cmap, hmtx, hhea,
 * OS/2 and name are copied as they are, so Pango's glyph ids and the code
 * points they map from stay valid; outlines come from FreeType (font units)
 * with each cubic Bézier split into quadratic ones (error under 1/1000 em). */
#include "backend-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#define MAX_SPLIT 16

typedef struct pt {
  int x, y;
  bool on;
} pt;

/* One glyph's contours while it is decomposed. */
typedef struct outline_acc {
  pt *pts;
  size_t n, cap;
  uint16_t *ends; /* index of each contour's last point */
  size_t nc, capc;
  size_t start;   /* first point of the open contour */
  double tol;     /* font units */
  FT_Vector cur;
} outline_acc;

static void add_pt(outline_acc *a, double x, double y, bool on) {
  if (a->n == a->cap) {
    a->cap = a->cap ? 2 * a->cap : 64;
    a->pts = vb_xrealloc(a->pts, a->cap * sizeof *a->pts);
  }
  pt p = {(int)lround(x), (int)lround(y), on};
  /* drop a repeated on-curve point */
  if (a->n > a->start && on && a->pts[a->n - 1].on && a->pts[a->n - 1].x == p.x &&
      a->pts[a->n - 1].y == p.y)
    return;
  a->pts[a->n++] = p;
}

static void close_contour(outline_acc *a) {
  if (a->n <= a->start)
    return;
  /* TrueType closes contours itself: drop a last point equal to the first */
  if (a->n - a->start > 1 && a->pts[a->n - 1].on && a->pts[a->n - 1].x == a->pts[a->start].x &&
      a->pts[a->n - 1].y == a->pts[a->start].y)
    a->n--;
  if (a->n - a->start < 2) { /* a lone point draws nothing */
    a->n = a->start;
    return;
  }
  if (a->nc == a->capc) {
    a->capc = a->capc ? 2 * a->capc : 8;
    a->ends = vb_xrealloc(a->ends, a->capc * sizeof *a->ends);
  }
  a->ends[a->nc++] = (uint16_t)(a->n - 1);
  a->start = a->n;
}

static int move_to(const FT_Vector *to, void *user) {
  outline_acc *a = user;
  close_contour(a);
  add_pt(a, to->x, to->y, true);
  a->cur = *to;
  return 0;
}

static int line_to(const FT_Vector *to, void *user) {
  outline_acc *a = user;
  add_pt(a, to->x, to->y, true);
  a->cur = *to;
  return 0;
}

static int conic_to(const FT_Vector *c, const FT_Vector *to, void *user) {
  outline_acc *a = user;
  add_pt(a, c->x, c->y, false);
  add_pt(a, to->x, to->y, true);
  a->cur = *to;
  return 0;
}

/* Splits the cubic into n pieces, n chosen from the single-quadratic error
 * bound sqrt(3)/36 * |p3 - 3 c2 + 3 c1 - p0|, which falls as 1/n^3. */
static int cubic_to(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *user) {
  outline_acc *a = user;
  double p[4][2] = {{(double)a->cur.x, (double)a->cur.y},
                    {(double)c1->x, (double)c1->y},
                    {(double)c2->x, (double)c2->y},
                    {(double)to->x, (double)to->y}};
  double dx = p[3][0] - 3 * p[2][0] + 3 * p[1][0] - p[0][0];
  double dy = p[3][1] - 3 * p[2][1] + 3 * p[1][1] - p[0][1];
  double err = sqrt(3.0) / 36 * sqrt(dx * dx + dy * dy);
  int n = (int)ceil(cbrt(err / a->tol));
  if (n < 1)
    n = 1;
  if (n > MAX_SPLIT)
    n = MAX_SPLIT;
  for (int k = 0; k < n; k++) {
    double t0 = (double)k / n, t1 = (double)(k + 1) / n, q[4][2];
    /* the piece [t0, t1] as a cubic: its end points and derivatives */
    for (int j = 0; j < 2; j++) {
      double a0 = p[0][j], a1 = p[1][j], a2 = p[2][j], a3 = p[3][j];
      double b3 = -a0 + 3 * a1 - 3 * a2 + a3, b2 = 3 * a0 - 6 * a1 + 3 * a2,
             b1 = -3 * a0 + 3 * a1, b0 = a0;
      double v0 = ((b3 * t0 + b2) * t0 + b1) * t0 + b0;
      double v1 = ((b3 * t1 + b2) * t1 + b1) * t1 + b0;
      double d0 = ((3 * b3 * t0 + 2 * b2) * t0 + b1) * (t1 - t0);
      double d1 = ((3 * b3 * t1 + 2 * b2) * t1 + b1) * (t1 - t0);
      q[0][j] = v0;
      q[1][j] = v0 + d0 / 3;
      q[2][j] = v1 - d1 / 3;
      q[3][j] = v1;
    }
    double cx = (3 * (q[1][0] + q[2][0]) - q[0][0] - q[3][0]) / 4;
    double cy = (3 * (q[1][1] + q[2][1]) - q[0][1] - q[3][1]) / 4;
    add_pt(a, cx, cy, false);
    add_pt(a, q[3][0], q[3][1], true);
  }
  a->cur = *to;
  return 0;
}

static void put16(vb_strbuf *b, unsigned v) {
  char c[2] = {(char)(v >> 8), (char)v};
  vb_strbuf_add(b, c, 2);
}

static void put32(vb_strbuf *b, uint32_t v) {
  char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
  vb_strbuf_add(b, c, 4);
}

static void set16(char *p, unsigned v) {
  p[0] = (char)(v >> 8);
  p[1] = (char)v;
}

static void set32(char *p, uint32_t v) {
  p[0] = (char)(v >> 24);
  p[1] = (char)(v >> 16);
  p[2] = (char)(v >> 8);
  p[3] = (char)v;
}

static void pad4(vb_strbuf *b) {
  while (b->len % 4)
    vb_strbuf_putc(b, 0);
}

/* Appends one simple glyph (flags unpacked, coordinates as 16-bit deltas). */
static void write_glyph(vb_strbuf *g, const outline_acc *a) {
  if (a->nc == 0)
    return;
  int xmin = a->pts[0].x, xmax = xmin, ymin = a->pts[0].y, ymax = ymin;
  for (size_t i = 1; i < a->n; i++) {
    if (a->pts[i].x < xmin) xmin = a->pts[i].x;
    if (a->pts[i].x > xmax) xmax = a->pts[i].x;
    if (a->pts[i].y < ymin) ymin = a->pts[i].y;
    if (a->pts[i].y > ymax) ymax = a->pts[i].y;
  }
  put16(g, (unsigned)a->nc);
  put16(g, (unsigned)(int16_t)xmin);
  put16(g, (unsigned)(int16_t)ymin);
  put16(g, (unsigned)(int16_t)xmax);
  put16(g, (unsigned)(int16_t)ymax);
  for (size_t i = 0; i < a->nc; i++)
    put16(g, a->ends[i]);
  put16(g, 0); /* no instructions */
  for (size_t i = 0; i < a->n; i++)
    vb_strbuf_putc(g, a->pts[i].on ? 1 : 0);
  int prev = 0;
  for (size_t i = 0; i < a->n; i++) {
    put16(g, (unsigned)(uint16_t)(int16_t)(a->pts[i].x - prev));
    prev = a->pts[i].x;
  }
  prev = 0;
  for (size_t i = 0; i < a->n; i++) {
    put16(g, (unsigned)(uint16_t)(int16_t)(a->pts[i].y - prev));
    prev = a->pts[i].y;
  }
}

typedef struct table {
  const char *tag;
  vb_strbuf data;
} table;

/* Copies a table of the face as it is; 0 or -1 when it is absent. */
static int copy_table(FT_Face face, const char *tag, vb_strbuf *out) {
  FT_ULong t = FT_MAKE_TAG(tag[0], tag[1], tag[2], tag[3]), len = 0;
  if (FT_Load_Sfnt_Table(face, t, 0, NULL, &len) || len == 0)
    return -1;
  char *buf = vb_xmalloc(len);
  if (FT_Load_Sfnt_Table(face, t, 0, (FT_Byte *)buf, &len)) {
    free(buf);
    return -1;
  }
  vb_strbuf_add(out, buf, len);
  free(buf);
  return 0;
}

static uint32_t checksum(const char *p, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i < len; i += 4) {
    uint32_t v = 0;
    for (size_t j = 0; j < 4; j++)
      v = v << 8 | (i + j < len ? (unsigned char)p[i + j] : 0);
    sum += v;
  }
  return sum;
}

int vb_ttconv_from_cff(const char *file, int index, vb_strbuf *out, const char **why) {
  FT_Library lib;
  FT_Face face;
  *why = NULL;
  if (FT_Init_FreeType(&lib)) {
    *why = "cannot initialise FreeType";
    return -1;
  }
  if (FT_New_Face(lib, file, index, &face)) {
    FT_Done_FreeType(lib);
    *why = "FreeType cannot open it";
    return -1;
  }
  /* the order of REQUIRED_TAGS in libharu, which is also sorted */
  static const char *const tags[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                     "hmtx", "loca", "maxp", "name", "post", "prep"};
  enum { T_OS2, T_CMAP, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA, T_MAXP,
         T_NAME, T_POST, T_PREP, NT };
  table t[NT];
  for (int i = 0; i < NT; i++) {
    t[i].tag = tags[i];
    t[i].data = (vb_strbuf)VB_STRBUF_INIT;
  }
  int rc = -1;
  if (!FT_IS_SFNT(face) || !FT_IS_SCALABLE(face)) {
    *why = "not an OpenType font";
    goto out;
  }
  static const int copied[] = {T_OS2, T_CMAP, T_HEAD, T_HHEA, T_HMTX, T_NAME};
  for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
    if (copy_table(face, tags[copied[i]], &t[copied[i]].data) < 0) {
      *why = "a table libharu needs (OS/2, cmap, head, hhea, hmtx, name) is missing";
      goto out;
    }
  if (t[T_HEAD].data.len < 54) {
    *why = "bad head table";
    goto out;
  }
  /* post: version 3 (no glyph names), the rest of the header kept */
  if (copy_table(face, "post", &t[T_POST].data) < 0 || t[T_POST].data.len < 32) {
    vb_strbuf_free(&t[T_POST].data);
    char zero[32] = {0};
    vb_strbuf_add(&t[T_POST].data, zero, sizeof zero);
  }
  t[T_POST].data.len = 32;
  set32(t[T_POST].data.data, 0x00030000);
  /* hinting programs libharu insists on: no-ops */
  static const char noop[4] = {(char)0xB0, 0x00, 0x21, 0x00}; /* PUSHB 0; POP; SVTCA */
  vb_strbuf_add(&t[T_FPGM].data, noop, 4);
  vb_strbuf_add(&t[T_PREP].data, noop, 4);
  static const char cvt[4] = {0};
  vb_strbuf_add(&t[T_CVT].data, cvt, 4);

  unsigned upem = face->units_per_EM ? face->units_per_EM : 1000;
  outline_acc acc = {0};
  acc.tol = upem / 1000.0;
  FT_Outline_Funcs funcs = {move_to, line_to, conic_to, cubic_to, 0, 0};
  unsigned max_pts = 0, max_contours = 0;
  long nglyphs = face->num_glyphs;
  if (nglyphs <= 0 || nglyphs > 65535) {
    *why = "bad glyph count";
    goto out;
  }
  vb_strbuf *glyf = &t[T_GLYF].data, *loca = &t[T_LOCA].data;
  for (long gid = 0; gid < nglyphs; gid++) {
    put32(loca, (uint32_t)glyf->len);
    acc.n = acc.nc = acc.start = 0;
    if (FT_Load_Glyph(face, (FT_UInt)gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0 &&
        face->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
      FT_Outline_Decompose(&face->glyph->outline, &funcs, &acc);
      close_contour(&acc);
    }
    if (acc.n > 0xFFFF) {
      *why = "a glyph has too many points";
      free(acc.pts);
      free(acc.ends);
      goto out;
    }
    write_glyph(glyf, &acc);
    pad4(glyf);
    if (acc.n > max_pts) max_pts = (unsigned)acc.n;
    if (acc.nc > max_contours) max_contours = (unsigned)acc.nc;
  }
  put32(loca, (uint32_t)glyf->len);
  free(acc.pts);
  free(acc.ends);
  if (glyf->len == 0) /* every glyph empty: keep the table present */
    put32(glyf, 0);

  /* maxp 1.0 */
  vb_strbuf *maxp = &t[T_MAXP].data;
  put32(maxp, 0x00010000);
  put16(maxp, (unsigned)nglyphs);
  put16(maxp, max_pts);
  put16(maxp, max_contours);
  put16(maxp, 0); /* maxCompositePoints */
  put16(maxp, 0); /* maxCompositeContours */
  put16(maxp, 2); /* maxZones */
  put16(maxp, 0); /* maxTwilightPoints */
  put16(maxp, 0); /* maxStorage */
  put16(maxp, 0); /* maxFunctionDefs */
  put16(maxp, 0); /* maxInstructionDefs */
  put16(maxp, 8); /* maxStackElements */
  put16(maxp, 0); /* maxSizeOfInstructions */
  put16(maxp, 0); /* maxComponentElements */
  put16(maxp, 0); /* maxComponentDepth */
  /* head: long loca offsets, checksum adjustment computed below */
  char *head = t[T_HEAD].data.data;
  set32(head + 8, 0);
  set16(head + 50, 1);
  set16(head + 52, 0); /* glyphDataFormat */

  /* sfnt: offset table, directory, tables padded to 4 bytes */
  vb_strbuf_reset(out);
  put32(out, 0x00010000);
  put16(out, NT);
  put16(out, 128); /* searchRange: 8 * 16 */
  put16(out, 3);   /* entrySelector */
  put16(out, NT * 16 - 128);
  uint32_t off = 12 + 16 * NT;
  for (int i = 0; i < NT; i++) {
    vb_strbuf_add(out, tags[i], 4);
    put32(out, checksum(t[i].data.data, t[i].data.len));
    put32(out, off);
    put32(out, (uint32_t)t[i].data.len);
    off += (uint32_t)((t[i].data.len + 3) & ~(size_t)3);
  }
  size_t head_at = 0;
  for (int i = 0; i < NT; i++) {
    if (i == T_HEAD)
      head_at = out->len;
    vb_strbuf_add(out, t[i].data.data, t[i].data.len);
    pad4(out);
  }
  set32(out->data + head_at + 8, 0xB1B0AFBAu - checksum(out->data, out->len));
  rc = 0;
out:
  for (int i = 0; i < NT; i++)
    vb_strbuf_free(&t[i].data);
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  return rc;
}
