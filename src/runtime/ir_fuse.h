/*
 * ir_fuse.h -- more superinstructions (interpreter speed, issue 13): the
 * lists of the fused forms compile.c's peepholes emit and exec_fuse.h
 * runs.  Included by ir.h, which gives each row its opcode (MW_FUSE_ENUM).
 * Layouts (operands are slots unless said otherwise):
 *
 *   BB_<op1>__<op2>    op d a b c     d = (a op1 b) op2 c
 *   BBR_<op1>__<op2>   op d a b c     d = c op2 (a op1 b)
 *       a binary whose result only feeds the next binary (the pairs of
 *       MW_BIN_BIN_FUSED); the intermediate never goes through a slot.
 *       Floats are rounded after each operation, as wasm requires (never
 *       contracted into a fused multiply-add).
 *   SEL_<cmp>          op d x y a b   d = (a cmp b) ? x : y
 *   SELI_<cmp>         op d x y a imm the same with an immediate b (32
 *                                     bits, sign-extended for i64)
 *       select whose condition is an i32 or i64 comparison (or eqz: eq
 *       with 0) used by nothing else (MW_SEL_CMPS); whole-slot copies.
 *   <store>_KI         op a imm k offset
 *       store the constant imm (32 bits, sign-extended for the 64-bit
 *       stores) at (a.u32 + k mod 2^32) + offset: the stores of ir.h's
 *       MW_STORE_OPS on memory 0 (k is 0 when the address was not an add
 *       of a constant).
 *   BR_<i64cmp>, BRI_<i64cmp> and their _LOOP forms
 *       the layouts of ir.h's i32 BR_/BRI_ forms, for the i64 comparisons
 *       (MW_I64_CMPS; the immediate is sign-extended); i64.eqz is BRI_I64_EQ
 *       with 0.  (No ADDBR_ forms for them.)
 *   IMM_<fop>          op d a lo hi   d = a <fop> K
 *   IMMR_<fop>         op d a lo hi   d = K <fop> a
 *       the float binaries of MW_FLOAT_IMM_BINOPS with a constant operand
 *       K: its bits, low word first (hi is 0 for f32).
 *   II_<op1>__<op2>    op d a k1 k2   d = (a op1 k1) op2 k2
 *   II_<op1>__<op2>_A  the same with a read from acc (acc.h)
 *       two binaries with immediates (32 bits, sign-extended for i64), the
 *       first one's result used only by the second (the pairs of
 *       MW_IMM_IMM_FUSED).  Where the two fold exactly (add/and/or/xor of
 *       the same type, the i64 sum fitting 32 bits) compile.c emits one
 *       IMM_ instead.
 */
#ifndef MW_IR_FUSE_H
#define MW_IR_FUSE_H

#include <stdint.h>
#include <string.h>

/* Binary pairs.  Columns: first NAME, second NAME, operand type, slot
 * member, the two operations on a and b, and ROUND: MW_FUSE_F for float
 * rows (the intermediate is rounded: exec_fuse.h), MW_FUSE_I otherwise. */
