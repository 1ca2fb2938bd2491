/* rules-minutes.c - conformance stage: the rules of meeting minutes, state form
 * (nd30-minutes: NĐ 30/2020 Mẫu 1.9, spec §1) and party form (hd36-minutes:
 * HD 36-HD/VPTW, spec §2), as spec §6 lists them. Elements are found by the roles
 * layouts/bien-ban.yaml and layouts/bien-ban-dang.yaml put on them (README,
 * "Layouts"). Also the checks both minutes and certificates share (text). */
#include "conformance-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define A4_W (210 * CK_MM)
#define A4_H (297 * CK_MM)
#define EPS_MM 0.05 /* a measure in mm is compared after this much slack */

/* The figures that differ between the two forms. */
typedef struct form {
  bool party;
  double superior_lo, superior_hi, issuer_lo, issuer_hi, number_lo, number_hi;
  double type_lo, type_hi, summary_lo, summary_hi, body_lo, body_hi;
} form;

static const form ND30 = {false, 12, 13, 12, 13, 13, 13, 13, 14, 13, 14, 13, 14};
static const form HD36 = {true, 14, 14, 14, 14, 14, 14, 15, 16, 14, 15, 14, 15};

static bool within(double v, double lo, double hi, double eps) {
  return v >= lo - eps && v <= hi + eps;
}

static double mid_x(const ck_line *l) { return (l->x0 + l->x1) / 2; }
static double frame_mid(const ck_doc *d, unsigned page) {
  const ck_page *p = &d->pages[page - 1];
  return p->has_frame ? p->fx + p->fw / 2 : p->w / 2;
}

/* the first line of `role` on page 1 */
static const ck_line *on_page1(const ck_doc *d, const char *role) {
  const ck_line *l = ck_line_first(d, role);
  return l && l->page == 1 ? l : NULL;
}

/* A line's em size within [lo, hi] and its weight and slant as asked (-1: any). */
static bool font_ok(ck_ctx *c, const ck_doc *d, const ck_line *l, double lo, double hi,
                    int bold, int italic) {
  if (!within(l->size, lo, hi, 0.01) || !within(l->size_min, lo, hi, 0.01)) {
    ck_fail(c, d, l->page, l, "%s pt, allowed %s pt", ck_num(c, l->size, 1),
            ck_range(c, lo, hi, 0));
    return false;
  }
  if (bold >= 0 && l->bold != (bold > 0)) {
    ck_fail(c, d, l->page, l, "%s, allowed %s", l->bold ? "bold" : "regular weight",
            bold ? "bold" : "regular weight");
    return false;
  }
  if (italic >= 0 && l->italic != (italic > 0)) {
    ck_fail(c, d, l->page, l, "%s, allowed %s", l->italic ? "italic" : "upright",
            italic ? "italic" : "upright");
    return false;
  }
  return true;
}

/* ---- page */
static void page_size(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    if (fabs(pg->w - A4_W) > 0.5 * CK_MM || fabs(pg->h - A4_H) > 0.5 * CK_MM)
      ck_fail_at(c, d, p, "page", "%s x %s mm, allowed 210 x 297 mm (A4 portrait)",
                 ck_num(c, pg->w / CK_MM, 1), ck_num(c, pg->h / CK_MM, 1));
  }
}

/* roles that may sit in the top margin: the page number and the draft stamp */
static bool in_margin_role(const char *role) {
  return !strcmp(role, "page_number") || !strncmp(role, "draft", 5);
}

enum side { TOP, BOTTOM, LEFT, RIGHT };

/* The margin on one side: the frame's, or less where text or a box crosses it. */
static void margin(ck_ctx *c, const ck_doc *d, enum side s, double lo, double hi) {
  static const char *const names[] = {"top", "bottom", "left", "right"};
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    if (!pg->has_frame)
      continue;
    double edge[] = {pg->fy, pg->h - (pg->fy + pg->fh), pg->fx, pg->w - (pg->fx + pg->fw)};
    double m = edge[s];
    const ck_line *worst = NULL;
    for (size_t i = pg->line0; i < pg->line1; i++) {
      const ck_line *l = &d->lines[i];
      if (in_margin_role(l->role))
        continue;
      double v[] = {ck_line_top(l), pg->h - ck_line_bottom(l), l->x0, pg->w - l->x1};
      if (v[s] < m - 0.5) {
        m = v[s];
        worst = l;
      }
    }
    double mm = m / CK_MM;
    if (!within(mm, lo, hi, EPS_MM)) {
      if (worst)
        ck_fail(c, d, p, worst, "%s margin %s mm, allowed %s mm", names[s], ck_num(c, mm, 1),
                ck_range(c, lo, hi, 0));
      else
        ck_fail_at(c, d, p, "text frame", "%s margin %s mm, allowed %s mm", names[s],
                   ck_num(c, mm, 1), ck_range(c, lo, hi, 0));
      return;
    }
  }
}
static void margin_top(ck_ctx *c, const ck_doc *d) { margin(c, d, TOP, 20, 25); }
static void margin_bottom(ck_ctx *c, const ck_doc *d) { margin(c, d, BOTTOM, 20, 25); }
static void margin_left(ck_ctx *c, const ck_doc *d) { margin(c, d, LEFT, 30, 35); }
static void margin_right(ck_ctx *c, const ck_doc *d) { margin(c, d, RIGHT, 15, 20); }

static void font_family(ck_ctx *c, const ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!l->tnr) {
      ck_fail(c, d, l->page, l, "font '%s', allowed Times New Roman (or Liberation Serif, "
              "Tinos: its metrics)", l->font && l->font->read ? l->font->family : "?");
      return;
    }
  }
}

static void text_black(ck_ctx *c, const ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!l->black) {
      ck_fail(c, d, l->page, l, "colour #%02x%02x%02x, allowed black (#000000)",
              (unsigned)lrint(l->color.r * 255), (unsigned)lrint(l->color.g * 255),
              (unsigned)lrint(l->color.b * 255));
      return;
    }
  }
}

/* ---- text: shared with certificates and bulletins (spec §5.2, §5.3, §6.10) */

