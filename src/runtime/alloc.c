/*
 * alloc.c -- the one allocator hook everything goes through.
 */
#include <stdlib.h>

#include "internal.h"

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

mw_allocator mw_allocator_of(const mw_config *cfg) {
  mw_allocator a;
  a.fn = (cfg && cfg->alloc) ? cfg->alloc : default_alloc;
  a.ud = cfg ? cfg->alloc_ud : NULL;
  return a;
}

void *mw_alloc(const mw_allocator *a, size_t n) {
  return a->fn(a->ud, NULL, 0, n ? n : 1);
}

void *mw_calloc(const mw_allocator *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  size_t n = count * size;
  void *p = mw_alloc(a, n);
  if (p) memset(p, 0, n ? n : 1);
  return p;
}

void *mw_realloc(const mw_allocator *a, void *p, size_t oldn, size_t newn) {
  return a->fn(a->ud, p, oldn, newn ? newn : 1);
}

void mw_free(const mw_allocator *a, void *p, size_t n) {
  if (p) a->fn(a->ud, p, n, 0);
}
