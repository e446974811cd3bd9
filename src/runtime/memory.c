/*
 * memory.c -- linear memories (spec 4.2.8 "Memory Instances", 4.5.3
 * "Growing memories").
 *
 * A memory is a zero-initialised byte vector a whole number of 64 KiB pages
 * long.  Its effective maximum combines the type's maximum, the configured
 * limit and the 4 GiB ceiling of 32-bit wasm; growing past it fails without
 * changing anything, as memory.grow's -1 requires.
 *
 * The bytes: address space for the effective maximum is reserved at
 * creation and pages are committed as the memory grows (vmem.c), so a
 * memory costs only what its guest touches and grows in O(1) without
 * moving.  Where that is unavailable the allocator provides them (a
 * reallocation per growth).
 */
#include "internal.h"
#include "vmem.h"

static uint32_t memory_effective_max(const mw_config *cfg, mw_memtype type) {
  uint32_t max = MW_MAX_PAGES;
  if (type.limits.has_max && type.limits.max < max) max = type.limits.max;
  if (cfg->max_memory_pages < max) max = cfg->max_memory_pages;
  return max;
}

/* Bytes for `pages` pages, or false where size_t cannot hold them (a 4 GiB
 * memory on a 32-bit host). */
static bool pages_to_bytes(uint32_t pages, size_t *bytes) {
  uint64_t n = (uint64_t)pages * MW_PAGE_SIZE;
  if (n > SIZE_MAX) return false;
  *bytes = (size_t)n;
  return true;
}

mw_memory *mw_memory_new(const mw_config *cfg, mw_memtype type) {
  mw_config defaults;
  if (!cfg) {
    mw_config_default(&defaults);
    cfg = &defaults;
  }
  mw_allocator a = mw_allocator_of(cfg);
  uint32_t max = memory_effective_max(cfg, type);
  size_t bytes;
  if (type.limits.min > max || !pages_to_bytes(type.limits.min, &bytes))
    return NULL;

  mw_memory *m = mw_calloc(&a, 1, sizeof *m);
  if (!m) return NULL;
  size_t max_bytes = 0;
  bool have_max = max && pages_to_bytes(max, &max_bytes);
  /* A 32-bit memory reserves its guard region (vmem.h: AOT code's bounds
   * checks) if the address space allows; else its maximum, as before. */
  if (MWVM_GUARDED_BYTES && !type.limits.is64 && max_bytes < MWVM_GUARDED_BYTES)
    m->data = mwvm_reserve(bytes, MWVM_GUARDED_BYTES, &m->reserved);
  if (!m->data && have_max)
    m->data = mwvm_reserve(bytes, max_bytes, &m->reserved);
  /* Else (or if that failed) allocated: a memory of size 0 has no data at
   * all; every access is out of bounds. */
  if (!m->data && bytes) {
    m->data = mw_calloc(&a, 1, bytes);
    if (!m->data) {
      mw_free(&a, m, sizeof *m);
      return NULL;
    }
  }
  m->size = bytes;
  m->pages = type.limits.min;
  m->max_pages = max;
  m->type = type;
  m->alloc = a;
  return m;
}

/* Frees any memory, including one its instance defined (store.c). */
void mws_memory_destroy(mw_memory *m) {
  if (!m) return;
  mw_allocator a = m->alloc;
  if (m->reserved)
    mwvm_release(m->data, m->reserved);
  else
    mw_free(&a, m->data, m->size);
  mw_free(&a, m, sizeof *m);
}

/* Only what mw_memory_new made: one an instance defined belongs to its store,
 * like a wasm function (mw_func_free). */
void mw_memory_free(mw_memory *m) {
  if (m && !m->store_owned) mws_memory_destroy(m);
}

mw_memtype mw_memory_type(const mw_memory *m) {
  mw_memtype t = m->type;
  t.limits.min = m->pages;
  return t;
}

uint8_t *mw_memory_data(mw_memory *m) { return m->data; }
size_t mw_memory_size(const mw_memory *m) { return m->size; }
uint32_t mw_memory_pages(const mw_memory *m) { return m->pages; }

int64_t mw_memory_grow_internal(mw_memory *m, uint32_t delta) {
  uint32_t old_pages = m->pages;
  if (delta == 0) return old_pages;
  uint64_t new_pages = (uint64_t)old_pages + delta;
  size_t new_size;
  if (new_pages > m->max_pages ||
      !pages_to_bytes((uint32_t)new_pages, &new_size))
    return -1;

  if (m->reserved) { /* the address space is there up to max_pages */
    if (!mwvm_commit(m->data, m->size, new_size)) return -1;
    m->size = new_size;
    m->pages = (uint32_t)new_pages;
    return old_pages;
  }
  uint8_t *data = mw_realloc(&m->alloc, m->data, m->size, new_size);
  if (!data) return -1; /* the old block is still ours and unchanged */
  memset(data + m->size, 0, new_size - m->size);
  m->data = data;
  m->size = new_size;
  m->pages = (uint32_t)new_pages;
  return old_pages;
}

int64_t mw_memory_grow(mw_memory *m, uint32_t delta) {
  return mw_memory_grow_internal(m, delta);
}
