/* jobs.c - cli stage: --jobs N, forked workers writing one file per document beside
 * its target; the parent commits them all or removes them all (with --shard, each
 * worker takes its share of the shard). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static gint compare_pending(gconstpointer a, gconstpointer b) {
  return strcmp(((const vb_pending *)a)->path, ((const vb_pending *)b)->path);
}

/* --jobs N: the records are shared out among N worker processes, each writing
 * its documents to temporaries beside their targets; the parent then commits
 * them all, or removes them all. Output names are fixed before the workers
 * start, so they are the same whatever N is. */
int vb_jobs_run(vb_run *r, GPtrArray *recs, size_t total) {
  vb_config *cfg = r->cfg;
  if (!vb_outputs_is_pattern(cfg->output) || (r->cls->caps & VB_CAP_ONE_PAGE)) {
    vb_cli_usage_error("--jobs needs one PDF per document: -o with {stt}, {ten} or {id}");
    return VB_EXIT_USAGE;
  }
  char **names = g_new0(char *, total + 1);
  unsigned stt = 0, good = 0;
  size_t failed = 0;
  bool stop = false;
  for (guint i = 0; i < recs->len && !stop; i++) {
    vb_records *rc = g_ptr_array_index(recs, i);
    for (size_t k = 0; k < vb_records_count(rc) && !stop; k++) {
      stt++;
      if (cfg->shard_n && (stt - 1) % cfg->shard_n != cfg->shard_k - 1)
        continue;
      const vb_scope *s = vb_records_get(rc, k);
      if (s->failed) {
        stop = cfg->fail_fast;
        continue;
      }
      names[stt - 1] =
          vb_outputs_unique(r, vb_outputs_expand(cfg->output, stt, r->width, s));
      good++;
    }
  }
  for (guint i = 0; i < recs->len; i++)
    failed += vb_records_failed(g_ptr_array_index(recs, i));
  unsigned jobs = cfg->jobs < good ? cfg->jobs : good;
  GPtrArray *results = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *lists = g_ptr_array_new_with_free_func(g_free);
  GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y, cfg->draft};
  r->fixed_names = names;
  r->jobs = jobs;
  fflush(stdout);
  fflush(stderr);
  for (unsigned j = 0; j < jobs && !stop; j++) {
    char *path = NULL;
    int fd = g_file_open_tmp("vanban-job-XXXXXX", &path, NULL);
    if (fd < 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot create a temporary file for --jobs");
      r->fatal = true;
      break;
    }
    close(fd);
    g_ptr_array_add(results, path);
    /* the worker lists its finished temporaries here before it exits, so a
     * signal to this process removes them even before they are gathered */
    char *list = g_strconcat(path, ".list", NULL);
    g_ptr_array_add(lists, list);
    vb_cleanup_add_file(path);
    vb_cleanup_add_list(list);
    pid_t pid = fork();
    if (pid < 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot start a worker: %s", strerror(errno));
      r->fatal = true;
      break;
    }
    if (pid == 0) {
      /* the worker: render its share, list what it wrote, leave the commit */
      vb_cleanup_forget_all(); /* the parent's to remove; ours come with vb_outfile */
      r->job = j;
      size_t f = vb_run_render(r, recs, total, &lopts);
      if (!r->fatal)
        vb_outputs_check_inputs(r); /* against the images this worker drew too */
      FILE *lf = fopen(list, "w");
      if (!lf)
        _exit(3);
      for (guint i = 0; i < r->pend->len; i++) {
        const char *tmp = vb_outfile_temp_path(g_array_index(r->pend, vb_pending, i).file);
        if (tmp)
          fprintf(lf, "%s\n", tmp);
      }
      if (fclose(lf) != 0)
        _exit(3);
      FILE *out = fopen(path, "w");
      if (!out)
        _exit(3);
      for (guint i = 0; i < r->pend->len; i++) {
        vb_pending *p = &g_array_index(r->pend, vb_pending, i);
        const char *tmp = vb_outfile_temp_path(p->file);
        fprintf(out, "F\x1f%s\x1f%s\x1f%s\x1f%u\x1f%s\n", tmp ? tmp : "",
                vb_outfile_target(p->file) ? vb_outfile_target(p->file) : p->path, p->path,
                p->pages, p->sha ? g_checksum_get_string(p->sha) : "");
        fprintf(out, "I\x1f%s\n", p->input ? p->input : "");
      }
      for (guint i = 0; r->made_dirs && i < r->made_dirs->len; i++)
        fprintf(out, "D\x1f%s\n", (char *)g_ptr_array_index(r->made_dirs, i));
      fprintf(out, "S\x1f%u\x1f%zu\x1f%d\n", r->pages, f, r->fatal ? 1 : 0);
      _exit(fclose(out) == 0 ? 0 : 3);
    }
    vb_cleanup_add_child(pid);
    g_array_append_val(pids, pid);
  }
  bool ok = !r->fatal && !stop;
  for (guint j = 0; j < pids->len; j++) {
    int status = 0;
    pid_t pid = g_array_index(pids, pid_t, j);
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
      ;
    vb_cleanup_remove_child(pid); /* reaped: its number may be reused */
    if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      vb_diag_error(r->diag, vb_span_none(), "worker %u of %u stopped abnormally", j + 1,
                    jobs);
      ok = false;
    }
  }
  /* gather what the workers wrote; commit all, or remove all */
  GPtrArray *temps = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *targets = g_ptr_array_new_with_free_func(g_free);
  for (guint j = 0; j < results->len; j++) {
    char *text = NULL;
    bool summary = false;
    if (g_file_get_contents(g_ptr_array_index(results, j), &text, NULL, NULL)) {
      char **lines = g_strsplit(text, "\n", -1);
      vb_pending *last = NULL;
      for (char **ln = lines; *ln && **ln; ln++) {
        char **f = g_strsplit(*ln, "\x1f", -1);
        guint nf = g_strv_length(f);
        if (f[0][0] == 'F' && nf == 6) {
          if (*f[1]) {
            g_ptr_array_add(temps, g_strdup(f[1]));
            g_ptr_array_add(targets, g_strdup(f[2]));
          }
          vb_pending pd = {NULL, NULL,          g_strdup(f[3]), (unsigned)atoi(f[4]),
                           NULL, g_strdup(f[5])};
          g_array_append_val(r->pend, pd);
          last = &g_array_index(r->pend, vb_pending, r->pend->len - 1);
        } else if (f[0][0] == 'D' && nf == 2) {
          if (!r->made_dirs)
            r->made_dirs = g_ptr_array_new_with_free_func(g_free);
          g_ptr_array_add(r->made_dirs, g_strdup(f[1]));
        } else if (f[0][0] == 'I' && nf == 2 && last) {
          last->input = g_strdup(f[1]);
        } else if (f[0][0] == 'S' && nf == 4) {
          r->pages += (unsigned)atoi(f[1]);
          failed += (size_t)atol(f[2]);
          if (atoi(f[3]))
            ok = false;
          summary = true;
        }
        g_strfreev(f);
      }
      g_strfreev(lines);
      g_free(text);
    }
    if (!summary)
      ok = false;
    remove(g_ptr_array_index(results, j));
    vb_cleanup_remove_file(g_ptr_array_index(results, j));
  }
  if (cfg->fail_fast && failed)
    ok = false;
  /* nothing is renamed over an input, nor over the manifest */
  if (ok && vb_outputs_check_inputs(r) != 0)
    ok = false;
  for (guint i = 0; i < temps->len; i++) {
    const char *tmp = g_ptr_array_index(temps, i);
    if (ok && rename(tmp, g_ptr_array_index(targets, i)) != 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot create '%s': %s",
                    (char *)g_ptr_array_index(targets, i), strerror(errno));
      ok = false;
    }
    if (!ok)
      remove(tmp);
  }
  /* every temporary is now renamed or removed: the lists have served */
  for (guint j = 0; j < lists->len; j++) {
    remove(g_ptr_array_index(lists, j));
    vb_cleanup_remove_list(g_ptr_array_index(lists, j));
  }
  if (!ok && !r->fatal && !(cfg->fail_fast && failed))
    r->fatal = true;
  if (!ok)
    r->pages = 0;
  if (ok && cfg->manifest) {
    g_array_sort(r->pend, compare_pending); /* the order of a run without --jobs */
    vb_outputs_write_manifest(r);
  }
  if (ok && r->made_dirs)
    g_ptr_array_set_size(r->made_dirs, 0); /* they hold the files now */
  vb_outputs_finish(r, false); /* frees the list; every file is already where it goes;
                                  on failure, removes the folders the workers made */
  r->fixed_names = NULL;
  for (size_t i = 0; i < total; i++)
    g_free(names[i]);
  g_free(names);
  g_ptr_array_free(temps, TRUE);
  g_ptr_array_free(targets, TRUE);
  g_ptr_array_free(results, TRUE);
  g_ptr_array_free(lists, TRUE);
  g_array_free(pids, TRUE);
  r->docs_failed = (unsigned)failed;
  if (cfg->fail_fast && failed)
    return VB_EXIT_RECORDS;
  if (r->fatal || !ok)
    return VB_EXIT_USAGE;
  return failed ? VB_EXIT_RECORDS : 0;
}
