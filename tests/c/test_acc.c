/*
 * test_acc.c -- the interpreter's accumulator forms (src/runtime/acc.h):
 * which instructions mwc_acc_pass rewrites (and which it must leave
 * alone), and what compiled functions using the forms compute, traps
 * included.  Expected values are worked out by hand in the comments.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "wat_run.h"

/* ---------------------------------------------------------------- the pass */

/* meta words as compile.c records them (acc.h) */
#define AFTER(p) ((p) + 2)
#define NOPRED 1
#define INSIDE 0

static void test_pass_pairs(void) {
  /* 0: I32_ADD 5 0 1   4: IMM_I32_MUL 6 5 3   8: I32_SUB 7 1 6 */
  uint32_t code[] = {MW_OP_I32_ADD, 5, 0, 1, MW_OP_IMM_I32_MUL, 6, 5, 3,
                     MW_OP_I32_SUB, 7, 1, 6};
  uint32_t meta[] = {NOPRED, INSIDE, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE, INSIDE,
                     AFTER(4), INSIDE, INSIDE, INSIDE};
  mwc_acc_pass(code, meta, 12);
  CHECK_EQ_INT(code[0], MW_OP_I32_ADD);         /* nothing before it */
  CHECK_EQ_INT(code[4], MW_OP_IMM_I32_MUL_A);   /* a (word 2) = 5 = dst */
  CHECK_EQ_INT(code[8], MW_OP_I32_SUB_B);       /* b (word 3) = 6 = dst */
  /* operand words are kept */
  CHECK_EQ_INT(code[6], 5);
  CHECK_EQ_INT(code[11], 6);
}

static void test_pass_leaves_alone(void) {
  /* A jump target (NOPRED) between producer and consumer. */
  uint32_t c1[] = {MW_OP_I32_ADD, 5, 0, 1, MW_OP_I32_EQZ, 6, 5};
  uint32_t m1[] = {NOPRED, INSIDE, INSIDE, INSIDE, NOPRED, INSIDE, INSIDE};
  mwc_acc_pass(c1, m1, 7);
  CHECK_EQ_INT(c1[4], MW_OP_I32_EQZ);
  /* The consumer reads another slot than the producer wrote. */
  uint32_t c2[] = {MW_OP_I32_ADD, 5, 0, 1, MW_OP_I32_EQZ, 6, 4};
  uint32_t m2[] = {NOPRED, INSIDE, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE};
  mwc_acc_pass(c2, m2, 7);
  CHECK_EQ_INT(c2[4], MW_OP_I32_EQZ);
  /* Raw words (a br_table's, exception records: NOPRED each) sit between
   * the two although the consumer names the producer as its predecessor. */
  uint32_t c3[] = {MW_OP_I32_ADD, 5, 0, 1, 77, 78, MW_OP_I32_EQZ, 6, 5};
  uint32_t m3[] = {NOPRED, INSIDE, INSIDE, INSIDE, NOPRED, NOPRED, AFTER(0), INSIDE, INSIDE};
  mwc_acc_pass(c3, m3, 9);
  CHECK_EQ_INT(c3[6], MW_OP_I32_EQZ);
  /* The predecessor is no producer (a division may trap: left out). */
  uint32_t c4[] = {MW_OP_I32_DIV_U, 5, 0, 1, MW_OP_I32_EQZ, 6, 5};
  uint32_t m4[] = {NOPRED, INSIDE, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE};
  mwc_acc_pass(c4, m4, 7);
  CHECK_EQ_INT(c4[4], MW_OP_I32_EQZ);
  /* The consumer has no acc form (GLOBAL_SET). */
  uint32_t c5[] = {MW_OP_I32_ADD, 5, 0, 1, MW_OP_GLOBAL_SET, 0, 5};
  uint32_t m5[] = {NOPRED, INSIDE, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE};
  mwc_acc_pass(c5, m5, 7);
  CHECK_EQ_INT(c5[4], MW_OP_GLOBAL_SET);
  /* A store's address is not taken from acc, only its value. */
  uint32_t c6[] = {MW_OP_I32_ADD, 5, 0, 1, MW_OP_I32_STORE, 5, 2, 0,
                   MW_OP_I32_ADD, 6, 0, 1, MW_OP_I32_STORE, 2, 6, 0};
  uint32_t m6[] = {NOPRED, INSIDE, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE, INSIDE,
                   AFTER(4), INSIDE, INSIDE, INSIDE, AFTER(8), INSIDE, INSIDE, INSIDE};
  mwc_acc_pass(c6, m6, 16);
  CHECK_EQ_INT(c6[4], MW_OP_I32_STORE);
  CHECK_EQ_INT(c6[12], MW_OP_I32_STORE_V);
}

