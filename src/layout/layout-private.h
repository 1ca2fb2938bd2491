/* layout-private.h - helpers shared among the layout stage's files only. */
#ifndef VB_LAYOUT_LAYOUT_PRIVATE_H
#define VB_LAYOUT_LAYOUT_PRIVATE_H

#include "../base/base.h"
#include "../input/input.h"

/* ---- filters (filters.c): Vietnamese text filters for {{field | filter}}.
 * Every filter takes the field's text (NFC UTF-8, "" when the field is absent)
 * and zero or more string arguments, and appends its result to `out`. */

/** Checks that filter `name` exists and accepts `nargs` arguments. Returns 0, or
 *  -1 with a message in `err` ("unknown filter 'x' (did you mean 'upper'?)",
 *  "filter 'date' takes no argument"). */
int vb_filter_check(const char *name, size_t nargs, vb_strbuf *err);
/** Applies filter `name` to `in`. Returns 0, or -1 with a message in `err` that
 *  names the value ("'2024-13-01' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"). */
int vb_filter_apply(const char *name, const char *in, size_t nargs, const char *const *args,
                    vb_strbuf *out, vb_strbuf *err);
/** NULL-terminated list of filter names (for help and "did you mean"). */
const char *const *vb_filter_names(void);



#include "layout.h"

/* ---- templates (template.c): a layout file parsed and checked */

/** A filter call inside {{ }}: name and arguments (literal or field path). */
typedef struct vb_targ {
  const char *lit;  /* literal argument, or NULL */
  const char *path; /* field path argument, or NULL */
  vb_span span;
} vb_targ;
typedef struct vb_tfilter {
  const char *name;
  vb_targ *args;
  size_t nargs;
  vb_span span;
} vb_tfilter;
/** One piece of a text template: a literal, or a field with filters. */
typedef struct vb_tpart {
  const char *lit;  /* literal text, or NULL */
  const char *path; /* field path, or NULL */
  vb_span span;     /* in the layout file */
  vb_tfilter *filters;
  size_t nfilters;
} vb_tpart;
typedef struct vb_ttext {
  vb_tpart *parts;
  size_t nparts;
  vb_span span;
  bool fixed; /* no fields: the same for every record */
} vb_ttext;

/** Parses one text template (a STRING node: "Số {{ event.number | pad: \"2\" }}")
 *  the way a layout's text field is parsed: field paths checked against the
 *  record fields, filters against their names and arities, every error
 *  reported at its span in v's source. Parts go into `arena` (borrowed). Returns
 *  the number of errors reported (0: *out is usable). For tests and fuzzing. */
int vb_ttext_parse(vb_sources *sources, const vb_value *v, vb_arena *arena, vb_ttext *out,
                   vb_diag *d);

typedef enum { VB_ALIGN_LEFT, VB_ALIGN_CENTER, VB_ALIGN_RIGHT, VB_ALIGN_JUSTIFY } vb_align;
typedef enum { VB_VALIGN_TOP, VB_VALIGN_MIDDLE, VB_VALIGN_BOTTOM } vb_valign;

typedef struct vb_style {
  const char *name;
  const char *family; /* resolved family name */
  int weight;         /* 400 normal, 700 bold */
  bool italic;
  double size;        /* pt */
  vb_color color;
  vb_align align;
  double leading;     /* line height as a multiple of the font's own (1 = single) */
  double indent;      /* first-line indent, pt */
  double space_before, space_after; /* pt */
  bool upper;         /* upper-case the text */
  bool keep;          /* keep together (and with next) when paginating */
} vb_style;

/** A length as written: points, or a percentage of the containing width. */
typedef struct vb_len {
  double v;
  bool pct;
  bool set;
} vb_len;

typedef enum {
  VB_T_TEXT,
  VB_T_RULE,
  VB_T_SPACE,
  VB_T_ROW,
  VB_T_COLUMN,
  VB_T_IMAGE,
  VB_T_IF,
  VB_T_REPEAT,
  VB_T_BOX,
  VB_T_PATH,
  VB_T_RECT
} vb_tkind;

typedef struct vb_tnode vb_tnode;
struct vb_tnode {
  vb_tkind kind;
  vb_span span;
  const char *role;
  vb_tnode *next;     /* next sibling */
  vb_tnode *children; /* ROW: columns; COLUMN/IF/REPEAT/BOX: blocks */
  vb_tnode *otherwise; /* IF: else blocks */
  /* TEXT */
  vb_ttext text;
  vb_style style;
  double fit_min;     /* smallest size allowed, pt (== style.size: no shrinking) */
  int max_lines;      /* 0 = unlimited */
  /* RULE: width (pt, % or 0 = as wide as the previous text line), thickness */
  vb_len width;
  double thickness;
  vb_color color;
  vb_align align;
  double space_before, space_after;
  /* SPACE: height; BOX/RECT/IMAGE(absolute): x, y, w, h in pt */
  double x, y, w, h;
  bool absolute;      /* IMAGE placed at x,y instead of in the flow */
  vb_valign valign;
  /* IMAGE */
  vb_ttext file;
  vb_len img_w, img_h;
  /* IF / REPEAT */
  const char *path;
  bool negate;
  const char *as;
  /* PATH / RECT */
  vb_path_el *els;
  uint32_t nels;
  vb_color fill, stroke;
  double line_width;
  bool outline;       /* BOX: draw its outline (debugging, calibration) */
};

struct vb_layout {
  vb_arena *arena;
  const char *path;
  const char *name;
  const char *description;
  const char *document;
  const char **forms;      /* NULL-terminated */
  double page_w, page_h;   /* pt, as designed */
  double frame_x, frame_y, frame_w, frame_h; /* flow frame, pt */
  vb_valign frame_valign;
  double next_x, next_y, next_h; /* frame of later pages (same width) */
  vb_tnode *art;           /* static art, drawn once as a group */
  vb_tnode *body;          /* the flow (and positioned boxes) */
  vb_limits limits;        /* of the sources it was loaded with (images, pages) */
  /* groups made from `art`, per scale and offset */
  struct {
    double scale, ox, oy;
    uint32_t id;
  } groups[4];
  size_t ngroups;
};

/** Paper sizes in mm: "A3", "A4", "A5", "B5", "Letter"... 0 or -1. */
int vb_paper_size(const char *name, double *w_mm, double *h_mm);

/* ---- typesetter internals (flow.c) used by template.c */
/** Maps an alias ("Times New Roman", "serif") to a bundled family name and
 *  checks that it exists. Returns the family (static or owned by ts) or NULL. */
const char *vb_typesetter_family(vb_typesetter *ts, const char *family);

#endif
