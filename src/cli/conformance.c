/* conformance.c - cli stage: `vanban check --conformance`: one checker of the
 * conformance stage per layout, fed each document rendered in memory, and the
 * report, one line per rule (README "Conformance"). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int vb_conformance_add(vb_run *r, vb_layout *l, const char *label, vb_dlist *const *pages,
                       size_t n) {
  if (!r->checks)
    r->checks = g_ptr_array_new();
  const char *name = vb_layout_name(l);
  vb_check_entry *e = NULL;
  for (guint i = 0; i < r->checks->len && !e; i++) {
    vb_check_entry *x = g_ptr_array_index(r->checks, i);
    if (!strcmp(x->layout, name))
      e = x;
  }
  if (!e) {
    const char *set = vb_layout_conformance(l);
    if (!set || !vb_conformance_known(set)) {
      vb_strbuf known = VB_STRBUF_INIT;
      for (const char *const *k = vb_conformance_rulesets(); *k; k++)
        vb_strbuf_printf(&known, "%s%s", k == vb_conformance_rulesets() ? "" : ", ", *k);
      if (set)
        vb_diag_error(r->diag, vb_span_none(),
                      "layout '%s': unknown conformance rule set '%s' (expected %s)", name,
                      set, vb_strbuf_cstr(&known));
      else
        vb_diag_error(r->diag, vb_span_none(),
                      "layout '%s' names no conformance rule set: add 'conformance: NAME' "
                      "(%s)",
                      name, vb_strbuf_cstr(&known));
      vb_strbuf_free(&known);
      r->layout_error = 1;
      return -1;
    }
    e = g_new0(vb_check_entry, 1);
    e->layout = g_strdup(name);
    e->ruleset = g_strdup(set);
    e->ck = vb_checker_new(set, r->res);
    g_ptr_array_add(r->checks, e);
  }
  vb_checker_add(e->ck, pages, n, label);
  return 0;
}

int vb_conformance_report(vb_run *r) {
  if (!r->checks || !r->checks->len) {
    vb_diag_error(r->diag, vb_span_none(),
                  "no document to check (no event, no award with recipients)");
    return -1;
  }
  int failed = 0;
  for (guint i = 0; i < r->checks->len; i++) {
    const vb_check_entry *e = g_ptr_array_index(r->checks, i);
    unsigned docs = vb_checker_documents(e->ck), pages = vb_checker_pages(e->ck);
    size_t n = vb_checker_count(e->ck);
    printf("conformance %s (layout %s): %u document%s, %u page%s, %zu rules\n", e->ruleset,
           e->layout, docs, docs == 1 ? "" : "s", pages, pages == 1 ? "" : "s", n);
    for (size_t k = 0; k < n; k++) {
      const vb_rule_result *res = vb_checker_result(e->ck, k);
      printf("%s %s: %s (%s)", res->failures ? "FAIL" : "PASS", res->rule->id,
             res->rule->sentence, res->rule->section);
      if (res->failures) {
        printf(" -- %s", res->where);
        if (res->failures > 1)
          printf(" (and %u more)", res->failures - 1);
        failed++;
      }
      putchar('\n');
    }
  }
  fflush(stdout);
  return failed;
}

void vb_conformance_free(vb_run *r) {
  if (!r->checks)
    return;
  for (guint i = 0; i < r->checks->len; i++) {
    vb_check_entry *e = g_ptr_array_index(r->checks, i);
    vb_checker_free(e->ck);
    g_free(e->layout);
    g_free(e->ruleset);
    g_free(e);
  }
  g_ptr_array_free(r->checks, TRUE);
  r->checks = NULL;
}
