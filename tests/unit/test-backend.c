/* test-backend.c - unit tests for the backend stage: registry and wrappers,
 * the exact trace format, and the cairo backend (PDF text layer, PNG, write
 * failures, reproducible bytes, groups and images emitted once), and the haru
 * backend's glyph to code point mapping (an unmapped glyph is not dropped), and
 * deflate.c (cairo's Flate streams by libdeflate; other callers' left to zlib). */
#include "../../src/backend/backend.h"
#include "../../src/backend/backend-private.h"

#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <zlib.h>

#include "harness.h"

/* the bundled font (tests use only what the project ships: fonts/) */
#define SERIF VB_SOURCE_DATADIR "/fonts/LiberationSerif-Regular.ttf"
#define NAME  "Nguyễn Văn Đức"

static const vb_color black = {0, 0, 0, 1};
static const vb_color none = {0, 0, 0, 0};

/* ---- outputs */

static int mem_write(void *ctx, const void *data, size_t len) {
  vb_strbuf_add(ctx, data, len);
  return 0;
}

typedef struct fd_out {
  int fd;
  int failures;
} fd_out;

static int fd_write(void *ctx, const void *data, size_t len) {
  fd_out *o = ctx;
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(o->fd, p, len);
    if (n < 0) {
      o->failures++;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* ---- a glyph run of NAME, one glyph per code point, advances from the font */

typedef struct run {
  vb_glyph glyphs[64];
  uint32_t clusters[64];
  uint32_t n;
  float width;
} run;

static int shape(FT_Face face, const char *text, float size, run *r) {
  const char *p = text, *end = text + strlen(text);
  float x = 0;
  r->n = 0;
  while (p < end && r->n < 64) {
    uint32_t off = (uint32_t)(p - text);
    uint32_t cp = vb_utf8_next(&p, end);
    FT_UInt gid = FT_Get_Char_Index(face, cp);
    if (gid == 0 || FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE))
      return -1;
    r->glyphs[r->n] = (vb_glyph){gid, x, 0};
    r->clusters[r->n] = off;
    r->n++;
    x += (float)face->glyph->advance.x * size / (float)face->units_per_EM;
  }
  r->width = x;
  return 0;
}

/* ---- document fixtures */

typedef struct fixture {
  vb_resources *res;
  uint32_t font, png, jpg, svg, group;
  run name;
} fixture;

static void make_images(void) {
  GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  guchar *px = gdk_pixbuf_get_pixels(pb);
  int stride = gdk_pixbuf_get_rowstride(pb);
  for (int y = 0; y < 48; y++)
    for (int x = 0; x < 64; x++) {
      guchar *q = px + y * stride + x * 3;
      q[0] = (guchar)(x * 4);
      q[1] = (guchar)(y * 5);
      q[2] = (guchar)((x * y) & 0xff);
    }
  check(gdk_pixbuf_save(pb, "/tmp/vb-tb.png", "png", NULL, NULL));
  check(gdk_pixbuf_save(pb, "/tmp/vb-tb.jpg", "jpeg", NULL, "quality", "90", NULL));
  g_object_unref(pb);
  FILE *f = fopen("/tmp/vb-tb.svg", "w");
  fputs("<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100' viewBox='0 0 100 "
        "100'><circle cx='50' cy='50' r='45' fill='#da251d'/><path d='M50 15 L60 45 L90 45 "
        "L65 62 L75 92 L50 73 L25 92 L35 62 L10 45 L40 45 Z' fill='#ffff00'/></svg>\n",
        f);
  fclose(f);
}

static void fixture_init(fixture *fx, FT_Face face) {
  fx->res = vb_resources_new();
  fx->font = vb_resources_add_font(fx->res, SERIF, 0);
  const char *files[3] = {"/tmp/vb-tb.png", "/tmp/vb-tb.jpg", "/tmp/vb-tb.svg"};
  uint32_t ids[3];
  for (int i = 0; i < 3; i++) {
    vb_image_kind k;
    double w, h;
    vb_diag *d = vb_diag_new(NULL, stderr);
    check_int(vb_image_probe(files[i], &k, &w, &h, d, vb_span_none()), 0);
    vb_diag_free(d);
    ids[i] = vb_resources_add_image(fx->res, files[i], k, w, h);
  }
  fx->png = ids[0];
  fx->jpg = ids[1];
  fx->svg = ids[2];
  check(shape(face, NAME, 28, &fx->name) == 0);
  /* A border group: a wavy frame path (many segments) and a heading. */
  vb_dlist *g = vb_dlist_new(595.28f, 841.89f);
  vb_path_el els[402];
  uint32_t n = 0;
  els[n++] = (vb_path_el){VB_PATH_MOVE, {30, 30, 0, 0, 0, 0}};
  for (int i = 0; i < 400; i++) {
    float t = (float)i / 400.0f;
    float x = 30 + 535.28f * t, y = 30 + 5 * sinf(t * 200);
    els[n++] = (vb_path_el){VB_PATH_LINE, {x, y, 0, 0, 0, 0}};
  }
  els[n++] = (vb_path_el){VB_PATH_CLOSE, {0}};
  vb_color red = {0.8f, 0, 0, 1};
  vb_dlist_add_path(g, "border", vb_span_none(), els, n, none, red, 2, false);
  vb_dlist_add_rect(g, "border", vb_span_none(), 20, 20, 555.28f, 801.89f, none, red, 3);
  run head;
  check(shape(face, "GIẤY KHEN", 36, &head) == 0);
  vb_dlist_add_glyphs(g, "title", vb_span_none(), fx->font, 36, red, 200, 200, head.glyphs,
                      head.n, "GIẤY KHEN", (uint32_t)strlen("GIẤY KHEN"), head.clusters);
  fx->group = vb_resources_add_group(fx->res, g);
}

/* One certificate page: the group, the name, images, a clip, a link, an outline. */
static vb_dlist *make_page(const fixture *fx, bool with_images, bool use_group) {
  vb_dlist *dl = vb_dlist_new(595.28f, 841.89f);
  if (use_group)
    vb_dlist_add_group(dl, "frame", vb_span_none(), fx->group);
  else {
    const vb_dlist *g = vb_resources_group(fx->res, fx->group);
    for (size_t i = 0; i < vb_dlist_count(g); i++) {
      const vb_op *op = vb_dlist_op(g, i);
      if (op->kind == VB_OP_PATH)
        vb_dlist_add_path(dl, op->role, op->span, op->u.path.els, op->u.path.n,
                          op->u.path.fill, op->u.path.stroke, op->u.path.line_width,
                          op->u.path.even_odd);
    }
  }
  vb_dlist_add_outline(dl, NULL, vb_span_none(), 1, NAME, 300);
  vb_dlist_add_glyphs(dl, "recipient.name", vb_span_none(), fx->font, 28, black,
                      (595.28f - fx->name.width) / 2, 300, fx->name.glyphs, fx->name.n,
                      NAME, (uint32_t)strlen(NAME), fx->name.clusters);
  if (with_images) {
    vb_dlist_add_image(dl, "emblem", vb_span_none(), fx->png, 50, 50, 64, 48);
    vb_dlist_add_image(dl, "photo", vb_span_none(), fx->jpg, 150, 50, 64, 48);
    vb_dlist_add_image(dl, "seal", vb_span_none(), fx->svg, 250, 50, 80, 80);
  }
  vb_dlist_push_clip(dl, NULL, vb_span_none(), 100, 400, 100, 20);
  vb_color blue = {0, 0, 1, 1};
  vb_dlist_add_rect(dl, "clipped", vb_span_none(), 50, 380, 300, 60, blue, none, 0);
  vb_dlist_pop_clip(dl);
  vb_dlist_add_link(dl, NULL, vb_span_none(), 100, 500, 200, 20, "https://example.vn/a'b");
  return dl;
}

static vb_backend_opts pdf_opts(const fixture *fx) {
  vb_backend_opts o = {0};
  o.format = VB_FORMAT_PDF;
  o.res = fx->res;
  o.title = "Giấy khen";
  o.author = "Đảng ủy Phường 11";
  o.creator = "vanban test";
  o.date = 1730764800; /* 2024-11-05T00:00:00Z */
  return o;
}

/* Renders `pages` pages into *out; returns the close status. */
static int render(const fixture *fx, const vb_backend_opts *o, vb_output out, int pages,
                  bool with_images, bool use_group) {
  vb_diag *d = vb_diag_new(NULL, stderr);
  vb_backend *b = vb_backend_open(&vb_cairo_backend, o, out, d);
  if (!b) {
    vb_diag_free(d);
    return -100;
  }
  int rc = VB_OK;
  for (int i = 0; i < pages && rc == VB_OK; i++) {
    vb_dlist *dl = make_page(fx, with_images, use_group);
    rc = vb_backend_run_page(b, dl);
    vb_dlist_free(dl);
  }
  int rc2 = vb_backend_close(b);
  vb_backend_free(b);
  vb_diag_free(d);
  return rc ? rc : rc2;
}

static void save(const char *path, const vb_strbuf *sb) {
  FILE *f = fopen(path, "wb");
  fwrite(sb->data, 1, sb->len, f);
  fclose(f);
}

/* Output of a shell command (caller frees), or NULL when it failed to run. */
static char *run_cmd(const char *cmd) {
  FILE *p = popen(cmd, "r");
  if (!p)
    return NULL;
  vb_strbuf sb = VB_STRBUF_INIT;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    vb_strbuf_add(&sb, buf, n);
  int st = pclose(p);
  if (st != 0) {
    vb_strbuf_free(&sb);
    return NULL;
  }
  return vb_strbuf_detach(&sb);
}

static bool have(const char *tool) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  return system(cmd) == 0;
}

