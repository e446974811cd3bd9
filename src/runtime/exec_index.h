/*
 * exec_index.h -- the handlers of ir_index.h's indexed loads and stores.
 * Included by exec.c inside run(), with its macros (OP, SLOT, PUT, TRAP,
 * NEXT) and locals (pc, fp, mem, memsize, acc).
 */

/* ADDR: the i32 address; W: the word holding the offset (the last). */
#define IX_LOAD(OPNAME, RAW, OUT, expr, ADDR, W)                       \
  OP(OPNAME) {                                                         \
    uint64_t ea = (uint64_t)(uint32_t)(ADDR) + pc[W];                  \
    RAW v;                                                             \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    memcpy(&v, mem + ea, sizeof v);                                    \
    v = MW_LE(v);                                                      \
    PUT(OUT, expr);                                                    \
    NEXT(W + 1);                                                       \
  }
#define IX_STORE(OPNAME, RAW, IN, ADDR, W)                             \
  OP(OPNAME) {                                                         \
    uint64_t ea = (uint64_t)(uint32_t)(ADDR) + pc[W];                  \
    RAW v = (RAW)SLOT(W - 1).IN;                                       \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    v = MW_LE(v);                                                      \
    memcpy(mem + ea, &v, sizeof v);                                    \
    NEXT(W + 1);                                                       \
  }
#define IX_LOADS(NAME, RAW, OUT, expr)                                                  \
  IX_LOAD(NAME##_X, RAW, OUT, expr, SLOT(2).u32 + SLOT(3).u32, 4)                       \
  IX_LOAD(NAME##_XS, RAW, OUT, expr, mw_i32_shl(SLOT(2).u32, pc[3]) + SLOT(4).u32, 5)   \
  IX_LOAD(NAME##_XK, RAW, OUT, expr, mw_i32_shl(SLOT(2).u32, pc[3]) + pc[4], 5)         \
  IX_LOAD(NAME##_XSK, RAW, OUT, expr, mw_i32_shl(SLOT(2).u32, pc[3]) + SLOT(4).u32 + pc[5], 6)
#define IX_STORES(NAME, RAW, IN)                                                \
  IX_STORE(NAME##_X, RAW, IN, SLOT(1).u32 + SLOT(2).u32, 4)                     \
  IX_STORE(NAME##_XS, RAW, IN, mw_i32_shl(SLOT(1).u32, pc[2]) + SLOT(3).u32, 5) \
  IX_STORE(NAME##_XK, RAW, IN, mw_i32_shl(SLOT(1).u32, pc[2]) + pc[3], 5)      \
  IX_STORE(NAME##_XSK, RAW, IN, mw_i32_shl(SLOT(1).u32, pc[2]) + SLOT(3).u32 + pc[4], 6)
MW_INDEX_LOADS(IX_LOADS)
MW_INDEX_STORES(IX_STORES)
#undef IX_LOAD
#undef IX_STORE
#undef IX_LOADS
#undef IX_STORES
