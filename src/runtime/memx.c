/*
 * memx.c -- bulk memory instructions on any memory: the slow paths behind
 * the interpreter's X forms (ir.h) for memories other than an i32 memory 0
 * (multi-memory, memory64; Wasm 3.0).
 *
 * Addresses, offsets and lengths are 64 bits wide here.  A range is in
 * bounds when all of its bytes are: checked by subtraction, so that
 * address + offset + size can never wrap at 2^64 (spec 4.4.7: the
 * effective address is computed without overflow).
 */
#include "internal.h"

/* Are bytes [a + off, a + off + n) inside a memory of `size` bytes? */
static bool range_ok(uint64_t a, uint64_t off, uint64_t n, uint64_t size) {
  if (a > size || off > size - a) return false;
  return n <= size - a - off;
}

/* Bulk operations check the whole range before touching anything (spec
 * 4.4.7): no partial writes. */

const char *mwx_memory_init(mw_instance *inst, uint32_t memidx, uint32_t dataidx,
                            uint64_t d, uint32_t src, uint32_t n) {
  const mw_data *seg = &inst->module->datas[dataidx];
  uint64_t seglen = inst->data_dropped[dataidx] ? 0 : seg->len;
  mw_memory *m = inst->memories[memidx];
  if (!range_ok(src, 0, n, seglen) || !range_ok(d, 0, n, m->size))
    return MW_MSG_OOB_MEMORY;
  if (n) memcpy(m->data + d, seg->bytes + src, n);
  return NULL;
}

const char *mwx_memory_copy(mw_memory *dst, const mw_memory *src, uint64_t d,
                            uint64_t s, uint64_t n) {
  if (!range_ok(s, 0, n, src->size) || !range_ok(d, 0, n, dst->size))
    return MW_MSG_OOB_MEMORY;
  if (n) memmove(dst->data + d, src->data + s, (size_t)n); /* may overlap */
  return NULL;
}

const char *mwx_memory_fill(mw_memory *m, uint64_t d, uint32_t val, uint64_t n) {
  if (!range_ok(d, 0, n, m->size)) return MW_MSG_OOB_MEMORY;
  if (n) memset(m->data + d, (int)(val & 0xFFu), (size_t)n);
  return NULL;
}

/* memory.grow by a 64-bit delta: what cannot fit the memory's maximum
 * (at most 2^16 pages here) fails as any failed growth does, with -1. */
int64_t mwx_memory_grow(mw_memory *m, uint64_t delta) {
  if (delta > UINT32_MAX) return -1;
  return mw_memory_grow_internal(m, (uint32_t)delta);
}
