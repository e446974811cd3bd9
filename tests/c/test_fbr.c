/*
 * test_fbr.c -- float compare-and-branch (src/runtime/ir_fbr.h): which
 * form compile.c emits for each way a float comparison feeds a branch
 * (br_if, br_if over label copies, if, a back edge, a constant on either
 * side), and what the code computes with NaN operands, where the negation
 * of a comparison is not the opposite comparison.  The functions take the
 * operands' bits (i64 for f64, i32 for f32); expected values are worked
 * out by hand in the comments.  tests/lua/36_float_branch_spec.lua checks
 * every comparison against the spec's semantics.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "wat_run.h"

#define F64(bits) "(f64.reinterpret_i64 (local.get " bits "))"
#define F32(bits) "(f32.reinterpret_i32 (local.get " bits "))"

static const char *const FBR =
    "(module"
    /* 0: br_if to a block: jump if a < b (BR_F64_LT) */
    "(func (export \"br\") (param i64 i64) (result i32) (local f64 f64)"
    "  (local.set 2 " F64("0") ") (local.set 3 " F64("1") ")"
    "  (block (br_if 0 (f64.lt (local.get 2) (local.get 3))) (return (i32.const 0)))"
    "  (i32.const 1))"
    /* 1: if: jump to else if !(a < b) (BR_F64_NLT) */
    "(func (export \"if\") (param i64 i64) (result i32) (local f64 f64)"
    "  (local.set 2 " F64("0") ") (local.set 3 " F64("1") ")"
    "  (if (result i32) (f64.lt (local.get 2) (local.get 3))"
    "    (then (i32.const 1)) (else (i32.const 0))))"
    /* 2: br_if with a value: over the copy if !(a >= b) (BR_F64_NGE) */
    "(func (export \"brv\") (param i64 i64) (result i32) (local f64 f64 i32)"
    "  (local.set 2 " F64("0") ") (local.set 3 " F64("1") ")"
    "  (local.set 4 (i32.wrap_i64 (local.get 0)))"
    "  (block (result i32)"
    "    (drop (br_if 0 (local.get 4) (f64.ge (local.get 2) (local.get 3))))"
    "    (i32.const -1)))"
    /* 3: a constant on the right: if !(a <= 2.5) (BRI_F32_NLE) */
    "(func (export \"ifk\") (param i32) (result i32) (local f32)"
    "  (local.set 1 " F32("0") ")"
    "  (if (result i32) (f32.le (local.get 1) (f32.const 2.5))"
    "    (then (i32.const 1)) (else (i32.const 0))))"
    /* 4: a constant on the left: 2.5 < a is a > 2.5 (BRI_F64_GT) */
    "(func (export \"kbr\") (param i64) (result i32) (local f64)"
    "  (local.set 1 " F64("0") ")"
    "  (block (br_if 0 (f64.lt (f64.const 2.5) (local.get 1))) (return (i32.const 0)))"
    "  (i32.const 1))"
    /* 5: back edges: count x = a, a+1, ... while x < b, at most 100
     *    rounds (BR_F64_LT_LOOP), then while x != 7.5 (BRI_F64_NE_LOOP) */
    "(func (export \"loop\") (param i64 i64) (result i32) (local f64 f64 i32)"
    "  (local.set 2 " F64("0") ") (local.set 3 " F64("1") ")"
    "  (block $out (loop $l"
    "    (local.set 4 (i32.add (local.get 4) (i32.const 1)))"
    "    (br_if $out (i32.ge_u (local.get 4) (i32.const 100)))"
    "    (local.set 2 (f64.add (local.get 2) (f64.const 1)))"
    "    (br_if $l (f64.lt (local.get 2) (local.get 3)))))"
    "  (block $out2 (loop $l2"
    "    (local.set 4 (i32.add (local.get 4) (i32.const 1000)))"
    "    (br_if $out2 (i32.ge_u (local.get 4) (i32.const 100000)))"
    "    (local.set 2 (f64.add (local.get 2) (f64.const 0.5)))"
    "    (br_if $l2 (f64.ne (local.get 2) (f64.const 7.5)))))"
    "  (local.get 4))"
    /* 6: f32 back edge with a constant on the left: 3.0 >= x is x <= 3.0
     *    (BRI_F32_LE_LOOP); x = a + 1, a + 2, ...: counts the rounds */
    "(func (export \"loop32\") (param i32) (result i32) (local f32 i32)"
    "  (local.set 1 " F32("0") ")"
    "  (loop $l"
    "    (local.set 2 (i32.add (local.get 2) (i32.const 1)))"
    "    (local.set 1 (f32.add (local.get 1) (f32.const 1)))"
    "    (br_if $l (f32.ge (f32.const 3) (local.get 1))))"
    "  (local.get 2))"
    ")";

