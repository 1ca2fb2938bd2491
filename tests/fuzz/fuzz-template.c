/* fuzz-template.c - libFuzzer target for the layout stage: bytes → a layout
 * file → vb_layout_load (parsing, checks, "did you mean") → if it loads, one
 * render of a small record, so typesetting a fuzzed layout is covered too. */
#include "../../src/layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VB_SOURCE_DATADIR
#define VB_SOURCE_DATADIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static vb_resources *res;
  static vb_typesetter *ts;
  static vb_diag *quiet;
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  if (!ts) { /* fonts once: they are the slow part and never change */
    quiet = vb_diag_new(NULL, null);
    res = vb_resources_new();
    const char *dirs[] = {VB_SOURCE_DATADIR "/fonts", NULL};
    ts = vb_typesetter_new(dirs, res, quiet);
    if (!ts)
      abort();
  }
  char path[] = "/tmp/vb-fuzz-layout-XXXXXX.yaml";
  int fd = mkstemps(path, 5);
  if (fd < 0) {
    fclose(null);
    return 0;
  }
  if (write(fd, data, size) != (ssize_t)size) {
    close(fd);
    remove(path);
    fclose(null);
    return 0;
  }
  close(fd);
  vb_sources *sources = vb_sources_new();
  vb_diag *d = vb_diag_new(sources, null);
  vb_layout *l = vb_layout_load(sources, path, ts, d);
  remove(path);
  if (l) {
    vb_tree *t = vb_tree_new();
    vb_value *rec = vb_value_new(t, VB_VALUE_MAP, vb_span_none());
    vb_value_set(t, rec, "name", vb_span_none(),
                 vb_value_new_string(t, "Nguyễn Văn Đức", strlen("Nguyễn Văn Đức"), vb_span_none()));
    vb_scope sc;
    memset(&sc, 0, sizeof sc);
    sc.roots[0].name = "recipient";
    sc.roots[0].value = rec;
    sc.nroots = 1;
    vb_dlist **pages = NULL;
    size_t n = 0;
    vb_layout_render(l, ts, &sc, NULL, &pages, &n, d);
    for (size_t i = 0; i < n; i++)
      vb_dlist_free(pages[i]);
    free(pages);
    vb_tree_free(t);
    vb_layout_free(l);
  }
  vb_diag_free(d);
  vb_sources_free(sources);
  fclose(null);
  return 0;
}
