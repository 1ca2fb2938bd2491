/* template.c - vanban layout stage: parses a layout file (layouts/NAME.yaml) into a
 * checked template tree: page, fonts, styles, art and the block tree, with
 * {{field | filter}} text templates. Every node keeps its span for messages. */
#include "layout-private.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#define MM (72.0 / 25.4)

typedef struct parser {
  vb_layout *l;
  vb_sources *sources;
  vb_diag *diag;
  vb_typesetter *ts;
  const vb_value *root;
  GHashTable *fonts;  /* key → family */
  GHashTable *styles; /* name → vb_style* */
  GPtrArray *locals;  /* names bound by enclosing repeats */
  int errors;
  const char *const *dirs; /* layout folders, for art/NAME.yaml (may be NULL) */
  int in_ornament;         /* parsing a named ornament: drawn for its own page size */
  uint64_t nest;      /* lists of blocks open (template-depth limit) */
  GPtrArray *boxes;   /* boxes parsed so far, for `below: ROLE` */
} parser;

static void err(parser *p, vb_span span, const char *fmt, ...) VB_PRINTF(3, 4);
static void err(parser *p, vb_span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_diag_verror(p->diag, span, fmt, ap);
  va_end(ap);
  p->errors++;
}

static vb_span key_or_node(const vb_value *v) {
  return vb_span_is_set(v->key_span) ? v->key_span : v->span;
}

static const char *dup(parser *p, const char *s) {
  return s ? vb_arena_strdup(p->l->arena, s) : NULL;
}

/* Reports unknown keys of a map, suggesting the closest allowed one. */
static void check_keys(parser *p, const vb_value *map, const char *const *allowed,
                       const char *what) {
  for (const vb_value *c = map->first; c; c = c->next) {
    bool ok = false;
    for (const char *const *a = allowed; *a && !ok; a++) ok = !strcmp(*a, c->key);
    if (ok) continue;
    const char *sug = vb_closest(c->key, allowed);
    if (sug)
      err(p, c->key_span, "unknown key '%s' in %s (did you mean '%s'?)", c->key, what, sug);
    else
      err(p, c->key_span, "unknown key '%s' in %s", c->key, what);
  }
}

static const char *scalar(parser *p, const vb_value *v, const char *what) {
  if (!v) return NULL;
  if (v->kind != VB_VALUE_STRING) {
    err(p, v->span, "%s must be text, found %s", what, vb_value_kind_name(v->kind));
    return NULL;
  }
  return v->str;
}

/* Parses "12", "12.5mm", "1cm", "14pt", "50%"; a bare number is in `unit`
 * ("mm" or "pt"). Returns 0 or -1 (reported). */
static int parse_len(parser *p, const vb_value *v, const char *unit, vb_len *out, bool allow_pct) {
  const char *s = scalar(p, v, v && v->key ? v->key : "a length");
  if (!s) return -1;
  char num[64];
  size_t n = 0;
  while (s[n] && (g_ascii_isdigit(s[n]) || s[n] == '.' || s[n] == '-' || s[n] == '+') && n < 63)
    n++;
  memcpy(num, s, n);
  num[n] = 0;
  const char *u = s + n;
  while (*u == ' ') u++;
  double val;
  if (vb_parse_num(num, &val) != 0) goto bad;
  if (!*u) u = unit;
  out->set = true;
  out->pct = false;
  if (!strcmp(u, "mm")) out->v = val * MM;
  else if (!strcmp(u, "cm")) out->v = val * 10 * MM;
  else if (!strcmp(u, "pt")) out->v = val;
  else if (!strcmp(u, "%") && allow_pct) out->v = val, out->pct = true;
  else goto bad;
  return 0;
bad:
  err(p, v->span, "'%s' is not a length (expected a number with mm, cm, pt%s)", s,
      allow_pct ? " or %" : "");
  return -1;
}

static double len_pt(parser *p, const vb_value *v, const char *unit, double def) {
  vb_len l = {0, false, false};
  if (!v) return def;
  if (parse_len(p, v, unit, &l, false) != 0) return def;
  return l.v;
}

static int parse_color(parser *p, const vb_value *v, vb_color *c) {
  const char *s = scalar(p, v, "a colour");
  if (!s) return -1;
  static const struct {
    const char *name;
    unsigned rgb;
  } named[] = {{"black", 0x000000}, {"white", 0xffffff}, {"red", 0xcc0000},
               {"darkred", 0x8b0000}, {"gold", 0xc9a227}, {"blue", 0x1f3a93},
               {"gray", 0x808080},  {"grey", 0x808080}};
  if (!strcmp(s, "none")) {
    *c = (vb_color){0, 0, 0, 0};
    return 0;
  }
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (!strcmp(s, named[i].name)) {
      unsigned x = named[i].rgb;
      *c = (vb_color){((x >> 16) & 255) / 255.f, ((x >> 8) & 255) / 255.f, (x & 255) / 255.f, 1};
      return 0;
    }
  size_t n = strlen(s);
  if (s[0] == '#' && (n == 7 || n == 4)) {
    unsigned x = 0;
    for (size_t i = 1; i < n; i++) {
      if (!g_ascii_isxdigit(s[i])) goto bad;
      x = x * 16 + (unsigned)g_ascii_xdigit_value(s[i]);
    }
    if (n == 4)
      x = ((x >> 8) & 15) * 0x110000 + ((x >> 4) & 15) * 0x1100 + (x & 15) * 0x11;
    *c = (vb_color){((x >> 16) & 255) / 255.f, ((x >> 8) & 255) / 255.f, (x & 255) / 255.f, 1};
    return 0;
  }
bad:
  err(p, v->span, "'%s' is not a colour (expected #rrggbb or black, red, white, none)", s);
  return -1;
}

static int parse_bool(parser *p, const vb_value *v, bool *b) {
  const char *s = scalar(p, v, "a yes/no value");
  if (!s) return -1;
  if (!strcmp(s, "true") || !strcmp(s, "yes")) *b = true;
  else if (!strcmp(s, "false") || !strcmp(s, "no")) *b = false;
  else {
    err(p, v->span, "'%s' is not true or false", s);
    return -1;
  }
  return 0;
}

static int parse_num(parser *p, const vb_value *v, double *d) {
  const char *s = scalar(p, v, "a number");
  if (!s) return -1;
  if (vb_parse_num(s, d) != 0) {
    err(p, v->span, "'%s' is not a number", s);
    return -1;
  }
  return 0;
}

static int parse_align(parser *p, const vb_value *v, vb_align *a) {
  const char *s = scalar(p, v, "align");
  if (!s) return -1;
  if (!strcmp(s, "left")) *a = VB_ALIGN_LEFT;
  else if (!strcmp(s, "center") || !strcmp(s, "centre")) *a = VB_ALIGN_CENTER;
  else if (!strcmp(s, "right")) *a = VB_ALIGN_RIGHT;
  else if (!strcmp(s, "justify")) *a = VB_ALIGN_JUSTIFY;
  else {
    err(p, v->span, "'%s' is not an alignment (expected left, center, right or justify)", s);
    return -1;
  }
  return 0;
}

static int parse_valign(parser *p, const vb_value *v, vb_valign *a) {
  const char *s = scalar(p, v, "valign");
  if (!s) return -1;
  if (!strcmp(s, "top")) *a = VB_VALIGN_TOP;
  else if (!strcmp(s, "middle") || !strcmp(s, "center")) *a = VB_VALIGN_MIDDLE;
  else if (!strcmp(s, "bottom")) *a = VB_VALIGN_BOTTOM;
  else {
    err(p, v->span, "'%s' is not a vertical alignment (expected top, middle or bottom)", s);
    return -1;
  }
  return 0;
}

/* ---- text templates */
static bool path_char(char c) { return g_ascii_isalnum(c) || c == '_' || c == '.'; }

/* Checks that a field path names something a scope can hold. */
static void check_path(parser *p, const char *path, vb_span span) {
  const char *dot = strchr(path, '.');
  size_t n = dot ? (size_t)(dot - path) : strlen(path);
  char root[64];
  if (n == 0 || n >= sizeof root) {
    err(p, span, "'%s' is not a field name", path);
    return;
  }
  memcpy(root, path, n);
  root[n] = 0;
  for (guint i = 0; i < p->locals->len; i++)
    if (!strcmp(root, g_ptr_array_index(p->locals, i))) return;
  /* doc.*: what the run says of the document (--draft), not the records;
   * layout.*: the layout's own `options` */
  static const char *const doc_fields[] = {"draft", "number", NULL};
  static const char *const no_options[] = {NULL};
  const char *const *fields = !strcmp(root, "doc") ? doc_fields
                              : !strcmp(root, "layout")
                                  ? (p->l->option_names ? (const char *const *)p->l->option_names
                                                        : no_options)
                                  : vb_records_fields(root);
  if (!fields) {
    const char *sug = vb_closest(root, vb_records_roots());
    if (sug)
      err(p, span, "unknown field '%s' (did you mean '%s'?)", path, sug);
    else
      err(p, span, "unknown field '%s' (fields start with org, event, award, recipient, signer or decision)", path);
    return;
  }
  if (!dot) return;
  const char *sub = dot + 1;
  const char *dot2 = strchr(sub, '.');
  size_t m = dot2 ? (size_t)(dot2 - sub) : strlen(sub);
  for (const char *const *f = fields; *f; f++)
    if (strlen(*f) == m && !memcmp(*f, sub, m)) return;
  char name[64];
  if (m >= sizeof name) m = sizeof name - 1;
  memcpy(name, sub, m);
  name[m] = 0;
  const char *sug = vb_closest(name, fields);
  if (sug)
    err(p, span, "unknown field '%s' (did you mean '%s.%s'?)", path, root, sug);
  else
    err(p, span, "unknown field '%s'", path);
}

