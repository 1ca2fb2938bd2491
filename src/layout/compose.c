/* compose.c - vanban layout stage: the text of a bulletin article. An event's
 * own `article` is taken as written; otherwise one is composed from its fields
 * in the sentences a ward reporter writes ("Chiều ngày 05/11/2024, tại …, Đảng
 * ủy Phường 11 tổ chức …"): headline, lead, proceedings and conclusions as
 * paragraphs, awards as a short list, byline. */
#include "bulletin-private.h"

#include <glib.h>
#include <string.h>

static const char *text_of(const vb_value *v) {
  if (!v || v->kind != VB_VALUE_STRING) return NULL;
  for (const char *p = v->str; *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return v->str;
  return NULL;
}

static vb_span span_of(const vb_value *v, vb_span def) {
  return v && vb_span_is_set(v->span) ? v->span : def;
}

static void add_para(vb_article *a, vb_part_kind kind, const char *text, vb_span span,
                     bool keep) {
  vb_part pt = {kind, vb_arena_strdup(a->arena, text), span, keep, NULL, 0};
  g_array_append_val(a->parts, pt);
}

/* Appends s with trailing blanks removed and a full stop unless it already ends
 * a sentence. */
static void put_sentence(vb_strbuf *sb, const char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t')) n--;
  vb_strbuf_add(sb, s, n);
  if (n && !strchr(".!?…:;", s[n - 1])) {
    /* a closing quote or bracket after the full stop counts too */
    bool closed = n >= 2 && strchr(".!?", s[n - 2]) && strchr(")\"'", s[n - 1]);
    if (!closed && !(n >= 4 && !strcmp(s + n - 3, "”") && strchr(".!?", s[n - 4])))
      vb_strbuf_putc(sb, '.');
  }
}

static char *capitalize(const char *s) {
  if (!*s) return vb_xstrdup(s);
  const char *p = s;
  vb_utf8_next(&p, s + strlen(s));
  char *first = vb_utf8_upper(s, (size_t)(p - s));
  char *out = g_strconcat(first, p, NULL);
  free(first);
  char *r = vb_xstrdup(out);
  g_free(out);
  return r;
}

/* "Vũ Thị Mỹ Ngọc - Phó Chủ tịch UBND Quận 3" from a person map or text. */
static void put_person(vb_strbuf *sb, const vb_value *p) {
  if (p->kind == VB_VALUE_STRING) {
    vb_strbuf_puts(sb, p->str);
    return;
  }
  const char *name = text_of(vb_value_get(p, "name"));
  const char *pos = text_of(vb_value_get(p, "position"));
  vb_strbuf_puts(sb, name ? name : "");
  if (pos) {
    vb_strbuf_puts(sb, " - ");
    vb_strbuf_puts(sb, pos);
  }
}

/* The word for the event in running text: "hội nghị", "buổi họp mặt", "chương trình". */
static const char *event_noun(const char *kind, vb_arena *arena) {
  if (!kind) return "chương trình";
  char *f = g_utf8_strdown(kind, -1);
  const char *out;
  static const char *const as_is[] = {"hội nghị", "đại hội", "hội thảo", "lễ", "hội thi",
                                      "cuộc họp", "buổi", "chương trình", "hội diễn", NULL};
  bool keep = false;
  for (const char *const *w = as_is; *w && !keep; w++) keep = g_str_has_prefix(f, *w);
  if (keep)
    out = vb_arena_strdup(arena, f);
  else if (g_str_has_prefix(f, "họp") || g_str_has_prefix(f, "gặp"))
    out = vb_arena_printf(arena, "buổi %s", f);
  else if (g_str_has_prefix(f, "phát động") || g_str_has_prefix(f, "sơ kết") ||
           g_str_has_prefix(f, "tổng kết") || g_str_has_prefix(f, "triển khai") ||
           g_str_has_prefix(f, "quán triệt"))
    out = vb_arena_printf(arena, "hội nghị %s", f);
  else
    out = "chương trình";
  g_free(f);
  return out;
}

/* What a speaker did, from the proceeding's kind: "đọc diễn văn", "trình bày báo cáo". */
static const char *speech_verb(const char *kind, vb_arena *arena) {
  if (!kind) return "phát biểu";
  char *f = g_utf8_strdown(kind, -1);
  const char *out;
  if (g_str_has_prefix(f, "diễn văn"))
    out = vb_arena_printf(arena, "đọc %s", f);
  else if (g_str_has_prefix(f, "báo cáo") || g_str_has_prefix(f, "tham luận") ||
           g_str_has_prefix(f, "tờ trình") || g_str_has_prefix(f, "dự thảo") ||
           g_str_has_prefix(f, "kế hoạch") || g_str_has_prefix(f, "chương trình"))
    out = vb_arena_printf(arena, "trình bày %s", f);
  else if (g_str_has_prefix(f, "ý kiến"))
    out = vb_arena_printf(arena, "phát biểu %s", f);
  else
    out = vb_arena_strdup(arena, f);
  g_free(f);
  return out;
}

/* "Sáng", "Trưa", "Chiều", "Tối" from the hour; NULL without a time. */
static const char *part_of_day(const vb_date *d) {
  if (!d->has_time) return NULL;
  if (d->hour < 11) return "Sáng";
  if (d->hour < 13) return "Trưa";
  if (d->hour < 18) return "Chiều";
  return "Tối";
}

static void compose_lead(vb_article *a, const vb_value *ev, const vb_value *org) {
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_date d;
  const vb_value *starts = vb_value_get(ev, "starts");
  const char *title = text_of(vb_value_get(ev, "title"));
  const char *venue = text_of(vb_value_get(ev, "venue"));
  const char *oname = text_of(vb_value_get(org, "name"));
  if (text_of(starts) && vb_date_parse(starts->str, &d) == 0) {
    const char *pod = part_of_day(&d);
    vb_strbuf_printf(&sb, "%s%s %02d/%02d/%04d, ", pod ? pod : "Ngày", pod ? " ngày" : "",
                     d.day, d.month, d.year);
  }
  if (venue) vb_strbuf_printf(&sb, "tại %s, ", venue);
  vb_strbuf_printf(&sb, "%s tổ chức %s", oname ? oname : "", title ? title : "");
  vb_strbuf s1 = VB_STRBUF_INIT;
  char *cap = capitalize(vb_strbuf_cstr(&sb));
  put_sentence(&s1, cap);
  free(cap);
  /* guests, then the participants ("cùng …") */
  const vb_value *guests = vb_value_get(ev, "guests");
  const vb_value *parts = vb_value_get(ev, "participants");
  vb_strbuf g = VB_STRBUF_INIT;
  size_t ng = 0;
  if (guests && guests->kind == VB_VALUE_SEQ) {
    for (const vb_value *c = guests->first; c; c = c->next, ng++) {
      if (ng) vb_strbuf_puts(&g, "; ");
      vb_strbuf_puts(&g, "đồng chí ");
      put_person(&g, c);
    }
  } else if (text_of(guests)) {
    vb_strbuf_puts(&g, guests->str);
    ng = 1;
  }
  vb_strbuf pp = VB_STRBUF_INIT;
  if (parts && parts->kind == VB_VALUE_SEQ) {
    size_t i = 0;
    for (const vb_value *c = parts->first; c; c = c->next)
      if (text_of(c)) {
        if (i++) vb_strbuf_puts(&pp, c->next ? ", " : " và ");
        vb_strbuf_puts(&pp, c->str);
      }
  } else if (text_of(parts))
    vb_strbuf_puts(&pp, parts->str);
  if (ng || pp.len) {
    vb_strbuf_putc(&s1, ' ');
    vb_strbuf t = VB_STRBUF_INIT;
    if (ng) {
      vb_strbuf_printf(&t, "Đến dự có %s", vb_strbuf_cstr(&g));
      if (pp.len) vb_strbuf_printf(&t, "; cùng %s", vb_strbuf_cstr(&pp));
    } else
      vb_strbuf_printf(&t, "Tham dự có %s", vb_strbuf_cstr(&pp));
    put_sentence(&s1, vb_strbuf_cstr(&t));
    vb_strbuf_free(&t);
  }
  const vb_value *chair = vb_value_get(ev, "chair");
  if (chair && chair->kind == VB_VALUE_MAP && text_of(vb_value_get(chair, "name"))) {
    const char *pos = text_of(vb_value_get(chair, "position"));
    vb_strbuf_printf(&s1, " Đồng chí %s%s%s%s chủ trì %s.", vb_value_get(chair, "name")->str,
                     pos ? ", " : "", pos ? pos : "", pos ? "," : "",
                     event_noun(text_of(vb_value_get(ev, "kind")), a->arena));
  }
  add_para(a, VB_PART_LEAD, vb_strbuf_cstr(&s1), span_of(starts, a->span), false);
  vb_strbuf_free(&sb);
  vb_strbuf_free(&s1);
  vb_strbuf_free(&g);
  vb_strbuf_free(&pp);
}

static void compose_proceedings(vb_article *a, const vb_value *ev) {
  const vb_value *pr = vb_value_get(ev, "proceedings");
  if (!pr || pr->kind != VB_VALUE_SEQ) return;
  for (const vb_value *c = pr->first; c; c = c->next) {
    const char *text = text_of(vb_value_get(c, "text"));
    if (!text) continue;
    const char *speaker = text_of(vb_value_get(c, "speaker"));
    const char *role = text_of(vb_value_get(c, "role"));
    vb_strbuf sb = VB_STRBUF_INIT;
    if (speaker) {
      vb_strbuf_printf(&sb, "Đồng chí %s%s%s%s %s. ", speaker, role ? ", " : "", role ? role : "",
                       role ? "," : "",
                       speech_verb(text_of(vb_value_get(c, "kind")), a->arena));
    }
    char *cap = capitalize(text);
    put_sentence(&sb, cap);
    free(cap);
    add_para(a, VB_PART_BODY, vb_strbuf_cstr(&sb), span_of(vb_value_get(c, "text"), a->span),
             false);
    vb_strbuf_free(&sb);
  }
}

static void compose_conclusions(vb_article *a, const vb_value *ev) {
  const vb_value *cl = vb_value_get(ev, "conclusions");
  if (!cl || (cl->kind != VB_VALUE_SEQ && !text_of(cl))) return;
  const vb_value *chair = vb_value_get(ev, "chair");
  const char *cname = chair && chair->kind == VB_VALUE_MAP ? text_of(vb_value_get(chair, "name")) : NULL;
  const char *cpos = cname ? text_of(vb_value_get(chair, "position")) : NULL;
  const char *noun = event_noun(text_of(vb_value_get(ev, "kind")), a->arena);
  vb_strbuf sb = VB_STRBUF_INIT;
  if (cname)
    vb_strbuf_printf(&sb, "Kết luận %s, đồng chí %s%s%s%s nhấn mạnh:", noun, cname,
                     cpos ? ", " : "", cpos ? cpos : "", cpos ? "," : "");
  else {
    char *cap = capitalize(noun);
    vb_strbuf_printf(&sb, "%s đã thống nhất:", cap);
    free(cap);
  }
  if (text_of(cl)) {
    vb_strbuf_putc(&sb, ' ');
    put_sentence(&sb, cl->str);
    add_para(a, VB_PART_BODY, vb_strbuf_cstr(&sb), cl->span, false);
  } else {
    add_para(a, VB_PART_BODY, vb_strbuf_cstr(&sb), cl->key_span, true);
    for (const vb_value *c = cl->first; c; c = c->next) {
      if (!text_of(c)) continue;
      vb_strbuf t = VB_STRBUF_INIT;
      char *cap = capitalize(c->str);
      put_sentence(&t, cap);
      free(cap);
      add_para(a, VB_PART_BODY, vb_strbuf_cstr(&t), c->span, false);
      vb_strbuf_free(&t);
    }
  }
  vb_strbuf_free(&sb);
}

/* "Giấy khen Điển hình “Dân vận khéo” năm 2024: Nguyễn Văn A, Chi bộ Khu phố 7." */
static void compose_awards(vb_article *a, const vb_value *ev, const vb_value *org) {
  const vb_value *aw = vb_value_get(ev, "awards");
  if (!aw || aw->kind != VB_VALUE_SEQ || !aw->first) return;
  const char *oname = text_of(vb_value_get(org, "name"));
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_strbuf_printf(&sb, "Nhân dịp này, %s đã trao tặng:", oname ? oname : "ban tổ chức");
  add_para(a, VB_PART_BODY, vb_strbuf_cstr(&sb), aw->key_span, true);
  enum { SHOWN = 8 };
  for (const vb_value *c = aw->first; c; c = c->next) {
    if (c->kind != VB_VALUE_MAP) continue;
    const char *form = text_of(vb_value_get(c, "form"));
    const char *title = text_of(vb_value_get(c, "title"));
    vb_strbuf_reset(&sb);
    vb_strbuf_puts(&sb, "– ");
    char *f = g_utf8_strdown(form ? form : "giấy khen", -1);
    char *tl = title ? g_utf8_strdown(title, -1) : NULL;
    char *label;
    if (title && g_str_has_prefix(tl, f))
      label = capitalize(title);
    else {
      char *fc = capitalize(f);
      label = title ? g_strdup_printf("%s %s", fc, title) : g_strdup(fc);
      free(fc);
      char *l2 = vb_xstrdup(label);
      g_free(label);
      label = l2;
    }
    vb_strbuf_puts(&sb, label);
    free(label);
    g_free(f);
    g_free(tl);
    const vb_value *recs = vb_value_get(c, "recipients");
    size_t n = 0, shown = 0;
    if (recs && recs->kind == VB_VALUE_SEQ) {
      for (const vb_value *r = recs->first; r; r = r->next) {
        const char *name = r->kind == VB_VALUE_STRING ? text_of(r)
                           : text_of(vb_value_get(r, "name"))
                               ? text_of(vb_value_get(r, "name"))
                               : text_of(vb_value_get(r, "collective"));
        if (!name) continue;
        n++;
        if (shown >= SHOWN) continue;
        vb_strbuf_puts(&sb, shown++ ? ", " : ": ");
        vb_strbuf_puts(&sb, name);
      }
    }
    if (n > shown)
      vb_strbuf_printf(&sb, " và %zu tập thể, cá nhân khác", n - shown);
    else if (!n && text_of(vb_value_get(c, "recipients_csv")))
      vb_strbuf_puts(&sb, " (danh sách kèm theo)");
    vb_strbuf_putc(&sb, '.');
    add_para(a, VB_PART_LIST, vb_strbuf_cstr(&sb), c->span, c->next != NULL);
  }
  vb_strbuf_free(&sb);
}

/* Paragraphs of a written body: split at line breaks; blank lines dropped. */
static void split_body(vb_article *a, const vb_value *body) {
  const char *s = body->str;
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *line = g_strstrip(g_strndup(s, n));
    if (*line) add_para(a, VB_PART_BODY, line, body->span, false);
    g_free(line);
    s += n;
    if (*s) s++;
  }
}

