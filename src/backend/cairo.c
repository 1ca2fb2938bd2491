/* cairo.c - backend stage: PDF and PNG output through cairo (fonts through
 * FreeType/cairo-ft, SVG through librsvg, JPEG through gdk-pixbuf). The only
 * file that includes cairo/FreeType headers (display/image.c uses librsvg to probe). */
#include "backend.h"
#include "backend-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>

#define MAX_OUTLINE_LEVEL 8
#define MAX_GROUP_DEPTH   16
#define MAX_PNG_PIXELS    32767 /* cairo image surface limit per side */

/* The FreeType library outlives this backend when cairo's font cache still
 * holds faces, so it is reference counted: one ref for the backend, one per face. */
typedef struct ft_shared {
  FT_Library lib;
  unsigned refs;
} ft_shared;

typedef struct face_ref {
  ft_shared *ft;
  FT_Face face;
} face_ref;

typedef struct image_entry {
  cairo_surface_t *surf; /* image surface (PNG, JPEG) or recording surface (SVG) */
  double w, h;           /* size of surf in its own units */
} image_entry;

typedef struct outline_entry {
  int level;
  char *title; /* heap */
  char *dest;  /* heap: cairo link attributes "page=N pos=[0 y]" */
} outline_entry;

typedef struct draw_ctx {
  cairo_t *cr;
  int clip_depth; /* cairo_save levels opened by push_clip */
  int group_depth;
  bool page; /* drawing on the page itself (not into a group recording) */
} draw_ctx;

typedef struct cairo_backend {
  vb_backend base;
  vb_output out;
  bool out_closed;   /* no more writes: after close/free */
  bool write_failed; /* the vb_output reported a failure */
  vb_format format;
  cairo_surface_t *surface; /* the PDF surface, or the PNG page's image surface */
  cairo_t *cr;
  cairo_font_options_t *fopts;
  ft_shared *ft;
  draw_ctx page;
  bool in_page, closed, doc_tag;
  /* caches by resource id (the resource table may grow between pages) */
  cairo_font_face_t **faces;
  uint32_t nfaces;
  image_entry *images;
  uint32_t nimages;
  cairo_surface_t **groups;
  uint32_t ngroups;
  outline_entry *outline; /* added to the PDF at close (see add_outline) */
  size_t noutline, capoutline;
  /* named destinations of links to pages not drawn yet (see add_link) */
  struct fwd_dest {
    unsigned page;
    double y;
  } *fwd;
  size_t nfwd, capfwd;
} cairo_backend;

static const cairo_user_data_key_t face_key;

static void ft_unref(ft_shared *ft) {
  if (ft && --ft->refs == 0) {
    FT_Done_FreeType(ft->lib);
    free(ft);
  }
}

