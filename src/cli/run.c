/* run.c - cli stage: the stages every command wires, shared by the command files:
 * layouts loaded once per run, records loaded up front ({stt} is padded to the
 * batch's width), the render loop (shards, --jobs shares, progress), the finish. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

vb_layout *vb_run_layout(vb_run *r, const char *name) {
  vb_layout *l = g_hash_table_lookup(r->layouts, name);
  if (l)
    return l;
  char *path = vb_layout_resolve(name, (const char *const *)r->layout_dirs->pdata);
  const char *why = NULL;
  if (!path && (strchr(name, '/') || g_str_has_suffix(name, ".yaml")) &&
      g_file_test(name, G_FILE_TEST_EXISTS)) {
    /* a file that is there but cannot be a layout (a FIFO, a folder): say why */
    int fd = vb_file_open_regular(name, &why);
    if (fd >= 0)
      close(fd), why = NULL;
  }
  if (!path && why) {
    vb_diag_error(r->diag, vb_span_none(), "cannot open layout '%s': %s", name, why);
    r->layout_error = 1;
    return NULL;
  }
  if (!path) {
    vb_diag_error(
        r->diag, vb_span_none(),
        "no layout '%s' (see 'vanban layouts'; a file name needs a '/' or '.yaml')", name);
    r->layout_error = 1;
    return NULL;
  }
  l = vb_layout_load_dirs(r->sources, path, (const char *const *)r->layout_dirs->pdata, r->ts,
                                      r->diag);
  free(path);
  if (!l) {
    r->layout_error = 1;
    return NULL;
  }
  g_hash_table_insert(r->layouts, g_strdup(name), l);
  return l;
}

const char *vb_run_default_layout(const vb_run *r, const vb_scope *s) {
  if (r->doc == VB_DOC_MINUTES || !strcmp(r->cfg->command, "minutes"))
    return s && s->kind && !strcmp(s->kind, "party") ? "bien-ban-dang" : "bien-ban";
  return s && s->kind && !strcmp(s->kind, "party") ? "giay-khen-dang" : "giay-khen";
}

/* A --jobs worker: the next output name of the pre-pass, in r->fixed_name. */
static bool next_name(vb_run *r) {
  size_t cap = 0;
  free(r->fixed_name); /* getdelim's, so free's */
  r->fixed_name = NULL;
  ssize_t n = getdelim(&r->fixed_name, &cap, '\0', r->names_in);
  return n > 0 && r->fixed_name[n - 1] == '\0';
}

/* Renders every record (of this shard, and of this worker with --jobs) and
 * emits its pages. Returns the number of records that failed to lay out. */
size_t vb_run_render(vb_run *r, GPtrArray *recs, size_t total,
                     const vb_layout_opts *lopts) {
  vb_config *cfg = r->cfg;
  size_t failed = 0;
  unsigned stt = 0, ordinal = 0;
  bool tty = !cfg->quiet && isatty(2) && !r->good;
  gint64 started = g_get_monotonic_time(), shown = 0;
  for (guint i = 0; i < recs->len && !r->fatal; i++) {
    vb_records *rc = g_ptr_array_index(recs, i);
    r->current_input = cfg->files[i];
    for (size_t k = 0; k < vb_records_count(rc) && !r->fatal; k++) {
      stt++;
      if (tty) {
        /* a batch of more than a second shows its progress */
        gint64 now = g_get_monotonic_time();
        if (now - started > 1000000 && now - shown > 200000) {
          fprintf(stderr, "\rvanban: %u/%zu records", stt, total);
          shown = now;
        }
      }
      if (cfg->shard_n && (stt - 1) % cfg->shard_n != cfg->shard_k - 1)
        continue;
      if (r->good) {
        /* a worker: only its share of the records that passed the pre-pass; the
         * names file holds a name for each of those, in order */
        if (!(r->good[(stt - 1) / 8] & (1u << ((stt - 1) % 8))))
          continue;
        if (!next_name(r)) {
          vb_diag_error(r->diag, vb_span_none(), "the list of output names ends early");
          r->fatal = true;
          break;
        }
        if (ordinal++ % r->jobs != r->job)
          continue;
      }
      const vb_scope *s = vb_records_get(rc, k);
      if (s->failed) {
        if (cfg->fail_fast)
          r->fatal = true;
        continue;
      }
      vb_layout *l =
          vb_run_layout(r, cfg->layout ? cfg->layout : vb_run_default_layout(r, s));
      if (!l) {
        r->fatal = true;
        break;
      }
      vb_dlist **pages = NULL;
      size_t n = 0;
      if (vb_layout_render(l, r->ts, s, lopts, &pages, &n, r->diag) != VB_OK) {
        vb_diag_note(r->diag, vb_span_make(s->span.src, s->span.start, s->span.start),
                     "in %s, which starts here", s->label);
        failed++;
        if (cfg->fail_fast)
          r->fatal = true;
        continue;
      }
      uint64_t max_pages = vb_sources_limits(r->sources)->pages;
      if ((uint64_t)n > max_pages) {
        vb_diag_error(r->diag, vb_span_make(s->span.src, s->span.start, s->span.start),
                      "%s needs %zu pages, more than %llu (the pages limit; raise it with "
                      "--limit pages=N)",
                      s->label, n, (unsigned long long)max_pages);
        failed++;
        if (cfg->fail_fast)
          r->fatal = true;
      } else if (cfg->conformance) {
        if (vb_conformance_add(r, l, s->label, pages, n) != 0)
          r->fatal = true;
      } else
        vb_outputs_emit(r, s, stt, pages, n);
      for (size_t p = 0; p < n; p++)
        vb_dlist_free(pages[p]);
      g_free(pages);
    }
  }
  if (shown)
    fputs("\r\033[K", stderr);
  return failed;
}

