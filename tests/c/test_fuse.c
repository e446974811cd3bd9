/*
 * test_fuse.c -- the compiler really emits the fused forms of
 * src/runtime/ir_fuse.h where it should, and not across a label; each
 * function is also run for a value worked out by hand.  (The values at
 * the edges are checked in tests/lua/29_interp_fusions_spec.lua.)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "moonwasm.h"

#include "harness.h"

typedef struct built {
  mw_module *mod;
  mw_store *store;
  mw_instance *inst;
} built;

static bool build(const char *wat, built *b) {
  unsigned char *bin = NULL;
  size_t len = 0;
  memset(b, 0, sizeof *b);
  /* compiled at load (not on the first call, lazy.c): the code is there
   * to look at */
  mw_config cfg;
  mw_config_default(&cfg);
  cfg.eager_compile = true;
  mw_error *e = mw_wat_to_wasm(wat, strlen(wat), 0, &bin, &len);
  if (!e) e = mw_module_decode(&cfg, bin, len, &b->mod);
  mw_wat_free(bin);
  if (!e) e = mw_module_validate(b->mod);
  if (!e) {
    b->store = mw_store_new(NULL);
    e = mw_instantiate(b->store, b->mod, &b->inst);
  }
  if (e) {
    printf("build: %s\n", mw_error_message(e));
    mw_error_free(e);
    return false;
  }
  return true;
}

static void unbuild(built *b) {
  if (b->store) mw_store_free(b->store);
  if (b->mod) mw_module_release(b->mod);
}

/* How many words of defined function `f`'s code are opcode `op`'s
 * handler word (ir.h: words from MW_HANDLER_BIAS on; operand words are
 * small slot numbers and immediates chosen not to collide with them). */
static int count_op(const built *b, uint32_t f, int op) {
  const mw_compiled *c = &b->mod->compiled[f];
  mw_word w = mw_handler_word(op);
  int n = 0;
  for (uint32_t i = 0; i < c->ncode; i++) n += c->code[i] == w;
  return n;
}

static mw_val call(const built *b, const char *name, const mw_val *args, size_t n) {
  mw_extern ext;
  mw_val res = {0};
  CHECK(mw_instance_export(b->inst, name, strlen(name), &ext));
  mw_error *e = mw_func_call(b->store, ext.of.func, args, n, &res, 1);
  CHECK(e == NULL);
  if (e) mw_error_free(e);
  return res;
}

/* ---------------------------------------------------------------- BB_, BBR_ */

static void test_bin_bin(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"l\") (param i32 i32 i32) (result i32)"
                   "  (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 2)))"
                   " (func (export \"r\") (param f64 f64 f64) (result f64)"
                   "  (f64.sub (local.get 2) (f64.mul (local.get 0) (local.get 1))))"
                   " (func (export \"lab\") (param i64 i64 i64) (result i64)"
                   "  (i64.add (block (result i64) (i64.mul (local.get 0) (local.get 1)))"
                   "           (local.get 2)))"
                   " (func (export \"twice\") (param i32 i32) (result i32)"
                   "  (local i32)"
                   "  (i32.add (local.tee 2 (i32.mul (local.get 0) (local.get 1)))"
                   "           (local.get 2))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_BB_I32_MUL__I32_ADD), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_I32_MUL), 0);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_BBR_F64_MUL__F64_SUB), 1);
  /* a label between them: the plain pair */
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_BB_I64_MUL__I64_ADD), 0);
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_I64_MUL), 1);
  /* the product is also kept in a local: not fused */
  CHECK_EQ_INT(count_op(&b, 3, MW_OP_BB_I32_MUL__I32_ADD), 0);

  mw_val a3[] = {mw_val_i32(-7), mw_val_i32(6), mw_val_i32(INT32_MIN)};
  CHECK_EQ_INT(call(&b, "l", a3, 3).of.i32, (int32_t)(INT32_MIN - 42LL + 0x100000000LL));
  mw_val f3[] = {mw_val_f64(1.5), mw_val_f64(-2.0), mw_val_f64(0.25)};
  CHECK(mw_val_as_f64(call(&b, "r", f3, 3)) == 3.25);
  mw_val l3[] = {mw_val_i64(INT64_MAX), mw_val_i64(2), mw_val_i64(3)};
  CHECK_EQ_INT(call(&b, "lab", l3, 3).of.i64, 1); /* 2^64 - 2 + 3 wraps */
  mw_val t2[] = {mw_val_i32(5), mw_val_i32(7)};
  CHECK_EQ_INT(call(&b, "twice", t2, 2).of.i32, 70);
  unbuild(&b);
}

