/* image.c - display stage: probes an image file for its kind and intrinsic
 * size (PNG IHDR, JPEG SOFn marker, SVG through librsvg) before layout places it. */
#include "display.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool has_svg_extension(const char *file) {
  size_t n = strlen(file);
  return n >= 4 && g_ascii_strcasecmp(file + n - 4, ".svg") == 0;
}

/* True when the first bytes look like XML or SVG text (after a BOM and blanks). */
static bool sniff_svg(const unsigned char *buf, size_t n) {
  size_t i = 0;
  if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
    i = 3;
  while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
    i++;
  return (n - i >= 4 && memcmp(buf + i, "<svg", 4) == 0) ||
         (n - i >= 5 && memcmp(buf + i, "<?xml", 5) == 0) ||
         (n - i >= 4 && memcmp(buf + i, "<!--", 4) == 0 &&
          g_strstr_len((const char *)buf, (gssize)n, "<svg"));
}

/* Scans JPEG markers up to the first SOFn frame header. 0 or -1. */
static int jpeg_size(FILE *f, double *w, double *h) {
  int c;
  for (;;) {
    c = getc(f);
    if (c == EOF)
      return -1;
    if (c != 0xFF)
      continue; /* tolerate garbage between segments */
    do
      c = getc(f);
    while (c == 0xFF); /* fill bytes */
    if (c == EOF)
      return -1;
    if (c == 0xD8 || c == 0x01 || (c >= 0xD0 && c <= 0xD7))
      continue; /* SOI, TEM, RSTn: no length */
    if (c == 0xD9 || c == 0xDA)
      return -1; /* EOI or SOS before any frame header */
    unsigned char len[2];
    if (fread(len, 1, 2, f) != 2)
      return -1;
    unsigned seglen = (unsigned)len[0] << 8 | len[1];
    if (seglen < 2)
      return -1;
    bool sof = c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
    if (sof) {
      unsigned char hdr[5];
      if (seglen < 7 || fread(hdr, 1, 5, f) != 5)
        return -1;
      *h = (double)((unsigned)hdr[1] << 8 | hdr[2]);
      *w = (double)((unsigned)hdr[3] << 8 | hdr[4]);
      return (*w > 0 && *h > 0) ? 0 : -1;
    }
    if (fseek(f, (long)seglen - 2, SEEK_CUR) != 0)
      return -1;
  }
}

static int svg_size(const char *file, double *w, double *h, vb_diag *d, vb_span span) {
  GError *err = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_file(file, &err);
  if (!handle) {
    vb_diag_error(d, span, "cannot read image '%s': %s", file,
                  err ? err->message : "not a valid SVG file");
    g_clear_error(&err);
    return -1;
  }
  gdouble pw = 0, ph = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &pw, &ph) || pw <= 0 || ph <= 0) {
    /* Percentages or no width/height: fall back to the viewBox. */
    gboolean has_w, has_h, has_vb;
    RsvgLength lw, lh;
    RsvgRectangle vb;
    rsvg_handle_get_intrinsic_dimensions(handle, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
    if (has_vb && vb.width > 0 && vb.height > 0) {
      pw = vb.width;
      ph = vb.height;
    } else {
      pw = ph = 100;
    }
  }
  g_object_unref(handle);
  *w = pw;
  *h = ph;
  return 0;
}

int vb_image_probe(const char *file, vb_image_kind *kind, double *width, double *height,
                   vb_diag *d, vb_span span) {
  FILE *f = fopen(file, "rb");
  if (!f) {
    vb_diag_error(d, span, "cannot open image '%s': %s", file, strerror(errno));
    return -1;
  }
  unsigned char buf[512];
  size_t n = fread(buf, 1, sizeof buf, f);
  int rc = -1;
  if (n >= 24 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0 &&
      memcmp(buf + 12, "IHDR", 4) == 0) {
    *kind = VB_IMAGE_PNG;
    *width = be32(buf + 16);
    *height = be32(buf + 20);
    rc = (*width > 0 && *height > 0) ? 0 : -1;
    if (rc < 0)
      vb_diag_error(d, span, "cannot read image '%s': bad PNG header", file);
  } else if (n >= 3 && buf[0] == 0xFF && buf[1] == 0xD8 && buf[2] == 0xFF) {
    *kind = VB_IMAGE_JPEG;
    rc = (fseek(f, 2, SEEK_SET) == 0) ? jpeg_size(f, width, height) : -1;
    if (rc < 0)
      vb_diag_error(d, span, "cannot read image '%s': no JPEG frame header", file);
  } else if (has_svg_extension(file) || sniff_svg(buf, n)) {
    *kind = VB_IMAGE_SVG;
    rc = svg_size(file, width, height, d, span);
  } else if (ferror(f)) {
    vb_diag_error(d, span, "cannot read image '%s': %s", file, strerror(errno));
  } else {
    vb_diag_error(d, span, "cannot read image '%s': not a PNG, JPEG or SVG file", file);
  }
  fclose(f);
  return rc;
}

/* ---- full validation (vb_image_check) */

typedef struct checker {
  const char *file; /* as the record names it (messages) */
  const vb_limits *lim;
  vb_diag *d;
  vb_span span;
  const char *path;   /* the file being checked: `file` or one an SVG refers to;
                         NULL for a data: URI's image */
  const char *prefix; /* "" or how an SVG leads to it ("line 3: <image> 'a.png': ") */
  unsigned depth;     /* SVGs on the way to it */
  double drawn;       /* SVG: the elements drawing it draws, repeats counted (out) */
} checker;