/* Parses "literal {{ path | filter: "a", path2 | f2 }} literal" into parts. */
static void parse_ttext(parser *p, const vb_value *v, vb_ttext *t) {
  memset(t, 0, sizeof *t);
  t->fixed = true;
  if (!v) return;
  const char *s = scalar(p, v, "text");
  if (!s) return;
  t->span = v->span;
  /* offset of the value's text in the source: skip an opening quote */
  size_t srclen;
  const char *src = vb_sources_text(p->sources, v->span.src, &srclen);
  uint32_t base = v->span.start;
  if (src && base < srclen && (src[base] == '"' || src[base] == '\'')) base++;
  GArray *parts = g_array_new(FALSE, TRUE, sizeof(vb_tpart));
  const char *q = s;
  while (*q) {
    const char *open = strstr(q, "{{");
    if (!open) open = q + strlen(q);
    if (open > q) {
      vb_tpart lit = {0};
      lit.lit = vb_arena_strndup(p->l->arena, q, (size_t)(open - q));
      lit.span = vb_span_make(v->span.src, base + (uint32_t)(q - s), base + (uint32_t)(open - s));
      g_array_append_val(parts, lit);
    }
    if (!*open) break;
    const char *close = strstr(open + 2, "}}");
    vb_span at = vb_span_make(v->span.src, base + (uint32_t)(open - s),
                              base + (uint32_t)((close ? close + 2 : open + 2) - s));
    if (!close) {
      err(p, at, "'{{' without a closing '}}'");
      break;
    }
    t->fixed = false;
    vb_tpart f = {0};
    f.span = at;
    const char *c = open + 2;
    while (*c == ' ') c++;
    const char *ps = c;
    while (c < close && path_char(*c)) c++;
    if (c == ps) {
      err(p, at, "expected a field name after '{{'");
      q = close + 2;
      continue;
    }
    f.path = vb_arena_strndup(p->l->arena, ps, (size_t)(c - ps));
    vb_span pspan = vb_span_make(v->span.src, base + (uint32_t)(ps - s), base + (uint32_t)(c - s));
    check_path(p, f.path, pspan);
    GArray *filters = g_array_new(FALSE, TRUE, sizeof(vb_tfilter));
    while (c < close) {
      while (*c == ' ') c++;
      if (c >= close) break;
      if (*c != '|') {
        err(p, vb_span_make(v->span.src, base + (uint32_t)(c - s), base + (uint32_t)(c - s) + 1),
            "expected '|' or '}}' in '%.*s'", (int)(close + 2 - open), open);
        break;
      }
      c++;
      while (*c == ' ') c++;
      const char *ns = c;
      while (c < close && (g_ascii_isalnum(*c) || *c == '_')) c++;
      vb_tfilter fl = {0};
      fl.name = vb_arena_strndup(p->l->arena, ns, (size_t)(c - ns));
      fl.span = vb_span_make(v->span.src, base + (uint32_t)(ns - s), base + (uint32_t)(c - s));
      GArray *args = g_array_new(FALSE, TRUE, sizeof(vb_targ));
      while (*c == ' ') c++;
      if (*c == ':') {
        c++;
        for (;;) {
          while (*c == ' ') c++;
          vb_targ a = {0};
          const char *as = c;
          if (*c == '"') {
            const char *e = strchr(c + 1, '"');
            if (!e || e > close) {
              err(p, fl.span, "unterminated string argument");
              c = close;
              break;
            }
            a.lit = vb_arena_strndup(p->l->arena, c + 1, (size_t)(e - c - 1));
            c = e + 1;
          } else {
            while (c < close && path_char(*c)) c++;
            if (c == as) {
              err(p, fl.span, "expected an argument for filter '%s'", fl.name);
              break;
            }
            a.path = vb_arena_strndup(p->l->arena, as, (size_t)(c - as));
          }
          a.span = vb_span_make(v->span.src, base + (uint32_t)(as - s), base + (uint32_t)(c - s));
          if (a.path) check_path(p, a.path, a.span);
          g_array_append_val(args, a);
          while (*c == ' ') c++;
          if (*c == ',') {
            c++;
            continue;
          }
          break;
        }
      }
      fl.nargs = args->len;
      fl.args = vb_arena_alloc(p->l->arena, sizeof(vb_targ) * (args->len + 1));
      if (args->len) memcpy(fl.args, args->data, sizeof(vb_targ) * args->len);
      g_array_free(args, TRUE);
      vb_strbuf msg = VB_STRBUF_INIT;
      if (vb_filter_check(fl.name, fl.nargs, &msg) != 0)
        err(p, fl.span, "%s", vb_strbuf_cstr(&msg));
      vb_strbuf_free(&msg);
      g_array_append_val(filters, fl);
    }
    f.nfilters = filters->len;
    f.filters = vb_arena_alloc(p->l->arena, sizeof(vb_tfilter) * (filters->len + 1));
    if (filters->len) memcpy(f.filters, filters->data, sizeof(vb_tfilter) * filters->len);
    g_array_free(filters, TRUE);
    g_array_append_val(parts, f);
    q = close + 2;
  }
  t->nparts = parts->len;
  t->parts = vb_arena_alloc(p->l->arena, sizeof(vb_tpart) * (parts->len + 1));
  if (parts->len) memcpy(t->parts, parts->data, sizeof(vb_tpart) * parts->len);
  g_array_free(parts, TRUE);
}

int vb_ttext_parse(vb_sources *sources, const vb_value *v, vb_arena *arena, vb_ttext *out,
                   vb_diag *d) {
  vb_layout l;
  memset(&l, 0, sizeof l);
  l.arena = arena;
  l.name = "expression";
  parser p = {&l, sources, d, NULL, NULL, NULL, NULL, g_ptr_array_new(), 0, NULL, 0, 0, NULL};
  parse_ttext(&p, v, out);
  g_ptr_array_free(p.locals, TRUE);
  return p.errors;
}

/* ---- styles */
static const char *const style_keys[] = {"inherit", "font", "size", "bold", "italic", "weight",
                                         "color", "align", "leading", "indent",
                                         "space_before", "space_after", "upper", "keep",
                                         "measure", NULL};

static void style_defaults(vb_style *st) {
  memset(st, 0, sizeof *st);
  st->family = "Liberation Serif";
  st->weight = 400;
  st->size = 13;
  st->color = (vb_color){0, 0, 0, 1};
  st->align = VB_ALIGN_LEFT;
  st->leading = 1.0;
}

static const char *font_family(parser *p, const vb_value *v) {
  const char *s = scalar(p, v, "font");
  if (!s) return NULL;
  const char *fam = g_hash_table_lookup(p->fonts, s);
  if (!fam) fam = vb_typesetter_family(p->ts, s);
  if (!fam) {
    char **have = vb_typesetter_families(p->ts);
    char *list = g_strjoinv(", ", have);
    err(p, v->span, "font '%s' is neither a name under 'fonts:' nor a bundled family (have: %s)",
        s, list);
    g_free(list);
    vb_typesetter_families_free(have);
  }
  return fam;
}

/* Applies the style keys present in `map` over *st. */
static void apply_style(parser *p, const vb_value *map, vb_style *st) {
  const vb_value *v;
  if ((v = vb_value_get(map, "font"))) {
    const char *fam = font_family(p, v);
    if (fam) st->family = fam;
  }
  if ((v = vb_value_get(map, "size"))) {
    double d = len_pt(p, v, "pt", st->size);
    if (d <= 0 || d > 500)
      err(p, v->span, "font size must be between 0 and 500 pt");
    else
      st->size = d;
  }
  bool b;
  if ((v = vb_value_get(map, "bold")) && parse_bool(p, v, &b) == 0) st->weight = b ? 700 : 400;
  if ((v = vb_value_get(map, "weight"))) {
    double d;
    if (parse_num(p, v, &d) == 0) st->weight = (int)d;
  }
  if ((v = vb_value_get(map, "italic")) && parse_bool(p, v, &b) == 0) st->italic = b;
  if ((v = vb_value_get(map, "color"))) parse_color(p, v, &st->color);
  if ((v = vb_value_get(map, "align"))) parse_align(p, v, &st->align);
  if ((v = vb_value_get(map, "leading"))) parse_num(p, v, &st->leading);
  if ((v = vb_value_get(map, "indent"))) st->indent = len_pt(p, v, "pt", 0);
  if ((v = vb_value_get(map, "space_before"))) st->space_before = len_pt(p, v, "pt", 0);
  if ((v = vb_value_get(map, "space_after"))) st->space_after = len_pt(p, v, "pt", 0);
  if ((v = vb_value_get(map, "upper")) && parse_bool(p, v, &b) == 0) st->upper = b;
  if ((v = vb_value_get(map, "keep")) && parse_bool(p, v, &b) == 0) st->keep = b;
  if ((v = vb_value_get(map, "measure"))) {
    vb_len m = {0, false, false};
    if (parse_len(p, v, "mm", &m, true) == 0) {
      if (m.v <= 0 || (m.pct && m.v > 100))
        err(p, v->span, "'measure' must be a width above 0 (mm, or up to 100%%)");
      else
        st->measure = m;
    }
  }
}

static const vb_style *find_style(parser *p, const vb_value *v) {
  const char *s = scalar(p, v, "style");
  if (!s) return NULL;
  const vb_style *st = g_hash_table_lookup(p->styles, s);
  if (!st) {
    GList *keys = g_hash_table_get_keys(p->styles);
    guint n = g_list_length(keys);
    const char **names = g_new0(const char *, n + 1);
    guint i = 0;
    for (GList *k = keys; k; k = k->next) names[i++] = k->data;
    const char *sug = vb_closest(s, names);
    if (sug)
      err(p, v->span, "unknown style '%s' (did you mean '%s'?)", s, sug);
    else
      err(p, v->span, "unknown style '%s'", s);
    g_free(names);
    g_list_free(keys);
  }
  return st;
}

