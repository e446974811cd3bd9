/*
 * acc.h -- the interpreter's accumulator (issue 13).
 *
 * Every value an instruction computes goes to a frame slot, and the next
 * instruction, if it uses it, reads it back from there: a store and a
 * dependent load on the critical path of every chain of arithmetic.  So
 * the producers below (unaries, binaries, their IMM_ and IB_ forms,
 * loads, constants, select, copy) also leave the 8 bytes they write to SLOT(1) in a
 * register, `acc` in exec.c's run(); and each consumer below has forms
 * that take one operand from that register instead of its slot:
 *
 *   <op>_A    operand a (word 2; word 1 for BR_/BRI_, the condition of
 *             JUMP_IF/JUMP_UNLESS and word 4 of SELECT; COPY's source)
 *             is acc
 *   <op>_B    operand b (word 3; word 2 for BR_) is acc
 *   <op>_V    a store's value (word 2) is acc
 *
 * Same layouts as the plain forms, operand word included: the slot still
 * holds the value too (producers keep writing it), so anything else that
 * reads the slot later is unaffected.  compile.c picks a form at the end of
 * a body (mwc_acc_pass) when the instruction's fall-through predecessor,
 * with no jump target between them, is a producer whose dst word is that
 * operand word: only then is acc the slot's value when the form runs.
 *
 * The lists of the unaries and the binaries (neither traps) are here, so
 * that the plain forms (exec.c) and these are made from one definition:
 * NAME, the C type of the operands, the slot member read, the member
 * written, and the operation on a (and b).
 */
#ifndef MW_ACC_H
#define MW_ACC_H

#include <stdint.h>

#define MW_ACC_UNOPS(X) \
  X(I32_EQZ, uint32_t, u32, u32, a == 0) \
  X(I32_CLZ, uint32_t, u32, u32, mw_i32_clz(a)) \
  X(I32_CTZ, uint32_t, u32, u32, mw_i32_ctz(a)) \
  X(I32_POPCNT, uint32_t, u32, u32, mw_i32_popcnt(a)) \
  X(I64_EQZ, uint64_t, u64, u32, a == 0) \
  X(I64_CLZ, uint64_t, u64, u64, mw_i64_clz(a)) \
  X(I64_CTZ, uint64_t, u64, u64, mw_i64_ctz(a)) \
  X(I64_POPCNT, uint64_t, u64, u64, mw_i64_popcnt(a)) \
  X(F32_ABS, uint32_t, u32, u32, mw_f32_abs(a)) \
  X(F32_NEG, uint32_t, u32, u32, mw_f32_neg(a)) \
  X(F32_CEIL, float, f32, f32, mw_f32_ceil(a)) \
  X(F32_FLOOR, float, f32, f32, mw_f32_floor(a)) \
  X(F32_TRUNC, float, f32, f32, mw_f32_trunc(a)) \
  X(F32_NEAREST, float, f32, f32, mw_f32_nearest(a)) \
  X(F32_SQRT, float, f32, f32, mw_f32_sqrt(a)) \
  X(F64_ABS, uint64_t, u64, u64, mw_f64_abs(a)) \
  X(F64_NEG, uint64_t, u64, u64, mw_f64_neg(a)) \
  X(F64_CEIL, double, f64, f64, mw_f64_ceil(a)) \
  X(F64_FLOOR, double, f64, f64, mw_f64_floor(a)) \
  X(F64_TRUNC, double, f64, f64, mw_f64_trunc(a)) \
  X(F64_NEAREST, double, f64, f64, mw_f64_nearest(a)) \
  X(F64_SQRT, double, f64, f64, mw_f64_sqrt(a)) \
  X(I32_WRAP_I64, uint64_t, u64, u32, (uint32_t)a) \
  X(I64_EXTEND_I32_S, int32_t, i32, i64, a) \
  X(I64_EXTEND_I32_U, uint32_t, u32, u64, a) \
  X(F32_CONVERT_I32_S, int32_t, i32, f32, (float)a) \
  X(F32_CONVERT_I32_U, uint32_t, u32, f32, (float)a) \
  X(F32_CONVERT_I64_S, int64_t, i64, f32, (float)a) \
  X(F32_CONVERT_I64_U, uint64_t, u64, f32, mw_u64_to_f32(a)) \
  X(F32_DEMOTE_F64, uint64_t, u64, u32, mw_f32_demote_f64(a)) \
  X(F64_CONVERT_I32_S, int32_t, i32, f64, (double)a) \
  X(F64_CONVERT_I32_U, uint32_t, u32, f64, (double)a) \
  X(F64_CONVERT_I64_S, int64_t, i64, f64, (double)a) \
  X(F64_CONVERT_I64_U, uint64_t, u64, f64, mw_u64_to_f64(a)) \
  X(F64_PROMOTE_F32, uint32_t, u32, u64, mw_f64_promote_f32(a)) \
  X(I32_REINTERPRET_F32, uint32_t, u32, u32, a) \
  X(I64_REINTERPRET_F64, uint64_t, u64, u64, a) \
  X(F32_REINTERPRET_I32, uint32_t, u32, u32, a) \
  X(F64_REINTERPRET_I64, uint64_t, u64, u64, a) \
  X(I32_EXTEND8_S, uint32_t, u32, i32, mw_i32_extend8_s(a)) \
  X(I32_EXTEND16_S, uint32_t, u32, i32, mw_i32_extend16_s(a)) \
  X(I64_EXTEND8_S, uint64_t, u64, i64, mw_i64_extend8_s(a)) \
  X(I64_EXTEND16_S, uint64_t, u64, i64, mw_i64_extend16_s(a)) \
  X(I64_EXTEND32_S, uint64_t, u64, i64, mw_i64_extend32_s(a)) \
  X(I32_TRUNC_SAT_F32_S, float, f32, i32, mw_i32_trunc_sat_f32_s(a)) \
  X(I32_TRUNC_SAT_F32_U, float, f32, u32, mw_i32_trunc_sat_f32_u(a)) \
  X(I32_TRUNC_SAT_F64_S, double, f64, i32, mw_i32_trunc_sat_f64_s(a)) \
  X(I32_TRUNC_SAT_F64_U, double, f64, u32, mw_i32_trunc_sat_f64_u(a)) \
  X(I64_TRUNC_SAT_F32_S, float, f32, i64, mw_i64_trunc_sat_f32_s(a)) \
  X(I64_TRUNC_SAT_F32_U, float, f32, u64, mw_i64_trunc_sat_f32_u(a)) \
  X(I64_TRUNC_SAT_F64_S, double, f64, i64, mw_i64_trunc_sat_f64_s(a)) \
  X(I64_TRUNC_SAT_F64_U, double, f64, u64, mw_i64_trunc_sat_f64_u(a))