int vb_run_calibrate(vb_run *r, const char *fallback) {
  vb_config *cfg = r->cfg;
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y, cfg->draft};
  vb_layout *l = vb_run_layout(r, cfg->layout ? cfg->layout : fallback);
  if (!l)
    return VB_EXIT_LAYOUT;
  vb_dlist *page = vb_layout_calibrate(l, r->ts, &lopts, r->diag);
  r->current_input = NULL;
  g_free((char *)r->bopts.title);
  g_free((char *)r->bopts.author);
  g_free((char *)r->bopts.subject);
  r->bopts.title = g_strdup_printf("Calibration sheet of layout '%s'%s%s", vb_layout_name(l),
                                   cfg->paper ? " on " : "", cfg->paper ? cfg->paper : "");
  r->bopts.author = g_strdup("vanban");
  r->bopts.subject = g_strdup_printf(
      "Millimetre grid and field boxes for printing on pre-printed blanks (offset %.1f, %.1f mm)",
      cfg->offset_x, cfg->offset_y);
  vb_outputs_emit(r, NULL, 1, &page, 1);
  vb_dlist_free(page);
  vb_outputs_finish(r, !r->fatal);
  return r->fatal ? VB_EXIT_USAGE : 0;
}

int vb_run_load(vb_run *r, vb_doc_kind doc, GPtrArray **out, size_t *out_total) {
  vb_config *cfg = r->cfg;
  *out = NULL;
  *out_total = 0;
  r->doc = doc;
  if (cfg->nfiles == 0) {
    vb_cli_usage_error("'%s' needs at least one input file", cfg->command);
    return VB_EXIT_USAGE;
  }
  vb_records_opts ropts = {doc, cfg->encoding, cfg->org_file, NULL, cfg->caps_fields,
                           cfg->allow_outside, cfg->input_format};
  /* load everything first: {stt} is padded to the batch's width */
  GPtrArray *recs = g_ptr_array_new_with_free_func((GDestroyNotify)vb_records_free);
  size_t total = 0;
  if (cfg->layout) {
    vb_layout *l = vb_run_layout(r, cfg->layout);
    if (!l) {
      g_ptr_array_free(recs, TRUE);
      return VB_EXIT_LAYOUT;
    }
    ropts.forms = vb_layout_forms(l);
  }
  for (int i = 0; i < cfg->nfiles; i++) {
    vb_records *rc = vb_records_load(r->sources, cfg->files[i], &ropts, r->diag);
    if (!rc) {
      g_ptr_array_free(recs, TRUE);
      return VB_EXIT_USAGE;
    }
    total += vb_records_count(rc);
    g_ptr_array_add(recs, rc);
  }
  size_t load_failed = 0;
  for (guint i = 0; i < recs->len; i++)
    load_failed += vb_records_failed(g_ptr_array_index(recs, i));
  if (load_failed && cfg->fail_fast) {
    r->docs_failed = (unsigned)load_failed;
    g_ptr_array_free(recs, TRUE);
    return VB_EXIT_RECORDS;
  }
  unsigned width = 1;
  for (size_t t = total; t >= 10; t /= 10)
    width++;
  r->width = width;
  *out = recs;
  *out_total = total;
  return -1;
}

