/* haru.c - backend stage: PDF through libharu 2.3.0, for archival PDF/A-1b and
 * password-protected output. libharu keeps the document (objects, xref,
 * TrueType embedding and subsetting, images, annotations, outlines, RC4
 * encryption, Flate); page and form content streams are written here, so each
 * glyph goes exactly where Pango put it (TJ arrays) and a group becomes one
 * form XObject. Glyph ids are shown through the code point the font's cmap
 * maps to them (libharu's UTF-8 mode), with ActualText where that differs
 * from the record's text. The only file that includes <hpdf*.h>. */
#include "backend.h"
#include "backend-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include <hpdf.h>
#include <hpdf_encryptdict.h>
#include <lcms2.h>

#define MAX_OUTLINE_LEVEL 8
#define MAX_GROUP_DEPTH   16
#define SVG_DPI           300.0
#define NO_WIDTH          INT16_MIN
#define CP_DISAGREES      0xFFFFu

/* What libharu 2.3.0 gets wrong, and what this file does about it:
 * - HPDF_SaveToStream puts time() into the encryption key's file ID and
 *   HPDF_PDFA_SetPDFAConformance ctime() into the trailer ID: two runs differ.
 *   save() below does what InternalSaveToStream does, with an ID made from the
 *   document's own content (MD5), written to the output through a callback.
 * - HPDF_PDFA_SetPDFAConformance writes /SubType (not /Subtype) on the
 *   metadata stream, does not escape XML, leaves the packet's begin=''
 *   without the BOM, has no padding, fails on a 'Z' date, and writes no XMP
 *   unless the Info fields were set before it: the XMP packet is built here.
 * - HPDF_PDFA_AppendOutputIntents names the profile key "DestOutputProfile "
 *   (with a space); HPDF_AddIntent is not declared: the intent is built here.
 * - HPDF_SetPermission drops the reserved bits that must be 1 and leaves no
 *   way to grant full-quality printing apart from everything else: P is set here.
 * - Info dates through HPDF_SetInfoDateAttr need a struct; the strings are
 *   written directly in the form XMP also carries ("D:YYYYMMDDHHmmSSZ").
 * - HPDF_GetFont marks every glyph of the cmap as used (the whole font is
 *   embedded): the marks are cleared and set again for the glyphs shown.
 * - The embedded CID font is tagged as a subset but has no CIDSet, which
 *   PDF/A-1 requires: one is added to the font descriptor.
 * - Only TrueType outlines load: CFF faces are converted (ttconv.c). */

typedef struct hfont {
  bool tried;       /* loading was attempted (font is NULL if it failed) */
  HPDF_Font font;
  HPDF_FontDef def;
  FT_Face face;
  uint32_t *g2u;    /* glyph id → BMP code point + 1 (0: none) */
  uint32_t nglyphs;
  int16_t *width;   /* code point → width in 1/1000 em as libharu writes it */
  uint16_t *cp_gid; /* code point → its glyph + 1 where libharu's cmap agrees with
                       FreeType's, CP_DISAGREES where not, 0: not looked up yet */
  char name[16];
  bool owner;       /* this entry owns face/g2u/width (fonts shared by file) */
} hfont;

typedef struct image_entry {
  bool tried;
  HPDF_Image img;
} image_entry;

typedef struct outline_entry {
  int level;
  char *title;
  size_t page; /* index into pages */
  float y;
} outline_entry;

/* A link to a page of the same document, made once every page exists (a
 * contents entry points forward to pages not yet drawn). */
typedef struct goto_entry {
  size_t page;   /* index into pages: where the link is */
  HPDF_Rect rect;
  uint32_t dest; /* 1-based target page */
  float dest_y;
  vb_span span;
} goto_entry;

/* A content stream being written: a page or a group's form XObject. */
typedef struct target {
  vb_strbuf cs;
  HPDF_Dict res;
  HPDF_Dict sub[3]; /* Font, XObject, ExtGState (created on first use) */
  GHashTable *names; /* resource names already in res */
  int clip_depth;
  int group_depth;
  bool page;
} target;

enum { RES_FONT, RES_XOBJECT, RES_GSTATE };

typedef struct haru_backend {
  vb_backend base;
  vb_output out;
  HPDF_Doc pdf;
  HPDF_STATUS err, err_detail;
  bool write_failed, closed, in_page;
  FT_Library ft;
  hfont *fonts;
  uint32_t nfonts;
  image_entry *images;
  uint32_t nimages;
  HPDF_Dict *groups;
  uint32_t ngroups;
  HPDF_ExtGState gs[2][256]; /* fill, stroke alpha */
  HPDF_Page *pages;
  size_t npages, cappages;
  float *page_h;
  outline_entry *outline;
  size_t noutline, capoutline;
  goto_entry *gotos;
  size_t ngotos, capgotos;
  target page;
  GChecksum *content_md5; /* everything drawn: the file ID */
} haru_backend;

const char *vb_haru_version(void) { return HPDF_VERSION_TEXT; }

static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data) {
  haru_backend *h = data;
  if (!h->err) {
    h->err = no;
    h->err_detail = detail;
  }
}

/* Reports a libharu error once (unless the output already reported its own
 * failure) and clears it: libharu refuses to save after any error. */
static int hcheck(haru_backend *h, vb_span span, const char *what) {
  if (!h->err)
    return VB_OK;
  if (!h->write_failed)
    vb_diag_error(h->base.diag, span, "libharu: %s failed (error 0x%04X, detail %u)", what,
                  (unsigned)h->err, (unsigned)h->err_detail);
  HPDF_ResetError(h->pdf);
  h->err = 0;
  return VB_EIO;
}

static void *grow_cache(void *arr, uint32_t *n, uint32_t id, size_t size) {
  if (id < *n)
    return arr;
  uint32_t m = id + 8;
  arr = vb_xrealloc(arr, (size_t)m * size);
  memset((char *)arr + (size_t)*n * size, 0, (size_t)(m - *n) * size);
  *n = m;
  return arr;
}

/* ---- numbers: locale-free, at most 3 decimals, no trailing zeros; digits
 * written by hand (printf was a fifth of a haru run's instructions) */

