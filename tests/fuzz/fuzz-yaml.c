/* fuzz-yaml.c - libFuzzer target for the vanban input stage: bytes (any
 * encoding, auto-detected) → NFC text → vb_yaml_parse → free. */
#include "../../src/input/input.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  vb_sources *sources = vb_sources_new();
  vb_diag *d = vb_diag_new(sources, null);
  uint32_t src = vb_input_load_bytes(sources, "fuzz.yaml", (const char *)data, size, VB_ENC_AUTO, d);
  if (src) {
    vb_tree *t = vb_yaml_parse(sources, src, d);
    if (t) {
      /* walk the tree: every span must lie inside its source */
      size_t len = 0;
      vb_sources_text(sources, src, &len);
      for (const vb_value *v = vb_tree_root(t); v;) {
        if (v->span.src == src && (v->span.start > v->span.end || v->span.end > len))
          __builtin_trap();
        if (v->first) {
          v = v->first;
          continue;
        }
        while (v && !v->next)
          v = v->parent;
        if (v)
          v = v->next;
      }
    }
    vb_tree_free(t);
  }
  vb_diag_free(d);
  vb_sources_free(sources);
  fclose(null);
  return 0;
}