static void face_destroy(void *data) {
  face_ref *f = data;
  FT_Done_Face(f->face);
  ft_unref(f->ft);
  free(f);
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
                                unsigned int len) {
  cairo_backend *c = closure;
  if (c->out_closed || c->write_failed)
    return CAIRO_STATUS_WRITE_ERROR;
  if (c->out.write(c->out.ctx, data, len) < 0) {
    c->write_failed = true; /* reported by the output */
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

/* Maps a cairo status to VB_OK/VB_EIO, reporting it unless the output already did. */
static int status_to_rc(cairo_backend *c, cairo_status_t st) {
  if (c->write_failed)
    return VB_EIO;
  if (st == CAIRO_STATUS_SUCCESS)
    return VB_OK;
  vb_diag_error(c->base.diag, vb_span_none(), "cairo: %s", cairo_status_to_string(st));
  return VB_EIO;
}

static int check_cairo(cairo_backend *c) {
  cairo_status_t st = c->cr ? cairo_status(c->cr) : CAIRO_STATUS_SUCCESS;
  if (st == CAIRO_STATUS_SUCCESS && c->surface)
    st = cairo_surface_status(c->surface);
  return status_to_rc(c, st);
}

/* Grows a zero-filled cache array so that index id is valid. */
static void *grow_cache(void *arr, uint32_t *n, uint32_t id, size_t size) {
  if (id < *n)
    return arr;
  uint32_t m = id + 8;
  arr = vb_xrealloc(arr, (size_t)m * size);
  memset((char *)arr + (size_t)*n * size, 0, (size_t)(m - *n) * size);
  *n = m;
  return arr;
}

static void set_source(cairo_t *cr, vb_color col) {
  cairo_set_source_rgba(cr, col.r, col.g, col.b, col.a);
}

/* ---- fonts */

/* Faces outlive the backend that loaded them when the run gives a cache: one file
 * per document opens a backend per file, and faces made again for each lost
 * cairo's scaled fonts with their glyph outlines and metrics (a sixth of the work
 * per file). Kept by file and face index, each with a ref on the FreeType
 * library it was loaded with. */
typedef struct kept_face {
  char *file;
  int index;
  cairo_font_face_t *face;
} kept_face;

typedef struct kept_faces {
  ft_shared *ft;
  kept_face *v;
  size_t n, cap;
} kept_faces;

static void kept_faces_free(void *part) {
  kept_faces *k = part;
  for (size_t i = 0; i < k->n; i++) {
    free(k->v[i].file);
    cairo_font_face_destroy(k->v[i].face);
  }
  free(k->v);
  ft_unref(k->ft);
  free(k);
}

static kept_faces *kept_part(cairo_backend *c) {
  vb_backend_cache *cache = c->base.opts->cache;
  if (!cache)
    return NULL;
  if (!cache->cairo) {
    kept_faces *k = vb_xcalloc(1, sizeof *k);
    k->ft = c->ft;
    k->ft->refs++;
    cache->cairo = k;
    cache->free_cairo = kept_faces_free;
  }
  return cache->cairo;
}

/* A new face (one ref, the caller's) for the font, or NULL (reported). */
static cairo_font_face_t *load_face(ft_shared *ft, const vb_font_res *f, vb_diag *d,
                                    vb_span span) {
  FT_Face face;
  FT_Error e = FT_New_Face(ft->lib, f->file, f->index, &face);
  if (e) {
    vb_diag_error(d, span, "cannot load font '%s' (face %d): FreeType error %d", f->file,
                  f->index, (int)e);
    return NULL;
  }
  cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(face, 0);
  face_ref *ref = vb_xmalloc(sizeof *ref);
  ref->ft = ft;
  ref->face = face;
  ft->refs++;
  cairo_status_t st = cairo_font_face_set_user_data(cf, &face_key, ref, face_destroy);
  if (st) {
    cairo_font_face_destroy(cf);
    face_destroy(ref);
    vb_diag_error(d, span, "cairo: %s", cairo_status_to_string(st));
    return NULL;
  }
  return cf;
}

static cairo_font_face_t *get_face(cairo_backend *c, uint32_t id, vb_span span) {
  c->faces = grow_cache(c->faces, &c->nfaces, id, sizeof *c->faces);
  if (c->faces[id])
    return c->faces[id];
  const vb_font_res *f = vb_resources_font(c->base.opts->res, id);
  kept_faces *k = kept_part(c);
  for (size_t i = 0; k && i < k->n; i++)
    if (k->v[i].index == f->index && !strcmp(k->v[i].file, f->file))
      return c->faces[id] = cairo_font_face_reference(k->v[i].face);
  cairo_font_face_t *cf = load_face(k ? k->ft : c->ft, f, c->base.diag, span);
  if (!cf)
    return NULL;
  if (k) {
    if (k->n == k->cap) {
      k->cap = k->cap ? 2 * k->cap : 8;
      k->v = vb_xrealloc(k->v, k->cap * sizeof *k->v);
    }
    k->v[k->n++] = (kept_face){vb_xstrdup(f->file), f->index, cairo_font_face_reference(cf)};
  }
  return c->faces[id] = cf;
}

/* Builds cairo clusters from per-glyph byte offsets: consecutive glyphs with the
 * same offset form one cluster; the first starts at byte 0, the last ends at
 * text_len. Returns the count, or 0 when the offsets cannot be used (not
 * non-decreasing, past the text, or splitting a UTF-8 sequence). */
static int build_clusters(const vb_op *op, cairo_text_cluster_t *cl) {
  const uint32_t *off = op->u.glyphs.clusters;
  uint32_t n = op->u.glyphs.n, len = op->u.glyphs.text_len;
  int nc = 0;
  for (uint32_t i = 0; i < n;) {
    uint32_t start = nc == 0 ? 0 : off[i];
    uint32_t j = i;
    while (j < n && off[j] == off[i])
      j++;
    uint32_t end = j < n ? off[j] : len;
    if (end < start || end > len || (j < n && off[j] < off[i]))
      return 0;
    if (!vb_utf8_valid(op->u.glyphs.text + start, end - start, NULL))
      return 0;
    cl[nc].num_bytes = (int)(end - start);
    cl[nc].num_glyphs = (int)(j - i);
    nc++;
    i = j;
  }
  return nc;
}

static int draw_glyphs(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  uint32_t n = op->u.glyphs.n;
  if (n == 0 || !(op->u.glyphs.color.a > 0))
    return VB_OK;
  cairo_font_face_t *face = get_face(c, op->u.glyphs.font, op->span);
  if (!face)
    return VB_EIO;
  cairo_t *cr = ctx->cr;
  cairo_glyph_t *gl = vb_xmalloc(n * sizeof *gl);
  for (uint32_t i = 0; i < n; i++) {
    gl[i].index = op->u.glyphs.glyphs[i].id;
    gl[i].x = (double)op->u.glyphs.x + op->u.glyphs.glyphs[i].x;
    gl[i].y = (double)op->u.glyphs.y + op->u.glyphs.glyphs[i].y;
  }
  cairo_set_font_face(cr, face);
  cairo_set_font_size(cr, op->u.glyphs.size);
  set_source(cr, op->u.glyphs.color);
  cairo_text_cluster_t *cl = NULL;
  int nc = 0;
  if (op->u.glyphs.text && op->u.glyphs.text_len && op->u.glyphs.clusters) {
    cl = vb_xmalloc(n * sizeof *cl);
    nc = build_clusters(op, cl);
  }
  if (nc > 0)
    cairo_show_text_glyphs(cr, op->u.glyphs.text, (int)op->u.glyphs.text_len, gl, (int)n,
                           cl, nc, 0);
  else
    cairo_show_glyphs(cr, gl, (int)n);
  free(cl);
  free(gl);
  return VB_OK;
}

/* ---- rectangles and paths */

static void fill_stroke(cairo_t *cr, vb_color fill, vb_color stroke, float width,
                        bool even_odd) {
  cairo_set_fill_rule(cr, even_odd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
  if (fill.a > 0) {
    set_source(cr, fill);
    cairo_fill_preserve(cr);
  }
  if (stroke.a > 0 && width > 0) {
    set_source(cr, stroke);
    cairo_set_line_width(cr, width);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
}

static int draw_rect(draw_ctx *ctx, const vb_op *op) {
  cairo_new_path(ctx->cr);
  cairo_rectangle(ctx->cr, op->u.rect.x, op->u.rect.y, op->u.rect.w, op->u.rect.h);
  fill_stroke(ctx->cr, op->u.rect.fill, op->u.rect.stroke, op->u.rect.line_width, false);
  return VB_OK;
}

static int draw_path(draw_ctx *ctx, const vb_op *op) {
  cairo_t *cr = ctx->cr;
  cairo_new_path(cr);
  for (uint32_t i = 0; i < op->u.path.n; i++) {
    const float *p = op->u.path.els[i].pt;
    switch (op->u.path.els[i].cmd) {
    case VB_PATH_MOVE:
      cairo_move_to(cr, p[0], p[1]);
      break;
    case VB_PATH_LINE:
      cairo_line_to(cr, p[0], p[1]);
      break;
    case VB_PATH_CURVE:
      cairo_curve_to(cr, p[0], p[1], p[2], p[3], p[4], p[5]);
      break;
    case VB_PATH_CLOSE:
      cairo_close_path(cr);
      break;
    }
  }
  fill_stroke(cr, op->u.path.fill, op->u.path.stroke, op->u.path.line_width,
              op->u.path.even_odd);
  return VB_OK;
}

/* ---- images */

/* Copies RGB(A) pixbuf rows into a premultiplied cairo image surface. */
static cairo_surface_t *pixbuf_to_surface(GdkPixbuf *pb) {
  int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
  int nch = gdk_pixbuf_get_n_channels(pb), stride = gdk_pixbuf_get_rowstride(pb);
  bool alpha = gdk_pixbuf_get_has_alpha(pb);
  const guchar *src = gdk_pixbuf_read_pixels(pb);
  cairo_surface_t *s =
      cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s))
    return s;
  cairo_surface_flush(s);
  unsigned char *dst = cairo_image_surface_get_data(s);
  int dstride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++) {
    const guchar *sp = src + (size_t)y * stride;
    uint32_t *dp = (uint32_t *)(void *)(dst + (size_t)y * dstride);
    for (int x = 0; x < w; x++, sp += nch) {
      uint32_t a = alpha ? sp[3] : 255;
      uint32_t r = (sp[0] * a + 127) / 255, g = (sp[1] * a + 127) / 255,
               b = (sp[2] * a + 127) / 255;
      dp[x] = a << 24 | r << 16 | g << 8 | b;
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

static void set_unique_id(cairo_surface_t *s, const char *file) {
  char *id = vb_xstrdup(file);
  if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)id,
                                  strlen(id), free, id))
    free(id);
}

/* JPEG: PDF output embeds the file's bytes as they are (DCTDecode) on a surface
 * of the image's size whose pixels cairo-pdf never reads (RGB24: opaque, so it
 * does not scan them either): decoding 20 photos cost more than the rest of a
 * bulletin. PNG output, and CMYK/YCCK JPEGs (4 components: cairo 1.16 writes no
 * /Decode for Adobe's inverted CMYK, and poppler shows them as negatives), get
 * the pixels through gdk-pixbuf. */
static cairo_surface_t *load_jpeg(cairo_backend *c, const char *file, GError **err) {
  gchar *bytes = NULL;
  gsize len = 0;
  int comps = 0, w = 0, h = 0;
  if (c->format == VB_FORMAT_PDF) {
    if (!g_file_get_contents(file, &bytes, &len, err))
      return NULL;
    if (vb_backend_jpeg_frame((const unsigned char *)bytes, len, &comps, &w, &h) &&
        (comps == 1 || comps == 3)) {
      cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
      if (!cairo_surface_status(s) &&
          cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, (const unsigned char *)bytes,
                                      len, g_free, bytes) == CAIRO_STATUS_SUCCESS)
        return s;
      cairo_surface_destroy(s);
    }
    g_free(bytes);
  }
  GdkPixbuf *pb = gdk_pixbuf_new_from_file(file, err);
  if (!pb)
    return NULL;
  cairo_surface_t *s = pixbuf_to_surface(pb);
  g_object_unref(pb);
  return s;
}

