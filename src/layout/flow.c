/* flow.c - vanban layout stage: the typesetter. A private fontconfig set of
 * the bundled fonts, Pango shaping and line breaking (HarfBuzz underneath),
 * fitting text into its box, stacking blocks in frames and boxes, and emitting
 * display lists. The only file that includes Pango. */
#include "layout-private.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <math.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangoft2.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define EPS 0.01f

/* ---- shaped paragraphs */
typedef struct sh_run {
  uint32_t font;
  float x;        /* run origin from the paragraph's left edge */
  float baseline; /* from the paragraph's top */
  uint32_t n;
  vb_glyph *glyphs;
  uint32_t *clusters; /* byte offsets from tstart */
  uint32_t tstart, tlen;
  float ink; /* from x to the end of the last visible glyph */
} sh_run;

typedef struct sh_line {
  float top, height, width;
  size_t run0, nruns;
} sh_line;

typedef struct sh_para {
  char *text;
  size_t len;
  float size;
  sh_run *runs;
  size_t nruns;
  sh_line *lines;
  size_t nlines;
  float height, max_width;
  bool overflow;    /* a line is wider than the box (a word that cannot break) */
  bool missing;     /* a character no bundled font has */
  uint32_t missing_cp;
  size_t missing_off;
} sh_para;

static void para_free(gpointer p) {
  sh_para *sp = p;
  for (size_t i = 0; i < sp->nruns; i++) {
    g_free(sp->runs[i].glyphs);
    g_free(sp->runs[i].clusters);
  }
  g_free(sp->runs);
  g_free(sp->lines);
  g_free(sp->text);
  g_free(sp);
}

struct vb_typesetter {
  FcConfig *fc;
  PangoFontMap *fm;
  PangoContext *ctx;
  PangoLayout *pl;
  vb_resources *res;
  vb_diag *diag;
  GHashTable *font_ids;  /* PangoFont* (ref) → id+1 */
  GHashTable *fixed;     /* key → sh_para*: text the same for every record */
  GHashTable *varying;   /* key → sh_para*: cleared when large */
  GHashTable *images;    /* path → image id+1 */
  GPtrArray *families;   /* char* */
  unsigned long shaped;  /* paragraphs shaped (for benchmarks) */
  GHashTable *sfonts;    /* style key → sh_font* (shaping by words) */
  GHashTable *words;     /* font id + word → sh_word* */
  hb_buffer_t *hbuf;
  hb_language_t hb_lang;
  hb_feature_t feats[8]; /* ligatures off */
  unsigned nfeats;
  bool check;                   /* VANBAN_CHECK_SHAPING: compare with Pango's own result */
  unsigned long checked_built, checked_measured, check_differ;
};

static void sh_font_free(gpointer p);
static void sh_word_free(gpointer p);

static const struct {
  const char *alias, *family;
} aliases[] = {{"Times New Roman", "Liberation Serif"}, {"Times", "Liberation Serif"},
               {"serif", "Liberation Serif"},           {"Arial", "Liberation Sans"},
               {"Helvetica", "Liberation Sans"},        {"sans-serif", "Liberation Sans"},
               {"sans", "Liberation Sans"},             {"script", "TeX Gyre Chorus"}};

vb_typesetter *vb_typesetter_new(const char *const *font_dirs, vb_resources *res, vb_diag *d) {
  FcConfig *fc = FcConfigCreate();
  int added = 0;
  /* font files one by one: adding a folder makes fontconfig want a cache folder */
  for (const char *const *dir = font_dirs; dir && *dir; dir++) {
    GDir *gd = g_dir_open(*dir, 0, NULL);
    if (!gd) continue;
    const char *e;
    while ((e = g_dir_read_name(gd))) {
      if (!g_str_has_suffix(e, ".ttf") && !g_str_has_suffix(e, ".otf") &&
          !g_str_has_suffix(e, ".ttc") && !g_str_has_suffix(e, ".TTF") &&
          !g_str_has_suffix(e, ".OTF"))
        continue;
      char *f = g_build_filename(*dir, e, NULL);
      char *abs = g_canonicalize_filename(f, NULL);
      if (FcConfigAppFontAddFile(fc, (const FcChar8 *)abs)) added++;
      g_free(abs);
      g_free(f);
    }
    g_dir_close(gd);
  }
  FcFontSet *set = FcConfigGetFonts(fc, FcSetApplication);
  if (!added || !set || set->nfont == 0) {
    vb_diag_error(d, vb_span_none(), "no fonts found in %s (use --fonts DIR)",
                  font_dirs && font_dirs[0] ? font_dirs[0] : "any font folder");
    FcConfigDestroy(fc);
    return NULL;
  }
  vb_typesetter *ts = vb_xcalloc(1, sizeof *ts);
  ts->fc = fc;
  ts->res = res;
  ts->diag = d;
  ts->families = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < set->nfont; i++) {
    FcChar8 *fam;
    if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch) continue;
    bool have = false;
    for (guint j = 0; j < ts->families->len && !have; j++)
      have = !g_ascii_strcasecmp(g_ptr_array_index(ts->families, j), (const char *)fam);
    if (!have) g_ptr_array_add(ts->families, g_strdup((const char *)fam));
  }
  /* Pango's font map starts a thread that calls FcInit(), which loads the
   * system configuration (dozens of XML files) unless a configuration is
   * already current: make ours current first, so that nothing loads the other. */
  FcConfigSetCurrent(fc);
  ts->fm = pango_ft2_font_map_new();
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(ts->fm), fc);
  pango_ft2_font_map_set_resolution(PANGO_FT2_FONT_MAP(ts->fm), 72, 72);
  ts->ctx = pango_font_map_create_context(ts->fm);
  pango_context_set_round_glyph_positions(ts->ctx, FALSE);
  PangoLanguage *vi = pango_language_from_string("vi");
  pango_context_set_language(ts->ctx, vi);
  ts->pl = pango_layout_new(ts->ctx);
  pango_layout_set_wrap(ts->pl, PANGO_WRAP_WORD);
  pango_layout_set_auto_dir(ts->pl, FALSE);
  PangoAttrList *attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  pango_layout_set_attributes(ts->pl, attrs);
  pango_attr_list_unref(attrs);
  ts->font_ids = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
  ts->fixed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, para_free);
  ts->varying = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, para_free);
  ts->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ts->sfonts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sh_font_free);
  ts->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, sh_word_free);
  ts->hbuf = hb_buffer_create();
  ts->hb_lang = hb_language_from_string("vi", -1);
  return ts;
}

#define NO_LIGATURES "liga=0, clig=0, dlig=0, hlig=0"

void vb_typesetter_set_ligatures(vb_typesetter *ts, bool on) {
  PangoAttrList *attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  if (!on)
    pango_attr_list_insert(attrs, pango_attr_font_features_new(NO_LIGATURES));
  pango_layout_set_attributes(ts->pl, attrs);
  pango_attr_list_unref(attrs);
  /* the features as Pango reads the attribute (pango_analysis_collect_features) */
  ts->nfeats = 0;
  for (const char *f = NO_LIGATURES; !on && f && ts->nfeats < 8;) {
    const char *e = strchr(f, ',');
    if (hb_feature_from_string(f, e ? (int)(e - f) : -1, &ts->feats[ts->nfeats])) {
      ts->feats[ts->nfeats].start = 0;
      ts->feats[ts->nfeats].end = G_MAXUINT;
      ts->nfeats++;
    }
    f = e ? e + 1 : NULL;
  }
  g_hash_table_remove_all(ts->words);
  g_hash_table_remove_all(ts->fixed);
  g_hash_table_remove_all(ts->varying);
}

void vb_typesetter_set_check(vb_typesetter *ts, bool on) { ts->check = on; }

void vb_typesetter_free(vb_typesetter *ts) {
  if (!ts) return;
  if (ts->check)
    fprintf(stderr, "vanban: shaping check: %lu paragraphs built, %lu measured by words, %lu differ\n",
            ts->checked_built, ts->checked_measured, ts->check_differ);
  g_hash_table_destroy(ts->fixed);
  g_hash_table_destroy(ts->varying);
  g_hash_table_destroy(ts->images);
  g_hash_table_destroy(ts->words);
  g_hash_table_destroy(ts->sfonts);
  hb_buffer_destroy(ts->hbuf);
  g_hash_table_destroy(ts->font_ids);
  g_object_unref(ts->pl);
  g_object_unref(ts->ctx);
  g_object_unref(ts->fm);
  g_ptr_array_free(ts->families, TRUE);
  free(ts);
}

char **vb_typesetter_families(vb_typesetter *ts) {
  char **out = g_new0(char *, ts->families->len + 1);
  for (guint i = 0; i < ts->families->len; i++)
    out[i] = g_strdup(g_ptr_array_index(ts->families, i));
  return out;
}

void vb_typesetter_families_free(char **families) { g_strfreev(families); }

const char *vb_typesetter_family(vb_typesetter *ts, const char *family) {
  const char *want = family;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (!g_ascii_strcasecmp(family, aliases[i].alias)) want = aliases[i].family;
  for (guint j = 0; j < ts->families->len; j++)
    if (!g_ascii_strcasecmp(g_ptr_array_index(ts->families, j), want))
      return g_ptr_array_index(ts->families, j);
  return NULL;
}

static uint32_t font_id(vb_typesetter *ts, PangoFont *font) {
  gpointer v = g_hash_table_lookup(ts->font_ids, font);
  if (v) return (uint32_t)GPOINTER_TO_UINT(v) - 1;
  FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
  FcChar8 *file = NULL;
  int index = 0;
  FcPatternGetString(pat, FC_FILE, 0, &file);
  FcPatternGetInteger(pat, FC_INDEX, 0, &index);
  uint32_t id = vb_resources_add_font(ts->res, file ? (const char *)file : "", index);
  g_hash_table_insert(ts->font_ids, g_object_ref(font), GUINT_TO_POINTER(id + 1));
  return id;
}

typedef struct shape_req {
  const char *family;
  int weight;
  bool italic;
  float size;
  float width; /* <= 0: no wrapping */
  vb_align align;
  float leading;
  float indent;
} shape_req;

