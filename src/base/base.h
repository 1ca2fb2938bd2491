/* base.h - vanban base stage: allocation, arena, string buffer, locale-free
 * number formatting, UTF-8 helpers, source registry with spans, diagnostics and
 * atomic output files. No project dependencies (GLib only for Unicode). */
#ifndef VB_BASE_BASE_H
#define VB_BASE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VB_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Status codes: 0 = OK, negative = failure (already reported). */
enum {
  VB_OK = 0,
  VB_EIO = -1,     /* cannot read or write a file, disk full */
  VB_EINPUT = -2,  /* input unreadable or unparsable (syntax, encoding) */
  VB_ELAYOUT = -3, /* layout file invalid */
  VB_ERECORD = -4, /* a record failed validation or layout */
  VB_EUSAGE = -5   /* bad command line */
};

/* ---- allocation: on out-of-memory print "vanban: out of memory" and abort() */
void *vb_xmalloc(size_t size);
void *vb_xcalloc(size_t n, size_t size);
void *vb_xrealloc(void *p, size_t size);
char *vb_xstrdup(const char *s);
char *vb_xstrndup(const char *s, size_t n);

/* ---- arena: bump allocator; everything is freed by vb_arena_free */
typedef struct vb_arena vb_arena;
vb_arena *vb_arena_new(void);
void vb_arena_free(vb_arena *a);
/** Frees all blocks but the first, so a per-page arena can be reused flat. */
void vb_arena_reset(vb_arena *a);
/** Zeroed memory aligned to 16 bytes, valid until the arena is freed/reset. */
void *vb_arena_alloc(vb_arena *a, size_t size);
char *vb_arena_strndup(vb_arena *a, const char *s, size_t n); /* NUL-terminated */
char *vb_arena_strdup(vb_arena *a, const char *s);
char *vb_arena_printf(vb_arena *a, const char *fmt, ...) VB_PRINTF(2, 3);
/** Bytes handed out since creation/reset (for tests and benchmarks). */
size_t vb_arena_used(const vb_arena *a);

/* ---- strbuf: growable NUL-terminated byte string (public: callers read data/len) */
typedef struct vb_strbuf {
  char *data; /* always NUL-terminated once anything was added; NULL when empty */
  size_t len, cap;
} vb_strbuf;
#define VB_STRBUF_INIT {NULL, 0, 0}
void vb_strbuf_add(vb_strbuf *sb, const char *s, size_t n);
void vb_strbuf_puts(vb_strbuf *sb, const char *s);
void vb_strbuf_putc(vb_strbuf *sb, char c);
/** printf into the buffer. Uses the C library: do not pass %f/%g (locale);
 *  use vb_strbuf_add_num for numbers with a fraction. */
void vb_strbuf_printf(vb_strbuf *sb, const char *fmt, ...) VB_PRINTF(2, 3);
void vb_strbuf_vprintf(vb_strbuf *sb, const char *fmt, va_list ap);
/** Appends v with exactly `decimals` digits after '.', whatever the locale;
 *  "-0.00" is written as "0.00". */
void vb_strbuf_add_num(vb_strbuf *sb, double v, int decimals);
void vb_strbuf_reset(vb_strbuf *sb); /* len = 0, keeps memory */
void vb_strbuf_free(vb_strbuf *sb);
/** Returns the string (caller frees; "" if empty) and resets sb to empty. */
char *vb_strbuf_detach(vb_strbuf *sb);
const char *vb_strbuf_cstr(const vb_strbuf *sb); /* "" when empty */

/* ---- fmt: locale-free numbers */
/** Writes v with `decimals` fraction digits and '.' into buf (>= 64 bytes); returns length. */
size_t vb_fmt_num(char *buf, double v, int decimals);
/** Parses a decimal number ("12", "-3.5", "+0.25") with '.' only, whole string,
 *  locale-free. Returns 0 on success, -1 otherwise. */
int vb_parse_num(const char *s, double *out);
/** Parses a non-negative decimal integer (whole string, no sign). 0 or -1. */
int vb_parse_uint(const char *s, unsigned long *out);

/* ---- utf8 */
/** True when [s, s+len) is valid UTF-8 (no overlongs, surrogates, > U+10FFFF).
 *  On false, *bad_off (if not NULL) gets the offset of the first bad byte. */
bool vb_utf8_valid(const char *s, size_t len, size_t *bad_off);
/** Decodes one code point at *p (< end) and advances *p; returns 0xFFFD on a bad
 *  sequence (advancing one byte). */