static void put_uint(vb_strbuf *sb, unsigned long long v) {
  char d[24];
  int k = (int)sizeof d;
  do {
    d[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  vb_strbuf_add(sb, d + k, sizeof d - (size_t)k);
}

static void put_hex4(vb_strbuf *sb, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char d[4] = {hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
  vb_strbuf_add(sb, d, 4);
}

static void put_num(vb_strbuf *sb, double v) {
  if (!isfinite(v))
    v = 0;
  long long m = llround(v * 1000);
  if (m < 0) {
    vb_strbuf_putc(sb, '-');
    m = -m;
  }
  put_uint(sb, (unsigned long long)m / 1000);
  int frac = (int)(m % 1000);
  if (frac) {
    char d[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
    int k = 4;
    while (d[k - 1] == '0')
      k--;
    vb_strbuf_add(sb, d, (size_t)k);
  }
}

static void put_nums(vb_strbuf *sb, const double *v, int n, const char *op) {
  for (int i = 0; i < n; i++) {
    put_num(sb, v[i]);
    vb_strbuf_putc(sb, ' ');
  }
  vb_strbuf_puts(sb, op);
  vb_strbuf_putc(sb, '\n');
}

/* ---- resources */

static void target_init(haru_backend *h, target *t, HPDF_Dict res, bool page, int depth) {
  (void)h;
  memset(t, 0, sizeof *t);
  t->res = res;
  t->page = page;
  t->group_depth = depth;
  t->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void target_free(target *t) {
  vb_strbuf_free(&t->cs);
  if (t->names)
    g_hash_table_destroy(t->names);
  t->names = NULL;
}

/* Makes `name` refer to obj in the target's resources. */
static void use_resource(haru_backend *h, target *t, int kind, const char *name, void *obj) {
  static const char *const keys[] = {"Font", "XObject", "ExtGState"};
  if (g_hash_table_contains(t->names, name))
    return;
  if (!t->sub[kind]) {
    t->sub[kind] = HPDF_Dict_New(h->pdf->mmgr);
    if (!t->sub[kind])
      return;
    HPDF_Dict_Add(t->res, keys[kind], t->sub[kind]);
  }
  HPDF_Dict_Add(t->sub[kind], name, obj);
  g_hash_table_add(t->names, g_strdup(name));
}

/* ---- colours and transparency */

static void put_color(haru_backend *h, target *t, vb_color c, bool stroke) {
  double v[3] = {c.r, c.g, c.b};
  if (h->base.opts->pdfa && c.a < 1) /* PDF/A-1: no transparency; as if over white */
    for (int i = 0; i < 3; i++)
      v[i] = v[i] * c.a + (1 - c.a);
  put_nums(&t->cs, v, 3, stroke ? "RG" : "rg");
}

/* Opens "q /Gs gs" when c is translucent (not for PDF/A); returns whether it did. */
static bool begin_alpha(haru_backend *h, target *t, vb_color fill, vb_color stroke) {
  if (h->base.opts->pdfa)
    return false;
  bool any = false;
  for (int k = 0; k < 2; k++) {
    vb_color c = k ? stroke : fill;
    if (!(c.a > 0 && c.a < 1))
      continue;
    int a = (int)lround(c.a * 255);
    if (!h->gs[k][a]) {
      h->gs[k][a] = HPDF_CreateExtGState(h->pdf);
      if (!h->gs[k][a])
        continue;
      if (k)
        HPDF_ExtGState_SetAlphaStroke(h->gs[k][a], (HPDF_REAL)(a / 255.0));
      else
        HPDF_ExtGState_SetAlphaFill(h->gs[k][a], (HPDF_REAL)(a / 255.0));
    }
    if (!any)
      vb_strbuf_puts(&t->cs, "q\n");
    any = true;
    char name[16];
    snprintf(name, sizeof name, "G%c%d", k ? 's' : 'f', a);
    use_resource(h, t, RES_GSTATE, name, h->gs[k][a]);
    vb_strbuf_printf(&t->cs, "/%s gs\n", name);
  }
  return any;
}

/* ---- fonts */

static bool is_collection(const char *file) {
  FILE *f = fopen(file, "rb");
  char magic[4] = {0};
  if (!f)
    return false;
  size_t n = fread(magic, 1, 4, f);
  fclose(f);
  return n == 4 && memcmp(magic, "ttcf", 4) == 0;
}

/* Registers a TrueType font made in memory, as LoadTTFontFromStream does. */
static const char *load_tt_from_memory(haru_backend *h, const vb_strbuf *tt) {
  HPDF_Doc pdf = h->pdf;
  HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, 65536);
  if (!s)
    return NULL;
  if (HPDF_Stream_Write(s, (const HPDF_BYTE *)tt->data, (HPDF_UINT)tt->len) != HPDF_OK) {
    HPDF_Stream_Free(s);
    return NULL;
  }
  HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE);
  if (!def)
    return NULL;
  HPDF_FontDef had = HPDF_Doc_FindFontDef(pdf, def->base_font);
  if (had) {
    HPDF_FontDef_Free(def);
    return had->base_font;
  }
  if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
    HPDF_FontDef_Free(def);
    return NULL;
  }
  if (pdf->ttfont_tag[0] == 0) {
    memcpy(pdf->ttfont_tag, "HPDFAA", 6);
  } else {
    for (int i = 5; i >= 0; i--) {
      pdf->ttfont_tag[i] += 1;
      if (pdf->ttfont_tag[i] > 'Z')
        pdf->ttfont_tag[i] = 'A';
      else
        break;
    }
  }
  HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
  return def->base_font;
}

/* HPDF_GetFont for the UTF-8 encoder looks up all 65,536 code points in the
 * font's cmap, each by a linear search of its segments (a fifth of a haru
 * run's instructions for a 40-page minutes, a tenth of each file's when every
 * certificate is a file of its own), to write a W array and CIDToGIDMap that
 * finish_fonts replaces anyway. The font definition is shown a cmap of one
 * segment (U+FFFF, every code point glyph 0) while the font is made, and gets
 * its own back afterwards: the W entries are then all equal to the default
 * width (none written), the map all zero, and neither is kept. */
static HPDF_Font get_font_quick(HPDF_Doc pdf, const char *name) {
  HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
  if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
    return HPDF_GetFont(pdf, name, "UTF-8");
  HPDF_TTFontDefAttr da = def->attr;
  HPDF_TTF_CmapRange real = da->cmap;
  HPDF_UINT16 end = 0xFFFF, start = 0xFFFF, range_offset = 0;
  HPDF_INT16 delta = 1; /* U+FFFF + 1 = glyph 0 */
  da->cmap.format = 4;
  da->cmap.seg_count_x2 = 2;
  da->cmap.end_count = &end;
  da->cmap.start_count = &start;
  da->cmap.id_delta = &delta;
  da->cmap.id_range_offset = &range_offset;
  da->cmap.glyph_id_array = NULL;
  da->cmap.glyph_id_array_count = 0;
  HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
  da->cmap = real;
  return font;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* OpenType/CFF faces converted to TrueType, kept by the run's cache (one file
 * per certificate opens a backend per file: the conversion of TeX Gyre Chorus
 * was done again for each). */
typedef struct converted_face {
  char *file;
  int index;
  vb_strbuf tt;
} converted_face;

typedef struct converted_faces {
  converted_face *v;
  size_t n, cap;
} converted_faces;

static void converted_faces_free(void *part) {
  converted_faces *k = part;
  for (size_t i = 0; i < k->n; i++) {
    free(k->v[i].file);
    vb_strbuf_free(&k->v[i].tt);
  }
  free(k->v);
  free(k);
}

/* The TrueType bytes of face `index` of the CFF font `file`: the run's copy when
 * there is a cache (converted on first use), else converted into *own. NULL after
 * reporting why the conversion failed. */
static const vb_strbuf *converted(haru_backend *h, const char *file, int index, vb_strbuf *own,
                                  vb_span span) {
  vb_backend_cache *cache = h->base.opts->cache;
  converted_faces *k = NULL;
  if (cache) {
    if (!cache->haru) {
      cache->haru = vb_xcalloc(1, sizeof(converted_faces));
      cache->free_haru = converted_faces_free;
    }
    k = cache->haru;
    for (size_t i = 0; i < k->n; i++)
      if (k->v[i].index == index && strcmp(k->v[i].file, file) == 0)
        return &k->v[i].tt;
  }
  const char *why = NULL;
  if (vb_ttconv_from_cff(file, index, own, &why) < 0) {
    vb_diag_error(h->base.diag, span,
                  "font '%s' cannot be used by the haru backend: converting its "
                  "OpenType/CFF outlines to TrueType failed: %s",
                  base_name(file), why);
    return NULL;
  }
  if (!k)
    return own;
  if (k->n == k->cap) {
    k->cap = k->cap ? 2 * k->cap : 4;
    k->v = vb_xrealloc(k->v, k->cap * sizeof *k->v);
  }
  converted_face *c = &k->v[k->n++];
  c->file = vb_xstrdup(file);
  c->index = index;
  c->tt = *own;
  *own = (vb_strbuf)VB_STRBUF_INIT;
  return &c->tt;
}

static hfont *get_font(haru_backend *h, uint32_t id, vb_span span) {
  h->fonts = grow_cache(h->fonts, &h->nfonts, id, sizeof *h->fonts);
  hfont *f = &h->fonts[id];
  if (f->tried)
    return f->font ? f : NULL;
  f->tried = true;
  const vb_font_res *fr = vb_resources_font(h->base.opts->res, id);
  FT_Face face;
  FT_Error fe = FT_New_Face(h->ft, fr->file, fr->index, &face);
  if (fe) {
    vb_diag_error(h->base.diag, span, "cannot load font '%s' (face %d): FreeType error %d",
                  fr->file, fr->index, (int)fe);
    return NULL;
  }
  FT_ULong glyf_len = 0;
  bool truetype = FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &glyf_len) == 0 && glyf_len;
  const char *name = NULL;
  if (truetype) {
    name = is_collection(fr->file)
               ? HPDF_LoadTTFontFromFile2(h->pdf, fr->file, (HPDF_UINT)fr->index, HPDF_TRUE)
               : HPDF_LoadTTFontFromFile(h->pdf, fr->file, HPDF_TRUE);
  } else {
    /* OpenType/CFF: converted in memory, once per run and face (README "The haru
     * backend"); each document loads the converted bytes */
    vb_strbuf own = VB_STRBUF_INIT;
    const vb_strbuf *tt = converted(h, fr->file, fr->index, &own, span);
    if (!tt) {
      vb_strbuf_free(&own);
      FT_Done_Face(face);
      return NULL;
    }
    name = load_tt_from_memory(h, tt);
    vb_strbuf_free(&own);
  }
  HPDF_Font font = name ? get_font_quick(h->pdf, name) : NULL;
  if (!font) {
    vb_diag_error(h->base.diag, span,
                  "font '%s' cannot be used by the haru backend: libharu cannot load it "
                  "(error 0x%04X, detail %u)",
                  base_name(fr->file), (unsigned)h->err, (unsigned)h->err_detail);
    HPDF_ResetError(h->pdf);
    h->err = 0;
    FT_Done_Face(face);
    return NULL;
  }
  /* the same face under another resource id: share it */
  for (uint32_t i = 0; i < h->nfonts; i++)
    if (i != id && h->fonts[i].font == font) {
      *f = h->fonts[i];
      f->owner = false;
      FT_Done_Face(face);
      return f;
    }
  f->font = font;
  f->def = ((HPDF_FontAttr)font->attr)->fontdef;
  f->face = face;
  f->owner = true;
  HPDF_TTFontDefAttr da = f->def->attr;
  /* HPDF_GetFont measured every code point, marking every glyph as used */
  memset(da->glyph_tbl.flgs, 0, da->num_glyphs);
  da->glyph_tbl.flgs[0] = 1;
  f->nglyphs = (uint32_t)face->num_glyphs;
  f->g2u = vb_xcalloc(f->nglyphs ? f->nglyphs : 1, sizeof *f->g2u);
  FT_UInt gid;
  for (FT_ULong cp = FT_Get_First_Char(face, &gid); gid; cp = FT_Get_Next_Char(face, cp, &gid))
    if (cp <= 0xFFFF && gid < f->nglyphs && !f->g2u[gid])
      f->g2u[gid] = (uint32_t)cp + 1;
  f->width = vb_xmalloc(65536 * sizeof *f->width);
  for (size_t i = 0; i < 65536; i++)
    f->width[i] = NO_WIDTH;
  f->cp_gid = vb_xcalloc(65536, sizeof *f->cp_gid);
  snprintf(f->name, sizeof f->name, "F%u", (unsigned)id);
  return f;
}

/* Whether code point cp shows glyph gid in libharu's view of the font too. */
static bool cp_shows(hfont *f, uint32_t cp, uint32_t gid) {
  if (cp > 0xFFFF || cp == 0)
    return false;
  if (!f->cp_gid[cp]) {
    FT_UInt ft = FT_Get_Char_Index(f->face, cp);
    f->cp_gid[cp] = ft < CP_DISAGREES - 1 &&
                            HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp) == ft
                        ? (uint16_t)(ft + 1)
                        : CP_DISAGREES;
  }
  return f->cp_gid[cp] != CP_DISAGREES && f->cp_gid[cp] - 1u == gid;
}