static void test_registry(void) {
  check(vb_backend_find("cairo") == &vb_cairo_backend);
  check(vb_backend_find("trace") == &vb_trace_backend);
  check(vb_backend_find("haru") == &vb_haru_backend);
  check(vb_backend_find("nope") == NULL);
  int n = 0;
  for (const vb_backend_class *const *c = vb_backend_list(); *c; c++)
    n++;
  check_int(n, 3);
  vb_format f = VB_FORMAT_TRACE;
  check_int(vb_format_from_name("pdf", &f), 0);
  check_int(f, VB_FORMAT_PDF);
  check_int(vb_format_from_name("png", &f), 0);
  check_int(f, VB_FORMAT_PNG);
  check_int(vb_format_from_name("trace", &f), 0);
  check_int(f, VB_FORMAT_TRACE);
  check_int(vb_format_from_name("svg", &f), -1);
  check(vb_backend_for_format(VB_FORMAT_PDF) == &vb_cairo_backend);
  check(vb_backend_for_format(VB_FORMAT_PNG) == &vb_cairo_backend);
  check(vb_backend_for_format(VB_FORMAT_TRACE) == &vb_trace_backend);
  check(vb_cairo_backend.caps & VB_CAP_GROUPS);
  check(vb_backend_format_caps(&vb_cairo_backend, VB_FORMAT_PNG) & VB_CAP_ONE_PAGE);
  check(!(vb_backend_format_caps(&vb_cairo_backend, VB_FORMAT_PDF) & VB_CAP_ONE_PAGE));
}

/* ---- a minimal class: only draw_rect, to test the wrappers */
typedef struct fake_backend {
  vb_backend base;
  int rects, fail_at;
} fake_backend;

static vb_backend *fake_open(const vb_backend_opts *opts, vb_output out, vb_diag *d) {
  (void)opts;
  (void)out;
  (void)d;
  fake_backend *f = calloc(1, sizeof *f);
  return &f->base;
}

static int fake_rect(vb_backend *b, const vb_op *op) {
  (void)op;
  fake_backend *f = (fake_backend *)b;
  f->rects++;
  return f->rects == f->fail_at ? VB_EIO : VB_OK;
}

