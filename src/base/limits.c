/* limits.c - base stage: the limits one input may reach (sizes, counts, depth),
 * their defaults and `--limit NAME=N`; and reading input files safely: only
 * regular files are opened (a FIFO would hang), and reading stops at a limit as
 * the bytes come in (so /dev/stdin fed from /dev/zero is refused at once). */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KiB 1024ull
#define MiB (1024ull * 1024)

vb_limits vb_limits_default(void) {
  vb_limits l = {
      .record_bytes = 512 * MiB,
      .records = 10000000,
      .depth = 64,
      .string_bytes = 1 * MiB,
      .csv_columns = 1000,
      .csv_cell_bytes = 64 * KiB,
      .image_pixels = 50000000,
      .image_bytes = 50 * MiB,
      .svg_canvas = 20000,
      .svg_elements = 100000,
      .pages = 1000,
      .template_depth = 32,
  };
  return l;
}

static const char *const names[] = {"record-bytes",   "records",      "depth",
                                    "string-bytes",   "csv-columns",  "csv-cell-bytes",
                                    "image-pixels",   "image-bytes",  "svg-canvas",
                                    "svg-elements",   "pages",        "template-depth",
                                    NULL};

const char *const *vb_limits_names(void) { return names; }

static uint64_t *slot(vb_limits *l, size_t i) {
  uint64_t *v[] = {&l->record_bytes,   &l->records,      &l->depth,
                   &l->string_bytes,   &l->csv_columns,  &l->csv_cell_bytes,
                   &l->image_pixels,   &l->image_bytes,  &l->svg_canvas,
                   &l->svg_elements,   &l->pages,        &l->template_depth};
  return v[i];
}

uint64_t vb_limits_get(const vb_limits *l, size_t i) { return *slot((vb_limits *)l, i); }

int vb_limits_set(vb_limits *l, const char *a, const char **bad) {
  const char *eq = strchr(a, '=');
  if (!eq) {
    *bad = "expected NAME=N";
    return -1;
  }
  size_t i = 0;
  for (; names[i]; i++)
    if (strlen(names[i]) == (size_t)(eq - a) && !memcmp(names[i], a, (size_t)(eq - a)))
      break;
  if (!names[i]) {
    *bad = "unknown limit";
    return -1;
  }
  const char *p = eq + 1;
  if (*p < '0' || *p > '9') {
    *bad = "the value must be a whole number";
    return -1;
  }
  errno = 0;
  char *end;
  unsigned long long v = strtoull(p, &end, 10);
  bool bytes = strstr(names[i], "bytes") != NULL;
  uint64_t mul = 1;
  if (*end == 'k' || *end == 'K')
    mul = bytes ? KiB : 1000;
  else if (*end == 'M')
    mul = bytes ? MiB : 1000000;
  else if (*end == 'G')
    mul = bytes ? MiB * 1024 : 1000000000;
  if (mul > 1)
    end++;
  if (errno || *end || v == 0 || v > UINT64_MAX / mul) {
    *bad = v == 0 && !errno && !*end ? "a limit must be at least 1"
                                     : "the value must be a whole number";
    return -1;
  }
  *slot(l, i) = v * mul;
  return 0;
}

int vb_file_open_regular(const char *path, const char **why) {
  int fd;
  /* O_NONBLOCK: opening a FIFO with no writer would wait forever */
  do
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    *why = strerror(errno);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *why = strerror(errno);
    close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = S_ISDIR(st.st_mode)    ? strerror(EISDIR)
           : S_ISFIFO(st.st_mode) ? "it is a FIFO, not a regular file"
           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "it is a device, not a regular file"
           : S_ISSOCK(st.st_mode) ? "it is a socket, not a regular file"
                                  : "not a regular file";
    close(fd);
    return -1;
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0)
    (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}

int vb_file_read_all(int fd, uint64_t max, char **out, size_t *len_out, bool *too_big) {
  *too_big = false;
  struct stat st;
  size_t cap = 65536, len = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if ((uint64_t)st.st_size > max) {
      *too_big = true;
      return -1;
    }
    cap = (size_t)st.st_size + 1; /* read(2) sees the end without growing */
  }
  char *buf = vb_xmalloc(cap);
  for (;;) {
    if (len + 1 >= cap) {
      cap *= 2;
      buf = vb_xrealloc(buf, cap);
    }
    size_t want = cap - 1 - len;
    if ((uint64_t)len + want > max + 1)
      want = (size_t)(max + 1 - len); /* one byte more than allowed says "too big" */
    ssize_t r = read(fd, buf + len, want);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      free(buf);
      errno = e;
      return -1;
    }
    if (r == 0)
      break;
    len += (size_t)r;
    if ((uint64_t)len > max) {
      free(buf);
      *too_big = true;
      return -1;
    }
  }
  buf[len] = '\0';
  *out = buf;
  *len_out = len;
  return 0;
}

char *vb_path_resolve(const char *dir, const char *file, bool allow_outside, vb_strbuf *why) {
  bool here = !dir || !strcmp(dir, ".");
  if (allow_outside || file[0] == '/') {
    if (!allow_outside) {
      vb_strbuf_puts(why, "an absolute path leaves the record's folder (use --allow-outside)");
      return NULL;
    }
    if (file[0] == '/' || here)
      return vb_xstrdup(file);
    vb_strbuf p = VB_STRBUF_INIT;
    vb_strbuf_printf(&p, "%s/%s", dir, file);
    return vb_strbuf_detach(&p);
  }
  vb_strbuf path = VB_STRBUF_INIT;
  if (!here)
    vb_strbuf_puts(&path, dir);
  for (const char *p = file; *p;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 2 && !memcmp(p, "..", 2)) {
      vb_strbuf_puts(why, "'..' climbs out of the record's folder (use --allow-outside)");
      vb_strbuf_free(&path);
      return NULL;
    }
    if (n > 0 && !(n == 1 && p[0] == '.')) {
      if (path.len)
        vb_strbuf_putc(&path, '/');
      vb_strbuf_add(&path, p, n);
      struct stat st;
      if (lstat(vb_strbuf_cstr(&path), &st) == 0 && S_ISLNK(st.st_mode)) {
        vb_strbuf_printf(why,
                         "'%s' is a symbolic link, which may lead out of the record's folder "
                         "(use --allow-outside)",
                         vb_strbuf_cstr(&path));
        vb_strbuf_free(&path);
        return NULL;
      }
    }
    p += n;
    while (*p == '/')
      p++;
  }
  if (!path.len)
    vb_strbuf_putc(&path, '.');
  return vb_strbuf_detach(&path);
}