static void parse_styles(parser *p, const vb_value *styles) {
  if (!styles) return;
  if (styles->kind != VB_VALUE_MAP) {
    err(p, styles->span, "'styles' must be a map of named styles");
    return;
  }
  for (const vb_value *c = styles->first; c; c = c->next) {
    if (c->kind != VB_VALUE_MAP) {
      err(p, c->span, "style '%s' must be a map", c->key);
      continue;
    }
    check_keys(p, c, style_keys, "a style");
    vb_style *st = vb_arena_alloc(p->l->arena, sizeof *st);
    style_defaults(st);
    const vb_value *inh = vb_value_get(c, "inherit");
    const char *iname = inh && inh->kind == VB_VALUE_STRING ? inh->str : NULL;
    const vb_value *later = NULL;
    for (const vb_value *d = c->next; d && iname && !later; d = d->next)
      if (!strcmp(d->key, iname)) later = d;
    if (iname && !strcmp(iname, c->key)) {
      err(p, inh->span, "style '%s' inherits from itself", c->key);
    } else if (later && !g_hash_table_lookup(p->styles, iname)) {
      err(p, inh->span, "style '%s' inherits from '%s', which is defined after it (styles "
          "inherit from those above them)", c->key, iname);
    } else if (inh) {
      const vb_style *base = find_style(p, inh);
      if (base) *st = *base;
    }
    apply_style(p, c, st);
    st->name = dup(p, c->key);
    g_hash_table_insert(p->styles, (char *)st->name, st);
  }
}

/* ---- SVG path data (M L H V C S Q T Z, absolute and relative) */
static bool path_num(const char **s, double *out) {
  const char *q = *s;
  while (*q == ' ' || *q == ',' || *q == '\n' || *q == '\t' || *q == '\r') q++;
  const char *st = q;
  if (*q == '-' || *q == '+') q++;
  bool digits = false;
  while (g_ascii_isdigit(*q)) q++, digits = true;
  if (*q == '.') {
    q++;
    while (g_ascii_isdigit(*q)) q++, digits = true;
  }
  if (!digits) return false;
  if (*q == 'e' || *q == 'E') {
    const char *e = q + 1;
    if (*e == '-' || *e == '+') e++;
    if (g_ascii_isdigit(*e)) {
      q = e;
      while (g_ascii_isdigit(*q)) q++;
    }
  }
  /* Plain decimals (the border's thousands of "123.45"): at most 15 digits and no
   * exponent make an exact integer over an exact power of ten, and IEEE division
   * rounds that quotient as strtod rounds the decimal, so the value is the same. */
  static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char *d = st + (*st == '-' || *st == '+');
  uint64_t m = 0;
  int ndig = 0, frac = -1;
  for (; d < q && ndig <= 15; d++) {
    if (*d == '.')
      frac = 0;
    else if (*d == 'e' || *d == 'E')
      break;
    else {
      m = m * 10 + (uint64_t)(*d - '0');
      ndig++;
      if (frac >= 0) frac++;
    }
  }
  if (d == q && ndig <= 15) {
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    *out = *st == '-' ? -v : v;
    *s = q;
    return true;
  }
  char buf[64];
  size_t n = (size_t)(q - st);
  if (n >= sizeof buf) return false;
  memcpy(buf, st, n);
  buf[n] = 0;
  *out = g_ascii_strtod(buf, NULL);
  *s = q;
  return true;
}

static void parse_path_data(parser *p, const vb_value *v, vb_tnode *n, double ox, double oy,
                            double sx, double sy) {
  const char *s = scalar(p, v, "path");
  if (!s) return;
  GArray *els = g_array_new(FALSE, TRUE, sizeof(vb_path_el));
  double cx = 0, cy = 0, startx = 0, starty = 0, lcx = 0, lcy = 0;
  char cmd = 0, prev = 0;
#define PX(x) ((float)((ox + (x) * sx) * MM))
#define PY(y) ((float)((oy + (y) * sy) * MM))
  const char *q = s;
  for (;;) {
    while (*q == ' ' || *q == ',' || *q == '\n' || *q == '\t' || *q == '\r') q++;
    if (!*q) break;
    if (g_ascii_isalpha(*q)) {
      cmd = *q++;
    } else if (!cmd) {
      goto bad;
    }
    bool rel = g_ascii_islower(cmd);
    char C = g_ascii_toupper(cmd);
    double a[6];
    vb_path_el e;
    memset(&e, 0, sizeof e);
    switch (C) {
    case 'Z':
      e.cmd = VB_PATH_CLOSE;
      g_array_append_val(els, e);
      cx = startx, cy = starty;
      cmd = 0;
      break;
    case 'M':
    case 'L':
      if (!path_num(&q, &a[0]) || !path_num(&q, &a[1])) goto bad;
      if (rel) a[0] += cx, a[1] += cy;
      e.cmd = C == 'M' ? VB_PATH_MOVE : VB_PATH_LINE;
      e.pt[0] = PX(a[0]), e.pt[1] = PY(a[1]);
      g_array_append_val(els, e);
      cx = a[0], cy = a[1];
      if (C == 'M') startx = cx, starty = cy, cmd = rel ? 'l' : 'L';
      break;
    case 'H':
    case 'V':
      if (!path_num(&q, &a[0])) goto bad;
      if (C == 'H') cx = rel ? cx + a[0] : a[0];
      else cy = rel ? cy + a[0] : a[0];
      e.cmd = VB_PATH_LINE;
      e.pt[0] = PX(cx), e.pt[1] = PY(cy);
      g_array_append_val(els, e);
      break;
    case 'C':
    case 'S':
    case 'Q':
    case 'T': {
      int need = C == 'C' ? 6 : C == 'T' ? 2 : 4;
      for (int i = 0; i < need; i++)
        if (!path_num(&q, &a[i])) goto bad;
      if (rel)
        for (int i = 0; i < need; i += 2) a[i] += cx, a[i + 1] += cy;
      double x1, y1, x2, y2, x, y;
      char pc = (char)g_ascii_toupper(prev);
      if (C == 'C') {
        x1 = a[0], y1 = a[1], x2 = a[2], y2 = a[3], x = a[4], y = a[5];
        lcx = x2, lcy = y2;
      } else if (C == 'S') {
        x1 = (pc == 'C' || pc == 'S') ? 2 * cx - lcx : cx;
        y1 = (pc == 'C' || pc == 'S') ? 2 * cy - lcy : cy;
        x2 = a[0], y2 = a[1], x = a[2], y = a[3];
        lcx = x2, lcy = y2;
      } else {
        double qx, qy;
        if (C == 'Q') qx = a[0], qy = a[1], x = a[2], y = a[3];
        else {
          qx = (pc == 'Q' || pc == 'T') ? 2 * cx - lcx : cx;
          qy = (pc == 'Q' || pc == 'T') ? 2 * cy - lcy : cy;
          x = a[0], y = a[1];
        }
        lcx = qx, lcy = qy;
        x1 = cx + 2.0 / 3 * (qx - cx), y1 = cy + 2.0 / 3 * (qy - cy);
        x2 = x + 2.0 / 3 * (qx - x), y2 = y + 2.0 / 3 * (qy - y);
      }
      e.cmd = VB_PATH_CURVE;
      e.pt[0] = PX(x1), e.pt[1] = PY(y1), e.pt[2] = PX(x2), e.pt[3] = PY(y2);
      e.pt[4] = PX(x), e.pt[5] = PY(y);
      g_array_append_val(els, e);
      cx = x, cy = y;
      break;
    }
    default:
      goto bad;
    }
    prev = C == 'Z' ? 0 : cmd ? cmd : prev;
    if (C == 'Z') prev = 'Z';
  }
#undef PX
#undef PY
  n->nels = els->len;
  n->els = vb_arena_alloc(p->l->arena, sizeof(vb_path_el) * (els->len + 1));
  if (els->len) memcpy(n->els, els->data, sizeof(vb_path_el) * els->len);
  g_array_free(els, TRUE);
  return;
bad:
  err(p, v->span, "bad path data near '%.20s' (supported: M L H V C S Q T Z)", q);
  g_array_free(els, TRUE);
}

/* ---- blocks */
static vb_tnode *parse_blocks(parser *p, const vb_value *list, const char *what);

static vb_tnode *node_new(parser *p, vb_tkind kind, const vb_value *v) {
  vb_tnode *n = vb_arena_alloc(p->l->arena, sizeof *n);
  n->kind = kind;
  n->span = key_or_node(v);
  n->color = (vb_color){0, 0, 0, 1};
  n->align = VB_ALIGN_CENTER;
  return n;
}

/* Something placed at x, y (w × h, pt) lies on the page as designed. */
static void check_on_page(parser *p, vb_span span, const char *what, double x, double y,
                          double w, double h) {
  const vb_layout *l = p->l;
  const double eps = 0.01 * MM;
  if (l->page_w <= 0 || l->page_h <= 0 || p->in_ornament) return;
  if (x < -eps || y < -eps || x + w > l->page_w + eps || y + h > l->page_h + eps)
    err(p, span,
        "%s (x %.1f, y %.1f, %.1f × %.1f mm) reaches off the page (%.0f × %.0f mm)", what,
        x / MM, y / MM, w / MM, h / MM, l->page_w / MM, l->page_h / MM);
}

/* BOX/RECT `{x, y, w, h}`; `below` (a box placed under another) takes no y. */
static void parse_box_geom(parser *p, const vb_value *g, vb_tnode *n, bool need_size,
                           bool below) {
  if (!g || g->kind != VB_VALUE_MAP) {
    err(p, g ? g->span : n->span, "expected {x, y, w, h} in millimetres");
    return;
  }
  static const char *const keys[] = {"x", "y", "w", "h", NULL};
  check_keys(p, g, keys, "a position");
  const char *names[] = {"x", "y", "w", "h"};
  double *dst[] = {&n->x, &n->y, &n->w, &n->h};
  for (int i = 0; i < 4; i++) {
    const vb_value *v = vb_value_get(g, names[i]);
    if (i == 1 && below) {
      if (v) err(p, v->span, "a box placed 'below:' another takes no 'y'");
      continue;
    }
    if (!v) {
      if (i < 2 || need_size) err(p, g->span, "missing '%s' in the position", names[i]);
      continue;
    }
    *dst[i] = len_pt(p, v, "mm", 0);
  }
  check_on_page(p, g->span, "the box", n->x, n->y, n->w, n->h);
}

/* `below: ROLE` with `gap: LENGTH` (default 0): the box's top follows the bottom of
 * the earlier box of that role, the gap kept in the sheet's millimetres on any
 * --paper (the room for a signature and seal does not grow with the sheet). */