static void fake_free(vb_backend *b) { free(b); }

static const vb_backend_class fake_class = {
    .name = "fake",
    .formats = 1u << VB_FORMAT_PDF,
    .open = fake_open,
    .draw_rect = fake_rect,
    .free = fake_free,
};

static void test_wrappers(const fixture *fx) {
  vb_resources *res = (vb_resources *)fx->res;
  vb_dlist *g = vb_dlist_new(0, 0);
  vb_dlist_add_rect(g, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  vb_dlist_add_rect(g, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  uint32_t gid = vb_resources_add_group(res, g);
  vb_dlist *dl = vb_dlist_new(10, 10);
  vb_dlist_add_group(dl, NULL, vb_span_none(), gid);
  vb_dlist_add_rect(dl, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  vb_dlist_add_glyphs(dl, NULL, vb_span_none(), fx->font, 10, black, 0, 0, fx->name.glyphs,
                      fx->name.n, NULL, 0, NULL);
  vb_dlist_add_link(dl, NULL, vb_span_none(), 0, 0, 1, 1, "x");
  vb_dlist_add_group(dl, NULL, vb_span_none(), gid);
  vb_backend_opts o = {0};
  o.format = VB_FORMAT_PDF;
  o.res = fx->res;
  o.date = -1;
  vb_diag *d = vb_diag_new(NULL, stderr);
  vb_strbuf out = VB_STRBUF_INIT;
  vb_backend *b = vb_backend_open(&fake_class, &o, (vb_output){mem_write, &out}, d);
  o.res = NULL; /* the backend keeps its own copy of the options */
  check(b && b->opts != &o && b->opts->res == fx->res);
  /* groups replayed op by op; empty slots are no-ops */
  check_int(vb_backend_run_page(b, dl), VB_OK);
  check_int(((fake_backend *)b)->rects, 5);
  check_int(b->pages, 1);
  check_int(vb_backend_close(b), VB_OK);
  vb_backend_free(b);
  /* the first failure is kept and stops everything after it */
  o.res = fx->res;
  b = vb_backend_open(&fake_class, &o, (vb_output){mem_write, &out}, d);
  ((fake_backend *)b)->fail_at = 2;
  check_int(vb_backend_run_page(b, dl), VB_EIO);
  check_int(((fake_backend *)b)->rects, 2);
  check_int(vb_backend_begin_page(b, 10, 10), VB_EIO);
  check_int(vb_backend_draw(b, vb_dlist_op(dl, 1)), VB_EIO);
  check_int(((fake_backend *)b)->rects, 2);
  check_int(vb_backend_close(b), VB_EIO);
  check_int(b->error, VB_EIO);
  vb_backend_free(b);
  vb_dlist_free(dl);
  vb_diag_free(d);
}

static void test_trace(const fixture *fx) {
  vb_strbuf out = VB_STRBUF_INIT;
  vb_backend_opts o = {0};
  o.format = VB_FORMAT_TRACE;
  o.res = fx->res;
  o.date = -1;
  vb_diag *d = vb_diag_new(NULL, stderr);
  vb_backend *b = vb_backend_open(&vb_trace_backend, &o, (vb_output){mem_write, &out}, d);
  check(b != NULL);
  /* a small group and two pages using it */
  vb_resources *res = (vb_resources *)fx->res;
  vb_dlist *g = vb_dlist_new(0, 0);
  vb_dlist_add_rect(g, "rule", vb_span_none(), 0, 10, 100, 0.5f, black, none, 0);
  uint32_t gid = vb_resources_add_group(res, g);
  for (int p = 0; p < 2; p++) {
    vb_dlist *dl = vb_dlist_new(595.28f, 841.89f);
    vb_dlist_add_group(dl, "rule", vb_span_none(), gid);
    vb_glyph gl[2] = {{43, 0, 0}, {70, 7.5f, 0}};
    uint32_t cl[2] = {0, 1};
    vb_dlist_add_glyphs(dl, "x", vb_span_none(), fx->font, 12, black, 10, 20, gl, 2, "Ng",
                        2, cl);
    check_int(vb_backend_run_page(b, dl), VB_OK);
    vb_dlist_free(dl);
  }
  check_int(vb_backend_close(b), VB_OK);
  check_int(b->pages, 2);
  vb_backend_free(b);
  char want[1024];
  snprintf(want, sizeof want,
           "page 1 595.28x841.89\n"
           "group role=rule at=- id=%u ops=1\n"
           "group %u begin\n"
           "rect role=rule at=- xy=0.00,10.00 wh=100.00x0.50 fill=#000000 stroke=none "
           "width=0.00\n"
           "group %u end\n"
           "glyphs role=x at=- font=LiberationSerif-Regular.ttf#0 size=12.00 color=#000000 "
           "origin=10.00,20.00 text=\"Ng\" clusters=0,1 glyphs=43@0.00,70@7.50\n"
           "end page 1\n"
           "page 2 595.28x841.89\n"
           "group role=rule at=- id=%u ops=1\n"
           "glyphs role=x at=- font=LiberationSerif-Regular.ttf#0 size=12.00 color=#000000 "
           "origin=10.00,20.00 text=\"Ng\" clusters=0,1 glyphs=43@0.00,70@7.50\n"
           "end page 2\n",
           gid, gid, gid, gid);
  check_str(vb_strbuf_cstr(&out), want);
  vb_strbuf_free(&out);

  vb_diag_free(d);
  /* The trace backend cannot write PDF; the wrapper says so. */
  FILE *err = tmpfile();
  d = vb_diag_new(NULL, err);
  o.format = VB_FORMAT_PDF;
  check(vb_backend_open(&vb_trace_backend, &o, (vb_output){mem_write, &out}, d) == NULL);
  check_int(vb_diag_error_count(d), 1);
  vb_diag_free(d);
  fclose(err);
}

static void test_pdf(const fixture *fx) {
  vb_backend_opts o = pdf_opts(fx);
  vb_strbuf a = VB_STRBUF_INIT, b = VB_STRBUF_INIT;
  check_int(render(fx, &o, (vb_output){mem_write, &a}, 2, true, true), VB_OK);
  check(a.len > 1000 && memcmp(a.data, "%PDF-", 5) == 0);
  /* Reproducible: same input and date, same bytes. */
  check_int(render(fx, &o, (vb_output){mem_write, &b}, 2, true, true), VB_OK);
  check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  save("/tmp/vb-tb.pdf", &a);
  if (have("pdftotext")) {
    char *txt = run_cmd("pdftotext -enc UTF-8 /tmp/vb-tb.pdf -");
    check(txt && strstr(txt, NAME) != NULL);
    check(txt && strstr(txt, "GIẤY KHEN") != NULL);
    if (txt && !strstr(txt, NAME))
      fprintf(stderr, "    pdftotext gave: %s\n", txt);
    free(txt);
  } else {
    printf("SKIP pdftotext checks (pdftotext not found)\n");
  }
  if (have("qpdf")) {
    char *chk = run_cmd("qpdf --check /tmp/vb-tb.pdf 2>&1");
    check(chk && strstr(chk, "No syntax or stream encoding errors") != NULL);
    if (chk && !strstr(chk, "No syntax"))
      fprintf(stderr, "%s", chk);
    free(chk);
  }
  if (have("pdfinfo")) {
    char *info = run_cmd("pdfinfo -isodates /tmp/vb-tb.pdf");
    check(info && strstr(info, "Giấy khen") != NULL);
    check(info && strstr(info, "2024-11-05T00:00:00") != NULL);
    check(info && strstr(info, "Pages:           2") != NULL);
    free(info);
  }
  vb_strbuf_free(&a);
  vb_strbuf_free(&b);
}

static void test_png(const fixture *fx) {
  vb_backend_opts o = pdf_opts(fx);
  o.format = VB_FORMAT_PNG;
  o.dpi = 72;
  vb_strbuf a = VB_STRBUF_INIT;
  check_int(render(fx, &o, (vb_output){mem_write, &a}, 1, true, true), VB_OK);
  check(a.len > 100 && memcmp(a.data, "\x89PNG\r\n\x1a\n", 8) == 0);
  if (a.len > 24) {
    const unsigned char *p = (const unsigned char *)a.data;
    check_int(p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19], 596);
    check_int(p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23], 842);
  }
  save("/tmp/vb-tb.png.out.png", &a);
  vb_strbuf_free(&a);
  /* A second page in one PNG output is refused. */
  vb_strbuf c = VB_STRBUF_INIT;
  FILE *mem_err = tmpfile();
  vb_diag *d = vb_diag_new(NULL, mem_err);
  vb_backend *b = vb_backend_open(&vb_cairo_backend, &o, (vb_output){mem_write, &c}, d);
  vb_dlist *dl = vb_dlist_new(100, 100);
  check_int(vb_backend_run_page(b, dl), VB_OK);
  check(vb_backend_run_page(b, dl) < 0);
  check_int(vb_diag_error_count(d), 1);
  vb_dlist_free(dl);
  vb_backend_free(b);
  vb_diag_free(d);
  fclose(mem_err);
  vb_strbuf_free(&c);
}

static void test_write_failure(const fixture *fx) {
  fd_out o2 = {open("/dev/full", O_WRONLY), 0};
  if (o2.fd < 0) {
    printf("SKIP /dev/full test\n");
    return;
  }
  vb_backend_opts o = pdf_opts(fx);
  check_int(render(fx, &o, (vb_output){fd_write, &o2}, 3, true, true), VB_EIO);
  check(o2.failures == 1); /* stopped writing after the first failure */
  o.format = VB_FORMAT_PNG;
  o2.failures = 0;
  check_int(render(fx, &o, (vb_output){fd_write, &o2}, 1, false, true), VB_EIO);
  check(o2.failures == 1);
  close(o2.fd);
}

/* A group (and images) used on many pages is written once. */
static void test_dedup(const fixture *fx) {
  vb_backend_opts o = pdf_opts(fx);
  vb_strbuf one = VB_STRBUF_INIT, many = VB_STRBUF_INIT, inl = VB_STRBUF_INIT;
  check_int(render(fx, &o, (vb_output){mem_write, &one}, 1, true, true), VB_OK);
  check_int(render(fx, &o, (vb_output){mem_write, &many}, 50, true, true), VB_OK);
  check_int(render(fx, &o, (vb_output){mem_write, &inl}, 50, true, false), VB_OK);
  double per_page = (double)(many.len - one.len) / 49;
  printf("pdf sizes: 1 page %zu bytes, 50 pages with group %zu bytes (%.0f per extra "
         "page), 50 pages drawn inline %zu bytes\n",
         one.len, many.len, per_page, inl.len);
  check(per_page < 2500);
  check(inl.len > many.len * 2); /* the inline border really is repeated */
  save("/tmp/vb-tb-50.pdf", &many);
  if (have("qpdf")) {
    char *np = run_cmd("qpdf --show-npages /tmp/vb-tb-50.pdf");
    check(np && atoi(np) == 50);
    free(np);
    /* two form XObjects (the group and the SVG) for the whole document */
    char *forms = run_cmd("qpdf --qdf --object-streams=disable /tmp/vb-tb-50.pdf - | "
                          "grep -a -c '/Subtype /Form'");
    check(forms && atoi(forms) == 2);
    free(forms);
    /* one image XObject per raster image (PNG, JPEG), not one per page */
    char *imgs = run_cmd("pdfimages -list /tmp/vb-tb-50.pdf 2>/dev/null | tail -n +3 | "
                         "awk '{print $11}' | sort -u | wc -l");
    if (imgs)
      check_int(atoi(imgs), 2);
    free(imgs);
  }
  vb_strbuf_free(&one);
  vb_strbuf_free(&many);
  vb_strbuf_free(&inl);
}

static void test_errors(const fixture *fx) {
  /* Unknown font id: reported, sticky, close returns it. */
  vb_strbuf out = VB_STRBUF_INIT;
  FILE *err = tmpfile();
  vb_diag *d = vb_diag_new(NULL, err);
  vb_backend_opts o = pdf_opts(fx);
  vb_backend *b = vb_backend_open(&vb_cairo_backend, &o, (vb_output){mem_write, &out}, d);
  vb_dlist *dl = vb_dlist_new(100, 100);
  vb_glyph gl = {1, 0, 0};
  vb_dlist_add_glyphs(dl, NULL, vb_span_none(), 999, 10, black, 0, 0, &gl, 1, "a", 1, NULL);
  vb_dlist_add_rect(dl, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  int rc = vb_backend_run_page(b, dl);
  check(rc < 0);
  check_int(vb_backend_close(b), rc);
  check_int(vb_diag_error_count(d), 1);
  vb_backend_free(b);
  vb_dlist_free(dl);

  /* Missing image file at render time. */
  vb_resources *res = vb_resources_new();
  uint32_t im = vb_resources_add_image(res, "/tmp/vb-gone.png", VB_IMAGE_PNG, 10, 10);
  o.res = res;
  vb_strbuf_reset(&out);
  b = vb_backend_open(&vb_cairo_backend, &o, (vb_output){mem_write, &out}, d);
  dl = vb_dlist_new(100, 100);
  vb_dlist_add_image(dl, NULL, vb_span_none(), im, 0, 0, 10, 10);
  check_int(vb_backend_run_page(b, dl), VB_EIO);
  check_int(vb_diag_error_count(d), 2);
  vb_backend_free(b); /* without close */
  vb_dlist_free(dl);
  vb_resources_free(res);
  fseek(err, 0, SEEK_SET);
  char buf[1024] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, err);
  buf[n] = '\0';
  check(strstr(buf, "unknown font 999") != NULL);
  check(strstr(buf, "cannot read image '/tmp/vb-gone.png'") != NULL);
  fclose(err);
  vb_diag_free(d);
  vb_strbuf_free(&out);
}

/* ---- haru: a glyph is shown through the code point its font's cmap gives it */

/* One page with one run of `glyphs` (cluster 0 for all) over `text` (may be NULL),
 * through the haru backend into *out; the close status, the diag text in msg. */
static int haru_run(const fixture *fx, const vb_glyph *glyphs, uint32_t n, const char *text,
                    vb_strbuf *out, char *msg, size_t msgsize) {
  FILE *err = tmpfile();
  vb_diag *d = vb_diag_new(NULL, err);
  vb_backend_opts o = pdf_opts(fx);
  vb_backend *b = vb_backend_open(&vb_haru_backend, &o, (vb_output){mem_write, out}, d);
  int rc = -100;
  if (b) {
    vb_dlist *dl = vb_dlist_new(300, 200);
    uint32_t clusters[8] = {0};
    vb_dlist_add_glyphs(dl, "t", vb_span_none(), fx->font, 24, black, 50, 100, glyphs, n, text,
                        text ? (uint32_t)strlen(text) : 0, text ? clusters : NULL);
    rc = vb_backend_run_page(b, dl);
    int rc2 = vb_backend_close(b);
    if (rc == VB_OK)
      rc = rc2;
    vb_backend_free(b);
    vb_dlist_free(dl);
  }
  fseek(err, 0, SEEK_SET);
  size_t k = fread(msg, 1, msgsize - 1, err);
  msg[k] = '\0';
  fclose(err);
  vb_diag_free(d);
  return rc;
}

/* The page's text (pdftotext) and its decompressed content (qpdf --qdf) of `pdf`. */
static void haru_look(const vb_strbuf *pdf, char **text, char **qdf) {
  save("/tmp/vb-tb-haru.pdf", pdf);
  *text = have("pdftotext") ? run_cmd("pdftotext -enc UTF-8 /tmp/vb-tb-haru.pdf -") : NULL;
  *qdf = have("qpdf") ? run_cmd("qpdf --qdf --object-streams=disable /tmp/vb-tb-haru.pdf -")
                      : NULL;
}

static void test_haru_unmapped(const fixture *fx, FT_Face face) {
  /* grave.alt1: an alternate form that no cmap entry reaches, standing here for a
   * ligature or alternate Pango may pick; 'fi' (U+FB01) a ligature the cmap has */
  FT_UInt alt = FT_Get_Name_Index(face, "grave.alt1"), lig = FT_Get_Char_Index(face, 0xFB01);
  check(alt != 0 && lig != 0);
  FT_UInt gid;
  for (FT_ULong cp = FT_Get_First_Char(face, &gid); gid; cp = FT_Get_Next_Char(face, cp, &gid))
    check(gid != alt); /* the premise: no code point maps to it */
  char msg[1024], *text, *qdf;
  vb_strbuf out = VB_STRBUF_INIT;

  /* an unmapped glyph over "fi": the cluster's characters in their plain forms */
  vb_glyph one = {alt, 0, 0};
  check_int(haru_run(fx, &one, 1, "fi", &out, msg, sizeof msg), VB_OK);
  check_str(msg, "");
  haru_look(&out, &text, &qdf);
  if (text)
    check(strncmp(text, "fi\n", 3) == 0);
  if (qdf) /* f (U+0066) and i (U+0069) shown, not the alternate, not nothing
             * (qpdf --qdf writes hex strings in lower case) */
    check(strstr(qdf, "[<00660069>] TJ") != NULL);
  free(text);
  free(qdf);

  /* the mapped ligature: its own code point, the text as ActualText */
  vb_strbuf_reset(&out);
  vb_glyph fi = {lig, 0, 0};
  check_int(haru_run(fx, &fi, 1, "fi", &out, msg, sizeof msg), VB_OK);
  haru_look(&out, &text, &qdf);
  if (text)
    check(strncmp(text, "fi\n", 3) == 0);
  if (qdf) {
    check(strstr(qdf, "[<fb01>] TJ") != NULL);
    check(strstr(qdf, "/ActualText <feff00660069>") != NULL);
  }
  free(text);
  free(qdf);

  /* an unmapped glyph over a character the font lacks: the font and the character
   * reported, the run fails (exit status 1 through the CLI) */
  vb_strbuf_reset(&out);
  check(haru_run(fx, &one, 1, "\u2603", &out, msg, sizeof msg) < 0);
  check(strstr(msg, "font 'LiberationSerif-Regular.ttf' cannot show '\u2603' (U+2603) through "
                    "libharu: its glyph has no code point in the font's cmap") != NULL);
  /* ... beyond the Basic Multilingual Plane */
  vb_strbuf_reset(&out);
  check(haru_run(fx, &one, 1, "\U0001D49C", &out, msg, sizeof msg) < 0);
  check(strstr(msg, "(U+1D49C) through libharu: libharu 2.3.0 shows only the Basic "
                    "Multilingual Plane") != NULL);
  /* ... and with no text at all */
  vb_strbuf_reset(&out);
  check(haru_run(fx, &one, 1, NULL, &out, msg, sizeof msg) < 0);
  char want[128];
  snprintf(want, sizeof want, "glyph %u has no code point in the font's cmap and no text",
           (unsigned)alt);
  check(strstr(msg, want) != NULL);
  if (!strstr(msg, want))
    fprintf(stderr, "    got: %s\n", msg);
  vb_strbuf_free(&out);
}

/* ---- numfmt.c: every number it prints is glibc's (the PDF bytes stay the same) */

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...);

