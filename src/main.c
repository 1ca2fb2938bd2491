/* main.c - vanban command line: options → config, wiring the stages
 * (records → layout → display → backend) and mapping results to exit codes as
 * DESIGN.md "Command line" fixes them. */
#include "backend/backend.h"
#include "base/base.h"
#include "display/display.h"
#include "input/input.h"
#include "layout/layout.h"
#include "records/records.h"

#include <errno.h>
#include <getopt.h>
#include <glib.h>
#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef VB_VERSION
#define VB_VERSION "0.1.0"
#endif
#ifndef VB_SOURCE_DATADIR
#define VB_SOURCE_DATADIR "."
#endif
#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif

enum { EXIT_RECORDS = 1, EXIT_USAGE = 2, EXIT_LAYOUT = 3 };

typedef struct vb_config {
  const char *command;
  const char *output;
  const char *layout;
  vb_format format;
  bool format_set;
  const char *backend;
  vb_encoding encoding;
  const char *input_format;
  const char *fonts_dir;
  const char *layouts_dir;
  const char *org_file;
  const char *paper;
  double offset_x, offset_y;
  bool calibrate;
  long long date; /* -1: none */
  unsigned shard_k, shard_n;
  unsigned jobs; /* worker processes for one-file-per-document output */
  const char *manifest;
  bool quiet, fail_fast;
  char **files;
  int nfiles;
} vb_config;

static void usage_error(const char *fmt, ...) VB_PRINTF(1, 2);
static void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("vanban: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'vanban --help' for more information.\n", stderr);
}