/* An SVG may refer to an image that refers to another...: this deep at most. */
#define SVG_NEST_MAX 3

static int fail(const checker *c, const char *fmt, ...) VB_PRINTF(2, 3);
static int fail(const checker *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *why = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  vb_diag_error(c->d, c->span, "cannot use image '%s': %s%s", c->file,
                c->prefix ? c->prefix : "", why);
  g_free(why);
  return -1;
}

static int check_pixels(const checker *c, double w, double h) {
  if (w * h > (double)c->lim->image_pixels)
    return fail(c, "%.0f x %.0f pixels is more than %llu (the image-pixels limit; raise it with --limit image-pixels=N)",
                w, h, (unsigned long long)c->lim->image_pixels);
  return 0;
}

/* Bytes of the filtered image data of a PNG (one filter byte per row). */
static uint64_t png_data_bytes(uint32_t w, uint32_t h, unsigned bits, bool interlaced) {
  if (!interlaced)
    return (uint64_t)h * (1 + ((uint64_t)w * bits + 7) / 8);
  static const unsigned x0[] = {0, 4, 0, 2, 0, 1, 0}, dx[] = {8, 8, 4, 4, 2, 2, 1};
  static const unsigned y0[] = {0, 0, 4, 0, 2, 0, 1}, dy[] = {8, 8, 8, 4, 4, 2, 2};
  uint64_t total = 0;
  for (int p = 0; p < 7; p++) {
    uint64_t pw = w > x0[p] ? (w - x0[p] + dx[p] - 1) / dx[p] : 0;
    uint64_t ph = h > y0[p] ? (h - y0[p] + dy[p] - 1) / dy[p] : 0;
    if (pw && ph)
      total += ph * (1 + (pw * bits + 7) / 8);
  }
  return total;
}

/* Walks the chunks (lengths and CRCs), inflates the IDAT stream into a small
 * buffer counting its bytes: a truncated or damaged PNG is found without
 * holding its pixels. */
static int check_png(const checker *c, const unsigned char *b, size_t n, double *w, double *h) {
  if (n < 33 || memcmp(b + 12, "IHDR", 4) != 0 || be32(b + 8) != 13)
    return fail(c, "bad PNG header");
  uint32_t iw = be32(b + 16), ih = be32(b + 20);
  unsigned depth = b[24], ctype = b[25], interlace = b[28];
  unsigned channels = ctype == 0 ? 1 : ctype == 2 ? 3 : ctype == 3 ? 1 : ctype == 4 ? 2
                      : ctype == 6 ? 4 : 0;
  bool depth_ok = (ctype == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
                                  depth == 16)) ||
                  (ctype == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                  ((ctype == 2 || ctype == 4 || ctype == 6) && (depth == 8 || depth == 16));
  if (iw == 0 || ih == 0 || iw > 0x7fffffff || ih > 0x7fffffff || !channels || !depth_ok ||
      interlace > 1)
    return fail(c, "bad PNG header");
  *w = iw;
  *h = ih;
  if (check_pixels(c, iw, ih) != 0)
    return -1;
  uint64_t want = png_data_bytes(iw, ih, depth * channels, interlace == 1);
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit(&z) != Z_OK)
    return fail(c, "out of memory");
  unsigned char out[65536];
  uint64_t got = 0;
  bool ended = false, iend = false, seen_idat = false;
  int rc = 0;
  size_t pos = 8;
  while (!iend) {
    if (n - pos < 12) {
      rc = fail(c, "truncated PNG (it ends inside a chunk, before IEND)");
      break;
    }
    uint32_t len = be32(b + pos);
    const unsigned char *type = b + pos + 4;
    if (len > 0x7fffffff || n - pos - 12 < len) {
      rc = fail(c, "truncated PNG (chunk '%.4s' is cut short)", (const char *)type);
      break;
    }
    const unsigned char *data = type + 4;
    uLong crc = crc32(crc32(0L, Z_NULL, 0), type, (uInt)(len + 4));
    if (crc != be32(data + len)) {
      rc = fail(c, "damaged PNG (bad checksum in chunk '%.4s')", (const char *)type);
      break;
    }
    if (!memcmp(type, "IDAT", 4)) {
      seen_idat = true;
      z.next_in = (Bytef *)data;
      z.avail_in = len;
      while (z.avail_in > 0 && !ended) {
        z.next_out = out;
        z.avail_out = sizeof out;
        int zr = inflate(&z, Z_NO_FLUSH);
        got += sizeof out - z.avail_out;
        if (zr == Z_STREAM_END)
          ended = true;
        else if (zr != Z_OK && zr != Z_BUF_ERROR) {
          rc = fail(c, "damaged PNG (bad image data: %s)", z.msg ? z.msg : "inflate failed");
          break;
        }
        if (got > want)
          break;
      }
      if (rc || got > want)
        break;
    } else if (!memcmp(type, "IEND", 4))
      iend = true;
    pos += 12 + (size_t)len;
  }
  if (!rc && (!seen_idat || !ended || got != want))
    rc = fail(c, got > want ? "damaged PNG (more image data than its size says)"
                            : "truncated PNG (the image data stops after %llu of %llu bytes)",
              (unsigned long long)got, (unsigned long long)want);
  inflateEnd(&z);
  return rc;
}

/* Segments from SOI to EOI, the entropy-coded data after each SOS scanned for
 * the next marker. */
