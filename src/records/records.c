/* records.c - vanban records stage: validates record files against the field
 * contract of DESIGN.md ("Records") and builds one scope per document to render.
 * Errors are reported with the span of the offending key or value. */
#include "records.h"

#include <assert.h>
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- schema */
typedef enum {
  F_TEXT,     /* scalar text */
  F_DATE,     /* vb_date_parse */
  F_INT,      /* whole number */
  F_KIND,     /* organization kind */
  F_GENDER,   /* nam | nữ (male/female, m/f) */
  F_FORM,     /* award form */
  F_MAP,      /* map with sub-schema */
  F_LIST,     /* list of maps with sub-schema */
  F_TEXTS,    /* text or list of texts */
  F_PERSONS   /* list of persons, or one text */
} field_type;

typedef struct field_def field_def;
struct field_def {
  const char *name;
  field_type type;
  bool required;
  const field_def *sub; /* F_MAP / F_LIST / F_PERSONS */
  const char *what;     /* what the map is called in messages */
};

#define END {NULL, F_TEXT, false, NULL, NULL}

static const field_def person_fields[] = {
    {"name", F_TEXT, true, NULL, NULL},      {"position", F_TEXT, false, NULL, NULL},
    {"authority", F_TEXT, false, NULL, NULL}, {"gender", F_GENDER, false, NULL, NULL},
    {"unit", F_TEXT, false, NULL, NULL},     END};
static const field_def licence_fields[] = {{"number", F_TEXT, true, NULL, NULL},
                                           {"date", F_DATE, false, NULL, NULL},
                                           {"issuer", F_TEXT, false, NULL, NULL},
                                           END};
static const field_def bulletin_fields[] = {
    {"name", F_TEXT, true, NULL, NULL},
    {"publisher", F_TEXT, false, NULL, NULL},
    {"licence", F_MAP, false, licence_fields, "licence"},
    {"printer", F_TEXT, false, NULL, NULL},
    {"print_run", F_TEXT, false, NULL, NULL},
    {"frequency", F_TEXT, false, NULL, NULL},
    {"responsible", F_TEXT, false, NULL, NULL},
    {"first_issue", F_TEXT, false, NULL, NULL}, /* YYYY-MM of issue number 1 */
    {"byline", F_TEXT, false, NULL, NULL},      /* byline of composed articles */
    END};
static const field_def org_fields[] = {
    {"name", F_TEXT, true, NULL, NULL},
    {"kind", F_KIND, true, NULL, NULL},
    {"symbol", F_TEXT, false, NULL, NULL},
    {"superior", F_TEXT, false, NULL, NULL},
    {"place", F_TEXT, true, NULL, NULL},
    {"signer", F_MAP, false, person_fields, "signer"},
    {"award_authority", F_TEXT, false, NULL, NULL},
    {"bulletin", F_MAP, false, bulletin_fields, "bulletin"},
    {"emblem", F_TEXT, false, NULL, NULL},
    {"address", F_TEXT, false, NULL, NULL},
    {"phone", F_TEXT, false, NULL, NULL},
    {"email", F_TEXT, false, NULL, NULL},
    {"website", F_TEXT, false, NULL, NULL},
    END};
static const field_def decision_fields[] = {{"number", F_TEXT, false, NULL, NULL},
                                            {"date", F_DATE, false, NULL, NULL},
                                            END};
static const field_def recipient_fields[] = {
    {"name", F_TEXT, false, NULL, NULL},     {"collective", F_TEXT, false, NULL, NULL},
    {"gender", F_GENDER, false, NULL, NULL}, {"position", F_TEXT, false, NULL, NULL},
    {"unit", F_TEXT, false, NULL, NULL},     {"book_no", F_TEXT, false, NULL, NULL},
    {"reason", F_TEXT, false, NULL, NULL},
    {"decision", F_MAP, false, decision_fields, "decision"},
    END};
static const field_def award_fields[] = {
    {"form", F_FORM, false, NULL, NULL},
    {"title", F_TEXT, false, NULL, NULL},
    {"reason", F_TEXT, false, NULL, NULL},
    {"decision", F_MAP, false, decision_fields, "decision"},
    {"date", F_DATE, false, NULL, NULL},
    {"signer", F_MAP, false, person_fields, "signer"},
    {"recipients", F_LIST, false, recipient_fields, "recipient"},
    {"recipients_csv", F_TEXT, false, NULL, NULL},
    END};
static const field_def proceeding_fields[] = {
    {"speaker", F_TEXT, false, NULL, NULL}, {"role", F_TEXT, false, NULL, NULL},
    {"kind", F_TEXT, false, NULL, NULL},    {"text", F_TEXT, true, NULL, NULL}, END};
static const field_def reference_fields[] = {
    {"number", F_TEXT, false, NULL, NULL}, {"kind", F_TEXT, false, NULL, NULL},
    {"date", F_DATE, false, NULL, NULL},   {"issuer", F_TEXT, false, NULL, NULL},
    {"title", F_TEXT, false, NULL, NULL},  END};
static const field_def attendance_fields[] = {{"present", F_INT, false, NULL, NULL},
                                              {"expected", F_INT, false, NULL, NULL},
                                              END};
static const field_def photo_fields[] = {
    {"file", F_TEXT, true, NULL, NULL}, {"caption", F_TEXT, false, NULL, NULL},
    {"wide", F_TEXT, false, NULL, NULL}, END};
static const field_def article_fields[] = {
    {"headline", F_TEXT, true, NULL, NULL}, {"lead", F_TEXT, false, NULL, NULL},
    {"body", F_TEXT, false, NULL, NULL},    {"author", F_TEXT, false, NULL, NULL}, END};
static const field_def event_fields[] = {
    {"id", F_TEXT, true, NULL, NULL},
    {"kind", F_TEXT, false, NULL, NULL},
    {"title", F_TEXT, true, NULL, NULL},
    {"starts", F_DATE, true, NULL, NULL},
    {"ends", F_DATE, false, NULL, NULL},
    {"venue", F_TEXT, false, NULL, NULL},
    {"number", F_INT, false, NULL, NULL},
    {"chair", F_MAP, false, person_fields, "chair"},
    {"secretary", F_MAP, false, person_fields, "secretary"},
    {"guests", F_PERSONS, false, person_fields, "guest"},
    {"participants", F_TEXTS, false, NULL, NULL},
    {"absent", F_TEXTS, false, NULL, NULL},
    {"proceedings", F_LIST, false, proceeding_fields, "proceeding"},
    {"conclusions", F_TEXTS, false, NULL, NULL},
    {"references", F_LIST, false, reference_fields, "reference"},
    {"awards", F_LIST, false, award_fields, "award"},
    {"photos", F_LIST, false, photo_fields, "photo"},
    {"article", F_MAP, false, article_fields, "article"},
    {"attendance", F_MAP, false, attendance_fields, "attendance"},
    {"distribution", F_TEXTS, false, NULL, NULL},
    END};

static const char *const default_forms[] = {"giấy khen", "tuyên dương", NULL};

/* ---- records object */
/* Documents still to be built: scopes are made one at a time, when asked for, so
 * a batch of 100,000 recipients keeps one scope's values in memory. One entry
 * stands for a run of documents: every row of a CSV list or item of a lazy list
 * of one award (the memory of a list of a million does not grow with it), or
 * one inline recipient or event. */
typedef struct item_ref {
  const vb_value *event, *award, *rec; /* rec: NULL for a CSV row, a lazy item or an event */
  struct csv_list *csv; /* a recipient list read row by row, or NULL */
  const vb_value *lazy; /* a lazy recipients list (vb_yaml_item), or NULL */
  size_t row;           /* of csv, or item of lazy, of the first document */
  size_t first, count;  /* the documents first .. first + count - 1 */
  int inherited; /* errors above the recipient (organization, event, award) */
} item_ref;

typedef struct org_info {
  const vb_value *org;
  int errors;
  const char *kind;
  vb_value *computed; /* org.* computed values, shared by every scope */
} org_info;

struct vb_records {
  vb_sources *sources;
  vb_diag *diag;
  const vb_records_opts *opts; /* &opts_copy: the caller's may not outlive the load */
  vb_records_opts opts_copy;
  const char *path;
  vb_tree *main;    /* the YAML/JSON file (or the --org file) */
  vb_tree *own;     /* values computed once per file */
  vb_tree *scratch; /* values of the current scope */
  GPtrArray *csvs;  /* vb_csv* of recipient lists */
  GArray *items;    /* item_ref, in document order */
  size_t ndocs;     /* documents of all the items */
  size_t last_item; /* the item vb_records_get found last */
  org_info oi;
  vb_scope cur;
  size_t failed;    /* at load time, plus scopes found bad so far */
  GHashTable *reported; /* awards whose problem was reported (once for all recipients) */
  char *dir;        /* folder of the records file, for relative paths */
  GHashTable *misdecoded; /* field names already warned about (once per file each) */
};