#define MW_ACC_BINOPS(X) \
  X(I32_ROTL, uint32_t, u32, u32, mw_i32_rotl(a, b)) \
  X(I32_ROTR, uint32_t, u32, u32, mw_i32_rotr(a, b)) \
  X(I64_ROTL, uint64_t, u64, u64, mw_i64_rotl(a, b)) \
  X(I64_ROTR, uint64_t, u64, u64, mw_i64_rotr(a, b)) \
  X(F32_EQ, float, f32, u32, a == b) \
  X(F32_NE, float, f32, u32, a != b) \
  X(F32_LT, float, f32, u32, a < b) \
  X(F32_GT, float, f32, u32, a > b) \
  X(F32_LE, float, f32, u32, a <= b) \
  X(F32_GE, float, f32, u32, a >= b) \
  X(F32_ADD, float, f32, f32, a + b) \
  X(F32_SUB, float, f32, f32, a - b) \
  X(F32_MUL, float, f32, f32, a * b) \
  X(F32_DIV, float, f32, f32, a / b) \
  X(F32_MIN, float, f32, f32, mw_f32_min(a, b)) \
  X(F32_MAX, float, f32, f32, mw_f32_max(a, b)) \
  X(F32_COPYSIGN, uint32_t, u32, u32, mw_f32_copysign(a, b)) \
  X(F64_EQ, double, f64, u32, a == b) \
  X(F64_NE, double, f64, u32, a != b) \
  X(F64_LT, double, f64, u32, a < b) \
  X(F64_GT, double, f64, u32, a > b) \
  X(F64_LE, double, f64, u32, a <= b) \
  X(F64_GE, double, f64, u32, a >= b) \
  X(F64_ADD, double, f64, f64, a + b) \
  X(F64_SUB, double, f64, f64, a - b) \
  X(F64_MUL, double, f64, f64, a * b) \
  X(F64_DIV, double, f64, f64, a / b) \
  X(F64_MIN, double, f64, f64, mw_f64_min(a, b)) \
  X(F64_MAX, double, f64, f64, mw_f64_max(a, b)) \
  X(F64_COPYSIGN, uint64_t, u64, u64, mw_f64_copysign(a, b))

