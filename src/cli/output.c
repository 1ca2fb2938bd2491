/* output.c - cli stage: output naming and writing: -o patterns ({stt} {ten} {id}),
 * unique names, one file per document or per page, the single output, atomic
 * commit of everything at the end (base/outfile.c), and the --manifest. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct hashing_out {
  vb_outfile *f;
  GChecksum *sha;
} hashing_out;

static int write_hashing(void *ctx, const void *data, size_t len) {
  hashing_out *h = ctx;
  if (h->sha)
    g_checksum_update(h->sha, data, (gssize)len);
  return vb_outfile_write(h->f, data, len);
}

/* ---- an output never replaces an input: every file the run read (the record
 * files, --org, layouts, CSV lists, images, fonts, --password-file) is compared
 * with every file it is about to write by device and inode, so another path, a
 * hard link or a symbolic link to an input is caught too. */
typedef struct input_id {
  dev_t dev;
  ino_t ino;
  const char *name; /* borrowed from the run */
} input_id;

static void add_input(GArray *ids, const char *path) {
  struct stat st;
  if (!path || !strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return;
  input_id id = {st.st_dev, st.st_ino, path};
  g_array_append_val(ids, id);
}

/* The input files known before anything is read: the command line's. */
static void add_named_inputs(const vb_run *r, GArray *ids) {
  const vb_config *cfg = r->cfg;
  for (int i = 0; i < cfg->nfiles; i++)
    add_input(ids, cfg->files[i]);
  add_input(ids, cfg->org_file);
  add_input(ids, cfg->password_file);
  if (cfg->layout && (strchr(cfg->layout, '/') || g_str_has_suffix(cfg->layout, ".yaml")))
    add_input(ids, cfg->layout);
}

/* Every input of the run so far: the named ones, every source text read
 * (records, CSV lists, layouts) and every image and font drawn. */
static GArray *run_inputs(const vb_run *r) {
  GArray *ids = g_array_new(FALSE, FALSE, sizeof(input_id));
  add_named_inputs(r, ids);
  for (uint32_t s = 1; s < vb_sources_count(r->sources); s++)
    add_input(ids, vb_sources_name(r->sources, s));
  for (uint32_t i = 0; i < vb_resources_image_count(r->res); i++)
    add_input(ids, vb_resources_image(r->res, i)->file);
  for (uint32_t i = 0; i < vb_resources_refused_count(r->res); i++)
    add_input(ids, vb_resources_refused(r->res, i));
  for (uint32_t i = 0; i < vb_resources_font_count(r->res); i++)
    add_input(ids, vb_resources_font(r->res, i)->file);
  return ids;
}

/* The input `path` is (the same file), or NULL. */
static const char *input_named(const GArray *ids, const char *path) {
  struct stat st;
  if (!path || !strcmp(path, "-") || stat(path, &st) != 0)
    return NULL;
  for (guint i = 0; i < ids->len; i++) {
    const input_id *id = &g_array_index(ids, input_id, i);
    if (id->dev == st.st_dev && id->ino == st.st_ino)
      return id->name;
  }
  return NULL;
}

/* A name for the file `path` is or will be, the same whatever path leads to it:
 * the real path of an existing file, else its folder's real path and its name. */
static char *path_key(const char *path) {
  char buf[PATH_MAX];
  if (realpath(path, buf))
    return g_strdup(buf);
  char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
  char *key = realpath(dir, buf) ? g_build_filename(buf, base, NULL)
                                 : g_canonicalize_filename(path, NULL);
  g_free(dir);
  g_free(base);
  return key;
}

static bool same_path(const char *a, const char *b) {
  char *ka = path_key(a), *kb = path_key(b);
  bool same = !strcmp(ka, kb);
  g_free(ka);
  g_free(kb);
  return same;
}

/* The journal could not be read back: nothing is committed. */
static int read_error(vb_run *r) {
  vb_diag_error(r->diag, vb_span_none(), "cannot read the list of files written ('%s'): %s",
                vb_journal_path(r->journal), strerror(errno));
  return -1;
}

static void report_input(vb_run *r, const char *what, const char *path, const char *input) {
  if (!strcmp(path, input))
    vb_diag_error(r->diag, vb_span_none(),
                  "%s '%s' is an input file: writing it would replace the input "
                  "(choose another name)",
                  what, path);
  else
    vb_diag_error(r->diag, vb_span_none(),
                  "%s '%s' is the input file '%s' (the same file by another path): writing "
                  "it would replace the input (choose another name)",
                  what, path, input);
}

typedef struct clash_ctx {
  const char *manifest;
  char *clash;
} clash_ctx;

static int manifest_is_output(const vb_journal_entry *e, void *ctx) {
  clash_ctx *c = ctx;
  if (!same_path(c->manifest, e->path))
    return 0;
  c->clash = g_strdup(e->path);
  return 1;
}

/* The --manifest file is neither an input nor one of the outputs. */
static int check_manifest(vb_run *r, const GArray *ids) {
  const char *m = r->cfg->manifest;
  if (!m)
    return 0;
  const char *in = input_named(ids, m);
  if (in) {
    report_input(r, "--manifest", m, in);
    return -1;
  }
  clash_ctx c = {m, NULL};
  if (!vb_outputs_is_pattern(r->cfg->output) && strcmp(r->cfg->output, "-") &&
      same_path(m, r->cfg->output))
    c.clash = g_strdup(r->cfg->output);
  if (!c.clash && vb_journal_each(r->journal, manifest_is_output, &c) < 0)
    return read_error(r);
  if (c.clash) {
    vb_diag_error(r->diag, vb_span_none(),
                  "--manifest '%s' is also the output '%s': the manifest needs a file of "
                  "its own",
                  m, c.clash);
    g_free(c.clash);
    return -1;
  }
  return 0;
}

typedef struct inputs_ctx {
  vb_run *r;
  const GArray *ids;
} inputs_ctx;

static int output_is_input(const vb_journal_entry *e, void *ctx) {
  inputs_ctx *c = ctx;
  const char *in = input_named(c->ids, e->path);
  if (!in)
    return 0;
  report_input(c->r, "the output", e->path, in);
  return 1;
}

int vb_outputs_check_inputs(vb_run *r) {
  GArray *ids = run_inputs(r);
  int rc = 0;
  const char *in;
  if (r->out && (in = input_named(ids, r->cfg->output))) {
    report_input(r, "the output", r->cfg->output, in);
    rc = -1;
  }
  if (rc == 0) {
    inputs_ctx c = {r, ids};
    int e = vb_journal_each(r->journal, output_is_input, &c);
    rc = e < 0 ? read_error(r) : e ? -1 : 0;
  }
  if (rc == 0)
    rc = check_manifest(r, ids);
  g_array_free(ids, TRUE);
  if (rc)
    r->fatal = true;
  return rc;
}

/* Before anything is read: -o and --manifest against the files the command line
 * names (the rest is checked again before the commit). */
static int precheck_outputs(vb_run *r) {
  const vb_config *cfg = r->cfg;
  if (!strcmp(cfg->command, "check"))
    return 0;
  GArray *ids = g_array_new(FALSE, FALSE, sizeof(input_id));
  add_named_inputs(r, ids);
  int rc = 0;
  const char *in;
  if (!vb_outputs_is_pattern(cfg->output) && (in = input_named(ids, cfg->output))) {
    report_input(r, "the output", cfg->output, in);
    rc = -1;
  }
  if (rc == 0)
    rc = check_manifest(r, ids);
  g_array_free(ids, TRUE);
  return rc;
}

bool vb_outputs_is_pattern(const char *out) {
  return out && (strstr(out, "{stt}") || strstr(out, "{ten}") || strstr(out, "{id}"));
}

char *vb_outputs_expand(const char *pat, unsigned stt, unsigned width, const vb_scope *s) {
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
  if (dot && slash && dot < slash)
    dot = NULL;
  size_t stem = dot ? (size_t)(dot - path) : strlen(path);
  return g_strdup_printf("%.*s-%u%s", (int)stem, path, n, dot ? dot : "");
}

/* Whether the pattern gives every record a name of its own: {stt} (the record's number,
 * always `width` digits) with nothing but literal text before its first occurrence or
 * after its last, so the number sits at the same place from the start or from the end
 * of every name. Then no name repeats and none needs to be remembered. */
static bool pattern_distinct(const char *pat) {
  const char *first = strstr(pat, "{stt}");
  if (!first)
    return false;
  const char *last = first;
  for (const char *p; (p = strstr(last + 1, "{stt}"));)
    last = p;
  bool before = false, after = false;
  static const char *const marks[] = {"{stt}", "{ten}", "{id}"};
  for (size_t i = 0; i < 3; i++) {
    for (const char *p = strstr(pat, marks[i]); p; p = strstr(p + 1, marks[i])) {
      if (p < first)
        before = true;
      if (p > last)
        after = true;
    }
  }
  return !before || !after;
}

/* Makes `path` unique among this run's outputs: name.pdf, name-2.pdf, ... */
char *vb_outputs_unique(vb_run *r, char *path) {
  if (r->names_distinct)
    return path;
  if (!r->names)
    r->names = vb_nameset_new(r->diag);
  int added = vb_nameset_add(r->names, path);
  if (added != 0) {
    if (added < 0) {
      g_free(path);
      return NULL;
    }
    return path;
  }
  for (unsigned i = 2;; i++) {
    char *cand = numbered(path, i);
    added = vb_nameset_add(r->names, cand);
    if (added != 0) {
      g_free(path);
      if (added < 0) {
        g_free(cand);
        return NULL;
      }
      return cand;
    }
    g_free(cand);
  }
}

/* Creates the folders missing on the way to `path`, remembering each one made so that
 * a run that writes nothing leaves none behind. */
static int make_parent_dirs(vb_run *r, const char *path) {
  char *dir = g_path_get_dirname(path);
  GPtrArray *missing = g_ptr_array_new_with_free_func(g_free);
  for (char *d = g_strdup(dir); d;) {
    if (!strcmp(d, ".") || !strcmp(d, "/") || g_file_test(d, G_FILE_TEST_EXISTS)) {
      g_free(d);
      break;
    }
    g_ptr_array_insert(missing, 0, d);
    char *up = g_path_get_dirname(d);
    d = strcmp(up, d) ? up : (g_free(up), NULL);
  }
  int rc = 0;
  for (guint i = 0; i < missing->len && rc == 0; i++) {
    const char *d = g_ptr_array_index(missing, i);
    if (mkdir(d, 0777) != 0) {
      if (errno == EEXIST && g_file_test(d, G_FILE_TEST_IS_DIR))
        continue; /* made meanwhile (another worker) */
      vb_diag_error(r->diag, vb_span_none(), "cannot create folder '%s': %s", d,
                    strerror(errno));
      rc = -1;
    } else {
      if (!r->made_dirs)
        r->made_dirs = g_ptr_array_new_with_free_func(g_free);
      g_ptr_array_add(r->made_dirs, g_strdup(d));
    }
  }
  g_ptr_array_free(missing, TRUE);
  g_free(dir);
  return rc;
}

/* Longer paths first: a folder's path is longer than its parent's. */
static gint longer_first(gconstpointer a, gconstpointer b) {
  size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
  return la > lb ? -1 : la < lb;
}

/* Removes the folders made for outputs that were not written (innermost first;
 * a folder that holds anything stays). The list is sorted first: with --jobs,
 * two workers can each make a part of one path (worker 1 a/b, worker 2 a), and
 * their lists come in worker order, so a/ was tried while a/b/ still existed. */
static void remove_made_dirs(vb_run *r) {
  if (!r->made_dirs)
    return;
  g_ptr_array_sort(r->made_dirs, longer_first);
  for (guint i = 0; i < r->made_dirs->len; i++)
    (void)rmdir(g_ptr_array_index(r->made_dirs, i));
  g_ptr_array_set_size(r->made_dirs, 0);
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

static void set_info(vb_run *r, const vb_scope *s, bool per_doc);

/* Writes pages to a new file (or one file a page for PNG); queues it for commit. */
static int write_document(vb_run *r, const vb_scope *s, unsigned stt, const char *path,
                          vb_dlist **pages, size_t npages) {
  set_info(r, s, true);
  GString *name = g_string_new(NULL);
  unsigned per_file = (vb_backend_format_caps(r->cls, r->cfg->format) & VB_CAP_ONE_PAGE)
                          ? 1
                          : (unsigned)npages;
  for (size_t first = 0; first < npages; first += per_file) {
    const char *p =
        per_file == 1 && npages > 1
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
      if (rc == VB_OK)
        rc = crc;
      vb_backend_free(b);
    }
    if (rc == VB_OK)
      rc = vb_outfile_finish(f);
    if (rc != VB_OK) {
      vb_outfile_abort(f);
      if (h.sha)
        g_checksum_free(h.sha);
      g_string_free(name, TRUE);
      return -1;
    }
    /* the finished temporary goes to the journal, which the commit, the manifest
     * and a signal read, and leaves the memory */
    if (!r->journal && !(r->journal = vb_journal_new(NULL, true, r->diag))) {
      vb_outfile_abort(f);
      if (h.sha)
        g_checksum_free(h.sha);
      g_string_free(name, TRUE);
      return -1;
    }
    const char *tmp = vb_outfile_temp_path(f), *target = vb_outfile_target(f);
    vb_journal_entry e = {tmp ? tmp : "", target ? target : p, p, r->current_input,
                          h.sha ? g_checksum_get_string(h.sha) : "", stt, (unsigned)first,
                          per_file};
    int jrc = vb_journal_add(r->journal, &e);
    if (h.sha)
      g_checksum_free(h.sha);
    if (jrc != 0) {
      vb_outfile_abort(f);
      g_string_free(name, TRUE);
      return -1;
    }
    vb_outfile_release(f); /* listed in the journal now */
  }
  g_string_free(name, TRUE);
  return 0;
}

/* The form's name as a title word: "Giấy khen", "Tuyên dương". */
static char *form_word(const vb_scope *s) {
  const char *f = vb_value_str(vb_scope_lookup(s, "award.form"));
  if (!f || !*f)
    return g_strdup("Giấy khen");
  char *low = g_utf8_strdown(f, -1);
  gunichar first = g_utf8_get_char(low);
  char buf[8];
  int n = g_unichar_to_utf8(g_unichar_toupper(first), buf);
  char *out = g_strdup_printf("%.*s%s", n, buf, g_utf8_next_char(low));
  g_free(low);
  return out;
}

/* Document info from the first record (one file for all), or of this record
 * (one file per document: the title names the recipient, or the event). A
 * NULL scope keeps what the command set (bulletin, calibration sheet). */
static void set_info(vb_run *r, const vb_scope *s, bool per_doc) {
  if (!s || (r->bopts.title && !per_doc))
    return;
  g_free((char *)r->bopts.title);
  g_free((char *)r->bopts.author);
  g_free((char *)r->bopts.subject);
  const char *org = vb_value_str(vb_scope_lookup(s, "org.name"));
  const char *title = vb_value_str(vb_scope_lookup(s, "award.title"));
  const char *ev = vb_value_str(vb_scope_lookup(s, "event.title"));
  const char *who = vb_value_str(vb_scope_lookup(s, "recipient.display_name"));
  bool minutes = !strcmp(r->cfg->command, "minutes");
  GString *t = g_string_new(NULL);
  if (minutes) {
    g_string_append(t, "Biên bản");
    if (ev)
      g_string_append_printf(t, " - %s", ev);
  } else {
    char *fw = form_word(s);
    g_string_append(t, fw);
    g_free(fw);
    if (title || ev)
      g_string_append_printf(t, " - %s", title ? title : ev);
    if (per_doc && who && *who)
      g_string_append_printf(t, " - %s", who);
  }
  r->bopts.title = g_string_free(t, FALSE);
  r->bopts.author = g_strdup(org ? org : "");
  r->bopts.subject = g_strdup(ev ? ev : "");
}

static int open_single(vb_run *r) {
  r->out = vb_outfile_open(r->cfg->output, r->diag);
  if (!r->out)
    return -1;
  static hashing_out h;
  h.f = r->out;
  h.sha = r->sha = r->cfg->manifest ? g_checksum_new(G_CHECKSUM_SHA256) : NULL;
  vb_output out = {write_hashing, &h};
  r->backend = vb_backend_open(r->cls, &r->bopts, out, r->diag);
  return r->backend ? 0 : -1;
}

void vb_outputs_emit(vb_run *r, const vb_scope *s, unsigned stt, vb_dlist **pages,
                     size_t n) {
  const vb_config *cfg = r->cfg;
  if (!strcmp(cfg->command, "check"))
    return;
  if (vb_outputs_is_pattern(cfg->output)) {
    char *path =
        r->fixed_name
            ? g_strdup(r->fixed_name)
            : vb_outputs_unique(r, vb_outputs_expand(cfg->output, stt, r->width, s));
    if (!path || make_parent_dirs(r, path) != 0 ||
        write_document(r, s, stt, path, pages, n) != 0)
      r->fatal = true;
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
      char *p = g_strdup(!strcmp(cfg->output, "-")
                             ? "-"
                             : page_suffix_name(cfg->output, r->pages, 2, name));
      if (write_document(r, s, stt, p, pages + i, 1) != 0)
        r->fatal = true;
      g_free(p);
      r->pages--;
    }
    g_string_free(name, TRUE);
  } else {
    if (!r->backend) {
      set_info(r, s, false);
      if (open_single(r) != 0) {
        r->fatal = true;
        return;
      }
    }
    for (size_t i = 0; i < n && !r->fatal; i++)
      if (vb_backend_run_page(r->backend, pages[i]) != VB_OK)
        r->fatal = true;
  }
  if (!r->fatal)
    r->pages += (unsigned)n;
}