static const char *type_name(const vb_value *v) {
  switch (v->kind) {
  case VB_VALUE_NULL: return "nothing";
  case VB_VALUE_STRING: {
    /* "recipients: 5": say a number, not text */
    if (!v->quoted && v->str && *v->str) {
      char *end = NULL;
      errno = 0;
      (void)strtod(v->str, &end);
      if (end && *end == '\0' && !g_ascii_isspace(v->str[0])) return "a number";
    }
    return "text";
  }
  case VB_VALUE_MAP: return "a map";
  case VB_VALUE_SEQ: return "a list";
  }
  return "?";
}

static const char *const *names_of(const field_def *defs, const char **buf, size_t cap) {
  size_t n = 0;
  for (; defs[n].name && n + 1 < cap; n++) buf[n] = defs[n].name;
  buf[n] = NULL;
  return buf;
}

/* Whether text holds a letter of any script (a name is not "1" or "--"). */
static bool has_letter(const char *s) {
  for (const char *q = s; *q; q = g_utf8_next_char(q))
    if (g_unichar_isalpha(g_utf8_get_char(q))) return true;
  return false;
}

static bool is_empty_text(const vb_value *v) {
  if (!v || v->kind == VB_VALUE_NULL) return true;
  if (v->kind != VB_VALUE_STRING) return false;
  for (const char *p = v->str; *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
  return true;
}

/* Lower-cased copy for comparisons (caller frees with g_free). */
static char *fold(const char *s) { return g_utf8_strdown(s, -1); }

static int check_gender_quiet(const char *text, const char **norm) {
  char *f = fold(text);
  g_strstrip(f);
  int rc = 0;
  if (!strcmp(f, "nam") || !strcmp(f, "male") || !strcmp(f, "m"))
    *norm = "nam";
  else if (!strcmp(f, "nữ") || !strcmp(f, "nu") || !strcmp(f, "female") || !strcmp(f, "f"))
    *norm = "nữ";
  else
    rc = -1;
  g_free(f);
  return rc;
}

static int check_gender(vb_records *r, const vb_value *v, const char **norm) {
  if (check_gender_quiet(v->str, norm) == 0) return 0;
  vb_diag_error(r->diag, v->span, "'%s' is not a gender (expected nam or nữ; male/female and m/f also work)", v->str);
  return -1;
}

static int check_form(vb_records *r, const vb_value *v) {
  char *f = fold(v->str);
  g_strstrip(f);
  bool ok = !strcmp(f, "giấy khen") || !strcmp(f, "tuyên dương") || !strcmp(f, "huy hiệu");
  g_free(f);
  if (!ok)
    vb_diag_error(r->diag, v->span,
                  "'%s' is not an award form (expected giấy khen, tuyên dương or huy hiệu)",
                  v->str);
  return ok ? 0 : -1;
}

static int validate_map(vb_records *r, const vb_value *map, const field_def *defs,
                        const char *what, bool deep_lists);

/* A UTF-8 value that is legacy or UTF-8 bytes shown as Windows-1252 characters
 * (pasted from an old document, or converted twice): a warning naming the field
 * and what it should say, once per field name and file. */
static void warn_misdecoded(vb_records *r, const vb_value *v, const char *field) {
  if (v->kind != VB_VALUE_STRING || !v->str) return;
  char *fixed = NULL;
  vb_misdecode k = vb_text_misdecoded(v->str, v->len, &fixed);
  if (k == VB_MISDECODE_NONE) return;
  if (!r->misdecoded) r->misdecoded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains(r->misdecoded, field)) {
    free(fixed);
    return;
  }
  g_hash_table_add(r->misdecoded, g_strdup(field));
  char *was = g_utf8_strlen(v->str, -1) > 40 ? g_strconcat(g_utf8_substring(v->str, 0, 40), "…", NULL)
                                             : g_strdup(v->str);
  char *is = g_utf8_strlen(fixed, -1) > 40 ? g_strconcat(g_utf8_substring(fixed, 0, 40), "…", NULL)
                                           : g_strdup(fixed);
  switch (k) {
  case VB_MISDECODE_UTF8_TWICE:
    vb_diag_warn(r->diag, v->span,
                 "field '%s' looks like UTF-8 read as Windows-1252 and saved again ('%s' "
                 "should be '%s'): use the original UTF-8 file (--encoding utf-8)",
                 field, was, is);
    break;
  default: {
    const char *title = k == VB_MISDECODE_TCVN3 ? "TCVN3" : k == VB_MISDECODE_VNI ? "VNI-Windows"
                                                                                 : "Windows-1258";
    const char *name = k == VB_MISDECODE_TCVN3 ? "tcvn3" : k == VB_MISDECODE_VNI ? "vni" : "cp1258";
    vb_diag_warn(r->diag, v->span,
                 "field '%s' looks like %s text shown as Windows-1252 ('%s' should be '%s'): "
                 "read the original %s file with --encoding %s",
                 field, title, was, is, title, name);
  }
  }
  g_free(was);
  g_free(is);
  free(fixed);
}

/* The first control character of a text value (C0 but tab and line breaks, DEL,
 * C1) as its code point, or 0. A terminal escape in a name would reach the PDF
 * and every message that quotes it. */
static uint32_t control_char(const char *s, size_t len) {
  const char *p = s, *end = s + len;
  while (p < end) {
    uint32_t c = vb_utf8_next(&p, end);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f ||
        (c >= 0x80 && c < 0xa0))
      return c;
  }
  return 0;
}

static int check_control(vb_records *r, const vb_value *v, const char *field) {
  if (v->kind != VB_VALUE_STRING || !v->str) return 0;
  uint32_t c = control_char(v->str, v->len);
  if (!c) return 0;
  vb_diag_error(r->diag, v->span,
                "field '%s' holds the control character U+%04X: text may hold only "
                "printable characters, tabs and line breaks",
                field, (unsigned)c);
  return 1;
}

/* check_control on every text in v, each named by its nearest key. */
static int scan_controls(vb_records *r, const vb_value *v, const char *field) {
  if (v->kind == VB_VALUE_STRING) return check_control(r, v, field);
  int errs = 0;
  for (const vb_value *c = v->first; c; c = c->next)
    errs += scan_controls(r, c, c->key ? c->key : field);
  return errs;
}

