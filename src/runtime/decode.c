/*
 * decode.c -- the binary format (spec chapter 5) into a struct mw_module.
 *
 * One pass over the bytes.  Decoding checks the *encoding* only; whether
 * the indices, types and limits make sense is validate.c's job.  Function
 * bodies are scanned, every instruction decoded and dropped, so that a
 * malformed body is reported here with the reference's message (the
 * binary format is defined down to the instructions); compile.c reads the
 * located bodies again to validate and compile them.  Constant expressions
 * are decoded and kept.
 *
 * Error messages follow the spec's reference interpreter, which the spec
 * tests are written against.  Two of its habits shape this file:
 *  - a section's contents are read from the whole module, not from a
 *    window of the section's declared size, and the size is compared after
 *    the fact ("section size mismatch").  So an entry that runs past its
 *    section reads on into the next one and fails there as the reference
 *    does (e.g. "length out of bounds" for a name, "illegal opcode" for a
 *    constant expression missing its `end`).
 *  - lengths and counts are checked against the bytes left before anything
 *    is read or allocated for them ("length out of bounds").
 *
 * Memory: the module keeps a copy of the bytes; names, custom sections,
 * data segments and bodies point into it.  Every array the module owns has
 * exactly its count of entries (mwd_module_free passes exact sizes to the
 * allocator); the few that grow while decoding are owned by the decoder
 * until they reach their final size.  The local declarations of all bodies
 * share one block, whose start is codes[0].local_runs.
 */
#include <inttypes.h>
#include <stdio.h>

#include <stdlib.h>

#include "internal.h"
#include "reader.h"

typedef struct decoder {
  mwd_reader r;
  mw_module *m;
  bool oom;          /* r.fail is MW_MSG_OOM: report out of memory */
  int last_rank;     /* order rank of the last non-custom section */
  uint32_t ncodes;   /* bodies in the code section (m->codes has as many) */
  size_t cap_customs;
  mw_local_run *runs; /* local runs of every body, until attached */
  size_t nruns, cap_runs;
  uint8_t *nest;      /* open blocks of the instructions being read */
  size_t nnest, cap_nest;
  bool uses_data_count; /* a body has memory.init or data.drop */
  char detail[160];     /* a message with details, which r.fail may name */
  mwt_rd td;            /* type reading (types.c), over r */
  uint8_t skip[256];    /* how the body scan skips each one-byte opcode
                           (SKIP_*; filled before the code section) */
  bool skip_ready;
  bool lazy_bodies;     /* lazy.c: bodies are scanned by validation */
} decoder;

/* ---------------------------------------------------------------- memory */

static void fail_oom(decoder *d) {
  if (!d->r.fail) d->oom = true;
  mwd_fail(&d->r, MW_MSG_OOM);
}

/* A zeroed array of n entries; NULL (without failing) when n is 0. */
static void *alloc_array(decoder *d, size_t n, size_t size) {
  if (n == 0) return NULL;
  void *p = mw_calloc(&d->m->alloc, n, size);
  if (!p) fail_oom(d);
  return p;
}

/* Resize an array from old_n to new_n entries, zeroing the new ones.  On
 * failure the old array is left as it was and NULL is returned. */
static void *resize_array(decoder *d, void *p, size_t old_n, size_t new_n,
                          size_t size) {
  if (new_n == old_n) return p;
  if (new_n > SIZE_MAX / size) {
    fail_oom(d);
    return NULL;
  }
  if (new_n == 0) {
    mw_free(&d->m->alloc, p, old_n * size);
    return NULL;
  }
  void *q = mw_realloc(&d->m->alloc, p, old_n * size, new_n * size);
  if (!q) {
    fail_oom(d);
    return NULL;
  }
  if (new_n > old_n) memset((char *)q + old_n * size, 0, (new_n - old_n) * size);
  return q;
}

/* Make room for one more entry in a decoder-owned growing array. */
static bool reserve_one(decoder *d, void **p, size_t n, size_t *cap,
                        size_t size) {
  if (n < *cap) return true;
  size_t new_cap = *cap ? *cap * 2 : 16;
  void *q = resize_array(d, *p, *cap, new_cap, size);
  if (!q) return false;
  *p = q;
  *cap = new_cap;
  return true;
}

/* ---------------------------------------------------------------- values */

/* Spec 5.2.4 "Names": UTF-8 as in Unicode 3.9, so no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing past U+10FFFF. */
static bool utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp, min;
    if ((b & 0xe0) == 0xc0) {
      k = 1, cp = b & 0x1fu, min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
      k = 2, cp = b & 0x0fu, min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
      k = 3, cp = b & 0x07u, min = 0x10000;
    } else {
      return false; /* a continuation byte, or a 5/6-byte lead */
    }
    if (n - i - 1 < k) return false;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + j] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += k + 1;
  }
  return true;
}

static mw_name read_name(mwd_reader *r) {
  mw_name name = {NULL, 0};
  uint32_t n = mwd_len(r);
  const uint8_t *s = mwd_bytes(r, n);
  if (r->fail) return name;
  if (!utf8_valid(s, n)) {
    mwd_fail(r, MW_MSG_UTF8);
    return name;
  }
  name.ptr = (const char *)s;
  name.len = n;
  return name;
}

/* Types are read by types.c, over the decoder's reader: every reader in
 * this file is the `r` that starts its decoder. */
static mw_valtype read_valtype(mwd_reader *r) {
  return mwt_read_valtype(&((decoder *)r)->td);
}

static mw_valtype read_reftype(mwd_reader *r) {
  return mwt_read_reftype(&((decoder *)r)->td);
}

static uint32_t read_heaptype(mwd_reader *r) {
  return mwt_read_heaptype(&((decoder *)r)->td);
}

/* Spec 5.4.1: 0x40 (no result), a value type (one byte of the form
 * 0b01xxxxxx), or a type index as a non-negative s33. */
static uint64_t read_blocktype(mwd_reader *r) {
  if (r->p < r->end && *r->p == 0x40) return *r->p++;
  if (r->p < r->end && (*r->p & 0xc0) == 0x40) return (uint64_t)read_valtype(r);
  return (uint64_t)mwd_sleb(r, 33);
}

/* Spec 5.3.7.  Wasm 2.0: the flag is 0 (min) or 1 (min, max), both u32.
 * The 2.0 reference reads the flag as a 1-bit LEB128, so 2 is "integer too
 * large" and 0x81 0x00 "integer representation too long"; the 2.0 spec
 * tests expect exactly that.  With memory64 (Wasm 3.0) the flag is a byte:
 * bit 0 a maximum, bit 2 the i64 address type (bit 1, shared memories,
 * belongs to threads), anything else "malformed limits flags"; the bounds
 * are u64 and validation checks their range. */
static mw_limits read_limits(mwd_reader *r, uint32_t features) {
  mw_limits l = {0, 0, false, false};
  if (!(features & MW_FEATURE_MEMORY64)) {
    bool has_max = mwd_uleb(r, 1) != 0;
    l.min = mwd_u32(r);
    if (has_max) {
      l.has_max = true;
      l.max = mwd_u32(r);
    }
    return l;
  }
  uint8_t flags = mwd_u8(r);
  if (r->fail) return l;
  if (flags & 0xfa) {
    mwd_fail(r, MW_MSG_LIMITS_FLAGS_3);
    return l;
  }
  l.is64 = (flags & 4) != 0;
  l.min = mwd_uleb(r, 64);
  if (flags & 1) {
    l.has_max = true;
    l.max = mwd_uleb(r, 64);
  }
  return l;
}

static mw_tabletype read_tabletype(mwd_reader *r, uint32_t features) {
  mw_tabletype t;
  t.elem = read_reftype(r);
  t.limits = read_limits(r, features);
  return t;
}