/* Renders the SVG once into a recording surface, which cairo-pdf emits once as
 * a form XObject however many pages paint it. */
static cairo_surface_t *load_svg(const char *file, double w, double h, GError **err) {
  RsvgHandle *handle = rsvg_handle_new_from_file(file, err);
  if (!handle)
    return NULL;
  cairo_rectangle_t ext = {0, 0, w, h};
  cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *cr = cairo_create(rec);
  RsvgRectangle viewport = {0, 0, w, h};
  gboolean ok = rsvg_handle_render_document(handle, cr, &viewport, err);
  cairo_destroy(cr);
  g_object_unref(handle);
  if (!ok) {
    cairo_surface_destroy(rec);
    return NULL;
  }
  return rec;
}

static image_entry *get_image(cairo_backend *c, uint32_t id, vb_span span) {
  c->images = grow_cache(c->images, &c->nimages, id, sizeof *c->images);
  image_entry *e = &c->images[id];
  if (e->surf)
    return e;
  const vb_image_res *im = vb_resources_image(c->base.opts->res, id);
  GError *err = NULL;
  cairo_surface_t *s = NULL;
  double w = im->width > 0 ? im->width : 100, h = im->height > 0 ? im->height : 100;
  switch (im->kind) {
  case VB_IMAGE_PNG:
    s = cairo_image_surface_create_from_png(im->file);
    break;
  case VB_IMAGE_JPEG:
    s = load_jpeg(c, im->file, &err);
    break;
  case VB_IMAGE_SVG:
    if (w * h > VB_SVG_RASTER_PIXELS) {
      /* a huge canvas is drawn smaller (filters are rasterised at this size);
       * draw_image scales it back */
      double k = sqrt(VB_SVG_RASTER_PIXELS / (w * h));
      w *= k;
      h *= k;
    }
    s = load_svg(im->file, w, h, &err);
    break;
  }
  const char *why = err ? err->message : NULL;
  if (!why && !s)
    why = "cannot decode";
  if (!why && cairo_surface_status(s))
    why = cairo_status_to_string(cairo_surface_status(s));
  if (why) {
    vb_diag_error(c->base.diag, span, "cannot read image '%s': %s", im->file, why);
    g_clear_error(&err);
    cairo_surface_destroy(s);
    return NULL;
  }
  if (im->kind != VB_IMAGE_SVG) {
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
  }
  set_unique_id(s, im->file);
  e->surf = s;
  e->w = w;
  e->h = h;
  return e;
}

