/* trace.c - backend stage: the trace backend, a line-based text dump of every
 * page and op (vb_op_dump) for golden tests and bug reports; groups are
 * expanded once, the first time each is used. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

typedef struct trace_backend {
  vb_backend base;
  vb_output out;
  vb_strbuf line;
  bool *group_seen; /* by group id */
  uint32_t nseen;
} trace_backend;

static vb_backend *trace_open(const vb_backend_opts *opts, vb_output out, vb_diag *d) {
  (void)opts;
  (void)d;
  trace_backend *t = vb_xcalloc(1, sizeof *t);
  t->out = out;
  return &t->base;
}

/* Writes and empties the line buffer. */
static int flush(trace_backend *t) {
  int rc = VB_OK;
  if (t->line.len && t->out.write(t->out.ctx, t->line.data, t->line.len) < 0)
    rc = VB_EIO;
  vb_strbuf_reset(&t->line);
  return rc;
}

static int trace_begin_page(vb_backend *b, float w_pt, float h_pt) {
  trace_backend *t = (trace_backend *)b;
  vb_strbuf_printf(&t->line, "page %u ", b->pages);
  vb_strbuf_add_num(&t->line, w_pt, 2);
  vb_strbuf_putc(&t->line, 'x');
  vb_strbuf_add_num(&t->line, h_pt, 2);
  vb_strbuf_putc(&t->line, '\n');
  return flush(t);
}

/* Dumps op; a group used for the first time is followed by its content. */
static void dump_op(trace_backend *t, const vb_op *op, int depth) {
  const vb_resources *r = t->base.opts->res;
  vb_op_dump(op, r, t->base.opts->sources, &t->line);
  if (op->kind != VB_OP_GROUP || depth > 16)
    return;
  uint32_t id = op->u.group.group;
  const vb_dlist *g = vb_resources_group(r, id);
  if (!g)
    return;
  if (id >= t->nseen) {
    uint32_t n = id + 16;
    t->group_seen = vb_xrealloc(t->group_seen, n * sizeof *t->group_seen);
    memset(t->group_seen + t->nseen, 0, (n - t->nseen) * sizeof *t->group_seen);
    t->nseen = n;
  }
  if (t->group_seen[id])
    return;
  t->group_seen[id] = true;
  vb_strbuf_printf(&t->line, "group %u begin\n", (unsigned)id);
  for (size_t i = 0, n = vb_dlist_count(g); i < n; i++)
    dump_op(t, vb_dlist_op(g, i), depth + 1);
  vb_strbuf_printf(&t->line, "group %u end\n", (unsigned)id);
}

/* Lines are buffered per page and written at end_page. */
static int trace_draw(vb_backend *b, const vb_op *op) {
  dump_op((trace_backend *)b, op, 0);
  return VB_OK;
}

static int trace_end_page(vb_backend *b) {
  trace_backend *t = (trace_backend *)b;
  vb_strbuf_printf(&t->line, "end page %u\n", b->pages);
  return flush(t);
}

/* Nothing follows the last page; only ops drawn outside a page are flushed. */
static int trace_close(vb_backend *b) { return flush((trace_backend *)b); }

static void trace_free(vb_backend *b) {
  trace_backend *t = (trace_backend *)b;
  vb_strbuf_free(&t->line);
  free(t->group_seen);
  free(t);
}

const vb_backend_class vb_trace_backend = {
    .name = "trace",
    .caps = VB_CAP_GLYPH_IDS | VB_CAP_LINKS | VB_CAP_OUTLINE | VB_CAP_GROUPS |
            VB_CAP_VECTOR_SVG,
    .formats = 1u << VB_FORMAT_TRACE,
    .open = trace_open,
    .begin_page = trace_begin_page,
    .draw_glyphs = trace_draw,
    .draw_rect = trace_draw,
    .draw_path = trace_draw,
    .draw_image = trace_draw,
    .draw_group = trace_draw,
    .push_clip = trace_draw,
    .pop_clip = trace_draw,
    .add_link = trace_draw,
    .add_outline = trace_draw,
    .end_page = trace_end_page,
    .close = trace_close,
    .free = trace_free,
};
