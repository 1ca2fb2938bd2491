/* deflate.c - backend stage: cairo's Flate streams compressed in one call by
 * libdeflate instead of zlib's incremental deflate. cairo 1.16 compresses every
 * PDF stream (page content, font subsets, ToUnicode maps, the border's form)
 * through deflateInit(Z_DEFAULT_COMPRESSION), deflate() in 16 KB steps and
 * deflateEnd(); in a one-file-per-recipient run zlib was about half of all the
 * instructions (callgrind).
 *
 * The executable defines deflateInit_, deflate, deflateReset and deflateEnd, so
 * the libraries' calls resolve to these (ELF symbol interposition, as numfmt.c
 * does for __snprintf_chk). A stream is taken only when it is made by
 * deflateInit_ at Z_DEFAULT_COMPRESSION with zlib's own allocator (zalloc and
 * zfree NULL): cairo's, libharu's, zlib's compress(). Its input is buffered and
 * compressed whole by libdeflate (zlib format, level VB_DEFLATE_LEVEL) at
 * Z_FINISH, then handed out as the caller's output buffers allow. Every other
 * stream is zlib's, untouched: deflateInit2_ (libpng, gzip) is not defined here,
 * a stream with an allocator of its own or a level of its own goes to zlib's
 * deflateInit_, and deflate()/deflateEnd() of a stream that is not ours go to
 * zlib's (dlsym(RTLD_NEXT)). A taken stream is told apart by its zalloc, which
 * zlib itself never leaves NULL, and by its state, whose first word is
 * VB_ZMAGIC (a non-canonical address: a zlib state starts with a pointer).
 *
 * A taken stream is handed to zlib (its state keeps a zlib stream of its own that
 * the buffered input is pushed through) when its input passes VB_DEFLATE_MAX, or
 * when a flush other than Z_NO_FLUSH or Z_FINISH is asked (zlib then gives what
 * the caller expects: the output so far, byte aligned). The result is a valid
 * zlib stream either way; the bytes are libdeflate's, the same on every run. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "backend-private.h"

#include <dlfcn.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* libdeflate's level for cairo's streams: level 1 compresses a certificate's
 * streams to 2 % more bytes than zlib's level 6 in about a fifth of the time. */
#ifndef VB_DEFLATE_LEVEL
#define VB_DEFLATE_LEVEL 1
#endif

#define VB_ZMAGIC 0xdef1a7e5def1a7e5ULL

enum zmode { Z_OWN_INPUT, Z_OWN_OUTPUT, Z_OWN_DONE, Z_HANDED };

typedef struct vb_zown {
  uint64_t magic; /* VB_ZMAGIC */
  z_streamp strm; /* the stream this state belongs to */
  enum zmode mode;
  int level;
  int last_flush;     /* as zlib's: a repeated empty Z_NO_FLUSH is a Z_BUF_ERROR */
  bool started;       /* deflate() was called: deflateEnd before the end discards */
  unsigned char *buf; /* Z_OWN_INPUT: the input; else the output not yet handed out */
  size_t len, cap, pos;
  uLong adler;
  z_stream z; /* Z_HANDED: zlib's stream */
} vb_zown;

/* ---- zlib's own functions */

static struct {
  int (*init)(z_streamp, int, const char *, int);
  int (*deflate)(z_streamp, int);
  int (*reset)(z_streamp);
  int (*end)(z_streamp);
} zlib;
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;

static void zlib_resolve(void) {
  void *p[4] = {dlsym(RTLD_NEXT, "deflateInit_"), dlsym(RTLD_NEXT, "deflate"),
                dlsym(RTLD_NEXT, "deflateReset"), dlsym(RTLD_NEXT, "deflateEnd")};
  if (!p[0] || !p[1] || !p[2] || !p[3]) {
    fprintf(stderr, "vanban: zlib's deflate functions not found (%s)\n", dlerror());
    abort();
  }
  memcpy(&zlib.init, &p[0], sizeof zlib.init);
  memcpy(&zlib.deflate, &p[1], sizeof zlib.deflate);
  memcpy(&zlib.reset, &p[2], sizeof zlib.reset);
  memcpy(&zlib.end, &p[3], sizeof zlib.end);
}

static void zlib_ready(void) { pthread_once(&zlib_once, zlib_resolve); }

static atomic_ulong n_taken, n_handed, n_passed, n_foreign;