static mw_globaltype read_globaltype(mwd_reader *r) {
  mw_globaltype t;
  t.type = read_valtype(r);
  uint8_t mut = mwd_u8(r);
  if (!r->fail && mut > 1) mwd_fail(r, MW_MSG_MUTABILITY);
  t.mutable_ = mut == 1;
  return t;
}

/* ---------------------------------------------------------------- constant expressions */

/* Read the immediates of `op` (opcodes.h's imm column) and return the one
 * a constant expression cares about: a constant's bits (i32 and f32
 * zero-extended), an index, or a reftype.  Other instructions are decoded
 * only to be skipped: validation rejects them in constant expressions. */
static uint64_t read_immediate(mwd_reader *r, unsigned imm, uint32_t features) {
  bool multi_memory = (features & MW_FEATURE_MULTI_MEMORY) != 0;
  bool memory64 = (features & MW_FEATURE_MEMORY64) != 0;
  uint64_t x = 0;
  switch ((mw_imm_kind)imm) {
  case MW_IMM_NONE:
    break;
  case MW_IMM_BLOCKTYPE:
    x = read_blocktype(r);
    break;
  case MW_IMM_IDX:
    x = mwd_u32(r);
    break;
  case MW_IMM_IDX2: /* before reference types the second was a zero byte */
    x = mwd_u32(r);
    if (features & MW_FEATURE_REFERENCE_TYPES)
      (void)mwd_u32(r);
    else
      (void)mwd_memidx(r, false);
    break;
  case MW_IMM_BRTABLE: /* n labels, then the default one */
    x = mwd_len(r);
    for (uint64_t i = 0; i <= x && !r->fail; i++) (void)mwd_u32(r);
    break;
  case MW_IMM_SELECTT:
    x = mwd_len(r);
    for (uint64_t i = 0; i < x && !r->fail; i++) (void)read_valtype(r);
    break;
  case MW_IMM_MEMARG: /* alignment (and memory), then the offset we keep */
    x = mwd_memarg_read(r, multi_memory, memory64).offset;
    break;
  case MW_IMM_ZERO: /* a memory index since multi-memory */
    (void)mwd_memidx(r, multi_memory);
    break;
  case MW_IMM_ZERO2:
    (void)mwd_memidx(r, multi_memory);
    (void)mwd_memidx(r, multi_memory);
    break;
  case MW_IMM_IDX_ZERO:
    x = mwd_u32(r);
    (void)mwd_memidx(r, multi_memory);
    break;
  case MW_IMM_I32:
    x = (uint32_t)mwd_s32(r);
    break;
  case MW_IMM_I64:
    x = (uint64_t)mwd_s64(r);
    break;
  case MW_IMM_F32:
    x = mwd_fixed(r, 4);
    break;
  case MW_IMM_F64:
    x = mwd_fixed(r, 8);
    break;
  case MW_IMM_REFTYPE:
    x = read_reftype(r);
    break;
  case MW_IMM_HEAPTYPE:
    x = read_heaptype(r);
    break;
  case MW_IMM_LANE:
    x = mwd_u8(r);
    break;
  case MW_IMM_MEMARG_LANE: /* alignment (and memory), offset, lane */
    x = mwd_memarg_read(r, multi_memory, memory64).offset;
    (void)mwd_u8(r);
    break;
  case MW_IMM_V128:
  case MW_IMM_SHUFFLE:
    (void)mwd_bytes(r, 16);
    break;
  case MW_IMM_BR_ON_CAST: /* flags, label, two heap types */
    (void)mwd_u8(r);
    x = mwd_u32(r);
    (void)read_heaptype(r);
    (void)read_heaptype(r);
    break;
  case MW_IMM_TRY_TABLE: /* blocktype, vec(catch clause) */
    (void)read_blocktype(r);
    x = mwd_len(r);
    for (uint64_t i = 0; i < x && !r->fail; i++) {
      uint8_t kind = mwd_u8(r); /* catch, catch_ref: a tag; all: a label */
      if (kind < 2) (void)mwd_u32(r);
      (void)mwd_u32(r);
    }
    break;
  }
  return x;
}

/* The mw_config feature bit that enables an opcode-table feature. */
static uint32_t feature_bit(unsigned feature) {
  switch ((mw_op_feature)feature) {
  case MW_FEAT_CORE: break;
  case MW_FEAT_SIMD: return MW_FEATURE_SIMD;
  case MW_FEAT_RELAXED_SIMD: return MW_FEATURE_RELAXED_SIMD;
  case MW_FEAT_TAIL_CALL: return MW_FEATURE_TAIL_CALL;
  case MW_FEAT_FUNC_REFS: return MW_FEATURE_FUNCTION_REFERENCES;
  case MW_FEAT_GC: return MW_FEATURE_GC;
  case MW_FEAT_EXCEPTIONS: return MW_FEATURE_EXCEPTIONS;
  case MW_FEAT_LEGACY_EXCEPTIONS: return MW_FEATURE_LEGACY_EXCEPTIONS;
  }
  return 0;
}

/* An instruction this runtime knows but cannot run here.  If the config
 * leaves its feature out, the module is in a language without it, where
 * the byte is an "illegal opcode" (as the reference interpreter of that
 * version says; spec tests check it); else the feature is not implemented
 * yet.  Either way the message names the feature and where the
 * instruction starts. */
static void fail_unavailable(decoder *d, int op, size_t offset) {
  const mw_opinfo *in = &mw_opinfo_table[op];
  const char *feature = mw_feature_name(in->feature);
  bool plural = in->feature == MW_FEAT_TAIL_CALL || in->feature == MW_FEAT_FUNC_REFS;
  if (!(d->m->features & feature_bit(in->feature)))
    snprintf(d->detail, sizeof d->detail, "%s (%s at byte offset %zu: %s %s not enabled)",
             MW_MSG_ILLEGAL_OPCODE, in->text, offset, feature,
             plural ? "are" : "is");
  else
    snprintf(d->detail, sizeof d->detail, "%s %s not supported (%s at byte offset %zu)",
             feature, plural ? "are" : "is", in->text, offset);
  mwd_fail(&d->r, d->detail);
}

static int read_opcode(decoder *d) {
  mwd_reader *r = &d->r;
  size_t offset = (size_t)(r->p - d->m->bytes);
  uint8_t b = mwd_u8(r);
  uint32_t sub = mw_opcode_is_prefix(b) ? mwd_u32(r) : 0;
  int op = mw_opcode_is_prefix(b) ? mw_opcode_from_prefixed(b, sub) : mw_opcode_from_byte(b);
  if (r->fail) return -1;
  if (op < 0) { /* the bytes in hex, as the 3.0 reference says it */
    if (mw_opcode_is_prefix(b))
      snprintf(d->detail, sizeof d->detail, "%s %02x %02" PRIx32, MW_MSG_ILLEGAL_OPCODE, b, sub);
    else
      snprintf(d->detail, sizeof d->detail, "%s %02x", MW_MSG_ILLEGAL_OPCODE, b);
    mwd_fail(r, d->detail);
    return -1;
  }
  if (mw_opinfo_table[op].kind == MW_KIND_NYI ||
      (mw_opinfo_table[op].feature != MW_FEAT_CORE &&
       !(d->m->features & feature_bit(mw_opinfo_table[op].feature)))) {
    fail_unavailable(d, op, offset);
    return -1;
  }
  return op;
}

/* What each open block on the nesting stack allows: `else` only in the
 * first branch of an `if`. */
enum { NEST_PLAIN, NEST_IF_THEN };

