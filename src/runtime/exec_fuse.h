/*
 * exec_fuse.h -- the handlers of the fused forms of ir_fuse.h.  Included
 * by exec.c inside run(), between its dispatch macros (OP, NEXT, SLOT,
 * TRAP, DISPATCH, POLL) and with its locals (pc, fp, code, mem, memsize).
 */

/* A float intermediate must be rounded to its type before the next
 * operation (wasm has no fused multiply-add).  GCC contracts a * b + c
 * across statements by default (-ffp-contract=fast in GNU modes) where the
 * target has an FMA instruction: an empty asm that claims to change the
 * value stops it.  Elsewhere (no FMA, or clang, which contracts only
 * within one expression) this is the value itself. */
#if defined(__GNUC__) && !defined(__clang__) && \
    (defined(__FP_FAST_FMA) || defined(__FP_FAST_FMAF))
#if defined(__x86_64__) || defined(__i386__)
#define MW_FUSE_F(v) __extension__({ __typeof__(v) r_ = (v); __asm__("" : "+x"(r_)); r_; })
#elif defined(__aarch64__)
#define MW_FUSE_F(v) __extension__({ __typeof__(v) r_ = (v); __asm__("" : "+w"(r_)); r_; })
#else
#define MW_FUSE_F(v) __extension__({ __typeof__(v) r_ = (v); __asm__("" : "+m"(r_)); r_; })
#endif
#else
#define MW_FUSE_F(v) (v)
#endif
#define MW_FUSE_I(v) (v)

/* BB_ and BBR_: op d a b c; producers.  AV, BV, CV: where a, b and c
 * come from (a slot, or acc for the forms of acc.h). */
#define BIN_BIN_X(OPNAME, T, M, e1, e2, ROUND, REV, AV, BV, CV) \
  OP(OPNAME) {                                                 \
    T t_;                                                      \
    {                                                          \
      T a = AV;                                                \
      T b = BV;                                                \
      t_ = ROUND(e1);                                          \
    }                                                          \
    {                                                          \
      T c_ = CV;                                               \
      T a = REV ? c_ : t_;                                     \
      T b = REV ? t_ : c_;                                     \
      PUT(M, e2);                                              \
    }                                                          \
    NEXT(5);                                                   \
  }
