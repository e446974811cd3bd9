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
 */
#ifndef MW_IR_FUSE_H
#define MW_IR_FUSE_H

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

/* The enum rows (ir.h) and the dispatch table rows (exec.c). */
#define MW_X_FUSE_BB_ENUM(N1, N2, ...) MW_OP_BB_##N1##__##N2, MW_OP_BBR_##N1##__##N2,
#define MW_FUSE_ENUM MW_BIN_BIN_FUSED(MW_X_FUSE_BB_ENUM)
#define MW_X_FUSE_BB_LABEL(N1, N2, ...)           \
  [MW_OP_BB_##N1##__##N2] = &&op_BB_##N1##__##N2, \
  [MW_OP_BBR_##N1##__##N2] = &&op_BBR_##N1##__##N2,
#define MW_FUSE_LABELS MW_BIN_BIN_FUSED(MW_X_FUSE_BB_LABEL)

#endif
