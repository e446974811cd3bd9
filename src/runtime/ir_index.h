/*
 * ir_index.h -- loads and stores with their address computation in the
 * same instruction (interpreter speed, issue 13).  C indexes arrays as
 * base + i or base + (i << log2(size)); compile.c takes back such an
 * address, computed by the instruction just before and used by nothing
 * else, into the access:
 *
 *   <load>_X     op dst a b offset       address a.u32 + b.u32
 *   <load>_XS    op dst a k b offset     address (a.u32 << k) + b.u32
 *   <load>_XK    op dst a k1 k2 offset   address (a.u32 << k1) + k2
 *   <load>_XSK   op dst a k b k2 offset  address (a.u32 << k) + b.u32 + k2
 *   <store>_X    op a b val offset
 *   <store>_XS   op a k b val offset
 *   <store>_XK   op a k1 k2 val offset
 *   <store>_XSK  op a k b k2 val offset
 *
 * (from I32_ADD, IB_I32_SHL__I32_ADD and II_I32_SHL__I32_ADD; _XSK from
 * the first two when one operand was a deferred `local + constant`, the
 * way clang addresses arrays in a stack frame: compile.c's addk
 * entries).  The address wraps mod 2^32 as the i32 it stands for, then
 * the offset is added in 64 bits and the access checked as the plain
 * one's (4.4.7).  Loads leave their result in acc too (acc.h producers).
 */
#ifndef MW_IR_INDEX_H
#define MW_IR_INDEX_H

/* The accesses with these forms: ir.h's MW_WORD_LOAD_OPS and
 * MW_WORD_STORE_OPS (the sign- and zero-extending i64 loads and the
 * narrow i64 stores are rare in compiled C and go without). */
#define MW_INDEX_LOADS(X) MW_WORD_LOAD_OPS(X)
#define MW_INDEX_STORES(X) MW_WORD_STORE_OPS(X)

/* ir.h's enum rows and exec.c's label rows. */
#define MW_X_INDEX_ENUM(NAME, ...) \
  MW_OP_##NAME##_X, MW_OP_##NAME##_XS, MW_OP_##NAME##_XK, MW_OP_##NAME##_XSK,
#define MW_INDEX_ENUM MW_INDEX_LOADS(MW_X_INDEX_ENUM) MW_INDEX_STORES(MW_X_INDEX_ENUM)
#define MW_X_INDEX_LABEL(NAME, ...)                                  \
  [MW_OP_##NAME##_X] = &&op_##NAME##_X, [MW_OP_##NAME##_XS] = &&op_##NAME##_XS, \
  [MW_OP_##NAME##_XK] = &&op_##NAME##_XK, [MW_OP_##NAME##_XSK] = &&op_##NAME##_XSK,
#define MW_INDEX_LABELS MW_INDEX_LOADS(MW_X_INDEX_LABEL) MW_INDEX_STORES(MW_X_INDEX_LABEL)

#endif
