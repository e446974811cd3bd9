/*
 * test_wasm3.c -- the Wasm 3.0 features of issue 11 through the public C
 * API: extended constant expressions, tail calls, multi-memory, memory64;
 * each with its feature switch on (the default) and off (the Wasm 2.0
 * behaviour, with the 2.0 reference interpreter's messages).
 */
#include "harness.h"
#include "moonwasm.h"

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

/* Decode and validate `bytes` with the default features, less `off` and
 * plus `on`; NULL if valid, else the error (the caller frees it). */
static mw_error *check(const uint8_t *bytes, size_t len, uint32_t off, uint32_t on) {
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.features = (cfg.features & ~off) | on;
  mw_module *m = NULL;
  mw_error *err = mw_module_decode(&cfg, bytes, len, &m);
  if (!err) err = mw_module_validate(m);
  mw_module_release(m);
  return err;
}

/* The error message of check(), or "valid". */
static char last_message[256];
static const char *message(const uint8_t *bytes, size_t len, uint32_t off, uint32_t on) {
  mw_error *err = check(bytes, len, off, on);
  snprintf(last_message, sizeof last_message, "%s", err ? mw_error_message(err) : "valid");
  mw_error_free(err);
  return last_message;
}
#define MESSAGE(bytes, off, on) message((bytes), sizeof(bytes), (off), (on))

/* Instantiate `bytes` alone (no imports) in `s`; NULL on any error. */
static mw_instance *instantiate(mw_store *s, const uint8_t *bytes, size_t len) {
  mw_module *m = NULL;
  mw_instance *inst = NULL;
  mw_error *err = mw_module_decode(NULL, bytes, len, &m);
  if (!err) err = mw_instantiate(s, m, &inst);
  if (err) printf("  instantiate: %s\n", mw_error_message(err));
  mw_error_free(err);
  mw_module_release(m);
  return inst;
}

static mw_val global_value(mw_instance *inst, const char *name) {
  mw_extern x;
  mw_val v = mw_val_i32(-12345);
  if (CHECK(mw_instance_export(inst, name, strlen(name), &x)) &&
      CHECK(x.kind == MW_EXTERN_GLOBAL))
    v = mw_global_get(x.of.global);
  return v;
}

/* ---------------------------------------------------------------- extended constant expressions */

/* (global $a i32 (i32.const 7))
 * (global $b i32 (i32.mul (i32.add (global.get $a) (i32.const 3)) (i32.const 5)))
 * (global $c i64 (i64.sub (i64.const 1) (i64.const 2)))
 * exported as "b" and "c". */
static const uint8_t ext_const[] = {
    HDR,
    0x06, 0x19, 0x03,
    0x7F, 0x00, 0x41, 0x07, 0x0B,
    0x7F, 0x00, 0x23, 0x00, 0x41, 0x03, 0x6A, 0x41, 0x05, 0x6C, 0x0B,
    0x7E, 0x00, 0x42, 0x01, 0x42, 0x02, 0x7D, 0x0B,
    0x07, 0x09, 0x02, 0x01, 'b', 0x03, 0x01, 0x01, 'c', 0x03, 0x02,
};

static void test_extended_const_values(void) {
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = instantiate(s, ext_const, sizeof ext_const);
  if (CHECK(inst != NULL)) {
    CHECK_EQ_INT(global_value(inst, "b").of.i32, 50);
    CHECK_EQ_INT(global_value(inst, "c").of.i64, -1);
  }
  mw_store_free(s);
}

static void test_extended_const_switches(void) {
  CHECK_STR(MESSAGE(ext_const, 0, 0), "valid");
  /* Without extended-const the first non-constant instruction is found;
   * global.get of a defined global fails first without Wasm 3.0's rule. */
  CHECK_STR(MESSAGE(ext_const, MW_FEATURE_EXTENDED_CONST, 0), "constant expression required");
  CHECK_STR(MESSAGE(ext_const, MW_FEATURE_CONST_GLOBALS, 0), "unknown global 0");
  CHECK_STR(MESSAGE(ext_const, MW_FEATURE_EXTENDED_CONST | MW_FEATURE_CONST_GLOBALS, 0),
            "unknown global 0");
}

/* global.set of an immutable global: the message of Wasm 3.0's reference,
 * or of Wasm 2.0's without the 3.0 rules for globals. */
static void test_immutable_global_message(void) {
  static const uint8_t set[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                0x03, 0x02, 0x01, 0x00,
                                0x06, 0x06, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B,
                                0x0A, 0x08, 0x01, 0x06, 0x00, 0x41, 0x01, 0x24, 0x00, 0x0B};
  CHECK_STR(MESSAGE(set, 0, 0), "immutable global");
  CHECK_STR(MESSAGE(set, MW_FEATURE_CONST_GLOBALS, 0), "global is immutable");
}