void vb_ck_text_nfc(ck_ctx *c, const ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    size_t len = strlen(l->text), n;
    if (vb_utf8_surely_nfc(l->text, len))
      continue;
    char *nfc = vb_utf8_nfc(l->text, len, &n);
    bool same = n == len && !memcmp(nfc, l->text, len);
    free(nfc);
    if (!same) {
      ck_fail(c, d, l->page, l, "text not in NFC (decomposed letters), allowed NFC only");
      return;
    }
  }
}

void vb_ck_text_dstroke(ck_ctx *c, const ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (strstr(l->text, "\xC3\x90")) {
      ck_fail(c, d, l->page, l, "U+00D0 (Ð, eth), allowed U+0110 (Đ)");
      return;
    }
  }
}

/* "ngày DD tháng M(M) năm YYYY": day zero-padded below 10, month only for 1-2 (§1.5) */
void vb_ck_date_form(ck_ctx *c, const ck_doc *d) {
  GRegex *re = g_regex_new("ngày ([0-9]+) tháng ([0-9]+) năm ([0-9]+)", G_REGEX_OPTIMIZE, 0,
                           NULL);
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    GMatchInfo *mi;
    g_regex_match(re, l->text, 0, &mi);
    bool bad = false;
    while (g_match_info_matches(mi) && !bad) {
      char *dd = g_match_info_fetch(mi, 1), *mo = g_match_info_fetch(mi, 2),
           *yy = g_match_info_fetch(mi, 3);
      long day = strtol(dd, NULL, 10), month = strtol(mo, NULL, 10);
      const char *why = NULL;
      if (day < 1 || day > 31 || month < 1 || month > 12 || strlen(yy) != 4)
        why = "not a date";
      else if (strlen(dd) != 2)
        why = "the day has two digits (05, 12)";
      else if (month <= 2 ? strlen(mo) != 2 : mo[0] == '0')
        why = "the month has a leading zero for 1 and 2 only (01, 02, 3 ... 12)";
      if (why) {
        char *all = g_match_info_fetch(mi, 0);
        ck_fail(c, d, l->page, l, "'%s', allowed 'ngày DD tháng M năm YYYY': %s", all, why);
        g_free(all);
        bad = true;
      }
      g_free(dd);
      g_free(mo);
      g_free(yy);
      g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    if (bad)
      break;
  }
  g_regex_unref(re);
}

/* ---- header */
static void superior_font(ck_ctx *c, const ck_doc *d, const form *f) {
  GPtrArray *a = ck_lines(d, 1, "superior");
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (!font_ok(c, d, l, f->superior_lo, f->superior_hi, 0, 0))
      break;
    if (!ck_is_upper(l->text)) {
      ck_fail(c, d, l->page, l, "lower-case letters, allowed capitals only");
      break;
    }
  }
  g_ptr_array_free(a, TRUE);
}

static void issuer_font(ck_ctx *c, const ck_doc *d, const form *f) {
  GPtrArray *a = ck_lines(d, 1, "issuer");
  if (!a->len)
    ck_fail_at(c, d, 1, "issuer", "no issuing body, allowed: one at the top left");
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (!font_ok(c, d, l, f->issuer_lo, f->issuer_hi, 1, 0))
      break;
    if (!ck_is_upper(l->text)) {
      ck_fail(c, d, l->page, l, "lower-case letters, allowed capitals only");
      break;
    }
  }
  g_ptr_array_free(a, TRUE);
}

/* the issuing body's block: its widest line, and its centre */
static const ck_line *issuer_widest(const ck_doc *d, double *x0, double *x1,
                                    const ck_line **last) {
  GPtrArray *a = ck_lines(d, 1, "issuer");
  const ck_line *w = NULL;
  *last = NULL;
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (!w || l->x1 - l->x0 > w->x1 - w->x0)
      w = l;
    *last = l;
  }
  g_ptr_array_free(a, TRUE);
  if (w)
    *x0 = w->x0, *x1 = w->x1;
  return w;
}

/* A rule of `role` under line `above`: length within [lo, hi] × the reference
 * width `ref` (or exactly `ref` when lo == hi == 1), centred on [rx0, rx1]. */
static void rule_under(ck_ctx *c, const ck_doc *d, const char *role, const ck_line *above,
                       double rx0, double rx1, double lo, double hi) {
  const ck_rect *r = ck_rect_first(d, role);
  if (!above)
    return; /* the element's own rule reports it missing */
  if (!r || r->page != above->page) {
    ck_fail(c, d, above->page, above, "no rule (role %s) under it", role);
    return;
  }
  double ref = rx1 - rx0, w = r->w;
  if (lo == 1 && hi == 1) {
    if (fabs(w - ref) > 0.3 * CK_MM) {
      ck_fail_at(c, d, r->page, role, "rule %s mm long, allowed %s mm (the length of %s)",
                 ck_num(c, w / CK_MM, 1), ck_num(c, ref / CK_MM, 1), ck_short(c, above->text));
      return;
    }
  } else if (!within(w / ref, lo, hi, 0.005)) {
    ck_fail_at(c, d, r->page, role,
               "rule %s mm long, %s of the line's %s mm, allowed 1/3-1/2 (%s-%s mm)",
               ck_num(c, w / CK_MM, 1), ck_num(c, w / ref, 2), ck_num(c, ref / CK_MM, 1),
               ck_num(c, ref * lo / CK_MM, 1), ck_num(c, ref * hi / CK_MM, 1));
    return;
  }
  double off = (r->x + w / 2) - (rx0 + rx1) / 2;
  if (fabs(off) > 0.5 * CK_MM) {
    ck_fail_at(c, d, r->page, role, "rule centre %s mm off the text's centre, allowed 0.5 mm",
               ck_num(c, off / CK_MM, 1));
    return;
  }
  if (r->y < above->y - 0.5 || r->y > ck_line_bottom(above) + above->size) {
    ck_fail_at(c, d, r->page, role, "rule %s mm below the baseline of %s, allowed right "
               "under it (within one line)", ck_num(c, (r->y - above->y) / CK_MM, 1),
               ck_short(c, above->text));
  }
}