/* Validates one field value against its definition; returns the error count. */
static int validate_field(vb_records *r, const vb_value *v, const field_def *def,
                          bool deep_lists) {
  if (v->kind == VB_VALUE_NULL) {
    if (def->required) {
      vb_diag_error(r->diag, v->key_span.src ? v->key_span : v->span,
                    "field '%s' is empty", def->name);
      return 1;
    }
    return 0;
  }
  switch (def->type) {
  case F_TEXT:
  case F_DATE:
  case F_INT:
  case F_KIND:
  case F_GENDER:
  case F_FORM: {
    if (v->kind != VB_VALUE_STRING) {
      vb_diag_error(r->diag, v->span, "field '%s' must be text, found %s", def->name,
                    type_name(v));
      return 1;
    }
    if (def->required && is_empty_text(v)) {
      vb_diag_error(r->diag, v->span, "field '%s' is empty", def->name);
      return 1;
    }
    if (check_control(r, v, def->name)) return 1;
    if (is_empty_text(v)) return 0;
    if (def->type == F_TEXT) warn_misdecoded(r, v, def->name);
    vb_date dt;
    unsigned long n;
    const char *norm;
    if (def->type == F_DATE && vb_date_parse(v->str, &dt) != 0) {
      vb_diag_error(r->diag, v->span,
                    "'%s' is not a date (expected YYYY-MM-DD, YYYY-MM-DDThh:mm+07:00 or "
                    "DD/MM/YYYY)",
                    v->str);
      return 1;
    }
    if (def->type == F_DATE && (dt.year < 1900 || dt.year > 2199)) {
      vb_diag_error(r->diag, v->span,
                    "'%s' is not a date a record can have: the year %04d is outside 1900 to "
                    "2199",
                    v->str, dt.year);
      return 1;
    }
    if (def->type == F_INT && vb_parse_uint(v->str, &n) != 0) {
      vb_diag_error(r->diag, v->span, "field '%s' must be a whole number, found '%s'",
                    def->name, v->str);
      return 1;
    }
    if (def->type == F_KIND && strcmp(v->str, "party") && strcmp(v->str, "state") &&
        strcmp(v->str, "front") && strcmp(v->str, "union")) {
      vb_diag_error(r->diag, v->span,
                    "'%s' is not an organization kind (expected party, state, front or union)",
                    v->str);
      return 1;
    }
    if (def->type == F_GENDER && check_gender(r, v, &norm) != 0) return 1;
    if (def->type == F_FORM && check_form(r, v) != 0) return 1;
    return 0;
  }
  case F_MAP:
    if (v->kind != VB_VALUE_MAP) {
      vb_diag_error(r->diag, v->span, "field '%s' must be a map of fields, found %s",
                    def->name, type_name(v));
      return 1;
    }
    return validate_map(r, v, def->sub, def->what, deep_lists);
  case F_LIST:
    if (v->kind != VB_VALUE_SEQ) {
      vb_diag_error(r->diag, v->span, "field '%s' must be a list, found %s", def->name,
                    type_name(v));
      return 1;
    }
    if (!deep_lists) return 0;
    {
      int errs = 0;
      for (const vb_value *c = v->first; c; c = c->next) {
        /* a recipient may be a plain name ("- Nguyễn Văn A") */
        if (def->sub == recipient_fields && c->kind == VB_VALUE_STRING && !is_empty_text(c))
          continue;
        if (c->kind != VB_VALUE_MAP) {
          vb_diag_error(r->diag, c->span, "each %s must be a map of fields, found %s",
                        def->what, type_name(c));
          errs++;
        } else
          errs += validate_map(r, c, def->sub, def->what, deep_lists);
      }
      return errs;
    }
  case F_TEXTS:
    if (v->kind == VB_VALUE_STRING) {
      if (check_control(r, v, def->name)) return 1;
      warn_misdecoded(r, v, def->name);
      return 0;
    }
    if (v->kind != VB_VALUE_SEQ) {
      vb_diag_error(r->diag, v->span, "field '%s' must be text or a list of texts, found %s",
                    def->name, type_name(v));
      return 1;
    }
    for (const vb_value *c = v->first; c; c = c->next)
      if (c->kind != VB_VALUE_STRING) {
        vb_diag_error(r->diag, c->span, "each item of '%s' must be text, found %s", def->name,
                      type_name(c));
        return 1;
      } else if (check_control(r, c, def->name))
        return 1;
    return 0;
  case F_PERSONS:
    if (v->kind == VB_VALUE_STRING) return check_control(r, v, def->name);
    if (v->kind != VB_VALUE_SEQ) {
      vb_diag_error(r->diag, v->span, "field '%s' must be a list, found %s", def->name,
                    type_name(v));
      return 1;
    }
    {
      int errs = 0;
      for (const vb_value *c = v->first; c; c = c->next) {
        if (c->kind == VB_VALUE_STRING) {
          errs += check_control(r, c, def->name);
          continue;
        }
        if (c->kind != VB_VALUE_MAP) {
          vb_diag_error(r->diag, c->span, "each %s must be a map or text, found %s",
                        def->what, type_name(c));
          errs++;
        } else
          errs += validate_map(r, c, def->sub, def->what, true);
      }
      return errs;
    }
  }
  return 0;
}

/* Whether key `c` of `map` is text after a comma in a flow mapping written
 * `{name: A, position: B, C}`: the "C" that was meant as part of B's value. */
static bool after_flow_comma(const vb_records *r, const vb_value *map, const vb_value *c) {
  if (c->kind != VB_VALUE_NULL || !vb_span_is_set(c->key_span) ||
      c->key_span.src != map->span.src)
    return false;
  size_t len;
  const char *text = vb_sources_text(r->sources, map->span.src, &len);
  if (!text || map->span.start >= len || text[map->span.start] != '{') return false;
  uint32_t i = c->key_span.start;
  while (i > map->span.start && (text[i - 1] == ' ' || text[i - 1] == '\t' ||
                                 text[i - 1] == '\n' || text[i - 1] == '\r'))
    i--;
  return i > map->span.start && text[i - 1] == ',';
}

/* Checks keys (unknown → error with a suggestion), required fields and types.
 * When deep_lists is false, lists of maps are checked only for being lists:
 * the caller validates their items one by one (awards, recipients). */
static int validate_map(vb_records *r, const vb_value *map, const field_def *defs,
                        const char *what, bool deep_lists) {
  int errs = 0;
  for (const vb_value *c = map->first; c; c = c->next) {
    const field_def *def = NULL;
    for (const field_def *d = defs; d->name; d++)
      if (!strcmp(d->name, c->key)) def = d;
    if (!def) {
      const char *buf[32];
      const char *sug = vb_closest(c->key, names_of(defs, buf, 32));
      if (after_flow_comma(r, map, c))
        vb_diag_error(r->diag, c->key_span,
                      "unknown field '%s' in %s: the text after a comma inside {…} is read as "
                      "a new field; put the value in quotes",
                      c->key, what);
      else if (sug)
        vb_diag_error(r->diag, c->key_span, "unknown field '%s' in %s (did you mean '%s'?)",
                      c->key, what, sug);
      else
        vb_diag_error(r->diag, c->key_span, "unknown field '%s' in %s", c->key, what);
      errs++;
      continue;
    }
    errs += validate_field(r, c, def, deep_lists);
  }
  for (const field_def *d = defs; d->name; d++)
    if (d->required && !vb_value_get(map, d->name)) {
      vb_diag_error(r->diag, map->key_span.src ? map->key_span : vb_span_make(map->span.src, map->span.start, map->span.start),
                    "missing required field '%s' in %s", d->name, what);
      errs++;
    }
  return errs;
}

/* ---- scopes */
static vb_value *computed_new(vb_tree *t) {
  return vb_value_new(t, VB_VALUE_MAP, vb_span_none());
}

static void put(vb_tree *t, vb_value *computed, const char *path, const char *s,
                vb_span span) {
  vb_value *v = vb_value_new_string(t, s, strlen(s), span);
  vb_value_set(t, computed, path, vb_span_none(), v);
}

static void bind(vb_scope *s, const char *name, const vb_value *v) {
  if (!v || s->nroots >= VB_SCOPE_MAX_ROOTS) return;
  s->roots[s->nroots].name = name;
  s->roots[s->nroots].value = v;
  s->nroots++;
}

const vb_value *vb_scope_lookup(const vb_scope *s, const char *path) {
  const vb_value *v = s->computed ? vb_value_get(s->computed, path) : NULL;
  if (!v && s->shared) v = vb_value_get(s->shared, path);
  if (v) return v;
  const char *dot = strchr(path, '.');
  size_t n = dot ? (size_t)(dot - path) : strlen(path);
  for (size_t i = s->nroots; i-- > 0;) {
    if (strlen(s->roots[i].name) == n && !memcmp(s->roots[i].name, path, n))
      return dot ? vb_value_lookup(s->roots[i].value, dot + 1) : s->roots[i].value;
  }
  return NULL;
}

static const char *text_of(const vb_value *v) {
  return v && v->kind == VB_VALUE_STRING && !is_empty_text(v) ? v->str : NULL;
}

/* "Đảng ủy Phường 11" → "BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG 11";
 * "Ủy ban nhân dân phường Mai Dịch" → "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MAI DỊCH". */
static char *default_authority(const char *kind, const char *name) {
  static const char *const prefixes[] = {"đảng ủy ", "đảng uỷ ", "đảng bộ ", NULL};
  vb_strbuf sb = VB_STRBUF_INIT;
  char *lower = fold(name);
  bool chi_bo = g_str_has_prefix(lower, "chi bộ ");
  g_free(lower);
  if (!strcmp(kind, "party") && chi_bo) {
    /* a chi bộ is not a đảng bộ: it awards in its own name ("CHI BỘ KHU PHỐ 3") */
    char *up = vb_utf8_upper(name, strlen(name));
    vb_strbuf_puts(&sb, up);
    free(up);
  } else if (!strcmp(kind, "party")) {
    const char *unit = name;
    char *f = fold(name);
    for (const char *const *p = prefixes; *p; p++)
      if (g_str_has_prefix(f, *p)) {
        /* the prefix has the same byte length in name as in its folded form:
         * both are NFC and these letters fold within the same UTF-8 length */
        unit = name + strlen(*p);
        break;
      }
    g_free(f);
    char *up = vb_utf8_upper(unit, strlen(unit));
    vb_strbuf_puts(&sb, "BAN CHẤP HÀNH ĐẢNG BỘ ");
    vb_strbuf_puts(&sb, up);
    free(up);
  } else {
    char *up = vb_utf8_upper(name, strlen(name));
    vb_strbuf_puts(&sb, "CHỦ TỊCH ");
    vb_strbuf_puts(&sb, up);
    free(up);
  }
  return vb_strbuf_detach(&sb);
}

