/* fuzz-records.c - libFuzzer target for the records stage: bytes → a record
 * file (YAML/JSON, any encoding) → vb_records_load for certificates and for
 * minutes → every scope built (validation, computed fields, lazy recipients).
 * Checks that each scope's spans lie inside registered sources. */
#include "../../src/records/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(const vb_sources *sources, vb_span s) {
  if (!s.src)
    return;
  size_t len = 0;
  if (!vb_sources_text(sources, s.src, &len) || s.start > s.end || s.end > len)
    __builtin_trap();
}

static void check_value(const vb_sources *sources, const vb_value *v, int depth) {
  for (; v && depth < 80; v = v->next) {
    check_span(sources, v->span);
    if (v->kind == VB_VALUE_STRING && (!v->str || !vb_utf8_valid(v->str, v->len, NULL)))
      __builtin_trap();
    if (v->first)
      check_value(sources, v->first, depth + 1);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  char path[] = "/tmp/vb-fuzz-records-XXXXXX.yaml";
  int fd = mkstemps(path, 5);
  if (fd < 0) {
    fclose(null);
    return 0;
  }
  bool ok = write(fd, data, size) == (ssize_t)size;
  close(fd);
  for (int doc = 0; ok && doc < 2; doc++) {
    vb_sources *sources = vb_sources_new();
    vb_diag *d = vb_diag_new(sources, null);
    vb_records_opts opts = {.doc = doc ? VB_DOC_MINUTES : VB_DOC_CERTIFICATES,
                            .encoding = VB_ENC_AUTO};
    vb_records *r = vb_records_load(sources, path, &opts, d);
    if (r) {
      size_t n = vb_records_count(r);
      for (size_t i = 0; i < n && i < 2000; i++) {
        const vb_scope *s = vb_records_get(r, i);
        check_span(sources, s->span);
        for (size_t k = 0; k < s->nroots; k++)
          if (s->roots[k].value && s->roots[k].value->kind == VB_VALUE_MAP)
            check_value(sources, s->roots[k].value->first, 0);
        if (s->computed)
          check_value(sources, s->computed->first, 0);
        (void)vb_scope_lookup(s, "recipient.display_name");
        (void)vb_scope_lookup(s, "award.date");
      }
      vb_records_free(r);
    }
    vb_diag_free(d);
    vb_sources_free(sources);
  }
  remove(path);
  fclose(null);
  return 0;
}