/* ---------------------------------------------------------------- SEL_, SELI_ */

static void test_select(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"s\") (param i64 i64 i32 i32) (result i32)"
                   "  (select (local.get 2) (local.get 3) (i64.lt_u (local.get 0) (local.get 1))))"
                   " (func (export \"k\") (param i32) (result i32)"
                   "  (select (i32.const 1) (i32.const 2) (i32.gt_s (local.get 0) (i32.const -3))))"
                   " (func (export \"z\") (param i64 f64 f64) (result f64)"
                   "  (select (local.get 1) (local.get 2) (i64.eqz (local.get 0))))"
                   " (func (export \"lab\") (param i32 i32) (result i32)"
                   "  (select (local.get 0) (local.get 1)"
                   "   (block (result i32) (i32.lt_s (local.get 0) (local.get 1)))))"
                   " (func (export \"and\") (param i32 i32) (result i32)"
                   "  (select (local.get 0) (local.get 1) (i32.and (local.get 0) (local.get 1)))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_SEL_I64_LT_U), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_SELECT), 0);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_SELI_I32_GT_S), 1);
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_SELI_I64_EQ), 1);
  /* a label between; not a comparison (the plain select, or its acc form) */
  CHECK_EQ_INT(count_op(&b, 3, MW_OP_SELECT) + count_op(&b, 3, MW_OP_SELECT_A), 1);
  CHECK_EQ_INT(count_op(&b, 4, MW_OP_SELECT) + count_op(&b, 4, MW_OP_SELECT_A), 1);

  mw_val s4[] = {mw_val_i64(-1), mw_val_i64(1), mw_val_i32(10), mw_val_i32(20)};
  CHECK_EQ_INT(call(&b, "s", s4, 4).of.i32, 20); /* 2^64-1 < 1 is false */
  mw_val k1[] = {mw_val_i32(-3)};
  CHECK_EQ_INT(call(&b, "k", k1, 1).of.i32, 2);
  k1[0] = mw_val_i32(-2);
  CHECK_EQ_INT(call(&b, "k", k1, 1).of.i32, 1);
  mw_val z3[] = {mw_val_i64(0), mw_val_f64(1.5), mw_val_f64(2.5)};
  CHECK(mw_val_as_f64(call(&b, "z", z3, 3)) == 1.5);
  z3[0] = mw_val_i64(INT64_MIN);
  CHECK(mw_val_as_f64(call(&b, "z", z3, 3)) == 2.5);
  mw_val l2[] = {mw_val_i32(-1), mw_val_i32(1)};
  CHECK_EQ_INT(call(&b, "lab", l2, 2).of.i32, -1);
  unbuild(&b);
}

/* ---------------------------------------------------------------- <store>_KI */