static int draw_image(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  image_entry *e = get_image(c, op->u.image.image, op->span);
  if (!e)
    return VB_EIO;
  if (!(op->u.image.w > 0 && op->u.image.h > 0))
    return VB_OK;
  cairo_t *cr = ctx->cr;
  cairo_save(cr);
  cairo_translate(cr, op->u.image.x, op->u.image.y);
  cairo_scale(cr, op->u.image.w / e->w, op->u.image.h / e->h);
  cairo_set_source_surface(cr, e->surf, 0, 0);
  cairo_paint(cr);
  cairo_restore(cr);
  return VB_OK;
}

/* ---- clips */

static int push_clip(draw_ctx *ctx, const vb_op *op) {
  cairo_save(ctx->cr);
  cairo_new_path(ctx->cr);
  cairo_rectangle(ctx->cr, op->u.clip.x, op->u.clip.y, op->u.clip.w, op->u.clip.h);
  cairo_clip(ctx->cr);
  ctx->clip_depth++;
  return VB_OK;
}

static int pop_clip(draw_ctx *ctx) {
  if (ctx->clip_depth > 0) {
    cairo_restore(ctx->cr);
    ctx->clip_depth--;
  }
  return VB_OK;
}

/* ---- links and outline (PDF only, page level only) */

/* Appends s quoted for a cairo tag attribute string: '...' with \ and ' escaped. */
static void put_attr_string(vb_strbuf *sb, const char *s) {
  vb_strbuf_putc(sb, '\'');
  for (; *s; s++) {
    if (*s == '\\' || *s == '\'')
      vb_strbuf_putc(sb, '\\');
    vb_strbuf_putc(sb, *s);
  }
  vb_strbuf_putc(sb, '\'');
}