/* Width of code point cp (1/1000 em, as in the W array); marks its glyph used. */
static int cp_width(hfont *f, uint32_t cp) {
  if (f->width[cp] == NO_WIDTH)
    f->width[cp] = HPDF_TTFontDef_GetCharWidth(f->def, (HPDF_UINT16)cp);
  return f->width[cp];
}

/* ---- text */

typedef struct piece {
  uint16_t code;
  float x, y;      /* glyph origin relative to the run origin */
  int32_t actual;  /* index of the cluster whose text replaces this span, or -1 */
} piece;

static void put_utf16_hex(vb_strbuf *sb, const char *s, size_t len) {
  vb_strbuf_puts(sb, "<FEFF");
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t cp = vb_utf8_next(&p, end);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_hex4(sb, 0xD800 + (unsigned)(cp >> 10));
      put_hex4(sb, 0xDC00 + (unsigned)(cp & 0x3FF));
    } else {
      put_hex4(sb, (unsigned)cp);
    }
  }
  vb_strbuf_putc(sb, '>');
}

static bool is_space(uint32_t cp) { return cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r'; }

/* Turns the glyphs of a run into code points libharu can show. Returns the
 * number of pieces, or -1 after reporting a glyph that cannot be shown. */
static int run_pieces(haru_backend *h, hfont *f, const vb_op *op, piece **out,
                      uint32_t **cstart, uint32_t **cend) {
  uint32_t n = op->u.glyphs.n;
  const vb_glyph *g = op->u.glyphs.glyphs;
  const char *text = op->u.glyphs.text;
  uint32_t tlen = op->u.glyphs.text_len;
  const uint32_t *off = op->u.glyphs.clusters;
  bool have_text = text && tlen && off;
  size_t cap = n + 8, np = 0;
  piece *p = vb_xmalloc(cap * sizeof *p);
  *cstart = vb_xmalloc((n + 1) * sizeof **cstart);
  *cend = vb_xmalloc((n + 1) * sizeof **cend);
  uint32_t ncl = 0;
  for (uint32_t i = 0; i < n;) {
    uint32_t j = i + 1;
    if (have_text)
      while (j < n && off[j] == off[i])
        j++;
    uint32_t ts = have_text ? off[i] : 0, te = have_text ? (j < n ? off[j] : tlen) : 0;
    if (te < ts || te > tlen)
      ts = te = 0;
    /* the cluster's code points, trailing spaces left out (they may have no glyph) */
    uint32_t cps[64];
    size_t nc = 0;
    const char *s = text + ts, *e = text + te;
    while (have_text && s < e && nc < 64)
      cps[nc++] = vb_utf8_next(&s, e);
    bool truncated = s < e;
    while (nc > (size_t)(j - i) && is_space(cps[nc - 1]))
      nc--;
    bool direct = have_text && !truncated && nc == (size_t)(j - i);
    for (size_t k = 0; direct && k < nc; k++)
      direct = cp_shows(f, cps[k], g[i + k].id);
    if (np + (j - i) + 64 > cap) {
      cap = 2 * cap + (j - i) + 64;
      p = vb_xrealloc(p, cap * sizeof *p);
    }
    if (direct) {
      for (size_t k = 0; k < nc; k++)
        p[np++] = (piece){(uint16_t)cps[k], g[i + k].x, g[i + k].y, -1};
    } else {
      bool mapped = true;
      for (uint32_t k = i; k < j && mapped; k++) {
        uint32_t id = g[k].id;
        mapped = id < f->nglyphs && f->g2u[id] && cp_shows(f, f->g2u[id] - 1, id);
      }
      if (mapped) {
        for (uint32_t k = i; k < j; k++)
          p[np++] = (piece){(uint16_t)(f->g2u[g[k].id] - 1), g[k].x, g[k].y,
                            have_text && te > ts ? (int32_t)ncl : -1};
      } else {
        /* a glyph with no code point (an alternate form, a ligature the cmap
         * does not reach): the cluster's characters in their plain forms */
        bool ok = have_text && !truncated && nc > 0;
        uint32_t bad = 0;
        for (size_t k = 0; ok && k < nc; k++) {
          FT_UInt gid = cps[k] <= 0xFFFF ? FT_Get_Char_Index(f->face, cps[k]) : 0;
          ok = gid && cp_shows(f, cps[k], gid);
          if (!ok)
            bad = cps[k];
        }
        if (!ok) {
          uint32_t gid = g[i].id;
          if (bad) {
            char u8[5] = {0};
            vb_utf8_put(bad, u8);
            vb_diag_error(h->base.diag, op->span,
                          "font '%s' cannot show '%s' (U+%04X) through libharu: %s",
                          base_name(vb_resources_font(h->base.opts->res, op->u.glyphs.font)->file),
                          u8, (unsigned)bad,
                          bad > 0xFFFF ? "libharu 2.3.0 shows only the Basic Multilingual Plane"
                                       : "its glyph has no code point in the font's cmap");
          } else {
            vb_diag_error(h->base.diag, op->span,
                          "font '%s': glyph %u has no code point in the font's cmap and no "
                          "text to show instead (haru backend)",
                          base_name(vb_resources_font(h->base.opts->res, op->u.glyphs.font)->file),
                          (unsigned)gid);
          }
          free(p);
          return -1;
        }
        float x = g[i].x;
        for (size_t k = 0; k < nc; k++) {
          p[np++] = (piece){(uint16_t)cps[k], x, g[i].y, -1};
          x += (float)cp_width(f, cps[k]) * op->u.glyphs.size / 1000;
        }
      }
    }
    (*cstart)[ncl] = ts;
    (*cend)[ncl] = te;
    ncl++;
    i = j;
  }
  *out = p;
  return (int)np;
}

static int draw_glyphs(haru_backend *h, target *t, const vb_op *op) {
  uint32_t n = op->u.glyphs.n;
  if (n == 0 || !(op->u.glyphs.color.a > 0))
    return VB_OK;
  hfont *f = get_font(h, op->u.glyphs.font, op->span);
  if (!f)
    return VB_EIO;
  piece *p = NULL;
  uint32_t *cs = NULL, *ce = NULL;
  int np = run_pieces(h, f, op, &p, &cs, &ce);
  if (np < 0) {
    free(cs);
    free(ce);
    return VB_ERECORD;
  }
  vb_strbuf *sb = &t->cs;
  double size = op->u.glyphs.size, x0 = op->u.glyphs.x, y0 = op->u.glyphs.y;
  bool alpha = begin_alpha(h, t, op->u.glyphs.color, (vb_color){0, 0, 0, 0});
  use_resource(h, t, RES_FONT, f->name, f->font);
  put_color(h, t, op->u.glyphs.color, false);
  vb_strbuf_puts(sb, "BT\n/");
  vb_strbuf_puts(sb, f->name);
  vb_strbuf_putc(sb, ' ');
  put_num(sb, size);
  vb_strbuf_puts(sb, " Tf\n");
  bool in_tj = false, in_str = false, have_pos = false;
  double pen = 0, cur_y = 0;
  int32_t cur_actual = -1;
  for (int i = 0; i < np; i++) {
    const piece *q = &p[i];
    bool new_actual = q->actual != cur_actual;
    if (new_actual || !have_pos || q->y != cur_y) {
      if (in_str)
        vb_strbuf_putc(sb, '>');
      if (in_tj)
        vb_strbuf_puts(sb, "] TJ\n");
      in_str = in_tj = false;
      if (new_actual && cur_actual >= 0)
        vb_strbuf_puts(sb, "EMC\n");
      if (new_actual && q->actual >= 0) {
        vb_strbuf_puts(sb, "/Span <</ActualText ");
        put_utf16_hex(sb, op->u.glyphs.text + cs[q->actual], ce[q->actual] - cs[q->actual]);
        vb_strbuf_puts(sb, ">> BDC\n");
      }
      cur_actual = q->actual;
      if (!have_pos || q->y != cur_y || fabs(pen - q->x) > 0.0005) {
        double m[6] = {1, 0, 0, -1, x0 + q->x, y0 + q->y};
        put_nums(sb, m, 6, "Tm");
        pen = q->x;
        cur_y = q->y;
        have_pos = true;
      }
    }
    if (!in_tj) {
      vb_strbuf_putc(sb, '[');
      in_tj = true;
    }
    double adj = (pen - q->x) * 1000 / size;
    if (fabs(adj) >= 0.005) {
      if (in_str)
        vb_strbuf_putc(sb, '>');
      in_str = false;
      put_num(sb, adj);
    }
    if (!in_str) {
      vb_strbuf_putc(sb, '<');
      in_str = true;
    }
    put_hex4(sb, q->code);
    pen = q->x + cp_width(f, q->code) * size / 1000;
  }
  if (in_str)
    vb_strbuf_putc(sb, '>');
  if (in_tj)
    vb_strbuf_puts(sb, "] TJ\n");
  if (cur_actual >= 0)
    vb_strbuf_puts(sb, "EMC\n");
  vb_strbuf_puts(sb, "ET\n");
  if (alpha)
    vb_strbuf_puts(sb, "Q\n");
  free(p);
  free(cs);
  free(ce);
  return VB_OK;
}

/* ---- rectangles and paths */

static void paint(haru_backend *h, target *t, vb_color fill, vb_color stroke, float width,
                  bool even_odd) {
  bool f = fill.a > 0, s = stroke.a > 0 && width > 0;
  vb_strbuf *sb = &t->cs;
  if (!f && !s) {
    vb_strbuf_puts(sb, "n\n");
    return;
  }
  vb_strbuf_puts(sb, f && s ? (even_odd ? "B*\n" : "B\n") : f ? (even_odd ? "f*\n" : "f\n") : "S\n");
  (void)h;
}

static void begin_paint(haru_backend *h, target *t, vb_color fill, vb_color stroke,
                        float width) {
  if (fill.a > 0)
    put_color(h, t, fill, false);
  if (stroke.a > 0 && width > 0) {
    put_color(h, t, stroke, true);
    double w = width;
    put_nums(&t->cs, &w, 1, "w");
  }
}

static int draw_rect(haru_backend *h, target *t, const vb_op *op) {
  if (!(op->u.rect.fill.a > 0) && !(op->u.rect.stroke.a > 0 && op->u.rect.line_width > 0))
    return VB_OK;
  bool alpha = begin_alpha(h, t, op->u.rect.fill, op->u.rect.stroke);
  begin_paint(h, t, op->u.rect.fill, op->u.rect.stroke, op->u.rect.line_width);
  double r[4] = {op->u.rect.x, op->u.rect.y, op->u.rect.w, op->u.rect.h};
  put_nums(&t->cs, r, 4, "re");
  paint(h, t, op->u.rect.fill, op->u.rect.stroke, op->u.rect.line_width, false);
  if (alpha)
    vb_strbuf_puts(&t->cs, "Q\n");
  return VB_OK;
}

static int draw_path(haru_backend *h, target *t, const vb_op *op) {
  if (op->u.path.n == 0 ||
      (!(op->u.path.fill.a > 0) && !(op->u.path.stroke.a > 0 && op->u.path.line_width > 0)))
    return VB_OK;
  bool alpha = begin_alpha(h, t, op->u.path.fill, op->u.path.stroke);
  begin_paint(h, t, op->u.path.fill, op->u.path.stroke, op->u.path.line_width);
  bool open = false;
  for (uint32_t i = 0; i < op->u.path.n; i++) {
    const float *q = op->u.path.els[i].pt;
    double v[6] = {q[0], q[1], q[2], q[3], q[4], q[5]};
    switch (op->u.path.els[i].cmd) {
    case VB_PATH_MOVE:
      put_nums(&t->cs, v, 2, "m");
      open = true;
      break;
    case VB_PATH_LINE:
      put_nums(&t->cs, v, 2, open ? "l" : "m");
      open = true;
      break;
    case VB_PATH_CURVE:
      if (!open) { /* a curve needs a current point */
        put_nums(&t->cs, v + 4, 2, "m");
        open = true;
      } else {
        put_nums(&t->cs, v, 6, "c");
      }
      break;
    case VB_PATH_CLOSE:
      if (open)
        vb_strbuf_puts(&t->cs, "h\n");
      break;
    }
  }
  if (open)
    paint(h, t, op->u.path.fill, op->u.path.stroke, op->u.path.line_width, op->u.path.even_odd);
  if (alpha)
    vb_strbuf_puts(&t->cs, "Q\n");
  return VB_OK;
}

/* ---- images */

/* Colour (and alpha, as an SMask; onto white for PDF/A) from RGBA or RGB rows. */
static HPDF_Image image_from_pixels(haru_backend *h, const unsigned char *px, int w, int hgt,
                                    int stride, int nch) {
  bool alpha = nch == 4, translucent = false;
  size_t npx = (size_t)w * hgt;
  unsigned char *rgb = vb_xmalloc(npx * 3), *a = alpha ? vb_xmalloc(npx) : NULL;
  for (int y = 0; y < hgt; y++) {
    const unsigned char *sp = px + (size_t)y * stride;
    for (int x = 0; x < w; x++, sp += nch) {
      size_t i = (size_t)y * w + x;
      unsigned av = alpha ? sp[3] : 255;
      if (av != 255)
        translucent = true;
      for (int c = 0; c < 3; c++) {
        unsigned v = sp[c];
        if (h->base.opts->pdfa && av != 255)
          v = (v * av + 255 * (255 - av) + 127) / 255;
        rgb[i * 3 + c] = (unsigned char)v;
      }
      if (a)
        a[i] = (unsigned char)av;
    }
  }
  HPDF_Image img =
      HPDF_LoadRawImageFromMem(h->pdf, rgb, (HPDF_UINT)w, (HPDF_UINT)hgt, HPDF_CS_DEVICE_RGB, 8);
  if (img && translucent && !h->base.opts->pdfa) {
    HPDF_Image mask = HPDF_LoadRawImageFromMem(h->pdf, a, (HPDF_UINT)w, (HPDF_UINT)hgt,
                                               HPDF_CS_DEVICE_GRAY, 8);
    if (mask)
      HPDF_Image_AddSMask(img, mask);
  }
  free(rgb);
  free(a);
  return img;
}

static HPDF_Image load_raster(haru_backend *h, const char *file, vb_span span) {
  GError *err = NULL;
  GdkPixbuf *pb = gdk_pixbuf_new_from_file(file, &err);
  if (!pb) {
    vb_diag_error(h->base.diag, span, "cannot read image '%s': %s", file,
                  err ? err->message : "cannot decode");
    g_clear_error(&err);
    return NULL;
  }
  HPDF_Image img = image_from_pixels(h, gdk_pixbuf_read_pixels(pb), gdk_pixbuf_get_width(pb),
                                     gdk_pixbuf_get_height(pb), gdk_pixbuf_get_rowstride(pb),
                                     gdk_pixbuf_get_n_channels(pb));
  g_object_unref(pb);
  return img;
}

/* JPEG: DCTDecode, the file's bytes as they are (libharu writes /Decode [1 0 ...]
 * for CMYK, Adobe's inverted form), except where that cannot be: a JPEG libharu
 * refuses (its SOF0/1/2/9 frames only: lossless, hierarchical) and, under --pdfa, a
 * CMYK one (PDF/A-1 allows DeviceCMYK only with a CMYK output intent; ours is
 * sRGB) go through the pixels as PNGs do. */
static HPDF_Image load_jpeg(haru_backend *h, const char *file, vb_span span) {
  gchar *bytes = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(file, &bytes, &len, &err)) {
    vb_diag_error(h->base.diag, span, "cannot read image '%s': %s", file,
                  err ? err->message : "cannot read");
    g_clear_error(&err);
    return NULL;
  }
  int comps = 0, w = 0, hh = 0;
  bool ok = vb_backend_jpeg_frame((const unsigned char *)bytes, len, &comps, &w, &hh) &&
            (comps == 1 || comps == 3 || (comps == 4 && !h->base.opts->pdfa));
  HPDF_Image img = NULL;
  if (ok && len <= 0xFFFFFFFFu)
    img = HPDF_LoadJpegImageFromMem(h->pdf, (const HPDF_BYTE *)bytes, (HPDF_UINT)len);
  g_free(bytes);
  if (img)
    return img;
  if (h->err) {
    HPDF_ResetError(h->pdf);
    h->err = 0;
  }
  return load_raster(h, file, span);
}

