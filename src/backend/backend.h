/* backend.h - vanban backend stage: the vtable every output implements, the
 * registry, the wrappers callers use and the one replay function. Backends see
 * only display lists and resources, never records, layouts or Pango. */
#ifndef VB_BACKEND_BACKEND_H
#define VB_BACKEND_BACKEND_H

#include "../base/base.h"
#include "../display/display.h"

/** Where bytes go: write returns 0 or -1 (the callee reported the failure). */
typedef struct vb_output {
  int (*write)(void *ctx, const void *data, size_t len);
  void *ctx;
} vb_output;

typedef enum { VB_FORMAT_PDF, VB_FORMAT_PNG, VB_FORMAT_TRACE } vb_format;

#define VB_CAP_GLYPH_IDS (1u << 0)   /* can draw glyph ids from the font file */
#define VB_CAP_LINKS (1u << 1)
#define VB_CAP_OUTLINE (1u << 2)
#define VB_CAP_GROUPS (1u << 3)      /* draw_group defines a shared form once */
#define VB_CAP_VECTOR_SVG (1u << 4)  /* draws SVG images as vectors */
#define VB_CAP_ONE_PAGE (1u << 5)    /* one output per page (PNG) */

/** What one backend instance leaves for the next in the same run: the font faces
 *  it loaded, with the glyph outlines and metrics cairo keeps on them (one file
 *  per document opens a backend for every file). Owned by the caller, who frees
 *  it after the last backend that used it is freed. */
typedef struct vb_backend_cache vb_backend_cache;

typedef struct vb_backend_opts {
  vb_format format;
  vb_backend_cache *cache;      /* borrowed; NULL: each instance loads its own */
  const vb_resources *res;      /* borrowed; may grow between pages */
  const vb_sources *sources;    /* borrowed; for spans in traces; may be NULL */
  const char *title, *author, *subject, *keywords, *creator; /* may be NULL */
  long long date;               /* creation date, Unix seconds; -1 = none */
  double dpi;                   /* PNG resolution (default 150) */
  /* haru only (other backends ignore them; the CLI refuses them elsewhere) */
  bool pdfa;                    /* PDF/A-1b: XMP, sRGB output intent, no transparency */
  const char *user_password;    /* non-NULL: encrypt (RC4 128-bit, revision 3) */
  const char *owner_password;   /* NULL: derived from the user password and file ID */
  unsigned permissions;         /* VB_PERM_* granted to a user-password reader */
} vb_backend_opts;

#define VB_PERM_PRINT (1u << 0)    /* print, at full quality */
#define VB_PERM_COPY (1u << 1)     /* copy text and images */
#define VB_PERM_EDIT (1u << 2)     /* change the document, insert/rotate pages */
#define VB_PERM_ANNOTATE (1u << 3) /* add annotations, fill forms */

typedef struct vb_backend vb_backend;
typedef struct vb_backend_class vb_backend_class;

struct vb_backend_class {
  const char *name;
  unsigned caps;
  unsigned formats; /* bit (1u << vb_format) for each format it writes */
  /** Returns a new instance or NULL (reported). `out` is borrowed until close. */
  vb_backend *(*open)(const vb_backend_opts *opts, vb_output out, vb_diag *d);
  int (*begin_page)(vb_backend *b, float w_pt, float h_pt);
  int (*draw_glyphs)(vb_backend *b, const vb_op *op);
  int (*draw_rect)(vb_backend *b, const vb_op *op);
  int (*draw_path)(vb_backend *b, const vb_op *op);
  int (*draw_image)(vb_backend *b, const vb_op *op);
  int (*draw_group)(vb_backend *b, const vb_op *op);
  int (*push_clip)(vb_backend *b, const vb_op *op);
  int (*pop_clip)(vb_backend *b, const vb_op *op);
  int (*add_link)(vb_backend *b, const vb_op *op);
  int (*add_outline)(vb_backend *b, const vb_op *op);
  int (*end_page)(vb_backend *b);
  /** Finishes the output (may fail: VB_EIO, reported). */
  int (*close)(vb_backend *b);
  /** Releases everything; never fails; safe after a failed close. */
  void (*free)(vb_backend *b);
};

/** Every instance struct embeds this as its first member. */
struct vb_backend {
  const vb_backend_class *cls;
  const vb_backend_opts *opts; /* copy kept by the wrapper */
  vb_diag *diag;
  int error; /* first failure (VB_E*), sticky */
  unsigned pages;
};

/* ---- cache */
/** An empty cache (never fails). */
vb_backend_cache *vb_backend_cache_new(void);
/** Releases what backends kept in `c` (NULL is a no-op). */
void vb_backend_cache_free(vb_backend_cache *c);

/* ---- registry */
/** NULL-terminated table of every backend class. */
const vb_backend_class *const *vb_backend_list(void);
/** By name ("cairo", "trace", ...), NULL if unknown. */
const vb_backend_class *vb_backend_find(const char *name);
/** The default class for a format (pdf/png → cairo, trace → trace). */
const vb_backend_class *vb_backend_for_format(vb_format f);
int vb_format_from_name(const char *name, vb_format *f); /* 0 or -1 */
/** "pdf", "png" or "trace" (static string). */
const char *vb_format_name(vb_format f);
/** The caps of `cls` when writing format `f`: PNG adds VB_CAP_ONE_PAGE (open one
 *  instance per page; a second begin_page fails) and drops LINKS and OUTLINE. */
unsigned vb_backend_format_caps(const vb_backend_class *cls, vb_format f);

/* ---- wrappers: never call b->cls->slot directly. An empty slot is a no-op or
 * a documented fallback (draw_group without VB_CAP_GROUPS replays the group's
 * ops). After the first failure every call returns that error at once. */
vb_backend *vb_backend_open(const vb_backend_class *cls, const vb_backend_opts *opts,
                            vb_output out, vb_diag *d);
int vb_backend_begin_page(vb_backend *b, float w_pt, float h_pt);
int vb_backend_draw(vb_backend *b, const vb_op *op); /* dispatch on op->kind */
int vb_backend_end_page(vb_backend *b);
int vb_backend_close(vb_backend *b);
void vb_backend_free(vb_backend *b);

/** Replays one page: begin_page, every op, end_page. Returns VB_OK or the error. */
int vb_backend_run_page(vb_backend *b, const vb_dlist *page);

/** Versions of the drawing libraries, one "name version\n" line each. */
const char *vb_backend_versions(void);

/** Parses "print,copy,edit,annotate" (any subset, comma-separated, "none" for
 *  none) into VB_PERM_* bits. Returns 0, or -1 with *bad at the unknown word. */
int vb_backend_parse_permissions(const char *s, unsigned *perms, const char **bad);

/** Rasterises an SVG file through librsvg/cairo (in cairo.c) into w x h
 *  pixels of straight (not premultiplied) RGBA, rows top to bottom, the SVG's
 *  css_w x css_h document scaled to fill them. Returns a new buffer (caller
 *  frees) or NULL after reporting "cannot read image 'x': reason" at span. */
unsigned char *vb_backend_rasterize_svg(const char *file, double css_w, double css_h,
                                        int w, int h, vb_diag *d, vb_span span);

extern const vb_backend_class vb_cairo_backend;
extern const vb_backend_class vb_haru_backend;
extern const vb_backend_class vb_trace_backend;

#endif
