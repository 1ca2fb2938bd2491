/* imagelibs.c - display stage: librsvg, gdk-pixbuf and libxml2, opened when the first
 * image needs them. Linked at start-up, the two (with what they bring: gio,
 * libxml2, ICU, libstdc++, ...) made 11 of the 52 shared libraries and more than
 * half the dynamic loader's work (11.1M of 18.6M instructions) for every run,
 * although most runs draw no SVG or raster image.
 *
 * Each function below has the name and prototype of the library function (the
 * compiler checks them against the library's header), so callers are written as
 * if linked: it opens the library on first use and calls the real function. The
 * constructors report a missing library through their GError; the other functions
 * only ever receive objects those constructors made. */
#include "display.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#ifndef VB_RSVG_SONAME
#define VB_RSVG_SONAME "librsvg-2.so.2"
#endif
#ifndef VB_XML_SONAME
#define VB_XML_SONAME "libxml2.so.2"
#endif
#ifndef VB_PIXBUF_SONAME
#define VB_PIXBUF_SONAME "libgdk_pixbuf-2.0.so.0"
#endif

typedef struct lazy_lib {
  const char *soname;
  gsize once;   /* g_once_init_enter guard */
  void *handle; /* NULL if it could not be opened */
  char *error;  /* dlerror() text then (g_malloc) */
} lazy_lib;

static lazy_lib rsvg_lib = {VB_RSVG_SONAME, 0, NULL, NULL};
static lazy_lib pixbuf_lib = {VB_PIXBUF_SONAME, 0, NULL, NULL};
static lazy_lib xml_lib = {VB_XML_SONAME, 0, NULL, NULL};

static void *lib_open(lazy_lib *l) {
  if (g_once_init_enter(&l->once)) {
    l->handle = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!l->handle) {
      const char *e = dlerror();
      l->error = g_strdup(e ? e : l->soname);
    }
    g_once_init_leave(&l->once, 1);
  }
  return l->handle;
}

/* False, with `err` set, when the library cannot be opened. */
static bool lib_ready(lazy_lib *l, GError **err) {
  if (lib_open(l))
    return true;
  g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT, "cannot load %s (%s)", l->soname,
              l->error);
  return false;
}

/* The address of `name` in an opened library; a missing one is a broken install. */
static void *lib_sym(lazy_lib *l, const char *name) {
  void *h = lib_open(l);
  void *p = h ? dlsym(h, name) : NULL;
  if (!p) {
    fprintf(stderr, "vanban: %s has no function '%s' (%s)\n", l->soname, name,
            h ? "too old?" : l->error);
    abort();
  }
  return p;
}

/* Declares `real`, a pointer to the library's own `name`, resolved once. */
#define REAL(lib, name)                                                                  \
  static __typeof__(&name) real;                                                         \
  if (!real) {                                                                           \
    void *p_ = lib_sym(&(lib), #name);                                                   \
    memcpy(&real, &p_, sizeof real);                                                     \
  }

/* ---- librsvg */

RsvgHandle *rsvg_handle_new_from_file(const gchar *filename, GError **error) {
  if (!lib_ready(&rsvg_lib, error))
    return NULL;
  REAL(rsvg_lib, rsvg_handle_new_from_file);
  return real(filename, error);
}

RsvgHandle *rsvg_handle_new_from_data(const guint8 *data, gsize data_len, GError **error) {
  if (!lib_ready(&rsvg_lib, error))
    return NULL;
  REAL(rsvg_lib, rsvg_handle_new_from_data);
  return real(data, data_len, error);
}

gboolean rsvg_handle_render_document(RsvgHandle *handle, cairo_t *cr,
                                     const RsvgRectangle *viewport, GError **error) {
  REAL(rsvg_lib, rsvg_handle_render_document);
  return real(handle, cr, viewport, error);
}

gboolean rsvg_handle_get_intrinsic_size_in_pixels(RsvgHandle *handle, gdouble *out_width,
                                                  gdouble *out_height) {
  REAL(rsvg_lib, rsvg_handle_get_intrinsic_size_in_pixels);
  return real(handle, out_width, out_height);
}

void rsvg_handle_get_intrinsic_dimensions(RsvgHandle *handle, gboolean *out_has_width,
                                          RsvgLength *out_width, gboolean *out_has_height,
                                          RsvgLength *out_height, gboolean *out_has_viewbox,
                                          RsvgRectangle *out_viewbox) {
  REAL(rsvg_lib, rsvg_handle_get_intrinsic_dimensions);
  real(handle, out_has_width, out_width, out_has_height, out_height, out_has_viewbox,
       out_viewbox);
}

/* ---- gdk-pixbuf */

GdkPixbuf *gdk_pixbuf_new_from_file(const char *filename, GError **error) {
  if (!lib_ready(&pixbuf_lib, error))
    return NULL;
  REAL(pixbuf_lib, gdk_pixbuf_new_from_file);
  return real(filename, error);
}

int gdk_pixbuf_get_width(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_get_width);
  return real(pixbuf);
}

int gdk_pixbuf_get_height(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_get_height);
  return real(pixbuf);
}

int gdk_pixbuf_get_n_channels(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_get_n_channels);
  return real(pixbuf);
}

int gdk_pixbuf_get_rowstride(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_get_rowstride);
  return real(pixbuf);
}

gboolean gdk_pixbuf_get_has_alpha(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_get_has_alpha);
  return real(pixbuf);
}

const guint8 *gdk_pixbuf_read_pixels(const GdkPixbuf *pixbuf) {
  REAL(pixbuf_lib, gdk_pixbuf_read_pixels);
  return real(pixbuf);
}

/* ---- libxml2 (librsvg's own parser: what an SVG refers to is read from its tree) */

xmlDocPtr xmlReadMemory(const char *buffer, int size, const char *URL, const char *encoding,
                        int options) {
  if (!lib_open(&xml_lib))
    return NULL;
  REAL(xml_lib, xmlReadMemory);
  return real(buffer, size, URL, encoding, options);
}

void xmlFreeDoc(xmlDocPtr cur) {
  REAL(xml_lib, xmlFreeDoc);
  real(cur);
}

long xmlGetLineNo(const xmlNode *node) {
  REAL(xml_lib, xmlGetLineNo);
  return real(node);
}