typedef struct manifest_ctx {
  vb_outfile *f;
  GString *g;
} manifest_ctx;

static int manifest_line(const vb_journal_entry *e, void *ctx) {
  manifest_ctx *c = ctx;
  char *in = g_strescape(e->input, NULL);
  char *out = g_strescape(e->path, NULL);
  g_string_printf(c->g,
                  "{\"input\":\"%s\",\"output\":\"%s\",\"pages\":%u,\"sha256\":\"%s\"}\n", in,
                  out, e->pages, e->sha);
  g_free(in);
  g_free(out);
  return vb_outfile_write(c->f, c->g->str, c->g->len) ? 1 : 0;
}

void vb_outputs_write_manifest(vb_run *r) {
  if (!r->cfg->manifest)
    return;
  GArray *ids = run_inputs(r);
  int clash = check_manifest(r, ids);
  g_array_free(ids, TRUE);
  if (clash) {
    r->fatal = true;
    return;
  }
  /* like the documents' folders: a shard may be the first to write there */
  if (make_parent_dirs(r, r->cfg->manifest) != 0) {
    r->fatal = true;
    return;
  }
  vb_outfile *f = vb_outfile_open(r->cfg->manifest, r->diag);
  if (!f) {
    r->fatal = true;
    return;
  }
  GString *g = g_string_new(NULL);
  int rc = 0;
  if (vb_journal_count(r->journal) == 0 && r->out) {
    g_string_append_printf(
        g, "{\"input\":\"%s\",\"output\":\"%s\",\"pages\":%u,\"sha256\":\"%s\"}\n",
        r->cfg->nfiles ? r->cfg->files[0] : "", r->cfg->output, r->pages,
        r->sha ? g_checksum_get_string(r->sha) : "");
    rc = vb_outfile_write(f, g->str, g->len);
  }
  /* a line per file, as the journal gives them back */
  manifest_ctx c = {f, g};
  if (rc == 0) {
    rc = vb_journal_each(r->journal, manifest_line, &c);
    if (rc < 0)
      read_error(r);
  }
  if (rc == 0 && vb_outfile_finish(f) == VB_OK) {
    if (vb_outfile_commit(f) != VB_OK) /* frees f either way */
      r->fatal = true;
  } else {
    r->fatal = true;
    vb_outfile_abort(f);
  }
  g_string_free(g, TRUE);
}