int vb_run_finish(vb_run *r, GPtrArray *recs, size_t total, bool write) {
  vb_config *cfg = r->cfg;
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y, cfg->draft};
  size_t failed = vb_run_render(r, recs, total, &lopts);
  /* render failures, plus what the records found at load and while building */
  for (guint i = 0; i < recs->len; i++)
    failed += vb_records_failed(g_ptr_array_index(recs, i));
  r->docs_failed = (unsigned)failed;
  bool keep = !r->fatal && write && r->pages > 0;
  if (r->pages == 0 && !r->fatal && write && !failed)
    vb_diag_warn(r->diag, vb_span_none(),
                 "no documents to write (no award with recipients?)");
  vb_outputs_finish(r, keep);
  if (r->layout_error)
    return VB_EXIT_LAYOUT;
  if (r->fatal)
    return failed && cfg->fail_fast ? VB_EXIT_RECORDS : VB_EXIT_USAGE;
  return failed ? VB_EXIT_RECORDS : 0;
}

static void layouts_free(gpointer l) { vb_layout_free(l); }

int vb_run_init(vb_run *r, vb_config *cfg) {
  memset(r, 0, sizeof *r);
  r->cfg = cfg;
  r->sources = vb_sources_new();
  vb_sources_set_limits(r->sources, &cfg->limits);
  r->diag = vb_diag_new(r->sources, stderr);
  vb_diag_set_quiet(r->diag, cfg->quiet);
  r->res = vb_resources_new();
  r->layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, layouts_free);
  r->layout_dirs = vb_cli_data_dirs(cfg, "layouts", cfg->layouts_dir);
  if (cfg->layouts_dir && !g_file_test(cfg->layouts_dir, G_FILE_TEST_IS_DIR)) {
    vb_cli_usage_error("--layouts: '%s' is not a folder", cfg->layouts_dir);
    return VB_EXIT_USAGE;
  }
  if (cfg->fonts_dir && !g_file_test(cfg->fonts_dir, G_FILE_TEST_IS_DIR)) {
    vb_cli_usage_error("--fonts: '%s' is not a folder", cfg->fonts_dir);
    return VB_EXIT_USAGE;
  }
  GPtrArray *font_dirs = vb_cli_data_dirs(cfg, "fonts", cfg->fonts_dir);
  /* the first font folder that exists (plus --fonts) */
  const char *use[3] = {NULL, NULL, NULL};
  size_t nu = 0;
  for (guint i = 0; i + 1 < font_dirs->len && nu < 2; i++) {
    const char *d = g_ptr_array_index(font_dirs, i);
    if (!g_file_test(d, G_FILE_TEST_IS_DIR))
      continue;
    if (cfg->fonts_dir && i == 0) {
      use[nu++] = d;
      continue;
    }
    use[nu++] = d;
    break;
  }
  r->ts = vb_typesetter_new(use, r->res, r->diag);
  const char *check = getenv("VANBAN_CHECK_SHAPING");
  if (r->ts && check && *check && strcmp(check, "0"))
    vb_typesetter_set_check(r->ts, true);
  g_ptr_array_free(font_dirs, TRUE);
  return r->ts ? -1 : VB_EXIT_USAGE;
}

void vb_run_free(vb_run *r) {
  vb_conformance_free(r);
  g_free((char *)r->bopts.title);
  g_free((char *)r->bopts.author);
  g_free((char *)r->bopts.subject);
  g_hash_table_destroy(r->layouts);
  vb_typesetter_free(r->ts);
  g_ptr_array_free(r->layout_dirs, TRUE);
  vb_journal_free(r->journal);
  vb_nameset_free(r->names);
  free(r->fixed_name);
  if (r->made_dirs)
    g_ptr_array_free(r->made_dirs, TRUE);
  vb_backend_cache_free(r->bcache);
  vb_resources_free(r->res);
  vb_diag_free(r->diag);
  vb_sources_free(r->sources);
}
