/* main.c - cli stage: the dispatcher: names the command, parses its options, makes
 * the run and hands it to the command's file; prints the closing summary. */
#include "cli.h"

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define VB_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VB_LSAN 1
#endif
#endif

#ifdef VB_LSAN
/* The threads of this process (entries of /proc/self/task), or 0 if unknown. */
static int thread_count(void) {
  DIR *d = opendir("/proc/self/task");
  if (!d)
    return 0;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* LeakSanitizer looks for leaks at exit with every thread stopped under ptrace; a thread
 * that ends meanwhile can crash its tracer ("Tracer caught signal 11 ... LeakSanitizer
 * has encountered a fatal error": once in 13,180 runs of `make asan` in CI). Pango matches
 * fonts in GLib's shared thread pool, whose idle threads end at any time: end them first
 * and wait (at most 0.5 s) until only this thread is left. Runs before LSan's own exit
 * handler, which was registered before main. Sanitizer builds only. */
static void quiet_threads(void) {
  g_thread_pool_set_max_unused_threads(0);
  g_thread_pool_stop_unused_threads();
  for (int i = 0; i < 500 && thread_count() > 1; i++)
    g_usleep(1000);
}
#endif

static const struct command {
  const char *name;
  int (*run)(vb_run *r);
  const char *default_output; /* NULL: the command writes no document */
} commands[] = {
    {"certificates", vb_cmd_certificates, "giay-khen.pdf"},
    {"minutes", vb_cmd_minutes, "bien-ban.pdf"},
    {"check", vb_cmd_check, "giay-khen.pdf"},
    {"layouts", vb_cmd_layouts, NULL},
    {"bulletin", vb_cmd_bulletin, "ban-tin.pdf"},
};

int main(int argc, char **argv) {
  /* a page's memory is freed and taken again for the next: keep it rather than
   * handing it back to the system and faulting it in again every page */
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
#ifdef VB_LSAN
  atexit(quiet_threads);
#endif
  if (argc < 2) {
    vb_cli_usage_error(
        "missing command (certificates, minutes, bulletin, check or layouts)");
    return VB_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    vb_cli_help(NULL);
    return 0;
  }
  if (!strcmp(cmd, "--limits")) {
    vb_limits l = vb_limits_default();
    vb_cli_limits(&l);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    vb_cli_version();
    return 0;
  }
  const struct command *c = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(cmd, commands[i].name))
      c = &commands[i];
  if (!c) {
    if (cmd[0] == '-')
      vb_cli_usage_error(
          "unknown option '%s' (a command comes first: certificates, minutes, ...)", cmd);
    else
      vb_cli_usage_error("unknown command '%s' (expected certificates, minutes, bulletin, "
                         "check or layouts)",
                         cmd);
    return VB_EXIT_USAGE;
  }
  vb_config cfg;
  int st = vb_cli_parse_args(argc, argv, &cfg);
  if (st >= 0) {
    free(cfg.password_buf);
    return st;
  }
  cfg.command = cmd;
  if (!c->run) {
    vb_cli_usage_error("'%s' is not available in this version yet", cmd);
    free(cfg.password_buf);
    return VB_EXIT_USAGE;
  }
  if (cfg.input_format && !strcmp(cfg.input_format, "csv") && !cfg.org_file) {
    vb_cli_usage_error("CSV input needs --org ORG.yaml");
    free(cfg.password_buf);
    return VB_EXIT_USAGE;
  }

  /* a kill leaves no temporary file: removed, then exit 128 + the signal */
  vb_cleanup_install();
  vb_run r;
  int status = vb_run_init(&r, &cfg);
  if (status < 0 && c->default_output)
    status = vb_outputs_setup(&r, c->default_output);
  if (status < 0) {
    status = c->run(&r);
    unsigned written = r.fatal ? 0 : r.pages;
    /* a run that could not be done (exit 2 or 3: an input that cannot be read or
     * parsed, a wrong --input-format, an unknown or broken layout, an output refused
     * or not writable) has said why; "0 records failed" beside it reads as if the
     * records had been done. Records that failed before it are still counted. */
    if (cfg.quiet || !c->default_output || (status >= VB_EXIT_USAGE && !r.docs_failed))
      ;
    else if (strcmp(cmd, "check"))
      fprintf(stderr, "vanban: %u page%s written, %u record%s failed\n", written,
              written == 1 ? "" : "s", r.docs_failed, r.docs_failed == 1 ? "" : "s");
    else
      fprintf(stderr, "vanban: %u record%s failed\n", r.docs_failed,
              r.docs_failed == 1 ? "" : "s");
  }
  vb_run_free(&r);
  free(cfg.password_buf);
  return status;
}
