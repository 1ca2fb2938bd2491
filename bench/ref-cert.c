/* ref-cert.c - benchmark reference (make bench): the least a program needs to lay
 * out and write a page like one certificate with the same Pango and cairo
 * libraries vanban uses. It is what anyone would write first: the bundled fonts
 * added to fontconfig's default configuration, pangocairo's default font map, one
 * PangoLayout per line, centred; an A4 landscape PDF with the two frames and the
 * four wave ribbons of layouts/art/wave-border.yaml (the same curves, as fills).
 * No input files, no checks: scripts/bench.sh times it against
 * `vanban certificates` of one recipient in the same hyperfine run.
 *   ref-cert FONT_DIR OUT.pdf */
#include <math.h>
#include <stdio.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#define MM (72.0 / 25.4)

/* One wave ribbon as make-border.py draws it: from (x0,y0) to (x1,y1) mm. */
static void wave(cairo_t *cr, double x0, double y0, double x1, double y1) {
  const double period = 6.0, amp = 0.9 * 1.33, h = 0.21 / 2;
  double len = hypot(x1 - x0, y1 - y0);
  int n = (int)lround(len / period);
  double p = len / n, ux = (x1 - x0) / len, uy = (y1 - y0) / len, nx = -uy, ny = ux;
#define PT(s, o) (x0 + ux * (s) + nx * (o)) * MM, (y0 + uy * (s) + ny * (o)) * MM
  cairo_move_to(cr, PT(0, h));
  for (int i = 0; i < 2 * n; i++) {
    double s0 = i * p / 2, s1 = s0 + p / 2, a = (i % 2 ? -amp : amp) + h;
    cairo_curve_to(cr, PT(s0 + p / 6, a), PT(s1 - p / 6, a), PT(s1, h));
  }
  cairo_line_to(cr, PT(len, -h));
  for (int i = 2 * n - 1; i >= 0; i--) {
    double s0 = i * p / 2, s1 = s0 + p / 2, a = (i % 2 ? -amp : amp) - h;
    cairo_curve_to(cr, PT(s1 - p / 6, a), PT(s0 + p / 6, a), PT(s0, -h));
  }
#undef PT
  cairo_close_path(cr);
  cairo_fill(cr);
}

static double line(cairo_t *cr, const char *font, double size_pt, double r, double g,
                   double b, const char *text, double y) {
  PangoLayout *pl = pango_cairo_create_layout(cr);
  PangoFontDescription *fd = pango_font_description_from_string(font);
  pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
  pango_layout_set_font_description(pl, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(pl, (int)(249 * MM * PANGO_SCALE));
  pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
  pango_layout_set_text(pl, text, -1);
  int w, h;
  pango_layout_get_size(pl, &w, &h);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_move_to(cr, 24 * MM, y);
  pango_cairo_show_layout(cr, pl);
  g_object_unref(pl);
  return y + (double)h / PANGO_SCALE;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: ref-cert FONT_DIR OUT.pdf\n");
    return 2;
  }
  FcConfigAppFontAddDir(NULL, (const FcChar8 *)argv[1]);
  cairo_surface_t *s = cairo_pdf_surface_create(argv[2], 297 * MM, 210 * MM);
  cairo_t *cr = cairo_create(s);
  const double gold[] = {0xb8 / 255.0, 0x86 / 255.0, 0x0b / 255.0}, red[] = {0.75, 0, 0};
  cairo_set_source_rgb(cr, gold[0], gold[1], gold[2]);
  cairo_set_line_width(cr, 2.2);
  cairo_rectangle(cr, 7 * MM, 7 * MM, 283 * MM, 196 * MM);
  cairo_stroke(cr);
  wave(cr, 27, 9, 270, 9);
  wave(cr, 27, 201, 270, 201);
  wave(cr, 9, 27, 9, 183);
  wave(cr, 288, 27, 288, 183);
  cairo_set_source_rgb(cr, red[0], red[1], red[2]);
  cairo_set_line_width(cr, 0.9);
  cairo_rectangle(cr, 11 * MM, 11 * MM, 275 * MM, 188 * MM);
  cairo_stroke(cr);
  double y = 16 * MM;
  y = line(cr, "Liberation Serif Bold", 15, 0, 0, 0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", y);
  y = line(cr, "Liberation Serif Bold", 16, 0, 0, 0, "Độc lập - Tự do - Hạnh phúc", y);
  y = line(cr, "Liberation Serif Bold", 19, red[0], 0, 0,
           "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MAI DỊCH", y + 8);
  y = line(cr, "Liberation Serif Italic", 19, 0, 0, 0, "Tặng", y + 20);
  y = line(cr, "Liberation Serif Bold", 50, red[0], 0, 0, "GIẤY KHEN", y);
  y = line(cr, "TeX Gyre Chorus", 38, 0.05, 0.16, 0.42, "Bà Công Tằng Tôn Nữ Thị Kiều Anh",
           y + 10);
  y = line(cr, "Liberation Serif", 16, 0, 0, 0,
           "Chi hội trưởng Chi hội Phụ nữ, Tổ dân phố số 4", y);
  y = line(cr, "Liberation Serif Italic", 17, 0, 0, 0,
           "Đã có thành tích xuất sắc trong phong trào thi đua yêu nước năm 2024", y + 6);
  line(cr, "Liberation Serif Italic", 15, 0, 0, 0, "Mai Dịch, ngày 20 tháng 12 năm 2024",
       y + 40);
  line(cr, "Liberation Serif Bold", 15, 0, 0, 0, "CHỦ TỊCH", y + 58);
  line(cr, "Liberation Serif Bold", 16, 0, 0, 0, "Phạm Văn Lợi", y + 170);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  int rc = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  return rc;
}
