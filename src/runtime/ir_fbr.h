/*
 * ir_fbr.h -- float compare-and-branch, and float pairs with a constant
 * (interpreter speed, issue 13).
 *
 * Compare-and-branch: an
 * f32 or f64 comparison whose only use is a branch condition (br_if, if)
 * is tested by the branch itself.  Included by ir.h (MW_FBR_ENUM: the
 * opcodes); exec_fbr.h runs them, compile.c's emit_cond_jump emits them.
 *
 *   BR_<fcmp>          op a b target        jump if a <fcmp> b
 *   BRI_<fcmp> (f32)   op a bits target     jump if a <fcmp> K
 *   BRI_<fcmp> (f64)   op a lo hi target    (K: the constant's bits, low
 *                                            word first)
 *   <form>_LOOP        the same layout, for a branch to a loop header: when
 *                      taken it also polls the store (ir.h *_LOOP)
 *
 * <fcmp> is one of the six wasm comparisons (EQ NE LT GT LE GE) or the
 * negation of an ordered one: NLT is !(a < b), NGT !(a > b), NLE
 * !(a <= b), NGE !(a >= b).  With a NaN operand every ordered comparison
 * is false, so !(a < b) is not a >= b: `if` (which jumps when its
 * condition is false) and br_if over label copies use the N forms.  EQ
 * and NE are each other's exact negation.  K < a is a > K (exact with NaN
 * too), so a constant on the left is swapped to the right.
 *
 * The forms of a row are consecutive opcodes in the order BR_, BRI_,
 * BR_ _LOOP, BRI_ _LOOP (mw_fbr_form relies on it).
 */
#ifndef MW_IR_FBR_H
#define MW_IR_FBR_H

#include <stdbool.h>

/* NAME, C type, slot member, the test on a and b, the function reading
 * an immediate K (ir_fuse.h), the number of words K takes.  The negated
 * rows have no _LOOP forms: a back edge is a br_if to a loop without
 * label copies, which branches when its condition is true. */