static void issuer_rule(ck_ctx *c, const ck_doc *d) {
  double x0, x1;
  const ck_line *last;
  if (issuer_widest(d, &x0, &x1, &last))
    rule_under(c, d, "issuer.rule", last, x0, x1, 1.0 / 3, 0.5);
  else
    ck_fail_at(c, d, 1, "issuer", "no issuing body to draw the rule under");
}

static void issuer_star(ck_ctx *c, const ck_doc *d) {
  double x0, x1;
  const ck_line *last;
  const ck_line *s = on_page1(d, "issuer.star");
  if (!issuer_widest(d, &x0, &x1, &last)) {
    ck_fail_at(c, d, 1, "issuer", "no issuing body to set the asterisk under");
    return;
  }
  if (!s || !strstr(s->text, "*")) {
    ck_fail(c, d, 1, last, "no centred \"*\" under the issuing body");
    return;
  }
  double off = mid_x(s) - (x0 + x1) / 2;
  if (s->y <= last->y || fabs(off) > 1 * CK_MM)
    ck_fail(c, d, 1, s, "%s mm off the issuing body's centre%s, allowed under it, within 1 mm",
            ck_num(c, off / CK_MM, 1), s->y <= last->y ? " and not below it" : "");
}

static void number_font(ck_ctx *c, const ck_doc *d, const form *f) {
  const ck_line *l = on_page1(d, "number");
  if (!l)
    ck_fail_at(c, d, 1, "number", "no number line (\"Số\"), allowed one under the issuing body");
  else
    font_ok(c, d, l, f->number_lo, f->number_hi, 0, 0);
}

static void number_form(ck_ctx *c, const ck_doc *d, const form *f) {
  const ck_line *l = on_page1(d, "number");
  if (!l) {
    ck_fail_at(c, d, 1, "number", "no number line");
    return;
  }
  /* a number below 10 with its leading zero, or blank for the registry clerk */
  const char *re =
      f->party ? "^Số[ \\x{00A0}](0[1-9]|[1-9][0-9]+|[ \\x{00A0}]+)-BB/[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$"
               : "^Số:[ \\x{00A0}](0[1-9]|[1-9][0-9]+|[ \\x{00A0}]+)/BB-[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$";
  if (!ck_match(re, l->text))
    ck_fail(c, d, 1, l, "allowed %s",
            f->party ? "'Số NN-BB/XX': no colon, a hyphen before BB, a slash before the "
                       "issuer (Số 05-BB/ĐU)"
                     : "'Số: NN/BB-XXX': a colon, a slash before BB, a hyphen before the "
                       "issuer, no spaces (Số: 05/BB-UBND)");
}

static void number_position(ck_ctx *c, const ck_doc *d) {
  double x0, x1;
  const ck_line *last, *l = on_page1(d, "number");
  if (!l || !issuer_widest(d, &x0, &x1, &last))
    return; /* number.font and issuer.font report what is missing */
  double off = mid_x(l) - (x0 + x1) / 2;
  if (l->y <= last->y || fabs(off) > 1 * CK_MM)
    ck_fail(c, d, 1, l, "centre %s mm off the issuing body's, allowed under it, within 1 mm",
            ck_num(c, off / CK_MM, 1));
}

static void header_no_date(ck_ctx *c, const ck_doc *d) {
  const ck_line *t = on_page1(d, "doc_type");
  if (!d->npages)
    return;
  const ck_page *p = &d->pages[0];
  for (size_t i = p->line0; i < p->line1; i++) {
    const ck_line *l = &d->lines[i];
    if (t && l->y >= t->y)
      continue;
    if (ck_match("ngày [0-9. …]+ tháng|, ngày ", l->text)) {
      ck_fail(c, d, 1, l, "a place and date line in the header, allowed none (the time is "
              "stated in the body)");
      return;
    }
  }
}

static void quoc_hieu_text(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "quoc_hieu");
  if (!l) {
    ck_fail_at(c, d, 1, "quoc_hieu", "no Quốc hiệu, allowed one at the top right of page 1");
    return;
  }
  if (strcmp(l->text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") &&
      strcmp(l->text, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    ck_fail(c, d, 1, l, "allowed \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\" in capitals");
  else if (mid_x(l) <= frame_mid(d, 1))
    ck_fail(c, d, 1, l, "centre %s mm from the left edge, allowed the right half of the page",
            ck_num(c, mid_x(l) / CK_MM, 1));
}

static void quoc_hieu_font(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "quoc_hieu");
  if (l)
    font_ok(c, d, l, 12, 13, 1, 0);
  else
    ck_fail_at(c, d, 1, "quoc_hieu", "no Quốc hiệu");
}

static void tieu_ngu_text(ck_ctx *c, const ck_doc *d) {
  const ck_line *q = on_page1(d, "quoc_hieu"), *l = on_page1(d, "tieu_ngu");
  if (!l) {
    ck_fail_at(c, d, 1, "tieu_ngu", "no Tiêu ngữ, allowed one under the Quốc hiệu");
    return;
  }
  if (strcmp(l->text, "Độc lập - Tự do - Hạnh phúc"))
    ck_fail(c, d, 1, l, "allowed \"Độc lập - Tự do - Hạnh phúc\" (spaced hyphens)");
  else if (q && (l->y <= q->y || fabs(mid_x(l) - mid_x(q)) > 1 * CK_MM))
    ck_fail(c, d, 1, l, "centre %s mm off the Quốc hiệu's, allowed under it, within 1 mm",
            ck_num(c, (mid_x(l) - mid_x(q)) / CK_MM, 1));
}

static void tieu_ngu_font(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "tieu_ngu");
  if (l)
    font_ok(c, d, l, 13, 14, 1, 0);
  else
    ck_fail_at(c, d, 1, "tieu_ngu", "no Tiêu ngữ");
}

static void tieu_ngu_rule(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "tieu_ngu");
  if (l)
    rule_under(c, d, "tieu_ngu.rule", l, l->x0, l->x1, 1, 1);
  else
    ck_fail_at(c, d, 1, "tieu_ngu", "no Tiêu ngữ to draw the rule under");
}