static void print_help(const char *cmd) {
  static const struct {
    const char *cmd, *usage, *what;
  } cmds[] = {
      {"certificates", "vanban certificates [OPTION]... FILE...",
       "Award certificates (giấy khen): one page for each recipient of each award of form\n"
       "giấy khen or tuyên dương in the records (YAML/JSON; a CSV list with --org).\n"},
      {"minutes", "vanban minutes [OPTION]... EVENT.yaml...",
       "Meeting minutes (biên bản): one document for each event (needs a minutes layout, -l).\n"},
      {"check", "vanban check [OPTION]... FILE...",
       "Validate records and lay them out with their layouts; write nothing.\n"},
      {"layouts", "vanban layouts [--layouts DIR]",
       "List the layouts found, with the file each name resolves to.\n"}};
  for (size_t i = 0; cmd && i < sizeof cmds / sizeof cmds[0]; i++)
    if (!strcmp(cmd, cmds[i].cmd)) {
      printf("Usage: %s\n%s\n", cmds[i].usage, cmds[i].what);
      break;
    }
  if (cmd && strcmp(cmd, "certificates") && strcmp(cmd, "minutes") && strcmp(cmd, "check") &&
      strcmp(cmd, "layouts"))
    cmd = NULL;
  if (!cmd)
    fputs("Usage: vanban COMMAND [OPTION]... FILE...\n"
          "Lay out Vietnamese ward documents from records (YAML, JSON, CSV) as PDF.\n"
          "\n"
          "Commands:\n"
          "  certificates FILE...   award certificates (giấy khen), one page per recipient\n"
          "  minutes EVENT.yaml...  meeting minutes (biên bản)\n"
          "  bulletin FILES...      monthly bulletin (bản tin), with --month YYYY-MM\n"
          "  check FILE...          validate records (and the layouts they use); write nothing\n"
          "  layouts                list the layouts found, with their files\n"
          "\n"
          ,
          stdout);
  fputs(

      "Options:\n"
      "  -o, --output=FILE      output file; '-' for standard output; a name with\n"
      "                         {stt} {ten} {id} writes one file per document\n"
      "  -l, --layout=NAME|FILE layout to use (default: from organization.kind)\n"
      "      --format=pdf|png|trace   output format (default pdf; png: one file a page)\n"
      "      --backend=cairo|trace|list   drawing backend\n"
      "      --paper=A4|A3|A5   print the layout on another paper size, scaled\n"
      "      --offset=X,Y       shift everything by X,Y millimetres (printer correction)\n"
      "      --calibrate        print a millimetre grid with the layout's boxes\n"
      "      --org=ORG.yaml     organization and award for CSV recipient lists\n"
      "      --encoding=auto|utf-8|cp1258|tcvn3|vni   input encoding (default auto)\n"
      "      --input-format=yaml|json|csv   override the file extension\n"
      "      --fonts=DIR        font folder (default: the bundled fonts)\n"
      "      --layouts=DIR      layout folder searched first\n"
      "      --date=ISO8601     creation date written in the PDF (else SOURCE_DATE_EPOCH)\n"
      "      --shard=K/N        render only records K, K+N, K+2N... (1-based)\n"
      "      --jobs=N           N processes (with one file per document)\n"
      "      --manifest=FILE    write one JSON line per output file\n"
      "      --fail-fast        stop at the first bad record and write nothing\n"
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

static void print_version(void) {
  printf("vanban %s\n", VB_VERSION);
  printf("pango %s\n%s", vb_layout_pango_version(), vb_backend_versions());
}

/* ---- data folders */
static char *exe_dir(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = 0;
  return g_path_get_dirname(buf);
}

/* The folders searched for `what` ("layouts" or "fonts"), in order. */
static GPtrArray *data_dirs(const vb_config *cfg, const char *what, const char *user) {
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  if (user) g_ptr_array_add(dirs, g_strdup(user));
  const char *env = getenv("VANBAN_DATA");
  if (env && *env) g_ptr_array_add(dirs, g_build_filename(env, what, NULL));
  char *ed = exe_dir();
  if (ed) {
    /* build/release/vanban → the source tree two levels up */
    char *rel = g_build_filename(ed, "..", "..", what, NULL);
    char *src = g_canonicalize_filename(rel, NULL);
    g_free(rel);
    if (g_file_test(src, G_FILE_TEST_IS_DIR)) g_ptr_array_add(dirs, src);
    else g_free(src);
    /* installed: PREFIX/bin/vanban → PREFIX/share/vanban */
    char *irel = g_build_filename(ed, "..", "share", "vanban", what, NULL);
    char *inst = g_canonicalize_filename(irel, NULL);
    g_free(irel);
    if (g_file_test(inst, G_FILE_TEST_IS_DIR)) g_ptr_array_add(dirs, inst);
    else g_free(inst);
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
  OPT_JOBS,
  OPT_MANIFEST,
  OPT_FAIL_FAST,
  OPT_PDFA,
  OPT_PASSWORD,
  OPT_OWNER_PASSWORD,
  OPT_PERMISSIONS,
  OPT_MONTH
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
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"manifest", required_argument, NULL, OPT_MANIFEST},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"pdfa", no_argument, NULL, OPT_PDFA},
    {"password", required_argument, NULL, OPT_PASSWORD},
    {"owner-password", required_argument, NULL, OPT_OWNER_PASSWORD},
    {"permissions", required_argument, NULL, OPT_PERMISSIONS},
    {"month", required_argument, NULL, OPT_MONTH},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static int parse_offset(const char *s, double *x, double *y) {
  const char *comma = strchr(s, ',');
  if (!comma) return -1;
  char a[64];
  size_t n = (size_t)(comma - s);
  if (n >= sizeof a) return -1;
  memcpy(a, s, n);
  a[n] = 0;
  return vb_parse_num(a, x) == 0 && vb_parse_num(comma + 1, y) == 0 ? 0 : -1;
}

static long long date_epoch(const vb_date *d) {
  long long t = (long long)vb_date_days(d) * 86400;
  if (d->has_time) t += d->hour * 3600 + d->minute * 60 + d->second;
  if (d->has_tz) t -= d->tz_minutes * 60LL;
  return t;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, vb_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->date = -1;
  cfg->format = VB_FORMAT_PDF;
  int c;
  opterr = 0;
  optind = 1;
  /* argv[1] is the command; options and files may come in any order after it */
  argc--;
  argv++;
  while ((c = getopt_long(argc, argv, ":o:l:qhV", long_opts, NULL)) != -1) {
    switch (c) {
    case 'o': cfg->output = optarg; break;
    case 'l': cfg->layout = optarg; break;
    case 'q': cfg->quiet = true; break;
    case 'h': print_help(argv[0]); return 0;
    case 'V': print_version(); return 0;
    case OPT_FORMAT:
      if (vb_format_from_name(optarg, &cfg->format) != 0) {
        usage_error("unknown format '%s' (expected pdf, png or trace)", optarg);
        return EXIT_USAGE;
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
        usage_error("unknown backend '%s' (see --backend=list)", optarg);
        return EXIT_USAGE;
      }
      cfg->backend = optarg;
      break;
    case OPT_PAPER: {
      static const char *const papers[] = {"A3", "A4", "A5", "B5", "Letter", NULL};
      bool ok = false;
      for (const char *const *p = papers; *p; p++)
        if (!g_ascii_strcasecmp(*p, optarg)) ok = true;
      if (!ok) {
        usage_error("unknown paper '%s' (expected A3, A4, A5, B5 or Letter)", optarg);
        return EXIT_USAGE;
      }
      cfg->paper = optarg;
      break;
    }
    case OPT_OFFSET:
      if (parse_offset(optarg, &cfg->offset_x, &cfg->offset_y) != 0) {
        usage_error("--offset takes X,Y in millimetres (e.g. 1.5,-2), not '%s'", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_CALIBRATE: cfg->calibrate = true; break;
    case OPT_ORG: cfg->org_file = optarg; break;
    case OPT_ENCODING:
      if (vb_encoding_from_name(optarg, &cfg->encoding) != 0) {
        usage_error("unknown encoding '%s' (expected auto, utf-8, cp1258, tcvn3 or vni)", optarg);
        return EXIT_USAGE;
      }
      break;
    case OPT_INPUT_FORMAT:
      if (strcmp(optarg, "yaml") && strcmp(optarg, "json") && strcmp(optarg, "csv")) {
        usage_error("unknown input format '%s' (expected yaml, json or csv)", optarg);
        return EXIT_USAGE;
      }
      cfg->input_format = optarg;
      break;
    case OPT_FONTS: cfg->fonts_dir = optarg; break;
    case OPT_LAYOUTS: cfg->layouts_dir = optarg; break;
    case OPT_DATE: {
      vb_date d;
      if (vb_date_parse(optarg, &d) != 0) {
        usage_error("--date takes an ISO 8601 date such as 2024-11-05T14:00+07:00, not '%s'",
                    optarg);
        return EXIT_USAGE;
      }
      cfg->date = date_epoch(&d);
      break;
    }
    case OPT_SHARD: {
      unsigned k, n;
      char extra;
      if (sscanf(optarg, "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n) {
        usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
        return EXIT_USAGE;
      }
      cfg->shard_k = k;
      cfg->shard_n = n;
      break;
    }
    case OPT_JOBS: {
      unsigned long n;
      if (vb_parse_uint(optarg, &n) != 0 || n == 0 || n > 256) {
        usage_error("--jobs takes a number of processes from 1 to 256, not '%s'", optarg);
        return EXIT_USAGE;
      }
      cfg->jobs = (unsigned)n;
      break;
    }
    case OPT_MANIFEST: cfg->manifest = optarg; break;
    case OPT_FAIL_FAST: cfg->fail_fast = true; break;
    case OPT_PDFA:
    case OPT_PASSWORD:
    case OPT_OWNER_PASSWORD:
    case OPT_PERMISSIONS:
      usage_error("--pdfa and passwords need the haru backend, which this version does not "
                  "have yet");
      return EXIT_USAGE;
    case OPT_MONTH:
      usage_error("--month belongs to 'vanban bulletin', which this version does not have yet");
      return EXIT_USAGE;
    case ':':
      usage_error("option '%s' needs a value", argv[optind - 1]);
      return EXIT_USAGE;
    default:
      if (optopt && optopt < 256)
        usage_error("unknown option '-%c'", optopt);
      else
        usage_error("unknown option '%s'", argv[optind - 1]);
      return EXIT_USAGE;
    }
  }
  cfg->files = argv + optind;
  cfg->nfiles = argc - optind;
  if (cfg->date < 0) {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
      unsigned long v;
      if (vb_parse_uint(sde, &v) != 0) {
        usage_error("SOURCE_DATE_EPOCH must be a number of seconds, not '%s'", sde);
        return EXIT_USAGE;
      }
      cfg->date = (long long)v;
    } else
      cfg->date = (long long)time(NULL);
  }
  return -1;
}

/* ---- outputs */
typedef struct pending {
  vb_outfile *file; /* NULL: written and committed by a --jobs worker */
  char *input, *path;
  unsigned pages;
  GChecksum *sha;
  char *sha_hex; /* from a worker */
} pending;

typedef struct run {
  vb_config *cfg;
  vb_sources *sources;
  vb_diag *diag;
  vb_resources *res;
  vb_typesetter *ts;
  GPtrArray *layout_dirs;
  GHashTable *layouts; /* name → vb_layout* */
  const vb_backend_class *cls;
  vb_backend_opts bopts;
  /* single output */
  vb_outfile *out;
  vb_backend *backend;
  GChecksum *sha;
  /* per-document outputs */
  GArray *pend;        /* pending */
  GHashTable *names;   /* used output names */
  unsigned pages, docs_failed, width;
  bool fatal;
  int layout_error;
  char **fixed_names; /* --jobs: output path of each record (by stt - 1), decided up front */
  unsigned job, jobs;  /* this worker's number, and how many there are */
  const char *current_input;
} run;

typedef struct hashing_out {
  vb_outfile *f;
  GChecksum *sha;
} hashing_out;

static int write_hashing(void *ctx, const void *data, size_t len) {
  hashing_out *h = ctx;
  if (h->sha) g_checksum_update(h->sha, data, (gssize)len);
  return vb_outfile_write(h->f, data, len);
}

static bool is_pattern(const char *out) {
  return out && (strstr(out, "{stt}") || strstr(out, "{ten}") || strstr(out, "{id}"));
}

static char *expand_pattern(const char *pat, unsigned stt, unsigned width, const vb_scope *s) {
  GString *g = g_string_new(NULL);
  for (const char *p = pat; *p;) {
    if (!strncmp(p, "{stt}", 5)) {
      g_string_append_printf(g, "%0*u", (int)width, stt);
      p += 5;
    } else if (!strncmp(p, "{ten}", 5)) {
      g_string_append(g, s && s->slug ? s->slug : "x");
      p += 5;
    } else if (!strncmp(p, "{id}", 4)) {
      char *slug = vb_utf8_slug(s && s->id ? s->id : "x", strlen(s && s->id ? s->id : "x"));
      g_string_append(g, slug);
      free(slug);
      p += 4;
    } else
      g_string_append_c(g, *p++);
  }
  return g_string_free(g, FALSE);
}

/* "out/a.pdf" with n → "out/a-n.pdf" (a dot in a folder name is not an extension). */
static char *numbered(const char *path, unsigned n) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(path, '.');
  if (dot && slash && dot < slash) dot = NULL;
  size_t stem = dot ? (size_t)(dot - path) : strlen(path);
  return g_strdup_printf("%.*s-%u%s", (int)stem, path, n, dot ? dot : "");
}

/* Makes `path` unique among this run's outputs: name.pdf, name-2.pdf, ... */
static char *unique_name(run *r, char *path) {
  if (!g_hash_table_contains(r->names, path)) {
    g_hash_table_add(r->names, g_strdup(path));
    return path;
  }
  for (unsigned i = 2;; i++) {
    char *cand = numbered(path, i);
    if (!g_hash_table_contains(r->names, cand)) {
      g_free(path);
      g_hash_table_add(r->names, g_strdup(cand));
      return cand;
    }
    g_free(cand);
  }
}

static int make_parent_dirs(run *r, const char *path) {
  char *dir = g_path_get_dirname(path);
  int rc = 0;
  if (strcmp(dir, ".") && !g_file_test(dir, G_FILE_TEST_IS_DIR) &&
      g_mkdir_with_parents(dir, 0777) != 0) {
    vb_diag_error(r->diag, vb_span_none(), "cannot create folder '%s': %s", dir,
                  strerror(errno));
    rc = -1;
  }
  g_free(dir);
  return rc;
}

static const char *page_suffix_name(const char *path, unsigned page, unsigned npages,
                                    GString *buf) {
  if (npages <= 1) {
    g_string_assign(buf, path);
    return buf->str;
  }
  char *name = numbered(path, page);
  g_string_assign(buf, name);
  g_free(name);
  return buf->str;
}

/* Writes pages to a new file (or one file a page for PNG); queues it for commit. */
static int write_document(run *r, const char *path, vb_dlist **pages, size_t npages) {
  GString *name = g_string_new(NULL);
  unsigned per_file =
      (vb_backend_format_caps(r->cls, r->cfg->format) & VB_CAP_ONE_PAGE) ? 1 : (unsigned)npages;
  for (size_t first = 0; first < npages; first += per_file) {
    const char *p = per_file == 1 && npages > 1
                        ? page_suffix_name(path, (unsigned)first + 1, (unsigned)npages, name)
                        : path;
    vb_outfile *f = vb_outfile_open(p, r->diag);
    if (!f) {
      g_string_free(name, TRUE);
      return -1;
    }
    hashing_out h = {f, r->cfg->manifest ? g_checksum_new(G_CHECKSUM_SHA256) : NULL};
    vb_output out = {write_hashing, &h};
    vb_backend *b = vb_backend_open(r->cls, &r->bopts, out, r->diag);
    int rc = b ? VB_OK : VB_EIO;
    for (size_t i = first; rc == VB_OK && i < first + per_file && i < npages; i++)
      rc = vb_backend_run_page(b, pages[i]);
    if (b) {
      int crc = vb_backend_close(b);
      if (rc == VB_OK) rc = crc;
      vb_backend_free(b);
    }
    if (rc == VB_OK) rc = vb_outfile_finish(f);
    if (rc != VB_OK) {
      vb_outfile_abort(f);
      if (h.sha) g_checksum_free(h.sha);
      g_string_free(name, TRUE);
      return -1;
    }
    pending pd = {f, g_strdup(r->current_input), g_strdup(p), per_file, h.sha, NULL};
    g_array_append_val(r->pend, pd);
  }
  g_string_free(name, TRUE);
  return 0;
}

static vb_layout *get_layout(run *r, const char *name) {
  vb_layout *l = g_hash_table_lookup(r->layouts, name);
  if (l) return l;
  char *path = vb_layout_resolve(name, (const char *const *)r->layout_dirs->pdata);
  if (!path) {
    vb_diag_error(r->diag, vb_span_none(),
                  "no layout '%s' (see 'vanban layouts'; a file name needs a '/' or '.yaml')",
                  name);
    r->layout_error = 1;
    return NULL;
  }
  l = vb_layout_load(r->sources, path, r->ts, r->diag);
  free(path);
  if (!l) {
    r->layout_error = 1;
    return NULL;
  }
  g_hash_table_insert(r->layouts, g_strdup(name), l);
  return l;
}

static const char *default_layout(const run *r, const vb_scope *s) {
  if (!strcmp(r->cfg->command, "minutes"))
    return s && s->kind && !strcmp(s->kind, "party") ? "bien-ban-dang" : "bien-ban";
  return s && s->kind && !strcmp(s->kind, "party") ? "giay-khen-dang" : "giay-khen";
}

static void set_info(run *r, const vb_scope *s) {
  if (r->bopts.title || !s) return;
  const vb_value *org = vb_scope_lookup(s, "org.name");
  const vb_value *title = vb_scope_lookup(s, "award.title");
  const vb_value *ev = vb_scope_lookup(s, "event.title");
  bool minutes = !strcmp(r->cfg->command, "minutes");
  r->bopts.title = g_strdup_printf("%s%s%s", minutes ? "Biên bản" : "Giấy khen",
                                   title || ev ? " - " : "",
                                   vb_value_str(minutes ? ev : title ? title : ev)
                                       ? vb_value_str(minutes ? ev : title ? title : ev)
                                       : "");
  r->bopts.author = g_strdup(vb_value_str(org) ? vb_value_str(org) : "");
  r->bopts.subject = g_strdup(vb_value_str(ev) ? vb_value_str(ev) : "");
}

static int open_single(run *r) {
  r->out = vb_outfile_open(r->cfg->output, r->diag);
  if (!r->out) return -1;
  static hashing_out h;
  h.f = r->out;
  h.sha = r->sha = r->cfg->manifest ? g_checksum_new(G_CHECKSUM_SHA256) : NULL;
  vb_output out = {write_hashing, &h};
  r->backend = vb_backend_open(r->cls, &r->bopts, out, r->diag);
  return r->backend ? 0 : -1;
}

static void emit_pages(run *r, const vb_scope *s, unsigned stt, vb_dlist **pages, size_t n) {
  const vb_config *cfg = r->cfg;
  if (!strcmp(cfg->command, "check")) return;
  if (is_pattern(cfg->output)) {
    char *path = r->fixed_names ? g_strdup(r->fixed_names[stt - 1])
                                : unique_name(r, expand_pattern(cfg->output, stt, r->width, s));
    if (make_parent_dirs(r, path) != 0 || write_document(r, path, pages, n) != 0) r->fatal = true;
    g_free(path);
  } else if (vb_backend_format_caps(r->cls, cfg->format) & VB_CAP_ONE_PAGE) {
    if (!strcmp(cfg->output, "-") && r->pages + n > 1) {
      /* page names get -1, -2...: '-' would become files named '--1' */
      vb_diag_error(r->diag, vb_span_none(),
                    "%s output to '-' holds one page; use -o NAME.%s for more pages",
                    vb_format_name(cfg->format), vb_format_name(cfg->format));
      r->fatal = true;
      return;
    }
    GString *name = g_string_new(NULL);
    for (size_t i = 0; i < n && !r->fatal; i++) {
      r->pages++;
      char *p = g_strdup(!strcmp(cfg->output, "-") ? "-"
                                                   : page_suffix_name(cfg->output, r->pages, 2, name));
      if (write_document(r, p, pages + i, 1) != 0) r->fatal = true;
      g_free(p);
      r->pages--;
    }
    g_string_free(name, TRUE);
  } else {
    if (!r->backend) {
      set_info(r, s);
      if (open_single(r) != 0) {
        r->fatal = true;
        return;
      }
    }
    for (size_t i = 0; i < n && !r->fatal; i++)
      if (vb_backend_run_page(r->backend, pages[i]) != VB_OK) r->fatal = true;
  }
  if (!r->fatal) r->pages += (unsigned)n;
}

static void write_manifest(run *r) {
  if (!r->cfg->manifest) return;
  vb_outfile *f = vb_outfile_open(r->cfg->manifest, r->diag);
  if (!f) {
    r->fatal = true;
    return;
  }
  GString *g = g_string_new(NULL);
  if (r->pend->len == 0 && r->out) {
    g_string_append_printf(g, "{\"input\":\"%s\",\"output\":\"%s\",\"pages\":%u,\"sha256\":\"%s\"}\n",
                           r->cfg->nfiles ? r->cfg->files[0] : "", r->cfg->output, r->pages,
                           r->sha ? g_checksum_get_string(r->sha) : "");
  }
  for (guint i = 0; i < r->pend->len; i++) {
    pending *p = &g_array_index(r->pend, pending, i);
    char *in = g_strescape(p->input ? p->input : "", NULL);
    char *out = g_strescape(p->path, NULL);
    g_string_append_printf(g, "{\"input\":\"%s\",\"output\":\"%s\",\"pages\":%u,\"sha256\":\"%s\"}\n",
                           in, out, p->pages,
                           p->sha ? g_checksum_get_string(p->sha) : p->sha_hex ? p->sha_hex : "");
    g_free(in);
    g_free(out);
  }
  if (vb_outfile_write(f, g->str, g->len) != 0 || vb_outfile_finish(f) != VB_OK ||
      vb_outfile_commit(f) != VB_OK)
    r->fatal = true;
  else
    f = NULL;
  vb_outfile_abort(f);
  g_string_free(g, TRUE);
}

/* Commits every output, or removes them all. */
static void finish_outputs(run *r, bool keep) {
  if (r->backend) {
    int rc = vb_backend_close(r->backend);
    vb_backend_free(r->backend);
    r->backend = NULL;
    if (rc != VB_OK) keep = false, r->fatal = true;
    if (keep && vb_outfile_finish(r->out) != VB_OK) keep = false, r->fatal = true;
  }
  if (keep && r->cfg->manifest) {
    write_manifest(r);
    if (r->fatal) keep = false;
  }
  if (r->out) {
    if (keep && vb_outfile_commit(r->out) != VB_OK) keep = false, r->fatal = true;
    else if (!keep) vb_outfile_abort(r->out);
    r->out = NULL;
  }
  for (guint i = 0; i < r->pend->len; i++) {
    pending *p = &g_array_index(r->pend, pending, i);
    if (!p->file)
      ;
    else if (keep && vb_outfile_commit(p->file) != VB_OK)
      keep = false, r->fatal = true;
    else if (!keep)
      vb_outfile_abort(p->file);
    g_free(p->sha_hex);
    g_free(p->input);
    g_free(p->path);
    if (p->sha) g_checksum_free(p->sha);
  }
  g_array_set_size(r->pend, 0);
  if (r->sha) g_checksum_free(r->sha);
  r->sha = NULL;
}

/* Orders "giay-khen.yaml" before "giay-khen-dang.yaml" (by name without ".yaml"). */
static gint compare_stems(gconstpointer a, gconstpointer b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  size_t nx = strlen(x) - 5, ny = strlen(y) - 5, n = nx < ny ? nx : ny;
  int c = memcmp(x, y, n);
  return c ? c : (nx > ny) - (nx < ny);
}

static int list_layouts(run *r) {
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i + 1 < r->layout_dirs->len; i++) {
    const char *dir = g_ptr_array_index(r->layout_dirs, i);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d) continue;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *e;
    while ((e = g_dir_read_name(d)))
      if (g_str_has_suffix(e, ".yaml")) g_ptr_array_add(names, g_strdup(e));
    g_dir_close(d);
    g_ptr_array_sort(names, compare_stems);
    for (guint k = 0; k < names->len; k++) {
      char *name = g_strndup(g_ptr_array_index(names, k), strlen(g_ptr_array_index(names, k)) - 5);
      if (g_hash_table_contains(seen, name)) {
        g_free(name);
        continue;
      }
      char *path = g_build_filename(dir, (char *)g_ptr_array_index(names, k), NULL);
      vb_layout *l = vb_layout_load(r->sources, path, r->ts, r->diag);
      printf("%-18s %-12s %s%s%s\n", name, l ? vb_layout_document(l) : "(invalid)", path,
             l && *vb_layout_description(l) ? "  " : "", l ? vb_layout_description(l) : "");
      if (!l) r->layout_error = 1;
      vb_layout_free(l);
      g_free(path);
      g_hash_table_add(seen, name);
    }
    g_ptr_array_free(names, TRUE);
  }
  g_hash_table_destroy(seen);
  return r->layout_error ? EXIT_LAYOUT : 0;
}

/* Renders every record (of this shard, and of this worker with --jobs) and
 * emits its pages. Returns the number of records that failed to lay out. */
static size_t render_loop(run *r, GPtrArray *recs, size_t total, const vb_layout_opts *lopts) {
  vb_config *cfg = r->cfg;
  size_t failed = 0;
  unsigned stt = 0, ordinal = 0;
  bool tty = !cfg->quiet && isatty(2) && !r->fixed_names;
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
      if (cfg->shard_n && (stt - 1) % cfg->shard_n != cfg->shard_k - 1) continue;
      if (r->fixed_names) {
        /* a worker: only its share of the records that passed the pre-pass */
        if (!r->fixed_names[stt - 1] || ordinal++ % r->jobs != r->job) continue;
      }
      const vb_scope *s = vb_records_get(rc, k);
      if (s->failed) {
        if (cfg->fail_fast) r->fatal = true;
        continue;
      }
      vb_layout *l = get_layout(r, cfg->layout ? cfg->layout : default_layout(r, s));
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
        if (cfg->fail_fast) r->fatal = true;
        continue;
      }
      emit_pages(r, s, stt, pages, n);
      for (size_t p = 0; p < n; p++) vb_dlist_free(pages[p]);
      g_free(pages);
    }
  }
  if (shown) fputs("\r\033[K", stderr);
  return failed;
}

