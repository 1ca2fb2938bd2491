/* input.h - vanban input stage: bytes in any supported encoding → NFC UTF-8
 * source text → vb_value trees (YAML 1.2 / JSON via libfyaml, CSV per RFC 4180)
 * in which every node keeps its source span.
 * (vb_value lives here rather than in records/ because records/ comes later in
 * the pipeline and input/ must produce it.) */
#ifndef VB_INPUT_INPUT_H
#define VB_INPUT_INPUT_H

#include "../base/base.h"

/* ---- value tree */
typedef enum {
  VB_VALUE_NULL,   /* YAML null / empty value / JSON null */
  VB_VALUE_STRING, /* every scalar: strings, numbers, booleans keep their text */
  VB_VALUE_MAP,
  VB_VALUE_SEQ
} vb_value_kind;

/** Where one item of a lazy list (see vb_yaml_parse_lazy) is in its source. */
typedef struct vb_lazy_item {
  uint32_t start, end; /* byte range of the item (a map) in the registered text */
  uint32_t indent;     /* code points before `start` on its line */
} vb_lazy_item;

typedef struct vb_value vb_value;
struct vb_value {
  vb_value_kind kind;
  vb_span span;     /* the node (a scalar: its text without quotes if possible) */
  const char *key;  /* key when the parent is a map, else NULL */
  vb_span key_span; /* span of the key */
  const char *str;  /* STRING: NUL-terminated NFC UTF-8; NULL for other kinds */
  size_t len;       /* STRING: byte length */
  bool quoted;      /* STRING: quoted/JSON string (false: plain, number, bool) */
  vb_value *parent, *first, *last, *next; /* children of MAP/SEQ in order */
  size_t count;     /* MAP/SEQ: number of children (of items, for a lazy SEQ) */
  /* A lazy SEQ (made by vb_yaml_parse_lazy): `count` item locations in the
   * tree's arena and no child nodes (first/last are NULL); vb_yaml_item builds
   * item i on demand. NULL for every other node. */
  const vb_lazy_item *lazy;
};

/** A tree owns its nodes and strings (one arena). */
typedef struct vb_tree vb_tree;
vb_tree *vb_tree_new(void);
void vb_tree_free(vb_tree *t);
vb_value *vb_tree_root(const vb_tree *t);
void vb_tree_set_root(vb_tree *t, vb_value *root);
vb_arena *vb_tree_arena(vb_tree *t);

/** New node owned by t; `key` is NULL until attached to a map. */
vb_value *vb_value_new(vb_tree *t, vb_value_kind kind, vb_span span);
/** New STRING node; s is copied. */
vb_value *vb_value_new_string(vb_tree *t, const char *s, size_t len, vb_span span);
/** Appends child to a SEQ (or MAP, when child->key is set). */
void vb_value_append(vb_value *parent, vb_value *child);
/** Sets map[key] = child (key copied into t); replaces an existing entry. */
void vb_value_set(vb_tree *t, vb_value *map, const char *key, vb_span key_span, vb_value *child);
/** Deep copy of v (and its spans) into t. */
vb_value *vb_value_copy(vb_tree *t, const vb_value *v);
/** map[key] or NULL (also NULL when map is not a MAP). */
vb_value *vb_value_get(const vb_value *map, const char *key);
/** Follows a dotted path "a.b.c" through maps; NULL if any part is missing. */
vb_value *vb_value_lookup(const vb_value *v, const char *path);
/** The string of a STRING node, NULL otherwise. */
static inline const char *vb_value_str(const vb_value *v) {
  return v && v->kind == VB_VALUE_STRING ? v->str : NULL;
}
const char *vb_value_kind_name(vb_value_kind k); /* "null" "string" "map" "list" */

/* ---- decoding */
typedef enum {
  VB_ENC_AUTO,   /* UTF-8 (BOM optional), UTF-16 (with or without a BOM); otherwise
                    the legacy encoding whose reading scores best as Vietnamese text
                    (said in a warning; refused when two score the same); VIQR for
                    ASCII text full of VIQR marks */
  VB_ENC_UTF8,
  VB_ENC_CP1258, /* Windows-1258 (Excel "CSV" on Vietnamese Windows) */
  VB_ENC_TCVN3,  /* TCVN 5712:1993 VN3, "ABC" (".VnTime" fonts) */
  VB_ENC_VNI,    /* VNI-Windows */
  VB_ENC_TCVN3_CAPS, /* TCVN3 typed in a ".VnTimeH" font: the lower-case codes were
                        shown as capitals. Decoded as TCVN3; the records stage puts
                        the text fields (or the fields named) in capitals. */
  VB_ENC_VIQR    /* VIQR, RFC 1456 (ASCII marks: "Vie^.t Nam") */
} vb_encoding;
/** "auto", "utf-8"/"utf8", "cp1258"/"windows-1258", "tcvn3"/"abc", "tcvn3-caps",
 *  "vni"/"vni-windows", "viqr" (any case). 0 or -1. */
int vb_encoding_from_name(const char *name, vb_encoding *enc);
/** An --encoding value: a name as above, or "tcvn3-caps=FIELD[,FIELD...]" (TCVN3 in
 *  which only the fields named were typed in a .VnTimeH font). *caps_fields gets
 *  the list (pointing into spec) or NULL. 0 or -1. */
int vb_encoding_parse(const char *spec, vb_encoding *enc, const char **caps_fields);
const char *vb_encoding_name(vb_encoding enc);
/** The encoding a registered source was read in (VB_ENC_UTF8 for UTF-8 and
 *  UTF-16; what auto chose); VB_ENC_AUTO for a source not loaded by this stage. */