#define BIN_BIN_FUSED(N1, N2, T, M, e1, e2, ROUND)                                     \
  BIN_BIN_X(BB_##N1##__##N2, T, M, e1, e2, ROUND, 0, SLOT(2).M, SLOT(3).M, SLOT(4).M)  \
  BIN_BIN_X(BBR_##N1##__##N2, T, M, e1, e2, ROUND, 1, SLOT(2).M, SLOT(3).M, SLOT(4).M) \
  BIN_BIN_X(BB_##N1##__##N2##_A, T, M, e1, e2, ROUND, 0, ACC(M), SLOT(3).M, SLOT(4).M) \
  BIN_BIN_X(BBR_##N1##__##N2##_A, T, M, e1, e2, ROUND, 1, ACC(M), SLOT(3).M, SLOT(4).M) \
  BIN_BIN_X(BB_##N1##__##N2##_C, T, M, e1, e2, ROUND, 0, SLOT(2).M, SLOT(3).M, ACC(M)) \
  BIN_BIN_X(BBR_##N1##__##N2##_C, T, M, e1, e2, ROUND, 1, SLOT(2).M, SLOT(3).M, ACC(M)) \
  BIN_BIN_X(BB_##N1##__##N2##_B, T, M, e1, e2, ROUND, 0, SLOT(2).M, ACC(M), SLOT(4).M) \
  BIN_BIN_X(BBR_##N1##__##N2##_B, T, M, e1, e2, ROUND, 1, SLOT(2).M, ACC(M), SLOT(4).M)
  MW_BIN_BIN_FUSED(BIN_BIN_FUSED)
#undef BIN_BIN_FUSED
#undef BIN_BIN_X

/* SEL_ and SELI_: op d x y a b.  Whole-slot copies, as SELECT;
 * producers.  The _A forms read a from acc. */
#define SEL_X(OPNAME, T, expr, AV, BV)     \
  OP(OPNAME) {                             \
    T a = AV;                              \
    T b = BV;                              \
    mw_slot r_ = (expr) ? SLOT(2) : SLOT(3); \
    SLOT(1) = r_;                          \
    acc = r_.u64;                          \
    NEXT(6);                               \
  }
#define SEL_CMP(NAME, T, M, expr, NEG)                          \
  SEL_X(SEL_##NAME, T, expr, SLOT(4).M, SLOT(5).M)              \
  SEL_X(SELI_##NAME, T, expr, SLOT(4).M, (T)(int32_t)pc[5])     \
  SEL_X(SEL_##NAME##_A, T, expr, ACC(M), SLOT(5).M)             \
  SEL_X(SELI_##NAME##_A, T, expr, ACC(M), (T)(int32_t)pc[5])
  MW_SEL_CMPS(SEL_CMP)
#undef SEL_CMP
#undef SEL_X

/* <store>_KI: op a imm k offset, as the _K stores with the value imm. */
#define STORE_KI(NAME, RAW, IN)                                       \
  OP(NAME##_KI) {                                                     \
    uint64_t ea = (uint64_t)(uint32_t)(SLOT(1).u32 + pc[3]) + pc[4];  \
    RAW v = (RAW)(uint64_t)(int64_t)(int32_t)pc[2];                   \
    if (MW_UNLIKELY(ea + sizeof v > memsize)) TRAP(MW_MSG_OOB_MEMORY); \
    v = MW_LE(v);                                                     \
    memcpy(mem + ea, &v, sizeof v);                                   \
    NEXT(5);                                                          \
  }
  MW_STORE_OPS(STORE_KI)
#undef STORE_KI

/* IMM_ and IMMR_ of the float binaries: op d a lo hi; producers.  The _A
 * forms read a from acc. */
#define FLOAT_IMM_X(OPNAME, T, OUT, expr, AV, BV) \
  OP(OPNAME) {                                    \
    T a = AV;                                     \
    T b = BV;                                     \
    PUT(OUT, expr);                               \
    NEXT(5);                                      \
  }
#define FLOAT_IMM(NAME, T, M, OUT, expr, RD)                             \
  FLOAT_IMM_X(IMM_##NAME, T, OUT, expr, SLOT(2).M, RD(pc + 3))           \
  FLOAT_IMM_X(IMMR_##NAME, T, OUT, expr, RD(pc + 3), SLOT(2).M)          \
  FLOAT_IMM_X(IMM_##NAME##_A, T, OUT, expr, ACC(M), RD(pc + 3))          \
  FLOAT_IMM_X(IMMR_##NAME##_A, T, OUT, expr, RD(pc + 3), ACC(M))
  MW_FLOAT_IMM_BINOPS(FLOAT_IMM)
#undef FLOAT_IMM
#undef FLOAT_IMM_X

/* II_: op d a k1 k2, and the _A forms (a from acc); producers. */
#define IMM_IMM_X(OPNAME, T, M, e1, e2, AV) \
  OP(OPNAME) {                              \
    T t_;                                   \
    {                                       \
      T a = AV;                             \
      T b = (T)(int32_t)pc[3];              \
      t_ = (e1);                            \
    }                                       \
    {                                       \
      T a = t_;                             \
      T b = (T)(int32_t)pc[4];              \
      PUT(M, e2);                           \
    }                                       \
    NEXT(5);                                \
  }
#define IMM_IMM_FUSED(N1, N2, T, M, e1, e2)                  \
  IMM_IMM_X(II_##N1##__##N2, T, M, e1, e2, SLOT(2).M)         \
  IMM_IMM_X(II_##N1##__##N2##_A, T, M, e1, e2, ACC(M))
  MW_IMM_IMM_FUSED(IMM_IMM_FUSED)
#undef IMM_IMM_FUSED
#undef IMM_IMM_X

/* i64 compare-and-branch: exec.c's BR_CMP and BR_CMP_LOOP families. */
  MW_I64_CMPS(BR_CMP)
  MW_I64_CMPS(BR_CMP_LOOP)

#undef MW_FUSE_F
#undef MW_FUSE_I
