/*
 * ir_wide.h -- binaries with a constant operand that ir.h's IMM_ forms
 * cannot take (interpreter speed, issue 13): divisions by a constant, and
 * i64 constants wider than 32 bits (hash multipliers, 64-bit masks,
 * moduli), which would otherwise be written to a slot by an instruction
 * of their own each time round a loop.
 *
 *   IMMD_<op>   op dst a k       i32 a <op> k
 *   IMMW_<op>   op dst a lo hi   i64 a <op> K, K's low word first
 *
 *   IMMR_<op>   op dst b k       k <op> b: the constant on the left
 *
 * A division or remainder takes this form only when the constant is
 * neither 0 nor (signed) -1, so it cannot trap.  IMMR_ is for the
 * operators whose operands do not commute (0 - x, 1 << n: negations and
 * bit masks); with the others compile.c swaps the operands and uses IMM_
 * (k + x as x + k, k < x as x > k).  Its constant is an IMM_ one: 32 bits,
 * sign-extended for i64.  All leave their result in acc (acc.h producers).
 */
#ifndef MW_IR_WIDE_H
#define MW_IR_WIDE_H

/* NAME, C type, slot member, the operation on a and b. */
#define MW_IMMD_OPS(X)                  \
  X(I32_DIV_S, int32_t, i32, a / b)     \
  X(I32_DIV_U, uint32_t, u32, a / b)    \
  X(I32_REM_S, int32_t, i32, a % b)     \
  X(I32_REM_U, uint32_t, u32, a % b)
#define MW_IMMW_OPS(X)                  \
  X(I64_ADD, uint64_t, u64, a + b)      \
  X(I64_MUL, uint64_t, u64, a * b)      \
  X(I64_AND, uint64_t, u64, a & b)      \
  X(I64_OR, uint64_t, u64, a | b)       \
  X(I64_XOR, uint64_t, u64, a ^ b)      \
  X(I64_DIV_S, int64_t, i64, a / b)     \
  X(I64_DIV_U, uint64_t, u64, a / b)    \
  X(I64_REM_S, int64_t, i64, a % b)     \
  X(I64_REM_U, uint64_t, u64, a % b)

#define MW_IMMR_INT_OPS(X)                       \
  X(I32_SUB, uint32_t, u32, a - b)               \
  X(I32_SHL, uint32_t, u32, mw_i32_shl(a, b))    \
  X(I64_SUB, uint64_t, u64, a - b)               \
  X(I64_SHL, uint64_t, u64, mw_i64_shl(a, b))

/* ir.h's enum rows and exec.c's label rows. */
#define MW_X_IMMD_ENUM(NAME, ...) MW_OP_IMMD_##NAME,
#define MW_X_IMMW_ENUM(NAME, ...) MW_OP_IMMW_##NAME,
#define MW_X_IMMR_ENUM(NAME, ...) MW_OP_IMMR_##NAME,
#define MW_WIDE_ENUM \
  MW_IMMD_OPS(MW_X_IMMD_ENUM) MW_IMMW_OPS(MW_X_IMMW_ENUM) MW_IMMR_INT_OPS(MW_X_IMMR_ENUM)
#define MW_X_IMMD_LABEL(NAME, ...) [MW_OP_IMMD_##NAME] = &&op_IMMD_##NAME,
#define MW_X_IMMW_LABEL(NAME, ...) [MW_OP_IMMW_##NAME] = &&op_IMMW_##NAME,
#define MW_X_IMMR_LABEL(NAME, ...) [MW_OP_IMMR_##NAME] = &&op_IMMR_##NAME,
#define MW_WIDE_LABELS \
  MW_IMMD_OPS(MW_X_IMMD_LABEL) MW_IMMW_OPS(MW_X_IMMW_LABEL) MW_IMMR_INT_OPS(MW_X_IMMR_LABEL)

#endif