static int check_jpeg(const checker *c, const unsigned char *b, size_t n, double *w, double *h) {
  size_t pos = 2;
  bool frame = false;
  for (;;) {
    while (pos < n && b[pos] != 0xFF)
      pos++; /* tolerate garbage between segments */
    while (pos < n && b[pos] == 0xFF)
      pos++;
    if (pos >= n)
      return fail(c, "truncated JPEG (no end-of-image marker)");
    unsigned m = b[pos++];
    if (m == 0xD9)
      break;
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
      continue;
    if (n - pos < 2)
      return fail(c, "truncated JPEG (it ends inside a segment)");
    size_t seglen = (size_t)b[pos] << 8 | b[pos + 1];
    if (seglen < 2 || n - pos < seglen)
      return fail(c, "truncated JPEG (it ends inside a segment)");
    bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof && !frame) {
      if (seglen < 8)
        return fail(c, "bad JPEG frame header");
      *h = (double)((unsigned)b[pos + 3] << 8 | b[pos + 4]);
      *w = (double)((unsigned)b[pos + 5] << 8 | b[pos + 6]);
      if (*w <= 0 || *h <= 0)
        return fail(c, "bad JPEG frame header");
      if (check_pixels(c, *w, *h) != 0)
        return -1;
      frame = true;
    }
    pos += seglen;
    if (m == 0xDA) {
      if (!frame)
        return fail(c, "no JPEG frame header");
      /* entropy-coded data: FF 00 is a data byte, FF D0-D7 a restart */
      while (pos + 1 < n && !(b[pos] == 0xFF && b[pos + 1] != 0 &&
                              !(b[pos + 1] >= 0xD0 && b[pos + 1] <= 0xD7) && b[pos + 1] != 0xFF))
        pos++;
      if (pos + 1 >= n)
        return fail(c, "truncated JPEG (the image data has no end-of-image marker)");
    }
  }
  if (!frame)
    return fail(c, "no JPEG frame header");
  return 0;
}

/* Reads an attribute's number inside one element's text [p, end); dflt if absent. */
static double attr_num(const char *p, const char *end, const char *name, double dflt) {
  size_t nl = strlen(name);
  for (const char *q = p; q + nl + 2 < end; q++)
    if (!memcmp(q, name, nl) && (q == p || q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\t')) {
      const char *v = q + nl;
      while (v < end && (*v == ' ' || *v == '=' || *v == '"' || *v == '\''))
        v++;
      return g_ascii_strtod(v, NULL);
    }
  return dflt;
}

/* The work an SVG's filters ask for, in units per rasterised pixel (a unit is
 * about what one blur costs, ~0.3 µs a pixel with librsvg 2.54 here): every
 * filter primitive is one, and a few cost more (turbulence, more with its
 * octaves; a convolution or morphology with the size of its kernel). */
static double svg_filter_cost(const char *s, size_t n, size_t *elements) {
  double cost = 0;
  *elements = 0;
  const char *end = s + n;
  for (const char *p = s; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
    if (p + 1 >= end || !g_ascii_isalpha(p[1]))
      continue;
    (*elements)++;
    if (end - p < 4 || memcmp(p + 1, "fe", 2) != 0)
      continue;
    const char *gt = memchr(p, '>', (size_t)(end - p));
    const char *e = gt ? gt : end;
    double one = 1;
    if (!strncmp(p + 1, "feTurbulence", 12)) {
      double oct = attr_num(p, e, "numOctaves", 1);
      one += 1 + (oct > 0 ? oct / 4 : 0);
    } else if (!strncmp(p + 1, "feConvolveMatrix", 16)) {
      double o = attr_num(p, e, "order", 3);
      one += o > 0 ? o * o / 20 : 0;
    } else if (!strncmp(p + 1, "feMorphology", 12)) {
      double r = attr_num(p, e, "radius", 0);
      one += r > 0 ? (2 * r + 1) * (2 * r + 1) / 20 : 0;
    }
    cost += one;
  }
  /* each element drawn through a filter runs it again: count the references */
  size_t uses = 0;
  for (const char *p = s; (p = g_strstr_len(p, end - p, "url(")) != NULL; p += 4)
    uses++;
  return cost * (double)(uses > 1 ? uses : 1);
}

#define SVG_FILTER_BUDGET 30e6 /* unit-pixels: about ten seconds at the very most */

/* ---- what an SVG refers to (svg_refs)
 * librsvg draws a <use>'s element again wherever it is used, and a pattern,
 * marker, clip path, mask, filter or gradient (url(#id), href="#id") for each
 * element that refers to it: ten <use> of an element holding ten <use> of ...
 * draw 10^11 elements from 2 kB (librsvg stops at 500,000 references, while
 * the PDF is drawn). So the elements drawing an SVG draws are counted here,
 * in its libxml2 tree (librsvg's own parser), each with its repeats: drawn(e) =
 * 1 + drawn of its children + for each reference, drawn of the element referred
 * to (a marker: once per vertex of the shape; a url(#id) in a <style> sheet: once
 * per element of the file), against the svg-elements limit.
 * Files it refers to (<image href="a.png">, <use href="b.svg#x">, url(c.svg#p))
 * librsvg 2.54 loads only from the SVG's own folder or below (after resolving
 * symbolic links) and draws nothing, in silence, for any other; here each must
 * pass the rule for image paths (no '..', absolute path or symbolic link unless
 * --allow-outside), lie where librsvg will load it, and pass vb_image_check
 * itself; data: URIs are checked as the image they hold. No other scheme
 * (http:, ...) is drawn, XInclude and style sheets from other files are refused. */

typedef struct svg_edge {
  uint32_t to;
  double mult;
} svg_edge;

typedef struct svg_walk {
  checker *c;
  GPtrArray *nodes;   /* elements, and entities (their content), in document order */
  GHashTable *index;  /* node -> index + 1 */
  GHashTable *ids;    /* id -> index + 1 (the first element with it) */
  GArray *edges;      /* svg_edge, grouped by node */
  GArray *first;      /* uint32: index of a node's first edge; one more at the end */
  double *own;        /* 1 + what referred files draw, per node */
  double vertices;    /* of every shape (markers given in a <style> sheet) */
  GArray *css;        /* svg_edge: url(#id) in <style> sheets (mult: per element) */
  GHashTable *files;  /* resolved path -> drawn (double, boxed), each file checked once */
  GString *text;      /* scratch */
} svg_walk;

#define SVG_DRAWN_CAP 1e18

static const char *svg_ns = "http://www.w3.org/2000/svg";
static const char *xinclude_ns = "http://www.w3.org/2001/XInclude";

static bool node_is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) &&
         (!n->ns || !n->ns->href || !strcmp((const char *)n->ns->href, svg_ns));
}