static void configure(PangoLayout *pl, const shape_req *rq) {
  PangoFontDescription *desc = pango_font_description_new();
  pango_font_description_set_family_static(desc, rq->family);
  pango_font_description_set_weight(desc, (PangoWeight)rq->weight);
  pango_font_description_set_style(desc, rq->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size(desc, rq->size * PANGO_SCALE);
  pango_layout_set_font_description(pl, desc);
  pango_font_description_free(desc);
  pango_layout_set_width(pl, rq->width > 0 ? (int)(rq->width * PANGO_SCALE) : -1);
  pango_layout_set_alignment(pl, rq->align == VB_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                 : rq->align == VB_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                               : PANGO_ALIGN_LEFT);
  pango_layout_set_justify(pl, rq->align == VB_ALIGN_JUSTIFY);
  pango_layout_set_indent(pl, (int)(rq->indent * PANGO_SCALE));
  pango_layout_set_line_spacing(pl, rq->leading == 1.0f ? 0 : rq->leading);
}

/* Shapes text[0, len) into lines of rq->width. `seps` (ascending byte offsets of
 * gaps, each the first of a run of spaces) are forced line ends: each run of
 * spaces is replaced by U+2028 LINE SEPARATOR (Pango justifies the line before
 * it), and every offset kept in the result is mapped back to `text`. */
static sh_para *shape(vb_typesetter *ts, const char *text, size_t len, const shape_req *rq,
                      const uint32_t *seps, size_t nseps) {
  PangoLayout *pl = ts->pl;
  ts->shaped++;
  configure(pl, rq);
  const char *stext = text;
  size_t slen = len;
  uint32_t *map = NULL; /* shaped byte → byte of text */
  char *buf = NULL;
  if (nseps) {
    buf = g_malloc(len + 2 * nseps + 1);
    map = g_new(uint32_t, len + 2 * nseps + 1);
    size_t o = 0, k = 0;
    for (size_t i = 0; i < len;) {
      if (k < nseps && seps[k] == i) {
        k++;
        memcpy(buf + o, "\xe2\x80\xa8", 3);
        map[o] = map[o + 1] = map[o + 2] = (uint32_t)i;
        o += 3;
        while (i < len && text[i] == ' ') i++;
        continue;
      }
      buf[o] = text[i];
      map[o++] = (uint32_t)i++;
    }
    map[o] = (uint32_t)len;
    buf[o] = 0;
    stext = buf;
    slen = o;
  }
#define ORIG(off) (map ? map[(off)] : (uint32_t)(off))
  pango_layout_set_text(pl, stext, (int)slen);

  sh_para *p = g_new0(sh_para, 1);
  p->text = g_strndup(text, len);
  p->len = len;
  p->size = rq->size;
  PangoRectangle all;
  pango_layout_get_extents(pl, NULL, &all);
  p->height = (float)all.height / PANGO_SCALE;
  int nlines = pango_layout_get_line_count(pl);
  p->lines = g_new0(sh_line, nlines > 0 ? nlines : 1);
  GArray *runs = g_array_new(FALSE, TRUE, sizeof(sh_run));
  PangoLayoutIter *it = pango_layout_get_iter(pl);
  size_t li = 0;
  do {
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    PangoRectangle lr;
    pango_layout_iter_get_line_extents(it, NULL, &lr);
    float baseline = (float)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
    sh_line *ln = &p->lines[li++];
    ln->top = (float)lr.y / PANGO_SCALE;
    ln->height = (float)lr.height / PANGO_SCALE;
    ln->run0 = runs->len;
    /* the line's width without trailing spaces (they may hang past the edge) */
    float x = (float)lr.x / PANGO_SCALE;
    float ink_end = x;
    for (GSList *l = line->runs; l; l = l->next) {
      PangoGlyphItem *gi = l->data;
      PangoGlyphString *gs = gi->glyphs;
      PangoItem *item = gi->item;
      sh_run r = {0};
      r.font = font_id(ts, item->analysis.font);
      r.x = x;
      r.baseline = baseline;
      r.tstart = ORIG(item->offset);
      r.tlen = ORIG(item->offset + item->length) - r.tstart;
      r.glyphs = g_new(vb_glyph, gs->num_glyphs > 0 ? gs->num_glyphs : 1);
      r.clusters = g_new(uint32_t, gs->num_glyphs > 0 ? gs->num_glyphs : 1);
      float gx = 0;
      for (int i = 0; i < gs->num_glyphs; i++) {
        PangoGlyphInfo *g = &gs->glyphs[i];
        float adv = (float)g->geometry.width / PANGO_SCALE;
        if (g->glyph == PANGO_GLYPH_EMPTY) {
          gx += adv;
          continue;
        }
        if (g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
          if (!p->missing) {
            p->missing = true;
            p->missing_cp = g->glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
            p->missing_off = ORIG((size_t)item->offset + (size_t)gs->log_clusters[i]);
          }
          gx += adv;
          continue;
        }
        r.glyphs[r.n].id = g->glyph;
        r.glyphs[r.n].x = gx + (float)g->geometry.x_offset / PANGO_SCALE;
        r.glyphs[r.n].y = (float)g->geometry.y_offset / PANGO_SCALE;
        r.clusters[r.n] = ORIG(item->offset + gs->log_clusters[i]) - r.tstart;
        r.n++;
        gx += adv;
        const char *ch = stext + item->offset + gs->log_clusters[i];
        if (*ch != ' ' && *ch != '\n' && *ch != '\t') ink_end = x + gx, r.ink = gx;
      }
      x += gx;
      if (r.n > 0)
        g_array_append_val(runs, r);
      else {
        g_free(r.glyphs);
        g_free(r.clusters);
      }
    }
    ln->nruns = runs->len - ln->run0;
    /* measured extent of the visible text, from the box's left edge */
    float left = ln->nruns ? g_array_index(runs, sh_run, ln->run0).x : 0;
    ln->width = ink_end - (left < 0 ? left : 0);
    float w = ink_end - left;
    if (w > p->max_width) p->max_width = w;
    if (rq->width > 0 && (ink_end > rq->width + EPS || left < -EPS)) p->overflow = true;
  } while (pango_layout_iter_next_line(it) && li < (size_t)nlines);
#undef ORIG
  pango_layout_iter_free(it);
  p->nlines = li;
  p->nruns = runs->len;
  p->runs = (sh_run *)g_array_free(runs, FALSE);
  g_free(buf);
  g_free(map);
  return p;
}

/* The text set on one line (a line per hard line break), as Pango shaped it:
 * every glyph in Pango units with its cluster's byte offset in the text, for
 * vb_breaks_choose's measure and for building the chosen lines without shaping
 * again (build_lines). `simple`: one font, one run per hard line, no missing
 * glyph, no tab, no empty hard line: the only case build_lines handles. */
typedef struct uw_glyph {
  uint32_t id;
  int w, xo, yo;
  uint32_t cl; /* byte offset of the glyph's cluster in the text */
} uw_glyph;

typedef struct unwrapped {
  uw_glyph *g;
  size_t ng;
  size_t nl;          /* hard lines */
  size_t *line_g0;    /* first glyph of each hard line (nl+1 entries) */
  size_t *line_start; /* byte where each hard line starts (nl entries) */
  size_t *line_end;   /* byte where each hard line ends (nl entries) */
  PangoFont *font;    /* borrowed from the layout's items; valid while the font map lives */
  int log_y, log_h;   /* a line's logical rectangle from its baseline */
  bool simple;
} unwrapped;

static void unwrapped_free(unwrapped *u) {
  g_free(u->g);
  g_free(u->line_g0);
  g_free(u->line_start);
  g_free(u->line_end);
}

/* Where each gap of the text falls when the text is set on one line (a line per
 * hard line break), for vb_breaks_choose: fills xs[i] (len+1 entries) with the x
 * of the cluster starting at byte i, and line_end[k] with the width of hard
 * line k, which starts at byte line_start[k]. Returns the number of hard lines.
 * Keeps the glyphs in *u. */
static size_t measure_unwrapped(vb_typesetter *ts, const char *text, size_t len,
                                const shape_req *rq, float *xs, size_t *line_start,
                                float *line_end, size_t cap, unwrapped *u) {
  shape_req one = *rq;
  one.width = 0;
  one.align = VB_ALIGN_LEFT;
  one.indent = 0;
  PangoLayout *pl = ts->pl;
  configure(pl, &one);
  pango_layout_set_text(pl, text, (int)len);
  memset(u, 0, sizeof *u);
  u->simple = true;
  GArray *gl = g_array_sized_new(FALSE, FALSE, sizeof(uw_glyph), (guint)len + 1);
  u->line_g0 = g_new(size_t, cap + 1);
  u->line_start = g_new(size_t, cap + 1);
  u->line_end = g_new(size_t, cap + 1);
  size_t nl = 0;
  for (GSList *ls = pango_layout_get_lines_readonly(pl); ls && nl < cap; ls = ls->next) {
    PangoLayoutLine *line = ls->data;
    float x = 0, end = 0;
    line_start[nl] = (size_t)line->start_index;
    u->line_g0[nl] = gl->len;
    u->line_start[nl] = (size_t)line->start_index;
    u->line_end[nl] = (size_t)line->start_index;
    if (!line->runs || line->runs->next) u->simple = false;
    for (GSList *l = line->runs; l; l = l->next) {
      PangoGlyphItem *gi = l->data;
      PangoGlyphString *gs = gi->glyphs;
      PangoItem *item = gi->item;
      if (!u->font) u->font = item->analysis.font;
      else if (u->font != item->analysis.font) u->simple = false;
      if (item->analysis.flags & PANGO_ANALYSIS_FLAG_CENTERED_BASELINE) u->simple = false;
      u->line_end[nl] = (size_t)(item->offset + item->length);
      for (int i = 0; i < gs->num_glyphs; i++) {
        size_t off = (size_t)item->offset + (size_t)gs->log_clusters[i];
        if (i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1])
          if (off <= len) xs[off] = x;
        x += (float)gs->glyphs[i].geometry.width / PANGO_SCALE;
        if (off < len && text[off] != ' ' && text[off] != '\t') end = x;
        if (off < len && text[off] == '\t') u->simple = false;
        const PangoGlyphInfo *g = &gs->glyphs[i];
        if (g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) u->simple = false;
        uw_glyph ug = {g->glyph, g->geometry.width, g->geometry.x_offset, g->geometry.y_offset,
                       (uint32_t)off};
        g_array_append_val(gl, ug);
      }
    }
    line_end[nl++] = end;
  }
  u->line_g0[nl] = gl->len;
  u->nl = nl;
  u->ng = gl->len;
  u->g = (uw_glyph *)(void *)g_array_free(gl, FALSE);
  if (nl == 0 || !u->font) u->simple = false;
  if (u->simple) {
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    PangoRectangle lr;
    pango_layout_iter_get_line_extents(it, NULL, &lr);
    u->log_y = lr.y - pango_layout_iter_get_baseline(it);
    u->log_h = lr.height;
    pango_layout_iter_free(it);
  }
  return nl;
}

/* ---- shaping by words
 * Running text is Latin set in one font: HarfBuzz shapes each word (a run of
 * characters between U+0020 spaces) the same wherever it stands, so each word
 * is shaped once for the whole run and the one-line measure of a paragraph is
 * its words' glyphs laid end to end, as Pango's one item would have them
 * (same font, script, language, features, buffer flags and invisible glyph:
 * Pango's pango_hb_shape). A text that is not that (another script, a
 * character no font of the style has, a control or format character, a tab,
 * an empty hard line, no Latin letter to set the script) is measured by
 * Pango. */
typedef struct sh_font {
  PangoFont *font; /* the style's first font, as Pango chooses it (ref) */
  hb_font_t *hb;   /* owned by font */
  int log_y, log_h; /* a line's logical rectangle from its baseline */
  uint32_t id;
  bool ok;
} sh_font;

typedef struct sh_word {
  uint32_t n;
  bool latin; /* has a Latin letter */
  bool bad;   /* cannot be shaped apart: measure the text with Pango */
  uw_glyph *g; /* cl: byte offset in the word */
} sh_word;

static void sh_font_free(gpointer p) {
  sh_font *f = p;
  if (f->font) g_object_unref(f->font);
  g_free(f);
}

static void sh_word_free(gpointer p) {
  sh_word *w = p;
  g_free(w->g);
  g_free(w);
}

static sh_font *font_for(vb_typesetter *ts, const shape_req *rq) {
  char key[160];
  snprintf(key, sizeof key, "%s|%d|%d|%a", rq->family, rq->weight, rq->italic,
           (double)rq->size);
  sh_font *f = g_hash_table_lookup(ts->sfonts, key);
  if (f) return f;
  f = g_new0(sh_font, 1);
  f->id = g_hash_table_size(ts->sfonts);
  shape_req one = *rq;
  one.width = 0;
  one.align = VB_ALIGN_LEFT;
  one.indent = 0;
  configure(ts->pl, &one);
  pango_layout_set_text(ts->pl, "a", 1);
  PangoLayoutLine *line = pango_layout_get_line_readonly(ts->pl, 0);
  if (line && line->runs && !line->runs->next) {
    PangoGlyphItem *gi = line->runs->data;
    f->font = g_object_ref(gi->item->analysis.font);
    f->hb = pango_font_get_hb_font(f->font);
    PangoLayoutIter *it = pango_layout_get_iter(ts->pl);
    PangoRectangle lr;
    pango_layout_iter_get_line_extents(it, NULL, &lr);
    f->log_y = lr.y - pango_layout_iter_get_baseline(it);
    f->log_h = lr.height;
    pango_layout_iter_free(it);
    f->ok = f->hb && f->id < 0x3f00;
  }
  g_hash_table_insert(ts->sfonts, g_strdup(key), f);
  return f;
}

/* Characters a word shaped apart may hold: Latin, common and inherited
 * characters that are not controls, format characters, separators other
 * than U+0020, variation selectors or emoji modifiers. */
static bool word_char_ok(uint32_t c, bool *latin) {
  if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0xad) return false;
  if ((c >= 0xfe00 && c <= 0xfe0f) || c >= 0xe0000 || (c >= 0x1f000)) return false;
  switch (g_unichar_type(c)) {
  case G_UNICODE_CONTROL: case G_UNICODE_FORMAT: case G_UNICODE_UNASSIGNED:
  case G_UNICODE_PRIVATE_USE: case G_UNICODE_SURROGATE: case G_UNICODE_LINE_SEPARATOR:
  case G_UNICODE_PARAGRAPH_SEPARATOR:
    return false;
  default:
    break;
  }
  GUnicodeScript s = g_unichar_get_script(c);
  if (s == G_UNICODE_SCRIPT_LATIN) *latin = true;
  else if (s != G_UNICODE_SCRIPT_COMMON && s != G_UNICODE_SCRIPT_INHERITED) return false;
  return true;
}

/* Shapes w[0, n) followed by `ctx` bytes of what comes after it (the next
 * character), whose glyphs are left out: a font may kern a letter with the
 * space after it and a space with the letter after it (Liberation Serif
 * kerns "Y " and " A"), which changes the advances of the word's glyphs. */
