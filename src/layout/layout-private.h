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

/* ---- line breaking (linebreak.c): Vietnamese rules for where a line may end,
 * and the choice among those places. Pure functions on NFC UTF-8 text; the
 * typesetter (flow.c) measures with Pango and applies them to every paragraph
 * that needs more than one line (README, "Line breaking"). */

/** What a space between two words allows. */
typedef enum {
  VB_BREAK_NO = 0, /* never: not a gap, or a rule forbids it */
  VB_BREAK_AVOID,  /* inside a name the record gives: only if no line count fits otherwise */
  VB_BREAK_LATE,   /* allowed at a cost (inside a two-word unit: "35/39 công / trình") */
  VB_BREAK_YES
} vb_break_kind;

/** A byte range [start, end) of a text. */
typedef struct vb_range {
  uint32_t start, end;
} vb_range;

/** Classifies the gaps of text[0, len): kinds[i] (len entries, caller owns) is
 *  set for the byte i that starts each run of spaces between two words, and is
 *  VB_BREAK_NO everywhere else. A line never starts with a dash, closing
 *  punctuation, '%' or '/', never ends with opening punctuation; a number stays
 *  with the word that introduces it ("ngày 05", "Số: 05/BB-UBND", "Phường 11")
 *  and a number not so held stays with its unit ("500 bản", "89,74 %"), "14 giờ 30"
 *  stays whole, "TM."/"KT."/"T/M"/"K/T" stay with the next word; a gap inside one
 *  of `keeps` (names) is VB_BREAK_AVOID. Only spaces break: a document number
 *  ("04-KH/ĐU") or a date ("05/11/2024") has none. Never fails. */
void vb_breaks_classify(const char *text, size_t len, const vb_range *keeps, size_t nkeeps,
                        uint8_t *kinds);

/** Finds, case-insensitively and on word boundaries, each occurrence in text of
 *  each of `names` that has a space in it (one word needs no keeping) and writes
 *  up to `cap` ranges to `out`. Returns the count written. */
size_t vb_breaks_find_names(const char *text, size_t len, const char *const *names,
                            size_t nnames, vb_range *out, size_t cap);

/** One place a line may end: the line before ends at x0, the next starts at x1
 *  (positions along the text set on one line, in any unit). */
typedef struct vb_break_cand {
  float x0, x1;
  uint8_t kind; /* vb_break_kind */
} vb_break_cand;

typedef enum {
  VB_BREAK_BALANCED, /* centred text: lines of about equal length */
  VB_BREAK_RAGGED    /* running text: full lines, the last one may be short */
} vb_break_mode;

/** Chooses line ends among `n` candidates (ascending x) for a paragraph `total`
 *  wide set on lines `first_w` (the first) and `w` (the others) wide: the fewest
 *  breaks inside names, then the fewest lines, then the least squared slack (of
 *  every line when balanced, of all but the last when ragged). Writes the
 *  chosen candidate indices, ascending, to `out` (n entries, caller owns) and
 *  returns their count; -1 when a piece between allowed breaks is wider than its
 *  line (the caller falls back or reports). */
int vb_breaks_choose(const vb_break_cand *cands, size_t n, float total, float first_w,
                     float w, vb_break_mode mode, size_t *out);

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

/** A length as written: points, or a percentage of the containing width. */
typedef struct vb_len {
  double v;
  bool pct;
  bool set;
} vb_len;

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
  vb_len measure;     /* widest line (pt or % of the box); unset: the box */
} vb_style;

/** What `fit:` tries first when a text is too long for its box. */
typedef enum {
  VB_FIT_WRAP = 0, /* running text: wrap at the style's size up to `lines`, then shrink */
  VB_FIT_SHRINK    /* names: shrink on one line down to `min`, then two lines, ... */
} vb_fit_first;

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
  VB_T_RECT,
  VB_T_FORM /* `form: PART`: the blocks the record's award form gives PART */
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
  bool paragraphs;    /* each line of the text is a paragraph of its own */
  bool required;      /* every field the text names must be there */
  vb_fit_first fit_first;
  /* RULE: width (pt, % or 0 = as wide as the previous text line), thickness */
  vb_len width;
  double of_text;     /* RULE: > 0: this share of the previous text's width */
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
  const char *is;     /* IF: compare the field's text with this (NULL: present?) */
  bool negate;
  const char *as;
  /* PATH / RECT */
  vb_path_el *els;
  uint32_t nels;
  vb_color fill, stroke;
  double line_width;
  bool outline;       /* BOX: draw its outline (debugging, calibration) */
  bool sheet_mm;      /* SPACE: a length on the sheet, not scaled with --paper (the seal's room) */
  /* BOX placed `below:` an earlier box: its top is that box's bottom plus `gap`, a
   * length on the sheet that --paper does not scale (y then holds the layout's own
   * figure: below->y + below->h + gap) */
  const vb_tnode *below;
  double below_gap;
};