static long line_of(const xmlNode *n) { return n ? xmlGetLineNo(n) : 0; }

/* The text of an attribute or of an element's children (entities replaced). */
static void text_of(const xmlNode *first, GString *out) {
  for (const xmlNode *t = first; t; t = t->next) {
    if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE)
      g_string_append(out, t->content ? (const char *)t->content : "");
    else if (t->type == XML_ENTITY_REF_NODE && t->children &&
             t->children->type == XML_ENTITY_DECL) {
      const xmlEntity *e = (const xmlEntity *)(const void *)t->children;
      g_string_append(out, e->content ? (const char *)e->content : "");
    }
  }
}

/* Numbers in a path's d or a polyline's points: at least its vertices. */
static double vertices_of(const xmlNode *n) {
  if (node_is(n, "line"))
    return 2;
  double count = 0;
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, "d") && strcmp((const char *)a->name, "points"))
      continue;
    GString *v = g_string_new(NULL);
    text_of(a->children, v);
    bool in = false;
    for (const char *p = v->str; *p; p++) {
      bool num = g_ascii_isdigit(*p) || *p == '.';
      if (num && !in)
        count++;
      in = num || ((*p == 'e' || *p == 'E') && in);
    }
    g_string_free(v, TRUE);
  }
  return count > 1 ? count : 1;
}

static int check_bytes(checker *c, const unsigned char *b, size_t n, const char *name,
                       vb_image_kind *kind, double *w, double *h);

/* A checker for what `c`'s SVG refers to at `n` by `ref` (path NULL: data:). */
static checker nested(const checker *c, const xmlNode *n, const char *ref, const char *path,
                      char **prefix) {
  char *shown = g_strndup(ref, strlen(ref) > 60 ? 60 : strlen(ref));
  *prefix = g_strdup_printf("%sline %ld: <%s> '%s%s': ", c->prefix ? c->prefix : "",
                            line_of(n), (const char *)n->name, shown,
                            strlen(ref) > 60 ? "..." : "");
  g_free(shown);
  checker k = *c;
  k.path = path;
  k.prefix = *prefix;
  k.depth = c->depth + 1;
  k.drawn = 0;
  return k;
}

/* Checks the image a data: URI holds; what it draws in *drawn. 0 or -1. */
static int check_data_uri(svg_walk *sw, const xmlNode *n, const char *ref, double *drawn) {
  checker *c = sw->c;
  const char *comma = strchr(ref, ',');
  if (!comma)
    return fail(c, "line %ld: <%s> has a data: URI without a ','", line_of(n),
                (const char *)n->name);
  char *prefix;
  checker k = nested(c, n, ref, NULL, &prefix);
  guchar *bytes;
  gsize len = 0;
  char *head = g_ascii_strdown(ref, (gssize)(comma - ref));
  if (g_str_has_suffix(head, ";base64")) {
    char *b64 = g_strdup(comma + 1);
    bytes = g_base64_decode(g_strstrip(b64), &len);
    g_free(b64);
  } else {
    char *raw = g_uri_unescape_string(comma + 1, NULL);
    len = raw ? strlen(raw) : 0;
    bytes = (guchar *)raw;
  }
  g_free(head);
  vb_image_kind kind;
  double w, h;
  int rc;
  if (!bytes || !len)
    rc = fail(&k, "no image in the data: URI");
  else if (len > c->lim->image_bytes)
    rc = fail(&k, "the image is larger than %llu bytes (the image-bytes limit; raise it "
                  "with --limit image-bytes=N)",
              (unsigned long long)c->lim->image_bytes);
  else
    rc = check_bytes(&k, bytes, len, NULL, &kind, &w, &h);
  *drawn = k.drawn;
  g_free(bytes);
  g_free(prefix);
  return rc;
}

/* Checks a file `ref` names (a fragment after '#' dropped); what it draws in
 * *drawn. 0 or -1. */
