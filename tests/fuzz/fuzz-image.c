/* fuzz-image.c - libFuzzer target for the display stage's image probing: the
 * first byte picks the file name's extension (.png, .jpg, .svg, none), the
 * rest is the file → vb_image_probe (PNG IHDR, JPEG SOFn, SVG through
 * librsvg). A probe that succeeds must give a positive finite size. */
#include "../../src/display/display.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const ext[] = {".png", ".jpg", ".svg", ".img"};
  if (size < 1)
    return 0;
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  char path[64];
  snprintf(path, sizeof path, "/tmp/vb-fuzz-image-XXXXXX%s", ext[data[0] % 4]);
  int fd = mkstemps(path, 4);
  if (fd < 0) {
    fclose(null);
    return 0;
  }
  bool ok = write(fd, data + 1, size - 1) == (ssize_t)(size - 1);
  close(fd);
  if (ok) {
    vb_diag *d = vb_diag_new(NULL, null);
    vb_image_kind kind;
    double w = 0, h = 0;
    if (vb_image_probe(path, &kind, &w, &h, d, vb_span_none()) == 0 &&
        !(w > 0 && h > 0 && isfinite(w) && isfinite(h)))
      __builtin_trap();
    vb_diag_free(d);
  }
  remove(path);
  fclose(null);
  return 0;
}
