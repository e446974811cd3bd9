/*
 * ir.h -- the internal code the compiler emits and the interpreter runs.
 *
 * A compiled function is an array of 32-bit words.  Each instruction is an
 * opcode word followed by its operand words.  (The passes see opcodes; the
 * last step of compiling turns each opcode word into its handler's word,
 * see mwx_handler_words below.)  Operands are *slots*: indices
 * into the function's frame, an array of 8-byte mw_slot values:
 *
 *   fp[0 .. nparams-1]          parameters
 *   fp[nparams .. nlocals-1]    declared locals, zeroed on entry
 *   fp[nlocals .. max_slots-1]  the operand stack, one slot per value; the
 *                               compiler knows every value's height, so an
 *                               operand is just fp[nlocals + height]
 *
 * A v128 value takes two consecutive slots (16 bytes, 8-byte aligned)
 * wherever it is: parameter, local, operand or result; every other value
 * takes one, so code without v128 has the layout above.  Slot numbers in
 * the rest of this comment count slots, not values.
 *
 * On return the results are in fp[0 .. nresults-1].  A call places the
 * arguments in consecutive slots starting at `argbase` in the caller's frame;
 * the callee's frame starts there (fp + argbase), so arguments become its
 * parameters without copying and its results land where the caller expects
 * them.  Jump targets are absolute word indices into the code array.
 *
 * Opcodes below MW_OP__WASM_COUNT are the wasm instruction of the same name
 * (opcodes.h); the rest are internal.  Layout of each emitted instruction:
 *
 *   UN kind (opcodes.h)   op dst a                dst = f(a)
 *   BIN kind              op dst a b              dst = f(a, b)
 *   LOAD kind             op dst addr offset      dst = mem[addr + offset]
 *   STORE kind            op addr val offset      mem[addr + offset] = val
 *   UNREACHABLE           op                      trap "unreachable"
 *   RETURN                op                      results already in fp[0..]
 *   CALL                  op funcidx argbase
 *   CALL_INDIRECT         op typeidx tableidx elem argbase   (elem: slot)
 *   SELECT                op dst a b cond         dst = cond ? a : b
 *   GLOBAL_GET            op dst globalidx
 *   GLOBAL_SET            op globalidx src
 *   TABLE_GET             op dst tableidx idx
 *   TABLE_SET             op tableidx idx val
 *   MEMORY_SIZE           op dst
 *   MEMORY_GROW           op dst delta
 *   I32_CONST, F32_CONST  op dst bits
 *   I64_CONST, F64_CONST  op dst lo hi            (low 32 bits first)
 *   REF_NULL              op dst
 *   REF_IS_NULL           op dst a
 *   REF_FUNC              op dst funcidx
 *   REF_AS_NON_NULL       op dst a                trap "null reference" if a is null
 *   CALL_REF              op typeidx ref argbase  (ref: slot; trap if null)
 *   RETURN_CALL_REF       op typeidx ref argbase
 *   BR_ON_NULL            op ref target           jump if ref is null
 *   BR_ON_NON_NULL        op ref target           jump if ref is not null
 *   MEMORY_INIT           op dataidx d s n
 *   DATA_DROP             op dataidx
 *   MEMORY_COPY           op d s n
 *   MEMORY_FILL           op d val n
 *   TABLE_INIT            op tableidx elemidx d s n
 *   ELEM_DROP             op elemidx
 *   TABLE_COPY            op dsttable srctable d s n
 *   TABLE_GROW            op dst tableidx init delta
 *   TABLE_SIZE            op dst tableidx
 *   TABLE_FILL            op tableidx i val n
 *   BR_TABLE              op idx n t0 .. t(n-1) tdefault   (idx: slot; t: targets)
 *   THROW                 op tagidx argbase   the tag's values at argbase ..
 *   THROW_REF             op ref              (rethrow too; compile_eh.h has
 *                         the handler tables, exec_eh.h the unwinding)
 *   COPY                  op dst src              8-byte slot copy
 *   JUMP                  op target
 *   JUMP_IF               op cond target          jump if i32 cond != 0
 *   JUMP_UNLESS           op cond target          jump if i32 cond == 0
 *   METER                 op count cost           statistics: a straight-line
 *                         block of `count` wasm instructions costing `cost`
 *                         starts here (only in modules decoded to count)
 *   IMM_<bin>             op dst a imm            dst = a <bin> imm, for the
 *                         binaries of MW_IMM_BINOPS (i64 forms sign-extend
 *                         the 32-bit imm)
 *   BR_<cmp>              op a b target           jump if a <cmp> b
 *   BRI_<cmp>             op a imm target         jump if a <cmp> imm
 *                         (the i32 comparisons of MW_BR_CMPS)
 *   ADDBR_<cmp>           op d a k x y target     d.u32 = a.u32 + k, then jump
 *                         if x <cmp> y (an induction variable's step and
 *                         the loop test in one dispatch; x or y may be d)
 *   ADDBRI_<cmp>          op d a k x imm target   the same with an immediate
 *   <load>_K              op dst a k offset       the load at address
 *                         (a.u32 + k mod 2^32) + offset: an address just
 *                         computed by IMM_I32_ADD (the loads of MW_LOAD_OPS)
 *   <store>_K             op a val k offset       the same for stores
 *   IB_<op1>__<op2>       op d a k b              d = (a <op1> k) <op2> b, for
 *                         the pairs of MW_IMM_BIN_FUSED: a binary with an
 *                         immediate whose result only feeds the next binary
 *                         (the intermediate never goes through a slot)
 *   BB_, BBR_, ...        ir_fuse.h
 *   BR_<fcmp>, BRI_<fcmp> ir_fbr.h (float compare-and-branch)
 *   <load>_X, <store>_X, ...  ir_index.h
 *   IMMD_, IMMW_          ir_wide.h
 *   <branch>_LOOP         the layout of <branch> (JUMP, JUMP_IF,
 *                         JUMP_UNLESS, BR_TABLE, BR_<cmp>, BRI_<cmp>,
 *                         ADDBR_<cmp>, ADDBRI_<cmp>), for
 *                         a branch to a loop header: when taken it also
 *                         polls the store (interrupt, deadline, fuel)
 *
 *
 * Memories other than an i32 memory 0 (multi-memory, memory64), whose
 * base and size are not the ones the interpreter caches; `mem` is a
 * memory index, addresses and lengths are read as u64 from an i64
 * memory's operands, offsets are 64 bits (low word first):
 *   MEMORY_USE            op mem    loads and stores use memory `mem`
 *                         until the next MEMORY_USE (the compiler puts
 *                         MEMORY_USE 0 right after the access)
 *   EA64                  op dst addr off_lo off_hi    i64 memories: trap
 *                         unless addr + off < the memory's size, else
 *                         dst.u32 = addr + off (the access uses offset 0)
 *   MEMORY_SIZEX          op dst mem
 *   MEMORY_GROWX          op dst delta mem
 *   MEMORY_INITX          op mem dataidx d s n
 *   MEMORY_COPYX          op dstmem srcmem d s n
 *   MEMORY_FILLX          op mem d val n
 *   CLAMP32               op dst a     dst.u32 = min(a.u64, 2^32-1): an i64
 *                         table index or length for the u32 table forms
 *   GROW64                op dst       dst.i64 = table.grow's u32 result,
 *                         with 2^32-1 (failure) becoming -1
 *
 * Never emitted (the compiler turns them into the above): NOP BLOCK LOOP IF
 * ELSE END BR BR_IF DROP SELECT_T LOCAL_GET LOCAL_SET LOCAL_TEE.
 * Indices (funcidx, globalidx, ...) index the executing instance's spaces.
 */