/* The awarding authority of a front or union organization, after its signer:
 * "TM. BAN THƯỜNG TRỰC" (for a body) → "BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT
 * NAM PHƯỜNG 11"; "KT. CHỦ TỊCH" (for a person) or the position "Chủ tịch" →
 * "CHỦ TỊCH ỦY BAN …". NULL when the signer says neither. */
static char *signer_authority(const char *name, const char *authority, const char *position) {
  if (!name) return NULL;
  char *uname = vb_utf8_upper(name, strlen(name));
  const char *role = NULL;
  char *ua = authority ? vb_utf8_upper(authority, strlen(authority)) : NULL;
  if (ua) {
    static const char *const pre[] = {"TM.", "T/M", "KT.", "K/T", NULL};
    for (const char *const *p = pre; *p && !role; p++)
      if (g_str_has_prefix(ua, *p)) role = ua + strlen(*p);
    while (role && *role == ' ') role++;
    if (role && !*role) role = NULL;
  }
  char *up = !role && position ? vb_utf8_upper(position, strlen(position)) : NULL;
  if (!role) role = up;
  char *out = NULL;
  if (role) {
    /* "TM. ỦY BAN MẶT TRẬN TỔ QUỐC …": the body is the organization itself */
    if (g_str_has_prefix(uname, role))
      out = vb_xstrdup(uname);
    else {
      char *g = g_strdup_printf("%s %s", role, uname);
      out = vb_xstrdup(g);
      g_free(g);
    }
  }
  free(ua);
  free(up);
  free(uname);
  return out;
}

/* The path a record's `field` (emblem, recipients_csv) names, relative to the
 * record file and inside its folder unless --allow-outside; NULL after reporting. */
static char *resolve_path(const vb_records *r, const vb_value *v, const char *field) {
  vb_strbuf why = VB_STRBUF_INIT;
  char *p = vb_path_resolve(r->dir, v->str, r->opts->allow_outside, &why);
  if (!p)
    vb_diag_error(r->diag, v->span, "%s '%s': %s", field, v->str, vb_strbuf_cstr(&why));
  vb_strbuf_free(&why);
  return p;
}

static const vb_value *map_or_null(const vb_value *v) {
  return v && v->kind == VB_VALUE_MAP ? v : NULL;
}

/* Builds the certificate scope of one recipient into r->cur (values in
 * r->scratch), reporting what is wrong with the recipient. */
static void build_certificate(vb_records *r, const vb_value *event, const vb_value *award,
                              const vb_value *rec, int inherited_errors) {
  const org_info *oi = &r->oi;
  vb_tree *t = r->scratch;
  vb_scope s;
  memset(&s, 0, sizeof s);
  int errs = inherited_errors;
  if (rec->kind != VB_VALUE_MAP) {
    vb_diag_error(r->diag, rec->span, "each recipient must be a map of fields, found %s",
                  type_name(rec));
    errs++;
  } else
    errs += validate_map(r, rec, recipient_fields, "recipient", true);

  vb_value *comp = computed_new(t);
  const char *name = text_of(vb_value_get(rec, "name"));
  const char *coll = text_of(vb_value_get(rec, "collective"));
  if (rec->kind == VB_VALUE_MAP) {
    if (!name && !coll) {
      vb_diag_error(r->diag, vb_span_make(rec->span.src, rec->span.start, rec->span.start),
                    "recipient has neither a name nor a collective");
      errs++;
    } else if (name && coll) {
      vb_diag_error(r->diag, vb_value_get(rec, "collective")->key_span,
                    "recipient has both a name and a collective (use one)");
      errs++;
    } else if (!has_letter(name ? name : coll)) {
      /* "- 1" in a list of plain names, a number in the name column */
      const vb_value *nv = vb_value_get(rec, name ? "name" : "collective");
      vb_diag_error(r->diag, nv->span, "the %s of a recipient must hold a letter, found '%s'",
                    name ? "name" : "collective", name ? name : coll);
      errs++;
    }
  }
  const vb_value *namev = vb_value_get(rec, name ? "name" : "collective");
  const char *display = name ? name : coll ? coll : "";
  put(t, comp, "recipient.display_name", display, namev ? namev->span : rec->span);
  if (coll && namev) put(t, comp, "recipient.is_collective", "1", namev->span);
  const vb_value *g = vb_value_get(rec, "gender");
  const char *gnorm = NULL;
  if (text_of(g) && check_gender_quiet(g->str, &gnorm) == 0) {
    put(t, comp, "recipient.gender", gnorm, g->span);
    if (!coll && strcmp(oi->kind, "party"))
      put(t, comp, "recipient.honorific", !strcmp(gnorm, "nam") ? "Ông" : "Bà", g->span);
  }
  /* a Party organization calls its members "Đồng chí", whatever the gender */
  if (!coll && !strcmp(oi->kind, "party") && namev)
    put(t, comp, "recipient.honorific", "Đồng chí", namev->span);
  /* "Tổ trưởng tổ dân phố 12, Khu phố 3": position and unit, as present */
  const char *pos = text_of(vb_value_get(rec, "position"));
  const char *unit = text_of(vb_value_get(rec, "unit"));
  if (pos || unit) {
    char *det = g_strdup_printf("%s%s%s", pos ? pos : "", pos && unit ? ", " : "",
                                unit ? unit : "");
    const vb_value *dv = vb_value_get(rec, pos ? "position" : "unit");
    put(t, comp, "recipient.details", det, dv->span);
    g_free(det);
  }
  /* reason: the recipient's, else the award's */
  const vb_value *reason = vb_value_get(rec, "reason");
  if (!text_of(reason)) reason = vb_value_get(award, "reason");
  if (text_of(reason)) put(t, comp, "recipient.reason", reason->str, reason->span);
  /* decision: the recipient's fields, else the award's */
  const vb_value *rd = map_or_null(vb_value_get(rec, "decision"));
  const vb_value *ad = map_or_null(vb_value_get(award, "decision"));
  const vb_value *dn = text_of(vb_value_get(rd, "number")) ? vb_value_get(rd, "number")
                                                           : vb_value_get(ad, "number");
  const vb_value *dd = text_of(vb_value_get(rd, "date")) ? vb_value_get(rd, "date")
                                                         : vb_value_get(ad, "date");
  if (text_of(dn)) put(t, comp, "decision.number", dn->str, dn->span);
  if (text_of(dd)) put(t, comp, "decision.date", dd->str, dd->span);
  /* the award form, folded ("Tuyên Dương" → "tuyên dương"); absent → giấy khen */
  const vb_value *fv = vb_value_get(award, "form");
  char *form = fold(text_of(fv) ? fv->str : "giấy khen");
  g_strstrip(form);
  put(t, comp, "award.form", form, text_of(fv) ? fv->span : vb_span_make(award->span.src, award->span.start, award->span.start));
  g_free(form);
  /* the date printed: award.date, else the decision's */
  const vb_value *date = vb_value_get(award, "date");
  if (!text_of(date)) date = dd;
  bool quiet = false; /* failed by a problem of the award, already reported once */
  if (text_of(date)) put(t, comp, "award.date", date->str, date->span);
  else if (!errs && g_hash_table_contains(r->reported, award)) {
    errs++;
    quiet = true;
  } else if (!errs) {
    /* an award problem is said once, not once for every recipient */
    vb_diag_error(r->diag, vb_span_make(award->span.src, award->span.start, award->span.start),
                  "award has no date: set 'date' or 'decision.date'");
    vb_diag_note(r->diag, vb_span_make(award->span.src, award->span.start, award->span.start),
                 "every recipient of this award without a decision date is skipped");
    g_hash_table_add(r->reported, (gpointer)award);
    errs++;
    quiet = true;
  }
  /* signer: the award's, else the organization's (checked once per award) */
  const vb_value *signer = map_or_null(vb_value_get(award, "signer"));
  if (!signer) signer = map_or_null(vb_value_get(oi->org, "signer"));

  /* a front or union organization: the authority line follows the signer */
  if (signer && (!strcmp(oi->kind, "front") || !strcmp(oi->kind, "union")) &&
      !text_of(vb_value_get(oi->org, "award_authority"))) {
    const vb_value *av = vb_value_get(signer, "authority");
    char *a = signer_authority(text_of(vb_value_get(oi->org, "name")), text_of(av),
                               text_of(vb_value_get(signer, "position")));
    if (a) {
      const vb_value *sp = text_of(av) ? av : vb_value_get(signer, "position");
      put(t, comp, "org.award_authority", a, sp ? sp->span : signer->span);
      free(a);
    }
  }

  bind(&s, "org", oi->org);
  bind(&s, "event", event);
  bind(&s, "award", award);
  bind(&s, "recipient", rec);
  bind(&s, "signer", signer);
  s.computed = comp;
  s.shared = oi->computed;
  s.span = rec->span;
  s.kind = oi->kind;
  s.id = text_of(vb_value_get(event, "id"));
  /* a label for messages: a long name is cut after 40 characters */
  glong nchars = g_utf8_strlen(display, -1);
  char *label = nchars > 40 ? g_strdup_printf("recipient '%.*s…'",
                                              (int)(g_utf8_offset_to_pointer(display, 40) - display),
                                              display)
                            : g_strdup_printf("recipient '%s'", display);
  s.label = vb_arena_strdup(vb_tree_arena(t), label);
  g_free(label);
  char *slug = vb_utf8_slug(display, strlen(display));
  s.slug = vb_arena_strdup(vb_tree_arena(t), slug);
  free(slug);
  s.failed = errs > 0;
  if (s.failed && inherited_errors == 0 && !quiet)
    vb_diag_note(r->diag, vb_span_make(rec->span.src, rec->span.start, rec->span.start),
                 "in %s, which starts here", s.label);
  r->cur = s;
}

