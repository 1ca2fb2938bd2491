/* cli.h - the command line stage: options → vb_config, one vb_run per invocation
 * wiring the stages (records → layout → display → backend), output naming and
 * writing, --jobs workers, and one file per command. Exit codes as DESIGN.md
 * "Command line" fixes them. The cli stage may include every other stage. */
#ifndef VB_CLI_CLI_H
#define VB_CLI_CLI_H

#include "../backend/backend.h"
#include "../base/base.h"
#include "../conformance/conformance.h"
#include "../display/display.h"
#include "../input/input.h"
#include "../layout/layout.h"
#include "../records/records.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef VB_VERSION
#define VB_VERSION "0.1.0"
#endif

/* ---- types */

/** Exit statuses (DESIGN.md): 0 all written. */
enum { VB_EXIT_RECORDS = 1, VB_EXIT_USAGE = 2, VB_EXIT_LAYOUT = 3 };

/** Everything the options say; read-only once parsed (the strings point into argv). */
typedef struct vb_config {
  const char *command;
  const char *output;
  const char *layout;
  vb_format format;
  bool format_set;
  const char *backend;
  vb_encoding encoding;
  const char *caps_fields; /* --encoding tcvn3-caps=FIELD,...: those fields (argv) */
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
  bool pdfa;                      /* PDF/A-1b (haru backend) */
  const char *password;           /* user password (haru backend encrypts) */
  const char *owner_password;
  char *password_buf;             /* --password-file's first line (heap) */
  const char *password_file;      /* --password-file: an input, never an output */
  unsigned permissions;           /* VB_PERM_*; default print */
  unsigned month, year;  /* bulletin: --month YYYY-MM (0: not given) */
  unsigned issue;        /* bulletin: --issue N (0: from organization.bulletin) */
  bool allow_outside;    /* images may lie outside their record's folder */
  bool draft;       /* --draft: "DỰ THẢO" and no number (minutes) */
  bool conformance; /* check --conformance: run the spec's rules on each document */
  vb_limits limits; /* the defaults, changed by --limit NAME=N */
  char **files;
  int nfiles;
} vb_config;

/** One output file written and waiting for the commit (or the abort) at the end: a
 * line of the run's journal (journal.c). Strings are borrowed. */
typedef struct vb_journal_entry {
  const char *tmp;    /* the finished temporary ("" when written in place) */
  const char *target; /* what it is renamed to */
  const char *path;   /* the output name (messages, the manifest) */
  const char *input;  /* the record file it comes from */
  const char *sha;    /* sha256 in hex ("" without --manifest) */
  unsigned stt;       /* the record's number in the run: the order of the files */
  unsigned part;      /* the file's first page within the record (one file a page) */
  unsigned pages;
} vb_journal_entry;

/** The files one run has written and not yet committed, in a file (not in memory). */
typedef struct vb_journal vb_journal;
/** The output names one run has given, as 64-bit fingerprints (memory, then a file). */
typedef struct vb_nameset vb_nameset;

/** The state of one invocation: the stages' objects, the layouts loaded, the outputs. */
typedef struct vb_run {
  vb_config *cfg;
  vb_sources *sources;
  vb_diag *diag;
  vb_resources *res;
  vb_typesetter *ts;
  GPtrArray *layout_dirs;
  GHashTable *layouts; /* name → vb_layout* */
  const vb_backend_class *cls;
  vb_backend_opts bopts;
  vb_backend_cache *bcache; /* kept between the backends of one file per document */
  /* single output */
  vb_outfile *out;
  vb_backend *backend;
  GChecksum *sha;
  /* per-document outputs */
  vb_journal *journal; /* the files written and not yet committed; NULL: none yet */
  vb_nameset *names;   /* output names given, when the pattern can repeat one */
  bool names_distinct; /* the -o pattern gives every record a name of its own */
  unsigned pages, docs_failed, width;
  bool fatal;
  int layout_error;
  /* --jobs worker: the records that passed the pre-pass (a bit by stt - 1), and the
   * file of their output names (decided up front, '\0'-separated, in order) */
  const unsigned char *good;
  FILE *names_in;
  char *fixed_name; /* the current record's name, read from names_in */
  unsigned job, jobs; /* this worker's number, and how many there are */
  const char *current_input;
  GPtrArray *made_dirs; /* folders this run created for its outputs, outermost first:
                           removed again (when empty) if nothing is written */
  vb_doc_kind doc;      /* what vb_run_load loaded last (the default layout follows it) */
  GPtrArray *checks;    /* check --conformance: vb_check_entry*, one per layout */
} vb_run;

