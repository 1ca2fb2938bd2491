/* test-display.c - unit tests for the display stage: display list copy
 * semantics, resource deduplication, the dump format and image probing. */
#include "../../src/display/display.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const vb_color black = {0, 0, 0, 1};
static const vb_color none = {0, 0, 0, 0};

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fwrite(data, 1, len, f);
  fclose(f);
}

static char *dump_one(const vb_dlist *dl, size_t i, const vb_resources *r,
                      const vb_sources *s) {
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_op_dump(vb_dlist_op(dl, i), r, s, &sb);
  return vb_strbuf_detach(&sb);
}

static void test_copy_semantics(void) {
  vb_dlist *dl = vb_dlist_new(595.28f, 841.89f);
  check(vb_dlist_width(dl) > 595.2f && vb_dlist_height(dl) < 842);
  char role[32] = "recipient.name";
  char text[32] = "Văn";
  vb_glyph glyphs[3] = {{10, 0, 0}, {20, 5.5f, 0}, {30, 11, -1}};
  uint32_t clusters[3] = {0, 1, 3};
  vb_path_el els[2] = {{VB_PATH_MOVE, {1, 2, 0, 0, 0, 0}},
                       {VB_PATH_LINE, {3, 4, 0, 0, 0, 0}}};
  char uri[32] = "https://example.vn/a";
  vb_dlist_add_glyphs(dl, role, vb_span_none(), 0, 12, black, 1, 2, glyphs, 3, text,
                      (uint32_t)strlen(text), clusters);
  vb_dlist_add_path(dl, role, vb_span_none(), els, 2, black, none, 1, true);
  vb_dlist_add_link(dl, NULL, vb_span_none(), 0, 0, 10, 10, uri);
  vb_dlist_add_outline(dl, NULL, vb_span_none(), 1, text, 100);
  /* Scribble over every input: the list must keep its own copies. */
  memset(role, 'x', sizeof role - 1);
  memset(text, 'x', sizeof text - 1);
  memset(glyphs, 0xff, sizeof glyphs);
  memset(clusters, 0xff, sizeof clusters);
  memset(els, 0xff, sizeof els);
  memset(uri, 'x', sizeof uri - 1);
  check_int(vb_dlist_count(dl), 4);
  const vb_op *g = vb_dlist_op(dl, 0);
  check_int(g->kind, VB_OP_GLYPHS);
  check_str(g->role, "recipient.name");
  check_str(g->u.glyphs.text, "Văn");
  check_int(g->u.glyphs.text_len, 4);
  check_int(g->u.glyphs.n, 3);
  check_int(g->u.glyphs.glyphs[1].id, 20);
  check(g->u.glyphs.glyphs[1].x == 5.5f);
  check_int(g->u.glyphs.clusters[2], 3);
  const vb_op *p = vb_dlist_op(dl, 1);
  check_int(p->u.path.n, 2);
  check(p->u.path.els[1].pt[1] == 4);
  check(p->u.path.even_odd);
  check_str(vb_dlist_op(dl, 2)->u.link.uri, "https://example.vn/a");
  check(vb_dlist_op(dl, 2)->role == NULL);
  check_str(vb_dlist_op(dl, 3)->u.outline.title, "Văn");
  check(vb_dlist_op(dl, 4) == NULL);
  /* Many ops: the array grows, earlier ops keep their content. */
  for (int i = 0; i < 1000; i++)
    vb_dlist_add_rect(dl, "r", vb_span_none(), (float)i, 0, 1, 1, black, none, 0);
  check_int(vb_dlist_count(dl), 1004);
  check(vb_dlist_op(dl, 1003)->u.rect.x == 999);
  check_str(vb_dlist_op(dl, 0)->u.glyphs.text, "Văn");
  vb_dlist_free(dl);
  vb_dlist_free(NULL);
}