/** What a bulletin layout (document: bulletin) adds: its `bulletin:` section
 *  and the styles the article flow uses, by fixed name (see layouts/ban-tin.yaml). */
typedef struct vb_bulletin_spec {
  int columns;          /* 1..3 */
  double gutter;        /* pt between columns */
  double rule;          /* gutter rule width, pt; 0 = none */
  bool photo_wide;      /* photos span every column unless the record says otherwise */
  double photo_max;     /* a photo's height at most this fraction of the column height */
  int max_pages;        /* at most 64 (Luật Báo chí 2016, Điều 34) */
  double band_gap;      /* pt between one article and the next */
  const vb_style *headline, *lead, *body, *list, *byline, *caption, *jump, *footer,
      *contents_title, *contents_entry, *licence;
  vb_span span;         /* the `bulletin:` key */
} vb_bulletin_spec;

/** One part of an award form's wording (`forms: {tuyên dương: {heading: [...]}}`). */
typedef struct vb_form_part {
  const char *form; /* folded: "tuyên dương" */
  const char *part; /* "heading" */
  vb_tnode *blocks;
} vb_form_part;

struct vb_layout {
  vb_arena *arena;
  vb_bulletin_spec *bulletin; /* document: bulletin only */
  const char *path;
  const char *name;
  const char *description;
  const char *document;
  const char **forms;      /* NULL-terminated */
  vb_form_part *form_parts; /* the wording of each form, by part */
  size_t nform_parts;
  const char **option_names; /* `options:` of the layout, fields layout.NAME; NULL-terminated */
  vb_value *option_values;   /* strings: "1" true, "" false, or the text */
  size_t noptions;
  double page_w, page_h;   /* pt, as designed */
  double frame_x, frame_y, frame_w, frame_h; /* flow frame, pt */
  vb_valign frame_valign;
  double next_x, next_y, next_h; /* frame of later pages (same width) */
  vb_tnode *art;           /* static art, drawn once as a group */
  vb_tnode *body;          /* the flow (and positioned boxes) */
  vb_limits limits;        /* of the sources it was loaded with (images, pages) */
  vb_style *page_number;   /* NULL: no page numbers */
  int page_number_from;    /* first page that shows its number */
  double page_number_y;    /* pt from the top of the page to the number's line */
  const char *conformance; /* rule set of `vanban check --conformance` (NULL: default) */
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

/* ---- shaped paragraphs, for flows built in other files of this stage
 * (bulletin.c). A vb_para is owned by the typesetter's cache: valid until
 * vb_typesetter_free or the next vb_layout_render (which may empty the cache). */
typedef struct sh_para vb_para;
/** Shapes `text` (NFC) in style `st` (size, family, alignment, leading, indent as
 *  given: no scaling) at `width` pt (<= 0: one line). */
const vb_para *vb_para_shape(vb_typesetter *ts, const vb_style *st, const char *text,
                             size_t len, float width);
/** The resource table the typesetter registers fonts (and images) in. */
vb_resources *vb_typesetter_resources(vb_typesetter *ts);
size_t vb_para_nlines(const vb_para *p);
float vb_para_height(const vb_para *p);
float vb_para_max_width(const vb_para *p);
/** A line is wider than the width (a word that cannot break). */
bool vb_para_overflow(const vb_para *p);
/** Top and bottom of line i from the paragraph's top (i == nlines: the height). */
float vb_para_line_top(const vb_para *p, size_t i);
float vb_para_line_bottom(const vb_para *p, size_t i);
/** The first character no bundled font has (and its byte offset), or 0. */
uint32_t vb_para_missing(const vb_para *p, size_t *offset);
/** Emits lines [l0, l1) with the top of line l0 at (x, y). */
void vb_para_emit(vb_dlist *dl, const vb_para *p, size_t l0, size_t l1, float x, float y,
                  const char *role, vb_span span, vb_color color);
/** Lays out template blocks (a layout's `body`) for `scope` in a box of width w
 *  at (x, y) on dl (NULL: measure only); sets *height. VB_OK or VB_ERECORD
 *  (reported). */
int vb_layout_render_blocks(vb_layout *l, vb_typesetter *ts, const vb_scope *scope,
                            const vb_tnode *blocks, float x, float y, float w, vb_dlist *dl,
                            float *height, vb_diag *d);

#endif
