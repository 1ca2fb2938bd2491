/* certificates.c - cli stage: `vanban certificates`: records → one page per recipient
 * of each award (or the calibration grid), written by output.c, in --jobs workers
 * when asked. */
#include "cli.h"

int vb_cmd_certificates(vb_run *r) {
  if (r->cfg->calibrate)
    return vb_run_calibrate(r, "giay-khen-phoi");
  GPtrArray *recs;
  size_t total;
  int st = vb_run_load(r, VB_DOC_CERTIFICATES, &recs, &total);
  if (st >= 0)
    return st;
  st = r->cfg->jobs > 1 ? vb_jobs_run(r, recs, total) : vb_run_finish(r, recs, total, true);
  g_ptr_array_free(recs, TRUE);
  return st;
}