static HPDF_Image get_image(haru_backend *h, const vb_op *op) {
  uint32_t id = op->u.image.image;
  h->images = grow_cache(h->images, &h->nimages, id, sizeof *h->images);
  image_entry *e = &h->images[id];
  if (e->tried)
    return e->img;
  e->tried = true;
  const vb_image_res *im = vb_resources_image(h->base.opts->res, id);
  switch (im->kind) {
  case VB_IMAGE_JPEG:
    e->img = load_jpeg(h, im->file, op->span);
    break;
  case VB_IMAGE_PNG:
    e->img = load_raster(h, im->file, op->span);
    break;
  case VB_IMAGE_SVG: {
    /* no vector SVG in libharu: pixels at 300 dpi of the size drawn first */
    int w = (int)ceil(op->u.image.w * SVG_DPI / 72 - 1e-6),
        hh = (int)ceil(op->u.image.h * SVG_DPI / 72 - 1e-6);
    if (w < 1) w = 1;
    if (hh < 1) hh = 1;
    unsigned char *rgba = vb_backend_rasterize_svg(im->file, im->width, im->height, w, hh,
                                                   h->base.diag, op->span);
    if (rgba) {
      e->img = image_from_pixels(h, rgba, w, hh, w * 4, 4);
      free(rgba);
    }
    break;
  }
  }
  if (h->err) {
    HPDF_ResetError(h->pdf);
    h->err = 0;
    if (e->img == NULL)
      return NULL;
  }
  return e->img;
}