static void parse_below(parser *p, const vb_value *b, vb_tnode *n) {
  const vb_value *v = vb_value_get(b, "below"), *g = vb_value_get(b, "gap");
  if (!v) {
    if (g) err(p, g->span, "'gap' goes with 'below: ROLE' (the box it follows)");
    return;
  }
  const char *role = scalar(p, v, "below");
  if (!role) return;
  for (guint i = p->boxes ? p->boxes->len : 0; i-- > 0;) {
    const vb_tnode *o = g_ptr_array_index(p->boxes, i);
    if (o->role && !strcmp(o->role, role)) {
      n->below = o;
      break;
    }
  }
  if (!n->below) {
    err(p, v->span, "'below: %s': no box with role '%s' comes before this one", role, role);
    return;
  }
  n->below_gap = g ? len_pt(p, g, "mm", 0) : 0;
}

static const char *const text_keys[] = {"text", "style", "role", "fit", "font", "size", "bold",
                                        "italic", "weight", "color", "align", "leading",
                                        "indent", "space_before", "space_after", "upper",
                                        "keep", "paragraphs", "required", "measure", NULL};

static vb_tnode *parse_text(parser *p, const vb_value *b, const vb_value *tv) {
  vb_tnode *n = node_new(p, VB_T_TEXT, tv);
  check_keys(p, b, text_keys, "a text block");
  style_defaults(&n->style);
  const vb_value *sv = vb_value_get(b, "style");
  if (sv) {
    const vb_style *st = find_style(p, sv);
    if (st) n->style = *st;
  } else {
    const vb_style *st = g_hash_table_lookup(p->styles, "body");
    if (st) n->style = *st;
  }
  apply_style(p, b, &n->style);
  parse_ttext(p, tv, &n->text);
  n->fit_min = n->style.size;
  const vb_value *fit = vb_value_get(b, "fit");
  if (fit) {
    static const char *const fit_keys[] = {"min", "lines", "first", NULL};
    if (fit->kind != VB_VALUE_MAP) {
      err(p, fit->span, "'fit' must be a map like {min: 70%%, lines: 2}");
    } else {
      check_keys(p, fit, fit_keys, "'fit'");
      const vb_value *mv = vb_value_get(fit, "min");
      vb_len ml = {0, false, false};
      if (mv && parse_len(p, mv, "pt", &ml, true) == 0)
        n->fit_min = ml.pct ? n->style.size * ml.v / 100 : ml.v;
      else if (!mv)
        n->fit_min = n->style.size * 0.7;
      if (n->fit_min > n->style.size) n->fit_min = n->style.size;
      if (n->fit_min <= 0) n->fit_min = n->style.size;
      const vb_value *lv = vb_value_get(fit, "lines");
      double d;
      if (lv && parse_num(p, lv, &d) == 0) {
        if (d < 1 || d > 50)
          err(p, lv->span, "'lines' must be between 1 and 50");
        else
          n->max_lines = (int)d;
      }
      if (!lv) n->max_lines = 1;
      const vb_value *fv = vb_value_get(fit, "first");
      if (fv) {
        const char *f = scalar(p, fv, "'first'");
        if (f && !strcmp(f, "shrink"))
          n->fit_first = VB_FIT_SHRINK;
        else if (f && !strcmp(f, "wrap"))
          n->fit_first = VB_FIT_WRAP;
        else if (f)
          err(p, fv->span, "'first' must be 'wrap' (running text) or 'shrink' (names), found '%s'",
              f);
      }
    }
  }
  const vb_value *rv = vb_value_get(b, "role");
  if (rv) n->role = dup(p, scalar(p, rv, "role"));
  else if (n->text.nparts >= 1) {
    for (size_t i = 0; i < n->text.nparts; i++)
      if (n->text.parts[i].path) {
        n->role = n->text.parts[i].path;
        break;
      }
  }
  if (!n->role) n->role = "text";
  bool flag;
  const vb_value *fv = vb_value_get(b, "paragraphs");
  if (fv && parse_bool(p, fv, &flag) == 0) n->paragraphs = flag;
  fv = vb_value_get(b, "required");
  if (fv && parse_bool(p, fv, &flag) == 0) n->required = flag;
  return n;
}

/* The signature block: authority (if any), position, a gap, the name. */
static vb_tnode *parse_signature(parser *p, const vb_value *b, const vb_value *sv) {
  static const char *const keys[] = {"signature", "authority", "position", "name", "gap",
                                     "authority_style", "position_style", "name_style", NULL};
  check_keys(p, b, keys, "a signature block");
  if (sv->kind != VB_VALUE_NULL && sv->kind != VB_VALUE_MAP &&
      !(sv->kind == VB_VALUE_STRING && (!strcmp(sv->str, "signer") || !*sv->str)))
    err(p, sv->span, "'signature' takes no value (write 'signature: signer')");
  vb_tree *t = vb_tree_new();
  const char *parts[3][3] = {{"authority", "{{signer.authority | upper}}", "signature_authority"},
                             {"position", "{{signer.position | upper}}", "signature_position"},
                             {"name", "{{signer.name}}", "signature_name"}};
  vb_tnode *first = NULL, **tail = &first;
  for (int i = 0; i < 3; i++) {
    const vb_value *tv = vb_value_get(b, parts[i][0]);
    vb_value *synth = NULL;
    if (!tv) {
      synth = vb_value_new_string(t, parts[i][1], strlen(parts[i][1]), key_or_node(sv));
      tv = synth;
    }
    char key[32];
    snprintf(key, sizeof key, "%s_style", parts[i][0]);
    const vb_value *stv = vb_value_get(b, key);
    vb_value *blk = vb_value_new(t, VB_VALUE_MAP, sv->span);
    vb_value_set(t, blk, "text", key_or_node(tv), vb_value_copy(t, tv));
    if (stv)
      vb_value_set(t, blk, "style", stv->key_span, vb_value_copy(t, stv));
    else if (g_hash_table_lookup(p->styles, parts[i][2]))
      vb_value_set(t, blk, "style", vb_span_none(),
                   vb_value_new_string(t, parts[i][2], strlen(parts[i][2]), vb_span_none()));
    vb_tnode *tn = parse_text(p, blk, vb_value_get(blk, "text"));
    tn->span = key_or_node(tv);
    tn->role = i == 0 ? "signer.authority" : i == 1 ? "signer.position" : "signer.name";
    if (i == 0) {
      /* printed only when the signer has an authority line */
      vb_tnode *cond = node_new(p, VB_T_IF, sv);
      cond->path = tn->text.nparts == 1 && tn->text.parts[0].path ? tn->text.parts[0].path
                                                                  : "signer.authority";
      cond->children = tn;
      *tail = cond;
      tail = &cond->next;
    } else {
      *tail = tn;
      tail = &tn->next;
    }
    if (i == 1) {
      vb_tnode *gap = node_new(p, VB_T_SPACE, sv);
      const vb_value *gv = vb_value_get(b, "gap");
      gap->h = gv ? len_pt(p, gv, "mm", 37 * MM) : 37 * MM;
      /* the room for a signature and a real seal (§3.2: 35-40 mm): the seal does
       * not grow with the paper, so --paper A3 keeps these millimetres */
      gap->sheet_mm = true;
      gap->role = "signature";
      *tail = gap;
      tail = &gap->next;
    }
  }
  vb_tree_free(t);
  return first;
}

