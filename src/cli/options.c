/* options.c - cli stage: the command line → vb_config (getopt_long per command),
 * help and version, and the data folders searched for layouts and fonts. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef VB_SOURCE_DATADIR
#define VB_SOURCE_DATADIR "."
#endif
#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif

void vb_cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_strbuf msg = VB_STRBUF_INIT, out = VB_STRBUF_INIT;
  vb_strbuf_vprintf(&msg, fmt, ap);
  va_end(ap);
  /* an argument echoed back cannot drive the terminal */
  vb_utf8_escape_controls(&out, msg.data ? msg.data : "", msg.len, false);
  fputs("vanban: ", stderr);
  fwrite(out.data ? out.data : "", 1, out.len, stderr);
  vb_strbuf_free(&msg);
  vb_strbuf_free(&out);
  fputs("\nTry 'vanban --help' for more information.\n", stderr);
}

void vb_cli_help(const char *cmd) {
  static const struct {
    const char *cmd, *usage, *what;
  } cmds[] = {
      {"certificates", "vanban certificates [OPTION]... FILE...",
       "Award certificates (giấy khen): one page for each recipient of each award of form\n"
       "giấy khen or tuyên dương in the records (YAML/JSON; a CSV list with --org).\n"},
      {"minutes", "vanban minutes [OPTION]... EVENT.yaml...",
       "Meeting minutes (biên bản): one document for each event (needs a minutes layout, "
       "-l).\n"},
      {"bulletin", "vanban bulletin [OPTION]... FILES-OR-FOLDERS... --month YYYY-MM",
       "Monthly bulletin (bản tin): every event whose 'starts' falls in the month, from\n"
       "the files given (folders are searched for .yaml, .yml and .json), sorted by date\n"
       "and time, laid out as one issue (layout ban-tin). The issue number is --issue N,\n"
       "else counted from organization.bulletin.first_issue (YYYY-MM of issue 1).\n"},
      {"check", "vanban check [OPTION]... FILE...",
       "Validate records and lay them out with their layouts; write nothing. With\n"
       "--conformance, check every document against its layout's rule set (README,\n"
       "\"Conformance\"): minutes and certificates, or a bulletin with -l ban-tin --month.\n"},
      {"layouts", "vanban layouts [--layouts DIR]",
       "List the layouts found, with the file each name resolves to.\n"}};
  for (size_t i = 0; cmd && i < sizeof cmds / sizeof cmds[0]; i++)
    if (!strcmp(cmd, cmds[i].cmd)) {
      printf("Usage: %s\n%s\n", cmds[i].usage, cmds[i].what);
      break;
    }
  if (cmd && strcmp(cmd, "certificates") && strcmp(cmd, "minutes") && strcmp(cmd, "bulletin") &&
      strcmp(cmd, "check") && strcmp(cmd, "layouts"))
    cmd = NULL;
  if (!cmd)
    fputs(
        "Usage: vanban COMMAND [OPTION]... FILE...\n"
        "Lay out Vietnamese ward documents from records (YAML, JSON, CSV) as PDF.\n"
        "\n"
        "Commands:\n"
        "  certificates FILE...   award certificates (giấy khen), one page per recipient\n"
        "  minutes EVENT.yaml...  meeting minutes (biên bản)\n"
        "  bulletin FILES...      monthly bulletin (bản tin), with --month YYYY-MM\n"
        "  check FILE...          validate records (and the layouts they use); write "
        "nothing\n"
        "  layouts                list the layouts found, with their files\n"
        "\n",
        stdout);
  fputs(

      "Options:\n"
      "  -o, --output=FILE      output file; '-' for standard output; a name with\n"
      "                         {stt} {ten} {id} writes one file per document\n"
      "  -l, --layout=NAME|FILE layout to use (default: from organization.kind)\n"
      "      --format=pdf|png|trace   output format (default pdf; png: one file a page)\n"
      "      --backend=cairo|haru|trace|list   drawing backend (haru: libharu)\n"
      "      --pdfa             archival PDF/A-1b (implies --backend haru; no password)\n"
      "      --password=USER    encrypt: RC4 128-bit, revision 3 (haru backend); visible\n"
      "                         to other users: prefer --password-file\n"
      "      --password-file=FILE  the password is the file's first line\n"
      "      --owner-password=OWNER  password that lifts the restrictions\n"
      "      --permissions=print,copy,edit,annotate|none   allowed with the user\n"
      "                         password (default print; print includes full quality)\n"
      "      --paper=A4|A3|A5   print the layout on another paper size, scaled\n"
      "      --offset=X,Y       shift everything by X,Y millimetres (printer correction)\n"
      "      --calibrate        print a millimetre grid with the layout's boxes\n"
      "      --org=ORG.yaml     organization and award for CSV recipient lists\n"
      "      --encoding=auto|utf-8|cp1258|tcvn3|tcvn3-caps|vni|viqr   input encoding\n"
      "                         (default auto); tcvn3-caps=FIELD,... for fields typed\n"
      "                         in a .VnTimeH (capitals) font\n"
      "      --input-format=yaml|json|csv   override the file extension\n"
      "      --fonts=DIR        font folder (default: the bundled fonts)\n"
      "      --layouts=DIR      layout folder searched first\n"
      "      --date=ISO8601     creation date written in the PDF (else SOURCE_DATE_EPOCH)\n"
      "      --shard=K/N        render only records K, K+N, K+2N... (1-based)\n"
      "      --shard-from-env=N  --shard=K/N with K = $JOB_COMPLETION_INDEX + 1\n"
      "                         (a Kubernetes Indexed Job; the index is 0-based)\n"
      "      --jobs=N           N processes (with one file per document)\n"
      "      --manifest=FILE    write one JSON line per output file\n"
      "      --month=YYYY-MM    bulletin: the month of the issue (events whose 'starts'\n"
      "                         falls in it); check --conformance -l ban-tin likewise\n"
      "      --issue=N          bulletin: the issue number (else counted from\n"
      "                         organization.bulletin.first_issue)\n"
      "      --allow-outside    files records name (emblem, recipients_csv, photos)\n"
      "                         may lie outside the record file's folder\n"
      "      --fail-fast        stop at the first bad record and write nothing\n"
      "      --draft            minutes: stamp DỰ THẢO and leave the number blank\n"
      "      --conformance      check: render in memory and check the rules of the\n"
      "                         spec (NĐ 30/2020, HD 36, certificates, bulletin): one\n"
      "                         line per rule, PASS or FAIL with its id (nd30.margin.left\n"
      "                         ...), exit 1 when one fails; -l ban-tin --month M for a\n"
      "                         bulletin issue\n"
      "      --limit=NAME=N     raise or lower a limit (e.g. --limit pages=5000);\n"
      "                         N may end in k, M or G; see --limits\n"
      "      --limits           list the limits with their values and what they bound\n"
      "  -q, --quiet            no warnings, notes or summary\n"
      "  -h, --help             show this help\n"
      "  -V, --version          show the version\n"
      "\n"
      "Exit status: 0 all written; 1 some records failed (the others are written);\n"
      "2 usage, unreadable input or output error (nothing written); 3 invalid layout.\n"
      "\n"
      "Examples:\n"
      "  vanban certificates samples/phuong-11-quan-3.yaml -o giay-khen.pdf\n"
      "  vanban certificates samples/phuong-mai-dich.yaml -o 'out/{stt}-{ten}.pdf'\n"
      "  vanban certificates --org org.yaml danh-sach.csv -o giay-khen.pdf\n"
      "  vanban certificates --calibrate -l giay-khen-phoi -o grid.pdf\n",
      stdout);
}

