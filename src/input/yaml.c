/* yaml.c - vanban input stage: YAML 1.2 (and so JSON, RFC 8259) → vb_value
 * trees, built from libfyaml's event stream with byte-offset spans. The only
 * file that includes <libfyaml.h>. */
#include "input.h"

#include <ctype.h>
#include <glib.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALIAS_NODES 1000000 /* nodes created by expanding aliases */
#define HASH_FROM 16            /* maps with this many keys get a key index */

typedef struct frame {
  vb_value *node;
  bool want_key;         /* MAP: the next event is a key */
  const char *key;       /* MAP: pending key (tree arena) */
  vb_span key_span;
  GHashTable *index;     /* MAP: key → child, once it is large */
  char *anchor;          /* anchor of this collection (registered at its end) */
  uint32_t start;        /* byte offset of the collection start */
  bool lazy;             /* SEQ: a lazy list (items checked, then dropped) */
} frame;

typedef struct anchor_entry {
  vb_value *node; /* NULL while the anchored collection is still open */
} anchor_entry;

typedef struct parser {
  vb_sources *sources;
  uint32_t src;
  const char *text; /* the registered source text: spans index it */
  size_t len;
  /* Reading one item of a lazy list again (vb_yaml_item): libfyaml reads a
   * buffer of `pad` spaces followed by the source text from `base` on, and
   * buffer position q is source offset base + q - pad. 0 and 0 otherwise. */
  uint32_t base;
  size_t pad;
  vb_diag *d;
  vb_tree *tree;
  vb_value *root;
  frame *stack; /* grows up to the depth limit */
  int depth, cap;
  uint64_t max_depth;    /* the depth limit */
  uint64_t max_string;   /* the string-bytes limit */
  GHashTable *anchors; /* name (owned) → anchor_entry (owned) */
  GHashTable *keys;    /* interned map keys (in tree's arena), or NULL */
  size_t alias_nodes;
  int documents;
  bool failed;
  /* lazy lists (vb_yaml_parse_lazy) */
  const char *const *lazy_keys; /* NULL: build everything */
  int lazy_depth;   /* depth of the open lazy list's frame + 1; 0 = none open */
  vb_tree *items;   /* nodes of the lazy item being read (reset after each) */
  GArray *locs;     /* vb_lazy_item of the open lazy list */
  bool restart;     /* lazy reading is not possible: read again in full */
  uint32_t last_off; /* start of the last event with a place: an empty value's */
} parser;

static void fail(parser *p);