static int draw_image(haru_backend *h, target *t, const vb_op *op) {
  if (!(op->u.image.w > 0 && op->u.image.h > 0))
    return VB_OK;
  HPDF_Image img = get_image(h, op);
  if (!img)
    return VB_EIO;
  char name[24];
  snprintf(name, sizeof name, "Im%u", (unsigned)op->u.image.image);
  use_resource(h, t, RES_XOBJECT, name, img);
  vb_strbuf_puts(&t->cs, "q\n");
  double m[6] = {op->u.image.w, 0, 0, -op->u.image.h, op->u.image.x,
                 op->u.image.y + op->u.image.h};
  put_nums(&t->cs, m, 6, "cm");
  vb_strbuf_putc(&t->cs, '/');
  vb_strbuf_puts(&t->cs, name);
  vb_strbuf_puts(&t->cs, " Do\nQ\n");
  return VB_OK;
}

/* ---- clips */

static int push_clip(target *t, const vb_op *op) {
  double r[4] = {op->u.clip.x, op->u.clip.y, op->u.clip.w, op->u.clip.h};
  vb_strbuf_puts(&t->cs, "q\n");
  put_nums(&t->cs, r, 4, "re");
  vb_strbuf_puts(&t->cs, "W n\n");
  t->clip_depth++;
  return VB_OK;
}

static int pop_clip(target *t) {
  if (t->clip_depth > 0) {
    vb_strbuf_puts(&t->cs, "Q\n");
    t->clip_depth--;
  }
  return VB_OK;
}

/* ---- links and outline (page level only, as with cairo) */

static int add_link(haru_backend *h, target *t, const vb_op *op) {
  if (!t->page || !h->in_page)
    return VB_OK;
  float ph = h->page_h[h->npages - 1];
  HPDF_Rect r = {op->u.link.x, ph - (op->u.link.y + op->u.link.h),
                 op->u.link.x + op->u.link.w, ph - op->u.link.y};
  if (op->u.link.page) {
    if (h->ngotos == h->capgotos) {
      h->capgotos = h->capgotos ? 2 * h->capgotos : 16;
      h->gotos = vb_xrealloc(h->gotos, h->capgotos * sizeof *h->gotos);
    }
    h->gotos[h->ngotos++] = (goto_entry){h->npages - 1, r, op->u.link.page, op->u.link.dest_y,
                                         op->span};
    return VB_OK;
  }
  HPDF_Annotation a =
      HPDF_Page_CreateURILinkAnnot(h->pages[h->npages - 1], r, op->u.link.uri ? op->u.link.uri : "");
  if (a) {
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_Dict_AddNumber(a, "F", 4); /* printable: PDF/A requires it, harmless elsewhere */
  }
  return hcheck(h, op->span, "adding a link");
}

static int add_outline(haru_backend *h, target *t, const vb_op *op) {
  if (!t->page || !h->in_page)
    return VB_OK;
  if (h->noutline == h->capoutline) {
    h->capoutline = h->capoutline ? 2 * h->capoutline : 16;
    h->outline = vb_xrealloc(h->outline, h->capoutline * sizeof *h->outline);
  }
  outline_entry *e = &h->outline[h->noutline++];
  e->level = op->u.outline.level < 1 ? 1 : op->u.outline.level;
  if (e->level > MAX_OUTLINE_LEVEL)
    e->level = MAX_OUTLINE_LEVEL;
  e->title = vb_xstrdup(op->u.outline.title ? op->u.outline.title : "");
  e->page = h->npages - 1;
  e->y = op->u.outline.y;
  return VB_OK;
}

/* [page /XYZ 0 top 0]: libharu 2.3.0's HPDF_Destination_SetXYZ refuses a zoom of 0,
 * which PDF defines as "keep the reader's zoom" (as cairo writes it). */
static void set_xyz(HPDF_Destination d, HPDF_Page page, float top) {
  HPDF_Array_Clear(d);
  HPDF_Array_Add(d, page);
  HPDF_Array_AddName(d, "XYZ");
  HPDF_Array_AddReal(d, 0);
  HPDF_Array_AddReal(d, top < 0 ? 0 : top);
  HPDF_Array_AddReal(d, 0);
}

static int emit_gotos(haru_backend *h) {
  for (size_t i = 0; i < h->ngotos; i++) {
    const goto_entry *g = &h->gotos[i];
    if (g->dest < 1 || g->dest > h->npages)
      continue; /* the display list names only pages it drew; cairo skips these too */
    size_t to = g->dest - 1;
    HPDF_Destination d = HPDF_Page_CreateDestination(h->pages[to]);
    if (d)
      set_xyz(d, h->pages[to], h->page_h[to] - g->dest_y);
    HPDF_Annotation a = d ? HPDF_Page_CreateLinkAnnot(h->pages[g->page], g->rect, d) : NULL;
    if (a) {
      HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
      HPDF_Dict_AddNumber(a, "F", 4); /* printable: PDF/A requires it */
    }
    int rc = hcheck(h, g->span, "adding a link inside the document");
    if (rc != VB_OK)
      return rc;
  }
  return VB_OK;
}

static int emit_outline(haru_backend *h) {
  HPDF_Outline parents[MAX_OUTLINE_LEVEL] = {0};
  HPDF_Encoder enc = HPDF_GetEncoder(h->pdf, "UTF-8");
  for (size_t i = 0; i < h->noutline; i++) {
    const outline_entry *e = &h->outline[i];
    HPDF_Outline parent = e->level == 1 ? NULL : parents[e->level - 2];
    HPDF_Outline o = HPDF_CreateOutline(h->pdf, parent, e->title, enc);
    if (!o)
      break;
    HPDF_Destination d = HPDF_Page_CreateDestination(h->pages[e->page]);
    if (d) {
      set_xyz(d, h->pages[e->page], h->page_h[e->page] - e->y);
      HPDF_Outline_SetDestination(o, d);
    }
    HPDF_Outline_SetOpened(o, HPDF_TRUE);
    parents[e->level - 1] = o;
    for (int l = e->level; l < MAX_OUTLINE_LEVEL; l++)
      parents[l] = NULL;
  }
  return hcheck(h, vb_span_none(), "writing the outline");
}

/* ---- groups: one form XObject each, written once, drawn by every page */

static int draw_op(haru_backend *h, target *t, const vb_op *op);

static HPDF_Dict get_group(haru_backend *h, target *t, const vb_op *op, int *rc) {
  uint32_t id = op->u.group.group;
  h->groups = grow_cache(h->groups, &h->ngroups, id, sizeof *h->groups);
  if (h->groups[id])
    return h->groups[id];
  if (t->group_depth >= MAX_GROUP_DEPTH) {
    vb_diag_error(h->base.diag, op->span, "internal error: groups nested deeper than %d",
                  MAX_GROUP_DEPTH);
    *rc = VB_ELAYOUT;
    return NULL;
  }
  const vb_dlist *g = vb_resources_group(h->base.opts->res, id);
  double w = vb_dlist_width(g), hh = vb_dlist_height(g);
  if (!(w > 0 && hh > 0))
    w = hh = 14400;
  HPDF_Dict form = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
  HPDF_Dict res = HPDF_Dict_New(h->pdf->mmgr);
  if (!form || !res) {
    *rc = hcheck(h, op->span, "making a form XObject");
    return NULL;
  }
  target ft;
  target_init(h, &ft, res, false, t->group_depth + 1);
  *rc = VB_OK;
  for (size_t i = 0, n = vb_dlist_count(g); *rc == VB_OK && i < n; i++)
    *rc = draw_op(h, &ft, vb_dlist_op(g, i));
  while (ft.clip_depth > 0)
    pop_clip(&ft);
  if (*rc == VB_OK) {
    HPDF_Dict_AddName(form, "Type", "XObject");
    HPDF_Dict_AddName(form, "Subtype", "Form");
    HPDF_Array bbox = HPDF_Array_New(h->pdf->mmgr);
    HPDF_Dict_Add(form, "BBox", bbox);
    HPDF_Array_AddReal(bbox, 0);
    HPDF_Array_AddReal(bbox, 0);
    HPDF_Array_AddReal(bbox, (HPDF_REAL)w);
    HPDF_Array_AddReal(bbox, (HPDF_REAL)hh);
    HPDF_Dict_Add(form, "Resources", res);
    form->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (ft.cs.len)
      HPDF_Stream_Write(form->stream, (const HPDF_BYTE *)ft.cs.data, (HPDF_UINT)ft.cs.len);
    g_checksum_update(h->content_md5, (const guchar *)ft.cs.data, (gssize)ft.cs.len);
    *rc = hcheck(h, op->span, "writing a form XObject");
  }
  target_free(&ft);
  if (*rc < 0)
    return NULL;
  h->groups[id] = form;
  return form;
}

