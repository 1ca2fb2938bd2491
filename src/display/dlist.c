/* dlist.c - display stage: the per-page display list (ops in a growable array,
 * copied data in a per-list arena) and the per-document resource table
 * (fonts deduplicated by (file, index), images by file, groups owned). */
#include "display.h"

#include <stdlib.h>
#include <string.h>

struct vb_dlist {
  float width, height;
  float frame[4]; /* x, y, w, h of the text frame; w == 0: none */
  vb_op *ops;
  size_t n, cap;
  vb_arena *arena; /* roles, glyph arrays, text, clusters, path elements, strings */
};

struct vb_resources {
  vb_arena *arena; /* file names */
  /* arrays of arena pointers, so a returned entry stays valid as the table grows */
  vb_font_res **fonts;
  uint32_t nfonts, capfonts;
  vb_image_res **images;
  uint32_t nimages, capimages;
  vb_dlist **groups;
  uint32_t ngroups, capgroups;
  const char **refused; /* image files read and refused (not drawn, still inputs) */
  uint32_t nrefused, caprefused;
};

/* ---- display list */

vb_dlist *vb_dlist_new(float width_pt, float height_pt) {
  vb_dlist *dl = vb_xcalloc(1, sizeof *dl);
  dl->width = width_pt;
  dl->height = height_pt;
  dl->arena = vb_arena_new();
  return dl;
}

void vb_dlist_free(vb_dlist *dl) {
  if (!dl)
    return;
  vb_arena_free(dl->arena);
  free(dl->ops);
  free(dl);
}

float vb_dlist_width(const vb_dlist *dl) { return dl->width; }
float vb_dlist_height(const vb_dlist *dl) { return dl->height; }
size_t vb_dlist_count(const vb_dlist *dl) { return dl->n; }

const vb_op *vb_dlist_op(const vb_dlist *dl, size_t i) {
  return i < dl->n ? &dl->ops[i] : NULL;
}

