/* image.c - display stage: probes an image file for its kind and intrinsic
 * size (PNG IHDR, JPEG SOFn marker, SVG through librsvg) before layout places it. */
#include "display.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <librsvg/rsvg.h>
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
  const char *file;
  const vb_limits *lim;
  vb_diag *d;
  vb_span span;
} checker;

static int fail(const checker *c, const char *fmt, ...) VB_PRINTF(2, 3);
static int fail(const checker *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *why = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  vb_diag_error(c->d, c->span, "cannot use image '%s': %s", c->file, why);
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

static int check_svg(const checker *c, const char *buf, size_t n, double *w, double *h) {
  size_t elements;
  double cost = svg_filter_cost(buf, n, &elements);
  if (elements > c->lim->svg_elements)
    return fail(c, "%zu SVG elements is more than %llu (the svg-elements limit; raise it with --limit svg-elements=N)",
                elements, (unsigned long long)c->lim->svg_elements);
  GError *err = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)buf, n, &err);
  if (!handle) {
    int rc = fail(c, "%s", err ? err->message : "not a valid SVG file");
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
  *w = pw;
  *h = ph;
  return 0;
}

int vb_image_check(const char *file, const vb_limits *limits, vb_image_kind *kind,
                   double *width, double *height, vb_diag *d, vb_span span) {
  vb_limits dflt = vb_limits_default();
  checker c = {file, limits ? limits : &dflt, d, span};
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
  const unsigned char *b = (const unsigned char *)buf;
  double w = 0, h = 0;
  if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *kind = VB_IMAGE_PNG;
    rc = check_png(&c, b, n, &w, &h);
  } else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
    *kind = VB_IMAGE_JPEG;
    rc = check_jpeg(&c, b, n, &w, &h);
  } else if (has_svg_extension(file) || sniff_svg(b, n < 512 ? n : 512)) {
    *kind = VB_IMAGE_SVG;
    rc = check_svg(&c, buf, n, &w, &h);
  } else {
    rc = fail(&c, "not a PNG, JPEG or SVG file");
  }
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