static int check_file_ref(svg_walk *sw, const xmlNode *n, const char *ref, double *drawn) {
  checker *c = sw->c;
  const char *elem = (const char *)n->name;
  long line = line_of(n);
  if (!c->path)
    return fail(c, "line %ld: <%s> refers to the file '%s', which librsvg does not load "
                   "from an SVG given as a data: URI",
                line, elem, ref);
  char *file = g_strdup(ref);
  char *hash = strchr(file, '#');
  if (hash)
    *hash = 0;
  char *path = NULL, *dir = g_path_get_dirname(c->path);
  vb_strbuf why = VB_STRBUF_INIT;
  int rc = 0;
  const char *colon = strchr(file, ':');
  bool scheme = colon && colon > file && g_ascii_isalpha(file[0]);
  for (const char *p = file; scheme && p < colon; p++)
    if (!g_ascii_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
      scheme = false;
  char *local = NULL;
  if (scheme && g_ascii_strncasecmp(file, "file:", 5) != 0)
    rc = fail(c, "line %ld: <%s> refers to '%s': librsvg draws no '%.*s:' reference (only "
                 "files beside the SVG and data: URIs)",
              line, elem, ref, (int)(colon - file), file);
  else if (strchr(file, '?'))
    rc = fail(c, "line %ld: <%s> refers to '%s': librsvg draws no reference with a query "
                 "('?')",
              line, elem, ref);
  else if (scheme) {
    local = g_filename_from_uri(file, NULL, NULL);
    if (!local)
      rc = fail(c, "line %ld: <%s> refers to '%s', which is not a local file: URL", line,
                elem, ref);
  } else {
    local = g_uri_unescape_string(file, NULL);
    if (!local)
      local = g_strdup(file);
  }
  if (!rc && (!local || !*local))
    rc = fail(c, "line %ld: <%s> refers to '%s', which names no file", line, elem, ref);
  if (!rc && local) {
    path = vb_image_resolve(dir, local, c->lim->allow_outside, &why);
    if (!path)
      rc = fail(c, "line %ld: <%s> refers to '%s': %s", line, elem, ref,
                vb_strbuf_cstr(&why));
  }
  if (!rc) {
    /* librsvg's own rule (url_resolver.rs): below the SVG's folder, links resolved */
    char *real_dir = realpath(dir, NULL), *real = realpath(path, NULL);
    size_t dl = real_dir ? strlen(real_dir) : 0;
    if (real && real_dir &&
        !(strncmp(real, real_dir, dl) == 0 && (real[dl] == '/' || (dl == 1 && real[0] == '/'))))
      rc = fail(c, "line %ld: <%s> refers to '%s', outside the SVG's folder '%s', from where "
                   "librsvg draws nothing",
                line, elem, ref, dir);
    free(real_dir);
    free(real);
  }
  if (!rc) {
    double *known = g_hash_table_lookup(sw->files, path);
    if (known)
      *drawn = *known;
    else {
      char *prefix;
      checker k = nested(c, n, ref, path, &prefix);
      const char *whyopen = NULL;
      int fd = vb_file_open_regular(path, &whyopen);
      char *buf = NULL;
      size_t len = 0;
      bool too_big = false;
      if (fd < 0)
        rc = fail(&k, "cannot open '%s': %s", path, whyopen);
      else if (vb_file_read_all(fd, c->lim->image_bytes, &buf, &len, &too_big) != 0)
        rc = too_big ? fail(&k, "the file is larger than %llu bytes (the image-bytes limit; "
                                "raise it with --limit image-bytes=N)",
                            (unsigned long long)c->lim->image_bytes)
                     : fail(&k, "cannot read '%s': %s", path, strerror(errno));
      else {
        vb_image_kind kind;
        double w, h;
        rc = check_bytes(&k, (const unsigned char *)buf, len, path, &kind, &w, &h);
      }
      if (fd >= 0)
        close(fd);
      free(buf);
      g_free(prefix);
      if (!rc) {
        *drawn = k.drawn;
        double *box = g_new(double, 1);
        *box = k.drawn;
        g_hash_table_insert(sw->files, g_strdup(path), box);
      }
    }
  }
  vb_strbuf_free(&why);
  free(path);
  g_free(local);
  g_free(dir);
  g_free(file);
  return rc;
}

/* One reference `ref` (trimmed) made by node i: an edge to the element it names,
 * or what a file or data: URI draws added to the node's own count. */
static int add_ref(svg_walk *sw, uint32_t i, const xmlNode *n, const char *ref, double mult,
                   bool in_css) {
  if (!*ref)
    return 0;
  if (ref[0] == '#') {
    gpointer t = g_hash_table_lookup(sw->ids, ref + 1);
    if (t) {
      svg_edge e = {(uint32_t)GPOINTER_TO_UINT(t) - 1, mult};
      g_array_append_val(in_css ? sw->css : sw->edges, e);
    }
    return 0; /* an unknown id draws nothing */
  }
  double drawn = 1;
  int rc = g_ascii_strncasecmp(ref, "data:", 5) == 0 ? check_data_uri(sw, n, ref, &drawn)
                                                     : check_file_ref(sw, n, ref, &drawn);
  if (rc == 0 && !in_css) {
    sw->own[i] += mult * drawn;
    if (sw->own[i] > SVG_DRAWN_CAP)
      sw->own[i] = SVG_DRAWN_CAP;
  }
  return rc;
}

/* Every url(...) in a presentation attribute, a style attribute or a sheet. */
static int add_urls(svg_walk *sw, uint32_t i, const xmlNode *n, const char *prop,
                    const char *v, bool in_css) {
  for (const char *p = v; (p = strstr(p, "url(")) != NULL;) {
    p += 4;
    const char *e = strchr(p, ')');
    if (!e)
      e = p + strlen(p);
    char *ref = g_strndup(p, (gsize)(e - p));
    g_strstrip(ref);
    size_t rl = strlen(ref);
    if (rl >= 2 && (ref[0] == '"' || ref[0] == '\'') && ref[rl - 1] == ref[0]) {
      memmove(ref, ref + 1, rl - 2);
      ref[rl - 2] = 0;
    }
    /* the property this url() is the value of: the attribute's name, or the
     * declaration it is in ("marker-end: url(#m)") */
    const char *decl = p - 4;
    while (decl > v && decl[-1] != ';' && decl[-1] != '{')
      decl--;
    while (*decl == ' ' || *decl == '\t' || *decl == '\n' || *decl == '\r')
      decl++;
    bool marker = !strncmp(prop ? prop : decl, "marker", 6);
    double mult = 1;
    if (marker)
      mult = in_css ? sw->vertices : vertices_of(n);
    int rc = add_ref(sw, i, n, ref, mult, in_css);
    g_free(ref);
    if (rc)
      return rc;
    p = e;
  }
  return 0;
}

/* Edges and own count of node i. */
static int walk_node(svg_walk *sw, uint32_t i) {
  checker *c = sw->c;
  const xmlNode *n = g_ptr_array_index(sw->nodes, i);
  for (const xmlNode *k = n->children; k; k = k->next) { /* an entity's: its content */
    const xmlNode *to = k;
    if (k->type == XML_ENTITY_REF_NODE)
      to = k->children;
    gpointer t = to ? g_hash_table_lookup(sw->index, to) : NULL;
    if (t) {
      svg_edge e = {(uint32_t)GPOINTER_TO_UINT(t) - 1, 1};
      g_array_append_val(sw->edges, e);
    }
  }
  if (n->type != XML_ELEMENT_NODE)
    return 0;
  if (n->ns && n->ns->href && !strcmp((const char *)n->ns->href, xinclude_ns))
    return fail(c, "line %ld: XInclude (<%s>) is not drawn from an emblem or photo: put "
                   "what it includes in the SVG",
                line_of(n), (const char *)n->name);
  bool link = node_is(n, "a");
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    g_string_truncate(sw->text, 0);
    text_of(a->children, sw->text);
    char *v = g_strstrip(g_strdup(sw->text->str));
    const char *name = (const char *)a->name;
    int rc = 0;
    if (!strcmp(name, "href")) {
      if (!link)
        rc = add_ref(sw, i, n, v, 1, false);
    } else if (!strcmp(name, "style"))
      rc = add_urls(sw, i, n, NULL, v, false);
    else if (strstr(v, "url("))
      rc = add_urls(sw, i, n, name, v, false);
    g_free(v);
    if (rc)
      return rc;
  }
  if (node_is(n, "style")) {
    g_string_truncate(sw->text, 0);
    text_of(n->children, sw->text);
    if (strstr(sw->text->str, "@import"))
      return fail(c, "line %ld: a style sheet from another file (@import) is not drawn from "
                     "an emblem or photo: put the style in the SVG",
                  line_of(n));
    return add_urls(sw, i, n, NULL, sw->text->str, true);
  }
  return 0;
}

