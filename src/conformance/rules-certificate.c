/* rules-certificate.c - conformance stage: the rules of award certificates (spec
 * §3.2: the line order of the state giấy khen, 35-40 mm for signature and seal,
 * fixed lines across a batch), in three rule sets: the state design
 * (certificate), the Party design (certificate-party) and text printed onto
 * pre-printed blanks (certificate-overlay). Header lines are found by their text;
 * the record's lines by the roles the layouts give them (recipient.*, signer.*). */
#include "conformance-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double mid_x(const ck_line *l) { return (l->x0 + l->x1) / 2; }

static bool red(vb_color c) { return c.r > 0.55f && c.g < 0.3f && c.b < 0.3f; }

/* the first line of page p whose text is `text` */
static const ck_line *find_text(const ck_doc *d, unsigned p, const char *text) {
  const ck_page *pg = &d->pages[p - 1];
  for (size_t i = pg->line0; i < pg->line1; i++)
    if (!strcmp(d->lines[i].text, text))
      return &d->lines[i];
  return NULL;
}

static bool sheet(double w, double h, double a, double b) {
  return (fabs(w - a * CK_MM) < CK_MM && fabs(h - b * CK_MM) < CK_MM) ||
         (fabs(w - b * CK_MM) < CK_MM && fabs(h - a * CK_MM) < CK_MM);
}

static void page_size(ck_ctx *c, const ck_doc *d) {
  GHashTable *st = ck_state(c);
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    if (!sheet(pg->w, pg->h, 210, 297) && !sheet(pg->w, pg->h, 297, 420)) {
      ck_fail_at(c, d, p, "page", "%s x %s mm, allowed an A4 (210 x 297 mm) or A3 (297 x 420 "
                 "mm) sheet", ck_num(c, pg->w / CK_MM, 1), ck_num(c, pg->h / CK_MM, 1));
      return;
    }
    char *size = g_strdup_printf("%s x %s", ck_num(c, pg->w / CK_MM, 1),
                                 ck_num(c, pg->h / CK_MM, 1));
    const char *first = g_hash_table_lookup(st, "page.size");
    if (!first)
      g_hash_table_insert(st, g_strdup("page.size"), size);
    else {
      if (strcmp(first, size))
        ck_fail_at(c, d, p, "page", "%s mm, the batch began with %s mm; allowed one size",
                   size, first);
      g_free(size);
    }
  }
}

static void header_lines(ck_ctx *c, const ck_doc *d, bool party) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    const ck_line *first = pg->line0 < pg->line1 ? &d->lines[pg->line0] : NULL;
    if (party) {
      const ck_line *h = find_text(d, p, "ĐẢNG CỘNG SẢN VIỆT NAM");
      if (!h || h != first || !h->bold) {
        ck_fail(c, d, p, first, "allowed \"ĐẢNG CỘNG SẢN VIỆT NAM\" in bold as the first line");
        return;
      }
      continue;
    }
    const ck_line *q = find_text(d, p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    if (!q)
      q = find_text(d, p, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    const ck_line *t = find_text(d, p, "Độc lập - Tự do - Hạnh phúc");
    if (!q || q != first || !q->bold) {
      ck_fail(c, d, p, first, "allowed the Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\" "
              "in bold as the first line");
      return;
    }
    if (!t || !t->bold || t->y <= q->y || fabs(mid_x(t) - mid_x(q)) > 1 * CK_MM) {
      ck_fail(c, d, p, t ? t : q, "allowed the Tiêu ngữ \"Độc lập - Tự do - Hạnh phúc\" in "
              "bold, centred under the Quốc hiệu");
      return;
    }
  }
}
static void header_state(ck_ctx *c, const ck_doc *d) { header_lines(c, d, false); }
static void header_party(ck_ctx *c, const ck_doc *d) { header_lines(c, d, true); }

