/* backend.c - backend stage: the registry of output backends, the wrappers
 * every caller goes through (sticky first error, empty slot = no-op, group
 * fallback) and the one page replay function. */
#include "backend.h"
#include "backend-private.h"

#include <stdlib.h>
#include <string.h>

/* Groups nest at most this deep when replayed op by op (guards against cycles). */
#define MAX_GROUP_DEPTH 16

static const vb_backend_class *const registry[] = {&vb_cairo_backend, &vb_haru_backend,
                                                   &vb_trace_backend, NULL};

const vb_backend_class *const *vb_backend_list(void) { return registry; }

vb_backend_cache *vb_backend_cache_new(void) { return vb_xcalloc(1, sizeof(vb_backend_cache)); }

void vb_backend_cache_free(vb_backend_cache *c) {
  if (!c)
    return;
  if (c->cairo)
    c->free_cairo(c->cairo);
  if (c->haru)
    c->free_haru(c->haru);
  free(c);
}

const vb_backend_class *vb_backend_find(const char *name) {
  for (size_t i = 0; registry[i]; i++)
    if (strcmp(registry[i]->name, name) == 0)
      return registry[i];
  return NULL;
}

const vb_backend_class *vb_backend_for_format(vb_format f) {
  switch (f) {
  case VB_FORMAT_PDF:
  case VB_FORMAT_PNG:
    return &vb_cairo_backend;
  case VB_FORMAT_TRACE:
    return &vb_trace_backend;
  }
  return NULL;
}

int vb_format_from_name(const char *name, vb_format *f) {
  static const struct {
    const char *name;
    vb_format format;
  } names[] = {{"pdf", VB_FORMAT_PDF}, {"png", VB_FORMAT_PNG}, {"trace", VB_FORMAT_TRACE}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i].name, name) == 0) {
      *f = names[i].format;
      return 0;
    }
  return -1;
}

const char *vb_format_name(vb_format f) {
  switch (f) {
  case VB_FORMAT_PDF:
    return "pdf";
  case VB_FORMAT_PNG:
    return "png";
  case VB_FORMAT_TRACE:
    return "trace";
  }
  return "?";
}

unsigned vb_backend_format_caps(const vb_backend_class *cls, vb_format f) {
  unsigned caps = cls->caps;
  if (f == VB_FORMAT_PNG) {
    caps &= ~(VB_CAP_LINKS | VB_CAP_OUTLINE);
    caps |= VB_CAP_ONE_PAGE;
  }
  return caps;
}

int vb_backend_parse_permissions(const char *s, unsigned *perms, const char **bad) {
  static const struct {
    const char *name;
    unsigned bit;
  } words[] = {{"print", VB_PERM_PRINT},
               {"copy", VB_PERM_COPY},
               {"edit", VB_PERM_EDIT},
               {"annotate", VB_PERM_ANNOTATE},
               {"none", 0}};
  unsigned p = 0;
  while (*s) {
    size_t n = strcspn(s, ",");
    size_t i = 0;
    while (i < sizeof words / sizeof words[0] &&
           !(strlen(words[i].name) == n && strncmp(words[i].name, s, n) == 0))
      i++;
    if (i == sizeof words / sizeof words[0]) {
      *bad = s;
      return -1;
    }
    p |= words[i].bit;
    s += n;
    if (*s == ',')
      s++;
  }
  *perms = p;
  return 0;
}

/* ---- wrappers */

vb_backend *vb_backend_open(const vb_backend_class *cls, const vb_backend_opts *opts,
                            vb_output out, vb_diag *d) {
  if (!(cls->formats & (1u << opts->format))) {
    vb_diag_error(d, vb_span_none(), "backend '%s' cannot write %s output", cls->name,
                  vb_format_name(opts->format));
    return NULL;
  }
  vb_backend_opts *copy = vb_xmalloc(sizeof *copy);
  *copy = *opts;
  vb_backend *b = cls->open(copy, out, d);
  if (!b) {
    free(copy);
    return NULL;
  }
  b->cls = cls;
  b->opts = copy;
  b->diag = d;
  b->error = VB_OK;
  b->pages = 0;
  return b;
}

/* Records the first failure; returns the sticky error. */
static int keep(vb_backend *b, int rc) {
  if (rc < 0 && b->error == VB_OK)
    b->error = rc;
  return b->error;
}

int vb_backend_begin_page(vb_backend *b, float w_pt, float h_pt) {
  if (b->error)
    return b->error;
  b->pages++;
  return b->cls->begin_page ? keep(b, b->cls->begin_page(b, w_pt, h_pt)) : VB_OK;
}

/* Resource ids come from the layout stage; a bad one is a bug there, but we
 * report it instead of reading out of bounds. */