static int draw_group(haru_backend *h, target *t, const vb_op *op) {
  int rc = VB_OK;
  HPDF_Dict form = get_group(h, t, op, &rc);
  if (!form)
    return rc;
  char name[24];
  snprintf(name, sizeof name, "Fm%u", (unsigned)op->u.group.group);
  use_resource(h, t, RES_XOBJECT, name, form);
  vb_strbuf_putc(&t->cs, '/');
  vb_strbuf_puts(&t->cs, name);
  vb_strbuf_puts(&t->cs, " Do\n");
  return VB_OK;
}

static int draw_op(haru_backend *h, target *t, const vb_op *op) {
  switch (op->kind) {
  case VB_OP_GLYPHS:
    return draw_glyphs(h, t, op);
  case VB_OP_RECT:
    return draw_rect(h, t, op);
  case VB_OP_PATH:
    return draw_path(h, t, op);
  case VB_OP_IMAGE:
    return draw_image(h, t, op);
  case VB_OP_GROUP:
    return draw_group(h, t, op);
  case VB_OP_LINK:
    return add_link(h, t, op);
  case VB_OP_OUTLINE:
    return add_outline(h, t, op);
  case VB_OP_CLIP_PUSH:
    return push_clip(t, op);
  case VB_OP_CLIP_POP:
    return pop_clip(t);
  }
  return VB_OK;
}

/* ---- document info, XMP, output intent */

/* "D:YYYYMMDDHHmmSSZ" and "YYYY-MM-DDTHH:mm:SSZ" */
static void format_dates(long long when, char pdf[32], char xmp[32]) {
  time_t tt = (time_t)when;
  struct tm tm;
  if (!gmtime_r(&tt, &tm))
    memset(&tm, 0, sizeof tm);
  strftime(pdf, 32, "D:%Y%m%d%H%M%SZ", &tm);
  strftime(xmp, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void xml_escaped(vb_strbuf *sb, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': vb_strbuf_puts(sb, "&amp;"); break;
    case '<': vb_strbuf_puts(sb, "&lt;"); break;
    case '>': vb_strbuf_puts(sb, "&gt;"); break;
    case '"': vb_strbuf_puts(sb, "&quot;"); break;
    case '\'': vb_strbuf_puts(sb, "&apos;"); break;
    default:
      if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
        vb_strbuf_putc(sb, *s);
    }
  }
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

static void write_xmp(haru_backend *h, const char *xmp_date, const char *producer) {
  const vb_backend_opts *o = h->base.opts;
  vb_strbuf x = VB_STRBUF_INIT;
  vb_strbuf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
  vb_strbuf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                     "<dc:format>application/pdf</dc:format>\n");
  if (nonempty(o->title)) {
    vb_strbuf_puts(&x, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escaped(&x, o->title);
    vb_strbuf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n");
  }
  if (nonempty(o->author)) {
    vb_strbuf_puts(&x, "<dc:creator><rdf:Seq><rdf:li>");
    xml_escaped(&x, o->author);
    vb_strbuf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  if (nonempty(o->subject)) {
    vb_strbuf_puts(&x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escaped(&x, o->subject);
    vb_strbuf_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n");
  }
  vb_strbuf_puts(&x, "</rdf:Description>\n");
  vb_strbuf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
  if (nonempty(o->creator)) {
    vb_strbuf_puts(&x, "<xmp:CreatorTool>");
    xml_escaped(&x, o->creator);
    vb_strbuf_puts(&x, "</xmp:CreatorTool>\n");
  }
  vb_strbuf_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n",
                   xmp_date, xmp_date);
  vb_strbuf_puts(&x, "</rdf:Description>\n");
  vb_strbuf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
  vb_strbuf_puts(&x, "<pdf:Producer>");
  xml_escaped(&x, producer);
  vb_strbuf_puts(&x, "</pdf:Producer>\n");
  if (nonempty(o->keywords)) {
    vb_strbuf_puts(&x, "<pdf:Keywords>");
    xml_escaped(&x, o->keywords);
    vb_strbuf_puts(&x, "</pdf:Keywords>\n");
  }
  vb_strbuf_puts(&x, "</rdf:Description>\n");
  vb_strbuf_puts(&x, "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                     "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
                     "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n");
  for (int i = 0; i < 20; i++) /* room to edit the packet in place */
    vb_strbuf_puts(&x, "                                                                                                   \n");
  vb_strbuf_puts(&x, "<?xpacket end=\"w\"?>");
  HPDF_Dict md = HPDF_DictStream_New(h->pdf->mmgr, h->pdf->xref);
  if (md) {
    HPDF_Dict_AddName(md, "Type", "Metadata");
    HPDF_Dict_AddName(md, "Subtype", "XML");
    md->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A-1: readable without decoding */
    HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len);
    HPDF_Dict_Add(h->pdf->catalog, "Metadata", md);
  }
  vb_strbuf_free(&x);
}

/* Writes the profile header's creation date (bytes 24-35: year, month, day, hour,
 * minute, second, big-endian 16-bit, UTC). lcms2 stamps the clock there and has no
 * call to set it; the document's date (SOURCE_DATE_EPOCH, --date) goes in instead,
 * so two runs give the same bytes. The header's profile ID (bytes 84-99), an MD5
 * that would cover the date, is left zero by lcms2 for a version 2 profile. */
static void set_icc_date(unsigned char *icc, size_t len, long long when) {
  time_t tt = (time_t)when;
  struct tm tm;
  if (len < 128 || !gmtime_r(&tt, &tm))
    return;
  unsigned v[6] = {(unsigned)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday,
                   (unsigned)tm.tm_hour, (unsigned)tm.tm_min, (unsigned)tm.tm_sec};
  for (int i = 0; i < 6; i++) {
    icc[24 + 2 * i] = (unsigned char)(v[i] >> 8);
    icc[25 + 2 * i] = (unsigned char)v[i];
  }
}

/* An sRGB ICC profile (version 2, as PDF/A-1 wants), made by lcms2, dated `when`. */
static int write_output_intent(haru_backend *h, long long when) {
  cmsHPROFILE p = cmsCreate_sRGBProfile();
  if (!p) {
    vb_diag_error(h->base.diag, vb_span_none(), "lcms2 cannot make an sRGB profile");
    return VB_EIO;
  }
  cmsSetProfileVersion(p, 2.1);
  cmsUInt32Number len = 0;
  void *icc = NULL;
  if (cmsSaveProfileToMem(p, NULL, &len) && len) {
    icc = vb_xmalloc(len);
    if (!cmsSaveProfileToMem(p, icc, &len)) {
      free(icc);
      icc = NULL;
    }
  }
  cmsCloseProfile(p);
  if (!icc) {
    vb_diag_error(h->base.diag, vb_span_none(), "lcms2 cannot save the sRGB profile");
    return VB_EIO;
  }
  set_icc_date(icc, len, when);
  HPDF_MMgr mm = h->pdf->mmgr;
  HPDF_Dict prof = HPDF_DictStream_New(mm, h->pdf->xref);
  HPDF_Dict intent = HPDF_Dict_New(mm);
  HPDF_Array intents = HPDF_Array_New(mm);
  if (prof && intent && intents) {
    HPDF_Dict_AddNumber(prof, "N", 3);
    prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream_Write(prof->stream, icc, len);
    HPDF_Xref_Add(h->pdf->xref, intent);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "OutputCondition", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1 (lcms2)", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", prof);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(h->pdf->catalog, "OutputIntents", intents);
  }
  free(icc);
  return hcheck(h, vb_span_none(), "writing the output intent");
}

/* libharu writes W and CIDToGIDMap for every code point of the cmap, and a
 * ToUnicode CMap with 'begincidrange', which a ToUnicode CMap may not use
 * (poppler warns and guesses). All three are rewritten for the code points
 * shown. */