static int add_link(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  if (c->format != VB_FORMAT_PDF || !ctx->page)
    return VB_OK;
  vb_strbuf attrs = VB_STRBUF_INIT;
  vb_strbuf_puts(&attrs, "rect=[");
  vb_strbuf_add_num(&attrs, op->u.link.x, 3);
  vb_strbuf_putc(&attrs, ' ');
  vb_strbuf_add_num(&attrs, op->u.link.y, 3);
  vb_strbuf_putc(&attrs, ' ');
  vb_strbuf_add_num(&attrs, op->u.link.w, 3);
  vb_strbuf_putc(&attrs, ' ');
  vb_strbuf_add_num(&attrs, op->u.link.h, 3);
  if (op->u.link.page > c->base.pages) {
    /* cairo 1.16 writes no /Dest for "page=N" when page N is not drawn yet (the
     * bulletin's contents on page 1): name a destination, set when page N begins. */
    if (c->nfwd == c->capfwd) {
      c->capfwd = c->capfwd ? 2 * c->capfwd : 16;
      c->fwd = vb_xrealloc(c->fwd, c->capfwd * sizeof *c->fwd);
    }
    c->fwd[c->nfwd] = (struct fwd_dest){op->u.link.page, op->u.link.dest_y};
    vb_strbuf_printf(&attrs, "] dest='vb-dest-%zu'", c->nfwd++);
  } else if (op->u.link.page) {
    vb_strbuf_printf(&attrs, "] page=%u pos=[0 ", op->u.link.page);
    vb_strbuf_add_num(&attrs, op->u.link.dest_y, 3);
    vb_strbuf_putc(&attrs, ']');
  } else {
    vb_strbuf_puts(&attrs, "] uri=");
    put_attr_string(&attrs, op->u.link.uri ? op->u.link.uri : "");
  }
  /* cairo 1.16 writes a damaged PDF (a dangling object) for a link outside
   * any structure tag: open one "Document" element, closed at close. */
  if (!c->doc_tag) {
    cairo_tag_begin(c->cr, "Document", NULL);
    c->doc_tag = true;
  }
  cairo_tag_begin(ctx->cr, CAIRO_TAG_LINK, vb_strbuf_cstr(&attrs));
  cairo_tag_end(ctx->cr, CAIRO_TAG_LINK);
  vb_strbuf_free(&attrs);
  return VB_OK;
}

/* Outline entries are collected and handed to cairo at close, when the
 * surface is known to be healthy: cairo 1.16 crashes while finishing a PDF
 * whose first write failed after cairo_pdf_surface_add_outline was called. */
static int add_outline(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  if (c->format != VB_FORMAT_PDF || !ctx->page)
    return VB_OK;
  if (c->noutline == c->capoutline) {
    c->capoutline = c->capoutline ? 2 * c->capoutline : 16;
    c->outline = vb_xrealloc(c->outline, c->capoutline * sizeof *c->outline);
  }
  outline_entry *e = &c->outline[c->noutline++];
  e->level = op->u.outline.level < 1 ? 1 : op->u.outline.level;
  if (e->level > MAX_OUTLINE_LEVEL)
    e->level = MAX_OUTLINE_LEVEL;
  e->title = vb_xstrdup(op->u.outline.title ? op->u.outline.title : "");
  vb_strbuf dest = VB_STRBUF_INIT;
  vb_strbuf_printf(&dest, "page=%u pos=[0 ", c->base.pages);
  vb_strbuf_add_num(&dest, op->u.outline.y, 3);
  vb_strbuf_putc(&dest, ']');
  e->dest = vb_strbuf_detach(&dest);
  return VB_OK;
}

/* A level-n entry hangs under the last entry of level n-1 (or at the top). */
static void emit_outline(cairo_backend *c) {
  int ids[MAX_OUTLINE_LEVEL] = {0}; /* 0 = CAIRO_PDF_OUTLINE_ROOT */
  for (size_t i = 0; i < c->noutline; i++) {
    const outline_entry *e = &c->outline[i];
    int parent = e->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : ids[e->level - 2];
    ids[e->level - 1] = cairo_pdf_surface_add_outline(c->surface, parent, e->title, e->dest,
                                                      CAIRO_PDF_OUTLINE_FLAG_OPEN);
    for (int l = e->level; l < MAX_OUTLINE_LEVEL; l++)
      ids[l] = CAIRO_PDF_OUTLINE_ROOT;
  }
}