static void test_pass_copies(void) {
  /* 0: I32_CONST 5 k   3: COPY 6 5   6: COPY 7 6   9: I32_LOAD 8 7 0
   * 13: COPY 9 2 (not the load's dst) */
  uint32_t code[] = {MW_OP_I32_CONST, 5, 42, MW_OP_COPY, 6, 5, MW_OP_COPY, 7, 6,
                     MW_OP_I32_LOAD, 8, 7, 0, MW_OP_COPY, 9, 2};
  uint32_t meta[16] = {0};
  meta[0] = NOPRED; meta[3] = AFTER(0); meta[6] = AFTER(3); meta[9] = AFTER(6);
  meta[13] = AFTER(9);
  mwc_acc_pass(code, meta, 16);
  CHECK_EQ_INT(code[3], MW_OP_COPY_A);
  CHECK_EQ_INT(code[6], MW_OP_COPY_A);      /* a copy is a producer too */
  CHECK_EQ_INT(code[9], MW_OP_I32_LOAD_A);
  CHECK_EQ_INT(code[13], MW_OP_COPY);
}

static void test_pass_branches(void) {
  /* 0: IMM_I32_ADD 5 0 1   4: BR_I32_LT_U 1 5 t   8: I64_EQZ 6 2
   * 11: SELECT 7 0 1 6    16: I32_EQZ 8 7    19: JUMP_IF_LOOP 8 0 */
  uint32_t code[] = {MW_OP_IMM_I32_ADD, 5, 0, 1, MW_OP_BR_I32_LT_U, 1, 5, 0,
                     MW_OP_I64_EQZ, 6, 2, MW_OP_SELECT, 7, 0, 1, 6,
                     MW_OP_I32_EQZ, 8, 7, MW_OP_JUMP_IF_LOOP, 8, 0};
  uint32_t meta[22] = {0};
  meta[0] = NOPRED; meta[4] = AFTER(0); meta[8] = NOPRED; meta[11] = AFTER(8);
  meta[16] = AFTER(11); meta[19] = AFTER(16);
  mwc_acc_pass(code, meta, 22);
  CHECK_EQ_INT(code[4], MW_OP_BR_I32_LT_U_B);
  CHECK_EQ_INT(code[11], MW_OP_SELECT_A);
  CHECK_EQ_INT(code[16], MW_OP_I32_EQZ_A);      /* SELECT is a producer */
  CHECK_EQ_INT(code[19], MW_OP_JUMP_IF_LOOP_A);
}

/* ---------------------------------------------------------------- compiled code */