static void add_photos(vb_article *a, const vb_value *ev) {
  const vb_value *ph = vb_value_get(ev, "photos");
  if (!ph || ph->kind != VB_VALUE_SEQ) return;
  size_t i = 0;
  for (const vb_value *c = ph->first; c; c = c->next, i++) {
    if (c->kind != VB_VALUE_MAP) continue;
    vb_part pt = {VB_PART_PHOTO, NULL, c->span, false, c, i};
    const vb_value *cap = vb_value_get(c, "caption");
    if (text_of(cap)) pt.text = vb_arena_strdup(a->arena, cap->str);
    g_array_append_val(a->photos, pt);
  }
}

void vb_article_compose(vb_article *a, const vb_value *ev, const vb_value *org,
                        const vb_value *bulletin) {
  a->span = ev->span;
  const vb_value *art = vb_value_get(ev, "article");
  if (art && art->kind != VB_VALUE_MAP) art = NULL;
  const vb_value *head = art ? vb_value_get(art, "headline") : NULL;
  if (!text_of(head)) head = vb_value_get(ev, "title");
  a->headline = text_of(head) ? vb_arena_strdup(a->arena, head->str) : "";
  a->head_span = span_of(head, ev->span);
  const vb_value *author = art ? vb_value_get(art, "author") : NULL;
  if (!text_of(author)) author = vb_value_get(bulletin, "byline");
  if (text_of(author)) {
    a->byline = vb_arena_strdup(a->arena, author->str);
    a->byline_span = author->span;
  }
  if (art) {
    const vb_value *lead = vb_value_get(art, "lead");
    if (text_of(lead)) add_para(a, VB_PART_LEAD, lead->str, lead->span, false);
    const vb_value *body = vb_value_get(art, "body");
    if (text_of(body)) split_body(a, body);
  } else {
    compose_lead(a, ev, org);
    compose_proceedings(a, ev);
    compose_conclusions(a, ev);
    compose_awards(a, ev, org);
  }
  add_photos(a, ev);
}