static bool nest_push(decoder *d, uint8_t kind) {
  if (!reserve_one(d, (void **)&d->nest, d->nnest, &d->cap_nest, 1)) return false;
  d->nest[d->nnest++] = kind;
  return true;
}

/* Track block structure as the reference interpreter's decoder does: it
 * reads a sequence up to `end` or `else`, then expects the one the
 * construct allows, so a misplaced `else` is "END opcode expected".
 * Returns true at the `end` that closes the whole sequence. */
static bool nest_step(decoder *d, int op) {
  switch (op) {
  case MW_OP_BLOCK:
  case MW_OP_LOOP:
    nest_push(d, NEST_PLAIN);
    break;
  case MW_OP_IF:
    nest_push(d, NEST_IF_THEN);
    break;
  case MW_OP_ELSE:
    if (d->nest[d->nnest - 1] != NEST_IF_THEN)
      mwd_fail(&d->r, MW_MSG_END_EXPECTED);
    d->nest[d->nnest - 1] = NEST_PLAIN;
    break;
  case MW_OP_END:
    return --d->nnest == 0;
  case MW_OP_TRY: /* exception handling: blocks ended by `end` ... */
  case MW_OP_TRY_TABLE:
    nest_push(d, NEST_PLAIN);
    break;
  case MW_OP_DELEGATE: /* ... or (legacy try) by `delegate` */
    if (d->nnest > 1) d->nnest--;
    break;
  case MW_OP_MEMORY_INIT:
  case MW_OP_DATA_DROP:
    d->uses_data_count = true;
    break;
  }
  return false;
}

/* Spec 5.4: instructions up to the `end` that closes the sequence (an
 * expression or a function body).  Every instruction is decoded with its
 * immediates (opcodes.h says which), so that an encoding error is reported
 * where the reference interpreter reports it; nothing is validated.
 * Function bodies are only scanned here (e == NULL): compile.c reads them
 * again to validate and compile.  For a constant expression the first
 * MW_CEXPR_MAX instructions are kept in `e` and all are counted;
 * validation decides which are constant. */
/* The body scan's fast path (load speed, issue 13): one-byte opcodes
 * that are enabled, leave the nesting alone and have plain immediates are
 * skipped by class, with the same reads (so the same errors) as
 * read_immediate; everything else takes the general path below. */
enum { SKIP_GENERAL, SKIP_NONE, SKIP_END, SKIP_U32, SKIP_S32, SKIP_S64, SKIP_MEMARG,
       SKIP_F32, SKIP_F64 };

static void init_skip(decoder *d) {
  for (unsigned b = 0; b < 256; b++) {
    int op = mw_opcode_is_prefix(b) ? -1 : mw_opcode_from_byte(b);
    uint8_t k = SKIP_GENERAL;
    if (op >= 0 && mw_opinfo_table[op].kind != MW_KIND_NYI &&
        (mw_opinfo_table[op].feature == MW_FEAT_CORE ||
         (d->m->features & feature_bit(mw_opinfo_table[op].feature)))) {
      switch ((mw_imm_kind)mw_opinfo_table[op].imm) {
      case MW_IMM_NONE: k = SKIP_NONE; break;
      case MW_IMM_IDX: k = SKIP_U32; break;
      case MW_IMM_I32: k = SKIP_S32; break;
      case MW_IMM_I64: k = SKIP_S64; break;
      case MW_IMM_MEMARG: k = SKIP_MEMARG; break;
      case MW_IMM_F32: k = SKIP_F32; break;
      case MW_IMM_F64: k = SKIP_F64; break;
      default: break;
      }
      switch (op) { /* the ones nest_step watches */
      case MW_OP_END: k = SKIP_END; break;
      case MW_OP_BLOCK: case MW_OP_LOOP: case MW_OP_IF: case MW_OP_ELSE:
      case MW_OP_TRY: case MW_OP_TRY_TABLE: case MW_OP_DELEGATE:
        k = SKIP_GENERAL;
        break;
      }
    }
    d->skip[b] = k;
  }
  d->skip_ready = true;
}

/* One instruction of a body by the fast path: true if it was taken (the
 * instruction is read; *closed: it was the body's final `end`). */
static inline bool skip_fast(decoder *d, bool *closed) {
  mwd_reader *r = &d->r;
  if (r->p >= r->end) return false;
  uint8_t k = d->skip[*r->p];
  if (k == SKIP_GENERAL) return false;
  r->p++;
  switch (k) {
  case SKIP_END:
    *closed = --d->nnest == 0;
    break;
  case SKIP_U32:
    (void)mwd_u32(r);
    break;
  case SKIP_S32:
  case SKIP_S64:
    if (r->p < r->end && *r->p < 0x80) r->p++; /* one byte: always well formed */
    else (void)mwd_sleb(r, k == SKIP_S32 ? 32 : 64);
    break;
  case SKIP_MEMARG:
    if (r->end - r->p >= 2 && r->p[0] < 0x40 && r->p[1] < 0x80) r->p += 2;
    else (void)mwd_memarg_read(r, (d->m->features & MW_FEATURE_MULTI_MEMORY) != 0,
                               (d->m->features & MW_FEATURE_MEMORY64) != 0);
    break;
  case SKIP_F32:
    (void)mwd_bytes(r, 4);
    break;
  case SKIP_F64:
    (void)mwd_bytes(r, 8);
    break;
  }
  return true;
}

static void read_instrs(decoder *d, mw_cexpr *e) {
  mwd_reader *r = &d->r;
  if (e) {
    memset(e, 0, sizeof *e);
    e->code = r->p;
  }
  d->nnest = 0;
  if (!nest_push(d, NEST_PLAIN)) return;
  if (!e && !d->skip_ready) init_skip(d);
  for (;;) {
    bool closed = false;
    if (!e && skip_fast(d, &closed)) {
      if (closed || r->fail) return;
      continue;
    }
    int op = read_opcode(d);
    if (op >= 0 && e) e->end = r->p;
    if (op < 0 || nest_step(d, op) || r->fail) return;
    const uint8_t *imm_at = r->p;
    uint64_t imm = read_immediate(r, mw_opinfo_table[op].imm, d->m->features);
    if (r->fail) return;
    if (e && e->n < MW_CEXPR_MAX) {
      e->ins[e->n].op = (uint16_t)op;
      e->ins[e->n].imm = imm;
      if (mw_opinfo_table[op].imm == MW_IMM_V128) { /* the 16 bytes, in two halves */
        memcpy(&e->ins[e->n].imm, imm_at, 8);
        memcpy(&e->ins[e->n].imm_hi, imm_at + 8, 8);
      }
      if (op == MW_OP_ARRAY_NEW_FIXED) { /* gc: type index, then the count */
        mwd_reader r2 = {imm_at, r->p, NULL};
        (void)mwd_u32(&r2);
        e->ins[e->n].imm_hi = mwd_u32(&r2);
      }
    }
    if (e && e->n < UINT32_MAX) e->n++;
  }
}

static void read_cexpr(decoder *d, mw_cexpr *e) { read_instrs(d, e); }

static void ref_func_cexpr(mw_cexpr *e, uint32_t func_index) {
  memset(e, 0, sizeof *e);
  e->n = 1;
  e->ins[0].op = MW_OP_REF_FUNC;
  e->ins[0].imm = func_index;
}

/* ---------------------------------------------------------------- sections 1-8 */

/* Spec 5.3.6-5.3.8: a composite type, func (0x60 vec(valtype)
 * vec(valtype)), struct (0x5F vec(fieldtype)) or array (0x5E fieldtype),
 * a field being a storage type and a mutability byte.  Struct and array
 * types belong to GC. */