/* Maps and lists nested deeper than the depth limit. */
static void depth_error(parser *p, vb_span span) {
  vb_diag_error(p->d, span,
                "nesting deeper than %llu levels of maps and lists (the depth limit; raise it "
                "with --limit depth=N)",
                (unsigned long long)p->max_depth);
  fail(p);
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static uint32_t mark_off(const parser *p, const struct fy_mark *m) {
  if (!m) /* as for an empty value: offset 0 (the same in an item read again) */
    return 0;
  size_t pos = m->input_pos < p->pad ? p->base : p->base + (m->input_pos - p->pad);
  return pos > p->len ? (uint32_t)p->len : (uint32_t)pos;
}

/* Where new nodes go: the current lazy item's scratch tree, or the tree. */
static vb_tree *tree_of(const parser *p) { return p->lazy_depth ? p->items : p->tree; }

static vb_span span_of(const parser *p, uint32_t start, uint32_t end) {
  if (end < start)
    end = start;
  return vb_span_make(p->src, start, end);
}

/* Event span, trailing blanks and line breaks dropped (block collections end
 * where the next token starts). */
static vb_span event_span(const parser *p, struct fy_event *e) {
  uint32_t s = mark_off(p, fy_event_start_mark(e)), t = mark_off(p, fy_event_end_mark(e));
  while (t > s && is_space(p->text[t - 1]))
    t--;
  return span_of(p, s, t);
}

static vb_span token_span(const parser *p, struct fy_token *tok, struct fy_event *e) {
  const struct fy_mark *s = tok ? fy_token_start_mark(tok) : NULL;
  const struct fy_mark *t = tok ? fy_token_end_mark(tok) : NULL;
  if (!s || !t)
    return event_span(p, e);
  return span_of(p, mark_off(p, s), mark_off(p, t));
}

static void fail(parser *p) { p->failed = true; }

static void free_anchor(gpointer v) { free(v); }

/* Nodes in v and its height (1 for a scalar). */
static void measure(const vb_value *v, size_t *nodes, int *height) {
  int h = 0;
  (*nodes)++;
  for (const vb_value *c = v->first; c; c = c->next) {
    int ch = 0;
    measure(c, nodes, &ch);
    if (ch > h)
      h = ch;
  }
  *height = h + 1;
}

/* Attaches a finished node (NULL key for maps is set from the frame). */
static void attach(parser *p, vb_value *v) {
  if (p->depth == 0) {
    p->root = v;
    return;
  }
  frame *f = &p->stack[p->depth - 1];
  if (f->node->kind == VB_VALUE_SEQ) {
    v->key = NULL;
    v->key_span = vb_span_none();
    vb_value_append(f->node, v);
    return;
  }
  v->key = f->key;
  v->key_span = f->key_span;
  vb_value_append(f->node, v);
  if (f->index)
    g_hash_table_insert(f->index, (gpointer)v->key, v);
  f->key = NULL;
  f->want_key = true;
}

static vb_value *find_key(frame *f, const char *key) {
  if (f->index)
    return g_hash_table_lookup(f->index, key);
  return vb_value_get(f->node, key);
}

/* A key arrived for the map on top of the stack. */
static void take_key(parser *p, const char *key, vb_span span) {
  frame *f = &p->stack[p->depth - 1];
  vb_value *prev = find_key(f, key);
  if (prev) {
    vb_diag_error(p->d, span, "duplicate key '%s'", key);
    vb_diag_note(p->d, prev->key_span, "'%s' first defined here", key);
    fail(p);
    return;
  }
  if (!f->index && f->node->count >= HASH_FROM) {
    f->index = g_hash_table_new(g_str_hash, g_str_equal);
    for (vb_value *c = f->node->first; c; c = c->next)
      g_hash_table_insert(f->index, (gpointer)c->key, c);
  }
  if (p->keys && !p->lazy_depth) { /* one copy of each key in the tree */
    char *k = g_hash_table_lookup(p->keys, key);
    if (!k) {
      k = vb_arena_strdup(vb_tree_arena(p->tree), key);
      g_hash_table_add(p->keys, k);
    }
    f->key = k;
  } else {
    f->key = vb_arena_strdup(vb_tree_arena(tree_of(p)), key);
  }
  f->key_span = span;
  f->want_key = false;
}

static bool in_key_position(const parser *p) {
  return p->depth > 0 && p->stack[p->depth - 1].node->kind == VB_VALUE_MAP &&
         p->stack[p->depth - 1].want_key;
}

static void set_anchor(parser *p, const char *name, vb_value *node) {
  anchor_entry *a = vb_xcalloc(1, sizeof *a);
  a->node = node;
  g_hash_table_replace(p->anchors, vb_xstrdup(name), a);
}

static bool is_tag_str(struct fy_token *tag) {
  if (!tag)
    return false;
  size_t n = 0;
  const char *t = fy_token_get_text(tag, &n);
  return t && ((n == 5 && memcmp(t, "!!str", 5) == 0) ||
               (n == 21 && memcmp(t, "tag:yaml.org,2002:str", 21) == 0));
}

/* Scalar text as NFC UTF-8 in the tree's arena; escapes ("\u0301", "\0") can
 * make text that is not NFC or holds a NUL. NULL after reporting. */
static char *scalar_text(parser *p, const char *s, size_t n, vb_span span, size_t *out_len) {
  if ((uint64_t)n > p->max_string) {
    vb_diag_error(p->d, span,
                  "text of %zu bytes is longer than %llu (the string-bytes limit; raise it "
                  "with --limit string-bytes=N)",
                  n, (unsigned long long)p->max_string);
    fail(p);
    return NULL;
  }
  bool ascii = true;
  for (size_t i = 0; i < n && ascii; i++)
    if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
      ascii = false;
  vb_arena *a = vb_tree_arena(tree_of(p));
  if (ascii) {
    *out_len = n;
    return vb_arena_strndup(a, s, n);
  }
  if (memchr(s, '\0', n)) {
    vb_diag_error(p->d, span, "text contains a NUL character");
    fail(p);
    return NULL;
  }
  if (!vb_utf8_valid(s, n, NULL)) {
    vb_diag_error(p->d, span, "text is not valid UTF-8");
    fail(p);
    return NULL;
  }
  if (vb_utf8_surely_nfc(s, n)) { /* the usual case; a lazy list reads items twice */
    *out_len = n;
    return vb_arena_strndup(a, s, n);
  }
  size_t m = 0;
  char *nfc = vb_utf8_nfc(s, n, &m);
  char *r = vb_arena_strndup(a, nfc, m);
  free(nfc);
  *out_len = m;
  return r;
}

/* A single-quoted scalar from its source text (YAML 1.2 7.3.2: '' is a
 * quote; lines folded). libfyaml 0.7.12 garbles runs of '' ('a''''b' gives
 * "a''''") and leaks while doing so, so such scalars are unquoted here. */
static void unquote_single(const char *raw, size_t n, vb_strbuf *out) {
  size_t newlines = 0;
  bool first = true;
  const char *p = raw, *end = raw + n;
  for (;;) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *a = p, *b = eol ? eol : end;
    if (!first)
      while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    if (eol)
      while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
        b--;
    if (!first) {
      if (a == b && eol) { /* an empty line inside: a line break */
        newlines++;
        p = eol + 1;
        continue;
      }
      if (newlines)
        for (; newlines; newlines--)
          vb_strbuf_putc(out, '\n');
      else
        vb_strbuf_putc(out, ' ');
    }
    for (const char *q = a; q < b; q++) {
      vb_strbuf_putc(out, *q);
      if (*q == '\'' && q + 1 < b && q[1] == '\'')
        q++;
    }
    first = false;
    if (!eol)
      break;
    p = eol + 1;
  }
}

