/* dump.c - display stage: the stable, locale-free one-line text form of a
 * display op (used by the trace backend for golden tests and bug reports). */
#include "display.h"

#include <math.h>
#include <string.h>

static void put_num(vb_strbuf *sb, double v) { vb_strbuf_add_num(sb, v, 2); }

static void put_xy(vb_strbuf *sb, const char *key, double x, double y) {
  vb_strbuf_printf(sb, " %s=", key);
  put_num(sb, x);
  vb_strbuf_putc(sb, ',');
  put_num(sb, y);
}

static void put_box(vb_strbuf *sb, double x, double y, double w, double h) {
  put_xy(sb, "xy", x, y);
  vb_strbuf_puts(sb, " wh=");
  put_num(sb, w);
  vb_strbuf_putc(sb, 'x');
  put_num(sb, h);
}

static int channel(float c) {
  if (!(c > 0))
    return 0;
  if (c >= 1)
    return 255;
  return (int)lround(c * 255.0);
}

/* "none", "#rrggbb" or "#rrggbb/0.50" when alpha is not 1. */
static void put_color(vb_strbuf *sb, const char *key, vb_color c) {
  vb_strbuf_printf(sb, " %s=", key);
  if (!(c.a > 0)) {
    vb_strbuf_puts(sb, "none");
    return;
  }
  vb_strbuf_printf(sb, "#%02x%02x%02x", channel(c.r), channel(c.g), channel(c.b));
  if (c.a < 1) {
    vb_strbuf_putc(sb, '/');
    put_num(sb, c.a);
  }
}

/* Quoted with C escapes for '"', '\\' and control bytes (octal, 3 digits). */
static void put_quoted(vb_strbuf *sb, const char *s, size_t n) {
  vb_strbuf_putc(sb, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"':
      vb_strbuf_puts(sb, "\\\"");
      break;
    case '\\':
      vb_strbuf_puts(sb, "\\\\");
      break;
    case '\n':
      vb_strbuf_puts(sb, "\\n");
      break;
    case '\t':
      vb_strbuf_puts(sb, "\\t");
      break;
    case '\r':
      vb_strbuf_puts(sb, "\\r");
      break;
    default:
      if (c < 0x20 || c == 0x7f)
        vb_strbuf_printf(sb, "\\%03o", c);
      else
        vb_strbuf_putc(sb, (char)c);
    }
  }
  vb_strbuf_putc(sb, '"');
}

static const char *basename_of(const char *path) {
  const char *slash = path ? strrchr(path, '/') : NULL;
  return slash ? slash + 1 : (path ? path : "?");
}

/* Roles are identifiers; anything else (empty, blanks, quotes) is quoted. */
static void put_role(vb_strbuf *sb, const char *role) {
  vb_strbuf_puts(sb, " role=");
  if (!role) {
    vb_strbuf_putc(sb, '-');
    return;
  }
  bool plain = *role != '\0';
  for (const char *p = role; *p && plain; p++)
    if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7f)
      plain = false;
  if (plain)
    vb_strbuf_puts(sb, role);
  else
    put_quoted(sb, role, strlen(role));
}

static void put_where(vb_strbuf *sb, const vb_sources *sources, vb_span span) {
  vb_strbuf_puts(sb, " at=");
  size_t before = sb->len;
  if (sources && vb_span_is_set(span)) {
    vb_sources_where(sources, span, sb);
    /* an absolute path (a layout found beside the program) depends on where the
     * tree lives: keep only its file name so traces are the same everywhere */
    if (sb->len > before && sb->data[before] == '/') {
      const char *slash = strrchr(sb->data + before, '/');
      size_t skip = (size_t)(slash + 1 - (sb->data + before));
      memmove(sb->data + before, slash + 1, sb->len - before - skip + 1);
      sb->len -= skip;
    }
  }
  if (sb->len == before)
    vb_strbuf_putc(sb, '-');
}

static const char *kind_name(vb_op_kind k) {
  switch (k) {
  case VB_OP_GLYPHS:
    return "glyphs";
  case VB_OP_RECT:
    return "rect";
  case VB_OP_PATH:
    return "path";
  case VB_OP_IMAGE:
    return "image";
  case VB_OP_GROUP:
    return "group";
  case VB_OP_LINK:
    return "link";
  case VB_OP_OUTLINE:
    return "outline";
  case VB_OP_CLIP_PUSH:
    return "clip-push";
  case VB_OP_CLIP_POP:
    return "clip-pop";
  }
  return "unknown";
}