static sh_word *shape_word(vb_typesetter *ts, const sh_font *f, const char *w, size_t n,
                           size_t ctx) {
  sh_word *sw = g_new0(sh_word, 1);
  const char *p = w, *end = w + n + ctx;
  while (p < end && !sw->bad) {
    uint32_t c = vb_utf8_next(&p, end);
    if (!word_char_ok(c, &sw->latin)) sw->bad = true;
  }
  if (ctx) {
    /* the context counts for the script only where the word has its letters */
    bool lat = false;
    p = w;
    while (p < w + n) word_char_ok(vb_utf8_next(&p, w + n), &lat);
    sw->latin = lat;
  }
  if (sw->bad) return sw;
  hb_buffer_t *b = ts->hbuf;
  hb_buffer_clear_contents(b);
  hb_buffer_set_direction(b, HB_DIRECTION_LTR);
  hb_buffer_set_script(b, HB_SCRIPT_LATIN);
  hb_buffer_set_language(b, ts->hb_lang);
  hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
  hb_buffer_set_flags(b, HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT);
  hb_buffer_set_invisible_glyph(b, PANGO_GLYPH_EMPTY);
  hb_buffer_add_utf8(b, w, (int)(n + ctx), 0, (int)(n + ctx));
  hb_feature_t feats[32];
  guint nf = 0;
  pango_font_get_features(f->font, feats, 32 - ts->nfeats, &nf);
  for (guint i = 0; i < ts->nfeats; i++) feats[nf++] = ts->feats[i];
  hb_shape(f->hb, b, feats, nf);
  unsigned int ng = 0;
  const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &ng);
  const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(b, NULL);
  sw->g = g_new(uw_glyph, ng ? ng : 1);
  unsigned int after = 0;
  for (unsigned int i = 0; i < ng; i++) {
    if (gi[i].codepoint == 0 || gp[i].x_advance < 0) sw->bad = true; /* .notdef: no glyph */
    if (gi[i].cluster >= n) {
      after++;
      continue;
    }
    sw->g[sw->n++] = (uw_glyph){gi[i].codepoint, gp[i].x_advance, gp[i].x_offset,
                                -gp[i].y_offset, gi[i].cluster};
  }
  if (ctx && !after) sw->bad = true; /* the context joined the word's last cluster */
  return sw;
}

static const sh_word *word_get(vb_typesetter *ts, const sh_font *f, const char *w, size_t n,
                               size_t ctx) {
  char key[96];
  if (n + ctx + 4 > sizeof key) return NULL;
  key[0] = (char)(1 + (f->id & 0x7f));
  key[1] = (char)(1 + (f->id >> 7));
  key[2] = (char)(1 + n);
  memcpy(key + 3, w, n + ctx);
  key[n + ctx + 3] = 0;
  sh_word *sw = g_hash_table_lookup(ts->words, key);
  if (sw) return sw;
  if (g_hash_table_size(ts->words) > 8192) g_hash_table_remove_all(ts->words);
  sw = shape_word(ts, f, w, n, ctx);
  g_hash_table_insert(ts->words, g_strdup(key), sw);
  return sw;
}

/* measure_unwrapped by words: the same results, or false (measure with Pango). */
static bool measure_words(vb_typesetter *ts, const char *text, size_t len, const shape_req *rq,
                          float *xs, size_t *line_start, float *line_end, size_t cap,
                          unwrapped *u, size_t *nl_out) {
  sh_font *f = font_for(ts, rq);
  if (!f->ok || memchr(text, 0, len)) return false;
  memset(u, 0, sizeof *u);
  GArray *gl = g_array_sized_new(FALSE, FALSE, sizeof(uw_glyph), (guint)len + 1);
  u->line_g0 = g_new(size_t, cap + 1);
  u->line_start = g_new(size_t, cap + 1);
  u->line_end = g_new(size_t, cap + 1);
  size_t nl = 0;
  bool ok = true;
  size_t a = 0;
  while (ok && a <= len && nl < cap) {
    size_t b = a;
    while (b < len && text[b] != '\n') b++;
    if (b == a) {
      ok = false; /* an empty hard line */
      break;
    }
    line_start[nl] = a;
    u->line_g0[nl] = gl->len;
    u->line_start[nl] = a;
    u->line_end[nl] = b;
    bool latin = false;
    float x = 0, end = 0;
    bool first = true;
    uint32_t prev_cl = 0;
    for (size_t i = a; i < b && ok;) {
      /* a word and the space after it, shaped with the next character */
      size_t e = i;
      while (e < b && text[e] != ' ') e++;
      if (e < b) e++;
      size_t ctx = 0;
      if (e < b) {
        ctx = 1;
        while (e + ctx < b && (text[e + ctx] & 0xC0) == 0x80) ctx++;
      }
      const sh_word *w = word_get(ts, f, text + i, e - i, ctx);
      if (!w || w->bad) {
        ok = false;
        break;
      }
      latin |= w->latin;
      guint at = gl->len;
      g_array_append_vals(gl, w->g, w->n);
      uw_glyph *gs = &g_array_index(gl, uw_glyph, at);
      for (uint32_t k = 0; k < w->n; k++) {
        uw_glyph *g = &gs[k];
        g->cl += (uint32_t)i;
        if (first || g->cl != prev_cl) xs[g->cl] = x;
        first = false;
        prev_cl = g->cl;
        x += (float)g->w / PANGO_SCALE;
        if (text[g->cl] != ' ') end = x;
      }
      i = e;
    }
    if (!latin) ok = false;
    line_end[nl++] = end;
    if (b >= len) break;
    a = b + 1;
  }
  u->line_g0[nl] = gl->len;
  u->nl = nl;
  u->ng = gl->len;
  u->g = (uw_glyph *)(void *)g_array_free(gl, FALSE);
  u->font = f->font;
  u->log_y = f->log_y;
  u->log_h = f->log_h;
  u->simple = true;
  if (!ok || nl == 0) {
    unwrapped_free(u);
    return false;
  }
  *nl_out = nl;
  return true;
}

/* The metrics height of a font (Pango units), which spaces the lines when the
 * line spacing is not 1 (the context has no transformation: scale factors 1). */
static int font_height(PangoFont *font) {
  PangoFontMetrics *m = pango_font_get_metrics(font, pango_language_from_string("vi"));
  int h = pango_font_metrics_get_height(m);
  pango_font_metrics_unref(m);
  return h;
}

/* Builds the paragraph Pango would make of the text with a line separator at
 * each of `seps` (see shape()), from the glyphs of the one-line measure: the
 * same lines, glyphs, justification (Pango's justify_words: the space left on a
 * line shared among its spaces in proportion to their widths), indents and
 * line positions, without shaping again. Returns NULL when the text is not
 * `simple` or a line would not fit as Pango measures it (the caller shapes). */
static sh_para *build_lines(vb_typesetter *ts, const char *text, size_t len,
                            const shape_req *rq, const unwrapped *u, const uint32_t *seps,
                            size_t nseps) {
  if (!u->simple) return NULL;
  int lw = rq->width > 0 ? (int)(rq->width * PANGO_SCALE) : -1;
  int indent = (int)(rq->indent * PANGO_SCALE);
  bool center = rq->align == VB_ALIGN_CENTER, right = rq->align == VB_ALIGN_RIGHT;
  bool justify = rq->align == VB_ALIGN_JUSTIFY;
  float ls = rq->leading == 1.0f ? 0 : rq->leading;
  size_t nlines = u->nl + nseps;
  sh_line *lines = g_new0(sh_line, nlines);
  sh_run *runs = g_new0(sh_run, nlines);
  int *w = g_new(int, u->ng ? u->ng : 1);
  for (size_t i = 0; i < u->ng; i++) w[i] = u->g[i].w;
  int metrics_h = ls != 0 ? font_height(u->font) : 0;
  uint32_t font = font_id(ts, u->font);
  size_t li = 0, nruns = 0, k = 0;
  int y_offset = 0, baseline = 0, last_top = 0;
  float max_width = 0;
  bool overflow = false, failed = false;
  for (size_t h = 0; h < u->nl && !failed; h++) {
    size_t g = u->line_g0[h], gend = u->line_g0[h + 1];
    size_t start = u->line_start[h];
    bool par_start = true;
    while (!failed) {
      /* this line: bytes [start, end), glyphs [g, ge) */
      bool wrapped = k < nseps && seps[k] < u->line_end[h];
      size_t end = wrapped ? seps[k] : u->line_end[h];
      size_t ge = g;
      while (ge < gend && u->g[ge].cl < end) ge++;
      int line_width = lw;
      if (line_width >= 0 && !center) {
        if (par_start && indent >= 0) line_width -= indent;
        else if (!par_start && indent < 0) line_width += indent;
        if (line_width < 0) line_width = 0;
      }
      int width = 0;
      for (size_t i = g; i < ge; i++) width += w[i];
      if (lw >= 0 && width > line_width) {
        failed = true; /* Pango would break inside the run */
        break;
      }
      if (justify && wrapped && lw >= 0) {
        int remaining = line_width - width;
        if (remaining < 0) remaining = 0;
        int total = 0;
        for (size_t i = g; i < ge; i++)
          if (text[u->g[i].cl] == ' ' || !strncmp(text + u->g[i].cl, "\xc2\xa0", 2)) total += w[i];
        if (remaining > 0 && total == 0) {
          failed = true; /* Pango would spread the space between letters */
          break;
        }
        if (remaining > 0) {
          bool hinted = (remaining & (PANGO_SCALE - 1)) == 0;
          int added = 0, so_far = 0;
          for (size_t i = g; i < ge; i++) {
            if (w[i] == 0) continue;
            if (text[u->g[i].cl] != ' ' && strncmp(text + u->g[i].cl, "\xc2\xa0", 2)) continue;
            so_far += w[i];
            int adj = (int)(((guint64)so_far * (guint64)remaining) / (guint64)total) - added;
            if (hinted) adj = PANGO_UNITS_ROUND(adj);
            w[i] += adj;
            added += adj;
          }
          width += added;
        }
      }
      /* x offset (Pango's get_x_offset) */
      int x_off = 0;
      if (lw > 0) {
        if (right) x_off = lw - width;
        else if (center) {
          x_off = (lw - width) / 2;
          if (((lw | width) & (PANGO_SCALE - 1)) == 0) x_off = PANGO_UNITS_ROUND(x_off);
        }
      }
      if (!center) {
        if (par_start) {
          if (indent > 0) x_off += right ? -indent : indent;
        } else if (indent < 0) {
          x_off += right ? indent : -indent;
        }
      }
      /* vertical position (Pango's get_line_extents_layout_coords) */
      if (li == 0 || ls == 0) baseline = y_offset - u->log_y;
      else baseline = (int)((float)baseline + ls * (float)metrics_h);
      int top = baseline + u->log_y;
      y_offset = top + u->log_h;
      last_top = top;
      sh_line *ln = &lines[li++];
      ln->top = (float)top / PANGO_SCALE;
      ln->height = (float)u->log_h / PANGO_SCALE;
      ln->run0 = nruns;
      float x = (float)x_off / PANGO_SCALE, ink_end = x;
      float bl = (float)baseline / PANGO_SCALE;
      sh_run r = {0};
      r.font = font;
      r.x = x;
      r.baseline = bl;
      r.tstart = (uint32_t)start;
      r.tlen = (uint32_t)(end - start);
      size_t cnt = ge > g ? ge - g : 1;
      r.glyphs = g_new(vb_glyph, cnt);
      r.clusters = g_new(uint32_t, cnt);
      float gx = 0;
      for (size_t i = g; i < ge; i++) {
        const uw_glyph *ug = &u->g[i];
        float adv = (float)w[i] / PANGO_SCALE;
        if (ug->id == PANGO_GLYPH_EMPTY) {
          gx += adv;
          continue;
        }
        r.glyphs[r.n].id = ug->id;
        r.glyphs[r.n].x = gx + (float)ug->xo / PANGO_SCALE;
        r.glyphs[r.n].y = (float)ug->yo / PANGO_SCALE;
        r.clusters[r.n] = ug->cl - r.tstart;
        r.n++;
        gx += adv;
        char ch = text[ug->cl];
        if (ch != ' ' && ch != '\n' && ch != '\t') ink_end = x + gx, r.ink = gx;
      }
      if (r.n > 0)
        runs[nruns++] = r;
      else {
        g_free(r.glyphs);
        g_free(r.clusters);
      }
      ln->nruns = nruns - ln->run0;
      float left = ln->nruns ? runs[ln->run0].x : 0;
      ln->width = ink_end - (left < 0 ? left : 0);
      float wd = ink_end - left;
      if (wd > max_width) max_width = wd;
      if (rq->width > 0 && (ink_end > rq->width + EPS || left < -EPS)) overflow = true;
      if (!wrapped) break;
      /* the next line starts after the spaces of the break */
      k++;
      start = end;
      while (start < u->line_end[h] && text[start] == ' ') start++;
      g = ge;
      while (g < gend && u->g[g].cl < start) g++;
      par_start = false;
    }
  }
  g_free(w);
  if (failed || li != nlines || k != nseps) {
    for (size_t i = 0; i < nruns; i++) {
      g_free(runs[i].glyphs);
      g_free(runs[i].clusters);
    }
    g_free(runs);
    g_free(lines);
    return NULL;
  }
  sh_para *p = g_new0(sh_para, 1);
  p->text = g_strndup(text, len);
  p->len = len;
  p->size = rq->size;
  p->lines = lines;
  p->nlines = li;
  p->runs = runs;
  p->nruns = nruns;
  p->height = (float)(last_top + u->log_h) / PANGO_SCALE;
  p->max_width = max_width;
  p->overflow = overflow;
  return p;
}

