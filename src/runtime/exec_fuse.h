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

#undef MW_FUSE_F
#undef MW_FUSE_I