typedef struct commit_ctx {
  vb_run *r;
  bool keep;
} commit_ctx;

/* Renames one finished temporary over its target (with keep), else removes it. */
static int commit_file(const vb_journal_entry *e, void *ctx) {
  commit_ctx *c = ctx;
  if (!*e->tmp)
    return 0; /* written in place (a device, a pipe) */
  if (c->keep) {
    if (rename(e->tmp, e->target) == 0)
      return 0;
    vb_diag_error(c->r->diag, vb_span_none(), "cannot create '%s': %s", e->path,
                  strerror(errno));
    c->keep = false;
    c->r->fatal = true;
  }
  (void)unlink(e->tmp);
  return 0;
}

/* Commits every output, or removes them all. */
void vb_outputs_finish(vb_run *r, bool keep) {
  if (r->backend) {
    int rc = vb_backend_close(r->backend);
    vb_backend_free(r->backend);
    r->backend = NULL;
    if (rc != VB_OK)
      keep = false, r->fatal = true;
    if (keep && vb_outfile_finish(r->out) != VB_OK)
      keep = false, r->fatal = true;
  }
  if (keep && vb_outputs_check_inputs(r) != 0)
    keep = false;
  if (keep && r->cfg->manifest) {
    vb_outputs_write_manifest(r);
    if (r->fatal)
      keep = false;
  }
  if (r->out) {
    if (keep && vb_outfile_commit(r->out) != VB_OK)
      keep = false, r->fatal = true;
    else if (!keep)
      vb_outfile_abort(r->out);
    r->out = NULL;
  }
  if (r->journal) {
    commit_ctx c = {r, keep};
    if (vb_journal_each(r->journal, commit_file, &c) < 0) {
      read_error(r);
      c.keep = false;
      r->fatal = true;
    }
    keep = c.keep;
    vb_journal_free(r->journal);
    r->journal = NULL;
  }
  if (!keep)
    remove_made_dirs(r);
  else if (r->made_dirs)
    g_ptr_array_set_size(r->made_dirs, 0);
  if (r->sha)
    g_checksum_free(r->sha);
  r->sha = NULL;
}