/* ---- groups */

static int draw_op(cairo_backend *c, draw_ctx *ctx, const vb_op *op);

/* Records a group's ops once into a recording surface (group coordinates are
 * page coordinates); pages paint it as a source, and cairo-pdf writes it once
 * as a form XObject that every page references. */
static cairo_surface_t *get_group(cairo_backend *c, draw_ctx *ctx, const vb_op *op,
                                  int *rc) {
  uint32_t id = op->u.group.group;
  c->groups = grow_cache(c->groups, &c->ngroups, id, sizeof *c->groups);
  if (c->groups[id])
    return c->groups[id];
  if (ctx->group_depth >= MAX_GROUP_DEPTH) {
    vb_diag_error(c->base.diag, op->span, "internal error: groups nested deeper than %d",
                  MAX_GROUP_DEPTH);
    *rc = VB_ELAYOUT;
    return NULL;
  }
  const vb_dlist *g = vb_resources_group(c->base.opts->res, id);
  double w = vb_dlist_width(g), h = vb_dlist_height(g);
  if (!(w > 0 && h > 0)) {
    w = 14400; /* the largest PDF page; a group without a size is not clipped */
    h = 14400;
  }
  cairo_rectangle_t ext = {0, 0, w, h};
  cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  draw_ctx gctx = {cairo_create(rec), 0, ctx->group_depth + 1, false};
  cairo_set_font_options(gctx.cr, c->fopts);
  *rc = VB_OK;
  for (size_t i = 0, n = vb_dlist_count(g); *rc == VB_OK && i < n; i++)
    *rc = draw_op(c, &gctx, vb_dlist_op(g, i));
  if (*rc == VB_OK)
    *rc = status_to_rc(c, cairo_status(gctx.cr));
  cairo_destroy(gctx.cr);
  if (*rc == VB_OK)
    *rc = status_to_rc(c, cairo_surface_status(rec));
  if (*rc < 0) {
    cairo_surface_destroy(rec);
    return NULL;
  }
  c->groups[id] = rec;
  return rec;
}

static int draw_group(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  int rc = VB_OK;
  cairo_surface_t *rec = get_group(c, ctx, op, &rc);
  if (!rec)
    return rc;
  cairo_save(ctx->cr);
  cairo_set_source_surface(ctx->cr, rec, 0, 0);
  cairo_paint(ctx->cr);
  cairo_restore(ctx->cr);
  return VB_OK;
}

static int draw_op(cairo_backend *c, draw_ctx *ctx, const vb_op *op) {
  switch (op->kind) {
  case VB_OP_GLYPHS:
    return draw_glyphs(c, ctx, op);
  case VB_OP_RECT:
    return draw_rect(ctx, op);
  case VB_OP_PATH:
    return draw_path(ctx, op);
  case VB_OP_IMAGE:
    return draw_image(c, ctx, op);
  case VB_OP_GROUP:
    return draw_group(c, ctx, op);
  case VB_OP_LINK:
    return add_link(c, ctx, op);
  case VB_OP_OUTLINE:
    return add_outline(c, ctx, op);
  case VB_OP_CLIP_PUSH:
    return push_clip(ctx, op);
  case VB_OP_CLIP_POP:
    return pop_clip(ctx);
  }
  return VB_OK;
}

/* ---- vtable */

static int cairo_be_draw(vb_backend *b, const vb_op *op) {
  cairo_backend *c = (cairo_backend *)b;
  if (!c->in_page) {
    vb_diag_error(b->diag, op->span, "internal error: drawing outside a page");
    return VB_ELAYOUT;
  }
  return draw_op(c, &c->page, op);
}

static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key, const char *value) {
  if (value && *value)
    cairo_pdf_surface_set_metadata(s, key, value);
}