static vb_tnode *parse_block(parser *p, const vb_value *b) {
  if (b->kind != VB_VALUE_MAP || !b->first) {
    err(p, b->span, "a block must be a map such as {text: ...} or {rule: ...}, found %s",
        vb_value_kind_name(b->kind));
    return NULL;
  }
  static const char *const types[] = {"text", "rule", "space", "row", "image", "if", "unless",
                                      "repeat", "box", "path", "rect", "signature", "form", NULL};
  const vb_value *tv = NULL;
  const char *type = NULL;
  for (const vb_value *c = b->first; c && !type; c = c->next)
    for (const char *const *t = types; *t; t++)
      if (!strcmp(c->key, *t)) {
        type = *t;
        tv = c;
        break;
      }
  if (!type) {
    const char *sug = vb_closest(b->first->key, types);
    if (sug)
      err(p, b->first->key_span, "unknown block '%s' (did you mean '%s'?)", b->first->key, sug);
    else
      err(p, b->first->key_span,
          "unknown block '%s' (expected text, rule, space, row, image, if, unless, repeat, "
          "box, path, rect, signature or form)",
          b->first->key);
    return NULL;
  }
  vb_tnode *n = NULL;
  const vb_value *v;
  if (!strcmp(type, "text")) return parse_text(p, b, tv);
  if (!strcmp(type, "signature")) return parse_signature(p, b, tv);
  if (!strcmp(type, "form")) {
    /* the wording of the record's award form: the blocks its part PART has */
    static const char *const keys[] = {"form", NULL};
    check_keys(p, b, keys, "a form block");
    n = node_new(p, VB_T_FORM, tv);
    const char *part = scalar(p, tv, "a form part");
    if (!part) return n;
    n->path = dup(p, part);
    n->role = "form";
    bool known = false;
    const char *names[17] = {NULL};
    size_t nn = 0;
    for (size_t i = 0; i < p->l->nform_parts && !known; i++) {
      known = !strcmp(p->l->form_parts[i].part, part);
      if (nn < 16) names[nn++] = p->l->form_parts[i].part;
    }
    const char *sug = known ? NULL : vb_closest(part, names);
    if (!known && sug)
      err(p, tv->span, "no form in 'forms' has a part '%s' (did you mean '%s'?)", part, sug);
    else if (!known)
      err(p, tv->span,
          "no form in 'forms' has a part '%s' (write forms: {giấy khen: {%s: [blocks]}, ...})",
          part, part);
    return n;
  }
  if (!strcmp(type, "rule")) {
    static const char *const keys[] = {"rule", "thickness", "color", "align", "space_before",
                                       "space_after", "role", NULL};
    check_keys(p, b, keys, "a rule");
    n = node_new(p, VB_T_RULE, tv);
    n->thickness = 0.6;
    double frac;
    char *endp = NULL;
    if (tv->kind == VB_VALUE_STRING && !strcmp(tv->str, "text"))
      n->width.set = false; /* as wide as the previous text */
    else if (tv->kind == VB_VALUE_STRING && g_str_has_suffix(tv->str, "% text") &&
             (frac = g_ascii_strtod(tv->str, &endp)) > 0 && frac <= 100 && endp &&
             !strcmp(endp, "% text")) {
      /* "40% text": a share of the previous text's width (NĐ 30: 1/3 to 1/2) */
      n->width.set = false;
      n->of_text = frac / 100;
    } else if (tv->kind == VB_VALUE_STRING)
      parse_len(p, tv, "mm", &n->width, true);
    else
      err(p, tv->span, "'rule' takes a width (60mm, 33%%), 'text' or a share of it ('40%% text')");
    if ((v = vb_value_get(b, "thickness"))) n->thickness = len_pt(p, v, "pt", 0.6);
    if ((v = vb_value_get(b, "color"))) parse_color(p, v, &n->color);
    if ((v = vb_value_get(b, "align"))) parse_align(p, v, &n->align);
    if ((v = vb_value_get(b, "space_before"))) n->space_before = len_pt(p, v, "pt", 0);
    if ((v = vb_value_get(b, "space_after"))) n->space_after = len_pt(p, v, "pt", 0);
    n->role = "rule";
    if ((v = vb_value_get(b, "role"))) n->role = dup(p, scalar(p, v, "role"));
  } else if (!strcmp(type, "space")) {
    static const char *const keys[] = {"space", NULL};
    check_keys(p, b, keys, "a space");
    n = node_new(p, VB_T_SPACE, tv);
    n->h = len_pt(p, tv, "pt", 0);
    n->role = "space";
  } else if (!strcmp(type, "row")) {
    static const char *const keys[] = {"row", "space_before", "space_after", "role", "keep",
                                       NULL};
    check_keys(p, b, keys, "a row");
    n = node_new(p, VB_T_ROW, tv);
    n->role = "row";
    bool kb;
    /* keep: true: the row stays on the page of what follows it (a signature's
     * titles with its names) */
    if ((v = vb_value_get(b, "keep")) && parse_bool(p, v, &kb) == 0) n->style.keep = kb;
    if ((v = vb_value_get(b, "role"))) n->role = dup(p, scalar(p, v, "role"));
    if ((v = vb_value_get(b, "space_before"))) n->space_before = len_pt(p, v, "pt", 0);
    if ((v = vb_value_get(b, "space_after"))) n->space_after = len_pt(p, v, "pt", 0);
    if (tv->kind != VB_VALUE_SEQ) {
      err(p, tv->span, "'row' must be a list of columns {width: 50%%, blocks: [...]}");
      return n;
    }
    vb_tnode **tail = &n->children;
    double pct = 0;
    for (const vb_value *c = tv->first; c; c = c->next) {
      if (c->kind != VB_VALUE_MAP) {
        err(p, c->span, "a column must be a map {width: 50%%, blocks: [...]}");
        continue;
      }
      static const char *const ckeys[] = {"width", "valign", "blocks", NULL};
      check_keys(p, c, ckeys, "a column");
      vb_tnode *col = node_new(p, VB_T_COLUMN, c);
      const vb_value *w = vb_value_get(c, "width");
      if (w) parse_len(p, w, "mm", &col->width, true);
      if ((v = vb_value_get(c, "valign"))) parse_valign(p, v, &col->valign);
      col->children = parse_blocks(p, vb_value_get(c, "blocks"), "a column");
      if (col->width.set && col->width.pct) pct += col->width.v;
      *tail = col;
      tail = &col->next;
    }
    if (pct > 100.0 + 1e-9)
      err(p, tv->span, "the columns of this row are %g%% wide together: more than the 100%% "
          "there is", pct);
  } else if (!strcmp(type, "image")) {
    static const char *const keys[] = {"image", "width", "height", "align", "x", "y", "role",
                                       "space_before", "space_after", NULL};
    check_keys(p, b, keys, "an image");
    n = node_new(p, VB_T_IMAGE, tv);
    parse_ttext(p, tv, &n->file);
    if ((v = vb_value_get(b, "width"))) parse_len(p, v, "mm", &n->img_w, false);
    if ((v = vb_value_get(b, "height"))) parse_len(p, v, "mm", &n->img_h, false);
    if (!n->img_w.set && !n->img_h.set) err(p, tv->span, "an image needs a width or a height");
    if ((v = vb_value_get(b, "align"))) parse_align(p, v, &n->align);
    if ((v = vb_value_get(b, "space_before"))) n->space_before = len_pt(p, v, "pt", 0);
    if ((v = vb_value_get(b, "space_after"))) n->space_after = len_pt(p, v, "pt", 0);
    const vb_value *xv = vb_value_get(b, "x"), *yv = vb_value_get(b, "y");
    if (xv || yv) {
      n->absolute = true;
      n->x = xv ? len_pt(p, xv, "mm", 0) : 0;
      n->y = yv ? len_pt(p, yv, "mm", 0) : 0;
      check_on_page(p, (xv ? xv : yv)->span, "the image", n->x, n->y,
                    n->img_w.set && !n->img_w.pct ? n->img_w.v : 0,
                    n->img_h.set && !n->img_h.pct ? n->img_h.v : 0);
    }
    n->role = "image";
    if ((v = vb_value_get(b, "role"))) n->role = dup(p, scalar(p, v, "role"));
  } else if (!strcmp(type, "if") || !strcmp(type, "unless")) {
    static const char *const keys[] = {"if", "unless", "is", "then", "else", NULL};
    check_keys(p, b, keys, "a condition");
    n = node_new(p, VB_T_IF, tv);
    n->negate = !strcmp(type, "unless");
    /* `is: huy hiệu`: true when the field's text is that value (case and
     * surrounding spaces aside), rather than when it is present */
    if ((v = vb_value_get(b, "is"))) {
      const char *is = scalar(p, v, "'is'");
      if (is) n->is = dup(p, is);
    }
    const char *path = scalar(p, tv, "a condition");
    if (path) {
      n->path = dup(p, path);
      check_path(p, path, tv->span);
    }
    n->children = parse_blocks(p, vb_value_get(b, "then"), "'then'");
    n->otherwise = parse_blocks(p, vb_value_get(b, "else"), "'else'");
    n->role = "if";
  } else if (!strcmp(type, "repeat")) {
    static const char *const keys[] = {"repeat", "as", "blocks", NULL};
    check_keys(p, b, keys, "a repeat");
    n = node_new(p, VB_T_REPEAT, tv);
    const char *path = scalar(p, tv, "repeat");
    if (path) {
      n->path = dup(p, path);
      check_path(p, path, tv->span);
    }
    const vb_value *as = vb_value_get(b, "as");
    n->as = as ? dup(p, scalar(p, as, "as")) : "item";
    g_ptr_array_add(p->locals, (gpointer)n->as);
    n->children = parse_blocks(p, vb_value_get(b, "blocks"), "a repeat");
    g_ptr_array_remove_index(p->locals, p->locals->len - 1);
    n->role = "repeat";
  } else if (!strcmp(type, "box")) {
    static const char *const keys[] = {"box", "valign", "blocks", "role", "outline", "below",
                                       "gap", NULL};
    check_keys(p, b, keys, "a box");
    n = node_new(p, VB_T_BOX, tv);
    parse_below(p, b, n);
    parse_box_geom(p, tv, n, true, vb_value_get(b, "below") != NULL);
    if (n->below) n->y = n->below->y + n->below->h + n->below_gap;
    if ((v = vb_value_get(b, "valign"))) parse_valign(p, v, &n->valign);
    bool o;
    if ((v = vb_value_get(b, "outline")) && parse_bool(p, v, &o) == 0) n->outline = o;
    n->children = parse_blocks(p, vb_value_get(b, "blocks"), "a box");
    n->role = "box";
    if ((v = vb_value_get(b, "role"))) n->role = dup(p, scalar(p, v, "role"));
    if (p->boxes) g_ptr_array_add(p->boxes, n);
  } else if (!strcmp(type, "path") || !strcmp(type, "rect")) {
    static const char *const keys[] = {"path", "rect", "at", "scale", "fill", "stroke",
                                       "width", "even_odd", "role", NULL};
    check_keys(p, b, keys, !strcmp(type, "path") ? "a path" : "a rect");
    n = node_new(p, !strcmp(type, "path") ? VB_T_PATH : VB_T_RECT, tv);
    n->fill = (vb_color){0, 0, 0, 0};
    n->stroke = (vb_color){0, 0, 0, 0};
    n->line_width = 1;
    if ((v = vb_value_get(b, "fill"))) parse_color(p, v, &n->fill);
    if ((v = vb_value_get(b, "stroke"))) parse_color(p, v, &n->stroke);
    if ((v = vb_value_get(b, "width"))) n->line_width = len_pt(p, v, "pt", 1);
    bool eo;
    if ((v = vb_value_get(b, "even_odd")) && parse_bool(p, v, &eo) == 0) n->outline = eo;
    if (!vb_value_get(b, "fill") && !vb_value_get(b, "stroke")) n->stroke = n->color;
    n->role = "art";
    if ((v = vb_value_get(b, "role"))) n->role = dup(p, scalar(p, v, "role"));
    if (n->kind == VB_T_RECT) {
      parse_box_geom(p, tv, n, true, false);
    } else {
      double ox = 0, oy = 0, sx = 1, sy = 1;
      const vb_value *at = vb_value_get(b, "at");
      if (at) {
        if (at->kind == VB_VALUE_SEQ && at->count == 2) {
          parse_num(p, at->first, &ox);
          parse_num(p, at->first->next, &oy);
        } else
          err(p, at->span, "'at' must be [x, y] in millimetres");
      }
      const vb_value *sc = vb_value_get(b, "scale");
      if (sc) {
        if (sc->kind == VB_VALUE_SEQ && sc->count == 2) {
          parse_num(p, sc->first, &sx);
          parse_num(p, sc->first->next, &sy);
        } else if (sc->kind == VB_VALUE_STRING && parse_num(p, sc, &sx) == 0)
          sy = sx;
        else
          err(p, sc->span, "'scale' must be a number or [sx, sy]");
      }
      parse_path_data(p, tv, n, ox, oy, sx, sy);
    }
  }
  return n;
}

