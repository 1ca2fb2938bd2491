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

/* ---- the name set
 *
 * An open-addressing table of 64-bit fingerprints, at most half full, in memory while
 * it is small (VANBAN_NAMES_MEMORY bytes, 1 MiB by default: 65,536 names) and then in
 * a file in TMPDIR read and written in place (pread/pwrite of the 64-byte block a
 * probe is in), so that a million names cost the process what sixty thousand do. */

#define NAMESET_BLOCK 8 /* slots read at once: 64 bytes */

struct vb_nameset {
  uint64_t *slot; /* in memory (NULL once in the file); 0 = empty, a fingerprint
                     of 0 is stored as 1 */
  size_t cap, n;  /* cap a power of two */
  size_t mem_cap; /* the most slots kept in memory */
  int fd;         /* >= 0: the table is this file's, cap slots */
  char *path;
  vb_diag *diag;
};

static size_t names_memory(void) {
  const char *v = getenv("VANBAN_NAMES_MEMORY");
  char *end;
  unsigned long long b = v && *v ? strtoull(v, &end, 10) : 0;
  if (!v || !*v || *end || b < 64 * sizeof(uint64_t))
    b = 1u << 20;
  size_t cap = NAMESET_BLOCK;
  while (cap * 2 <= b / sizeof(uint64_t) && cap < ((size_t)1 << 40))
    cap *= 2;
  return cap;
}

vb_nameset *vb_nameset_new(vb_diag *d) {
  vb_nameset *s = g_new0(vb_nameset, 1);
  s->mem_cap = names_memory();
  s->fd = -1;
  s->diag = d;
  return s;
}

static void close_file(int fd, char *path) {
  if (fd < 0)
    return;
  close(fd);
  unlink(path);
  vb_cleanup_remove_file(path);
  g_free(path);
}

void vb_nameset_free(vb_nameset *s) {
  if (!s)
    return;
  g_free(s->slot);
  close_file(s->fd, s->path);
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

static bool io_all(int fd, void *buf, size_t len, off_t off, bool write) {
  char *p = buf;
  while (len > 0) {
    ssize_t k = write ? pwrite(fd, p, len, off) : pread(fd, p, len, off);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      if (k == 0)
        errno = EIO;
      return false;
    }
    p += k;
    len -= (size_t)k;
    off += k;
  }
  return true;
}

/* In the table of the file fd (cap slots): 1 if fp was added, 0 if it was there,
 * -1 (errno) if the file could not be read or written. */
static int file_add(int fd, size_t cap, uint64_t fp) {
  uint64_t blk[NAMESET_BLOCK];
  size_t i = (size_t)fp & (cap - 1);
  for (size_t seen = 0; seen < cap;) {
    size_t b = i & ~(size_t)(NAMESET_BLOCK - 1);
    if (!io_all(fd, blk, sizeof blk, (off_t)(b * sizeof(uint64_t)), false))
      return -1;
    for (size_t k = i - b; k < NAMESET_BLOCK; k++, seen++) {
      if (blk[k] == fp)
        return 0;
      if (!blk[k])
        return io_all(fd, &fp, sizeof fp, (off_t)((b + k) * sizeof(uint64_t)), true) ? 1
                                                                                     : -1;
    }
    i = (b + NAMESET_BLOCK) & (cap - 1);
  }
  errno = ENOSPC; /* never: the table is kept at most half full */
  return -1;
}

/* A new table file of cap slots (zeros), listed for the signal cleanup. */
static int file_new(size_t cap, char **path) {
  int fd = vb_cleanup_open_tmp("vanban-names-XXXXXX", path, false);
  if (fd < 0)
    return -1;
  if (ftruncate(fd, (off_t)(cap * sizeof(uint64_t))) != 0) {
    int e = errno;
    close_file(fd, *path);
    *path = NULL;
    errno = e;
    return -1;
  }
  return fd;
}

/* The table doubled: into a bigger one in memory, or into a file once that would be
 * more than mem_cap slots. false (errno) if a file failed. */
static bool grow(vb_nameset *s) {
  size_t cap = s->cap ? 2 * s->cap : MIN(NAMESET_BLOCK * 128, s->mem_cap);
  if (cap <= s->mem_cap) {
    uint64_t *slot = g_new0(uint64_t, cap);
    for (size_t i = 0; i < s->cap; i++)
      if (s->slot[i])
        slot[find_slot(slot, cap, s->slot[i])] = s->slot[i];
    g_free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return true;
  }
  char *path = NULL;
  int fd = file_new(cap, &path);
  if (fd < 0)
    return false;
  bool ok = true;
  if (s->slot) {
    for (size_t i = 0; ok && i < s->cap; i++)
      if (s->slot[i])
        ok = file_add(fd, cap, s->slot[i]) >= 0;
  } else {
    /* the old file, read a chunk at a time */
    uint64_t chunk[4096];
    for (size_t i = 0; ok && i < s->cap; i += 4096) {
      size_t m = s->cap - i < 4096 ? s->cap - i : 4096;
      ok = io_all(s->fd, chunk, m * sizeof(uint64_t), (off_t)(i * sizeof(uint64_t)), false);
      for (size_t k = 0; ok && k < m; k++)
        if (chunk[k])
          ok = file_add(fd, cap, chunk[k]) >= 0;
    }
  }
  if (!ok) {
    int e = errno;
    close_file(fd, path);
    errno = e;
    return false;
  }
  g_free(s->slot);
  s->slot = NULL;
  close_file(s->fd, s->path);
  s->fd = fd;
  s->path = path;
  s->cap = cap;
  return true;
}

int vb_nameset_add(vb_nameset *s, const char *name) {
  uint64_t fp = fingerprint(name);
  int added;
  if (2 * (s->n + 1) > s->cap && !grow(s))
    added = -1;
  else if (s->slot) {
    size_t i = find_slot(s->slot, s->cap, fp);
    added = !s->slot[i];
    s->slot[i] = fp;
  } else
    added = file_add(s->fd, s->cap, fp);
  if (added < 0) {
    vb_diag_error(s->diag, vb_span_none(),
                  "cannot keep the list of output names given ('%s'): %s",
                  s->path ? s->path : "vanban-names-XXXXXX", strerror(errno));
    return -1;
  }
  s->n += (size_t)added;
  return added;
}