void vb_deflate_counts(vb_deflate_count *out) {
  out->taken = atomic_load(&n_taken);
  out->handed = atomic_load(&n_handed);
  out->passed = atomic_load(&n_passed);
  out->foreign_calls = atomic_load(&n_foreign);
}

static vb_zown *ours(z_streamp strm) {
  if (!strm || strm->zalloc || strm->zfree || !strm->state)
    return NULL;
  vb_zown *o = (vb_zown *)(void *)strm->state;
  return o->magic == VB_ZMAGIC && o->strm == strm ? o : NULL;
}

/* One compressor per thread, kept for the next stream (allocating one costs
 * more than compressing a small stream). */
static _Thread_local struct libdeflate_compressor *compressor;

/* ---- the stream's output */

/* Room for `more` bytes after o->len in o->buf; false if memory ran out. */
static bool reserve(vb_zown *o, size_t more) {
  if (o->cap - o->len >= more)
    return true;
  size_t cap = o->cap ? o->cap : 16384;
  while (cap - o->len < more)
    cap *= 2;
  unsigned char *b = realloc(o->buf, cap);
  if (!b)
    return false;
  o->buf = b;
  o->cap = cap;
  return true;
}

/* Hands out what the caller's buffer takes of o->buf[pos..len). */
static void give(vb_zown *o, z_streamp strm) {
  size_t n = o->len - o->pos;
  if (n > strm->avail_out)
    n = strm->avail_out;
  memcpy(strm->next_out, o->buf + o->pos, n);
  strm->next_out += n;
  strm->avail_out -= (uInt)n;
  strm->total_out += n;
  o->pos += n;
}

/* Starts zlib's stream and pushes the buffered input through it; its output so
 * far replaces the input in o->buf. */
static int hand_over(vb_zown *o) {
  memset(&o->z, 0, sizeof o->z);
  if (zlib.init(&o->z, o->level, ZLIB_VERSION, (int)sizeof o->z) != Z_OK)
    return Z_MEM_ERROR;
  unsigned char *in = o->buf;
  size_t in_len = o->len;
  o->buf = NULL;
  o->len = o->cap = o->pos = 0;
  o->mode = Z_HANDED;
  atomic_fetch_add(&n_handed, 1);
  o->z.next_in = in;
  o->z.avail_in = (uInt)in_len;
  while (o->z.avail_in > 0) {
    if (!reserve(o, 65536)) {
      free(in);
      return Z_MEM_ERROR;
    }
    o->z.next_out = o->buf + o->len;
    o->z.avail_out = (uInt)(o->cap - o->len);
    int r = zlib.deflate(&o->z, Z_NO_FLUSH);
    o->len = o->cap - o->z.avail_out;
    if (r != Z_OK) {
      free(in);
      return r;
    }
  }
  free(in);
  return Z_OK;
}

/* deflate() of a handed-over stream: first what is left of its output, then
 * zlib's deflate on the caller's buffers. */
static int handed_deflate(vb_zown *o, z_streamp strm, int flush) {
  if (o->pos < o->len) {
    give(o, strm);
    if (strm->avail_out == 0)
      return Z_OK;
  }
  z_stream *z = &o->z;
  z->next_in = strm->next_in;
  z->avail_in = strm->avail_in;
  z->next_out = strm->next_out;
  z->avail_out = strm->avail_out;
  uInt in0 = z->avail_in, out0 = z->avail_out;
  int r = zlib.deflate(z, flush);
  strm->next_in = z->next_in;
  strm->avail_in = z->avail_in;
  strm->next_out = z->next_out;
  strm->avail_out = z->avail_out;
  strm->total_in += in0 - z->avail_in;
  strm->total_out += out0 - z->avail_out;
  strm->adler = z->adler;
  strm->data_type = z->data_type;
  strm->msg = z->msg;
  return r;
}

/* ---- the interposed functions (zlib.h's prototypes) */

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size) {
  zlib_ready();
  if (!version || version[0] != ZLIB_VERSION[0] || stream_size != (int)sizeof(z_stream))
    return Z_VERSION_ERROR;
  if (!strm)
    return Z_STREAM_ERROR;
  if (strm->zalloc || strm->zfree || level != Z_DEFAULT_COMPRESSION) {
    atomic_fetch_add(&n_passed, 1);
    return zlib.init(strm, level, version, stream_size);
  }
  vb_zown *o = calloc(1, sizeof *o);
  if (!o)
    return Z_MEM_ERROR;
  o->magic = VB_ZMAGIC;
  o->strm = strm;
  o->mode = Z_OWN_INPUT;
  o->level = level;
  o->last_flush = -2;
  o->adler = 1;
  strm->state = (struct internal_state *)(void *)o;
  strm->msg = NULL;
  strm->total_in = strm->total_out = 0;
  strm->adler = 1;
  strm->data_type = Z_UNKNOWN;
  atomic_fetch_add(&n_taken, 1);
  return Z_OK;
}