static void test_resources(void) {
  vb_resources *r = vb_resources_new();
  char path[64] = "/fonts/LiberationSerif-Regular.ttf";
  uint32_t a = vb_resources_add_font(r, path, 0);
  const vb_font_res *fa = vb_resources_font(r, a);
  uint32_t b = vb_resources_add_font(r, "/fonts/LiberationSerif-Regular.ttf", 0);
  uint32_t c = vb_resources_add_font(r, "/fonts/LiberationSerif-Regular.ttf", 1);
  uint32_t d = vb_resources_add_font(r, "/fonts/LiberationSerif-Bold.ttf", 0);
  check_int(a, b);
  check(c != a && d != a && d != c);
  check_int(vb_resources_font_count(r), 3);
  path[1] = 'X';
  for (int i = 0; i < 100; i++) {
    char name[32];
    snprintf(name, sizeof name, "/f/%d.ttf", i);
    vb_resources_add_font(r, name, 0);
  }
  check_int(vb_resources_font_count(r), 103);
  check(vb_resources_font(r, a) == fa); /* entries stay put as the table grows */
  check_str(fa->file, "/fonts/LiberationSerif-Regular.ttf");
  check_int(vb_resources_font(r, c)->index, 1);
  check(vb_resources_font(r, 103) == NULL);

  uint32_t i1 = vb_resources_add_image(r, "img/quoc-huy.png", VB_IMAGE_PNG, 10, 20);
  uint32_t i2 = vb_resources_add_image(r, "img/quoc-huy.png", VB_IMAGE_PNG, 10, 20);
  uint32_t i3 = vb_resources_add_image(r, "img/logo.svg", VB_IMAGE_SVG, 100, 100);
  check_int(i1, i2);
  check(i3 != i1);
  check_int(vb_resources_image_count(r), 2);
  check_int(vb_resources_image(r, i3)->kind, VB_IMAGE_SVG);
  check(vb_resources_image(r, i1)->height == 20);
  check(vb_resources_image(r, 7) == NULL);

  vb_dlist *g = vb_dlist_new(100, 100);
  vb_dlist_add_rect(g, "border", vb_span_none(), 1, 1, 98, 98, none, black, 1);
  uint32_t g1 = vb_resources_add_group(r, g);
  uint32_t g2 = vb_resources_add_group(r, vb_dlist_new(0, 0));
  check(g1 != g2);
  check_int(vb_resources_group_count(r), 2);
  check(vb_resources_group(r, g1) == g);
  check_int(vb_dlist_count(vb_resources_group(r, g1)), 1);
  check(vb_resources_group(r, 2) == NULL);
  vb_resources_free(r); /* frees the groups too (ASan checks) */
  vb_resources_free(NULL);
}

