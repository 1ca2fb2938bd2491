/* test-conformance.c - unit tests for the conformance stage: the rule sets'
 * tables, font facts read from the bundled fonts, and rules run on display lists
 * built by hand (margins, weights, number forms, dates, NFC, Đ, page numbers, the
 * fixed lines of a certificate batch compared across documents). */
#include "../../src/conformance/conformance.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MM (72.0f / 25.4f)
static const vb_color black = {0, 0, 0, 1};

typedef struct fonts {
  uint32_t regular, bold;
} fonts;

static void run(vb_dlist *dl, uint32_t font, const char *role, float size, float x,
                float y, float w, const char *text) {
  vb_glyph g = {3, 0, 0};
  uint32_t cl = 0;
  vb_dlist_add_glyphs(dl, role, vb_span_make(1, (uint32_t)(y * 10), (uint32_t)(y * 10)), font,
                      size, black, x, y, &g, 1, text, (uint32_t)strlen(text), &cl);
  vb_dlist_set_run_width(dl, w);
}

/* An A4 page with the given left margin (mm), its frame set as a layout sets it. */
static vb_dlist *a4(float left) {
  vb_dlist *dl = vb_dlist_new(595.28f, 841.89f);
  vb_dlist_set_frame(dl, left * MM, 20 * MM, (210 - left - 15) * MM, 257 * MM);
  return dl;
}

static const vb_rule_result *result(vb_checker *ck, const char *id) {
  for (size_t i = 0; i < vb_checker_count(ck); i++)
    if (!strcmp(vb_checker_result(ck, i)->rule->id, id))
      return vb_checker_result(ck, i);
  fprintf(stderr, "no rule %s\n", id);
  return NULL;
}

static bool failed(vb_checker *ck, const char *id) {
  const vb_rule_result *r = result(ck, id);
  return r && r->failures > 0;
}

static const char *where(vb_checker *ck, const char *id) {
  const vb_rule_result *r = result(ck, id);
  return r && r->where ? r->where : "";
}

static void test_tables(void) {
  const char *const *sets = vb_conformance_rulesets();
  size_t nsets = 0, total = 0;
  for (; sets[nsets]; nsets++) {
    check(vb_conformance_known(sets[nsets]));
    size_t n = vb_conformance_count(sets[nsets]);
    check(n >= 6);
    total += n;
    for (size_t i = 0; i < n; i++) {
      const vb_rule_info *r = vb_conformance_rule(sets[nsets], i);
      check(r && r->id && r->sentence && r->section);
      /* one sentence, ending with a period; a section sign */
      check(r->sentence[strlen(r->sentence) - 1] == '.');
      check(strstr(r->section, "§") != NULL);
      for (size_t k = 0; k < i; k++)
        check(strcmp(vb_conformance_rule(sets[nsets], k)->id, r->id) != 0);
    }
    check(vb_conformance_rule(sets[nsets], n) == NULL);
  }
  check_int(nsets, 6);
  check(total > 90);
  check(!vb_conformance_known("nd31-minutes"));
  check_int(vb_conformance_count("nd31-minutes"), 0);
  check(vb_conformance_rule("nd30-minutes", 0) &&
        !strcmp(vb_conformance_rule("nd30-minutes", 0)->id, "nd30.page.size"));
}