static const uint64_t D_NAN = 0x7FF8000000000000u, D_NNAN = 0xFFF8000000000000u;
static const uint64_t D_1 = 0x3FF0000000000000u, D_2 = 0x4000000000000000u;
static const uint64_t D_25 = 0x4004000000000000u, D_3 = 0x4008000000000000u;
static const uint64_t D_PZ = 0, D_NZ = 0x8000000000000000u;
static const uint64_t D_INF = 0x7FF0000000000000u;

static int32_t call2(run *r, const char *f, uint64_t a, uint64_t b) {
  char msg[200];
  mw_val v[2] = {mw_val_i64((int64_t)a), mw_val_i64((int64_t)b)};
  int32_t res = call(r, f, v, 2, msg, sizeof msg).of.i32;
  CHECK_STR(msg, "");
  return res;
}

static int32_t call1(run *r, const char *f, mw_val v) {
  char msg[200];
  int32_t res = call(r, f, &v, 1, msg, sizeof msg).of.i32;
  CHECK_STR(msg, "");
  return res;
}

static void test_forms(void) {
  run r;
  if (!open_wat(&r, FBR)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_BR_F64_LT));
  CHECK(has_op(&r, 1, MW_OP_BR_F64_NLT));
  CHECK(has_op(&r, 2, MW_OP_BR_F64_NGE));
  CHECK(has_op(&r, 3, MW_OP_BRI_F32_NLE));
  CHECK(has_op(&r, 4, MW_OP_BRI_F64_GT));
  CHECK(has_op(&r, 5, MW_OP_BR_F64_LT_LOOP));
  CHECK(has_op(&r, 5, MW_OP_BRI_F64_NE_LOOP));
  CHECK(has_op(&r, 6, MW_OP_BRI_F32_LE_LOOP));
  /* the comparison is gone: only the branch tests it */
  CHECK(!has_op(&r, 0, MW_OP_F64_LT));
  CHECK(!has_op(&r, 1, MW_OP_JUMP_UNLESS));
  close_run(&r);
}

static void test_values(void) {
  run r;
  if (!open_wat(&r, FBR)) return close_run(&r);
  /* br: a < b */
  CHECK_EQ_INT(call2(&r, "br", D_1, D_2), 1);
  CHECK_EQ_INT(call2(&r, "br", D_2, D_1), 0);
  CHECK_EQ_INT(call2(&r, "br", D_2, D_2), 0);
  CHECK_EQ_INT(call2(&r, "br", D_NZ, D_PZ), 0); /* -0 == +0 */
  CHECK_EQ_INT(call2(&r, "br", D_NAN, D_1), 0);
  CHECK_EQ_INT(call2(&r, "br", D_1, D_NNAN), 0);
  /* if: a < b, false with NaN (a >= b would be false too: the else
   * branch must still be taken) */
  CHECK_EQ_INT(call2(&r, "if", D_1, D_2), 1);
  CHECK_EQ_INT(call2(&r, "if", D_2, D_1), 0);
  CHECK_EQ_INT(call2(&r, "if", D_NAN, D_1), 0);
  CHECK_EQ_INT(call2(&r, "if", D_1, D_NAN), 0);
  CHECK_EQ_INT(call2(&r, "if", D_NZ, D_PZ), 0);
  CHECK_EQ_INT(call2(&r, "if", D_INF | D_NZ, D_INF), 1); /* -inf < inf */
  /* brv: the value (a's low bits) if a >= b, else -1 */
  CHECK_EQ_INT(call2(&r, "brv", D_2, D_1), 0); /* 2.0's low word is 0 */
  CHECK_EQ_INT(call2(&r, "brv", D_1, D_2), -1);
  CHECK_EQ_INT(call2(&r, "brv", D_PZ, D_NZ), 0);
  CHECK_EQ_INT(call2(&r, "brv", D_NAN, D_1), -1);
  CHECK_EQ_INT(call2(&r, "brv", D_1, D_NNAN), -1);
  CHECK_EQ_INT(call2(&r, "brv", D_NAN | 5, D_NAN | 5), -1); /* NaN never >= */
  /* ifk: f32 a <= 2.5 */
  CHECK_EQ_INT(call1(&r, "ifk", mw_val_i32(0x40200000)), 1);  /* 2.5 */
  CHECK_EQ_INT(call1(&r, "ifk", mw_val_i32(0x40400000)), 0);  /* 3.0 */
  CHECK_EQ_INT(call1(&r, "ifk", mw_val_i32(0x7FC00000)), 0);  /* NaN */
  CHECK_EQ_INT(call1(&r, "ifk", mw_val_i32((int32_t)0xFFC00000)), 0); /* -NaN */
  CHECK_EQ_INT(call1(&r, "ifk", mw_val_i32((int32_t)0xFF800000)), 1); /* -inf */
  /* kbr: 2.5 < a */
  CHECK_EQ_INT(call1(&r, "kbr", mw_val_i64((int64_t)D_3)), 1);
  CHECK_EQ_INT(call1(&r, "kbr", mw_val_i64((int64_t)D_25)), 0);
  CHECK_EQ_INT(call1(&r, "kbr", mw_val_i64((int64_t)D_NAN)), 0);
  CHECK_EQ_INT(call1(&r, "kbr", mw_val_i64((int64_t)D_INF)), 1);
  /* loop: from 1 while x < 3: x = 2, 3: 2 rounds; then x = 3.5 .. 7.5
   * in steps of 0.5: 9 rounds of 1000 */
  CHECK_EQ_INT(call2(&r, "loop", D_1, D_3), 9002);
  /* from NaN: the first loop stops after one round (NaN < 3 is false),
   * the second goes round while NaN != 7.5 (true) until the count cap:
   * 1 + 100 * 1000 >= 100000 */
  CHECK_EQ_INT(call2(&r, "loop", D_NAN, D_3), 100001);
  /* loop32: from 0: x = 1, 2, 3 go round, 4 does not: 4 rounds; from
   * 2.5: 3.5: 1 round; from NaN: 1 round; from -0: 4 rounds */
  CHECK_EQ_INT(call1(&r, "loop32", mw_val_i32(0)), 4);
  CHECK_EQ_INT(call1(&r, "loop32", mw_val_i32(0x40200000)), 1);
  CHECK_EQ_INT(call1(&r, "loop32", mw_val_i32(0x7FC00000)), 1);
  CHECK_EQ_INT(call1(&r, "loop32", mw_val_i32((int32_t)0x80000000)), 4);
  close_run(&r);
}