static void test_store_const(void) {
  built b;
  if (!CHECK(build("(module (memory 1)"
                   " (func (export \"a\") (param i32) (i32.store8 (local.get 0) (i32.const 300)))"
                   " (func (export \"k\") (param i32)"
                   "  (i64.store offset=8 (i32.add (local.get 0) (i32.const 4)) (i64.const -5)))"
                   " (func (export \"big\") (param i32) (i64.store (local.get 0) (i64.const 0x80000000)))"
                   " (func (export \"v\") (param i32 i32) (i32.store (local.get 0) (local.get 1)))"
                   " (func (export \"ld\") (param i32) (result i64) (i64.load (local.get 0))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_I32_STORE8_KI), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_I32_CONST), 0);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_I64_STORE_KI), 1);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_IMM_I32_ADD), 0); /* the address too */
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_I64_STORE_KI), 0); /* does not fit */
  CHECK_EQ_INT(count_op(&b, 3, MW_OP_I32_STORE_KI), 0);

  mw_val p[] = {mw_val_i32(32)};
  call(&b, "a", p, 1);
  CHECK_EQ_INT(call(&b, "ld", p, 1).of.i64, 44); /* 300 mod 256 */
  p[0] = mw_val_i32(64);
  call(&b, "k", p, 1);
  p[0] = mw_val_i32(76);
  CHECK_EQ_INT(call(&b, "ld", p, 1).of.i64, -5);
  call(&b, "big", p, 1);
  CHECK_EQ_INT(call(&b, "ld", p, 1).of.i64, 0x80000000LL);
  unbuild(&b);
}

/* ---------------------------------------------------------------- IMM_, IMMR_ (floats) */

static void test_float_imm(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"div\") (param f64) (result f64)"
                   "  (f64.div (f64.const 1) (local.get 0)))"
                   " (func (export \"gt\") (param f32) (result i32)"
                   "  (f32.gt (local.get 0) (f32.const 4)))"
                   " (func (export \"min\") (param f64) (result f64)"
                   "  (f64.min (local.get 0) (f64.const 2))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_IMMR_F64_DIV), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_F64_CONST), 0);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_IMM_F32_GT), 1);
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_F64_CONST), 1); /* no immediate form */

  mw_val x[] = {mw_val_f64(-0.0)};
  CHECK_EQ_INT(call(&b, "div", x, 1).of.f64_bits, 0xFFF0000000000000ULL); /* -inf */
  x[0] = mw_val_f64(8.0);
  CHECK(mw_val_as_f64(call(&b, "div", x, 1)) == 0.125);
  mw_val y[] = {mw_val_f32(4.5f)};
  CHECK_EQ_INT(call(&b, "gt", y, 1).of.i32, 1);
  y[0] = mw_val_f32(4.0f);
  CHECK_EQ_INT(call(&b, "gt", y, 1).of.i32, 0);
  unbuild(&b);
}

/* ---------------------------------------------------------------- i64 BR_, BRI_ */

static void test_branch64(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"lt\") (param i64 i64) (result i32)"
                   "  (block (br_if 0 (i64.lt_s (local.get 0) (local.get 1))) (return (i32.const 0)))"
                   "  (i32.const 1))"
                   " (func (export \"z\") (param i64) (result i32)"
                   "  (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2))))"
                   " (func (export \"loop\") (param i64) (result i64)"
                   "  (loop (local.set 0 (i64.shr_u (local.get 0) (i64.const 1)))"
                   "   (br_if 0 (i64.gt_u (local.get 0) (i64.const 3))))"
                   "  (local.get 0)))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_BR_I64_LT_S), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_I64_LT_S), 0);
  /* if jumps to else when the test fails: eqz is eq 0, negated */
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_BRI_I64_NE), 1);
  /* (its acc form, acc.h, when the shift right before computes the operand) */
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_BRI_I64_GT_U_LOOP) +
                   count_op(&b, 2, MW_OP_BRI_I64_GT_U_LOOP_A), 1);

  mw_val a2[] = {mw_val_i64(-1), mw_val_i64(0)};
  CHECK_EQ_INT(call(&b, "lt", a2, 2).of.i32, 1);
  a2[0] = mw_val_i64(0);
  CHECK_EQ_INT(call(&b, "lt", a2, 2).of.i32, 0);
  mw_val z[] = {mw_val_i64(INT64_MIN)};
  CHECK_EQ_INT(call(&b, "z", z, 1).of.i32, 2);
  z[0] = mw_val_i64(0);
  CHECK_EQ_INT(call(&b, "z", z, 1).of.i32, 1);
  z[0] = mw_val_i64(-1); /* 2^64-1 halves until it is 3 or less */
  CHECK_EQ_INT(call(&b, "loop", z, 1).of.i64, 3);
  unbuild(&b);
}

/* ---------------------------------------------------------------- II_ and folds */

