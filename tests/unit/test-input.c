/* test-input.c - unit tests of the vanban input stage: decoding (UTF-8,
 * Windows-1258, TCVN3, VNI, auto-detection, NFC), YAML/JSON and CSV trees
 * with their spans, and the error messages. */
#include "../../src/input/input.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

typedef struct ctx {
  vb_sources *sources;
  vb_diag *d;
  FILE *out;
  char *buf;
  size_t size;
} ctx;

static void ctx_open(ctx *c) {
  memset(c, 0, sizeof *c);
  c->sources = vb_sources_new();
  c->out = open_memstream(&c->buf, &c->size);
  c->d = vb_diag_new(c->sources, c->out);
}

static void ctx_close(ctx *c) {
  vb_diag_free(c->d);
  fclose(c->out);
  free(c->buf);
  vb_sources_free(c->sources);
}

/* Everything printed so far. */
static const char *msgs(ctx *c) {
  fflush(c->out);
  return c->buf ? c->buf : "";
}

/* The first line printed (diag may add the source line and a caret below). */
static const char *first_line(ctx *c, char *out, size_t n) {
  const char *m = msgs(c);
  size_t k = strcspn(m, "\n");
  if (k >= n)
    k = n - 1;
  memcpy(out, m, k);
  out[k] = '\0';
  return out;
}

static uint32_t load(ctx *c, const char *name, const char *s, vb_encoding enc) {
  return vb_input_load_bytes(c->sources, name, s, strlen(s), enc, c->d);
}

static vb_tree *yaml(ctx *c, const char *s) {
  uint32_t src = load(c, "t.yaml", s, VB_ENC_AUTO);
  return src ? vb_yaml_parse(c->sources, src, c->d) : NULL;
}

static vb_tree *csv(ctx *c, const char *s) {
  uint32_t src = load(c, "t.csv", s, VB_ENC_AUTO);
  return src ? vb_csv_parse(c->sources, src, c->d) : NULL;
}

/* "line:col" of a span start. */
static const char *where(ctx *c, vb_span sp, char *out, size_t n) {
  unsigned line = 0, col = 0;
  vb_sources_locate(c->sources, sp.src, sp.start, &line, &col);
  snprintf(out, n, "%u:%u", line, col);
  return out;
}

/* The text a span covers. */
static const char *span_text(ctx *c, vb_span sp, char *out, size_t n) {
  size_t len = 0;
  const char *t = vb_sources_text(c->sources, sp.src, &len);
  size_t k = sp.end - sp.start;
  if (k >= n)
    k = n - 1;
  memcpy(out, t + sp.start, k);
  out[k] = '\0';
  return out;
}

static void test_yaml_basic(void) {
  ctx c;
  char b[256];
  ctx_open(&c);
  vb_tree *t = yaml(&c, "name: Đảng ủy Phường 11\n"
                        "list:\n"
                        "  - a\n"
                        "  - 'b c'\n"
                        "num: 12\n"
                        "flag: true\n"
                        "empty:\n"
                        "nul: null\n"
                        "tilde: ~\n"
                        "qnull: \"null\"\n"
                        "block: |\n"
                        "  line 1\n"
                        "  line 2\n"
                        "org: {signer: {name: Bùi Thị Nhẫn}}\n");
  check(t != NULL);
  vb_value *r = vb_tree_root(t);
  check_int(r->kind, VB_VALUE_MAP);
  check_int(r->count, 10);
  vb_value *name = vb_value_get(r, "name");
  check_str(vb_value_str(name), "Đảng ủy Phường 11");
  check_str(where(&c, name->span, b, sizeof b), "1:7");
  check_str(span_text(&c, name->span, b, sizeof b), "Đảng ủy Phường 11");
  check_str(where(&c, name->key_span, b, sizeof b), "1:1");
  check(!name->quoted);
  vb_value *list = vb_value_get(r, "list");
  check_int(list->kind, VB_VALUE_SEQ);
  check_int(list->count, 2);
  check_str(vb_value_str(list->first), "a");
  check(list->first->key == NULL);
  check_str(vb_value_str(list->last), "b c");
  check(list->last->quoted);
  check_str(where(&c, list->last->span, b, sizeof b), "4:6");
  check_str(where(&c, list->span, b, sizeof b), "3:3");
  check_str(span_text(&c, list->span, b, sizeof b), "- a\n  - 'b c'");
  check(list->last->parent == list);
  vb_value *num = vb_value_get(r, "num");
  check_str(vb_value_str(num), "12");
  check(!num->quoted);
  check_str(where(&c, num->key_span, b, sizeof b), "5:1");
  check_str(vb_value_str(vb_value_get(r, "flag")), "true");
  check_int(vb_value_get(r, "empty")->kind, VB_VALUE_NULL);
  check_int(vb_value_get(r, "nul")->kind, VB_VALUE_NULL);
  check_int(vb_value_get(r, "tilde")->kind, VB_VALUE_NULL);
  check_str(vb_value_str(vb_value_get(r, "qnull")), "null");
  vb_value *block = vb_value_get(r, "block");
  check_str(vb_value_str(block), "line 1\nline 2\n");
  check(block->quoted);
  check_str(vb_value_str(vb_value_lookup(r, "org.signer.name")), "Bùi Thị Nhẫn");
  check_str(where(&c, vb_value_lookup(r, "org.signer.name")->span, b, sizeof b), "14:22");
  check(vb_value_lookup(r, "org.signer.nope") == NULL);
  check(vb_value_lookup(r, "name.x") == NULL);
  check_str(msgs(&c), "");
  vb_tree_free(t);
  /* runs of '' (which libfyaml 0.7.12 gets wrong) */
  t = yaml(&c, "a: 'x''''y'\nb: 'it''s'\nc: 'a''''\n\n   b  \n  c'''''\n");
  check(t != NULL);
  if (t) {
    check_str(vb_value_str(vb_value_get(vb_tree_root(t), "a")), "x''y");
    check_str(vb_value_str(vb_value_get(vb_tree_root(t), "b")), "it's");
    check_str(vb_value_str(vb_value_get(vb_tree_root(t), "c")), "a''\nb c''");
  }
  vb_tree_free(t);
  /* escaped line breaks followed by empty lines (libfyaml 0.7.12 get_text bug) */
  t = yaml(&c, "a: \"x \\\n\n\n  y\"\nb: \"p\n  q\\\n  r\"\n");
  check(t != NULL);
  if (t) {
    check_str(vb_value_str(vb_value_get(vb_tree_root(t), "a")), "x \n\ny");
    check_str(vb_value_str(vb_value_get(vb_tree_root(t), "b")), "p qr");
  }
  vb_tree_free(t);
  ctx_close(&c);
}

static void test_json(void) {
  ctx c;
  char b[256];
  ctx_open(&c);
  vb_tree *t = yaml(&c, "{\"a\": {\"b\": [1, \"x\", null, true]},\n \"c\": \"Vi\\u1ec7t\",\n"
                        " \"d\": \"e\\u0301\"}\n");
  check(t != NULL);
  vb_value *r = vb_tree_root(t);
  vb_value *bb = vb_value_lookup(r, "a.b");
  check_int(bb->kind, VB_VALUE_SEQ);
  check_int(bb->count, 4);
  check_str(vb_value_str(bb->first), "1");
  check(!bb->first->quoted);
  check(bb->first->next->quoted);
  check_int(bb->first->next->next->kind, VB_VALUE_NULL);
  check_str(vb_value_str(vb_value_get(r, "c")), "Việt");
  check_str(where(&c, vb_value_get(r, "c")->span, b, sizeof b), "2:8");
  check_str(vb_value_str(vb_value_get(r, "d")), "\xC3\xA9"); /* escapes end up NFC */
  vb_tree_free(t);
  ctx_close(&c);
}

