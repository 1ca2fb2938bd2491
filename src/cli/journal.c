/* journal.c - cli stage: the bookkeeping of one file per document kept out of memory,
 * so that a run of a million files costs what a run of ten thousand does:
 *   - the journal: each finished temporary, its target, its name, its record's number,
 *     its input, pages and sha256, one line in a file (in TMPDIR) instead of the heap; the commit, the abort,
 *     the manifest and the input checks read it back in order, and on a signal
 *     outfile.c's handler removes every temporary it lists (the first field of a line);
 *   - the name set: which output names this run has given, as 64-bit fingerprints in an
 *     open-addressing table (output.c needs none when the -o pattern makes every name
 *     distinct by itself). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the journal */

struct vb_journal {
  char *path;
  int fd;
  bool listed; /* registered for the signal cleanup */
  size_t count;
  GString *line;
  vb_diag *diag;
};

vb_journal *vb_journal_new(const char *path, bool listed, vb_diag *d) {
  char *name = NULL;
  int fd;
  if (path) {
    name = g_strdup(path);
    do
      fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    while (fd < 0 && errno == EINTR);
  } else if (listed)
    fd = vb_cleanup_open_tmp("vanban-journal-XXXXXX", &name, true);
  else
    fd = g_file_open_tmp("vanban-journal-XXXXXX", &name, NULL);
  if (fd < 0) {
    vb_diag_error(d, vb_span_none(), "cannot create the list of files written ('%s'): %s",
                  name ? name : "vanban-journal-XXXXXX", strerror(errno));
    g_free(name);
    return NULL;
  }
  vb_journal *j = g_new0(vb_journal, 1);
  j->path = name;
  j->fd = fd;
  j->listed = listed;
  j->line = g_string_new(NULL);
  j->diag = d;
  if (listed && path)
    vb_cleanup_add_list(name); /* a new temporary is listed as it is made */
  return j;
}

const char *vb_journal_path(const vb_journal *j) { return j->path; }
size_t vb_journal_count(const vb_journal *j) { return j ? j->count : 0; }

/* A field with its line break, unit separator and backslash escaped (outfile.c's
 * signal handler reads the first field back the same way). */
static void put_field(GString *g, const char *s) {
  for (; s && *s; s++) {
    if (*s == '\\')
      g_string_append(g, "\\\\");
    else if (*s == '\n')
      g_string_append(g, "\\n");
    else if (*s == '\x1f')
      g_string_append(g, "\\u");
    else
      g_string_append_c(g, *s);
  }
}

int vb_journal_add(vb_journal *j, const vb_journal_entry *e) {
  GString *g = j->line;
  g_string_truncate(g, 0);
  put_field(g, e->tmp);
  g_string_append_c(g, '\x1f');
  put_field(g, e->target);
  g_string_append_c(g, '\x1f');
  put_field(g, e->path);
  g_string_append_printf(g, "\x1f%u\x1f%u\x1f%u\x1f", e->stt, e->part, e->pages);
  put_field(g, e->sha);
  g_string_append_c(g, '\x1f');
  put_field(g, e->input);
  g_string_append_c(g, '\n');
  /* one write: the signal handler reads the file, never a stdio buffer */
  const char *p = g->str;
  size_t left = g->len;
  while (left > 0) {
    ssize_t w = write(j->fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      vb_diag_error(j->diag, vb_span_none(),
                    "cannot write the list of files written ('%s'): %s", j->path,
                    w < 0 ? strerror(errno) : "nothing written");
      return -1;
    }
    p += w;
    left -= (size_t)w;
  }
  j->count++;
  return 0;
}

/* Splits a journal line (without its '\n') in place into its eight fields, unescaped. */
#define JOURNAL_FIELDS 8
static bool parse_line(char *s, vb_journal_entry *e) {
  char *f[JOURNAL_FIELDS];
  int n = 0;
  f[n++] = s;
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r == '\x1f') {
      if (n == JOURNAL_FIELDS)
        return false;
      *w++ = '\0';
      f[n++] = w;
    } else if (*r == '\\' && r[1]) {
      r++;
      *w++ = *r == 'n' ? '\n' : *r == 'u' ? '\x1f' : *r;
    } else
      *w++ = *r;
  }
  *w = '\0';
  if (n != JOURNAL_FIELDS)
    return false;
  e->tmp = f[0];
  e->target = f[1];
  e->path = f[2];
  e->stt = (unsigned)strtoul(f[3], NULL, 10);
  e->part = (unsigned)strtoul(f[4], NULL, 10);
  e->pages = (unsigned)strtoul(f[5], NULL, 10);
  e->sha = f[6];
  e->input = f[7];
  return true;
}

/* ---- reading back */