/* Float pairs with a constant (FIB_ forms). */
static const char *const FIB =
    "(module"
    /* 0: 1 / a + b */
    "(func (export \"inv\") (param f64 f64) (result f64)"
    "  (f64.add (f64.div (f64.const 1) (local.get 0)) (local.get 1)))"
    /* 1: b - a * 2.5 */
    "(func (export \"rsub\") (param f64 f64) (result f64)"
    "  (f64.sub (local.get 1) (f64.mul (local.get 0) (f64.const 2.5))))"
    /* 2: (a - 0.5) * b */
    "(func (export \"mul\") (param f64 f64) (result f64)"
    "  (f64.mul (f64.sub (local.get 0) (f64.const 0.5)) (local.get 1)))"
    /* 3: the sum of 1 / k^2 for k = n .. 1 (the bench kernel basel) */
    "(func (export \"basel\") (param i32) (result f64) (local f64 f64)"
    "  (loop $l"
    "    (local.set 2 (f64.convert_i32_u (local.get 0)))"
    "    (local.set 1 (f64.add (f64.div (f64.const 1) (f64.mul (local.get 2) (local.get 2)))"
    "                          (local.get 1)))"
    "    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))"
    "  (local.get 1))"
    ")";

static double callf(run *r, const char *f, double a, double b) {
  char msg[200];
  mw_val v[2] = {mw_val_f64(a), mw_val_f64(b)};
  double res = mw_val_as_f64(call(r, f, v, 2, msg, sizeof msg));
  CHECK_STR(msg, "");
  return res;
}

static void test_fib(void) {
  run r;
  if (!open_wat(&r, FIB)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_FIB_IMMR_F64_DIV__F64_ADD));
  CHECK(has_op(&r, 1, MW_OP_FIB_IMM_F64_MUL__F64_RSUB));
  CHECK(has_op(&r, 2, MW_OP_FIB_IMM_F64_SUB__F64_MUL));
  CHECK(has_op(&r, 3, MW_OP_FIB_IMMR_F64_DIV__F64_ADD));
  CHECK(callf(&r, "inv", 4.0, 1.0) == 1.25);
  CHECK(callf(&r, "inv", -0.0, 1.0) == -INFINITY); /* 1 / -0 */
  CHECK(callf(&r, "inv", 0.0, -INFINITY) != callf(&r, "inv", 0.0, -INFINITY)); /* NaN */
  CHECK(callf(&r, "rsub", 2.0, 1.0) == -4.0);
  CHECK(callf(&r, "mul", 2.5, -2.0) == -4.0);
  CHECK(signbit(callf(&r, "mul", 0.5, -2.0))); /* 0 * -2 is -0 */
  char msg[200];
  mw_val n = mw_val_i32(3); /* 1/9 + 1/4 + 1 */
  CHECK(mw_val_as_f64(call(&r, "basel", &n, 1, msg, sizeof msg)) == (1.0 / 9 + 1.0 / 4) + 1.0);
  close_run(&r);
}

int main(void) {
  RUN(test_forms);
  RUN(test_values);
  RUN(test_fib);
  return harness_summary();
}
