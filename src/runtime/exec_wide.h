/*
 * exec_wide.h -- the handlers of ir_wide.h's forms.  Included by exec.c
 * inside run(), with its macros (OP, SLOT, PUT, NEXT) and locals.  The
 * constant is never 0, nor -1 for the signed divisions (compile.c), so
 * none of them traps and C's / and % are wasm's.
 */

#define WIDE_IMMD(NAME, T, M, expr) \
  OP(IMMD_##NAME) {                 \
    T a = SLOT(2).M;                \
    T b = (T)pc[3];                 \
    PUT(M, expr);                   \
    NEXT(4);                        \
  }
#define WIDE_IMMW(NAME, T, M, expr)                              \
  OP(IMMW_##NAME) {                                              \
    T a = SLOT(2).M;                                             \
    T b = (T)((uint64_t)pc[3] | (uint64_t)pc[4] << 32);          \
    PUT(M, expr);                                                \
    NEXT(5);                                                     \
  }
#define WIDE_IMMR(NAME, T, M, expr) \
  OP(IMMR_##NAME) {                 \
    T a = (T)(int32_t)pc[3];        \
    T b = SLOT(2).M;                \
    PUT(M, expr);                   \
    NEXT(4);                        \
  }
MW_IMMD_OPS(WIDE_IMMD)
MW_IMMW_OPS(WIDE_IMMW)
MW_IMMR_INT_OPS(WIDE_IMMR)
#undef WIDE_IMMD
#undef WIDE_IMMW
#undef WIDE_IMMR