/* The opcodes of the forms: MW_ACC_OPS expands MW_ACC_F(OPNAME) for each,
 * with whatever MW_ACC_F is defined to where it is used (ir.h's enum,
 * exec.c's label table). */
#define MW_ACC_R_AB(NAME, ...) MW_ACC_F(NAME##_A) MW_ACC_F(NAME##_B)
#define MW_ACC_R_A(NAME, ...) MW_ACC_F(NAME##_A)
#define MW_ACC_R_IMM(NAME, ...) MW_ACC_F(IMM_##NAME##_A)
#define MW_ACC_R_LOAD(NAME, ...) MW_ACC_F(NAME##_A) MW_ACC_F(NAME##_K_A)
#define MW_ACC_R_STORE(NAME, ...) MW_ACC_F(NAME##_V) MW_ACC_F(NAME##_K_V)
#define MW_ACC_R_BR(NAME, ...)                                              \
  MW_ACC_F(BR_##NAME##_A) MW_ACC_F(BR_##NAME##_B) MW_ACC_F(BRI_##NAME##_A)  \
  MW_ACC_F(BR_##NAME##_LOOP_A) MW_ACC_F(BR_##NAME##_LOOP_B)                 \
  MW_ACC_F(BRI_##NAME##_LOOP_A)
/* The fused forms (ir.h IB_, ir_fuse.h BB_/BBR_ SEL_/SELI_ float IMM_/IMMR_
 * and the i64 BR_/BRI_): _A, _B, _C read word 2, 3, 4 of BB_/BBR_ from
 * acc; IB_ _A word 2 and _B word 4 (its slot operand b); SEL_/SELI_ _A
 * word 4 (the comparison's a); float IMM_/IMMR_ _A word 2. */
#define MW_ACC_R_IB(N1, N2, ...) MW_ACC_F(IB_##N1##__##N2##_A) MW_ACC_F(IB_##N1##__##N2##_B)
#define MW_ACC_R_BB(N1, N2, ...)                                       \
  MW_ACC_F(BB_##N1##__##N2##_A) MW_ACC_F(BB_##N1##__##N2##_B)          \
  MW_ACC_F(BB_##N1##__##N2##_C) MW_ACC_F(BBR_##N1##__##N2##_A)         \
  MW_ACC_F(BBR_##N1##__##N2##_B) MW_ACC_F(BBR_##N1##__##N2##_C)
#define MW_ACC_R_SEL(NAME, ...) MW_ACC_F(SEL_##NAME##_A) MW_ACC_F(SELI_##NAME##_A)
#define MW_ACC_R_FIMM(NAME, ...) MW_ACC_F(IMM_##NAME##_A) MW_ACC_F(IMMR_##NAME##_A)
#define MW_ACC_OPS                                                   \
  MW_IMM_BIN_FUSED(MW_ACC_R_IB) MW_BIN_BIN_FUSED(MW_ACC_R_BB)         \
  MW_SEL_CMPS(MW_ACC_R_SEL) MW_FLOAT_IMM_BINOPS(MW_ACC_R_FIMM)        \
  MW_I64_CMPS(MW_ACC_R_BR)                                            \
  MW_IMM_BINOPS(MW_ACC_R_AB) MW_ACC_BINOPS(MW_ACC_R_AB)               \
  MW_IMM_BINOPS(MW_ACC_R_IMM) MW_ACC_UNOPS(MW_ACC_R_A)                \
  MW_LOAD_OPS(MW_ACC_R_LOAD) MW_STORE_OPS(MW_ACC_R_STORE)             \
  MW_BR_CMPS(MW_ACC_R_BR)                                             \
  MW_ACC_F(JUMP_IF_A) MW_ACC_F(JUMP_UNLESS_A) MW_ACC_F(JUMP_IF_LOOP_A) \
  MW_ACC_F(JUMP_UNLESS_LOOP_A) MW_ACC_F(SELECT_A) MW_ACC_F(COPY_A)

/* compile.c, at the end of a body: give each instruction of code[0 .. n)
 * its acc form where that is safe.  meta[i] describes word i as compile.c
 * recorded it: 0 inside an instruction, 1 an instruction (or raw words)
 * no fall-through predecessor is known for, p + 2 an instruction emitted
 * right after the instruction at p, with no jump target between. */
void mwc_acc_pass(uint32_t *code, const uint32_t *meta, uint32_t n);

#endif
