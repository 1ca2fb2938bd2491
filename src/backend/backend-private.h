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

/** Each backend class keeps its own part (NULL until it first runs), with the
 *  function that releases it. */
struct vb_backend_cache {
  void *cairo;
  void (*free_cairo)(void *part);
};

#endif
