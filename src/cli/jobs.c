/* jobs.c - cli stage: --jobs N, forked workers writing one file per document beside
 * its target; the parent commits them all or removes them all (with --shard, each
 * worker takes its share of the shard). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int remove_temp(const vb_journal_entry *e, void *ctx) {
  (void)ctx;
  if (*e->tmp)
    (void)unlink(e->tmp);
  return 0;
}

/* The pre-pass: which records of the shard pass (a bit each, by stt - 1), and the
 * output name of each of those, in order, '\0' after each, to the file `names`: the
 * names are fixed before the workers start, so they are the same whatever N is, and
 * neither they nor the records are kept in memory. Returns the records that pass,
 * or -1 after reporting; *stop when --fail-fast met a failed record. */
static long long pre_pass(vb_run *r, GPtrArray *recs, unsigned char *good, FILE *names,
                          bool *stop) {
  const vb_config *cfg = r->cfg;
  unsigned stt = 0;
  long long n = 0;
  for (guint i = 0; i < recs->len && !*stop; i++) {
    vb_records *rc = g_ptr_array_index(recs, i);
    for (size_t k = 0; k < vb_records_count(rc) && !*stop; k++) {
      stt++;
      if (cfg->shard_n && (stt - 1) % cfg->shard_n != cfg->shard_k - 1)
        continue;
      const vb_scope *s = vb_records_get(rc, k);
      if (s->failed) {
        *stop = cfg->fail_fast;
        continue;
      }
      char *name = vb_outputs_unique(r, vb_outputs_expand(cfg->output, stt, r->width, s));
      if (!name) {
        r->fatal = true; /* reported */
        return n;
      }
      bool ok = fwrite(name, 1, strlen(name) + 1, names) == strlen(name) + 1;
      g_free(name);
      if (!ok)
        return -1;
      good[(stt - 1) / 8] |= (unsigned char)(1u << ((stt - 1) % 8));
      n++;
    }
  }
  return n;
}

/* --jobs N: the records are shared out among N worker processes, each writing
 * its documents to temporaries beside their targets and listing them in a journal of
 * its own; the parent merges the journals in record order and then commits every file,
 * or removes them all (src/cli/output.c, as a run without --jobs). */