int deflate(z_streamp strm, int flush) {
  vb_zown *o = ours(strm);
  if (!o) {
    zlib_ready();
    atomic_fetch_add(&n_foreign, 1);
    return zlib.deflate(strm, flush);
  }
  if (flush > Z_BLOCK || flush < 0 || !strm->next_out ||
      (strm->avail_in != 0 && !strm->next_in) ||
      (o->mode >= Z_OWN_OUTPUT && o->mode != Z_HANDED && flush != Z_FINISH))
    return Z_STREAM_ERROR;
  if (strm->avail_out == 0)
    return Z_BUF_ERROR;
  o->started = true;
  if (o->mode == Z_HANDED)
    return handed_deflate(o, strm, flush);
  if (o->mode == Z_OWN_INPUT) {
    if ((flush != Z_NO_FLUSH && flush != Z_FINISH) ||
        o->len + strm->avail_in > VB_DEFLATE_MAX) {
      int r = hand_over(o);
      return r == Z_OK ? handed_deflate(o, strm, flush) : r;
    }
    if (strm->avail_in == 0 && flush == Z_NO_FLUSH && o->last_flush == Z_NO_FLUSH)
      return Z_BUF_ERROR;
    o->last_flush = flush;
    if (strm->avail_in > 0) {
      if (!reserve(o, strm->avail_in))
        return Z_MEM_ERROR;
      memcpy(o->buf + o->len, strm->next_in, strm->avail_in);
      o->adler = libdeflate_adler32(o->adler, strm->next_in, strm->avail_in);
      strm->adler = o->adler;
      o->len += strm->avail_in;
      strm->total_in += strm->avail_in;
      strm->next_in += strm->avail_in;
      strm->avail_in = 0;
    }
    if (flush == Z_NO_FLUSH)
      return Z_OK;
    if (!compressor && !(compressor = libdeflate_alloc_compressor(VB_DEFLATE_LEVEL)))
      return Z_MEM_ERROR;
    size_t bound = libdeflate_zlib_compress_bound(compressor, o->len);
    unsigned char *out = malloc(bound);
    if (!out)
      return Z_MEM_ERROR;
    size_t n = libdeflate_zlib_compress(compressor, o->buf, o->len, out, bound);
    free(o->buf);
    o->buf = out;
    o->len = n;
    o->cap = bound;
    o->pos = 0;
    o->mode = Z_OWN_OUTPUT;
  }
  if (strm->avail_in != 0)
    return Z_BUF_ERROR; /* input after Z_FINISH */
  give(o, strm);
  if (o->pos < o->len)
    return Z_OK;
  o->mode = Z_OWN_DONE;
  return Z_STREAM_END;
}

int deflateReset(z_streamp strm) {
  vb_zown *o = ours(strm);
  if (!o) {
    zlib_ready();
    return zlib.reset(strm);
  }
  if (o->mode == Z_HANDED)
    zlib.end(&o->z);
  free(o->buf);
  o->buf = NULL;
  o->len = o->cap = o->pos = 0;
  o->mode = Z_OWN_INPUT;
  o->last_flush = -2;
  o->started = false;
  o->adler = 1;
  strm->msg = NULL;
  strm->total_in = strm->total_out = 0;
  strm->adler = 1;
  strm->data_type = Z_UNKNOWN;
  return Z_OK;
}

int deflateEnd(z_streamp strm) {
  vb_zown *o = ours(strm);
  if (!o) {
    zlib_ready();
    return zlib.end(strm);
  }
  int r = Z_OK;
  if (o->mode == Z_HANDED) {
    r = zlib.end(&o->z);
    if (r == Z_OK && o->pos < o->len)
      r = Z_DATA_ERROR;
  } else if (o->started && o->mode != Z_OWN_DONE) {
    r = Z_DATA_ERROR; /* as zlib: freed before its end, something was discarded */
  }
  free(o->buf);
  o->magic = 0;
  free(o);
  strm->state = NULL;
  return r;
}