/* the rule right under `above`: the first non-ornament rectangle below its baseline */
static void rule_of(ck_ctx *c, const ck_doc *d, const char *text) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_line *l = find_text(d, p, text);
    if (!l)
      continue; /* the header rule reports a missing line */
    const ck_page *pg = &d->pages[p - 1];
    const ck_rect *r = NULL;
    for (size_t i = pg->rect0; i < pg->rect1 && !r; i++) {
      const ck_rect *x = &d->rects[i];
      if (!x->art && x->h < 3 && x->y >= l->y - 0.5 && x->y <= ck_line_bottom(l) + l->size)
        r = x;
    }
    if (!r) {
      ck_fail(c, d, p, l, "no rule under it, allowed one exactly as long");
      return;
    }
    double w = l->x1 - l->x0;
    if (fabs(r->w - w) > 0.3 * CK_MM || fabs(r->x + r->w / 2 - mid_x(l)) > 0.5 * CK_MM) {
      ck_fail(c, d, p, l, "rule %s mm long, allowed %s mm (the length of the text), centred",
              ck_num(c, r->w / CK_MM, 1), ck_num(c, w / CK_MM, 1));
      return;
    }
  }
}
static void tieu_ngu_rule(ck_ctx *c, const ck_doc *d) {
  rule_of(c, d, "Độc lập - Tự do - Hạnh phúc");
}
static void heading_rule(ck_ctx *c, const ck_doc *d) { rule_of(c, d, "ĐẢNG CỘNG SẢN VIỆT NAM"); }

/* the awarding authority and the form's title in red, in that order, above the name */
static void red_lines(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    const ck_line *auth = NULL, *title = NULL, *name = NULL;
    for (size_t i = pg->line0; i < pg->line1; i++) {
      const ck_line *l = &d->lines[i];
      if (!auth && !strcmp(l->role, "org.award_authority"))
        auth = l;
      if (!title && (strstr(l->text, "GIẤY KHEN") || strstr(l->text, "TUYÊN DƯƠNG")))
        title = l;
      if (!name && !strcmp(l->role, "recipient.name"))
        name = l;
    }
    if (!auth || !red(auth->color)) {
      ck_fail(c, d, p, auth, "%s, allowed the awarding authority in red",
              auth ? "not red" : "no awarding authority (role org.award_authority)");
      return;
    }
    if (!title || !red(title->color)) {
      ck_fail(c, d, p, title, "%s, allowed \"GIẤY KHEN\" (or \"TUYÊN DƯƠNG\") in red",
              title ? "not red" : "no title");
      return;
    }
    if (title->y <= auth->y || (name && name->y <= title->y)) {
      ck_fail(c, d, p, title, "out of order, allowed the authority, then the title, then the "
              "recipient");
      return;
    }
  }
}

/* §3.2: decision and golden-book number bottom left; place, date, signer bottom right */
static void corners(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    for (size_t i = pg->line0; i < pg->line1; i++) {
      const ck_line *l = &d->lines[i];
      bool left = !strncmp(l->role, "decision", 8) || !strcmp(l->role, "recipient.book_no") ||
                  !strcmp(l->role, "book_no");
      bool right = !strncmp(l->role, "signer.", 7) || !strcmp(l->role, "org.place") ||
                   !strcmp(l->role, "place_date");
      if ((left && l->x1 > pg->w / 2 + 0.5) || (right && l->x0 < pg->w / 2 - 0.5)) {
        ck_fail(c, d, p, l, "from %s to %s mm, allowed the %s half of the sheet",
                ck_num(c, l->x0 / CK_MM, 1), ck_num(c, l->x1 / CK_MM, 1),
                left ? "left" : "right");
        return;
      }
    }
  }
}