static void on_scalar(parser *p, struct fy_event *e) {
  struct fy_token *tok = e->scalar.value;
  size_t n = 0;
  enum fy_scalar_style style = tok ? fy_token_scalar_style(tok) : FYSS_PLAIN;
  const char *s = NULL;
  vb_strbuf own = VB_STRBUF_INIT;
  if (style == FYSS_SINGLE_QUOTED) {
    vb_span raw = token_span(p, tok, e);
    const char *r = p->text + raw.start;
    size_t rn = raw.end - raw.start;
    for (size_t i = 0; i + 3 < rn && !s; i++)
      if (memcmp(r + i, "''''", 4) == 0) {
        unquote_single(r, rn, &own);
        s = vb_strbuf_cstr(&own);
        n = own.len;
      }
  }
  if (!s && tok) {
    /* The chunk iterator, not fy_token_get_text(): in libfyaml 0.7.12 the
     * latter sizes its buffer wrongly for escaped line breaks followed by
     * empty lines (garbage text and a leak). */
    struct fy_token_iter *it = fy_token_iter_create(tok);
    const struct fy_iter_chunk *ch = NULL;
    int err = 0;
    while (it && (ch = fy_token_iter_chunk_next(it, ch, &err)))
      vb_strbuf_add(&own, ch->str, ch->len);
    if (it)
      fy_token_iter_destroy(it);
    s = vb_strbuf_cstr(&own);
    n = own.len;
  }
  if (!s) {
    s = "";
    n = 0;
  }
  /* an empty value ("- " or "key:") has no place of its own: it is where the
   * item's dash or the key is, not at the top of the file */
  uint32_t at = fy_event_start_mark(e) ? mark_off(p, fy_event_start_mark(e)) : p->last_off;
  vb_span span = n ? token_span(p, tok, e) : span_of(p, at, at);
  size_t len = 0;
  char *text = scalar_text(p, s, n, span, &len);
  vb_strbuf_free(&own);
  if (!text)
    return;
  bool plain = style == FYSS_PLAIN || style == FYSS_ANY;
  if (in_key_position(p)) {
    if (plain && len == 0) {
      vb_diag_error(p->d, span, "empty map key");
      fail(p);
      return;
    }
    take_key(p, text, span);
    if (!p->failed && e->scalar.anchor) {
      /* An anchored key can be used as a value elsewhere. */
      vb_value *k = vb_value_new(tree_of(p), VB_VALUE_STRING, span);
      k->str = text;
      k->len = len;
      k->quoted = !plain;
      set_anchor(p, fy_token_get_text0(e->scalar.anchor), k);
    }
    return;
  }
  bool tag_str = is_tag_str(e->scalar.tag);
  bool is_null = plain && !tag_str &&
                 (len == 0 || strcmp(text, "~") == 0 || strcmp(text, "null") == 0 ||
                  strcmp(text, "Null") == 0 || strcmp(text, "NULL") == 0);
  vb_value *v = vb_value_new(tree_of(p), is_null ? VB_VALUE_NULL : VB_VALUE_STRING, span);
  if (!is_null) {
    v->str = text;
    v->len = len;
    v->quoted = !plain || tag_str;
  }
  if (e->scalar.anchor)
    set_anchor(p, fy_token_get_text0(e->scalar.anchor), v);
  attach(p, v);
}

