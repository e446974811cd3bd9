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
