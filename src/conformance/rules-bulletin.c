/* rules-bulletin.c - conformance stage: the rules of a ward bulletin (bản tin),
 * Luật Báo chí 2016 Điều 34 as spec §4 and §6.9 give them: the page at most 19 x
 * 27 cm, at most 64 pages, "BẢN TIN" with the name, publisher and date at the top
 * of page 1, the licence block at the foot of the last page. Elements are found by
 * the roles layouts/ban-tin.yaml gives them. */
#include "conformance-private.h"

#include <string.h>

static void page_size(ck_ctx *c, const ck_doc *d) {
  for (unsigned p = 1; p <= d->npages; p++) {
    const ck_page *pg = &d->pages[p - 1];
    if (pg->w > 190 * CK_MM + 0.5 || pg->h > 270 * CK_MM + 0.5) {
      ck_fail_at(c, d, p, "page", "%s x %s mm, allowed at most 190 x 270 mm",
                 ck_num(c, pg->w / CK_MM, 1), ck_num(c, pg->h / CK_MM, 1));
      return;
    }
  }
}

static void pages(ck_ctx *c, const ck_doc *d) {
  if (d->npages > 64)
    ck_fail_at(c, d, 0, "issue", "%zu pages, allowed at most 64", d->npages);
}

static void masthead(ck_ctx *c, const ck_doc *d) {
  if (!d->npages)
    return;
  const ck_page *pg = &d->pages[0];
  const ck_line *word = NULL, *name = NULL, *pub = NULL, *date = NULL;
  for (size_t i = pg->line0; i < pg->line1; i++) {
    const ck_line *l = &d->lines[i];
    if (!word && !strcmp(l->text, "BẢN TIN"))
      word = l;
    if (!name && !strcmp(l->role, "org.bulletin.name"))
      name = l;
    if (!pub && !strcmp(l->role, "issue.publisher"))
      pub = l;
    if (!date && !strcmp(l->role, "issue.date"))
      date = l;
  }
  const char *missing = !word ? "\"BẢN TIN\"" : !name ? "the bulletin's name" : !pub ? "the publisher" : !date ? "the publication date" : NULL;
  if (missing) {
    ck_fail_at(c, d, 1, "masthead", "no %s, allowed \"BẢN TIN\", the name, the publisher "
               "and the date at the top of page 1", missing);
    return;
  }
  if (name->y < word->y || pub->y <= name->y || date->y <= name->y)
    ck_fail(c, d, 1, name, "out of order, allowed \"BẢN TIN\" then the name, the publisher "
            "and the date under it");
  else if (date->y > pg->h / 3)
    ck_fail(c, d, 1, date, "%s mm from the top, allowed the top third of page 1",
            ck_num(c, date->y / CK_MM, 1));
}

static void licence(ck_ctx *c, const ck_doc *d) {
  static const char *const parts[][2] = {{"Giấy phép", "the licence number and date"},
                                         {"In tại", "the printer"},
                                         {"Số lượng", "the print run"},
                                         {"Kỳ hạn", "the frequency"},
                                         {"Chịu trách nhiệm", "the person responsible"}};
  if (!d->npages)
    return;
  unsigned last = (unsigned)d->npages;
  GPtrArray *a = ck_lines(d, last, "licence");
  vb_strbuf sb = VB_STRBUF_INIT;
  for (guint i = 0; i < a->len; i++) {
    vb_strbuf_puts(&sb, ((const ck_line *)a->pdata[i])->text);
    vb_strbuf_putc(&sb, ' ');
  }
  const char *t = vb_strbuf_cstr(&sb);
  if (!a->len)
    ck_fail_at(c, d, last, "licence", "no licence block on the last page");
  else if (((const ck_line *)a->pdata[0])->y < d->pages[last - 1].h / 2)
    ck_fail(c, d, last, a->pdata[0], "in the upper half, allowed the foot of the last page");
  else
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
      if (!strstr(t, parts[k][0])) {
        ck_fail(c, d, last, a->pdata[0], "no \"%s\" (%s)", parts[k][0], parts[k][1]);
        break;
      }
  vb_strbuf_free(&sb);
  g_ptr_array_free(a, TRUE);
}

static const ck_rule rules[] = {
    {{"bulletin.page.size", "Every page is at most 19 x 27 cm.", "§4, §6.9"}, page_size},
    {{"bulletin.pages", "An issue has at most 64 pages.", "§4, §6.9"}, pages},
    {{"bulletin.masthead", "Page 1 shows \"BẢN TIN\", the name, the publisher and the date "
                           "at its top.",
      "§4, §6.9"},
     masthead},
    {{"bulletin.licence", "The foot of the last page gives the licence, printer, print run, "
                          "frequency and the person responsible.",
      "§4, §6.9"},
     licence},
    {{"bulletin.text.nfc", "All text is in Unicode NFC (dựng sẵn).", "§5.2, §6.10"},
     vb_ck_text_nfc},
    {{"bulletin.text.dstroke", "Đ is U+0110, never U+00D0 (Ð).", "§5.3, §6.10"},
     vb_ck_text_dstroke},
};

const ck_ruleset vb_ck_bulletin = {"bulletin", rules, sizeof rules / sizeof rules[0]};