static void test_imm_imm(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"byte\") (param i32) (result i32)"
                   "  (i32.and (i32.shr_u (local.get 0) (i32.const 40)) (i32.const 255)))"
                   " (func (export \"acc\") (param i32 i32) (result i32)"
                   "  (i32.and (i32.shr_u (i32.add (local.get 0) (local.get 1)) (i32.const 8))"
                   "   (i32.const 255)))"
                   " (func (export \"fold\") (param i32) (result i32)"
                   "  (i32.add (i32.sub (local.get 0) (i32.const 1)) (i32.const 0x7fffffff)))"
                   " (func (export \"nofold\") (param i64) (result i64)"
                   "  (i64.add (i64.add (local.get 0) (i64.const -2147483648))"
                   "   (i64.const -2147483648)))"
                   " (func (export \"lab\") (param i32) (result i32)"
                   "  (i32.and (block (result i32) (i32.shr_u (local.get 0) (i32.const 4)))"
                   "   (i32.const 15)))"
                   " (func (export \"mix\") (param i64) (result i64)"
                   "  (i64.add (i64.mul (local.get 0) (i64.const 6364136223846793005))"
                   "   (i64.const 1)))"
                   " (func (export \"madd\") (param i64) (result i64)"
                   "  (i64.add (i64.mul (local.get 0) (i64.const -3)) (i64.const 1))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_II_I32_SHR_U__I32_AND), 1);
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_IMM_I32_AND), 0);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_II_I32_SHR_U__I32_AND_A), 1);
  /* x - 1 + 0x7fffffff is one add of 0x7ffffffe */
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_IMM_I32_ADD), 1);
  /* -2^31 twice does not fit 32 bits: two adds */
  CHECK_EQ_INT(count_op(&b, 3, MW_OP_IMM_I64_ADD) + count_op(&b, 3, MW_OP_IMM_I64_ADD_A), 2);
  CHECK_EQ_INT(count_op(&b, 4, MW_OP_II_I32_SHR_U__I32_AND), 0);
  CHECK_EQ_INT(count_op(&b, 4, MW_OP_IMM_I32_AND), 1);
  /* the multiplier does not fit an immediate: no II_ */
  CHECK_EQ_INT(count_op(&b, 5, MW_OP_II_I64_MUL__I64_ADD), 0);
  CHECK_EQ_INT(count_op(&b, 6, MW_OP_II_I64_MUL__I64_ADD), 1);

  mw_val a[] = {mw_val_i32((int32_t)0xA5B6C7D8)};
  CHECK_EQ_INT(call(&b, "byte", a, 1).of.i32, 0xC7); /* 40 & 31 = 8 */
  mw_val a2[] = {mw_val_i32(-1), mw_val_i32(0x1235)};
  CHECK_EQ_INT(call(&b, "acc", a2, 2).of.i32, 0x12);
  mw_val f[] = {mw_val_i32(INT32_MIN)};
  CHECK_EQ_INT(call(&b, "fold", f, 1).of.i32, -2); /* wraps */
  mw_val n[] = {mw_val_i64(0)};
  CHECK(call(&b, "nofold", n, 1).of.i64 == -4294967296LL);
  mw_val l[] = {mw_val_i32(0x1234)};
  CHECK_EQ_INT(call(&b, "lab", l, 1).of.i32, 3);
  mw_val m[] = {mw_val_i64(INT64_MIN)};
  CHECK(call(&b, "madd", m, 1).of.i64 == (int64_t)((uint64_t)INT64_MIN * (uint64_t)-3 + 1));
  unbuild(&b);
}

/* ---------------------------------------------------------------- acc forms */

