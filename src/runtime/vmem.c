/*
 * vmem.c -- reserve, commit, release: the bytes of linear memories.
 *
 * A memory of 65,536 pages is 4 GiB; allocating and zeroing it at
 * instantiation (or at memory.grow) costs seconds and all of that RAM even
 * if the guest touches one page.  Instead the memory's whole possible
 * extent is reserved as inaccessible address space (mmap PROT_NONE), and
 * growing makes the next pages accessible (mprotect).  Anonymous pages are
 * zero when first touched, so nothing is written: instantiation and growth
 * are O(1) and RAM is spent only on pages the guest uses.  Bounds checks
 * stay explicit in the interpreter; the inaccessible tail is never relied
 * on to trap.
 *
 * Where mmap is missing (MW_VMEM 0) or refuses (a 32-bit host, an address
 * space limit), memory.c falls back to its allocator, as before.
 */
#include "vmem.h"

#include "mw_conf.h"

#if MW_VMEM
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

static size_t os_page_size(void) {
  long n = sysconf(_SC_PAGESIZE);
  return n > 0 ? (size_t)n : 4096;
}

/* n rounded up to a multiple of the OS page size, or 0 on overflow. */
static size_t round_up(size_t n) {
  size_t p = os_page_size();
  if (n > SIZE_MAX - (p - 1)) return 0;
  return (n + p - 1) / p * p;
}

uint8_t *mwvm_reserve(size_t size, size_t max_size, size_t *reserved) {
  if (max_size < size) return NULL;
  size_t len = round_up(max_size);
  if (len == 0) return NULL; /* nothing to reserve, or too much */
  void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return NULL;
  if (size && !mwvm_commit((uint8_t *)p, 0, size)) {
    munmap(p, len);
    return NULL;
  }
  *reserved = len;
  return (uint8_t *)p;
}

bool mwvm_commit(uint8_t *base, size_t old_size, size_t new_size) {
  if (new_size <= old_size) return true;
  /* Whole OS pages: [old, new) starts inside the page old_size ends in
   * when old_size is not page-aligned (it always is for 64 KiB pages). */
  size_t p = os_page_size();
  size_t from = old_size / p * p;
  size_t to = round_up(new_size);
  if (to == 0) return false;
  return mprotect(base + from, to - from, PROT_READ | PROT_WRITE) == 0;
}

void mwvm_release(uint8_t *base, size_t reserved) {
  if (base && reserved) munmap(base, reserved);
}

#else /* no mmap: memory.c allocates */

uint8_t *mwvm_reserve(size_t size, size_t max_size, size_t *reserved) {
  (void)size;
  (void)max_size;
  (void)reserved;
  return NULL;
}

bool mwvm_commit(uint8_t *base, size_t old_size, size_t new_size) {
  (void)base;
  (void)old_size;
  (void)new_size;
  return false;
}

void mwvm_release(uint8_t *base, size_t reserved) {
  (void)base;
  (void)reserved;
}

#endif