static void test_yaml_errors(void) {
  ctx c;
  char b[512];

  ctx_open(&c);
  check(yaml(&c, "a: 1\nb: 2\na: 3\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:3:1: error: duplicate key 'a'");
  check(strstr(msgs(&c), "t.yaml:1:1: note: 'a' first defined here") != NULL);
  ctx_close(&c);

  ctx_open(&c); /* many keys: the hashed index path */
  vb_strbuf sb = VB_STRBUF_INIT;
  for (int i = 0; i < 40; i++)
    vb_strbuf_printf(&sb, "k%d: %d\n", i, i);
  vb_strbuf_puts(&sb, "k17: again\n");
  check(yaml(&c, vb_strbuf_cstr(&sb)) == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:41:1: error: duplicate key 'k17'");
  check(strstr(msgs(&c), "t.yaml:18:1: note:") != NULL);
  vb_strbuf_free(&sb);
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "a: [1, 2\nb: c\n") == NULL);
  check_str(first_line(&c, b, sizeof b),
            "t.yaml:3:1: error: flow sequence without a closing bracket");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "x: 1\na: 'unterminated\n") == NULL);
  check_str(first_line(&c, b, sizeof b),
            "t.yaml:2:5: error: single-quoted scalar without closing quote");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "? [a, b]\n: c\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:1:3: error: map keys must be text");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "--- a\n--- b\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:2:1: error: more than one YAML document");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "a: \"x\\0y\"\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:1:5: error: text contains a NUL character");
  ctx_close(&c);

  /* nothing from libfyaml itself reaches the sink or stderr */
  ctx_open(&c);
  check(yaml(&c, "{\"a\": 1 \"b\": 2}\n") == NULL);
  check(strncmp(msgs(&c), "t.yaml:1:", 9) == 0);
  check(strstr(msgs(&c), "error: ") != NULL);
  check(strstr(msgs(&c), "<memory") == NULL);
  ctx_close(&c);
}

static void test_yaml_empty(void) {
  ctx c;
  ctx_open(&c);
  vb_tree *t = yaml(&c, "");
  check(t && vb_tree_root(t)->kind == VB_VALUE_NULL);
  vb_tree_free(t);
  t = yaml(&c, "# only a comment\n");
  check(t && vb_tree_root(t)->kind == VB_VALUE_NULL);
  vb_tree_free(t);
  t = yaml(&c, "---\n...\n");
  check(t && vb_tree_root(t)->kind == VB_VALUE_NULL);
  vb_tree_free(t);
  t = yaml(&c, "--- just text\n");
  check(t && strcmp(vb_value_str(vb_tree_root(t)), "just text") == 0);
  vb_tree_free(t);
  check_str(msgs(&c), "");
  ctx_close(&c);
}

static char *nested(int levels, bool flow) {
  vb_strbuf sb = VB_STRBUF_INIT;
  for (int i = 0; i < levels; i++) {
    if (flow) {
      vb_strbuf_putc(&sb, '[');
    } else {
      for (int k = 0; k < i; k++)
        vb_strbuf_puts(&sb, "  ");
      vb_strbuf_puts(&sb, "k:\n");
    }
  }
  if (flow) {
    vb_strbuf_putc(&sb, 'x');
    for (int i = 0; i < levels; i++)
      vb_strbuf_putc(&sb, ']');
  } else {
    for (int k = 0; k < levels; k++)
      vb_strbuf_puts(&sb, "  ");
    vb_strbuf_puts(&sb, "x");
  }
  vb_strbuf_putc(&sb, '\n');
  return vb_strbuf_detach(&sb);
}

static void test_yaml_depth(void) {
  ctx c;
  char b[256];
  ctx_open(&c);
  char *s = nested(64, true);
  vb_tree *t = yaml(&c, s);
  check(t != NULL);
  vb_tree_free(t);
  free(s);
  s = nested(64, false);
  t = yaml(&c, s);
  check(t != NULL);
  vb_tree_free(t);
  free(s);
  check_str(msgs(&c), "");
  s = nested(65, true);
  check(yaml(&c, s) == NULL);
  free(s);
  check_str(first_line(&c, b, sizeof b), "t.yaml:1:65: error: nesting deeper than 64 levels of maps and lists (the depth limit; raise it with --limit depth=N)");
  ctx_close(&c);

  ctx_open(&c);
  s = nested(200, false);
  check(yaml(&c, s) == NULL);
  free(s);
  check_str(first_line(&c, b, sizeof b), "t.yaml:65:129: error: nesting deeper than 64 levels of maps and lists (the depth limit; raise it with --limit depth=N)");
  ctx_close(&c);

  ctx_open(&c);
  s = nested(100000, true);
  check(yaml(&c, s) == NULL);
  free(s);
  check(strstr(msgs(&c), "nesting deeper than 64 levels") != NULL);
  ctx_close(&c);
}

static void test_yaml_alias(void) {
  ctx c;
  char b[256];
  ctx_open(&c);
  vb_tree *t = yaml(&c, "base: &b {x: 1, y: [2, 3]}\n"
                        "name: &n Nguyễn Văn A\n"
                        "use: *b\n"
                        "who: [*n, *n]\n"
                        "*n : as key\n");
  check(t != NULL);
  vb_value *r = vb_tree_root(t);
  vb_value *use = vb_value_get(r, "use");
  check(use && use->kind == VB_VALUE_MAP);
  check_str(use->key, "use");
  check_str(vb_value_str(vb_value_lookup(r, "use.x")), "1");
  check_int(vb_value_lookup(r, "use.y")->count, 2);
  check(vb_value_lookup(r, "use.y") != vb_value_lookup(r, "base.y")); /* a copy */
  check_str(where(&c, vb_value_lookup(r, "use.x")->span, b, sizeof b), "1:14");
  vb_value *who = vb_value_get(r, "who");
  check_int(who->count, 2);
  check_str(vb_value_str(who->last), "Nguyễn Văn A");
  check(who->last->key == NULL);
  check_str(vb_value_str(vb_value_get(r, "Nguyễn Văn A")), "as key");
  vb_tree_free(t);
  check_str(msgs(&c), "");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "a: *nope\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.yaml:1:4: error: unknown alias '*nope'");
  ctx_close(&c);

  ctx_open(&c);
  check(yaml(&c, "a: &x [1, *x]\n") == NULL);
  check_str(first_line(&c, b, sizeof b),
            "t.yaml:1:11: error: alias '*x' refers to a node that contains it");
  ctx_close(&c);

  ctx_open(&c); /* billion laughs */
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_strbuf_puts(&sb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
  for (char k = 'b'; k <= 'j'; k++)
    vb_strbuf_printf(&sb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", k, k,
                     k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1);
  check(yaml(&c, vb_strbuf_cstr(&sb)) == NULL);
  check(strstr(msgs(&c), "error: aliases expand to more than 1000000 nodes") != NULL);
  vb_strbuf_free(&sb);
  ctx_close(&c);

  ctx_open(&c); /* depth through aliases */
  char *s = nested(40, true);
  vb_strbuf_printf(&sb, "a: &a %sb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
                   s);
  free(s);
  check(yaml(&c, vb_strbuf_cstr(&sb)) == NULL);
  check(strstr(msgs(&c), "error: nesting deeper than 64 levels") != NULL);
  vb_strbuf_free(&sb);
  ctx_close(&c);
}