static uint64_t rng_state = 20241220;
static uint64_t rng(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

/* A value of the kinds PDF content holds: coordinates with a few decimals,
 * exact binary fractions (ties at some precision), tiny and subnormal
 * numbers, and raw bit patterns below 2^53. */
static double sample(void) {
  uint64_t r = rng();
  double d;
  switch (r % 6) {
  case 0:
    d = (double)(rng() % 100000000) / 1000.0;
    break;
  case 1:
    d = (double)(rng() % 1000000) / (double)(1u << (rng() % 24));
    break;
  case 2:
    d = ldexp((double)(rng() >> 11), -(int)(rng() % 1100));
    break;
  case 3: {
    uint64_t bits = rng() & 0x7fffffffffffffffULL;
    memcpy(&d, &bits, sizeof d);
    if (!isfinite(d) || d >= 9007199254740992.0)
      d = fmod(isfinite(d) ? d : 1.0, 1e6);
    break;
  }
  case 4:
    d = (double)(int64_t)(rng() % 20000) * 0.5 + 0.5; /* halves: ties at prec 0 */
    break;
  default:
    d = (double)(rng() % 2000000) / 1000000.0 * 841.89;
  }
  return (r >> 8) & 1 ? -d : d;
}

/* ---- deflate.c: cairo's Flate streams compressed whole by libdeflate */

/* Text-like input: words of NAME and digits from a fixed LCG, so that it
 * compresses as content streams do. */
static unsigned char *zdata(size_t len) {
  static const char *words[] = {"Nguyễn ", "Văn ", "Đức ", "BT ",
                                "Tf ",     "0.5 ", "12 ",  "re\n"};
  unsigned char *d = malloc(len);
  uint32_t x = 20241204;
  for (size_t i = 0; i < len;) {
    x = x * 1103515245u + 12345u;
    const char *w = words[(x >> 16) & 7];
    for (size_t k = 0; w[k] && i < len; k++)
      d[i++] = (unsigned char)w[k];
    if (((x >> 8) & 15) == 0 && i < len)
      d[i++] = (unsigned char)('0' + (x >> 20) % 10);
  }
  return d;
}

/* Compresses in[len] as cairo does (in steps of `step` bytes with Z_NO_FLUSH,
 * then Z_FINISH), through output buffers of `chunk` bytes; `flush_at`, if not
 * 0, asks Z_SYNC_FLUSH once that much input is in. Returns the zlib stream
 * (malloc) and its length, or NULL if a call failed. */
static unsigned char *zcompress(z_stream *s, const unsigned char *in, size_t len,
                                size_t step, size_t chunk, size_t flush_at,
                                size_t *out_len) {
  vb_strbuf out = VB_STRBUF_INIT;
  unsigned char *buf = malloc(chunk);
  size_t done = 0;
  bool ok = true, flushed = false;
  for (;;) {
    size_t n = len - done < step ? len - done : step;
    bool last = done + n == len;
    int flush = last ? Z_FINISH : Z_NO_FLUSH;
    if (flush_at && !flushed && done + n >= flush_at) {
      flush = Z_SYNC_FLUSH;
      flushed = true;
    }
    s->next_in = (unsigned char *)in + done;
    s->avail_in = (uInt)n;
    int r;
    do {
      s->next_out = buf;
      s->avail_out = (uInt)chunk;
      r = deflate(s, flush);
      vb_strbuf_add(&out, (const char *)buf, chunk - s->avail_out);
      if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
        ok = false;
    } while (ok && (s->avail_in != 0 || (flush == Z_FINISH && r != Z_STREAM_END) ||
                    (flush == Z_SYNC_FLUSH && s->avail_out == 0)));
    done += n;
    if (!ok || last)
      break;
  }
  free(buf);
  *out_len = out.len;
  if (!ok) {
    vb_strbuf_free(&out);
    return NULL;
  }
  return (unsigned char *)out.data;
}

/* True if z[zlen] inflates (zlib's inflate) to exactly want[len]. */
static bool zround(const unsigned char *z, size_t zlen, const unsigned char *want,
                   size_t len) {
  unsigned char *back = malloc(len + 1);
  uLongf blen = (uLongf)len + 1;
  int r = uncompress(back, &blen, z, (uLong)zlen);
  bool ok = r == Z_OK && blen == len && memcmp(back, want, len) == 0;
  free(back);
  return ok;
}

static unsigned long zalloc_calls;
static voidpf my_zalloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  zalloc_calls++;
  return calloc(items, size);
}
static void my_zfree(voidpf opaque, voidpf p) {
  (void)opaque;
  free(p);
}