/** check --conformance: the checker of one layout's documents. */
typedef struct vb_check_entry {
  char *layout;  /* the layout's name */
  char *ruleset; /* its rule set */
  vb_checker *ck;
} vb_check_entry;

/* ---- options (options.c) */

/** Prints "vanban: MESSAGE" and the --help hint to stderr. */
void vb_cli_usage_error(const char *fmt, ...) VB_PRINTF(1, 2);
/** Help for `cmd` (NULL or unknown: the general help) on stdout. */
void vb_cli_help(const char *cmd);
/** The limits (name, value, what each bounds) on stdout: --limits. */
void vb_cli_limits(const vb_limits *l);
/** The version lines on stdout. */
void vb_cli_version(void);
/** Fills `cfg` from argv (argv[1] is the command). Returns -1 to go on, or an exit
 * status after printing help, the version or a usage error. */
int vb_cli_parse_args(int argc, char **argv, vb_config *cfg);
/** The folders searched for `what` ("layouts" or "fonts"), in order, `user` first if
 * given; NULL-terminated. Caller frees with g_ptr_array_free(…, TRUE). */
GPtrArray *vb_cli_data_dirs(const vb_config *cfg, const char *what, const char *user);

/* ---- output naming and writing (output.c) */

/** Whether the -o name holds {stt}, {ten} or {id} (one file per document). */
bool vb_outputs_is_pattern(const char *out);
/** The -o pattern with the placeholders of record `s` (number `stt`, padded to
 * `width`). Caller frees with g_free. */
char *vb_outputs_expand(const char *pat, unsigned stt, unsigned width, const vb_scope *s);
/** Makes `path` (taken) unique among this run's outputs: name.pdf, name-2.pdf, ...
 * Returns the name to use (caller frees with g_free), or NULL after reporting that
 * the list of names given could not be kept. */
char *vb_outputs_unique(vb_run *r, char *path);
/** Writes the pages of one document where the options say (a file of its own, one file
 * a page, or the single output); sets r->fatal on failure. Nothing for `check`. */
void vb_outputs_emit(vb_run *r, const vb_scope *s, unsigned stt, vb_dlist **pages,
                     size_t n);
/** Writes the --manifest file (one JSON line per output); sets r->fatal on failure. */
void vb_outputs_write_manifest(vb_run *r);
/** Reports an output (-o, each file of a pattern, --manifest) that is one of the
 * run's inputs (the same file, by any path), or a --manifest that is an output;
 * sets r->fatal. 0 or -1. */
int vb_outputs_check_inputs(vb_run *r);
/** Commits every output (with `keep`), or removes them all; frees the pending list. */
void vb_outputs_finish(vb_run *r, bool keep);
/** Settles the output: -o (else `default_output`), the format from its name, the backend
 * and its options. Returns -1 to go on, or an exit status after a usage error. */
int vb_outputs_setup(vb_run *r, const char *default_output);

/* ---- bookkeeping of one file per document (journal.c) */

/** A new journal in the file `path` (NULL: a new temporary in TMPDIR); with `listed`,
 * the temporaries it lists are removed on a signal. NULL after reporting. */
vb_journal *vb_journal_new(const char *path, bool listed, vb_diag *d);
/** Appends an entry (one write to the file); 0, or -1 after reporting. */
int vb_journal_add(vb_journal *j, const vb_journal_entry *e);
/** Entries added (0 for NULL). */
size_t vb_journal_count(const vb_journal *j);
/** The journal's file. Borrowed. */
const char *vb_journal_path(const vb_journal *j);
/** Called for each entry read back; a non-zero return stops the reading. */
typedef int (*vb_journal_fn)(const vb_journal_entry *e, void *ctx);
/** Reads the journal file `path` in order, calling fn with each entry (its strings
 * valid during the call). Returns fn's non-zero return, -1 if the file cannot be
 * read, else 0. */