static void finish_fonts(haru_backend *h) {
  for (uint32_t i = 0; i < h->nfonts; i++) {
    hfont *f = &h->fonts[i];
    if (!f->font || !f->owner)
      continue;
    HPDF_FontAttr fa = f->font->attr;
    HPDF_MMgr mm = h->pdf->mmgr;
    unsigned max = 0, count = 0;
    for (unsigned cp = 1; cp < 65536; cp++)
      if (f->width[cp] != NO_WIDTH) {
        max = cp;
        count++;
      }
    /* W: [c [w ...] ...] over runs of consecutive code points */
    HPDF_Array w = HPDF_Array_New(mm), run = NULL;
    for (unsigned cp = 1; w && cp <= max; cp++) {
      if (f->width[cp] == NO_WIDTH) {
        run = NULL;
        continue;
      }
      if (!run) {
        HPDF_Array_AddNumber(w, (HPDF_INT32)cp);
        run = HPDF_Array_New(mm);
        HPDF_Array_Add(w, run);
      }
      HPDF_Array_AddNumber(run, f->width[cp]);
    }
    if (w && fa->descendant_font)
      HPDF_Dict_Add(fa->descendant_font, "W", w);
    if (fa->map_stream) {
      size_t n = (size_t)max + 1;
      unsigned char *map = vb_xcalloc(n, 2);
      for (unsigned cp = 1; cp <= max; cp++)
        if (f->width[cp] != NO_WIDTH) {
          unsigned gid = HPDF_TTFontDef_GetGlyphid(f->def, (HPDF_UINT16)cp);
          map[2 * cp] = (unsigned char)(gid >> 8);
          map[2 * cp + 1] = (unsigned char)gid;
        }
      HPDF_MemStream_FreeData(fa->map_stream->stream);
      HPDF_Stream_Write(fa->map_stream->stream, map, (HPDF_UINT)(2 * n));
      free(map);
    }
    if (fa->cmap_stream) {
      vb_strbuf c = VB_STRBUF_INIT;
      vb_strbuf_puts(&c, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                         "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                         "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                         "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
      unsigned done = 0;
      for (unsigned cp = 1; cp <= max; cp++) {
        if (f->width[cp] == NO_WIDTH)
          continue;
        if (done % 100 == 0)
          vb_strbuf_printf(&c, "%u beginbfchar\n", count - done < 100 ? count - done : 100);
        vb_strbuf_printf(&c, "<%04X> <%04X>\n", cp, cp);
        done++;
        if (done % 100 == 0 || done == count)
          vb_strbuf_puts(&c, "endbfchar\n");
      }
      vb_strbuf_puts(&c, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
      HPDF_MemStream_FreeData(fa->cmap_stream->stream);
      HPDF_Stream_Write(fa->cmap_stream->stream, (const HPDF_BYTE *)c.data, (HPDF_UINT)c.len);
      vb_strbuf_free(&c);
    }
  }
}

/* PDF/A-1 wants a CIDSet for every embedded CID font subset. The descriptor is
 * made by libharu's before-write hook, which is run here first (it is safe to
 * run twice: the second run finds the descriptor). */
static void add_cidsets(haru_backend *h) {
  for (uint32_t i = 0; i < h->nfonts; i++) {
    hfont *f = &h->fonts[i];
    if (!f->font || !f->owner)
      continue;
    HPDF_FontAttr fa = f->font->attr;
    if (f->font->before_write_fn && f->font->before_write_fn(f->font) != HPDF_OK)
      continue;
    HPDF_Dict desc = f->def->descriptor;
    if (!desc || HPDF_Dict_GetItem(desc, "CIDSet", HPDF_OCLASS_DICT))
      continue;
    unsigned max = 0;
    for (unsigned cp = 0; cp < 65536; cp++)
      if (f->width[cp] != NO_WIDTH)
        max = cp;
    size_t nbytes = max / 8 + 1;
    unsigned char *bits = vb_xcalloc(nbytes, 1);
    bits[0] |= 0x80; /* CID 0, .notdef, is always in the font */
    for (unsigned cp = 0; cp <= max; cp++)
      if (f->width[cp] != NO_WIDTH)
        bits[cp / 8] |= (unsigned char)(0x80 >> (cp % 8));
    HPDF_Dict set = HPDF_DictStream_New(h->pdf->mmgr, fa->xref);
    if (set) {
      set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
      HPDF_Stream_Write(set->stream, bits, (HPDF_UINT)nbytes);
      HPDF_Dict_Add(desc, "CIDSet", set);
    }
    free(bits);
  }
}

static void set_info(haru_backend *h, const char *pdf_date, const char *producer) {
  const vb_backend_opts *o = h->base.opts;
  HPDF_SetInfoAttr(h->pdf, HPDF_INFO_PRODUCER, producer);
  if (nonempty(o->creator))
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_CREATOR, o->creator);
  if (nonempty(o->title))
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_TITLE, o->title);
  if (nonempty(o->author))
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_AUTHOR, o->author);
  if (nonempty(o->subject))
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_SUBJECT, o->subject);
  if (nonempty(o->keywords))
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_KEYWORDS, o->keywords);
  HPDF_Dict info = h->pdf->info;
  if (info) {
    HPDF_Dict_Add(info, "CreationDate", HPDF_String_New(h->pdf->mmgr, pdf_date, NULL));
    HPDF_Dict_Add(info, "ModDate", HPDF_String_New(h->pdf->mmgr, pdf_date, NULL));
  }
}

/* ---- saving: InternalSaveToStream without its clock */

static HPDF_STATUS write_cb(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz) {
  haru_backend *h = stream->attr;
  if (h->write_failed)
    return HPDF_FILE_IO_ERROR;
  if (siz && h->out.write(h->out.ctx, ptr, siz) < 0) {
    h->write_failed = true; /* reported by the output */
    return HPDF_FILE_IO_ERROR;
  }
  return HPDF_OK;
}

/* The owner password when none is given: derived (so two runs agree) from the
 * user password and the file ID. */
static char *derive_owner(const char *user, const unsigned char id[16]) {
  GHmac *m = g_hmac_new(G_CHECKSUM_SHA256, (const guchar *)user, strlen(user));
  g_hmac_update(m, (const guchar *)"vanban owner password", 21);
  g_hmac_update(m, id, 16);
  char *hex = g_strndup(g_hmac_get_string(m), 32);
  g_hmac_unref(m);
  return hex;
}

static unsigned pdf_permissions(unsigned perms) {
  unsigned p = 0xFFFFF0C0u; /* reserved bits 7-8 and 13-32 are 1 */
  if (perms & VB_PERM_PRINT)
    p |= 4 | 2048; /* print; bit 12: at full quality, not only a low-resolution image */
  if (perms & VB_PERM_EDIT)
    p |= 8 | 1024; /* modify; assemble (insert, rotate, delete pages) */
  if (perms & VB_PERM_COPY)
    p |= 16 | 512; /* copy; extract for accessibility */
  if (perms & VB_PERM_ANNOTATE)
    p |= 32 | 256; /* annotate; fill in forms */
  return p;
}

static int save(haru_backend *h, const unsigned char id[16]) {
  HPDF_Doc pdf = h->pdf;
  HPDF_Stream s = HPDF_CallbackWriter_New(pdf->mmgr, write_cb, h);
  if (!s)
    return hcheck(h, vb_span_none(), "opening the output");
  static const char *const headers[] = {"%PDF-1.2\n", "%PDF-1.3\n", "%PDF-1.4\n",
                                        "%PDF-1.5\n", "%PDF-1.6\n", "%PDF-1.7\n"};
  int v = pdf->pdf_version;
  if (v < 0 || v > 5)
    v = 2;
  HPDF_Stream_WriteStr(s, headers[v]);
  HPDF_Stream_WriteStr(s, "%\267\276\255\252\n");
  HPDF_Dict_Add(pdf->trailer, "Root", pdf->catalog);
  HPDF_Dict_Add(pdf->trailer, "Info", pdf->info);
  HPDF_Array ida = HPDF_Array_New(pdf->mmgr);
  HPDF_Dict_Add(pdf->trailer, "ID", ida);
  HPDF_Array_Add(ida, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
  HPDF_Array_Add(ida, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16));
  HPDF_Encrypt e = NULL;
  if (pdf->encrypt_on) {
    /* HPDF_EncryptDict_Prepare, with our file ID instead of time() */
    e = HPDF_EncryptDict_GetAttr(pdf->encrypt_dict);
    memcpy(e->encrypt_id, id, HPDF_ID_LEN);
    e->permission = pdf_permissions(h->base.opts->permissions);
    HPDF_Encrypt_CreateOwnerKey(e);
    HPDF_Encrypt_CreateEncryptionKey(e);
    HPDF_Encrypt_CreateUserKey(e);
    HPDF_Dict ed = pdf->encrypt_dict;
    HPDF_Dict_Add(ed, "O", HPDF_Binary_New(pdf->mmgr, e->owner_key, HPDF_PASSWD_LEN));
    HPDF_Dict_Add(ed, "U", HPDF_Binary_New(pdf->mmgr, e->user_key, HPDF_PASSWD_LEN));
    HPDF_Dict_AddName(ed, "Filter", "Standard");
    HPDF_Dict_AddNumber(ed, "V", 2);
    HPDF_Dict_AddNumber(ed, "R", 3);
    HPDF_Dict_AddNumber(ed, "Length", e->key_len * 8);
    HPDF_Dict_AddNumber(ed, "P", (HPDF_INT32)e->permission);
  }
  int rc = hcheck(h, vb_span_none(), "preparing the trailer");
  if (rc == VB_OK && HPDF_Xref_WriteToStream(pdf->xref, s, e) != HPDF_OK)
    rc = hcheck(h, vb_span_none(), "writing the PDF");
  if (rc == VB_OK)
    rc = hcheck(h, vb_span_none(), "writing the PDF");
  HPDF_Stream_Free(s);
  return h->write_failed ? VB_EIO : rc;
}