#define MW_BB_FROW(X, P, T, M, N1, e1)                \
  X(P##_##N1, P##_ADD, T, M, e1, a + b, MW_FUSE_F)    \
  X(P##_##N1, P##_SUB, T, M, e1, a - b, MW_FUSE_F)    \
  X(P##_##N1, P##_MUL, T, M, e1, a * b, MW_FUSE_F)
#define MW_BB_FTYPE(X, P, T, M)          \
  MW_BB_FROW(X, P, T, M, ADD, a + b)     \
  MW_BB_FROW(X, P, T, M, SUB, a - b)     \
  MW_BB_FROW(X, P, T, M, MUL, a * b)
#define MW_BB_ITYPE(X, P, T, M)                             \
  X(P##_MUL, P##_ADD, T, M, a * b, a + b, MW_FUSE_I)        \
  X(P##_MUL, P##_SUB, T, M, a * b, a - b, MW_FUSE_I)        \
  X(P##_ADD, P##_ADD, T, M, a + b, a + b, MW_FUSE_I)        \
  X(P##_SUB, P##_ADD, T, M, a - b, a + b, MW_FUSE_I)        \
  X(P##_ADD, P##_MUL, T, M, a + b, a * b, MW_FUSE_I)
#define MW_BIN_BIN_FUSED(X)             \
  MW_BB_ITYPE(X, I32, uint32_t, u32)    \
  MW_BB_ITYPE(X, I64, uint64_t, u64)    \
  MW_BB_FTYPE(X, F32, float, f32)       \
  MW_BB_FTYPE(X, F64, double, f64)

/* Float binaries with an immediate: NAME, C type, slot member of the
 * operands, of the result, the operation on a and b, and the function
 * reading K from the instruction's lo word. */
#define MW_FIMM_TYPE(X, P, T, M, RD)       \
  X(P##_ADD, T, M, M, a + b, RD)           \
  X(P##_SUB, T, M, M, a - b, RD)           \
  X(P##_MUL, T, M, M, a * b, RD)           \
  X(P##_DIV, T, M, M, a / b, RD)           \
  X(P##_EQ, T, M, u32, a == b, RD)         \
  X(P##_NE, T, M, u32, a != b, RD)         \
  X(P##_LT, T, M, u32, a < b, RD)          \
  X(P##_GT, T, M, u32, a > b, RD)          \
  X(P##_LE, T, M, u32, a <= b, RD)         \
  X(P##_GE, T, M, u32, a >= b, RD)
#define MW_FLOAT_IMM_BINOPS(X)                  \
  MW_FIMM_TYPE(X, F32, float, f32, mw_imm_f32)  \
  MW_FIMM_TYPE(X, F64, double, f64, mw_imm_f64)

/* A float immediate's bits, as the value (no arithmetic: NaN bits stay). */
static inline float mw_imm_f32(const uint32_t *w) {
  float f;
  memcpy(&f, w, sizeof f);
  return f;
}
static inline double mw_imm_f64(const uint32_t *w) {
  uint64_t u = (uint64_t)w[0] | (uint64_t)w[1] << 32;
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

/* The i64 comparisons, in the columns of ir.h's MW_BR_CMPS. */
#define MW_I64_CMPS(X) \
  X(I64_EQ, uint64_t, u64, a == b, I64_NE) \
  X(I64_NE, uint64_t, u64, a != b, I64_EQ) \
  X(I64_LT_S, int64_t, i64, a < b, I64_GE_S) \
  X(I64_LT_U, uint64_t, u64, a < b, I64_GE_U) \
  X(I64_GT_S, int64_t, i64, a > b, I64_LE_S) \
  X(I64_GT_U, uint64_t, u64, a > b, I64_LE_U) \
  X(I64_LE_S, int64_t, i64, a <= b, I64_GT_S) \
  X(I64_LE_U, uint64_t, u64, a <= b, I64_GT_U) \
  X(I64_GE_S, int64_t, i64, a >= b, I64_LT_S) \
  X(I64_GE_U, uint64_t, u64, a >= b, I64_LT_U)
/* The comparisons select is fused with. */
#define MW_SEL_CMPS(X) MW_BR_CMPS(X) MW_I64_CMPS(X)

/* Pairs of binaries with immediates (II_ forms): first NAME, second NAME,
 * type, slot member, the two operations on a and b.  The second is never
 * a comparison (those are kept for the branch and select fusions). */
#define MW_II_I32(X, N1, e1, N2, e2) X(I32_##N1, I32_##N2, uint32_t, u32, e1, e2)
#define MW_II_I64(X, N1, e1, N2, e2) X(I64_##N1, I64_##N2, uint64_t, u64, e1, e2)
#define MW_IMM_IMM_FUSED(X)                                                 \
  MW_II_I32(X, SHR_U, mw_i32_shr_u(a, b), AND, a & b)                       \
  MW_II_I32(X, SHR_S, mw_i32_shr_s(a, b), AND, a & b)                       \
  MW_II_I32(X, AND, a & b, XOR, a ^ b)                                      \
  MW_II_I32(X, AND, a & b, SHR_U, mw_i32_shr_u(a, b))                       \
  MW_II_I32(X, AND, a & b, SHL, mw_i32_shl(a, b))                           \
  MW_II_I32(X, AND, a & b, OR, a | b)                                       \
  MW_II_I32(X, ADD, a + b, AND, a & b)                                      \
  MW_II_I32(X, ADD, a + b, SHL, mw_i32_shl(a, b))                           \
  MW_II_I32(X, ADD, a + b, SHR_U, mw_i32_shr_u(a, b))                       \
  MW_II_I32(X, ADD, a + b, MUL, a * b)                                      \
  MW_II_I32(X, SHL, mw_i32_shl(a, b), ADD, a + b)                           \
  MW_II_I32(X, SHL, mw_i32_shl(a, b), OR, a | b)                            \
  MW_II_I32(X, SHL, mw_i32_shl(a, b), SHR_S, mw_i32_shr_s(a, b))            \
  MW_II_I32(X, MUL, a * b, ADD, a + b)                                      \
  MW_II_I32(X, XOR, a ^ b, AND, a & b)                                      \
  MW_II_I64(X, SHR_U, mw_i64_shr_u(a, b), AND, a & b)                       \
  MW_II_I64(X, AND, a & b, SHR_U, mw_i64_shr_u(a, b))                       \
  MW_II_I64(X, ADD, a + b, AND, a & b)                                      \
  MW_II_I64(X, SHL, mw_i64_shl(a, b), ADD, a + b)                           \
  MW_II_I64(X, MUL, a * b, ADD, a + b)

/* The enum rows (ir.h) and the dispatch table rows (exec.c). */
#define MW_X_FUSE_BB_ENUM(N1, N2, ...) MW_OP_BB_##N1##__##N2, MW_OP_BBR_##N1##__##N2,
#define MW_X_FUSE_SEL_ENUM(NAME, ...) MW_OP_SEL_##NAME, MW_OP_SELI_##NAME,
#define MW_X_FUSE_KI_ENUM(NAME, ...) MW_OP_##NAME##_KI,
#define MW_X_FUSE_FIMM_ENUM(NAME, ...) MW_OP_IMM_##NAME, MW_OP_IMMR_##NAME,
#define MW_X_FUSE_BR64_ENUM(NAME, ...) MW_OP_BR_##NAME, MW_OP_BRI_##NAME, \
  MW_OP_BR_##NAME##_LOOP, MW_OP_BRI_##NAME##_LOOP,
#define MW_X_FUSE_II_ENUM(N1, N2, ...) MW_OP_II_##N1##__##N2, MW_OP_II_##N1##__##N2##_A,
#define MW_FUSE_ENUM MW_IMM_IMM_FUSED(MW_X_FUSE_II_ENUM) MW_BIN_BIN_FUSED(MW_X_FUSE_BB_ENUM) MW_SEL_CMPS(MW_X_FUSE_SEL_ENUM) \
  MW_STORE_OPS(MW_X_FUSE_KI_ENUM) MW_FLOAT_IMM_BINOPS(MW_X_FUSE_FIMM_ENUM)        \
  MW_I64_CMPS(MW_X_FUSE_BR64_ENUM)
#define MW_X_FUSE_BB_LABEL(N1, N2, ...)           \
  [MW_OP_BB_##N1##__##N2] = &&op_BB_##N1##__##N2, \
  [MW_OP_BBR_##N1##__##N2] = &&op_BBR_##N1##__##N2,
#define MW_X_FUSE_SEL_LABEL(NAME, ...) \
  [MW_OP_SEL_##NAME] = &&op_SEL_##NAME, [MW_OP_SELI_##NAME] = &&op_SELI_##NAME,
#define MW_X_FUSE_KI_LABEL(NAME, ...) [MW_OP_##NAME##_KI] = &&op_##NAME##_KI,
#define MW_X_FUSE_FIMM_LABEL(NAME, ...) \
  [MW_OP_IMM_##NAME] = &&op_IMM_##NAME, [MW_OP_IMMR_##NAME] = &&op_IMMR_##NAME,
#define MW_X_FUSE_BR64_LABEL(NAME, ...)                                          \
  [MW_OP_BR_##NAME] = &&op_BR_##NAME, [MW_OP_BRI_##NAME] = &&op_BRI_##NAME,       \
  [MW_OP_BR_##NAME##_LOOP] = &&op_BR_##NAME##_LOOP,                              \
  [MW_OP_BRI_##NAME##_LOOP] = &&op_BRI_##NAME##_LOOP,
#define MW_X_FUSE_II_LABEL(N1, N2, ...)           \
  [MW_OP_II_##N1##__##N2] = &&op_II_##N1##__##N2, \
  [MW_OP_II_##N1##__##N2##_A] = &&op_II_##N1##__##N2##_A,
#define MW_FUSE_LABELS \
  MW_IMM_IMM_FUSED(MW_X_FUSE_II_LABEL) MW_BIN_BIN_FUSED(MW_X_FUSE_BB_LABEL) MW_SEL_CMPS(MW_X_FUSE_SEL_LABEL) \
  MW_STORE_OPS(MW_X_FUSE_KI_LABEL) MW_FLOAT_IMM_BINOPS(MW_X_FUSE_FIMM_LABEL) \
  MW_I64_CMPS(MW_X_FUSE_BR64_LABEL)

#endif