static gint compare_pending(gconstpointer a, gconstpointer b) {
  return strcmp(((const pending *)a)->path, ((const pending *)b)->path);
}

/* --jobs N: the records are shared out among N worker processes, each writing
 * its documents to temporaries beside their targets; the parent then commits
 * them all, or removes them all. Output names are fixed before the workers
 * start, so they are the same whatever N is. */
static int run_jobs(run *r, GPtrArray *recs, size_t total) {
  vb_config *cfg = r->cfg;
  if (!is_pattern(cfg->output) || (r->cls->caps & VB_CAP_ONE_PAGE)) {
    usage_error("--jobs needs one PDF per document: -o with {stt}, {ten} or {id}");
    return EXIT_USAGE;
  }
  char **names = g_new0(char *, total + 1);
  unsigned stt = 0, good = 0;
  size_t failed = 0;
  bool stop = false;
  for (guint i = 0; i < recs->len && !stop; i++) {
    vb_records *rc = g_ptr_array_index(recs, i);
    for (size_t k = 0; k < vb_records_count(rc) && !stop; k++) {
      stt++;
      if (cfg->shard_n && (stt - 1) % cfg->shard_n != cfg->shard_k - 1) continue;
      const vb_scope *s = vb_records_get(rc, k);
      if (s->failed) {
        stop = cfg->fail_fast;
        continue;
      }
      names[stt - 1] = unique_name(r, expand_pattern(cfg->output, stt, r->width, s));
      good++;
    }
  }
  for (guint i = 0; i < recs->len; i++) failed += vb_records_failed(g_ptr_array_index(recs, i));
  unsigned jobs = cfg->jobs < good ? cfg->jobs : good;
  GPtrArray *results = g_ptr_array_new_with_free_func(g_free);
  GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y};
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
    pid_t pid = fork();
    if (pid < 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot start a worker: %s", strerror(errno));
      r->fatal = true;
      break;
    }
    if (pid == 0) {
      /* the worker: render its share, list what it wrote, leave the commit */
      r->job = j;
      size_t f = render_loop(r, recs, total, &lopts);
      FILE *out = fopen(path, "w");
      if (!out) _exit(3);
      for (guint i = 0; i < r->pend->len; i++) {
        pending *p = &g_array_index(r->pend, pending, i);
        const char *tmp = vb_outfile_temp_path(p->file);
        fprintf(out, "F\x1f%s\x1f%s\x1f%s\x1f%u\x1f%s\n", tmp ? tmp : "",
                vb_outfile_target(p->file) ? vb_outfile_target(p->file) : p->path, p->path,
                p->pages, p->sha ? g_checksum_get_string(p->sha) : "");
        fprintf(out, "I\x1f%s\n", p->input ? p->input : "");
      }
      fprintf(out, "S\x1f%u\x1f%zu\x1f%d\n", r->pages, f, r->fatal ? 1 : 0);
      _exit(fclose(out) == 0 ? 0 : 3);
    }
    g_array_append_val(pids, pid);
  }
  bool ok = !r->fatal && !stop;
  for (guint j = 0; j < pids->len; j++) {
    int status = 0;
    if (waitpid(g_array_index(pids, pid_t, j), &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      vb_diag_error(r->diag, vb_span_none(), "worker %u of %u stopped abnormally", j + 1, jobs);
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
      pending *last = NULL;
      for (char **ln = lines; *ln && **ln; ln++) {
        char **f = g_strsplit(*ln, "\x1f", -1);
        guint nf = g_strv_length(f);
        if (f[0][0] == 'F' && nf == 6) {
          if (*f[1]) {
            g_ptr_array_add(temps, g_strdup(f[1]));
            g_ptr_array_add(targets, g_strdup(f[2]));
          }
          pending pd = {NULL, NULL, g_strdup(f[3]), (unsigned)atoi(f[4]), NULL, g_strdup(f[5])};
          g_array_append_val(r->pend, pd);
          last = &g_array_index(r->pend, pending, r->pend->len - 1);
        } else if (f[0][0] == 'I' && nf == 2 && last) {
          last->input = g_strdup(f[1]);
        } else if (f[0][0] == 'S' && nf == 4) {
          r->pages += (unsigned)atoi(f[1]);
          failed += (size_t)atol(f[2]);
          if (atoi(f[3])) ok = false;
          summary = true;
        }
        g_strfreev(f);
      }
      g_strfreev(lines);
      g_free(text);
    }
    if (!summary) ok = false;
    remove(g_ptr_array_index(results, j));
  }
  if (cfg->fail_fast && failed) ok = false;
  for (guint i = 0; i < temps->len; i++) {
    const char *tmp = g_ptr_array_index(temps, i);
    if (ok && rename(tmp, g_ptr_array_index(targets, i)) != 0) {
      vb_diag_error(r->diag, vb_span_none(), "cannot create '%s': %s",
                    (char *)g_ptr_array_index(targets, i), strerror(errno));
      ok = false;
    }
    if (!ok) remove(tmp);
  }
  if (!ok && !r->fatal && !(cfg->fail_fast && failed)) r->fatal = true;
  if (!ok) r->pages = 0;
  if (ok && cfg->manifest) {
    g_array_sort(r->pend, compare_pending); /* the order of a run without --jobs */
    write_manifest(r);
  }
  finish_outputs(r, false); /* frees the list; every file is already where it goes */
  r->fixed_names = NULL;
  for (size_t i = 0; i < total; i++) g_free(names[i]);
  g_free(names);
  g_ptr_array_free(temps, TRUE);
  g_ptr_array_free(targets, TRUE);
  g_ptr_array_free(results, TRUE);
  g_array_free(pids, TRUE);
  r->docs_failed = (unsigned)failed;
  if (cfg->fail_fast && failed) return EXIT_RECORDS;
  if (r->fatal || !ok) return EXIT_USAGE;
  return failed ? EXIT_RECORDS : 0;
}