static void heading_text(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "party_heading");
  if (!l) {
    ck_fail_at(c, d, 1, "party_heading",
               "no \"ĐẢNG CỘNG SẢN VIỆT NAM\", allowed one at the top right of page 1");
    return;
  }
  if (strcmp(l->text, "ĐẢNG CỘNG SẢN VIỆT NAM"))
    ck_fail(c, d, 1, l, "allowed \"ĐẢNG CỘNG SẢN VIỆT NAM\"");
  else if (mid_x(l) <= frame_mid(d, 1))
    ck_fail(c, d, 1, l, "centre %s mm from the left edge, allowed the right half of the page",
            ck_num(c, mid_x(l) / CK_MM, 1));
}

static void heading_font(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "party_heading");
  if (l)
    font_ok(c, d, l, 15, 15, 1, 0);
  else
    ck_fail_at(c, d, 1, "party_heading", "no Party heading");
}

static void heading_rule(ck_ctx *c, const ck_doc *d) {
  const ck_line *l = on_page1(d, "party_heading");
  if (l)
    rule_under(c, d, "party_heading.rule", l, l->x0, l->x1, 1, 1);
  else
    ck_fail_at(c, d, 1, "party_heading", "no Party heading to draw the rule under");
}

/* ---- title */
static void centred_on_frame(ck_ctx *c, const ck_doc *d, const ck_line *l) {
  double off = mid_x(l) - frame_mid(d, l->page);
  if (fabs(off) > 1 * CK_MM)
    ck_fail(c, d, l->page, l, "centre %s mm off the text frame's, allowed 1 mm",
            ck_num(c, off / CK_MM, 1));
}

static void title_type(ck_ctx *c, const ck_doc *d, const form *f) {
  const ck_line *l = on_page1(d, "doc_type");
  if (!l) {
    ck_fail_at(c, d, 1, "doc_type", "no \"BIÊN BẢN\" title on page 1");
    return;
  }
  if (strcmp(l->text, "BIÊN BẢN")) {
    ck_fail(c, d, 1, l, "allowed \"BIÊN BẢN\"");
    return;
  }
  if (font_ok(c, d, l, f->type_lo, f->type_hi, 1, 0))
    centred_on_frame(c, d, l);
}

static void title_summary(ck_ctx *c, const ck_doc *d, const form *f) {
  GPtrArray *a = ck_lines(d, 1, "summary");
  if (!a->len)
    ck_fail_at(c, d, 1, "summary", "no meeting name under \"BIÊN BẢN\"");
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (!font_ok(c, d, l, f->summary_lo, f->summary_hi, 1, 0))
      break;
    centred_on_frame(c, d, l);
  }
  g_ptr_array_free(a, TRUE);
}

static void summary_rule(ck_ctx *c, const ck_doc *d) {
  GPtrArray *a = ck_lines(d, 1, "summary");
  const ck_line *w = NULL;
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (!w || l->x1 - l->x0 > w->x1 - w->x0)
      w = l;
  }
  const ck_line *last = a->len ? a->pdata[a->len - 1] : NULL;
  g_ptr_array_free(a, TRUE);
  if (w)
    rule_under(c, d, "summary.rule", last, w->x0, w->x1, 1.0 / 3, 0.5);
  else
    ck_fail_at(c, d, 1, "summary", "no meeting name to draw the rule under");
}

/* ---- page numbers */
static void page_number_first(ck_ctx *c, const ck_doc *d) {
  GPtrArray *a = ck_lines(d, 1, "page_number");
  if (a->len)
    ck_fail(c, d, 1, a->pdata[0], "a page number on page 1, allowed none");
  else if (d->npages) {
    /* a number drawn under another role: a lone figure "1" in the top margin */
    const ck_page *p = &d->pages[0];
    for (size_t i = p->line0; i < p->line1; i++) {
      const ck_line *l = &d->lines[i];
      if (p->has_frame && l->y < p->fy && ck_match("^[0-9]+$", l->text)) {
        ck_fail(c, d, 1, l, "a page number on page 1, allowed none");
        break;
      }
    }
  }
  g_ptr_array_free(a, TRUE);
}

static void page_number_form(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 2; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    GPtrArray *a = ck_lines(d, p, "page_number");
    const ck_line *l = a->len == 1 ? a->pdata[0] : NULL;
    g_ptr_array_free(a, TRUE);
    char want[16];
    snprintf(want, sizeof want, "%u", p);
    if (!l) {
      ck_fail_at(c, d, p, "page_number", "no page number, allowed \"%s\" centred in the top "
                 "margin", want);
      return;
    }
    if (strcmp(l->text, want)) {
      ck_fail(c, d, p, l, "allowed \"%s\"", want);
      return;
    }
    if (!font_ok(c, d, l, 13, 14, -1, 0))
      return;
    if (pg->has_frame && (ck_line_bottom(l) > pg->fy + 0.5 || ck_line_top(l) < 0)) {
      ck_fail(c, d, p, l, "baseline %s mm from the top, allowed inside the top margin "
              "(above %s mm)", ck_num(c, l->y / CK_MM, 1), ck_num(c, pg->fy / CK_MM, 1));
      return;
    }
    double off = mid_x(l) - frame_mid(d, p);
    if (fabs(off) > 1 * CK_MM) {
      ck_fail(c, d, p, l, "centre %s mm off the text frame's, allowed 1 mm",
              ck_num(c, off / CK_MM, 1));
      return;
    }
  }
}

/* ---- body */
static bool body_role(const char *r) { return !strcmp(r, "body") || !strcmp(r, "closing"); }

static void body_font(ck_ctx *c, const ck_doc *d, const form *f) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (body_role(l->role) && !font_ok(c, d, l, f->body_lo, f->body_hi, -1, -1))
      return;
  }
}

/* a body line starts at the frame, or 1 to 1.27 cm in (the first line of a paragraph) */
static int line_start(const ck_doc *d, const ck_line *l) {
  const ck_page *p = &d->pages[l->page - 1];
  double in = l->x0 - p->fx;
  if (fabs(in) < 0.6)
    return 0;
  if (in > 10 * CK_MM - 0.6 && in < 12.7 * CK_MM + 0.6)
    return 1;
  return -1;
}

