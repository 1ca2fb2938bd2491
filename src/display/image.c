/* image.c - display stage: probes an image file for its kind and intrinsic
 * size (PNG IHDR, JPEG SOFn marker, SVG through librsvg) before layout places it. */
#include "display.h"

#include <errno.h>
#include <string.h>

#include <librsvg/rsvg.h>

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
