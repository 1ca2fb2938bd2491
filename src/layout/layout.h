/* layout.h - vanban layout stage: layouts (layouts/NAME.yaml) parsed into
 * templates, bound to record scopes and typeset with Pango into display lists.
 * Nothing outside this stage measures text. */
#ifndef VB_LAYOUT_LAYOUT_H
#define VB_LAYOUT_LAYOUT_H

#include "../base/base.h"
#include "../display/display.h"
#include "../input/input.h"
#include "../records/records.h"

typedef struct vb_layout vb_layout;
typedef struct vb_typesetter vb_typesetter;

/** Per-run choices that change where things go. */
typedef struct vb_layout_opts {
  const char *paper;          /* "A4", "A3", "A5" or NULL: the layout's own size */
  double offset_x, offset_y;  /* mm added to every position (printer shift) */
  bool draft;                 /* --draft: doc.draft is set and doc.number is blank */
} vb_layout_opts;

/* ---- typesetter: private fontconfig configuration, Pango context, caches */
/** Loads the fonts in `font_dirs` (NULL-terminated; the first that exist are
 *  used, in order) through a private fontconfig configuration that lists only
 *  them. Shaped text refers to fonts through `res` (borrowed, must outlive the
 *  typesetter). Returns NULL after reporting when no font can be loaded. */
vb_typesetter *vb_typesetter_new(const char *const *font_dirs, vb_resources *res, vb_diag *d);
void vb_typesetter_free(vb_typesetter *ts);
/** Shapes with (the default) or without ligatures (liga, clig, dlig, hlig off),
 *  for a backend that shows glyphs through code points (no VB_CAP_GLYPH_IDS).
 *  Call before anything is shaped: the paragraph caches are cleared. */
void vb_typesetter_set_ligatures(vb_typesetter *ts, bool on);
/** Development check (VANBAN_CHECK_SHAPING=1; tests/run-shaping.sh): every
 *  paragraph measured by words and built from that measure is also shaped by
 *  Pango and compared; each difference is printed on stderr, and the counts
 *  when the typesetter is freed ("N paragraphs built, N measured by words, N
 *  differ"). Slow: for tests only. */
void vb_typesetter_set_check(vb_typesetter *ts, bool on);
/** Family names the typesetter knows (caller frees with g_strfreev-like
 *  vb_typesetter_families_free). */
char **vb_typesetter_families(vb_typesetter *ts);
void vb_typesetter_families_free(char **families);

/* ---- layouts */
/** Resolves a layout name or file: a value with '/' or ending in ".yaml" is a
 *  path; otherwise NAME.yaml is looked up in `dirs` (NULL-terminated) in order,
 *  the first that exists winning even if it is not a regular file (loading refuses
 *  it with a message). Returns a new string (caller frees) or NULL. */
char *vb_layout_resolve(const char *name, const char *const *dirs);
/** Parses and checks a layout file (fonts must resolve, fields and filters
 *  must exist). Returns NULL after reporting (callers exit 3). */
vb_layout *vb_layout_load(vb_sources *sources, const char *path, vb_typesetter *ts,
                          vb_diag *d);
/** vb_layout_load, with the layout folders (NULL-terminated, may be NULL) where
 *  named ornaments (`art: [{use: NAME}]`) are looked for as art/NAME.yaml after
 *  the layout file's own folder. */
vb_layout *vb_layout_load_dirs(vb_sources *sources, const char *path,
                               const char *const *dirs, vb_typesetter *ts, vb_diag *d);
void vb_layout_free(vb_layout *l);
const char *vb_layout_name(const vb_layout *l);
const char *vb_layout_description(const vb_layout *l);
/** "certificate", "minutes" or "bulletin". */
const char *vb_layout_document(const vb_layout *l);
/** Award forms the layout prints ("giấy khen", ...); NULL-terminated. */
const char *const *vb_layout_forms(const vb_layout *l);
/** The rule set `vanban check --conformance` applies to the layout's documents
 *  ("nd30-minutes", "hd36-minutes", "certificate"...), or NULL for none. */
const char *vb_layout_conformance(const vb_layout *l);

/** Lays out one document for `scope`. On success appends its pages (caller
 *  owns them: vb_dlist_free each, g_free the array) to the pages array and
 *  returns VB_OK. When the record cannot be laid out (text that cannot fit,
 *  a missing image or glyph, a bad value for a filter) reports it and returns
 *  VB_ERECORD, leaving *pages unchanged. */
int vb_layout_render(vb_layout *l, vb_typesetter *ts, const vb_scope *scope,
                     const vb_layout_opts *opts, vb_dlist ***pages, size_t *npages,
                     vb_diag *d);
/** A calibration page: a millimetre grid with every positioned box of the
 *  layout outlined and named. Caller frees the page. */
vb_dlist *vb_layout_calibrate(vb_layout *l, vb_typesetter *ts, const vb_layout_opts *opts,
                              vb_diag *d);

/* ---- bulletins (bulletin.c): one issue from the events of a month */
/** One event of the issue and where it comes from. All borrowed. */
typedef struct vb_bulletin_event {
  const vb_value *event;
  const vb_value *org; /* the organization of its record file */
  const char *dir;     /* that file's folder: photos are relative to it */
} vb_bulletin_event;

typedef struct vb_bulletin_issue {
  const vb_value *org;      /* the organization whose `bulletin` publishes the issue */
  unsigned number;          /* issue number ("Số 11") */
  unsigned month, year;
  const vb_bulletin_event *events; /* in print order (date, then time) */
  size_t nevents;
  bool allow_outside;       /* photos may lie outside their record's folder */
  const vb_limits *limits;  /* image-bytes, image-pixels...; NULL: the defaults */
} vb_bulletin_issue;

/** Lays out an issue with a bulletin layout: masthead and contents on page 1,
 *  articles in columns with photos, jump lines, running footer, the licence
 *  block at the foot of the last page, outline entries and contents links.
 *  On success appends its pages as vb_layout_render does and returns VB_OK;
 *  otherwise reports every problem found (a missing photo, text that cannot
 *  fit, more pages than the layout allows) and returns VB_ERECORD. */
int vb_bulletin_render(vb_layout *l, vb_typesetter *ts, const vb_bulletin_issue *issue,
                       vb_dlist ***pages, size_t *npages, vb_diag *d);

/** "1.50.12": the Pango version in use. */
const char *vb_layout_pango_version(void);

#endif