static void body_indent(ck_ctx *c, const ck_doc *d) {
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!body_role(l->role) || !d->pages[l->page - 1].has_frame)
      continue;
    if (line_start(d, l) < 0) {
      ck_fail(c, d, l->page, l, "starts %s mm right of the text frame, allowed 0 or 10-12.7 "
              "mm (first-line indent 1-1.27 cm)",
              ck_num(c, (l->x0 - d->pages[l->page - 1].fx) / CK_MM, 1));
      return;
    }
  }
}

/* The line pitch inside paragraphs (the commonest baseline step), and the check of
 * the space between paragraphs (at least 6 pt) or of the line spacing (1.0-1.5). */
static void body_spacing(ck_ctx *c, const ck_doc *d, bool leading) {
  GHashTable *steps = g_hash_table_new(g_direct_hash, g_direct_equal);
  const ck_line *prev = NULL;
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!body_role(l->role) || !d->pages[l->page - 1].has_frame)
      continue;
    if (prev && prev->page == l->page && line_start(d, l) == 0 && l->y > prev->y) {
      int k = (int)lrint((l->y - prev->y) * 100);
      g_hash_table_insert(steps, GINT_TO_POINTER(k),
                          GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(steps,
                                                                               GINT_TO_POINTER(k))) +
                                          1));
    }
    prev = l;
  }
  int best = 0, bestn = 0;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, steps);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (GPOINTER_TO_INT(v) > bestn || (GPOINTER_TO_INT(v) == bestn && GPOINTER_TO_INT(k) < best))
      best = GPOINTER_TO_INT(k), bestn = GPOINTER_TO_INT(v);
  g_hash_table_destroy(steps);
  const ck_line *first = NULL;
  for (size_t i = 0; i < d->nlines && !first; i++)
    if (body_role(d->lines[i].role))
      first = &d->lines[i];
  if (!first)
    return;
  double natural = first->font && first->font->read
                       ? (first->font->asc - first->font->desc) * first->size
                       : 1.15 * first->size;
  double pitch = bestn ? best / 100.0 : natural;
  if (leading) {
    double ratio = pitch / natural;
    if (!within(ratio, 1.0, 1.5, 0.02))
      ck_fail(c, d, first->page, first, "line spacing %s (baseline step %s pt), allowed "
              "1.0-1.5 lines", ck_num(c, ratio, 2), ck_num(c, pitch, 2));
    return;
  }
  prev = NULL;
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (!body_role(l->role) || !d->pages[l->page - 1].has_frame)
      continue;
    if (prev && prev->page == l->page && line_start(d, l) == 1) {
      double gap = l->y - prev->y - pitch;
      if (gap < 6 - 0.05) {
        ck_fail(c, d, l->page, l, "%s pt before the paragraph, allowed at least 6 pt",
                ck_num(c, gap, 2));
        return;
      }
    }
    prev = l;
  }
}
static void body_paragraphs(ck_ctx *c, const ck_doc *d) { body_spacing(c, d, false); }
static void body_leading(ck_ctx *c, const ck_doc *d) { body_spacing(c, d, true); }

static void closing_form(ck_ctx *c, const ck_doc *d, const form *f) {
  GPtrArray *a = ck_lines(d, 0, "closing");
  if (!a->len) {
    ck_fail_at(c, d, 0, "closing", "no closing line (\"... kết thúc vào ...\")");
    g_ptr_array_free(a, TRUE);
    return;
  }
  vb_strbuf sb = VB_STRBUF_INIT;
  for (guint i = 0; i < a->len; i++) {
    const ck_line *l = a->pdata[i];
    if (i)
      vb_strbuf_putc(&sb, ' ');
    vb_strbuf_puts(&sb, l->text);
  }
  const ck_line *l0 = a->pdata[0];
  const char *t = vb_strbuf_cstr(&sb);
  const char *end = f->party ? "\\.$" : "\\./\\.$";
  char *re = g_strdup_printf("kết thúc vào .*giờ.*ngày .*tháng .*năm .*%s", end);
  if (!ck_match(re, t) || (f->party && g_str_has_suffix(t, "./.")))
    ck_fail(c, d, l0->page, l0, "allowed \"... kết thúc vào HH giờ MM phút, ngày DD tháng "
            "MM năm YYYY%s\"", f->party ? ".\" (a party text ends with \".\")" : "./.\"");
  g_free(re);
  vb_strbuf_free(&sb);
  g_ptr_array_free(a, TRUE);
}

/* ---- signatures */
static void signature_columns(ck_ctx *c, const ck_doc *d, const form *f) {
  GPtrArray *a = ck_lines(d, 0, "signature.title");
  const ck_line *l = a->len >= 1 ? a->pdata[0] : NULL, *r = a->len >= 2 ? a->pdata[1] : NULL;
  guint n = a->len;
  g_ptr_array_free(a, TRUE);
  if (n != 2) {
    ck_fail_at(c, d, 0, "signature.title", "%u signature titles, allowed two columns", n);
    return;
  }
  if (mid_x(l) > mid_x(r)) {
    const ck_line *t = l;
    l = r, r = t;
  }
  double m = frame_mid(d, l->page);
  if (l->page != r->page || fabs(l->y - r->y) > 0.5 || mid_x(l) >= m || mid_x(r) <= m) {
    ck_fail(c, d, r->page, r, "not in two columns on one baseline (left centre %s mm, right "
            "%s mm, the frame's middle %s mm)", ck_num(c, mid_x(l) / CK_MM, 1),
            ck_num(c, mid_x(r) / CK_MM, 1), ck_num(c, m / CK_MM, 1));
    return;
  }
  if (!f->party && strcmp(l->text, "THƯ KÝ"))
    ck_fail(c, d, l->page, l, "allowed \"THƯ KÝ\" in the left column");
  else if (!f->party && strcmp(r->text, "CHỦ TỌA") && strcmp(r->text, "CHỦ TOẠ"))
    ck_fail(c, d, r->page, r, "allowed \"CHỦ TỌA\" in the right column");
  else if (font_ok(c, d, l, 13, 14, 1, 0) && font_ok(c, d, r, 13, 14, 1, 0)) {
    if (!ck_is_upper(l->text) || !ck_is_upper(r->text))
      ck_fail(c, d, l->page, ck_is_upper(l->text) ? r : l,
              "lower-case letters, allowed capitals only");
  }
}