static void test_csv(void) {
  ctx c;
  char b[256];
  ctx_open(&c);
  vb_tree *t = csv(&c, "Họ và tên , Giới tính,Ghi chú\n"
                       "Nguyễn Văn A,nam,\"Tổ trưởng, Khu phố 3\"\n"
                       "\n"
                       "  Trần Thị B  ,nữ,\"dòng 1\ndòng 2 \"\"x\"\"\"\n"
                       "Lê C,nam\n");
  check(t != NULL);
  vb_value *r = vb_tree_root(t);
  check_int(r->kind, VB_VALUE_SEQ);
  check_int(r->count, 3);
  vb_value *row = r->first;
  check_int(row->kind, VB_VALUE_MAP);
  check_int(row->count, 3);
  check_str(vb_value_str(vb_value_get(row, "Họ và tên")), "Nguyễn Văn A");
  check_str(row->first->key, "Họ và tên");
  check_str(where(&c, row->first->key_span, b, sizeof b), "1:1");
  check_str(span_text(&c, row->first->key_span, b, sizeof b), "Họ và tên");
  check_str(span_text(&c, row->span, b, sizeof b), "Nguyễn Văn A,nam,\"Tổ trưởng, Khu phố 3\"");
  vb_value *note = vb_value_get(row, "Ghi chú");
  check_str(vb_value_str(note), "Tổ trưởng, Khu phố 3");
  check(note->quoted);
  check_str(where(&c, note->span, b, sizeof b), "2:19");
  check(!vb_value_get(row, "Giới tính")->quoted);
  row = row->next;
  check_str(vb_value_str(vb_value_get(row, "Họ và tên")), "Trần Thị B");
  check_str(where(&c, vb_value_get(row, "Họ và tên")->span, b, sizeof b), "4:3");
  check_str(vb_value_str(vb_value_get(row, "Ghi chú")), "dòng 1\ndòng 2 \"x\"");
  row = row->next;
  check_str(vb_value_str(vb_value_get(row, "Giới tính")), "nam");
  check_str(vb_value_str(vb_value_get(row, "Ghi chú")), "");
  check_int(row->count, 3);
  vb_tree_free(t);
  check_str(msgs(&c), "");
  ctx_close(&c);

  /* semicolon, BOM, CRLF, trailing empty cell */
  ctx_open(&c);
  t = csv(&c, "\xEF\xBB\xBFho_ten;don_vi\r\n\"A; B\";Khu 1\r\n\"x\r\ny\";Khu 2;\r\n");
  check(t != NULL);
  r = vb_tree_root(t);
  check_int(r->count, 2);
  check_str(r->first->first->key, "ho_ten");
  check_str(vb_value_str(vb_value_get(r->first, "ho_ten")), "A; B");
  check_str(vb_value_str(vb_value_get(r->first, "don_vi")), "Khu 1");
  check_str(vb_value_str(vb_value_get(r->last, "ho_ten")), "x\ny");
  check_str(vb_value_str(vb_value_get(r->last, "don_vi")), "Khu 2");
  check_str(where(&c, r->last->span, b, sizeof b), "3:1");
  vb_tree_free(t);
  ctx_close(&c);

  /* tab separated */
  ctx_open(&c);
  t = csv(&c, "a\tb, c\tz\n1\t2, 3\t4\n");
  check(t && vb_tree_root(t)->count == 1);
  check_str(vb_value_str(vb_value_get(vb_tree_root(t)->first, "b, c")), "2, 3");
  vb_tree_free(t);
  ctx_close(&c);

  ctx_open(&c);
  t = csv(&c, "");
  check(t && vb_tree_root(t)->kind == VB_VALUE_SEQ && vb_tree_root(t)->count == 0);
  vb_tree_free(t);
  ctx_close(&c);

  ctx_open(&c);
  check(csv(&c, "a,b\n1,2\n1,2,3,4\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.csv:3:5: error: row has 4 fields but the header has 2");
  ctx_close(&c);

  ctx_open(&c);
  check(csv(&c, "a,b\n1,\"2\n3,4\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.csv:2:3: error: unterminated quoted field");
  ctx_close(&c);

  ctx_open(&c);
  check(csv(&c, "a,,c\n1,2,3\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.csv:1:3: error: empty column name in header");
  ctx_close(&c);

  ctx_open(&c);
  check(csv(&c, "name,unit, name\n") == NULL);
  check_str(first_line(&c, b, sizeof b), "t.csv:1:12: error: duplicate column 'name' in header");
  check(strstr(msgs(&c), "t.csv:1:1: note: 'name' first appears here") != NULL);
  ctx_close(&c);

  ctx_open(&c);
  check(csv(&c, "a,b\n\"x\"y,2\n") == NULL);
  check(strncmp(first_line(&c, b, sizeof b),
                "t.csv:2:4: error: unexpected text after the closing quote", 57) == 0);
  ctx_close(&c);
}

/* Rows found again from the sparse table and the cursor: every order of access
 * gives what the whole tree gives, blank lines and multi-line cells between. */
static void test_csv_rows(void) {
  vb_strbuf t = VB_STRBUF_INIT;
  vb_strbuf_puts(&t, "ho_ten,don_vi\n\n");
  size_t n = 1000;
  for (size_t i = 0; i < n; i++) {
    if (i % 3 == 0)
      vb_strbuf_printf(&t, "Nguyễn Văn %zu,Tổ %zu\n", i, i % 7);
    else if (i % 3 == 1)
      vb_strbuf_printf(&t, "\"Trần\nThị %zu\",\"Tổ \"\"%zu\"\"\"\r\n", i, i % 7);
    else
      vb_strbuf_printf(&t, "Lê %zu,\n,,\n\n", i); /* a blank row after it */
  }
  ctx c;
  ctx_open(&c);
  uint32_t src = vb_input_load_bytes(c.sources, "rows.csv", t.data, t.len, VB_ENC_AUTO, c.d);
  vb_tree *whole = vb_csv_parse(c.sources, src, c.d);
  vb_csv *list = vb_csv_open(c.sources, src, c.d);
  check(whole && list);
  check_int(vb_csv_count(list), n);
  const vb_value **want = calloc(n, sizeof *want);
  size_t k = 0;
  for (const vb_value *r = vb_tree_root(whole)->first; r; r = r->next)
    want[k++] = r;
  check_int(k, n);
  size_t bad = 0;
  /* in order, every 5th, backwards, by a prime stride */
  for (int pass = 0; pass < 4; pass++)
    for (size_t j = 0; j < n; j++) {
      size_t i = pass == 0 ? j : pass == 1 ? (j * 5) % n : pass == 2 ? n - 1 - j : (j * 787) % n;
      vb_tree *into = vb_tree_new();
      vb_value *row = vb_csv_row(list, i, into);
      if (!row || row->span.start != want[i]->span.start || row->span.end != want[i]->span.end ||
          strcmp(vb_value_str(vb_value_get(row, "ho_ten")),
                 vb_value_str(vb_value_get(want[i], "ho_ten"))) ||
          strcmp(vb_value_str(vb_value_get(row, "don_vi")),
                 vb_value_str(vb_value_get(want[i], "don_vi"))))
        if (bad++ == 0)
          fprintf(stderr, "    pass %d: row %zu differs\n", pass, i);
      vb_tree_free(into);
    }
  check_int(bad, 0);
  vb_tree *into = vb_tree_new();
  check(vb_csv_row(list, n, into) == NULL);
  vb_tree_free(into);
  check_str(msgs(&c), "");
  free(want);
  vb_csv_free(list);
  vb_tree_free(whole);
  ctx_close(&c);
  vb_strbuf_free(&t);
}

/* Writes `len` bytes to a new temporary file; returns its path (static). */
static const char *temp_file(const char *bytes, size_t len) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/vb-test-input.XXXXXX");
  int fd = mkstemp(path);
  check(fd >= 0 && write(fd, bytes, len) == (ssize_t)len);
  close(fd);
  return path;
}

/* A file of 1 MiB or more whose bytes are the text (UTF-8, NFC, no NUL) is mapped,
 * not read; one that needs converting is read; either way the text is the same. */
static void test_load_mapped(void) {
  vb_strbuf line = VB_STRBUF_INIT;
  vb_strbuf_puts(&line, "\xEF\xBB\xBFho_ten,don_vi\n");
  while (line.len < (1u << 20) + 100)
    vb_strbuf_puts(&line, "Nguyễn Thị Ánh,Tổ dân phố số 3\n");
  struct {
    const char *what;
    vb_encoding enc;
    const char *replace; /* NULL, or bytes put at offset 1000 */
    bool mapped;
  } cases[] = {
      {"utf-8 with a BOM", VB_ENC_AUTO, NULL, true},
      {"utf-8 named", VB_ENC_UTF8, NULL, true},
      {"legacy named, plainly utf-8", VB_ENC_CP1258, NULL, true},
      {"decomposed (not NFC)", VB_ENC_AUTO, "e\xCC\x81", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    vb_strbuf b = VB_STRBUF_INIT;
    vb_strbuf_add(&b, line.data, line.len);
    if (cases[i].replace)
      memcpy(b.data + 1000, cases[i].replace, strlen(cases[i].replace));
    const char *path = temp_file(b.data, b.len);
    ctx c;
    ctx_open(&c);
    uint32_t src = vb_input_load_file(c.sources, path, cases[i].enc, c.d);
    uint32_t ref = vb_input_load_bytes(c.sources, "ref", b.data, b.len, cases[i].enc, c.d);
    size_t len = 0, rlen = 0;
    const char *text = vb_sources_text(c.sources, src, &len);
    const char *rtext = vb_sources_text(c.sources, ref, &rlen);
    if (!check(src && ref && vb_sources_is_mapped(c.sources, src) == cases[i].mapped &&
               len == rlen && memcmp(text, rtext, len) == 0 && text[len] == '\0'))
      fprintf(stderr, "    case: %s\n", cases[i].what);
    check_int(vb_input_source_encoding(c.sources, src), vb_input_source_encoding(c.sources, ref));
    unlink(path);
    ctx_close(&c);
    vb_strbuf_free(&b);
  }
  vb_strbuf_free(&line);
}

static void test_decode(void) {
  ctx c;
  char b[512];
  size_t len;

  /* Windows-1258: ê + combining dot below → ệ after NFC */
  ctx_open(&c);
  uint32_t src = load(&c, "a.txt", "Vi\xEA\xF2t Nam, \xD0\xE3ng", VB_ENC_CP1258);
  check(src != 0);
  check_str(vb_sources_text(c.sources, src, &len), "Việt Nam, Đăng");
  check_str(msgs(&c), "");
  ctx_close(&c);

  ctx_open(&c);
  check(load(&c, "a.txt", "ab\ncd\x81", VB_ENC_CP1258) == 0);
  check_str(first_line(&c, b, sizeof b),
            "a.txt:2:3: error: byte 0x81 is not defined in Windows-1258 (try another --encoding)");
  ctx_close(&c);

  /* auto: a Windows-1258 CSV from Excel */
  ctx_open(&c);
  vb_tree *t = csv(&c, "Ho ten,Don vi\nNguy\xEA\xDEn V\xE3n A,Khu ph\xF4\xD2 3\n");
  check(t != NULL);
  check_str(first_line(&c, b, sizeof b),
            "t.csv:2:5: warning: not UTF-8; read as Windows-1258 (use --encoding to choose)");
  if (t) {
    check_str(vb_value_str(vb_value_get(vb_tree_root(t)->first, "Ho ten")), "Nguyễn Văn A");
    check_str(vb_value_str(vb_value_get(vb_tree_root(t)->first, "Don vi")), "Khu phổ 3");
  }
  vb_tree_free(t);
  ctx_close(&c);

  /* auto: UTF-8 with one broken byte */
  ctx_open(&c);
  check(yaml(&c, "a: ok\nb: Việt \xC3 x\n") == NULL);
  check_str(first_line(&c, b, sizeof b),
            "t.yaml:2:9: error: invalid UTF-8 byte 0xC3 (the file is not UTF-8; if it came "
            "from Excel, try --encoding cp1258)");
  ctx_close(&c);

  ctx_open(&c); /* explicit utf-8: no guessing */
  check(load(&c, "u.txt", "abc \xE9t\xE9", VB_ENC_UTF8) == 0);
  check_str(first_line(&c, b, sizeof b),
            "u.txt:1:5: error: invalid UTF-8 byte 0xE9 (the file is not UTF-8; if it came "
            "from Excel, try --encoding cp1258)");
  ctx_close(&c);

  /* NFD → NFC */
  ctx_open(&c);
  src = load(&c, "n.txt", "Vie\xCC\xA3\xCC\x82t Nguye\xCC\x82\xCC\x83n", VB_ENC_AUTO);
  check_str(vb_sources_text(c.sources, src, &len), "Việt Nguyễn");
  ctx_close(&c);

  /* TCVN3 and VNI */
  ctx_open(&c);
  src = load(&c, "v3.txt", "Vi\xD6t Nam \xA7\xB6ng \xA7o\xB5n k\xD5t \xAE\xE7", VB_ENC_TCVN3);
  check_str(vb_sources_text(c.sources, src, &len), "Việt Nam Đảng Đoàn kết đỗ");
  src = load(&c, "vni.txt",
             "Vie\xE4t Nam \xD1\x61\xFBng Nguye\xE3n V\x61\xEAn \xF6\xF4\xF8ng \xF1i "
             "CH\xD6\xD5 TH\xD4\xD9 x\xED",
             VB_ENC_VNI);
  check_str(vb_sources_text(c.sources, src, &len), "Việt Nam Đảng Nguyễn Văn ường đi CHỮ THỚ xí");
  check_str(msgs(&c), "");
  ctx_close(&c);

  /* UTF-16 with a BOM (Excel "Unicode text") */
  ctx_open(&c);
  static const char u16[] = "\xFF\xFE" "a\0\t\0" "\xC6\x1E" "\n\0";
  src = vb_input_load_bytes(c.sources, "w.txt", u16, sizeof u16 - 1, VB_ENC_AUTO, c.d);
  check_str(vb_sources_text(c.sources, src, &len), "a\tỆ\n");
  ctx_close(&c);

  ctx_open(&c);
  check(vb_input_load_bytes(c.sources, "z.txt", "ab\ncd\0e", 8, VB_ENC_AUTO, c.d) == 0);
  check_str(first_line(&c, b, sizeof b),
            "z.txt:2:3: error: unexpected NUL byte (is this a text file?)");
  ctx_close(&c);

  ctx_open(&c);
  check(vb_input_load_file(c.sources, "/nonexistent/x.yaml", VB_ENC_AUTO, c.d) == 0);
  check(strstr(msgs(&c), "cannot open '/nonexistent/x.yaml': No such file or directory") != NULL);
  ctx_close(&c);

  ctx_open(&c);
  char path[] = "/tmp/test-input-XXXXXX";
  int fd = mkstemp(path);
  check(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  fputs("\xEF\xBB\xBFk: v\n", f);
  fclose(f);
  src = vb_input_load_file(c.sources, path, VB_ENC_AUTO, c.d);
  check(src != 0);
  check_str(vb_sources_text(c.sources, src, &len), "k: v\n");
  check_str(vb_sources_name(c.sources, src), path);
  remove(path);
  ctx_close(&c);

  /* a file already NFC is registered as read (no copy); others as before */
  static const struct {
    const char *bytes;
    size_t n;
    const char *text, *msg;
  } files[] = {
      {"t\xC3\xAAn: \xC4\x90\xE1\xBA\xB7ng\n", 14, "t\xC3\xAAn: \xC4\x90\xE1\xBA\xB7ng\n", ""},
      {"te\xCC\x82n: x\n", 9, "t\xC3\xAAn: x\n", ""}, /* NFD → NFC */
      {"", 0, "", ""},
      {"ab\ncd\0e\n", 9, NULL, ":2:3: error: unexpected NUL byte (is this a text file?)"},
  };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    ctx_open(&c);
    char fpath[] = "/tmp/test-input-XXXXXX";
    fd = mkstemp(fpath);
    check(fd >= 0);
    f = fdopen(fd, "wb");
    fwrite(files[i].bytes, 1, files[i].n, f);
    fclose(f);
    src = vb_input_load_file(c.sources, fpath, VB_ENC_AUTO, c.d);
    if (files[i].text) {
      check(src != 0);
      check_str(vb_sources_text(c.sources, src, &len), files[i].text);
      check_int(len, strlen(files[i].text));
      check_str(msgs(&c), "");
    } else {
      check(src == 0);
      check(strstr(msgs(&c), files[i].msg) != NULL);
    }
    remove(fpath);
    ctx_close(&c);
  }

  vb_encoding e = VB_ENC_AUTO;
  check_int(vb_encoding_from_name("Windows-1258", &e), 0);
  check_int(e, VB_ENC_CP1258);
  check_int(vb_encoding_from_name("utf8", &e), 0);
  check_int(e, VB_ENC_UTF8);
  check_int(vb_encoding_from_name("latin1", &e), -1);
  check_str(vb_encoding_name(VB_ENC_TCVN3), "tcvn3");
  check_str(vb_encoding_name(VB_ENC_VNI), "vni");
}

static void test_value_api(void) {
  vb_tree *t = vb_tree_new();
  vb_span none = vb_span_none();
  vb_value *m = vb_value_new(t, VB_VALUE_MAP, none);
  vb_tree_set_root(t, m);
  vb_value_set(t, m, "a", none, vb_value_new_string(t, "1", 1, none));
  vb_value_set(t, m, "b", none, vb_value_new_string(t, "2", 1, none));
  vb_value_set(t, m, "a", none, vb_value_new_string(t, "3", 1, none));
  check_int(m->count, 2);
  check_str(m->first->key, "a");
  check_str(vb_value_str(vb_value_get(m, "a")), "3");
  check_str(vb_value_str(m->last), "2");
  vb_value *s = vb_value_new(t, VB_VALUE_SEQ, none);
  vb_value_append(s, vb_value_copy(t, m));
  vb_value_set(t, m, "list", none, s);
  check_str(vb_value_str(vb_value_lookup(m, "list")->first->first), "3");
  check(vb_value_str(m) == NULL);
  check_str(vb_value_kind_name(VB_VALUE_SEQ), "list");
  check_str(vb_value_kind_name(VB_VALUE_NULL), "null");
  check(vb_tree_root(t) == m);
  vb_tree_free(t);
}

/* ---- lazy lists (vb_yaml_parse_lazy, vb_yaml_item) */
static const char *const lazy_keys[] = {"recipients", NULL};

static bool same_span(vb_span a, vb_span b) {
  return a.src == b.src && a.start == b.start && a.end == b.end;
}

/* Compares an eager node e with the lazy tree's node l (whose lazy lists are
 * read item by item); keys: compare key and key span too. */
static int lazy_same(ctx *c, const vb_value *e, const vb_value *l, bool keys) {
  char b1[32], b2[32];
  if (e->kind != l->kind || !same_span(e->span, l->span) ||
      strcmp(where(c, e->span, b1, sizeof b1), where(c, l->span, b2, sizeof b2)))
    return 0;
  if (keys && ((e->key == NULL) != (l->key == NULL) || (e->key && strcmp(e->key, l->key)) ||
               !same_span(e->key_span, l->key_span)))
    return 0;
  if (e->kind == VB_VALUE_STRING &&
      (e->len != l->len || strcmp(e->str, l->str) || e->quoted != l->quoted))
    return 0;
  if (e->count != l->count || e->count != vb_value_item_count(l))
    return 0;
  if (l->lazy) {
    if (l->first || l->last)
      return 0;
    size_t i = 0;
    for (const vb_value *k = e->first; k; k = k->next, i++) {
      vb_tree *t = vb_tree_new();
      vb_value *it = vb_yaml_item(c->sources, l, i, t, c->d);
      int ok = it && it->key == NULL && it->parent == NULL && lazy_same(c, k, it, false);
      vb_tree_free(t);
      if (!ok)
        return 0;
    }
    return 1;
  }
  const vb_value *a = e->first, *b = l->first;
  for (; a && b; a = a->next, b = b->next)
    if (!lazy_same(c, a, b, true))
      return 0;
  return !a && !b;
}

/* Parses s eagerly and lazily: same values and spans; returns the number of
 * lazy lists in the lazy tree's root map entries (searched two levels deep). */
static size_t count_lazy(const vb_value *v) {
  size_t n = v->lazy ? 1 : 0;
  for (const vb_value *k = v->first; k; k = k->next)
    n += count_lazy(k);
  return n;
}

static size_t lazy_check(const char *s) {
  ctx c;
  ctx_open(&c);
  uint32_t src = load(&c, "t.yaml", s, VB_ENC_AUTO);
  vb_tree *e = vb_yaml_parse(c.sources, src, c.d);
  vb_tree *l = vb_yaml_parse_lazy(c.sources, src, lazy_keys, c.d);
  size_t n = 0;
  check(e && l);
  if (e && l) {
    check(count_lazy(vb_tree_root(e)) == 0);
    n = count_lazy(vb_tree_root(l));
    check(lazy_same(&c, vb_tree_root(e), vb_tree_root(l), true));
  }
  check_str(msgs(&c), "");
  vb_tree_free(e);
  vb_tree_free(l);
  ctx_close(&c);
  return n;
}

static void test_yaml_lazy(void) {
  /* block items, comments between them, multi-line scalars of every style,
   * a nested map last in an item, block scalars, empty values */
  check_int(lazy_check("events:\n"
                       "  - awards:\n"
                       "      - recipients:\n"
                       "          - name: Nguyễn Văn A   # trailing comment\n"
                       "            gender: nam\n"
                       "          # a comment between items\n"
                       "\n"
                       "          - name: \"Trần\n"
                       "              Thị B\"\n"
                       "            position: 'it''s\n"
                       "              multi'\n"
                       "            decision:\n"
                       "              number: 12\n"
                       "              date: 2024-01-01\n"
                       "            # after a nested map\n"
                       "          - name: plain multi\n"
                       "              line scalar\n"
                       "            reason: |\n"
                       "              literal\n"
                       "                more\n"
                       "            unit: >-\n"
                       "              folded\n"
                       "              text\n"
                       "\n"
                       "          -\n"
                       "            name: on the next line\n"
                       "            empty:\n"
                       "          - name: last\n"
                       "            decision:\n"
                       "              number: 1\n"
                       "        title: after\n"),
            1);
  /* flow items, over several lines; a list at its key's indentation */
  check_int(lazy_check("recipients: [{name: a}, {name: b, unit: c},\n"
                       "  {name: d,\n"
                       "   unit: \"e\"}, {}]\n"
                       "x:\n"
                       "  recipients:\n"
                       "  - {name: flow, gender: nam}\n"
                       "  - name: same indent\n"
                       "    nested: {a: [1, 2, {b: c}]}\n"),
            2);
  /* CRLF line ends; an indented root map; escapes made NFC */
  check_int(lazy_check("  recipients:\r\n"
                       "    - name: a\r\n"
                       "      gender: nam\r\n"
                       "    # c\r\n"
                       "    - name: \"b\r\n"
                       "        c\"\r\n"
                       "      unit: \"\\u0065\\u0301\"\r\n"
                       "\r\n"
                       "    - name: ữ ơ\r\n"
                       "  tail: 1\r\n"),
            1);
  /* a list inside an item is never lazy; an empty list is not lazy */
  check_int(lazy_check("recipients:\n  - name: x\n    recipients:\n      - name: inner\n"
                       "other:\n  recipients: []\n"),
            1);
  /* read in full: an item that is not a map, an anchor or alias, a directive */
  check_int(lazy_check("recipients:\n  - name: a\n  - plain text\n"), 0);
  check_int(lazy_check("x: &a 1\nrecipients:\n  - name: *a\n"), 0);
  check_int(lazy_check("recipients:\n  - &r {name: a}\n"), 0);
  check_int(lazy_check("%YAML 1.2\n---\nrecipients:\n  - name: a\n"), 0);

  /* item i, spans in the original file; a copy keeps the places */
  ctx c;
  char b[256];
  ctx_open(&c);
  uint32_t src = load(&c, "t.yaml", "org: x\nrecipients:\n  - name: A\n  - name: B\n    unit: C\n",
                      VB_ENC_AUTO);
  vb_tree *l = vb_yaml_parse_lazy(c.sources, src, lazy_keys, c.d);
  vb_value *list = vb_value_get(vb_tree_root(l), "recipients");
  check(list && list->lazy && list->count == 2 && list->first == NULL);
  vb_tree *t = vb_tree_new();
  vb_value *it = vb_yaml_item(c.sources, list, 1, t, c.d);
  check(it && it->kind == VB_VALUE_MAP && it->count == 2);
  check_str(vb_value_str(vb_value_get(it, "unit")), "C");
  check_str(where(&c, vb_value_get(it, "unit")->span, b, sizeof b), "5:11");
  check_str(where(&c, vb_value_get(it, "unit")->key_span, b, sizeof b), "5:5");
  check_str(where(&c, it->span, b, sizeof b), "4:5");
  check(vb_yaml_item(c.sources, list, 2, t, c.d) == NULL);
  vb_value *copy = vb_value_copy(t, list);
  check(copy->lazy && copy->lazy != list->lazy && copy->count == 2);
  check_str(vb_value_str(vb_value_get(vb_yaml_item(c.sources, copy, 0, t, c.d), "name")), "A");
  vb_tree_free(t);
  vb_tree_free(l);
  check_str(msgs(&c), "");
  ctx_close(&c);

  /* errors inside items are still reported when the file is read */
  static const char *const bad[] = {
      "recipients:\n  - name: a\n  - name: [b\n",
      "recipients:\n  - name: a\n    name: b\n",
      "recipients:\n  - name: a\n    {x: 1}: b\n",
      "recipients:\n  - name: a\n    b: \"\\0\"\n",
      "recipients:\n  - name: a\n---\nx: 1\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ctx e;
    char want[256];
    ctx_open(&e);
    check(yaml(&e, bad[i]) == NULL);
    snprintf(want, sizeof want, "%s", msgs(&e));
    ctx_close(&e);
    ctx_open(&e);
    src = load(&e, "t.yaml", bad[i], VB_ENC_AUTO);
    check(vb_yaml_parse_lazy(e.sources, src, lazy_keys, e.d) == NULL);
    check(want[0] != '\0');
    check_str(msgs(&e), want);
    ctx_close(&e);
  }
}


/* ---- encodings against outside oracles: glibc's iconv for Windows-1258 and
 * TCVN 5712 (TCVN5712-1 is the VN1 chart: TCVN3's letters plus capitals with
 * tones), tables from the published VNI-Windows and VIQR (RFC 1456) charts. */
#include <glib.h>
#include <iconv.h>

/* The 12 vowels × 6 tones (none, grave, acute, hook, tilde, dot below), lower
 * case, as NFC strings, plus đ: every letter with a mark. */
static const char *const vowels[12] = {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"};
static const char *const tone_marks[6] = {"", "\xCC\x80", "\xCC\x81", "\xCC\x89", "\xCC\x83",
                                          "\xCC\xA3"};

static char *letter(int v, int t, bool upper) {
  char *s = g_strconcat(vowels[v], tone_marks[t], NULL);
  char *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFC);
  g_free(s);
  if (upper) {
    char *u = g_utf8_strup(n, -1);
    g_free(n);
    n = u;
  }
  return n;
}

/* iconv from `from` to UTF-8 (NFC), or NULL if iconv refuses. */
static char *iconv_to_utf8(const char *from, const char *in, size_t n) {
  GError *e = NULL;
  gsize w = 0;
  char *out = g_convert(in, (gssize)n, "UTF-8", from, NULL, &w, &e);
  if (!out) {
    g_clear_error(&e);
    return NULL;
  }
  char *nfc = g_utf8_normalize(out, (gssize)w, G_NORMALIZE_NFC);
  g_free(out);
  return nfc;
}

static char *iconv_from_utf8(const char *to, const char *in, gsize *n) {
  GError *e = NULL;
  char *out = g_convert(in, -1, to, "UTF-8", NULL, n, &e);
  g_clear_error(&e);
  return out;
}

/* Our reading of bytes (NUL-free) in enc, or NULL when refused. */
static char *ours(const char *bytes, size_t n, vb_encoding enc) {
  ctx c;
  ctx_open(&c);
  uint32_t src = vb_input_load_bytes(c.sources, "o.txt", bytes, n, enc, c.d);
  size_t len = 0;
  char *r = src ? g_strndup(vb_sources_text(c.sources, src, &len), 0) : NULL;
  if (src) {
    g_free(r);
    const char *t = vb_sources_text(c.sources, src, &len);
    r = g_strndup(t, len);
  }
  ctx_close(&c);
  return r;
}

static void test_oracle_bytes(void) {
  /* every byte, alone and after a vowel (for the combining ones), against iconv */
  int diff1258 = 0, difftcvn = 0, checked = 0;
  for (int b = 0x80; b <= 0xFF; b++) {
    char in[3] = {'a', (char)b, 0};
    char *want = iconv_to_utf8("CP1258", in, 2);
    char *got = ours(in, 2, VB_ENC_CP1258);
    if (!want != !got || (want && strcmp(want, got) != 0)) {
      diff1258++;
      fprintf(stderr, "cp1258 byte 0x%02X: iconv '%s', vanban '%s'\n", b, want ? want : "(refused)",
              got ? got : "(refused)");
    }
    g_free(want);
    g_free(got);
    /* TCVN3: every byte as VN1 (iconv TCVN5712-1) between two letters; the
     * bytes the .VnTime fonts keep for punctuation (0x85, 0x91-0x97) as
     * Windows-1252 next to a space */
    char in3[4] = {'N', (char)b, 'C', 0};
    want = iconv_to_utf8("TCVN5712-1", in3, 3);
    got = ours(in3, 3, VB_ENC_TCVN3);
    if (!want != !got || (want && strcmp(want, got) != 0)) {
      difftcvn++;
      fprintf(stderr, "tcvn3 byte 0x%02X: iconv '%s', vanban '%s'\n", b, want ? want : "(refused)",
              got ? got : "(refused)");
    }
    g_free(want);
    g_free(got);
    if (b == 0x85 || (b >= 0x91 && b <= 0x97)) {
      char sp[4] = {' ', (char)b, ' ', 0};
      want = iconv_to_utf8("WINDOWS-1252", sp, 3);
      got = ours(sp, 3, VB_ENC_TCVN3);
      if (!want || !got || strcmp(want, got) != 0)
        difftcvn++;
      g_free(want);
      g_free(got);
    }
    checked++;
  }
  check_int(checked, 128);
  check_int(diff1258, 0);
  check_int(difftcvn, 0);
}

static void test_oracle_letters(void) {
  int n = 0, bad = 0;
  for (int up = 0; up < 2; up++)
    for (int v = 0; v < 12; v++)
      for (int t = 0; t < 6; t++) {
        char *l = letter(v, t, up);
        char *word = g_strconcat("Nguy", l, "n ", l, "c", NULL); /* inside a word, and first */
        /* Windows-1258: glibc encodes with base letters and combining tones */
        gsize bn = 0;
        char *bytes = iconv_from_utf8("CP1258", word, &bn);
        char *got = bytes ? ours(bytes, bn, VB_ENC_CP1258) : NULL;
        if (!bytes || !got || strcmp(got, word) != 0) {
          bad++;
          fprintf(stderr, "cp1258 '%s': vanban '%s'\n", word, got ? got : "(refused)");
        }
        g_free(bytes);
        g_free(got);
        /* TCVN3: every letter, capitals too (VN1), inside words (a capital that
         * shares its byte with punctuation is that capital between letters) */
        {
          char *w3 = g_strconcat("Nguy", l, "n N", l, "c", NULL);
          g_free(word);
          word = w3;
          bytes = iconv_from_utf8("TCVN5712-1", word, &bn);
          got = bytes ? ours(bytes, bn, VB_ENC_TCVN3) : NULL;
          if (!bytes || !got || strcmp(got, word) != 0) {
            bad++;
            fprintf(stderr, "tcvn3 '%s': vanban '%s'\n", word, got ? got : "(refused)");
          }
          g_free(bytes);
          g_free(got);
        }
        g_free(word);
        g_free(l);
        n++;
      }
  check_int(n, 144);
  check_int(bad, 0);
  /* đ Đ */
  gsize bn = 0;
  char *b = iconv_from_utf8("TCVN5712-1", "đi Đảng", &bn);
  char *got = ours(b, bn, VB_ENC_TCVN3);
  check_str(got, "đi Đảng");
  g_free(b);
  g_free(got);
  b = iconv_from_utf8("CP1258", "đi Đảng", &bn);
  got = ours(b, bn, VB_ENC_CP1258);
  check_str(got, "đi Đảng");
  g_free(b);
  g_free(got);
}

/* VNI-Windows chart: for each vowel row (as `vowels`), the bytes of its six
 * tones in lower case; capitals are the base letter in capitals and each mark
 * byte minus 0x20 (the standalone letters likewise). */
static const char *const vni_chart[12][6] = {
    {"a", "a\xF8", "a\xF9", "a\xFB", "a\xF5", "a\xEF"},                 /* a */
    {"a\xEA", "a\xE8", "a\xE9", "a\xFA", "a\xFC", "a\xEB"},             /* ă */
    {"a\xE2", "a\xE0", "a\xE1", "a\xE5", "a\xE3", "a\xE4"},             /* â */
    {"e", "e\xF8", "e\xF9", "e\xFB", "e\xF5", "e\xEF"},                 /* e */
    {"e\xE2", "e\xE0", "e\xE1", "e\xE5", "e\xE3", "e\xE4"},             /* ê */
    {"i", "\xEC", "\xED", "\xE6", "\xF3", "\xF2"},                       /* i */
    {"o", "o\xF8", "o\xF9", "o\xFB", "o\xF5", "o\xEF"},                 /* o */
    {"o\xE2", "o\xE0", "o\xE1", "o\xE5", "o\xE3", "o\xE4"},             /* ô */
    {"\xF4", "\xF4\xF8", "\xF4\xF9", "\xF4\xFB", "\xF4\xF5", "\xF4\xEF"}, /* ơ */
    {"u", "u\xF8", "u\xF9", "u\xFB", "u\xF5", "u\xEF"},                 /* u */
    {"\xF6", "\xF6\xF8", "\xF6\xF9", "\xF6\xFB", "\xF6\xF5", "\xF6\xEF"}, /* ư */
    {"y", "y\xF8", "y\xF9", "y\xFB", "y\xF5", "\xEE"},                   /* y */
};
/* VIQR (RFC 1456): modifier ( ^ + after the base, then the tone ` ' ? ~ . */
static const char *const viqr_base[12] = {"a", "a(", "a^", "e", "e^", "i",
                                          "o", "o^", "o+", "u", "u+", "y"};
static const char viqr_tone[6] = {0, '`', '\'', '?', '~', '.'};

static char *vni_of(int v, int t, bool up) {
  char *s = g_strdup(vni_chart[v][t]);
  if (up)
    for (char *p = s; *p; p++)
      *p = (unsigned char)*p >= 0x80 ? (char)((unsigned char)*p - 0x20) : (char)g_ascii_toupper(*p);
  return s;
}

static char *viqr_of(int v, int t, bool up) {
  char tone[2] = {viqr_tone[t], 0};
  char *s = g_strconcat(viqr_base[v], tone, NULL);
  if (up)
    s[0] = g_ascii_toupper(s[0]);
  return s;
}

/* Encodes NFC text with the charts (letters of the table, đ, ASCII). */
static char *chart_encode(const char *text, bool vni) {
  GString *out = g_string_new(NULL);
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x80) {
      if (!vni && strchr("(^+'`?~.\\", (int)c) && c)
        g_string_append_c(out, '\\'); /* a literal mark after a letter */
      g_string_append_c(out, (char)c);
      continue;
    }
    if (c == 0x111 || c == 0x110) {
      g_string_append(out, vni ? (c == 0x111 ? "\xF1" : "\xD1") : (c == 0x111 ? "dd" : "DD"));
      continue;
    }
    bool found = false;
    for (int up = 0; up < 2 && !found; up++)
      for (int v = 0; v < 12 && !found; v++)
        for (int t = 0; t < 6 && !found; t++) {
          char *l = letter(v, t, up);
          if (g_utf8_get_char(l) == c) {
            char *e = vni ? vni_of(v, t, up) : viqr_of(v, t, up);
            g_string_append(out, e);
            g_free(e);
            found = true;
          }
          g_free(l);
        }
    if (!found && vni) { /* punctuation stays as Windows-1252 has it */
      gsize n = 0;
      char one[8] = {0};
      memcpy(one, p, (size_t)(g_utf8_next_char(p) - p));
      char *b = iconv_from_utf8("WINDOWS-1252", one, &n);
      g_string_append(out, b ? b : "?");
      g_free(b);
    } else if (!found) {
      g_string_append(out, "?");
    }
  }
  return g_string_free(out, FALSE);
}

static void test_oracle_vni_viqr(void) {
  int bad = 0;
  for (int up = 0; up < 2; up++)
    for (int v = 0; v < 12; v++)
      for (int t = 0; t < 6; t++) {
        char *l = letter(v, t, up);
        char *word = g_strconcat("Ngh", l, "n ", l, " ", l, "t", NULL);
        char *enc = chart_encode(word, true);
        char *got = ours(enc, strlen(enc), VB_ENC_VNI);
        if (!got || strcmp(got, word) != 0) {
          bad++;
          fprintf(stderr, "vni '%s': vanban '%s'\n", word, got ? got : "(refused)");
        }
        g_free(enc);
        g_free(got);
        enc = chart_encode(word, false);
        got = ours(enc, strlen(enc), VB_ENC_VIQR);
        if (!got || strcmp(got, word) != 0) {
          bad++;
          fprintf(stderr, "viqr '%s' (%s): vanban '%s'\n", word, enc, got ? got : "(refused)");
        }
        g_free(enc);
        g_free(got);
        g_free(word);
        g_free(l);
      }
  check_int(bad, 0);
  /* round trip of real text through each chart */
  static const char *const texts[] = {
      "Ủy ban nhân dân phường Mỹ Đình 1 tặng Giấy khen cho ông Nguyễn Văn Đức, Tổ trưởng "
      "Tổ dân phố số 3, đã có thành tích xuất sắc trong phong trào thi đua năm 2024.",
      "ĐẢNG ỦY PHƯỜNG 11 – Chi bộ Khu phố 7: “Dân vận khéo”? Hưởng ứng, ươm mầm, "
      "khuyến học; Thuỷ, Thủy, Quỳnh, Hoà, Hòa, giữ gìn (a+b) ^_^ a\\b",
      "ĐẢNG ỦY PHƯỜNG 11 - Chi bộ Khu phố 7: \"Dân vận khéo\"? Hưởng ứng, ươm mầm, "
      "khuyến học; Thuỷ, Thủy, Quỳnh, Hoà, Hòa, giữ gìn (a+b) ^_^ a\\b. Hà Nội.",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    for (int vni = 0; vni < 2; vni++) {
      if (!vni && strstr(texts[i], "“"))
        continue; /* VIQR is ASCII: no curly quotes */
      char *enc = chart_encode(texts[i], vni);
      char *got = ours(enc, strlen(enc), vni ? VB_ENC_VNI : VB_ENC_VIQR);
      check_str(got ? got : "(refused)", texts[i]);
      g_free(got);
      g_free(enc);
    }
  }
  /* VIQR: a mark that fits nowhere stays; a second tone stays */
  char *got = ours("C(an ^_^ the^?? ba+ du+o+`ng", 28, VB_ENC_VIQR);
  check_str(got, "C(an ^_^ thể? ba+ dường");
  g_free(got);
}

/* auto: each legacy file is recognised, converted and named in a warning;
 * UTF-16 without a BOM is UTF-16; two equal readings are refused. */
static void test_auto_detect(void) {
  static const char *const text =
      "Họ và tên,Đơn vị,Thành tích\nNguyễn Văn Đức,Tổ dân phố số 3,Hoàn thành xuất sắc "
      "nhiệm vụ năm 2024\nTrần Thị Hường,Chi hội Phụ nữ,Tích cực tham gia phong trào\n";
  static const struct {
    const char *iconv; /* NULL: a chart */
    int chart;         /* 1 VNI, 2 VIQR */
    const char *warning;
  } cases[] = {
      {"CP1258", 0, "a.csv:1:2: warning: not UTF-8; read as Windows-1258 (use --encoding to choose)"},
      {"TCVN5712-1", 0, "a.csv:1:2: warning: not UTF-8; read as TCVN3 (use --encoding to choose; "
                        "--encoding tcvn3-caps for capitals typed in a .VnTimeH font)"},
      {NULL, 1, "a.csv:1:2: warning: not UTF-8; read as VNI-Windows (use --encoding to choose)"},
      {NULL, 2, "a.csv:1:2: warning: not UTF-8; read as VIQR (use --encoding to choose)"},
      {"UTF-16LE", 0, "a.csv:1:1: warning: not UTF-8; read as UTF-16LE (use --encoding to choose)"},
      {"UTF-16BE", 0, "a.csv:1:1: warning: not UTF-8; read as UTF-16BE (use --encoding to choose)"},
  };
  char b[512];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gsize n = 0;
    char *bytes = cases[i].iconv ? iconv_from_utf8(cases[i].iconv, text, &n)
                                 : chart_encode(text, cases[i].chart == 1);
    if (!cases[i].iconv)
      n = strlen(bytes);
    ctx c;
    ctx_open(&c);
    uint32_t src = vb_input_load_bytes(c.sources, "a.csv", bytes, n, VB_ENC_AUTO, c.d);
    check(src != 0);
    size_t len = 0;
    check_str(src ? vb_sources_text(c.sources, src, &len) : "(refused)", text);
    check_str(first_line(&c, b, sizeof b), cases[i].warning);
    ctx_close(&c);
    g_free(bytes);
  }
  /* plain UTF-8 and plain ASCII: no warning, no conversion */
  ctx c;
  ctx_open(&c);
  check(load(&c, "p.yaml", "name: Nguyen Van A\nnote: don't, I'm (a+b)^2 ok?\n", VB_ENC_AUTO) != 0);
  check_str(msgs(&c), "");
  ctx_close(&c);
  /* two readings alike: refused, with both named */
  ctx_open(&c);
  check(load(&c, "x.csv", "ab,\xE0\n", VB_ENC_AUTO) == 0);
  check(strstr(msgs(&c), "x.csv:1:4: error: the file is not UTF-8 and reads as well in") != NULL);
  ctx_close(&c);
  /* names */
  vb_encoding e = VB_ENC_AUTO;
  const char *fields = NULL;
  check_int(vb_encoding_parse("tcvn3-caps", &e, &fields), 0);
  check_int(e, VB_ENC_TCVN3_CAPS);
  check(fields == NULL);
  check_int(vb_encoding_parse("TCVN3-caps=ho_ten,tap_the", &e, &fields), 0);
  check_str(fields, "ho_ten,tap_the");
  check_int(vb_encoding_parse("tcvn3-caps=", &e, &fields), -1);
  check_int(vb_encoding_parse("vni=x", &e, &fields), -1);
  check_int(vb_encoding_parse("viqr", &e, &fields), 0);
  check_int(e, VB_ENC_VIQR);
}

int main(void) {
  test_yaml_basic();
  test_json();
  test_yaml_errors();
  test_yaml_empty();
  test_yaml_depth();
  test_yaml_alias();
  test_yaml_lazy();
  test_csv();
  test_csv_rows();
  test_load_mapped();
  test_decode();
  test_oracle_bytes();
  test_oracle_letters();
  test_oracle_vni_viqr();
  test_auto_detect();
  test_value_api();
  return summary("test-input");
}
