/* csv.c - vanban input stage: CSV (RFC 4180, with ';' or TAB separators and
 * LF line ends accepted) → a SEQ of MAPs keyed by the header row, every cell
 * with its span. */
#include "input.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

typedef struct field {
  uint32_t start, end; /* the text: inside the quotes for a quoted field */
  uint32_t quote;      /* offset of the opening quote (quoted fields) */
  bool quoted;
  bool escaped;        /* holds "" or CRLF to rewrite */
} field;

typedef struct reader {
  const char *text;
  uint32_t len, pos;
  uint32_t src;
  char sep;
  vb_diag *d;
  field *fields;
  size_t nfields, cap;
  const vb_limits *limits;
} reader;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The most frequent of ',' ';' TAB outside quotes on the first line. */
static char guess_separator(const char *s, size_t len) {
  size_t comma = 0, semi = 0, tab = 0;
  bool q = false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '"')
      q = !q;
    else if (!q && (c == '\n' || c == '\r')) {
      if (comma + semi + tab > 0)
        break;
    } else if (!q && c == ',')
      comma++;
    else if (!q && c == ';')
      semi++;
    else if (!q && c == '\t')
      tab++;
  }
  if (semi > comma && semi >= tab)
    return ';';
  if (tab > comma && tab > semi)
    return '\t';
  return ',';
}

static void push_field(reader *r, field f) {
  if (r->nfields == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->fields = vb_xrealloc(r->fields, r->cap * sizeof *r->fields);
  }
  r->fields[r->nfields++] = f;
}

static bool at_eol(const reader *r, uint32_t i) {
  return i >= r->len || r->text[i] == '\n' || r->text[i] == '\r';
}

static uint32_t skip_eol(const reader *r, uint32_t i) {
  if (i < r->len && r->text[i] == '\r')
    i++;
  if (i < r->len && r->text[i] == '\n')
    i++;
  return i;
}

static vb_span char_at(const reader *r, uint32_t off) {
  uint32_t end = off;
  if (off < r->len) {
    const char *p = r->text + off;
    vb_utf8_next(&p, r->text + r->len);
    end = (uint32_t)(p - r->text);
  }
  return vb_span_make(r->src, off, end);
}

/* Reads one record into r->fields. Returns 0, or -1 after reporting. */
static int read_record(reader *r) {
  r->nfields = 0;
  uint32_t i = r->pos;
  for (;;) {
    field f = {0};
    uint32_t j = i;
    while (j < r->len && is_blank(r->text[j]) && r->text[j] != r->sep)
      j++;
    if (j < r->len && r->text[j] == '"') {
      f.quoted = true;
      f.quote = j;
      f.start = ++j;
      for (;;) {
        if (j >= r->len) {
          vb_diag_error(r->d, char_at(r, f.quote), "unterminated quoted field");
          return -1;
        }
        if (r->text[j] == '"') {
          if (j + 1 < r->len && r->text[j + 1] == '"') {
            f.escaped = true;
            j += 2;
            continue;
          }
          break;
        }
        if (r->text[j] == '\r')
          f.escaped = true;
        j++;
      }
      f.end = j++;
      while (j < r->len && is_blank(r->text[j]) && r->text[j] != r->sep)
        j++;
      if (!at_eol(r, j) && r->text[j] != r->sep) {
        vb_diag_error(r->d, char_at(r, j),
                      "unexpected text after the closing quote (write \"\" for a quote "
                      "inside a quoted field)");
        return -1;
      }
    } else {
      f.start = j;
      while (!at_eol(r, j) && r->text[j] != r->sep)
        j++;
      f.end = j;
      while (f.end > f.start && is_blank(r->text[f.end - 1]))
        f.end--;
    }
    if ((uint64_t)(f.end - f.start) > r->limits->csv_cell_bytes) {
      vb_diag_error(r->d, char_at(r, f.quoted ? f.quote : f.start),
                    "cell of %u bytes is larger than %llu (the csv-cell-bytes limit; raise it with --limit csv-cell-bytes=N)",
                    f.end - f.start, (unsigned long long)r->limits->csv_cell_bytes);
      return -1;
    }
    if (r->nfields >= r->limits->csv_columns) {
      vb_diag_error(r->d, char_at(r, f.quoted ? f.quote : f.start),
                    "more than %llu columns (the csv-columns limit; raise it with --limit csv-columns=N)",
                    (unsigned long long)r->limits->csv_columns);
      return -1;
    }
    push_field(r, f);
    if (j < r->len && r->text[j] == r->sep) {
      i = j + 1;
      continue;
    }
    r->pos = skip_eol(r, j);
    return 0;
  }
}

