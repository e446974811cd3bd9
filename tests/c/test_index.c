/*
 * test_index.c -- loads and stores that compute their own address
 * (src/runtime/ir_index.h): which accesses compile.c gives the indexed
 * forms (and which it must leave alone), and what they read and write.
 * tests/lua/38_indexed_access_spec.lua covers every access kind and the
 * address edges; expected values here are worked out in the comments.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "wat_run.h"

static const char *const ARRAYS =
    "(module (memory 1)"
    /* 0: a[i] of an i32 array at base b: (i << 2) + b */
    " (func (export \"get\") (param $b i32) (param $i i32) (result i32)"
    "   (i32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))))"
    /* 1: the same into a static array at 256, offset 4 */
    " (func (export \"sget\") (param $i i32) (result i32)"
    "   (i32.load offset=4 (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 256))))"
    /* 2: p[i] of bytes, sign-extended */
    " (func (export \"byte\") (param $p i32) (param $i i32) (result i32)"
    "   (i32.load8_s (i32.add (local.get $p) (local.get $i))))"
    /* 3: a[i] = v */
    " (func (export \"put\") (param $b i32) (param $i i32) (param $v i32)"
    "   (i32.store (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $b)) (local.get $v)))"
    /* 4: f64 s[i] = v at static 512 */
    " (func (export \"fput\") (param $i i32) (param $v f64)"
    "   (f64.store (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 512)) (local.get $v)))"
    /* 5: p[i] = 9: a constant value keeps its immediate store (_KI) */
    " (func (export \"put9\") (param $p i32) (param $i i32)"
    "   (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.const 9)))"
    /* 6: the address used twice (a tee) is computed once, not taken back */
    " (func (export \"twice\") (param $p i32) (param $i i32) (result i32) (local $a i32)"
    "   (i32.add (i32.load8_u (local.tee $a (i32.add (local.get $p) (local.get $i))))"
    "            (local.get $a)))"
    /* 7: the value computed after the address: the store stays plain */
    " (func (export \"putsum\") (param $p i32) (param $i i32) (param $v i32)"
    "   (i32.store (i32.add (local.get $p) (local.get $i))"
    "              (i32.add (local.get $v) (local.get $v))))"
    ")";

static void test_forms(void) {
  run r;
  if (!open_wat(&r, ARRAYS)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_I32_LOAD_XS));
  CHECK(has_op(&r, 1, MW_OP_I32_LOAD_XK));
  CHECK(has_op(&r, 2, MW_OP_I32_LOAD8_S_X));
  CHECK(has_op(&r, 3, MW_OP_I32_STORE_XS));
  CHECK(has_op(&r, 4, MW_OP_F64_STORE_XK));
  CHECK(has_op(&r, 5, MW_OP_I32_STORE8_KI));
  CHECK(!has_op(&r, 5, MW_OP_I32_STORE8_X));
  CHECK(!has_op(&r, 6, MW_OP_I32_LOAD8_U_X));
  CHECK(!has_op(&r, 7, MW_OP_I32_STORE_X));
  close_run(&r);
}

static void test_values(void) {
  run r;
  if (!open_wat(&r, ARRAYS)) return close_run(&r);
  char msg[200];
  mw_val a[3];
  uint8_t *data = r.inst->mem0->data;
  for (int k = 0; k < 64; k++) data[1024 + k] = (uint8_t)(k * 5 + 200);
  /* get(1024, 3): bytes 1036..1039 = 260, 265, 270, 275 mod 256 = 4, 9, 14, 19 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(3);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32, 0x130E0904u);
  /* put(1024, 3, v) then get reads it back; byte 1035 is untouched */
  a[2] = mw_val_i32((int32_t)0xCAFEF00Du);
  call(&r, "put", a, 3, msg, sizeof msg);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32, 0xCAFEF00Du);
  CHECK_EQ_INT(data[1035], (11 * 5 + 200) & 0xFF);
  /* the address wraps: (0x40000000 << 2) + 1024 = 1024 mod 2^32 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(0x40000000);
  CHECK_EQ_INT((uint32_t)call(&r, "get", a, 2, msg, sizeof msg).of.i32,
               (uint32_t)(200 | 205 << 8 | 210 << 16) | (uint32_t)215 << 24);
  /* byte(1024, 2) = 210 as i8 = -46; byte(0xFFFFFFFF, 1025) = data[1024] */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(2);
  CHECK_EQ_INT(call(&r, "byte", a, 2, msg, sizeof msg).of.i32, -46);
  a[0] = mw_val_i32(-1);
  a[1] = mw_val_i32(1025);
  CHECK_EQ_INT(call(&r, "byte", a, 2, msg, sizeof msg).of.i32, 200 - 256);
  /* sget(i) reads 260 + 4i; i = 16383 is 65788, past the end */
  a[0] = mw_val_i32(194); /* 1036: what put wrote */
  CHECK_EQ_INT((uint32_t)call(&r, "sget", a, 1, msg, sizeof msg).of.i32, 0xCAFEF00Du);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(16383);
  call(&r, "sget", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* fput(i, v): 8 bytes at 512 + 8i; i = 8128 is 65536, one past the end */
  a[0] = mw_val_i32(2);
  a[1] = mw_val_f64(-2.5);
  call(&r, "fput", a, 2, msg, sizeof msg);
  double d;
  memcpy(&d, data + 528, sizeof d);
  CHECK(d == -2.5);
  a[0] = mw_val_i32(8127);
  call(&r, "fput", a, 2, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  a[0] = mw_val_i32(8128);
  call(&r, "fput", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* twice(1024, 1) = data[1025] + 1025 = 205 + 1025 */
  a[0] = mw_val_i32(1024);
  a[1] = mw_val_i32(1);
  CHECK_EQ_INT(call(&r, "twice", a, 2, msg, sizeof msg).of.i32, 1230);
  close_run(&r);
}

int main(void) {
  RUN(test_forms);
  RUN(test_values);
  return harness_summary();
}