static int check_ids(vb_backend *b, const vb_op *op) {
  const vb_resources *r = b->opts->res;
  const char *what = NULL;
  uint32_t id = 0;
  if (op->kind == VB_OP_GLYPHS && (!r || !vb_resources_font(r, op->u.glyphs.font))) {
    what = "font";
    id = op->u.glyphs.font;
  } else if (op->kind == VB_OP_IMAGE && (!r || !vb_resources_image(r, op->u.image.image))) {
    what = "image";
    id = op->u.image.image;
  } else if (op->kind == VB_OP_GROUP && (!r || !vb_resources_group(r, op->u.group.group))) {
    what = "group";
    id = op->u.group.group;
  }
  if (!what)
    return VB_OK;
  vb_diag_error(b->diag, op->span, "internal error: display list refers to unknown %s %u",
                what, (unsigned)id);
  return VB_ELAYOUT;
}

static int draw_at(vb_backend *b, const vb_op *op, int depth);

/* Fallback for backends without VB_CAP_GROUPS: the group's ops, one by one. */
static int replay_group(vb_backend *b, const vb_op *op, int depth) {
  if (depth >= MAX_GROUP_DEPTH) {
    vb_diag_error(b->diag, op->span, "internal error: groups nested deeper than %d",
                  MAX_GROUP_DEPTH);
    return keep(b, VB_ELAYOUT);
  }
  const vb_dlist *g = vb_resources_group(b->opts->res, op->u.group.group);
  for (size_t i = 0, n = vb_dlist_count(g); i < n; i++) {
    int rc = draw_at(b, vb_dlist_op(g, i), depth + 1);
    if (rc < 0)
      return rc;
  }
  return VB_OK;
}

static int draw_at(vb_backend *b, const vb_op *op, int depth) {
  if (b->error)
    return b->error;
  int rc = check_ids(b, op);
  if (rc < 0)
    return keep(b, rc);
  const vb_backend_class *c = b->cls;
  int (*slot)(vb_backend *, const vb_op *) = NULL;
  switch (op->kind) {
  case VB_OP_GLYPHS:
    slot = c->draw_glyphs;
    break;
  case VB_OP_RECT:
    slot = c->draw_rect;
    break;
  case VB_OP_PATH:
    slot = c->draw_path;
    break;
  case VB_OP_IMAGE:
    slot = c->draw_image;
    break;
  case VB_OP_GROUP:
    if (!(c->caps & VB_CAP_GROUPS) || !c->draw_group)
      return replay_group(b, op, depth);
    slot = c->draw_group;
    break;
  case VB_OP_LINK:
    slot = c->add_link;
    break;
  case VB_OP_OUTLINE:
    slot = c->add_outline;
    break;
  case VB_OP_CLIP_PUSH:
    slot = c->push_clip;
    break;
  case VB_OP_CLIP_POP:
    slot = c->pop_clip;
    break;
  }
  return slot ? keep(b, slot(b, op)) : VB_OK;
}

int vb_backend_draw(vb_backend *b, const vb_op *op) { return draw_at(b, op, 0); }

int vb_backend_end_page(vb_backend *b) {
  if (b->error)
    return b->error;
  return b->cls->end_page ? keep(b, b->cls->end_page(b)) : VB_OK;
}

int vb_backend_close(vb_backend *b) {
  if (b->error)
    return b->error;
  return b->cls->close ? keep(b, b->cls->close(b)) : VB_OK;
}

void vb_backend_free(vb_backend *b) {
  if (!b)
    return;
  vb_backend_opts *copy = (vb_backend_opts *)b->opts;
  if (b->cls->free)
    b->cls->free(b);
  free(copy);
}

int vb_backend_run_page(vb_backend *b, const vb_dlist *page) {
  int rc = vb_backend_begin_page(b, vb_dlist_width(page), vb_dlist_height(page));
  for (size_t i = 0, n = vb_dlist_count(page); rc == VB_OK && i < n; i++)
    rc = vb_backend_draw(b, vb_dlist_op(page, i));
  if (rc == VB_OK)
    rc = vb_backend_end_page(b);
  return rc;
}

/* Scans the markers up to the first SOFn. */
bool vb_backend_jpeg_frame(const unsigned char *b, size_t n, int *comps, int *w, int *h) {
  size_t i = 2;
  while (i + 4 <= n && b[i] == 0xFF) {
    unsigned m = b[i + 1];
    if (m == 0xFF) { /* fill byte */
      i++;
      continue;
    }
    size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
    bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (len < 8 || i + 2 + len > n)
        return false;
      *h = b[i + 5] << 8 | b[i + 6];
      *w = b[i + 7] << 8 | b[i + 8];
      *comps = b[i + 9];
      return *w > 0 && *h > 0;
    }
    if (m == 0xD9 || m == 0xDA)
      return false;
    i += 2 + len;
  }
  return false;
}