static void on_alias(parser *p, struct fy_event *e) {
  const char *name = e->alias.anchor ? fy_token_get_text0(e->alias.anchor) : NULL;
  vb_span span = token_span(p, e->alias.anchor, e);
  /* The alias token's span starts after '*'; include it. */
  if (span.start > 0 && p->text[span.start - 1] == '*')
    span.start--;
  anchor_entry *a = name ? g_hash_table_lookup(p->anchors, name) : NULL;
  if (!a) {
    vb_diag_error(p->d, span, "unknown alias '*%s'", name ? name : "");
    fail(p);
    return;
  }
  if (!a->node) {
    vb_diag_error(p->d, span, "alias '*%s' refers to a node that contains it", name);
    fail(p);
    return;
  }
  size_t nodes = 0;
  int height = 0;
  measure(a->node, &nodes, &height);
  bool key = in_key_position(p);
  if (!key && (uint64_t)(p->depth + (a->node->kind == VB_VALUE_MAP ||
                                              a->node->kind == VB_VALUE_SEQ
                                          ? height
                                          : 0)) > p->max_depth) {
    depth_error(p, span);
    fail(p);
    return;
  }
  p->alias_nodes += nodes;
  if (p->alias_nodes > MAX_ALIAS_NODES) {
    vb_diag_error(p->d, span, "aliases expand to more than %d nodes", MAX_ALIAS_NODES);
    fail(p);
    return;
  }
  if (key) {
    if (a->node->kind != VB_VALUE_STRING) {
      vb_diag_error(p->d, span, "map keys must be text");
      fail(p);
      return;
    }
    take_key(p, a->node->str, span);
    return;
  }
  vb_value *v = vb_value_copy(tree_of(p), a->node);
  attach(p, v);
}

static bool is_lazy_key(const parser *p, const char *key) {
  for (const char *const *k = p->lazy_keys; *k; k++)
    if (strcmp(*k, key) == 0)
      return true;
  return false;
}

/* A lazy list's item (a map) [start, raw_end) was read and checked: keeps its
 * place and drops its nodes. raw_end is where the next token starts, so that
 * vb_yaml_item sees the same text up to it (block collections end there). */
static void end_lazy_item(parser *p, uint32_t start, uint32_t raw_end) {
  uint32_t line = start;
  while (line > 0 && p->text[line - 1] != '\n' && p->text[line - 1] != '\r')
    line--;
  uint32_t indent = 0;
  for (uint32_t i = line; i < start; i++) {
    unsigned char c = (unsigned char)p->text[i];
    if (c == '\t') { /* tab stops and indentation: not worth the risk */
      p->restart = true;
      return;
    }
    if ((c & 0xC0) != 0x80)
      indent++;
  }
  vb_lazy_item it = {start, raw_end, indent};
  g_array_append_val(p->locs, it);
  vb_arena_reset(vb_tree_arena(p->items));
}