static mw_functype *read_comptype(decoder *d) {
  mwd_reader *r = &d->r;
  const uint8_t *at = r->p;
  uint8_t form = mwd_u8(r);
  if (r->fail) return NULL;
  if (form & 0x80) { /* an s7 in the reference, as type codes */
    mwd_fail(r, MW_MSG_INT_TOO_LONG);
    return NULL;
  }
  bool gc = (d->m->features & MW_FEATURE_GC) != 0;
  if (form != 0x60 && !(gc && (form == MW_COMP_STRUCT || form == MW_COMP_ARRAY))) {
    if (!gc && (form == MW_COMP_STRUCT || form == MW_COMP_ARRAY)) {
      snprintf(d->detail, sizeof d->detail,
               "%s (%s at byte offset %zu: garbage collection is not enabled)",
               MW_MSG_FUNCTYPE, form == MW_COMP_STRUCT ? "struct" : "array",
               (size_t)(at - d->m->bytes));
      mwd_fail(r, d->detail);
    } else {
      mwd_fail(r, gc ? "malformed definition type" : MW_MSG_FUNCTYPE);
    }
    return NULL;
  }
  uint32_t np, nr = 0;
  mw_valtype small[16], *ts = small;
  size_t cap = 16, n = 0;
  if (form == MW_COMP_ARRAY) np = 1;
  else np = mwd_len(r);
  for (int part = 0; part < 2 && !r->fail; part++) {
    uint32_t count = part == 0 ? np : (form == 0x60 ? (nr = mwd_len(r)) : 0);
    for (uint32_t i = 0; i < count && !r->fail; i++) {
      mw_valtype t;
      if (form == 0x60) {
        t = read_valtype(r);
      } else {
        t = mwt_read_storagetype(&d->td);
        uint8_t mut = mwd_u8(r);
        if (!r->fail && mut > 1) mwd_fail(r, MW_MSG_MUTABILITY);
        if (mut == 1) t = (mw_valtype)((unsigned)t | MW_VT_MUT);
      }
      if (r->fail) break;
      if (n == cap) {
        size_t ncap = cap * 2;
        mw_valtype *g = mw_alloc(&d->m->alloc, ncap * sizeof *g);
        if (!g) {
          fail_oom(d);
          break;
        }
        memcpy(g, ts, n * sizeof *g);
        if (ts != small) mw_free(&d->m->alloc, ts, cap * sizeof *ts);
        ts = g;
        cap = ncap;
      }
      ts[n++] = t;
    }
  }
  mw_functype *t = NULL;
  if (!r->fail) {
    t = mw_calloc(&d->m->alloc, 1, mw_functype_bytes(np, nr));
    if (!t) {
      fail_oom(d);
    } else {
      t->nparams = np;
      t->nresults = nr;
      t->comp = form;
      t->final = true;
      t->super = MW_NO_SUPER;
      memcpy(t->types, ts, n * sizeof *ts);
    }
  }
  if (ts != small) mw_free(&d->m->alloc, ts, cap * sizeof *ts);
  return t;
}

/* A subtype: 0x50 (sub) or 0x4F (sub final) with a vector of supertype
 * indices (at most one, GC), then the composite type; or the composite
 * type alone (final, no supertype). */
static mw_functype *read_subtype(decoder *d) {
  mwd_reader *r = &d->r;
  bool gc = (d->m->features & MW_FEATURE_GC) != 0;
  if (!gc || r->p >= r->end || (*r->p != 0x50 && *r->p != 0x4F)) return read_comptype(d);
  bool final = *r->p++ == 0x4F;
  uint32_t nsupers = mwd_len(r);
  uint32_t super = MW_NO_SUPER;
  for (uint32_t i = 0; i < nsupers && !r->fail; i++) super = mwd_u32(r);
  if (r->fail) return NULL;
  mw_functype *t = read_comptype(d);
  if (!t) return NULL;
  t->final = final;
  t->super = nsupers == 0 ? MW_NO_SUPER : nsupers > 1 ? MW_NO_SUPER - 1 : super;
  return t;
}

/* Spec 5.5.4: a vector of rec groups, each 0x4E vec(subtype) or one
 * subtype.  m->types lists every subtype in order; each knows its group. */
static void decode_types(decoder *d) {
  mw_module *m = d->m;
  mwd_reader *r = &d->r;
  uint32_t n = mwd_len(r);
  size_t cap = n;
  if (n > MW_MAX_TYPES) {
    mwd_fail(r, "too many types");
    return;
  }
  m->types = alloc_array(d, cap, sizeof *m->types);
  for (uint32_t g = 0; g < n && !r->fail; g++) {
    uint32_t len = 1;
    if (r->p < r->end && *r->p == 0x4E && (m->features & MW_FEATURE_GC)) {
      r->p++;
      len = mwd_len(r);
      if (r->fail) break;
    }
    if (len > MW_MAX_TYPES - m->ntypes) {
      mwd_fail(r, "too many types");
      break;
    }
    if (m->ntypes + len > cap) { /* rec groups hold more than one type */
      size_t ncap = m->ntypes + (size_t)len + (n - g);
      if (ncap > MW_MAX_TYPES) ncap = MW_MAX_TYPES;
      mw_functype **p = resize_array(d, m->types, cap, ncap, sizeof *p);
      if (!p) break;
      m->types = p;
      cap = ncap;
    }
    uint32_t first = m->ntypes;
    for (uint32_t k = 0; k < len && !r->fail; k++) {
      mw_functype *t = read_subtype(d);
      if (!t) break;
      t->index = m->ntypes;
      t->rec_first = first;
      t->rec_len = len;
      m->types[m->ntypes++] = t;
    }
  }
  /* The module keeps exactly ntypes entries. */
  if (!r->fail && cap != m->ntypes) {
    mw_functype **p = resize_array(d, m->types, cap, m->ntypes, sizeof *p);
    if (!r->fail) {
      m->types = p;
      cap = m->ntypes;
    }
  }
  if (r->fail) {
    for (uint32_t i = 0; i < m->ntypes; i++)
      mw_free(&m->alloc, m->types[i],
              mw_functype_bytes(m->types[i]->nparams, m->types[i]->nresults));
    mw_free(&m->alloc, m->types, cap * sizeof *m->types);
    m->types = NULL;
    m->ntypes = 0;
    return;
  }
  mwt_finish_types(m);
}

/* Spec 5.5.5: one import; the descriptor's type goes to `type` until the
 * per-kind arrays exist (see spread_imports). */
static void read_import(mwd_reader *r, mw_import *imp, mw_externtype *type,
                        uint32_t features) {
  imp->module = read_name(r);
  imp->name = read_name(r);
  uint8_t kind = mwd_u8(r);
  if (r->fail) return;
  switch (kind) {
  case MW_EXTERN_FUNC: imp->index = mwd_u32(r); break;
  case MW_EXTERN_TABLE: type->of.table = read_tabletype(r, features); break;
  case MW_EXTERN_MEMORY: type->of.memory.limits = read_limits(r, features); break;
  case MW_EXTERN_GLOBAL: type->of.global = read_globaltype(r); break;
  case MW_EXTERN_TAG: /* exception handling: attribute 0, a type index */
    if (!(features & MW_FEATURE_EXCEPTIONS) && !(features & MW_FEATURE_LEGACY_EXCEPTIONS)) {
      mwd_fail(r, MW_MSG_IMPORT_KIND);
      return;
    }
    if (mwd_u8(r) != 0 && !r->fail) mwd_fail(r, MW_MSG_TAG_ATTRIBUTE);
    imp->index = mwd_u32(r);
    break;
  default: mwd_fail(r, MW_MSG_IMPORT_KIND); return;
  }
  imp->kind = (mw_extern_kind)kind;
  type->kind = imp->kind;
}