static void test_minutes_header(const fonts *f, vb_resources *res) {
  /* a right-column Quốc hiệu in bold 12 and one in regular weight */
  for (int bold = 0; bold < 2; bold++) {
    vb_checker *ck = vb_checker_new("nd30-minutes", res);
    vb_dlist *p = a4(30);
    run(p, bold ? f->bold : f->regular, "quoc_hieu", 12, 300, 67, 250,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    run(p, f->bold, "tieu_ngu", 13, 345, 81, 160, "Độc lập - Tự do - Hạnh phúc");
    vb_dlist_add_rect(p, "tieu_ngu.rule", vb_span_none(), 345, 85, bold ? 160 : 145.8f, 0.6f,
                      black, (vb_color){0, 0, 0, 0}, 0);
    run(p, f->regular, "number", 13, 130, 130, 90, "Số:\u00a005/BB-UBND");
    vb_checker_add(ck, &p, 1, "event 'a'");
    check(failed(ck, "nd30.quoc_hieu.font") == !bold);
    check(!failed(ck, "nd30.quoc_hieu.text"));
    check(!failed(ck, "nd30.tieu_ngu.font"));
    check(failed(ck, "nd30.tieu_ngu.rule") == !bold);
    check(!failed(ck, "nd30.number.form"));
    if (!bold) {
      check_str(where(ck, "nd30.quoc_hieu.font"),
                "event 'a' page 1, quoc_hieu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\": "
                "regular weight, allowed bold");
      check(strstr(where(ck, "nd30.tieu_ngu.rule"), "rule 51.4 mm long, allowed 56.4 mm") != NULL);
    }
    vb_dlist_free(p);
    vb_checker_free(ck);
  }
}

static void test_margins_pages(const fonts *f, vb_resources *res) {
  vb_checker *ck = vb_checker_new("nd30-minutes", res);
  vb_dlist *p[2] = {a4(10), a4(30)};
  run(p[0], f->regular, "page_number", 13, 290, 38, 7, "1");
  run(p[1], f->regular, "page_number", 14, 315.4f, 38, 7, "2");
  vb_checker_add(ck, p, 2, "event 'b'");
  check(failed(ck, "nd30.margin.left"));
  check_str(where(ck, "nd30.margin.left"),
            "event 'b' page 1, text frame: left margin 10.0 mm, allowed 30-35 mm");
  check(!failed(ck, "nd30.margin.top"));
  check(!failed(ck, "nd30.margin.right"));
  check(failed(ck, "nd30.page_number.first"));
  check(!failed(ck, "nd30.page_number.form"));
  check(!failed(ck, "nd30.page.size"));
  check_int(vb_checker_pages(ck), 2);
  check_int(vb_checker_documents(ck), 1);
  vb_dlist_free(p[0]);
  vb_dlist_free(p[1]);
  vb_checker_free(ck);
}

/* one body line of text `t` through the nd30 (or hd36) rules; the failed ones' ids
 * among `ids` joined by spaces */
static char *text_rules(const fonts *f, vb_resources *res, const char *set, const char *role,
                        const char *t) {
  vb_checker *ck = vb_checker_new(set, res);
  vb_dlist *p = a4(30);
  run(p, f->regular, role, 14, 30 * MM, 200, 200, t);
  vb_checker_add(ck, &p, 1, "e");
  vb_strbuf sb = VB_STRBUF_INIT;
  static const char *const ids[] = {"date.form", "text.nfc", "text.dstroke", "number.form"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char id[64];
    snprintf(id, sizeof id, "%.4s.%s", set, ids[i]);
    if (failed(ck, id))
      vb_strbuf_printf(&sb, "%s%s", sb.len ? " " : "", ids[i]);
  }
  vb_dlist_free(p);
  vb_checker_free(ck);
  return vb_strbuf_detach(&sb);
}

static void test_text(const fonts *f, vb_resources *res) {
  static const struct {
    const char *set, *role, *text, *want;
  } cases[] = {
      {"nd30-minutes", "body", "Khai mạc ngày 05 tháng 02 năm 2024.", "number.form"},
      {"nd30-minutes", "body", "Khai mạc ngày 5 tháng 11 năm 2024.", "date.form number.form"},
      {"nd30-minutes", "body", "Khai mạc ngày 15 tháng 03 năm 2024.", "date.form number.form"},
      {"nd30-minutes", "body", "Khai mạc ngày 31 tháng 2 năm 2024.", "date.form number.form"},
      {"nd30-minutes", "body", "Khai mạc ngày 12 tháng 10 năm 2024.", "number.form"},
      {"nd30-minutes", "body", "Ngày ... tháng ... năm ....", "number.form"},
      {"nd30-minutes", "body", "Pho\xcc\x82\xcc\x81 Đức", "text.nfc number.form"},
      {"nd30-minutes", "body", "\xc3\x90\xe1\xba\xa3ng", "text.dstroke number.form"},
      {"nd30-minutes", "number", "Số:\u00a012/BB-UBND", ""},
      {"nd30-minutes", "number", "Số:\u00a0\u00a0\u00a0\u00a0/BB-UBND", ""},
      {"nd30-minutes", "number", "Số:\u00a05/BB-UBND", "number.form"},
      {"nd30-minutes", "number", "Số:\u00a005/BB - UBND", "number.form"},
      {"nd30-minutes", "number", "Số:\u00a005/QĐ-UBND", "number.form"},
      {"hd36-minutes", "number", "Số\u00a005-BB/ĐU", ""},
      {"hd36-minutes", "number", "Số:\u00a005-BB/ĐU", "number.form"},
      {"hd36-minutes", "number", "Số\u00a005/BB-ĐU", "number.form"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = text_rules(f, res, cases[i].set, cases[i].role, cases[i].text);
    if (!check_str(got, cases[i].want))
      fprintf(stderr, "    text: %s\n", cases[i].text);
    free(got);
  }
}

/* cert.fixed.lines compares the documents of one checker: the second certificate's
 * header line 2 mm lower fails, on the second document only */
static void test_fixed_lines(const fonts *f, vb_resources *res) {
  vb_checker *ck = vb_checker_new("certificate", res);
  for (int doc = 0; doc < 3; doc++) {
    vb_dlist *p = vb_dlist_new(841.89f, 595.28f);
    float y = doc == 1 ? 53 + 2 * MM : 53;
    vb_glyph g = {3, 0, 0};
    uint32_t cl = 0;
    const char *t = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    vb_dlist_add_glyphs(p, "text", vb_span_make(1, 71, 71), f->bold, 15, black, 265, y, &g, 1,
                        t, (uint32_t)strlen(t), &cl);
    vb_dlist_set_run_width(p, 310);
    run(p, f->regular, "recipient.name", 38, 300, 276 + (float)doc * 9, 200, "Tổ dân phố");
    char label[32];
    snprintf(label, sizeof label, "recipient %d", doc + 1);
    vb_checker_add(ck, &p, 1, label);
    vb_dlist_free(p);
  }
  const vb_rule_result *r = result(ck, "cert.fixed.lines");
  check(r && r->failures == 1);
  check(strstr(where(ck, "cert.fixed.lines"), "recipient 2 page 1, text") != NULL);
  check(!failed(ck, "cert.page.size"));
  check(failed(ck, "cert.seal.room")); /* no signer at all */
  check_int(vb_checker_failed(ck) >= 2, 1);
  vb_checker_free(ck);
}

int main(void) {
  vb_resources *res = vb_resources_new();
  fonts f;
  f.regular = vb_resources_add_font(res, VB_SOURCE_DATADIR "/fonts/LiberationSerif-Regular.ttf", 0);
  f.bold = vb_resources_add_font(res, VB_SOURCE_DATADIR "/fonts/LiberationSerif-Bold.ttf", 0);
  test_tables();
  test_minutes_header(&f, res);
  test_margins_pages(&f, res);
  test_text(&f, res);
  test_fixed_lines(&f, res);
  vb_resources_free(res);
  return summary("test-conformance");
}
