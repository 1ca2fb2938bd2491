/* bulletin.c - cli stage: `vanban bulletin FILES-OR-FOLDERS... --month YYYY-MM`:
 * gathers the month's events from every record file (folders searched for
 * .yaml/.yml/.json), sorts them by date and time, finds the publishing
 * organization and the issue number, and writes one issue. */
#include "cli.h"

#include <string.h>

typedef struct found {
  vb_bulletin_event be;
  long days;
  int minutes; /* of the day; -1 without a time (comes first) */
  size_t order;
} found;

static bool record_file(const char *name) {
  return g_str_has_suffix(name, ".yaml") || g_str_has_suffix(name, ".yml") ||
         g_str_has_suffix(name, ".json");
}

static gint by_name(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the record files under `dir` (recursively, sorted by name). */
static void find_files(const char *dir, GPtrArray *out, int depth) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d || depth > 32) {
    if (d) g_dir_close(d);
    return;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *e;
  while ((e = g_dir_read_name(d)))
    if (e[0] != '.') g_ptr_array_add(names, g_build_filename(dir, e, NULL));
  g_dir_close(d);
  g_ptr_array_sort(names, by_name);
  for (guint i = 0; i < names->len; i++) {
    const char *p = g_ptr_array_index(names, i);
    if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
      find_files(p, out, depth + 1);
    else if (record_file(p) && g_file_test(p, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add(out, g_strdup(p));
  }
  g_ptr_array_free(names, TRUE);
}

static gint by_time(gconstpointer a, gconstpointer b) {
  const found *x = a, *y = b;
  if (x->days != y->days) return x->days < y->days ? -1 : 1;
  if (x->minutes != y->minutes) return x->minutes < y->minutes ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* The issue number: --issue, else months since organization.bulletin.first_issue. */
static int issue_number(vb_run *r, const vb_value *bulletin, unsigned *number) {
  const vb_config *cfg = r->cfg;
  if (cfg->issue) {
    *number = cfg->issue;
    return 0;
  }
  const vb_value *fi = vb_value_get(bulletin, "first_issue");
  if (!fi || !vb_value_str(fi)) {
    vb_diag_error(r->diag, bulletin->key_span,
                  "no issue number: set 'first_issue' (YYYY-MM of issue number 1) in "
                  "organization.bulletin, or pass --issue N");
    return -1;
  }
  unsigned y, m;
  char extra;
  if (sscanf(fi->str, "%4u-%2u%c", &y, &m, &extra) != 2 || m < 1 || m > 12 ||
      strlen(fi->str) != 7) {
    vb_diag_error(r->diag, fi->span, "'%s' is not a month (expected YYYY-MM, e.g. 2024-01)",
                  fi->str);
    return -1;
  }
  long diff = ((long)cfg->year * 12 + (long)cfg->month) - ((long)y * 12 + (long)m);
  if (diff < 0) {
    vb_diag_error(r->diag, fi->span,
                  "the bulletin's first issue is %s, after the month asked for (%04u-%02u)",
                  fi->str, cfg->year, cfg->month);
    return -1;
  }
  *number = (unsigned)diff + 1;
  return 0;
}

int vb_cmd_bulletin(vb_run *r) {
  vb_config *cfg = r->cfg;
  if (!cfg->month) {
    vb_cli_usage_error("'bulletin' needs --month YYYY-MM");
    return VB_EXIT_USAGE;
  }
  if (cfg->nfiles == 0) {
    vb_cli_usage_error("'bulletin' needs at least one record file or folder");
    return VB_EXIT_USAGE;
  }
  GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < cfg->nfiles; i++) {
    if (g_file_test(cfg->files[i], G_FILE_TEST_IS_DIR)) {
      size_t before = paths->len;
      find_files(cfg->files[i], paths, 0);
      if (paths->len == before)
        vb_diag_warn(r->diag, vb_span_none(), "folder '%s' holds no .yaml, .yml or .json file",
                     cfg->files[i]);
    } else
      g_ptr_array_add(paths, g_strdup(cfg->files[i]));
  }
  vb_layout *l = vb_run_layout(r, cfg->layout ? cfg->layout : "ban-tin");
  if (!l) {
    g_ptr_array_free(paths, TRUE);
    return VB_EXIT_LAYOUT;
  }
  if (strcmp(vb_layout_document(l), "bulletin")) {
    vb_diag_error(r->diag, vb_span_none(), "layout '%s' is a %s layout, not a bulletin",
                  vb_layout_name(l), vb_layout_document(l));
    g_ptr_array_free(paths, TRUE);
    return VB_EXIT_LAYOUT;
  }
  vb_records_opts ropts = {VB_DOC_BULLETIN, cfg->encoding, NULL, NULL, cfg->caps_fields,
                           cfg->allow_outside, cfg->input_format};
  GPtrArray *recs = g_ptr_array_new_with_free_func((GDestroyNotify)vb_records_free);
  GArray *evs = g_array_new(FALSE, FALSE, sizeof(found));
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  const vb_value *publisher = NULL;
  size_t failed = 0, other = 0, bad_here = 0; /* failed records; events of other months; failed of this month */
  int status = 0;
  for (guint i = 0; i < paths->len; i++) {
    const char *path = g_ptr_array_index(paths, i);
    vb_records *rc = vb_records_load(r->sources, path, &ropts, r->diag);
    if (!rc) {
      status = VB_EXIT_USAGE;
      goto done;
    }
    g_ptr_array_add(recs, rc);
    char *dir = g_path_get_dirname(path);
    g_ptr_array_add(dirs, dir);
    for (size_t k = 0; k < vb_records_count(rc); k++) {
      const vb_scope *s = vb_records_get(rc, k);
      const vb_value *ev = vb_scope_lookup(s, "event");
      const vb_value *org = vb_scope_lookup(s, "org");
      if (!publisher && org && vb_value_get(org, "bulletin")) publisher = org;
      const vb_value *st = ev ? vb_value_get(ev, "starts") : NULL;
      vb_date d;
      if (!st || !vb_value_str(st) || vb_date_parse(st->str, &d) != 0) continue;
      if ((unsigned)d.year != cfg->year || (unsigned)d.month != cfg->month) {
        other++;
        continue;
      }
      if (s->failed) {
        bad_here++;
        continue;
      }
      found f = {{ev, org, dir}, vb_date_days(&d), d.has_time ? d.hour * 60 + d.minute : -1,
                 evs->len};
      g_array_append_val(evs, f);
    }
  }
  /* what failed anywhere was reported: it counts, in the month or not */
  failed = 0;
  for (guint i = 0; i < recs->len; i++) failed += vb_records_failed(g_ptr_array_index(recs, i));
  if (failed && cfg->fail_fast) {
    status = VB_EXIT_RECORDS;
    goto done;
  }
  if (evs->len == 0) {
    if (bad_here)
      vb_diag_error(r->diag, vb_span_none(),
                    "no event of %04u-%02u can be printed: the %zu it has failed (see above)",
                    cfg->year, cfg->month, bad_here);
    else
      vb_diag_error(r->diag, vb_span_none(),
                    "no event in %04u-%02u in %u file%s (%zu event%s in other months)",
                    cfg->year, cfg->month, paths->len, paths->len == 1 ? "" : "s", other,
                    other == 1 ? "" : "s");
    status = VB_EXIT_RECORDS;
    goto done;
  }
  if (!publisher) {
    const found *f0 = &g_array_index(evs, found, 0);
    vb_diag_error(r->diag, f0->be.org ? f0->be.org->key_span : vb_span_none(),
                  "no organization has a 'bulletin' (name, publisher, licence, printer, "
                  "print_run, frequency, responsible): the masthead and the licence block "
                  "need it");
    status = VB_EXIT_RECORDS;
    goto done;
  }
  g_array_sort(evs, by_time);
  const vb_value *bulletin = vb_value_get(publisher, "bulletin");
  unsigned number = 0;
  if (issue_number(r, bulletin, &number) != 0) {
    status = VB_EXIT_RECORDS;
    goto done;
  }
  vb_bulletin_event *list = g_new0(vb_bulletin_event, evs->len);
  for (guint i = 0; i < evs->len; i++) list[i] = g_array_index(evs, found, i).be;
  vb_bulletin_issue is = {publisher, number,    cfg->month, cfg->year, list, evs->len,
                          cfg->allow_outside, vb_sources_limits(r->sources)};
  vb_dlist **pages = NULL;
  size_t n = 0;
  if (vb_bulletin_render(l, r->ts, &is, &pages, &n, r->diag) != VB_OK) {
    g_free(list);
    failed++;
    r->docs_failed = (unsigned)failed;
    status = VB_EXIT_RECORDS;
    goto done;
  }
  g_free(list);
  const char *name = vb_value_str(vb_value_get(bulletin, "name"));
  const char *pub = vb_value_str(vb_value_get(bulletin, "publisher"));
  if (!pub) pub = vb_value_str(vb_value_get(publisher, "name"));
  r->bopts.title = g_strdup_printf("Bản tin %s số %u tháng %02u/%u", name ? name : "", number,
                                   cfg->month, cfg->year);
  r->bopts.author = g_strdup(pub ? pub : "");
  r->bopts.subject = g_strdup_printf("Bản tin tháng %02u/%u", cfg->month, cfg->year);
  r->current_input = cfg->files[0];
  if (cfg->conformance) {
    char *label = g_strdup_printf("issue %u of %02u/%u", number, cfg->month, cfg->year);
    if (vb_conformance_add(r, l, label, pages, n) != 0)
      r->fatal = true;
    g_free(label);
  } else
    vb_outputs_emit(r, NULL, 1, pages, n);
  for (size_t p = 0; p < n; p++) vb_dlist_free(pages[p]);
  g_free(pages);
  r->docs_failed = (unsigned)failed;
  bool keep = !r->fatal && !(failed && cfg->fail_fast);
  vb_outputs_finish(r, keep);
  status = r->fatal ? VB_EXIT_USAGE : failed ? VB_EXIT_RECORDS : 0;
  goto out;
done:
  r->docs_failed = (unsigned)failed;
  vb_outputs_finish(r, false);
out:
  g_array_free(evs, TRUE);
  g_ptr_array_free(recs, TRUE);
  g_ptr_array_free(dirs, TRUE);
  g_ptr_array_free(paths, TRUE);
  return status;
}