static void signature_names(ck_ctx *c, const ck_doc *d) {
  GPtrArray *t = ck_lines(d, 0, "signature.title"), *n = ck_lines(d, 0, "signature.name");
  if (n->len != t->len || !n->len)
    ck_fail_at(c, d, 0, "signature.name", "%u names for %u signature titles, allowed one "
               "under each", n->len, t->len);
  else
    for (guint i = 0; i < n->len; i++) {
      const ck_line *nm = n->pdata[i];
      const ck_line *best = NULL;
      for (guint k = 0; k < t->len; k++) {
        const ck_line *tt = t->pdata[k];
        if (!best || fabs(mid_x(tt) - mid_x(nm)) < fabs(mid_x(best) - mid_x(nm)))
          best = tt;
      }
      if (!font_ok(c, d, nm, 13, 14, 1, 0))
        break;
      double off = mid_x(nm) - mid_x(best);
      if (nm->page != best->page || nm->y <= best->y || fabs(off) > 1.5 * CK_MM) {
        ck_fail(c, d, nm->page, nm, "centre %s mm off its title's %s, allowed under it, "
                "within 1.5 mm", ck_num(c, off / CK_MM, 1), ck_short(c, best->text));
        break;
      }
    }
  g_ptr_array_free(t, TRUE);
  g_ptr_array_free(n, TRUE);
}

static void signature_together(ck_ctx *c, const ck_doc *d) {
  unsigned page = 0;
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (strncmp(l->role, "signature.", 10) && strcmp(l->role, "closing"))
      continue;
    if (!page)
      page = l->page;
    else if (l->page != page) {
      ck_fail(c, d, l->page, l, "on page %u, the block began on page %u; allowed: the "
              "closing line and the whole signature block on one page", l->page, page);
      return;
    }
  }
}

/* ---- Nơi nhận */
typedef struct entry {
  const ck_line *first;
  vb_strbuf text;
} entry;

/* the recipients' entries: a line starting "-" begins one, others continue it */
static GArray *entries(const ck_doc *d) {
  GArray *e = g_array_new(FALSE, TRUE, sizeof(entry));
  for (size_t i = 0; i < d->nlines; i++) {
    const ck_line *l = &d->lines[i];
    if (strcmp(l->role, "recipients.item"))
      continue;
    if (l->text[0] == '-' || !e->len) {
      entry n = {l, VB_STRBUF_INIT};
      g_array_append_val(e, n);
    } else
      vb_strbuf_putc(&g_array_index(e, entry, e->len - 1).text, ' ');
    vb_strbuf_puts(&g_array_index(e, entry, e->len - 1).text, l->text);
  }
  return e;
}
static void entries_free(GArray *e) {
  for (guint i = 0; i < e->len; i++)
    vb_strbuf_free(&g_array_index(e, entry, i).text);
  g_array_free(e, TRUE);
}

static void recipients_label(ck_ctx *c, const ck_doc *d, const form *f) {
  const ck_line *l = ck_line_first(d, "recipients.label");
  if (!l) {
    ck_fail_at(c, d, 0, "recipients.label", "no \"Nơi nhận\" label");
    return;
  }
  if (f->party) {
    if (strncmp(l->text, "Nơi nhận", strlen("Nơi nhận")))
      ck_fail(c, d, l->page, l, "allowed \"Nơi nhận\"");
    else if (font_ok(c, d, l, 14, 14, -1, 0)) {
      const ck_rect *r = ck_rect_first(d, "recipients.rule");
      if (!r || r->page != l->page || r->y < l->y - 0.5 || r->y > ck_line_bottom(l) + 2)
        ck_fail(c, d, l->page, l, "not underlined, allowed underlined (a rule under it)");
    }
  } else if (strcmp(l->text, "Nơi nhận:"))
    ck_fail(c, d, l->page, l, "allowed \"Nơi nhận:\"");
  else if (!font_ok(c, d, l, 12, 12, 1, 1))
    return;
  const ck_page *p = &d->pages[l->page - 1];
  if (p->has_frame && fabs(l->x0 - p->fx) > 0.6)
    ck_fail(c, d, l->page, l, "starts %s mm right of the text frame, allowed flush left",
            ck_num(c, (l->x0 - p->fx) / CK_MM, 1));
}

static void recipients_items(ck_ctx *c, const ck_doc *d, const form *f) {
  GArray *e = entries(d);
  if (!e->len)
    ck_fail_at(c, d, 0, "recipients.item", "no entries under \"Nơi nhận\"");
  for (guint i = 0; i < e->len; i++) {
    const entry *en = &g_array_index(e, entry, i);
    const ck_line *l = en->first;
    const char *t = vb_strbuf_cstr(&en->text);
    const ck_page *p = &d->pages[l->page - 1];
    if (!font_ok(c, d, l, f->party ? 12 : 11, f->party ? 12 : 11, -1, 0))
      break;
    if (strncmp(t, "- ", 2) || (p->has_frame && fabs(l->x0 - p->fx) > 0.6)) {
      ck_fail(c, d, l->page, l, "allowed \"- \" at the left margin");
      break;
    }
    bool last = i + 1 == e->len;
    if (!f->party && !g_str_has_suffix(t, last ? "." : ";")) {
      ck_fail(c, d, l->page, l, "allowed an entry ending in \"%s\"", last ? "." : ";");
      break;
    }
  }
  entries_free(e);
}

static void recipients_last(ck_ctx *c, const ck_doc *d, const form *f) {
  GArray *e = entries(d);
  if (!e->len)
    ck_fail_at(c, d, 0, "recipients.item", "no entries, allowed a last one \"- Lưu%s ...\"",
               f->party ? "" : ": VT,");
  else {
    const entry *en = &g_array_index(e, entry, e->len - 1);
    const char *t = vb_strbuf_cstr(&en->text);
    bool ok = f->party ? g_str_has_prefix(t, "- Lưu ") && !strchr(t, ':')
                       : ck_match("^- Lưu: VT(,|\\.| )", t);
    if (!ok)
      ck_fail(c, d, en->first->page, en->first, "last entry %s, allowed %s", ck_short(c, t),
              f->party ? "\"- Lưu Văn phòng ...\" (no colon, no VT)" : "\"- Lưu: VT, ...\"");
  }
  entries_free(e);
}