/* ---- CSV recipient lists */
typedef struct column_def {
  const char *field; /* "name", "decision.number" */
  const char *vi;    /* Vietnamese header */
  const char *ascii; /* unaccented header */
} column_def;

static const column_def columns[] = {
    {"name", "Họ và tên", "ho_ten"},
    {"gender", "Giới tính", "gioi_tinh"},
    {"position", "Chức vụ", "chuc_vu"},
    {"unit", "Đơn vị", "don_vi"},
    {"reason", "Thành tích", "thanh_tich"},
    {"collective", "Tập thể", "tap_the"},
    {"book_no", "Số sổ vàng", "so_so_vang"},
    {"decision.number", "Số quyết định", "so_quyet_dinh"},
    {"decision.date", "Ngày quyết định", "ngay_quyet_dinh"},
    {NULL, NULL, NULL}};

static bool slug_eq(const char *a, const char *b) {
  char *sa = vb_utf8_slug(a, strlen(a)), *sb = vb_utf8_slug(b, strlen(b));
  bool eq = !strcmp(sa, sb);
  free(sa);
  free(sb);
  return eq;
}

static const column_def *column_for(const char *header) {
  for (const column_def *c = columns; c->field; c++)
    if (slug_eq(header, c->vi) || slug_eq(header, c->ascii) || slug_eq(header, c->field))
      return c;
  /* a few common spellings */
  if (slug_eq(header, "Họ tên") || slug_eq(header, "Tên")) return &columns[0];
  /* columns a spreadsheet list has that no certificate prints: no warning */
  static const column_def ignored = {"", "", ""};
  static const char *const quiet[] = {"STT", "TT", "Số TT", "Số thứ tự", "Ghi chú", NULL};
  for (const char *const *q = quiet; *q; q++)
    if (slug_eq(header, *q)) return &ignored;
  return NULL;
}

/* A recipient list read row by row, with each column's field found once. */
typedef struct csv_list {
  vb_csv *csv;
  const column_def **fields; /* per column; NULL = ignored */
} csv_list;

static void csv_list_free(gpointer p) {
  csv_list *l = p;
  vb_csv_free(l->csv);
  g_free(l->fields);
  g_free(l);
}

/* Opens a CSV recipient list and checks its header. Returns NULL when the file
 * cannot be read or parsed (reported). */
static csv_list *open_csv_recipients(vb_records *r, const char *path, vb_span from) {
  uint32_t src = vb_input_load_file_at(r->sources, path, r->opts->encoding, from, r->diag);
  if (!src) return NULL; /* reported at `from`, the field that names the list */
  vb_csv *csv = vb_csv_open(r->sources, src, r->diag);
  if (!csv) return NULL;
  csv_list *l = g_new0(csv_list, 1);
  l->csv = csv;
  size_t ncols = vb_csv_column_count(csv);
  l->fields = g_new0(const column_def *, ncols + 1);
  g_ptr_array_add(r->csvs, l);
  bool have_name = false;
  size_t unknown = 0;
  vb_span first_for[sizeof columns / sizeof columns[0]];
  memset(first_for, 0, sizeof first_for);
  int dups = 0;
  for (size_t i = 0; i < ncols; i++) {
    vb_span span;
    const char *name = vb_csv_column(csv, i, &span);
    const column_def *cd = column_for(name);
    if (cd && !*cd->field) continue; /* a row number or notes: ignored quietly */
    l->fields[i] = cd;
    if (!cd) {
      /* a few are worth a word each; a sheet of 20,000 unknown columns gets one line */
      if (unknown++ < 5)
        vb_diag_warn(r->diag, span,
                     "unknown column '%s' (ignored; expected Họ và tên, Giới tính, Chức vụ, "
                     "Đơn vị, Thành tích, Tập thể, Số sổ vàng, Số quyết định, Ngày quyết "
                     "định)",
                     name);
      continue;
    }
    size_t ci = (size_t)(cd - columns);
    if (vb_span_is_set(first_for[ci])) {
      /* "ho_ten" and "Họ và tên": which one is meant is not ours to guess */
      vb_diag_error(r->diag, span, "column '%s' is a second column for field '%s'", name,
                    cd->field);
      vb_diag_note(r->diag, first_for[ci], "the first column for '%s' is here", cd->field);
      dups++;
      continue;
    }
    first_for[ci] = span;
    if (!strcmp(cd->field, "name") || !strcmp(cd->field, "collective"))
      have_name = true;
  }
  if (unknown > 5)
    vb_diag_warn(r->diag, vb_span_make(src, 0, 0), "%zu more unknown columns (ignored)",
                 unknown - 5);
  if (dups) return NULL;
  if (ncols && !have_name) {
    vb_diag_error(r->diag, vb_span_make(src, 0, 0),
                  "the recipient list has no 'Họ và tên' (ho_ten) or 'Tập thể' (tap_the) "
                  "column");
    return NULL;
  }
  return l;
}

/* Row `i` of a list as a recipient map (fields by record name) in `t`. */
static vb_value *csv_recipient(vb_records *r, csv_list *l, size_t i, vb_tree *t) {
  vb_value *row = vb_csv_row(l->csv, i, t);
  if (!row) { /* it was read whole at load: the file changed since (or was cut short) */
    vb_diag_error(r->diag, vb_span_none(), "'%s' changed while it was read (row %zu)",
                  vb_sources_name(r->sources, vb_csv_source(l->csv)), i + 1);
    return vb_value_new(t, VB_VALUE_NULL, vb_span_none());
  }
  vb_value *rec = vb_value_new(t, VB_VALUE_MAP, row->span);
  vb_value *dec = NULL;
  size_t k = 0;
  vb_value *next;
  for (vb_value *c = row->first; c; c = next, k++) {
    next = c->next;
    const column_def *cd = l->fields[k];
    if (!cd || is_empty_text(c)) continue;
    vb_value *v = vb_value_copy(t, c);
    if (!strncmp(cd->field, "decision.", 9)) {
      if (!dec) {
        dec = vb_value_new(t, VB_VALUE_MAP, row->span);
        vb_value_set(t, rec, "decision", c->key_span, dec);
      }
      vb_value_set(t, dec, cd->field + 9, c->key_span, v);
    } else
      vb_value_set(t, rec, cd->field, c->key_span, v);
  }
  return rec;
}

/* ---- TCVN3 typed in a .VnTimeH font (--encoding tcvn3-caps[=FIELD,...]): the
 * file holds lower-case codes the font drew as capitals. Text fields of a source
 * read that way are put in capitals (all of them, or those named), walking the
 * schema so that keywords (kind, form, gender) and keys stay as they are. */
static bool caps_named(const vb_records *r, const char *field) {
  const char *list = r->opts->caps_fields;
  if (!list) return true;
  bool found = false;
  char **names = g_strsplit(list, ",", -1);
  for (char **n = names; *n && !found; n++) {
    g_strstrip(*n);
    const column_def *cd = column_for(*n);
    found = !strcmp(*n, field) || (cd && !strcmp(cd->field, field));
  }
  g_strfreev(names);
  return found;
}