static void test_dump(void) {
  vb_sources *src = vb_sources_new();
  const char *yaml = "a: 1\nname: Nguyễn\n";
  uint32_t sid = vb_sources_add(src, "samples/x.yaml", vb_xstrdup(yaml), strlen(yaml));
  vb_resources *r = vb_resources_new();
  uint32_t font = vb_resources_add_font(r, "/usr/share/fonts/LiberationSerif-Bold.ttf", 0);
  uint32_t img = vb_resources_add_image(r, "/x/y/quoc-huy.png", VB_IMAGE_PNG, 10, 10);
  vb_dlist *grp = vb_dlist_new(0, 0);
  vb_dlist_add_rect(grp, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  vb_dlist_add_rect(grp, NULL, vb_span_none(), 0, 0, 1, 1, black, none, 0);
  uint32_t gid = vb_resources_add_group(r, grp);

  vb_dlist *dl = vb_dlist_new(595.28f, 841.89f);
  vb_color red = {0.75294f, 0, 0, 1};
  vb_glyph gl[3] = {{49, 0, 0}, {72, 10.53f, 0}, {3, 20.004f, -2.5f}};
  uint32_t cl[3] = {0, 1, 1};
  const char *t = "N\"\\\n";
  vb_dlist_add_glyphs(dl, "recipient.name", vb_span_make(sid, 11, 22), font, 28, red,
                      123.454f, 200, gl, 3, t, (uint32_t)strlen(t), cl);
  vb_dlist_add_rect(dl, "border", vb_span_none(), 10, 10, 200, 100, none, black, 1);
  vb_color half = {1, 1, 1, 0.5f};
  vb_path_el els[4] = {{VB_PATH_MOVE, {0, 0, 0, 0, 0, 0}},
                       {VB_PATH_LINE, {10, -0.001f, 0, 0, 0, 0}},
                       {VB_PATH_CURVE, {1, 2, 3, 4, 5, 6}},
                       {VB_PATH_CLOSE, {0, 0, 0, 0, 0, 0}}};
  vb_dlist_add_path(dl, "ornament", vb_span_none(), els, 4, half, none, 0.5f, true);
  vb_dlist_add_image(dl, "emblem", vb_span_none(), img, 1, 2, 3, 4);
  vb_dlist_add_group(dl, "frame", vb_span_none(), gid);
  vb_dlist_add_link(dl, "a b", vb_span_none(), 1, 2, 3, 4, "https://x.vn/?q=\"1\"");
  vb_dlist_add_outline(dl, NULL, vb_span_none(), 2, "Điều 1", 72);
  vb_dlist_push_clip(dl, NULL, vb_span_make(sid, 0, 1), 0, 0, 50, 60);
  vb_dlist_pop_clip(dl);

  const char *want[] = {
      "glyphs role=recipient.name at=samples/x.yaml:2:7 font=LiberationSerif-Bold.ttf#0 "
      "size=28.00 color=#c00000 origin=123.45,200.00 text=\"N\\\"\\\\\\n\" "
      "clusters=0,1,1 glyphs=49@0.00,72@10.53,3@20.00:-2.50\n",
      "rect role=border at=- xy=10.00,10.00 wh=200.00x100.00 fill=none stroke=#000000 "
      "width=1.00\n",
      "path role=ornament at=- fill=#ffffff/0.50 stroke=none width=0.50 rule=evenodd "
      "d=\"M0.00,0.00 L10.00,0.00 C1.00,2.00 3.00,4.00 5.00,6.00 Z\"\n",
      "image role=emblem at=- image=quoc-huy.png xy=1.00,2.00 wh=3.00x4.00\n",
      "group role=frame at=- id=0 ops=2\n",
      "link role=\"a b\" at=- xy=1.00,2.00 wh=3.00x4.00 "
      "uri=\"https://x.vn/?q=\\\"1\\\"\"\n",
      "outline role=- at=- level=2 y=72.00 title=\"Điều 1\"\n",
      "clip-push role=- at=samples/x.yaml:1:1 xy=0.00,0.00 wh=50.00x60.00\n",
      "clip-pop role=- at=-\n",
  };
  check_int(vb_dlist_count(dl), sizeof want / sizeof want[0]);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    char *got = dump_one(dl, i, r, src);
    check_str(got, want[i]);
    free(got);
  }
  /* Without sources, spans print as '-'; a control byte is escaped in octal. */
  vb_dlist *d2 = vb_dlist_new(1, 1);
  vb_dlist_add_glyphs(d2, "", vb_span_make(sid, 0, 1), font, 10, black, 0, 0, gl, 1, "\x01",
                      1, NULL);
  char *got = dump_one(d2, 0, r, NULL);
  check_str(got, "glyphs role=\"\" at=- font=LiberationSerif-Bold.ttf#0 size=10.00 "
                 "color=#000000 origin=0.00,0.00 text=\"\\001\" glyphs=49@0.00\n");
  free(got);
  vb_dlist_free(d2);
  vb_dlist_free(dl);
  vb_resources_free(r);
  vb_sources_free(src);
}

/* Runs vb_image_probe, capturing the diagnostics text into *msg (caller frees). */
static int probe(const char *file, vb_image_kind *k, double *w, double *h, char **msg) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  vb_diag *d = vb_diag_new(NULL, mem);
  int rc = vb_image_probe(file, k, w, h, d, vb_span_none());
  vb_diag_free(d);
  fclose(mem);
  *msg = buf;
  return rc;
}