/* VANBAN_CHECK_SHAPING (vb_typesetter_set_check): a built paragraph compared
 * with the one Pango makes of the same breaks; a difference on stderr. */
static void check_built(vb_typesetter *ts, const char *text, size_t len, const shape_req *rq,
                        const uint32_t *seps, size_t nseps, const sh_para *q) {
  sh_para *o = shape(ts, text, len, rq, seps, nseps);
  const char *why = NULL;
  if (o->nlines != q->nlines) why = "line count";
  else if (o->nruns != q->nruns) why = "run count";
  else if (o->height != q->height) why = "height";
  else if (o->max_width != q->max_width) why = "widest line";
  else if (o->overflow != q->overflow || o->missing != q->missing) why = "overflow";
  for (size_t i = 0; !why && i < o->nlines; i++)
    if (o->lines[i].top != q->lines[i].top || o->lines[i].height != q->lines[i].height ||
        o->lines[i].width != q->lines[i].width || o->lines[i].run0 != q->lines[i].run0 ||
        o->lines[i].nruns != q->lines[i].nruns)
      why = "line";
  for (size_t i = 0; !why && i < o->nruns; i++) {
    const sh_run *a = &o->runs[i], *b = &q->runs[i];
    if (a->font != b->font || a->x != b->x || a->baseline != b->baseline || a->n != b->n ||
        a->tstart != b->tstart || a->tlen != b->tlen || a->ink != b->ink)
      why = "run";
    for (uint32_t j = 0; !why && j < a->n; j++)
      if (a->glyphs[j].id != b->glyphs[j].id || a->glyphs[j].x != b->glyphs[j].x ||
          a->glyphs[j].y != b->glyphs[j].y || a->clusters[j] != b->clusters[j])
        why = "glyph";
  }
  ts->checked_built++;
  if (why) {
    ts->check_differ++;
    fprintf(stderr, "vanban: shaping check: built lines differ from Pango's (%s, %zu breaks): %.*s\n",
            why, nseps, (int)len, text);
  }
  para_free(o);
}


/* VANBAN_CHECK_SHAPING: the measure by words compared with Pango's. */
static void check_words(vb_typesetter *ts, const char *text, size_t len, const shape_req *rq,
                        const float *xs, const float *hend, size_t cap, const unwrapped *u,
                        size_t nl) {
  float *xs2 = g_new0(float, len + 1), *hend2 = g_new(float, cap + 1);
  size_t *hs2 = g_new(size_t, cap + 1);
  unwrapped v;
  size_t nl2 = measure_unwrapped(ts, text, len, rq, xs2, hs2, hend2, cap, &v);
  const char *why = NULL;
  if (nl2 != nl || v.nl != u->nl) why = "hard lines";
  else if (!v.simple) why = "several fonts or runs";
  else if (v.ng != u->ng) why = "glyph count";
  else if (v.font != u->font) why = "font";
  else if (v.log_y != u->log_y || v.log_h != u->log_h) why = "line height";
  for (size_t i = 0; !why && i <= len; i++)
    if (xs[i] != xs2[i]) why = "gap positions";
  for (size_t i = 0; !why && i < nl; i++)
    if (hend[i] != hend2[i] || v.line_g0[i] != u->line_g0[i] ||
        v.line_start[i] != u->line_start[i] || v.line_end[i] != u->line_end[i])
      why = "hard line ends";
  for (size_t i = 0; !why && i < v.ng; i++)
    if (memcmp(&v.g[i], &u->g[i], sizeof v.g[i])) why = "glyph";
  ts->checked_measured++;
  if (why) {
    ts->check_differ++;
    fprintf(stderr, "vanban: shaping check: measure by words differs from Pango's (%s): %.*s\n",
            why, (int)len, text);
  }
  unwrapped_free(&v);
  g_free(xs2);
  g_free(hend2);
  g_free(hs2);
}

/* Shapes a paragraph with the line-breaking rules (linebreak.c): Pango's own
 * greedy lines when one line holds it, else lines chosen among the allowed
 * gaps (balanced when centred), built from the one-line measure (or forced
 * with shape()'s separators when they cannot be built). When `want_lines` > 0
 * and even greedy lines are more than that, the greedy result is returned (the
 * caller only learns that it does not fit). When no choice fits (a word wider
 * than the line), Pango's greedy lines stay, and the caller's checks report the
 * overflow. */
static sh_para *shape_para(vb_typesetter *ts, const char *text, size_t len, const shape_req *rq,
                           const vb_range *keeps, size_t nkeeps, int want_lines) {
  if (rq->width <= 0) return shape(ts, text, len, rq, NULL, 0);
  float *xs = g_new0(float, len + 1);
  size_t nhard = 1;
  for (size_t i = 0; i < len; i++) nhard += text[i] == '\n';
  size_t *hstart = g_new(size_t, nhard + 1);
  float *hend = g_new(float, nhard + 1);
  unwrapped u;
  size_t nl;
  if (measure_words(ts, text, len, rq, xs, hstart, hend, nhard, &u, &nl)) {
    if (ts->check) check_words(ts, text, len, rq, xs, hend, nhard, &u, nl);
  } else {
    memset(xs, 0, sizeof *xs * (len + 1));
    nl = measure_unwrapped(ts, text, len, rq, xs, hstart, hend, nhard, &u);
  }
  /* Pango's own lines are shaped only when they are the answer (a missing
   * glyph, a line count to compare, no allowed choice) and cannot be built
   * from the one-line measure. */
  sh_para *p = NULL;
  bool one_line = nl == 1 && hend[0] - xs[0] <= rq->width - (rq->indent > 0 ? rq->indent : 0);
  if (want_lines > 0 || one_line) {
    p = one_line ? build_lines(ts, text, len, rq, &u, NULL, 0) : NULL;
    if (p && ts->check) check_built(ts, text, len, rq, NULL, 0, p);
    if (!p) p = shape(ts, text, len, rq, NULL, 0);
    if (p->nlines < 2 || p->missing || (want_lines > 0 && (int)p->nlines > want_lines)) {
      g_free(xs);
      g_free(hstart);
      g_free(hend);
      unwrapped_free(&u);
      return p;
    }
  }
  uint8_t *kinds = g_malloc(len + 1);
  vb_breaks_classify(text, len, keeps, nkeeps, kinds);
  vb_break_cand *cands = g_new(vb_break_cand, len + 1);
  uint32_t *offs = g_new(uint32_t, len + 1), *seps = g_new(uint32_t, len + 1);
  size_t *chosen = g_new(size_t, len + 1);
  size_t nseps = 0;
  bool feasible = nl > 0;
  float first_w = rq->width - (rq->indent > 0 ? rq->indent : 0);
  float rest_w = rq->width + (rq->indent < 0 ? rq->indent : 0);
  vb_break_mode mode = rq->align == VB_ALIGN_CENTER ? VB_BREAK_BALANCED : VB_BREAK_RAGGED;
  for (size_t k = 0; k < nl && feasible; k++) {
    size_t a = hstart[k], b = k + 1 < nl ? hstart[k + 1] : len;
    float x0 = xs[a];
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
      if (kinds[i] == VB_BREAK_NO) continue;
      size_t e = i;
      while (e < len && text[e] == ' ') e++;
      cands[n].x0 = xs[i] - x0;
      cands[n].x1 = xs[e] - x0;
      cands[n].kind = kinds[i];
      offs[n++] = (uint32_t)i;
    }
    int m = vb_breaks_choose(cands, n, hend[k] - x0, first_w - 0.05f, rest_w - 0.05f, mode,
                             chosen);
    if (m < 0) feasible = false;
    for (int j = 0; j < m; j++) seps[nseps++] = offs[chosen[j]];
  }
  if (feasible) {
    sh_para *q = build_lines(ts, text, len, rq, &u, seps, nseps);
    if (q && ts->check) check_built(ts, text, len, rq, seps, nseps, q);
    if (!q) q = shape(ts, text, len, rq, seps, nseps);
    if (!q->overflow && !q->missing && q->nlines == nseps + nl) {
      if (p) para_free(p);
      p = q;
    } else
      para_free(q);
  }
  if (!p) p = shape(ts, text, len, rq, NULL, 0);
  unwrapped_free(&u);
  g_free(kinds);
  g_free(xs);
  g_free(hstart);
  g_free(hend);
  g_free(cands);
  g_free(offs);
  g_free(seps);
  g_free(chosen);
  return p;
}

/* Appends v and '|' (cache keys are built for every line shaped: no printf). */
static void key_int(GString *k, long v, char end) {
  char buf[24], *p = buf + sizeof buf;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  *--p = end;
  do
    *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    *--p = '-';
  g_string_append_len(k, p, buf + sizeof buf - p);
}

static char *cache_key(const char *text, size_t len, const shape_req *rq, const vb_range *keeps,
                       size_t nkeeps, int want_lines) {
  GString *k = g_string_sized_new(len + 64);
  g_string_append(k, rq->family);
  g_string_append_c(k, '|');
  key_int(k, rq->weight, '|');
  key_int(k, rq->italic, '|');
  key_int(k, lrintf(rq->size * 100), '|');
  key_int(k, lrintf(rq->width * 100), '|');
  key_int(k, rq->align, '|');
  key_int(k, lrintf(rq->leading * 1000), '|');
  key_int(k, lrintf(rq->indent * 100), '|');
  key_int(k, want_lines, '|');
  for (size_t i = 0; i < nkeeps; i++) {
    key_int(k, (long)keeps[i].start, '-');
    key_int(k, (long)keeps[i].end, ',');
  }
  g_string_append_c(k, '|');
  g_string_append_len(k, text, (gssize)len);
  return g_string_free(k, FALSE);
}

/* Shaped paragraph, from a cache: `fixed` text stays for the whole run; other
 * text is kept until the next document starts with a full cache. */
static const sh_para *shape_cached(vb_typesetter *ts, const char *text, size_t len,
                                   const shape_req *rq, bool fixed, const vb_range *keeps,
                                   size_t nkeeps, int want_lines) {
  char *key = cache_key(text, len, rq, keeps, nkeeps, want_lines);
  GHashTable *cache = fixed ? ts->fixed : ts->varying;
  sh_para *p = g_hash_table_lookup(cache, key);
  if (p) {
    g_free(key);
    return p;
  }
  p = shape_para(ts, text, len, rq, keeps, nkeeps, want_lines);
  g_hash_table_insert(cache, key, p);
  return p;
}

/* ---- rendering context */
typedef struct seg {
  uint32_t start, end; /* in the expanded text */
  vb_span span;        /* record field, or the layout text */
  bool field;
  bool keep;           /* filter 'keep': no line break inside */
} seg;

typedef struct local {
  const char *name;
  const vb_value *value;
} local;

typedef struct ctx {
  vb_layout *l;
  vb_typesetter *ts;
  const vb_scope *scope;
  vb_diag *diag;
  vb_arena *arena;   /* per document */
  double scale;      /* paper size / designed size */
  double ox, oy;     /* offset, pt */
  float pw, ph;      /* page size, pt */
  local locals[16];
  size_t nlocals;
  int errors;
  float last_text_width; /* for "rule: text" */
  bool draft;            /* --draft: doc.draft set, doc.number blank */
  const char *names[16]; /* proper names of the record: no line break inside */
  size_t nnames;
} ctx;

typedef enum { IT_PARA, IT_RULE, IT_SPACE, IT_ROW, IT_IMAGE } item_kind;

typedef struct item item;
typedef struct column {
  float x, w, h;
  vb_valign valign;
  GArray *items;
} column;

struct item {
  item_kind kind;
  float h, before, after;
  const char *role;
  vb_span span;
  /* PARA */
  const sh_para *para;
  seg *segs;
  size_t nsegs;
  vb_color color;
  bool keep;
  /* RULE / IMAGE */
  float x, w, thickness;
  uint32_t image;
  /* ROW */
  column *cols;
  size_t ncols;
};