static int run_documents(run *r) {
  vb_config *cfg = r->cfg;
  bool check = !strcmp(cfg->command, "check");
  vb_layout_opts lopts = {cfg->paper, cfg->offset_x, cfg->offset_y};

  if (cfg->calibrate) {
    vb_layout *l = get_layout(r, cfg->layout ? cfg->layout : "giay-khen-phoi");
    if (!l) return EXIT_LAYOUT;
    vb_dlist *page = vb_layout_calibrate(l, r->ts, &lopts, r->diag);
    r->current_input = NULL;
    emit_pages(r, NULL, 1, &page, 1);
    vb_dlist_free(page);
    finish_outputs(r, !r->fatal);
    return r->fatal ? EXIT_USAGE : 0;
  }
  if (cfg->nfiles == 0) {
    usage_error("'%s' needs at least one input file", cfg->command);
    return EXIT_USAGE;
  }
  vb_records_opts ropts = {!strcmp(cfg->command, "minutes") ? VB_DOC_MINUTES
                                                            : VB_DOC_CERTIFICATES,
                           cfg->encoding, cfg->org_file, NULL};
  /* load everything first: {stt} is padded to the batch's width */
  GPtrArray *recs = g_ptr_array_new_with_free_func((GDestroyNotify)vb_records_free);
  size_t total = 0, failed = 0;
  if (cfg->layout) {
    vb_layout *l = get_layout(r, cfg->layout);
    if (!l) {
      g_ptr_array_free(recs, TRUE);
      return EXIT_LAYOUT;
    }
    ropts.forms = vb_layout_forms(l);
  }
  for (int i = 0; i < cfg->nfiles; i++) {
    vb_records *rc = vb_records_load(r->sources, cfg->files[i], &ropts, r->diag);
    if (!rc) {
      g_ptr_array_free(recs, TRUE);
      return EXIT_USAGE;
    }
    total += vb_records_count(rc);
    g_ptr_array_add(recs, rc);
  }
  size_t load_failed = 0;
  for (guint i = 0; i < recs->len; i++) load_failed += vb_records_failed(g_ptr_array_index(recs, i));
  if (load_failed && cfg->fail_fast) {
    r->docs_failed = (unsigned)load_failed;
    g_ptr_array_free(recs, TRUE);
    return EXIT_RECORDS;
  }
  unsigned width = 1;
  for (size_t t = total; t >= 10; t /= 10) width++;
  r->width = width;
  if (cfg->jobs > 1 && !check) {
    int st = run_jobs(r, recs, total);
    g_ptr_array_free(recs, TRUE);
    return st;
  }
  size_t failed_render = render_loop(r, recs, total, &lopts);
  failed += failed_render;
  /* render failures, plus what the records found at load and while building */
  for (guint i = 0; i < recs->len; i++) failed += vb_records_failed(g_ptr_array_index(recs, i));
  r->docs_failed = (unsigned)failed;
  bool keep = !r->fatal && !check && r->pages > 0;
  if (r->pages == 0 && !r->fatal && !check && !failed)
    vb_diag_warn(r->diag, vb_span_none(), "no documents to write (no award with recipients?)");
  finish_outputs(r, keep);
  g_ptr_array_free(recs, TRUE);
  if (r->layout_error) return EXIT_LAYOUT;
  if (r->fatal) return failed && cfg->fail_fast ? EXIT_RECORDS : EXIT_USAGE;
  return failed ? EXIT_RECORDS : 0;
}

