/* minutes.c - cli stage: `vanban minutes`: one document for each event of the records,
 * written by output.c, in --jobs workers when asked. */
#include "cli.h"

int vb_cmd_minutes(vb_run *r) {
  if (r->cfg->calibrate)
    return vb_run_calibrate(r, "giay-khen-phoi");
  GPtrArray *recs;
  size_t total;
  int st = vb_run_load(r, VB_DOC_MINUTES, &recs, &total);
  if (st >= 0)
    return st;
  st = r->cfg->jobs > 1 ? vb_jobs_run(r, recs, total) : vb_run_finish(r, recs, total, true);
  g_ptr_array_free(recs, TRUE);
  return st;
}
