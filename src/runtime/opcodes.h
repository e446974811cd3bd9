/*
 * opcodes.h -- one row per WebAssembly instruction (Wasm 2.0 without SIMD).
 *
 * X(NAME, text, prefix, code, kind, imm, t1, t2, tr, memsize)
 *   NAME     enum suffix: MW_OP_<NAME> is also the internal opcode
 *   text     the instruction's name in the text format
 *   prefix   0 for one-byte opcodes, 0xFC for the prefixed ones
 *   code     the opcode byte, or the LEB128 sub-opcode after the prefix
 *   kind     how the compiler treats it:
 *              SPEC  control, variable, reference and other special forms
 *              UN    t1 -> tr          BIN  t1 t2 -> tr
 *              LOAD  i32 -> tr         STORE i32 t1 -> ()
 *   imm      the immediates that follow the opcode in the binary
 *   t1,t2,tr operand and result types (NONE where unused)
 *   memsize  bytes accessed by loads and stores (natural alignment = log2)
 *
 * The decoder, validator/compiler, interpreter and disassembler all use it.
 */
#ifndef MW_OPCODES_H
#define MW_OPCODES_H

#define MW_OPCODES(X) \
  X(UNREACHABLE, "unreachable", 0, 0x00, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(NOP, "nop", 0, 0x01, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(BLOCK, "block", 0, 0x02, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0) \
  X(LOOP, "loop", 0, 0x03, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0) \
  X(IF, "if", 0, 0x04, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0) \
  X(ELSE, "else", 0, 0x05, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(END, "end", 0, 0x0B, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(BR, "br", 0, 0x0C, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(BR_IF, "br_if", 0, 0x0D, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(BR_TABLE, "br_table", 0, 0x0E, SPEC, BRTABLE, NONE, NONE, NONE, 0) \
  X(RETURN, "return", 0, 0x0F, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(CALL, "call", 0, 0x10, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(CALL_INDIRECT, "call_indirect", 0, 0x11, SPEC, IDX2, NONE, NONE, NONE, 0) \
  X(DROP, "drop", 0, 0x1A, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(SELECT, "select", 0, 0x1B, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(SELECT_T, "select", 0, 0x1C, SPEC, SELECTT, NONE, NONE, NONE, 0) \
  X(LOCAL_GET, "local.get", 0, 0x20, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(LOCAL_SET, "local.set", 0, 0x21, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(LOCAL_TEE, "local.tee", 0, 0x22, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(GLOBAL_GET, "global.get", 0, 0x23, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(GLOBAL_SET, "global.set", 0, 0x24, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(TABLE_GET, "table.get", 0, 0x25, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(TABLE_SET, "table.set", 0, 0x26, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(I32_LOAD, "i32.load", 0, 0x28, LOAD, MEMARG, NONE, NONE, I32, 4) \
  X(I64_LOAD, "i64.load", 0, 0x29, LOAD, MEMARG, NONE, NONE, I64, 8) \
  X(F32_LOAD, "f32.load", 0, 0x2A, LOAD, MEMARG, NONE, NONE, F32, 4) \
  X(F64_LOAD, "f64.load", 0, 0x2B, LOAD, MEMARG, NONE, NONE, F64, 8) \
  X(I32_LOAD8_S, "i32.load8_s", 0, 0x2C, LOAD, MEMARG, NONE, NONE, I32, 1) \
  X(I32_LOAD8_U, "i32.load8_u", 0, 0x2D, LOAD, MEMARG, NONE, NONE, I32, 1) \
  X(I32_LOAD16_S, "i32.load16_s", 0, 0x2E, LOAD, MEMARG, NONE, NONE, I32, 2) \
  X(I32_LOAD16_U, "i32.load16_u", 0, 0x2F, LOAD, MEMARG, NONE, NONE, I32, 2) \
  X(I64_LOAD8_S, "i64.load8_s", 0, 0x30, LOAD, MEMARG, NONE, NONE, I64, 1) \
  X(I64_LOAD8_U, "i64.load8_u", 0, 0x31, LOAD, MEMARG, NONE, NONE, I64, 1) \
  X(I64_LOAD16_S, "i64.load16_s", 0, 0x32, LOAD, MEMARG, NONE, NONE, I64, 2) \
  X(I64_LOAD16_U, "i64.load16_u", 0, 0x33, LOAD, MEMARG, NONE, NONE, I64, 2) \
  X(I64_LOAD32_S, "i64.load32_s", 0, 0x34, LOAD, MEMARG, NONE, NONE, I64, 4) \
  X(I64_LOAD32_U, "i64.load32_u", 0, 0x35, LOAD, MEMARG, NONE, NONE, I64, 4) \
  X(I32_STORE, "i32.store", 0, 0x36, STORE, MEMARG, I32, NONE, NONE, 4) \
  X(I64_STORE, "i64.store", 0, 0x37, STORE, MEMARG, I64, NONE, NONE, 8) \
  X(F32_STORE, "f32.store", 0, 0x38, STORE, MEMARG, F32, NONE, NONE, 4) \
  X(F64_STORE, "f64.store", 0, 0x39, STORE, MEMARG, F64, NONE, NONE, 8) \
  X(I32_STORE8, "i32.store8", 0, 0x3A, STORE, MEMARG, I32, NONE, NONE, 1) \
  X(I32_STORE16, "i32.store16", 0, 0x3B, STORE, MEMARG, I32, NONE, NONE, 2) \
  X(I64_STORE8, "i64.store8", 0, 0x3C, STORE, MEMARG, I64, NONE, NONE, 1) \
  X(I64_STORE16, "i64.store16", 0, 0x3D, STORE, MEMARG, I64, NONE, NONE, 2) \
  X(I64_STORE32, "i64.store32", 0, 0x3E, STORE, MEMARG, I64, NONE, NONE, 4) \
  X(MEMORY_SIZE, "memory.size", 0, 0x3F, SPEC, ZERO, NONE, NONE, NONE, 0) \
  X(MEMORY_GROW, "memory.grow", 0, 0x40, SPEC, ZERO, NONE, NONE, NONE, 0) \
  X(I32_CONST, "i32.const", 0, 0x41, SPEC, I32, NONE, NONE, NONE, 0) \
  X(I64_CONST, "i64.const", 0, 0x42, SPEC, I64, NONE, NONE, NONE, 0) \
  X(F32_CONST, "f32.const", 0, 0x43, SPEC, F32, NONE, NONE, NONE, 0) \
  X(F64_CONST, "f64.const", 0, 0x44, SPEC, F64, NONE, NONE, NONE, 0) \
  X(I32_EQZ, "i32.eqz", 0, 0x45, UN, NONE, I32, NONE, I32, 0) \
  X(I32_EQ, "i32.eq", 0, 0x46, BIN, NONE, I32, I32, I32, 0) \
  X(I32_NE, "i32.ne", 0, 0x47, BIN, NONE, I32, I32, I32, 0) \
  X(I32_LT_S, "i32.lt_s", 0, 0x48, BIN, NONE, I32, I32, I32, 0) \
  X(I32_LT_U, "i32.lt_u", 0, 0x49, BIN, NONE, I32, I32, I32, 0) \
  X(I32_GT_S, "i32.gt_s", 0, 0x4A, BIN, NONE, I32, I32, I32, 0) \
  X(I32_GT_U, "i32.gt_u", 0, 0x4B, BIN, NONE, I32, I32, I32, 0) \
  X(I32_LE_S, "i32.le_s", 0, 0x4C, BIN, NONE, I32, I32, I32, 0) \
  X(I32_LE_U, "i32.le_u", 0, 0x4D, BIN, NONE, I32, I32, I32, 0) \
  X(I32_GE_S, "i32.ge_s", 0, 0x4E, BIN, NONE, I32, I32, I32, 0) \
  X(I32_GE_U, "i32.ge_u", 0, 0x4F, BIN, NONE, I32, I32, I32, 0) \
  X(I64_EQZ, "i64.eqz", 0, 0x50, UN, NONE, I64, NONE, I32, 0) \
  X(I64_EQ, "i64.eq", 0, 0x51, BIN, NONE, I64, I64, I32, 0) \
  X(I64_NE, "i64.ne", 0, 0x52, BIN, NONE, I64, I64, I32, 0) \
  X(I64_LT_S, "i64.lt_s", 0, 0x53, BIN, NONE, I64, I64, I32, 0) \
  X(I64_LT_U, "i64.lt_u", 0, 0x54, BIN, NONE, I64, I64, I32, 0) \
  X(I64_GT_S, "i64.gt_s", 0, 0x55, BIN, NONE, I64, I64, I32, 0) \
  X(I64_GT_U, "i64.gt_u", 0, 0x56, BIN, NONE, I64, I64, I32, 0) \
  X(I64_LE_S, "i64.le_s", 0, 0x57, BIN, NONE, I64, I64, I32, 0) \
  X(I64_LE_U, "i64.le_u", 0, 0x58, BIN, NONE, I64, I64, I32, 0) \
  X(I64_GE_S, "i64.ge_s", 0, 0x59, BIN, NONE, I64, I64, I32, 0) \
  X(I64_GE_U, "i64.ge_u", 0, 0x5A, BIN, NONE, I64, I64, I32, 0) \
  X(F32_EQ, "f32.eq", 0, 0x5B, BIN, NONE, F32, F32, I32, 0) \
  X(F32_NE, "f32.ne", 0, 0x5C, BIN, NONE, F32, F32, I32, 0) \
  X(F32_LT, "f32.lt", 0, 0x5D, BIN, NONE, F32, F32, I32, 0) \
  X(F32_GT, "f32.gt", 0, 0x5E, BIN, NONE, F32, F32, I32, 0) \
  X(F32_LE, "f32.le", 0, 0x5F, BIN, NONE, F32, F32, I32, 0) \
  X(F32_GE, "f32.ge", 0, 0x60, BIN, NONE, F32, F32, I32, 0) \
  X(F64_EQ, "f64.eq", 0, 0x61, BIN, NONE, F64, F64, I32, 0) \
  X(F64_NE, "f64.ne", 0, 0x62, BIN, NONE, F64, F64, I32, 0) \
  X(F64_LT, "f64.lt", 0, 0x63, BIN, NONE, F64, F64, I32, 0) \
  X(F64_GT, "f64.gt", 0, 0x64, BIN, NONE, F64, F64, I32, 0) \
  X(F64_LE, "f64.le", 0, 0x65, BIN, NONE, F64, F64, I32, 0) \
  X(F64_GE, "f64.ge", 0, 0x66, BIN, NONE, F64, F64, I32, 0) \
  X(I32_CLZ, "i32.clz", 0, 0x67, UN, NONE, I32, NONE, I32, 0) \
  X(I32_CTZ, "i32.ctz", 0, 0x68, UN, NONE, I32, NONE, I32, 0) \
  X(I32_POPCNT, "i32.popcnt", 0, 0x69, UN, NONE, I32, NONE, I32, 0) \
  X(I32_ADD, "i32.add", 0, 0x6A, BIN, NONE, I32, I32, I32, 0) \
  X(I32_SUB, "i32.sub", 0, 0x6B, BIN, NONE, I32, I32, I32, 0) \
  X(I32_MUL, "i32.mul", 0, 0x6C, BIN, NONE, I32, I32, I32, 0) \
  X(I32_DIV_S, "i32.div_s", 0, 0x6D, BIN, NONE, I32, I32, I32, 0) \
  X(I32_DIV_U, "i32.div_u", 0, 0x6E, BIN, NONE, I32, I32, I32, 0) \
  X(I32_REM_S, "i32.rem_s", 0, 0x6F, BIN, NONE, I32, I32, I32, 0) \
  X(I32_REM_U, "i32.rem_u", 0, 0x70, BIN, NONE, I32, I32, I32, 0) \
  X(I32_AND, "i32.and", 0, 0x71, BIN, NONE, I32, I32, I32, 0) \
  X(I32_OR, "i32.or", 0, 0x72, BIN, NONE, I32, I32, I32, 0) \
  X(I32_XOR, "i32.xor", 0, 0x73, BIN, NONE, I32, I32, I32, 0) \
  X(I32_SHL, "i32.shl", 0, 0x74, BIN, NONE, I32, I32, I32, 0) \
  X(I32_SHR_S, "i32.shr_s", 0, 0x75, BIN, NONE, I32, I32, I32, 0) \
  X(I32_SHR_U, "i32.shr_u", 0, 0x76, BIN, NONE, I32, I32, I32, 0) \
  X(I32_ROTL, "i32.rotl", 0, 0x77, BIN, NONE, I32, I32, I32, 0) \
  X(I32_ROTR, "i32.rotr", 0, 0x78, BIN, NONE, I32, I32, I32, 0) \
  X(I64_CLZ, "i64.clz", 0, 0x79, UN, NONE, I64, NONE, I64, 0) \
  X(I64_CTZ, "i64.ctz", 0, 0x7A, UN, NONE, I64, NONE, I64, 0) \
  X(I64_POPCNT, "i64.popcnt", 0, 0x7B, UN, NONE, I64, NONE, I64, 0) \
  X(I64_ADD, "i64.add", 0, 0x7C, BIN, NONE, I64, I64, I64, 0) \
  X(I64_SUB, "i64.sub", 0, 0x7D, BIN, NONE, I64, I64, I64, 0) \
  X(I64_MUL, "i64.mul", 0, 0x7E, BIN, NONE, I64, I64, I64, 0) \
  X(I64_DIV_S, "i64.div_s", 0, 0x7F, BIN, NONE, I64, I64, I64, 0) \
  X(I64_DIV_U, "i64.div_u", 0, 0x80, BIN, NONE, I64, I64, I64, 0) \
  X(I64_REM_S, "i64.rem_s", 0, 0x81, BIN, NONE, I64, I64, I64, 0) \
  X(I64_REM_U, "i64.rem_u", 0, 0x82, BIN, NONE, I64, I64, I64, 0) \
  X(I64_AND, "i64.and", 0, 0x83, BIN, NONE, I64, I64, I64, 0) \
  X(I64_OR, "i64.or", 0, 0x84, BIN, NONE, I64, I64, I64, 0) \
  X(I64_XOR, "i64.xor", 0, 0x85, BIN, NONE, I64, I64, I64, 0) \
  X(I64_SHL, "i64.shl", 0, 0x86, BIN, NONE, I64, I64, I64, 0) \
  X(I64_SHR_S, "i64.shr_s", 0, 0x87, BIN, NONE, I64, I64, I64, 0) \
  X(I64_SHR_U, "i64.shr_u", 0, 0x88, BIN, NONE, I64, I64, I64, 0) \
  X(I64_ROTL, "i64.rotl", 0, 0x89, BIN, NONE, I64, I64, I64, 0) \
  X(I64_ROTR, "i64.rotr", 0, 0x8A, BIN, NONE, I64, I64, I64, 0) \
  X(F32_ABS, "f32.abs", 0, 0x8B, UN, NONE, F32, NONE, F32, 0) \
  X(F32_NEG, "f32.neg", 0, 0x8C, UN, NONE, F32, NONE, F32, 0) \
  X(F32_CEIL, "f32.ceil", 0, 0x8D, UN, NONE, F32, NONE, F32, 0) \
  X(F32_FLOOR, "f32.floor", 0, 0x8E, UN, NONE, F32, NONE, F32, 0) \
  X(F32_TRUNC, "f32.trunc", 0, 0x8F, UN, NONE, F32, NONE, F32, 0) \
  X(F32_NEAREST, "f32.nearest", 0, 0x90, UN, NONE, F32, NONE, F32, 0) \
  X(F32_SQRT, "f32.sqrt", 0, 0x91, UN, NONE, F32, NONE, F32, 0) \
  X(F32_ADD, "f32.add", 0, 0x92, BIN, NONE, F32, F32, F32, 0) \
  X(F32_SUB, "f32.sub", 0, 0x93, BIN, NONE, F32, F32, F32, 0) \
  X(F32_MUL, "f32.mul", 0, 0x94, BIN, NONE, F32, F32, F32, 0) \
  X(F32_DIV, "f32.div", 0, 0x95, BIN, NONE, F32, F32, F32, 0) \
  X(F32_MIN, "f32.min", 0, 0x96, BIN, NONE, F32, F32, F32, 0) \
  X(F32_MAX, "f32.max", 0, 0x97, BIN, NONE, F32, F32, F32, 0) \
  X(F32_COPYSIGN, "f32.copysign", 0, 0x98, BIN, NONE, F32, F32, F32, 0) \
  X(F64_ABS, "f64.abs", 0, 0x99, UN, NONE, F64, NONE, F64, 0) \
  X(F64_NEG, "f64.neg", 0, 0x9A, UN, NONE, F64, NONE, F64, 0) \
  X(F64_CEIL, "f64.ceil", 0, 0x9B, UN, NONE, F64, NONE, F64, 0) \
  X(F64_FLOOR, "f64.floor", 0, 0x9C, UN, NONE, F64, NONE, F64, 0) \
  X(F64_TRUNC, "f64.trunc", 0, 0x9D, UN, NONE, F64, NONE, F64, 0) \
  X(F64_NEAREST, "f64.nearest", 0, 0x9E, UN, NONE, F64, NONE, F64, 0) \
  X(F64_SQRT, "f64.sqrt", 0, 0x9F, UN, NONE, F64, NONE, F64, 0) \
  X(F64_ADD, "f64.add", 0, 0xA0, BIN, NONE, F64, F64, F64, 0) \
  X(F64_SUB, "f64.sub", 0, 0xA1, BIN, NONE, F64, F64, F64, 0) \
  X(F64_MUL, "f64.mul", 0, 0xA2, BIN, NONE, F64, F64, F64, 0) \
  X(F64_DIV, "f64.div", 0, 0xA3, BIN, NONE, F64, F64, F64, 0) \
  X(F64_MIN, "f64.min", 0, 0xA4, BIN, NONE, F64, F64, F64, 0) \
  X(F64_MAX, "f64.max", 0, 0xA5, BIN, NONE, F64, F64, F64, 0) \
  X(F64_COPYSIGN, "f64.copysign", 0, 0xA6, BIN, NONE, F64, F64, F64, 0) \
  X(I32_WRAP_I64, "i32.wrap_i64", 0, 0xA7, UN, NONE, I64, NONE, I32, 0) \
  X(I32_TRUNC_F32_S, "i32.trunc_f32_s", 0, 0xA8, UN, NONE, F32, NONE, I32, 0) \
  X(I32_TRUNC_F32_U, "i32.trunc_f32_u", 0, 0xA9, UN, NONE, F32, NONE, I32, 0) \
  X(I32_TRUNC_F64_S, "i32.trunc_f64_s", 0, 0xAA, UN, NONE, F64, NONE, I32, 0) \
  X(I32_TRUNC_F64_U, "i32.trunc_f64_u", 0, 0xAB, UN, NONE, F64, NONE, I32, 0) \
  X(I64_EXTEND_I32_S, "i64.extend_i32_s", 0, 0xAC, UN, NONE, I32, NONE, I64, 0) \
  X(I64_EXTEND_I32_U, "i64.extend_i32_u", 0, 0xAD, UN, NONE, I32, NONE, I64, 0) \
  X(I64_TRUNC_F32_S, "i64.trunc_f32_s", 0, 0xAE, UN, NONE, F32, NONE, I64, 0) \
  X(I64_TRUNC_F32_U, "i64.trunc_f32_u", 0, 0xAF, UN, NONE, F32, NONE, I64, 0) \
  X(I64_TRUNC_F64_S, "i64.trunc_f64_s", 0, 0xB0, UN, NONE, F64, NONE, I64, 0) \
  X(I64_TRUNC_F64_U, "i64.trunc_f64_u", 0, 0xB1, UN, NONE, F64, NONE, I64, 0) \
  X(F32_CONVERT_I32_S, "f32.convert_i32_s", 0, 0xB2, UN, NONE, I32, NONE, F32, 0) \
  X(F32_CONVERT_I32_U, "f32.convert_i32_u", 0, 0xB3, UN, NONE, I32, NONE, F32, 0) \
  X(F32_CONVERT_I64_S, "f32.convert_i64_s", 0, 0xB4, UN, NONE, I64, NONE, F32, 0) \
  X(F32_CONVERT_I64_U, "f32.convert_i64_u", 0, 0xB5, UN, NONE, I64, NONE, F32, 0) \
  X(F32_DEMOTE_F64, "f32.demote_f64", 0, 0xB6, UN, NONE, F64, NONE, F32, 0) \
  X(F64_CONVERT_I32_S, "f64.convert_i32_s", 0, 0xB7, UN, NONE, I32, NONE, F64, 0) \
  X(F64_CONVERT_I32_U, "f64.convert_i32_u", 0, 0xB8, UN, NONE, I32, NONE, F64, 0) \
  X(F64_CONVERT_I64_S, "f64.convert_i64_s", 0, 0xB9, UN, NONE, I64, NONE, F64, 0) \
  X(F64_CONVERT_I64_U, "f64.convert_i64_u", 0, 0xBA, UN, NONE, I64, NONE, F64, 0) \
  X(F64_PROMOTE_F32, "f64.promote_f32", 0, 0xBB, UN, NONE, F32, NONE, F64, 0) \
  X(I32_REINTERPRET_F32, "i32.reinterpret_f32", 0, 0xBC, UN, NONE, F32, NONE, I32, 0) \
  X(I64_REINTERPRET_F64, "i64.reinterpret_f64", 0, 0xBD, UN, NONE, F64, NONE, I64, 0) \
  X(F32_REINTERPRET_I32, "f32.reinterpret_i32", 0, 0xBE, UN, NONE, I32, NONE, F32, 0) \
  X(F64_REINTERPRET_I64, "f64.reinterpret_i64", 0, 0xBF, UN, NONE, I64, NONE, F64, 0) \
  X(I32_EXTEND8_S, "i32.extend8_s", 0, 0xC0, UN, NONE, I32, NONE, I32, 0) \
  X(I32_EXTEND16_S, "i32.extend16_s", 0, 0xC1, UN, NONE, I32, NONE, I32, 0) \
  X(I64_EXTEND8_S, "i64.extend8_s", 0, 0xC2, UN, NONE, I64, NONE, I64, 0) \
  X(I64_EXTEND16_S, "i64.extend16_s", 0, 0xC3, UN, NONE, I64, NONE, I64, 0) \
  X(I64_EXTEND32_S, "i64.extend32_s", 0, 0xC4, UN, NONE, I64, NONE, I64, 0) \
  X(REF_NULL, "ref.null", 0, 0xD0, SPEC, REFTYPE, NONE, NONE, NONE, 0) \
  X(REF_IS_NULL, "ref.is_null", 0, 0xD1, SPEC, NONE, NONE, NONE, NONE, 0) \
  X(REF_FUNC, "ref.func", 0, 0xD2, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(I32_TRUNC_SAT_F32_S, "i32.trunc_sat_f32_s", 0xFC, 0, UN, NONE, F32, NONE, I32, 0) \
  X(I32_TRUNC_SAT_F32_U, "i32.trunc_sat_f32_u", 0xFC, 1, UN, NONE, F32, NONE, I32, 0) \
  X(I32_TRUNC_SAT_F64_S, "i32.trunc_sat_f64_s", 0xFC, 2, UN, NONE, F64, NONE, I32, 0) \
  X(I32_TRUNC_SAT_F64_U, "i32.trunc_sat_f64_u", 0xFC, 3, UN, NONE, F64, NONE, I32, 0) \
  X(I64_TRUNC_SAT_F32_S, "i64.trunc_sat_f32_s", 0xFC, 4, UN, NONE, F32, NONE, I64, 0) \
  X(I64_TRUNC_SAT_F32_U, "i64.trunc_sat_f32_u", 0xFC, 5, UN, NONE, F32, NONE, I64, 0) \
  X(I64_TRUNC_SAT_F64_S, "i64.trunc_sat_f64_s", 0xFC, 6, UN, NONE, F64, NONE, I64, 0) \
  X(I64_TRUNC_SAT_F64_U, "i64.trunc_sat_f64_u", 0xFC, 7, UN, NONE, F64, NONE, I64, 0) \
  X(MEMORY_INIT, "memory.init", 0xFC, 8, SPEC, IDX_ZERO, NONE, NONE, NONE, 0) \
  X(DATA_DROP, "data.drop", 0xFC, 9, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(MEMORY_COPY, "memory.copy", 0xFC, 10, SPEC, ZERO2, NONE, NONE, NONE, 0) \
  X(MEMORY_FILL, "memory.fill", 0xFC, 11, SPEC, ZERO, NONE, NONE, NONE, 0) \
  X(TABLE_INIT, "table.init", 0xFC, 12, SPEC, IDX2, NONE, NONE, NONE, 0) \
  X(ELEM_DROP, "elem.drop", 0xFC, 13, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(TABLE_COPY, "table.copy", 0xFC, 14, SPEC, IDX2, NONE, NONE, NONE, 0) \
  X(TABLE_GROW, "table.grow", 0xFC, 15, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(TABLE_SIZE, "table.size", 0xFC, 16, SPEC, IDX, NONE, NONE, NONE, 0) \
  X(TABLE_FILL, "table.fill", 0xFC, 17, SPEC, IDX, NONE, NONE, NONE, 0)

/* Immediate kinds (the `imm` column). */
typedef enum mw_imm_kind {
  MW_IMM_NONE,
  MW_IMM_BLOCKTYPE, /* s33: 0x40, a valtype, or a type index */
  MW_IMM_IDX,       /* one u32 index */
  MW_IMM_IDX2,      /* two u32 indices */
  MW_IMM_BRTABLE,   /* vec(u32) u32 */
  MW_IMM_SELECTT,   /* vec(valtype) */
  MW_IMM_MEMARG,    /* u32 align, u32 offset */
  MW_IMM_ZERO,      /* one reserved 0x00 byte */
  MW_IMM_ZERO2,     /* two reserved 0x00 bytes */
  MW_IMM_IDX_ZERO,  /* u32 index then a reserved 0x00 byte */
  MW_IMM_I32,       /* s32 */
  MW_IMM_I64,       /* s64 */
  MW_IMM_F32,       /* 4 bytes */
  MW_IMM_F64,       /* 8 bytes */
  MW_IMM_REFTYPE    /* one reftype byte */
} mw_imm_kind;

typedef enum mw_op_kind {
  MW_KIND_SPEC, MW_KIND_UN, MW_KIND_BIN, MW_KIND_LOAD, MW_KIND_STORE
} mw_op_kind;

/* Operand type codes of the t1/t2/tr columns (0 = none). */
#define MW_T_NONE 0
#define MW_T_I32 0x7F
#define MW_T_I64 0x7E
#define MW_T_F32 0x7D
#define MW_T_F64 0x7C

/* Static facts about one wasm opcode, indexed by mw_opcode. */
typedef struct mw_opinfo {
  const char *text;
  unsigned char prefix, code, kind, imm, t1, t2, tr, memsize;
} mw_opinfo;

#endif