static void record_error(ctx *c, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
static void record_error(ctx *c, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_diag_verror(c->diag, span, fmt, ap);
  va_end(ap);
  c->errors++;
}

static const vb_value *lookup(ctx *c, const char *path) {
  if (!strncmp(path, "doc.", 4)) {
    /* what the run says of the document: a draft has no number yet */
    static const vb_value yes = {.kind = VB_VALUE_STRING, .str = "1", .len = 1};
    if (!strcmp(path + 4, "draft")) return c->draft ? &yes : NULL;
    if (!strcmp(path + 4, "number")) return c->draft ? NULL : vb_scope_lookup(c->scope, "event.number");
    return NULL;
  }
  if (!strncmp(path, "layout.", 7)) {
    for (size_t i = 0; i < c->l->noptions; i++)
      if (!strcmp(c->l->option_names[i], path + 7)) return &c->l->option_values[i];
    return NULL;
  }
  const char *dot = strchr(path, '.');
  size_t n = dot ? (size_t)(dot - path) : strlen(path);
  for (size_t i = c->nlocals; i-- > 0;)
    if (strlen(c->locals[i].name) == n && !memcmp(c->locals[i].name, path, n))
      return dot ? vb_value_lookup(c->locals[i].value, dot + 1) : c->locals[i].value;
  return vb_scope_lookup(c->scope, path);
}

/* The text of a value: a list of texts is joined with ", ". */
static const char *value_text(ctx *c, const vb_value *v) {
  if (!v || v->kind == VB_VALUE_NULL) return "";
  if (v->kind == VB_VALUE_STRING) return v->str;
  if (v->kind == VB_VALUE_SEQ) {
    vb_strbuf sb = VB_STRBUF_INIT;
    for (const vb_value *e = v->first; e; e = e->next) {
      const char *s = e->kind == VB_VALUE_STRING ? e->str
                      : vb_value_str(vb_value_get(e, "name")) ? vb_value_str(vb_value_get(e, "name"))
                                                               : "";
      if (!*s) continue;
      if (sb.len) vb_strbuf_puts(&sb, ", ");
      vb_strbuf_puts(&sb, s);
    }
    char *out = vb_arena_strdup(c->arena, vb_strbuf_cstr(&sb));
    vb_strbuf_free(&sb);
    return out;
  }
  const char *name = vb_value_str(vb_value_get(v, "name"));
  return name ? name : "";
}

static void add_seg(GArray *segs, size_t start, size_t end, vb_span span, bool field,
                    bool keep) {
  seg s = {(uint32_t)start, (uint32_t)end, span, field, keep};
  g_array_append_val(segs, s);
}

/* Expands a text template. Returns 0, or -1 after reporting a filter error. */
static int expand(ctx *c, const vb_ttext *t, bool upper, vb_strbuf *out, GArray *segs) {
  vb_strbuf tmp = VB_STRBUF_INIT, msg = VB_STRBUF_INIT;
  int rc = 0;
  for (size_t i = 0; i < t->nparts && rc == 0; i++) {
    const vb_tpart *p = &t->parts[i];
    const char *s;
    vb_span span = p->span;
    char *owned = NULL;
    if (p->lit) {
      s = p->lit;
    } else {
      const vb_value *v = lookup(c, p->path);
      s = value_text(c, v);
      if (v && vb_span_is_set(v->span)) span = v->span;
      for (size_t f = 0; f < p->nfilters; f++) {
        const vb_tfilter *fl = &p->filters[f];
        const char *args[8];
        size_t na = fl->nargs < 8 ? fl->nargs : 8;
        for (size_t a = 0; a < na; a++)
          args[a] = fl->args[a].lit ? fl->args[a].lit : value_text(c, lookup(c, fl->args[a].path));
        vb_strbuf_reset(&tmp);
        vb_strbuf_reset(&msg);
        if (vb_filter_apply(fl->name, s, na, args, &tmp, &msg) != 0) {
          record_error(c, span, "%s", vb_strbuf_cstr(&msg));
          vb_diag_note(c->diag, fl->span, "in filter '%s' of layout '%s'", fl->name, c->l->name);
          rc = -1;
          break;
        }
        free(owned);
        owned = vb_xstrdup(vb_strbuf_cstr(&tmp));
        s = owned;
      }
      if (rc) {
        free(owned);
        break;
      }
    }
    size_t start = out->len;
    if (upper) {
      char *u = vb_utf8_upper(s, strlen(s));
      vb_strbuf_puts(out, u);
      free(u);
    } else
      vb_strbuf_puts(out, s);
    bool keep = false;
    for (size_t f = 0; f < p->nfilters; f++) keep |= !strcmp(p->filters[f].name, "keep");
    if (out->len > start) add_seg(segs, start, out->len, span, p->path != NULL, keep);
    free(owned);
  }
  vb_strbuf_free(&tmp);
  vb_strbuf_free(&msg);
  return rc;
}

/* The span that best names [start, end) of the text: the record field with the
 * most bytes in it (the name rather than the "Ông" made from the gender), else
 * the first piece there, else def. */
static vb_span best_span(const seg *segs, size_t n, uint32_t start, uint32_t end, vb_span def) {
  uint32_t best = 0;
  vb_span out = def;
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    uint32_t a = segs[i].start > start ? segs[i].start : start;
    uint32_t b = segs[i].end < end ? segs[i].end : end;
    if (a >= b) continue;
    if (!any) out = segs[i].span, any = true;
    if (segs[i].field && b - a > best) best = b - a, out = segs[i].span;
  }
  return out;
}

/* A value for a message: at most about 60 characters, then "…". */
static void excerpt(const char *s, char *buf, size_t cap) {
  size_t n = 0, chars = 0;
  const char *p = s ? s : "";
  while (*p && chars < 60) {
    size_t len = 1;
    while ((p[len] & 0xC0) == 0x80) len++;
    if (n + len + 4 >= cap) break;
    memcpy(buf + n, p, len);
    n += len;
    p += len;
    chars++;
  }
  if (*p) {
    memcpy(buf + n, "…", strlen("…"));
    n += strlen("…");
  }
  buf[n] = 0;
}

static vb_span span_at(const seg *segs, size_t n, size_t off, vb_span def) {
  for (size_t i = 0; i < n; i++)
    if (off >= segs[i].start && off < segs[i].end) return segs[i].span;
  return def;
}

static bool blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\n' && *s != '\t') return false;
  return true;
}

static shape_req req_for(const ctx *c, const vb_style *st, float size, float width) {
  shape_req rq = {st->family, st->weight, st->italic, size, width, st->align,
                  (float)st->leading, (float)(st->indent * c->scale)};
  return rq;
}

static float align_x(vb_align a, float box, float w) {
  return a == VB_ALIGN_CENTER ? (box - w) / 2 : a == VB_ALIGN_RIGHT ? box - w : 0;
}

static bool fits(const sh_para *p, int lines) {
  return !p->overflow && (lines <= 0 || (int)p->nlines <= lines);
}

/* The text of a paragraph and the ranges that should not break (names). */
typedef struct ptext {
  const char *s;
  size_t len;
  const vb_range *keeps;
  size_t nkeeps;
  bool fixed;
} ptext;

static const sh_para *shape_at(ctx *c, const ptext *t, shape_req *rq, float size, bool fixed,
                               int want_lines) {
  rq->size = size;
  return shape_cached(c->ts, t->s, t->len, rq, fixed, t->keeps, t->nkeeps, want_lines);
}

/* Largest size in [lo, hi) at which the text fits `lines` lines, to 0.1 pt;
 * `best` is the paragraph at lo (which fits). */
static const sh_para *largest_fit(ctx *c, const ptext *t, shape_req *rq, float lo, float hi,
                                  int lines, const sh_para *best) {
  float a = lo, b = hi;
  while (b - a > 0.1f) {
    float m = floorf((a + b) / 2 * 10) / 10;
    if (m <= a) break;
    const sh_para *p = shape_at(c, t, rq, m, false, lines);
    if (fits(p, lines)) a = m, best = p;
    else b = m;
  }
  return best;
}

/* Fits the text to its box (see "Fitting" in README): wrap first (running
 * text: as many lines as allowed at the style's size, then smaller), or shrink
 * first (names: one line as large as it fits, then two, ...). */
static const sh_para *fit_text(ctx *c, const vb_tnode *n, const ptext *t, float width) {
  const vb_style *st = &n->style;
  float size = (float)(st->size * c->scale), min = (float)(n->fit_min * c->scale);
  shape_req rq = req_for(c, st, size, width);
  int maxl = n->max_lines;
  bool shrink = n->fit_first == VB_FIT_SHRINK && maxl > 1 && min < size;
  const sh_para *p = shape_at(c, t, &rq, size, t->fixed, shrink ? 1 : maxl);
  if (fits(p, shrink ? 1 : maxl) || maxl == 0 || min >= size) return p; /* else the caller reports */
  if (!shrink) {
    const sh_para *lo = shape_at(c, t, &rq, min, t->fixed, maxl);
    if (!fits(lo, maxl)) return lo;
    return largest_fit(c, t, &rq, min, size, maxl, lo);
  }
  for (int lines = 1; lines <= maxl; lines++) {
    p = shape_at(c, t, &rq, size, t->fixed, lines);
    if (fits(p, lines)) return p;
    const sh_para *lo = shape_at(c, t, &rq, min, t->fixed, lines);
    if (!fits(lo, lines)) continue;
    return largest_fit(c, t, &rq, min, size, lines, lo);
  }
  return shape_at(c, t, &rq, min, t->fixed, maxl);
}

static void measure_blocks(ctx *c, const vb_tnode *n, float width, GArray *items,
                           GPtrArray *boxes);

/* One paragraph item of text [0, len) with its pieces `segs` (offsets into it). */
static void para_item(ctx *c, const vb_tnode *n, const char *data, size_t len, GArray *segs,
                      float width, bool fixed, GArray *items) {
  /* the measure: centred lines kept within a comfortable width of the box */
  float box_w = width;
  if (n->style.measure.set) {
    float m = n->style.measure.pct ? (float)(width * n->style.measure.v / 100)
                                   : (float)(n->style.measure.v * c->scale);
    if (m > 0 && m < width) width = m;
  }
  seg *sg = (seg *)segs->data;
  vb_range keeps[32];
  size_t nkeeps = 0;
  for (guint i = 0; i < segs->len && nkeeps < 16; i++)
    if (sg[i].keep) keeps[nkeeps++] = (vb_range){sg[i].start, sg[i].end};
  if (memchr(data, ' ', len))
    nkeeps += vb_breaks_find_names(data, len, c->names, c->nnames, keeps + nkeeps,
                                   32 - nkeeps);
  ptext pt = {data, len, keeps, nkeeps, fixed};
  const sh_para *p = fit_text(c, n, &pt, width);
  vb_span where = best_span(sg, segs->len, 0, (uint32_t)len, segs->len ? sg[0].span : n->span);
  char shown[96];
  excerpt(data, shown, sizeof shown);
  if (p->missing) {
    char ch[8] = {0};
    vb_utf8_put(p->missing_cp, ch);
    record_error(c, span_at(sg, segs->len, p->missing_off, where),
                 "character '%s' (U+%04X) is not in any bundled font", ch, p->missing_cp);
  } else if (!fits(p, n->max_lines)) {
    if (n->max_lines > 0)
      record_error(c, where,
                   "'%s' does not fit its box (%.0f mm wide) in %d line%s even at %.1f pt",
                   shown, width / MM, n->max_lines, n->max_lines > 1 ? "s" : "",
                   (double)p->size);
    else
      record_error(c, where, "'%s' has a word too long for its box (%.0f mm wide)", shown,
                   width / MM);
  }
  item it = {0};
  it.kind = IT_PARA;
  it.para = p;
  it.x = align_x(n->style.align == VB_ALIGN_JUSTIFY ? VB_ALIGN_CENTER : n->style.align, box_w,
                 width);
  it.h = p->height;
  it.before = (float)(n->style.space_before * c->scale);
  it.after = (float)(n->style.space_after * c->scale);
  it.color = n->style.color;
  it.role = n->role;
  it.span = where;
  it.keep = n->style.keep;
  it.nsegs = segs->len;
  it.segs = vb_arena_alloc(c->arena, sizeof(seg) * (segs->len + 1));
  if (segs->len) memcpy(it.segs, segs->data, sizeof(seg) * segs->len);
  g_array_append_val(items, it);
  c->last_text_width = p->max_width;
}

/* `required`: every field the text names must have a value (but those written
 * with prefix, suffix or default); reports the first missing one at the record
 * value that should hold it. Returns false then. */
static bool required_fields(ctx *c, const vb_tnode *n) {
  for (size_t i = 0; i < n->text.nparts; i++) {
    const vb_tpart *pt = &n->text.parts[i];
    if (!pt->path || !blank(value_text(c, lookup(c, pt->path)))) continue;
    /* a field written with 'prefix', 'suffix' or 'default' is optional by design */
    bool optional = false;
    for (size_t f = 0; f < pt->nfilters; f++)
      optional |= !strcmp(pt->filters[f].name, "prefix") ||
                  !strcmp(pt->filters[f].name, "suffix") ||
                  !strcmp(pt->filters[f].name, "default");
    if (optional) continue;
    /* the nearest value on the path that exists names the place */
    char *parent = g_strdup(pt->path);
    const vb_value *pv = NULL;
    char *dot;
    while (!pv && (dot = strrchr(parent, '.'))) {
      *dot = 0;
      pv = lookup(c, parent);
    }
    g_free(parent);
    const char *field = strrchr(pt->path, '.') ? strrchr(pt->path, '.') + 1 : pt->path;
    vb_span where = pv && vb_span_is_set(pv->span)
                        ? vb_span_make(pv->span.src, pv->span.start, pv->span.start)
                        : c->scope->span;
    record_error(c, where, "missing field '%s': layout '%s' prints it here", field, c->l->name);
    vb_diag_note(c->diag, pt->span, "the layout names '%s' here", pt->path);
    return false;
  }
  return true;
}