static bool record_blank(const reader *r) {
  for (size_t i = 0; i < r->nfields; i++)
    if (r->fields[i].quoted || r->fields[i].end > r->fields[i].start)
      return false;
  return true;
}

/* A field's text: quotes undone ("" → ") and CRLF → LF. */
static vb_value *field_value(vb_tree *t, const reader *r, const field *f) {
  vb_span span = vb_span_make(r->src, f->start, f->end);
  if (!f->escaped) {
    vb_value *v = vb_value_new_string(t, r->text + f->start, f->end - f->start, span);
    v->quoted = f->quoted;
    return v;
  }
  char *buf = vb_xmalloc(f->end - f->start + 1);
  size_t n = 0;
  for (uint32_t i = f->start; i < f->end; i++) {
    char c = r->text[i];
    if (c == '"' && i + 1 < f->end && r->text[i + 1] == '"')
      i++;
    else if (c == '\r' && i + 1 < f->end && r->text[i + 1] == '\n')
      continue;
    buf[n++] = c;
  }
  vb_value *v = vb_value_new_string(t, buf, n, span);
  v->quoted = true;
  free(buf);
  return v;
}

typedef struct column {
  const char *name; /* tree arena */
  vb_span span;
} column;

static int read_header(reader *r, vb_tree *t, column **cols, size_t *ncols) {
  *cols = vb_xcalloc(r->nfields, sizeof **cols);
  *ncols = r->nfields;
  /* name → 1 + column: duplicates found in linear time, whatever the width */
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  int rc = 0;
  for (size_t i = 0; i < r->nfields; i++) {
    field f = r->fields[i];
    if (f.quoted) { /* trimmed as well: a header is a name */
      while (f.start < f.end && is_blank(r->text[f.start]))
        f.start++;
      while (f.end > f.start && is_blank(r->text[f.end - 1]))
        f.end--;
    }
    vb_value *v = field_value(t, r, &f);
    vb_span span = f.quoted && f.start == f.end ? char_at(r, f.quote) : v->span;
    if (v->len == 0) {
      vb_diag_error(r->d, span, "empty column name in header");
      rc = -1;
      break;
    }
    size_t k = GPOINTER_TO_SIZE(g_hash_table_lookup(seen, v->str));
    if (k) {
      vb_diag_error(r->d, span, "duplicate column '%s' in header", v->str);
      vb_diag_note(r->d, (*cols)[k - 1].span, "'%s' first appears here", v->str);
      rc = -1;
      break;
    }
    g_hash_table_insert(seen, (gpointer)v->str, GSIZE_TO_POINTER(i + 1));
    (*cols)[i].name = v->str;
    (*cols)[i].span = span;
  }
  g_hash_table_destroy(seen);
  return rc;
}

/* Where data rows are found again: the start of every ROW_STEP-th one (64 KB for
 * four million rows), the rows between read again from there; and a cursor after
 * the row read last, so that reading the rows in order reads each once. */
#define ROW_STEP 64
/* Reading gives the pages of a mapped source back behind it this often. */
#define RELEASE_BYTES (1u << 20)

struct vb_csv {
  reader r;
  const vb_sources *sources;
  vb_tree *names;  /* the header cells */
  column *cols;
  size_t ncols;
  uint32_t *marks; /* marks[j]: where data row j * ROW_STEP starts */
  size_t nmarks, cap;
  size_t nrows;
  size_t next_row;  /* the cursor: data row next_row is the first non-blank record */
  uint32_t next_pos; /* ... from here */
  uint32_t kept;     /* the pages from here on have not been given back */
};

/* Gives back the pages of a mapped source behind `pos` once enough have been read. */
static void release_behind(vb_csv *c, uint32_t pos) {
  if (pos < c->kept)
    c->kept = pos; /* going back: what is read from here on is given back later */
  else if (pos - c->kept >= RELEASE_BYTES) {
    vb_sources_release(c->sources, c->r.src, c->kept, pos);
    c->kept = pos;
  }
}

void vb_csv_free(vb_csv *c) {
  if (!c)
    return;
  free(c->cols);
  free(c->r.fields);
  free(c->marks);
  if (c->names)
    vb_tree_free(c->names);
  free(c);
}