static vb_tnode *parse_blocks(parser *p, const vb_value *list, const char *what) {
  if (!list || list->kind == VB_VALUE_NULL) return NULL;
  if (list->kind != VB_VALUE_SEQ) {
    err(p, list->span, "the blocks of %s must be a list", what);
    return NULL;
  }
  uint64_t max = vb_sources_limits(p->sources)->template_depth;
  if (p->nest >= max) {
    err(p, vb_span_make(list->span.src, list->span.start, list->span.start),
        "blocks nested more than %llu deep (the template-depth limit; raise it with "
        "--limit template-depth=N)",
        (unsigned long long)max);
    return NULL;
  }
  p->nest++;
  vb_tnode *first = NULL, **tail = &first;
  for (const vb_value *b = list->first; b; b = b->next) {
    vb_tnode *n = parse_block(p, b);
    if (!n) continue;
    *tail = n;
    while (n->next) n = n->next;
    tail = &n->next;
  }
  p->nest--;
  return first;
}

/* Art is drawn once for every page: it cannot depend on a record. */
static void check_static(parser *p, const vb_tnode *n) {
  for (; n; n = n->next) {
    if ((n->kind == VB_T_TEXT && !n->text.fixed) || (n->kind == VB_T_IMAGE && !n->file.fixed) ||
        n->kind == VB_T_IF || n->kind == VB_T_REPEAT)
      err(p, n->span, "'art' is drawn once for every page and cannot use record fields");
    check_static(p, n->children);
  }
}

/* ---- page */
int vb_paper_size(const char *name, double *w, double *h) {
  static const struct {
    const char *name;
    double w, h;
  } papers[] = {{"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210},
                {"B5", 176, 250}, {"Letter", 215.9, 279.4}};
  for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
    if (!g_ascii_strcasecmp(name, papers[i].name)) {
      *w = papers[i].w;
      *h = papers[i].h;
      return 0;
    }
  return -1;
}

static void parse_page(parser *p, const vb_value *page) {
  vb_layout *l = p->l;
  double w = 210, h = 297;
  double mt = 20, mb = 20, ml = 30, mr = 15; /* Nghị định 30 */
  if (page) {
    static const char *const keys[] = {"size", "orientation", "margins", NULL};
    if (page->kind != VB_VALUE_MAP) {
      err(p, page->span, "'page' must be a map {size, orientation, margins}");
      return;
    }
    check_keys(p, page, keys, "'page'");
    const vb_value *sz = vb_value_get(page, "size");
    if (sz && sz->kind == VB_VALUE_STRING) {
      if (vb_paper_size(sz->str, &w, &h) != 0)
        err(p, sz->span, "unknown paper size '%s' (expected A3, A4, A5, B5, Letter or [w, h] in mm)",
            sz->str);
    } else if (sz && sz->kind == VB_VALUE_SEQ && sz->count == 2) {
      w = len_pt(p, sz->first, "mm", w * MM) / MM;
      h = len_pt(p, sz->first->next, "mm", h * MM) / MM;
    } else if (sz)
      err(p, sz->span, "'size' must be a paper name or [width, height]");
    const vb_value *o = vb_value_get(page, "orientation");
    if (o) {
      const char *s = scalar(p, o, "orientation");
      if (s && !strcmp(s, "landscape")) {
        if (w < h) {
          double t = w;
          w = h;
          h = t;
        }
      } else if (s && strcmp(s, "portrait"))
        err(p, o->span, "'%s' is not an orientation (expected portrait or landscape)", s);
    }
    const vb_value *m = vb_value_get(page, "margins");
    if (m) {
      if (m->kind != VB_VALUE_MAP) {
        err(p, m->span, "'margins' must be a map {top, bottom, left, right} in mm");
      } else {
        static const char *const mk[] = {"top", "bottom", "left", "right", NULL};
        check_keys(p, m, mk, "'margins'");
        const vb_value *v;
        if ((v = vb_value_get(m, "top"))) mt = len_pt(p, v, "mm", mt * MM) / MM;
        if ((v = vb_value_get(m, "bottom"))) mb = len_pt(p, v, "mm", mb * MM) / MM;
        if ((v = vb_value_get(m, "left"))) ml = len_pt(p, v, "mm", ml * MM) / MM;
        if ((v = vb_value_get(m, "right"))) mr = len_pt(p, v, "mm", mr * MM) / MM;
      }
    }
  }
  l->page_w = w * MM;
  l->page_h = h * MM;
  l->frame_x = ml * MM;
  l->frame_y = mt * MM;
  l->frame_w = (w - ml - mr) * MM;
  l->frame_h = (h - mt - mb) * MM;
  if (l->frame_w <= 0 || l->frame_h <= 0)
    err(p, page ? page->span : vb_span_none(), "the margins leave no room on the page");
}

static void parse_frame(parser *p, const vb_value *f) {
  if (!f) return;
  static const char *const keys[] = {"x", "y", "w", "h", "valign", NULL};
  if (f->kind != VB_VALUE_MAP) {
    err(p, f->span, "'frame' must be a map {x, y, w, h, valign}");
    return;
  }
  check_keys(p, f, keys, "'frame'");
  const vb_value *v;
  if ((v = vb_value_get(f, "x"))) p->l->frame_x = len_pt(p, v, "mm", p->l->frame_x);
  if ((v = vb_value_get(f, "y"))) p->l->frame_y = len_pt(p, v, "mm", p->l->frame_y);
  if ((v = vb_value_get(f, "w"))) p->l->frame_w = len_pt(p, v, "mm", p->l->frame_w);
  if ((v = vb_value_get(f, "h"))) p->l->frame_h = len_pt(p, v, "mm", p->l->frame_h);
  if ((v = vb_value_get(f, "valign"))) parse_valign(p, v, &p->l->frame_valign);
  check_on_page(p, f->span, "the frame", p->l->frame_x, p->l->frame_y, p->l->frame_w,
                p->l->frame_h);
}

/* The frame of pages after the first, for flows that continue: same width. */
static void parse_next_frame(parser *p, const vb_value *f) {
  vb_layout *l = p->l;
  l->next_x = l->frame_x;
  l->next_y = l->frame_y;
  l->next_h = l->frame_h;
  if (!f) return;
  static const char *const keys[] = {"x", "y", "h", NULL};
  if (f->kind != VB_VALUE_MAP) {
    err(p, f->span, "'next_frame' must be a map {x, y, h} (later pages keep the width)");
    return;
  }
  check_keys(p, f, keys, "'next_frame'");
  const vb_value *v;
  if ((v = vb_value_get(f, "x"))) l->next_x = len_pt(p, v, "mm", l->next_x);
  if ((v = vb_value_get(f, "y"))) l->next_y = len_pt(p, v, "mm", l->next_y);
  if ((v = vb_value_get(f, "h"))) l->next_h = len_pt(p, v, "mm", l->next_h);
  if (l->next_h <= 0) err(p, f->span, "'next_frame' has no height");
}

/* The legal margins of the rule sets that check minutes (spec §1.1; §2.2 for the
 * party form, common practice): a layout may set others, and is warned, naming the
 * rule `vanban check --conformance` will fail. */
static void warn_margins(parser *p, const vb_value *page) {
  const vb_layout *l = p->l;
  if (!l->conformance ||
      (strcmp(l->conformance, "nd30-minutes") && strcmp(l->conformance, "hd36-minutes")))
    return;
  const vb_value *m = page ? vb_value_get(page, "margins") : NULL;
  static const struct {
    const char *side;
    double lo, hi;
  } legal[] = {{"top", 20, 25}, {"bottom", 20, 25}, {"left", 30, 35}, {"right", 15, 20}};
  double got[] = {l->frame_y / MM, (l->page_h - l->frame_y - l->frame_h) / MM,
                  l->frame_x / MM, (l->page_w - l->frame_x - l->frame_w) / MM};
  for (size_t i = 0; i < 4; i++) {
    if (got[i] >= legal[i].lo - 0.05 && got[i] <= legal[i].hi + 0.05) continue;
    const vb_value *v = m && m->kind == VB_VALUE_MAP ? vb_value_get(m, legal[i].side) : NULL;
    char num[64];
    num[vb_fmt_num(num, got[i], got[i] == (int)got[i] ? 0 : 1)] = 0;
    vb_diag_warn(p->diag, v ? v->span : page ? page->span : vb_span_none(),
                 "%s margin %s mm is outside %g-%g mm (rule %.4s.margin.%s, spec %s)",
                 legal[i].side, num, legal[i].lo, legal[i].hi, l->conformance, legal[i].side,
                 l->conformance[0] == 'n' ? "§1.1" : "§2.2");
  }
}

/* page_numbers: {style: NAME, from: 2, y: 10mm}: the page number, centred over the
 * frame, its top `y` from the top edge of the page, on pages `from` and later. */
static void parse_page_numbers(parser *p, const vb_value *v) {
  if (!v) return;
  static const char *const keys[] = {"style", "from", "y", NULL};
  if (v->kind != VB_VALUE_MAP) {
    err(p, v->span, "'page_numbers' must be a map {style, from, y}");
    return;
  }
  check_keys(p, v, keys, "'page_numbers'");
  vb_layout *l = p->l;
  const vb_value *sv = vb_value_get(v, "style");
  const vb_style *st = sv ? find_style(p, sv) : g_hash_table_lookup(p->styles, "body");
  if (!st) {
    if (!sv) err(p, v->span, "'page_numbers' needs a style");
    return;
  }
  l->page_number = vb_arena_alloc(l->arena, sizeof *l->page_number);
  *l->page_number = *st;
  l->page_number_from = 2;
  const vb_value *fv = vb_value_get(v, "from");
  double d;
  if (fv && parse_num(p, fv, &d) == 0) {
    if (d < 1 || d > 1000) err(p, fv->span, "'from' must be a page number from 1");
    else l->page_number_from = (int)d;
  }
  const vb_value *yv = vb_value_get(v, "y");
  l->page_number_y = yv ? len_pt(p, yv, "mm", 10 * MM) : 10 * MM;
}

static void parse_fonts(parser *p, const vb_value *fonts) {
  if (!fonts) return;
  if (fonts->kind != VB_VALUE_MAP) {
    err(p, fonts->span, "'fonts' must be a map of name: family");
    return;
  }
  for (const vb_value *c = fonts->first; c; c = c->next) {
    const char *fam = scalar(p, c, "a font family");
    if (!fam) continue;
    const char *real = vb_typesetter_family(p->ts, fam);
    if (!real) {
      char **have = vb_typesetter_families(p->ts);
      char *list = g_strjoinv(", ", have);
      err(p, c->span, "font family '%s' is not among the bundled fonts (have: %s)", fam, list);
      g_free(list);
      vb_typesetter_families_free(have);
      continue;
    }
    g_hash_table_insert(p->fonts, (char *)dup(p, c->key), (char *)real);
  }
}

/* The `bulletin:` section of a bulletin layout and the styles its flow uses. */
static void parse_bulletin(parser *p, const vb_value *b, const vb_value *page) {
  vb_layout *l = p->l;
  vb_bulletin_spec *bs = vb_arena_alloc(l->arena, sizeof *bs);
  memset(bs, 0, sizeof *bs);
  bs->columns = 2;
  bs->gutter = 5 * MM;
  bs->rule = 0.5;
  bs->photo_max = 0.5;
  bs->max_pages = 64;
  bs->band_gap = 4 * MM;
  l->bulletin = bs;
  /* Luật Báo chí 2016, Điều 34 khoản 1: at most 19 x 27 cm */
  if (l->page_w > 190 * MM + 0.01 || l->page_h > 270 * MM + 0.01)
    err(p, page ? key_or_node(page) : vb_span_none(),
        "a bulletin page may be at most 190 x 270 mm (Luật Báo chí 2016, Điều 34); this one is "
        "%.0f x %.0f mm",
        l->page_w / MM, l->page_h / MM);
  if (b) {
    bs->span = key_or_node(b);
    if (b->kind != VB_VALUE_MAP) {
      err(p, b->span, "'bulletin' must be a map {columns, gutter, rule, photos, ...}");
      b = NULL;
    }
  }
  if (b) {
    static const char *const keys[] = {"columns", "gutter", "rule", "photos", "photo_max_height",
                                       "max_pages", "article_gap", NULL};
    check_keys(p, b, keys, "'bulletin'");
    const vb_value *v;
    double d;
    if ((v = vb_value_get(b, "columns")) && parse_num(p, v, &d) == 0) {
      if (d != 1 && d != 2 && d != 3)
        err(p, v->span, "a bulletin has 1, 2 or 3 columns, not '%s'", v->str);
      else
        bs->columns = (int)d;
    }
    if ((v = vb_value_get(b, "gutter"))) bs->gutter = len_pt(p, v, "mm", bs->gutter);
    if ((v = vb_value_get(b, "rule"))) bs->rule = len_pt(p, v, "pt", bs->rule);
    if ((v = vb_value_get(b, "article_gap"))) bs->band_gap = len_pt(p, v, "mm", bs->band_gap);
    if ((v = vb_value_get(b, "photos"))) {
      const char *s = scalar(p, v, "photos");
      if (s && !strcmp(s, "wide")) bs->photo_wide = true;
      else if (s && strcmp(s, "column"))
        err(p, v->span, "'%s' is not a photo width (expected column or wide)", s);
    }
    if ((v = vb_value_get(b, "photo_max_height"))) {
      vb_len len = {0, false, false};
      if (parse_len(p, v, "%", &len, true) == 0) {
        if (!len.pct || len.v < 10 || len.v > 100)
          err(p, v->span, "'photo_max_height' is a percentage of the column height (10%% to 100%%)");
        else
          bs->photo_max = len.v / 100;
      }
    }
    if ((v = vb_value_get(b, "max_pages")) && parse_num(p, v, &d) == 0) {
      if (d < 1 || d > 64)
        err(p, v->span, "'max_pages' must be between 1 and 64 (Luật Báo chí 2016, Điều 34)");
      else
        bs->max_pages = (int)d;
    }
  }
  if (l->frame_w < bs->columns * 30 * MM)
    err(p, bs->span, "%d columns need a frame at least %d mm wide", bs->columns,
        bs->columns * 30);
  static const char *const names[] = {"headline", "lead", "body", "list", "byline", "caption",
                                      "jump", "footer", "contents_title", "contents_entry",
                                      "licence", NULL};
  const vb_style **slots[] = {&bs->headline, &bs->lead, &bs->body, &bs->list, &bs->byline,
                              &bs->caption, &bs->jump, &bs->footer, &bs->contents_title,
                              &bs->contents_entry, &bs->licence};
  for (size_t i = 0; names[i]; i++) {
    *slots[i] = g_hash_table_lookup(p->styles, names[i]);
    if (!*slots[i])
      err(p, vb_span_make(p->root->span.src, 0, 0),
          "a bulletin layout needs a style '%s' (its flow uses headline, lead, body, list, "
          "byline, caption, jump, footer, contents_title, contents_entry and licence)",
          names[i]);
  }
}

/* options: {NAME: true | false | text}: switches and texts a copy of the layout
 * sets for its paper or blank, read as fields layout.NAME (`if: layout.NAME`). */
static void parse_options(parser *p, const vb_value *v) {
  if (!v) return;
  if (v->kind != VB_VALUE_MAP) {
    err(p, v->span, "'options' must be a map of name: true, false or a text");
    return;
  }
  vb_layout *l = p->l;
  l->option_names = vb_arena_alloc(l->arena, sizeof(char *) * (v->count + 1));
  l->option_values = vb_arena_alloc(l->arena, sizeof(vb_value) * (v->count + 1));
  size_t i = 0;
  for (const vb_value *c = v->first; c; c = c->next) {
    const char *s = scalar(p, c, "an option");
    if (!s) continue;
    bool b;
    const char *val = s;
    if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "yes") || !strcmp(s, "no"))
      val = parse_bool(p, c, &b) == 0 && b ? "1" : "";
    vb_value *o = &l->option_values[i];
    memset(o, 0, sizeof *o);
    o->kind = VB_VALUE_STRING;
    o->str = vb_arena_strdup(l->arena, val);
    o->len = strlen(val);
    o->span = c->span;
    l->option_names[i++] = vb_arena_strdup(l->arena, c->key);
  }
  l->noptions = i;
}

