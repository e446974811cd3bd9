/*
 * reader.h -- a bounds-checked cursor over the bytes of a wasm binary, with
 * the integer encodings of the binary format (spec 5.2 "Values").
 *
 * Errors are sticky: the first failure records its message (an MW_MSG_*
 * constant) in `fail` and moves the cursor to the end, so every later read
 * fails fast and returns 0.  Callers test `fail` once per entity rather than
 * after every read.  All messages are of kind "malformed" except
 * MW_MSG_OOM, which the decoder sets itself.
 */
#ifndef MW_READER_H
#define MW_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "messages.h"

typedef struct mwd_reader {
  const uint8_t *p;   /* next byte */
  const uint8_t *end; /* one past the last readable byte */
  const char *fail;   /* first error (MW_MSG_*), NULL while all is well */
} mwd_reader;

static inline void mwd_fail(mwd_reader *r, const char *msg) {
  if (!r->fail) r->fail = msg;
  r->p = r->end;
}

static inline size_t mwd_left(const mwd_reader *r) {
  return (size_t)(r->end - r->p);
}

/* Running out of bytes anywhere past the header is reported with the
 * reference interpreter's wording; the shorter "unexpected end" that some
 * spec tests expect is a prefix of it. */
static inline uint8_t mwd_u8(mwd_reader *r) {
  if (r->p >= r->end) {
    mwd_fail(r, MW_MSG_UNEXPECTED_END_SECTION);
    return 0;
  }
  return *r->p++;
}

/* Unsigned LEB128 of at most `bits` bits (spec 5.2.2): at most
 * ceil(bits/7) bytes ("integer representation too long"), and the unused
 * high bits of the last byte must be zero ("integer too large").  The
 * checks are made byte by byte in the reference interpreter's order, so
 * that a malformed number reports the same message. */
static inline uint64_t mwd_uleb(mwd_reader *r, int bits) {
  uint64_t v = 0;
  for (int n = bits, shift = 0;; n -= 7, shift += 7) {
    if (n <= 0) {
      mwd_fail(r, MW_MSG_INT_TOO_LONG);
      return 0;
    }
    uint8_t b = mwd_u8(r);
    if (r->fail) return 0;
    if (n < 7 && (b & 0x7f) >= (1u << n)) {
      mwd_fail(r, MW_MSG_INT_TOO_LARGE);
      return 0;
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

/* Signed LEB128 of at most `bits` bits: the unused bits of the last byte
 * must all equal its sign bit. */
static inline int64_t mwd_sleb(mwd_reader *r, int bits) {
  uint64_t v = 0;
  for (int n = bits, shift = 0;; n -= 7, shift += 7) {
    if (n <= 0) {
      mwd_fail(r, MW_MSG_INT_TOO_LONG);
      return 0;
    }
    uint8_t b = mwd_u8(r);
    if (r->fail) return 0;
    if (n < 7) {
      uint8_t mask = (uint8_t)((0xffu << (n - 1)) & 0x7f);
      if ((b & mask) != 0 && (b & mask) != mask) {
        mwd_fail(r, MW_MSG_INT_TOO_LARGE);
        return 0;
      }
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      shift += 7;
      if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
      return (int64_t)v;
    }
  }
}

static inline uint32_t mwd_u32(mwd_reader *r) {
  if (r->p < r->end && *r->p < 0x80) return *r->p++; /* the common case */
  return (uint32_t)mwd_uleb(r, 32);
}

static inline int32_t mwd_s32(mwd_reader *r) {
  return (int32_t)mwd_sleb(r, 32);
}

static inline int64_t mwd_s64(mwd_reader *r) { return mwd_sleb(r, 64); }

/* A length or a count (the reference interpreter's `len32`): it can't
 * exceed the bytes left, counted from before the number itself.  Checking
 * this first makes a hostile count fail before anything is allocated for
 * it, since every entry takes at least one byte. */
static inline uint32_t mwd_len(mwd_reader *r) {
  size_t avail = mwd_left(r);
  uint32_t n = mwd_u32(r);
  if (n > avail) {
    mwd_fail(r, MW_MSG_LENGTH_OUT_OF_BOUNDS);
    return 0;
  }
  return n;
}

/* `n` raw bytes: a pointer to them, or NULL past the end. */
static inline const uint8_t *mwd_bytes(mwd_reader *r, size_t n) {
  if (mwd_left(r) < n) {
    mwd_fail(r, MW_MSG_UNEXPECTED_END_SECTION);
    return NULL;
  }
  const uint8_t *s = r->p;
  r->p += n;
  return s;
}

/* Fixed-width little-endian words (float bit patterns). */
static inline uint64_t mwd_fixed(mwd_reader *r, unsigned nbytes) {
  const uint8_t *s = mwd_bytes(r, nbytes);
  uint64_t v = 0;
  if (!s) return 0;
  for (unsigned i = nbytes; i-- > 0;) v = (v << 8) | s[i];
  return v;
}

/* ---------------------------------------------------------------- memory immediates */

/* A memarg (spec 5.4.6).  Wasm 2.0: u32 alignment, u32 offset.  With
 * multi-memory (Wasm 3.0) bit 6 of the alignment flags says a memory index
 * follows, and flags of 0x80 or more are "malformed memop flags"; with
 * memory64 the offset is a u64 (validation bounds it for i32 memories). */
typedef struct mwd_memarg {
  uint32_t align;  /* log2, without the index bit */
  uint32_t mem;
  uint64_t offset;
} mwd_memarg;

static inline mwd_memarg mwd_memarg_read(mwd_reader *r, bool multi_memory,
                                         bool memory64) {
  mwd_memarg a = {0, 0, 0};
  a.align = mwd_u32(r);
  if (multi_memory && !r->fail) {
    if (a.align >= 0x80) {
      mwd_fail(r, MW_MSG_MEMOP_FLAGS);
      return a;
    }
    if (a.align & 0x40) {
      a.align &= ~0x40u;
      a.mem = mwd_u32(r);
    }
  }
  a.offset = memory64 ? mwd_uleb(r, 64) : mwd_u32(r);
  return a;
}

/* The memory index of memory.size, grow, fill, copy and init: a zero byte
 * in Wasm 2.0, a u32 index with multi-memory. */
static inline uint32_t mwd_memidx(mwd_reader *r, bool multi_memory) {
  if (multi_memory) return mwd_u32(r);
  if (mwd_u8(r) != 0 && !r->fail) mwd_fail(r, MW_MSG_ZERO_BYTE);
  return 0;
}

#endif