uint32_t vb_utf8_next(const char **p, const char *end);
/** Appends [s, s+len) to sb with what a terminal would act on made visible:
 *  C0 control characters (but a tab when `keep_tab`, and a line break in
 *  neither case: they become \x0a too) and DEL as "\x1b", C1 controls as
 *  "\u009b", bytes that are not UTF-8 as "\xff". Every message is printed
 *  through it (DESIGN.md: names from records cannot drive the terminal). */
void vb_utf8_escape_controls(vb_strbuf *sb, const char *s, size_t len, bool keep_tab);
/** Columns the escaped form of code point c takes (1, 4 or 6). */
unsigned vb_utf8_escaped_width(uint32_t c, bool keep_tab);
/** Encodes cp into out (4 bytes); returns the byte count. */
int vb_utf8_put(uint32_t cp, char out[4]);
/** Number of code points in [s, s+len). */
size_t vb_utf8_count(const char *s, size_t len);
/** NFC form of valid UTF-8 [s, s+len); caller frees (vb_xmalloc). *out_len gets its length. */
char *vb_utf8_nfc(const char *s, size_t len, size_t *out_len);
/** True when valid UTF-8 [s, s+len) is certainly NFC already: only starters
 *  that never compose with what precedes them (below U+0300, the Latin Extended
 *  Additional Vietnamese letters, common punctuation, ₫ €). False means "maybe
 *  not": normalise. Spares vb_utf8_nfc for the usual precomposed text. */
bool vb_utf8_surely_nfc(const char *s, size_t len);
/** Upper case for Vietnamese (đ → Đ U+0110, ư → Ư, ...), NFC in, NFC out; caller frees. */
char *vb_utf8_upper(const char *s, size_t len);
/** ASCII slug for file names: Vietnamese letters lose their marks (đ → d, Ư → u),
 *  lower case, runs of anything else become one '-', no leading/trailing '-'.
 *  "Nguyễn Văn Đức" → "nguyen-van-duc". Empty result → "x". Caller frees. */
char *vb_utf8_slug(const char *s, size_t len);

/* ---- "did you mean" */
/** The candidate (NULL-terminated list) closest to `word` by edit distance over
 *  lower-cased code points, at most 2 edits or a third of its length; ties go
 *  to the first. NULL when none is close. Returns a pointer from `candidates`. */
const char *vb_closest(const char *word, const char *const *candidates);

/* ---- dates: ISO 8601 ("2024-11-05", "2024-11-05T14:00", "2024-11-05T14:00+07:00",
 * "...Z", seconds optional) and the Vietnamese form "05/11/2024" or "5/11/2024"
 * (optionally followed by " 14:00"). Ranges are checked (month 1-12, day within
 * the month, leap years, hour 0-23, minute 0-59). */
typedef struct vb_date {
  int year, month, day;
  int hour, minute, second; /* valid when has_time */
  bool has_time;
  bool has_tz;
  int tz_minutes; /* offset east of UTC, when has_tz */
} vb_date;
/** 0 on success, -1 when s is not a valid date (whole string must match). */
int vb_date_parse(const char *s, vb_date *out);
/** Canonical text: "2024-11-05", or "2024-11-05T14:00" (+":SS" when seconds != 0)
 *  followed by "+07:00"/"Z" when has_tz. */
void vb_date_format_iso(const vb_date *dt, vb_strbuf *sb);
/** Days since 1970-01-01 of the calendar date (for comparisons). */
long vb_date_days(const vb_date *dt);

/* ---- limits: what one input may cost. Each has a generous default, is named
 * for `--limit NAME=N` and is documented in README.md and doc/vanban.1. */
typedef struct vb_limits {
  uint64_t record_bytes;   /* "record-bytes": one record file or standard input */
  uint64_t records;        /* "records": documents (recipients, events) of one file */
  uint64_t depth;          /* "depth": nesting of maps and lists in a record file */
  uint64_t string_bytes;   /* "string-bytes": one text value */
  uint64_t csv_columns;    /* "csv-columns": columns of a CSV header */
  uint64_t csv_cell_bytes; /* "csv-cell-bytes": one CSV cell */
  uint64_t image_pixels;   /* "image-pixels": width x height of a PNG/JPEG, and the
                              area an SVG is rasterised at */
  uint64_t image_bytes;    /* "image-bytes": one image file */
  uint64_t svg_canvas;     /* "svg-canvas": width or height an SVG declares (px) */
  uint64_t svg_elements;   /* "svg-elements": elements of one SVG (complexity) */
  uint64_t pages;          /* "pages": pages of one document */
  uint64_t template_depth; /* "template-depth": nesting of layout blocks and styles */
  bool allow_outside;      /* --allow-outside (not a limit): what an SVG image refers to
                              may lie outside its folder's rule, as image paths may */
} vb_limits;