/* forms: {FORM: {PART: [blocks], ...} | null, ...}: the wording of each award form
 * the layout prints, which `form: PART` blocks of the body take from the record's form. */
static void parse_form_parts(parser *p, const vb_value *v) {
  if (!v || v->kind != VB_VALUE_MAP) return;
  vb_layout *l = p->l;
  size_t n = 0;
  for (const vb_value *c = v->first; c; c = c->next)
    if (c->kind == VB_VALUE_MAP) n += c->count;
  l->form_parts = vb_arena_alloc(l->arena, sizeof(vb_form_part) * (n + 1));
  size_t i = 0;
  for (const vb_value *c = v->first; c; c = c->next) {
    if (c->kind == VB_VALUE_NULL) continue;
    if (c->kind != VB_VALUE_MAP) {
      err(p, c->span, "the wording of form '%s' must be a map of parts {heading: [blocks], ...}",
          c->key);
      continue;
    }
    char *f = g_utf8_strdown(c->key, -1);
    g_strstrip(f);
    for (const vb_value *pt = c->first; pt; pt = pt->next) {
      char what[160];
      snprintf(what, sizeof what, "part '%s' of form '%s'", pt->key, c->key);
      vb_form_part *fp = &l->form_parts[i++];
      fp->form = vb_arena_strdup(l->arena, f);
      fp->part = vb_arena_strdup(l->arena, pt->key);
      fp->blocks = parse_blocks(p, pt, what);
    }
    g_free(f);
  }
  l->nform_parts = i;
}

/* The folders where named ornaments are looked for, in order: art/ beside the
 * layout, then art/ in each layout folder. Caller frees with g_strfreev. */
