/* display.h - vanban display stage: pages of positioned drawing operations, the
 * only contract between layout and output; plus the resource table (fonts,
 * images, groups) that pages share, image probing, and the stable text dump.
 * Coordinates are PostScript points, origin at the top-left of the page, y down. */
#ifndef VB_DISPLAY_DISPLAY_H
#define VB_DISPLAY_DISPLAY_H

#include "../base/base.h"

typedef struct vb_color {
  float r, g, b, a; /* 0..1; a == 0 means "none" */
} vb_color;

/* ---- resources: defined once per document, referenced by id from pages */
typedef enum { VB_IMAGE_PNG, VB_IMAGE_JPEG, VB_IMAGE_SVG } vb_image_kind;

typedef struct vb_font_res {
  const char *file; /* absolute path of the font file */
  int index;        /* face index in the file */
} vb_font_res;

typedef struct vb_image_res {
  const char *file; /* path as given (resolved) */
  vb_image_kind kind;
  double width, height; /* intrinsic size: pixels (PNG/JPEG) or CSS px (SVG) */
} vb_image_res;

typedef struct vb_dlist vb_dlist;
typedef struct vb_resources vb_resources;

vb_resources *vb_resources_new(void);
void vb_resources_free(vb_resources *r);
/** Returns the id of (file, index), adding it once. */
uint32_t vb_resources_add_font(vb_resources *r, const char *file, int index);
/** Returns the id of the image at `file`, adding it once (probe it first). */
uint32_t vb_resources_add_image(vb_resources *r, const char *file, vb_image_kind kind,
                                double width, double height);
/** Notes an image file that was read and refused (broken, over a limit): not
 *  drawn, but an input all the same, so no output may replace it. */
void vb_resources_add_refused(vb_resources *r, const char *file);
uint32_t vb_resources_refused_count(const vb_resources *r);
const char *vb_resources_refused(const vb_resources *r, uint32_t i);
/** Adds a group (ops drawn once and referenced from many pages, in page
 *  coordinates). Takes ownership of `ops`. Returns its id. */
uint32_t vb_resources_add_group(vb_resources *r, vb_dlist *ops);
uint32_t vb_resources_font_count(const vb_resources *r);
uint32_t vb_resources_image_count(const vb_resources *r);
uint32_t vb_resources_group_count(const vb_resources *r);
const vb_font_res *vb_resources_font(const vb_resources *r, uint32_t id);
const vb_image_res *vb_resources_image(const vb_resources *r, uint32_t id);
const vb_dlist *vb_resources_group(const vb_resources *r, uint32_t id);

/** Reads an image's kind and intrinsic size (PNG and JPEG headers; SVG through
 *  librsvg). Reports "cannot open image 'x': reason" at `span` and returns -1
 *  on failure, 0 on success. */
int vb_image_probe(const char *file, vb_image_kind *kind, double *width, double *height,
                   vb_diag *d, vb_span span);
/** vb_image_probe, then the whole file checked within `limits` (NULL: the
 *  defaults), so an image that cannot be drawn fails here, when a record is
 *  bound, and not while the PDF is written: a regular file of at most
 *  image-bytes; PNG: at most image-pixels, every chunk complete with a good
 *  CRC, the image data inflating to exactly the rows its header promises, an
 *  IEND; JPEG: at most image-pixels, segments complete up to the EOI marker;
 *  SVG: parsed by librsvg, at most svg-elements elements, a canvas of at most
 *  svg-canvas px a side and a filter cost within budget. Reports
 *  "file:line:col: error: ..." at `span` naming the file; 0 or -1. */
int vb_image_check(const char *file, const vb_limits *limits, vb_image_kind *kind,
                   double *width, double *height, vb_diag *d, vb_span span);
/** Resolves `file`, as written in a record, against `dir`, the record file's
 *  folder. Unless `allow_outside`, refuses an absolute path, a '..' component
 *  and a symbolic link on the way, appending the reason to `why` and returning
 *  NULL. Returns a new path (caller frees). */
char *vb_image_resolve(const char *dir, const char *file, bool allow_outside, vb_strbuf *why);
/** Largest area, in pixels, an SVG is rasterised at (its filters are drawn at
 *  this resolution at most; vector content is unaffected). */
#define VB_SVG_RASTER_PIXELS 1000000.0

/* ---- operations */
typedef enum {
  VB_OP_GLYPHS,
  VB_OP_RECT,
  VB_OP_PATH,
  VB_OP_IMAGE,
  VB_OP_GROUP,
  VB_OP_LINK,
  VB_OP_OUTLINE,
  VB_OP_CLIP_PUSH,
  VB_OP_CLIP_POP
} vb_op_kind;

typedef struct vb_glyph {
  uint32_t id; /* glyph index in the font */
  float x, y;  /* offset of the glyph origin from the run origin */
} vb_glyph;