static void seal_room(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 1; p <= d->npages; p++) {
    GPtrArray *pos = ck_lines(d, p, "signer.position"), *nm = ck_lines(d, p, "signer.name");
    const ck_line *a = pos->len ? pos->pdata[pos->len - 1] : NULL;
    const ck_line *b = nm->len ? nm->pdata[0] : NULL;
    g_ptr_array_free(pos, TRUE);
    g_ptr_array_free(nm, TRUE);
    if (!a || !b) {
      ck_fail_at(c, d, p, a ? "signer.name" : "signer.position", "no signer %s",
                 a ? "name" : "position");
      return;
    }
    double gap = (ck_line_top(b) - ck_line_bottom(a)) / CK_MM;
    if (gap < 35 - 0.005 || gap > 40 + 0.005) {
      ck_fail(c, d, p, b, "%s mm between the signer's title %s and the name, allowed 35-40 mm",
              ck_num(c, gap, 1), ck_short(c, a->text));
      return;
    }
  }
}

/* Every line that is not the record's own (recipient, decision) sits at the same
 * place on every page of the batch. */
static void fixed_lines(ck_ctx *c, const ck_doc *d) {
  GHashTable *st = ck_state(c);
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!strncmp(l->role, "recipient.", 10) || !strncmp(l->role, "decision", 8) ||
        !strcmp(l->role, "book_no"))
      continue;
    char *key = g_strdup_printf("fixed %s@%u:%u#%u", l->role, l->span.src, l->span.start,
                                l->nth);
    const char *v = g_hash_table_lookup(st, key);
    if (!v) {
      char val[160];
      snprintf(val, sizeof val, "%s %s", ck_num(c, l->x0, 2), ck_num(c, l->y, 2));
      g_hash_table_insert(st, key, g_strconcat(val, " ", l->text, NULL));
      continue;
    }
    g_free(key);
    double x = strtod(v, NULL), y;
    const char *sp = strchr(v, ' ');
    y = strtod(sp + 1, NULL);
    const char *text = strchr(sp + 1, ' ') + 1;
    if (fabs(l->y - y) > 0.1 * CK_MM || (!strcmp(text, l->text) && fabs(l->x0 - x) > 0.1 * CK_MM)) {
      ck_fail(c, d, l->page, l, "at %s, %s mm, the first page of the batch had it at %s, %s mm; "
              "allowed the same place on every page",
              ck_num(c, l->x0 / CK_MM, 1), ck_num(c, l->y / CK_MM, 1), ck_num(c, x / CK_MM, 1),
              ck_num(c, y / CK_MM, 1));
      return;
    }
  }
}

/* an overlay prints onto a blank: no ornament, no picture, none of the blank's own
 * lines (Quốc hiệu, Tiêu ngữ, the form's title) */
static void overlay_text_only(ck_ctx *c, const ck_doc *d) {
  static const char *const printed[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "Độc lập - Tự do - Hạnh phúc", "GIẤY KHEN",
                                        "ĐẢNG CỘNG SẢN VIỆT NAM"};
  for (size_t i = 0; i < d->nrects; i++) {
    const ck_rect *r = &d->rects[i];
    ck_fail_at(c, d, r->page, *r->role ? r->role : "drawing",
               "%s drawn, allowed text only (the blank carries its own)",
               r->art ? "an ornament" : "a box or picture");
    return;
  }
  for (size_t i = 0; i < d->nlines; i++)
    for (size_t k = 0; k < sizeof printed / sizeof printed[0]; k++)
      if (strstr(d->lines[i].text, printed[k])) {
        ck_fail(c, d, d->lines[i].page, &d->lines[i], "a line the blank carries pre-printed, "
                "allowed the record's text only");
        return;
      }
}

