/* fuzz-expr.c - libFuzzer target for the layout stage's text templates: the
 * first line is a template ("Số {{ event.number | upper }}/QĐ"), the rest a
 * field value. Parses the template (vb_ttext_parse) and, if it is well formed,
 * runs every field part's filters over the value (arguments given as paths get
 * the value too), as layout does. Every result must be valid UTF-8. */
#include "../../src/layout/layout-private.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *nl = memchr(data, '\n', size);
  size_t tlen = nl ? (size_t)(nl - (const char *)data) : size;
  FILE *null = fopen("/dev/null", "w");
  if (!null)
    return 0;
  vb_sources *sources = vb_sources_new();
  vb_diag *d = vb_diag_new(sources, null);
  uint32_t src = vb_input_load_bytes(sources, "layout.yaml", (const char *)data, tlen,
                                     VB_ENC_UTF8, d);
  uint32_t vsrc = nl ? vb_input_load_bytes(sources, "value", (const char *)data + tlen + 1,
                                           size - tlen - 1, VB_ENC_UTF8, d)
                     : 0;
  if (src) {
    size_t len = 0, vlen = 0;
    const char *text = vb_sources_text(sources, src, &len);
    const char *value = vsrc ? vb_sources_text(sources, vsrc, &vlen) : "";
    vb_tree *t = vb_tree_new();
    vb_value *v = vb_value_new_string(t, text, len, vb_span_make(src, 0, (uint32_t)len));
    vb_ttext tt;
    vb_arena *arena = vb_arena_new();
    if (strlen(v->str) == len && vb_ttext_parse(sources, v, arena, &tt, d) == 0) {
      vb_strbuf out = VB_STRBUF_INIT, msg = VB_STRBUF_INIT, cur = VB_STRBUF_INIT;
      for (size_t i = 0; i < tt.nparts; i++) {
        const vb_tpart *p = &tt.parts[i];
        if (p->lit) {
          vb_strbuf_puts(&out, p->lit);
          continue;
        }
        vb_strbuf_reset(&cur);
        vb_strbuf_add(&cur, value, strlen(value));
        for (size_t f = 0; f < p->nfilters; f++) {
          const vb_tfilter *fl = &p->filters[f];
          const char *args[8];
          size_t na = fl->nargs < 8 ? fl->nargs : 8;
          for (size_t a = 0; a < na; a++)
            args[a] = fl->args[a].lit ? fl->args[a].lit : value;
          vb_strbuf res = VB_STRBUF_INIT;
          vb_strbuf_reset(&msg);
          int rc = vb_filter_apply(fl->name, vb_strbuf_cstr(&cur), na, args, &res, &msg);
          if (rc == 0 && !vb_utf8_valid(vb_strbuf_cstr(&res), res.len, NULL))
            __builtin_trap();
          vb_strbuf_reset(&cur);
          if (rc == 0)
            vb_strbuf_add(&cur, vb_strbuf_cstr(&res), res.len);
          vb_strbuf_free(&res);
          if (rc != 0)
            break;
        }
        vb_strbuf_add(&out, vb_strbuf_cstr(&cur), cur.len);
      }
      if (!vb_utf8_valid(vb_strbuf_cstr(&out), out.len, NULL))
        __builtin_trap();
      vb_strbuf_free(&out);
      vb_strbuf_free(&msg);
      vb_strbuf_free(&cur);
    }
    vb_arena_free(arena);
    vb_tree_free(t);
  }
  vb_diag_free(d);
  vb_sources_free(sources);
  fclose(null);
  return 0;
}