/** The defaults (see README.md, "Limits"). */
vb_limits vb_limits_default(void);
/** Applies "NAME=N" (N a whole number, optionally with k, M or G: powers of
 *  1024 for the *-bytes limits, of 1000 otherwise). 0 or -1 (nothing printed);
 *  *bad gets the reason on failure. */
int vb_limits_set(vb_limits *l, const char *assignment, const char **bad);
/** NULL-terminated names of the limits, in the order of vb_limits. */
const char *const *vb_limits_names(void);
/** Value of limit number i (of vb_limits_names). */
uint64_t vb_limits_get(const vb_limits *l, size_t i);

/* ---- reading input files */
/** Opens `path` for reading only if it is a regular file (a FIFO, device,
 *  socket or folder would block or mean nothing): returns the descriptor, or
 *  -1 with *why set to a static reason ("is a FIFO, not a regular file", or
 *  strerror(errno)). Never blocks on a FIFO. */
int vb_file_open_regular(const char *path, const char **why);
/** Reads fd to its end into a vb_xmalloc'd buffer (NUL-terminated, *len bytes),
 *  stopping with -1 and *too_big = true as soon as more than `max` bytes came in.
 *  On a read error returns -1, *too_big false, errno set. */
int vb_file_read_all(int fd, uint64_t max, char **buf, size_t *len, bool *too_big);

/** Resolves `file`, as a record writes it, against `dir`, the record file's folder
 *  (NULL or "." : the current one). Unless `allow_outside`, refuses an absolute
 *  path, a '..' component and a symbolic link on the way, appending the reason to
 *  `why` and returning NULL. Returns a new path (caller frees). */
char *vb_path_resolve(const char *dir, const char *file, bool allow_outside, vb_strbuf *why);

/* ---- sources and spans */
/** A byte range [start, end) of registered source `src`. src 0 = no location. */
typedef struct vb_span {
  uint32_t src;
  uint32_t start, end;
} vb_span;
static inline vb_span vb_span_make(uint32_t src, uint32_t start, uint32_t end) {
  vb_span s = {src, start, end};
  return s;
}
static inline bool vb_span_is_set(vb_span s) { return s.src != 0; }
static inline vb_span vb_span_none(void) { return vb_span_make(0, 0, 0); }

typedef struct vb_sources vb_sources;
vb_sources *vb_sources_new(void);
void vb_sources_free(vb_sources *s);
/** Registers a source text under `name` (copied). Takes ownership of `text`
 *  (vb_xmalloc'd, len bytes, must have a NUL at text[len]). Returns its id (>= 1). */
uint32_t vb_sources_add(vb_sources *s, const char *name, char *text, size_t len);
/** Registers the read-only mapping `map` (map_len bytes, taken: unmapped at free) of
 *  a file whose bytes from `skip` (past a BOM) are the text, len bytes, with a NUL
 *  after them. Its memory can be given back with vb_sources_release. */
uint32_t vb_sources_add_mapped(vb_sources *s, const char *name, void *map, size_t map_len,
                               size_t skip, size_t len);
/** The bytes [start, end) of source `src` are not needed soon: a mapped source gives
 *  the memory of the pages inside back (read again from the file when next touched;
 *  pointers into the text stay valid). Nothing for a source held in memory. */
void vb_sources_release(const vb_sources *s, uint32_t src, size_t start, size_t end);
bool vb_sources_is_mapped(const vb_sources *s, uint32_t src);
const char *vb_sources_name(const vb_sources *s, uint32_t src);
/** The limits every stage reading from these sources applies (copied);
 *  vb_limits_default() until set. */
void vb_sources_set_limits(vb_sources *s, const vb_limits *l);
const vb_limits *vb_sources_limits(const vb_sources *s);
/** A number the stage that registered a source attaches to it (input/: the
 *  encoding it was read in); 0 until set, and for an unknown id. */
void vb_sources_set_tag(vb_sources *s, uint32_t src, int tag);
int vb_sources_tag(const vb_sources *s, uint32_t src);
/** The number of registered sources + 1 (ids are 1 .. count - 1). */
uint32_t vb_sources_count(const vb_sources *s);
const char *vb_sources_text(const vb_sources *s, uint32_t src, size_t *len);
/** 1-based line and column (column counts code points) of byte offset `off`. */
void vb_sources_locate(const vb_sources *s, uint32_t src, uint32_t off, unsigned *line,
                       unsigned *col);