/* Imports come first in each index space (spec 2.5.1): allocate the
 * per-kind arrays with one entry per import, fill them, and point each
 * non-function import at its entry. */
static void spread_imports(decoder *d, const mw_externtype *types) {
  mw_module *m = d->m;
  uint32_t count[5] = {0, 0, 0, 0, 0}, next[5] = {0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < m->nimports; i++) count[m->imports[i].kind]++;
  /* Each count is set with its array, so that a failure part way leaves
   * arrays whose counts say their size. */
  if ((m->func_types = alloc_array(d, count[0], sizeof *m->func_types)))
    m->nfuncs = m->nfunc_imports = count[0];
  if ((m->tables = alloc_array(d, count[1], sizeof *m->tables)))
    m->ntables = m->ntable_imports = count[1];
  if ((m->memories = alloc_array(d, count[2], sizeof *m->memories)))
    m->nmemories = m->nmemory_imports = count[2];
  if ((m->globals = alloc_array(d, count[3], sizeof *m->globals)))
    m->nglobals = m->nglobal_imports = count[3];
  if ((m->tag_types = alloc_array(d, count[4], sizeof *m->tag_types)))
    m->ntags = m->ntag_imports = count[4];
  if (d->r.fail) return;
  for (uint32_t i = 0; i < m->nimports; i++) {
    mw_import *imp = &m->imports[i];
    uint32_t at = next[imp->kind]++;
    switch (imp->kind) {
    case MW_EXTERN_FUNC: m->func_types[at] = imp->index; break;
    case MW_EXTERN_TABLE: m->tables[at] = types[i].of.table; break;
    case MW_EXTERN_MEMORY: m->memories[at] = types[i].of.memory; break;
    case MW_EXTERN_GLOBAL: m->globals[at].type = types[i].of.global; break;
    case MW_EXTERN_TAG: m->tag_types[at] = imp->index; break;
    }
    if (imp->kind != MW_EXTERN_FUNC) imp->index = at;
  }
}

static void decode_imports(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  mw_externtype *types = alloc_array(d, n, sizeof *types);
  if (types) m->imports = alloc_array(d, n, sizeof *m->imports);
  if (m->imports) m->nimports = n;
  for (uint32_t i = 0; i < m->nimports && !d->r.fail; i++)
    read_import(&d->r, &m->imports[i], &types[i], m->features);
  if (!d->r.fail) spread_imports(d, types);
  mw_free(&m->alloc, types, (size_t)n * sizeof *types);
}

/* The definitions of a section follow the imports in their index space:
 * grow the array from `*count` to `*count + n` entries. */
static bool extend_space(decoder *d, void **array, uint32_t *count, uint32_t n,
                         size_t size) {
  if (n > UINT32_MAX - *count) {
    mwd_fail(&d->r, MW_MSG_LENGTH_OUT_OF_BOUNDS);
    return false;
  }
  void *p = resize_array(d, *array, *count, (size_t)*count + n, size);
  if (!p && n) return false;
  *array = p;
  *count += n;
  return true;
}

static void decode_functions(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  uint32_t first = m->nfuncs;
  if (!extend_space(d, (void **)&m->func_types, &m->nfuncs, n, sizeof *m->func_types))
    return;
  for (uint32_t i = first; i < m->nfuncs && !d->r.fail; i++)
    m->func_types[i] = mwd_u32(&d->r);
}

/* A table is a table type, or (Wasm 3.0, typed function references)
 * 0x40 0x00, a table type and an initializer expression.  table_inits has
 * an entry per table, imports included (left empty). */
static void decode_tables(decoder *d) {
  mw_module *m = d->m;
  mwd_reader *r = &d->r;
  uint32_t n = mwd_len(r);
  uint32_t first = m->ntables;
  if (!extend_space(d, (void **)&m->tables, &m->ntables, n, sizeof *m->tables))
    return;
  m->table_inits = alloc_array(d, m->ntables, sizeof *m->table_inits);
  for (uint32_t i = first; i < m->ntables && !r->fail; i++) {
    if (r->p < r->end && *r->p == 0x40) {
      r->p++;
      if (mwd_u8(r) != 0x00 && !r->fail) mwd_fail(r, "malformed table");
      m->tables[i] = read_tabletype(r, m->features);
      if (m->table_inits) read_cexpr(d, &m->table_inits[i]);
    } else {
      m->tables[i] = read_tabletype(r, m->features);
    }
  }
}

static void decode_memories(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  uint32_t first = m->nmemories;
  if (!extend_space(d, (void **)&m->memories, &m->nmemories, n, sizeof *m->memories))
    return;
  for (uint32_t i = first; i < m->nmemories && !d->r.fail; i++)
    m->memories[i].limits = read_limits(&d->r, m->features);
}

static void decode_globals(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  uint32_t first = m->nglobals;
  if (!extend_space(d, (void **)&m->globals, &m->nglobals, n, sizeof *m->globals))
    return;
  for (uint32_t i = first; i < m->nglobals && !d->r.fail; i++) {
    m->globals[i].type = read_globaltype(&d->r);
    read_cexpr(d, &m->globals[i].init);
  }
}

static void decode_exports(decoder *d) {
  mw_module *m = d->m;
  mwd_reader *r = &d->r;
  uint32_t n = mwd_len(r);
  m->exports = alloc_array(d, n, sizeof *m->exports);
  if (m->exports) m->nexports = n;
  for (uint32_t i = 0; i < m->nexports && !r->fail; i++) {
    mw_export *e = &m->exports[i];
    e->name = read_name(r);
    uint8_t kind = mwd_u8(r);
    bool eh = (m->features & (MW_FEATURE_EXCEPTIONS | MW_FEATURE_LEGACY_EXCEPTIONS)) != 0;
    if (!r->fail && kind > (eh ? MW_EXTERN_TAG : MW_EXTERN_GLOBAL))
      mwd_fail(r, MW_MSG_EXPORT_KIND);
    e->kind = (mw_extern_kind)kind;
    e->index = mwd_u32(r);
  }
}

/* Exception handling: the tag section (id 13), each tag an attribute byte
 * (0, an exception) and a type index, after the imported tags. */
static void decode_tags(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  uint32_t first = m->ntags;
  if (!extend_space(d, (void **)&m->tag_types, &m->ntags, n, sizeof *m->tag_types))
    return;
  for (uint32_t i = first; i < m->ntags && !d->r.fail; i++) {
    if (mwd_u8(&d->r) != 0 && !d->r.fail) mwd_fail(&d->r, MW_MSG_TAG_ATTRIBUTE);
    m->tag_types[i] = mwd_u32(&d->r);
  }
}

static void decode_start(decoder *d) {
  d->m->start = mwd_u32(&d->r);
  d->m->has_start = !d->r.fail;
}

/* ---------------------------------------------------------------- element and data segments */

/* Spec 5.5.12: the flags' bit 0 says passive or declarative (else
 * active), bit 1 an explicit table index (active) or declarative, bit 2
 * expressions instead of function indices.  Flags 0 and 4 imply funcref;
 * the others give an elemkind byte (indices) or a reftype (expressions). */