/* ---- vtable */

static int haru_draw(vb_backend *b, const vb_op *op) {
  haru_backend *h = (haru_backend *)b;
  if (!h->in_page) {
    vb_diag_error(b->diag, op->span, "internal error: drawing outside a page");
    return VB_ELAYOUT;
  }
  int rc = draw_op(h, &h->page, op);
  if (rc == VB_OK)
    rc = hcheck(h, op->span, "drawing");
  return rc;
}

static vb_backend *haru_open(const vb_backend_opts *opts, vb_output out, vb_diag *d) {
  if (opts->pdfa && opts->user_password) {
    vb_diag_error(d, vb_span_none(), "PDF/A does not allow encryption: drop --pdfa or the password");
    return NULL;
  }
  haru_backend *h = vb_xcalloc(1, sizeof *h);
  h->out = out;
  h->base.diag = d;
  h->base.opts = opts;
  if (FT_Init_FreeType(&h->ft)) {
    vb_diag_error(d, vb_span_none(), "cannot initialise FreeType");
    free(h);
    return NULL;
  }
  h->pdf = HPDF_New(on_error, h);
  if (!h->pdf) {
    vb_diag_error(d, vb_span_none(), "libharu: cannot create a document");
    FT_Done_FreeType(h->ft);
    free(h);
    return NULL;
  }
  h->content_md5 = g_checksum_new(G_CHECKSUM_MD5);
  HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(h->pdf);
  HPDF_SetCurrentEncoder(h->pdf, "UTF-8");
  if (opts->user_password) {
    /* the owner password is set at close, once the file ID is known */
    const char *owner = opts->owner_password ? opts->owner_password : "\x01pending";
    HPDF_SetPassword(h->pdf, owner, opts->user_password);
    HPDF_SetEncryptionMode(h->pdf, HPDF_ENCRYPT_R3, 16);
  }
  h->pdf->pdf_version = HPDF_VER_14;
  if (hcheck(h, vb_span_none(), "setting up the document") < 0) {
    HPDF_Free(h->pdf);
    g_checksum_free(h->content_md5);
    FT_Done_FreeType(h->ft);
    free(h);
    return NULL;
  }
  return &h->base;
}

static int haru_begin_page(vb_backend *b, float w_pt, float h_pt) {
  haru_backend *h = (haru_backend *)b;
  if (!(w_pt > 0 && h_pt > 0)) {
    vb_diag_error(b->diag, vb_span_none(), "internal error: page size must be positive");
    return VB_ELAYOUT;
  }
  HPDF_Page page = HPDF_AddPage(h->pdf);
  if (!page)
    return hcheck(h, vb_span_none(), "adding a page");
  HPDF_Page_SetWidth(page, w_pt);
  HPDF_Page_SetHeight(page, h_pt);
  if (h->npages == h->cappages) {
    h->cappages = h->cappages ? 2 * h->cappages : 64;
    h->pages = vb_xrealloc(h->pages, h->cappages * sizeof *h->pages);
    h->page_h = vb_xrealloc(h->page_h, h->cappages * sizeof *h->page_h);
  }
  h->pages[h->npages] = page;
  h->page_h[h->npages] = h_pt;
  h->npages++;
  HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
  target_init(h, &h->page, res, true, 0);
  /* the display list's y runs down from the top */
  vb_strbuf_puts(&h->page.cs, "1 0 0 -1 0 ");
  put_num(&h->page.cs, h_pt);
  vb_strbuf_puts(&h->page.cs, " cm\n");
  h->in_page = true;
  return hcheck(h, vb_span_none(), "adding a page");
}

static int haru_end_page(vb_backend *b) {
  haru_backend *h = (haru_backend *)b;
  if (!h->in_page)
    return VB_OK;
  while (h->page.clip_depth > 0)
    pop_clip(&h->page);
  h->in_page = false;
  HPDF_PageAttr pa = h->pages[h->npages - 1]->attr;
  HPDF_Stream_Write(pa->stream, (const HPDF_BYTE *)h->page.cs.data, (HPDF_UINT)h->page.cs.len);
  g_checksum_update(h->content_md5, (const guchar *)h->page.cs.data, (gssize)h->page.cs.len);
  target_free(&h->page);
  return hcheck(h, vb_span_none(), "writing a page");
}

static int haru_close(vb_backend *b) {
  haru_backend *h = (haru_backend *)b;
  if (h->closed)
    return VB_OK;
  h->closed = true;
  int rc = VB_OK;
  if (h->in_page)
    rc = haru_end_page(b);
  if (rc < 0)
    return rc;
  if (h->npages == 0) { /* a PDF needs a page */
    rc = haru_begin_page(b, 595.276f, 841.89f);
    if (rc == VB_OK)
      rc = haru_end_page(b);
    if (rc < 0)
      return rc;
  }
  const vb_backend_opts *o = b->opts;
  long long when = o->date >= 0 ? o->date : (long long)time(NULL);
  char pdf_date[32], xmp_date[32];
  format_dates(when, pdf_date, xmp_date);
  char producer[64];
  snprintf(producer, sizeof producer, "libharu %s", HPDF_VERSION_TEXT);
  /* the file ID: MD5 of the info and of every content stream */
  GChecksum *idc = g_checksum_new(G_CHECKSUM_MD5);
  const char *fields[] = {o->title, o->author, o->subject, o->keywords, o->creator, pdf_date};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (fields[i])
      g_checksum_update(idc, (const guchar *)fields[i], (gssize)strlen(fields[i]));
    g_checksum_update(idc, (const guchar *)"", 1);
  }
  const char *content = g_checksum_get_string(h->content_md5);
  g_checksum_update(idc, (const guchar *)content, (gssize)strlen(content));
  unsigned char id[16];
  gsize idlen = sizeof id;
  g_checksum_get_digest(idc, id, &idlen);
  g_checksum_free(idc);

  rc = emit_gotos(h);
  if (rc == VB_OK)
    rc = emit_outline(h);
  if (rc == VB_OK)
    finish_fonts(h);
  if (rc == VB_OK) {
    set_info(h, pdf_date, producer);
    rc = hcheck(h, vb_span_none(), "setting the document info");
  }
  if (rc == VB_OK && o->pdfa) {
    write_xmp(h, xmp_date, producer);
    rc = write_output_intent(h, when);
    if (rc == VB_OK)
      add_cidsets(h);
    if (rc == VB_OK)
      rc = hcheck(h, vb_span_none(), "writing PDF/A metadata");
  }
  if (rc == VB_OK && o->user_password) {
    char *owner = o->owner_password ? vb_xstrdup(o->owner_password)
                                    : derive_owner(o->user_password, id);
    if (!o->owner_password && !strcmp(owner, o->user_password))
      owner[0] ^= 1; /* libharu refuses equal passwords */
    HPDF_Encrypt e = HPDF_EncryptDict_GetAttr(h->pdf->encrypt_dict);
    if (HPDF_EncryptDict_SetPassword(h->pdf->encrypt_dict, owner, o->user_password) != HPDF_OK ||
        !e) {
      HPDF_ResetError(h->pdf);
      h->err = 0;
      vb_diag_error(b->diag, vb_span_none(),
                    "the owner password must differ from the user password");
      rc = VB_EUSAGE;
    }
    free(owner);
  }
  if (rc == VB_OK)
    rc = save(h, id);
  return rc;
}

static void haru_free(vb_backend *b) {
  haru_backend *h = (haru_backend *)b;
  if (h->in_page)
    target_free(&h->page);
  h->write_failed = true; /* nothing more reaches the output */
  for (uint32_t i = 0; i < h->nfonts; i++) {
    hfont *f = &h->fonts[i];
    if (!f->owner)
      continue;
    FT_Done_Face(f->face);
    free(f->g2u);
    free(f->width);
    free(f->cp_gid);
  }
  free(h->fonts);
  free(h->images);
  free(h->groups);
  free(h->pages);
  free(h->page_h);
  for (size_t i = 0; i < h->noutline; i++)
    free(h->outline[i].title);
  free(h->outline);
  free(h->gotos);
  g_checksum_free(h->content_md5);
  HPDF_Free(h->pdf);
  FT_Done_FreeType(h->ft);
  free(h);
}

const vb_backend_class vb_haru_backend = {
    .name = "haru",
    /* no VB_CAP_GLYPH_IDS: glyphs are shown through code points, so the layout
     * shapes runs for this backend without ligatures */
    .caps = VB_CAP_LINKS | VB_CAP_OUTLINE | VB_CAP_GROUPS,
    .formats = 1u << VB_FORMAT_PDF,
    .open = haru_open,
    .begin_page = haru_begin_page,
    .draw_glyphs = haru_draw,
    .draw_rect = haru_draw,
    .draw_path = haru_draw,
    .draw_image = haru_draw,
    .draw_group = haru_draw,
    .push_clip = haru_draw,
    .pop_clip = haru_draw,
    .add_link = haru_draw,
    .add_outline = haru_draw,
    .end_page = haru_end_page,
    .close = haru_close,
    .free = haru_free,
};