int vb_jobs_run(vb_run *r, GPtrArray *recs, size_t total) {
  vb_config *cfg = r->cfg;
  if (!vb_outputs_is_pattern(cfg->output) || (r->cls->caps & VB_CAP_ONE_PAGE)) {
    vb_cli_usage_error("--jobs needs one PDF per document: -o with {stt}, {ten} or {id}");
    return VB_EXIT_USAGE;
  }
  unsigned char *good = g_new0(unsigned char, total / 8 + 1);
  size_t failed = 0;
  bool stop = false;
  char *names_path = NULL;
  int nfd = vb_cleanup_open_tmp("vanban-names-XXXXXX", &names_path, false);
  FILE *names = nfd >= 0 ? fdopen(nfd, "w") : NULL;
  long long npass = -1;
  if (names) {
    npass = pre_pass(r, recs, good, names, &stop);
    if (fclose(names) != 0)
      npass = -1;
  } else if (nfd >= 0)
    close(nfd);
  if (npass < 0) {
    vb_diag_error(r->diag, vb_span_none(),
                  "cannot write the list of output names for --jobs ('%s'): %s",
                  names_path ? names_path : "vanban-names-XXXXXX", strerror(errno));
    r->fatal = true;
    npass = 0;
  }
  unsigned good_n = (unsigned)npass;
  for (guint i = 0; i < recs->len; i++)
    failed += vb_records_failed(g_ptr_array_index(recs, i));
  unsigned jobs = cfg->jobs < good_n ? cfg->jobs : good_n;
  GPtrArray *results = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *lists = g_ptr_array_new_with_free_func(g_free);
  GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y, cfg->draft};
  r->jobs = jobs;
  fflush(stdout);
  fflush(stderr);
  for (unsigned j = 0; j < jobs && !stop && !r->fatal; j++) {
    char *path = NULL;
    int fd = vb_cleanup_open_tmp("vanban-job-XXXXXX", &path, false);
    if (fd < 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot create a temporary file for --jobs");
      r->fatal = true;
      break;
    }
    close(fd);
    g_ptr_array_add(results, path);
    /* the worker's journal: it lists each finished temporary as it goes, so a
     * signal to this process removes them even before they are gathered */
    char *list = g_strconcat(path, ".list", NULL);
    g_ptr_array_add(lists, list);
    vb_cleanup_add_list(list); /* before the worker makes it */
    pid_t pid = vb_cleanup_fork();
    if (pid < 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot start a worker: %s", strerror(errno));
      r->fatal = true;
      break;
    }
    if (pid == 0) {
      /* the worker: render its share into its journal, leave the commit */
      r->job = j;
      r->good = good;
      r->names_in = fopen(names_path, "re");
      r->journal = r->names_in ? vb_journal_new(list, false, r->diag) : NULL;
      if (!r->journal)
        _exit(3);
      size_t f = vb_run_render(r, recs, total, &lopts);
      if (!r->fatal)
        vb_outputs_check_inputs(r); /* against the images this worker drew too */
      FILE *out = fopen(path, "w");
      if (!out)
        _exit(3);
      for (guint i = 0; r->made_dirs && i < r->made_dirs->len; i++)
        fprintf(out, "D\x1f%s\n", (char *)g_ptr_array_index(r->made_dirs, i));
      fprintf(out, "S\x1f%u\x1f%zu\x1f%d\n", r->pages, f, r->fatal ? 1 : 0);
      _exit(fclose(out) == 0 ? 0 : 3); /* the journal stays, for the parent */
    }
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
  if (names_path) {
    remove(names_path);
    vb_cleanup_remove_file(names_path);
    g_free(names_path);
  }
  g_free(good);
  /* what the workers made: folders, pages, failures */
  for (guint j = 0; j < results->len; j++) {
    char *text = NULL;
    bool summary = false;
    if (g_file_get_contents(g_ptr_array_index(results, j), &text, NULL, NULL)) {
      char **lines = g_strsplit(text, "\n", -1);
      for (char **ln = lines; *ln && **ln; ln++) {
        char **f = g_strsplit(*ln, "\x1f", -1);
        guint nf = g_strv_length(f);
        if (f[0][0] == 'D' && nf == 2) {
          if (!r->made_dirs)
            r->made_dirs = g_ptr_array_new_with_free_func(g_free);
          g_ptr_array_add(r->made_dirs, g_strdup(f[1]));
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
  /* the workers' journals, merged in record order (the manifest of a run without
   * --jobs, whatever the names) into the run's own, which lists every temporary for a
   * signal before the workers' go */
  if (lists->len) {
    r->journal = vb_journal_new(NULL, true, r->diag);
    if (!r->journal ||
        vb_journal_merge(r->journal, (char *const *)lists->pdata, lists->len) != 0) {
      if (r->journal)
        vb_diag_error(r->diag, vb_span_none(), "cannot gather the files the workers wrote");
      /* nothing is committed: every temporary the workers listed goes */
      for (guint j = 0; j < lists->len; j++)
        (void)vb_journal_each_file(g_ptr_array_index(lists, j), remove_temp, NULL);
      vb_journal_free(r->journal);
      r->journal = NULL;
      ok = false;
    }
  }
  for (guint j = 0; j < lists->len; j++) {
    remove(g_ptr_array_index(lists, j));
    vb_cleanup_remove_list(g_ptr_array_index(lists, j));
  }
  g_ptr_array_free(lists, TRUE);
  g_array_free(pids, TRUE);
  g_ptr_array_free(results, TRUE);
  if (cfg->fail_fast && failed)
    ok = false;
  if (!ok && !r->fatal && !(cfg->fail_fast && failed))
    r->fatal = true;
  if (!ok)
    r->pages = 0;
  /* checks the outputs against the inputs, writes the manifest, renames every file,
   * or removes them all (and the folders the workers made) */
  vb_outputs_finish(r, ok);
  r->good = NULL;
  r->jobs = 0;
  r->docs_failed = (unsigned)failed;
  if (cfg->fail_fast && failed)
    return VB_EXIT_RECORDS;
  if (r->fatal || !ok)
    return VB_EXIT_USAGE;
  return failed ? VB_EXIT_RECORDS : 0;
}
