/* backend-private.h - helpers shared by the files of the backend stage only. */
#ifndef VB_BACKEND_BACKEND_PRIVATE_H
#define VB_BACKEND_BACKEND_PRIVATE_H

#include "../base/base.h"

/** "2.3.0": the libharu version the haru backend was built with (static). */
const char *vb_haru_version(void);

/** Converts the CFF-flavoured OpenType face `index` of `file` into a TrueType
 *  font (glyf/loca built from the CFF outlines, cubic curves split into
 *  quadratic ones within 1/1000 em; glyph order, cmap, metrics, names kept, so
 *  glyph ids and code points stay the same). On success fills `out` and
 *  returns 0; on failure returns -1 with a reason in `why` (static string). */
int vb_ttconv_from_cff(const char *file, int index, vb_strbuf *out, const char **why);

/** Prints d as printf("%.*f", prec, d) does in the "C" locale (exact decimal
 *  expansion, rounded half to even) into buf[size], with snprintf's truncation
 *  and return value; -1 (nothing written) when it does not apply: prec outside
 *  0..18, d not finite or of 2^53 or more, a decimal point other than '.', or a
 *  rounding mode other than to nearest (numfmt.c; the CLI's __snprintf_chk). */
int vb_numfmt_fixed(char *buf, size_t size, double d, int prec);
/** printf("%d", v) into buf[size], with snprintf's truncation and return value. */
int vb_numfmt_int(char *buf, size_t size, int v);

/** Streams cairo's (and libharu's) Flate compression gave to deflate.c since
 *  the process started: `taken` (made by deflateInit_ at the default level with
 *  zlib's allocator: compressed whole by libdeflate), `handed` (of those, handed
 *  to zlib: past VB_DEFLATE_MAX bytes of input or at a flush zlib must do),
 *  `passed` (deflateInit_ calls given to zlib: an allocator or level of their own)
 *  and `foreign_calls` (deflate() calls on streams zlib made, as libpng's). */
typedef struct vb_deflate_count {
  unsigned long taken, handed, passed, foreign_calls;
} vb_deflate_count;
void vb_deflate_counts(vb_deflate_count *out);
/** Input past which a taken stream is handed to zlib (4 MB). */
#define VB_DEFLATE_MAX ((size_t)4 << 20)

/** The frame of the JPEG in b[n] (the file's bytes from its start): the number of
 *  components (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK), width and height of its first
 *  SOFn marker. false when it has none (display/image.c checked the file before). */
bool vb_backend_jpeg_frame(const unsigned char *b, size_t n, int *comps, int *w, int *h);

/** Each backend class keeps its own part (NULL until it first runs), with the
 *  function that releases it. */
struct vb_backend_cache {
  void *cairo;
  void (*free_cairo)(void *part);
  void *haru; /* haru.c: OpenType/CFF faces converted to TrueType, by file */
  void (*free_haru)(void *part);
};

#endif
