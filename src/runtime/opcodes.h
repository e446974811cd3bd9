/*
 * opcodes.h -- one row per WebAssembly instruction: all of Wasm 3.0 (tail
 * calls, typed function references, GC, exception handling with exnref),
 * fixed-width and relaxed SIMD, and the legacy exception-handling
 * instructions (try, catch, catch_all, rethrow, delegate).
 *
 * X(NAME, text, prefix, code, kind, imm, t1, t2, tr, memsize, feature)
 *   NAME     enum suffix: MW_OP_<NAME> is also the internal opcode
 *   text     the instruction's name in the text format.  Two rows share a
 *            text only where the binary has two encodings of one name:
 *            select / select t*, and ref.test / ref.cast, whose (ref t) and
 *            (ref null t) forms are two opcodes (the _NULL rows)
 *   prefix   0 for one-byte opcodes, else the prefix byte: 0xFB (GC),
 *            0xFC (misc), 0xFD (SIMD)
 *   code     the opcode byte, or the u32 LEB128 sub-opcode after the prefix
 *   kind     how the compiler treats it:
 *              SPEC  control, variable, reference and other special forms
 *              UN    t1 -> tr          BIN  t1 t2 -> tr
 *              LOAD  i32 -> tr         STORE i32 t1 -> ()
 *              NYI   recognised but not implemented: the decoder rejects
 *                    it, naming its feature and byte offset (decode.c)
 *   imm      the immediates that follow the opcode in the binary (mw_imm_kind)
 *   t1,t2,tr operand and result types (NONE where unused).  For NYI rows of
 *            SIMD they already give the shape: v128.bitselect and the
 *            relaxed madd/nmadd/laneselect/dot_add (kind SPEC) take a
 *            third v128
 *   memsize  bytes accessed by loads and stores (natural alignment = log2)
 *   feature  the proposal or version that brings it (mw_op_feature)
 *
 * Rows are in binary order: one-byte opcodes, then 0xFB, 0xFC, 0xFD.
 * The decoder, validator/compiler, interpreter, text parser and
 * disassembler all use this table.
 */
#ifndef MW_OPCODES_H
#define MW_OPCODES_H

#include <stdint.h>