static inline vb_encoding vb_input_source_encoding(const vb_sources *sources, uint32_t src) {
  return (vb_encoding)vb_sources_tag(sources, src);
}

/** What a UTF-8 value looks like when it was decoded wrongly before it came in. */
typedef enum {
  VB_MISDECODE_NONE,
  VB_MISDECODE_TCVN3,      /* TCVN3 bytes shown as Windows-1252 ("Uû ban nh©n d©n") */
  VB_MISDECODE_VNI,        /* VNI bytes shown as Windows-1252 ("Vieät Nam") */
  VB_MISDECODE_CP1258,     /* Windows-1258 bytes shown as Windows-1252 */
  VB_MISDECODE_UTF8_TWICE  /* UTF-8 bytes shown as Windows-1252, saved again ("PhÆ°á»ng") */
} vb_misdecode;
/** Checks a value (NFC UTF-8): when every character is one Windows-1252 byte and
 *  those bytes read as clean Vietnamese text in one of the encodings above,
 *  returns which and sets *fixed to that reading (caller frees); else
 *  VB_MISDECODE_NONE and *fixed NULL. Fast for ordinary text: it stops at the
 *  first character Windows-1252 does not have (ư ơ đ ă ệ...). */
vb_misdecode vb_text_misdecoded(const char *s, size_t len, char **fixed);

/** Reads a file ("-" = stdin), converts it to NFC UTF-8 (dropping a BOM) and
 *  registers it in `sources` under `path`. Returns the source id, or 0 after
 *  reporting (cannot read: "vanban: cannot open 'x': reason"; broken UTF-8:
 *  "file:line:col: error: invalid UTF-8 byte 0xC3 ..."). */
uint32_t vb_input_load_file(vb_sources *sources, const char *path, vb_encoding enc,
                            vb_diag *d);
/** vb_input_load_file, reporting a file that cannot be opened or read (not a
 *  regular file, larger than the record-bytes limit) at `from`: the field that
 *  named it. Reading stops at the limit as the bytes come in. */
uint32_t vb_input_load_file_at(vb_sources *sources, const char *path, vb_encoding enc,
                               vb_span from, vb_diag *d);
/** The same for bytes in memory (copied). */
uint32_t vb_input_load_bytes(vb_sources *sources, const char *name, const char *bytes,
                             size_t len, vb_encoding enc, vb_diag *d);

/* ---- parsers: return NULL after reporting a syntax error with its span */
/** YAML 1.2 or JSON (a JSON text is YAML). Scalars become STRING nodes (plain
 *  `null`, `~` and empty values become NULL nodes). Duplicate keys, aliases
 *  loops, more than one document and nesting deeper than 64 are errors. */
vb_tree *vb_yaml_parse(vb_sources *sources, uint32_t src, vb_diag *d);
/** vb_yaml_parse, except that a list that is the value of a map key named in
 *  `lazy_keys` (NULL-terminated; NULL = none) and whose items are all maps is
 *  kept as a lazy SEQ: its items are read and checked (every error is still
 *  reported here) but not kept; see vb_value.lazy and vb_yaml_item. Lists
 *  inside such an item are never lazy. A document with an anchor, an alias or
 *  a directive is read in full (lazy_keys ignored). The source text must stay
 *  registered while the tree is used. */
vb_tree *vb_yaml_parse_lazy(vb_sources *sources, uint32_t src, const char *const *lazy_keys,
                            vb_diag *d);
/** Item i of a lazy SEQ (`seq->lazy` set, i < seq->count) read again from
 *  its source into `into` (owned by the caller): a MAP node whose spans and
 *  key spans are those of the full tree, with no key and no parent. For a
 *  SEQ that is not lazy: its i-th child (not copied). Returns NULL after
 *  reporting if the item cannot be read (which vb_yaml_parse_lazy rules out). */
vb_value *vb_yaml_item(vb_sources *sources, const vb_value *seq, size_t i, vb_tree *into,
                       vb_diag *d);
/** Number of items of a SEQ (lazy or not) or entries of a MAP; 0 otherwise. */
size_t vb_value_item_count(const vb_value *v);
/** CSV (RFC 4180; separator ',' or ';' or TAB guessed from the header row).
 *  Root: SEQ of MAPs, one per data row, keyed by the header cells (trimmed);
 *  a row's span covers the row, each cell's span its text; blank rows skipped.
 *  A row with more cells than the header is an error. */
vb_tree *vb_csv_parse(vb_sources *sources, uint32_t src, vb_diag *d);

/* ---- CSV read row by row: a list of 100,000 recipients need not be a tree */
typedef struct vb_csv vb_csv;
/** Reads and checks a CSV as vb_csv_parse does, keeping only its header and
 *  where every 64th data row starts. Returns NULL after reporting. The source text
 *  must stay registered while the vb_csv lives. */
vb_csv *vb_csv_open(vb_sources *sources, uint32_t src, vb_diag *d);
void vb_csv_free(vb_csv *c);
size_t vb_csv_count(const vb_csv *c); /* data rows */
size_t vb_csv_column_count(const vb_csv *c);
/** Header cell i (borrowed) and its span. */
const char *vb_csv_column(const vb_csv *c, size_t i, vb_span *span);
/** Data row i as a MAP keyed by the header cells, built in `t`; NULL when the file
 *  no longer holds it (it changed since vb_csv_open). Rows are found from a sparse
 *  table (every 64th) and a cursor after the row read last: reading them in order
 *  (also every k-th) costs one reading of each. The pages of a mapped source behind
 *  the rows read are given back as reading goes on. */
vb_value *vb_csv_row(vb_csv *c, size_t i, vb_tree *t);
/** The source id the list was read from. */
uint32_t vb_csv_source(const vb_csv *c);

#endif
