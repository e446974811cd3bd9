/*
 * fbr.c -- the opcode arithmetic of the float compare-and-branch forms
 * and the float pairs with a constant (ir_fbr.h), for compile.c.
 */
#include "ir.h"

int mw_fbr_form(int op, bool negate, bool imm, bool loop) {
  int r;
  switch (op) {
#define MW_X_CASE(NAME, NEG, SWAP) \
  case MW_OP_##NAME: r = negate ? MW_OP_BR_##NEG : MW_OP_BR_##NAME; break;
    MW_FBR_WASM(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
  /* The negated rows (after the others) have no _LOOP forms: ir_fbr.h. */
  return r + (imm ? 1 : 0) + (loop && r < MW_OP_BR_F32_NLT ? 2 : 0);
}

int mw_fbr_of_imm(int op) {
  switch (op) {
#define MW_X_CASE(NAME, NEG, SWAP) \
  case MW_OP_IMM_##NAME: return MW_OP_##NAME; \
  case MW_OP_IMMR_##NAME: return MW_OP_##SWAP;
    MW_FBR_WASM(MW_X_CASE)
#undef MW_X_CASE
  default: return -1;
  }
}

int mw_fib_form(int first, int op, bool right) {
#define MW_X_IF(N1, e1, N2, e2, OP2, SIDE)                            \
  if (first == MW_OP_##N1 && op == MW_OP_##OP2 && (SIDE == 2 || SIDE == (int)right)) \
    return MW_OP_FIB_##N1##__##N2;
  MW_FIB_PAIRS(MW_X_IF)
#undef MW_X_IF
  return -1;
}