static void text_item(ctx *c, const vb_tnode *n, float width, GArray *items) {
  if (n->required && !required_fields(c, n)) return;
  vb_strbuf text = VB_STRBUF_INIT;
  GArray *segs = g_array_new(FALSE, FALSE, sizeof(seg));
  if (expand(c, &n->text, n->style.upper, &text, segs) != 0 || blank(vb_strbuf_cstr(&text))) {
    vb_strbuf_free(&text);
    g_array_free(segs, TRUE);
    return;
  }
  if (!n->paragraphs) {
    para_item(c, n, text.data, text.len, segs, width, n->text.fixed, items);
  } else {
    /* one paragraph per line of the text; blank lines only separate */
    GArray *part = g_array_new(FALSE, FALSE, sizeof(seg));
    size_t a = 0;
    while (a < text.len) {
      size_t b = a;
      while (b < text.len && text.data[b] != '\n') b++;
      size_t s = a, e = b;
      while (s < e && (text.data[s] == ' ' || text.data[s] == '\t' || text.data[s] == '\r')) s++;
      while (e > s && (text.data[e - 1] == ' ' || text.data[e - 1] == '\t' ||
                       text.data[e - 1] == '\r'))
        e--;
      if (e > s) {
        g_array_set_size(part, 0);
        for (guint k = 0; k < segs->len; k++) {
          seg sg = g_array_index(segs, seg, k);
          uint32_t x0 = sg.start > s ? sg.start : (uint32_t)s;
          uint32_t x1 = sg.end < e ? sg.end : (uint32_t)e;
          if (x0 >= x1) continue;
          sg.start = x0 - (uint32_t)s;
          sg.end = x1 - (uint32_t)s;
          g_array_append_val(part, sg);
        }
        char *piece = g_strndup(text.data + s, e - s);
        para_item(c, n, piece, e - s, part, width, n->text.fixed, items);
        g_free(piece);
      }
      a = b + 1;
    }
    g_array_free(part, TRUE);
  }
  vb_strbuf_free(&text);
  g_array_free(segs, TRUE);
}

#define IMAGE_FAILED GUINT_TO_POINTER(G_MAXUINT) /* ts->images: checked and refused */

/* Resolves, checks and registers an image; returns its id or -1 (reported). */
static int64_t image_for(ctx *c, const char *file, bool from_layout, vb_span span, double *w,
                         double *h) {
  vb_typesetter *ts = c->ts;
  char *path;
  if (file[0] != '/' && from_layout) {
    /* a file named in the layout itself is relative to the layout */
    char *dir = g_path_get_dirname(c->l->path);
    path = g_build_filename(dir, file, NULL);
    g_free(dir);
  } else
    path = g_strdup(file);
  gpointer v = g_hash_table_lookup(ts->images, path);
  uint32_t id;
  if (v == IMAGE_FAILED) {
    /* checked once (the error said why); every record that uses it fails */
    vb_diag_error(c->diag, span, "cannot use image '%s' (see the first error about it)", path);
    c->errors++;
    g_free(path);
    return -1;
  }
  if (v) {
    id = (uint32_t)GPOINTER_TO_UINT(v) - 1;
  } else {
    vb_image_kind kind;
    double iw, ih;
    /* the whole file is checked now, while the record is bound: a bad image
     * fails the records that use it, not the PDF being written */
    if (vb_image_check(path, &c->l->limits, &kind, &iw, &ih, c->diag, span) != 0) {
      c->errors++;
      g_hash_table_insert(ts->images, g_strdup(path), IMAGE_FAILED);
      vb_resources_add_refused(ts->res, path);
      g_free(path);
      return -1;
    }
    id = vb_resources_add_image(ts->res, path, kind, iw, ih);
    g_hash_table_insert(ts->images, g_strdup(path), GUINT_TO_POINTER(id + 1));
  }
  const vb_image_res *ir = vb_resources_image(ts->res, id);
  *w = ir->width;
  *h = ir->height;
  g_free(path);
  return id;
}

static bool image_item(ctx *c, const vb_tnode *n, float width, item *out) {
  vb_strbuf file = VB_STRBUF_INIT;
  GArray *segs = g_array_new(FALSE, FALSE, sizeof(seg));
  bool ok = expand(c, &n->file, false, &file, segs) == 0 && !blank(vb_strbuf_cstr(&file));
  vb_span span = segs->len ? g_array_index(segs, seg, 0).span : n->span;
  double iw = 0, ih = 0;
  int64_t id = ok ? image_for(c, vb_strbuf_cstr(&file), n->file.fixed, span, &iw, &ih) : -1;
  vb_strbuf_free(&file);
  g_array_free(segs, TRUE);
  if (id < 0) return false;
  float w = n->img_w.set ? (float)(n->img_w.v * c->scale) : 0;
  float h = n->img_h.set ? (float)(n->img_h.v * c->scale) : 0;
  if (!w) w = ih > 0 ? (float)(h * iw / ih) : h;
  if (!h) h = iw > 0 ? (float)(w * ih / iw) : w;
  if (n->img_w.set && n->img_h.set && iw > 0 && ih > 0) {
    /* keep the aspect ratio inside the given box */
    float sw = w / (float)iw, sh = h / (float)ih, s = sw < sh ? sw : sh;
    float fw = (float)iw * s, fh = (float)ih * s;
    w = fw, h = fh;
  }
  memset(out, 0, sizeof *out);
  out->kind = IT_IMAGE;
  out->image = (uint32_t)id;
  out->w = w;
  out->h = h;
  out->x = align_x(n->align, width, w);
  out->before = (float)(n->space_before * c->scale);
  out->after = (float)(n->space_after * c->scale);
  out->role = n->role;
  out->span = span;
  return true;
}

static float items_height(const GArray *items) {
  float h = 0;
  for (guint i = 0; i < items->len; i++) {
    const item *it = &g_array_index(items, item, i);
    h += it->before + it->h + it->after;
  }
  return h;
}

static bool truthy(const vb_value *v) {
  if (!v || v->kind == VB_VALUE_NULL) return false;
  if (v->kind == VB_VALUE_STRING) return !blank(v->str);
  return v->count > 0;
}

/* `if: FIELD` with `is: VALUE`: the field's text equals VALUE, ignoring case and
 * the spaces around it. */
static bool same_text(ctx *c, const vb_value *v, const char *want) {
  const char *s = v ? value_text(c, v) : NULL;
  if (!s) return false;
  char *a = g_utf8_casefold(s, -1), *b = g_utf8_casefold(want, -1);
  g_strstrip(a);
  g_strstrip(b);
  bool eq = !strcmp(a, b);
  g_free(a);
  g_free(b);
  return eq;
}

static void free_items(GArray *items);

/* The award form of the record ("giấy khen" when it names none). */
static const char *record_form(ctx *c) {
  const vb_value *v = lookup(c, "award.form");
  return v && v->kind == VB_VALUE_STRING && *v->str ? v->str : "giấy khen";
}

static void measure_blocks(ctx *c, const vb_tnode *n, float width, GArray *items,
                           GPtrArray *boxes) {
  for (; n; n = n->next) {
    switch (n->kind) {
    case VB_T_TEXT:
      text_item(c, n, width, items);
      break;
    case VB_T_SPACE: {
      item it = {0};
      it.kind = IT_SPACE;
      it.h = n->sheet_mm ? (float)n->h : (float)(n->h * c->scale);
      it.role = n->role;
      g_array_append_val(items, it);
      break;
    }
    case VB_T_RULE: {
      item it = {0};
      it.kind = IT_RULE;
      float w = n->of_text > 0 ? (float)(c->last_text_width * n->of_text)
                : !n->width.set ? c->last_text_width
                : n->width.pct ? (float)(width * n->width.v / 100)
                               : (float)(n->width.v * c->scale);
      if (w > width) w = width;
      it.w = w;
      it.x = align_x(n->align, width, w);
      it.thickness = (float)(n->thickness * c->scale);
      it.h = it.thickness;
      it.color = n->color;
      it.before = (float)(n->space_before * c->scale);
      it.after = (float)(n->space_after * c->scale);
      it.role = n->role;
      it.span = n->span;
      g_array_append_val(items, it);
      break;
    }
    case VB_T_IMAGE: {
      if (n->absolute) {
        if (boxes) g_ptr_array_add(boxes, (gpointer)n);
        break;
      }
      item it;
      if (image_item(c, n, width, &it)) g_array_append_val(items, it);
      break;
    }
    case VB_T_ROW: {
      item it = {0};
      it.kind = IT_ROW;
      it.role = n->role;
      it.keep = n->style.keep;
      it.before = (float)(n->space_before * c->scale);
      it.after = (float)(n->space_after * c->scale);
      size_t ncols = 0;
      float fixed_w = 0;
      int flexible = 0;
      for (const vb_tnode *col = n->children; col; col = col->next, ncols++) {
        if (!col->width.set) flexible++;
        else fixed_w += col->width.pct ? (float)(width * col->width.v / 100)
                                       : (float)(col->width.v * c->scale);
      }
      it.cols = vb_arena_alloc(c->arena, sizeof(column) * (ncols + 1));
      it.ncols = ncols;
      float x = 0, rest = width - fixed_w;
      size_t i = 0;
      for (const vb_tnode *col = n->children; col; col = col->next, i++) {
        column *cl = &it.cols[i];
        cl->w = !col->width.set ? (flexible ? rest / flexible : 0)
                : col->width.pct ? (float)(width * col->width.v / 100)
                                 : (float)(col->width.v * c->scale);
        cl->x = x;
        x += cl->w;
        cl->valign = col->valign;
        cl->items = g_array_new(FALSE, TRUE, sizeof(item));
        measure_blocks(c, col->children, cl->w, cl->items, boxes);
        cl->h = items_height(cl->items);
        if (cl->h > it.h) it.h = cl->h;
      }
      g_array_append_val(items, it);
      break;
    }
    case VB_T_IF: {
      bool t = n->is ? same_text(c, lookup(c, n->path), n->is) : truthy(lookup(c, n->path));
      if (n->negate) t = !t;
      measure_blocks(c, t ? n->children : n->otherwise, width, items, boxes);
      break;
    }
    case VB_T_REPEAT: {
      const vb_value *list = lookup(c, n->path);
      if (!list || list->kind == VB_VALUE_NULL) break;
      if (c->nlocals >= sizeof c->locals / sizeof c->locals[0]) break;
      size_t slot = c->nlocals++;
      c->locals[slot].name = n->as;
      if (list->kind == VB_VALUE_SEQ) {
        for (const vb_value *e = list->first; e; e = e->next) {
          c->locals[slot].value = e;
          measure_blocks(c, n->children, width, items, boxes);
        }
      } else {
        c->locals[slot].value = list;
        measure_blocks(c, n->children, width, items, boxes);
      }
      c->nlocals--;
      break;
    }
    case VB_T_BOX:
    case VB_T_PATH:
    case VB_T_RECT:
      if (boxes) g_ptr_array_add(boxes, (gpointer)n);
      break;
    case VB_T_FORM: {
      const char *form = record_form(c);
      for (size_t i = 0; i < c->l->nform_parts; i++) {
        const vb_form_part *fp = &c->l->form_parts[i];
        if (!strcmp(fp->form, form) && !strcmp(fp->part, n->path))
          measure_blocks(c, fp->blocks, width, items, boxes);
      }
      break;
    }
    case VB_T_COLUMN:
      break;
    }
  }
}

static void free_items(GArray *items) {
  for (guint i = 0; i < items->len; i++) {
    item *it = &g_array_index(items, item, i);
    for (size_t k = 0; k < it->ncols; k++) free_items(it->cols[k].items);
  }
  g_array_free(items, TRUE);
}

/* ---- emitting */
/* Emits lines [l0, l1) of a paragraph with line l0's top at y. */
static void emit_lines(vb_dlist *dl, const item *it, float x, float y, size_t l0, size_t l1) {
  const sh_para *p = it->para;
  if (l0 >= p->nlines) return;
  x += it->x; /* a measure narrower than the box */
  float dy = y - p->lines[l0].top;
  size_t r0 = p->lines[l0].run0;
  size_t r1 = l1 < p->nlines ? p->lines[l1].run0 : p->nruns;
  for (size_t i = r0; i < r1; i++) {
    const sh_run *r = &p->runs[i];
    vb_span span = best_span(it->segs, it->nsegs, r->tstart, r->tstart + r->tlen, it->span);
    vb_dlist_add_glyphs(dl, it->role, span, r->font, p->size, it->color, x + r->x,
                        dy + r->baseline, r->glyphs, r->n, p->text + r->tstart, r->tlen,
                        r->clusters);
    vb_dlist_set_run_width(dl, r->ink);
  }
}

