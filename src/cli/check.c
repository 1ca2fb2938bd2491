/* check.c - cli stage: `vanban check`: load the records and lay every document out
 * with its layout, reporting what fails; writes nothing. */
#include "cli.h"

int vb_cmd_check(vb_run *r) {
  if (r->cfg->calibrate)
    return vb_run_calibrate(r, "giay-khen-phoi");
  GPtrArray *recs;
  size_t total;
  int st = vb_run_load(r, VB_DOC_CERTIFICATES, &recs, &total);
  if (st >= 0)
    return st;
  st = vb_run_finish(r, recs, total, false);
  g_ptr_array_free(recs, TRUE);
  return st;
}