static void test_probe(void) {
  vb_image_kind k;
  double w = 0, h = 0;
  char *msg;
  /* A 3x2 PNG header (IHDR is all the probe reads). */
  static const unsigned char png[] = {
      0x89, 'P',  'N',  'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0,
      0,    0x01, 0x2c, 0,   0,    0,    2,    8,    6, 0, 0, 0,  0,   0,   0,   0,   0};
  write_file("/tmp/vb-td.png", png, sizeof png);
  check_int(probe("/tmp/vb-td.png", &k, &w, &h, &msg), 0);
  check_int(k, VB_IMAGE_PNG);
  check(w == 300 && h == 2);
  free(msg);

  /* JPEG: SOI, an APP0 segment, a DQT segment, then SOF0 with 40x30. */
  static const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J',  'F',  'I',  'F',
                                      0,    1,    1,    0,    0, 1,  0,    1,    0,    0,
                                      0xFF, 0xDB, 0,    4,    0, 0,  0xFF, 0xFF, 0xC0, 0,
                                      11,   8,    0,    30,   0, 40, 1,    1,    0x11, 0};
  write_file("/tmp/vb-td.jpg", jpg, sizeof jpg);
  check_int(probe("/tmp/vb-td.jpg", &k, &w, &h, &msg), 0);
  check_int(k, VB_IMAGE_JPEG);
  check(w == 40 && h == 30);
  free(msg);
  /* Progressive (SOF2) */
  unsigned char jpg2[sizeof jpg];
  memcpy(jpg2, jpg, sizeof jpg);
  jpg2[28] = 0xC2;
  write_file("/tmp/vb-td2.jpg", jpg2, sizeof jpg2);
  check_int(probe("/tmp/vb-td2.jpg", &k, &w, &h, &msg), 0);
  check(w == 40 && h == 30);
  free(msg);

  const char *svg1 = "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='80'>"
                     "<rect width='10' height='10'/></svg>";
  write_file("/tmp/vb-td1.svg", svg1, strlen(svg1));
  check_int(probe("/tmp/vb-td1.svg", &k, &w, &h, &msg), 0);
  check_int(k, VB_IMAGE_SVG);
  check(w == 120 && h == 80);
  free(msg);
  /* viewBox only, and no .svg extension (content sniffing) */
  const char *svg2 = "<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
                     "viewBox='0 0 64 32'><circle r='5'/></svg>";
  write_file("/tmp/vb-td2.img", svg2, strlen(svg2));
  check_int(probe("/tmp/vb-td2.img", &k, &w, &h, &msg), 0);
  check_int(k, VB_IMAGE_SVG);
  check(w == 64 && h == 32);
  free(msg);
  /* no size at all: 100x100 */
  const char *svg3 = "<svg xmlns='http://www.w3.org/2000/svg'><circle r='5'/></svg>";
  write_file("/tmp/vb-td3.svg", svg3, strlen(svg3));
  check_int(probe("/tmp/vb-td3.svg", &k, &w, &h, &msg), 0);
  check(w == 100 && h == 100);
  free(msg);

  write_file("/tmp/vb-td.txt", "hello world\n", 12);
  check_int(probe("/tmp/vb-td.txt", &k, &w, &h, &msg), -1);
  check(strstr(msg, "cannot read image '/tmp/vb-td.txt': not a PNG, JPEG or SVG file") !=
        NULL);
  free(msg);
  check_int(probe("/tmp/vb-does-not-exist.png", &k, &w, &h, &msg), -1);
  check(strstr(msg, "cannot open image '/tmp/vb-does-not-exist.png': No such file or "
                    "directory") != NULL);
  free(msg);
  write_file("/tmp/vb-td-bad.svg", "<svg <<<", 8);
  check_int(probe("/tmp/vb-td-bad.svg", &k, &w, &h, &msg), -1);
  check(strstr(msg, "cannot read image '/tmp/vb-td-bad.svg'") != NULL);
  free(msg);
  write_file("/tmp/vb-td-trunc.jpg", jpg, 24);
  check_int(probe("/tmp/vb-td-trunc.jpg", &k, &w, &h, &msg), -1);
  check(strstr(msg, "cannot read image") != NULL);
  free(msg);
  const char *tmp[] = {"/tmp/vb-td.png",  "/tmp/vb-td.jpg",     "/tmp/vb-td2.jpg",
                       "/tmp/vb-td1.svg", "/tmp/vb-td2.img",    "/tmp/vb-td3.svg",
                       "/tmp/vb-td.txt",  "/tmp/vb-td-bad.svg", "/tmp/vb-td-trunc.jpg"};
  for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++)
    remove(tmp[i]);
}

int main(void) {
  test_copy_semantics();
  test_resources();
  test_dump();
  test_probe();
  return summary("test-display");
}