static void emit_para(ctx *c, vb_dlist *dl, const item *it, float x, float y) {
  (void)c;
  emit_lines(dl, it, x, y, 0, it->para->nlines);
}

/* Emits one item whose space_before starts at y. */
static void emit_item(ctx *c, vb_dlist *dl, const item *it, float x, float y);

static void emit_items(ctx *c, vb_dlist *dl, const GArray *items, float x, float y) {
  for (guint i = 0; i < items->len; i++) {
    const item *it = &g_array_index(items, item, i);
    emit_item(c, dl, it, x, y);
    y += it->before + it->h + it->after;
  }
}

static void emit_item(ctx *c, vb_dlist *dl, const item *it, float x, float y) {
  y += it->before;
  switch (it->kind) {
  case IT_PARA:
    emit_para(c, dl, it, x, y);
    break;
  case IT_RULE:
    vb_dlist_add_rect(dl, it->role, it->span, x + it->x, y, it->w, it->thickness, it->color,
                      (vb_color){0, 0, 0, 0}, 0);
    break;
  case IT_IMAGE:
    vb_dlist_add_image(dl, it->role, it->span, it->image, x + it->x, y, it->w, it->h);
    break;
  case IT_ROW:
    for (size_t k = 0; k < it->ncols; k++) {
      const column *cl = &it->cols[k];
      float dy = cl->valign == VB_VALIGN_MIDDLE   ? (it->h - cl->h) / 2
                 : cl->valign == VB_VALIGN_BOTTOM ? it->h - cl->h
                                                  : 0;
      emit_items(c, dl, cl->items, x + cl->x, y + dy);
    }
    break;
  case IT_SPACE:
    break;
  }
}

static float X(const ctx *c, double v) { return (float)(v * c->scale + c->ox); }
static float Y(const ctx *c, double v) { return (float)(v * c->scale + c->oy); }

/* Where a box's top is on this sheet: `below:` another box keeps its gap in the
 * sheet's millimetres on any --paper. */
static float box_top(const ctx *c, const vb_tnode *n) {
  if (n->kind == VB_T_BOX && n->below)
    return Y(c, n->below->y + n->below->h) + (float)n->below_gap;
  return Y(c, n->y);
}

static void emit_shape(ctx *c, vb_dlist *dl, const vb_tnode *n) {
  if (n->kind == VB_T_RECT) {
    vb_dlist_add_rect(dl, n->role, n->span, X(c, n->x), Y(c, n->y), (float)(n->w * c->scale),
                      (float)(n->h * c->scale), n->fill, n->stroke,
                      (float)(n->line_width * c->scale));
    return;
  }
  vb_path_el *els = vb_arena_alloc(c->arena, sizeof(vb_path_el) * (n->nels + 1));
  for (uint32_t i = 0; i < n->nels; i++) {
    els[i] = n->els[i];
    for (int k = 0; k < 6; k += 2) {
      els[i].pt[k] = X(c, n->els[i].pt[k]);
      els[i].pt[k + 1] = Y(c, n->els[i].pt[k + 1]);
    }
  }
  vb_dlist_add_path(dl, n->role, n->span, els, n->nels, n->fill, n->stroke,
                    (float)(n->line_width * c->scale), n->outline);
}

/* Lays out the blocks of a box and emits them; the content must fit. */
static void emit_box(ctx *c, vb_dlist *dl, const vb_tnode *n) {
  if (n->kind == VB_T_PATH || n->kind == VB_T_RECT) {
    emit_shape(c, dl, n);
    return;
  }
  if (n->kind == VB_T_IMAGE) {
    item it;
    if (image_item(c, n, 0, &it))
      vb_dlist_add_image(dl, it.role, it.span, it.image, X(c, n->x), Y(c, n->y), it.w, it.h);
    return;
  }
  float w = (float)(n->w * c->scale), h = (float)(n->h * c->scale);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
  GPtrArray *inner = g_ptr_array_new();
  int before = c->errors;
  measure_blocks(c, n->children, w, items, inner);
  float need = items_height(items);
  if (need > h + 0.5f && c->errors == before) {
    vb_span where = n->span;
    for (guint i = 0; i < items->len; i++)
      if (g_array_index(items, item, i).kind == IT_PARA) {
        where = g_array_index(items, item, i).span;
        break;
      }
    record_error(c, where, "the text of box '%s' does not fit: it needs %.1f mm, the box has %.1f mm",
                 n->role, need / MM, h / MM);
  }
  float dy = n->valign == VB_VALIGN_MIDDLE ? (h - need) / 2 : n->valign == VB_VALIGN_BOTTOM ? h - need : 0;
  if (n->outline)
    vb_dlist_add_rect(dl, "outline", n->span, X(c, n->x), box_top(c, n), w, h, (vb_color){0, 0, 0, 0},
                      (vb_color){0.8f, 0, 0, 1}, 0.5f);
  emit_items(c, dl, items, X(c, n->x), box_top(c, n) + dy);
  for (guint i = 0; i < inner->len; i++) emit_box(c, dl, g_ptr_array_index(inner, i));
  g_ptr_array_free(inner, TRUE);
  free_items(items);
}

/* Fields whose values are proper names: a line never breaks inside one of them,
 * wherever its text appears (also upper-cased, inside another text), unless no
 * other break fits. Layouts mark more with the filter 'keep'. */
static const char *const name_fields[] = {
    "org.name",         "org.place",         "org.superior",
    "recipient.display_name", "recipient.unit", "signer.name",   "event.venue",
    "event.chair.name", "event.secretary.name", "org.bulletin.name", "org.bulletin.publisher",
    NULL};

static void collect_names(ctx *c) {
  c->nnames = 0;
  if (!c->scope) return;
  for (const char *const *f = name_fields; *f && c->nnames < 16; f++) {
    const vb_value *v = vb_scope_lookup(c->scope, *f);
    const char *s = v && v->kind == VB_VALUE_STRING ? v->str : NULL;
    if (s && strchr(s, ' ')) c->names[c->nnames++] = s;
  }
}

static void ctx_init(ctx *c, vb_layout *l, vb_typesetter *ts, const vb_scope *scope,
                     const vb_layout_opts *opts, vb_diag *d) {
  memset(c, 0, sizeof *c);
  c->l = l;
  c->ts = ts;
  c->scope = scope;
  c->diag = d;
  c->arena = vb_arena_new();
  c->scale = 1;
  c->pw = (float)l->page_w;
  c->ph = (float)l->page_h;
  if (opts && opts->paper) {
    double w, h;
    if (vb_paper_size(opts->paper, &w, &h) == 0) {
      /* the paper in the layout's orientation; the design scaled by the short
       * sides (A-series papers share their proportions) */
      double design_short = l->page_w < l->page_h ? l->page_w : l->page_h;
      c->scale = (w < h ? w : h) * MM / design_short;
      bool landscape = l->page_w > l->page_h;
      double lo = (w < h ? w : h) * MM, hi = (w < h ? h : w) * MM;
      c->pw = (float)(landscape ? hi : lo);
      c->ph = (float)(landscape ? lo : hi);
    }
  }
  c->draft = opts && opts->draft;
  c->ox = opts ? opts->offset_x * MM : 0;
  c->oy = opts ? opts->offset_y * MM : 0;
  collect_names(c);
}

static uint32_t art_group(ctx *c) {
  vb_layout *l = c->l;
  for (size_t i = 0; i < l->ngroups; i++)
    if (l->groups[i].scale == c->scale && l->groups[i].ox == c->ox && l->groups[i].oy == c->oy)
      return l->groups[i].id;
  vb_dlist *g = vb_dlist_new(c->pw, c->ph);
  for (const vb_tnode *n = l->art; n; n = n->next) emit_box(c, g, n);
  uint32_t id = vb_resources_add_group(c->ts->res, g);
  if (l->ngroups < sizeof l->groups / sizeof l->groups[0]) {
    l->groups[l->ngroups].scale = c->scale;
    l->groups[l->ngroups].ox = c->ox;
    l->groups[l->ngroups].oy = c->oy;
    l->groups[l->ngroups].id = id;
    l->ngroups++;
  }
  return id;
}

static vb_dlist *new_page(ctx *c) {
  vb_dlist *page =
      vb_dlist_new(c->pw, c->ph);
  if (c->l->art) vb_dlist_add_group(page, "art", vb_span_none(), art_group(c));
  return page;
}

/* Height an item needs at the top of what remains: a paragraph's first line
 * (or two, so no line is left alone), anything else whole. */
static float min_start(const item *it) {
  if (it->kind == IT_PARA && it->para->nlines >= 4) {
    const sh_line *ln = &it->para->lines[1];
    return it->before + ln->top + ln->height - it->para->lines[0].top;
  }
  return it->before + it->h + it->after;
}

/* Flows items over pages: the first page's frame, then `next_frame` on each
 * new page. A paragraph of four lines or more may split between lines (two at
 * least on each side); `keep` items stay with the start of the next item.
 * Returns the last page; earlier pages are appended to `done`. */
static vb_dlist *paginate(ctx *c, GArray *items, vb_dlist *page, GPtrArray *done) {
  const vb_layout *l = c->l;
  float x = X(c, l->frame_x), top = Y(c, l->frame_y), h = (float)(l->frame_h * c->scale);
  float y = 0;
  for (guint i = 0; i < items->len; i++) {
    const item *it = &g_array_index(items, item, i);
    float need = it->before + it->h + it->after;
    float keep = 0;
    for (guint k = i; k + 1 < items->len && g_array_index(items, item, k).keep; k++) {
      const item *nx = &g_array_index(items, item, k + 1);
      keep += (k == i ? 0 : g_array_index(items, item, k).before + g_array_index(items, item, k).h +
                                g_array_index(items, item, k).after) +
              min_start(nx);
    }
    size_t l0 = 0;
    while (y + need + keep > h + 0.5f) {
      /* split a long paragraph between lines when enough of it fits here: two
       * lines at least on each side (no orphan, no widow), as often as it takes
       * for a paragraph longer than a page */
      bool can_split = it->kind == IT_PARA && !it->keep && it->para->nlines - l0 >= 4;
      if (y <= 0 && !can_split) break; /* a new page would not help */
      if (can_split) {
        const sh_para *p = it->para;
        size_t fit = l0;
        float base = p->lines[l0].top, before = l0 == 0 ? it->before : 0;
        while (fit < p->nlines &&
               y + before + (p->lines[fit].top + p->lines[fit].height - base) <= h + 0.5f)
          fit++;
        if (p->nlines - fit < 2) fit = p->nlines - 2; /* leave two for the next page */
        if (fit >= l0 + 2) {
          emit_lines(page, it, x, top + y + before, l0, fit);
          l0 = fit;
          need = it->h - (p->lines[l0].top - p->lines[0].top) + it->after;
        } else if (y <= 0) {
          break;
        }
      }
      g_ptr_array_add(done, page);
      page = new_page(c);
      x = X(c, l->next_x);
      top = Y(c, l->next_y);
      h = (float)(l->next_h * c->scale);
      y = 0;
    }
    if (it->kind == IT_PARA && l0 > 0) {
      emit_lines(page, it, x, top + y, l0, it->para->nlines);
      y += need;
      continue;
    }
    emit_item(c, page, it, x, top + y);
    y += need;
    if (need > h + 0.5f && c->errors == 0)
      record_error(c, it->span, "a block is taller than the page frame (%.1f mm > %.1f mm)",
                   need / MM, h / MM);
  }
  return page;
}

