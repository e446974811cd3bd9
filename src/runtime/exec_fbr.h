/*
 * exec_fbr.h -- the handlers of the float compare-and-branch forms of
 * ir_fbr.h.  Included by exec.c inside run(), with its dispatch macros
 * (OP, NEXT, SLOT, DISPATCH, POLL) and locals (pc, code).
 */

/* One branch: OPNAME, the operands, the test, the index of the target
 * word (the instruction is one word longer), the poll on a taken back
 * edge. */
#define FBR_X(OPNAME, T, AV, BV, expr, TW, POLLED) \
  OP(OPNAME) {                                     \
    T a = AV;                                      \
    T b = BV;                                      \
    if (expr) {                                    \
      pc = code + pc[TW];                          \
      POLLED;                                      \
      DISPATCH();                                  \
    }                                              \
    NEXT(TW + 1);                                  \
  }
#define FBR(NAME, T, M, expr, RD, IW)                                              \
  FBR_X(BR_##NAME, T, SLOT(1).M, SLOT(2).M, expr, 3, (void)0)                      \
  FBR_X(BRI_##NAME, T, SLOT(1).M, RD(pc + 2), expr, 2 + IW, (void)0)               \
  FBR_X(BR_##NAME##_LOOP, T, SLOT(1).M, SLOT(2).M, expr, 3, POLL())                \
  FBR_X(BRI_##NAME##_LOOP, T, SLOT(1).M, RD(pc + 2), expr, 2 + IW, POLL())
#define FBRN(NAME, T, M, expr, RD, IW)                                             \
  FBR_X(BR_##NAME, T, SLOT(1).M, SLOT(2).M, expr, 3, (void)0)                      \
  FBR_X(BRI_##NAME, T, SLOT(1).M, RD(pc + 2), expr, 2 + IW, (void)0)
  MW_FBR_CMPS(FBR)
  MW_FBRN_CMPS(FBRN)
#undef FBR
#undef FBRN
#undef FBR_X

/* FIB_: op d a lo hi b (ir_fbr.h).  The first result is rounded to f64
 * before the second operation: GCC contracts a * k + b across statements
 * into a fused multiply-add where the target has one, unless an empty asm
 * claims to change the value in between (as exec_fuse.h's MW_FUSE_F). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA)
#define FIB_ROUND(v) __extension__({ __typeof__(v) r_ = (v); __asm__("" : "+m"(r_)); r_; })
#else
#define FIB_ROUND(v) (v)
#endif
#define FIB(N1, e1, N2, e2, OP2, SIDE) \
  OP(FIB_##N1##__##N2) {               \
    double a = SLOT(2).f64;            \
    double k = mw_imm_f64(pc + 3);     \
    double t = FIB_ROUND(e1);          \
    double b = SLOT(5).f64;            \
    PUT(f64, e2);                      \
    NEXT(6);                           \
  }
  MW_FIB_PAIRS(FIB)
#undef FIB
#undef FIB_ROUND