int vb_outputs_setup(vb_run *r, const char *default_output) {
  vb_config *cfg = r->cfg;
  if (!cfg->output)
    cfg->output = default_output;
  if (!cfg->format_set && !cfg->backend) {
    /* the format from the output name */
    if (g_str_has_suffix(cfg->output, ".png"))
      cfg->format = VB_FORMAT_PNG;
    else if (g_str_has_suffix(cfg->output, ".trace"))
      cfg->format = VB_FORMAT_TRACE;
  }
  bool haru_only = cfg->pdfa || cfg->password || cfg->owner_password;
  if (haru_only && cfg->backend && strcmp(cfg->backend, "haru")) {
    vb_cli_usage_error("--pdfa and passwords need --backend haru, not '%s'", cfg->backend);
    return VB_EXIT_USAGE;
  }
  if (haru_only)
    cfg->backend = "haru";
  r->cls =
      cfg->backend ? vb_backend_find(cfg->backend) : vb_backend_for_format(cfg->format);
  if (cfg->backend && !strcmp(cfg->backend, "trace"))
    cfg->format = VB_FORMAT_TRACE;
  if (!(r->cls->formats & (1u << cfg->format))) {
    vb_cli_usage_error("backend '%s' cannot write this format", r->cls->name);
    return VB_EXIT_USAGE;
  }
  if (precheck_outputs(r) != 0)
    return VB_EXIT_USAGE;
  r->names_distinct = vb_outputs_is_pattern(cfg->output) && pattern_distinct(cfg->output);
  if (!strcmp(cfg->output, "-") && strcmp(cfg->command, "check") && isatty(STDOUT_FILENO)) {
    vb_cli_usage_error("-o -: standard output is a terminal (a %s file is bytes, not text); "
                       "redirect it to a file or a pipe, or give -o FILE",
                       vb_format_name(cfg->format));
    return VB_EXIT_USAGE;
  }
  r->bopts.format = cfg->format;
  r->bopts.cache = r->bcache = vb_backend_cache_new();
  r->bopts.res = r->res;
  r->bopts.sources = r->sources;
  r->bopts.creator = "vanban " VB_VERSION;
  r->bopts.date = cfg->date;
  r->bopts.dpi = 150;
  r->bopts.pdfa = cfg->pdfa;
  r->bopts.user_password =
      cfg->password ? cfg->password : cfg->owner_password ? "" : NULL;
  r->bopts.owner_password = cfg->owner_password;
  r->bopts.permissions = cfg->permissions;
  /* a backend that shows glyphs through code points gets runs without ligatures */
  vb_typesetter_set_ligatures(r->ts,
                              (vb_backend_format_caps(r->cls, cfg->format) & VB_CAP_GLYPH_IDS) != 0);
  return -1;
}