typedef enum { VB_PATH_MOVE, VB_PATH_LINE, VB_PATH_CURVE, VB_PATH_CLOSE } vb_path_cmd;
typedef struct vb_path_el {
  vb_path_cmd cmd;
  float pt[6]; /* MOVE/LINE: x,y; CURVE: x1,y1,x2,y2,x,y */
} vb_path_el;

typedef struct vb_op {
  vb_op_kind kind;
  const char *role; /* layout role, e.g. "recipient.name", "border"; may be NULL */
  vb_span span;     /* record field or layout node that produced it; may be unset */
  union {
    struct {
      uint32_t font; /* resource id */
      float size;    /* em size in pt */
      vb_color color;
      float x, y; /* run origin: left end of the baseline */
      uint32_t n;
      const vb_glyph *glyphs;
      const char *text; /* NFC UTF-8 the glyphs show (for search/extraction) */
      uint32_t text_len;
      const uint32_t *clusters; /* per glyph: byte offset into text of its cluster,
                                   non-decreasing */
      float width; /* advance from x to the end of the last visible glyph (0: unknown) */
    } glyphs;
    struct {
      float x, y, w, h;
      vb_color fill, stroke; /* a == 0: none */
      float line_width;
    } rect;
    struct {
      uint32_t n;
      const vb_path_el *els;
      vb_color fill, stroke;
      float line_width;
      bool even_odd;
    } path;
    struct {
      uint32_t image; /* resource id */
      float x, y, w, h;
    } image;
    struct {
      uint32_t group; /* resource id */
    } group;
    struct {
      float x, y, w, h;
      const char *uri;  /* "" for a link inside the document */
      uint32_t page;    /* inside the document: 1-based target page; 0 = uri */
      float dest_y;     /* inside the document: y on the target page */
    } link;
    struct {
      int level; /* 1 = top */
      const char *title;
      float y;
    } outline;
    struct {
      float x, y, w, h;
    } clip;
  } u;
} vb_op;

/* ---- display list: one page (or one group). Owns copies of everything. */
vb_dlist *vb_dlist_new(float width_pt, float height_pt);
void vb_dlist_free(vb_dlist *dl);
float vb_dlist_width(const vb_dlist *dl);
float vb_dlist_height(const vb_dlist *dl);
size_t vb_dlist_count(const vb_dlist *dl);
const vb_op *vb_dlist_op(const vb_dlist *dl, size_t i);
/** Each add copies `role`, arrays and strings into the list's arena. */
void vb_dlist_add_glyphs(vb_dlist *dl, const char *role, vb_span span, uint32_t font,
                         float size, vb_color color, float x, float y,
                         const vb_glyph *glyphs, uint32_t n, const char *text,
                         uint32_t text_len, const uint32_t *clusters);
void vb_dlist_add_rect(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, vb_color fill, vb_color stroke,
                       float line_width);
void vb_dlist_add_path(vb_dlist *dl, const char *role, vb_span span,
                       const vb_path_el *els, uint32_t n, vb_color fill,
                       vb_color stroke, float line_width, bool even_odd);
void vb_dlist_add_image(vb_dlist *dl, const char *role, vb_span span, uint32_t image,
                        float x, float y, float w, float h);
void vb_dlist_add_group(vb_dlist *dl, const char *role, vb_span span, uint32_t group);
void vb_dlist_add_link(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, const char *uri);
/** A link to y on page `page` (1-based) of the same document. */
void vb_dlist_add_goto(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, uint32_t page, float dest_y);
void vb_dlist_add_outline(vb_dlist *dl, const char *role, vb_span span, int level,
                          const char *title, float y);
void vb_dlist_push_clip(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                        float w, float h);
void vb_dlist_pop_clip(vb_dlist *dl);
/** Sets the width of the last op, a glyph run (no-op otherwise): how far its ink
 *  reaches from its origin, for checks of what lines and rules measure. */
void vb_dlist_set_run_width(vb_dlist *dl, float width);
/** The page's text frame (the area inside the margins), as the layout placed it;
 *  unset (w == 0) until a layout sets it. Not drawn. */
void vb_dlist_set_frame(vb_dlist *dl, float x, float y, float w, float h);
/** Gets the frame; returns false when none was set. */
bool vb_dlist_frame(const vb_dlist *dl, float *x, float *y, float *w, float *h);

/* ---- dump: stable, locale-free text form (used by the trace backend) */
/** Appends one line (with '\n') describing op: numbers with 2 decimals, fonts by
 *  file basename, spans as file:line:col (sources may be NULL), text quoted with
 *  C escapes for '"', '\\' and control characters. */
void vb_op_dump(const vb_op *op, const vb_resources *r, const vb_sources *sources,
                vb_strbuf *out);

#endif