#define MW_OPCODES(X) \
  X(UNREACHABLE, "unreachable", 0, 0x00, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(NOP, "nop", 0, 0x01, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(BLOCK, "block", 0, 0x02, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0, CORE) \
  X(LOOP, "loop", 0, 0x03, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0, CORE) \
  X(IF, "if", 0, 0x04, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0, CORE) \
  X(ELSE, "else", 0, 0x05, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(TRY, "try", 0, 0x06, SPEC, BLOCKTYPE, NONE, NONE, NONE, 0, LEGACY_EXCEPTIONS) \
  X(CATCH, "catch", 0, 0x07, SPEC, IDX, NONE, NONE, NONE, 0, LEGACY_EXCEPTIONS) \
  X(THROW, "throw", 0, 0x08, SPEC, IDX, NONE, NONE, NONE, 0, EXCEPTIONS) \
  X(RETHROW, "rethrow", 0, 0x09, SPEC, IDX, NONE, NONE, NONE, 0, LEGACY_EXCEPTIONS) \
  X(THROW_REF, "throw_ref", 0, 0x0A, SPEC, NONE, NONE, NONE, NONE, 0, EXCEPTIONS) \
  X(END, "end", 0, 0x0B, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(BR, "br", 0, 0x0C, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(BR_IF, "br_if", 0, 0x0D, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(BR_TABLE, "br_table", 0, 0x0E, SPEC, BRTABLE, NONE, NONE, NONE, 0, CORE) \
  X(RETURN, "return", 0, 0x0F, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(CALL, "call", 0, 0x10, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(CALL_INDIRECT, "call_indirect", 0, 0x11, SPEC, IDX2, NONE, NONE, NONE, 0, CORE) \
  X(RETURN_CALL, "return_call", 0, 0x12, SPEC, IDX, NONE, NONE, NONE, 0, TAIL_CALL) \
  X(RETURN_CALL_INDIRECT, "return_call_indirect", 0, 0x13, SPEC, IDX2, NONE, NONE, NONE, 0, TAIL_CALL) \
  X(CALL_REF, "call_ref", 0, 0x14, SPEC, IDX, NONE, NONE, NONE, 0, FUNC_REFS) \
  X(RETURN_CALL_REF, "return_call_ref", 0, 0x15, SPEC, IDX, NONE, NONE, NONE, 0, FUNC_REFS) \
  X(DELEGATE, "delegate", 0, 0x18, SPEC, IDX, NONE, NONE, NONE, 0, LEGACY_EXCEPTIONS) \
  X(CATCH_ALL, "catch_all", 0, 0x19, SPEC, NONE, NONE, NONE, NONE, 0, LEGACY_EXCEPTIONS) \
  X(DROP, "drop", 0, 0x1A, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(SELECT, "select", 0, 0x1B, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(SELECT_T, "select", 0, 0x1C, SPEC, SELECTT, NONE, NONE, NONE, 0, CORE) \
  X(TRY_TABLE, "try_table", 0, 0x1F, SPEC, TRY_TABLE, NONE, NONE, NONE, 0, EXCEPTIONS) \
  X(LOCAL_GET, "local.get", 0, 0x20, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(LOCAL_SET, "local.set", 0, 0x21, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(LOCAL_TEE, "local.tee", 0, 0x22, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(GLOBAL_GET, "global.get", 0, 0x23, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(GLOBAL_SET, "global.set", 0, 0x24, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_GET, "table.get", 0, 0x25, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_SET, "table.set", 0, 0x26, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(I32_LOAD, "i32.load", 0, 0x28, LOAD, MEMARG, NONE, NONE, I32, 4, CORE) \
  X(I64_LOAD, "i64.load", 0, 0x29, LOAD, MEMARG, NONE, NONE, I64, 8, CORE) \
  X(F32_LOAD, "f32.load", 0, 0x2A, LOAD, MEMARG, NONE, NONE, F32, 4, CORE) \
  X(F64_LOAD, "f64.load", 0, 0x2B, LOAD, MEMARG, NONE, NONE, F64, 8, CORE) \
  X(I32_LOAD8_S, "i32.load8_s", 0, 0x2C, LOAD, MEMARG, NONE, NONE, I32, 1, CORE) \
  X(I32_LOAD8_U, "i32.load8_u", 0, 0x2D, LOAD, MEMARG, NONE, NONE, I32, 1, CORE) \
  X(I32_LOAD16_S, "i32.load16_s", 0, 0x2E, LOAD, MEMARG, NONE, NONE, I32, 2, CORE) \
  X(I32_LOAD16_U, "i32.load16_u", 0, 0x2F, LOAD, MEMARG, NONE, NONE, I32, 2, CORE) \
  X(I64_LOAD8_S, "i64.load8_s", 0, 0x30, LOAD, MEMARG, NONE, NONE, I64, 1, CORE) \
  X(I64_LOAD8_U, "i64.load8_u", 0, 0x31, LOAD, MEMARG, NONE, NONE, I64, 1, CORE) \
  X(I64_LOAD16_S, "i64.load16_s", 0, 0x32, LOAD, MEMARG, NONE, NONE, I64, 2, CORE) \
  X(I64_LOAD16_U, "i64.load16_u", 0, 0x33, LOAD, MEMARG, NONE, NONE, I64, 2, CORE) \
  X(I64_LOAD32_S, "i64.load32_s", 0, 0x34, LOAD, MEMARG, NONE, NONE, I64, 4, CORE) \
  X(I64_LOAD32_U, "i64.load32_u", 0, 0x35, LOAD, MEMARG, NONE, NONE, I64, 4, CORE) \
  X(I32_STORE, "i32.store", 0, 0x36, STORE, MEMARG, I32, NONE, NONE, 4, CORE) \
  X(I64_STORE, "i64.store", 0, 0x37, STORE, MEMARG, I64, NONE, NONE, 8, CORE) \
  X(F32_STORE, "f32.store", 0, 0x38, STORE, MEMARG, F32, NONE, NONE, 4, CORE) \
  X(F64_STORE, "f64.store", 0, 0x39, STORE, MEMARG, F64, NONE, NONE, 8, CORE) \
  X(I32_STORE8, "i32.store8", 0, 0x3A, STORE, MEMARG, I32, NONE, NONE, 1, CORE) \
  X(I32_STORE16, "i32.store16", 0, 0x3B, STORE, MEMARG, I32, NONE, NONE, 2, CORE) \
  X(I64_STORE8, "i64.store8", 0, 0x3C, STORE, MEMARG, I64, NONE, NONE, 1, CORE) \
  X(I64_STORE16, "i64.store16", 0, 0x3D, STORE, MEMARG, I64, NONE, NONE, 2, CORE) \
  X(I64_STORE32, "i64.store32", 0, 0x3E, STORE, MEMARG, I64, NONE, NONE, 4, CORE) \
  X(MEMORY_SIZE, "memory.size", 0, 0x3F, SPEC, ZERO, NONE, NONE, NONE, 0, CORE) \
  X(MEMORY_GROW, "memory.grow", 0, 0x40, SPEC, ZERO, NONE, NONE, NONE, 0, CORE) \
  X(I32_CONST, "i32.const", 0, 0x41, SPEC, I32, NONE, NONE, NONE, 0, CORE) \
  X(I64_CONST, "i64.const", 0, 0x42, SPEC, I64, NONE, NONE, NONE, 0, CORE) \
  X(F32_CONST, "f32.const", 0, 0x43, SPEC, F32, NONE, NONE, NONE, 0, CORE) \
  X(F64_CONST, "f64.const", 0, 0x44, SPEC, F64, NONE, NONE, NONE, 0, CORE) \
  X(I32_EQZ, "i32.eqz", 0, 0x45, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I32_EQ, "i32.eq", 0, 0x46, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_NE, "i32.ne", 0, 0x47, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_LT_S, "i32.lt_s", 0, 0x48, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_LT_U, "i32.lt_u", 0, 0x49, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_GT_S, "i32.gt_s", 0, 0x4A, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_GT_U, "i32.gt_u", 0, 0x4B, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_LE_S, "i32.le_s", 0, 0x4C, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_LE_U, "i32.le_u", 0, 0x4D, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_GE_S, "i32.ge_s", 0, 0x4E, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_GE_U, "i32.ge_u", 0, 0x4F, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I64_EQZ, "i64.eqz", 0, 0x50, UN, NONE, I64, NONE, I32, 0, CORE) \
  X(I64_EQ, "i64.eq", 0, 0x51, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_NE, "i64.ne", 0, 0x52, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_LT_S, "i64.lt_s", 0, 0x53, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_LT_U, "i64.lt_u", 0, 0x54, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_GT_S, "i64.gt_s", 0, 0x55, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_GT_U, "i64.gt_u", 0, 0x56, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_LE_S, "i64.le_s", 0, 0x57, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_LE_U, "i64.le_u", 0, 0x58, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_GE_S, "i64.ge_s", 0, 0x59, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(I64_GE_U, "i64.ge_u", 0, 0x5A, BIN, NONE, I64, I64, I32, 0, CORE) \
  X(F32_EQ, "f32.eq", 0, 0x5B, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F32_NE, "f32.ne", 0, 0x5C, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F32_LT, "f32.lt", 0, 0x5D, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F32_GT, "f32.gt", 0, 0x5E, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F32_LE, "f32.le", 0, 0x5F, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F32_GE, "f32.ge", 0, 0x60, BIN, NONE, F32, F32, I32, 0, CORE) \
  X(F64_EQ, "f64.eq", 0, 0x61, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(F64_NE, "f64.ne", 0, 0x62, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(F64_LT, "f64.lt", 0, 0x63, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(F64_GT, "f64.gt", 0, 0x64, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(F64_LE, "f64.le", 0, 0x65, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(F64_GE, "f64.ge", 0, 0x66, BIN, NONE, F64, F64, I32, 0, CORE) \
  X(I32_CLZ, "i32.clz", 0, 0x67, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I32_CTZ, "i32.ctz", 0, 0x68, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I32_POPCNT, "i32.popcnt", 0, 0x69, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I32_ADD, "i32.add", 0, 0x6A, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_SUB, "i32.sub", 0, 0x6B, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_MUL, "i32.mul", 0, 0x6C, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_DIV_S, "i32.div_s", 0, 0x6D, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_DIV_U, "i32.div_u", 0, 0x6E, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_REM_S, "i32.rem_s", 0, 0x6F, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_REM_U, "i32.rem_u", 0, 0x70, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_AND, "i32.and", 0, 0x71, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_OR, "i32.or", 0, 0x72, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_XOR, "i32.xor", 0, 0x73, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_SHL, "i32.shl", 0, 0x74, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_SHR_S, "i32.shr_s", 0, 0x75, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_SHR_U, "i32.shr_u", 0, 0x76, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_ROTL, "i32.rotl", 0, 0x77, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I32_ROTR, "i32.rotr", 0, 0x78, BIN, NONE, I32, I32, I32, 0, CORE) \
  X(I64_CLZ, "i64.clz", 0, 0x79, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(I64_CTZ, "i64.ctz", 0, 0x7A, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(I64_POPCNT, "i64.popcnt", 0, 0x7B, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(I64_ADD, "i64.add", 0, 0x7C, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_SUB, "i64.sub", 0, 0x7D, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_MUL, "i64.mul", 0, 0x7E, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_DIV_S, "i64.div_s", 0, 0x7F, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_DIV_U, "i64.div_u", 0, 0x80, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_REM_S, "i64.rem_s", 0, 0x81, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_REM_U, "i64.rem_u", 0, 0x82, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_AND, "i64.and", 0, 0x83, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_OR, "i64.or", 0, 0x84, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_XOR, "i64.xor", 0, 0x85, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_SHL, "i64.shl", 0, 0x86, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_SHR_S, "i64.shr_s", 0, 0x87, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_SHR_U, "i64.shr_u", 0, 0x88, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_ROTL, "i64.rotl", 0, 0x89, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(I64_ROTR, "i64.rotr", 0, 0x8A, BIN, NONE, I64, I64, I64, 0, CORE) \
  X(F32_ABS, "f32.abs", 0, 0x8B, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_NEG, "f32.neg", 0, 0x8C, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_CEIL, "f32.ceil", 0, 0x8D, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_FLOOR, "f32.floor", 0, 0x8E, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_TRUNC, "f32.trunc", 0, 0x8F, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_NEAREST, "f32.nearest", 0, 0x90, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_SQRT, "f32.sqrt", 0, 0x91, UN, NONE, F32, NONE, F32, 0, CORE) \
  X(F32_ADD, "f32.add", 0, 0x92, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_SUB, "f32.sub", 0, 0x93, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_MUL, "f32.mul", 0, 0x94, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_DIV, "f32.div", 0, 0x95, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_MIN, "f32.min", 0, 0x96, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_MAX, "f32.max", 0, 0x97, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F32_COPYSIGN, "f32.copysign", 0, 0x98, BIN, NONE, F32, F32, F32, 0, CORE) \
  X(F64_ABS, "f64.abs", 0, 0x99, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_NEG, "f64.neg", 0, 0x9A, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_CEIL, "f64.ceil", 0, 0x9B, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_FLOOR, "f64.floor", 0, 0x9C, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_TRUNC, "f64.trunc", 0, 0x9D, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_NEAREST, "f64.nearest", 0, 0x9E, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_SQRT, "f64.sqrt", 0, 0x9F, UN, NONE, F64, NONE, F64, 0, CORE) \
  X(F64_ADD, "f64.add", 0, 0xA0, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_SUB, "f64.sub", 0, 0xA1, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_MUL, "f64.mul", 0, 0xA2, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_DIV, "f64.div", 0, 0xA3, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_MIN, "f64.min", 0, 0xA4, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_MAX, "f64.max", 0, 0xA5, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(F64_COPYSIGN, "f64.copysign", 0, 0xA6, BIN, NONE, F64, F64, F64, 0, CORE) \
  X(I32_WRAP_I64, "i32.wrap_i64", 0, 0xA7, UN, NONE, I64, NONE, I32, 0, CORE) \
  X(I32_TRUNC_F32_S, "i32.trunc_f32_s", 0, 0xA8, UN, NONE, F32, NONE, I32, 0, CORE) \
  X(I32_TRUNC_F32_U, "i32.trunc_f32_u", 0, 0xA9, UN, NONE, F32, NONE, I32, 0, CORE) \
  X(I32_TRUNC_F64_S, "i32.trunc_f64_s", 0, 0xAA, UN, NONE, F64, NONE, I32, 0, CORE) \
  X(I32_TRUNC_F64_U, "i32.trunc_f64_u", 0, 0xAB, UN, NONE, F64, NONE, I32, 0, CORE) \
  X(I64_EXTEND_I32_S, "i64.extend_i32_s", 0, 0xAC, UN, NONE, I32, NONE, I64, 0, CORE) \
  X(I64_EXTEND_I32_U, "i64.extend_i32_u", 0, 0xAD, UN, NONE, I32, NONE, I64, 0, CORE) \
  X(I64_TRUNC_F32_S, "i64.trunc_f32_s", 0, 0xAE, UN, NONE, F32, NONE, I64, 0, CORE) \
  X(I64_TRUNC_F32_U, "i64.trunc_f32_u", 0, 0xAF, UN, NONE, F32, NONE, I64, 0, CORE) \
  X(I64_TRUNC_F64_S, "i64.trunc_f64_s", 0, 0xB0, UN, NONE, F64, NONE, I64, 0, CORE) \
  X(I64_TRUNC_F64_U, "i64.trunc_f64_u", 0, 0xB1, UN, NONE, F64, NONE, I64, 0, CORE) \
  X(F32_CONVERT_I32_S, "f32.convert_i32_s", 0, 0xB2, UN, NONE, I32, NONE, F32, 0, CORE) \
  X(F32_CONVERT_I32_U, "f32.convert_i32_u", 0, 0xB3, UN, NONE, I32, NONE, F32, 0, CORE) \
  X(F32_CONVERT_I64_S, "f32.convert_i64_s", 0, 0xB4, UN, NONE, I64, NONE, F32, 0, CORE) \
  X(F32_CONVERT_I64_U, "f32.convert_i64_u", 0, 0xB5, UN, NONE, I64, NONE, F32, 0, CORE) \
  X(F32_DEMOTE_F64, "f32.demote_f64", 0, 0xB6, UN, NONE, F64, NONE, F32, 0, CORE) \
  X(F64_CONVERT_I32_S, "f64.convert_i32_s", 0, 0xB7, UN, NONE, I32, NONE, F64, 0, CORE) \
  X(F64_CONVERT_I32_U, "f64.convert_i32_u", 0, 0xB8, UN, NONE, I32, NONE, F64, 0, CORE) \
  X(F64_CONVERT_I64_S, "f64.convert_i64_s", 0, 0xB9, UN, NONE, I64, NONE, F64, 0, CORE) \
  X(F64_CONVERT_I64_U, "f64.convert_i64_u", 0, 0xBA, UN, NONE, I64, NONE, F64, 0, CORE) \
  X(F64_PROMOTE_F32, "f64.promote_f32", 0, 0xBB, UN, NONE, F32, NONE, F64, 0, CORE) \
  X(I32_REINTERPRET_F32, "i32.reinterpret_f32", 0, 0xBC, UN, NONE, F32, NONE, I32, 0, CORE) \
  X(I64_REINTERPRET_F64, "i64.reinterpret_f64", 0, 0xBD, UN, NONE, F64, NONE, I64, 0, CORE) \
  X(F32_REINTERPRET_I32, "f32.reinterpret_i32", 0, 0xBE, UN, NONE, I32, NONE, F32, 0, CORE) \
  X(F64_REINTERPRET_I64, "f64.reinterpret_i64", 0, 0xBF, UN, NONE, I64, NONE, F64, 0, CORE) \
  X(I32_EXTEND8_S, "i32.extend8_s", 0, 0xC0, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I32_EXTEND16_S, "i32.extend16_s", 0, 0xC1, UN, NONE, I32, NONE, I32, 0, CORE) \
  X(I64_EXTEND8_S, "i64.extend8_s", 0, 0xC2, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(I64_EXTEND16_S, "i64.extend16_s", 0, 0xC3, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(I64_EXTEND32_S, "i64.extend32_s", 0, 0xC4, UN, NONE, I64, NONE, I64, 0, CORE) \
  X(REF_NULL, "ref.null", 0, 0xD0, SPEC, HEAPTYPE, NONE, NONE, NONE, 0, CORE) \
  X(REF_IS_NULL, "ref.is_null", 0, 0xD1, SPEC, NONE, NONE, NONE, NONE, 0, CORE) \
  X(REF_FUNC, "ref.func", 0, 0xD2, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(REF_EQ, "ref.eq", 0, 0xD3, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(REF_AS_NON_NULL, "ref.as_non_null", 0, 0xD4, SPEC, NONE, NONE, NONE, NONE, 0, FUNC_REFS) \
  X(BR_ON_NULL, "br_on_null", 0, 0xD5, SPEC, IDX, NONE, NONE, NONE, 0, FUNC_REFS) \
  X(BR_ON_NON_NULL, "br_on_non_null", 0, 0xD6, SPEC, IDX, NONE, NONE, NONE, 0, FUNC_REFS) \
  /* GC (0xFB prefix) */ \
  X(STRUCT_NEW, "struct.new", 0xFB, 0x00, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(STRUCT_NEW_DEFAULT, "struct.new_default", 0xFB, 0x01, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(STRUCT_GET, "struct.get", 0xFB, 0x02, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(STRUCT_GET_S, "struct.get_s", 0xFB, 0x03, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(STRUCT_GET_U, "struct.get_u", 0xFB, 0x04, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(STRUCT_SET, "struct.set", 0xFB, 0x05, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_NEW, "array.new", 0xFB, 0x06, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_NEW_DEFAULT, "array.new_default", 0xFB, 0x07, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_NEW_FIXED, "array.new_fixed", 0xFB, 0x08, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_NEW_DATA, "array.new_data", 0xFB, 0x09, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_NEW_ELEM, "array.new_elem", 0xFB, 0x0A, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_GET, "array.get", 0xFB, 0x0B, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_GET_S, "array.get_s", 0xFB, 0x0C, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_GET_U, "array.get_u", 0xFB, 0x0D, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_SET, "array.set", 0xFB, 0x0E, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_LEN, "array.len", 0xFB, 0x0F, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_FILL, "array.fill", 0xFB, 0x10, SPEC, IDX, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_COPY, "array.copy", 0xFB, 0x11, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_INIT_DATA, "array.init_data", 0xFB, 0x12, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(ARRAY_INIT_ELEM, "array.init_elem", 0xFB, 0x13, SPEC, IDX2, NONE, NONE, NONE, 0, GC) \
  X(REF_TEST, "ref.test", 0xFB, 0x14, SPEC, HEAPTYPE, NONE, NONE, NONE, 0, GC) \
  X(REF_TEST_NULL, "ref.test", 0xFB, 0x15, SPEC, HEAPTYPE, NONE, NONE, NONE, 0, GC) \
  X(REF_CAST, "ref.cast", 0xFB, 0x16, SPEC, HEAPTYPE, NONE, NONE, NONE, 0, GC) \
  X(REF_CAST_NULL, "ref.cast", 0xFB, 0x17, SPEC, HEAPTYPE, NONE, NONE, NONE, 0, GC) \
  X(BR_ON_CAST, "br_on_cast", 0xFB, 0x18, SPEC, BR_ON_CAST, NONE, NONE, NONE, 0, GC) \
  X(BR_ON_CAST_FAIL, "br_on_cast_fail", 0xFB, 0x19, SPEC, BR_ON_CAST, NONE, NONE, NONE, 0, GC) \
  X(ANY_CONVERT_EXTERN, "any.convert_extern", 0xFB, 0x1A, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(EXTERN_CONVERT_ANY, "extern.convert_any", 0xFB, 0x1B, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(REF_I31, "ref.i31", 0xFB, 0x1C, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(I31_GET_S, "i31.get_s", 0xFB, 0x1D, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  X(I31_GET_U, "i31.get_u", 0xFB, 0x1E, SPEC, NONE, NONE, NONE, NONE, 0, GC) \
  /* misc (0xFC prefix) */ \
  X(I32_TRUNC_SAT_F32_S, "i32.trunc_sat_f32_s", 0xFC, 0, UN, NONE, F32, NONE, I32, 0, CORE) \
  X(I32_TRUNC_SAT_F32_U, "i32.trunc_sat_f32_u", 0xFC, 1, UN, NONE, F32, NONE, I32, 0, CORE) \
  X(I32_TRUNC_SAT_F64_S, "i32.trunc_sat_f64_s", 0xFC, 2, UN, NONE, F64, NONE, I32, 0, CORE) \
  X(I32_TRUNC_SAT_F64_U, "i32.trunc_sat_f64_u", 0xFC, 3, UN, NONE, F64, NONE, I32, 0, CORE) \
  X(I64_TRUNC_SAT_F32_S, "i64.trunc_sat_f32_s", 0xFC, 4, UN, NONE, F32, NONE, I64, 0, CORE) \
  X(I64_TRUNC_SAT_F32_U, "i64.trunc_sat_f32_u", 0xFC, 5, UN, NONE, F32, NONE, I64, 0, CORE) \
  X(I64_TRUNC_SAT_F64_S, "i64.trunc_sat_f64_s", 0xFC, 6, UN, NONE, F64, NONE, I64, 0, CORE) \
  X(I64_TRUNC_SAT_F64_U, "i64.trunc_sat_f64_u", 0xFC, 7, UN, NONE, F64, NONE, I64, 0, CORE) \
  X(MEMORY_INIT, "memory.init", 0xFC, 8, SPEC, IDX_ZERO, NONE, NONE, NONE, 0, CORE) \
  X(DATA_DROP, "data.drop", 0xFC, 9, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(MEMORY_COPY, "memory.copy", 0xFC, 10, SPEC, ZERO2, NONE, NONE, NONE, 0, CORE) \
  X(MEMORY_FILL, "memory.fill", 0xFC, 11, SPEC, ZERO, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_INIT, "table.init", 0xFC, 12, SPEC, IDX2, NONE, NONE, NONE, 0, CORE) \
  X(ELEM_DROP, "elem.drop", 0xFC, 13, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_COPY, "table.copy", 0xFC, 14, SPEC, IDX2, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_GROW, "table.grow", 0xFC, 15, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_SIZE, "table.size", 0xFC, 16, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  X(TABLE_FILL, "table.fill", 0xFC, 17, SPEC, IDX, NONE, NONE, NONE, 0, CORE) \
  /* fixed-width SIMD (0xFD prefix), then relaxed SIMD from 0x100 */ \
  X(V128_LOAD, "v128.load", 0xFD, 0x00, LOAD, MEMARG, NONE, NONE, V128, 16, SIMD) \
  X(V128_LOAD8X8_S, "v128.load8x8_s", 0xFD, 0x01, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD8X8_U, "v128.load8x8_u", 0xFD, 0x02, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD16X4_S, "v128.load16x4_s", 0xFD, 0x03, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD16X4_U, "v128.load16x4_u", 0xFD, 0x04, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD32X2_S, "v128.load32x2_s", 0xFD, 0x05, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD32X2_U, "v128.load32x2_u", 0xFD, 0x06, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_LOAD8_SPLAT, "v128.load8_splat", 0xFD, 0x07, LOAD, MEMARG, NONE, NONE, V128, 1, SIMD) \
  X(V128_LOAD16_SPLAT, "v128.load16_splat", 0xFD, 0x08, LOAD, MEMARG, NONE, NONE, V128, 2, SIMD) \
  X(V128_LOAD32_SPLAT, "v128.load32_splat", 0xFD, 0x09, LOAD, MEMARG, NONE, NONE, V128, 4, SIMD) \
  X(V128_LOAD64_SPLAT, "v128.load64_splat", 0xFD, 0x0A, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(V128_STORE, "v128.store", 0xFD, 0x0B, STORE, MEMARG, V128, NONE, NONE, 16, SIMD) \
  X(V128_CONST, "v128.const", 0xFD, 0x0C, SPEC, V128, NONE, NONE, V128, 0, SIMD) \
  X(I8X16_SHUFFLE, "i8x16.shuffle", 0xFD, 0x0D, SPEC, SHUFFLE, V128, V128, V128, 0, SIMD) \
  X(I8X16_SWIZZLE, "i8x16.swizzle", 0xFD, 0x0E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_SPLAT, "i8x16.splat", 0xFD, 0x0F, UN, NONE, I32, NONE, V128, 0, SIMD) \
  X(I16X8_SPLAT, "i16x8.splat", 0xFD, 0x10, UN, NONE, I32, NONE, V128, 0, SIMD) \
  X(I32X4_SPLAT, "i32x4.splat", 0xFD, 0x11, UN, NONE, I32, NONE, V128, 0, SIMD) \
  X(I64X2_SPLAT, "i64x2.splat", 0xFD, 0x12, UN, NONE, I64, NONE, V128, 0, SIMD) \
  X(F32X4_SPLAT, "f32x4.splat", 0xFD, 0x13, UN, NONE, F32, NONE, V128, 0, SIMD) \
  X(F64X2_SPLAT, "f64x2.splat", 0xFD, 0x14, UN, NONE, F64, NONE, V128, 0, SIMD) \
  X(I8X16_EXTRACT_LANE_S, "i8x16.extract_lane_s", 0xFD, 0x15, SPEC, LANE, V128, NONE, I32, 0, SIMD) \
  X(I8X16_EXTRACT_LANE_U, "i8x16.extract_lane_u", 0xFD, 0x16, SPEC, LANE, V128, NONE, I32, 0, SIMD) \
  X(I8X16_REPLACE_LANE, "i8x16.replace_lane", 0xFD, 0x17, SPEC, LANE, V128, I32, V128, 0, SIMD) \
  X(I16X8_EXTRACT_LANE_S, "i16x8.extract_lane_s", 0xFD, 0x18, SPEC, LANE, V128, NONE, I32, 0, SIMD) \
  X(I16X8_EXTRACT_LANE_U, "i16x8.extract_lane_u", 0xFD, 0x19, SPEC, LANE, V128, NONE, I32, 0, SIMD) \
  X(I16X8_REPLACE_LANE, "i16x8.replace_lane", 0xFD, 0x1A, SPEC, LANE, V128, I32, V128, 0, SIMD) \
  X(I32X4_EXTRACT_LANE, "i32x4.extract_lane", 0xFD, 0x1B, SPEC, LANE, V128, NONE, I32, 0, SIMD) \
  X(I32X4_REPLACE_LANE, "i32x4.replace_lane", 0xFD, 0x1C, SPEC, LANE, V128, I32, V128, 0, SIMD) \
  X(I64X2_EXTRACT_LANE, "i64x2.extract_lane", 0xFD, 0x1D, SPEC, LANE, V128, NONE, I64, 0, SIMD) \
  X(I64X2_REPLACE_LANE, "i64x2.replace_lane", 0xFD, 0x1E, SPEC, LANE, V128, I64, V128, 0, SIMD) \
  X(F32X4_EXTRACT_LANE, "f32x4.extract_lane", 0xFD, 0x1F, SPEC, LANE, V128, NONE, F32, 0, SIMD) \
  X(F32X4_REPLACE_LANE, "f32x4.replace_lane", 0xFD, 0x20, SPEC, LANE, V128, F32, V128, 0, SIMD) \
  X(F64X2_EXTRACT_LANE, "f64x2.extract_lane", 0xFD, 0x21, SPEC, LANE, V128, NONE, F64, 0, SIMD) \
  X(F64X2_REPLACE_LANE, "f64x2.replace_lane", 0xFD, 0x22, SPEC, LANE, V128, F64, V128, 0, SIMD) \
  X(I8X16_EQ, "i8x16.eq", 0xFD, 0x23, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_NE, "i8x16.ne", 0xFD, 0x24, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_LT_S, "i8x16.lt_s", 0xFD, 0x25, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_LT_U, "i8x16.lt_u", 0xFD, 0x26, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_GT_S, "i8x16.gt_s", 0xFD, 0x27, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_GT_U, "i8x16.gt_u", 0xFD, 0x28, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_LE_S, "i8x16.le_s", 0xFD, 0x29, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_LE_U, "i8x16.le_u", 0xFD, 0x2A, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_GE_S, "i8x16.ge_s", 0xFD, 0x2B, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_GE_U, "i8x16.ge_u", 0xFD, 0x2C, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EQ, "i16x8.eq", 0xFD, 0x2D, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_NE, "i16x8.ne", 0xFD, 0x2E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_LT_S, "i16x8.lt_s", 0xFD, 0x2F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_LT_U, "i16x8.lt_u", 0xFD, 0x30, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_GT_S, "i16x8.gt_s", 0xFD, 0x31, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_GT_U, "i16x8.gt_u", 0xFD, 0x32, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_LE_S, "i16x8.le_s", 0xFD, 0x33, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_LE_U, "i16x8.le_u", 0xFD, 0x34, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_GE_S, "i16x8.ge_s", 0xFD, 0x35, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_GE_U, "i16x8.ge_u", 0xFD, 0x36, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_EQ, "i32x4.eq", 0xFD, 0x37, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_NE, "i32x4.ne", 0xFD, 0x38, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_LT_S, "i32x4.lt_s", 0xFD, 0x39, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_LT_U, "i32x4.lt_u", 0xFD, 0x3A, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_GT_S, "i32x4.gt_s", 0xFD, 0x3B, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_GT_U, "i32x4.gt_u", 0xFD, 0x3C, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_LE_S, "i32x4.le_s", 0xFD, 0x3D, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_LE_U, "i32x4.le_u", 0xFD, 0x3E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_GE_S, "i32x4.ge_s", 0xFD, 0x3F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_GE_U, "i32x4.ge_u", 0xFD, 0x40, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_EQ, "f32x4.eq", 0xFD, 0x41, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_NE, "f32x4.ne", 0xFD, 0x42, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_LT, "f32x4.lt", 0xFD, 0x43, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_GT, "f32x4.gt", 0xFD, 0x44, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_LE, "f32x4.le", 0xFD, 0x45, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_GE, "f32x4.ge", 0xFD, 0x46, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_EQ, "f64x2.eq", 0xFD, 0x47, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_NE, "f64x2.ne", 0xFD, 0x48, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_LT, "f64x2.lt", 0xFD, 0x49, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_GT, "f64x2.gt", 0xFD, 0x4A, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_LE, "f64x2.le", 0xFD, 0x4B, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_GE, "f64x2.ge", 0xFD, 0x4C, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_NOT, "v128.not", 0xFD, 0x4D, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(V128_AND, "v128.and", 0xFD, 0x4E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_ANDNOT, "v128.andnot", 0xFD, 0x4F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_OR, "v128.or", 0xFD, 0x50, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_XOR, "v128.xor", 0xFD, 0x51, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_BITSELECT, "v128.bitselect", 0xFD, 0x52, SPEC, NONE, V128, V128, V128, 0, SIMD) \
  X(V128_ANY_TRUE, "v128.any_true", 0xFD, 0x53, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(V128_LOAD8_LANE, "v128.load8_lane", 0xFD, 0x54, SPEC, MEMARG_LANE, V128, NONE, V128, 1, SIMD) \
  X(V128_LOAD16_LANE, "v128.load16_lane", 0xFD, 0x55, SPEC, MEMARG_LANE, V128, NONE, V128, 2, SIMD) \
  X(V128_LOAD32_LANE, "v128.load32_lane", 0xFD, 0x56, SPEC, MEMARG_LANE, V128, NONE, V128, 4, SIMD) \
  X(V128_LOAD64_LANE, "v128.load64_lane", 0xFD, 0x57, SPEC, MEMARG_LANE, V128, NONE, V128, 8, SIMD) \
  X(V128_STORE8_LANE, "v128.store8_lane", 0xFD, 0x58, SPEC, MEMARG_LANE, V128, NONE, NONE, 1, SIMD) \
  X(V128_STORE16_LANE, "v128.store16_lane", 0xFD, 0x59, SPEC, MEMARG_LANE, V128, NONE, NONE, 2, SIMD) \
  X(V128_STORE32_LANE, "v128.store32_lane", 0xFD, 0x5A, SPEC, MEMARG_LANE, V128, NONE, NONE, 4, SIMD) \
  X(V128_STORE64_LANE, "v128.store64_lane", 0xFD, 0x5B, SPEC, MEMARG_LANE, V128, NONE, NONE, 8, SIMD) \
  X(V128_LOAD32_ZERO, "v128.load32_zero", 0xFD, 0x5C, LOAD, MEMARG, NONE, NONE, V128, 4, SIMD) \
  X(V128_LOAD64_ZERO, "v128.load64_zero", 0xFD, 0x5D, LOAD, MEMARG, NONE, NONE, V128, 8, SIMD) \
  X(F32X4_DEMOTE_F64X2_ZERO, "f32x4.demote_f64x2_zero", 0xFD, 0x5E, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_PROMOTE_LOW_F32X4, "f64x2.promote_low_f32x4", 0xFD, 0x5F, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_ABS, "i8x16.abs", 0xFD, 0x60, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_NEG, "i8x16.neg", 0xFD, 0x61, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_POPCNT, "i8x16.popcnt", 0xFD, 0x62, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_ALL_TRUE, "i8x16.all_true", 0xFD, 0x63, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I8X16_BITMASK, "i8x16.bitmask", 0xFD, 0x64, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I8X16_NARROW_I16X8_S, "i8x16.narrow_i16x8_s", 0xFD, 0x65, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_NARROW_I16X8_U, "i8x16.narrow_i16x8_u", 0xFD, 0x66, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_CEIL, "f32x4.ceil", 0xFD, 0x67, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_FLOOR, "f32x4.floor", 0xFD, 0x68, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_TRUNC, "f32x4.trunc", 0xFD, 0x69, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_NEAREST, "f32x4.nearest", 0xFD, 0x6A, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_SHL, "i8x16.shl", 0xFD, 0x6B, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I8X16_SHR_S, "i8x16.shr_s", 0xFD, 0x6C, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I8X16_SHR_U, "i8x16.shr_u", 0xFD, 0x6D, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I8X16_ADD, "i8x16.add", 0xFD, 0x6E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_ADD_SAT_S, "i8x16.add_sat_s", 0xFD, 0x6F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_ADD_SAT_U, "i8x16.add_sat_u", 0xFD, 0x70, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_SUB, "i8x16.sub", 0xFD, 0x71, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_SUB_SAT_S, "i8x16.sub_sat_s", 0xFD, 0x72, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_SUB_SAT_U, "i8x16.sub_sat_u", 0xFD, 0x73, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_CEIL, "f64x2.ceil", 0xFD, 0x74, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_FLOOR, "f64x2.floor", 0xFD, 0x75, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_MIN_S, "i8x16.min_s", 0xFD, 0x76, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_MIN_U, "i8x16.min_u", 0xFD, 0x77, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_MAX_S, "i8x16.max_s", 0xFD, 0x78, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I8X16_MAX_U, "i8x16.max_u", 0xFD, 0x79, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_TRUNC, "f64x2.trunc", 0xFD, 0x7A, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_AVGR_U, "i8x16.avgr_u", 0xFD, 0x7B, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_S, "i16x8.extadd_pairwise_i8x16_s", 0xFD, 0x7C, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_EXTADD_PAIRWISE_I8X16_U, "i16x8.extadd_pairwise_i8x16_u", 0xFD, 0x7D, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_S, "i32x4.extadd_pairwise_i16x8_s", 0xFD, 0x7E, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_EXTADD_PAIRWISE_I16X8_U, "i32x4.extadd_pairwise_i16x8_u", 0xFD, 0x7F, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_ABS, "i16x8.abs", 0xFD, 0x80, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_NEG, "i16x8.neg", 0xFD, 0x81, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_Q15MULR_SAT_S, "i16x8.q15mulr_sat_s", 0xFD, 0x82, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_ALL_TRUE, "i16x8.all_true", 0xFD, 0x83, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I16X8_BITMASK, "i16x8.bitmask", 0xFD, 0x84, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I16X8_NARROW_I32X4_S, "i16x8.narrow_i32x4_s", 0xFD, 0x85, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_NARROW_I32X4_U, "i16x8.narrow_i32x4_u", 0xFD, 0x86, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTEND_LOW_I8X16_S, "i16x8.extend_low_i8x16_s", 0xFD, 0x87, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_EXTEND_HIGH_I8X16_S, "i16x8.extend_high_i8x16_s", 0xFD, 0x88, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_EXTEND_LOW_I8X16_U, "i16x8.extend_low_i8x16_u", 0xFD, 0x89, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_EXTEND_HIGH_I8X16_U, "i16x8.extend_high_i8x16_u", 0xFD, 0x8A, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_SHL, "i16x8.shl", 0xFD, 0x8B, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I16X8_SHR_S, "i16x8.shr_s", 0xFD, 0x8C, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I16X8_SHR_U, "i16x8.shr_u", 0xFD, 0x8D, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I16X8_ADD, "i16x8.add", 0xFD, 0x8E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_ADD_SAT_S, "i16x8.add_sat_s", 0xFD, 0x8F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_ADD_SAT_U, "i16x8.add_sat_u", 0xFD, 0x90, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_SUB, "i16x8.sub", 0xFD, 0x91, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_SUB_SAT_S, "i16x8.sub_sat_s", 0xFD, 0x92, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_SUB_SAT_U, "i16x8.sub_sat_u", 0xFD, 0x93, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_NEAREST, "f64x2.nearest", 0xFD, 0x94, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I16X8_MUL, "i16x8.mul", 0xFD, 0x95, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_MIN_S, "i16x8.min_s", 0xFD, 0x96, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_MIN_U, "i16x8.min_u", 0xFD, 0x97, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_MAX_S, "i16x8.max_s", 0xFD, 0x98, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_MAX_U, "i16x8.max_u", 0xFD, 0x99, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_AVGR_U, "i16x8.avgr_u", 0xFD, 0x9B, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTMUL_LOW_I8X16_S, "i16x8.extmul_low_i8x16_s", 0xFD, 0x9C, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTMUL_HIGH_I8X16_S, "i16x8.extmul_high_i8x16_s", 0xFD, 0x9D, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTMUL_LOW_I8X16_U, "i16x8.extmul_low_i8x16_u", 0xFD, 0x9E, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I16X8_EXTMUL_HIGH_I8X16_U, "i16x8.extmul_high_i8x16_u", 0xFD, 0x9F, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_ABS, "i32x4.abs", 0xFD, 0xA0, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_NEG, "i32x4.neg", 0xFD, 0xA1, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_ALL_TRUE, "i32x4.all_true", 0xFD, 0xA3, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I32X4_BITMASK, "i32x4.bitmask", 0xFD, 0xA4, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I32X4_EXTEND_LOW_I16X8_S, "i32x4.extend_low_i16x8_s", 0xFD, 0xA7, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_EXTEND_HIGH_I16X8_S, "i32x4.extend_high_i16x8_s", 0xFD, 0xA8, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_EXTEND_LOW_I16X8_U, "i32x4.extend_low_i16x8_u", 0xFD, 0xA9, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_EXTEND_HIGH_I16X8_U, "i32x4.extend_high_i16x8_u", 0xFD, 0xAA, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_SHL, "i32x4.shl", 0xFD, 0xAB, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I32X4_SHR_S, "i32x4.shr_s", 0xFD, 0xAC, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I32X4_SHR_U, "i32x4.shr_u", 0xFD, 0xAD, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I32X4_ADD, "i32x4.add", 0xFD, 0xAE, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_SUB, "i32x4.sub", 0xFD, 0xB1, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_MUL, "i32x4.mul", 0xFD, 0xB5, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_MIN_S, "i32x4.min_s", 0xFD, 0xB6, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_MIN_U, "i32x4.min_u", 0xFD, 0xB7, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_MAX_S, "i32x4.max_s", 0xFD, 0xB8, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_MAX_U, "i32x4.max_u", 0xFD, 0xB9, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_DOT_I16X8_S, "i32x4.dot_i16x8_s", 0xFD, 0xBA, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_EXTMUL_LOW_I16X8_S, "i32x4.extmul_low_i16x8_s", 0xFD, 0xBC, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_EXTMUL_HIGH_I16X8_S, "i32x4.extmul_high_i16x8_s", 0xFD, 0xBD, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_EXTMUL_LOW_I16X8_U, "i32x4.extmul_low_i16x8_u", 0xFD, 0xBE, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_EXTMUL_HIGH_I16X8_U, "i32x4.extmul_high_i16x8_u", 0xFD, 0xBF, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_ABS, "i64x2.abs", 0xFD, 0xC0, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_NEG, "i64x2.neg", 0xFD, 0xC1, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_ALL_TRUE, "i64x2.all_true", 0xFD, 0xC3, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I64X2_BITMASK, "i64x2.bitmask", 0xFD, 0xC4, UN, NONE, V128, NONE, I32, 0, SIMD) \
  X(I64X2_EXTEND_LOW_I32X4_S, "i64x2.extend_low_i32x4_s", 0xFD, 0xC7, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_EXTEND_HIGH_I32X4_S, "i64x2.extend_high_i32x4_s", 0xFD, 0xC8, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_EXTEND_LOW_I32X4_U, "i64x2.extend_low_i32x4_u", 0xFD, 0xC9, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_EXTEND_HIGH_I32X4_U, "i64x2.extend_high_i32x4_u", 0xFD, 0xCA, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I64X2_SHL, "i64x2.shl", 0xFD, 0xCB, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I64X2_SHR_S, "i64x2.shr_s", 0xFD, 0xCC, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I64X2_SHR_U, "i64x2.shr_u", 0xFD, 0xCD, BIN, NONE, V128, I32, V128, 0, SIMD) \
  X(I64X2_ADD, "i64x2.add", 0xFD, 0xCE, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_SUB, "i64x2.sub", 0xFD, 0xD1, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_MUL, "i64x2.mul", 0xFD, 0xD5, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_EQ, "i64x2.eq", 0xFD, 0xD6, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_NE, "i64x2.ne", 0xFD, 0xD7, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_LT_S, "i64x2.lt_s", 0xFD, 0xD8, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_GT_S, "i64x2.gt_s", 0xFD, 0xD9, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_LE_S, "i64x2.le_s", 0xFD, 0xDA, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_GE_S, "i64x2.ge_s", 0xFD, 0xDB, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_EXTMUL_LOW_I32X4_S, "i64x2.extmul_low_i32x4_s", 0xFD, 0xDC, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_EXTMUL_HIGH_I32X4_S, "i64x2.extmul_high_i32x4_s", 0xFD, 0xDD, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_EXTMUL_LOW_I32X4_U, "i64x2.extmul_low_i32x4_u", 0xFD, 0xDE, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I64X2_EXTMUL_HIGH_I32X4_U, "i64x2.extmul_high_i32x4_u", 0xFD, 0xDF, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_ABS, "f32x4.abs", 0xFD, 0xE0, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_NEG, "f32x4.neg", 0xFD, 0xE1, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_SQRT, "f32x4.sqrt", 0xFD, 0xE3, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_ADD, "f32x4.add", 0xFD, 0xE4, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_SUB, "f32x4.sub", 0xFD, 0xE5, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_MUL, "f32x4.mul", 0xFD, 0xE6, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_DIV, "f32x4.div", 0xFD, 0xE7, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_MIN, "f32x4.min", 0xFD, 0xE8, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_MAX, "f32x4.max", 0xFD, 0xE9, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_PMIN, "f32x4.pmin", 0xFD, 0xEA, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F32X4_PMAX, "f32x4.pmax", 0xFD, 0xEB, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_ABS, "f64x2.abs", 0xFD, 0xEC, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_NEG, "f64x2.neg", 0xFD, 0xED, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_SQRT, "f64x2.sqrt", 0xFD, 0xEF, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_ADD, "f64x2.add", 0xFD, 0xF0, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_SUB, "f64x2.sub", 0xFD, 0xF1, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_MUL, "f64x2.mul", 0xFD, 0xF2, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_DIV, "f64x2.div", 0xFD, 0xF3, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_MIN, "f64x2.min", 0xFD, 0xF4, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_MAX, "f64x2.max", 0xFD, 0xF5, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_PMIN, "f64x2.pmin", 0xFD, 0xF6, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(F64X2_PMAX, "f64x2.pmax", 0xFD, 0xF7, BIN, NONE, V128, V128, V128, 0, SIMD) \
  X(I32X4_TRUNC_SAT_F32X4_S, "i32x4.trunc_sat_f32x4_s", 0xFD, 0xF8, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_TRUNC_SAT_F32X4_U, "i32x4.trunc_sat_f32x4_u", 0xFD, 0xF9, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_CONVERT_I32X4_S, "f32x4.convert_i32x4_s", 0xFD, 0xFA, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F32X4_CONVERT_I32X4_U, "f32x4.convert_i32x4_u", 0xFD, 0xFB, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_TRUNC_SAT_F64X2_S_ZERO, "i32x4.trunc_sat_f64x2_s_zero", 0xFD, 0xFC, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I32X4_TRUNC_SAT_F64X2_U_ZERO, "i32x4.trunc_sat_f64x2_u_zero", 0xFD, 0xFD, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_CONVERT_LOW_I32X4_S, "f64x2.convert_low_i32x4_s", 0xFD, 0xFE, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(F64X2_CONVERT_LOW_I32X4_U, "f64x2.convert_low_i32x4_u", 0xFD, 0xFF, UN, NONE, V128, NONE, V128, 0, SIMD) \
  X(I8X16_RELAXED_SWIZZLE, "i8x16.relaxed_swizzle", 0xFD, 0x100, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_TRUNC_F32X4_S, "i32x4.relaxed_trunc_f32x4_s", 0xFD, 0x101, UN, NONE, V128, NONE, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_TRUNC_F32X4_U, "i32x4.relaxed_trunc_f32x4_u", 0xFD, 0x102, UN, NONE, V128, NONE, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_TRUNC_F64X2_S, "i32x4.relaxed_trunc_f64x2_s_zero", 0xFD, 0x103, UN, NONE, V128, NONE, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_TRUNC_F64X2_U, "i32x4.relaxed_trunc_f64x2_u_zero", 0xFD, 0x104, UN, NONE, V128, NONE, V128, 0, RELAXED_SIMD) \
  X(F32X4_RELAXED_MADD, "f32x4.relaxed_madd", 0xFD, 0x105, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F32X4_RELAXED_NMADD, "f32x4.relaxed_nmadd", 0xFD, 0x106, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F64X2_RELAXED_MADD, "f64x2.relaxed_madd", 0xFD, 0x107, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F64X2_RELAXED_NMADD, "f64x2.relaxed_nmadd", 0xFD, 0x108, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I8X16_RELAXED_LANESELECT, "i8x16.relaxed_laneselect", 0xFD, 0x109, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I16X8_RELAXED_LANESELECT, "i16x8.relaxed_laneselect", 0xFD, 0x10A, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_LANESELECT, "i32x4.relaxed_laneselect", 0xFD, 0x10B, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I64X2_RELAXED_LANESELECT, "i64x2.relaxed_laneselect", 0xFD, 0x10C, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F32X4_RELAXED_MIN, "f32x4.relaxed_min", 0xFD, 0x10D, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F32X4_RELAXED_MAX, "f32x4.relaxed_max", 0xFD, 0x10E, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F64X2_RELAXED_MIN, "f64x2.relaxed_min", 0xFD, 0x10F, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(F64X2_RELAXED_MAX, "f64x2.relaxed_max", 0xFD, 0x110, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I16X8_RELAXED_Q15MULR_S, "i16x8.relaxed_q15mulr_s", 0xFD, 0x111, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I16X8_RELAXED_DOT_I8X16_I7X16_S, "i16x8.relaxed_dot_i8x16_i7x16_s", 0xFD, 0x112, BIN, NONE, V128, V128, V128, 0, RELAXED_SIMD) \
  X(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S, "i32x4.relaxed_dot_i8x16_i7x16_add_s", 0xFD, 0x113, SPEC, NONE, V128, V128, V128, 0, RELAXED_SIMD)

/* Immediate kinds (the `imm` column). */
typedef enum mw_imm_kind {
  MW_IMM_NONE,
  MW_IMM_BLOCKTYPE,   /* s33: 0x40, a valtype, or a type index */
  MW_IMM_IDX,         /* one u32 index */
  MW_IMM_IDX2,        /* two u32 indices (struct.get: type, field; ...) */
  MW_IMM_BRTABLE,     /* vec(u32) u32 */
  MW_IMM_SELECTT,     /* vec(valtype) */
  MW_IMM_MEMARG,      /* u32 align, u32 offset */
  MW_IMM_ZERO,        /* one reserved 0x00 byte */
  MW_IMM_ZERO2,       /* two reserved 0x00 bytes */
  MW_IMM_IDX_ZERO,    /* u32 index then a reserved 0x00 byte */
  MW_IMM_I32,         /* s32 */
  MW_IMM_I64,         /* s64 */
  MW_IMM_F32,         /* 4 bytes */
  MW_IMM_F64,         /* 8 bytes */
  MW_IMM_REFTYPE,     /* one reftype byte (no row uses it since ref.null
                         takes a heap type) */
  MW_IMM_LANE,        /* one lane index byte */
  MW_IMM_MEMARG_LANE, /* memarg, then a lane index byte */
  MW_IMM_V128,        /* 16 raw bytes */
  MW_IMM_SHUFFLE,     /* 16 lane index bytes */
  MW_IMM_HEAPTYPE,    /* s33 heap type: an abstract type byte or a type index */
  MW_IMM_BR_ON_CAST,  /* flags byte, u32 label, heap type, heap type */
  MW_IMM_TRY_TABLE    /* blocktype, vec(catch clause) */
} mw_imm_kind;

typedef enum mw_op_kind {
  MW_KIND_SPEC, MW_KIND_UN, MW_KIND_BIN, MW_KIND_LOAD, MW_KIND_STORE,
  MW_KIND_NYI
} mw_op_kind;

/* The `feature` column: where an instruction comes from. */
typedef enum mw_op_feature {
  MW_FEAT_CORE,              /* Wasm 1.0 and 2.0 without SIMD */
  MW_FEAT_SIMD,              /* fixed-width SIMD (Wasm 2.0) */
  MW_FEAT_RELAXED_SIMD,      /* Wasm 3.0 */
  MW_FEAT_TAIL_CALL,         /* Wasm 3.0 */
  MW_FEAT_FUNC_REFS,         /* typed function references, Wasm 3.0 */
  MW_FEAT_GC,                /* Wasm 3.0 */
  MW_FEAT_EXCEPTIONS,        /* exception handling with exnref, Wasm 3.0 */
  MW_FEAT_LEGACY_EXCEPTIONS  /* the first exception-handling proposal */
} mw_op_feature;

/* Operand type codes of the t1/t2/tr columns (0 = none). */
#define MW_T_NONE 0
#define MW_T_I32 0x7F
#define MW_T_I64 0x7E
#define MW_T_F32 0x7D
#define MW_T_F64 0x7C
#define MW_T_V128 0x7B

/* Static facts about one wasm opcode, indexed by mw_opcode. */
typedef struct mw_opinfo {
  const char *text;
  uint16_t code;  /* SIMD sub-opcodes reach 0x113 */
  unsigned char prefix, kind, imm, t1, t2, tr, memsize, feature;
} mw_opinfo;

#endif