static const ck_rule state[] = {
    {{"cert.page.size", "Every page is an A4 or A3 sheet, one size for the batch.", "§3.2"},
     page_size},
    {{"cert.header.lines", "The Quốc hiệu comes first in bold, the Tiêu ngữ in bold centred "
                           "under it.",
      "§3.2, §1.2 ô 1"},
     header_state},
    {{"cert.tieu_ngu.rule", "A solid rule under the Tiêu ngữ is exactly as long as its text.",
      "§1.2 ô 1, §6.3"},
     tieu_ngu_rule},
    {{"cert.red.lines", "The awarding authority, then the title \"GIẤY KHEN\", are red, above "
                        "the recipient.",
      "§3.2"},
     red_lines},
    {{"cert.corners", "The decision and golden-book number stand bottom left, place, date "
                      "and signer bottom right.",
      "§3.2"},
     corners},
    {{"cert.seal.room", "35 to 40 mm separate the signer's title from the name, for the "
                        "signature and seal.",
      "§3.2"},
     seal_room},
    {{"cert.fixed.lines", "Lines that are not the recipient's stand at the same place on "
                          "every page of the batch.",
      "§3.2"},
     fixed_lines},
    {{"cert.date.form", "Dates read \"ngày DD tháng M năm YYYY\" (leading zero for days 1-9 "
                        "and months 1-2 only).",
      "§1.5, §6.5"},
     vb_ck_date_form},
    {{"cert.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"cert.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

static const ck_rule party[] = {
    {{"cert.page.size", "Every page is an A4 or A3 sheet, one size for the batch.", "§3.2"},
     page_size},
    {{"cert.header.party", "\"ĐẢNG CỘNG SẢN VIỆT NAM\" comes first, in bold.", "§3.1, §2.1"},
     header_party},
    {{"cert.heading.rule", "A solid rule under the Party heading is exactly as long as it.",
      "§2.1"},
     heading_rule},
    {{"cert.red.lines", "The awarding authority, then the title \"GIẤY KHEN\", are red, above "
                        "the recipient.",
      "§3.2"},
     red_lines},
    {{"cert.corners", "The decision and golden-book number stand bottom left, place, date "
                      "and signer bottom right.",
      "§3.2"},
     corners},
    {{"cert.seal.room", "35 to 40 mm separate the signer's title from the name, for the "
                        "signature and seal.",
      "§3.2"},
     seal_room},
    {{"cert.fixed.lines", "Lines that are not the recipient's stand at the same place on "
                          "every page of the batch.",
      "§3.2"},
     fixed_lines},
    {{"cert.date.form", "Dates read \"ngày DD tháng M năm YYYY\" (leading zero for days 1-9 "
                        "and months 1-2 only).",
      "§1.5, §6.5"},
     vb_ck_date_form},
    {{"cert.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"cert.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

static const ck_rule overlay[] = {
    {{"cert.page.size", "Every page is an A4 or A3 sheet, one size for the batch.", "§3.2"},
     page_size},
    {{"overlay.text.only", "Only the record's text is printed: no ornament, picture or line "
                           "the blank carries.",
      "§3.2 (phôi)"},
     overlay_text_only},
    {{"cert.corners", "The decision and golden-book number stand bottom left, place, date "
                      "and signer bottom right.",
      "§3.2"},
     corners},
    {{"cert.seal.room", "35 to 40 mm separate the signer's title from the name, for the "
                        "signature and seal.",
      "§3.2"},
     seal_room},
    {{"cert.fixed.lines", "Lines that are not the recipient's stand at the same place on "
                          "every page of the batch.",
      "§3.2"},
     fixed_lines},
    {{"cert.date.form", "Dates read \"ngày DD tháng M năm YYYY\" (leading zero for days 1-9 "
                        "and months 1-2 only).",
      "§1.5, §6.5"},
     vb_ck_date_form},
    {{"cert.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"cert.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

const ck_ruleset vb_ck_certificate = {"certificate", state, sizeof state / sizeof state[0]};
const ck_ruleset vb_ck_certificate_party = {"certificate-party", party,
                                            sizeof party / sizeof party[0]};
const ck_ruleset vb_ck_certificate_overlay = {"certificate-overlay", overlay,
                                              sizeof overlay / sizeof overlay[0]};
