/*
 * ir_move.h -- instruction pairs (interpreter speed, issue 13): one
 * dispatch for two instructions that follow each other.
 *
 *   PAIR_<F>__<S>     the layout of F, then S right after it (unchanged)
 *
 * Only F's opcode word changes: its handler runs F, then goes straight to
 * S's own handler (a direct jump instead of an indirect dispatch) with pc
 * at S.  S is left as it was, so a jump to S still finds S, a label
 * between the two costs nothing, and a trap in S reports from S.  F is an
 * instruction that always falls through (a copy, constant, add, load or
 * store: the moves and memory accesses compiled C code is made of); S is
 * any of the seconds below.  Chosen by mwc_move_pass at the end of a body,
 * after the accumulator pass (acc.h), so F and S may be acc forms: F's
 * handler leaves acc as F's own would.
 *
 * Every first of the table is paired with every second (the pair opcodes
 * are consecutive, first-major, so the pass computes them); the single
 * pairs below add one (first, second) each.
 *
 * Hazard: each pair is a handler in exec.c's run().  GCC 12 -O2 keeps
 * mem, memsize and the instance in registers across run() only while no
 * handler adds a call on its fast path; it once stopped (twice the stack
 * loads, CoreMark +9 to +14% instructions) when back edges each called
 * the poll function, fixed by the shared poll block.  After adding
 * handlers compare `objdump -d build/pic/runtime/exec.o | grep -c
 * '(%rsp)'` (about 850 with about 2,150 handlers; about 3,500 when it
 * goes wrong) and the CoreMark callgrind count before and after.
 */
#ifndef MW_IR_MOVE_H
#define MW_IR_MOVE_H

#include <stdint.h>

/* Firsts: NAME and length in words (a body in exec_move.h each). */
#define MW_MOVE_FIRSTS(X, C) \
  X(C, COPY, 3)              \
  X(C, COPY_A, 3)            \
  X(C, I32_CONST, 3)         \
  X(C, IMM_I32_ADD, 4)       \
  X(C, IMM_I32_ADD_A, 4)     \
  X(C, I32_ADD, 4)           \
  X(C, I32_LOAD, 4)          \
  X(C, I32_LOAD_A, 4)        \
  X(C, I32_LOAD8_U, 4)       \
  X(C, I32_LOAD8_U_K, 5)     \
  X(C, I32_STORE, 4)         \
  X(C, I32_STORE_V, 4)

/* Seconds: any instruction with a handler of its own. */
#define MW_MOVE_SECONDS(C, F, N) \
  C(F, N, COPY)                  \
  C(F, N, COPY_A)                \
  C(F, N, I32_CONST)             \
  C(F, N, IMM_I32_ADD)           \
  C(F, N, IMM_I32_ADD_A)         \
  C(F, N, IMM_I32_AND_A)         \
  C(F, N, I32_ADD)               \
  C(F, N, I32_LOAD)              \
  C(F, N, I32_LOAD_A)            \
  C(F, N, I32_LOAD8_U)           \
  C(F, N, I32_LOAD8_U_A)         \
  C(F, N, I32_LOAD16_U_A)        \
  C(F, N, I32_STORE)             \
  C(F, N, I32_STORE_V)           \
  C(F, N, JUMP_IF)               \
  C(F, N, JUMP_UNLESS)           \
  C(F, N, JUMP_UNLESS_A)         \
  C(F, N, BR_TABLE)              \
  C(F, N, JUMP_IF_LOOP)          \
  C(F, N, JUMP_IF_LOOP_A)        \
  C(F, N, BRI_I32_EQ)            \
  C(F, N, BRI_I32_NE_LOOP)       \
  C(F, N, BR_I32_LT_U_LOOP_A)    \
  C(F, N, ADDBR_I32_NE_LOOP)     \
  C(F, N, ADDBRI_I32_NE_LOOP)

/* All pairs of the table: C(FIRST, its length, SECOND). */
#define MW_MOVE_ROW(C, F, N) MW_MOVE_SECONDS(C, F, N)
#define MW_MOVE_TABLE(C) MW_MOVE_FIRSTS(MW_MOVE_ROW, C)

/* Single pairs, outside the table: C(FIRST, its length, SECOND), each a
 * pair the table does not have.  The firsts are the masks, bit-field
 * extracts, 16-bit loads and multiply-adds that compiled C code chains
 * (CRCs, hashes, packed fields, fixed-point arithmetic), followed by what
 * most often consumes them: a branch or select on the mask, the next
 * field, the multiply of two loaded values; and the copy out of SSA form
 * that clang leaves before a loop's increment, compare and back edge; a
 * byte read from code, then the register it names (r[code[pc + 1]], a
 * bytecode interpreter with its registers in a stack frame).  Each
 * first's work is an MV_ body in exec_move.h. */
