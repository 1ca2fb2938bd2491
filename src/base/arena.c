/* arena.c - base stage: bump allocator for per-document and per-page data.
 * Blocks form a list; vb_arena_reset keeps only the first block. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_BLOCK_SIZE (64 * 1024)

typedef struct arena_block {
  struct arena_block *next;
  size_t size, used; /* of data[] */
  _Alignas(ARENA_ALIGN) unsigned char data[];
} arena_block;

struct vb_arena {
  arena_block *first; /* kept by reset */
  arena_block *cur;   /* where allocation happens; large blocks are linked after first */
  size_t handed_out;
};

static arena_block *block_new(size_t size) {
  if (size > SIZE_MAX - sizeof(arena_block))
    size = SIZE_MAX; /* let vb_xmalloc fail loudly */
  arena_block *b = vb_xmalloc(sizeof(arena_block) + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

vb_arena *vb_arena_new(void) {
  vb_arena *a = vb_xcalloc(1, sizeof *a);
  a->first = a->cur = block_new(ARENA_BLOCK_SIZE);
  return a;
}

static void free_after(arena_block *b) {
  arena_block *p = b->next;
  while (p) {
    arena_block *next = p->next;
    free(p);
    p = next;
  }
  b->next = NULL;
}

void vb_arena_free(vb_arena *a) {
  if (!a)
    return;
  free_after(a->first);
  free(a->first);
  free(a);
}

void vb_arena_reset(vb_arena *a) {
  free_after(a->first);
  a->first->used = 0;
  a->cur = a->first;
  a->handed_out = 0;
}

void *vb_arena_alloc(vb_arena *a, size_t size) {
  size_t need = size ? size : 1;
  if (need > SIZE_MAX - ARENA_ALIGN)
    need = SIZE_MAX - ARENA_ALIGN; /* block_new will fail */
  need = (need + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  arena_block *b = a->cur;
  if (b->size - b->used < need) {
    if (need > ARENA_BLOCK_SIZE / 4) {
      /* A big request gets its own block, inserted after the current one so the
       * remaining space of the current block stays usable. */
      arena_block *big = block_new(need);
      big->next = b->next;
      b->next = big;
      big->used = need;
      a->handed_out += size;
      memset(big->data, 0, need);
      return big->data;
    }
    arena_block *nb = block_new(ARENA_BLOCK_SIZE);
    nb->next = b->next;
    b->next = nb;
    a->cur = b = nb;
  }
  void *p = b->data + b->used;
  b->used += need;
  a->handed_out += size;
  memset(p, 0, need);
  return p;
}

char *vb_arena_strndup(vb_arena *a, const char *s, size_t n) {
  char *p = vb_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *vb_arena_strdup(vb_arena *a, const char *s) { return vb_arena_strndup(a, s, strlen(s)); }

char *vb_arena_printf(vb_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vb_strbuf sb = VB_STRBUF_INIT;
  vb_strbuf_vprintf(&sb, fmt, ap);
  va_end(ap);
  char *p = vb_arena_strndup(a, vb_strbuf_cstr(&sb), sb.len);
  vb_strbuf_free(&sb);
  return p;
}

size_t vb_arena_used(const vb_arena *a) { return a->handed_out; }