static void caps_value(const vb_records *r, vb_tree *t, vb_value *v, const char *field) {
  if (v->kind != VB_VALUE_STRING || !v->str ||
      vb_input_source_encoding(r->sources, v->span.src) != VB_ENC_TCVN3_CAPS ||
      !caps_named(r, field))
    return;
  char *u = vb_utf8_upper(v->str, v->len);
  v->len = strlen(u);
  v->str = vb_arena_strndup(vb_tree_arena(t), u, v->len);
  free(u);
}

static void caps_map(const vb_records *r, vb_tree *t, vb_value *map, const field_def *defs) {
  if (!map || map->kind != VB_VALUE_MAP) return;
  for (vb_value *c = map->first; c; c = c->next) {
    const field_def *def = NULL;
    for (const field_def *d = defs; d->name && !def; d++)
      if (!strcmp(d->name, c->key)) def = d;
    if (!def) continue;
    switch (def->type) {
    case F_TEXT: caps_value(r, t, c, def->name); break;
    case F_MAP: caps_map(r, t, c, def->sub); break;
    case F_TEXTS:
    case F_PERSONS:
    case F_LIST:
      if (c->kind == VB_VALUE_STRING) caps_value(r, t, c, def->name);
      if (c->kind == VB_VALUE_SEQ)
        for (vb_value *i = c->first; i; i = i->next) { /* a lazy list has none here */
          if (i->kind == VB_VALUE_STRING) caps_value(r, t, i, def->name);
          else if (def->sub) caps_map(r, t, i, def->sub);
        }
      break;
    default: break;
    }
  }
}

static const field_def root_fields[] = {
    {"organization", F_MAP, false, org_fields, "organization"},
    {"events", F_LIST, false, event_fields, "event"},
    END};

/* ---- organization and events */
static int check_org(vb_records *r, const vb_value *root, org_info *oi) {
  memset(oi, 0, sizeof *oi);
  const vb_value *org = vb_value_get(root, "organization");
  if (!org) {
    vb_diag_error(r->diag, vb_span_make(root->span.src, root->span.start, root->span.start),
                  "missing required field 'organization'");
    return -1;
  }
  if (org->kind != VB_VALUE_MAP) {
    vb_diag_error(r->diag, org->span, "field 'organization' must be a map of fields, found %s",
                  type_name(org));
    return -1;
  }
  oi->org = org;
  oi->errors = validate_map(r, org, org_fields, "organization", true);
  oi->computed = computed_new(r->own);
  const char *kind = text_of(vb_value_get(org, "kind"));
  const char *name = text_of(vb_value_get(org, "name"));
  oi->kind = kind ? kind : "state";
  if (!text_of(vb_value_get(org, "award_authority")) && name && kind) {
    char *a = default_authority(kind, name);
    put(r->own, oi->computed, "org.award_authority", a, vb_value_get(org, "name")->span);
    free(a);
  }
  char *lname = name ? fold(name) : NULL;
  if (kind && !strcmp(kind, "party") && lname && g_str_has_prefix(lname, "chi bộ ")) {
    /* a chi bộ awarding: its certificate names the superior body (layouts: org.chi_bo) */
    const vb_value *nv = vb_value_get(org, "name");
    put(r->own, oi->computed, "org.chi_bo", "1", nv->span);
    /* "Chi bộ cơ sở …" names the one kind of chi bộ that may award: no warning */
    bool co_so = g_str_has_prefix(lname, "chi bộ cơ sở ");
    if (r->opts->doc == VB_DOC_CERTIFICATES && !co_so) {
      vb_diag_warn(r->diag, nv->span,
                   "'%s' is a chi bộ: only a chi bộ cơ sở may give a Party giấy khen (Quy định "
                   "29-QĐ/TW, point 27.2; spec §3.1), a chi bộ under a đảng ủy cơ sở may not; "
                   "check which it is (the rule in force since 24-QĐ/TW of 2021 is unconfirmed)",
                   name);
    }
    if (r->opts->doc == VB_DOC_CERTIFICATES) {
      if (!text_of(vb_value_get(org, "superior")))
        vb_diag_note(r->diag, nv->span,
                     "name its superior body with 'superior: Đảng bộ …': the certificate prints "
                     "it above the chi bộ");
    }
  }
  g_free(lname);
  const vb_value *emb = vb_value_get(org, "emblem");
  if (text_of(emb)) {
    char *p = resolve_path(r, emb, "emblem");
    const char *why = NULL;
    int fd = p ? vb_file_open_regular(p, &why) : -1; /* a FIFO would hang the layout */
    if (!p) {
      oi->errors++;
      p = vb_xstrdup(emb->str);
    } else if (fd < 0) {
      /* said once here rather than once for every recipient by the layout */
      vb_diag_error(r->diag, emb->span, "cannot open image '%s': %s", p, why);
      oi->errors++;
    } else
      close(fd);
    put(r->own, oi->computed, "org.emblem", p, emb->span);
    free(p);
  }
  return 0;
}

/* Whether an award gets certificate pages: a giấy khen or tuyên dương always
 * does (the layout says when it cannot print that form), a party badge (huy
 * hiệu) only from a layout that lists it. */
static bool form_selected(const vb_records *r, const vb_value *award) {
  const char *form = text_of(vb_value_get(award, "form"));
  if (!form) form = "giấy khen";
  const char *const *forms = r->opts->forms ? r->opts->forms : default_forms;
  char *f = fold(form);
  g_strstrip(f);
  bool ok = !strcmp(f, "giấy khen") || !strcmp(f, "tuyên dương");
  for (; *forms && !ok; forms++) ok = !strcmp(f, *forms);
  g_free(f);
  return ok;
}

static void push_item(vb_records *r, const vb_value *event, const vb_value *award,
                      const vb_value *rec, csv_list *csv, const vb_value *lazy, size_t row,
                      size_t count, int inherited) {
  item_ref it = {event, award, rec, csv, lazy, row, r->ndocs, count, inherited};
  g_array_append_val(r->items, it);
  r->ndocs += count;
}

/* Whether `more` documents still fit within the records limit (this file's
 * documents so far plus them); else reports it at `where` and counts one failed
 * record (the list is not read further). */
static bool within_records_limit(vb_records *r, size_t more, vb_span where) {
  uint64_t max = vb_sources_limits(r->sources)->records;
  if ((uint64_t)r->ndocs + more <= max) return true;
  vb_diag_error(r->diag, vb_span_make(where.src, where.start, where.start),
                "more than %llu documents in one file (the records limit; raise it with "
                "--limit records=N)",
                (unsigned long long)max);
  r->failed++;
  return false;
}

static void add_award_certificates(vb_records *r, const vb_value *event,
                                   const vb_value *award, int inherited,
                                   csv_list *extra_recipients) {
  int errs = inherited;
  if (award->kind != VB_VALUE_MAP) {
    vb_diag_error(r->diag, award->span, "each award must be a map of fields, found %s",
                  type_name(award));
    r->failed++;
    return;
  }
  errs += validate_map(r, award, award_fields, "award", false);
  /* an award of another form is left out quietly; a broken award is not: its
   * recipients are failed records */
  if (errs == inherited && !form_selected(r, award)) return;
  if (errs == inherited && !map_or_null(vb_value_get(award, "signer")) &&
      !map_or_null(vb_value_get(r->oi.org, "signer"))) {
    vb_diag_error(r->diag, vb_span_make(award->span.src, award->span.start, award->span.start),
                  "award has no signer: set 'signer' in the award or the organization");
    errs++;
  }
  const vb_value *recs = vb_value_get(award, "recipients");
  const vb_value *csv = vb_value_get(award, "recipients_csv");
  csv_list *from_csv = NULL;
  if (extra_recipients) {
    from_csv = extra_recipients;
    recs = NULL;
  } else if (text_of(csv)) {
    char *p = resolve_path(r, csv, "recipients_csv");
    from_csv = p ? open_csv_recipients(r, p, csv->span) : NULL;
    free(p);
    if (!from_csv) {
      r->failed++;
      return;
    }
  }
  if (errs && inherited == 0)
    vb_diag_note(r->diag, vb_span_make(award->span.src, award->span.start, award->span.start),
                 "every recipient of this award is skipped");
  size_t n = 0;
  size_t more = (recs && recs->kind == VB_VALUE_SEQ ? vb_value_item_count(recs) : 0) +
                (from_csv ? vb_csv_count(from_csv->csv) : 0);
  if (!within_records_limit(r, more, recs && recs->kind == VB_VALUE_SEQ ? recs->span
                                                                        : award->span))
    return;
  if (recs && recs->kind == VB_VALUE_SEQ && recs->lazy && recs->count) {
    push_item(r, event, award, NULL, NULL, recs, 0, recs->count, errs);
    n += recs->count;
  } else if (recs && recs->kind == VB_VALUE_SEQ)
    for (const vb_value *c = recs->first; c; c = c->next, n++)
      push_item(r, event, award, c, NULL, NULL, 0, 1, errs);
  if (from_csv && vb_csv_count(from_csv->csv)) {
    push_item(r, event, award, NULL, from_csv, NULL, 0, vb_csv_count(from_csv->csv), errs);
    n += vb_csv_count(from_csv->csv);
  }
  if (n == 0 && !errs)
    vb_diag_warn(r->diag, vb_span_make(award->span.src, award->span.start, award->span.start),
                 "award has no recipients");
  else if (n == 0)
    r->failed++; /* nothing to skip one by one: the award itself is the failed record */
}