/* i32.add with one operand: a type mismatch, not a crash. */
static void test_extended_const_underflow(void) {
  static const uint8_t bad[] = {HDR, 0x06, 0x07, 0x01, 0x7F, 0x00, 0x41, 0x01, 0x6A, 0x0B};
  CHECK_STR(MESSAGE(bad, 0, 0), "type mismatch");
  static const uint8_t two[] = {HDR, 0x06, 0x08, 0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x01, 0x0B};
  CHECK_STR(MESSAGE(two, 0, 0), "type mismatch");
}

/* ---------------------------------------------------------------- tail calls */

/* (func $f (result i32) (return_call $g (i32.const 5)))
 * (func $g (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))) */
static const uint8_t tail[] = {
    HDR,
    0x01, 0x0A, 0x02, 0x60, 0x00, 0x01, 0x7F, 0x60, 0x01, 0x7F, 0x01, 0x7F,
    0x03, 0x03, 0x02, 0x00, 0x01,
    0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,
    0x0A, 0x10, 0x02,
    0x06, 0x00, 0x41, 0x05, 0x12, 0x01, 0x0B,
    0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x0B,
};

static void test_tail_call(void) {
  CHECK_STR(MESSAGE(tail, 0, 0), "valid");
  /* Off: Wasm 2.0, where 0x12 is an illegal opcode; the message names the
   * instruction, its feature and its offset. */
  CHECK_STR(MESSAGE(tail, MW_FEATURE_TAIL_CALL, 0),
            "illegal opcode (return_call at byte offset 39: tail calls are not enabled)");
  mw_store *s = mw_store_new(NULL);
  mw_instance *inst = instantiate(s, tail, sizeof tail);
  mw_extern x;
  if (CHECK(inst != NULL) && CHECK(mw_instance_export(inst, "f", 1, &x))) {
    mw_val r;
    mw_error *err = mw_func_call(s, x.of.func, NULL, 0, &r, 1);
    CHECK(err == NULL);
    CHECK_EQ_INT(r.of.i32, 6);
    mw_error_free(err);
  }
  mw_store_free(s);
}

/* ---------------------------------------------------------------- multi-memory */

#define TYPE_FUNC 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00
#define MEMORY 0x05, 0x03, 0x01, 0x00, 0x00

static void test_multi_memory_switch(void) {
  static const uint8_t two[] = {HDR, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00};
  CHECK_STR(MESSAGE(two, 0, 0), "valid");
  CHECK_STR(MESSAGE(two, MW_FEATURE_MULTI_MEMORY, 0), "multiple memories");
  /* memory.size 1: a memory index, or in Wasm 2.0 a byte that must be 0 */
  static const uint8_t size1[] = {HDR, TYPE_FUNC, MEMORY,
                                  0x0a, 0x07, 0x01, 0x05, 0x00, 0x3f, 0x01, 0x1a, 0x0b};
  CHECK_STR(MESSAGE(size1, 0, 0), "unknown memory 1");
  CHECK_STR(MESSAGE(size1, MW_FEATURE_MULTI_MEMORY, 0), "zero byte expected");
  /* memory.grow 0x80 0x00: index 0 in two bytes; not a zero byte */
  static const uint8_t grow[] = {HDR, TYPE_FUNC, MEMORY,
                                 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0x40, 0x80, 0x00,
                                 0x1a, 0x0b};
  CHECK_STR(MESSAGE(grow, 0, 0), "valid");
  CHECK_STR(MESSAGE(grow, MW_FEATURE_MULTI_MEMORY, 0), "zero byte expected");
  /* memory.fill 1 */
  static const uint8_t fill[] = {HDR, TYPE_FUNC, MEMORY,
                                 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41,
                                 0x00, 0xfc, 0x0b, 0x01, 0x0b};
  CHECK_STR(MESSAGE(fill, 0, 0), "unknown memory 1");
  CHECK_STR(MESSAGE(fill, MW_FEATURE_MULTI_MEMORY, 0), "zero byte expected");
  /* i32.load with flags 0x40 (a memory index follows: 1) and 0x80 */
  static const uint8_t load1[] = {HDR, TYPE_FUNC, MEMORY,
                                  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0x28, 0x42, 0x01,
                                  0x00, 0x1a, 0x0b};
  CHECK_STR(MESSAGE(load1, 0, 0), "unknown memory 1");
  CHECK_STR(MESSAGE(load1, MW_FEATURE_MULTI_MEMORY, 0),
            "alignment must not be larger than natural");
  static const uint8_t flags80[] = {HDR, TYPE_FUNC, MEMORY,
                                    0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0x28, 0x80, 0x01,
                                    0x00, 0x1a, 0x0b};
  CHECK_STR(MESSAGE(flags80, 0, 0), "malformed memop flags");
}