void vb_cli_limits(const vb_limits *l) {
  static const char *const what[] = {
      "bytes of one record file (YAML, JSON, CSV) or of standard input",
      "documents (certificates, events) of one record file; rows of a CSV",
      "nesting of maps and lists in a YAML or JSON file",
      "bytes of one text value",
      "columns of a CSV header",
      "bytes of one CSV cell",
      "pixels (width x height) of a PNG or JPEG image",
      "bytes of one image file",
      "width or height an SVG declares (px)",
      "elements one SVG draws (each as often as <use> and references repeat it)",
      "pages of one document (a bulletin has its own legal maximum of 64)",
      "nesting of blocks in a layout (boxes, columns, conditions, repeats)"};
  const char *const *names = vb_limits_names();
  printf("%-16s %12s  %s\n", "LIMIT", "VALUE", "BOUNDS");
  for (size_t i = 0; names[i]; i++)
    printf("%-16s %12llu  %s\n", names[i], (unsigned long long)vb_limits_get(l, i), what[i]);
}

void vb_cli_version(void) {
  printf("vanban %s\n", VB_VERSION);
  printf("pango %s\n%s", vb_layout_pango_version(), vb_backend_versions());
}

/* ---- data folders */
static char *exe_dir(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = 0;
  return g_path_get_dirname(buf);
}