static void test_deflate(const fixture *fx) {
  vb_deflate_count c0, c1;
  size_t zlen, rlen;
  /* A content-stream-sized stream, as cairo makes it: taken, one libdeflate
   * call, handed out through 1,000-byte buffers; zlib inflates it back. */
  size_t len = 300000;
  unsigned char *in = zdata(len);
  z_stream s = {0};
  vb_deflate_counts(&c0);
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  unsigned char *z = zcompress(&s, in, len, 16384, 1000, 0, &zlen);
  vb_deflate_counts(&c1);
  check_int(c1.taken - c0.taken, 1);
  check_int(c1.handed - c0.handed, 0);
  check(z && zlen < len / 4 && zround(z, zlen, in, len));
  check_int(s.total_in, len);
  check_int(s.total_out, zlen);
  check_int(s.adler, adler32(adler32(0, NULL, 0), in, (uInt)len));
  /* done: Z_FINISH again says Z_STREAM_END, more input is refused */
  unsigned char one[8];
  s.next_out = one;
  s.avail_out = sizeof one;
  check_int(deflate(&s, Z_FINISH), Z_STREAM_END);
  check_int(deflate(&s, Z_NO_FLUSH), Z_STREAM_ERROR);
  check_int(deflateEnd(&s), Z_OK);
  /* Not zlib's bytes (zlib at its default level gives others) but the same
   * bytes on every run. */
  size_t z2len;
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  unsigned char *z2 = zcompress(&s, in, len, 7000, 65536, 0, &z2len);
  check(z && z2 && zlen == z2len && memcmp(z, z2, zlen) == 0);
  deflateEnd(&s);
  /* reset: the same stream again */
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  free(z2);
  z2 = zcompress(&s, in, 1000, 16384, 100, 0, &z2len);
  check_int(deflateReset(&s), Z_OK);
  check_int(s.total_in, 0);
  free(z2);
  z2 = zcompress(&s, in, len, 16384, 4096, 0, &z2len);
  check(z && z2 && zlen == z2len && memcmp(z, z2, zlen) == 0);
  deflateEnd(&s);
  free(z2);
  /* an output buffer with no room, an early end */
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  s.next_in = in;
  s.avail_in = 100;
  s.next_out = one;
  s.avail_out = 0;
  check_int(deflate(&s, Z_NO_FLUSH), Z_BUF_ERROR);
  s.avail_out = sizeof one;
  check_int(deflate(&s, Z_FINISH), Z_OK); /* 8 bytes of the output so far */
  check_int(s.avail_out, 0);
  check_int(deflateEnd(&s), Z_DATA_ERROR);
  /* empty input */
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  unsigned char *z3 = zcompress(&s, in, 0, 16384, 64, 0, &rlen);
  check(z3 && rlen > 0 && zround(z3, rlen, in, 0));
  deflateEnd(&s);
  free(z3);

  /* Past VB_DEFLATE_MAX of input the stream is handed to zlib: the buffered
   * input is pushed through zlib's deflate, the rest follows. */
  size_t big = VB_DEFLATE_MAX + 200000;
  unsigned char *bin = zdata(big);
  vb_deflate_counts(&c0);
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  unsigned char *zb = zcompress(&s, bin, big, 65536, 16384, 0, &rlen);
  vb_deflate_counts(&c1);
  check_int(c1.taken - c0.taken, 1);
  check_int(c1.handed - c0.handed, 1);
  check(zb && zround(zb, rlen, bin, big));
  check_int(s.total_in, big);
  check_int(s.total_out, rlen);
  check_int(s.adler, adler32(adler32(0, NULL, 0), bin, (uInt)big));
  check_int(deflateEnd(&s), Z_OK);
  free(zb);
  /* A Z_SYNC_FLUSH is zlib's to do: handed over there, the output so far ends
   * with the empty stored block, and the whole still inflates back. */
  vb_deflate_counts(&c0);
  check_int(deflateInit(&s, Z_DEFAULT_COMPRESSION), Z_OK);
  zb = zcompress(&s, in, len, 16384, 512, 50000, &rlen);
  vb_deflate_counts(&c1);
  check_int(c1.handed - c0.handed, 1);
  check(zb && zround(zb, rlen, in, len));
  check_int(deflateEnd(&s), Z_OK);
  free(zb);

  /* Other callers' streams are zlib's, untouched: deflateInit2_ with an
   * allocator of its own (as libpng makes them), deflateInit_ with an
   * allocator or a level of its own. Their bytes are zlib's: the same as
   * compress2() at level 6 (Z_DEFAULT_COMPRESSION is zlib's level 6). */
  uLongf wlen = compressBound((uLong)len);
  unsigned char *want = malloc(wlen);
  vb_deflate_counts(&c0);
  check_int(compress2(want, &wlen, in, (uLong)len, 6), Z_OK);
  for (int kind = 0; kind < 3; kind++) {
    z_stream p = {0};
    unsigned long before = zalloc_calls;
    if (kind < 2) {
      p.zalloc = my_zalloc;
      p.zfree = my_zfree;
    }
    int r = kind == 0   ? deflateInit2(&p, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS, 8,
                                       Z_DEFAULT_STRATEGY)
            : kind == 1 ? deflateInit(&p, Z_DEFAULT_COMPRESSION)
                        : deflateInit(&p, 6);
    check_int(r, Z_OK);
    unsigned char *zp = zcompress(&p, in, len, 16384, 1000, 0, &rlen);
    check(zp && rlen == wlen && memcmp(zp, want, wlen) == 0);
    if (kind < 2)
      check(zalloc_calls > before);
    check_int(deflateEnd(&p), Z_OK);
    free(zp);
  }
  vb_deflate_counts(&c1);
  check_int(c1.taken - c0.taken, 0);
  check_int(c1.passed - c0.passed, 3); /* compress2 at 6, deflateInit with zalloc, at 6 */
  check(c1.foreign_calls > c0.foreign_calls);
  free(want);

  /* Through cairo: a PDF's streams are taken, a PNG's (libpng) are not. */
  vb_backend_opts o = pdf_opts(fx);
  vb_strbuf a = VB_STRBUF_INIT;
  vb_deflate_counts(&c0);
  check_int(render(fx, &o, (vb_output){mem_write, &a}, 2, true, true), VB_OK);
  vb_deflate_counts(&c1);
  check(c1.taken - c0.taken >= 4);
  check_int(c1.foreign_calls - c0.foreign_calls, 0);
  vb_strbuf_free(&a);
  o.format = VB_FORMAT_PNG;
  o.dpi = 72;
  vb_deflate_counts(&c0);
  check_int(render(fx, &o, (vb_output){mem_write, &a}, 1, true, true), VB_OK);
  vb_deflate_counts(&c1);
  check_int(c1.taken - c0.taken, 0);
  check(c1.foreign_calls > c0.foreign_calls);
  check(a.len > 100 && memcmp(a.data, "\x89PNG\r\n\x1a\n", 8) == 0);
  vb_strbuf_free(&a);

  free(z);
  free(in);
  free(bin);
}