vb_csv *vb_csv_open(vb_sources *sources, uint32_t src, vb_diag *d) {
  size_t len = 0;
  const char *text = vb_sources_text(sources, src, &len);
  vb_csv *c = vb_xcalloc(1, sizeof *c);
  c->sources = sources;
  reader *r = &c->r;
  r->text = text;
  r->len = (uint32_t)len;
  r->src = src;
  r->d = d;
  r->limits = vb_sources_limits(sources);
  r->sep = guess_separator(text, len);
  c->names = vb_tree_new();
  bool have_header = false, ok = true;

  while (r->pos < r->len) {
    uint32_t row_start = r->pos;
    if (read_record(r) != 0) {
      ok = false;
      break;
    }
    if (record_blank(r))
      continue;
    if (!have_header) {
      if (read_header(r, c->names, &c->cols, &c->ncols) != 0) {
        ok = false;
        break;
      }
      have_header = true;
      continue;
    }
    /* Extra cells are an error unless empty (a trailing separator). */
    for (size_t i = c->ncols; i < r->nfields; i++) {
      const field *f = &r->fields[i];
      if (f->quoted || f->end > f->start) {
        vb_diag_error(d, f->quoted ? char_at(r, f->quote) : vb_span_make(src, f->start, f->end),
                      "row has %zu fields but the header has %zu", r->nfields, c->ncols);
        ok = false;
        break;
      }
    }
    if (!ok)
      break;
    if (c->nrows >= r->limits->records) {
      vb_diag_error(d, vb_span_make(src, row_start, row_start),
                    "more than %llu rows (the records limit; raise it with --limit records=N)",
                    (unsigned long long)r->limits->records);
      ok = false;
      break;
    }
    if (c->nrows % ROW_STEP == 0) {
      if (c->nmarks == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->marks = vb_xrealloc(c->marks, c->cap * sizeof *c->marks);
      }
      c->marks[c->nmarks++] = row_start;
    }
    c->nrows++;
    release_behind(c, row_start);
  }
  if (!ok) {
    vb_csv_free(c);
    return NULL;
  }
  vb_sources_release(sources, src, c->kept, r->len);
  c->kept = 0;
  c->next_row = 0;
  c->next_pos = c->nmarks ? c->marks[0] : r->len;
  return c;
}

size_t vb_csv_count(const vb_csv *c) { return c->nrows; }
uint32_t vb_csv_source(const vb_csv *c) { return c->r.src; }
size_t vb_csv_column_count(const vb_csv *c) { return c->ncols; }
const char *vb_csv_column(const vb_csv *c, size_t i, vb_span *span) {
  if (span)
    *span = c->cols[i].span;
  return c->cols[i].name;
}

vb_value *vb_csv_row(vb_csv *c, size_t i, vb_tree *t) {
  reader *r = &c->r;
  if (i >= c->nrows)
    return NULL;
  /* from the cursor when row i is ahead of it, within a step; else from a mark */
  size_t at = c->next_row;
  uint32_t pos = c->next_pos;
  if (i < at || i - at >= ROW_STEP) {
    at = i / ROW_STEP * ROW_STEP;
    pos = c->marks[i / ROW_STEP];
  }
  uint32_t row_start;
  for (;;) {
    if (pos >= r->len)
      return NULL; /* the file changed under us */
    row_start = r->pos = pos;
    if (read_record(r) != 0) /* cannot fail, unless the file changed: it was read once */
      return NULL;
    pos = r->pos;
    if (record_blank(r))
      continue;
    if (at == i)
      break;
    at++;
  }
  c->next_row = i + 1;
  c->next_pos = r->pos;
  release_behind(c, row_start);
  const field *last = &r->fields[r->nfields - 1];
  uint32_t row_end = last->quoted ? last->end + 1 : last->end;
  vb_value *row = vb_value_new(t, VB_VALUE_MAP, vb_span_make(r->src, row_start, row_end));
  for (size_t k = 0; k < c->ncols; k++) {
    vb_value *v;
    if (k < r->nfields)
      v = field_value(t, r, &r->fields[k]);
    else
      v = vb_value_new_string(t, "", 0, vb_span_make(r->src, row_end, row_end));
    v->key = vb_arena_strdup(vb_tree_arena(t), c->cols[k].name);
    v->key_span = c->cols[k].span;
    vb_value_append(row, v);
  }
  return row;
}

vb_tree *vb_csv_parse(vb_sources *sources, uint32_t src, vb_diag *d) {
  vb_csv *c = vb_csv_open(sources, src, d);
  if (!c)
    return NULL;
  vb_tree *t = vb_tree_new();
  vb_value *root = vb_value_new(t, VB_VALUE_SEQ, vb_span_make(src, 0, c->r.len));
  vb_tree_set_root(t, root);
  for (size_t i = 0; i < c->nrows; i++)
    vb_value_append(root, vb_csv_row(c, i, t));
  vb_csv_free(c);
  return t;
}