/* ---------------------------------------------------------------- memory64 */

/* Limits: a u32 LEB128 and a 1-bit flag in Wasm 2.0; a flags byte and u64
 * bounds in Wasm 3.0 (memory64), whose reference says "malformed limits
 * flags" and leaves the bounds to validation. */
static void test_memory64_limits_encoding(void) {
  static const uint8_t six[] = {HDR, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00};
  CHECK_STR(MESSAGE(six, MW_FEATURE_MEMORY64, 0), "integer representation too long");
  CHECK_STR(MESSAGE(six, 0, 0), "valid"); /* 2 pages, in six bytes */
  static const uint8_t unused[] = {HDR, 0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70};
  CHECK_STR(MESSAGE(unused, MW_FEATURE_MEMORY64, 0), "integer too large");
  CHECK_STR(MESSAGE(unused, 0, 0), "memory size must be at most 65536 pages (4GiB)");
  static const uint8_t bit32[] = {HDR, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
  CHECK_STR(MESSAGE(bit32, MW_FEATURE_MEMORY64, 0), "integer too large");
  CHECK_STR(MESSAGE(bit32, 0, 0), "memory size must be at most 65536 pages (4GiB)");
  static const uint8_t flag2[] = {HDR, 0x05, 0x02, 0x01, 0x02};
  CHECK_STR(MESSAGE(flag2, MW_FEATURE_MEMORY64, 0), "integer too large");
  CHECK_STR(MESSAGE(flag2, 0, 0), "malformed limits flags");
  static const uint8_t shared[] = {HDR, 0x05, 0x04, 0x01, 0x03, 0x00, 0x00};
  CHECK_STR(MESSAGE(shared, MW_FEATURE_MEMORY64, 0), "integer too large");
  CHECK_STR(MESSAGE(shared, 0, 0), "malformed limits flags");
  static const uint8_t flag_long[] = {HDR, 0x05, 0x05, 0x01, 0x81, 0x00, 0x00, 0x00};
  CHECK_STR(MESSAGE(flag_long, MW_FEATURE_MEMORY64, 0), "integer representation too long");
  CHECK_STR(MESSAGE(flag_long, 0, 0), "malformed limits flags");
  static const uint8_t table_flag2[] = {HDR, 0x04, 0x03, 0x01, 0x70, 0x02};
  CHECK_STR(MESSAGE(table_flag2, MW_FEATURE_MEMORY64, 0), "integer too large");
  CHECK_STR(MESSAGE(table_flag2, 0, 0), "malformed limits flags");
  /* i64 memory (flags 4) of 2^48 pages at most; an i32 table of 2^32 */
  static const uint8_t mem64[] = {HDR, 0x05, 0x04, 0x01, 0x05, 0x00, 0x01};
  CHECK_STR(MESSAGE(mem64, 0, 0), "valid");
  CHECK_STR(MESSAGE(mem64, MW_FEATURE_MEMORY64, 0), "integer too large");
  static const uint8_t mem64_big[] = {HDR, 0x05, 0x0b, 0x01, 0x04,
                                      0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  CHECK_STR(MESSAGE(mem64_big, 0, 0), "memory size must be at most 2^48 pages (256TiB)");
  static const uint8_t table_big[] = {HDR, 0x04, 0x08, 0x01, 0x70, 0x00,
                                      0x80, 0x80, 0x80, 0x80, 0x10};
  CHECK_STR(MESSAGE(table_big, 0, 0), "table size must be at most 2^32-1");
  /* a memarg offset of six bytes: a u32 in Wasm 2.0 */
  static const uint8_t offset[] = {HDR, TYPE_FUNC, MEMORY,
                                   0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x28, 0x02,
                                   0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b};
  CHECK_STR(MESSAGE(offset, MW_FEATURE_MEMORY64, 0), "integer representation too long");
  /* an i32 memory's offset must fit 32 bits (validation, Wasm 3.0) */
  static const uint8_t offset33[] = {HDR, TYPE_FUNC, MEMORY,
                                     0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x28, 0x02,
                                     0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x0b};
  CHECK_STR(MESSAGE(offset33, 0, 0), "offset out of range");
}

int main(void) {
  RUN(test_extended_const_values);
  RUN(test_extended_const_switches);
  RUN(test_extended_const_underflow);
  RUN(test_immutable_global_message);
  RUN(test_tail_call);
  RUN(test_multi_memory_switch);
  RUN(test_memory64_limits_encoding);
  return harness_summary();
}