static void test_chains(void) {
  run r;
  if (!open_wat(&r, "(module (memory 1)"
    /* 0: ((x * 3) + 7) ^ (x >> 1), then eqz-select */
    "(func (export \"mix\") (param $x i32) (result i32)"
    "  (i32.xor (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 7))"
    "           (i32.shr_u (local.get $x) (i32.const 1))))"
    /* 1: f64 dot of two 2-vectors at 0 and 16: a*b + c*d */
    "(func (export \"dot\") (result f64)"
    "  (f64.add (f64.mul (f64.load (i32.const 0)) (f64.load (i32.const 8)))"
    "           (f64.mul (f64.load (i32.const 16)) (f64.load (i32.const 24)))))"
    /* 2: store x + 1 at address a, then load it back plus one */
    "(func (export \"st\") (param $a i32) (param $x i32) (result i32)"
    "  (i32.store (local.get $a) (i32.add (local.get $x) (i32.const 1)))"
    "  (i32.add (i32.load (local.get $a)) (i32.const 1)))"
    /* 3: load at a computed address (x * 4): traps past the end */
    "(func (export \"ld\") (param $x i32) (result i32)"
    "  (i32.load (i32.mul (local.get $x) (local.get $x))))"
    /* 4: count n down by 3 while (n - 3) >= 0 signed: the loop test
     *    compares the value just computed */
    "(func (export \"cnt\") (param $n i32) (result i32) (local $k i32)"
    "  (block $out (loop $l"
    "    (br_if $out (i32.lt_s (i32.sub (local.get $n) (i32.const 3)) (i32.const 0)))"
    "    (local.set $n (i32.sub (local.get $n) (i32.const 3)))"
    "    (local.set $k (i32.add (local.get $k) (i32.const 1)))"
    "    (br $l)))"
    "  (local.get $k))"
    /* 5: select on an i64 test computed just before */
    "(func (export \"sel\") (param $x i64) (result i64)"
    "  (select (i64.shr_u (local.get $x) (i64.const 1))"
    "          (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1))"
    "          (i64.eqz (i64.and (local.get $x) (i64.const 1)))))"
    /* 6: an f32 chain: (x + 0.5) * x, the float through acc's low half */
    "(func (export \"f32\") (param $x f32) (result f32)"
    "  (f32.mul (f32.add (local.get $x) (f32.const 0.5)) (local.get $x)))"
    /* 7: -3.0 / sqrt(0.25) = -6: the sqrt takes the load from acc, the
     *    division its right operand */
    "(func (export \"dv\") (result f64)"
    "  (f64.div (f64.load (i32.const 16)) (f64.sqrt (f64.load (i32.const 24)))))"
    /* 8: an if on an i32 computed just before */
    "(func (export \"iff\") (param $x i32) (result i32)"
    "  (if (result i32) (i32.and (local.get $x) (i32.const 4))"
    "    (then (i32.const 10)) (else (i32.const 20))))"
    ")"))
    return close_run(&r);
  char msg[200];
  mw_val a[2];

  /* (ipairs: x * 3 + 7 is one II_ now, and the xor takes the shift's
   * result from acc: IB_..._B) */
  CHECK(has_op(&r, 0, MW_OP_IMM_I32_ADD_A) || has_op(&r, 0, MW_OP_I32_ADD_A) ||
        (has_op(&r, 0, MW_OP_II_I32_MUL__I32_ADD) && has_op(&r, 0, MW_OP_IB_I32_SHR_U__I32_XOR_B)));
  a[0] = mw_val_i32(5); /* (15 + 7) ^ 2 = 22 ^ 2 = 20 */
  CHECK_EQ_INT(call(&r, "mix", a, 1, msg, sizeof msg).of.i32, 20);
  a[0] = mw_val_i32(-1); /* (-3 + 7) ^ 0x7FFFFFFF = 4 ^ 0x7FFFFFFF = 0x7FFFFFFB */
  CHECK_EQ_INT(call(&r, "mix", a, 1, msg, sizeof msg).of.i32, 0x7FFFFFFB);

  /* memory: 1.5, 2.0, -3.0, 0.25 at 0, 8, 16, 24: 3 - 0.75 = 2.25 */
  mw_extern mem;
  CHECK(mw_instance_export(r.inst, "dot", 3, &mem));
  uint8_t *data = r.inst->mem0->data;
  double v[4] = {1.5, 2.0, -3.0, 0.25};
  memcpy(data, v, sizeof v);
  CHECK(has_op(&r, 1, MW_OP_F64_MUL_A) || has_op(&r, 1, MW_OP_F64_MUL_B));
  CHECK(call(&r, "dot", NULL, 0, msg, sizeof msg).of.f64_bits == 0x4002000000000000ull); /* 2.25 */

  CHECK(has_op(&r, 2, MW_OP_I32_STORE_V) || /* or its pair (ir_move.h) */
        has_op(&r, 2, MW_OP_PAIR_I32_STORE_V__I32_LOAD));
  a[0] = mw_val_i32(100);
  a[1] = mw_val_i32(41); /* stores 42, returns 43 */
  CHECK_EQ_INT(call(&r, "st", a, 2, msg, sizeof msg).of.i32, 43);
  CHECK_EQ_INT(data[100], 42);
  a[0] = mw_val_i32(65534); /* 4 bytes at 65534 pass the end */
  call(&r, "st", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);

  CHECK(has_op(&r, 3, MW_OP_I32_LOAD_A));
  a[0] = mw_val_i32(10); /* address 100: the 42 stored above */
  CHECK_EQ_INT(call(&r, "ld", a, 1, msg, sizeof msg).of.i32, 42);
  a[0] = mw_val_i32(256); /* 65536: just past the end */
  call(&r, "ld", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  a[0] = mw_val_i32(65536); /* 2^32 wraps to address 0: 1.5's low bytes = 0 */
  CHECK_EQ_INT(call(&r, "ld", a, 1, msg, sizeof msg).of.i32, 0);

  a[0] = mw_val_i32(10); /* 10 -> 7 -> 4 -> 1: three rounds */
  CHECK_EQ_INT(call(&r, "cnt", a, 1, msg, sizeof msg).of.i32, 3);
  a[0] = mw_val_i32(2);
  CHECK_EQ_INT(call(&r, "cnt", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(9); /* 9 -> 6 -> 3 -> 0 (0 - 3 < 0 stops) */
  CHECK_EQ_INT(call(&r, "cnt", a, 1, msg, sizeof msg).of.i32, 3);
  a[0] = mw_val_i32(-5);
  CHECK_EQ_INT(call(&r, "cnt", a, 1, msg, sizeof msg).of.i32, 0);

  /* (ifuse: the eqz-select is one SELI_I64_EQ now, whose operand is acc's
   * producer's slot) */
  CHECK(has_op(&r, 5, MW_OP_SELECT_A) || has_op(&r, 5, MW_OP_SELI_I64_EQ) ||
        has_op(&r, 5, MW_OP_SELI_I64_EQ_A));
  a[0] = mw_val_i64(6); /* even: 3 */
  CHECK(call(&r, "sel", a, 1, msg, sizeof msg).of.i64 == 3);
  a[0] = mw_val_i64(7); /* odd: 22 */
  CHECK(call(&r, "sel", a, 1, msg, sizeof msg).of.i64 == 22);
  a[0] = mw_val_i64((int64_t)0x8000000000000001ull); /* odd: 3x+1 wraps */
  CHECK(call(&r, "sel", a, 1, msg, sizeof msg).of.i64 == (int64_t)0x8000000000000004ull);

  a[0] = mw_val_f32(1.5f); /* 2 * 1.5 = 3 */
  CHECK_EQ_INT(call(&r, "f32", a, 1, msg, sizeof msg).of.f32_bits, 0x40400000u); /* 3.0 */
  a[0] = mw_val_f32(-0.5f); /* 0 * -0.5 = -0 */
  CHECK_EQ_INT(call(&r, "f32", a, 1, msg, sizeof msg).of.f32_bits, 0x80000000u);

  a[0] = mw_val_i32(12);
  CHECK_EQ_INT(call(&r, "iff", a, 1, msg, sizeof msg).of.i32, 10);
  a[0] = mw_val_i32(11);
  CHECK_EQ_INT(call(&r, "iff", a, 1, msg, sizeof msg).of.i32, 20);

  CHECK(has_op(&r, 7, MW_OP_F64_SQRT_A));
  CHECK(has_op(&r, 7, MW_OP_F64_DIV_B));
  CHECK(call(&r, "dv", NULL, 0, msg, sizeof msg).of.f64_bits == 0xC018000000000000ull); /* -6 */
  close_run(&r);
}

/* Declared locals start at zero on every call (4.4.10), whatever an
 * earlier activation left in the same stack slots: 3 locals (the inline
 * stores) and 12 (memset), each set to non-zero values before recursing. */
static void test_locals_zeroed(void) {
  run r;
  if (!open_wat(&r, "(module"
    /* f(n): returns (sum of its locals on entry) * 1000 + f(n-1) part:
     * each level adds its entry sum, then dirties them and recurses */
    "(func $f (export \"f\") (param $n i32) (result i32) (local $a i32) (local $b i64) (local $c i32)"
    "  (local $s i32)"
    "  (local.set $s (i32.add (i32.add (local.get $a) (i32.wrap_i64 (local.get $b))) (local.get $c)))"
    "  (local.set $a (i32.const 7)) (local.set $b (i64.const 9)) (local.set $c (i32.const 11))"
    "  (if (result i32) (i32.eqz (local.get $n)) (then (local.get $s))"
    "    (else (i32.add (local.get $s) (call $f (i32.sub (local.get $n) (i32.const 1)))))))"
    "(func $g (export \"g\") (param $n i32) (result i32)"
    "  (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (local $s i32) (local $i i32)"
    "  (block $d (loop $l"
    "    (br_if $d (i32.ge_u (local.get $i) (i32.const 13)))"
    "    (local.set $s (i32.add (local.get $s) (local.get 1)))"
    "    (local.set 1 (i32.const 5))"
    "    (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))"
    /* the loop reads local 1 (0 on entry) then sets it: s = 0 + 5 * 12 */
    "  (local.set 2 (i32.const 1)) (local.set 12 (i32.const 3))"
    "  (if (result i32) (i32.eqz (local.get $n)) (then (local.get $s))"
    "    (else (i32.add (local.get $s) (call $g (i32.sub (local.get $n) (i32.const 1)))))))"
    ")"))
    return close_run(&r);
  char msg[200];
  mw_val a[1];
  a[0] = mw_val_i32(10); /* every level sees 0 + 0 + 0 */
  CHECK_EQ_INT(call(&r, "f", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(4); /* 5 levels of 60 */
  CHECK_EQ_INT(call(&r, "g", a, 1, msg, sizeof msg).of.i32, 300);
  close_run(&r);
}

int main(void) {
  RUN(test_locals_zeroed);
  RUN(test_pass_pairs);
  RUN(test_pass_leaves_alone);
  RUN(test_pass_branches);
  RUN(test_pass_copies);
  RUN(test_chains);
  return harness_summary();
}