static void test_numfmt(void) {
  char want[512], got[512];
  int bad = 0, fast = 0;
  for (int i = 0; i < 400000; i++) {
    double d = sample();
    int prec = i % 4 == 0 ? 6 : i % 4 == 1 ? 3 : (int)(rng() % 19);
    int wl = snprintf(want, sizeof want, "%.*f", prec, d);
    int gl = vb_numfmt_fixed(got, sizeof got, d, prec);
    if (gl >= 0)
      fast++;
    if (gl >= 0 && (gl != wl || strcmp(got, want))) {
      if (bad++ < 5)
        fprintf(stderr, "    %.17g prec %d: got \"%s\", glibc \"%s\"\n", d, prec, got, want);
    }
  }
  check_int(bad, 0);
  check(fast == 400000); /* all of them below 2^53 and finite */
  const double edge[] = {0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.0625, 1e-7, -1e-7,
                         4.9e-324, 9007199254740991.0, 0.1, 0.05, 0.0005, 999999.9999995};
  for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
    for (int prec = 0; prec <= 18; prec++) {
      snprintf(want, sizeof want, "%.*f", prec, edge[i]);
      check(vb_numfmt_fixed(got, sizeof got, edge[i], prec) >= 0);
      check_str(got, want);
    }
  /* what it leaves to glibc */
  check_int(vb_numfmt_fixed(got, sizeof got, 1e300, 6), -1);
  check_int(vb_numfmt_fixed(got, sizeof got, NAN, 6), -1);
  check_int(vb_numfmt_fixed(got, sizeof got, 1.0, 19), -1);
  /* snprintf's truncation and return value */
  check_int(vb_numfmt_fixed(got, 4, 123.456, 3), 7);
  check_str(got, "123");
  check_int(vb_numfmt_fixed(got, 0, 123.456, 3), 7);
  for (int v = -100000; v <= 100000; v += 7) {
    snprintf(want, sizeof want, "%d", v);
    vb_numfmt_int(got, sizeof got, v);
    if (strcmp(got, want))
      bad++;
  }
  const int ints[] = {0, -1, 2147483647, -2147483647 - 1};
  for (size_t i = 0; i < 4; i++) {
    snprintf(want, sizeof want, "%d", ints[i]);
    vb_numfmt_int(got, sizeof got, ints[i]);
    check_str(got, want);
  }
  check_int(bad, 0);
  /* the interposed entry point: the fast conversions and the others alike */
  check_int(__snprintf_chk(got, sizeof got, 1, sizeof got, "%f", 76.535433), 9);
  check_str(got, "76.535433");
  check_int(__snprintf_chk(got, sizeof got, 1, sizeof got, "%.*f", 3, -0.0004), 6);
  check_str(got, "-0.000");
  __snprintf_chk(got, sizeof got, 1, sizeof got, "%.18f", 0.0123);
  snprintf(want, sizeof want, "%.18f", 0.0123);
  check_str(got, want);
  __snprintf_chk(got, sizeof got, 1, sizeof got, "%d", -42);
  check_str(got, "-42");
  __snprintf_chk(got, sizeof got, 1, sizeof got, "%5.2f|%s|%x", 3.14159, "a", 255);
  check_str(got, " 3.14|a|ff");
  /* a decimal comma: glibc's own conversion */
  if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
    check_int(vb_numfmt_fixed(got, sizeof got, 1.5, 1), -1);
    __snprintf_chk(got, sizeof got, 1, sizeof got, "%f", 1.5);
    check_str(got, "1,500000");
    setlocale(LC_NUMERIC, "C");
  }
}

int main(void) {
  FT_Library lib;
  FT_Face face;
  if (FT_Init_FreeType(&lib) || FT_New_Face(lib, SERIF, 0, &face)) {
    fprintf(stderr, "cannot load %s\n", SERIF);
    return 1;
  }
  make_images();
  fixture fx;
  fixture_init(&fx, face);
  test_registry();
  test_wrappers(&fx);
  test_trace(&fx);
  test_pdf(&fx);
  test_png(&fx);
  test_write_failure(&fx);
  test_dedup(&fx);
  test_errors(&fx);
  test_haru_unmapped(&fx, face);
  test_deflate(&fx);
  test_numfmt();
  vb_resources_free(fx.res);
  FT_Done_Face(face);
  FT_Done_FreeType(lib);
  remove("/tmp/vb-tb.png");
  remove("/tmp/vb-tb.jpg");
  remove("/tmp/vb-tb.svg");
  remove("/tmp/vb-tb.pdf");
  remove("/tmp/vb-tb-haru.pdf");
  remove("/tmp/vb-tb-50.pdf");
  remove("/tmp/vb-tb.png.out.png");
  return summary("test-backend");
}
