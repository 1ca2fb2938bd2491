/* value.c - vanban input stage: the vb_value tree (nodes and strings in one
 * arena per tree), built by the YAML/JSON and CSV readers. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

struct vb_tree {
  vb_arena *arena;
  vb_value *root;
};

vb_tree *vb_tree_new(void) {
  vb_tree *t = vb_xcalloc(1, sizeof *t);
  t->arena = vb_arena_new();
  return t;
}

void vb_tree_free(vb_tree *t) {
  if (!t)
    return;
  vb_arena_free(t->arena);
  free(t);
}

vb_value *vb_tree_root(const vb_tree *t) { return t ? t->root : NULL; }
void vb_tree_set_root(vb_tree *t, vb_value *root) { t->root = root; }
vb_arena *vb_tree_arena(vb_tree *t) { return t->arena; }

vb_value *vb_value_new(vb_tree *t, vb_value_kind kind, vb_span span) {
  vb_value *v = vb_arena_alloc(t->arena, sizeof *v);
  v->kind = kind;
  v->span = span;
  return v;
}

vb_value *vb_value_new_string(vb_tree *t, const char *s, size_t len, vb_span span) {
  vb_value *v = vb_value_new(t, VB_VALUE_STRING, span);
  v->str = vb_arena_strndup(t->arena, s ? s : "", s ? len : 0);
  v->len = s ? len : 0;
  return v;
}

void vb_value_append(vb_value *parent, vb_value *child) {
  child->parent = parent;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  parent->count++;
}

void vb_value_set(vb_tree *t, vb_value *map, const char *key, vb_span key_span,
                  vb_value *child) {
  child->key = vb_arena_strdup(t->arena, key);
  child->key_span = key_span;
  child->parent = map;
  vb_value *prev = NULL;
  for (vb_value *c = map->first; c; prev = c, c = c->next) {
    if (c->key && strcmp(c->key, key) == 0) {
      child->next = c->next;
      if (prev)
        prev->next = child;
      else
        map->first = child;
      if (map->last == c)
        map->last = child;
      c->parent = NULL;
      c->next = NULL;
      return;
    }
  }
  vb_value_append(map, child);
}

/* Recursion depth is bounded by the readers (64 levels). */
vb_value *vb_value_copy(vb_tree *t, const vb_value *v) {
  if (!v)
    return NULL;
  vb_value *c = vb_value_new(t, v->kind, v->span);
  if (v->key)
    c->key = vb_arena_strdup(t->arena, v->key);
  c->key_span = v->key_span;
  if (v->kind == VB_VALUE_STRING) {
    c->str = vb_arena_strndup(t->arena, v->str, v->len);
    c->len = v->len;
    c->quoted = v->quoted;
  }
  for (const vb_value *k = v->first; k; k = k->next)
    vb_value_append(c, vb_value_copy(t, k));
  if (v->lazy) { /* item places only: the items stay in the source */
    vb_lazy_item *items = vb_arena_alloc(t->arena, v->count * sizeof *items);
    memcpy(items, v->lazy, v->count * sizeof *items);
    c->lazy = items;
    c->count = v->count;
  }
  return c;
}

size_t vb_value_item_count(const vb_value *v) {
  return v && (v->kind == VB_VALUE_SEQ || v->kind == VB_VALUE_MAP) ? v->count : 0;
}

vb_value *vb_value_get(const vb_value *map, const char *key) {
  if (!map || map->kind != VB_VALUE_MAP || !key)
    return NULL;
  for (vb_value *c = map->first; c; c = c->next)
    if (c->key && strcmp(c->key, key) == 0)
      return c;
  return NULL;
}

vb_value *vb_value_lookup(const vb_value *v, const char *path) {
  if (!v || !path)
    return NULL;
  const vb_value *cur = v;
  const char *p = path;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (!cur || cur->kind != VB_VALUE_MAP)
      return NULL;
    const vb_value *found = NULL;
    for (const vb_value *c = cur->first; c; c = c->next)
      if (c->key && strncmp(c->key, p, n) == 0 && c->key[n] == '\0') {
        found = c;
        break;
      }
    if (!found)
      return NULL;
    cur = found;
    if (!dot)
      return (vb_value *)cur;
    p = dot + 1;
  }
}

const char *vb_value_kind_name(vb_value_kind k) {
  switch (k) {
  case VB_VALUE_NULL:
    return "null";
  case VB_VALUE_STRING:
    return "string";
  case VB_VALUE_MAP:
    return "map";
  case VB_VALUE_SEQ:
    return "list";
  }
  return "?";
}