static void on_start(parser *p, struct fy_event *e, vb_value_kind kind) {
  vb_span span = event_span(p, e);
  if (in_key_position(p)) {
    vb_diag_error(p->d, span, "map keys must be text");
    fail(p);
    return;
  }
  if ((uint64_t)p->depth >= p->max_depth) {
    depth_error(p, span);
    return;
  }
  if (p->depth == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->stack = vb_xrealloc(p->stack, (size_t)p->cap * sizeof *p->stack);
  }
  struct fy_token *anchor =
      kind == VB_VALUE_MAP ? e->mapping_start.anchor : e->sequence_start.anchor;
  const frame *parent = p->depth > 0 ? &p->stack[p->depth - 1] : NULL;
  bool lazy = kind == VB_VALUE_SEQ && p->lazy_keys && !p->lazy_depth && parent &&
              parent->node->kind == VB_VALUE_MAP && parent->key &&
              is_lazy_key(p, parent->key);
  frame *f = &p->stack[p->depth++];
  memset(f, 0, sizeof *f);
  f->node = vb_value_new(tree_of(p), kind, span);
  f->want_key = kind == VB_VALUE_MAP;
  f->start = span.start;
  if (lazy) {
    f->lazy = true;
    p->lazy_depth = p->depth;
    g_array_set_size(p->locs, 0);
  }
  if (anchor) {
    f->anchor = vb_xstrdup(fy_token_get_text0(anchor));
    set_anchor(p, f->anchor, NULL); /* open: an alias to it would be a loop */
  }
}

static void on_end(parser *p, struct fy_event *e) {
  if (p->depth == 0)
    return;
  frame *f = &p->stack[--p->depth];
  vb_value *v = f->node;
  uint32_t raw_end = mark_off(p, fy_event_end_mark(e)), end = raw_end;
  while (end > f->start && is_space(p->text[end - 1]))
    end--;
  v->span = span_of(p, f->start, end);
  if (f->anchor) {
    set_anchor(p, f->anchor, v);
    free(f->anchor);
  }
  if (f->index)
    g_hash_table_destroy(f->index);
  if (p->lazy_depth && p->depth == p->lazy_depth) {
    end_lazy_item(p, f->start, raw_end);
    return;
  }
  if (f->lazy) {
    p->lazy_depth = 0;
    if (p->locs->len > 0) {
      size_t n = p->locs->len * sizeof(vb_lazy_item);
      vb_lazy_item *items = vb_arena_alloc(vb_tree_arena(p->tree), n);
      memcpy(items, p->locs->data, n);
      v->lazy = items;
      v->count = p->locs->len;
    }
  }
  attach(p, v);
}

/* libfyaml's first error as "FILE:LINE:COL: error: message". */
static void report_fy_error(parser *p, struct fy_diag *fd) {
  void *it = NULL;
  struct fy_diag_error *de;
  while ((de = fy_diag_errors_iterate(fd, &it))) {
    if (de->type < FYET_ERROR)
      continue;
    uint32_t off;
    const struct fy_mark *m = de->fyt ? fy_token_start_mark(de->fyt) : NULL;
    if (m)
      off = mark_off(p, m);
    else if (de->line > 0 && de->column > 0)
      off = vb_sources_offset(p->sources, p->src, (unsigned)de->line, (unsigned)de->column);
    else
      off = (uint32_t)p->len;
    vb_strbuf msg = VB_STRBUF_INIT;
    vb_strbuf_puts(&msg, de->msg && *de->msg ? de->msg : "invalid YAML");
    while (msg.len > 0 && (msg.data[msg.len - 1] == '.' || is_space(msg.data[msg.len - 1])))
      msg.data[--msg.len] = '\0';
    if (msg.len > 1 && isupper((unsigned char)msg.data[0]) &&
        !isupper((unsigned char)msg.data[1]))
      msg.data[0] = (char)tolower((unsigned char)msg.data[0]);
    vb_span at = span_of(p, off, off);
    if (off < p->len) {
      const char *q = p->text + off;
      vb_utf8_next(&q, p->text + p->len);
      at.end = (uint32_t)(q - p->text);
    }
    vb_diag_error(p->d, at, "%s", vb_strbuf_cstr(&msg));
    vb_strbuf_free(&msg);
    return;
  }
  vb_diag_error(p->d, span_of(p, (uint32_t)p->len, (uint32_t)p->len), "invalid YAML");
}

