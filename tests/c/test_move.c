/*
 * test_move.c -- instruction pairs (src/runtime/ir_move.h): which
 * instructions mwc_move_pass pairs (and which it must leave alone), and
 * what compiled functions made of pairs compute: copies that read the
 * local another copy overwrites, a jump that lands on the second of a
 * pair, traps in the first.  Expected values are worked out by hand in
 * the comments.
 *
 * Uses tests/c/harness.h: the output ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "internal.h"
#include "numeric.h"
#include "wat_run.h"

/* ---------------------------------------------------------------- the pass */

/* meta words as compile.c records them (acc.h, ir_move.h) */
#define AFTER(p) ((p) + 2)
#define NOPRED 1
#define INSIDE 0
#define RAW MWC_META_RAW

static void test_pass_pairs(void) {
  /* 0: COPY 5 1   3: COPY 6 5   6: JUMP_IF_LOOP 6 0   9: JUMP 0 */
  uint32_t code[] = {MW_OP_COPY, 5, 1, MW_OP_COPY, 6, 5, MW_OP_JUMP_IF_LOOP, 6, 0,
                     MW_OP_JUMP, 0};
  uint32_t meta[] = {NOPRED, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE, AFTER(3), INSIDE,
                     INSIDE, AFTER(6), INSIDE};
  mwc_move_pass(code, meta, 11);
  CHECK_EQ_INT(code[0], MW_OP_PAIR_COPY__COPY);
  CHECK_EQ_INT(code[3], MW_OP_PAIR_COPY__JUMP_IF_LOOP); /* chains: each its pair */
  CHECK_EQ_INT(code[6], MW_OP_JUMP_IF_LOOP);            /* a branch is no first */
  /* operand words are kept */
  CHECK_EQ_INT(code[1], 5);
  CHECK_EQ_INT(code[2], 1);
  CHECK_EQ_INT(code[7], 6);
}

static void test_pass_label_between(void) {
  /* The second is a jump target (NOPRED): it keeps its own opcode, so the
   * pair is still made.  0: I32_LOAD 5 1 8   4: I32_STORE_V 2 5 0 */
  uint32_t code[] = {MW_OP_I32_LOAD, 5, 1, 8, MW_OP_I32_STORE, 2, 5, 0};
  uint32_t meta[] = {NOPRED, INSIDE, INSIDE, INSIDE, NOPRED, INSIDE, INSIDE, INSIDE};
  mwc_move_pass(code, meta, 8);
  CHECK_EQ_INT(code[0], MW_OP_PAIR_I32_LOAD__I32_STORE);
  CHECK_EQ_INT(code[4], MW_OP_I32_STORE);
}

static void test_pass_leaves_alone(void) {
  /* Raw words (a br_table's targets) whose values are a first and a
   * second: never rewritten. */
  uint32_t c1[] = {MW_OP_BR_TABLE, 1, 1, MW_OP_COPY, MW_OP_COPY, MW_OP_COPY, 7};
  uint32_t m1[] = {RAW, RAW, RAW, RAW, RAW, RAW, RAW};
  mwc_move_pass(c1, m1, 7);
  CHECK_EQ_INT(c1[3], MW_OP_COPY);
  CHECK_EQ_INT(c1[4], MW_OP_COPY);
  /* A first followed by raw words. */
  uint32_t c2[] = {MW_OP_COPY, 5, 1, MW_OP_COPY, 6};
  uint32_t m2[] = {NOPRED, INSIDE, INSIDE, RAW, RAW};
  mwc_move_pass(c2, m2, 5);
  CHECK_EQ_INT(c2[0], MW_OP_COPY);
  /* The second has no pair with it (GLOBAL_SET). */
  uint32_t c3[] = {MW_OP_COPY, 5, 1, MW_OP_GLOBAL_SET, 0, 5};
  uint32_t m3[] = {NOPRED, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE};
  mwc_move_pass(c3, m3, 6);
  CHECK_EQ_INT(c3[0], MW_OP_COPY);
  /* The first is the last instruction: nothing after it to pair with. */
  uint32_t c4[] = {MW_OP_JUMP, 0, MW_OP_COPY, 5, 1};
  uint32_t m4[] = {NOPRED, INSIDE, NOPRED, INSIDE, INSIDE};
  mwc_move_pass(c4, m4, 5);
  CHECK_EQ_INT(c4[2], MW_OP_COPY);
  /* A word inside an instruction (an operand equal to COPY) is no first. */
  uint32_t c5[] = {MW_OP_I32_CONST, 5, MW_OP_COPY, MW_OP_COPY, 6, 5};
  uint32_t m5[] = {NOPRED, INSIDE, INSIDE, AFTER(0), INSIDE, INSIDE};
  mwc_move_pass(c5, m5, 6);
  CHECK_EQ_INT(c5[0], MW_OP_PAIR_I32_CONST__COPY);
  CHECK_EQ_INT(c5[2], MW_OP_COPY);
}

/* ---------------------------------------------------------------- compiled code */

/* Whether defined function `di` has any pair in its code. */
static bool has_pair(const run *r, uint32_t di) {
  for (uint32_t op = MW_OP_PAIR_COPY__COPY; op <= MW_OP_PAIR_I32_STORE_V__ADDBRI_I32_NE_LOOP; op++)
    if (has_op(r, di, op)) return true;
  return false;
}

