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

/* BB_ and BBR_: op d a b c. */
#define BIN_BIN_FUSED(N1, N2, T, M, e1, e2, ROUND) \
  OP(BB_##N1##__##N2) {                            \
    T t_;                                          \
    {                                              \
      T a = SLOT(2).M;                             \
      T b = SLOT(3).M;                             \
      t_ = ROUND(e1);                              \
    }                                              \
    {                                              \
      T a = t_;                                    \
      T b = SLOT(4).M;                             \
      SLOT(1).M = (e2);                            \
    }                                              \
    NEXT(5);                                       \
  }                                                \
  OP(BBR_##N1##__##N2) {                           \
    T t_;                                          \
    {                                              \
      T a = SLOT(2).M;                             \
      T b = SLOT(3).M;                             \
      t_ = ROUND(e1);                              \
    }                                              \
    {                                              \
      T a = SLOT(4).M;                             \
      T b = t_;                                    \
      SLOT(1).M = (e2);                            \
    }                                              \
    NEXT(5);                                       \
  }
  MW_BIN_BIN_FUSED(BIN_BIN_FUSED)
#undef BIN_BIN_FUSED

/* SEL_ and SELI_: op d x y a b.  Whole-slot copies, as SELECT. */
#define SEL_CMP(NAME, T, M, expr, NEG) \
  OP(SEL_##NAME) {                     \
    T a = SLOT(4).M;                   \
    T b = SLOT(5).M;                   \
    SLOT(1) = (expr) ? SLOT(2) : SLOT(3); \
    NEXT(6);                           \
  }                                    \
  OP(SELI_##NAME) {                    \
    T a = SLOT(4).M;                   \
    T b = (T)(int32_t)pc[5];           \
    SLOT(1) = (expr) ? SLOT(2) : SLOT(3); \
    NEXT(6);                           \
  }
  MW_SEL_CMPS(SEL_CMP)
#undef SEL_CMP

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

/* IMM_ and IMMR_ of the float binaries: op d a lo hi. */
#define FLOAT_IMM(NAME, T, M, OUT, expr, RD) \
  OP(IMM_##NAME) {                           \
    T a = SLOT(2).M;                         \
    T b = RD(pc + 3);                        \
    SLOT(1).OUT = (expr);                    \
    NEXT(5);                                 \
  }                                          \
  OP(IMMR_##NAME) {                          \
    T a = RD(pc + 3);                        \
    T b = SLOT(2).M;                         \
    SLOT(1).OUT = (expr);                    \
    NEXT(5);                                 \
  }
  MW_FLOAT_IMM_BINOPS(FLOAT_IMM)
#undef FLOAT_IMM

#undef MW_FUSE_F
#undef MW_FUSE_I
