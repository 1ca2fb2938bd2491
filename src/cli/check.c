/* check.c - cli stage: `vanban check`: load the records and lay every document out
 * with its layout, reporting what fails; writes nothing. With --conformance, also
 * runs the layout's conformance rules on each document rendered in memory: the
 * minutes of every event and the certificates of every award (only those of the
 * layout's kind with -l; a bulletin layout checks the issue of --month). */
#include "cli.h"

#include <string.h>

static int check_conformance(vb_run *r) {
  vb_config *cfg = r->cfg;
  vb_layout *l = cfg->layout ? vb_run_layout(r, cfg->layout) : NULL;
  if (cfg->layout && !l)
    return VB_EXIT_LAYOUT;
  const char *doc = l ? vb_layout_document(l) : NULL;
  int st = 0;
  unsigned failed = 0;
  if (doc && !strcmp(doc, "bulletin")) {
    st = vb_cmd_bulletin(r);
    failed = r->docs_failed;
  } else {
    static const vb_doc_kind kinds[] = {VB_DOC_MINUTES, VB_DOC_CERTIFICATES};
    for (size_t i = 0; i < 2; i++) {
      if (doc && strcmp(doc, kinds[i] == VB_DOC_MINUTES ? "minutes" : "certificate"))
        continue;
      GPtrArray *recs;
      size_t total;
      st = vb_run_load(r, kinds[i], &recs, &total);
      if (st >= 0) {
        failed += r->docs_failed;
        break;
      }
      st = vb_run_finish(r, recs, total, false);
      g_ptr_array_free(recs, TRUE);
      failed += r->docs_failed;
      /* a record that failed was reported: the second pass would report it again */
      if (st != 0)
        break;
    }
  }
  r->docs_failed = failed;
  if (st != 0 && st != VB_EXIT_RECORDS)
    return st;
  if (st == VB_EXIT_RECORDS && (!r->checks || !r->checks->len))
    return st;
  int bad = vb_conformance_report(r);
  return bad != 0 || st ? VB_EXIT_RECORDS : 0;
}

int vb_cmd_check(vb_run *r) {
  if (r->cfg->calibrate)
    return vb_run_calibrate(r, "giay-khen-phoi");
  if (r->cfg->conformance)
    return check_conformance(r);
  GPtrArray *recs;
  size_t total;
  int st = vb_run_load(r, VB_DOC_CERTIFICATES, &recs, &total);
  if (st >= 0)
    return st;
  st = vb_run_finish(r, recs, total, false);
  g_ptr_array_free(recs, TRUE);
  return st;
}