typedef struct reader {
  FILE *f;
  char *buf;
  size_t cap;
  vb_journal_entry e;
  bool have;
} reader;

static bool reader_next(reader *rd) {
  ssize_t n = getline(&rd->buf, &rd->cap, rd->f);
  rd->have = false;
  if (n <= 0)
    return false;
  if (rd->buf[n - 1] == '\n')
    rd->buf[n - 1] = '\0';
  rd->have = parse_line(rd->buf, &rd->e);
  return rd->have;
}

static bool reader_open(reader *rd, const char *path) {
  memset(rd, 0, sizeof *rd);
  rd->f = fopen(path, "re");
  return rd->f != NULL;
}

static void reader_close(reader *rd) {
  if (rd->f)
    fclose(rd->f);
  free(rd->buf);
}

int vb_journal_each_file(const char *path, vb_journal_fn fn, void *ctx) {
  reader rd;
  if (!reader_open(&rd, path))
    return -1;
  int rc = 0;
  while (rc == 0 && reader_next(&rd))
    rc = fn(&rd.e, ctx);
  if (rc == 0 && ferror(rd.f))
    rc = -1;
  reader_close(&rd);
  return rc;
}

int vb_journal_each(const vb_journal *j, vb_journal_fn fn, void *ctx) {
  if (!j || j->count == 0)
    return 0;
  return vb_journal_each_file(j->path, fn, ctx);
}

/* ---- merging the workers' journals in record order */

static int add_to_journal(const vb_journal_entry *e, void *ctx) {
  return vb_journal_add(ctx, e);
}

static bool entry_before(const vb_journal_entry *a, const vb_journal_entry *b) {
  return a->stt != b->stt ? a->stt < b->stt : a->part < b->part;
}

int vb_journal_merge(vb_journal *j, char *const *paths, size_t n) {
  if (n == 1)
    return vb_journal_each_file(paths[0], add_to_journal, j);
  /* the smallest head of the files each time: the order of a run without --jobs,
   * whatever the names are (stable: the first file wins a tie) */
  int rc = 0;
  reader *rd = g_new0(reader, n);
  for (size_t i = 0; i < n && rc == 0; i++) {
    if (!reader_open(&rd[i], paths[i]))
      rc = -1;
    else
      reader_next(&rd[i]);
  }
  while (rc == 0) {
    size_t best = n;
    for (size_t i = 0; i < n; i++)
      if (rd[i].have && (best == n || entry_before(&rd[i].e, &rd[best].e)))
        best = i;
    if (best == n)
      break;
    rc = vb_journal_add(j, &rd[best].e);
    reader_next(&rd[best]);
  }
  for (size_t i = 0; i < n; i++) {
    if (rc == 0 && rd[i].f && ferror(rd[i].f))
      rc = -1;
    reader_close(&rd[i]);
  }
  g_free(rd);
  return rc;
}

void vb_journal_free(vb_journal *j) {
  if (!j)
    return;
  close(j->fd);
  unlink(j->path);
  if (j->listed)
    vb_cleanup_remove_list(j->path);
  g_string_free(j->line, TRUE);
  g_free(j->path);
  g_free(j);
}

/* ---- the name set */

struct vb_nameset {
  uint64_t *slot; /* 0 = empty (a fingerprint of 0 is stored as 1) */
  size_t cap, n;  /* cap a power of two, kept at most half full */
};

vb_nameset *vb_nameset_new(void) { return g_new0(vb_nameset, 1); }

void vb_nameset_free(vb_nameset *s) {
  if (!s)
    return;
  g_free(s->slot);
  g_free(s);
}

/* FNV-1a over the bytes, then splitmix64's finaliser to spread the bits. */
static uint64_t fingerprint(const char *name) {
  uint64_t h = 0xcbf29ce484222325u;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    h = (h ^ *p) * 0x100000001b3u;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9u;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebu;
  h ^= h >> 31;
  return h ? h : 1;
}

static size_t find_slot(const uint64_t *slot, size_t cap, uint64_t fp) {
  size_t i = (size_t)fp & (cap - 1);
  while (slot[i] && slot[i] != fp)
    i = (i + 1) & (cap - 1);
  return i;
}

bool vb_nameset_add(vb_nameset *s, const char *name) {
  uint64_t fp = fingerprint(name);
  if (2 * (s->n + 1) > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 1024;
    uint64_t *slot = g_new0(uint64_t, cap);
    for (size_t i = 0; i < s->cap; i++)
      if (s->slot[i])
        slot[find_slot(slot, cap, s->slot[i])] = s->slot[i];
    g_free(s->slot);
    s->slot = slot;
    s->cap = cap;
  }
  size_t i = find_slot(s->slot, s->cap, fp);
  if (s->slot[i])
    return false;
  s->slot[i] = fp;
  s->n++;
  return true;
}
