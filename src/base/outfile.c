/* outfile.c - base stage: atomic output files. A regular (or new) target is
 * written to a mkstemp temporary in the same directory and renamed on commit;
 * stdout ("-"), pipes and devices are written directly. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- cleanup on SIGTERM, SIGINT and SIGHUP. A signal handler can only reach
 * what is global, so this is the one mutable global state of the program: the
 * temporaries being written, files listing temporaries that child processes
 * handed over, and those children. It is changed only with the three signals
 * blocked, so the handler never sees it half updated. */
typedef struct cleanup {
  char **temps;
  size_t ntemps, captemps;
  char **lists;
  size_t nlists, caplists;
  pid_t *children;
  size_t nchildren, capchildren;
  bool installed;
} cleanup;
static cleanup cl;

static void temp_register(const char *tmp);
static void temp_forget(const char *tmp);

static void block(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, old);
}
static void unblock(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

static void add_to(char ***v, size_t *n, size_t *cap, const char *path) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    *v = vb_xrealloc(*v, *cap * sizeof **v);
  }
  (*v)[(*n)++] = vb_xstrdup(path);
}

static void remove_from(char **v, size_t *n, const char *path) {
  for (size_t i = *n; i-- > 0;)
    if (!strcmp(v[i], path)) {
      free(v[i]);
      v[i] = v[--*n];
      return;
    }
}

/* Removes every path named in a list file with async-signal-safe calls only, then
 * the list itself. A line's path ends at the line's end or at a unit separator
 * (0x1f: what follows is the lister's); "\n", "\u" and "\\" in it stand for a line
 * break, a unit separator and a backslash (the journal of src/cli/journal.c). */
static void remove_listed(const char *list) {
  int fd = open(list, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    static char line[PATH_MAX + 1];
    static char buf[4096];
    size_t n = 0;
    bool rest = false, esc = false; /* past the path; after a backslash */
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
      for (ssize_t i = 0; i < got; i++) {
        char c = buf[i];
        if (c == '\n') {
          line[n] = '\0';
          if (n)
            unlink(line);
          n = 0;
          rest = esc = false;
        } else if (rest)
          ;
        else if (esc) {
          esc = false;
          if (n < PATH_MAX)
            line[n++] = c == 'n' ? '\n' : c == 'u' ? '\x1f' : c;
        } else if (c == '\\')
          esc = true;
        else if (c == '\x1f')
          rest = true;
        else if (n < PATH_MAX)
          line[n++] = c;
      }
    close(fd);
  }
  unlink(list);
}

static void on_signal(int sig) {
  /* children first: they remove their own temporaries, then what they handed
   * over (listed in files) can go */
  for (size_t i = 0; i < cl.nchildren; i++)
    kill(cl.children[i], SIGTERM);
  for (size_t i = 0; i < cl.nchildren; i++)
    while (waitpid(cl.children[i], NULL, 0) < 0 && errno == EINTR)
      ;
  for (size_t i = 0; i < cl.nlists; i++)
    remove_listed(cl.lists[i]);
  for (size_t i = 0; i < cl.ntemps; i++)
    unlink(cl.temps[i]);
  _exit(128 + sig);
}

void vb_cleanup_install(void) {
  if (cl.installed)
    return;
  cl.installed = true;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGHUP);
  const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
  for (size_t i = 0; i < 3; i++) {
    struct sigaction old;
    /* a signal ignored when we started (nohup) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction(sigs[i], &sa, NULL);
  }
  /* a file-size limit (ulimit -f) reached: write() fails with EFBIG, which is
   * reported and the temporary removed, instead of a kill that leaves it */
  signal(SIGXFSZ, SIG_IGN);
}

void vb_cleanup_add_list(const char *path) {
  sigset_t old;
  block(&old);
  add_to(&cl.lists, &cl.nlists, &cl.caplists, path);
  unblock(&old);
}

void vb_cleanup_remove_list(const char *path) {
  sigset_t old;
  block(&old);
  remove_from(cl.lists, &cl.nlists, path);
  unblock(&old);
}

static void add_child(pid_t pid) {
  sigset_t old;
  block(&old);
  if (cl.nchildren == cl.capchildren) {
    cl.capchildren = cl.capchildren ? cl.capchildren * 2 : 16;
    cl.children = vb_xrealloc(cl.children, cl.capchildren * sizeof *cl.children);
  }
  cl.children[cl.nchildren++] = pid;
  unblock(&old);
}