/* Seconds since the epoch of a parsed date (a date without a zone is taken as is:
 * both ends of an event are written the same way). */
static long long date_seconds(const vb_date *d) {
  long long t = (long long)vb_date_days(d) * 86400;
  if (d->has_time) t += d->hour * 3600 + d->minute * 60 + d->second;
  if (d->has_tz) t -= d->tz_minutes * 60LL;
  return t;
}

/* An event cannot end before it starts. Returns the error count. */
static int check_event_times(vb_records *r, const vb_value *event) {
  const vb_value *sv = vb_value_get(event, "starts"), *ev = vb_value_get(event, "ends");
  vb_date s, e;
  if (!text_of(sv) || !text_of(ev) || vb_date_parse(sv->str, &s) != 0 ||
      vb_date_parse(ev->str, &e) != 0)
    return 0;
  if (date_seconds(&e) >= date_seconds(&s)) return 0;
  vb_diag_error(r->diag, ev->span, "the event ends ('%s') before it starts ('%s')", ev->str,
                sv->str);
  vb_diag_note(r->diag, sv->span, "'starts' is here");
  return 1;
}

static void add_event(vb_records *r, const vb_value *event, csv_list *extra_recipients) {
  if (event->kind != VB_VALUE_MAP) {
    vb_diag_error(r->diag, event->span, "each event must be a map of fields, found %s",
                  type_name(event));
    r->failed++;
    return;
  }
  int errs = r->oi.errors + validate_map(r, event, event_fields, "event", false);
  if (r->opts->doc == VB_DOC_CERTIFICATES) {
    const vb_value *awards = vb_value_get(event, "awards");
    if (awards && awards->kind == VB_VALUE_SEQ) {
      if (extra_recipients) {
        /* --org with CSV files: the first award that gets certificates */
        for (const vb_value *a = awards->first; a; a = a->next)
          if (a->kind == VB_VALUE_MAP && form_selected(r, a)) {
            add_award_certificates(r, event, a, errs, extra_recipients);
            return;
          }
        vb_diag_error(r->diag, event->key_span.src ? event->key_span : event->span,
                      "event has no award (giấy khen) for the recipient list");
        r->failed++;
        return;
      }
      for (const vb_value *a = awards->first; a; a = a->next)
        add_award_certificates(r, event, a, errs, NULL);
    } else if (errs > r->oi.errors) {
      r->failed++; /* a broken event without awards is still a failed record */
    }
    return;
  }
  errs += check_event_times(r, event);
  /* minutes and bulletins print the items of the event's lists (proceedings,
   * references, photos, awards...), which validate_map checks only for being lists */
  for (const field_def *d = event_fields; d->name; d++)
    if (d->type == F_LIST) {
      const vb_value *l = vb_value_get(event, d->name);
      if (!l || l->kind != VB_VALUE_SEQ) continue;
      /* an item that is a map has its fields checked (a misspelt key, or the
       * text after a comma in "{file: a.jpg, caption: A, B}", is an error, not
       * a lost word; control characters too); any other item is scanned */
      for (const vb_value *c = l->first; c; c = c->next)
        errs += c->kind == VB_VALUE_MAP ? validate_map(r, c, d->sub, d->what, true)
                                        : scan_controls(r, c, d->name);
    }
  /* minutes / bulletin: one scope per event */
  if (!within_records_limit(r, 1, event->span)) return;
  push_item(r, event, NULL, NULL, NULL, NULL, 0, 1, errs);
}

/* Builds the scope of an event (minutes, bulletins) into r->cur. */
static void build_event(vb_records *r, const vb_value *event, int errs) {
  vb_scope s;
  memset(&s, 0, sizeof s);
  bind(&s, "org", r->oi.org);
  bind(&s, "event", event);
  bind(&s, "signer", map_or_null(vb_value_get(r->oi.org, "signer")));
  s.computed = computed_new(r->scratch);
  s.shared = r->oi.computed;
  s.span = event->span;
  s.kind = r->oi.kind;
  s.id = text_of(vb_value_get(event, "id"));
  char *label = g_strdup_printf("event '%s'", s.id ? s.id : "?");
  s.label = vb_arena_strdup(vb_tree_arena(r->scratch), label);
  g_free(label);
  const char *title = text_of(vb_value_get(event, "title"));
  char *slug = vb_utf8_slug(title ? title : "", title ? strlen(title) : 0);
  s.slug = vb_arena_strdup(vb_tree_arena(r->scratch), slug);
  free(slug);
  s.failed = errs > 0;
  if (s.failed)
    vb_diag_note(r->diag, vb_span_make(event->span.src, event->span.start, event->span.start),
                 "in %s, which starts here", s.label);
  r->cur = s;
}

static bool has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), e = strlen(ext);
  return n > e && g_ascii_strcasecmp(path + n - e, ext) == 0;
}

static vb_records *records_new(vb_sources *sources, const char *path,
                               const vb_records_opts *opts, vb_diag *d) {
  vb_records *r = vb_xcalloc(1, sizeof *r);
  r->sources = sources;
  r->diag = d;
  r->opts_copy = *opts;
  r->opts = &r->opts_copy;
  r->path = path;
  r->own = vb_tree_new();
  r->csvs = g_ptr_array_new_with_free_func(csv_list_free);
  r->items = g_array_new(FALSE, TRUE, sizeof(item_ref));
  r->reported = g_hash_table_new(g_direct_hash, g_direct_equal);
  return r;
}

/* Loads and parses a YAML/JSON record file into r->main; sets r->dir. */
static int load_main(vb_records *r, const char *path) {
  char *dir = g_path_get_dirname(path);
  r->dir = vb_xstrdup(dir);
  g_free(dir);
  uint32_t src = vb_input_load_file(r->sources, path, r->opts->encoding, r->diag);
  if (!src) return -1;
  if (r->opts->input_format && !strcmp(r->opts->input_format, "json") && path != r->opts->org_file) {
    /* JSON is read by the YAML parser (JSON is YAML 1.2): only say what is not JSON */
    size_t len;
    const char *text = vb_sources_text(r->sources, src, &len);
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) i++;
    if (i == len || (text[i] != '{' && text[i] != '[')) {
      vb_diag_error(r->diag, vb_span_make(src, (uint32_t)i, (uint32_t)(i < len ? i + 1 : i)),
                    "not JSON (--input-format json): a JSON record file starts with '{'");
      return -1;
    }
  }
  /* certificates read each recipient when its scope is built (vb_records_get);
   * minutes and bulletins list them all */
  static const char *const lazy[] = {"recipients", NULL};
  r->main = vb_yaml_parse_lazy(r->sources, src,
                               r->opts->doc == VB_DOC_CERTIFICATES ? lazy : NULL, r->diag);
  if (!r->main) return -1;
  if (r->opts->encoding == VB_ENC_TCVN3_CAPS)
    caps_map(r, r->main, vb_tree_root(r->main), root_fields);
  const vb_value *root = vb_tree_root(r->main);
  if (!root || root->kind != VB_VALUE_MAP) {
    vb_diag_error(r->diag, root ? root->span : vb_span_make(src, 0, 0),
                  "a record file must be a map with 'organization' and 'events', found %s",
                  root ? type_name(root) : "nothing");
    return -1;
  }
  return 0;
}