static void collect_diag(struct fy_diag *fd, void *user, const char *buf, size_t len) {
  (void)fd, (void)user, (void)buf, (void)len; /* errors are collected, not printed */
}

/* A document that must be read in full even when lists could be lazy. */
static bool needs_full_tree(const parser *p, struct fy_event *e) {
  switch (e->type) {
  case FYET_ALIAS: /* an alias could name a dropped node, or copy a lazy list */
    return true;
  case FYET_SCALAR:
    return e->scalar.anchor || (p->lazy_depth && p->depth == p->lazy_depth);
  case FYET_SEQUENCE_START:
    return e->sequence_start.anchor || (p->lazy_depth && p->depth == p->lazy_depth);
  case FYET_MAPPING_START:
    return e->mapping_start.anchor != NULL;
  default:
    return false;
  }
}

/* A %YAML or %TAG directive: an item read on its own would miss it. */
static bool has_directive(const char *t, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (t[i] == '%' && (i == 0 || t[i - 1] == '\n' || t[i - 1] == '\r'))
      return true;
  return false;
}

static void parser_init(parser *p, vb_sources *sources, uint32_t src, vb_tree *tree,
                        vb_diag *d) {
  memset(p, 0, sizeof *p);
  p->sources = sources;
  p->src = src;
  p->d = d;
  p->text = vb_sources_text(sources, src, &p->len);
  p->tree = tree;
  const vb_limits *lim = vb_sources_limits(sources);
  p->max_depth = lim->depth;
  p->max_string = lim->string_bytes;
  p->anchors = g_hash_table_new_full(g_str_hash, g_str_equal, free, free_anchor);
}

static void parser_done(parser *p) {
  while (p->depth > 0) { /* after a failure */
    frame *f = &p->stack[--p->depth];
    free(f->anchor);
    if (f->index)
      g_hash_table_destroy(f->index);
  }
  free(p->stack);
  p->stack = NULL;
  p->cap = 0;
  g_hash_table_destroy(p->anchors);
  if (p->keys)
    g_hash_table_destroy(p->keys);
  if (p->items)
    vb_tree_free(p->items);
  if (p->locs)
    g_array_free(p->locs, TRUE);
}

/* Reads buf[0, n) (the source text, or an item of it: see parser.pad) into
 * p->root. Sets p->failed after reporting, or p->restart. */
static void run(parser *p, const char *buf, size_t n) {
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = collect_diag;
  dcfg.user = p;
  dcfg.colorize = false;
  struct fy_diag *fd = fy_diag_create(&dcfg);
  struct fy_parser *fp = NULL;
  if (fd) {
    fy_diag_set_collect_errors(fd, true);
    struct fy_parse_cfg cfg = {0};
    cfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_DISABLE_DEPTH_LIMIT;
    cfg.diag = fd;
    fp = fy_parser_create(&cfg);
  }
  if (!fp || fy_parser_set_string(fp, buf, n) != 0) {
    vb_diag_error(p->d, vb_span_none(), "cannot start the YAML parser");
    fail(p);
  }

  bool done = false;
  while (!p->failed && !p->restart && !done) {
    struct fy_event *e = fy_parser_parse(fp);
    if (e && fy_event_start_mark(e))
      p->last_off = mark_off(p, fy_event_start_mark(e));
    if (!e) {
      if (fy_parser_get_stream_error(fp) || fy_diag_got_error(fd)) {
        report_fy_error(p, fd);
        fail(p);
      }
      break;
    }
    if (p->lazy_keys && needs_full_tree(p, e)) {
      p->restart = true;
      fy_parser_event_free(fp, e);
      break;
    }
    switch (e->type) {
    case FYET_DOCUMENT_START:
      if (++p->documents > 1) {
        vb_diag_error(p->d, event_span(p, e), "more than one YAML document");
        fail(p);
      }
      break;
    case FYET_SCALAR:
      on_scalar(p, e);
      break;
    case FYET_ALIAS:
      on_alias(p, e);
      break;
    case FYET_MAPPING_START:
      on_start(p, e, VB_VALUE_MAP);
      break;
    case FYET_SEQUENCE_START:
      on_start(p, e, VB_VALUE_SEQ);
      break;
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
      on_end(p, e);
      break;
    case FYET_STREAM_END:
      done = true;
      break;
    default:
      break;
    }
    fy_parser_event_free(fp, e);
  }
  if (!p->failed && !p->restart && fd && fy_diag_got_error(fd)) {
    report_fy_error(p, fd);
    fail(p);
  }
  if (fp)
    fy_parser_destroy(fp);
  if (fd)
    fy_diag_destroy(fd);
}

