/* records.h - vanban records stage: typed, validated views over input trees.
 * Loads record files (YAML/JSON, CSV recipient lists), checks every field
 * against the contract in DESIGN.md and yields "scopes": one per document to
 * render (a certificate per recipient, minutes per event), through which a
 * layout looks fields up by dotted path. */
#ifndef VB_RECORDS_RECORDS_H
#define VB_RECORDS_RECORDS_H

#include "../base/base.h"
#include "../input/input.h"

/** A name bound to a value in a scope ("org" → the organization map). */
typedef struct vb_binding {
  const char *name;
  const vb_value *value;
} vb_binding;

#define VB_SCOPE_MAX_ROOTS 12

/** What a layout sees of one document. Values are borrowed from the record
 *  trees (valid while the vb_records lives); `computed` holds derived values
 *  keyed by full dotted path ("award.date", "recipient.display_name"), which win
 *  over the roots. */
typedef struct vb_scope {
  vb_binding roots[VB_SCOPE_MAX_ROOTS];
  size_t nroots;
  const vb_value *computed; /* MAP of path → value, this record's */
  const vb_value *shared;   /* MAP of path → value, the file's (org.*) */
  vb_span span;             /* where the record starts (for notes) */
  const char *label;        /* "recipient 'Nguyễn Văn A'" / "event '2024-11-05-hop-mat'" */
  const char *slug;         /* {ten}: ASCII slug of the recipient / event title */
  const char *id;           /* {id}: the event id */
  const char *kind;         /* organization kind: party | state | front | union */
  bool failed;              /* validation failed (already reported): skip it */
} vb_scope;

/** Looks up a dotted path: computed, then shared, then the roots. NULL if absent. */
const vb_value *vb_scope_lookup(const vb_scope *s, const char *path);

typedef enum { VB_DOC_CERTIFICATES, VB_DOC_MINUTES, VB_DOC_BULLETIN } vb_doc_kind;

typedef struct vb_records_opts {
  vb_doc_kind doc;
  vb_encoding encoding;
  const char *org_file;          /* --org: organization (and award) for CSV inputs */
  const char *const *forms;      /* award forms that get certificates; NULL = default
                                    ("giấy khen", "tuyên dương") */
  const char *caps_fields;       /* with VB_ENC_TCVN3_CAPS: comma-separated fields
                                    (record field names or CSV column headers) typed in
                                    a .VnTimeH font, put in capitals; NULL = every text
                                    field of a file read as TCVN3 */
  bool allow_outside;            /* --allow-outside: emblem and recipients_csv paths may
                                    leave the record file's folder */
  const char *input_format;      /* --input-format: "yaml", "json" or "csv"; NULL = from
                                    the extension (.csv is CSV, anything else YAML/JSON) */
} vb_records_opts;

typedef struct vb_records vb_records;

/** Loads and validates one input file (YAML/JSON by extension or content; CSV
 *  needs opts->org_file; opts is copied, the strings it points to are borrowed).
 *  Returns NULL when the file cannot be read or parsed
 *  (reported; exit 2). Validation errors are reported and mark scopes failed. */
vb_records *vb_records_load(vb_sources *sources, const char *path, const vb_records_opts *opts,
                            vb_diag *d);
void vb_records_free(vb_records *r);
/** Number of documents (certificates or events), good or bad. */
size_t vb_records_count(const vb_records *r);
/** Builds the scope of document `i`, reporting what is wrong with its record
 *  (then scope->failed is set). The scope and its values are valid until the
 *  next call or vb_records_free: one scope lives at a time. */
const vb_scope *vb_records_get(vb_records *r, size_t i);
/** Records that failed so far: at load, and in the scopes built since. */
size_t vb_records_failed(const vb_records *r);

/** Field names known for a root ("org", "recipient", ...), for layout checks and
 *  "did you mean". NULL-terminated; NULL for an unknown root. */
const char *const *vb_records_fields(const char *root);
/** NULL-terminated list of root names a scope can bind. */
const char *const *vb_records_roots(void);

#endif