static vb_backend *cairo_be_open(const vb_backend_opts *opts, vb_output out, vb_diag *d) {
  cairo_backend *c = vb_xcalloc(1, sizeof *c);
  c->out = out;
  c->format = opts->format;
  c->base.diag = d;
  c->ft = vb_xcalloc(1, sizeof *c->ft);
  c->ft->refs = 1;
  if (FT_Init_FreeType(&c->ft->lib)) {
    vb_diag_error(d, vb_span_none(), "cannot initialise FreeType");
    free(c->ft);
    free(c);
    return NULL;
  }
  c->fopts = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(c->fopts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(c->fopts, CAIRO_HINT_STYLE_NONE);
  if (c->format == VB_FORMAT_PDF) {
    /* The size is set again by every begin_page. */
    c->surface = cairo_pdf_surface_create_for_stream(write_out, c, 595.276, 841.89);
    set_meta(c->surface, CAIRO_PDF_METADATA_TITLE, opts->title);
    set_meta(c->surface, CAIRO_PDF_METADATA_AUTHOR, opts->author);
    set_meta(c->surface, CAIRO_PDF_METADATA_SUBJECT, opts->subject);
    set_meta(c->surface, CAIRO_PDF_METADATA_KEYWORDS, opts->keywords);
    set_meta(c->surface, CAIRO_PDF_METADATA_CREATOR, opts->creator);
    if (opts->date >= 0) {
      time_t t = (time_t)opts->date;
      struct tm tm;
      char iso[32];
      if (gmtime_r(&t, &tm) && strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
        cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_MOD_DATE, iso);
      }
    }
    c->cr = cairo_create(c->surface);
    cairo_set_font_options(c->cr, c->fopts);
    c->page.cr = c->cr;
    /* Errors here (a failed first write) stay sticky and surface at end_page/close. */
  }
  return &c->base;
}

static int cairo_be_begin_page(vb_backend *b, float w_pt, float h_pt) {
  cairo_backend *c = (cairo_backend *)b;
  if (!(w_pt > 0 && h_pt > 0)) {
    vb_diag_error(b->diag, vb_span_none(), "internal error: page size must be positive");
    return VB_ELAYOUT;
  }
  if (c->format == VB_FORMAT_PNG) {
    if (c->surface) {
      vb_diag_error(b->diag, vb_span_none(),
                    "png output holds one page: open one output per page");
      return VB_EUSAGE;
    }
    double dpi = b->opts->dpi > 0 ? b->opts->dpi : 150;
    double pw = ceil(w_pt * dpi / 72 - 1e-6), ph = ceil(h_pt * dpi / 72 - 1e-6);
    if (pw > MAX_PNG_PIXELS || ph > MAX_PNG_PIXELS) {
      vb_diag_error(
          b->diag, vb_span_none(),
          "page too large for png at this resolution (%.0fx%.0f pixels, at most %d)", pw,
          ph, MAX_PNG_PIXELS);
      return VB_EUSAGE;
    }
    c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
    c->cr = cairo_create(c->surface);
    cairo_set_font_options(c->cr, c->fopts);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_paint(c->cr);
    cairo_scale(c->cr, dpi / 72, dpi / 72);
    c->page.cr = c->cr;
  } else {
    cairo_pdf_surface_set_size(c->surface, w_pt, h_pt);
    for (size_t i = 0; i < c->nfwd; i++)
      if (c->fwd[i].page == b->pages) {
        vb_strbuf attrs = VB_STRBUF_INIT;
        vb_strbuf_printf(&attrs, "name='vb-dest-%zu' x=0 y=", i);
        vb_strbuf_add_num(&attrs, c->fwd[i].y, 3);
        cairo_tag_begin(c->cr, CAIRO_TAG_DEST, vb_strbuf_cstr(&attrs));
        cairo_tag_end(c->cr, CAIRO_TAG_DEST);
        vb_strbuf_free(&attrs);
      }
  }
  cairo_save(c->cr);
  c->page.clip_depth = 0;
  c->page.group_depth = 0;
  c->page.page = true;
  c->in_page = true;
  return check_cairo(c);
}

static int cairo_be_end_page(vb_backend *b) {
  cairo_backend *c = (cairo_backend *)b;
  if (!c->in_page)
    return VB_OK;
  while (c->page.clip_depth > 0)
    pop_clip(&c->page);
  cairo_restore(c->cr);
  c->in_page = false;
  if (c->format == VB_FORMAT_PNG) {
    int rc = check_cairo(c);
    if (rc < 0)
      return rc;
    cairo_surface_flush(c->surface);
    return status_to_rc(c, cairo_surface_write_to_png_stream(c->surface, write_out, c));
  }
  cairo_show_page(c->cr);
  return check_cairo(c);
}

static int cairo_be_close(vb_backend *b) {
  cairo_backend *c = (cairo_backend *)b;
  if (c->closed)
    return VB_OK;
  c->closed = true;
  int rc = VB_OK;
  if (c->in_page)
    rc = cairo_be_end_page(b);
  if (c->format == VB_FORMAT_PDF) {
    if (c->doc_tag)
      cairo_tag_end(c->cr, "Document");
    if (rc == VB_OK)
      rc = check_cairo(c);
    if (rc == VB_OK)
      emit_outline(c);
    cairo_surface_finish(c->surface);
    if (rc == VB_OK)
      rc = check_cairo(c);
  }
  c->out_closed = true;
  return rc;
}