static void dump_glyphs(const vb_op *op, const vb_resources *r, vb_strbuf *out) {
  const vb_font_res *f = r ? vb_resources_font(r, op->u.glyphs.font) : NULL;
  if (f)
    vb_strbuf_printf(out, " font=%s#%d", basename_of(f->file), f->index);
  else
    vb_strbuf_printf(out, " font=?%u", (unsigned)op->u.glyphs.font);
  vb_strbuf_puts(out, " size=");
  put_num(out, op->u.glyphs.size);
  put_color(out, "color", op->u.glyphs.color);
  put_xy(out, "origin", op->u.glyphs.x, op->u.glyphs.y);
  vb_strbuf_puts(out, " text=");
  put_quoted(out, op->u.glyphs.text ? op->u.glyphs.text : "", op->u.glyphs.text_len);
  if (op->u.glyphs.clusters) {
    vb_strbuf_puts(out, " clusters=");
    for (uint32_t i = 0; i < op->u.glyphs.n; i++)
      vb_strbuf_printf(out, "%s%u", i ? "," : "", (unsigned)op->u.glyphs.clusters[i]);
  }
  vb_strbuf_puts(out, " glyphs=");
  for (uint32_t i = 0; i < op->u.glyphs.n; i++) {
    const vb_glyph *g = &op->u.glyphs.glyphs[i];
    vb_strbuf_printf(out, "%s%u@", i ? "," : "", (unsigned)g->id);
    put_num(out, g->x);
    if (fabsf(g->y) >= 0.005f) {
      vb_strbuf_putc(out, ':');
      put_num(out, g->y);
    }
  }
}

static void dump_path(const vb_op *op, vb_strbuf *out) {
  put_color(out, "fill", op->u.path.fill);
  put_color(out, "stroke", op->u.path.stroke);
  vb_strbuf_puts(out, " width=");
  put_num(out, op->u.path.line_width);
  vb_strbuf_puts(out, op->u.path.even_odd ? " rule=evenodd" : " rule=nonzero");
  vb_strbuf_puts(out, " d=\"");
  for (uint32_t i = 0; i < op->u.path.n; i++) {
    const vb_path_el *e = &op->u.path.els[i];
    int npts = 0;
    if (i)
      vb_strbuf_putc(out, ' ');
    switch (e->cmd) {
    case VB_PATH_MOVE:
      vb_strbuf_putc(out, 'M');
      npts = 1;
      break;
    case VB_PATH_LINE:
      vb_strbuf_putc(out, 'L');
      npts = 1;
      break;
    case VB_PATH_CURVE:
      vb_strbuf_putc(out, 'C');
      npts = 3;
      break;
    case VB_PATH_CLOSE:
      vb_strbuf_putc(out, 'Z');
      break;
    }
    for (int k = 0; k < npts; k++) {
      if (k)
        vb_strbuf_putc(out, ' ');
      put_num(out, e->pt[2 * k]);
      vb_strbuf_putc(out, ',');
      put_num(out, e->pt[2 * k + 1]);
    }
  }
  vb_strbuf_putc(out, '"');
}

void vb_op_dump(const vb_op *op, const vb_resources *r, const vb_sources *sources,
                vb_strbuf *out) {
  vb_strbuf_puts(out, kind_name(op->kind));
  put_role(out, op->role);
  put_where(out, sources, op->span);
  switch (op->kind) {
  case VB_OP_GLYPHS:
    dump_glyphs(op, r, out);
    break;
  case VB_OP_RECT:
    put_box(out, op->u.rect.x, op->u.rect.y, op->u.rect.w, op->u.rect.h);
    put_color(out, "fill", op->u.rect.fill);
    put_color(out, "stroke", op->u.rect.stroke);
    vb_strbuf_puts(out, " width=");
    put_num(out, op->u.rect.line_width);
    break;
  case VB_OP_PATH:
    dump_path(op, out);
    break;
  case VB_OP_IMAGE: {
    const vb_image_res *im = r ? vb_resources_image(r, op->u.image.image) : NULL;
    if (im)
      vb_strbuf_printf(out, " image=%s", basename_of(im->file));
    else
      vb_strbuf_printf(out, " image=?%u", (unsigned)op->u.image.image);
    put_box(out, op->u.image.x, op->u.image.y, op->u.image.w, op->u.image.h);
    break;
  }
  case VB_OP_GROUP: {
    const vb_dlist *g = r ? vb_resources_group(r, op->u.group.group) : NULL;
    vb_strbuf_printf(out, " id=%u", (unsigned)op->u.group.group);
    if (g)
      vb_strbuf_printf(out, " ops=%zu", vb_dlist_count(g));
    else
      vb_strbuf_puts(out, " ops=?");
    break;
  }
  case VB_OP_LINK:
    put_box(out, op->u.link.x, op->u.link.y, op->u.link.w, op->u.link.h);
    if (op->u.link.page) {
      vb_strbuf_printf(out, " page=%u y=", op->u.link.page);
      put_num(out, op->u.link.dest_y);
      break;
    }
    vb_strbuf_puts(out, " uri=");
    put_quoted(out, op->u.link.uri ? op->u.link.uri : "",
               op->u.link.uri ? strlen(op->u.link.uri) : 0);
    break;
  case VB_OP_OUTLINE:
    vb_strbuf_printf(out, " level=%d y=", op->u.outline.level);
    put_num(out, op->u.outline.y);
    vb_strbuf_puts(out, " title=");
    put_quoted(out, op->u.outline.title ? op->u.outline.title : "",
               op->u.outline.title ? strlen(op->u.outline.title) : 0);
    break;
  case VB_OP_CLIP_PUSH:
    put_box(out, op->u.clip.x, op->u.clip.y, op->u.clip.w, op->u.clip.h);
    break;
  case VB_OP_CLIP_POP:
    break;
  }
  vb_strbuf_putc(out, '\n');
}