static void read_elem(decoder *d, mw_elem *e) {
  mwd_reader *r = &d->r;
  uint32_t flags = mwd_u32(r);
  if (r->fail) return;
  if (flags > 7) {
    mwd_fail(r, MW_MSG_ELEM_KIND);
    return;
  }
  bool exprs = flags & 4;
  if (!(flags & 1)) {
    e->mode = MW_SEG_ACTIVE;
    if (flags & 2) e->table = mwd_u32(r);
    read_cexpr(d, &e->offset);
  } else {
    e->mode = (flags & 2) ? MW_SEG_DECLARATIVE : MW_SEG_PASSIVE;
  }
  /* Function indices give (ref func) since typed function references
   * (funcref before); expressions without a type, funcref. */
  e->type = exprs || !(d->m->features & MW_FEATURE_FUNCTION_REFERENCES)
                ? MW_FUNCREF
                : MW_REF(false, MW_HT_FUNC);
  if ((flags & 3) && exprs) {
    e->type = read_reftype(r);
  } else if (flags & 3) {
    if (mwd_u8(r) != 0x00 && !r->fail) mwd_fail(r, MW_MSG_ELEMKIND);
  }
  uint32_t n = mwd_len(r);
  e->items = alloc_array(d, n, sizeof *e->items);
  if (e->items) e->count = n;
  for (uint32_t i = 0; i < e->count && !r->fail; i++) {
    if (exprs)
      read_cexpr(d, &e->items[i]);
    else
      ref_func_cexpr(&e->items[i], mwd_u32(r));
  }
}

static void decode_elems(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  m->elems = alloc_array(d, n, sizeof *m->elems);
  if (m->elems) m->nelems = n;
  for (uint32_t i = 0; i < m->nelems && !d->r.fail; i++) read_elem(d, &m->elems[i]);
}

/* Spec 5.5.14: 0 active in memory 0, 1 passive, 2 active with an explicit
 * memory index. */
static void read_data(decoder *d, mw_data *s) {
  mwd_reader *r = &d->r;
  uint32_t flags = mwd_u32(r);
  if (r->fail) return;
  if (flags > 2) {
    mwd_fail(r, MW_MSG_DATA_KIND);
    return;
  }
  s->mode = flags == 1 ? MW_SEG_PASSIVE : MW_SEG_ACTIVE;
  if (flags == 2) s->memory = mwd_u32(r);
  if (flags != 1) read_cexpr(d, &s->offset);
  uint32_t len = mwd_len(r);
  s->bytes = mwd_bytes(r, len);
  if (s->bytes) s->len = len;
}

static void decode_datas(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  m->datas = alloc_array(d, n, sizeof *m->datas);
  if (m->datas) m->ndatas = n;
  for (uint32_t i = 0; i < m->ndatas && !d->r.fail; i++) read_data(d, &m->datas[i]);
}

static void decode_datacount(decoder *d) {
  d->m->datacount = mwd_u32(&d->r);
  d->m->has_datacount = !d->r.fail;
}

/* ---------------------------------------------------------------- code */

/* Parameters of defined function `i`, when its type is known (decoding
 * doesn't validate: an unknown type counts none). */
static uint32_t param_count(const mw_module *m, uint32_t i) {
  uint64_t f = (uint64_t)m->nfunc_imports + i;
  if (f >= m->nfuncs || m->func_types[f] >= m->ntypes) return 0;
  const mw_functype *t = m->types[m->func_types[f]];
  return t ? t->nparams : 0;
}

static bool push_local_run(decoder *d, uint32_t count, mw_valtype type) {
  if (!reserve_one(d, (void **)&d->runs, d->nruns, &d->cap_runs, sizeof *d->runs))
    return false;
  d->runs[d->nruns].count = count;
  d->runs[d->nruns].type = type;
  d->nruns++;
  return true;
}

/* Spec 5.5.13: size, vec(locals), instructions.  The locals are decoded,
 * the instructions scanned (read_instrs).  The total of locals must fit a
 * u32 (spec) and, with the parameters, our MW_MAX_LOCALS (spec 7.4 allows
 * the limit); both are "too many locals".  Like any section entry, a body
 * is read on past its declared size if its instructions say so, and the
 * size is checked afterwards. */
static void read_body(decoder *d, uint32_t i, mw_code_body *c) {
  mwd_reader *r = &d->r;
  uint32_t size = mwd_len(r);
  const uint8_t *body = r->p;
  c->offset = (uint32_t)(body - d->m->bytes);
  uint32_t nruns = mwd_len(r);
  uint64_t total = 0;
  for (uint32_t j = 0; j < nruns && !r->fail; j++) {
    uint32_t count = mwd_u32(r);
    mw_valtype type = read_valtype(r);
    if (!r->fail && push_local_run(d, count, type)) total += count;
  }
  if (r->fail) return;
  c->nlocal_runs = nruns;
  if (total > UINT32_MAX || total + param_count(d->m, i) > MW_MAX_LOCALS) {
    mwd_fail(r, MW_MSG_TOO_MANY_LOCALS);
    return;
  }
  c->nlocals = (uint32_t)total;
  c->start = r->p;
  if (d->lazy_bodies && (size_t)(r->p - body) <= size &&
      size <= (size_t)(r->end - body)) {
    /* read after the sections, by the body pass (pass_bodies); a body
     * whose size runs past the bytes there are is read now, for the
     * error read_instrs gives it */
    c->end = body + size;
    c->unscanned = true;
    d->m->bodies_unscanned = true;
    r->p = c->end;
    return;
  }
  read_instrs(d, NULL);
  if (!r->fail && (size_t)(r->p - body) != size) mwd_fail(r, MW_MSG_SECTION_SIZE);
  c->end = r->p;
}

/* Hand the local runs to the module: shrink the block to its size and
 * point each body at its runs (they were pushed in body order). */
static void attach_local_runs(decoder *d) {
  mw_local_run *runs = resize_array(d, d->runs, d->cap_runs, d->nruns, sizeof *runs);
  if (d->r.fail) return;
  d->runs = NULL;
  d->cap_runs = d->nruns = 0;
  size_t at = 0;
  for (uint32_t i = 0; i < d->ncodes; i++) {
    d->m->codes[i].local_runs = runs ? runs + at : NULL;
    at += d->m->codes[i].nlocal_runs;
  }
}

/* Scan the instructions of the unscanned bodies from .. to-1 of d->m as
 * read_body does (lazy.c): the first encoding error, in body order, stays
 * in d->r.fail.  Sets d->uses_data_count. */
static void scan_bodies(decoder *d, uint32_t from, uint32_t to) {
  mwd_reader *r = &d->r;
  const mw_module *m = d->m;
  for (uint32_t i = from; i < to && !r->fail; i++) {
    const mw_code_body *c = &m->codes[i];
    if (!c->unscanned) continue;
    r->p = c->start;
    r->end = m->bytes + m->len; /* a body may run past its size, as above */
    read_instrs(d, NULL);
    if (!r->fail && r->p != c->end) mwd_fail(r, MW_MSG_SECTION_SIZE);
  }
}

/* The body pass (issue 13: load speed), after all sections are read, on
 * threads for large modules (compile_par.c): body i is judged valid by
 * validate_fast.c -- which then also means well formed, every read going
 * through reader.h as here -- and left to be compiled on its first call
 * (lazy.c); or its instructions are scanned as read_body scans them, for
 * the same errors.  Reads m only, but for body i's flags. */
static mw_error *body_pass(mw_module *m, uint32_t i, mwv_fast_scratch *s) {
  mw_code_body *c = &m->codes[i];
  if (!c->unscanned) return NULL;
  s->uses_data_count = false;
  if (m->nfunc_imports + (uint64_t)i < m->nfuncs && mwv_fast_body(m, i, s)) {
    c->fast_valid = true;
    c->uses_data_count = s->uses_data_count;
    return NULL;
  }
  decoder d;
  memset(&d, 0, sizeof d);
  d.m = m;
  d.td.r = &d.r;
  d.td.features = m->features;
  d.td.base = m->bytes;
  scan_bodies(&d, i, i + 1);
  c->uses_data_count = d.uses_data_count;
  mw_free(&m->alloc, d.nest, d.cap_nest);
  if (!d.r.fail) return NULL;
  return d.oom ? mw_error_oom()
               : mw_errorf(MW_ERR_MALFORMED, "%s", mw_msg_for_edition(m->features, d.r.fail));
}