/* ---- the two rule sets */
#define BOTH(name)                                                                       \
  static void nd30_##name(ck_ctx *c, const ck_doc *d) { name(c, d, &ND30); }             \
  static void hd36_##name(ck_ctx *c, const ck_doc *d) { name(c, d, &HD36); }
BOTH(superior_font)
BOTH(issuer_font)
BOTH(number_font)
BOTH(number_form)
BOTH(title_type)
BOTH(title_summary)
BOTH(body_font)
BOTH(closing_form)
BOTH(signature_columns)
BOTH(recipients_label)
BOTH(recipients_items)
BOTH(recipients_last)

static const ck_rule nd30[] = {
    {{"nd30.page.size", "Every page is A4 portrait, 210 x 297 mm.", "§1.1, §6.1"}, page_size},
    {{"nd30.margin.top", "The top margin is 20 to 25 mm.", "§1.1, §6.1"}, margin_top},
    {{"nd30.margin.bottom", "The bottom margin is 20 to 25 mm.", "§1.1, §6.1"}, margin_bottom},
    {{"nd30.margin.left", "The left margin is 30 to 35 mm.", "§1.1, §6.1"}, margin_left},
    {{"nd30.margin.right", "The right margin is 15 to 20 mm.", "§1.1, §6.1"}, margin_right},
    {{"nd30.font.family", "All text is in Times New Roman (or a face with its metrics).",
      "§1.1, §1.10, §6.1"},
     font_family},
    {{"nd30.text.black", "All text is black.", "§1.1, §6.1"}, text_black},
    {{"nd30.quoc_hieu.text",
      "Page 1 shows the Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\" at the top right.",
      "§1.2 ô 1, §1.7"},
     quoc_hieu_text},
    {{"nd30.quoc_hieu.font", "The Quốc hiệu is bold upright 12 to 13 pt.", "§1.2 ô 1, §6.3"},
     quoc_hieu_font},
    {{"nd30.tieu_ngu.text", "The Tiêu ngữ \"Độc lập - Tự do - Hạnh phúc\" is centred under "
                            "the Quốc hiệu.",
      "§1.2 ô 1"},
     tieu_ngu_text},
    {{"nd30.tieu_ngu.font", "The Tiêu ngữ is bold upright 13 to 14 pt.", "§1.2 ô 1, §6.3"},
     tieu_ngu_font},
    {{"nd30.tieu_ngu.rule", "A solid rule under the Tiêu ngữ is exactly as long as its text.",
      "§1.2 ô 1, §6.3"},
     tieu_ngu_rule},
    {{"nd30.superior.font", "The superior body is in capitals, regular upright 12 to 13 pt.",
      "§1.2 ô 2"},
     nd30_superior_font},
    {{"nd30.issuer.font", "The issuing body is in capitals, bold upright 12 to 13 pt.",
      "§1.2 ô 2, §6.3"},
     nd30_issuer_font},
    {{"nd30.issuer.rule", "A centred rule under the issuing body is 1/3 to 1/2 of its line.",
      "§1.2 ô 2, §6.3"},
     issuer_rule},
    {{"nd30.number.font", "The number line is 13 pt upright.", "§1.2 ô 3, §6.4"},
     nd30_number_font},
    {{"nd30.number.form", "The number reads \"Số: NN/BB-XXX\" (leading zero below 10, no "
                          "spaces in the symbol) or leaves NN blank.",
      "§1.4, §6.4"},
     nd30_number_form},
    {{"nd30.number.position", "The number is centred under the issuing body.", "§1.2 ô 3"},
     number_position},
    {{"nd30.header.no_date", "The header of a biên bản has no place and date line.",
      "§1.8, §6.5"},
     header_no_date},
    {{"nd30.title.type", "\"BIÊN BẢN\" is bold 13 to 14 pt, centred.", "§1.2 ô 5a, §1.8"},
     nd30_title_type},
    {{"nd30.title.summary", "The meeting name is bold 13 to 14 pt, centred.",
      "§1.2 ô 5a, §1.8"},
     nd30_title_summary},
    {{"nd30.summary.rule", "A centred rule under the meeting name is 1/3 to 1/2 of its line.",
      "§1.2 ô 5a"},
     summary_rule},
    {{"nd30.page_number.first", "Page 1 shows no page number.", "§1.1, §6.2"},
     page_number_first},
    {{"nd30.page_number.form", "From page 2 each page shows its number, 13 to 14 pt upright, "
                               "centred in the top margin.",
      "§1.1, §6.2"},
     page_number_form},
    {{"nd30.body.font", "The body text is 13 to 14 pt.", "§1.2 ô 6, §6.6"}, nd30_body_font},
    {{"nd30.body.indent", "Body lines start at the margin, first lines 1 to 1.27 cm in.",
      "§1.3, §6.6"},
     body_indent},
    {{"nd30.body.paragraphs", "Paragraphs are at least 6 pt apart.", "§1.3, §6.6"},
     body_paragraphs},
    {{"nd30.body.leading", "Line spacing is single to 1.5 lines.", "§1.3, §6.6"},
     body_leading},
    {{"nd30.date.form", "Dates read \"ngày DD tháng M năm YYYY\" (leading zero for days 1-9 "
                        "and months 1-2 only).",
      "§1.5, §6.5"},
     vb_ck_date_form},
    {{"nd30.closing.form", "The closing line gives the end time and date and ends with "
                           "\"./.\".",
      "§1.3, §1.8"},
     nd30_closing_form},
    {{"nd30.signature.columns", "Signatures stand in two columns, \"THƯ KÝ\" left and "
                                "\"CHỦ TỌA\" right, capitals bold 13 to 14 pt, on one "
                                "baseline.",
      "§1.8, §6.7"},
     nd30_signature_columns},
    {{"nd30.signature.names", "Each signer's name is bold 13 to 14 pt, centred under the "
                              "title.",
      "§1.2 ô 7b, §1.8, §6.7"},
     signature_names},
    {{"nd30.signature.together", "The closing line and the signature block share one page.",
      "§1.8"},
     signature_together},
    {{"nd30.recipients.label", "\"Nơi nhận:\" is bold italic 12 pt, flush left.",
      "§1.2 ô 9b, §6.8"},
     nd30_recipients_label},
    {{"nd30.recipients.items", "Nơi nhận entries are 11 pt, each \"- \" at the left margin "
                               "ending \";\", the last \".\".",
      "§1.2 ô 9b, §6.8"},
     nd30_recipients_items},
    {{"nd30.recipients.last", "The last Nơi nhận entry is \"- Lưu: VT, ...\".",
      "§1.2 ô 9b, §1.8, §6.8"},
     nd30_recipients_last},
    {{"nd30.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"nd30.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

static const ck_rule hd36[] = {
    {{"hd36.page.size", "Every page is A4 portrait, 210 x 297 mm.", "§2.1"}, page_size},
    {{"hd36.margin.top", "The top margin is 20 to 25 mm (common practice).", "§2.2"},
     margin_top},
    {{"hd36.margin.bottom", "The bottom margin is 20 to 25 mm (common practice).", "§2.2"},
     margin_bottom},
    {{"hd36.margin.left", "The left margin is 30 to 35 mm (common practice).", "§2.2"},
     margin_left},
    {{"hd36.margin.right", "The right margin is 15 to 20 mm (common practice).", "§2.2"},
     margin_right},
    {{"hd36.font.family", "All text is in Times New Roman (or a face with its metrics).",
      "§2.1, §1.10"},
     font_family},
    {{"hd36.heading.text",
      "Page 1 shows \"ĐẢNG CỘNG SẢN VIỆT NAM\" at the top right.", "§2.1"},
     heading_text},
    {{"hd36.heading.font", "The Party heading is bold upright 15 pt.", "§2.1"}, heading_font},
    {{"hd36.heading.rule", "A solid rule under the Party heading is exactly as long as it.",
      "§2.1"},
     heading_rule},
    {{"hd36.superior.font", "The superior Party body is in capitals, regular upright 14 pt.",
      "§2.1"},
     hd36_superior_font},
    {{"hd36.issuer.font", "The issuing committee is in capitals, bold upright 14 pt.",
      "§2.1"},
     hd36_issuer_font},
    {{"hd36.issuer.star", "A \"*\" is centred under the issuing committee.", "§2.1"},
     issuer_star},
    {{"hd36.number.font", "The number line is 14 pt upright.", "§2.1"}, hd36_number_font},
    {{"hd36.number.form", "The number reads \"Số NN-BB/XX\": no colon, a hyphen before BB, "
                          "a slash before the issuer.",
      "§2.1, §6.4"},
     hd36_number_form},
    {{"hd36.number.position", "The number is centred under the issuing committee.", "§2.1"},
     number_position},
    {{"hd36.header.no_date", "The header of a biên bản has no place and date line.",
      "§2.2, §1.8, §6.5"},
     header_no_date},
    {{"hd36.title.type", "\"BIÊN BẢN\" is bold 15 to 16 pt, centred.", "§2.1"},
     hd36_title_type},
    {{"hd36.title.summary", "The meeting name is bold 14 to 15 pt, centred.", "§2.1"},
     hd36_title_summary},
    {{"hd36.page_number.first", "Page 1 shows no page number.", "§2.2, §1.1, §6.2"},
     page_number_first},
    {{"hd36.page_number.form", "From page 2 each page shows its number, 13 to 14 pt upright, "
                               "centred in the top margin.",
      "§2.2, §1.1, §6.2"},
     page_number_form},
    {{"hd36.body.font", "The body text is 14 to 15 pt.", "§2.1, §6.6"}, hd36_body_font},
    {{"hd36.body.indent", "Body lines start at the margin, first lines 1 to 1.27 cm in.",
      "§1.3, §6.6"},
     body_indent},
    {{"hd36.body.paragraphs", "Paragraphs are at least 6 pt apart.", "§1.3, §6.6"},
     body_paragraphs},
    {{"hd36.body.leading", "Line spacing is single to 1.5 lines.", "§1.3, §6.6"},
     body_leading},
    {{"hd36.date.form", "Dates read \"ngày DD tháng M năm YYYY\" (leading zero for days 1-9 "
                        "and months 1-2 only).",
      "§2.1, §1.5, §6.5"},
     vb_ck_date_form},
    {{"hd36.closing.form", "The closing line gives the end time and date and ends with \".\".",
      "§2.2"},
     hd36_closing_form},
    {{"hd36.signature.columns", "Signatures stand in two columns, capitals bold 13 to 14 pt, "
                                "on one baseline.",
      "§2.2, §6.7"},
     hd36_signature_columns},
    {{"hd36.signature.names", "Each signer's name is bold 13 to 14 pt, centred under the "
                              "title.",
      "§2.2, §6.7"},
     signature_names},
    {{"hd36.signature.together", "The closing line and the signature block share one page.",
      "§2.2"},
     signature_together},
    {{"hd36.recipients.label", "\"Nơi nhận\" is 14 pt upright, underlined, flush left.",
      "§2.2, §6.8"},
     hd36_recipients_label},
    {{"hd36.recipients.items", "Nơi nhận entries are 12 pt, each \"- \" at the left margin.",
      "§2.2, §6.8"},
     hd36_recipients_items},
    {{"hd36.recipients.last", "The last Nơi nhận entry is \"- Lưu ...\" with no colon.",
      "§2.2, §6.8"},
     hd36_recipients_last},
    {{"hd36.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"hd36.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

const ck_ruleset vb_ck_nd30_minutes = {"nd30-minutes", nd30, sizeof nd30 / sizeof nd30[0]};
const ck_ruleset vb_ck_hd36_minutes = {"hd36-minutes", hd36, sizeof hd36 / sizeof hd36[0]};