/* drawn(i) for every node reachable from `root`, depth first without recursion;
 * -1 (reported) on a cycle. */
static int count_drawn(svg_walk *sw, uint32_t root, double *drawn, uint8_t *state) {
  const svg_edge *edges = (const svg_edge *)(const void *)sw->edges->data;
  const uint32_t *first = (const uint32_t *)(const void *)sw->first->data;
  typedef struct frame {
    uint32_t node, edge;
  } frame;
  GArray *stack = g_array_new(FALSE, FALSE, sizeof(frame));
  frame top = {root, first[root]};
  if (state[root] == 0) {
    state[root] = 1;
    drawn[root] = sw->own[root];
    g_array_append_val(stack, top);
  }
  int rc = 0;
  while (stack->len) {
    frame *fr = &g_array_index(stack, frame, stack->len - 1);
    uint32_t v = fr->node;
    if (fr->edge == first[v + 1]) {
      state[v] = 2;
      g_array_set_size(stack, stack->len - 1);
      if (stack->len) {
        const frame *up = &g_array_index(stack, frame, stack->len - 1);
        const svg_edge *e = &edges[up->edge - 1];
        drawn[up->node] += e->mult * drawn[v];
        if (drawn[up->node] > SVG_DRAWN_CAP)
          drawn[up->node] = SVG_DRAWN_CAP;
      }
      continue;
    }
    const svg_edge *e = &edges[fr->edge++];
    if (state[e->to] == 2) {
      drawn[v] += e->mult * drawn[e->to];
      if (drawn[v] > SVG_DRAWN_CAP)
        drawn[v] = SVG_DRAWN_CAP;
    } else if (state[e->to] == 1) {
      const xmlNode *from = g_ptr_array_index(sw->nodes, v);
      const xmlNode *to = g_ptr_array_index(sw->nodes, e->to);
      rc = fail(sw->c, "line %ld: <%s> refers to the element of line %ld, which holds it "
                       "or refers back to it (a reference cycle)",
                line_of(from), from->type == XML_ELEMENT_NODE ? (const char *)from->name
                                                              : "!ENTITY",
                line_of(to));
      break;
    } else {
      state[e->to] = 1;
      drawn[e->to] = sw->own[e->to];
      frame next = {e->to, first[e->to]};
      g_array_append_val(stack, next);
    }
  }
  g_array_free(stack, TRUE);
  return rc;
}

/* Gives node n the next index (document order) unless it has one. */
static bool add_node(svg_walk *sw, const xmlNode *n) {
  if (g_hash_table_contains(sw->index, n))
    return false;
  g_ptr_array_add(sw->nodes, (gpointer)n);
  g_hash_table_insert(sw->index, (gpointer)n, GUINT_TO_POINTER(sw->nodes->len));
  return true;
}