/* Every body the sections left unscanned; the first error in body order. */
static mw_error *pass_bodies(decoder *d) {
  mw_error *err = mwc_par_bodies(d->m, d->ncodes, body_pass);
  for (uint32_t i = 0; i < d->ncodes; i++) {
    if (d->m->codes[i].uses_data_count) d->uses_data_count = true;
    d->m->codes[i].unscanned = false;
  }
  return err;
}

static void decode_codes(decoder *d) {
  mw_module *m = d->m;
  uint32_t n = mwd_len(&d->r);
  m->codes = alloc_array(d, n, sizeof *m->codes);
  if (m->codes) d->ncodes = n;
  for (uint32_t i = 0; i < d->ncodes && !d->r.fail; i++) read_body(d, i, &m->codes[i]);
  if (!d->r.fail) attach_local_runs(d);
}

/* ---------------------------------------------------------------- custom sections */

/* The name section (spec 7.4.1) is only a debugging aid: it is parsed with
 * its own reader, and if anything about it is wrong it is ignored.  This
 * message marks such a failure internally; it is never reported. */
static const char bad_name_section[] = "malformed name section";

static mw_func_name *read_name_map(decoder *d, mwd_reader *r, uint32_t *count) {
  uint32_t n = mwd_len(r);
  mw_func_name *names = n ? mw_calloc(&d->m->alloc, n, sizeof *names) : NULL;
  if (n && !names) mwd_fail(r, bad_name_section); /* no names is fine */
  for (uint32_t i = 0; i < n && !r->fail; i++) {
    names[i].index = mwd_u32(r);
    names[i].name = read_name(r);
    if (i > 0 && names[i].index <= names[i - 1].index)
      mwd_fail(r, bad_name_section); /* must be sorted, no duplicates */
  }
  if (r->fail) {
    mw_free(&d->m->alloc, names, (size_t)n * sizeof *names);
    return NULL;
  }
  *count = n;
  return names;
}

static void read_name_section(decoder *d, const uint8_t *data, size_t len) {
  mwd_reader r = {data, data + len, NULL};
  mw_name module_name = {NULL, 0};
  mw_func_name *funcs = NULL;
  uint32_t nfuncs = 0;
  int last_id = -1;
  while (r.p < r.end && !r.fail) {
    int id = mwd_u8(&r);
    uint32_t size = mwd_len(&r);
    const uint8_t *sub = mwd_bytes(&r, size);
    if (r.fail) break;
    if (id <= last_id) { /* subsections come once each, in order */
      mwd_fail(&r, bad_name_section);
      break;
    }
    last_id = id;
    mwd_reader s = {sub, sub + size, NULL};
    if (id == 0) module_name = read_name(&s);
    if (id == 1) funcs = read_name_map(d, &s, &nfuncs);
    if (id > 1) continue; /* local names and later extensions: not used */
    if (s.p != s.end) mwd_fail(&s, bad_name_section);
    if (s.fail) mwd_fail(&r, s.fail);
  }
  if (r.fail) {
    mw_free(&d->m->alloc, funcs, (size_t)nfuncs * sizeof *funcs);
    return;
  }
  d->m->module_name = module_name;
  d->m->func_names = funcs;
  d->m->nfunc_names = nfuncs;
}

static bool name_is(mw_name n, const char *s) {
  return n.len == strlen(s) && memcmp(n.ptr, s, n.len) == 0;
}

/* Spec 5.5.3: a name, then bytes up to the section's end.  A name longer
 * than the section is "unexpected end", as in the reference. */
static void decode_custom(decoder *d, uint32_t size) {
  mwd_reader *r = &d->r;
  mw_module *m = d->m;
  const uint8_t *start = r->p;
  mw_name name = read_name(r);
  if (r->fail) return;
  size_t used = (size_t)(r->p - start);
  if (used > size) {
    mwd_fail(r, MW_MSG_UNEXPECTED_END_SECTION);
    return;
  }
  const uint8_t *data = mwd_bytes(r, size - used);
  if (!data) return;
  if (!reserve_one(d, (void **)&m->customs, m->ncustoms, &d->cap_customs,
                   sizeof *m->customs))
    return;
  mw_custom *c = &m->customs[m->ncustoms++];
  c->name = name;
  c->data = data;
  c->len = (uint32_t)(size - used);
  if (name_is(name, "name") && !m->func_names && !m->module_name.ptr)
    read_name_section(d, data, c->len);
}

/* ---------------------------------------------------------------- module */

/* Spec 5.5.2: sections come in this order, each at most once, custom
 * sections anywhere.  Data count (id 12) sits between element and code. */
static int section_rank(uint8_t id) {
  /* ... and the tag section (id 13) between memory and global. */
  static const unsigned char rank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return rank[id];
}

static void decode_section(decoder *d, uint8_t id, uint32_t size) {
  switch (id) {
  case 0: decode_custom(d, size); break;
  case 1: decode_types(d); break;
  case 2: decode_imports(d); break;
  case 3: decode_functions(d); break;
  case 4: decode_tables(d); break;
  case 5: decode_memories(d); break;
  case 6: decode_globals(d); break;
  case 7: decode_exports(d); break;
  case 8: decode_start(d); break;
  case 9: decode_elems(d); break;
  case 10: decode_codes(d); break;
  case 11: decode_datas(d); break;
  case 12: decode_datacount(d); break;
  case 13: decode_tags(d); break;
  }
}

/* A section out of order, or a second one, is where the reference stops
 * reading sections, hence its message "unexpected content after last
 * section". */
static void decode_sections(decoder *d) {
  mwd_reader *r = &d->r;
  while (r->p < r->end && !r->fail) {
    uint8_t id = *r->p++;
    /* The data count section came with bulk memory (Wasm 2.0); the tag
     * section (13) with exception handling. */
    bool eh = (d->m->features & (MW_FEATURE_EXCEPTIONS | MW_FEATURE_LEGACY_EXCEPTIONS)) != 0;
    if (id > (eh ? 13 : 12) || (id == 12 && !(d->m->features & MW_FEATURE_BULK_MEMORY))) {
      mwd_fail(r, MW_MSG_SECTION_ID);
      return;
    }
    if (id != 0) {
      if (section_rank(id) <= d->last_rank) {
        mwd_fail(r, MW_MSG_SECTION_ORDER);
        return;
      }
      d->last_rank = section_rank(id);
    }
    uint32_t size = mwd_len(r);
    const uint8_t *start = r->p;
    decode_section(d, id, size);
    if (!r->fail && (size_t)(r->p - start) != size) mwd_fail(r, MW_MSG_SECTION_SIZE);
  }
}

/* The checks the reference makes once every section is read, in its
 * order.  Spec 5.5.16 requires the data count section when a body uses
 * memory.init or data.drop; we insist only when there are data segments.
 * Without any, the index is unknown anyway, and validation says so
 * ("unknown data segment"): that is what the spec tests expect of such
 * modules written in text, which wat2wasm encodes without a data count. */
static void check_section_counts(decoder *d) {
  const mw_module *m = d->m;
  if (d->ncodes != m->nfuncs - m->nfunc_imports)
    mwd_fail(&d->r, MW_MSG_FUNC_CODE_LENGTHS);
  else if (m->has_datacount && m->datacount != m->ndatas)
    mwd_fail(&d->r, MW_MSG_DATA_COUNT_LENGTHS);
  else if (!m->has_datacount && d->uses_data_count && m->ndatas > 0)
    mwd_fail(&d->r, MW_MSG_DATA_COUNT_REQUIRED);
}