int vb_layout_render(vb_layout *l, vb_typesetter *ts, const vb_scope *scope,
                     const vb_layout_opts *opts, vb_dlist ***pages, size_t *npages,
                     vb_diag *d) {
  if (g_hash_table_size(ts->varying) > 512) g_hash_table_remove_all(ts->varying);
  ctx c;
  ctx_init(&c, l, ts, scope, opts, d);
  float pw = c.pw, ph = c.ph;
  vb_dlist *page = vb_dlist_new(pw, ph);
  if (l->art) {
    int before = c.errors;
    uint32_t gid = art_group(&c);
    if (c.errors == before) vb_dlist_add_group(page, "art", vb_span_none(), gid);
  }
  float fw = (float)(l->frame_w * c.scale), fh = (float)(l->frame_h * c.scale);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
  GPtrArray *boxes = g_ptr_array_new();
  GPtrArray *done = g_ptr_array_new();
  if (!strcmp(l->document, "certificate") && scope && vb_scope_lookup(scope, "award.form")) {
    /* a form the layout does not print is an error, never another form's page */
    const char *form = record_form(&c);
    bool ok = false;
    for (const char *const *f = l->forms; *f && !ok; f++) ok = !strcmp(*f, form);
    if (!ok) {
      vb_strbuf have = VB_STRBUF_INIT;
      for (const char *const *f = l->forms; *f; f++) {
        if (have.len) vb_strbuf_puts(&have, f[1] ? ", " : " and ");
        vb_strbuf_puts(&have, *f);
      }
      const vb_value *fv = vb_scope_lookup(scope, "award.form");
      record_error(&c, fv && vb_span_is_set(fv->span) ? fv->span : scope->span,
                   "layout '%s' does not print the award form '%s' (it prints %s): choose a "
                   "layout with -l (see 'vanban layouts') or add the form to the layout's "
                   "'forms'",
                   l->name, form, vb_strbuf_cstr(&have));
      vb_strbuf_free(&have);
    }
  }
  measure_blocks(&c, l->body, fw, items, boxes);
  float need = items_height(items);
  if (!strcmp(l->document, "certificate")) {
    /* one page a record: what does not fit is an error, never a second page */
    if (need > fh + 0.5f && c.errors == 0)
      record_error(&c, scope->span,
                   "the document does not fit its page: the text needs %.1f mm, the frame has "
                   "%.1f mm",
                   need / MM, fh / MM);
    float dy = l->frame_valign == VB_VALIGN_MIDDLE   ? (fh - need) / 2
               : l->frame_valign == VB_VALIGN_BOTTOM ? fh - need
                                                     : 0;
    if (dy < 0) dy = 0;
    emit_items(&c, page, items, X(&c, l->frame_x), Y(&c, l->frame_y) + dy);
  } else {
    page = paginate(&c, items, page, done);
  }
  for (guint i = 0; i < boxes->len; i++)
    emit_box(&c, done->len ? g_ptr_array_index(done, 0) : page, g_ptr_array_index(boxes, i));
  g_ptr_array_add(done, page);
  if (strcmp(l->document, "certificate")) {
    /* the text frame of each page (for checks), and its number */
    for (guint i = 0; i < done->len; i++) {
      vb_dlist *pg = g_ptr_array_index(done, i);
      vb_dlist_set_frame(pg, X(&c, i ? l->next_x : l->frame_x), Y(&c, i ? l->next_y : l->frame_y),
                         fw, (float)((i ? l->next_h : l->frame_h) * c.scale));
      if (l->page_number && (int)i + 1 >= l->page_number_from) {
        char num[16];
        int len = snprintf(num, sizeof num, "%u", i + 1);
        const vb_style *st = l->page_number;
        shape_req rq = req_for(&c, st, (float)(st->size * c.scale), fw);
        rq.align = VB_ALIGN_CENTER;
        rq.indent = 0;
        const sh_para *p = shape_cached(ts, num, (size_t)len, &rq, true, NULL, 0, 0);
        item it = {0};
        it.kind = IT_PARA;
        it.para = p;
        it.color = st->color;
        it.role = "page_number";
        it.span = vb_span_none();
        emit_para(&c, pg, &it, X(&c, l->next_x), Y(&c, l->page_number_y));
      }
    }
  }
  g_ptr_array_free(boxes, TRUE);
  free_items(items);
  vb_arena_free(c.arena);
  if (c.errors) {
    for (guint i = 0; i < done->len; i++) vb_dlist_free(g_ptr_array_index(done, i));
    g_ptr_array_free(done, TRUE);
    return VB_ERECORD;
  }
  *pages = g_renew(vb_dlist *, *pages, *npages + done->len);
  for (guint i = 0; i < done->len; i++) (*pages)[(*npages)++] = g_ptr_array_index(done, i);
  g_ptr_array_free(done, TRUE);
  return VB_OK;
}

/* ---- calibration page */
static void label(ctx *c, vb_dlist *dl, const char *text, float x, float y, float size,
                  vb_color color) {
  vb_style st;
  memset(&st, 0, sizeof st);
  st.family = vb_typesetter_family(c->ts, "Liberation Sans");
  if (!st.family) st.family = "Liberation Serif";
  st.weight = 400;
  st.leading = 1;
  shape_req rq = req_for(c, &st, size, 0);
  const sh_para *p = shape_cached(c->ts, text, strlen(text), &rq, true, NULL, 0, 0);
  item it = {0};
  it.kind = IT_PARA;
  it.para = p;
  it.color = color;
  it.role = "calibration";
  emit_para(c, dl, &it, x, y);
}

/* "30", "42.4": millimetres to a tenth, without a trailing ".0". */
static void mm_text(char *buf, size_t n, double mm) {
  snprintf(buf, n, "%.1f", mm);
  size_t l = strlen(buf);
  if (l > 2 && !strcmp(buf + l - 2, ".0")) buf[l - 2] = 0;
  if (!strcmp(buf, "-0")) strcpy(buf, "0");
}

static void outline_boxes(ctx *c, vb_dlist *dl, const vb_tnode *n) {
  for (; n; n = n->next) {
    if (n->kind == VB_T_BOX) {
      float x = X(c, n->x), y = box_top(c, n);
      vb_dlist_add_rect(dl, "calibration", n->span, x, y, (float)(n->w * c->scale),
                        (float)(n->h * c->scale), (vb_color){0, 0, 0, 0},
                        (vb_color){0.85f, 0, 0, 1}, 0.6f);
      /* where the box is on this sheet, in the grid's millimetres (scaled to the
       * paper, offset included), and the layout's own figures when they differ */
      char buf[200], sx[16], sy[16];
      mm_text(sx, sizeof sx, x / MM);
      mm_text(sy, sizeof sy, y / MM);
      int len = snprintf(buf, sizeof buf, "%s (%s, %s mm", n->role, sx, sy);
      if (c->scale != 1 || c->ox != 0 || c->oy != 0) {
        char lx[16], ly[16];
        mm_text(lx, sizeof lx, n->x / MM);
        mm_text(ly, sizeof ly, n->y / MM);
        snprintf(buf + len, sizeof buf - (size_t)len, "; layout %s, %s)", lx, ly);
      } else
        snprintf(buf + len, sizeof buf - (size_t)len, ")");
      label(c, dl, buf, x + 1, y + 7, 6, (vb_color){0.85f, 0, 0, 1});
    }
    outline_boxes(c, dl, n->children);
    outline_boxes(c, dl, n->otherwise);
  }
}

/* Whether some block (also under a condition) flows in the frame rather than
 * sitting in a box. */
static bool has_flow(const vb_tnode *n) {
  for (; n; n = n->next) {
    if (n->kind == VB_T_IF) {
      if (has_flow(n->children) || has_flow(n->otherwise)) return true;
    } else if (n->kind != VB_T_BOX && n->kind != VB_T_PATH && n->kind != VB_T_RECT)
      return true;
  }
  return false;
}

vb_dlist *vb_layout_calibrate(vb_layout *l, vb_typesetter *ts, const vb_layout_opts *opts,
                              vb_diag *d) {
  ctx c;
  vb_scope empty;
  memset(&empty, 0, sizeof empty);
  ctx_init(&c, l, ts, &empty, opts, d);
  float pw = c.pw, ph = c.ph;
  vb_dlist *dl = vb_dlist_new(pw, ph);
  /* whole millimetres of the sheet (297 on A4: 841.89 pt is 296.9999 mm) */
  int wmm = (int)floor(pw / MM + 0.001), hmm = (int)floor(ph / MM + 0.001);
  vb_color none = {0, 0, 0, 0};
  for (int pass = 0; pass < 3; pass++) {
    for (int i = 0; i <= wmm; i++) {
      int kind = i % 10 == 0 ? 2 : i % 5 == 0 ? 1 : 0;
      if (kind != pass) continue;
      float g = kind == 2 ? 0.35f : kind == 1 ? 0.6f : 0.82f;
      float lw = kind == 2 ? 0.4f : kind == 1 ? 0.25f : 0.1f;
      vb_dlist_add_rect(dl, "grid", vb_span_none(), (float)(i * MM) - lw / 2, 0, lw, ph,
                        (vb_color){g, g, g, 1}, none, 0);
    }
    for (int j = 0; j <= hmm; j++) {
      int kind = j % 10 == 0 ? 2 : j % 5 == 0 ? 1 : 0;
      if (kind != pass) continue;
      float g = kind == 2 ? 0.35f : kind == 1 ? 0.6f : 0.82f;
      float lw = kind == 2 ? 0.4f : kind == 1 ? 0.25f : 0.1f;
      vb_dlist_add_rect(dl, "grid", vb_span_none(), 0, (float)(j * MM) - lw / 2, pw, lw,
                        (vb_color){g, g, g, 1}, none, 0);
    }
  }
  vb_color ink = {0.2f, 0.2f, 0.2f, 1};
  for (int i = 10; i < wmm; i += 10) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", i);
    label(&c, dl, buf, (float)(i * MM) + 1, 8, 6, ink);
  }
  for (int j = 10; j < hmm; j += 10) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", j);
    label(&c, dl, buf, 2, (float)(j * MM) - 1, 6, ink);
  }
  if (has_flow(l->body)) /* the frame matters only when some block flows in it */
    vb_dlist_add_rect(dl, "calibration", vb_span_none(), X(&c, l->frame_x), Y(&c, l->frame_y),
                      (float)(l->frame_w * c.scale), (float)(l->frame_h * c.scale), none,
                      (vb_color){0, 0.3f, 0.8f, 1}, 0.6f);
  outline_boxes(&c, dl, l->body);
  char title[320];
  if (c.scale != 1)
    snprintf(title, sizeof title,
             "vanban: calibration of layout '%s' on %s (mm of this sheet; the layout scaled "
             "%.3f times; offset %.1f, %.1f)",
             l->name, opts->paper, c.scale, opts->offset_x, opts->offset_y);
  else
    snprintf(title, sizeof title, "vanban: calibration of layout '%s' (mm; offset %.1f, %.1f)",
             l->name, opts ? opts->offset_x : 0.0, opts ? opts->offset_y : 0.0);
  label(&c, dl, title, 12 * MM, ph - 3 * MM, 8, ink);
  vb_arena_free(c.arena);
  return dl;
}

const char *vb_layout_pango_version(void) { return pango_version_string(); }

/* ---- shaped paragraphs and block lists for flows built in other files of
 * this stage (bulletin.c): see layout-private.h */
const vb_para *vb_para_shape(vb_typesetter *ts, const vb_style *st, const char *text, size_t len,
                             float width) {
  shape_req rq = {st->family, st->weight, st->italic, (float)st->size, width, st->align,
                  (float)st->leading, (float)st->indent};
  return shape_cached(ts, text, len, &rq, false, NULL, 0, 0);
}

vb_resources *vb_typesetter_resources(vb_typesetter *ts) { return ts->res; }

size_t vb_para_nlines(const vb_para *p) { return p->nlines; }
float vb_para_height(const vb_para *p) { return p->height; }
float vb_para_max_width(const vb_para *p) { return p->max_width; }
bool vb_para_overflow(const vb_para *p) { return p->overflow; }
float vb_para_line_top(const vb_para *p, size_t i) {
  return i < p->nlines ? p->lines[i].top : p->height;
}
float vb_para_line_bottom(const vb_para *p, size_t i) {
  return i < p->nlines ? p->lines[i].top + p->lines[i].height : p->height;
}
uint32_t vb_para_missing(const vb_para *p, size_t *offset) {
  if (!p->missing) return 0;
  if (offset) *offset = p->missing_off;
  return p->missing_cp;
}

void vb_para_emit(vb_dlist *dl, const vb_para *p, size_t l0, size_t l1, float x, float y,
                  const char *role, vb_span span, vb_color color) {
  item it = {0};
  it.kind = IT_PARA;
  it.para = p;
  it.role = role;
  it.span = span;
  it.color = color;
  emit_lines(dl, &it, x, y, l0, l1 < p->nlines ? l1 : p->nlines);
}

int vb_layout_render_blocks(vb_layout *l, vb_typesetter *ts, const vb_scope *scope,
                            const vb_tnode *blocks, float x, float y, float w, vb_dlist *dl,
                            float *height, vb_diag *d) {
  ctx c;
  ctx_init(&c, l, ts, scope, NULL, d);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
  GPtrArray *boxes = g_ptr_array_new();
  measure_blocks(&c, blocks, w, items, boxes);
  *height = items_height(items);
  if (dl) {
    emit_items(&c, dl, items, x, y);
    for (guint i = 0; i < boxes->len; i++) emit_box(&c, dl, g_ptr_array_index(boxes, i));
  }
  g_ptr_array_free(boxes, TRUE);
  free_items(items);
  vb_arena_free(c.arena);
  return c.errors ? VB_ERECORD : VB_OK;
}