/* Counts what the SVG draws (c->drawn) and checks the files it refers to. */
static int svg_refs(checker *c, const char *buf, size_t n) {
  if (n > INT_MAX)
    return fail(c, "too large an SVG");
  xmlDoc *doc = xmlReadMemory(buf, (int)n, NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
  xmlNode *root = NULL;
  for (xmlNode *k = doc ? doc->children : NULL; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE)
      root = k;
    else if (k->type == XML_PI_NODE && !strcmp((const char *)k->name, "xml-stylesheet") &&
             k->content && strstr((const char *)k->content, "href")) {
      xmlFreeDoc(doc);
      return fail(c, "line %ld: a style sheet from another file (<?xml-stylesheet?>) is not "
                     "drawn from an emblem or photo: put the style in the SVG",
                  line_of(k));
    }
  if (!root) {
    if (doc)
      xmlFreeDoc(doc);
    return fail(c, "libxml2 could not read it as XML");
  }
  svg_walk sw = {c,
                 g_ptr_array_new(),
                 g_hash_table_new(g_direct_hash, g_direct_equal),
                 g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                 g_array_new(FALSE, FALSE, sizeof(svg_edge)),
                 g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                 NULL,
                 0,
                 g_array_new(FALSE, FALSE, sizeof(svg_edge)),
                 g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
                 g_string_new(NULL)};
  /* the nodes, depth first in document order, with their ids */
  GPtrArray *todo = g_ptr_array_new();
  g_ptr_array_add(todo, root);
  size_t elements = 0;
  while (todo->len) {
    const xmlNode *p = g_ptr_array_steal_index(todo, todo->len - 1);
    if (!add_node(&sw, p))
      continue; /* an entity used again */
    if (p->type == XML_ELEMENT_NODE) {
      elements++;
      sw.vertices += vertices_of(p);
      for (const xmlAttr *a = p->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, "id") && (!a->ns || !a->ns->prefix ||
                                                     !strcmp((const char *)a->ns->prefix, "xml"))) {
          g_string_truncate(sw.text, 0);
          text_of(a->children, sw.text);
          if (!g_hash_table_contains(sw.ids, sw.text->str))
            g_hash_table_insert(sw.ids, g_strdup(sw.text->str),
                                g_hash_table_lookup(sw.index, p));
        }
    }
    const xmlNode *last = NULL;
    for (const xmlNode *k = p->children; k; k = k->next)
      last = k;
    for (const xmlNode *k = last; k; k = k->prev) { /* pushed last first: popped in order */
      if (k->type == XML_ELEMENT_NODE)
        g_ptr_array_add(todo, (gpointer)k);
      else if (k->type == XML_ENTITY_REF_NODE && k->children &&
               k->children->type == XML_ENTITY_DECL)
        g_ptr_array_add(todo, k->children);
    }
  }
  g_ptr_array_free(todo, TRUE);
  uint32_t count = sw.nodes->len;
  sw.own = g_new(double, count);
  int rc = 0;
  for (uint32_t i = 0; i < count && !rc; i++) {
    sw.own[i] = 1;
    uint32_t at = sw.edges->len;
    g_array_append_val(sw.first, at);
    rc = walk_node(&sw, i);
  }
  if (!rc) {
    uint32_t at = sw.edges->len;
    g_array_append_val(sw.first, at);
    double *drawn = g_new0(double, count);
    uint8_t *state = g_new0(uint8_t, count);
    rc = count_drawn(&sw, 0, drawn, state);
    double total = drawn[0];
    for (guint j = 0; !rc && j < sw.css->len; j++) {
      const svg_edge *e = &g_array_index(sw.css, svg_edge, j);
      rc = count_drawn(&sw, e->to, drawn, state);
      /* a sheet's url(#id) may apply to every element (or, for a marker, vertex) */
      total += (e->mult > 1 ? e->mult : (double)elements) * drawn[e->to];
    }
    if (total > SVG_DRAWN_CAP)
      total = SVG_DRAWN_CAP;
    c->drawn = total;
    if (!rc && total > (double)c->lim->svg_elements) {
      if (total < 1e15)
        rc = fail(c, "with what its <use> elements and references draw again, it draws %.0f "
                     "SVG elements, more than %llu (the svg-elements limit; raise it with "
                     "--limit svg-elements=N)",
                  total, (unsigned long long)c->lim->svg_elements);
      else
        rc = fail(c, "with what its <use> elements and references draw again, it draws more "
                     "than 10^15 SVG elements, more than %llu (the svg-elements limit; raise "
                     "it with --limit svg-elements=N)",
                  (unsigned long long)c->lim->svg_elements);
    }
    g_free(drawn);
    g_free(state);
  }
  g_free(sw.own);
  g_ptr_array_free(sw.nodes, TRUE);
  g_hash_table_destroy(sw.index);
  g_hash_table_destroy(sw.ids);
  g_array_free(sw.edges, TRUE);
  g_array_free(sw.first, TRUE);
  g_array_free(sw.css, TRUE);
  g_hash_table_destroy(sw.files);
  g_string_free(sw.text, TRUE);
  xmlFreeDoc(doc);
  return rc;
}

/* librsvg's messages (libxml2's) end in a line break; a message here does not. */
static const char *chomp(char *msg) {
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
    msg[--n] = 0;
  return msg;
}