/* The folders searched for `what` ("layouts" or "fonts"), in order. */
GPtrArray *vb_cli_data_dirs(const vb_config *cfg, const char *what, const char *user) {
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  if (user)
    g_ptr_array_add(dirs, g_strdup(user));
  const char *env = getenv("VANBAN_DATA");
  if (env && *env)
    g_ptr_array_add(dirs, g_build_filename(env, what, NULL));
  char *ed = exe_dir();
  if (ed) {
    /* build/release/vanban → the source tree two levels up */
    char *rel = g_build_filename(ed, "..", "..", what, NULL);
    char *src = g_canonicalize_filename(rel, NULL);
    g_free(rel);
    if (g_file_test(src, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(dirs, src);
    else
      g_free(src);
    /* installed: PREFIX/bin/vanban → PREFIX/share/vanban */
    char *irel = g_build_filename(ed, "..", "share", "vanban", what, NULL);
    char *inst = g_canonicalize_filename(irel, NULL);
    g_free(irel);
    if (g_file_test(inst, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(dirs, inst);
    else
      g_free(inst);
    g_free(ed);
  }
  g_ptr_array_add(dirs, g_build_filename(VB_SOURCE_DATADIR, what, NULL));
  g_ptr_array_add(dirs, g_build_filename(VB_DATADIR, what, NULL));
  g_ptr_array_add(dirs, NULL);
  (void)cfg;
  return dirs;
}

/* ---- options */
enum {
  OPT_FORMAT = 256,
  OPT_BACKEND,
  OPT_PAPER,
  OPT_OFFSET,
  OPT_CALIBRATE,
  OPT_ORG,
  OPT_ENCODING,
  OPT_INPUT_FORMAT,
  OPT_FONTS,
  OPT_LAYOUTS,
  OPT_DATE,
  OPT_SHARD,
  OPT_SHARD_FROM_ENV,
  OPT_JOBS,
  OPT_MANIFEST,
  OPT_FAIL_FAST,
  OPT_PDFA,
  OPT_PASSWORD,
  OPT_OWNER_PASSWORD,
  OPT_PERMISSIONS,
  OPT_MONTH,
  OPT_PASSWORD_FILE,
  OPT_ISSUE,
  OPT_ALLOW_OUTSIDE,
  OPT_DRAFT,
  OPT_CONFORMANCE,
  OPT_LIMIT,
  OPT_LIMITS
};

static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"layout", required_argument, NULL, 'l'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"backend", required_argument, NULL, OPT_BACKEND},
    {"paper", required_argument, NULL, OPT_PAPER},
    {"offset", required_argument, NULL, OPT_OFFSET},
    {"calibrate", no_argument, NULL, OPT_CALIBRATE},
    {"org", required_argument, NULL, OPT_ORG},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
    {"fonts", required_argument, NULL, OPT_FONTS},
    {"layouts", required_argument, NULL, OPT_LAYOUTS},
    {"date", required_argument, NULL, OPT_DATE},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"shard-from-env", required_argument, NULL, OPT_SHARD_FROM_ENV},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"manifest", required_argument, NULL, OPT_MANIFEST},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"pdfa", no_argument, NULL, OPT_PDFA},
    {"password", required_argument, NULL, OPT_PASSWORD},
    {"owner-password", required_argument, NULL, OPT_OWNER_PASSWORD},
    {"permissions", required_argument, NULL, OPT_PERMISSIONS},
    {"month", required_argument, NULL, OPT_MONTH},
    {"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
    {"issue", required_argument, NULL, OPT_ISSUE},
    {"allow-outside", no_argument, NULL, OPT_ALLOW_OUTSIDE},
    {"draft", no_argument, NULL, OPT_DRAFT},
    {"conformance", no_argument, NULL, OPT_CONFORMANCE},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"limits", no_argument, NULL, OPT_LIMITS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static int parse_offset(const char *s, double *x, double *y) {
  const char *comma = strchr(s, ',');
  if (!comma)
    return -1;
  char a[64];
  size_t n = (size_t)(comma - s);
  if (n >= sizeof a)
    return -1;
  memcpy(a, s, n);
  a[n] = 0;
  return vb_parse_num(a, x) == 0 && vb_parse_num(comma + 1, y) == 0 ? 0 : -1;
}

static long long date_epoch(const vb_date *d) {
  long long t = (long long)vb_date_days(d) * 86400;
  if (d->has_time)
    t += d->hour * 3600 + d->minute * 60 + d->second;
  if (d->has_tz)
    t -= d->tz_minutes * 60LL;
  return t;
}

/* Returns -1 to continue, or an exit status. */
int vb_cli_parse_args(int argc, char **argv, vb_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->date = -1;
  cfg->limits = vb_limits_default();
  const char *password_file = NULL;
  bool permissions_set = false;
  cfg->format = VB_FORMAT_PDF;
  int c;
  opterr = 0;
  optind = 1;
  /* argv[1] is the command; options and files may come in any order after it */
  argc--;
  argv++;
  const char *command = argv[0];
  while ((c = getopt_long(argc, argv, ":o:l:qhV", long_opts, NULL)) != -1) {
    switch (c) {
    case 'o':
      cfg->output = optarg;
      break;
    case 'l':
      cfg->layout = optarg;
      break;
    case 'q':
      cfg->quiet = true;
      break;
    case 'h':
      vb_cli_help(argv[0]);
      return 0;
    case 'V':
      vb_cli_version();
      return 0;
    case OPT_FORMAT:
      if (vb_format_from_name(optarg, &cfg->format) != 0) {
        vb_cli_usage_error("unknown format '%s' (expected pdf, png or trace)", optarg);
        return VB_EXIT_USAGE;
      }
      cfg->format_set = true;
      break;
    case OPT_BACKEND:
      if (!strcmp(optarg, "list")) {
        for (const vb_backend_class *const *b = vb_backend_list(); *b; b++)
          printf("%s\n", (*b)->name);
        return 0;
      }
      if (!vb_backend_find(optarg)) {
        vb_cli_usage_error("unknown backend '%s' (see --backend=list)", optarg);
        return VB_EXIT_USAGE;
      }
      cfg->backend = optarg;
      break;
    case OPT_PAPER: {
      static const char *const papers[] = {"A3", "A4", "A5", "B5", "Letter", NULL};
      bool ok = false;
      for (const char *const *p = papers; *p; p++)
        if (!g_ascii_strcasecmp(*p, optarg))
          ok = true;
      if (!ok) {
        vb_cli_usage_error("unknown paper '%s' (expected A3, A4, A5, B5 or Letter)",
                           optarg);
        return VB_EXIT_USAGE;
      }
      cfg->paper = optarg;
      break;
    }
    case OPT_OFFSET:
      if (parse_offset(optarg, &cfg->offset_x, &cfg->offset_y) != 0) {
        vb_cli_usage_error("--offset takes X,Y in millimetres (e.g. 1.5,-2), not '%s'",
                           optarg);
        return VB_EXIT_USAGE;
      }
      break;
    case OPT_CALIBRATE:
      cfg->calibrate = true;
      break;
    case OPT_ORG:
      cfg->org_file = optarg;
      break;
    case OPT_ENCODING:
      if (vb_encoding_parse(optarg, &cfg->encoding, &cfg->caps_fields) != 0) {
        vb_cli_usage_error("unknown encoding '%s' (expected auto, utf-8, cp1258, tcvn3, "
                           "tcvn3-caps, tcvn3-caps=FIELD,..., vni or viqr)",
                           optarg);
        return VB_EXIT_USAGE;
      }
      break;
    case OPT_INPUT_FORMAT:
      if (strcmp(optarg, "yaml") && strcmp(optarg, "json") && strcmp(optarg, "csv")) {
        vb_cli_usage_error("unknown input format '%s' (expected yaml, json or csv)",
                           optarg);
        return VB_EXIT_USAGE;
      }
      cfg->input_format = optarg;
      break;
    case OPT_FONTS:
      cfg->fonts_dir = optarg;
      break;
    case OPT_LAYOUTS:
      cfg->layouts_dir = optarg;
      break;
    case OPT_DATE: {
      vb_date d;
      if (vb_date_parse(optarg, &d) != 0) {
        vb_cli_usage_error(
            "--date takes an ISO 8601 date such as 2024-11-05T14:00+07:00, not '%s'",
            optarg);
        return VB_EXIT_USAGE;
      }
      cfg->date = date_epoch(&d);
      break;
    }
    case OPT_SHARD: {
      /* each part a whole number that fits: "4294967297/4294967298" must not wrap */
      const char *slash = strchr(optarg, '/');
      char kbuf[32];
      unsigned long k = 0, n = 0;
      bool ok = slash && (size_t)(slash - optarg) < sizeof kbuf;
      if (ok) {
        memcpy(kbuf, optarg, (size_t)(slash - optarg));
        kbuf[slash - optarg] = '\0';
        ok = vb_parse_uint(kbuf, &k) == 0 && vb_parse_uint(slash + 1, &n) == 0;
      }
      if (ok && (k > UINT_MAX || n > UINT_MAX)) {
        vb_cli_usage_error("--shard: '%s' has a number above %u", optarg, UINT_MAX);
        return VB_EXIT_USAGE;
      }
      if (!ok || n == 0 || k == 0 || k > n) {
        vb_cli_usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
        return VB_EXIT_USAGE;
      }
      cfg->shard_k = k;
      cfg->shard_n = n;
      break;
    }
    case OPT_SHARD_FROM_ENV: {
      /* a Kubernetes Indexed Job gives each pod JOB_COMPLETION_INDEX, 0 .. completions-1 */
      unsigned long n, idx;
      const char *env = getenv("JOB_COMPLETION_INDEX");
      if (vb_parse_uint(optarg, &n) != 0 || n == 0 || n > UINT_MAX) {
        vb_cli_usage_error("--shard-from-env takes the number of shards N >= 1, not '%s'",
                           optarg);
        return VB_EXIT_USAGE;
      }
      if (!env || !*env) {
        vb_cli_usage_error("--shard-from-env: JOB_COMPLETION_INDEX is not set (it is set "
                           "in each pod of a Kubernetes Indexed Job)");
        return VB_EXIT_USAGE;
      }
      if (vb_parse_uint(env, &idx) != 0 || idx >= n) {
        vb_cli_usage_error("--shard-from-env=%lu: JOB_COMPLETION_INDEX must be 0 to %lu, "
                           "not '%s'",
                           n, n - 1, env);
        return VB_EXIT_USAGE;
      }
      cfg->shard_k = (unsigned)idx + 1;
      cfg->shard_n = (unsigned)n;
      break;
    }
    case OPT_JOBS: {
      unsigned long n;
      if (vb_parse_uint(optarg, &n) != 0 || n == 0 || n > 256) {
        vb_cli_usage_error("--jobs takes a number of processes from 1 to 256, not '%s'",
                           optarg);
        return VB_EXIT_USAGE;
      }
      cfg->jobs = (unsigned)n;
      break;
    }
    case OPT_MANIFEST:
      cfg->manifest = optarg;
      break;
    case OPT_FAIL_FAST:
      cfg->fail_fast = true;
      break;
    case OPT_DRAFT:
      cfg->draft = true;
      break;
    case OPT_LIMIT: {
      const char *bad = NULL;
      if (vb_limits_set(&cfg->limits, optarg, &bad) != 0) {
        vb_cli_usage_error("--limit %s: %s (see 'vanban --limits' for the names)", optarg,
                           bad);
        return VB_EXIT_USAGE;
      }
      break;
    }
    case OPT_LIMITS:
      vb_cli_limits(&cfg->limits);
      return 0;
    case OPT_CONFORMANCE:
      if (strcmp(command, "check")) {
        vb_cli_usage_error("--conformance belongs to 'check' (vanban check --conformance "
                           "FILE...)");
        return VB_EXIT_USAGE;
      }
      cfg->conformance = true;
      break;
    case OPT_PDFA:
      cfg->pdfa = true;
      break;
    case OPT_PASSWORD:
      cfg->password = optarg;
      break;
    case OPT_PASSWORD_FILE:
      password_file = optarg;
      break;
    case OPT_OWNER_PASSWORD:
      cfg->owner_password = optarg;
      break;
    case OPT_PERMISSIONS: {
      const char *bad = NULL;
      if (vb_backend_parse_permissions(optarg, &cfg->permissions, &bad) < 0) {
        size_t n = strcspn(bad, ",");
        vb_cli_usage_error("unknown permission '%.*s' in --permissions (use print, copy, "
                           "edit, annotate or none, separated by commas)",
                           (int)n, bad);
        return VB_EXIT_USAGE;
      }
      permissions_set = true;
      break;
    }
    case OPT_MONTH: {
      unsigned y, m;
      char extra;
      if (sscanf(optarg, "%4u-%2u%c", &y, &m, &extra) != 2 || m < 1 || m > 12 || y < 1900 ||
          strlen(optarg) != 7) {
        vb_cli_usage_error("--month takes YYYY-MM (e.g. 2024-11), not '%s'", optarg);
        return VB_EXIT_USAGE;
      }
      cfg->year = y;
      cfg->month = m;
      break;
    }
    case OPT_ISSUE: {
      unsigned long n;
      if (vb_parse_uint(optarg, &n) != 0 || n == 0 || n > 100000) {
        vb_cli_usage_error("--issue takes the issue number (1, 2, ...), not '%s'", optarg);
        return VB_EXIT_USAGE;
      }
      cfg->issue = (unsigned)n;
      break;
    }
    case OPT_ALLOW_OUTSIDE:
      cfg->allow_outside = true;
      cfg->limits.allow_outside = true;
      break;
    case ':':
      vb_cli_usage_error("option '%s' needs a value", argv[optind - 1]);
      return VB_EXIT_USAGE;
    default:
      if (optopt && optopt < 256)
        vb_cli_usage_error("unknown option '-%c'", optopt);
      else
        vb_cli_usage_error("unknown option '%s'", argv[optind - 1]);
      return VB_EXIT_USAGE;
    }
  }
  cfg->files = argv + optind;
  cfg->nfiles = argc - optind;
  if (!permissions_set)
    cfg->permissions = VB_PERM_PRINT;
  if (password_file) {
    if (cfg->password) {
      vb_cli_usage_error("give the password with --password or --password-file, not both");
      return VB_EXIT_USAGE;
    }
    /* a regular file only (a FIFO would wait for a writer forever, /dev/zero
     * never ends a line), and only its first line, at most 1,023 bytes, is read */
    const char *why = NULL;
    int pfd = vb_file_open_regular(password_file, &why);
    if (pfd < 0) {
      vb_cli_usage_error("cannot read password file '%s': %s", password_file, why);
      return VB_EXIT_USAGE;
    }
    enum { PW_MAX = 1024 };
    char *line = vb_xmalloc(PW_MAX + 1);
    size_t got = 0;
    for (;;) {
      ssize_t k = read(pfd, line + got, PW_MAX - got);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      got += (size_t)k;
      if (memchr(line, '\n', got) || got == PW_MAX) break;
    }
    close(pfd);
    line[got] = '\0';
    if (got == PW_MAX && !memchr(line, '\n', got) && !memchr(line, '\r', got)) {
      free(line);
      vb_cli_usage_error("password file '%s': the first line is longer than %d bytes",
                         password_file, PW_MAX - 1);
      return VB_EXIT_USAGE;
    }
    line[strcspn(line, "\r\n")] = '\0'; /* the first line */
    cfg->password_buf = line;
    cfg->password = cfg->password_buf;
    cfg->password_file = password_file;
    if (!*cfg->password) {
      vb_cli_usage_error("password file '%s' is empty: its first line is the password",
                         password_file);
      return VB_EXIT_USAGE;
    }
  }
  const char *const pw[] = {cfg->password, cfg->owner_password};
  for (int i = 0; i < 2; i++) {
    if (!pw[i])
      continue;
    size_t n = strlen(pw[i]);
    bool ascii = true;
    for (size_t k = 0; k < n; k++)
      ascii = ascii && pw[i][k] >= 0x20 && pw[i][k] < 0x7f;
    if (!ascii || n > 32) {
      vb_cli_usage_error("%s must be at most 32 printable ASCII characters (PDF 128-bit RC4 "
                         "encryption has no agreed encoding for others)",
                         i ? "the owner password" : "the password");
      return VB_EXIT_USAGE;
    }
  }
  if (cfg->password && !*cfg->password && !cfg->owner_password) {
    vb_cli_usage_error("the password is empty");
    return VB_EXIT_USAGE;
  }
  if (cfg->password && cfg->owner_password && !strcmp(cfg->password, cfg->owner_password)) {
    vb_cli_usage_error("the owner password must differ from the password");
    return VB_EXIT_USAGE;
  }
  if (cfg->pdfa && (cfg->password || cfg->owner_password)) {
    vb_cli_usage_error("--pdfa cannot be combined with a password: PDF/A forbids encryption");
    return VB_EXIT_USAGE;
  }
  if (permissions_set && !cfg->password && !cfg->owner_password) {
    vb_cli_usage_error("--permissions needs --password, --password-file or --owner-password");
    return VB_EXIT_USAGE;
  }
  if (cfg->date < 0) {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
      unsigned long v;
      if (vb_parse_uint(sde, &v) != 0) {
        vb_cli_usage_error("SOURCE_DATE_EPOCH must be a number of seconds, not '%s'", sde);
        return VB_EXIT_USAGE;
      }
      cfg->date = (long long)v;
    } else
      cfg->date = (long long)time(NULL);
  }
  return -1;
}