static const char *const LISTS =
    "(module (memory 1)"
    /* 0: link nodes 16, 32, .., 16n: node k points to node k+1, the
     *    last to 0; returns the head (16) */
    "(func (export \"build\") (param $n i32) (result i32) (local $k i32)"
    "  (block $d (loop $l"
    "    (br_if $d (i32.ge_u (local.get $k) (local.get $n)))"
    "    (local.set $k (i32.add (local.get $k) (i32.const 1)))"
    "    (i32.store (i32.shl (local.get $k) (i32.const 4))"
    "      (select (i32.const 0) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 4))"
    "              (i32.eq (local.get $k) (local.get $n))))"
    "    (br $l)))"
    "  (i32.const 16))"
    /* 1: reverse the list at l in place; returns the new head */
    "(func (export \"rev\") (param $l i32) (result i32) (local $r i32) (local $n i32)"
    "  (block $done (br_if $done (i32.eqz (local.get $l)))"
    "    (loop $lp"
    "      (local.set $n (i32.load (local.get $l)))"
    "      (i32.store (local.get $l) (local.get $r))"
    "      (local.set $r (local.get $l))"
    "      (local.set $l (local.get $n))"
    "      (br_if $lp (local.get $l))))"
    "  (local.get $r))"
    /* 2: the number of nodes from p on (p itself counted) */
    "(func (export \"walk\") (param $p i32) (result i32) (local $c i32)"
    "  (loop $lp (local.set $c (i32.add (local.get $c) (i32.const 1)))"
    "    (br_if $lp (local.tee $p (i32.load (local.get $p)))))"
    "  (local.get $c))"
    /* 3: iterative fib through a temporary: copies reading the local
     *    the next copy overwrites */
    "(func (export \"fib\") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)"
    "  (local.set $b (i32.const 1))"
    "  (block $d (loop $l (br_if $d (i32.eqz (local.get $n)))"
    "    (local.set $t (local.get $b))"
    "    (local.set $b (i32.add (local.get $a) (local.get $b)))"
    "    (local.set $a (local.get $t))"
    "    (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
    "    (br $l)))"
    "  (local.get $a))"
    /* 4: swap through the operand stack: a = b and b = a in one go */
    "(func (export \"swap\") (param $a i32) (param $b i32) (result i32)"
    "  (local.get $a) (local.get $b) (local.set $a) (local.set $b)"
    "  (i32.add (i32.mul (local.get $a) (i32.const 1000)) (local.get $b)))"
    /* 5: the loop header is the second of a pair (copy, then the
     *    constant address of the store) */
    "(func (export \"steps\") (param $x i32) (result i32) (local $y i32) (local $k i32)"
    "  (local.set $y (local.get $x))"
    "  (loop $l"
    "    (i32.store (i32.const 0) (local.get $y))"
    "    (local.set $k (i32.add (local.get $k) (i32.const 1)))"
    "    (local.set $y (i32.add (i32.load (i32.const 0)) (i32.const 3)))"
    "    (br_if $l (i32.lt_u (local.get $y) (i32.const 100))))"
    "  (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $y)))"
    /* 6: a store, then copies of its value */
    "(func (export \"stc\") (param $a i32) (param $v i32) (result i32) (local $w i32)"
    "  (i32.store (local.get $a) (local.get $v))"
    "  (local.set $w (local.get $v))"
    "  (local.get $w))"
    ")";