static void test_acc_forms(void) {
  built b;
  if (!CHECK(build("(module"
                   " (func (export \"ib\") (param i32 i32) (result i32)"
                   "  (i32.xor (i32.shr_u (i32.add (local.get 0) (local.get 1)) (i32.const 3))"
                   "   (local.get 1)))"
                   " (func (export \"bbr\") (param i64 i64 i64) (result i64)"
                   "  (i64.add (i64.mul (local.get 2) (local.get 2))"
                   "   (i64.mul (local.get 0) (local.get 1))))"
                   " (func (export \"sel\") (param i64 i64 i64) (result i64)"
                   "  (select (local.get 1) (local.get 2)"
                   "   (i64.eq (i64.and (local.get 0) (i64.const 1)) (i64.const 0))))"
                   " (func (export \"inv\") (param f64) (result f64)"
                   "  (f64.div (f64.const 1.0) (f64.mul (local.get 0) (local.get 0))))"
                   " (func (export \"br\") (param i64 i64) (result i32)"
                   "  (block (br_if 0 (i64.gt_u (i64.add (local.get 0) (local.get 1))"
                   "   (i64.const 5))) (return (i32.const 1)))"
                   "  (i32.const 2))"
                   " (func (export \"add2\") (param i32 i32) (result i32)"
                   "  (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
                   "  (local.set 1 (i32.add (local.get 1) (i32.const 2)))"
                   "  (i32.sub (local.get 0) (local.get 1)))"
                   " (func (export \"add2l\") (param i32 i32) (result i32)"
                   "  (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
                   "  (loop (local.set 1 (i32.add (local.get 1) (i32.const 2))))"
                   "  (i32.sub (local.get 0) (local.get 1))))",
                   &b)))
    return;
  CHECK_EQ_INT(count_op(&b, 0, MW_OP_IB_I32_SHR_U__I32_XOR_A), 1);
  CHECK_EQ_INT(count_op(&b, 1, MW_OP_BBR_I64_MUL__I64_ADD_C), 1);
  CHECK_EQ_INT(count_op(&b, 2, MW_OP_SELI_I64_EQ_A), 1);
  CHECK_EQ_INT(count_op(&b, 3, MW_OP_IMMR_F64_DIV_A), 1);
  CHECK_EQ_INT(count_op(&b, 4, MW_OP_BRI_I64_GT_U_A), 1);
  CHECK_EQ_INT(count_op(&b, 5, MW_OP_ADD2_I32), 1);
  CHECK_EQ_INT(count_op(&b, 6, MW_OP_ADD2_I32), 0); /* a loop header between */

  mw_val a[] = {mw_val_i32(-1), mw_val_i32(9)};
  CHECK_EQ_INT(call(&b, "ib", a, 2).of.i32, (8 >> 3) ^ 9);
  mw_val c[] = {mw_val_i64(3), mw_val_i64(INT64_MAX), mw_val_i64(7)};
  CHECK(call(&b, "bbr", c, 3).of.i64 == (int64_t)(49 + (uint64_t)INT64_MAX * 3));
  mw_val s[] = {mw_val_i64(INT64_MIN), mw_val_i64(11), mw_val_i64(22)};
  CHECK(call(&b, "sel", s, 3).of.i64 == 11);
  s[0] = mw_val_i64(-1);
  CHECK(call(&b, "sel", s, 3).of.i64 == 22);
  mw_val d[] = {mw_val_f64(-2.0)};
  CHECK(mw_val_as_f64(call(&b, "inv", d, 1)) == 0.25);
  mw_val r[] = {mw_val_i64(-1), mw_val_i64(0)};
  CHECK_EQ_INT(call(&b, "br", r, 2).of.i32, 2);
  r[0] = mw_val_i64(2);
  r[1] = mw_val_i64(3);
  CHECK_EQ_INT(call(&b, "br", r, 2).of.i32, 1);
  mw_val p[] = {mw_val_i32(INT32_MAX), mw_val_i32(-3)};
  CHECK_EQ_INT(call(&b, "add2", p, 2).of.i32, (int32_t)((uint32_t)INT32_MIN - (uint32_t)-1));
  CHECK_EQ_INT(call(&b, "add2l", p, 2).of.i32, (int32_t)((uint32_t)INT32_MIN - (uint32_t)-1));
  unbuild(&b);
}

/* A binary with an immediate after a producer shorter than an IMM_ one
 * (global.get: 3 words) that ends the code buffer exactly (64 words: 13
 * 4-word adds, 4 3-word global.gets): the fusion must look at its opcode
 * before reading a fourth word past the end (ASan in SANITIZE=1). */
static void test_imm_at_code_end(void) {
  built b;
  char wat[2048] = "(module (global (mut i32) (i32.const 37))"
                   " (func (export \"f\") (param i32) (result i32) (local i32)";
  for (int i = 0; i < 13; i++)
    strcat(wat, " (local.set 1 (i32.add (local.get 0) (i32.const 1)))");
  for (int i = 0; i < 3; i++) strcat(wat, " (local.set 1 (global.get 0))");
  strcat(wat, " (i32.add (global.get 0) (i32.const 5))))");
  if (!CHECK(build(wat, &b))) return;
  /* the 64 words, then the add (written to the result) and RETURN */
  CHECK_EQ_INT(b.mod->compiled[0].ncode, 69);
  mw_val a[] = {mw_val_i32(0)};
  CHECK_EQ_INT(call(&b, "f", a, 1).of.i32, 42);
  unbuild(&b);
}

int main(void) {
  RUN(test_bin_bin);
  RUN(test_select);
  RUN(test_store_const);
  RUN(test_float_imm);
  RUN(test_branch64);
  RUN(test_imm_imm);
  RUN(test_imm_at_code_end);
  RUN(test_acc_forms);
  return harness_summary();
}