#ifndef MW_IR_H
#define MW_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "opcodes.h"
#include "acc.h"
#include "ir_fuse.h"
#include "ir_move.h"
#include "ir_fbr.h"
#include "ir_index.h"
#include "ir_wide.h"

/* Superinstructions.  A constant right operand is folded into the binary
 * operators below, and an i32 comparison whose only use is a branch is
 * fused with it.  Columns: NAME, the C type of the operands, the slot
 * member they are read from, the member the result is written to, and the
 * operation on a and b -- the interpreter's definition of the plain
 * instruction too, so the three forms cannot disagree. */
#define MW_IMM_BINOPS(X) \
  X(I32_ADD, uint32_t, u32, u32, a + b) \
  X(I32_SUB, uint32_t, u32, u32, a - b) \
  X(I32_MUL, uint32_t, u32, u32, a * b) \
  X(I32_AND, uint32_t, u32, u32, a & b) \
  X(I32_OR, uint32_t, u32, u32, a | b) \
  X(I32_XOR, uint32_t, u32, u32, a ^ b) \
  X(I32_SHL, uint32_t, u32, u32, mw_i32_shl(a, b)) \
  X(I32_SHR_S, uint32_t, u32, u32, mw_i32_shr_s(a, b)) \
  X(I32_SHR_U, uint32_t, u32, u32, mw_i32_shr_u(a, b)) \
  X(I32_EQ, uint32_t, u32, u32, a == b) \
  X(I32_NE, uint32_t, u32, u32, a != b) \
  X(I32_LT_S, int32_t, i32, u32, a < b) \
  X(I32_LT_U, uint32_t, u32, u32, a < b) \
  X(I32_GT_S, int32_t, i32, u32, a > b) \
  X(I32_GT_U, uint32_t, u32, u32, a > b) \
  X(I32_LE_S, int32_t, i32, u32, a <= b) \
  X(I32_LE_U, uint32_t, u32, u32, a <= b) \
  X(I32_GE_S, int32_t, i32, u32, a >= b) \
  X(I32_GE_U, uint32_t, u32, u32, a >= b) \
  X(I64_ADD, uint64_t, u64, u64, a + b) \
  X(I64_SUB, uint64_t, u64, u64, a - b) \
  X(I64_MUL, uint64_t, u64, u64, a * b) \
  X(I64_AND, uint64_t, u64, u64, a & b) \
  X(I64_OR, uint64_t, u64, u64, a | b) \
  X(I64_XOR, uint64_t, u64, u64, a ^ b) \
  X(I64_SHL, uint64_t, u64, u64, mw_i64_shl(a, b)) \
  X(I64_SHR_S, uint64_t, u64, u64, mw_i64_shr_s(a, b)) \
  X(I64_SHR_U, uint64_t, u64, u64, mw_i64_shr_u(a, b)) \
  X(I64_EQ, uint64_t, u64, u32, a == b) \
  X(I64_NE, uint64_t, u64, u32, a != b) \
  X(I64_LT_S, int64_t, i64, u32, a < b) \
  X(I64_LT_U, uint64_t, u64, u32, a < b) \
  X(I64_GT_S, int64_t, i64, u32, a > b) \
  X(I64_GT_U, uint64_t, u64, u32, a > b) \
  X(I64_LE_S, int64_t, i64, u32, a <= b) \
  X(I64_LE_U, uint64_t, u64, u32, a <= b) \
  X(I64_GE_S, int64_t, i64, u32, a >= b) \
  X(I64_GE_U, uint64_t, u64, u32, a >= b)