/* Appends a zeroed op of `kind` carrying a copy of role and the span. */
static vb_op *push_op(vb_dlist *dl, vb_op_kind kind, const char *role, vb_span span) {
  if (dl->n == dl->cap) {
    dl->cap = dl->cap ? dl->cap * 2 : 16;
    dl->ops = vb_xrealloc(dl->ops, dl->cap * sizeof *dl->ops);
  }
  vb_op *op = &dl->ops[dl->n++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  op->role = role ? vb_arena_strdup(dl->arena, role) : NULL;
  op->span = span;
  return op;
}

static void *copy_array(vb_arena *a, const void *src, size_t n, size_t size) {
  if (!src || n == 0)
    return NULL;
  void *p = vb_arena_alloc(a, n * size);
  memcpy(p, src, n * size);
  return p;
}

void vb_dlist_add_glyphs(vb_dlist *dl, const char *role, vb_span span, uint32_t font,
                         float size, vb_color color, float x, float y,
                         const vb_glyph *glyphs, uint32_t n, const char *text,
                         uint32_t text_len, const uint32_t *clusters) {
  vb_op *op = push_op(dl, VB_OP_GLYPHS, role, span);
  op->u.glyphs.font = font;
  op->u.glyphs.size = size;
  op->u.glyphs.color = color;
  op->u.glyphs.x = x;
  op->u.glyphs.y = y;
  op->u.glyphs.n = glyphs ? n : 0;
  op->u.glyphs.glyphs = copy_array(dl->arena, glyphs, n, sizeof *glyphs);
  op->u.glyphs.text = text ? vb_arena_strndup(dl->arena, text, text_len) : NULL;
  op->u.glyphs.text_len = text ? text_len : 0;
  op->u.glyphs.clusters =
      (text && glyphs) ? copy_array(dl->arena, clusters, n, sizeof *clusters) : NULL;
}

void vb_dlist_add_rect(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, vb_color fill, vb_color stroke, float line_width) {
  vb_op *op = push_op(dl, VB_OP_RECT, role, span);
  op->u.rect.x = x;
  op->u.rect.y = y;
  op->u.rect.w = w;
  op->u.rect.h = h;
  op->u.rect.fill = fill;
  op->u.rect.stroke = stroke;
  op->u.rect.line_width = line_width;
}

void vb_dlist_add_path(vb_dlist *dl, const char *role, vb_span span, const vb_path_el *els,
                       uint32_t n, vb_color fill, vb_color stroke, float line_width,
                       bool even_odd) {
  vb_op *op = push_op(dl, VB_OP_PATH, role, span);
  op->u.path.n = els ? n : 0;
  op->u.path.els = copy_array(dl->arena, els, n, sizeof *els);
  op->u.path.fill = fill;
  op->u.path.stroke = stroke;
  op->u.path.line_width = line_width;
  op->u.path.even_odd = even_odd;
}

void vb_dlist_add_image(vb_dlist *dl, const char *role, vb_span span, uint32_t image,
                        float x, float y, float w, float h) {
  vb_op *op = push_op(dl, VB_OP_IMAGE, role, span);
  op->u.image.image = image;
  op->u.image.x = x;
  op->u.image.y = y;
  op->u.image.w = w;
  op->u.image.h = h;
}

void vb_dlist_add_group(vb_dlist *dl, const char *role, vb_span span, uint32_t group) {
  vb_op *op = push_op(dl, VB_OP_GROUP, role, span);
  op->u.group.group = group;
}

void vb_dlist_add_link(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, const char *uri) {
  vb_op *op = push_op(dl, VB_OP_LINK, role, span);
  op->u.link.x = x;
  op->u.link.y = y;
  op->u.link.w = w;
  op->u.link.h = h;
  op->u.link.uri = vb_arena_strdup(dl->arena, uri ? uri : "");
}

void vb_dlist_add_goto(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                       float w, float h, uint32_t page, float dest_y) {
  vb_dlist_add_link(dl, role, span, x, y, w, h, "");
  vb_op *op = (vb_op *)vb_dlist_op(dl, vb_dlist_count(dl) - 1);
  op->u.link.page = page;
  op->u.link.dest_y = dest_y;
}

void vb_dlist_add_outline(vb_dlist *dl, const char *role, vb_span span, int level,
                          const char *title, float y) {
  vb_op *op = push_op(dl, VB_OP_OUTLINE, role, span);
  op->u.outline.level = level;
  op->u.outline.title = vb_arena_strdup(dl->arena, title ? title : "");
  op->u.outline.y = y;
}

void vb_dlist_push_clip(vb_dlist *dl, const char *role, vb_span span, float x, float y,
                        float w, float h) {
  vb_op *op = push_op(dl, VB_OP_CLIP_PUSH, role, span);
  op->u.clip.x = x;
  op->u.clip.y = y;
  op->u.clip.w = w;
  op->u.clip.h = h;
}

void vb_dlist_pop_clip(vb_dlist *dl) { push_op(dl, VB_OP_CLIP_POP, NULL, vb_span_none()); }

/* ---- resources */

vb_resources *vb_resources_new(void) {
  vb_resources *r = vb_xcalloc(1, sizeof *r);
  r->arena = vb_arena_new();
  return r;
}

void vb_resources_free(vb_resources *r) {
  if (!r)
    return;
  for (uint32_t i = 0; i < r->ngroups; i++)
    vb_dlist_free(r->groups[i]);
  free(r->groups);
  free(r->fonts);
  free(r->images);
  free(r->refused);
  vb_arena_free(r->arena);
  free(r);
}

/* Grows *arr (elements of `size`) so that index n is valid. */
static void *grow(void *arr, uint32_t n, uint32_t *cap, size_t size) {
  if (n < *cap)
    return arr;
  *cap = *cap ? *cap * 2 : 8;
  return vb_xrealloc(arr, (size_t)*cap * size);
}

uint32_t vb_resources_add_font(vb_resources *r, const char *file, int index) {
  for (uint32_t i = 0; i < r->nfonts; i++)
    if (r->fonts[i]->index == index && strcmp(r->fonts[i]->file, file) == 0)
      return i;
  r->fonts = grow(r->fonts, r->nfonts, &r->capfonts, sizeof *r->fonts);
  vb_font_res *f = vb_arena_alloc(r->arena, sizeof *f);
  f->file = vb_arena_strdup(r->arena, file);
  f->index = index;
  r->fonts[r->nfonts] = f;
  return r->nfonts++;
}

uint32_t vb_resources_add_image(vb_resources *r, const char *file, vb_image_kind kind,
                                double width, double height) {
  for (uint32_t i = 0; i < r->nimages; i++)
    if (strcmp(r->images[i]->file, file) == 0)
      return i;
  r->images = grow(r->images, r->nimages, &r->capimages, sizeof *r->images);
  vb_image_res *im = vb_arena_alloc(r->arena, sizeof *im);
  r->images[r->nimages] = im;
  im->file = vb_arena_strdup(r->arena, file);
  im->kind = kind;
  im->width = width;
  im->height = height;
  return r->nimages++;
}

void vb_resources_add_refused(vb_resources *r, const char *file) {
  for (uint32_t i = 0; i < r->nrefused; i++)
    if (strcmp(r->refused[i], file) == 0)
      return;
  r->refused = grow(r->refused, r->nrefused, &r->caprefused, sizeof *r->refused);
  r->refused[r->nrefused++] = vb_arena_strdup(r->arena, file);
}

uint32_t vb_resources_refused_count(const vb_resources *r) { return r->nrefused; }

const char *vb_resources_refused(const vb_resources *r, uint32_t i) {
  return i < r->nrefused ? r->refused[i] : NULL;
}

uint32_t vb_resources_add_group(vb_resources *r, vb_dlist *ops) {
  r->groups = grow(r->groups, r->ngroups, &r->capgroups, sizeof *r->groups);
  r->groups[r->ngroups] = ops;
  return r->ngroups++;
}

uint32_t vb_resources_font_count(const vb_resources *r) { return r->nfonts; }
uint32_t vb_resources_image_count(const vb_resources *r) { return r->nimages; }
uint32_t vb_resources_group_count(const vb_resources *r) { return r->ngroups; }

const vb_font_res *vb_resources_font(const vb_resources *r, uint32_t id) {
  return id < r->nfonts ? r->fonts[id] : NULL;
}

const vb_image_res *vb_resources_image(const vb_resources *r, uint32_t id) {
  return id < r->nimages ? r->images[id] : NULL;
}

const vb_dlist *vb_resources_group(const vb_resources *r, uint32_t id) {
  return id < r->ngroups ? r->groups[id] : NULL;
}

void vb_dlist_set_run_width(vb_dlist *dl, float width) {
  if (dl->n && dl->ops[dl->n - 1].kind == VB_OP_GLYPHS) dl->ops[dl->n - 1].u.glyphs.width = width;
}

void vb_dlist_set_frame(vb_dlist *dl, float x, float y, float w, float h) {
  dl->frame[0] = x;
  dl->frame[1] = y;
  dl->frame[2] = w;
  dl->frame[3] = h;
}

bool vb_dlist_frame(const vb_dlist *dl, float *x, float *y, float *w, float *h) {
  *x = dl->frame[0];
  *y = dl->frame[1];
  *w = dl->frame[2];
  *h = dl->frame[3];
  return dl->frame[2] > 0;
}
