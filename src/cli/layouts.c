/* layouts.c - cli stage: `vanban layouts`, the layouts found in the search folders,
 * each name with the file it resolves to (the first folder that has it wins). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Orders "giay-khen.yaml" before "giay-khen-dang.yaml" (by name without ".yaml"). */
static gint compare_stems(gconstpointer a, gconstpointer b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  size_t nx = strlen(x) - 5, ny = strlen(y) - 5, n = nx < ny ? nx : ny;
  int c = memcmp(x, y, n);
  return c ? c : (nx > ny) - (nx < ny);
}

int vb_cmd_layouts(vb_run *r) {
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i + 1 < r->layout_dirs->len; i++) {
    const char *dir = g_ptr_array_index(r->layout_dirs, i);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
      continue;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)))
      if (g_str_has_suffix(e, ".yaml"))
        g_ptr_array_add(names, g_strdup(e));
    g_dir_close(d);
    g_ptr_array_sort(names, compare_stems);
    for (guint k = 0; k < names->len; k++) {
      char *name =
          g_strndup(g_ptr_array_index(names, k), strlen(g_ptr_array_index(names, k)) - 5);
      if (g_hash_table_contains(seen, name)) {
        g_free(name);
        continue;
      }
      char *path = g_build_filename(dir, (char *)g_ptr_array_index(names, k), NULL);
      vb_layout *l = vb_layout_load_dirs(r->sources, path, (const char *const *)r->layout_dirs->pdata, r->ts,
                                      r->diag);
      printf("%-18s %-12s %s%s%s\n", name, l ? vb_layout_document(l) : "(invalid)", path,
             l && *vb_layout_description(l) ? "  " : "", l ? vb_layout_description(l) : "");
      if (!l)
        r->layout_error = 1;
      vb_layout_free(l);
      g_free(path);
      g_hash_table_add(seen, name);
    }
    g_ptr_array_free(names, TRUE);
  }
  g_hash_table_destroy(seen);
  return r->layout_error ? VB_EXIT_LAYOUT : 0;
}