/* Fused pairs (IB_ forms): a binary of MW_IMM_BINOPS with an immediate,
 * then a commutative binary of the same type taking its result.  Columns:
 * first NAME, second NAME, type, slot member, the two operations on a, b. */
#define MW_IB_ROW(X, P, T, M, SHL, SHRS, SHRU, N2, e2) \
  X(P##_SHL, P##_##N2, T, M, SHL(a, b), e2)            \
  X(P##_SHR_S, P##_##N2, T, M, SHRS(a, b), e2)         \
  X(P##_SHR_U, P##_##N2, T, M, SHRU(a, b), e2)         \
  X(P##_MUL, P##_##N2, T, M, a * b, e2)                \
  X(P##_AND, P##_##N2, T, M, a & b, e2)                \
  X(P##_ADD, P##_##N2, T, M, a + b, e2)
#define MW_IB_TYPE(X, P, T, M, SHL, SHRS, SHRU)              \
  MW_IB_ROW(X, P, T, M, SHL, SHRS, SHRU, ADD, a + b)         \
  MW_IB_ROW(X, P, T, M, SHL, SHRS, SHRU, XOR, a ^ b)         \
  MW_IB_ROW(X, P, T, M, SHL, SHRS, SHRU, OR, a | b)          \
  MW_IB_ROW(X, P, T, M, SHL, SHRS, SHRU, AND, a & b)
#define MW_IMM_BIN_FUSED(X)                                                   \
  MW_IB_TYPE(X, I32, uint32_t, u32, mw_i32_shl, mw_i32_shr_s, mw_i32_shr_u)   \
  MW_IB_TYPE(X, I64, uint64_t, u64, mw_i64_shl, mw_i64_shr_s, mw_i64_shr_u)

/* The loads and stores of memory 0 (the interpreter's definitions, in
 * one place for the plain and the _K forms): NAME, the C type read or
 * written, and for loads the slot member written and the value from `v`,
 * for stores the slot member the value is read from. */
#define MW_LOAD_OPS(X) MW_WORD_LOAD_OPS(X) MW_I64_NARROW_LOAD_OPS(X)
/* (the loads compiled C indexes arrays with: ir_index.h) */
#define MW_WORD_LOAD_OPS(X)                         \
  X(I32_LOAD, uint32_t, u32, v)                     \
  X(I64_LOAD, uint64_t, u64, v)                     \
  X(F32_LOAD, uint32_t, u32, v) /* bits: sNaN stays */ \
  X(F64_LOAD, uint64_t, u64, v)                     \
  X(I32_LOAD8_S, uint8_t, i32, mw_i32_extend8_s(v)) \
  X(I32_LOAD8_U, uint8_t, u32, v)                   \
  X(I32_LOAD16_S, uint16_t, i32, mw_i32_extend16_s(v)) \
  X(I32_LOAD16_U, uint16_t, u32, v)
#define MW_I64_NARROW_LOAD_OPS(X)                   \
  X(I64_LOAD8_S, uint8_t, i64, mw_i64_extend8_s(v)) \
  X(I64_LOAD8_U, uint8_t, u64, v)                   \
  X(I64_LOAD16_S, uint16_t, i64, mw_i64_extend16_s(v)) \
  X(I64_LOAD16_U, uint16_t, u64, v)                 \
  X(I64_LOAD32_S, uint32_t, i64, mw_i64_extend32_s(v)) \
  X(I64_LOAD32_U, uint32_t, u64, v)
#define MW_STORE_OPS(X) MW_WORD_STORE_OPS(X) MW_I64_NARROW_STORE_OPS(X)
#define MW_WORD_STORE_OPS(X)    \
  X(I32_STORE, uint32_t, u32)   \
  X(I64_STORE, uint64_t, u64)   \
  X(F32_STORE, uint32_t, u32)   \
  X(F64_STORE, uint64_t, u64)   \
  X(I32_STORE8, uint8_t, u32)   \
  X(I32_STORE16, uint16_t, u32)
#define MW_I64_NARROW_STORE_OPS(X) \
  X(I64_STORE8, uint8_t, u64)   \
  X(I64_STORE16, uint16_t, u64) \
  X(I64_STORE32, uint32_t, u64)

/* The i32 comparisons with branch forms: NAME, operand type, slot member,
 * the test, and the comparison that is its negation (for `if`, which jumps
 * when the condition is false). */
#define MW_BR_CMPS(X) \
  X(I32_EQ, uint32_t, u32, a == b, I32_NE) \
  X(I32_NE, uint32_t, u32, a != b, I32_EQ) \
  X(I32_LT_S, int32_t, i32, a < b, I32_GE_S) \
  X(I32_LT_U, uint32_t, u32, a < b, I32_GE_U) \
  X(I32_GT_S, int32_t, i32, a > b, I32_LE_S) \
  X(I32_GT_U, uint32_t, u32, a > b, I32_LE_U) \
  X(I32_LE_S, int32_t, i32, a <= b, I32_GT_S) \
  X(I32_LE_U, uint32_t, u32, a <= b, I32_GT_U) \
  X(I32_GE_S, int32_t, i32, a >= b, I32_LT_S) \
  X(I32_GE_U, uint32_t, u32, a >= b, I32_LT_U)

typedef enum mw_opcode {
#define MW_X_ENUM(NAME, ...) MW_OP_##NAME,
  MW_OPCODES(MW_X_ENUM)
#undef MW_X_ENUM
  MW_OP__WASM_COUNT,
  MW_OP_COPY = MW_OP__WASM_COUNT,
  MW_OP_JUMP,
  MW_OP_JUMP_IF,
  MW_OP_JUMP_UNLESS,
  MW_OP_METER,
  MW_OP_COPY_V128,       /* v128 forms of COPY, SELECT, GLOBAL_GET/SET: */
  MW_OP_SELECT_V128,     /* same layouts, two-slot values */
  MW_OP_GLOBAL_GET_V128,
  MW_OP_GLOBAL_SET_V128,
#define MW_X_IMM(NAME, ...) MW_OP_IMM_##NAME,
  MW_IMM_BINOPS(MW_X_IMM)
#undef MW_X_IMM
#define MW_X_BR(NAME, ...) MW_OP_BR_##NAME, MW_OP_BRI_##NAME,
  MW_BR_CMPS(MW_X_BR)
#undef MW_X_BR
  /* Multi-memory and memory64 (see above). */
  MW_OP_MEMORY_USE,
  MW_OP_EA64,
  MW_OP_MEMORY_SIZEX,
  MW_OP_MEMORY_GROWX,
  MW_OP_MEMORY_INITX,
  MW_OP_MEMORY_COPYX,
  MW_OP_MEMORY_FILLX,
  MW_OP_CLAMP32,
  MW_OP_GROW64,
  /* Back edges (hostctl): the same branches, taken to a loop header.  When
   * taken they also test the store's poll word (interrupt, deadline, fuel),
   * so forward branches pay nothing for it. */
  MW_OP_JUMP_LOOP,
  MW_OP_JUMP_IF_LOOP,
  MW_OP_JUMP_UNLESS_LOOP,
  MW_OP_BR_TABLE_LOOP,
#define MW_X_BRL(NAME, ...) MW_OP_BR_##NAME##_LOOP, MW_OP_BRI_##NAME##_LOOP,
  MW_BR_CMPS(MW_X_BRL)
#undef MW_X_BRL
  /* Fused forms (interpreter speed, issue 13): see the layouts above. */
#define MW_X_ADDBR(NAME, ...) MW_OP_ADDBR_##NAME, MW_OP_ADDBRI_##NAME, \
  MW_OP_ADDBR_##NAME##_LOOP, MW_OP_ADDBRI_##NAME##_LOOP,
  MW_BR_CMPS(MW_X_ADDBR)
#undef MW_X_ADDBR
#define MW_X_K(NAME, ...) MW_OP_##NAME##_K,
  MW_LOAD_OPS(MW_X_K)
  MW_STORE_OPS(MW_X_K)
#undef MW_X_K
#define MW_X_IB(N1, N2, ...) MW_OP_IB_##N1##__##N2,
  MW_IMM_BIN_FUSED(MW_X_IB)
#undef MW_X_IB
  /* The accumulator forms (acc.h). */
#define MW_ACC_F(NAME) MW_OP_##NAME,
  MW_ACC_OPS
#undef MW_ACC_F
  MW_FUSE_ENUM /* ir_fuse.h: the layouts are there */
  MW_MOVE_ENUM /* ir_move.h: instruction pairs */
  MW_FBR_ENUM /* ir_fbr.h: float compare-and-branch */
  MW_INDEX_ENUM /* ir_index.h: indexed loads and stores */
  MW_WIDE_ENUM /* ir_wide.h: constants IMM_ cannot take */
  /* lazy.c: the only instruction of a body not compiled yet; compiles it
   * and restarts the frame in its code. */
  MW_OP_LAZY_COMPILE,
  MW_OP__COUNT
} mw_opcode;

/* Facts per wasm opcode (opcodes.h), indexed by mw_opcode. */
extern const mw_opinfo mw_opinfo_table[MW_OP__WASM_COUNT];
/* Map a one-byte opcode, or a prefix byte (0xFB, 0xFC, 0xFD) and the
 * sub-opcode after it, to mw_opcode; -1 if unknown. */
int mw_opcode_from_prefixed(unsigned prefix, uint32_t sub);
/* (inline: the decoder and the compiler call these per instruction) */
extern const uint16_t mw_opcode_slots[]; /* opcodes.c; one-byte opcodes first */
static inline int mw_opcode_from_byte(unsigned byte) {
  return byte < 256 ? (int)mw_opcode_slots[byte] - 1 : -1;
}
static inline bool mw_opcode_is_prefix(unsigned byte) {
  return byte == 0xFB || byte == 0xFC || byte == 0xFD;
}
/* The instruction named by the text `name` (len bytes, no NUL needed), or
 * -1.  Hashed: meant to be called per instruction by the text parser.
 * Shared names (select, ref.test, ref.cast) give the first row. */
int mw_opcode_from_text(const char *name, size_t len);
/* A feature of the opcode table (mw_op_feature) as words for messages:
 * "SIMD", "tail calls", ... */
const char *mw_feature_name(unsigned feature);

typedef uint32_t mw_word;

/* Direct threading: in code the interpreter runs, an instruction's first
 * word is not its opcode but where its handler is, in bytes from the
 * handler of LAZY_COMPILE, plus MW_HANDLER_BIAS (so every such word is a
 * large number, never a small slot or count).  Dispatch then loads one
 * word and adds it to a base, instead of loading the word and then the
 * handler's address from a table: one load fewer per instruction.
 * mwx_handler_words() (exec.c) maps each opcode to its word; compile.c
 * applies it once a body is done.  With MW_USE_SWITCH the words stay
 * opcodes and it returns NULL.  MW_LAZY_STUB_WORD is LAZY_COMPILE's word
 * in both builds (lazy.c's stub code is a constant). */
#define MW_HANDLER_BIAS 0x40000000u
#if MW_USE_SWITCH
#define MW_LAZY_STUB_WORD ((mw_word)MW_OP_LAZY_COMPILE)
#else
#define MW_LAZY_STUB_WORD ((mw_word)MW_HANDLER_BIAS)
#endif
const uint32_t *mwx_handler_words(void);
/* The word opcode `op` starts an instruction with in code that runs. */
static inline mw_word mw_handler_word(int op) {
  const uint32_t *w = mwx_handler_words();
  return w ? w[op] : (mw_word)op;
}

/* A function compiled by compile.c; owned by its module. */
typedef struct mw_compiled {
  mw_word *code;
  uint32_t ncode;
  uint32_t nparams;
  uint32_t nresults;
  uint32_t nlocals;   /* params + declared locals */
  uint32_t max_slots; /* frame size: locals + the deepest operand stack */
  struct mw_gc_map *gcmap; /* gc.h: where its traced references are, or NULL */
  uint32_t eh_table;  /* exception handling: its region table in `code`
                         (compile_eh.h), or 0 when nothing is caught */
} mw_compiled;

#endif
