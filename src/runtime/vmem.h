/*
 * vmem.h -- address space for linear memories: reserved up front, pages
 * committed as a memory grows (vmem.c).  Used by memory.c only.
 */
#ifndef MW_VMEM_H
#define MW_VMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mw_conf.h"

/* Reserve `max_size` bytes of address space (rounded up to whole OS
 * pages) and make the first `size` readable, writable and zero.  The rest
 * costs no memory until committed.  NULL where this is not available (no
 * mmap, or the reservation refused): the caller allocates instead.  On
 * success *reserved is what mwvm_release must be given. */
uint8_t *mwvm_reserve(size_t size, size_t max_size, size_t *reserved);
/* Commit bytes [old_size, new_size) of a reservation (new_size <= its
 * max_size): they read as zero.  O(1): no byte is touched.  false (and
 * nothing changed) if the OS refuses. */
bool mwvm_commit(uint8_t *base, size_t old_size, size_t new_size);
/* Give the whole reservation back. */
void mwvm_release(uint8_t *base, size_t reserved);

/* Guard region of a 32-bit memory (src/aot): where address space allows,
 * every 32-bit memory reserves MWVM_GUARDED_BYTES whatever its maximum, so
 * that any address + offset + access size (< 8 GiB + 16) lands in it and an
 * access beyond the memory's current size hits an inaccessible page.  AOT
 * code compiled for it checks bounds with the MMU (aot_rt.c turns the
 * fault into the trap); the interpreter keeps its explicit checks. */
#if MW_VMEM && UINTPTR_MAX > 0xFFFFFFFFu
#define MWVM_GUARD 1
#define MWVM_GUARDED_BYTES (((size_t)8 << 30) + ((size_t)64 << 10))
#else
#define MWVM_GUARD 0
#define MWVM_GUARDED_BYTES ((size_t)0)
#endif

#endif