#define MW_FBR_TYPE(X, P, T, M, RD, IW)  \
  X(P##_EQ, T, M, a == b, RD, IW)        \
  X(P##_NE, T, M, a != b, RD, IW)        \
  X(P##_LT, T, M, a < b, RD, IW)         \
  X(P##_GT, T, M, a > b, RD, IW)         \
  X(P##_LE, T, M, a <= b, RD, IW)        \
  X(P##_GE, T, M, a >= b, RD, IW)
#define MW_FBRN_TYPE(X, P, T, M, RD, IW) \
  X(P##_NLT, T, M, !(a < b), RD, IW)     \
  X(P##_NGT, T, M, !(a > b), RD, IW)     \
  X(P##_NLE, T, M, !(a <= b), RD, IW)    \
  X(P##_NGE, T, M, !(a >= b), RD, IW)
#define MW_FBR_CMPS(X)                            \
  MW_FBR_TYPE(X, F32, float, f32, mw_imm_f32, 1)  \
  MW_FBR_TYPE(X, F64, double, f64, mw_imm_f64, 2)
#define MW_FBRN_CMPS(X)                           \
  MW_FBRN_TYPE(X, F32, float, f32, mw_imm_f32, 1) \
  MW_FBRN_TYPE(X, F64, double, f64, mw_imm_f64, 2)

/* The enum rows (ir.h) and the dispatch table rows (exec.c). */
#define MW_X_FBR_ENUM(NAME, ...) MW_OP_BR_##NAME, MW_OP_BRI_##NAME, \
  MW_OP_BR_##NAME##_LOOP, MW_OP_BRI_##NAME##_LOOP,
#define MW_X_FBRN_ENUM(NAME, ...) MW_OP_BR_##NAME, MW_OP_BRI_##NAME,
#define MW_FBR_ENUM MW_FBR_CMPS(MW_X_FBR_ENUM) MW_FBRN_CMPS(MW_X_FBRN_ENUM) \
  MW_FIB_PAIRS(MW_X_FIB_ENUM)
#define MW_X_FBRN_LABEL(NAME, ...) \
  [MW_OP_BR_##NAME] = &&op_BR_##NAME, [MW_OP_BRI_##NAME] = &&op_BRI_##NAME,
#define MW_X_FBR_LABEL(NAME, ...) MW_X_FBRN_LABEL(NAME)    \
  [MW_OP_BR_##NAME##_LOOP] = &&op_BR_##NAME##_LOOP,       \
  [MW_OP_BRI_##NAME##_LOOP] = &&op_BRI_##NAME##_LOOP,
#define MW_FBR_LABELS MW_FBR_CMPS(MW_X_FBR_LABEL) MW_FBRN_CMPS(MW_X_FBRN_LABEL) \
  MW_FIB_PAIRS(MW_X_FIB_LABEL)

/* The wasm float comparisons (opcodes.h): NAME, its negation, and the
 * comparison with the operands swapped. */
#define MW_FBR_WASM_TYPE(X, P) \
  X(P##_EQ, P##_NE, P##_EQ)    \
  X(P##_NE, P##_EQ, P##_NE)    \
  X(P##_LT, P##_NLT, P##_GT)   \
  X(P##_GT, P##_NGT, P##_LT)   \
  X(P##_LE, P##_NLE, P##_GE)   \
  X(P##_GE, P##_NGE, P##_LE)
#define MW_FBR_WASM(X) MW_FBR_WASM_TYPE(X, F32) MW_FBR_WASM_TYPE(X, F64)

/* The branch opcode testing the wasm float comparison `op` (MW_OP_F64_LT,
 * ...) or, `negate`, its negation; `imm`: b is an immediate; `loop`: the
 * back-edge form (never asked with `negate`: there is none for NLT...).
 * -1 if op is not a float comparison. */
int mw_fbr_form(int op, bool negate, bool imm, bool loop);
/* The wasm float comparison an IMM_ (or IMMR_) float comparison of
 * ir_fuse.h tests, with the constant on the right; -1 for other opcodes. */
int mw_fbr_of_imm(int op);

/* Float pairs with a constant (FIB_ forms): a float binary with an
 * immediate (ir_fuse.h IMM_/IMMR_ forms) whose result only feeds the next
 * binary, as IB_ (ir.h) does for integers:
 *
 *   FIB_<first>__<second>   op d a lo hi b    t = a <first> K;
 *                                             d = t <second> b
 *
 * <second> RSUB is b - t (the first result on the right of a sub); ADD
 * and MUL take it on either side.  t is rounded to f64 before the second
 * operation (never contracted into a fused multiply-add).  Columns: the
 * first's NAME and its value from a and k, the second's NAME and its value
 * from t and b. */
#define MW_FIB_ROW(X, N2, e2, OP2, SIDE)      \
  X(IMM_F64_ADD, a + k, N2, e2, OP2, SIDE)    \
  X(IMM_F64_SUB, a - k, N2, e2, OP2, SIDE)    \
  X(IMM_F64_MUL, a * k, N2, e2, OP2, SIDE)    \
  X(IMMR_F64_SUB, k - a, N2, e2, OP2, SIDE)   \
  X(IMMR_F64_DIV, k / a, N2, e2, OP2, SIDE)
/* (OP2: the wasm binary; SIDE: 0 if t is its left operand, 1 the right,
 * 2 either) */
#define MW_FIB_PAIRS(X)                          \
  MW_FIB_ROW(X, F64_ADD, t + b, F64_ADD, 2)      \
  MW_FIB_ROW(X, F64_MUL, t * b, F64_MUL, 2)      \
  MW_FIB_ROW(X, F64_SUB, t - b, F64_SUB, 0)      \
  MW_FIB_ROW(X, F64_RSUB, b - t, F64_SUB, 1)
#define MW_X_FIB_ENUM(N1, e1, N2, ...) MW_OP_FIB_##N1##__##N2,
#define MW_X_FIB_LABEL(N1, e1, N2, ...) [MW_OP_FIB_##N1##__##N2] = &&op_FIB_##N1##__##N2,

/* The FIB_ form of the IMM_/IMMR_ instruction `first` followed by the
 * binary `op`, whose operand the first's result is (`right`: its right
 * operand), or -1. */
int mw_fib_form(int first, int op, bool right);

#endif