static void test_lists(void) {
  run r;
  if (!open_wat(&r, LISTS)) return close_run(&r);
  char msg[200];
  mw_val a[2];
  uint8_t *data = r.inst->mem0->data;
  a[0] = mw_val_i32(5); /* nodes 16 .. 80 */
  CHECK_EQ_INT(call(&r, "build", a, 1, msg, sizeof msg).of.i32, 16);
  CHECK(has_pair(&r, 2));
  CHECK(has_op(&r, 1, MW_OP_PAIR_I32_LOAD__I32_STORE));
  CHECK(has_op(&r, 1, MW_OP_PAIR_I32_STORE__COPY));
  a[0] = mw_val_i32(16);
  CHECK_EQ_INT(call(&r, "walk", a, 1, msg, sizeof msg).of.i32, 5);
  a[0] = mw_val_i32(48); /* 48, 64, 80 */
  CHECK_EQ_INT(call(&r, "walk", a, 1, msg, sizeof msg).of.i32, 3);
  a[0] = mw_val_i32(16); /* 80 -> 64 -> 48 -> 32 -> 16 -> 0 */
  CHECK_EQ_INT(call(&r, "rev", a, 1, msg, sizeof msg).of.i32, 80);
  CHECK_EQ_INT(data[80], 64);
  CHECK_EQ_INT(data[16], 0);
  a[0] = mw_val_i32(80);
  CHECK_EQ_INT(call(&r, "walk", a, 1, msg, sizeof msg).of.i32, 5);
  a[0] = mw_val_i32(0); /* an empty list */
  CHECK_EQ_INT(call(&r, "rev", a, 1, msg, sizeof msg).of.i32, 0);
  /* traps in the load of a pair: the node at 96 points to 65534, whose
   * 4 bytes pass the end */
  uint32_t bad = 65534;
  memcpy(data + 96, &bad, 4);
  a[0] = mw_val_i32(96);
  call(&r, "walk", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  a[0] = mw_val_i32(96); /* rev: stores 0 at 96, moves on, the load traps */
  call(&r, "rev", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  CHECK_EQ_INT(data[96], 0);
  a[0] = mw_val_i32(65536);
  call(&r, "walk", a, 1, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  close_run(&r);
}

static void test_copies(void) {
  run r;
  if (!open_wat(&r, LISTS)) return close_run(&r);
  char msg[200];
  mw_val a[2];
  uint8_t *data = r.inst->mem0->data;
  CHECK(has_pair(&r, 3));
  a[0] = mw_val_i32(0);
  CHECK_EQ_INT(call(&r, "fib", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(1);
  CHECK_EQ_INT(call(&r, "fib", a, 1, msg, sizeof msg).of.i32, 1);
  a[0] = mw_val_i32(10);
  CHECK_EQ_INT(call(&r, "fib", a, 1, msg, sizeof msg).of.i32, 55);
  a[0] = mw_val_i32(30);
  CHECK_EQ_INT(call(&r, "fib", a, 1, msg, sizeof msg).of.i32, 832040);
  CHECK(has_pair(&r, 4));
  a[0] = mw_val_i32(7);
  a[1] = mw_val_i32(9); /* a = 9, b = 7 */
  CHECK_EQ_INT(call(&r, "swap", a, 2, msg, sizeof msg).of.i32, 9007);
  CHECK(has_op(&r, 5, MW_OP_PAIR_COPY__I32_CONST));
  a[0] = mw_val_i32(1); /* y = 1, 4, .., 97: 33 rounds, y ends at 100 */
  CHECK_EQ_INT(call(&r, "steps", a, 1, msg, sizeof msg).of.i32, 33100);
  a[0] = mw_val_i32(200); /* one round */
  CHECK_EQ_INT(call(&r, "steps", a, 1, msg, sizeof msg).of.i32, 1203);
  CHECK(has_op(&r, 6, MW_OP_PAIR_I32_STORE__COPY));
  a[0] = mw_val_i32(8);
  a[1] = mw_val_i32(77);
  CHECK_EQ_INT(call(&r, "stc", a, 2, msg, sizeof msg).of.i32, 77);
  CHECK_EQ_INT(data[8], 77);
  a[0] = mw_val_i32(65533); /* the store of the pair traps */
  call(&r, "stc", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  close_run(&r);
}

/* ---------------------------------------------------------------- single pairs */

/* ir_move.h MW_MOVE_SINGLES: each function below makes the pairs listed
 * for it (tests/lua/37_coremark_fusions_spec.lua has the same module and
 * checks the values). */
static const char *const SINGLES =
    "(module (memory 1)"
    "  (func (export \"andeq\") (param $y i32) (param $n i32) (result i32) (local $i i32) (local $c i32)"
    "    (block $d (loop $l"
    "      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))"
    "      (block $no"
    "        (br_if $no (i32.eq (local.get $y) (i32.and (local.get $i) (i32.const 5))))"
    "        (local.set $c (i32.add (local.get $c) (i32.const 1))))"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))"
    "      (br $l)))"
    "    (local.get $c))"
    "  (func (export \"andeqi\") (param $x i32) (result i32)"
    "    (block $y (br_if $y (i32.eq (i32.and (local.get $x) (i32.const 6)) (i32.const 2)))"
    "      (return (i32.const 0)))"
    "    (i32.const 1))"
    "  (func (export \"selmask\") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)"
    "    (i32.and (i32.shr_u (select (local.get $a) (local.get $b)"
    "                                (i32.and (i32.xor (local.get $x) (local.get $y)) (i32.const 1)))"
    "                        (i32.const 3)) (i32.const 255)))"
    "  (func (export \"dotu\") (param $p i32) (param $q i32) (param $n i32) (result i32) (local $s i32) (local $t i32)"
    "    (block $d (loop $l"
    "      (br_if $d (i32.eqz (local.get $n)))"
    "      (local.set $t (i32.mul (i32.load16_u (local.get $p)) (i32.load16_u (local.get $q))))"
    "      (local.set $s (i32.xor (local.get $s) (local.get $t)))"
    "      (local.set $p (i32.add (local.get $p) (i32.const 2)))"
    "      (local.set $q (i32.add (local.get $q) (i32.const 2)))"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
    "      (br $l)))"
    "    (local.get $s))"
    "  (func (export \"dots\") (param $p i32) (param $q i32) (param $n i32) (result i32) (local $s i32)"
    "    (block $d (loop $l"
    "      (br_if $d (i32.eqz (local.get $n)))"
    "      (local.set $s (i32.add"
    "        (i32.mul (i32.load16_s (local.get $p)) (i32.load16_s (local.get $q))) (local.get $s)))"
    "      (local.set $p (i32.add (local.get $p) (i32.const 2)))"
    "      (local.set $q (i32.add (local.get $q) (i32.const 2)))"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
    "      (br $l)))"
    "    (local.get $s))"
    "  (func (export \"madk\") (param $s i32) (param $x i32) (param $p i32) (result i32)"
    "    (i32.add (local.get $s) (i32.mul (local.get $x) (i32.load16_s (i32.add (local.get $p) (i32.const 6))))))"
    "  (func (export \"fields\") (param $m i32) (param $v i32) (param $s i32) (param $x i32) (param $y i32) (result i32)"
    "    (i32.add"
    "      (i32.add (i32.mul (local.get $m) (i32.and (i32.shr_u (local.get $v) (i32.const 4)) (i32.const 255)))"
    "               (local.get $s))"
    "      (i32.add (i32.and (i32.shr_u (i32.xor (local.get $x) (local.get $y)) (i32.const 35)) (i32.const 15))"
    "               (i32.and (i32.shr_u (local.get $m) (i32.const 8)) (i32.const 255)))))"
    "  (func (export \"bitx\") (param $a i32) (param $b i32) (result i32)"
    "    (i32.xor (i32.and (i32.shr_u (i32.add (local.get $a) (local.get $b)) (i32.const 3)) (i32.const 1))"
    "             (i32.const 0x55)))"
    "  (func (export \"range\") (param $x i32) (result i32)"
    "    (block $g (br_if $g (i32.gt_u (i32.and (i32.add (local.get $x) (i32.const 5)) (i32.const 255)) (i32.const 200)))"
    "      (block $y (br_if $y (i32.ge_u (i32.and (i32.add (local.get $x) (i32.const 5)) (i32.const 255)) (i32.const 10)))"
    "        (return (i32.const 0)))"
    "      (return (i32.const 1)))"
    "    (i32.const 2))"
    "  (func (export \"crcstep\") (param $a i32) (param $b i32) (param $c i32) (param $u i32) (result i32) (local $t i32) (local $r i32)"
    "    (local.set $t (i32.xor (i32.sub (local.get $a) (local.get $b)) (i32.const 0x4002)))"
    "    (local.set $r (i32.and (i32.xor (i32.shr_u (local.get $c) (i32.const 1)) (local.get $u)) (i32.const 0x7fff)))"
    "    (i32.add (i32.shl (local.get $t) (i32.const 16)) (local.get $r)))"
    "  (func (export \"testx\") (param $a i32) (param $b i32) (param $c i32) (result i32)"
    "    (if (result i32) (i32.xor (i32.add (local.get $b) (local.get $c)) (i32.and (local.get $a) (i32.const 1)))"
    "      (then (i32.const 7)) (else (i32.const 9))))"
    "  (func (export \"mulf\") (param $a i32) (param $b i32) (param $c i32) (result i32)"
    "    (i32.and (i32.shr_u (i32.mul (local.get $a) (i32.sub (local.get $b) (local.get $c))) (i32.const 2))"
    "             (i32.const 255)))"
    "  (func (export \"consts\") (param $b i32) (param $c i32) (param $x i32) (result i32) (local $t i32) (local $r i32)"
    "    (local.set $t (i32.const 9))"
    "    (local.set $r (i32.and (i32.add (local.get $x) (i32.const 3)) (i32.const 255)))"
    "    (i32.add (i32.mul (select (i32.const 5) (local.get $b) (local.get $c)) (i32.const 1000))"
    "             (i32.add (i32.mul (local.get $t) (i32.const 100000)) (local.get $r))))"
    "  (func (export \"hdr\") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $v i32)"
    "    (local.set $v (i32.load16_u (local.get $p)))"
    "    (loop $l"
    "      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $v) (i32.load16_u offset=2 (local.get $p)))))"
    "      (local.set $p (i32.add (local.get $p) (i32.const 2)))"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))"
    "    (local.get $s))"
    "  (func (export \"poke16\") (param $p i32) (param $v i32) (i32.store16 (local.get $p) (local.get $v)))"
    ")";

static void test_singles(void) {
  run r;
  if (!open_wat(&r, SINGLES)) return;
  CHECK(has_op(&r, 0, MW_OP_PAIR_IMM_I32_AND__BR_I32_EQ_B));
  CHECK(has_op(&r, 1, MW_OP_PAIR_IMM_I32_AND__BRI_I32_EQ_A));
  CHECK(has_op(&r, 2, MW_OP_PAIR_IMM_I32_AND_A__SELECT_A));
  CHECK(has_op(&r, 2, MW_OP_PAIR_SELECT_A__II_I32_SHR_U__I32_AND_A));
  CHECK(has_op(&r, 3, MW_OP_PAIR_I32_LOAD16_U__I32_LOAD16_U));
  CHECK(has_op(&r, 3, MW_OP_PAIR_I32_LOAD16_U__I32_MUL_B));
  CHECK(has_op(&r, 4, MW_OP_PAIR_I32_LOAD16_S__I32_LOAD16_S));
  CHECK(has_op(&r, 4, MW_OP_PAIR_I32_LOAD16_S__BB_I32_MUL__I32_ADD_B));
  CHECK(has_op(&r, 5, MW_OP_PAIR_I32_LOAD16_S_K__BBR_I32_MUL__I32_ADD_B));
  CHECK(has_op(&r, 6, MW_OP_PAIR_II_I32_SHR_U__I32_AND__BB_I32_MUL__I32_ADD_B));
  CHECK(has_op(&r, 6, MW_OP_PAIR_II_I32_SHR_U__I32_AND_A__II_I32_SHR_U__I32_AND));
  CHECK(has_op(&r, 7, MW_OP_PAIR_II_I32_SHR_U__I32_AND_A__IMM_I32_XOR_A));
  CHECK(has_op(&r, 8, MW_OP_PAIR_II_I32_ADD__I32_AND__BRI_I32_GE_U_A));
  CHECK(has_op(&r, 8, MW_OP_PAIR_II_I32_ADD__I32_AND__BRI_I32_GT_U_A));
  CHECK(has_op(&r, 9, MW_OP_PAIR_IMM_I32_XOR_A__IB_I32_SHR_U__I32_XOR));
  CHECK(has_op(&r, 9, MW_OP_PAIR_IB_I32_SHR_U__I32_XOR__IMM_I32_AND_A));
  CHECK(has_op(&r, 10, MW_OP_PAIR_IB_I32_AND__I32_XOR_B__JUMP_UNLESS_A));
  CHECK(has_op(&r, 11, MW_OP_PAIR_I32_MUL_B__II_I32_SHR_U__I32_AND_A));
  CHECK(has_op(&r, 12, MW_OP_PAIR_I32_CONST__SELECT));
  CHECK(has_op(&r, 12, MW_OP_PAIR_I32_CONST__II_I32_ADD__I32_AND));
  CHECK(has_op(&r, 13, MW_OP_PAIR_I32_LOAD16_U__I32_LOAD16_U));
  /* values worked out by hand */
  char msg[128];
  mw_val a[5];
  a[0] = mw_val_i32(0x80000000u); /* INT_MIN: (x + 5) & 255 = 5 < 10 */
  CHECK_EQ_INT(call(&r, "range", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(0xFFFFFFFFu); /* -1 + 5 wraps to 4 */
  CHECK_EQ_INT(call(&r, "range", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(250); /* 255 > 200 */
  CHECK_EQ_INT(call(&r, "range", a, 1, msg, sizeof msg).of.i32, 2);
  a[0] = mw_val_i32(0x100);
  a[1] = mw_val_i32(0x00000AB0);
  a[2] = mw_val_i32(7);
  a[3] = mw_val_i32(0x12345678);
  a[4] = mw_val_i32(0);
  /* 0x100 * 0xAB + 7 + ((0x12345678 ^ 0) >> (35 mod 32) & 15 = 0xF) +
   * (0x100 >> 8 & 255 = 1) */
  CHECK_EQ_INT(call(&r, "fields", a, 5, msg, sizeof msg).of.i32, 0xAB00 + 7 + 15 + 1);
  a[0] = mw_val_i32(65535); /* the first load of the pair traps */
  a[1] = mw_val_i32(0);
  a[2] = mw_val_i32(1);
  call(&r, "dotu", a, 3, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  a[0] = mw_val_i32(0); /* the second one does */
  a[1] = mw_val_i32(65535);
  call(&r, "dotu", a, 3, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  close_run(&r);
}

/* ---------------------------------------------------------------- float chains, switches */

/* ir_move.h MW_MOVE_FLOAT_SINGLES and BR_TABLE as a second: the pairs each
 * function makes are checked in test_float_singles.  Memory: f64 at 0, 8,
 * 16, ..; f32 at 256, 260, ..; bytes at 512, ..; set by the test. */
static const char *const FSINGLES =
    "(module (memory 1)"
    /* 0: m[p] = t + m[p]; returns the stored value */
    "  (func (export \"addst\") (param $p i32) (param $t f64) (result f64)"
    "    (f64.store (local.get $p) (f64.add (local.get $t) (f64.load (local.get $p))))"
    "    (f64.load (local.get $p)))"
    /* 1: m[q + 8] = t - m[p + 16] (p + 16 wraps: the _K form) */
    "  (func (export \"subst\") (param $p i32) (param $q i32) (param $t f64) (result f64)"
    "    (f64.store offset=8 (local.get $q)"
    "      (f64.sub (local.get $t) (f64.load (i32.add (local.get $p) (i32.const 16)))))"
    "    (f64.load offset=8 (local.get $q)))"
    /* 2: t - m[p], t * m[p] */
    "  (func (export \"subb\") (param $p i32) (param $t f64) (result f64)"
    "    (f64.sub (local.get $t) (f64.load (local.get $p))))"
    "  (func (export \"mulb\") (param $p i32) (param $t f64) (result f64)"
    "    (f64.mul (local.get $t) (f64.load (local.get $p))))"
    /* 4: the sum of m[p + 8i] * m[q + 8i], i < n (load, load, s + a * b) */
    "  (func (export \"dot\") (param $p i32) (param $q i32) (param $n i32) (result f64) (local $s f64)"
    "    (block $d (loop $l"
    "      (br_if $d (i32.eqz (local.get $n)))"
    "      (local.set $s (f64.add (local.get $s)"
    "        (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))))"
    "      (local.set $p (i32.add (local.get $p) (i32.const 8)))"
    "      (local.set $q (i32.add (local.get $q) (i32.const 8)))"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))"
    "      (br $l)))"
    "    (local.get $s))"
    /* 5: x * m[p] + s */
    "  (func (export \"madd\") (param $p i32) (param $x f64) (param $s f64) (result f64)"
    "    (f64.add (f64.mul (local.get $x) (f64.load (local.get $p))) (local.get $s)))"
    /* 6: m = m[p] (kept), then r = a * b * c, then m[q] * 0.5 + r + m */
    "  (func (export \"mulmul\") (param $p i32) (param $q i32) (param $a f64) (param $b f64) (param $c f64) (result f64)"
    "    (local $m f64) (local $r f64)"
    "    (local.set $m (f64.load (local.get $p)))"
    "    (local.set $r (f64.mul (f64.mul (local.get $a) (local.get $b)) (local.get $c)))"
    "    (f64.add (f64.add (f64.mul (f64.load (local.get $q)) (f64.const 0.5)) (local.get $r)) (local.get $m)))"
    /* 7: m[p + 8] + m[q + r] (the second address a sum: the _X form) */
    "  (func (export \"ldx\") (param $p i32) (param $q i32) (param $r i32) (result f64)"
    "    (f64.add (f64.load (i32.add (local.get $p) (i32.const 8)))"
    "             (f64.load (i32.add (local.get $q) (local.get $r)))))"
    /* 8: f32 m[q] = t + m[p] * 2.5; m[q + 4] = t + m[p + 4] * 2.5 */
    "  (func (export \"saxpy\") (param $p i32) (param $q i32) (param $t f32) (result f32)"
    "    (f32.store (local.get $q) (f32.add (local.get $t) (f32.mul (f32.load (local.get $p)) (f32.const 2.5))))"
    "    (f32.store offset=4 (local.get $q)"
    "      (f32.add (local.get $t) (f32.mul (f32.load (i32.add (local.get $p) (i32.const 4))) (f32.const 2.5))))"
    "    (f32.load (local.get $q)))"
    /* 9: switch on the byte at p + 1: 0 -> 10, 1 -> 20, else 30 */
    "  (func (export \"sw8k\") (param $p i32) (result i32)"
    "    (block $b2 (block $b1 (block $b0"
    "      (br_table $b0 $b1 $b2 (i32.load8_u (i32.add (local.get $p) (i32.const 1)))))"
    "      (return (i32.const 10)))"
    "      (return (i32.const 20)))"
    "    (i32.const 30))"
    /* 10: the same on the byte at p, and on the word at p */
    "  (func (export \"sw8\") (param $p i32) (result i32)"
    "    (block $b2 (block $b1 (block $b0"
    "      (br_table $b0 $b1 $b2 (i32.load8_u (local.get $p))))"
    "      (return (i32.const 10)))"
    "      (return (i32.const 20)))"
    "    (i32.const 30))"
    "  (func (export \"sw32\") (param $p i32) (result i32)"
    "    (block $b2 (block $b1 (block $b0"
    "      (br_table $b0 $b1 $b2 (i32.load (local.get $p))))"
    "      (return (i32.const 10)))"
    "      (return (i32.const 20)))"
    "    (i32.const 30))"
    /* 12: a jump target on the br_table of the pair: with skip set the
     *    load is jumped over and o stays 1 */
    "  (func (export \"swj\") (param $p i32) (param $skip i32) (result i32) (local $o i32)"
    "    (local.set $o (i32.const 1))"
    "    (block $j (br_if $j (local.get $skip))"
    "      (local.set $o (i32.load8_u (local.get $p))))"
    "    (block $b2 (block $b1 (block $b0"
    "      (br_table $b0 $b1 $b2 (local.get $o)))"
    "      (return (i32.const 10)))"
    "      (return (i32.const 20)))"
    "    (i32.const 30))"
    /* 13: a byte-code loop: op = m[pc]; pc += 1; 0: acc += 3, 1: acc *= 2,
     *    2: stop */
    "  (func (export \"vm\") (param $pc i32) (result i32) (local $acc i32) (local $op i32)"
    "    (block $halt (loop $next"
    "      (local.set $op (i32.load8_u (local.get $pc)))"
    "      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))"
    "      (block $b2 (block $b1 (block $b0"
    "        (br_table $b0 $b1 $b2 (local.get $op)))"
    "        (local.set $acc (i32.add (local.get $acc) (i32.const 3)))"
    "        (br $next))"
    "        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))"
    "        (br $next))"
    "      (br $halt)))"
    "    (local.get $acc))"
    ")";

static void put_f64(uint8_t *mem, uint32_t at, uint64_t bits) { memcpy(mem + at, &bits, 8); }
static void put_f32(uint8_t *mem, uint32_t at, uint32_t bits) { memcpy(mem + at, &bits, 4); }

static void test_float_singles(void) {
  run r;
  if (!open_wat(&r, FSINGLES)) return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_PAIR_F64_LOAD__F64_ADD_B));
  CHECK(has_op(&r, 1, MW_OP_PAIR_F64_LOAD_K__F64_SUB_B));
  CHECK(has_op(&r, 1, MW_OP_PAIR_F64_SUB_B__F64_STORE_V));
  CHECK(has_op(&r, 2, MW_OP_PAIR_F64_LOAD__F64_SUB_B));
  CHECK(has_op(&r, 3, MW_OP_PAIR_F64_LOAD__F64_MUL_B));
  CHECK(has_op(&r, 4, MW_OP_PAIR_F64_LOAD__F64_LOAD));
  CHECK(has_op(&r, 4, MW_OP_PAIR_F64_LOAD__BBR_F64_MUL__F64_ADD_B));
  CHECK(has_op(&r, 5, MW_OP_PAIR_F64_LOAD__BB_F64_MUL__F64_ADD_B));
  CHECK(has_op(&r, 6, MW_OP_PAIR_F64_LOAD__BB_F64_MUL__F64_MUL));
  CHECK(has_op(&r, 6, MW_OP_PAIR_F64_LOAD__FIB_IMM_F64_MUL__F64_ADD));
  CHECK(has_op(&r, 7, MW_OP_PAIR_F64_LOAD_K__F64_LOAD_X));
  CHECK(has_op(&r, 8, MW_OP_PAIR_F32_LOAD__IMM_F32_MUL_A));
  CHECK(has_op(&r, 8, MW_OP_PAIR_F32_LOAD_K__IMM_F32_MUL_A));
  CHECK(has_op(&r, 8, MW_OP_PAIR_F32_ADD_B__F32_STORE_V));
  CHECK(has_op(&r, 9, MW_OP_PAIR_I32_LOAD8_U_K__BR_TABLE));
  CHECK(has_op(&r, 10, MW_OP_PAIR_I32_LOAD8_U__BR_TABLE));
  CHECK(has_op(&r, 11, MW_OP_PAIR_I32_LOAD__BR_TABLE));
  CHECK(has_op(&r, 12, MW_OP_PAIR_I32_LOAD8_U__BR_TABLE));
  char msg[128];
  mw_val a[5];
  uint8_t *mem = r.inst->mem0->data;
  const uint64_t NEG0 = 0x8000000000000000u, QNAN = 0x7FF8000000000123u;
  /* addst: 1.5 + 2.25 = 3.75; -0 + -0 = -0; -0 + +0 = +0; NaN in, NaN out */
  put_f64(mem, 0, mw_f64_bits(2.25));
  a[0] = mw_val_i32(0);
  a[1] = mw_val_f64(1.5);
  CHECK(call(&r, "addst", a, 2, msg, sizeof msg).of.f64_bits == mw_f64_bits(3.75));
  CHECK(msg[0] == '\0');
  put_f64(mem, 8, NEG0);
  a[0] = mw_val_i32(8);
  a[1] = mw_val_f64_bits(NEG0);
  CHECK(call(&r, "addst", a, 2, msg, sizeof msg).of.f64_bits == NEG0);
  put_f64(mem, 8, 0);
  CHECK(call(&r, "addst", a, 2, msg, sizeof msg).of.f64_bits == 0);
  put_f64(mem, 8, QNAN);
  a[1] = mw_val_f64(1.0);
  uint64_t v = call(&r, "addst", a, 2, msg, sizeof msg).of.f64_bits;
  CHECK((v & 0x7FF0000000000000u) == 0x7FF0000000000000u && (v & 0xFFFFFFFFFFFFFu) != 0);
  a[0] = mw_val_i32(65529); /* 8 bytes from 65529 pass the end: the load traps */
  call(&r, "addst", a, 2, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* subst: m[24] = 10 - m[16] = 10 - 4 = 6; p = -16 wraps to address 0 */
  put_f64(mem, 16, mw_f64_bits(4.0));
  a[0] = mw_val_i32(0);
  a[1] = mw_val_i32(16);
  a[2] = mw_val_f64(10.0);
  CHECK(call(&r, "subst", a, 3, msg, sizeof msg).of.f64_bits == mw_f64_bits(6.0));
  CHECK(mem[24 + 7] == 0x40); /* 6.0 = 0x4018000000000000, stored */
  put_f64(mem, 0, mw_f64_bits(0.5));
  a[0] = mw_val_i32(-16);
  CHECK(call(&r, "subst", a, 3, msg, sizeof msg).of.f64_bits == mw_f64_bits(9.5));
  put_f64(mem, 16, 0); /* -0 - +0 = -0 */
  a[0] = mw_val_i32(0);
  a[2] = mw_val_f64_bits(NEG0);
  CHECK(call(&r, "subst", a, 3, msg, sizeof msg).of.f64_bits == NEG0);
  a[0] = mw_val_i32(65520); /* 65536: the load of the pair traps */
  call(&r, "subst", a, 3, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* subb, mulb: 1 - 3 = -2; 1 * 3 = 3; +0 - +0 = +0; -0 * 3 = -0 */
  put_f64(mem, 32, mw_f64_bits(3.0));
  a[0] = mw_val_i32(32);
  a[1] = mw_val_f64(1.0);
  CHECK(call(&r, "subb", a, 2, msg, sizeof msg).of.f64_bits == mw_f64_bits(-2.0));
  CHECK(call(&r, "mulb", a, 2, msg, sizeof msg).of.f64_bits == mw_f64_bits(3.0));
  a[1] = mw_val_f64_bits(NEG0);
  CHECK(call(&r, "mulb", a, 2, msg, sizeof msg).of.f64_bits == NEG0);
  put_f64(mem, 40, 0);
  a[0] = mw_val_i32(40);
  a[1] = mw_val_f64(0.0);
  CHECK(call(&r, "subb", a, 2, msg, sizeof msg).of.f64_bits == 0);
  a[0] = mw_val_i32(65536);
  call(&r, "mulb", a, 2, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* dot over m[0..16) and m[16..32): 0.5*4 + 9.5*6 = 2 + 57 = 59 */
  put_f64(mem, 0, mw_f64_bits(0.5));
  put_f64(mem, 8, mw_f64_bits(9.5));
  put_f64(mem, 16, mw_f64_bits(4.0));
  put_f64(mem, 24, mw_f64_bits(6.0));
  a[0] = mw_val_i32(0);
  a[1] = mw_val_i32(16);
  a[2] = mw_val_i32(2);
  CHECK(call(&r, "dot", a, 3, msg, sizeof msg).of.f64_bits == mw_f64_bits(59.0));
  a[0] = mw_val_i32(65528); /* the first load of the first pair traps */
  a[2] = mw_val_i32(2);     /* (after one round at 65528 .. 65535) */
  call(&r, "dot", a, 3, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* madd: 2 * 0.5 + 1 = 2 */
  a[0] = mw_val_i32(0);
  a[1] = mw_val_f64(2.0);
  a[2] = mw_val_f64(1.0);
  CHECK(call(&r, "madd", a, 3, msg, sizeof msg).of.f64_bits == mw_f64_bits(2.0));
  /* mulmul: m = 0.5, r = 2*3*4 = 24, m[8] * 0.5 + 24 + 0.5 = 4.75 + 24.5 */
  a[0] = mw_val_i32(0);
  a[1] = mw_val_i32(8);
  a[2] = mw_val_f64(2.0);
  a[3] = mw_val_f64(3.0);
  a[4] = mw_val_f64(4.0);
  CHECK(call(&r, "mulmul", a, 5, msg, sizeof msg).of.f64_bits == mw_f64_bits(29.25));
  a[0] = mw_val_i32(65532);
  call(&r, "mulmul", a, 5, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* ldx: m[8] + m[16 + 8] = 9.5 + 6 */
  a[0] = mw_val_i32(0);
  a[1] = mw_val_i32(16);
  a[2] = mw_val_i32(8);
  CHECK(call(&r, "ldx", a, 3, msg, sizeof msg).of.f64_bits == mw_f64_bits(15.5));
  a[0] = mw_val_i32(65530); /* 65538: the _K load of the pair traps */
  call(&r, "ldx", a, 3, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* saxpy: 1 + 2 * 2.5 = 6, 1 + -4 * 2.5 = -9; -0 + -0 * 2.5 = -0; NaN */
  put_f32(mem, 256, mw_f32_bits(2.0f));
  put_f32(mem, 260, mw_f32_bits(-4.0f));
  a[0] = mw_val_i32(256);
  a[1] = mw_val_i32(272);
  a[2] = mw_val_f32(1.0f);
  CHECK(call(&r, "saxpy", a, 3, msg, sizeof msg).of.f32_bits == mw_f32_bits(6.0f));
  uint32_t w;
  memcpy(&w, mem + 276, 4);
  CHECK(w == mw_f32_bits(-9.0f));
  put_f32(mem, 256, 0x80000000u);
  a[2] = mw_val_f32_bits(0x80000000u);
  CHECK(call(&r, "saxpy", a, 3, msg, sizeof msg).of.f32_bits == 0x80000000u);
  put_f32(mem, 256, 0x7FA00000u); /* a signalling NaN: some NaN comes out */
  a[2] = mw_val_f32(1.0f);
  uint32_t x = call(&r, "saxpy", a, 3, msg, sizeof msg).of.f32_bits;
  CHECK((x & 0x7F800000u) == 0x7F800000u && (x & 0x7FFFFFu) != 0);
  a[0] = mw_val_i32(65533); /* the first f32 load traps, nothing stored */
  a[1] = mw_val_i32(300);
  mem[300] = 0xAB;
  call(&r, "saxpy", a, 3, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  CHECK_EQ_INT(mem[300], 0xAB);
  a[0] = mw_val_i32(65530); /* the first stores, the _K one traps */
  call(&r, "saxpy", a, 3, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* switches: bytes 0, 1, 2, 200 at 512 .. 515; the word at 516 is
   * 0x100000001 truncated: 1 */
  mem[512] = 0, mem[513] = 1, mem[514] = 2, mem[515] = 200;
  uint32_t one = 1;
  memcpy(mem + 516, &one, 4);
  static const struct {
    const char *f;
    int32_t p, want;
  } sw[] = {{"sw8k", 511, 10}, {"sw8k", 512, 20}, {"sw8k", 513, 30}, {"sw8k", 514, 30},
            {"sw8", 512, 10},  {"sw8", 513, 20},  {"sw8", 515, 30},  {"sw32", 516, 20},
            {"sw32", 512, 30}, {"sw32", 520, 10}};
  for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++) {
    a[0] = mw_val_i32(sw[i].p);
    CHECK_EQ_INT(call(&r, sw[i].f, a, 1, msg, sizeof msg).of.i32, sw[i].want);
  }
  a[0] = mw_val_i32(65535); /* byte 65536: the load of the pair traps */
  call(&r, "sw8k", a, 1, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  a[0] = mw_val_i32(-1); /* -1 + 1 wraps to byte 0 */
  CHECK_EQ_INT(call(&r, "sw8k", a, 1, msg, sizeof msg).of.i32, 10);
  a[0] = mw_val_i32(65533);
  call(&r, "sw32", a, 1, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* swj: the load (byte 2 -> 30), or a jump to the br_table (o = 1 -> 20) */
  a[0] = mw_val_i32(514);
  a[1] = mw_val_i32(0);
  CHECK_EQ_INT(call(&r, "swj", a, 2, msg, sizeof msg).of.i32, 30);
  a[1] = mw_val_i32(1);
  CHECK_EQ_INT(call(&r, "swj", a, 2, msg, sizeof msg).of.i32, 20);
  a[0] = mw_val_i32(65536); /* skipped: no trap */
  CHECK_EQ_INT(call(&r, "swj", a, 2, msg, sizeof msg).of.i32, 20);
  a[1] = mw_val_i32(0);
  call(&r, "swj", a, 2, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  /* vm at 600: +3 +3 *2 +3 *2 stop: ((3 + 3) * 2 + 3) * 2 = 30 */
  static const uint8_t prog[] = {0, 0, 1, 0, 1, 2};
  memcpy(mem + 600, prog, sizeof prog);
  a[0] = mw_val_i32(600);
  CHECK_EQ_INT(call(&r, "vm", a, 1, msg, sizeof msg).of.i32, 30);
  a[0] = mw_val_i32(65534); /* bytes 0 0 then past the end */
  mem[65534] = 0, mem[65535] = 0;
  call(&r, "vm", a, 1, msg, sizeof msg);
  CHECK_STR(msg, "out of bounds memory access");
  close_run(&r);
}

/* A loop latch after a phi copy (clang's for loops): COPY, then the
 * increment, compare and back edge in one ADDBR_I32_LT_U_LOOP. */
static void test_copy_latch(void) {
  run r;
  if (!open_wat(&r, "(module (func (export \"sum\") (param $n i32) (result i32)"
                    "  (local $i i32) (local $j i32) (local $s i32)"
                    "  (loop $l"
                    "   (local.set $s (i32.add (local.get $s) (local.get $i)))"
                    "   (local.set $j (local.get $i))"
                    "   (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $j) (i32.const 1)))"
                    "                       (local.get $n))))"
                    "  (local.get $s)))"))
    return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_PAIR_COPY__ADDBR_I32_LT_U_LOOP));
  char msg[128];
  mw_val a[1] = {mw_val_i32(10)}; /* 0 + 1 + ... + 9 */
  CHECK_EQ_INT(call(&r, "sum", a, 1, msg, sizeof msg).of.i32, 45);
  a[0] = mw_val_i32(0); /* the body runs once: 1 < 0 fails */
  CHECK_EQ_INT(call(&r, "sum", a, 1, msg, sizeof msg).of.i32, 0);
  a[0] = mw_val_i32(65536); /* 0 + ... + 65535 */
  CHECK_EQ_INT(call(&r, "sum", a, 1, msg, sizeof msg).of.i32, 2147450880);
  close_run(&r);
}

/* A bytecode interpreter's register access, r[code[pc + 1]] with r in a
 * stack frame: the byte load, then the indexed load (or the address of
 * the store) that takes it. */
static void test_register_pairs(void) {
  run r;
  if (!open_wat(&r, "(module (memory (export \"mem\") 1)"
                    " (func (export \"mov\") (param $sp i32) (param $pc i32)"
                    "  (i32.store (i32.add (i32.add (local.get $sp) (i32.const 256))"
                    "                      (i32.shl (i32.load8_u (i32.add (local.get $pc) (i32.const 1025)))"
                    "                               (i32.const 2)))"
                    "   (i32.add (i32.const 1) (i32.load (i32.add (i32.add (local.get $sp) (i32.const 256))"
                    "     (i32.shl (i32.load8_u (i32.add (local.get $pc) (i32.const 1026))) (i32.const 2))))))))"))
    return close_run(&r);
  CHECK(has_op(&r, 0, MW_OP_PAIR_I32_LOAD8_U_K__IB_I32_SHL__I32_ADD_A));
  CHECK(has_op(&r, 0, MW_OP_PAIR_I32_LOAD8_U_K__I32_LOAD_XSK));
  uint8_t *data = r.inst->mem0->data;
  /* code at 1024 + pc: mov r3 <- r5 + 1; r5 = 0x11223344; frame at 0 */
  data[1025] = 3;
  data[1026] = 5;
  uint32_t w = 0x11223344u;
  memcpy(data + 256 + 20, &w, 4);
  char msg[128];
  mw_val a[2] = {mw_val_i32(0), mw_val_i32(0)};
  call(&r, "mov", a, 2, msg, sizeof msg);
  CHECK_EQ_INT(msg[0], 0);
  memcpy(&w, data + 256 + 12, 4);
  CHECK_EQ_INT(w, 0x11223345u);
  /* a frame whose register 5 is past the end: the second load traps,
   * after the first read its byte */
  a[0] = mw_val_i32(65536 - 256 - 20 - 3);
  call(&r, "mov", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  /* code past the end: the byte load traps */
  a[0] = mw_val_i32(0);
  a[1] = mw_val_i32(65536 - 1025);
  call(&r, "mov", a, 2, msg, sizeof msg);
  CHECK(strcmp(msg, "out of bounds memory access") == 0);
  close_run(&r);
}

int main(void) {
  RUN(test_pass_pairs);
  RUN(test_pass_label_between);
  RUN(test_pass_leaves_alone);
  RUN(test_lists);
  RUN(test_copies);
  RUN(test_singles);
  RUN(test_float_singles);
  RUN(test_copy_latch);
  RUN(test_register_pairs);
  return harness_summary();
}
