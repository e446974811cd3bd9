/*
 * test_wide.c -- binaries with a constant IMM_ cannot take
 * (src/runtime/ir_wide.h): which ones compile.c gives the IMMD_/IMMW_
 * forms (and which it must leave alone), and what they compute; and
 * constants on the left (IMMR_, or IMM_ with the operands swapped).
 * tests/lua/39_wide_constants_spec.lua covers every operation at the edges.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "wat_run.h"

static const char *const WIDE =
    "(module"
    /* 0: x % 10 */
    " (func (export \"rem10\") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const 10)))"
    /* 1: x / -3 */
    " (func (export \"divm3\") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -3)))"
    /* 2: x * the 64-bit FNV prime */
    " (func (export \"fnv\") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 0x100000001b3)))"
    /* 3: x % 4294967291 */
    " (func (export \"modp\") (param i64) (result i64) (i64.rem_u (local.get 0) (i64.const 4294967291)))"
    /* 4: x - 2^40 */
    " (func (export \"sub40\") (param i64) (result i64) (i64.sub (local.get 0) (i64.const 0x10000000000)))"
    /* 5: x / 0 and 6: x / -1 keep the trapping instruction */
    " (func (export \"div0\") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0)))"
    " (func (export \"divm1\") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const -1)))"
    /* 7: a constant that fits 32 bits keeps IMM_ */
    " (func (export \"mul7\") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 7)))"
    ")";

static void test_forms(void) {
  run r;
  if (!open_wat(&r, WIDE)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_IMMD_I32_REM_U));
  CHECK(has_op(&r, 1, MW_OP_IMMD_I32_DIV_S));
  CHECK(has_op(&r, 2, MW_OP_IMMW_I64_MUL));
  CHECK(has_op(&r, 3, MW_OP_IMMW_I64_REM_U));
  CHECK(has_op(&r, 4, MW_OP_IMMW_I64_ADD));
  CHECK(!has_op(&r, 5, MW_OP_IMMD_I32_DIV_U));
  CHECK(!has_op(&r, 6, MW_OP_IMMW_I64_DIV_S));
  CHECK(has_op(&r, 7, MW_OP_IMM_I64_MUL));
  close_run(&r);
}

static void test_values(void) {
  run r;
  if (!open_wat(&r, WIDE)) return close_run(&r);
  char msg[200];
  mw_val a[1];
  a[0] = mw_val_i32(-1); /* 4294967295 % 10 */
  CHECK_EQ_INT(call(&r, "rem10", a, 1, msg, sizeof msg).of.i32, 5);
  a[0] = mw_val_i32(-10); /* truncates toward zero: 3 */
  CHECK_EQ_INT(call(&r, "divm3", a, 1, msg, sizeof msg).of.i32, 3);
  a[0] = mw_val_i64(-3750763034362895579LL); /* the FNV offset basis; times the prime mod 2^64 */
  CHECK(call(&r, "fnv", a, 1, msg, sizeof msg).of.i64 ==
        (int64_t)(0xcbf29ce484222325ULL * 0x100000001b3ULL));
  a[0] = mw_val_i64(-1); /* 2^64 - 1 mod p: 2^32 = p + 5, so 2^64 = 25 mod p, minus 1 */
  CHECK(call(&r, "modp", a, 1, msg, sizeof msg).of.i64 == 24);
  a[0] = mw_val_i64(5);
  CHECK(call(&r, "sub40", a, 1, msg, sizeof msg).of.i64 == 5 - 0x10000000000LL);
  a[0] = mw_val_i32(9);
  call(&r, "div0", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "integer divide by zero") == 0);
  a[0] = mw_val_i64(INT64_MIN);
  call(&r, "divm1", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "integer overflow") == 0);
  close_run(&r);
}

/* A constant on the left: swapped into IMM_ where that is the same
 * operation, IMMR_ where it is not, the plain form when it is wide. */
static const char *const LEFT =
    "(module"
    /* 0: 0 - x */
    " (func (export \"neg\") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))"
    /* 1: 1 << n */
    " (func (export \"bit\") (param i32) (result i32) (i32.shl (i32.const 1) (local.get 0)))"
    /* 2: 5 + x */
    " (func (export \"add5\") (param i32) (result i32) (i32.add (i32.const 5) (local.get 0)))"
    /* 3: 10 < x as a branch condition: x > 10 */
    " (func (export \"gt10\") (param i32) (result i32)"
    "  (if (result i32) (i32.lt_s (i32.const 10) (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))"
    /* 4: -1 << n on i64 */
    " (func (export \"mask64\") (param i64) (result i64) (i64.shl (i64.const -1) (local.get 0)))"
    /* 5: 2^40 - x: the constant does not fit an immediate */
    " (func (export \"wide\") (param i64) (result i64) (i64.sub (i64.const 0x10000000000) (local.get 0)))"
    ")";

static void test_left(void) {
  run r;
  if (!open_wat(&r, LEFT)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_IMMR_I32_SUB));
  CHECK(has_op(&r, 1, MW_OP_IMMR_I32_SHL));
  CHECK(has_op(&r, 2, MW_OP_IMM_I32_ADD));
  CHECK(has_op(&r, 3, MW_OP_BRI_I32_GT_S) || has_op(&r, 3, MW_OP_BRI_I32_LE_S));
  CHECK(has_op(&r, 4, MW_OP_IMMR_I64_SHL));
  CHECK(!has_op(&r, 5, MW_OP_IMMR_I64_SUB));
  char msg[200];
  mw_val a[1];
  a[0] = mw_val_i32(INT32_MIN); /* wraps to itself */
  CHECK_EQ_INT(call(&r, "neg", a, 1, msg, sizeof msg).of.i32, INT32_MIN);
  a[0] = mw_val_i32(33); /* the count is taken mod 32 */
  CHECK_EQ_INT(call(&r, "bit", a, 1, msg, sizeof msg).of.i32, 2);
  a[0] = mw_val_i32(-5);
  CHECK_EQ_INT(call(&r, "add5", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(11);
  CHECK_EQ_INT(call(&r, "gt10", a, 1, msg, sizeof msg).of.i32, 1);
  a[0] = mw_val_i32(10);
  CHECK_EQ_INT(call(&r, "gt10", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i64(68); /* mod 64: 4 */
  CHECK(call(&r, "mask64", a, 1, msg, sizeof msg).of.i64 == -16);
  a[0] = mw_val_i64(1);
  CHECK(call(&r, "wide", a, 1, msg, sizeof msg).of.i64 == 0xFFFFFFFFFFLL);
  close_run(&r);
}

int main(void) {
  RUN(test_forms);
  RUN(test_values);
  RUN(test_left);
  return harness_summary();
}