#define MW_MOVE_SINGLES(C)                              \
  C(IMM_I32_AND, 4, BR_I32_EQ_B)                        \
  C(IMM_I32_AND, 4, BRI_I32_EQ_A)                       \
  C(IMM_I32_AND_A, 4, SELECT_A)                         \
  C(I32_LOAD16_U, 4, I32_LOAD16_U)                      \
  C(I32_LOAD16_U, 4, I32_MUL_B)                         \
  C(I32_LOAD16_S, 4, I32_LOAD16_S)                      \
  C(I32_LOAD16_S, 4, BB_I32_MUL__I32_ADD_B)             \
  C(I32_LOAD16_S_K, 5, BBR_I32_MUL__I32_ADD_B)          \
  C(II_I32_SHR_U__I32_AND, 5, BB_I32_MUL__I32_ADD_B)    \
  C(II_I32_SHR_U__I32_AND_A, 5, II_I32_SHR_U__I32_AND)  \
  C(II_I32_SHR_U__I32_AND_A, 5, IMM_I32_XOR_A)          \
  C(II_I32_ADD__I32_AND, 5, BRI_I32_GE_U_A)             \
  C(II_I32_ADD__I32_AND, 5, BRI_I32_GT_U_A)             \
  C(IMM_I32_XOR_A, 4, IB_I32_SHR_U__I32_XOR)            \
  C(IB_I32_SHR_U__I32_XOR, 5, IMM_I32_AND_A)            \
  C(IB_I32_AND__I32_XOR_B, 5, JUMP_UNLESS_A)            \
  C(SELECT_A, 5, II_I32_SHR_U__I32_AND_A)               \
  C(I32_MUL_B, 4, II_I32_SHR_U__I32_AND_A)              \
  C(I32_CONST, 3, SELECT)                               \
  C(I32_CONST, 3, II_I32_ADD__I32_AND)                  \
  C(COPY, 3, ADDBR_I32_LT_U_LOOP)                       \
  C(I32_LOAD8_U_K, 5, I32_LOAD_XSK)                     \
  C(I32_LOAD8_U_K, 5, IB_I32_SHL__I32_ADD_A)            \
  MW_MOVE_FLOAT_SINGLES(C)

/* The float load chains of struct and array code (n-body, spectral norm,
 * matrix products, saxpy): a load, then the arithmetic that takes it
 * (from acc, or as a fused multiply-add's operand) or the next load; an
 * add or subtract, then the store of its result.  (A pair goes on to the
 * second's plain handler: after F64_LOAD + F64_ADD_B, say, the store is
 * dispatched, so a pair F64_ADD_B + F64_STORE_V would only help where no
 * load pair comes first; in these kernels one always does.) */
#define MW_MOVE_FLOAT_SINGLES(C)                        \
  C(F64_LOAD, 4, F64_ADD_B)                             \
  C(F64_LOAD, 4, F64_SUB_B)                             \
  C(F64_LOAD, 4, F64_MUL_B)                             \
  C(F64_LOAD, 4, F64_LOAD)                              \
  C(F64_LOAD, 4, BB_F64_MUL__F64_ADD_B)                 \
  C(F64_LOAD, 4, BBR_F64_MUL__F64_ADD_B)                \
  C(F64_LOAD, 4, BB_F64_MUL__F64_MUL)                   \
  C(F64_LOAD, 4, FIB_IMM_F64_MUL__F64_ADD)              \
  C(F64_LOAD_K, 5, F64_SUB_B)                           \
  C(F64_LOAD_K, 5, F64_LOAD_X)                          \
  C(F64_SUB_B, 4, F64_STORE_V)                          \
  C(F32_LOAD, 4, IMM_F32_MUL_A)                         \
  C(F32_LOAD_K, 5, IMM_F32_MUL_A)                       \
  C(F32_ADD_B, 4, F32_STORE_V)

#define MW_MOVE_PAIRS(C) MW_MOVE_TABLE(C) MW_MOVE_SINGLES(C)

/* ir.h's enum rows and exec.c's label rows. */
#define MW_X_MOVE_ENUM(F, N, S) MW_OP_PAIR_##F##__##S,
#define MW_MOVE_ENUM MW_MOVE_PAIRS(MW_X_MOVE_ENUM)
#define MW_X_MOVE_LABEL(F, N, S) [MW_OP_PAIR_##F##__##S] = &&op_PAIR_##F##__##S,
#define MW_MOVE_LABELS MW_MOVE_PAIRS(MW_X_MOVE_LABEL)

/* Raw words in compile.c's per-word meta (acc.h's mwc_acc_pass): data
 * (br_table targets, exception records), never an instruction start. */
#define MWC_META_RAW UINT32_MAX

/* compile.c, at the end of a body, after mwc_acc_pass: turn each first
 * followed by a second into their pair (meta as for mwc_acc_pass). */
void mwc_move_pass(uint32_t *code, const uint32_t *meta, uint32_t n);

#endif