static void cairo_be_free(vb_backend *b) {
  cairo_backend *c = (cairo_backend *)b;
  c->out_closed = true; /* an unfinished PDF surface must not write on destroy */
  if (c->cr)
    cairo_destroy(c->cr);
  if (c->surface)
    cairo_surface_destroy(c->surface);
  for (uint32_t i = 0; i < c->nimages; i++)
    if (c->images[i].surf)
      cairo_surface_destroy(c->images[i].surf);
  for (uint32_t i = 0; i < c->ngroups; i++)
    if (c->groups[i])
      cairo_surface_destroy(c->groups[i]);
  for (uint32_t i = 0; i < c->nfaces; i++)
    if (c->faces[i])
      cairo_font_face_destroy(c->faces[i]);
  for (size_t i = 0; i < c->noutline; i++) {
    free(c->outline[i].title);
    free(c->outline[i].dest);
  }
  free(c->outline);
  free(c->fwd);
  free(c->images);
  free(c->groups);
  free(c->faces);
  cairo_font_options_destroy(c->fopts);
  ft_unref(c->ft);
  free(c);
}

const vb_backend_class vb_cairo_backend = {
    .name = "cairo",
    .caps = VB_CAP_GLYPH_IDS | VB_CAP_LINKS | VB_CAP_OUTLINE | VB_CAP_GROUPS |
            VB_CAP_VECTOR_SVG,
    .formats = 1u << VB_FORMAT_PDF | 1u << VB_FORMAT_PNG,
    .open = cairo_be_open,
    .begin_page = cairo_be_begin_page,
    .draw_glyphs = cairo_be_draw,
    .draw_rect = cairo_be_draw,
    .draw_path = cairo_be_draw,
    .draw_image = cairo_be_draw,
    .draw_group = cairo_be_draw,
    .push_clip = cairo_be_draw,
    .pop_clip = cairo_be_draw,
    .add_link = cairo_be_draw,
    .add_outline = cairo_be_draw,
    .end_page = cairo_be_end_page,
    .close = cairo_be_close,
    .free = cairo_be_free,
};

unsigned char *vb_backend_rasterize_svg(const char *file, double css_w, double css_h,
                                        int w, int h, vb_diag *d, vb_span span) {
  GError *err = NULL;
  const char *why = NULL;
  unsigned char *rgba = NULL;
  cairo_surface_t *s = NULL;
  RsvgHandle *handle = NULL;
  if (w <= 0 || h <= 0 || w > MAX_PNG_PIXELS || h > MAX_PNG_PIXELS) {
    why = "raster size out of range";
    goto out;
  }
  handle = rsvg_handle_new_from_file(file, &err);
  if (!handle)
    goto out;
  s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status(s)) {
    why = cairo_status_to_string(cairo_surface_status(s));
    goto out;
  }
  cairo_t *cr = cairo_create(s);
  cairo_scale(cr, w / (css_w > 0 ? css_w : w), h / (css_h > 0 ? css_h : h));
  RsvgRectangle viewport = {0, 0, css_w > 0 ? css_w : w, css_h > 0 ? css_h : h};
  gboolean ok = rsvg_handle_render_document(handle, cr, &viewport, &err);
  cairo_destroy(cr);
  if (!ok)
    goto out;
  cairo_surface_flush(s);
  const unsigned char *src = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  rgba = vb_xmalloc((size_t)w * h * 4);
  for (int y = 0; y < h; y++) {
    const uint32_t *sp = (const uint32_t *)(const void *)(src + (size_t)y * stride);
    unsigned char *dp = rgba + (size_t)y * w * 4;
    for (int x = 0; x < w; x++, dp += 4) {
      uint32_t px = sp[x], a = px >> 24;
      /* un-premultiply */
      for (int c = 0; c < 3; c++) {
        uint32_t v = (px >> (16 - 8 * c)) & 0xff;
        dp[c] = (unsigned char)(a ? (v * 255 + a / 2) / a : 0);
      }
      dp[3] = (unsigned char)a;
    }
  }
out:
  if (!rgba) {
    vb_diag_error(d, span, "cannot read image '%s': %s", file,
                  err ? err->message : why ? why : "cannot render");
  }
  g_clear_error(&err);
  if (handle)
    g_object_unref(handle);
  if (s)
    cairo_surface_destroy(s);
  return rgba;
}

const char *vb_backend_versions(void) {
  static char buf[128];
  if (!buf[0])
    snprintf(buf, sizeof buf, "cairo %s\nlibharu %s\n", CAIRO_VERSION_STRING,
             vb_haru_version());
  return buf;
}