/** Byte offset of 1-based line/column (column in code points); clamps to the text. */
uint32_t vb_sources_offset(const vb_sources *s, uint32_t src, unsigned line, unsigned col);
/** Formats "file:line:col" of span start into sb (nothing for an unset span). */
void vb_sources_where(const vb_sources *s, vb_span span, vb_strbuf *sb);

/* ---- diagnostics: one sink for every message */
typedef struct vb_diag vb_diag;
/** Messages go to `out` (normally stderr). `sources` is borrowed. */
vb_diag *vb_diag_new(const vb_sources *sources, FILE *out);
void vb_diag_free(vb_diag *d);
/** Suppresses warnings and notes (errors always print). */
void vb_diag_set_quiet(vb_diag *d, bool quiet);
/** GNU style: "file:line:col: error: msg", then the source line and a caret
 *  "^~~~" under the span (errors and warnings only). Without a location:
 *  "vanban: error: msg". Messages start lower case, no trailing period. */
void vb_diag_error(vb_diag *d, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
/** vb_diag_error for wrappers that count their own errors. */
void vb_diag_verror(vb_diag *d, vb_span span, const char *fmt, va_list ap) VB_PRINTF(3, 0);
void vb_diag_warn(vb_diag *d, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
void vb_diag_note(vb_diag *d, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
unsigned vb_diag_error_count(const vb_diag *d);

/* ---- outfile: atomic output. A regular (or not yet existing) target is written
 * to a mkstemp temporary beside it and renamed by vb_outfile_commit; a target
 * that is not a regular file ("-" = stdout, a pipe, /dev/...) is written directly. */
typedef struct vb_outfile vb_outfile;
/** Opens for writing; reports and returns NULL on failure (no file left). */
vb_outfile *vb_outfile_open(const char *path, vb_diag *d);
/** Write callback usable as vb_output: returns 0 or -1 (reported once, sticky). */
int vb_outfile_write(void *outfile, const void *data, size_t len);
/** Flushes and closes the temporary (fsync), keeping it for a later rename.
 *  Returns VB_OK or VB_EIO (reported). */
int vb_outfile_finish(vb_outfile *f);
/** Renames the finished temporary over the target and frees f. VB_OK / VB_EIO. */
int vb_outfile_commit(vb_outfile *f);
/** Removes the temporary (if any) and frees f. Never fails; NULL is fine. */
void vb_outfile_abort(vb_outfile *f);
const char *vb_outfile_path(const vb_outfile *f);
/** The temporary being written (NULL for direct output), and what it will be
 *  renamed to: for handing a finished file to another process to commit. */
const char *vb_outfile_temp_path(const vb_outfile *f);
const char *vb_outfile_target(const vb_outfile *f);
/** Frees f and keeps its finished temporary (someone else commits it; it is
 *  no longer removed on a signal: list it with vb_cleanup_add_list). */
void vb_outfile_release(vb_outfile *f);

/* ---- cleanup on SIGTERM, SIGINT, SIGHUP: every temporary of a vb_outfile
 * still being written or waiting for its commit is removed, and the process
 * exits with 128 + the signal number. */
/** Installs the handlers (once; signals ignored at start stay ignored). */
void vb_cleanup_install(void);
/** A file naming temporaries (one path a line, up to a 0x1f if the line goes on;
 *  backslash escapes \n, \u for 0x1f, \\) that a child hands over or a run commits
 *  later: on a signal they are removed, and the file too. Paths are copied. */
void vb_cleanup_add_list(const char *path);
void vb_cleanup_remove_list(const char *path);
/** Any other file to remove on a signal (copied), and forgetting it again. */
void vb_cleanup_add_file(const char *path);
void vb_cleanup_remove_file(const char *path);
/** g_file_open_tmp(tmpl) in TMPDIR, registered as a file to remove (as_list: as a
 *  list, vb_cleanup_add_list) with the signals held off in between, so a signal
 *  never leaves it. Returns the descriptor (*path: the new name, g_free it), or -1
 *  with errno set and *path NULL. */
int vb_cleanup_open_tmp(const char *tmpl, char **path, bool as_list);
/** fork() with the child registered, before any signal can come, as a process
 *  sent SIGTERM (and waited for) before the cleanup; the child starts with none
 *  of the parent's temporaries, lists or children (they are the parent's to
 *  remove). Returns as fork does. */
int vb_cleanup_fork(void);
/** A child process (vb_cleanup_fork) reaped: no longer sent SIGTERM on a signal. */
void vb_cleanup_remove_child(int pid);

#endif
