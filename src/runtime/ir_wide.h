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
 * A division or remainder takes this form only when the constant is
 * neither 0 nor (signed) -1, so it cannot trap.  Both leave their result
 * in acc (acc.h producers).
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

/* ir.h's enum rows and exec.c's label rows. */
#define MW_X_IMMD_ENUM(NAME, ...) MW_OP_IMMD_##NAME,
#define MW_X_IMMW_ENUM(NAME, ...) MW_OP_IMMW_##NAME,
#define MW_WIDE_ENUM MW_IMMD_OPS(MW_X_IMMD_ENUM) MW_IMMW_OPS(MW_X_IMMW_ENUM)
#define MW_X_IMMD_LABEL(NAME, ...) [MW_OP_IMMD_##NAME] = &&op_IMMD_##NAME,
#define MW_X_IMMW_LABEL(NAME, ...) [MW_OP_IMMW_##NAME] = &&op_IMMW_##NAME,
#define MW_WIDE_LABELS MW_IMMD_OPS(MW_X_IMMD_LABEL) MW_IMMW_OPS(MW_X_IMMW_LABEL)

#endif