static int check_svg(checker *c, const char *buf, size_t n, double *w, double *h) {
  size_t elements;
  double cost = svg_filter_cost(buf, n, &elements);
  if (elements > c->lim->svg_elements)
    return fail(c, "%zu SVG elements is more than %llu (the svg-elements limit; raise it with --limit svg-elements=N)",
                elements, (unsigned long long)c->lim->svg_elements);
  GError *err = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)buf, n, &err);
  if (!handle) {
    int rc = fail(c, "%s", err ? chomp(err->message) : "not a valid SVG file");
    g_clear_error(&err);
    return rc;
  }
  gdouble pw = 0, ph = 0;
  gboolean has_w, has_h, has_vb;
  RsvgLength lw, lh;
  RsvgRectangle vb;
  rsvg_handle_get_intrinsic_dimensions(handle, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &pw, &ph) || pw <= 0 || ph <= 0) {
    if (has_vb && vb.width > 0 && vb.height > 0) {
      pw = vb.width;
      ph = vb.height;
    } else
      pw = ph = 100;
  }
  g_object_unref(handle);
  double side = (double)c->lim->svg_canvas;
  if (!(pw <= side && ph <= side))
    return fail(c, "an SVG canvas of %.0f x %.0f px is larger than %llu px a side (the "
                   "svg-canvas limit; raise it with --limit svg-canvas=N)",
                pw, ph, (unsigned long long)c->lim->svg_canvas);
  double area = pw * ph < VB_SVG_RASTER_PIXELS ? pw * ph : VB_SVG_RASTER_PIXELS;
  if (cost * area > SVG_FILTER_BUDGET)
    return fail(c, "its filters would cost about %.0f million pixel operations, more than "
                   "the budget of %.0f million (use fewer or simpler filters)",
                cost * area / 1e6, SVG_FILTER_BUDGET / 1e6);
  if (svg_refs(c, buf, n) != 0)
    return -1;
  *w = pw;
  *h = ph;
  return 0;
}

/* Checks an image's bytes; `name` (NULL: none) is its file, for the .svg extension. */
static int check_bytes(checker *c, const unsigned char *b, size_t n, const char *name,
                       vb_image_kind *kind, double *w, double *h) {
  c->drawn = 1;
  if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *kind = VB_IMAGE_PNG;
    return check_png(c, b, n, w, h);
  }
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
    *kind = VB_IMAGE_JPEG;
    return check_jpeg(c, b, n, w, h);
  }
  if ((name && has_svg_extension(name)) || sniff_svg(b, n < 512 ? n : 512)) {
    *kind = VB_IMAGE_SVG;
    if (c->depth > SVG_NEST_MAX)
      return fail(c, "SVG images nested more than %d deep", SVG_NEST_MAX);
    return check_svg(c, (const char *)b, n, w, h);
  }
  return fail(c, "not a PNG, JPEG or SVG file");
}

int vb_image_check(const char *file, const vb_limits *limits, vb_image_kind *kind,
                   double *width, double *height, vb_diag *d, vb_span span) {
  vb_limits dflt = vb_limits_default();
  checker c = {file, limits ? limits : &dflt, d, span, file, "", 0, 0};
  const char *why = NULL;
  int fd = vb_file_open_regular(file, &why);
  if (fd < 0) {
    vb_diag_error(d, span, "cannot open image '%s': %s", file, why);
    return -1;
  }
  char *buf = NULL;
  size_t n = 0;
  bool too_big = false;
  int rc = vb_file_read_all(fd, c.lim->image_bytes, &buf, &n, &too_big);
  int e = errno;
  close(fd);
  if (rc != 0) {
    if (too_big)
      return fail(&c, "the file is larger than %llu bytes (the image-bytes limit; raise it with --limit image-bytes=N)",
                  (unsigned long long)c.lim->image_bytes);
    vb_diag_error(d, span, "cannot read image '%s': %s", file, strerror(e));
    return -1;
  }
  double w = 0, h = 0;
  rc = check_bytes(&c, (const unsigned char *)buf, n, file, kind, &w, &h);
  free(buf);
  if (rc == 0) {
    *width = w;
    *height = h;
  }
  return rc;
}

char *vb_image_resolve(const char *dir, const char *file, bool allow_outside, vb_strbuf *why) {
  if (allow_outside || !dir) {
    if (file[0] == '/' || !dir || !strcmp(dir, ".")) return vb_xstrdup(file);
    vb_strbuf p = VB_STRBUF_INIT;
    vb_strbuf_printf(&p, "%s/%s", dir, file);
    return vb_strbuf_detach(&p);
  }
  if (file[0] == '/') {
    vb_strbuf_puts(why, "an absolute path leaves the record's folder (use --allow-outside)");
    return NULL;
  }
  vb_strbuf path = VB_STRBUF_INIT;
  vb_strbuf_puts(&path, dir);
  const char *p = file;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 2 && !memcmp(p, "..", 2)) {
      vb_strbuf_puts(why, "'..' climbs out of the record's folder (use --allow-outside)");
      vb_strbuf_free(&path);
      return NULL;
    }
    if (n > 0 && !(n == 1 && p[0] == '.')) {
      vb_strbuf_putc(&path, '/');
      vb_strbuf_add(&path, p, n);
      struct stat st;
      if (lstat(vb_strbuf_cstr(&path), &st) == 0 && S_ISLNK(st.st_mode)) {
        vb_strbuf_printf(why,
                         "'%s' is a symbolic link, which may lead out of the record's folder "
                         "(use --allow-outside)",
                         vb_strbuf_cstr(&path));
        vb_strbuf_free(&path);
        return NULL;
      }
    }
    p += n;
    while (*p == '/') p++;
  }
  return vb_strbuf_detach(&path);
}
