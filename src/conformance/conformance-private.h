/* conformance-private.h - conformance stage: the document model the rules read
 * (lines joined from glyph runs, rules and boxes, each page's frame), the fonts'
 * facts read from their files, and the helpers rules report through. */
#ifndef VB_CONFORMANCE_CONFORMANCE_PRIVATE_H
#define VB_CONFORMANCE_CONFORMANCE_PRIVATE_H

#include "conformance.h"

#include <glib.h>

#define CK_MM (72.0 / 25.4)

/** What a font file says of itself (OS/2, hhea, head, name tables). */
typedef struct ck_font {
  bool read;          /* the file could be read as an sfnt */
  bool bold, italic;  /* OS/2 weight >= 600 or fsSelection bold; fsSelection italic/oblique */
  double asc, desc;   /* hhea ascender and descender, in em (desc < 0) */
  char family[64];    /* typographic (16) or family (1) name */
} ck_font;

/** A text line: consecutive glyph runs of one role on one baseline, side by side. */
typedef struct ck_line {
  unsigned page;      /* 1-based */
  const char *role;   /* "" when the op had none */
  char *text;         /* the runs' text joined (NFC as the display list holds it) */
  double x0, x1;      /* left end of the first run, end of the last run's ink */
  double y;           /* baseline */
  double size, size_min; /* largest and smallest em size of its runs */
  bool bold, italic;  /* every run bold / italic */
  bool tnr;           /* every run in Times New Roman or a face with its metrics */
  bool black;         /* every run black */
  vb_color color;     /* the first run's colour */
  const ck_font *font; /* the first run's font */
  vb_span span;       /* the first run's span */
  unsigned nth;       /* occurrence of (role, span) on its page, from 0 */
} ck_line;

typedef struct ck_rect {
  unsigned page;
  const char *role;
  double x, y, w, h;
  bool art; /* a path, a group or a rectangle with role "art" (an ornament) */
} ck_rect;

typedef struct ck_page {
  double w, h;
  bool has_frame;
  double fx, fy, fw, fh;
  size_t line0, line1; /* its lines are lines[line0 .. line1) */
  size_t rect0, rect1;
} ck_page;

typedef struct ck_doc {
  const char *label;
  ck_page *pages;
  size_t npages;
  ck_line *lines;
  size_t nlines;
  ck_rect *rects;
  size_t nrects;
} ck_doc;

typedef struct ck_ctx ck_ctx;
typedef void (*ck_rule_fn)(ck_ctx *c, const ck_doc *d);

/** A rule: what it says and the function that checks it. */
typedef struct ck_rule {
  vb_rule_info info;
  ck_rule_fn fn;
} ck_rule;

/** A rule set: its name and its rules. */
typedef struct ck_ruleset {
  const char *name;
  const ck_rule *rules;
  size_t n;
} ck_ruleset;

extern const ck_ruleset vb_ck_nd30_minutes, vb_ck_hd36_minutes, vb_ck_certificate,
    vb_ck_certificate_party, vb_ck_certificate_overlay, vb_ck_bulletin;

/** Records a failure of the rule being checked, on `page` (0: the document),
 *  at `element` (a role and the text, or NULL), the printf part saying what was
 *  measured and what is allowed. Only the first is kept in full; all are counted. */
void ck_fail(ck_ctx *c, const ck_doc *d, unsigned page, const ck_line *element,
             const char *fmt, ...) VB_PRINTF(5, 6);
/** The same, naming the element by a free text ("text frame", "rule issuer.rule"). */
void ck_fail_at(ck_ctx *c, const ck_doc *d, unsigned page, const char *element,
                const char *fmt, ...) VB_PRINTF(5, 6);
/** State a rule keeps across the documents of one checker (a string-keyed table
 *  of heap values, freed with the checker). */
GHashTable *ck_state(ck_ctx *c);

/* ---- rules every rule set shares (rules-minutes.c) */
/** All text is NFC (§5.2). */
void vb_ck_text_nfc(ck_ctx *c, const ck_doc *d);
/** No U+00D0 for Đ (§5.3). */
void vb_ck_text_dstroke(ck_ctx *c, const ck_doc *d);
/** Dates "ngày DD tháng M năm YYYY" (§1.5). */
void vb_ck_date_form(ck_ctx *c, const ck_doc *d);

/* ---- finding things */
/** The lines of `role` on `page` (0: any page), in order: fills `out` (caller
 *  frees with g_ptr_array_free(…, TRUE)), of borrowed ck_line pointers. */
GPtrArray *ck_lines(const ck_doc *d, unsigned page, const char *role);
/** The first line of `role` (any page), or NULL. */
const ck_line *ck_line_first(const ck_doc *d, const char *role);
/** The first rect of `role`, or NULL. */
const ck_rect *ck_rect_first(const ck_doc *d, const char *role);
/** The line's top and bottom (baseline minus the ascender, minus the descender). */
double ck_line_top(const ck_line *l);
double ck_line_bottom(const ck_line *l);
/** Whether the text has no lower-case letter. */
bool ck_is_upper(const char *s);
/** Whether `s` matches the PCRE `re` (UTF-8, anchored as written). */
bool ck_match(const char *re, const char *s);
/** v with `decimals` digits after the point, locale-free (one of eight buffers of
 *  the context, reused in turn). */
const char *ck_num(ck_ctx *c, double v, int decimals);
/** "30-35" (or "13" when lo == hi), in one of the same buffers. */
const char *ck_range(ck_ctx *c, double lo, double hi, int decimals);
/** "“CỘNG HÒA XÃ HỘI…”": the line's text, cut at 40 characters (static buffer
 *  of the context: valid until the next call). */
const char *ck_short(ck_ctx *c, const char *s);

#endif