void vb_cleanup_remove_child(int pid) {
  sigset_t old;
  block(&old);
  for (size_t i = 0; i < cl.nchildren; i++)
    if (cl.children[i] == (pid_t)pid) {
      cl.children[i] = cl.children[--cl.nchildren];
      break;
    }
  unblock(&old);
}

static void forget_all(void) {
  sigset_t old;
  block(&old);
  for (size_t i = 0; i < cl.ntemps; i++)
    free(cl.temps[i]);
  for (size_t i = 0; i < cl.nlists; i++)
    free(cl.lists[i]);
  cl.ntemps = cl.nlists = cl.nchildren = 0;
  unblock(&old);
}

void vb_cleanup_add_file(const char *path) { temp_register(path); }
void vb_cleanup_remove_file(const char *path) { temp_forget(path); }

int vb_cleanup_open_tmp(const char *tmpl, char **path, bool as_list) {
  *path = g_build_filename(g_get_tmp_dir(), tmpl, NULL);
  sigset_t old;
  block(&old); /* made and registered at once: a signal in between would leave it */
  int fd = mkstemp(*path);
  int saved = errno;
  if (fd >= 0) {
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (as_list)
      add_to(&cl.lists, &cl.nlists, &cl.caplists, *path);
    else
      add_to(&cl.temps, &cl.ntemps, &cl.captemps, *path);
  }
  unblock(&old);
  if (fd < 0) {
    g_free(*path);
    *path = NULL;
  }
  errno = saved;
  return fd;
}

int vb_cleanup_fork(void) {
  sigset_t old;
  block(&old); /* forked and listed at once: a signal in between would leave the
                * child running on, writing files nobody removes */
  pid_t pid = fork();
  int saved = errno;
  if (pid > 0)
    add_child(pid);
  else if (pid == 0)
    forget_all(); /* the parent's temporaries, lists and children are its to remove */
  unblock(&old);
  errno = saved;
  return (int)pid;
}

static void temp_register(const char *tmp) {
  sigset_t old;
  block(&old);
  add_to(&cl.temps, &cl.ntemps, &cl.captemps, tmp);
  unblock(&old);
}

static void temp_forget(const char *tmp) {
  sigset_t old;
  block(&old);
  remove_from(cl.temps, &cl.ntemps, tmp);
  unblock(&old);
}

#define OUTFILE_BUFSIZE (64 * 1024)

struct vb_outfile {
  char *path;   /* as given, for messages */
  char *target; /* what the temporary is renamed to (symlinks resolved) */
  char *tmp;    /* temporary path; NULL for direct output */
  int fd;       /* -1 once closed */
  bool is_stdout;
  bool failed;   /* sticky: an error was reported */
  bool finished; /* vb_outfile_finish ran */
  vb_diag *diag;
  size_t n; /* bytes in buf */
  char *buf;
};

static void report(vb_outfile *f, const char *what, int err) {
  if (f->failed)
    return;
  f->failed = true;
  vb_diag_error(f->diag, vb_span_none(), "cannot %s '%s': %s", what, f->path, strerror(err));
}

static void outfile_free(vb_outfile *f) {
  free(f->path);
  free(f->target);
  free(f->tmp);
  free(f->buf);
  free(f);
}