static void load_records(vb_records *r, csv_list *extra_recipients) {
  const vb_value *root = vb_tree_root(r->main);
  for (const vb_value *c = root->first; c; c = c->next)
    if (strcmp(c->key, "organization") && strcmp(c->key, "events")) {
      static const char *const top[] = {"organization", "events", NULL};
      const char *sug = vb_closest(c->key, top);
      if (sug)
        vb_diag_error(r->diag, c->key_span, "unknown field '%s' (did you mean '%s'?)", c->key,
                      sug);
      else
        vb_diag_error(r->diag, c->key_span,
                      "unknown field '%s' (a record file has 'organization' and 'events')",
                      c->key);
      r->failed++;
    }
  if (check_org(r, root, &r->oi) != 0) {
    r->failed++;
    return;
  }
  if (r->oi.errors)
    vb_diag_note(r->diag, r->oi.org->key_span, "every record of this file is skipped");
  const vb_value *events = vb_value_get(root, "events");
  if (!events || events->kind == VB_VALUE_NULL) {
    if (r->opts->doc != VB_DOC_CERTIFICATES || extra_recipients) {
      vb_diag_error(r->diag, vb_span_make(root->span.src, root->span.start, root->span.start),
                    "missing required field 'events'");
      r->failed++;
    } else if (r->oi.errors) {
      r->failed++;
    }
    return;
  }
  if (events->kind != VB_VALUE_SEQ) {
    vb_diag_error(r->diag, events->span, "field 'events' must be a list, found %s",
                  type_name(events));
    r->failed++;
    return;
  }
  /* event ids are unique within a file */
  for (const vb_value *e = events->first; e; e = e->next) {
    const vb_value *id = vb_value_get(e, "id");
    if (!text_of(id)) continue;
    for (const vb_value *p = events->first; p != e; p = p->next) {
      const vb_value *pid = vb_value_get(p, "id");
      if (text_of(pid) && !strcmp(pid->str, id->str)) {
        vb_diag_error(r->diag, id->span, "duplicate event id '%s'", id->str);
        vb_diag_note(r->diag, pid->span, "first used here");
        r->failed++;
      }
    }
  }
  if (extra_recipients) {
    if (events->first) add_event(r, events->first, extra_recipients);
  } else {
    for (const vb_value *e = events->first; e; e = e->next) add_event(r, e, NULL);
  }
  /* a bad organization with nothing to skip still fails the file */
  if (r->oi.errors && r->ndocs == 0) r->failed++;
}

/* Every error counts: one reported while loading that no failed record
 * accounts for (yet) makes the file's first record a failed one. */
static void count_stray_errors(vb_records *r, unsigned errors_before) {
  if (vb_diag_error_count(r->diag) == errors_before || r->failed) return;
  for (guint i = 0; i < r->items->len; i++)
    if (g_array_index(r->items, item_ref, i).inherited) return;
  r->failed++;
}

static vb_records *records_load(vb_sources *sources, const char *path,
                                const vb_records_opts *opts, vb_diag *d);

vb_records *vb_records_load(vb_sources *sources, const char *path, const vb_records_opts *opts,
                            vb_diag *d) {
  unsigned before = vb_diag_error_count(d);
  vb_records *r = records_load(sources, path, opts, d);
  if (r) count_stray_errors(r, before);
  return r;
}

static vb_records *records_load(vb_sources *sources, const char *path,
                                const vb_records_opts *opts, vb_diag *d) {
  vb_records *r = records_new(sources, path, opts, d);
  bool csv = opts->input_format ? !strcmp(opts->input_format, "csv") : has_ext(path, ".csv");
  if (csv) {
    if (!opts->org_file) {
      vb_diag_error(d, vb_span_none(),
                    "'%s' is a recipient list: name the organization and award with --org "
                    "ORG.yaml",
                    path);
      vb_records_free(r);
      return NULL;
    }
    if (load_main(r, opts->org_file) != 0) {
      vb_records_free(r);
      return NULL;
    }
    csv_list *list = open_csv_recipients(r, path, vb_span_none());
    if (!list) {
      vb_records_free(r);
      return NULL;
    }
    load_records(r, list);
    return r;
  }
  if (load_main(r, path) != 0) {
    vb_records_free(r);
    return NULL;
  }
  load_records(r, NULL);
  return r;
}

void vb_records_free(vb_records *r) {
  if (!r) return;
  if (r->main) vb_tree_free(r->main);
  vb_tree_free(r->own);
  if (r->scratch) vb_tree_free(r->scratch);
  g_ptr_array_free(r->csvs, TRUE);
  g_array_free(r->items, TRUE);
  g_hash_table_destroy(r->reported);
  free(r->dir);
  if (r->misdecoded) g_hash_table_destroy(r->misdecoded);
  free(r);
}

size_t vb_records_count(const vb_records *r) { return r->ndocs; }

/* The item holding document i: the last one found, or by bisection. */
static const item_ref *item_of(vb_records *r, size_t i) {
  const item_ref *v = &g_array_index(r->items, item_ref, 0);
  size_t k = r->last_item < r->items->len ? r->last_item : 0;
  if (!(v[k].first <= i && i < v[k].first + v[k].count)) {
    size_t lo = 0, hi = r->items->len; /* v[lo].first <= i < v[hi].first */
    while (hi - lo > 1) {
      size_t mid = lo + (hi - lo) / 2;
      if (v[mid].first <= i)
        lo = mid;
      else
        hi = mid;
    }
    k = lo;
  }
  r->last_item = k;
  return &v[k];
}

const vb_scope *vb_records_get(vb_records *r, size_t i) {
  const item_ref *it = item_of(r, i);
  size_t row = it->row + (i - it->first);
  /* the previous scope's values go: memory stays flat over a long batch */
  if (r->scratch) vb_tree_free(r->scratch);
  r->scratch = vb_tree_new();
  if (!it->award) {
    build_event(r, it->event, it->inherited);
  } else {
    const vb_value *rec = it->rec;
    if (it->csv) rec = csv_recipient(r, it->csv, row, r->scratch);
    if (it->lazy) {
      rec = vb_yaml_item(r->sources, it->lazy, row, r->scratch, r->diag);
      if (!rec) /* reported; cannot happen once the file was read */
        rec = vb_value_new(r->scratch, VB_VALUE_NULL, it->lazy->span);
    }
    assert(rec); /* an inline item, a CSV row or a lazy item: always one of them */
    if (rec->kind == VB_VALUE_STRING && !is_empty_text(rec)) {
      /* a list of plain names: "- Nguyễn Văn A" is {name: Nguyễn Văn A} */
      vb_value *m = vb_value_new(r->scratch, VB_VALUE_MAP, rec->span);
      vb_value *nv = vb_value_copy(r->scratch, rec);
      vb_value_set(r->scratch, m, "name", rec->span, nv);
      rec = m;
    }
    if ((it->csv || it->lazy) && r->opts->encoding == VB_ENC_TCVN3_CAPS)
      caps_map(r, r->scratch, (vb_value *)rec, recipient_fields);
    build_certificate(r, it->event, it->award, rec, it->inherited);
  }
  if (r->cur.failed) r->failed++;
  return &r->cur;
}

size_t vb_records_failed(const vb_records *r) { return r->failed; }

/* ---- field names for layout checks */
static const char *const org_names[] = {"name", "kind", "symbol", "superior", "place", "signer",
                                        "award_authority", "bulletin", "emblem", "address",
                                        "phone", "email", "website", "chi_bo", NULL};
static const char *const event_names[] = {
    "id", "kind", "title", "starts", "ends", "venue", "number", "chair", "secretary", "guests",
    "participants", "absent", "proceedings", "conclusions", "references", "awards", "photos",
    "article", "attendance", "distribution", NULL};
static const char *const award_names[] = {"form", "title", "reason", "decision", "date",
                                          "signer", "recipients", "recipients_csv", NULL};
static const char *const recipient_names[] = {
    "name", "collective", "gender", "position", "unit", "book_no", "reason", "decision",
    "display_name", "is_collective", "honorific", "details", NULL};
static const char *const person_names[] = {"name", "position", "authority", "gender", "unit",
                                           NULL};
static const char *const decision_names[] = {"number", "date", NULL};
static const char *const issue_names[] = {"number", "month", "year", "date", "publisher",
                                          NULL};
static const char *const root_names[] = {"org", "event", "award", "recipient", "signer",
                                         "decision", "issue", NULL};

const char *const *vb_records_roots(void) { return root_names; }

const char *const *vb_records_fields(const char *root) {
  if (!strcmp(root, "org")) return org_names;
  if (!strcmp(root, "event")) return event_names;
  if (!strcmp(root, "award")) return award_names;
  if (!strcmp(root, "recipient")) return recipient_names;
  if (!strcmp(root, "signer")) return person_names;
  if (!strcmp(root, "decision")) return decision_names;
  if (!strcmp(root, "issue")) return issue_names; /* a bulletin's masthead */
  return NULL;
}