static const char *check_header(const uint8_t *b, size_t len) {
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d}; /* "\0asm" */
  static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
  if (len < 4) return MW_MSG_UNEXPECTED_END;
  if (memcmp(b, magic, 4) != 0) return MW_MSG_MAGIC;
  if (len < 8) return MW_MSG_UNEXPECTED_END;
  if (memcmp(b + 4, version, 4) != 0) return MW_MSG_VERSION;
  return NULL;
}

static void free_code_bodies(const mw_allocator *a, mw_code_body *codes, uint32_t n) {
  if (!codes) return;
  size_t nruns = 0;
  for (uint32_t i = 0; i < n; i++) nruns += codes[i].nlocal_runs;
  if (n > 0 && codes[0].local_runs)
    mw_free(a, codes[0].local_runs, nruns * sizeof(mw_local_run));
  mw_free(a, codes, (size_t)n * sizeof *codes);
}

/* Release what the decoder still owns, then the module. */
static void discard(decoder *d) {
  mw_module *m = d->m;
  mw_free(&m->alloc, d->runs, d->cap_runs * sizeof *d->runs);
  mw_free(&m->alloc, m->customs, d->cap_customs * sizeof *m->customs);
  m->customs = NULL;
  m->ncustoms = 0;
  free_code_bodies(&m->alloc, m->codes, d->ncodes);
  m->codes = NULL;
  mwd_module_free(m);
}

static mw_module *module_new(const mw_config *cfg, const uint8_t *bytes, size_t len) {
  mw_allocator a = mw_allocator_of(cfg);
  mw_module *m = mw_calloc(&a, 1, sizeof *m);
  if (!m) return NULL;
  m->bytes = mw_alloc(&a, len);
  if (!m->bytes) {
    mw_free(&a, m, sizeof *m);
    return NULL;
  }
  memcpy(m->bytes, bytes, len);
  m->len = len;
  atomic_init(&m->refcount, 1);
  m->alloc = a;
  m->features = cfg ? cfg->features : MW_FEATURES_DEFAULT;
  /* compile_par.c: threads share the allocator */
  m->compile_threads = !cfg ? 0
                       : cfg->alloc && !cfg->alloc_threadsafe ? 1
                                                                : cfg->compile_threads;
  m->alloc_serial = cfg && cfg->alloc && !cfg->alloc_threadsafe; /* lazy.c */
  /* lazy.c: eager compilation on request (config, or the environment for
   * runs of a whole tool such as the spec-suite runner) */
  const char *how = getenv("MOONWASM_COMPILE");
  m->eager_compile = (cfg && cfg->eager_compile) || (how && strcmp(how, "eager") == 0);
  return m;
}

mw_error *mwd_decode(const mw_config *cfg, const uint8_t *bytes, size_t len,
                     mw_module **out) {
  mw_error *err = NULL;
  decoder d;
  *out = NULL;
  const char *bad_header = check_header(bytes, len);
  if (bad_header) return mw_errorf(MW_ERR_MALFORMED, "%s", bad_header);
  memset(&d, 0, sizeof d);
  d.m = module_new(cfg, bytes, len);
  if (!d.m) return mw_error_oom();
  d.r.p = d.m->bytes + 8;
  d.r.end = d.m->bytes + len;
  d.td.r = &d.r;
  d.td.features = d.m->features;
  d.td.base = d.m->bytes;

  /* lazy compiling (lazy.c): bodies are read by the body pass */
  d.lazy_bodies = !d.m->eager_compile &&
                  (d.m->features & MWV_FAST_FEATURES) == MWV_FAST_FEATURES;
  decode_sections(&d);
  mw_error *body_err = NULL;
  if (!d.r.fail && d.m->bodies_unscanned) {
    body_err = mwv_refs(d.m); /* C.refs: validate_fast.c's ref.func */
    if (!body_err) body_err = pass_bodies(&d);
  }
  if (!d.r.fail && !body_err) check_section_counts(&d);
  if (d.r.fail && !d.oom && d.m->bodies_unscanned && d.m->codes) {
    /* A body read before the failure would have failed first. */
    mwd_reader failed = d.r;
    d.r.fail = NULL;
    scan_bodies(&d, 0, d.ncodes);
    if (!d.r.fail || d.oom) d.r = failed;
    d.oom = false;
  }
  if (!d.r.fail && !body_err) { /* the module keeps exactly ncustoms entries */
    mw_custom *c = resize_array(&d, d.m->customs, d.cap_customs, d.m->ncustoms,
                                sizeof *c);
    if (!d.r.fail) {
      d.m->customs = c;
      d.cap_customs = d.m->ncustoms;
    }
  }

  mw_free(&d.m->alloc, d.nest, d.cap_nest);
  if (body_err) {
    err = body_err;
    discard(&d);
  } else if (d.r.fail) {
    err = d.oom ? mw_error_oom()
                : mw_errorf(MW_ERR_MALFORMED, "%s", mw_msg_for_edition(d.m->features, d.r.fail));
    discard(&d);
  } else {
    *out = d.m;
  }
  return err;
}

void mwd_module_free(mw_module *m) {
  if (!m) return;
  mw_allocator a = m->alloc; /* m itself is freed last */
  uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (m->aot) mw_aot_lib_free(m->aot); /* native code loaded for it */
  mwgc_module_types_free(m); /* gc_exec.c */
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (m->types[i])
      mw_free(&a, m->types[i], mw_functype_bytes(m->types[i]->nparams, m->types[i]->nresults));
  mw_free(&a, m->types, (size_t)m->ntypes * sizeof *m->types);
  mw_free(&a, m->imports, (size_t)m->nimports * sizeof *m->imports);
  mw_free(&a, m->func_types, (size_t)m->nfuncs * sizeof *m->func_types);
  mw_free(&a, m->tables, (size_t)m->ntables * sizeof *m->tables);
  mw_free(&a, m->table_inits, (size_t)m->ntables * sizeof *m->table_inits);
  mw_free(&a, m->memories, (size_t)m->nmemories * sizeof *m->memories);
  mw_free(&a, m->globals, (size_t)m->nglobals * sizeof *m->globals);
  mw_free(&a, m->tag_types, (size_t)m->ntags * sizeof *m->tag_types);
  mw_free(&a, m->exports, (size_t)m->nexports * sizeof *m->exports);
  for (uint32_t i = 0; i < m->nelems; i++)
    mw_free(&a, m->elems[i].items, (size_t)m->elems[i].count * sizeof(mw_cexpr));
  mw_free(&a, m->elems, (size_t)m->nelems * sizeof *m->elems);
  mw_free(&a, m->datas, (size_t)m->ndatas * sizeof *m->datas);
  free_code_bodies(&a, m->codes, ndefined);
  mwl_module_free(m); /* lazy.c: code compiled on first calls */
  if (m->compiled) {
    for (uint32_t i = 0; i < ndefined; i++)
      if (m->compiled[i].code) mwl_free_entry(&a, &m->compiled[i]);
    mw_free(&a, m->compiled, (size_t)ndefined * sizeof *m->compiled);
  }
  mw_free(&a, m->customs, (size_t)m->ncustoms * sizeof *m->customs);
  mw_free(&a, m->func_names, (size_t)m->nfunc_names * sizeof *m->func_names);
  mw_free(&a, m->func_refs, ((size_t)m->nfuncs + 7) / 8);
  mw_free(&a, m->cost_table, MW_COST_TABLE_SIZE * sizeof *m->cost_table);
  if (m->valid_message) mw_free(&a, m->valid_message, strlen(m->valid_message) + 1);
  mw_free(&a, m->bytes, m->len);
  mw_free(&a, m, sizeof *m);
}