static mode_t default_mode(void) {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

/* Opens a temporary ".<basename>.XXXXXX" beside target. Returns 0 or errno. */
static int open_temp(vb_outfile *f, bool exists, mode_t old_mode) {
  const char *slash = strrchr(f->target, '/');
  const char *base = slash ? slash + 1 : f->target;
  size_t dirlen = slash ? (size_t)(slash - f->target) + 1 : 0;
  if (*base == '\0')
    return EISDIR;
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_strbuf_add(&sb, f->target, dirlen);
  vb_strbuf_printf(&sb, ".%s.XXXXXX", base);
  f->tmp = vb_strbuf_detach(&sb);
  sigset_t old;
  block(&old); /* made and registered at once: a signal in between would leave it */
  int fd = mkstemp(f->tmp);
  int err = errno;
  if (fd >= 0)
    temp_register(f->tmp);
  unblock(&old);
  if (fd < 0) {
    free(f->tmp);
    f->tmp = NULL;
    return err;
  }
  /* mkstemp makes 0600; give the file the mode a plain open() would. */
  mode_t mode = exists ? (old_mode & 07777) : default_mode();
  (void)fchmod(fd, mode); /* not fatal: the file stays ours */
  f->fd = fd;
  return 0;
}

vb_outfile *vb_outfile_open(const char *path, vb_diag *d) {
  vb_outfile *f = vb_xcalloc(1, sizeof *f);
  f->path = vb_xstrdup(path);
  f->diag = d;
  f->fd = -1;
  f->buf = vb_xmalloc(OUTFILE_BUFSIZE);
  if (strcmp(path, "-") == 0) {
    f->is_stdout = true;
    f->fd = STDOUT_FILENO;
    return f;
  }
  struct stat st;
  int err = 0;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* A device, FIFO or directory: write in place (opening a directory fails). */
    do
      f->fd = open(path, O_WRONLY | O_CLOEXEC);
    while (f->fd < 0 && errno == EINTR);
    if (f->fd < 0)
      err = errno;
  } else {
    bool exists = stat(path, &st) == 0;
    char resolved[PATH_MAX];
    struct stat lst;
    /* Keep a symlink to a regular file: replace its target, not the link. */
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && realpath(path, resolved))
      f->target = vb_xstrdup(resolved);
    else
      f->target = vb_xstrdup(path);
    err = open_temp(f, exists, exists ? st.st_mode : 0);
  }
  if (err) {
    report(f, "create", err);
    outfile_free(f);
    return NULL;
  }
  return f;
}

/* Writes all of [p, p+len) to the descriptor; returns 0 or errno. */
static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (w == 0)
      return EIO;
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static int flush(vb_outfile *f) {
  if (f->failed)
    return -1;
  int err = write_all(f->fd, f->buf, f->n);
  f->n = 0;
  if (err) {
    report(f, "write", err);
    return -1;
  }
  return 0;
}

int vb_outfile_write(void *outfile, const void *data, size_t len) {
  vb_outfile *f = outfile;
  if (f->failed || f->fd < 0)
    return -1;
  if (len > OUTFILE_BUFSIZE - f->n) {
    if (flush(f) < 0)
      return -1;
    if (len >= OUTFILE_BUFSIZE) {
      int err = write_all(f->fd, data, len);
      if (err) {
        report(f, "write", err);
        return -1;
      }
      return 0;
    }
  }
  memcpy(f->buf + f->n, data, len);
  f->n += len;
  return 0;
}

int vb_outfile_finish(vb_outfile *f) {
  if (f->finished)
    return f->failed ? VB_EIO : VB_OK;
  f->finished = true;
  if (f->fd < 0)
    return VB_EIO;
  flush(f);
  /* No writes follow: give the buffer back now, since a batch of one file per
   * recipient keeps every finished file open until the commit at the end. */
  free(f->buf);
  f->buf = NULL;
  /* fsync only matters for the temporary; pipes and ttys reject it (EINVAL). */
  if (f->tmp && !f->failed && fsync(f->fd) != 0)
    report(f, "write", errno);
  if (!f->is_stdout) {
    if (close(f->fd) != 0 && errno != EINTR)
      report(f, "write", errno);
  }
  f->fd = -1;
  return f->failed ? VB_EIO : VB_OK;
}

int vb_outfile_commit(vb_outfile *f) {
  int rc = vb_outfile_finish(f);
  if (rc == VB_OK && f->tmp) {
    sigset_t old;
    block(&old);
    int ok = rename(f->tmp, f->target);
    int err = errno;
    if (ok == 0)
      temp_forget(f->tmp);
    unblock(&old);
    if (ok != 0) {
      report(f, "create", err);
      rc = VB_EIO;
    } else {
      free(f->tmp);
      f->tmp = NULL;
    }
  }
  vb_outfile_abort(f); /* removes the temporary if it is still there */
  return rc;
}

void vb_outfile_abort(vb_outfile *f) {
  if (!f)
    return;
  if (f->fd >= 0 && !f->is_stdout)
    close(f->fd);
  if (f->tmp) {
    unlink(f->tmp);
    temp_forget(f->tmp);
  }
  outfile_free(f);
}

const char *vb_outfile_path(const vb_outfile *f) { return f->path; }
const char *vb_outfile_temp_path(const vb_outfile *f) { return f->tmp; }
const char *vb_outfile_target(const vb_outfile *f) { return f->target; }

void vb_outfile_release(vb_outfile *f) {
  if (!f)
    return;
  if (f->fd >= 0 && !f->is_stdout)
    close(f->fd);
  if (f->tmp)
    temp_forget(f->tmp);
  outfile_free(f);
}