static char **art_dirs(parser *p) {
  GPtrArray *a = g_ptr_array_new();
  char *dir = g_path_get_dirname(p->l->path);
  g_ptr_array_add(a, g_build_filename(dir, "art", NULL));
  g_free(dir);
  for (size_t i = 0; p->dirs && p->dirs[i]; i++)
    g_ptr_array_add(a, g_build_filename(p->dirs[i], "art", NULL));
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

/* The file of a named ornament (art/NAME.yaml), or NULL; then `names` (if not
 * NULL) gets the ornaments there are, for "did you mean". */
static char *art_file(parser *p, const char *name, GPtrArray *names) {
  char **dirs = art_dirs(p);
  char *out = NULL;
  for (size_t i = 0; dirs[i] && !out; i++) {
    char *base = g_strconcat(name, ".yaml", NULL);
    char *file = g_build_filename(dirs[i], base, NULL);
    g_free(base);
    if (g_file_test(file, G_FILE_TEST_IS_REGULAR)) out = vb_xstrdup(file);
    g_free(file);
  }
  for (size_t i = 0; dirs[i] && !out && names; i++) {
    GDir *d = g_dir_open(dirs[i], 0, NULL);
    const char *e;
    while (d && (e = g_dir_read_name(d)))
      if (g_str_has_suffix(e, ".yaml") && names->len < 64)
        g_ptr_array_add(names, g_strndup(e, strlen(e) - 5));
    if (d) g_dir_close(d);
  }
  g_strfreev(dirs);
  return out;
}

/* `use: NAME` in `art`: the blocks of layouts/art/NAME.yaml (a file with `art:`,
 * and optionally `page: [w, h]` in mm, the page it is drawn for), so that an
 * ornament is kept once for every layout that shows it. */
static vb_tnode *parse_use(parser *p, const vb_value *b, const vb_value *uv) {
  static const char *const keys[] = {"use", NULL};
  check_keys(p, b, keys, "a named ornament");
  const char *name = scalar(p, uv, "an ornament name");
  if (!name) return NULL;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_') {
      err(p, uv->span, "'%s' is not an ornament name (letters, digits, '-' and '_': the file "
                       "art/NAME.yaml)", name);
      return NULL;
    }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  char *file = art_file(p, name, names);
  if (!file) {
    g_ptr_array_add(names, NULL);
    const char *sug = vb_closest(name, (const char *const *)names->pdata);
    if (sug)
      err(p, uv->span, "no ornament '%s' (did you mean '%s'?)", name, sug);
    else
      err(p, uv->span,
          "no ornament '%s' (a file art/%s.yaml beside the layout or in a layout folder)", name,
          name);
    g_ptr_array_free(names, TRUE);
    return NULL;
  }
  g_ptr_array_free(names, TRUE);
  uint32_t src = vb_input_load_file(p->sources, file, VB_ENC_UTF8, p->diag);
  free(file);
  vb_tree *t = src ? vb_yaml_parse(p->sources, src, p->diag) : NULL;
  if (!t) {
    p->errors++;
    return NULL;
  }
  vb_tnode *n = NULL;
  const vb_value *root = vb_tree_root(t);
  if (!root || root->kind != VB_VALUE_MAP || !vb_value_get(root, "art")) {
    err(p, root ? root->span : vb_span_make(src, 0, 0),
        "an ornament file must be a map with 'art: [blocks]'");
  } else {
    static const char *const fkeys[] = {"art", "page", "description", NULL};
    check_keys(p, root, fkeys, "an ornament file");
    const vb_value *pg = vb_value_get(root, "page");
    if (pg) {
      double w = 0, h = 0;
      if (pg->kind == VB_VALUE_SEQ && pg->count == 2 && parse_num(p, pg->first, &w) == 0 &&
          parse_num(p, pg->first->next, &h) == 0) {
        if (fabs(w * MM - p->l->page_w) > 0.5 || fabs(h * MM - p->l->page_h) > 0.5) {
          err(p, uv->span, "ornament '%s' is drawn for a %g x %g mm page; this layout's page is "
                           "%.0f x %.0f mm",
              name, w, h, p->l->page_w / MM, p->l->page_h / MM);
          vb_diag_note(p->diag, pg->span, "its page size");
        }
      } else
        err(p, pg->span, "'page' must be [width, height] in millimetres");
    }
    p->in_ornament++;
    n = parse_blocks(p, vb_value_get(root, "art"), "'art'");
    p->in_ornament--;
  }
  vb_tree_free(t);
  return n;
}

/* The `art` list: blocks, and named ornaments (`use: NAME`). */
static vb_tnode *parse_art(parser *p, const vb_value *list) {
  if (!list || list->kind == VB_VALUE_NULL) return NULL;
  if (list->kind != VB_VALUE_SEQ) {
    err(p, list->span, "the blocks of 'art' must be a list");
    return NULL;
  }
  vb_tnode *first = NULL, **tail = &first;
  for (const vb_value *b = list->first; b; b = b->next) {
    const vb_value *uv = b->kind == VB_VALUE_MAP ? vb_value_get(b, "use") : NULL;
    vb_tnode *n = uv ? parse_use(p, b, uv) : parse_block(p, b);
    if (!n) continue;
    *tail = n;
    while (n->next) n = n->next;
    tail = &n->next;
  }
  return first;
}

vb_layout *vb_layout_load(vb_sources *sources, const char *path, vb_typesetter *ts,
                          vb_diag *d) {
  return vb_layout_load_dirs(sources, path, NULL, ts, d);
}

vb_layout *vb_layout_load_dirs(vb_sources *sources, const char *path,
                               const char *const *dirs, vb_typesetter *ts, vb_diag *d) {
  uint32_t src = vb_input_load_file(sources, path, VB_ENC_UTF8, d);
  if (!src) return NULL;
  vb_tree *t = vb_yaml_parse(sources, src, d);
  if (!t) return NULL;
  vb_layout *l = vb_xcalloc(1, sizeof *l);
  l->arena = vb_arena_new();
  parser p = {l, sources, d, ts, vb_tree_root(t), g_hash_table_new(g_str_hash, g_str_equal),
              g_hash_table_new(g_str_hash, g_str_equal), g_ptr_array_new(), 0, dirs, 0, 0,
              g_ptr_array_new()};
  l->path = vb_arena_strdup(l->arena, path);
  l->limits = *vb_sources_limits(sources);
  const vb_value *root = p.root;
  if (!root || root->kind != VB_VALUE_MAP) {
    err(&p, root ? root->span : vb_span_make(src, 0, 0),
        "a layout must be a map with 'layout', 'page', 'styles' and 'body'");
  } else {
    static const char *const keys[] = {"layout", "description", "document", "forms", "page",
                                       "frame", "next_frame", "fonts", "styles", "art", "body",
                                       "bulletin",
                                       "page_numbers", "conformance", "options", NULL};
    check_keys(&p, root, keys, "a layout");
    const vb_value *v = vb_value_get(root, "layout");
    l->name = dup(&p, v ? scalar(&p, v, "layout") : NULL);
    if (!l->name) {
      char *base = g_path_get_basename(path);
      char *dot = strrchr(base, '.');
      if (dot) *dot = 0;
      l->name = vb_arena_strdup(l->arena, base);
      g_free(base);
    }
    v = vb_value_get(root, "description");
    l->description = dup(&p, v ? scalar(&p, v, "description") : "");
    v = vb_value_get(root, "document");
    l->document = dup(&p, v ? scalar(&p, v, "document") : "certificate");
    if (v && l->document && strcmp(l->document, "certificate") &&
        strcmp(l->document, "minutes") && strcmp(l->document, "bulletin"))
      err(&p, v->span, "'%s' is not a document kind (expected certificate, minutes or bulletin)",
          l->document);
    v = vb_value_get(root, "forms");
    size_t nf = v && (v->kind == VB_VALUE_SEQ || v->kind == VB_VALUE_MAP) ? v->count : 2;
    l->forms = vb_arena_alloc(l->arena, sizeof(char *) * (nf + 1));
    if (v && (v->kind == VB_VALUE_SEQ || v->kind == VB_VALUE_MAP)) {
      size_t i = 0;
      for (const vb_value *c = v->first; c; c = c->next) {
        const char *s = v->kind == VB_VALUE_MAP ? c->key : scalar(&p, c, "a form");
        if (!s) continue;
        char *f = g_utf8_strdown(s, -1);
        g_strstrip(f);
        if (strcmp(f, "giấy khen") && strcmp(f, "tuyên dương") && strcmp(f, "huy hiệu"))
          err(&p, v->kind == VB_VALUE_MAP ? c->key_span : c->span,
              "'%s' is not an award form (expected giấy khen, tuyên dương or huy hiệu)", s);
        l->forms[i++] = vb_arena_strdup(l->arena, f);
        g_free(f);
      }
    } else {
      if (v)
        err(&p, v->span,
            "'forms' must be a map such as {giấy khen: {heading: [...]}, tuyên dương: "
            "{heading: [...]}} or a list such as [giấy khen]");
      l->forms[0] = "giấy khen";
      l->forms[1] = "tuyên dương";
    }
    parse_page(&p, vb_value_get(root, "page"));
    parse_frame(&p, vb_value_get(root, "frame"));
    parse_next_frame(&p, vb_value_get(root, "next_frame"));
    parse_fonts(&p, vb_value_get(root, "fonts"));
    parse_styles(&p, vb_value_get(root, "styles"));
    if (l->document && !strcmp(l->document, "bulletin"))
      parse_bulletin(&p, vb_value_get(root, "bulletin"), vb_value_get(root, "page"));
    else if (vb_value_get(root, "bulletin"))
      err(&p, vb_value_get(root, "bulletin")->key_span,
          "'bulletin' belongs to a layout with 'document: bulletin'");
    parse_options(&p, vb_value_get(root, "options"));
    parse_form_parts(&p, vb_value_get(root, "forms"));
    l->art = parse_art(&p, vb_value_get(root, "art"));
    check_static(&p, l->art);
    l->body = parse_blocks(&p, vb_value_get(root, "body"), "'body'");
    parse_page_numbers(&p, vb_value_get(root, "page_numbers"));
    v = vb_value_get(root, "conformance");
    l->conformance = dup(&p, v ? scalar(&p, v, "conformance") : NULL);
    warn_margins(&p, vb_value_get(root, "page"));
    if (!vb_value_get(root, "body")) err(&p, vb_span_make(src, 0, 0), "the layout has no 'body'");
  }
  g_hash_table_destroy(p.fonts);
  g_hash_table_destroy(p.styles);
  g_ptr_array_free(p.locals, TRUE);
  g_ptr_array_free(p.boxes, TRUE);
  vb_tree_free(t);
  if (p.errors) {
    vb_layout_free(l);
    return NULL;
  }
  return l;
}

void vb_layout_free(vb_layout *l) {
  if (!l) return;
  vb_arena_free(l->arena);
  free(l);
}

const char *vb_layout_name(const vb_layout *l) { return l->name; }
const char *vb_layout_description(const vb_layout *l) { return l->description; }
const char *vb_layout_document(const vb_layout *l) { return l->document; }
const char *const *vb_layout_forms(const vb_layout *l) { return l->forms; }
const char *vb_layout_conformance(const vb_layout *l) {
  if (l->conformance) return l->conformance;
  if (!strcmp(l->document, "bulletin")) return "bulletin";
  return !strcmp(l->document, "certificate") ? "certificate" : NULL;
}

char *vb_layout_resolve(const char *name, const char *const *dirs) {
  if (strchr(name, '/') || g_str_has_suffix(name, ".yaml") || g_str_has_suffix(name, ".yml"))
    return g_file_test(name, G_FILE_TEST_IS_REGULAR) ? vb_xstrdup(name) : NULL;
  for (; dirs && *dirs; dirs++) {
    char *f = g_strdup_printf("%s/%s.yaml", *dirs, name);
    /* the first folder that has the name wins, even with something that is not a
     * regular file (a FIFO, a folder): loading it refuses it with a message, rather
     * than a later folder's layout being used in silence */
    if (g_file_test(f, G_FILE_TEST_EXISTS)) {
      char *out = vb_xstrdup(f);
      g_free(f);
      return out;
    }
    g_free(f);
  }
  return NULL;
}