vb_tree *vb_yaml_parse_lazy(vb_sources *sources, uint32_t src, const char *const *lazy_keys,
                            vb_diag *d) {
  parser p;
  vb_tree *tree = vb_tree_new();
  parser_init(&p, sources, src, tree, d);
  p.keys = g_hash_table_new(g_str_hash, g_str_equal);
  if (lazy_keys && lazy_keys[0] && !has_directive(p.text, p.len)) {
    p.lazy_keys = lazy_keys;
    p.items = vb_tree_new();
    p.locs = g_array_new(FALSE, FALSE, sizeof(vb_lazy_item));
  }
  run(&p, p.text, p.len);
  if (p.restart) { /* nothing was reported yet: start again, building everything */
    parser_done(&p);
    vb_tree_free(tree);
    tree = vb_tree_new();
    parser_init(&p, sources, src, tree, d);
    p.keys = g_hash_table_new(g_str_hash, g_str_equal);
    run(&p, p.text, p.len);
  }
  vb_value *root = p.root;
  bool failed = p.failed;
  parser_done(&p);
  if (failed) {
    vb_tree_free(tree);
    return NULL;
  }
  if (!root) /* empty stream */
    root = vb_value_new(tree, VB_VALUE_NULL, vb_span_make(src, 0, 0));
  vb_tree_set_root(tree, root);
  return tree;
}

vb_tree *vb_yaml_parse(vb_sources *sources, uint32_t src, vb_diag *d) {
  return vb_yaml_parse_lazy(sources, src, NULL, d);
}

vb_value *vb_yaml_item(vb_sources *sources, const vb_value *seq, size_t i, vb_tree *into,
                       vb_diag *d) {
  if (!seq || seq->kind != VB_VALUE_SEQ || i >= seq->count)
    return NULL;
  if (!seq->lazy) {
    vb_value *c = seq->first;
    for (size_t k = 0; c && k < i; k++)
      c = c->next;
    return c;
  }
  const vb_lazy_item *it = &seq->lazy[i];
  parser p;
  parser_init(&p, sources, seq->span.src, into, d);
  vb_value *v = NULL;
  if (it->start <= it->end && it->end <= p.len) {
    size_t n = it->end - it->start;
    char *buf = vb_xmalloc(it->indent + n + 1);
    memset(buf, ' ', it->indent);
    memcpy(buf + it->indent, p.text + it->start, n);
    buf[it->indent + n] = '\0';
    p.base = it->start;
    p.pad = it->indent;
    p.last_off = it->start;
    run(&p, buf, it->indent + n);
    free(buf);
    v = p.failed ? NULL : p.root;
  }
  bool failed = p.failed;
  parser_done(&p);
  if (!v || v->kind != VB_VALUE_MAP) {
    if (!failed) /* vb_yaml_parse_lazy read it: this cannot happen */
      vb_diag_error(d, vb_span_make(seq->span.src, it->start, it->start),
                    "cannot read list item %zu again", i + 1);
    return NULL;
  }
  return v;
}