static void layouts_free(gpointer l) { vb_layout_free(l); }

int main(int argc, char **argv) {
  /* a page's memory is freed and taken again for the next: keep it rather than
   * handing it back to the system and faulting it in again every page */
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
  if (argc < 2) {
    usage_error("missing command (certificates, minutes, bulletin, check or layouts)");
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    print_help(NULL);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    print_version();
    return 0;
  }
  if (strcmp(cmd, "certificates") && strcmp(cmd, "minutes") && strcmp(cmd, "check") &&
      strcmp(cmd, "layouts") && strcmp(cmd, "bulletin")) {
    if (cmd[0] == '-')
      usage_error("unknown option '%s' (a command comes first: certificates, minutes, ...)", cmd);
    else
      usage_error("unknown command '%s' (expected certificates, minutes, bulletin, check or layouts)",
                  cmd);
    return EXIT_USAGE;
  }
  vb_config cfg;
  int st = parse_args(argc, argv, &cfg);
  if (st >= 0) return st;
  cfg.command = cmd;
  if (!strcmp(cmd, "bulletin")) {
    usage_error("'bulletin' is not available in this version yet");
    return EXIT_USAGE;
  }
  if (cfg.input_format && !strcmp(cfg.input_format, "csv") && !cfg.org_file) {
    usage_error("CSV input needs --org ORG.yaml");
    return EXIT_USAGE;
  }

  run r;
  memset(&r, 0, sizeof r);
  r.cfg = &cfg;
  r.sources = vb_sources_new();
  r.diag = vb_diag_new(r.sources, stderr);
  vb_diag_set_quiet(r.diag, cfg.quiet);
  r.res = vb_resources_new();
  r.pend = g_array_new(FALSE, TRUE, sizeof(pending));
  r.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  r.layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, layouts_free);
  r.layout_dirs = data_dirs(&cfg, "layouts", cfg.layouts_dir);
  GPtrArray *font_dirs = data_dirs(&cfg, "fonts", cfg.fonts_dir);
  int status = 0;
  if (cfg.fonts_dir && !g_file_test(cfg.fonts_dir, G_FILE_TEST_IS_DIR)) {
    usage_error("--fonts: '%s' is not a folder", cfg.fonts_dir);
    status = EXIT_USAGE;
    goto out;
  }
  {
    /* the first font folder that exists (plus --fonts) */
    const char *use[3] = {NULL, NULL, NULL};
    size_t nu = 0;
    for (guint i = 0; i + 1 < font_dirs->len && nu < 2; i++) {
      const char *d = g_ptr_array_index(font_dirs, i);
      if (!g_file_test(d, G_FILE_TEST_IS_DIR)) continue;
      if (cfg.fonts_dir && i == 0) {
        use[nu++] = d;
        continue;
      }
      use[nu++] = d;
      break;
    }
    r.ts = vb_typesetter_new(use, r.res, r.diag);
  }
  if (!r.ts) {
    status = EXIT_USAGE;
    goto out;
  }
  if (!strcmp(cmd, "layouts")) {
    status = list_layouts(&r);
    goto out;
  }
  if (!cfg.output) cfg.output = !strcmp(cmd, "minutes") ? "bien-ban.pdf" : "giay-khen.pdf";
  if (!cfg.format_set && !cfg.backend) {
    /* the format from the output name */
    if (g_str_has_suffix(cfg.output, ".png")) cfg.format = VB_FORMAT_PNG;
    else if (g_str_has_suffix(cfg.output, ".trace")) cfg.format = VB_FORMAT_TRACE;
  }
  r.cls = cfg.backend ? vb_backend_find(cfg.backend) : vb_backend_for_format(cfg.format);
  if (cfg.backend && !strcmp(cfg.backend, "trace")) cfg.format = VB_FORMAT_TRACE;
  if (!(r.cls->formats & (1u << cfg.format))) {
    usage_error("backend '%s' cannot write this format", r.cls->name);
    status = EXIT_USAGE;
    goto out;
  }
  r.bopts.format = cfg.format;
  r.bopts.res = r.res;
  r.bopts.sources = r.sources;
  r.bopts.creator = "vanban " VB_VERSION;
  r.bopts.date = cfg.date;
  r.bopts.dpi = 150;
  status = run_documents(&r);
  unsigned written = r.fatal ? 0 : r.pages;
  if (!cfg.quiet && strcmp(cmd, "check"))
    fprintf(stderr, "vanban: %u page%s written, %u record%s failed\n", written,
            written == 1 ? "" : "s", r.docs_failed, r.docs_failed == 1 ? "" : "s");
  else if (!cfg.quiet)
    fprintf(stderr, "vanban: %u record%s failed\n", r.docs_failed, r.docs_failed == 1 ? "" : "s");
out:
  g_free((char *)r.bopts.title);
  g_free((char *)r.bopts.author);
  g_free((char *)r.bopts.subject);
  g_hash_table_destroy(r.layouts);
  vb_typesetter_free(r.ts);
  g_ptr_array_free(r.layout_dirs, TRUE);
  g_ptr_array_free(font_dirs, TRUE);
  g_array_free(r.pend, TRUE);
  g_hash_table_destroy(r.names);
  vb_resources_free(r.res);
  vb_diag_free(r.diag);
  vb_sources_free(r.sources);
  return status;
}