int vb_journal_each_file(const char *path, vb_journal_fn fn, void *ctx);
/** The same over j (NULL or empty: 0). */
int vb_journal_each(const vb_journal *j, vb_journal_fn fn, void *ctx);
/** Appends the entries of the journal files `paths` to j in record order (stt, then
 * part): each file is in that order (a --jobs worker takes its records in turn), so
 * they are merged as they come, nothing held in memory. 0 or -1. */
int vb_journal_merge(vb_journal *j, char *const *paths, size_t n);
/** Closes and removes the file (and its cleanup listing); NULL is fine. */
void vb_journal_free(vb_journal *j);

/** An empty set; it moves from memory to a file in TMPDIR past VANBAN_NAMES_MEMORY
 * bytes (1 MiB). Errors go to d. */
vb_nameset *vb_nameset_new(vb_diag *d);
/** Closes and removes its file; NULL is fine. */
void vb_nameset_free(vb_nameset *s);
/** Adds `name`: 1; 0 if it was there already (or, about once in 2^64 / n, another
 * name with the same fingerprint was); -1 after reporting that its file failed. */
int vb_nameset_add(vb_nameset *s, const char *name);

/* ---- the stages, shared by the commands (run.c) */

/** Makes the run's objects (sources, diagnostics, resources, typesetter with the font
 * folder). Returns -1 to go on, or an exit status after reporting; vb_run_free either way.
 */
int vb_run_init(vb_run *r, vb_config *cfg);
/** Frees what vb_run_init made (outputs are finished before). */
void vb_run_free(vb_run *r);

/** The layout named `name` (a name or a file), loaded once per run; NULL after
 * reporting (r->layout_error set). Borrowed: valid while the run lives. */
vb_layout *vb_run_layout(vb_run *r, const char *name);
/** The layout a record uses when -l is not given (from organization.kind). */
const char *vb_run_default_layout(const vb_run *r, const vb_scope *s);
/** Renders every record (of this shard, and of this worker with --jobs) and emits its
 * pages. Returns the number of records that failed to lay out. */
size_t vb_run_render(vb_run *r, GPtrArray *recs, size_t total, const vb_layout_opts *lopts);
/** Prints the calibration grid of layout -l (or `fallback`); returns the exit status. */
int vb_run_calibrate(vb_run *r, const char *fallback);
/** Loads every input file as records of kind `doc` into *recs (caller frees with
 * g_ptr_array_free(…, TRUE)) and their count into *total. Returns -1 to go on, or an
 * exit status (then *recs is NULL). */
int vb_run_load(vb_run *r, vb_doc_kind doc, GPtrArray **recs, size_t *total);
/** Renders the loaded records; with `write`, commits the outputs (else writes nothing).
 * Returns the exit status. */
int vb_run_finish(vb_run *r, GPtrArray *recs, size_t total, bool write);

/* ---- check --conformance (conformance.c) */

/** Runs the rule set of layout `l` on one document's pages (borrowed). Returns 0,
 * or -1 after reporting a layout whose `conformance` names no rule set (sets
 * r->layout_error). */
int vb_conformance_add(vb_run *r, vb_layout *l, const char *label, vb_dlist *const *pages,
                       size_t n);
/** Prints one line per rule of every checker on stdout (PASS/FAIL, id, sentence,
 * section; on failure where and what was measured). Returns the number of rules
 * that failed; -1 when nothing was checked (reported). */
int vb_conformance_report(vb_run *r);
/** Frees the checkers (safe when there are none). */
void vb_conformance_free(vb_run *r);

/* ---- --jobs workers (jobs.c) */

/** Shares the records out among cfg->jobs forked workers writing one file per document;
 * commits all their files, or none. Returns the exit status. */
int vb_jobs_run(vb_run *r, GPtrArray *recs, size_t total);

/* ---- commands (one file each) */

/** `vanban certificates`: award certificates. */
int vb_cmd_certificates(vb_run *r);
/** `vanban minutes`: meeting minutes. */
int vb_cmd_minutes(vb_run *r);
/** `vanban bulletin`: one issue of the monthly bulletin from a month of events. */
int vb_cmd_bulletin(vb_run *r);
/** `vanban check`: validate and lay out, write nothing. */
int vb_cmd_check(vb_run *r);
/** `vanban layouts`: list the layouts found. */
int vb_cmd_layouts(vb_run *r);

#endif
